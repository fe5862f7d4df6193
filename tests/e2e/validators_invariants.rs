//! Property test on the release wasm: no sequence of operator administration, key commits and
//! removals, exits, guarded deposits, reward distributions and claims breaks the registry's
//! allocation rule or the pool's accounting and its batches to the L1 vault.
//!
//! A handler performs random valid and invalid actions and keeps a ghost model beside the
//! chain, fed the same operations: each operator's flags, counters, limits and key batches,
//! the key nonce, the reward accumulator (shares per active validator, 1e18, settled when an
//! operator's active count changes and when it claims) and what was minted and claimed.
//! Invalid actions must revert with the error the model predicts. After every step it checks:
//!
//! - allocation is min-first: the model, choosing the eligible operator with the fewest active
//!   validators (ties by id) key by key, predicts every `KeysDeposited` allocation exactly, the
//!   allocation view and the list order (`getDepositQueue`);
//! - no deposit takes an operator beyond its vetted limit or its target;
//! - every operator's `getOperator` is the model's; the sum of active validators is
//!   `getTotalActiveValidators`;
//! - the pool: total pooled ether == buffered + (deposited validators - seen) x 32 ether + the
//!   consensus-layer balance (`getBeaconStat`), deposits leave it unchanged and take exactly
//!   32 ether a key from the buffer;
//! - every batch is one `ArbSys.sendTxToL1` from the pool to its L1 vault carrying 32 ether a
//!   key; the pool's balance falls by exactly that, and ArbSys counts one send a batch;
//! - the nonce grows by one on every key change (commit, removal, vetting, deposit) and on
//!   nothing else;
//! - rewards: every operator's `getRewards` is the model's, the registry holds what was minted
//!   and not claimed, and at least what it owes.
#![allow(missing_docs, clippy::needless_pass_by_value, clippy::cast_possible_truncation)]

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolError};
use node_operator_registry::abi::INodeOperatorRegistry as R;
use proptest::prelude::*;
use protocol_tests::{
    abi::IStakingPool,
    deploy::{events_from, Suite, ADMIN, ALICE, BOB},
    ether, fuzz,
    validators::{reward_address, Validators},
};
use stylus_vm::Receipt;

/// Most operators a run adds.
const MAX_OPERATORS: usize = 7;
const ACC_PRECISION: u128 = 1_000_000_000_000_000_000;
/// ALICE's stake: enough for every deposit a run can make (30 steps x 5 keys).
const STAKE: u64 = 6_000;

#[derive(Debug, Clone)]
enum Action {
    AddOperator,
    /// `n` new keys for an operator (`op` picks one).
    Commit {
        op: usize,
        n: u32,
    },
    /// A vetted limit: every key submitted when `full`, else between the keys deposited and
    /// one above the keys submitted, or below the keys deposited when `under`.
    Vet {
        op: usize,
        pick: u32,
        full: bool,
        under: bool,
    },
    /// A target limit (`None`: off).
    Target {
        op: usize,
        limit: Option<u32>,
    },
    /// Activation or deactivation (unchanged when it already is).
    SetActive {
        op: usize,
        active: bool,
    },
    /// Unused keys removed from an index between the keys deposited and the keys submitted
    /// (the latter invalid).
    Remove {
        op: usize,
        pick: u32,
    },
    /// An operator's exited count raised by `delta` (beyond its deposits: invalid).
    Exit {
        op: usize,
        delta: u32,
    },
    /// A guarded deposit of `count` keys through the pool.
    Deposit {
        count: usize,
    },
    /// The pool mints `shares` to the registry and reports them.
    Reward {
        shares: u64,
    },
    /// Anyone claims an operator's rewards.
    Claim {
        op: usize,
    },
    /// A report moves the consensus-layer balance to `gwei` gwei.
    Report {
        gwei: u64,
    },
}

