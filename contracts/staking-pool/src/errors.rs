//! The pool's errors: one `sol!` error per failure, each carrying what a caller needs to act on it.
//!
//! Names follow EIP-6093 where the ERC-20 standard has one (`ERC20InsufficientBalance`, ...).
//! Every error leaves state unchanged: the whole call reverts.
#![allow(missing_docs)]

use alloc::vec::Vec;
use alloy_sol_types::sol;
use alloy_sol_types::SolError;
use staking_common::abi::{encode_error, encode_error_with_bytes, Word};
use staking_math::{MathError, StakeLimitError};

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
    /// `initialize` was already called.
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
    /// Revert data of a contract the pool called (the queue's view, the registry's deposit
    /// path), passed through unchanged.
    Callee(Vec<u8>),
}

staking_common::export_error_types!(Error: ZeroDeposit, DepositTooSmall, StakeLimitExceeded, StakingIsPaused, StakingAlreadyPaused, StakingNotPaused, TokenIsPaused, TokenAlreadyPaused, TokenNotPaused, ERC20InsufficientBalance, InsufficientShares, ERC20InsufficientAllowance, ERC20InvalidReceiver, ERC20InvalidSpender, ERC20FailedDecreaseAllowance, AccessDenied, AlreadyInitialized, NotInitialized, InvalidAccessManager, BootstrapTooSmall, InvalidStakeLimit, MathOverflow, ReentrantCall, NotEnoughDepositableEther, ProtocolContractsNotSet);

impl From<Error> for Vec<u8> {
    fn from(err: Error) -> Vec<u8> {
        match err {
            Error::ZeroDeposit(_) => encode_error(ZeroDeposit::SELECTOR, &[]),
            Error::DepositTooSmall(e) => {
                encode_error(DepositTooSmall::SELECTOR, &[e.amount.word()])
            }
            Error::StakeLimitExceeded(e) => encode_error(
                StakeLimitExceeded::SELECTOR,
                &[e.requested.word(), e.remaining.word()],
            ),
            Error::StakingIsPaused(_) => encode_error(StakingIsPaused::SELECTOR, &[]),
            Error::StakingAlreadyPaused(_) => encode_error(StakingAlreadyPaused::SELECTOR, &[]),
            Error::StakingNotPaused(_) => encode_error(StakingNotPaused::SELECTOR, &[]),
            Error::TokenIsPaused(_) => encode_error(TokenIsPaused::SELECTOR, &[]),
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
            Error::AccessDenied(e) => encode_error_with_bytes(
                AccessDenied::SELECTOR,
                &[e.caller.word(), e.role.word()],
                &e.reason,
            ),
            Error::AlreadyInitialized(_) => encode_error(AlreadyInitialized::SELECTOR, &[]),
            Error::NotInitialized(_) => encode_error(NotInitialized::SELECTOR, &[]),
            Error::InvalidAccessManager(_) => encode_error(InvalidAccessManager::SELECTOR, &[]),
            Error::BootstrapTooSmall(e) => {
                encode_error(BootstrapTooSmall::SELECTOR, &[e.amount.word(), e.min.word()])
            }
            Error::InvalidStakeLimit(e) => encode_error(
                InvalidStakeLimit::SELECTOR,
                &[e.maxStakeLimit.word(), e.stakeLimitIncreasePerBlock.word()],
            ),
            Error::MathOverflow(_) => encode_error(MathOverflow::SELECTOR, &[]),
            Error::ReentrantCall(_) => encode_error(ReentrantCall::SELECTOR, &[]),
            Error::NotEnoughDepositableEther(e) => encode_error(
                NotEnoughDepositableEther::SELECTOR,
                &[e.requested.word(), e.depositable.word()],
            ),
            Error::ProtocolContractsNotSet(_) => {
                encode_error(ProtocolContractsNotSet::SELECTOR, &[])
            }
            Error::Callee(data) => data,
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
    }
}
