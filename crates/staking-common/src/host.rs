//! Direct host calls for the contracts, in one place.
//!
//! SDK 0.9's `self.vm()` returns `&dyn Host`: the trait object's vtable links every host
//! function the SDK wraps (create1/create2, delegate calls, code reads...) into each contract,
//! which measured 29.1 KB compressed for the staking pool, over the 24,576-byte Stylus limit.
//! The SDK's free functions call the same `vm_hooks` imports directly, so only what a
//! contract uses is linked. The SDK marks them deprecated in favour of `self.vm()`; this module
//! is the single place that allows it, so switching back later is a one-file change.
#![allow(deprecated)]

use alloc::vec::Vec;
use alloy_primitives::{Address, B256, U256};

/// `msg.sender`.
#[inline]
pub fn sender() -> Address {
    stylus_sdk::msg::sender()
}

/// `msg.value`.
#[inline]
pub fn value() -> U256 {
    stylus_sdk::msg::value()
}

/// The running contract's address.
#[inline]
pub fn this() -> Address {
    stylus_sdk::contract::address()
}

/// `block.number` (on Arbitrum: the L1 block number estimate, as in Solidity).
#[inline]
pub fn block_number() -> u64 {
    stylus_sdk::block::number()
}

/// `block.chainid`.
#[inline]
pub fn chain_id() -> u64 {
    stylus_sdk::block::chainid()
}

/// `block.timestamp`.
#[inline]
pub fn timestamp() -> u64 {
    stylus_sdk::block::timestamp()
}

/// Emits a log whose topics and data are all static words: `topics[0]` is the event's
/// signature hash, then the indexed fields; `data` the other fields in order.
///
/// One function serves every event of a contract, where alloy's generic `SolEvent` encoding
/// is instantiated per event type (500–850 bytes of wasm each, measured in the staking pool).
/// Contracts keep their `sol!` events for the signature hashes and for tests, which compare
/// what was logged with alloy's encoding.
pub fn log_words(topics: &[B256], data: &[B256]) {
    let mut bytes = Vec::with_capacity(32 * (topics.len() + data.len()));
    for w in topics.iter().chain(data) {
        bytes.extend_from_slice(w.as_slice());
    }
    emit_raw(&bytes, topics.len());
}

/// Emits a log with `topics` and ABI-encoded `data` bytes.
pub fn log_bytes(topics: &[B256], data: &[u8]) {
    let mut bytes = Vec::with_capacity(32 * topics.len() + data.len());
    for w in topics {
        bytes.extend_from_slice(w.as_slice());
    }
    bytes.extend_from_slice(data);
    emit_raw(&bytes, topics.len());
}

/// Emits a log from `topics_and_data` (the topics' 32-byte words, then the data).
fn emit_raw(topics_and_data: &[u8], topics: usize) {
    #[cfg(target_arch = "wasm32")]
    {
        #[link(wasm_import_module = "vm_hooks")]
        extern "C" {
            fn emit_log(data: *const u8, len: usize, topics: usize);
        }
        // SAFETY: the pointer and length describe a live slice.
        unsafe { emit_log(topics_and_data.as_ptr(), topics_and_data.len(), topics) };
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        // Native test builds: the host (motsu) records the log.
        let (t, d) = topics_and_data.split_at(32 * topics);
        let topics: Vec<B256> = t.chunks_exact(32).map(B256::from_slice).collect();
        let _ = stylus_sdk::evm::raw_log(&topics, d);
    }
}

/// Calls `to` with `data` (no value). The storage cache is flushed and cleared around the call,
/// so the callee sees this call's writes and whatever it writes back is read afresh. `Err`
/// carries the callee's revert data.
pub fn call(to: Address, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    // SAFETY: callers hold no storage reference across the call.
    unsafe { stylus_sdk::call::RawCall::new().clear_storage_cache().call(to, data) }
}

/// As [`call`], sending `value` wei along and without flushing or clearing the storage cache:
/// only for callees that cannot read or write the caller's storage during the call (they
/// cannot re-enter it), with no write of the caller's pending.
pub fn call_value_keep_cache(to: Address, value: U256, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    // SAFETY: the callee cannot re-enter the caller, so no cached slot can change under it.
    unsafe { stylus_sdk::call::RawCall::new_with_value(value).call(to, data) }
}

/// Calls `to` with `data` without letting it change state (STATICCALL).
pub fn static_call(to: Address, data: &[u8]) -> Result<Vec<u8>, Vec<u8>> {
    // SAFETY: a static call cannot write, so no cached value can go stale.
    unsafe { stylus_sdk::call::RawCall::new_static().call(to, data) }
}
