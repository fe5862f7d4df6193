//! How the registry asks the AccessManager on privileged paths, and who may act for an operator.
//!
//! Each privileged entry point re-encodes its own calldata ([`encode`]) and calls
//! `authorizeCall(caller, role, data)` once; the manager checks the role and consumes a
//! scheduled operation where governance set a delay. The call runs under the transient
//! reentrancy guard.

use alloy_primitives::{Address, B256, U256};
use staking_common::{guard::Lock, host, interfaces::authorize_call, roles};

use crate::{
    errors::{AccessDenied, Error, NotInitialized, NotOperatorManager, ReentrantCall},
    NodeOperatorRegistry, GUARD_SLOT,
};

pub(crate) use staking_common::abi::{encode_call as encode, Arg};

impl NodeOperatorRegistry {
    /// Asks the AccessManager whether the caller may make this call (`data` = the call's own
    /// calldata); returns the caller.
    pub(crate) fn authorize(&mut self, role: B256, data: &[u8]) -> Result<Address, Error> {
        let _lock =
            Lock::acquire(GUARD_SLOT).map_err(|_| Error::ReentrantCall(ReentrantCall {}))?;
        let caller = host::sender();
        let manager = self.access_manager.get();
        if manager.is_zero() {
            // A call to the zero address would "succeed": never treat that as a yes.
            return Err(Error::NotInitialized(NotInitialized {}));
        }
        authorize_call(manager, caller, role, data).map_err(|reason| {
            Error::AccessDenied(AccessDenied { caller, role, reason: reason.into() })
        })?;
        Ok(caller)
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
    use staking_common::abi::Word;

    use super::*;
    use crate::abi::INodeOperatorRegistry as I;

    #[test]
    fn re_encoding_matches_alloy() {
        let name = "Operator One, a name longer than thirty-two bytes";
        let call = I::addOperatorCall { name: name.into(), rewardAddress: Address::repeat_byte(1) };
        assert_eq!(
            encode(
                I::addOperatorCall::SELECTOR,
                &[Arg::B(name.as_bytes()), Arg::W(Address::repeat_byte(1).word())]
            ),
            call.abi_encode()
        );
        let (ids, counts, hints) =
            (vec![U256::from(1), U256::from(2)], vec![U256::from(3)], vec![U256::ZERO; 3]);
        let call = I::updateExitedValidatorsCall {
            operatorIds: ids.clone(),
            exited: counts.clone(),
            hints: hints.clone(),
        };
        assert_eq!(
            encode(
                I::updateExitedValidatorsCall::SELECTOR,
                &[Arg::A(&ids), Arg::A(&counts), Arg::A(&hints)]
            ),
            call.abi_encode()
        );
        let call = I::setOperatorNameCall { operatorId: U256::from(9), name: String::new() };
        assert_eq!(
            encode(I::setOperatorNameCall::SELECTOR, &[Arg::W(U256::from(9).word()), Arg::B(b"")]),
            call.abi_encode()
        );
    }
}
