//! A beacon API over the L1 world's validators: what the oracle committee's daemon reads
//! (`lsctl committee`), in the shapes of the standard Beacon Node API (`/eth/v1/...`), served
//! on a third loopback port.
//!
//! ## The stand-in beacon chain
//!
//! Nothing here runs a consensus client. The chain is computed from the L1 world:
//!
//! - **Clock:** slot `s` starts at `genesis_time + 12 s`; the head is the slot of L1's latest
//!   block (L1's blocks fall one second into their slots), the finalized checkpoint two epochs
//!   behind it, as on a healthy mainnet.
//! - **Validators:** one per public key of the deposit contract's `DepositEvent`s, indexed in
//!   deposit order; a second deposit to a key tops it up. A validator is `pending_queued` from
//!   its deposit's slot and `active_ongoing` from the second epoch boundary after it.
//! - **Balances:** the deposits, plus [`BeaconConfig::reward_gwei_per_epoch`] for every
//!   epoch active (3% a year on 32 ether by default), so a report's balance grows day by day.
//!   Nothing is skimmed. A validator exits when a test or a person says so
//!   (`devnet_exitValidator(pubkey)` on either endpoint): its balance is paid at once to its
//!   withdrawal credentials' address on L1 (the vault), and from that slot it is
//!   `withdrawal_done` with no balance.
//! - **States of past slots** are computed from the same events, so the state at a reference
//!   slot is exact however late it is read.
//!
//! ## Endpoints
//!
//! `GET /eth/v1/beacon/genesis`, `/eth/v1/config/spec`, `/eth/v1/node/version`,
//! `/eth/v1/node/syncing`, `/eth/v1/beacon/headers/{block_id}`,
//! `/eth/v2/beacon/blocks/{block_id}` (the slot and its execution payload's block number,
//! hash and time), `/eth/v1/beacon/states/{state_id}/finality_checkpoints` and
//! `/eth/v1/beacon/states/{state_id}/validators` (`?id=` pubkeys or indices, comma-separated;
//! `?status=`). `block_id`/`state_id`: `head`, `finalized`, `justified`, `genesis` or a slot;
//! roots are answered 400. A slot past the head is 404, as is a slot without an L1 block.
//! Numbers are decimal strings, as the API gives them.

use alloy_primitives::{hex, keccak256, B256};
use serde_json::{json, Value};
use worlds::{abi::IDepositContract::DepositEvent, DEPOSIT_CONTRACT_ADDRESS};

use crate::{
    http::{Request, Response},
    node::{Chain, Node},
};

/// Gwei in 32 ether.
const DEPOSIT_GWEI: u64 = 32_000_000_000;
/// `FAR_FUTURE_EPOCH`.
const FAR_FUTURE: u64 = u64::MAX;

/// The stand-in chain's parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BeaconConfig {
    /// Genesis time (mainnet's: the oracle's default chain configuration).
    pub genesis_time: u64,
    /// Seconds per slot.
    pub seconds_per_slot: u64,
    /// Slots per epoch.
    pub slots_per_epoch: u64,
    /// What an active validator earns per epoch, gwei.
    pub reward_gwei_per_epoch: u64,
    /// The fork version deposits are signed for.
    pub genesis_fork_version: [u8; 4],
}

impl Default for BeaconConfig {
    fn default() -> Self {
        Self {
            genesis_time: 1_606_824_023,
            seconds_per_slot: 12,
            slots_per_epoch: 32,
            // 3% a year on 32 ether: 32e9 × 0.03 / (365.25 × 225 epochs).
            reward_gwei_per_epoch: 11_681,
            genesis_fork_version: [0; 4],
        }
    }
}

/// A validator as the stand-in chain keeps it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validator {
    /// Its index.
    pub index: u64,
    /// Its BLS public key.
    pub pubkey: Vec<u8>,
    /// Its withdrawal credentials (the first deposit's).
    pub credentials: B256,
    /// The slot of its first deposit.
    pub deposit_slot: u64,
    /// Deposits at or before the slot asked about, gwei.
    pub deposited_gwei: u64,
    /// The slot it exited and was paid out at (`devnet_exitValidator`).
    pub exited_slot: Option<u64>,
}

impl BeaconConfig {
    /// The slot a time falls in.
    pub fn slot_at(&self, time: u64) -> u64 {
        time.saturating_sub(self.genesis_time) / self.seconds_per_slot
    }

    fn epoch(&self, slot: u64) -> u64 {
        slot / self.slots_per_epoch
    }

    /// The epoch a validator deposited at `deposit_slot` is active from.
    pub fn activation_epoch(&self, deposit_slot: u64) -> u64 {
        self.epoch(deposit_slot) + 2
    }

    /// Its balance at `slot`, gwei (none once exited and paid out).
    pub fn balance(&self, v: &Validator, slot: u64) -> u64 {
        if v.exited_slot.is_some_and(|e| e <= slot) {
            return 0;
        }
        let active = self.epoch(slot).saturating_sub(self.activation_epoch(v.deposit_slot));
        v.deposited_gwei + active * self.reward_gwei_per_epoch
    }

