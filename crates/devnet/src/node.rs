//! The node behind both endpoints: the worlds (L1, L2, the relay) and, per chain, the
//! ledger of blocks, transactions, receipts and logs that JSON-RPC reads.
//!
//! ## Blocks
//!
//! Every transaction is mined at once in a block of its own (automine, as anvil and
//! hardhat do by default), so a receipt exists as soon as `eth_sendRawTransaction` answers.
//!
//! - **L1**: the ledger's block numbers are the L1 world's (`block.number` inside contracts
//!   agrees with `eth_blockNumber`). A transaction runs in the world's open block, which is then
//!   sealed: the world moves one block (12 s) on, the relay acting on whatever fell due.
//!   Blocks without transactions (time moved on) are answered from their number.
//! - **L2**: the ledger counts its own blocks from 0, as Arbitrum's RPC does (there,
//!   Solidity's `block.number` is an L1 block estimate and differs from the RPC's number).
//!   ArbSys's `arbBlockNumber()` (and the `arbBlockNum` of `L2ToL1Tx`) is the VM's own L2
//!   counter, which here moves with L1's blocks, not with the RPC's numbers. Timestamps are
//!   the L2 world's, which follows L1's clock.
//! - The relay's own runs on L2 (ether deposits and retryable tickets from L1 reaching L2) are
//!   recorded as system transactions in an L2 block of their own: their logs are in
//!   `eth_getLogs`; they have no signed envelope, so `eth_getTransactionByHash` does not
//!   return them. The relay's L1 transactions (the rollup stand-in posting send roots) are
//!   not recorded.
//! - Block hashes: on L2 `keccak256(chain id, number, transaction hashes)`; on L1 what
//!   `BLOCKHASH` answers in its EVM (revm's empty database: `keccak256` of the number's
//!   decimal digits), so that contracts and clients agree on it (guardians attest L1 block
//!   hashes). State roots are zero.
//! - State: the devnet keeps the state after each of the last [`STATE_HISTORY`] blocks that changed
//!   a chain (a transaction, the relay, time moving), as a full node keeps recent state;
//!   [`Node::at_block`] answers reads at those blocks, and refuses older ones. The kept states
//!   are the devnet's, not a chain's history: an `evm_increaseTime` jump keeps only the state
//!   at its end (blocks inside the jump answer with the state before it, and the relay's
//!   deliveries during the jump land in one L2 block at its end time), and L1's state kept
//!   for a block includes the relay's work when that block was sealed.
//!
//! ## Fees
//!
//! - **L2**: the price is the base fee (Arbitrum pays no tips; `eth_maxPriorityFeePerGas` is 0).
//!   The sender pays `gasUsed × baseFee`, which goes to [`NETWORK_FEE_ACCOUNT`], so L2's supply
//!   stays what the bridge accounts for. The gas is L2 execution gas: the L1 data fee is
//!   issue 21's.
//! - **L1**: revm charges as Ethereum does (base fee burned, the tip to the fee recipient).

use std::collections::{BTreeMap, HashMap};

use alloy_consensus::{Transaction as _, TxEnvelope};
use alloy_eips::eip2718::{Decodable2718, Encodable2718};
use alloy_primitives::{keccak256, Address, Bytes, Log, TxKind, B256, U256};
use stylus_vm::{Receipt, Status};
use worlds::{relay::Delivery, L1Error, L1Tx, Worlds};

use crate::rpc::RpcError;

/// Where L2 fees go (Arbitrum's network fee account stands for all of ArbOS's fee accounts).
pub const NETWORK_FEE_ACCOUNT: Address =
    Address::new([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x0a, 0x4b]);

/// The most gas a transaction may ask for (Arbitrum's per-transaction limit; a larger
/// limit would let one signed loop hold the node's thread for hours).
pub const TX_GAS_CAP: u64 = 32_000_000;

/// The most gas a call or an estimate is given.
pub const CALL_GAS_CAP: u64 = 30_000_000;

/// Which endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Chain {
    /// Ethereum.
    L1,
    /// Arbitrum.
    L2,
}

