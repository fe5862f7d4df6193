//! The allocation list: it holds exactly the eligible operators (active, a vetted key left,
//! under the target), sorted by (active validators, id), after every administrative change
//! (vetting, target limits, activation, exits, key removal) and every deposit; the
//! `getDepositAllocation` plan is min-first. `setTargetLimit` and `updateExitedValidators` are
//! checked here too (roles, bounds, events).
//!
//! A property test drives random valid and invalid actions on up to 12 operators, keeps a
//! reference model beside the registry, and checks the list, its links, the counters and the
//! plan after every step.

use alloy_sol_types::SolCall;
use proptest::prelude::*;

use super::*;
use crate::{
    abi::INodeOperatorRegistry as I,
    errors::*,
    events::{ExitedValidatorsUpdated, TargetLimitSet},
    storage::{NO_TARGET, OP_IN_LIST},
};

/// Checks the list against the operators' words: sorted eligible set, links, flags, head.
fn check_list(env: &Env) {
    let g = env.global();
    let ops: Vec<(u16, Operator)> = (1..=g.operators).map(|id| (id, env.op(id))).collect();
    let mut eligible: Vec<u16> =
        ops.iter().filter(|(_, op)| op.eligible()).map(|(id, _)| *id).collect();
    eligible.sort_by_key(|&id| env.op(id).sort_key(id));
    let list = env.queue();
    assert_eq!(list, eligible, "the list is the sorted eligible set");
    assert_eq!(g.head, list.first().copied().unwrap_or(0));
    for (i, &id) in list.iter().enumerate() {
        let op = env.op(id);
        let prev = if i == 0 { 0 } else { list[i - 1] };
        let next = list.get(i + 1).copied().unwrap_or(0);
        assert_eq!((op.prev, op.next), (prev, next), "links of {id}");
    }
    for (id, op) in &ops {
        assert_eq!(op.has(OP_IN_LIST), list.contains(id), "in-list flag of {id}");
        if !op.has(OP_IN_LIST) {
            assert_eq!((op.prev, op.next), (0, 0), "stale links on {id}");
        }
    }
    let total: u64 = ops.iter().map(|(_, op)| u64::from(op.active())).sum();
    assert_eq!(g.total_active, total);
}

/// The plan for `count` deposits, as `(id, index)`.
fn plan(env: &Env, count: usize) -> Vec<(u16, u32)> {
    env.r().allocation(count).into_iter().map(|(id, index, _)| (id, index)).collect()
}

fn set_target_raw(env: &Env, id: u16, enabled: bool, limit: U256) -> Result<(), Error> {
    env.reg.sender(env.admin).set_target_limit(u(id.into()), enabled, limit)
}

/// Three operators with `keys[i]` vetted keys each, one guardian.
fn three(keys: [usize; 3]) -> Env {
    let env = Env::with_guardian();
    for (i, &n) in keys.iter().enumerate() {
        env.add();
        if n > 0 {
            env.commit_and_vet(i as u16 + 1, n);
        }
    }
    env
}

// ------------------------------------------------------------------ the list

#[motsu::test]
fn vetting_puts_an_operator_in_the_list_and_vetting_down_to_deposited_takes_it_out() {
    let env = Env::with_guardian();
    env.add();
    env.add();
    env.commit(2, 3);
    assert_eq!(env.queue(), Vec::<u16>::new());
    env.vet(2, 1);
    assert_eq!(env.queue(), vec![2]);
    env.commit_and_vet(1, 2);
    assert_eq!(env.queue(), vec![1, 2], "ties by id");
    env.deposit(1).motsu_unwrap();
    assert_eq!(env.queue(), vec![2, 1], "fewest active first");
    env.vet(1, 1);
    assert_eq!(env.queue(), vec![2]);
    env.vet(2, 0);
    assert_eq!(env.queue(), Vec::<u16>::new());
    check_list(&env);
}

