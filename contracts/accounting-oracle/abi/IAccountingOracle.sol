// SPDX-License-Identifier: MIT
// AccountingOracle: a committee of at most 30 members votes, once per frame, the hash of the
// report for the frame's reference slot (HashConsensus); a hash with `support >= quorum` is the
// consensus. A member (or SUBMIT_DATA_ROLE) then submits the report data whose
// keccak256(abi.encode(data)) is that hash: the oracle writes exited counts to the registry and
// hands the report to the pool, which checks it against the sanity limits kept here and
// applies it. Declared once, here: `staking_interface::interface!` generates the router (the
// core program serves the committee's two calls and the constructor, the extension program,
// reached by DELEGATECALL, everything tagged `@custom:program extension`), the errors, the
// event loggers and the calldata encoders; the tests bind to it with alloy's sol!, and
// `scripts/build` exports it as the ABI.
pragma solidity ^0.8.0;

interface IAccountingOracle {
    // ---------------------------------------------------------------- types
    struct ReportData {
        uint256 consensusVersion;
        uint256 refSlot;
        /// Validators ever seen on the consensus layer (cumulative), <= deposited.
        uint256 numValidators;
        /// Their consensus-layer balance at refSlot, gwei.
        uint256 clBalanceGwei;
        /// Wei: consensus-layer withdrawals received at the pool's address, claimed.
        uint256 withdrawals;
        /// Wei: execution-layer rewards received at the pool's address, claimed.
        uint256 elRewards;
        /// Wei: the L1 vault's free balance at refSlot (its balance minus the ether of batches
        /// awaiting deposit, which L2 counts as deposited-not-seen).
        uint256 vaultBalance;
        /// Wei: the L1 vault's cumulative ether bridged to L2 (its `bridgedToL2`) at refSlot.
        uint256 bridgedToL2;
        /// Shares held at the pool's own address to burn (cover); usually 0.
        uint256 sharesRequestedToBurn;
        /// Increasing request ids; the last is finalized. Empty: finalize nothing.
        uint256[] withdrawalFinalizationBatches;
        /// The share rate (1e27) the queue is finalized at; checked against the on-chain rate.
        uint256 simulatedShareRate;
        bool isBunkerMode;
        /// Strictly increasing; only operators whose exited count changed.
        uint256[] exitedOperatorIds;
        /// Cumulative exited validators of each operator above.
        uint256[] exitedValidatorsCounts;
        /// For each operator above, the operator it follows in the registry's deposit order once
        /// its exits (and the earlier items') are counted; 0: the head, or it leaves the order.
        /// Computed from the order at refSlot; the registry applies it to the order at processing,
        /// where a stale hint costs a walk (gas), never the order.
        uint256[] exitedOrderHints;
        /// Validators the committee asks to exit this frame (docs/design/exits.md); 0: none.
        uint256 exitRequestsCount;
        /// keccak256 of the packed exit list submitExitRequests delivers (64 bytes per request, Lido's format with the key index for the module id:
        /// operatorId (5) | keyIndex (3) | validatorIndex (8) | pubkey (48)); zero when the count is 0.
        bytes32 exitRequestsHash;
    }

    struct SanityLimits {
        uint256 annualBalanceIncreaseBPLimit;
        uint256 clBalanceDecreaseBPLimit;
        uint256 clBalanceDecreaseWindow;
        uint256 simulatedShareRateDeviationBPLimit;
        uint256 appearedValidatorsPerDayLimit;
        uint256 exitedValidatorsPerDayLimit;
        uint256 requestTimestampMargin;
        uint256 maxPositiveTokenRebase;
        uint256 maxExitedOperatorsPerReport;
    }

