//! The `vm_hooks` host functions, with the ink and gas nitro charges for each.
//!
//! Prices and semantics follow `crates/wasm-libraries/user-host-trait/lib.rs` (each hostio's
//! base ink from `crates/arbutil/src/pricing.rs`, then the EVM-side gas of
//! `arbos/programs/api.go` and `crates/arbutil/src/evm/req.rs`). Every function the
//! stylus-sdk 0.9 can import is here, plus `transient_load_bytes32` /
//! `transient_store_bytes32`, `exit_early`, the `math_*` hostios and the debug `console`
//! module. `create1` / `create2` create contracts as `api.go`'s `create` does (EVM init code,
//! [`crate::evm::create`]).

use alloy_primitives::{keccak256, Address, Log, B256, U256};
use wasmparser::ValType;
use wasmtime::{Caller, Engine, Global, Linker, Memory, StoreLimits, Val};

use crate::{
    call::{self, Exec, Message},
    evm::{create, CreateRequest},
    pricing::{self, evm, hostio, INK_PER_GAS},
    receipt::{Category, Status},
    storage_cache::StorageCache,
};

/// Why a host function stopped the program.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub(crate) enum Escape {
    /// Not enough ink for the hostio.
    #[error("out of ink")]
    OutOfInk,
    /// `exit_early(status)`.
    #[error("exit with status {0}")]
    Exit(u32),
    /// A rule was broken (bad pointer, write in a static call...).
    #[error("{0}")]
    Failure(String),
}

type HostResult<T> = wasmtime::Result<T>;

fn fail<T>(message: impl Into<String>) -> HostResult<T> {
    Err(Escape::Failure(message.into()).into())
}

/// The store data of one running program (nitro's `EvmData` plus the host's state).
pub(crate) struct Frame {
    /// The transaction; taken out while a nested call runs.
    pub(crate) exec: Option<Box<Exec>>,
    pub(crate) address: Address,
    pub(crate) sender: Address,
    pub(crate) value: U256,
    pub(crate) is_static: bool,
    pub(crate) reentrant: bool,
    pub(crate) args: Vec<u8>,
    pub(crate) outs: Vec<u8>,
    return_data: Vec<u8>,
    cache: StorageCache,
    last_code: Option<(Address, Vec<u8>)>,
    pub(crate) ink: Option<Global>,
    pub(crate) status: Option<Global>,
    pub(crate) memory: Option<Memory>,
    pub(crate) limits: StoreLimits,
}

impl Frame {
    pub(crate) fn new(exec: Box<Exec>, msg: &Message, reentrant: bool) -> Self {
        let limits = wasmtime::StoreLimitsBuilder::new()
            .memory_size(usize::from(pricing::params::PAGE_LIMIT) * 65_536)
            .build();
        Self {
            exec: Some(exec),
            address: msg.address,
            sender: msg.caller,
            value: msg.value,
            is_static: msg.is_static,
            reentrant,
            args: msg.input.clone(),
            outs: Vec::new(),
            return_data: Vec::new(),
            cache: StorageCache::default(),
            last_code: None,
            ink: None,
            status: None,
            memory: None,
            limits,
        }
    }

    fn exec(&mut self) -> &mut Exec {
        self.exec.as_deref_mut().expect("the transaction is back in its frame between calls")
    }
}

type Ctx<'a> = Caller<'a, Frame>;

fn ptr(x: i32) -> u32 {
    x.cast_unsigned()
}

fn ink_left(c: &mut Ctx<'_>) -> u64 {
    let global = c.data().ink.expect("ink global is set before the entrypoint runs");
    global.get(&mut *c).unwrap_i64().cast_unsigned()
}

fn set_ink(c: &mut Ctx<'_>, ink: u64) -> HostResult<()> {
    let global = c.data().ink.expect("ink global is set before the entrypoint runs");
    global.set(&mut *c, Val::I64(ink.cast_signed()))
}

fn exhausted(c: &mut Ctx<'_>) -> bool {
    let global = c.data().status.expect("status global is set before the entrypoint runs");
    global.get(&mut *c).unwrap_i32() != 0
}

fn out_of_ink<T>(c: &mut Ctx<'_>) -> HostResult<T> {
    set_ink(c, 0)?;
    let global = c.data().status.expect("status global is set before the entrypoint runs");
    global.set(&mut *c, Val::I32(1))?;
    Err(Escape::OutOfInk.into())
}

/// Takes `ink`, recording it under `category` (`None`: a callee's gas, which the callee
/// recorded itself).
fn buy_ink(c: &mut Ctx<'_>, ink: u64, category: Option<Category>) -> HostResult<()> {
    let left = ink_left(c);
    if exhausted(c) || left < ink {
        return out_of_ink(c);
    }
    set_ink(c, left - ink)?;
    if let Some(category) = category {
        c.data_mut().exec().ledger.add_ink(category, ink);
    }
    Ok(())
}