/// A mined transaction, as the ledger keeps it.
#[derive(Clone, Debug)]
pub struct TxRecord {
    /// Its hash.
    pub hash: B256,
    /// The signed envelope (`None` for the relay's system transactions).
    pub envelope: Option<TxEnvelope>,
    /// The sender.
    pub from: Address,
    /// The recipient (`None` for a creation).
    pub to: Option<Address>,
    /// The block it is in.
    pub block: u64,
    /// Its index in the block.
    pub index: u64,
    /// Whether it succeeded.
    pub success: bool,
    /// Gas used.
    pub gas_used: u64,
    /// The price paid per gas.
    pub price: u128,
    /// Its logs.
    pub logs: Vec<Log>,
    /// The index of its first log in the block.
    pub first_log_index: u64,
    /// The contract it created.
    pub contract_address: Option<Address>,
}

/// A block with transactions.
#[derive(Clone, Debug, Default)]
pub struct BlockRecord {
    /// Its timestamp.
    pub timestamp: u64,
    /// Its base fee.
    pub base_fee: u128,
    /// Its transactions' hashes, in order.
    pub txs: Vec<B256>,
    /// L2: ArbSys's send count and send root after the block, which Arbitrum's block headers
    /// carry (`mixHash` bytes 0..8 and `extraData`), and keepers read to find the sends a
    /// root posted to the Outbox covers.
    pub sends: Option<(u64, B256)>,
}

/// One chain's blocks and transactions.
#[derive(Debug)]
pub struct Ledger {
    /// The chain id.
    pub chain_id: u64,
    /// The first block.
    pub genesis: u64,
    genesis_timestamp: u64,
    /// Block hashes are the EVM's `BLOCKHASH` answers (L1), not derived from the
    /// transactions (L2).
    evm_block_hashes: bool,
    /// Blocks with transactions (or, on L2, every block).
    pub blocks: BTreeMap<u64, BlockRecord>,
    /// Transactions by hash.
    pub txs: HashMap<B256, TxRecord>,
    /// The endpoint's filters.
    pub filters: crate::eth::Filters,
}

impl Ledger {
    fn new(chain_id: u64, genesis: u64, genesis_timestamp: u64) -> Self {
        Self {
            chain_id,
            genesis,
            genesis_timestamp,
            evm_block_hashes: false,
            blocks: BTreeMap::new(),
            txs: HashMap::new(),
            filters: crate::eth::Filters::default(),
        }
    }

    /// The hash of block `number`.
    pub fn block_hash(&self, number: u64) -> B256 {
        if self.evm_block_hashes {
            // What `BLOCKHASH` answers inside L1's EVM (revm's empty database: the keccak of
            // the number's decimal digits), so that a hash read over JSON-RPC is the one
            // contracts check (the vault's guardian attestations).
            return keccak256(number.to_string().as_bytes());
        }
        let mut preimage = Vec::with_capacity(16 + 32 * 4);
        preimage.extend_from_slice(&self.chain_id.to_be_bytes());
        preimage.extend_from_slice(&number.to_be_bytes());
        if let Some(block) = self.blocks.get(&number) {
            for tx in &block.txs {
                preimage.extend_from_slice(tx.as_slice());
            }
        }
        keccak256(preimage)
    }

    /// The timestamp of block `number` (L1's empty blocks are 12 s apart).
    pub fn timestamp(&self, number: u64) -> u64 {
        match self.blocks.get(&number) {
            Some(block) => block.timestamp,
            None => match self.blocks.range(..number).next_back() {
                Some((n, b)) => b.timestamp + (number - n) * worlds::l1::SECONDS_PER_BLOCK,
                None => {
                    self.genesis_timestamp + (number - self.genesis) * worlds::l1::SECONDS_PER_BLOCK
                }
            },
        }
    }

    /// The transactions of block `number`, in order.
    pub fn block_txs(&self, number: u64) -> Vec<&TxRecord> {
        self.blocks
            .get(&number)
            .map(|b| b.txs.iter().filter_map(|h| self.txs.get(h)).collect())
            .unwrap_or_default()
    }

    fn push(&mut self, number: u64, timestamp: u64, base_fee: u128, mut records: Vec<TxRecord>) {
        let mut log_index = 0;
        let block = self.blocks.entry(number).or_insert_with(|| BlockRecord {
            timestamp,
            base_fee,
            txs: Vec::new(),
            sends: None,
        });
        for (index, record) in records.iter_mut().enumerate() {
            record.block = number;
            record.index = (block.txs.len() + index) as u64;
            record.first_log_index = log_index;
            log_index += record.logs.len() as u64;
        }
        for record in records {
            block.txs.push(record.hash);
            self.txs.insert(record.hash, record);
        }
    }
}