    fn status(&self, v: &Validator, slot: u64) -> &'static str {
        if v.exited_slot.is_some_and(|e| e <= slot) {
            "withdrawal_done"
        } else if self.epoch(slot) < self.activation_epoch(v.deposit_slot) {
            "pending_queued"
        } else {
            "active_ongoing"
        }
    }
}

/// The head slot: L1's latest block's.
fn head(node: &Node, c: &BeaconConfig) -> u64 {
    let latest = node.latest(Chain::L1);
    c.slot_at(node.ledger(Chain::L1).timestamp(latest))
}

/// The validators at `slot`, from the deposit contract's events in blocks up to that slot.
pub fn validators_at(node: &Node, c: &BeaconConfig, slot: u64) -> Vec<Validator> {
    let ledger = node.ledger(Chain::L1);
    let mut out: Vec<Validator> = Vec::new();
    for (number, block) in &ledger.blocks {
        let block_slot = c.slot_at(ledger.timestamp(*number));
        if block_slot > slot {
            break;
        }
        for hash in &block.txs {
            let Some(tx) = ledger.txs.get(hash) else { continue };
            for log in tx.logs.iter().filter(|l| l.address == DEPOSIT_CONTRACT_ADDRESS) {
                let Ok(event) = DepositEvent::decode_log_data(&log.data, true) else { continue };
                let amount = event
                    .amount
                    .get(..8)
                    .and_then(|b| b.try_into().ok())
                    .map_or(0, u64::from_le_bytes);
                if let Some(v) = out.iter_mut().find(|v| v.pubkey == event.pubkey.as_ref()) {
                    v.deposited_gwei += amount;
                    continue;
                }
                out.push(Validator {
                    index: out.len() as u64,
                    pubkey: event.pubkey.to_vec(),
                    credentials: B256::try_from(event.withdrawal_credentials.as_ref())
                        .unwrap_or_default(),
                    deposit_slot: block_slot,
                    deposited_gwei: amount,
                    exited_slot: None,
                });
            }
        }
    }
    for v in &mut out {
        v.exited_slot = node.beacon_exits.iter().find(|(p, _)| *p == v.pubkey).map(|(_, s)| *s);
    }
    out
}

use alloy_sol_types::SolEvent as _;

/// The slot a `head`/`finalized`/`justified`/`genesis`/number names.
fn slot_of(node: &Node, c: &BeaconConfig, id: &str) -> Result<u64, Response> {
    let head = head(node, c);
    let slot = match id {
        "head" => head,
        "finalized" => (c.epoch(head).saturating_sub(2)) * c.slots_per_epoch,
        "justified" => (c.epoch(head).saturating_sub(1)) * c.slots_per_epoch,
        "genesis" => 0,
        _ if id.starts_with("0x") => {
            return Err(Response::error(
                400,
                "the devnet's beacon API names blocks and states by slot",
            ))
        }
        _ => id.parse().map_err(|_| Response::error(400, &format!("invalid block id {id:?}")))?,
    };
    if slot > head {
        return Err(Response::error(404, &format!("slot {slot} is past the head ({head})")));
    }
    Ok(slot)
}

/// A slot's stand-in block root.
fn root(slot: u64) -> B256 {
    keccak256(format!("devnet-beacon-block:{slot}"))
}

/// The L1 block in `slot` (one second into it), if there is one.
fn execution_block(node: &Node, c: &BeaconConfig, slot: u64) -> Option<u64> {
    let ledger = node.ledger(Chain::L1);
    let start = c.genesis_time + slot * c.seconds_per_slot;
    let genesis_time = ledger.timestamp(ledger.genesis);
    if start + c.seconds_per_slot <= genesis_time {
        return None;
    }
    let guess = ledger.genesis + start.saturating_sub(genesis_time) / c.seconds_per_slot;
    (guess.saturating_sub(1)..=guess + 1)
        .filter(|n| (ledger.genesis..=node.latest(Chain::L1)).contains(n))
        .find(|n| c.slot_at(ledger.timestamp(*n)) == slot && ledger.timestamp(*n) >= start)
}

fn s(n: u64) -> Value {
    json!(n.to_string())
}

/// Answers one request (see the module docs).
pub fn answer(node: &Node, c: &BeaconConfig, request: &Request) -> Response {
    if request.method != "GET" {
        return Response::error(405, "the beacon API is GET only");
    }
    match route(node, c, request) {
        Ok(value) => Response::json(200, &value),
        Err(e) => e,
    }
}

