//! The EVM beside Stylus: EVM bytecode runs on revm's interpreter (revm 19: interpreter 15,
//! Prague rules, as ArbOS 40 has them), over the same world state, balances, logs, transient
//! storage, access lists and refunds as the Stylus programs, so that calls cross between the
//! two as on Arbitrum.
//!
//! # Who does what
//!
//! - The interpreter runs one EVM frame and charges its opcodes' gas, EIP-2929 warm/cold
//!   access and EIP-2200/3529 `SSTORE` gas and refunds from what [`EvmHost`] answers (the
//!   access lists and original values are the transaction's, shared with Stylus's
//!   `WasmStateLoadCost` / `WasmStateStoreCost`).
//! - A `CALL`-family opcode stops the interpreter with the callee's message; [`run`] hands it
//!   to [`call::call`], which runs a precompile, a Stylus program (wasm) or EVM code, and gives
//!   the outcome back (`insert_call_outcome`): return data, gas left, success.
//! - `CREATE` / `CREATE2`, from EVM code, from a Stylus program (`create1` / `create2`
//!   hostios) or as a transaction without a recipient, go through [`create`]: the caller's
//!   nonce, the address (`keccak256(rlp([sender, nonce]))` or EIP-1014), EIP-684 collisions,
//!   EIP-161 nonce 1, the init code as an EVM frame, then the code rules: EIP-170 (24,576
//!   bytes), EIP-3541 (no `0xEF` first byte) except Stylus code (go-ethereum's
//!   `IsStylusComponentPrefix` at ArbOS 60: [`is_stylus_component`]), and 200 gas per byte
//!   of code. A new Stylus program is *not* activated: it fails until ArbWasm's
//!   `activateProgram` runs.
//! - All code, init code included, runs as legacy bytecode (revm's handler does the same for
//!   init code): a `0xEF` first byte is an undefined opcode, never EOF or an EIP-7702
//!   designator.
//! - Every EVM frame that is not a delegate call or callcode counts as an open frame of its
//!   address for Stylus's `msg_reentrant` (nitro's `PushContract` counts every contract).
//! - `SELFDESTRUCT` (EIP-6780): the balance moves at once; a contract created in the same
//!   transaction is also marked, and deleted (code, nonce, storage, balance) when the
//!   transaction ends, as go-ethereum's `Finalise` does: its code still runs until then. In
//!   a frame whose account is Stylus code (a program's delegate call into EVM code) it
//!   reverts instead, as Arbitrum's `opSelfdestruct6780` does.
//! - Refunds: an EVM frame's `SSTORE` refunds join the transaction's refund counter when the
//!   frame succeeds (journaled, so a revert above undoes them); a finished child call hands
//!   the interpreter no refund, so nothing counts twice.
//!
//! # Arbitrum's EVM differences modelled
//!
//! `NUMBER` is the L1 block estimate ([`crate::Vm::block_number`]), `DIFFICULTY`/`PREVRANDAO`
//! is 1, `COINBASE` the sequencer's address, `BLOCKHASH` the VM's fake hashes for the 256
//! blocks before the current one, `BLOBHASH` 0 and `BLOBBASEFEE` an exceptional halt
//! (Arbitrum has no blobs).
//!
//! # Not modelled
//!
//! EIP-7702 delegations (no type-4 transactions here) and EOF.

use alloy_primitives::{Address, Bytes, Log, B256, U256};
use revm::{
    interpreter::{
        opcode::{make_instruction_table, InstructionTable},
        AccountLoad, CallInputs, CallOutcome, CallScheme, CallValue, Contract, CreateOutcome,
        CreateScheme, Eip7702CodeLoad, Gas, Host, InstructionResult, Interpreter,
        InterpreterAction, InterpreterResult, SStoreResult, SelfDestructResult, SharedMemory,
        StateLoad,
    },
    primitives::{BlobExcessGasAndPrice, Bytecode, Env, PragueSpec},
};

use crate::{
    call::{self, Exec, Message, Outcome},
    precompiles,
    pricing::evm as gas,
    receipt::{CallFrame, CallKind, Category, Status},
    state::is_stylus_component,
};

/// The interpreter's opcode table for [`EvmHost`], Prague rules, with Arbitrum's
/// `BLOBBASEFEE` ([`blob_base_fee`]).
static TABLE: InstructionTable<EvmHost> = {
    let mut table = make_instruction_table::<EvmHost, PragueSpec>();
    table[0x4a] = blob_base_fee;
    table
};

