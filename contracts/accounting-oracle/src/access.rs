//! How the oracle asks the AccessManager on privileged paths.
//!
//! Each admin entry point re-encodes its own calldata (`selector ‖ words`: every admin
//! argument is a static word) and calls `authorizeCall(caller, role, data)` once, before it
//! reads any state; the manager checks the role and consumes a scheduled operation where
//! governance set a delay. `submitReportData` by a non-member sends its calldata as received.
//! The call runs under the transient reentrancy guard (votes make no external call).

use alloy_primitives::B256;
use staking_common::{abi::encode_error, guard::Lock, host, interfaces::authorize_call};

use crate::{
    errors::{AccessDenied, Error, NotInitialized, ReentrantCall},
    AccountingOracle, GUARD_SLOT,
};

impl AccountingOracle {
    /// Asks the AccessManager whether the caller may make the call `selector(words...)`.
    ///
    /// # Errors
    /// `ReentrantCall` (inside another authorization), `NotInitialized` (no manager: a call to
    /// the zero address would "succeed"), `AccessDenied(caller, role, managerRevertData)`.
    pub(crate) fn authorize(
        &mut self,
        role: B256,
        selector: [u8; 4],
        words: &[B256],
    ) -> Result<(), Error> {
        // A call's calldata with static arguments has the layout of an error with static fields.
        self.authorize_data(role, &encode_error(selector, words))
    }

    /// As [`Self::authorize`], for a call whose calldata `data` (selector and arguments) is at
    /// hand as sent (`submitReportData` by a non-member).
    pub(crate) fn authorize_data(&mut self, role: B256, data: &[u8]) -> Result<(), Error> {
        let _lock =
            Lock::acquire(GUARD_SLOT).map_err(|_| Error::ReentrantCall(ReentrantCall {}))?;
        let caller = host::sender();
        let manager = self.access_manager.get();
        if manager.is_zero() {
            return Err(NotInitialized {}.into());
        }
        authorize_call(manager, caller, role, data).map_err(|reason| {
            Error::AccessDenied(AccessDenied { caller, role, reason: reason.into() })
        })
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{Address, U256};
    use alloy_sol_types::SolCall;

    use super::*;
    use crate::abi::IAccountingOracle as I;

    #[test]
    fn re_encoding_matches_alloy() {
        let (a, q) = (Address::repeat_byte(1), U256::from(5));
        assert_eq!(
            encode_error(I::addMemberCall::SELECTOR, &[a.into_word(), B256::from(q)]),
            I::addMemberCall { addr: a, quorum: q }.abi_encode()
        );
        assert_eq!(
            encode_error(I::disableConsensusCall::SELECTOR, &[]),
            I::disableConsensusCall {}.abi_encode()
        );
        assert_eq!(
            encode_error(
                I::setFrameConfigCall::SELECTOR,
                &[B256::from(U256::from(225)), B256::from(U256::MAX)]
            ),
            I::setFrameConfigCall {
                epochsPerFrame: U256::from(225),
                fastLaneLengthSlots: U256::MAX
            }
            .abi_encode()
        );
    }
}
