//! The pool's errors: one `sol!` error per failure, each carrying what a caller needs to act on it.
//!
//! Names follow EIP-6093 where the ERC-20 standard has one (`ERC20InsufficientBalance`, ...).
//! Every error leaves state unchanged: the whole call reverts.
//!
//! The extension program's errors (report processing and its configuration) are the `error`s
//! of `abi/IStakingPoolExtension.sol`, re-exported here. They are variants of the same
//! [`Error`], but only the extension program encodes them ([`report_error_data`]): the core
//! program never raises them, and their encoders would cost it wasm it does not have.
#![allow(missing_docs)]

use alloc::vec::Vec;
use alloy_primitives::U256;
use alloy_sol_types::sol;
use alloy_sol_types::SolError;
use staking_common::abi::{encode_error, encode_error_with_bytes, Word};
use staking_math::{MathError, SanityError, StakeLimitError};

pub use crate::abi::IStakingPoolExtension::{
    ActualShareRateIsZero, IncorrectAppearedValidators, IncorrectCLBalanceDecrease,
    IncorrectCLBalanceIncrease, IncorrectPositiveRebase, IncorrectReportTimestamp,
    IncorrectReportValidators, IncorrectRequestFinalization, IncorrectSharesRequestedToBurn,
    IncorrectSimulatedShareRate, IncorrectWithdrawalsAndRewards, InvalidAddress, InvalidFeeConfig,
    NotEnoughBufferedEther, NotOracle,
};

sol! {
    /// `deposit` or a plain transfer carried no ether.
    #[derive(Debug, PartialEq)]
    error ZeroDeposit();
    /// The deposit is worth less than one share at the current rate: it would mint nothing.
    #[derive(Debug, PartialEq)]
    error DepositTooSmall(uint256 amount);
    /// The deposit exceeds what the stake limit allows right now.
    #[derive(Debug, PartialEq)]
    error StakeLimitExceeded(uint256 requested, uint256 remaining);
    /// Deposits are paused by the staking-control role.
    #[derive(Debug, PartialEq)]
    error StakingIsPaused();
    /// `pauseStaking` while paused.
    #[derive(Debug, PartialEq)]
    error StakingAlreadyPaused();
    /// `resumeStaking` while not paused.
    #[derive(Debug, PartialEq)]
    error StakingNotPaused();
    /// The token (deposits, transfers) is paused.
    #[derive(Debug, PartialEq)]
    error TokenIsPaused();
    /// `pauseToken` while paused.
    #[derive(Debug, PartialEq)]
    error TokenAlreadyPaused();
    /// `resumeToken` while not paused.
    #[derive(Debug, PartialEq)]
    error TokenNotPaused();
    /// `sender` holds `balance` (ether) but the move needs `needed`.
    #[derive(Debug, PartialEq)]
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    /// `sender` holds `shares` but the move needs `needed` shares.
    #[derive(Debug, PartialEq)]
    error InsufficientShares(address sender, uint256 shares, uint256 needed);
    /// `spender` may move `allowance` but the move needs `needed`.
    #[derive(Debug, PartialEq)]
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    /// Tokens cannot go to the zero address or to the pool itself.
    #[derive(Debug, PartialEq)]
    error ERC20InvalidReceiver(address receiver);
    /// An allowance cannot be given to the zero address.
    #[derive(Debug, PartialEq)]
    error ERC20InvalidSpender(address spender);
    /// `decreaseAllowance` below zero.
    #[derive(Debug, PartialEq)]
    error ERC20FailedDecreaseAllowance(address spender, uint256 allowance, uint256 decrease);
    /// The AccessManager refused `caller` for `role`; `reason` is the manager's own revert data.
    #[derive(Debug, PartialEq)]
    error AccessDenied(address caller, bytes32 role, bytes reason);
    /// The constructor already ran (the SDK's constructor guard word is set).
    #[derive(Debug, PartialEq)]
    error AlreadyInitialized();
    /// The pool is not initialized yet.
    #[derive(Debug, PartialEq)]
    error NotInitialized();
    /// The AccessManager address is zero.
    #[derive(Debug, PartialEq)]
    error InvalidAccessManager();
    /// The bootstrap deposit at initialization is below the minimum.
    #[derive(Debug, PartialEq)]
    error BootstrapTooSmall(uint256 amount, uint256 min);
    /// A stake limit whose maximum is zero or above 2^96-1, or whose regrowth exceeds the maximum.
    #[derive(Debug, PartialEq)]
    error InvalidStakeLimit(uint256 maxStakeLimit, uint256 stakeLimitIncreasePerBlock);
    /// An amount does not fit the packed storage or an intermediate overflowed.
    #[derive(Debug, PartialEq)]
    error MathOverflow();
    /// A guarded function was re-entered.
    #[derive(Debug, PartialEq)]
    error ReentrantCall();
    /// `depositBufferedEther` asked for `requested` wei (a positive number of 32-ether
    /// deposits) but only `depositable` is buffered beyond what unfinalized withdrawals need.
    #[derive(Debug, PartialEq)]
    error NotEnoughDepositableEther(uint256 requested, uint256 depositable);
    /// The withdrawal queue and node operator registry are not set (`setProtocolContracts`).
    #[derive(Debug, PartialEq)]
    error ProtocolContractsNotSet();
    /// The constructor's extension does not answer `extensionId()` with the pool's extension
    /// id (`staking_common::upgrade`; `upgradeExtension` raises the same error).
    #[derive(Debug, PartialEq)]
    error InvalidExtension(address extension);
}

