//! The interfaces the CLI calls: the contracts' own interface files (the ones their routers
//! are built from) and the Safe's functions.
#![allow(missing_docs)]

use alloy_sol_types::sol;

sol!(
    #[sol(all_derives)]
    "../../contracts/access-manager/abi/IAccessManager.sol"
);
sol!(
    #[sol(all_derives)]
    "../../contracts/staking-pool/abi/IStakingPool.sol"
);
sol!(
    #[sol(all_derives)]
    "../../contracts/withdrawal-queue/abi/IWithdrawalQueue.sol"
);
sol!(
    #[sol(all_derives)]
    "../../contracts/node-operator-registry/abi/INodeOperatorRegistry.sol"
);
sol!(
    #[sol(all_derives)]
    "../../contracts/accounting-oracle/abi/IAccountingOracle.sol"
);
sol!(
    #[sol(all_derives)]
    "../../contracts/wrapped-token/abi/IWrappedToken.sol"
);

sol! {
    /// `@safe-global/safe-smart-account` 1.5.0 (`scripts/evm-build` compiles it from npm).
    interface ISafe {
        function setup(address[] calldata owners, uint256 threshold, address to, bytes calldata data, address fallbackHandler, address paymentToken, uint256 payment, address paymentReceiver) external;
        function getOwners() external view returns (address[] memory);
        function getThreshold() external view returns (uint256);
        function nonce() external view returns (uint256);
        function isOwner(address owner) external view returns (bool);
        function getTransactionHash(address to, uint256 value, bytes calldata data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, uint256 safeNonce) external view returns (bytes32);
        function execTransaction(address to, uint256 value, bytes calldata data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes memory signatures) external payable returns (bool success);
    }

    /// The Safe's proxy factory.
    interface ISafeProxyFactory {
        function createProxyWithNonce(address singleton, bytes memory initializer, uint256 saltNonce) external returns (address proxy);
        event ProxyCreation(address indexed proxy, address singleton);
    }
}