#[motsu::test]
fn the_list_orders_by_active_validators_then_id() {
    let env = three([4, 4, 4]);
    env.deposit(5).motsu_unwrap(); // 1, 2, 3, 1, 2
    assert_eq!((env.op(1).active(), env.op(2).active(), env.op(3).active()), (2, 2, 1));
    assert_eq!(env.queue(), vec![3, 1, 2]);
    check_list(&env);
    env.exit(2, 2);
    assert_eq!(env.queue(), vec![2, 3, 1], "an exit moves an operator forward");
    env.exit(1, 1);
    assert_eq!(env.queue(), vec![2, 1, 3]);
    check_list(&env);
}

#[motsu::test]
fn deactivation_takes_an_operator_out_and_activation_puts_it_back_in_place() {
    let env = three([2, 2, 2]);
    env.deposit(1).motsu_unwrap();
    assert_eq!(env.queue(), vec![2, 3, 1]);
    env.set_active(3, false);
    assert_eq!(env.queue(), vec![2, 1]);
    assert_eq!(plan(&env, 4), vec![(2, 0), (1, 1), (2, 1)]);
    env.set_active(3, true);
    assert_eq!(env.queue(), vec![2, 3, 1]);
    // Deactivating the head and the tail.
    env.set_active(2, false);
    env.set_active(1, false);
    assert_eq!(env.queue(), vec![3]);
    check_list(&env);
}

#[motsu::test]
fn the_target_limit_caps_active_validators_and_exits_make_room() {
    let env = three([3, 3, 0]);
    env.set_target(1, Some(1));
    assert_eq!(plan(&env, 6), vec![(1, 0), (2, 0), (2, 1), (2, 2)]);
    env.deposit(2).motsu_unwrap();
    assert_eq!(env.queue(), vec![2], "operator 1 reached its target");
    env.exit(1, 1);
    assert_eq!(env.queue(), vec![1, 2], "the exit made room under the target");
    env.set_target(2, Some(0));
    assert_eq!(env.queue(), vec![1]);
    env.set_target(2, None);
    assert_eq!(env.queue(), vec![1, 2]);
    // A target below the active count: out until enough exits.
    env.deposit(2).motsu_unwrap();
    assert_eq!(env.queue(), vec![2], "operator 1 is back at its target");
    env.set_target(2, Some(1));
    assert_eq!(env.op(2).active(), 2);
    assert_eq!(env.queue(), Vec::<u16>::new());
    env.exit(2, 1);
    assert_eq!(env.queue(), Vec::<u16>::new(), "one exit is not enough");
    env.exit(2, 2);
    assert_eq!(env.queue(), vec![2]);
    check_list(&env);
}

#[motsu::test]
fn key_removal_down_to_deposited_takes_an_operator_out() {
    let env = three([3, 3, 0]);
    env.deposit(1).motsu_unwrap();
    env.remove(2, 1).motsu_unwrap();
    assert_eq!(env.queue(), vec![2, 1], "a key is left below the cut");
    env.remove(1, 1).motsu_unwrap();
    assert_eq!(env.queue(), vec![2]);
    env.remove(2, 0).motsu_unwrap();
    assert_eq!(env.queue(), Vec::<u16>::new());
    check_list(&env);
}

#[motsu::test]
fn the_plan_is_min_first_with_the_hints_that_put_each_operator_back() {
    let env = three([3, 1, 2]);
    env.deposit(1).motsu_unwrap(); // operator 1 has 1
                                   // List: 2 (0), 3 (0), 1 (1).
    let (ids, indices, hints) = env.r().get_deposit_allocation(u(10));
    let as_u16 = |v: Vec<U256>| v.into_iter().map(|x| x.to::<u16>()).collect::<Vec<_>>();
    assert_eq!(as_u16(ids), vec![2, 3, 1, 3, 1]);
    assert_eq!(as_u16(indices), vec![0, 0, 1, 1, 2]);
    // 2 leaves (no key left); 3 goes after 1 (1, id 1 < 3); 1 after 3; 3 leaves; 1 leaves.
    assert_eq!(as_u16(hints), vec![0, 1, 3, 0, 0]);
    let (ids, _, _) = env.r().get_deposit_allocation(U256::ZERO);
    assert!(ids.is_empty());
    // The plan is what happens.
    env.deposit(5).motsu_unwrap();
    assert_eq!((env.op(1).deposited, env.op(2).deposited, env.op(3).deposited), (3, 1, 2));
    assert!(env.queue().is_empty());
}

