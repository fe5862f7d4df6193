//! `lsctl depositor`: the depositor bot, on both layers.
//!
//! - **`deposit` (L2):** when the pool's depositable ether (buffered, less what unfinalized
//!   withdrawals need) holds at least 32 ether, takes the registry's allocation for that many
//!   keys (`getDepositAllocation`: operators, key indices and order hints), fetches each key
//!   and its Merkle proof from the keys service, and sends `depositBufferedEther(count,
//!   data)` (DEPOSIT_ROLE). The pool sends the ether and the batch's commitment to the L1
//!   vault through ArbSys; a keeper executes it on the Outbox after the challenge period.
//! - **`deposit-batches` (L1):** for each batch pending in the vault, the keys (as the
//!   guardians find them) and a guardian quorum's attestations over one block, deposit root
//!   and nonce from the signatures folder (each signature recovered and checked against the
//!   vault's current guardians first; exactly `quorum`, ascending), sent as `depositBatch`
//!   (anyone may). A deposit moves the deposit root and the vault's nonce, so one batch is
//!   deposited per pass; the guardians attest the next after it. A batch the quorum signed
//!   the cancellation of is cancelled (`cancelBatch`).
//!
//! Each transaction is a journaled step: a restart sends nothing twice.

use std::path::Path;

use alloy_primitives::{Bytes, B256, U256};
use alloy_provider::RootProvider;
use alloy_sol_types::SolCall;
use l1_vault::StakingVault as V;

use crate::{
    abi::{INodeOperatorRegistry as R, IStakingPool as P},
    chain::{Call, Chain},
    guardian, keys,
    manifest::ManifestFile,
    protocol::{view, Protocol},
    CliError,
};

/// 32 ether.
fn deposit_size() -> U256 {
    U256::from(32u64) * U256::from(10u64).pow(U256::from(18u64))
}

/// Deposits up to `max` keys when the buffer allows; the keys deposited (0: none).
///
/// # Errors
///
/// An endpoint failing, a key the keys service lacks, or a reverted deposit.
pub async fn deposit(
    l2: &Chain,
    journal: &mut ManifestFile,
    p: &Protocol,
    keys_url: &str,
    max: u64,
) -> Result<u64, CliError> {
    l2.resume_pending(journal).await?;
    let provider = &l2.provider;
    let depositable = view(provider, p.pool, &P::getDepositableEtherCall {}, None).await?._0;
    let want = (depositable / deposit_size()).saturating_to::<u64>().min(max);
    if want == 0 {
        println!("depositor: {depositable} wei depositable: less than 32 ether, nothing to do");
        return Ok(0);
    }
    let plan =
        view(provider, p.registry, &R::getDepositAllocationCall { count: U256::from(want) }, None)
            .await?;
    let n = plan.operatorIds.len() as u64;
    if n == 0 {
        println!("depositor: {depositable} wei depositable but no vetted key is free");
        return Ok(0);
    }
    let mut data = Vec::new();
    for ((op, index), hint) in plan.operatorIds.iter().zip(&plan.keyIndices).zip(&plan.hints) {
        let (op, index) = (op.saturating_to::<u64>(), index.saturating_to::<u32>());
        let key = keys::fetch_key(keys_url, op, index).await?.ok_or_else(|| {
            CliError::Check(format!(
                "the keys service has no file for operator {op}'s key {index}: the operator publishes it (lsctl operator publish-keys)"
            ))
        })?;
        data.extend(keys::deposit_entry(&key, hint.saturating_to())?);
    }
    let nonce = view(provider, p.registry, &R::getNonceCall {}, None).await?._0;
    let call = P::depositBufferedEtherCall { count: U256::from(n), data: data.into() };
    let call = Call { to: Some(p.pool), value: U256::ZERO, data: call.abi_encode() };
    l2.send(journal, &format!("deposit {n} keys (registry nonce {nonce})"), call).await?;
    Ok(n)
}

