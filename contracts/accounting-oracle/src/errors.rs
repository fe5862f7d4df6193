//! The oracle's errors: the `error`s of `abi/IAccountingOracle.sol` (Lido's HashConsensus names
//! where Lido has one), each carrying what a caller needs to act on it, and the `Error` enum
//! `staking_interface::interface!` generates from them (one variant per error, named after it,
//! its revert data encoded compactly, and a generated test against alloy's encoding). Every
//! error is raised before anything is written, so the call that meets it changes nothing.
//! The registry's and the pool's refusals of a report reach the caller unchanged
//! ([`Error::Callee`]).

pub use crate::interface::*;

/// `MathOverflow`: a value does not fit its field.
pub(crate) fn overflow() -> Error {
    Error::MathOverflow(MathOverflow {})
}
