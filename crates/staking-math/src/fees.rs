//! The protocol fee on rewards, paid by minting new shares (Lido's formula).
//!
//! After a report the pool holds `E` ether (rewards included) against `S` shares. The fee is
//! `F = rewards * fee_bp / 10_000` ether. Minting `m` shares dilutes every holder so that the new
//! shares are worth `m * E / (S + m)`; solving `m * E / (S + m) = F` gives
//! `m = rewards * fee_bp * S / (E * 10_000 - rewards * fee_bp)`. It is rounded down, so the minted
//! shares are worth at most `F` and less than one share's worth below it: holders never pay more
//! than the fee.

use alloy_primitives::U256;

use crate::{mul_div, sub, MathError, Rounding};

/// Basis points in one whole (100%).
const BASIS_POINTS: u16 = 10_000;

/// Shares to mint so that they are worth `rewards * fee_bp / 10_000` of `post_total_ether`.
///
/// `post_total_ether` includes the rewards; `pre_total_shares` is the supply before minting.
/// Returns zero without dividing when the fee is zero (no rewards or a zero fee).
///
/// Errors: [`MathError::Overflow`] when `fee_bp > 10_000` or an intermediate does not fit;
/// [`MathError::Underflow`] when the fee exceeds `post_total_ether` (rewards larger than the pool);
/// [`MathError::DivisionByZero`] when the fee is all of `post_total_ether`.
pub fn fee_shares(
    rewards: U256,
    fee_bp: u16,
    post_total_ether: U256,
    pre_total_shares: U256,
) -> Result<U256, MathError> {
    if fee_bp > BASIS_POINTS {
        return Err(MathError::Overflow);
    }
    let fee_scaled = rewards
        .checked_mul(U256::from_limbs([u64::from(fee_bp), 0, 0, 0]))
        .ok_or(MathError::Overflow)?;
    if fee_scaled.is_zero() {
        return Ok(U256::ZERO);
    }
    let ether_scaled = post_total_ether
        .checked_mul(U256::from_limbs([u64::from(BASIS_POINTS), 0, 0, 0]))
        .ok_or(MathError::Overflow)?;
    mul_div(fee_scaled, pre_total_shares, sub(ether_scaled, fee_scaled)?, Rounding::Down)
}
