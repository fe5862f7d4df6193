// SPDX-License-Identifier: MIT
// The AccessManager's whole interface, declared once: `staking_interface::interface!`
// generates the router, the errors, the event loggers and the calldata encoders from this
// file; every other contract's `authorizeCall`, the tests and callers bind to it with alloy's
// sol!, and `scripts/build` exports it as the ABI. The role functions, errors and events keep
// OpenZeppelin AccessControl's signatures, so tools built for it keep working.
pragma solidity ^0.8.0;

interface IAccessManager {
    // ---- roles (OpenZeppelin AccessControl)
    /// Whether `account` holds `role`.
    function hasRole(bytes32 role, address account) external view returns (bool);
    /// The role whose holders may grant and revoke `role` (DEFAULT_ADMIN_ROLE unless set).
    function getRoleAdmin(bytes32 role) external view returns (bytes32);
    /// Grants `role` to `account` (holders of getRoleAdmin(role)); a no-op if already held.
    function grantRole(bytes32 role, address account) external;
    /// Revokes `role` from `account` (holders of getRoleAdmin(role)); a no-op if not held.
    function revokeRole(bytes32 role, address account) external;
    /// Gives up `role`; `callerConfirmation` must be the caller.
    function renounceRole(bytes32 role, address callerConfirmation) external;
    /// Makes `adminRole` the admin of `role` (DEFAULT_ADMIN_ROLE only).
    function setRoleAdmin(bytes32 role, bytes32 adminRole) external;

    // ---- delays (DEFAULT_ADMIN_ROLE sets them)
    /// Sets the delay of function `selector` of `target` (at most 30 days): at once for an
    /// increase, once the old delay has elapsed for a decrease.
    function setTargetFunctionDelay(address target, bytes4 selector, uint32 delay) external;
    /// The delay in seconds in force now for function `selector` of `target` (0 = none).
    function getTargetFunctionDelay(address target, bytes4 selector) external view returns (uint32);

    // ---- authorization (asked by the target contracts; the target is msg.sender)
    /// Whether `caller` may call function `selector` of msg.sender guarded by `role` now,
    /// without scheduling: it holds `role` and no delay is in force.
    function canCall(address caller, bytes32 role, bytes4 selector) external view returns (bool);
    /// Authorizes `caller` to run the call `data` on msg.sender under `role`, or reverts; with
    /// a delay, the scheduled operation must be ready and not expired, and is consumed.
    function authorizeCall(address caller, bytes32 role, bytes calldata data) external;

    // ---- operations (delayed calls)
    /// Schedules the call `data` on `target` by msg.sender; returns the operation id.
    function schedule(address target, bytes calldata data) external returns (bytes32);
    /// Cancels the pending operation of `caller` (the caller itself or GUARDIAN_ROLE).
    function cancel(address caller, address target, bytes calldata data) external;
    /// When operation `id` may run (unix seconds); 0 if not pending.
    function getOperation(bytes32 id) external view returns (uint64);
    /// How long a ready operation stays runnable, in seconds (one week).
    function expiration() external view returns (uint64);
    /// The operation id: keccak256(abi.encode(caller, target, data)).
    function hashOperation(address caller, address target, bytes calldata data) external view returns (bytes32);

    // ---- errors
    /// `account` lacks `neededRole` (OpenZeppelin AccessControl signature).
    error AccessControlUnauthorizedAccount(address account, bytes32 neededRole);
    /// renounceRole with a confirmation other than the caller (OpenZeppelin signature).
    error AccessControlBadConfirmation();
    /// The constructor already ran (the SDK's constructor guard word is set).
    error AlreadyInitialized();
    /// The constructor was given the zero address as the admin.
    error InvalidAdmin(address admin);
    /// A delay above the maximum (30 days) was requested.
    error DelayTooLong(uint32 delay, uint32 max);
    /// The call data is shorter than a 4-byte function selector.
    error InvalidCalldata();
    /// No operation with this id is pending (never scheduled, or executed or canceled).
    error OperationNotScheduled(bytes32 operationId);
    /// The operation is pending but its delay has not elapsed: it can run from `readyAt` on.
    error OperationNotReady(bytes32 operationId, uint64 readyAt);
    /// The function `selector` of `target` has no delay: it is called directly, not scheduled.
    error OperationNotDelayed(address target, bytes4 selector);
    /// The same operation (caller, target, call data) is already pending.
    error OperationAlreadyScheduled(bytes32 operationId);
    /// The operation could run until `expiredAt` (readyAt + one week) and is now expired.
    error OperationExpired(bytes32 operationId, uint64 expiredAt);
    /// A timepoint (now + delay) does not fit in 64 bits.
    error TimestampOverflow();

    // ---- events
    /// `account` was granted `role` by `sender` (OpenZeppelin AccessControl signature).
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
    /// `account` lost `role`, revoked (or renounced) by `sender` (OpenZeppelin signature).
    event RoleRevoked(bytes32 indexed role, address indexed account, address indexed sender);
    /// The admin of `role` changed (OpenZeppelin signature; not emitted for the implicit
    /// initial admin, DEFAULT_ADMIN_ROLE).
    event RoleAdminChanged(bytes32 indexed role, bytes32 indexed previousAdminRole, bytes32 indexed newAdminRole);
    /// The delay of function `selector` of `target` becomes `delay` seconds at `effectAt`.
    event TargetFunctionDelayUpdated(address indexed target, bytes4 indexed selector, uint32 delay, uint64 effectAt);
    /// `caller` scheduled the call `data` on `target`; authorizeCall accepts it from `readyAt`.
    event OperationScheduled(bytes32 indexed operationId, address indexed caller, address indexed target, bytes data, uint64 readyAt);
    /// A scheduled operation was authorized (and consumed) by its target.
    event OperationExecuted(bytes32 indexed operationId, address indexed caller, address indexed target);
    /// A scheduled operation was canceled by its caller or a guardian.
    event OperationCanceled(bytes32 indexed operationId);
}

/// How the AccessManager is deployed: in one transaction through the StylusDeployer
/// (`cargo stylus deploy --constructor-args`), which calls the new program with
/// `bytes.concat(bytes4(keccak256("stylus_constructor()")), abi.encode(admin))`.
/// It grants DEFAULT_ADMIN_ROLE to `admin` and runs once (AlreadyInitialized after).
abstract contract AccessManagerDeployment {
    constructor(address admin) {}
}
