//! The JSON-RPC methods: parameters in, the node asked, answers in the shapes geth gives
//! (built from alloy's RPC types, so that what alloy, viem and ethers decode is what geth
//! would send).

use std::collections::HashMap;

use alloy_consensus::{
    Receipt as ConsensusReceipt, ReceiptEnvelope, ReceiptWithBloom, TxEnvelope, TxType,
};
use alloy_primitives::{keccak256, Address, Bloom, Bytes, B256, U256};
use alloy_rpc_types_eth::{
    state::StateOverride, Block, BlockId, BlockNumberOrTag, BlockTransactions, FeeHistory, Filter,
    FilterBlockOption, Header, Log as RpcLog, Transaction, TransactionReceipt, TransactionRequest,
};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::{
    node::{CallRequest, Chain, Ledger, Node, Override, TxRecord},
    rpc::{RpcError, METHOD_NOT_FOUND},
};

/// The most blocks one `eth_getLogs` may span.
pub const MAX_LOG_RANGE: u64 = 100_000;
/// The gas limit blocks report.
const BLOCK_GAS_LIMIT: u64 = 60_000_000;

/// The filters of one endpoint (`eth_newFilter`, `eth_newBlockFilter`).
#[derive(Default)]
pub struct Filters {
    next: u64,
    by_id: HashMap<u64, FilterState>,
}

impl std::fmt::Debug for Filters {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Filters")
            .field("next", &self.next)
            .field("count", &self.by_id.len())
            .finish()
    }
}

enum FilterState {
    /// New blocks since `last`.
    Blocks { last: u64 },
    /// Logs matching `filter` in blocks after `last`.
    Logs { filter: Box<Filter>, last: u64 },
}