/// A call's or a transaction's request fields, already parsed.
#[derive(Clone, Debug, Default)]
pub struct CallRequest {
    /// The sender (zero when absent).
    pub from: Address,
    /// The recipient (`None`: a creation).
    pub to: Option<Address>,
    /// Wei sent.
    pub value: U256,
    /// Calldata or init code.
    pub data: Bytes,
    /// The gas limit (the cap when absent).
    pub gas: Option<u64>,
}

/// Changes applied to a copy of the state for one call (geth's state override set).
#[derive(Clone, Debug, Default)]
pub struct Override {
    /// The account.
    pub address: Address,
    /// Its balance.
    pub balance: Option<U256>,
    /// Its nonce.
    pub nonce: Option<u64>,
    /// Its code.
    pub code: Option<Bytes>,
    /// Slots set (`stateDiff`, or all of `state`).
    pub slots: Vec<(U256, B256)>,
}

/// The worlds and the two ledgers.
#[derive(Debug)]
pub struct Node {
    /// L1, L2 and the relay.
    pub worlds: Worlds,
    /// L1's ledger.
    pub l1: Ledger,
    /// L2's ledger.
    pub l2: Ledger,
    recorded_deliveries: usize,
    /// L2's state after each of its recent blocks.
    l2_history: BTreeMap<u64, stylus_vm::Vm>,
    /// L1's state after each recent block that changed it (a transaction, the relay).
    l1_history: BTreeMap<u64, worlds::l1::L1State>,
    /// The stand-in beacon chain's parameters ([`crate::beacon`]).
    pub beacon: crate::beacon::BeaconConfig,
    /// Validators exited and paid out (`devnet_exitValidator`): public key and slot.
    pub beacon_exits: Vec<(Vec<u8>, u64)>,
}

/// How many recent states each chain keeps for calls at older blocks (geth's full nodes keep
/// 128 blocks' state).
pub const STATE_HISTORY: usize = 256;

impl Node {
    /// A node over `worlds` with the chain ids given; seals L1's first block and L2's block 0.
    pub fn new(mut worlds: Worlds, l1_chain_id: u64, l2_chain_id: u64) -> Self {
        worlds.l1.set_chain_id(l1_chain_id);
        worlds.l2.set_chain_id(l2_chain_id);
        let l1_genesis = worlds.l1.block_number();
        let mut l1 = Ledger::new(l1_chain_id, l1_genesis, worlds.l1.timestamp());
        l1.evm_block_hashes = true;
        let mut l2 = Ledger::new(l2_chain_id, 0, worlds.l2.timestamp());
        l2.push(0, worlds.l2.timestamp(), worlds.l2.basefee().saturating_to(), Vec::new());
        let mut node = Self {
            worlds,
            l1,
            l2,
            recorded_deliveries: 0,
            l2_history: BTreeMap::new(),
            l1_history: BTreeMap::new(),
            beacon: crate::beacon::BeaconConfig::default(),
            beacon_exits: Vec::new(),
        };
        node.l2_history.insert(0, node.worlds.l2.clone());
        // L1's genesis block is sealed; transactions go in the next.
        node.seal_l1();
        node
    }

    /// The ledger of `chain`.
    pub fn ledger(&self, chain: Chain) -> &Ledger {
        match chain {
            Chain::L1 => &self.l1,
            Chain::L2 => &self.l2,
        }
    }

    /// The filters of `chain`'s endpoint.
    pub fn filters_mut(&mut self, chain: Chain) -> &mut crate::eth::Filters {
        match chain {
            Chain::L1 => &mut self.l1.filters,
            Chain::L2 => &mut self.l2.filters,
        }
    }

    /// The last sealed block of `chain`.
    pub fn latest(&self, chain: Chain) -> u64 {
        match chain {
            Chain::L1 => self.worlds.l1.block_number() - 1,
            Chain::L2 => self.l2.blocks.keys().next_back().copied().unwrap_or(0),
        }
    }

    /// The base fee of the next block.
    pub fn base_fee(&self, chain: Chain) -> U256 {
        match chain {
            Chain::L1 => self.worlds.l1.base_fee(),
            Chain::L2 => self.worlds.l2.basefee(),
        }
    }

    /// What `eth_gasPrice` answers: the base fee (L2), the base fee plus the usual tip (L1).
    pub fn gas_price(&self, chain: Chain) -> U256 {
        match chain {
            Chain::L1 => self.worlds.l1.base_fee() + self.worlds.l1.priority_fee(),
            Chain::L2 => self.worlds.l2.basefee(),
        }
    }

