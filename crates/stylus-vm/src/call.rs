//! Message calls: value transfer, precompiles, and running a program in a fresh wasmtime
//! store, with the program-entry charges of `arbos/programs/programs.go` (`CallProgram`).
//!
//! Entry: the memory model prices the program's initial pages against the pages the
//! transaction already has open; `cachedGas` is always paid and `initGas` too unless the
//! program is in the ArbOS cache or already ran in this transaction (nitro's recent-programs
//! cache). The rest of the gas becomes ink. On return, returned bytes cost at least what
//! EVM memory for them would (`evmMemoryCost`).

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use alloy_primitives::{Address, B256, U256};
use wasmtime::{Store, Trap, Val};

use crate::{
    evm,
    host::{Escape, Frame},
    meter, precompiles, pricing,
    pricing::INK_PER_GAS,
    program::Program,
    receipt::{CallFrame, CallKind, Category, Ledger, Status},
    state::{is_stylus_code, State},
};

/// Block and transaction context.
#[derive(Clone, Debug)]
pub(crate) struct Env {
    pub(crate) chain_id: u64,
    /// The L1 block estimate: Solidity's `block.number`, the `block_number` hostio.
    pub(crate) block_number: u64,
    /// The L2 block: ArbSys's `arbBlockNumber()`.
    pub(crate) arb_block_number: u64,
    pub(crate) timestamp: u64,
    pub(crate) basefee: U256,
    pub(crate) coinbase: Address,
    pub(crate) gas_limit: u64,
    pub(crate) origin: Address,
    /// The ticket and redeemer when the transaction is a retry ArbOS runs for a retryable.
    pub(crate) retry: Option<crate::arbos::RetryContext>,
}

/// A transaction in progress.
#[derive(Debug)]
pub(crate) struct Exec {
    pub(crate) state: State,
    pub(crate) env: Env,
    /// Stylus pages open now and the most ever open in this transaction.
    pub(crate) pages_open: u16,
    pub(crate) pages_ever: u16,
    /// Code hashes of the programs that ran in this transaction.
    pub(crate) recent: HashSet<B256>,
    /// How many frames of each address are on the call stack.
    pub(crate) active: HashMap<Address, u32>,
    pub(crate) depth: usize,
    pub(crate) ledger: Ledger,
    pub(crate) console: Vec<String>,
    /// Every message call so far (the call trace the receipt carries).
    pub(crate) calls: Vec<CallFrame>,
}

impl Exec {
    pub(crate) fn new(state: State, env: Env) -> Self {
        Self {
            state,
            env,
            pages_open: 0,
            pages_ever: 0,
            recent: HashSet::new(),
            active: HashMap::new(),
            depth: 0,
            ledger: Ledger::default(),
            console: Vec::new(),
            calls: Vec::new(),
        }
    }
}

/// A call to run.
#[derive(Clone, Debug)]
pub(crate) struct Message {
    pub(crate) caller: Address,
    /// The account whose storage and balance the code acts on.
    pub(crate) address: Address,
    /// The account whose code runs (differs from `address` in a delegate call).
    pub(crate) code_address: Address,
    pub(crate) value: U256,
    /// Whether `value` moves from `caller` to `address`.
    pub(crate) transfer: bool,
    pub(crate) input: Vec<u8>,
    pub(crate) gas: u64,
    pub(crate) is_static: bool,
    /// A delegate call or an EVM `CALLCODE` (which moves its value from the caller to
    /// itself: `transfer` is set): it runs in the caller's frame and, as in nitro's
    /// `PushContract` (`IsDelegateOrCallcode`), does not count as another open frame of
    /// `address` for the reentrancy flag.
    pub(crate) delegate: bool,
}

/// How a call ended.
#[derive(Clone, Debug)]
pub(crate) struct Outcome {
    pub(crate) status: Status,
    pub(crate) output: Vec<u8>,
    pub(crate) gas_left: u64,
}

