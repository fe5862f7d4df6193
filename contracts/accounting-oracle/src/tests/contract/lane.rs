//! The fast lane through `submitReport`: for the first `fastLaneLengthSlots` slots after the
//! reference slot only `quorum` members from `frameIndex % members` (wrapping) may vote.

use super::*;
use crate::errors::NonFastLaneMemberCannotReportWithinFastLaneInterval;

/// A committee of 5, quorum 3, fast lane 10 slots; the clock at frame 1's start.
fn lane_env() -> Env {
    let env = Env::deployed();
    env.init(10).unwrap();
    for i in 0..5 {
        env.add(i, 3).unwrap();
    }
    env
}

fn refused() -> Error {
    NonFastLaneMemberCannotReportWithinFastLaneInterval {}.into()
}

#[motsu::test]
fn only_the_fast_lane_votes_during_the_fast_lane() {
    let env = lane_env();
    let slot = ref_slot(1);
    // Frame 1: the lane starts at member 1 % 5 = 1: members 1, 2, 3.
    let before = env.snapshot();
    assert_eq!(env.vote(0, slot, h(1)).unwrap_err(), refused());
    assert_eq!(env.vote(4, slot, h(1)).unwrap_err(), refused());
    assert_eq!(env.snapshot(), before);
    for i in 1..=3 {
        env.vote(i, slot, h(1)).unwrap();
    }
    assert_eq!(env.consensus().1, h(1));
    // The lane's last second, then everyone.
    clock::set(slot_time(slot + 11) - 1);
    assert_eq!(env.vote(0, slot, h(1)).unwrap_err(), refused());
    clock::advance(1);
    env.vote(0, slot, h(1)).unwrap();
    env.vote(4, slot, h(1)).unwrap();
}

#[motsu::test]
fn the_lane_rotates_frame_by_frame_and_wraps() {
    let env = lane_env();
    // Frame 2: members 2, 3, 4. Frame 4: members 4, 0, 1.
    at_frame(2);
    assert_eq!(env.vote(1, ref_slot(2), h(1)).unwrap_err(), refused());
    env.vote(4, ref_slot(2), h(1)).unwrap();
    assert_eq!(env.round().fast_lane_start, 2);
    at_frame(4);
    assert_eq!(env.vote(2, ref_slot(4), h(1)).unwrap_err(), refused());
    for i in [4, 0, 1] {
        env.vote(i, ref_slot(4), h(1)).unwrap();
    }
    // Frame 5 starts again at member 0.
    at_frame(5);
    env.vote(0, ref_slot(5), h(1)).unwrap();
    assert_eq!(env.vote(3, ref_slot(5), h(1)).unwrap_err(), refused());
}

#[motsu::test]
fn a_quorum_of_all_members_puts_everyone_in_the_lane() {
    let env = lane_env();
    env.oracle.sender(env.admin).set_quorum(u(5)).unwrap();
    for i in 0..5 {
        env.vote(i, ref_slot(1), h(1)).unwrap();
    }
    assert_eq!(env.consensus().1, h(1));
}

#[motsu::test]
fn committee_changes_recompute_the_lane() {
    let env = lane_env();
    // Six members in frame 1: the lane starts at 1 % 6 = 1 with quorum 4: members 1..=4.
    env.add(5, 4).unwrap();
    assert_eq!(env.round().fast_lane_start, 1);
    assert_eq!(env.vote(5, ref_slot(1), h(1)).unwrap_err(), refused());
    env.vote(4, ref_slot(1), h(1)).unwrap();
    // A lane length change applies to the current frame's fast-lane end.
    env.oracle.sender(env.admin).set_frame_config(u(EPF), u(0)).unwrap();
    env.vote(5, ref_slot(1), h(1)).unwrap();
}
