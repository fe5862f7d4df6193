//! Arbitrum (L2) at genesis: the in-process chain of `crates/stylus-vm` (Stylus programs beside
//! the EVM, ArbOS's precompiles) with the contracts Arbitrum One has at fixed addresses before
//! anyone deploys. Today that is the StylusDeployer (`@arbitrum/nitro-contracts` 3.2.0,
//! `src/stylus/StylusDeployer.sol`, compiled by `scripts/evm-build` with solc 0.8.17 as its
//! pragma asks) at [`stylus_vm::deployer::ADDRESS`], the address `cargo stylus deploy` calls.
//! It is placed as a genesis allocation (runtime code, nonce 1): on Arbitrum One it was
//! deployed by an ordinary transaction; what matters to deployments is its code at that
//! address, which is the real contract's.

use stylus_vm::{deployer, Vm};

use crate::{Artifact, ArtifactError};

/// Places the L2 predeploys in `vm` (see the module doc).
///
/// # Errors
///
/// When the Solidity artifacts are missing: run `scripts/evm-build`.
pub fn install_predeploys(vm: &mut Vm) -> Result<(), ArtifactError> {
    let stylus_deployer = Artifact::load("StylusDeployer")?;
    vm.set_code(deployer::ADDRESS, &stylus_deployer.deployed_bytecode);
    vm.set_nonce(deployer::ADDRESS, 1);
    Ok(())
}

/// A new L2 chain ([`Vm::new`]) with its predeploys.
///
/// # Errors
///
/// When the Solidity artifacts are missing: run `scripts/evm-build`.
pub fn genesis() -> Result<Vm, ArtifactError> {
    let mut vm = Vm::new();
    install_predeploys(&mut vm)?;
    Ok(vm)
}
