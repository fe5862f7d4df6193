//! An adversarial review of the EVM beside Stylus (issue 15): each test pins what go-ethereum
//! (OffchainLabs' fork, `core/vm`) and nitro (`arbos/`, `precompiles/`) do where the VM once
//! did something else, or where the existing tests left a rule unpinned. The EVM code is
//! hand-assembled ([`op`]); the Stylus side is the script harness of `common`.

use alloy_sol_types::{SolCall, SolError};
use stylus_vm::{
    alloy_primitives::{keccak256, Address, B256, U256},
    arbwasm::{self, IArbWasm, ARB_WASM},
    deployer,
    precompiles::ARB_SYS,
    Status, Vm, DEFAULT_GAS_LIMIT,
};

use crate::common::{ether, setup, wasm, word, Script, CREATOR, NOOP, SCRIPT_HARNESS};

/// EVM opcodes the tests assemble.
mod op {
    pub(super) const STOP: u8 = 0x00;
    pub(super) const ADD: u8 = 0x01;
    pub(super) const SUB: u8 = 0x03;
    pub(super) const ADDRESS: u8 = 0x30;
    pub(super) const BALANCE: u8 = 0x31;
    pub(super) const ORIGIN: u8 = 0x32;
    pub(super) const CALLER: u8 = 0x33;
    pub(super) const CALLDATALOAD: u8 = 0x35;
    pub(super) const CALLDATASIZE: u8 = 0x36;
    pub(super) const CALLDATACOPY: u8 = 0x37;
    pub(super) const CODECOPY: u8 = 0x39;
    pub(super) const EXTCODESIZE: u8 = 0x3b;
    pub(super) const RETURNDATASIZE: u8 = 0x3d;
    pub(super) const RETURNDATACOPY: u8 = 0x3e;
    pub(super) const EXTCODEHASH: u8 = 0x3f;
    pub(super) const POP: u8 = 0x50;
    pub(super) const MSTORE: u8 = 0x52;
    pub(super) const SSTORE: u8 = 0x55;
    pub(super) const JUMPI: u8 = 0x57;
    pub(super) const TLOAD: u8 = 0x5c;
    pub(super) const GAS: u8 = 0x5a;
    pub(super) const JUMPDEST: u8 = 0x5b;
    pub(super) const PUSH0: u8 = 0x5f;
    pub(super) const PUSH1: u8 = 0x60;
    pub(super) const PUSH2: u8 = 0x61;
    pub(super) const PUSH20: u8 = 0x73;
    pub(super) const DUP1: u8 = 0x80;
    pub(super) const DUP6: u8 = 0x85;
    pub(super) const SWAP1: u8 = 0x90;
    pub(super) const LOG0: u8 = 0xa0;
    pub(super) const CREATE: u8 = 0xf0;
    pub(super) const CALL: u8 = 0xf1;
    pub(super) const CALLCODE: u8 = 0xf2;
    pub(super) const RETURN: u8 = 0xf3;
    pub(super) const DELEGATECALL: u8 = 0xf4;
    pub(super) const CREATE2: u8 = 0xf5;
    pub(super) const REVERT: u8 = 0xfd;
    pub(super) const SELFDESTRUCT: u8 = 0xff;
}

/// `PUSH20 address`.
fn push_address(address: Address) -> Vec<u8> {
    [&[op::PUSH20][..], address.as_slice()].concat()
}

/// `PUSH2 value`.
fn push2(value: usize) -> Vec<u8> {
    let value = u16::try_from(value).expect("short test code");
    [&[op::PUSH2][..], &value.to_be_bytes()].concat()
}

/// Returns the first word of memory.
const RETURN_WORD: [u8; 4] = [op::PUSH1, 32, op::PUSH0, op::RETURN];

/// Deploys `runtime` by a creation transaction from `from` and returns its address.
fn create(vm: &mut Vm, from: Address, runtime: &[u8]) -> Address {
    let r = vm.create(from, U256::ZERO, &deployer::init_code(runtime));
    assert!(r.success, "{:?}", r.status);
    r.contract_address.expect("the creation made a contract")
}

/// Forwards its calldata to `target` by `DELEGATECALL` and returns or reverts with what the
/// target returned: an EVM proxy.
fn proxy_code(target: Address) -> Vec<u8> {
    use op::*;
    let mut code = vec![CALLDATASIZE, PUSH0, PUSH0, CALLDATACOPY, PUSH0, PUSH0, CALLDATASIZE];
    code.push(PUSH0);
    code.extend(push_address(target));
    code.extend_from_slice(&[GAS, DELEGATECALL, RETURNDATASIZE, PUSH0, PUSH0, RETURNDATACOPY]);
    let ok = u8::try_from(code.len() + 6).expect("short code");
    code.extend_from_slice(&[PUSH1, ok, JUMPI, RETURNDATASIZE, PUSH0, REVERT]);
    code.extend_from_slice(&[JUMPDEST, RETURNDATASIZE, PUSH0, RETURN]);
    code
}

/// Returns `EXTCODESIZE` and `EXTCODEHASH` of the address in its first calldata word.
fn code_info_code() -> Vec<u8> {
    use op::*;
    vec![
        PUSH0,
        CALLDATALOAD,
        EXTCODESIZE,
        PUSH0,
        MSTORE,
        PUSH0,
        CALLDATALOAD,
        EXTCODEHASH,
        PUSH1,
        32,
        MSTORE,
        PUSH1,
        64,
        PUSH0,
        RETURN,
    ]
}

