//! Deployment in one transaction (the Stylus constructor) and the one upgrade policy of the
//! four split contracts (the staking pool, the withdrawal queue, the node operator registry and
//! the accounting oracle: each a core program and an extension program it `DELEGATECALL`s).
//!
//! # Constructors
//!
//! Every contract is deployed, activated and initialized in one transaction through Arbitrum's
//! StylusDeployer (`cargo stylus deploy --constructor-args`): the deployer calls the new
//! program with [`CONSTRUCTOR_SELECTOR`] (the first four bytes of
//! `keccak256("stylus_constructor()")`, SDK 0.9's convention) followed by the ABI-encoded
//! constructor arguments. There is no `initialize` selector any more, so nobody can initialize
//! a contract between its deployment and its initialization. The generated routers
//! (`staking_interface::interface!`, from the constructor in each interface file) send that
//! selector to the contract's `constructor`, which keeps the SDK guard's semantics
//! with a typed error: it first reads the SDK's guard word (`keccak256("stylus_constructor")`,
//! [`constructed`]) and fails with the contract's `AlreadyInitialized()` if it is set (the SDK's
//! own `#[constructor]` wrapper reverts with empty data), and sets it (to 1, as the SDK does:
//! [`mark_constructed`]) as its last write. Constructors take every address they store as an
//! argument, never `msg.sender` (the deployer). A core's constructor checks its extension with
//! [`answers_delegated`] (the pool's, whose constructor carries ether, with [`answers`]).
//!
//! # Upgrade policy
//!
//! A core program's extension is set by its constructor and replaced only by
//! `upgradeExtension(address)`, which the extension itself routes (it runs on the core's
//! storage, and the extension programs have more room than the cores) to one shared function,
//! [`upgrade_extension`]:
//!
//! 1. the caller must pass the AccessManager's `authorizeCall` with `UPGRADE_ROLE`; the
//!    deployment puts a delay ([`UPGRADE_DELAY`] in the suite's deployment) on
//!    `upgradeExtension` of every core, so an upgrade must be scheduled, waits the delay in
//!    public and can be cancelled by a `GUARDIAN_ROLE` holder until it runs;
//! 2. the candidate must answer `extensionId()` (static call) with the id the running code
//!    expects: `keccak256("<contract>.extension.v<layout>")` ([`extension_id`]). An EOA, a
//!    program without the selector, another contract's extension or an extension built for
//!    another storage layout is refused with `InvalidExtension(candidate)`. A core program
//!    never answers (an extension answers only on storage whose extension slot is zero, its
//!    own; [`answer_id`]), so a core, this one included, cannot become an extension;
//! 3. `ExtensionUpgraded(old, new)` is emitted.
//!
//! The constructors check their initial extension the same way.
//!
//! # The power this gives governance
//!
//! An extension runs with the core's storage and balance: whoever holds `UPGRADE_ROLE` (and
//! waits the delay) can replace every function the extension serves, and through them change
//! any storage word, move the contract's ether and tokens, and replace or drop
//! `upgradeExtension` itself (an extension without it freezes the extension for good). The
//! id check stops mistakes, not malice: a malicious program can answer any id. What protects
//! users is the delay (they see the scheduled call, its target and its calldata, and can exit
//! first) and the guardians' cancel.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent};
use stylus_sdk::{
    host::VM,
    storage::{StorageAddress, StorageType, StorageU256},
};

use crate::{
    abi::{encode_error, Word},
    host,
    roles::UPGRADE_ROLE,
};

sol! {
    /// Answered by an extension program: the storage layout it was built for.
    function extensionId() external view returns (bytes32);
    /// Replaces the extension program (`UPGRADE_ROLE`, behind the AccessManager's delay).
    function upgradeExtension(address newExtension) external;
    /// The candidate does not answer `extensionId()` with the expected id.
    error InvalidExtension(address extension);
    /// The extension program was replaced.
    event ExtensionUpgraded(address indexed oldExtension, address indexed newExtension);
    /// SDK 0.9's constructor selector.
    function stylus_constructor() external;
}

