//! The pool's events: the `event`s of `abi/IStakingPool.sol`, logged by the functions
//! `staking_interface::interface!` generates (`crate::interface::emit`); every state change
//! emits one. Token moves emit both `Transfer` (ether amount, ERC-20) and `TransferShares` (the
//! exact share amount), as integrators of rebasing tokens need both (`token_moved`).

use alloy_primitives::{Address, U256};

pub use crate::interface::abi::IStakingPool::{
    Approval, CLValidatorsUpdated, ETHDistributed, ExtensionUpgraded, FeeConfigSet, Initialized,
    L1EtherReceived, L1VaultSet, OracleSet, PermitProgramSet, ProtocolContractsSet,
    StakingLimitRemoved, StakingLimitSet, StakingPaused, StakingResumed, Submitted, TokenPaused,
    TokenRebased, TokenResumed, Transfer, TransferShares, Unbuffered,
};
pub(crate) use crate::interface::emit;

/// `Transfer(from, to, value)` then `TransferShares(from, to, shares)`.
pub(crate) fn token_moved(from: Address, to: Address, value: U256, shares: U256) {
    emit::Transfer(from, to, value);
    emit::TransferShares(from, to, shares);
}