/// Every way a pool call can fail.
///
/// Encoded to revert data by hand ([`staking_common::abi`]) rather than by
/// `derive(SolidityError)`, which cost 9.6 KB of wasm here; a test checks every variant against
/// alloy's encoding.
#[derive(Debug, PartialEq)]
pub enum Error {
    ZeroDeposit(ZeroDeposit),
    DepositTooSmall(DepositTooSmall),
    StakeLimitExceeded(StakeLimitExceeded),
    StakingIsPaused(StakingIsPaused),
    StakingAlreadyPaused(StakingAlreadyPaused),
    StakingNotPaused(StakingNotPaused),
    TokenIsPaused(TokenIsPaused),
    TokenAlreadyPaused(TokenAlreadyPaused),
    TokenNotPaused(TokenNotPaused),
    InsufficientBalance(ERC20InsufficientBalance),
    InsufficientShares(InsufficientShares),
    InsufficientAllowance(ERC20InsufficientAllowance),
    InvalidReceiver(ERC20InvalidReceiver),
    InvalidSpender(ERC20InvalidSpender),
    FailedDecreaseAllowance(ERC20FailedDecreaseAllowance),
    AccessDenied(AccessDenied),
    AlreadyInitialized(AlreadyInitialized),
    NotInitialized(NotInitialized),
    InvalidAccessManager(InvalidAccessManager),
    BootstrapTooSmall(BootstrapTooSmall),
    InvalidStakeLimit(InvalidStakeLimit),
    MathOverflow(MathOverflow),
    ReentrantCall(ReentrantCall),
    NotEnoughDepositableEther(NotEnoughDepositableEther),
    ProtocolContractsNotSet(ProtocolContractsNotSet),
    InvalidExtension(InvalidExtension),
    /// Revert data of a contract the pool called (the queue's view, the registry's deposit
    /// path), passed through unchanged.
    Callee(Vec<u8>),
    // The extension program's (see the module doc).
    NotOracle(NotOracle),
    IncorrectReportTimestamp(IncorrectReportTimestamp),
    IncorrectReportValidators(IncorrectReportValidators),
    IncorrectCLBalanceIncrease(IncorrectCLBalanceIncrease),
    IncorrectCLBalanceDecrease(IncorrectCLBalanceDecrease),
    IncorrectPositiveRebase(IncorrectPositiveRebase),
    IncorrectSimulatedShareRate(IncorrectSimulatedShareRate),
    IncorrectAppearedValidators(IncorrectAppearedValidators),
    IncorrectRequestFinalization(IncorrectRequestFinalization),
    IncorrectWithdrawalsAndRewards(IncorrectWithdrawalsAndRewards),
    IncorrectSharesRequestedToBurn(IncorrectSharesRequestedToBurn),
    ActualShareRateIsZero(ActualShareRateIsZero),
    InvalidFeeConfig(InvalidFeeConfig),
    NotEnoughBufferedEther(NotEnoughBufferedEther),
    InvalidAddress(InvalidAddress),
}

