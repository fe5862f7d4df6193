//! Loading rejects what activation would, with an error naming the cause. The rule-by-rule
//! comparison with nitro (features, sections, imports, exports, limits) is in `activation.rs`.

use crate::common::{wasm, NOOP, SCRIPT_HARNESS};
use stylus_vm::{validate, LoadError, OpcodeClass, ValidationError, Vm};

fn load(wat: &str) -> Result<(), LoadError> {
    Vm::new().deploy(&wasm(wat)).map(|_| ())
}

fn invalid(wat: &str) -> ValidationError {
    match load(wat) {
        Err(LoadError::Invalid(e)) => e,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[test]
fn validation_accepts_the_test_programs() {
    assert!(load(NOOP).is_ok());
    assert!(load(SCRIPT_HARNESS).is_ok());
}

#[test]
fn validation_rejects_float_arithmetic() {
    let e = invalid(
        r#"(module (memory (export "memory") 1 1)
          (func (export "user_entrypoint") (param i32) (result i32)
            f64.const 1 f64.const 2 f64.add drop i32.const 0))"#,
    );
    assert!(
        matches!(e, ValidationError::ForbiddenOpcode { class: OpcodeClass::Float, ref opcode, function: 0 } if opcode == "F64Add"),
        "{e:?}"
    );
    assert!(e.to_string().contains("float opcode F64Add"), "{e}");
}

#[test]
fn validation_rejects_a_foreign_import() {
    let e = invalid(
        r#"(module (import "env" "abort" (func))
          (memory (export "memory") 1 1)
          (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
    );
    assert_eq!(e, ValidationError::ForeignImport { module: "env".into(), name: "abort".into() });
    assert!(e.to_string().contains("env::abort"));
}

#[test]
fn validation_rejects_an_unknown_host_function() {
    let e = invalid(
        r#"(module (import "vm_hooks" "self_destruct" (func))
          (memory (export "memory") 1 1)
          (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
    );
    assert!(
        matches!(e, ValidationError::UnknownHostFunction { ref name, .. } if name == "self_destruct")
    );
}

#[test]
fn validation_rejects_a_host_function_with_the_wrong_type() {
    let e = invalid(
        r#"(module (import "vm_hooks" "read_args" (func (param i64)))
          (memory (export "memory") 1 1)
          (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
    );
    assert!(
        matches!(e, ValidationError::ImportSignature { ref name, .. } if name == "read_args"),
        "{e:?}"
    );
}

#[test]
fn validation_rejects_a_module_without_entrypoint() {
    let e = invalid(r#"(module (memory (export "memory") 1 1) (func (export "main")))"#);
    assert_eq!(e, ValidationError::MissingEntrypoint);
}

#[test]
fn validation_rejects_an_entrypoint_of_the_wrong_type() {
    let e = invalid(
        r#"(module (memory (export "memory") 1 1)
          (func (export "user_entrypoint") (param i64) (result i32) i32.const 0))"#,
    );
    assert!(matches!(e, ValidationError::EntrypointSignature(_)), "{e:?}");
}

#[test]
fn validation_rejects_a_module_without_memory() {
    let e = invalid(
        r#"(module (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
    );
    assert_eq!(e, ValidationError::MissingMemory);
}

#[test]
fn validation_rejects_a_start_function() {
    let e = invalid(
        r#"(module (memory (export "memory") 1 1) (func $s) (start $s)
          (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
    );
    assert_eq!(e, ValidationError::StartFunction);
}

#[test]
fn validation_rejects_a_growable_memory_without_pay_for_memory_grow() {
    let e = invalid(
        r#"(module (memory (export "memory") 1)
          (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#,
    );
    assert!(matches!(e, ValidationError::UnknownHostFunction { .. }), "{e:?}");
}

/// A module with `len` bytes of incompressible data.
fn with_noise(len: usize) -> String {
    use std::fmt::Write;
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut noise = String::with_capacity(3 * len);
    for _ in 0..len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        write!(noise, "\\{:02x}", x.to_le_bytes()[0]).expect("writing to a String");
    }
    format!(
        r#"(module (memory (export "memory") 3 3) (data (i32.const 0) "{noise}")
          (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#
    )
}

#[test]
fn validation_rejects_a_module_over_24kib_compressed() {
    let e = invalid(&with_noise(30_000));
    match e {
        ValidationError::CompressedTooLarge { compressed, code_size, limit } => {
            assert!(compressed > 24_576);
            assert_eq!(code_size, compressed + 4);
            assert_eq!(limit, 24_576);
        }
        other => panic!("{other:?}"),
    }
    // Just under the limit is fine, and its size is reported.
    let info = validate(&wasm(&with_noise(24_000))).expect("fits");
    assert!(info.code_size() <= 24_576 && info.compressed_len > 24_000, "{info:?}");
}

#[test]
fn validation_rejects_a_module_over_128kib() {
    let data = "\\00".repeat(140_000);
    let e = invalid(&format!(
        r#"(module (memory (export "memory") 3 3) (data (i32.const 0) "{data}")
          (func (export "user_entrypoint") (param i32) (result i32) i32.const 0))"#
    ));
    assert!(matches!(e, ValidationError::TooLarge { limit: 131_072, .. }), "{e:?}");
}

#[test]
fn validation_rejects_malformed_wasm() {
    let e = validate(b"\0asm\x01\0\0\0\x01").unwrap_err();
    assert!(matches!(e, ValidationError::Malformed(_)), "{e:?}");
}

#[test]
fn validation_rejects_the_reference_types_encoding_of_call_indirect() {
    // `call_indirect (type 0)` with its table index padded to five bytes, as LLVM emits it
    // when reference types are enabled. Assembled by hand: no text format writes it.
    let mut bytes = b"\0asm\x01\0\0\0".to_vec();
    bytes.extend_from_slice(&[
        0x01, 0x0a, 0x02, 0x60, 0x00, 0x01, 0x7f, 0x60, 0x01, 0x7f, 0x01, 0x7f,
    ]);
    bytes.extend_from_slice(&[0x03, 0x02, 0x01, 0x01]);
    bytes.extend_from_slice(&[0x04, 0x04, 0x01, 0x70, 0x00, 0x01]);
    bytes.extend_from_slice(&[0x05, 0x04, 0x01, 0x01, 0x01, 0x01]);
    bytes.extend_from_slice(&[0x07, 0x1c, 0x02, 0x0f]);
    bytes.extend_from_slice(b"user_entrypoint\x00\x00\x06memory\x02\x00");
    let body = [0x00, 0x41, 0x00, 0x11, 0x00, 0x80, 0x80, 0x80, 0x80, 0x00, 0x0b];
    bytes.extend_from_slice(&[0x0a, 0x0d, 0x01, 0x0b]);
    bytes.extend_from_slice(&body);
    let e = validate(&bytes).unwrap_err();
    assert!(
        matches!(e, ValidationError::ForbiddenOpcode { class: OpcodeClass::ReferenceTypes, ref opcode, .. } if opcode.contains("overlong")),
        "{e:?}"
    );
    // The same module with a one-byte table index is valid.
    let len = bytes.len();
    bytes.splice(len - 6..len - 1, [0x00]);
    bytes[len - 14] -= 4;
    bytes[len - 12] -= 4;
    validate(&bytes).expect("canonical call_indirect");
}