fn buy_gas(c: &mut Ctx<'_>, gas: u64, category: Option<Category>) -> HostResult<()> {
    buy_ink(c, gas.saturating_mul(INK_PER_GAS), category)
}

fn require_gas(c: &mut Ctx<'_>, gas: u64) -> HostResult<()> {
    if exhausted(c) || ink_left(c) < gas.saturating_mul(INK_PER_GAS) {
        return out_of_ink(c);
    }
    Ok(())
}

fn gas_left(c: &mut Ctx<'_>) -> HostResult<u64> {
    if exhausted(c) {
        return out_of_ink(c);
    }
    Ok(ink_left(c) / INK_PER_GAS)
}

fn host(c: &mut Ctx<'_>, ink: u64) -> HostResult<()> {
    buy_ink(c, ink, Some(Category::Host))
}

fn pay_for_read(c: &mut Ctx<'_>, bytes: u32) -> HostResult<()> {
    host(c, pricing::read_price(bytes))
}

fn pay_for_write(c: &mut Ctx<'_>, bytes: u32) -> HostResult<()> {
    host(c, pricing::write_price(bytes))
}

fn memory(c: &Ctx<'_>) -> Memory {
    c.data().memory.expect("memory is set before the entrypoint runs")
}

fn read(c: &mut Ctx<'_>, at: u32, len: u32) -> HostResult<Vec<u8>> {
    let data = memory(c).data(&*c);
    let (at, len) = (at as usize, len as usize);
    match data.get(at..at.saturating_add(len)) {
        Some(bytes) => Ok(bytes.to_vec()),
        None => fail(format!("memory read out of bounds: {len} bytes at {at}")),
    }
}

fn read_fixed<const N: usize>(c: &mut Ctx<'_>, at: u32) -> HostResult<[u8; N]> {
    let bytes = read(c, at, u32::try_from(N).expect("fixed reads are small"))?;
    Ok(bytes.try_into().expect("read returns N bytes"))
}

fn read_b256(c: &mut Ctx<'_>, at: u32) -> HostResult<B256> {
    read_fixed::<32>(c, at).map(B256::from)
}

fn read_address(c: &mut Ctx<'_>, at: u32) -> HostResult<Address> {
    read_fixed::<20>(c, at).map(Address::from)
}

fn write(c: &mut Ctx<'_>, at: u32, bytes: &[u8]) -> HostResult<()> {
    let data = memory(c).data_mut(&mut *c);
    let at = at as usize;
    match data.get_mut(at..at.saturating_add(bytes.len())) {
        Some(dest) => {
            dest.copy_from_slice(bytes);
            Ok(())
        }
        None => fail(format!("memory write out of bounds: {} bytes at {at}", bytes.len())),
    }
}

fn write_u32(c: &mut Ctx<'_>, at: u32, value: u32) -> HostResult<()> {
    write(c, at, &value.to_le_bytes())
}

fn len32(bytes: &[u8]) -> u32 {
    u32::try_from(bytes.len()).unwrap_or(u32::MAX)
}

/// `bytes[offset..offset + size]`, cut at the end (`slice_with_runoff`).
fn runoff(bytes: &[u8], offset: u32, size: u32) -> &[u8] {
    let start = (offset as usize).min(bytes.len());
    let end = (offset.saturating_add(size) as usize).min(bytes.len());
    &bytes[start..end]
}

fn write_protection<T>() -> HostResult<T> {
    fail("write protection: state change in a static call")
}

