//! The deposit path: `depositKeys(count, data)`, called by the pool inside
//! `depositBufferedEther`. It checks the keys, moves the allocation, computes every key's SSZ
//! deposit data root with the L1 vault's withdrawal credentials and returns
//! `(withdrawalCredentials, commitment)`, `commitment = keccak256(root_0 ‖ … ‖ root_{n-1})` in
//! deposit order. The pool sends the batch's ether and the commitment to the vault in one
//! L2-to-L1 message (`ArbSys.sendTxToL1`, `contracts/staking-pool/src/validators.rs`); on L1
//! the vault recomputes the roots from the keys a keeper supplies and deposits them to the
//! beacon deposit contract against a fresh guardian quorum over that contract's root
//! (`contracts/l1-vault`, docs/design/l1-leg.md). The front-running check is the vault's, at
//! the moment of the deposit: an attestation checked here would be six days stale by then.
//!
//! ## `data`, packed (big-endian integers; the depositor bot builds it from
//! `getDepositAllocation` and the operators' committed keys)
//!
//! ```text
//! per key  pubkey 48 | signature 96 | batch u16 | start u32 | end u32 | hint u16
//!          | depth u8 | depth x 32 (Merkle siblings, bottom-up)
//! ```
//!
//! Packed rather than ABI-encoded: a deposit's calldata is most of its cost (16 gas a non-zero
//! byte), and ABI words would triple the small fields. Nothing in it is trusted: the keys must
//! prove against the commitments, the hints are checked by the list ([`crate::allocation`]).
//!
//! ## Checks, in order (each failure reverts everything, the pool's accounting included)
//!
//! caller is the pool (`NotPool`), `count > 0` (`InvalidDepositData`), `count <=`
//! [`MAX_BATCH_KEYS`] (`TooManyKeys`: the vault refuses a bigger batch, so its message would
//! never execute and its ether would stay in the Bridge), not paused (`DepositsArePaused`: one
//! guardian's pause still stops deposits here, before any ether leaves L2); per key, the
//! allocated operator exists (`NotEnoughDepositableKeys` when the list runs dry), the proof
//! holds at its next index (`InvalidKeyProof`; a wrong batch, start or end reads as
//! `InvalidKeyProof` too, since the commitment binds them with the root); the data has no
//! bytes left over (`InvalidDepositData`).
//!
//! Each key then costs: its calldata, one cold read of its batch word (once per operator and
//! batch), the operator's word (read and written), the list re-insertion (two reads when the
//! hint is right), the SSZ root (about a dozen SHA-256 compressions in wasm) and 32 bytes of
//! the commitment's preimage; one `keccak256` over the roots (at most 3,200 bytes) and 64
//! bytes of return data close the batch. The registry makes no call at all.

#![allow(
    clippy::cast_possible_truncation,
    reason = "packed fields are read with exactly as many bytes as their type holds"
)]

use alloc::vec::Vec;

use alloy_primitives::{B256, U256};
use staking_common::{
    deposit_data::{deposit_data_root, DEPOSIT_GWEI},
    host,
};
use stylus_sdk::crypto::keccak;

use crate::{
    errors::{
        DepositsArePaused, Error, InvalidDepositData, InvalidKeyProof, NotEnoughDepositableKeys,
        NotPool, TooManyKeys,
    },
    events::emit,
    keys::{root_from_proof, PUBKEY, SIGNATURE},
    storage::{FLAG_DEPOSITS_PAUSED, OP_IN_LIST},
    NodeOperatorRegistry,
};

/// Most keys in one batch: the L1 vault's `MAX_BATCH_KEYS` (`receiveBatch` refuses more).
pub const MAX_BATCH_KEYS: u32 = 100;

/// Reads the packed data front to back.
struct Reader<'a> {
    data: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if n > self.data.len() {
            return Err(Error::InvalidDepositData(InvalidDepositData {}));
        }
        let (head, rest) = self.data.split_at(n);
        self.data = rest;
        Ok(head)
    }

    fn uint(&mut self, n: usize) -> Result<u64, Error> {
        Ok(self.take(n)?.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }
}

