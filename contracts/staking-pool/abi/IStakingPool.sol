// SPDX-License-Identifier: MIT
// The staking pool's whole interface, declared once: `staking_interface::interface!` generates
// the router (core program, or the extension program for `@custom:program extension`: the core
// forwards those selectors to it by DELEGATECALL, so they run at the pool's address on the
// pool's storage), the errors, the event loggers and the calldata encoders from this file; the
// tests and callers bind to it with alloy's sol!, and `scripts/build` exports it as the ABI.
pragma solidity ^0.8.0;

interface IStakingPool {
    // ---------------------------------------------------------------- deposits
    /// Deposits msg.value and mints shares to the caller at the current rate (rounded down);
    /// returns the shares minted.
    function deposit(address referral) external payable returns (uint256);
    /// Lido's name for deposit: the same function, served by the core as deposit is.
    /// @custom:rust deposit
    function submit(address referral) external payable returns (uint256);
    /// Plain ether sent to the pool: from the L1 vault's alias (l1Vault() + 0x1111...1111, mod
    /// 2^160: a retryable ticket's redeem) it is returned L1 ether, added to
    /// receivedFromL1Vault(), moved from the L1 figure (the beacon stat's clBalance) into the
    /// buffer, minting nothing (L1EtherReceived); from anyone else a deposit without referral.
    receive() external payable;

    // ---------------------------------------------------------------- ERC-20 (balances in ether, kept in shares)
    function name() external view returns (string memory);
    function symbol() external view returns (string memory);
    function decimals() external view returns (uint8);
    /// Total pooled ether: buffered + deposited-not-yet-seen + consensus-layer balance.
    function totalSupply() external view returns (uint256);
    /// `account`'s shares valued at the current rate, rounded down.
    function balanceOf(address account) external view returns (uint256);
    function allowance(address owner, address spender) external view returns (uint256);
    /// Moves ceil(amount / rate) shares, so `to`'s balance grows by at least `amount`.
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    /// transferFrom that returns the shares it moved (for contracts that account in shares).
    function transferFromWithShares(address from, address to, uint256 amount) external returns (uint256);
    function approve(address spender, uint256 amount) external returns (bool);
    function increaseAllowance(address spender, uint256 addedValue) external returns (bool);
    function decreaseAllowance(address spender, uint256 subtractedValue) external returns (bool);

    // ---------------------------------------------------------------- shares
    /// Moves exactly `sharesAmount` shares; returns their value (rounded down).
    function transferShares(address to, uint256 sharesAmount) external returns (uint256);
    /// Moves exactly `sharesAmount` of `from`'s shares, spending ceil(value) of the allowance.
    function transferSharesFrom(address from, address to, uint256 sharesAmount) external returns (uint256);
    function sharesOf(address account) external view returns (uint256);
    /// All shares in existence, the bootstrap shares included.
    function totalShares() external view returns (uint256);
    function getSharesByPooledEth(uint256 ethAmount) external view returns (uint256);
    function getPooledEthByShares(uint256 sharesAmount) external view returns (uint256);
    /// Ether per share with 1e27 precision.
    function shareRate() external view returns (uint256);

    // ---------------------------------------------------------------- pool views
    function getTotalPooledEther() external view returns (uint256);
    /// Ether held by the pool and not yet sent to validators.
    function getBufferedEther() external view returns (uint256);
    /// (depositedValidators, clValidators, clBalance).
    function getBeaconStat() external view returns (uint256, uint256, uint256);
    function accessManager() external view returns (address);
    function isInitialized() external view returns (bool);
    function isTokenPaused() external view returns (bool);
    function isStakingPaused() external view returns (bool);
    /// What can be deposited right now: 0 while paused, 2^256-1 without a limit.
    function getCurrentStakeLimit() external view returns (uint256);
    /// (maxStakeLimit, maxStakeLimitGrowthBlocks): the configured cap and the blocks a fully
    /// used limit takes to regrow (0, 0 without a limit).
    function getStakeLimitConfig() external view returns (uint256, uint256);

    // ---------------------------------------------------------------- staking control (STAKING_CONTROL_ROLE)
    function pauseStaking() external;
    function resumeStaking() external;
    /// At most `maxStakeLimit` wei at once, regrowing `stakeLimitIncreasePerBlock` per block.
    function setStakingLimit(uint256 maxStakeLimit, uint256 stakeLimitIncreasePerBlock) external;
    function removeStakingLimit() external;