/// `BLOBBASEFEE` on Arbitrum (go-ethereum's `opBlobBaseFee`): "not supported on Arbitrum", an
/// exceptional halt that consumes the frame's gas.
fn blob_base_fee(interpreter: &mut Interpreter, _host: &mut EvmHost) {
    interpreter.instruction_result = InstructionResult::NotActivated;
}

/// The interpreter's view of the transaction: the state, and the block as revm's [`Env`].
pub(crate) struct EvmHost {
    exec: Option<Box<Exec>>,
    env: Env,
    /// `SELFDESTRUCT` ran in a frame whose account is Stylus code: the frame reverts.
    stylus_selfdestruct: bool,
}

impl EvmHost {
    fn exec(&mut self) -> &mut Exec {
        self.exec.as_mut().expect("the transaction is in the host between calls")
    }
}

/// revm's [`Env`] for the transaction in `exec`.
fn revm_env(exec: &Exec) -> Env {
    let e = &exec.env;
    let mut env = Env::default();
    env.cfg.chain_id = e.chain_id;
    env.block.number = U256::from(e.block_number);
    env.block.timestamp = U256::from(e.timestamp);
    env.block.coinbase = e.coinbase;
    env.block.gas_limit = U256::from(e.gas_limit);
    env.block.basefee = e.basefee;
    env.block.difficulty = U256::from(1);
    env.block.prevrandao = Some(B256::with_last_byte(1));
    env.block.blob_excess_gas_and_price = Some(BlobExcessGasAndPrice::new(0, true));
    env.tx.caller = e.origin;
    env.tx.gas_price = e.basefee;
    env
}

impl Host for EvmHost {
    fn env(&self) -> &Env {
        &self.env
    }

    fn env_mut(&mut self) -> &mut Env {
        &mut self.env
    }

    fn load_account_delegated(&mut self, address: Address) -> Option<AccountLoad> {
        let state = &mut self.exec().state;
        let is_cold = !state.warm_account(address);
        let is_empty = state.world.is_empty(address);
        Some(AccountLoad {
            load: Eip7702CodeLoad {
                state_load: StateLoad::new((), is_cold),
                is_delegate_account_cold: None,
            },
            is_empty,
        })
    }

    fn block_hash(&mut self, number: u64) -> Option<B256> {
        let current = self.exec().env.block_number;
        let in_range = number < current && number + 256 >= current;
        Some(if in_range { precompiles::block_hash(number) } else { B256::ZERO })
    }

    fn balance(&mut self, address: Address) -> Option<StateLoad<U256>> {
        let state = &mut self.exec().state;
        let is_cold = !state.warm_account(address);
        Some(StateLoad::new(state.world.balance(address), is_cold))
    }

    fn code(&mut self, address: Address) -> Option<StateLoad<Bytes>> {
        let state = &mut self.exec().state;
        let is_cold = !state.warm_account(address);
        Some(StateLoad::new(state.world.code(address), is_cold))
    }

    fn code_hash(&mut self, address: Address) -> Option<StateLoad<B256>> {
        let state = &mut self.exec().state;
        let is_cold = !state.warm_account(address);
        Some(StateLoad::new(state.world.code_hash(address), is_cold))
    }

    fn sload(&mut self, address: Address, index: U256) -> Option<StateLoad<U256>> {
        let state = &mut self.exec().state;
        let key = B256::from(index);
        let is_cold = !state.warm_slot(address, key);
        Some(StateLoad::new(state.world.sload(address, key).into(), is_cold))
    }

    fn sstore(
        &mut self,
        address: Address,
        index: U256,
        value: U256,
    ) -> Option<StateLoad<SStoreResult>> {
        let state = &mut self.exec().state;
        let key = B256::from(index);
        let is_cold = !state.warm_slot(address, key);
        let present = state.world.sload(address, key);
        let original = state.original(address, key);
        let new = B256::from(value);
        if new != present {
            state.sstore(address, key, new);
        }
        let result = SStoreResult {
            original_value: original.into(),
            present_value: present.into(),
            new_value: value,
        };
        Some(StateLoad::new(result, is_cold))
    }

    fn tload(&mut self, address: Address, index: U256) -> U256 {
        self.exec().state.tload(address, B256::from(index)).into()
    }

    fn tstore(&mut self, address: Address, index: U256, value: U256) {
        self.exec().state.tstore(address, B256::from(index), B256::from(value));
    }

