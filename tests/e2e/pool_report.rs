//! The pool's extension program (oracle report processing) on the release wasm: the core
//! delegating to it, a rewards report paying the fee to the treasury and the operators, a loss
//! report switching the queue to bunker mode, a report finalizing withdrawals that are then
//! claimed, finalization's lift of the rate capped at the rebase limit with the rest burned by
//! later reports, and every refusal (each sanity limit with its typed error, the oracle check, the
//! setters' roles) leaving the pool, the queue and the registry as they were.
//!
//! [`REPORTER`] stands in for the accounting oracle: `handleOracleReport` is called directly,
//! with Lido's mainnet sanity limits (`Limits::LIDO`).
#![allow(missing_docs, clippy::too_many_lines, clippy::many_single_char_names)]

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolCall;
use node_operator_registry::abi::INodeOperatorRegistry as R;
use protocol_tests::{
    abi::{IStakingPool, IStakingPool as X, IWithdrawalQueue as Q},
    deploy::{events_from, revert_data, PoolReport, Suite, ADMIN, ALICE, BOB, REPORTER},
    ether,
    validators::Validators,
};
use staking_common::roles::{DEFAULT_ADMIN_ROLE, PROTOCOL_FEE_ROLE};
use staking_math::sanity::Limits;
use staking_pool::abi::IStakingPool::AccessDenied;
use stylus_vm::Receipt;

const TREASURY: Address = Address::repeat_byte(0x7e);
const DAY: u64 = 86_400;
/// The four validators of [`setup`], in wei.
const FOUR: u128 = 4 * 32_000_000_000_000_000_000;
/// `Limits::LIDO`'s request margin.
const MARGIN: u64 = 7_680;

fn lido() -> B256 {
    B256::from(Limits::LIDO.pack())
}

fn ok(r: &Receipt) {
    assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
}

/// The suite with the registry, two operators of 4 keys, ALICE's 1,000 and BOB's 100 ether,
/// 4 validators deposited, [`REPORTER`] as the oracle and a 10% fee half to the operators.
fn setup() -> (Suite, Validators) {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, 6);
    v.onboard(&mut s, 2, 4);
    s.deposit(ALICE, ether(1_000));
    s.deposit(BOB, ether(100));
    ok(&v.deposit(&mut s, 4));
    s.set_reporter();
    s.set_fee_config(TREASURY, 1_000, 500);
    s.vm.advance_time(DAY);
    (s, v)
}

/// A report of the 4 validators with `cl_balance`, a day after the previous one.
fn report(cl_balance: U256) -> PoolReport {
    PoolReport { cl_validators: U256::from(4), cl_balance, limits: lido(), ..PoolReport::default() }
}

/// The first report: the 4 validators seen with exactly their deposits.
fn first_report(s: &mut Suite) {
    ok(&s.handle_report(&report(U256::from(FOUR))));
    s.vm.advance_time(DAY);
}

fn total_shares(s: &mut Suite) -> U256 {
    s.view(s.pool, &IStakingPool::totalSharesCall {})._0
}

fn total_ether(s: &mut Suite) -> U256 {
    s.view(s.pool, &IStakingPool::totalSupplyCall {})._0
}

fn buffered(s: &mut Suite) -> U256 {
    s.view(s.pool, &IStakingPool::getBufferedEtherCall {})._0
}

/// Everything a report may change, in the pool, the queue and the registry.
fn snapshot(s: &mut Suite, v: &Validators) -> Vec<B256> {
    let (pool, queue, registry) = (s.pool, s.queue, v.registry);
    let mut out: Vec<B256> = (0..=18).map(|k| s.vm.storage(pool, U256::from(k))).collect();
    for k in 0..4 {
        out.push(s.vm.storage(queue, U256::from(k)));
        out.push(s.vm.storage(registry, U256::from(k)));
    }
    for who in [ALICE, BOB, TREASURY, registry, queue] {
        out.push(B256::from(s.shares_of(who)));
    }
    for who in [pool, queue, registry] {
        out.push(B256::from(s.vm.balance(who)));
    }
    out
}

