//! The AccessManager's errors, as Solidity custom errors in one [`Error`] enum.
//!
//! The role errors carry OpenZeppelin `AccessControl`'s signatures, so tools that decode
//! `AccessControlUnauthorizedAccount(address,bytes32)` keep working. Targets that ask the
//! manager through `authorizeCall` bubble this revert data up to their callers.
//!
//! Encoding: `#[derive(SolidityError)]` expands into one ABI encoder per variant (about 4 KB
//! of wasm here), so the wasm build encodes with [`Error::encode`] (selector and 32-byte words,
//! `staking_common::abi`). Native builds (tests, `export-abi`) keep the derive: it lists the
//! errors in the exported ABI, and the tests check both encodings agree for every variant.

use alloc::vec::Vec;

use alloy_sol_types::{sol, SolError};
use staking_common::abi::{encode_error, Word};

use crate::words::{bytes4, uint};
#[cfg(any(test, feature = "export-abi"))]
use stylus_sdk::prelude::*;

sol! {
    /// `account` lacks `neededRole` (OpenZeppelin `AccessControl` signature).
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);

    /// `renounceRole` was called with a confirmation other than the caller (OpenZeppelin
    /// `AccessControl` signature).
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    error AccessControlBadConfirmation();

    /// The constructor already ran (SDK guard word set).
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    error AlreadyInitialized();

    /// The constructor was given the zero address as the admin.
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    error InvalidAdmin(address admin);

    /// A delay above `MAX_DELAY` (30 days) was requested.
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    error DelayTooLong(uint32 delay, uint32 max);

    /// The call data is shorter than a 4-byte function selector.
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    error InvalidCalldata();

    /// No operation with this id is pending (never scheduled, or executed or canceled).
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    error OperationNotScheduled(bytes32 operationId);

    /// The operation is pending but its delay has not elapsed: it can run from `readyAt` on.
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    error OperationNotReady(bytes32 operationId, uint64 readyAt);

    /// The function `selector` of `target` has no delay: it is called directly, not scheduled.
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    error OperationNotDelayed(address target, bytes4 selector);

    /// The same operation (caller, target, call data) is already pending.
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    error OperationAlreadyScheduled(bytes32 operationId);

    /// The operation was ready but not run in time: it could run until `expiredAt`
    /// (`readyAt + OPERATION_EXPIRATION`, one week) and is now expired. Schedule it again.
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    error OperationExpired(bytes32 operationId, uint64 expiredAt);

    /// A timepoint (`now + delay`) does not fit in 64 bits.
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    error TimestampOverflow();
}

/// Every way an AccessManager call can revert.
#[cfg_attr(any(test, feature = "export-abi"), derive(SolidityError))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// `account` lacks `neededRole` (role checks, `authorizeCall`, `cancel` by a stranger).
    UnauthorizedAccount(AccessControlUnauthorizedAccount),
    /// `renounceRole` was called with a confirmation other than the caller.
    BadConfirmation(AccessControlBadConfirmation),
    /// The constructor already ran (SDK guard word set).
    AlreadyInitialized(AlreadyInitialized),
    /// The constructor was given the zero address.
    InvalidAdmin(InvalidAdmin),
    /// The requested delay is above the maximum.
    DelayTooLong(DelayTooLong),
    /// The call data has no 4-byte selector.
    InvalidCalldata(InvalidCalldata),
    /// The operation is not pending.
    OperationNotScheduled(OperationNotScheduled),
    /// The operation's delay has not elapsed.
    OperationNotReady(OperationNotReady),
    /// The function has no delay, so there is nothing to schedule.
    OperationNotDelayed(OperationNotDelayed),
    /// The operation is already pending.
    OperationAlreadyScheduled(OperationAlreadyScheduled),
    /// The operation is past its expiration.
    OperationExpired(OperationExpired),
    /// `now + delay` overflowed 64 bits.
    TimestampOverflow(TimestampOverflow),
}

impl Error {
    /// The ABI-encoded revert data: selector, then one word per field.
    #[must_use]
    pub fn encode(self) -> Vec<u8> {
        match self {
            Error::UnauthorizedAccount(e) => encode_error(
                AccessControlUnauthorizedAccount::SELECTOR,
                &[e.account.word(), e.neededRole],
            ),
            Error::BadConfirmation(_) => encode_error(AccessControlBadConfirmation::SELECTOR, &[]),
            Error::AlreadyInitialized(_) => encode_error(AlreadyInitialized::SELECTOR, &[]),
            Error::InvalidAdmin(e) => encode_error(InvalidAdmin::SELECTOR, &[e.admin.word()]),
            Error::DelayTooLong(e) => {
                encode_error(DelayTooLong::SELECTOR, &[uint(e.delay.into()), uint(e.max.into())])
            }
            Error::InvalidCalldata(_) => encode_error(InvalidCalldata::SELECTOR, &[]),
            Error::OperationNotScheduled(e) => {
                encode_error(OperationNotScheduled::SELECTOR, &[e.operationId])
            }
            Error::OperationNotReady(e) => {
                encode_error(OperationNotReady::SELECTOR, &[e.operationId, uint(e.readyAt)])
            }
            Error::OperationNotDelayed(e) => {
                encode_error(OperationNotDelayed::SELECTOR, &[e.target.word(), bytes4(e.selector)])
            }
            Error::OperationAlreadyScheduled(e) => {
                encode_error(OperationAlreadyScheduled::SELECTOR, &[e.operationId])
            }
            Error::OperationExpired(e) => {
                encode_error(OperationExpired::SELECTOR, &[e.operationId, uint(e.expiredAt)])
            }
            Error::TimestampOverflow(_) => encode_error(TimestampOverflow::SELECTOR, &[]),
        }
    }
}

#[cfg(not(any(test, feature = "export-abi")))]
impl From<Error> for Vec<u8> {
    fn from(error: Error) -> Self {
        error.encode()
    }
}
