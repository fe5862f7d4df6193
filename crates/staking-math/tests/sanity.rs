//! Sanity limits: packing, validation, and every check at its boundaries and against an exact
//! rational (num-bigint) reference.

use alloy_primitives::U256;
use num_bigint::BigUint;
use proptest::prelude::*;

mod common;
use common::*;
use staking_math::sanity::{
    check_annual_increase, check_appeared_validators, check_cl_decrease, check_claimed_ether,
    check_exited_validators, check_positive_rebase, check_request_margin, check_share_rate,
    check_shares_to_burn, finalization_burn, LimitField, LimitValueError, PRINCIPAL_FLOOR,
};
use staking_math::{Limits, SanityError};

const ETHER: u128 = 1_000_000_000_000_000_000;
const YEAR: u64 = 365 * 86_400;

/// `ceil(n / d)` saturated at U256::MAX (U256::MAX for d = 0), as the errors report it.
fn ceil_ref(n: &BigUint, d: &BigUint) -> U256 {
    if *d == BigUint::from(0u8) {
        return U256::MAX;
    }
    let q = (n + d - 1u8) / d;
    if q > big(U256::MAX) {
        U256::MAX
    } else {
        U256::from_le_slice(&q.to_bytes_le())
    }
}

mod limits {
    use super::*;

    #[test]
    fn lido_limits_are_lidos_mainnet_values() {
        let l = Limits::LIDO;
        assert_eq!(l.annual_increase_bp, 1_000);
        assert_eq!(l.cl_decrease_bp, 500);
        assert_eq!(l.cl_decrease_window, 1_555_200);
        assert_eq!(l.share_rate_deviation_bp, 50);
        assert_eq!(l.appeared_per_day, 1_800);
        assert_eq!(l.exited_per_day, 3_600);
        assert_eq!(l.request_margin, 7_680);
        assert_eq!(l.max_positive_rebase, 750_000);
        assert_eq!(l.max_exited_operators, 100);
        assert_eq!(l.validate(), Ok(()));
    }

    #[test]
    fn lido_limits_round_trip_through_one_word() {
        assert_eq!(Limits::unpack(Limits::LIDO.pack()), Limits::LIDO);
    }

    #[test]
    fn fields_sit_at_their_documented_offsets() {
        let w = Limits::LIDO.pack();
        let field = |off: usize, width: usize| staking_math::get_bits(w, off, width);
        assert_eq!(field(0, 16), u(1_000));
        assert_eq!(field(16, 16), u(500));
        assert_eq!(field(32, 32), u(1_555_200));
        assert_eq!(field(64, 16), u(50));
        assert_eq!(field(80, 32), u(1_800));
        assert_eq!(field(112, 32), u(3_600));
        assert_eq!(field(144, 32), u(7_680));
        assert_eq!(field(176, 64), u(750_000));
        assert_eq!(field(240, 16), u(100));
    }

    #[test]
    fn zero_and_full_words_round_trip() {
        assert_eq!(Limits::default().pack(), U256::ZERO);
        assert_eq!(Limits::unpack(U256::ZERO), Limits::default());
        let full = Limits::unpack(U256::MAX);
        assert_eq!(full.max_positive_rebase, u64::MAX);
        assert_eq!(full.exited_per_day, u32::MAX);
        assert_eq!(full.max_exited_operators, u16::MAX);
        assert_eq!(full.pack(), U256::MAX);
    }

    #[test]
    fn basis_point_fields_accept_10000_and_refuse_10001() {
        type Setter = fn(&mut Limits, u16);
        let cases: [(LimitField, Setter); 3] = [
            (LimitField::AnnualIncreaseBp, |l, v| l.annual_increase_bp = v),
            (LimitField::ClDecreaseBp, |l, v| l.cl_decrease_bp = v),
            (LimitField::ShareRateDeviationBp, |l, v| l.share_rate_deviation_bp = v),
        ];
        for (field, set) in cases {
            let mut l = Limits::LIDO;
            set(&mut l, 10_000);
            assert_eq!(l.validate(), Ok(()));
            set(&mut l, 0);
            assert_eq!(l.validate(), Ok(()));
            set(&mut l, 10_001);
            assert_eq!(
                l.validate(),
                Err(LimitValueError { field, value: 10_001, min: 0, max: 10_000 })
            );
        }
    }

