//! The pool's packed words: how the two hot slots are laid out and read.
//!
//! ```text
//! slot 0  totals   total_shares u128 [0,128) | buffered_ether u128 [128,256)
//! slot 1  beacon   cl_balance u128 [0,128) | deposited_validators u64 [128,192)
//!                  | cl_validators u32 [192,224) | flags u32 [224,256)
//! slot 2  stake limit (staking_math::StakeLimit::pack):
//!                  prev_limit u96 | prev_block u32 | growth_blocks u32 | max_limit u96
//! ```
//!
//! The fields sit on 64-bit limb boundaries, so packing is a few shifts (no generic bit-field
//! code in the wasm). 2^32 validators is over a thousand times the validators all ether in
//! existence could fund.
//!
//! Every hot path (deposit, transfer, views) needs the share rate, which needs slots 0 and 1:
//! two cold reads. The flags (initialized, token paused, staking paused) ride in slot 1 so
//! checking them costs nothing more. A deposit writes slot 0 (and slot 2 when a stake limit is
//! set) and the depositor's share slot; a transfer writes only the two holders' share slots.
//!
//! Total pooled ether = buffered + deposited-not-yet-seen + consensus-layer balance, where
//! deposited-not-yet-seen = (deposited_validators - cl_validators) x 32 ether (Lido's
//! "transient balance"): validators the pool funded that no report has counted yet.

use alloy_primitives::U256;
use staking_math::{add, ether_for_shares, pack_u128_pair, unpack_u128_pair, MathError, Rounding};

pub use staking_common::deposit_data::DEPOSIT_SIZE;

/// Flag: `initialize` has run.
pub const FLAG_INITIALIZED: u32 = 1;
/// Flag: the token is paused (no deposits, no transfers).
pub const FLAG_TOKEN_PAUSED: u32 = 1 << 1;
/// Flag: staking (deposits) is paused.
pub const FLAG_STAKING_PAUSED: u32 = 1 << 2;

/// Slot 0: total shares and buffered ether.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Totals {
    /// Shares in existence, the bootstrap shares included.
    pub total_shares: u128,
    /// Ether held by the pool and not yet sent to validators.
    pub buffered_ether: u128,
}

impl Totals {
    /// Reads the packed word.
    pub fn unpack(word: U256) -> Self {
        let (total_shares, buffered_ether) = unpack_u128_pair(word);
        Self { total_shares, buffered_ether }
    }

    /// The packed word.
    pub fn pack(&self) -> U256 {
        pack_u128_pair(self.total_shares, self.buffered_ether)
    }
}

/// Slot 1: what the consensus layer holds, validator counts and flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Beacon {
    /// Consensus-layer balance of the pool's validators, as last reported.
    pub cl_balance: u128,
    /// Validators the pool has funded.
    pub deposited_validators: u64,
    /// Validators the last report saw (never above `deposited_validators`).
    pub cl_validators: u32,
    /// `FLAG_*` bits.
    pub flags: u32,
}

impl Beacon {
    /// Reads the packed word.
    #[allow(clippy::cast_possible_truncation)] // Each cast keeps exactly one 32-bit field.
    pub fn unpack(word: U256) -> Self {
        let [l0, l1, l2, l3] = word.into_limbs();
        Self {
            cl_balance: u128::from(l0) | (u128::from(l1) << 64),
            deposited_validators: l2,
            cl_validators: l3 as u32,
            flags: (l3 >> 32) as u32,
        }
    }

    /// The packed word.
    #[allow(clippy::cast_possible_truncation)] // Splitting into 64-bit limbs truncates on purpose.
    pub fn pack(&self) -> U256 {
        U256::from_limbs([
            self.cl_balance as u64,
            (self.cl_balance >> 64) as u64,
            self.deposited_validators,
            u64::from(self.cl_validators) | (u64::from(self.flags) << 32),
        ])
    }

    /// Whether every bit of `flag` is set.
    pub fn has(&self, flag: u32) -> bool {
        self.flags & flag == flag
    }