    /// The suggested tip.
    pub fn priority_fee(&self, chain: Chain) -> U256 {
        match chain {
            Chain::L1 => self.worlds.l1.priority_fee(),
            Chain::L2 => U256::ZERO,
        }
    }

    /// `who`'s balance.
    pub fn balance(&self, chain: Chain, who: Address) -> U256 {
        match chain {
            Chain::L1 => self.worlds.l1.balance(who),
            Chain::L2 => self.worlds.l2.balance(who),
        }
    }

    /// `who`'s nonce.
    pub fn nonce(&self, chain: Chain, who: Address) -> u64 {
        match chain {
            Chain::L1 => self.worlds.l1.nonce(who),
            Chain::L2 => self.worlds.l2.nonce(who),
        }
    }

    /// `who`'s code.
    pub fn code(&self, chain: Chain, who: Address) -> Bytes {
        match chain {
            Chain::L1 => self.worlds.l1.code(who),
            Chain::L2 => self.worlds.l2.code(who),
        }
    }

    /// A storage slot of `who`.
    pub fn storage(&self, chain: Chain, who: Address, slot: U256) -> B256 {
        match chain {
            Chain::L1 => B256::from(self.worlds.l1.storage(who, slot)),
            Chain::L2 => self.worlds.l2.storage(who, slot),
        }
    }

    // ------------------------------------------------------------------ transactions

    /// Decodes, checks and mines a signed transaction; returns its hash. A transaction that
    /// reverts is mined (with status 0), as on any chain; one that cannot run (bad chain id,
    /// nonce, funds, fee, gas) is refused and changes nothing.
    ///
    /// # Errors
    ///
    /// The refusal, with geth's wording where geth has one.
    pub fn send_raw(&mut self, chain: Chain, raw: &[u8]) -> Result<B256, RpcError> {
        let envelope = TxEnvelope::decode_2718(&mut &raw[..])
            .map_err(|e| RpcError::server(format!("invalid transaction: {e}")))?;
        if matches!(envelope, TxEnvelope::Eip4844(_) | TxEnvelope::Eip7702(_)) {
            return Err(RpcError::server(
                "transaction type not supported: send a legacy, EIP-2930 or EIP-1559 transaction",
            ));
        }
        let hash = *envelope.tx_hash();
        if self.ledger(chain).txs.contains_key(&hash) {
            return Err(RpcError::server("already known"));
        }
        let chain_id = self.ledger(chain).chain_id;
        match envelope.chain_id() {
            Some(id) if id == chain_id => {}
            Some(id) => {
                return Err(RpcError::server(format!(
                    "invalid chain id: the transaction is signed for chain {id}, this endpoint is chain {chain_id}"
                )))
            }
            None => {
                return Err(RpcError::server(
                    "only replay-protected (EIP-155) transactions allowed over RPC",
                ))
            }
        }
        let from = envelope
            .recover_signer()
            .map_err(|e| RpcError::server(format!("invalid sender: {e}")))?;
        let expected = self.nonce(chain, from);
        let nonce = envelope.nonce();
        if nonce < expected {
            return Err(RpcError::server(format!(
                "nonce too low: next nonce {expected}, tx nonce {nonce}"
            )));
        }
        if nonce > expected {
            return Err(RpcError::server(format!(
                "nonce too high: next nonce {expected}, tx nonce {nonce} (the devnet mines at once and keeps no queue)"
            )));
        }
        let base_fee = self.base_fee(chain);
        let max_fee = U256::from(envelope.max_fee_per_gas());
        if max_fee < base_fee {
            return Err(RpcError::server(format!(
                "max fee per gas less than block base fee: maxFeePerGas: {max_fee}, baseFee: {base_fee}"
            )));
        }
        let gas_limit = envelope.gas_limit();
        if gas_limit > TX_GAS_CAP {
            return Err(RpcError::server(format!(
                "exceeds block gas limit: the transaction's gas limit {gas_limit} is over {TX_GAS_CAP}"
            )));
        }
        let value = envelope.value();
        let cost = U256::from(gas_limit).saturating_mul(max_fee).saturating_add(value);
        let balance = self.balance(chain, from);
        if balance < cost {
            return Err(RpcError::server(format!(
                "insufficient funds for gas * price + value: address {from} have {balance} want {cost}"
            )));
        }
        let to = envelope.kind().to().copied();
        let data = envelope.input().clone();
        let record = match chain {
            Chain::L2 => {
                let receipt = match to {
                    Some(to) => self.worlds.l2.call_with_gas(from, to, value, &data, gas_limit),
                    None => self.worlds.l2.create_with_gas(from, value, &data, gas_limit),
                };
                if let Status::Invalid(reason) = &receipt.status {
                    return Err(RpcError::server(reason.clone()));
                }
                let fee = U256::from(receipt.gas_used) * base_fee;
                let paid = self.worlds.l2.balance(from).saturating_sub(fee);
                self.worlds.l2.set_balance(from, paid);
                let collected = self.worlds.l2.balance(NETWORK_FEE_ACCOUNT) + fee;
                self.worlds.l2.set_balance(NETWORK_FEE_ACCOUNT, collected);
                self.worlds
                    .observe_l2(&receipt)
                    .map_err(|e| RpcError::new(crate::rpc::INTERNAL_ERROR, e.to_string()))?;
                l2_record(hash, Some(envelope), from, to, &receipt, base_fee.saturating_to())
            }
            Chain::L1 => {
                let tx = L1Tx {
                    from,
                    to: envelope.kind(),
                    value,
                    data,
                    gas_limit,
                    nonce,
                    max_fee,
                    priority_fee: U256::from(
                        envelope.max_priority_fee_per_gas().unwrap_or(envelope.max_fee_per_gas()),
                    ),
                };
                let receipt = self.worlds.l1.execute(&tx).map_err(|e| match e {
                    L1Error::Invalid(reason) => RpcError::server(reason),
                    e @ L1Error::GasLimitOverCap(_) => RpcError::server(e.to_string()),
                })?;
                self.worlds
                    .observe_l1(&receipt)
                    .map_err(|e| RpcError::new(crate::rpc::INTERNAL_ERROR, e.to_string()))?;
                TxRecord {
                    hash,
                    envelope: Some(envelope),
                    from,
                    to,
                    block: 0,
                    index: 0,
                    success: receipt.success,
                    gas_used: receipt.gas_used,
                    price: receipt.effective_gas_price.saturating_to(),
                    logs: receipt.logs,
                    first_log_index: 0,
                    contract_address: receipt.created,
                }
            }
        };
        match chain {
            Chain::L2 => self.push_l2(vec![record]),
            Chain::L1 => {
                let number = self.worlds.l1.block_number();
                let ts = self.worlds.l1.timestamp();
                self.l1.push(number, ts, base_fee.saturating_to(), vec![record]);
                self.seal_l1();
            }
        }
        Ok(hash)
    }

