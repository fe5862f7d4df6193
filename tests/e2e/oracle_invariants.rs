//! Property test on the release wasm: random sequences of deposits, validator deposits,
//! withdrawal requests, claims, missed frames, oracle reports (rewards, losses, exits with
//! their ether arriving at the pool, EL rewards, finalization, and reports that break a sanity
//! limit) and the L1 vault's ether (CL skims reaching the vault, the vault bridging its free
//! balance by retryable ticket, auto-redeemed or waiting for a manual redeem, reports carrying
//! the vault's balance and `bridgedToL2` while tickets are in flight) never break the
//! accounting identities of `shared/DESIGN.md`. After every step:
//!
//! - the shares of every holder the protocol can create (users, the dead address, the
//!   treasury, the registry, the queue, the operators' reward addresses, the pool) sum to the
//!   total shares;
//! - total pooled ether == buffered + (deposited − seen validators) x 32 ether + the pool's L1
//!   figure, and that figure == CL balance + vault balance + bridgedToL2 (the last accepted
//!   report's) − receivedFromL1Vault (live): in flight to L2 counted once, before and after
//!   each redeem;
//! - the pool's ether balance >= buffered ether; the queue's >= its locked ether;
//! - FIFO: the last finalized id only grows, never past the last request id; a claimed request
//!   cannot be claimed again;
//! - the share rate moves only on an accepted report, by at most the positive-rebase limit
//!   up (0.075% a report) and never on any other step beyond a deposit's rounding dust; a
//!   rejected report changes nothing.
#![allow(missing_docs, clippy::needless_pass_by_value)]

use alloy_primitives::{address, Address, B256, U256};
use proptest::prelude::*;
use protocol_tests::{
    abi::{IStakingPool, IWithdrawalQueue as Q},
    deploy::{ether, Suite, ALICE, BOB, CAROL},
    fuzz,
    oracle::{Oracle, Report, GWEI},
    validators::{reward_address, Validators},
};
use staking_pool::DEAD_ADDRESS;

use crate::l1_accounting::{redeem, vault_ticket};

const TREASURY: Address = address!("0000000000000000000000000000000000007EA5");
const USERS: [Address; 3] = [ALICE, BOB, CAROL];
const OPERATORS: u16 = 3;
const KEYS: u32 = 6;

#[derive(Debug, Clone)]
enum Action {
    /// `who` stakes `n` ether.
    Deposit { who: usize, n: u64 },
    /// One validator deposit (when the buffer and the keys allow).
    Validator,
    /// `who` requests `n` ether back.
    Request { who: usize, n: u64 },
    /// The oldest finalized, unclaimed request is claimed (then claimed again, refused).
    Claim,
    /// A frame passes without a report.
    Skip,
    /// A report: CL change in BP of the balance (negative: a loss), an exit, EL rewards,
    /// finalization of what is old enough; `lie` breaks the annual-increase limit.
    Report { growth_bp: i64, exit: bool, el_milli: u64, finalize: bool, lie: bool },
    /// On L1, `milli` thousandths of an ether of the CL balance are skimmed to the vault.
    Skim { milli: u64 },
    /// The vault bridges its free balance to the pool by retryable ticket; its auto-redeem
    /// succeeds (`auto`) or fails and the ticket waits.
    Bridge { auto: bool },
    /// The oldest waiting ticket is redeemed.
    Redeem,
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        3 => (0..3usize, 1..40u64).prop_map(|(who, n)| Action::Deposit { who, n }),
        2 => Just(Action::Validator),
        2 => (0..3usize, 1..15u64).prop_map(|(who, n)| Action::Request { who, n }),
        2 => Just(Action::Claim),
        1 => Just(Action::Skip),
        3 => (1..2_000u64).prop_map(|milli| Action::Skim { milli }),
        3 => any::<bool>().prop_map(|auto| Action::Bridge { auto }),
        2 => Just(Action::Redeem),
        5 => (-60..=3i64, any::<bool>(), 0..200u64, any::<bool>(), prop::bool::weighted(0.15))
            .prop_map(|(growth_bp, exit, el_milli, finalize, lie)| Action::Report {
                growth_bp,
                exit,
                el_milli,
                finalize,
                lie
            }),
    ]
}

