//! The CL-loss window: the consensus-layer losses of recent reports, summed by the
//! CL-decrease sanity check (`staking_math::sanity::check_cl_decrease`).
//!
//! ```text
//! slot 9   ... | loss_head u8 | loss_len u8 | ...      (the cursor, in ReportConfig)
//! slot 11  entry 0 (low 128 bits) | entry 1 (high 128 bits)
//! ...
//! slot 18  entry 14 | entry 15
//! entry    report_timestamp u32 | loss_wei u96
//! ```
//!
//! Only a report that loses writes an entry (a report that gains writes nothing and reads
//! nothing here), so 16 entries cover 16 losing reports: with the default 18-day window and
//! daily reports that is all but a run of 17 or more losing days in 18. The window a report is
//! checked against is every recorded loss whose report timestamp is after
//! `reportTimestamp - window`, plus its own loss.
//!
//! When the ring is full, the entry a new loss overwrites is the oldest. If that one is still
//! inside the window (the ring is too short for the run of losses), its loss is added to the
//! next oldest entry instead of being dropped: it then counts until that newer entry's
//! timestamp leaves the window, a little longer than its own would. So the window never
//! under-counts a loss (which could let a slashing through in small steps); at worst it
//! over-counts one for a few days during a run of more than 16 losing reports, which makes the
//! check stricter, never looser. A window or limit changed by governance applies to the entries
//! already recorded.
//!
//! Why a ring and not one running sum: a sum with a single start time (a "tumbling" window)
//! either forgets losses as soon as a new period starts, or, keeping two periods, counts losses
//! up to twice the window old. The ring reads up to 8 slots, only on losing reports.

use alloy_primitives::U256;

use crate::{
    errors::Error,
    math_overflow,
    storage::{LossEntry, ReportConfig, LOSS_ENTRIES, LOSS_MAX},
    StakingPool,
};

/// Slot (within slots 11..18) and half of entry `index`.
fn place(index: u8) -> (usize, usize) {
    (usize::from(index / 2), usize::from(index % 2))
}

impl StakingPool {
    /// Entry `index` (`< LOSS_ENTRIES`).
    fn loss_entry(&self, index: u8) -> LossEntry {
        let (slot, half) = place(index);
        LossEntry::unpack(self.losses.get(slot).unwrap_or_default(), half)
    }

    /// Writes entry `index` (`< LOSS_ENTRIES`).
    fn set_loss_entry(&mut self, index: u8, entry: LossEntry) {
        let (slot, half) = place(index);
        if let Some(mut word) = self.losses.setter(slot) {
            let packed = entry.pack_into(word.get(), half);
            word.set(packed);
        }
    }

    /// The index of the oldest recorded entry, and of the `k`-th after it.
    fn loss_index(cfg: &ReportConfig, k: u8) -> u8 {
        (cfg.loss_head + LOSS_ENTRIES - cfg.loss_len + k) % LOSS_ENTRIES
    }

    /// Sum of the recorded losses whose report timestamp is after `since`.
    pub(crate) fn window_losses(&self, cfg: &ReportConfig, since: u64) -> U256 {
        let mut sum = U256::ZERO;
        for k in 0..cfg.loss_len.min(LOSS_ENTRIES) {
            let entry = self.loss_entry(Self::loss_index(cfg, k));
            if u64::from(entry.timestamp) > since {
                // At most 16 x (2^96 - 1): cannot overflow.
                sum += U256::from(entry.loss);
            }
        }
        sum
    }

    /// Records `loss` (at most [`LOSS_MAX`]) at `timestamp` and advances `cfg`'s cursor (the
    /// caller stores `cfg`). `since` is the start of the window as in [`Self::window_losses`]:
    /// an overwritten entry inside it is folded into the next oldest (module doc).
    ///
    /// Errors: `MathOverflow` when a folded loss does not fit 96 bits (over 79 billion ether).
    pub(crate) fn record_loss(
        &mut self,
        cfg: &mut ReportConfig,
        timestamp: u32,
        loss: u128,
        since: u64,
    ) -> Result<(), Error> {
        if cfg.loss_len >= LOSS_ENTRIES {
            let oldest = self.loss_entry(cfg.loss_head);
            if u64::from(oldest.timestamp) > since && oldest.loss != 0 {
                let next_index = (cfg.loss_head + 1) % LOSS_ENTRIES;
                let mut next = self.loss_entry(next_index);
                next.loss = next
                    .loss
                    .checked_add(oldest.loss)
                    .filter(|&l| l <= LOSS_MAX)
                    .ok_or_else(math_overflow)?;
                self.set_loss_entry(next_index, next);
            }
        } else {
            cfg.loss_len += 1;
        }
        if loss > LOSS_MAX {
            return Err(math_overflow());
        }
        self.set_loss_entry(cfg.loss_head, LossEntry { timestamp, loss });
        cfg.loss_head = (cfg.loss_head + 1) % LOSS_ENTRIES;
        Ok(())
    }
}
