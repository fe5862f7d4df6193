// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title A Solidity recipient of ether and ERC-721 tokens that calls out from its hooks
/// @notice Receives the withdrawal queue's ether (`receive`) and NFTs (`onERC721Received`),
///         answers the ERC-721 hook as configured (accept, a wrong answer, or a revert), and can
///         make one configured call from either hook: back into the contract that is paying it
///         (a re-entry, which the Stylus programs must refuse) or on to another one (composition,
///         e.g. staking the ether a claim pays). Used to test that Stylus programs calling EVM
///         code, and EVM code calling back into Stylus, behave as on Arbitrum.
/// @dev Not access-controlled: a test fixture, never a deployment target.
contract CallbackReceiver {
    /// @notice What `onERC721Received` returns; zero makes it revert with `NotAccepting`.
    bytes4 public answer;
    /// @notice The address the hooks call (none when zero).
    address public callTarget;
    /// @notice The ether sent with that call, in wei.
    uint256 public callValue;
    /// @notice The calldata of that call.
    bytes public callData;
    /// @notice Whether a failed call makes the hook revert with its revert data.
    bool public strict;

    /// @notice Ether arrived with no calldata.
    /// @param sender The sender.
    /// @param amount The ether, in wei.
    event EtherReceived(address indexed sender, uint256 amount);
    /// @notice `token` offered NFT `tokenId` through `onERC721Received`.
    /// @param token The ERC-721 contract (the hook's caller).
    /// @param operator The account that made the transfer.
    /// @param from The previous owner.
    /// @param tokenId The token.
    /// @param data The data passed along.
    event TokenReceived(address indexed token, address operator, address from, uint256 tokenId, bytes data);
    /// @notice A hook made its configured call.
    /// @param target The address called.
    /// @param ok Whether the call succeeded.
    /// @param result The return or revert data.
    event CalledBack(address indexed target, bool ok, bytes result);

    /// @notice `onERC721Received` refused token `tokenId` of `token` (the answer is zero).
    /// @param token The ERC-721 contract.
    /// @param tokenId The token.
    error NotAccepting(address token, uint256 tokenId);
    /// @notice A strict hook's call reverted without revert data.
    /// @param target The address called.
    error CallBackFailed(address target);

    /// @notice Creates a receiver answering `onERC721Received` with `answer_`.
    /// @param answer_ The answer (the hook's selector, 0x150b7a02, accepts).
    constructor(bytes4 answer_) {
        answer = answer_;
    }

    /// @notice Sets what `onERC721Received` returns (zero: it reverts).
    /// @param answer_ The answer.
    function setAnswer(bytes4 answer_) external {
        answer = answer_;
    }

    /// @notice Sets the call the hooks make (`target` zero: none).
    /// @param target The address to call.
    /// @param value The ether to send, in wei (from this contract's balance).
    /// @param data The calldata.
    /// @param strict_ Whether a failed call makes the hook revert with its revert data.
    function setCall(address target, uint256 value, bytes calldata data, bool strict_) external {
        callTarget = target;
        callValue = value;
        callData = data;
        strict = strict_;
    }

    /// @notice The ERC-721 receiver hook: emits `TokenReceived`, makes the configured call,
    ///         then answers `answer` (or reverts with `NotAccepting` when it is zero).
    /// @param operator The account that made the transfer.
    /// @param from The previous owner.
    /// @param tokenId The token.
    /// @param data The data passed along.
    /// @return The configured answer.
    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata data)
        external
        returns (bytes4)
    {
        emit TokenReceived(msg.sender, operator, from, tokenId, data);
        callOut();
        if (answer == bytes4(0)) revert NotAccepting(msg.sender, tokenId);
        return answer;
    }

    /// @notice Accepts ether: emits `EtherReceived`, then makes the configured call.
    receive() external payable {
        emit EtherReceived(msg.sender, msg.value);
        callOut();
    }

    /// @dev Makes the configured call, if any; emits `CalledBack`; a strict hook bubbles a
    ///      failure's revert data up (or reverts with `CallBackFailed` when there is none).
    function callOut() private {
        address target = callTarget;
        if (target == address(0)) return;
        (bool ok, bytes memory result) = target.call{value: callValue}(callData);
        emit CalledBack(target, ok, result);
        if (ok || !strict) return;
        if (result.length == 0) revert CallBackFailed(target);
        assembly ("memory-safe") {
            revert(add(result, 32), mload(result))
        }
    }
}
