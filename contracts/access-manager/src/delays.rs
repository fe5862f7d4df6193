//! Execution delays per target function, as pure arithmetic over one packed storage word.
//!
//! A delay is set per (target contract, function selector). Raising it takes effect at once;
//! lowering it takes effect only once the old delay has elapsed, so lowering a delay can never
//! let an operation run sooner than scheduling it under the old delay would have.
//!
//! # Packing
//!
//! One `uint128` per (target, selector), right-aligned in its slot:
//!
//! ```text
//! bits 127..96  current    u32  delay in force before `effect_at`
//! bits  95..64  pending    u32  delay in force from `effect_at` on
//! bits  63..0   effect_at  u64  unix seconds at which `pending` replaces `current`
//! ```
//!
//! The zero word means "no delay". The delay in force at `now` is
//! `if now >= effect_at { pending } else { current }`.
//!
//! The map key is the 32-byte word `target (20) | selector (4) | 0 (8)`, which is unique per
//! pair, so one map (one keccak) serves what a nested map would do with two.

use alloy_primitives::{aliases::B32, Address, B256, U128};

/// The longest delay that can be set: 30 days, in seconds.
pub const MAX_DELAY: u32 = 30 * 24 * 60 * 60;

/// The unpacked delay word of one (target, selector).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DelayConfig {
    /// Delay in seconds in force before `effect_at`.
    pub current: u32,
    /// Delay in seconds in force from `effect_at` on.
    pub pending: u32,
    /// Unix time in seconds at which `pending` replaces `current`.
    pub effect_at: u64,
}

impl DelayConfig {
    /// Unpacks the storage word (see the module doc for the bit layout).
    #[must_use]
    pub const fn unpack(word: U128) -> Self {
        let [low, high] = *word.as_limbs();
        #[allow(clippy::cast_possible_truncation)] // The truncations select the two halves.
        Self { current: (high >> 32) as u32, pending: high as u32, effect_at: low }
    }

    /// Packs into the storage word (see the module doc for the bit layout).
    #[must_use]
    pub const fn pack(self) -> U128 {
        let high = ((self.current as u64) << 32) | self.pending as u64;
        U128::from_limbs([self.effect_at, high])
    }

    /// The delay in force at unix time `now`.
    #[must_use]
    pub const fn effective(self, now: u64) -> u32 {
        if now >= self.effect_at {
            self.pending
        } else {
            self.current
        }
    }

    /// The configuration after setting the delay to `delay` at unix time `now`.
    ///
    /// An increase (or an equal value) is in force at once (`effect_at == now`). A decrease
    /// keeps the delay in force now until that delay has elapsed (`effect_at == now + old`);
    /// a change still waiting is replaced.
    ///
    /// Returns `None` when `now + old` overflows 64 bits.
    #[must_use]
    pub fn with_delay(self, delay: u32, now: u64) -> Option<Self> {
        let old = self.effective(now);
        if delay >= old {
            Some(Self { current: delay, pending: delay, effect_at: now })
        } else {
            let effect_at = now.checked_add(u64::from(old))?;
            Some(Self { current: old, pending: delay, effect_at })
        }
    }
}

