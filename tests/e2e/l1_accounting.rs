//! The L1 vault's ether in the accounting, on the release wasm: reports carry the vault's free
//! balance and its cumulative `bridgedToL2`, the oracle hands the pool one L1 figure
//! (`clBalance + vaultBalance + bridgedToL2 - receivedFromL1Vault`), and the pool moves each
//! receipt from alias(vault) from that figure into its buffer. After every step total pooled
//! ether equals buffered + deposited-not-seen + CL balance + vault balance + in flight to L2
//! (`bridgedToL2 - receivedFromL1Vault`), with tickets in flight, a failed auto-redeem waiting
//! for its manual redeem, and reports landing in between. Every refusal of the new fields:
//! `BridgedToL2Decreased`, `NegativeFlight`, `NegativeL1Balance`, and a report claiming more
//! vault ether than exists, refused by the pool's annual-increase limit.
#![allow(missing_docs)]

use alloy_primitives::{address, Address, B256, U256};
use protocol_tests::{
    abi::{IAccountingOracle as O, IStakingPool as P, IStakingPool as X},
    deploy::{ether, events_from, revert_data, Suite, ALICE, BOB, CAROL},
    oracle::{data_hash, Oracle, Report, GWEI},
    validators::{Validators, L1_VAULT},
};
use stylus_vm::{arbos::retryables::RetryableResult, Receipt};

/// Validators deposited at setup.
const VALIDATORS: u64 = 6;
/// Where the protocol's part of the fee goes.
const TREASURY: Address = address!("0000000000000000000000000000000000007EA5");

fn ok(r: &Receipt) {
    assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
}

/// The pool's `(totalPooledEther, bufferedEther, depositedValidators, clValidators,
/// clBalance, receivedFromL1Vault)`.
type PoolFigures = (U256, U256, U256, U256, U256, U256);

/// What the last processed report said of L1, wei: the CL balance, the vault's free balance
/// and its cumulative bridged ether.
#[derive(Debug, Clone, Copy, Default)]
struct L1 {
    cl: U256,
    vault: U256,
    bridged: U256,
}

/// The protocol with 6 validators funded (192 ether), 300 ether staked, the oracle
/// connected and the fee set; the pool's L1 vault is [`L1_VAULT`].
struct World {
    s: Suite,
    o: Oracle,
    /// The L1 figures of the last processed report.
    reported: L1,
    /// Tickets submitted so far (their request ids).
    tickets: u64,
}

impl World {
    fn new() -> Self {
        let mut s = Suite::deploy();
        let mut v = Validators::setup(&mut s, 3);
        v.onboard(&mut s, 3, 8);
        for who in [ALICE, BOB, CAROL] {
            s.deposit(who, ether(100));
        }
        ok(&v.deposit(&mut s, usize::try_from(VALIDATORS).expect("small")));
        assert_eq!(s.view(s.pool, &P::l1VaultCall {})._0, L1_VAULT);
        let o = Oracle::committee(&mut s, v.registry);
        s.set_fee_config(TREASURY, 1_000, 500);
        Oracle::advance_frames(&mut s, 1);
        let mut w = Self { s, o, reported: L1::default(), tickets: 0 };
        // The first report sees the six validators at 32 ether each: the principal.
        let first = L1 { cl: ether(32 * VALIDATORS), ..L1::default() };
        ok(&w.report(first));
        w.check_identity();
        w
    }

    /// The report of `l1` for the current frame (the six validators seen), as data.
    fn data(&mut self, l1: L1) -> O::ReportData {
        let gwei = u64::try_from(l1.cl / U256::from(GWEI)).expect("fits");
        let report = Report {
            validators: VALIDATORS,
            cl_balance_gwei: gwei,
            vault_balance: l1.vault,
            bridged_to_l2: l1.bridged,
            ..Report::default()
        };
        report.data(self.o.ref_slot(&mut self.s))
    }

    /// The committee agrees on `l1` for the current frame and submits it; on success the
    /// figures become the reported ones. The clock then moves to the next frame.
    fn report(&mut self, l1: L1) -> Receipt {
        let data = self.data(l1);
        let r = self.o.process(&mut self.s, &data);
        if r.success {
            self.reported = l1;
        }
        Oracle::advance_frames(&mut self.s, 1);
        r
    }

    /// Submits a ticket from the vault's alias ([`vault_ticket`]); the submission's result.
    fn ticket(&mut self, value: U256, gas_limit: u64) -> RetryableResult {
        self.tickets += 1;
        vault_ticket(&mut self.s, self.tickets, value, gas_limit)
    }

