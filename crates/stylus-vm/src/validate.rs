//! Offline activation checks: what ArbOS's `activateProgram` would refuse, decided as nitro's
//! own code decides it, and the entry costs activation records.
//!
//! [`validate_with`] follows, step by step and in nitro's order, the code ArbOS runs
//! (OffchainLabs/nitro, `crates/prover`):
//!
//! 1. `binary.rs`, `parse_with_version`: wasmparser's validator with Stylus's feature set
//!    (mutable globals, sign extension, saturating float-to-int, bulk memory, floats;
//!    multi-value only before ArbOS 60; no reference types, SIMD, threads, tail calls,
//!    exceptions, multi-memory, memory64, extended constants, GC); then the section match, which
//!    refuses every section it has no arm for (DataCount, tags, unknown ids); function imports
//!    only; constant global initializers; a `name` section that parses; no import of one name
//!    under two type indices; no export whose last `__` segment is an import's name; no import
//!    or export named `stylus*`.
//! 2. `WasmBinary::instrument` with `CompileConfig::version(2, debug)`: the start mover
//!    (`programs/start.rs`: a start function is refused, and exports other than
//!    `user_entrypoint` and `memory` are dropped, unless in debug mode), the ink meter
//!    (`meter.rs`), the dynamic meter (`dynamic.rs`: refuses `memory.init`, `data.drop` and the
//!    table operations), the depth checker (`depth.rs`: at most 4,096 values on the stack at
//!    once, counted on the metered code, and frames of at most 10,240 words), the heap bound
//!    (`heap.rs`: one memory exported as `memory`, at most 128 pages, and a growable memory
//!    needs `vm_hooks::pay_for_memory_grow`); then `user_entrypoint` must be an `(i32) -> i32`
//!    function (an imported one will do) and the predicted costs must fit 16 bits.
//! 3. `WasmBinary::parse_user`: the memory within the page limit, and the anti-DoS limits,
//!    counted after instrumentation: 1 memory, 128 data and 128 element segments, 1,024 exports
//!    (those left after the start mover), 4,096 functions, 32,768 globals (the four the
//!    instrumentation adds included), 348 locals and 65,536 instrumented opcodes per function,
//!    513 imports (from ArbOS 32), 4,096 table entries and 4,096 bytes of element segments,
//!    export and module names of at most 512 bytes.
//! 4. `machine.rs`, `Module::from_user_binary`: imports only of the 42 `vm_hooks` functions
//!    nitro forwards, with their exact types, and `console` only in debug mode; active data and
//!    element segments within their memory and table; and `wavm.rs`, `wasm_to_wavm`: no float
//!    arithmetic, comparison or conversion (user modules get no soft-float implementation).
//!    Float constants, loads, stores, reinterprets, locals and `select` activate; `pricing_v1`
//!    prices all but `select` at `u64::MAX` ink, so a basic block holding one runs out of ink
//!    when entered (the VM's `meter` module does the same at run time).
//!
//! Besides, as ArbOS does before activation: the wasm at most 128 KiB (`MaxWasmSize`), and the
//! deployed code (the 4-byte Stylus prefix plus the brotli-compressed wasm, quality 11, window
//! 22, as `cargo stylus` compresses it) at most 24,576 bytes (EIP-170).
//!
//! The rules that depend on the chain take [`ActivationOptions`]: the ArbOS version (multi-value
//! from [`arbos::STYLUS_NO_MULTI_VALUE`] on, the import limit from
//! [`arbos::STYLUS_CHARGING_FIXES`] on), debug mode (`console` imports, start functions, every
//! export kept) and the page limit. The default is the ArbOS version the project targets,
//! [`ARBOS_VERSION`], on a production chain.
//!
//! [`strip_data_count`] drops the DataCount section binaryen writes; the build runs it on every
//! program, then this check (`src/bin/stylus-activation.rs`).
//!
//! The same pass predicts the entry costs that activation stores with the program
//! (`init_cost`, `cached_init_cost`, `footprint`), with `binary.rs`'s formulas.

use std::{
    collections::{HashMap, HashSet},
    fmt,
};

use wasmparser::{
    BinaryReader, BlockType, DataKind, ElementItems, ElementKind, ExternalKind, FunctionBody, Name,
    NameSectionReader, Operator, Parser, Payload, TypeRef, ValType, Validator, WasmFeatures,
};

use crate::{host, pricing};

/// The 4-byte prefix of deployed Stylus code (`EFF000` and dictionary 0: none).
pub const STYLUS_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];

/// ArbOS versions at which nitro's activation rules change (`crates/arbutil/src/evm/mod.rs`).
pub mod arbos {
    /// From this version on, more than 513 imports are refused
    /// (`ARBOS_VERSION_STYLUS_CHARGING_FIXES`).
    pub const STYLUS_CHARGING_FIXES: u64 = 32;
    /// From this version on, the validator runs without multi-value: no function type with
    /// more than one result, no block with a type index (`ARBOS_VERSION_STYLUS_NO_MULTI_VALUE`).
    pub const STYLUS_NO_MULTI_VALUE: u64 = 60;
}

/// The ArbOS version the project targets and the default of [`ActivationOptions`]: the newest
/// version whose activation rules nitro's code defines (multi-value refused). Programs
/// accepted here are accepted by every earlier Stylus version too: no rule relaxes with time.
pub const ARBOS_VERSION: u64 = arbos::STYLUS_NO_MULTI_VALUE;

/// Globals the instrumentation adds (ink left, ink status, scratch, stack depth left).
const INSTRUMENTATION_GLOBALS: usize = 4;
/// `CompileConfig::version(2, _)`: the most pages a program may start with (`heap_bound`).
const HEAP_BOUND: u64 = 128;
/// `CompileConfig::version(2, _)`: the largest stack frame, in words (`max_frame_size`).
const MAX_FRAME_SIZE: u64 = 10 * 1024;
/// `CompileConfig::version(2, _)`: the most values on the stack at once
/// (`max_frame_contention`).
const MAX_FRAME_CONTENTION: u64 = 4096;
/// Exports the start mover keeps outside debug mode (`start.rs`, `EXPORT_WHITELIST`).
const EXPORT_WHITELIST: [(&str, ExternalKind); 3] = [
    ("user_entrypoint", ExternalKind::Func),
    ("stylus_start", ExternalKind::Func),
    ("memory", ExternalKind::Memory),
];

/// What activation depends on besides the wasm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ActivationOptions {
    /// The ArbOS version at activation (`arbos_version_for_activation`).
    pub arbos_version: u64,
    /// Whether the chain runs in debug mode (`debug`, which `CompileConfig::version` turns
    /// into `debug_funcs` and `debug_info`): `console` imports, start functions and every
    /// export are allowed.
    pub debug: bool,
    /// Pages the program may start with: `PageLimit` (128) minus the pages the transaction
    /// already has open (`ActivateProgram`'s `pageLimit`).
    pub page_limit: u16,
}

