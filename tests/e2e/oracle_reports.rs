//! The whole report path on the release wasm: a committee of 9 (quorum 5) agrees on each day's
//! report, a member submits its data, the oracle hands exited counts to the registry and the
//! report to the pool, whose extension rebases the token, pays the fee in shares to the
//! treasury and the operators, finalizes the queue and sets bunker mode. Time moves one frame
//! (a day) per report.
#![allow(missing_docs)]

use alloy_primitives::{address, Address, U256};
use protocol_tests::{
    abi::{
        IAccountingOracle as O, INodeOperatorRegistry as R, IStakingPool, IStakingPool as X,
        IWithdrawalQueue as Q,
    },
    deploy::{ether, events_from, revert_data, Suite, ALICE, BOB, CAROL},
    oracle::{data_hash, Oracle, Report, FRAME_SECONDS, GWEI},
    validators::Validators,
};
use stylus_vm::Receipt;

/// Where the protocol's part of the fee goes.
const TREASURY: Address = address!("0000000000000000000000000000000000007EA5");
/// Validators deposited at setup.
const VALIDATORS: u64 = 6;
/// Protocol fee: 10% of rewards, half of it to the operators (Lido's).
const FEE_BP: u64 = 1_000;
const OPERATORS_FEE_BP: u64 = 500;

fn ok(r: &Receipt) {
    assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
}

/// The protocol with 3 operators, 6 validators deposited (192 ether), 300 ether staked by
/// three users, the oracle connected, the fee set; the clock at the start of a frame.
struct World {
    s: Suite,
    v: Validators,
    o: Oracle,
    operators: Vec<u16>,
}

impl World {
    fn new() -> Self {
        let mut s = Suite::deploy();
        let mut v = Validators::setup(&mut s, 3);
        let operators = v.onboard(&mut s, 3, 8);
        for who in [ALICE, BOB, CAROL] {
            s.deposit(who, ether(100));
        }
        ok(&v.deposit(&mut s, usize::try_from(VALIDATORS).expect("small")));
        let o = Oracle::committee(&mut s, v.registry);
        s.set_fee_config(TREASURY, FEE_BP, OPERATORS_FEE_BP);
        Oracle::advance_frames(&mut s, 1);
        Self { s, v, o, operators }
    }

    /// A report for the current frame with the pool's view and `cl_gwei` as the balance.
    fn report(&mut self, cl_gwei: u64) -> Report {
        let (deposited, _, _) = Report::beacon(&mut self.s);
        Report { validators: deposited, cl_balance_gwei: cl_gwei, ..Report::default() }
    }

    /// Agrees on `report` and submits it; the data's receipt.
    fn process(&mut self, report: &Report) -> Receipt {
        let data = report.data(self.o.ref_slot(&mut self.s));
        self.o.process(&mut self.s, &data)
    }

    fn shares(&mut self, who: Address) -> U256 {
        self.s.shares_of(who)
    }

    fn total_pooled(&mut self) -> U256 {
        let pool = self.s.pool;
        self.s.view(pool, &IStakingPool::getTotalPooledEtherCall {})._0
    }

    fn total_shares(&mut self) -> U256 {
        let pool = self.s.pool;
        self.s.view(pool, &IStakingPool::totalSharesCall {})._0
    }

    fn operator_rewards(&mut self, id: u16) -> U256 {
        let registry = self.v.registry;
        self.s.view(registry, &R::getRewardsCall { operatorId: U256::from(id) })._0
    }

    fn next_day(&mut self) {
        Oracle::advance_frames(&mut self.s, 1);
    }
}

/// Daily CL growth at 4% a year, gwei.
fn daily_growth(cl_gwei: u64) -> u64 {
    cl_gwei * 4 / 100 / 365
}

