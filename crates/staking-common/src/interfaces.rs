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

sol_interface! {
    /// The staking pool as the withdrawal queue calls it.
    interface IStakingPool {
        /// `transferFrom` that returns the shares moved (`ceil(amount / rate)`).
        function transferFromWithShares(address from, address to, uint256 amount) external returns (uint256);
    }

    /// ERC-721 receivers (`safeTransferFrom` to a contract).
    interface IERC721Receiver {
        /// Must return its own selector (`0x150b7a02`) to accept the token.
        function onERC721Received(address operator, address from, uint256 token_id, bytes calldata data) external returns (bytes4);
    }
}
