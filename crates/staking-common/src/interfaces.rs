//! How every contract asks the AccessManager on its privileged paths: [`authorize_call`], one
//! raw call with hand-encoded calldata (less wasm than a `sol_interface!` binding), its
//! selector taken from the manager's interface file, `contracts/access-manager/abi/
//! IAccessManager.sol` ([`i_access_manager`]: its `sol!` types and calldata encoders, for
//! Rust callers and tests).

use alloc::vec::Vec;
use alloy_primitives::{Address, B256};
use alloy_sol_types::SolCall;

use crate::abi::{encode_error_with_bytes, Word};

staking_interface::client!(IAccessManager, "../../contracts/access-manager/abi/IAccessManager.sol");

use i_access_manager::abi::IAccessManager::authorizeCallCall;

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_authorize_call_request_is_the_calldata_of_the_interface_file() {
        let (caller, role) = (Address::repeat_byte(0x11), B256::repeat_byte(0x22));
        for len in [0u8, 4, 31, 32, 68] {
            let data: Vec<u8> = (0..len).map(|i| i ^ 0x5a).collect();
            let request =
                encode_error_with_bytes(authorizeCallCall::SELECTOR, &[caller.word(), role], &data);
            let alloy = authorizeCallCall { caller, role, data: data.clone().into() }.abi_encode();
            assert_eq!(request, alloy, "len {len}");
            assert_eq!(i_access_manager::calls::authorizeCall(caller, role, &data), alloy);
        }
    }
}