#[motsu::test]
fn the_plan_is_capped_at_4096_deposits() {
    let env = Env::with_guardian();
    env.add();
    env.commit(1, 1024);
    env.commit(1, 1024);
    env.commit(1, 1024);
    env.commit(1, 1024);
    env.commit(1, 10);
    env.vet(1, 4106);
    let (ids, indices, _) = env.r().get_deposit_allocation(U256::MAX);
    assert_eq!(ids.len(), 4096);
    assert_eq!(indices.last(), Some(&u(4095)));
}

// ------------------------------------------------------------------ setTargetLimit

#[motsu::test]
fn target_limits_need_the_limits_role() {
    let env = three([1, 0, 0]);
    let manager = Address::repeat_byte(0x53);
    env.manager.sender(env.admin).grant(OPERATOR_MANAGER_ROLE, manager);
    let before = env.snapshot();
    for caller in [manager, reward(1)] {
        assert_eq!(
            env.reg.sender(caller).set_target_limit(u(1), true, u(0)).motsu_unwrap_err(),
            denied(caller, OPERATOR_LIMITS_ROLE)
        );
    }
    assert_eq!(env.snapshot(), before);
    env.set_target(1, Some(0));
    let (caller, role, data) = env.manager.sender(env.admin).last_call();
    assert_eq!((caller, role), (env.admin, OPERATOR_LIMITS_ROLE));
    assert_eq!(
        data.0,
        I::setTargetLimitCall { operatorId: u(1), enabled: true, limit: U256::ZERO }.abi_encode()
    );
}

#[motsu::test]
fn a_target_limit_is_below_u32_max_and_logged() {
    let env = three([1, 0, 0]);
    let before = env.snapshot();
    for limit in [u(u32::MAX.into()), u(1 << 32), U256::MAX] {
        assert_eq!(
            set_target_raw(&env, 1, true, limit).motsu_unwrap_err(),
            Error::MathOverflow(MathOverflow {}),
            "{limit}"
        );
    }
    assert_eq!(env.snapshot(), before);

    for (enabled, limit, stored, shown) in [
        (true, u((u32::MAX - 1).into()), u32::MAX - 1, u((u32::MAX - 1).into())),
        (true, U256::ZERO, 0, U256::ZERO),
        (false, u(5), NO_TARGET, U256::ZERO), // the limit is ignored when disabled
        (false, U256::MAX, NO_TARGET, U256::ZERO),
    ] {
        let mark = env.mark();
        set_target_raw(&env, 1, enabled, limit).motsu_unwrap();
        assert_eq!(env.op(1).target, stored);
        assert_eq!(
            env.logs_since(mark),
            vec![log(&TargetLimitSet { operatorId: u(1), enabled, limit: shown })]
        );
    }
}

// ------------------------------------------------------------------ updateExitedValidators

#[motsu::test]
fn exited_counts_need_the_exited_reporter_role() {
    let env = three([2, 0, 0]);
    env.deposit(2).motsu_unwrap();
    let manager = Address::repeat_byte(0x53);
    env.manager.sender(env.admin).grant(OPERATOR_MANAGER_ROLE, manager);
    env.manager.sender(env.admin).grant(OPERATOR_LIMITS_ROLE, manager);
    let before = env.snapshot();
    assert_eq!(
        env.reg
            .sender(manager)
            .update_exited_validators(&[u(1)], &[u(1)], &[U256::ZERO], U256::ZERO)
            .motsu_unwrap_err(),
        denied(manager, EXITED_REPORTER_ROLE)
    );
    assert_eq!(env.snapshot(), before);
    let reporter = Address::repeat_byte(0x5f);
    env.manager.sender(env.admin).grant(EXITED_REPORTER_ROLE, reporter);
    env.reg
        .sender(reporter)
        .update_exited_validators(&[u(1)], &[u(1)], &[U256::ZERO], U256::ZERO)
        .motsu_unwrap();
    let (caller, role, data) = env.manager.sender(env.admin).last_call();
    assert_eq!((caller, role), (reporter, EXITED_REPORTER_ROLE));
    assert_eq!(
        data.0,
        I::updateExitedValidatorsCall {
            reportTimestamp: U256::ZERO,
            operatorIds: vec![u(1)],
            exited: vec![u(1)],
            hints: vec![U256::ZERO],
        }
        .abi_encode()
    );
}