/// Deposits (or cancels) every pending vault batch a guardian quorum signed for; the batches
/// acted on.
///
/// # Errors
///
/// An endpoint failing or a reverted transaction.
pub async fn deposit_batches(
    l1: &Chain,
    journal: &mut ManifestFile,
    p: &Protocol,
    keys_url: &str,
    signatures: &Path,
) -> Result<Vec<u64>, CliError> {
    l1.resume_pending(journal).await?;
    let reader: &RootProvider = &l1.provider;
    let quorum = usize::from(view(reader, p.vault, &V::quorumCall {}, None).await?._0);
    let guardians = view(reader, p.vault, &V::getGuardiansCall {}, None).await?._0;
    // Signatures that are what they claim, by current guardians, one per guardian, ascending:
    // a stray or stale file never reaches the vault.
    let valid = |list: Vec<guardian::Signed>| -> Vec<guardian::Signed> {
        let mut out: Vec<guardian::Signed> = list
            .into_iter()
            .filter(|s| guardians.contains(&s.guardian))
            .filter(|s| guardian::verify(s, p.l1_chain_id, p.vault))
            .collect();
        out.sort_by_key(|s| s.guardian);
        out.dedup_by_key(|s| s.guardian);
        out
    };
    let mut done = Vec::new();
    let pending = guardian::pending_batches(reader, p.vault).await?;
    // Cancellations first: they need no fresh attestation.
    for &(batch_id, commitment) in &pending {
        let cancels: Vec<_> = valid(guardian::read_signed(signatures, "cancel", batch_id)?)
            .into_iter()
            .filter(|s| s.commitment == commitment)
            .take(quorum)
            .collect();
        if cancels.len() >= quorum {
            let sigs: Vec<u8> = cancels.iter().flat_map(|s| s.signature.to_vec()).collect();
            let call = V::cancelBatchCall {
                batchId: U256::from(batch_id),
                guardianSignatures: sigs.into(),
            };
            let call = Call { to: Some(p.vault), value: U256::ZERO, data: call.abi_encode() };
            l1.send(journal, &format!("cancel batch {batch_id}"), call).await?;
            done.push(batch_id);
        }
    }
    for &(batch_id, commitment) in &pending {
        if done.contains(&batch_id) {
            continue;
        }
        // The nonce now (a deposit moves it on, voiding attestations made before).
        let nonce = view(reader, p.vault, &V::nonceCall {}, None).await?._0;
        let attests: Vec<_> = guardian::read_signed(signatures, "attest", batch_id)?
            .into_iter()
            .filter(|s| s.commitment == commitment && s.nonce == nonce)
            .collect();
        // A quorum over one block (and so one deposit root), the newest such block.
        let mut blocks: Vec<(u64, B256, B256)> =
            attests.iter().map(|s| (s.block_number, s.block_hash, s.deposit_root)).collect();
        blocks.sort_unstable();
        blocks.dedup();
        let group = blocks.into_iter().rev().find_map(|(n, hash, root)| {
            let same = |s: &&guardian::Signed| {
                s.block_number == n && s.block_hash == hash && s.deposit_root == root
            };
            let g = valid(attests.iter().filter(same).cloned().collect());
            (g.len() >= quorum).then(|| g.into_iter().take(quorum).collect::<Vec<_>>())
        });
        let Some(group) = group else {
            println!(
                "depositor: batch {batch_id}: {} attestations, no quorum of {quorum} valid ones over one block yet",
                attests.len()
            );
            continue;
        };
        let Some(keys) = guardian::batch_keys(keys_url, p.vault, commitment).await? else {
            println!("depositor: batch {batch_id}: its keys are unknown to the keys service");
            continue;
        };
        let sigs: Vec<u8> = group.iter().flat_map(|s| s.signature.to_vec()).collect();
        let call = V::depositBatchCall {
            batchId: U256::from(batch_id),
            pubkeys: Bytes::from(keys.iter().flat_map(|(p, _)| *p).collect::<Vec<u8>>()),
            signatures: Bytes::from(keys.iter().flat_map(|(_, s)| *s).collect::<Vec<u8>>()),
            blockNumber: U256::from(group[0].block_number),
            blockHash: group[0].block_hash,
            depositRoot: group[0].deposit_root,
            guardianSignatures: sigs.into(),
        };
        let call = Call { to: Some(p.vault), value: U256::ZERO, data: call.abi_encode() };
        l1.send(journal, &format!("deposit batch {batch_id} ({} keys)", keys.len()), call).await?;
        done.push(batch_id);
        // The deposit moved the deposit contract's root and the vault's nonce: the other
        // batches need fresh attestations.
        println!("depositor: batch {batch_id} deposited; the next batch needs attestations made after it");
        break;
    }
    Ok(done)
}
