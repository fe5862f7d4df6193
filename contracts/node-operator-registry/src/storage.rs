//! The registry's packed words. Each is read and written whole (one `SLOAD` / `SSTORE`); the
//! fields sit inside 64-bit limbs, so packing is shifts and casts.
//!
//! Bits count from the word's least significant (bit 0: limb0 is bits [0,64)), ranges
//! half-open; the table is checked against `pack` / `unpack` by `tests::layout`:
//!
//! ```text
//! word global    nonce u64 [0,64) | total_active u64 [64,128) | operators u16 [128,144)
//!                | head u16 [144,160) | reward_epoch u32 [160,192) | guardians u8 [192,200)
//!                | flags u8 [208,216) | resumed_at u40 [216,256)
//! word operator  deposited u32 [0,32) | exited u32 [32,64) | vetted u32 [64,96)
//!                | submitted u32 [96,128) | target u32 [128,160) | next u16 [160,176)
//!                | prev u16 [176,192) | batches u16 [192,208) | reward_epoch u32 [208,240)
//!                | flags u8 [240,248)
//! word rewards   acc_per_validator u128 [0,128) | undistributed u128 [128,256)
//! word earned    accrued u128 [0,128) | snapshot u128 [128,256)
//! word exits     cursor u32 [0,32) | target u32 [32,64) | due u32 [64,96)
//!                | requested u32 [96,128) | due_at u32 [128,160) | next_at u32 [160,192)
//!                | forced u32 [192,224) | due_cursor u32 [224,256)
//! word exit_config  late_active u64 [0,64) | pending u64 [64,128)
//!                | exit_deadline u32 [128,160) | force_deadline u32 [160,192)
//! ```
//!
//! Bits [200,208) are unused (written zero): the guardian quorum is the L1 vault's.
//! `acc_per_validator` wraps; `earned`'s snapshot is the `acc_per_validator` it last settled at.
//!
//! Everything a deposit needs about an operator is in its one word: the counters, the limits,
//! its place in the allocation list and whether its rewards are settled. Widths: u16 operator
//! ids (65,535 operators), u32 key counts (4.29 billion keys per operator), u64 nonce and
//! validator total. Every narrowing is checked (`MathOverflow`), but `resumed_at`'s: an L2
//! block number, saturated at 2^40 - 1 (some 8,700 years of 4 blocks a second).

#![allow(
    clippy::cast_possible_truncation,
    reason = "each field is read from a limb range exactly as wide as its type"
)]

use alloy_primitives::U256;

/// Flag (global): `initialize` has run.
pub const FLAG_INITIALIZED: u8 = 1;
/// Flag (global): a guardian paused deposits.
pub const FLAG_DEPOSITS_PAUSED: u8 = 1 << 1;

/// Flag (operator): it exists (ids are 1-based; an empty word is no operator).
pub const OP_EXISTS: u8 = 1;
/// Flag (operator): active (may receive deposits).
pub const OP_ACTIVE: u8 = 1 << 1;
/// Flag (operator): linked in the allocation list.
pub const OP_IN_LIST: u8 = 1 << 2;
/// Flag (operator): marked late on its exit requests ([`crate::exits`]): it earns no rewards
/// and gets no deposits until it catches up.
pub const OP_LATE: u8 = 1 << 3;

/// Largest `Global::resumed_at` (40 bits).
pub const RESUMED_AT_MAX: u64 = (1 << 40) - 1;

/// Target limit meaning "none".
pub const NO_TARGET: u32 = u32::MAX;

/// The registry-wide word (slot 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Global {
    /// Bumped on every key change (commit, removal, vetting, deposit): the depositor bot and
    /// the guardians watch it (`NonceChanged`) to know the keys moved.
    pub nonce: u64,
    /// Sum over operators of deposited - exited.
    pub total_active: u64,
    /// Operators added (ids `1..=operators`).
    pub operators: u16,
    /// First operator of the allocation list (0: empty).
    pub head: u16,
    /// Bumped on every reward distribution.
    pub reward_epoch: u32,
    /// Guardians registered.
    pub guardians: u8,
    /// `FLAG_*` bits.
    pub flags: u8,
    /// The L2 block at which deposits were last resumed (0: never): a signed pause must name a
    /// later block, so each pause signature pauses at most once ([`crate::guardians`]).
    pub resumed_at: u64,
}

impl Global {
    /// Reads the packed word.
    pub fn unpack(word: U256) -> Self {
        let [l0, l1, l2, l3] = word.into_limbs();
        Self {
            nonce: l0,
            total_active: l1,
            operators: l2 as u16,
            head: (l2 >> 16) as u16,
            reward_epoch: (l2 >> 32) as u32,
            guardians: l3 as u8,
            flags: (l3 >> 16) as u8,
            resumed_at: l3 >> 24,
        }
    }

