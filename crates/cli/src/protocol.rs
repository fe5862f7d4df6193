//! A deployment as the operators' software reads it: the contracts' addresses from the
//! manifest `lsctl deploy` wrote, and typed read-only calls at the latest block or at a given
//! one (the committee reads at its reference slot's blocks).

use std::path::Path;

use alloy_primitives::{Address, U256};
use alloy_provider::{Provider, RootProvider};
use alloy_rpc_types_eth::{BlockId, Filter, Log, TransactionRequest};
use alloy_sol_types::SolCall;

use crate::{manifest::ManifestFile, CliError};

/// The contracts of a deployment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Protocol {
    /// The staking pool (core program).
    pub pool: Address,
    /// The withdrawal queue.
    pub queue: Address,
    /// The node operator registry.
    pub registry: Address,
    /// The accounting oracle.
    pub oracle: Address,
    /// The L1 vault.
    pub vault: Address,
    /// L2's chain id.
    pub l2_chain_id: u64,
    /// L1's chain id.
    pub l1_chain_id: u64,
    /// L1's block of the deployment's first L1 transaction: where log searches start.
    pub l1_from_block: u64,
    /// L2's block of the deployment's first L2 transaction.
    pub l2_from_block: u64,
}

impl Protocol {
    /// Reads the addresses from a complete manifest.
    ///
    /// # Errors
    ///
    /// An unreadable manifest, or one of a deployment that did not complete.
    pub fn from_manifest(path: &Path) -> Result<Self, CliError> {
        let m = ManifestFile::open(path)?.manifest;
        if !m.complete {
            return Err(CliError::Manifest(format!(
                "{} is of a deployment that did not complete: run lsctl deploy again",
                path.display()
            )));
        }
        let get = |name: &str| {
            m.contracts
                .get(name)
                .copied()
                .ok_or_else(|| CliError::Manifest(format!("{} has no {name}", path.display())))
        };
        Ok(Self {
            pool: get("staking-pool")?,
            queue: get("withdrawal-queue")?,
            registry: get("node-operator-registry")?,
            oracle: get("accounting-oracle")?,
            vault: get("l1-vault")?,
            l2_chain_id: m.l2_chain_id,
            l1_chain_id: m.l1_chain_id,
            l1_from_block: m
                .steps
                .iter()
                .filter(|s| s.chain == "l1" && s.block > 0)
                .map(|s| s.block)
                .min()
                .unwrap_or_default(),
            l2_from_block: m
                .steps
                .iter()
                .filter(|s| s.chain == "l2" && s.block > 0)
                .map(|s| s.block)
                .min()
                .unwrap_or_default(),
        })
    }
}

/// A provider for `url` (no key: reads only).
///
/// # Errors
///
/// A malformed URL.
pub fn reader(label: &str, url: &str) -> Result<RootProvider, CliError> {
    let parsed =
        url.parse().map_err(|e| CliError::Usage(format!("--{label} {url:?} is not a URL: {e}")))?;
    Ok(alloy_provider::ProviderBuilder::default().on_http(parsed))
}

/// `call` on `to` at `block` (`None`: the latest), decoded.
///
/// # Errors
///
/// The endpoint failing or refusing the block (a pruned state), a revert, or an answer that
/// does not decode.
pub async fn view<C: SolCall>(
    p: &RootProvider,
    to: Address,
    call: &C,
    block: Option<u64>,
) -> Result<C::Return, CliError> {
    let request = TransactionRequest::default().to(to).input(call.abi_encode().into());
    let mut pending = p.call(&request);
    if let Some(n) = block {
        pending = pending.block(BlockId::number(n));
    }
    let out = pending.await.map_err(|e| {
        CliError::Endpoint(format!(
            "eth_call {} on {to}{}: {e}",
            std::any::type_name::<C>().rsplit("::").next().unwrap_or_default(),
            block.map(|n| format!(" at block {n}")).unwrap_or_default()
        ))
    })?;
    C::abi_decode_returns(&out, true)
        .map_err(|e| CliError::Endpoint(format!("an answer from {to} that does not decode: {e}")))
}

/// `who`'s balance at `block` (`None`: the latest).
///
/// # Errors
///
/// The endpoint failing or refusing the block.
pub async fn balance(p: &RootProvider, who: Address, block: Option<u64>) -> Result<U256, CliError> {
    let mut pending = p.get_balance(who);
    if let Some(n) = block {
        pending = pending.block_id(BlockId::number(n));
    }
    pending.await.map_err(|e| CliError::Endpoint(format!("eth_getBalance {who}: {e}")))
}

/// The logs `filter` matches from block `from` to the latest, read in windows of
/// [`LOG_WINDOW`] blocks (nodes cap a query's range).
///
/// # Errors
///
/// The endpoint failing.
pub async fn logs(p: &RootProvider, filter: &Filter, from: u64) -> Result<Vec<Log>, CliError> {
    let latest = p
        .get_block_number()
        .await
        .map_err(|e| CliError::Endpoint(format!("eth_blockNumber: {e}")))?;
    logs_until(p, filter, from, latest).await
}

/// [`logs`] from block `from` to block `latest`.
///
/// # Errors
///
/// The endpoint failing.
pub async fn logs_until(
    p: &RootProvider,
    filter: &Filter,
    from: u64,
    latest: u64,
) -> Result<Vec<Log>, CliError> {
    let mut out = Vec::new();
    let mut start = from;
    while start <= latest {
        let end = (start + LOG_WINDOW - 1).min(latest);
        let f = filter.clone().from_block(start).to_block(end);
        out.extend(
            p.get_logs(&f).await.map_err(|e| CliError::Endpoint(format!("eth_getLogs: {e}")))?,
        );
        start = end + 1;
    }
    Ok(out)
}

/// The blocks one `eth_getLogs` asks for.
pub const LOG_WINDOW: u64 = 50_000;
