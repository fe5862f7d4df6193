//! The registry's events: the `event`s of `abi/INodeOperatorRegistry.sol`, logged by the
//! functions `staking_interface::interface!` generates (`crate::interface::emit`, one per event,
//! its fields in declaration order); every state change emits one.

pub use crate::interface::abi::INodeOperatorRegistry::{
    DepositsPaused, DepositsResumed, ExitedValidatorsUpdated, ExtensionUpgraded, GuardianAdded,
    GuardianRemoved, Initialized, KeysCommitted, KeysDeposited, KeysRemoved, NonceChanged,
    OperatorActiveSet, OperatorAdded, OperatorNameSet, OperatorRewardAddressSet, RewardsClaimed,
    RewardsDistributed, TargetLimitSet, VettedLimitSet,
};
pub(crate) use crate::interface::emit;