    // ---------------------------------------------------------------- token pause
    /// PAUSE_ROLE: deposits and transfers revert; approvals and views still work.
    function pauseToken() external;
    /// RESUME_ROLE.
    function resumeToken() external;

    // ---------------------------------------------------------------- validators and wiring
    /// DEPOSIT_ROLE: sends count x 32 ether of buffered ether (1 to 100 keys) to the L1 vault in
    /// one L2-to-L1 message, ArbSys.sendTxToL1(vault, receiveBatch(commitment, count)); `data`
    /// is the registry's packed keys and proofs, checked by the registry, which returns the
    /// commitment to the keys' deposit data. BatchSent names the message.
    function depositBufferedEther(uint256 count, bytes calldata data) external;
    /// DEFAULT_ADMIN_ROLE: the withdrawal queue and the node operator registry.
    function setProtocolContracts(address withdrawalQueue, address nodeOperatorRegistry) external;

    // ---------------------------------------------------------------- ether returned from L1
    /// DEFAULT_ADMIN_ROLE, once: the protocol's L1 vault, by its L1 address; its ether arrives
    /// from its alias. InvalidAddress (zero), L1VaultAlreadySet (it never changes).
    function setL1Vault(address vault) external;
    /// The L1 vault's L1 address (zero: not set).
    function l1Vault() external view returns (address);
    /// Cumulative wei received from the L1 vault's alias (none of it minted shares).
    function receivedFromL1Vault() external view returns (uint256);

    // ---------------------------------------------------------------- the wrapped token (src/wrapping.rs)
    /// The wrapped token only (the address set by setWrappedToken; NotWrappedToken(caller)
    /// otherwise): moves shares from `from` to the caller without an allowance (none is read or
    /// written). amountInShares: `amount` shares; else floor(amount * S / E) shares (an ether
    /// amount, rounded down as getSharesByPooledEth). Returns the shares moved and the rate they
    /// moved at (E = totalPooledEther, S = totalShares, which the move leaves unchanged), so the
    /// caller rounds without another call. TokenIsPaused while the token is paused,
    /// InsufficientShares(from, held, shares). Emits Transfer(from, caller, floor(shares * E / S))
    /// and TransferShares(from, caller, shares).
    function wrapFrom(address from, uint256 amount, bool amountInShares) external returns (uint256 shares, uint256 totalPooledEther, uint256 totalShares);
    /// Anyone: moves the caller's own shares to `to`: `amount` shares, or ceil(amount * S / E)
    /// shares for an ether amount (so `to` receives at least `amount` of value, as transfer
    /// does). Same returns, errors (and ERC20InvalidReceiver) and events as wrapFrom.
    function transferSharesWithRate(address to, uint256 amount, bool amountInShares) external returns (uint256 shares, uint256 totalPooledEther, uint256 totalShares);
    /// DEFAULT_ADMIN_ROLE, once: the wrapped token, the only caller of wrapFrom. The token must
    /// name this pool: a static call to its stETH() must answer this pool's address.
    /// WrappedTokenAlreadySet (it never changes), InvalidAddress (zero, the pool, or an account
    /// whose stETH() is not this pool: an EOA, a mistyped address, another pool's token).
    function setWrappedToken(address token) external;
    /// The wrapped token (zero: not set).
    function wrappedToken() external view returns (address);
    /// Number of oracle reports applied and the last one's reportTimestamp (0, 0 before the first).
    function getLastReport() external view returns (uint256 round, uint256 timestamp);

    // ---------------------------------------------------------------- the oracle (extension program)
    /// Applies an agreed oracle report (only the oracle set by `setOracle`). `limits` is the
    /// oracle's packed sanity-limits word (staking_math::sanity::Limits); `clBalance` in wei.
    /// @custom:program extension
    /// @custom:rust oracle_report
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
    /// Whether the last report put the withdrawal queue in bunker mode.
    /// @custom:program extension
    function isBunkerMode() external view returns (bool);

