//! The EVM beside Stylus: EVM bytecode (hand-assembled here; the worlds crate runs compiled
//! Solidity) deployed by creation transactions, calls both ways with value, static and
//! delegate calls, reverts and return data over one state, and the deployment path of a
//! Stylus program: a CREATE, then ArbWasm's `activateProgram` with its data fee.

use alloy_sol_types::{SolCall, SolError, SolEvent};
use stylus_vm::{
    alloy_primitives::{keccak256, Address, B256, U256},
    arbwasm::{self, IArbWasm, ARB_WASM, NETWORK_FEE_ACCOUNT},
    deployer, CallKind, Status, Vm,
};

use crate::common::{ether, setup, wasm, word, Script, CREATOR, SCRIPT_HARNESS};

/// EVM opcodes the tests assemble.
mod op {
    pub(super) const CALLVALUE: u8 = 0x34;
    pub(super) const CALLDATALOAD: u8 = 0x35;
    pub(super) const CALLDATASIZE: u8 = 0x36;
    pub(super) const CALLDATACOPY: u8 = 0x37;
    pub(super) const RETURNDATASIZE: u8 = 0x3d;
    pub(super) const RETURNDATACOPY: u8 = 0x3e;
    pub(super) const MSTORE: u8 = 0x52;
    pub(super) const SLOAD: u8 = 0x54;
    pub(super) const SSTORE: u8 = 0x55;
    pub(super) const JUMPI: u8 = 0x57;
    pub(super) const GAS: u8 = 0x5a;
    pub(super) const JUMPDEST: u8 = 0x5b;
    pub(super) const PUSH0: u8 = 0x5f;
    pub(super) const PUSH1: u8 = 0x60;
    pub(super) const PUSH4: u8 = 0x63;
    pub(super) const PUSH20: u8 = 0x73;
    pub(super) const CALL: u8 = 0xf1;
    pub(super) const RETURN: u8 = 0xf3;
    pub(super) const DELEGATECALL: u8 = 0xf4;
    pub(super) const REVERT: u8 = 0xfd;
}

/// Stores the first calldata word in slot 0 and returns `msg.value`.
fn store_code() -> Vec<u8> {
    use op::*;
    vec![PUSH0, CALLDATALOAD, PUSH0, SSTORE, CALLVALUE, PUSH0, MSTORE, PUSH1, 32, PUSH0, RETURN]
}

/// Returns slot 0.
fn load_code() -> Vec<u8> {
    use op::*;
    vec![PUSH0, SLOAD, PUSH0, MSTORE, PUSH1, 32, PUSH0, RETURN]
}

/// Reverts with the four bytes `0xdeadbeef`.
fn reverter_code() -> Vec<u8> {
    use op::*;
    vec![PUSH4, 0xde, 0xad, 0xbe, 0xef, PUSH0, MSTORE, PUSH1, 4, PUSH1, 28, REVERT]
}

/// Forwards its calldata and value to `target` (`CALL`, or `DELEGATECALL` without value)
/// and returns or reverts with what the target returned.
fn forwarder_code(target: Address, delegate: bool) -> Vec<u8> {
    use op::*;
    let mut code =
        vec![CALLDATASIZE, PUSH0, PUSH0, CALLDATACOPY, PUSH0, PUSH0, CALLDATASIZE, PUSH0];
    if !delegate {
        code.push(CALLVALUE);
    }
    code.push(PUSH20);
    code.extend_from_slice(target.as_slice());
    code.extend_from_slice(&[GAS, if delegate { DELEGATECALL } else { CALL }]);
    code.extend_from_slice(&[RETURNDATASIZE, PUSH0, PUSH0, RETURNDATACOPY]);
    let ok = u8::try_from(code.len() + 6).expect("short code");
    code.extend_from_slice(&[PUSH1, ok, JUMPI, RETURNDATASIZE, PUSH0, REVERT]);
    code.extend_from_slice(&[JUMPDEST, RETURNDATASIZE, PUSH0, RETURN]);
    code
}

