//! `lsctl safe exec`: executes a Safe Transaction Builder batch through the governance Safe,
//! one Safe transaction per call (`execTransaction`, operation CALL), each signed by enough
//! owners over the Safe's own EIP-712 hash (`getTransactionHash` at its current nonce).
//!
//! The owners' keys sign locally; any funded account sends. Each call is a step of the
//! journal (`crate::chain`): an interrupted batch resumes at the first call not executed,
//! never executing one twice (the Safe's nonce would refuse it anyway).

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::SolCall;
use staking_common::signing::{address_of, sign_digest, SigningKey};

use crate::{
    abi::ISafe,
    chain::{Call, Chain},
    governance::SafeBatch,
    manifest::ManifestFile,
    CliError,
};

/// The Safe's EIP-712 hash of a CALL with no refund parameters (`getTransactionHash` of Safe
/// 1.3 to 1.5): the domain is the chain id and the Safe; the struct is `SafeTx`.
pub fn safe_tx_hash(
    chain_id: u64,
    safe: Address,
    to: Address,
    value: U256,
    data: &[u8],
    nonce: U256,
) -> B256 {
    use alloy_sol_types::SolValue;
    let domain_typehash = keccak256("EIP712Domain(uint256 chainId,address verifyingContract)");
    let domain = keccak256((domain_typehash, U256::from(chain_id), safe).abi_encode());
    let safe_tx_typehash = keccak256(
        "SafeTx(address to,uint256 value,bytes data,uint8 operation,uint256 safeTxGas,uint256 baseGas,uint256 gasPrice,address gasToken,address refundReceiver,uint256 nonce)",
    );
    let fields = (
        safe_tx_typehash,
        to,
        value,
        keccak256(data),
        U256::ZERO, // operation: CALL
        U256::ZERO,
        U256::ZERO,
        U256::ZERO,
        Address::ZERO,
        Address::ZERO,
        nonce,
    );
    let struct_hash = keccak256(fields.abi_encode());
    keccak256([&[0x19u8, 0x01][..], domain.as_slice(), struct_hash.as_slice()].concat())
}

/// Executes `batch` through `safe`, signed by `owners`; returns how many calls this run
/// executed.
///
/// # Errors
///
/// Too few owner keys for the threshold, a key that is not an owner, a batch for another
/// Safe or chain, or a call that reverts (decoded).
pub async fn exec(
    chain: &Chain,
    journal: &mut ManifestFile,
    safe: Address,
    batch: &SafeBatch,
    owners: &[SigningKey],
) -> Result<usize, CliError> {
    if batch.meta.created_from_safe_address != safe || batch.chain_id != chain.chain_id.to_string()
    {
        return Err(CliError::Usage(format!(
            "the batch is for Safe {} on chain {}, not {safe} on chain {}",
            batch.meta.created_from_safe_address, batch.chain_id, chain.chain_id
        )));
    }
    let word = |out: &Bytes| U256::from_be_slice(out.get(..32).unwrap_or_default());
    let threshold = word(&chain.view(safe, ISafe::getThresholdCall {}.abi_encode()).await?);
    let mut signers: Vec<(Address, &SigningKey)> =
        owners.iter().map(|k| (address_of(k), k)).collect();
    signers.sort_by_key(|(a, _)| *a);
    signers.dedup_by_key(|(a, _)| *a);
    for (owner, _) in &signers {
        let out = chain.view(safe, ISafe::isOwnerCall { owner: *owner }.abi_encode()).await?;
        if word(&out).is_zero() {
            return Err(CliError::Usage(format!("{owner} is not an owner of Safe {safe}")));
        }
    }
    if U256::from(signers.len()) < threshold {
        return Err(CliError::Usage(format!(
            "Safe {safe} needs {threshold} owners' signatures; {} owner keys given",
            signers.len()
        )));
    }
    // The batch's identity: its calls and its creation time (a later batch with the same
    // calls is another batch).
    let id = keccak256(
        [
            serde_json::to_vec(&batch.transactions).unwrap_or_default(),
            batch.created_at.to_be_bytes().to_vec(),
        ]
        .concat(),
    );
    let mut executed = 0;
    for (i, tx) in batch.transactions.iter().enumerate() {
        let step = format!("safe batch {id} call {i}");
        if journal.done(&step).is_some() {
            continue;
        }
        let value: U256 = tx.value.parse().map_err(|_| {
            CliError::Check(format!(
                "call {i} of the batch has the value {:?}, not a number of wei",
                tx.value
            ))
        })?;
        let nonce = word(&chain.view(safe, ISafe::nonceCall {}.abi_encode()).await?);
        let hash_call = ISafe::getTransactionHashCall {
            to: tx.to,
            value,
            data: tx.data.clone(),
            operation: 0,
            safeTxGas: U256::ZERO,
            baseGas: U256::ZERO,
            gasPrice: U256::ZERO,
            gasToken: Address::ZERO,
            refundReceiver: Address::ZERO,
            safeNonce: nonce,
        };
        // The owners sign a hash computed here, never one an endpoint hands over; the Safe's
        // own answer must agree with it.
        let hash = safe_tx_hash(chain.chain_id, safe, tx.to, value, &tx.data, nonce);
        let answered = chain.view(safe, hash_call.abi_encode()).await?;
        if answered.get(..32) != Some(hash.as_slice()) {
            return Err(CliError::Check(format!(
                "the Safe's transaction hash from the endpoint (0x{}) is not the one computed here ({hash}): refusing to sign",
                alloy_primitives::hex::encode(&answered)
            )));
        }
        let signatures: Vec<u8> = signers
            .iter()
            .take(usize::try_from(threshold).unwrap_or(usize::MAX))
            .flat_map(|(_, key)| sign_digest(key, hash))
            .collect();
        let exec = ISafe::execTransactionCall {
            to: tx.to,
            value,
            data: tx.data.clone(),
            operation: 0,
            safeTxGas: U256::ZERO,
            baseGas: U256::ZERO,
            gasPrice: U256::ZERO,
            gasToken: Address::ZERO,
            refundReceiver: Address::ZERO,
            signatures: signatures.into(),
        };
        let call = Call { to: Some(safe), value: U256::ZERO, data: exec.abi_encode() };
        chain.send(journal, &step, call).await?;
        executed += 1;
    }
    Ok(executed)
}