/// `vm_hooks` and `console` imports the host provides, with their wasm types.
pub(crate) fn signature(
    module: &str,
    name: &str,
) -> Option<(&'static [ValType], &'static [ValType])> {
    const I: ValType = ValType::I32;
    const L: ValType = ValType::I64;
    let sig: (&'static [ValType], &'static [ValType]) = match (module, name) {
        (
            "vm_hooks",
            "read_args"
            | "contract_address"
            | "msg_sender"
            | "msg_value"
            | "tx_gas_price"
            | "tx_origin"
            | "block_basefee"
            | "block_coinbase"
            | "storage_flush_cache"
            | "pay_for_memory_grow"
            | "exit_early",
        )
        | ("console", "log_i32") => (&[I], &[]),
        (
            "vm_hooks",
            "write_result"
            | "storage_load_bytes32"
            | "storage_cache_bytes32"
            | "transient_load_bytes32"
            | "transient_store_bytes32"
            | "account_balance"
            | "account_codehash"
            | "math_div"
            | "math_mod"
            | "math_pow",
        )
        | ("console", "log_txt") => (&[I, I], &[]),
        ("vm_hooks", "native_keccak256" | "emit_log" | "math_add_mod" | "math_mul_mod") => {
            (&[I, I, I], &[])
        }
        ("vm_hooks", "read_return_data") => (&[I, I, I], &[I]),
        ("vm_hooks", "account_code") => (&[I, I, I, I], &[I]),
        ("vm_hooks", "account_code_size") => (&[I], &[I]),
        ("vm_hooks", "return_data_size" | "msg_reentrant" | "tx_ink_price") => (&[], &[I]),
        (
            "vm_hooks",
            "chainid" | "block_gas_limit" | "block_number" | "block_timestamp" | "evm_gas_left"
            | "evm_ink_left",
        ) => (&[], &[L]),
        ("vm_hooks", "call_contract") => (&[I, I, I, I, L, I], &[I]),
        ("vm_hooks", "delegate_call_contract" | "static_call_contract") => (&[I, I, I, L, I], &[I]),
        ("vm_hooks", "create1") => (&[I, I, I, I, I], &[]),
        ("vm_hooks", "create2") => (&[I, I, I, I, I, I], &[]),
        ("console", "log_i64") => (&[L], &[]),
        ("console", "log_f32") => (&[ValType::F32], &[]),
        ("console", "log_f64") => (&[ValType::F64], &[]),
        _ => return None,
    };
    Some(sig)
}

/// Which kind of call a program makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum CallKind {
    Call,
    Delegate,
    Static,
}

/// `do_call` of `user-host-trait` and `doCall` of `api.go`.
#[allow(clippy::too_many_arguments, reason = "the hostio's own arguments")]
fn do_call(
    c: &mut Ctx<'_>,
    kind: CallKind,
    contract: u32,
    data: u32,
    data_len: u32,
    value: Option<u32>,
    gas: u64,
    ret_len: u32,
) -> HostResult<i32> {
    buy_ink(c, hostio::CALL_CONTRACT, Some(Category::Host))?;
    pay_for_read(c, data_len)?;
    pay_for_read(c, data_len)?; // read from geth
    let gas_left = gas_left(c)?;
    let gas_req = gas.min(gas_left);
    let contract = read_address(c, contract)?;
    let input = read(c, data, data_len)?;
    let value = match value {
        Some(at) => U256::from_be_bytes(read_fixed::<32>(c, at)?),
        None => U256::ZERO,
    };

    let frame = c.data_mut();
    if frame.is_static && !value.is_zero() {
        frame.return_data.clear();
        write_u32(c, ret_len, 0)?;
        return Ok(2);
    }
    let mut exec = frame.exec.take().expect("the transaction is in its frame");
    let Ok(base) = exec.state.call_cost(contract, value, gas_left) else {
        // Not even the call's own cost can be paid: it takes all the gas left.
        frame.exec = Some(exec);
        frame.return_data.clear();
        buy_gas(c, gas_left, Some(Category::Calls))?;
        write_u32(c, ret_len, 0)?;
        return Ok(2);
    };
    let mut callee_gas = (gas_left.saturating_sub(base) * 63 / 64).min(gas_req);
    if !value.is_zero() {
        callee_gas = callee_gas.saturating_add(evm::CALL_STIPEND);
    }
    let msg = match kind {
        CallKind::Call => Message {
            caller: frame.address,
            address: contract,
            code_address: contract,
            value,
            transfer: true,
            input,
            gas: callee_gas,
            is_static: frame.is_static,
            delegate: false,
        },
        CallKind::Static => Message {
            caller: frame.address,
            address: contract,
            code_address: contract,
            value: U256::ZERO,
            transfer: false,
            input,
            gas: callee_gas,
            is_static: true,
            delegate: false,
        },
        CallKind::Delegate => Message {
            caller: frame.sender,
            address: frame.address,
            code_address: contract,
            value: frame.value,
            transfer: false,
            input,
            gas: callee_gas,
            is_static: frame.is_static,
            delegate: true,
        },
    };
    let (exec, outcome) = call::call(exec, &msg);
    frame.exec = Some(exec);
    let len = len32(&outcome.output);
    frame.return_data = outcome.output;
    buy_gas(c, base, Some(Category::Calls))?;
    buy_gas(c, callee_gas.saturating_sub(outcome.gas_left), None)?;
    write_u32(c, ret_len, len)?;
    Ok(if outcome.status == Status::Success { 0 } else { 2 })
}

