//! Prints the contract's Solidity ABI (`cargo run --features export-abi --bin NAME-abi`): the
//! interface file the router is built from, which ends with how the contract is deployed (its
//! constructor, which the StylusDeployer calls in the deploying transaction:
//! `staking_common::upgrade`). With the argument `constructor`, prints only the
//! constructor's signature (what `cargo stylus constructor` prints, and what `cargo stylus
//! deploy --constructor-args` encodes against).
#![cfg_attr(not(feature = "export-abi"), no_main)]

#[cfg(feature = "export-abi")]
fn main() {
    staking_common::export::main(include_str!("../abi/IWithdrawalQueue.sol"));
}
