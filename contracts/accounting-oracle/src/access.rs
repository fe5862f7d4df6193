//! How the oracle asks the AccessManager on privileged paths.
//!
//! Each admin entry point passes its own calldata (`crate::interface::calls`, generated from
//! the interface file: the bytes the manager hashes for a delayed operation) to
//! `staking_common::interface::authorize` once, before it reads any state; the manager checks
//! the role and consumes a scheduled operation where governance set a delay.
//! `submitReportData` by a non-member passes its calldata as sent. The call runs under the
//! transient reentrancy guard (votes make no external call).

use alloy_primitives::B256;

use crate::{errors::Error, AccountingOracle, GUARD_SLOT};

impl AccountingOracle {
    /// Asks the AccessManager whether the caller may make the call `data` (its own calldata).
    ///
    /// # Errors
    /// `ReentrantCall` (inside another authorization), `NotInitialized` (no manager: a call to
    /// the zero address would "succeed"), `AccessDenied(caller, role, managerRevertData)`.
    pub(crate) fn authorize(&self, role: B256, data: &[u8]) -> Result<(), Error> {
        staking_common::interface::authorize(self.access_manager.get(), GUARD_SLOT, role, data)
            .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{Address, U256};
    use alloy_sol_types::SolCall;

    use crate::{abi::IAccountingOracle as I, interface::calls};

    #[test]
    fn the_calldata_the_manager_hashes_is_alloys() {
        let (a, q) = (Address::repeat_byte(1), U256::from(5));
        assert_eq!(calls::addMember(a, q), I::addMemberCall { addr: a, quorum: q }.abi_encode());
        assert_eq!(calls::disableConsensus(), I::disableConsensusCall {}.abi_encode());
        assert_eq!(
            calls::setFrameConfig(U256::from(225), U256::MAX),
            I::setFrameConfigCall {
                epochsPerFrame: U256::from(225),
                fastLaneLengthSlots: U256::MAX
            }
            .abi_encode()
        );
        let limits = crate::sanity::to_abi(&staking_math::sanity::Limits::LIDO);
        assert_eq!(
            calls::setSanityLimits(&limits),
            I::setSanityLimitsCall { limits: limits.clone() }.abi_encode()
        );
        let args = [7u8; 100];
        assert_eq!(
            calls::submitReportData(&args),
            [&I::submitReportDataCall::SELECTOR[..], &args[..]].concat()
        );
    }
}