    /// Records an L2 block with ArbSys's send state after it.
    fn push_l2(&mut self, records: Vec<TxRecord>) {
        let number = self.latest(Chain::L2) + 1;
        let ts = self.worlds.l2.timestamp();
        let base = self.worlds.l2.basefee().saturating_to();
        self.l2.push(number, ts, base, records);
        let sends = self.worlds.arbsys_send_state().ok();
        if let Some(block) = self.l2.blocks.get_mut(&number) {
            block.sends = sends;
        }
        self.l2_history.insert(number, self.worlds.l2.clone());
        while self.l2_history.len() > STATE_HISTORY {
            self.l2_history.pop_first();
        }
    }

    /// Exits the validator of `pubkey` on the stand-in beacon chain and pays its balance to
    /// its withdrawal credentials' address on L1 at once (`devnet_exitValidator`): from the
    /// head slot on it is `withdrawal_done` with no balance. Returns its index and the wei
    /// paid.
    ///
    /// # Errors
    ///
    /// No such validator, one already exited, or credentials that name no address.
    pub fn exit_validator(&mut self, pubkey: &[u8]) -> Result<(u64, U256), RpcError> {
        let c = self.beacon;
        let head = c.slot_at(self.ledger(Chain::L1).timestamp(self.latest(Chain::L1)));
        let v = crate::beacon::validators_at(self, &c, head)
            .into_iter()
            .find(|v| v.pubkey == pubkey)
            .ok_or_else(|| RpcError::server("no validator with that public key"))?;
        if self.beacon_exits.iter().any(|(p, _)| p == pubkey) {
            return Err(RpcError::server("the validator has exited already"));
        }
        if !matches!(v.credentials[0], 1 | 2) {
            return Err(RpcError::server("its withdrawal credentials name no execution address"));
        }
        let to = Address::from_slice(&v.credentials[12..]);
        let paid = U256::from(c.balance(&v, head)) * U256::from(1_000_000_000u64);
        let before = self.worlds.l1.balance(to);
        self.worlds.l1.set_balance(to, before + paid);
        self.beacon_exits.push((pubkey.to_vec(), head));
        self.keep_l1_state();
        Ok((v.index, paid))
    }

