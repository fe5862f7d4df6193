//! Arbitrum's Stylus price tables, in one place.
//!
//! Where each figure comes from (OffchainLabs/nitro unless noted):
//!
//! - Opcode ink ([`opcode_ink`]), the block header and the per-byte `memory.copy` /
//!   `memory.fill` price: `crates/prover/src/programs/meter.rs` (`pricing_v1`),
//!   `crates/prover/src/programs/dynamic.rs` and the compile pricing defaults in
//!   `crates/prover/src/programs/config.rs`.
//! - Host-function ink ([`hostio`], [`read_price`], [`write_price`], [`keccak_price`],
//!   [`pow_price`]): `crates/arbutil/src/pricing.rs`.
//! - EVM gas constants: `crates/arbutil/src/evm/mod.rs` and go-ethereum's `params` package as
//!   used by `core/vm/operations_acl_arbitrum.go` (OffchainLabs/go-ethereum).
//! - Storage-cache access tiers: `crates/arbutil/src/evm/storage.rs`.
//! - Program entry ([`init_gas`], [`cached_gas`]) and the memory model ([`memory_gas`]):
//!   `arbos/programs/{programs,params,memory}.go`; the per-module cost inputs are predicted in
//!   `crates/prover/src/binary.rs` (see [`mod@crate::validate`]).

use wasmparser::Operator;

/// 10,000 ink buy one gas (ArbOS `InkPrice`).
pub const INK_PER_GAS: u64 = 10_000;

/// Ink charged at the head of every basic block (`ink_header_cost`).
pub const BLOCK_HEADER_INK: u64 = 2_450;

/// Ink per byte that `memory.copy` moves (`memory_copy_ink`).
pub const MEMORY_COPY_BYTE_INK: u64 = 100;

/// Ink per byte that `memory.fill` writes (`memory_fill_ink`).
pub const MEMORY_FILL_BYTE_INK: u64 = 100;

/// Every host call.
pub const HOSTIO_INK: u64 = 8_400;
/// Each pointer argument of a host call.
pub const PTR_INK: u64 = 13_440 - HOSTIO_INK;
/// Host calls that go through the EVM API (storage, calls, balances, logs...).
pub const EVM_API_INK: u64 = 59_673;
/// `math_div` / `math_mod`.
pub const DIV_INK: u64 = 20_000;
/// `math_mul_mod`.
pub const MUL_MOD_INK: u64 = 24_100;
/// `math_add_mod`.
pub const ADD_MOD_INK: u64 = 21_000;

/// Base ink of each host function (`pricing::hostio`).
pub mod hostio {
    use super::{ADD_MOD_INK, DIV_INK, EVM_API_INK, HOSTIO_INK, MUL_MOD_INK, PTR_INK};

