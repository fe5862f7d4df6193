//! The oracle's errors for the frame and vote logic: one `sol!` error per failure (Lido's
//! HashConsensus names), each carrying what a caller needs to act on it. Every error is raised
//! before anything is written, so the call that meets it changes nothing.
//!
//! [`Error`] has one variant per `sol!` error, named after it, as in the registry. Revert-data
//! encoding (`From<Error> for Vec<u8>` through `staking_common::abi::encode_error`) joins the
//! macro with the entry points; until then the selectors come from the `sol!` types.
#![allow(missing_docs)]

use alloy_sol_types::sol;

sol! {
    /// The current epoch is before the frame config's initial epoch (or the chain has not
    /// started): there is no frame yet.
    #[derive(Debug, PartialEq, Eq)]
    error InitialEpochIsYetToArrive(uint256 initialEpoch, uint256 epoch);
    /// A frame config with zero epochs per frame.
    #[derive(Debug, PartialEq, Eq)]
    error EpochsPerFrameCannotBeZero();
    /// The fast lane (in slots) must not be longer than a frame (in slots).
    #[derive(Debug, PartialEq, Eq)]
    error FastLanePeriodCannotBeLongerThanFrame(uint256 fastLane, uint256 frameSlots);
    /// Seconds per slot or slots per epoch is zero or does not fit 16 bits.
    #[derive(Debug, PartialEq, Eq)]
    error InvalidChainConfig();
    /// A value does not fit its packed field (a frame or time beyond the layout's range).
    #[derive(Debug, PartialEq, Eq)]
    error MathOverflow();
    /// The report hash is zero.
    #[derive(Debug, PartialEq, Eq)]
    error EmptyReport();
    /// A vote for a slot that is not the current frame's reference slot (or slot 0).
    #[derive(Debug, PartialEq, Eq)]
    error InvalidRefSlot(uint256 expected, uint256 received);
    /// A vote under another consensus version.
    #[derive(Debug, PartialEq, Eq)]
    error UnexpectedConsensusVersion(uint256 expected, uint256 received);
    /// A vote after the frame's last slot.
    #[derive(Debug, PartialEq, Eq)]
    error StaleReport(uint256 refSlot, uint256 deadline);
    /// A member outside this frame's fast lane voted before the fast lane ended.
    #[derive(Debug, PartialEq, Eq)]
    error NonFastLaneMemberCannotReportWithinFastLaneInterval();
    /// The member votes the hash it already votes.
    #[derive(Debug, PartialEq, Eq)]
    error DuplicateReport();
    /// Processing of the frame's report started and this member had voted: its vote is final.
    #[derive(Debug, PartialEq, Eq)]
    error ConsensusReportAlreadyProcessing();
    /// Every variant index holds a hash someone else votes (see the crate doc for why such a
    /// hash could not reach quorum).
    #[derive(Debug, PartialEq, Eq)]
    error TooManyReportVariants(uint256 max);
    /// The committee already has the maximum number of members.
    #[derive(Debug, PartialEq, Eq)]
    error TooManyMembers(uint256 max);
    /// The quorum must exceed half the members.
    #[derive(Debug, PartialEq, Eq)]
    error QuorumTooSmall(uint256 minQuorum, uint256 quorum);
    /// A member index at or past the member count (a caller bug: the contract maps addresses
    /// to indices and reports `NonMember(address)` itself).
    #[derive(Debug, PartialEq, Eq)]
    error MemberIndexOutOfRange(uint256 index, uint256 members);
    /// Report data without a consensus for the current frame.
    #[derive(Debug, PartialEq, Eq)]
    error NoConsensusReportToProcess();
    /// Processing of the frame's report has already started.
    #[derive(Debug, PartialEq, Eq)]
    error RefSlotAlreadyProcessing();
}

/// Declares [`Error`] with one variant per `sol!` error (named after it), a `From` for each,
/// and the selector of each. The listed fields are the ABI words of the revert data, in order
/// (used by the encoder that comes with the entry points).
macro_rules! errors {
    ($($name:ident { $($field:ident),* }),* $(,)?) => {
        /// Every way a frame or vote computation can fail.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Error {
            $($name($name),)*
        }

        $(impl From<$name> for Error {
            fn from(e: $name) -> Self {
                Error::$name(e)
            }
        })*

        impl Error {
            /// The 4-byte selector of the `sol!` error.
            pub fn selector(&self) -> [u8; 4] {
                use alloy_sol_types::SolError;
                match self {
                    $(Error::$name(_) => $name::SELECTOR,)*
                }
            }
        }
    };
}

errors! {
    InitialEpochIsYetToArrive { initialEpoch, epoch },
    EpochsPerFrameCannotBeZero {},
    FastLanePeriodCannotBeLongerThanFrame { fastLane, frameSlots },
    InvalidChainConfig {},
    MathOverflow {},
    EmptyReport {},
    InvalidRefSlot { expected, received },
    UnexpectedConsensusVersion { expected, received },
    StaleReport { refSlot, deadline },
    NonFastLaneMemberCannotReportWithinFastLaneInterval {},
    DuplicateReport {},
    ConsensusReportAlreadyProcessing {},
    TooManyReportVariants { max },
    TooManyMembers { max },
    QuorumTooSmall { minQuorum, quorum },
    MemberIndexOutOfRange { index, members },
    NoConsensusReportToProcess {},
    RefSlotAlreadyProcessing {},
}

/// `MathOverflow`: a value does not fit its field.
pub(crate) fn overflow() -> Error {
    Error::MathOverflow(MathOverflow {})
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{keccak256, U256};

    use super::*;

    #[test]
    fn selectors_are_those_of_the_solidity_signatures() {
        let cases: [(Error, &str); 4] = [
            (
                FastLanePeriodCannotBeLongerThanFrame {
                    fastLane: U256::ZERO,
                    frameSlots: U256::ZERO,
                }
                .into(),
                "FastLanePeriodCannotBeLongerThanFrame(uint256,uint256)",
            ),
            (
                QuorumTooSmall { minQuorum: U256::ZERO, quorum: U256::ZERO }.into(),
                "QuorumTooSmall(uint256,uint256)",
            ),
            (DuplicateReport {}.into(), "DuplicateReport()"),
            (
                InitialEpochIsYetToArrive { initialEpoch: U256::ZERO, epoch: U256::ZERO }.into(),
                "InitialEpochIsYetToArrive(uint256,uint256)",
            ),
        ];
        for (err, sig) in cases {
            assert_eq!(err.selector(), keccak256(sig)[..4], "{sig}");
        }
    }
}
