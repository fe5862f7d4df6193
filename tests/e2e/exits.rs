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
    // The same keys cannot be forced twice.
    let r2 = t.l2_send(OUTSIDER, registry, U256::ZERO, &call);
    assert_eq!(&r2.output[..4], &R::KeyNotExitable::SELECTOR[..]);
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
    let _ = (oracle, ADMIN, Address::ZERO, exited(&mut t, 1));
}
