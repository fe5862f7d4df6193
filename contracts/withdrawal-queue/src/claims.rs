//! Claims: burning finalized requests' NFTs and paying their locked ether.
//!
//! Each claim: the request must be finalized and not claimed; the caller must own its NFT, be
//! approved for it, or be an operator of its owner. The payout is `min(e, floor(s * rate /
//! 1e27))` at its checkpoint's rate, exactly what finalization locked for it. The request's
//! owner index becomes 0 (claimed, NFT burned), the owner's balance and the locked ether go
//! down, then, last and once per call, the ether goes out: under the transient guard, so the
//! recipient cannot re-enter any guarded entry point, and a recipient that rejects it reverts
//! the whole claim (`EtherTransferFailed`). The SDK's entrypoint is a first layer: it already
//! refuses, with empty revert data, any call back into the queue while the queue is on the
//! stack; the transient guard (about 300 gas) stays as the design requires, so the queue does
//! not depend on that SDK default (the `reentrant` feature turns it off).
//!
//! Pruning: claiming request `n` is the last use of request `n - 1`'s totals (every other
//! reader needs unclaimed or unfinalized requests, or the last finalized one, which is never
//! below an unclaimed finalized request). If `n - 1` is already claimed, its slot is cleared,
//! which earns the EIP-3529 refund (4,800 gas) and keeps state from growing: sequential claims
//! pay for themselves in part. A claimed request's status view shows no amounts.

use alloy_primitives::{Address, U256};

use crate::{
    access::guard,
    errors::{
        ArrayLengthMismatch, EmptyRequest, Error, EtherTransferFailed, InvalidRecipient,
        InvalidRequestId, NotOwnerOrApproved, RequestAlreadyClaimed,
    },
    events,
    finalization::payout,
    storage::{Final, Owner, Queue, Request},
    WithdrawalQueue,
};

impl WithdrawalQueue {
    /// Claims `ids` for `caller`, paying `recipient` once; `hints` empty means "search".
    pub(crate) fn claim(
        &mut self,
        caller: Address,
        ids: &[U256],
        hints: &[U256],
        recipient: Address,
    ) -> Result<(), Error> {
        let _lock = guard()?;
        if ids.is_empty() {
            return Err(Error::EmptyRequest(EmptyRequest {}));
        }
        if !hints.is_empty() && hints.len() != ids.len() {
            return Err(Error::ArrayLengthMismatch(ArrayLengthMismatch {
                ids: U256::from(ids.len()),
                hints: U256::from(hints.len()),
            }));
        }
        if recipient.is_zero() {
            return Err(Error::InvalidRecipient(InvalidRecipient { recipient }));
        }
        let mut fin = Final::unpack(self.fin.get());
        let mut total = 0u128;
        for (i, &id) in ids.iter().enumerate() {
            let paid = self.claim_one(&mut fin, caller, id, hints.get(i).copied(), recipient)?;
            total += paid; // each is covered by `locked`, a u88
        }
        self.fin.set(fin.pack()?);
        if total > 0 {
            #[allow(deprecated)]
            stylus_sdk::call::transfer_eth(recipient, U256::from(total)).map_err(|_| {
                Error::EtherTransferFailed(EtherTransferFailed {
                    recipient,
                    amount: U256::from(total),
                })
            })?;
        }
        Ok(())
    }

    fn claim_one(
        &mut self,
        fin: &mut Final,
        caller: Address,
        id: U256,
        hint: Option<U256>,
        recipient: Address,
    ) -> Result<u128, Error> {
        let Ok(n) = u32::try_from(id) else {
            return Err(Error::InvalidRequestId(InvalidRequestId { requestId: id }));
        };
        if n == 0 || (n > fin.last_finalized && n > Queue::unpack(self.queue.get()).last_request_id)
        {
            return Err(Error::InvalidRequestId(InvalidRequestId { requestId: id }));
        }
        let checkpoint = self.checkpoint_for(fin, n, hint)?;
        let mut request = Request::unpack(self.requests.get(id));
        if request.owner == 0 {
            return Err(Error::RequestAlreadyClaimed(RequestAlreadyClaimed { requestId: id }));
        }
        // The common case, the owner claiming, needs only its own entry.
        let mut entry = Owner::unpack(self.owners.get(caller));
        let owner = if entry.index == request.owner {
            caller
        } else {
            let owner = self.owner_by_index.get(U256::from(request.owner));
            if !self.is_authorized(owner, caller, id) {
                return Err(Error::NotOwnerOrApproved(NotOwnerOrApproved {
                    requestId: id,
                    caller,
                }));
            }
            entry = Owner::unpack(self.owners.get(owner));
            owner
        };
        let prev = self.request_at(n - 1);
        if prev.owner == 0 && n > 1 {
            // The previous request is claimed too and only this claim needed its totals:
            // prune its slot (the storage refund pays for part of this claim).
            self.requests.setter(U256::from(n - 1)).set(U256::ZERO);
        }
        let paid = payout(
            request.cum_ether - prev.cum_ether,
            request.cum_shares - prev.cum_shares,
            checkpoint.rate,
        )?;
        request.owner = 0;
        self.requests.setter(id).set(request.pack()?);
        entry.balance -= 1; // the owner holds this NFT
        self.owners.setter(owner).set(entry.pack());
        fin.locked -= paid; // finalization locked exactly this much for it
        events::claimed(id, owner, recipient, U256::from(paid));
        Ok(paid)
    }
}
