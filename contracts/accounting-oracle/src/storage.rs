//! The oracle's packed words: the round (slot 0, the hot one: every vote reads and writes it
//! whole, one `SLOAD` / `SSTORE`) and the config (slot 1: read on a frame roll and by admin). Fields sit inside 64-bit limbs (limb0
//! is the word's low 64 bits; inside a limb the first field listed is the lowest), so packing
//! is shifts and casts, as in the registry.
//!
//! Bits count from the word's least significant (bit 0: limb0 is bits [0,64)), ranges
//! half-open; the table is checked against `pack` / `unpack` by `tests::layout`:
//!
//! ```text
//! word round       ref_slot u32 [0,32) | deadline u32 [32,64) | fast_lane_end u32 [64,96)
//!                  | quorum u8 [96,104) | members u8 [104,112) | fast_lane_start u8 [112,120)
//!                  | consensus_variant u4 [120,124) | processing bool [124,125)
//!                  | votes_16_29 u56 [128,184) | consensus_version u8 [184,192)
//!                  | votes_0_15 u64 [192,256)
//! word config      genesis_time u64 [0,64) | initial_epoch u64 [64,128)
//!                  | epochs_per_frame u32 [128,160) | fast_lane_slots u32 [160,192)
//!                  | seconds_per_slot u16 [192,208) | slots_per_epoch u16 [208,224)
//!                  | quorum u8 [224,232) | members u8 [232,240)
//!                  | consensus_version u8 [240,248) | initialized bool [248,249)
//! word processing  pool address [0,160) | last_ref_slot u32 [160,192)
//! word limits      annual_increase_bp u16 [0,16) | cl_decrease_bp u16 [16,32)
//!                  | cl_decrease_window u32 [32,64) | share_rate_deviation_bp u16 [64,80)
//!                  | appeared_per_day u32 [80,112) | exited_per_day u32 [112,144)
//!                  | request_margin u32 [144,176) | max_positive_rebase u64 [176,240)
//!                  | max_exited_operators u16 [240,256)
//! word l1_state    bridged_to_l2 u128 [0,128) | received u128 [128,256)
//! word exit_requests  ref_slot u32 [0,32) | count u16 [32,48) | max_per_report u16 [48,64)
//!                  | allowed u32 [64,96) | per_day u32 [128,160) | level u32 [160,192)
//!                  | level_at u40 [192,232) | delivered bool [232,233)
//! ```
//!
//! Bits [125,128) of the round, [249,256) of the config and [192,256) of the processing word
//! are spare; `limits` is `staking_math::sanity::Limits::pack`. `l1_state` (slot 10, appended
//! for the L1 leg: [`L1State`]) holds what the next report's L1 checks need: the last processed
//! report's `bridgedToL2` and the pool's `receivedFromL1Vault` as read when it was processed
//! (u128 each: 3.4e20 ether, far above all the ether in existence).
//!
//! A vote nibble is the index (1..=15) of the report variant the member votes this frame, 0 for
//! no vote. Member `i`'s nibble is bits `4 * (i % 16) ..` of limb3 (`i < 16`) or limb2.
//!
//! Widths: `ref_slot` u32 holds 4.29 billion slots (1,600 years of 12 s slots); `deadline` and
//! `fast_lane_end` are unix seconds to 2106, like the queue's timestamps. The quorum, member
//! count and consensus version are copies of the config word, so a vote never reads config.

#![allow(
    clippy::cast_possible_truncation,
    reason = "each field is read from a limb range exactly as wide as its type"
)]

use core::num::{NonZeroU16, NonZeroU32};

use alloy_primitives::U256;

use crate::frames::{ChainConfig, FrameConfig};

/// Most committee members: 30 vote nibbles fit the round word (and 15 variants suffice for
/// 30 members, see the crate doc).
pub const MAX_MEMBERS: u8 = 30;
/// Most report variants live in one frame: a nibble names 1..=15.
pub const MAX_VARIANTS: u8 = 15;
/// A quorum no committee reaches (`disableConsensus`).
pub const UNREACHABLE_QUORUM: u8 = u8::MAX;

