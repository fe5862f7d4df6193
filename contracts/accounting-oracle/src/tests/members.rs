//! Committee changes: the quorum rule, the 30-member cap, removal (swap and vote
//! cancellation), quorum changes and their consensus re-checks.

use alloy_primitives::U256;

use super::votes::{h, Oracle, REF};
use crate::{
    consensus::{
        add_member, check_quorum, disable_consensus, remove_member, set_quorum, start_processing,
        ConsensusChange, Removal,
    },
    errors::{Error, MemberIndexOutOfRange, QuorumTooSmall, TooManyMembers},
    storage::{MAX_MEMBERS, UNREACHABLE_QUORUM},
};

fn too_small(min: u8, quorum: u8) -> Error {
    Error::QuorumTooSmall(QuorumTooSmall { minQuorum: U256::from(min), quorum: U256::from(quorum) })
}

const LOST: Option<ConsensusChange> = Some(ConsensusChange::Lost { ref_slot: REF });

#[test]
fn the_quorum_must_exceed_half_the_members() {
    assert_eq!(check_quorum(5, 2), Err(too_small(3, 2)));
    assert_eq!(check_quorum(5, 3), Ok(()));
    assert_eq!(check_quorum(4, 2), Err(too_small(3, 2)));
    assert_eq!(check_quorum(4, 3), Ok(()));
    assert_eq!(check_quorum(0, 0), Err(too_small(1, 0)));
    assert_eq!(check_quorum(0, 1), Ok(()));
    assert_eq!(check_quorum(30, 15), Err(too_small(16, 15)));
    assert_eq!(check_quorum(5, 6), Ok(()), "above the members: allowed, consensus disabled");
}

#[test]
fn the_committee_is_capped_at_thirty() {
    let mut o = Oracle::new(0, 1);
    for i in 0..MAX_MEMBERS {
        let members = i + 1;
        let quorum = members / 2 + 1;
        let (index, change) = add_member(&mut o.round, &mut o.variants, quorum, 0).unwrap();
        assert_eq!((index, change), (i, None));
    }
    assert_eq!(o.round.members, 30);
    let before = o.round;
    assert_eq!(
        add_member(&mut o.round, &mut o.variants, 20, 0),
        Err(Error::TooManyMembers(TooManyMembers { max: U256::from(30) }))
    );
    assert_eq!(o.round, before);
}

#[test]
fn adding_a_member_checks_the_new_quorum_and_may_lose_consensus() {
    let mut o = Oracle::new(3, 2);
    o.change(0, h(1));
    o.change(1, h(1));
    assert_eq!(o.consensus(), Some(h(1)));
    let before = o.round;
    assert_eq!(add_member(&mut o.round, &mut o.variants, 2, 1), Err(too_small(3, 2)));
    assert_eq!(o.round, before);
    assert_eq!(add_member(&mut o.round, &mut o.variants, 3, 1), Ok((3, LOST)));
    assert_eq!((o.round.members, o.round.quorum, o.round.fast_lane_start), (4, 3, 1));
    o.change(3, h(1));
    assert_eq!(o.consensus(), Some(h(1)));
}

#[test]
fn removal_moves_the_last_member_into_the_freed_index() {
    let mut o = Oracle::new(4, 3);
    for (m, k) in [(0, 1), (1, 2), (2, 1), (3, 3)] {
        o.change(m, h(k));
    }
    let r = remove_member(&mut o.round, &mut o.variants, 1, 2, 0).unwrap();
    assert_eq!(
        r,
        Removal {
            moved_from: Some(3),
            consensus: Some(ConsensusChange::Reached { ref_slot: REF, report: h(1), support: 2 })
        }
    );
    assert_eq!((o.round.votes.get(0), o.round.votes.get(1), o.round.votes.get(2)), (1, 3, 1));
    assert_eq!(o.round.votes.get(3), 0, "the freed nibble past the committee is zero");
    assert_eq!(o.support(h(2)), 0, "the removed member's vote is cancelled");
    assert_eq!(o.round.members, 3);

    let r = remove_member(&mut o.round, &mut o.variants, 2, 2, 0).unwrap();
    assert_eq!(r.moved_from, None, "the last member leaves nothing to move");
    assert_eq!(r.consensus, LOST);
    assert_eq!(
        remove_member(&mut o.round, &mut o.variants, 2, 2, 0),
        Err(Error::MemberIndexOutOfRange(MemberIndexOutOfRange {
            index: U256::from(2),
            members: U256::from(2),
        }))
    );
}

#[test]
fn removing_a_quorum_voter_loses_consensus() {
    let mut o = Oracle::new(5, 3);
    for m in 0..3 {
        o.change(m, h(1));
    }
    let before = o.round;
    assert_eq!(remove_member(&mut o.round, &mut o.variants, 0, 2, 0), Err(too_small(3, 2)));
    assert_eq!(o.round, before);
    let r = remove_member(&mut o.round, &mut o.variants, 0, 3, 0).unwrap();
    assert_eq!(r, Removal { moved_from: Some(4), consensus: LOST });
    assert_eq!(o.support(h(1)), 2);
}

#[test]
fn removing_a_non_voter_with_a_lower_quorum_reaches_consensus() {
    let mut o = Oracle::new(5, 4);
    for m in 0..3 {
        assert_eq!(o.change(m, h(1)), None);
    }
    let r = remove_member(&mut o.round, &mut o.variants, 4, 3, 2).unwrap();
    assert_eq!(
        r.consensus,
        Some(ConsensusChange::Reached { ref_slot: REF, report: h(1), support: 3 })
    );
    assert_eq!(o.round.fast_lane_start, 2);
}

#[test]
fn removal_after_processing_started_keeps_the_consensus() {
    let mut o = Oracle::new(5, 3);
    for m in 0..3 {
        o.change(m, h(1));
    }
    start_processing(&mut o.round).unwrap();
    let r = remove_member(&mut o.round, &mut o.variants, 0, 3, 0).unwrap();
    assert_eq!(r, Removal { moved_from: Some(4), consensus: None });
    assert_eq!(o.consensus(), Some(h(1)));
    assert_eq!(o.support(h(1)), 2, "the removed vote leaves the counts only");
}

#[test]
fn quorum_changes_re_check_the_consensus() {
    let mut o = Oracle::new(5, 4);
    for m in 0..3 {
        o.change(m, h(1));
    }
    o.change(3, h(2));
    assert_eq!(set_quorum(&mut o.round, &mut o.variants, 2), Err(too_small(3, 2)));
    assert_eq!(
        set_quorum(&mut o.round, &mut o.variants, 3),
        Ok(Some(ConsensusChange::Reached { ref_slot: REF, report: h(1), support: 3 }))
    );
    assert_eq!(set_quorum(&mut o.round, &mut o.variants, 3), Ok(None), "unchanged: no event");
    assert_eq!(set_quorum(&mut o.round, &mut o.variants, 4), Ok(LOST));
    assert_eq!(o.round.quorum, 4);
    set_quorum(&mut o.round, &mut o.variants, 3).unwrap();
    assert_eq!(disable_consensus(&mut o.round, &mut o.variants), LOST);
    assert_eq!(o.round.quorum, UNREACHABLE_QUORUM);
    o.change(4, h(1));
    assert_eq!(o.consensus(), None, "four votes do not reach an unreachable quorum");
}
