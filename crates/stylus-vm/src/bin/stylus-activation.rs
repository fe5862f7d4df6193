//! The build's activation step: makes wasm-opt's output parse in nitro and checks every program
//! as ArbOS's `activateProgram` would, with the code the in-process VM loads programs with
//! ([`stylus_vm::validate()`]).
//!
//! ```text
//! stylus-activation strip-data-count <in.wasm> <out.wasm>
//! stylus-activation check <program.wasm>...
//! ```
//!
//! - `strip-data-count` drops the DataCount section binaryen writes with bulk memory on (nitro's
//!   parser has no arm for it) and fails if the module uses `memory.init` or `data.drop`, the
//!   only instructions that need it.
//! - `check` runs the activation check at the ArbOS version the project targets
//!   ([`stylus_vm::validate::ActivationOptions::default`]) on each file, prints the entry costs
//!   activation would record, and fails if any program would be refused.

use std::process::ExitCode;

use stylus_vm::validate::{self, ActivationOptions};

fn usage() -> ExitCode {
    eprintln!(
        "usage: stylus-activation strip-data-count <in.wasm> <out.wasm>\n       \
         stylus-activation check <program.wasm>..."
    );
    ExitCode::from(2)
}

fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("{path}: {e}"))
}

fn strip(input: &str, output: &str) -> Result<(), String> {
    let wasm = read(input)?;
    let stripped = validate::strip_data_count(&wasm)
        .map_err(|e| format!("{input}: cannot drop the DataCount section: {e}"))?;
    std::fs::write(output, &stripped).map_err(|e| format!("{output}: {e}"))?;
    if stripped.len() != wasm.len() {
        println!("{output}: DataCount section dropped ({} bytes)", wasm.len() - stripped.len());
    }
    Ok(())
}

fn check(paths: &[String]) -> ExitCode {
    let options = ActivationOptions::default();
    println!(
        "activation check (ArbOS {}, debug {}):",
        options.arbos_version,
        if options.debug { "on" } else { "off" }
    );
    let mut refused = 0;
    for path in paths {
        let result = read(path).and_then(|wasm| {
            validate::validate_with(&wasm, &options).map_err(|e| format!("REFUSED: {e}"))
        });
        match result {
            Ok(info) => println!(
                "  {path}: ok, init cost {}, cached cost {}, footprint {} page(s)",
                info.init_cost, info.cached_cost, info.footprint
            ),
            Err(e) => {
                refused += 1;
                eprintln!("  {path}: {e}");
            }
        }
    }
    if refused > 0 {
        eprintln!("{refused} program(s) would not activate on Arbitrum");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.split_first() {
        Some((cmd, [input, output])) if cmd == "strip-data-count" => match strip(input, output) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("{e}");
                ExitCode::FAILURE
            }
        },
        Some((cmd, paths)) if cmd == "check" && !paths.is_empty() => check(paths),
        _ => usage(),
    }
}