/// Deploys `runtime` by a creation transaction from `from` and returns its address.
fn create(vm: &mut Vm, from: Address, runtime: &[u8]) -> Address {
    let nonce = vm.nonce(from);
    let r = vm.create(from, U256::ZERO, &deployer::init_code(runtime));
    assert!(r.success, "{:?}", r.status);
    let address = r.contract_address.expect("the creation made a contract");
    assert_eq!(address, from.create(nonce));
    assert_eq!(vm.nonce(from), nonce + 1);
    assert_eq!(vm.code(address).as_ref(), runtime);
    address
}

#[test]
fn a_creation_transaction_deploys_evm_code_that_keeps_storage_at_eip_2929_prices() {
    let (mut vm, alice, _) = setup(0);
    let store = create(&mut vm, alice, &store_code());
    let load = create(&mut vm, alice, &load_code());
    assert_ne!(store, load);

    let first = vm.call(alice, store, ether(1), word(7).as_slice());
    assert!(first.success, "{:?}", first.status);
    assert_eq!(first.output.as_ref(), ether(1).to_be_bytes::<32>());
    assert_eq!(vm.storage(store, U256::ZERO), word(7));
    assert_eq!(vm.balance(store), ether(1));
    // The same value again: a cold no-op SSTORE (2,100 + 100) instead of a cold set
    // (2,100 + 20,000), the rest identical.
    let again = vm.call(alice, store, ether(1), word(7).as_slice());
    assert!(again.success);
    assert_eq!(first.gas_used - again.gas_used, 19_900);

    let read = vm.static_call(alice, load, &[]);
    assert!(read.success);
    assert_eq!(read.output.as_ref(), B256::ZERO.as_slice(), "each contract has its own storage");
}

#[test]
fn a_stylus_program_calls_evm_code_with_value_and_reads_its_return_data() {
    let (mut vm, alice, harnesses) = setup(1);
    let store = create(&mut vm, alice, &store_code());
    let script = Script::new().call(store, ether(2), 200_000, word(9).as_slice());
    let r = vm.call(alice, harnesses[0], ether(2), script.bytes());
    assert!(r.success, "{:?}", r.status);
    assert_eq!(r.output[0], 0, "the EVM call succeeded");
    assert_eq!(&r.output[1..], ether(2).to_be_bytes::<32>());
    assert_eq!(vm.storage(store, U256::ZERO), word(9));
    assert_eq!(vm.balance(store), ether(2));
    assert_eq!(vm.balance(harnesses[0]), U256::ZERO);
    let kinds: Vec<_> = r.calls.iter().map(|c| (c.depth, c.caller, c.address)).collect();
    assert_eq!(kinds, [(0, alice, harnesses[0]), (1, harnesses[0], store)]);
}

#[test]
fn evm_code_calls_a_stylus_program_and_relays_its_result() {
    let (mut vm, alice, harnesses) = setup(1);
    let forwarder = create(&mut vm, alice, &forwarder_code(harnesses[0], false));
    let script = Script::new().sstore(1, 5).sload(1).value();
    let r = vm.call(alice, forwarder, U256::from(3), script.bytes());
    assert!(r.success, "{:?}", r.status);
    assert_eq!(&r.output[..32], word(5).as_slice());
    assert_eq!(&r.output[32..], U256::from(3).to_be_bytes::<32>(), "the value went through");
    assert_eq!(vm.storage(harnesses[0], U256::from(1)), word(5));
    assert_eq!(vm.balance(harnesses[0]), U256::from(3));
}

#[test]
fn a_revert_in_evm_code_reaches_the_stylus_caller_with_its_data() {
    let (mut vm, alice, harnesses) = setup(1);
    let reverter = create(&mut vm, alice, &reverter_code());
    let script = Script::new().sstore(2, 1).call(reverter, U256::ZERO, 100_000, &[]);
    let r = vm.call(alice, harnesses[0], U256::ZERO, script.bytes());
    assert!(r.success, "the program goes on after the failed call: {:?}", r.status);
    assert_eq!(r.output[0], 2, "the call failed");
    assert_eq!(&r.output[1..], [0xde, 0xad, 0xbe, 0xef]);
    assert_eq!(vm.storage(harnesses[0], U256::from(2)), word(1));
}

