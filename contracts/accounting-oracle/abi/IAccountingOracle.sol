/**
 * AccountingOracle, consensus stage (HashConsensus): a committee of at most 30 members votes,
 * once per frame, the hash of the report for the frame's reference slot; a hash with
 * `support >= quorum` is the consensus. Report data, the pool side and sanity limits come later.
 * The router (src/router.rs), the exported ABI and the tests are all built from this file.
 */
interface IAccountingOracle {
    // ---------------------------------------------------------------- errors
    error AlreadyInitialized();
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

    // ---------------------------------------------------------------- events
    event Initialized(address accessManager);
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

    // ---------------------------------------------------------------- setup
    /// Once. Emits Initialized, FrameConfigSet, FastLaneConfigSet, ConsensusVersionSet.
    function initialize(
        address accessManager,
        uint256 genesisTime,
        uint256 secondsPerSlot,
        uint256 slotsPerEpoch,
        uint256 initialEpoch,
        uint256 epochsPerFrame,
        uint256 fastLaneLengthSlots,
        uint256 consensusVersion
    ) external;

    // ---------------------------------------------------------------- members (no role)
    function submitReport(uint256 slot, bytes32 report, uint256 consensusVersion) external;

    // ---------------------------------------------------------------- admin (AccessManager roles)
    /// MANAGE_MEMBERS_AND_QUORUM_ROLE
    function addMember(address addr, uint256 quorum) external;
    /// MANAGE_MEMBERS_AND_QUORUM_ROLE
    function removeMember(address addr, uint256 quorum) external;
    /// MANAGE_MEMBERS_AND_QUORUM_ROLE
    function setQuorum(uint256 quorum) external;
    /// DISABLE_CONSENSUS_ROLE
    function disableConsensus() external;
    /// MANAGE_FRAME_CONFIG_ROLE
    function setFrameConfig(uint256 epochsPerFrame, uint256 fastLaneLengthSlots) external;
    /// MANAGE_CONSENSUS_VERSION_ROLE
    function setConsensusVersion(uint256 version) external;

    // ---------------------------------------------------------------- views
    function getMembers() external view returns (address[] memory addresses);
    function isMember(address addr) external view returns (bool);
    function getQuorum() external view returns (uint256);
    function getChainConfig() external view returns (uint256 genesisTime, uint256 secondsPerSlot, uint256 slotsPerEpoch);
    function getFrameConfig() external view returns (uint256 initialEpoch, uint256 epochsPerFrame, uint256 fastLaneLengthSlots);
    function getCurrentFrame() external view returns (uint256 refSlot, uint256 reportProcessingDeadlineSlot);
    function getConsensusState() external view returns (uint256 refSlot, bytes32 consensusReport, bool isReportProcessing);
    function getMemberVote(address member) external view returns (uint256 refSlot, bytes32 report);
    function getReportVariants() external view returns (bytes32[] memory variants, uint256[] memory support);
    function getConsensusVersion() external view returns (uint256);
    function accessManager() external view returns (address);
}
