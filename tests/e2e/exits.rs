//! Exits on demand (issue 18, docs/design/exits.md) across both worlds: the committee's exit
//! list agreed with the report and delivered on L2, the registry's requested / late / forcible
//! tracking and its reward penalty, and the permissionless forced exit through the pool, the
//! Outbox, the vault's EIP-7002 request and the consensus layer, until the withdrawal it paid
//! for is finalized and claimed.
#![allow(missing_docs)]

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::SolError;
use l1_vault::StakingVault as V;
use protocol_tests::{
    abi::{
        IAccountingOracle as O, INodeOperatorRegistry as R, IStakingPool as P,
        IWithdrawalQueue as Q,
    },
    deploy::events,
    ether,
    oracle::{exit_request, Report},
    two_worlds::{l1_events, TwoWorlds, OUTSIDER},
    ADMIN, ALICE,
};

const DAY: u64 = 86_400;

/// Operator `id`'s exit status.
fn status(t: &mut TwoWorlds, id: u16) -> R::getOperatorExitStatusReturn {
    let registry = t.v.registry;
    t.s.view(registry, &R::getOperatorExitStatusCall { operatorId: U256::from(id) })
}

/// Operator `id`'s claimable reward shares.
fn rewards(t: &mut TwoWorlds, id: u16) -> U256 {
    let registry = t.v.registry;
    t.s.view(registry, &R::getRewardsCall { operatorId: U256::from(id) })._0
}

/// The pubkey and the packed exit request of operator `id`'s key `index`.
fn request(t: &TwoWorlds, id: u16, index: u32, validator_index: u64) -> (Vec<u8>, Vec<u8>) {
    let batch = t.v.batch_of(id, index).expect("a committed key");
    let pubkey = batch.pubkeys[(index - batch.start) as usize].to_vec();
    let packed = exit_request(u64::from(id), index, validator_index, &pubkey);
    (pubkey, packed)
}

/// The exited count of operator `id` now.
fn exited(t: &mut TwoWorlds, id: u16) -> u64 {
    t.v.operator(&mut t.s, id).3
}

