//! Ethereum L1 on revm: real transactions (nonces, intrinsic gas, EIP-1559 fees) under the
//! Prague rules, with blocks and time that move 12 seconds a block.
//!
//! ## Why `SpecId::PRAGUE`
//!
//! Mainnet has run Fusaka (Fulu + Osaka) since 3 December 2025. revm 19, the newest revm this
//! workspace can resolve (see the comment on `revm` in the root Cargo.toml), knows Prague
//! (Pectra, mainnet since May 2025) but not Fusaka: its `SpecId::OSAKA` is the old "Prague + EOF"
//! plan (EIP-7692's EVM Object Format), which mainnet never shipped. Running `OSAKA` would
//! accept EOF containers and opcodes Ethereum does not have; `PRAGUE` is the closest fork that
//! mainnet really ran. Prague brings, among others, EIP-7623 (the calldata floor cost),
//! EIP-7702 (set-code transactions), EIP-2537 (BLS12-381 precompiles) and EIP-7691 (6/9 blobs).
//!
//! What Fusaka changed that this world does not model:
//! - EIP-7825 (a transaction gas limit cap of 2^24): modelled here, by [`L1`] itself, which
//!   refuses a gas limit above [`TX_GAS_LIMIT_CAP`] before revm runs the transaction;
//! - EIP-7939 (the `CLZ` opcode): absent, `0x1e` is an invalid opcode here;
//! - EIP-7951 (the secp256r1 `P256VERIFY` precompile at `0x100`): absent;
//! - EIP-7823 and EIP-7883 (`MODEXP` input bounds of 1,024 bytes and its higher gas): the
//!   Prague price and no bound;
//! - EIP-7918 (blob base fee bounded by execution cost) and EIP-7892 (blob-parameter-only
//!   forks): blob fees follow Prague's rule; no transaction here carries blobs;
//! - EIP-7594 (PeerDAS), EIP-7917 (proposer lookahead), EIP-7934 (RLP block size limit),
//!   EIP-7642 and EIP-7910: consensus, networking or RPC matters with no effect on execution.
//!
//! Of Prague's system contracts, only the withdrawal-request predeploy (EIP-7002) is here: its
//! real code at its address from genesis, and the end-of-block system call as a method whoever
//! plays block processing calls (`crate::eip7002`). The block-hash history (EIP-2935), the beacon
//! roots (EIP-4788) and consolidations (EIP-7251) are not deployed; revm runs transactions, not
//! blocks. `BLOCKHASH` answers from revm's empty database (a hash of the number, not a real
//! chain's).
//!
//! ## Fees
//!
//! Every [`L1::call`] and [`L1::create`] is an EIP-1559 transaction with
//! `max_fee_per_gas = base fee + priority fee` and `max_priority_fee_per_gas = priority fee`
//! ([`L1::set_base_fee`], [`L1::set_priority_fee`]; defaults [`DEFAULT_BASE_FEE`] and
//! [`DEFAULT_PRIORITY_FEE`]). As on Ethereum the sender needs `gas_limit * max_fee + value` up
//! front and pays `gas_used * (base fee + priority fee)`: the base fee part is burned (it goes
//! nowhere), the priority fee goes to the block's fee recipient, [`FEE_RECIPIENT`]. Refunds
//! (EIP-3529) and the calldata floor (EIP-7623) are applied by revm. Receipts carry the real L1
//! gas ([`L1Receipt::gas_used`]) and the fee paid ([`L1Receipt::fee`]).
//!
//! ## Blocks and time
//!
//! Transactions are included in the current block; the chain moves only by
//! [`L1::advance_blocks`] (12 seconds a block, as mainnet's slots with none missed) or
//! [`L1::advance_time`] (whole blocks covering at least the given seconds). It starts at block
//! [`GENESIS_BLOCK`], timestamp [`GENESIS_TIMESTAMP`].

use std::convert::Infallible;

use alloy_primitives::{keccak256, Address, Bytes, Log, TxKind, B256, U256};
use revm::{
    db::{CacheDB, EmptyDB},
    primitives::{
        AccountInfo, BlobExcessGasAndPrice, Bytecode, EVMError, ExecutionResult, HaltReason,
        Output, SpecId, SuccessReason, TxEnv, KECCAK_EMPTY,
    },
    Evm,
};