    /// `read_args`.
    pub const READ_ARGS: u64 = HOSTIO_INK;
    /// `write_result`.
    pub const WRITE_RESULT: u64 = HOSTIO_INK;
    /// `exit_early` (nitro charges nothing beyond tracing).
    pub const EXIT_EARLY: u64 = 0;
    /// `storage_load_bytes32`.
    pub const STORAGE_LOAD: u64 = HOSTIO_INK + 2 * PTR_INK;
    /// `storage_cache_bytes32`.
    pub const STORAGE_CACHE: u64 = HOSTIO_INK + 2 * PTR_INK;
    /// `storage_flush_cache`.
    pub const STORAGE_FLUSH: u64 = HOSTIO_INK + EVM_API_INK;
    /// `transient_load_bytes32`.
    pub const TRANSIENT_LOAD: u64 = HOSTIO_INK + 2 * PTR_INK + EVM_API_INK;
    /// `transient_store_bytes32`.
    pub const TRANSIENT_STORE: u64 = HOSTIO_INK + 2 * PTR_INK + EVM_API_INK;
    /// `call_contract`, `delegate_call_contract`, `static_call_contract`.
    pub const CALL_CONTRACT: u64 = HOSTIO_INK + 3 * PTR_INK + EVM_API_INK;
    /// `create1`.
    pub const CREATE1: u64 = HOSTIO_INK + 3 * PTR_INK + EVM_API_INK;
    /// `create2`.
    pub const CREATE2: u64 = HOSTIO_INK + 4 * PTR_INK + EVM_API_INK;
    /// `read_return_data`.
    pub const READ_RETURN_DATA: u64 = HOSTIO_INK + EVM_API_INK;
    /// `return_data_size`.
    pub const RETURN_DATA_SIZE: u64 = HOSTIO_INK;
    /// `emit_log`.
    pub const EMIT_LOG: u64 = HOSTIO_INK + EVM_API_INK;
    /// `account_balance`.
    pub const ACCOUNT_BALANCE: u64 = HOSTIO_INK + 2 * PTR_INK + EVM_API_INK;
    /// `account_code`.
    pub const ACCOUNT_CODE: u64 = HOSTIO_INK + EVM_API_INK;
    /// `account_code_size`.
    pub const ACCOUNT_CODE_SIZE: u64 = HOSTIO_INK + EVM_API_INK;
    /// `account_codehash`.
    pub const ACCOUNT_CODE_HASH: u64 = HOSTIO_INK + 2 * PTR_INK + EVM_API_INK;
    /// `block_basefee`, `block_coinbase`, `contract_address`, `msg_sender`, `msg_value`,
    /// `tx_gas_price`, `tx_origin`: one pointer written.
    pub const ONE_PTR: u64 = HOSTIO_INK + PTR_INK;
    /// `block_gas_limit`, `block_number`, `block_timestamp`, `chainid`, `evm_gas_left`,
    /// `evm_ink_left`, `msg_reentrant`, `tx_ink_price`, `pay_for_memory_grow(0)`.
    pub const PLAIN: u64 = HOSTIO_INK;
    /// `math_div`, `math_mod`.
    pub const MATH_DIV: u64 = HOSTIO_INK + 3 * PTR_INK + DIV_INK;
    /// `math_pow` (plus [`super::pow_price`]).
    pub const MATH_POW: u64 = HOSTIO_INK + 3 * PTR_INK;
    /// `math_add_mod`.
    pub const MATH_ADD_MOD: u64 = HOSTIO_INK + 4 * PTR_INK + ADD_MOD_INK;
    /// `math_mul_mod`.
    pub const MATH_MUL_MOD: u64 = HOSTIO_INK + 4 * PTR_INK + MUL_MOD_INK;
}

/// Ink to write `bytes` into the program's memory.
pub fn write_price(bytes: u32) -> u64 {
    5_040 + 30 * u64::from(bytes.saturating_sub(32))
}

/// Ink to read `bytes` out of the program's memory.
pub fn read_price(bytes: u32) -> u64 {
    16_381 + 55 * u64::from(bytes.saturating_sub(32))
}

/// Ink of `native_keccak256` over `bytes`.
pub fn keccak_price(bytes: u32) -> u64 {
    let words = u64::from(bytes.div_ceil(32)).saturating_sub(2);
    121_800 + 21_000 * words
}

/// Variable ink of `math_pow` for a big-endian exponent.
pub fn pow_price(exponent: &[u8; 32]) -> u64 {
    let leading_zeros = exponent.iter().take_while(|b| **b == 0).count() as u64;
    3_000 + (33 - leading_zeros) * 17_500
}

