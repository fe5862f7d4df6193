//! The pool's errors: the `error`s of `abi/IStakingPool.sol`, each carrying what a caller needs
//! to act on it, and the `Error` enum `staking_interface::interface!` generates from them (its
//! revert data, compact, and a generated test against alloy's encoding). Both programs encode
//! every error of the file.
//!
//! Names follow EIP-6093 where the ERC-20 standard has one (`ERC20InsufficientBalance`, ...).
//! Every error leaves state unchanged: the whole call reverts. Revert data of a contract the
//! pool called (the queue, the registry, ArbSys) reaches the caller unchanged
//! ([`Error::Callee`]).

use alloy_primitives::U256;
use staking_math::{MathError, SanityError, StakeLimitError};

pub use crate::interface::*;

/// A failed sanity check, as the extension's error that names its limit and the value reached.
impl From<SanityError> for Error {
    fn from(e: SanityError) -> Self {
        fn u(x: impl Into<u64>) -> U256 {
            U256::from(x.into())
        }
        match e {
            SanityError::ClBalanceIncrease { limit_bp, annual_bp } => {
                Error::IncorrectCLBalanceIncrease(IncorrectCLBalanceIncrease {
                    limitBP: u(limit_bp),
                    annualBP: annual_bp,
                })
            }
            SanityError::ClBalanceDecrease { limit_bp, window_bp } => {
                Error::IncorrectCLBalanceDecrease(IncorrectCLBalanceDecrease {
                    limitBP: u(limit_bp),
                    windowBP: window_bp,
                })
            }
            SanityError::PositiveRebase { limit, actual } => {
                Error::IncorrectPositiveRebase(IncorrectPositiveRebase { limit: u(limit), actual })
            }
            SanityError::SimulatedShareRate { limit_bp, simulated, actual, .. } => {
                Error::IncorrectSimulatedShareRate(IncorrectSimulatedShareRate {
                    limitBP: u(limit_bp),
                    simulated,
                    actual,
                })
            }
            SanityError::AppearedValidators { limit_per_day, appeared, .. } => {
                Error::IncorrectAppearedValidators(IncorrectAppearedValidators {
                    limitPerDay: u(limit_per_day),
                    appeared: u(appeared),
                })
            }
            SanityError::RequestFinalization { request_timestamp, margin, report_timestamp } => {
                Error::IncorrectRequestFinalization(IncorrectRequestFinalization {
                    requestTimestamp: u(request_timestamp),
                    margin: u(margin),
                    reportTimestamp: u(report_timestamp),
                })
            }
            SanityError::WithdrawalsAndRewards { claimed, available } => {
                Error::IncorrectWithdrawalsAndRewards(IncorrectWithdrawalsAndRewards {
                    claimed,
                    available,
                })
            }
            SanityError::SharesToBurn { requested, available } => {
                Error::IncorrectSharesRequestedToBurn(IncorrectSharesRequestedToBurn {
                    requested,
                    available,
                })
            }
            // Checked by the oracle, never by the pool.
            SanityError::ExitedValidators { .. } => Error::MathOverflow(MathOverflow {}),
        }
    }
}

impl From<MathError> for Error {
    fn from(_: MathError) -> Self {
        Error::MathOverflow(MathOverflow {})
    }
}

impl From<StakeLimitError> for Error {
    fn from(e: StakeLimitError) -> Self {
        match e {
            StakeLimitError::ExceedsLimit { requested, remaining } => {
                Error::StakeLimitExceeded(StakeLimitExceeded {
                    requested: U256::from(requested),
                    remaining: U256::from(remaining),
                })
            }
            StakeLimitError::InvalidLimit | StakeLimitError::BlockOverflow => {
                Error::MathOverflow(MathOverflow {})
            }
        }
    }
}