fn action() -> impl Strategy<Value = Action> {
    let op = any::<usize>();
    prop_oneof![
        1 => Just(Action::AddOperator),
        4 => (op, 1u32..=6).prop_map(|(op, n)| Action::Commit { op, n }),
        4 => (op, any::<u32>(), prop::bool::weighted(0.6), prop::bool::weighted(0.1))
            .prop_map(|(op, pick, full, under)| Action::Vet { op, pick, full, under }),
        2 => (op, prop::option::weighted(0.7, 0u32..=5))
            .prop_map(|(op, limit)| Action::Target { op, limit }),
        2 => (op, prop::bool::weighted(0.7))
            .prop_map(|(op, active)| Action::SetActive { op, active }),
        1 => (op, any::<u32>()).prop_map(|(op, pick)| Action::Remove { op, pick }),
        2 => (op, 0u32..=3).prop_map(|(op, delta)| Action::Exit { op, delta }),
        6 => prop_oneof![3 => 1usize..=2, 1 => 3usize..=5]
            .prop_map(|count| Action::Deposit { count }),
        2 => (0u64..=20_000).prop_map(|shares| Action::Reward { shares }),
        2 => op.prop_map(|op| Action::Claim { op }),
        1 => (0u64..=200_000_000_000).prop_map(|gwei| Action::Report { gwei }),
    ]
}

/// One operator as the model sees it.
#[derive(Debug, Clone)]
struct Op {
    active: bool,
    deposited: u32,
    exited: u32,
    vetted: u32,
    submitted: u32,
    target: Option<u32>,
    /// Key batches: (start, end).
    batches: Vec<(u32, u32)>,
    /// Rewards settled and not claimed.
    accrued: u128,
    /// The accumulator at the last settlement.
    snapshot: u128,
}

impl Op {
    fn live(&self) -> u32 {
        self.deposited - self.exited
    }

    fn eligible(&self) -> bool {
        self.active && self.deposited < self.vetted && self.target.is_none_or(|t| self.live() < t)
    }
}

struct Handler {
    s: Suite,
    v: Validators,
    ops: Vec<Op>,
    nonce: u64,
    deposited: u64,
    /// Batches sent to L1, and ArbSys's send count and the pool's balance before the first.
    batches: u64,
    initial_sends: U256,
    initial_balance: U256,
    /// Shares per active validator (1e18), wrapping as the registry's.
    acc: u128,
    undistributed: u128,
    minted: u128,
    claimed: u128,
    cl_balance: u128,
    initial_buffered: U256,
}

fn decode<E: SolError>(r: &Receipt, what: &str) -> E {
    assert!(!r.success, "{what}: should have reverted with {}", E::SIGNATURE);
    E::abi_decode(&r.output, true).unwrap_or_else(|e| {
        panic!(
            "{what}: revert data 0x{} is not {}: {e}",
            alloy_primitives::hex::encode(&r.output),
            E::SIGNATURE
        )
    })
}

