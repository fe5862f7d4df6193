//! What the generated routers (`staking_interface::interface!`) share: the empty revert of an
//! undecodable call, the argument-or-revert macro and the core program's `DELEGATECALL` to
//! its extension program.

use alloc::vec::Vec;

use alloy_primitives::Address;

/// What a routed call returns: ABI-encoded output, or revert data (the SDK's own type).
pub use stylus_sdk::ArbResult;

/// Reverts with empty data (undecodable arguments, value sent to a non-payable function), as
/// the SDK's router does.
pub fn bad() -> ArbResult {
    Err(Vec::new())
}

/// Unwraps a decoded argument, or returns `Some(bad())` from the routing function.
#[macro_export]
macro_rules! arg {
    ($e:expr) => {
        match $e {
            Some(v) => v,
            None => return Some($crate::router::bad()),
        }
    };
}

/// Runs `calldata` in the `extension` program on the caller's storage (`DELEGATECALL`); empty
/// revert when no extension is set.
pub fn delegate(extension: Address, calldata: &[u8]) -> ArbResult {
    if extension.is_zero() {
        return bad();
    }
    // SAFETY: no storage reference is held across the call; the cache is flushed and cleared
    // before it, so the extension's writes are read back afterwards.
    unsafe {
        stylus_sdk::call::RawCall::new_delegate().clear_storage_cache().call(extension, calldata)
    }
}
