//! Code the staking contracts share without sharing a wasm build.
//!
//! A contract crate cannot be a wasm dependency of another contract crate (each defines the
//! `user_entrypoint` and a panic handler), so everything two contracts need to agree on lives
//! here, in a plain rlib:
//!
//! - [`aliasing`]: Arbitrum's L1-to-L2 address aliasing (how an L1 contract's messages
//!   arrive on L2).
//! - [`roles`]: the role ids, as compile-time keccak constants (`keccak256("PAUSE_ROLE")`, ...).
//! - [`interface`]: what the code `staking_interface::interface!` generates from each
//!   contract's interface file relies on (replies, the one `authorize`, the function table).
//! - [`interfaces`]: how every contract asks the AccessManager (`authorizeCall`, bound to
//!   the manager's interface file).
//! - [`abi`]: compact revert-data and log encoding (smaller wasm than `derive(SolidityError)`).
//! - [`calldata`]: compact ABI decoding of arguments (what the generated routers decode with
//!   instead of `#[public]`'s generic decoders).
//! - [`router`]: what the generated routers share: the empty revert, the argument-or-revert
//!   macro, the core's `DELEGATECALL` to its extension.
//! - [`eip712`]: permit signatures (EIP-712 digest, `ecrecover`, EIP-1271), shared by the pool's
//!   permit program and the wrapped token.
//! - [`deposit_data`]: SHA-256 and the `DepositData` root the beacon deposit contract checks.
//! - [`guard`]: the transient-storage (EIP-1153) reentrancy guard.
//! - [`host`]: direct host calls (sender, value, block, logs) that keep contracts small.
//! - [`upgrade`]: the constructor selector and guard every contract uses, and the one upgrade
//!   policy of the split contracts' extension programs (`upgradeExtension`, `extensionId`).
//! - `mocks` (feature `mocks`, native only): the motsu stand-ins the contracts' tests share.
//! - `layout` (feature `mocks`, native only): the check that pins each contract's documented
//!   storage table (slots and packed bit ranges) to its real layout.
//! - `key_tree` and `exit_list` (feature `tools`, native only): the registry's key-batch
//!   Merkle tree and the oracle's packed exit list, as the operators' software and the tests'
//!   harness build them.
//! - `signing` (feature `signing`, native only): an EOA key's 65-byte signature of a digest,
//!   as the tests of permits and guardians make them.
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]

extern crate alloc;
// The code `staking_interface::client!` generates (`interfaces.rs`) names this crate by path.
extern crate self as staking_common;

pub mod abi;
pub mod aliasing;
pub mod calldata;
pub mod deposit_data;
pub mod eip712;
#[cfg(feature = "tools")]
pub mod exit_list;
pub mod export;
pub mod guard;
pub mod host;
pub mod interface;
pub mod interfaces;
#[cfg(feature = "tools")]
pub mod key_tree;
#[cfg(all(feature = "mocks", not(target_arch = "wasm32")))]
pub mod layout;
#[cfg(all(feature = "mocks", not(target_arch = "wasm32")))]
pub mod mocks;
pub mod roles;
pub mod router;
#[cfg(all(feature = "signing", not(target_arch = "wasm32")))]
pub mod signing;
pub mod upgrade;

// Native unit tests link motsu for its host shims.
#[cfg(test)]
use motsu as _;

/// The contracts are `no_std` on wasm32: a panic traps (`unreachable`), which reverts the call.
/// No formatting machinery is linked, which keeps every contract well under the size limit.
#[cfg(all(target_arch = "wasm32", not(test), not(feature = "export-abi")))]
#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    core::arch::wasm32::unreachable()
}

/// Every program `scripts/build` writes (`artifacts/wasm/<name>.wasm`), in deployment order:
/// what the deploy command, the gas report and the cargo-stylus tests go through.
pub const PROGRAMS: [&str; 11] = [
    "access-manager",
    "staking-pool",
    "staking-pool-extension",
    "staking-pool-permit",
    "withdrawal-queue",
    "withdrawal-queue-extension",
    "node-operator-registry",
    "node-operator-registry-extension",
    "accounting-oracle",
    "accounting-oracle-extension",
    "wrapped-token",
];