    /// The packed word.
    pub fn pack(&self) -> U256 {
        U256::from_limbs([
            self.nonce,
            self.total_active,
            u64::from(self.operators)
                | (u64::from(self.head) << 16)
                | (u64::from(self.reward_epoch) << 32),
            u64::from(self.guardians)
                | (u64::from(self.flags) << 16)
                | ((self.resumed_at & RESUMED_AT_MAX) << 24),
        ])
    }

    /// Whether every bit of `flag` is set.
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag == flag
    }
}

/// One operator's word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Operator {
    /// Keys deposited (the next key to use has this index).
    pub deposited: u32,
    /// Validators exited (written by the report processor).
    pub exited: u32,
    /// Keys that may be used: indices `< vetted` (never above `submitted`).
    pub vetted: u32,
    /// Keys committed: indices `< submitted`.
    pub submitted: u32,
    /// Most active validators it may have ([`NO_TARGET`]: no limit).
    pub target: u32,
    /// Next operator in the allocation list (0: last).
    pub next: u16,
    /// Previous operator in the allocation list (0: first).
    pub prev: u16,
    /// Valid key batches (`0..batches`).
    pub batches: u16,
    /// The global reward epoch its rewards were last settled at.
    pub reward_epoch: u32,
    /// `OP_*` bits.
    pub flags: u8,
}

impl Operator {
    /// Reads the packed word.
    pub fn unpack(word: U256) -> Self {
        let [l0, l1, l2, l3] = word.into_limbs();
        Self {
            deposited: l0 as u32,
            exited: (l0 >> 32) as u32,
            vetted: l1 as u32,
            submitted: (l1 >> 32) as u32,
            target: l2 as u32,
            next: (l2 >> 32) as u16,
            prev: (l2 >> 48) as u16,
            batches: l3 as u16,
            reward_epoch: (l3 >> 16) as u32,
            flags: (l3 >> 48) as u8,
        }
    }

    /// The packed word.
    pub fn pack(&self) -> U256 {
        U256::from_limbs([
            u64::from(self.deposited) | (u64::from(self.exited) << 32),
            u64::from(self.vetted) | (u64::from(self.submitted) << 32),
            u64::from(self.target) | (u64::from(self.next) << 32) | (u64::from(self.prev) << 48),
            u64::from(self.batches)
                | (u64::from(self.reward_epoch) << 16)
                | (u64::from(self.flags) << 48),
        ])
    }

    /// Whether every bit of `flag` is set.
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag == flag
    }

    /// Sets or clears `flag`.
    pub fn set(&mut self, flag: u8, on: bool) {
        if on {
            self.flags |= flag;
        } else {
            self.flags &= !flag;
        }
    }

    /// Validators deposited and not exited.
    pub fn active(&self) -> u32 {
        self.deposited - self.exited
    }

    /// Whether the next deposit may go to it: active, not late on exits, a vetted key left,
    /// under its target.
    pub fn eligible(&self) -> bool {
        self.flags & (OP_ACTIVE | OP_LATE) == OP_ACTIVE
            && self.deposited < self.vetted
            && self.active() < self.target
    }

    /// Its place in the allocation order: fewest active validators first, then lowest id.
    pub fn sort_key(&self, id: u16) -> (u32, u16) {
        (self.active(), id)
    }
}

/// One operator's exit requests ([`crate::exits`]): slot 13's word.
///
/// Requests are counted against the operator's exited count: `target` is the exited count that
/// settles every request so far, `due` the one that settles the oldest open stage, requested
/// at `due_at`, its keys below `due_cursor`; requests after it form the newest stage, last
/// requested at `next_at`. Times are unix seconds (u32: to 2106, as the queue's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OperatorExits {
    /// The next key index a request may name (keys below were requested or skipped).
    pub cursor: u32,
    /// The exited count that settles every request.
    pub target: u32,
    /// The exited count that settles the oldest open stage.
    pub due: u32,
    /// Validators ever requested to exit.
    pub requested: u32,
    /// When the oldest open stage was requested (unix s).
    pub due_at: u32,
    /// When the newest stage was last requested (unix s).
    pub next_at: u32,
    /// The next key index a permissionless forced exit may name (keys below were forced).
    pub forced: u32,
    /// The request cursor when the oldest open stage's last request was made: the keys a
    /// permissionless forced exit may reach are below it.
    pub due_cursor: u32,
}

impl OperatorExits {
    /// Reads the packed word.
    pub fn unpack(word: U256) -> Self {
        let [l0, l1, l2, l3] = word.into_limbs();
        Self {
            cursor: l0 as u32,
            target: (l0 >> 32) as u32,
            due: l1 as u32,
            requested: (l1 >> 32) as u32,
            due_at: l2 as u32,
            next_at: (l2 >> 32) as u32,
            forced: l3 as u32,
            due_cursor: (l3 >> 32) as u32,
        }
    }