    fn log(&mut self, log: Log) {
        self.exec().state.log(log);
    }

    fn selfdestruct(
        &mut self,
        address: Address,
        target: Address,
    ) -> Option<StateLoad<SelfDestructResult>> {
        let state = &mut self.exec().state;
        let is_cold = !state.warm_account(target);
        let balance = state.world.balance(address);
        let target_exists = !state.world.is_empty(target);
        let previously_destroyed = state.sub.destructed.contains(&address);
        let result = SelfDestructResult {
            had_value: !balance.is_zero(),
            target_exists,
            previously_destroyed,
        };
        if is_stylus_component(&state.world.code(address)) {
            // Arbitrum's `opSelfdestruct6780`: the gas is charged, then the frame reverts.
            self.stylus_selfdestruct = true;
            return Some(StateLoad::new(result, is_cold));
        }
        if address != target {
            state.transfer(address, target, balance);
        }
        if state.sub.created.contains(&address) {
            // EIP-6780: only a contract created in this transaction goes, and only when the
            // transaction ends (its balance, even when it names itself, goes now).
            state.set_balance(address, U256::ZERO);
            state.mark_destructed(address);
        }
        Some(StateLoad::new(result, is_cold))
    }
}

/// How a VM outcome reads to the interpreter.
fn instruction_result(status: &Status) -> InstructionResult {
    match status {
        Status::Success => InstructionResult::Return,
        Status::OutOfGas => InstructionResult::OutOfGas,
        // A failure below (a wasm trap, an unmodelled precompile, too little balance) is a
        // failed call to the caller, which keeps the gas the callee did not use.
        Status::Revert | Status::Failure(_) | Status::Invalid(_) => InstructionResult::Revert,
    }
}

/// The interpreter's gas record of a child that was given `limit` and left `left`.
fn child_gas(limit: u64, left: u64) -> Gas {
    let mut gas = Gas::new_spent(limit);
    gas.erase_cost(left);
    gas
}

/// Runs EVM `code` for `msg` (the frame's account, caller, value and input; its value
/// transfer has happened) and returns the outcome with the state changes kept; the caller
/// ([`call::call`]) undoes them unless it succeeded.
///
/// While it runs, the frame counts as an open frame of `msg.address` for Stylus's
/// `msg_reentrant` unless it is a delegate call or callcode (nitro's `PushContract`).
pub(crate) fn run(
    mut exec: Box<Exec>,
    msg: &Message,
    code: Bytes,
    code_hash: B256,
) -> (Box<Exec>, Outcome) {
    if !msg.delegate {
        *exec.active.entry(msg.address).or_default() += 1;
    }
    let (mut exec, outcome) = interpret(exec, msg, code, code_hash);
    if let Some(count) = exec.active.get_mut(&msg.address).filter(|_| !msg.delegate) {
        *count -= 1;
    }
    (exec, outcome)
}

