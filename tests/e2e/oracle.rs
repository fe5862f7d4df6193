//! The accounting oracle's committee on the release wasm: nine members, quorum five, the clock
//! moving across daily frames. Votes, consensus reached and lost, one live vote per member, the
//! fast lane, stale and foreign votes, roles, and a missed frame reported as such.
#![allow(missing_docs)]

use alloy_primitives::{Address, U256};
use protocol_tests::deploy::revert_data as decode;
use protocol_tests::{
    abi::IAccountingOracle as O,
    deploy::{events_from, Suite, ADMIN, BOB},
    oracle::{member, report, Oracle, CONSENSUS_VERSION, FRAME_SECONDS, SECONDS_PER_SLOT},
};
use staking_common::roles::MANAGE_MEMBERS_AND_QUORUM_ROLE;
use stylus_vm::Receipt;

fn setup() -> (Suite, Oracle) {
    let mut s = Suite::deploy();
    let o = Oracle::setup(&mut s, 9, 5);
    Oracle::advance_frames(&mut s, 1);
    (s, o)
}

fn ok(r: &Receipt) {
    assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
}

#[test]
fn nine_members_reach_consensus_on_the_fifth_matching_vote_each_frame() {
    let (mut s, o) = setup();
    assert_eq!(s.view(o.address, &O::getMembersCall {}).addresses, o.members);
    assert_eq!(s.view(o.address, &O::getQuorumCall {})._0, U256::from(5));
    for day in 0..3u8 {
        let slot = o.ref_slot(&mut s);
        let hash = report(10 + day);
        for i in 0..4 {
            let r = o.vote(&mut s, i, hash);
            ok(&r);
            let got = events_from::<O::ReportReceived>(&r, o.address);
            assert_eq!((got[0].refSlot, got[0].member, got[0].report), (slot, member(i), hash));
            assert!(events_from::<O::ConsensusReached>(&r, o.address).is_empty());
            assert_eq!(o.consensus(&mut s).1, alloy_primitives::B256::ZERO);
        }
        let r = o.vote(&mut s, 4, hash);
        ok(&r);
        let reached = events_from::<O::ConsensusReached>(&r, o.address);
        assert_eq!(reached.len(), 1);
        assert_eq!(
            (reached[0].refSlot, reached[0].report, reached[0].support),
            (slot, hash, U256::from(5))
        );
        assert_eq!(o.consensus(&mut s), (slot, hash, false));
        // A sixth matching vote changes nothing but the support.
        let r = o.vote(&mut s, 5, hash);
        ok(&r);
        assert!(events_from::<O::ConsensusReached>(&r, o.address).is_empty());
        let variants = s.view(o.address, &O::getReportVariantsCall {});
        assert_eq!((variants.variants, variants.support), (vec![hash], vec![U256::from(6)]));
        Oracle::advance_frames(&mut s, 1);
        assert_eq!(o.ref_slot(&mut s), slot + U256::from(FRAME_SECONDS / SECONDS_PER_SLOT));
    }
}

#[test]
fn a_member_has_one_live_vote_and_consensus_is_lost_when_a_voter_moves_away() {
    let (mut s, o) = setup();
    let slot = o.ref_slot(&mut s);
    for i in 0..5 {
        ok(&o.vote(&mut s, i, report(1)));
    }
    assert_eq!(o.consensus(&mut s).1, report(1));
    // The same hash again is a duplicate; nothing changes.
    let _: O::DuplicateReport = decode(&o.vote(&mut s, 0, report(1)));
    // Member 0 changes its mind: the old vote goes, the consensus is lost.
    let r = o.vote(&mut s, 0, report(2));
    ok(&r);
    assert_eq!(events_from::<O::ConsensusLost>(&r, o.address)[0].refSlot, slot);
    assert_eq!(o.consensus(&mut s).1, alloy_primitives::B256::ZERO);
    let variants = s.view(o.address, &O::getReportVariantsCall {});
    let mut pairs: Vec<_> = variants.variants.into_iter().zip(variants.support).collect();
    pairs.sort();
    assert_eq!(pairs, vec![(report(1), U256::from(4)), (report(2), U256::from(1))]);
    assert_eq!(s.view(o.address, &O::getMemberVoteCall { member: member(0) }).report, report(2));
    // Another member votes the first hash again: consensus regained.
    let r = o.vote(&mut s, 5, report(1));
    ok(&r);
    assert_eq!(events_from::<O::ConsensusReached>(&r, o.address)[0].support, U256::from(5));
    assert_eq!(o.consensus(&mut s).1, report(1));
}

