//! motsu unit tests, one module per aspect.
//!
//! motsu's block timestamp is fixed (1 Jan 2025), so the tests that need time to pass call the
//! contract's internal functions with an explicit `now` (`authorize_call_at`, `schedule_at`,
//! `set_target_function_delay_at`, `target_function_delay_at`), exactly what the public entry
//! points do with the host's timestamp. The real clock is exercised by the wasm end-to-end
//! tests in the in-process VM.
//!
//! Failing calls are made without motsu's revert (`unwrap_err`, not `motsu_unwrap_err`), so
//! the "state unchanged" assertions also show that every check precedes every write.

mod constructor;
mod cross_contract;
mod delays;
mod errors;
mod layout;
mod operations;
mod oz_equivalence;
mod roles;
mod views;

use alloc::vec::Vec;

use alloy_primitives::{aliases::B32, Address};
use motsu::prelude::Contract;
use staking_common::{host, roles::DEFAULT_ADMIN_ROLE};

use crate::{events::RoleGranted, AccessManager};

/// A delayed-function selector used across the tests.
const SEL: B32 = B32::new([0xaa, 0xbb, 0xcc, 0xdd]);
/// Another selector.
const OTHER_SEL: B32 = B32::new([0x11, 0x22, 0x33, 0x44]);

/// motsu's (fixed) block timestamp.
fn now() -> u64 {
    host::timestamp()
}

/// `selector ‖ uint256(arg)`: the call data of a one-argument call.
fn call_data(selector: B32, arg: u8) -> Vec<u8> {
    let mut data = selector.to_vec();
    data.extend_from_slice(&[0u8; 31]);
    data.push(arg);
    data
}

/// Initializes `contract` with `admin` as the default admin.
fn init(contract: &Contract<AccessManager>, admin: Address) {
    contract.sender(admin).constructor(admin).unwrap();
    contract.assert_emitted(&RoleGranted {
        role: DEFAULT_ADMIN_ROLE,
        account: admin,
        sender: admin,
    });
}

/// Number of logs `contract` has emitted so far.
fn log_count(contract: &Contract<AccessManager>) -> usize {
    contract.all_events().len()
}

#[test]
fn motsu_clock_is_the_documented_fixed_timestamp() {
    assert_eq!(now(), 1_735_689_600);
}
