//! Property test on the release wasm: no sequence of deposits, requests, NFT transfers,
//! finalizations at rising and falling share rates, claims, reports and time breaks the
//! withdrawal queue's identities.
//!
//! A handler performs random valid and invalid actions and keeps a ghost model beside the
//! queue: every request's ether, shares and owner, what each finalized request is owed
//! (`min(ether, floor(shares * rate / 1e27))`, computed independently of the queue's fast and
//! slow paths), what was claimed. Invalid actions must revert with the error the model
//! predicts. After every step it checks:
//!
//! - the queue's ether balance >= the locked ether, and equals finalized minus paid;
//! - locked == the sum of `getClaimableEther` over the finalized, unclaimed requests, each of
//!   which is what the model says it is owed;
//! - FIFO: the last finalized id only grows and never passes the last request id; the status
//!   of every request agrees with the model;
//! - nothing is claimed twice (a second claim reverts with `RequestAlreadyClaimed`), and no
//!   request is paid more than the ether it requested;
//! - the NFT balances add up to the number of unclaimed requests, per holder as the model says;
//! - the queue's share balance in the pool equals the sum of the shares of its unfinalized
//!   requests: every finalized request's shares left the queue (burned, or moved to the pool's
//!   own balance for later reports to burn) in the report that finalized it.
//!
//! Finalization and bunker mode go through the pool's report path only ([`REPORTER`] calling
//! `handleOracleReport`, [`Suite::finalization_report`]), as on chain; a direct `finalize` or
//! `setBunkerMode` by a holder or governance is refused with `NotPool` and changes nothing.
//! The pool's share rate is moved by writing its consensus-layer balance (a stand-in for the
//! rewards and losses of earlier reports, which the sanity limits would spread over many), so
//! requests are made at different rates and finalized at rates both above and below theirs.
#![allow(missing_docs, clippy::needless_pass_by_value)]

use std::collections::BTreeSet;

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use proptest::prelude::*;
use protocol_tests::deploy::revert_data as decode;
use protocol_tests::{
    abi::{IStakingPool, IStakingPool as X, IWithdrawalQueue as Q},
    deploy::{events_from, REPORTER},
    ether, fuzz, Suite, ADMIN, ALICE, BOB, CAROL, DAVE,
};
use stylus_vm::Receipt;
use withdrawal_queue::{
    errors::{
        BunkerModeRateAboveReport, ERC721InsufficientApproval, InvalidBatches, NotOwnerOrApproved,
        NotPool, RequestAlreadyClaimed, RequestAmountTooSmall, RequestNotFinalized,
        RequestTooRecent,
    },
    events::{WithdrawalClaimed, WithdrawalRequested},
};

const HOLDERS: [Address; 4] = [ALICE, BOB, CAROL, DAVE];
const RATE_ONE: u128 = 1_000_000_000_000_000_000_000_000_000;
const MIN_REQUEST: u128 = 100;
/// The queue's default minimum finalization delay (seconds).
const MIN_DELAY: u64 = 7_680;

#[derive(Debug, Clone)]
enum Action {
    /// `who` deposits `milli` thousandths of an ether.
    Deposit { who: usize, milli: u64 },
    /// `who` requests `amounts` (wei), the NFTs to `owner`.
    Request { who: usize, owner: usize, amounts: Vec<u128> },
    /// The owner (or, if `stranger`, someone else) moves a live NFT to `to`.
    Transfer { pick: usize, to: usize, stranger: bool, safe: bool },
    /// A report finalizes through one of the unfinalized requests old enough (or, if `early`,
    /// one too recent) at `rate`; if `direct`, a holder and governance first call `finalize`
    /// themselves with the ether, which is refused.
    Finalize { pick: usize, rate: u128, direct: bool, early: bool },
    /// Claims a finalized request (or, if `any`, any id: unfinalized and claimed ones too), by
    /// its owner or a stranger, with or without a hint.
    Claim { pick: usize, stranger: bool, hinted: bool, any: bool },
    /// `who` claims every finalized request it holds in one call, with hints.
    ClaimAll { who: usize },
    /// A report turns bunker mode on or off (after a refused direct `setBunkerMode`).
    Bunker { on: bool },
    /// A report: the consensus-layer balance set to `permille` / 1000 of the buffered ether.
    Report { permille: u64 },
    /// Time passes.
    Wait { seconds: u64 },
}

