//! How the registry asks the AccessManager on privileged paths, and who may act for an operator.
//!
//! Each privileged entry point passes its own calldata (`crate::interface::calls`, generated
//! from the interface file: the bytes the manager hashes for a delayed operation) to
//! `staking_common::interface::authorize`, which calls `authorizeCall(caller, role, data)` once
//! under the transient reentrancy guard; the manager checks the role and consumes a scheduled
//! operation where governance set a delay.

use alloy_primitives::{Address, B256, U256};
use staking_common::{host, roles};

use crate::{
    errors::{Error, NotOperatorManager},
    NodeOperatorRegistry, GUARD_SLOT,
};

impl NodeOperatorRegistry {
    /// Asks the AccessManager whether the caller may make this call (`data` = the call's own
    /// calldata); returns the caller.
    pub(crate) fn authorize(&mut self, role: B256, data: &[u8]) -> Result<Address, Error> {
        staking_common::interface::authorize(self.access_manager.get(), GUARD_SLOT, role, data)
    }

    /// Operator `id`'s reward address, or a holder of `OPERATOR_MANAGER_ROLE`, may act for it.
    pub(crate) fn authorize_for_operator(&mut self, id: U256, data: &[u8]) -> Result<(), Error> {
        let caller = host::sender();
        if !caller.is_zero() && self.reward_addresses.get(id) == caller {
            return Ok(());
        }
        match self.authorize(roles::OPERATOR_MANAGER_ROLE, data) {
            Err(Error::AccessDenied(_)) => {
                Err(Error::NotOperatorManager(NotOperatorManager { caller, operatorId: id }))
            }
            other => other.map(|_| ()),
        }
    }
}

#[cfg(test)]
mod tests {
    use alloy_sol_types::SolCall;

    use super::*;
    use crate::{abi::INodeOperatorRegistry as I, interface::calls};

    #[test]
    fn the_calldata_the_manager_hashes_matches_alloy() {
        let name = "Operator One, a name longer than thirty-two bytes";
        let call = I::addOperatorCall { name: name.into(), rewardAddress: Address::repeat_byte(1) };
        assert_eq!(calls::addOperator(name, Address::repeat_byte(1)), call.abi_encode());
        let (ids, counts, hints) =
            (vec![U256::from(1), U256::from(2)], vec![U256::from(3)], vec![U256::ZERO; 3]);
        let call = I::updateExitedValidatorsCall {
            reportTimestamp: U256::ZERO,
            operatorIds: ids.clone(),
            exited: counts.clone(),
            hints: hints.clone(),
        };
        assert_eq!(
            calls::updateExitedValidators(&ids, &counts, &hints, U256::ZERO),
            call.abi_encode()
        );
        let call = I::setOperatorNameCall { operatorId: U256::from(9), name: String::new() };
        assert_eq!(calls::setOperatorName(U256::from(9), ""), call.abi_encode());
        let (pubkeys, signatures) = (vec![7u8; 48], vec![8u8; 96]);
        let call = I::commitKeysCall {
            operatorId: U256::from(2),
            pubkeys: pubkeys.clone().into(),
            signatures: signatures.clone().into(),
        };
        assert_eq!(calls::commitKeys(U256::from(2), &pubkeys, &signatures), call.abi_encode());
    }
}
