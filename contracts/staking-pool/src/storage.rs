//! The pool's packed words: how the two hot slots are laid out and read.
//!
//! Bits count from the word's least significant (bit 0), ranges half-open; the table is
//! checked against `pack` / `unpack` by `tests::layout`:
//!
//! ```text
//! word totals         total_shares u128 [0,128) | buffered_ether u128 [128,256)
//! word beacon         cl_balance u128 [0,128) | deposited_validators u64 [128,192)
//!                     | cl_validators u32 [192,224) | flags u32 [224,256)
//! word stake_limit    prev_limit u96 [0,96) | prev_block u32 [96,128)
//!                     | growth_blocks u32 [128,160) | max_limit u96 [160,256)
//! word report_config  oracle address [0,160) | total_fee_bp u16 [160,176)
//!                     | operators_fee_bp u16 [176,192) | loss_head u8 [192,200)
//!                     | loss_len u8 [200,208)
//! word loss_pair      even_timestamp u32 [0,32) | even_loss u96 [32,128)
//!                     | odd_timestamp u32 [128,160) | odd_loss u96 [160,256)
//! word l1_vault       vault address [0,160) | received u96 [160,256)
//! word wrapped        token address [0,160) | report_round u32 [160,192)
//!                     | report_timestamp u64 [192,256)
//! ```
//!
//! `stake_limit` is `staking_math::StakeLimit::pack`, `report_config` is [`ReportConfig`]
//! (bits [208,256) spare); the CL-loss window keeps entry `i` ([`LossEntry`]) in slot
//! `11 + i / 2`, the even entry in the low half.
//!
//! Slots 3..8 and 10 are plain addresses (see the crate doc); slots 9 and 11..18 are written
//! only by the extension program (`setOracle`, `setFeeConfig`, `handleOracleReport`).
//! Slot 19 is [`L1Vault`]: the protocol's L1 vault and the ether received from it
//! ([`crate::l1_ether`]). The counter is u96 (79 billion ether, over 600 times all the ether in
//! existence, cumulated) so that it shares the vault's word: a receipt reads and writes one
//! slot. A plain-transfer deposit does not read it: the tag in slot 1 tells it from the vault.
//! Slot 20 is [`Wrapped`]: the wrapped token (the only caller of `wrapFrom`, which reads the
//! word once) beside the count of applied reports and the last one's reference time, which the
//! extension's report processing updates and the wrapped token's rate feed reads
//! (`getLastReport`): one word, so the feed's answer costs one cold read ([`crate::wrapping`]).
//!
//! The fields sit on 64-bit limb boundaries, so packing is a few shifts (no generic bit-field
//! code in the wasm). 2^32 validators is over a thousand times the validators all ether in
//! existence could fund.
//!
//! Every hot path (deposit, transfer, views) needs the share rate, which needs slots 0 and 1:
//! two cold reads. The flags (initialized, token paused, staking paused, and the queue's bunker
//! mode as the last report set it; bits 0..4 of `flags`) ride in slot 1 so checking them costs
//! nothing more; so does the L1 vault's tag (bits 8..32 of `flags`: [`ALIAS_TAG_SHIFT`]), which
//! spares a plain-transfer deposit the read of slot 19. A deposit writes slot 0 (and slot 2 when a stake limit is
//! set) and the depositor's share slot; a transfer writes only the two holders' share slots.
//!
//! Total pooled ether = buffered + deposited-not-yet-seen + consensus-layer balance, where
//! deposited-not-yet-seen = (deposited_validators - cl_validators) x 32 ether (Lido's
//! "transient balance"): validators the pool funded that no report has counted yet. With the
//! L1 leg, `cl_balance` is the whole L1 figure: CL balance + the L1 vault's free balance +
//! ether in flight to L2 ([`crate::l1_ether`], "How it is accounted").

use alloy_primitives::{Address, U256};
use staking_math::{add, ether_for_shares, pack_u128_pair, unpack_u128_pair, MathError, Rounding};

