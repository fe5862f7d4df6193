//! The oracle's errors: the `error`s of `abi/IAccountingOracle.sol` (Lido's HashConsensus names
//! where Lido has one), each carrying what a caller needs to act on it. Every error is raised
//! before anything is written, so the call that meets it changes nothing.
//!
//! [`Error`] has one variant per `sol!` error, named after it, as in the registry. Revert data
//! is encoded by hand ([`staking_common::abi`]) rather than by `derive(SolidityError)`, which
//! costs kilobytes of wasm; a test checks every shape against alloy's encoding.
#![allow(missing_docs)]

pub use crate::abi::IAccountingOracle::{
    AccessDenied, AlreadyInitialized, ConsensusReportAlreadyProcessing, DuplicateMember,
    DuplicateReport, EmptyReport, EpochsPerFrameCannotBeZero, ExitedValidatorsLimitExceeded,
    FastLanePeriodCannotBeLongerThanFrame, IncorrectLimitValue, InitialEpochIsYetToArrive,
    InvalidAddress, InvalidChainConfig, InvalidExitedValidatorsData, InvalidExtension,
    InvalidRefSlot, MathOverflow, MemberIndexOutOfRange, NoConsensusReportToProcess,
    NonFastLaneMemberCannotReportWithinFastLaneInterval, NonMember, NotInitialized,
    ProcessingDeadlineMissed, ProtocolContractsNotSet, QuorumTooSmall, ReentrantCall,
    RefSlotAlreadyProcessing, StaleReport, TooManyExitedOperators, TooManyMembers,
    TooManyReportVariants, UnexpectedConsensusVersion, UnexpectedContractVersion,
    UnexpectedDataHash, UnexpectedRefSlot, VersionCannotBeSame,
};

staking_common::contract_errors! {
    "an oracle";
    AlreadyInitialized {},
    InvalidExtension { extension },
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
    UnexpectedContractVersion { expected, received },
    UnexpectedRefSlot { consensusRefSlot, dataRefSlot },
    UnexpectedDataHash { consensusHash, receivedHash },
    ProcessingDeadlineMissed { deadline },
    InvalidExitedValidatorsData {},
    TooManyExitedOperators { limit, count },
    ExitedValidatorsLimitExceeded { limitPerDay, exitedPerDay },
    IncorrectLimitValue { value, min, max },
    ProtocolContractsNotSet {},
}

/// `MathOverflow`: a value does not fit its field.
pub(crate) fn overflow() -> Error {
    Error::MathOverflow(MathOverflow {})
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{keccak256, Address, B256, U256};
    use alloy_sol_types::SolError;

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
        same(UnexpectedDataHash { consensusHash: b, receivedHash: B256::ZERO });
        same(UnexpectedRefSlot { consensusRefSlot: n, dataRefSlot: m });
        same(ExitedValidatorsLimitExceeded { limitPerDay: n, exitedPerDay: m });
        same(IncorrectLimitValue { value: m, min: n, max: m });
        same(ProcessingDeadlineMissed { deadline: n });
        assert_eq!(Vec::<u8>::from(Error::Callee(vec![4, 5, 6, 7, 8])), vec![4, 5, 6, 7, 8]);
        assert_eq!(Error::Callee(vec![4, 5, 6, 7, 8]).selector(), [4, 5, 6, 7]);
        assert_eq!(Error::Callee(vec![]).selector(), [0; 4]);
        let denied = AccessDenied { caller: a, role: b, reason: vec![1, 2, 3].into() };
        assert_eq!(Vec::<u8>::from(Error::AccessDenied(denied.clone())), denied.abi_encode());
        assert_eq!(Error::AccessDenied(denied).selector(), AccessDenied::SELECTOR);
    }
}
