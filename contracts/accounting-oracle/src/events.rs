//! The oracle's events: the `event`s of `abi/IAccountingOracle.sol` (Lido's HashConsensus /
//! BaseOracle signatures), logged by the functions `staking_interface::interface!` generates
//! ([`emit`]); every state change emits one. The pure functions return what must be emitted
//! ([`crate::consensus::ConsensusChange`], the missed reference slot of
//! [`crate::consensus::reset_for_frame`]); the helpers below log those outcomes when there is
//! one.

use alloy_primitives::U256;

use crate::consensus::ConsensusChange;

pub use crate::interface::abi::IAccountingOracle::{
    ConsensusLost, ConsensusReached, ConsensusVersionSet, FastLaneConfigSet, FrameConfigSet,
    Initialized, MemberAdded, MemberRemoved, QuorumSet, ReportReceived, WarnProcessingMissed,
};
pub(crate) use crate::interface::emit;

/// `ConsensusReached` / `ConsensusLost`, if the consensus changed.
pub(crate) fn consensus(change: Option<ConsensusChange>) {
    match change {
        Some(ConsensusChange::Reached { ref_slot, report, support }) => {
            emit::ConsensusReached(ref_slot, report, support);
        }
        Some(ConsensusChange::Lost { ref_slot }) => emit::ConsensusLost(ref_slot),
        None => {}
    }
}

/// `WarnProcessingMissed(refSlot indexed)`, if a frame rolled over an unprocessed consensus.
pub(crate) fn missed(ref_slot: Option<u32>) {
    if let Some(slot) = ref_slot {
        emit::WarnProcessingMissed(slot);
    }
}

/// `QuorumSet(newQuorum, totalMembers, prevQuorum)`, when the quorum changed.
pub(crate) fn quorum_set(quorum: u8, members: u8, prev: u8) {
    if quorum != prev {
        emit::QuorumSet(quorum, members, prev);
    }
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
    use alloy_primitives::B256;

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
