// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title The ERC-20 functions a holder uses
/// @notice A subset of EIP-20, as the staking pool's receipt token implements it
///         (contracts/staking-pool/abi/IStakingPool.sol).
interface IERC20Subset {
    /// @notice The token balance of `account`.
    /// @param account The holder.
    /// @return The balance.
    function balanceOf(address account) external view returns (uint256);

    /// @notice How much `spender` may still move from `owner`.
    /// @param owner The token owner.
    /// @param spender The spender.
    /// @return The allowance.
    function allowance(address owner, address spender) external view returns (uint256);

    /// @notice Moves `amount` from the caller to `to`.
    /// @param to The recipient.
    /// @param amount The amount.
    /// @return True on success.
    function transfer(address to, uint256 amount) external returns (bool);

    /// @notice Moves `amount` from `from` to `to` within the caller's allowance.
    /// @param from The owner of the tokens.
    /// @param to The recipient.
    /// @param amount The amount.
    /// @return True on success.
    function transferFrom(address from, address to, uint256 amount) external returns (bool);

    /// @notice Lets `spender` move up to `amount` of the caller's tokens.
    /// @param spender The spender.
    /// @param amount The allowance.
    /// @return True on success.
    function approve(address spender, uint256 amount) external returns (bool);
}

/// @title A Solidity integrator holding the protocol's receipt token
/// @notice What a vault, a lending market or a multisig does with a rebasing ERC-20: pulls
///         tokens in with `transferFrom`, sends them out with `transfer`, approves a spender and
///         reads its balance. Used to test that an EVM contract composes with the Stylus token.
/// @dev Every token call's revert data is bubbled up unchanged, so a test sees the token's own
///      error; a token that returns `false` instead of reverting fails with `TokenRefused`.
///      Owner-only: the owner is the deployer.
contract ReceiptTokenHolder {
    /// @notice The receipt token held.
    IERC20Subset public immutable token;
    /// @notice The account allowed to move the holder's tokens.
    address public owner;

    /// @notice Tokens were pulled in.
    /// @param from The account they came from.
    /// @param amount The amount asked for.
    event Deposited(address indexed from, uint256 amount);
    /// @notice Tokens were sent out.
    /// @param to The recipient.
    /// @param amount The amount.
    event Withdrawn(address indexed to, uint256 amount);
    /// @notice A spender's allowance was set.
    /// @param spender The spender.
    /// @param amount The allowance.
    event SpenderApproved(address indexed spender, uint256 amount);
    /// @notice `previousOwner` handed the holder to `newOwner`.
    /// @param previousOwner The owner before.
    /// @param newOwner The owner after.
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    /// @notice The caller is not the owner.
    /// @param caller The caller.
    error NotOwner(address caller);
    /// @notice An address that must be set was zero.
    error ZeroAddress();
    /// @notice The token returned `false` (or data that is not a boolean) for a call, or the
    ///         token address has no code.
    /// @param selector The token function called.
    error TokenRefused(bytes4 selector);

    /// @dev Only the owner.
    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _;
    }

    /// @notice Creates a holder of `token_`, owned by the deployer.
    /// @param token_ The receipt token (the staking pool's address).
    constructor(address token_) {
        if (token_ == address(0)) revert ZeroAddress();
        token = IERC20Subset(token_);
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    /// @notice Pulls `amount` tokens from `from` (who approved this holder) into the holder.
    /// @dev Reverts with `NotOwner` unless called by the owner, with the token's error if the
    ///      transfer fails. Emits `Deposited` (and the token its `Transfer`).
    /// @param from The account the tokens come from.
    /// @param amount The amount.
    function deposit(address from, uint256 amount) external onlyOwner {
        callToken(abi.encodeCall(IERC20Subset.transferFrom, (from, address(this), amount)));
        emit Deposited(from, amount);
    }

    /// @notice Sends `amount` of the holder's tokens to `to`.
    /// @dev Reverts with `NotOwner` unless called by the owner, with the token's error if the
    ///      transfer fails. Emits `Withdrawn` (and the token its `Transfer`).
    /// @param to The recipient.
    /// @param amount The amount.
    function withdraw(address to, uint256 amount) external onlyOwner {
        callToken(abi.encodeCall(IERC20Subset.transfer, (to, amount)));
        emit Withdrawn(to, amount);
    }

    /// @notice Lets `spender` move up to `amount` of the holder's tokens.
    /// @dev Reverts with `NotOwner` unless called by the owner, with the token's error if the
    ///      approval fails. Emits `SpenderApproved` (and the token its `Approval`).
    /// @param spender The spender.
    /// @param amount The allowance.
    function approveSpender(address spender, uint256 amount) external onlyOwner {
        callToken(abi.encodeCall(IERC20Subset.approve, (spender, amount)));
        emit SpenderApproved(spender, amount);
    }

    /// @notice Hands the holder to `newOwner`.
    /// @dev Reverts with `NotOwner` unless called by the owner, `ZeroAddress` for zero. Emits
    ///      `OwnershipTransferred`.
    /// @param newOwner The new owner.
    function transferOwnership(address newOwner) external onlyOwner {
        if (newOwner == address(0)) revert ZeroAddress();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    /// @notice The holder's token balance (a rebasing token's balance moves with its rate).
    /// @return The balance.
    function balance() external view returns (uint256) {
        return token.balanceOf(address(this));
    }

    /// @notice How much `spender` may still move of the holder's tokens.
    /// @param spender The spender.
    /// @return The allowance.
    function allowanceOf(address spender) external view returns (uint256) {
        return token.allowance(address(this), spender);
    }

    /// @dev Calls the token; bubbles its revert data; requires a `true` result (or none, from
    ///      an address with code).
    /// @param data The calldata.
    function callToken(bytes memory data) private {
        (bool ok, bytes memory result) = address(token).call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 32), mload(result))
            }
        }
        bool accepted = result.length == 0
            ? address(token).code.length != 0 // a token that returns nothing, but not a plain account
            : result.length == 32 && abi.decode(result, (uint256)) == 1;
        if (!accepted) revert TokenRefused(bytes4(data));
    }
}