/// Answers one method on `chain`'s endpoint (on the node's thread).
///
/// # Errors
///
/// The method's error, or [`METHOD_NOT_FOUND`].
pub fn dispatch(
    node: &mut Node,
    chain: Chain,
    method: &str,
    params: Value,
) -> Result<Value, RpcError> {
    let p = Params(params);
    match method {
        "web3_clientVersion" => Ok(json!(format!(
            "liquid-staking-devnet/v{}/{}",
            env!("CARGO_PKG_VERSION"),
            match chain {
                Chain::L1 => "l1",
                Chain::L2 => "l2-stylus",
            }
        ))),
        "web3_sha3" => Ok(json!(keccak256(p.get::<Bytes>(0)?))),
        "net_version" => Ok(json!(node.ledger(chain).chain_id.to_string())),
        "net_listening" => Ok(json!(true)),
        "net_peerCount" => Ok(json!("0x0")),
        "eth_chainId" => Ok(quantity(node.ledger(chain).chain_id)),
        "eth_syncing" | "eth_mining" => Ok(json!(method == "eth_mining")),
        "eth_accounts" => Ok(json!([])),
        "eth_blockNumber" => Ok(quantity(node.latest(chain))),
        "eth_gasPrice" => Ok(json!(node.gas_price(chain))),
        "eth_maxPriorityFeePerGas" => Ok(json!(node.priority_fee(chain))),
        "eth_feeHistory" => fee_history(node, chain, &p),
        "eth_getBalance" => {
            let who = p.get::<Address>(0)?;
            let at = state_block(node, chain, p.opt::<BlockId>(1)?)?;
            Ok(json!(node.at_block(chain, at, |n| n.balance(chain, who))?))
        }
        "eth_getTransactionCount" => {
            let who = p.get::<Address>(0)?;
            let at = state_block(node, chain, p.opt::<BlockId>(1)?)?;
            Ok(quantity(node.at_block(chain, at, |n| n.nonce(chain, who))?))
        }
        "eth_getCode" => {
            let who = p.get::<Address>(0)?;
            let at = state_block(node, chain, p.opt::<BlockId>(1)?)?;
            Ok(json!(node.at_block(chain, at, |n| n.code(chain, who))?))
        }
        "eth_getStorageAt" => {
            let who = p.get::<Address>(0)?;
            let slot = p.get::<U256>(1)?;
            let at = state_block(node, chain, p.opt::<BlockId>(2)?)?;
            Ok(json!(node.at_block(chain, at, |n| n.storage(chain, who, slot))?))
        }
        "eth_call" => {
            let request = call_request(p.get::<TransactionRequest>(0)?);
            if chain == Chain::L2 && request.to == Some(worlds::abi::NODE_INTERFACE) {
                return Ok(json!(node.node_interface(&request.data)?));
            }
            let overrides = p.opt::<StateOverride>(2)?.map(overrides).unwrap_or_default();
            let at = state_block(node, chain, p.opt::<BlockId>(1)?)?;
            Ok(json!(node.at_block(chain, at, |n| n.call(chain, &request, &overrides))??.0))
        }
        "eth_estimateGas" => {
            let request = call_request(p.get::<TransactionRequest>(0)?);
            let at = state_block(node, chain, p.opt::<BlockId>(1)?)?;
            Ok(quantity(node.at_block(chain, at, |n| n.estimate_gas(chain, &request))??))
        }
        "eth_sendRawTransaction" => {
            let raw = p.get::<Bytes>(0)?;
            Ok(json!(node.send_raw(chain, &raw)?))
        }
        "eth_sendTransaction" | "eth_sign" | "eth_signTransaction" | "eth_signTypedData_v4" => {
            Err(RpcError::server(
                "the devnet holds no keys: sign locally and send with eth_sendRawTransaction",
            ))
        }
        "eth_getTransactionByHash" => {
            let hash = p.get::<B256>(0)?;
            let ledger = node.ledger(chain);
            Ok(ledger
                .txs
                .get(&hash)
                .and_then(|r| transaction(ledger, r))
                .map_or(Value::Null, |t| json!(t)))
        }
        "eth_getRawTransactionByHash" => {
            let hash = p.get::<B256>(0)?;
            Ok(node
                .ledger(chain)
                .txs
                .get(&hash)
                .and_then(crate::node::raw_bytes)
                .map_or(Value::Null, |b| json!(b)))
        }
        "eth_getTransactionReceipt" => {
            let hash = p.get::<B256>(0)?;
            let ledger = node.ledger(chain);
            Ok(ledger.txs.get(&hash).map_or(Value::Null, |r| json!(receipt(ledger, r))))
        }
        "eth_getBlockByNumber" => {
            let number = p.get::<BlockNumberOrTag>(0)?;
            let full = p.opt::<bool>(1)?.unwrap_or(false);
            Ok(resolve(node, chain, number).map_or(Value::Null, |n| block(node, chain, n, full)))
        }
        "eth_getBlockByHash" => {
            let hash = p.get::<B256>(0)?;
            let full = p.opt::<bool>(1)?.unwrap_or(false);
            Ok(by_hash(node, chain, hash).map_or(Value::Null, |n| block(node, chain, n, full)))
        }
        "eth_getBlockTransactionCountByNumber" => {
            let number = p.get::<BlockNumberOrTag>(0)?;
            Ok(resolve(node, chain, number)
                .map_or(Value::Null, |n| quantity(node.ledger(chain).block_txs(n).len() as u64)))
        }
        "eth_getBlockReceipts" => {
            let number = p.get::<BlockNumberOrTag>(0)?;
            let ledger = node.ledger(chain);
            Ok(resolve(node, chain, number).map_or(Value::Null, |n| {
                json!(ledger
                    .block_txs(n)
                    .into_iter()
                    .map(|r| receipt(ledger, r))
                    .collect::<Vec<_>>())
            }))
        }
        "eth_getLogs" => {
            let filter = p.get::<Filter>(0)?;
            Ok(json!(logs(node, chain, &filter, None)?))
        }
        "eth_newFilter" | "eth_newBlockFilter" => {
            let latest = node.latest(chain);
            let state = if method == "eth_newFilter" {
                let filter = p.get::<Filter>(0)?;
                let from = match &filter.block_option {
                    FilterBlockOption::Range { from_block: Some(from), .. } => {
                        resolve(node, chain, *from).unwrap_or(latest + 1)
                    }
                    _ => latest + 1,
                };
                FilterState::Logs { filter: Box::new(filter), last: from.saturating_sub(1) }
            } else {
                FilterState::Blocks { last: latest }
            };
            let filters = node.filters_mut(chain);
            filters.next += 1;
            let id = filters.next;
            filters.by_id.insert(id, state);
            Ok(quantity(id))
        }
        "eth_getFilterChanges" | "eth_getFilterLogs" => {
            let id = p.get::<U256>(0)?.saturating_to::<u64>();
            let latest = node.latest(chain);
            let Some(mut state) = node.filters_mut(chain).by_id.remove(&id) else {
                return Err(RpcError::server("filter not found"));
            };
            let answer = match &mut state {
                FilterState::Blocks { last } => {
                    let hashes: Vec<B256> =
                        (*last + 1..=latest).map(|n| node.ledger(chain).block_hash(n)).collect();
                    *last = latest;
                    Ok(json!(hashes))
                }
                FilterState::Logs { filter, last } => {
                    let from = if method == "eth_getFilterLogs" { None } else { Some(*last + 1) };
                    let found = logs(node, chain, filter, from);
                    *last = latest;
                    found.map(|f| json!(f))
                }
            };
            node.filters_mut(chain).by_id.insert(id, state);
            answer
        }
        "eth_uninstallFilter" => {
            let id = p.get::<U256>(0)?.saturating_to::<u64>();
            let filters = node.filters_mut(chain);
            Ok(json!(filters.by_id.remove(&id).is_some()))
        }
        // Development methods (hardhat's and anvil's names).
        "evm_increaseTime" => {
            let seconds = p.get::<U256>(0)?.saturating_to::<u64>();
            Ok(quantity(node.advance_time(seconds)?))
        }
        // The devnet's own: the L1 contracts a deployment needs, and the relay's delays.
        "devnet_info" => {
            let c = &node.worlds.contracts;
            let config = node.worlds.config();
            Ok(json!({
                "l1ChainId": node.l1.chain_id,
                "l2ChainId": node.l2.chain_id,
                "bridge": c.bridge,
                "inbox": c.inbox,
                "outbox": c.outbox,
                "rollup": c.rollup,
                "depositContract": c.deposit_contract,
                "l1ToL2DelaySeconds": config.l1_to_l2_delay_seconds,
                "challengePeriodBlocks": config.challenge_period_blocks,
            }))
        }
        "devnet_exitValidator" => {
            let pubkey = p.get::<Bytes>(0)?;
            let (index, paid) = node.exit_validator(&pubkey)?;
            Ok(json!({ "index": quantity(index), "paid": paid }))
        }
        "evm_mine" => {
            node.advance_time(worlds::l1::SECONDS_PER_BLOCK)?;
            Ok(json!("0x0"))
        }
        _ => Err(RpcError::new(
            METHOD_NOT_FOUND,
            format!("the method {method} does not exist/is not available"),
        )),
    }
}