fn amount() -> impl Strategy<Value = u128> {
    prop_oneof![
        1 => 0u128..150,
        2 => 100u128..=1_000_000_000_000_000,
        7 => 1_000_000_000_000_000u128..=3_000_000_000_000_000_000,
    ]
}

fn action() -> impl Strategy<Value = Action> {
    let who = 0..HOLDERS.len();
    prop_oneof![
        2 => (who.clone(), 1u64..=20_000).prop_map(|(who, milli)| Action::Deposit { who, milli }),
        4 => (who.clone(), who.clone(), proptest::collection::vec(amount(), 1..=3))
            .prop_map(|(who, owner, amounts)| Action::Request { who, owner, amounts }),
        2 => (any::<usize>(), who.clone(), prop::bool::weighted(0.2), any::<bool>()).prop_map(
            |(pick, to, stranger, safe)| Action::Transfer { pick, to, stranger, safe }
        ),
        4 => (
            any::<usize>(),
            900_000_000_000_000_000_000_000_000u128..=1_100_000_000_000_000_000_000_000_000,
            prop::bool::weighted(0.2),
            prop::bool::weighted(0.15),
        )
            .prop_map(|(pick, rate, direct, early)| Action::Finalize {
                pick,
                rate,
                direct,
                early
            }),
        4 => (any::<usize>(), prop::bool::weighted(0.2), any::<bool>(), prop::bool::weighted(0.25))
            .prop_map(|(pick, stranger, hinted, any)| Action::Claim {
                pick,
                stranger,
                hinted,
                any
            }),
        1 => who.clone().prop_map(|who| Action::ClaimAll { who }),
        1 => prop::bool::weighted(0.3).prop_map(|on| Action::Bunker { on }),
        2 => (0u64..=200).prop_map(|permille| Action::Report { permille }),
        4 => prop_oneof![1 => 0u64..=600, 3 => MIN_DELAY..=MIN_DELAY + 1_200]
            .prop_map(|seconds| Action::Wait { seconds }),
    ]
}

/// One request as the model sees it.
#[derive(Debug, Clone)]
struct Ghost {
    ether: U256,
    shares: U256,
    owner: Address,
    timestamp: u64,
    /// What finalization locked for it.
    owed: Option<U256>,
    claimed: bool,
}

struct Handler {
    s: Suite,
    requests: Vec<Ghost>,
    last_finalized: usize,
    bunker: bool,
    /// Ether sent to the queue by finalization, and paid out by claims.
    finalized_ether: U256,
    paid: U256,
    claimed: BTreeSet<usize>,
}

fn rate_of(shares: U256, rate: u128) -> U256 {
    shares * U256::from(rate) / U256::from(RATE_ONE)
}

impl Handler {
    fn new() -> Self {
        let mut s = Suite::deploy();
        // Every holder starts with some of the token; they deposit more as they go.
        for who in HOLDERS {
            s.deposit(who, ether(10));
        }
        Self {
            s,
            requests: Vec::new(),
            last_finalized: 0,
            bunker: false,
            finalized_ether: U256::ZERO,
            paid: U256::ZERO,
            claimed: BTreeSet::new(),
        }
    }

    fn id(n: usize) -> U256 {
        U256::from(n)
    }

    fn send<C: SolCall>(&mut self, from: Address, value: U256, call: &C) -> Receipt {
        let queue = self.s.queue;
        self.s.send(from, queue, value, call)
    }

    fn live(&self) -> Vec<usize> {
        (1..=self.requests.len()).filter(|&n| !self.requests[n - 1].claimed).collect()
    }

    fn stranger_to(owner: Address) -> Address {
        let at = HOLDERS.iter().position(|&h| h == owner).unwrap_or(0);
        HOLDERS[(at + 1) % HOLDERS.len()]
    }

