//! Arbitrum's StylusDeployer as a native contract of the VM: deploy, activate and run a
//! program's constructor in one transaction, so that nobody can call a program between its
//! deployment and its initialization.
//!
//! The real one is a Solidity contract (OffchainLabs/nitro-contracts,
//! `src/stylus/StylusDeployer.sol`) at [`ADDRESS`] on Arbitrum chains; `cargo stylus deploy
//! --constructor-args` calls it with `deploy(bytecode, initData, initValue, salt)`, where
//! `initData` is SDK 0.9's constructor selector (`keccak256("stylus_constructor()")[..4]`)
//! followed by the ABI-encoded constructor arguments. The VM has no EVM, so this module
//! answers calls to that address with the same semantics:
//!
//! - **Salt.** A non-zero `salt` is replaced by `keccak256(salt ‖ initData ‖ initValue)`
//!   (`initSalt`), and the program is created with CREATE2 from the deployer:
//!   `keccak256(0xff ‖ deployer ‖ salt' ‖ keccak256(bytecode))[12..]`. The address thus
//!   commits to the constructor's arguments and value: whoever deploys the same code with
//!   other arguments gets another address, so nobody can take an announced address by
//!   front-running it with other init data. A zero salt uses CREATE (the deployer's nonce).
//!   An address that already holds code or a nonce fails (`ContractDeploymentError(bytecode)`).
//! - **Bytecode.** On chain it is EVM init code that returns the deployed code, `0xEFF00000`
//!   followed by the brotli-compressed wasm. The VM accepts that deployed-code form directly
//!   and also the exact 43-byte init-code prelude `cargo stylus` writes (`PUSH32 len, DUP1,
//!   PUSH1 43, PUSH1 0, CODECOPY, PUSH1 0, RETURN, version 0`) followed by it; any other init
//!   code cannot run here (no EVM) and fails with `ContractDeploymentError(bytecode)`.
//!   `EmptyBytecode()` for an empty one.
//! - **Activation.** A code hash not yet activated is activated: the wasm is decompressed and
//!   goes through the VM's activation check ([`crate::validate()`]); a program the check
//!   refuses fails the whole deployment (a `Failure` status naming the rule). The real
//!   deployer forwards `msg.value - initValue` to `ArbWasm.activateProgram` for the data fee
//!   (Solidity's checked subtraction: `Panic(0x11)` when `msg.value < initValue`).
//! - **Constructor.** When `initData` is not empty the new program is called with it and
//!   `initValue`, `msg.sender` = the deployer, `tx.origin` = the transaction's sender. If
//!   that call fails, the whole deployment reverts with
//!   `ContractInitializationError(newContract)`: no program is left at the address, the
//!   nonce, the activation and the value are as before. `initValue` without `initData`
//!   reverts with `InitValueButNotInitData()`.
//! - **Refund.** When the program was activated or `msg.value != initValue`, the deployer's
//!   whole balance goes back to `msg.sender` (a failing refund reverts with
//!   `RefundExcessValueError(balance)`).
//! - **Result.** `ContractDeployed(newContract)` is logged and the address returned.
//!   `initSalt(bytes32,bytes,uint256)` and `requiresActivation(address)` answer as the real
//!   views do.
//!
//! # Where it differs from the real deployer
//!
//! - No EVM: only the two bytecode forms above are accepted.
//! - No data fee and no activation gas: ArbWasm's `activateProgram` charges both (the fee in
//!   wei, sent with the call; a fixed and a size-dependent gas cost); here activation is free,
//!   so the whole `msg.value - initValue` is refunded. Its `ProgramActivated` event is not
//!   logged.
//! - Gas: the deployer's own Solidity execution is not metered; a deployment pays the CREATE
//!   charges of the EVM (32,000, 2 gas per word of init code (EIP-3860), 6 per word hashed
//!   for CREATE2, 200 per byte of deployed code), the calls' EVM prices (cold account, value
//!   transfer) and what the constructor and the refund consume. The constructor gets 63/64
//!   of the gas left, as a Solidity `call` forwards.
//! - The deployer's nonce starts at 1, as a contract's does (EIP-161), in every new VM.

use std::{
    collections::HashMap,
    sync::{Mutex, OnceLock, PoisonError},
};