    // ---------------------------------------------------------------- errors
    /// The constructor already ran (the SDK's constructor guard word is set).
    error AlreadyInitialized();
    /// The extension (constructor or upgradeExtension) does not answer extensionId() with the oracle's extension id.
    error InvalidExtension(address extension);
    error NotInitialized();
    error InvalidAddress();
    error AccessDenied(address caller, bytes32 role, bytes reason);
    error ReentrantCall();
    error MathOverflow();
    error DuplicateMember(address addr);
    error NonMember(address addr);
    error InitialEpochIsYetToArrive(uint256 initialEpoch, uint256 epoch);
    error EpochsPerFrameCannotBeZero();
    error FastLanePeriodCannotBeLongerThanFrame(uint256 fastLane, uint256 frameSlots);
    error InvalidChainConfig();
    error EmptyReport();
    error InvalidRefSlot(uint256 expected, uint256 received);
    error UnexpectedConsensusVersion(uint256 expected, uint256 received);
    error StaleReport(uint256 refSlot, uint256 deadline);
    error NonFastLaneMemberCannotReportWithinFastLaneInterval();
    error DuplicateReport();
    error ConsensusReportAlreadyProcessing();
    error TooManyReportVariants(uint256 max);
    error TooManyMembers(uint256 max);
    error QuorumTooSmall(uint256 minQuorum, uint256 quorum);
    error MemberIndexOutOfRange(uint256 index, uint256 members);
    error NoConsensusReportToProcess();
    error RefSlotAlreadyProcessing();
    error VersionCannotBeSame();
    error UnexpectedContractVersion(uint256 expected, uint256 received);
    error UnexpectedRefSlot(uint256 consensusRefSlot, uint256 dataRefSlot);
    error UnexpectedDataHash(bytes32 consensusHash, bytes32 receivedHash);
    error ProcessingDeadlineMissed(uint256 deadline);
    error InvalidExitedValidatorsData();
    error TooManyExitedOperators(uint256 limit, uint256 count);
    error ExitedValidatorsLimitExceeded(uint256 limitPerDay, uint256 exitedPerDay);
    error IncorrectLimitValue(uint256 value, uint256 min, uint256 max);
    error ProtocolContractsNotSet();
    /// The report's bridgedToL2 is below the last processed report's (it is cumulative).
    error BridgedToL2Decreased(uint256 previous, uint256 reported);
    /// The report's bridgedToL2 is below what the pool had received from the vault when the
    /// last report was processed (before this report's refSlot): negative ether in flight.
    error NegativeFlight(uint256 bridged, uint256 received);
    /// clBalance + vaultBalance + bridgedToL2 (wei, `l1Ether`) is below what the pool has
    /// received from the vault: the L1 figure handed to the pool would be negative.
    error NegativeL1Balance(uint256 l1Ether, uint256 received);
    /// The report's exit fields do not fit together (a hash without requests, requests without a hash).
    error InvalidExitRequestsData();
    /// More exit requests in one report than maxExitRequestsPerReport or the per-day bucket's size.
    error TooManyExitRequestsPerReport(uint256 count, uint256 max);
    /// More exit requests than the withdrawal queue's shortfall needs (by more than one validator).
    error TooManyExitRequests(uint256 count, uint256 allowed);
    /// More exit requests than the per-day bucket holds now.
    error ExitRequestsLimitExceeded(uint256 remaining, uint256 requested);
    /// No agreed exit list waits for this frame (none agreed, or the report not processed yet).
    error NoExitRequestsToProcess();
    error ExitRequestsAlreadyProcessed();
    error UnexpectedExitRequestsHash(bytes32 agreed, bytes32 received);
    /// The list hashes to the agreed value but is not exitRequestsCount records of 64 bytes.
    error UnexpectedExitRequestsLength(uint256 expected, uint256 received);
    /// The list is not a whole number of 64-byte records, or not strictly increasing by
    /// (operatorId, keyIndex) at record `index`.
    error InvalidRequestsSortOrder(uint256 index);

