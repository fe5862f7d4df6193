//! Every vote path: first vote, change of vote, duplicate, consensus reached once, lost and
//! regained, the 16th variant, variant index reuse, processing, the frame roll.

use alloy_primitives::{B256, U256};

use crate::{
    consensus::{reset_for_frame, start_processing, vote, ConsensusChange, Recorded, VoteOutcome},
    errors::{
        ConsensusReportAlreadyProcessing, DuplicateReport, EmptyReport, Error,
        MemberIndexOutOfRange, NoConsensusReportToProcess, RefSlotAlreadyProcessing,
        TooManyReportVariants,
    },
    frames::RoundTimes,
    storage::{Round, MAX_VARIANTS},
};

pub(super) const REF: u32 = 6_472_799;

/// The round and the variant map, as the contract keeps them.
pub(super) struct Oracle {
    pub(super) round: Round,
    pub(super) variants: [B256; MAX_VARIANTS as usize],
}

pub(super) fn h(k: u8) -> B256 {
    B256::with_last_byte(k)
}

impl Oracle {
    pub(super) fn new(members: u8, quorum: u8) -> Self {
        let round = Round { ref_slot: REF, quorum, members, ..Round::default() };
        Self { round, variants: [B256::ZERO; MAX_VARIANTS as usize] }
    }

    /// Votes and stores what the outcome says to store.
    pub(super) fn vote(&mut self, member: u8, report: B256) -> Result<VoteOutcome, Error> {
        let out = vote(&mut self.round, &mut self.variants, member, report)?;
        if let VoteOutcome::Recorded(Recorded { new_variant: Some((i, hash)), .. }) = out {
            self.variants[usize::from(i) - 1] = hash;
        }
        Ok(out)
    }

    /// The consensus change of a vote that must be recorded.
    pub(super) fn change(&mut self, member: u8, report: B256) -> Option<ConsensusChange> {
        match self.vote(member, report) {
            Ok(VoteOutcome::Recorded(r)) => r.consensus,
            other => panic!("member {member}: {other:?}"),
        }
    }

    /// Votes for `report` (scanning the live indices).
    pub(super) fn support(&self, report: B256) -> u8 {
        let t = self.round.votes.tally();
        (1..=MAX_VARIANTS)
            .find(|&v| t[usize::from(v)] != 0 && self.variants[usize::from(v) - 1] == report)
            .map_or(0, |v| t[usize::from(v)])
    }

    /// The agreed hash, if any.
    pub(super) fn consensus(&self) -> Option<B256> {
        match self.round.consensus_variant {
            0 => None,
            v => Some(self.variants[usize::from(v) - 1]),
        }
    }
}

fn reached(report: B256, support: u8) -> ConsensusChange {
    ConsensusChange::Reached { ref_slot: REF, report, support }
}

const LOST: Option<ConsensusChange> = Some(ConsensusChange::Lost { ref_slot: REF });

#[test]
fn a_first_vote_opens_variant_one() {
    let mut o = Oracle::new(5, 3);
    let out = o.vote(0, h(1)).unwrap();
    assert_eq!(
        out,
        VoteOutcome::Recorded(Recorded {
            variant: 1,
            new_variant: Some((1, h(1))),
            support: 1,
            consensus: None,
        })
    );
    assert_eq!(o.round.votes.get(0), 1);
    let out = o.vote(1, h(1)).unwrap();
    assert_eq!(
        out,
        VoteOutcome::Recorded(Recorded {
            variant: 1,
            new_variant: None,
            support: 2,
            consensus: None
        })
    );
    let out = o.vote(2, h(2)).unwrap();
    assert_eq!(
        out,
        VoteOutcome::Recorded(Recorded {
            variant: 2,
            new_variant: Some((2, h(2))),
            support: 1,
            consensus: None,
        })
    );
}

#[test]
fn a_new_vote_replaces_the_old_one() {
    let mut o = Oracle::new(5, 3);
    o.vote(0, h(1)).unwrap();
    o.vote(1, h(1)).unwrap();
    o.vote(0, h(2)).unwrap();
    assert_eq!((o.support(h(1)), o.support(h(2))), (1, 1));
    // A member alone on its variant moves to a new hash in the same index: no bloat.
    let out = o.vote(0, h(3)).unwrap();
    assert!(matches!(
        out,
        VoteOutcome::Recorded(Recorded { variant: 2, new_variant: Some((2, _)), .. })
    ));
    assert_eq!((o.support(h(2)), o.support(h(3))), (0, 1));
    assert_eq!(o.round.votes.tally()[0], 30 - 2);
}

