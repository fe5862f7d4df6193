//! The constructor: once (the SDK guard word), non-zero admin, grants `DEFAULT_ADMIN_ROLE`.

use alloy_primitives::Address;
use motsu::prelude::*;
use staking_common::roles::{
    DEFAULT_ADMIN_ROLE, GUARDIAN_ROLE, PAUSE_ROLE, RESUME_ROLE, STAKING_CONTROL_ROLE,
};

use super::{init, log_count};
use crate::{
    errors::{AccessControlUnauthorizedAccount, AlreadyInitialized, Error, InvalidAdmin},
    events::RoleGranted,
    AccessManager,
};

const ALL_ROLES: [alloy_primitives::B256; 5] =
    [DEFAULT_ADMIN_ROLE, GUARDIAN_ROLE, PAUSE_ROLE, RESUME_ROLE, STAKING_CONTROL_ROLE];

#[motsu::test]
fn constructor_grants_the_default_admin_role(
    contract: Contract<AccessManager>,
    deployer: Address,
    admin: Address,
) {
    contract.sender(deployer).constructor(admin).unwrap();
    assert!(contract.sender(deployer).has_role(DEFAULT_ADMIN_ROLE, admin));
    assert!(!contract.sender(deployer).has_role(DEFAULT_ADMIN_ROLE, deployer));
    contract.assert_emitted(&RoleGranted {
        role: DEFAULT_ADMIN_ROLE,
        account: admin,
        sender: deployer,
    });
    assert_eq!(log_count(&contract), 1);
    // Only the default admin role: the others are granted explicitly.
    for role in &ALL_ROLES[1..] {
        assert!(!contract.sender(deployer).has_role(*role, admin));
    }
}

#[motsu::test]
fn constructor_runs_only_once(
    contract: Contract<AccessManager>,
    admin: Address,
    attacker: Address,
) {
    init(&contract, admin);
    let err = contract.sender(attacker).constructor(attacker).unwrap_err();
    assert_eq!(err, Error::AlreadyInitialized(AlreadyInitialized {}));
    assert!(!contract.sender(attacker).has_role(DEFAULT_ADMIN_ROLE, attacker));
    assert!(contract.sender(attacker).has_role(DEFAULT_ADMIN_ROLE, admin));
    assert_eq!(log_count(&contract), 1);
    // Not even the admin can re-run it.
    let err = contract.sender(admin).constructor(admin).unwrap_err();
    assert_eq!(err, Error::AlreadyInitialized(AlreadyInitialized {}));
}

#[motsu::test]
fn constructor_rejects_the_zero_admin(contract: Contract<AccessManager>, deployer: Address) {
    let err = contract.sender(deployer).constructor(Address::ZERO).unwrap_err();
    assert_eq!(err, Error::InvalidAdmin(InvalidAdmin { admin: Address::ZERO }));
    assert!(!contract.sender(deployer).has_role(DEFAULT_ADMIN_ROLE, Address::ZERO));
    assert_eq!(log_count(&contract), 0);
    // The failed call did not mark the contract initialized.
    contract.sender(deployer).constructor(deployer).unwrap();
    assert!(contract.sender(deployer).has_role(DEFAULT_ADMIN_ROLE, deployer));
}

#[motsu::test]
fn nobody_holds_a_role_before_initialize(contract: Contract<AccessManager>, alice: Address) {
    for role in ALL_ROLES {
        assert!(!contract.sender(alice).has_role(role, alice));
        assert!(!contract.sender(alice).has_role(role, Address::ZERO));
    }
    let err = contract.sender(alice).grant_role(PAUSE_ROLE, alice).unwrap_err();
    assert_eq!(
        err,
        Error::AccessControlUnauthorizedAccount(AccessControlUnauthorizedAccount {
            account: alice,
            neededRole: DEFAULT_ADMIN_ROLE,
        })
    );
    assert!(!contract.sender(alice).has_role(PAUSE_ROLE, alice));
}