/// The interpreter's loop for one frame ([`run`]).
fn interpret(exec: Box<Exec>, msg: &Message, code: Bytes, code_hash: B256) -> (Box<Exec>, Outcome) {
    let env = revm_env(&exec);
    let mut host = EvmHost { exec: Some(exec), env, stylus_selfdestruct: false };
    let contract = Contract::new(
        msg.input.clone().into(),
        // Legacy bytecode whatever its first bytes: `new_raw` would decode 0xEF00 as EOF and
        // 0xEF01 as an EIP-7702 designator, and panic on either when malformed.
        Bytecode::new_legacy(code),
        Some(code_hash),
        msg.address,
        Some(msg.code_address),
        msg.caller,
        msg.value,
    );
    let mut interpreter = Interpreter::new(contract, msg.gas, msg.is_static);
    let mut memory = SharedMemory::new();
    // Gas the frame's callees used (their own parts of the breakdown count it).
    let mut children: u64 = 0;
    loop {
        let action = interpreter.run(memory, &TABLE, &mut host);
        memory = interpreter.take_memory();
        match action {
            InterpreterAction::Call { inputs } => {
                let exec = host.exec.take().expect("the transaction is in the host");
                let (exec, outcome) = call::call(exec, &message(&inputs));
                host.exec = Some(exec);
                children += inputs.gas_limit.saturating_sub(outcome.gas_left);
                let status = instruction_result(&outcome.status);
                let result = InterpreterResult::new(
                    status,
                    outcome.output.into(),
                    child_gas(inputs.gas_limit, outcome.gas_left),
                );
                interpreter.insert_call_outcome(
                    &mut memory,
                    CallOutcome::new(result, inputs.return_memory_offset),
                );
            }
            InterpreterAction::Create { inputs } => {
                let exec = host.exec.take().expect("the transaction is in the host");
                let salt = match inputs.scheme {
                    CreateScheme::Create2 { salt } => Some(B256::from(salt)),
                    CreateScheme::Create => None,
                };
                let request = CreateRequest {
                    caller: inputs.caller,
                    value: inputs.value,
                    init_code: inputs.init_code.clone(),
                    gas: inputs.gas_limit,
                    salt,
                };
                let (exec, created) = create(exec, &request);
                host.exec = Some(exec);
                children += inputs.gas_limit.saturating_sub(created.gas_left);
                let status = match &created.status {
                    Status::Success => InstructionResult::Return,
                    other => instruction_result(other),
                };
                let result = InterpreterResult::new(
                    status,
                    created.output.into(),
                    child_gas(inputs.gas_limit, created.gas_left),
                );
                interpreter.insert_create_outcome(CreateOutcome::new(result, created.address));
            }
            InterpreterAction::Return { result } => {
                let mut exec = host.exec.take().expect("the transaction is in the host");
                let outcome = if result.result.is_ok() && host.stylus_selfdestruct {
                    Outcome {
                        status: Status::Revert,
                        output: Vec::new(),
                        gas_left: result.gas.remaining(),
                    }
                } else if result.result.is_ok() {
                    exec.state.add_refund(result.gas.refunded());
                    Outcome {
                        status: Status::Success,
                        output: result.output.to_vec(),
                        gas_left: result.gas.remaining(),
                    }
                } else if result.result.is_revert() {
                    Outcome {
                        status: Status::Revert,
                        output: result.output.to_vec(),
                        gas_left: result.gas.remaining(),
                    }
                } else if matches!(
                    result.result,
                    InstructionResult::OutOfGas
                        | InstructionResult::MemoryOOG
                        | InstructionResult::MemoryLimitOOG
                        | InstructionResult::PrecompileOOG
                        | InstructionResult::InvalidOperandOOG
                ) {
                    Outcome { status: Status::OutOfGas, output: Vec::new(), gas_left: 0 }
                } else {
                    // Every other exceptional halt consumes the frame's gas.
                    let status = Status::Failure(format!("EVM: {:?}", result.result));
                    Outcome { status, output: Vec::new(), gas_left: 0 }
                };
                let own = (msg.gas - outcome.gas_left).saturating_sub(children);
                exec.ledger.add_gas(Category::Evm, own);
                return (exec, outcome);
            }
            InterpreterAction::EOFCreate { .. } | InterpreterAction::None => {
                let exec = host.exec.take().expect("the transaction is in the host");
                let status = Status::Failure("EVM: EOF is not enabled".into());
                return (exec, Outcome { status, output: Vec::new(), gas_left: 0 });
            }
        }
    }
}

/// The VM message of an interpreter's call.
fn message(inputs: &CallInputs) -> Message {
    let (value, transfer) = match inputs.value {
        CallValue::Transfer(v) => (v, true),
        CallValue::Apparent(v) => (v, false),
    };
    Message {
        caller: inputs.caller,
        address: inputs.target_address,
        code_address: inputs.bytecode_address,
        value,
        // CALLCODE moves the value from the caller to itself: the balance check stays.
        transfer,
        input: inputs.input.to_vec(),
        gas: inputs.gas_limit,
        is_static: inputs.is_static,
        // Both run `bytecode_address`'s code in the caller's frame.
        delegate: matches!(inputs.scheme, CallScheme::DelegateCall | CallScheme::CallCode),
    }
}

/// A contract creation to run.
#[derive(Clone, Debug)]
pub(crate) struct CreateRequest {
    pub(crate) caller: Address,
    pub(crate) value: U256,
    pub(crate) init_code: Bytes,
    /// Gas for the init code (the creation's base costs are already paid).
    pub(crate) gas: u64,
    /// `CREATE2`'s salt; `None` for `CREATE`.
    pub(crate) salt: Option<B256>,
}

/// How a creation ended.
#[derive(Clone, Debug)]
pub(crate) struct Created {
    pub(crate) status: Status,
    /// The new contract, when the creation succeeded.
    pub(crate) address: Option<Address>,
    /// Revert data of the init code (empty otherwise).
    pub(crate) output: Vec<u8>,
    pub(crate) gas_left: u64,
}