/// `create1` / `create2` of `user-host-trait` and `create` of `api.go`: the base cost
/// (32,000, and `CREATE2`'s 6 per word hashed), then all but one 64th of the gas left to the
/// init code. EIP-3860's 2 gas per word and 49,152-byte limit are rules of the opcodes
/// (geth's `gasCreateEip3860`) that `api.go` does not apply. Writes the new address (zero on
/// failure) and the length of the return data, which only a reverted init code leaves.
fn do_create(
    c: &mut Ctx<'_>,
    ink: u64,
    [code, len, endowment, contract, ret_len]: [u32; 5],
    salt: Option<u32>,
) -> HostResult<()> {
    buy_ink(c, ink, Some(Category::Host))?;
    pay_for_read(c, len)?;
    pay_for_read(c, len)?; // read from geth
    let init_code = read(c, code, len)?;
    let value = U256::from_be_bytes(read_fixed::<32>(c, endowment)?);
    let salt = match salt {
        Some(at) => Some(read_b256(c, at)?),
        None => None,
    };
    if c.data().is_static {
        return write_protection();
    }
    let words = (init_code.len() as u64).div_ceil(32);
    let mut base = evm::CREATE;
    if salt.is_some() {
        base += words * evm::KECCAK_WORD;
    }
    buy_gas(c, base, Some(Category::Calls))?;
    let gas = gas_left(c)?;
    let given = gas - gas / 64;
    let frame = c.data_mut();
    let request = CreateRequest {
        caller: frame.address,
        value,
        init_code: init_code.into(),
        gas: given,
        salt,
    };
    let exec = frame.exec.take().expect("the transaction is in its frame");
    let (exec, created) = create(exec, &request);
    frame.exec = Some(exec);
    let revert_data = if created.status == Status::Revert { created.output } else { Vec::new() };
    let len = len32(&revert_data);
    frame.return_data = revert_data;
    buy_gas(c, given.saturating_sub(created.gas_left), None)?;
    let address = created.address.unwrap_or_default();
    write(c, contract, address.as_slice())?;
    write_u32(c, ret_len, len)
}

/// `storage_flush_cache` and `SetTrieSlots`.
fn flush(c: &mut Ctx<'_>, clear: bool) -> HostResult<()> {
    buy_ink(c, hostio::STORAGE_FLUSH, Some(Category::Host))?;
    require_gas(c, evm::SSTORE_SENTRY)?;
    let gas_left = gas_left(c)?;
    let frame = c.data_mut();
    let entries = frame.cache.flush(clear);
    if entries.is_empty() {
        return Ok(());
    }
    if frame.is_static {
        return write_protection();
    }
    let address = frame.address;
    let state = &mut frame.exec().state;
    let budget = gas_left.saturating_add(1);
    let mut remaining = budget;
    for (key, value) in entries {
        let cost = state.store_cost(address, key, value);
        if cost > remaining {
            remaining = 0;
            break;
        }
        remaining -= cost;
        state.sstore(address, key, value);
    }
    buy_gas(c, budget - remaining, Some(Category::Storage))
}

fn storage_load(c: &mut Ctx<'_>, key: u32, dest: u32) -> HostResult<()> {
    buy_ink(c, hostio::STORAGE_LOAD, Some(Category::Host))?;
    let evm_api_gas = pricing::EVM_API_INK / INK_PER_GAS;
    require_gas(c, evm::COLD_SLOAD + pricing::STORAGE_CACHE_ACCESS_GAS + evm_api_gas)?;
    let key = read_b256(c, key)?;
    let frame = c.data_mut();
    let address = frame.address;
    let mut cost = frame.cache.read_gas();
    let value = if let Some(value) = frame.cache.get(&key) {
        value
    } else {
        let state = &mut frame.exec.as_deref_mut().expect("transaction in frame").state;
        cost += state.load_cost(address, key) + evm_api_gas;
        let value = state.world.sload(address, key);
        frame.cache.insert_known(key, value);
        value
    };
    buy_gas(c, cost, Some(Category::Storage))?;
    write(c, dest, value.as_slice())
}

fn storage_cache(c: &mut Ctx<'_>, key: u32, value: u32) -> HostResult<()> {
    buy_ink(c, hostio::STORAGE_CACHE, Some(Category::Host))?;
    require_gas(c, evm::SSTORE_SENTRY + pricing::STORAGE_CACHE_ACCESS_GAS)?;
    let key = read_b256(c, key)?;
    let value = read_b256(c, value)?;
    let frame = c.data_mut();
    let cost = frame.cache.write_gas();
    frame.cache.cache(key, value);
    buy_gas(c, cost, Some(Category::Storage))
}

fn transient_load(c: &mut Ctx<'_>, key: u32, dest: u32) -> HostResult<()> {
    buy_ink(c, hostio::TRANSIENT_LOAD, Some(Category::Host))?;
    buy_gas(c, evm::TRANSIENT, Some(Category::Storage))?;
    let key = read_b256(c, key)?;
    let frame = c.data_mut();
    let address = frame.address;
    let value = frame.exec().state.tload(address, key);
    write(c, dest, value.as_slice())
}