impl Default for ActivationOptions {
    /// [`ARBOS_VERSION`], not in debug mode, the full 128-page limit.
    fn default() -> Self {
        Self { arbos_version: ARBOS_VERSION, debug: false, page_limit: pricing::params::PAGE_LIMIT }
    }
}

/// What kind of forbidden opcode a program contains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpcodeClass {
    /// `f32` / `f64` arithmetic, comparisons and conversions (`wasm_to_wavm` has no
    /// implementation for them in a user module).
    Float,
    /// 128-bit SIMD.
    Simd,
    /// Threads: atomics, `memory.atomic.*`.
    Atomic,
    /// Reference types: `ref.*`, `table.*`, typed `select`.
    ReferenceTypes,
    /// Anything else activation refuses (`memory.init`, `data.drop`, `table.init`,
    /// `table.copy`, `elem.drop`, tail calls, exceptions, GC...).
    Unsupported,
}

impl fmt::Display for OpcodeClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Float => "float",
            Self::Simd => "SIMD",
            Self::Atomic => "atomic",
            Self::ReferenceTypes => "reference-types",
            Self::Unsupported => "unsupported",
        })
    }
}

/// Why a program would not activate.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// The wasm is larger than `MaxWasmSize`.
    #[error("wasm is {size} bytes, over the {limit}-byte limit")]
    TooLarge {
        /// Size of the wasm.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// The deployed code (prefix + compressed wasm) is over EIP-170's limit.
    #[error(
        "compressed program is {code_size} bytes deployed (4-byte prefix + {compressed} brotli), \
         over the {limit}-byte limit"
    )]
    CompressedTooLarge {
        /// Brotli size of the wasm.
        compressed: usize,
        /// Prefix plus compressed wasm.
        code_size: usize,
        /// The limit.
        limit: usize,
    },
    /// The binary does not parse, or fails wasm validation with Arbitrum's feature set.
    #[error("invalid wasm: {0}")]
    Malformed(String),
    /// A section nitro's parser has no arm for (`binary.rs`, `parse_with_version`).
    #[error("unsupported section type {0}")]
    UnsupportedSection(String),
    /// A global initializer, or an active segment's offset or items, that is not a constant.
    #[error("non-constant {0}")]
    NonConstant(&'static str),
    /// An import from a module other than `vm_hooks` / `console`.
    #[error("import {module}::{name} comes from a foreign module (only vm_hooks and console)")]
    ForeignImport {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// An import of a table, memory, global or tag.
    #[error("import {module}::{name} is not a function")]
    NonFunctionImport {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// A `vm_hooks` / `console` import the host does not provide.
    #[error("unknown host function {module}::{name}")]
    UnknownHostFunction {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// A `console` import outside debug mode.
    #[error("host function {module}::{name} is only available in debug mode")]
    DebugImport {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// A host function imported with the wrong type.
    #[error("host function {module}::{name} imported as {found}, expected {expected}")]
    ImportSignature {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
        /// The type the host defines.
        expected: String,
        /// The type the program declares.
        found: String,
    },
    /// The same import under two different type indices.
    #[error("inconsistent imports for {module}::{name}")]
    InconsistentImports {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// An export whose name (its last `__` segment) is an import's name.
    #[error("binary exports an import with the same name {0}")]
    ExportsImport(String),
    /// An opcode Stylus rejects.
    #[error("{class} opcode {opcode} in function {function}: not allowed in Stylus programs")]
    ForbiddenOpcode {
        /// Its kind.
        class: OpcodeClass,
        /// The opcode (wasmparser's name).
        opcode: String,
        /// Index of the function (imports included) that contains it.
        function: u32,
    },
    /// No `user_entrypoint` function is exported.
    #[error("missing export user_entrypoint")]
    MissingEntrypoint,
    /// `user_entrypoint` is not a `(i32) -> i32` function.
    #[error("user_entrypoint must be a function (i32) -> i32, found {0}")]
    EntrypointSignature(String),
    /// No memory exported as `memory`.
    #[error("missing memory with export name \"memory\"")]
    MissingMemory,
    /// The module has a start function.
    #[error("wasm start functions are not allowed")]
    StartFunction,
    /// An import or export uses the reserved `stylus` prefix.
    #[error("reserved symbol {0}")]
    ReservedName(String),
    /// The initial memory is larger than the page limit.
    #[error("memory of {pages} pages exceeds the {limit}-page limit")]
    MemoryTooLarge {
        /// Initial pages.
        pages: u64,
        /// The limit.
        limit: u16,
    },
    /// An active data or element segment that does not fit its memory or table.
    #[error("out-of-bounds {what} segment at offset {offset} and length {len} (size {size})")]
    SegmentOutOfBounds {
        /// `data` or `element`.
        what: &'static str,
        /// Its offset, sign-extended as nitro reads it.
        offset: i64,
        /// Its length: bytes of data, or functions.
        len: usize,
        /// The memory's bytes, or the table's entries.
        size: u64,
    },
    /// One of the anti-DoS limits.
    #[error("too many wasm {what}: {count} > {limit}")]
    Limit {
        /// What is counted.
        what: &'static str,
        /// How many the program has.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// The predicted start-up cost does not fit ArbOS's 16-bit field.
    #[error("{0} cost too high")]
    CostTooHigh(&'static str),
}

/// What activation records about a program, and what the meter needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleInfo {
    /// Size of the wasm.
    pub wasm_len: usize,
    /// Brotli size of the wasm (quality 11, window 22).
    pub compressed_len: usize,
    /// Initial memory in 64 KiB pages (`footprint`).
    pub footprint: u16,
    /// Activation's `init_cost` (gas units before the chain scalar).
    pub init_cost: u16,
    /// Activation's `cached_init_cost`.
    pub cached_cost: u16,
    /// Activation's `asm_estimate`: the predicted native code size in bytes, which ArbWasm's
    /// data fee prices.
    pub asm_estimate: u32,
    /// Gas activation burns to parse and compile the program (`Module::activate`), besides
    /// ArbWasm's fixed charge.
    pub activation_gas: u64,
    /// Number of defined functions.
    pub functions: usize,
    /// The `vm_hooks` / `console` imports, as `module::name`.
    pub imports: Vec<String>,
    /// The deployed code: [`STYLUS_PREFIX`] and the compressed wasm.
    pub(crate) code: Vec<u8>,
    pub(crate) layout: Layout,
}

impl ModuleInfo {
    /// Size of the deployed code: the Stylus prefix plus the compressed wasm.
    pub fn code_size(&self) -> usize {
        STYLUS_PREFIX.len() + self.compressed_len
    }

    /// Gas a call pays to start the program when it is not cached (`initGas`).
    pub fn init_gas(&self) -> u64 {
        pricing::init_gas(self.init_cost)
    }

    /// Gas every call pays to start the program (`cachedGas`).
    pub fn cached_gas(&self) -> u64 {
        pricing::cached_gas(self.cached_cost)
    }
}

/// Module structure the instrumentation needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Layout {
    /// Parameter count of each function type.
    pub(crate) type_params: Vec<usize>,
    /// Imported functions (they come first in the function index space).
    pub(crate) imported_functions: u32,
    /// Globals the module defines.
    pub(crate) globals: u32,
    /// Function index of `vm_hooks::pay_for_memory_grow`, if imported.
    pub(crate) pay_for_memory_grow: Option<u32>,
    /// Whether the memory can grow (its maximum is not its minimum).
    pub(crate) memory_can_grow: bool,
}

/// Brotli-compresses `wasm` as `cargo stylus` does (quality 11, window 22).
pub fn compress(wasm: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(wasm.len() / 3);
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() };
    let mut input = wasm;
    // Writing into a Vec cannot fail.
    let _ = brotli::BrotliCompress(&mut input, &mut out, &params);
    out
}

/// The validator's feature set (`binary.rs`, `parse_with_version`).
fn features(options: &ActivationOptions) -> WasmFeatures {
    let mut features = WasmFeatures::WASM1
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::BULK_MEMORY;
    features.set(WasmFeatures::MULTI_VALUE, options.arbos_version < arbos::STYLUS_NO_MULTI_VALUE);
    features
}

fn malformed(e: impl fmt::Display) -> ValidationError {
    ValidationError::Malformed(e.to_string())
}

fn limit(what: &'static str, count: usize, limit: usize) -> Result<(), ValidationError> {
    if count > limit {
        return Err(ValidationError::Limit { what, count, limit });
    }
    Ok(())
}

fn signature(params: &[ValType], results: &[ValType]) -> String {
    let list = |tys: &[ValType]| tys.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
    format!("({}) -> ({})", list(params), list(results))
}

/// An opcode's kind and name, for errors.
fn classify(op: &Operator<'_>) -> (OpcodeClass, String) {
    let debug = format!("{op:?}");
    let name = debug.split([' ', '{', '(']).next().unwrap_or_default().to_owned();
    let simd = name.starts_with("V128")
        || ["x16", "x8", "x4", "x2"].iter().any(|lanes| name.contains(lanes));
    let class = if simd {
        OpcodeClass::Simd
    } else if name.contains("Atomic") {
        OpcodeClass::Atomic
    } else if name.contains("F32") || name.contains("F64") {
        OpcodeClass::Float
    } else if ["TableInit", "TableCopy", "ElemDrop", "MemoryInit", "DataDrop"].contains(&&*name) {
        OpcodeClass::Unsupported
    } else if name.starts_with("Ref")
        || name.starts_with("Table")
        || name.starts_with("TypedSelect")
        || name.contains("CallRef")
        || name.starts_with("BrOn")
    {
        OpcodeClass::ReferenceTypes
    } else {
        OpcodeClass::Unsupported
    };
    (class, name)
}

fn forbidden(op: &Operator<'_>, function: u32) -> ValidationError {
    let (class, opcode) = classify(op);
    ValidationError::ForbiddenOpcode { class, opcode, function }
}

/// The host functions a user program may import (`Module::from_user_binary`): the 42
/// `vm_hooks` nitro forwards (`crates/wasm-libraries/forward`, the same table the host
/// implements), and the `console` functions of `crates/prover/src/host.rs` (debug mode only).
/// The type, and whether the function is debug-only.
fn host_import(module: &str, name: &str) -> Option<(Vec<ValType>, Vec<ValType>, bool)> {
    use ValType::{F32, F64, I32, I64};
    if module == "vm_hooks" {
        let (params, results) = host::signature(module, name)?;
        return Some((params.to_vec(), results.to_vec(), false));
    }
    if module != "console" {
        return None;
    }
    let (params, results) = match name {
        "log_txt" => (vec![I32, I32], vec![]),
        "log_i32" => (vec![I32], vec![]),
        "log_i64" => (vec![I64], vec![]),
        "log_f32" => (vec![F32], vec![]),
        "log_f64" => (vec![F64], vec![]),
        "tee_i32" => (vec![I32], vec![I32]),
        "tee_i64" => (vec![I64], vec![I64]),
        "tee_f32" => (vec![F32], vec![F32]),
        "tee_f64" => (vec![F64], vec![F64]),
        _ => return None,
    };
    Some((params, results, true))
}

/// Float operations `wasm_to_wavm` lowers to calls into a soft-float module, which user
/// modules do not get: activation refuses them (`wavm.rs`, the `float!` arms).
fn is_soft_float(op: &Operator<'_>) -> bool {
    #[allow(clippy::enum_glob_use, reason = "the opcode table reads best unqualified")]
    use Operator::*;
    matches!(
        op,
        F32Eq
            | F32Ne
            | F32Lt
            | F32Gt
            | F32Le
            | F32Ge
            | F64Eq
            | F64Ne
            | F64Lt
            | F64Gt
            | F64Le
            | F64Ge
            | F32Abs
            | F32Neg
            | F32Ceil
            | F32Floor
            | F32Trunc
            | F32Nearest
            | F32Sqrt
            | F32Add
            | F32Sub
            | F32Mul
            | F32Div
            | F32Min
            | F32Max
            | F32Copysign
            | F64Abs
            | F64Neg
            | F64Ceil
            | F64Floor
            | F64Trunc
            | F64Nearest
            | F64Sqrt
            | F64Add
            | F64Sub
            | F64Mul
            | F64Div
            | F64Min
            | F64Max
            | F64Copysign
            | I32TruncF32S
            | I32TruncF32U
            | I32TruncF64S
            | I32TruncF64U
            | I64TruncF32S
            | I64TruncF32U
            | I64TruncF64S
            | I64TruncF64U
            | F32ConvertI32S
            | F32ConvertI32U
            | F32ConvertI64S
            | F32ConvertI64U
            | F32DemoteF64
            | F64ConvertI32S
            | F64ConvertI32U
            | F64ConvertI64S
            | F64ConvertI64U
            | F64PromoteF32
            | I32TruncSatF32S
            | I32TruncSatF32U
            | I32TruncSatF64S
            | I32TruncSatF64U
            | I64TruncSatF32S
            | I64TruncSatF32U
            | I64TruncSatF64S
            | I64TruncSatF64U
    )
}

/// Operations the dynamic meter refuses (`dynamic.rs`).
fn refused_by_dynamic_meter(op: &Operator<'_>) -> bool {
    matches!(
        op,
        Operator::MemoryInit { .. }
            | Operator::DataDrop { .. }
            | Operator::ElemDrop { .. }
            | Operator::TableInit { .. }
            | Operator::TableCopy { .. }
            | Operator::TableFill { .. }
            | Operator::TableGet { .. }
            | Operator::TableSet { .. }
            | Operator::TableGrow { .. }
            | Operator::TableSize { .. }
    )
}

/// The depth checker's stack effect of an operation with no type immediate (`depth.rs`,
/// `worst_case_depth`): values pushed (positive) or popped (negative). `None` for what it
/// refuses.
fn simple_stack_effect(op: &Operator<'_>) -> Option<i8> {
    #[allow(clippy::enum_glob_use, reason = "the opcode table reads best unqualified")]
    use Operator::*;
    let effect = match op {
        Nop
        | Unreachable
        | I32Eqz
        | I64Eqz
        | I32Clz
        | I32Ctz
        | I32Popcnt
        | I64Clz
        | I64Ctz
        | I64Popcnt
        | Br { .. }
        | Return
        | LocalTee { .. }
        | MemoryGrow { .. }
        | I32Load { .. }
        | I64Load { .. }
        | F32Load { .. }
        | F64Load { .. }
        | I32Load8S { .. }
        | I32Load8U { .. }
        | I32Load16S { .. }
        | I32Load16U { .. }
        | I64Load8S { .. }
        | I64Load8U { .. }
        | I64Load16S { .. }
        | I64Load16U { .. }
        | I64Load32S { .. }
        | I64Load32U { .. }
        | I32WrapI64
        | I64ExtendI32S
        | I64ExtendI32U
        | I32Extend8S
        | I32Extend16S
        | I64Extend8S
        | I64Extend16S
        | I64Extend32S
        | F32Abs
        | F32Neg
        | F32Ceil
        | F32Floor
        | F32Trunc
        | F32Nearest
        | F32Sqrt
        | F64Abs
        | F64Neg
        | F64Ceil
        | F64Floor
        | F64Trunc
        | F64Nearest
        | F64Sqrt
        | I32TruncF32S
        | I32TruncF32U
        | I32TruncF64S
        | I32TruncF64U
        | I64TruncF32S
        | I64TruncF32U
        | I64TruncF64S
        | I64TruncF64U
        | F32ConvertI32S
        | F32ConvertI32U
        | F32ConvertI64S
        | F32ConvertI64U
        | F32DemoteF64
        | F64ConvertI32S
        | F64ConvertI32U
        | F64ConvertI64S
        | F64ConvertI64U
        | F64PromoteF32
        | I32ReinterpretF32
        | I64ReinterpretF64
        | F32ReinterpretI32
        | F64ReinterpretI64
        | I32TruncSatF32S
        | I32TruncSatF32U
        | I32TruncSatF64S
        | I32TruncSatF64U
        | I64TruncSatF32S
        | I64TruncSatF32U
        | I64TruncSatF64S
        | I64TruncSatF64U => 0,
        LocalGet { .. }
        | GlobalGet { .. }
        | MemorySize { .. }
        | I32Const { .. }
        | I64Const { .. }
        | F32Const { .. }
        | F64Const { .. } => 1,
        Drop
        | I32Eq
        | I32Ne
        | I32LtS
        | I32LtU
        | I32GtS
        | I32GtU
        | I32LeS
        | I32LeU
        | I32GeS
        | I32GeU
        | I64Eq
        | I64Ne
        | I64LtS
        | I64LtU
        | I64GtS
        | I64GtU
        | I64LeS
        | I64LeU
        | I64GeS
        | I64GeU
        | F32Eq
        | F32Ne
        | F32Lt
        | F32Gt
        | F32Le
        | F32Ge
        | F64Eq
        | F64Ne
        | F64Lt
        | F64Gt
        | F64Le
        | F64Ge
        | I32Add
        | I32Sub
        | I32Mul
        | I32DivS
        | I32DivU
        | I32RemS
        | I32RemU
        | I64Add
        | I64Sub
        | I64Mul
        | I64DivS
        | I64DivU
        | I64RemS
        | I64RemU
        | I32And
        | I32Or
        | I32Xor
        | I32Shl
        | I32ShrS
        | I32ShrU
        | I32Rotl
        | I32Rotr
        | I64And
        | I64Or
        | I64Xor
        | I64Shl
        | I64ShrS
        | I64ShrU
        | I64Rotl
        | I64Rotr
        | F32Add
        | F32Sub
        | F32Mul
        | F32Div
        | F32Min
        | F32Max
        | F32Copysign
        | F64Add
        | F64Sub
        | F64Mul
        | F64Div
        | F64Min
        | F64Max
        | F64Copysign
        | BrIf { .. }
        | BrTable { .. }
        | LocalSet { .. }
        | GlobalSet { .. } => -1,
        Select
        | I32Store { .. }
        | I64Store { .. }
        | F32Store { .. }
        | F64Store { .. }
        | I32Store8 { .. }
        | I32Store16 { .. }
        | I64Store8 { .. }
        | I64Store16 { .. }
        | I64Store32 { .. } => -2,
        _ => return None,
    };
    Some(effect)
}

/// Parameter and result counts of a function type.
type Arity = (u64, u64);

/// What instrumenting one function takes from the module.
struct Instrumenter<'m> {
    /// Arity of every function, imports first.
    funcs: &'m [Arity],
    /// Arity of every type.
    types: &'m [Arity],
    /// Parameter count of every type (the meter's `call_indirect` price).
    type_params: &'m [usize],
    /// Globals of the module: the instrumentation's come after them.
    globals: u32,
    /// Whether the heap bound calls `pay_for_memory_grow` before `memory.grow`.
    pays_for_growth: bool,
}

impl Instrumenter<'_> {
    /// Instruments a function body as `WasmBinary::instrument` does (start mover, ink meter,
    /// dynamic meter, depth checker, heap bound) and returns the instrumented opcode count
    /// (`parse_user`'s "opcodes in func body").
    fn instrument(
        &self,
        ops: &[Operator<'_>],
        locals: usize,
        function: u32,
    ) -> Result<usize, ValidationError> {
        let (ink, status, scratch) = (self.globals, self.globals + 1, self.globals + 2);

        // meter.rs: a header before every basic block, paying for the block and the header.
        let mut metered = Vec::with_capacity(ops.len() * 2);
        let (mut block, mut cost) = (Vec::new(), 0u64);
        for op in ops {
            let params = |t: u32| self.type_params.get(t as usize).copied();
            cost = cost.saturating_add(pricing::opcode_ink(op, params).unwrap_or(u64::MAX));
            block.push(op.clone());
            if pricing::ends_basic_block(op) {
                #[allow(clippy::cast_possible_wrap, reason = "nitro writes `cost as i64`")]
                let value = cost.saturating_add(pricing::BLOCK_HEADER_INK) as i64;
                metered.extend([
                    Operator::GlobalGet { global_index: ink },
                    Operator::I64Const { value },
                    Operator::I64LtU,
                    Operator::If { blockty: BlockType::Empty },
                    Operator::I32Const { value: 1 },
                    Operator::GlobalSet { global_index: status },
                    Operator::Unreachable,
                    Operator::End,
                    Operator::GlobalGet { global_index: ink },
                    Operator::I64Const { value },
                    Operator::I64Sub,
                    Operator::GlobalSet { global_index: ink },
                ]);
                metered.append(&mut block);
                cost = 0;
            }
        }
        metered.append(&mut block);

        // dynamic.rs: memory.copy / memory.fill pay per byte first; the rest of bulk memory
        // and the table operations are refused.
        let mut dynamic = Vec::with_capacity(metered.len());
        for op in metered {
            if refused_by_dynamic_meter(&op) {
                return Err(forbidden(&op, function));
            }
            let per_byte = match op {
                Operator::MemoryCopy { .. } => Some(pricing::MEMORY_COPY_BYTE_INK),
                Operator::MemoryFill { .. } => Some(pricing::MEMORY_FILL_BYTE_INK),
                _ => None,
            };
            if let Some(per_byte) = per_byte {
                let value = i64::try_from(per_byte).unwrap_or(i64::MAX);
                dynamic.extend([
                    Operator::GlobalSet { global_index: scratch },
                    Operator::GlobalGet { global_index: ink },
                    Operator::GlobalGet { global_index: ink },
                    Operator::GlobalGet { global_index: scratch },
                    Operator::I64ExtendI32U,
                    Operator::I64Const { value },
                    Operator::I64Mul,
                    Operator::I64Sub,
                    Operator::GlobalSet { global_index: ink },
                    Operator::GlobalGet { global_index: ink },
                    Operator::I64LtU,
                    Operator::If { blockty: BlockType::Empty },
                    Operator::I32Const { value: 1 },
                    Operator::GlobalSet { global_index: status },
                    Operator::Unreachable,
                    Operator::End,
                    Operator::GlobalGet { global_index: scratch },
                ]);
            }
            dynamic.push(op);
        }

        // depth.rs: the worst case of the metered code bounds the frame; 12 opcodes on entry,
        // a `return` before the final `end`, and 4 before every `return` to give the space back.
        let worst = self.worst_case_depth(&dynamic, function)?;
        let frame = worst + locals as u64 + 4;
        if frame > MAX_FRAME_SIZE {
            return Err(ValidationError::Limit {
                what: "words in a stack frame",
                count: usize::try_from(frame).unwrap_or(usize::MAX),
                limit: usize::try_from(MAX_FRAME_SIZE).unwrap_or(usize::MAX),
            });
        }
        let returns = dynamic.iter().filter(|op| matches!(op, Operator::Return)).count() + 1;
        let mut count = dynamic.len() + 12 + 1 + 4 * returns;

        // heap.rs: `memory.grow` first calls `pay_for_memory_grow` (4 opcodes).
        if self.pays_for_growth {
            count +=
                4 * dynamic.iter().filter(|op| matches!(op, Operator::MemoryGrow { .. })).count();
        }
        Ok(count)
    }

    /// `depth.rs`, `worst_case_depth`: the most values on the stack at once, refused over
    /// [`MAX_FRAME_CONTENTION`].
    fn worst_case_depth(
        &self,
        code: &[Operator<'_>],
        function: u32,
    ) -> Result<u64, ValidationError> {
        let (mut worst, mut stack) = (0u64, 0u64);
        let mut push = |stack: &mut u64, n: u64| {
            *stack += n;
            worst = worst.max(*stack);
        };
        let pop = |stack: &mut u64, n: u64| *stack = stack.saturating_sub(n);
        let mut scopes = vec![stack];
        let malformed_type = || malformed(format!("missing type in function {function}"));
        for op in code {
            let block_type = |blockty: &BlockType| -> Result<Option<Arity>, ValidationError> {
                match blockty {
                    BlockType::Empty => Ok(None),
                    BlockType::Type(_) => Ok(Some((0, 1))),
                    BlockType::FuncType(id) => {
                        self.types.get(*id as usize).copied().map(Some).ok_or_else(malformed_type)
                    }
                }
            };
            match op {
                Operator::Block { blockty } | Operator::Loop { blockty } => {
                    if let Some((ins, outs)) = block_type(blockty)? {
                        push(&mut stack, outs);
                        pop(&mut stack, ins);
                    }
                    scopes.push(stack);
                }
                Operator::If { blockty } => {
                    pop(&mut stack, 1);
                    if let Some((ins, outs)) = block_type(blockty)? {
                        push(&mut stack, outs);
                        pop(&mut stack, ins);
                    }
                    scopes.push(stack);
                }
                Operator::Else => stack = *scopes.last().ok_or_else(malformed_type)?,
                Operator::End => stack = scopes.pop().ok_or_else(malformed_type)?,
                Operator::Call { function_index } => {
                    let (ins, outs) =
                        *self.funcs.get(*function_index as usize).ok_or_else(malformed_type)?;
                    push(&mut stack, outs);
                    pop(&mut stack, ins);
                }
                Operator::CallIndirect { type_index, .. } => {
                    let (ins, outs) =
                        *self.types.get(*type_index as usize).ok_or_else(malformed_type)?;
                    push(&mut stack, outs);
                    pop(&mut stack, ins + 1);
                }
                Operator::MemoryFill { .. } | Operator::MemoryCopy { .. } => pop(&mut stack, 3),
                op => match simple_stack_effect(op) {
                    Some(n) if n > 0 => push(&mut stack, u64::from(n.unsigned_abs())),
                    Some(n) => pop(&mut stack, u64::from(n.unsigned_abs())),
                    None => return Err(forbidden(op, function)),
                },
            }
        }
        if worst > MAX_FRAME_CONTENTION {
            return Err(ValidationError::Limit {
                what: "values on the stack at once",
                count: usize::try_from(worst).unwrap_or(usize::MAX),
                limit: usize::try_from(MAX_FRAME_CONTENTION).unwrap_or(usize::MAX),
            });
        }
        Ok(worst)
    }
}

/// A function import as nitro's parser keeps it.
struct Import<'a> {
    module: &'a str,
    name: &'a str,
    ty: u32,
}

/// A function body: its declared locals and its opcodes.
struct Body<'a> {
    locals: usize,
    ops: Vec<Operator<'a>>,
}

/// Reads a constant offset (`i32.const` then `end`), as `Module::from_binary` does; `None`
/// for anything else.
fn const_offset(expr: &wasmparser::ConstExpr<'_>) -> Option<i64> {
    let mut reader = expr.get_operators_reader();
    match (reader.read().ok()?, reader.read().ok()?, reader.eof()) {
        (Operator::I32Const { value }, Operator::End, true) => Some(i64::from(value)),
        _ => None,
    }
}

/// Whether a function body uses the reference-types encoding of `call_indirect`: its table
/// index padded to several bytes (LLVM does it when reference types are on, as in the
/// prebuilt `core` of Rust >= 1.82). The validator refuses it; this names it.
fn overlong_call_indirect(wasm: &[u8], body: &FunctionBody<'_>) -> Result<bool, ValidationError> {
    let mut reader = body.get_operators_reader().map_err(malformed)?;
    while !reader.eof() {
        let start = reader.original_position();
        if let Operator::CallIndirect { .. } = reader.read().map_err(malformed)? {
            // A padded byte before the last one can only belong to the table index.
            let end = reader.original_position();
            if end - start > 2 && wasm[end - 2] & 0x80 != 0 {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// Checks `wasm` as activation would with the default [`ActivationOptions`] (the ArbOS
/// version the project targets, not in debug mode, 128 pages) and predicts its entry costs.
pub fn validate(wasm: &[u8]) -> Result<ModuleInfo, ValidationError> {
    validate_with(wasm, &ActivationOptions::default())
}

/// Checks `wasm` as activation would under `options` and predicts its entry costs. The steps,
/// and the nitro code each follows, are listed in the [module docs](self).
#[allow(clippy::cast_possible_truncation, reason = "counts of a wasm of at most 128 KiB")]
pub fn validate_with(
    wasm: &[u8],
    options: &ActivationOptions,
) -> Result<ModuleInfo, ValidationError> {
    if wasm.len() > pricing::params::MAX_WASM_SIZE {
        return Err(ValidationError::TooLarge {
            size: wasm.len(),
            limit: pricing::params::MAX_WASM_SIZE,
        });
    }

    // binary.rs, parse_with_version: every section through nitro's match.
    let mut types: Vec<(Vec<ValType>, Vec<ValType>)> = Vec::new();
    let mut imports: Vec<Import<'_>> = Vec::new();
    let mut functions: Vec<u32> = Vec::new();
    let mut tables: Vec<u64> = Vec::new();
    let mut memories: Vec<wasmparser::MemoryType> = Vec::new();
    let mut globals = 0usize;
    let mut exports: Vec<(&str, ExternalKind, u32)> = Vec::new();
    let mut start = None;
    let mut elements: Vec<wasmparser::Element<'_>> = Vec::new();
    let mut datas: Vec<wasmparser::Data<'_>> = Vec::new();
    let mut bodies: Vec<Body<'_>> = Vec::new();
    let mut module_name = String::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(malformed)? {
            Payload::Version { num, .. } if num != 1 => {
                return Err(malformed(format!("wasm format version not supported {num}")));
            }
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    let ty = ty.map_err(malformed)?;
                    types.push((ty.params().to_vec(), ty.results().to_vec()));
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader {
                    let import = import.map_err(malformed)?;
                    let TypeRef::Func(ty) = import.ty else {
                        return Err(ValidationError::NonFunctionImport {
                            module: import.module.into(),
                            name: import.name.into(),
                        });
                    };
                    imports.push(Import { module: import.module, name: import.name, ty });
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    functions.push(ty.map_err(malformed)?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    tables.push(table.map_err(malformed)?.ty.initial);
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    memories.push(memory.map_err(malformed)?);
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    let mut init = global.map_err(malformed)?.init_expr.get_operators_reader();
                    let constant = matches!(
                        (init.read().map_err(malformed)?, init.read().map_err(malformed)?),
                        (
                            Operator::I32Const { .. }
                                | Operator::I64Const { .. }
                                | Operator::F32Const { .. }
                                | Operator::F64Const { .. },
                            Operator::End
                        )
                    );
                    if !constant || !init.eof() {
                        return Err(ValidationError::NonConstant("global initializer"));
                    }
                    globals += 1;
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(malformed)?;
                    exports.push((export.name, export.kind, export.index));
                }
            }
            Payload::StartSection { func, .. } => start = Some(func),
            Payload::ElementSection(reader) => {
                for element in reader {
                    elements.push(element.map_err(malformed)?);
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    datas.push(data.map_err(malformed)?);
                }
            }
            Payload::CodeSectionEntry(body) => {
                let function = (imports.len() + bodies.len()) as u32;
                if overlong_call_indirect(wasm, &body)? {
                    return Err(ValidationError::ForbiddenOpcode {
                        class: OpcodeClass::ReferenceTypes,
                        opcode: "CallIndirect with an overlong table index".into(),
                        function,
                    });
                }
                let mut locals = 0usize;
                for local in body.get_locals_reader().map_err(malformed)? {
                    locals = locals.saturating_add(local.map_err(malformed)?.0 as usize);
                }
                let mut reader = body.get_operators_reader().map_err(malformed)?;
                let mut ops = Vec::new();
                while !reader.eof() {
                    ops.push(reader.read().map_err(malformed)?);
                }
                bodies.push(Body { locals, ops });
            }
            Payload::CustomSection(reader) if reader.name() == "name" => {
                let names =
                    NameSectionReader::new(BinaryReader::new(reader.data(), reader.data_offset()));
                let name_error = |e| malformed(format!("name section: {e}"));
                for name in names {
                    match name.map_err(name_error)? {
                        Name::Module { name, .. } => name.clone_into(&mut module_name),
                        Name::Function(map) => {
                            for naming in map {
                                naming.map_err(name_error)?;
                            }
                        }
                        _ => {}
                    }
                }
            }
            Payload::Version { .. }
            | Payload::CodeSectionStart { .. }
            | Payload::CustomSection(_)
            | Payload::End(_) => {}
            Payload::DataCountSection { .. } => {
                return Err(ValidationError::UnsupportedSection("DataCount (id 12)".into()));
            }
            Payload::TagSection(_) => {
                return Err(ValidationError::UnsupportedSection("Tag (id 13)".into()));
            }
            Payload::UnknownSection { id, .. } => {
                return Err(ValidationError::UnsupportedSection(format!("unknown (id {id})")));
            }
            other => {
                let id = other.as_section().map_or(0, |(id, _)| id);
                return Err(ValidationError::UnsupportedSection(format!("component (id {id})")));
            }
        }
    }
    Validator::new_with_features(features(options)).validate_all(wasm).map_err(malformed)?;

    // No import of one name under two type indices (the index, not the type, is compared).
    let mut seen: HashMap<(&str, &str), u32> = HashMap::new();
    for import in &imports {
        if seen
            .insert((import.module, import.name), import.ty)
            .is_some_and(|prior| prior != import.ty)
        {
            return Err(ValidationError::InconsistentImports {
                module: import.module.into(),
                name: import.name.into(),
            });
        }
    }
    // No export named (in its last `__` segment) as an import; nothing named `stylus*`.
    let tails: HashSet<&str> =
        exports.iter().map(|(name, ..)| name.rsplit("__").next().unwrap_or(name)).collect();
    if let Some(import) = imports.iter().find(|import| tails.contains(import.name)) {
        return Err(ValidationError::ExportsImport(import.name.into()));
    }
    if let Some(name) = tails.iter().find(|name| name.starts_with("stylus")) {
        return Err(ValidationError::ReservedName((*name).into()));
    }
    if let Some(import) = imports.iter().find(|import| import.name.starts_with("stylus")) {
        return Err(ValidationError::ReservedName(import.name.into()));
    }
    if module_name.is_empty() {
        // nitro names a module without a name after its path, "user" for user programs.
        module_name = "user".into();
    }

    // WasmBinary::instrument. start.rs: a start function only in debug mode, where it becomes
    // the export `stylus_start`; outside debug mode every other export is dropped.
    if let Some(func) = start {
        if !options.debug {
            return Err(ValidationError::StartFunction);
        }
        exports.push(("stylus_start", ExternalKind::Func, func));
    }
    if !options.debug {
        exports.retain(|(name, kind, _)| EXPORT_WHITELIST.contains(&(*name, *kind)));
    }
    // meter.rs, dynamic.rs and depth.rs add four exported globals.
    let export_count = exports.len() + INSTRUMENTATION_GLOBALS;
    // heap.rs: one memory, exported as `memory`, within the heap bound; a growable one pays.
    let memory = match memories.as_slice() {
        [] => return Err(ValidationError::MissingMemory),
        [memory] => *memory,
        more => {
            return Err(ValidationError::Limit { what: "memories", count: more.len(), limit: 1 })
        }
    };
    if !exports.contains(&("memory", ExternalKind::Memory, 0)) {
        return Err(ValidationError::MissingMemory);
    }
    if memory.initial > HEAP_BOUND {
        return Err(ValidationError::MemoryTooLarge {
            pages: memory.initial,
            limit: HEAP_BOUND as u16,
        });
    }
    let function_type = |index: u32| {
        let index = index as usize;
        let ty = match index.checked_sub(imports.len()) {
            None => imports.get(index).map(|import| import.ty),
            Some(local) => functions.get(local).copied(),
        };
        ty.and_then(|ty| types.get(ty as usize))
            .ok_or_else(|| malformed(format!("missing func @ index {index}")))
    };
    let memory_can_grow = memory.maximum != Some(memory.initial);
    let mut pay_for_memory_grow = None;
    if memory_can_grow {
        let Some(index) = imports
            .iter()
            .position(|import| import.module == "vm_hooks" && import.name == "pay_for_memory_grow")
        else {
            return Err(ValidationError::UnknownHostFunction {
                module: "vm_hooks".into(),
                name: "pay_for_memory_grow (required by a growable memory)".into(),
            });
        };
        let found = function_type(index as u32)?;
        if found.0 != [ValType::I32] || !found.1.is_empty() {
            return Err(ValidationError::ImportSignature {
                module: "vm_hooks".into(),
                name: "pay_for_memory_grow".into(),
                expected: signature(&[ValType::I32], &[]),
                found: signature(&found.0, &found.1),
            });
        }
        pay_for_memory_grow = Some(index as u32);
    }
    // Every function through the middlewares, in nitro's order.
    let arity = |(params, results): &(Vec<ValType>, Vec<ValType>)| {
        (params.len() as u64, results.len() as u64)
    };
    let type_arities: Vec<Arity> = types.iter().map(arity).collect();
    let mut func_arities: Vec<Arity> = Vec::with_capacity(imports.len() + functions.len());
    for index in 0..imports.len() + functions.len() {
        func_arities.push(arity(function_type(index as u32)?));
    }
    let type_params: Vec<usize> = types.iter().map(|t| t.0.len()).collect();
    let instrumenter = Instrumenter {
        funcs: &func_arities,
        types: &type_arities,
        type_params: &type_params,
        globals: globals as u32,
        pays_for_growth: pay_for_memory_grow.is_some(),
    };
    let mut opcodes = Vec::with_capacity(bodies.len());
    for (i, body) in bodies.iter().enumerate() {
        let function = (imports.len() + i) as u32;
        opcodes.push(instrumenter.instrument(&body.ops, body.locals, function)?);
    }
    // The entrypoint: an exported (i32) -> i32 function, imported or not.
    let entry = exports
        .iter()
        .find(|(name, ..)| *name == "user_entrypoint")
        .ok_or(ValidationError::MissingEntrypoint)?;
    if entry.1 != ExternalKind::Func {
        return Err(ValidationError::EntrypointSignature(format!("a {:?}", entry.1)));
    }
    let entry_type = function_type(entry.2)?;
    if entry_type.0 != [ValType::I32] || entry_type.1 != [ValType::I32] {
        return Err(ValidationError::EntrypointSignature(signature(&entry_type.0, &entry_type.1)));
    }
    let footprint = memory.initial as u16;

    // Cost prediction, as `WasmBinary::instrument` does it (Stylus version 2).
    let funcs = bodies.len() as u64;
    let global_count = (globals + INSTRUMENTATION_GLOBALS) as u64;
    let wasm_len = wasm.len() as u64;
    let data_len: u64 = datas.iter().map(|d| d.range.len() as u64).sum::<u64>()
        + elements.iter().map(|e| e.range.len() as u64).sum::<u64>();
    let type_len: u64 = functions
        .iter()
        .filter_map(|t| types.get(*t as usize))
        .map(|(p, r)| (p.len() + r.len()) as u64)
        .sum();
    let cached = funcs * 13_420 / 100_000
        + type_len * 89 / 100_000
        + wasm_len * 122 / 100_000
        + global_count * 1_628 / 1_000
        + data_len * 75_244 / 100_000
        + u64::from(footprint) * 5;
    let init = funcs * 8_252 / 1_000 + type_len * 1_059 / 1_000 + wasm_len * 1_286 / 10_000;
    let init_cost = u16::try_from(init).map_err(|_| ValidationError::CostTooHigh("init"))?;
    let cached_cost = u16::try_from(cached).map_err(|_| ValidationError::CostTooHigh("cached"))?;
    // `binary.rs`: the estimate of the native code size that ArbWasm's data fee prices.
    let asm_estimate =
        512_000 + funcs * 996_829 / 1_000 + type_len * 11_416 / 1_000 + wasm_len * 62_628 / 10_000;
    let asm_estimate = u32::try_from(asm_estimate).unwrap_or(u32::MAX);
    // `Module::activate`: what parsing and compiling cost, in microseconds, at 28 gas each
    // (its `us_to_gas`). Its charge for the wasm's length rounds to zero (`31_733 / 100_000`).
    let us_to_gas = |us: u64| us * 28;
    let data_bytes: u64 = datas.iter().map(|d| d.data.len() as u64).sum();
    let elem_len: u64 = elements.iter().map(|e| e.range.len() as u64).sum();
    let code_ops: u64 = bodies.iter().map(|b| b.ops.len() as u64).sum();
    let activation_gas = us_to_gas(funcs * 17_263 / 100_000)
        + us_to_gas(data_bytes * 17_376 / 100_000)
        + us_to_gas(elem_len * 17_376 / 100_000)
        + us_to_gas(memory.initial * 2_217)
        + us_to_gas(code_ops * 535 / 1_000);

    // WasmBinary::parse_user: the page limit and the anti-DoS limits, after instrumentation.
    if memory.initial > u64::from(options.page_limit) {
        return Err(ValidationError::MemoryTooLarge {
            pages: memory.initial,
            limit: options.page_limit,
        });
    }
    limit("datas", datas.len(), 128)?;
    limit("elements", elements.len(), 128)?;
    limit("exports", export_count, 1024)?;
    limit("functions", bodies.len(), 4096)?;
    limit("globals", globals + INSTRUMENTATION_GLOBALS, 32_768)?;
    for (body, count) in bodies.iter().zip(&opcodes) {
        limit("locals", body.locals, 348)?;
        limit("opcodes in func body", *count, 65_536)?;
    }
    if options.arbos_version >= arbos::STYLUS_CHARGING_FIXES {
        limit("imports", imports.len(), 513)?;
    }
    let table_entries = tables.iter().fold(0u64, |sum, t| sum.saturating_add(*t));
    limit("table entries", usize::try_from(table_entries).unwrap_or(usize::MAX), 4096)?;
    limit("element entries", elements.iter().map(|e| e.range.len()).sum(), 4096)?;
    if let Some((name, ..)) = exports.iter().find(|(name, ..)| name.len() > 512) {
        return Err(ValidationError::Limit { what: "name length", count: name.len(), limit: 512 });
    }
    limit("module name length", module_name.len(), 512)?;

    // machine.rs, Module::from_user_binary: imports nitro links, with their exact types.
    for import in &imports {
        let (module, name) = (import.module.to_owned(), import.name.to_owned());
        let Some((params, results, debug_only)) = host_import(import.module, import.name) else {
            if module == "vm_hooks" || module == "console" {
                return Err(ValidationError::UnknownHostFunction { module, name });
            }
            return Err(ValidationError::ForeignImport { module, name });
        };
        if debug_only && !options.debug {
            return Err(ValidationError::DebugImport { module, name });
        }
        let found = types.get(import.ty as usize).ok_or_else(|| malformed("missing type"))?;
        if found.0 != params || found.1 != results {
            return Err(ValidationError::ImportSignature {
                expected: signature(&params, &results),
                found: signature(&found.0, &found.1),
                module,
                name,
            });
        }
    }
    // wavm.rs, wasm_to_wavm: no soft-float implementation for user modules.
    for (i, body) in bodies.iter().enumerate() {
        if let Some(op) = body.ops.iter().find(|op| is_soft_float(op)) {
            return Err(forbidden(op, (imports.len() + i) as u32));
        }
    }
    // Active data segments within the initial memory, element segments within their table.
    let memory_size = memory.initial * 65_536;
    for data in &datas {
        let DataKind::Active { memory_index, offset_expr } = &data.kind else { continue };
        if *memory_index != 0 {
            return Err(malformed("data segment for a memory that does not exist"));
        }
        let offset =
            const_offset(offset_expr).ok_or(ValidationError::NonConstant("data offset"))?;
        let end = u64::try_from(offset).ok().and_then(|o| o.checked_add(data.data.len() as u64));
        if end.is_none_or(|end| end > memory_size) {
            return Err(ValidationError::SegmentOutOfBounds {
                what: "data",
                offset,
                len: data.data.len(),
                size: memory_size,
            });
        }
    }
    for element in &elements {
        let ElementKind::Active { table_index, offset_expr } = &element.kind else { continue };
        let offset =
            const_offset(offset_expr).ok_or(ValidationError::NonConstant("element offset"))?;
        let size = *tables
            .get(table_index.unwrap_or_default() as usize)
            .ok_or_else(|| malformed("element segment for a table that does not exist"))?;
        let ElementItems::Functions(items) = &element.items else {
            return Err(ValidationError::NonConstant("element initializers"));
        };
        let len = items.count() as usize;
        let end = u64::try_from(offset).ok().and_then(|o| o.checked_add(len as u64));
        if end.is_none_or(|end| end > size) {
            return Err(ValidationError::SegmentOutOfBounds { what: "element", offset, len, size });
        }
    }

    let compressed = compress(wasm);
    let compressed_len = compressed.len();
    let code_size = STYLUS_PREFIX.len() + compressed_len;
    if code_size > pricing::evm::MAX_CODE_SIZE {
        return Err(ValidationError::CompressedTooLarge {
            compressed: compressed_len,
            code_size,
            limit: pricing::evm::MAX_CODE_SIZE,
        });
    }

    Ok(ModuleInfo {
        wasm_len: wasm.len(),
        compressed_len,
        footprint,
        init_cost,
        cached_cost,
        asm_estimate,
        activation_gas,
        functions: bodies.len(),
        imports: imports.iter().map(|i| format!("{}::{}", i.module, i.name)).collect(),
        code: [&STYLUS_PREFIX[..], &compressed].concat(),
        layout: Layout {
            type_params,
            imported_functions: imports.len() as u32,
            globals: globals as u32,
            pay_for_memory_grow,
            memory_can_grow,
        },
    })
}

/// Removes the DataCount section (id 12) that binaryen writes whenever bulk memory is enabled,
/// and that nitro's parser refuses. The section only matters to `memory.init` and `data.drop`,
/// which need it to validate: a module that uses either is refused, not stripped. Every other
/// section is copied byte for byte; a module without the section is returned unchanged.
pub fn strip_data_count(wasm: &[u8]) -> Result<Vec<u8>, ValidationError> {
    let mut module = wasm_encoder::Module::new();
    let (mut stripped, mut function) = (false, 0u32);
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(malformed)?;
        match &payload {
            Payload::DataCountSection { .. } => {
                stripped = true;
                continue;
            }
            Payload::ImportSection(reader) => {
                for import in reader.clone() {
                    if matches!(import.map_err(malformed)?.ty, TypeRef::Func(_)) {
                        function += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => {
                let mut reader = body.get_operators_reader().map_err(malformed)?;
                while !reader.eof() {
                    let op = reader.read().map_err(malformed)?;
                    if matches!(op, Operator::MemoryInit { .. } | Operator::DataDrop { .. }) {
                        return Err(forbidden(&op, function));
                    }
                }
                function += 1;
            }
            _ => {}
        }
        if let Some((id, range)) = payload.as_section() {
            module.section(&wasm_encoder::RawSection { id, data: &wasm[range] });
        }
    }
    if !stripped {
        return Ok(wasm.to_vec());
    }
    Ok(module.finish())
}
