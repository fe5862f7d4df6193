// SPDX-License-Identifier: MIT
// The withdrawal queue's whole interface, declared once: `staking_interface::interface!`
// generates the router (core or extension program: `@custom:program`), the errors, the event
// loggers and the calldata encoders from this file; the tests and callers bind to it with
// alloy's sol!, and `scripts/build` exports it as the ABI.
pragma solidity ^0.8.0;

interface IWithdrawalQueue {
    struct WithdrawalRequestStatus {
        uint256 amountOfStETH;
        uint256 amountOfShares;
        address owner;
        uint256 timestamp;
        bool isFinalized;
        bool isClaimed;
    }

    /// An ERC-2612 permit the caller signed for the queue (the spender): `permit(msg.sender,
    /// queue, value, deadline, v, r, s)` on the token the request pulls (Lido's struct).
    struct PermitInput {
        uint256 value;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    // ---- requests
    /// Moves sum(amounts) of the caller's tokens into the queue and creates one request (NFT) per amount.
    function requestWithdrawals(uint256[] calldata amounts, address owner) external returns (uint256[] memory requestIds);
    /// Requests `total` as the fewest requests within the bounds.
    function requestWithdrawalsSplit(uint256 total, address owner) external returns (uint256[] memory requestIds);
    /// The pool's `permit(msg.sender, queue, permit...)`, then as requestWithdrawals. A permit that
    /// fails (already used by a front-runner, expired) is ignored: the request goes on when the
    /// allowance covers sum(amounts), else reverts with the pool's ERC20InsufficientAllowance.
    /// @custom:program extension
    /// @custom:raw
    function requestWithdrawalsWithPermit(uint256[] calldata amounts, address owner, PermitInput calldata permit) external returns (uint256[] memory requestIds);
    /// Moves sum(amounts) of the caller's wrapped tokens (pool.wrappedToken()) into the queue
    /// (transferFrom, the caller's allowance for the queue), unwraps them into as many shares and
    /// creates one request per amount: amountOfShares = the amount, amountOfStETH its part of the
    /// unwrapped ether (running total rounded down: the parts add up to what unwrap returned).
    /// Bounds apply to amountOfStETH. InvalidAddress while the pool names no wrapped token.
    /// @custom:program extension
    function requestWithdrawalsWstETH(uint256[] calldata amounts, address owner) external returns (uint256[] memory requestIds);
    /// The wrapped token's `permit(msg.sender, queue, permit...)` (a failure ignored, as in
    /// requestWithdrawalsWithPermit), then as requestWithdrawalsWstETH.
    /// @custom:program extension
    /// @custom:raw
    function requestWithdrawalsWstETHWithPermit(uint256[] calldata amounts, address owner, PermitInput calldata permit) external returns (uint256[] memory requestIds);

    // ---- finalization (the pool alone, inside an oracle report; anyone else: NotPool)
    /// Finalizes requests up to `lastIdToFinalize` at `maxShareRate` (1e27); msg.value must equal what they are owed.
    function finalize(uint256 lastIdToFinalize, uint256 maxShareRate) external payable;
    /// Ether to lock and shares to burn for finalizing through the last batch end at `maxShareRate`.
    function prefinalize(uint256[] calldata batches, uint256 maxShareRate) external view returns (uint256 ethToLock, uint256 sharesToBurn);
    /// While on, finalize refuses a batch with a request above the report's share rate.
    function setBunkerMode(bool active) external;

    // ---- claims
    /// Claims a finalized request for the caller (owner, approved or operator); finds its checkpoint.
    function claimWithdrawal(uint256 requestId) external;
    /// Claims requests with checkpoint hints; one transfer of the total to the caller.
    function claimWithdrawals(uint256[] calldata requestIds, uint256[] calldata hints) external;
    /// Claims requests with checkpoint hints; one transfer of the total to `recipient`.
    function claimWithdrawalsTo(uint256[] calldata requestIds, uint256[] calldata hints, address recipient) external;

    // ---- ERC-721, ERC-165
    /// @custom:program extension
    function name() external view returns (string memory);
    /// @custom:program extension
    function symbol() external view returns (string memory);
    /// @custom:program extension
    function tokenURI(uint256 tokenId) external view returns (string memory);
    function balanceOf(address owner) external view returns (uint256);
    function ownerOf(uint256 tokenId) external view returns (address);
    function getApproved(uint256 tokenId) external view returns (address);
    function isApprovedForAll(address owner, address operator) external view returns (bool);
    function approve(address to, uint256 tokenId) external;
    function setApprovalForAll(address operator, bool approved) external;
    function transferFrom(address from, address to, uint256 tokenId) external;
    function safeTransferFrom(address from, address to, uint256 tokenId) external;
    /// @custom:rust safe_transfer_from_with_data
    function safeTransferFrom(address from, address to, uint256 tokenId, bytes calldata data) external;
    function supportsInterface(bytes4 interfaceId) external view returns (bool);

