//! Compact ABI encoding of revert data.
//!
//! `#[derive(SolidityError)]` expands into one `abi_encode` per error variant; for a contract
//! with two dozen errors that measured 9.6 KB of wasm in the staking pool, about a third of
//! the size limit. Errors whose fields are static words (address, uint, bytes32, bool) encode as
//! `selector ‖ word ‖ word ...`, which one small function does for all of them; an error with
//! one trailing `bytes` field adds its offset, length and padded data.
//!
//! Contracts keep the typed `sol!` errors (selectors, Rust values for tests) and implement
//! `From<Error> for Vec<u8>` with [`encode_error`] / [`encode_error_with_bytes`]; tests check
//! the result against alloy's own `abi_encode` so the two cannot drift.

use alloc::vec::Vec;
use alloy_primitives::{Address, B256, U256};

/// A value that is one ABI word.
pub trait Word {
    /// The 32-byte ABI word.
    fn word(self) -> B256;
}

impl Word for B256 {
    fn word(self) -> B256 {
        self
    }
}

impl Word for U256 {
    fn word(self) -> B256 {
        B256::from(self.to_be_bytes::<32>())
    }
}

impl Word for Address {
    fn word(self) -> B256 {
        self.into_word()
    }
}

impl Word for bool {
    fn word(self) -> B256 {
        let mut w = [0u8; 32];
        w[31] = u8::from(self);
        B256::new(w)
    }
}

macro_rules! uint_word {
    ($($t:ty),*) => {$(
        impl Word for $t {
            fn word(self) -> B256 {
                U256::from(self).word()
            }
        }
    )*};
}
uint_word!(u8, u16, u32, u64, u128);

/// `bytes4`: left-aligned, as the ABI pads fixed-size bytes.
impl Word for [u8; 4] {
    fn word(self) -> B256 {
        let mut w = [0u8; 32];
        w[..4].copy_from_slice(&self);
        B256::new(w)
    }
}

/// `bytes4` as `sol!` types it.
impl Word for alloy_primitives::FixedBytes<4> {
    fn word(self) -> B256 {
        self.0.word()
    }
}

/// `selector ‖ words`: revert data of an error whose fields are all static words.
pub fn encode_error(selector: [u8; 4], words: &[B256]) -> Vec<u8> {
    let mut out = Vec::with_capacity(4 + 32 * words.len());
    out.extend_from_slice(&selector);
    for w in words {
        out.extend_from_slice(w.as_slice());
    }
    out
}

/// `selector ‖ words ‖ offset ‖ len ‖ data (padded)`: an error whose last field is `bytes`.
pub fn encode_error_with_bytes(selector: [u8; 4], words: &[B256], data: &[u8]) -> Vec<u8> {
    let head = 32 * (words.len() + 1);
    let padded = data.len().div_ceil(32) * 32;
    let mut out = Vec::with_capacity(4 + head + 32 + padded);
    out.extend_from_slice(&selector);
    for w in words {
        out.extend_from_slice(w.as_slice());
    }
    out.extend_from_slice(U256::from(head).word().as_slice());
    out.extend_from_slice(U256::from(data.len()).word().as_slice());
    out.extend_from_slice(data);
    out.resize(4 + head + 32 + padded, 0);
    out
}