pub use staking_common::deposit_data::DEPOSIT_SIZE;

/// Flag: `initialize` has run.
pub const FLAG_INITIALIZED: u32 = 1;
/// Flag: the token is paused (no deposits, no transfers).
pub const FLAG_TOKEN_PAUSED: u32 = 1 << 1;
/// Flag: staking (deposits) is paused.
pub const FLAG_STAKING_PAUSED: u32 = 1 << 2;
/// Flag: the withdrawal queue is in bunker mode, as the last report set it (a cached copy of
/// the queue's flag, so a report calls `setBunkerMode` only when it changes).
pub const FLAG_BUNKER: u32 = 1 << 3;
/// The L1 vault's tag: bits 8..32 of the flags word hold the low 24 bits of `alias(vault)`
/// (0 before `setL1Vault`), so that `receive` tells almost every depositor from the vault
/// with slot 1, which a deposit reads anyway, and reads slot 19 only when the tag matches.
pub const ALIAS_TAG_SHIFT: u32 = 8;

/// The tag of an L2 sender: its low 24 bits (see [`ALIAS_TAG_SHIFT`]).
pub fn alias_tag(sender: Address) -> u32 {
    let a = sender.0 .0;
    u32::from_be_bytes([0, a[17], a[18], a[19]])
}

/// Entries of the CL-loss window ([`LossEntry`], two per slot in slots 11..18).
pub const LOSS_ENTRIES: u8 = 16;

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
    /// The L1 figure: consensus-layer balance of the pool's validators + the L1 vault's free
    /// balance + ether in flight to L2, as last reported, less the vault's ether received
    /// since ([`crate::l1_ether`]).
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

    /// The L1 vault's tag kept in the flags word ([`ALIAS_TAG_SHIFT`]).
    pub fn alias_tag(&self) -> u32 {
        self.flags >> ALIAS_TAG_SHIFT
    }

    /// Stores `tag` (24 bits) as the L1 vault's tag, the flags kept.
    pub fn set_alias_tag(&mut self, tag: u32) {
        self.flags = (self.flags & ((1 << ALIAS_TAG_SHIFT) - 1)) | (tag << ALIAS_TAG_SHIFT);
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

/// Slot 9: who may report and what the protocol takes, plus the CL-loss window's cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReportConfig {
    /// The accounting oracle, the only caller of `handleOracleReport` (zero: none yet).
    pub oracle: Address,
    /// Protocol fee on rewards, basis points (at most 10,000).
    pub total_fee_bp: u16,
    /// The node operators' part of `total_fee_bp` (at most `total_fee_bp`).
    pub operators_fee_bp: u16,
    /// Index of the next [`LossEntry`] to write (`< LOSS_ENTRIES`).
    pub loss_head: u8,
    /// How many [`LossEntry`]s were ever written, capped at [`LOSS_ENTRIES`].
    pub loss_len: u8,
}

impl ReportConfig {
    /// Reads the packed word (big-endian bytes: the address is the low 20).
    pub fn unpack(word: U256) -> Self {
        let b: [u8; 32] = word.to_be_bytes();
        Self {
            oracle: low_address(word),
            total_fee_bp: u16::from_be_bytes([b[10], b[11]]),
            operators_fee_bp: u16::from_be_bytes([b[8], b[9]]),
            loss_head: b[7],
            loss_len: b[6],
        }
    }

    /// The packed word.
    pub fn pack(&self) -> U256 {
        let mut b = [0u8; 32];
        [b[10], b[11]] = self.total_fee_bp.to_be_bytes();
        [b[8], b[9]] = self.operators_fee_bp.to_be_bytes();
        b[7] = self.loss_head;
        b[6] = self.loss_len;
        U256::from_be_bytes(b) | address_word(self.oracle)
    }
}

/// One CL loss recorded by a report: when (the report's timestamp) and how much (wei).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LossEntry {
    /// The report's reference timestamp (unix seconds; u32 lasts until 2106).
    pub timestamp: u32,
    /// The loss, wei (u96: 79 billion ether).
    pub loss: u128,
}

