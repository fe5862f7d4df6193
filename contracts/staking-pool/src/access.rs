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
use alloy_sol_types::{sol, SolCall, SolError};
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
    function setOracle(address oracle);
    function setFeeConfig(address treasury, uint256 totalFeeBP, uint256 operatorsFeeBP);
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
pub(crate) fn set_oracle_data(oracle: Address) -> Vec<u8> {
    encode_error(setOracleCall::SELECTOR, &[oracle.word()])
}
pub(crate) fn set_fee_config_data(treasury: Address, total: U256, operators: U256) -> Vec<u8> {
    encode_error(setFeeConfigCall::SELECTOR, &[treasury.word(), total.word(), operators.word()])
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
            // Before the constructor there is no manager, and a call to the zero address would
            // "succeed": never treat that as a yes.
            return Err(Error::NotInitialized(NotInitialized {}));
        }
        authorize_call(manager, caller, role, data)
            .map_err(|reason| denied(caller, role, reason))?;
        Ok(caller)
    }
}

/// `AccessDenied(caller, role, reason)`. Native builds (the motsu tests) keep it typed; the
/// wasm programs carry its revert data already encoded ([`denied_encoded`], the same bytes):
/// the typed error's `reason` is alloy's `Bytes`, whose `bytes`-crate vtables cost each
/// program 3.8 KB of wasm.
fn denied(caller: Address, role: B256, reason: Vec<u8>) -> Error {
    #[cfg(target_arch = "wasm32")]
    return denied_encoded(caller, role, &reason);
    #[cfg(not(target_arch = "wasm32"))]
    Error::AccessDenied(AccessDenied { caller, role, reason: reason.into() })
}

/// `AccessDenied(caller, role, reason)`'s revert data, as `Callee`.
#[cfg_attr(not(any(test, target_arch = "wasm32")), allow(dead_code))]
fn denied_encoded(caller: Address, role: B256, reason: &[u8]) -> Error {
    Error::Callee(encode_error_with_bytes(
        AccessDenied::SELECTOR,
        &[caller.word(), role.word()],
        reason,
    ))
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{Address, U256};
    use alloy_sol_types::SolCall;

    use super::*;

    #[test]
    fn a_refusal_has_the_same_revert_data_typed_or_encoded() {
        let (caller, role, reason) = (Address::repeat_byte(9), B256::repeat_byte(7), vec![5u8; 37]);
        assert_eq!(
            Vec::<u8>::from(denied_encoded(caller, role, &reason)),
            Vec::<u8>::from(denied(caller, role, reason))
        );
    }

    #[test]
    fn encoders_write_the_calls_calldata() {
        let (queue, registry) = (Address::repeat_byte(1), Address::repeat_byte(2));
        assert_eq!(
            set_protocol_contracts_data(queue, registry),
            setProtocolContractsCall { withdrawalQueue: queue, nodeOperatorRegistry: registry }
                .abi_encode()
        );
        assert_eq!(set_oracle_data(queue), setOracleCall { oracle: queue }.abi_encode());
        let (total, operators) = (U256::from(1_000), U256::from(500));
        assert_eq!(
            set_fee_config_data(registry, total, operators),
            setFeeConfigCall { treasury: registry, totalFeeBP: total, operatorsFeeBP: operators }
                .abi_encode()
        );
    }
}