fn fee_history(node: &Node, chain: Chain, p: &Params) -> Result<Value, RpcError> {
    let count = p.get::<U256>(0)?.saturating_to::<u64>().clamp(1, 1024);
    let newest = p.get::<BlockNumberOrTag>(1)?;
    let percentiles = p.opt::<Vec<f64>>(2)?.unwrap_or_default();
    let newest = resolve(node, chain, newest).ok_or_else(|| RpcError::server("block not found"))?;
    let oldest = newest.saturating_sub(count - 1).max(node.ledger(chain).genesis);
    let ledger = node.ledger(chain);
    let base = |n: u64| {
        ledger.blocks.get(&n).map_or_else(|| node.base_fee(chain).saturating_to(), |b| b.base_fee)
    };
    let mut base_fee_per_gas: Vec<u128> = (oldest..=newest).map(base).collect();
    base_fee_per_gas.push(node.base_fee(chain).saturating_to());
    let gas_used_ratio = (oldest..=newest)
        .map(|n| {
            let used: u64 = ledger.block_txs(n).iter().map(|t| t.gas_used).sum();
            // Both far below 2^52: exact as f64.
            f64::from(u32::try_from(used).unwrap_or(u32::MAX))
                / f64::from(u32::try_from(BLOCK_GAS_LIMIT).unwrap_or(u32::MAX))
        })
        .collect();
    let tip: u128 = node.priority_fee(chain).saturating_to();
    let reward = (!percentiles.is_empty())
        .then(|| (oldest..=newest).map(|_| vec![tip; percentiles.len()]).collect());
    let blocks = usize::try_from(newest - oldest + 1).unwrap_or(usize::MAX);
    Ok(json!(FeeHistory {
        base_fee_per_gas,
        gas_used_ratio,
        base_fee_per_blob_gas: vec![0; blocks + 1],
        blob_gas_used_ratio: vec![0.0; blocks],
        oldest_block: oldest,
        reward,
    }))
}

