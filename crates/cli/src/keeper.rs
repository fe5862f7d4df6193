//! `lsctl keeper execute-sends`: executes L2-to-L1 messages on the Outbox once the challenge
//! period has passed, as Arbitrum's keepers do. Anyone may run it: the Outbox checks
//! everything. Every step uses Arbitrum's own interfaces:
//!
//! 1. **The sends:** ArbSys's `L2ToL1Tx` logs on L2 (`eth_getLogs` at 0x64).
//! 2. **How many sends are confirmed:** the newest L2 block whose send root the Outbox knows
//!    (`Outbox.roots(root) != 0`). Arbitrum's block headers carry the send root in `extraData`
//!    and the send count in `mixHash`'s first 8 bytes.
//! 3. **The proof:** `NodeInterface.constructOutboxProof(size, leaf)`, an `eth_call` to 0xc8
//!    on L2.
//! 4. **Execution:** `Outbox.executeTransaction(proof, index, ...)` on L1, for each confirmed
//!    send that `isSpent` says is not spent yet.
//!
//! Each execution is a journaled step (`crate::chain`), so a rerun executes nothing twice. A
//! send not yet confirmed is listed as waiting; one whose execution reverts is reported and
//! retried on the next pass without holding the others up. `--to` limits the keeper to sends
//! to given L1 addresses (the protocol's vault): on a public network anyone's sends appear in
//! ArbSys's logs, and a keeper need not pay for strangers'.
//!
//! Limits (public networks): logs are read from block 0 and the confirmed root is looked for
//! in the last [`ROOT_SEARCH_BLOCKS`] L2 blocks; a keeper on Arbitrum One would keep a cursor
//! and read the rollup's latest confirmed assertion instead.

use alloy_primitives::{Address, B256, U256};
use alloy_provider::{Provider, RootProvider};
use alloy_rpc_types_eth::{BlockNumberOrTag, BlockTransactionsKind, Filter};
use alloy_sol_types::{SolCall, SolEvent};
use stylus_vm::{arbos::send_merkle::L2ToL1Tx, precompiles::ARB_SYS};
use worlds::abi::{INodeInterface::constructOutboxProofCall, IOutbox, NODE_INTERFACE};

use crate::{
    chain::{Call, Chain},
    manifest::ManifestFile,
    CliError,
};

/// The gas a redeem is sent with: `redeem` donates what its own work leaves to the retry,
/// which must run the ticket's call (the vault's tickets call the pool's `receive`: about
/// 50k), so an estimate (all the gas it is given) says nothing of what it needs.
pub const REDEEM_GAS: u64 = 1_000_000;

/// How many L2 blocks back the confirmed root is looked for.
pub const ROOT_SEARCH_BLOCKS: u64 = 50_000;

/// What a pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    /// Sends executed now.
    pub executed: Vec<u64>,
    /// Sends already executed.
    pub spent: Vec<u64>,
    /// Sends waiting for their root (the challenge period).
    pub waiting: Vec<u64>,
    /// Sends whose execution fails, with why (they are retried on the next pass; one failing
    /// send does not hold the others up).
    pub failed: Vec<(u64, String)>,
}

fn endpoint(label: &str, e: impl std::fmt::Display) -> CliError {
    CliError::Endpoint(format!("{label}: {e}"))
}

/// The number of sends the newest root the Outbox knows covers (0 when none).
async fn confirmed_sends(l2: &RootProvider, l1: &Chain, outbox: Address) -> Result<u64, CliError> {
    let latest = l2.get_block_number().await.map_err(|e| endpoint("l2 eth_blockNumber", e))?;
    let mut last_seen = None;
    for number in (latest.saturating_sub(ROOT_SEARCH_BLOCKS)..=latest).rev() {
        let block = l2
            .get_block_by_number(BlockNumberOrTag::Number(number), BlockTransactionsKind::Hashes)
            .await
            .map_err(|e| endpoint("l2 eth_getBlockByNumber", e))?;
        let Some(block) = block else { continue };
        let header = &block.header;
        let count = u64::from_be_bytes(header.mix_hash.0[..8].try_into().unwrap_or_default());
        if count == 0 || header.extra_data.len() != 32 {
            continue;
        }
        let root = B256::from_slice(&header.extra_data);
        if last_seen == Some(root) {
            continue;
        }
        last_seen = Some(root);
        let known = l1.view(outbox, IOutbox::rootsCall { root }.abi_encode()).await?;
        if known.len() >= 32 && known[..32] != [0u8; 32] {
            return Ok(count);
        }
    }
    Ok(0)
}