/// Flags bit: processing of this frame's consensus report has started.
const PROCESSING: u64 = 1 << 4;
/// Mask of the 56 vote bits of limb2 (members 16..29).
const HIGH_VOTES: u64 = (1 << 56) - 1;

/// The 30 vote nibbles: `[members 0..15, members 16..29]` (the second limb uses 56 bits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Votes(pub [u64; 2]);

impl Votes {
    /// The variant member `i` votes (0: none, or `i` out of range).
    pub fn get(&self, i: u8) -> u8 {
        if i >= MAX_MEMBERS {
            return 0;
        }
        let limb = if i < 16 { self.0[0] } else { self.0[1] };
        ((limb >> (4 * u32::from(i % 16))) & 0xF) as u8
    }

    /// Sets member `i`'s vote to `variant` (its low 4 bits); out-of-range `i` is ignored.
    pub fn set(&mut self, i: u8, variant: u8) {
        if i >= MAX_MEMBERS {
            return;
        }
        let shift = 4 * u32::from(i % 16);
        let limb = if i < 16 { &mut self.0[0] } else { &mut self.0[1] };
        *limb = (*limb & !(0xF << shift)) | (u64::from(variant & 0xF) << shift);
    }

    /// Votes per variant index (`[0]`: members without a vote, counted over all 30 nibbles),
    /// from one scan of the 30 nibbles.
    pub fn tally(&self) -> [u8; 16] {
        let mut counts = [0u8; 16];
        for (limb, n) in [(self.0[0], 16), (self.0[1] & HIGH_VOTES, 14)] {
            let mut l = limb;
            for _ in 0..n {
                counts[(l & 0xF) as usize] += 1;
                l >>= 4;
            }
        }
        counts
    }

    /// Votes for `variant` (1..=15).
    pub fn support(&self, variant: u8) -> u8 {
        self.tally()[usize::from(variant & 0xF)]
    }

    /// Whether no member votes.
    pub fn is_empty(&self) -> bool {
        self.0[0] == 0 && self.0[1] & HIGH_VOTES == 0
    }
}

/// The round word: the current frame's clock, copies of the committee settings and the votes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Round {
    /// The frame's reference slot (the slot before it starts).
    pub ref_slot: u32,
    /// Processing deadline (unix s): the time of the frame's last slot.
    pub deadline: u32,
    /// First second at which any member may vote (before it, only the fast lane).
    pub fast_lane_end: u32,
    /// Votes a report needs (copy of the config's quorum).
    pub quorum: u8,
    /// Committee size (copy of the config's member count).
    pub members: u8,
    /// First member index of this frame's fast lane (`frameIndex % members`).
    pub fast_lane_start: u8,
    /// Variant index of the consensus report (0: no consensus); 4 bits.
    pub consensus_variant: u8,
    /// Processing of the consensus report started: the votes are final.
    pub processing: bool,
    /// Consensus version votes must carry (copy of the config's).
    pub consensus_version: u8,
    /// One nibble per member.
    pub votes: Votes,
}

impl Round {
    /// Reads the packed word.
    pub fn unpack(word: U256) -> Self {
        let [l0, l1, l2, l3] = word.into_limbs();
        let flags = l1 >> 56;
        Self {
            ref_slot: l0 as u32,
            deadline: (l0 >> 32) as u32,
            fast_lane_end: l1 as u32,
            quorum: (l1 >> 32) as u8,
            members: (l1 >> 40) as u8,
            fast_lane_start: (l1 >> 48) as u8,
            consensus_variant: (flags & 0xF) as u8,
            processing: flags & PROCESSING != 0,
            consensus_version: (l2 >> 56) as u8,
            votes: Votes([l3, l2 & HIGH_VOTES]),
        }
    }

