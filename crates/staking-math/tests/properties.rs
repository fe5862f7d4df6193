//! Property tests against an arbitrary-precision (num-bigint) reference.

use alloy_primitives::U256;
use num_bigint::BigUint;
use proptest::prelude::*;

mod common;
use common::*;
use staking_math::{
    ether_for_shares, ether_for_shares_at_rate, fee_shares, mul_div, share_rate, shares_for_ether,
    MathError, Rounding, StakeLimit, RATE_PRECISION,
};

fn big_max() -> BigUint {
    big(U256::MAX)
}

fn nonzero_u256() -> impl Strategy<Value = U256> {
    any_u256().prop_map(|x| if x.is_zero() { U256::from(1u8) } else { x })
}

fn rounding() -> impl Strategy<Value = Rounding> {
    prop_oneof![Just(Rounding::Down), Just(Rounding::Up)]
}

proptest! {
    #[test]
    fn mul_div_down_is_the_floor_and_up_the_ceiling(
        a in any_u256(), b in any_u256(), d in nonzero_u256(),
    ) {
        let product = big(a) * big(b);
        let floor = &product / big(d);
        let ceil = if (&product % big(d)) == BigUint::ZERO { floor.clone() } else { &floor + 1u8 };
        for (rounding, exact) in [(Rounding::Down, floor), (Rounding::Up, ceil)] {
            let got = mul_div(a, b, d, rounding);
            if exact > big_max() {
                prop_assert_eq!(got, Err(MathError::Overflow));
            } else {
                prop_assert_eq!(got.map(big), Ok(exact));
            }
        }
    }

    #[test]
    fn mul_div_by_zero_is_always_refused(a in any_u256(), b in any_u256(), r in rounding()) {
        prop_assert_eq!(mul_div(a, b, U256::ZERO, r), Err(MathError::DivisionByZero));
    }

    #[test]
    fn ether_to_shares_and_back_never_returns_more_ether(
        ether in amount(), total_ether in amount(), total_shares in amount(),
    ) {
        let shares = shares_for_ether(ether, total_ether, total_shares, Rounding::Down).unwrap();
        let back = ether_for_shares(shares, total_shares, total_ether, Rounding::Down).unwrap();
        prop_assert!(back <= ether);
    }

    #[test]
    fn shares_to_ether_and_back_never_returns_more_shares(
        shares in amount(), total_ether in amount(), total_shares in amount(),
    ) {
        let ether = ether_for_shares(shares, total_shares, total_ether, Rounding::Down).unwrap();
        let back = shares_for_ether(ether, total_ether, total_shares, Rounding::Down).unwrap();
        prop_assert!(back <= shares);
    }

    #[test]
    fn burning_shares_rounded_up_covers_the_ether_paid(
        ether in amount(), total_ether in amount(), total_shares in amount(),
    ) {
        let burned = shares_for_ether(ether, total_ether, total_shares, Rounding::Up).unwrap();
        let worth = ether_for_shares(burned, total_shares, total_ether, Rounding::Up).unwrap();
        prop_assert!(worth >= ether);
    }

    #[test]
    fn conversions_are_monotonic_in_the_amount(
        x in amount(), y in amount(), total_ether in amount(), total_shares in amount(),
        r in rounding(),
    ) {
        let (lo, hi) = if x <= y { (x, y) } else { (y, x) };
        prop_assert!(
            shares_for_ether(lo, total_ether, total_shares, r).unwrap()
                <= shares_for_ether(hi, total_ether, total_shares, r).unwrap()
        );
        prop_assert!(
            ether_for_shares(lo, total_shares, total_ether, r).unwrap()
                <= ether_for_shares(hi, total_shares, total_ether, r).unwrap()
        );
    }

    #[test]
    fn rounding_up_exceeds_rounding_down_by_at_most_one(
        x in amount(), total_ether in amount(), total_shares in amount(),
    ) {
        let down = shares_for_ether(x, total_ether, total_shares, Rounding::Down).unwrap();
        let up = shares_for_ether(x, total_ether, total_shares, Rounding::Up).unwrap();
        prop_assert!(up == down || up == down + U256::from(1u8));
    }

    #[test]
    fn ether_at_the_share_rate_is_at_most_the_direct_value_and_close_to_it(
        shares in amount(), total_ether in amount(), total_shares in amount(),
    ) {
        let rate = share_rate(total_ether, total_shares).unwrap();
        let at_rate = ether_for_shares_at_rate(shares, rate, Rounding::Down).unwrap();
        let direct = ether_for_shares(shares, total_shares, total_ether, Rounding::Down).unwrap();
        prop_assert!(at_rate <= direct);
        // The rate loses under 1e-27 wei per share: at most shares / 1e27 wei, plus one of flooring.
        let gap = big(direct) - big(at_rate);
        prop_assert!(gap * big(RATE_PRECISION) <= big(shares) + big(RATE_PRECISION));
    }

    #[test]
    fn fee_shares_are_worth_the_fee_less_under_one_share(
        rewards in amount(), extra in amount(), fee_bp in 0u16..=10_000, pre_shares in amount(),
    ) {
        // The pool holds the rewards plus some principal, so the fee is below all of its ether.
        let post_ether = rewards + extra;
        let minted = fee_shares(rewards, fee_bp, post_ether, pre_shares).unwrap();
        // Exactly: 0 <= rewards*fee*(S + m) - 10_000*m*E < 10_000*E, i.e. the new shares are worth
        // at most the fee and less than one post-rebase share below it.
        let owed = big(rewards) * fee_bp * (big(pre_shares) + big(minted));
        let paid = big(minted) * big(post_ether) * 10_000u16;
        prop_assert!(paid <= owed);
        prop_assert!(owed - paid < big(post_ether) * 10_000u16);
        // The same through the library's own conversion.
        let total = pre_shares + minted;
        let value = ether_for_shares(minted, total, post_ether, Rounding::Down).unwrap();
        prop_assert!(big(value) * 10_000u16 <= big(rewards) * fee_bp);
    }

    #[test]
    fn stake_limit_pack_and_unpack_round_trip(word in any_u256()) {
        let l = StakeLimit::unpack(word);
        prop_assert!(l.max_limit <= StakeLimit::MAX_AMOUNT && l.prev_limit <= StakeLimit::MAX_AMOUNT);
        prop_assert_eq!(l.pack(), word);
        prop_assert_eq!(StakeLimit::unpack(l.pack()), l);
    }

    #[test]
    fn stake_limit_current_never_exceeds_max_nor_decreases_as_blocks_advance(
        word in any_u256(), b1 in any::<u64>(), b2 in any::<u64>(),
    ) {
        // Any stored state, even one never produced by `set`/`consume`.
        let l = StakeLimit::unpack(word);
        let (early, late) = if b1 <= b2 { (b1, b2) } else { (b2, b1) };
        if l.is_enabled() {
            prop_assert!(l.current(late) <= l.max_limit);
        } else {
            prop_assert_eq!(l.current(late), u128::MAX);
        }
        prop_assert!(l.current(early) <= l.current(late));
    }

    #[test]
    fn stake_limit_consume_then_current_is_the_remaining_less_the_amount(
        max in 1u128..=StakeLimit::MAX_AMOUNT, increase_share in 0u128..=1_000, spend in any::<u128>(),
        set_block in 0u64..=u64::from(u32::MAX), wait in 0u64..10_000,
    ) {
        let increase = max / 1_000 * increase_share;
        let Ok(l) = StakeLimit::default().set(max, increase, set_block) else {
            // Only a refill longer than u32::MAX blocks is refused here.
            prop_assert!(increase != 0 && max / increase > u128::from(u32::MAX));
            return Ok(());
        };
        prop_assert!(l.prev_limit <= l.max_limit);
        let block = set_block + wait;
        let before = l.current(block);
        let amount = spend % (before + 1);
        match l.consume(amount, block) {
            Ok(after) => {
                prop_assert_eq!(after.current(block), before - amount);
                prop_assert!(after.prev_limit <= after.max_limit);
            }
            Err(e) => prop_assert_eq!(e, staking_math::StakeLimitError::BlockOverflow),
        }
    }
}