// ---------------------------------------------------------------------------------------------
// Code the interpreter must run as legacy bytecode.

#[test]
fn init_code_starting_with_0xef_fails_as_an_invalid_opcode_and_consumes_the_gas() {
    // revm's own handler runs init code as legacy bytecode (`Bytecode::new_legacy`); geth
    // runs it and halts on the undefined opcode 0xEF. Decoding it as EOF or as an EIP-7702
    // designator instead panicked on these.
    let (mut vm, alice, _) = setup(0);
    let designator = [&[0xEF, 0x01, 0x00][..], Address::repeat_byte(7).as_slice()].concat();
    for init in [vec![0xEF, 0x00], vec![0xEF, 0x00, 0x01, 0x00, 0x04], designator] {
        let nonce = vm.nonce(alice);
        let r = vm.create_with_gas(alice, U256::ZERO, &init, 200_000);
        assert!(matches!(&r.status, Status::Failure(m) if m.contains("EVM")), "{:?}", r.status);
        assert_eq!(r.gas_used, 200_000, "an exceptional halt consumes the gas");
        assert_eq!(r.contract_address, None);
        assert_eq!(vm.nonce(alice), nonce + 1, "a failed creation still uses the nonce");
    }
}

#[test]
fn code_starting_with_0xef_placed_at_genesis_halts_when_called() {
    let (mut vm, alice, _) = setup(0);
    let target = Address::repeat_byte(0x77);
    vm.set_code(target, &[0xEF, 0x00, 0x01]);
    let r = vm.call_with_gas(alice, target, U256::ZERO, &[], 100_000);
    assert!(matches!(&r.status, Status::Failure(m) if m.contains("EVM")), "{:?}", r.status);
    assert_eq!(r.gas_used, 100_000);
}

// ---------------------------------------------------------------------------------------------
// EIP-150's call depth.

/// Stores its calldata word `d` in slot 0 and calls itself with `d + 1` and all its gas.
fn recursive_code() -> Vec<u8> {
    use op::*;
    vec![
        PUSH0,
        CALLDATALOAD,
        DUP1,
        PUSH0,
        SSTORE,
        PUSH1,
        1,
        ADD,
        PUSH0,
        MSTORE,
        PUSH0,
        PUSH0,
        PUSH1,
        32,
        PUSH0,
        PUSH0,
        ADDRESS,
        GAS,
        CALL,
        POP,
        STOP,
    ]
}

#[test]
fn a_transaction_reaches_1024_nested_calls_below_its_own_frame_and_no_more() {
    // geth (`evm.Call`): `if evm.depth > CallCreateDepth { ErrDepth }`, where the transaction's
    // frame runs at depth 1: the frames at depths 0..=1024 of this contract all run, as in
    // revm (`journaled_state.depth() > CALL_STACK_LIMIT`). Each level recurses on the native
    // stack, hence the thread with a large one.
    let deepest = std::thread::Builder::new()
        .stack_size(1 << 30)
        .spawn(|| {
            let (mut vm, alice, _) = setup(0);
            let recursive = create(&mut vm, alice, &recursive_code());
            // 63/64 per level: (64/63)^1025 is about 1e7, so the deepest frame needs a lot.
            let r = vm.call_with_gas(alice, recursive, U256::ZERO, &[0; 32], 1 << 42);
            assert!(r.success, "{:?}", r.status);
            vm.storage(recursive, U256::ZERO)
        })
        .expect("a thread")
        .join()
        .expect("no panic");
    assert_eq!(deepest, word(1024));
}

// ---------------------------------------------------------------------------------------------
// Stylus's reentrancy flag counts EVM frames too.

#[test]
fn a_program_behind_an_evm_proxy_sees_the_reentry_through_the_proxy() {
    // nitro's `TxProcessor.PushContract` counts every open frame of an address (EVM and
    // Stylus alike) that is not a delegate call or callcode; `msg_reentrant` is that count
    // above one. Here the proxy's two EVM frames are what count: the program runs in them by
    // delegation.
    let (mut vm, alice, harnesses) = setup(1);
    let proxy = create(&mut vm, alice, &proxy_code(harnesses[0]));
    let first = vm.call(alice, proxy, U256::ZERO, Script::new().reentrant().bytes());
    assert!(first.success, "{:?}", first.status);
    assert_eq!(first.output.as_ref(), [0], "one frame of the proxy: not reentrant");

    let inner = Script::new().reentrant();
    let outer = Script::new().call(proxy, U256::ZERO, 2_000_000, inner.bytes());
    let r = vm.call(alice, proxy, U256::ZERO, outer.bytes());
    assert!(r.success, "{:?}", r.status);
    assert_eq!(r.output.as_ref(), [0, 1], "the call succeeded and the inner frame is reentrant");
}

// ---------------------------------------------------------------------------------------------
// SELFDESTRUCT (EIP-6780) and Arbitrum's rule for Stylus accounts.

/// Runtime: with calldata, writes slot 0 and self-destructs to the caller; without, returns 42.
fn ephemeral_runtime() -> Vec<u8> {
    use op::*;
    let mut code = vec![CALLDATASIZE, PUSH1, 12, JUMPI, PUSH1, 42, PUSH0, MSTORE];
    code.extend_from_slice(&RETURN_WORD);
    assert_eq!(code.len(), 12);
    code.extend_from_slice(&[JUMPDEST, PUSH1, 1, PUSH0, SSTORE, CALLER, SELFDESTRUCT]);
    code
}