#[test]
fn a_withdrawal_beyond_the_buffer_is_paid_by_asked_and_forced_exits_and_a_late_operator_earns_nothing(
) {
    let mut t = TwoWorlds::new();
    let (registry, oracle, queue) = (t.v.registry, t.oracle.address, t.s.queue);
    // Two operators with 10 keys each; 320 ether staked as 10 validators (5 each).
    t.onboard(2, 10);
    t.s.deposit(ALICE, ether(320));
    let batch = t.send_batch(10);
    let (id, _) = t.deliver(&batch);
    assert!(t.deposit_batch(id, &batch).success);
    t.report();
    assert_eq!((t.v.operator(&mut t.s, 1).2, t.v.operator(&mut t.s, 2).2), (5, 5));

    // Alice asks for 96 ether back: the buffer is empty, so three validators must exit.
    let (ids, r) = t.s.request_withdrawals(ALICE, &[ether(96)]);
    assert!(r.success);
    let shortfall = t.s.view(t.s.pool, &P::getWithdrawalShortfallCall {})._0;
    let buffered = t.s.view(t.s.pool, &P::getBufferedEtherCall {})._0;
    assert!(buffered < ether(1), "only the bootstrap deposit is buffered");
    assert_eq!(shortfall, ether(96) - buffered, "what the queue needs beyond the buffer");

    // The committee's list, in the exit order (most active first, then the lowest id):
    // operator 1's key 0, operator 2's key 0, operator 1's key 1.
    let (o1k0, r1) = request(&t, 1, 0, 100);
    let (o1k1, r2) = request(&t, 1, 1, 102);
    let (o2k0, r3) = request(&t, 2, 0, 101);
    let list = [r1, r2, r3].concat();
    let figures = t.to_next_ref_slot();
    let report = Report { exit_requests: list.clone(), ..TwoWorlds::report_of(&figures) };
    let r = t.process(&report);
    assert!(r.success, "0x{}", alloy_primitives::hex::encode(&r.output));

    // A list other than the agreed one is refused; the agreed one is delivered once, by anyone.
    let mut forged = list.clone();
    forged[60] ^= 1;
    let r = t.oracle.submit_exits(&mut t.s, OUTSIDER, &forged);
    assert!(!r.success);
    assert_eq!(&r.output[..4], &O::UnexpectedExitRequestsHash::SELECTOR[..]);
    let r = t.oracle.submit_exits(&mut t.s, OUTSIDER, &list);
    assert!(r.success, "0x{}", alloy_primitives::hex::encode(&r.output));
    println!("L2 gas: submitExitRequests of 3 validators {}", r.gas_used);
    let asked = events::<O::ValidatorExitRequest>(&r);
    assert_eq!(asked.len(), 3);
    assert_eq!(
        asked
            .iter()
            .map(|e| (e.operatorId.to::<u64>(), e.keyIndex.to::<u64>()))
            .collect::<Vec<_>>(),
        vec![(1, 0), (1, 1), (2, 0)]
    );
    assert_eq!(asked[2].validatorPubkey, Bytes::from(o2k0.clone()));
    assert_eq!(asked[2].validatorIndex, U256::from(101));
    let r = t.oracle.submit_exits(&mut t.s, OUTSIDER, &list);
    assert_eq!(&r.output[..], &O::ExitRequestsAlreadyProcessed {}.abi_encode()[..]);
    let s1 = status(&mut t, 1);
    assert_eq!(
        (s1.requested, s1.pending, s1.late, s1.penalized, s1.forcible),
        (U256::from(2), U256::from(2), false, false, false)
    );
    assert_eq!(s1.nextRequestKey, U256::from(2));
    let summary = t.s.view(registry, &R::getExitSummaryCall {});
    assert_eq!(summary.pendingExits, U256::from(3));

    // Operator 2 exits its validator; operator 1 ignores its requests.
    assert_eq!(t.exit_key(&o2k0), ether(32));
    t.bridge_to_l2();
    t.wait_l1_to_l2();
    // Four days and more later the committee reports operator 2's exit and lists operator 1,
    // late, with its count unchanged: it is marked (no rewards, no deposits).
    t.advance_time(4 * DAY);
    let figures = t.to_next_ref_slot();
    let rate = t.s.share_rate();
    t.accrue(ether(1) / U256::from(1_000));
    let report = Report { exited: vec![(1, 0), (2, 1)], ..TwoWorlds::report_of(&figures) };
    let _ = rate;
    let r = t.process(&report);
    assert!(r.success, "0x{}", alloy_primitives::hex::encode(&r.output));
    let late = events::<R::OperatorLateSet>(&r);
    assert_eq!(late.len(), 1);
    assert_eq!((late[0].operatorId, late[0].late), (U256::from(1), true));
    let s1 = status(&mut t, 1);
    assert!(s1.late && s1.penalized && !s1.forcible);
    assert!(
        !t.s.view(registry, &R::getDepositQueueCall {})._0.contains(&U256::from(1)),
        "no deposits"
    );
    let summary = t.s.view(registry, &R::getExitSummaryCall {});
    assert_eq!((summary.pendingExits, summary.penalizedActive), (U256::from(2), U256::from(5)));

    // Rewards of the next report go to operator 2 alone.
    let (before1, before2) = (rewards(&mut t, 1), rewards(&mut t, 2));
    t.accrue(ether(1) / U256::from(1_000));
    let (_, r) = t.report();
    assert!(r.success);
    assert_eq!(rewards(&mut t, 1), before1, "a late operator earns nothing");
    assert!(rewards(&mut t, 2) > before2, "the other operator earns its part and the late one's");

    // Not yet forcible: a stranger cannot force operator 1's validators out.
    let data: Vec<u8> =
        [0u32, 1].iter().flat_map(|&k| t.v.batch_of(1, k).expect("key").forced_entry(k)).collect();
    let call = R::forceExitsCall { operatorId: U256::from(1), data: data.clone().into() };
    let r = t.l2_send(OUTSIDER, registry, U256::ZERO, &call);
    assert!(!r.success, "not forcible yet");
    assert_eq!(&r.output[..4], &R::AccessDenied::SELECTOR[..]);

    // Past the force deadline (7 days after the request) anyone forces them out through L1.
    t.advance_time(2 * DAY);
    assert!(status(&mut t, 1).forcible);
    let r = t.l2_send(OUTSIDER, registry, U256::ZERO, &call);
    assert!(r.success, "forceExits: 0x{}", alloy_primitives::hex::encode(&r.output));
    println!("L2 gas: forceExits of 2 validators {}", r.gas_used);
    let forced = events::<R::ValidatorExitForced>(&r);
    assert_eq!(forced.len(), 2);
    let sent = events::<P::ExitsRequestedOnL1>(&r);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].count, U256::from(2));
    // The same keys cannot be forced twice by a stranger (only governance's role could).
    let r2 = t.l2_send(OUTSIDER, registry, U256::ZERO, &call);
    assert_eq!(&r2.output[..4], &R::AccessDenied::SELECTOR[..]);
    // The message reaches the vault after the challenge period; the vault pays EIP-7002's fee
    // from its free balance (rewards skimmed there) and the consensus layer exits both.
    t.el_rewards(ether(1) / U256::from(1_000_000));
    let position: u64 = sent[0].position.to();
    t.wait_executable(position);
    let r = t.execute(position);
    assert!(r.success, "{r:?}");
    let vault = t.vault;
    assert_eq!(l1_events::<V::ExitRequested>(&r.logs, vault).len(), 2);
    let (gone, paid) = t.process_withdrawal_requests();
    assert_eq!(gone, vec![o1k0, o1k1]);
    assert!(paid >= ether(64));

    // Bridged back; the report counts the exits (operator 1 caught up) and finalizes Alice's
    // request from the exited ether.
    t.bridge_to_l2();
    t.wait_l1_to_l2();
    let figures = t.to_next_ref_slot();
    let rate = t.s.share_rate();
    let report = Report {
        exited: vec![(1, 2)],
        batches: vec![ids[0]],
        rate,
        ..TwoWorlds::report_of(&figures)
    };
    let r = t.process(&report);
    assert!(r.success, "0x{}", alloy_primitives::hex::encode(&r.output));
    let late = events::<R::OperatorLateSet>(&r);
    assert_eq!((late[0].operatorId, late[0].late), (U256::from(1), false));
    let s1 = status(&mut t, 1);
    assert!(!s1.late && !s1.penalized && s1.pending.is_zero());
    assert_eq!(t.s.view(registry, &R::getExitSummaryCall {}).penalizedActive, U256::ZERO);
    assert_eq!(t.s.view(queue, &Q::getLastFinalizedRequestIdCall {})._0, ids[0]);
    let r = t.s.send(ALICE, queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: ids[0] });
    assert!(r.success, "claim: 0x{}", alloy_primitives::hex::encode(&r.output));
    t.assert_accounted();
    assert_eq!((exited(&mut t, 1), exited(&mut t, 2)), (2, 1));
    let st = t.s.view(oracle, &O::getExitRequestsStateCall {});
    assert!(st.delivered && st.count == U256::from(3), "the day's list stays on record");
}