/// EVM gas constants (go-ethereum `params`, as `operations_acl_arbitrum.go` uses them).
pub mod evm {
    /// Transaction base cost.
    pub const TX_GAS: u64 = 21_000;
    /// Calldata: per non-zero byte (EIP-2028).
    pub const TX_DATA_NON_ZERO_GAS: u64 = 16;
    /// Calldata: per zero byte.
    pub const TX_DATA_ZERO_GAS: u64 = 4;
    /// EIP-2929 cold `SLOAD`.
    pub const COLD_SLOAD: u64 = 2_100;
    /// EIP-2929 warm storage read.
    pub const WARM_READ: u64 = 100;
    /// EIP-2929 cold account access.
    pub const COLD_ACCOUNT: u64 = 2_600;
    /// EIP-2200 `SSTORE` of a fresh slot.
    pub const SSTORE_SET: u64 = 20_000;
    /// EIP-2200 `SSTORE` reset (before EIP-2929 took the cold part out).
    pub const SSTORE_RESET: u64 = 5_000;
    /// EIP-2200 sentry: an `SSTORE` needs more gas than this left.
    pub const SSTORE_SENTRY: u64 = 2_300;
    /// EIP-3529 refund for clearing a slot.
    pub const SSTORE_CLEARS_REFUND: u64 = 4_800;
    /// EIP-3529: refunds are capped at gas used / 5.
    pub const MAX_REFUND_QUOTIENT: u64 = 5;
    /// EIP-1153 `TLOAD` / `TSTORE`.
    pub const TRANSIENT: u64 = 100;
    /// `LOG`: base and per topic.
    pub const LOG_TOPIC: u64 = 375;
    /// `LOG`: per data byte.
    pub const LOG_DATA: u64 = 8;
    /// `CALL` with value.
    pub const CALL_VALUE: u64 = 9_000;
    /// `CALL` with value to an empty account.
    pub const CALL_NEW_ACCOUNT: u64 = 25_000;
    /// Gas the callee of a value-bearing call receives for free.
    pub const CALL_STIPEND: u64 = 2_300;
    /// `EXTCODESIZE` surcharge for reading code (EIP-150), per 24 KiB of max code size.
    pub const EXTCODE_SIZE: u64 = 700;
    /// `CopyGas`: per 32-byte word copied (precompile arguments and results).
    pub const COPY_WORD: u64 = 3;
    /// EVM memory: linear cost per word.
    pub const MEMORY_WORD: u64 = 3;
    /// EVM memory: quadratic divisor.
    pub const QUAD_COEFF_DIV: u64 = 512;
    /// Maximum call depth.
    pub const MAX_DEPTH: usize = 1024;
    /// EIP-170 code size limit (Arbitrum keeps 24 KiB).
    pub const MAX_CODE_SIZE: usize = 24_576;
    /// EIP-3860: the largest init code (twice the code limit).
    pub const MAX_INIT_CODE_SIZE: usize = 2 * MAX_CODE_SIZE;
    /// Gas per byte of code a creation stores.
    pub const CODE_DEPOSIT_BYTE: u64 = 200;
    /// Base cost of `CREATE` / `CREATE2` (and the extra of a creation transaction).
    pub const CREATE: u64 = 32_000;
    /// EIP-3860: gas per 32-byte word of init code.
    pub const INIT_CODE_WORD: u64 = 2;
    /// `CREATE2`: gas per 32-byte word of init code hashed.
    pub const KECCAK_WORD: u64 = 6;
}

/// Gas a fresh `storage_load_bytes32` needs in hand (`REQUIRED_ACCESS_GAS`).
pub const STORAGE_CACHE_ACCESS_GAS: u64 = 10;

/// Storage-cache read surcharge for the `n`-th read of a call (1-based).
pub fn cache_read_gas(n: usize) -> u64 {
    match n {
        0..=32 => 0,
        33..=128 => 2,
        _ => 10,
    }
}

/// Storage-cache write surcharge for the `n`-th write of a call (1-based).
pub fn cache_write_gas(n: usize) -> u64 {
    match n {
        0..=8 => 0,
        9..=64 => 7,
        _ => 10,
    }
}

/// The minimum EVM memory cost of returning `len` bytes (`evmMemoryCost` in `programs.go`).
pub fn evm_memory_cost(len: u64) -> u64 {
    let words = len.div_ceil(32);
    words * evm::MEMORY_WORD + words * words / evm::QUAD_COEFF_DIV
}

/// Stylus chain parameters (`params.go` at Stylus version 2).
pub mod params {
    /// `MinInitGas` (v2) in units of [`MIN_INIT_GAS_UNITS`].
    pub const MIN_INIT_GAS: u64 = 69;
    /// Gas per `MinInitGas` unit.
    pub const MIN_INIT_GAS_UNITS: u64 = 128;
    /// `MinCachedInitGas` in units of [`MIN_CACHED_GAS_UNITS`].
    pub const MIN_CACHED_GAS: u64 = 11;
    /// Gas per `MinCachedInitGas` unit.
    pub const MIN_CACHED_GAS_UNITS: u64 = 32;
    /// `InitCostScalar` in units of [`COST_SCALAR_PERCENT`].
    pub const INIT_COST_SCALAR: u64 = 50;
    /// `CachedCostScalar` in units of [`COST_SCALAR_PERCENT`].
    pub const CACHED_COST_SCALAR: u64 = 50;
    /// Percent per scalar unit.
    pub const COST_SCALAR_PERCENT: u64 = 2;
    /// Pages each transaction gets for free.
    pub const FREE_PAGES: u16 = 2;
    /// Linear gas per page past the free ones.
    pub const PAGE_GAS: u64 = 1_000;
    /// Largest memory (in 64 KiB pages) a transaction may have open.
    pub const PAGE_LIMIT: u16 = 128;
    /// Largest uncompressed wasm (`MaxWasmSize`).
    pub const MAX_WASM_SIZE: usize = 128 * 1024;
}

