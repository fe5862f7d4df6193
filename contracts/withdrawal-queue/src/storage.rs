//! The queue's packed words.
//!
//! Every word is read and written whole (one `SLOAD` / `SSTORE`); fields are big-endian byte
//! ranges of the 32-byte word, so packing is slice copies (no generic bit-field code in the
//! wasm). The table gives each field's bits, bit 0 being the word's least significant (the
//! word's first byte in memory holds bits [248,256)), and is checked against `pack` /
//! `unpack` by `tests::layout`:
//!
//! ```text
//! word queue       cum_ether u96 [160,256) | cum_shares u96 [64,160)
//!                  | last_request_id u32 [32,64) | flags u8 [24,32) | max_rate u24 [0,24)
//! word config      pool address [96,256) | min_request u48 [48,96) | max_request_gwei u48 [0,48)
//! word final       last_finalized u32 [224,256) | checkpoint_count u32 [192,224)
//!                  | min_delay u32 [160,192) | locked u88 [72,160) | latest_nominal [64,72)
//!                  | owner_count u32 [32,64) | latest_first u32 [0,32)
//! word request     cum_ether u96 [160,256) | cum_shares u96 [64,160) | owner u32 [32,64)
//!                  | timestamp u32 [0,32)
//! word checkpoint  first_id u32 [224,256) | rate u96 [128,224)
//! word owner       index u32 [224,256) | balance u32 [192,224)
//! ```
//!
//! A request's owner index 0 means claimed (the NFT burned); a checkpoint rate of all ones
//! means nominal; `latest_nominal` is 0 or 1.
//!
//! The newest checkpoint's first id and kind are copied into `final`, which every claim reads
//! anyway, so claiming from it (the common case) reads no checkpoint slot. `locked` is at most
//! the ether in existence (about 1.2e26 wei), well inside u88 (3.1e26).
//!
//! Widths: u96 holds 7.9e28 wei (79 billion ether) of cumulative requests over the queue's
//! life; u32 ids allow 4.29 billion requests; u32 timestamps run to the year 2106. Writes check
//! every narrowing (`MathOverflow`), so a bound is an error, never a silent wrap.
//!
//! `max_rate` is the highest share rate of a request not yet finalized, in millionths of an
//! ether per share, rounded up and saturating at 2^24 - 1 (16.77 ether per share): a cheap,
//! conservative bound that lets `finalize` prove in O(1) that every request in a batch is at
//! or below the report's share rate (see [`crate::finalization`]). Saturated, it proves
//! nothing, and `finalize` walks the batch.

#![allow(
    clippy::cast_possible_truncation,
    reason = "each field is read from at most as many bytes as its type holds"
)]

use alloy_primitives::{Address, U256};

use crate::errors::{Error, MathOverflow};

/// Flag: `initialize` has run.
pub const FLAG_INITIALIZED: u8 = 1;
/// Flag: requests and finalization are paused.
pub const FLAG_PAUSED: u8 = 1 << 1;
/// Flag: bunker mode (finalization above the report's share rate stopped).
pub const FLAG_BUNKER: u8 = 1 << 2;

/// Checkpoint rate meaning "every request in this checkpoint is paid its nominal ether".
pub const NOMINAL_RATE: u128 = (1 << 96) - 1;

/// One gwei: the unit of the stored maximum request.
pub const GWEI: u64 = 1_000_000_000;

fn overflow() -> Error {
    Error::MathOverflow(MathOverflow {})
}

/// A big-endian unsigned field of at most 16 bytes.
fn get(word: &[u8; 32], at: usize, len: usize) -> u128 {
    let mut buf = [0u8; 16];
    buf[16 - len..].copy_from_slice(&word[at..at + len]);
    u128::from_be_bytes(buf)
}

/// Writes `value` into a big-endian field of `len` bytes, or fails if it does not fit.
fn put(word: &mut [u8; 32], at: usize, len: usize, value: u128) -> Result<(), Error> {
    if len < 16 && value >> (8 * len) != 0 {
        return Err(overflow());
    }
    word[at..at + len].copy_from_slice(&value.to_be_bytes()[16 - len..]);
    Ok(())
}

/// Narrows to u32 or fails.
pub fn narrow32(x: u128) -> Result<u32, Error> {
    u32::try_from(x).map_err(|_| overflow())
}

fn bytes(word: U256) -> [u8; 32] {
    word.to_be_bytes()
}

fn word(bytes: [u8; 32]) -> U256 {
    U256::from_be_bytes(bytes)
}

/// The queue word: running totals, the last id, flags and the pending-rate bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Queue {
    /// Ether requested over the queue's life (cumulative of the last request).
    pub cum_ether: u128,
    /// Shares requested over the queue's life.
    pub cum_shares: u128,
    /// Id of the last request (0: none yet).
    pub last_request_id: u32,
    /// `FLAG_*` bits.
    pub flags: u8,
    /// Upper bound of the share rate of unfinalized requests, in 1e-6 ether per share.
    pub max_rate: u32,
}