/// The first four bytes of a failed receipt's output (its error's selector).
fn selector(r: &stylus_vm::Receipt) -> [u8; 4] {
    assert!(!r.success, "expected a revert, got success");
    r.output[..4].try_into().expect("an error selector")
}

/// Two operators with 5 validators each on the consensus layer.
fn staked() -> TwoWorlds {
    let mut t = TwoWorlds::new();
    t.onboard(2, 10);
    t.s.deposit(ALICE, ether(320));
    let batch = t.send_batch(10);
    let (id, _) = t.deliver(&batch);
    assert!(t.deposit_batch(id, &batch).success);
    t.report();
    t
}

#[test]
fn malformed_lists_lists_beyond_demand_and_beyond_the_limits_are_refused_and_change_nothing() {
    let mut t = staked();
    let (registry, oracle, pool) = (t.v.registry, t.oracle.address, t.s.pool);
    let key =
        |t: &TwoWorlds, op: u16, k: u32| request(t, op, k, u64::from(op) * 10 + u64::from(k)).1;
    let (o1k0, o1k1, o1k2) = (key(&t, 1, 0), key(&t, 1, 1), key(&t, 1, 2));
    let (o2k0, o2k1, o2k2) = (key(&t, 2, 0), key(&t, 2, 1), key(&t, 2, 2));
    let limits = |t: &mut TwoWorlds, per_report: u64, per_day: u64| {
        let call = O::setExitRequestLimitsCall {
            maxPerReport: U256::from(per_report),
            perDay: U256::from(per_day),
        };
        let r = t.s.send(ADMIN, oracle, U256::ZERO, &call);
        assert!(r.success, "0x{}", alloy_primitives::hex::encode(&r.output));
    };

    // Frame 1. The exit fields must fit together.
    let figures = t.to_next_ref_slot();
    let ref_slot = figures.ref_slot;
    let mut data = TwoWorlds::report_of(&figures).data(ref_slot);
    data.exitRequestsHash = alloy_primitives::keccak256(&o1k0);
    assert_eq!(selector(&t.oracle.process(&mut t.s, &data)), O::InvalidExitRequestsData::SELECTOR);
    let mut data = TwoWorlds::report_of(&figures).data(ref_slot);
    data.exitRequestsCount = U256::from(1);
    assert_eq!(selector(&t.oracle.process(&mut t.s, &data)), O::InvalidExitRequestsData::SELECTOR);
    // More requests than one report may carry, or than the day's bucket holds.
    let three = [o1k0.clone(), o1k1.clone(), o2k0.clone()].concat();
    let other = [o1k0.clone(), o2k0.clone(), o2k1.clone()].concat();
    for (per_report, per_day, list) in [(2, 1_800, &three), (600, 2, &other)] {
        limits(&mut t, per_report, per_day);
        let r =
            t.process(&Report { exit_requests: list.clone(), ..TwoWorlds::report_of(&figures) });
        let e = O::TooManyExitRequestsPerReport { count: U256::from(3), max: U256::from(2) };
        assert_eq!(&r.output[..], &e.abi_encode()[..]);
    }
    limits(&mut t, 600, 1_800);
    let r = t.s.send(
        OUTSIDER,
        oracle,
        U256::ZERO,
        &O::setExitRequestLimitsCall { maxPerReport: U256::from(1), perDay: U256::from(1) },
    );
    assert_eq!(selector(&r), O::AccessDenied::SELECTOR);
    // No withdrawal is waiting: a lying committee's list is agreed with the report, but the
    // bound recorded with it is 0, delivering it is refused and no operator is asked anything.
    let r = t.process(&Report { exit_requests: o1k0.clone(), ..TwoWorlds::report_of(&figures) });
    assert!(r.success);
    assert_eq!(t.s.view(oracle, &O::getExitRequestsStateCall {}).count, U256::from(1));
    let r = t.oracle.submit_exits(&mut t.s, OUTSIDER, &o1k0);
    assert_eq!(
        &r.output[..],
        &O::TooManyExitRequests { count: U256::from(1), allowed: U256::ZERO }.abi_encode()[..]
    );
    assert_eq!(status(&mut t, 1).requested, U256::ZERO);
    // Once the frame's deadline passed, the list cannot be delivered at all.
    let figures = t.to_next_ref_slot();
    let r = t.oracle.submit_exits(&mut t.s, OUTSIDER, &o1k0);
    assert_eq!(selector(&r), O::ProcessingDeadlineMissed::SELECTOR);

    // Frame 2, with 192 ether requested (six validators): an unsorted list is refused.
    let (_, r) = t.s.request_withdrawals(ALICE, &[ether(192)]);
    assert!(r.success);
    let unsorted = [o1k1.clone(), o1k0.clone()].concat();
    assert!(
        t.process(&Report { exit_requests: unsorted.clone(), ..TwoWorlds::report_of(&figures) })
            .success
    );
    let r = t.oracle.submit_exits(&mut t.s, OUTSIDER, &unsorted);
    assert_eq!(
        &r.output[..],
        &O::InvalidRequestsSortOrder { index: U256::from(1) }.abi_encode()[..]
    );
    let r = t.oracle.submit_exits(&mut t.s, OUTSIDER, &[0u8; 63]);
    assert_eq!(selector(&r), O::UnexpectedExitRequestsHash::SELECTOR);

    // Frame 3: a count of 1 agreed with the hash of a 3-request list: the limits saw 1, so the
    // list is refused (a lying committee cannot slip more requests past them).
    let figures = t.to_next_ref_slot();
    let mut data = TwoWorlds::report_of(&figures).data(figures.ref_slot);
    data.exitRequestsCount = U256::from(1);
    data.exitRequestsHash = alloy_primitives::keccak256(&three);
    assert!(t.oracle.process(&mut t.s, &data).success);
    let r = t.oracle.submit_exits(&mut t.s, OUTSIDER, &three);
    let e = O::UnexpectedExitRequestsLength { expected: U256::from(64), received: U256::from(192) };
    assert_eq!(&r.output[..], &e.abi_encode()[..]);

    // Frame 4: a key that was never deposited.
    let figures = t.to_next_ref_slot();
    let (_, o1k7) = request(&t, 1, 7, 17);
    assert!(
        t.process(&Report { exit_requests: o1k7.clone(), ..TwoWorlds::report_of(&figures) })
            .success
    );
    let r = t.oracle.submit_exits(&mut t.s, OUTSIDER, &o1k7);
    assert_eq!(
        &r.output[..],
        &R::KeyNotExitable { operatorId: U256::from(1), keyIndex: U256::from(7) }.abi_encode()[..]
    );

    // Frame 5: a bucket of 3 a day; the honest list of 3, delivered an hour into the frame.
    limits(&mut t, 600, 3);
    let figures = t.to_next_ref_slot();
    assert!(
        t.process(&Report { exit_requests: three.clone(), ..TwoWorlds::report_of(&figures) })
            .success
    );
    t.advance_time(3_600);
    assert!(t.oracle.submit_exits(&mut t.s, OUTSIDER, &three).success);
    // Frame 6: 23 hours later the bucket holds 2 (the bound allows 4: 96 ether still short).
    let figures = t.to_next_ref_slot();
    let next = [o1k2.clone(), o2k1.clone(), o2k2.clone()].concat();
    assert!(
        t.process(&Report { exit_requests: next.clone(), ..TwoWorlds::report_of(&figures) })
            .success
    );
    let st = t.s.view(oracle, &O::getExitRequestsStateCall {});
    assert_eq!((st.count, st.remainingToday), (U256::from(3), U256::from(2)));
    let r = t.oracle.submit_exits(&mut t.s, OUTSIDER, &next);
    assert_eq!(
        &r.output[..],
        &O::ExitRequestsLimitExceeded { remaining: U256::from(2), requested: U256::from(3) }
            .abi_encode()[..]
    );
    limits(&mut t, 600, 1_800);
    // Frame 7: a key already requested is refused.
    let figures = t.to_next_ref_slot();
    assert!(
        t.process(&Report { exit_requests: o1k1.clone(), ..TwoWorlds::report_of(&figures) })
            .success
    );
    let r = t.oracle.submit_exits(&mut t.s, OUTSIDER, &o1k1);
    assert_eq!(
        &r.output[..],
        &R::KeyNotExitable { operatorId: U256::from(1), keyIndex: U256::from(1) }.abi_encode()[..]
    );
    let s1 = status(&mut t, 1);
    assert_eq!((s1.requested, s1.nextRequestKey), (U256::from(2), U256::from(2)));

    // The registry's own doors: the oracle's role, the deadlines' bounds and role, the pool's
    // L1 message for the registry alone.
    let words = vec![U256::from_limbs([1, 5 | (5 << 32), 1, 0])];
    let r = t.s.send(OUTSIDER, registry, U256::ZERO, &R::onExitRequestsCall { operators: words });
    assert_eq!(selector(&r), R::AccessDenied::SELECTOR);
    let bad = vec![U256::from_limbs([1, 6 | (5 << 32), 1, 0])];
    let r = t.s.send(ADMIN, registry, U256::ZERO, &R::onExitRequestsCall { operators: bad });
    assert_eq!(&r.output[..], &R::InvalidExitRequestsData { index: U256::ZERO }.abi_encode()[..]);
    for (e, f) in
        [(DAY - 1, 7 * DAY), (4 * DAY, 4 * DAY), (31 * DAY, 40 * DAY), (4 * DAY, 61 * DAY)]
    {
        let call =
            R::setExitDeadlinesCall { exitDeadline: U256::from(e), forceDeadline: U256::from(f) };
        let r = t.s.send(ADMIN, registry, U256::ZERO, &call);
        assert_eq!(selector(&r), R::InvalidExitDeadlines::SELECTOR, "{e} {f}");
    }
    let call = R::setExitDeadlinesCall {
        exitDeadline: U256::from(DAY),
        forceDeadline: U256::from(2 * DAY),
    };
    assert_eq!(
        selector(&t.s.send(OUTSIDER, registry, U256::ZERO, &call)),
        R::AccessDenied::SELECTOR
    );
    let r = t.s.send(ADMIN, registry, U256::ZERO, &call);
    assert!(r.success);
    assert_eq!(events::<R::ExitDeadlinesSet>(&r).len(), 1);
    let summary = t.s.view(registry, &R::getExitSummaryCall {});
    assert_eq!(
        (summary.exitDeadline, summary.forceDeadline),
        (U256::from(DAY), U256::from(2 * DAY))
    );
    let r = t.s.send(
        OUTSIDER,
        pool,
        U256::ZERO,
        &P::requestExitsOnL1Call { pubkeys: vec![0u8; 48].into() },
    );
    assert_eq!(&r.output[..], &P::NotRegistry { caller: OUTSIDER }.abi_encode()[..]);

    // Frame 8: operator 1's first validator exits on its own and is reported.
    let (o1k0_key, _) = request(&t, 1, 0, 10);
    assert_eq!(t.exit_key(&o1k0_key), ether(32));
    let figures = t.to_next_ref_slot();
    let r = t.process(&Report { exited: vec![(1, 1)], ..TwoWorlds::report_of(&figures) });
    assert!(r.success, "0x{}", alloy_primitives::hex::encode(&r.output));
    let s1 = status(&mut t, 1);
    assert_eq!((s1.exited, s1.pending), (U256::from(1), U256::from(1)));

    // Forcible: a stranger may force the overdue stage's keys, from the forced cursor on, each
    // once; skipping a key, a key never requested or one beyond the overdue stage takes
    // governance's role; a wrong proof is refused; governance forces any deposited key.
    t.advance_time(2 * DAY);
    assert!(status(&mut t, 1).forcible);
    let entry = |t: &TwoWorlds, op: u16, k: u32| t.v.batch_of(op, k).expect("key").forced_entry(k);
    let force = |t: &mut TwoWorlds, from: Address, op: u16, data: Vec<u8>| {
        let registry = t.v.registry;
        t.l2_send(
            from,
            registry,
            U256::ZERO,
            &R::forceExitsCall { operatorId: U256::from(op), data: data.into() },
        )
    };
    for data in [entry(&t, 1, 2), entry(&t, 1, 1), [entry(&t, 2, 0), entry(&t, 2, 1)].concat()] {
        let op = if data.len() > 400 { 2 } else { 1 };
        assert_eq!(selector(&force(&mut t, OUTSIDER, op, data)), R::AccessDenied::SELECTOR);
    }
    let mut wrong = entry(&t, 1, 0);
    wrong[60] ^= 1;
    let r = force(&mut t, OUTSIDER, 1, wrong);
    assert_eq!(
        &r.output[..],
        &R::InvalidKeyProof { operatorId: U256::from(1), keyIndex: U256::ZERO }.abi_encode()[..]
    );
    let r = force(&mut t, OUTSIDER, 1, Vec::new());
    assert_eq!(selector(&r), R::InvalidExitRequestsData::SELECTOR);
    let data = [entry(&t, 1, 1), entry(&t, 1, 0)].concat();
    let r = force(&mut t, OUTSIDER, 1, data);
    assert_eq!(
        &r.output[..],
        &R::KeyNotExitable { operatorId: U256::from(1), keyIndex: U256::ZERO }.abi_encode()[..]
    );
    let data = [entry(&t, 1, 0), entry(&t, 1, 1)].concat();
    let r = force(&mut t, OUTSIDER, 1, data);
    assert!(r.success, "0x{}", alloy_primitives::hex::encode(&r.output));
    let forced = events::<R::ValidatorExitForced>(&r);
    assert_eq!(forced.iter().map(|e| e.keyIndex.to::<u64>()).collect::<Vec<_>>(), vec![0, 1]);
    assert_eq!(status(&mut t, 1).nextForcedKey, U256::from(2));
    // Once forced, never again by a stranger.
    let data = entry(&t, 1, 1);
    assert_eq!(selector(&force(&mut t, OUTSIDER, 1, data)), R::AccessDenied::SELECTOR);
    let manager = t.s.manager;
    let grant = protocol_tests::abi::IAccessManager::grantRoleCall {
        role: staking_common::roles::FORCED_EXIT_ROLE,
        account: ADMIN,
    };
    assert!(t.s.send(ADMIN, manager, U256::ZERO, &grant).success);
    let data = entry(&t, 2, 4);
    let r = force(&mut t, ADMIN, 2, data);
    assert!(
        r.success,
        "governance forces a key never requested: 0x{}",
        alloy_primitives::hex::encode(&r.output)
    );
    assert_eq!(status(&mut t, 2).nextForcedKey, U256::ZERO, "governance leaves the cursor alone");
    let data = entry(&t, 2, 0);
    assert!(force(&mut t, OUTSIDER, 2, data).success, "operator 2's overdue key, by anyone");
    // Not a deposited key: refused even for governance.
    let data = t.v.batch_of(2, 7).expect("key 7").forced_entry(7);
    let r = force(&mut t, ADMIN, 2, data);
    assert_eq!(
        &r.output[..],
        &R::KeyNotExitable { operatorId: U256::from(2), keyIndex: U256::from(7) }.abi_encode()[..]
    );
}