/// In one frame: `CREATE2` (salt 0) of [`ephemeral_runtime`], a call that makes it
/// self-destruct, then a plain call whose return word it returns.
fn factory_code() -> Vec<u8> {
    use op::*;
    let init = deployer::init_code(&ephemeral_runtime());
    let mut code = Vec::new();
    let prefix_len = 39;
    code.extend(push2(init.len()));
    code.extend(push2(prefix_len));
    code.extend_from_slice(&[PUSH0, CODECOPY, PUSH0]);
    code.extend(push2(init.len()));
    code.extend_from_slice(&[PUSH0, PUSH0, CREATE2]);
    // call(gas, child, 0, 0, 1, 0, 0): the self-destruct
    code.extend_from_slice(&[PUSH0, PUSH0, PUSH1, 1, PUSH0, PUSH0, DUP6, GAS, CALL, POP]);
    // call(gas, child, 0, 0, 0, 0, 32): the return word into memory 0
    code.extend_from_slice(&[PUSH1, 32, PUSH0, PUSH0, PUSH0, PUSH0, DUP6, GAS, CALL, POP]);
    code.extend_from_slice(&RETURN_WORD);
    assert_eq!(code.len(), prefix_len);
    code.extend_from_slice(&init);
    code
}

#[test]
fn a_contract_destroyed_in_its_creating_transaction_runs_until_the_end_of_it_then_is_gone() {
    // geth's `SelfDestruct6780` marks the account; `Finalise` deletes it (code, nonce,
    // storage, balance) when the transaction ends. Until then its code still runs.
    let (mut vm, alice, _) = setup(0);
    let factory = create(&mut vm, alice, &factory_code());
    let init = deployer::init_code(&ephemeral_runtime());
    let child = factory.create2(B256::ZERO, keccak256(&init));
    for round in 0..2 {
        let r = vm.call(alice, factory, U256::ZERO, &[]);
        assert!(r.success, "{:?}", r.status);
        assert_eq!(r.output.as_ref(), word(42).as_slice(), "round {round}: the code still ran");
        assert!(vm.code(child).is_empty(), "round {round}: the code is gone after the transaction");
        assert_eq!(vm.nonce(child), 0, "round {round}");
        assert_eq!(vm.storage(child, U256::ZERO), B256::ZERO, "round {round}: storage too");
        // So the second round re-creates it at the same address (no EIP-684 collision).
    }
    assert_eq!(vm.nonce(factory), 3, "two creations after the factory's own 1");
}

#[test]
fn selfdestruct_of_an_older_contract_moves_its_balance_and_keeps_its_code() {
    let (mut vm, alice, _) = setup(0);
    let heir = Address::repeat_byte(0x4e);
    let code = [push_address(heir), vec![op::SELFDESTRUCT]].concat();
    let doomed = create(&mut vm, alice, &code);
    vm.set_balance(doomed, U256::from(5));
    let r = vm.call(alice, doomed, U256::ZERO, &[]);
    assert!(r.success, "{:?}", r.status);
    assert_eq!((vm.balance(doomed), vm.balance(heir)), (U256::ZERO, U256::from(5)));
    assert_eq!(vm.code(doomed).as_ref(), code, "EIP-6780: not created in this transaction");
    assert_eq!(vm.nonce(doomed), 1);
}

#[test]
fn selfdestruct_reverts_when_a_stylus_program_is_the_acting_account() {
    // go-ethereum's `opSelfdestruct6780` (Arbitrum): "revert if acting account is a Stylus
    // program". A program's delegate call into EVM code cannot give its balance away so.
    let (mut vm, alice, harnesses) = setup(1);
    let heir = Address::repeat_byte(0x4e);
    let destroyer = create(&mut vm, alice, &[push_address(heir), vec![op::SELFDESTRUCT]].concat());
    vm.set_balance(harnesses[0], U256::from(5));
    let script = Script::new().delegate_call(destroyer, 100_000, &[]);
    let r = vm.call(alice, harnesses[0], U256::ZERO, script.bytes());
    assert!(r.success, "{:?}", r.status);
    assert_eq!(r.output.as_ref(), [2], "the delegate call reverted");
    assert_eq!((vm.balance(harnesses[0]), vm.balance(heir)), (U256::from(5), U256::ZERO));
}

// ---------------------------------------------------------------------------------------------
// Creation rules: the Stylus exception to EIP-3541, and the create hostios.

#[test]
fn new_code_with_any_stylus_prefix_is_kept_as_nitro_keeps_it_at_arbos_60() {
    // go-ethereum's `initNewContract`: 0xEF code is refused unless
    // `IsStylusComponentPrefix`: 0xEFF000 then any byte (a classic program, whatever its
    // dictionary byte), and from ArbOS 60 0xEFF001 (a fragment) and 0xEFF002 (a root).
    let (mut vm, alice, _) = setup(0);
    let kept: [&[u8]; 4] = [
        &[0xEF, 0xF0, 0x00, 0x02, 0xAA],
        &[0xEF, 0xF0, 0x00, 0x00],
        &[0xEF, 0xF0, 0x01, 0x00],
        &[0xEF, 0xF0, 0x02, 0x00],
    ];
    for code in kept {
        let r = vm.create(alice, U256::ZERO, &deployer::init_code(code));
        assert!(r.success, "{code:02x?}: {:?}", r.status);
        assert_eq!(vm.code(r.contract_address.unwrap()).as_ref(), code);
    }
    let refused: [&[u8]; 3] = [&[0xEF, 0xF0, 0x03, 0x00], &[0xEF, 0xF0, 0x00], &[0xEF]];
    for code in refused {
        let r = vm.create(alice, U256::ZERO, &deployer::init_code(code));
        assert!(matches!(&r.status, Status::Failure(m) if m.contains("EIP-3541")), "{code:02x?}");
    }
}