    fn step(&mut self, action: &Action) {
        match action.clone() {
            Action::Deposit { who, milli } => {
                let wei = ether(milli) / U256::from(1_000);
                self.s.deposit(HOLDERS[who], wei);
            }
            Action::Request { who, owner, amounts } => self.request(who, owner, &amounts),
            Action::Transfer { pick, to, stranger, safe } => {
                self.transfer(pick, to, stranger, safe);
            }
            Action::Finalize { pick, rate, direct, early } => {
                self.finalize(pick, rate, direct, early);
            }
            Action::Claim { pick, stranger, hinted, any } => {
                self.claim(pick, stranger, hinted, any);
            }
            Action::ClaimAll { who } => self.claim_all(HOLDERS[who]),
            Action::Bunker { on } => {
                for who in [ADMIN, REPORTER] {
                    let r = self.send(who, U256::ZERO, &Q::setBunkerModeCall { active: on });
                    assert_eq!(decode::<NotPool>(&r).caller, who);
                }
                let r = self.s.set_bunker_mode(on);
                let set = events_from::<withdrawal_queue::events::BunkerModeSet>(&r, self.s.queue);
                assert_eq!(set.len(), usize::from(on != self.bunker), "an event when it changes");
                self.bunker = on;
            }
            Action::Report { permille } => {
                let buffered = self.s.view(self.s.pool, &IStakingPool::getBufferedEtherCall {})._0;
                let cl = buffered * U256::from(permille) / U256::from(1_000);
                self.s.set_cl_balance(cl.to());
            }
            Action::Wait { seconds } => self.s.vm.advance_time(seconds),
        }
    }

    fn request(&mut self, who: usize, owner: usize, amounts: &[u128]) {
        let (who, owner) = (HOLDERS[who], HOLDERS[owner]);
        let amounts: Vec<U256> = amounts.iter().map(|&a| U256::from(a)).collect();
        let total = amounts.iter().fold(U256::ZERO, |a, b| a + b);
        let balance = self.s.balance_of(who);
        let pool = self.s.pool;
        let queue = self.s.queue;
        self.s.ok(
            who,
            pool,
            U256::ZERO,
            &IStakingPool::approveCall { spender: queue, amount: total },
        );
        let r = self.send(
            who,
            U256::ZERO,
            &Q::requestWithdrawalsCall { amounts: amounts.clone(), owner },
        );
        if let Some(&small) = amounts.iter().find(|a| **a < U256::from(MIN_REQUEST)) {
            let e: RequestAmountTooSmall = decode(&r);
            assert_eq!((e.amount, e.min), (small, U256::from(MIN_REQUEST)));
            return;
        }
        if total > balance {
            let e: staking_pool::abi::IStakingPool::ERC20InsufficientBalance = decode(&r);
            assert_eq!((e.sender, e.balance, e.needed), (who, balance, total));
            return;
        }
        assert!(r.success, "request of {amounts:?} with {balance} failed: {:?}", r.status);
        let ids =
            Q::requestWithdrawalsCall::abi_decode_returns(&r.output, true).expect("ids").requestIds;
        let events = events_from::<WithdrawalRequested>(&r, queue);
        assert_eq!(events.len(), amounts.len());
        let moved = events_from::<staking_pool::abi::IStakingPool::TransferShares>(&r, pool);
        let mut shares_total = U256::ZERO;
        for ((id, e), amount) in ids.iter().zip(&events).zip(&amounts) {
            assert_eq!(*id, Self::id(self.requests.len() + 1), "ids are consecutive");
            assert_eq!(
                (e.requestId, e.requestor, e.owner, e.amountOfStETH),
                (*id, who, owner, *amount)
            );
            assert!(e.amountOfShares > U256::ZERO);
            shares_total += e.amountOfShares;
            self.requests.push(Ghost {
                ether: *amount,
                shares: e.amountOfShares,
                owner,
                timestamp: self.s.vm.timestamp(),
                owed: None,
                claimed: false,
            });
        }
        assert_eq!(shares_total, moved[0].sharesValue, "the shares moved are split exactly");
    }

