//! Report arithmetic: principal, rewards, post-report totals, fee split and actual share rate,
//! with boundaries and properties against a num-bigint reference.

use alloy_primitives::U256;
use num_bigint::BigUint;
use proptest::prelude::*;

mod common;
use common::*;
use staking_math::report::{
    actual_share_rate, after_finalization, cl_loss, fee_rewards, fee_split, no_withdrawal_totals,
    post_buffered, principal_cl, DEPOSIT_SIZE,
};
use staking_math::{EtherAndShares, FeeSplit, MathError, ReportInput, RATE_PRECISION};

const ETHER: u128 = 1_000_000_000_000_000_000;

mod principal {
    use super::*;

    #[test]
    fn principal_adds_32_ether_per_new_validator() {
        assert_eq!(principal_cl(u(100 * ETHER), 3, 5), Ok(u(164 * ETHER)));
        assert_eq!(principal_cl(u(100 * ETHER), 5, 5), Ok(u(100 * ETHER)));
        assert_eq!(principal_cl(U256::ZERO, 0, 0), Ok(U256::ZERO));
        assert_eq!(U256::from(DEPOSIT_SIZE), u(32 * ETHER));
    }

    #[test]
    fn principal_of_all_u64_validators_fits() {
        assert_eq!(principal_cl(U256::ZERO, 0, u64::MAX), Ok(U256::from(u64::MAX) * u(32 * ETHER)));
    }

    #[test]
    fn fewer_validators_than_before_underflow() {
        assert_eq!(principal_cl(u(ETHER), 5, 4), Err(MathError::Underflow));
    }

    #[test]
    fn principal_overflow_is_an_error() {
        assert_eq!(principal_cl(U256::MAX, 0, 1), Err(MathError::Overflow));
        assert_eq!(principal_cl(U256::MAX, 1, 1), Ok(U256::MAX));
    }
}

mod rewards {
    use super::*;

    #[test]
    fn rewards_include_el_rewards_when_the_cl_earned() {
        // Principal 100, CL 100.5 + 0.25 withdrawn, 1 EL: rewards 1.75.
        let r = fee_rewards(u(100 * ETHER), u(100_500 * ETHER / 1000), u(ETHER / 4), u(ETHER));
        assert_eq!(r, Ok(Some(u(1_750 * ETHER / 1000))));
    }

    #[test]
    fn one_wei_of_cl_gain_makes_a_fee_due() {
        assert_eq!(fee_rewards(u(100), u(100), u(1), U256::ZERO), Ok(Some(u(1))));
        assert_eq!(fee_rewards(U256::ZERO, u(1), U256::ZERO, u(5)), Ok(Some(u(6))));
    }

    #[test]
    fn no_fee_when_the_cl_breaks_even_or_loses_even_with_el_rewards() {
        assert_eq!(fee_rewards(u(100), u(60), u(40), u(ETHER)), Ok(None));
        assert_eq!(fee_rewards(u(100), u(99), U256::ZERO, u(ETHER)), Ok(None));
        assert_eq!(fee_rewards(U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO), Ok(None));
    }

    #[test]
    fn rewards_overflow_is_an_error() {
        assert_eq!(fee_rewards(U256::ZERO, U256::MAX, u(1), U256::ZERO), Err(MathError::Overflow));
        assert_eq!(fee_rewards(U256::ZERO, U256::MAX, U256::ZERO, u(1)), Err(MathError::Overflow));
        assert_eq!(fee_rewards(U256::ZERO, U256::MAX, U256::ZERO, U256::ZERO), Ok(Some(U256::MAX)));
    }

    #[test]
    fn loss_is_the_shortfall_below_principal() {
        assert_eq!(cl_loss(u(100), u(60), u(30)), Ok(u(10)));
        assert_eq!(cl_loss(u(100), u(99), U256::ZERO), Ok(u(1)));
        assert_eq!(cl_loss(u(100), u(60), u(40)), Ok(U256::ZERO));
        assert_eq!(cl_loss(u(100), u(200), U256::ZERO), Ok(U256::ZERO));
        assert_eq!(cl_loss(U256::MAX, U256::ZERO, U256::ZERO), Ok(U256::MAX));
        assert_eq!(cl_loss(U256::MAX, U256::MAX, u(1)), Err(MathError::Overflow));
    }
}

