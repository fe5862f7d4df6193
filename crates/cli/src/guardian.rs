//! `lsctl guardian attest`: a deposit guardian's check and signature, as Lido's council
//! daemon does them.
//!
//! For each batch pending in the L1 vault (`BatchReceived`, after the Outbox delivered it):
//!
//! 1. **Its keys:** the pool deposit whose keys' deposit data roots (with the vault's
//!    credentials, 32 ether each) make the batch's commitment, keys from the keys service.
//! 2. **Front-running:** every `DepositEvent` of the beacon deposit contract (the vault's
//!    `DEPOSIT_CONTRACT`) from `--from-block` (default: the chain's first block; on mainnet
//!    the deposit contract's deployment, 11,052,984, saves the empty range) up to one fixed
//!    block B is read; a batch key already deposited (by anyone, with any credentials) has
//!    been front-run: its validator's credentials are whoever deposited first. The guardian
//!    then signs the batch's *cancellation* (`cancelDigest`), never its deposit.
//! 3. **Otherwise the attestation:** `attestDigest(B, hash(B), depositRoot at B, nonce at B,
//!    batchId, commitment)`, computed locally and checked against the vault's own
//!    `attestDigest`, signed with the guardian's key. A deposit after B changes the deposit
//!    root, which the vault checks is still current: the attestation is void.
//!
//! Signatures are written as JSON files in a directory the depositor reads (the messaging
//! Lido's guardians do over a data bus; here a shared folder), one per guardian, batch and
//! block; the depositor checks each signature before using it ([`verify`]).

use std::path::{Path, PathBuf};

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_provider::{Provider, RootProvider};
use alloy_rpc_types_eth::{BlockNumberOrTag, BlockTransactionsKind, Filter};
use alloy_sol_types::SolEvent;
use l1_vault::{attest_digest, cancel_digest, DepositAttestation, StakingVault as V};
use serde::{Deserialize, Serialize};
use staking_common::signing::SigningKey;
use worlds::abi::IDepositContract;

use crate::{
    keys,
    protocol::{view, Protocol},
    CliError,
};

/// What a guardian signed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Signed {
    /// `attest` or `cancel`.
    pub kind: String,
    /// The batch.
    pub batch_id: u64,
    /// Its commitment.
    pub commitment: B256,
    /// The attested block (attest only).
    pub block_number: u64,
    /// Its hash.
    pub block_hash: B256,
    /// The deposit contract's root there.
    pub deposit_root: B256,
    /// The vault's nonce.
    pub nonce: u64,
    /// The guardian.
    pub guardian: Address,
    /// `r ‖ s ‖ v`.
    pub signature: Bytes,
}

/// The `(pubkey, signature)` pairs of the pool deposit whose commitment is `commitment`
/// (`None`: no deposit the keys service knows makes it).
///
/// # Errors
///
/// The keys service failing.
pub async fn batch_keys(
    keys_url: &str,
    vault: Address,
    commitment: B256,
) -> Result<Option<Vec<([u8; 48], [u8; 96])>>, CliError> {
    let credentials = l1_vault::withdrawal_credentials(vault, false);
    for deposit in keys::fetch_deposits(keys_url).await? {
        let mut out = Vec::new();
        for (op, index) in &deposit.keys {
            let Some(k) = keys::fetch_key(keys_url, *op, *index).await? else { break };
            let p = alloy_primitives::hex::decode(&k.pubkey).unwrap_or_default();
            let s = alloy_primitives::hex::decode(&k.signature).unwrap_or_default();
            let (Ok(p), Ok(s)) = (<[u8; 48]>::try_from(p), <[u8; 96]>::try_from(s)) else { break };
            out.push((p, s));
        }
        if out.len() != deposit.keys.len() {
            continue;
        }
        let roots: Vec<B256> =
            out.iter().map(|(p, s)| l1_vault::deposit_data_root(p, s, &credentials)).collect();
        if l1_vault::batch_commitment(&roots) == commitment {
            return Ok(Some(out));
        }
    }
    Ok(None)
}