#[test]
fn a_month_of_daily_reports_raises_balances_and_pays_fees_to_treasury_and_operators() {
    let mut w = World::new();
    let mut cl = VALIDATORS * 32 * GWEI;
    let alice_start = w.s.balance_of(ALICE);
    let rate_start = w.s.share_rate();
    let mut rate = rate_start;
    for day in 1..=30u64 {
        cl += daily_growth(cl);
        let report = w.report(cl);
        let pre_shares = w.total_shares();
        let pre_ether = w.total_pooled();
        let (pre_treasury, pre_registry) = (w.shares(TREASURY), w.shares(w.v.registry));
        let r = w.process(&report);
        ok(&r);
        let pool = w.s.pool;
        let rebased = events_from::<X::TokenRebased>(&r, pool);
        assert_eq!(rebased.len(), 1, "day {day}");
        let e = &rebased[0];
        assert_eq!((e.preTotalShares, e.preTotalEther), (pre_shares, pre_ether), "day {day}");
        assert_eq!((e.postTotalShares, e.postTotalEther), (w.total_shares(), w.total_pooled()));
        // The first report also covers frame 0, which the oracle was set up in.
        let frames = if day == 1 { 2 } else { 1 };
        assert_eq!(e.timeElapsed, U256::from(frames * FRAME_SECONDS), "day {day}");
        // The fee: minted shares worth exactly 10% of the rewards (rounded down), split.
        let rewards = e.postTotalEther - e.preTotalEther;
        let minted = e.sharesMintedAsFees;
        let treasury_gain = w.shares(TREASURY) - pre_treasury;
        let registry_gain = w.shares(w.v.registry) - pre_registry;
        assert_eq!(treasury_gain + registry_gain, minted, "day {day}");
        let fee_value = minted * e.postTotalEther / e.postTotalShares;
        let fee = rewards * U256::from(FEE_BP) / U256::from(10_000);
        assert!(
            fee_value <= fee && fee - fee_value <= U256::from(2),
            "day {day}: {fee_value} {fee}"
        );
        assert!(registry_gain <= treasury_gain && treasury_gain - registry_gain <= U256::from(1));
        let new_rate = w.s.share_rate();
        assert!(new_rate > rate, "day {day}: the share rate rises");
        rate = new_rate;
        w.next_day();
    }
    // Holders earned 90% of 4% a year on the 192 staked ether of the ~300 pooled (the rest is
    // buffered): about 0.9 x 4% x 192 / 300 = 2.3% a year (growth compounds; days round down).
    let alice = w.s.balance_of(ALICE);
    assert!(alice > alice_start);
    let apr_bp = (rate - rate_start) * U256::from(10_000 * 365) / rate_start / U256::from(30);
    assert!(apr_bp >= U256::from(220) && apr_bp <= U256::from(240), "holders' APR {apr_bp} BP");
    // Operators' share of the fee, pro rata, claimable by each.
    for id in w.operators.clone() {
        let owed = w.operator_rewards(id);
        assert!(owed > U256::ZERO, "operator {id}");
        let registry = w.v.registry;
        let to = protocol_tests::validators::reward_address(id);
        let before = w.shares(to);
        let (claimed, _) =
            w.s.ok(to, registry, U256::ZERO, &R::claimRewardsCall { operatorId: U256::from(id) });
        assert_eq!(claimed._0, owed);
        assert_eq!(w.shares(to) - before, owed);
    }
}

#[test]
fn withdrawals_are_finalized_at_the_report_and_claimed() {
    let mut w = World::new();
    let mut cl = VALIDATORS * 32 * GWEI;
    cl += daily_growth(cl);
    let first = w.report(cl);
    ok(&w.process(&first));
    let (ids, _) = w.s.request_withdrawals(ALICE, &[ether(10), ether(5)]);
    let (bob_ids, _) = w.s.request_withdrawals(BOB, &[ether(7)]);
    w.next_day();
    cl += daily_growth(cl);
    let last = bob_ids[0];
    let rate = w.s.share_rate();
    let report = Report { batches: vec![last], rate, ..w.report(cl) };
    let queue = w.s.queue;
    let queue_before = w.s.vm.balance(queue);
    let buffered_before = w.s.view(w.s.pool, &IStakingPool::getBufferedEtherCall {})._0;
    let queue_shares = w.shares(queue);
    let r = w.process(&report);
    ok(&r);
    // 22 ether locked in the queue (each request owed min(amount, shares x rate), rounded
    // down: at most a wei less), its shares burned.
    let locked = w.s.vm.balance(queue) - queue_before;
    assert!(locked <= ether(22) && ether(22) - locked <= U256::from(3), "{locked}");
    assert_eq!(w.shares(queue), U256::ZERO);
    assert!(queue_shares > U256::ZERO);
    let buffered = w.s.view(w.s.pool, &IStakingPool::getBufferedEtherCall {})._0;
    assert_eq!(buffered_before - buffered, locked);
    let pool = w.s.pool;
    let distributed = events_from::<X::ETHDistributed>(&r, pool);
    assert_eq!(distributed[0].postBufferedEther, buffered);
    // Claims pay exactly the request amounts.
    let mut paid = U256::ZERO;
    for (who, id, amount) in [(ALICE, ids[0], 10), (ALICE, ids[1], 5), (BOB, last, 7)] {
        let before = w.s.vm.balance(who);
        let r = w.s.send(who, queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: id });
        ok(&r);
        // The VM does not charge gas to balances.
        let got = w.s.vm.balance(who) - before;
        assert!(got <= ether(amount) && ether(amount) - got <= U256::from(1), "request {id}");
        paid += got;
    }
    assert_eq!(paid, locked, "the claims take exactly what was locked");
    assert_eq!(w.s.vm.balance(queue), queue_before);
}

