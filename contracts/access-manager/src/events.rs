//! The AccessManager's events. The role events carry OpenZeppelin `AccessControl`'s
//! signatures (same topics), so indexers built for it keep working.

use alloy_sol_types::sol;

sol! {
    /// `account` was granted `role` by `sender` (OpenZeppelin `AccessControl` signature).
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);

    /// `account` lost `role`, revoked (or renounced) by `sender` (OpenZeppelin signature).
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);

    /// The admin of `role` changed from `previousAdminRole` to `newAdminRole` (OpenZeppelin
    /// signature). Not emitted for the implicit initial admin, `DEFAULT_ADMIN_ROLE`.
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole);

    /// The delay of function `selector` of `target` becomes `delay` seconds at `effectAt`
    /// (the current timestamp for an increase; now + the old delay for a decrease).
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    event TargetFunctionDelayUpdated(address indexed target, bytes4 indexed selector, uint32 delay, uint64 effectAt);

    /// `caller` scheduled the call `data` on `target`; `authorizeCall` accepts it from `readyAt`.
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    event OperationScheduled(bytes32 indexed operationId, address indexed caller, address indexed target, bytes data, uint64 readyAt);

    /// A scheduled operation was authorized (and consumed) by its target.
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    event OperationExecuted(bytes32 indexed operationId, address indexed caller, address indexed target);

    /// A scheduled operation was canceled by its caller or a guardian.
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    event OperationCanceled(bytes32 indexed operationId);
}

// ----- Emission ------------------------------------------------------------------------------
//
// Each event is logged as static words through `staking_common::host::log_words` (one small
// function for all events, where alloy's generic encoder is instantiated per event type).
// The motsu tests assert the `sol!` events above, which checks these encodings against alloy.

use alloc::vec::Vec;

use alloy_primitives::{aliases::B32, Address, B256};
use alloy_sol_types::SolEvent;
use staking_common::{abi::Word, host::log_words};

use crate::words::{bytes4, bytes_tail, uint};

/// Logs [`RoleGranted`].
pub(crate) fn role_granted(role: B256, account: Address, sender: Address) {
    log_words(&[RoleGranted::SIGNATURE_HASH, role, account.word(), sender.word()], &[]);
}

/// Logs [`RoleRevoked`].
pub(crate) fn role_revoked(role: B256, account: Address, sender: Address) {
    log_words(&[RoleRevoked::SIGNATURE_HASH, role, account.word(), sender.word()], &[]);
}

/// Logs [`RoleAdminChanged`].
pub(crate) fn role_admin_changed(role: B256, previous: B256, new: B256) {
    log_words(&[RoleAdminChanged::SIGNATURE_HASH, role, previous, new], &[]);
}

/// Logs [`TargetFunctionDelayUpdated`].
pub(crate) fn target_function_delay_updated(
    target: Address,
    selector: B32,
    delay: u32,
    effect_at: u64,
) {
    log_words(
        &[TargetFunctionDelayUpdated::SIGNATURE_HASH, target.word(), bytes4(selector)],
        &[uint(delay.into()), uint(effect_at)],
    );
}

/// Logs [`OperationScheduled`]; its data is `(bytes data, uint64 readyAt)`: the offset of
/// `data` (0x40), `readyAt`, then `data`'s length and padded bytes.
pub(crate) fn operation_scheduled(
    id: B256,
    caller: Address,
    target: Address,
    data: &[u8],
    ready_at: u64,
) {
    let mut words: Vec<B256> = Vec::with_capacity(3 + data.len().div_ceil(32));
    words.push(uint(0x40));
    words.push(uint(ready_at));
    words.extend(bytes_tail(data));
    log_words(&[OperationScheduled::SIGNATURE_HASH, id, caller.word(), target.word()], &words);
}

/// Logs [`OperationExecuted`].
pub(crate) fn operation_executed(id: B256, caller: Address, target: Address) {
    log_words(&[OperationExecuted::SIGNATURE_HASH, id, caller.word(), target.word()], &[]);
}

/// Logs [`OperationCanceled`].
pub(crate) fn operation_canceled(id: B256) {
    log_words(&[OperationCanceled::SIGNATURE_HASH, id], &[]);
}
