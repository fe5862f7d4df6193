//! An in-process Arbitrum Stylus VM for tests: it runs the real release `.wasm` of a contract
//! with wasmtime and meters ink and gas as ArbOS does.
//!
//! ```no_run
//! use stylus_vm::{alloy_primitives::{Address, U256}, Vm};
//!
//! let wasm = std::fs::read("target/wasm32-unknown-unknown/release/staking_pool.wasm")?;
//! let mut vm = Vm::new();
//! let pool = vm.deploy(&wasm)?;
//! let alice = Address::repeat_byte(0xa1);
//! vm.set_balance(alice, U256::from(10u128.pow(18)));
//! let receipt = vm.call(alice, pool, U256::ZERO, &[0x6d, 0x4c, 0xe6, 0x3c]);
//! assert!(receipt.success, "{:?}", receipt.status);
//! println!("{} gas: {:?}", receipt.gas_used, receipt.breakdown);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What is modelled
//!
//! - Loading decides as nitro's activation does ([`validate()`], at the ArbOS version the
//!   project targets, not in debug mode; [`validate::validate_with`] takes the version, debug
//!   mode and page limit) and predicts the program's entry costs; the program is instrumented with nitro's ink meter (per basic block, opcode prices
//!   of `pricing_v1`, `memory.copy`/`memory.fill` per byte, `memory.grow` paying pages).
//! - Every `vm_hooks` host function the SDK can import, plus transient storage, with nitro's
//!   ink and gas, the per-call storage cache and its flush (`SSTORE` by EIP-2200/2929/3529),
//!   logs, balances, block and transaction data, `msg_reentrant`.
//! - Calls, static calls and delegate calls with value, the 63/64 rule, the 2,300 stipend,
//!   cold/warm accounts, reverts undoing storage, balances, logs, transient storage and access
//!   lists, out of gas consuming the gas given, call depth 1,024.
//! - Program entry: `initGas` + `cachedGas` uncached, `cachedGas` when cached
//!   ([`Vm::set_cached`]) or when the program already ran in the transaction; memory pages
//!   with two free pages and nitro's exponential model.
//! - Receipts: 21,000 + calldata + execution − refund (EIP-3529 cap), a [`GasBreakdown`],
//!   return or revert data, logs.
//! - Precompiles `ecrecover`, `sha256`, `identity` and ArbSys's block number and hashes.
//! - Arbitrum's StylusDeployer at its address ([`deployer`]): deployment, activation and the
//!   SDK 0.9 constructor call in one transaction, as `cargo stylus deploy --constructor-args`
//!   does it; [`Vm::deploy`] places a program directly, without a transaction.
//!
//! # Fidelity limits
//!
//! - Gas is L2 execution gas only; Arbitrum's L1 data fee is not modelled, and fees are not
//!   deducted from balances (the gas price is only reported through `tx_gas_price`).
//! - Only Stylus programs run: there is no EVM interpreter, so Solidity contracts cannot be
//!   deployed, and `create1`/`create2` return the zero address. The StylusDeployer is native
//!   code of the VM, not its Solidity (see [`deployer`] for where it differs).
//! - Nitro's stack-depth meter is not reproduced at run time (wasmtime's stack limit stands in;
//!   deep recursion fails as out of gas either way; its activation limits are checked), nor
//!   ArbOS's storage-cache size limit or the per-transaction page limit beyond 128 pages of
//!   memory per program.
//! - Deep nesting of program calls recurses on the host's native stack: a few dozen levels are
//!   fine on a test thread, the EVM's 1,024 may not be.
//! - `block_number` (Solidity's `block.number`, on Arbitrum an L1 block estimate) and ArbSys's
//!   `arbBlockNumber()` (the L2 block) are the same number here; block hashes are fakes.
//! - The recent-programs cache that makes a second call cheap is per transaction.
//! - Semantics and prices follow nitro as of 2026 (ArbOS with the Stylus charging fixes,
//!   Stylus version 2 parameters); chain-owner changes to the parameters are not followed.

mod call;
pub mod deployer;
mod host;
mod meter;
pub mod precompiles;
pub mod pricing;
mod program;
mod receipt;
mod state;
mod storage_cache;
pub mod validate;

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, OnceLock},
};

pub use alloy_primitives;
use alloy_primitives::{address, keccak256, Address, Bytes, B256, U256};
use wasmtime::{Config, Engine, Linker, OptLevel};