fn transient_store(c: &mut Ctx<'_>, key: u32, value: u32) -> HostResult<()> {
    buy_ink(c, hostio::TRANSIENT_STORE, Some(Category::Host))?;
    buy_gas(c, evm::TRANSIENT, Some(Category::Storage))?;
    let key = read_b256(c, key)?;
    let value = read_b256(c, value)?;
    let frame = c.data_mut();
    if frame.is_static {
        return write_protection();
    }
    let address = frame.address;
    frame.exec().state.tstore(address, key, value);
    Ok(())
}

fn emit_log(c: &mut Ctx<'_>, data: u32, len: u32, topics: u32) -> HostResult<()> {
    buy_ink(c, hostio::EMIT_LOG, Some(Category::Host))?;
    if topics > 4 || len < topics * 32 {
        return fail("bad topic data");
    }
    pay_for_read(c, len)?;
    let gas =
        (1 + u64::from(topics)) * evm::LOG_TOPIC + u64::from(len - topics * 32) * evm::LOG_DATA;
    buy_gas(c, gas, Some(Category::Logs))?;
    let bytes = read(c, data, len)?;
    let frame = c.data_mut();
    if frame.is_static {
        return write_protection();
    }
    let split = topics as usize * 32;
    let topics = bytes[..split].chunks(32).map(B256::from_slice).collect();
    let log = Log::new_unchecked(frame.address, topics, bytes[split..].to_vec().into());
    frame.exec().state.log(log);
    Ok(())
}

fn account_balance(c: &mut Ctx<'_>, address: u32, dest: u32) -> HostResult<()> {
    buy_ink(c, hostio::ACCOUNT_BALANCE, Some(Category::Host))?;
    require_gas(c, evm::COLD_ACCOUNT)?;
    let address = read_address(c, address)?;
    let state = &mut c.data_mut().exec().state;
    let cost = state.touch_cost(address, false);
    let balance = state.world.balance(address);
    buy_gas(c, cost, Some(Category::Calls))?;
    write(c, dest, &balance.to_be_bytes::<32>())
}

/// `account_code` / `account_code_size`: the code and the gas to pay for it.
fn account_code_of(c: &mut Ctx<'_>, address: u32) -> HostResult<Vec<u8>> {
    require_gas(c, evm::COLD_ACCOUNT)?;
    let address = read_address(c, address)?;
    let gas = gas_left(c)?;
    let frame = c.data_mut();
    if let Some((cached, code)) = &frame.last_code {
        if *cached == address {
            return Ok(code.clone());
        }
    }
    let state = &mut frame.exec().state;
    let cost = state.touch_cost(address, true);
    let code = if gas < cost { Vec::new() } else { state.world.code(address).to_vec() };
    if !code.is_empty() {
        frame.last_code = Some((address, code.clone()));
    }
    buy_gas(c, cost, Some(Category::Calls))?;
    Ok(code)
}

fn account_code(
    c: &mut Ctx<'_>,
    address: u32,
    offset: u32,
    size: u32,
    dest: u32,
) -> HostResult<u32> {
    buy_ink(c, hostio::ACCOUNT_CODE, Some(Category::Host))?;
    let code = account_code_of(c, address)?;
    pay_for_write(c, len32(&code))?;
    let out = runoff(&code, offset, size);
    write(c, dest, out)?;
    Ok(len32(out))
}

fn account_code_size(c: &mut Ctx<'_>, address: u32) -> HostResult<u32> {
    buy_ink(c, hostio::ACCOUNT_CODE_SIZE, Some(Category::Host))?;
    Ok(len32(&account_code_of(c, address)?))
}

fn account_codehash(c: &mut Ctx<'_>, address: u32, dest: u32) -> HostResult<()> {
    buy_ink(c, hostio::ACCOUNT_CODE_HASH, Some(Category::Host))?;
    require_gas(c, evm::COLD_ACCOUNT)?;
    let address = read_address(c, address)?;
    let state = &mut c.data_mut().exec().state;
    let cost = state.touch_cost(address, false);
    let hash = state.world.code_hash(address);
    buy_gas(c, cost, Some(Category::Calls))?;
    write(c, dest, hash.as_slice())
}

fn read_return_data(c: &mut Ctx<'_>, dest: u32, offset: u32, size: u32) -> HostResult<u32> {
    buy_ink(c, hostio::READ_RETURN_DATA, Some(Category::Host))?;
    let data = std::mem::take(&mut c.data_mut().return_data);
    let max = len32(&data).saturating_sub(offset);
    let result = pay_for_write(c, size.min(max)).and_then(|()| {
        let out = runoff(&data, offset, size);
        if !out.is_empty() {
            write(c, dest, out)?;
        }
        Ok(len32(out))
    });
    c.data_mut().return_data = data;
    result
}