mod totals {
    use super::*;

    fn input() -> ReportInput {
        ReportInput {
            buffered: u(10 * ETHER),
            deposited_validators: 4,
            cl_validators: 3,
            cl_balance: u(97 * ETHER),
            withdrawals: u(2 * ETHER),
            el_rewards: u(ETHER),
            total_shares: u(130 * ETHER),
            shares_to_burn: u(ETHER),
        }
    }

    #[test]
    fn no_withdrawal_totals_add_buffer_claims_pending_deposits_and_cl() {
        // 10 + 2 + 1 + 32 + 97 = 142 ether; 130 - 1 shares.
        assert_eq!(
            no_withdrawal_totals(&input()),
            Ok(EtherAndShares { ether: u(142 * ETHER), shares: u(129 * ETHER) })
        );
        assert_eq!(no_withdrawal_totals(&ReportInput::default()), Ok(EtherAndShares::default()));
    }

    #[test]
    fn more_seen_than_deposited_validators_underflow() {
        let bad = ReportInput { cl_validators: 5, ..input() };
        assert_eq!(no_withdrawal_totals(&bad), Err(MathError::Underflow));
    }

    #[test]
    fn burning_more_than_the_supply_underflows() {
        let bad = ReportInput { shares_to_burn: u(130 * ETHER + 1), ..input() };
        assert_eq!(no_withdrawal_totals(&bad), Err(MathError::Underflow));
        let all = ReportInput { shares_to_burn: u(130 * ETHER), ..input() };
        assert_eq!(no_withdrawal_totals(&all).map(|t| t.shares), Ok(U256::ZERO));
    }

    #[test]
    fn no_withdrawal_ether_overflow_is_an_error() {
        let bad = ReportInput { cl_balance: U256::MAX, ..input() };
        assert_eq!(no_withdrawal_totals(&bad), Err(MathError::Overflow));
        let bad = ReportInput { withdrawals: U256::MAX, ..input() };
        assert_eq!(no_withdrawal_totals(&bad), Err(MathError::Overflow));
    }

    #[test]
    fn finalization_locks_ether_and_burns_queue_shares() {
        let nw = EtherAndShares { ether: u(142 * ETHER), shares: u(129 * ETHER) };
        assert_eq!(
            after_finalization(nw, u(11 * ETHER), u(10 * ETHER)),
            Ok(EtherAndShares { ether: u(131 * ETHER), shares: u(119 * ETHER) })
        );
        assert_eq!(after_finalization(nw, nw.ether, nw.shares), Ok(EtherAndShares::default()));
        assert_eq!(after_finalization(nw, nw.ether + u(1), U256::ZERO), Err(MathError::Underflow));
        assert_eq!(after_finalization(nw, U256::ZERO, nw.shares + u(1)), Err(MathError::Underflow));
    }

    #[test]
    fn buffer_takes_the_claims_and_gives_the_locked_ether() {
        assert_eq!(post_buffered(u(10), u(2), u(1), u(13)), Ok(U256::ZERO));
        assert_eq!(post_buffered(u(10), u(2), u(1), u(5)), Ok(u(8)));
        assert_eq!(post_buffered(u(10), u(2), u(1), u(14)), Err(MathError::Underflow));
        assert_eq!(post_buffered(U256::MAX, u(1), U256::ZERO, u(1)), Err(MathError::Overflow));
    }
}

mod fees {
    use super::*;

    #[test]
    fn fee_is_split_with_the_treasury_taking_the_remainder() {
        // 1 ether of rewards at 10% (5% to operators), 101 ether against 100 shares.
        let post = EtherAndShares { ether: u(101 * ETHER), shares: u(100 * ETHER) };
        let split = fee_split(u(ETHER), 1_000, 500, post).unwrap();
        assert_eq!(split.total, u(99_108_027_750_247_770));
        assert_eq!(split.operators, u(49_554_013_875_123_885));
        assert_eq!(split.treasury, u(49_554_013_875_123_885));
    }

