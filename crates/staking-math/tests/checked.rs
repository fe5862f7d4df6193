//! Unit tests of the checked primitives: `add`, `sub`, `to_u128`, `mul_div`.

use alloy_primitives::U256;
use staking_math::{add, mul_div, sub, to_u128, MathError, Rounding};

const MAX: U256 = U256::MAX;

fn u(x: u128) -> U256 {
    U256::from(x)
}

#[test]
fn add_returns_the_sum_up_to_u256_max() {
    assert_eq!(add(u(2), u(3)), Ok(u(5)));
    assert_eq!(add(MAX - u(1), u(1)), Ok(MAX));
    assert_eq!(add(MAX, U256::ZERO), Ok(MAX));
}

#[test]
fn add_reports_overflow_past_u256_max() {
    assert_eq!(add(MAX, u(1)), Err(MathError::Overflow));
    assert_eq!(add(MAX, MAX), Err(MathError::Overflow));
}

#[test]
fn sub_returns_the_difference_down_to_zero() {
    assert_eq!(sub(u(5), u(3)), Ok(u(2)));
    assert_eq!(sub(MAX, MAX), Ok(U256::ZERO));
    assert_eq!(sub(u(1), U256::ZERO), Ok(u(1)));
}

#[test]
fn sub_reports_underflow_below_zero() {
    assert_eq!(sub(U256::ZERO, u(1)), Err(MathError::Underflow));
    assert_eq!(sub(MAX - u(1), MAX), Err(MathError::Underflow));
}

#[test]
fn to_u128_narrows_values_up_to_u128_max() {
    assert_eq!(to_u128(U256::ZERO), Ok(0));
    assert_eq!(to_u128(u(1)), Ok(1));
    assert_eq!(to_u128(u(u128::from(u64::MAX) + 1)), Ok(u128::from(u64::MAX) + 1));
    assert_eq!(to_u128(u(u128::MAX)), Ok(u128::MAX));
}

#[test]
fn to_u128_reports_overflow_above_u128_max() {
    assert_eq!(to_u128(u(u128::MAX) + u(1)), Err(MathError::Overflow));
    assert_eq!(to_u128(U256::from(1u8) << 255), Err(MathError::Overflow));
    assert_eq!(to_u128(MAX), Err(MathError::Overflow));
}

#[test]
fn mul_div_rejects_a_zero_denominator() {
    for rounding in [Rounding::Down, Rounding::Up] {
        assert_eq!(mul_div(u(1), u(1), U256::ZERO, rounding), Err(MathError::DivisionByZero));
        assert_eq!(
            mul_div(U256::ZERO, U256::ZERO, U256::ZERO, rounding),
            Err(MathError::DivisionByZero)
        );
        assert_eq!(mul_div(MAX, MAX, U256::ZERO, rounding), Err(MathError::DivisionByZero));
    }
}

#[test]
fn mul_div_rounds_up_only_with_remainder() {
    assert_eq!(mul_div(u(5), u(7), u(3), Rounding::Down), Ok(u(11)));
    assert_eq!(mul_div(u(5), u(7), u(3), Rounding::Up), Ok(u(12)));
    assert_eq!(mul_div(u(6), u(7), u(3), Rounding::Down), Ok(u(14)));
    assert_eq!(mul_div(u(6), u(7), u(3), Rounding::Up), Ok(u(14)));
    // One wei of remainder is enough to round up.
    assert_eq!(mul_div(u(1), u(1), u(2), Rounding::Down), Ok(U256::ZERO));
    assert_eq!(mul_div(u(1), u(1), u(2), Rounding::Up), Ok(u(1)));
}

#[test]
fn mul_div_of_zero_is_zero_in_both_roundings() {
    for rounding in [Rounding::Down, Rounding::Up] {
        assert_eq!(mul_div(U256::ZERO, MAX, u(1), rounding), Ok(U256::ZERO));
        assert_eq!(mul_div(MAX, U256::ZERO, MAX, rounding), Ok(U256::ZERO));
    }
}

#[test]
fn mul_div_by_one_returns_the_product() {
    assert_eq!(mul_div(u(u128::MAX), u(u128::MAX), u(1), Rounding::Down), {
        // (2^128 - 1)^2 = 2^256 - 2^129 + 1
        Ok(MAX - (U256::from(1u8) << 129) + u(2))
    });
    assert_eq!(mul_div(MAX, u(1), u(1), Rounding::Up), Ok(MAX));
}

#[test]
fn mul_div_is_exact_when_the_product_exceeds_256_bits() {
    assert_eq!(mul_div(MAX, MAX, MAX, Rounding::Down), Ok(MAX));
    assert_eq!(mul_div(MAX, MAX, MAX, Rounding::Up), Ok(MAX));
    assert_eq!(mul_div(MAX, u(4), u(8), Rounding::Down), Ok(MAX >> 1));
    assert_eq!(mul_div(MAX, u(4), u(8), Rounding::Up), Ok((MAX >> 1) + u(1)));
    let two_128 = U256::from(1u8) << 128;
    assert_eq!(mul_div(two_128, two_128, two_128, Rounding::Down), Ok(two_128));
    // 1e27-scaled rate on a very large amount.
    let big = U256::from(1u8) << 250;
    let e27 = U256::from(10u8).pow(U256::from(27u8));
    assert_eq!(mul_div(big, e27, e27, Rounding::Down), Ok(big));
}

#[test]
fn mul_div_reports_overflow_when_the_quotient_exceeds_u256() {
    for rounding in [Rounding::Down, Rounding::Up] {
        assert_eq!(mul_div(MAX, u(2), u(1), rounding), Err(MathError::Overflow));
        assert_eq!(mul_div(MAX, MAX, MAX - u(1), rounding), Err(MathError::Overflow));
    }
}

#[test]
fn mul_div_rounding_up_overflows_only_past_u256_max() {
    // (MAX - 1)^2 = (MAX - 2) * MAX + 1: the floor is MAX with a remainder of one.
    let (a, d) = (MAX - u(1), MAX - u(2));
    assert_eq!(mul_div(a, a, d, Rounding::Down), Ok(MAX));
    assert_eq!(mul_div(a, a, d, Rounding::Up), Err(MathError::Overflow));
}
