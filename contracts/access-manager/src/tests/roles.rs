//! Roles: grant, revoke, renounce, role admins; every role of `staking_common::roles`.

use alloy_primitives::{Address, B256};
use motsu::prelude::*;
use staking_common::roles::{
    DEFAULT_ADMIN_ROLE, GUARDIAN_ROLE, PAUSE_ROLE, RESUME_ROLE, STAKING_CONTROL_ROLE,
};

use super::{init, log_count};
use crate::{
    errors::{AccessControlBadConfirmation, AccessControlUnauthorizedAccount, Error},
    events::{RoleAdminChanged, RoleGranted, RoleRevoked},
    AccessManager,
};

const ALL_ROLES: [B256; 5] =
    [DEFAULT_ADMIN_ROLE, GUARDIAN_ROLE, PAUSE_ROLE, RESUME_ROLE, STAKING_CONTROL_ROLE];

fn unauthorized(account: Address, role: B256) -> Error {
    Error::AccessControlUnauthorizedAccount(AccessControlUnauthorizedAccount {
        account,
        neededRole: role,
    })
}

#[motsu::test]
fn admin_grants_and_revokes_every_role(
    contract: Contract<AccessManager>,
    admin: Address,
    bob: Address,
) {
    init(&contract, admin);
    for role in ALL_ROLES {
        contract.sender(admin).grant_role(role, bob).unwrap();
        assert!(contract.sender(bob).has_role(role, bob));
        contract.assert_emitted(&RoleGranted { role, account: bob, sender: admin });
    }
    for role in ALL_ROLES {
        contract.sender(admin).revoke_role(role, bob).unwrap();
        assert!(!contract.sender(bob).has_role(role, bob));
        contract.assert_emitted(&RoleRevoked { role, account: bob, sender: admin });
    }
    assert!(contract.sender(admin).has_role(DEFAULT_ADMIN_ROLE, admin));
}

#[motsu::test]
fn role_admin_defaults_to_the_default_admin_role(contract: Contract<AccessManager>, bob: Address) {
    for role in ALL_ROLES {
        assert_eq!(contract.sender(bob).get_role_admin(role), DEFAULT_ADMIN_ROLE);
    }
}

#[motsu::test]
fn non_admin_cannot_grant_role(
    contract: Contract<AccessManager>,
    admin: Address,
    bob: Address,
    carol: Address,
) {
    init(&contract, admin);
    // Holding other roles (even the guardian) does not help.
    contract.sender(admin).grant_role(GUARDIAN_ROLE, bob).unwrap();
    contract.sender(admin).grant_role(PAUSE_ROLE, bob).unwrap();
    let logs = log_count(&contract);
    for role in ALL_ROLES {
        let err = contract.sender(bob).grant_role(role, carol).unwrap_err();
        assert_eq!(err, unauthorized(bob, DEFAULT_ADMIN_ROLE));
        assert!(!contract.sender(bob).has_role(role, carol));
    }
    // Nor can anyone grant a role to themselves.
    let err = contract.sender(carol).grant_role(DEFAULT_ADMIN_ROLE, carol).unwrap_err();
    assert_eq!(err, unauthorized(carol, DEFAULT_ADMIN_ROLE));
    assert_eq!(log_count(&contract), logs);
}

#[motsu::test]
fn non_admin_cannot_revoke_role(
    contract: Contract<AccessManager>,
    admin: Address,
    bob: Address,
    carol: Address,
) {
    init(&contract, admin);
    contract.sender(admin).grant_role(PAUSE_ROLE, carol).unwrap();
    let logs = log_count(&contract);
    let err = contract.sender(bob).revoke_role(PAUSE_ROLE, carol).unwrap_err();
    assert_eq!(err, unauthorized(bob, DEFAULT_ADMIN_ROLE));
    let err = contract.sender(bob).revoke_role(DEFAULT_ADMIN_ROLE, admin).unwrap_err();
    assert_eq!(err, unauthorized(bob, DEFAULT_ADMIN_ROLE));
    // A holder of a role cannot revoke it from another holder either.
    let err = contract.sender(carol).revoke_role(PAUSE_ROLE, carol).unwrap_err();
    assert_eq!(err, unauthorized(carol, DEFAULT_ADMIN_ROLE));
    assert!(contract.sender(bob).has_role(PAUSE_ROLE, carol));
    assert!(contract.sender(bob).has_role(DEFAULT_ADMIN_ROLE, admin));
    assert_eq!(log_count(&contract), logs);
}

