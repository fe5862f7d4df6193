//! The generated revert data of every `Error` variant is alloy's encoding of the `sol!`
//! error, and decodes back to the same error through the interface's error enum.

use alloy_sol_types::{SolError, SolInterface};

use super::*;
use crate::{abi::INodeOperatorRegistry::INodeOperatorRegistryErrors as Errors, errors::*};

/// Fails to compile when a variant is added without a line in the test below.
fn listed(e: &Error) -> &'static str {
    match e {
        Error::AlreadyInitialized(_) => "AlreadyInitialized",
        Error::InvalidExtension(_) => "InvalidExtension",
        Error::NotInitialized(_) => "NotInitialized",
        Error::InvalidAddress(_) => "InvalidAddress",
        Error::ReentrantCall(_) => "ReentrantCall",
        Error::MathOverflow(_) => "MathOverflow",
        Error::OperatorNotFound(_) => "OperatorNotFound",
        Error::TooManyOperators(_) => "TooManyOperators",
        Error::InvalidOperatorName(_) => "InvalidOperatorName",
        Error::OperatorActiveUnchanged(_) => "OperatorActiveUnchanged",
        Error::NotOperatorManager(_) => "NotOperatorManager",
        Error::InvalidKeysData(_) => "InvalidKeysData",
        Error::TooManyKeyBatches(_) => "TooManyKeyBatches",
        Error::InvalidVettedLimit(_) => "InvalidVettedLimit",
        Error::InvalidKeyRemoval(_) => "InvalidKeyRemoval",
        Error::InvalidKeyBatch(_) => "InvalidKeyBatch",
        Error::InvalidExitedCount(_) => "InvalidExitedCount",
        Error::ArrayLengthMismatch(_) => "ArrayLengthMismatch",
        Error::NotPool(_) => "NotPool",
        Error::InvalidKeyCount(_) => "InvalidKeyCount",
        Error::InvalidDepositData(_) => "InvalidDepositData",
        Error::NotEnoughDepositableKeys(_) => "NotEnoughDepositableKeys",
        Error::InvalidKeyProof(_) => "InvalidKeyProof",
        Error::DepositsArePaused(_) => "DepositsArePaused",
        Error::DepositsNotPaused(_) => "DepositsNotPaused",
        Error::TooManyKeys(_) => "TooManyKeys",
        Error::InvalidWithdrawalCredentials(_) => "InvalidWithdrawalCredentials",
        Error::GuardianExists(_) => "GuardianExists",
        Error::NotGuardian(_) => "NotGuardian",
        Error::TooManyGuardians(_) => "TooManyGuardians",
        Error::StalePauseIntent(_) => "StalePauseIntent",
        Error::PauseIntentBeforeResume(_) => "PauseIntentBeforeResume",
        Error::NoRewards(_) => "NoRewards",
        Error::InvalidExitRequestsData(_) => "InvalidExitRequestsData",
        Error::KeyNotExitable(_) => "KeyNotExitable",
        Error::TooManyForcedExits(_) => "TooManyForcedExits",
        Error::InvalidExitDeadlines(_) => "InvalidExitDeadlines",
        Error::AccessDenied(_) => "AccessDenied",
        Error::Callee(_) => "Callee",
    }
}

/// The encoding of `wrap(e)` is `e.abi_encode()` and decodes back to `e`.
fn same<E>(e: E, wrap: fn(E) -> Error, into: fn(E) -> Errors) -> &'static str
where
    E: SolError + Clone + core::fmt::Debug,
{
    let err = wrap(e.clone());
    let name = listed(&err);
    let bytes = Vec::<u8>::from(err);
    assert_eq!(bytes, e.abi_encode(), "{name}");
    assert_eq!(bytes[..4], E::SELECTOR, "{name}");
    assert_eq!(Errors::abi_decode(&bytes, true).expect(name), into(e), "{name}");
    name
}

