//! The arithmetic of an accounting-oracle report: principal, rewards, post-report totals and the
//! protocol fee split (the formulas of Lido's `Accounting` / `Lido._handleOracleReport`).
//!
//! The pool extension calls these in order:
//!
//! 1. [`principal_cl`]: what the CL balance would be with no rewards and no losses.
//! 2. [`fee_rewards`] and [`cl_loss`]: whether the report earned (a fee is due) or lost.
//! 3. [`no_withdrawal_totals`]: pool ether and shares as if nothing were finalized (`E_nw`,
//!    `S_nw`), for the positive-rebase check and the finalization rate.
//! 4. [`after_finalization`] and [`post_buffered`]: totals after locking the queue's ether and
//!    burning its shares.
//! 5. [`fee_split`]: shares minted as the fee, operators' part and treasury's part.
//! 6. [`actual_share_rate`]: the no-withdrawal rate after the fee, to check the simulated rate.
//!
//! Rounding: everything is exact (sums, differences and `validators * 32 ether`) except the fee
//! shares, rounded down by [`fee_shares`] so they are worth at most the fee, the operators' part,
//! rounded down (the treasury takes the remainder, so no share is lost), and the actual share rate,
//! rounded down. Every operation is checked and returns a [`MathError`] instead of wrapping.

use alloy_primitives::U256;

use crate::{add, fee_shares, mul_div, share_rate, sub, MathError, Rounding};

/// Ether deposited per validator: 32 ether in wei (the one definition; `staking_common`'s
/// deposit data and the pool use it too).
pub const DEPOSIT_SIZE: u128 = 32_000_000_000_000_000_000;

/// Pool state and report values that the no-withdrawal totals depend on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReportInput {
    /// Ether buffered in the pool before the report, in wei.
    pub buffered: U256,
    /// Validators the pool has ever deposited.
    pub deposited_validators: u64,
    /// Validators the report saw on the CL (cumulative, at most `deposited_validators`).
    pub cl_validators: u64,
    /// CL balance of those validators, in wei.
    pub cl_balance: U256,
    /// CL withdrawals the report claims, in wei.
    pub withdrawals: U256,
    /// EL rewards the report claims, in wei.
    pub el_rewards: U256,
    /// Total shares before the report.
    pub total_shares: U256,
    /// Shares the report burns from the pool's own balance (not the queue's).
    pub shares_to_burn: U256,
}

/// Total ether and shares of the pool at one point of a report (the pool's packed slot 0,
/// `staking_pool::storage::Totals`, is another thing: total shares and buffered ether).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EtherAndShares {
    /// Total pooled ether, in wei.
    pub ether: U256,
    /// Total shares.
    pub shares: U256,
}

/// The protocol fee of a report, in shares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FeeSplit {
    /// Shares minted as the fee (`operators + treasury`).
    pub total: U256,
    /// Shares for the node operators: `floor(total * operators_bp / total_bp)`.
    pub operators: U256,
    /// Shares for the treasury: the remainder, `total - operators`.
    pub treasury: U256,
}

/// The CL balance the report would show with no rewards and no losses:
/// `pre_cl_balance + (post_cl_validators - pre_cl_validators) * 32 ether`. Exact.
///
/// Errors: [`MathError::Underflow`] when `post_cl_validators < pre_cl_validators` (the pool refuses
/// that report first, as `IncorrectReportValidators`); [`MathError::Overflow`].
pub fn principal_cl(
    pre_cl_balance: U256,
    pre_cl_validators: u64,
    post_cl_validators: u64,
) -> Result<U256, MathError> {
    let appeared = post_cl_validators.checked_sub(pre_cl_validators).ok_or(MathError::Underflow)?;
    add(pre_cl_balance, deposits(appeared)?)
}

/// The rewards a fee is taken on, or `None` when no fee is due.
///
/// A fee is due only when `cl_balance + withdrawals > principal` (LIP-12: EL rewards alone do not
/// earn a fee while the CL loses); the rewards are then
/// `cl_balance + withdrawals - principal + el_rewards`. Exact.
///
/// Errors: [`MathError::Overflow`].
pub fn fee_rewards(
    principal: U256,
    cl_balance: U256,
    withdrawals: U256,
    el_rewards: U256,
) -> Result<Option<U256>, MathError> {
    let unified = add(cl_balance, withdrawals)?;
    if unified <= principal {
        return Ok(None);
    }
    // `unified > principal`: the subtraction cannot underflow.
    add(sub(unified, principal)?, el_rewards).map(Some)
}