#[test]
fn the_create_hostios_charge_no_init_code_word_gas_and_have_no_init_code_limit() {
    // nitro's `api.go` `create`: 32,000, plus 6 gas a word hashed for CREATE2, then 63/64 of
    // the rest to the init code. EIP-3860's 2 gas a word and 49,152-byte limit are opcode
    // rules (`gasCreateEip3860`), which the hostios do not apply.
    let (mut vm, alice, _) = setup(0);
    let creator = vm.deploy(&wasm(CREATOR)).unwrap();
    let init = deployer::init_code(&[op::STOP]);
    let words = u64::try_from(init.len().div_ceil(32)).unwrap();
    let r = vm.call(alice, creator, U256::ZERO, &init);
    assert!(r.success, "{:?}", r.status);
    assert_eq!(Address::from_slice(&r.output[..20]), creator.create(0));
    assert_eq!(r.breakdown.calls, 32_000, "{:?}", r.breakdown);
    let r = vm.call(alice, creator, U256::ZERO, &[&[2u8][..], &init].concat());
    assert!(r.success, "{:?}", r.status);
    assert_eq!(r.breakdown.calls, 32_000 + 6 * words, "{:?}", r.breakdown);

    let mut large = deployer::init_code(&[op::STOP]);
    large.resize(50_000, 0);
    let r = vm.call(alice, creator, U256::ZERO, &large);
    assert!(r.success, "{:?}", r.status);
    // CREATE2 used nonce 1 too.
    assert_eq!(Address::from_slice(&r.output[..20]), creator.create(2));
    assert_eq!(vm.code(creator.create(2)).as_ref(), [op::STOP]);
}

#[test]
fn create_from_evm_code_follows_eip_3860_and_the_revert_data_reaches_returndata() {
    // The interpreter's CREATE2 (`PUSH0 PUSH2 len PUSH0 PUSH0 CREATE2` after copying its own
    // tail): the reverting init code's data is RETURNDATA; a success leaves it empty.
    use op::*;
    let (mut vm, alice, _) = setup(0);
    let reverting = vec![PUSH1, 0xAB, PUSH0, MSTORE, PUSH1, 32, PUSH0, REVERT];
    let build = |init: &[u8]| {
        let mut code = Vec::new();
        code.extend(push2(init.len()));
        code.extend(push2(25));
        code.extend_from_slice(&[PUSH0, CODECOPY, PUSH0]);
        code.extend(push2(init.len()));
        code.extend_from_slice(&[PUSH0, PUSH0, CREATE2, PUSH0, MSTORE, RETURNDATASIZE, PUSH1, 32]);
        code.extend_from_slice(&[MSTORE, PUSH1, 64, PUSH0, RETURN]);
        assert_eq!(code.len(), 25);
        code.extend_from_slice(init);
        code
    };
    let factory = create(&mut vm, alice, &build(&reverting));
    let r = vm.call(alice, factory, U256::ZERO, &[]);
    assert!(r.success, "{:?}", r.status);
    assert_eq!(&r.output[..32], B256::ZERO.as_slice(), "no address");
    assert_eq!(&r.output[32..], word(32).as_slice(), "the revert data's length");
    let factory = create(&mut vm, alice, &build(&deployer::init_code(&[STOP])));
    let r = vm.call(alice, factory, U256::ZERO, &[]);
    assert!(r.success, "{:?}", r.status);
    let init = deployer::init_code(&[STOP]);
    let created = factory.create2(B256::ZERO, keccak256(&init));
    assert_eq!(&r.output[..32], created.into_word().as_slice());
    assert_eq!(&r.output[32..], B256::ZERO.as_slice(), "a success leaves no return data");
}

// ---------------------------------------------------------------------------------------------
// The precompiles' accounts.

#[test]
fn arbitrum_precompiles_have_nitros_placeholder_code_and_ethereums_have_none() {
    // nitro's `InitializeArbosState`: "Solidity requires call targets have code, but
    // precompiles don't. To work around this, we give precompiles fake code" (0xFE).
    let (mut vm, alice, _) = setup(0);
    assert_eq!(vm.code(ARB_SYS).as_ref(), [0xFE]);
    assert_eq!(vm.code(ARB_WASM).as_ref(), [0xFE]);
    let info = create(&mut vm, alice, &code_info_code());
    let r = vm.call(alice, info, U256::ZERO, ARB_SYS.into_word().as_slice());
    assert_eq!(&r.output[..32], word(1).as_slice());
    assert_eq!(&r.output[32..], keccak256([0xFEu8]).as_slice());
    let ecrecover = Address::with_last_byte(1);
    let r = vm.call(alice, info, U256::ZERO, ecrecover.into_word().as_slice());
    assert_eq!(r.output.as_ref(), [0u8; 64], "an empty account: size 0, hash 0");
}

