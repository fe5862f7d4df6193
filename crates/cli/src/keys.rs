//! `lsctl keys-service`: serves the registry's committed keys and their Merkle proofs over
//! HTTP, as Lido's Keys API serves its registry's keys. The depositor builds its deposit data
//! from it and the guardians read the keys of the batches they attest.
//!
//! ## Where the keys come from
//!
//! The registry keeps a Merkle root per key batch, not the keys: `KeysCommitted(operatorId,
//! batch, firstIndex, count, root)` names a batch. The service reads each event's transaction
//! (`eth_getTransactionByHash`): a direct `commitKeys(operatorId, pubkeys, signatures)` holds
//! the keys, which are checked against the event's root. A batch committed by root alone
//! (`commitKeyRoot`, `lsctl operator commit-keys --by-root`) waits for its operator to
//! publish the key file (`POST /v1/operators/{id}/keys`, body: the deposit CLI's JSON, found
//! by its root; or `.../batches/{batch}`; `lsctl operator publish-keys`), which is checked
//! against the root the same way. `KeysRemoved` lowers a
//! batch's end. `KeysDeposited(count, allocation)` (6 bytes per key: operator id, key index)
//! says which keys each deposit used.
//!
//! The tree: leaf `keccak256(pubkey ‖ signature)`, leaves padded with zero words to a power
//! of two, node `keccak256(left ‖ right)` (the registry's `keys.rs`).
//!
//! ## Endpoints (JSON)
//!
//! - `GET /v1/status`: the L2 block indexed, batches, keys, keys missing their file.
//! - `GET /v1/keys`, `GET /v1/operators/{id}/keys`: keys (operator, index, pubkey, used).
//! - `GET /v1/keys/{operator}/{index}`: a key with its signature, batch, start, end and proof.
//! - `GET /v1/deposits`: the pool's deposits in order, each with its keys.
//! - `POST /v1/operators/{id}/keys` (or `.../batches/{batch}`): publishes a root-committed
//!   batch's file.

use std::sync::{Arc, Mutex};

use alloy_primitives::{hex, Address, B256};
use alloy_provider::{Provider, RootProvider};
use alloy_rpc_types_eth::Filter;
use alloy_sol_types::{SolCall, SolEvent};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use staking_common::key_tree;

use crate::{
    abi::INodeOperatorRegistry::{commitKeysCall, KeysCommitted, KeysDeposited, KeysRemoved},
    CliError,
};

/// A committed key batch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
    /// The operator.
    pub operator: u64,
    /// The batch number.
    pub batch: u64,
    /// Its first key index.
    pub start: u32,
    /// One past its last valid key (lowered by a removal).
    pub end: u32,
    /// The count committed.
    pub count: u32,
    /// The root.
    pub root: B256,
    /// `(pubkey, signature)` from `start`; empty until known.
    pub keys: Vec<(Vec<u8>, Vec<u8>)>,
    /// Whether the keys came from the commit's calldata (not a published file).
    pub from_calldata: bool,
}

/// One key as served.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Key {
    /// The operator.
    pub operator_id: u64,
    /// The key's index in the operator's list.
    pub index: u32,
    /// `0x` + 48 bytes.
    pub pubkey: String,
    /// `0x` + 96 bytes.
    pub signature: String,
    /// Its batch.
    pub batch: u64,
    /// The batch's start.
    pub start: u32,
    /// The batch's end.
    pub end: u32,
    /// Siblings, bottom-up.
    pub proof: Vec<B256>,
    /// Whether a deposit used it.
    pub used: bool,
}

/// A pool deposit and its keys.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deposit {
    /// The L2 transaction.
    pub tx: B256,
    /// `(operator, index)` of each key, in order.
    pub keys: Vec<(u64, u32)>,
}

/// What the service knows.
#[derive(Clone, Debug, Default)]
pub struct Index {
    /// The L2 block read up to.
    pub block: u64,
    /// The batches.
    pub batches: Vec<Batch>,
    /// The deposits.
    pub deposits: Vec<Deposit>,
}

/// The registry's tree over `keys` (`staking_common::key_tree`).
fn levels(keys: &[(Vec<u8>, Vec<u8>)]) -> Vec<Vec<B256>> {
    key_tree::levels(keys.iter().map(|(p, s)| key_tree::leaf(p, s)).collect())
}

