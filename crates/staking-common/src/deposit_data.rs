//! SHA-256 and the SSZ hash tree root of a validator's `DepositData`.
//!
//! The beacon chain deposit contract recomputes the root of every deposit it receives and
//! reverts when it differs from the `deposit_data_root` argument. A pool that deposits for
//! validators computes the same root from the key's pubkey and signature, its withdrawal
//! credentials and the amount, so a key whose data does not hash to what the deposit contract
//! will recompute is caught before any ether moves.
//!
//! - [`sha256`] and [`sha256_pair`]: FIPS 180-4 SHA-256, written here. Every hash the deposit
//!   root and the deposit contract's Merkle tree need is of exactly 64 bytes, which
//!   [`sha256_pair`] does in two compressions (the second of the constant padding block).
//! - [`withdrawal_credentials`]: type `0x01` credentials, `0x01 ‖ 11 zero bytes ‖ address`.
//! - [`deposit_data_root`]: `hash_tree_root(DepositData)` as the deposit contract computes it:
//!   `sha256(sha256(pubkey_root ‖ withdrawal_credentials) ‖ sha256(amount_le ‖ 0^24 ‖
//!   signature_root))`, where `pubkey_root = sha256(pubkey ‖ 0^16)` and `signature_root =
//!   sha256(sha256(sig[0..64]) ‖ sha256(sig[64..96] ‖ 0^32))`: seven 64-byte hashes, fourteen
//!   compressions.
//!
//! ## Why SHA-256 runs in wasm
//!
//! Stylus has no SHA-256 host function. The alternative, the `sha256` precompile at `0x02`, is
//! reached by a call from the program: per hash a host call into the EVM, the warm account
//! access (100 gas), the precompile's 60 + 12 gas per word and reading the result back, about
//! 215 gas (prices in `shared/STYLUS_GAS.md`). Here a compression costs about 75 gas of opcode
//! ink, so a root (fourteen compressions) about 1,050 gas against about 1,800 for seven
//! precompile calls with their set-up. Measured on the in-process VM with the deposit
//! contract's test double: a deposit's execution gas is about 760 lower with this code than
//! with the precompile, entry cost equal.
//!
//! What keeps it cheap and small: the rounds run eight per loop iteration, the variables
//! renamed rather than moved (every basic block pays a 2,450-ink header, every `local.set`
//! 210); the constants are written by code rather than kept as tables (see [`Sha256`]); no
//! slicing with runtime bounds and no `copy_from_slice`, so nothing here can panic and no
//! panic location or message reaches the data segment; nothing formats.

use alloy_primitives::Address;

/// One validator deposit: 32 ether, in wei.
pub use staking_math::report::DEPOSIT_SIZE;
/// One validator deposit in gwei (the amount in the deposit data).
pub const DEPOSIT_GWEI: u64 = 32_000_000_000;

/// Length of a BLS12-381 public key (compressed G1 point).
pub const PUBKEY_LENGTH: usize = 48;
/// Length of a BLS12-381 signature (compressed G2 point).
pub const SIGNATURE_LENGTH: usize = 96;

/// Writes `index: value` pairs into an array, one store each (see [`Sha256::new`]).
macro_rules! store {
    ($array:ident; $($i:literal: $v:literal,)*) => {
        $($array[$i] = $v;)*
    };
}

/// SHA-256's constants, written into memory by code each time a hash starts.
///
/// As `const` tables, the 64 round constants and the initial hash value would sit in the
/// program's data segment, and Stylus charges every call into a program 0.75 gas per
/// data-segment byte (`cachedGas`, nitro's `crates/prover/src/binary.rs`): 216 gas on every
/// call of every program linking this module, whether it hashes or not. Stored element by
/// element they compile to 32 stores of 64-bit immediates: about 4 gas per hash.
struct Sha256 {
    /// The round constants: the first 32 bits of the fractional parts of the cube roots of
    /// the first 64 primes (FIPS 180-4, 4.2.2).
    k: [u32; 64],
}

