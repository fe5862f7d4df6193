//! Shared fixtures for the VM's tests: a scriptable test program written in WAT and a builder
//! for its scripts.
//!
//! The harness reads its calldata as a list of operations and runs them in order, appending
//! what each one reads to an output buffer. On reaching the end it flushes the storage cache
//! (as the SDK's entrypoint does) and returns the output; `revert` returns the output so far
//! with status 1, and `trap` executes `unreachable`.
//!
//! Memory (one page, growable): scratch at 256, calldata from 1,024, output from 16,384, and
//! 32,768..65,536 as the source and destination of `memcopy`.
//!
//! | op | payload | output |
//! |----|---------|--------|
//! | 0x01 sload | key (32) | value (32) |
//! | 0x02 sstore | key (32), value (32) | – |
//! | 0x03 flush / 0x04 flush and clear | – | – |
//! | 0x05 tstore | key (32), value (32) | – |
//! | 0x06 call | to (20), value (32), gas (u64 LE), len (u32 LE), data | status byte, return data |
//! | 0x07 static call | to (20), gas (u64 LE), len (u32 LE), data | status byte, return data |
//! | 0x08 log | topic count (1), data len (u32 LE), topics, data | – |
//! | 0x09 revert / 0x0a trap | – | – |
//! | 0x0b gas left | – | u64 LE |
//! | 0x0c tload | key (32) | value (32) |
//! | 0x0d burn | iterations (u64 LE) | – |
//! | 0x0e memcopy | bytes (u32 LE) | – |
//! | 0x0f grow (paid by the instrumented `pay_for_memory_grow`) | pages (u32 LE) | – |
//! | 0x10 reentrant | – | 1 byte |
//! | 0x11 msg value | – | 32 bytes |
//! | 0x12 balance | address (20) | 32 bytes |
//! | 0x13 delegate call | to (20), gas (u64 LE), len (u32 LE), data | status byte, return data |

#![allow(dead_code, unreachable_pub)]

use stylus_vm::{
    alloy_primitives::{Address, B256, U256},
    Vm,
};

/// The smallest valid program: returns success and nothing else.
pub const NOOP: &str = r#"(module (memory (export "memory") 1 1)
  (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#;

/// A program that creates a contract from its calldata (the init code) with `create1`, or
/// with `create2` and a zero salt when the first byte of the calldata is 2 (then skipped),
/// and returns the new address and the length of the return data.
pub const CREATOR: &str = r#"
(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "create1" (func $create1 (param i32 i32 i32 i32 i32)))
  (import "vm_hooks" "create2" (func $create2 (param i32 i32 i32 i32 i32 i32)))
  (memory (export "memory") 2 2)
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (call $read_args (i32.const 1024))
    (if (i32.eq (i32.load8_u (i32.const 1024)) (i32.const 2))
      (then (call $create2 (i32.const 1025) (i32.sub (local.get $len) (i32.const 1))
              (i32.const 0) (i32.const 64) (i32.const 128) (i32.const 148)))
      (else (call $create1 (i32.const 1024) (local.get $len)
              (i32.const 0) (i32.const 128) (i32.const 148))))
    (call $write_result (i32.const 128) (i32.const 24))
    (i32.const 0)))
"#;

