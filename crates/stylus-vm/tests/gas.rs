//! Gas: program entry (cached, uncached, second call), ink metering per basic block, dynamic
//! and memory charges, logs, calldata, out of gas, and the breakdown adding up.

use crate::common::{ether, setup, wasm, word, Script, NOOP};
use stylus_vm::{
    alloy_primitives::{Address, B256, U256},
    pricing, Status, Vm,
};

/// `user_entrypoint(n)` loops `n` times; its ink is 8,364 + 7,031 n.
const LOOP: &str = r#"
(module
  (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param $n i32) (result i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $l)))
    (i32.const 0)))
"#;

fn deploy(vm: &mut Vm, wat: &str) -> Address {
    vm.deploy(&wasm(wat)).expect("valid test program")
}

#[test]
fn out_of_gas_consumes_the_whole_gas_limit_and_undoes_the_state() {
    let (mut vm, alice, h) = setup(1);
    let script = Script::new().sstore(1, 1).flush().burn(10_000_000);
    let r = vm.call_with_gas(alice, h[0], ether(1), script.bytes(), 200_000);
    assert_eq!(r.status, Status::OutOfGas);
    assert!(!r.success);
    assert_eq!(r.gas_used, 200_000);
    assert_eq!(r.breakdown.total(), 200_000);
    assert_eq!(vm.storage(h[0], U256::from(1)), word(0));
    assert_eq!(vm.balance(alice), ether(100));
}

#[test]
fn a_gas_limit_below_the_intrinsic_cost_is_invalid() {
    let (mut vm, alice, h) = setup(1);
    let r = vm.call_with_gas(alice, h[0], U256::ZERO, &[1, 2, 3], 21_000);
    assert!(matches!(r.status, Status::Invalid(_)));
}

#[test]
fn an_uncached_program_pays_init_and_cached_gas_on_entry() {
    let mut vm = Vm::new();
    let noop = deploy(&mut vm, NOOP);
    let info = vm.program_info(noop).unwrap().clone();
    let alice = Address::repeat_byte(1);
    let r = vm.call(alice, noop, U256::ZERO, &[]);
    assert!(r.success);
    assert_eq!(r.breakdown.entry, info.init_gas() + info.cached_gas());
    // One basic block of `i32.const 0; end`: 2,452 ink, rounded up to a gas.
    assert_eq!(r.breakdown.compute, 1);
    assert_eq!(r.gas_used, 21_000 + info.init_gas() + info.cached_gas() + 1);
    assert!(info.init_gas() > 8_832 && info.cached_gas() > 352, "{info:?}");
}

#[test]
fn a_cached_program_pays_only_cached_gas_on_entry() {
    let mut vm = Vm::new();
    let noop = deploy(&mut vm, NOOP);
    vm.set_cached(noop, true);
    assert!(vm.is_cached(noop));
    let info = vm.program_info(noop).unwrap().clone();
    let r = vm.call(Address::repeat_byte(1), noop, U256::ZERO, &[]);
    assert_eq!(r.breakdown.entry, info.cached_gas());
    assert_eq!(r.gas_used, 21_000 + info.cached_gas() + 1);
}

#[test]
fn a_second_call_of_the_same_program_in_a_transaction_pays_the_cached_price() {
    let (mut vm, alice, h) = setup(2);
    let info = vm.program_info(h[0]).unwrap().clone();
    let script = Script::new().call(h[1], U256::ZERO, u64::MAX, &[]);
    let r = vm.call(alice, h[0], U256::ZERO, script.bytes());
    assert_eq!(r.breakdown.entry, info.init_gas() + 2 * info.cached_gas());
    // The next transaction starts afresh.
    let r = vm.call(alice, h[1], U256::ZERO, &[]);
    assert_eq!(r.breakdown.entry, info.init_gas() + info.cached_gas());
}

#[test]
fn compute_is_metered_per_basic_block_with_the_opcode_prices() {
    let mut vm = Vm::new();
    let program = deploy(&mut vm, LOOP);
    vm.set_cached(program, true);
    let n = 1_000u64;
    let r = vm.call(Address::repeat_byte(1), program, U256::ZERO, &[0; 1_000]);
    assert!(r.success);
    assert_eq!(r.breakdown.intrinsic, 21_000 + 4 * n);
    assert_eq!(r.breakdown.compute, (8_364 + 7_031 * n).div_ceil(pricing::INK_PER_GAS));
    assert_eq!(r.breakdown.host, 0);
}