use alloy_primitives::{address, keccak256, Address, Bytes, Log, LogData, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent};

use crate::{
    call::{self, Exec, Message, Outcome},
    pricing::evm,
    receipt::{Category, Status},
    validate::STYLUS_PREFIX,
};

/// The StylusDeployer's address on Arbitrum chains (the address `cargo stylus` uses).
pub const ADDRESS: Address = address!("cEcba2F1DC234f70Dd89F2041029807F8D03A990");

/// EVM base cost of a contract creation.
pub const CREATE_GAS: u64 = 32_000;
/// EIP-3860: gas per 32-byte word of init code.
pub const INIT_CODE_WORD_GAS: u64 = 2;
/// CREATE2: gas per 32-byte word of init code hashed.
pub const CREATE2_HASH_WORD_GAS: u64 = 6;
/// Gas per byte of deployed code.
pub const CODE_DEPOSIT_BYTE_GAS: u64 = 200;
/// Length of `cargo stylus`'s init-code prelude.
pub const PRELUDE_LEN: usize = 43;

sol! {
    /// The StylusDeployer's interface (nitro-contracts `src/stylus/StylusDeployer.sol`).
    interface IStylusDeployer {
        event ContractDeployed(address deployedContract);
        error ContractDeploymentError(bytes bytecode);
        error ContractInitializationError(address newContract);
        error RefundExcessValueError(uint256 excessValue);
        error EmptyBytecode();
        error InitValueButNotInitData();
        function deploy(bytes calldata bytecode, bytes calldata initData, uint256 initValue, bytes32 salt) external payable returns (address);
        function initSalt(bytes32 salt, bytes calldata initData, uint256 initValue) external pure returns (bytes32);
        function requiresActivation(address addr) external view returns (bool);
    }
    /// Solidity's panic (0x11: arithmetic underflow).
    error Panic(uint256 code);
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

/// `cargo stylus`'s init code for `code`: the 43-byte prelude that returns it, then `code`.
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

/// `initSalt(salt, initData, initValue)`: `keccak256(salt ‖ initData ‖ initValue)`.
pub fn init_salt(salt: B256, init_data: &[u8], init_value: U256) -> B256 {
    keccak256([salt.as_slice(), init_data, &init_value.to_be_bytes::<32>()].concat())
}

/// Where `deploy(bytecode, initData, initValue, salt)` with a non-zero `salt` creates the
/// program.
pub fn create2_address(bytecode: &[u8], init_data: &[u8], init_value: U256, salt: B256) -> Address {
    ADDRESS.create2(init_salt(salt, init_data, init_value), keccak256(bytecode))
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

/// The deployed code in `bytecode` (either form), or `None`.
fn code_of(bytecode: &[u8]) -> Option<&[u8]> {
    if bytecode.starts_with(&STYLUS_PREFIX) {
        return Some(bytecode);
    }
    let code = bytecode.get(PRELUDE_LEN..)?;
    (init_code(code)[..PRELUDE_LEN] == bytecode[..PRELUDE_LEN]).then_some(code)
}

fn words(len: usize) -> u64 {
    (len as u64).div_ceil(32)
}

/// Gas accounting of the deployer's frame.
struct Meter {
    left: u64,
}

impl Meter {
    fn charge(&mut self, exec: &mut Exec, gas: u64) -> bool {
        let paid = gas.min(self.left);
        exec.ledger.add_gas(Category::Calls, paid);
        self.left -= paid;
        paid == gas
    }
}

fn revert(output: Vec<u8>, left: u64) -> Outcome {
    Outcome { status: Status::Revert, output, gas_left: left }
}

fn out_of_gas() -> Outcome {
    Outcome { status: Status::OutOfGas, output: Vec::new(), gas_left: 0 }
}

/// A call from the deployer, at EVM prices, forwarding 63/64 of the gas left.
fn call_from_deployer(
    exec: Box<Exec>,
    meter: &mut Meter,
    to: Address,
    value: U256,
    input: Vec<u8>,
    origin_is_static: bool,
) -> (Box<Exec>, Option<Outcome>) {
    let mut exec = exec;
    let Ok(base) = exec.state.call_cost(to, value, meter.left) else {
        meter.charge(&mut exec, meter.left);
        return (exec, None);
    };
    meter.charge(&mut exec, base);
    let mut gas = meter.left - meter.left / 64;
    meter.left -= gas;
    if !value.is_zero() {
        gas += evm::CALL_STIPEND;
    }
    let msg = Message {
        caller: ADDRESS,
        address: to,
        code_address: to,
        value,
        transfer: true,
        input,
        gas,
        is_static: origin_is_static,
        delegate: false,
    };
    let (exec, outcome) = call::call(exec, &msg);
    meter.left += outcome.gas_left.min(gas);
    if !value.is_zero() {
        meter.left = meter.left.saturating_sub(evm::CALL_STIPEND.min(outcome.gas_left));
    }
    (exec, Some(outcome))
}

/// Runs a call to the deployer.
pub(crate) fn run(mut exec: Box<Exec>, msg: &Message) -> (Box<Exec>, Outcome) {
    let mut meter = Meter { left: msg.gas };
    let input = &msg.input;
    if let Ok(call) = IStylusDeployer::initSaltCall::abi_decode(input, true) {
        let out = init_salt(call.salt, &call.initData, call.initValue).to_vec();
        return (exec, Outcome { status: Status::Success, output: out, gas_left: meter.left });
    }
    if let Ok(call) = IStylusDeployer::requiresActivationCall::abi_decode(input, true) {
        let activated = exec
            .state
            .world
            .program(call.addr)
            .is_some_and(|p| exec.state.world.activated.contains(&p.codehash));
        let out = U256::from(u8::from(!activated)).to_be_bytes::<32>().to_vec();
        return (exec, Outcome { status: Status::Success, output: out, gas_left: meter.left });
    }
    let Ok(call) = deployCall::abi_decode(input, true) else {
        return (exec, revert(Vec::new(), meter.left));
    };
    if msg.is_static {
        let status = Status::Failure("contract creation in a static call".into());
        return (exec, Outcome { status, output: Vec::new(), gas_left: 0 });
    }
    let init_value = call.initValue;
    let salt = if call.salt.is_zero() {
        B256::ZERO
    } else {
        init_salt(call.salt, &call.initData, init_value)
    };
    let bytecode = &call.bytecode[..];
    if bytecode.is_empty() {
        return (exec, revert(IStylusDeployer::EmptyBytecode {}.abi_encode(), meter.left));
    }
    let deployment_error = || {
        IStylusDeployer::ContractDeploymentError { bytecode: call.bytecode.clone() }.abi_encode()
    };

    // CREATE / CREATE2 from the deployer.
    let mut cost = CREATE_GAS + INIT_CODE_WORD_GAS * words(bytecode.len());
    if !salt.is_zero() {
        cost += CREATE2_HASH_WORD_GAS * words(bytecode.len());
    }
    if !meter.charge(&mut exec, cost) {
        return (exec, out_of_gas());
    }
    let nonce = exec.state.world.accounts.get(&ADDRESS).map_or(0, |a| a.nonce).max(1);
    exec.state.set_nonce(ADDRESS, nonce + 1);
    let new = if salt.is_zero() {
        create_address(ADDRESS, nonce)
    } else {
        ADDRESS.create2(salt, keccak256(bytecode))
    };
    exec.state.warm_account(new);
    let taken =
        exec.state.world.accounts.get(&new).is_some_and(|a| a.nonce != 0 || a.program.is_some());
    let Some(code) = code_of(bytecode).filter(|_| !taken) else {
        return (exec, revert(deployment_error(), meter.left));
    };
    if !meter.charge(&mut exec, CODE_DEPOSIT_BYTE_GAS * code.len() as u64) {
        return (exec, out_of_gas());
    }
    let Some(wasm) = code.strip_prefix(&STYLUS_PREFIX).and_then(decompress) else {
        let status = Status::Failure(
            "activation failed: the code is not brotli-compressed wasm \
                                      after the 0xEFF00000 prefix"
                .into(),
        );
        return (exec, Outcome { status, output: Vec::new(), gas_left: 0 });
    };
    let program = match crate::compile(&wasm) {
        Ok(program) => program,
        Err(e) => {
            let status = Status::Failure(format!("activation failed: {e}"));
            return (exec, Outcome { status, output: Vec::new(), gas_left: 0 });
        }
    };
    let codehash = program.codehash;
    exec.state.set_nonce(new, 1);
    exec.state.set_program(new, Some(program));

    // Activation (free here: no data fee), as the real deployer decides it.
    let should_activate = !exec.state.world.activated.contains(&codehash);
    if should_activate {
        if msg.value < init_value {
            let panic = Panic { code: U256::from(0x11) }.abi_encode();
            return (exec, revert(panic, meter.left));
        }
        exec.state.activate(codehash);
    }

    // The constructor.
    if !call.initData.is_empty() {
        let (returned, outcome) =
            call_from_deployer(exec, &mut meter, new, init_value, call.initData.to_vec(), false);
        exec = returned;
        match outcome {
            Some(o) if o.status == Status::Success => {}
            Some(o) if o.status == Status::OutOfGas && meter.left == 0 => {
                return (exec, out_of_gas());
            }
            _ => {
                let error = IStylusDeployer::ContractInitializationError { newContract: new };
                return (exec, revert(error.abi_encode(), meter.left));
            }
        }
    } else if !init_value.is_zero() {
        return (
            exec,
            revert(IStylusDeployer::InitValueButNotInitData {}.abi_encode(), meter.left),
        );
    }

    // Refund what activation did not use.
    if should_activate || msg.value != init_value {
        let balance = exec.state.world.balance(ADDRESS);
        if !balance.is_zero() {
            let (returned, outcome) =
                call_from_deployer(exec, &mut meter, msg.caller, balance, Vec::new(), false);
            exec = returned;
            if !outcome.is_some_and(|o| o.status == Status::Success) {
                let error = IStylusDeployer::RefundExcessValueError { excessValue: balance };
                return (exec, revert(error.abi_encode(), meter.left));
            }
        }
    }

    let data = ContractDeployed { deployedContract: new }.encode_log_data();
    let log_cost = 2 * evm::LOG_TOPIC + evm::LOG_DATA * 32;
    if !meter.charge(&mut exec, log_cost) {
        return (exec, out_of_gas());
    }
    exec.state.log(Log {
        address: ADDRESS,
        data: LogData::new_unchecked(data.topics().to_vec(), data.data),
    });
    let output = new.into_word().to_vec();
    (exec, Outcome { status: Status::Success, output, gas_left: meter.left })
}

/// Decompresses brotli, or `None`.
fn decompress(compressed: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut input = compressed;
    brotli::BrotliDecompress(&mut input, &mut out).ok()?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_constructor_selector_is_the_sdks() {
        assert_eq!(CONSTRUCTOR_SELECTOR, keccak256("stylus_constructor()")[..4]);
    }

    #[test]
    fn the_prelude_is_recognized_and_returns_the_code() {
        let code = [&STYLUS_PREFIX[..], &[1, 2, 3]].concat();
        let init = init_code(&code);
        assert_eq!(init.len(), PRELUDE_LEN + code.len());
        assert_eq!(code_of(&init), Some(&code[..]));
        assert_eq!(code_of(&code), Some(&code[..]));
        // A prelude announcing another length is not cargo stylus's.
        let mut wrong = init.clone();
        wrong[32] ^= 1;
        assert_eq!(code_of(&wrong), None);
        assert_eq!(code_of(&[0x60, 0x00]), None);
    }

    #[test]
    fn create_addresses_follow_the_rlp_rule() {
        // The first contract a well-known account created (geth's `crypto.CreateAddress` test
        // vectors): 0x6ac7...c0 with nonce 0 created 0xcd234a471b72ba2f1ccf0a70fcaba648a5eecd8d.
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
    fn the_salt_commits_to_the_init_data_and_value() {
        let salt = B256::repeat_byte(1);
        let a = init_salt(salt, b"abc", U256::from(1));
        assert_ne!(a, init_salt(salt, b"abd", U256::from(1)));
        assert_ne!(a, init_salt(salt, b"abc", U256::from(2)));
        let mut packed = salt.to_vec();
        packed.extend_from_slice(b"abc");
        packed.extend_from_slice(&U256::from(1).to_be_bytes::<32>());
        assert_eq!(a, keccak256(packed));
    }
}