staking_common::export_error_types!(Error: ZeroDeposit, DepositTooSmall, StakeLimitExceeded, StakingIsPaused, StakingAlreadyPaused, StakingNotPaused, TokenIsPaused, TokenAlreadyPaused, TokenNotPaused, ERC20InsufficientBalance, InsufficientShares, ERC20InsufficientAllowance, ERC20InvalidReceiver, ERC20InvalidSpender, ERC20FailedDecreaseAllowance, AccessDenied, AlreadyInitialized, NotInitialized, InvalidAccessManager, BootstrapTooSmall, InvalidStakeLimit, MathOverflow, ReentrantCall, NotEnoughDepositableEther, ProtocolContractsNotSet, InvalidExtension);

impl From<Error> for Vec<u8> {
    fn from(err: Error) -> Vec<u8> {
        match err {
            // Raised by both programs.
            Error::TokenIsPaused(_) => encode_error(TokenIsPaused::SELECTOR, &[]),
            Error::AccessDenied(e) => encode_error_with_bytes(
                AccessDenied::SELECTOR,
                &[e.caller.word(), e.role.word()],
                &e.reason,
            ),
            Error::NotInitialized(_) => encode_error(NotInitialized::SELECTOR, &[]),
            Error::MathOverflow(_) => encode_error(MathOverflow::SELECTOR, &[]),
            Error::ReentrantCall(_) => encode_error(ReentrantCall::SELECTOR, &[]),
            Error::ProtocolContractsNotSet(_) => {
                encode_error(ProtocolContractsNotSet::SELECTOR, &[])
            }
            Error::Callee(data) => data,
            // Each program encodes only the errors it can raise (native builds: all).
            other => {
                #[cfg(not(all(target_arch = "wasm32", feature = "extension")))]
                if let Some(data) = core_error_data(&other) {
                    return data;
                }
                #[cfg(not(all(target_arch = "wasm32", not(feature = "extension"))))]
                if let Some(data) = report_error_data(&other) {
                    return data;
                }
                drop(other);
                Vec::new()
            }
        }
    }
}

/// Revert data of the errors only the core program raises.
#[cfg(not(all(target_arch = "wasm32", feature = "extension")))]
fn core_error_data(err: &Error) -> Option<Vec<u8>> {
    Some(match err {
        Error::ZeroDeposit(_) => encode_error(ZeroDeposit::SELECTOR, &[]),
        Error::DepositTooSmall(e) => encode_error(DepositTooSmall::SELECTOR, &[e.amount.word()]),
        Error::StakeLimitExceeded(e) => {
            encode_error(StakeLimitExceeded::SELECTOR, &[e.requested.word(), e.remaining.word()])
        }
        Error::StakingIsPaused(_) => encode_error(StakingIsPaused::SELECTOR, &[]),
        Error::StakingAlreadyPaused(_) => encode_error(StakingAlreadyPaused::SELECTOR, &[]),
        Error::StakingNotPaused(_) => encode_error(StakingNotPaused::SELECTOR, &[]),
        Error::TokenAlreadyPaused(_) => encode_error(TokenAlreadyPaused::SELECTOR, &[]),
        Error::TokenNotPaused(_) => encode_error(TokenNotPaused::SELECTOR, &[]),
        Error::InsufficientBalance(e) => encode_error(
            ERC20InsufficientBalance::SELECTOR,
            &[e.sender.word(), e.balance.word(), e.needed.word()],
        ),
        Error::InsufficientShares(e) => encode_error(
            InsufficientShares::SELECTOR,
            &[e.sender.word(), e.shares.word(), e.needed.word()],
        ),
        Error::InsufficientAllowance(e) => encode_error(
            ERC20InsufficientAllowance::SELECTOR,
            &[e.spender.word(), e.allowance.word(), e.needed.word()],
        ),
        Error::InvalidReceiver(e) => {
            encode_error(ERC20InvalidReceiver::SELECTOR, &[e.receiver.word()])
        }
        Error::InvalidSpender(e) => {
            encode_error(ERC20InvalidSpender::SELECTOR, &[e.spender.word()])
        }
        Error::FailedDecreaseAllowance(e) => encode_error(
            ERC20FailedDecreaseAllowance::SELECTOR,
            &[e.spender.word(), e.allowance.word(), e.decrease.word()],
        ),
        Error::AlreadyInitialized(_) => encode_error(AlreadyInitialized::SELECTOR, &[]),
        Error::InvalidAccessManager(_) => encode_error(InvalidAccessManager::SELECTOR, &[]),
        Error::BootstrapTooSmall(e) => {
            encode_error(BootstrapTooSmall::SELECTOR, &[e.amount.word(), e.min.word()])
        }
        Error::InvalidStakeLimit(e) => encode_error(
            InvalidStakeLimit::SELECTOR,
            &[e.maxStakeLimit.word(), e.stakeLimitIncreasePerBlock.word()],
        ),
        Error::NotEnoughDepositableEther(e) => encode_error(
            NotEnoughDepositableEther::SELECTOR,
            &[e.requested.word(), e.depositable.word()],
        ),
        Error::InvalidExtension(e) => {
            encode_error(InvalidExtension::SELECTOR, &[e.extension.word()])
        }
        _ => return None,
    })
}

