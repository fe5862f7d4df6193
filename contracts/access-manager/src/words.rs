//! ABI words for the hand-written error and event encodings (`errors.rs`, `events.rs`), for
//! the types `staking_common::abi::Word` does not cover.

use alloc::vec::Vec;

use alloy_primitives::{aliases::B32, B256};

/// A `uint` (`uint32`, `uint64`, `uint256` of a small value) as its ABI word.
pub(crate) fn uint(value: u64) -> B256 {
    let mut word = [0u8; 32];
    word[24..].copy_from_slice(&value.to_be_bytes());
    B256::new(word)
}

/// A `bytes4` as its ABI word (left-aligned, zero-padded).
pub(crate) fn bytes4(value: B32) -> B256 {
    let mut word = [0u8; 32];
    word[..4].copy_from_slice(value.as_slice());
    B256::new(word)
}

/// The tail of a `bytes` value: its length, then the data zero-padded to whole words.
pub(crate) fn bytes_tail(data: &[u8]) -> Vec<B256> {
    let mut words = Vec::with_capacity(1 + data.len().div_ceil(32));
    words.push(uint(data.len() as u64));
    for chunk in data.chunks(32) {
        let mut word = [0u8; 32];
        word[..chunk.len()].copy_from_slice(chunk);
        words.push(B256::new(word));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{Bytes, U256};
    use alloy_sol_types::SolValue;

    #[test]
    fn uint_word_matches_alloy() {
        for v in [0u64, 1, 0x1234_5678, u64::MAX] {
            assert_eq!(uint(v).as_slice(), v.abi_encode().as_slice());
            assert_eq!(uint(v), B256::from(U256::from(v)));
        }
    }

    #[test]
    fn bytes4_word_matches_alloy() {
        let sel = B32::new([0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(bytes4(sel).as_slice(), sel.abi_encode().as_slice());
    }

    #[test]
    fn bytes_tail_matches_alloy_for_every_padding() {
        for len in [0usize, 1, 31, 32, 33, 64, 100] {
            #[allow(clippy::cast_possible_truncation)]
            let data: Vec<u8> = (0..len).map(|i| i as u8 ^ 0xa5).collect();
            // abi.encode(bytes) = offset word, then the tail.
            let reference = Bytes::from(data.clone()).abi_encode();
            let ours: Vec<u8> = bytes_tail(&data).iter().flat_map(|w| w.0).collect();
            assert_eq!(&reference[32..], ours.as_slice(), "len {len}");
        }
    }
}
