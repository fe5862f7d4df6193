// SPDX-License-Identifier: MIT
// NodeOperatorRegistry: node operators, their committed validator keys and limits, the min-first
// allocation of deposits, the deposit path (batches to the L1 vault) and pull-based operator
// rewards.
// Its whole interface, declared once: `staking_interface::interface!` generates the router
// (core or extension program: `@custom:program`), the errors, the event loggers and the
// calldata encoders from this file; the tests and callers bind to it with alloy's sol!, and
// `scripts/build` exports it as the ABI.
pragma solidity ^0.8.0;

interface INodeOperatorRegistry {
    // ---------------------------------------------------------------- errors
    /// The constructor already ran (the SDK's constructor guard word is set).
    error AlreadyInitialized();
    /// The extension (constructor or upgradeExtension) does not answer extensionId() with the registry's extension id.
    error InvalidExtension(address extension);
    error NotInitialized();
    error InvalidAddress();
    error AccessDenied(address caller, bytes32 role, bytes reason);
    error ReentrantCall();
    error MathOverflow();
    error OperatorNotFound(uint256 operatorId);
    error TooManyOperators(uint256 max);
    error InvalidOperatorName(uint256 length);
    error OperatorActiveUnchanged(uint256 operatorId, bool active);
    error NotOperatorManager(address caller, uint256 operatorId);
    error InvalidKeysData(uint256 pubkeysLength, uint256 signaturesLength);
    error InvalidKeyCount(uint256 count);
    error TooManyKeyBatches(uint256 operatorId);
    error InvalidVettedLimit(uint256 operatorId, uint256 limit, uint256 deposited, uint256 submitted);
    error InvalidKeyRemoval(uint256 operatorId, uint256 fromIndex, uint256 deposited, uint256 submitted);
    error InvalidKeyBatch(uint256 operatorId, uint256 batch);
    error InvalidExitedCount(uint256 operatorId, uint256 exited, uint256 current, uint256 deposited);
    error ArrayLengthMismatch(uint256 ids, uint256 counts);
    error NotPool(address caller);
    error InvalidDepositData();
    error NotEnoughDepositableKeys(uint256 requested, uint256 available);
    error InvalidKeyProof(uint256 operatorId, uint256 keyIndex);
    error DepositsArePaused();
    error DepositsNotPaused();
    /// depositKeys with more than `max` keys (the L1 vault's MAX_BATCH_KEYS, 100: it refuses a
    /// bigger batch, whose ether would then stay in the Bridge).
    error TooManyKeys(uint256 count, uint256 max);
    /// Constructor credentials that are not `0x01` / `0x02` ‖ 11 zero bytes ‖ a non-zero address.
    error InvalidWithdrawalCredentials(bytes32 credentials);
    error GuardianExists(address guardian);
    error NotGuardian(address account);
    error TooManyGuardians(uint256 max);
    error StalePauseIntent(uint256 blockNumber, uint256 current);
    /// A signed pause intent for a block at or before the last resume (each signature pauses at most once).
    error PauseIntentBeforeResume(uint256 blockNumber, uint256 resumedAt);
    error NoRewards(uint256 operatorId);
    /// Exit requests: an operator word out of order or whose count does not fit its keys (`index`),
    /// or a forced exit naming no key.
    error InvalidExitRequestsData(uint256 index);
    /// The key may not be requested (below the operator's request cursor, or not deposited) or
    /// forced (below its forced cursor or not above the previous key, or not requested; any
    /// deposited key for FORCED_EXIT_ROLE).
    error KeyNotExitable(uint256 operatorId, uint256 keyIndex);
    /// More forced exits than the operator has overdue, or than one L1 message carries (100).
    error TooManyForcedExits(uint256 count, uint256 max);
    /// Deadlines out of range: 1 to 30 days to exit, forced exits later than that and within 60 days.
    error InvalidExitDeadlines(uint256 exitDeadline, uint256 forceDeadline);

