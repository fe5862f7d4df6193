//! Offline activation checks: what ArbOS would refuse when a program is activated.
//!
//! The rules follow nitro's `crates/prover/src/binary.rs` (`parse`, `WasmBinary::parse_user`,
//! `WasmBinary::instrument`): the validator's feature set (mutable globals, sign extension,
//! saturating float-to-int, bulk memory and multi-value; no reference types, SIMD, threads,
//! tail calls, exceptions, multi-memory or memory64), imports only of functions from
//! `vm_hooks` (and `console` in debug builds), an exported `user_entrypoint(i32) -> i32`,
//! a `memory`, no start function, the anti-DoS limits, and the size limits: 128 KiB of wasm and
//! 24,576 bytes of deployed code (the 4-byte Stylus prefix plus the brotli-compressed wasm,
//! quality 11, window 22, as `cargo stylus` compresses it). Floats are rejected here although
//! nitro's validator parses them: `pricing_v1` gives them no price, so no Stylus program can
//! run one.
//!
//! The same pass predicts the entry costs that activation stores with the program
//! (`init_cost`, `cached_init_cost`, `footprint`), with `binary.rs`'s formulas.

use std::fmt;

use wasmparser::{Operator, Parser, Payload, TypeRef, ValType, Validator, WasmFeatures};

use crate::{host, pricing};

/// The 4-byte prefix of deployed Stylus code (`EFF000` and dictionary 0: none).
pub const STYLUS_PREFIX: [u8; 4] = [0xEF, 0xF0, 0x00, 0x00];

/// Globals the instrumentation adds before nitro predicts costs (ink left, ink status,
/// scratch, stack depth left).
const INSTRUMENTATION_GLOBALS: u64 = 4;

/// What kind of forbidden opcode a program contains.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpcodeClass {
    /// `f32` / `f64` arithmetic, loads, stores, conversions.
    Float,
    /// 128-bit SIMD.
    Simd,
    /// Threads: atomics, `memory.atomic.*`.
    Atomic,
    /// Reference types: `ref.*`, `table.*`, typed `select`.
    ReferenceTypes,
    /// Anything else Stylus does not price (`memory.init`, `data.drop`, tail calls,
    /// exceptions, GC...).
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

