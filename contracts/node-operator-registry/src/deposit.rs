//! The deposit path: `depositKeys(count, data)`, called by the pool inside
//! `depositBufferedEther`. It checks everything and returns the deposit target's address and
//! the `count` ABI-encoded `deposit(pubkey, withdrawal_credentials, signature,
//! deposit_data_root)` calls (420 bytes each), which the pool makes with 32 ether each: the
//! ether never passes through the registry (a call carrying value costs 9,000 gas more).
//!
//! ## `data`, packed (big-endian integers; the depositor bot builds it from the guardians'
//! signatures and `getDepositAllocation`)
//!
//! ```text
//! header   blockNumber u64 | blockHash 32 | depositRoot 32 | nonce u64
//!          | signatures u8 | signatures x (r 32 | s 32 | v 1)      (ascending signer)
//! per key  pubkey 48 | signature 96 | batch u16 | start u32 | end u32 | hint u16
//!          | depth u8 | depth x 32 (Merkle siblings, bottom-up)
//! ```
//!
//! Packed rather than ABI-encoded: a deposit's calldata is most of its cost (16 gas a non-zero
//! byte), and ABI words would triple the small fields. Nothing in it is trusted: the keys must
//! prove against the commitments, the hints are checked by the list ([`crate::allocation`]),
//! the attestation by the guardians' signatures.
//!
//! ## Checks, in order (each failure reverts everything, the pool's accounting included)
//!
//! caller is the pool (`NotPool`), `count > 0` (`InvalidDepositData`), not
//! paused (`DepositsArePaused`), the nonce is current (`StaleNonce`), the deposit target's root
//! is the attested one (`StaleDepositRoot`), the block hash is the L2 block's
//! (`InvalidBlockHash`), a guardian quorum signed (`NotEnoughGuardianSignatures`,
//! `InvalidGuardianSignature`); per key, the allocated operator exists (`NotEnoughDepositableKeys`
//! when the list runs dry), the proof holds at its next index (`InvalidKeyProof`,
//! a wrong batch, start or end reads as `InvalidKeyProof` too, since the commitment binds
//! them with the root); the data has no bytes left over (`InvalidDepositData`).
//!
//! Each key then costs: its calldata, one cold read of its batch word (once per operator and
//! batch), the operator's word (read and written), the list re-insertion (two reads when the
//! hint is right), the SSZ root (about a dozen SHA-256 compressions in wasm) and its 420 bytes
//! of return data; the pool's call to the deposit target with 32 ether follows.

#![allow(
    clippy::cast_possible_truncation,
    reason = "packed fields are read with exactly as many bytes as their type holds"
)]

use alloc::vec::Vec;

use alloy_primitives::{B256, U256};
use alloy_sol_types::SolCall;
use staking_common::{
    abi::Word,
    deposit_data::{deposit_data_root, withdrawal_credentials, DEPOSIT_GWEI},
    host,
    interface::Encoded,
};
use stylus_sdk::crypto::keccak;

use crate::{
    errors::{
        DepositsArePaused, Error, InvalidBlockHash, InvalidDepositData, InvalidKeyProof,
        NotEnoughDepositableKeys, NotPool, StaleDepositRoot, StaleNonce,
    },
    events::emit,
    guardians::arb_block_hash,
    keys::{root_from_proof, PUBKEY, SIGNATURE},
    storage::{FLAG_DEPOSITS_PAUSED, OP_IN_LIST},
    NodeOperatorRegistry,
};

// The beacon deposit contract's interface file (its `sol!` types; only the selectors are used:
// `deposit_call` writes each call in place into the return data, where the generated
// `calls::deposit` would allocate and copy every 420-byte call once more).
staking_interface::client!(
    IDepositContract,
    "../../crates/staking-common/abi/IDepositContract.sol"
);

pub(crate) use i_deposit_contract::abi::IDepositContract::{depositCall, get_deposit_rootCall};

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

    fn word(&mut self) -> Result<B256, Error> {
        Ok(B256::from_slice(self.take(32)?))
    }
}

/// Bytes of one `deposit` call.
pub const CALL: usize = 420;

/// `deposit(pubkey, credentials, signature, root)` calldata ([`CALL`] bytes), appended to
/// `buf`.
fn deposit_call(
    buf: &mut Vec<u8>,
    pubkey: &[u8],
    credentials: &[u8; 32],
    signature: &[u8],
    root: &B256,
) {
    buf.extend_from_slice(&depositCall::SELECTOR);
    for w in [0x80u64, 0xe0, 0x120] {
        buf.extend_from_slice(U256::from(w).word().as_slice());
    }
    buf.extend_from_slice(root.as_slice());
    for (bytes, padded) in [(pubkey, 64), (&credentials[..], 32), (signature, 96)] {
        buf.extend_from_slice(U256::from(bytes.len()).word().as_slice());
        buf.extend_from_slice(bytes);
        buf.resize(buf.len() + padded - bytes.len(), 0);
    }
}