    // ---------------------------------------------------------------- events
    event Initialized(address pool, bytes32 withdrawalCredentials, address accessManager, address extension);
    event ExtensionUpgraded(address indexed oldExtension, address indexed newExtension);
    event OperatorAdded(uint256 indexed operatorId, string name, address rewardAddress);
    event OperatorActiveSet(uint256 indexed operatorId, bool active);
    event OperatorNameSet(uint256 indexed operatorId, string name);
    event OperatorRewardAddressSet(uint256 indexed operatorId, address rewardAddress);
    event VettedLimitSet(uint256 indexed operatorId, uint256 vetted);
    event TargetLimitSet(uint256 indexed operatorId, bool enabled, uint256 limit);
    event KeysCommitted(uint256 indexed operatorId, uint256 batch, uint256 firstIndex, uint256 count, bytes32 root);
    event KeysRemoved(uint256 indexed operatorId, uint256 fromIndex);
    event ExitedValidatorsUpdated(uint256 indexed operatorId, uint256 exited);
    /// One per deposit: `allocation` packs, per key in order, operatorId (2 bytes) and keyIndex (4 bytes).
    event KeysDeposited(uint256 count, bytes allocation);
    event NonceChanged(uint256 nonce);
    event GuardianAdded(address guardian);
    event GuardianRemoved(address guardian);
    event DepositsPaused(address indexed guardian);
    event DepositsResumed(address indexed by);
    event RewardsDistributed(uint256 shares, uint256 rewardPerValidator);
    event RewardsClaimed(uint256 indexed operatorId, address indexed to, uint256 shares);
    /// An operator became late on its exit requests (no rewards, no deposits) or caught up.
    event OperatorLateSet(uint256 indexed operatorId, bool late);
    /// A validator forced out through the L1 vault's EIP-7002 request.
    event ValidatorExitForced(uint256 indexed operatorId, uint256 indexed keyIndex, bytes validatorPubkey);
    event ExitDeadlinesSet(uint256 exitDeadline, uint256 forceDeadline);

    // ---------------------------------------------------------------- core program
    // (deposits, key commits, rewards, exited counts, the guardians' pause and the digest
    // they sign, and getDepositAllocation, which shares the list code)
    /// Called by the pool; `data` is the packed keys and proofs (deposit.rs), `count` 1 to 100.
    /// Returns the withdrawal credentials every key's deposit data root covers (the L1 vault's)
    /// and `commitment = keccak256(root_0 ‖ … ‖ root_{count-1})`, which the pool sends with
    /// `count × 32` ether to the vault (`receiveBatch(commitment, count)` by ArbSys.sendTxToL1).
    function depositKeys(uint256 count, bytes calldata data) external returns (bytes32 withdrawalCredentials, bytes32 commitment);
    function commitKeys(uint256 operatorId, bytes calldata pubkeys, bytes calldata signatures) external;
    /// The root of a batch of `count` keys whose file the operator hands to the DAO off-chain
    /// (keys.rs: vetting is the DAO's word that it holds the keys and recomputed this root).
    function commitKeyRoot(uint256 operatorId, bytes32 root, uint256 count) external;
    function onRewardsMinted(uint256 shares) external;
    function claimRewards(uint256 operatorId) external returns (uint256);
    /// hints[i]: the operator that operatorIds[i] follows in the deposit order once its exits
    /// are counted (0: the head, or it leaves the order). A stale or wrong hint costs gas (a walk:
    /// at most twice the shorter of those from the head and from the hint), never the order.
    /// Each operator listed is also marked late on its exit requests, or unmarked, as of
    /// min(now, reportTimestamp) (the report's reference time: an operator that exits on time
    /// after the reference slot is not marked for a report processed later; 0: now).
    function updateExitedValidators(uint256[] calldata operatorIds, uint256[] calldata exited, uint256[] calldata hints, uint256 reportTimestamp) external returns (uint256 newlyExited);
    function pauseDeposits(uint256 blockNumber, bytes calldata signature) external;
    /// Called by the oracle with the agreed exit list, one word per operator named (increasing ids):
    /// operatorId u64 [0,64) | firstKey u32 [64,96) | lastKey u32 [96,128) | count u32 [128,160)
    /// (the oracle checked the list's order and emits ValidatorExitRequest per validator). Returns
    /// the validators requested and not yet exited before this list.
    /// EXITED_REPORTER_ROLE. Served by the core, which decodes updateExitedValidators' arrays.
    function onExitRequests(uint256[] calldata operators) external returns (uint256 pendingBefore);
    /// Forces requested validators of a late operator out through the L1 vault (EIP-7002): anyone once
    /// the operator is forcible (past the force deadline), FORCED_EXIT_ROLE at any time. `data` per key:
    /// pubkey 48 | signature 96 | batch u16 | start u32 | end u32 | keyIndex u32 | depth u8 | depth x 32.
    /// Served by the core, which holds the key proof code deposits use.
    function forceExits(uint256 operatorId, bytes calldata data) external;
    /// OPERATOR_LIMITS_ROLE. Seconds from a request until its operator is late, and until it is forcible.
    /// @custom:program extension
    function setExitDeadlines(uint256 exitDeadline, uint256 forceDeadline) external;
    function getDepositAllocation(uint256 count) external view returns (uint256[] memory operatorIds, uint256[] memory keyIndices, uint256[] memory hints);
    function pauseMessageHash(uint256 blockNumber) external view returns (bytes32);

