//! The Solidity interfaces the L1 world calls, written from the contracts' sources: Arbitrum's
//! `IBridge`, `IInbox`/`AbsInbox`, `IOutbox`/`AbsOutbox` and `libraries/Error.sol` in
//! `@arbitrum/nitro-contracts` 3.2.0, OpenZeppelin 4.7.3's `ProxyAdmin`, and our own
//! `evm/contracts/` (the deposit contract, the rollup stand-in, the test callee). Only what the
//! worlds use is declared; selectors and event topics come out as the contracts' own.
#![allow(missing_docs, clippy::pub_underscore_fields)]

use alloy_sol_types::sol;

sol! {
    /// Arbitrum's Bridge: the delayed inbox accumulator and the ETH escrow.
    #[derive(Debug, PartialEq, Eq)]
    interface IBridge {
        event MessageDelivered(
            uint256 indexed messageIndex,
            bytes32 indexed beforeInboxAcc,
            address inbox,
            uint8 kind,
            address sender,
            bytes32 messageDataHash,
            uint256 baseFeeL1,
            uint64 timestamp
        );
        event BridgeCallTriggered(address indexed outbox, address indexed to, uint256 value, bytes data);
        event InboxToggle(address indexed inbox, bool enabled);
        event OutboxToggle(address indexed outbox, bool enabled);

        function initialize(address rollup) external;
        function setDelayedInbox(address inbox, bool enabled) external;
        function setOutbox(address outbox, bool enabled) external;
        function rollup() external view returns (address);
        function activeOutbox() external view returns (address);
        function allowedDelayedInboxes(address inbox) external view returns (bool);
        function allowedOutboxes(address outbox) external view returns (bool);
        function delayedMessageCount() external view returns (uint256);
        function delayedInboxAccs(uint256 index) external view returns (bytes32);
    }

    /// Arbitrum's (ETH) Inbox: where L1 users and contracts send messages to L2.
    #[derive(Debug, PartialEq, Eq)]
    interface IInbox {
        event InboxMessageDelivered(uint256 indexed messageNum, bytes data);

        function initialize(address bridge, address sequencerInbox) external;
        function bridge() external view returns (address);
        function maxDataSize() external view returns (uint256);
        function depositEth() external payable returns (uint256);
        function createRetryableTicket(
            address to,
            uint256 l2CallValue,
            uint256 maxSubmissionCost,
            address excessFeeRefundAddress,
            address callValueRefundAddress,
            uint256 gasLimit,
            uint256 maxFeePerGas,
            bytes data
        ) external payable returns (uint256);
        function calculateRetryableSubmissionFee(uint256 dataLength, uint256 baseFee)
            external view returns (uint256);
    }

    /// Arbitrum's (ETH) Outbox: executes L2-to-L1 messages proven against a posted send root.
    #[derive(Debug, PartialEq, Eq)]
    interface IOutbox {
        event SendRootUpdated(bytes32 indexed outputRoot, bytes32 indexed l2BlockHash);
        event OutBoxTransactionExecuted(
            address indexed to, address indexed l2Sender, uint256 indexed zero, uint256 transactionIndex
        );

        function initialize(address bridge) external;
        function rollup() external view returns (address);
        function bridge() external view returns (address);
        function roots(bytes32 root) external view returns (bytes32);
        function isSpent(uint256 index) external view returns (bool);
        function l2ToL1Sender() external view returns (address);
        function executeTransaction(
            bytes32[] proof,
            uint256 index,
            address l2Sender,
            address to,
            uint256 l2Block,
            uint256 l1Block,
            uint256 l2Timestamp,
            uint256 value,
            bytes data
        ) external;
        function calculateItemHash(
            address l2Sender,
            address to,
            uint256 l2Block,
            uint256 l1Block,
            uint256 l2Timestamp,
            uint256 value,
            bytes data
        ) external pure returns (bytes32);
        function calculateMerkleRoot(bytes32[] proof, uint256 path, bytes32 item)
            external pure returns (bytes32);
    }

    /// The errors of nitro-contracts' `libraries/Error.sol` that the worlds' tests meet.
    #[derive(Debug, PartialEq, Eq)]
    error NotRollupOrOwner(address sender, address rollup, address owner);
    #[derive(Debug, PartialEq, Eq)]
    error NotRollup(address sender, address rollup);
    #[derive(Debug, PartialEq, Eq)]
    error NotOutbox(address sender);
    #[derive(Debug, PartialEq, Eq)]
    error NotDelayedInbox(address sender);
    #[derive(Debug, PartialEq, Eq)]
    error NotContract(address addr);
    #[derive(Debug, PartialEq, Eq)]
    error InsufficientValue(uint256 expected, uint256 actual);
    #[derive(Debug, PartialEq, Eq)]
    error InsufficientSubmissionCost(uint256 expected, uint256 actual);
    #[derive(Debug, PartialEq, Eq)]
    error PathNotMinimal(uint256 index, uint256 maxIndex);
    #[derive(Debug, PartialEq, Eq)]
    error UnknownRoot(bytes32 root);
    #[derive(Debug, PartialEq, Eq)]
    error AlreadySpent(uint256 index);
    #[derive(Debug, PartialEq, Eq)]
    error BridgeCallFailed();

    /// OpenZeppelin 4.7.3's ProxyAdmin, the admin of every proxy.
    #[derive(Debug, PartialEq, Eq)]
    interface IProxyAdmin {
        function owner() external view returns (address);
        function getProxyAdmin(address proxy) external view returns (address);
        function getProxyImplementation(address proxy) external view returns (address);
    }

    /// Our rollup stand-in (evm/contracts/RollupStandIn.sol).
    #[derive(Debug, PartialEq, Eq)]
    interface IRollupStandIn {
        event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
        event OutboxSet(address indexed previousOutbox, address indexed newOutbox);
        event SendRootPosted(uint256 indexed index, bytes32 indexed sendRoot, bytes32 l2BlockHash);

        error NotOwner(address caller, address owner);
        error ZeroAddress();
        error OutboxNotSet();

        function owner() external view returns (address);
        function outbox() external view returns (address);
        function sendRootCount() external view returns (uint256);
        function transferOwnership(address newOwner) external;
        function setOutbox(address newOutbox) external;
        function postSendRoot(bytes32 sendRoot, bytes32 l2BlockHash) external;
    }

    /// The beacon chain deposit contract (evm/contracts/DepositContract.sol).
    #[derive(Debug, PartialEq, Eq)]
    interface IDepositContract {
        event DepositEvent(bytes pubkey, bytes withdrawal_credentials, bytes amount, bytes signature, bytes index);

        function deposit(
            bytes pubkey,
            bytes withdrawal_credentials,
            bytes signature,
            bytes32 deposit_data_root
        ) external payable;
        function get_deposit_root() external view returns (bytes32);
        function get_deposit_count() external view returns (bytes);
        function supportsInterface(bytes4 interfaceId) external view returns (bool);
    }

    /// EIP-20, as OpenZeppelin's ERC-20 and the staking pool's receipt token implement it.
    #[derive(Debug, PartialEq, Eq)]
    interface IERC20 {
        event Transfer(address indexed from, address indexed to, uint256 value);
        event Approval(address indexed owner, address indexed spender, uint256 value);

        function totalSupply() external view returns (uint256);
        function balanceOf(address account) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function transfer(address to, uint256 amount) external returns (bool);
        function transferFrom(address from, address to, uint256 amount) external returns (bool);
        function approve(address spender, uint256 amount) external returns (bool);
    }

    /// Our ERC-20 integrator (evm/contracts/ReceiptTokenHolder.sol).
    #[derive(Debug, PartialEq, Eq)]
    interface IReceiptTokenHolder {
        event Deposited(address indexed from, uint256 amount);
        event Withdrawn(address indexed to, uint256 amount);
        event SpenderApproved(address indexed spender, uint256 amount);
        event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

        error NotOwner(address caller);
        error ZeroAddress();
        error TokenRefused(bytes4 selector);

        function token() external view returns (address);
        function owner() external view returns (address);
        function deposit(address from, uint256 amount) external;
        function withdraw(address to, uint256 amount) external;
        function approveSpender(address spender, uint256 amount) external;
        function transferOwnership(address newOwner) external;
        function balance() external view returns (uint256);
        function allowanceOf(address spender) external view returns (uint256);
    }

    /// Our composition-test callee (evm/contracts/EvmCallee.sol).
    #[derive(Debug, PartialEq, Eq)]
    interface IEvmCallee {
        event Stored(address indexed sender, uint256 value, uint256 paid);
        event CalledOut(address indexed target, uint256 value, bytes data, bytes result);
        event Received(address indexed sender, uint256 amount);

        error Refused(address caller, uint256 code, bytes data);
        error CallOutFailed(address target);

        function store(uint256 value) external payable returns (uint256 previous);
        function get() external view returns (uint256);
        function stored() external view returns (uint256);
        function lastSender() external view returns (address);
        function lastPaid() external view returns (uint256);
        function calls() external view returns (uint256);
        function fail(uint256 code, bytes data) external view;
        function callOut(address target, uint256 value, bytes data) external payable returns (bytes result);
        function staticCallOut(address target, bytes data) external view returns (bytes result);
        function delegateCallOut(address target, bytes data) external payable returns (bytes result);
    }

    /// nitro's NodeInterface (`src/node-interface/NodeInterface.sol`): a virtual contract at
    /// [`NODE_INTERFACE`] on L2 that only `eth_call` reaches. Keepers ask it for an outbox
    /// proof; the devnet serves it from the relay's sends.
    #[derive(Debug, PartialEq, Eq)]
    interface INodeInterface {
        function constructOutboxProof(uint64 size, uint64 leaf) external view returns (bytes32 send, bytes32 root, bytes32[] proof);
    }
}

/// NodeInterface's address on every Arbitrum chain.
pub const NODE_INTERFACE: alloy_primitives::Address =
    alloy_primitives::address!("00000000000000000000000000000000000000c8");
