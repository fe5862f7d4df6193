//! ArbWasm (0x71): activating Stylus programs, as `precompiles/ArbWasm.go` and
//! `arbos/programs/programs.go` (`ActivateProgram`) do it.
//!
//! A program is deployed like any contract (a CREATE whose init code returns `0xEFF000`, a
//! dictionary byte and the brotli-compressed wasm) and then activated by its code hash:
//! `activateProgram(address)` reads the code, decompresses it (at most 128 KiB of wasm),
//! validates and compiles it ([`crate::validate()`]), records it for that code hash, and
//! charges:
//!
//! - **gas:** the precompile's argument copy (3 gas a word), ArbWasm's fixed 1,659,168, the
//!   activation's own parse-and-compile charge ([`crate::ModuleInfo::activation_gas`]), and nitro's
//!   ArbOS storage prices for what it reads and writes (800 a read, 20,000 a write, 100 for
//!   the packed Stylus parameters): the ArbOS version, ArbOS 60's `ActivationGas` parameter
//!   (0: nothing more to burn), the parameters, the program entry, the data pricer's five
//!   fields and two writes, the module hash and the program entry written, the network fee
//!   account; then the `ProgramActivated` log and the result's copy; a program activation
//!   refuses takes all the gas, as nitro's `takeAllGas`;
//! - **the data fee, in wei:** nitro's data pricer (`arbos/programs/data_pricer.go`),
//!   `floor(minPrice · e^(demand / inertia))` per byte of the program's asm estimate
//!   ([`crate::ModuleInfo::asm_estimate`]), the exponential in basis points
//!   (`ApproxExpBasisPoints`, 12 terms), where `demand` grows by each activation's estimate
//!   and drains at `bytesPerSecond` since the last activation (`initDataPricer`'s
//!   parameters: min price 82,928,201 wei, inertia 21,360,419, 1 TiB a year). The call's
//!   value pays it: less is `ProgramInsufficientValue(have, want)`; the fee goes to
//!   [`NETWORK_FEE_ACCOUNT`] and the rest back to the caller.
//! - **nitro's precompile wrapper:** a method that takes no value called with value, a
//!   selector ArbWasm does not have, arguments that do not decode, or `activateProgram` in a
//!   static call revert with no gas left; a Solidity error's data costs 3 gas a word.
//!
//! Activating a code hash that is already active fails with `ProgramUpToDate()`; code that
//! is not a Stylus program with `ProgramNotWasm()`. Calling a program before its code hash is
//! activated fails (`src/call.rs`). The data pricer's state lives in storage of the
//! ArbOS state account, so a reverted activation leaves it as it was.
//!
//! Views: `stylusVersion()` (2), `codehashVersion(bytes32)`, `programVersion(address)`
//! (`ProgramNotActivated()` when not active), `programInitGas(address)`,
//! `programMemoryFootprint(address)`, `codehashAsmSize(bytes32)`, `inkPrice()`,
//! `freePages()`, `pageGas()`, `pageLimit()`; each pays the ArbOS version's read and the
//! parameters' 100, a per-program view the account's code hash (2,600) and the program
//! entry (800), a per-code-hash view the program entry.
//!
//! Not modelled: expiry and keepalive (programs never expire here), the `StylusProgram`
//! dictionary (dictionary byte 1), chain-owner parameter changes. Other selectors revert.

use std::sync::Arc;

use alloy_primitives::{address, keccak256, Address, Log, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent};

use crate::{
    call::{Exec, Message, Outcome},
    pricing::{self, evm},
    program::Program,
    receipt::{Category, Status},
    state::is_stylus_code,
    validate::STYLUS_PREFIX,
};

/// ArbWasm's address.
pub const ARB_WASM: Address = address!("0000000000000000000000000000000000000071");
pub use super::{ARBOS_STATE, NETWORK_FEE_ACCOUNT};
/// The Stylus version programs are activated at.
pub const STYLUS_VERSION: u16 = 2;
/// ArbWasm's fixed charge for beginning an activation.
pub const ACTIVATION_FIXED_GAS: u64 = 1_659_168;
use crate::pricing::params::MAX_WASM_SIZE;