    // ---- views
    /// Unclaimed requests (NFTs) of `owner`, in id order.
    /// @custom:program extension
    function getWithdrawalRequests(address owner) external view returns (uint256[] memory requestIds);
    /// Per id: (amountOfStETH, amountOfShares, owner, timestamp, isFinalized, isClaimed); a claimed request shows zero amounts and owner, and timestamp 0 once pruned (its NFT is burned and its record cleared when the next request is claimed).
    function getWithdrawalStatus(uint256[] calldata requestIds) external view returns (WithdrawalRequestStatus[] memory statuses);
    /// Per id, the ether claimable now (0 if unfinalized or claimed).
    /// @custom:program extension
    function getClaimableEther(uint256[] calldata requestIds, uint256[] calldata hints) external view returns (uint256[] memory claimableEthValues);
    /// Per id (increasing), the checkpoint covering it within firstIndex..=lastIndex, or 0.
    /// @custom:program extension
    function findCheckpointHints(uint256[] calldata requestIds, uint256 firstIndex, uint256 lastIndex) external view returns (uint256[] memory hintIds);
    function unfinalizedStETH() external view returns (uint256);
    /// @custom:program extension
    function unfinalizedRequestNumber() external view returns (uint256);
    /// @custom:program extension
    function getLockedEtherAmount() external view returns (uint256);
    /// @custom:program extension
    function getLastRequestId() external view returns (uint256);
    /// @custom:program extension
    function getLastFinalizedRequestId() external view returns (uint256);
    /// @custom:program extension
    function getLastCheckpointIndex() external view returns (uint256);
    /// (first request id, max share rate); a rate of 2^96-1 means "nominal": each request is paid its ether.
    /// @custom:program extension
    function getCheckpoint(uint256 index) external view returns (uint256 firstRequestId, uint256 maxShareRate);
    /// @custom:program extension
    function isPaused() external view returns (bool);
    /// @custom:program extension
    function isBunkerModeActive() external view returns (bool);
    /// @custom:program extension
    function getRequestBounds() external view returns (uint256 min, uint256 max);
    /// @custom:program extension
    function getMinFinalizationDelay() external view returns (uint256);
    /// @custom:program extension
    function pool() external view returns (address);
    /// @custom:program extension
    function accessManager() external view returns (address);
    /// @custom:program extension
    function extension() external view returns (address);

    // ---- upgrades (staking_common::upgrade: UPGRADE_ROLE, behind the AccessManager's delay)
    /// Replaces the extension program; the candidate must answer extensionId() with
    /// keccak256("withdrawal-queue.extension.v1").
    /// @custom:program extension
    function upgradeExtension(address newExtension) external;
    /// keccak256("withdrawal-queue.extension.v1"), answered only by the extension program
    /// itself (through the queue it reverts: a core is never an extension).
    /// @custom:program extension
    function extensionId() external view returns (bytes32);

    // ---- operations
    /// @custom:program extension
    function pause() external;
    /// @custom:program extension
    function resume() external;
    /// @custom:program extension
    function setRequestBounds(uint256 min, uint256 max) external;
    /// @custom:program extension
    function setMinFinalizationDelay(uint256 delay) external;
    /// @custom:program extension
    function setBaseURI(string calldata baseURI) external;

    // ---- events
    /// A request of `amountOfStETH` (the `amountOfShares` moved into the queue) by `requestor`,
    /// its NFT minted to `owner`.
    event WithdrawalRequested(uint256 indexed requestId, address indexed requestor, address indexed owner, uint256 amountOfStETH, uint256 amountOfShares);
    /// Requests `from..=to` finalized: `amountOfETHLocked` held for them, `sharesToBurn` to be
    /// burned by the pool, at `maxShareRate` (1e27 precision).
    event WithdrawalsFinalized(uint256 indexed from, uint256 indexed to, uint256 amountOfETHLocked, uint256 sharesToBurn, uint256 maxShareRate, uint256 timestamp);
    /// Request `requestId` claimed by its `owner`; `amountOfETH` sent to `receiver`.
    event WithdrawalClaimed(uint256 indexed requestId, address indexed owner, address indexed receiver, uint256 amountOfETH);
    /// ERC-721 transfer, mint (`from` = 0) or burn on claim (`to` = 0).
    event Transfer(address indexed from, address indexed to, uint256 indexed tokenId);
    /// ERC-721 approval of one token.
    event Approval(address indexed owner, address indexed approved, uint256 indexed tokenId);
    /// ERC-721 operator approval.
    event ApprovalForAll(address indexed owner, address indexed operator, bool approved);
    /// ERC-4906: the metadata of tokens `_fromTokenId..=_toTokenId` changed.
    event BatchMetadataUpdate(uint256 _fromTokenId, uint256 _toTokenId);
    /// The constructor ran.
    event Initialized(address pool, address accessManager, address extension);
    /// upgradeExtension replaced the extension program.
    event ExtensionUpgraded(address indexed oldExtension, address indexed newExtension);
    /// Requests and finalization paused.
    event Paused(address indexed by);
    /// Requests and finalization resumed.
    event Resumed(address indexed by);
    /// Bunker mode switched on or off.
    event BunkerModeSet(bool active);
    /// Request bounds set (wei).
    event RequestBoundsSet(uint256 min, uint256 max);
    /// Minimum age (seconds) a request needs before it can be finalized.
    event MinFinalizationDelaySet(uint256 delay);
    /// NFT base URI set.
    event BaseURISet(string baseURI);