fn pay_for_memory_grow(c: &mut Ctx<'_>, pages: u16) -> HostResult<()> {
    if pages == 0 {
        return buy_ink(c, hostio::PLAIN, Some(Category::Host));
    }
    let exec = c.data_mut().exec();
    let gas = pricing::memory_gas(pages, exec.pages_open, exec.pages_ever);
    exec.pages_open = exec.pages_open.saturating_add(pages);
    exec.pages_ever = exec.pages_ever.max(exec.pages_open);
    buy_gas(c, gas, Some(Category::Memory))
}

fn math(c: &mut Ctx<'_>, ink: u64, args: &[u32], f: impl Fn(&[U256]) -> U256) -> HostResult<()> {
    buy_ink(c, ink, Some(Category::Host))?;
    let mut values = Vec::with_capacity(args.len());
    for at in args {
        values.push(U256::from_be_bytes(read_fixed::<32>(c, *at)?));
    }
    write(c, args[0], &f(&values).to_be_bytes::<32>())
}

fn console(c: &mut Ctx<'_>, line: String) {
    c.data_mut().exec().console.push(line);
}

/// Writes a fixed-size value the frame or block provides (`msg_sender`, `block_basefee`...).
fn give(c: &mut Ctx<'_>, dest: i32, value: impl Fn(&Frame) -> Vec<u8>) -> HostResult<()> {
    buy_ink(c, hostio::ONE_PTR, Some(Category::Host))?;
    let bytes = value(c.data());
    write(c, ptr(dest), &bytes)
}

/// Returns a number the frame or block provides (`block_number`, `chainid`...).
fn number(c: &mut Ctx<'_>, value: impl Fn(&Frame) -> u64) -> HostResult<i64> {
    buy_ink(c, hostio::PLAIN, Some(Category::Host))?;
    Ok(value(c.data()).cast_signed())
}

fn env(frame: &Frame) -> &call::Env {
    &frame.exec.as_deref().expect("transaction in frame").env
}