    /// The packed word. The consensus variant keeps its low 4 bits; vote bits beyond the 30
    /// nibbles are dropped.
    pub fn pack(&self) -> U256 {
        let flags =
            u64::from(self.consensus_variant & 0xF) | if self.processing { PROCESSING } else { 0 };
        U256::from_limbs([
            u64::from(self.ref_slot) | (u64::from(self.deadline) << 32),
            u64::from(self.fast_lane_end)
                | (u64::from(self.quorum) << 32)
                | (u64::from(self.members) << 40)
                | (u64::from(self.fast_lane_start) << 48)
                | (flags << 56),
            (self.votes.0[1] & HIGH_VOTES) | (u64::from(self.consensus_version) << 56),
            self.votes.0[0],
        ])
    }
}

/// Config flags bit: `initialize` ran.
const INITIALIZED: u64 = 1;

/// The config word: the chain clock, the frame config, the committee settings (the round
/// word holds copies of quorum, members and version; every admin change writes both) and
/// the initialized flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Config {
    /// Unix time of slot 0.
    pub genesis_time: u64,
    /// Epoch at which frame 0 starts.
    pub initial_epoch: u64,
    /// Frame length in epochs.
    pub epochs_per_frame: u32,
    /// Fast-lane length in slots.
    pub fast_lane_slots: u32,
    /// Seconds per slot.
    pub seconds_per_slot: u16,
    /// Slots per epoch.
    pub slots_per_epoch: u16,
    /// Votes a report needs.
    pub quorum: u8,
    /// Committee size.
    pub members: u8,
    /// Consensus version votes must carry.
    pub consensus_version: u8,
    /// `initialize` ran.
    pub initialized: bool,
}

impl Config {
    /// Reads the packed word.
    pub fn unpack(word: U256) -> Self {
        let [l0, l1, l2, l3] = word.into_limbs();
        Self {
            genesis_time: l0,
            initial_epoch: l1,
            epochs_per_frame: l2 as u32,
            fast_lane_slots: (l2 >> 32) as u32,
            seconds_per_slot: l3 as u16,
            slots_per_epoch: (l3 >> 16) as u16,
            quorum: (l3 >> 32) as u8,
            members: (l3 >> 40) as u8,
            consensus_version: (l3 >> 48) as u8,
            initialized: (l3 >> 56) & INITIALIZED != 0,
        }
    }

    /// The packed word.
    pub fn pack(&self) -> U256 {
        U256::from_limbs([
            self.genesis_time,
            self.initial_epoch,
            u64::from(self.epochs_per_frame) | (u64::from(self.fast_lane_slots) << 32),
            u64::from(self.seconds_per_slot)
                | (u64::from(self.slots_per_epoch) << 16)
                | (u64::from(self.quorum) << 32)
                | (u64::from(self.members) << 40)
                | (u64::from(self.consensus_version) << 48)
                | (if self.initialized { INITIALIZED } else { 0 } << 56),
        ])
    }

    /// The chain clock and frame config, `None` while a period is zero (never after
    /// `initialize`, which validates them).
    pub fn clock(&self) -> Option<(ChainConfig, FrameConfig)> {
        Some((
            ChainConfig {
                genesis_time: self.genesis_time,
                seconds_per_slot: NonZeroU16::new(self.seconds_per_slot)?,
                slots_per_epoch: NonZeroU16::new(self.slots_per_epoch)?,
            },
            FrameConfig {
                initial_epoch: self.initial_epoch,
                epochs_per_frame: NonZeroU32::new(self.epochs_per_frame)?,
                fast_lane_slots: self.fast_lane_slots,
            },
        ))
    }