/// Gas to start a program that is not cached (`Program.initGas`).
pub fn init_gas(init_cost: u16) -> u64 {
    let base = params::MIN_INIT_GAS * params::MIN_INIT_GAS_UNITS;
    let dyno = u64::from(init_cost) * params::INIT_COST_SCALAR * params::COST_SCALAR_PERCENT;
    base + dyno.div_ceil(100)
}

/// Gas every call into a program pays (`Program.cachedGas`).
pub fn cached_gas(cached_cost: u16) -> u64 {
    let base = params::MIN_CACHED_GAS * params::MIN_CACHED_GAS_UNITS;
    let dyno = u64::from(cached_cost) * params::CACHED_COST_SCALAR * params::COST_SCALAR_PERCENT;
    base + dyno.div_ceil(100)
}

/// The exponential term of the memory model, by pages ever open in the transaction.
#[allow(clippy::unreadable_literal, reason = "nitro's table as published in memory.go")]
const MEMORY_EXPONENTS: [u32; 129] = [
    1, 1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 5, 6, 7, 8, 9, 11, 12, 14, 17, 19, 22, 25, 29, 33, 38,
    43, 50, 57, 65, 75, 85, 98, 112, 128, 147, 168, 193, 221, 253, 289, 331, 379, 434, 497, 569,
    651, 745, 853, 976, 1117, 1279, 1463, 1675, 1917, 2194, 2511, 2874, 3290, 3765, 4309, 4932,
    5645, 6461, 7395, 8464, 9687, 11087, 12689, 14523, 16621, 19024, 21773, 24919, 28521, 32642,
    37359, 42758, 48938, 56010, 64104, 73368, 83971, 96106, 109994, 125890, 144082, 164904, 188735,
    216010, 247226, 282953, 323844, 370643, 424206, 485509, 555672, 635973, 727880, 833067, 953456,
    1091243, 1248941, 1429429, 1636000, 1872423, 2143012, 2452704, 2807151, 3212820, 3677113,
    4208502, 4816684, 5512756, 6309419, 7221210, 8264766, 9459129, 10826093, 12390601, 14181199,
    16230562, 18576084, 21260563, 24332984, 27849408, 31873999,
];

fn memory_exp(pages: u16) -> u64 {
    MEMORY_EXPONENTS.get(usize::from(pages)).map_or(u64::MAX, |x| u64::from(*x))
}

/// Gas to open `new` pages while `open` are open and `ever` have been open in this
/// transaction (`MemoryModel.GasCost`).
pub fn memory_gas(new: u16, open: u16, ever: u16) -> u64 {
    let new_open = open.saturating_add(new);
    let new_ever = ever.max(new_open);
    if new_ever <= params::FREE_PAGES {
        return 0;
    }
    let sub_free = |pages: u16| pages.saturating_sub(params::FREE_PAGES);
    let adding = sub_free(new_open).saturating_sub(sub_free(open));
    let linear = u64::from(adding) * params::PAGE_GAS;
    let expand = memory_exp(new_ever).saturating_sub(memory_exp(ever));
    linear.saturating_add(expand)
}

