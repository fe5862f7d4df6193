//! The AccessManager's errors: the `error`s of `abi/IAccessManager.sol` and the [`Error`] enum
//! `staking_interface::interface!` generates from them (one variant per error, named as in
//! the file; its revert data is encoded compactly, and a generated test checks it against
//! alloy's encoding). Every error leaves state unchanged: the whole call reverts.
//!
//! The role errors carry OpenZeppelin `AccessControl`'s signatures, so tools that decode
//! `AccessControlUnauthorizedAccount(address,bytes32)` keep working. Targets that ask the
//! manager through `authorizeCall` pass this revert data up to their callers (inside their
//! own `AccessDenied`).

pub use crate::interface::*;
