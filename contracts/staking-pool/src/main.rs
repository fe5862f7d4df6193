//! Prints the contract's Solidity ABI (`cargo run --features export-abi --bin NAME-abi`): the
//! core's `#[public]` interface, then the extension program's interface file (the selectors the
//! core forwards to it), then how the pool is deployed (its constructor, which the
//! StylusDeployer calls in the deploying transaction: `staking_common::upgrade`). With the
//! argument `constructor`, prints only the constructor's signature (what `cargo stylus
//! constructor` prints, and what `cargo stylus deploy --constructor-args` encodes against).
#![cfg_attr(not(feature = "export-abi"), no_main)]

#[cfg(feature = "export-abi")]
const CONSTRUCTOR: &str = "constructor(address accessManager, address extension, \
                           uint256 maxStakeLimit, uint256 stakeLimitIncreasePerBlock) payable";

#[cfg(feature = "export-abi")]
fn main() {
    if std::env::args().nth(1).as_deref() == Some("constructor") {
        println!("{CONSTRUCTOR}");
        return;
    }
    staking_pool::print_from_args();
    println!();
    print!("{}", include_str!("../abi/IStakingPoolExtension.sol"));
    println!();
    println!(
        "/// How the pool is deployed: in one transaction through the StylusDeployer (`cargo stylus\n\
         /// deploy --constructor-args`, initValue = the bootstrap deposit, at least 1 gwei), which\n\
         /// calls the new program with `bytes.concat(bytes4(keccak256(\"stylus_constructor()\")),\n\
         /// abi.encode(accessManager, extension, maxStakeLimit, stakeLimitIncreasePerBlock))`. It\n\
         /// runs once (AlreadyInitialized after); `extension` must answer extensionId()\n\
         /// (InvalidExtension). The queue and the registry are wired later (setProtocolContracts).\n\
         abstract contract StakingPoolDeployment {{\n    {CONSTRUCTOR} {{}}\n}}"
    );
}