/// Sends `r`, which must revert with `E`; checks that nothing changed; returns the error.
fn refused<E: alloy_sol_types::SolError>(s: &mut Suite, v: &Validators, r: &PoolReport) -> E {
    let before = snapshot(s, v);
    let e = revert_data::<E>(&s.handle_report(r));
    assert_eq!(snapshot(s, v), before, "a refused report changed state");
    e
}

// ---------------------------------------------------------------- access and configuration

#[test]
fn only_the_oracle_may_report() {
    let (mut s, v) = setup();
    let call = report(U256::from(FOUR)).call();
    let pool = s.pool;
    for who in [ALICE, ADMIN, BOB] {
        let before = snapshot(&mut s, &v);
        let e: X::NotOracle = s.revert(who, pool, U256::ZERO, &call);
        assert_eq!(e.caller, who);
        assert_eq!(snapshot(&mut s, &v), before);
    }
    ok(&s.handle_report(&report(U256::from(FOUR))));
}

#[test]
fn the_setters_need_their_roles_and_the_views_answer_through_the_pool() {
    let (mut s, _v) = setup();
    let pool = s.pool;
    assert_eq!(s.view(pool, &X::getOracleCall {})._0, REPORTER);
    assert_eq!(s.view(pool, &X::getExtensionCall {})._0, s.pool_extension);
    // The appended slots (crate doc of staking-pool): 8 extension, 9 oracle | fees, 10 treasury.
    let word = |s: &mut Suite, k: u64| U256::from_be_bytes(s.vm.storage(pool, U256::from(k)).0);
    assert_eq!(word(&mut s, 8), U256::from_be_slice(s.pool_extension.as_slice()));
    let config = word(&mut s, 9);
    assert_eq!(
        config & ((U256::from(1) << 160) - U256::from(1)),
        U256::from_be_slice(REPORTER.as_slice())
    );
    assert_eq!((config >> 160) & U256::from(0xffff), U256::from(1_000));
    assert_eq!((config >> 176) & U256::from(0xffff), U256::from(500));
    assert_eq!(word(&mut s, 10), U256::from_be_slice(TREASURY.as_slice()));
    assert!(!s.view(pool, &X::isBunkerModeCall {})._0);
    let fees = s.view(pool, &X::getFeeConfigCall {});
    assert_eq!(
        (fees.treasury, fees.totalFeeBP, fees.operatorsFeeBP),
        (TREASURY, U256::from(1_000), U256::from(500))
    );

    let e: AccessDenied = s.revert(BOB, pool, U256::ZERO, &X::setOracleCall { oracle: BOB });
    assert_eq!((e.caller, e.role), (BOB, DEFAULT_ADMIN_ROLE));
    let fee = X::setFeeConfigCall {
        treasury: BOB,
        totalFeeBP: U256::from(10_000),
        operatorsFeeBP: U256::ZERO,
    };
    let e: AccessDenied = s.revert(BOB, pool, U256::ZERO, &fee);
    assert_eq!((e.caller, e.role), (BOB, PROTOCOL_FEE_ROLE));
    let bad = X::setFeeConfigCall {
        treasury: TREASURY,
        totalFeeBP: U256::from(1_000),
        operatorsFeeBP: U256::from(1_001),
    };
    let e: X::InvalidFeeConfig = s.revert(ADMIN, pool, U256::ZERO, &bad);
    assert_eq!((e.totalFeeBP, e.operatorsFeeBP), (U256::from(1_000), U256::from(1_001)));
    let _: X::InvalidAddress =
        s.revert(ADMIN, pool, U256::ZERO, &X::setOracleCall { oracle: Address::ZERO });

    let (_, r) = s.ok(ADMIN, pool, U256::ZERO, &X::setOracleCall { oracle: BOB });
    assert_eq!(events_from::<X::OracleSet>(&r, pool), vec![X::OracleSet { oracle: BOB }]);
    assert_eq!(s.view(pool, &X::getOracleCall {})._0, BOB);

    // Nothing of the extension is payable, and an unknown selector reverts with empty data.
    let r = s.vm.call(ADMIN, pool, U256::from(1), &X::getOracleCall {}.abi_encode());
    assert!(!r.success);
    let r = s.vm.call(ADMIN, pool, U256::ZERO, &[0xde, 0xad, 0xbe, 0xef]);
    assert!(!r.success && r.output.is_empty());
}

