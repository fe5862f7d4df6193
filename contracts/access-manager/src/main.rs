//! Prints the contract's Solidity ABI (`cargo run --features export-abi --bin NAME-abi`): the
//! `#[public]` interface, then how it is deployed (its constructor, which the StylusDeployer
//! calls in the deploying transaction: `staking_common::upgrade`). With the argument
//! `constructor`, prints only the constructor's signature (what `cargo stylus constructor`
//! prints, and what `cargo stylus deploy --constructor-args` encodes against).
#![cfg_attr(not(feature = "export-abi"), no_main)]

#[cfg(feature = "export-abi")]
const CONSTRUCTOR: &str = "constructor(address admin)";

#[cfg(feature = "export-abi")]
fn main() {
    if std::env::args().nth(1).as_deref() == Some("constructor") {
        println!("{CONSTRUCTOR}");
        return;
    }
    access_manager::print_from_args();
    println!();
    println!(
        "/// How the AccessManager is deployed: in one transaction through the StylusDeployer\n\
         /// (`cargo stylus deploy --constructor-args`), which calls the new program with\n\
         /// `bytes.concat(bytes4(keccak256(\"stylus_constructor()\")), abi.encode(admin))`.\n\
         /// It grants DEFAULT_ADMIN_ROLE to `admin` and runs once (AlreadyInitialized after).\n\
         abstract contract AccessManagerDeployment {{\n    {CONSTRUCTOR} {{}}\n}}"
    );
}