    /// A ticket of `value` whose auto-redeem succeeds.
    fn arrive(&mut self, value: U256) {
        let result = self.ticket(value, 300_000);
        let redeem = result.auto_redeem.expect("an auto-redeem ran");
        ok(&redeem);
        let received = events_from::<X::L1EtherReceived>(&redeem, self.s.pool);
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].amount, value);
    }

    /// `(totalPooledEther, bufferedEther, depositedValidators, clValidators, clBalance,
    /// receivedFromL1Vault)`.
    fn pool(&mut self) -> PoolFigures {
        let pool = self.s.pool;
        let b = self.s.view(pool, &P::getBeaconStatCall {});
        (
            self.s.view(pool, &P::getTotalPooledEtherCall {})._0,
            self.s.view(pool, &P::getBufferedEtherCall {})._0,
            b._0,
            b._1,
            b._2,
            self.s.view(pool, &P::receivedFromL1VaultCall {})._0,
        )
    }

    /// Total pooled ether = buffered + deposited-not-seen + CL balance + vault balance + in
    /// flight to L2 (`bridgedToL2 - receivedFromL1Vault`, the counter live), with the L1
    /// figures of the last report; and the pool's L1 figure is the last three. In flight is
    /// signed here: ether bridged after the ref slot and received since is in the reported
    /// vault balance and in the counter (the sum is never negative). Summed with the counter
    /// on both sides, so nothing is subtracted.
    fn check_identity(&mut self) {
        let (pooled, buffered, deposited, seen, l1, received) = self.pool();
        let r = self.reported;
        let unseen = (deposited - seen) * ether(32);
        assert_eq!(l1 + received, r.cl + r.vault + r.bridged, "the pool's L1 figure");
        assert_eq!(
            pooled + received,
            buffered + unseen + r.cl + r.vault + r.bridged,
            "the identity"
        );
        assert!(self.s.vm.balance(self.s.pool) >= buffered, "the buffer is held");
    }

    /// The oracle's `getLastL1State()`: `(bridgedToL2, receivedFromL1Vault)`.
    fn last_l1(&mut self) -> (U256, U256) {
        let l1 = self.s.view(self.o.address, &O::getLastL1StateCall {});
        (l1.bridgedToL2, l1.receivedFromL1Vault)
    }

    /// `(lastProcessingRefSlot, the oracle's last L1 state, the pool's figures)`: what a
    /// refused report must leave as it was.
    fn snapshot(&mut self) -> (U256, (U256, U256), PoolFigures) {
        let oracle = self.o.address;
        let last = self.s.view(oracle, &O::getLastProcessingRefSlotCall {})._0;
        (last, self.last_l1(), self.pool())
    }

    /// The committee agrees on `l1` and its submission is refused: the revert data, nothing
    /// changed.
    fn refused(&mut self, l1: L1) -> Receipt {
        let before = self.snapshot();
        let data = self.data(l1);
        self.o.agree(&mut self.s, data_hash(&data));
        let r = self.o.submit(&mut self.s, 0, &data);
        assert!(!r.success, "refused");
        assert_eq!(self.snapshot(), before);
        r
    }
}

/// Submits to the L2 VM, as the Inbox delivers it (the sender aliased, the deposit escrowed),
/// a retryable ticket from the L1 vault [`L1_VAULT`] to the pool with `value`, no calldata and
/// `gas_limit` for its auto-redeem (21,000: it fails and the ticket waits); request `id`.
/// The submission's result (it must succeed).
pub(crate) fn vault_ticket(s: &mut Suite, id: u64, value: U256, gas_limit: u64) -> RetryableResult {
    let t = crate::l1_ether::ticket(s, L1_VAULT, value, gas_limit, id);
    let result = s.vm.submit_retryable(&t);
    assert!(result.submission.success, "{:?}", result.submission.status);
    result
}

/// Redeems the waiting ticket `id` (from BOB, as anyone may); the redeem's receipt, which
/// must succeed.
pub(crate) fn redeem(s: &mut Suite, id: B256) -> Receipt {
    let r = s.vm.redeem_ticket(BOB, id, 500_000);
    ok(&r);
    let retry = r.redeems[0].clone();
    ok(&retry);
    retry
}

