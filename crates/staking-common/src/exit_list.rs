//! The packed exit list a committee report commits to (`exitRequestsHash`) and delivers
//! (`submitExitRequests`), as `contracts/accounting-oracle/src/exits.rs` reads it: 64 bytes a
//! request, `operatorId (5) | keyIndex (3) | validatorIndex (8) | pubkey (48)`.

use alloc::vec::Vec;

/// One packed request.
///
/// # Panics
///
/// When `pubkey` is not 48 bytes.
pub fn request(operator: u64, key: u32, validator_index: u64, pubkey: &[u8]) -> Vec<u8> {
    assert_eq!(pubkey.len(), 48, "a BLS public key");
    let mut r = Vec::with_capacity(64);
    r.extend_from_slice(&operator.to_be_bytes()[3..]);
    r.extend_from_slice(&key.to_be_bytes()[1..]);
    r.extend_from_slice(&validator_index.to_be_bytes());
    r.extend_from_slice(pubkey);
    r
}
