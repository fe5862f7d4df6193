//! The chain clock: slots, epochs, frames, reference slots, deadlines and the fast lane, as
//! pure functions of an explicit `now` (motsu's block time is fixed, so nothing here reads it).
//!
//! Lido's HashConsensus arithmetic, restated:
//!
//! ```text
//! slot(t)        = (t - genesis) / secondsPerSlot          (0 before genesis)
//! epoch(t)       = slot(t) / slotsPerEpoch
//! frameIndex(t)  = (epoch(t) - initialEpoch) / epochsPerFrame   (InitialEpochIsYetToArrive
//!                                                                 when epoch < initialEpoch)
//! startEpoch     = initialEpoch + frameIndex * epochsPerFrame
//! refSlot        = startEpoch * slotsPerEpoch - 1          (the last slot before the frame)
//! deadlineSlot   = refSlot + epochsPerFrame * slotsPerEpoch (the frame's last slot = the next
//!                                                           frame's refSlot)
//! deadline time  = genesis + deadlineSlot * secondsPerSlot
//! fast-lane end  = genesis + (refSlot + fastLaneSlots + 1) * secondsPerSlot
//! ```
//!
//! All divisions floor. A vote at slot `s` is in time while `s <= deadlineSlot`, that is
//! `now < deadline time + secondsPerSlot`; it is inside the fast lane while
//! `s <= refSlot + fastLaneSlots`, that is `now < fast-lane end`.
//!
//! A frame that starts at slot 0 (initial epoch 0, frame 0) has no slot before it: its
//! reference slot reads as 0, which no vote may name (Lido reverts on the underflow), so the
//! first reportable frame is the next one.

use core::num::{NonZeroU16, NonZeroU32, NonZeroU64};

use alloy_primitives::U256;

use crate::errors::{
    overflow, EpochsPerFrameCannotBeZero, Error, FastLanePeriodCannotBeLongerThanFrame,
    InitialEpochIsYetToArrive, InvalidChainConfig,
};

/// The beacon chain's clock (fixed at initialization).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainConfig {
    /// Unix time of slot 0.
    pub genesis_time: u64,
    /// Seconds per slot (12 on mainnet).
    pub seconds_per_slot: NonZeroU16,
    /// Slots per epoch (32 on mainnet).
    pub slots_per_epoch: NonZeroU16,
}

/// How epochs are grouped into frames (governance may change it, see [`set_frame_config`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameConfig {
    /// Epoch at which frame 0 starts.
    pub initial_epoch: u64,
    /// Frame length in epochs (225 on mainnet: one day).
    pub epochs_per_frame: NonZeroU32,
    /// Slots after the reference slot during which only the fast lane may vote
    /// (`<= epochs_per_frame * slots_per_epoch`).
    pub fast_lane_slots: u32,
}

/// One frame, located on the chain clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame {
    /// Frames since the initial epoch.
    pub index: u64,
    /// Its first epoch.
    pub start_epoch: u64,
    /// The slot the report describes: the last slot before the frame.
    pub ref_slot: u64,
    /// The frame's last slot (the next frame's reference slot); votes are taken up to it.
    pub deadline_slot: u64,
}

/// The frame fields of the round word, narrowed and ready to store
/// ([`crate::consensus::reset_for_frame`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoundTimes {
    /// The frame's reference slot.
    pub ref_slot: u32,
    /// Processing deadline (unix s).
    pub deadline: u32,
    /// End of the fast lane (unix s): first second at which any member may vote.
    pub fast_lane_end: u32,
    /// First fast-lane member index.
    pub fast_lane_start: u8,
}

/// A frame's fast lane: `len` member indices from `start`, wrapping mod `members`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FastLane {
    /// First member index.
    pub start: u8,
    /// Members in the lane.
    pub len: u8,
    /// Committee size.
    pub members: u8,
}

fn nz64(x: NonZeroU16) -> NonZeroU64 {
    NonZeroU64::from(x)
}

