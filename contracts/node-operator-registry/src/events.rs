//! The registry's events (declared in `abi/INodeOperatorRegistry.sol`): every state change emits
//! one. Logged by hand from the words ([`staking_common::host`]), without alloy's encoder.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolEvent;
use staking_common::{
    abi::Word,
    calldata,
    host::{log_bytes, log_words},
};

pub use crate::abi::INodeOperatorRegistry::{
    DepositsPaused, DepositsResumed, ExitedValidatorsUpdated, GuardianAdded, GuardianQuorumSet,
    GuardianRemoved, Initialized, KeysCommitted, KeysDeposited, KeysRemoved, NonceChanged,
    OperatorActiveSet, OperatorAdded, OperatorNameSet, OperatorRewardAddressSet, RewardsClaimed,
    RewardsDistributed, TargetLimitSet, VettedLimitSet,
};

/// An event with `topics` (the signature first) and static `data` words.
pub(crate) fn emit(topics: &[B256], data: &[B256]) {
    log_words(topics, data);
}

/// `Initialized(pool, depositTarget, accessManager, extension)`.
pub(crate) fn initialized(pool: Address, target: Address, manager: Address, extension: Address) {
    emit(
        &[Initialized::SIGNATURE_HASH],
        &[pool.word(), target.word(), manager.word(), extension.word()],
    );
}

/// An event whose topics are the signature and the indexed operator id, with a `string` (the
/// name) and optional static words after it (`OperatorAdded`, `OperatorNameSet`).
pub(crate) fn with_name(signature: B256, id: u16, name: &str, after: &[B256]) {
    // Head: the string's offset, then the static words; tail: the string.
    let mut data = alloc::vec::Vec::with_capacity(32 * (after.len() + 3) + name.len());
    data.extend_from_slice(U256::from(32 * (1 + after.len())).word().as_slice());
    for w in after {
        data.extend_from_slice(w.as_slice());
    }
    data.extend_from_slice(&calldata::bytes(name.as_bytes())[32..]);
    log_bytes(&[signature, U256::from(id).word()], &data);
}

/// An event with the indexed operator id and static words (`VettedLimitSet`,
/// `OperatorActiveSet`, `KeysCommitted`...).
pub(crate) fn operator(signature: B256, id: u16, data: &[B256]) {
    emit(&[signature, U256::from(id).word()], data);
}
