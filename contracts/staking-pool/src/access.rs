//! How the pool asks the AccessManager on privileged paths.
//!
//! Each privileged entry point re-encodes its own calldata (selector + ABI arguments, by hand:
//! alloy's `abi_encode` costs wasm per call type) and calls
//! `IAccessManager::authorizeCall(caller, role, data)` once. The manager checks the role and,
//! where governance set a delay on the function, consumes the operation the caller scheduled
//! (so the delay cannot be skipped). Its revert data comes back inside `AccessDenied`. The call
//! runs under the transient reentrancy guard, as every call out of the pool does.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use staking_common::{
    abi::{encode_error, encode_error_with_bytes, Word},
    guard::Lock,
    host,
    interfaces::authorize_call,
};

use crate::{
    errors::{AccessDenied, Error, NotInitialized, ReentrantCall},
    StakingPool, GUARD_SLOT,
};

sol! {
    function pauseStaking();
    function resumeStaking();
    function setStakingLimit(uint256 maxStakeLimit, uint256 stakeLimitIncreasePerBlock);
    function removeStakingLimit();
    function pauseToken();
    function resumeToken();
    function depositBufferedEther(uint256 count, bytes data);
    function setProtocolContracts(address withdrawalQueue, address nodeOperatorRegistry);
}

pub(crate) fn pause_staking_data() -> Vec<u8> {
    encode_error(pauseStakingCall::SELECTOR, &[])
}
pub(crate) fn resume_staking_data() -> Vec<u8> {
    encode_error(resumeStakingCall::SELECTOR, &[])
}
pub(crate) fn set_staking_limit_data(max: U256, per_block: U256) -> Vec<u8> {
    encode_error(setStakingLimitCall::SELECTOR, &[max.word(), per_block.word()])
}
pub(crate) fn remove_staking_limit_data() -> Vec<u8> {
    encode_error(removeStakingLimitCall::SELECTOR, &[])
}
pub(crate) fn pause_token_data() -> Vec<u8> {
    encode_error(pauseTokenCall::SELECTOR, &[])
}
pub(crate) fn resume_token_data() -> Vec<u8> {
    encode_error(resumeTokenCall::SELECTOR, &[])
}
pub(crate) fn deposit_buffered_data(count: U256, data: &[u8]) -> Vec<u8> {
    encode_error_with_bytes(depositBufferedEtherCall::SELECTOR, &[count.word()], data)
}
pub(crate) fn set_protocol_contracts_data(queue: Address, registry: Address) -> Vec<u8> {
    encode_error(setProtocolContractsCall::SELECTOR, &[queue.word(), registry.word()])
}

impl StakingPool {
    /// Asks the AccessManager whether the caller may make this call (`data` = the call's own
    /// calldata); returns the caller.
    pub(crate) fn authorize(&mut self, role: B256, data: &[u8]) -> Result<Address, Error> {
        let _lock =
            Lock::acquire(GUARD_SLOT).map_err(|_| Error::ReentrantCall(ReentrantCall {}))?;
        let caller = host::sender();
        let manager = self.access_manager.get();
        if manager.is_zero() {
            // Before `initialize` there is no manager, and a call to the zero address would
            // "succeed": never treat that as a yes.
            return Err(Error::NotInitialized(NotInitialized {}));
        }
        authorize_call(manager, caller, role, data).map_err(|reason| {
            Error::AccessDenied(AccessDenied { caller, role, reason: reason.into() })
        })?;
        Ok(caller)
    }
}