/// The protocol and the ghost of what the oracle has seen.
struct World {
    s: Suite,
    v: Validators,
    o: Oracle,
    /// CL balance the oracle reports next, gwei.
    cl_gwei: u64,
    /// Validators the oracle has reported seen.
    seen: u64,
    /// The operators' ids.
    operators: Vec<u16>,
    /// Validators that exited (their 32 ether sent to the pool), per operator.
    exited: Vec<u64>,
    /// Requests made, with the frame they were made in.
    requests: Vec<(U256, Address)>,
    claimed: Vec<U256>,
    last_finalized: U256,
    /// The L1 vault's free balance, wei.
    vault: U256,
    /// The vault's cumulative ether bridged to L2, wei.
    bridged: U256,
    /// Tickets submitted (their request ids) and those waiting for a manual redeem.
    tickets: u64,
    waiting: Vec<B256>,
    /// The last accepted report's CL balance, vault balance and bridged ether, wei.
    reported: (U256, U256, U256),
}

impl World {
    fn new() -> Self {
        let mut s = Suite::deploy();
        let mut v = Validators::setup(&mut s, 3);
        let operators = v.onboard(&mut s, OPERATORS, KEYS);
        for who in USERS {
            s.deposit(who, ether(80));
        }
        let o = Oracle::committee(&mut s, v.registry);
        s.set_fee_config(TREASURY, 1_000, 500);
        Oracle::advance_frames(&mut s, 1);
        let exited = vec![0; usize::from(OPERATORS)];
        let mut w = Self {
            s,
            v,
            o,
            cl_gwei: 0,
            seen: 0,
            operators,
            exited,
            requests: Vec::new(),
            claimed: Vec::new(),
            last_finalized: U256::ZERO,
            vault: U256::ZERO,
            bridged: U256::ZERO,
            tickets: 0,
            waiting: Vec::new(),
            reported: (U256::ZERO, U256::ZERO, U256::ZERO),
        };
        // One validator funded and reported at the start, so that every sequence has a CL
        // balance for rewards, losses, exits and skims to the L1 vault from its first step.
        assert!(w.v.deposit(&mut w.s, 1).success, "the first validator");
        assert!(w.report(0, false, 0, false, false), "the first report");
        Oracle::advance_frames(&mut w.s, 1);
        w
    }

    fn view_pool<C: alloy_sol_types::SolCall>(&mut self, call: &C) -> C::Return {
        let pool = self.s.pool;
        self.s.view(pool, call)
    }

    fn view_queue<C: alloy_sol_types::SolCall>(&mut self, call: &C) -> C::Return {
        let queue = self.s.queue;
        self.s.view(queue, call)
    }

    /// Everything a rejected report must leave as it was.
    fn state(&mut self) -> Vec<U256> {
        let (pool, queue, registry) = (self.s.pool, self.s.queue, self.v.registry);
        let (d, c, b) = Report::beacon(&mut self.s);
        vec![
            self.view_pool(&IStakingPool::getTotalPooledEtherCall {})._0,
            self.view_pool(&IStakingPool::totalSharesCall {})._0,
            self.view_pool(&IStakingPool::getBufferedEtherCall {})._0,
            U256::from(d),
            U256::from(c),
            U256::from(b),
            self.s.shares_of(TREASURY),
            self.s.shares_of(registry),
            self.s.vm.balance(pool),
            self.s.vm.balance(queue),
            self.view_queue(&Q::getLastFinalizedRequestIdCall {})._0,
        ]
    }

    fn check_identities(&mut self) {
        let (pool, queue, registry) = (self.s.pool, self.s.queue, self.v.registry);
        let mut holders = vec![DEAD_ADDRESS, TREASURY, registry, queue, pool];
        holders.extend(USERS);
        holders.extend(self.operators.iter().map(|&id| reward_address(id)));
        let sum = holders.iter().fold(U256::ZERO, |a, h| a + self.s.shares_of(*h));
        let total = self.view_pool(&IStakingPool::totalSharesCall {})._0;
        assert_eq!(sum, total, "shares add up");
        let beacon = self.view_pool(&IStakingPool::getBeaconStatCall {});
        let (deposited, cl_validators, l1) = (beacon._0, beacon._1, beacon._2);
        let buffered = self.view_pool(&IStakingPool::getBufferedEtherCall {})._0;
        let pooled = self.view_pool(&IStakingPool::getTotalPooledEtherCall {})._0;
        let transient = (deposited - cl_validators) * ether(32);
        assert_eq!(pooled, buffered + transient + l1);
        // The L1 figure: CL + vault + bridged (the last report's) - received (live), summed
        // with the counter on both sides.
        let received = self.view_pool(&IStakingPool::receivedFromL1VaultCall {})._0;
        let (cl, vault, bridged) = self.reported;
        assert_eq!(l1 + received, cl + vault + bridged, "the L1 figure");
        assert!(received <= self.bridged, "never more received than bridged");
        assert!(self.s.vm.balance(pool) >= buffered, "the pool holds its buffer");
        let locked = self.view_queue(&Q::getLockedEtherAmountCall {})._0;
        assert!(self.s.vm.balance(queue) >= locked, "the queue holds what it owes");
        let last = self.view_queue(&Q::getLastFinalizedRequestIdCall {})._0;
        let newest = self.view_queue(&Q::getLastRequestIdCall {})._0;
        assert!(last >= self.last_finalized && last <= newest, "FIFO");
        self.last_finalized = last;
        // Exits (placed by the report's order hints) keep the deposit order exact.
        self.v.assert_order_exact(&mut self.s);
    }