use crate::{
    call::{Env, Exec, Message},
    host::Frame,
    program::Program,
    state::{State, Substate, World},
};
pub use crate::{
    program::LoadError,
    receipt::{CallFrame, CallKind, GasBreakdown, Receipt, Status},
    validate::{validate, ActivationOptions, ModuleInfo, OpcodeClass, ValidationError},
};

/// Arbitrum One's chain id, the default.
pub const ARBITRUM_ONE: u64 = 42_161;
/// Gas limit of [`Vm::call`] and [`Vm::static_call`].
pub const DEFAULT_GAS_LIMIT: u64 = 30_000_000;
/// Seconds [`Vm::advance_blocks`] moves the clock per block (Ethereum's slot time, which
/// Solidity's `block.number` follows on Arbitrum).
pub const BLOCK_TIME: u64 = 12;

/// The wasmtime engine, the host functions, and every program compiled in this process (by
/// the hash of its wasm), shared by all [`Vm`]s: a test binary compiles each contract once.
struct Runtime {
    engine: Engine,
    linker: Linker<Frame>,
    compiled: Mutex<HashMap<B256, Arc<Program>>>,
}

fn runtime() -> &'static Runtime {
    static RUNTIME: OnceLock<Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        let mut config = Config::new();
        config.cranelift_opt_level(OptLevel::Speed);
        let engine = Engine::new(&config).expect("wasmtime supports this host");
        let linker = host::linker(&engine).expect("host functions have distinct names");
        Runtime { engine, linker, compiled: Mutex::new(HashMap::new()) }
    })
}

/// Validates, instruments and compiles `wasm`, or returns it from the process-wide cache.
fn compile(wasm: &[u8]) -> Result<Arc<Program>, LoadError> {
    let rt = runtime();
    let key = keccak256(wasm);
    // Compiling under the lock makes concurrent deploys of one program compile it once.
    let mut compiled = rt.compiled.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(program) = compiled.get(&key) {
        return Ok(Arc::clone(program));
    }
    let program = Arc::new(Program::load(&rt.engine, &rt.linker, wasm)?);
    compiled.insert(key, Arc::clone(&program));
    Ok(program)
}

/// The persistent state of a [`Vm`] at one moment ([`Vm::snapshot`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// `(address, slot, value)` of every non-zero storage slot, sorted.
    pub storage: Vec<(Address, B256, B256)>,
    /// `(address, balance, nonce, code hash)` of every non-empty account, sorted.
    pub accounts: Vec<(Address, U256, u64, Option<B256>)>,
}

/// The world, the programs and the block: a local chain that runs Stylus programs. A clone is
/// an independent copy of the chain (programs are shared, compiled once).
#[derive(Clone)]
pub struct Vm {
    world: World,
    env: Env,
    deployed: u64,
}

impl Default for Vm {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Vm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Vm").field("env", &self.env).finish_non_exhaustive()
    }
}

impl Vm {
    /// An empty chain: chain id 42161, block 1 at timestamp 1,700,000,000, base fee 0.01 gwei.
    ///
    /// # Panics
    ///
    /// If wasmtime cannot be set up on this machine.
    pub fn new() -> Self {
        runtime();
        Self {
            world: World::default(),
            env: Env {
                chain_id: ARBITRUM_ONE,
                block_number: 1,
                timestamp: 1_700_000_000,
                basefee: U256::from(10_000_000u64),
                coinbase: address!("A4B000000000000000000073657175656e636572"),
                gas_limit: 32_000_000,
                origin: Address::ZERO,
            },
            deployed: 0,
        }
    }

    /// Validates, instruments and compiles `wasm` and places it at a fresh address, which it
    /// returns. Compiled programs are cached for the whole process by content, so deploying
    /// the same wasm again (in any `Vm`) costs nothing.
    pub fn deploy(&mut self, wasm: &[u8]) -> Result<Address, LoadError> {
        self.deployed += 1;
        let seed = [&b"stylus-vm deploy"[..], &self.deployed.to_be_bytes()].concat();
        let address = Address::from_word(keccak256(seed));
        self.deploy_at(address, wasm)?;
        Ok(address)
    }