    // ---------------------------------------------------------------- extension: administration
    /// @custom:program extension
    function addOperator(string calldata name, address rewardAddress) external returns (uint256);
    /// @custom:program extension
    function setOperatorActive(uint256 operatorId, bool active) external;
    /// @custom:program extension
    function setOperatorName(uint256 operatorId, string calldata name) external;
    /// @custom:program extension
    function setRewardAddress(uint256 operatorId, address rewardAddress) external;
    /// @custom:program extension
    function setVettedLimit(uint256 operatorId, uint256 vetted) external;
    /// @custom:program extension
    function setTargetLimit(uint256 operatorId, bool enabled, uint256 limit) external;
    /// @custom:program extension
    function removeUnusedKeys(uint256 operatorId, uint256 fromIndex, uint256 batch, bytes32 root, uint256 start, uint256 end) external;
    /// @custom:program extension
    function addGuardian(address guardian) external;
    /// @custom:program extension
    function removeGuardian(address guardian) external;
    /// @custom:program extension
    function resumeDeposits() external;

    // ---------------------------------------------------------------- extension: views
    /// @custom:program extension
    function getOperator(uint256 operatorId) external view returns (bool active, address rewardAddress, uint256 deposited, uint256 exited, uint256 vetted, uint256 submitted, uint256 targetLimit, uint256 keyBatches);
    /// An operator's exit requests: validators ever requested, its exited count, those requested
    /// and not yet exited, when the oldest open request was made (0: none), whether it is late now,
    /// whether it is marked late (penalized: no rewards, no deposits; the committee's next report
    /// marks a late operator), whether its overdue validators may be forced out, and the next key
    /// index a request and a forced exit may name.
    /// @custom:program extension
    function getOperatorExitStatus(uint256 operatorId) external view returns (uint256 requested, uint256 exited, uint256 pending, uint256 requestedAt, bool late, bool penalized, bool forcible, uint256 nextRequestKey, uint256 nextForcedKey);
    /// Validators requested and not yet exited, active validators of penalized operators, and the deadlines.
    /// @custom:program extension
    function getExitSummary() external view returns (uint256 pendingExits, uint256 penalizedActive, uint256 exitDeadline, uint256 forceDeadline);
    /// @custom:program extension
    function getOperatorName(uint256 operatorId) external view returns (string memory);
    /// @custom:program extension
    function getOperatorsCount() external view returns (uint256);
    /// @custom:program extension
    function getNonce() external view returns (uint256);
    /// @custom:program extension
    function getTotalActiveValidators() external view returns (uint256);
    /// @custom:program extension
    function getDepositQueue() external view returns (uint256[] memory);
    /// @custom:program extension
    function getRewards(uint256 operatorId) external view returns (uint256);
    /// @custom:program extension
    function getGuardians() external view returns (address[] memory);
    /// @custom:program extension
    function isGuardian(address account) external view returns (bool);
    /// @custom:program extension
    function isDepositsPaused() external view returns (bool);
    /// The L1 vault's withdrawal credentials (`0x01` or `0x02`), set at deployment.
    /// @custom:program extension
    /// @custom:rust get_withdrawal_credentials
    function withdrawalCredentials() external view returns (bytes32);
    /// @custom:program extension
    function pool() external view returns (address);
    /// @custom:program extension
    function accessManager() external view returns (address);
    /// @custom:program extension
    function extension() external view returns (address);

    // ---------------------------------------------------------------- extension: upgrades
    // (staking_common::upgrade: UPGRADE_ROLE, behind the AccessManager's delay)
    /// Replaces the extension program; the candidate must answer extensionId() with
    /// keccak256("node-operator-registry.extension.v1").
    /// @custom:program extension
    function upgradeExtension(address newExtension) external;
    /// keccak256("node-operator-registry.extension.v1"), answered only by the extension
    /// program itself (through the registry it reverts: a core is never an extension).
    /// @custom:program extension
    function extensionId() external view returns (bytes32);
}

/// How the registry is deployed: in one transaction through the StylusDeployer (`cargo stylus
/// deploy --constructor-args`), which calls the new program with
/// `bytes.concat(bytes4(keccak256("stylus_constructor()")), abi.encode(pool, withdrawalCredentials, accessManager, extension))`.
/// It runs once (`AlreadyInitialized` after); no address may be zero (`InvalidAddress`),
/// `withdrawalCredentials` must be `0x01` or `0x02` (compounding), 11 zero bytes and the L1
/// vault's non-zero address (`InvalidWithdrawalCredentials`), and `extension` must answer
/// `extensionId()` (`InvalidExtension`).
abstract contract NodeOperatorRegistryDeployment {
    constructor(address pool, bytes32 withdrawalCredentials, address accessManager, address extension) {}
}