fn ok(r: &Receipt, what: &str) {
    assert!(r.success, "{what}: {:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
}

impl Handler {
    /// `initial[i]` keys committed and vetted for operator `i + 1`.
    fn new(initial: &[u32]) -> Self {
        let mut s = Suite::deploy();
        let v = Validators::setup(&mut s, 3);
        s.deposit(ALICE, ether(STAKE));
        let initial_buffered = s.view(s.pool, &IStakingPool::getBufferedEtherCall {})._0;
        let nonce = s.view(v.registry, &R::getNonceCall {})._0.to();
        let initial_sends = sends(&mut s);
        let initial_balance = s.vm.balance(s.pool);
        let mut h = Self {
            s,
            v,
            ops: Vec::new(),
            nonce,
            deposited: 0,
            batches: 0,
            initial_sends,
            initial_balance,
            acc: 0,
            undistributed: 0,
            minted: 0,
            claimed: 0,
            cl_balance: 0,
            initial_buffered,
        };
        for &keys in initial {
            h.step(&Action::AddOperator);
            if keys > 0 {
                let id = h.ops.len();
                h.step(&Action::Commit { op: id - 1, n: keys });
                h.step(&Action::Vet { op: id - 1, pick: 0, full: true, under: false });
            }
        }
        h.check();
        h
    }

    fn send<C: SolCall>(&mut self, from: Address, call: &C) -> Receipt {
        let registry = self.v.registry;
        self.s.send(from, registry, U256::ZERO, call)
    }

    /// The operator `pick` names (1-based id), if any exists.
    fn pick(&self, pick: usize) -> Option<u16> {
        (!self.ops.is_empty()).then(|| (pick % self.ops.len() + 1) as u16)
    }

    fn op(&mut self, id: u16) -> &mut Op {
        &mut self.ops[usize::from(id) - 1]
    }

    fn total_active(&self) -> u64 {
        self.ops.iter().map(|o| u64::from(o.live())).sum()
    }

    /// Brings an operator's rewards up to the accumulator (before its active count changes).
    fn settle(&mut self, id: u16) {
        let acc = self.acc;
        let op = self.op(id);
        let fresh = U256::from(op.live()) * U256::from(acc.wrapping_sub(op.snapshot))
            / U256::from(ACC_PRECISION);
        op.accrued += fresh.to::<u128>();
        op.snapshot = acc;
    }

    fn pending(&self, id: u16) -> u128 {
        let op = &self.ops[usize::from(id) - 1];
        let fresh = U256::from(op.live()) * U256::from(self.acc.wrapping_sub(op.snapshot))
            / U256::from(ACC_PRECISION);
        op.accrued + fresh.to::<u128>()
    }

    /// The next `count` keys by the rule, key by key.
    fn allocation(&self, count: usize) -> Vec<(u16, u32)> {
        let mut ops = self.ops.clone();
        let mut out = Vec::new();
        while out.len() < count {
            let next = ops
                .iter_mut()
                .enumerate()
                .filter(|(_, o)| o.eligible())
                .min_by_key(|(i, o)| (o.live(), *i));
            let Some((i, o)) = next else { break };
            out.push(((i + 1) as u16, o.deposited));
            o.deposited += 1;
        }
        out
    }

    fn step(&mut self, action: &Action) {
        match *action {
            Action::AddOperator => self.add_operator(),
            Action::Commit { op, n } => {
                if let Some(id) = self.pick(op) {
                    self.commit(id, n);
                }
            }
            Action::Vet { op, pick, full, under } => {
                if let Some(id) = self.pick(op) {
                    self.vet(id, pick, full, under);
                }
            }
            Action::Target { op, limit } => {
                if let Some(id) = self.pick(op) {
                    self.target(id, limit);
                }
            }
            Action::SetActive { op, active } => {
                if let Some(id) = self.pick(op) {
                    self.set_active(id, active);
                }
            }
            Action::Remove { op, pick } => {
                if let Some(id) = self.pick(op) {
                    self.remove(id, pick);
                }
            }
            Action::Exit { op, delta } => {
                if let Some(id) = self.pick(op) {
                    self.exit(id, delta);
                }
            }
            Action::Deposit { count } => self.deposit(count),
            Action::Reward { shares } => self.reward(shares),
            Action::Claim { op } => {
                if let Some(id) = self.pick(op) {
                    self.claim(id);
                }
            }
            Action::Report { gwei } => {
                self.cl_balance = u128::from(gwei) * 1_000_000_000;
                self.s.set_cl_balance(self.cl_balance);
            }
        }
    }

    fn add_operator(&mut self) {
        if self.ops.len() >= MAX_OPERATORS {
            return;
        }
        let id = self.v.add_operator(&mut self.s, &format!("Operator {}", self.ops.len() + 1));
        assert_eq!(usize::from(id), self.ops.len() + 1);
        self.ops.push(Op {
            active: true,
            deposited: 0,
            exited: 0,
            vetted: 0,
            submitted: 0,
            target: None,
            batches: Vec::new(),
            accrued: 0,
            snapshot: 0,
        });
    }

    fn commit(&mut self, id: u16, n: u32) {
        self.v.commit(&mut self.s, id, n);
        let op = self.op(id);
        op.batches.push((op.submitted, op.submitted + n));
        op.submitted += n;
        self.nonce += 1;
    }

    fn vet(&mut self, id: u16, pick: u32, full: bool, under: bool) {
        let op = self.op(id).clone();
        let value = if under && op.deposited > 0 {
            op.deposited - 1
        } else if full {
            op.submitted
        } else {
            op.deposited + pick % (op.submitted - op.deposited + 2)
        };
        let call = R::setVettedLimitCall { operatorId: U256::from(id), vetted: U256::from(value) };
        let r = self.send(ADMIN, &call);
        if value < op.deposited || value > op.submitted {
            let e: R::InvalidVettedLimit = decode(&r, "vet");
            assert_eq!(
                e,
                R::InvalidVettedLimit {
                    operatorId: U256::from(id),
                    limit: U256::from(value),
                    deposited: U256::from(op.deposited),
                    submitted: U256::from(op.submitted),
                }
            );
            return;
        }
        ok(&r, "vet");
        self.op(id).vetted = value;
        self.nonce += 1;
    }

    fn target(&mut self, id: u16, limit: Option<u32>) {
        let call = R::setTargetLimitCall {
            operatorId: U256::from(id),
            enabled: limit.is_some(),
            limit: U256::from(limit.unwrap_or(0)),
        };
        let r = self.send(ADMIN, &call);
        ok(&r, "target");
        self.op(id).target = limit;
    }

    fn set_active(&mut self, id: u16, active: bool) {
        let call = R::setOperatorActiveCall { operatorId: U256::from(id), active };
        let r = self.send(ADMIN, &call);
        if self.op(id).active == active {
            let e: R::OperatorActiveUnchanged = decode(&r, "set active");
            assert_eq!(e, R::OperatorActiveUnchanged { operatorId: U256::from(id), active });
            return;
        }
        ok(&r, "set active");
        self.op(id).active = active;
    }

    fn remove(&mut self, id: u16, pick: u32) {
        let op = self.op(id).clone();
        let from = op.deposited + pick % (op.submitted - op.deposited + 1);
        let r = self.v.remove_unused(&mut self.s, id, from);
        if from >= op.submitted {
            let e: R::InvalidKeyRemoval = decode(&r, "remove");
            assert_eq!(
                e,
                R::InvalidKeyRemoval {
                    operatorId: U256::from(id),
                    fromIndex: U256::from(from),
                    deposited: U256::from(op.deposited),
                    submitted: U256::from(op.submitted),
                }
            );
            return;
        }
        ok(&r, "remove");
        let op = self.op(id);
        let b = op.batches.iter().position(|&(s, e)| s <= from && from < e).expect("a batch");
        if from == op.batches[b].0 {
            op.batches.truncate(b);
        } else {
            op.batches[b].1 = from;
            op.batches.truncate(b + 1);
        }
        op.submitted = from;
        op.vetted = op.vetted.min(from);
        self.nonce += 1;
    }

    fn exit(&mut self, id: u16, delta: u32) {
        let op = self.op(id).clone();
        let new = op.exited + delta;
        let r = self.send(
            ADMIN,
            &R::updateExitedValidatorsCall {
                reportTimestamp: U256::ZERO,
                operatorIds: vec![U256::from(id)],
                exited: vec![U256::from(new)],
                hints: vec![U256::ZERO],
            },
        );
        if new > op.deposited {
            let e: R::InvalidExitedCount = decode(&r, "exit");
            assert_eq!(
                e,
                R::InvalidExitedCount {
                    operatorId: U256::from(id),
                    exited: U256::from(new),
                    current: U256::from(op.exited),
                    deposited: U256::from(op.deposited),
                }
            );
            return;
        }
        ok(&r, "exit");
        let events = events_from::<R::ExitedValidatorsUpdated>(&r, self.v.registry);
        if delta == 0 {
            assert!(events.is_empty());
            return;
        }
        assert_eq!(
            events,
            vec![R::ExitedValidatorsUpdated {
                operatorId: U256::from(id),
                exited: U256::from(new)
            }]
        );
        self.settle(id);
        self.op(id).exited = new;
    }

    fn deposit(&mut self, count: usize) {
        let plan = self.allocation(count);
        let view: Vec<(u16, u32)> = {
            let p = self
                .s
                .view(self.v.registry, &R::getDepositAllocationCall { count: U256::from(count) });
            p.operatorIds.iter().zip(&p.keyIndices).map(|(o, i)| (o.to(), i.to())).collect()
        };
        assert_eq!(plan, view, "getDepositAllocation({count}) follows the rule");
        let pool = self.s.pool;
        let pooled = self.s.view(pool, &IStakingPool::getTotalPooledEtherCall {})._0;
        let r = self.v.deposit(&mut self.s, count);
        if plan.len() < count {
            let e: R::NotEnoughDepositableKeys = decode(&r, "deposit");
            assert_eq!(
                e,
                R::NotEnoughDepositableKeys {
                    requested: U256::from(count),
                    available: U256::from(plan.len())
                }
            );
            return;
        }
        ok(&r, "deposit");
        let sends = stylus_vm::arbos::send_merkle::sends(&r.logs);
        assert_eq!(sends.len(), 1, "one L2-to-L1 message a batch");
        let vault = self.s.view(pool, &IStakingPool::l1VaultCall {})._0;
        assert_eq!(
            (sends[0].caller, sends[0].destination, sends[0].callvalue),
            (pool, vault, ether(32 * count as u64)),
            "the batch's ether to the vault"
        );
        self.batches += 1;
        let events = events_from::<R::KeysDeposited>(&r, self.v.registry);
        assert_eq!(events.len(), 1);
        let got: Vec<(u16, u32)> = events[0]
            .allocation
            .chunks(6)
            .map(|c| {
                (u16::from_be_bytes([c[0], c[1]]), u32::from_be_bytes([c[2], c[3], c[4], c[5]]))
            })
            .collect();
        assert_eq!(got, plan, "KeysDeposited is the model's min-first allocation");
        for &(id, index) in &plan {
            self.settle(id);
            let op = self.op(id);
            assert_eq!(index, op.deposited, "keys in order");
            op.deposited += 1;
            assert!(op.deposited <= op.vetted, "operator {id} beyond its vetted limit");
            assert!(op.target.is_none_or(|t| op.live() <= t), "operator {id} beyond its target");
        }
        self.deposited += count as u64;
        self.nonce += 1;
        assert_eq!(
            self.s.view(pool, &IStakingPool::getTotalPooledEtherCall {})._0,
            pooled,
            "a deposit leaves total pooled ether unchanged"
        );
    }

    fn reward(&mut self, shares: u64) {
        let r = self.v.mint_rewards(&mut self.s, U256::from(shares));
        ok(&r, "rewards");
        self.minted += u128::from(shares);
        let total = u128::from(self.total_active());
        let pending = self.undistributed + u128::from(shares);
        // No active validator: the shares wait for the next distribution.
        let growth = (pending * ACC_PRECISION).checked_div(total).unwrap_or(0);
        self.undistributed = if total == 0 { pending } else { 0 };
        self.acc = self.acc.wrapping_add(growth);
        assert_eq!(
            events_from::<R::RewardsDistributed>(&r, self.v.registry),
            vec![R::RewardsDistributed {
                shares: U256::from(shares),
                rewardPerValidator: U256::from(growth)
            }]
        );
    }

    fn claim(&mut self, id: u16) {
        let to = reward_address(id);
        let before = self.s.shares_of(to);
        let r = self.send(BOB, &R::claimRewardsCall { operatorId: U256::from(id) });
        if self.pending(id) == 0 {
            // Reverted: not even the settlement is kept.
            let e: R::NoRewards = decode(&r, "claim");
            assert_eq!(e, R::NoRewards { operatorId: U256::from(id) });
            return;
        }
        ok(&r, "claim");
        self.settle(id);
        let due = std::mem::take(&mut self.op(id).accrued);
        assert_eq!(self.s.shares_of(to), before + U256::from(due), "claimed to the reward address");
        self.claimed += due;
    }

    fn check(&mut self) {
        let (pool, registry) = (self.s.pool, self.v.registry);
        // Operators.
        for i in 0..self.ops.len() {
            let id = (i + 1) as u16;
            let op = self.ops[i].clone();
            let got = self.v.operator(&mut self.s, id);
            let expected = (
                op.active,
                reward_address(id),
                u64::from(op.deposited),
                u64::from(op.exited),
                u64::from(op.vetted),
                u64::from(op.submitted),
                op.target.map_or(U256::MAX, U256::from),
                op.batches.len() as u64,
            );
            assert_eq!(got, expected, "operator {id}");
            assert!(op.deposited <= op.vetted && op.vetted <= op.submitted);
            let rewards = self.s.view(registry, &R::getRewardsCall { operatorId: U256::from(id) });
            assert_eq!(rewards._0, U256::from(self.pending(id)), "operator {id}'s rewards");
        }
        let total = self.s.view(registry, &R::getTotalActiveValidatorsCall {})._0;
        assert_eq!(total, U256::from(self.total_active()), "total active");
        // The allocation list: eligible operators by (active, id).
        let mut order: Vec<(u32, u16)> = (0..self.ops.len())
            .filter(|&i| self.ops[i].eligible())
            .map(|i| (self.ops[i].live(), (i + 1) as u16))
            .collect();
        order.sort_unstable();
        let list: Vec<u16> =
            self.s.view(registry, &R::getDepositQueueCall {})._0.iter().map(|id| id.to()).collect();
        assert_eq!(list, order.iter().map(|o| o.1).collect::<Vec<_>>(), "allocation list");
        // The nonce.
        let nonce = self.s.view(registry, &R::getNonceCall {})._0;
        assert_eq!(nonce, U256::from(self.nonce), "key nonce");
        // The pool.
        let buffered = self.s.view(pool, &IStakingPool::getBufferedEtherCall {})._0;
        let beacon = self.s.view(pool, &IStakingPool::getBeaconStatCall {});
        let pooled = self.s.view(pool, &IStakingPool::getTotalPooledEtherCall {})._0;
        assert_eq!(beacon._0, U256::from(self.deposited), "deposited validators");
        assert_eq!(beacon._2, U256::from(self.cl_balance), "consensus-layer balance");
        assert_eq!(
            pooled,
            buffered + (beacon._0 - beacon._1) * ether(32) + beacon._2,
            "pooled = buffered + in flight + CL"
        );
        assert_eq!(buffered, self.initial_buffered - ether(32 * self.deposited));
        // The batches to L1: the ether left the pool (ArbSys burns it on L2), one send each.
        assert_eq!(self.s.vm.balance(pool), self.initial_balance - ether(32 * self.deposited));
        assert_eq!(sends(&mut self.s) - self.initial_sends, U256::from(self.batches));
        assert_eq!(self.s.vm.balance(registry), U256::ZERO, "the registry keeps no ether");
        // Rewards: the registry holds what was minted and not claimed, at least what it owes.
        let held = self.s.shares_of(registry);
        assert_eq!(held, U256::from(self.minted - self.claimed));
        let owed: u128 = (1..=self.ops.len() as u16).map(|id| self.pending(id)).sum();
        assert!(held >= U256::from(owed + self.undistributed), "{held} < {owed} owed");
    }
}

/// ArbSys's count of L2-to-L1 sends (`sendMerkleTreeState().size`, answered only to the zero
/// address, as nitro's).
fn sends(s: &mut Suite) -> U256 {
    use stylus_vm::arbos::arbsys::sendMerkleTreeStateCall as State;
    let r =
        s.vm.static_call(Address::ZERO, stylus_vm::precompiles::ARB_SYS, &State {}.abi_encode());
    assert!(r.success, "sendMerkleTreeState: {:?}", r.status);
    State::abi_decode_returns(&r.output, true).expect("decodes").size
}

fn run(initial: Vec<u32>, actions: Vec<Action>) {
    let mut h = Handler::new(&initial);
    for action in &actions {
        let nonce = h.nonce;
        h.step(action);
        let key_change = matches!(
            action,
            Action::Commit { .. }
                | Action::Vet { .. }
                | Action::Remove { .. }
                | Action::Deposit { .. }
        );
        if !key_change {
            assert_eq!(h.nonce, nonce, "{action:?} is no key change");
        }
        h.check();
    }
}

/// Short mode: 64 sequences (CI); `scripts/fuzz` runs 10,000 (`tests/src/fuzz.rs`).
const SUITE: fuzz::Suite =
    fuzz::Suite { name: "validators_invariants", test: "e2e validators_invariants::", short: 64 };

#[test]
fn no_sequence_of_operator_and_deposit_actions_breaks_the_allocation_or_accounting() {
    let sequence = || {
        (proptest::collection::vec(0u32..=6, 1..=4), proptest::collection::vec(action(), 10..=30))
    };
    fuzz::run(SUITE, sequence, |(initial, actions)| run(initial, actions));
}