/// The scriptable test program (see the module doc for its operations).
pub const SCRIPT_HARNESS: &str = r#"
(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "storage_load_bytes32" (func $sload (param i32 i32)))
  (import "vm_hooks" "storage_cache_bytes32" (func $sstore (param i32 i32)))
  (import "vm_hooks" "storage_flush_cache" (func $flush (param i32)))
  (import "vm_hooks" "transient_load_bytes32" (func $tload (param i32 i32)))
  (import "vm_hooks" "transient_store_bytes32" (func $tstore (param i32 i32)))
  (import "vm_hooks" "call_contract"
    (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "static_call_contract"
    (func $static_call (param i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "delegate_call_contract"
    (func $delegate_call (param i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "read_return_data" (func $read_return_data (param i32 i32 i32) (result i32)))
  (import "vm_hooks" "emit_log" (func $emit_log (param i32 i32 i32)))
  (import "vm_hooks" "evm_gas_left" (func $gas_left (result i64)))
  (import "vm_hooks" "msg_reentrant" (func $reentrant (result i32)))
  (import "vm_hooks" "msg_value" (func $msg_value (param i32)))
  (import "vm_hooks" "account_balance" (func $balance (param i32 i32)))
  (import "vm_hooks" "pay_for_memory_grow" (func $pay (param i32)))
  (memory (export "memory") 1)
  (global $out (mut i32) (i32.const 16384))

  ;; Appends a status byte and the return data of the call just made.
  (func $append_call (param $status i32)
    (i32.store8 (global.get $out) (local.get $status))
    (global.set $out (i32.add (global.get $out) (i32.const 1)))
    (global.set $out (i32.add (global.get $out)
      (call $read_return_data (global.get $out) (i32.const 0) (i32.load (i32.const 256))))))

  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $p i32) (local $end i32) (local $op i32) (local $n i32) (local $k i64)
    (call $read_args (i32.const 1024))
    (local.set $p (i32.const 1024))
    (local.set $end (i32.add (i32.const 1024) (local.get $len)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $op (i32.load8_u (local.get $p)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (if (i32.eq (local.get $op) (i32.const 0x01)) (then
          (call $sload (local.get $p) (global.get $out))
          (global.set $out (i32.add (global.get $out) (i32.const 32)))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x02)) (then
          (call $sstore (local.get $p) (i32.add (local.get $p) (i32.const 32)))
          (local.set $p (i32.add (local.get $p) (i32.const 64)))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x03)) (then
          (call $flush (i32.const 0))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x04)) (then
          (call $flush (i32.const 1))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x05)) (then
          (call $tstore (local.get $p) (i32.add (local.get $p) (i32.const 32)))
          (local.set $p (i32.add (local.get $p) (i32.const 64)))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x06)) (then
          (local.set $n (i32.load (i32.add (local.get $p) (i32.const 60))))
          (call $append_call
            (call $call
              (local.get $p)
              (i32.add (local.get $p) (i32.const 64))
              (local.get $n)
              (i32.add (local.get $p) (i32.const 20))
              (i64.load (i32.add (local.get $p) (i32.const 52)))
              (i32.const 256)))
          (local.set $p (i32.add (local.get $p) (i32.add (i32.const 64) (local.get $n))))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x07)) (then
          (local.set $n (i32.load (i32.add (local.get $p) (i32.const 28))))
          (call $append_call
            (call $static_call
              (local.get $p)
              (i32.add (local.get $p) (i32.const 32))
              (local.get $n)
              (i64.load (i32.add (local.get $p) (i32.const 20)))
              (i32.const 256)))
          (local.set $p (i32.add (local.get $p) (i32.add (i32.const 32) (local.get $n))))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x08)) (then
          (local.set $n (i32.add
            (i32.mul (i32.load8_u (local.get $p)) (i32.const 32))
            (i32.load (i32.add (local.get $p) (i32.const 1)))))
          (call $emit_log
            (i32.add (local.get $p) (i32.const 5))
            (local.get $n)
            (i32.load8_u (local.get $p)))
          (local.set $p (i32.add (local.get $p) (i32.add (i32.const 5) (local.get $n))))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x09)) (then
          (call $write_result (i32.const 16384) (i32.sub (global.get $out) (i32.const 16384)))
          (return (i32.const 1))))
        (if (i32.eq (local.get $op) (i32.const 0x0a)) (then unreachable))
        (if (i32.eq (local.get $op) (i32.const 0x0b)) (then
          (i64.store (global.get $out) (call $gas_left))
          (global.set $out (i32.add (global.get $out) (i32.const 8)))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x0c)) (then
          (call $tload (local.get $p) (global.get $out))
          (global.set $out (i32.add (global.get $out) (i32.const 32)))
          (local.set $p (i32.add (local.get $p) (i32.const 32)))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x0d)) (then
          (local.set $k (i64.load (local.get $p)))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (block $burnt
            (loop $burn
              (br_if $burnt (i64.eqz (local.get $k)))
              (local.set $k (i64.sub (local.get $k) (i64.const 1)))
              (br $burn)))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x0e)) (then
          (memory.copy (i32.const 49152) (i32.const 32768) (i32.load (local.get $p)))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x0f)) (then
          ;; Activation instruments memory.grow with a call to pay_for_memory_grow.
          (drop (memory.grow (i32.load (local.get $p))))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x10)) (then
          (i32.store8 (global.get $out) (call $reentrant))
          (global.set $out (i32.add (global.get $out) (i32.const 1)))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x11)) (then
          (call $msg_value (global.get $out))
          (global.set $out (i32.add (global.get $out) (i32.const 32)))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x12)) (then
          (call $balance (local.get $p) (global.get $out))
          (global.set $out (i32.add (global.get $out) (i32.const 32)))
          (local.set $p (i32.add (local.get $p) (i32.const 20)))
          (br $next)))
        (if (i32.eq (local.get $op) (i32.const 0x13)) (then
          (local.set $n (i32.load (i32.add (local.get $p) (i32.const 28))))
          (call $append_call
            (call $delegate_call
              (local.get $p)
              (i32.add (local.get $p) (i32.const 32))
              (local.get $n)
              (i64.load (i32.add (local.get $p) (i32.const 20)))
              (i32.const 256)))
          (local.set $p (i32.add (local.get $p) (i32.add (i32.const 32) (local.get $n))))
          (br $next)))
        unreachable))
    (call $flush (i32.const 0))
    (call $write_result (i32.const 16384) (i32.sub (global.get $out) (i32.const 16384)))
    (i32.const 0)))
