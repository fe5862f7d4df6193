//! The activation check decides as nitro's activation does, rule by rule. Each test names the
//! nitro code it follows (OffchainLabs/nitro, `crates/prover/src/...`) and, where the VM once
//! disagreed with nitro, checks both the side nitro accepts and the side it refuses.

use std::fmt::Write;

use crate::common::wasm;
use stylus_vm::{
    alloy_primitives::{Address, U256},
    validate::{self, arbos, ActivationOptions, ModuleInfo, ARBOS_VERSION},
    OpcodeClass, Status, ValidationError, Vm,
};

/// A memory and an entrypoint around `body` (module fields).
fn program(body: &str) -> String {
    format!(
        r#"(module {body}
          (memory (export "memory") 1 1)
          (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#
    )
}

fn check(wat: &str) -> Result<ModuleInfo, ValidationError> {
    validate::validate(&wasm(wat))
}

fn check_with(wat: &str, options: ActivationOptions) -> Result<ModuleInfo, ValidationError> {
    validate::validate_with(&wasm(wat), &options)
}

fn debug() -> ActivationOptions {
    ActivationOptions { debug: true, ..ActivationOptions::default() }
}

fn at(arbos_version: u64) -> ActivationOptions {
    ActivationOptions { arbos_version, ..ActivationOptions::default() }
}

// --- binary.rs, parse_with_version: sections -------------------------------------------------

/// `module` with a DataCount section (id 12, count 1) inserted before its code section.
fn with_data_count(module: &[u8]) -> Vec<u8> {
    let mut out = module[..8].to_vec();
    let mut at = 8;
    while at < module.len() {
        let id = module[at];
        let (mut size, mut shift, mut len) = (0usize, 0, 1);
        while module[at + len] & 0x80 != 0 {
            size |= usize::from(module[at + len] & 0x7f) << shift;
            shift += 7;
            len += 1;
        }
        size |= usize::from(module[at + len]) << shift;
        let end = at + len + 1 + size;
        if id == 10 {
            out.extend_from_slice(&[12, 1, 1]);
        }
        out.extend_from_slice(&module[at..end]);
        at = end;
    }
    out
}

#[test]
fn parse_refuses_the_data_count_section_that_strip_data_count_removes() {
    let plain = wasm(&program(r#"(data (i32.const 0) "hi")"#));
    let with_section = with_data_count(&plain);
    assert_eq!(with_section.len(), plain.len() + 3);
    let e = validate::validate(&with_section).unwrap_err();
    assert_eq!(e, ValidationError::UnsupportedSection("DataCount (id 12)".into()));
    assert!(e.to_string().contains("unsupported section type"), "{e}");

    let stripped = validate::strip_data_count(&with_section).expect("no memory.init");
    assert_eq!(stripped, plain);
    let info = validate::validate(&stripped).expect("nitro parses it");
    assert_eq!(info, validate::validate(&plain).expect("the same module"));
    // A module without the section comes back unchanged.
    assert_eq!(validate::strip_data_count(&plain).expect("nothing to strip"), plain);
}

#[test]
fn strip_data_count_refuses_memory_init_and_data_drop() {
    for op in ["i32.const 0 i32.const 0 i32.const 1 memory.init 0", "data.drop 0"] {
        let module = wasm(&format!(
            r#"(module (memory (export "memory") 1 1) (data "hi")
              (func (export "user_entrypoint") (param i32) (result i32) {op} i32.const 0))"#
        ));
        let e = validate::strip_data_count(&module).unwrap_err();
        assert!(
            matches!(
                e,
                ValidationError::ForbiddenOpcode {
                    class: OpcodeClass::Unsupported,
                    function: 0,
                    ..
                }
            ),
            "{op}: {e:?}"
        );
    }
}

#[test]
fn parse_refuses_an_unknown_section() {
    let mut module = wasm(&program(""));
    module.extend_from_slice(&[0x7f, 0x00]);
    let e = validate::validate(&module).unwrap_err();
    assert!(
        matches!(e, ValidationError::UnsupportedSection(_) | ValidationError::Malformed(_)),
        "{e:?}"
    );
}

// --- binary.rs, parse_with_version: the validator's features ----------------------------------

#[test]
fn validator_refuses_multi_value_from_arbos_60_and_accepts_it_before() {
    let results = program("(func (result i32 i32) i32.const 1 i32.const 2)");
    let block = program(
        "(type $t (func (param i32) (result i32)))
         (func (param i32) (result i32) local.get 0 (block (type $t)))",
    );
    for wat in [&results, &block] {
        let before = at(arbos::STYLUS_NO_MULTI_VALUE - 1);
        check_with(wat, before).expect("multi-value before ArbOS 60");
        let e = check_with(wat, at(arbos::STYLUS_NO_MULTI_VALUE)).unwrap_err();
        assert!(
            matches!(e, ValidationError::Malformed(ref m) if m.contains("multi-value")),
            "{e:?}"
        );
    }
    assert_eq!(ActivationOptions::default().arbos_version, ARBOS_VERSION);
    assert!(check(&results).is_err(), "the default is ArbOS {ARBOS_VERSION}");
}

#[test]
fn validator_refuses_simd_threads_and_reference_types() {
    for op in [
        "v128.const i64x2 0 0 drop",
        "i32.const 0 i32.atomic.load drop",
        "ref.null func drop",
        "i32.const 0 i32.const 0 i32.const 0 return_call_indirect (type 0)",
    ] {
        let e = check(&format!(
            r#"(module (type (func (param i32) (result i32))) (memory (export "memory") 1 1)
              (table 1 funcref)
              (func (export "user_entrypoint") (param i32) (result i32) {op} i32.const 0))"#
        ))
        .unwrap_err();
        assert!(
            matches!(e, ValidationError::Malformed(ref m) if m.contains("support")),
            "{op}: {e:?}"
        );
    }
}

// --- floats: wavm.rs wasm_to_wavm, meter.rs pricing_v1 ----------------------------------------

const FLOAT_DATA_MOVES: &str = r"
  (global $g (mut f64) (f64.const 1.5))
  (func $moves (param f32) (result f32)
    (local f64)
    i32.const 0 f32.const 2.5 f32.store
    i32.const 8 f64.load global.set $g
    i32.const 0 f32.load i32.reinterpret_f32 f32.reinterpret_i32 drop
    f64.const 3 i64.reinterpret_f64 f64.reinterpret_i64 local.set 1
    local.get 0 f32.const 1 i32.const 1 select)";

#[test]
fn wasm_to_wavm_accepts_float_constants_loads_stores_reinterprets_and_select() {
    let info = check(&program(FLOAT_DATA_MOVES)).expect("nitro activates float data moves");
    assert_eq!(info.functions, 2);
}

#[test]
fn wasm_to_wavm_refuses_float_arithmetic_comparisons_and_conversions() {
    for (op, name) in [
        ("f64.const 1 f64.const 2 f64.add drop", "F64Add"),
        ("f32.const 1 f32.const 2 f32.lt drop", "F32Lt"),
        ("f32.const 1 f32.sqrt drop", "F32Sqrt"),
        ("i32.const 1 f64.convert_i32_s drop", "F64ConvertI32S"),
        ("f32.const 1 i32.trunc_sat_f32_s drop", "I32TruncSatF32S"),
        ("f32.const 1 f64.promote_f32 drop", "F64PromoteF32"),
    ] {
        let e = check(&program(&format!("(func {op})"))).unwrap_err();
        assert_eq!(
            e,
            ValidationError::ForbiddenOpcode {
                class: OpcodeClass::Float,
                opcode: name.into(),
                function: 0
            },
            "{op}"
        );
    }
}

/// A program whose entrypoint runs `body` (which leaves nothing on the stack) and returns 0.
fn entry_running(body: &str) -> Vec<u8> {
    wasm(&format!(
        r#"(module (memory (export "memory") 1 1)
          (func (export "user_entrypoint") (param i32) (result i32) (local f32 f32)
            {body} i32.const 0))"#
    ))
}