// ---------------------------------------------------------------- rewards

#[test]
fn a_rewards_report_raises_balances_and_pays_the_fee_to_treasury_and_operators() {
    let (mut s, v) = setup();
    first_report(&mut s);
    let pool = s.pool;
    let (alice, bob) = (s.balance_of(ALICE), s.balance_of(BOB));
    let (pre_shares, pre_ether) = (total_shares(&mut s), total_ether(&mut s));
    let rewards_before: Vec<U256> = (1..=2u16)
        .map(|id| s.view(v.registry, &R::getRewardsCall { operatorId: U256::from(id) })._0)
        .collect();

    // +0.03 ether on the CL (8.6% a year on 128 ether) and 0.01 ether of EL rewards.
    let (cl_gain, el) = (ether(3) / U256::from(100), ether(1) / U256::from(100));
    s.credit_pool(el);
    let r = s.handle_report(&PoolReport { el_rewards: el, ..report(U256::from(FOUR) + cl_gain) });
    ok(&r);

    let post_ether = total_ether(&mut s);
    assert_eq!(post_ether, pre_ether + cl_gain + el);
    let minted = total_shares(&mut s) - pre_shares;
    assert!(!minted.is_zero());
    let operators = minted / U256::from(2);
    assert_eq!(s.shares_of(v.registry), operators);
    assert_eq!(s.shares_of(TREASURY), minted - operators);
    // Holders gain the rewards less the 10% fee; the fee is worth what was minted.
    let fee = (cl_gain + el) / U256::from(10);
    let minted_value = minted * post_ether / (pre_shares + minted);
    assert!(minted_value <= fee && fee - minted_value <= U256::from(2));
    let gained = s.balance_of(ALICE) - alice + s.balance_of(BOB) - bob;
    let expected = (cl_gain + el - fee) * (s.shares_of(ALICE) + s.shares_of(BOB)) / pre_shares;
    assert!(gained.abs_diff(expected) <= U256::from(4), "{gained} vs {expected}");
    // The operators' shares are credited to their validators (2 each).
    for (i, id) in (1..=2u16).enumerate() {
        let now = s.view(v.registry, &R::getRewardsCall { operatorId: U256::from(id) })._0;
        assert!(now > rewards_before[i], "operator {id}'s rewards grow");
    }
    assert_eq!(buffered(&mut s), pre_ether - U256::from(FOUR) + el);

    let rebased = events_from::<X::TokenRebased>(&r, pool);
    assert_eq!(rebased.len(), 1);
    assert_eq!(
        (rebased[0].preTotalShares, rebased[0].postTotalShares, rebased[0].sharesMintedAsFees),
        (pre_shares, pre_shares + minted, minted)
    );
    assert_eq!((rebased[0].preTotalEther, rebased[0].postTotalEther), (pre_ether, post_ether));
    let distributed = events_from::<X::ETHDistributed>(&r, pool);
    assert_eq!(
        (distributed[0].preCLBalance, distributed[0].postCLBalance),
        (U256::from(FOUR), U256::from(FOUR) + cl_gain)
    );
    assert_eq!(distributed[0].executionLayerRewardsWithdrawn, el);
    assert!(events_from::<X::CLValidatorsUpdated>(&r, pool).is_empty(), "the count is unchanged");
    let mints = events_from::<staking_pool::abi::IStakingPool::TransferShares>(&r, pool);
    assert_eq!(mints.len(), 2);
    assert_eq!((mints[0].to, mints[0].sharesValue), (TREASURY, minted - operators));
    assert_eq!((mints[1].to, mints[1].sharesValue), (v.registry, operators));
    assert_eq!(events_from::<R::RewardsDistributed>(&r, v.registry).len(), 1);
    println!("rewards report: {} gas", r.gas_used);
}