/// Ink of one opcode (`pricing_v1`), or `None` for an opcode Stylus does not accept.
///
/// `params_of_type` gives the parameter count of a function type, for `call_indirect`.
#[allow(clippy::match_same_arms, reason = "the arms follow pricing_v1's grouping")]
pub fn opcode_ink(op: &Operator<'_>, params_of_type: impl Fn(u32) -> Option<usize>) -> Option<u64> {
    #[allow(clippy::enum_glob_use, reason = "the opcode table reads best unqualified")]
    use Operator::*;
    let ink = match op {
        Unreachable | Return | Nop | I32Const { .. } | I64Const { .. } => 1,
        Drop => 9,
        Block { .. } | Loop { .. } | Else | End => 1,
        Br { .. } | BrIf { .. } | If { .. } => 765,
        Select => 1_250,
        Call { .. } => 3_800,
        LocalGet { .. } | LocalTee { .. } => 75,
        LocalSet { .. } => 210,
        GlobalGet { .. } => 225,
        GlobalSet { .. } => 575,
        I32Load { .. }
        | I32Load8S { .. }
        | I32Load8U { .. }
        | I32Load16S { .. }
        | I32Load16U { .. } => 670,
        I64Load { .. }
        | I64Load8S { .. }
        | I64Load8U { .. }
        | I64Load16S { .. }
        | I64Load16U { .. }
        | I64Load32S { .. }
        | I64Load32U { .. } => 680,
        I32Store { .. } | I32Store8 { .. } | I32Store16 { .. } => 825,
        I64Store { .. } | I64Store8 { .. } | I64Store16 { .. } | I64Store32 { .. } => 950,
        MemorySize { .. } => 3_000,
        MemoryGrow { .. } => 8_050,
        I32Eqz | I32Eq | I32Ne | I32LtS | I32LtU | I32GtS | I32GtU | I32LeS | I32LeU | I32GeS
        | I32GeU => 170,
        I64Eqz | I64Eq | I64Ne | I64LtS | I64LtU | I64GtS | I64GtU | I64LeS | I64LeU | I64GeS
        | I64GeU => 225,
        I32Clz | I32Ctz | I64Clz | I64Ctz => 210,
        I32Add | I32Sub => 70,
        I32Mul | I64Mul => 160,
        I32DivS | I32DivU | I32RemS | I32RemU => 1_120,
        I32And | I32Or | I32Xor | I32Shl | I32ShrS | I32ShrU | I32Rotl | I32Rotr => 70,
        I64Add | I64Sub => 100,
        I64DivS | I64DivU | I64RemS | I64RemU => 1_270,
        I64And | I64Or | I64Xor | I64Shl | I64ShrS | I64ShrU | I64Rotl | I64Rotr => 100,
        I32Popcnt => 2_650,
        I64Popcnt => 6_000,
        I32WrapI64 | I64ExtendI32S | I64ExtendI32U => 100,
        I32Extend8S | I32Extend16S | I64Extend8S | I64Extend16S | I64Extend32S => 100,
        MemoryCopy { .. } | MemoryFill { .. } => 950,
        BrTable { targets } => 2_400 + 325 * u64::from(targets.len()),
        CallIndirect { type_index, .. } => 13_610 + 650 * params_of_type(*type_index)? as u64,
        _ => return None,
    };
    Some(ink)
}

/// Whether an opcode ends a basic block (nitro's `OperatorInfo::ends_basic_block`).
pub fn ends_basic_block(op: &Operator<'_>) -> bool {
    matches!(
        op,
        Operator::End
            | Operator::Else
            | Operator::Return
            | Operator::Loop { .. }
            | Operator::Br { .. }
            | Operator::BrIf { .. }
            | Operator::BrTable { .. }
            | Operator::If { .. }
            | Operator::Call { .. }
            | Operator::CallIndirect { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_prices_match_the_chain_parameters() {
        assert_eq!(init_gas(0), 8_832);
        assert_eq!(init_gas(4_500), 8_832 + 4_500);
        assert_eq!(cached_gas(0), 352);
        assert_eq!(cached_gas(1_250), 352 + 1_250);
    }

    #[test]
    fn memory_model_is_free_for_two_pages_then_linear_plus_exponential() {
        assert_eq!(memory_gas(2, 0, 0), 0);
        assert_eq!(memory_gas(1, 2, 2), 1_000);
        assert_eq!(memory_gas(17, 0, 0), 15 * 1_000 + 9 - 1);
        // Pages already paid for in this transaction only cost the linear term again.
        assert_eq!(memory_gas(3, 0, 3), 1_000);
    }

    #[test]
    fn io_prices_charge_past_the_first_word() {
        assert_eq!(read_price(32), 16_381);
        assert_eq!(read_price(64), 16_381 + 55 * 32);
        assert_eq!(write_price(4), 5_040);
        assert_eq!(keccak_price(64), 121_800);
        assert_eq!(keccak_price(65), 121_800 + 21_000);
        let mut exp = [0u8; 32];
        exp[31] = 1;
        assert_eq!(pow_price(&exp), 3_000 + 2 * 17_500);
    }

    #[test]
    fn evm_memory_cost_is_quadratic() {
        assert_eq!(evm_memory_cost(0), 0);
        assert_eq!(evm_memory_cost(32), 3);
        assert_eq!(evm_memory_cost(32 * 1024), 3 * 1024 + 2048);
    }
}
