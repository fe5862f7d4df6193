//! Transaction receipts and where their gas went.
//!
//! `gas_used` is what Arbitrum reports for L2 execution: 21,000 + calldata + execution −
//! refund, the refund capped at a fifth of the gas used (EIP-3529). The L1 data component of
//! Arbitrum fees is outside the model.
//!
//! The breakdown is exact: every charge is recorded in ink where it is made, each category is
//! rounded down to gas, and `compute` (the opcode ink, plus rounding and the gas an
//! out-of-gas frame forfeits) takes the rest, so the parts always add up to `gas_used`.

use alloy_primitives::{Address, Bytes, Log, U256};

use crate::pricing::INK_PER_GAS;

/// How a transaction ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// It succeeded; `output` is the return data.
    Success,
    /// The called program reverted; `output` is the revert data.
    Revert,
    /// It ran out of gas; all gas given was consumed.
    OutOfGas,
    /// The program trapped or broke a rule (a panic, a write in a static call, a bad host
    /// call); the message says which.
    Failure(String),
    /// The transaction was not valid (gas limit below the intrinsic cost, balance below the
    /// value); nothing ran and no gas was charged.
    Invalid(String),
}

/// Where gas went, in gas. `total()` equals the receipt's `gas_used`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GasBreakdown {
    /// 21,000 + 16 per non-zero and 4 per zero calldata byte.
    pub intrinsic: u64,
    /// Program start-up: `initGas` when not cached, plus `cachedGas`, for every call into a
    /// program.
    pub entry: u64,
    /// Memory pages: a program's initial pages on entry and `memory.grow`, past the two free
    /// pages (nitro's memory model).
    pub memory: u64,
    /// Opcode ink / 10,000, with the rounding of the other parts and gas forfeited by a frame
    /// that ran out of gas.
    pub compute: u64,
    /// Host-call ink: the per-call base, pointer arguments, EVM API, bytes copied in and out,
    /// keccak.
    pub host: u64,
    /// Storage and transient storage: cold/warm loads, cache surcharges, `SSTORE` rules.
    pub storage: u64,
    /// Logs: 375 + 375 per topic + 8 per data byte.
    pub logs: u64,
    /// Calls and account access: warm/cold accounts, value transfers, new accounts, code
    /// reads.
    pub calls: u64,
    /// Gas the precompiles charged.
    pub precompiles: u64,
    /// Gas EVM frames used themselves (revm's interpreter: their opcodes, storage, logs,
    /// memory, and the caller-side costs of their calls and creations); what their callees
    /// used is in the callees' parts.
    pub evm: u64,
    /// Refund subtracted (EIP-3529 capped).
    pub refund: u64,
}

impl GasBreakdown {
    /// Gas used after the refund: the sum of the parts minus the refund.
    pub fn total(&self) -> u64 {
        self.intrinsic + self.execution() - self.refund
    }

    /// Execution gas before the refund (everything but the intrinsic cost).
    pub fn execution(&self) -> u64 {
        self.entry
            + self.memory
            + self.compute
            + self.host
            + self.storage
            + self.logs
            + self.calls
            + self.precompiles
            + self.evm
    }
}

/// The result of a transaction or a static call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Receipt {
    /// Whether the call succeeded (`status == Status::Success`).
    pub success: bool,
    /// How it ended.
    pub status: Status,
    /// Gas used, after the refund.
    pub gas_used: u64,
    /// The gas limit it ran with.
    pub gas_limit: u64,
    /// Where the gas went.
    pub breakdown: GasBreakdown,
    /// Return data on success, revert data on revert, empty otherwise.
    pub output: Bytes,
    /// Logs emitted (none when the transaction failed), in order.
    pub logs: Vec<Log>,
    /// Lines printed through the `console` imports of debug builds.
    pub console: Vec<String>,
    /// Every message call of the transaction, in the order they started (the transaction's
    /// own call first): a call trace, as `debug_traceTransaction`'s call tracer gives.
    pub calls: Vec<CallFrame>,
    /// The contract a creation transaction made ([`crate::Vm::create`]), when it succeeded.
    pub contract_address: Option<Address>,
    /// The retries of retryable tickets this transaction scheduled (ArbRetryableTx's
    /// `redeem`), each run as its own transaction right after it, in order.
    pub redeems: Vec<Receipt>,
}

/// How a message call was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallKind {
    /// `CALL` (and the transaction itself).
    Call,
    /// `STATICCALL` (and a static transaction).
    StaticCall,
    /// `DELEGATECALL`: `code_address`'s code on `address`'s storage.
    DelegateCall,
    /// `CREATE` (and a creation transaction): `input` is the init code, `address` the new
    /// contract.
    Create,
    /// `CREATE2`.
    Create2,
}

/// One message call of a transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallFrame {
    /// 0 for the transaction's own call.
    pub depth: usize,
    /// How it was made.
    pub kind: CallKind,
    /// Who called.
    pub caller: Address,
    /// The account whose storage and balance the code acts on.
    pub address: Address,
    /// The account whose code runs.
    pub code_address: Address,
    /// Wei sent along.
    pub value: U256,
    /// The calldata.
    pub input: Bytes,
}

/// A category of charge, recorded in ink.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Category {
    Entry,
    Memory,
    Host,
    Storage,
    Logs,
    Calls,
    Precompiles,
    Evm,
}

const CATEGORIES: usize = 8;

/// Ink spent per category (compute is what is left of a frame's consumption).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Ledger {
    ink: [u128; CATEGORIES],
}

impl Ledger {
    pub(crate) fn add_ink(&mut self, category: Category, ink: u64) {
        self.ink[category as usize] += u128::from(ink);
    }

    pub(crate) fn add_gas(&mut self, category: Category, gas: u64) {
        self.add_ink(category, gas.saturating_mul(INK_PER_GAS));
    }

    /// The breakdown of `execution` gas (intrinsic and refund filled in by the caller).
    pub(crate) fn breakdown(&self, execution: u64) -> GasBreakdown {
        let gas = |c: Category| {
            u64::try_from(self.ink[c as usize] / u128::from(INK_PER_GAS)).unwrap_or(u64::MAX)
        };
        let mut b = GasBreakdown {
            entry: gas(Category::Entry),
            memory: gas(Category::Memory),
            host: gas(Category::Host),
            storage: gas(Category::Storage),
            logs: gas(Category::Logs),
            calls: gas(Category::Calls),
            precompiles: gas(Category::Precompiles),
            evm: gas(Category::Evm),
            ..GasBreakdown::default()
        };
        b.compute = execution.saturating_sub(b.execution());
        b
    }
}