/// Largest loss an entry holds.
pub const LOSS_MAX: u128 = (1 << 96) - 1;

impl LossEntry {
    /// Entry `half` (0: low 128 bits, 1: high) of a loss-window slot.
    pub fn unpack(word: U256, half: usize) -> Self {
        let (low, high) = unpack_u128_pair(word);
        let e = if half == 0 { low } else { high };
        // Each cast keeps exactly its field.
        #[allow(clippy::cast_possible_truncation)]
        Self { timestamp: e as u32, loss: e >> 32 }
    }

    /// `word` with entry `half` replaced by this one (`loss` must fit 96 bits).
    pub fn pack_into(&self, word: U256, half: usize) -> U256 {
        let (low, high) = unpack_u128_pair(word);
        let e = u128::from(self.timestamp) | ((self.loss & LOSS_MAX) << 32);
        if half == 0 {
            pack_u128_pair(e, high)
        } else {
            pack_u128_pair(low, e)
        }
    }
}

/// Largest cumulative amount [`L1Vault::received`] holds (u96).
pub const L1_RECEIVED_MAX: u128 = (1 << 96) - 1;

/// Slot 19: the protocol's L1 vault and the ether the pool received from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct L1Vault {
    /// The vault's L1 address (zero: not set yet); its ether arrives from its alias.
    pub vault: Address,
    /// Cumulative wei received from the vault's alias (at most [`L1_RECEIVED_MAX`]).
    pub received: u128,
}

impl L1Vault {
    /// Reads the packed word: the address is its low 160 bits, the counter the 96 above.
    pub fn unpack(word: U256) -> Self {
        let [_, _, l2, l3] = word.into_limbs();
        Self { vault: low_address(word), received: u128::from(l2 >> 32) | (u128::from(l3) << 32) }
    }

    /// The packed word (`received` must fit 96 bits: checked where it grows).
    #[allow(clippy::cast_possible_truncation)] // Splitting into limbs truncates on purpose.
    pub fn pack(&self) -> U256 {
        let counter =
            U256::from_limbs([0, 0, (self.received as u64) << 32, (self.received >> 32) as u64]);
        address_word(self.vault) | counter
    }
}

/// Slot 20: the wrapped token and the last applied oracle report ([`crate::wrapping`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Wrapped {
    /// The wrapped token, the only caller of `wrapFrom` (zero: not set).
    pub token: Address,
    /// Oracle reports applied so far (wraps at 2^32: 490,000 years of hourly reports).
    pub report_round: u32,
    /// The last applied report's reference time (unix seconds; 0 before the first).
    pub report_timestamp: u64,
}

impl Wrapped {
    /// Reads the packed word: the address is its low 160 bits, the round the 32 above, the
    /// timestamp the top 64.
    #[allow(clippy::cast_possible_truncation)] // Each cast keeps exactly one 32-bit field.
    pub fn unpack(word: U256) -> Self {
        let [_, _, l2, l3] = word.into_limbs();
        Self { token: low_address(word), report_round: (l2 >> 32) as u32, report_timestamp: l3 }
    }

    /// The packed word.
    pub fn pack(&self) -> U256 {
        let fields =
            U256::from_limbs([0, 0, u64::from(self.report_round) << 32, self.report_timestamp]);
        address_word(self.token) | fields
    }

    /// `word` after one more applied report at `timestamp`: the round counted up (mod 2^32,
    /// the token untouched), the timestamp replaced. Limb arithmetic, no unpacking: this is the
    /// whole of what the extension program adds for it.
    pub fn next_report(word: U256, timestamp: u64) -> U256 {
        let [l0, l1, l2, _] = word.into_limbs();
        U256::from_limbs([l0, l1, l2.wrapping_add(1 << 32), timestamp])
    }
}

