//! The per-call storage cache of a Stylus program (nitro `crates/arbutil/src/evm/storage.rs`
//! and the `get_bytes32` / `cache_bytes32` / `flush_storage_cache` requests of `req.rs`).
//!
//! Each call into a program gets a fresh cache. `storage_load_bytes32` reads through it (a hit
//! costs no EVM gas), `storage_cache_bytes32` only writes it, and `storage_flush_cache` hands
//! the dirty slots, in ascending key order, to the EVM, which charges each as an `SSTORE`.
//! Dirty slots never flushed when the call ends are dropped, as in nitro (the SDK's entry
//! point flushes before returning). ArbOS's cache-size limit is not modelled.

use std::collections::HashMap;

use alloy_primitives::B256;

use crate::pricing;

/// A cached slot that was written.
#[derive(Clone, Copy, Debug)]
struct Dirty {
    value: B256,
    /// The value the EVM holds, when known.
    known: Option<B256>,
}

/// One call's storage cache.
#[derive(Debug, Default)]
pub(crate) struct StorageCache {
    clean: HashMap<B256, B256>,
    dirty: HashMap<B256, Dirty>,
    reads: usize,
    writes: usize,
}

impl StorageCache {
    /// The access surcharge of the next read.
    pub(crate) fn read_gas(&mut self) -> u64 {
        self.reads += 1;
        pricing::cache_read_gas(self.reads)
    }

    /// The access surcharge of the next write.
    pub(crate) fn write_gas(&mut self) -> u64 {
        self.writes += 1;
        pricing::cache_write_gas(self.writes)
    }

    /// The cached value of `key`, if any.
    pub(crate) fn get(&self, key: &B256) -> Option<B256> {
        self.dirty.get(key).map(|d| d.value).or_else(|| self.clean.get(key).copied())
    }

    /// Records the EVM's value of `key` after a miss.
    pub(crate) fn insert_known(&mut self, key: B256, value: B256) {
        if self.get(&key).is_none() {
            self.clean.insert(key, value);
        }
    }

    /// Writes `value` to `key` in the cache only.
    pub(crate) fn cache(&mut self, key: B256, value: B256) {
        if let Some(word) = self.dirty.get_mut(&key) {
            word.value = value;
            return;
        }
        if let Some(known) = self.clean.remove(&key) {
            if value == known {
                self.clean.insert(key, known);
            } else {
                self.dirty.insert(key, Dirty { value, known: Some(known) });
            }
            return;
        }
        self.dirty.insert(key, Dirty { value, known: None });
    }

    /// Takes the slots whose value changed, in ascending key order. Unless `clear`, their
    /// values stay cached as clean entries; with `clear` the whole cache is emptied.
    pub(crate) fn flush(&mut self, clear: bool) -> Vec<(B256, B256)> {
        let dirty = std::mem::take(&mut self.dirty);
        let mut entries = Vec::with_capacity(dirty.len());
        for (key, word) in dirty {
            if word.known != Some(word.value) {
                entries.push((key, word.value));
            }
            if !clear {
                self.clean.insert(key, word.value);
            }
        }
        if clear {
            self.clean.clear();
        }
        entries.sort_unstable_by_key(|(key, _)| *key);
        entries
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(x: u8) -> B256 {
        B256::with_last_byte(x)
    }

    #[test]
    fn restoring_the_known_value_leaves_nothing_to_flush() {
        let mut cache = StorageCache::default();
        cache.insert_known(w(1), w(11));
        cache.cache(w(1), w(22));
        cache.cache(w(1), w(11));
        assert!(cache.flush(false).is_empty());
        assert_eq!(cache.get(&w(1)), Some(w(11)));
    }

    #[test]
    fn flush_returns_changed_slots_in_key_order_and_keeps_them_clean() {
        let mut cache = StorageCache::default();
        cache.cache(w(9), w(1));
        cache.cache(w(3), w(2));
        assert_eq!(cache.flush(false), vec![(w(3), w(2)), (w(9), w(1))]);
        assert!(cache.flush(false).is_empty());
        assert_eq!(cache.get(&w(9)), Some(w(1)));
        cache.cache(w(9), w(5));
        assert_eq!(cache.flush(true), vec![(w(9), w(5))]);
        assert_eq!(cache.get(&w(9)), None);
    }

    #[test]
    fn access_surcharges_start_after_the_free_tier() {
        let mut cache = StorageCache::default();
        let reads: Vec<u64> = (0..34).map(|_| cache.read_gas()).collect();
        assert_eq!(reads[31], 0);
        assert_eq!(reads[32], 2);
        let writes: Vec<u64> = (0..9).map(|_| cache.write_gas()).collect();
        assert_eq!(writes[7], 0);
        assert_eq!(writes[8], 7);
    }
}
