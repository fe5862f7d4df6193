// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The parts of Arbitrum's L1 bridge contracts the vault uses
/// @notice Written from the interfaces of `@arbitrum/nitro-contracts` 3.2.0 (`IBridge`,
///         `IOutbox`, `IInbox`); only the functions the vault calls are declared.
/// @dev Arbitrum's Outbox executes an L2-to-L1 message by calling `Bridge.executeCall(to,
///      value, data)`; the Bridge records the calling Outbox as its active outbox for the
///      duration of the call and makes the call itself. A contract receiving such a message
///      therefore sees `msg.sender == Bridge`, reads the Outbox from `Bridge.activeOutbox()`
///      and the L2 sender from that Outbox's `l2ToL1Sender()`.
interface IArbBridge {
    /// @notice The Outbox executing the current L2-to-L1 message; zero outside one.
    /// @return The Outbox's address.
    function activeOutbox() external view returns (address);
}

/// @title Arbitrum's Outbox, as read during the execution of a message
interface IArbOutbox {
    /// @notice The L2 sender of the message being executed; zero outside one.
    /// @return The L2 address that called `ArbSys.sendTxToL1`.
    function l2ToL1Sender() external view returns (address);
}

/// @title Arbitrum's (ETH) Inbox, for retryable tickets
interface IArbInbox {
    /// @notice The Bridge this Inbox delivers to.
    /// @return The Bridge's address.
    function bridge() external view returns (address);

    /// @notice Submits a retryable ticket: `msg.value` is minted on L2 to the (aliased) sender,
    ///         which pays the submission fee and the gas, and sends `l2CallValue` to `to`.
    /// @param to The L2 destination.
    /// @param l2CallValue The ether the L2 call carries.
    /// @param maxSubmissionCost The most the submission fee may take.
    /// @param excessFeeRefundAddress Receives unused fees on L2 (aliased if an L1 contract).
    /// @param callValueRefundAddress The ticket's beneficiary: receives `l2CallValue` on expiry
    ///        or cancellation, and alone may cancel (aliased if an L1 contract).
    /// @param gasLimit The auto-redeem's L2 gas limit.
    /// @param maxFeePerGas The L2 gas price bid.
    /// @param data The L2 calldata.
    /// @return The ticket's message number.
    function createRetryableTicket(
        address to,
        uint256 l2CallValue,
        uint256 maxSubmissionCost,
        address excessFeeRefundAddress,
        address callValueRefundAddress,
        uint256 gasLimit,
        uint256 maxFeePerGas,
        bytes calldata data
    ) external payable returns (uint256);

    /// @notice `createRetryableTicket` without its safety checks: the deposit need not cover
    ///         `l2CallValue` (the rest comes from the sender's L2 balance) and the refund
    ///         addresses are used as given (not aliased).
    /// @param to The L2 destination.
    /// @param l2CallValue The ether the L2 call carries.
    /// @param maxSubmissionCost The most the submission fee may take.
    /// @param excessFeeRefundAddress Receives unused fees on L2, as given.
    /// @param callValueRefundAddress The ticket's beneficiary, as given.
    /// @param gasLimit The auto-redeem's L2 gas limit.
    /// @param maxFeePerGas The L2 gas price bid.
    /// @param data The L2 calldata.
    /// @return The ticket's message number.
    function unsafeCreateRetryableTicket(
        address to,
        uint256 l2CallValue,
        uint256 maxSubmissionCost,
        address excessFeeRefundAddress,
        address callValueRefundAddress,
        uint256 gasLimit,
        uint256 maxFeePerGas,
        bytes calldata data
    ) external payable returns (uint256);

    /// @notice The submission fee of a ticket: `(1400 + 6 * dataLength) * baseFee` (the
    ///         current block's base fee when `baseFee` is zero).
    /// @param dataLength The L2 calldata's length.
    /// @param baseFee The L1 base fee, or zero for the current one.
    /// @return The fee in wei.
    function calculateRetryableSubmissionFee(uint256 dataLength, uint256 baseFee) external view returns (uint256);
}

/// @title The beacon chain deposit contract, as the vault calls it
interface IBeaconDepositContract {
    /// @notice Deposits `msg.value` for the validator `pubkey` (consensus specs, phase 0).
    /// @param pubkey The BLS12-381 public key (48 bytes).
    /// @param withdrawal_credentials The withdrawal credentials (32 bytes).
    /// @param signature The BLS signature over the deposit message (96 bytes).
    /// @param deposit_data_root The SSZ hash tree root of the `DepositData`.
    function deposit(
        bytes calldata pubkey,
        bytes calldata withdrawal_credentials,
        bytes calldata signature,
        bytes32 deposit_data_root
    ) external payable;

    /// @notice The deposit tree's root with the count mixed in.
    /// @return The root.
    function get_deposit_root() external view returns (bytes32);
}
