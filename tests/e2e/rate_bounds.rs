//! The share rate's history bound, as a lending market reads it (issue 17, point 4): through the
//! wrapped token's feeds (`getRate`, `latestRoundData`) on the release wasm, with the real pool
//! under Lido's limits (`Limits::LIDO`), set up as `wrapped::setup` does (ALICE's 1,000 and
//! BOB's 100 ether, 4 validators, one report, no fee: the holders get the whole rise).
//!
//! - **Up:** one report raises the rate by at most `maxPositiveTokenRebase` (750,000 / 1e9 =
//!   0.075%). The largest report the limit allows is taken and moves `getRate` by at most
//!   that; one wei more is refused with the feed's answer and round unchanged.
//! - **Down:** a report lowers the rate only by a loss on the consensus layer, and the losses
//!   within the CL-decrease window (18 days) add up to at most 500 BP of the reported
//!   principal. So one report, or all reports of 18 days together, lower the rate by at most
//!   `5% × CL balance / total pooled ether` (here about 0.58%). One wei more is refused; a
//!   second loss in the window is refused until the window has passed.
//! - **Between reports:** nothing moves the rate but deposits' and transfers' rounding, which
//!   only raises it, by dust.
#![allow(missing_docs, clippy::too_many_lines)]

use alloy_primitives::U256;
use protocol_tests::{
    abi::{IStakingPool as P, IWrappedToken as W},
    deploy::{revert_data, PoolReport, Suite, ALICE, BOB},
};

use crate::wrapped::{ok, report, setup, FOUR};

const DAY: u64 = 86_400;
/// `Limits::LIDO.max_positive_rebase`, in 1e9.
const UP: u64 = 750_000;
const BILLION: u64 = 1_000_000_000;

/// What a lending market reads: `getRate()`, and `latestRoundData`'s answer and round.
fn feed(s: &mut Suite, token: alloy_primitives::Address) -> (U256, U256, u64) {
    let rate = s.view(token, &W::getRateCall {})._0;
    let round = s.view(token, &W::latestRoundDataCall {});
    assert_eq!(round.answer.into_raw(), rate, "both feeds answer the same rate");
    (rate, round.updatedAt, round.roundId.to::<u64>())
}

fn pooled(s: &mut Suite) -> U256 {
    let pool = s.pool;
    s.view(pool, &P::getTotalPooledEtherCall {})._0
}

#[test]
fn one_report_raises_the_rate_by_at_most_the_positive_rebase_limit() {
    let (mut s, token) = setup();
    let before = feed(&mut s, token);
    let e = pooled(&mut s);
    // The largest EL reward the limit allows: (E + x) / E <= 1 + 0.075%.
    let x = e * U256::from(UP) / U256::from(BILLION);
    s.credit_pool(x + U256::from(1));

    // One wei more is refused; the feed does not move.
    let over = PoolReport { el_rewards: x + U256::from(1), ..report(U256::from(FOUR)) };
    let err: P::IncorrectPositiveRebase = revert_data(&s.handle_report(&over));
    assert_eq!(err.limit, U256::from(UP));
    assert!(err.actual > U256::from(UP));
    assert_eq!(feed(&mut s, token), before, "a refused report moves neither rate nor round");

    // The limit itself is taken.
    ok(&s.handle_report(&PoolReport { el_rewards: x, ..report(U256::from(FOUR)) }));
    let after = feed(&mut s, token);
    assert_eq!(after.2, before.2 + 1, "one round per report");
    assert!(after.1 > before.1, "updatedAt follows the report");
    let (r0, r1) = (before.0, after.0);
    assert!(r1 > r0);
    // At most +0.075% (the feed rounds down, so the bound holds on the answers too).
    assert!(
        r1 * U256::from(BILLION) <= r0 * U256::from(BILLION + UP),
        "{r0} -> {r1}: above the limit"
    );
    // And essentially all of it: within 1e-9 of the limit.
    assert!(r1 * U256::from(BILLION) >= r0 * U256::from(BILLION + UP - 1), "{r0} -> {r1}");
    println!("max rise in one report: {r0} -> {r1}");

    // A CL gain counts against the same limit: with the CL at its annual-increase bound and
    // the same EL reward again, the report is refused.
    s.vm.advance_time(DAY);
    let e = pooled(&mut s);
    let x = e * U256::from(UP) / U256::from(BILLION);
    s.credit_pool(x);
    let gain = U256::from(FOUR) * U256::from(1_000) / U256::from(10_000) / U256::from(365);
    let both = PoolReport { el_rewards: x, ..report(U256::from(FOUR) + gain) };
    let _: P::IncorrectPositiveRebase = revert_data(&s.handle_report(&both));
    assert_eq!(feed(&mut s, token), after);
}

