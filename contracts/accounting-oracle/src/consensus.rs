//! Votes: report variants, support, consensus reached and lost, the frame roll and committee
//! changes, as pure functions on a [`Round`] and the variant hashes
//! (docs/design/accounting-oracle.md §3.1).
//!
//! The contract's vote path is: [`check_arguments`] (slot and hash non-zero), the member lookup
//! (`NonMember`), the roll ([`reset_for_frame`] when `now > round.deadline` and the frame
//! changed), [`admit`] (version, reference slot, deadline, fast lane), then [`vote`]. Each
//! returns what must be stored and emitted; nothing is changed when one fails.
//!
//! Variant hashes live in a map of 15 words (index 1..=15) reused frame after frame, so a slot
//! may hold a stale hash from an earlier frame or an abandoned variant. A hash counts only at an
//! index some member votes now ("live"); [`vote`] reads the live indices only, through
//! [`VariantHashes`], which the contract implements over its storage map (one `SLOAD` per read)
//! and tests over an array.
//!
//! Invariant kept by every function here (for the frame the round describes, while it is not
//! processing): `consensus_variant != 0` exactly when that variant has `support >= quorum`, and
//! it is the only one (a quorum above half the members admits one). Processing freezes the
//! consensus: later votes, removals and quorum changes no longer move it.

use alloy_primitives::{B256, U256};

use crate::{
    errors::{
        ConsensusReportAlreadyProcessing, DuplicateReport, EmptyReport, Error, InvalidRefSlot,
        MemberIndexOutOfRange, NoConsensusReportToProcess,
        NonFastLaneMemberCannotReportWithinFastLaneInterval, QuorumTooSmall,
        RefSlotAlreadyProcessing, StaleReport, TooManyMembers, TooManyReportVariants,
        UnexpectedConsensusVersion,
    },
    frames::{fast_lane, RoundTimes},
    storage::{Round, MAX_MEMBERS, MAX_VARIANTS},
};

/// Read access to the variant hashes (index 1..=15).
pub trait VariantHashes {
    /// The hash stored at `variant` (1..=15); zero for an index out of range.
    fn hash(&mut self, variant: u8) -> B256;
}

impl VariantHashes for [B256; MAX_VARIANTS as usize] {
    fn hash(&mut self, variant: u8) -> B256 {
        usize::from(variant).checked_sub(1).and_then(|i| self.get(i)).copied().unwrap_or_default()
    }
}

/// A change of the frame's consensus, to be emitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsensusChange {
    /// `ConsensusReached(refSlot, report, support)`: the agreed hash is now `report`.
    Reached {
        /// The frame's reference slot.
        ref_slot: u32,
        /// The agreed report hash.
        report: B256,
        /// Its votes.
        support: u8,
    },
    /// `ConsensusLost(refSlot)`: no hash has a quorum any more.
    Lost {
        /// The frame's reference slot.
        ref_slot: u32,
    },
}

/// A vote that changed the round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    /// The variant index the member votes now.
    pub variant: u8,
    /// A variant hash to store: `(index, hash)` when the vote opened a new variant.
    pub new_variant: Option<(u8, B256)>,
    /// Support of the voted variant after the vote.
    pub support: u8,
    /// The consensus change to emit, if any (`ReportReceived` is emitted in every case).
    pub consensus: Option<ConsensusChange>,
}

/// What [`vote`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteOutcome {
    /// Processing started and the member had not voted this frame: nothing changes, no event
    /// (Lido returns silently).
    Ignored,
    /// The vote was recorded.
    Recorded(Recorded),
}

/// A removal's effects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Removal {
    /// The former last index, now moved to the removed member's index (`None` when the
    /// removed member was the last): the contract rewrites that member's index and address.
    pub moved_from: Option<u8>,
    /// The consensus change to emit, if any.
    pub consensus: Option<ConsensusChange>,
}

/// `submitReport`'s argument checks, before the member lookup: a zero slot is
/// `InvalidRefSlot(0, 0)` (the contract fills in the expected slot if it prefers), a zero hash
/// `EmptyReport`.
pub fn check_arguments(slot: u64, report: B256) -> Result<(), Error> {
    if slot == 0 {
        return Err(InvalidRefSlot { expected: U256::ZERO, received: U256::ZERO }.into());
    }
    if report.is_zero() {
        return Err(EmptyReport {}.into());
    }
    Ok(())
}