#[test]
fn pricing_v1_leaves_float_constants_unpriced_so_their_block_runs_out_of_ink() {
    let mut vm = Vm::new();
    let from = Address::repeat_byte(0xa1);
    let constant = vm.deploy(&entry_running("f32.const 1 drop")).expect("activates");
    let r = vm.call(from, constant, U256::ZERO, &[]);
    assert_eq!(r.status, Status::OutOfGas);
    assert_eq!(r.gas_used, r.gas_limit, "out of ink consumes the gas given");

    // `select` on float locals is priced (1,250 ink) and runs.
    let select = vm
        .deploy(&entry_running("local.get 1 local.get 2 i32.const 1 select drop"))
        .expect("activates");
    let r = vm.call(from, select, U256::ZERO, &[]);
    assert_eq!(r.status, Status::Success);
    assert!(r.gas_used < r.gas_limit / 100, "{}", r.gas_used);
}

// --- imports: binary.rs parse_with_version, machine.rs Module::from_user_binary ----------------

#[test]
fn from_user_binary_allows_console_imports_only_in_debug_mode() {
    let wat = program(
        r#"(import "console" "log_i32" (func (param i32)))
           (import "console" "tee_f64" (func (param f64) (result f64)))"#,
    );
    let e = check(&wat).unwrap_err();
    assert_eq!(
        e,
        ValidationError::DebugImport { module: "console".into(), name: "log_i32".into() }
    );
    let info = check_with(&wat, debug()).expect("debug chains link console");
    assert_eq!(info.imports, ["console::log_i32", "console::tee_f64"]);
}