    fn step(&mut self, a: &Action) {
        let rate_before = self.s.share_rate();
        let reported = match a {
            Action::Deposit { who, n } => {
                self.s.deposit(USERS[*who], ether(*n));
                false
            }
            Action::Validator => {
                let buffered = self.view_pool(&IStakingPool::getBufferedEtherCall {})._0;
                let owed = self.view_queue(&Q::unfinalizedStETHCall {})._0;
                let (deposited, ..) = Report::beacon(&mut self.s);
                let keys = u64::from(OPERATORS) * u64::from(KEYS);
                if buffered >= owed + ether(32) && deposited < keys {
                    let r = self.v.deposit(&mut self.s, 1);
                    assert!(r.success, "validator deposit");
                }
                false
            }
            Action::Request { who, n } => {
                let who = USERS[*who];
                if self.s.balance_of(who) > ether(*n) {
                    let (ids, _) = self.s.request_withdrawals(who, &[ether(*n)]);
                    self.requests.push((ids[0], who));
                }
                false
            }
            Action::Claim => {
                let last = self.view_queue(&Q::getLastFinalizedRequestIdCall {})._0;
                let next =
                    self.requests.iter().find(|(id, _)| *id <= last && !self.claimed.contains(id));
                if let Some(&(id, owner)) = next {
                    let queue = self.s.queue;
                    let r = self.s.send(
                        owner,
                        queue,
                        U256::ZERO,
                        &Q::claimWithdrawalCall { requestId: id },
                    );
                    assert!(r.success, "claim {id}");
                    let again = self.s.send(
                        owner,
                        queue,
                        U256::ZERO,
                        &Q::claimWithdrawalCall { requestId: id },
                    );
                    assert!(!again.success, "claimed twice");
                    self.claimed.push(id);
                }
                false
            }
            Action::Skip => {
                Oracle::advance_frames(&mut self.s, 1);
                false
            }
            Action::Report { growth_bp, exit, el_milli, finalize, lie } => {
                Oracle::advance_frames(&mut self.s, 1);
                self.report(*growth_bp, *exit, *el_milli, *finalize, *lie)
            }
            Action::Skim { milli } => {
                // From the CL balance the next report counts (nothing on L2 moves).
                // At most what the CL holds.
                let gwei = (milli * 1_000_000).min(self.cl_gwei);
                if gwei > 0 {
                    self.cl_gwei -= gwei;
                    self.vault += U256::from(gwei) * U256::from(GWEI);
                }
                false
            }
            Action::Bridge { auto } => {
                if !self.vault.is_zero() {
                    let amount = self.vault;
                    self.vault = U256::ZERO;
                    self.bridged += amount;
                    self.tickets += 1;
                    let gas = if *auto { 300_000 } else { 21_000 };
                    let result = vault_ticket(&mut self.s, self.tickets, amount, gas);
                    let redeemed = result.auto_redeem.expect("an auto-redeem ran");
                    assert_eq!(redeemed.success, *auto, "{:?}", redeemed.status);
                    if !*auto {
                        self.waiting.push(result.ticket_id);
                    }
                }
                false
            }
            Action::Redeem => {
                if !self.waiting.is_empty() {
                    let id = self.waiting.remove(0);
                    redeem(&mut self.s, id);
                }
                false
            }
        };
        let rate = self.s.share_rate();
        if reported {
            // At most the positive-rebase limit (0.075%) up, plus rounding.
            assert!(
                rate * U256::from(1_000_000_000u64)
                    <= rate_before * U256::from(1_000_750_000u64) + U256::from(1_000_000_000u64),
                "rebase within the limit: {rate_before} -> {rate}"
            );
        } else {
            // A deposit's rounding (shares minted down) only raises the rate, by dust.
            assert!(rate >= rate_before, "{a:?}: {rate_before} -> {rate}");
            assert!(rate - rate_before <= rate_before / U256::from(1_000_000_000_000u64), "{a:?}");
        }
        self.check_identities();
    }

