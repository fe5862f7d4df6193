//! Storage layout of the AccessManager.
//!
//! ```text
//! slot 0  access.roles  map role -> { has_role: map account -> bool, admin_role: bytes32 }
//!                       (OpenZeppelin AccessControl layout)
//! slot 1  delays        map (target (20) | selector (4) | 0 (8)) -> uint128
//!                       current u32 | pending u32 | effect_at u64  (see `delays`)
//! slot 2  operations    map operationId -> uint64 readyAt (0 = not pending)
//! slot 3  initialized   bool (1 byte, right-aligned)
//! ```
//!
//! Map entries live at `keccak256(key (32, left-padded) | slot (32))`, as Solidity mappings.

use alloc::{vec, vec::Vec};

use stylus_sdk::{
    prelude::*,
    storage::{StorageBool, StorageMap, StorageU128, StorageU64},
};

use crate::access::AccessControl;
use alloy_primitives::B256;

/// The AccessManager: roles, role admins, per-function delays and scheduled operations.
#[entrypoint]
#[storage]
pub struct AccessManager {
    /// Role membership and role admins (OpenZeppelin `AccessControl` layout).
    pub(crate) access: AccessControl,
    /// Packed delay configuration per `delays::delay_key(target, selector)`.
    pub(crate) delays: StorageMap<B256, StorageU128>,
    /// Unix time from which a pending operation may run, per operation id; 0 = not pending.
    pub(crate) operations: StorageMap<B256, StorageU64>,
    /// Whether `initialize` has run.
    pub(crate) initialized: StorageBool,
}