    /// Sets or clears `flag`.
    pub fn set(&mut self, flag: u32, on: bool) {
        if on {
            self.flags |= flag;
        } else {
            self.flags &= !flag;
        }
    }

    /// Ether sent to validators that no report has counted yet.
    pub fn transient_ether(&self) -> Result<U256, MathError> {
        let unseen = self
            .deposited_validators
            .checked_sub(u64::from(self.cl_validators))
            .ok_or(MathError::Underflow)?;
        // In u128 (cheap in wasm); cannot overflow: 2^64 x 32e18 < 2^130 is not guaranteed,
        // so it is checked.
        u128::from(unseen).checked_mul(DEPOSIT_SIZE).map(U256::from).ok_or(MathError::Overflow)
    }
}

/// Both hot words, loaded together for the share rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PoolState {
    /// Slot 0.
    pub totals: Totals,
    /// Slot 1.
    pub beacon: Beacon,
}

impl PoolState {
    /// Total pooled ether: buffered + deposited-not-yet-seen + consensus-layer balance.
    pub fn total_pooled_ether(&self) -> Result<U256, MathError> {
        let held = add(U256::from(self.totals.buffered_ether), U256::from(self.beacon.cl_balance))?;
        add(held, self.beacon.transient_ether()?)
    }

    /// Ether value of `shares` at this state's rate; 0 before any share exists.
    pub fn ether_for(&self, shares: U256, rounding: Rounding) -> Result<U256, MathError> {
        if self.totals.total_shares == 0 {
            return Ok(U256::ZERO);
        }
        ether_for_shares(shares, self.total_shares(), self.total_pooled_ether()?, rounding)
    }

    /// Total shares as U256.
    pub fn total_shares(&self) -> U256 {
        U256::from(self.totals.total_shares)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_round_trip_at_the_bounds() {
        for t in [
            Totals::default(),
            Totals { total_shares: u128::MAX, buffered_ether: 0 },
            Totals { total_shares: 1, buffered_ether: u128::MAX },
        ] {
            assert_eq!(Totals::unpack(t.pack()), t);
        }
    }

    #[test]
    fn beacon_round_trips_and_keeps_fields_apart() {
        let b = Beacon {
            cl_balance: u128::MAX,
            deposited_validators: u64::MAX,
            cl_validators: 7,
            flags: FLAG_TOKEN_PAUSED | FLAG_INITIALIZED,
        };
        assert_eq!(Beacon::unpack(b.pack()), b);
        let c = Beacon {
            cl_balance: 1,
            deposited_validators: 0,
            cl_validators: u32::MAX,
            flags: u32::MAX,
        };
        assert_eq!(Beacon::unpack(c.pack()), c);
        assert!(b.has(FLAG_INITIALIZED) && b.has(FLAG_TOKEN_PAUSED) && !b.has(FLAG_STAKING_PAUSED));
    }

    #[test]
    fn unseen_validators_below_zero_are_an_error_not_a_wrap() {
        let b = Beacon { deposited_validators: 1, cl_validators: 2, ..Beacon::default() };
        assert_eq!(b.transient_ether(), Err(MathError::Underflow));
    }

    #[test]
    fn total_pooled_ether_adds_buffer_balance_and_unseen_deposits() {
        let s = PoolState {
            totals: Totals { total_shares: 10, buffered_ether: 5 },
            beacon: Beacon { cl_balance: 100, deposited_validators: 3, cl_validators: 1, flags: 0 },
        };
        assert_eq!(s.total_pooled_ether(), Ok(U256::from(105u128 + 2 * DEPOSIT_SIZE)));
    }

    #[test]
    fn flags_set_and_clear_independently() {
        let mut b = Beacon::default();
        b.set(FLAG_STAKING_PAUSED, true);
        b.set(FLAG_TOKEN_PAUSED, true);
        b.set(FLAG_STAKING_PAUSED, false);
        assert!(!b.has(FLAG_STAKING_PAUSED) && b.has(FLAG_TOKEN_PAUSED));
    }
}