/// The batches pending in the vault: `(id, commitment)`.
///
/// # Errors
///
/// The endpoint failing.
pub async fn pending_batches(
    l1: &RootProvider,
    vault: Address,
) -> Result<Vec<(u64, B256)>, CliError> {
    let count = view(l1, vault, &V::batchCountCall {}, None).await?._0;
    let mut out = Vec::new();
    for id in 0..count {
        let b = view(l1, vault, &V::getBatchCall { batchId: U256::from(id) }, None).await?;
        if b.status == V::Status::Pending {
            out.push((id, b.commitment));
        }
    }
    Ok(out)
}

/// The public keys the beacon deposit contract took deposits for in blocks `from..=to`.
///
/// # Errors
///
/// The endpoint failing.
pub async fn deposited_pubkeys(
    l1: &RootProvider,
    deposit_contract: Address,
    from: u64,
    to: u64,
) -> Result<Vec<Vec<u8>>, CliError> {
    let filter = Filter::new()
        .address(deposit_contract)
        .event_signature(IDepositContract::DepositEvent::SIGNATURE_HASH);
    let logs = crate::protocol::logs_until(l1, &filter, from, to).await?;
    Ok(logs
        .iter()
        .filter_map(|l| IDepositContract::DepositEvent::decode_log_data(l.data(), true).ok())
        .map(|e| e.pubkey.to_vec())
        .collect())
}

/// One pass of guardian `key` over the pending batches; the files written.
///
/// # Errors
///
/// An endpoint failing, a key that is not the vault's guardian, or a digest the vault
/// computes otherwise.
pub async fn attest(
    l1: &RootProvider,
    p: &Protocol,
    from_block: u64,
    keys_url: &str,
    key: &SigningKey,
    out_dir: &Path,
) -> Result<Vec<PathBuf>, CliError> {
    let me = staking_common::signing::address_of(key);
    let guardians = view(l1, p.vault, &V::getGuardiansCall {}, None).await?._0;
    if !guardians.contains(&me) {
        return Err(CliError::Usage(format!("{me} is not a guardian of vault {}", p.vault)));
    }
    std::fs::create_dir_all(out_dir)
        .map_err(|e| CliError::Usage(format!("{}: {e}", out_dir.display())))?;
    let deposit_contract = view(l1, p.vault, &V::DEPOSIT_CONTRACTCall {}, None).await?._0;
    // One block for everything: the deposits checked, the root and the nonce attested are
    // all this block's, so a deposit after it changes the root and voids the attestation.
    let block = l1.get_block_number().await.map_err(|e| CliError::Endpoint(format!("l1: {e}")))?;
    let header = l1
        .get_block_by_number(BlockNumberOrTag::Number(block), BlockTransactionsKind::Hashes)
        .await
        .map_err(|e| CliError::Endpoint(format!("l1: {e}")))?
        .ok_or_else(|| CliError::Endpoint(format!("l1 has no block {block}")))?
        .header;
    let at = Some(block);
    let deposited = deposited_pubkeys(l1, deposit_contract, from_block, block).await?;
    let root = view(l1, deposit_contract, &IDepositContract::get_deposit_rootCall {}, at).await?._0;
    let nonce = view(l1, p.vault, &V::nonceCall {}, at).await?._0;
    let mut written = Vec::new();
    for (batch_id, commitment) in pending_batches(l1, p.vault).await? {
        let Some(keys) = batch_keys(keys_url, p.vault, commitment).await? else {
            println!("guardian: batch {batch_id}: no deposit the keys service knows makes its commitment {commitment}: not signed");
            continue;
        };
        let front_run: Vec<String> = keys
            .iter()
            .filter(|(pk, _)| deposited.iter().any(|d| d.as_slice() == pk.as_slice()))
            .map(|(pk, _)| format!("0x{}", alloy_primitives::hex::encode(pk)))
            .collect();
        let (kind, fields, digest) = if front_run.is_empty() {
            let fields = DepositAttestation {
                block_number: block,
                block_hash: header.hash,
                deposit_root: root,
                nonce,
                batch_id,
                commitment,
            };
            let digest = attest_digest(p.l1_chain_id, p.vault, &fields);
            let theirs = view(
                l1,
                p.vault,
                &V::attestDigestCall {
                    blockNumber: U256::from(block),
                    blockHash: fields.block_hash,
                    depositRoot: root,
                    attestedNonce: U256::from(nonce),
                    batchId: U256::from(batch_id),
                    commitment,
                },
                None,
            )
            .await?
            ._0;
            if theirs != digest {
                return Err(CliError::Check(format!(
                    "the vault's attestDigest is {theirs}, computed {digest}: not signed"
                )));
            }
            println!(
                "guardian {me}: batch {batch_id}: {} keys, none deposited before: attested at block {block}",
                keys.len()
            );
            ("attest", fields, digest)
        } else {
            println!(
                "guardian {me}: batch {batch_id}: FRONT-RUN: {} already deposited on L1: signing its cancellation",
                front_run.join(", ")
            );
            let fields = DepositAttestation {
                block_number: 0,
                block_hash: B256::ZERO,
                deposit_root: B256::ZERO,
                nonce,
                batch_id,
                commitment,
            };
            ("cancel", fields, cancel_digest(p.l1_chain_id, p.vault, batch_id, commitment))
        };
        let signed = Signed {
            kind: kind.into(),
            batch_id,
            commitment,
            block_number: fields.block_number,
            block_hash: fields.block_hash,
            deposit_root: fields.deposit_root,
            nonce,
            guardian: me,
            signature: staking_common::signing::sign_digest(key, digest).to_vec().into(),
        };
        let path = out_dir.join(format!("{kind}-{batch_id}-{}-{me}.json", fields.block_number));
        let text =
            serde_json::to_string_pretty(&signed).map_err(|e| CliError::Usage(e.to_string()))?;
        std::fs::write(&path, text)
            .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
        written.push(path);
    }
    Ok(written)
}