/// One ABI argument of a call being re-encoded.
pub enum Arg<'a> {
    /// A static word.
    W(B256),
    /// `bytes` / `string`.
    B(&'a [u8]),
    /// `uint256[]`.
    A(&'a [U256]),
}

/// `selector ‖ abi.encode(args...)`: the calldata of a call (or the revert data of an error)
/// with static words, `bytes` and `uint256[]` arguments.
///
/// Written into one buffer of the exact size (no growing tail copied after the head): a
/// program's memory only grows, and the hot paths re-encode kilobytes of `bytes` (the pool's
/// `depositBufferedEther` deposit data, once for the AccessManager and once for the registry).
pub fn encode_call(selector: [u8; 4], args: &[Arg<'_>]) -> Vec<u8> {
    encode_after(&selector, args)
}

/// `prefix ‖ abi.encode(args...)`: [`encode_call`] with any prefix (none: event data).
pub fn encode_after(prefix: &[u8], args: &[Arg<'_>]) -> Vec<u8> {
    let tail_len = |arg: &Arg<'_>| match arg {
        Arg::W(_) => 0,
        Arg::B(b) => 32 + b.len().div_ceil(32) * 32,
        Arg::A(a) => 32 + 32 * a.len(),
    };
    let head = 32 * args.len();
    let total = prefix.len() + head + args.iter().map(tail_len).sum::<usize>();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(prefix);
    let mut offset = head;
    for arg in args {
        match arg {
            Arg::W(w) => out.extend_from_slice(w.as_slice()),
            Arg::B(_) | Arg::A(_) => {
                out.extend_from_slice(U256::from(offset).word().as_slice());
                offset += tail_len(arg);
            }
        }
    }
    for arg in args {
        match arg {
            Arg::W(_) => {}
            Arg::B(b) => {
                out.extend_from_slice(U256::from(b.len()).word().as_slice());
                out.extend_from_slice(b);
                out.resize(out.len() + (32 - b.len() % 32) % 32, 0);
            }
            Arg::A(a) => {
                out.extend_from_slice(U256::from(a.len()).word().as_slice());
                for x in *a {
                    out.extend_from_slice(x.word().as_slice());
                }
            }
        }
    }
    out
}

/// `abi.encode(values...)` of `bytes` values only: one offset per value, then each value's
/// length and zero-padded bytes. The data of an event whose fields are all `bytes` (the
/// deposit contract's `DepositEvent`, five of them), in less wasm than [`encode_call`].
pub fn encode_bytes_params(values: &[&[u8]]) -> Vec<u8> {
    let padded = |v: &[u8]| v.len().div_ceil(32) * 32;
    let size = values.iter().map(|v| 64 + padded(v)).sum::<usize>();
    let mut out = Vec::with_capacity(size);
    let mut offset = 32 * values.len();
    for v in values {
        out.extend_from_slice(&index_word(offset));
        offset += 32 + padded(v);
    }
    for v in values {
        out.extend_from_slice(&index_word(v.len()));
        out.extend_from_slice(v);
        out.resize(out.len() + padded(v) - v.len(), 0);
    }
    out
}

/// A length or offset as an ABI word (no `U256` arithmetic).
fn index_word(n: usize) -> [u8; 32] {
    let mut w = [0u8; 32];
    if let Some((_, low)) = w.split_last_chunk_mut::<8>() {
        *low = (n as u64).to_be_bytes();
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_sol_types::{sol, SolError};

    sol! {
        error Plain(address a, uint256 b, bytes32 c, bool d);
        error WithBytes(address a, bytes32 r, bytes reason);
        error Empty();
    }

    #[test]
    fn static_words_match_alloy() {
        let e = Plain {
            a: Address::repeat_byte(0x11),
            b: U256::from(12345),
            c: B256::repeat_byte(0x22),
            d: true,
        };
        let ours = encode_error(Plain::SELECTOR, &[e.a.word(), e.b.word(), e.c.word(), e.d.word()]);
        assert_eq!(ours, e.abi_encode());
        assert_eq!(encode_error(Empty::SELECTOR, &[]), Empty {}.abi_encode());
    }

    #[test]
    fn trailing_bytes_match_alloy_for_every_padding() {
        for len in [0usize, 1, 31, 32, 33, 68, 100] {
            let data: Vec<u8> = (0..len).map(|i| u8::try_from(i % 251).unwrap()).collect();
            let e = WithBytes {
                a: Address::repeat_byte(3),
                r: B256::repeat_byte(4),
                reason: data.clone().into(),
            };
            let ours =
                encode_error_with_bytes(WithBytes::SELECTOR, &[e.a.word(), e.r.word()], &data);
            assert_eq!(ours, e.abi_encode(), "len {len}");
        }
    }

    #[test]
    fn bytes_only_parameters_match_alloy_for_every_padding() {
        use alloy_primitives::Bytes;
        use alloy_sol_types::SolValue;
        let bytes = |n: usize| (0..n).map(|i| u8::try_from(i % 251).unwrap()).collect::<Vec<u8>>();
        // `DepositEvent`'s shape: pubkey, credentials, amount, signature, index.
        let (pubkey, credentials, le8, signature) = (bytes(48), bytes(32), bytes(8), bytes(96));
        let ours = encode_bytes_params(&[&pubkey, &credentials, &le8, &signature, &le8]);
        let expected = (
            Bytes::from(pubkey),
            Bytes::from(credentials),
            Bytes::from(le8.clone()),
            Bytes::from(signature),
            Bytes::from(le8),
        )
            .abi_encode_params();
        assert_eq!(ours, expected);
        let (empty, one, over) = (bytes(0), bytes(1), bytes(33));
        let ours = encode_bytes_params(&[&empty, &one, &over]);
        let expected =
            (Bytes::from(empty), Bytes::from(one), Bytes::from(over)).abi_encode_params();
        assert_eq!(ours, expected);
    }
}