/// Runs a contract creation: address, collision check, init code, code rules and deposit.
pub(crate) fn create(mut exec: Box<Exec>, req: &CreateRequest) -> (Box<Exec>, Created) {
    let fail = |status: Status, gas_left: u64| Created {
        status,
        address: None,
        output: Vec::new(),
        gas_left,
    };
    // geth: `evm.depth > CallCreateDepth`, the transaction's own frame being at depth 1.
    if exec.depth > gas::MAX_DEPTH {
        return (exec, fail(Status::Failure("call depth exceeded".into()), req.gas));
    }
    if exec.state.world.balance(req.caller) < req.value {
        return (exec, fail(Status::Failure("insufficient balance for the value".into()), req.gas));
    }
    let nonce = exec.state.world.accounts.get(&req.caller).map_or(0, |a| a.nonce);
    let Some(next) = nonce.checked_add(1) else {
        return (exec, fail(Status::Failure("nonce overflow".into()), req.gas));
    };
    exec.state.set_nonce(req.caller, next);
    let address = match req.salt {
        Some(salt) => req.caller.create2(salt, alloy_primitives::keccak256(&req.init_code)),
        None => req.caller.create(nonce),
    };
    exec.state.warm_account(address);
    exec.calls.push(CallFrame {
        depth: exec.depth,
        kind: if req.salt.is_some() { CallKind::Create2 } else { CallKind::Create },
        caller: req.caller,
        address,
        code_address: address,
        value: req.value,
        input: req.init_code.clone(),
    });
    let taken =
        exec.state.world.accounts.get(&address).is_some_and(|a| a.nonce != 0 || !a.code.is_empty());
    if taken {
        // EIP-684: a collision consumes the gas given (the EVM's part of the breakdown).
        exec.ledger.add_gas(Category::Evm, req.gas);
        return (exec, fail(Status::Failure("contract address collision".into()), 0));
    }
    let checkpoint = exec.state.checkpoint();
    exec.state.mark_created(address);
    exec.state.set_nonce(address, 1);
    exec.state.transfer(req.caller, address, req.value);
    let msg = Message {
        caller: req.caller,
        address,
        code_address: address,
        value: req.value,
        transfer: false,
        input: Vec::new(),
        gas: req.gas,
        is_static: false,
        delegate: false,
    };
    exec.depth += 1;
    let code_hash = alloy_primitives::keccak256(&req.init_code);
    let (mut exec, outcome) = run(exec, &msg, req.init_code.clone(), code_hash);
    exec.depth -= 1;
    // What the init code's frame left and the code rules then took (the deposit, or all of it
    // for refused code) is the EVM's part of the breakdown; the frame recorded the rest.
    let frame_left = outcome.gas_left;
    let created = match outcome.status {
        Status::Success => deposit(&mut exec, address, outcome.output, outcome.gas_left),
        Status::Revert => Created {
            status: Status::Revert,
            address: None,
            output: outcome.output,
            gas_left: outcome.gas_left,
        },
        other => fail(other, 0),
    };
    exec.ledger.add_gas(Category::Evm, frame_left.saturating_sub(created.gas_left));
    if created.status != Status::Success {
        exec.state.revert_to(checkpoint);
    }
    (exec, created)
}

/// The end of a successful init code: the code rules, the deposit charge, the code stored.
fn deposit(exec: &mut Exec, address: Address, code: Vec<u8>, gas_left: u64) -> Created {
    let fail = |reason: &str| Created {
        status: Status::Failure(reason.into()),
        address: None,
        output: Vec::new(),
        gas_left: 0,
    };
    if code.first() == Some(&0xEF) && !is_stylus_component(&code) {
        return fail("EIP-3541: new code starting with 0xEF");
    }
    if code.len() > gas::MAX_CODE_SIZE {
        return fail("EIP-170: code larger than 24,576 bytes");
    }
    let cost = gas::CODE_DEPOSIT_BYTE * code.len() as u64;
    let Some(left) = gas_left.checked_sub(cost) else {
        return Created {
            status: Status::OutOfGas,
            address: None,
            output: Vec::new(),
            gas_left: 0,
        };
    };
    exec.state.set_code(address, code.into());
    Created { status: Status::Success, address: Some(address), output: Vec::new(), gas_left: left }
}