/// Revert data of the errors only the extension program raises.
#[cfg(not(all(target_arch = "wasm32", not(feature = "extension"))))]
fn report_error_data(err: &Error) -> Option<Vec<u8>> {
    Some(match err {
        Error::NotOracle(e) => encode_error(NotOracle::SELECTOR, &[e.caller.word()]),
        Error::IncorrectReportTimestamp(e) => encode_error(
            IncorrectReportTimestamp::SELECTOR,
            &[e.reportTimestamp.word(), e.blockTimestamp.word()],
        ),
        Error::IncorrectReportValidators(e) => encode_error(
            IncorrectReportValidators::SELECTOR,
            &[e.reported.word(), e.preClValidators.word(), e.depositedValidators.word()],
        ),
        Error::IncorrectRequestFinalization(e) => encode_error(
            IncorrectRequestFinalization::SELECTOR,
            &[e.requestTimestamp.word(), e.margin.word(), e.reportTimestamp.word()],
        ),
        Error::IncorrectCLBalanceIncrease(e) => encode_error(
            IncorrectCLBalanceIncrease::SELECTOR,
            &[e.limitBP.word(), e.annualBP.word()],
        ),
        Error::IncorrectCLBalanceDecrease(e) => encode_error(
            IncorrectCLBalanceDecrease::SELECTOR,
            &[e.limitBP.word(), e.windowBP.word()],
        ),
        Error::IncorrectPositiveRebase(e) => {
            encode_error(IncorrectPositiveRebase::SELECTOR, &[e.limit.word(), e.actual.word()])
        }
        Error::IncorrectSimulatedShareRate(e) => encode_error(
            IncorrectSimulatedShareRate::SELECTOR,
            &[e.limitBP.word(), e.simulated.word(), e.actual.word()],
        ),
        Error::IncorrectAppearedValidators(e) => encode_error(
            IncorrectAppearedValidators::SELECTOR,
            &[e.limitPerDay.word(), e.appeared.word()],
        ),
        Error::IncorrectWithdrawalsAndRewards(e) => encode_error(
            IncorrectWithdrawalsAndRewards::SELECTOR,
            &[e.claimed.word(), e.available.word()],
        ),
        Error::IncorrectSharesRequestedToBurn(e) => encode_error(
            IncorrectSharesRequestedToBurn::SELECTOR,
            &[e.requested.word(), e.available.word()],
        ),
        Error::ActualShareRateIsZero(_) => encode_error(ActualShareRateIsZero::SELECTOR, &[]),
        Error::InvalidFeeConfig(e) => encode_error(
            InvalidFeeConfig::SELECTOR,
            &[e.totalFeeBP.word(), e.operatorsFeeBP.word()],
        ),
        Error::NotEnoughBufferedEther(e) => {
            encode_error(NotEnoughBufferedEther::SELECTOR, &[e.needed.word(), e.available.word()])
        }
        Error::InvalidAddress(_) => encode_error(InvalidAddress::SELECTOR, &[]),
        _ => return None,
    })
}

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
                    requested: alloy_primitives::U256::from(requested),
                    remaining: alloy_primitives::U256::from(remaining),
                })
            }
            StakeLimitError::InvalidLimit | StakeLimitError::BlockOverflow => {
                Error::MathOverflow(MathOverflow {})
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{Address, Bytes, B256, U256};

    #[allow(clippy::needless_pass_by_value)]
    fn check<E: SolError + Clone>(e: E, wrap: fn(E) -> Error) {
        assert_eq!(Vec::<u8>::from(wrap(e.clone())), e.abi_encode());
    }

    #[test]
    fn every_error_encodes_like_alloy() {
        let a = Address::repeat_byte(0xaa);
        let u = U256::from(0x1234_5678_u64);
        let v = U256::MAX;
        check(ZeroDeposit {}, Error::ZeroDeposit);
        check(DepositTooSmall { amount: u }, Error::DepositTooSmall);
        check(StakeLimitExceeded { requested: u, remaining: v }, Error::StakeLimitExceeded);
        check(StakingIsPaused {}, Error::StakingIsPaused);
        check(StakingAlreadyPaused {}, Error::StakingAlreadyPaused);
        check(StakingNotPaused {}, Error::StakingNotPaused);
        check(TokenIsPaused {}, Error::TokenIsPaused);
        check(TokenAlreadyPaused {}, Error::TokenAlreadyPaused);
        check(TokenNotPaused {}, Error::TokenNotPaused);
        check(
            ERC20InsufficientBalance { sender: a, balance: u, needed: v },
            Error::InsufficientBalance,
        );
        check(InsufficientShares { sender: a, shares: u, needed: v }, Error::InsufficientShares);
        check(
            ERC20InsufficientAllowance { spender: a, allowance: u, needed: v },
            Error::InsufficientAllowance,
        );
        check(ERC20InvalidReceiver { receiver: a }, Error::InvalidReceiver);
        check(ERC20InvalidSpender { spender: a }, Error::InvalidSpender);
        check(
            ERC20FailedDecreaseAllowance { spender: a, allowance: u, decrease: v },
            Error::FailedDecreaseAllowance,
        );
        check(
            AccessDenied {
                caller: a,
                role: B256::repeat_byte(7),
                reason: Bytes::from(vec![1u8; 37]),
            },
            Error::AccessDenied,
        );
        check(AlreadyInitialized {}, Error::AlreadyInitialized);
        check(NotInitialized {}, Error::NotInitialized);
        check(InvalidAccessManager {}, Error::InvalidAccessManager);
        check(BootstrapTooSmall { amount: u, min: v }, Error::BootstrapTooSmall);
        check(
            InvalidStakeLimit { maxStakeLimit: u, stakeLimitIncreasePerBlock: v },
            Error::InvalidStakeLimit,
        );
        check(MathOverflow {}, Error::MathOverflow);
        check(ReentrantCall {}, Error::ReentrantCall);
        check(
            NotEnoughDepositableEther { requested: u, depositable: v },
            Error::NotEnoughDepositableEther,
        );
        check(ProtocolContractsNotSet {}, Error::ProtocolContractsNotSet);
        check(InvalidExtension { extension: a }, Error::InvalidExtension);
    }

    #[test]
    fn every_extension_error_encodes_like_alloy() {
        let a = Address::repeat_byte(0xbb);
        let (x, y, z) = (U256::from(7), U256::MAX, U256::from(0xdead_beef_u64));
        check(NotOracle { caller: a }, Error::NotOracle);
        check(
            IncorrectReportTimestamp { reportTimestamp: x, blockTimestamp: y },
            Error::IncorrectReportTimestamp,
        );
        check(
            IncorrectReportValidators { reported: x, preClValidators: y, depositedValidators: z },
            Error::IncorrectReportValidators,
        );
        check(
            IncorrectCLBalanceIncrease { limitBP: x, annualBP: y },
            Error::IncorrectCLBalanceIncrease,
        );
        check(
            IncorrectCLBalanceDecrease { limitBP: x, windowBP: y },
            Error::IncorrectCLBalanceDecrease,
        );
        check(IncorrectPositiveRebase { limit: x, actual: y }, Error::IncorrectPositiveRebase);
        check(
            IncorrectSimulatedShareRate { limitBP: x, simulated: y, actual: z },
            Error::IncorrectSimulatedShareRate,
        );
        check(
            IncorrectAppearedValidators { limitPerDay: x, appeared: y },
            Error::IncorrectAppearedValidators,
        );
        check(
            IncorrectRequestFinalization { requestTimestamp: x, margin: y, reportTimestamp: z },
            Error::IncorrectRequestFinalization,
        );
        check(
            IncorrectWithdrawalsAndRewards { claimed: x, available: y },
            Error::IncorrectWithdrawalsAndRewards,
        );
        check(
            IncorrectSharesRequestedToBurn { requested: x, available: y },
            Error::IncorrectSharesRequestedToBurn,
        );
        check(ActualShareRateIsZero {}, Error::ActualShareRateIsZero);
        check(InvalidFeeConfig { totalFeeBP: x, operatorsFeeBP: y }, Error::InvalidFeeConfig);
        check(NotEnoughBufferedEther { needed: x, available: y }, Error::NotEnoughBufferedEther);
        check(InvalidAddress {}, Error::InvalidAddress);
    }
}
