//! The wrapped token's test helpers: EOA keys and their ERC-2612 permit signatures, hashed with
//! alloy's EIP-712 implementation (independent of the token's own hashing), for the end-to-end
//! tests and the gas report.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, Eip712Domain, SolStruct};
use k256::ecdsa::SigningKey;

sol! {
    /// ERC-2612's signed struct.
    #[derive(Debug)]
    struct Permit { address owner; address spender; uint256 value; uint256 nonce; uint256 deadline; }
}

/// A deterministic EOA key from `seed` (1..=255) and its address.
///
/// # Panics
///
/// For seed 0 (not a valid key).
pub fn signer(seed: u8) -> (SigningKey, Address) {
    let key = SigningKey::from_slice(&[seed; 32]).expect("a valid key");
    let address = staking_common::signing::address_of(&key);
    (key, address)
}

/// The wrapped token's EIP-712 domain at `token` on `chain_id` (its name and version written
/// here again: the tests check the token's against them).
pub fn domain(chain_id: u64, token: Address) -> Eip712Domain {
    Eip712Domain::new(
        Some("Wrapped Stylus Staked Ether".into()),
        Some("1".into()),
        Some(U256::from(chain_id)),
        Some(token),
        None,
    )
}

/// `(v, r, s)` of `key`'s signature of `permit` for the token at `token` on `chain_id`.
///
/// # Panics
///
/// If signing fails.
pub fn sign_permit(
    key: &SigningKey,
    chain_id: u64,
    token: Address,
    permit: &Permit,
) -> (u8, B256, B256) {
    let digest = permit.eip712_signing_hash(&domain(chain_id, token));
    staking_common::signing::sign_digest_vrs(key, digest)
}
