//! EIP-712 permit signatures, shared by the pool's permit program and the wrapped token:
//! the ERC-2612 digest, `ecrecover` with EIP-2's low-`s` rule, and the EIP-1271 fallback for
//! contract wallets.
//!
//! Written here rather than taken from OpenZeppelin Stylus 0.3: its `Erc20Permit` is tied to its
//! own `Erc20` storage, and it has no EIP-1271 check. What it would have given, a typehash, a
//! domain separator and a precompile call, is a few lines each.
//!
//! - The domain separator is computed on each call (chain id and address are host calls, a
//!   Stylus program has no immutables), never stored: a fork's chain id or another
//!   deployment's address gives another domain.
//! - A signature is valid if `ecrecover(digest, v, r, s)` is the owner (v 27 or 28, s in the
//!   lower half of the curve order, as OpenZeppelin's ECDSA requires), or else if the owner
//!   has code and its `isValidSignature(digest, signature)` answers `0x1626ba7e` (EIP-1271).
//!   ECDSA comes first, so an EIP-7702-delegated account may sign either way (Lido's
//!   StETHPermit takes the EIP-1271 path for any owner with code).
//! - "Has code" is read from the code hash (neither 0 nor `keccak256("")`), which motsu
//!   reports for its contracts where it reports no code size.
//!
//! ## Why no constants and no slice copies
//!
//! Stylus prices every byte of a program's data segment on every call into the program (about
//! 0.75 gas a byte, cached: nitro's `binary.rs`, the VM's `validate.rs`). A 32-byte constant
//! costs about 24 gas on every call, and so does a copy into a sub-slice (its length check
//! keeps a panic message and location in the data segment). So the typehashes and half the
//! curve order are built in code ([`word`]; tests check them against their definitions), the
//! name and version are hashed when a digest is made, and buffers are whole words or filled
//! byte by byte.

use alloc::vec::Vec;

use alloy_primitives::{keccak256, Address, B256, U256};
use stylus_sdk::{call::RawCall, keccak_const::Keccak256};

use crate::{abi::Word, host};

/// The EIP-712 domain's version.
pub const VERSION: &str = "1";

/// A 32-byte word from its four big-endian 64-bit parts, built in code: a 32-byte constant
/// would sit in the data segment, which every call into the program pays for (about 24 gas
/// per 32 bytes); four immediates cost nothing until used. Not inlined, so that the compiler
/// does not fold the parts back into a constant in memory.
#[inline(never)]
pub fn word(w0: u64, w1: u64, w2: u64, w3: u64) -> [u8; 32] {
    let mut out = [0u8; 32];
    for (chunk, part) in out.chunks_exact_mut(8).zip([w0, w1, w2, w3]) {
        for (byte, value) in chunk.iter_mut().zip(part.to_be_bytes()) {
            *byte = value;
        }
    }
    out
}

const fn hash(s: &[u8]) -> B256 {
    B256::new(Keccak256::new().update(s).finalize())
}