#[test]
fn the_same_hash_twice_is_a_duplicate_and_changes_nothing() {
    let mut o = Oracle::new(5, 3);
    o.vote(0, h(1)).unwrap();
    let before = o.round;
    assert_eq!(o.vote(0, h(1)), Err(Error::DuplicateReport(DuplicateReport {})));
    assert_eq!(o.round, before);
    o.vote(0, h(2)).unwrap();
    o.vote(0, h(1)).unwrap();
    assert_eq!(o.vote(0, h(1)), Err(Error::DuplicateReport(DuplicateReport {})));
}

#[test]
fn bad_input_is_refused() {
    let mut o = Oracle::new(5, 3);
    assert_eq!(o.vote(0, B256::ZERO), Err(Error::EmptyReport(EmptyReport {})));
    assert_eq!(
        o.vote(5, h(1)),
        Err(Error::MemberIndexOutOfRange(MemberIndexOutOfRange {
            index: U256::from(5),
            members: U256::from(5),
        }))
    );
    assert_eq!(o.round, Oracle::new(5, 3).round);
}

#[test]
fn consensus_is_reached_once() {
    let mut o = Oracle::new(5, 3);
    assert_eq!(o.change(0, h(1)), None);
    assert_eq!(o.change(1, h(1)), None);
    assert_eq!(o.change(2, h(1)), Some(reached(h(1), 3)));
    assert_eq!(o.consensus(), Some(h(1)));
    assert_eq!(o.change(3, h(1)), None, "more support for the agreed hash emits nothing");
    assert_eq!(o.change(4, h(2)), None);
    assert_eq!(o.consensus(), Some(h(1)));
}

#[test]
fn consensus_is_lost_when_a_quorum_voter_moves_and_regained() {
    let mut o = Oracle::new(5, 3);
    for m in 0..3 {
        o.change(m, h(1));
    }
    assert_eq!(o.change(0, h(2)), LOST);
    assert_eq!(o.consensus(), None);
    assert_eq!(o.round.consensus_variant, 0);
    assert_eq!(o.change(3, h(2)), None);
    assert_eq!(o.change(4, h(1)), Some(reached(h(1), 3)), "regained with another voter");
    // Member 1 moves from the agreed hash to the other one, which reaches the quorum itself:
    // one `ConsensusReached` for the new hash, no `ConsensusLost` in between.
    assert_eq!(o.change(1, h(2)), Some(reached(h(2), 3)), "another hash takes over");
    assert_eq!(o.consensus(), Some(h(2)));
    assert_eq!(o.change(2, h(2)), None);
}

#[test]
fn a_move_that_keeps_the_quorum_loses_nothing() {
    let mut o = Oracle::new(5, 3);
    for m in 0..4 {
        o.change(m, h(1));
    }
    assert_eq!(o.change(0, h(2)), None);
    assert_eq!(o.consensus(), Some(h(1)));
    assert_eq!(o.support(h(1)), 3);
}

#[test]
fn a_sole_voter_replacing_the_agreed_hash_reaches_a_new_consensus() {
    // Quorum 1 of 1: the agreed variant's index is reused for the new hash.
    let mut o = Oracle::new(1, 1);
    assert_eq!(o.change(0, h(1)), Some(reached(h(1), 1)));
    assert_eq!(o.change(0, h(2)), Some(reached(h(2), 1)));
    assert_eq!(o.round.consensus_variant, 1);
    assert_eq!(o.consensus(), Some(h(2)));
    // Quorum 2 of 2 (index reuse with the quorum lost): member 1 is alone on index 2.
    let mut o = Oracle::new(2, 2);
    o.change(0, h(1));
    assert_eq!(o.change(1, h(1)), Some(reached(h(1), 2)));
    assert_eq!(o.change(1, h(2)), LOST);
    assert_eq!(o.change(0, h(3)), None, "index 1 freed by member 0 itself, reused");
    assert_eq!(o.round.votes.get(0), 1);
    assert_eq!(o.consensus(), None);
}

