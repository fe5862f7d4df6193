// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title A small EVM contract for composition tests
/// @notice Exercises what a call between the EVM and Stylus must carry: value, the caller, storage,
///         events, return data, custom-error revert data, and calls back out (plain, static and
///         delegate) to any address with any calldata, so that EVM -> Stylus -> EVM paths and
///         the Outbox's `l2ToL1Sender()` can be observed.
/// @dev Not access-controlled: a test fixture, never a deployment target.
contract EvmCallee {
    /// @notice The last value passed to `store`.
    uint256 public stored;
    /// @notice Who called `store` last.
    address public lastSender;
    /// @notice The ether sent with the last `store`, in wei.
    uint256 public lastPaid;
    /// @notice How many times `store` was called.
    uint256 public calls;

    /// @notice `store` was called.
    /// @param sender The caller.
    /// @param value The stored value.
    /// @param paid The ether sent with the call, in wei.
    event Stored(address indexed sender, uint256 value, uint256 paid);
    /// @notice A call out returned.
    /// @param target The address called.
    /// @param value The ether sent with the call, in wei (zero for static and delegate calls).
    /// @param data The calldata.
    /// @param result The returned data.
    event CalledOut(address indexed target, uint256 value, bytes data, bytes result);
    /// @notice Ether arrived with no calldata.
    /// @param sender The sender.
    /// @param amount The ether, in wei.
    event Received(address indexed sender, uint256 amount);

    /// @notice `fail` always reverts with this error, carrying its argument back.
    /// @param caller The caller of `fail`.
    /// @param code The code passed to `fail`.
    /// @param data The data passed to `fail`.
    error Refused(address caller, uint256 code, bytes data);
    /// @notice A call out reverted without revert data.
    /// @param target The address called.
    error CallOutFailed(address target);

    /// @notice Records `value`, the caller and the ether sent.
    /// @dev Emits `Stored`. Never reverts.
    /// @param value The value to store.
    /// @return previous The value stored before.
    function store(uint256 value) external payable returns (uint256 previous) {
        previous = stored;
        stored = value;
        lastSender = msg.sender;
        lastPaid = msg.value;
        calls += 1;
        emit Stored(msg.sender, value, msg.value);
    }

    /// @notice The stored value.
    /// @return The value the last `store` recorded.
    function get() external view returns (uint256) {
        return stored;
    }

    /// @notice Always reverts with `Refused(msg.sender, code, data)`.
    /// @param code Any number, returned in the error.
    /// @param data Any bytes, returned in the error.
    function fail(uint256 code, bytes calldata data) external view {
        revert Refused(msg.sender, code, data);
    }

    /// @notice Calls `target` with `data` and `value` wei (from this contract's balance, which
    ///         includes the ether sent with this call) and returns what it returned.
    /// @dev Reverts with the callee's revert data when it reverts, or `CallOutFailed` when it
    ///      reverts without data. Emits `CalledOut`.
    /// @param target The address to call.
    /// @param value The ether to send, in wei.
    /// @param data The calldata.
    /// @return result The returned data.
    function callOut(address target, uint256 value, bytes calldata data)
        external
        payable
        returns (bytes memory result)
    {
        bool ok;
        (ok, result) = target.call{value: value}(data);
        checked(ok, target, result);
        emit CalledOut(target, value, data, result);
    }

    /// @notice Static-calls `target` with `data` and returns what it returned.
    /// @dev Reverts with the callee's revert data when it reverts (a state change in a static
    ///      context included), or `CallOutFailed` when it reverts without data.
    /// @param target The address to call.
    /// @param data The calldata.
    /// @return result The returned data.
    function staticCallOut(address target, bytes calldata data) external view returns (bytes memory result) {
        bool ok;
        (ok, result) = target.staticcall(data);
        checked(ok, target, result);
    }

    /// @notice Runs `target`'s code with `data` in this contract's context (storage, balance,
    ///         caller and value stay this contract's) and returns what it returned.
    /// @dev Reverts with the callee's revert data when it reverts, or `CallOutFailed` when it
    ///      reverts without data. Emits `CalledOut` with value 0.
    /// @param target The address whose code runs.
    /// @param data The calldata.
    /// @return result The returned data.
    function delegateCallOut(address target, bytes calldata data) external payable returns (bytes memory result) {
        bool ok;
        (ok, result) = target.delegatecall(data);
        checked(ok, target, result);
        emit CalledOut(target, 0, data, result);
    }

    /// @notice Accepts plain ether.
    /// @dev Emits `Received`.
    receive() external payable {
        emit Received(msg.sender, msg.value);
    }

    /// @dev Bubbles a failed call's revert data up unchanged.
    /// @param ok Whether the call succeeded.
    /// @param target The address called.
    /// @param result The returned or revert data.
    function checked(bool ok, address target, bytes memory result) private pure {
        if (ok) return;
        if (result.length == 0) revert CallOutFailed(target);
        assembly ("memory-safe") {
            revert(add(result, 32), mload(result))
        }
    }
}