    #[test]
    fn zero_window_is_refused() {
        let l = Limits { cl_decrease_window: 0, ..Limits::LIDO };
        assert_eq!(
            l.validate(),
            Err(LimitValueError {
                field: LimitField::ClDecreaseWindow,
                value: 0,
                min: 1,
                max: u32::MAX.into()
            })
        );
        assert_eq!(Limits { cl_decrease_window: 1, ..Limits::LIDO }.validate(), Ok(()));
    }

    #[test]
    fn zero_positive_rebase_is_refused_and_one_or_max_accepted() {
        let l = Limits { max_positive_rebase: 0, ..Limits::LIDO };
        assert_eq!(
            l.validate(),
            Err(LimitValueError {
                field: LimitField::MaxPositiveRebase,
                value: 0,
                min: 1,
                max: u64::MAX
            })
        );
        assert_eq!(Limits { max_positive_rebase: 1, ..Limits::LIDO }.validate(), Ok(()));
        assert_eq!(Limits { max_positive_rebase: u64::MAX, ..Limits::LIDO }.validate(), Ok(()));
    }

    #[test]
    fn unbounded_fields_take_any_value() {
        let l = Limits {
            appeared_per_day: u32::MAX,
            exited_per_day: 0,
            request_margin: u32::MAX,
            max_exited_operators: 0,
            ..Limits::LIDO
        };
        assert_eq!(l.validate(), Ok(()));
    }

    #[test]
    fn the_first_bad_field_is_named() {
        let l = Limits { cl_decrease_bp: 20_000, max_positive_rebase: 0, ..Limits::LIDO };
        assert_eq!(l.validate().unwrap_err().field, LimitField::ClDecreaseBp);
    }

    fn any_limits() -> impl Strategy<Value = Limits> {
        (
            (any::<u16>(), any::<u16>(), any::<u32>(), any::<u16>(), any::<u32>()),
            (any::<u32>(), any::<u32>(), any::<u64>(), any::<u16>()),
        )
            .prop_map(|((a, b, c, d, e), (f, g, h, i))| Limits {
                annual_increase_bp: a,
                cl_decrease_bp: b,
                cl_decrease_window: c,
                share_rate_deviation_bp: d,
                appeared_per_day: e,
                exited_per_day: f,
                request_margin: g,
                max_positive_rebase: h,
                max_exited_operators: i,
            })
    }

    proptest! {
        #[test]
        fn limits_round_trip(l in any_limits()) {
            prop_assert_eq!(Limits::unpack(l.pack()), l);
        }

        #[test]
        fn words_round_trip(limbs in any::<[u64; 4]>()) {
            let w = U256::from_limbs(limbs);
            prop_assert_eq!(Limits::unpack(w).pack(), w);
        }

        #[test]
        fn validate_accepts_exactly_the_documented_ranges(l in any_limits()) {
            let ok = l.annual_increase_bp <= 10_000
                && l.cl_decrease_bp <= 10_000
                && l.cl_decrease_window >= 1
                && l.share_rate_deviation_bp <= 10_000
                && l.max_positive_rebase >= 1;
            prop_assert_eq!(l.validate().is_ok(), ok);
        }
    }
}

mod annual_increase {
    use super::*;

    // 100 ether principal, 10% a year allowed: exactly 10 ether over a year is at the limit.
    #[test]
    fn increase_exactly_at_the_limit_is_accepted() {
        assert_eq!(check_annual_increase(1_000, u(100 * ETHER), u(110 * ETHER), YEAR), Ok(()));
    }

    #[test]
    fn one_wei_past_the_limit_is_refused_with_the_rate_rounded_up() {
        assert_eq!(
            check_annual_increase(1_000, u(100 * ETHER), u(110 * ETHER + 1), YEAR),
            Err(SanityError::ClBalanceIncrease { limit_bp: 1_000, annual_bp: u(1_001) })
        );
    }

