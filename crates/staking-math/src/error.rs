//! Errors of the arithmetic.
//!
//! Every fallible function of this crate returns one of these instead of wrapping or panicking;
//! callers map them onto their own contract errors.

/// Why a checked operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MathError {
    /// The exact result does not fit the target type (U256, u128, or a packed field).
    Overflow,
    /// A subtraction would go below zero.
    Underflow,
    /// The denominator of a division is zero.
    DivisionByZero,
}