/// The selector the StylusDeployer calls a new program's constructor with (SDK 0.9's
/// `CONSTRUCTOR_SELECTOR`: `keccak256("stylus_constructor()")[..4]`).
pub const CONSTRUCTOR_SELECTOR: [u8; 4] = stylus_constructorCall::SELECTOR;

/// `extensionId()`'s selector.
pub const EXTENSION_ID_SELECTOR: [u8; 4] = extensionIdCall::SELECTOR;

/// `upgradeExtension(address)`'s selector (the AccessManager's delay is set on it).
pub const UPGRADE_EXTENSION_SELECTOR: [u8; 4] = upgradeExtensionCall::SELECTOR;

/// The delay the suite's deployment puts on `upgradeExtension` of every core: 3 days.
pub const UPGRADE_DELAY: u32 = 3 * 24 * 3600;

/// `keccak256(name)`: the id of an extension layout, e.g.
/// `extension_id(b"withdrawal-queue.extension.v1")`.
pub const fn extension_id(name: &[u8]) -> B256 {
    B256::new(stylus_sdk::keccak_const::Keccak256::new().update(name).finalize())
}

/// Whether `candidate` answers `extensionId()` with `id` (static call; an account without code
/// answers nothing, which is no).
///
/// Native builds (motsu unit tests) cannot run another program's wasm: there any non-zero
/// address passes, and the release wasm's tests (`tests/e2e/upgrades.rs`) check the rule.
pub fn answers(candidate: Address, id: B256) -> bool {
    answers_with(candidate, EXTENSION_ID_SELECTOR, id)
}

/// As [`answers`], asking the function of `selector` instead of `extensionId()` (the staking
/// pool's permit program answers `permitProgramId()`).
pub fn answers_with(candidate: Address, selector: [u8; 4], id: B256) -> bool {
    if cfg!(not(target_arch = "wasm32")) {
        return !candidate.is_zero();
    }
    matches!(host::static_call(candidate, &selector), Ok(out) if out == id.as_slice())
}

/// The answer to `extensionId()`, given the `extension` slot of the storage the code runs on:
/// `id` when it is zero (the extension program called directly, on its own storage, which no
/// constructor ever wrote), nothing (an empty revert, as an unknown selector) through a core,
/// whose constructor set it. A core therefore never answers, so it can never be taken for an
/// extension (not even its own).
pub fn answer_id(extension: Address, id: B256) -> Option<Result<Vec<u8>, Vec<u8>>> {
    if !extension.is_zero() {
        return None;
    }
    Some(Ok(id.to_vec()))
}

/// The SDK's constructor guard word (`ConstructorGuard::check_constructor_slot`'s:
/// `keccak256("stylus_constructor")`, 1 once the constructor ran), as a whole word (less wasm
/// than the SDK's `StorageBool`).
fn guard_word(vm: VM) -> StorageU256 {
    // SAFETY: the guard word is owned by the constructor guard alone; nothing aliases it.
    unsafe { StorageU256::new(stylus_sdk::abi::internal::CONSTRUCTOR_EXECUTED_SLOT, 0, vm) }
}

/// Whether the constructor already ran on this storage: a constructor checks it first and
/// fails with its typed `AlreadyInitialized()`, where the SDK's own wrapper reverts with empty
/// data.
pub fn constructed(vm: VM) -> bool {
    !guard_word(vm).get().is_zero()
}

/// Sets the guard word (to 1, as the SDK does): the constructor's last write, so that a
/// refused constructor leaves it unset even where nothing is rolled back (motsu's direct
/// calls); on chain the revert undoes it anyway.
pub fn mark_constructed(vm: VM) {
    guard_word(vm).set(U256::from(1));
}

