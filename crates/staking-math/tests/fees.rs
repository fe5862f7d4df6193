//! Unit tests of `fee_shares`.

use alloy_primitives::U256;
use staking_math::{ether_for_shares, fee_shares, MathError, Rounding};

const ETHER: u128 = 1_000_000_000_000_000_000;

fn u(x: u128) -> U256 {
    U256::from(x)
}

#[test]
fn fee_shares_follow_lidos_formula() {
    // 1 ether of rewards, 10% fee, 101 ether after the rebase, 100 shares before minting.
    let (rewards, post_ether, pre_shares) = (u(ETHER), u(101 * ETHER), u(100 * ETHER));
    let minted = fee_shares(rewards, 1_000, post_ether, pre_shares);
    assert_eq!(minted, Ok(u(99_108_027_750_247_770)));
    // The new shares are worth the 0.1 ether fee, less one wei of rounding.
    let value = ether_for_shares(
        u(99_108_027_750_247_770),
        pre_shares + minted.unwrap(),
        post_ether,
        Rounding::Down,
    );
    assert_eq!(value, Ok(u(ETHER / 10 - 1)));
}

#[test]
fn fee_shares_at_full_fee_are_worth_all_rewards() {
    // 100%: the fee recipient takes the 10 ether of rewards out of 110.
    let minted = fee_shares(u(10 * ETHER), 10_000, u(110 * ETHER), u(100 * ETHER)).unwrap();
    assert_eq!(minted, u(10 * ETHER));
    let value = ether_for_shares(minted, u(110 * ETHER), u(110 * ETHER), Rounding::Down);
    assert_eq!(value, Ok(u(10 * ETHER)));
}

#[test]
fn fee_shares_are_zero_without_rewards_or_fee() {
    assert_eq!(fee_shares(U256::ZERO, 1_000, u(ETHER), u(ETHER)), Ok(U256::ZERO));
    assert_eq!(fee_shares(u(ETHER), 0, u(2 * ETHER), u(ETHER)), Ok(U256::ZERO));
    // Nothing is divided when there is no fee, even in an empty pool.
    assert_eq!(fee_shares(U256::ZERO, 1_000, U256::ZERO, U256::ZERO), Ok(U256::ZERO));
}

#[test]
fn fee_shares_round_down_to_zero_for_a_one_wei_fee_share() {
    // 1 wei of rewards at 10%: a tenth of a wei buys no share.
    assert_eq!(fee_shares(u(1), 1_000, u(ETHER), u(ETHER)), Ok(U256::ZERO));
}

#[test]
fn fee_shares_reject_a_fee_above_100_percent() {
    assert_eq!(fee_shares(u(ETHER), 10_001, u(2 * ETHER), u(ETHER)), Err(MathError::Overflow));
    assert_eq!(fee_shares(u(ETHER), u16::MAX, u(2 * ETHER), u(ETHER)), Err(MathError::Overflow));
}

#[test]
fn fee_shares_reject_rewards_above_the_post_rebase_ether() {
    assert_eq!(fee_shares(u(2 * ETHER), 10_000, u(ETHER), u(ETHER)), Err(MathError::Underflow));
}

#[test]
fn fee_shares_reject_a_fee_equal_to_all_the_ether() {
    assert_eq!(fee_shares(u(ETHER), 10_000, u(ETHER), u(ETHER)), Err(MathError::DivisionByZero));
}

#[test]
fn fee_shares_report_overflow_of_intermediates() {
    assert_eq!(fee_shares(U256::MAX, 2, U256::MAX, u(1)), Err(MathError::Overflow));
    assert_eq!(fee_shares(u(1), 1, U256::MAX, u(1)), Err(MathError::Overflow));
}