    #[test]
    fn no_increase_or_a_loss_passes_even_with_a_zero_limit() {
        assert_eq!(check_annual_increase(0, u(100 * ETHER), u(100 * ETHER), YEAR), Ok(()));
        assert_eq!(check_annual_increase(0, u(100 * ETHER), u(1), 0), Ok(()));
        assert_eq!(check_annual_increase(0, U256::ZERO, U256::ZERO, 0), Ok(()));
        assert_eq!(check_annual_increase(0, U256::MAX, U256::ZERO, 0), Ok(()));
    }

    #[test]
    fn a_zero_limit_refuses_one_wei() {
        let err = check_annual_increase(0, u(100 * ETHER), u(100 * ETHER + 1), YEAR);
        assert_eq!(err, Err(SanityError::ClBalanceIncrease { limit_bp: 0, annual_bp: u(1) }));
    }

    #[test]
    fn zero_elapsed_counts_as_one_hour() {
        // 1 ether over 8,760 ether in an hour is 100% a year = 10,000 BP.
        let principal = u(8_760 * ETHER);
        assert_eq!(check_annual_increase(10_000, principal, principal + u(ETHER), 0), Ok(()));
        assert_eq!(check_annual_increase(10_000, principal, principal + u(ETHER), 3_600), Ok(()));
        assert!(check_annual_increase(9_999, principal, principal + u(ETHER), 0).is_err());
    }

    #[test]
    fn a_principal_below_one_deposit_counts_as_32_ether() {
        assert_eq!(PRINCIPAL_FLOOR, u(32 * ETHER));
        // 32 ether of increase over the floor in a year is 10,000 BP, from a zero principal
        // or from a principal of 1 gwei (a ticket's fee left on an emptied L1 side).
        for principal in [U256::ZERO, u(1_000_000_000)] {
            assert_eq!(
                check_annual_increase(10_000, principal, principal + u(32 * ETHER), YEAR),
                Ok(())
            );
            assert!(matches!(
                check_annual_increase(10_000, principal, principal + u(32 * ETHER + 1), YEAR),
                Err(SanityError::ClBalanceIncrease { limit_bp: 10_000, .. })
            ));
        }
        // At and above the floor the principal is its own.
        assert_eq!(check_annual_increase(10_000, u(64 * ETHER), u(128 * ETHER), YEAR), Ok(()));
        assert!(check_annual_increase(10_000, u(64 * ETHER), u(128 * ETHER + 1), YEAR).is_err());
    }

    #[test]
    fn huge_values_compare_exactly_without_overflowing() {
        // The floor bounds the ratio: U256::MAX over 32 ether in one second still fits a word.
        let annual_bp = ceil_ref(&(big(U256::MAX) * YEAR * 10_000u32), &big(PRINCIPAL_FLOOR));
        assert!(annual_bp < U256::MAX);
        assert_eq!(
            check_annual_increase(u16::MAX, U256::ZERO, U256::MAX, 1),
            Err(SanityError::ClBalanceIncrease { limit_bp: u16::MAX, annual_bp })
        );
        assert_eq!(check_annual_increase(u16::MAX, U256::MAX - u(1), U256::MAX, u64::MAX), Ok(()));
    }
}

mod cl_decrease {
    use super::*;

    #[test]
    fn losses_exactly_at_the_limit_are_accepted() {
        // 5% of 100 ether.
        assert_eq!(check_cl_decrease(500, u(5 * ETHER), u(100 * ETHER)), Ok(()));
        assert_eq!(check_cl_decrease(0, U256::ZERO, U256::ZERO), Ok(()));
    }

    #[test]
    fn one_wei_past_the_limit_is_refused_with_the_bp_rounded_up() {
        assert_eq!(
            check_cl_decrease(500, u(5 * ETHER + 1), u(100 * ETHER)),
            Err(SanityError::ClBalanceDecrease { limit_bp: 500, window_bp: u(501) })
        );
    }

