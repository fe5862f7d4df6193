//! The registry's errors: the `error`s of `abi/INodeOperatorRegistry.sol`, one per failure, each
//! carrying what a caller needs to act on it, and the `Error` enum `staking_interface::interface!`
//! generates from them (its revert data, compact, and a generated test against alloy's
//! encoding). Every error leaves state unchanged: the whole call reverts.
//!
//! What a contract the registry calls reverts with (the pool's `transferShares`) reaches the
//! caller unchanged ([`Error::Callee`]).

use staking_math::MathError;

pub use crate::interface::*;

impl From<MathError> for Error {
    fn from(_: MathError) -> Self {
        overflow()
    }
}

/// `MathOverflow`.
pub(crate) fn overflow() -> Error {
    Error::MathOverflow(MathOverflow {})
}