    fn transfer(&mut self, pick: usize, to: usize, stranger: bool, safe: bool) {
        let live = self.live();
        if live.is_empty() {
            return;
        }
        let n = live[pick % live.len()];
        let owner = self.requests[n - 1].owner;
        let to = HOLDERS[to];
        let caller = if stranger { Self::stranger_to(owner) } else { owner };
        let id = Self::id(n);
        let r = if safe {
            self.send(
                caller,
                U256::ZERO,
                &Q::safeTransferFrom_0Call { from: owner, to, tokenId: id },
            )
        } else {
            self.send(caller, U256::ZERO, &Q::transferFromCall { from: owner, to, tokenId: id })
        };
        if stranger {
            let e: ERC721InsufficientApproval = decode(&r);
            assert_eq!((e.operator, e.tokenId), (caller, id));
        } else {
            assert!(r.success, "{:?}", r.status);
            self.requests[n - 1].owner = to;
        }
    }

    /// Sends the report finalizing through `target` at `rate`; returns its receipt.
    fn report(&mut self, target: usize, rate: U256) -> Receipt {
        let report = self.s.finalization_report(Self::id(target), rate);
        self.s.handle_report(&report)
    }

    fn finalize(&mut self, pick: usize, rate: u128, direct: bool, early: bool) {
        let last = self.requests.len();
        let unfinalized = last - self.last_finalized;
        let rate_arg = U256::from(rate);
        if unfinalized == 0 {
            // Nothing left: already finalized (or, before any request, past the last): the
            // pool's prefinalize is refused.
            let target = self.last_finalized.max(1);
            let e: InvalidBatches = decode(&self.report(target, rate_arg));
            assert_eq!(e, InvalidBatches {});
            return;
        }
        // Requests old enough to be finalized now; a batch ends at one of them unless `early`.
        let now = self.s.vm.timestamp();
        let ready = (self.last_finalized + 1..=last)
            .take_while(|&n| self.requests[n - 1].timestamp + MIN_DELAY <= now)
            .count();
        let target = if early || ready == 0 {
            self.last_finalized + 1 + pick % unfinalized
        } else {
            self.last_finalized + 1 + pick % ready
        };
        let batch = self.last_finalized + 1..=target;
        // The model: each request is owed min(ether, shares at the report's rate).
        let owed: Vec<U256> = batch
            .clone()
            .map(|n| {
                let g = &self.requests[n - 1];
                g.ether.min(rate_of(g.shares, rate))
            })
            .collect();
        let total: U256 = owed.iter().fold(U256::ZERO, |a, b| a + b);
        if direct {
            // Nobody but the pool finalizes: not a holder with the ether, not governance.
            let call =
                Q::finalizeCall { lastIdToFinalize: Self::id(target), maxShareRate: rate_arg };
            for who in [HOLDERS[pick % HOLDERS.len()], ADMIN] {
                let e: NotPool = decode(&self.send(who, total, &call));
                assert_eq!(e.caller, who);
            }
        }
        // The pool's checks, in its order: prefinalize (bunker mode), the request's time
        // against the report's, the buffer, then the queue's own in finalize (the minimum
        // delay).
        let below = batch.clone().zip(&owed).find(|(n, o)| **o < self.requests[*n - 1].ether);
        if self.bunker {
            if let Some((n, _)) = below {
                let e: BunkerModeRateAboveReport = decode(&self.report(target, rate_arg));
                assert_eq!((e.requestId, e.maxShareRate), (Self::id(n), rate_arg));
                return;
            }
        }
        let (eth, shares) = self.s.prefinalize(Self::id(target), rate_arg);
        assert_eq!(eth, total, "prefinalize agrees with the model");
        let batch_shares = batch.clone().fold(U256::ZERO, |a, n| a + self.requests[n - 1].shares);
        assert_eq!(shares, batch_shares);
        // The report's reference time is one second before the block's: a request made in
        // this very second is after it (the margin of these reports is 0).
        let newest = self.requests[target - 1].timestamp;
        if newest >= now {
            let e: X::IncorrectRequestFinalization = decode(&self.report(target, rate_arg));
            assert_eq!(
                (e.requestTimestamp, e.margin, e.reportTimestamp),
                (U256::from(newest), U256::ZERO, U256::from(now - 1))
            );
            return;
        }
        let buffered = self.s.view(self.s.pool, &IStakingPool::getBufferedEtherCall {})._0;
        if total > buffered {
            let e: X::NotEnoughBufferedEther = decode(&self.report(target, rate_arg));
            assert_eq!((e.needed, e.available), (total, buffered));
            return;
        }
        if now < newest + MIN_DELAY {
            let e: RequestTooRecent = decode(&self.report(target, rate_arg));
            assert_eq!(e.finalizableAt, U256::from(newest + MIN_DELAY));
            return;
        }
        let queued = self.s.shares_of(self.s.queue);
        let r = self.report(target, rate_arg);
        assert!(r.success, "report finalizing through {target} at {rate}: {:?}", r.status);
        // The batch's shares left the queue in the same transaction.
        assert_eq!(self.s.shares_of(self.s.queue), queued - batch_shares);
        for (n, o) in batch.zip(owed) {
            self.requests[n - 1].owed = Some(o);
        }
        self.last_finalized = target;
        self.finalized_ether += total;
    }