impl Queue {
    /// Reads the packed word.
    pub fn unpack(w: U256) -> Self {
        let b = bytes(w);
        Self {
            cum_ether: get(&b, 0, 12),
            cum_shares: get(&b, 12, 12),
            last_request_id: get(&b, 24, 4) as u32,
            flags: b[28],
            max_rate: get(&b, 29, 3) as u32,
        }
    }

    /// The packed word, or `MathOverflow` if a total outgrew its field.
    pub fn pack(&self) -> Result<U256, Error> {
        let mut b = [0u8; 32];
        put(&mut b, 0, 12, self.cum_ether)?;
        put(&mut b, 12, 12, self.cum_shares)?;
        put(&mut b, 24, 4, u128::from(self.last_request_id))?;
        b[28] = self.flags;
        put(&mut b, 29, 3, u128::from(self.max_rate))?;
        Ok(word(b))
    }

    /// Whether `flag` is set.
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// Sets or clears `flag`.
    pub fn set(&mut self, flag: u8, on: bool) {
        if on {
            self.flags |= flag;
        } else {
            self.flags &= !flag;
        }
    }
}

/// The config word: the pool and the request bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Config {
    /// The staking pool (token and shares; caller of `finalize` on reports).
    pub pool: Address,
    /// Smallest request, wei (< 2^48).
    pub min_request: u64,
    /// Largest request, gwei (< 2^48, so at most about 281,474 ether).
    pub max_request_gwei: u64,
}

impl Config {
    /// Reads the packed word.
    pub fn unpack(w: U256) -> Self {
        let b = bytes(w);
        Self {
            pool: Address::from_slice(&b[0..20]),
            min_request: get(&b, 20, 6) as u64,
            max_request_gwei: get(&b, 26, 6) as u64,
        }
    }

    /// The packed word, or `MathOverflow` if a bound does not fit 48 bits.
    pub fn pack(&self) -> Result<U256, Error> {
        let mut b = [0u8; 32];
        b[0..20].copy_from_slice(self.pool.as_slice());
        put(&mut b, 20, 6, u128::from(self.min_request))?;
        put(&mut b, 26, 6, u128::from(self.max_request_gwei))?;
        Ok(word(b))
    }

    /// Largest request in wei.
    pub fn max_request(&self) -> u128 {
        u128::from(self.max_request_gwei) * u128::from(GWEI)
    }
}

/// The finalization word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Final {
    /// Id of the last finalized request (0: none).
    pub last_finalized: u32,
    /// Checkpoints recorded.
    pub checkpoint_count: u32,
    /// Seconds a request must wait before it can be finalized.
    pub min_delay: u32,
    /// Ether held for finalized, unclaimed requests.
    pub locked: u128,
    /// Whether the newest checkpoint is a nominal one.
    pub latest_nominal: bool,
    /// Owner indexes handed out (the NFT owner table).
    pub owner_count: u32,
    /// First request id of the newest checkpoint.
    pub latest_first: u32,
}

impl Final {
    /// Reads the packed word.
    pub fn unpack(w: U256) -> Self {
        let b = bytes(w);
        Self {
            last_finalized: get(&b, 0, 4) as u32,
            checkpoint_count: get(&b, 4, 4) as u32,
            min_delay: get(&b, 8, 4) as u32,
            locked: get(&b, 12, 11),
            latest_nominal: b[23] != 0,
            owner_count: get(&b, 24, 4) as u32,
            latest_first: get(&b, 28, 4) as u32,
        }
    }

    /// The packed word, or `MathOverflow`.
    pub fn pack(&self) -> Result<U256, Error> {
        let mut b = [0u8; 32];
        put(&mut b, 0, 4, u128::from(self.last_finalized))?;
        put(&mut b, 4, 4, u128::from(self.checkpoint_count))?;
        put(&mut b, 8, 4, u128::from(self.min_delay))?;
        put(&mut b, 12, 11, self.locked)?;
        b[23] = u8::from(self.latest_nominal);
        put(&mut b, 24, 4, u128::from(self.owner_count))?;
        put(&mut b, 28, 4, u128::from(self.latest_first))?;
        Ok(word(b))
    }
}

/// One request: running totals through it, its owner and when it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Request {
    /// Ether requested through this request (cumulative).
    pub cum_ether: u128,
    /// Shares requested through this request (cumulative).
    pub cum_shares: u128,
    /// Index of the NFT owner in the owner table; 0 once claimed (burned).
    pub owner: u32,
    /// Block timestamp of the request.
    pub timestamp: u32,
}

impl Request {
    /// Reads the packed word.
    pub fn unpack(w: U256) -> Self {
        let b = bytes(w);
        Self {
            cum_ether: get(&b, 0, 12),
            cum_shares: get(&b, 12, 12),
            owner: get(&b, 24, 4) as u32,
            timestamp: get(&b, 28, 4) as u32,
        }
    }