#[test]
fn the_first_report_counts_the_validators() {
    let (mut s, v) = setup();
    let r = s.handle_report(&report(U256::from(FOUR)));
    ok(&r);
    let stat = s.view(s.pool, &IStakingPool::getBeaconStatCall {});
    assert_eq!((stat._0, stat._1, stat._2), (U256::from(4), U256::from(4), U256::from(FOUR)));
    let updated = events_from::<X::CLValidatorsUpdated>(&r, s.pool);
    assert_eq!(
        (updated[0].preCLValidators, updated[0].postCLValidators),
        (U256::ZERO, U256::from(4))
    );
    // No reward, no fee: nothing minted, the registry not called.
    assert_eq!(s.shares_of(TREASURY), U256::ZERO);
    assert!(events_from::<R::RewardsDistributed>(&r, v.registry).is_empty());
}

// ---------------------------------------------------------------- losses and bunker mode

#[test]
fn a_loss_report_sets_bunker_mode_on_the_queue_and_pays_no_fee() {
    let (mut s, _v) = setup();
    first_report(&mut s);
    let (pool, queue) = (s.pool, s.queue);
    let pre_shares = total_shares(&mut s);
    // The CL loses 0.1 ether; 0.05 ether of EL rewards arrived: still no fee.
    let el = ether(5) / U256::from(100);
    s.credit_pool(el);
    let loss = ether(1) / U256::from(10);
    let r = s.handle_report(&PoolReport { el_rewards: el, ..report(U256::from(FOUR) - loss) });
    ok(&r);
    assert_eq!(total_shares(&mut s), pre_shares);
    assert_eq!(s.shares_of(TREASURY), U256::ZERO);
    assert!(s.view(queue, &Q::isBunkerModeActiveCall {})._0);
    assert!(s.view(pool, &X::isBunkerModeCall {})._0);
    let set: Vec<bool> =
        events_from::<Q::BunkerModeSet>(&r, queue).iter().map(|e| e.active).collect();
    assert_eq!(set, vec![true]);
    // The loss is in the window (slot 11, entry 0: timestamp u32 | loss u96).
    let entry = U256::from_be_bytes(s.vm.storage(pool, U256::from(11)).0);
    assert_eq!(entry >> 32, loss);

    // The next report, without a loss, clears it.
    s.vm.advance_time(DAY);
    let r = s.handle_report(&report(U256::from(FOUR) - loss));
    ok(&r);
    assert!(!s.view(queue, &Q::isBunkerModeActiveCall {})._0);
    assert!(!s.view(pool, &X::isBunkerModeCall {})._0);
    let set: Vec<bool> =
        events_from::<Q::BunkerModeSet>(&r, queue).iter().map(|e| e.active).collect();
    assert_eq!(set, vec![false]);
}

// ---------------------------------------------------------------- finalization

