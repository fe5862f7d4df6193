//! Unit tests of the ether <-> share conversions and the share rate.

use alloy_primitives::U256;
use staking_math::{
    ether_for_shares, ether_for_shares_at_rate, share_rate, shares_for_ether,
    shares_for_ether_at_rate, MathError, Rounding, RATE_PRECISION,
};

const ETHER: u128 = 1_000_000_000_000_000_000;

fn u(x: u128) -> U256 {
    U256::from(x)
}

#[test]
fn rate_precision_is_ten_to_the_27() {
    assert_eq!(RATE_PRECISION, U256::from(10u8).pow(U256::from(27u8)));
}

#[test]
fn shares_for_ether_scales_by_total_shares_over_total_ether() {
    // 110 ether backs 100 shares: 11 ether buys 10 shares.
    let (e, s) = (u(110 * ETHER), u(100 * ETHER));
    assert_eq!(shares_for_ether(u(11 * ETHER), e, s, Rounding::Down), Ok(u(10 * ETHER)));
    assert_eq!(shares_for_ether(U256::ZERO, e, s, Rounding::Up), Ok(U256::ZERO));
}

#[test]
fn shares_for_ether_rounds_as_asked() {
    // 3 ether backs 2 shares: 1 wei is 2/3 of a share.
    assert_eq!(shares_for_ether(u(1), u(3), u(2), Rounding::Down), Ok(U256::ZERO));
    assert_eq!(shares_for_ether(u(1), u(3), u(2), Rounding::Up), Ok(u(1)));
}

#[test]
fn shares_for_ether_rejects_zero_total_ether() {
    assert_eq!(
        shares_for_ether(u(1), U256::ZERO, u(1), Rounding::Down),
        Err(MathError::DivisionByZero)
    );
}

#[test]
fn shares_for_ether_reports_overflow() {
    assert_eq!(shares_for_ether(U256::MAX, u(1), u(2), Rounding::Down), Err(MathError::Overflow));
}

#[test]
fn ether_for_shares_scales_by_total_ether_over_total_shares() {
    let (e, s) = (u(110 * ETHER), u(100 * ETHER));
    assert_eq!(ether_for_shares(u(10 * ETHER), s, e, Rounding::Down), Ok(u(11 * ETHER)));
    assert_eq!(ether_for_shares(s, s, e, Rounding::Down), Ok(e));
}

#[test]
fn ether_for_shares_rounds_as_asked() {
    // 2 ether backs 3 shares: 1 share is 2/3 of a wei.
    assert_eq!(ether_for_shares(u(1), u(3), u(2), Rounding::Down), Ok(U256::ZERO));
    assert_eq!(ether_for_shares(u(1), u(3), u(2), Rounding::Up), Ok(u(1)));
}

#[test]
fn ether_for_shares_rejects_zero_total_shares() {
    assert_eq!(
        ether_for_shares(u(1), U256::ZERO, u(1), Rounding::Up),
        Err(MathError::DivisionByZero)
    );
}

#[test]
fn share_rate_is_rate_precision_at_par() {
    assert_eq!(share_rate(u(ETHER), u(ETHER)), Ok(RATE_PRECISION));
    assert_eq!(share_rate(u(1), u(1)), Ok(RATE_PRECISION));
}

#[test]
fn share_rate_rounds_down() {
    // 2 ether per 3 shares = 0.666...e27.
    assert_eq!(share_rate(u(2), u(3)), Ok(u(666_666_666_666_666_666_666_666_666)));
    assert_eq!(share_rate(U256::ZERO, u(3)), Ok(U256::ZERO));
}

#[test]
fn share_rate_rejects_zero_total_shares_and_reports_overflow() {
    assert_eq!(share_rate(u(1), U256::ZERO), Err(MathError::DivisionByZero));
    assert_eq!(share_rate(U256::MAX, u(1)), Err(MathError::Overflow));
}

#[test]
fn ether_for_shares_at_rate_multiplies_by_the_rate() {
    let rate = u(1_100_000_000_000_000_000_000_000_000); // 1.1 ether per share
    assert_eq!(ether_for_shares_at_rate(u(10 * ETHER), rate, Rounding::Down), Ok(u(11 * ETHER)));
    assert_eq!(ether_for_shares_at_rate(u(1), rate, Rounding::Down), Ok(u(1)));
    assert_eq!(ether_for_shares_at_rate(u(1), rate, Rounding::Up), Ok(u(2)));
    assert_eq!(ether_for_shares_at_rate(u(1), U256::ZERO, Rounding::Up), Ok(U256::ZERO));
    assert_eq!(
        ether_for_shares_at_rate(U256::MAX, RATE_PRECISION + u(1), Rounding::Down),
        Err(MathError::Overflow)
    );
}

#[test]
fn shares_for_ether_at_rate_divides_by_the_rate() {
    let rate = u(1_100_000_000_000_000_000_000_000_000);
    assert_eq!(shares_for_ether_at_rate(u(11 * ETHER), rate, Rounding::Down), Ok(u(10 * ETHER)));
    assert_eq!(shares_for_ether_at_rate(u(1), rate, Rounding::Down), Ok(U256::ZERO));
    assert_eq!(shares_for_ether_at_rate(u(1), rate, Rounding::Up), Ok(u(1)));
    assert_eq!(shares_for_ether_at_rate(U256::MAX, RATE_PRECISION, Rounding::Up), Ok(U256::MAX));
}

#[test]
fn shares_for_ether_at_rate_rejects_a_zero_rate_and_reports_overflow() {
    assert_eq!(
        shares_for_ether_at_rate(u(1), U256::ZERO, Rounding::Down),
        Err(MathError::DivisionByZero)
    );
    assert_eq!(
        shares_for_ether_at_rate(U256::MAX, RATE_PRECISION - u(1), Rounding::Down),
        Err(MathError::Overflow)
    );
}