/// The parameters array.
struct Params(Value);

impl Params {
    fn raw(&self, i: usize) -> Option<&Value> {
        match &self.0 {
            Value::Array(items) => items.get(i).filter(|v| !v.is_null()),
            _ => None,
        }
    }

    fn get<T: DeserializeOwned>(&self, i: usize) -> Result<T, RpcError> {
        self.opt(i)?
            .ok_or_else(|| RpcError::params(format!("missing value for required argument {i}")))
    }

    fn opt<T: DeserializeOwned>(&self, i: usize) -> Result<Option<T>, RpcError> {
        self.raw(i)
            .map(|v| serde_json::from_value(v.clone()))
            .transpose()
            .map_err(|e| RpcError::params(format!("invalid argument {i}: {e}")))
    }
}

fn quantity(n: u64) -> Value {
    json!(format!("{n:#x}"))
}

/// The block a state read names (`None`: the latest); [`Node::at_block`] serves it.
fn state_block(node: &Node, chain: Chain, block: Option<BlockId>) -> Result<Option<u64>, RpcError> {
    Ok(match block {
        None => None,
        Some(BlockId::Number(tag)) => match tag {
            BlockNumberOrTag::Number(n) => Some(n),
            BlockNumberOrTag::Earliest => Some(node.ledger(chain).genesis),
            _ => None,
        },
        Some(BlockId::Hash(h)) => Some(
            by_hash(node, chain, h.block_hash)
                .ok_or_else(|| RpcError::server("header not found"))?,
        ),
    })
}

fn resolve(node: &Node, chain: Chain, tag: BlockNumberOrTag) -> Option<u64> {
    let latest = node.latest(chain);
    let genesis = node.ledger(chain).genesis;
    match tag {
        BlockNumberOrTag::Number(n) => (genesis..=latest).contains(&n).then_some(n),
        BlockNumberOrTag::Earliest => Some(genesis),
        _ => Some(latest),
    }
}

fn by_hash(node: &Node, chain: Chain, hash: B256) -> Option<u64> {
    let ledger = node.ledger(chain);
    if let Some(n) = ledger.blocks.keys().copied().find(|n| ledger.block_hash(*n) == hash) {
        return Some(n);
    }
    // L1's empty blocks: only recent ones are searched.
    let latest = node.latest(chain);
    (latest.saturating_sub(10_000).max(ledger.genesis)..=latest)
        .rev()
        .find(|n| ledger.block_hash(*n) == hash)
}

fn call_request(tx: TransactionRequest) -> CallRequest {
    CallRequest {
        from: tx.from.unwrap_or_default(),
        to: tx.to.and_then(|kind| kind.to().copied()),
        value: tx.value.unwrap_or_default(),
        data: tx.input.into_input().unwrap_or_default(),
        gas: tx.gas,
    }
}

