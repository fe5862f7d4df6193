//! Prints the contract's Solidity ABI (`cargo run --features export-abi --bin NAME-abi`): the
//! core's `#[public]` interface, then the extension program's interface file (the selectors the
//! core forwards to it).
#![cfg_attr(not(feature = "export-abi"), no_main)]

#[cfg(feature = "export-abi")]
fn main() {
    staking_pool::print_from_args();
    println!();
    print!("{}", include_str!("../abi/IStakingPoolExtension.sol"));
}