/// Ethereum mainnet's chain id.
pub const CHAIN_ID: u64 = 1;
/// Seconds per slot (and so per block, none missed).
pub const SECONDS_PER_BLOCK: u64 = 12;
/// The first block's number: a mainnet-like height.
pub const GENESIS_BLOCK: u64 = 24_000_000;
/// The first block's timestamp: 2026-01-01 00:00:00 UTC.
pub const GENESIS_TIMESTAMP: u64 = 1_767_225_600;
/// The block gas limit (mainnet's since November 2025).
pub const BLOCK_GAS_LIMIT: u64 = 60_000_000;
/// EIP-7825's cap on one transaction's gas limit (Fusaka): `2^24`.
pub const TX_GAS_LIMIT_CAP: u64 = 1 << 24;
/// The base fee a new world starts with: 2 gwei.
pub const DEFAULT_BASE_FEE: u64 = 2_000_000_000;
/// The priority fee (tip) every transaction offers unless changed: 0.1 gwei.
pub const DEFAULT_PRIORITY_FEE: u64 = 100_000_000;
/// The blocks' fee recipient (coinbase), which receives the priority fees.
pub const FEE_RECIPIENT: Address = Address::new([0xfe; 20]);

/// How a transaction ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum L1Status {
    /// It succeeded (`STOP`, `RETURN` or `SELFDESTRUCT`).
    Success(SuccessReason),
    /// It reverted (`REVERT`); [`L1Receipt::output`] holds the revert data.
    Revert,
    /// It halted with an exceptional condition (out of gas, invalid opcode...).
    Halt(HaltReason),
}

/// The outcome of a transaction included in a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct L1Receipt {
    /// Whether it succeeded.
    pub success: bool,
    /// How it ended.
    pub status: L1Status,
    /// The gas used, after refunds (what the sender pays for): real L1 gas.
    pub gas_used: u64,
    /// The gas refunded (EIP-3529, capped at a fifth of the gas used).
    pub gas_refunded: u64,
    /// The price paid per gas, base fee plus priority fee, in wei.
    pub effective_gas_price: U256,
    /// `gas_used * effective_gas_price`, in wei.
    pub fee: U256,
    /// Returned data, revert data on a revert, empty on a halt. For a creation, the deployed code.
    pub output: Bytes,
    /// Logs, in order (none unless it succeeded).
    pub logs: Vec<Log>,
    /// The address a creation deployed to.
    pub created: Option<Address>,
    /// The block it was included in.
    pub block_number: u64,
    /// That block's timestamp.
    pub timestamp: u64,
}

/// A transaction as its sender signed it, for [`L1::execute`] and [`L1::simulate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct L1Tx {
    /// The sender (recovered from the signature).
    pub from: Address,
    /// The recipient, or a creation.
    pub to: TxKind,
    /// Wei sent.
    pub value: U256,
    /// Calldata, or init code for a creation.
    pub data: Bytes,
    /// The gas limit.
    pub gas_limit: u64,
    /// The sender's nonce.
    pub nonce: u64,
    /// The most it pays per gas (a legacy transaction's gas price).
    pub max_fee: U256,
    /// The most of it above the base fee that goes to the fee recipient.
    pub priority_fee: U256,
}

/// Why a transaction could not be run at all (an invalid transaction has no receipt).
#[derive(Debug, thiserror::Error)]
pub enum L1Error {
    /// revm rejected the transaction (nonce, balance for `gas_limit * max_fee + value`,
    /// intrinsic gas, a sender with code...).
    #[error("invalid L1 transaction: {0}")]
    Invalid(String),
    /// The gas limit is over EIP-7825's cap.
    #[error("gas limit {0} is over EIP-7825's cap of {TX_GAS_LIMIT_CAP}")]
    GasLimitOverCap(u64),
}

impl From<EVMError<Infallible>> for L1Error {
    fn from(e: EVMError<Infallible>) -> Self {
        Self::Invalid(e.to_string())
    }
}

/// Ethereum L1: an in-memory state, revm under the Prague rules, one block at a time.
pub struct L1 {
    /// The EVM with its state and environment (block, configuration, last transaction).
    pub(crate) evm: Evm<'static, (), CacheDB<EmptyDB>>,
    /// The tip every transaction offers.
    priority_fee: U256,
    /// The logs of the last transaction run.
    last_logs: Vec<Log>,
}

/// A copy of L1's accounts and storage ([`L1::state`]): what a node keeps of a recent block
/// to answer calls at it.
#[derive(Clone, Debug)]
pub struct L1State(CacheDB<EmptyDB>);