    /// Stores a validated chain clock and frame config.
    pub fn set_clock(&mut self, chain: &ChainConfig, frame: &FrameConfig) {
        self.genesis_time = chain.genesis_time;
        self.seconds_per_slot = chain.seconds_per_slot.get();
        self.slots_per_epoch = chain.slots_per_epoch.get();
        self.initial_epoch = frame.initial_epoch;
        self.epochs_per_frame = frame.epochs_per_frame.get();
        self.fast_lane_slots = frame.fast_lane_slots;
    }

    /// Copies the round's committee settings (quorum, members, version).
    pub fn copy_committee(&mut self, round: &Round) {
        self.quorum = round.quorum;
        self.members = round.members;
        self.consensus_version = round.consensus_version;
    }
}

/// Slot 2, the processing word: the pool that applies reports (bits 0..160) and the reference
/// slot whose data was last processed (bits 160..192; the time elapsed between reports is
/// measured from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Processing {
    /// The staking pool (`handleOracleReport`); zero until `setProtocolContracts`.
    pub pool: alloy_primitives::Address,
    /// Reference slot of the last report processed (at `initialize`: one frame before frame 0).
    pub last_ref_slot: u32,
}

impl Processing {
    /// Reads the packed word.
    pub fn unpack(word: U256) -> Self {
        let bytes = word.to_be_bytes::<32>();
        let last = u32::from_be_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]);
        Self { pool: alloy_primitives::Address::from_slice(&bytes[12..]), last_ref_slot: last }
    }

    /// The packed word.
    pub fn pack(&self) -> U256 {
        let mut bytes = [0u8; 32];
        bytes[8..12].copy_from_slice(&self.last_ref_slot.to_be_bytes());
        bytes[12..].copy_from_slice(self.pool.as_slice());
        U256::from_be_bytes(bytes)
    }
}

/// Slot 10, the L1 state word: what the last processed report said of the L1 vault and what
/// the pool had received from it then ([`crate::processing`], "The L1 vault's figures").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct L1State {
    /// The last processed report's `bridgedToL2` (wei, the vault's cumulative counter).
    pub bridged_to_l2: u128,
    /// The pool's `receivedFromL1Vault` (wei) read when that report was processed.
    pub received: u128,
}

impl L1State {
    /// Reads the packed word.
    pub fn unpack(word: U256) -> Self {
        let (bridged_to_l2, received) = staking_math::unpack_u128_pair(word);
        Self { bridged_to_l2, received }
    }

    /// The packed word.
    pub fn pack(&self) -> U256 {
        staking_math::pack_u128_pair(self.bridged_to_l2, self.received)
    }
}

/// Default most exit requests per report (Lido's `maxValidatorExitRequestsPerReport`).
pub const DEFAULT_EXITS_PER_REPORT: u16 = 600;
/// Default size of the per-day exit request bucket (Lido's: one request per 48 s).
pub const DEFAULT_EXITS_PER_DAY: u32 = 1_800;

/// Slot 11, the exit requests word (bits in the module doc): the last agreed exit list, the
/// most requests its report's state allows (the shortfall bound, computed when the report is
/// processed) and the limits with the per-day bucket (`crate::exits`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExitRequests {
    /// Reference slot of the last report that agreed an exit list.
    pub ref_slot: u32,
    /// Requests in it.
    pub count: u16,
    /// Most requests per report (0: [`DEFAULT_EXITS_PER_REPORT`]).
    pub max_per_report: u16,
    /// The most requests the shortfall allowed when the report was processed.
    pub allowed: u32,
    /// The bucket's size and daily refill (0: [`DEFAULT_EXITS_PER_DAY`]).
    pub per_day: u32,
    /// The bucket's level at `level_at` (0 with `level_at` 0: full).
    pub level: u32,
    /// When the level was last written (unix s; 0: never, the bucket is full).
    pub level_at: u64,
    /// The list was delivered.
    pub delivered: bool,
}