    #[test]
    fn odd_shares_leave_the_rounding_to_the_treasury() {
        // total = 3 shares, operators 1/2 -> 1, treasury 2.
        let post = EtherAndShares { ether: u(100), shares: u(100) };
        let split = fee_split(u(30), 1_000, 500, post).unwrap();
        assert_eq!(split, FeeSplit { total: u(3), operators: u(1), treasury: u(2) });
    }

    #[test]
    fn all_to_operators_or_all_to_treasury() {
        let post = EtherAndShares { ether: u(110 * ETHER), shares: u(100 * ETHER) };
        let all_ops = fee_split(u(10 * ETHER), 10_000, 10_000, post).unwrap();
        assert_eq!(
            all_ops,
            FeeSplit { total: u(10 * ETHER), operators: u(10 * ETHER), treasury: U256::ZERO }
        );
        let no_ops = fee_split(u(10 * ETHER), 10_000, 0, post).unwrap();
        assert_eq!(
            no_ops,
            FeeSplit { total: u(10 * ETHER), operators: U256::ZERO, treasury: u(10 * ETHER) }
        );
    }

    #[test]
    fn no_rewards_or_no_fee_mints_nothing() {
        let post = EtherAndShares { ether: u(ETHER), shares: u(ETHER) };
        assert_eq!(fee_split(U256::ZERO, 1_000, 500, post), Ok(FeeSplit::default()));
        assert_eq!(fee_split(u(ETHER / 2), 0, 0, post), Ok(FeeSplit::default()));
        // A one-wei fee rounds to no share.
        assert_eq!(fee_split(u(1), 1_000, 500, post), Ok(FeeSplit::default()));
    }

    #[test]
    fn bad_fee_configs_are_errors() {
        let post = EtherAndShares { ether: u(2 * ETHER), shares: u(ETHER) };
        assert_eq!(fee_split(u(ETHER), 10_001, 0, post), Err(MathError::Overflow));
        assert_eq!(fee_split(u(ETHER), 1_000, 1_001, post), Err(MathError::Overflow));
        assert_eq!(
            fee_split(u(ETHER), 10_000, 0, EtherAndShares { ether: u(ETHER), shares: u(1) }),
            Err(MathError::DivisionByZero)
        );
        assert_eq!(fee_split(U256::MAX, 2, 1, post), Err(MathError::Overflow));
    }

    #[test]
    fn actual_rate_includes_minted_shares_and_rounds_down() {
        let nw = EtherAndShares { ether: u(3), shares: u(2) };
        assert_eq!(actual_share_rate(nw, u(1)), Ok(RATE_PRECISION));
        assert_eq!(actual_share_rate(nw, U256::ZERO), Ok(RATE_PRECISION * u(3) / u(2)));
        let nw = EtherAndShares { ether: u(2), shares: u(3) };
        assert_eq!(actual_share_rate(nw, U256::ZERO), Ok(u(666_666_666_666_666_666_666_666_666)));
    }

    #[test]
    fn actual_rate_errors_on_no_shares_or_overflow() {
        assert_eq!(
            actual_share_rate(EtherAndShares::default(), U256::ZERO),
            Err(MathError::DivisionByZero)
        );
        let nw = EtherAndShares { ether: U256::MAX, shares: u(1) };
        assert_eq!(actual_share_rate(nw, U256::ZERO), Err(MathError::Overflow));
        let nw = EtherAndShares { ether: u(1), shares: U256::MAX };
        assert_eq!(actual_share_rate(nw, u(1)), Err(MathError::Overflow));
    }
}

