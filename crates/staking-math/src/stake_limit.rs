//! A Lido-style staking rate limit that fits one storage slot.
//!
//! The limit has a maximum (`max_limit`) and regrows linearly towards it: every block adds
//! `max_limit / growth_blocks` to the remaining limit, capped at the maximum. Deposits consume it.
//! `growth_blocks` is `max_limit / increase_per_block`, rounded down, so the per-block regrowth
//! `max_limit / growth_blocks` (also rounded down) is at least the requested increase and a full
//! refill takes at most `growth_blocks` blocks. `growth_blocks == 0` means no regrowth;
//! `max_limit == 0` means no limit at all.
//!
//! All arithmetic here is on `u128` with saturation or explicit checks; nothing panics.
//!
//! Slot layout ([`StakeLimit::pack`]), low bits first:
//!
//! ```text
//! bits   0..96   prev_limit     remaining limit at prev_block
//! bits  96..128  prev_block     block of the last change
//! bits 128..160  growth_blocks  blocks for a full refill (0: never refills)
//! bits 160..256  max_limit      maximum (0: disabled)
//! ```

use alloy_primitives::U256;

use crate::{pack_u128_pair, unpack_u128_pair};

/// Why a stake limit operation was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StakeLimitError {
    /// The amount is above what the limit allows at this block.
    ExceedsLimit {
        /// Amount asked for.
        requested: u128,
        /// Amount the limit allows now.
        remaining: u128,
    },
    /// The new maximum is zero or above [`StakeLimit::MAX_AMOUNT`], the increase exceeds the
    /// maximum, or a full refill would take more than `u32::MAX` blocks.
    InvalidLimit,
    /// The block number does not fit the 32-bit field.
    BlockOverflow,
}

/// State of a staking rate limit (see the module doc for the rules and the slot layout).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StakeLimit {
    /// Maximum remaining limit, at most [`StakeLimit::MAX_AMOUNT`]; zero disables the limit.
    pub max_limit: u128,
    /// Remaining limit as of `prev_block`, at most [`StakeLimit::MAX_AMOUNT`].
    pub prev_limit: u128,
    /// Block at which `prev_limit` was recorded.
    pub prev_block: u32,
    /// Blocks for the limit to regrow from zero to `max_limit`; zero means it never regrows.
    pub growth_blocks: u32,
}

impl StakeLimit {
    /// Largest maximum a limit may have: the 96-bit field is full (`2^96 - 1`).
    pub const MAX_AMOUNT: u128 = (1 << 96) - 1;

    /// Whether a maximum is set (otherwise staking is unlimited).
    pub fn is_enabled(&self) -> bool {
        self.max_limit != 0
    }

    /// Amount that may be staked at `block`: `prev_limit` plus the regrowth since `prev_block`,
    /// capped at `max_limit`; `u128::MAX` when disabled. A `block` before `prev_block` counts as no
    /// time elapsed.
    pub fn current(&self, block: u64) -> u128 {
        if !self.is_enabled() {
            return u128::MAX;
        }
        let per_block = self.max_limit.checked_div(u128::from(self.growth_blocks)).unwrap_or(0);
        let elapsed = u128::from(block.saturating_sub(u64::from(self.prev_block)));
        self.prev_limit.saturating_add(elapsed.saturating_mul(per_block)).min(self.max_limit)
    }

    /// The limit after staking `amount` at `block`: the remaining limit drops by `amount` and is
    /// recorded at `block`. Returns `self` unchanged when disabled.
    ///
    /// Errors: [`StakeLimitError::ExceedsLimit`] when `amount > self.current(block)`;
    /// [`StakeLimitError::BlockOverflow`] when `block` does not fit `u32`.
    pub fn consume(self, amount: u128, block: u64) -> Result<Self, StakeLimitError> {
        if !self.is_enabled() {
            return Ok(self);
        }
        let remaining = self.current(block);
        let prev_limit = remaining
            .checked_sub(amount)
            .ok_or(StakeLimitError::ExceedsLimit { requested: amount, remaining })?;
        Ok(Self { prev_limit, prev_block: block_u32(block)?, ..self })
    }

    /// The limit with a new maximum and regrowth, set at `block` (Lido's `setStakingLimit`).
    ///
    /// The remaining limit carries over, capped at the new maximum; it starts full when the limit
    /// was disabled.
    ///
    /// Errors: [`StakeLimitError::InvalidLimit`] when `max_limit` is zero or above
    /// [`Self::MAX_AMOUNT`], `increase_per_block > max_limit`, or `max_limit / increase_per_block`
    /// does not fit `u32`; [`StakeLimitError::BlockOverflow`] when `block` does not fit `u32`.
    pub fn set(
        self,
        max_limit: u128,
        increase_per_block: u128,
        block: u64,
    ) -> Result<Self, StakeLimitError> {
        if max_limit == 0 || max_limit > Self::MAX_AMOUNT || increase_per_block > max_limit {
            return Err(StakeLimitError::InvalidLimit);
        }
        let growth_blocks = max_limit.checked_div(increase_per_block).unwrap_or(0);
        let growth_blocks =
            u32::try_from(growth_blocks).map_err(|_| StakeLimitError::InvalidLimit)?;
        // Disabled: `current` is u128::MAX, so the minimum is the new maximum.
        let prev_limit = self.current(block).min(max_limit);
        Ok(Self { max_limit, prev_limit, prev_block: block_u32(block)?, growth_blocks })
    }

    /// The limit switched off: unlimited staking, `prev_block` kept.
    #[must_use]
    pub fn disable(self) -> Self {
        Self { max_limit: 0, prev_limit: 0, growth_blocks: 0, ..self }
    }

    /// The limit as one storage word (layout in the module doc). Fields wider than their slot are
    /// truncated to it; values built by [`Self::set`] and [`Self::consume`] always fit.
    pub fn pack(&self) -> U256 {
        pack_u128_pair(
            (self.prev_limit & Self::MAX_AMOUNT) | (u128::from(self.prev_block) << 96),
            u128::from(self.growth_blocks) | (self.max_limit << 32),
        )
    }

    /// The limit stored in `word` (inverse of [`Self::pack`]).
    #[allow(clippy::cast_possible_truncation)] // Each cast keeps exactly a 32-bit field.
    pub fn unpack(word: U256) -> Self {
        let (low, high) = unpack_u128_pair(word);
        Self {
            max_limit: high >> 32,
            prev_limit: low & Self::MAX_AMOUNT,
            prev_block: (low >> 96) as u32,
            growth_blocks: high as u32,
        }
    }
}

/// `block` narrowed to the 32-bit field.
fn block_u32(block: u64) -> Result<u32, StakeLimitError> {
    u32::try_from(block).map_err(|_| StakeLimitError::BlockOverflow)
}