impl NodeOperatorRegistry {
    /// Allocates `count` validator deposits to the operators the allocation list names, with
    /// the keys and attestation in `data` (see the module doc), and returns
    /// `(depositTarget, calls)`, ABI-encoded as it is written: the `count` deposit calls for
    /// the pool to make.
    ///
    /// # Errors
    /// See the module doc.
    /// # Events
    /// `KeysDeposited(count, allocation)`, `NonceChanged(nonce)`.
    /// # Access
    /// The pool (inside `depositBufferedEther`, `DEPOSIT_ROLE`).
    pub fn deposit_keys(&mut self, count: U256, data: &[u8]) -> Result<Encoded, Error> {
        let mut g = self.initialized_global()?;
        let caller = host::sender();
        let pool = self.pool.get();
        if caller != pool {
            return Err(Error::NotPool(NotPool { caller }));
        }
        let n = u32::try_from(count).unwrap_or(u32::MAX);
        if n == 0 {
            return Err(Error::InvalidDepositData(InvalidDepositData {}));
        }
        // No reentrancy lock: the registry only makes static calls here (the deposit target's
        // root, ArbSys, ecrecover); the pool makes the deposits after it returns.
        if g.has(FLAG_DEPOSITS_PAUSED) {
            return Err(Error::DepositsArePaused(DepositsArePaused {}));
        }

        // The attestation.
        let mut r = Reader { data };
        let block_number = U256::from(r.uint(8)?);
        let block_hash = r.word()?;
        let deposit_root = r.word()?;
        let nonce = r.uint(8)?;
        let signatures = r.uint(1)? as usize;
        let signatures = r.take(65 * signatures)?;
        if nonce != g.nonce {
            return Err(Error::StaleNonce(StaleNonce {
                attested: U256::from(nonce),
                current: U256::from(g.nonce),
            }));
        }
        let target = self.deposit_target.get();
        let current =
            host::static_call(target, &get_deposit_rootCall::SELECTOR).map_err(Error::Callee)?;
        let current = current.get(..32).map(B256::from_slice).unwrap_or_default();
        if current != deposit_root {
            return Err(Error::StaleDepositRoot(StaleDepositRoot {
                attested: deposit_root,
                current,
            }));
        }
        if arb_block_hash(block_number) != Some(block_hash) || block_hash.is_zero() {
            return Err(Error::InvalidBlockHash(InvalidBlockHash {
                blockNumber: block_number,
                blockHash: block_hash,
            }));
        }
        self.check_quorum(
            &g,
            self.attest_message_hash(block_number, block_hash, deposit_root, U256::from(nonce)),
            signatures,
        )?;

        // The keys.
        let credentials = withdrawal_credentials(pool);
        // (depositTarget, calls): the target, the offset of `calls`, then its length and the
        // calls. The first three words are written at the end.
        let mut out = Vec::with_capacity(96 + (CALL * n as usize).min(1 << 16) + 32);
        out.resize(96, 0);
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
            let (pubkey, signature) = key.split_at(PUBKEY);
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

            let pubkey48: &[u8; PUBKEY] = pubkey.try_into().map_err(|_| bad_proof())?;
            let signature96: &[u8; SIGNATURE] = signature.try_into().map_err(|_| bad_proof())?;
            let root =
                B256::new(deposit_data_root(pubkey48, &credentials, DEPOSIT_GWEI, signature96));
            deposit_call(&mut out, pubkey, &credentials, signature, &root);
        }
        if !r.data.is_empty() {
            return Err(Error::InvalidDepositData(InvalidDepositData {}));
        }
        // One event for the whole deposit (a `bytes` field costs 8 gas a byte; an event per key
        // cost about 1,300 gas each).
        emit::KeysDeposited(count, &allocation);
        Self::bump_nonce(&mut g);
        self.global.set(g.pack());
        let length = out.len() - 96;
        out.resize(96 + length.div_ceil(32) * 32, 0);
        out[..32].copy_from_slice(target.word().as_slice());
        out[32..64].copy_from_slice(U256::from(64).word().as_slice());
        out[64..96].copy_from_slice(U256::from(length).word().as_slice());
        Ok(Encoded(out))
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::Bytes;

    use super::*;

    #[test]
    fn deposit_calldata_matches_alloy() {
        let (pubkey, signature, credentials, root) =
            ([1u8; 48], [2u8; 96], [3u8; 32], B256::repeat_byte(4));
        let mut buf = Vec::new();
        deposit_call(&mut buf, &pubkey, &credentials, &signature, &root);
        let expected = depositCall {
            pubkey: Bytes::copy_from_slice(&pubkey),
            withdrawal_credentials: Bytes::copy_from_slice(&credentials),
            signature: Bytes::copy_from_slice(&signature),
            deposit_data_root: root,
        }
        .abi_encode();
        assert_eq!(buf, expected);
        assert_eq!(
            buf,
            i_deposit_contract::calls::deposit(&pubkey, &credentials, &signature, root)
        );
        assert_eq!(buf.len(), CALL);
    }
}