#[test]
fn extcodehash_tells_an_empty_account_from_a_funded_one_and_sees_program_code() {
    let (mut vm, alice, harnesses) = setup(1);
    let info = create(&mut vm, alice, &code_info_code());
    let funded = Address::repeat_byte(0x5a);
    vm.set_balance(funded, U256::from(1));
    let r = vm.call(alice, info, U256::ZERO, funded.into_word().as_slice());
    assert_eq!(&r.output[32..], keccak256([0u8; 0]).as_slice(), "an account without code");
    let r = vm.call(alice, info, U256::ZERO, Address::repeat_byte(0x5b).into_word().as_slice());
    assert_eq!(r.output.as_ref(), [0u8; 64], "no account: zero");
    let code = vm.code(harnesses[0]);
    let r = vm.call(alice, info, U256::ZERO, harnesses[0].into_word().as_slice());
    assert_eq!(
        &r.output[..32],
        word(u64::try_from(code.len()).unwrap()).as_slice(),
        "the prefixed brotli code"
    );
    assert_eq!(&r.output[32..], keccak256(&code).as_slice());
}

// ---------------------------------------------------------------------------------------------
// ArbWasm: the data pricer and the precompile wrapper's gas.

/// nitro's `UpdateModel` price for `bytes` of asm once the demand is `demand` (parameters of
/// `initDataPricer`: min price 82,928,201 wei, inertia 21,360,419), with
/// `arbmath.ApproxExpBasisPoints(·, 12)` and `UintSaturatingMulByBips`.
fn nitro_data_fee(demand: u64, bytes: u64) -> U256 {
    let x = 10_000 * demand / 21_360_419;
    let mut exp = 10_000 + x / 12;
    for i in (1..12).rev() {
        exp = 10_000 + exp * x / (i * 10_000);
    }
    U256::from(82_928_201 * exp / 10_000 * bytes)
}

/// nitro's `initialBytesPerSecond`: `InitialHourlyBytes` (1 TiB a year) over an hour.
const BYTES_PER_SECOND: u64 = (1 << 40) / (365 * 24) / 3_600;

fn wanted_fee(vm: &mut Vm, from: Address, program: Address) -> U256 {
    let call = arbwasm::activateProgramCall { program };
    let r = vm.call(from, ARB_WASM, U256::ZERO, &call.abi_encode());
    IArbWasm::ProgramInsufficientValue::abi_decode(&r.output, true).expect("the fee error").want
}

fn create_program(vm: &mut Vm, from: Address, wat: &str) -> (Address, u64) {
    let wasm = wasm(wat);
    let code = deployer::deployed_code(&wasm);
    let r = vm.create(from, U256::ZERO, &deployer::init_code(&code));
    assert!(r.success, "{:?}", r.status);
    let estimate = stylus_vm::validate(&wasm).expect("valid").asm_estimate;
    (r.contract_address.unwrap(), u64::from(estimate))
}

#[test]
fn the_data_fee_is_nitros_price_for_the_demand_and_the_demand_drains_at_1_tib_a_year() {
    assert_eq!(BYTES_PER_SECOND, 34_865);
    let mut vm = Vm::new();
    let alice = Address::repeat_byte(0xa1);
    vm.set_balance(alice, ether(100));
    let (a, a_bytes) = create_program(&mut vm, alice, SCRIPT_HARNESS);
    let (b, b_bytes) = create_program(&mut vm, alice, NOOP);
    // Years since `ArbitrumStartTime`: the credit empties any demand.
    let fee = wanted_fee(&mut vm, alice, a);
    assert_eq!(fee, nitro_data_fee(a_bytes, a_bytes));
    let call = arbwasm::activateProgramCall { program: a };
    assert!(vm.call(alice, ARB_WASM, fee, &call.abi_encode()).success);
    // Same second: A's demand is still there.
    assert_eq!(wanted_fee(&mut vm, alice, b), nitro_data_fee(a_bytes + b_bytes, b_bytes));
    // One second later, 34,865 bytes of it have drained.
    vm.set_timestamp(vm.timestamp() + 1);
    let demand = a_bytes.saturating_sub(BYTES_PER_SECOND) + b_bytes;
    assert_eq!(wanted_fee(&mut vm, alice, b), nitro_data_fee(demand, b_bytes));
}

#[test]
fn arbwasm_takes_all_the_gas_for_value_to_a_view_an_unknown_selector_or_a_static_activation() {
    // nitro's precompile wrapper (`Precompile.Call`): these revert with no gas left.
    let (mut vm, alice, _) = setup(0);
    let version = IArbWasm::stylusVersionCall {}.abi_encode();
    let r = vm.call_with_gas(alice, ARB_WASM, U256::from(1), &version, 100_000);
    assert_eq!((r.status, r.gas_used), (Status::Revert, 100_000));
    let r = vm.call_with_gas(alice, ARB_WASM, U256::ZERO, &[0xde, 0xad, 0xbe, 0xef], 100_000);
    assert_eq!((r.status, r.gas_used), (Status::Revert, 100_000));
    let r = vm.call_with_gas(alice, ARB_WASM, U256::ZERO, &[0xde, 0xad], 100_000);
    assert_eq!((r.status, r.gas_used), (Status::Revert, 100_000));
    let (program, _) = create_program(&mut vm, alice, NOOP);
    let call = arbwasm::activateProgramCall { program };
    let r = vm.static_call(alice, ARB_WASM, &call.abi_encode());
    assert_eq!((r.status, r.gas_used), (Status::Revert, DEFAULT_GAS_LIMIT));
    // A view still answers and leaves the gas it did not use.
    let r = vm.call_with_gas(alice, ARB_WASM, U256::ZERO, &version, 100_000);
    assert!(r.success);
    assert!(r.gas_used < 30_000, "{}", r.gas_used);
}