    /// Sends a report; whether it was accepted.
    fn report(
        &mut self,
        growth_bp: i64,
        exit: bool,
        el_milli: u64,
        finalize: bool,
        lie: bool,
    ) -> bool {
        let (deposited, ..) = Report::beacon(&mut self.s);
        let appeared = deposited - self.seen;
        let mut cl = self.cl_gwei + appeared * 32 * GWEI;
        let change = cl / 10_000 * growth_bp.unsigned_abs();
        cl = if growth_bp >= 0 { cl + change } else { cl - change };
        if lie {
            cl += cl / 50 + 32 * GWEI; // far above 10% a year
        }
        let mut withdrawals = U256::ZERO;
        let mut exited = Vec::new();
        let total_exited: u64 = self.exited.iter().sum();
        if exit && deposited > total_exited && cl >= 32 * GWEI {
            // The first operator with a validator left exits one.
            for (i, &id) in self.operators.clone().iter().enumerate() {
                let (_, _, dep, ..) = self.v.operator(&mut self.s, id);
                if dep > self.exited[i] {
                    exited.push((u64::from(id), self.exited[i] + 1));
                    break;
                }
            }
            if !exited.is_empty() {
                cl -= 32 * GWEI;
                withdrawals = ether(32);
            }
        }
        let el = U256::from(el_milli) * ether(1) / U256::from(1_000);
        self.s.credit_pool(withdrawals + el);
        let unfinalized_last = self.view_queue(&Q::getLastRequestIdCall {})._0;
        let last_fin = self.view_queue(&Q::getLastFinalizedRequestIdCall {})._0;
        // Finalize only on a report without a loss (bunker mode would refuse requests made
        // at a higher rate) and only requests made before this frame (the margin).
        let batches = if finalize && growth_bp >= 0 && unfinalized_last > last_fin {
            vec![unfinalized_last]
        } else {
            Vec::new()
        };
        let rate = self.s.share_rate();
        let report = Report {
            validators: deposited,
            cl_balance_gwei: cl,
            withdrawals,
            el_rewards: el,
            vault_balance: self.vault,
            bridged_to_l2: self.bridged,
            batches,
            rate,
            bunker: false,
            hints: self.v.exit_hints(&mut self.s, &exited),
            exited: exited.clone(),
            exit_requests: Vec::new(),
        };
        let data = report.data(self.o.ref_slot(&mut self.s));
        let before = self.state();
        let r = self.o.process(&mut self.s, &data);
        if r.success {
            assert!(!lie, "a lying report was accepted");
            self.cl_gwei = cl;
            self.reported = (U256::from(cl) * U256::from(GWEI), self.vault, self.bridged);
            self.seen = deposited;
            for (id, count) in exited {
                let i = self.operators.iter().position(|&o| u64::from(o) == id).expect("known");
                self.exited[i] = count;
            }
            true
        } else {
            // Rejected (the lie, or a loss beyond the window's limit): nothing changed, and
            // the ether credited stays unaccounted for the next report to claim.
            let mut after = self.state();
            let mut expected = before;
            // The pool's balance grew by the credit before the report; compare the rest.
            after.remove(8);
            expected.remove(8);
            assert_eq!(after, expected, "a rejected report changed nothing");
            // Take the credited ether back so the ghost stays simple.
            let pool = self.s.pool;
            let balance = self.s.vm.balance(pool);
            self.s.vm.set_balance(pool, balance - withdrawals - el);
            false
        }
    }
}

/// Short mode: 10 sequences (CI); `scripts/fuzz` runs 10,000 (`tests/src/fuzz.rs`).
const SUITE: fuzz::Suite =
    fuzz::Suite { name: "oracle_invariants", test: "e2e oracle_invariants::", short: 10 };

#[test]
fn random_reports_deposits_and_exits_keep_every_identity() {
    fuzz::run(
        SUITE,
        || prop::collection::vec(action(), 8..14),
        |actions| {
            let mut w = World::new();
            w.check_identities();
            for a in &actions {
                w.step(a);
            }
        },
    );
}