/// The root the registry computes over `keys`.
pub fn merkle_root(keys: &[(Vec<u8>, Vec<u8>)]) -> B256 {
    key_tree::root(&levels(keys))
}

impl Batch {
    /// Key `index`'s proof.
    fn proof(&self, index: u32) -> Vec<B256> {
        key_tree::proof(&levels(&self.keys), (index - self.start) as usize)
    }
}

impl Index {
    /// Key `index` of `operator`, with its proof (`None`: unknown, or its file unpublished).
    pub fn key(&self, operator: u64, index: u32) -> Option<Key> {
        let b = self
            .batches
            .iter()
            .find(|b| b.operator == operator && b.start <= index && index < b.end)?;
        let (pubkey, signature) = b.keys.get((index - b.start) as usize)?;
        let used = self.deposits.iter().any(|d| d.keys.contains(&(operator, index)));
        Some(Key {
            operator_id: operator,
            index,
            pubkey: format!("0x{}", hex::encode(pubkey)),
            signature: format!("0x{}", hex::encode(signature)),
            batch: b.batch,
            start: b.start,
            end: b.end,
            proof: b.proof(index),
            used,
        })
    }

    /// Every key known (of `operator` only, when given).
    pub fn keys(&self, operator: Option<u64>) -> Vec<Key> {
        self.batches
            .iter()
            .filter(|b| operator.is_none_or(|o| o == b.operator))
            .flat_map(|b| (b.start..b.end).filter_map(|i| self.key(b.operator, i)))
            .collect()
    }

    /// Publishes a root-committed batch's keys, checked against its root.
    ///
    /// # Errors
    ///
    /// An unknown batch, or keys whose root is not the batch's.
    pub fn publish(
        &mut self,
        operator: u64,
        batch: Option<u64>,
        keys: Vec<(Vec<u8>, Vec<u8>)>,
    ) -> Result<u64, String> {
        // The newest batch of that number (the registry reuses a number after a removal), or
        // without a number the one whose root these keys make.
        let root = merkle_root(&keys);
        let b = self
            .batches
            .iter_mut()
            .rev()
            .find(|b| b.operator == operator && batch.map_or(b.root == root, |n| b.batch == n))
            .ok_or_else(|| match batch {
                Some(n) => format!("operator {operator} has no batch {n}"),
                None => format!("operator {operator} committed no batch with root {root}"),
            })?;
        if keys.len() != b.count as usize || root != b.root {
            return Err(format!(
                "these {} keys are not batch {}'s: its root is {} over {} keys",
                keys.len(),
                b.batch,
                b.root,
                b.count
            ));
        }
        b.keys = keys;
        Ok(b.batch)
    }
}

fn endpoint(e: impl std::fmt::Display) -> CliError {
    CliError::Endpoint(format!("l2: {e}"))
}