impl Default for L1 {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for L1 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("L1")
            .field("block_number", &self.block_number())
            .field("timestamp", &self.timestamp())
            .field("base_fee", &self.base_fee())
            .field("accounts", &self.evm.db().accounts.len())
            .finish_non_exhaustive()
    }
}

impl L1 {
    /// An empty chain at block [`GENESIS_BLOCK`], timestamp [`GENESIS_TIMESTAMP`], base fee
    /// [`DEFAULT_BASE_FEE`], no blob gas used yet (excess blob gas 0, blob base fee 1 wei).
    pub fn new() -> Self {
        let evm = Evm::builder()
            .with_db(CacheDB::new(EmptyDB::default()))
            .with_spec_id(SpecId::PRAGUE)
            .modify_cfg_env(|cfg| cfg.chain_id = CHAIN_ID)
            .modify_block_env(|block| {
                block.number = U256::from(GENESIS_BLOCK);
                block.timestamp = U256::from(GENESIS_TIMESTAMP);
                block.coinbase = FEE_RECIPIENT;
                block.gas_limit = U256::from(BLOCK_GAS_LIMIT);
                block.basefee = U256::from(DEFAULT_BASE_FEE);
                block.difficulty = U256::ZERO;
                block.prevrandao = Some(randao(GENESIS_BLOCK));
                block.blob_excess_gas_and_price = Some(BlobExcessGasAndPrice::new(0, true));
            })
            .build();
        let mut l1 =
            Self { evm, priority_fee: U256::from(DEFAULT_PRIORITY_FEE), last_logs: Vec::new() };
        l1.install_eip7002();
        l1
    }

    // ------------------------------------------------------------------ state

    /// A copy of the accounts and storage now.
    pub fn state(&self) -> L1State {
        L1State(self.evm.db().clone())
    }

    /// Swaps the accounts and storage with `state` (twice restores them): calls made in
    /// between see `state`, with the present block's environment.
    pub fn swap_state(&mut self, state: &mut L1State) {
        std::mem::swap(self.evm.db_mut(), &mut state.0);
    }

    /// Sets `who`'s balance (a genesis allocation or a faucet; not a transaction).
    pub fn set_balance(&mut self, who: Address, wei: U256) {
        let mut info = self.account_info(who).unwrap_or_default();
        info.balance = wei;
        self.evm.db_mut().insert_account_info(who, info);
    }

    /// `who`'s balance in wei.
    pub fn balance(&self, who: Address) -> U256 {
        self.account_info(who).map_or(U256::ZERO, |info| info.balance)
    }

    /// `who`'s nonce.
    pub fn nonce(&self, who: Address) -> u64 {
        self.account_info(who).map_or(0, |info| info.nonce)
    }

    /// The runtime code at `who` (empty for an account without code).
    pub fn code(&self, who: Address) -> Bytes {
        let Some(info) = self.account_info(who) else { return Bytes::new() };
        match info.code {
            Some(code) => code.original_bytes(),
            None if info.code_hash == KECCAK_EMPTY => Bytes::new(),
            None => self
                .evm
                .db()
                .contracts
                .get(&info.code_hash)
                .map_or_else(Bytes::new, Bytecode::original_bytes),
        }
    }

    /// Storage slot `slot` of `who`.
    pub fn storage(&self, who: Address, slot: U256) -> U256 {
        self.evm
            .db()
            .accounts
            .get(&who)
            .and_then(|account| account.storage.get(&slot).copied())
            .unwrap_or(U256::ZERO)
    }

    /// Writes storage slot `slot` of `who` (a test's shortcut to a state that would take too
    /// many transactions to reach; not a transaction).
    pub fn set_storage(&mut self, who: Address, slot: U256, value: U256) {
        self.evm
            .db_mut()
            .insert_account_storage(who, slot, value)
            .unwrap_or_else(|never| match never {});
    }

    /// Writes an account as a genesis allocation: `code` (runtime code), nonce 1 when there
    /// is code, `storage`, and the balance it had. Replaces whatever was there.
    pub fn set_account(&mut self, who: Address, code: Bytes, storage: &[(U256, U256)]) {
        let balance = self.balance(who);
        let bytecode = Bytecode::new_raw(code);
        let info = AccountInfo::new(balance, 1, bytecode.hash_slow(), bytecode);
        let db = self.evm.db_mut();
        db.insert_account_info(who, info);
        db.replace_account_storage(who, storage.iter().copied().collect())
            .unwrap_or_else(|never| match never {});
    }

