//! The pool's events. Every state change emits one; token moves emit both `Transfer` (ether
//! amount, ERC-20) and `TransferShares` (the exact share amount), as integrators of rebasing
//! tokens need both.
//!
//! The extension program's events (`TokenRebased`, `ETHDistributed`, `CLValidatorsUpdated`,
//! `OracleSet`, `FeeConfigSet`) are those of `abi/IStakingPoolExtension.sol`, re-exported here.
#![allow(missing_docs)]

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolEvent};
use staking_common::{abi::Word, host::log_words};

pub use crate::abi::IStakingPoolExtension::{
    CLValidatorsUpdated, ETHDistributed, FeeConfigSet, OracleSet, TokenRebased,
};

sol! {
    /// ERC-20 transfer; `value` is in ether (the rebasing balance unit).
    #[derive(Debug, PartialEq)]
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// ERC-20 approval; `value` is the new allowance in ether.
    #[derive(Debug, PartialEq)]
    event Approval(address indexed owner, address indexed spender, uint256 value);
    /// The exact shares moved by a transfer, a mint (`from` = 0) or a burn (`to` = 0).
    #[derive(Debug, PartialEq)]
    event TransferShares(address indexed from, address indexed to, uint256 sharesValue);
    /// A deposit of `amount` wei by `sender`, with an optional `referral`.
    #[derive(Debug, PartialEq)]
    event Submitted(address indexed sender, uint256 amount, address referral);
    /// The pool was initialized with its AccessManager and the bootstrap shares held by the dead address.
    #[derive(Debug, PartialEq)]
    event Initialized(address accessManager, uint256 bootstrapEther, uint256 bootstrapShares);
    /// Deposits paused.
    #[derive(Debug, PartialEq)]
    event StakingPaused(address indexed by);
    /// Deposits resumed.
    #[derive(Debug, PartialEq)]
    event StakingResumed(address indexed by);
    /// Stake limit set: at most `maxStakeLimit` wei at once, regrowing `stakeLimitIncreasePerBlock` per block.
    #[derive(Debug, PartialEq)]
    event StakingLimitSet(uint256 maxStakeLimit, uint256 stakeLimitIncreasePerBlock);
    /// Stake limit removed: deposits are unlimited (while staking is not paused).
    #[derive(Debug, PartialEq)]
    event StakingLimitRemoved();
    /// The whole token paused: no deposits and no transfers.
    #[derive(Debug, PartialEq)]
    event TokenPaused(address indexed by);
    /// The token resumed.
    #[derive(Debug, PartialEq)]
    event TokenResumed(address indexed by);
    /// `amount` left the buffer for validator deposits; the pool has funded
    /// `depositedValidators` validators in all.
    #[derive(Debug, PartialEq)]
    event Unbuffered(uint256 amount, uint256 depositedValidators);
    /// The withdrawal queue (whose unfinalized requests keep their ether in the buffer) and the
    /// node operator registry (which makes the validator deposits) were set. (The extension
    /// program is set by the constructor and replaced only by `upgradeExtension`.)
    #[derive(Debug, PartialEq)]
    event ProtocolContractsSet(address withdrawalQueue, address nodeOperatorRegistry);
}

// Emitters: one small function per shape, all through `log_words` (see its doc for why).
// The motsu tests assert every event against the `sol!` types above.

/// `Transfer(from, to, value)` then `TransferShares(from, to, shares)`.
pub(crate) fn token_moved(from: Address, to: Address, value: U256, shares: U256) {
    log_words(&[Transfer::SIGNATURE_HASH, from.word(), to.word()], &[value.word()]);
    log_words(&[TransferShares::SIGNATURE_HASH, from.word(), to.word()], &[shares.word()]);
}

/// `Approval(owner, spender, value)`.
pub(crate) fn approval(owner: Address, spender: Address, value: U256) {
    log_words(&[Approval::SIGNATURE_HASH, owner.word(), spender.word()], &[value.word()]);
}

/// `Submitted(sender, amount, referral)`.
pub(crate) fn submitted(sender: Address, amount: U256, referral: Address) {
    log_words(&[Submitted::SIGNATURE_HASH, sender.word()], &[amount.word(), referral.word()]);
}

/// `Initialized(accessManager, bootstrapEther, bootstrapShares)`.
pub(crate) fn initialized(manager: Address, ether: U256, shares: U256) {
    log_words(&[Initialized::SIGNATURE_HASH], &[manager.word(), ether.word(), shares.word()]);
}

/// `StakingLimitSet(max, increasePerBlock)`.
pub(crate) fn staking_limit_set(max: U256, per_block: U256) {
    log_words(&[StakingLimitSet::SIGNATURE_HASH], &[max.word(), per_block.word()]);
}

/// An event with no fields (`StakingLimitRemoved`).
pub(crate) fn bare(signature: B256) {
    log_words(&[signature], &[]);
}

/// An event whose only field is the indexed caller (`StakingPaused(by)`, `TokenPaused(by)`...).
pub(crate) fn by(signature: B256, caller: Address) {
    log_words(&[signature, caller.word()], &[]);
}

/// `Unbuffered(amount, depositedValidators)`.
pub(crate) fn unbuffered(amount: U256, deposited_validators: U256) {
    log_words(&[Unbuffered::SIGNATURE_HASH], &[amount.word(), deposited_validators.word()]);
}

/// `ProtocolContractsSet(withdrawalQueue, nodeOperatorRegistry)`.
pub(crate) fn protocol_contracts_set(queue: Address, registry: Address) {
    log_words(&[ProtocolContractsSet::SIGNATURE_HASH], &[queue.word(), registry.word()]);
}

// ---------------------------------------------------------------------- extension program

/// An event whose fields are all static words, none indexed (`OracleSet`, `FeeConfigSet`).
pub(crate) fn plain(signature: B256, data: &[B256]) {
    log_words(&[signature], data);
}

/// An event indexed by the report's timestamp (`TokenRebased`, `ETHDistributed`,
/// `CLValidatorsUpdated`).
pub(crate) fn at_report(signature: B256, report_timestamp: U256, data: &[B256]) {
    log_words(&[signature, report_timestamp.word()], data);
}