#[motsu::test]
fn granting_a_held_role_is_a_silent_no_op(
    contract: Contract<AccessManager>,
    admin: Address,
    bob: Address,
) {
    init(&contract, admin);
    contract.sender(admin).grant_role(PAUSE_ROLE, bob).unwrap();
    let logs = log_count(&contract);
    contract.sender(admin).grant_role(PAUSE_ROLE, bob).unwrap();
    assert!(contract.sender(admin).has_role(PAUSE_ROLE, bob));
    assert_eq!(log_count(&contract), logs);
}

#[motsu::test]
fn revoking_a_missing_role_is_a_silent_no_op(
    contract: Contract<AccessManager>,
    admin: Address,
    bob: Address,
) {
    init(&contract, admin);
    let logs = log_count(&contract);
    contract.sender(admin).revoke_role(RESUME_ROLE, bob).unwrap();
    assert!(!contract.sender(admin).has_role(RESUME_ROLE, bob));
    assert_eq!(log_count(&contract), logs);
}

#[motsu::test]
fn holder_can_renounce_its_own_role(
    contract: Contract<AccessManager>,
    admin: Address,
    bob: Address,
) {
    init(&contract, admin);
    contract.sender(admin).grant_role(STAKING_CONTROL_ROLE, bob).unwrap();
    contract.sender(bob).renounce_role(STAKING_CONTROL_ROLE, bob).unwrap();
    assert!(!contract.sender(bob).has_role(STAKING_CONTROL_ROLE, bob));
    contract.assert_emitted(&RoleRevoked { role: STAKING_CONTROL_ROLE, account: bob, sender: bob });
    // Renouncing a role one does not hold is a silent no-op.
    let logs = log_count(&contract);
    contract.sender(bob).renounce_role(GUARDIAN_ROLE, bob).unwrap();
    assert_eq!(log_count(&contract), logs);
}

#[motsu::test]
fn renounce_requires_the_callers_own_address_as_confirmation(
    contract: Contract<AccessManager>,
    admin: Address,
    bob: Address,
) {
    init(&contract, admin);
    contract.sender(admin).grant_role(GUARDIAN_ROLE, bob).unwrap();
    let logs = log_count(&contract);
    // Nobody can renounce for someone else, not even the admin.
    let err = contract.sender(admin).renounce_role(GUARDIAN_ROLE, bob).unwrap_err();
    assert_eq!(err, Error::AccessControlBadConfirmation(AccessControlBadConfirmation {}));
    let err = contract.sender(bob).renounce_role(GUARDIAN_ROLE, admin).unwrap_err();
    assert_eq!(err, Error::AccessControlBadConfirmation(AccessControlBadConfirmation {}));
    assert!(contract.sender(bob).has_role(GUARDIAN_ROLE, bob));
    assert_eq!(log_count(&contract), logs);
}

#[motsu::test]
fn last_admin_renouncing_freezes_the_roles(
    contract: Contract<AccessManager>,
    admin: Address,
    bob: Address,
) {
    init(&contract, admin);
    contract.sender(admin).renounce_role(DEFAULT_ADMIN_ROLE, admin).unwrap();
    contract.assert_emitted(&RoleRevoked {
        role: DEFAULT_ADMIN_ROLE,
        account: admin,
        sender: admin,
    });
    let err = contract.sender(admin).grant_role(PAUSE_ROLE, bob).unwrap_err();
    assert_eq!(err, unauthorized(admin, DEFAULT_ADMIN_ROLE));
}