    /// The account's info, if the state has it.
    fn account_info(&self, who: Address) -> Option<AccountInfo> {
        self.evm.db().accounts.get(&who).and_then(revm::db::DbAccount::info)
    }

    // ------------------------------------------------------------------ blocks

    /// The current block's number.
    pub fn block_number(&self) -> u64 {
        self.evm.block().number.saturating_to()
    }

    /// The current block's timestamp (seconds).
    pub fn timestamp(&self) -> u64 {
        self.evm.block().timestamp.saturating_to()
    }

    /// The current base fee, in wei.
    pub fn base_fee(&self) -> U256 {
        self.evm.block().basefee
    }

    /// Sets the base fee of the current and following blocks (it does not move by itself).
    pub fn set_base_fee(&mut self, wei: U256) {
        self.evm.block_mut().basefee = wei;
    }

    /// The priority fee every transaction offers, in wei.
    pub fn priority_fee(&self) -> U256 {
        self.priority_fee
    }

    /// Sets the priority fee every following transaction offers.
    pub fn set_priority_fee(&mut self, wei: U256) {
        self.priority_fee = wei;
    }

    /// Moves the chain `n` blocks on, 12 seconds each.
    pub fn advance_blocks(&mut self, n: u64) {
        let number = self.block_number() + n;
        let timestamp = self.timestamp() + n * SECONDS_PER_BLOCK;
        let block = self.evm.block_mut();
        block.number = U256::from(number);
        block.timestamp = U256::from(timestamp);
        block.prevrandao = Some(randao(number));
    }

    /// Moves the chain on by whole blocks covering at least `seconds` (`ceil(seconds / 12)`
    /// blocks: on Ethereum time passes only with slots). Returns the number of blocks.
    pub fn advance_time(&mut self, seconds: u64) -> u64 {
        let blocks = seconds.div_ceil(SECONDS_PER_BLOCK);
        self.advance_blocks(blocks);
        blocks
    }

    // ------------------------------------------------------------------ transactions

    /// A transaction from `from` to `to` with `value` wei and calldata `data`, with the gas
    /// limit [`TX_GAS_LIMIT_CAP`]. See the module docs for the fees.
    ///
    /// # Errors
    ///
    /// [`L1Error::Invalid`] when revm refuses the transaction (e.g. `from` cannot pay
    /// `gas_limit * max_fee + value`, or holds code).
    pub fn call(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: impl Into<Bytes>,
    ) -> Result<L1Receipt, L1Error> {
        self.call_with_gas(from, to, value, data, TX_GAS_LIMIT_CAP)
    }

    /// [`L1::call`] with the gas limit `gas_limit`.
    ///
    /// # Errors
    ///
    /// [`L1Error::GasLimitOverCap`] over EIP-7825's cap; [`L1Error::Invalid`] when revm refuses
    /// the transaction (e.g. a gas limit under the intrinsic gas).
    pub fn call_with_gas(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: impl Into<Bytes>,
        gas_limit: u64,
    ) -> Result<L1Receipt, L1Error> {
        self.transact(from, TxKind::Call(to), value, data.into(), gas_limit)
    }

    /// A contract creation from `from` with `init_code` and `value` wei; the receipt and the
    /// new contract's address (`None` when the creation failed).
    ///
    /// # Errors
    ///
    /// [`L1Error::Invalid`] when revm refuses the transaction.
    pub fn create(
        &mut self,
        from: Address,
        init_code: impl Into<Bytes>,
        value: U256,
    ) -> Result<(L1Receipt, Option<Address>), L1Error> {
        let receipt =
            self.transact(from, TxKind::Create, value, init_code.into(), TX_GAS_LIMIT_CAP)?;
        let created = receipt.created;
        Ok((receipt, created))
    }

