//! Compact ABI decoding of call arguments, for the routers `staking_interface::interface!`
//! generates instead of `#[public]` (return values: [`crate::interface::Returns`]).
//!
//! `#[public]` instantiates alloy's generic decoder and encoder for every method signature;
//! for a contract with forty entry points and array / tuple / string types that measured over
//! 50 KB of wasm (the withdrawal queue), twice the Stylus limit on its own. The ABI head/tail
//! layout these functions read and write is small: static words, `uint256[]`, `bytes` /
//! `string`, arrays of static tuples. Decoding is strict where it matters: an address with
//! dirty upper bytes, a bool other than 0 / 1, an offset or a length that runs past the data,
//! all fail (the router reverts with empty data, as the SDK does on a decoding error).
//!
//! Tests check both directions against alloy's encoder.

use alloc::vec::Vec;
use alloy_primitives::{Address, B256, U256};

use crate::abi::Word;

/// The arguments of a call (the calldata after the selector).
#[derive(Debug, Clone, Copy)]
pub struct Args<'a>(pub &'a [u8]);

impl<'a> Args<'a> {
    /// Word `i` of the head.
    pub fn word(&self, i: usize) -> Option<&'a [u8; 32]> {
        let start = i.checked_mul(32)?;
        self.0.get(start..start.checked_add(32)?)?.try_into().ok()
    }

    /// A `uint256` at head word `i`.
    pub fn u256(&self, i: usize) -> Option<U256> {
        self.word(i).map(|w| U256::from_be_bytes(*w))
    }

    /// An `address` at head word `i` (upper 12 bytes must be zero).
    pub fn address(&self, i: usize) -> Option<Address> {
        let w = self.word(i)?;
        if w[..12].iter().any(|&b| b != 0) {
            return None;
        }
        Some(Address::from_slice(&w[12..]))
    }

    /// A `bool` at head word `i` (0 or 1).
    pub fn boolean(&self, i: usize) -> Option<bool> {
        let w = self.word(i)?;
        if w[..31].iter().any(|&b| b != 0) || w[31] > 1 {
            return None;
        }
        Some(w[31] == 1)
    }

    /// A `bytes32` at head word `i`.
    pub fn b256(&self, i: usize) -> Option<B256> {
        self.word(i).map(|w| B256::new(*w))
    }

    /// A `bytes4` at head word `i` (lower 28 bytes must be zero).
    pub fn bytes4(&self, i: usize) -> Option<[u8; 4]> {
        let w = self.word(i)?;
        if w[4..].iter().any(|&b| b != 0) {
            return None;
        }
        Some([w[0], w[1], w[2], w[3]])
    }

    /// A small integer (offset or length) at byte `at`.
    fn index_at(&self, at: usize) -> Option<usize> {
        let w: &[u8; 32] = self.0.get(at..at.checked_add(32)?)?.try_into().ok()?;
        if w[..24].iter().any(|&b| b != 0) {
            return None;
        }
        usize::try_from(u64::from_be_bytes(w[24..].try_into().ok()?)).ok()
    }

    /// The tail a dynamic argument at head word `i` points to: its length and the byte
    /// where its data starts.
    fn tail(&self, i: usize) -> Option<(usize, usize)> {
        let offset = self.index_at(i.checked_mul(32)?)?;
        let len = self.index_at(offset)?;
        Some((len, offset.checked_add(32)?))
    }

    /// A `uint256[]` at head word `i`.
    pub fn u256_array(&self, i: usize) -> Option<Vec<U256>> {
        let (len, start) = self.tail(i)?;
        let end = start.checked_add(len.checked_mul(32)?)?;
        let data = self.0.get(start..end)?;
        Some(data.chunks_exact(32).map(U256::from_be_slice).collect())
    }

    /// A `bytes` or `string` at head word `i` (a string is not checked for UTF-8 here).
    pub fn bytes(&self, i: usize) -> Option<&'a [u8]> {
        let (len, start) = self.tail(i)?;
        self.0.get(start..start.checked_add(len)?)
    }

    /// A `string` at head word `i` (valid UTF-8).
    pub fn string(&self, i: usize) -> Option<&'a str> {
        core::str::from_utf8(self.bytes(i)?).ok()
    }

    /// A `bytes32[]` at head word `i`.
    pub fn b256_array(&self, i: usize) -> Option<Vec<B256>> {
        let (len, start) = self.tail(i)?;
        let data = self.0.get(start..start.checked_add(len.checked_mul(32)?)?)?;
        Some(data.chunks_exact(32).map(B256::from_slice).collect())
    }

    /// An `address[]` at head word `i` (each with clean upper bytes).
    pub fn address_array(&self, i: usize) -> Option<Vec<Address>> {
        let (len, start) = self.tail(i)?;
        let data = self.0.get(start..start.checked_add(len.checked_mul(32)?)?)?;
        data.chunks_exact(32)
            .map(|w| w[..12].iter().all(|&b| b == 0).then(|| Address::from_slice(&w[12..])))
            .collect()
    }
}