// ---------------------------------------------------------------------------------------------
// Refunds, logs and transient storage across the two sides.

/// `SSTORE(0, calldata word)`, then `STOP`.
fn setter_code() -> Vec<u8> {
    vec![op::PUSH0, op::CALLDATALOAD, op::PUSH0, op::SSTORE, op::STOP]
}

#[test]
fn an_evm_frames_refund_counts_once_and_goes_with_its_reverted_parent() {
    let (mut vm, alice, harnesses) = setup(2);
    let setter = create(&mut vm, alice, &setter_code());
    vm.set_storage(setter, U256::ZERO, word(1));
    // A program clears the EVM contract's slot (EIP-3529: 4,800 back) and returns.
    let clear = Script::new().call(setter, U256::ZERO, 100_000, word(0).as_slice());
    let r = vm.call(alice, harnesses[0], U256::ZERO, clear.bytes());
    assert!(r.success, "{:?}", r.status);
    assert_eq!(r.breakdown.refund, 4_800, "{:?}", r.breakdown);
    assert_eq!(vm.storage(setter, U256::ZERO), B256::ZERO);
    // The same from a program that then reverts, under one that succeeds: no refund.
    vm.set_storage(setter, U256::ZERO, word(1));
    let reverted = clear.revert();
    let outer = Script::new().call(harnesses[1], U256::ZERO, 500_000, reverted.bytes());
    let r = vm.call(alice, harnesses[0], U256::ZERO, outer.bytes());
    assert!(r.success, "{:?}", r.status);
    assert_eq!(r.output[0], 2, "the inner program reverted");
    assert_eq!(r.breakdown.refund, 0, "{:?}", r.breakdown);
    assert_eq!(vm.storage(setter, U256::ZERO), word(1));
}

// ---------------------------------------------------------------------------------------------
// EIP-2929's access list, context values, static rules and CALLCODE.

/// Returns what `BALANCE` of the address in its first calldata word cost, plus 9 (the
/// `PUSH0`, `CALLDATALOAD`, `POP` and second `GAS` between the two `GAS` readings).
fn balance_cost_code() -> Vec<u8> {
    use op::*;
    let mut code = vec![GAS, PUSH0, CALLDATALOAD, BALANCE, POP, GAS, SWAP1, SUB, PUSH0, MSTORE];
    code.extend_from_slice(&RETURN_WORD);
    code
}

#[test]
fn the_access_list_starts_with_the_sender_the_recipient_the_coinbase_and_the_precompiles() {
    let (mut vm, alice, _) = setup(0);
    let meter = create(&mut vm, alice, &balance_cost_code());
    let cost = |vm: &mut Vm, address: Address| {
        let r = vm.call(alice, meter, U256::ZERO, address.into_word().as_slice());
        assert!(r.success, "{:?}", r.status);
        U256::from_be_slice(&r.output) - U256::from(9)
    };
    let coinbase =
        stylus_vm::alloy_primitives::address!("A4B000000000000000000073657175656e636572");
    for warm in [alice, meter, coinbase, Address::with_last_byte(1), Address::with_last_byte(0x0a)]
    {
        assert_eq!(cost(&mut vm, warm), U256::from(100), "{warm}");
    }
    for warm in [ARB_SYS, ARB_WASM] {
        assert_eq!(cost(&mut vm, warm), U256::from(100), "{warm}");
    }
    assert_eq!(cost(&mut vm, Address::repeat_byte(0x42)), U256::from(2_600));
}

#[test]
fn the_address_a_create_makes_is_warm_afterwards() {
    // geth's `create` adds the new address to the access list before its snapshot.
    use op::*;
    let (mut vm, alice, _) = setup(0);
    let mut code = vec![PUSH0, PUSH0, PUSH0, CREATE, GAS, SWAP1, BALANCE, POP, GAS, SWAP1, SUB];
    code.extend_from_slice(&[PUSH0, MSTORE]);
    code.extend_from_slice(&RETURN_WORD);
    let factory = create(&mut vm, alice, &code);
    let r = vm.call(alice, factory, U256::ZERO, &[]);
    assert!(r.success, "{:?}", r.status);
    // SWAP1 (3), BALANCE warm (100), POP (2), GAS (2).
    assert_eq!(r.output.as_ref(), word(107).as_slice());
}

#[test]
fn evm_code_called_by_a_program_sees_the_program_as_caller_and_the_sender_as_origin() {
    use op::*;
    let (mut vm, alice, harnesses) = setup(1);
    let code = vec![ORIGIN, PUSH0, MSTORE, CALLER, PUSH1, 32, MSTORE, PUSH1, 64, PUSH0, RETURN];
    let who = create(&mut vm, alice, &code);
    let script = Script::new().call(who, U256::ZERO, 100_000, &[]);
    let r = vm.call(alice, harnesses[0], U256::ZERO, script.bytes());
    assert!(r.success, "{:?}", r.status);
    assert_eq!(r.output[0], 0);
    assert_eq!(&r.output[1..33], alice.into_word().as_slice());
    assert_eq!(&r.output[33..], harnesses[0].into_word().as_slice());
}