#[test]
fn every_variant_encodes_as_alloy_does() {
    // Distinct, full-width values, so a swapped or truncated field shows.
    let (alice, bob) = (Address::repeat_byte(0xa1), Address::repeat_byte(0xb2));
    let hash = B256::repeat_byte(0xc3);
    let n = |k: u8| U256::from_be_bytes([k; 32]);
    let names = [
        same(AlreadyInitialized {}, Error::AlreadyInitialized, Errors::AlreadyInitialized),
        same(
            InvalidExtension { extension: alice },
            Error::InvalidExtension,
            Errors::InvalidExtension,
        ),
        same(NotInitialized {}, Error::NotInitialized, Errors::NotInitialized),
        same(InvalidAddress {}, Error::InvalidAddress, Errors::InvalidAddress),
        same(ReentrantCall {}, Error::ReentrantCall, Errors::ReentrantCall),
        same(MathOverflow {}, Error::MathOverflow, Errors::MathOverflow),
        same(
            OperatorNotFound { operatorId: n(1) },
            Error::OperatorNotFound,
            Errors::OperatorNotFound,
        ),
        same(TooManyOperators { max: n(2) }, Error::TooManyOperators, Errors::TooManyOperators),
        same(
            InvalidOperatorName { length: n(3) },
            Error::InvalidOperatorName,
            Errors::InvalidOperatorName,
        ),
        same(
            OperatorActiveUnchanged { operatorId: n(4), active: true },
            Error::OperatorActiveUnchanged,
            Errors::OperatorActiveUnchanged,
        ),
        same(
            NotOperatorManager { caller: alice, operatorId: n(5) },
            Error::NotOperatorManager,
            Errors::NotOperatorManager,
        ),
        same(
            InvalidKeysData { pubkeysLength: n(6), signaturesLength: n(7) },
            Error::InvalidKeysData,
            Errors::InvalidKeysData,
        ),
        same(
            TooManyKeyBatches { operatorId: n(8) },
            Error::TooManyKeyBatches,
            Errors::TooManyKeyBatches,
        ),
        same(
            InvalidVettedLimit {
                operatorId: n(9),
                limit: n(10),
                deposited: n(11),
                submitted: n(12),
            },
            Error::InvalidVettedLimit,
            Errors::InvalidVettedLimit,
        ),
        same(
            InvalidKeyRemoval {
                operatorId: n(13),
                fromIndex: n(14),
                deposited: n(15),
                submitted: n(16),
            },
            Error::InvalidKeyRemoval,
            Errors::InvalidKeyRemoval,
        ),
        same(
            InvalidKeyBatch { operatorId: n(17), batch: n(18) },
            Error::InvalidKeyBatch,
            Errors::InvalidKeyBatch,
        ),
        same(
            InvalidExitedCount {
                operatorId: n(19),
                exited: n(20),
                current: n(21),
                deposited: n(22),
            },
            Error::InvalidExitedCount,
            Errors::InvalidExitedCount,
        ),
        same(
            ArrayLengthMismatch { ids: n(23), counts: n(24) },
            Error::ArrayLengthMismatch,
            Errors::ArrayLengthMismatch,
        ),
        same(NotPool { caller: bob }, Error::NotPool, Errors::NotPool),
        same(InvalidKeyCount { count: n(25) }, Error::InvalidKeyCount, Errors::InvalidKeyCount),
        same(InvalidDepositData {}, Error::InvalidDepositData, Errors::InvalidDepositData),
        same(
            NotEnoughDepositableKeys { requested: n(27), available: n(28) },
            Error::NotEnoughDepositableKeys,
            Errors::NotEnoughDepositableKeys,
        ),
        same(
            InvalidKeyProof { operatorId: n(29), keyIndex: n(30) },
            Error::InvalidKeyProof,
            Errors::InvalidKeyProof,
        ),
        same(DepositsArePaused {}, Error::DepositsArePaused, Errors::DepositsArePaused),
        same(DepositsNotPaused {}, Error::DepositsNotPaused, Errors::DepositsNotPaused),
        same(TooManyKeys { count: n(31), max: n(32) }, Error::TooManyKeys, Errors::TooManyKeys),
        same(
            InvalidWithdrawalCredentials { credentials: hash },
            Error::InvalidWithdrawalCredentials,
            Errors::InvalidWithdrawalCredentials,
        ),
        same(GuardianExists { guardian: alice }, Error::GuardianExists, Errors::GuardianExists),
        same(NotGuardian { account: bob }, Error::NotGuardian, Errors::NotGuardian),
        same(TooManyGuardians { max: n(37) }, Error::TooManyGuardians, Errors::TooManyGuardians),
        same(
            StalePauseIntent { blockNumber: n(40), current: n(41) },
            Error::StalePauseIntent,
            Errors::StalePauseIntent,
        ),
        same(
            PauseIntentBeforeResume { blockNumber: n(43), resumedAt: n(44) },
            Error::PauseIntentBeforeResume,
            Errors::PauseIntentBeforeResume,
        ),
        same(NoRewards { operatorId: n(42) }, Error::NoRewards, Errors::NoRewards),
        same(
            InvalidExitRequestsData { index: n(57) },
            Error::InvalidExitRequestsData,
            Errors::InvalidExitRequestsData,
        ),
        same(
            KeyNotExitable { operatorId: n(1), keyIndex: n(9) },
            Error::KeyNotExitable,
            Errors::KeyNotExitable,
        ),
        same(
            TooManyForcedExits { count: n(101), max: n(100) },
            Error::TooManyForcedExits,
            Errors::TooManyForcedExits,
        ),
        same(
            InvalidExitDeadlines { exitDeadline: n(1), forceDeadline: n(2) },
            Error::InvalidExitDeadlines,
            Errors::InvalidExitDeadlines,
        ),
    ];
    // Every variant but the two with dynamic data, once each.
    let mut sorted = names.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), 37);
}