#[motsu::test]
fn exited_counts_never_decrease_nor_pass_deposited() {
    let env = three([3, 2, 0]);
    env.deposit(5).motsu_unwrap();
    env.exit(1, 1);
    let refused = |count: U256, current: u64, deposited: u64| {
        Error::InvalidExitedCount(InvalidExitedCount {
            operatorId: u(1),
            exited: count,
            current: u(current),
            deposited: u(deposited),
        })
    };
    let before = env.snapshot();
    for count in [U256::ZERO, u(4), u(1 << 32), U256::MAX] {
        assert_eq!(
            env.reg
                .sender(env.admin)
                .update_exited_validators(&[u(1)], &[count], &[U256::ZERO], U256::ZERO)
                .motsu_unwrap_err(),
            refused(count, 1, 3)
        );
    }
    // One bad entry undoes the good ones before it.
    assert_eq!(
        env.reg
            .sender(env.admin)
            .update_exited_validators(&[u(2), u(1)], &[u(1), u(9)], &[U256::ZERO; 2], U256::ZERO)
            .motsu_unwrap_err(),
        refused(u(9), 1, 3)
    );
    assert_eq!(
        env.reg
            .sender(env.admin)
            .update_exited_validators(&[u(1), u(2)], &[u(1)], &[U256::ZERO; 2], U256::ZERO)
            .motsu_unwrap_err(),
        Error::ArrayLengthMismatch(ArrayLengthMismatch { ids: u(2), counts: u(1) })
    );
    assert_eq!(
        env.reg
            .sender(env.admin)
            .update_exited_validators(&[], &[u(1)], &[], U256::ZERO)
            .motsu_unwrap_err(),
        Error::ArrayLengthMismatch(ArrayLengthMismatch { ids: U256::ZERO, counts: u(1) })
    );
    // The hints must match too (reported with the hints' length).
    for hints in [&[][..], &[U256::ZERO; 2][..]] {
        assert_eq!(
            env.reg
                .sender(env.admin)
                .update_exited_validators(&[u(2)], &[u(1)], hints, U256::ZERO)
                .motsu_unwrap_err(),
            Error::ArrayLengthMismatch(ArrayLengthMismatch {
                ids: u(1),
                counts: u(hints.len() as u64)
            })
        );
    }
    assert_eq!(env.snapshot(), before);

    // Equal counts are accepted and logged nothing; changes are logged with the new count.
    // The answer is the validators newly exited: operator 1 unchanged, operator 2 up by 2.
    let mark = env.mark();
    let newly = env
        .reg
        .sender(env.admin)
        .update_exited_validators(
            &[u(1), u(2), u(2)],
            &[u(1), u(1), u(2)],
            &[U256::ZERO; 3],
            U256::ZERO,
        )
        .motsu_unwrap();
    assert_eq!(newly, u(2));
    assert_eq!(
        env.logs_since(mark),
        vec![
            log(&ExitedValidatorsUpdated { operatorId: u(2), exited: u(1) }),
            log(&ExitedValidatorsUpdated { operatorId: u(2), exited: u(2) }),
        ]
    );
    env.exit(1, 3); // up to deposited
    assert_eq!(env.r().get_total_active_validators(), U256::ZERO);
    let mark = env.mark();
    let newly = env
        .reg
        .sender(env.admin)
        .update_exited_validators(&[], &[], &[], U256::ZERO)
        .motsu_unwrap();
    assert_eq!(newly, U256::ZERO);
    assert_eq!(env.logs_since(mark), vec![]);
    check_list(&env);
}

