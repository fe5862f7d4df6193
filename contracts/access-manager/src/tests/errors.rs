//! The wasm build's compact error encoding agrees with `derive(SolidityError)` (alloy's ABI
//! encoder) for every variant.

use alloc::vec::Vec;

use alloy_primitives::{aliases::B32, Address, B256};

use crate::errors::{
    AccessControlBadConfirmation, AccessControlUnauthorizedAccount, AlreadyInitialized,
    DelayTooLong, Error, InvalidAdmin, InvalidCalldata, OperationAlreadyScheduled,
    OperationExpired, OperationNotDelayed, OperationNotReady, OperationNotScheduled,
    TimestampOverflow,
};

fn every_error() -> Vec<Error> {
    let a = Address::repeat_byte(0x11);
    let id = B256::repeat_byte(0x22);
    vec![
        Error::UnauthorizedAccount(AccessControlUnauthorizedAccount {
            account: a,
            neededRole: B256::repeat_byte(0x33),
        }),
        Error::BadConfirmation(AccessControlBadConfirmation {}),
        Error::AlreadyInitialized(AlreadyInitialized {}),
        Error::InvalidAdmin(InvalidAdmin { admin: Address::ZERO }),
        Error::DelayTooLong(DelayTooLong { delay: u32::MAX, max: 2_592_000 }),
        Error::InvalidCalldata(InvalidCalldata {}),
        Error::OperationNotScheduled(OperationNotScheduled { operationId: id }),
        Error::OperationNotReady(OperationNotReady { operationId: id, readyAt: u64::MAX }),
        Error::OperationNotDelayed(OperationNotDelayed {
            target: a,
            selector: B32::new([0xde, 0xad, 0xbe, 0xef]),
        }),
        Error::OperationAlreadyScheduled(OperationAlreadyScheduled { operationId: id }),
        Error::OperationExpired(OperationExpired { operationId: id, expiredAt: u64::MAX - 1 }),
        Error::TimestampOverflow(TimestampOverflow {}),
    ]
}

#[test]
fn compact_encoding_matches_alloy_for_every_error() {
    let errors = every_error();
    assert_eq!(errors.len(), 12, "every variant listed");
    for error in errors {
        let derived: Vec<u8> = error.clone().into();
        assert_eq!(error.clone().encode(), derived, "{error:?}");
    }
}

#[test]
fn role_errors_keep_openzeppelin_selectors() {
    use alloy_sol_types::SolError;
    use openzeppelin_stylus::access::control as oz;
    assert_eq!(
        AccessControlUnauthorizedAccount::SELECTOR,
        oz::AccessControlUnauthorizedAccount::SELECTOR
    );
    assert_eq!(AccessControlBadConfirmation::SELECTOR, oz::AccessControlBadConfirmation::SELECTOR);
}