#[test]
fn access_denied_carries_the_managers_revert_data_of_any_length() {
    let (caller, role) = (Address::repeat_byte(0xa1), B256::repeat_byte(0x0e));
    for len in [0usize, 1, 31, 32, 33, 64, 100] {
        let reason: Vec<u8> = (0..len).map(|i| i as u8 ^ 0x5a).collect();
        let e = AccessDenied { caller, role, reason };
        let err = Error::AccessDenied(e.clone());
        assert_eq!(listed(&err), "AccessDenied");
        let bytes = Vec::<u8>::from(err);
        assert_eq!(bytes, e.abi_encode(), "reason of {len} bytes");
        assert_eq!(bytes[..4], AccessDenied::SELECTOR, "reason of {len} bytes");
        assert_eq!(
            Errors::abi_decode(&bytes, true).expect("decodes"),
            Errors::AccessDenied(e.to_sol()),
            "reason of {len} bytes"
        );
    }
}

#[test]
fn a_callees_revert_data_passes_through_unchanged() {
    for data in [
        vec![],
        vec![1],
        MockUnauthorized { account: Address::ZERO, role: B256::ZERO }.abi_encode(),
    ] {
        assert_eq!(Vec::<u8>::from(Error::Callee(data.clone())), data);
    }
    assert_eq!(listed(&Error::Callee(vec![])), "Callee");
}

#[test]
fn errors_are_reported_with_the_values_of_the_failed_call() {
    // The `denied` helper wraps the manager's revert exactly as the registry does.
    let (caller, role) = (Address::repeat_byte(3), OPERATOR_MANAGER_ROLE);
    let Error::AccessDenied(e) = denied(caller, role) else { panic!("AccessDenied") };
    assert_eq!((e.caller, e.role), (caller, role));
    assert_eq!(
        MockUnauthorized::abi_decode(&e.reason, true).unwrap(),
        MockUnauthorized { account: caller, role }
    );
}