#[test]
fn a_revert_in_a_stylus_program_reaches_the_evm_caller_and_undoes_everything() {
    let (mut vm, alice, harnesses) = setup(1);
    let forwarder = create(&mut vm, alice, &forwarder_code(harnesses[0], false));
    let before = vm.snapshot(&[alice]);
    let script = Script::new().sstore(1, 5).flush().sload(1).revert();
    let r = vm.call(alice, forwarder, U256::from(3), script.bytes());
    assert_eq!(r.status, Status::Revert);
    assert_eq!(r.output.as_ref(), word(5).as_slice(), "the program's revert data");
    assert_eq!(vm.snapshot(&[alice]), before);
}

#[test]
fn an_evm_proxy_delegatecalls_a_stylus_program_on_its_own_storage() {
    let (mut vm, alice, harnesses) = setup(1);
    let proxy = create(&mut vm, alice, &forwarder_code(harnesses[0], true));
    let script = Script::new().sstore(3, 4).value();
    let r = vm.call(alice, proxy, U256::from(7), script.bytes());
    assert!(r.success, "{:?}", r.status);
    assert_eq!(r.output.as_ref(), U256::from(7).to_be_bytes::<32>(), "msg.value carries over");
    assert_eq!(vm.storage(proxy, U256::from(3)), word(4));
    assert_eq!(vm.storage(harnesses[0], U256::from(3)), B256::ZERO);
    assert_eq!(vm.balance(proxy), U256::from(7));
    assert_eq!(r.calls[1].kind, CallKind::DelegateCall);
    assert_eq!((r.calls[1].address, r.calls[1].code_address), (proxy, harnesses[0]));
}

#[test]
fn a_static_call_from_a_program_cannot_write_through_evm_code() {
    let (mut vm, alice, harnesses) = setup(1);
    let store = create(&mut vm, alice, &store_code());
    let script = Script::new().static_call(store, 100_000, word(1).as_slice());
    let r = vm.call(alice, harnesses[0], U256::ZERO, script.bytes());
    assert!(r.success);
    assert_eq!(r.output[0], 2, "SSTORE in a static context fails");
    assert_eq!(vm.storage(store, U256::ZERO), B256::ZERO);
}

#[test]
fn new_code_starting_with_0xef_is_refused_unless_it_is_a_stylus_program() {
    let (mut vm, alice, _) = setup(0);
    let r = vm.create(alice, U256::ZERO, &deployer::init_code(&[0xef, 0x00, 0x01]));
    assert!(!r.success);
    assert_eq!(r.contract_address, None);
    assert!(matches!(&r.status, Status::Failure(m) if m.contains("EIP-3541")), "{:?}", r.status);
    assert_eq!(r.gas_used, r.gas_limit, "a refused code consumes the gas");
    let code = deployer::deployed_code(&wasm(SCRIPT_HARNESS));
    let r = vm.create(alice, U256::ZERO, &deployer::init_code(&code));
    assert!(r.success, "{:?}", r.status);
}

/// Deploys the harness's code by a creation transaction, not activated.
fn create_program(vm: &mut Vm, from: Address) -> (Address, B256) {
    let code = deployer::deployed_code(&wasm(SCRIPT_HARNESS));
    let r = vm.create(from, U256::ZERO, &deployer::init_code(&code));
    assert!(r.success, "{:?}", r.status);
    (r.contract_address.expect("created"), keccak256(&code))
}

fn activate(vm: &mut Vm, from: Address, program: Address, value: U256) -> stylus_vm::Receipt {
    let call = arbwasm::activateProgramCall { program };
    vm.call(from, ARB_WASM, value, &call.abi_encode())
}