/// Whether `member` may vote `slot` under `version` at `now` in the (rolled) round: the
/// version (`UnexpectedConsensusVersion`), the reference slot (`InvalidRefSlot`), the deadline
/// (`StaleReport(refSlot, deadline)`: the vote's slot is past the frame's last slot) and the
/// fast lane (`NonFastLaneMemberCannotReportWithinFastLaneInterval`), in Lido's order.
pub fn admit(
    round: &Round,
    now: u64,
    seconds_per_slot: u16,
    member: u8,
    slot: u64,
    version: u64,
) -> Result<(), Error> {
    if version != u64::from(round.consensus_version) {
        return Err(UnexpectedConsensusVersion {
            expected: U256::from(round.consensus_version),
            received: U256::from(version),
        }
        .into());
    }
    if slot == 0 || slot != u64::from(round.ref_slot) {
        return Err(InvalidRefSlot {
            expected: U256::from(round.ref_slot),
            received: U256::from(slot),
        }
        .into());
    }
    // slot(now) <= deadlineSlot  <=>  now < deadline + secondsPerSlot.
    if now >= u64::from(round.deadline) + u64::from(seconds_per_slot) {
        return Err(StaleReport {
            refSlot: U256::from(round.ref_slot),
            deadline: U256::from(round.deadline),
        }
        .into());
    }
    if now < u64::from(round.fast_lane_end)
        && !fast_lane(round.fast_lane_start, round.members, round.quorum).contains(member)
    {
        return Err(NonFastLaneMemberCannotReportWithinFastLaneInterval {}.into());
    }
    Ok(())
}

/// Member `member` votes `report` (docs/design/accounting-oracle.md §3.1 steps 3 to 6).
///
/// Errors: `MemberIndexOutOfRange`, `EmptyReport`, `ConsensusReportAlreadyProcessing` (the
/// member voted and processing started), `DuplicateReport` (the hash it votes already),
/// `TooManyReportVariants(15)` (no index free; such a hash could not reach quorum).
///
/// On success the round holds the new vote and consensus; the outcome names the variant hash
/// to store and the consensus event to emit.
pub fn vote(
    round: &mut Round,
    variants: &mut impl VariantHashes,
    member: u8,
    report: B256,
) -> Result<VoteOutcome, Error> {
    check_member(round, member)?;
    if report.is_zero() {
        return Err(EmptyReport {}.into());
    }
    let old = round.votes.get(member);
    if round.processing {
        return if old == 0 {
            Ok(VoteOutcome::Ignored)
        } else {
            Err(ConsensusReportAlreadyProcessing {}.into())
        };
    }

    let mut tally = round.votes.tally();
    // A live variant with this hash?
    let mut found = 0;
    for v in 1..=MAX_VARIANTS {
        if tally[nib(v)] != 0 && variants.hash(v) == report {
            found = v;
            break;
        }
    }
    if found != 0 && found == old {
        return Err(DuplicateReport {}.into());
    }
    let (variant, new_variant) = if found != 0 {
        (found, None)
    } else {
        // The lowest index nobody else votes (the member's own old index counts as free).
        let free = (1..=MAX_VARIANTS).find(|&v| tally[nib(v)] == u8::from(v == old));
        match free {
            Some(v) => (v, Some((v, report))),
            None => {
                return Err(TooManyReportVariants { max: U256::from(MAX_VARIANTS) }.into());
            }
        }
    };

    round.votes.set(member, variant);
    tally[nib(old)] -= 1;
    tally[nib(variant)] += 1;
    let support = tally[nib(variant)];

    // A new hash at the consensus index means the agreed hash itself moved away.
    let was = round.consensus_variant;
    let replaced = new_variant.is_some() && variant == was;
    let consensus = if support >= round.quorum && (variant != was || replaced) {
        round.consensus_variant = variant;
        Some(ConsensusChange::Reached { ref_slot: round.ref_slot, report, support })
    } else if was != 0 && (replaced || tally[nib(was)] < round.quorum) {
        round.consensus_variant = 0;
        Some(ConsensusChange::Lost { ref_slot: round.ref_slot })
    } else {
        None
    };
    Ok(VoteOutcome::Recorded(Recorded { variant, new_variant, support, consensus }))
}

/// Re-checks the consensus after a committee change (quorum, members): the variant with a
/// quorum, if any, becomes the consensus (`Reached` when it changed); without one a standing
/// consensus is `Lost`. Nothing moves once processing started.
pub fn reevaluate(round: &mut Round, variants: &mut impl VariantHashes) -> Option<ConsensusChange> {
    if round.processing {
        return None;
    }
    let tally = round.votes.tally();
    let best = (1..=MAX_VARIANTS).find(|&v| {
        let s = tally[nib(v)];
        s != 0 && s >= round.quorum
    });
    match best {
        Some(v) if v != round.consensus_variant => {
            round.consensus_variant = v;
            Some(ConsensusChange::Reached {
                ref_slot: round.ref_slot,
                report: variants.hash(v),
                support: tally[nib(v)],
            })
        }
        None if round.consensus_variant != 0 => {
            round.consensus_variant = 0;
            Some(ConsensusChange::Lost { ref_slot: round.ref_slot })
        }
        // The same consensus, or still none.
        _ => None,
    }
}