    /// Keeps L1's state as the latest block's.
    fn keep_l1_state(&mut self) {
        let latest = self.latest(Chain::L1);
        self.l1_history.insert(latest, self.worlds.l1.state());
        while self.l1_history.len() > STATE_HISTORY {
            self.l1_history.pop_first();
        }
    }

    /// Runs `f` on the state of `chain` after block `number` (`None`: the latest), as a full
    /// node answers calls at a recent block: the state kept after the last block at or before
    /// `number` that changed it (the latest state when none changed it since). The block's
    /// environment (number, time) stays the latest's.
    ///
    /// # Errors
    ///
    /// A block in the future (`header not found`), or one older than the states kept
    /// (`missing trie node`, as geth says when a full node has pruned it).
    pub fn at_block<R>(
        &mut self,
        chain: Chain,
        number: Option<u64>,
        f: impl FnOnce(&mut Self) -> R,
    ) -> Result<R, RpcError> {
        let latest = self.latest(chain);
        let Some(number) = number.filter(|n| *n != latest) else { return Ok(f(self)) };
        if number > latest {
            return Err(RpcError::server("header not found"));
        }
        let changed_since = match chain {
            Chain::L1 => self.l1_history.range(number + 1..).next().is_some(),
            Chain::L2 => self.l2_history.range(number + 1..).next().is_some(),
        };
        if !changed_since {
            return Ok(f(self));
        }
        let pruned = || {
            RpcError::server(format!(
                "missing trie node: the devnet keeps the state of its last {STATE_HISTORY} changed blocks, not of block {number}"
            ))
        };
        match chain {
            Chain::L2 => {
                let (_, kept) = self.l2_history.range(..=number).next_back().ok_or_else(pruned)?;
                let mut vm = kept.clone();
                std::mem::swap(&mut self.worlds.l2, &mut vm);
                let out = f(self);
                std::mem::swap(&mut self.worlds.l2, &mut vm);
                Ok(out)
            }
            Chain::L1 => {
                let (_, kept) = self.l1_history.range(..=number).next_back().ok_or_else(pruned)?;
                let mut state = kept.clone();
                self.worlds.l1.swap_state(&mut state);
                let out = f(self);
                self.worlds.l1.swap_state(&mut state);
                Ok(out)
            }
        }
    }

    /// `NodeInterface.constructOutboxProof(uint64 size, uint64 leaf)` (nitro's virtual
    /// contract at 0xc8, served to `eth_call` only, as nitro serves it): what a keeper needs
    /// to execute a send on the Outbox.
    ///
    /// # Errors
    ///
    /// Another NodeInterface method, or a send that does not exist.
    pub fn node_interface(&self, data: &[u8]) -> Result<Bytes, RpcError> {
        use alloy_sol_types::{SolCall, SolValue};
        use worlds::abi::INodeInterface::constructOutboxProofCall;
        let call = constructOutboxProofCall::abi_decode(data, true).map_err(|_| {
            RpcError::server(
                "NodeInterface: the devnet serves constructOutboxProof(uint64,uint64) only",
            )
        })?;
        let (send, root, proof) = self
            .worlds
            .construct_outbox_proof(call.size, call.leaf)
            .map_err(|e| RpcError::server(format!("NodeInterface: {e}")))?;
        Ok((send, root, proof).abi_encode_params().into())
    }

    /// Moves L1 one block on (the relay acting) and records what the relay ran on L2.
    fn seal_l1(&mut self) {
        // A relay failure means the worlds disagree with their own records; the devnet
        // reports it on stderr and goes on serving what it has.
        if let Err(e) = self.worlds.advance_blocks(1) {
            eprintln!("devnet: relay: {e}");
        }
        self.record_deliveries();
        self.keep_l1_state();
    }