/// The storage key of the delay of function `selector` of `target`:
/// `target (20) | selector (4) | 0 (8)`.
#[must_use]
pub fn delay_key(target: Address, selector: B32) -> B256 {
    let mut key = [0u8; 32];
    key[..20].copy_from_slice(target.as_slice());
    key[20..24].copy_from_slice(selector.as_slice());
    B256::new(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_000_000;

    #[test]
    fn zero_word_means_no_delay_at_any_time() {
        let config = DelayConfig::unpack(U128::ZERO);
        assert_eq!(config, DelayConfig::default());
        assert_eq!(config.effective(0), 0);
        assert_eq!(config.effective(u64::MAX), 0);
    }

    #[test]
    fn packing_round_trips_and_follows_the_documented_bit_layout() {
        let config = DelayConfig { current: 0x1122_3344, pending: 0x5566_7788, effect_at: 0x99 };
        let word = config.pack();
        assert_eq!(word, U128::from(0x1122_3344_5566_7788_0000_0000_0000_0099_u128));
        assert_eq!(DelayConfig::unpack(word), config);
        let max = DelayConfig { current: u32::MAX, pending: u32::MAX, effect_at: u64::MAX };
        assert_eq!(max.pack(), U128::MAX);
        assert_eq!(DelayConfig::unpack(U128::MAX), max);
    }

    #[test]
    fn increase_takes_effect_at_once() {
        let config = DelayConfig::default().with_delay(100, NOW).unwrap();
        assert_eq!(config, DelayConfig { current: 100, pending: 100, effect_at: NOW });
        assert_eq!(config.effective(NOW), 100);
        let higher = config.with_delay(500, NOW + 1).unwrap();
        assert_eq!(higher.effective(NOW + 1), 500);
    }

    #[test]
    fn decreased_delay_waits_for_the_old_delay() {
        let config = DelayConfig::default().with_delay(100, NOW).unwrap();
        let lowered = config.with_delay(10, NOW + 5).unwrap();
        assert_eq!(lowered, DelayConfig { current: 100, pending: 10, effect_at: NOW + 105 });
        assert_eq!(lowered.effective(NOW + 5), 100);
        assert_eq!(lowered.effective(NOW + 104), 100);
        assert_eq!(lowered.effective(NOW + 105), 10);
    }

    #[test]
    fn removing_a_delay_waits_for_the_old_delay() {
        let config = DelayConfig::default().with_delay(MAX_DELAY, NOW).unwrap();
        let removed = config.with_delay(0, NOW).unwrap();
        assert_eq!(removed.effective(NOW + u64::from(MAX_DELAY) - 1), MAX_DELAY);
        assert_eq!(removed.effective(NOW + u64::from(MAX_DELAY)), 0);
    }

    #[test]
    fn a_second_decrease_restarts_from_the_delay_still_in_force() {
        let config = DelayConfig::default().with_delay(100, NOW).unwrap();
        let first = config.with_delay(50, NOW).unwrap();
        // 40 s later the 100 s delay is still in force; lowering again waits 100 s from here.
        let second = first.with_delay(20, NOW + 40).unwrap();
        assert_eq!(second, DelayConfig { current: 100, pending: 20, effect_at: NOW + 140 });
        assert_eq!(second.effective(NOW + 100), 100);
        assert_eq!(second.effective(NOW + 140), 20);
    }

    #[test]
    fn a_decrease_after_the_previous_one_applied_waits_for_the_lower_delay() {
        let config = DelayConfig::default().with_delay(100, NOW).unwrap();
        let lowered = config.with_delay(50, NOW).unwrap();
        let again = lowered.with_delay(20, NOW + 100).unwrap();
        assert_eq!(again, DelayConfig { current: 50, pending: 20, effect_at: NOW + 150 });
    }

    #[test]
    fn an_increase_cancels_a_waiting_decrease() {
        let config = DelayConfig::default().with_delay(100, NOW).unwrap();
        let lowered = config.with_delay(10, NOW).unwrap();
        let raised = lowered.with_delay(200, NOW + 1).unwrap();
        assert_eq!(raised, DelayConfig { current: 200, pending: 200, effect_at: NOW + 1 });
        assert_eq!(raised.effective(NOW + 10_000), 200);
    }

    #[test]
    fn setting_the_same_delay_is_immediate_and_harmless() {
        let config = DelayConfig::default().with_delay(100, NOW).unwrap();
        let same = config.with_delay(100, NOW + 7).unwrap();
        assert_eq!(same.effective(NOW + 7), 100);
    }

    #[test]
    fn decrease_overflowing_the_clock_is_refused() {
        let config = DelayConfig::default().with_delay(100, 0).unwrap();
        assert_eq!(config.with_delay(1, u64::MAX - 99), None);
        assert!(config.with_delay(1, u64::MAX - 100).is_some());
        // An increase needs no arithmetic and never overflows.
        assert!(config.with_delay(200, u64::MAX).is_some());
    }

    #[test]
    fn delay_key_places_target_then_selector_then_zeros() {
        let target = Address::repeat_byte(0xaa);
        let key = delay_key(target, B32::new([1, 2, 3, 4]));
        assert_eq!(&key[..20], target.as_slice());
        assert_eq!(&key[20..24], &[1, 2, 3, 4]);
        assert_eq!(&key[24..], &[0u8; 8]);
        assert_ne!(key, delay_key(target, B32::new([1, 2, 3, 5])));
        assert_ne!(key, delay_key(Address::repeat_byte(0xab), B32::new([1, 2, 3, 4])));
    }
}
