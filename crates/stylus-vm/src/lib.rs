//! An in-process Arbitrum chain for tests: Stylus programs (the real release `.wasm`, run with
//! wasmtime, ink and gas metered as ArbOS does) beside EVM bytecode (revm's interpreter,
//! Prague rules), in one state, with the ArbOS precompiles the protocol uses.
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
//! - EVM code beside the programs (see "The EVM" below): creation transactions
//!   ([`Vm::create`]), `CREATE`/`CREATE2` from EVM code and from programs (`create1`,
//!   `create2`), calls both ways with value, static and delegate calls, reverts and return
//!   data, gas as each side charges it.
//! - The deployment path of a program as on chain: a CREATE whose init code returns the
//!   `0xEFF000`-prefixed brotli wasm, then ArbWasm's `activateProgram` ([`arbwasm`]) with its
//!   data fee; calling a program before activation fails. [`Vm::deploy`] places an activated
//!   program directly, without a transaction (the VM's own tests use it). The StylusDeployer
//!   ([`deployer`]) is Solidity that runs as EVM code once placed at its address.
//! - Precompiles: Ethereum's (0x01–0x0a; `ecrecover`, `sha256` and `identity` natively, the
//!   rest through revm's precompile crate), ArbSys (0x64), ArbWasm (0x71).
//!
//! # The EVM
//!
//! EVM frames run on revm 19's interpreter over the same journaled state as the programs
//! (`src/evm.rs` documents the split). A `CALL` from EVM code to a program runs the wasm; a
//! program's call into EVM code runs the interpreter; both charge as their side charges
//! (EIP-2929/2200 in the interpreter, `WasmCallCost` and the storage cache in programs).
//!
//! # Fidelity limits
//!
//! - Gas is L2 execution gas only; Arbitrum's L1 data fee is not modelled, and fees are not
//!   deducted from balances (the gas price is only reported through `tx_gas_price`).
//! - EIP-7702 delegations and EOF are not modelled (`src/evm.rs`), nor the Ethereum
//!   precompiles ArbOS 50 added (BLS12-381 at 0x0b–0x11, P-256 at 0x100: cold, empty
//!   accounts here) or Osaka's `modexp` prices (the Cancun ones are used).
//! - Nitro's stack-depth meter is not reproduced at run time (wasmtime's stack limit stands in;
//!   deep recursion fails as out of gas either way; its activation limits are checked), nor
//!   ArbOS's storage-cache size limit or the per-transaction page limit beyond 128 pages of
//!   memory per program.
//! - Deep nesting of program calls recurses on the host's native stack: a few dozen levels are
//!   fine on a test thread, the EVM's 1,024 may not be.
//! - `block_number` (Solidity's `block.number`, on Arbitrum an L1 block estimate) and ArbSys's
//!   `arbBlockNumber()` (the L2 block) are two counters that move together, one block per
//!   [`BLOCK_TIME`]: Arbitrum makes L2 blocks faster; [`Vm::set_l1_block_number`] sets the L1
//!   estimate alone (the worlds' relay follows the L1 chain with it). Block hashes are fakes.
//! - The recent-programs cache that makes a second call cheap is per transaction.
//! - Semantics and prices follow nitro as of 2026 (ArbOS with the Stylus charging fixes,
//!   Stylus version 2 parameters); chain-owner changes to the parameters are not followed.