#[test]
fn transient_storage_written_by_a_program_is_read_by_evm_code_in_the_same_transaction_only() {
    use op::*;
    let (mut vm, alice, harnesses) = setup(1);
    // DELEGATECALL the harness with the calldata, then return TLOAD(1).
    let mut code = vec![CALLDATASIZE, PUSH0, PUSH0, CALLDATACOPY, PUSH0, PUSH0, CALLDATASIZE];
    code.push(PUSH0);
    code.extend(push_address(harnesses[0]));
    code.extend_from_slice(&[GAS, DELEGATECALL, POP, PUSH1, 1, TLOAD, PUSH0, MSTORE]);
    code.extend_from_slice(&RETURN_WORD);
    let proxy = create(&mut vm, alice, &code);
    let r = vm.call(alice, proxy, U256::ZERO, Script::new().tstore(1, 9).bytes());
    assert!(r.success, "{:?}", r.status);
    assert_eq!(r.output.as_ref(), word(9).as_slice());
    let r = vm.call(alice, proxy, U256::ZERO, &[]);
    assert!(r.success, "{:?}", r.status);
    assert_eq!(r.output.as_ref(), B256::ZERO.as_slice(), "gone with the transaction");
}

#[test]
fn evm_code_in_a_programs_static_call_can_neither_create_nor_send_value() {
    use op::*;
    let (mut vm, alice, harnesses) = setup(1);
    let creator = create(&mut vm, alice, &[PUSH0, PUSH0, PUSH0, CREATE, STOP]);
    let heir = Address::repeat_byte(0x4e);
    let mut payer = vec![PUSH0, PUSH0, PUSH0, PUSH0, PUSH1, 1];
    payer.extend(push_address(heir));
    payer.extend_from_slice(&[GAS, CALL, STOP]);
    let payer = create(&mut vm, alice, &payer);
    vm.set_balance(payer, U256::from(1));
    for target in [creator, payer] {
        let script = Script::new().static_call(target, 100_000, &[]);
        let r = vm.call(alice, harnesses[0], U256::ZERO, script.bytes());
        assert!(r.success, "{:?}", r.status);
        assert_eq!(r.output.as_ref(), [2], "{target}: an exceptional halt");
        // Outside a static call both work.
        let script = Script::new().call(target, U256::ZERO, 100_000, &[]);
        let r = vm.call(alice, harnesses[0], U256::ZERO, script.bytes());
        assert_eq!(r.output.as_ref(), [0], "{target}");
    }
    assert_eq!(vm.nonce(creator), 2, "its own 1, then one creation");
    assert_eq!(vm.balance(heir), U256::from(1));
}

#[test]
fn callcode_moves_value_from_a_contract_to_itself_after_checking_its_balance() {
    use op::*;
    let (mut vm, alice, _) = setup(0);
    // CALLCODE(gas, empty account, calldata word, 0, 0, 0, 0) and return its success flag.
    let mut code = vec![PUSH0, PUSH0, PUSH0, PUSH0, PUSH0, CALLDATALOAD];
    code.extend(push_address(Address::repeat_byte(0x42)));
    code.extend_from_slice(&[GAS, CALLCODE, PUSH0, MSTORE]);
    code.extend_from_slice(&RETURN_WORD);
    let contract = create(&mut vm, alice, &code);
    vm.set_balance(contract, U256::from(5));
    let r = vm.call(alice, contract, U256::ZERO, word(5).as_slice());
    assert_eq!(r.output.as_ref(), word(1).as_slice());
    assert_eq!(vm.balance(contract), U256::from(5));
    assert_eq!(vm.balance(Address::repeat_byte(0x42)), U256::ZERO);
    let r = vm.call(alice, contract, U256::ZERO, word(6).as_slice());
    assert_eq!(r.output.as_ref(), B256::ZERO.as_slice(), "more than its balance");
}

// ---------------------------------------------------------------------------------------------
// The creation rules at their edges.

#[test]
fn a_creation_one_gas_short_of_its_code_deposit_fails_and_consumes_the_gas() {
    let (mut vm, alice, _) = setup(0);
    let init = deployer::init_code(&[0x5b; 100]);
    let enough = vm.clone().create(alice, U256::ZERO, &init);
    assert!(enough.success, "{:?}", enough.status);
    let nonce = vm.nonce(alice);
    let r = vm.create_with_gas(alice, U256::ZERO, &init, enough.gas_used - 1);
    assert_eq!(r.status, Status::OutOfGas);
    assert_eq!(r.gas_used, enough.gas_used - 1);
    assert_eq!(r.contract_address, None);
    assert!(vm.code(alice.create(nonce)).is_empty());
    assert_eq!(vm.nonce(alice), nonce + 1);
}

#[test]
fn code_of_24_576_bytes_is_kept_and_one_byte_more_is_refused() {
    let (mut vm, alice, _) = setup(0);
    let r = vm.create(alice, U256::ZERO, &deployer::init_code(&vec![0x5b; 24_576]));
    assert!(r.success, "{:?}", r.status);
    let r =
        vm.create_with_gas(alice, U256::ZERO, &deployer::init_code(&vec![0x5b; 24_577]), 9_000_000);
    assert!(matches!(&r.status, Status::Failure(m) if m.contains("EIP-170")), "{:?}", r.status);
    assert_eq!(r.gas_used, 9_000_000);
}

#[test]
fn a_creation_transaction_with_more_than_49_152_bytes_of_init_code_is_invalid() {
    let (mut vm, alice, _) = setup(0);
    let nonce = vm.nonce(alice);
    let r = vm.create(alice, U256::ZERO, &vec![0; 49_153]);
    assert!(matches!(&r.status, Status::Invalid(m) if m.contains("EIP-3860")), "{:?}", r.status);
    assert_eq!((r.gas_used, vm.nonce(alice)), (0, nonce), "not included");
    // At the limit it runs (and the zero bytes stop at once).
    let r = vm.create(alice, U256::ZERO, &vec![0; 49_152]);
    assert!(r.success, "{:?}", r.status);
    // 21,000 + 32,000 + 4 a zero byte + 2 a word of init code.
    assert_eq!(r.gas_used, 21_000 + 32_000 + 4 * 49_152 + 2 * 1_536);
}