/// As [`answers`], asked by a core's constructor through the `DELEGATECALL` the core already
/// makes to its extension (less wasm than a second kind of call): the candidate runs on the
/// core's storage, whose extension slot is still zero, so an extension answers as it does
/// when called directly, and anything else does not (an account without code returns
/// nothing, a core forwards to the zero address and reverts). Native builds: as [`answers`].
pub fn answers_delegated(candidate: Address, id: B256) -> bool {
    if cfg!(not(target_arch = "wasm32")) {
        return !candidate.is_zero();
    }
    matches!(crate::router::delegate(candidate, &EXTENSION_ID_SELECTOR), Ok(out) if out == id.as_slice())
}

/// `upgradeExtension(candidate)`'s own calldata, for the AccessManager's `authorizeCall`.
pub fn upgrade_data(candidate: Address) -> Vec<u8> {
    encode_error(UPGRADE_EXTENSION_SELECTOR, &[candidate.word()])
}

/// `InvalidExtension(candidate)`'s revert data.
pub fn invalid_extension(candidate: Address) -> Vec<u8> {
    encode_error(InvalidExtension::SELECTOR, &[candidate.word()])
}

/// After the caller was authorized: checks that `candidate` answers `id`, stores it in
/// `extension` and emits `ExtensionUpgraded(old, candidate)`.
///
/// # Errors
///
/// `InvalidExtension(candidate)` (revert data) when it does not answer `id`.
pub fn upgrade(
    extension: &mut StorageAddress,
    candidate: Address,
    id: B256,
) -> Result<(), Vec<u8>> {
    if !answers(candidate, id) {
        return Err(invalid_extension(candidate));
    }
    let old = extension.get();
    extension.set(candidate);
    host::log_words(&[ExtensionUpgraded::SIGNATURE_HASH, old.word(), candidate.word()], &[]);
    Ok(())
}

/// `upgradeExtension(candidate)` on a core's storage, all of it: asks the manager through the
/// one [`crate::interface::authorize`] every privileged call uses (`UPGRADE_ROLE`, the call's
/// own calldata; `NotInitialized()` when no manager is set, which is the case on an extension
/// program's own storage, so a direct call to an extension can never change it;
/// `AccessDenied(caller, UPGRADE_ROLE, reason)` when the manager refuses; `ReentrantCall()`
/// while the contract's guard is held), then [`upgrade`]. `E` is the contract's generated
/// `Error`.
///
/// # Errors
///
/// `ReentrantCall()`, `NotInitialized()`, `AccessDenied(...)`, `InvalidExtension(candidate)`
/// (revert data).
#[inline(never)]
pub fn upgrade_extension<E: crate::interface::AccessErrors + Into<Vec<u8>>>(
    manager: Address,
    guard: B256,
    extension: &mut StorageAddress,
    candidate: Address,
    id: B256,
) -> Result<(), Vec<u8>> {
    crate::interface::authorize::<E>(manager, guard, UPGRADE_ROLE, &upgrade_data(candidate))
        .map_err(Into::into)?;
    upgrade(extension, candidate, id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    #[test]
    fn the_constructor_selector_is_the_sdks() {
        assert_eq!(u32::from_be_bytes(CONSTRUCTOR_SELECTOR), stylus_sdk::abi::CONSTRUCTOR_SELECTOR);
        assert_eq!(CONSTRUCTOR_SELECTOR, keccak256("stylus_constructor()")[..4]);
    }

    #[test]
    fn extension_ids_are_keccak_of_their_names() {
        assert_eq!(extension_id(b"x.extension.v1"), keccak256("x.extension.v1"));
    }

    #[test]
    fn upgrade_calldata_and_error_match_alloy() {
        let a = Address::repeat_byte(7);
        assert_eq!(upgrade_data(a), upgradeExtensionCall { newExtension: a }.abi_encode());
        assert_eq!(invalid_extension(a), InvalidExtension { extension: a }.abi_encode());
    }
}