/// The CL loss of the report: `principal - (cl_balance + withdrawals)`, or zero when the report did
/// not lose (the amount the CL-decrease window sums, and the bunker trigger). Exact.
///
/// Errors: [`MathError::Overflow`] when `cl_balance + withdrawals` does not fit.
pub fn cl_loss(principal: U256, cl_balance: U256, withdrawals: U256) -> Result<U256, MathError> {
    Ok(principal.saturating_sub(add(cl_balance, withdrawals)?))
}

/// Pool totals after the report as if no request were finalized:
/// `E_nw = buffered + withdrawals + el_rewards + (deposited - cl_validators) * 32 ether + cl_balance`
/// and `S_nw = total_shares - shares_to_burn`. Exact.
///
/// Errors: [`MathError::Underflow`] when `cl_validators > deposited_validators` or
/// `shares_to_burn > total_shares`; [`MathError::Overflow`].
pub fn no_withdrawal_totals(input: &ReportInput) -> Result<EtherAndShares, MathError> {
    let pending =
        input.deposited_validators.checked_sub(input.cl_validators).ok_or(MathError::Underflow)?;
    let claimed = add(input.withdrawals, input.el_rewards)?;
    let ether = add(add(add(input.buffered, claimed)?, deposits(pending)?)?, input.cl_balance)?;
    Ok(EtherAndShares { ether, shares: sub(input.total_shares, input.shares_to_burn)? })
}

/// Ether and shares after finalization, before the fee: `E = E_nw - ether_to_lock`, `S = S_nw - queue_shares`,
/// where `ether_to_lock` and `queue_shares` are what the queue's `prefinalize` returns. Exact.
///
/// Errors: [`MathError::Underflow`] when the queue locks or burns more than the pool holds.
pub fn after_finalization(
    no_withdrawal: EtherAndShares,
    ether_to_lock: U256,
    queue_shares: U256,
) -> Result<EtherAndShares, MathError> {
    Ok(EtherAndShares {
        ether: sub(no_withdrawal.ether, ether_to_lock)?,
        shares: sub(no_withdrawal.shares, queue_shares)?,
    })
}

/// The pool's buffer after the report: `buffered + withdrawals + el_rewards - ether_to_lock`. Exact.
///
/// Errors: [`MathError::Underflow`] when `ether_to_lock` exceeds the buffer with the claims (the
/// pool's `NotEnoughBufferedEther`); [`MathError::Overflow`].
pub fn post_buffered(
    buffered: U256,
    withdrawals: U256,
    el_rewards: U256,
    ether_to_lock: U256,
) -> Result<U256, MathError> {
    sub(add(add(buffered, withdrawals)?, el_rewards)?, ether_to_lock)
}

/// The fee on `rewards` in shares, split between operators and treasury.
///
/// `total = fee_shares(rewards, total_fee_bp, post.ether, post.shares)` (rounded down: the shares
/// are worth at most the fee, see [`crate::fees`]), with `post` from [`after_finalization`];
/// `operators = floor(total * operators_fee_bp / total_fee_bp)`; `treasury = total - operators`.
/// All zero when `rewards` or `total_fee_bp` is zero. The post-report supply is
/// `post.shares + total`.
///
/// Errors: [`MathError::Overflow`] when `total_fee_bp > 10_000` or
/// `operators_fee_bp > total_fee_bp`; otherwise those of [`fee_shares`].
pub fn fee_split(
    rewards: U256,
    total_fee_bp: u16,
    operators_fee_bp: u16,
    post: EtherAndShares,
) -> Result<FeeSplit, MathError> {
    if operators_fee_bp > total_fee_bp {
        return Err(MathError::Overflow);
    }
    let total = fee_shares(rewards, total_fee_bp, post.ether, post.shares)?;
    if total.is_zero() {
        return Ok(FeeSplit::default());
    }
    // `total` is non-zero, so `total_fee_bp` is too.
    let operators =
        mul_div(total, U256::from(operators_fee_bp), U256::from(total_fee_bp), Rounding::Down)?;
    Ok(FeeSplit { total, operators, treasury: sub(total, operators)? })
}

/// The actual no-withdrawal share rate after the fee, 1e27 precision:
/// `E_nw * 1e27 / (S_nw + minted)`, rounded down (Lido's check of the simulated rate).
///
/// Errors: [`MathError::DivisionByZero`] when `S_nw + minted` is zero; [`MathError::Overflow`].
pub fn actual_share_rate(no_withdrawal: EtherAndShares, minted: U256) -> Result<U256, MathError> {
    share_rate(no_withdrawal.ether, add(no_withdrawal.shares, minted)?)
}

/// `validators * 32 ether`; cannot overflow (`< 2^70`), checked anyway.
fn deposits(validators: u64) -> Result<U256, MathError> {
    U256::from(validators).checked_mul(U256::from(DEPOSIT_SIZE)).ok_or(MathError::Overflow)
}
