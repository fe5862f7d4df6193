//! Revert data decoded into the protocol's error names: the errors of every contract's
//! interface file, then Solidity's `Error(string)`.

use alloy_sol_types::{SolError, SolInterface};

use crate::abi::{
    IAccessManager::IAccessManagerErrors, IAccountingOracle::IAccountingOracleErrors,
    INodeOperatorRegistry::INodeOperatorRegistryErrors, IStakingPool::IStakingPoolErrors,
    IWithdrawalQueue::IWithdrawalQueueErrors, IWrappedToken::IWrappedTokenErrors,
};

/// `data` as the error it encodes (`AccessControlUnauthorizedAccount { account: .., neededRole:
/// .. }`), or as hex when no interface knows it.
pub fn describe(data: &[u8]) -> String {
    if let Ok(e) = IAccessManagerErrors::abi_decode(data, true) {
        if let IAccessManagerErrors::AccessControlUnauthorizedAccount(e) = &e {
            return format!(
                "AccessControlUnauthorizedAccount: {} lacks {}",
                e.account,
                crate::deploy::role_name(e.neededRole)
            );
        }
        return format!("{e:?}");
    }
    // The four cores' `AccessDenied(caller, role, reason)`: the AccessManager said no.
    macro_rules! access_denied {
        ($($t:ident),*) => {$(
            if let Ok($t::AccessDenied(e)) = <$t>::abi_decode(data, true) {
                return format!(
                    "AccessDenied: {} lacks {}",
                    e.caller,
                    crate::deploy::role_name(e.role)
                );
            }
        )*};
    }
    access_denied!(
        IStakingPoolErrors,
        IWithdrawalQueueErrors,
        INodeOperatorRegistryErrors,
        IAccountingOracleErrors
    );
    macro_rules! try_decode {
        ($($t:ty),*) => {$(
            if let Ok(e) = <$t>::abi_decode(data, true) {
                return format!("{e:?}");
            }
        )*};
    }
    try_decode!(
        IStakingPoolErrors,
        IWithdrawalQueueErrors,
        INodeOperatorRegistryErrors,
        IAccountingOracleErrors,
        IWrappedTokenErrors
    );
    if let Ok(e) = alloy_sol_types::Revert::abi_decode(data, true) {
        return format!("Error({:?})", e.reason);
    }
    if data.is_empty() {
        "no revert data".into()
    } else {
        format!("0x{}", alloy_primitives::hex::encode(data))
    }
}