/// Reads the registry's events from block `from` (the deployment's first L2 block) into a
/// fresh index, keeping the files `old` had published.
///
/// # Errors
///
/// The endpoint failing.
pub async fn index(
    l2: &RootProvider,
    registry: Address,
    from: u64,
    old: &Index,
) -> Result<Index, CliError> {
    let block = l2.get_block_number().await.map_err(endpoint)?;
    let filter = Filter::new().address(registry);
    let logs = crate::protocol::logs_until(l2, &filter, from, block).await?;
    let mut out = Index { block, ..Index::default() };
    for log in logs {
        let topic = log.topic0().copied().unwrap_or_default();
        if topic == KeysCommitted::SIGNATURE_HASH {
            let Ok(e) = KeysCommitted::decode_log_data(log.data(), true) else { continue };
            let (operator, start, count) = (
                e.operatorId.saturating_to::<u64>(),
                e.firstIndex.saturating_to::<u32>(),
                e.count.saturating_to::<u32>(),
            );
            let mut batch = Batch {
                operator,
                batch: e.batch.saturating_to(),
                start,
                end: start.saturating_add(count),
                count,
                root: e.root,
                keys: Vec::new(),
                from_calldata: false,
            };
            if let Some(hash) = log.transaction_hash {
                let tx = l2.get_transaction_by_hash(hash).await.map_err(endpoint)?;
                let input = tx.map(|t| alloy_consensus::Transaction::input(&t.inner).clone());
                if let Some(Ok(call)) = input.map(|i| commitKeysCall::abi_decode(&i, true)) {
                    let keys: Vec<(Vec<u8>, Vec<u8>)> = call
                        .pubkeys
                        .chunks(48)
                        .zip(call.signatures.chunks(96))
                        .map(|(p, s)| (p.to_vec(), s.to_vec()))
                        .collect();
                    if merkle_root(&keys) == e.root {
                        batch.keys = keys;
                        batch.from_calldata = true;
                    }
                }
            }
            if batch.keys.is_empty() {
                if let Some(known) = old.batches.iter().find(|b| {
                    b.operator == operator && b.batch == batch.batch && b.root == batch.root
                }) {
                    batch.keys.clone_from(&known.keys);
                }
            }
            out.batches.push(batch);
        } else if topic == KeysRemoved::SIGNATURE_HASH {
            let Ok(e) = KeysRemoved::decode_log_data(log.data(), true) else { continue };
            let (operator, from) =
                (e.operatorId.saturating_to::<u64>(), e.fromIndex.saturating_to::<u32>());
            for b in out.batches.iter_mut().filter(|b| b.operator == operator && b.end > from) {
                b.end = from.max(b.start);
            }
        } else if topic == KeysDeposited::SIGNATURE_HASH {
            let Ok(e) = KeysDeposited::decode_log_data(log.data(), true) else { continue };
            let keys = e
                .allocation
                .chunks_exact(6)
                .map(|c| {
                    (
                        u64::from(u16::from_be_bytes([c[0], c[1]])),
                        u32::from_be_bytes([c[2], c[3], c[4], c[5]]),
                    )
                })
                .collect();
            out.deposits.push(Deposit { tx: log.transaction_hash.unwrap_or_default(), keys });
        }
    }
    Ok(out)
}

/// The packed entry of a key for `depositBufferedEther`: pubkey, signature, batch (2 bytes),
/// start (4), end (4), the order hint (2), the proof's depth (1) and the proof.
///
/// # Errors
///
/// A key whose fields are not what they should be.
pub fn deposit_entry(key: &Key, hint: u16) -> Result<Vec<u8>, CliError> {
    let bad = |what: &str| {
        CliError::Check(format!("the keys service's key {}/{}: {what}", key.operator_id, key.index))
    };
    let pubkey = hex::decode(&key.pubkey).map_err(|_| bad("pubkey"))?;
    let signature = hex::decode(&key.signature).map_err(|_| bad("signature"))?;
    if pubkey.len() != 48 || signature.len() != 96 {
        return Err(bad("lengths"));
    }
    let mut out = Vec::with_capacity(157 + 32 * key.proof.len());
    out.extend_from_slice(&pubkey);
    out.extend_from_slice(&signature);
    out.extend_from_slice(&u16::try_from(key.batch).map_err(|_| bad("batch"))?.to_be_bytes());
    out.extend_from_slice(&key.start.to_be_bytes());
    out.extend_from_slice(&key.end.to_be_bytes());
    out.extend_from_slice(&hint.to_be_bytes());
    out.push(u8::try_from(key.proof.len()).map_err(|_| bad("proof"))?);
    for sibling in &key.proof {
        out.extend_from_slice(sibling.as_slice());
    }
    Ok(out)
}

