//! Storage layout of the AccessManager.
//!
//! The slot table is in the crate doc (`lib.rs`, checked by `tests::layout`); this struct
//! is what it describes.
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
    /// Whether the constructor has run.
    pub(crate) initialized: StorageBool,
}

impl AccessManager {
    /// The storage handle the constructor's guard word is read and written through
    /// (`staking_common::upgrade`).
    pub(crate) fn host(&self) -> stylus_sdk::host::VM {
        self.__stylus_host.clone()
    }
}