/// Six operators with two deposited validators and keys left each (list: 1..6), then operator
/// 5 and operator 3 exit and move to the head: whatever the hints say (right, stale, pointing
/// after the operator, at itself, at an operator out of the list, past the last id, above
/// u16), the list ends sorted and exact.
#[motsu::test]
fn exit_hints_only_change_where_the_search_starts() {
    // [hint of 5, hint of 3]; 3 is applied first and goes to the head, then 5 follows 3.
    let hints: [[U256; 2]; 10] = [
        [u(3), U256::ZERO],       // right
        [U256::ZERO, U256::ZERO], // none: walk from the head
        [u(1), u(2)],             // stale: the places before the exits
        [u(4), u(4)],             // after the new places
        [u(5), u(3)],             // each names itself
        [u(6), u(6)],             // an operator out of the list
        [u(7), u(9)],             // no such operator
        [u(1 << 16), U256::MAX],  // above u16
        [U256::ZERO, u(5)],       // 3 after 5, which has not moved yet
        [u(2), u(1)],
    ];
    for [h5, h3] in hints {
        let env = Env::with_guardian();
        for _ in 0..6 {
            let id = env.add();
            env.commit_and_vet(id, 3);
        }
        env.deposit(12).motsu_unwrap();
        assert_eq!(env.queue(), vec![1, 2, 3, 4, 5, 6]);
        env.manager.sender(env.admin).grant(OPERATOR_LIMITS_ROLE, env.admin);
        env.set_target(6, Some(0)); // 6 leaves the list: a hint naming it points outside
        let newly = env
            .reg
            .sender(env.admin)
            .update_exited_validators(&[u(3), u(5)], &[u(1), u(1)], &[h3, h5], U256::ZERO)
            .motsu_unwrap();
        assert_eq!(newly, u(2));
        assert_eq!(env.queue(), vec![3, 5, 1, 2, 4], "hints {h5} {h3}");
        check_list(&env);
    }
}

// ------------------------------------------------------------------ the property

/// The model of one operator.
#[derive(Debug, Clone, Default)]
struct M {
    active: bool,
    deposited: u32,
    exited: u32,
    vetted: u32,
    submitted: u32,
    target: Option<u32>,
}

impl M {
    fn live(&self) -> u32 {
        self.deposited - self.exited
    }

    fn eligible(&self) -> bool {
        self.active && self.deposited < self.vetted && self.target.is_none_or(|t| self.live() < t)
    }
}

/// The model's sorted eligible ids (1-based).
fn model_list(ms: &[M]) -> Vec<u16> {
    let mut ids: Vec<u16> =
        (0..ms.len()).filter(|&i| ms[i].eligible()).map(|i| i as u16 + 1).collect();
    ids.sort_by_key(|&id| (ms[usize::from(id) - 1].live(), id));
    ids
}

/// The model's next `count` deposits: always an eligible operator with the fewest active.
fn model_plan(ms: &[M], count: usize) -> Vec<(u16, u32)> {
    let mut ms = ms.to_vec();
    let mut out = Vec::new();
    while out.len() < count {
        let Some(&id) = model_list(&ms).first() else { break };
        let m = &mut ms[usize::from(id) - 1];
        out.push((id, m.deposited));
        m.deposited += 1;
    }
    out
}

#[derive(Debug, Clone)]
enum Action {
    Add,
    Commit {
        op: u8,
        n: u8,
        vet: bool,
    },
    Vet {
        op: u8,
        pick: u16,
        valid: bool,
    },
    Target {
        op: u8,
        limit: Option<u8>,
    },
    Toggle {
        op: u8,
    },
    Exit {
        op: u8,
        pick: u16,
        valid: bool,
        hint: u8,
    },
    Remove {
        op: u8,
        pick: u16,
    },
    /// `count` is taken modulo the keys available (or just above them when `over`).
    Deposit {
        count: u8,
        over: bool,
        hints: Option<Vec<u8>>,
    },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        2 => Just(Action::Add),
        3 => (any::<u8>(), 1..5u8, any::<bool>()).prop_map(|(op, n, vet)| Action::Commit { op, n, vet }),
        3 => (any::<u8>(), any::<u16>(), prop::bool::weighted(0.85))
            .prop_map(|(op, pick, valid)| Action::Vet { op, pick, valid }),
        2 => (any::<u8>(), prop::option::of(0..6u8)).prop_map(|(op, limit)| Action::Target { op, limit }),
        1 => any::<u8>().prop_map(|op| Action::Toggle { op }),
        3 => (any::<u8>(), any::<u16>(), prop::bool::weighted(0.85), any::<u8>())
            .prop_map(|(op, pick, valid, hint)| Action::Exit { op, pick, valid, hint }),
        1 => (any::<u8>(), any::<u16>()).prop_map(|(op, pick)| Action::Remove { op, pick }),
        6 => (
            any::<u8>(),
            prop::bool::weighted(0.1),
            prop::option::of(prop::collection::vec(any::<u8>(), 6)),
        )
            .prop_map(|(count, over, hints)| Action::Deposit { count, over, hints }),
    ]
}