/// ArbOS storage prices (`arbos/storage`): a read, a write of a non-zero word.
const STORAGE_READ: u64 = 800;
const STORAGE_WRITE: u64 = 20_000;
/// `Programs.Params()`: one warm read for the packed Stylus parameters.
const PARAMS_READ: u64 = 100;
/// `Context.GetCodeHash` (`StorageCodeHashCost`, a cold account access).
const CODE_HASH_READ: u64 = 2_600;

/// The data pricer's parameters (`arbos/programs/data_pricer.go`, `initDataPricer`): 1 TiB a
/// year refilled each second, `ArbitrumStartTime`, "5Mb = $1", "expensive at 1Tb".
const INITIAL_BYTES_PER_SECOND: u64 = (1 << 40) / (365 * 24) / 3_600;
const INITIAL_LAST_UPDATE_TIME: u64 = 1_421_388_000;
const INITIAL_MIN_PRICE: u64 = 82_928_201;
const INITIAL_INERTIA: u64 = 21_360_419;
const ONE_IN_BIPS: u64 = 10_000;

sol! {
    /// ArbWasm's interface (nitro-contracts `src/precompiles/ArbWasm.sol`), the part modelled.
    interface IArbWasm {
        function activateProgram(address program) external payable returns (uint16 version, uint256 dataFee);
        function stylusVersion() external view returns (uint16 version);
        function codehashVersion(bytes32 codehash) external view returns (uint16 version);
        function codehashAsmSize(bytes32 codehash) external view returns (uint32 size);
        function programVersion(address program) external view returns (uint16 version);
        function programInitGas(address program) external view returns (uint64 gas, uint64 gasWhenCached);
        function programMemoryFootprint(address program) external view returns (uint16 footprint);
        function inkPrice() external view returns (uint32 price);
        function freePages() external view returns (uint16 pages);
        function pageGas() external view returns (uint16 gas);
        function pageLimit() external view returns (uint16 limit);
        event ProgramActivated(bytes32 indexed codehash, bytes32 moduleHash, address program, uint256 dataFee, uint16 version);
        error ProgramNotWasm();
        error ProgramNotActivated();
        error ProgramUpToDate();
        error ProgramInsufficientValue(uint256 have, uint256 want);
    }
}

pub use IArbWasm::{activateProgramCall, ProgramActivated};

/// A precompile's running gas bill.
struct Bill<'a> {
    exec: &'a mut Exec,
    left: u64,
}

impl Bill<'_> {
    /// Pays `gas`; `false` when it is more than what is left (then nothing is left).
    fn pay(&mut self, gas: u64) -> bool {
        let paid = gas.min(self.left);
        self.exec.ledger.add_gas(Category::Precompiles, paid);
        self.left -= paid;
        paid == gas
    }
}

fn words(len: usize) -> u64 {
    (len as u64).div_ceil(32)
}

fn out_of_gas() -> Outcome {
    Outcome { status: Status::OutOfGas, output: Vec::new(), gas_left: 0 }
}

/// The storage slot of the data pricer's field `offset` in the ArbOS state account.
fn pricer_slot(offset: u8) -> B256 {
    keccak256([&b"stylus-vm arbos programs data pricer"[..], &[offset]].concat())
}

/// `updateModel(tempBytes, time)`: the data fee of activating `bytes` of asm at `time`.
fn update_data_pricer(exec: &mut Exec, bytes: u32, time: u64) -> U256 {
    let world = &exec.state.world;
    let stored = |offset: u8| world.sload(ARBOS_STATE, pricer_slot(offset));
    // Unset fields hold the initial values (ArbOS writes them at genesis).
    let demand = U256::from_be_bytes(stored(0).0).to::<u64>();
    let last = stored(1);
    let last = if last.is_zero() {
        INITIAL_LAST_UPDATE_TIME
    } else {
        U256::from_be_bytes(last.0).to::<u64>()
    };
    // Go's `time - lastUpdateTime` wraps when the clock went back, then saturates to u32.
    let delta = u64::from(u32::try_from(time.wrapping_sub(last)).unwrap_or(u32::MAX));
    let credit = INITIAL_BYTES_PER_SECOND.saturating_mul(delta);
    let demand = u64::from(u32::try_from(demand.saturating_sub(credit)).unwrap_or(u32::MAX))
        .saturating_add(u64::from(bytes))
        .min(u64::from(u32::MAX));
    exec.state.sstore(ARBOS_STATE, pricer_slot(0), U256::from(demand).into());
    exec.state.sstore(ARBOS_STATE, pricer_slot(1), U256::from(time).into());
    let exponent = ONE_IN_BIPS * demand / INITIAL_INERTIA;
    let multiplier = approx_exp_bips(exponent, 12);
    // `UintSaturatingMulByBips`: the price of a byte is rounded down before the bytes count.
    let per_byte = INITIAL_MIN_PRICE.saturating_mul(multiplier) / ONE_IN_BIPS;
    U256::from(per_byte.saturating_mul(u64::from(bytes)))
}