    fn hints(&mut self, ids: &[U256]) -> Vec<U256> {
        let count = self.s.view(self.s.queue, &Q::getLastCheckpointIndexCall {})._0;
        self.s
            .view(
                self.s.queue,
                &Q::findCheckpointHintsCall {
                    requestIds: ids.to_vec(),
                    firstIndex: U256::from(1),
                    lastIndex: count,
                },
            )
            .hintIds
    }

    /// A successful claim of `ns` by their owner `who`: paid exactly what finalization owed.
    fn paid_out(&mut self, r: &Receipt, who: Address, ns: &[usize], before: U256) {
        assert!(r.success, "claim of {ns:?}: {:?}", r.status);
        let queue = self.s.queue;
        let events = events_from::<WithdrawalClaimed>(r, queue);
        assert_eq!(events.len(), ns.len());
        let mut total = U256::ZERO;
        for (e, &n) in events.iter().zip(ns) {
            let g = &mut self.requests[n - 1];
            let owed = g.owed.expect("only finalized requests are claimed");
            assert!(!g.claimed && self.claimed.insert(n), "request {n} claimed twice");
            assert_eq!(
                (e.requestId, e.owner, e.receiver, e.amountOfETH),
                (Self::id(n), who, who, owed)
            );
            assert!(owed <= g.ether, "request {n} paid more than it requested");
            g.claimed = true;
            total += owed;
        }
        assert_eq!(self.s.vm.balance(who) - before, total, "paid exactly what was owed");
        self.paid += total;
        // A second claim reverts.
        for &n in ns {
            let r = self.send(who, U256::ZERO, &Q::claimWithdrawalCall { requestId: Self::id(n) });
            let e: RequestAlreadyClaimed = decode(&r);
            assert_eq!(e.requestId, Self::id(n));
        }
    }

    fn claim(&mut self, pick: usize, stranger: bool, hinted: bool, any: bool) {
        if self.requests.is_empty() {
            return;
        }
        let n = if any || self.last_finalized == 0 {
            1 + pick % self.requests.len()
        } else {
            1 + pick % self.last_finalized
        };
        let g = self.requests[n - 1].clone();
        let caller = if stranger { Self::stranger_to(g.owner) } else { g.owner };
        let id = Self::id(n);
        let before = self.s.vm.balance(caller);
        let r = if hinted {
            let hints = self.hints(&[id]);
            self.send(caller, U256::ZERO, &Q::claimWithdrawalsCall { requestIds: vec![id], hints })
        } else {
            self.send(caller, U256::ZERO, &Q::claimWithdrawalCall { requestId: id })
        };
        if n > self.last_finalized {
            assert_eq!(decode::<RequestNotFinalized>(&r).requestId, id);
        } else if g.claimed {
            assert_eq!(decode::<RequestAlreadyClaimed>(&r).requestId, id);
        } else if stranger {
            let e: NotOwnerOrApproved = decode(&r);
            assert_eq!((e.requestId, e.caller), (id, caller));
        } else {
            self.paid_out(&r, caller, &[n], before);
        }
    }

