//! Prints the contract's Solidity ABI (`cargo run --features export-abi --bin NAME-abi`): the
//! interface file the router is built from.
#![cfg_attr(not(feature = "export-abi"), no_main)]

#[cfg(feature = "export-abi")]
fn main() {
    print!("{}", include_str!("../abi/IAccountingOracle.sol"));
}
