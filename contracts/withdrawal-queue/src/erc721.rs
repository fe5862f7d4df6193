//! The ERC-721 side of the requests: each request is an NFT whose owner may claim it.
//!
//! Written over the queue's own storage rather than OpenZeppelin's `Erc721`: OpenZeppelin keeps
//! an owner per token in a slot of its own, but every request already stores its owner (as an
//! index into the owner table, 4 bytes of the request's one slot), so a second owner table
//! would cost each request a fresh slot, 22,100 gas, which is the request's whole gas budget
//! above Lido's target (DESIGN.md, "Libraries versus gas"). The behaviour follows
//! OpenZeppelin's `Erc721` (same checks in the same order, same EIP-6093 errors and events);
//! the tests hold the two side by side.
//!
//! - `ownerOf`: the request's owner index resolved through `owner_by_index`; a claimed
//!   (burned) or never-minted id is `ERC721NonexistentToken`.
//! - `balanceOf`: kept in the owner's entry beside its index.
//! - Approvals of one token are cleared on transfer. A burn (claim) leaves the approval slot
//!   as it is: ids are never reused and a burned token does not exist, so the stale approval
//!   can never be read or used, and the claim saves a storage access.

use alloy_primitives::{Address, U256};

use crate::{
    access::{call, received_data, RECEIVED},
    errors::{
        ERC721IncorrectOwner, ERC721InsufficientApproval, ERC721InvalidApprover,
        ERC721InvalidOperator, ERC721InvalidOwner, ERC721InvalidReceiver, ERC721NonexistentToken,
        Error,
    },
    events,
    storage::{Owner, Request},
    WithdrawalQueue,
};

/// ERC-165 interface ids: ERC-165, ERC-721, ERC-721 metadata, ERC-4906.
pub(crate) const INTERFACES: [[u8; 4]; 4] = [
    [0x01, 0xff, 0xc9, 0xa7],
    [0x80, 0xac, 0x58, 0xcd],
    [0x5b, 0x5e, 0x13, 0x9f],
    [0x49, 0x06, 0x49, 0x06],
];

fn nonexistent(id: U256) -> Error {
    Error::ERC721NonexistentToken(ERC721NonexistentToken { tokenId: id })
}

impl WithdrawalQueue {
    /// The request behind a live token and its owner, or `ERC721NonexistentToken`.
    pub(crate) fn token(&self, id: U256) -> Result<(Request, Address), Error> {
        // Ids never issued (0, beyond the last) and pruned ones read as zero: owner index 0.
        let request = Request::unpack(self.requests.get(id));
        if request.owner == 0 {
            return Err(nonexistent(id));
        }
        Ok((request, self.owner_by_index.get(U256::from(request.owner))))
    }

    /// ERC-721 `balanceOf`.
    pub(crate) fn nft_balance(&self, owner: Address) -> Result<U256, Error> {
        if owner.is_zero() {
            return Err(Error::ERC721InvalidOwner(ERC721InvalidOwner { owner }));
        }
        Ok(U256::from(Owner::unpack(self.owners.get(owner)).balance))
    }

    /// Whether `spender` may move or claim `owner`'s token `id`.
    pub(crate) fn is_authorized(&self, owner: Address, spender: Address, id: U256) -> bool {
        spender == owner
            || self.operators.getter(owner).get(spender)
            || self.token_approvals.get(id) == spender
    }

    /// ERC-721 `approve`: the owner or one of its operators.
    pub(crate) fn approve_token(
        &mut self,
        caller: Address,
        to: Address,
        id: U256,
    ) -> Result<(), Error> {
        let (_, owner) = self.token(id)?;
        if caller != owner && !self.operators.getter(owner).get(caller) {
            return Err(Error::ERC721InvalidApprover(ERC721InvalidApprover { approver: caller }));
        }
        self.token_approvals.setter(id).set(to);
        events::emit::Approval(owner, to, id);
        Ok(())
    }

    /// ERC-721 `setApprovalForAll`.
    pub(crate) fn set_operator(
        &mut self,
        owner: Address,
        operator: Address,
        approved: bool,
    ) -> Result<(), Error> {
        if operator.is_zero() {
            return Err(Error::ERC721InvalidOperator(ERC721InvalidOperator { operator }));
        }
        self.operators.setter(owner).setter(operator).set(approved);
        events::emit::ApprovalForAll(owner, operator, approved);
        Ok(())
    }

    /// ERC-721 `transferFrom` (checks in OpenZeppelin's order).
    pub(crate) fn transfer_token(
        &mut self,
        caller: Address,
        from: Address,
        to: Address,
        id: U256,
    ) -> Result<(), Error> {
        if to.is_zero() {
            return Err(Error::ERC721InvalidReceiver(ERC721InvalidReceiver { receiver: to }));
        }
        let (mut request, owner) = self.token(id)?;
        if !self.is_authorized(owner, caller, id) {
            return Err(Error::ERC721InsufficientApproval(ERC721InsufficientApproval {
                operator: caller,
                tokenId: id,
            }));
        }
        if owner != from {
            return Err(Error::ERC721IncorrectOwner(ERC721IncorrectOwner {
                sender: from,
                tokenId: id,
                owner,
            }));
        }
        if !self.token_approvals.get(id).is_zero() {
            self.token_approvals.setter(id).set(Address::ZERO);
        }
        let mut sender = Owner::unpack(self.owners.get(from));
        sender.balance -= 1; // from owns `id`, so its balance is at least 1
        self.owners.setter(from).set(sender.pack());
        let mut receiver = self.owner_entry(to)?;
        receiver.balance = receiver.balance.checked_add(1).ok_or_else(crate::overflow)?;
        self.owners.setter(to).set(receiver.pack());
        request.owner = receiver.index;
        self.requests.setter(id).set(request.pack()?);
        events::emit::Transfer(from, to, id);
        Ok(())
    }

    /// The receiver check of `safeTransferFrom`: a contract must answer `onERC721Received`
    /// with its selector (as a full ABI word). A receiver that reverts or answers otherwise
    /// gets `ERC721InvalidReceiver` (OpenZeppelin would pass a revert reason through).
    pub(crate) fn check_received(
        operator: Address,
        from: Address,
        to: Address,
        id: U256,
        data: &[u8],
    ) -> Result<(), Error> {
        #[allow(deprecated)]
        let has_code = stylus_sdk::types::AddressVM::has_code(&to);
        if !has_code {
            return Ok(());
        }
        match call(to, &received_data(operator, from, id, data)) {
            // An ABI-encoded bytes4: the selector, left-aligned in a full word.
            Ok(answer) if answer.len() >= 32 && answer[..4] == RECEIVED => Ok(()),
            _ => Err(Error::ERC721InvalidReceiver(ERC721InvalidReceiver { receiver: to })),
        }
    }
}
