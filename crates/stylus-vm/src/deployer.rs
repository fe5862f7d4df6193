//! What `cargo stylus deploy` sends: the deployed code of a program, the EVM init code that
//! returns it, and the calldata of Arbitrum's StylusDeployer.
//!
//! The StylusDeployer is a Solidity contract (`@arbitrum/nitro-contracts`,
//! `src/stylus/StylusDeployer.sol`) at [`ADDRESS`] on Arbitrum chains. It runs here as EVM
//! code like any other contract: the worlds crate compiles it from the npm package and places
//! it at its address. In one transaction, `deploy(bytecode, initData, initValue, salt)`
//! creates the contract from `bytecode` (init code) with CREATE2 when `salt` is not zero
//! (salt `keccak256(salt ‖ initData)`, so the address commits to the constructor's arguments)
//! or CREATE, activates it through ArbWasm with `msg.value - initValue` for the data fee,
//! calls the SDK 0.9 constructor (`initData` = [`CONSTRUCTOR_SELECTOR`] and the ABI-encoded
//! arguments) with `initValue`, and refunds what the data fee did not take.

use std::{
    collections::HashMap,
    sync::{Mutex, OnceLock, PoisonError},
};

use alloy_primitives::{address, keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolCall};

use crate::validate::STYLUS_PREFIX;

/// The StylusDeployer's address on Arbitrum chains (the address `cargo stylus` uses).
pub const ADDRESS: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");

/// Length of `cargo stylus`'s init-code prelude.
pub const PRELUDE_LEN: usize = 43;

sol! {
    /// The StylusDeployer's interface (nitro-contracts 3.2.0, `src/stylus/StylusDeployer.sol`).
    interface IStylusDeployer {
        event ContractDeployed(address deployedContract);
        error ContractDeploymentError(bytes bytecode);
        error ContractInitializationError(address newContract, bytes data);
        error RefundExcessValueError(uint256 excessValue);
        error EmptyBytecode();
        error InitValueButNotInitData();
        function deploy(bytes calldata bytecode, bytes calldata initData, uint256 initValue, bytes32 salt) external payable returns (address);
        function initSalt(bytes32 salt, bytes calldata initData) external pure returns (bytes32);
        function requiresActivation(address addr) external view returns (bool);
    }
    /// SDK 0.9's constructor selector.
    function stylus_constructor();
}

pub use IStylusDeployer::{deployCall, ContractDeployed};

/// SDK 0.9's constructor selector, `keccak256("stylus_constructor()")[..4]`.
pub const CONSTRUCTOR_SELECTOR: [u8; 4] = stylus_constructorCall::SELECTOR;

/// The deployed code of `wasm`: [`STYLUS_PREFIX`] and the brotli-compressed wasm (quality 11,
/// window 22, as `cargo stylus` writes it). Compressing at quality 11 is slow, so the result is
/// kept for the whole process by the wasm's hash.
pub fn deployed_code(wasm: &[u8]) -> Vec<u8> {
    static CODES: OnceLock<Mutex<HashMap<B256, Vec<u8>>>> = OnceLock::new();
    let codes = CODES.get_or_init(Mutex::default);
    let key = keccak256(wasm);
    if let Some(code) = codes.lock().unwrap_or_else(PoisonError::into_inner).get(&key) {
        return code.clone();
    }
    let code = [&STYLUS_PREFIX[..], &crate::validate::compress(wasm)].concat();
    codes.lock().unwrap_or_else(PoisonError::into_inner).insert(key, code.clone());
    code
}

/// `cargo stylus`'s init code for `code`: the 43-byte prelude (`PUSH32 len, DUP1, PUSH1 43,
/// PUSH1 0, CODECOPY, PUSH1 0, RETURN`, a version byte 0) that returns `code`, then `code`.
pub fn init_code(code: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(PRELUDE_LEN + code.len());
    out.push(0x7f);
    out.extend_from_slice(&U256::from(code.len()).to_be_bytes::<32>());
    out.extend_from_slice(&[0x80, 0x60, 0x2b, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0x00]);
    out.extend_from_slice(code);
    out
}

/// The `initData` of a constructor call: [`CONSTRUCTOR_SELECTOR`] then `args` (the
/// ABI-encoded constructor arguments).
pub fn constructor_data(args: &[u8]) -> Vec<u8> {
    [&CONSTRUCTOR_SELECTOR[..], args].concat()
}

/// `initSalt(salt, initData)`: `keccak256(salt ‖ initData)`.
pub fn init_salt(salt: B256, init_data: &[u8]) -> B256 {
    keccak256([salt.as_slice(), init_data].concat())
}

/// Where `deploy(bytecode, initData, initValue, salt)` with a non-zero `salt` creates the
/// contract: CREATE2 from the deployer with [`init_salt`] over `bytecode` (the init code).
pub fn create2_address(bytecode: &[u8], init_data: &[u8], salt: B256) -> Address {
    ADDRESS.create2(init_salt(salt, init_data), keccak256(bytecode))
}

/// CREATE's address, `keccak256(rlp([creator, nonce]))[12..]` (alloy's `Address::create`).
pub fn create_address(creator: Address, nonce: u64) -> Address {
    creator.create(nonce)
}

/// The `deploy` calldata.
pub fn deploy_calldata(bytecode: &[u8], init_data: &[u8], init_value: U256, salt: B256) -> Vec<u8> {
    deployCall {
        bytecode: Bytes::copy_from_slice(bytecode),
        initData: Bytes::copy_from_slice(init_data),
        initValue: init_value,
        salt,
    }
    .abi_encode()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_constructor_selector_is_the_sdks() {
        assert_eq!(CONSTRUCTOR_SELECTOR, keccak256("stylus_constructor()")[..4]);
    }

    #[test]
    fn the_prelude_announces_the_code_length_and_returns_the_code() {
        let code = [&STYLUS_PREFIX[..], &[1, 2, 3]].concat();
        let init = init_code(&code);
        assert_eq!(init.len(), PRELUDE_LEN + code.len());
        assert_eq!(U256::from_be_slice(&init[1..33]), U256::from(code.len()));
        assert_eq!(&init[PRELUDE_LEN..], &code[..]);
    }

    #[test]
    fn create_addresses_follow_the_rlp_rule() {
        // geth's `crypto.CreateAddress` vectors: 0x6ac7…f0 created these with nonces 0, 1, 2.
        let creator = address!("6ac7ea33f8831ea9dcc53393aaa88b25a785dbf0");
        assert_eq!(
            create_address(creator, 0),
            address!("cd234a471b72ba2f1ccf0a70fcaba648a5eecd8d")
        );
        assert_eq!(
            create_address(creator, 1),
            address!("343c43a37d37dff08ae8c4a11544c718abb4fcf8")
        );
        assert_eq!(
            create_address(creator, 2),
            address!("f778b86fa74e846c4f0a1fbd1335fe81c00a0c91")
        );
    }

    #[test]
    fn the_salt_commits_to_the_init_data() {
        let salt = B256::repeat_byte(1);
        let a = init_salt(salt, b"abc");
        assert_ne!(a, init_salt(salt, b"abd"));
        assert_eq!(a, keccak256([salt.as_slice(), b"abc"].concat()));
    }
}