impl ChainConfig {
    /// A chain clock, or `InvalidChainConfig` when a period is zero or wider than 16 bits.
    pub fn new(
        genesis_time: u64,
        seconds_per_slot: u64,
        slots_per_epoch: u64,
    ) -> Result<Self, Error> {
        let period = |x: u64| {
            u16::try_from(x)
                .ok()
                .and_then(NonZeroU16::new)
                .ok_or(Error::InvalidChainConfig(InvalidChainConfig {}))
        };
        Ok(Self {
            genesis_time,
            seconds_per_slot: period(seconds_per_slot)?,
            slots_per_epoch: period(slots_per_epoch)?,
        })
    }

    /// The slot at unix time `now` (0 before genesis).
    pub fn slot_at(&self, now: u64) -> u64 {
        now.saturating_sub(self.genesis_time) / nz64(self.seconds_per_slot)
    }

    /// The epoch at unix time `now` (0 before genesis).
    pub fn epoch_at(&self, now: u64) -> u64 {
        self.slot_at(now) / nz64(self.slots_per_epoch)
    }

    /// Unix time at which `slot` starts.
    pub fn time_of_slot(&self, slot: u64) -> Result<u64, Error> {
        slot.checked_mul(u64::from(self.seconds_per_slot.get()))
            .and_then(|s| s.checked_add(self.genesis_time))
            .ok_or_else(overflow)
    }
}

impl FrameConfig {
    /// A frame config, or `EpochsPerFrameCannotBeZero` /
    /// `FastLanePeriodCannotBeLongerThanFrame(fastLane, frameSlots)`; `MathOverflow` when
    /// `epochs_per_frame` or `fast_lane_slots` does not fit 32 bits.
    pub fn new(
        chain: &ChainConfig,
        initial_epoch: u64,
        epochs_per_frame: u64,
        fast_lane_slots: u64,
    ) -> Result<Self, Error> {
        if epochs_per_frame == 0 {
            return Err(EpochsPerFrameCannotBeZero {}.into());
        }
        let epochs_per_frame =
            u32::try_from(epochs_per_frame).ok().and_then(NonZeroU32::new).ok_or_else(overflow)?;
        let frame_slots =
            u64::from(epochs_per_frame.get()) * u64::from(chain.slots_per_epoch.get());
        if fast_lane_slots > frame_slots {
            return Err(FastLanePeriodCannotBeLongerThanFrame {
                fastLane: U256::from(fast_lane_slots),
                frameSlots: U256::from(frame_slots),
            }
            .into());
        }
        Ok(Self {
            initial_epoch,
            epochs_per_frame,
            fast_lane_slots: u32::try_from(fast_lane_slots).map_err(|_| overflow())?,
        })
    }

    /// Slots per frame.
    pub fn frame_slots(&self, chain: &ChainConfig) -> u64 {
        u64::from(self.epochs_per_frame.get()) * u64::from(chain.slots_per_epoch.get())
    }
}

/// Index of the frame at `now`, or `InitialEpochIsYetToArrive(initialEpoch, epoch)`.
pub fn frame_index(chain: &ChainConfig, cfg: &FrameConfig, now: u64) -> Result<u64, Error> {
    let epoch = chain.epoch_at(now);
    if epoch < cfg.initial_epoch || now < chain.genesis_time {
        return Err(InitialEpochIsYetToArrive {
            initialEpoch: U256::from(cfg.initial_epoch),
            epoch: U256::from(epoch),
        }
        .into());
    }
    Ok((epoch - cfg.initial_epoch) / NonZeroU64::from(cfg.epochs_per_frame))
}

/// The frame with index `index`.
pub fn frame_by_index(chain: &ChainConfig, cfg: &FrameConfig, index: u64) -> Result<Frame, Error> {
    let start_epoch = index
        .checked_mul(u64::from(cfg.epochs_per_frame.get()))
        .and_then(|e| e.checked_add(cfg.initial_epoch))
        .ok_or_else(overflow)?;
    let start_slot =
        start_epoch.checked_mul(u64::from(chain.slots_per_epoch.get())).ok_or_else(overflow)?;
    let ref_slot = start_slot.saturating_sub(1);
    let deadline_slot = start_slot
        .checked_add(cfg.frame_slots(chain))
        .and_then(|s| s.checked_sub(1))
        .ok_or_else(overflow)?;
    Ok(Frame { index, start_epoch, ref_slot, deadline_slot })
}