#[test]
fn lateness_is_judged_at_the_reports_reference_time_not_when_it_is_processed() {
    let mut t = staked();
    let registry = t.v.registry;
    let call = R::setExitDeadlinesCall {
        exitDeadline: U256::from(DAY),
        forceDeadline: U256::from(2 * DAY),
    };
    assert!(t.s.send(ADMIN, registry, U256::ZERO, &call).success);
    let (_, r) = t.s.request_withdrawals(ALICE, &[ether(64)]);
    assert!(r.success);
    // Frame A: operator 1 is asked for two validators.
    let (_, o1k0) = request(&t, 1, 0, 0);
    let (_, o1k1) = request(&t, 1, 1, 1);
    let list = [o1k0, o1k1].concat();
    let figures = t.to_next_ref_slot();
    assert!(
        t.process(&Report { exit_requests: list.clone(), ..TwoWorlds::report_of(&figures) })
            .success
    );
    assert!(t.oracle.submit_exits(&mut t.s, OUTSIDER, &list).success);
    // One of its validators exits before the next reference slot, which falls before the
    // exit deadline; the report of that slot is processed two hours after the deadline.
    let (k4, _) = request(&t, 1, 4, 4);
    assert_eq!(t.exit_key(&k4), ether(32));
    let figures = t.to_next_ref_slot();
    t.advance_time(2 * 3_600);
    assert!(status(&mut t, 1).late, "late now");
    let r = t.process(&Report { exited: vec![(1, 1)], ..TwoWorlds::report_of(&figures) });
    assert!(r.success, "0x{}", alloy_primitives::hex::encode(&r.output));
    assert!(events::<R::OperatorLateSet>(&r).is_empty(), "not late at the reference slot");
    let s1 = status(&mut t, 1);
    assert!(s1.late && !s1.penalized);
    // The next report, whose reference slot is past the deadline, marks it.
    let figures = t.to_next_ref_slot();
    let r = t.process(&Report { exited: vec![(1, 1)], ..TwoWorlds::report_of(&figures) });
    assert!(r.success);
    let late = events::<R::OperatorLateSet>(&r);
    assert_eq!((late[0].operatorId, late[0].late), (U256::from(1), true));
    assert!(status(&mut t, 1).penalized);
}