    // ---------------------------------------------------------------- report configuration
    /// DEFAULT_ADMIN_ROLE: the accounting oracle, the only caller of handleOracleReport.
    function setOracle(address oracle) external;
    /// PROTOCOL_FEE_ROLE. totalFeeBP <= 10,000, operatorsFeeBP <= totalFeeBP; treasury non-zero
    /// when totalFeeBP > 0.
    function setFeeConfig(address treasury, uint256 totalFeeBP, uint256 operatorsFeeBP) external;
    function getOracle() external view returns (address);
    function getFeeConfig() external view returns (address treasury, uint256 totalFeeBP, uint256 operatorsFeeBP);
    /// The extension program the core forwards the extension's selectors to.
    function getExtension() external view returns (address);

    // ---------------------------------------------------------------- upgrades (staking_common::upgrade)
    /// Replaces the extension program (UPGRADE_ROLE, behind the AccessManager's delay); the
    /// candidate must answer extensionId() with keccak256("staking-pool.extension.v1").
    /// @custom:program extension
    function upgradeExtension(address newExtension) external;
    /// keccak256("staking-pool.extension.v1"), answered only by the extension program itself
    /// (through the pool it reverts: a core is never an extension).
    /// @custom:program extension
    function extensionId() external view returns (bytes32);