    #[test]
    fn a_principal_below_one_deposit_counts_as_32_ether() {
        // A ticket's fee lost against the fee-sized principal an emptied L1 side leaves is a
        // tiny share of 32 ether, not 100% of the principal.
        assert_eq!(check_cl_decrease(500, u(1_000_000_000), u(1_000_000_000)), Ok(()));
        assert_eq!(check_cl_decrease(500, u(ETHER * 8 / 5), U256::ZERO), Ok(()));
        assert_eq!(
            check_cl_decrease(500, u(ETHER * 8 / 5 + 1), U256::ZERO),
            Err(SanityError::ClBalanceDecrease { limit_bp: 500, window_bp: u(501) })
        );
    }

    #[test]
    fn full_width_values_compare_exactly() {
        assert_eq!(check_cl_decrease(10_000, U256::MAX, U256::MAX), Ok(()));
        assert_eq!(
            check_cl_decrease(9_999, U256::MAX, U256::MAX),
            Err(SanityError::ClBalanceDecrease { limit_bp: 9_999, window_bp: u(10_000) })
        );
    }
}

mod positive_rebase {
    use super::*;

    #[test]
    fn rise_exactly_at_the_limit_is_accepted() {
        // Rate 1 -> 1.00075 with 1,000 shares.
        let s = u(1_000 * ETHER);
        assert_eq!(
            check_positive_rebase(750_000, s, s, u(1_000_750_000_000_000_000_000), s),
            Ok(())
        );
    }

    #[test]
    fn one_wei_past_the_limit_is_refused_with_the_rise_rounded_up() {
        let s = u(1_000 * ETHER);
        assert_eq!(
            check_positive_rebase(750_000, s, s, u(1_000_750_000_000_000_000_001), s),
            Err(SanityError::PositiveRebase { limit: 750_000, actual: u(750_001) })
        );
    }

    #[test]
    fn a_falling_or_flat_rate_passes() {
        let s = u(1_000 * ETHER);
        assert_eq!(check_positive_rebase(1, s, s, s, s), Ok(()));
        assert_eq!(check_positive_rebase(1, s, s, u(1), s), Ok(()));
        assert_eq!(check_positive_rebase(1, s, s, U256::ZERO, U256::ZERO), Ok(()));
    }

    #[test]
    fn an_empty_pool_before_the_report_passes() {
        assert_eq!(check_positive_rebase(1, U256::ZERO, U256::ZERO, U256::MAX, u(1)), Ok(()));
        assert_eq!(check_positive_rebase(1, U256::ZERO, u(5), U256::MAX, u(1)), Ok(()));
    }

    #[test]
    fn ether_against_zero_shares_is_an_unbounded_rise() {
        assert_eq!(
            check_positive_rebase(u64::MAX, u(1), u(1), u(1), U256::ZERO),
            Err(SanityError::PositiveRebase { limit: u64::MAX, actual: U256::MAX })
        );
    }

    #[test]
    fn full_width_values_compare_exactly() {
        let m = U256::MAX;
        assert_eq!(check_positive_rebase(1, m, m, m, m), Ok(()));
        // A rise of 1 / (2^256 - 2) is below 1e-9.
        assert_eq!(check_positive_rebase(1, m - u(1), m, m, m), Ok(()));
        // (2^256 - 1) / (2^255 - 1) = 2 + 1 / (2^255 - 1): just over 100%, rounded up.
        assert_eq!(
            check_positive_rebase(1_000_000_000, m >> 1, m, m, m),
            Err(SanityError::PositiveRebase { limit: 1_000_000_000, actual: u(1_000_000_001) })
        );
    }
}

mod share_rate {
    use super::*;

    const RATE: u128 = 1_000_000_000_000_000_000_000_000_000;

    #[test]
    fn deviation_exactly_at_the_limit_is_accepted_both_ways() {
        let dev = RATE / 200; // 50 BP
        assert_eq!(check_share_rate(50, u(RATE + dev), u(RATE)), Ok(()));
        assert_eq!(check_share_rate(50, u(RATE - dev), u(RATE)), Ok(()));
        assert_eq!(check_share_rate(0, u(RATE), u(RATE)), Ok(()));
    }