impl Sha256 {
    /// Not inlined: one copy of the 64 stores serves every caller.
    #[inline(never)]
    fn new() -> Self {
        let mut k = [0u32; 64];
        store! { k;
        0: 0x428a_2f98, 1: 0x7137_4491, 2: 0xb5c0_fbcf, 3: 0xe9b5_dba5,
        4: 0x3956_c25b, 5: 0x59f1_11f1, 6: 0x923f_82a4, 7: 0xab1c_5ed5,
        8: 0xd807_aa98, 9: 0x1283_5b01, 10: 0x2431_85be, 11: 0x550c_7dc3,
        12: 0x72be_5d74, 13: 0x80de_b1fe, 14: 0x9bdc_06a7, 15: 0xc19b_f174,
        16: 0xe49b_69c1, 17: 0xefbe_4786, 18: 0x0fc1_9dc6, 19: 0x240c_a1cc,
        20: 0x2de9_2c6f, 21: 0x4a74_84aa, 22: 0x5cb0_a9dc, 23: 0x76f9_88da,
        24: 0x983e_5152, 25: 0xa831_c66d, 26: 0xb003_27c8, 27: 0xbf59_7fc7,
        28: 0xc6e0_0bf3, 29: 0xd5a7_9147, 30: 0x06ca_6351, 31: 0x1429_2967,
        32: 0x27b7_0a85, 33: 0x2e1b_2138, 34: 0x4d2c_6dfc, 35: 0x5338_0d13,
        36: 0x650a_7354, 37: 0x766a_0abb, 38: 0x81c2_c92e, 39: 0x9272_2c85,
        40: 0xa2bf_e8a1, 41: 0xa81a_664b, 42: 0xc24b_8b70, 43: 0xc76c_51a3,
        44: 0xd192_e819, 45: 0xd699_0624, 46: 0xf40e_3585, 47: 0x106a_a070,
        48: 0x19a4_c116, 49: 0x1e37_6c08, 50: 0x2748_774c, 51: 0x34b0_bcb5,
        52: 0x391c_0cb3, 53: 0x4ed8_aa4a, 54: 0x5b9c_ca4f, 55: 0x682e_6ff3,
        56: 0x748f_82ee, 57: 0x78a5_636f, 58: 0x84c8_7814, 59: 0x8cc7_0208,
        60: 0x90be_fffa, 61: 0xa450_6ceb, 62: 0xbef9_a3f7, 63: 0xc671_78f2,
        }
        Self { k }
    }

    /// The initial hash value (FIPS 180-4, 5.3.3).
    #[inline]
    fn initial_state() -> [u32; 8] {
        let mut h = [0u32; 8];
        store! { h;
        0: 0x6a09_e667, 1: 0xbb67_ae85, 2: 0x3c6e_f372, 3: 0xa54f_f53a,
        4: 0x510e_527f, 5: 0x9b05_688c, 6: 0x1f83_d9ab, 7: 0x5be0_cd19,
        }
        h
    }