#[test]
fn memory_copy_pays_100_ink_per_byte() {
    let (mut vm, alice, h) = setup(1);
    vm.set_cached(h[0], true);
    let none = vm.call(alice, h[0], U256::ZERO, Script::new().memcopy(0).bytes());
    let some = vm.call(alice, h[0], U256::ZERO, Script::new().memcopy(16_000).bytes());
    assert_eq!(some.breakdown.compute - none.breakdown.compute, 16_000 * 100 / 10_000);
}

#[test]
fn growing_memory_past_the_free_pages_costs_gas() {
    let (mut vm, alice, h) = setup(1);
    let r = vm.call(alice, h[0], U256::ZERO, Script::new().grow(2).bytes());
    assert!(r.success);
    // One page is open, two are free: the third costs 1,000.
    assert_eq!(r.breakdown.memory, 1_000);
}

#[test]
fn a_large_initial_memory_costs_gas_on_entry() {
    let mut vm = Vm::new();
    let big = deploy(
        &mut vm,
        &NOOP.replace("(memory (export \"memory\") 1 1)", "(memory (export \"memory\") 17 17)"),
    );
    let r = vm.call(Address::repeat_byte(1), big, U256::ZERO, &[]);
    assert_eq!(r.breakdown.memory, 15 * 1_000 + 8);
    assert_eq!(vm.program_info(big).unwrap().footprint, 17);
}

#[test]
fn calldata_costs_16_per_nonzero_and_4_per_zero_byte() {
    let mut vm = Vm::new();
    let r = vm.call(Address::repeat_byte(1), Address::repeat_byte(2), U256::ZERO, &[0, 1, 0, 2]);
    assert_eq!(r.gas_used, 21_000 + 2 * 4 + 2 * 16);
    assert_eq!(r.breakdown.intrinsic, r.gas_used);
}

#[test]
fn logs_cost_375_per_topic_plus_8_per_byte_and_carry_topics_and_data() {
    let (mut vm, alice, h) = setup(1);
    let topics = [B256::repeat_byte(0xaa), B256::repeat_byte(0xbb)];
    let r = vm.call(alice, h[0], U256::ZERO, Script::new().log(&topics, b"0123456789").bytes());
    assert!(r.success);
    assert_eq!(r.breakdown.logs, 375 * 3 + 8 * 10);
    assert_eq!(r.logs.len(), 1);
    assert_eq!(r.logs[0].address, h[0]);
    assert_eq!(r.logs[0].topics(), topics);
    assert_eq!(r.logs[0].data.data.as_ref(), b"0123456789");
}

#[test]
fn a_revert_returns_the_unused_gas() {
    let (mut vm, alice, h) = setup(1);
    let r = vm.call(alice, h[0], U256::ZERO, Script::new().revert().bytes());
    assert_eq!(r.status, Status::Revert);
    assert!(r.gas_used < 40_000, "{}", r.gas_used);
}

#[test]
fn the_breakdown_adds_up_to_gas_used() {
    let (mut vm, alice, h) = setup(2);
    let inner = Script::new().sstore(1, 0).tstore(1, 1).log(&[B256::ZERO], b"x");
    let script = Script::new()
        .sload(1)
        .sstore(2, 3)
        .call(h[1], ether(1), u64::MAX, inner.bytes())
        .call(Address::repeat_byte(9), ether(1), 0, &[])
        .memcopy(100)
        .grow(3)
        .burn(50);
    vm.set_storage(h[1], U256::from(1), word(1));
    let r = vm.call(alice, h[0], ether(2), script.bytes());
    assert!(r.success, "{:?}", r.status);
    let b = r.breakdown;
    assert_eq!(b.total(), r.gas_used, "{b:?}");
    assert!(b.entry > 0 && b.memory > 0 && b.compute > 0 && b.host > 0, "{b:?}");
    assert!(b.storage > 0 && b.logs > 0 && b.calls > 0 && b.refund == 4_800, "{b:?}");
}

#[test]
fn transient_storage_is_gone_in_the_next_transaction() {
    let (mut vm, alice, h) = setup(1);
    let first = vm.call(alice, h[0], U256::ZERO, Script::new().tstore(1, 5).tload(1).bytes());
    assert_eq!(first.output.as_ref(), word(5).as_slice());
    let second = vm.call(alice, h[0], U256::ZERO, Script::new().tload(1).bytes());
    assert_eq!(second.output.as_ref(), word(0).as_slice());
    assert_eq!(second.breakdown.storage, 100);
}