/// The frame at `now`, or `InitialEpochIsYetToArrive`.
pub fn frame_at(chain: &ChainConfig, cfg: &FrameConfig, now: u64) -> Result<Frame, Error> {
    frame_by_index(chain, cfg, frame_index(chain, cfg, now)?)
}

/// Time of the frame's last slot: report data is accepted while `now <= ` this.
pub fn processing_deadline_time(chain: &ChainConfig, frame: &Frame) -> Result<u64, Error> {
    chain.time_of_slot(frame.deadline_slot)
}

/// First second at which any member may vote in `frame` (the fast lane is over).
pub fn fast_lane_end_time(
    chain: &ChainConfig,
    cfg: &FrameConfig,
    frame: &Frame,
) -> Result<u64, Error> {
    let slot = frame
        .ref_slot
        .checked_add(u64::from(cfg.fast_lane_slots))
        .and_then(|s| s.checked_add(1))
        .ok_or_else(overflow)?;
    chain.time_of_slot(slot)
}

/// First fast-lane member of the frame with index `frame_index` (0 for an empty committee).
pub fn fast_lane_start(frame_index: u64, members: u8) -> u8 {
    match NonZeroU64::new(u64::from(members)) {
        // The remainder is below `members`, a u8.
        Some(n) => u8::try_from(frame_index % n).unwrap_or(0),
        None => 0,
    }
}

/// The fast lane of a frame whose lane starts at `start`: `quorum` members from `start`,
/// wrapping mod `members`; every member when `quorum >= members`.
pub fn fast_lane(start: u8, members: u8, quorum: u8) -> FastLane {
    if quorum >= members {
        FastLane { start: 0, len: members, members }
    } else {
        FastLane { start, len: quorum, members }
    }
}

impl FastLane {
    /// Whether member `index` is in the lane.
    pub fn contains(&self, index: u8) -> bool {
        if index >= self.members {
            return false;
        }
        let n = u16::from(self.members);
        // Distance from the start going up, mod n.
        let offset = (u16::from(index) + n - u16::from(self.start) % n) % n;
        offset < u16::from(self.len)
    }
}

/// The round word's frame fields for the frame at `now` and a committee of `members`.
pub fn round_times(
    chain: &ChainConfig,
    cfg: &FrameConfig,
    now: u64,
    members: u8,
) -> Result<(Frame, RoundTimes), Error> {
    let frame = frame_at(chain, cfg, now)?;
    let narrow = |x: u64| u32::try_from(x).map_err(|_| overflow());
    let times = RoundTimes {
        ref_slot: narrow(frame.ref_slot)?,
        deadline: narrow(processing_deadline_time(chain, &frame)?)?,
        fast_lane_end: narrow(fast_lane_end_time(chain, cfg, &frame)?)?,
        fast_lane_start: fast_lane_start(frame.index, members),
    };
    Ok((frame, times))
}

/// `setFrameConfig(epochsPerFrame, fastLaneSlots)`: the new config starts its frame 0 at the
/// current frame's start epoch, so the current reference slot does not move. Fails with
/// `InitialEpochIsYetToArrive` before the initial epoch (as Lido's does) and with the
/// [`FrameConfig::new`] errors.
pub fn set_frame_config(
    chain: &ChainConfig,
    current: &FrameConfig,
    now: u64,
    epochs_per_frame: u64,
    fast_lane_slots: u64,
) -> Result<FrameConfig, Error> {
    let frame = frame_at(chain, current, now)?;
    FrameConfig::new(chain, frame.start_epoch, epochs_per_frame, fast_lane_slots)
}
