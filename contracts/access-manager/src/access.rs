//! Role membership and role admins, storage- and ABI-compatible with OpenZeppelin's
//! `AccessControl` (Solidity 5.x and openzeppelin-stylus 0.3).
//!
//! Same storage layout (`roles: mapping(bytes32 => RoleData { mapping(address => bool)
//! hasRole; bytes32 adminRole })`), same events (`RoleGranted`, `RoleRevoked`,
//! `RoleAdminChanged`), same errors (`AccessControlUnauthorizedAccount`,
//! `AccessControlBadConfirmation`), same rules (granting a held role and revoking a missing one
//! are silent no-ops; `DEFAULT_ADMIN_ROLE` (zero) administers every role until changed,
//! itself included). `src/tests/oz_equivalence.rs` runs the same calls against OpenZeppelin's
//! component and compares results and logs.
//!
//! Why not the openzeppelin-stylus crate itself: depending on it (a) turns on alloy's
//! `tiny-keccak` feature for the whole wasm build, which replaces the host's native keccak
//! with a wasm implementation in every storage-map lookup (more gas, about 1.5 KB more code),
//! (b) logs through the SDK's `evm::log`, one alloy encoder per event type (2.3 KB of wasm for
//! its three events, where the loggers generated from the interface file write static words
//! through one function), and (c)
//! cannot build with `export-abi` while `stylus-test` is on for native builds (its
//! `storage_slot.rs` picks the `VM` constructor by feature). The component is small; the
//! checks live here and the access decisions (who may call what) in `lib.rs`.

use alloy_primitives::{Address, B256};
use stylus_sdk::{
    prelude::*,
    storage::{StorageB256, StorageBool, StorageMap},
};

use alloc::{vec, vec::Vec};

use crate::{
    errors::{AccessControlUnauthorizedAccount, Error},
    events::emit,
};

/// One role: its members and its admin role.
#[storage]
pub struct RoleData {
    /// Whether an account holds the role.
    pub(crate) has_role: StorageMap<Address, StorageBool>,
    /// The role whose holders may grant and revoke this one (zero = `DEFAULT_ADMIN_ROLE`).
    pub(crate) admin_role: StorageB256,
}

/// Role id -> role data (OpenZeppelin `AccessControl` layout).
#[storage]
pub struct AccessControl {
    /// Role id -> members and admin role.
    pub(crate) roles: StorageMap<B256, RoleData>,
}

impl AccessControl {
    /// Whether `account` holds `role`.
    pub fn has_role(&self, role: B256, account: Address) -> bool {
        self.roles.getter(role).has_role.get(account)
    }

    /// The admin role of `role`.
    pub fn get_role_admin(&self, role: B256) -> B256 {
        self.roles.getter(role).admin_role.get()
    }

    /// Fails unless `account` holds `role`.
    ///
    /// # Errors
    ///
    /// `AccessControlUnauthorizedAccount(account, role)`.
    pub fn check_role(&self, role: B256, account: Address) -> Result<(), Error> {
        if self.has_role(role, account) {
            Ok(())
        } else {
            Err(Error::AccessControlUnauthorizedAccount(AccessControlUnauthorizedAccount {
                account,
                neededRole: role,
            }))
        }
    }

    /// Grants `role` to `account` without any check; returns whether it was newly granted.
    ///
    /// # Events
    ///
    /// `RoleGranted(role, account, sender)` if newly granted.
    pub fn grant(&mut self, role: B256, account: Address, sender: Address) -> bool {
        if self.has_role(role, account) {
            return false;
        }
        self.roles.setter(role).has_role.insert(account, true);
        emit::RoleGranted(role, account, sender);
        true
    }

    /// Revokes `role` from `account` without any check; returns whether it was held.
    ///
    /// # Events
    ///
    /// `RoleRevoked(role, account, sender)` if it was held.
    pub fn revoke(&mut self, role: B256, account: Address, sender: Address) -> bool {
        if !self.has_role(role, account) {
            return false;
        }
        self.roles.setter(role).has_role.insert(account, false);
        emit::RoleRevoked(role, account, sender);
        true
    }

    /// Makes `admin_role` the admin of `role` without any check.
    ///
    /// # Events
    ///
    /// `RoleAdminChanged(role, previous, admin_role)`.
    pub fn set_role_admin(&mut self, role: B256, admin_role: B256) {
        let previous = self.get_role_admin(role);
        self.roles.setter(role).admin_role.set(admin_role);
        emit::RoleAdminChanged(role, previous, admin_role);
    }
}
