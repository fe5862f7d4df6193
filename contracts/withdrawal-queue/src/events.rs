//! The queue's events: the `event`s of `abi/IWithdrawalQueue.sol`, logged by the functions
//! `staking_interface::interface!` generates (`crate::interface::emit`); every state change
//! emits one. The NFT side follows ERC-721 (`Transfer`, `Approval`, `ApprovalForAll`) and
//! ERC-4906 (`BatchMetadataUpdate` when a range is finalized, since the metadata shows the
//! status). The helpers below log the pairs that always go together.

use alloy_primitives::{Address, U256};

pub use crate::interface::abi::IWithdrawalQueue::{
    Approval, ApprovalForAll, BaseURISet, BatchMetadataUpdate, BunkerModeSet, ExtensionUpgraded,
    Initialized, MinFinalizationDelaySet, Paused, RequestBoundsSet, Resumed, Transfer,
    WithdrawalClaimed, WithdrawalRequested, WithdrawalsFinalized,
};
pub(crate) use crate::interface::emit;

/// `WithdrawalRequested` then the NFT's mint `Transfer(0, owner, id)`.
pub(crate) fn requested(id: U256, requestor: Address, owner: Address, ether: U256, shares: U256) {
    emit::WithdrawalRequested(id, requestor, owner, ether, shares);
    emit::Transfer(Address::ZERO, owner, id);
}

/// `WithdrawalsFinalized` then `BatchMetadataUpdate(from, to)`.
pub(crate) fn finalized(from: U256, to: U256, ether: U256, shares: U256, rate: U256, time: U256) {
    emit::WithdrawalsFinalized(from, to, ether, shares, rate, time);
    emit::BatchMetadataUpdate(from, to);
}

/// `WithdrawalClaimed` then the NFT's burn `Transfer(owner, 0, id)`.
pub(crate) fn claimed(id: U256, owner: Address, receiver: Address, ether: U256) {
    emit::WithdrawalClaimed(id, owner, receiver, ether);
    emit::Transfer(owner, Address::ZERO, id);
}
