//! The registry's key-batch Merkle tree (`contracts/node-operator-registry/src/keys.rs`), as
//! the tools off chain build it: the keys service and the tests' harness compute the roots
//! the registry stores and the proofs its deposits check.
//!
//! Leaf `keccak256(pubkey ‖ signature)`; leaves padded with zero words to a power of two;
//! node `keccak256(left ‖ right)`. (The registry hashes with the host's keccak; this one with
//! alloy's, the same function.)

use alloc::{vec, vec::Vec};

use alloy_primitives::{keccak256, B256};

/// A key's leaf.
pub fn leaf(pubkey: &[u8], signature: &[u8]) -> B256 {
    keccak256([pubkey, signature].concat())
}

/// Every level of the tree over `leaves`, the leaves (padded) first, the root last.
pub fn levels(mut leaves: Vec<B256>) -> Vec<Vec<B256>> {
    leaves.resize(leaves.len().next_power_of_two(), B256::ZERO);
    let mut out = vec![leaves];
    while out.last().is_some_and(|l| l.len() > 1) {
        let next = out
            .last()
            .map(|l| l.chunks(2).map(|p| keccak256([p[0].as_slice(), p[1].as_slice()].concat())))
            .into_iter()
            .flatten()
            .collect();
        out.push(next);
    }
    out
}

/// The root of [`levels`].
pub fn root(levels: &[Vec<B256>]) -> B256 {
    levels.last().and_then(|l| l.first()).copied().unwrap_or_default()
}

/// The siblings of leaf `position`, bottom-up.
pub fn proof(levels: &[Vec<B256>], mut position: usize) -> Vec<B256> {
    let mut out = Vec::new();
    for level in &levels[..levels.len().saturating_sub(1)] {
        out.push(level[position ^ 1]);
        position /= 2;
    }
    out
}