    /// Runs a call as `eth_call` does: from `from` (an account without code) to `to`, in the
    /// current block, with nothing committed. State changes the call makes are discarded
    /// (they are not forbidden: this is not the `STATICCALL` opcode). The caller is lent the
    /// gas money for the call, so any address can ask.
    ///
    /// # Errors
    ///
    /// [`L1Error::Invalid`] when revm refuses the call.
    pub fn static_call(
        &mut self,
        from: Address,
        to: Address,
        data: impl Into<Bytes>,
    ) -> Result<L1Receipt, L1Error> {
        let saved = self.evm.db().accounts.get(&from).cloned();
        let gas_price = self.base_fee();
        let mut info = self.account_info(from).unwrap_or_default();
        info.balance =
            info.balance.saturating_add(gas_price.saturating_mul(U256::from(TX_GAS_LIMIT_CAP)));
        self.evm.db_mut().insert_account_info(from, info);
        *self.evm.tx_mut() = TxEnv {
            caller: from,
            gas_limit: TX_GAS_LIMIT_CAP,
            gas_price,
            gas_priority_fee: Some(U256::ZERO),
            transact_to: TxKind::Call(to),
            value: U256::ZERO,
            data: data.into(),
            nonce: None,
            chain_id: Some(self.chain_id()),
            ..TxEnv::default()
        };
        let outcome = self.evm.transact();
        let db = self.evm.db_mut();
        match saved {
            Some(account) => {
                db.accounts.insert(from, account);
            }
            None => {
                db.accounts.remove(&from);
            }
        }
        let result = outcome?.result;
        Ok(self.receipt(result, gas_price))
    }

    /// Runs `init_code` in a transaction that is not committed and writes the code it deploys
    /// and the storage its constructor leaves at `at`: a genesis allocation (how a chain's
    /// first state holds contracts at fixed addresses). Returns the runtime code.
    ///
    /// # Errors
    ///
    /// [`L1Error::Invalid`] when revm refuses the creation; a failed constructor is
    /// [`L1Error::Invalid`] too, with its status.
    pub fn genesis_deploy(&mut self, at: Address, init_code: Bytes) -> Result<Bytes, L1Error> {
        let deployer = Address::repeat_byte(0x9e);
        let saved = self.evm.db().accounts.get(&deployer).cloned();
        self.set_balance(deployer, U256::from(u128::MAX));
        let gas_price = self.base_fee();
        *self.evm.tx_mut() = TxEnv {
            caller: deployer,
            gas_limit: TX_GAS_LIMIT_CAP,
            gas_price,
            gas_priority_fee: Some(U256::ZERO),
            transact_to: TxKind::Create,
            data: init_code,
            chain_id: Some(self.chain_id()),
            ..TxEnv::default()
        };
        let outcome = self.evm.transact();
        let db = self.evm.db_mut();
        match saved {
            Some(account) => {
                db.accounts.insert(deployer, account);
            }
            None => {
                db.accounts.remove(&deployer);
            }
        }
        let outcome = outcome?;
        let ExecutionResult::Success { output: Output::Create(code, Some(created)), .. } =
            outcome.result
        else {
            return Err(L1Error::Invalid(format!(
                "genesis constructor for {at} failed: {:?}",
                outcome.result
            )));
        };
        let storage: Vec<(U256, U256)> = outcome
            .state
            .get(&created)
            .map(|account| {
                account.storage.iter().map(|(slot, value)| (*slot, value.present_value())).collect()
            })
            .unwrap_or_default();
        self.set_account(at, code.clone(), &storage);
        Ok(code)
    }

    /// The logs of the last transaction ([`L1::call`], [`L1::create`]; a static call's too).
    pub fn last_logs(&self) -> &[Log] {
        &self.last_logs
    }

    /// Runs and commits one EIP-1559 transaction.
    /// The chain id transactions must carry ([`CHAIN_ID`] unless set).
    pub fn chain_id(&self) -> u64 {
        self.evm.cfg().chain_id
    }

    /// Sets the chain id (a devnet takes its own, so that nothing signed for it is valid on
    /// Ethereum).
    pub fn set_chain_id(&mut self, chain_id: u64) {
        self.evm.cfg_mut().chain_id = chain_id;
    }

    /// A signed transaction's run, as a node includes it: the sender's `nonce`, `gas_limit`
    /// and fees as signed (`max_fee` per gas, of which at most `priority_fee` above the base
    /// fee goes to the block's fee recipient). revm checks the nonce, the balance for
    /// `gas_limit * max_fee + value`, the intrinsic gas and the fee cap; the state changes
    /// are kept.
    ///
    /// # Errors
    ///
    /// [`L1Error::Invalid`] when revm refuses it (nothing changes),
    /// [`L1Error::GasLimitOverCap`] over EIP-7825's cap.
    pub fn execute(&mut self, tx: &L1Tx) -> Result<L1Receipt, L1Error> {
        self.run(tx, true)
    }

