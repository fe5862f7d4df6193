//! The contracts' Solidity ABI as seen by a caller (what `artifacts/abi/*.sol` prints).
#![allow(missing_docs)]

use alloy_sol_types::sol;

// The AccessManager's interface file (and its constructor, `AccessManagerDeployment`), the
// one its router is built from.
sol!(
    #[sol(all_derives)]
    "../contracts/access-manager/abi/IAccessManager.sol"
);

// The withdrawal queue's interface file, the one its router is built from.
sol!("../contracts/withdrawal-queue/abi/IWithdrawalQueue.sol");

// The node operator registry's interface file, the one its router is built from.
sol!("../contracts/node-operator-registry/abi/INodeOperatorRegistry.sol");

// The accounting oracle's interface file, the one its router is built from.
sol!("../contracts/accounting-oracle/abi/IAccountingOracle.sol");

// The staking pool's interface file (core and extension program, its constructor), the one
// its router is built from.
sol!(
    #[sol(all_derives)]
    "../contracts/staking-pool/abi/IStakingPool.sol"
);

// The wrapped token's interface file (and its constructor, `WrappedTokenDeployment`), the one
// its router is built from.
sol!(
    #[sol(all_derives)]
    "../contracts/wrapped-token/abi/IWrappedToken.sol"
);