/// The service's answer to one request.
pub fn answer(index: &Mutex<Index>, request: &devnet::http::Request) -> devnet::http::Response {
    use devnet::http::Response;
    let parts: Vec<&str> = request.path().trim_matches('/').split('/').collect();
    let Ok(mut ix) = index.lock() else { return Response::error(500, "the index is poisoned") };
    let num = |s: &str| s.parse::<u64>().ok();
    match (request.method.as_str(), parts.as_slice()) {
        ("GET", ["v1", "status"]) => {
            let keys: usize = ix.batches.iter().map(|b| (b.end - b.start) as usize).sum();
            let missing =
                ix.batches.iter().filter(|b| b.keys.is_empty() && b.end > b.start).count();
            Response::json(
                200,
                &json!({ "block": ix.block, "batches": ix.batches.len(), "keys": keys, "batchesWithoutFile": missing }),
            )
        }
        ("GET", ["v1", "keys"]) => Response::json(200, &json!(ix.keys(None))),
        ("GET", ["v1", "operators", id, "keys"]) => match num(id) {
            Some(id) => Response::json(200, &json!(ix.keys(Some(id)))),
            None => Response::error(400, "an operator id is a number"),
        },
        ("GET", ["v1", "keys", op, index]) => match (num(op), index.parse::<u32>().ok()) {
            (Some(op), Some(index)) => match ix.key(op, index) {
                Some(key) => Response::json(200, &json!(key)),
                None => Response::error(404, &format!("no key {op}/{index} with a known file")),
            },
            _ => Response::error(400, "GET /v1/keys/{operator}/{index}"),
        },
        ("GET", ["v1", "deposits"]) => Response::json(200, &json!(ix.deposits)),
        ("POST", ["v1", "operators", id, "keys"]) => publish_route(&mut ix, num(id), None, request),
        ("POST", ["v1", "operators", id, "batches", batch]) => match num(batch) {
            Some(batch) => publish_route(&mut ix, num(id), Some(batch), request),
            None => Response::error(400, "a batch is a number"),
        },
        _ => Response::error(404, &format!("no route {} {}", request.method, request.path())),
    }
}

fn publish_route(
    ix: &mut Index,
    id: Option<u64>,
    batch: Option<u64>,
    request: &devnet::http::Request,
) -> devnet::http::Response {
    use devnet::http::Response;
    let Some(id) = id else { return Response::error(400, "an operator id is a number") };
    let Ok(entries) = serde_json::from_slice::<Vec<Value>>(&request.body) else {
        return Response::error(400, "the body is a deposit data file (a JSON list)");
    };
    let field =
        |e: &Value, f: &str| e[f].as_str().and_then(|s| hex::decode(s).ok()).unwrap_or_default();
    let keys = entries.iter().map(|e| (field(e, "pubkey"), field(e, "signature"))).collect();
    match ix.publish(id, batch, keys) {
        Ok(batch) => Response::json(200, &json!({ "published": true, "batch": batch })),
        Err(e) => Response::error(400, &e),
    }
}

/// A published batch as the store keeps it.
#[derive(Serialize, Deserialize)]
struct Stored {
    operator: u64,
    batch: u64,
    root: B256,
    pubkeys: Vec<String>,
    signatures: Vec<String>,
}

/// The published files kept in `store` (none when it does not exist yet), as an index whose
/// batches [`index`] takes the keys of.
fn load(store: &std::path::Path) -> Result<Index, CliError> {
    let Ok(text) = std::fs::read(store) else { return Ok(Index::default()) };
    let stored: Vec<Stored> = serde_json::from_slice(&text)
        .map_err(|e| CliError::Usage(format!("{}: {e}", store.display())))?;
    let batches = stored
        .into_iter()
        .map(|b| Batch {
            operator: b.operator,
            batch: b.batch,
            start: 0,
            end: 0,
            count: 0,
            root: b.root,
            from_calldata: false,
            keys: b
                .pubkeys
                .iter()
                .zip(&b.signatures)
                .map(|(p, s)| {
                    (hex::decode(p).unwrap_or_default(), hex::decode(s).unwrap_or_default())
                })
                .collect(),
        })
        .collect();
    Ok(Index { batches, ..Index::default() })
}

/// Writes the keys of the batches whose keys are not in calldata (the published ones).
fn save(store: &std::path::Path, ix: &Index) -> Result<(), CliError> {
    let stored: Vec<Stored> = ix
        .batches
        .iter()
        .filter(|b| !b.keys.is_empty() && !b.from_calldata)
        .map(|b| Stored {
            operator: b.operator,
            batch: b.batch,
            root: b.root,
            pubkeys: b.keys.iter().map(|(p, _)| format!("0x{}", hex::encode(p))).collect(),
            signatures: b.keys.iter().map(|(_, s)| format!("0x{}", hex::encode(s))).collect(),
        })
        .collect();
    let text = serde_json::to_vec_pretty(&stored).map_err(|e| CliError::Usage(e.to_string()))?;
    std::fs::write(store, text).map_err(|e| CliError::Usage(format!("{}: {e}", store.display())))
}

