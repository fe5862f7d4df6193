//! The selector router, by hand (see [`staking_common::calldata`]): `deposit` is the only
//! payable function; value sent to any other, arguments that do not decode, unknown selectors
//! and plain transfers revert with empty data, as the Solidity contract's dispatcher does.

use alloc::vec::Vec;

use alloy_sol_types::SolCall;
use staking_common::{
    abi::Word,
    calldata::{self, Args},
    host,
};
use stylus_sdk::{abi::Router, ArbResult};

use crate::{
    abi::{IDepositContract as I, IERC165},
    DepositContract,
};

/// ERC-165's own interface id.
pub(crate) const ERC165_ID: [u8; 4] = IERC165::supportsInterfaceCall::SELECTOR;

/// `type(IDepositContract).interfaceId`: the XOR of its three selectors (`0x85640907`).
pub(crate) const DEPOSIT_CONTRACT_ID: [u8; 4] = {
    let (a, b, c) = (
        I::depositCall::SELECTOR,
        I::get_deposit_rootCall::SELECTOR,
        I::get_deposit_countCall::SELECTOR,
    );
    [a[0] ^ b[0] ^ c[0], a[1] ^ b[1] ^ c[1], a[2] ^ b[2] ^ c[2], a[3] ^ b[3] ^ c[3]]
};

impl Router<DepositContract> for DepositContract {
    type Storage = Self;

    fn route(storage: &mut Self, selector: u32, input: &[u8]) -> Option<ArbResult> {
        let sel = selector.to_be_bytes();
        let args = Args(input);
        if sel == I::depositCall::SELECTOR {
            return Some(match (args.bytes(0), args.bytes(1), args.bytes(2), args.word(3)) {
                (Some(pubkey), Some(credentials), Some(signature), Some(root)) => {
                    storage.deposit(pubkey, credentials, signature, root).map(|()| Vec::new())
                }
                _ => Err(Vec::new()),
            });
        }
        if !host::value().is_zero() {
            return Some(Err(Vec::new()));
        }
        Some(match sel {
            I::get_deposit_rootCall::SELECTOR => Ok(storage.get_deposit_root().to_vec()),
            I::get_deposit_countCall::SELECTOR => {
                Ok(calldata::bytes(&storage.get_deposit_count().to_le_bytes()))
            }
            IERC165::supportsInterfaceCall::SELECTOR => match args.bytes4(0) {
                Some(id) => Ok(DepositContract::supports_interface(id).word().to_vec()),
                None => Err(Vec::new()),
            },
            _ => return None,
        })
    }

    fn receive(_storage: &mut Self) -> Option<Result<(), Vec<u8>>> {
        None
    }

    fn fallback(_storage: &mut Self, _calldata: &[u8]) -> Option<ArbResult> {
        None
    }

    fn constructor(_storage: &mut Self, _calldata: &[u8]) -> Option<ArbResult> {
        None
    }
}

impl DepositContract {
    /// Required by `#[entrypoint]`; `#[public]` would list overridden selectors here, and this
    /// router has none.
    #[doc(hidden)]
    pub const fn __stylus_assert_overrides() {}
}