#[test]
fn a_slashing_report_lowers_balances_sets_bunker_and_the_queue_pays_the_lower_rate() {
    let mut w = World::new();
    let cl = VALIDATORS * 32 * GWEI;
    let first = w.report(cl);
    ok(&w.process(&first));
    let (ids, _) = w.s.request_withdrawals(ALICE, &[ether(32)]);
    w.next_day();
    // Each validator loses 0.5 ether: 3 ether of 192 (1.6%, inside the 5% window limit).
    let slashed = cl - VALIDATORS * GWEI / 2;
    let alice_before = w.s.balance_of(BOB);
    let treasury_before = w.shares(TREASURY);
    let slashing = w.report(slashed);
    let r = w.process(&slashing);
    ok(&r);
    assert!(w.s.balance_of(BOB) < alice_before, "holders bear the loss");
    assert_eq!(w.shares(TREASURY), treasury_before, "no fee on a loss");
    let queue = w.s.queue;
    assert!(w.s.view(queue, &Q::isBunkerModeActiveCall {})._0, "bunker mode on a loss");
    let pool = w.s.pool;
    assert!(w.s.view(pool, &X::isBunkerModeCall {})._0);
    // In bunker mode the request above the report's rate cannot be finalized.
    w.next_day();
    let lower = w.s.share_rate();
    let premature =
        Report { batches: vec![ids[0]], rate: lower, bunker: true, ..w.report(slashed) };
    let data = premature.data(w.o.ref_slot(&mut w.s));
    w.o.agree(&mut w.s, data_hash(&data));
    let refused = w.o.submit(&mut w.s, 0, &data);
    assert!(!refused.success);
    let _: Q::BunkerModeRateAboveReport = revert_data(&refused);
    // The committee re-votes: bunker cleared, the request paid at the lower rate.
    let (_, shares, ..) = {
        let st = w.s.view(queue, &Q::getWithdrawalStatusCall { requestIds: vec![ids[0]] });
        let x = &st.statuses[0];
        (x.amountOfStETH, x.amountOfShares, x.owner)
    };
    let settled = Report { batches: vec![ids[0]], rate: lower, bunker: false, ..w.report(slashed) };
    let data = settled.data(w.o.ref_slot(&mut w.s));
    for i in 0..5 {
        ok(&w.o.vote(&mut w.s, i, data_hash(&data)));
    }
    ok(&w.o.submit(&mut w.s, 0, &data));
    assert!(!w.s.view(queue, &Q::isBunkerModeActiveCall {})._0);
    let before = w.s.vm.balance(ALICE);
    let r = w.s.send(ALICE, queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: ids[0] });
    ok(&r);
    let paid = w.s.vm.balance(ALICE) - before;
    let at_lower = shares * lower / U256::from(10).pow(U256::from(27));
    assert_eq!(paid, at_lower, "paid at the lower rate");
    assert!(paid < ether(32));
}