    /// The packed word.
    pub fn pack(&self) -> U256 {
        U256::from_limbs([
            u64::from(self.cursor) | (u64::from(self.target) << 32),
            u64::from(self.due) | (u64::from(self.requested) << 32),
            u64::from(self.due_at) | (u64::from(self.next_at) << 32),
            u64::from(self.forced) | (u64::from(self.due_cursor) << 32),
        ])
    }
}

/// The registry-wide exit word (slot 14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExitConfig {
    /// Active validators of operators marked late ([`OP_LATE`]): left out of reward shares.
    pub late_active: u64,
    /// Validators requested to exit and not yet exited, summed over operators.
    pub pending: u64,
    /// Seconds after a request before its operator is late (0: the default).
    pub exit_deadline: u32,
    /// Seconds after a request before its validators may be forced out (0: the default).
    pub force_deadline: u32,
}

impl ExitConfig {
    /// Reads the packed word.
    pub fn unpack(word: U256) -> Self {
        let [l0, l1, l2, _] = word.into_limbs();
        Self {
            late_active: l0,
            pending: l1,
            exit_deadline: l2 as u32,
            force_deadline: (l2 >> 32) as u32,
        }
    }

    /// The packed word.
    pub fn pack(&self) -> U256 {
        U256::from_limbs([
            self.late_active,
            self.pending,
            u64::from(self.exit_deadline) | (u64::from(self.force_deadline) << 32),
            0,
        ])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_words_round_trip_at_the_field_extremes() {
        let w = OperatorExits {
            cursor: u32::MAX,
            target: u32::MAX - 1,
            due: u32::MAX - 2,
            requested: u32::MAX - 3,
            due_at: u32::MAX - 4,
            next_at: u32::MAX - 5,
            forced: u32::MAX - 6,
            due_cursor: u32::MAX - 7,
        };
        assert_eq!(OperatorExits::unpack(w.pack()), w);
        for f in 0..8 {
            let mut one = OperatorExits::default();
            match f {
                0 => one.cursor = u32::MAX,
                1 => one.target = u32::MAX,
                2 => one.due = u32::MAX,
                3 => one.requested = u32::MAX,
                4 => one.due_at = u32::MAX,
                5 => one.next_at = u32::MAX,
                6 => one.forced = u32::MAX,
                _ => one.due_cursor = u32::MAX,
            }
            assert_eq!(OperatorExits::unpack(one.pack()), one, "field {f}");
            assert_eq!(one.pack().count_ones(), 32, "field {f}");
        }
        let c = ExitConfig {
            late_active: u64::MAX,
            pending: u64::MAX - 1,
            exit_deadline: u32::MAX,
            force_deadline: u32::MAX - 1,
        };
        assert_eq!(ExitConfig::unpack(c.pack()), c);
        assert_eq!(ExitConfig::unpack(U256::ZERO), ExitConfig::default());
    }

    #[test]
    fn words_round_trip_at_the_field_extremes() {
        let g = Global {
            nonce: u64::MAX,
            total_active: u64::MAX - 1,
            operators: u16::MAX,
            head: 7,
            reward_epoch: u32::MAX,
            guardians: 255,
            flags: FLAG_INITIALIZED | FLAG_DEPOSITS_PAUSED,
            resumed_at: RESUMED_AT_MAX,
        };
        assert_eq!(Global::unpack(g.pack()), g);
        let op = Operator {
            deposited: u32::MAX,
            exited: 1,
            vetted: u32::MAX - 2,
            submitted: u32::MAX,
            target: NO_TARGET,
            next: u16::MAX,
            prev: 1,
            batches: u16::MAX - 1,
            reward_epoch: u32::MAX,
            flags: OP_EXISTS | OP_ACTIVE | OP_IN_LIST,
        };
        assert_eq!(Operator::unpack(op.pack()), op);
        assert_eq!(Operator::unpack(U256::ZERO), Operator::default());
    }

    #[test]
    fn eligibility_needs_active_a_vetted_key_and_room_under_the_target() {
        let mut op = Operator {
            vetted: 2,
            submitted: 2,
            target: NO_TARGET,
            flags: OP_EXISTS,
            ..Default::default()
        };
        assert!(!op.eligible(), "inactive");
        op.set(OP_ACTIVE, true);
        assert!(op.eligible());
        op.target = 0;
        assert!(!op.eligible(), "at its target");
        op.target = 1;
        assert!(op.eligible());
        op.deposited = 1;
        assert!(!op.eligible(), "one active validator reaches the target of 1");
        op.exited = 1;
        assert!(op.eligible(), "an exit frees room under the target");
        op.deposited = 2;
        assert!(!op.eligible(), "no vetted key left");
    }
}
