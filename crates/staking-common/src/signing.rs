//! An EOA key's signature of a digest, as the tests of permits and guardian quorums make them
//! (feature `signing`, native builds only): 65 bytes `r ‖ s ‖ v`, `v` 27 or 28, `s` in the
//! lower half of the curve order (EIP-2), which every signature check of the suite requires.

use alloy_primitives::{keccak256, Address, B256};
use k256::ecdsa::RecoveryId;
pub use k256::ecdsa::SigningKey;

/// `key`'s signature of `digest` (no further hashing), `r ‖ s ‖ v` with a low `s`.
///
/// # Panics
///
/// If signing fails (it does not for a valid key).
pub fn sign_digest(key: &SigningKey, digest: B256) -> [u8; 65] {
    let (mut sig, mut recid) = key.sign_prehash_recoverable(digest.as_slice()).expect("signs");
    // k256 already signs with a low `s`; normalize anyway, flipping the recovery bit with it.
    if let Some(normalized) = sig.normalize_s() {
        sig = normalized;
        recid = RecoveryId::new(!recid.is_y_odd(), recid.is_x_reduced());
    }
    let mut out = [0u8; 65];
    out[..64].copy_from_slice(&sig.to_bytes());
    out[64] = 27 + recid.to_byte();
    out
}

/// `(v, r, s)` of [`sign_digest`].
pub fn sign_digest_vrs(key: &SigningKey, digest: B256) -> (u8, B256, B256) {
    let sig = sign_digest(key, digest);
    (sig[64], B256::from_slice(&sig[..32]), B256::from_slice(&sig[32..64]))
}

/// The address of `key`: the last 20 bytes of the keccak of its uncompressed public point.
pub fn address_of(key: &SigningKey) -> Address {
    let point = key.verifying_key().to_encoded_point(false);
    Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_recovers_to_the_keys_address_with_a_low_s() {
        let key = SigningKey::from_slice(&[7u8; 32]).unwrap();
        let digest = keccak256(b"digest");
        let sig = sign_digest(&key, digest);
        assert!(sig[64] == 27 || sig[64] == 28);
        let s = alloy_primitives::U256::from_be_slice(&sig[32..64]);
        let half = alloy_primitives::U256::from_str_radix(
            "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0",
            16,
        )
        .unwrap();
        assert!(s <= half);
        let recid = RecoveryId::from_byte(sig[64] - 27).unwrap();
        let signature = k256::ecdsa::Signature::from_slice(&sig[..64]).unwrap();
        let recovered =
            k256::ecdsa::VerifyingKey::recover_from_prehash(digest.as_slice(), &signature, recid)
                .unwrap();
        let point = recovered.to_encoded_point(false);
        assert_eq!(Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]), address_of(&key));
        let (v, r, s2) = sign_digest_vrs(&key, digest);
        assert_eq!((v, r.as_slice(), s2.as_slice()), (sig[64], &sig[..32], &sig[32..64]));
    }
}