    /// [`L1::execute`] without keeping anything (`eth_call`, `eth_estimateGas`): the nonce is
    /// not checked, and a sender short of the fee is lent it for the run.
    ///
    /// # Errors
    ///
    /// As [`L1::execute`].
    pub fn simulate(&mut self, tx: &L1Tx) -> Result<L1Receipt, L1Error> {
        self.run(tx, false)
    }

    fn run(&mut self, tx: &L1Tx, commit: bool) -> Result<L1Receipt, L1Error> {
        if tx.gas_limit > TX_GAS_LIMIT_CAP {
            return Err(L1Error::GasLimitOverCap(tx.gas_limit));
        }
        let base_fee = self.base_fee();
        let (max_fee, priority) = if commit {
            (tx.max_fee, tx.priority_fee.min(tx.max_fee.saturating_sub(base_fee)))
        } else {
            (base_fee, U256::ZERO)
        };
        let saved = (!commit).then(|| self.evm.db().accounts.get(&tx.from).cloned());
        if !commit {
            let mut info = self.account_info(tx.from).unwrap_or_default();
            info.balance = info.balance.saturating_add(
                max_fee.saturating_mul(U256::from(tx.gas_limit)).saturating_add(tx.value),
            );
            self.evm.db_mut().insert_account_info(tx.from, info);
        }
        *self.evm.tx_mut() = TxEnv {
            caller: tx.from,
            gas_limit: tx.gas_limit,
            gas_price: max_fee,
            gas_priority_fee: Some(priority),
            transact_to: tx.to,
            value: tx.value,
            data: tx.data.clone(),
            nonce: commit.then_some(tx.nonce),
            chain_id: Some(self.chain_id()),
            ..TxEnv::default()
        };
        if commit {
            let result = self.evm.transact_commit()?;
            let price = (base_fee + priority).min(max_fee);
            return Ok(self.receipt(result, price));
        }
        let outcome = self.evm.transact();
        let db = self.evm.db_mut();
        match saved.flatten() {
            Some(account) => {
                db.accounts.insert(tx.from, account);
            }
            None => {
                db.accounts.remove(&tx.from);
            }
        }
        let result = outcome?.result;
        Ok(self.receipt(result, base_fee))
    }

    fn transact(
        &mut self,
        from: Address,
        to: TxKind,
        value: U256,
        data: Bytes,
        gas_limit: u64,
    ) -> Result<L1Receipt, L1Error> {
        if gas_limit > TX_GAS_LIMIT_CAP {
            return Err(L1Error::GasLimitOverCap(gas_limit));
        }
        let max_fee = self.base_fee() + self.priority_fee;
        let nonce = self.nonce(from);
        *self.evm.tx_mut() = TxEnv {
            caller: from,
            gas_limit,
            gas_price: max_fee,
            gas_priority_fee: Some(self.priority_fee),
            transact_to: to,
            value,
            data,
            nonce: Some(nonce),
            chain_id: Some(self.chain_id()),
            ..TxEnv::default()
        };
        let result = self.evm.transact_commit()?;
        Ok(self.receipt(result, max_fee))
    }

    /// The receipt of `result`, paid at `gas_price` per gas.
    fn receipt(&mut self, result: ExecutionResult, gas_price: U256) -> L1Receipt {
        let (status, gas_used, gas_refunded, output, logs, created) = match result {
            ExecutionResult::Success { reason, gas_used, gas_refunded, logs, output } => {
                let (output, created) = match output {
                    Output::Call(data) => (data, None),
                    Output::Create(code, address) => (code, address),
                };
                (L1Status::Success(reason), gas_used, gas_refunded, output, logs, created)
            }
            ExecutionResult::Revert { gas_used, output } => {
                (L1Status::Revert, gas_used, 0, output, Vec::new(), None)
            }
            ExecutionResult::Halt { reason, gas_used } => {
                (L1Status::Halt(reason), gas_used, 0, Bytes::new(), Vec::new(), None)
            }
        };
        self.last_logs.clone_from(&logs);
        L1Receipt {
            success: matches!(status, L1Status::Success(_)),
            status,
            gas_used,
            gas_refunded,
            effective_gas_price: gas_price,
            fee: gas_price * U256::from(gas_used),
            output,
            logs,
            created,
            block_number: self.block_number(),
            timestamp: self.timestamp(),
        }
    }
}

/// A stand-in for the beacon chain's RANDAO mix of block `number` (`PREVRANDAO`).
fn randao(number: u64) -> B256 {
    keccak256(number.to_be_bytes())
}