/// The validator's feature set (`binary.rs`), floats included so that they get a clear error
/// from the opcode scan rather than a generic one.
fn features() -> WasmFeatures {
    WasmFeatures::WASM1
        | WasmFeatures::SATURATING_FLOAT_TO_INT
        | WasmFeatures::SIGN_EXTENSION
        | WasmFeatures::MULTI_VALUE
        | WasmFeatures::BULK_MEMORY
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

/// Classifies an opcode `pricing_v1` has no price for.
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

/// Checks `wasm` as activation would and predicts its entry costs.
pub fn validate(wasm: &[u8]) -> Result<ModuleInfo, ValidationError> {
    if wasm.len() > pricing::params::MAX_WASM_SIZE {
        return Err(ValidationError::TooLarge {
            size: wasm.len(),
            limit: pricing::params::MAX_WASM_SIZE,
        });
    }

    let mut layout = Layout::default();
    let mut types: Vec<(Vec<ValType>, Vec<ValType>)> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let mut imports = Vec::new();
    let mut exports: Vec<(String, wasmparser::ExternalKind, u32)> = Vec::new();
    let mut memories: Vec<wasmparser::MemoryType> = Vec::new();
    let (mut data_len, mut elem_len, mut datas, mut elements) = (0u64, 0u64, 0usize, 0usize);
    let (mut table_entries, mut codes) = (0u64, 0u32);

    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(malformed)? {
            Payload::TypeSection(reader) => {
                for ty in reader.into_iter_err_on_gc_types() {
                    let ty = ty.map_err(malformed)?;
                    types.push((ty.params().to_vec(), ty.results().to_vec()));
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader {
                    let import = import.map_err(malformed)?;
                    let (module, name) = (import.module.to_owned(), import.name.to_owned());
                    if module != "vm_hooks" && module != "console" {
                        return Err(ValidationError::ForeignImport { module, name });
                    }
                    let TypeRef::Func(type_index) = import.ty else {
                        return Err(ValidationError::NonFunctionImport { module, name });
                    };
                    if name.starts_with("stylus") {
                        return Err(ValidationError::ReservedName(name));
                    }
                    let Some((params, results)) = host::signature(&module, &name) else {
                        return Err(ValidationError::UnknownHostFunction { module, name });
                    };
                    let found = types.get(type_index as usize).ok_or_else(|| {
                        malformed(format!("import {module}::{name} has no type {type_index}"))
                    })?;
                    if found.0 != params || found.1 != results {
                        return Err(ValidationError::ImportSignature {
                            expected: signature(params, results),
                            found: signature(&found.0, &found.1),
                            module,
                            name,
                        });
                    }
                    if module == "vm_hooks" && name == "pay_for_memory_grow" {
                        layout.pay_for_memory_grow = Some(layout.imported_functions);
                    }
                    layout.imported_functions += 1;
                    imports.push(format!("{module}::{name}"));
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    func_types.push(ty.map_err(malformed)?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    table_entries += table.map_err(malformed)?.ty.initial;
                }
            }
            Payload::MemorySection(reader) => {
                for memory in reader {
                    memories.push(memory.map_err(malformed)?);
                }
            }
            Payload::GlobalSection(reader) => layout.globals = reader.count(),
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(malformed)?;
                    exports.push((export.name.to_owned(), export.kind, export.index));
                }
            }
            Payload::StartSection { .. } => return Err(ValidationError::StartFunction),
            Payload::ElementSection(reader) => {
                for element in reader {
                    elem_len += element.map_err(malformed)?.range.len() as u64;
                    elements += 1;
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    data_len += data.map_err(malformed)?.range.len() as u64;
                    datas += 1;
                }
            }
            Payload::CodeSectionEntry(body) => {
                let function = layout.imported_functions + codes;
                codes += 1;
                let locals: u64 = body
                    .get_locals_reader()
                    .map_err(malformed)?
                    .into_iter()
                    .map(|l| l.map(|(count, _)| u64::from(count)))
                    .sum::<Result<u64, _>>()
                    .map_err(malformed)?;
                limit("locals", usize::try_from(locals).unwrap_or(usize::MAX), 348)?;
                let mut reader = body.get_operators_reader().map_err(malformed)?;
                let mut ops = 0usize;
                while !reader.eof() {
                    let start = reader.original_position();
                    let op = reader.read().map_err(malformed)?;
                    ops += 1;
                    if let Operator::CallIndirect { .. } = op {
                        // The table index must be a single zero byte without reference types;
                        // LLVM pads it to five bytes when reference types are on (as in the
                        // prebuilt `core` of Rust >= 1.82). A padded byte before the last one
                        // can only belong to the table index.
                        let end = reader.original_position();
                        if end - start > 2 && wasm[end - 2] & 0x80 != 0 {
                            return Err(ValidationError::ForbiddenOpcode {
                                class: OpcodeClass::ReferenceTypes,
                                opcode: "CallIndirect with an overlong table index".into(),
                                function,
                            });
                        }
                    }
                    let params = |t: u32| types.get(t as usize).map(|ty| ty.0.len());
                    if pricing::opcode_ink(&op, params).is_none() {
                        let (class, opcode) = classify(&op);
                        return Err(ValidationError::ForbiddenOpcode { class, opcode, function });
                    }
                }
                limit("opcodes in func body", ops, 65_536)?;
            }
            _ => {}
        }
    }

    Validator::new_with_features(features()).validate_all(wasm).map_err(malformed)?;

    for (name, _, _) in &exports {
        if name.rsplit("__").next().is_some_and(|n| n.starts_with("stylus")) {
            return Err(ValidationError::ReservedName(name.clone()));
        }
    }
    let entry = exports
        .iter()
        .find(|(name, _, _)| name == "user_entrypoint")
        .ok_or(ValidationError::MissingEntrypoint)?;
    if entry.1 != wasmparser::ExternalKind::Func {
        return Err(ValidationError::EntrypointSignature(format!("a {:?}", entry.1)));
    }
    let entry_type = entry
        .2
        .checked_sub(layout.imported_functions)
        .and_then(|local| func_types.get(local as usize))
        .and_then(|t| types.get(*t as usize))
        .ok_or_else(|| ValidationError::EntrypointSignature("an imported function".into()))?;
    if entry_type.0 != [ValType::I32] || entry_type.1 != [ValType::I32] {
        return Err(ValidationError::EntrypointSignature(signature(&entry_type.0, &entry_type.1)));
    }
    if !exports.iter().any(|(n, k, _)| n == "memory" && *k == wasmparser::ExternalKind::Memory) {
        return Err(ValidationError::MissingMemory);
    }
    let memory = memories.first().ok_or(ValidationError::MissingMemory)?;
    if memory.initial > u64::from(pricing::params::PAGE_LIMIT) {
        return Err(ValidationError::MemoryTooLarge {
            pages: memory.initial,
            limit: pricing::params::PAGE_LIMIT,
        });
    }
    layout.memory_can_grow = memory.maximum != Some(memory.initial);
    if layout.memory_can_grow && layout.pay_for_memory_grow.is_none() {
        return Err(ValidationError::UnknownHostFunction {
            module: "vm_hooks".into(),
            name: "pay_for_memory_grow (required by a growable memory)".into(),
        });
    }

    limit("memories", memories.len(), 1)?;
    limit("datas", datas, 128)?;
    limit("elements", elements, 128)?;
    limit("exports", exports.len(), 1024)?;
    limit("functions", codes as usize, 4096)?;
    limit("globals", layout.globals as usize, 32_768)?;
    limit("imports", imports.len(), 513)?;
    limit("table entries", usize::try_from(table_entries).unwrap_or(usize::MAX), 4096)?;
    limit("element entries", usize::try_from(elem_len).unwrap_or(usize::MAX), 4096)?;
    if let Some((name, _, _)) = exports.iter().find(|(name, _, _)| name.len() > 512) {
        return Err(ValidationError::Limit { what: "name length", count: name.len(), limit: 512 });
    }

    layout.type_params = types.iter().map(|t| t.0.len()).collect();
    #[allow(clippy::cast_possible_truncation, reason = "checked against PAGE_LIMIT above")]
    let footprint = memory.initial as u16;

    // Cost prediction, as `WasmBinary::instrument` does it.
    let funcs = u64::from(codes);
    let globals = u64::from(layout.globals) + INSTRUMENTATION_GLOBALS;
    let wasm_len = wasm.len() as u64;
    let data_len = data_len + elem_len;
    let type_len: u64 = func_types
        .iter()
        .filter_map(|t| types.get(*t as usize))
        .map(|(p, r)| (p.len() + r.len()) as u64)
        .sum();
    let cached = funcs * 13_420 / 100_000
        + type_len * 89 / 100_000
        + wasm_len * 122 / 100_000
        + globals * 1_628 / 1_000
        + data_len * 75_244 / 100_000
        + u64::from(footprint) * 5;
    let init = funcs * 8_252 / 1_000 + type_len * 1_059 / 1_000 + wasm_len * 1_286 / 10_000;
    let cached_cost = u16::try_from(cached).map_err(|_| ValidationError::CostTooHigh("cached"))?;
    let init_cost = u16::try_from(init).map_err(|_| ValidationError::CostTooHigh("init"))?;

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
        functions: codes as usize,
        imports,
        code: [&STYLUS_PREFIX[..], &compressed].concat(),
        layout,
    })
}
