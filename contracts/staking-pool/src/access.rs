//! How the pool asks the AccessManager on privileged paths (as every contract does): each
//! privileged entry point passes its own calldata (`crate::interface::calls`, generated from
//! the interface file: the bytes the manager hashes for a delayed operation) to
//! `staking_common::interface::authorize`, which calls `IAccessManager::authorizeCall(caller,
//! role, data)` once under the transient reentrancy guard. The manager checks the role and,
//! where governance set a delay on the function, consumes the operation the caller scheduled
//! (so the delay cannot be skipped). Its revert data comes back inside `AccessDenied`, the same
//! typed error natively and in wasm.

use alloy_primitives::{Address, B256};

use crate::{errors::Error, StakingPool, GUARD_SLOT};

impl StakingPool {
    /// Asks the AccessManager whether the caller may make this call (`data` = the call's own
    /// calldata); returns the caller.
    pub(crate) fn authorize(&mut self, role: B256, data: &[u8]) -> Result<Address, Error> {
        staking_common::interface::authorize(self.access_manager.get(), GUARD_SLOT, role, data)
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{Address, U256};
    use alloy_sol_types::{SolCall, SolError};

    use super::*;
    use crate::interface::{abi::IStakingPool as I, calls, AccessDenied};

    #[test]
    fn a_refusal_reverts_with_alloys_encoding_of_access_denied() {
        let (caller, role, reason) = (Address::repeat_byte(9), B256::repeat_byte(7), vec![5u8; 37]);
        let typed = Error::AccessDenied(AccessDenied { caller, role, reason: reason.clone() });
        assert_eq!(
            Vec::<u8>::from(typed),
            I::AccessDenied { caller, role, reason: reason.into() }.abi_encode()
        );
    }

    #[test]
    fn encoders_write_the_calls_calldata() {
        let (queue, registry) = (Address::repeat_byte(1), Address::repeat_byte(2));
        assert_eq!(
            calls::setProtocolContracts(queue, registry),
            I::setProtocolContractsCall { withdrawalQueue: queue, nodeOperatorRegistry: registry }
                .abi_encode()
        );
        assert_eq!(calls::setOracle(queue), I::setOracleCall { oracle: queue }.abi_encode());
        let (total, operators) = (U256::from(1_000), U256::from(500));
        assert_eq!(
            calls::setFeeConfig(registry, total, operators),
            I::setFeeConfigCall {
                treasury: registry,
                totalFeeBP: total,
                operatorsFeeBP: operators
            }
            .abi_encode()
        );
        let data = vec![7u8; 45];
        assert_eq!(
            calls::depositBufferedEther(U256::from(3), &data),
            I::depositBufferedEtherCall { count: U256::from(3), data: data.into() }.abi_encode()
        );
    }
}