    /// The packed word, or `MathOverflow`.
    pub fn pack(&self) -> Result<U256, Error> {
        let mut b = [0u8; 32];
        put(&mut b, 0, 12, self.cum_ether)?;
        put(&mut b, 12, 12, self.cum_shares)?;
        put(&mut b, 24, 4, u128::from(self.owner))?;
        put(&mut b, 28, 4, u128::from(self.timestamp))?;
        Ok(word(b))
    }
}

/// A finalization checkpoint: requests from `first_id` on (up to the next checkpoint) are paid
/// at most at `rate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Checkpoint {
    /// First request id it covers.
    pub first_id: u32,
    /// Max share rate (1e27 precision), or [`NOMINAL_RATE`].
    pub rate: u128,
}

impl Checkpoint {
    /// Reads the packed word.
    pub fn unpack(w: U256) -> Self {
        let b = bytes(w);
        Self { first_id: get(&b, 0, 4) as u32, rate: get(&b, 4, 12) }
    }

    /// The packed word, or `MathOverflow` if the rate does not fit 96 bits.
    pub fn pack(&self) -> Result<U256, Error> {
        let mut b = [0u8; 32];
        put(&mut b, 0, 4, u128::from(self.first_id))?;
        put(&mut b, 4, 12, self.rate)?;
        Ok(word(b))
    }
}

/// An NFT owner's entry: its index in the owner table and how many NFTs it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Owner {
    /// Index (1-based; 0 = never held an NFT).
    pub index: u32,
    /// NFTs held (ERC-721 `balanceOf`).
    pub balance: u32,
}

impl Owner {
    /// Reads the packed word.
    pub fn unpack(w: U256) -> Self {
        let b = bytes(w);
        Self { index: get(&b, 0, 4) as u32, balance: get(&b, 4, 4) as u32 }
    }

    /// The packed word.
    pub fn pack(&self) -> U256 {
        let mut b = [0u8; 32];
        b[0..4].copy_from_slice(&self.index.to_be_bytes());
        b[4..8].copy_from_slice(&self.balance.to_be_bytes());
        word(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::many_single_char_names)]
    fn every_word_round_trips_at_its_field_limits() {
        let q = Queue {
            cum_ether: NOMINAL_RATE,
            cum_shares: 7,
            last_request_id: u32::MAX,
            flags: FLAG_PAUSED | FLAG_BUNKER,
            max_rate: (1 << 24) - 1,
        };
        assert_eq!(Queue::unpack(q.pack().unwrap()), q);
        let c = Config {
            pool: Address::repeat_byte(0xab),
            min_request: (1 << 48) - 1,
            max_request_gwei: 1,
        };
        assert_eq!(Config::unpack(c.pack().unwrap()), c);
        let f = Final {
            last_finalized: 3,
            checkpoint_count: u32::MAX,
            min_delay: 7_680,
            locked: (1 << 88) - 1,
            latest_nominal: true,
            owner_count: 9,
            latest_first: u32::MAX,
        };
        assert_eq!(Final::unpack(f.pack().unwrap()), f);
        let r = Request { cum_ether: 1, cum_shares: NOMINAL_RATE, owner: 2, timestamp: u32::MAX };
        assert_eq!(Request::unpack(r.pack().unwrap()), r);
        let k = Checkpoint { first_id: 5, rate: NOMINAL_RATE };
        assert_eq!(Checkpoint::unpack(k.pack().unwrap()), k);
        let o = Owner { index: u32::MAX, balance: 1 };
        assert_eq!(Owner::unpack(o.pack()), o);
    }

    #[test]
    fn a_value_wider_than_its_field_is_an_overflow_not_a_wrap() {
        let q = Queue { cum_ether: NOMINAL_RATE + 1, ..Queue::default() };
        assert_eq!(q.pack(), Err(overflow()));
        let q = Queue { max_rate: 1 << 24, ..Queue::default() };
        assert_eq!(q.pack(), Err(overflow()));
        let c = Config { min_request: 1 << 48, ..Config::default() };
        assert_eq!(c.pack(), Err(overflow()));
        let k = Checkpoint { first_id: 1, rate: NOMINAL_RATE + 1 };
        assert_eq!(k.pack(), Err(overflow()));
    }

    #[test]
    fn the_request_layout_is_the_documented_one() {
        let r = Request { cum_ether: 0x0102, cum_shares: 0x0304, owner: 5, timestamp: 6 };
        let b = r.pack().unwrap().to_be_bytes::<32>();
        assert_eq!(&b[10..12], &[1, 2]);
        assert_eq!(&b[22..24], &[3, 4]);
        assert_eq!(b[27], 5);
        assert_eq!(b[31], 6);
    }
}