#[test]
fn a_sixteenth_variant_is_refused_until_an_index_frees() {
    let mut o = Oracle::new(30, 16);
    for m in 0..15 {
        o.vote(m, h(m + 1)).unwrap();
    }
    let before = (o.round, o.variants);
    assert_eq!(
        o.vote(15, h(16)),
        Err(Error::TooManyReportVariants(TooManyReportVariants { max: U256::from(15) }))
    );
    assert_eq!((o.round, o.variants), before, "a refused vote changes nothing");
    // A live hash is still accepted.
    o.vote(15, h(1)).unwrap();
    assert_eq!(o.support(h(1)), 2);
    // A member alone on its index may switch to a 16th hash: its own index is free.
    let out = o.vote(14, h(16)).unwrap();
    assert!(matches!(out, VoteOutcome::Recorded(Recorded { new_variant: Some((15, _)), .. })));
    assert_eq!(o.support(h(15)), 0);
    // Member 1 leaves index 2; member 16 may then open a new variant there.
    o.vote(1, h(1)).unwrap();
    let out = o.vote(16, h(17)).unwrap();
    assert_eq!(
        out,
        VoteOutcome::Recorded(Recorded {
            variant: 2,
            new_variant: Some((2, h(17))),
            support: 1,
            consensus: None,
        })
    );
}

#[test]
fn a_stale_hash_in_a_free_index_is_never_matched() {
    let mut o = Oracle::new(5, 3);
    o.vote(0, h(1)).unwrap();
    o.vote(1, h(2)).unwrap();
    o.vote(1, h(1)).unwrap(); // index 2 (h2) now has no support; h2 stays stored
    assert_eq!(o.variants[1], h(2));
    let out = o.vote(2, h(2)).unwrap();
    assert_eq!(
        out,
        VoteOutcome::Recorded(Recorded {
            variant: 2,
            new_variant: Some((2, h(2))),
            support: 1,
            consensus: None,
        }),
        "opened again as a new variant, with support counted from zero"
    );
    // A new hash takes the lowest free index: 3 (1 and 2 are live).
    let out = o.vote(3, h(9)).unwrap();
    assert!(matches!(out, VoteOutcome::Recorded(Recorded { variant: 3, .. })));
}

#[test]
fn processing_freezes_the_votes() {
    let mut o = Oracle::new(5, 3);
    assert_eq!(
        start_processing(&mut o.round),
        Err(Error::NoConsensusReportToProcess(NoConsensusReportToProcess {}))
    );
    for m in 0..3 {
        o.change(m, h(1));
    }
    o.change(3, h(2));
    assert_eq!(start_processing(&mut o.round), Ok(1));
    assert!(o.round.processing);
    assert_eq!(
        start_processing(&mut o.round),
        Err(Error::RefSlotAlreadyProcessing(RefSlotAlreadyProcessing {}))
    );
    let frozen = o.round;
    for m in 0..4 {
        assert_eq!(
            o.vote(m, h(7)),
            Err(Error::ConsensusReportAlreadyProcessing(ConsensusReportAlreadyProcessing {})),
            "member {m} voted"
        );
    }
    assert_eq!(o.vote(4, h(1)), Ok(VoteOutcome::Ignored), "never voted: silent");
    assert_eq!(o.vote(4, h(7)), Ok(VoteOutcome::Ignored));
    assert_eq!(o.round, frozen);
}

#[test]
fn a_new_frame_clears_the_round_and_warns_of_an_unprocessed_consensus() {
    let next =
        RoundTimes { ref_slot: REF + 7_200, deadline: 9, fast_lane_end: 8, fast_lane_start: 4 };
    let mut o = Oracle::new(5, 3);
    for m in 0..3 {
        o.change(m, h(1));
    }
    assert_eq!(reset_for_frame(&mut o.round, &next), Some(REF), "WarnProcessingMissed");
    assert_eq!(
        o.round,
        Round {
            ref_slot: REF + 7_200,
            deadline: 9,
            fast_lane_end: 8,
            fast_lane_start: 4,
            quorum: 3,
            members: 5,
            ..Round::default()
        }
    );
    // Hashes of the old frame are stale: the same hash opens variant 1 again.
    let out = o.vote(0, h(1)).unwrap();
    assert!(matches!(
        out,
        VoteOutcome::Recorded(Recorded { new_variant: Some((1, _)), support: 1, .. })
    ));

    // Processed, or never agreed: no warning.
    let mut o = Oracle::new(5, 3);
    for m in 0..3 {
        o.change(m, h(1));
    }
    start_processing(&mut o.round).unwrap();
    assert_eq!(reset_for_frame(&mut o.round, &next), None);
    assert!(!o.round.processing);
    let mut o = Oracle::new(5, 3);
    o.change(0, h(1));
    assert_eq!(reset_for_frame(&mut o.round, &next), None);
    assert!(o.round.votes.is_empty());
}