#[test]
fn a_report_finalizing_requests_locks_their_ether_burns_their_shares_and_claims_pay() {
    let (mut s, _v) = setup();
    first_report(&mut s);
    let (pool, queue) = (s.pool, s.queue);
    let (ids, _) = s.request_withdrawals(ALICE, &[ether(10), ether(5)]);
    let queue_shares = s.shares_of(queue);
    s.vm.advance_time(MARGIN + 1);
    let (pre_shares, pre_ether, pre_buffer) =
        (total_shares(&mut s), total_ether(&mut s), buffered(&mut s));
    let rate = s.share_rate();
    let (lock, burned) = s.prefinalize(ids[1], rate);
    assert_eq!((lock, burned), (ether(15), queue_shares));

    let r = s.handle_report(&PoolReport {
        simulated_share_rate: rate,
        batches: vec![ids[0], ids[1]],
        ..report(U256::from(FOUR))
    });
    ok(&r);
    assert_eq!(s.vm.balance(queue), lock);
    assert_eq!(s.view(queue, &Q::getLockedEtherAmountCall {})._0, lock);
    assert_eq!(s.view(queue, &Q::getLastFinalizedRequestIdCall {})._0, ids[1]);
    assert_eq!(s.shares_of(queue), U256::ZERO);
    assert_eq!(total_shares(&mut s), pre_shares - burned);
    assert_eq!(total_ether(&mut s), pre_ether - lock);
    assert_eq!(buffered(&mut s), pre_buffer - lock);
    assert_eq!(s.vm.balance(pool), buffered(&mut s));
    assert_eq!(s.share_rate(), rate);
    let burns = events_from::<staking_pool::abi::IStakingPool::TransferShares>(&r, pool);
    assert_eq!(
        burns,
        vec![staking_pool::abi::IStakingPool::TransferShares {
            from: queue,
            to: Address::ZERO,
            sharesValue: burned
        }]
    );
    assert_eq!(events_from::<Q::WithdrawalsFinalized>(&r, queue).len(), 1);

    // The claims pay exactly what was locked.
    let before = s.vm.balance(ALICE);
    let (_, claim) = s.ok(
        ALICE,
        queue,
        U256::ZERO,
        &Q::claimWithdrawalsCall { requestIds: ids.clone(), hints: vec![U256::from(1); 2] },
    );
    assert_eq!(s.vm.balance(ALICE), before + lock);
    assert_eq!(s.vm.balance(queue), U256::ZERO);
    assert_eq!(events_from::<Q::WithdrawalClaimed>(&claim, queue).len(), 2);
}

#[test]
fn finalization_lifts_the_rate_by_at_most_the_limit_and_later_reports_burn_the_rest() {
    let (mut s, _v) = setup();
    first_report(&mut s);
    let (pool, queue) = (s.pool, s.queue);
    // ALICE asks for 500 ether back at rate 1; then a generous report (5 ether on the CL
    // over 30 days, the rebase limit opened for it) lifts the rate by about 0.4% while she
    // waits.
    let (ids, _) = s.request_withdrawals(ALICE, &[ether(500)]);
    let queued = s.shares_of(queue);
    let open =
        Limits { annual_increase_bp: 6_000, max_positive_rebase: 1_000_000_000, ..Limits::LIDO };
    ok(&s.handle_report(&PoolReport {
        time_elapsed: U256::from(30 * DAY),
        limits: B256::from(open.pack()),
        ..report(U256::from(FOUR) + ether(5))
    }));
    s.vm.advance_time(DAY);
    // She is paid her nominal 500 ether: burning all her shares would lift the rate by about
    // 0.3%, four times the 0.075% a report may.
    let (pre_shares, pre_ether, rate) = (total_shares(&mut s), total_ether(&mut s), s.share_rate());
    let (lock, burned_all) = s.prefinalize(ids[0], rate);
    assert_eq!((lock, burned_all), (ether(500), queued));
    let r = s.handle_report(&PoolReport {
        simulated_share_rate: rate,
        batches: vec![ids[0]],
        ..report(U256::from(FOUR) + ether(5))
    });
    ok(&r);
    let after = s.share_rate();
    assert!(after > rate, "the holders who stayed keep what she forwent");
    assert!(
        after * U256::from(1_000_000_000u64) <= rate * U256::from(1_000_750_000u64),
        "at most the limit: {rate} -> {after}"
    );
    let deferred = s.shares_of(pool);
    assert!(!deferred.is_zero() && deferred < queued);
    assert_eq!(s.shares_of(queue), U256::ZERO);
    assert_eq!(total_shares(&mut s), pre_shares - (queued - deferred));
    assert_eq!(total_ether(&mut s), pre_ether - lock);
    let moved = events_from::<staking_pool::abi::IStakingPool::TransferShares>(&r, pool);
    assert_eq!(
        moved.iter().map(|e| (e.from, e.to, e.sharesValue)).collect::<Vec<_>>(),
        vec![(queue, Address::ZERO, queued - deferred), (queue, pool, deferred)]
    );
    // She claims exactly her 500 ether.
    let before = s.vm.balance(ALICE);
    s.ok(ALICE, queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: ids[0] });
    assert_eq!(s.vm.balance(ALICE), before + ether(500));

    // Later reports burn the pool's shares under the same limit: all at once is refused.
    s.vm.advance_time(DAY);
    let all = PoolReport { shares_to_burn: deferred, ..report(U256::from(FOUR) + ether(5)) };
    let e = revert_data::<X::IncorrectPositiveRebase>(&s.handle_report(&all));
    assert!(e.actual > e.limit);
    let mut reports = 0;
    while !s.shares_of(pool).is_zero() {
        let (shares, rate) = (total_shares(&mut s), s.share_rate());
        // 0.07% of the shares per report, the last one what is left.
        let part = s.shares_of(pool).min(shares * U256::from(7) / U256::from(10_000));
        ok(&s.handle_report(&PoolReport {
            shares_to_burn: part,
            ..report(U256::from(FOUR) + ether(5))
        }));
        let after = s.share_rate();
        assert!(after * U256::from(1_000_000_000u64) <= rate * U256::from(1_000_750_000u64));
        s.vm.advance_time(DAY);
        reports += 1;
    }
    assert!(reports > 1, "spread over {reports} reports");
    println!("the rest burned over {reports} reports");
}