/// Runs the service on `addr` until the process ends, re-reading the chain every
/// `interval`; published files are kept in `store` (a JSON file) across restarts.
///
/// # Errors
///
/// The first read failing, or the address taken.
pub async fn serve(
    l2: RootProvider,
    registry: Address,
    from: u64,
    addr: std::net::SocketAddr,
    interval: std::time::Duration,
    store: std::path::PathBuf,
) -> Result<(), CliError> {
    let kept = load(&store)?;
    let state = Arc::new(Mutex::new(index(&l2, registry, from, &kept).await?));
    let handler: devnet::http::Handler = {
        let state = Arc::clone(&state);
        Arc::new(move |r: &devnet::http::Request| {
            let answer = answer(&state, r);
            // A file published is written down at once: a restarted service still has it.
            if r.method == "POST" && answer.status == 200 {
                if let Ok(g) = state.lock() {
                    if let Err(e) = save(&store, &g) {
                        eprintln!("keys service: {e}");
                        return devnet::http::Response::error(500, &e.to_string());
                    }
                }
            }
            answer
        })
    };
    let server = devnet::http::Server::bind(addr, handler)
        .map_err(|e| CliError::Usage(format!("cannot listen on {addr}: {e}")))?;
    println!("keys service: http://{}", server.addr());
    loop {
        tokio::time::sleep(interval).await;
        let old = state.lock().map(|g| g.clone()).unwrap_or_default();
        match index(&l2, registry, from, &old).await {
            Ok(mut new) => {
                if let Ok(mut g) = state.lock() {
                    // Files published while the chain was read are kept.
                    for b in new.batches.iter_mut().filter(|b| b.keys.is_empty()) {
                        if let Some(known) = g.batches.iter().find(|k| {
                            k.operator == b.operator && k.batch == b.batch && k.root == b.root
                        }) {
                            b.keys.clone_from(&known.keys);
                        }
                    }
                    *g = new;
                }
            }
            Err(e) => eprintln!("keys service: {e}"),
        }
    }
}

/// A keys service client: key `operator/index` (`None`: unknown).
///
/// # Errors
///
/// The service failing.
pub async fn fetch_key(url: &str, operator: u64, index: u32) -> Result<Option<Key>, CliError> {
    let got = get(url, &format!("/v1/keys/{operator}/{index}")).await?;
    got.map(|v| {
        serde_json::from_value(v).map_err(|e| CliError::Endpoint(format!("keys service: {e}")))
    })
    .transpose()
}

/// Operator `id`'s keys the service knows.
///
/// # Errors
///
/// The service failing.
pub async fn fetch_operator_keys(url: &str, id: u64) -> Result<Vec<Key>, CliError> {
    let got = get(url, &format!("/v1/operators/{id}/keys")).await?.unwrap_or_default();
    serde_json::from_value(got).map_err(|e| CliError::Endpoint(format!("keys service: {e}")))
}

/// The deposits the service knows.
///
/// # Errors
///
/// The service failing.
pub async fn fetch_deposits(url: &str) -> Result<Vec<Deposit>, CliError> {
    let got = get(url, "/v1/deposits").await?.unwrap_or_default();
    serde_json::from_value(got).map_err(|e| CliError::Endpoint(format!("keys service: {e}")))
}

async fn get(url: &str, path: &str) -> Result<Option<Value>, CliError> {
    let full = format!("{}{path}", url.trim_end_matches('/'));
    let r = reqwest::get(&full)
        .await
        .map_err(|e| CliError::Endpoint(format!("keys service {full}: {e}")))?;
    if r.status().as_u16() == 404 {
        return Ok(None);
    }
    let ok = r.status().is_success();
    let body =
        r.bytes().await.map_err(|e| CliError::Endpoint(format!("keys service {full}: {e}")))?;
    if !ok {
        return Err(CliError::Endpoint(format!(
            "keys service {full}: {}",
            String::from_utf8_lossy(&body)
        )));
    }
    serde_json::from_slice(&body)
        .map(Some)
        .map_err(|e| CliError::Endpoint(format!("keys service {full}: {e}")))
}
