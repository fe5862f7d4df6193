//! Checked primitives: addition, subtraction, narrowing and `a * b / denominator`.
//!
//! `mul_div` is exact: the product is taken in 512 bits, so it never loses precision and only
//! fails when the final quotient does not fit U256. The caller chooses the rounding: `Down` is the
//! floor of the true quotient, `Up` its ceiling (the floor plus one when the remainder is non-zero).
//! Every other module of the crate reduces to it.

use alloy_primitives::{ruint, U256};

use crate::MathError;

/// Direction in which a division that is not exact is rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// Towards zero (the floor): used for amounts the protocol gives out.
    Down,
    /// Away from zero (the ceiling): used for amounts the protocol takes in.
    Up,
}

/// `a + b`, or [`MathError::Overflow`].
pub fn add(a: U256, b: U256) -> Result<U256, MathError> {
    a.checked_add(b).ok_or(MathError::Overflow)
}

/// `a - b`, or [`MathError::Underflow`] when `b > a`.
pub fn sub(a: U256, b: U256) -> Result<U256, MathError> {
    a.checked_sub(b).ok_or(MathError::Underflow)
}

/// `x` as `u128`, or [`MathError::Overflow`] when it does not fit.
pub fn to_u128(x: U256) -> Result<u128, MathError> {
    let [l0, l1, l2, l3] = *x.as_limbs();
    if l2 | l3 != 0 {
        return Err(MathError::Overflow);
    }
    Ok(u128::from(l0) | (u128::from(l1) << 64))
}

/// `a * b / denominator`, rounded as asked, computed exactly with a 512-bit product.
///
/// Errors: [`MathError::DivisionByZero`] when `denominator` is zero; [`MathError::Overflow`] when
/// the rounded quotient exceeds `U256::MAX`.
pub fn mul_div(a: U256, b: U256, denominator: U256, rounding: Rounding) -> Result<U256, MathError> {
    if denominator.is_zero() {
        return Err(MathError::DivisionByZero);
    }
    // One 512-bit product, one division on limb slices: ruint's `algorithms::div` (ruint 1.16,
    // locked) leaves the quotient in the numerator and the remainder in the divisor. Measured in
    // wasm: a 256-bit `checked_mul` fast path would save ~140 metered ops per call (~1-3 gas) but
    // cost ~160 brotli bytes (a second division body); `U512::div_rem` is larger and slower.
    let mut quotient = a.widening_mul::<256, 4, 512, 8>(b).into_limbs();
    let mut remainder = denominator.into_limbs();
    ruint::algorithms::div(&mut quotient, &mut remainder);
    let [q0, q1, q2, q3, q4, q5, q6, q7] = quotient;
    if q4 | q5 | q6 | q7 != 0 {
        return Err(MathError::Overflow);
    }
    let quotient = U256::from_limbs([q0, q1, q2, q3]);
    if rounding == Rounding::Up && remainder != [0; 4] {
        return add(quotient, U256::ONE);
    }
    Ok(quotient)
}
