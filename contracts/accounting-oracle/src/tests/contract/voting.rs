//! Votes through `submitReport`: argument checks in Lido's order, replace-not-add, duplicates,
//! consensus reached once and lost, the 16th variant, version changes, deadline.

use super::*;
use crate::{
    errors::{
        DuplicateReport, EmptyReport, InvalidRefSlot, MathOverflow, NonMember,
        TooManyReportVariants, UnexpectedConsensusVersion, VersionCannotBeSame,
    },
    events::{ConsensusLost, ConsensusReached, ConsensusVersionSet, ReportReceived},
};

fn received(slot: u64, i: u8, report: B256) -> LogData {
    log(&ReportReceived { refSlot: u(slot), member: member(i), report })
}

fn reached(slot: u64, report: B256, support: u64) -> LogData {
    log(&ConsensusReached { refSlot: u(slot), report, support: u(support) })
}

#[motsu::test]
fn a_quorum_of_votes_reaches_consensus_once() {
    let env = Env::committee(5, 3);
    let slot = ref_slot(1);
    let mark = env.mark();
    env.vote(0, slot, h(1)).unwrap();
    env.vote(1, slot, h(1)).unwrap();
    assert_eq!(env.consensus(), (u(slot), B256::ZERO, false));
    env.vote(2, slot, h(1)).unwrap();
    env.vote(3, slot, h(1)).unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![
            received(slot, 0, h(1)),
            received(slot, 1, h(1)),
            received(slot, 2, h(1)),
            reached(slot, h(1), 3),
            received(slot, 3, h(1)), // the fourth vote: no second ConsensusReached
        ]
    );
    assert_eq!(env.consensus(), (u(slot), h(1), false));
    assert_eq!(env.r().get_report_variants(), (vec![h(1)], vec![u(4)]));
    // One variant hash written, at index 1.
    assert_eq!(env.r().variants.get(u(1)), h(1));
    assert_eq!(env.r().variants.get(u(2)), B256::ZERO);
}

#[motsu::test]
fn a_new_vote_replaces_the_old_one_and_may_lose_the_consensus() {
    let env = Env::committee(3, 2);
    let slot = ref_slot(1);
    env.vote(0, slot, h(1)).unwrap();
    env.vote(1, slot, h(1)).unwrap();
    let mark = env.mark();
    env.vote(1, slot, h(2)).unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![received(slot, 1, h(2)), log(&ConsensusLost { refSlot: u(slot) })]
    );
    assert_eq!(env.r().get_report_variants(), (vec![h(1), h(2)], vec![u(1), u(1)]));
    assert_eq!(env.r().get_member_vote(member(1)), (u(slot), h(2)));
    let mark = env.mark();
    env.vote(2, slot, h(2)).unwrap();
    assert_eq!(env.logs_since(mark), vec![received(slot, 2, h(2)), reached(slot, h(2), 2)]);
    assert_eq!(env.consensus().1, h(2));
    // Member 0 leaves h(1): index 1 is free and its stale hash never matches; a new hash
    // takes it over.
    env.vote(0, slot, h(3)).unwrap();
    assert_eq!(env.r().get_report_variants(), (vec![h(3), h(2)], vec![u(1), u(2)]));
    assert_eq!(env.r().variants.get(u(1)), h(3));
}