    // ---------------------------------------------------------------- permit and Lido's views (the permit program: src/permit.rs)
    /// Replaces the permit program, the program the core forwards the selectors tagged
    /// `@custom:program permit` to (the constructor sets the first). Served by the extension,
    /// so the permit program carries no role check. UPGRADE_ROLE, behind the AccessManager's
    /// delay, as upgradeExtension; the candidate must answer permitProgramId() with the pool's
    /// layout id, keccak256("staking-pool.extension.v1") (the extension's answer to
    /// extensionId(): both run on that layout; InvalidPermitProgram otherwise).
    /// PermitProgramSet(old, new).
    /// @custom:program extension
    function setPermitProgram(address program) external;
    /// The permit program.
    /// @custom:program permit
    function permitProgram() external view returns (address);
    /// ERC-2612: sets `owner`'s allowance for `spender` to `value` (ether units, as approve
    /// writes it) with the owner's EIP-712 signature of Permit(owner, spender, value, nonce,
    /// deadline) in the domain (name(), "1", chain id, the pool). Valid when ecrecover gives
    /// `owner` (s in the lower half, v 27 or 28), or else when `owner` has code and its
    /// isValidSignature(digest, r ‖ s ‖ v) answers 0x1626ba7e (EIP-1271). Spends the owner's
    /// nonce. Works while the token is paused, as approve does. ERC2612ExpiredSignature(deadline)
    /// after the deadline, ERC2612InvalidSigner(signer, owner) (signer: what ecrecover gave, 0 if
    /// nothing), ERC20InvalidSpender(0). Emits Approval(owner, spender, value).
    /// @custom:program permit
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
    /// permit with the signature as bytes: r ‖ s ‖ v (65 bytes) for ECDSA, or whatever the
    /// owner's EIP-1271 isValidSignature accepts (a multi-owner Safe's concatenated signatures).
    /// @custom:program permit
    /// @custom:rust permit_with_signature
    function permit(address owner, address spender, uint256 value, uint256 deadline, bytes calldata signature) external;
    /// The nonce `owner`'s next permit signs (each permit spends one).
    /// @custom:program permit
    function nonces(address owner) external view returns (uint256);
    /// keccak256(abi.encode(keccak256("EIP712Domain(string name,string version,uint256 chainId,
    /// address verifyingContract)"), keccak256(name()), keccak256("1"), block.chainid, pool)),
    /// computed on each call.
    /// @custom:program permit
    function DOMAIN_SEPARATOR() external view returns (bytes32);
    /// ERC-5267: fields 0x0f (name, version, chainId, verifyingContract), no salt, no extensions.
    /// @custom:program permit
    function eip712Domain() external view returns (bytes1 fields, string memory name, string memory version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] memory extensions);
    /// keccak256("staking-pool.extension.v1") (the pool's layout id), answered only by the permit
    /// program called directly (through the pool it reverts): what the constructor and
    /// setPermitProgram check.
    /// @custom:program permit
    function permitProgramId() external view returns (bytes32);
    /// Lido's name for totalShares().
    /// @custom:program permit
    function getTotalShares() external view returns (uint256);
    /// Lido's: the protocol fee on rewards, basis points (getFeeConfig's totalFeeBP).
    /// @custom:program permit
    function getFee() external view returns (uint16 totalFee);
    /// Lido's: the fee's split, each part of 10,000 = the whole fee (rounded down, as Lido's);
    /// insurance always 0; (0, 0, 0) without a fee.
    /// @custom:program permit
    function getFeeDistribution() external view returns (uint16 treasuryFeeBasisPoints, uint16 insuranceFeeBasisPoints, uint16 operatorsFeeBasisPoints);
    /// Lido's: the treasury (getFeeConfig's).
    /// @custom:program permit
    function getTreasury() external view returns (address);
    /// Lido's: buffered ether beyond what unfinalized withdrawal requests need (the queue's
    /// unfinalizedStETH), what depositBufferedEther may send.
    /// @custom:program permit
    function getDepositableEther() external view returns (uint256);
    /// Lido's: the validators' withdrawal credentials, the node operator registry's (0x01 or
    /// 0x02, 11 zero bytes, the L1 vault); zero before the registry is set.
    /// @custom:program permit
    function getWithdrawalCredentials() external view returns (bytes32);
    /// Lido's: the stake limit in full (isStakingPaused, a limit set, getCurrentStakeLimit(), its
    /// maximum, its regrowth blocks, and the remaining limit and block last recorded).
    /// @custom:program permit
    function getStakeLimitFullInfo() external view returns (bool isStakingPaused, bool isStakingLimitSet, uint256 currentStakeLimit, uint256 maxStakeLimit, uint256 maxStakeLimitGrowthBlocks, uint256 prevStakeLimit, uint256 prevStakeBlockNumber);
    /// Ether unfinalized withdrawal requests need beyond the buffer (the queue's unfinalizedStETH
    /// minus buffered ether, 0 if the buffer covers it): the shortfall the oracle's exit-request
    /// bound starts from (docs/design/exits.md).
    /// @custom:program permit
    function getWithdrawalShortfall() external view returns (uint256);
    /// Sends the L1 vault `triggerExits(pubkeys)` through ArbSys (EIP-7002 exit requests for the
    /// protocol's validators). Only the node operator registry (its forceExits) may call
    /// (NotRegistry); L1VaultNotSet before the vault is set.
    /// ExitsRequestedOnL1(position, count).
    /// @custom:program permit
    function requestExitsOnL1(bytes calldata pubkeys) external;

    // ---------------------------------------------------------------- events
    /// ERC-20 transfer; `value` is in ether (the rebasing balance unit).
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// ERC-20 approval; `value` is the new allowance in ether.
    event Approval(address indexed owner, address indexed spender, uint256 value);
    /// The exact shares moved by a transfer, a mint (`from` = 0) or a burn (`to` = 0).
    event TransferShares(address indexed from, address indexed to, uint256 sharesValue);
    /// A deposit of `amount` wei by `sender`, with an optional `referral`.
    event Submitted(address indexed sender, uint256 amount, address referral);
    /// The constructor ran: the AccessManager, and the bootstrap shares held by the dead address.
    event Initialized(address accessManager, uint256 bootstrapEther, uint256 bootstrapShares);
    /// Deposits paused.
    event StakingPaused(address indexed by);
    /// Deposits resumed.
    event StakingResumed(address indexed by);
    /// Stake limit set: at most `maxStakeLimit` wei at once, regrowing `stakeLimitIncreasePerBlock` per block.
    event StakingLimitSet(uint256 maxStakeLimit, uint256 stakeLimitIncreasePerBlock);
    /// Stake limit removed: deposits are unlimited (while staking is not paused).
    event StakingLimitRemoved();
    /// The whole token paused: no deposits and no transfers.
    event TokenPaused(address indexed by);
    /// The token resumed.
    event TokenResumed(address indexed by);
    /// `amount` left the buffer for validator deposits; `depositedValidators` funded in all.
    event Unbuffered(uint256 amount, uint256 depositedValidators);
    /// The withdrawal queue and the node operator registry were set.
    event ProtocolContractsSet(address withdrawalQueue, address nodeOperatorRegistry);
    /// A report moved the share rate (extension program).
    event TokenRebased(uint256 indexed reportTimestamp, uint256 timeElapsed, uint256 preTotalShares, uint256 preTotalEther, uint256 postTotalShares, uint256 postTotalEther, uint256 sharesMintedAsFees);
    /// A report's ether flows (extension program).
    event ETHDistributed(uint256 indexed reportTimestamp, uint256 preCLBalance, uint256 postCLBalance, uint256 withdrawalsWithdrawn, uint256 executionLayerRewardsWithdrawn, uint256 postBufferedEther);
    /// A report changed the number of validators the CL has seen (extension program).
    event CLValidatorsUpdated(uint256 indexed reportTimestamp, uint256 preCLValidators, uint256 postCLValidators);
    /// The accounting oracle was set.
    event OracleSet(address oracle);
    /// The protocol fee was set.
    event FeeConfigSet(address treasury, uint256 totalFeeBP, uint256 operatorsFeeBP);
    /// The extension program was replaced (upgradeExtension).
    event ExtensionUpgraded(address indexed oldExtension, address indexed newExtension);
    /// The L1 vault was set: its L1 address and the alias its ether arrives from.
    event L1VaultSet(address vault, address l2Alias);
    /// `amount` wei arrived from the L1 vault's alias; `total` received from it so far.
    event L1EtherReceived(uint256 amount, uint256 total);
    /// A batch left for the L1 vault: ArbSys's L2-to-L1 message `position` (its L2ToL1Tx
    /// event's, which the Outbox executes it by) carries `amount` wei and
    /// receiveBatch(commitment, keys).
    event BatchSent(uint256 indexed position, bytes32 commitment, uint256 keys, uint256 amount);
    /// The wrapped token was set (setWrappedToken, once).
    event WrappedTokenSet(address token);
    /// The permit program was set or replaced (setPermitProgram).
    event PermitProgramSet(address indexed oldProgram, address indexed newProgram);
    /// The L2-to-L1 message at `position` asks the L1 vault to exit `count` validators (EIP-7002).
    event ExitsRequestedOnL1(uint256 indexed position, uint256 count);

    // ---------------------------------------------------------------- errors
    /// `deposit` or a plain transfer carried no ether.
    error ZeroDeposit();
    /// The deposit is worth less than one share at the current rate: it would mint nothing.
    error DepositTooSmall(uint256 amount);
    /// The deposit exceeds what the stake limit allows right now.
    error StakeLimitExceeded(uint256 requested, uint256 remaining);
    /// Deposits are paused by the staking-control role.
    error StakingIsPaused();
    /// `pauseStaking` while paused.
    error StakingAlreadyPaused();
    /// `resumeStaking` while not paused.
    error StakingNotPaused();
    /// The token (deposits, transfers, reports, validator deposits) is paused.
    error TokenIsPaused();
    /// `pauseToken` while paused.
    error TokenAlreadyPaused();
    /// `resumeToken` while not paused.
    error TokenNotPaused();
    /// `sender` holds `balance` (ether) but the move needs `needed`.
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    /// `sender` holds `shares` but the move needs `needed` shares.
    error InsufficientShares(address sender, uint256 shares, uint256 needed);
    /// `spender` may move `allowance` but the move needs `needed`.
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    /// Tokens cannot go to the zero address or to the pool itself.
    error ERC20InvalidReceiver(address receiver);
    /// An allowance cannot be given to the zero address.
    error ERC20InvalidSpender(address spender);
    /// `decreaseAllowance` below zero.
    error ERC20FailedDecreaseAllowance(address spender, uint256 allowance, uint256 decrease);
    /// The AccessManager refused `caller` for `role`; `reason` is the manager's own revert data.
    error AccessDenied(address caller, bytes32 role, bytes reason);
    /// The constructor already ran (the SDK's constructor guard word is set).
    error AlreadyInitialized();
    /// The pool is not initialized yet.
    error NotInitialized();
    /// The AccessManager address is zero.
    error InvalidAccessManager();
    /// The bootstrap deposit is below the minimum (1 gwei).
    error BootstrapTooSmall(uint256 amount, uint256 min);
    /// A stake limit whose maximum is zero or above 2^96-1, or whose regrowth exceeds the maximum.
    error InvalidStakeLimit(uint256 maxStakeLimit, uint256 stakeLimitIncreasePerBlock);
    /// An amount does not fit the packed storage or an intermediate overflowed.
    error MathOverflow();
    /// A guarded function was re-entered.
    error ReentrantCall();
    /// `depositBufferedEther` asked for `requested` wei (a positive number of 32-ether deposits)
    /// but only `depositable` is buffered beyond what unfinalized withdrawals need.
    error NotEnoughDepositableEther(uint256 requested, uint256 depositable);
    /// The withdrawal queue and node operator registry are not set (`setProtocolContracts`).
    error ProtocolContractsNotSet();
    /// The extension (constructor or upgradeExtension) does not answer extensionId() with the
    /// pool's extension id.
    error InvalidExtension(address extension);
    /// `handleOracleReport` from anyone but the oracle.
    error NotOracle(address caller);
    /// The report's reference time is not before the current block's.
    error IncorrectReportTimestamp(uint256 reportTimestamp, uint256 blockTimestamp);
    /// The reported CL validators are fewer than before or more than deposited.
    error IncorrectReportValidators(uint256 reported, uint256 preClValidators, uint256 depositedValidators);
    /// The annual CL balance increase is above the oracle's limit.
    error IncorrectCLBalanceIncrease(uint256 limitBP, uint256 annualBP);
    /// The CL losses over the window are above the oracle's limit.
    error IncorrectCLBalanceDecrease(uint256 limitBP, uint256 windowBP);
    /// The share rate would rise by more than the positive-rebase limit.
    error IncorrectPositiveRebase(uint256 limit, uint256 actual);
    /// The simulated share rate deviates from the actual one by more than the limit.
    error IncorrectSimulatedShareRate(uint256 limitBP, uint256 simulated, uint256 actual);
    /// More validators appeared than the per-day limit allows.
    error IncorrectAppearedValidators(uint256 limitPerDay, uint256 appeared);
    /// The last finalized request is younger than the margin before the report.
    error IncorrectRequestFinalization(uint256 requestTimestamp, uint256 margin, uint256 reportTimestamp);
    /// The claimed withdrawals and EL rewards exceed the unaccounted ether at the pool.
    error IncorrectWithdrawalsAndRewards(uint256 claimed, uint256 available);
    /// `sharesToBurn` exceeds the pool's own shares.
    error IncorrectSharesRequestedToBurn(uint256 requested, uint256 available);
    /// Finalization would leave a share rate of zero.
    error ActualShareRateIsZero();
    /// totalFeeBP above 10,000 or operatorsFeeBP above totalFeeBP.
    error InvalidFeeConfig(uint256 totalFeeBP, uint256 operatorsFeeBP);
    /// The queue asks to lock more ether than the buffer holds with the report's claims.
    error NotEnoughBufferedEther(uint256 needed, uint256 available);
    /// `setOracle(0)`, `setL1Vault(0)`, `setWrappedToken` of zero or the pool, or a zero
    /// treasury with a non-zero fee.
    error InvalidAddress();
    /// `setL1Vault` when the vault is set already (`vault`): it is set once.
    error L1VaultAlreadySet(address vault);
    /// `depositBufferedEther` before `setL1Vault`: batches go to the L1 vault.
    error L1VaultNotSet();
    /// The registry's withdrawal credentials do not name the pool's L1 vault.
    error WithdrawalCredentialsMismatch(bytes32 credentials, address vault);
    /// `wrapFrom` from anyone but the wrapped token (or before setWrappedToken).
    error NotWrappedToken(address caller);
    /// `setWrappedToken` when the token is set already (`token`): it is set once.
    error WrappedTokenAlreadySet(address token);
    /// permit after its deadline.
    error ERC2612ExpiredSignature(uint256 deadline);
    /// The permit's signature is not `owner`'s: ecrecover gave `signer` (0: not a valid
    /// signature) and `owner` has no code, or its EIP-1271 check refused it.
    error ERC2612InvalidSigner(address signer, address owner);
    /// setPermitProgram's candidate does not answer permitProgramId() with the pool's id.
    error InvalidPermitProgram(address program);
    /// requestExitsOnL1 from an account other than the node operator registry.
    error NotRegistry(address caller);
}

/// How the pool is deployed: in one transaction through the StylusDeployer (`cargo stylus
/// deploy --constructor-args`, initValue = the bootstrap deposit, at least 1 gwei), which
/// calls the new program with `bytes.concat(bytes4(keccak256("stylus_constructor()")),
/// abi.encode(accessManager, extension, maxStakeLimit, stakeLimitIncreasePerBlock,
/// permitProgram))`. It runs once (AlreadyInitialized after); `extension` must answer
/// extensionId() (InvalidExtension), `permitProgram` permitProgramId() (InvalidPermitProgram).
/// The queue and the registry are wired later (setProtocolContracts).
abstract contract StakingPoolDeployment {
    constructor(address accessManager, address extension, uint256 maxStakeLimit, uint256 stakeLimitIncreasePerBlock, address permitProgram) payable {}
}