#[test]
fn a_log_of_evm_code_goes_with_its_reverted_frame() {
    use op::*;
    let (mut vm, alice, harnesses) = setup(1);
    let logger = create(
        &mut vm,
        alice,
        &[
            PUSH0,
            PUSH0,
            LOG0,
            CALLDATASIZE,
            PUSH1,
            9,
            JUMPI,
            STOP,
            0xfe,
            JUMPDEST,
            PUSH0,
            PUSH0,
            REVERT,
        ],
    );
    let script = Script::new().call(logger, U256::ZERO, 100_000, &[1]);
    let r = vm.call(alice, harnesses[0], U256::ZERO, script.bytes());
    assert!(r.success, "{:?}", r.status);
    assert_eq!(r.output.as_ref(), [2]);
    assert!(r.logs.is_empty());
    let script = Script::new().call(logger, U256::ZERO, 100_000, &[]);
    let r = vm.call(alice, harnesses[0], U256::ZERO, script.bytes());
    assert_eq!(r.output.as_ref(), [0]);
    assert_eq!(r.logs.len(), 1);
    assert_eq!(r.logs[0].address, logger);
}

#[test]
fn blobbasefee_halts_as_on_arbitrum() {
    // go-ethereum's `opBlobBaseFee` (Arbitrum): "BLOBBASEFEE is not supported on Arbitrum",
    // an error that consumes the frame's gas. revm would answer the minimum blob price, 1.
    let (mut vm, alice, _) = setup(0);
    let mut code = vec![0x4a, op::PUSH0, op::MSTORE];
    code.extend_from_slice(&RETURN_WORD);
    let reader = create(&mut vm, alice, &code);
    let r = vm.call_with_gas(alice, reader, U256::ZERO, &[], 100_000);
    assert!(matches!(&r.status, Status::Failure(m) if m.contains("EVM")), "{:?}", r.status);
    assert_eq!(r.gas_used, 100_000);
}

#[test]
fn activation_pays_nitros_reads_writes_fixed_charge_compile_charge_log_and_copies() {
    // ArbWasm.go `ActivateProgram` and programs.go at ArbOS 60, with ArbOS storage prices
    // (800 a read, 20,000 a non-zero write, 100 for the packed parameters).
    let mut vm = Vm::new();
    let alice = Address::repeat_byte(0xa1);
    vm.set_balance(alice, ether(10));
    let (program, _) = create_program(&mut vm, alice, SCRIPT_HARNESS);
    let compile = stylus_vm::validate(&wasm(SCRIPT_HARNESS)).unwrap().activation_gas;
    let data = arbwasm::activateProgramCall { program }.abi_encode();
    let zeros: u64 = data.iter().map(|b| u64::from(*b == 0)).sum();
    let intrinsic = 21_000 + 4 * zeros + 16 * (36 - zeros);
    let r = vm.call(alice, ARB_WASM, ether(1), &data);
    assert!(r.success, "{:?}", r.status);
    let expected = intrinsic
        + 3 // the argument's copy
        + 800 // the ArbOS version (opening the ArbOS state)
        + 800 // ArbOS 60's `ActivationGas` parameter (0 to burn)
        + arbwasm::ACTIVATION_FIXED_GAS
        + 100 // the Stylus parameters
        + 800 // the program entry
        + compile
        + 5 * 800 + 2 * 20_000 // the data pricer
        + 2 * 20_000 // the module hash and the program entry
        + 800 // the network fee account
        + 375 + 2 * 375 + 8 * 128 // `ProgramActivated`: two topics, four words of data
        + 2 * 3; // the result's copy
    assert_eq!(r.gas_used, expected);
}

#[test]
fn the_breakdown_of_a_creation_puts_the_code_deposit_and_a_collision_in_the_evm_part() {
    let (mut vm, alice, _) = setup(0);
    let r = vm.create(alice, U256::ZERO, &deployer::init_code(&[0x5b; 100]));
    assert!(r.success, "{:?}", r.status);
    let b = r.breakdown;
    assert_eq!((b.compute, b.execution()), (0, b.evm), "{b:?}");
    assert!(b.evm >= 200 * 100, "the deposit: {b:?}");
    // A refused code consumes the gas: all of it is the EVM's too.
    let r = vm.create_with_gas(alice, U256::ZERO, &deployer::init_code(&[0xEF]), 100_000);
    let b = r.breakdown;
    assert_eq!((b.compute, b.total()), (0, 100_000), "{b:?}");
}

#[test]
fn gaslimit_is_arbitrums_block_gas_limit_of_2_to_the_50() {
    // nitro's `l2pricing.GethBlockGasLimit` (1 << 50) is every L2 block header's gas limit.
    let (mut vm, alice, _) = setup(0);
    let mut code = vec![0x45, op::PUSH0, op::MSTORE];
    code.extend_from_slice(&RETURN_WORD);
    let reader = create(&mut vm, alice, &code);
    let r = vm.call(alice, reader, U256::ZERO, &[]);
    assert_eq!(r.output.as_ref(), word(1 << 50).as_slice());
}