/// A day's CL rewards on `cl` wei at 4% a year, in whole gwei (the report's unit).
fn daily(cl: U256) -> U256 {
    let gwei = U256::from(GWEI);
    cl * U256::from(4) / U256::from(100 * 365) / gwei * gwei
}

fn milli(n: u64) -> U256 {
    ether(n) / U256::from(1_000)
}

#[test]
fn a_report_while_a_ticket_is_in_flight_counts_its_ether_once_before_and_after_the_redeem() {
    let mut w = World::new();
    let principal = w.reported.cl;
    let rewards = daily(principal);
    // By this frame's ref slot the CL earned `rewards` and skimmed 1 ether to the vault, which
    // bridged 0.4 of it (in flight: the auto-redeem fails for want of gas) and keeps 0.6.
    let waiting = w.ticket(milli(400), 21_000);
    assert!(!waiting.auto_redeem.expect("scheduled").success);
    let id = waiting.ticket_id;
    w.check_identity();
    let before = w.pool();
    let l1 = L1 { cl: principal + rewards - ether(1), vault: milli(600), bridged: milli(400) };
    let r = w.report(l1);
    ok(&r);
    let rebased = &events_from::<X::TokenRebased>(&r, w.s.pool)[0];
    assert_eq!(rebased.postTotalEther - rebased.preTotalEther, rewards, "the day's rewards");
    let logged: Vec<_> = events_from::<O::L1StateReported>(&r, w.o.address)
        .into_iter()
        .map(|e| (e.refSlot, e.vaultBalance, e.bridgedToL2, e.receivedFromL1Vault))
        .collect();
    let ref_slot = w.s.view(w.o.address, &O::getLastProcessingRefSlotCall {})._0;
    assert_eq!(logged, vec![(ref_slot, milli(600), milli(400), U256::ZERO)]);
    // The pool's L1 figure: CL + vault + in flight (0.4, still in escrow on L2).
    assert_eq!(w.pool().4, principal + rewards);
    assert_eq!(w.pool().0, before.0 + rewards);
    w.check_identity();

    // The waiting ticket is redeemed by anyone: it moves from the L1 figure to the buffer.
    let before = w.pool();
    redeem(&mut w.s, id);
    let after = w.pool();
    assert_eq!(after.0, before.0, "total pooled ether does not move on a receipt");
    assert_eq!(
        (after.1, after.4, after.5),
        (before.1 + milli(400), before.4 - milli(400), milli(400))
    );
    w.check_identity();

    // After the next ref slot's figures are taken, the vault bridges its 0.6 and it arrives
    // before the report is processed; the report counts it in the vault (at its ref slot)
    // and the live counter takes it off once.
    let rewards2 = daily(l1.cl);
    let l1_next = L1 { cl: l1.cl + rewards2, vault: milli(600), bridged: milli(400) };
    let data = w.data(l1_next);
    w.o.agree(&mut w.s, data_hash(&data));
    let before = w.pool();
    w.arrive(milli(600));
    let after = w.pool();
    assert_eq!(after.0, before.0);
    assert_eq!((after.1, after.5), (before.1 + milli(600), ether(1)));
    let r = w.o.submit(&mut w.s, 0, &data);
    ok(&r);
    w.reported = l1_next;
    let rebased = &events_from::<X::TokenRebased>(&r, w.s.pool)[0];
    assert_eq!(rebased.postTotalEther - rebased.preTotalEther, rewards2, "counted once");
    // The L1 figure: CL + 0.6 in the vault at ref slot + 0.4 bridged - 1 received = CL.
    assert_eq!(w.pool().4, l1_next.cl);
    w.check_identity();
    assert_eq!(w.last_l1(), (milli(400), ether(1)));
    Oracle::advance_frames(&mut w.s, 1);

    // The next report counts the 0.6 as bridged; the vault is empty.
    let l1_last = L1 { cl: l1_next.cl, vault: U256::ZERO, bridged: ether(1) };
    let r = w.report(l1_last);
    ok(&r);
    let rebased = &events_from::<X::TokenRebased>(&r, w.s.pool)[0];
    assert_eq!(rebased.postTotalEther, rebased.preTotalEther, "nothing new on L1");
    w.check_identity();
}