/// Runs one action on the registry and the model; refused actions must change nothing.
#[allow(clippy::too_many_lines)]
fn step(env: &Env, ms: &mut Vec<M>, action: &Action) {
    let n = ms.len();
    let pick_op = |op: u8| (n > 0).then(|| usize::from(op) % n);
    let admin = env.admin;
    match action {
        Action::Add => {
            if n < 12 {
                env.add();
                ms.push(M { active: true, ..M::default() });
            }
        }
        Action::Commit { op, n: keys, vet } => {
            let Some(i) = pick_op(*op) else { return };
            env.commit(i as u16 + 1, usize::from(*keys));
            ms[i].submitted += u32::from(*keys);
            if *vet {
                env.vet(i as u16 + 1, ms[i].submitted);
                ms[i].vetted = ms[i].submitted;
            }
        }
        Action::Vet { op, pick, valid } => {
            let Some(i) = pick_op(*op) else { return };
            let m = &ms[i];
            let id = i as u16 + 1;
            if *valid {
                // Mostly everything submitted; otherwise anywhere in the allowed range.
                let v = if pick % 2 == 0 {
                    m.submitted
                } else {
                    m.deposited + u32::from(*pick) % (m.submitted - m.deposited + 1)
                };
                env.vet(id, v);
                ms[i].vetted = v;
            } else {
                let v = if m.deposited > 0 && pick % 2 == 0 {
                    m.deposited - 1
                } else {
                    m.submitted + 1 + u32::from(*pick % 3)
                };
                let before = env.snapshot();
                let err = env
                    .reg
                    .sender(admin)
                    .set_vetted_limit(u(id.into()), u(v.into()))
                    .motsu_unwrap_err();
                assert!(matches!(err, Error::InvalidVettedLimit(_)), "{err:?}");
                assert_eq!(env.snapshot(), before);
            }
        }
        Action::Target { op, limit } => {
            let Some(i) = pick_op(*op) else { return };
            let limit = limit.map(u32::from);
            env.set_target(i as u16 + 1, limit);
            ms[i].target = limit;
        }
        Action::Toggle { op } => {
            let Some(i) = pick_op(*op) else { return };
            let active = !ms[i].active;
            env.set_active(i as u16 + 1, active);
            ms[i].active = active;
        }
        Action::Exit { op, pick, valid, hint } => {
            let Some(i) = pick_op(*op) else { return };
            let m = &ms[i];
            let id = i as u16 + 1;
            if *valid {
                let e = m.exited + u32::from(*pick) % (m.deposited - m.exited + 1);
                // Any hint, right or not (ids up to two past the last): the list stays exact.
                env.exit_after(id, e, u(u64::from(*hint) % (ms.len() as u64 + 3)));
                ms[i].exited = e;
            } else {
                let e = if m.exited > 0 && pick % 2 == 0 {
                    m.exited - 1
                } else {
                    m.deposited + 1 + u32::from(*pick % 3)
                };
                let before = env.snapshot();
                let err = env
                    .reg
                    .sender(admin)
                    .update_exited_validators(&[u(id.into())], &[u(e.into())], &[u(1)], U256::ZERO)
                    .motsu_unwrap_err();
                assert!(matches!(err, Error::InvalidExitedCount(_)), "{err:?}");
                assert_eq!(env.snapshot(), before);
            }
        }
        Action::Remove { op, pick } => {
            let Some(i) = pick_op(*op) else { return };
            let m = &ms[i];
            let id = i as u16 + 1;
            if m.submitted > m.deposited {
                let from = m.deposited + u32::from(*pick) % (m.submitted - m.deposited);
                env.remove(id, from).motsu_unwrap();
                ms[i].submitted = from;
                ms[i].vetted = ms[i].vetted.min(from);
            } else {
                let before = env.snapshot();
                let err = env
                    .reg
                    .sender(admin)
                    .remove_unused_keys(
                        u(id.into()),
                        u(m.submitted.into()),
                        U256::ZERO,
                        B256::ZERO,
                        U256::ZERO,
                        u(m.submitted.into()),
                    )
                    .motsu_unwrap_err();
                assert!(matches!(err, Error::InvalidKeyRemoval(_)), "{err:?}");
                assert_eq!(env.snapshot(), before);
            }
        }
        Action::Deposit { count, over, hints } => {
            let available = model_plan(ms, 64).len();
            let count = if *over || available == 0 {
                available + 1 + usize::from(*count % 2)
            } else {
                1 + usize::from(*count) % available.min(6)
            };
            let expected = model_plan(ms, count);
            let mut entries = env.entries(count);
            if let Some(hints) = hints {
                for (e, h) in entries.iter_mut().zip(hints) {
                    e.hint = u16::from(*h) % 15; // any id, in the list or not, or none
                }
            }
            let data = Env::data(&entries);
            let result = env.deposit_raw(u(count as u64), &data);
            if expected.len() < count {
                assert_eq!(
                    result.unwrap_err(),
                    Error::NotEnoughDepositableKeys(NotEnoughDepositableKeys {
                        requested: u(count as u64),
                        available: u(expected.len() as u64),
                    })
                );
            } else {
                result.unwrap();
                for (id, index) in expected {
                    let m = &mut ms[usize::from(id) - 1];
                    assert_eq!(index, m.deposited);
                    m.deposited += 1;
                }
            }
        }
    }
}

