//! The wrapped token's events: the `event`s of `abi/IWrappedToken.sol`, logged by the functions
//! `staking_interface::interface!` generates ([`emit`]); every state change emits one.
//! `Transfer` and `Approval` are ERC-20's, `Deposit` and `Withdraw` ERC-4626's (same topics).

pub use crate::interface::abi::IWrappedToken::{Approval, Deposit, Transfer, Withdraw};
pub(crate) use crate::interface::emit;