    fn claim_all(&mut self, who: Address) {
        let ns: Vec<usize> = (1..=self.last_finalized)
            .filter(|&n| !self.requests[n - 1].claimed && self.requests[n - 1].owner == who)
            .collect();
        if ns.is_empty() {
            return;
        }
        let ids: Vec<U256> = ns.iter().map(|&n| Self::id(n)).collect();
        let hints = self.hints(&ids);
        let before = self.s.vm.balance(who);
        let r = self.send(who, U256::ZERO, &Q::claimWithdrawalsCall { requestIds: ids, hints });
        self.paid_out(&r, who, &ns, before);
    }

    /// The identities, checked after every step.
    fn check(&mut self, prev_last_finalized: usize) {
        let queue = self.s.queue;
        let last_request = self.s.view(queue, &Q::getLastRequestIdCall {})._0;
        let last_finalized = self.s.view(queue, &Q::getLastFinalizedRequestIdCall {})._0;
        assert_eq!(last_request, Self::id(self.requests.len()));
        assert_eq!(last_finalized, Self::id(self.last_finalized));
        assert!(self.last_finalized >= prev_last_finalized, "finalization never goes back");
        assert!(last_finalized <= last_request);

        let locked = self.s.view(queue, &Q::getLockedEtherAmountCall {})._0;
        let balance = self.s.vm.balance(queue);
        assert!(balance >= locked, "the queue holds {balance}, less than the {locked} locked");
        assert_eq!(balance, self.finalized_ether - self.paid);

        let pending: Vec<usize> =
            (1..=self.last_finalized).filter(|&n| !self.requests[n - 1].claimed).collect();
        let ids: Vec<U256> = pending.iter().map(|&n| Self::id(n)).collect();
        let hints = self.hints(&ids);
        let claimable = self
            .s
            .view(queue, &Q::getClaimableEtherCall { requestIds: ids, hints })
            .claimableEthValues;
        let mut sum = U256::ZERO;
        for (&n, c) in pending.iter().zip(&claimable) {
            let g = &self.requests[n - 1];
            assert_eq!(Some(*c), g.owed, "request {n} claimable as finalized");
            assert!(*c <= g.ether);
            sum += *c;
        }
        assert_eq!(locked, sum, "locked is the sum of what the finalized, unclaimed are owed");

        if !self.requests.is_empty() {
            let all: Vec<U256> = (1..=self.requests.len()).map(Self::id).collect();
            let statuses =
                self.s.view(queue, &Q::getWithdrawalStatusCall { requestIds: all }).statuses;
            for (i, (st, g)) in statuses.iter().zip(&self.requests).enumerate() {
                let n = i + 1;
                assert_eq!(st.isFinalized, n <= self.last_finalized, "request {n}");
                assert_eq!(st.isClaimed, g.claimed, "request {n}");
                if !g.claimed {
                    assert_eq!(
                        (st.amountOfStETH, st.amountOfShares, st.owner),
                        (g.ether, g.shares, g.owner)
                    );
                }
            }
        }

        let mut nfts = U256::ZERO;
        for who in HOLDERS {
            let held = self.s.view(queue, &Q::balanceOfCall { owner: who })._0;
            let expected =
                self.live().iter().filter(|&&n| self.requests[n - 1].owner == who).count();
            assert_eq!(held, U256::from(expected), "NFTs of {who}");
            nfts += held;
        }
        assert_eq!(nfts, U256::from(self.requests.len() - self.claimed.len()));

        // The queue holds exactly the shares of its unfinalized requests.
        let unfinalized =
            self.requests[self.last_finalized..].iter().fold(U256::ZERO, |a, g| a + g.shares);
        assert_eq!(self.s.shares_of(queue), unfinalized, "the queue's shares");
    }
}

fn run(actions: Vec<Action>) {
    let mut h = Handler::new();
    for action in &actions {
        let prev = h.last_finalized;
        h.step(action);
        h.check(prev);
    }
}

/// Short mode: 64 sequences (CI); `scripts/fuzz` runs 10,000 (`tests/src/fuzz.rs`).
const SUITE: fuzz::Suite =
    fuzz::Suite { name: "queue_invariants", test: "e2e queue_invariants::", short: 64 };

#[test]
fn no_sequence_of_queue_actions_breaks_its_identities() {
    fuzz::run(SUITE, || proptest::collection::vec(action(), 10..=30), run);
}