fn route(node: &Node, c: &BeaconConfig, request: &Request) -> Result<Value, Response> {
    let parts: Vec<&str> = request.path().trim_matches('/').split('/').collect();
    let head = head(node, c);
    match parts.as_slice() {
        ["eth", "v1", "beacon", "genesis"] => Ok(json!({ "data": {
            "genesis_time": s(c.genesis_time),
            "genesis_validators_root": B256::ZERO,
            "genesis_fork_version": format!("0x{}", hex::encode(c.genesis_fork_version)),
        }})),
        ["eth", "v1", "config", "spec"] => Ok(json!({ "data": {
            "SECONDS_PER_SLOT": s(c.seconds_per_slot),
            "SLOTS_PER_EPOCH": s(c.slots_per_epoch),
            "GENESIS_FORK_VERSION": format!("0x{}", hex::encode(c.genesis_fork_version)),
            "DEPOSIT_CONTRACT_ADDRESS": DEPOSIT_CONTRACT_ADDRESS,
            "DEPOSIT_CHAIN_ID": s(node.ledger(Chain::L1).chain_id),
        }})),
        ["eth", "v1", "node", "version"] => {
            Ok(json!({ "data": { "version": "liquid-staking-devnet/beacon-stand-in" } }))
        }
        ["eth", "v1", "node", "syncing"] => Ok(json!({ "data": {
            "head_slot": s(head), "sync_distance": "0", "is_syncing": false,
            "is_optimistic": false, "el_offline": false,
        }})),
        ["eth", "v1", "beacon", "headers", id] => {
            let slot = slot_of(node, c, id)?;
            Ok(json!({ "execution_optimistic": false, "finalized": finalized(node, c, slot),
                "data": { "root": root(slot), "canonical": true, "header": {
                    "message": { "slot": s(slot), "proposer_index": "0",
                        "parent_root": root(slot.saturating_sub(1)),
                        "state_root": keccak256(format!("devnet-beacon-state:{slot}")),
                        "body_root": keccak256(format!("devnet-beacon-body:{slot}")) },
                    "signature": format!("0x{}", "00".repeat(96)) } } }))
        }
        ["eth", "v2", "beacon", "blocks", id] => {
            let slot = slot_of(node, c, id)?;
            let number = execution_block(node, c, slot)
                .ok_or_else(|| Response::error(404, &format!("no block in slot {slot}")))?;
            let ledger = node.ledger(Chain::L1);
            Ok(json!({ "version": "deneb", "execution_optimistic": false,
                "finalized": finalized(node, c, slot),
                "data": { "message": { "slot": s(slot), "proposer_index": "0",
                    "parent_root": root(slot.saturating_sub(1)), "body": { "execution_payload": {
                        "block_number": s(number), "block_hash": ledger.block_hash(number),
                        "timestamp": s(ledger.timestamp(number)) } } } } }))
        }
        ["eth", "v1", "beacon", "states", id, "finality_checkpoints"] => {
            slot_of(node, c, id)?;
            let epoch = |id| slot_of(node, c, id).map(|slot| c.epoch(slot));
            let checkpoint = |e: u64| json!({ "epoch": s(e), "root": root(e * c.slots_per_epoch) });
            Ok(json!({ "execution_optimistic": false, "finalized": false, "data": {
                "previous_justified": checkpoint(epoch("justified")?.saturating_sub(1)),
                "current_justified": checkpoint(epoch("justified")?),
                "finalized": checkpoint(epoch("finalized")?) } }))
        }
        ["eth", "v1", "beacon", "states", id, "validators"] => {
            let slot = slot_of(node, c, id)?;
            let ids: Vec<&str> = request
                .query("id")
                .map(|q| q.split(',').filter(|x| !x.is_empty()).collect())
                .unwrap_or_default();
            let statuses: Vec<&str> = request
                .query("status")
                .map(|q| q.split(',').filter(|x| !x.is_empty()).collect())
                .unwrap_or_default();
            let data: Vec<Value> = validators_at(node, c, slot)
                .iter()
                .filter(|v| {
                    ids.is_empty()
                        || ids.iter().any(|id| {
                            id.parse::<u64>().map_or_else(
                                |_| {
                                    id.trim_start_matches("0x")
                                        .eq_ignore_ascii_case(&hex::encode(&v.pubkey))
                                },
                                |i| i == v.index,
                            )
                        })
                })
                .filter(|v| {
                    let status = c.status(v, slot);
                    statuses.is_empty()
                        || statuses
                            .iter()
                            .any(|s| *s == status || status.starts_with(&format!("{s}_")))
                })
                .map(|v| {
                    let balance = c.balance(v, slot);
                    let activation = c.activation_epoch(v.deposit_slot);
                    json!({ "index": s(v.index), "balance": s(balance), "status": c.status(v, slot),
                        "validator": {
                            "pubkey": format!("0x{}", hex::encode(&v.pubkey)),
                            "withdrawal_credentials": v.credentials,
                            "effective_balance": s(v.deposited_gwei.min(DEPOSIT_GWEI)),
                            "slashed": false,
                            "activation_eligibility_epoch": s(c.epoch(v.deposit_slot) + 1),
                            "activation_epoch": s(activation),
                            "exit_epoch": s(FAR_FUTURE),
                            "withdrawable_epoch": s(FAR_FUTURE) } })
                })
                .collect();
            Ok(
                json!({ "execution_optimistic": false, "finalized": finalized(node, c, slot), "data": data }),
            )
        }
        _ => Err(Response::error(404, &format!("no route {}", request.path()))),
    }
}

fn finalized(node: &Node, c: &BeaconConfig, slot: u64) -> bool {
    slot_of(node, c, "finalized").is_ok_and(|f| slot <= f)
}