"#;

/// Assembles WAT into wasm.
pub fn wasm(wat: &str) -> Vec<u8> {
    wat::parse_str(wat).expect("test WAT assembles")
}

/// `n` ether in wei.
pub fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64).pow(U256::from(18))
}

/// A storage word holding `n`.
pub fn word(n: u64) -> B256 {
    B256::from(U256::from(n))
}

/// A VM with alice holding 100 ether and `n` copies of the script harness (one code hash).
pub fn setup(n: usize) -> (Vm, Address, Vec<Address>) {
    let mut vm = Vm::new();
    let alice = Address::repeat_byte(0xa1);
    vm.set_balance(alice, ether(100));
    let code = wasm(SCRIPT_HARNESS);
    let harnesses = (0..n).map(|_| vm.deploy(&code).expect("the harness is valid")).collect();
    (vm, alice, harnesses)
}

/// A script for [`SCRIPT_HARNESS`].
#[derive(Clone, Debug, Default)]
pub struct Script(Vec<u8>);

impl Script {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    fn op(mut self, op: u8, payload: &[&[u8]]) -> Self {
        self.0.push(op);
        for part in payload {
            self.0.extend_from_slice(part);
        }
        self
    }

    fn len(data: &[u8]) -> [u8; 4] {
        u32::try_from(data.len()).expect("short test data").to_le_bytes()
    }

    pub fn sload(self, slot: u64) -> Self {
        self.op(0x01, &[word(slot).as_slice()])
    }

    pub fn sstore(self, slot: u64, value: u64) -> Self {
        self.op(0x02, &[word(slot).as_slice(), word(value).as_slice()])
    }

    pub fn flush(self) -> Self {
        self.op(0x03, &[])
    }

    pub fn flush_clear(self) -> Self {
        self.op(0x04, &[])
    }

    pub fn tstore(self, slot: u64, value: u64) -> Self {
        self.op(0x05, &[word(slot).as_slice(), word(value).as_slice()])
    }

    pub fn tload(self, slot: u64) -> Self {
        self.op(0x0c, &[word(slot).as_slice()])
    }

    pub fn call(self, to: Address, value: U256, gas: u64, data: &[u8]) -> Self {
        let value = value.to_be_bytes::<32>();
        self.op(0x06, &[to.as_slice(), &value, &gas.to_le_bytes(), &Self::len(data), data])
    }

    pub fn static_call(self, to: Address, gas: u64, data: &[u8]) -> Self {
        self.op(0x07, &[to.as_slice(), &gas.to_le_bytes(), &Self::len(data), data])
    }

    /// Runs `to`'s code on this program's storage, balance and caller.
    pub fn delegate_call(self, to: Address, gas: u64, data: &[u8]) -> Self {
        self.op(0x13, &[to.as_slice(), &gas.to_le_bytes(), &Self::len(data), data])
    }

    pub fn log(self, topics: &[B256], data: &[u8]) -> Self {
        let count = [u8::try_from(topics.len()).expect("at most four topics")];
        let topics: Vec<u8> = topics.iter().flat_map(|t| t.0).collect();
        self.op(0x08, &[&count, &Self::len(data), &topics, data])
    }

    pub fn revert(self) -> Self {
        self.op(0x09, &[])
    }

    pub fn trap(self) -> Self {
        self.op(0x0a, &[])
    }

    pub fn gas_left(self) -> Self {
        self.op(0x0b, &[])
    }

    pub fn burn(self, iterations: u64) -> Self {
        self.op(0x0d, &[&iterations.to_le_bytes()])
    }

    pub fn memcopy(self, bytes: u32) -> Self {
        assert!(bytes <= 16_384, "memcopy copies within the first page");
        self.op(0x0e, &[&bytes.to_le_bytes()])
    }

    pub fn grow(self, pages: u32) -> Self {
        self.op(0x0f, &[&pages.to_le_bytes()])
    }

    pub fn reentrant(self) -> Self {
        self.op(0x10, &[])
    }

    pub fn value(self) -> Self {
        self.op(0x11, &[])
    }

    pub fn balance(self, address: Address) -> Self {
        self.op(0x12, &[address.as_slice()])
    }
}