pub mod arbos;
mod call;
pub mod deployer;
mod evm;
mod host;
mod meter;
pub use arbos::arbwasm;
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
    /// `(address, balance, nonce, code hash)` of every non-empty account, sorted (`None` for
    /// an account without code).
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
    /// The ArbOS precompiles (0x64–0x73) hold the one byte `0xFE` as their code, as nitro's
    /// `InitializeArbosState` gives them ("Solidity requires call targets have code"): their
    /// `EXTCODESIZE` is 1 and they are not empty accounts.
    ///
    /// # Panics
    ///
    /// If wasmtime cannot be set up on this machine.
    pub fn new() -> Self {
        runtime();
        let mut world = World::default();
        // 0x6a is not a precompile address on Arbitrum.
        for byte in (0x64..=0x73).filter(|byte| *byte != 0x6a) {
            world.put_code(Address::with_last_byte(byte), Bytes::from_static(&[0xFE]));
        }
        Self {
            world,
            env: Env {
                chain_id: ARBITRUM_ONE,
                block_number: 1,
                arb_block_number: 1,
                timestamp: 1_700_000_000,
                basefee: U256::from(10_000_000u64),
                coinbase: address!("A4B000000000000000000073657175656e636572"),
                // nitro's `GethBlockGasLimit`: the gas limit of every L2 block header.
                gas_limit: 1 << 50,
                origin: Address::ZERO,
                retry: None,
            },
            deployed: 0,
        }
    }

    /// Validates, instruments and compiles `wasm` and places it, activated, at a fresh
    /// address, which it returns: the code is written into the state, with no transaction
    /// (the VM's own tests use it; deployments as on chain are [`Vm::create`] then ArbWasm's
    /// `activateProgram`, or the StylusDeployer). Compiled programs are cached for the whole
    /// process by content, so deploying the same wasm again (in any `Vm`) costs nothing.
    pub fn deploy(&mut self, wasm: &[u8]) -> Result<Address, LoadError> {
        self.deployed += 1;
        let seed = [&b"stylus-vm deploy"[..], &self.deployed.to_be_bytes()].concat();
        let address = Address::from_word(keccak256(seed));
        self.deploy_at(address, wasm)?;
        Ok(address)
    }

    /// Validates, instruments and compiles `wasm` and places it, activated, at `address` (its
    /// balance and storage are kept), with no transaction.
    pub fn deploy_at(&mut self, address: Address, wasm: &[u8]) -> Result<(), LoadError> {
        let program = compile(wasm)?;
        let code = Bytes::from(program.info.code.clone());
        self.world.programs.insert(keccak256(&code), program);
        self.world.put_code(address, code);
        Ok(())
    }

    /// Writes `code` (EVM bytecode, or a Stylus program's `0xEFF000`-prefixed code, which
    /// stays inactive until activated) at `address` with no transaction: a genesis allocation.
    pub fn set_code(&mut self, address: Address, code: &[u8]) {
        self.world.put_code(address, Bytes::copy_from_slice(code));
    }

    /// The code at `address` (empty when none).
    pub fn code(&self, address: Address) -> Bytes {
        self.world.code(address)
    }

    /// Whether there is an activated program at `address`.
    pub fn has_program(&self, address: Address) -> bool {
        self.world.program(address).is_some()
    }

    /// What activation recorded for the program at `address`, if it is activated.
    pub fn program_info(&self, address: Address) -> Option<&ModuleInfo> {
        self.world.program(address).map(|(_, p)| &p.info)
    }

    /// Puts the program at `address` in the ArbOS cache (calls pay `cachedGas` only) or takes
    /// it out. Like ArbOS, this applies to every account with the same code.
    ///
    /// # Panics
    ///
    /// If there is no program at `address`.
    pub fn set_cached(&mut self, address: Address, cached: bool) {
        let hash = self.world.program(address).map(|(hash, _)| hash);
        let hash = hash.unwrap_or_else(|| panic!("no activated program at {address}"));
        if cached {
            self.world.cached.insert(hash);
        } else {
            self.world.cached.remove(&hash);
        }
    }

    /// Whether the program at `address` is in the ArbOS cache.
    pub fn is_cached(&self, address: Address) -> bool {
        self.world.program(address).is_some_and(|(hash, _)| self.world.cached.contains(&hash))
    }

    /// Sets the wei balance of `address`.
    pub fn set_balance(&mut self, address: Address, balance: U256) {
        self.world.accounts.entry(address).or_default().balance = balance;
    }

    /// The wei balance of `address`.
    pub fn balance(&self, address: Address) -> U256 {
        self.world.balance(address)
    }

    /// Sets the nonce of `address` (a genesis allocation: a contract's starts at 1).
    pub fn set_nonce(&mut self, address: Address, nonce: u64) {
        self.world.accounts.entry(address).or_default().nonce = nonce;
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
            .map(|(a, acc)| {
                let code = (!acc.code.is_empty()).then_some(acc.code_hash);
                (*a, acc.balance, acc.nonce, code)
            })
            .filter(|(_, balance, nonce, code)| !balance.is_zero() || *nonce != 0 || code.is_some())
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

    /// The block number programs see: `block.number`, on Arbitrum an estimate of the L1
    /// block number.
    pub fn block_number(&self) -> u64 {
        self.env.block_number
    }

    /// Sets the block number programs see and the L2 block number ([`Vm::arb_block_number`])
    /// to `number`.
    pub fn set_block_number(&mut self, number: u64) {
        self.env.block_number = number;
        self.env.arb_block_number = number;
    }

    /// Sets the L1 block estimate programs see (`block.number`, and `ethBlockNum` of L2-to-L1
    /// messages) alone.
    pub fn set_l1_block_number(&mut self, number: u64) {
        self.env.block_number = number;
    }

    /// The L2 block number (ArbSys's `arbBlockNumber()`).
    pub fn arb_block_number(&self) -> u64 {
        self.env.arb_block_number
    }

    /// The block timestamp in seconds.
    pub fn timestamp(&self) -> u64 {
        self.env.timestamp
    }

    /// Sets the block timestamp.
    pub fn set_timestamp(&mut self, timestamp: u64) {
        self.env.timestamp = timestamp;
    }

    /// Moves `blocks` blocks ahead (the L1 estimate and the L2 block), and the clock
    /// [`BLOCK_TIME`] seconds per block.
    pub fn advance_blocks(&mut self, blocks: u64) {
        self.env.block_number += blocks;
        self.env.arb_block_number += blocks;
        self.env.timestamp += blocks * BLOCK_TIME;
    }

    /// Moves the clock `seconds` ahead, the block number with it (one block per
    /// [`BLOCK_TIME`] seconds, rounded down).
    pub fn advance_time(&mut self, seconds: u64) {
        self.env.timestamp += seconds;
        self.env.block_number += seconds / BLOCK_TIME;
        self.env.arb_block_number += seconds / BLOCK_TIME;
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
        self.transact(from, to, value, data, gas_limit, Mode::Commit)
    }

    /// A read-only call (`eth_call` of a view): runs as a static call and keeps no change.
    pub fn static_call(&mut self, from: Address, to: Address, data: &[u8]) -> Receipt {
        self.transact(from, to, U256::ZERO, data, DEFAULT_GAS_LIMIT, Mode::Static)
    }

    /// A transaction's run that keeps nothing (`eth_call` and `eth_estimateGas` of a node): a
    /// call to `to`, or a creation when `to` is `None`, as a normal (not static) transaction
    /// whose changes, the sender's nonce included, are undone afterwards. Retryable redeems
    /// it schedules are not run.
    pub fn simulate(
        &mut self,
        from: Address,
        to: Option<Address>,
        value: U256,
        data: &[u8],
        gas_limit: u64,
    ) -> Receipt {
        self.transact_any(from, to, value, data, gas_limit, Mode::Simulate)
    }

    /// A contract-creation transaction (no recipient) from `from` with [`DEFAULT_GAS_LIMIT`]:
    /// `init_code` runs as EVM code and what it returns becomes the code of the new contract,
    /// at `keccak256(rlp([from, nonce]))[12..]` ([`Receipt::contract_address`]). A Stylus
    /// program created so is not activated yet: ArbWasm's `activateProgram` does that.
    pub fn create(&mut self, from: Address, value: U256, init_code: &[u8]) -> Receipt {
        self.create_with_gas(from, value, init_code, DEFAULT_GAS_LIMIT)
    }

    /// [`Vm::create`] with the given gas limit.
    pub fn create_with_gas(
        &mut self,
        from: Address,
        value: U256,
        init_code: &[u8],
        gas_limit: u64,
    ) -> Receipt {
        self.transact_any(from, None, value, init_code, gas_limit, Mode::Commit)
    }

    fn transact(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: &[u8],
        gas_limit: u64,
        mode: Mode,
    ) -> Receipt {
        self.transact_any(from, Some(to), value, data, gas_limit, mode)
    }

    fn transact_any(
        &mut self,
        from: Address,
        to: Option<Address>,
        value: U256,
        data: &[u8],
        gas_limit: u64,
        mode: Mode,
    ) -> Receipt {
        use pricing::evm;
        let is_static = mode == Mode::Static;
        let zeros: u64 = data.iter().map(|b| u64::from(*b == 0)).sum();
        let mut intrinsic = evm::TX_GAS
            + zeros * evm::TX_DATA_ZERO_GAS
            + (data.len() as u64 - zeros) * evm::TX_DATA_NON_ZERO_GAS;
        if to.is_none() {
            // A creation pays CREATE's 32,000 and EIP-3860's 2 gas per word of init code.
            intrinsic += evm::CREATE + (data.len() as u64).div_ceil(32) * evm::INIT_CODE_WORD;
        }
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
            contract_address: None,
            redeems: Vec::new(),
        };
        if to.is_none() && data.len() > evm::MAX_INIT_CODE_SIZE {
            return invalid(format!("init code of {} bytes over EIP-3860's limit", data.len()));
        }
        if gas_limit < intrinsic {
            return invalid(format!("gas limit {gas_limit} below the intrinsic {intrinsic}"));
        }
        if self.world.balance(from) < value {
            return invalid(format!("{from} cannot pay the value {value}"));
        }
        if mode == Mode::Commit && to.is_some() {
            // A creation's nonce goes up in `evm::create`, which derives the address from it.
            self.world.accounts.entry(from).or_default().nonce += 1;
        }

        let env = Env { origin: from, ..self.env.clone() };
        let state = State { world: std::mem::take(&mut self.world), sub: Substate::default() };
        let mut exec = Box::new(Exec::new(state, env));
        for warm in [from, to.unwrap_or(from), exec.env.coinbase] {
            exec.state.warm_account(warm);
        }
        for byte in (0x01..=0x0a).chain(0x64..=0x73) {
            exec.state.warm_account(Address::with_last_byte(byte));
        }
        let checkpoint = exec.state.checkpoint();
        let gas = gas_limit - intrinsic;
        let (mut exec, outcome, contract_address) = if let Some(to) = to {
            let msg = Message {
                caller: from,
                address: to,
                code_address: to,
                value,
                transfer: true,
                input: data.to_vec(),
                gas,
                is_static,
                delegate: false,
            };
            let (exec, outcome) = call::call(exec, &msg);
            (exec, outcome, None)
        } else {
            let request = crate::evm::CreateRequest {
                caller: from,
                value,
                init_code: Bytes::copy_from_slice(data),
                gas,
                salt: None,
            };
            let (exec, created) = crate::evm::create(exec, &request);
            let outcome = call::Outcome {
                status: created.status,
                output: created.output,
                gas_left: created.gas_left,
            };
            (exec, outcome, created.address)
        };
        if mode != Mode::Commit {
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
        let receipt = Receipt {
            success,
            status: outcome.status,
            gas_used: used - refund,
            gas_limit,
            breakdown,
            output: outcome.output.into(),
            logs: if success { logs } else { Vec::new() },
            console,
            calls,
            contract_address,
            redeems: Vec::new(),
        };
        if mode == Mode::Simulate {
            return receipt;
        }
        self.run_scheduled_redeems(receipt)
    }
}

/// What a transaction's run keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// A transaction: its changes and the sender's nonce are kept when it succeeds.
    Commit,
    /// A static call: nothing may change.
    Static,
    /// A normal run whose changes are undone (`eth_call`).
    Simulate,
}
