//! Members and quorum through the entry points: adding, removing (the last member takes the
//! freed index, the removed vote is cancelled), the quorum rule, the cap, disabling, and the
//! consensus re-check each change makes.

use super::*;
use crate::{
    errors::{
        DuplicateMember, InvalidAddress, MathOverflow, NonMember, QuorumTooSmall, TooManyMembers,
    },
    events::{ConsensusLost, ConsensusReached, MemberAdded, MemberRemoved, QuorumSet},
    UNREACHABLE_QUORUM,
};

fn added(i: u8, total: u64, quorum: u64) -> LogData {
    log(&MemberAdded { addr: member(i), newTotalMembers: u(total), newQuorum: u(quorum) })
}

fn quorum_set(q: u64, total: u64, prev: u64) -> LogData {
    log(&QuorumSet { newQuorum: u(q), totalMembers: u(total), prevQuorum: u(prev) })
}

#[motsu::test]
fn adding_members_stores_them_and_sets_the_quorum() {
    let env = Env::new();
    let mark = env.mark();
    env.add(0, 1).unwrap();
    env.add(1, 2).unwrap();
    env.add(2, 2).unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![
            added(0, 1, 1),
            quorum_set(1, 1, 0),
            added(1, 2, 2),
            quorum_set(2, 2, 1),
            added(2, 3, 2), // same quorum: no QuorumSet
        ]
    );
    assert_eq!(env.r().get_members(), vec![member(0), member(1), member(2)]);
    assert!(env.r().is_member(member(2)));
    assert!(!env.r().is_member(member(3)));
    assert_eq!(env.r().get_quorum(), u(2));
    let (r, c) = (env.round(), env.config());
    assert_eq!((r.members, r.quorum, c.members, c.quorum), (3, 2, 3, 2));
}

#[motsu::test]
fn bad_additions_are_refused_and_change_nothing() {
    let env = Env::committee(2, 2);
    let before = env.snapshot();
    let zero = env.oracle.sender(env.admin).add_member(Address::ZERO, u(2));
    assert_eq!(zero.unwrap_err(), InvalidAddress {}.into());
    assert_eq!(env.add(1, 2).unwrap_err(), DuplicateMember { addr: member(1) }.into());
    assert_eq!(env.add(2, 1).unwrap_err(), QuorumTooSmall { minQuorum: u(2), quorum: u(1) }.into());
    assert_eq!(env.add(2, 256).unwrap_err(), MathOverflow {}.into());
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn the_committee_is_capped_at_thirty() {
    let env = Env::committee(30, 16);
    let before = env.snapshot();
    assert_eq!(env.add(30, 16).unwrap_err(), TooManyMembers { max: u(30) }.into());
    assert_eq!(env.snapshot(), before);
    assert_eq!(env.r().get_members().len(), 30);
    // Every one of them can vote.
    for i in 0..30 {
        env.vote(i, ref_slot(1), h(1)).unwrap();
    }
    assert_eq!(env.r().get_report_variants(), (vec![h(1)], vec![u(30)]));
}

#[motsu::test]
fn removal_moves_the_last_member_into_the_freed_index_and_cancels_the_vote() {
    let env = Env::committee(4, 3);
    for i in 0..3 {
        env.vote(i, ref_slot(1), h(1)).unwrap();
    }
    assert_eq!(env.consensus().1, h(1));
    let mark = env.mark();
    env.remove(1, 3).unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![
            log(&MemberRemoved { addr: member(1), newTotalMembers: u(3), newQuorum: u(3) }),
            log(&ConsensusLost { refSlot: u(ref_slot(1)) }),
        ]
    );
    assert_eq!(env.r().get_members(), vec![member(0), member(3), member(2)]);
    assert!(!env.r().is_member(member(1)));
    assert_eq!(env.r().member_index.get(member(3)), u(2));
    assert_eq!(env.r().member_address.get(u(3)), Address::ZERO);
    assert_eq!(env.r().get_member_vote(member(3)), (u(0), B256::ZERO), "3 had not voted");
    assert_eq!(env.r().get_member_vote(member(2)), (u(ref_slot(1)), h(1)));
    assert_eq!(env.r().get_report_variants(), (vec![h(1)], vec![u(2)]));
    // The moved member votes from its new index; a removed one no longer can.
    env.vote(3, ref_slot(1), h(1)).unwrap();
    assert_eq!(env.consensus().1, h(1));
    assert_eq!(env.vote(1, ref_slot(1), h(1)).unwrap_err(), NonMember { addr: member(1) }.into());
}

