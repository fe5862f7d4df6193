//! Validator keys, committed as Merkle roots instead of stored.
//!
//! A batch of `n` keys (`pubkeys`: n x 48 bytes, `signatures`: n x 96 bytes, as the beacon
//! deposit contract takes them) gets indices `start..end` (`start` = the operator's keys
//! submitted so far, `end = start + n`). Its tree:
//!
//! - leaf `i` = `keccak256(pubkey_i ‖ signature_i)` (144 bytes, so no leaf can pass for an
//!   inner node, whose preimage is 64 bytes);
//! - leaves padded with zero words to a power of two; inner node = `keccak256(left ‖ right)`,
//!   positions counted from `start`.
//!
//! Two ways to commit a batch, both storing one word per batch,
//! `keccak256(root ‖ start ‖ end)` (32-byte words):
//!
//! - `commitKeys(operatorId, pubkeys, signatures)`: the keys travel in the calldata and the
//!   registry computes the root itself, so the batch's keys are published on-chain in full
//!   (about 2,300 gas of calldata a key);
//! - `commitKeyRoot(operatorId, root, count)`: only the root; the operator hands the key file
//!   to the DAO off-chain (about 5 gas a key). Vetting such a batch is the DAO's statement that
//!   it holds the file and recomputed the root as above (the canonical tree: a tree of another
//!   shape could prove two keys at one index at different depths), so every vetted key stays
//!   available to the depositor bot and the guardians.
//!
//! A proof names the batch and gives `start`, `end` and the sibling hashes bottom-up; the key
//! at index `i` is accepted only with `start <= i < end`, `i` = the operator's next index, and
//! `i < vetted`.
//!
//! Removing unused keys from index `f` (`deposited <= f < submitted`): the batch holding `f` is
//! cut to `end = f` (or dropped when `f` is its start) and every later batch dropped, so an
//! index is never served by two batches even after new keys are committed at `f` again.
//!
//! Cost (cached, measured in docs/gas.md): `commitKeys` pays its calldata (144 bytes a key),
//! the hashing (about 2n keccaks, cheap in wasm) and one slot; `commitKeyRoot` one slot; a
//! deposit pays the proof's calldata and one cold read of the batch word.

use alloc::vec::Vec;

use alloy_primitives::{B256, U256};
use staking_common::abi::Word;
use stylus_sdk::crypto::keccak;

use crate::{
    errors::{
        Error, InvalidKeyBatch, InvalidKeyCount, InvalidKeyRemoval, InvalidKeysData,
        TooManyKeyBatches,
    },
    events::emit,
    interface::calls,
    storage::{Global, Operator},
    NodeOperatorRegistry,
};

pub use staking_common::deposit_data::{PUBKEY_LENGTH as PUBKEY, SIGNATURE_LENGTH as SIGNATURE};
/// Most keys in one batch (a tree of depth 10).
pub const MAX_BATCH: usize = 1024;

/// `keccak256(pubkey ‖ signature)`.
pub fn leaf(pubkey: &[u8], signature: &[u8]) -> B256 {
    let mut data = [0u8; PUBKEY + SIGNATURE];
    data[..PUBKEY].copy_from_slice(pubkey);
    data[PUBKEY..].copy_from_slice(signature);
    keccak(data)
}

/// `keccak256(left ‖ right)`.
pub fn node(left: &B256, right: &B256) -> B256 {
    let mut data = [0u8; 64];
    data[..32].copy_from_slice(left.as_slice());
    data[32..].copy_from_slice(right.as_slice());
    keccak(data)
}

/// The root of `leaves` padded with zero words to a power of two (one leaf: itself).
pub fn root(mut level: Vec<B256>) -> B256 {
    level.resize(level.len().next_power_of_two(), B256::ZERO);
    while level.len() > 1 {
        level = level.chunks_exact(2).map(|pair| node(&pair[0], &pair[1])).collect();
    }
    level.first().copied().unwrap_or_default()
}

/// The root a proof leads to from `leaf` at `position` (siblings bottom-up), or `None` when
/// `position` does not fit the proof's depth.
pub fn root_from_proof(leaf: B256, position: u32, siblings: &[u8]) -> Option<B256> {
    let depth = siblings.len() / 32;
    if !siblings.len().is_multiple_of(32) || (depth < 32 && position >> depth != 0) {
        return None;
    }
    let mut hash = leaf;
    let mut pair = [0u8; 64];
    for (level, sibling) in siblings.chunks_exact(32).enumerate() {
        let (ours, theirs) = if (position >> level) & 1 == 0 { (0, 32) } else { (32, 0) };
        pair[ours..ours + 32].copy_from_slice(hash.as_slice());
        pair[theirs..theirs + 32].copy_from_slice(sibling);
        hash = keccak(pair);
    }
    Some(hash)
}

/// The stored word of a batch: `keccak256(root ‖ start ‖ end)`.
pub fn commitment(root: &B256, start: u32, end: u32) -> U256 {
    let mut data = [0u8; 96];
    data[..32].copy_from_slice(root.as_slice());
    data[32..64].copy_from_slice(U256::from(start).word().as_slice());
    data[64..].copy_from_slice(U256::from(end).word().as_slice());
    U256::from_be_bytes(keccak(data).0)
}