#[test]
fn from_user_binary_refuses_the_hostapi_and_debug_modules_even_in_debug_mode() {
    for (module, name, ty) in [
        ("env", "wavm_halt_and_set_finished", "(func)"),
        ("hostio", "user_ink_left", "(func (result i64))"),
        ("debug", "null_host", "(func)"),
    ] {
        let e = check_with(&program(&format!(r#"(import "{module}" "{name}" {ty})"#)), debug())
            .unwrap_err();
        assert_eq!(e, ValidationError::ForeignImport { module: module.into(), name: name.into() });
    }
}

#[test]
fn parse_refuses_one_import_under_two_type_indices_but_not_under_one() {
    let twice = |second_type: &str| {
        program(&format!(
            r#"(type $a (func (param i32))) (type $b (func (param i32)))
               (import "vm_hooks" "read_args" (func (type $a)))
               (import "vm_hooks" "read_args" (func (type {second_type})))"#
        ))
    };
    let e = check(&twice("$b")).unwrap_err();
    assert_eq!(
        e,
        ValidationError::InconsistentImports {
            module: "vm_hooks".into(),
            name: "read_args".into()
        }
    );
    let info = check(&twice("$a")).expect("the same type index twice");
    assert_eq!(info.imports, ["vm_hooks::read_args", "vm_hooks::read_args"]);
}

#[test]
fn parse_refuses_an_export_named_as_an_import() {
    for export in ["read_args", "prefix__read_args"] {
        let e = check(&program(&format!(
            r#"(import "vm_hooks" "read_args" (func (param i32)))
               (func (export "{export}"))"#
        )))
        .unwrap_err();
        assert_eq!(e, ValidationError::ExportsImport("read_args".into()), "{export}");
    }
    // Only the last `__` segment counts.
    check(&program(
        r#"(import "vm_hooks" "read_args" (func (param i32)))
           (func (export "read_args__other"))"#,
    ))
    .expect("a different last segment");
}

#[test]
fn parse_refuses_reserved_stylus_names() {
    let e = check(&program(r#"(func (export "x__stylus_anything"))"#)).unwrap_err();
    assert_eq!(e, ValidationError::ReservedName("stylus_anything".into()));
    let e = check(&program(r#"(import "vm_hooks" "stylus_hook" (func))"#)).unwrap_err();
    assert_eq!(e, ValidationError::ReservedName("stylus_hook".into()));
}

#[test]
fn parse_refuses_non_function_imports() {
    let e = check(&program(r#"(import "vm_hooks" "g" (global i32))"#)).unwrap_err();
    assert_eq!(
        e,
        ValidationError::NonFunctionImport { module: "vm_hooks".into(), name: "g".into() }
    );
}

#[test]
fn parse_user_limits_imports_to_513_from_arbos_32() {
    let imports =
        |n: usize| program(&r#"(import "vm_hooks" "read_args" (func (param i32)))"#.repeat(n));
    check(&imports(513)).expect("513 imports");
    let e = check(&imports(514)).unwrap_err();
    assert_eq!(e, ValidationError::Limit { what: "imports", count: 514, limit: 513 });
    check_with(&imports(514), at(arbos::STYLUS_CHARGING_FIXES - 1))
        .expect("no import limit before ArbOS 32");
}

// --- exports: start.rs StartMover, binary.rs check_func -----------------------------------------

fn many_exports(n: usize, name_len: usize) -> String {
    let mut fields = String::from("(func $f)");
    for i in 0..n {
        write!(fields, r#"(export "{i:0>name_len$}" (func $f))"#).expect("String");
    }
    program(&fields)
}

#[test]
fn start_mover_drops_unused_exports_before_they_are_counted_outside_debug_mode() {
    let wat = many_exports(1_025, 4);
    check(&wat).expect("dropped before the 1,024-export limit");
    // In debug mode they stay: 1,025 + the entrypoint + memory + 4 instrumentation globals.
    let e = check_with(&wat, debug()).unwrap_err();
    assert_eq!(e, ValidationError::Limit { what: "exports", count: 1_031, limit: 1_024 });
}

#[test]
fn start_mover_drops_long_export_names_before_they_are_measured_outside_debug_mode() {
    let wat = many_exports(1, 513);
    check(&wat).expect("dropped before the 512-byte name limit");
    let e = check_with(&wat, debug()).unwrap_err();
    assert_eq!(e, ValidationError::Limit { what: "name length", count: 513, limit: 512 });
    check_with(&many_exports(1, 512), debug()).expect("512 bytes is the limit");
}

#[test]
fn check_func_accepts_an_imported_function_as_user_entrypoint() {
    let info = check(
        r#"(module (import "vm_hooks" "account_code_size" (func $f (param i32) (result i32)))
          (memory (export "memory") 1 1) (export "user_entrypoint" (func $f)))"#,
    )
    .expect("nitro accepts an imported entrypoint");
    assert_eq!(info.functions, 0);
    // Its type is still checked.
    let e = check(
        r#"(module (import "vm_hooks" "read_args" (func $f (param i32)))
          (memory (export "memory") 1 1) (export "user_entrypoint" (func $f)))"#,
    )
    .unwrap_err();
    assert!(matches!(e, ValidationError::EntrypointSignature(_)), "{e:?}");
}

#[test]
fn start_mover_refuses_a_start_function_outside_debug_mode() {
    let wat = program("(func $s) (start $s)");
    assert_eq!(check(&wat).unwrap_err(), ValidationError::StartFunction);
    check_with(&wat, debug()).expect("debug mode moves it to the stylus_start export");
}

// --- names: binary.rs parse_user --------------------------------------------------------------

#[test]
fn parse_user_limits_the_name_section_module_name_to_512_bytes() {
    let named = |len: usize| {
        format!(
            r#"(module ${} (memory (export "memory") 1 1)
              (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
            "m".repeat(len)
        )
    };
    check(&named(512)).expect("512 bytes");
    let e = check(&named(513)).unwrap_err();
    assert_eq!(e, ValidationError::Limit { what: "module name length", count: 513, limit: 512 });
}

// --- limits after instrumentation: meter.rs, dynamic.rs, depth.rs, heap.rs --------------------

/// A helper function and a body of `calls` calls to it: each call ends a basic block, so the
/// ink meter adds a 12-opcode header per call.
fn calls(calls: usize) -> String {
    program(&format!("(func $f) (func {})", "call $f ".repeat(calls)))
}

#[test]
fn parse_user_counts_opcodes_after_nitros_instrumentation() {
    // n calls + end, a 12-opcode header per basic block (n + 1), the depth checker's 12-opcode
    // prologue, its extra `return` and the 4 opcodes that give the frame back before it:
    // 13 n + 30, which crosses 65,536 at n = 5,039 (the body has only 5,040 opcodes).
    check(&calls(5_038)).expect("65,524 instrumented opcodes");
    let e = check(&calls(5_039)).unwrap_err();
    assert_eq!(
        e,
        ValidationError::Limit { what: "opcodes in func body", count: 65_537, limit: 65_536 }
    );
}

fn stack_of(values: usize, call_between: bool) -> String {
    let middle = if call_between { "call $f" } else { "" };
    program(&format!(
        "(func $f) (func {} {middle} {})",
        "i32.const 0 ".repeat(values),
        "drop ".repeat(values)
    ))
}

#[test]
fn depth_checker_refuses_more_than_4096_values_on_the_stack_at_once() {
    check(&stack_of(4_096, false)).expect("4,096 values");
    let e = check(&stack_of(4_097, false)).unwrap_err();
    assert_eq!(
        e,
        ValidationError::Limit { what: "values on the stack at once", count: 4_097, limit: 4_096 }
    );
}

#[test]
fn depth_checker_counts_the_values_the_ink_meter_pushes() {
    // 4,095 values, then a call: the next block's ink header pushes two more.
    let e = check(&stack_of(4_095, true)).unwrap_err();
    assert_eq!(
        e,
        ValidationError::Limit { what: "values on the stack at once", count: 4_097, limit: 4_096 }
    );
    check(&stack_of(4_094, true)).expect("4,094 + 2");
}

#[test]
fn parse_user_limits_locals_to_348() {
    check(&program(&format!("(func {})", "(local i64) ".repeat(348)))).expect("348 locals");
    let e = check(&program(&format!("(func {})", "(local i64) ".repeat(349)))).unwrap_err();
    assert_eq!(e, ValidationError::Limit { what: "locals", count: 349, limit: 348 });
}

#[test]
fn dynamic_meter_refuses_table_copy_table_init_and_elem_drop() {
    for op in ["i32.const 0 i32.const 0 i32.const 0 table.copy", "elem.drop $e"] {
        let e =
            check(&program(&format!("(table 1 funcref) (func $f) (elem $e func $f) (func {op})")))
                .unwrap_err();
        assert!(
            matches!(e, ValidationError::ForbiddenOpcode { class: OpcodeClass::Unsupported, .. }),
            "{op}: {e:?}"
        );
    }
}

#[test]
fn heap_bound_refuses_memories_over_128_pages_and_the_page_limit() {
    let memory = |pages: u32| {
        format!(
            r#"(module (memory (export "memory") {pages} {pages})
              (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#
        )
    };
    check(&memory(128)).expect("128 pages");
    assert_eq!(
        check(&memory(129)).unwrap_err(),
        ValidationError::MemoryTooLarge { pages: 129, limit: 128 }
    );
    let tight = ActivationOptions { page_limit: 2, ..ActivationOptions::default() };
    assert_eq!(
        check_with(&memory(3), tight).unwrap_err(),
        ValidationError::MemoryTooLarge { pages: 3, limit: 2 }
    );
}

#[test]
fn heap_bound_requires_pay_for_memory_grow_typed_i32_for_a_growable_memory() {
    let growable = |import: &str| {
        format!(
            r#"(module {import} (memory (export "memory") 1 2)
              (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#
        )
    };
    let e = check(&growable("")).unwrap_err();
    assert!(matches!(e, ValidationError::UnknownHostFunction { .. }), "{e:?}");
    let e = check(&growable(r#"(import "vm_hooks" "pay_for_memory_grow" (func (param i64)))"#))
        .unwrap_err();
    assert!(matches!(e, ValidationError::ImportSignature { .. }), "{e:?}");
    check(&growable(r#"(import "vm_hooks" "pay_for_memory_grow" (func (param i32)))"#))
        .expect("paid growth");
}

// --- segments: machine.rs Module::from_binary -------------------------------------------------

#[test]
fn from_binary_refuses_active_data_segments_out_of_the_initial_memory() {
    check(&program(r#"(data (i32.const 65534) "ab")"#)).expect("ends at the last byte");
    let e = check(&program(r#"(data (i32.const 65535) "ab")"#)).unwrap_err();
    assert_eq!(
        e,
        ValidationError::SegmentOutOfBounds { what: "data", offset: 65_535, len: 2, size: 65_536 }
    );
    let e = check(&program(r#"(data (i32.const -1) "")"#)).unwrap_err();
    assert!(matches!(e, ValidationError::SegmentOutOfBounds { offset: -1, .. }), "{e:?}");
    check(&program(r#"(data "passive segments are not placed")"#)).expect("passive");
}

#[test]
fn from_binary_refuses_active_element_segments_out_of_their_table() {
    check(&program("(table 2 funcref) (func $f) (elem (i32.const 1) $f)")).expect("fits");
    let e = check(&program("(table 2 funcref) (func $f) (elem (i32.const 1) $f $f)")).unwrap_err();
    assert_eq!(
        e,
        ValidationError::SegmentOutOfBounds { what: "element", offset: 1, len: 2, size: 2 }
    );
}

// --- costs: binary.rs instrument ---------------------------------------------------------------

#[test]
fn instrument_predicts_costs_with_the_instrumentation_globals() {
    let wat = program(r#"(global i32 (i32.const 0)) (data (i32.const 0) "abcd")"#);
    let bytes = wasm(&wat);
    let info = check(&wat).expect("valid");
    let (funcs, type_len, wasm_len) = (1u64, 2u64, bytes.len() as u64);
    // The segment's whole encoding: flags (1), `i32.const 0` and `end` (3), length (1), bytes.
    let data_len = 1 + 3 + 1 + 4;
    let globals = 1 + 4;
    let cached = funcs * 13_420 / 100_000
        + type_len * 89 / 100_000
        + wasm_len * 122 / 100_000
        + globals * 1_628 / 1_000
        + data_len * 75_244 / 100_000
        + 5;
    let init = funcs * 8_252 / 1_000 + type_len * 1_059 / 1_000 + wasm_len * 1_286 / 10_000;
    assert_eq!(u64::from(info.cached_cost), cached);
    assert_eq!(u64::from(info.init_cost), init);
    assert_eq!(info.footprint, 1);
}