#[motsu::test]
fn removing_the_last_member_and_non_members() {
    let env = Env::committee(2, 2);
    let before = env.snapshot();
    assert_eq!(env.remove(5, 1).unwrap_err(), NonMember { addr: member(5) }.into());
    assert_eq!(
        env.remove(1, 0).unwrap_err(),
        QuorumTooSmall { minQuorum: u(1), quorum: u(0) }.into()
    );
    assert_eq!(env.snapshot(), before);
    env.remove(1, 1).unwrap();
    assert_eq!(env.r().get_members(), vec![member(0)]);
    env.remove(0, 1).unwrap();
    assert_eq!(env.r().get_members(), Vec::<Address>::new());
    assert_eq!(env.r().member_index.get(member(0)), U256::ZERO);
    // Re-added members start over at index 0.
    env.add(1, 1).unwrap();
    assert_eq!(env.r().get_members(), vec![member(1)]);
}

#[motsu::test]
fn quorum_changes_re_check_the_consensus() {
    let env = Env::committee(5, 5);
    for i in 0..3 {
        env.vote(i, ref_slot(1), h(1)).unwrap();
    }
    assert_eq!(env.consensus().1, B256::ZERO);
    let mark = env.mark();
    env.oracle.sender(env.admin).set_quorum(u(3)).unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![
            quorum_set(3, 5, 5),
            log(&ConsensusReached { refSlot: u(ref_slot(1)), report: h(1), support: u(3) }),
        ]
    );
    let mark = env.mark();
    env.oracle.sender(env.admin).set_quorum(u(3)).unwrap();
    assert!(env.logs_since(mark).is_empty(), "same quorum, same consensus: no event");
    env.oracle.sender(env.admin).set_quorum(u(4)).unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![quorum_set(4, 5, 3), log(&ConsensusLost { refSlot: u(ref_slot(1)) })]
    );
    let before = env.snapshot();
    assert_eq!(
        env.oracle.sender(env.admin).set_quorum(u(2)).unwrap_err(),
        QuorumTooSmall { minQuorum: u(3), quorum: u(2) }.into()
    );
    assert_eq!(
        env.oracle.sender(env.admin).set_quorum(U256::MAX).unwrap_err(),
        MathOverflow {}.into()
    );
    assert_eq!(env.snapshot(), before);
    // A quorum above the member count is allowed: nothing can reach it.
    env.oracle.sender(env.admin).set_quorum(u(6)).unwrap();
    env.vote(3, ref_slot(1), h(1)).unwrap();
    env.vote(4, ref_slot(1), h(1)).unwrap();
    assert_eq!(env.consensus().1, B256::ZERO);
}

#[motsu::test]
fn adding_a_member_with_a_higher_quorum_loses_the_consensus() {
    let env = Env::committee(3, 2);
    env.vote(0, ref_slot(1), h(1)).unwrap();
    env.vote(1, ref_slot(1), h(1)).unwrap();
    let mark = env.mark();
    env.add(3, 3).unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![added(3, 4, 3), quorum_set(3, 4, 2), log(&ConsensusLost { refSlot: u(ref_slot(1)) }),]
    );
    env.vote(3, ref_slot(1), h(1)).unwrap();
    assert_eq!(env.consensus().1, h(1));
}

#[motsu::test]
fn disabling_consensus_loses_it_until_a_quorum_is_set_again() {
    let env = Env::committee(3, 2);
    env.vote(0, ref_slot(1), h(1)).unwrap();
    env.vote(1, ref_slot(1), h(1)).unwrap();
    let mark = env.mark();
    env.oracle.sender(env.admin).disable_consensus().unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![quorum_set(255, 3, 2), log(&ConsensusLost { refSlot: u(ref_slot(1)) })]
    );
    assert_eq!(env.r().get_quorum(), u(UNREACHABLE_QUORUM.into()));
    env.vote(2, ref_slot(1), h(1)).unwrap();
    assert_eq!(env.consensus().1, B256::ZERO, "three votes reach no quorum of 255");
    let mark = env.mark();
    env.oracle.sender(env.admin).disable_consensus().unwrap();
    assert!(env.logs_since(mark).is_empty(), "already disabled");
    env.oracle.sender(env.admin).set_quorum(u(2)).unwrap();
    assert_eq!(env.consensus().1, h(1), "the standing votes count again");
}

#[motsu::test]
fn the_committee_can_be_set_up_before_the_initial_epoch() {
    let env = Env::new();
    at_slot(INITIAL_EPOCH * SPE - 40);
    env.add(0, 1).unwrap();
    env.add(1, 2).unwrap();
    env.oracle.sender(env.admin).set_quorum(u(2)).unwrap();
    env.remove(1, 1).unwrap();
    assert_eq!(env.r().get_members(), vec![member(0)]);
    assert_eq!(env.round().ref_slot, 0, "no frame yet");
}