/// The storage key of operator `id`'s batch `batch`.
pub(crate) fn batch_key(id: u16, batch: u16) -> U256 {
    U256::from((u32::from(id) << 16) | u32::from(batch))
}

impl NodeOperatorRegistry {
    /// Commits a batch of keys for operator `operator_id`; returns nothing, emits the root.
    ///
    /// # Errors
    /// `NotInitialized`, `OperatorNotFound`, `NotOperatorManager` (neither the reward address
    /// nor `OPERATOR_MANAGER_ROLE`), `InvalidKeysData` (no keys, lengths not n x 48 and n x 96,
    /// more than [`MAX_BATCH`]), `TooManyKeyBatches`, `MathOverflow`.
    /// # Events
    /// `KeysCommitted(operatorId, batch, firstIndex, count, root)`, `NonceChanged(nonce)`.
    /// # Access
    /// The operator's reward address or `OPERATOR_MANAGER_ROLE`.
    pub fn commit_keys(
        &mut self,
        operator_id: U256,
        pubkeys: &[u8],
        signatures: &[u8],
    ) -> Result<(), Error> {
        let mut g = self.initialized_global()?;
        let (id, mut op) = self.existing(operator_id)?;
        self.authorize_for_operator(
            operator_id,
            &calls::commitKeys(operator_id, pubkeys, signatures),
        )?;
        let n = pubkeys.len() / PUBKEY;
        if n == 0
            || n > MAX_BATCH
            || pubkeys.len() != n * PUBKEY
            || signatures.len() != n * SIGNATURE
        {
            return Err(Error::InvalidKeysData(InvalidKeysData {
                pubkeysLength: U256::from(pubkeys.len()),
                signaturesLength: U256::from(signatures.len()),
            }));
        }
        let leaves = pubkeys
            .chunks_exact(PUBKEY)
            .zip(signatures.chunks_exact(SIGNATURE))
            .map(|(p, s)| leaf(p, s))
            .collect();
        self.commit(&mut g, id, &mut op, &root(leaves), n)
    }

    /// Commits the root of a batch of `count` keys for operator `operator_id`, the keys
    /// themselves handed to the DAO off-chain (see the module doc).
    ///
    /// # Errors
    /// `NotInitialized`, `OperatorNotFound`, `NotOperatorManager`, `InvalidKeyCount` (0 or
    /// more than [`MAX_BATCH`]), `TooManyKeyBatches`, `MathOverflow`.
    /// # Events
    /// `KeysCommitted(operatorId, batch, firstIndex, count, root)`, `NonceChanged(nonce)`.
    /// # Access
    /// The operator's reward address or `OPERATOR_MANAGER_ROLE`.
    pub fn commit_key_root(
        &mut self,
        operator_id: U256,
        root: B256,
        count: U256,
    ) -> Result<(), Error> {
        let mut g = self.initialized_global()?;
        let (id, mut op) = self.existing(operator_id)?;
        self.authorize_for_operator(operator_id, &calls::commitKeyRoot(operator_id, root, count))?;
        let n = match usize::try_from(count) {
            Ok(n) if n != 0 && n <= MAX_BATCH => n,
            _ => return Err(Error::InvalidKeyCount(InvalidKeyCount { count })),
        };
        self.commit(&mut g, id, &mut op, &root, n)
    }

    /// Stores batch `op.batches` of `n` keys with `root` at the operator's next indices.
    fn commit(
        &mut self,
        g: &mut Global,
        id: u16,
        op: &mut Operator,
        root: &B256,
        n: usize,
    ) -> Result<(), Error> {
        let batch = op.batches;
        let batches = batch
            .checked_add(1)
            .ok_or(Error::TooManyKeyBatches(TooManyKeyBatches { operatorId: U256::from(id) }))?;
        let start = op.submitted;
        let end = u32::try_from(n)
            .ok()
            .and_then(|n| start.checked_add(n))
            .ok_or_else(crate::errors::overflow)?;
        self.commitments.setter(batch_key(id, batch)).set(commitment(root, start, end));
        op.submitted = end;
        op.batches = batches;
        self.put_op(id, op);
        emit::KeysCommitted(id, batch, start, U256::from(n), *root);
        Self::bump_nonce(g);
        self.global.set(g.pack());
        Ok(())
    }

    /// Checks a batch's claimed `(root, start, end)` against its stored commitment.
    pub(crate) fn check_batch(
        &self,
        id: u16,
        op: &Operator,
        batch: u16,
        root: &B256,
        start: u32,
        end: u32,
    ) -> Result<(), Error> {
        if batch >= op.batches
            || self.commitments.get(batch_key(id, batch)) != commitment(root, start, end)
        {
            return Err(Error::InvalidKeyBatch(InvalidKeyBatch {
                operatorId: U256::from(id),
                batch: U256::from(batch),
            }));
        }
        Ok(())
    }

