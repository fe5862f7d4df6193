//! Calls between the suite's contracts.
//!
//! Each contract implements the Solidity interface of the same name in its own crate;
//! `IAccessManager` is the caller-side view for Rust callers (tests, tools). The contracts
//! themselves ask the manager through [`authorize_call`]: one raw call with hand-encoded
//! calldata, which costs less wasm than a `sol_interface!` binding.
#![allow(missing_docs)]

use alloc::{vec, vec::Vec};
use alloy_primitives::{Address, B256};
use alloy_sol_types::{sol, SolCall};
use stylus_sdk::prelude::sol_interface;

use crate::abi::{encode_error_with_bytes, Word};

sol_interface! {
    /// The role registry every other contract asks on privileged paths.
    interface IAccessManager {
        /// Whether `account` holds `role`.
        function hasRole(bytes32 role, address account) external view returns (bool);
        /// Whether `caller` may call the function `selector` of the asking contract
        /// (`msg.sender`), guarded by `role`, right now without scheduling: it holds `role` and
        /// no delay is set for that function. For views and frontends.
        function canCall(address caller, bytes32 role, bytes4 selector) external view returns (bool);
        /// Authorizes `caller` to run the call `data` (selector + ABI arguments) on the asking
        /// contract (`msg.sender`), guarded by `role`, or reverts. Without a delay for that
        /// function, `caller` must hold `role`. With a delay, `caller` must also have scheduled
        /// exactly this call at least the delay ago; the operation is consumed (one use).
        function authorizeCall(address caller, bytes32 role, bytes calldata data) external;
    }
}

sol! {
    function authorizeCall(address caller, bytes32 role, bytes data);
}

/// Asks `manager` to authorize `caller` for `role` to make the call `data` on the asking
/// contract (`IAccessManager.authorizeCall`). `Err` carries the manager's revert data.
///
/// The caller must first make sure `manager` is set: a call to an address without code
/// succeeds, and must never count as an authorization.
pub fn authorize_call(
    manager: Address,
    caller: Address,
    role: B256,
    data: &[u8],
) -> Result<(), Vec<u8>> {
    // Same layout as an error with one trailing `bytes` field: selector ‖ words ‖ bytes.
    let request =
        encode_error_with_bytes(authorizeCallCall::SELECTOR, &[caller.word(), role.word()], data);
    crate::host::call(manager, &request).map(|_| ())
}