/// geth's state overrides. `stateDiff` sets the slots given; `state` should replace the
/// account's whole storage, which the VM cannot clear: here it sets the slots given, like
/// `stateDiff` (what cargo-stylus and the clients here send uses neither).
fn overrides(set: StateOverride) -> Vec<Override> {
    set.into_iter()
        .map(|(address, o)| Override {
            address,
            balance: o.balance,
            nonce: o.nonce,
            code: o.code,
            slots: o
                .state
                .into_iter()
                .flatten()
                .chain(o.state_diff.into_iter().flatten())
                .map(|(k, v)| (U256::from_be_bytes(k.0), v))
                .collect(),
        })
        .collect()
}

fn rpc_logs(ledger: &Ledger, record: &TxRecord) -> Vec<RpcLog> {
    let block_hash = ledger.block_hash(record.block);
    record
        .logs
        .iter()
        .enumerate()
        .map(|(i, log)| RpcLog {
            inner: log.clone(),
            block_hash: Some(block_hash),
            block_number: Some(record.block),
            block_timestamp: Some(ledger.timestamp(record.block)),
            transaction_hash: Some(record.hash),
            transaction_index: Some(record.index),
            log_index: Some(record.first_log_index + i as u64),
            removed: false,
        })
        .collect()
}

fn bloom(logs: &[alloy_primitives::Log]) -> Bloom {
    let mut bloom = Bloom::default();
    for log in logs {
        bloom.accrue_log(log);
    }
    bloom
}

fn receipt(ledger: &Ledger, record: &TxRecord) -> TransactionReceipt {
    let cumulative: u64 = ledger
        .block_txs(record.block)
        .iter()
        .take_while(|t| t.index <= record.index)
        .map(|t| t.gas_used)
        .sum();
    let inner = ReceiptWithBloom {
        receipt: ConsensusReceipt {
            status: record.success.into(),
            cumulative_gas_used: cumulative,
            logs: rpc_logs(ledger, record),
        },
        logs_bloom: bloom(&record.logs),
    };
    let inner = match record.envelope.as_ref().map_or(TxType::Eip1559, TxEnvelope::tx_type) {
        TxType::Legacy => ReceiptEnvelope::Legacy(inner),
        TxType::Eip2930 => ReceiptEnvelope::Eip2930(inner),
        _ => ReceiptEnvelope::Eip1559(inner),
    };
    TransactionReceipt {
        inner,
        transaction_hash: record.hash,
        transaction_index: Some(record.index),
        block_hash: Some(ledger.block_hash(record.block)),
        block_number: Some(record.block),
        gas_used: record.gas_used,
        effective_gas_price: record.price,
        blob_gas_used: None,
        blob_gas_price: None,
        from: record.from,
        to: record.to,
        contract_address: record.contract_address,
    }
}

fn transaction(ledger: &Ledger, record: &TxRecord) -> Option<Transaction> {
    Some(Transaction {
        inner: record.envelope.clone()?,
        block_hash: Some(ledger.block_hash(record.block)),
        block_number: Some(record.block),
        transaction_index: Some(record.index),
        effective_gas_price: Some(record.price),
        from: record.from,
    })
}

