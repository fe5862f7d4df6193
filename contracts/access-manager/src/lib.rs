//! placeholder
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;
use alloc::{vec, vec::Vec};
use alloy_primitives::U256;
use staking_common as _;
use stylus_sdk::prelude::*;
use stylus_sdk::storage::StorageU256;

/// Stub.
#[entrypoint]
#[storage]
pub struct Stub {
    x: StorageU256,
}

#[public]
impl Stub {
    /// Get.
    pub fn get(&self) -> U256 {
        self.x.get()
    }
}