/// One pass (see the module docs).
///
/// # Errors
///
/// An endpoint failing, or an execution that reverts (decoded).
pub async fn execute_sends(
    l2: &RootProvider,
    l1: &Chain,
    journal: &mut ManifestFile,
    outbox: Address,
    only_to: &[Address],
) -> Result<Pass, CliError> {
    let filter =
        Filter::new().address(ARB_SYS).event_signature(L2ToL1Tx::SIGNATURE_HASH).from_block(0);
    let logs = l2.get_logs(&filter).await.map_err(|e| endpoint("l2 eth_getLogs", e))?;
    let confirmed = confirmed_sends(l2, l1, outbox).await?;
    let mut pass = Pass::default();
    for log in logs {
        let Ok(send) = L2ToL1Tx::decode_log_data(log.data(), true) else { continue };
        if !only_to.is_empty() && !only_to.contains(&send.destination) {
            continue;
        }
        let index = send.position.saturating_to::<u64>();
        if index >= confirmed {
            pass.waiting.push(index);
            continue;
        }
        let spent =
            l1.view(outbox, IOutbox::isSpentCall { index: send.position }.abi_encode()).await?;
        if spent.len() >= 32 && spent[31] == 1 {
            pass.spent.push(index);
            continue;
        }
        let proof_call = constructOutboxProofCall { size: confirmed, leaf: index }.abi_encode();
        let request = alloy_rpc_types_eth::TransactionRequest::default()
            .to(NODE_INTERFACE)
            .input(proof_call.into());
        let out = l2
            .call(&request)
            .await
            .map_err(|e| endpoint("l2 NodeInterface.constructOutboxProof", e))?;
        let proof = constructOutboxProofCall::abi_decode_returns(&out, true)
            .map_err(|e| endpoint("NodeInterface's answer", e))?
            .proof;
        let execute = IOutbox::executeTransactionCall {
            proof,
            index: send.position,
            l2Sender: send.caller,
            to: send.destination,
            l2Block: send.arbBlockNum,
            l1Block: send.ethBlockNum,
            l2Timestamp: send.timestamp,
            value: send.callvalue,
            data: send.data.clone(),
        };
        let call = Call { to: Some(outbox), value: U256::ZERO, data: execute.abi_encode() };
        match l1.send(journal, &format!("execute send {index}"), call).await {
            Ok(_) => pass.executed.push(index),
            Err(e @ (CliError::Reverted(_) | CliError::Refused(_))) => {
                println!("keeper: send {index} fails: {e}");
                pass.failed.push((index, e.to_string()));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(pass)
}

// ---------------------------------------------------------------------- the vault's ether

/// `lsctl keeper bridge`: sends the vault's free ether (consensus-layer withdrawals, rewards,
/// cancelled batches) back to the L2 pool with `bridgeToL2()` when it is at least the vault's
/// minimum after the ticket's fee; the amount bridged (`None`: not enough).
///
/// # Errors
///
/// The endpoint failing or the call reverting.
pub async fn bridge(
    l1: &Chain,
    journal: &mut ManifestFile,
    vault: Address,
) -> Result<Option<U256>, CliError> {
    use l1_vault::StakingVault as V;

    use crate::protocol::view;
    let free = view(&l1.provider, vault, &V::freeBalanceCall {}, None).await?._0;
    let fee = view(&l1.provider, vault, &V::ticketFeeCall {}, None).await?.fee;
    let min =
        U256::from(view(&l1.provider, vault, &V::bridgeParamsCall {}, None).await?._0.minAmount);
    let amount = free.saturating_sub(fee);
    if amount.is_zero() || amount < min {
        println!(
            "keeper: the vault holds {free} wei free (fee {fee}, minimum {min}): nothing to bridge"
        );
        return Ok(None);
    }
    let bridged = view(&l1.provider, vault, &V::bridgedToL2Call {}, None).await?._0;
    let call = Call { to: Some(vault), value: U256::ZERO, data: V::bridgeToL2Call {}.abi_encode() };
    l1.send(journal, &format!("bridge {amount} wei to L2 (bridged before: {bridged})"), call)
        .await?;
    Ok(Some(amount))
}

/// `lsctl keeper redeem`: redeems every retryable ticket still alive on L2 (its automatic
/// redeem failed: `ArbRetryableTx.getTimeout` answers for it), of the beneficiaries given
/// (none: every ticket), created from L2 block `from` on (the deployment's first), with
/// `ArbRetryableTx.redeem`; the tickets redeemed.
///
/// # Errors
///
/// The endpoint failing.
pub async fn redeem(
    l2: &Chain,
    journal: &mut ManifestFile,
    beneficiaries: &[Address],
    from: u64,
) -> Result<Vec<B256>, CliError> {
    use stylus_vm::arbos::retryables::{
        getBeneficiaryCall, getTimeoutCall, redeemCall, TicketCreated, ARB_RETRYABLE_TX,
    };

    use crate::protocol::view;
    let filter =
        Filter::new().address(ARB_RETRYABLE_TX).event_signature(TicketCreated::SIGNATURE_HASH);
    let logs = crate::protocol::logs(&l2.provider, &filter, from).await?;
    let mut done = Vec::new();
    for log in logs {
        let Some(ticket) = log.topics().get(1).copied() else { continue };
        // A ticket redeemed or expired is gone: the view reverts.
        if view(&l2.provider, ARB_RETRYABLE_TX, &getTimeoutCall { ticketId: ticket }, None)
            .await
            .is_err()
        {
            continue;
        }
        if !beneficiaries.is_empty() {
            let b = view(
                &l2.provider,
                ARB_RETRYABLE_TX,
                &getBeneficiaryCall { ticketId: ticket },
                None,
            )
            .await?
            ._0;
            if !beneficiaries.contains(&b) {
                continue;
            }
        }
        let call = Call {
            to: Some(ARB_RETRYABLE_TX),
            value: U256::ZERO,
            data: redeemCall { ticketId: ticket }.abi_encode(),
        };
        // Named by the L2 block as well: a redeem whose retry failed leaves the ticket alive,
        // and a later pass may redeem it again.
        let latest =
            l2.provider.get_block_number().await.map_err(|e| endpoint("l2 eth_blockNumber", e))?;
        let step = format!("redeem ticket {ticket} at L2 block {latest}");
        match l2.send_with_gas(journal, &step, call, REDEEM_GAS).await {
            Ok(_) => done.push(ticket),
            Err(e @ (CliError::Reverted(_) | CliError::Refused(_))) => {
                println!("keeper: ticket {ticket} cannot be redeemed now: {e}");
            }
            Err(e) => return Err(e),
        }
    }
    Ok(done)
}
