//! The frame roll: the first call of a new frame clears the votes, warns of a consensus that
//! was never processed, and `setFrameConfig` keeps the current reference slot while `now` is
//! in its frame and moves the round when a shorter frame has been left.

use super::*;
use crate::{
    errors::{
        EpochsPerFrameCannotBeZero, FastLanePeriodCannotBeLongerThanFrame,
        InitialEpochIsYetToArrive, InvalidRefSlot,
    },
    events::{FastLaneConfigSet, FrameConfigSet, QuorumSet, ReportReceived, WarnProcessingMissed},
};

fn warn(slot: u64) -> LogData {
    log(&WarnProcessingMissed { refSlot: u(slot) })
}

/// Committee of 3 (quorum 2) with a consensus on `h(1)` in frame 1.
fn agreed() -> Env {
    let env = Env::committee(3, 2);
    env.vote(0, ref_slot(1), h(1)).unwrap();
    env.vote(1, ref_slot(1), h(1)).unwrap();
    env
}

#[motsu::test]
fn the_first_vote_of_a_frame_rolls_and_warns_of_the_missed_consensus() {
    let env = agreed();
    at_frame(2);
    let mark = env.mark();
    env.vote(2, ref_slot(2), h(1)).unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![
            warn(ref_slot(1)),
            log(&ReportReceived { refSlot: u(ref_slot(2)), member: member(2), report: h(1) }),
        ]
    );
    let r = env.round();
    assert_eq!(u64::from(r.ref_slot), ref_slot(2));
    assert_eq!(u64::from(r.deadline), slot_time(deadline_slot(2)));
    assert_eq!(r.consensus_variant, 0);
    assert_eq!((r.members, r.quorum, r.consensus_version), (3, 2, VERSION as u8));
    assert_eq!(env.r().get_report_variants(), (vec![h(1)], vec![u(1)]), "old votes cleared");
    assert_eq!(env.r().get_member_vote(member(0)), (u(0), B256::ZERO));
    // No second warning within the frame.
    let mark = env.mark();
    env.vote(0, ref_slot(2), h(1)).unwrap();
    assert!(!env.logs_since(mark).contains(&warn(ref_slot(1))));
    assert_eq!(env.consensus(), (u(ref_slot(2)), h(1), false));
}

#[motsu::test]
fn a_frame_without_consensus_rolls_silently_and_skipped_frames_are_skipped() {
    let env = Env::committee(3, 2);
    env.vote(0, ref_slot(1), h(1)).unwrap();
    at_frame(5);
    let mark = env.mark();
    env.vote(1, ref_slot(5), h(2)).unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![log(&ReportReceived { refSlot: u(ref_slot(5)), member: member(1), report: h(2) })]
    );
    drop(env);
    let env2 = agreed();
    at_frame(7);
    let mark = env2.mark();
    env2.vote(2, ref_slot(7), h(3)).unwrap();
    assert_eq!(env2.logs_since(mark)[0], warn(ref_slot(1)));
}

#[motsu::test]
fn views_show_the_new_frame_before_anything_rolls_it() {
    let env = agreed();
    at_frame(2);
    let before = env.snapshot();
    assert_eq!(env.consensus(), (u(ref_slot(2)), B256::ZERO, false));
    assert_eq!(env.r().get_report_variants(), (vec![], vec![]));
    assert_eq!(env.r().get_member_vote(member(0)), (u(ref_slot(1)), h(1)), "the stored vote");
    assert_eq!(env.snapshot(), before, "views write nothing");
}

#[motsu::test]
fn admin_changes_roll_the_frame_first() {
    let env = agreed();
    at_frame(2);
    let mark = env.mark();
    env.oracle.sender(env.admin).set_quorum(u(3)).unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![
            warn(ref_slot(1)),
            log(&QuorumSet { newQuorum: u(3), totalMembers: u(3), prevQuorum: u(2) }),
        ],
        "the frame-1 votes are gone: nothing to lose or reach"
    );
    assert_eq!(u64::from(env.round().ref_slot), ref_slot(2));
}

#[motsu::test]
fn votes_before_the_initial_epoch_are_refused() {
    let env = Env::new();
    let first = INITIAL_EPOCH * SPE;
    at_slot(first - 1);
    for i in 0..3 {
        env.add(i, 2).unwrap();
    }
    let before = env.snapshot();
    let err: Error =
        InitialEpochIsYetToArrive { initialEpoch: u(INITIAL_EPOCH), epoch: u(INITIAL_EPOCH - 1) }
            .into();
    assert_eq!(env.vote(0, ref_slot(0), h(1)).unwrap_err(), err);
    assert_eq!(env.r().get_current_frame().unwrap_err(), err);
    assert_eq!(env.r().get_consensus_state().unwrap_err(), err);
    assert_eq!(env.oracle.sender(env.admin).set_frame_config(u(EPF), u(0)).unwrap_err(), err);
    clock::set(GENESIS - 1);
    assert_eq!(
        env.vote(0, 1, h(1)).unwrap_err(),
        InitialEpochIsYetToArrive { initialEpoch: u(INITIAL_EPOCH), epoch: u(0) }.into()
    );
    assert_eq!(env.snapshot(), before);
    // Frame 0 opens at the initial epoch.
    at_slot(first);
    env.vote(0, ref_slot(0), h(1)).unwrap();
    assert_eq!(env.r().get_current_frame().unwrap(), (u(ref_slot(0)), u(deadline_slot(0))));
}