    // ---- errors
    /// A request below the minimum (or too small to be worth one share).
    error RequestAmountTooSmall(uint256 amount, uint256 min);
    /// A request above the maximum; `requestWithdrawalsSplit` splits large amounts.
    error RequestAmountTooLarge(uint256 amount, uint256 max);
    /// `requestWithdrawals` with no amounts, or a claim with no ids.
    error EmptyRequest();
    /// Requests and finalization are paused.
    error QueuePaused();
    /// `pause` while paused.
    error AlreadyPaused();
    /// `resume` while not paused.
    error NotPaused();
    /// `finalize` / `prefinalize` up to an id that is already finalized or does not exist.
    error InvalidFinalizationId(uint256 requested, uint256 lastFinalized, uint256 lastRequest);
    /// The last request of the batch is younger than the minimum finalization delay.
    error RequestTooRecent(uint256 requestId, uint256 finalizableAt);
    /// `finalize` must carry exactly the ether the batch is owed.
    error WrongFinalizationAmount(uint256 sent, uint256 owed);
    /// A share rate of zero or wider than 96 bits.
    error InvalidShareRate(uint256 maxShareRate);
    /// Bunker mode: a request in the batch was made at a share rate above the report's.
    error BunkerModeRateAboveReport(uint256 requestId, uint256 maxShareRate);
    /// No request has this id.
    error InvalidRequestId(uint256 requestId);
    /// The request is not finalized yet.
    error RequestNotFinalized(uint256 requestId);
    /// The request was already claimed.
    error RequestAlreadyClaimed(uint256 requestId);
    /// Only the NFT's owner, its approved address or an operator of the owner may claim.
    error NotOwnerOrApproved(uint256 requestId, address caller);
    /// The checkpoint hint does not cover the request.
    error InvalidHint(uint256 requestId, uint256 hint);
    /// Ether cannot be claimed to the zero address.
    error InvalidRecipient(address recipient);
    /// The recipient rejected the ether; nothing was claimed.
    error EtherTransferFailed(address recipient, uint256 amount);
    /// `ids` and `hints` differ in length.
    error ArrayLengthMismatch(uint256 ids, uint256 hints);
    /// `prefinalize` batches must be non-empty, increasing and unfinalized.
    error InvalidBatches();
    /// Bounds need 0 < min, 2 min <= max, min < 2^48 wei, max a whole number of gwei below 2^48 gwei.
    error InvalidRequestBounds(uint256 min, uint256 max);
    /// A zero address where a contract is required (also: the pool names no wrapped token yet,
    /// for the wrapped-token requests).
    error InvalidAddress();
    /// ERC-721 (EIP-6093): the zero address owns nothing.
    error ERC721InvalidOwner(address owner);
    /// ERC-721: no such token (never minted, or claimed and burned).
    error ERC721NonexistentToken(uint256 tokenId);
    /// ERC-721: `from` is not the owner.
    error ERC721IncorrectOwner(address sender, uint256 tokenId, address owner);
    /// ERC-721: the zero address, or a contract that did not accept the token.
    error ERC721InvalidReceiver(address receiver);
    /// ERC-721: the caller may not move this token.
    error ERC721InsufficientApproval(address operator, uint256 tokenId);
    /// ERC-721: the caller may not approve for this token.
    error ERC721InvalidApprover(address approver);
    /// ERC-721: the zero address cannot be an operator.
    error ERC721InvalidOperator(address operator);
    /// The AccessManager refused `caller` for `role`; `reason` is its revert data.
    error AccessDenied(address caller, bytes32 role, bytes reason);
    /// `finalize` and `setBunkerMode` are the pool's alone (finalization only comes with an oracle report).
    error NotPool(address caller);
    /// The constructor already ran (the SDK's constructor guard word is set).
    error AlreadyInitialized();
    /// The extension (constructor or upgradeExtension) does not answer extensionId() with the queue's extension id.
    error InvalidExtension(address extension);
    /// The queue is not initialized yet.
    error NotInitialized();
    /// An amount does not fit the packed storage or an intermediate overflowed.
    error MathOverflow();
    /// A guarded function was re-entered (a second layer: the SDK entrypoint already rejects a call back into the queue while it is on the stack, with empty data).
    error ReentrantCall();
}

/// How the queue is deployed: in one transaction through the StylusDeployer (`cargo stylus
/// deploy --constructor-args`), which calls the new program with
/// `bytes.concat(bytes4(keccak256("stylus_constructor()")), abi.encode(pool, accessManager, extension))`.
/// It runs once (`AlreadyInitialized` after) and sets Lido's defaults: requests of 100 wei to
/// 1,000 ether, 7,680 s before a request can be finalized. `extension` must answer
/// `extensionId()` (`InvalidExtension`); no address may be zero (`InvalidAddress`).
abstract contract WithdrawalQueueDeployment {
    constructor(address pool, address accessManager, address extension) {}
}