/// The digest `s` claims to sign, recomputed.
pub fn digest_of(s: &Signed, chain_id: u64, vault: Address) -> B256 {
    if s.kind == "cancel" {
        cancel_digest(chain_id, vault, s.batch_id, s.commitment)
    } else {
        attest_digest(
            chain_id,
            vault,
            &DepositAttestation {
                block_number: s.block_number,
                block_hash: s.block_hash,
                deposit_root: s.deposit_root,
                nonce: s.nonce,
                batch_id: s.batch_id,
                commitment: s.commitment,
            },
        )
    }
}

/// Whether `s`'s signature is its guardian's over [`digest_of`], in the form the vault takes.
pub fn verify(s: &Signed, chain_id: u64, vault: Address) -> bool {
    // The vault's rules: 65 bytes, `v` 27 or 28, `s` in the lower half.
    let half_order = U256::from_be_bytes(alloy_primitives::hex!(
        "7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0"
    ));
    if s.signature.len() != 65
        || !matches!(s.signature[64], 27 | 28)
        || U256::from_be_slice(&s.signature[32..64]) > half_order
    {
        return false;
    }
    let Ok(sig) = alloy_primitives::PrimitiveSignature::try_from(s.signature.as_ref()) else {
        return false;
    };
    sig.recover_address_from_prehash(&digest_of(s, chain_id, vault)).is_ok_and(|a| a == s.guardian)
}

/// The signatures in `dir` of `kind` for `batch_id`.
///
/// # Errors
///
/// An unreadable directory.
pub fn read_signed(dir: &Path, kind: &str, batch_id: u64) -> Result<Vec<Signed>, CliError> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| CliError::Usage(format!("{}: {e}", dir.display())))?;
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let Ok(text) = std::fs::read(entry.path()) else { continue };
        if let Ok(s) = serde_json::from_slice::<Signed>(&text) {
            if s.kind == kind && s.batch_id == batch_id {
                out.push(s);
            }
        }
    }
    out.sort_by_key(|s| s.guardian);
    Ok(out)
}
