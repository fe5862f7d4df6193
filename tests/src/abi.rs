//! The contracts' Solidity ABI as seen by a caller (what `artifacts/abi/*.sol` prints).
#![allow(missing_docs)]

use alloy_sol_types::sol;

sol! {
    interface IStakingPool {
        function deposit(address referral) external payable returns (uint256);
        function name() external view returns (string memory);
        function symbol() external view returns (string memory);
        function decimals() external view returns (uint8);
        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function transfer(address to, uint256 amount) external returns (bool);
        function transferFrom(address from, address to, uint256 amount) external returns (bool);
        function approve(address spender, uint256 amount) external returns (bool);
        function increaseAllowance(address spender, uint256 addedValue) external returns (bool);
        function decreaseAllowance(address spender, uint256 subtractedValue) external returns (bool);
        function transferShares(address to, uint256 sharesAmount) external returns (uint256);
        function transferSharesFrom(address from, address to, uint256 sharesAmount) external returns (uint256);
        function sharesOf(address account) external view returns (uint256);
        function totalShares() external view returns (uint256);
        function getSharesByPooledEth(uint256 ethAmount) external view returns (uint256);
        function getPooledEthByShares(uint256 sharesAmount) external view returns (uint256);
        function shareRate() external view returns (uint256);
        function getTotalPooledEther() external view returns (uint256);
        function getBufferedEther() external view returns (uint256);
        function getBeaconStat() external view returns (uint256, uint256, uint256);
        function accessManager() external view returns (address);
        function isInitialized() external view returns (bool);
        function isTokenPaused() external view returns (bool);
        function isStakingPaused() external view returns (bool);
        function getCurrentStakeLimit() external view returns (uint256);
        function getStakeLimitConfig() external view returns (uint256, uint256);
        function pauseStaking() external;
        function resumeStaking() external;
        function setStakingLimit(uint256 maxStakeLimit, uint256 stakeLimitIncreasePerBlock) external;
        function removeStakingLimit() external;
        function pauseToken() external;
        function resumeToken() external;
        function depositBufferedEther(uint256 count, bytes data) external;
        function setProtocolContracts(address withdrawalQueue, address nodeOperatorRegistry) external;
        event Unbuffered(uint256 amount, uint256 depositedValidators);
        event ProtocolContractsSet(address withdrawalQueue, address nodeOperatorRegistry);
        error AlreadyInitialized();
        error InvalidExtension(address extension);
        error NotEnoughDepositableEther(uint256 requested, uint256 depositable);
        error ProtocolContractsNotSet();
    }

    /// How the pool is deployed (its constructor; `artifacts/abi/staking-pool.sol`).
    abstract contract StakingPoolDeployment {
        constructor(address accessManager, address extension, uint256 maxStakeLimit, uint256 stakeLimitIncreasePerBlock) payable {}
    }

    /// How the AccessManager is deployed (its constructor; `artifacts/abi/access-manager.sol`).
    abstract contract AccessManagerDeployment {
        constructor(address admin) {}
    }

    interface IAccessManager {
        error AlreadyInitialized();
        error InvalidAdmin(address admin);
        function hasRole(bytes32 role, address account) external view returns (bool);
        function getRoleAdmin(bytes32 role) external view returns (bytes32);
        function grantRole(bytes32 role, address account) external;
        function revokeRole(bytes32 role, address account) external;
        function renounceRole(bytes32 role, address callerConfirmation) external;
        function setRoleAdmin(bytes32 role, bytes32 adminRole) external;
        function setTargetFunctionDelay(address target, bytes4 selector, uint32 delay) external;
        function getTargetFunctionDelay(address target, bytes4 selector) external view returns (uint32);
        function canCall(address caller, bytes32 role, bytes4 selector) external view returns (bool);
        function authorizeCall(address caller, bytes32 role, bytes calldata data) external;
        function schedule(address target, bytes calldata data) external returns (bytes32);
        function cancel(address caller, address target, bytes calldata data) external;
        function getOperation(bytes32 id) external view returns (uint64);
        function hashOperation(address caller, address target, bytes calldata data) external view returns (bytes32);
    }
}

// The withdrawal queue's interface file, the one its router is built from.
sol!("../contracts/withdrawal-queue/abi/IWithdrawalQueue.sol");

// The node operator registry's interface file, the one its router is built from.
sol!("../contracts/node-operator-registry/abi/INodeOperatorRegistry.sol");

sol! {
    /// The beacon deposit contract (tests/deposit-contract is its test double).
    interface IDepositContract {
        function deposit(bytes pubkey, bytes withdrawal_credentials, bytes signature, bytes32 deposit_data_root) external payable;
        function get_deposit_root() external view returns (bytes32);
        function get_deposit_count() external view returns (bytes);
        event DepositEvent(bytes pubkey, bytes withdrawal_credentials, bytes amount, bytes signature, bytes index);
    }
}

// The accounting oracle's interface file, the one its router is built from.
sol!("../contracts/accounting-oracle/abi/IAccountingOracle.sol");

// The staking pool's extension program's interface file (report processing and its
// configuration), the one its router is built from; called at the pool's address.
sol!(
    #[sol(all_derives)]
    "../contracts/staking-pool/abi/IStakingPoolExtension.sol"
);