#[test]
fn a_created_program_fails_until_activated_and_activation_takes_its_data_fee() {
    let mut vm = Vm::new();
    let alice = Address::repeat_byte(0xa1);
    vm.set_balance(alice, ether(10));
    let (program, codehash) = create_program(&mut vm, alice);
    assert!(!vm.has_program(program));

    let script = Script::new().sstore(1, 1);
    let r = vm.call_with_gas(alice, program, U256::ZERO, script.bytes(), 500_000);
    assert!(matches!(&r.status, Status::Failure(m) if m.contains("ProgramNotActivated")));
    assert_eq!(r.gas_used, 500_000, "calling an inactive program burns the gas");

    // Without the fee: ProgramInsufficientValue(0, fee), and nothing changes.
    let before = vm.snapshot(&[alice]);
    let r = activate(&mut vm, alice, program, U256::ZERO);
    assert_eq!(r.status, Status::Revert);
    let error = IArbWasm::ProgramInsufficientValue::abi_decode(&r.output, true).unwrap();
    assert_eq!(error.have, U256::ZERO);
    let fee = error.want;
    assert!(fee > U256::ZERO);
    assert_eq!(vm.snapshot(&[alice]), before);

    // With more than the fee: the fee goes to the network, the rest comes back.
    let sent = fee + U256::from(12_345);
    let r = activate(&mut vm, alice, program, sent);
    assert!(r.success, "{:?}", r.status);
    let (version, data_fee) = <(u16, U256)>::from(
        arbwasm::activateProgramCall::abi_decode_returns(&r.output, true).unwrap(),
    );
    assert_eq!((version, data_fee), (arbwasm::STYLUS_VERSION, fee));
    assert_eq!(vm.balance(NETWORK_FEE_ACCOUNT), fee);
    assert_eq!(vm.balance(alice), ether(10) - fee);
    assert_eq!(vm.balance(ARB_WASM), U256::ZERO);
    let event = arbwasm::ProgramActivated::decode_log(&r.logs[0], true).unwrap();
    assert_eq!((event.codehash, event.program, event.dataFee), (codehash, program, fee));
    assert!(r.gas_used > arbwasm::ACTIVATION_FIXED_GAS);
    assert!(vm.has_program(program));

    // Now the program runs; the same code elsewhere needs no second activation.
    let r = vm.call(alice, program, U256::ZERO, script.bytes());
    assert!(r.success, "{:?}", r.status);
    assert_eq!(vm.storage(program, U256::from(1)), word(1));
    let (twin, _) = create_program(&mut vm, alice);
    assert!(vm.call(alice, twin, U256::ZERO, script.bytes()).success);
    let again = activate(&mut vm, alice, twin, fee);
    assert_eq!(again.status, Status::Revert);
    assert_eq!(again.output.as_ref(), IArbWasm::ProgramUpToDate {}.abi_encode());
}

#[test]
fn arbwasm_views_answer_for_active_programs_and_refuse_others() {
    let mut vm = Vm::new();
    let alice = Address::repeat_byte(0xa1);
    vm.set_balance(alice, ether(10));
    let (program, codehash) = create_program(&mut vm, alice);
    let version = |vm: &mut Vm| {
        let call = IArbWasm::codehashVersionCall { codehash };
        vm.static_call(alice, ARB_WASM, &call.abi_encode())
    };
    let r = version(&mut vm);
    assert_eq!(r.output.as_ref(), IArbWasm::ProgramNotActivated {}.abi_encode());
    assert!(activate(&mut vm, alice, program, ether(1)).success);
    assert_eq!(version(&mut vm).output.as_ref(), U256::from(2).to_be_bytes::<32>());
    let info = vm.program_info(program).unwrap().clone();
    let call = IArbWasm::programInitGasCall { program };
    let r = vm.static_call(alice, ARB_WASM, &call.abi_encode());
    let gas = IArbWasm::programInitGasCall::abi_decode_returns(&r.output, true).unwrap();
    assert_eq!(gas.gas, info.init_gas() + info.cached_gas());
    assert_eq!(gas.gasWhenCached, info.cached_gas());
    let call = IArbWasm::programMemoryFootprintCall { program };
    let r = vm.static_call(alice, ARB_WASM, &call.abi_encode());
    assert_eq!(r.output.as_ref(), U256::from(info.footprint).to_be_bytes::<32>());
    let call = IArbWasm::stylusVersionCall {};
    let r = vm.call(alice, ARB_WASM, U256::from(1), &call.abi_encode());
    assert_eq!(r.status, Status::Revert, "views take no value");
}