#[test]
fn votes_for_another_slot_version_or_from_outsiders_are_refused() {
    let (mut s, o) = setup();
    let slot = o.ref_slot(&mut s);
    let submit = |slot: U256, version: u64| O::submitReportCall {
        slot,
        report: report(1),
        consensusVersion: U256::from(version),
    };
    let e: O::NonMember =
        decode(&s.send(BOB, o.address, U256::ZERO, &submit(slot, CONSENSUS_VERSION)));
    assert_eq!(e.addr, BOB);
    let voter = o.members[0];
    let r = s.send(voter, o.address, U256::ZERO, &submit(slot + U256::from(1), CONSENSUS_VERSION));
    let e: O::InvalidRefSlot = decode(&r);
    assert_eq!((e.expected, e.received), (slot, slot + U256::from(1)));
    let r = s.send(voter, o.address, U256::ZERO, &submit(slot, CONSENSUS_VERSION + 1));
    let e: O::UnexpectedConsensusVersion = decode(&r);
    assert_eq!(
        (e.expected, e.received),
        (U256::from(CONSENSUS_VERSION), U256::from(CONSENSUS_VERSION + 1))
    );
    let r = s.send(
        voter,
        o.address,
        U256::ZERO,
        &O::submitReportCall {
            slot,
            report: alloy_primitives::B256::ZERO,
            consensusVersion: U256::from(CONSENSUS_VERSION),
        },
    );
    let _: O::EmptyReport = decode(&r);
    // Ether is refused (empty revert data).
    s.vm.set_balance(voter, U256::from(10));
    let r = s.send(voter, o.address, U256::from(1), &submit(slot, CONSENSUS_VERSION));
    assert!(!r.success && r.output.is_empty());
    // None of it counted.
    assert!(s.view(o.address, &O::getReportVariantsCall {}).variants.is_empty());
    // Last frame's slot, once the clock has moved on, is stale for the new frame's votes.
    Oracle::advance_frames(&mut s, 1);
    let r = s.send(voter, o.address, U256::ZERO, &submit(slot, CONSENSUS_VERSION));
    let e: O::InvalidRefSlot = decode(&r);
    assert_eq!(e.received, slot);
}

#[test]
fn a_frame_that_reached_consensus_and_was_never_processed_is_reported_missed() {
    let (mut s, o) = setup();
    let slot = o.ref_slot(&mut s);
    for i in 0..5 {
        ok(&o.vote(&mut s, i, report(1)));
    }
    Oracle::advance_frames(&mut s, 1);
    let r = o.vote(&mut s, 0, report(2));
    ok(&r);
    let missed = events_from::<O::WarnProcessingMissed>(&r, o.address);
    assert_eq!(missed.len(), 1);
    assert_eq!(missed[0].refSlot, slot);
    // The new frame starts empty.
    let variants = s.view(o.address, &O::getReportVariantsCall {});
    assert_eq!((variants.variants, variants.support), (vec![report(2)], vec![U256::from(1)]));
}

#[test]
fn only_the_fast_lane_votes_in_the_first_slots_of_a_frame() {
    let mut s = Suite::deploy();
    let o = Oracle::setup_with_fast_lane(&mut s, 9, 5, 10);
    Oracle::advance_frames(&mut s, 1);
    let refused: Vec<usize> = (0..9)
        .filter(|&i| {
            let r = o.vote(&mut s, i, report(1));
            if r.success {
                false
            } else {
                let _: O::NonFastLaneMemberCannotReportWithinFastLaneInterval = decode(&r);
                true
            }
        })
        .collect();
    assert_eq!(refused.len(), 4, "quorum 5 of 9 members vote first");
    // After the fast lane, everyone may vote.
    s.vm.advance_time(11 * SECONDS_PER_SLOT);
    for i in refused {
        ok(&o.vote(&mut s, i, report(1)));
    }
}

#[test]
fn the_committee_is_governance_s_and_the_quorum_must_exceed_half() {
    let (mut s, mut o) = setup();
    let add = |who: Address, q: u64| O::addMemberCall { addr: who, quorum: U256::from(q) };
    let r = s.send(BOB, o.address, U256::ZERO, &add(member(20), 6));
    let e: O::AccessDenied = decode(&r);
    assert_eq!((e.caller, e.role), (BOB, MANAGE_MEMBERS_AND_QUORUM_ROLE));
    // 10 members need at least 6.
    let e: O::QuorumTooSmall = decode(&s.send(ADMIN, o.address, U256::ZERO, &add(member(20), 5)));
    assert_eq!((e.minQuorum, e.quorum), (U256::from(6), U256::from(5)));
    let e: O::DuplicateMember = decode(&s.send(ADMIN, o.address, U256::ZERO, &add(member(0), 6)));
    assert_eq!(e.addr, member(0));
    let r = o.add_member(&mut s, member(20), 6);
    let added = events_from::<O::MemberAdded>(&r, o.address);
    assert_eq!(
        (added[0].addr, added[0].newTotalMembers, added[0].newQuorum),
        (member(20), U256::from(10), U256::from(6))
    );
    // Removing a member who voted for the standing consensus loses it.
    for i in 0..6 {
        ok(&o.vote(&mut s, i, report(1)));
    }
    assert_eq!(o.consensus(&mut s).1, report(1));
    let r = s.send(
        ADMIN,
        o.address,
        U256::ZERO,
        &O::removeMemberCall { addr: member(0), quorum: U256::from(6) },
    );
    ok(&r);
    assert_eq!(events_from::<O::ConsensusLost>(&r, o.address).len(), 1);
    assert!(!s.view(o.address, &O::isMemberCall { addr: member(0) })._0);
    // A lower quorum brings it back.
    let r = s.send(ADMIN, o.address, U256::ZERO, &O::setQuorumCall { quorum: U256::from(5) });
    ok(&r);
    assert_eq!(events_from::<O::ConsensusReached>(&r, o.address).len(), 1);
    assert_eq!(o.consensus(&mut s).1, report(1));
}