    /// Validates, instruments and compiles `wasm` and places it at `address` (its balance and
    /// storage are kept).
    pub fn deploy_at(&mut self, address: Address, wasm: &[u8]) -> Result<(), LoadError> {
        let program = compile(wasm)?;
        self.world.activated.insert(program.codehash);
        self.world.accounts.entry(address).or_default().program = Some(program);
        Ok(())
    }

    /// Whether there is a program at `address`.
    pub fn has_program(&self, address: Address) -> bool {
        self.world.program(address).is_some()
    }

    /// What activation recorded for the program at `address`.
    pub fn program_info(&self, address: Address) -> Option<&ModuleInfo> {
        self.world.program(address).map(|p| &p.info)
    }

    /// Puts the program at `address` in the ArbOS cache (calls pay `cachedGas` only) or takes
    /// it out. Like ArbOS, this applies to every account with the same code.
    ///
    /// # Panics
    ///
    /// If there is no program at `address`.
    pub fn set_cached(&mut self, address: Address, cached: bool) {
        let hash = self.world.program(address).map(|p| p.codehash);
        let hash = hash.unwrap_or_else(|| panic!("no program at {address}"));
        if cached {
            self.world.cached.insert(hash);
        } else {
            self.world.cached.remove(&hash);
        }
    }

    /// Whether the program at `address` is in the ArbOS cache.
    pub fn is_cached(&self, address: Address) -> bool {
        self.world.program(address).is_some_and(|p| self.world.cached.contains(&p.codehash))
    }

    /// Sets the wei balance of `address`.
    pub fn set_balance(&mut self, address: Address, balance: U256) {
        self.world.accounts.entry(address).or_default().balance = balance;
    }

    /// The wei balance of `address`.
    pub fn balance(&self, address: Address) -> U256 {
        self.world.balance(address)
    }

    /// The nonce of `address` (transactions it sent).
    pub fn nonce(&self, address: Address) -> u64 {
        self.world.accounts.get(&address).map_or(0, |a| a.nonce)
    }

    /// The storage slot `slot` of `address`.
    pub fn storage(&self, address: Address, slot: U256) -> B256 {
        self.world.sload(address, B256::from(slot))
    }

    /// Everything a transaction can change that outlives it, to compare before and after:
    /// every non-zero storage slot, and every account's balance, nonce and program (code
    /// hash), sorted. Accounts in `except` are left out (a test's own senders, whose nonces
    /// move with every transaction).
    pub fn snapshot(&self, except: &[Address]) -> Snapshot {
        let mut storage: Vec<_> = self
            .world
            .storage
            .iter()
            .filter(|((a, _), _)| !except.contains(a))
            .map(|((a, k), v)| (*a, *k, *v))
            .collect();
        storage.sort_unstable();
        let mut accounts: Vec<_> = self
            .world
            .accounts
            .iter()
            .filter(|(a, _)| !except.contains(a))
            .map(|(a, acc)| (*a, acc.balance, acc.nonce, acc.program.as_ref().map(|p| p.codehash)))
            .filter(|(_, balance, nonce, program)| {
                !balance.is_zero() || *nonce != 0 || program.is_some()
            })
            .collect();
        accounts.sort_unstable();
        Snapshot { storage, accounts }
    }

    /// Writes a storage slot directly (no gas, no journal).
    pub fn set_storage(&mut self, address: Address, slot: U256, value: B256) {
        let key = (address, B256::from(slot));
        if value.is_zero() {
            self.world.storage.remove(&key);
        } else {
            self.world.storage.insert(key, value);
        }
    }

    /// The block number programs see (`block.number`; ArbSys's `arbBlockNumber()` too).
    pub fn block_number(&self) -> u64 {
        self.env.block_number
    }

    /// Sets the block number.
    pub fn set_block_number(&mut self, number: u64) {
        self.env.block_number = number;
    }

    /// The block timestamp in seconds.
    pub fn timestamp(&self) -> u64 {
        self.env.timestamp
    }

    /// Sets the block timestamp.
    pub fn set_timestamp(&mut self, timestamp: u64) {
        self.env.timestamp = timestamp;
    }

    /// Moves `blocks` blocks ahead, and the clock [`BLOCK_TIME`] seconds per block.
    pub fn advance_blocks(&mut self, blocks: u64) {
        self.env.block_number += blocks;
        self.env.timestamp += blocks * BLOCK_TIME;
    }