#[test]
fn the_data_fee_grows_with_demand_and_drains_with_time() {
    let mut vm = Vm::new();
    let alice = Address::repeat_byte(0xa1);
    vm.set_balance(alice, ether(100));
    let fee_of = |vm: &mut Vm, program: Address| {
        let r = activate(vm, alice, program, U256::ZERO);
        IArbWasm::ProgramInsufficientValue::abi_decode(&r.output, true).unwrap().want
    };
    // Two different programs (different code hashes), activated back to back.
    let (a, _) = create_program(&mut vm, alice);
    let code = deployer::deployed_code(&wasm(crate::common::NOOP));
    let b = vm.create(alice, U256::ZERO, &deployer::init_code(&code)).contract_address.unwrap();
    let alone = fee_of(&mut vm, b);
    assert!(activate(&mut vm, alice, a, ether(1)).success);
    let after = fee_of(&mut vm, b);
    assert!(after > alone, "demand raised the price: {after} > {alone}");
    vm.advance_time(3_600);
    assert_eq!(fee_of(&mut vm, b), alone, "an hour refills more than one program's demand");
}

#[test]
fn a_stylus_program_creates_evm_contracts_with_create1_and_create2() {
    let (mut vm, alice, _) = setup(0);
    let creator = vm.deploy(&wasm(CREATOR)).unwrap();
    let init = deployer::init_code(&load_code());
    let r = vm.call(alice, creator, U256::ZERO, &init);
    assert!(r.success, "{:?}", r.status);
    let created = Address::from_slice(&r.output[..20]);
    assert_eq!(created, creator.create(0));
    assert_eq!(vm.code(created).as_ref(), load_code());
    assert_eq!(r.calls[1].kind, CallKind::Create);

    let r = vm.call(alice, creator, U256::ZERO, &[&[2u8][..], &init].concat());
    assert!(r.success, "{:?}", r.status);
    let created2 = Address::from_slice(&r.output[..20]);
    assert_eq!(created2, creator.create2(B256::ZERO, keccak256(&init)));
    assert_eq!(r.calls[1].kind, CallKind::Create2);
    // The same salt and code again collide: the zero address.
    let r = vm.call(alice, creator, U256::ZERO, &[&[2u8][..], &init].concat());
    assert!(r.success);
    assert_eq!(Address::from_slice(&r.output[..20]), Address::ZERO);
}

#[test]
fn the_breakdown_puts_evm_frames_in_their_own_part_and_adds_up() {
    let (mut vm, alice, harnesses) = setup(1);
    let store = create(&mut vm, alice, &store_code());
    let forwarder = create(&mut vm, alice, &forwarder_code(harnesses[0], false));
    // EVM only: all the execution is the EVM's.
    let r = vm.call(alice, store, U256::ZERO, word(3).as_slice());
    let b = r.breakdown;
    assert_eq!(b.total(), r.gas_used);
    assert_eq!(b.execution(), b.evm, "{b:?}");
    // EVM calling a program: the program's parts are its own, the forwarder's are the EVM's.
    let r = vm.call(alice, forwarder, U256::ZERO, Script::new().sstore(1, 2).bytes());
    let b = r.breakdown;
    assert_eq!(b.total(), r.gas_used);
    assert!(b.evm >= 2_600, "the forwarder paid the cold call: {b:?}");
    assert!(b.entry > 0 && b.storage >= 22_100, "{b:?}");
}

#[test]
fn a_program_delegatecalls_evm_code_which_writes_the_programs_storage() {
    let (mut vm, alice, harnesses) = setup(1);
    let store = create(&mut vm, alice, &store_code());
    let script = Script::new().delegate_call(store, 100_000, word(11).as_slice());
    let r = vm.call(alice, harnesses[0], U256::from(5), script.bytes());
    assert!(r.success, "{:?}", r.status);
    assert_eq!(r.output[0], 0, "the delegate call succeeded");
    // The EVM code ran on the program's storage and saw the program's `msg.value`.
    assert_eq!(&r.output[1..], U256::from(5).to_be_bytes::<32>());
    assert_eq!(vm.storage(harnesses[0], U256::ZERO), word(11));
    assert_eq!(vm.storage(store, U256::ZERO), B256::ZERO);
    assert_eq!(r.calls[1].kind, CallKind::DelegateCall);
    assert_eq!((r.calls[1].address, r.calls[1].code_address), (harnesses[0], store));
}
