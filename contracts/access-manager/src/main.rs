//! Prints the contract's Solidity ABI (`cargo run --features export-abi --bin NAME-abi`).
#![cfg_attr(not(feature = "export-abi"), no_main)]

#[cfg(feature = "export-abi")]
fn main() {
    access_manager::print_from_args();
}