/// `a` as the low 160 bits of a word. Whole-array moves rather than alloy's `into_word` /
/// `from_slice` and slice copies, whose panic locations would sit in the data segment (gas on
/// every call into the program).
fn address_word(a: Address) -> U256 {
    let mut b = [0u8; 32];
    if let Ok(low) = <&mut [u8; 20]>::try_from(&mut b[12..]) {
        *low = a.0 .0;
    }
    U256::from_be_bytes(b)
}

/// The low 160 bits of `word` as an address (see [`address_word`]).
fn low_address(word: U256) -> Address {
    let b: [u8; 32] = word.to_be_bytes();
    Address::from(<[u8; 20]>::try_from(&b[12..]).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alias_tag_sits_above_the_flags_without_touching_them() {
        let mut b = Beacon { flags: FLAG_INITIALIZED | FLAG_BUNKER, ..Beacon::default() };
        b.set_alias_tag(0x00ff_ffff);
        assert_eq!(b.alias_tag(), 0x00ff_ffff);
        assert!(b.has(FLAG_INITIALIZED | FLAG_BUNKER));
        assert!(!b.has(FLAG_TOKEN_PAUSED) && !b.has(FLAG_STAKING_PAUSED));
        b.set(FLAG_TOKEN_PAUSED, true);
        b.set_alias_tag(0x12_3456);
        assert_eq!(Beacon::unpack(b.pack()).alias_tag(), 0x12_3456);
        assert!(b.has(FLAG_INITIALIZED | FLAG_BUNKER | FLAG_TOKEN_PAUSED));
        let sender = Address::from([0xee; 20]);
        let mut low = sender;
        low.0[17..].copy_from_slice(&[0x12, 0x34, 0x56]);
        assert_eq!(alias_tag(low), 0x12_3456);
    }

    #[test]
    fn the_l1_vault_word_round_trips_and_keeps_fields_apart() {
        let full = L1Vault { vault: Address::repeat_byte(0xff), received: L1_RECEIVED_MAX };
        assert_eq!(L1Vault::unpack(full.pack()), full);
        assert_eq!(full.pack(), U256::MAX);
        let counter = L1Vault { received: 1, ..L1Vault::default() };
        assert_eq!(counter.pack(), U256::from(1) << 160);
        let vault = L1Vault { vault: Address::repeat_byte(0xff), received: 0 };
        assert_eq!(vault.pack(), (U256::from(1) << 160) - U256::from(1));
    }

    #[test]
    fn report_config_round_trips_and_keeps_fields_apart() {
        let c = ReportConfig {
            oracle: Address::repeat_byte(0xff),
            total_fee_bp: 10_000,
            operators_fee_bp: 0xffff,
            loss_head: 15,
            loss_len: 16,
        };
        assert_eq!(ReportConfig::unpack(c.pack()), c);
        let d = ReportConfig { total_fee_bp: 1, ..ReportConfig::default() };
        assert_eq!(ReportConfig::unpack(d.pack()), d);
        assert_eq!(d.pack(), U256::from(1) << 160);
        let only_oracle = ReportConfig { oracle: Address::repeat_byte(1), ..d };
        assert_eq!(only_oracle.pack() & ((U256::from(1) << 160) - U256::from(1)), {
            U256::from_be_slice(Address::repeat_byte(1).as_slice())
        });
    }

    #[test]
    fn loss_entries_share_a_slot_without_touching_each_other() {
        let a = LossEntry { timestamp: u32::MAX, loss: LOSS_MAX };
        let b = LossEntry { timestamp: 7, loss: 123 };
        let word = b.pack_into(a.pack_into(U256::ZERO, 0), 1);
        assert_eq!(LossEntry::unpack(word, 0), a);
        assert_eq!(LossEntry::unpack(word, 1), b);
        let word = LossEntry::default().pack_into(word, 0);
        assert_eq!(LossEntry::unpack(word, 0), LossEntry::default());
        assert_eq!(LossEntry::unpack(word, 1), b);
    }

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
