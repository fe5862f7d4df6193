//! The queue's events: every state change emits one. The NFT side follows ERC-721 (`Transfer`,
//! `Approval`, `ApprovalForAll`) and ERC-4906 (`BatchMetadataUpdate` when a range is
//! finalized, since the metadata shows the status).
#![allow(missing_docs)]

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolEvent};
use staking_common::{abi::Word, host::log_words};

sol! {
    /// A request of `amountOfStETH` (the `amountOfShares` moved into the queue) by `requestor`,
    /// its NFT minted to `owner`.
    #[derive(Debug, PartialEq)]
    event WithdrawalRequested(uint256 indexed requestId, address indexed requestor, address indexed owner, uint256 amountOfStETH, uint256 amountOfShares);
    /// Requests `from..=to` finalized: `amountOfETHLocked` held for them, `sharesToBurn` to be
    /// burned by the pool, at `maxShareRate` (1e27 precision).
    #[derive(Debug, PartialEq)]
    event WithdrawalsFinalized(uint256 indexed from, uint256 indexed to, uint256 amountOfETHLocked, uint256 sharesToBurn, uint256 maxShareRate, uint256 timestamp);
    /// Request `requestId` claimed by its `owner`; `amountOfETH` sent to `receiver`.
    #[derive(Debug, PartialEq)]
    event WithdrawalClaimed(uint256 indexed requestId, address indexed owner, address indexed receiver, uint256 amountOfETH);
    /// ERC-721 transfer, mint (`from` = 0) or burn on claim (`to` = 0).
    #[derive(Debug, PartialEq)]
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    /// ERC-721 approval of one token.
    #[derive(Debug, PartialEq)]
    event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);
    /// ERC-721 operator approval.
    #[derive(Debug, PartialEq)]
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);
    /// ERC-4906: the metadata of tokens `_fromTokenId..=_toTokenId` changed.
    #[derive(Debug, PartialEq)]
    event BatchMetadataUpdate(uint256 _fromTokenId, uint256 _toTokenId);
    /// The queue was initialized.
    #[derive(Debug, PartialEq)]
    event Initialized(address pool, address accessManager, address extension);
    /// Requests and finalization paused.
    #[derive(Debug, PartialEq)]
    event Paused(address indexed by);
    /// Requests and finalization resumed.
    #[derive(Debug, PartialEq)]
    event Resumed(address indexed by);
    /// Bunker mode switched on or off.
    #[derive(Debug, PartialEq)]
    event BunkerModeSet(bool active);
    /// Request bounds set (wei).
    #[derive(Debug, PartialEq)]
    event RequestBoundsSet(uint256 min, uint256 max);
    /// Minimum age (seconds) a request needs before it can be finalized.
    #[derive(Debug, PartialEq)]
    event MinFinalizationDelaySet(uint256 delay);
    /// NFT base URI set.
    #[derive(Debug, PartialEq)]
    event BaseURISet(string baseURI);
}

/// `WithdrawalRequested` then the NFT's mint `Transfer(0, owner, id)`.
pub(crate) fn requested(id: U256, requestor: Address, owner: Address, ether: U256, shares: U256) {
    log_words(
        &[WithdrawalRequested::SIGNATURE_HASH, id.word(), requestor.word(), owner.word()],
        &[ether.word(), shares.word()],
    );
    transfer(Address::ZERO, owner, id);
}

/// ERC-721 `Transfer(from, to, id)`.
pub(crate) fn transfer(from: Address, to: Address, id: U256) {
    log_words(&[Transfer::SIGNATURE_HASH, from.word(), to.word(), id.word()], &[]);
}

/// ERC-721 `Approval(owner, approved, id)`.
pub(crate) fn approval(owner: Address, approved: Address, id: U256) {
    log_words(&[Approval::SIGNATURE_HASH, owner.word(), approved.word(), id.word()], &[]);
}

/// ERC-721 `ApprovalForAll(owner, operator, approved)`.
pub(crate) fn approval_for_all(owner: Address, operator: Address, approved: bool) {
    log_words(&[ApprovalForAll::SIGNATURE_HASH, owner.word(), operator.word()], &[approved.word()]);
}

/// `WithdrawalsFinalized` then `BatchMetadataUpdate(from, to)`.
pub(crate) fn finalized(from: U256, to: U256, ether: U256, shares: U256, rate: U256, time: U256) {
    log_words(
        &[WithdrawalsFinalized::SIGNATURE_HASH, from.word(), to.word()],
        &[ether.word(), shares.word(), rate.word(), time.word()],
    );
    log_words(&[BatchMetadataUpdate::SIGNATURE_HASH], &[from.word(), to.word()]);
}

/// `WithdrawalClaimed` then the NFT's burn `Transfer(owner, 0, id)`.
pub(crate) fn claimed(id: U256, owner: Address, receiver: Address, ether: U256) {
    log_words(
        &[WithdrawalClaimed::SIGNATURE_HASH, id.word(), owner.word(), receiver.word()],
        &[ether.word()],
    );
    transfer(owner, Address::ZERO, id);
}

/// An event whose fields are all unindexed words.
pub(crate) fn words(signature: B256, data: &[B256]) {
    log_words(&[signature], data);
}

/// An event whose only field is the indexed caller (`Paused(by)`, `Resumed(by)`).
pub(crate) fn by(signature: B256, caller: Address) {
    log_words(&[signature, caller.word()], &[]);
}