// ---------------------------------------------------------------- refusals

#[test]
fn each_sanity_limit_is_refused_with_its_typed_error_and_nothing_changes() {
    let (mut s, v) = setup();
    first_report(&mut s);
    let four = U256::from(FOUR);
    let now = U256::from(s.vm.timestamp());

    // A report timestamp not in the past.
    let e: X::IncorrectReportTimestamp =
        refused(&mut s, &v, &PoolReport { report_timestamp: now, ..report(four) });
    assert_eq!((e.reportTimestamp, e.blockTimestamp), (now, now));

    // More validators than deposited.
    let e: X::IncorrectReportValidators =
        refused(&mut s, &v, &PoolReport { cl_validators: U256::from(5), ..report(four) });
    assert_eq!(
        (e.reported, e.preClValidators, e.depositedValidators),
        (U256::from(5), U256::from(4), U256::from(4))
    );

    // Claiming more than reached the pool's address.
    s.credit_pool(ether(1));
    let e: X::IncorrectWithdrawalsAndRewards = refused(
        &mut s,
        &v,
        &PoolReport { withdrawals: ether(1), el_rewards: U256::from(1), ..report(four - ether(1)) },
    );
    assert_eq!((e.claimed, e.available), (ether(1) + U256::from(1), ether(1)));

    // +1 ether in a day on 128 ether: 285.2% a year against 10%.
    let e: X::IncorrectCLBalanceIncrease = refused(&mut s, &v, &report(four + ether(1)));
    assert_eq!((e.limitBP, e.annualBP), (U256::from(1_000), U256::from(28_516)));

    // −7 ether of 128: 547 BP against 500 over the window.
    let e: X::IncorrectCLBalanceDecrease = refused(&mut s, &v, &report(four - ether(7)));
    assert_eq!((e.limitBP, e.windowBP), (U256::from(500), U256::from(547)));

    // 1 ether of EL rewards on about 1,100 ether pooled: +0.09% against 0.075%.
    let pooled = total_ether(&mut s);
    let e: X::IncorrectPositiveRebase =
        refused(&mut s, &v, &PoolReport { el_rewards: ether(1), ..report(four) });
    let expected = (pooled + ether(1)) * U256::from(1_000_000_000u64);
    let expected = expected.div_ceil(pooled) - U256::from(1_000_000_000u64);
    assert_eq!((e.limit, e.actual), (U256::from(750_000), expected));

    // Shares the pool does not hold.
    let e: X::IncorrectSharesRequestedToBurn =
        refused(&mut s, &v, &PoolReport { shares_to_burn: U256::from(1), ..report(four) });
    assert_eq!((e.requested, e.available), (U256::from(1), U256::ZERO));

    // The last request to finalize is younger than the margin.
    let (ids, _) = s.request_withdrawals(BOB, &[ether(1)]);
    let requested_at =
        s.view(s.queue, &Q::getWithdrawalStatusCall { requestIds: ids.clone() }).statuses[0]
            .timestamp;
    let rate = s.share_rate();
    let batch = PoolReport { simulated_share_rate: rate, batches: ids.clone(), ..report(four) };
    let e: X::IncorrectRequestFinalization = refused(&mut s, &v, &batch);
    let reported_at = U256::from(s.vm.timestamp() - 1);
    assert_eq!(
        (e.requestTimestamp, e.margin, e.reportTimestamp),
        (requested_at, U256::from(MARGIN), reported_at)
    );

    // Past the margin, a simulated rate 1% off the actual one.
    s.vm.advance_time(MARGIN + 1);
    let off = rate * U256::from(101) / U256::from(100);
    let e: X::IncorrectSimulatedShareRate =
        refused(&mut s, &v, &PoolReport { simulated_share_rate: off, ..batch.clone() });
    assert_eq!((e.limitBP, e.simulated, e.actual), (U256::from(50), off, rate));

    // Appeared validators faster than 1,800 a day: 4 in one minute, after a fresh deposit.
    // (A new suite: every validator of this one was already seen.)
    let (mut t, w) = setup();
    let e: X::IncorrectAppearedValidators =
        refused(&mut t, &w, &PoolReport { time_elapsed: U256::from(60), ..report(four) });
    assert_eq!((e.limitPerDay, e.appeared), (U256::from(1_800), U256::from(4)));

    // The queue's own refusals come back unchanged (a batch end past the last request).
    let _: Q::InvalidBatches =
        refused(&mut s, &v, &PoolReport { batches: vec![U256::from(99)], ..batch.clone() });

    // And the well-formed report goes through.
    ok(&s.handle_report(&batch));
    assert_eq!(s.view(s.queue, &Q::getLastFinalizedRequestIdCall {})._0, ids[0]);
}