    // ---------------------------------------------------------------- events
    event Initialized(address accessManager, address extension);
    event ExtensionUpgraded(address indexed oldExtension, address indexed newExtension);
    event MemberAdded(address indexed addr, uint256 newTotalMembers, uint256 newQuorum);
    event MemberRemoved(address indexed addr, uint256 newTotalMembers, uint256 newQuorum);
    event QuorumSet(uint256 newQuorum, uint256 totalMembers, uint256 prevQuorum);
    event FrameConfigSet(uint256 newInitialEpoch, uint256 newEpochsPerFrame);
    event FastLaneConfigSet(uint256 fastLaneLengthSlots);
    event ConsensusVersionSet(uint256 indexed version, uint256 indexed prevVersion);
    event ReportReceived(uint256 indexed refSlot, address indexed member, bytes32 report);
    event ConsensusReached(uint256 indexed refSlot, bytes32 report, uint256 support);
    event ConsensusLost(uint256 indexed refSlot);
    event WarnProcessingMissed(uint256 indexed refSlot);
    event ProcessingStarted(uint256 indexed refSlot, bytes32 hash);
    event ProtocolContractsSet(address pool, address registry);
    event AnnualBalanceIncreaseBPLimitSet(uint256 annualBalanceIncreaseBPLimit);
    event CLBalanceDecreaseLimitSet(uint256 clBalanceDecreaseBPLimit, uint256 clBalanceDecreaseWindow);
    event SimulatedShareRateDeviationBPLimitSet(uint256 simulatedShareRateDeviationBPLimit);
    event AppearedValidatorsPerDayLimitSet(uint256 appearedValidatorsPerDayLimit);
    event ExitedValidatorsPerDayLimitSet(uint256 exitedValidatorsPerDayLimit);
    event RequestTimestampMarginSet(uint256 requestTimestampMargin);
    event MaxPositiveTokenRebaseSet(uint256 maxPositiveTokenRebase);
    event MaxExitedOperatorsPerReportSet(uint256 maxExitedOperatorsPerReport);
    /// A processed report's L1 vault figures, and the pool's receivedFromL1Vault read then.
    /// One per validator the committee asks to exit (operators' software follows it; Lido's
    /// ValidatorsExitBusOracle event with the key index in place of the staking module id).
    event ValidatorExitRequest(uint256 indexed operatorId, uint256 indexed keyIndex, uint256 indexed validatorIndex, bytes validatorPubkey, uint256 timestamp);
    /// The agreed exit list of refSlot was delivered to the registry (its ValidatorExitRequest events).
    event ExitRequestsProcessed(uint256 indexed refSlot, uint256 count);
    event ExitRequestLimitsSet(uint256 maxPerReport, uint256 perDay);
    event L1StateReported(uint256 indexed refSlot, uint256 vaultBalance, uint256 bridgedToL2, uint256 receivedFromL1Vault);

    // ---------------------------------------------------------------- upgrades
    // (staking_common::upgrade: UPGRADE_ROLE, behind the AccessManager's delay)
    /// Replaces the extension program; the candidate must answer extensionId() with
    /// keccak256("accounting-oracle.extension.v1").
    /// @custom:program extension
    function upgradeExtension(address newExtension) external;
    /// keccak256("accounting-oracle.extension.v1"), answered only by the extension program
    /// itself (through the oracle it reverts: a core is never an extension).
    /// @custom:program extension
    function extensionId() external view returns (bytes32);

    // ---------------------------------------------------------------- members (no role)
    function submitReport(uint256 slot, bytes32 report, uint256 consensusVersion) external;

    // ---------------------------------------------------------------- data (members or SUBMIT_DATA_ROLE)
    /// Once per frame, before the processing deadline, after consensus on keccak256(abi.encode(data)).
    /// Emits ProcessingStarted; the registry and the pool emit the rest. The method reads the
    /// arguments as sent (the hash is taken over them: src/report.rs).
    /// @custom:raw
    function submitReportData(ReportData calldata data, uint256 contractVersion) external;

    /// Anyone, after the frame's report is processed and before its deadline: delivers the agreed
    /// exit list (its keccak256 is the report's exitRequestsHash) to the registry, within the per-day
    /// bucket and the bound of the queue's shortfall (docs/design/exits.md). ExitRequestsProcessed.
    /// @custom:program extension
    function submitExitRequests(bytes calldata data) external;

    // ---------------------------------------------------------------- admin (AccessManager roles)
    /// MANAGE_MEMBERS_AND_QUORUM_ROLE
    /// @custom:program extension
    function addMember(address addr, uint256 quorum) external;
    /// MANAGE_MEMBERS_AND_QUORUM_ROLE
    /// @custom:program extension
    function removeMember(address addr, uint256 quorum) external;
    /// MANAGE_MEMBERS_AND_QUORUM_ROLE
    /// @custom:program extension
    function setQuorum(uint256 quorum) external;
    /// DISABLE_CONSENSUS_ROLE
    /// @custom:program extension
    function disableConsensus() external;
    /// MANAGE_FRAME_CONFIG_ROLE
    /// @custom:program extension
    function setFrameConfig(uint256 epochsPerFrame, uint256 fastLaneLengthSlots) external;
    /// MANAGE_CONSENSUS_VERSION_ROLE
    /// @custom:program extension
    function setConsensusVersion(uint256 version) external;
    /// SANITY_LIMITS_ROLE. One event per changed limit.
    /// @custom:program extension
    function setSanityLimits(SanityLimits calldata limits) external;
    /// SANITY_LIMITS_ROLE. Most exit requests per report (1 to 65,535) and per day (the bucket's
    /// size, refilled linearly over a day; 1 to 2^32 - 1). Defaults 600 and 1,800 (Lido's).
    /// @custom:program extension
    function setExitRequestLimits(uint256 maxPerReport, uint256 perDay) external;
    /// DEFAULT_ADMIN_ROLE. The pool that applies reports and the registry that takes exited counts.
    /// @custom:program extension
    function setProtocolContracts(address pool, address registry) external;