    /// Removes operator `operator_id`'s unused keys from index `from_index` on; `batch`,
    /// `root`, `start`, `end` name the batch holding `from_index` (from `KeysCommitted`).
    ///
    /// # Errors
    /// `OperatorNotFound`, `NotOperatorManager`, `InvalidKeyRemoval` (`from_index` below the
    /// keys deposited or not below the keys submitted), `InvalidKeyBatch` (the batch is not
    /// the stored one or does not hold `from_index`).
    /// # Events
    /// `KeysRemoved(operatorId, fromIndex)`, `VettedLimitSet` when the vetted limit drops,
    /// `NonceChanged(nonce)`.
    /// # Access
    /// The operator's reward address or `OPERATOR_MANAGER_ROLE`.
    #[allow(clippy::too_many_arguments)]
    pub fn remove_unused_keys(
        &mut self,
        operator_id: U256,
        from_index: U256,
        batch: U256,
        root: B256,
        start: U256,
        end: U256,
    ) -> Result<(), Error> {
        let mut g = self.initialized_global()?;
        let (id, mut op) = self.existing(operator_id)?;
        self.authorize_for_operator(
            operator_id,
            &calls::removeUnusedKeys(operator_id, from_index, batch, root, start, end),
        )?;
        let from = match u32::try_from(from_index) {
            Ok(f) if f >= op.deposited && f < op.submitted => f,
            _ => {
                return Err(Error::InvalidKeyRemoval(InvalidKeyRemoval {
                    operatorId: operator_id,
                    fromIndex: from_index,
                    deposited: U256::from(op.deposited),
                    submitted: U256::from(op.submitted),
                }))
            }
        };
        let bad_batch =
            || Error::InvalidKeyBatch(InvalidKeyBatch { operatorId: operator_id, batch });
        let (b, s, e) = match (u16::try_from(batch), u32::try_from(start), u32::try_from(end)) {
            (Ok(b), Ok(s), Ok(e)) if s <= from && from < e => (b, s, e),
            _ => return Err(bad_batch()),
        };
        self.check_batch(id, &op, b, &root, s, e)?;
        if from == s {
            op.batches = b;
        } else {
            self.commitments.setter(batch_key(id, b)).set(commitment(&root, s, from));
            op.batches = b + 1;
        }
        op.submitted = from;
        emit::KeysRemoved(id, from_index);
        if op.vetted > from {
            op.vetted = from;
            emit::VettedLimitSet(id, from);
        }
        self.refresh(&mut g, id, &mut op);
        Self::bump_nonce(&mut g);
        self.global.set(g.pack());
        Ok(())
    }

    /// Bumps the key nonce (every key change: the bot and the guardians watch it) and emits
    /// `NonceChanged`.
    pub(crate) fn bump_nonce(g: &mut Global) {
        g.nonce = g.nonce.wrapping_add(1);
        emit::NonceChanged(g.nonce);
    }
}

#[cfg(test)]
#[allow(clippy::cast_possible_truncation, reason = "small test indices")]
mod tests {
    use super::*;

    fn key(i: u8) -> (Vec<u8>, Vec<u8>) {
        (vec![i; PUBKEY], vec![i.wrapping_mul(3); SIGNATURE])
    }

    #[test]
    fn every_leaf_proves_against_the_root_at_its_position_only() {
        for n in [1usize, 2, 3, 5, 8, 13] {
            let leaves: Vec<B256> = (0..n as u8)
                .map(|i| {
                    let (p, s) = key(i);
                    leaf(&p, &s)
                })
                .collect();
            let r = root(leaves.clone());
            let depth = n.next_power_of_two().trailing_zeros() as usize;
            for (i, l) in leaves.iter().enumerate() {
                // Build the proof bottom-up from the padded levels.
                let mut level = leaves.clone();
                level.resize(n.next_power_of_two(), B256::ZERO);
                let mut pos = i;
                let mut proof = Vec::new();
                for _ in 0..depth {
                    proof.push(level[pos ^ 1]);
                    level = level.chunks_exact(2).map(|p| node(&p[0], &p[1])).collect();
                    pos /= 2;
                }
                let proof: Vec<u8> = proof.iter().flat_map(|h| h.0).collect();
                assert_eq!(root_from_proof(*l, i as u32, &proof), Some(r), "n={n} i={i}");
                if n > 1 {
                    let other = (i + 1) % n;
                    assert_ne!(root_from_proof(*l, other as u32, &proof), Some(r));
                }
                assert_eq!(
                    root_from_proof(*l, 1 << depth, &proof),
                    None,
                    "position beyond the tree"
                );
            }
        }
    }

    #[test]
    fn commitment_binds_root_and_range() {
        let r = B256::repeat_byte(1);
        assert_ne!(commitment(&r, 0, 10), commitment(&r, 0, 9));
        assert_ne!(commitment(&r, 0, 10), commitment(&r, 1, 10));
        assert_ne!(commitment(&r, 0, 10), commitment(&B256::repeat_byte(2), 0, 10));
    }
}