/// Rolls the round to a new frame: clears the votes, the consensus and the processing bit and
/// writes the frame's times and fast-lane start. Returns the old reference slot when its frame
/// ended with a consensus that was never processed (`WarnProcessingMissed(refSlot)`).
///
/// The caller rolls only when the frame changed (`now > round.deadline` and a different
/// reference slot); the committee copies (quorum, members, version) are kept.
pub fn reset_for_frame(round: &mut Round, times: &RoundTimes) -> Option<u32> {
    let missed = (round.consensus_variant != 0 && !round.processing && round.ref_slot != 0)
        .then_some(round.ref_slot);
    round.ref_slot = times.ref_slot;
    round.deadline = times.deadline;
    round.fast_lane_end = times.fast_lane_end;
    round.fast_lane_start = times.fast_lane_start;
    round.consensus_variant = 0;
    round.processing = false;
    round.votes = crate::storage::Votes::default();
    missed
}

/// `submitReportData` accepted: marks processing started, after which the consensus is final.
/// Returns the consensus variant index (the contract reads its hash to check the data).
/// Errors: `NoConsensusReportToProcess`, `RefSlotAlreadyProcessing`.
pub fn start_processing(round: &mut Round) -> Result<u8, Error> {
    if round.processing {
        return Err(RefSlotAlreadyProcessing {}.into());
    }
    if round.consensus_variant == 0 {
        return Err(NoConsensusReportToProcess {}.into());
    }
    round.processing = true;
    Ok(round.consensus_variant)
}

/// The quorum must exceed half the members: `QuorumTooSmall(members / 2 + 1, quorum)`. A
/// quorum above the member count is allowed (it disables consensus).
pub fn check_quorum(members: u8, quorum: u8) -> Result<(), Error> {
    if quorum <= members / 2 {
        return Err(QuorumTooSmall {
            minQuorum: U256::from(members / 2 + 1),
            quorum: U256::from(quorum),
        }
        .into());
    }
    Ok(())
}

/// Adds a member at index `members` with the new `quorum` and the frame's recomputed fast-lane
/// start (`frames::fast_lane_start(frameIndex, members + 1)`). Returns its index and the
/// consensus change. Errors: `TooManyMembers(30)`, `QuorumTooSmall`.
pub fn add_member(
    round: &mut Round,
    variants: &mut impl VariantHashes,
    quorum: u8,
    fast_lane_start: u8,
) -> Result<(u8, Option<ConsensusChange>), Error> {
    if round.members >= MAX_MEMBERS {
        return Err(TooManyMembers { max: U256::from(MAX_MEMBERS) }.into());
    }
    let members = round.members + 1;
    check_quorum(members, quorum)?;
    let index = round.members;
    round.votes.set(index, 0);
    round.members = members;
    round.quorum = quorum;
    round.fast_lane_start = fast_lane_start;
    Ok((index, reevaluate(round, variants)))
}

/// Removes member `index` with the new `quorum` and fast-lane start: the last member's nibble
/// moves into the freed index, so the removed member's vote is cancelled; then the consensus is
/// re-checked. Once processing started the consensus stays as it is (the removed vote only
/// leaves the counts). Errors: `MemberIndexOutOfRange`, `QuorumTooSmall`.
pub fn remove_member(
    round: &mut Round,
    variants: &mut impl VariantHashes,
    index: u8,
    quorum: u8,
    fast_lane_start: u8,
) -> Result<Removal, Error> {
    check_member(round, index)?;
    let last = round.members - 1;
    check_quorum(last, quorum)?;
    let moved = round.votes.get(last);
    round.votes.set(index, moved);
    round.votes.set(last, 0);
    round.members = last;
    round.quorum = quorum;
    round.fast_lane_start = fast_lane_start;
    Ok(Removal {
        moved_from: (index != last).then_some(last),
        consensus: reevaluate(round, variants),
    })
}

/// `setQuorum`: checks it against the member count, stores it and re-checks the consensus.
pub fn set_quorum(
    round: &mut Round,
    variants: &mut impl VariantHashes,
    quorum: u8,
) -> Result<Option<ConsensusChange>, Error> {
    check_quorum(round.members, quorum)?;
    round.quorum = quorum;
    Ok(reevaluate(round, variants))
}

/// `disableConsensus`: sets the unreachable quorum (no check) and re-checks, so a standing
/// consensus is lost.
pub fn disable_consensus(
    round: &mut Round,
    variants: &mut impl VariantHashes,
) -> Option<ConsensusChange> {
    round.quorum = crate::storage::UNREACHABLE_QUORUM;
    reevaluate(round, variants)
}

/// A variant index as an index of the 16-entry tally. Variants are nibbles, so the mask
/// changes nothing; it lets the compiler drop the bounds check and its panic message, which
/// would cost data-segment bytes (gas) on every call.
fn nib(variant: u8) -> usize {
    usize::from(variant & 0xF)
}

fn check_member(round: &Round, member: u8) -> Result<(), Error> {
    if member >= round.members {
        return Err(MemberIndexOutOfRange {
            index: U256::from(member),
            members: U256::from(round.members),
        }
        .into());
    }
    Ok(())
}