    #[test]
    fn one_past_the_limit_is_refused_with_the_bp_rounded_up() {
        let dev = RATE / 200;
        assert_eq!(
            check_share_rate(50, u(RATE - dev - 1), u(RATE)),
            Err(SanityError::SimulatedShareRate {
                limit_bp: 50,
                simulated: u(RATE - dev - 1),
                actual: u(RATE),
                deviation_bp: u(51),
            })
        );
    }

    #[test]
    fn zero_actual_accepts_only_zero_simulated() {
        assert_eq!(check_share_rate(0, U256::ZERO, U256::ZERO), Ok(()));
        assert_eq!(
            check_share_rate(10_000, u(1), U256::ZERO),
            Err(SanityError::SimulatedShareRate {
                limit_bp: 10_000,
                simulated: u(1),
                actual: U256::ZERO,
                deviation_bp: U256::MAX,
            })
        );
    }

    #[test]
    fn full_width_rates_compare_exactly() {
        assert_eq!(check_share_rate(10_000, U256::ZERO, U256::MAX), Ok(()));
        assert!(check_share_rate(u16::MAX, U256::MAX, u(1)).is_err());
    }
}

mod validators {
    use super::*;

    #[test]
    fn appeared_exactly_at_the_daily_limit_is_accepted() {
        assert_eq!(check_appeared_validators(1_800, 100, 1_900, 86_400), Ok(()));
        // Half a day: 900.
        assert_eq!(check_appeared_validators(1_800, 0, 900, 43_200), Ok(()));
    }

    #[test]
    fn one_past_the_daily_limit_is_refused_with_the_rate_rounded_up() {
        assert_eq!(
            check_appeared_validators(1_800, 0, 901, 43_200),
            Err(SanityError::AppearedValidators {
                limit_per_day: 1_800,
                appeared: 901,
                per_day: 1_802
            })
        );
        assert_eq!(
            check_appeared_validators(1_800, 0, 1_801, 86_400),
            Err(SanityError::AppearedValidators {
                limit_per_day: 1_800,
                appeared: 1_801,
                per_day: 1_801
            })
        );
    }

    #[test]
    fn appeared_with_zero_elapsed_counts_one_hour() {
        assert_eq!(check_appeared_validators(2_400, 0, 100, 0), Ok(()));
        assert_eq!(
            check_appeared_validators(2_400, 0, 101, 0),
            Err(SanityError::AppearedValidators {
                limit_per_day: 2_400,
                appeared: 101,
                per_day: 2_424
            })
        );
    }

    #[test]
    fn fewer_validators_than_before_count_as_none_appeared() {
        assert_eq!(check_appeared_validators(0, 10, 5, 1), Ok(()));
        assert_eq!(check_appeared_validators(0, 5, 5, 1), Ok(()));
    }

    #[test]
    fn extreme_counts_do_not_overflow() {
        assert_eq!(
            check_appeared_validators(0, 0, u64::MAX, 1),
            Err(SanityError::AppearedValidators {
                limit_per_day: 0,
                appeared: u64::MAX,
                per_day: u128::from(u64::MAX) * 86_400,
            })
        );
        assert_eq!(check_appeared_validators(u32::MAX, 0, u64::MAX, u64::MAX), Ok(()));
    }

    #[test]
    fn exited_exactly_at_the_daily_limit_is_accepted_and_one_more_refused() {
        assert_eq!(check_exited_validators(3_600, 3_600, 86_400), Ok(()));
        assert_eq!(check_exited_validators(3_600, 0, 0), Ok(()));
        assert_eq!(
            check_exited_validators(3_600, 3_601, 86_400),
            Err(SanityError::ExitedValidators {
                limit_per_day: 3_600,
                exited: 3_601,
                per_day: 3_601
            })
        );
        assert_eq!(check_exited_validators(3_600, 150, 0), Ok(()));
        assert_eq!(
            check_exited_validators(3_600, 151, 0),
            Err(SanityError::ExitedValidators {
                limit_per_day: 3_600,
                exited: 151,
                per_day: 3_624
            })
        );
    }
}

mod request_margin {
    use super::*;