#[motsu::test]
fn default_admin_is_its_own_admin(contract: Contract<AccessManager>, admin: Address, bob: Address) {
    init(&contract, admin);
    assert_eq!(contract.sender(bob).get_role_admin(DEFAULT_ADMIN_ROLE), DEFAULT_ADMIN_ROLE);
    contract.sender(admin).grant_role(DEFAULT_ADMIN_ROLE, bob).unwrap();
    // The new admin can remove the old one.
    contract.sender(bob).revoke_role(DEFAULT_ADMIN_ROLE, admin).unwrap();
    assert!(!contract.sender(bob).has_role(DEFAULT_ADMIN_ROLE, admin));
    contract.assert_emitted(&RoleRevoked { role: DEFAULT_ADMIN_ROLE, account: admin, sender: bob });
}

#[motsu::test]
fn pause_and_resume_roles_are_kept_apart(
    contract: Contract<AccessManager>,
    admin: Address,
    pauser: Address,
    resumer: Address,
) {
    init(&contract, admin);
    contract.sender(admin).grant_role(PAUSE_ROLE, pauser).unwrap();
    contract.sender(admin).grant_role(RESUME_ROLE, resumer).unwrap();
    assert!(contract.sender(admin).has_role(PAUSE_ROLE, pauser));
    assert!(!contract.sender(admin).has_role(RESUME_ROLE, pauser));
    assert!(contract.sender(admin).has_role(RESUME_ROLE, resumer));
    assert!(!contract.sender(admin).has_role(PAUSE_ROLE, resumer));
    // The admin holds neither implicitly.
    assert!(!contract.sender(admin).has_role(PAUSE_ROLE, admin));
    assert!(!contract.sender(admin).has_role(RESUME_ROLE, admin));
}

#[motsu::test]
fn admin_sets_a_role_admin_that_then_manages_the_role(
    contract: Contract<AccessManager>,
    admin: Address,
    guardian: Address,
    pauser: Address,
) {
    init(&contract, admin);
    contract.sender(admin).set_role_admin(PAUSE_ROLE, GUARDIAN_ROLE).unwrap();
    contract.assert_emitted(&RoleAdminChanged {
        role: PAUSE_ROLE,
        previousAdminRole: DEFAULT_ADMIN_ROLE,
        newAdminRole: GUARDIAN_ROLE,
    });
    assert_eq!(contract.sender(admin).get_role_admin(PAUSE_ROLE), GUARDIAN_ROLE);

    contract.sender(admin).grant_role(GUARDIAN_ROLE, guardian).unwrap();
    contract.sender(guardian).grant_role(PAUSE_ROLE, pauser).unwrap();
    contract.assert_emitted(&RoleGranted { role: PAUSE_ROLE, account: pauser, sender: guardian });

    // The default admin no longer administers PAUSE_ROLE directly ...
    let err = contract.sender(admin).revoke_role(PAUSE_ROLE, pauser).unwrap_err();
    assert_eq!(err, unauthorized(admin, GUARDIAN_ROLE));
    // ... but keeps the power to move it back.
    contract.sender(admin).set_role_admin(PAUSE_ROLE, DEFAULT_ADMIN_ROLE).unwrap();
    contract.assert_emitted(&RoleAdminChanged {
        role: PAUSE_ROLE,
        previousAdminRole: GUARDIAN_ROLE,
        newAdminRole: DEFAULT_ADMIN_ROLE,
    });
    contract.sender(admin).revoke_role(PAUSE_ROLE, pauser).unwrap();
    assert!(!contract.sender(admin).has_role(PAUSE_ROLE, pauser));
}

#[motsu::test]
fn non_admin_cannot_set_a_role_admin(
    contract: Contract<AccessManager>,
    admin: Address,
    guardian: Address,
) {
    init(&contract, admin);
    contract.sender(admin).set_role_admin(PAUSE_ROLE, GUARDIAN_ROLE).unwrap();
    contract.sender(admin).grant_role(GUARDIAN_ROLE, guardian).unwrap();
    let logs = log_count(&contract);
    // Even the admin of a role cannot change who administers it.
    let err = contract.sender(guardian).set_role_admin(PAUSE_ROLE, RESUME_ROLE).unwrap_err();
    assert_eq!(err, unauthorized(guardian, DEFAULT_ADMIN_ROLE));
    assert_eq!(contract.sender(admin).get_role_admin(PAUSE_ROLE), GUARDIAN_ROLE);
    assert_eq!(log_count(&contract), logs);
}