#[test]
fn a_lying_report_is_rejected_and_changes_nothing() {
    let mut w = World::new();
    let cl = VALIDATORS * 32 * GWEI;
    let first = w.report(cl);
    ok(&w.process(&first));
    w.next_day();
    let snapshot = |w: &mut World| {
        let (pool, queue, registry) = (w.s.pool, w.s.queue, w.v.registry);
        (
            w.total_pooled(),
            w.total_shares(),
            w.shares(TREASURY),
            w.shares(registry),
            Report::beacon(&mut w.s),
            w.s.vm.balance(pool),
            w.s.vm.balance(queue),
            w.s.view(w.o.address, &O::getLastProcessingRefSlotCall {})._0,
        )
    };
    let before = snapshot(&mut w);
    // 1. A member submits data other than what the quorum agreed on.
    let honest = w.report(cl + daily_growth(cl));
    let slot = w.o.ref_slot(&mut w.s);
    w.o.agree(&mut w.s, data_hash(&honest.data(slot)));
    let lie = Report { cl_balance_gwei: cl * 2, ..honest.clone() }.data(slot);
    let r = w.o.submit(&mut w.s, 0, &lie);
    let e: O::UnexpectedDataHash = revert_data(&r);
    assert_eq!(e.receivedHash, data_hash(&lie));
    assert_eq!(snapshot(&mut w), before);
    // 2. The quorum itself lies, and the sanity limits catch it (each names its limit and
    //    the value), with nothing changed anywhere.
    w.next_day();
    let cases: Vec<(Report, &str)> = vec![
        (Report { cl_balance_gwei: cl + cl / 100, ..w.report(cl) }, "annual increase"),
        (Report { cl_balance_gwei: cl - cl / 10, ..w.report(cl) }, "decrease"),
        (Report { withdrawals: ether(1), ..w.report(cl) }, "withdrawals not received"),
        (Report { validators: VALIDATORS + 1, ..w.report(cl) }, "more validators than deposited"),
    ];
    let before = snapshot(&mut w);
    for (report, what) in cases {
        let data = report.data(w.o.ref_slot(&mut w.s));
        for i in 0..5 {
            ok(&w.o.vote(&mut w.s, i, data_hash(&data)));
        }
        let r = w.o.submit(&mut w.s, 0, &data);
        assert!(!r.success, "{what}");
        match what {
            "annual increase" => {
                let e: X::IncorrectCLBalanceIncrease = revert_data(&r);
                assert_eq!(e.limitBP, U256::from(1_000));
                assert!(e.annualBP > e.limitBP);
            }
            "decrease" => {
                let e: X::IncorrectCLBalanceDecrease = revert_data(&r);
                assert_eq!(e.limitBP, U256::from(500));
                assert!(e.windowBP > e.limitBP);
            }
            "withdrawals not received" => {
                let e: X::IncorrectWithdrawalsAndRewards = revert_data(&r);
                assert_eq!((e.claimed, e.available), (ether(1), U256::ZERO));
            }
            _ => {
                let e: X::IncorrectReportValidators = revert_data(&r);
                assert_eq!(e.reported, U256::from(VALIDATORS + 1));
            }
        }
        assert_eq!(snapshot(&mut w), before, "{what}");
    }
    // The honest report still goes through in the same frame.
    let honest = w.report(cl + daily_growth(cl));
    let data = honest.data(w.o.ref_slot(&mut w.s));
    for i in 0..5 {
        ok(&w.o.vote(&mut w.s, i, data_hash(&data)));
    }
    ok(&w.o.submit(&mut w.s, 0, &data));
}

#[test]
fn rewards_received_at_the_pool_join_the_buffer_and_exits_reach_the_registry() {
    let mut w = World::new();
    let cl = VALIDATORS * 32 * GWEI;
    let first = w.report(cl);
    ok(&w.process(&first));
    w.next_day();
    // One validator exits: its 32 ether arrive at the pool's address, plus 0.1 ether of
    // execution-layer rewards; the CL balance drops by the exited 32.
    w.s.credit_pool(ether(32));
    let el = ether(1) / U256::from(10);
    w.s.credit_pool(el);
    let buffered_before = w.s.view(w.s.pool, &IStakingPool::getBufferedEtherCall {})._0;
    let op = w.operators[0];
    let report = Report {
        cl_balance_gwei: cl - 32 * GWEI + daily_growth(cl),
        withdrawals: ether(32),
        el_rewards: el,
        exited: vec![(u64::from(op), 1)],
        ..w.report(cl)
    };
    let r = w.process(&report);
    ok(&r);
    let buffered = w.s.view(w.s.pool, &IStakingPool::getBufferedEtherCall {})._0;
    assert_eq!(buffered - buffered_before, ether(32) + el);
    let (_, _, _, exited, ..) = w.v.operator(&mut w.s, op);
    assert_eq!(exited, 1);
    let registry = w.v.registry;
    let updates = events_from::<R::ExitedValidatorsUpdated>(&r, registry);
    assert_eq!(updates.len(), 1);
    // With the CL above its principal, the EL rewards count as rewards too: a fee is minted.
    let pool = w.s.pool;
    let e = &events_from::<X::TokenRebased>(&r, pool)[0];
    assert!(e.sharesMintedAsFees > U256::ZERO);
}