    /// Moves both chains `seconds` on (whole L1 blocks), the relay acting; returns the new L1
    /// timestamp.
    ///
    /// # Errors
    ///
    /// When the relay finds the worlds disagreeing with its records.
    pub fn advance_time(&mut self, seconds: u64) -> Result<u64, RpcError> {
        self.worlds
            .advance_time(seconds)
            .map_err(|e| RpcError::new(crate::rpc::INTERNAL_ERROR, format!("relay: {e}")))?;
        self.record_deliveries();
        self.keep_l1_state();
        // An empty L2 block at the new time, so that L2's latest block shows it.
        self.push_l2(Vec::new());
        Ok(self.worlds.l1.timestamp())
    }

    /// Records the relay's runs on L2 not recorded yet, in one L2 block.
    fn record_deliveries(&mut self) {
        let mut records = Vec::new();
        let inbound = self.worlds.inbound();
        while let Some(delivered) =
            inbound.get(self.recorded_deliveries).and_then(|m| m.delivered.as_ref())
        {
            let sender = inbound[self.recorded_deliveries].message.sender;
            self.recorded_deliveries += 1;
            match &delivered.delivery {
                Delivery::Deposit { tx_hash, to, .. } => records.push(TxRecord {
                    hash: *tx_hash,
                    envelope: None,
                    from: sender,
                    to: Some(*to),
                    block: 0,
                    index: 0,
                    success: true,
                    gas_used: 0,
                    price: 0,
                    logs: Vec::new(),
                    first_log_index: 0,
                    contract_address: None,
                }),
                Delivery::Retryable(result) => {
                    let sub = &result.submission;
                    let base = self.worlds.l2.basefee().saturating_to();
                    records.push(l2_record(result.ticket_id, None, sender, None, sub, base));
                    if let Some(redeem) = &result.auto_redeem {
                        let hash = keccak256([result.ticket_id.as_slice(), b"redeem"].concat());
                        records.push(l2_record(hash, None, sender, None, redeem, base));
                    }
                }
                Delivery::Skipped { .. } => {}
            }
        }
        if !records.is_empty() {
            self.push_l2(records);
        }
    }

    // ------------------------------------------------------------------ calls

    /// Runs a call that keeps nothing (`eth_call`), with `overrides` applied to a copy of the
    /// state (L2 only: L1's calls take no overrides here).
    ///
    /// # Errors
    ///
    /// A revert (code 3 with its data), or a call that cannot run.
    pub fn call(
        &mut self,
        chain: Chain,
        request: &CallRequest,
        overrides: &[Override],
    ) -> Result<(Bytes, u64), RpcError> {
        let gas = request.gas.unwrap_or(CALL_GAS_CAP).min(CALL_GAS_CAP);
        match chain {
            Chain::L2 => {
                let run = |vm: &mut stylus_vm::Vm| {
                    vm.simulate(request.from, request.to, request.value, &request.data, gas)
                };
                let receipt = if overrides.is_empty() {
                    run(&mut self.worlds.l2)
                } else {
                    let mut copy = self.worlds.l2.clone();
                    for o in overrides {
                        apply_override(&mut copy, o);
                    }
                    run(&mut copy)
                };
                l2_outcome(&receipt)
            }
            Chain::L1 => {
                if !overrides.is_empty() {
                    return Err(RpcError::params("state overrides are served on L2 only"));
                }
                let tx = l1_sim(request, gas);
                let receipt =
                    self.worlds.l1.simulate(&tx).map_err(|e| RpcError::server(e.to_string()))?;
                if receipt.success {
                    Ok((receipt.output, receipt.gas_used))
                } else if receipt.status == worlds::L1Status::Revert {
                    Err(RpcError::reverted(&receipt.output))
                } else {
                    Err(RpcError::server(format!("execution failed: {:?}", receipt.status)))
                }
            }
        }
    }

    /// The least gas limit with which `request` succeeds (`eth_estimateGas`): the run's gas,
    /// then, when that is not enough (refunds, the 63/64 rule), a binary search up to the cap.
    ///
    /// # Errors
    ///
    /// As [`Node::call`] at the cap.
    pub fn estimate_gas(&mut self, chain: Chain, request: &CallRequest) -> Result<u64, RpcError> {
        let cap = request.gas.unwrap_or(CALL_GAS_CAP).min(CALL_GAS_CAP);
        let at_cap = CallRequest { gas: Some(cap), ..request.clone() };
        let (_, used) = self.call(chain, &at_cap, &[])?;
        let succeeds = |node: &mut Self, gas: u64| {
            let r = CallRequest { gas: Some(gas), ..request.clone() };
            node.call(chain, &r, &[]).is_ok()
        };
        if succeeds(self, used) {
            return Ok(used);
        }
        let (mut low, mut high) = (used, cap);
        while high - low > 1 {
            let mid = low + (high - low) / 2;
            if succeeds(self, mid) {
                high = mid;
            } else {
                low = mid;
            }
        }
        Ok(high)
    }
}

