//! The views wallets, frontends and bots read, and small helpers of the public surface.

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, U256};

use crate::{
    errors::{ArrayLengthMismatch, Error, InvalidRequestId, InvalidShareRate},
    finalization::payout,
    storage::{Final, Owner, Queue, Request, NOMINAL_RATE},
    WithdrawalQueue,
};

/// A share-rate argument: non-zero and below 2^96 - 1.
pub(crate) fn rate_arg(rate: U256) -> Result<u128, Error> {
    match u128::try_from(rate) {
        Ok(r) if r != 0 && r < NOMINAL_RATE => Ok(r),
        _ => Err(Error::InvalidShareRate(InvalidShareRate { maxShareRate: rate })),
    }
}

pub(crate) fn length_mismatch(ids: &[U256], hints: &[U256]) -> Error {
    Error::ArrayLengthMismatch(ArrayLengthMismatch {
        ids: U256::from(ids.len()),
        hints: U256::from(hints.len()),
    })
}

/// `base ‖ decimal(id)` (ids are below 2^32).
pub(crate) fn with_decimal(mut base: String, id: u32) -> String {
    let mut digits = [0u8; 10];
    let mut n = id;
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        base.push(char::from(d));
    }
    base
}

/// One `getWithdrawalStatus` entry: `(amountOfStETH, amountOfShares, owner, timestamp,
/// isFinalized, isClaimed)`.
pub type Status = (U256, U256, Address, U256, bool, bool);

impl WithdrawalQueue {
    fn existing(&self, queue: &Queue, id: U256) -> Result<(u32, Request), Error> {
        match u32::try_from(id) {
            Ok(n) if n != 0 && n <= queue.last_request_id => {
                Ok((n, Request::unpack(self.requests.get(id))))
            }
            _ => Err(Error::InvalidRequestId(InvalidRequestId { requestId: id })),
        }
    }

    /// `getWithdrawalRequests`.
    pub(crate) fn requests_of(&self, owner: Address) -> Vec<U256> {
        let entry = Owner::unpack(self.owners.get(owner));
        let mut found = Vec::with_capacity(entry.balance as usize);
        if owner.is_zero() || entry.balance == 0 {
            return found;
        }
        let mut id = Queue::unpack(self.queue.get()).last_request_id;
        while id > 0 && found.len() < entry.balance as usize {
            if Request::unpack(self.requests.get(U256::from(id))).owner == entry.index {
                found.push(U256::from(id));
            }
            id -= 1;
        }
        found.reverse();
        found
    }

    /// `getWithdrawalStatus`.
    pub(crate) fn statuses(&self, ids: &[U256]) -> Result<Vec<Status>, Error> {
        let queue = Queue::unpack(self.queue.get());
        let fin = Final::unpack(self.fin.get());
        let mut out = Vec::with_capacity(ids.len());
        for &id in ids {
            let (n, request) = self.existing(&queue, id)?;
            if request.owner == 0 {
                // Claimed: its totals may be pruned (see `claims`), so no amounts.
                let time = U256::from(request.timestamp);
                out.push((U256::ZERO, U256::ZERO, Address::ZERO, time, true, true));
                continue;
            }
            let prev = self.request_at(n - 1);
            out.push((
                U256::from(request.cum_ether - prev.cum_ether),
                U256::from(request.cum_shares - prev.cum_shares),
                self.owner_by_index.get(U256::from(request.owner)),
                U256::from(request.timestamp),
                n <= fin.last_finalized,
                false,
            ));
        }
        Ok(out)
    }

    /// `getClaimableEther`.
    pub(crate) fn claimable(&self, ids: &[U256], hints: &[U256]) -> Result<Vec<U256>, Error> {
        if ids.len() != hints.len() {
            return Err(length_mismatch(ids, hints));
        }
        let queue = Queue::unpack(self.queue.get());
        let fin = Final::unpack(self.fin.get());
        let mut out = Vec::with_capacity(ids.len());
        for (&id, &hint) in ids.iter().zip(hints) {
            let (n, request) = self.existing(&queue, id)?;
            if n > fin.last_finalized || request.owner == 0 {
                out.push(U256::ZERO);
                continue;
            }
            let checkpoint = self.checkpoint_for(&fin, n, Some(hint))?;
            let prev = self.request_at(n - 1);
            let paid = payout(
                request.cum_ether - prev.cum_ether,
                request.cum_shares - prev.cum_shares,
                checkpoint.rate,
            )?;
            out.push(U256::from(paid));
        }
        Ok(out)
    }

    /// `findCheckpointHints`.
    pub(crate) fn hints(&self, ids: &[U256], first: U256, last: U256) -> Vec<U256> {
        let fin = Final::unpack(self.fin.get());
        let first = u32::try_from(first).unwrap_or(u32::MAX);
        let last = u32::try_from(last).unwrap_or(u32::MAX);
        ids.iter()
            .map(|&id| {
                let n = u32::try_from(id).unwrap_or(u32::MAX);
                U256::from(self.find_checkpoint(&fin, n, first, last))
            })
            .collect()
    }
}