impl ExitRequests {
    /// Reads the packed word.
    pub fn unpack(word: U256) -> Self {
        let [l0, l1, l2, l3] = word.into_limbs();
        Self {
            ref_slot: l0 as u32,
            count: (l0 >> 32) as u16,
            max_per_report: (l0 >> 48) as u16,
            allowed: l1 as u32,
            per_day: l2 as u32,
            level: (l2 >> 32) as u32,
            level_at: l3 & ((1 << 40) - 1),
            delivered: (l3 >> 40) & 1 != 0,
        }
    }

    /// The packed word (a time above 40 bits is cut to 40).
    pub fn pack(&self) -> U256 {
        U256::from_limbs([
            u64::from(self.ref_slot)
                | (u64::from(self.count) << 32)
                | (u64::from(self.max_per_report) << 48),
            u64::from(self.allowed),
            u64::from(self.per_day) | (u64::from(self.level) << 32),
            (self.level_at & ((1 << 40) - 1)) | (u64::from(self.delivered) << 40),
        ])
    }

    /// Most requests per report in force.
    pub fn max_per_report(&self) -> u16 {
        if self.max_per_report == 0 {
            DEFAULT_EXITS_PER_REPORT
        } else {
            self.max_per_report
        }
    }

    /// The bucket's size in force.
    pub fn per_day(&self) -> u32 {
        if self.per_day == 0 {
            DEFAULT_EXITS_PER_DAY
        } else {
            self.per_day
        }
    }

    /// The bucket's level at `now`: refilled by `per_day` per 86,400 s, rounded down, up to
    /// `per_day`.
    pub fn level_now(&self, now: u64) -> u32 {
        self.refilled(now).0
    }

    /// `(level, level_at)` at `now`: the whole units refilled since `level_at`, and the time
    /// they took (so the fraction of a unit left over keeps counting), or `now` once full.
    fn refilled(&self, now: u64) -> (u32, u64) {
        let size = self.per_day();
        if self.level_at == 0 {
            return (size, now);
        }
        let elapsed = u128::from(now.saturating_sub(self.level_at));
        let units = u128::from(size) * elapsed / 86_400;
        let level = u128::from(self.level) + units;
        if level >= u128::from(size) {
            return (size, now);
        }
        // The time `units` whole units took, rounded up (never past `now`).
        let used = (units * 86_400).div_ceil(u128::from(size));
        (level as u32, self.level_at + u64::try_from(used).unwrap_or(0))
    }

