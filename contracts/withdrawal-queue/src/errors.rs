//! The queue's errors: the `error`s of `abi/IWithdrawalQueue.sol`, each carrying what a caller
//! needs to act on it, and the `Error` enum `staking_interface::interface!` generates from them
//! (its revert data, compact, and a generated test against alloy's encoding). ERC-721 failures
//! use the EIP-6093 names OpenZeppelin uses. Every error leaves state unchanged: the whole call
//! reverts.
//!
//! Errors the pool raises while a request moves the caller's tokens (`ERC20InsufficientAllowance`,
//! `ERC20InsufficientBalance`, `TokenIsPaused`) reach the caller unchanged ([`Error::Callee`]).

use staking_math::MathError;

pub use crate::interface::*;

impl From<MathError> for Error {
    fn from(_: MathError) -> Self {
        Error::MathOverflow(MathOverflow {})
    }
}