impl Outcome {
    fn out_of_gas() -> Self {
        Self { status: Status::OutOfGas, output: Vec::new(), gas_left: 0 }
    }
}

/// Runs `msg`, undoing its state changes unless it succeeds.
pub(crate) fn call(mut exec: Box<Exec>, msg: &Message) -> (Box<Exec>, Outcome) {
    // geth: `evm.depth > CallCreateDepth`, the transaction's own frame being at depth 1: the
    // frames below it may nest 1,024 deep.
    if exec.depth > pricing::evm::MAX_DEPTH {
        let status = Status::Failure("call depth exceeded".into());
        return (exec, Outcome { status, output: Vec::new(), gas_left: msg.gas });
    }
    exec.calls.push(CallFrame {
        depth: exec.depth,
        // A callcode (delegate, with a transfer) is traced as a call.
        kind: if msg.delegate && !msg.transfer {
            CallKind::DelegateCall
        } else if msg.is_static {
            CallKind::StaticCall
        } else {
            CallKind::Call
        },
        caller: msg.caller,
        address: msg.address,
        code_address: msg.code_address,
        value: msg.value,
        input: msg.input.clone().into(),
    });
    let checkpoint = exec.state.checkpoint();
    if msg.transfer && !exec.state.transfer(msg.caller, msg.address, msg.value) {
        let status = Status::Failure("insufficient balance for the value".into());
        return (exec, Outcome { status, output: Vec::new(), gas_left: msg.gas });
    }
    let program = exec.state.world.program(msg.code_address).map(|(h, p)| (h, Arc::clone(p)));
    let outcome = if precompiles::is_precompile(msg.code_address) {
        precompiles::run(&mut exec, msg)
    } else if let Some((code_hash, program)) = program {
        let (returned, outcome) = run_program(exec, msg, &program, code_hash);
        exec = returned;
        outcome
    } else {
        let code = exec.state.world.code(msg.code_address);
        if code.is_empty() {
            Outcome { status: Status::Success, output: Vec::new(), gas_left: msg.gas }
        } else if is_stylus_code(&code) {
            // nitro's `CallProgram`: a program whose code hash ArbWasm has not activated
            // fails with `ProgramNotActivated()`, which is not a revert: the gas is gone.
            let status =
                Status::Failure("ProgramNotActivated(): the program is not activated".into());
            Outcome { status, output: Vec::new(), gas_left: 0 }
        } else {
            let code_hash = exec.state.world.accounts.get(&msg.code_address).map(|a| a.code_hash);
            exec.depth += 1;
            let (returned, outcome) = evm::run(exec, msg, code, code_hash.unwrap_or_default());
            exec = returned;
            exec.depth -= 1;
            outcome
        }
    };
    if outcome.status != Status::Success {
        exec.state.revert_to(checkpoint);
    }
    (exec, outcome)
}