    #[test]
    fn request_exactly_margin_old_is_accepted() {
        assert_eq!(check_request_margin(7_680, 1_000, 8_680), Ok(()));
        assert_eq!(check_request_margin(0, 5, 5), Ok(()));
    }

    #[test]
    fn one_second_younger_is_refused() {
        assert_eq!(
            check_request_margin(7_680, 1_001, 8_680),
            Err(SanityError::RequestFinalization {
                request_timestamp: 1_001,
                margin: 7_680,
                report_timestamp: 8_680,
            })
        );
    }

    #[test]
    fn timestamps_near_u64_max_do_not_overflow() {
        assert!(check_request_margin(u32::MAX, u64::MAX, u64::MAX).is_err());
        assert_eq!(check_request_margin(u32::MAX, 0, u64::MAX), Ok(()));
    }
}

mod balances {
    use super::*;

    #[test]
    fn claims_up_to_the_available_ether_are_accepted() {
        assert_eq!(check_claimed_ether(u(2), u(3), u(5)), Ok(()));
        assert_eq!(check_claimed_ether(U256::ZERO, U256::ZERO, U256::ZERO), Ok(()));
        assert_eq!(
            check_claimed_ether(u(3), u(3), u(5)),
            Err(SanityError::WithdrawalsAndRewards { claimed: u(6), available: u(5) })
        );
    }

    #[test]
    fn an_overflowing_claim_is_refused_saturated() {
        assert_eq!(
            check_claimed_ether(U256::MAX, u(1), U256::MAX),
            Err(SanityError::WithdrawalsAndRewards { claimed: U256::MAX, available: U256::MAX })
        );
        assert_eq!(check_claimed_ether(U256::MAX, U256::ZERO, U256::MAX), Ok(()));
    }

    #[test]
    fn burns_up_to_the_available_shares_are_accepted() {
        assert_eq!(check_shares_to_burn(u(5), u(5)), Ok(()));
        assert_eq!(check_shares_to_burn(U256::ZERO, U256::ZERO), Ok(()));
        assert_eq!(
            check_shares_to_burn(u(6), u(5)),
            Err(SanityError::SharesToBurn { requested: u(6), available: u(5) })
        );
    }
}

mod finalization_burn {
    use super::*;

    const LIMIT: u64 = 750_000; // 0.075% per report, Lido's mainnet value

    #[test]
    fn requests_paid_at_the_rate_are_burned_whole() {
        // Rate 1.02; 5,000 shares finalized for 5,100 ether: the rate does not move.
        let (e, s) = (u(10_200 * ETHER), u(10_000 * ETHER));
        let (lock, wanted) = (u(5_100 * ETHER), u(5_000 * ETHER));
        assert_eq!(finalization_burn(LIMIT, e, s, e - lock, s, wanted), wanted);
    }

    #[test]
    fn nominal_payouts_that_would_jump_the_rate_burn_only_what_the_limit_allows() {
        // Rate 1.02; 5,000 shares requested at rate 1 are paid 5,000 ether. Burning them all
        // would take the rate to 1.04 (+1.96%).
        let (e, s) = (u(10_200 * ETHER), u(10_000 * ETHER));
        let (lock, wanted) = (u(5_000 * ETHER), u(5_000 * ETHER));
        assert!(check_positive_rebase(LIMIT, e, s, e - lock, s - wanted).is_err());
        let burn = finalization_burn(LIMIT, e, s, e - lock, s, wanted);
        assert!(burn < wanted);
        // Exactly the most the limit allows: one share more breaks it.
        assert_eq!(check_positive_rebase(LIMIT, e, s, e - lock, s - burn), Ok(()));
        assert!(check_positive_rebase(LIMIT, e, s, e - lock, s - burn - u(1)).is_err());
        // 5,200 ether against at least 5,200 / 1.02 / 1.00075 shares.
        let kept = ceil_ref(
            &(big(e - lock) * big(s) * 1_000_000_000u32),
            &(big(e) * (1_000_000_000u64 + LIMIT)),
        );
        assert_eq!(s - burn, kept);
    }