/// Builds the linker with every host function.
#[allow(clippy::too_many_lines, reason = "one short closure per host function")]
pub(crate) fn linker(engine: &Engine) -> wasmtime::Result<Linker<Frame>> {
    let mut l = Linker::new(engine);
    let vm = "vm_hooks";

    l.func_wrap(vm, "read_args", |mut c: Ctx<'_>, dest: i32| {
        let args = std::mem::take(&mut c.data_mut().args);
        let result = buy_ink(&mut c, hostio::READ_ARGS, Some(Category::Host))
            .and_then(|()| pay_for_write(&mut c, len32(&args)))
            .and_then(|()| write(&mut c, ptr(dest), &args));
        c.data_mut().args = args;
        result
    })?;
    l.func_wrap(vm, "write_result", |mut c: Ctx<'_>, data: i32, len: i32| {
        buy_ink(&mut c, hostio::WRITE_RESULT, Some(Category::Host))?;
        pay_for_read(&mut c, ptr(len))?;
        pay_for_read(&mut c, ptr(len))?; // read from geth
        let outs = read(&mut c, ptr(data), ptr(len))?;
        c.data_mut().outs = outs;
        Ok(())
    })?;
    l.func_wrap(vm, "exit_early", |_: Ctx<'_>, status: i32| -> HostResult<()> {
        Err(Escape::Exit(ptr(status)).into())
    })?;
    l.func_wrap(vm, "storage_load_bytes32", |mut c: Ctx<'_>, key: i32, dest: i32| {
        storage_load(&mut c, ptr(key), ptr(dest))
    })?;
    l.func_wrap(vm, "storage_cache_bytes32", |mut c: Ctx<'_>, key: i32, value: i32| {
        storage_cache(&mut c, ptr(key), ptr(value))
    })?;
    l.func_wrap(vm, "storage_flush_cache", |mut c: Ctx<'_>, clear: i32| flush(&mut c, clear != 0))?;
    l.func_wrap(vm, "transient_load_bytes32", |mut c: Ctx<'_>, key: i32, dest: i32| {
        transient_load(&mut c, ptr(key), ptr(dest))
    })?;
    l.func_wrap(vm, "transient_store_bytes32", |mut c: Ctx<'_>, key: i32, value: i32| {
        transient_store(&mut c, ptr(key), ptr(value))
    })?;
    l.func_wrap(
        vm,
        "call_contract",
        |mut c: Ctx<'_>, to: i32, data: i32, len: i32, value: i32, gas: i64, ret: i32| {
            let (to, data, len, value, ret) = (ptr(to), ptr(data), ptr(len), ptr(value), ptr(ret));
            do_call(&mut c, CallKind::Call, to, data, len, Some(value), gas.cast_unsigned(), ret)
        },
    )?;
    l.func_wrap(
        vm,
        "delegate_call_contract",
        |mut c: Ctx<'_>, to: i32, data: i32, len: i32, gas: i64, ret: i32| {
            let (to, data, len, ret) = (ptr(to), ptr(data), ptr(len), ptr(ret));
            do_call(&mut c, CallKind::Delegate, to, data, len, None, gas.cast_unsigned(), ret)
        },
    )?;
    l.func_wrap(
        vm,
        "static_call_contract",
        |mut c: Ctx<'_>, to: i32, data: i32, len: i32, gas: i64, ret: i32| {
            let (to, data, len, ret) = (ptr(to), ptr(data), ptr(len), ptr(ret));
            do_call(&mut c, CallKind::Static, to, data, len, None, gas.cast_unsigned(), ret)
        },
    )?;
    l.func_wrap(
        vm,
        "create1",
        |mut c: Ctx<'_>, code: i32, len: i32, endowment: i32, contract: i32, ret: i32| {
            let args = [ptr(code), ptr(len), ptr(endowment), ptr(contract), ptr(ret)];
            do_create(&mut c, hostio::CREATE1, args, None)
        },
    )?;
    l.func_wrap(
        vm,
        "create2",
        |mut c: Ctx<'_>,
         code: i32,
         len: i32,
         endowment: i32,
         salt: i32,
         contract: i32,
         ret: i32| {
            let args = [ptr(code), ptr(len), ptr(endowment), ptr(contract), ptr(ret)];
            do_create(&mut c, hostio::CREATE2, args, Some(ptr(salt)))
        },
    )?;
    l.func_wrap(vm, "read_return_data", |mut c: Ctx<'_>, dest: i32, offset: i32, size: i32| {
        read_return_data(&mut c, ptr(dest), ptr(offset), ptr(size)).map(u32::cast_signed)
    })?;
    l.func_wrap(vm, "return_data_size", |mut c: Ctx<'_>| {
        buy_ink(&mut c, hostio::RETURN_DATA_SIZE, Some(Category::Host))?;
        Ok(len32(&c.data().return_data).cast_signed())
    })?;
    l.func_wrap(vm, "emit_log", |mut c: Ctx<'_>, data: i32, len: i32, topics: i32| {
        emit_log(&mut c, ptr(data), ptr(len), ptr(topics))
    })?;
    l.func_wrap(vm, "account_balance", |mut c: Ctx<'_>, address: i32, dest: i32| {
        account_balance(&mut c, ptr(address), ptr(dest))
    })?;
    l.func_wrap(
        vm,
        "account_code",
        |mut c: Ctx<'_>, address: i32, offset: i32, size: i32, dest: i32| {
            account_code(&mut c, ptr(address), ptr(offset), ptr(size), ptr(dest))
                .map(u32::cast_signed)
        },
    )?;
    l.func_wrap(vm, "account_code_size", |mut c: Ctx<'_>, address: i32| {
        account_code_size(&mut c, ptr(address)).map(u32::cast_signed)
    })?;
    l.func_wrap(vm, "account_codehash", |mut c: Ctx<'_>, address: i32, dest: i32| {
        account_codehash(&mut c, ptr(address), ptr(dest))
    })?;
    l.func_wrap(vm, "block_basefee", |mut c: Ctx<'_>, dest: i32| {
        give(&mut c, dest, |f| env(f).basefee.to_be_bytes::<32>().to_vec())
    })?;
    l.func_wrap(vm, "block_coinbase", |mut c: Ctx<'_>, dest: i32| {
        give(&mut c, dest, |f| env(f).coinbase.to_vec())
    })?;
    l.func_wrap(vm, "contract_address", |mut c: Ctx<'_>, dest: i32| {
        give(&mut c, dest, |f| f.address.to_vec())
    })?;
    l.func_wrap(vm, "msg_sender", |mut c: Ctx<'_>, dest: i32| {
        give(&mut c, dest, |f| f.sender.to_vec())
    })?;
    l.func_wrap(vm, "msg_value", |mut c: Ctx<'_>, dest: i32| {
        give(&mut c, dest, |f| f.value.to_be_bytes::<32>().to_vec())
    })?;
    l.func_wrap(vm, "tx_gas_price", |mut c: Ctx<'_>, dest: i32| {
        give(&mut c, dest, |f| env(f).basefee.to_be_bytes::<32>().to_vec())
    })?;
    l.func_wrap(vm, "tx_origin", |mut c: Ctx<'_>, dest: i32| {
        give(&mut c, dest, |f| env(f).origin.to_vec())
    })?;
    l.func_wrap(vm, "block_gas_limit", |mut c: Ctx<'_>| number(&mut c, |f| env(f).gas_limit))?;
    l.func_wrap(vm, "block_number", |mut c: Ctx<'_>| number(&mut c, |f| env(f).block_number))?;
    l.func_wrap(vm, "block_timestamp", |mut c: Ctx<'_>| number(&mut c, |f| env(f).timestamp))?;
    l.func_wrap(vm, "chainid", |mut c: Ctx<'_>| number(&mut c, |f| env(f).chain_id))?;
    l.func_wrap(vm, "evm_gas_left", |mut c: Ctx<'_>| {
        buy_ink(&mut c, hostio::PLAIN, Some(Category::Host))?;
        Ok(gas_left(&mut c)?.cast_signed())
    })?;
    l.func_wrap(vm, "evm_ink_left", |mut c: Ctx<'_>| {
        buy_ink(&mut c, hostio::PLAIN, Some(Category::Host))?;
        Ok(ink_left(&mut c).cast_signed())
    })?;
    l.func_wrap(vm, "tx_ink_price", |mut c: Ctx<'_>| {
        buy_ink(&mut c, hostio::PLAIN, Some(Category::Host))?;
        Ok(i32::try_from(INK_PER_GAS).unwrap_or(i32::MAX))
    })?;
    l.func_wrap(vm, "msg_reentrant", |mut c: Ctx<'_>| {
        buy_ink(&mut c, hostio::PLAIN, Some(Category::Host))?;
        Ok(i32::from(c.data().reentrant))
    })?;
    l.func_wrap(vm, "pay_for_memory_grow", |mut c: Ctx<'_>, pages: i32| {
        // The import takes a u16.
        pay_for_memory_grow(&mut c, u16::try_from(ptr(pages)).unwrap_or(u16::MAX))
    })?;
    l.func_wrap(vm, "native_keccak256", |mut c: Ctx<'_>, data: i32, len: i32, out: i32| {
        buy_ink(&mut c, pricing::keccak_price(ptr(len)), Some(Category::Host))?;
        let preimage = read(&mut c, ptr(data), ptr(len))?;
        write(&mut c, ptr(out), keccak256(preimage).as_slice())
    })?;
    l.func_wrap(vm, "math_div", |mut c: Ctx<'_>, a: i32, b: i32| {
        math(&mut c, hostio::MATH_DIV, &[ptr(a), ptr(b)], |v| {
            v[0].checked_div(v[1]).unwrap_or_default()
        })
    })?;
    l.func_wrap(vm, "math_mod", |mut c: Ctx<'_>, a: i32, b: i32| {
        math(&mut c, hostio::MATH_DIV, &[ptr(a), ptr(b)], |v| {
            v[0].checked_rem(v[1]).unwrap_or_default()
        })
    })?;
    l.func_wrap(vm, "math_pow", |mut c: Ctx<'_>, a: i32, b: i32| {
        let exponent = read_fixed::<32>(&mut c, ptr(b))?;
        buy_ink(&mut c, pricing::pow_price(&exponent), Some(Category::Host))?;
        math(&mut c, hostio::MATH_POW, &[ptr(a), ptr(b)], |v| v[0].wrapping_pow(v[1]))
    })?;
    l.func_wrap(vm, "math_add_mod", |mut c: Ctx<'_>, a: i32, b: i32, m: i32| {
        math(&mut c, hostio::MATH_ADD_MOD, &[ptr(a), ptr(b), ptr(m)], |v| v[0].add_mod(v[1], v[2]))
    })?;
    l.func_wrap(vm, "math_mul_mod", |mut c: Ctx<'_>, a: i32, b: i32, m: i32| {
        math(&mut c, hostio::MATH_MUL_MOD, &[ptr(a), ptr(b), ptr(m)], |v| v[0].mul_mod(v[1], v[2]))
    })?;

    let log = "console";
    l.func_wrap(log, "log_txt", |mut c: Ctx<'_>, text: i32, len: i32| {
        let text = read(&mut c, ptr(text), ptr(len))?;
        console(&mut c, String::from_utf8_lossy(&text).into_owned());
        Ok(())
    })?;
    l.func_wrap(log, "log_i32", |mut c: Ctx<'_>, x: i32| console(&mut c, x.to_string()))?;
    l.func_wrap(log, "log_i64", |mut c: Ctx<'_>, x: i64| console(&mut c, x.to_string()))?;
    l.func_wrap(log, "log_f32", |mut c: Ctx<'_>, x: f32| console(&mut c, x.to_string()))?;
    l.func_wrap(log, "log_f64", |mut c: Ctx<'_>, x: f64| console(&mut c, x.to_string()))?;
    Ok(l)
}
