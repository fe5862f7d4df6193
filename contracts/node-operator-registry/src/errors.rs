//! The registry's errors: the `error`s of `abi/INodeOperatorRegistry.sol`, one per failure, each
//! carrying what a caller needs to act on it. Every error leaves state unchanged: the whole call
//! reverts.
//!
//! Encoded to revert data by hand ([`staking_common::abi`]) rather than by
//! `derive(SolidityError)`, which costs kilobytes of wasm; a test checks every variant against
//! alloy's encoding.
#![allow(missing_docs)]

use staking_math::MathError;

pub use crate::abi::INodeOperatorRegistry::{
    AccessDenied, AlreadyInitialized, ArrayLengthMismatch, DepositsArePaused, DepositsNotPaused,
    GuardianExists, InvalidAddress, InvalidBlockHash, InvalidDepositData, InvalidExitedCount,
    InvalidExtension, InvalidGuardianSignature, InvalidKeyBatch, InvalidKeyCount, InvalidKeyProof,
    InvalidKeyRemoval, InvalidKeysData, InvalidOperatorName, InvalidQuorum, InvalidVettedLimit,
    MathOverflow, NoRewards, NotEnoughDepositableKeys, NotEnoughGuardianSignatures, NotGuardian,
    NotInitialized, NotOperatorManager, NotPool, OperatorActiveUnchanged, OperatorNotFound,
    PauseIntentBeforeResume, ReentrantCall, StaleDepositRoot, StaleNonce, StalePauseIntent,
    TooManyGuardians, TooManyKeyBatches, TooManyOperators,
};

staking_common::contract_errors! {
    "a registry";
    AlreadyInitialized {},
    InvalidExtension { extension },
    NotInitialized {},
    InvalidAddress {},
    ReentrantCall {},
    MathOverflow {},
    OperatorNotFound { operatorId },
    TooManyOperators { max },
    InvalidOperatorName { length },
    OperatorActiveUnchanged { operatorId, active },
    NotOperatorManager { caller, operatorId },
    InvalidKeysData { pubkeysLength, signaturesLength },
    InvalidKeyCount { count },
    TooManyKeyBatches { operatorId },
    InvalidVettedLimit { operatorId, limit, deposited, submitted },
    InvalidKeyRemoval { operatorId, fromIndex, deposited, submitted },
    InvalidKeyBatch { operatorId, batch },
    InvalidExitedCount { operatorId, exited, current, deposited },
    ArrayLengthMismatch { ids, counts },
    NotPool { caller },
    InvalidDepositData {},
    NotEnoughDepositableKeys { requested, available },
    InvalidKeyProof { operatorId, keyIndex },
    DepositsArePaused {},
    DepositsNotPaused {},
    StaleNonce { attested, current },
    StaleDepositRoot { attested, current },
    InvalidBlockHash { blockNumber, blockHash },
    NotEnoughGuardianSignatures { given, quorum },
    InvalidGuardianSignature { index },
    GuardianExists { guardian },
    NotGuardian { account },
    TooManyGuardians { max },
    InvalidQuorum { quorum, guardians },
    StalePauseIntent { blockNumber, current },
    PauseIntentBeforeResume { blockNumber, resumedAt },
    NoRewards { operatorId },
}

impl From<MathError> for Error {
    fn from(_: MathError) -> Self {
        Error::MathOverflow(MathOverflow {})
    }
}

/// `MathOverflow`.
pub(crate) fn overflow() -> Error {
    Error::MathOverflow(MathOverflow {})
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{Address, B256, U256};
    use alloy_sol_types::SolError;

    use super::*;

    #[allow(clippy::needless_pass_by_value, reason = "the error is cloned into the wrapper")]
    fn same<E: SolError + Clone>(e: E, wrap: fn(E) -> Error) {
        assert_eq!(Vec::<u8>::from(wrap(e.clone())), e.abi_encode());
    }

    #[test]
    fn hand_encoding_matches_alloy_for_every_shape() {
        let (a, n, m, b) =
            (Address::repeat_byte(7), U256::from(5), U256::MAX, B256::repeat_byte(9));
        same(AlreadyInitialized {}, Error::AlreadyInitialized);
        same(OperatorNotFound { operatorId: n }, Error::OperatorNotFound);
        same(
            OperatorActiveUnchanged { operatorId: n, active: true },
            Error::OperatorActiveUnchanged,
        );
        same(NotOperatorManager { caller: a, operatorId: m }, Error::NotOperatorManager);
        same(
            InvalidVettedLimit { operatorId: n, limit: m, deposited: n, submitted: m },
            Error::InvalidVettedLimit,
        );
        same(StaleDepositRoot { attested: b, current: B256::ZERO }, Error::StaleDepositRoot);
        same(InvalidBlockHash { blockNumber: n, blockHash: b }, Error::InvalidBlockHash);
        same(
            AccessDenied { caller: a, role: b, reason: vec![1, 2, 3].into() },
            Error::AccessDenied,
        );
        assert_eq!(Vec::<u8>::from(Error::Callee(vec![4, 5])), vec![4, 5]);
    }
}
