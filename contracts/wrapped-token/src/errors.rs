//! The wrapped token's errors: the `error`s of `abi/IWrappedToken.sol` and the [`Error`] enum
//! `staking_interface::interface!` generates from them (one variant per error, named as in the
//! file, plus `Callee`: the pool's revert data passed up unchanged). Every error leaves state
//! unchanged: the whole call reverts.
//!
//! The ERC-20 and ERC-2612 errors carry OpenZeppelin's signatures, so tools that decode them
//! keep working.

pub use crate::interface::*;