#[test]
fn requests_beyond_the_buffer_cannot_be_finalized() {
    let (mut s, v) = setup();
    first_report(&mut s);
    // 972 ether is buffered (128 went to validators); ALICE asks for 990.
    let (ids, _) = s.request_withdrawals(ALICE, &[ether(500), ether(490)]);
    s.vm.advance_time(MARGIN + 1);
    let rate = s.share_rate();
    let available = buffered(&mut s);
    let e: X::NotEnoughBufferedEther = refused(
        &mut s,
        &v,
        &PoolReport {
            simulated_share_rate: rate,
            batches: vec![ids[1]],
            ..report(U256::from(FOUR))
        },
    );
    assert_eq!((e.needed, e.available), (ether(990), available));
    // The first request alone fits.
    ok(&s.handle_report(&PoolReport {
        simulated_share_rate: rate,
        batches: vec![ids[0]],
        ..report(U256::from(FOUR))
    }));
    assert_eq!(s.vm.balance(s.queue), ether(500));
}

#[test]
fn a_paused_token_refuses_reports() {
    let (mut s, v) = setup();
    let pool = s.pool;
    s.ok(ADMIN, pool, U256::ZERO, &IStakingPool::pauseTokenCall {});
    let _: staking_pool::abi::IStakingPool::TokenIsPaused =
        refused(&mut s, &v, &report(U256::from(FOUR)));
    s.ok(ADMIN, pool, U256::ZERO, &IStakingPool::resumeTokenCall {});
    ok(&s.handle_report(&report(U256::from(FOUR))));
}