proptest! {
    #[test]
    fn minted_shares_are_worth_the_fee_less_under_one_share(
        rewards in amount(), extra in amount(), shares in amount(),
        (total_bp, op_bp) in (0u16..=10_000).prop_flat_map(|t| (Just(t), 0..=t)),
    ) {
        let post = EtherAndShares { ether: rewards + extra, shares };
        let split = fee_split(rewards, total_bp, op_bp, post).unwrap();
        let m = big(split.total);
        let e = big(post.ether);
        let supply = big(shares) + &m;
        // Worth of m shares = m*E/(S+m); fee = R*bp/1e4. Exactly, scaled by 1e4*(S+m):
        // 1e4*m*E <= R*bp*(S+m) < 1e4*(m+1)*E.
        let fee_scaled = big(rewards) * total_bp * &supply;
        prop_assert!(&m * &e * 10_000u32 <= fee_scaled);
        prop_assert!(fee_scaled < (&m + 1u8) * &e * 10_000u32);
        // The split is exact: operators floored, treasury the rest.
        prop_assert_eq!(split.operators + split.treasury, split.total);
        if total_bp > 0 {
            prop_assert_eq!(big(split.operators), &m * op_bp / total_bp);
        }
    }

    #[test]
    fn principal_and_rewards_match_the_exact_formulas(
        pre in amount(), pre_v in any::<u32>(), new_v in any::<u32>(),
        cl in amount(), wd in amount(), el in amount(),
    ) {
        let post_v = u64::from(pre_v) + u64::from(new_v);
        let principal = principal_cl(pre, pre_v.into(), post_v).unwrap();
        prop_assert_eq!(big(principal), big(pre) + BigUint::from(new_v) * 32u8 * 10u64.pow(18));
        let unified = big(cl) + big(wd);
        let rewards = fee_rewards(principal, cl, wd, el).unwrap();
        let loss = cl_loss(principal, cl, wd).unwrap();
        if unified > big(principal) {
            prop_assert_eq!(rewards.map(big), Some(&unified - big(principal) + big(el)));
            prop_assert_eq!(loss, U256::ZERO);
        } else {
            prop_assert_eq!(rewards, None);
            prop_assert_eq!(big(loss), big(principal) - unified);
        }
    }

    #[test]
    fn report_totals_conserve_ether_and_shares(
        buffered in amount(), deposited in any::<u32>(), seen in any::<u32>(),
        cl in amount(), wd in amount(), el in amount(), shares in amount(), burn_frac in 0u8..=255,
        lock_frac in 0u8..=255, queue_frac in 0u8..=255,
    ) {
        let (lo, hi) = if seen <= deposited { (seen, deposited) } else { (deposited, seen) };
        let input = ReportInput {
            buffered, deposited_validators: hi.into(), cl_validators: lo.into(), cl_balance: cl,
            withdrawals: wd, el_rewards: el, total_shares: shares,
            shares_to_burn: shares * u(burn_frac.into()) / u(255),
        };
        let nw = no_withdrawal_totals(&input).unwrap();
        let pending = BigUint::from(hi - lo) * 32u8 * 10u64.pow(18);
        prop_assert_eq!(big(nw.ether), big(buffered) + big(wd) + big(el) + pending + big(cl));
        prop_assert_eq!(nw.shares, shares - input.shares_to_burn);
        let available = buffered + wd + el;
        let lock = available * u(lock_frac.into()) / u(255);
        let queue_shares = nw.shares * u(queue_frac.into()) / u(255);
        let post = after_finalization(nw, lock, queue_shares).unwrap();
        let buffer = post_buffered(buffered, wd, el, lock).unwrap();
        // Locked ether leaves both the buffer and the total by the same amount.
        prop_assert_eq!(nw.ether - post.ether, available - buffer);
        prop_assert_eq!(post.shares + queue_shares, nw.shares);
    }

    #[test]
    fn actual_rate_is_the_floor_of_the_exact_rate(ether in amount(), shares in amount(), minted in amount()) {
        let rate = actual_share_rate(EtherAndShares { ether, shares }, minted).unwrap();
        let exact = big(ether) * big(RATE_PRECISION);
        let supply = big(shares) + big(minted);
        prop_assert_eq!(big(rate), exact / supply);
    }
}