    // ---------------------------------------------------------------- views
    /// @custom:program extension
    function getMembers() external view returns (address[] memory addresses);
    /// @custom:program extension
    function isMember(address addr) external view returns (bool);
    /// @custom:program extension
    function getQuorum() external view returns (uint256);
    /// @custom:program extension
    function getChainConfig() external view returns (uint256 genesisTime, uint256 secondsPerSlot, uint256 slotsPerEpoch);
    /// @custom:program extension
    function getFrameConfig() external view returns (uint256 initialEpoch, uint256 epochsPerFrame, uint256 fastLaneLengthSlots);
    /// @custom:program extension
    function getCurrentFrame() external view returns (uint256 refSlot, uint256 reportProcessingDeadlineSlot);
    /// @custom:program extension
    function getConsensusState() external view returns (uint256 refSlot, bytes32 consensusReport, bool isReportProcessing);
    /// @custom:program extension
    function getMemberVote(address member) external view returns (uint256 refSlot, bytes32 report);
    /// @custom:program extension
    function getReportVariants() external view returns (bytes32[] memory variants, uint256[] memory support);
    /// @custom:program extension
    function getConsensusVersion() external view returns (uint256);
    /// @custom:program extension
    function accessManager() external view returns (address);
    /// @custom:program extension
    function extension() external view returns (address);
    /// @custom:program extension
    function getSanityLimits() external view returns (SanityLimits memory);
    /// @custom:program extension
    function getProtocolContracts() external view returns (address pool, address registry);
    /// @custom:program extension
    function getLastProcessingRefSlot() external view returns (uint256);
    /// @custom:program extension
    function getContractVersion() external view returns (uint256);
    /// The last processed report's bridgedToL2 and the pool's receivedFromL1Vault read when it
    /// was processed (what the next report is checked against; 0, 0 before any).
    /// @custom:program extension
    function getLastL1State() external view returns (uint256 bridgedToL2, uint256 receivedFromL1Vault);
    /// The last agreed exit list: its refSlot, count and hash, whether it was delivered, and the
    /// limits with the bucket's level now.
    /// @custom:program extension
    function getExitRequestsState() external view returns (uint256 refSlot, uint256 count, bytes32 hash, bool delivered, uint256 maxPerReport, uint256 perDay, uint256 remainingToday);
    /// The frame's processing state, for the oracle daemon.
    /// @custom:program extension
    function getProcessingState() external view returns (uint256 currentFrameRefSlot, uint256 processingDeadlineTime, bytes32 dataHash, bool dataSubmitted);
}

/// How the oracle is deployed: in one transaction through the StylusDeployer (`cargo stylus
/// deploy --constructor-args`), which calls the new program with
/// `bytes.concat(bytes4(keccak256("stylus_constructor()")), abi.encode(accessManager, extension, ...))`.
/// It runs once (`AlreadyInitialized` after). `extension`: the program serving the
/// administration and the views (DELEGATECALL), which must answer `extensionId()`
/// (`InvalidExtension`). Emits Initialized, FrameConfigSet, FastLaneConfigSet,
/// ConsensusVersionSet and the limit events.
abstract contract AccountingOracleDeployment {
    constructor(
        address accessManager,
        address extension,
        uint256 genesisTime,
        uint256 secondsPerSlot,
        uint256 slotsPerEpoch,
        uint256 initialEpoch,
        uint256 epochsPerFrame,
        uint256 fastLaneLengthSlots,
        uint256 consensusVersion
    ) {}
}