/// One `bytes` / `string` return value: offset, length, padded data.
pub fn bytes(data: &[u8]) -> Vec<u8> {
    let padded = data.len().div_ceil(32) * 32;
    let mut out = Vec::with_capacity(64 + padded);
    out.extend_from_slice(U256::from(32).word().as_slice());
    out.extend_from_slice(U256::from(data.len()).word().as_slice());
    out.extend_from_slice(data);
    out.resize(64 + padded, 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::{string::String, vec};
    use alloy_primitives::Bytes;
    use alloy_sol_types::{sol, SolCall, SolValue};

    sol! {
        function mixed(uint256 a, address b, bool c, uint256[] d, bytes e, string f, bytes4 g);
    }

    #[test]
    fn decodes_what_alloy_encodes() {
        let call = mixedCall {
            a: U256::MAX,
            b: Address::repeat_byte(0xab),
            c: true,
            d: vec![U256::from(1), U256::from(2), U256::MAX],
            e: Bytes::from(vec![7u8; 33]),
            f: String::from("ipfs://base/"),
            g: [1u8, 2, 3, 4].into(),
        };
        let data = call.abi_encode();
        let args = Args(&data[4..]);
        assert_eq!(args.u256(0), Some(U256::MAX));
        assert_eq!(args.address(1), Some(Address::repeat_byte(0xab)));
        assert_eq!(args.boolean(2), Some(true));
        assert_eq!(args.u256_array(3), Some(call.d.clone()));
        assert_eq!(args.bytes(4), Some(&call.e[..]));
        assert_eq!(args.bytes(5), Some(call.f.as_bytes()));
        assert_eq!(args.bytes4(6), Some([1, 2, 3, 4]));
        assert_eq!(args.u256(data.len() / 32), None, "past the data");
    }

    #[test]
    fn rejects_dirty_or_truncated_input() {
        let mut w = [0u8; 32];
        w[0] = 1;
        assert_eq!(Args(&w).address(0), None);
        assert_eq!(Args(&w).boolean(0), None);
        w = [0u8; 32];
        w[31] = 2;
        assert_eq!(Args(&w).boolean(0), None);
        // An offset pointing past the data, and a length longer than the data.
        assert_eq!(Args(&U256::from(64).to_be_bytes::<32>()).u256_array(0), None);
        let mut data = U256::from(32).to_be_bytes::<32>().to_vec();
        data.extend_from_slice(&U256::from(3).to_be_bytes::<32>());
        data.extend_from_slice(&[0u8; 64]);
        assert_eq!(Args(&data).u256_array(0), None);
        assert_eq!(Args(&data).bytes(0), Some(&[0u8; 3][..]));
        // A huge length cannot overflow.
        let mut data = U256::from(32).to_be_bytes::<32>().to_vec();
        data.extend_from_slice(&U256::from(u64::MAX).to_be_bytes::<32>());
        assert_eq!(Args(&data).u256_array(0), None);
        assert_eq!(Args(&data).bytes(0), None);
    }

    #[test]
    fn encodes_like_alloy() {
        let text = "a string longer than one word, to pad";
        assert_eq!(bytes(text.as_bytes()), String::from(text).abi_encode());
        assert_eq!(bytes(b""), Bytes::new().abi_encode());
    }
}