fn block(node: &Node, chain: Chain, number: u64, full: bool) -> Value {
    let ledger = node.ledger(chain);
    let txs = ledger.block_txs(number);
    let base_fee = ledger
        .blocks
        .get(&number)
        .map_or_else(|| node.base_fee(chain).saturating_to::<u128>(), |b| b.base_fee);
    let sends = ledger.blocks.get(&number).and_then(|b| b.sends);
    let all_logs: Vec<alloy_primitives::Log> =
        txs.iter().flat_map(|t| t.logs.iter().cloned()).collect();
    let header = alloy_consensus::Header {
        parent_hash: if number == ledger.genesis {
            B256::ZERO
        } else {
            ledger.block_hash(number - 1)
        },
        ommers_hash: alloy_consensus::constants::EMPTY_OMMER_ROOT_HASH,
        beneficiary: match chain {
            Chain::L1 => worlds::l1::FEE_RECIPIENT,
            Chain::L2 => crate::node::NETWORK_FEE_ACCOUNT,
        },
        state_root: B256::ZERO,
        transactions_root: keccak256(txs.iter().flat_map(|t| t.hash.0).collect::<Vec<u8>>()),
        receipts_root: B256::ZERO,
        logs_bloom: bloom(&all_logs),
        difficulty: U256::ZERO,
        number,
        gas_limit: BLOCK_GAS_LIMIT,
        gas_used: txs.iter().map(|t| t.gas_used).sum(),
        timestamp: ledger.timestamp(number),
        // Arbitrum's header fields: the send root in extraData, the send count and the L1
        // block in mixHash.
        extra_data: sends
            .map_or_else(Bytes::new, |(_, root)| Bytes::copy_from_slice(root.as_slice())),
        mix_hash: sends.map_or(B256::ZERO, |(count, _)| {
            let mut word = [0u8; 32];
            word[..8].copy_from_slice(&count.to_be_bytes());
            word[8..16].copy_from_slice(&node.worlds.l1.block_number().to_be_bytes());
            B256::from(word)
        }),
        nonce: alloy_primitives::B64::ZERO,
        base_fee_per_gas: Some(u64::try_from(base_fee).unwrap_or(u64::MAX)),
        withdrawals_root: None,
        blob_gas_used: None,
        excess_blob_gas: None,
        parent_beacon_block_root: None,
        requests_hash: None,
    };
    let transactions = if full {
        BlockTransactions::Full(txs.iter().filter_map(|r| transaction(ledger, r)).collect())
    } else {
        BlockTransactions::Hashes(txs.iter().map(|r| r.hash).collect())
    };
    let mut rpc_header = Header::new(header);
    rpc_header.hash = ledger.block_hash(number);
    rpc_header.total_difficulty = Some(U256::ZERO);
    rpc_header.size = Some(U256::from(1_000));
    json!(Block { header: rpc_header, uncles: Vec::new(), transactions, withdrawals: None })
}

/// The logs matching `filter` (from block `from` when given, else the filter's own range).
fn logs(
    node: &Node,
    chain: Chain,
    filter: &Filter,
    from: Option<u64>,
) -> Result<Vec<RpcLog>, RpcError> {
    let ledger = node.ledger(chain);
    let latest = node.latest(chain);
    let (start, end) = match &filter.block_option {
        FilterBlockOption::AtBlockHash(hash) => {
            let n = by_hash(node, chain, *hash).ok_or_else(|| RpcError::server("unknown block"))?;
            (n, n)
        }
        FilterBlockOption::Range { from_block, to_block } => {
            let pick = |tag: Option<BlockNumberOrTag>, default: u64| match tag {
                None => default,
                // A range starting past the latest block has no logs yet (a poller asking
                // for latest + 1 must not get the latest block's again).
                Some(BlockNumberOrTag::Number(n)) => n,
                Some(BlockNumberOrTag::Earliest) => ledger.genesis,
                Some(_) => latest,
            };
            (pick(*from_block, latest), pick(*to_block, latest))
        }
    };
    let start = from.map_or(start, |f| f.max(start));
    let end = end.min(latest);
    if start > end {
        return Ok(Vec::new());
    }
    if end >= start && end - start > MAX_LOG_RANGE {
        return Err(RpcError::server(format!("query exceeds max block range {MAX_LOG_RANGE}")));
    }
    let mut out = Vec::new();
    for (_, block) in ledger.blocks.range(start..=end) {
        for hash in &block.txs {
            let Some(record) = ledger.txs.get(hash) else { continue };
            for log in rpc_logs(ledger, record) {
                if log_matches(filter, &log) {
                    out.push(log);
                }
            }
        }
    }
    Ok(out)
}

fn log_matches(filter: &Filter, log: &RpcLog) -> bool {
    if !filter.address.is_empty() && !filter.address.matches(&log.inner.address) {
        return false;
    }
    let topics = log.inner.data.topics();
    filter
        .topics
        .iter()
        .enumerate()
        .all(|(i, set)| set.is_empty() || topics.get(i).is_some_and(|t| set.matches(t)))
}