    #[test]
    fn nothing_is_burned_when_the_lock_alone_reaches_the_limit() {
        // No burn at all would already be above the limit (the pool refuses such a report
        // with `check_positive_rebase` before): the bound is zero, never an underflow.
        let s = u(1_000 * ETHER);
        assert_eq!(finalization_burn(LIMIT, s, s, u(2_000 * ETHER), s, u(7)), U256::ZERO);
    }

    #[test]
    fn an_empty_pool_burns_what_is_wanted() {
        assert_eq!(finalization_burn(LIMIT, U256::ZERO, U256::ZERO, u(5), u(5), u(3)), u(3));
    }

    #[test]
    fn full_width_values_do_not_overflow() {
        let m = U256::MAX;
        assert_eq!(
            finalization_burn(LIMIT, m, m, m, m, m),
            m - ceil_ref(
                &(big(m) * big(m) * 1_000_000_000u32),
                &(big(m) * (1_000_000_000u64 + LIMIT))
            )
        );
        assert_eq!(
            finalization_burn(u64::MAX, u(1), m, m, m, m),
            m - ceil_ref(
                &(big(m) * big(m) * 1_000_000_000u32),
                &(BigUint::from(1_000_000_000u64) + u64::MAX)
            )
        );
    }
}

/// Two amounts within a few percent of each other half the time, so both outcomes occur.
fn near_pair() -> impl Strategy<Value = (U256, U256)> {
    prop_oneof![
        (any_u256(), any_u256()),
        (1u128..=u128::MAX >> 8, 0u128..=1 << 20, any::<bool>()).prop_map(|(a, d, up)| {
            let b = if up {
                a.saturating_add(a / (1 << 20) * d)
            } else {
                a - a / (1 << 20) * d.min(1 << 20)
            };
            (u(a), u(b))
        }),
    ]
}

