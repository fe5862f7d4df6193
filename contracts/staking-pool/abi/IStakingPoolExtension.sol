/**
 * The staking pool's extension program: oracle report processing and its configuration.
 * The pool's core program forwards every selector it does not route itself to this program by
 * DELEGATECALL (pool storage slot 8), so these functions are called at the pool's address and
 * run on the pool's storage. Its router, the exported ABI and the tests are built from this file.
 */
interface IStakingPoolExtension {
    // ---------------------------------------------------------------- errors
    error NotOracle(address caller);
    error IncorrectReportTimestamp(uint256 reportTimestamp, uint256 blockTimestamp);
    error IncorrectReportValidators(uint256 reported, uint256 preClValidators, uint256 depositedValidators);
    error IncorrectCLBalanceIncrease(uint256 limitBP, uint256 annualBP);
    error IncorrectCLBalanceDecrease(uint256 limitBP, uint256 windowBP);
    error IncorrectPositiveRebase(uint256 limit, uint256 actual);
    error IncorrectSimulatedShareRate(uint256 limitBP, uint256 simulated, uint256 actual);
    error IncorrectAppearedValidators(uint256 limitPerDay, uint256 appeared);
    error IncorrectRequestFinalization(uint256 requestTimestamp, uint256 margin, uint256 reportTimestamp);
    error IncorrectWithdrawalsAndRewards(uint256 claimed, uint256 available);
    error IncorrectSharesRequestedToBurn(uint256 requested, uint256 available);
    error ActualShareRateIsZero();
    error InvalidFeeConfig(uint256 totalFeeBP, uint256 operatorsFeeBP);
    /// The queue asks to lock more ether than the buffer holds with the report's claims.
    error NotEnoughBufferedEther(uint256 needed, uint256 available);
    /// `setOracle(0)`, or a zero treasury with a non-zero fee.
    error InvalidAddress();
    /// upgradeExtension's candidate does not answer extensionId() with the pool's extension id.
    error InvalidExtension(address extension);

    // ---------------------------------------------------------------- events
    event TokenRebased(uint256 indexed reportTimestamp, uint256 timeElapsed, uint256 preTotalShares, uint256 preTotalEther, uint256 postTotalShares, uint256 postTotalEther, uint256 sharesMintedAsFees);
    event ETHDistributed(uint256 indexed reportTimestamp, uint256 preCLBalance, uint256 postCLBalance, uint256 withdrawalsWithdrawn, uint256 executionLayerRewardsWithdrawn, uint256 postBufferedEther);
    event CLValidatorsUpdated(uint256 indexed reportTimestamp, uint256 preCLValidators, uint256 postCLValidators);
    event OracleSet(address oracle);
    event FeeConfigSet(address treasury, uint256 totalFeeBP, uint256 operatorsFeeBP);
    event ExtensionUpgraded(address indexed oldExtension, address indexed newExtension);

    // ---------------------------------------------------------------- the oracle
    /// Applies an agreed oracle report (only the oracle set by `setOracle`). `limits` is the
    /// oracle's packed sanity-limits word (staking_math::sanity::Limits); `clBalance` in wei.
    function handleOracleReport(
        uint256 reportTimestamp,
        uint256 timeElapsed,
        uint256 clValidators,
        uint256 clBalance,
        uint256 withdrawals,
        uint256 elRewards,
        uint256 sharesToBurn,
        uint256 simulatedShareRate,
        bool isBunkerMode,
        bytes32 limits,
        uint256[] calldata withdrawalFinalizationBatches
    ) external;

    // ---------------------------------------------------------------- configuration
    /// DEFAULT_ADMIN_ROLE. Emits OracleSet.
    function setOracle(address oracle) external;
    /// PROTOCOL_FEE_ROLE. totalFeeBP <= 10,000, operatorsFeeBP <= totalFeeBP; treasury non-zero when totalFeeBP > 0. Emits FeeConfigSet.
    function setFeeConfig(address treasury, uint256 totalFeeBP, uint256 operatorsFeeBP) external;

    // ---------------------------------------------------------------- views
    function getOracle() external view returns (address);
    function getFeeConfig() external view returns (address treasury, uint256 totalFeeBP, uint256 operatorsFeeBP);
    function isBunkerMode() external view returns (bool);
    function getExtension() external view returns (address);

    // ---------------------------------------------------------------- upgrades (staking_common::upgrade)
    /// Replaces this extension program (UPGRADE_ROLE, behind the AccessManager's delay); the
    /// candidate must answer extensionId() with keccak256("staking-pool.extension.v1").
    function upgradeExtension(address newExtension) external;
    /// keccak256("staking-pool.extension.v1"), answered only by the extension program itself
    /// (through the pool it reverts: a core is never an extension).
    function extensionId() external view returns (bytes32);
}