#[test]
fn a_failed_auto_redeem_changes_nothing_until_it_is_redeemed() {
    let mut w = World::new();
    let before = w.snapshot();
    let waiting = w.ticket(ether(2), 21_000);
    assert!(!waiting.auto_redeem.expect("scheduled").success);
    assert_eq!(w.snapshot(), before, "the ticket waits in escrow");
    let retry = redeem(&mut w.s, waiting.ticket_id);
    assert_eq!(
        events_from::<X::L1EtherReceived>(&retry, w.s.pool),
        vec![X::L1EtherReceived { amount: ether(2), total: ether(2) }]
    );
    let after = w.pool();
    assert_eq!(after.0, before.2 .0);
    assert_eq!(after.1, before.2 .1 + ether(2));
    assert_eq!(after.4, before.2 .4 - ether(2));
    w.check_identity();
    // The next report counts the 2 as bridged (the CL skimmed them): no reward, no loss.
    let l1 = L1 { cl: w.reported.cl - ether(2), vault: U256::ZERO, bridged: ether(2) };
    let r = w.report(l1);
    ok(&r);
    let rebased = &events_from::<X::TokenRebased>(&r, w.s.pool)[0];
    assert_eq!(rebased.postTotalEther, rebased.preTotalEther);
    w.check_identity();
}

#[test]
fn bridged_ether_below_the_last_reports_is_refused() {
    let mut w = World::new();
    let cl = w.reported.cl - ether(1);
    ok(&w.report(L1 { cl, vault: U256::ZERO, bridged: ether(1) }));
    w.arrive(ether(1));
    let r = w.refused(L1 { cl, vault: U256::ZERO, bridged: milli(999) });
    let e: O::BridgedToL2Decreased = revert_data(&r);
    assert_eq!((e.previous, e.reported), (ether(1), milli(999)));
    w.check_identity();
}

#[test]
fn bridged_ether_below_what_the_pool_had_received_at_the_last_report_is_negative_flight() {
    let mut w = World::new();
    // At the ref slot the vault holds 1 ether skimmed, nothing bridged; it bridges it and the
    // pool receives it before the report is processed.
    let cl = w.reported.cl - ether(1);
    let l1 = L1 { cl, vault: ether(1), bridged: U256::ZERO };
    let data = w.data(l1);
    w.o.agree(&mut w.s, data_hash(&data));
    w.arrive(ether(1));
    ok(&w.o.submit(&mut w.s, 0, &data));
    w.reported = l1;
    Oracle::advance_frames(&mut w.s, 1);
    assert_eq!(w.last_l1(), (U256::ZERO, ether(1)));
    // A later ref slot showing less than the 1 ether received before it.
    let r = w.refused(L1 { cl, vault: U256::ZERO, bridged: milli(500) });
    let e: O::NegativeFlight = revert_data(&r);
    assert_eq!((e.bridged, e.received), (milli(500), ether(1)));
    // The honest figures pass.
    ok(&w.report(L1 { cl, vault: U256::ZERO, bridged: ether(1) }));
    w.check_identity();
}

#[test]
fn an_l1_figure_below_what_the_pool_received_is_refused() {
    let mut w = World::new();
    ok(&w.report(L1 { cl: w.reported.cl - ether(1), vault: U256::ZERO, bridged: ether(1) }));
    w.arrive(ether(1));
    // Half an ether more arrives after the last processing; a report claiming an empty CL,
    // an empty vault and the 1 bridged leaves 1 - 1.5 for L1.
    w.arrive(milli(500));
    let r = w.refused(L1 { cl: U256::ZERO, vault: U256::ZERO, bridged: ether(1) });
    let e: O::NegativeL1Balance = revert_data(&r);
    assert_eq!((e.l1Ether, e.received), (ether(1), milli(1_500)));
}

#[test]
fn a_report_claiming_more_vault_ether_than_exists_is_refused_by_the_annual_increase_limit() {
    let mut w = World::new();
    let cl = w.reported.cl;
    // A day's honest growth is 0.02 ether; the lie adds 10 ether of vault ether.
    let r = w.refused(L1 { cl: cl + daily(cl), vault: ether(10), bridged: U256::ZERO });
    let e: X::IncorrectCLBalanceIncrease = revert_data(&r);
    assert_eq!(e.limitBP, U256::from(1_000));
    assert!(e.annualBP > e.limitBP);
    // The same vault ether bridged and claimed as in flight is refused the same way.
    let r = w.refused(L1 { cl: cl + daily(cl), vault: U256::ZERO, bridged: ether(10) });
    let _: X::IncorrectCLBalanceIncrease = revert_data(&r);
    // The honest report passes.
    ok(&w.report(L1 { cl: cl + daily(cl), vault: U256::ZERO, bridged: U256::ZERO }));
    w.check_identity();
}