proptest! {
    #[test]
    fn annual_increase_matches_the_exact_ratio(
        limit in any::<u16>(), (principal, unified) in near_pair(),
        elapsed in prop_oneof![0u64..=10 * YEAR, any::<u64>()],
    ) {
        let res = check_annual_increase(limit, principal, unified, elapsed);
        if unified <= principal {
            prop_assert_eq!(res, Ok(()));
        } else {
            let p = principal.max(PRINCIPAL_FLOOR);
            let t = if elapsed == 0 { 3_600 } else { elapsed };
            let num = (big(unified) - big(principal)) * YEAR * 10_000u32;
            let den = big(p) * t;
            if num <= &den * limit {
                prop_assert_eq!(res, Ok(()));
            } else {
                let annual_bp = ceil_ref(&num, &den);
                prop_assert!(annual_bp > u(limit.into()));
                prop_assert_eq!(res, Err(SanityError::ClBalanceIncrease { limit_bp: limit, annual_bp }));
            }
        }
    }

    #[test]
    fn cl_decrease_matches_the_exact_ratio(limit in any::<u16>(), (principal, loss) in near_pair()) {
        let loss = loss / u(16);
        let res = check_cl_decrease(limit, loss, principal);
        let principal = principal.max(PRINCIPAL_FLOOR);
        let num = big(loss) * 10_000u32;
        if num <= big(principal) * limit {
            prop_assert_eq!(res, Ok(()));
        } else {
            let window_bp = ceil_ref(&num, &big(principal));
            prop_assert!(window_bp > u(limit.into()));
            prop_assert_eq!(res, Err(SanityError::ClBalanceDecrease { limit_bp: limit, window_bp }));
        }
    }

    #[test]
    fn positive_rebase_matches_the_exact_ratio(
        limit in prop_oneof![0u64..2_000_000, any::<u64>()],
        (pre_e, post_e) in near_pair(), (pre_s, post_s) in near_pair(),
    ) {
        let res = check_positive_rebase(limit, pre_e, pre_s, post_e, post_s);
        let num = big(post_e) * big(pre_s) * 1_000_000_000u32;
        let den = big(pre_e) * big(post_s);
        if pre_e.is_zero() || num <= &den * (BigUint::from(1_000_000_000u32) + limit) {
            prop_assert_eq!(res, Ok(()));
        } else {
            let ratio = ceil_ref(&num, &den);
            let actual =
                if ratio == U256::MAX { ratio } else { ratio.saturating_sub(u(1_000_000_000)) };
            prop_assert!(actual > u(limit.into()));
            prop_assert_eq!(res, Err(SanityError::PositiveRebase { limit, actual }));
        }
    }

    #[test]
    fn finalization_burn_is_the_largest_burn_within_the_limit(
        limit in prop_oneof![0u64..2_000_000, any::<u64>()],
        (pre_e, post_e) in near_pair(), (pre_s, post_s) in near_pair(), wanted in any_u256(),
    ) {
        // The queue's shares are part of the totals: at most `post_s`.
        let wanted = if post_s == U256::MAX { wanted } else { wanted % (post_s + u(1)) };
        let burn = finalization_burn(limit, pre_e, pre_s, post_e, post_s, wanted);
        prop_assert!(burn <= wanted);
        if pre_e.is_zero() {
            prop_assert_eq!(burn, wanted);
        } else if check_positive_rebase(limit, pre_e, pre_s, post_e, post_s).is_ok() {
            prop_assert_eq!(check_positive_rebase(limit, pre_e, pre_s, post_e, post_s - burn), Ok(()));
            if burn < wanted {
                prop_assert!(
                    check_positive_rebase(limit, pre_e, pre_s, post_e, post_s - burn - u(1)).is_err()
                );
            }
        }
    }

    #[test]
    fn share_rate_matches_the_exact_ratio(limit in any::<u16>(), (sim, act) in near_pair()) {
        let res = check_share_rate(limit, sim, act);
        let gap = if sim > act { big(sim) - big(act) } else { big(act) - big(sim) };
        let num = gap * 10_000u32;
        if num <= big(act) * limit {
            prop_assert_eq!(res, Ok(()));
        } else {
            let deviation_bp = ceil_ref(&num, &big(act));
            prop_assert!(deviation_bp > u(limit.into()));
            prop_assert_eq!(res, Err(SanityError::SimulatedShareRate {
                limit_bp: limit, simulated: sim, actual: act, deviation_bp,
            }));
        }
    }

    #[test]
    fn per_day_checks_match_the_exact_ratio(
        limit in any::<u32>(), count in prop_oneof![0u64..10_000, any::<u64>()],
        elapsed in prop_oneof![0u64..1_000_000, any::<u64>()],
    ) {
        let t = if elapsed == 0 { 3_600 } else { elapsed };
        let num = u128::from(count) * 86_400;
        let ok = num <= u128::from(limit) * u128::from(t);
        let per_day = num.div_ceil(u128::from(t));
        let appeared = check_appeared_validators(limit, 7, count.saturating_add(7), elapsed);
        let exited = check_exited_validators(limit, count, elapsed);
        if ok || count > u64::MAX - 7 {
            prop_assert_eq!(exited.is_ok(), ok);
        } else {
            prop_assert!(per_day > u128::from(limit));
            prop_assert_eq!(appeared, Err(SanityError::AppearedValidators {
                limit_per_day: limit, appeared: count, per_day,
            }));
            prop_assert_eq!(exited, Err(SanityError::ExitedValidators {
                limit_per_day: limit, exited: count, per_day,
            }));
        }
        if ok && count <= u64::MAX - 7 {
            prop_assert_eq!(appeared, Ok(()));
        }
    }

    #[test]
    fn request_margin_matches_the_exact_sum(margin in any::<u32>(), ts in any::<u64>(), report in any::<u64>()) {
        let ok = u128::from(ts) + u128::from(margin) <= u128::from(report);
        prop_assert_eq!(check_request_margin(margin, ts, report).is_ok(), ok);
    }

    #[test]
    fn claimed_ether_matches_the_exact_sum(wd in any_u256(), el in any_u256(), available in any_u256()) {
        let ok = big(wd) + big(el) <= big(available);
        prop_assert_eq!(check_claimed_ether(wd, el, available).is_ok(), ok);
    }
}
