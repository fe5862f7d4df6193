//! The oracle's errors: the `error`s of `abi/IAccountingOracle.sol` (Lido's HashConsensus names
//! where Lido has one), each carrying what a caller needs to act on it. Every error is raised
//! before anything is written, so the call that meets it changes nothing.
//!
//! [`Error`] has one variant per `sol!` error, named after it, as in the registry. Revert data
//! is encoded by hand ([`staking_common::abi`]) rather than by `derive(SolidityError)`, which
//! costs kilobytes of wasm; a test checks every shape against alloy's encoding.
#![allow(missing_docs)]

use alloc::vec::Vec;

use alloy_sol_types::SolError;
use staking_common::abi::{encode_error, encode_error_with_bytes, Word};

pub use crate::abi::IAccountingOracle::{
    AccessDenied, AlreadyInitialized, ConsensusReportAlreadyProcessing, DuplicateMember,
    DuplicateReport, EmptyReport, EpochsPerFrameCannotBeZero,
    FastLanePeriodCannotBeLongerThanFrame, InitialEpochIsYetToArrive, InvalidAddress,
    InvalidChainConfig, InvalidRefSlot, MathOverflow, MemberIndexOutOfRange,
    NoConsensusReportToProcess, NonFastLaneMemberCannotReportWithinFastLaneInterval, NonMember,
    NotInitialized, QuorumTooSmall, ReentrantCall, RefSlotAlreadyProcessing, StaleReport,
    TooManyMembers, TooManyReportVariants, UnexpectedConsensusVersion, VersionCannotBeSame,
};

/// Declares [`Error`] with one variant per `sol!` error (named after it), a `From` for each,
/// the selector of each and the revert data: the selector, then each listed field as one ABI
/// word.
macro_rules! errors {
    ($($name:ident { $($field:ident),* }),* $(,)?) => {
        /// Every way an oracle call can fail.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Error {
            $($name($name),)*
            /// The AccessManager refused: `reason` is its revert data.
            AccessDenied(AccessDenied),
        }

        $(impl From<$name> for Error {
            fn from(e: $name) -> Self {
                Error::$name(e)
            }
        })*

        impl Error {
            /// The 4-byte selector of the `sol!` error.
            pub fn selector(&self) -> [u8; 4] {
                match self {
                    $(Error::$name(_) => $name::SELECTOR,)*
                    Error::AccessDenied(_) => AccessDenied::SELECTOR,
                }
            }
        }

        impl From<Error> for Vec<u8> {
            fn from(err: Error) -> Vec<u8> {
                match err {
                    $(Error::$name(_e) => encode_error($name::SELECTOR, &[$(_e.$field.word()),*]),)*
                    Error::AccessDenied(e) => encode_error_with_bytes(
                        AccessDenied::SELECTOR,
                        &[e.caller.word(), e.role.word()],
                        &e.reason,
                    ),
                }
            }
        }
    };
}

errors! {
    AlreadyInitialized {},
    NotInitialized {},
    InvalidAddress {},
    ReentrantCall {},
    MathOverflow {},
    DuplicateMember { addr },
    NonMember { addr },
    InitialEpochIsYetToArrive { initialEpoch, epoch },
    EpochsPerFrameCannotBeZero {},
    FastLanePeriodCannotBeLongerThanFrame { fastLane, frameSlots },
    InvalidChainConfig {},
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
    VersionCannotBeSame {},
}

/// `MathOverflow`: a value does not fit its field.
pub(crate) fn overflow() -> Error {
    Error::MathOverflow(MathOverflow {})
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{keccak256, Address, B256, U256};

    use super::*;

    #[test]
    fn selectors_are_those_of_the_solidity_signatures() {
        let cases: [(Error, &str); 5] = [
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
            (NonMember { addr: Address::ZERO }.into(), "NonMember(address)"),
        ];
        for (err, sig) in cases {
            assert_eq!(err.selector(), keccak256(sig)[..4], "{sig}");
        }
    }

    #[allow(clippy::needless_pass_by_value, reason = "the error is cloned into the wrapper")]
    fn same<E: SolError + Clone + Into<Error>>(e: E) {
        assert_eq!(Vec::<u8>::from(e.clone().into()), e.abi_encode());
    }

    #[test]
    fn hand_encoding_matches_alloy_for_every_shape() {
        let (a, n, m, b) =
            (Address::repeat_byte(7), U256::from(5), U256::MAX, B256::repeat_byte(9));
        same(AlreadyInitialized {});
        same(NonMember { addr: a });
        same(DuplicateMember { addr: a });
        same(InvalidRefSlot { expected: n, received: m });
        same(StaleReport { refSlot: m, deadline: n });
        same(TooManyReportVariants { max: n });
        same(VersionCannotBeSame {});
        let denied = AccessDenied { caller: a, role: b, reason: vec![1, 2, 3].into() };
        assert_eq!(Vec::<u8>::from(Error::AccessDenied(denied.clone())), denied.abi_encode());
        assert_eq!(Error::AccessDenied(denied).selector(), AccessDenied::SELECTOR);
    }
}