/// `arbmath.ApproxExpBasisPoints` for a non-negative exponent: e^(value / 10,000) in basis
/// points, by a Taylor series of `accuracy` terms (Horner's scheme).
fn approx_exp_bips(value: u64, accuracy: u64) -> u64 {
    let mut result = ONE_IN_BIPS + value / accuracy;
    for i in 1..accuracy {
        result = ONE_IN_BIPS + result.saturating_mul(value) / ((accuracy - i) * ONE_IN_BIPS);
    }
    result
}

/// Decompresses a program's code into its wasm, or `None` when it is not a program this VM
/// can read (no Stylus prefix, the `StylusProgram` dictionary, bad brotli, over 128 KiB).
pub(crate) fn wasm_of(code: &[u8]) -> Option<Vec<u8>> {
    if !is_stylus_code(code) || code[3] != STYLUS_PREFIX[3] {
        return None;
    }
    let mut out = Vec::new();
    let mut input = &code[STYLUS_PREFIX.len()..];
    let mut limited = LimitedWriter { out: &mut out, limit: MAX_WASM_SIZE };
    brotli::BrotliDecompress(&mut input, &mut limited).ok()?;
    Some(out)
}

/// A writer that refuses to grow past `limit` bytes (a decompression bomb stops early).
struct LimitedWriter<'a> {
    out: &'a mut Vec<u8>,
    limit: usize,
}

impl std::io::Write for LimitedWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.out.len() + buf.len() > self.limit {
            return Err(std::io::Error::other("wasm larger than MaxWasmSize"));
        }
        self.out.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The activated program of the code hash, if any.
fn active(exec: &Exec, codehash: B256) -> Option<Arc<Program>> {
    exec.state.world.programs.get(&codehash).cloned()
}

/// The activated program at `address`, if any.
fn active_at(exec: &Exec, address: Address) -> Option<Arc<Program>> {
    exec.state.world.program(address).map(|(_, p)| Arc::clone(p))
}