impl NodeOperatorRegistry {
    /// Allocates `count` validator deposits to the operators the allocation list names, with
    /// the keys and proofs in `data` (see the module doc), and returns
    /// `(withdrawalCredentials, commitment)`: the L1 vault's credentials every root covers and
    /// `keccak256` of the `count` deposit data roots, in deposit order.
    ///
    /// # Errors
    /// See the module doc.
    /// # Events
    /// `KeysDeposited(count, allocation)`, `NonceChanged(nonce)`.
    /// # Access
    /// The pool (inside `depositBufferedEther`, `DEPOSIT_ROLE`).
    pub fn deposit_keys(&mut self, count: U256, data: &[u8]) -> Result<(B256, B256), Error> {
        let mut g = self.initialized_global()?;
        let caller = host::sender();
        if caller != self.pool.get() {
            return Err(Error::NotPool(NotPool { caller }));
        }
        let n = u32::try_from(count).unwrap_or(u32::MAX);
        if n == 0 {
            return Err(Error::InvalidDepositData(InvalidDepositData {}));
        }
        if n > MAX_BATCH_KEYS {
            return Err(Error::TooManyKeys(TooManyKeys { count, max: U256::from(MAX_BATCH_KEYS) }));
        }
        // No reentrancy lock: the registry makes no call here.
        if g.has(FLAG_DEPOSITS_PAUSED) {
            return Err(Error::DepositsArePaused(DepositsArePaused {}));
        }

        let credentials = self.withdrawal_credentials.get();
        let mut r = Reader { data };
        // The commitment's preimage: the roots, 32 bytes each.
        let mut roots = Vec::with_capacity(32 * n as usize);
        let mut allocation = Vec::with_capacity(6 * n as usize);
        for done in 0..n {
            let id = g.head;
            if id == 0 {
                return Err(Error::NotEnoughDepositableKeys(NotEnoughDepositableKeys {
                    requested: count,
                    available: U256::from(done),
                }));
            }
            let mut op = self.op(id);
            // pubkey ‖ signature, contiguous: the leaf hashes them in place.
            let key = r.take(PUBKEY + SIGNATURE)?;
            let batch = r.uint(2)? as u16;
            let start = r.uint(4)? as u32;
            let end = r.uint(4)? as u32;
            let hint = r.uint(2)? as u16;
            let depth = r.uint(1)? as usize;
            let siblings = r.take(32 * depth)?;
            let index = op.deposited;
            let bad_proof = || {
                Error::InvalidKeyProof(InvalidKeyProof {
                    operatorId: U256::from(id),
                    keyIndex: U256::from(index),
                })
            };
            // In the list: active, index < vetted <= submitted, under the target.
            if index < start || index >= end {
                return Err(bad_proof());
            }
            let root =
                root_from_proof(keccak(key), index - start, siblings).ok_or_else(bad_proof)?;
            self.check_batch(id, &op, batch, &root, start, end).map_err(|_| bad_proof())?;

            self.settle(&g, id, &mut op)?;
            // Pop the head, count the key, put the operator back where the hint says.
            g.head = op.next;
            if op.next != 0 {
                let mut next = self.op(op.next);
                next.prev = 0;
                self.put_op(op.next, &next);
            }
            op.next = 0;
            op.set(OP_IN_LIST, false);
            op.deposited = index + 1;
            g.total_active += 1;
            if op.eligible() {
                self.insert(&mut g, id, &mut op, hint);
            }
            self.put_op(id, &op);
            allocation.extend_from_slice(&id.to_be_bytes());
            allocation.extend_from_slice(&index.to_be_bytes());

            let (Ok(pubkey), Ok(signature)) = (
                <&[u8; PUBKEY]>::try_from(&key[..PUBKEY]),
                <&[u8; SIGNATURE]>::try_from(&key[PUBKEY..]),
            ) else {
                return Err(bad_proof());
            };
            roots.extend_from_slice(&deposit_data_root(
                pubkey,
                &credentials.0,
                DEPOSIT_GWEI,
                signature,
            ));
        }
        if !r.data.is_empty() {
            return Err(Error::InvalidDepositData(InvalidDepositData {}));
        }
        // One event for the whole deposit (a `bytes` field costs 8 gas a byte; an event per key
        // cost about 1,300 gas each).
        emit::KeysDeposited(count, &allocation);
        Self::bump_nonce(&mut g);
        self.global.set(g.pack());
        Ok((credentials, keccak(roots)))
    }
}