#[motsu::test]
fn set_frame_config_keeps_the_reference_slot_and_the_votes() {
    let env = Env::committee(3, 2);
    at_slot(ref_slot(1) + 100);
    env.vote(0, ref_slot(1), h(1)).unwrap();
    let mark = env.mark();
    env.oracle.sender(env.admin).set_frame_config(u(2 * EPF), u(5)).unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![
            log(&FrameConfigSet {
                newInitialEpoch: u(INITIAL_EPOCH + EPF),
                newEpochsPerFrame: u(2 * EPF)
            }),
            log(&FastLaneConfigSet { fastLaneLengthSlots: u(5) }),
        ]
    );
    let longer = ref_slot(1) + 2 * FRAME_SLOTS;
    assert_eq!(env.r().get_current_frame().unwrap(), (u(ref_slot(1)), u(longer)));
    assert_eq!(u64::from(env.round().deadline), slot_time(longer));
    assert_eq!(u64::from(env.round().fast_lane_end), slot_time(ref_slot(1) + 6));
    assert_eq!(env.r().get_report_variants(), (vec![h(1)], vec![u(1)]));
    env.vote(1, ref_slot(1), h(1)).unwrap();
    assert_eq!(env.consensus().1, h(1));
    // The old frame-2 time is now inside frame 0 of the new config.
    at_frame(2);
    env.vote(2, ref_slot(1), h(1)).unwrap();
    // Unchanged values emit nothing.
    let mark = env.mark();
    env.oracle.sender(env.admin).set_frame_config(u(2 * EPF), u(5)).unwrap();
    assert!(env.logs_since(mark).is_empty());
}

#[motsu::test]
fn a_shorter_frame_that_now_has_left_moves_the_round_to_the_frame_now_is_in() {
    // A consensus in frame 1, then 100 epochs into the frame the frame shrinks to 10 epochs:
    // `now` lies in frame 10 of the new config, whose reference slot is the last slot of
    // epoch 99 of the old frame.
    let env = agreed();
    let epoch = INITIAL_EPOCH + EPF + 100;
    at_slot(epoch * SPE + 3);
    let mark = env.mark();
    env.oracle.sender(env.admin).set_frame_config(u(10), u(0)).unwrap();
    let moved = epoch * SPE - 1;
    assert_eq!(
        env.logs_since(mark),
        vec![
            warn(ref_slot(1)),
            log(&FrameConfigSet {
                newInitialEpoch: u(INITIAL_EPOCH + EPF),
                newEpochsPerFrame: u(10)
            }),
        ]
    );
    // The stored round, the views and the vote path agree on the new reference slot.
    let r = env.round();
    assert_eq!(u64::from(r.ref_slot), moved);
    assert_eq!(u64::from(r.deadline), slot_time(moved + 10 * SPE));
    assert_eq!(r.consensus_variant, 0);
    assert_eq!(env.r().get_current_frame().unwrap(), (u(moved), u(moved + 10 * SPE)));
    assert_eq!(env.consensus(), (u(moved), B256::ZERO, false));
    assert_eq!(env.r().get_report_variants(), (vec![], vec![]), "old votes cleared");
    assert_eq!(
        env.vote(0, ref_slot(1), h(1)).unwrap_err(),
        InvalidRefSlot { expected: u(moved), received: u(ref_slot(1)) }.into()
    );
    env.vote(0, moved, h(2)).unwrap();
    env.vote(1, moved, h(2)).unwrap();
    assert_eq!(env.consensus(), (u(moved), h(2), false));
}

#[motsu::test]
fn bad_frame_configs_are_refused_and_change_nothing() {
    let env = Env::committee(3, 2);
    let before = env.snapshot();
    let set = |epf: u64, lane: u64| env.oracle.sender(env.admin).set_frame_config(u(epf), u(lane));
    assert_eq!(set(0, 0).unwrap_err(), EpochsPerFrameCannotBeZero {}.into());
    assert_eq!(
        set(1, SPE + 1).unwrap_err(),
        FastLanePeriodCannotBeLongerThanFrame { fastLane: u(SPE + 1), frameSlots: u(SPE) }.into()
    );
    assert_eq!(set(1 << 32, 0).unwrap_err(), crate::errors::MathOverflow {}.into());
    assert_eq!(env.snapshot(), before);
}