fn l1_sim(request: &CallRequest, gas: u64) -> L1Tx {
    L1Tx {
        from: request.from,
        to: request.to.map_or(TxKind::Create, TxKind::Call),
        value: request.value,
        data: request.data.clone(),
        gas_limit: gas.min(worlds::l1::TX_GAS_LIMIT_CAP),
        nonce: 0,
        max_fee: U256::ZERO,
        priority_fee: U256::ZERO,
    }
}

fn apply_override(vm: &mut stylus_vm::Vm, o: &Override) {
    if let Some(balance) = o.balance {
        vm.set_balance(o.address, balance);
    }
    if let Some(nonce) = o.nonce {
        vm.set_nonce(o.address, nonce);
    }
    if let Some(code) = &o.code {
        vm.set_code(o.address, code);
    }
    for (slot, value) in &o.slots {
        vm.set_storage(o.address, *slot, *value);
    }
}

fn l2_outcome(receipt: &Receipt) -> Result<(Bytes, u64), RpcError> {
    match &receipt.status {
        Status::Success => Ok((receipt.output.clone(), receipt.gas_used)),
        Status::Revert => Err(RpcError::reverted(&receipt.output)),
        Status::Invalid(reason) => Err(RpcError::server(reason.clone())),
        other => Err(RpcError::server(format!("execution failed: {other:?}"))),
    }
}

fn l2_record(
    hash: B256,
    envelope: Option<TxEnvelope>,
    from: Address,
    to: Option<Address>,
    receipt: &Receipt,
    price: u128,
) -> TxRecord {
    TxRecord {
        hash,
        envelope,
        from,
        to,
        block: 0,
        index: 0,
        success: receipt.success,
        gas_used: receipt.gas_used,
        price,
        logs: receipt.logs.clone(),
        first_log_index: 0,
        contract_address: receipt.contract_address,
    }
}

/// The raw bytes of a mined transaction (`eth_getRawTransactionByHash`).
pub fn raw_bytes(record: &TxRecord) -> Option<Bytes> {
    record.envelope.as_ref().map(|e| Bytes::from(e.encoded_2718()))
}

/// A job for the node's thread.
type Job = Box<dyn FnOnce(&mut Node) + Send>;

/// The node runs on a thread of its own (revm's EVM is not `Send`): endpoints hand it jobs
/// and wait for the answer. Jobs run one at a time, in arrival order.
#[derive(Clone, Debug)]
pub struct NodeHandle {
    jobs: std::sync::mpsc::Sender<Job>,
}

impl NodeHandle {
    /// Starts the node's thread: `build` makes the node there.
    ///
    /// # Errors
    ///
    /// `build`'s error.
    pub fn spawn<E: Send + 'static>(
        build: impl FnOnce() -> Result<Node, E> + Send + 'static,
    ) -> Result<(Self, std::thread::JoinHandle<()>), E> {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let (ready_tx, ready) = std::sync::mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("devnet-node".into())
            .spawn(move || {
                let mut node = match build() {
                    Ok(node) => {
                        let _ = ready_tx.send(Ok(()));
                        node
                    }
                    Err(e) => {
                        let _ = ready_tx.send(Err(e));
                        return;
                    }
                };
                // Ends when every handle is dropped.
                // A job that panics (a bug) loses its answer, not the node.
                while let Ok(job) = queue.recv() {
                    let _ =
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| job(&mut node)));
                }
            })
            .expect("the node's thread starts");
        match ready.recv() {
            Ok(Ok(())) => Ok((Self { jobs }, thread)),
            Ok(Err(e)) => Err(e),
            Err(std::sync::mpsc::RecvError) => panic!("the node's thread ended while building"),
        }
    }

    /// Runs `f` on the node and returns its result; `None` when `f` panicked (or the node
    /// has stopped).
    pub fn run<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Node) -> R + Send + 'static,
    ) -> Option<R> {
        let (reply, answer) = std::sync::mpsc::sync_channel(1);
        self.jobs
            .send(Box::new(move |node: &mut Node| {
                let _ = reply.send(f(node));
            }))
            .ok()?;
        answer.recv().ok()
    }
}
