//! `sol_interface!` declarations for calls between the suite's contracts.
//!
//! Each contract implements the Solidity interface of the same name in its own crate; these
//! are the caller-side views of them.
#![allow(missing_docs)]

use alloc::vec;
use stylus_sdk::prelude::sol_interface;

sol_interface! {
    /// The role registry every other contract asks on privileged paths.
    interface IAccessManager {
        /// Whether `account` holds `role`.
        function hasRole(bytes32 role, address account) external view returns (bool);
        /// Whether `caller` may call the function `selector` of the asking contract
        /// (`msg.sender`) guarded by `role`: immediately when no delay is set for it, or as
        /// the manager executing an operation scheduled by a holder of `role` once its delay
        /// has passed.
        function canCall(address caller, bytes32 role, bytes4 selector) external view returns (bool);
    }
}
