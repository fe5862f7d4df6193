//! The AccessManager's events: the `event`s of `abi/IAccessManager.sol`, logged by the
//! functions `staking_interface::interface!` generates ([`emit`]); every state change emits
//! one. The role events carry OpenZeppelin `AccessControl`'s signatures (same topics), so
//! indexers built for it keep working.

pub use crate::interface::abi::IAccessManager::{
    OperationCanceled, OperationExecuted, OperationScheduled, RoleAdminChanged, RoleGranted,
    RoleRevoked, TargetFunctionDelayUpdated,
};
pub(crate) use crate::interface::emit;
