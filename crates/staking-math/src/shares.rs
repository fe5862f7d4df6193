//! Conversions between ether and shares, directly or through a share rate.
//!
//! A share is a claim on `total_ether / total_shares` ether. The rate form stores that price as
//! ether per share scaled by [`RATE_PRECISION`] (1e27), rounded down, so a rate never overstates
//! what a share is worth. Each conversion takes a [`Rounding`]; the protocol-favouring choice is
//! the caller's: shares minted and ether paid out round `Down`, shares burned round `Up`.

use alloy_primitives::{uint, U256};

use crate::{mul_div, MathError, Rounding};

/// Fixed-point scale of a share rate: a rate of `RATE_PRECISION` is one wei per share unit (1e27).
pub const RATE_PRECISION: U256 = uint!(1_000_000_000_000_000_000_000_000_000_U256);

/// Shares worth `ether`: `ether * total_shares / total_ether`, rounded as asked.
///
/// Errors: [`MathError::DivisionByZero`] when `total_ether` is zero; [`MathError::Overflow`].
pub fn shares_for_ether(
    ether: U256,
    total_ether: U256,
    total_shares: U256,
    rounding: Rounding,
) -> Result<U256, MathError> {
    mul_div(ether, total_shares, total_ether, rounding)
}

/// Ether worth `shares`: `shares * total_ether / total_shares`, rounded as asked.
///
/// Errors: [`MathError::DivisionByZero`] when `total_shares` is zero; [`MathError::Overflow`].
pub fn ether_for_shares(
    shares: U256,
    total_shares: U256,
    total_ether: U256,
    rounding: Rounding,
) -> Result<U256, MathError> {
    mul_div(shares, total_ether, total_shares, rounding)
}

/// Ether per share scaled by [`RATE_PRECISION`]: `total_ether * 1e27 / total_shares`, rounded down.
///
/// Errors: [`MathError::DivisionByZero`] when `total_shares` is zero; [`MathError::Overflow`].
pub fn share_rate(total_ether: U256, total_shares: U256) -> Result<U256, MathError> {
    mul_div(total_ether, RATE_PRECISION, total_shares, Rounding::Down)
}

/// Ether worth `shares` at `rate`: `shares * rate / 1e27`, rounded as asked.
///
/// Errors: [`MathError::Overflow`].
pub fn ether_for_shares_at_rate(
    shares: U256,
    rate: U256,
    rounding: Rounding,
) -> Result<U256, MathError> {
    mul_div(shares, rate, RATE_PRECISION, rounding)
}

/// Shares worth `ether` at `rate`: `ether * 1e27 / rate`, rounded as asked.
///
/// Errors: [`MathError::DivisionByZero`] when `rate` is zero; [`MathError::Overflow`].
pub fn shares_for_ether_at_rate(
    ether: U256,
    rate: U256,
    rounding: Rounding,
) -> Result<U256, MathError> {
    mul_div(ether, RATE_PRECISION, rate, rounding)
}