fn run_program(
    mut exec: Box<Exec>,
    msg: &Message,
    program: &Arc<Program>,
    code_hash: B256,
) -> (Box<Exec>, Outcome) {
    let info = &program.info;
    let memory = pricing::memory_gas(info.footprint, exec.pages_open, exec.pages_ever);
    let recent_hit = !exec.recent.insert(code_hash);
    let cached = recent_hit || exec.state.world.cached.contains(&code_hash);
    let startup = info.cached_gas() + if cached { 0 } else { info.init_gas() };
    let Some(gas) = msg.gas.checked_sub(memory + startup) else {
        return (exec, Outcome::out_of_gas());
    };
    exec.ledger.add_gas(Category::Entry, startup);
    exec.ledger.add_gas(Category::Memory, memory);

    let open = exec.pages_open;
    exec.pages_open = open.saturating_add(info.footprint);
    exec.pages_ever = exec.pages_ever.max(exec.pages_open);
    let count = exec.active.entry(msg.address).or_default();
    if !msg.delegate {
        *count += 1;
    }
    let reentrant = *count > 1;
    exec.depth += 1;

    let mut store = Store::new(program.pre.module().engine(), Frame::new(exec, msg, reentrant));
    store.limiter(|frame| &mut frame.limits);
    let (result, ink_left) = run_entrypoint(&mut store, program, gas, msg.input.len());
    let mut frame = store.into_data();
    let mut exec = frame.exec.take().expect("every host call gives the transaction back");
    exec.depth -= 1;
    if let Some(count) = exec.active.get_mut(&msg.address) {
        if !msg.delegate {
            *count -= 1;
        }
    }
    exec.pages_open = open;

    let (status, output) = match result {
        Ok(Status::Success) => (Status::Success, frame.outs),
        Ok(Status::Revert) => (Status::Revert, frame.outs),
        Ok(other) => (other, Vec::new()),
        Err(message) => (Status::Failure(message), Vec::new()),
    };
    if status == Status::OutOfGas {
        return (exec, Outcome::out_of_gas());
    }
    let mut gas_left = ink_left / INK_PER_GAS;
    if !output.is_empty() {
        let evm_cost = pricing::evm_memory_cost(output.len() as u64);
        if msg.gas < evm_cost {
            return (exec, Outcome::out_of_gas());
        }
        gas_left = gas_left.min(msg.gas - evm_cost);
    }
    (exec, Outcome { status, output, gas_left })
}

/// Instantiates the program and runs `user_entrypoint`; the status and the ink left.
fn run_entrypoint(
    store: &mut Store<Frame>,
    program: &Program,
    gas: u64,
    args_len: usize,
) -> (Result<Status, String>, u64) {
    let instance = match program.pre.instantiate(&mut *store) {
        Ok(instance) => instance,
        Err(e) => return (Err(format!("instantiation failed: {e}")), 0),
    };
    let (Some(ink), Some(status), Some(memory)) = (
        instance.get_global(&mut *store, meter::INK_LEFT),
        instance.get_global(&mut *store, meter::INK_STATUS),
        instance.get_memory(&mut *store, "memory"),
    ) else {
        return (Err("instrumented program lacks its exports".into()), 0);
    };
    let frame = store.data_mut();
    frame.ink = Some(ink);
    frame.status = Some(status);
    frame.memory = Some(memory);
    let start = gas.saturating_mul(INK_PER_GAS);
    if let Err(e) = ink.set(&mut *store, Val::I64(start.cast_signed())) {
        return (Err(e.to_string()), 0);
    }
    let entry = match instance.get_typed_func::<i32, i32>(&mut *store, "user_entrypoint") {
        Ok(entry) => entry,
        Err(e) => return (Err(e.to_string()), 0),
    };
    let args_len = i32::try_from(args_len).unwrap_or(i32::MAX);
    let result = entry.call(&mut *store, args_len);
    let ink_left = ink.get(&mut *store).unwrap_i64().cast_unsigned();
    let exhausted = status.get(&mut *store).unwrap_i32() != 0;
    let status = match result {
        Ok(0) => Ok(Status::Success),
        Ok(_) => Ok(Status::Revert),
        Err(e) => match e.downcast_ref::<Escape>() {
            Some(Escape::OutOfInk) => Ok(Status::OutOfGas),
            Some(Escape::Exit(0)) => Ok(Status::Success),
            Some(Escape::Exit(_)) => Ok(Status::Revert),
            Some(Escape::Failure(message)) => Err(message.clone()),
            None if exhausted => Ok(Status::OutOfGas),
            // nitro reports a native stack overflow as `ErrDepth`, which consumes the gas.
            None if e.downcast_ref::<Trap>() == Some(&Trap::StackOverflow) => Ok(Status::OutOfGas),
            None => Err(match e.downcast_ref::<Trap>() {
                Some(trap) => format!("wasm trap: {trap}"),
                None => format!("{e:?}"),
            }),
        },
    };
    (status, ink_left)
}