/// Runs a call to ArbWasm; `msg.value` has already moved to [`ARB_WASM`].
pub(crate) fn run(exec: &mut Exec, msg: &Message) -> Outcome {
    let input = &msg.input;
    let mut bill = Bill { exec, left: msg.gas };
    if !bill.pay(evm::COPY_WORD * words(input.len().saturating_sub(4))) {
        return out_of_gas();
    }
    if let Ok(call) = activateProgramCall::abi_decode(input, true) {
        if msg.is_static {
            // A method that writes, in a static call.
            return burn_out(bill);
        }
        return activate(bill, msg, call.program);
    }
    if !msg.value.is_zero() {
        // Only `activateProgram` is payable.
        return burn_out(bill);
    }
    let word = |x: u64| U256::from(x).to_be_bytes::<32>().to_vec();
    // The ArbOS version (every method opens the ArbOS state), the parameters, and `reads`
    // more words.
    let read = |bill: &mut Bill<'_>, reads: u64| {
        bill.pay(STORAGE_READ + PARAMS_READ + reads * STORAGE_READ)
    };
    let result: Result<Vec<u8>, Vec<u8>> =
        if input.get(..4) == Some(&IArbWasm::stylusVersionCall::SELECTOR[..]) {
            if !read(&mut bill, 0) {
                return out_of_gas();
            }
            Ok(word(u64::from(STYLUS_VERSION)))
        } else if let Ok(call) = IArbWasm::codehashVersionCall::abi_decode(input, true) {
            if !read(&mut bill, 1) {
                return out_of_gas();
            }
            match active(bill.exec, call.codehash) {
                Some(_) => Ok(word(u64::from(STYLUS_VERSION))),
                None => Err(IArbWasm::ProgramNotActivated {}.abi_encode()),
            }
        } else if let Ok(call) = IArbWasm::codehashAsmSizeCall::abi_decode(input, true) {
            if !read(&mut bill, 1) {
                return out_of_gas();
            }
            match active(bill.exec, call.codehash) {
                // ArbOS keeps the estimate in KiB.
                Some(p) => Ok(word(u64::from(p.info.asm_estimate.div_ceil(1024)) * 1024)),
                None => Err(IArbWasm::ProgramNotActivated {}.abi_encode()),
            }
        } else if let Some(address) = program_view_address(input) {
            if !bill.pay(CODE_HASH_READ) || !read(&mut bill, 1) {
                return out_of_gas();
            }
            match active_at(bill.exec, address) {
                Some(p) => Ok(program_view(input, &p)),
                None => Err(IArbWasm::ProgramNotActivated {}.abi_encode()),
            }
        } else if let Some(value) = parameter_view(input) {
            if !read(&mut bill, 0) {
                return out_of_gas();
            }
            Ok(word(value))
        } else {
            // No such method, or arguments that do not decode.
            return burn_out(bill);
        };
    match result {
        Ok(output) => {
            if !bill.pay(evm::COPY_WORD * words(output.len())) {
                return out_of_gas();
            }
            Outcome { status: Status::Success, output, gas_left: bill.left }
        }
        Err(output) => sol_revert(bill, output),
    }
}

/// The parameter a parameter view answers (`inkPrice()`, `freePages()`, `pageGas()`,
/// `pageLimit()`).
fn parameter_view(input: &[u8]) -> Option<u64> {
    let selector = input.get(..4)?;
    let views = [
        (IArbWasm::inkPriceCall::SELECTOR, pricing::INK_PER_GAS),
        (IArbWasm::freePagesCall::SELECTOR, u64::from(pricing::params::FREE_PAGES)),
        (IArbWasm::pageGasCall::SELECTOR, pricing::params::PAGE_GAS),
        (IArbWasm::pageLimitCall::SELECTOR, u64::from(pricing::params::PAGE_LIMIT)),
    ];
    views.iter().find(|(s, _)| s[..] == *selector).map(|(_, value)| *value)
}

/// nitro's wrapper refusing a call before the method runs: a revert with no gas left.
fn burn_out(mut bill: Bill<'_>) -> Outcome {
    bill.pay(bill.left);
    Outcome { status: Status::Revert, output: Vec::new(), gas_left: 0 }
}

/// A Solidity error: its data costs 3 gas a word to return (nothing is returned, and no gas
/// left, when that cannot be paid).
fn sol_revert(mut bill: Bill<'_>, output: Vec<u8>) -> Outcome {
    if !bill.pay(evm::COPY_WORD * words(output.len())) {
        return Outcome { status: Status::Revert, output: Vec::new(), gas_left: 0 };
    }
    Outcome { status: Status::Revert, output, gas_left: bill.left }
}

/// The program a per-program view asks about.
fn program_view_address(input: &[u8]) -> Option<Address> {
    let selector = input.get(..4)?;
    let views = [
        IArbWasm::programVersionCall::SELECTOR,
        IArbWasm::programInitGasCall::SELECTOR,
        IArbWasm::programMemoryFootprintCall::SELECTOR,
    ];
    if !views.iter().any(|s| s[..] == *selector) || input.len() != 36 {
        return None;
    }
    let word = U256::from_be_slice(&input[4..36]);
    (word >> 160_usize).is_zero().then(|| Address::from_word(B256::from(word)))
}