    /// One compression of `block` into `state`.
    ///
    /// The message schedule is expanded first, eight words per loop iteration; the rounds
    /// then run eight per iteration, renaming the working variables instead of moving them
    /// (see [`round`]). Every index is a constant or comes from an iterator: no bounds checks,
    /// nothing that can panic. Fewer loop iterations matter on Stylus, where every basic block
    /// pays a header of 2,450 ink besides its opcodes.
    #[allow(clippy::many_single_char_names)]
    fn compress(&self, state: &mut [u32; 8], block: &[u8; 64]) {
        let mut w = [0u32; 64];
        for (words, bytes) in w.as_chunks_mut::<4>().0.iter_mut().zip(block.as_chunks::<16>().0) {
            if let [b0, b1, b2, b3] = bytes.as_chunks::<4>().0 {
                *words = [
                    u32::from_be_bytes(*b0),
                    u32::from_be_bytes(*b1),
                    u32::from_be_bytes(*b2),
                    u32::from_be_bytes(*b3),
                ];
            }
        }
        for t in (2..8).map(|i| 8 * i) {
            expand(&mut w, t);
            expand(&mut w, t + 1);
            expand(&mut w, t + 2);
            expand(&mut w, t + 3);
            expand(&mut w, t + 4);
            expand(&mut w, t + 5);
            expand(&mut w, t + 6);
            expand(&mut w, t + 7);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
        for (k, w) in self.k.as_chunks::<8>().0.iter().zip(w.as_chunks::<8>().0) {
            round(a, b, c, &mut d, e, f, g, &mut h, k[0], w[0]);
            round(h, a, b, &mut c, d, e, f, &mut g, k[1], w[1]);
            round(g, h, a, &mut b, c, d, e, &mut f, k[2], w[2]);
            round(f, g, h, &mut a, b, c, d, &mut e, k[3], w[3]);
            round(e, f, g, &mut h, a, b, c, &mut d, k[4], w[4]);
            round(d, e, f, &mut g, h, a, b, &mut c, k[5], w[5]);
            round(c, d, e, &mut f, g, h, a, &mut b, k[6], w[6]);
            round(b, c, d, &mut e, f, g, h, &mut a, k[7], w[7]);
        }
        let [s0, s1, s2, s3, s4, s5, s6, s7] = *state;
        *state = [
            s0.wrapping_add(a),
            s1.wrapping_add(b),
            s2.wrapping_add(c),
            s3.wrapping_add(d),
            s4.wrapping_add(e),
            s5.wrapping_add(f),
            s6.wrapping_add(g),
            s7.wrapping_add(h),
        ];
    }

    /// SHA-256 of exactly 64 bytes: the block, then the padding block (`0x80`, zeros, the
    /// length 512 as a 64-bit big-endian number).
    fn hash64(&self, block: &[u8; 64]) -> [u8; 32] {
        let mut state = Self::initial_state();
        self.compress(&mut state, block);
        let mut padding = [0u8; 64];
        padding[0] = 0x80;
        padding[62] = 0x02;
        self.compress(&mut state, &padding);
        digest(&state)
    }

    /// SHA-256 of `left ‖ right`.
    fn pair(&self, left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
        // Whole-array moves rather than `copy_from_slice`, which at `opt-level = "s"` stays a
        // call with a length check and a panic location in the data segment.
        let mut block = [0u8; 64];
        if let [l, r] = block.as_chunks_mut::<32>().0 {
            (*l, *r) = (*left, *right);
        }
        self.hash64(&block)
    }
}

/// Message schedule word `t` (16 <= t < 64).
#[inline]
fn expand(w: &mut [u32; 64], t: usize) {
    let w15 = w[t - 15];
    let w2 = w[t - 2];
    let s0 = w15.rotate_right(7) ^ w15.rotate_right(18) ^ (w15 >> 3);
    let s1 = w2.rotate_right(17) ^ w2.rotate_right(19) ^ (w2 >> 10);
    w[t] = w[t - 16].wrapping_add(s0).wrapping_add(w[t - 7]).wrapping_add(s1);
}

/// One round (FIPS 180-4, 6.2.2, step 3; the working variables named as there). Instead of
/// shifting the eight variables down, the caller renames them: only `d` (which becomes the
/// next `e`) and `h` (the next `a`) change.
#[allow(clippy::too_many_arguments, clippy::many_single_char_names)]
#[inline]
fn round(a: u32, b: u32, c: u32, d: &mut u32, e: u32, f: u32, g: u32, h: &mut u32, k: u32, w: u32) {
    let big_s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
    // Ch(e, f, g) and Maj(a, b, c) in fewer operations than FIPS 180-4 writes them.
    let ch = g ^ (e & (f ^ g));
    let t1 = h.wrapping_add(big_s1).wrapping_add(ch).wrapping_add(k).wrapping_add(w);
    let big_s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
    let maj = (a & b) | (c & (a | b));
    *d = d.wrapping_add(t1);
    *h = t1.wrapping_add(big_s0).wrapping_add(maj);
}

/// The digest of a final state: its words, big-endian.
fn digest(state: &[u32; 8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    if let [o0, o1, o2, o3, o4, o5, o6, o7] = out.as_chunks_mut::<4>().0 {
        let [s0, s1, s2, s3, s4, s5, s6, s7] = *state;
        [*o0, *o1, *o2, *o3, *o4, *o5, *o6, *o7] = [
            s0.to_be_bytes(),
            s1.to_be_bytes(),
            s2.to_be_bytes(),
            s3.to_be_bytes(),
            s4.to_be_bytes(),
            s5.to_be_bytes(),
            s6.to_be_bytes(),
            s7.to_be_bytes(),
        ];
    }
    out
}

/// SHA-256 of `data`.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    let sha = Sha256::new();
    let mut state = Sha256::initial_state();
    let (blocks, rest) = data.as_chunks::<64>();
    for block in blocks {
        sha.compress(&mut state, block);
    }
    // The rest, 0x80, zeros, then the message length in bits (64-bit big-endian) at the end
    // of one block, or of two when fewer than 9 bytes are left in the first.
    let mut tail = [[0u8; 64]; 2];
    let [first, second] = &mut tail;
    for (t, b) in first.iter_mut().zip(rest) {
        *t = *b;
    }
    let n = rest.len();
    if let Some(t) = first.get_mut(n) {
        *t = 0x80;
    }
    let last = if n < 56 { first } else { second };
    if let Some((_, length)) = last.split_last_chunk_mut::<8>() {
        *length = (data.len() as u64).wrapping_mul(8).to_be_bytes();
    }
    for block in tail.iter().take(if n < 56 { 1 } else { 2 }) {
        sha.compress(&mut state, block);
    }
    digest(&state)
}

/// SHA-256 of the 64 bytes `left ‖ right` (a Merkle tree node).
pub fn sha256_pair(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    Sha256::new().pair(left, right)
}

/// Type `0x01` withdrawal credentials paying `recipient`: `0x01`, 11 zero bytes, the address.
pub fn withdrawal_credentials(recipient: Address) -> [u8; 32] {
    let mut credentials = [0u8; 32];
    credentials[0] = 0x01;
    if let Some((_, address)) = credentials.split_last_chunk_mut::<20>() {
        *address = recipient.into_array();
    }
    credentials
}

/// The SSZ hash tree root of `DepositData { pubkey, withdrawal_credentials, amount, signature }`,
/// exactly as the beacon deposit contract recomputes it (`amount_gwei` is the deposit in gwei).
pub fn deposit_data_root(
    pubkey: &[u8; PUBKEY_LENGTH],
    withdrawal_credentials: &[u8; 32],
    amount_gwei: u64,
    signature: &[u8; SIGNATURE_LENGTH],
) -> [u8; 32] {
    let sha = Sha256::new();
    let zero = [0u8; 32];
    // The chunk patterns always match (48 = 3 x 16, 96 = 3 x 32, 64 = 4 x 16) and compile to
    // nothing; they replace slicing, whose bounds checks would keep panic paths.
    let ([p0, p1, p2], [s0, s1, s2]) = (pubkey.as_chunks::<16>().0, signature.as_chunks::<32>().0)
    else {
        return zero;
    };
    let mut block = [0u8; 64];
    if let [b0, b1, b2, _] = block.as_chunks_mut::<16>().0 {
        (*b0, *b1, *b2) = (*p0, *p1, *p2);
    }
    let pubkey_root = sha.hash64(&block);
    let signature_root = sha.pair(&sha.pair(s0, s1), &sha.pair(s2, &zero));
    let mut amount = zero;
    if let Some((le, _)) = amount.split_first_chunk_mut::<8>() {
        *le = amount_gwei.to_le_bytes();
    }
    sha.pair(&sha.pair(&pubkey_root, withdrawal_credentials), &sha.pair(&amount, &signature_root))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use alloy_primitives::{address, hex};
    use proptest::prelude::*;
    use sha2::{Digest, Sha256};

    fn reference(data: &[u8]) -> [u8; 32] {
        Sha256::digest(data).into()
    }

    fn bytes(len: usize) -> Vec<u8> {
        (0..len).map(|i| u8::try_from((i * 7 + 3) % 256).unwrap()).collect()
    }

    #[test]
    fn sha256_of_known_vectors() {
        assert_eq!(
            sha256(b""),
            hex!("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        );
        assert_eq!(
            sha256(b"abc"),
            hex!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        );
    }

    #[test]
    fn sha256_matches_sha2_on_every_padding_boundary() {
        for len in [0, 1, 3, 55, 56, 57, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129, 1000] {
            let data = bytes(len);
            assert_eq!(sha256(&data), reference(&data), "length {len}");
        }
    }

    #[test]
    fn sha256_pair_hashes_the_concatenation() {
        let left = [0x11u8; 32];
        let right: [u8; 32] = core::array::from_fn(|i| u8::try_from(i).unwrap());
        let mut both = left.to_vec();
        both.extend_from_slice(&right);
        assert_eq!(sha256_pair(&left, &right), reference(&both));
        assert_eq!(sha256_pair(&left, &right), sha256(&both));
    }

    /// The zero-hash ladder of the deposit contract's tree, whose empty root is the well-known
    /// constant every beacon chain client checks.
    #[test]
    fn empty_deposit_tree_root_is_the_known_constant() {
        let mut zero = [0u8; 32];
        for _ in 0..32 {
            zero = sha256_pair(&zero, &zero);
        }
        assert_eq!(
            sha256_pair(&zero, &[0u8; 32]),
            hex!("d70a234731285c6804c2a4f56711ddb8c82c99740f207854891028af34e27e5e")
        );
    }

    #[test]
    fn withdrawal_credentials_are_type_one_then_the_address() {
        let recipient = address!("00112233445566778899aabbccddeeff00112233");
        let credentials = withdrawal_credentials(recipient);
        assert_eq!(credentials[0], 0x01);
        assert_eq!(credentials[1..12], [0u8; 11]);
        assert_eq!(credentials[12..], recipient[..]);
    }

    /// `hash_tree_root(DepositData)` written out with `sha2`, as the deposit contract does.
    fn reference_root(pubkey: &[u8], credentials: &[u8], amount_gwei: u64, sig: &[u8]) -> [u8; 32] {
        let h = |parts: &[&[u8]]| -> [u8; 32] {
            let mut hasher = Sha256::new();
            for part in parts {
                hasher.update(part);
            }
            hasher.finalize().into()
        };
        let pubkey_root = h(&[pubkey, &[0u8; 16]]);
        let signature_root = h(&[&h(&[&sig[..64]]), &h(&[&sig[64..], &[0u8; 32]])]);
        h(&[
            &h(&[&pubkey_root, credentials]),
            &h(&[&amount_gwei.to_le_bytes(), &[0u8; 24], &signature_root]),
        ])
    }

    #[test]
    fn deposit_data_root_of_a_32_ether_deposit_matches_the_reference() {
        let pubkey: [u8; 48] = core::array::from_fn(|i| u8::try_from(i + 1).unwrap());
        let signature: [u8; 96] = core::array::from_fn(|i| u8::try_from(255 - i).unwrap());
        let credentials = withdrawal_credentials(Address::repeat_byte(0xab));
        let amount = 32_000_000_000;
        assert_eq!(
            deposit_data_root(&pubkey, &credentials, amount, &signature),
            reference_root(&pubkey, &credentials, amount, &signature)
        );
    }

    proptest! {
        #[test]
        fn sha256_matches_sha2(data in proptest::collection::vec(any::<u8>(), 0..300)) {
            prop_assert_eq!(sha256(&data), reference(&data));
        }

        #[test]
        fn sha256_pair_matches_sha2(left in any::<[u8; 32]>(), right in any::<[u8; 32]>()) {
            let mut both = left.to_vec();
            both.extend_from_slice(&right);
            prop_assert_eq!(sha256_pair(&left, &right), reference(&both));
        }

        #[test]
        fn deposit_data_root_matches_the_reference(
            pubkey in proptest::collection::vec(any::<u8>(), 48),
            credentials in any::<[u8; 32]>(),
            amount in any::<u64>(),
            signature in proptest::collection::vec(any::<u8>(), 96),
        ) {
            let pk: [u8; 48] = pubkey.as_slice().try_into().unwrap();
            let sig: [u8; 96] = signature.as_slice().try_into().unwrap();
            prop_assert_eq!(
                deposit_data_root(&pk, &credentials, amount, &sig),
                reference_root(&pubkey, &credentials, amount, &signature)
            );
        }
    }
}
