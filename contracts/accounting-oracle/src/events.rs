//! The events of the vote logic (Lido's HashConsensus / BaseOracle signatures). The pure
//! functions return what must be emitted ([`crate::consensus::ConsensusChange`], the missed
//! reference slot of [`crate::consensus::reset_for_frame`]); the contract logs it by hand from
//! the words, as the other contracts do, once the entry points exist.
#![allow(missing_docs)]

#[cfg(test)]
use alloy_primitives::B256;
use alloy_primitives::U256;
use alloy_sol_types::sol;

use crate::consensus::ConsensusChange;

sol! {
    /// A member voted `report` for `refSlot`.
    #[derive(Debug, PartialEq, Eq)]
    event ReportReceived(uint256 indexed refSlot, address indexed member, bytes32 report);
    /// `report` gathered `support >= quorum` votes for `refSlot` (emitted when the agreed hash
    /// changes, not on every further vote for it).
    #[derive(Debug, PartialEq, Eq)]
    event ConsensusReached(uint256 indexed refSlot, bytes32 report, uint256 support);
    /// The agreed hash for `refSlot` fell below quorum before processing started.
    #[derive(Debug, PartialEq, Eq)]
    event ConsensusLost(uint256 indexed refSlot);
    /// The frame of `refSlot` ended with a consensus whose data was never processed.
    #[derive(Debug, PartialEq, Eq)]
    event WarnProcessingMissed(uint256 indexed refSlot);
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