/// `keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")`.
pub const PERMIT_TYPEHASH: B256 =
    hash(b"Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
/// `keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")`.
pub const DOMAIN_TYPEHASH: B256 =
    hash(b"EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
/// EIP-1271's "valid" answer: `isValidSignature(bytes32,bytes)`'s selector.
/// (checked against the hash by a test).
pub const EIP1271_MAGIC: [u8; 4] = [0x16, 0x26, 0xba, 0x7e];
/// Half the secp256k1 group order: a larger `s` is the malleable twin of a valid signature.
/// Built in code ([`word`]; a test checks it against the order).
fn half_order() -> U256 {
    U256::from_be_bytes(word(
        0x7fff_ffff_ffff_ffff,
        0xffff_ffff_ffff_ffff,
        0x5d57_6e73_57a4_501d,
        0xdfe9_2f46_681b_20a0,
    ))
}
/// Half the secp256k1 group order (EIP-2's bound on `s`), for tests and documentation: the
/// checks build it in code (`half_order`), which a test pins to this value.
pub const HALF_ORDER: U256 = U256::from_limbs([
    0xDFE9_2F46_681B_20A0,
    0x5D57_6E73_57A4_501D,
    0xFFFF_FFFF_FFFF_FFFF,
    0x7FFF_FFFF_FFFF_FFFF,
]);
/// The `ecrecover` precompile.
const ECRECOVER: Address = Address::with_last_byte(1);

/// The EIP-712 domain separator of the contract `this` named `name`, version `"1"`, on
/// `chain_id`.
pub fn domain_separator_of(name: &[u8], chain_id: u64, this: Address) -> B256 {
    // Whole words, no slice copies: a copy into a sub-slice is a length check and a panic
    // location in the data segment, which every call into the program pays for.
    let words = [
        domain_typehash(),
        // Hashed here, not kept as constants: 32 bytes of the data segment cost every call
        // into the program about 24 gas, a hash costs only permit's callers about 40.
        keccak256(name).0,
        keccak256(VERSION).0,
        U256::from(chain_id).word().0,
        this.word().0,
    ];
    keccak256(words.as_flattened())
}

/// [`PERMIT_TYPEHASH`], built in code ([`word`]; a test checks it).
fn permit_typehash() -> [u8; 32] {
    word(0x6e71_edae_12b1_b97f, 0x4d1f_6037_0fef_1010, 0x5fa2_faae_0126_114a, 0x169c_6484_5d61_26c9)
}

/// [`DOMAIN_TYPEHASH`], built in code ([`word`]; a test checks it).
fn domain_typehash() -> [u8; 32] {
    word(0x8b73_c3c6_9bb8_fe3d, 0x512e_cc4c_f759_cc79, 0x239f_7b17_9b0f_faca, 0xa9a7_5d52_2b39_400f)
}

/// The domain separator of the calling contract, named `name`, here and now.
pub fn domain_separator(name: &[u8]) -> B256 {
    domain_separator_of(name, host::chain_id(), host::this())
}

/// The digest an owner signs: `keccak256(0x1901 ‖ domain ‖ keccak256(abi.encode(PERMIT_TYPEHASH,
/// owner, spender, value, nonce, deadline)))`.
#[allow(clippy::manual_memcpy, reason = "copy_from_slice would add a panic location: see above")]
pub fn digest(
    domain: B256,
    owner: Address,
    spender: Address,
    value: U256,
    nonce: U256,
    deadline: U256,
) -> B256 {
    let words = [
        permit_typehash(),
        owner.word().0,
        spender.word().0,
        value.word().0,
        nonce.word().0,
        deadline.word().0,
    ];
    let struct_hash = keccak256(words.as_flattened());
    // 0x1901 ‖ domain ‖ struct hash: the two-byte prefix shifts the words, so byte by byte.
    let mut msg = [0u8; 66];
    msg[0] = 0x19;
    msg[1] = 0x01;
    for i in 0..32 {
        msg[2 + i] = domain.0[i];
        msg[34 + i] = struct_hash.0[i];
    }
    keccak256(msg)
}

/// The signer of `digest` by `(v, r, s)`, or the zero address (`v` not 27/28, `s` in the
/// upper half, or no key recovers).
pub fn recover(digest: B256, v: u8, r: B256, s: B256) -> Address {
    if (v != 27 && v != 28) || U256::from_be_bytes(s.0) > half_order() {
        return Address::ZERO;
    }
    let words = [digest.0, U256::from(v).word().0, r.0, s.0];
    // SAFETY: a static call cannot write, so no cached value can go stale.
    let out = unsafe { RawCall::new_static().call(ECRECOVER, words.as_flattened()) };
    match out.as_deref().map(<[u8; 32]>::try_from) {
        Ok(Ok(word)) => Address::from_word(B256::new(word)),
        _ => Address::ZERO,
    }
}

/// Whether `account` has code (its code hash is neither 0 nor that of empty code).
pub fn has_code(account: Address) -> bool {
    #[allow(deprecated)]
    let hash = stylus_sdk::types::AddressVM::code_hash(&account);
    // keccak256(""), the code hash of an account without code (hashed here: see above).
    !hash.is_zero() && hash != keccak256([])
}

/// Whether `owner` (a contract) accepts `signature` over `digest` (EIP-1271).
pub fn eip1271_accepts(owner: Address, digest: B256, signature: &[u8]) -> bool {
    let selector: [u8; 4] = EIP1271_MAGIC;
    let mut data = Vec::with_capacity(100 + signature.len().div_ceil(32) * 32);
    data.extend_from_slice(&selector);
    data.extend_from_slice(digest.as_slice());
    data.extend_from_slice(U256::from(64).word().as_slice());
    data.extend_from_slice(U256::from(signature.len()).word().as_slice());
    data.extend_from_slice(signature);
    data.resize(data.len() + (32 - signature.len() % 32) % 32, 0);
    // SAFETY: a static call cannot write, so no cached value can go stale.
    let answer = unsafe { RawCall::new_static().call(owner, &data) };
    // The answer is a bytes4 word: the magic value, left-aligned, then zeros.
    let mut expected = [0u8; 32];
    for (e, m) in expected.iter_mut().zip(selector) {
        *e = m;
    }
    matches!(answer.as_deref().map(|a| a.get(..32)), Ok(Some(word)) if word == expected)
}

/// `r ‖ s ‖ v`, the 65-byte form of a `(v, r, s)` signature.
#[allow(clippy::manual_memcpy, reason = "copy_from_slice would add a panic location: see above")]
pub fn packed(v: u8, r: B256, s: B256) -> [u8; 65] {
    let mut sig = [v; 65];
    for i in 0..32 {
        sig[i] = r.0[i];
        sig[32 + i] = s.0[i];
    }
    sig
}

/// `(v, r, s)` of a 65-byte `r ‖ s ‖ v` signature.
#[allow(clippy::manual_memcpy, reason = "copy_from_slice would add a panic location: see above")]
pub fn split(signature: &[u8]) -> Option<(u8, B256, B256)> {
    let sig: &[u8; 65] = signature.try_into().ok()?;
    let (mut r, mut s) = ([0u8; 32], [0u8; 32]);
    for i in 0..32 {
        r[i] = sig[i];
        s[i] = sig[32 + i];
    }
    Some((sig[64], B256::new(r), B256::new(s)))
}

#[cfg(test)]
mod tests {
    use alloy_primitives::U256;

    #[test]
    fn the_words_built_in_code_are_the_hashes_and_half_the_curve_order() {
        assert_eq!(super::permit_typehash(), super::PERMIT_TYPEHASH.0);
        assert_eq!(super::domain_typehash(), super::DOMAIN_TYPEHASH.0);
        let n = U256::from_str_radix(
            "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
            16,
        )
        .unwrap();
        assert_eq!(super::half_order(), n >> 1);
        assert_eq!(super::HALF_ORDER, n >> 1);
    }

    #[test]
    fn a_word_is_its_parts_big_endian() {
        let w = super::word(1, 2, 3, 0x0102_0304_0506_0708);
        assert_eq!(
            U256::from_be_bytes(w),
            (U256::from(1) << 192)
                | (U256::from(2) << 128)
                | (U256::from(3) << 64)
                | U256::from(0x0102_0304_0506_0708u64)
        );
    }
}