    /// Moves the clock `seconds` ahead, the block number with it (one block per
    /// [`BLOCK_TIME`] seconds, rounded down).
    pub fn advance_time(&mut self, seconds: u64) {
        self.env.timestamp += seconds;
        self.env.block_number += seconds / BLOCK_TIME;
    }

    /// The chain id.
    pub fn chain_id(&self) -> u64 {
        self.env.chain_id
    }

    /// Sets the chain id.
    pub fn set_chain_id(&mut self, chain_id: u64) {
        self.env.chain_id = chain_id;
    }

    /// The base fee (also the gas price programs see).
    pub fn basefee(&self) -> U256 {
        self.env.basefee
    }

    /// Sets the base fee.
    pub fn set_basefee(&mut self, basefee: U256) {
        self.env.basefee = basefee;
    }

    /// A transaction from `from` to `to` with [`DEFAULT_GAS_LIMIT`].
    pub fn call(&mut self, from: Address, to: Address, value: U256, data: &[u8]) -> Receipt {
        self.call_with_gas(from, to, value, data, DEFAULT_GAS_LIMIT)
    }

    /// A transaction from `from` to `to` with the given gas limit. State changes are kept
    /// when it succeeds; the sender's nonce goes up either way.
    pub fn call_with_gas(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: &[u8],
        gas_limit: u64,
    ) -> Receipt {
        self.transact(from, to, value, data, gas_limit, false)
    }

    /// A read-only call (`eth_call` of a view): runs as a static call and keeps no change.
    pub fn static_call(&mut self, from: Address, to: Address, data: &[u8]) -> Receipt {
        self.transact(from, to, U256::ZERO, data, DEFAULT_GAS_LIMIT, true)
    }

    fn transact(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: &[u8],
        gas_limit: u64,
        is_static: bool,
    ) -> Receipt {
        use pricing::evm;
        let zeros: u64 = data.iter().map(|b| u64::from(*b == 0)).sum();
        let intrinsic = evm::TX_GAS
            + zeros * evm::TX_DATA_ZERO_GAS
            + (data.len() as u64 - zeros) * evm::TX_DATA_NON_ZERO_GAS;
        let invalid = |reason: String| Receipt {
            success: false,
            status: Status::Invalid(reason),
            gas_used: 0,
            gas_limit,
            breakdown: GasBreakdown::default(),
            output: Bytes::new(),
            logs: Vec::new(),
            console: Vec::new(),
            calls: Vec::new(),
        };
        if gas_limit < intrinsic {
            return invalid(format!("gas limit {gas_limit} below the intrinsic {intrinsic}"));
        }
        if self.world.balance(from) < value {
            return invalid(format!("{from} cannot pay the value {value}"));
        }
        if !is_static {
            self.world.accounts.entry(from).or_default().nonce += 1;
        }

        let env = Env { origin: from, ..self.env.clone() };
        let state = State { world: std::mem::take(&mut self.world), sub: Substate::default() };
        let mut exec = Box::new(Exec::new(state, env));
        for warm in [from, to, exec.env.coinbase] {
            exec.state.warm_account(warm);
        }
        for byte in (0x01..=0x0a).chain(0x64..=0x73) {
            exec.state.warm_account(Address::with_last_byte(byte));
        }
        let checkpoint = exec.state.checkpoint();
        let msg = Message {
            caller: from,
            address: to,
            code_address: to,
            value,
            transfer: true,
            input: data.to_vec(),
            gas: gas_limit - intrinsic,
            is_static,
            delegate: false,
        };
        let (mut exec, outcome) = call::call(exec, &msg);
        if is_static {
            exec.state.revert_to(checkpoint);
        }

        let execution = gas_limit - intrinsic - outcome.gas_left;
        let success = outcome.status == Status::Success;
        let used = intrinsic + execution;
        let refund =
            if success { exec.state.refund().min(used / evm::MAX_REFUND_QUOTIENT) } else { 0 };
        let mut breakdown = exec.ledger.breakdown(execution);
        breakdown.intrinsic = intrinsic;
        breakdown.refund = refund;
        let logs = exec.state.finish_transaction();
        let Exec { state, console, calls, .. } = *exec;
        self.world = state.world;
        Receipt {
            success,
            status: outcome.status,
            gas_used: used - refund,
            gas_limit,
            breakdown,
            output: outcome.output.into(),
            logs: if success { logs } else { Vec::new() },
            console,
            calls,
        }
    }
}
