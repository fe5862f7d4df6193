//! Loads Stylus programs as activation would and prints what it found: sizes, entry costs,
//! imports, the time to load, and optionally the result of a call.
//!
//! ```text
//! cargo run -p stylus-vm --example inspect -- target/wasm32-unknown-unknown/release/*.wasm
//! cargo run -p stylus-vm --example inspect -- pool.wasm --call 6d4ce63c
//! cargo run -p stylus-vm --example inspect -- pool.wasm --sig 'totalSupply()'
//! ```

use std::time::Instant;

use stylus_vm::{
    alloy_primitives::keccak256,
    alloy_primitives::{hex, Address, U256},
    Vm,
};

fn main() {
    let mut paths = Vec::new();
    let mut calldata = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--call" {
            let data = args.next().expect("--call takes hex calldata");
            calldata = Some(hex::decode(data).expect("calldata is hex"));
        } else if arg == "--sig" {
            let signature = args.next().expect("--sig takes a function signature");
            calldata = Some(keccak256(signature.as_bytes())[..4].to_vec());
        } else {
            paths.push(arg);
        }
    }
    let mut failed = false;
    for path in paths {
        let wasm = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let mut vm = Vm::new();
        let start = Instant::now();
        let program = match vm.deploy(&wasm) {
            Ok(address) => address,
            Err(e) => {
                println!("{path}: REJECTED: {e}");
                failed = true;
                continue;
            }
        };
        let loaded = start.elapsed();
        let info = vm.program_info(program).expect("just deployed");
        println!("{path}");
        println!(
            "  wasm {} bytes, compressed {} (deployed code {} of 24576), {} functions",
            info.wasm_len,
            info.compressed_len,
            info.code_size(),
            info.functions
        );
        println!(
            "  entry: init {} + cached {} gas, footprint {} pages; loaded in {loaded:.2?}",
            info.init_gas(),
            info.cached_gas(),
            info.footprint
        );
        println!("  imports: {}", info.imports.join(", "));
        if let Some(data) = &calldata {
            let from = Address::repeat_byte(0xa1);
            vm.set_balance(from, U256::from(10u128.pow(20)));
            let start = Instant::now();
            let r = vm.call(from, program, U256::ZERO, data);
            let took = start.elapsed();
            println!("  call: {:?} in {took:.2?}, {} gas", r.status, r.gas_used);
            println!("  breakdown: {:?}", r.breakdown);
            println!("  output: 0x{}", hex::encode(&r.output));
            let start = Instant::now();
            let again = vm.call(from, program, U256::ZERO, data);
            println!(
                "  again: {:?} in {:.2?}, {} gas",
                again.status,
                start.elapsed(),
                again.gas_used
            );
        }
    }
    if failed {
        std::process::exit(1);
    }
}