    /// Takes `count` units at `now` (the caller checked `count <= level_now(now)`).
    pub fn take(&mut self, now: u64, count: u32) {
        let (level, at) = self.refilled(now);
        self.level = level.saturating_sub(count);
        self.level_at = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exit_requests_word_round_trips_and_its_bucket_refills_linearly() {
        let full = ExitRequests {
            ref_slot: u32::MAX,
            count: u16::MAX,
            max_per_report: u16::MAX - 1,
            allowed: u32::MAX,
            per_day: u32::MAX,
            level: u32::MAX - 1,
            level_at: (1 << 40) - 1,
            delivered: true,
        };
        assert_eq!(ExitRequests::unpack(full.pack()), full);
        assert_eq!(ExitRequests::unpack(U256::ZERO), ExitRequests::default());
        let fresh = ExitRequests::default();
        assert_eq!((fresh.max_per_report(), fresh.per_day()), (600, 1_800));
        assert_eq!(fresh.level_now(1_000), 1_800, "never used: full");
        let used = ExitRequests { per_day: 86_400, level: 10, level_at: 1_000, ..fresh };
        assert_eq!(used.level_now(1_000), 10);
        assert_eq!(used.level_now(1_001), 11, "one a second");
        assert_eq!(used.level_now(1_000 + 86_400), 86_400, "capped at a day's worth");
        let slow = ExitRequests { per_day: 1_800, level: 0, level_at: 1, ..fresh };
        assert_eq!(slow.level_now(48), 0, "47 s: not one request yet");
        assert_eq!(slow.level_now(49), 1, "48 s: one");
        // Taking keeps the fraction of a unit: 95 s after the last write one unit (48 s) is
        // taken and the other 47 s carry over.
        let mut b = ExitRequests { per_day: 1_800, level: 0, level_at: 1, ..fresh };
        b.take(49 + 47, 1);
        assert_eq!((b.level, b.level_at), (0, 49));
        assert_eq!(b.level_now(49 + 48), 1, "the carried 47 s count: one more second makes a unit");
        // Full buckets restart their clock at now.
        let mut f = ExitRequests { per_day: 10, level: 10, level_at: 5, ..fresh };
        f.take(100, 3);
        assert_eq!((f.level, f.level_at), (7, 100));
    }

    #[test]
    fn the_l1_state_round_trips_and_keeps_its_fields_apart() {
        let full = L1State { bridged_to_l2: u128::MAX, received: u128::MAX - 1 };
        assert_eq!(L1State::unpack(full.pack()), full);
        assert_eq!(L1State { bridged_to_l2: 1, received: 0 }.pack(), U256::from(1));
        assert_eq!(L1State { bridged_to_l2: 0, received: 1 }.pack(), U256::from(1) << 128);
        assert_eq!(L1State::unpack(U256::ZERO), L1State::default());
    }

    #[test]
    fn processing_round_trips_and_keeps_its_fields_apart() {
        let p = Processing {
            pool: alloy_primitives::Address::repeat_byte(0xAB),
            last_ref_slot: u32::MAX - 7,
        };
        assert_eq!(Processing::unpack(p.pack()), p);
        let word = p.pack();
        assert_eq!(word >> 192, U256::ZERO, "bits above 192 are spare");
        assert_eq!(Processing::unpack(Processing { last_ref_slot: 0, ..p }.pack()).pool, p.pool);
        assert_eq!(Processing::unpack(U256::ZERO), Processing::default());
    }

    #[test]
    fn round_trips_at_the_field_extremes() {
        let mut all = Votes::default();
        for i in 0..MAX_MEMBERS {
            all.set(i, MAX_VARIANTS);
        }
        let max = Round {
            ref_slot: u32::MAX,
            deadline: u32::MAX,
            fast_lane_end: u32::MAX,
            quorum: UNREACHABLE_QUORUM,
            members: u8::MAX,
            fast_lane_start: u8::MAX,
            consensus_variant: MAX_VARIANTS,
            processing: true,
            consensus_version: u8::MAX,
            votes: all,
        };
        assert_eq!(Round::unpack(max.pack()), max);
        assert_eq!(max.votes.0, [u64::MAX, HIGH_VOTES], "30 nibbles, 120 bits");
        assert_eq!(Round::unpack(U256::ZERO), Round::default());
        assert_eq!(Round::default().pack(), U256::ZERO);

        // One field at a time at its maximum, the rest zero: nothing leaks into a neighbour.
        let one = |f: &dyn Fn(&mut Round)| {
            let mut r = Round::default();
            f(&mut r);
            assert_eq!(Round::unpack(r.pack()), r);
            r
        };
        one(&|r| r.ref_slot = u32::MAX);
        one(&|r| r.deadline = u32::MAX);
        one(&|r| r.fast_lane_end = u32::MAX);
        one(&|r| r.quorum = u8::MAX);
        one(&|r| r.members = u8::MAX);
        one(&|r| r.fast_lane_start = u8::MAX);
        one(&|r| r.consensus_variant = 15);
        one(&|r| r.processing = true);
        one(&|r| r.consensus_version = u8::MAX);
        one(&|r| r.votes.set(0, 15));
        one(&|r| r.votes.set(15, 15));
        one(&|r| r.votes.set(16, 15));
        let last = one(&|r| r.votes.set(29, 15));
        assert_eq!(
            last.pack(),
            U256::from(0xFu64) << (128 + 52),
            "member 29: top nibble of limb2's votes"
        );
    }

    #[test]
    fn fields_sit_where_the_layout_says() {
        let r = Round {
            ref_slot: 1,
            deadline: 2,
            fast_lane_end: 3,
            quorum: 4,
            members: 5,
            fast_lane_start: 6,
            consensus_variant: 7,
            processing: true,
            consensus_version: 9,
            votes: Votes([0xA, 0xB]),
        };
        let [l0, l1, l2, l3] = r.pack().into_limbs();
        assert_eq!(l0, 1 | (2 << 32));
        assert_eq!(l1, 3 | (4 << 32) | (5 << 40) | (6 << 48) | ((7 | 0x10) << 56));
        assert_eq!(l2, 0xB | (9 << 56));
        assert_eq!(l3, 0xA);
    }

    #[test]
    fn the_processing_bit_is_apart_from_the_variant_and_spare_bits_are_dropped() {
        let w = U256::from_limbs([0, 0xE0u64 << 56, 0, 0]);
        let r = Round::unpack(w);
        assert!(!r.processing);
        assert_eq!(r.consensus_variant, 0);
        assert_eq!(r.pack(), U256::ZERO);
        let r = Round::unpack(U256::from_limbs([0, 0x1Fu64 << 56, 0, 0]));
        assert!(r.processing);
        assert_eq!(r.consensus_variant, 15);
    }

    #[test]
    fn votes_are_nibbles_counted_per_variant() {
        let mut v = Votes::default();
        assert!(v.is_empty());
        v.set(0, 1);
        v.set(15, 1);
        v.set(16, 2);
        v.set(29, 15);
        v.set(30, 3); // out of range: ignored
        assert_eq!(v.get(30), 0);
        assert_eq!((v.get(0), v.get(15), v.get(16), v.get(29)), (1, 1, 2, 15));
        let t = v.tally();
        assert_eq!((t[0], t[1], t[2], t[3], t[15]), (26, 2, 1, 0, 1));
        assert_eq!(t.iter().map(|&c| u32::from(c)).sum::<u32>(), 30);
        v.set(15, 0);
        assert_eq!(v.support(1), 1);
        v.set(16, 0x12); // only the low nibble is kept
        assert_eq!(v.get(16), 2);
        assert_eq!(v.get(17), 0);
    }

    #[test]
    fn config_round_trips_and_fields_sit_where_the_layout_says() {
        let c = Config {
            genesis_time: u64::MAX,
            initial_epoch: u64::MAX - 1,
            epochs_per_frame: u32::MAX,
            fast_lane_slots: u32::MAX - 1,
            seconds_per_slot: u16::MAX,
            slots_per_epoch: u16::MAX - 1,
            quorum: 255,
            members: 30,
            consensus_version: 254,
            initialized: true,
        };
        assert_eq!(Config::unpack(c.pack()), c);
        assert_eq!(Config::unpack(U256::ZERO), Config::default());
        assert_eq!(Config::default().clock(), None, "an uninitialized config has no clock");
        let small = Config {
            genesis_time: 1,
            initial_epoch: 2,
            epochs_per_frame: 3,
            fast_lane_slots: 4,
            seconds_per_slot: 5,
            slots_per_epoch: 6,
            quorum: 7,
            members: 8,
            consensus_version: 9,
            initialized: true,
        };
        let [l0, l1, l2, l3] = small.pack().into_limbs();
        assert_eq!((l0, l1, l2), (1, 2, 3 | (4 << 32)));
        assert_eq!(l3, 5 | (6 << 16) | (7 << 32) | (8 << 40) | (9 << 48) | (1 << 56));
        let (chain, frame) = small.clock().unwrap();
        let mut back = Config {
            quorum: 7,
            members: 8,
            consensus_version: 9,
            initialized: true,
            ..Config::default()
        };
        back.set_clock(&chain, &frame);
        assert_eq!(back, small);
    }
}
