//! The fast lane: a window of `quorum` members from `frameIndex % members`, wrapping, and the
//! admission checks of a vote (version, slot, deadline, fast lane).

use alloy_primitives::{B256, U256};

use crate::{
    consensus::{admit, check_arguments},
    errors::{
        EmptyReport, Error, InvalidRefSlot, NonFastLaneMemberCannotReportWithinFastLaneInterval,
        StaleReport, UnexpectedConsensusVersion,
    },
    frames::{fast_lane, fast_lane_start, FastLane},
    storage::Round,
};

fn members_in(lane: FastLane) -> Vec<u8> {
    (0..lane.members).filter(|&i| lane.contains(i)).collect()
}

#[test]
fn the_window_starts_at_the_frame_index_and_wraps() {
    assert_eq!(fast_lane_start(3, 5), 3);
    assert_eq!(members_in(fast_lane(fast_lane_start(3, 5), 5, 3)), [0, 3, 4]);
    assert_eq!(members_in(fast_lane(fast_lane_start(7, 5), 5, 3)), [2, 3, 4]);
    assert_eq!(members_in(fast_lane(fast_lane_start(9, 5), 5, 3)), [0, 1, 4]);
    assert_eq!(members_in(fast_lane(fast_lane_start(10, 5), 5, 3)), [0, 1, 2]);
    assert_eq!(members_in(fast_lane(29, 30, 16)).len(), 16);
    assert!(fast_lane(29, 30, 16).contains(29) && fast_lane(29, 30, 16).contains(14));
    assert!(!fast_lane(29, 30, 16).contains(15));
}

#[test]
fn every_member_is_in_the_lane_when_the_quorum_covers_the_committee() {
    assert_eq!(members_in(fast_lane(2, 3, 3)), [0, 1, 2]);
    assert_eq!(members_in(fast_lane(2, 3, u8::MAX)), [0, 1, 2]);
    assert_eq!(members_in(fast_lane(0, 0, 1)), Vec::<u8>::new());
    assert!(!fast_lane(0, 3, 3).contains(3), "an index past the committee is never in it");
    assert_eq!(fast_lane_start(5, 0), 0);
}

#[test]
fn each_member_leads_the_lane_once_every_n_frames() {
    for n in 1..=30u8 {
        for q in (n / 2 + 1)..n {
            let mut times_in = vec![0u32; usize::from(n)];
            for frame in 0..u64::from(n) {
                for i in members_in(fast_lane(fast_lane_start(frame, n), n, q)) {
                    times_in[usize::from(i)] += 1;
                }
            }
            assert!(times_in.iter().all(|&t| t == u32::from(q)), "n {n} q {q}: {times_in:?}");
        }
    }
}

fn round() -> Round {
    Round {
        ref_slot: 6_472_799,
        deadline: 1_684_584_011,
        fast_lane_end: 1_684_498_823,
        quorum: 3,
        members: 5,
        fast_lane_start: 3,
        consensus_version: 2,
        ..Round::default()
    }
}

#[test]
fn admission_checks_version_then_slot_then_deadline_then_fast_lane() {
    let r = round();
    let t = 1_684_498_823; // fast lane over
    assert_eq!(admit(&r, t, 12, 1, 6_472_799, 2), Ok(()));
    assert_eq!(
        admit(&r, t, 12, 1, 1, 3),
        Err(Error::UnexpectedConsensusVersion(UnexpectedConsensusVersion {
            expected: U256::from(2),
            received: U256::from(3),
        }))
    );
    assert_eq!(
        admit(&r, t, 12, 1, 6_472_800, 2),
        Err(Error::InvalidRefSlot(InvalidRefSlot {
            expected: U256::from(6_472_799),
            received: U256::from(6_472_800),
        }))
    );
    let zero = Round { ref_slot: 0, ..r };
    assert!(matches!(admit(&zero, t, 12, 1, 0, 2), Err(Error::InvalidRefSlot(_))));
    // Votes are taken through the frame's last slot: deadline .. deadline + 11.
    assert_eq!(admit(&r, 1_684_584_011 + 11, 12, 1, 6_472_799, 2), Ok(()));
    assert_eq!(
        admit(&r, 1_684_584_011 + 12, 12, 1, 6_472_799, 2),
        Err(Error::StaleReport(StaleReport {
            refSlot: U256::from(6_472_799),
            deadline: U256::from(1_684_584_011),
        }))
    );
}

#[test]
fn only_the_fast_lane_votes_before_it_ends() {
    let r = round(); // lane {3, 4, 0}
    let early = 1_684_498_823 - 1;
    let refused = Err(Error::NonFastLaneMemberCannotReportWithinFastLaneInterval(
        NonFastLaneMemberCannotReportWithinFastLaneInterval {},
    ));
    for (member, ok) in [(0, true), (1, false), (2, false), (3, true), (4, true)] {
        let got = admit(&r, early, 12, member, 6_472_799, 2);
        assert_eq!(got, if ok { Ok(()) } else { refused.clone() }, "member {member}");
        assert_eq!(admit(&r, early + 1, 12, member, 6_472_799, 2), Ok(()));
    }
}

#[test]
fn arguments_need_a_slot_and_a_hash() {
    assert!(matches!(check_arguments(0, B256::repeat_byte(1)), Err(Error::InvalidRefSlot(_))));
    assert_eq!(check_arguments(1, B256::ZERO), Err(Error::EmptyReport(EmptyReport {})));
    assert_eq!(check_arguments(1, B256::repeat_byte(1)), Ok(()));
}