#[motsu::test]
fn bad_votes_are_refused_in_lidos_order_and_change_nothing() {
    let env = Env::committee(3, 2);
    let slot = ref_slot(1);
    env.vote(0, slot, h(1)).unwrap();
    let before = env.snapshot();
    let stranger = Address::repeat_byte(0x5e);
    let cases: Vec<(Result<(), Error>, Error)> = vec![
        (
            env.vote_as(stranger, 0, B256::ZERO, 9),
            InvalidRefSlot { expected: u(0), received: u(0) }.into(),
        ),
        (env.vote_as(stranger, slot, B256::ZERO, 9), EmptyReport {}.into()),
        (env.vote_as(stranger, slot, h(1), VERSION), NonMember { addr: stranger }.into()),
        (
            env.vote_as(member(1), slot + 1, h(1), 9),
            UnexpectedConsensusVersion { expected: u(VERSION), received: u(9) }.into(),
        ),
        (
            env.vote(1, slot + 1, h(1)),
            InvalidRefSlot { expected: u(slot), received: u(slot + 1) }.into(),
        ),
        (
            env.vote(1, ref_slot(0), h(1)),
            InvalidRefSlot { expected: u(slot), received: u(ref_slot(0)) }.into(),
        ),
        (env.vote(0, slot, h(1)), DuplicateReport {}.into()),
    ];
    for (got, want) in cases {
        assert_eq!(got.unwrap_err(), want);
    }
    // Arguments beyond 64 bits are named as received.
    let huge = U256::MAX;
    assert_eq!(
        env.oracle.sender(member(1)).submit_report(huge, h(1), u(VERSION)).unwrap_err(),
        InvalidRefSlot { expected: u(slot), received: huge }.into()
    );
    assert_eq!(
        env.oracle.sender(member(1)).submit_report(u(slot), h(1), huge).unwrap_err(),
        UnexpectedConsensusVersion { expected: u(VERSION), received: huge }.into()
    );
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn votes_are_taken_until_the_frames_last_slot() {
    let env = Env::committee(3, 2);
    let slot = ref_slot(1);
    // The deadline slot's last second: still in time.
    clock::set(slot_time(deadline_slot(1)) + SPS - 1);
    env.vote(0, slot, h(1)).unwrap();
    // The next second is the next frame: the old slot is no longer the reference slot.
    clock::advance(1);
    assert_eq!(
        env.vote(1, slot, h(1)).unwrap_err(),
        InvalidRefSlot { expected: u(ref_slot(2)), received: u(slot) }.into()
    );
    env.vote(1, ref_slot(2), h(1)).unwrap();
}

#[motsu::test]
fn a_shorter_frame_config_moves_the_current_deadline() {
    let env = Env::committee(3, 2);
    env.oracle.sender(env.admin).set_frame_config(u(1), u(0)).unwrap();
    let slot = ref_slot(1);
    let deadline = slot + SPE;
    assert_eq!(env.round().deadline, slot_time(deadline) as u32);
    clock::set(slot_time(deadline) + SPS - 1);
    env.vote(0, slot, h(1)).unwrap();
    // The next slot belongs to the next (one-epoch) frame.
    clock::advance(1);
    assert_eq!(
        env.vote(1, slot, h(1)).unwrap_err(),
        InvalidRefSlot { expected: u(deadline), received: u(slot) }.into()
    );
    // `StaleReport` cannot be met through the entry point: past the deadline slot the frame
    // at `now` is a later one, the round rolls and the old slot is `InvalidRefSlot`. The
    // pure check is tested in `tests::votes`.
}

#[motsu::test]
fn a_sixteenth_variant_is_refused_until_an_index_frees() {
    let env = Env::committee(30, 16);
    let slot = ref_slot(1);
    for i in 0..15 {
        env.vote(i, slot, h(i + 1)).unwrap();
    }
    let before = env.snapshot();
    assert_eq!(env.vote(15, slot, h(16)).unwrap_err(), TooManyReportVariants { max: u(15) }.into());
    assert_eq!(env.snapshot(), before);
    // A voter moving to a live variant frees its index.
    env.vote(14, slot, h(1)).unwrap();
    env.vote(15, slot, h(16)).unwrap();
    assert_eq!(env.r().variants.get(u(15)), h(16));
    // A voter alone on its variant may replace it with a new hash in place.
    env.vote(15, slot, h(17)).unwrap();
    assert_eq!(env.r().variants.get(u(15)), h(17));
}

#[motsu::test]
fn the_consensus_version_gates_votes() {
    let env = Env::committee(3, 2);
    let slot = ref_slot(1);
    env.vote(0, slot, h(1)).unwrap();
    let mark = env.mark();
    env.oracle.sender(env.admin).set_consensus_version(u(3)).unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![log(&ConsensusVersionSet { version: u(3), prevVersion: u(VERSION) })]
    );
    assert_eq!(env.r().get_consensus_version(), u(3));
    assert_eq!(env.config().consensus_version, 3);
    assert_eq!(
        env.vote(1, slot, h(1)).unwrap_err(),
        UnexpectedConsensusVersion { expected: u(3), received: u(VERSION) }.into()
    );
    // The vote cast under version 2 still counts.
    env.vote_as(member(1), slot, h(1), 3).unwrap();
    assert_eq!(env.consensus().1, h(1));
    let before = env.snapshot();
    let set = |v: U256| env.oracle.sender(env.admin).set_consensus_version(v);
    assert_eq!(set(u(3)).unwrap_err(), VersionCannotBeSame {}.into());
    assert_eq!(set(u(256)).unwrap_err(), MathOverflow {}.into());
    assert_eq!(env.snapshot(), before);
}