#[test]
fn losses_lower_the_rate_by_at_most_the_cl_decrease_limit_over_its_window() {
    let (mut s, token) = setup();
    let before = feed(&mut s, token);
    let e = pooled(&mut s);
    let cl = U256::from(FOUR);
    // 500 BP of the principal (the CL balance reported before) over 18 days.
    let max_loss = cl * U256::from(500) / U256::from(10_000);

    // One wei more is refused, the feed unchanged.
    let over = report(cl - max_loss - U256::from(1));
    let err: P::IncorrectCLBalanceDecrease = revert_data(&s.handle_report(&over));
    assert_eq!(err.limitBP, U256::from(500));
    assert_eq!(feed(&mut s, token), before);

    // The whole allowance in one report.
    ok(&s.handle_report(&report(cl - max_loss)));
    let after = feed(&mut s, token);
    assert_eq!(after.2, before.2 + 1);
    let (r0, r1) = (before.0, after.0);
    // The fall is the loss's part of the pool: r1 = r0 * (E - loss) / E, to the wei of
    // rounding, and at most 5% of CL / E.
    let bound = max_loss * U256::from(BILLION) / e; // in 1e9
    let fall = (r0 - r1) * U256::from(BILLION) / r0;
    assert!(fall <= bound, "fall {fall} above the bound {bound} (1e9)");
    assert!(fall + U256::from(1) >= bound, "fall {fall} well under the loss {bound}");
    println!("max fall in one report: {r0} -> {r1} ({fall} / 1e9, CL {cl} of {e})");

    // The window remembers it: a further loss of 1 gwei is refused while the loss is inside
    // the 18 days (one day later, 17 days later) ...
    for days in [1, 16] {
        s.vm.advance_time(DAY * days);
        let more = report(cl - max_loss - U256::from(1_000_000_000u64));
        let err: P::IncorrectCLBalanceDecrease = revert_data(&s.handle_report(&more));
        assert!(err.windowBP > U256::from(500));
        assert_eq!(feed(&mut s, token).0, after.0, "no loss inside the window");
    }
    // ... and taken once it is 18 days old: the limit applies again, to the new principal.
    s.vm.advance_time(DAY);
    let cl2 = cl - max_loss;
    ok(&s.handle_report(&report(cl2 - U256::from(1_000_000_000u64))));
    assert!(feed(&mut s, token).0 < after.0);
}

#[test]
fn between_reports_deposits_and_transfers_never_lower_the_rate() {
    let (mut s, token) = setup();
    let (r0, at, round) = feed(&mut s, token);
    let pool = s.pool;
    // Odd amounts, so every conversion rounds.
    for (i, wei) in [1u64, 3, 7, 999_999_999_999, 1_234_567_890_123_456_789].into_iter().enumerate()
    {
        s.deposit(ALICE, U256::from(wei));
        s.ok(
            BOB,
            pool,
            U256::ZERO,
            &P::transferCall { to: ALICE, amount: U256::from(wei + i as u64) },
        );
        let (r1, at1, round1) = feed(&mut s, token);
        assert!(r1 >= r0, "the rate fell between reports: {r0} -> {r1}");
        assert_eq!((at1, round1), (at, round), "no new round without a report");
    }
}