/// Everything the model says about the registry.
fn check_model(env: &Env, ms: &[M]) {
    check_list(env);
    assert_eq!(usize::from(env.global().operators), ms.len());
    for (i, m) in ms.iter().enumerate() {
        let op = env.op(i as u16 + 1);
        assert_eq!(
            counters(&op),
            (m.active, m.deposited, m.exited, m.vetted, m.submitted, m.target.unwrap_or(NO_TARGET)),
            "operator {}",
            i + 1
        );
        assert_eq!(op.eligible(), m.eligible());
    }
    assert_eq!(env.queue(), model_list(ms));
    // The plan: min-first, as the model, within vetted keys and targets, indices in order.
    let plan = plan(env, 24);
    assert_eq!(plan, model_plan(ms, 24));
    let mut given = vec![0u32; ms.len()];
    for (id, index) in &plan {
        let i = usize::from(*id) - 1;
        assert_eq!(*index, ms[i].deposited + given[i], "indices are consecutive");
        given[i] += 1;
    }
    for (i, m) in ms.iter().enumerate() {
        assert!(m.deposited + given[i] <= m.vetted || given[i] == 0, "beyond vetted: {}", i + 1);
        if let Some(t) = m.target {
            assert!(given[i] == 0 || m.live() + given[i] <= t, "beyond target: {}", i + 1);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        // `PROPTEST_CASES` (scripts/fuzz's long mode) overrides the short count.
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn the_list_is_always_the_sorted_eligible_set(
        start in prop::collection::vec((0..6u8, 0..6u8), 1..=12),
        actions in prop::collection::vec(action(), 10..60),
    ) {
        let _precompiles = motsu::prelude::deploy_precompiles();
        let env = Env::with_guardian();
        let mut ms = Vec::new();
        // Operators with `committed` keys, `vetted` of them vetted.
        for (committed, vetted) in start {
            let id = env.add();
            let mut m = M { active: true, ..M::default() };
            if committed > 0 {
                env.commit(id, usize::from(committed));
                m.submitted = u32::from(committed);
                m.vetted = u32::from(vetted.min(committed));
                env.vet(id, m.vetted);
            }
            ms.push(m);
        }
        check_model(&env, &ms);
        for action in &actions {
            step(&env, &mut ms, action);
            check_model(&env, &ms);
        }
    }
}
