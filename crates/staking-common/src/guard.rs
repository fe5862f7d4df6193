//! A reentrancy guard kept in transient storage (EIP-1153, `TLOAD` / `TSTORE`).
//!
//! Transient storage costs 100 gas per access and is cleared at the end of the transaction,
//! so the guard costs about 300 gas per guarded call instead of the 2,900 + 2,100 gas of a
//! storage-slot guard, and can never be left locked.
//!
//! The Stylus SDK 0.9 does not wrap these host functions, so they are declared here as imports
//! from `vm_hooks` (Arbitrum's `transient_load_bytes32` / `transient_store_bytes32`). Native
//! builds (motsu unit tests) get a thread-local stand-in with the same semantics within a
//! test; the in-process VM implements the real ones, including the reset between transactions.
//!
//! # Usage
//!
//! ```
//! use alloy_primitives::{b256, B256};
//! use staking_common::guard::{Lock, Reentered};
//!
//! const MY_GUARD_SLOT: B256 =
//!     b256!("0x1000000000000000000000000000000000000000000000000000000000000001");
//!
//! fn guarded() -> Result<(), Reentered> {
//!     let _lock = Lock::acquire(MY_GUARD_SLOT)?;
//!     // Checks, effects, interactions. A call back into `guarded` here fails:
//!     assert_eq!(Lock::acquire(MY_GUARD_SLOT).map(drop), Err(Reentered));
//!     Ok(())
//! } // the lock is released when `_lock` drops
//!
//! guarded().unwrap();
//! assert!(!Lock::is_held(MY_GUARD_SLOT));
//! guarded().unwrap();
//! ```
//!
//! Each contract picks its own slot (a keccak constant), so two contracts never share one.
//! Transient storage is per contract address like storage, so even equal slots would not clash.

use alloy_primitives::B256;

#[cfg(target_arch = "wasm32")]
mod host {
    #[link(wasm_import_module = "vm_hooks")]
    extern "C" {
        fn transient_load_bytes32(key: *const u8, dest: *mut u8);
        fn transient_store_bytes32(key: *const u8, value: *const u8);
    }

    pub(super) fn load(key: &[u8; 32]) -> [u8; 32] {
        let mut out = [0u8; 32];
        // SAFETY: both pointers are valid for 32 bytes, as the host function requires.
        unsafe { transient_load_bytes32(key.as_ptr(), out.as_mut_ptr()) };
        out
    }

    pub(super) fn store(key: &[u8; 32], value: &[u8; 32]) {
        // SAFETY: both pointers are valid for 32 bytes, as the host function requires.
        unsafe { transient_store_bytes32(key.as_ptr(), value.as_ptr()) };
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod host {
    extern crate std;
    use std::{cell::RefCell, collections::HashMap, thread_local};

    thread_local! {
        static TRANSIENT: RefCell<HashMap<[u8; 32], [u8; 32]>> = RefCell::new(HashMap::new());
    }

    pub(super) fn load(key: &[u8; 32]) -> [u8; 32] {
        TRANSIENT.with(|t| t.borrow().get(key).copied().unwrap_or([0u8; 32]))
    }

    pub(super) fn store(key: &[u8; 32], value: &[u8; 32]) {
        TRANSIENT.with(|t| {
            let mut map = t.borrow_mut();
            if *value == [0u8; 32] {
                map.remove(key);
            } else {
                map.insert(*key, *value);
            }
        });
    }
}

/// Reads a transient slot of the running contract.
pub fn tload(key: B256) -> B256 {
    B256::new(host::load(&key.0))
}

/// Writes a transient slot of the running contract.
pub fn tstore(key: B256, value: B256) {
    host::store(&key.0, &value.0);
}

/// The guard was already held: the call re-entered a guarded function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reentered;

/// A held reentrancy lock; released when dropped.
#[derive(Debug)]
#[must_use = "the lock is released as soon as it is dropped"]
pub struct Lock {
    slot: B256,
}

const LOCKED: B256 = {
    let mut v = [0u8; 32];
    v[31] = 1;
    B256::new(v)
};

impl Lock {
    /// Takes the lock kept in transient `slot`.
    ///
    /// # Errors
    ///
    /// [`Reentered`] when the lock is already held in this transaction.
    pub fn acquire(slot: B256) -> Result<Self, Reentered> {
        if tload(slot) != B256::ZERO {
            return Err(Reentered);
        }
        tstore(slot, LOCKED);
        Ok(Self { slot })
    }

    /// Whether the lock in `slot` is held right now (for view functions that must not be read
    /// mid-operation).
    pub fn is_held(slot: B256) -> bool {
        tload(slot) != B256::ZERO
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        tstore(self.slot, B256::ZERO);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SLOT: B256 = B256::repeat_byte(0xab);

    #[test]
    fn second_acquire_while_held_is_refused() {
        let lock = Lock::acquire(SLOT).expect("first acquire");
        assert!(Lock::is_held(SLOT));
        assert_eq!(Lock::acquire(SLOT).unwrap_err(), Reentered);
        drop(lock);
        assert!(!Lock::is_held(SLOT));
        let again = Lock::acquire(SLOT).expect("free after release");
        drop(again);
    }

    #[test]
    fn distinct_slots_are_independent() {
        let a = Lock::acquire(B256::repeat_byte(1)).expect("a");
        let b = Lock::acquire(B256::repeat_byte(2)).expect("b");
        assert!(Lock::is_held(B256::repeat_byte(1)) && Lock::is_held(B256::repeat_byte(2)));
        drop(a);
        assert!(!Lock::is_held(B256::repeat_byte(1)));
        assert!(Lock::is_held(B256::repeat_byte(2)));
        drop(b);
    }

    #[test]
    fn tstore_zero_clears_and_tload_reads_back() {
        let k = B256::repeat_byte(9);
        tstore(k, B256::repeat_byte(7));
        assert_eq!(tload(k), B256::repeat_byte(7));
        tstore(k, B256::ZERO);
        assert_eq!(tload(k), B256::ZERO);
    }
}