fn program_view(input: &[u8], program: &Program) -> Vec<u8> {
    let word = |x: u64| U256::from(x).to_be_bytes::<32>().to_vec();
    let info = &program.info;
    match [input[0], input[1], input[2], input[3]] {
        IArbWasm::programVersionCall::SELECTOR => word(u64::from(STYLUS_VERSION)),
        IArbWasm::programInitGasCall::SELECTOR => {
            [word(info.cached_gas() + info.init_gas()), word(info.cached_gas())].concat()
        }
        _ => word(u64::from(info.footprint)),
    }
}

/// `activateProgram(program)`.
fn activate(mut bill: Bill<'_>, msg: &Message, program: Address) -> Outcome {
    // The ArbOS version and ArbOS 60's `ActivationGas` (0 to burn), the fixed charge, the
    // parameters and the program entry.
    if !bill.pay(2 * STORAGE_READ)
        || !bill.pay(ACTIVATION_FIXED_GAS)
        || !bill.pay(PARAMS_READ + STORAGE_READ)
    {
        return out_of_gas();
    }
    let exec = &mut *bill.exec;
    let account = exec.state.world.accounts.get(&program);
    let (code, codehash) = account.map(|a| (a.code.clone(), a.code_hash)).unwrap_or_default();
    if active(exec, codehash).is_some() {
        return sol_revert(bill, IArbWasm::ProgramUpToDate {}.abi_encode());
    }
    let Some(wasm) = wasm_of(&code) else {
        return sol_revert(bill, IArbWasm::ProgramNotWasm {}.abi_encode());
    };
    let compiled = match crate::compile(&wasm) {
        Ok(compiled) => compiled,
        Err(e) => {
            // nitro's `takeAllGas`: a program activation refuses burns the call's gas.
            bill.pay(bill.left);
            return Outcome {
                status: Status::Failure(format!("activation failed: {e}")),
                output: Vec::new(),
                gas_left: 0,
            };
        }
    };
    if !bill.pay(compiled.info.activation_gas) || !bill.pay(5 * STORAGE_READ + 4 * STORAGE_WRITE) {
        return out_of_gas();
    }
    let time = bill.exec.env.timestamp;
    let fee = update_data_pricer(bill.exec, compiled.info.asm_estimate, time);
    if msg.value < fee {
        let error = IArbWasm::ProgramInsufficientValue { have: msg.value, want: fee };
        return sol_revert(bill, error.abi_encode());
    }
    // The network fee account.
    if !bill.pay(STORAGE_READ) {
        return out_of_gas();
    }
    // nitro's module hash is the hash of the compiled WAVM module; the VM names the wasm.
    let module_hash = keccak256(&wasm);
    bill.exec.state.activate(codehash, compiled);
    let state = &mut bill.exec.state;
    state.transfer(ARB_WASM, NETWORK_FEE_ACCOUNT, fee);
    state.transfer(ARB_WASM, msg.caller, msg.value - fee);
    let event = ProgramActivated {
        codehash,
        moduleHash: module_hash,
        program,
        dataFee: fee,
        version: STYLUS_VERSION,
    };
    let data = event.encode_log_data();
    let log_gas = evm::LOG_TOPIC * 3 + evm::LOG_DATA * data.data.len() as u64;
    if !bill.pay(log_gas + evm::COPY_WORD * 2) {
        return out_of_gas();
    }
    bill.exec.state.log(Log { address: ARB_WASM, data });
    let output = activateProgramCall::abi_encode_returns(&(STYLUS_VERSION, fee));
    Outcome { status: Status::Success, output, gas_left: bill.left }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exponential_is_one_at_zero_and_e_at_one() {
        assert_eq!(approx_exp_bips(0, 12), 10_000);
        // e = 2.71828…: 27,182 basis points.
        assert_eq!(approx_exp_bips(10_000, 12), 27_182);
    }

    #[test]
    fn code_without_the_prefix_or_with_the_program_dictionary_is_not_wasm() {
        assert_eq!(wasm_of(&[0x60, 0x00]), None);
        assert_eq!(wasm_of(&[0xEF, 0xF0, 0x00, 0x01, 0x00]), None);
        let code = [&STYLUS_PREFIX[..], &crate::validate::compress(b"\0asm")].concat();
        assert_eq!(wasm_of(&code), Some(b"\0asm".to_vec()));
    }
}
