//! The oracle's events (declared in `abi/IAccountingOracle.sol`, Lido's HashConsensus /
//! BaseOracle signatures): every state change emits one. The pure functions return what must
//! be emitted ([`crate::consensus::ConsensusChange`], the missed reference slot of
//! [`crate::consensus::reset_for_frame`]); the contract logs it by hand from the words
//! ([`staking_common::host::log_words`]), without alloy's encoder, as the other contracts do.
#![allow(missing_docs)]

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::SolEvent;
use staking_common::{abi::Word, host::log_words};

use crate::consensus::ConsensusChange;

pub use crate::abi::IAccountingOracle::{
    ConsensusLost, ConsensusReached, ConsensusVersionSet, FastLaneConfigSet, FrameConfigSet,
    Initialized, MemberAdded, MemberRemoved, QuorumSet, ReportReceived, WarnProcessingMissed,
};

/// A small number as an ABI word.
fn w(x: u64) -> B256 {
    U256::from(x).word()
}

/// `Initialized(accessManager, extension)`.
pub(crate) fn initialized(manager: Address, extension: Address) {
    log_words(&[Initialized::SIGNATURE_HASH], &[manager.word(), extension.word()]);
}

/// `ReportReceived(refSlot indexed, member indexed, report)`.
pub(crate) fn report_received(ref_slot: u32, member: Address, report: B256) {
    log_words(&[ReportReceived::SIGNATURE_HASH, w(ref_slot.into()), member.word()], &[report]);
}

/// `ConsensusReached` / `ConsensusLost`, if the consensus changed.
pub(crate) fn consensus(change: Option<ConsensusChange>) {
    match change {
        Some(ConsensusChange::Reached { ref_slot, report, support }) => log_words(
            &[ConsensusReached::SIGNATURE_HASH, w(ref_slot.into())],
            &[report, w(support.into())],
        ),
        Some(ConsensusChange::Lost { ref_slot }) => {
            log_words(&[ConsensusLost::SIGNATURE_HASH, w(ref_slot.into())], &[]);
        }
        None => {}
    }
}

/// `WarnProcessingMissed(refSlot indexed)`, if a frame rolled over an unprocessed consensus.
pub(crate) fn missed(ref_slot: Option<u32>) {
    if let Some(slot) = ref_slot {
        log_words(&[WarnProcessingMissed::SIGNATURE_HASH, w(slot.into())], &[]);
    }
}

/// `MemberAdded` / `MemberRemoved(addr indexed, newTotalMembers, newQuorum)`.
pub(crate) fn member(signature: B256, addr: Address, members: u8, quorum: u8) {
    log_words(&[signature, addr.word()], &[w(members.into()), w(quorum.into())]);
}

/// `QuorumSet(newQuorum, totalMembers, prevQuorum)`, when the quorum changed.
pub(crate) fn quorum_set(quorum: u8, members: u8, prev: u8) {
    if quorum != prev {
        log_words(
            &[QuorumSet::SIGNATURE_HASH],
            &[w(quorum.into()), w(members.into()), w(prev.into())],
        );
    }
}

/// `FrameConfigSet(newInitialEpoch, newEpochsPerFrame)`.
pub(crate) fn frame_config_set(initial_epoch: u64, epochs_per_frame: u32) {
    log_words(&[FrameConfigSet::SIGNATURE_HASH], &[w(initial_epoch), w(epochs_per_frame.into())]);
}

/// `FastLaneConfigSet(fastLaneLengthSlots)`.
pub(crate) fn fast_lane_config_set(slots: u32) {
    log_words(&[FastLaneConfigSet::SIGNATURE_HASH], &[w(slots.into())]);
}

/// `ConsensusVersionSet(version indexed, prevVersion indexed)`.
pub(crate) fn consensus_version_set(version: u8, prev: u8) {
    log_words(&[ConsensusVersionSet::SIGNATURE_HASH, w(version.into()), w(prev.into())], &[]);
}

/// The event of a consensus change.
#[derive(Debug, PartialEq, Eq)]
pub enum ConsensusEvent {
    /// `ConsensusReached`.
    Reached(ConsensusReached),
    /// `ConsensusLost`.
    Lost(ConsensusLost),
}

impl From<ConsensusChange> for ConsensusEvent {
    fn from(change: ConsensusChange) -> Self {
        match change {
            ConsensusChange::Reached { ref_slot, report, support } => {
                ConsensusEvent::Reached(ConsensusReached {
                    refSlot: U256::from(ref_slot),
                    report,
                    support: U256::from(support),
                })
            }
            ConsensusChange::Lost { ref_slot } => {
                ConsensusEvent::Lost(ConsensusLost { refSlot: U256::from(ref_slot) })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consensus_changes_become_their_events() {
        let reached = ConsensusChange::Reached {
            ref_slot: 6_479_999,
            report: B256::repeat_byte(7),
            support: 5,
        };
        assert_eq!(
            ConsensusEvent::from(reached),
            ConsensusEvent::Reached(ConsensusReached {
                refSlot: U256::from(6_479_999),
                report: B256::repeat_byte(7),
                support: U256::from(5),
            })
        );
        assert_eq!(
            ConsensusEvent::from(ConsensusChange::Lost { ref_slot: 31 }),
            ConsensusEvent::Lost(ConsensusLost { refSlot: U256::from(31) })
        );
    }
}
