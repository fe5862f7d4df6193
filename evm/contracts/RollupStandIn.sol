// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The part of Arbitrum's Outbox that the rollup calls
/// @notice `updateSendRoot` of nitro-contracts' `AbsOutbox`: only the rollup may call it.
interface ISendRootReceiver {
    /// @notice Records `sendRoot` (the root of the L2-to-L1 send Merkle tree) as confirmed.
    /// @param sendRoot The root of the L2's send Merkle tree at an assertion.
    /// @param l2BlockHash The hash of the L2 block the assertion ends at.
    function updateSendRoot(bytes32 sendRoot, bytes32 l2BlockHash) external;
}

/// @title A stand-in for Arbitrum's rollup contract on L1
/// @notice On Arbitrum One the rollup (RollupProxy with its admin and user logic) confirms the
///         validators' assertions about the L2 state and, on confirmation, posts each
///         assertion's send root to the Outbox, after which the L2-to-L1 messages under that
///         root can be executed. This contract keeps only that duty and the two facts the
///         Bridge, Inbox and Outbox ask of a rollup: its address (they are initialized with it;
///         the Outbox accepts `updateSendRoot` only from it) and `owner()` (the Bridge and Inbox
///         let "the rollup or its owner" set inboxes, outboxes and pause).
/// @dev The challenge period is NOT enforced here. The real rollup enforces it on-chain: an
///      assertion is confirmable only after its deadline (45,818 L1 blocks on Arbitrum One)
///      with no successful challenge. In the test worlds the relay enforces it off-chain: it
///      calls `postSendRoot` for an L2 state only once the period has passed in L1 blocks, so
///      the Outbox sees roots at the times the real one would. Whoever owns this contract can
///      post any root; it is a test fixture, never a deployment target.
contract RollupStandIn {
    /// @notice The account that may post send roots and point this rollup at an Outbox; the
    ///         Bridge and Inbox also accept it as "the rollup's owner".
    address public owner;
    /// @notice The Outbox that receives the send roots.
    address public outbox;
    /// @notice How many send roots this rollup has posted.
    uint256 public sendRootCount;

    /// @notice `previousOwner` handed the rollup to `newOwner`.
    /// @param previousOwner The owner before.
    /// @param newOwner The owner after.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    /// @notice The Outbox that receives send roots changed.
    /// @param previousOutbox The Outbox before (zero at first).
    /// @param newOutbox The Outbox after.
    event OutboxSet(address indexed previousOutbox, address indexed newOutbox);
    /// @notice A send root was posted to the Outbox (the stand-in's "assertion confirmed").
    /// @param index The root's position among the roots this rollup posted (from 0).
    /// @param sendRoot The root of the L2's send Merkle tree.
    /// @param l2BlockHash The hash of the L2 block it belongs to.
    event SendRootPosted(uint256 indexed index, bytes32 indexed sendRoot, bytes32 l2BlockHash);

    /// @notice The caller is not the owner.
    /// @param caller The caller.
    /// @param owner The owner.
    error NotOwner(address caller, address owner);
    /// @notice An address that must be set was zero.
    error ZeroAddress();
    /// @notice No Outbox to post to yet.
    error OutboxNotSet();

    /// @dev Only the owner.
    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender, owner);
        _;
    }

    /// @notice Creates the rollup owned by `initialOwner`.
    /// @param initialOwner The owner (the deployment's admin).
    constructor(address initialOwner) {
        if (initialOwner == address(0)) revert ZeroAddress();
        owner = initialOwner;
        emit OwnershipTransferred(address(0), initialOwner);
    }

    /// @notice Hands the rollup to `newOwner`.
    /// @dev Reverts with `NotOwner` unless called by the owner, `ZeroAddress` for zero. Emits
    ///      `OwnershipTransferred`.
    /// @param newOwner The new owner.
    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    /// @notice Points the rollup at the Outbox that receives its send roots.
    /// @dev Reverts with `NotOwner` unless called by the owner, `ZeroAddress` for zero. Emits
    ///      `OutboxSet`. The Outbox itself accepts roots only from the rollup its Bridge names.
    /// @param newOutbox The Outbox (its proxy).
    function setOutbox(address newOutbox) external onlyOwner {
        if (newOutbox == address(0)) revert ZeroAddress();
        emit OutboxSet(outbox, newOutbox);
        outbox = newOutbox;
    }

    /// @notice Posts a confirmed send root to the Outbox, as the real rollup does when it
    ///         confirms an assertion: afterwards every L2-to-L1 message under `sendRoot` can be
    ///         executed with its Merkle proof.
    /// @dev Reverts with `NotOwner` unless called by the owner, `OutboxNotSet` before
    ///      `setOutbox`, and with the Outbox's own error if it rejects the call. Emits
    ///      `SendRootPosted` (and the Outbox emits `SendRootUpdated`). The caller (the relay)
    ///      is trusted to wait for the challenge period first; see the contract's notes.
    /// @param sendRoot The root of the L2's send Merkle tree.
    /// @param l2BlockHash The hash of the L2 block it belongs to (non-zero: the Outbox treats a
    ///        zero block hash as an unknown root).
    function postSendRoot(bytes32 sendRoot, bytes32 l2BlockHash) external onlyOwner {
        address target = outbox;
        if (target == address(0)) revert OutboxNotSet();
        uint256 index = sendRootCount;
        sendRootCount = index + 1;
        emit SendRootPosted(index, sendRoot, l2BlockHash);
        ISendRootReceiver(target).updateSendRoot(sendRoot, l2BlockHash);
    }
}
