// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IArbBridge, IArbOutbox, IArbInbox, IBeaconDepositContract} from "./IArbitrumBridge.sol";

/// @title The protocol's L1 staking vault
/// @notice The only EVM code of the protocol, on Ethereum. It receives validator batches from
///         the L2 pool through Arbitrum's canonical bridge, deposits them to the beacon deposit
///         contract under a fresh guardian quorum, is the validators' withdrawal credentials and
///         fee recipient, and bridges its free balance back to the L2 pool by retryable ticket.
/// @dev Flows and trust model: `contracts/l1-vault/README.md` and `docs/design/l1-leg.md`.
///
///      Authentication of L2 messages: Arbitrum's Outbox executes a message by calling
///      `Bridge.executeCall`, and the Bridge calls the destination; so a message from L2 arrives
///      with `msg.sender == BRIDGE`, and its L2 sender is
///      `IArbOutbox(IArbBridge(BRIDGE).activeOutbox()).l2ToL1Sender()`. Batches are accepted
///      only from `L2_POOL`, configuration only from `L2_GOVERNANCE`.
///
///      Ether: `address(this).balance` = `pendingEther` (batches received, not yet deposited or
///      cancelled) + the free balance (validator withdrawals and skims, execution-layer rewards,
///      cancelled batches), which `bridgeToL2` sends to the pool. `pendingEther` is never spent
///      by anything but its batch's deposit, so `balance >= pendingEther` always holds.
///
///      Storage (slots in declaration order; immutables live in the code):
///      - slot 0: `pendingEther` (uint128) | `bridgedToL2` (uint128);
///      - slot 1: `batchCount` (uint64) | `nonce` (uint64) | `resumedAt` (uint64) |
///                `quorum` (uint8) | `paused` (bool);
///      - slot 2: `_bridge.maxSubmissionCost` (uint128) | `_bridge.gasLimit` (uint64);
///      - slot 3: `_bridge.maxFeePerGas` (uint128) | `_bridge.minAmount` (uint128);
///      - slot 4: `_guardians` (address[]); slot 5: `isGuardian`; slot 6: `_batches`;
///      - slot 7: `maxExitFee` (uint128);
///      - transient slot 0: the reentrancy lock.
///
///      Exits (issue 18, `docs/design/exits.md`): the vault is the validators' withdrawal
///      credentials address, so it alone can ask the consensus layer to exit them through
///      EIP-7002's predeploy; `triggerExits` does, on an L2 message from the pool or governance,
///      paying each request's fee from the free balance, at most `maxExitFee` a request.
contract StakingVault {
    // ------------------------------------------------------------------ types

    /// @notice A batch's life: `None` (no such batch), `Pending` (its ether waits in the vault),
    ///         `Deposited` (its keys went to the beacon deposit contract), `Cancelled` (its
    ///         ether was freed, to be bridged back to L2).
    enum Status {
        None,
        Pending,
        Deposited,
        Cancelled
    }

    /// @notice A batch of validator keys sent by the L2 pool.
    /// @param commitment `keccak256(dataRoot_0 ‖ … ‖ dataRoot_{keys-1})` of its keys' deposit
    ///        data roots, computed with the vault's credentials and 32 ether each.
    /// @param keys Its number of keys (its ether is `keys * 32 ether`).
    /// @param status Where it is.
    struct Batch {
        bytes32 commitment;
        uint32 keys;
        Status status;
    }

    /// @notice The retryable ticket's bounds, set by L2 governance.
    /// @param maxSubmissionCost The most the ticket's submission fee may be (the Inbox's
    ///        `calculateRetryableSubmissionFee` at the current L1 base fee); above it
    ///        `bridgeToL2` reverts with `SubmissionCostTooHigh`.
    /// @param gasLimit The auto-redeem's L2 gas limit.
    /// @param maxFeePerGas The L2 gas price bid (the auto-redeem runs only when L2's base fee
    ///        is at most this; otherwise the ticket waits for anyone's redeem).
    /// @param minAmount The least ether one ticket carries; below it nothing is bridged.
    struct BridgeParams {
        uint128 maxSubmissionCost;
        uint64 gasLimit;
        uint128 maxFeePerGas;
        uint128 minAmount;
    }

    // ------------------------------------------------------------------ constants

    /// @notice One validator deposit.
    uint256 public constant DEPOSIT_SIZE = 32 ether;
    /// @notice The most keys one batch holds (a batch must be depositable in one transaction
    ///         under EIP-7825's gas cap of 2^24: about 60,000 gas a key).
    uint256 public constant MAX_BATCH_KEYS = 100;
    /// @notice The most guardians.
    uint256 public constant MAX_GUARDIANS = 32;
    /// @notice How many L1 blocks an attestation stays usable: `blockhash`'s reach.
    uint256 public constant ATTESTATION_MAX_AGE = 256;
    /// @notice How many L1 blocks a signed pause intent stays valid (one day of 12-second slots).
    uint256 public constant PAUSE_INTENT_VALIDITY = 7200;
    /// @notice The least L2 gas limit a ticket may be given.
    uint256 public constant MIN_L2_GAS_LIMIT = 21_000;
    /// @notice The length of the ticket's L2 calldata: none, the pool takes the ether in its
    ///         `receive` and counts it when it comes from `L2_ALIAS`.
    uint256 public constant L2_CALLDATA_LENGTH = 0;
    /// @dev Arbitrum's L1-to-L2 alias offset: an L1 contract's messages run on L2 from its
    ///      address plus this, modulo 2^160.
    uint160 private constant ALIAS_OFFSET = uint160(0x1111000000000000000000000000000000001111);
    /// @dev Half the secp256k1 order: the largest `s` accepted (EIP-2).
    uint256 private constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    /// @notice EIP-7002's withdrawal-request predeploy (Prague): the vault's exit requests go
    ///         there, with the vault as their source.
    address public constant WITHDRAWAL_REQUEST_PREDEPLOY = 0x00000961Ef480Eb55e80D19ad83579A64c007002;
    /// @notice A validator's BLS public key length in bytes.
    uint256 public constant PUBKEY_LENGTH = 48;
    /// @notice The most validators one `triggerExits` names (bounds the message's gas).
    uint256 public constant MAX_EXITS_PER_MESSAGE = 100;
    /// @notice The highest `maxExitFee` governance may set: 1 ether a request.
    uint256 public constant MAX_EXIT_FEE_CAP = 1 ether;
    /// @notice `maxExitFee` at deployment: 0.01 ether a request. The predeploy's fee is 1 wei
    ///         when requests stay at its target of 2 a block and grows exponentially above it
    ///         (`fake_exponential(1, excess, 17)`); a congested block's fee waits for the next.
    uint256 public constant DEFAULT_MAX_EXIT_FEE = 0.01 ether;
    /// @dev 32 ether in gwei (32e9) as 8 little-endian bytes, then 24 zero bytes: the amount's
    ///      SSZ chunk in a deposit data root.
    bytes32 private constant AMOUNT_CHUNK = 0x0040597307000000000000000000000000000000000000000000000000000000;

    // ------------------------------------------------------------------ immutables

    /// @notice Arbitrum's Bridge (its proxy): the only caller of `receiveBatch` and of the
    ///         governance functions.
    address public immutable BRIDGE;
    /// @notice Arbitrum's Inbox (its proxy), which delivers to `BRIDGE`: where tickets go.
    address public immutable INBOX;
    /// @notice The beacon chain deposit contract.
    address public immutable DEPOSIT_CONTRACT;
    /// @notice The L2 staking pool: the only L2 sender of batches, the destination of tickets.
    address public immutable L2_POOL;
    /// @notice L2 governance: the only L2 sender of configuration.
    address public immutable L2_GOVERNANCE;
    /// @notice This vault's alias on L2 (`address(this) + 0x1111…1111`): the sender of its
    ///         tickets there, the only address the pool counts L1 ether from, and the tickets'
    ///         beneficiary.
    address public immutable L2_ALIAS;
    /// @notice The validators' withdrawal credentials: `0x01` (or `0x02` when compounding),
    ///         11 zero bytes, this vault's address.
    bytes32 public immutable WITHDRAWAL_CREDENTIALS;
    /// @notice `keccak256("sETH.L1Vault.ATTEST" ‖ chainId ‖ vault)`: binds attestations to this
    ///         chain and vault.
    bytes32 public immutable ATTEST_PREFIX;
    /// @notice `keccak256("sETH.L1Vault.PAUSE" ‖ chainId ‖ vault)`.
    bytes32 public immutable PAUSE_PREFIX;
    /// @notice `keccak256("sETH.L1Vault.CANCEL" ‖ chainId ‖ vault)`.
    bytes32 public immutable CANCEL_PREFIX;

    // ------------------------------------------------------------------ storage

    /// @notice Ether of the batches received and not yet deposited or cancelled, in wei.
    uint128 public pendingEther;
    /// @notice Cumulative ether sent to the L2 pool by `bridgeToL2`, in wei (the L2 report
    ///         carries it; the pool's own `receivedFromVault` trails it by what is in flight).
    uint128 public bridgedToL2;
    /// @notice Batches received so far; the next batch's id.
    uint64 public batchCount;
    /// @notice The deposit nonce: guardians sign it, every deposit increments it.
    uint64 public nonce;
    /// @notice The L1 block of the last resume: signed pauses must name a later block.
    uint64 public resumedAt;
    /// @notice Distinct guardian signatures a deposit or a cancellation needs.
    uint8 public quorum;
    /// @notice Whether `depositBatch` is paused.
    bool public paused;
    /// @dev The ticket's bounds.
    BridgeParams private _bridge;
    /// @dev The guardians, in the order governance set them.
    address[] private _guardians;
    /// @notice Whether an address is a guardian.
    mapping(address => bool) public isGuardian;
    /// @dev Batches by id (from 0).
    mapping(uint256 => Batch) private _batches;
    /// @notice The most `triggerExits` pays the predeploy for one request, in wei (set by L2
    ///         governance, `setMaxExitFee`).
    uint128 public maxExitFee = uint128(DEFAULT_MAX_EXIT_FEE);

    // ------------------------------------------------------------------ events

    /// @notice A batch arrived from the L2 pool.
    /// @param batchId Its id.
    /// @param commitment Its commitment to its keys' deposit data roots.
    /// @param keys Its number of keys.
    /// @param amount Its ether (`keys * 32 ether`).
    event BatchReceived(uint256 indexed batchId, bytes32 indexed commitment, uint256 keys, uint256 amount);
    /// @notice A batch's keys were deposited to the beacon deposit contract.
    /// @param batchId The batch.
    /// @param keys Its number of keys.
    /// @param depositRoot The deposit contract's root the guardians attested (before the deposit).
    /// @param nonce The nonce the guardians signed (the stored nonce is now `nonce + 1`).
    event BatchDeposited(uint256 indexed batchId, uint256 keys, bytes32 depositRoot, uint256 nonce);
    /// @notice A pending batch was cancelled; its ether is free to go back to L2.
    /// @param batchId The batch.
    /// @param amount Its ether, freed.
    /// @param byGovernance Whether L2 governance cancelled it (else a guardian quorum).
    event BatchCancelled(uint256 indexed batchId, uint256 amount, bool byGovernance);
    /// @notice L2 governance sent ether stranded at `L2_ALIAS` on L2 (the call value of an
    ///         expired ticket) to the pool; `bridgedToL2` counted it already.
    /// @param ticketId The Inbox's message number of the ticket.
    /// @param amount The ether the ticket takes from `L2_ALIAS` to the pool.
    /// @param fee The ticket's fees, paid from the vault's free balance.
    event L2AliasRecovered(uint256 indexed ticketId, uint256 amount, uint256 fee);
    /// @notice Free ether left for the L2 pool by retryable ticket.
    /// @param ticketId The Inbox's message number of the ticket.
    /// @param amount The ether the ticket carries to the pool.
    /// @param total `bridgedToL2` after it.
    /// @param fee The ticket's fees (submission cost and L2 gas), paid from the vault's balance.
    event BridgedToL2(uint256 indexed ticketId, uint256 amount, uint256 total, uint256 fee);
    /// @notice Deposits were paused by a guardian.
    /// @param guardian The guardian.
    /// @param blockNumber The block its signed intent names (the current block when it called).
    event Paused(address indexed guardian, uint256 blockNumber);
    /// @notice L2 governance resumed deposits.
    /// @param blockNumber The L1 block of the resume: signed pauses must name a later block.
    event Resumed(uint256 blockNumber);
    /// @notice The guardian set and quorum were set (at construction or by L2 governance).
    /// @param guardians The new guardians.
    /// @param quorum The new quorum.
    event GuardiansSet(address[] guardians, uint256 quorum);
    /// @notice The retryable ticket's bounds were set (at construction or by L2 governance).
    /// @param maxSubmissionCost The most a ticket's submission fee may be.
    /// @param gasLimit The auto-redeem's L2 gas limit.
    /// @param maxFeePerGas The L2 gas price bid.
    /// @param minAmount The least ether a ticket carries.
    event BridgeParamsSet(uint256 maxSubmissionCost, uint256 gasLimit, uint256 maxFeePerGas, uint256 minAmount);
    /// @notice An exit requested from EIP-7002's predeploy for a validator of the vault.
    /// @param pubkey The validator's public key (48 bytes).
    /// @param fee The fee paid, in wei.
    event ExitRequested(bytes pubkey, uint256 fee);
    /// @notice L2 governance set the most one exit request may cost.
    event MaxExitFeeSet(uint256 maxExitFee);

    // ------------------------------------------------------------------ errors

    /// @notice A constructor address is zero.
    error ZeroAddress();
    /// @notice The Inbox delivers to another Bridge than the one given.
    /// @param inboxBridge The Inbox's `bridge()`.
    /// @param bridge The Bridge given.
    error InboxBridgeMismatch(address inboxBridge, address bridge);
    /// @notice An L2 message was expected, and the caller is not the Bridge (or no Outbox is
    ///         executing one).
    /// @param caller The caller.
    error NotBridge(address caller);
    /// @notice The L2 message comes from another L2 sender.
    /// @param l2Sender The Outbox's `l2ToL1Sender()`.
    /// @param expected The sender this function accepts.
    error WrongL2Sender(address l2Sender, address expected);
    /// @notice A batch's key count is 0 or above `MAX_BATCH_KEYS`.
    /// @param keys The count.
    error InvalidKeyCount(uint256 keys);
    /// @notice A batch's ether is not `keys * 32 ether`.
    /// @param expected `keys * 32 ether`.
    /// @param actual `msg.value`.
    error WrongBatchValue(uint256 expected, uint256 actual);
    /// @notice A batch's commitment is zero.
    error ZeroCommitment();
    /// @notice `depositBatch` while paused.
    error DepositsPaused();
    /// @notice The batch is not `Pending` (never received, deposited or cancelled).
    /// @param batchId The batch.
    /// @param status Its status.
    error BatchNotPending(uint256 batchId, Status status);
    /// @notice The keys' data is not 48 bytes of pubkey and 96 of signature per key.
    /// @param keys The batch's keys.
    /// @param pubkeysLength The pubkeys' length.
    /// @param signaturesLength The signatures' length.
    error WrongKeyDataLength(uint256 keys, uint256 pubkeysLength, uint256 signaturesLength);
    /// @notice The attested deposit root is not the deposit contract's current one (a deposit
    ///         landed since the guardians signed: maybe a front-run).
    /// @param attested The root the guardians signed.
    /// @param current The deposit contract's root now.
    error StaleDepositRoot(bytes32 attested, bytes32 current);
    /// @notice The attestation's block is not one of the last `ATTESTATION_MAX_AGE` blocks.
    /// @param blockNumber The attested block.
    /// @param current The current block.
    error StaleAttestation(uint256 blockNumber, uint256 current);
    /// @notice The attested block hash is not the block's.
    /// @param blockNumber The attested block.
    /// @param blockHash The attested hash.
    error InvalidBlockHash(uint256 blockNumber, bytes32 blockHash);
    /// @notice The guardian signatures are not a whole number of 65-byte signatures (or a
    ///         pause signature is not 65 bytes).
    /// @param length Their length.
    error InvalidSignatureLength(uint256 length);
    /// @notice Fewer signatures than the quorum.
    /// @param given Signatures given.
    /// @param quorum The quorum.
    error NotEnoughSignatures(uint256 given, uint256 quorum);
    /// @notice Signature `index` is malformed: `v` not 27 or 28, `s` in the upper half of the
    ///         curve order, or no signer recovered.
    /// @param index Its position.
    error InvalidSignature(uint256 index);
    /// @notice Signature `index`'s signer is not above the previous one (signers must be
    ///         strictly ascending: no guardian counts twice).
    /// @param index Its position.
    /// @param signer Its signer.
    /// @param previous The previous signer.
    error SignersNotAscending(uint256 index, address signer, address previous);
    /// @notice The signer or caller is not a guardian.
    /// @param account The account.
    error NotGuardian(address account);
    /// @notice The recomputed commitment of the given keys is not the batch's.
    /// @param computed The commitment of the data given.
    /// @param committed The batch's commitment.
    error CommitmentMismatch(bytes32 computed, bytes32 committed);
    /// @notice `pause` while paused.
    error AlreadyPaused();
    /// @notice `resume` while not paused.
    error NotPaused();
    /// @notice A signed pause names a future block or one older than `PAUSE_INTENT_VALIDITY`.
    /// @param blockNumber The block it names.
    /// @param current The current block.
    error StalePauseIntent(uint256 blockNumber, uint256 current);
    /// @notice A signed pause names a block at or before the last resume (a replay).
    /// @param blockNumber The block it names.
    /// @param resumedAt The block of the last resume.
    error PauseIntentBeforeResume(uint256 blockNumber, uint256 resumedAt);
    /// @notice A guardian set that is empty, too large, holds zero or a duplicate, or a quorum
    ///         not in `1..=guardians`.
    /// @param guardians The set's size.
    /// @param quorum The quorum.
    error InvalidGuardians(uint256 guardians, uint256 quorum);
    /// @notice Bridge parameters out of range (a zero submission cost, a gas limit under
    ///         `MIN_L2_GAS_LIMIT`, a gas price of 0 or 1: 1 is the Inbox's magic value).
    error InvalidBridgeParams();
    /// @notice The ticket's submission fee is above `maxSubmissionCost` (the L1 base fee is high).
    /// @param cost The fee now.
    /// @param max The bound.
    error SubmissionCostTooHigh(uint256 cost, uint256 max);
    /// @notice The free balance, after the ticket's fees, is zero or below `minAmount`.
    /// @param amount What would be bridged.
    /// @param minimum `minAmount`.
    error BelowMinimum(uint256 amount, uint256 minimum);
    /// @notice `recoverFromL2Alias` of zero.
    error ZeroAmount();
    /// @notice The free balance cannot pay a ticket's fees.
    /// @param free `balance - pendingEther`.
    /// @param fee The fees.
    error InsufficientFreeBalance(uint256 free, uint256 fee);
    /// @notice A guarded function was entered again during its own execution.
    error Reentrancy();
    /// @notice `triggerExits` takes 1 to `MAX_EXITS_PER_MESSAGE` public keys of 48 bytes.
    error InvalidPubkeysLength(uint256 length);
    /// @notice The predeploy's fee is above `maxExitFee` (the message can be executed again
    ///         later, when the fee fell or governance raised the bound).
    error ExitFeeTooHigh(uint256 fee, uint256 max);
    /// @notice The predeploy did not answer its fee (not deployed, or before the fork).
    error ExitFeeUnavailable();
    /// @notice The predeploy refused the request at `index`.
    error ExitRequestFailed(uint256 index);
    /// @notice `setMaxExitFee` above `MAX_EXIT_FEE_CAP`.
    error InvalidMaxExitFee(uint256 maxExitFee);

    // ------------------------------------------------------------------ modifiers

    /// @dev A transient-storage lock (EIP-1153, transient slot 0): a second entry into any
    ///      guarded function within one transaction's call reverts with `Reentrancy()`.
    modifier nonReentrant() {
        bool locked;
        assembly ("memory-safe") {
            locked := tload(0)
        }
        if (locked) revert Reentrancy();
        assembly ("memory-safe") {
            tstore(0, 1)
        }
        _;
        assembly ("memory-safe") {
            tstore(0, 0)
        }
    }

    /// @dev Only an L2-to-L1 message from `l2Sender` executed by Arbitrum's Outbox.
    /// @param l2Sender The L2 sender accepted.
    modifier onlyFromL2(address l2Sender) {
        _checkL2Sender(l2Sender);
        _;
    }

    // ------------------------------------------------------------------ construction

    /// @notice Deploys the vault.
    /// @param bridge Arbitrum's Bridge.
    /// @param inbox Arbitrum's Inbox (must deliver to `bridge`).
    /// @param depositContract The beacon chain deposit contract.
    /// @param l2Pool The L2 staking pool.
    /// @param l2Governance L2 governance (the account that sends configuration messages).
    /// @param guardians The first guardians.
    /// @param initialQuorum The first quorum.
    /// @param compounding `0x02` (compounding) withdrawal credentials when true, else `0x01`.
    /// @param initialBridgeParams The first ticket bounds.
    /// @dev Reverts with `ZeroAddress`, `InboxBridgeMismatch`, `InvalidGuardians`,
    ///      `InvalidBridgeParams`. Emits `GuardiansSet` and `BridgeParamsSet`.
    constructor(
        address bridge,
        address inbox,
        address depositContract,
        address l2Pool,
        address l2Governance,
        address[] memory guardians,
        uint256 initialQuorum,
        bool compounding,
        BridgeParams memory initialBridgeParams
    ) {
        if (
            bridge == address(0) || inbox == address(0) || depositContract == address(0) || l2Pool == address(0)
                || l2Governance == address(0)
        ) revert ZeroAddress();
        address inboxBridge = IArbInbox(inbox).bridge();
        if (inboxBridge != bridge) revert InboxBridgeMismatch(inboxBridge, bridge);
        BRIDGE = bridge;
        INBOX = inbox;
        DEPOSIT_CONTRACT = depositContract;
        L2_POOL = l2Pool;
        L2_GOVERNANCE = l2Governance;
        unchecked {
            L2_ALIAS = address(uint160(address(this)) + ALIAS_OFFSET);
        }
        WITHDRAWAL_CREDENTIALS = bytes32((compounding ? uint256(0x02) : uint256(0x01)) << 248 | uint256(uint160(address(this))));
        ATTEST_PREFIX = keccak256(abi.encodePacked("sETH.L1Vault.ATTEST", block.chainid, address(this)));
        PAUSE_PREFIX = keccak256(abi.encodePacked("sETH.L1Vault.PAUSE", block.chainid, address(this)));
        CANCEL_PREFIX = keccak256(abi.encodePacked("sETH.L1Vault.CANCEL", block.chainid, address(this)));
        _setGuardians(guardians, initialQuorum);
        _setBridgeParams(initialBridgeParams);
    }

    /// @notice Plain ether: validator withdrawals and skims (credited by the consensus layer
    ///         with no call, as are priority fees to a fee recipient), MEV payments and donations.
    ///         It joins the free balance, which `bridgeToL2` sends to the pool. No event: nothing
    ///         in storage changes (withdrawals and fee credits cannot emit one either). Ether
    ///         from anyone (an L2 `withdrawEth` to the vault included) counts as rewards.
    receive() external payable {}

    // ------------------------------------------------------------------ batches

    /// @notice Takes a batch from the L2 pool: its ether waits as `pendingEther` until the batch
    ///         is deposited or cancelled.
    /// @param commitment `keccak256(dataRoot_0 ‖ … ‖ dataRoot_{keys-1})` of the keys' deposit
    ///        data roots, with this vault's credentials and 32 ether each.
    /// @param keys The number of keys, `1..=MAX_BATCH_KEYS`.
    /// @return batchId The new batch's id.
    /// @dev Access: an L2-to-L1 message from `L2_POOL` executed by the Outbox (`NotBridge`,
    ///      `WrongL2Sender`). Reverts with `InvalidKeyCount`, `WrongBatchValue`, `ZeroCommitment`.
    ///      A message the vault refuses reverts the Outbox's execution and stays unspent.
    ///      Emits `BatchReceived`.
    function receiveBatch(bytes32 commitment, uint256 keys)
        external
        payable
        nonReentrant
        onlyFromL2(L2_POOL)
        returns (uint256 batchId)
    {
        if (keys == 0 || keys > MAX_BATCH_KEYS) revert InvalidKeyCount(keys);
        uint256 amount = keys * DEPOSIT_SIZE;
        if (msg.value != amount) revert WrongBatchValue(amount, msg.value);
        if (commitment == bytes32(0)) revert ZeroCommitment();
        batchId = batchCount;
        batchCount = uint64(batchId + 1);
        _batches[batchId] = Batch({commitment: commitment, keys: uint32(keys), status: Status.Pending});
        pendingEther += uint128(amount);
        emit BatchReceived(batchId, commitment, keys, amount);
    }

    /// @notice Deposits a pending batch's keys to the beacon deposit contract, 32 ether each,
    ///         under a guardian quorum's attestation of the deposit contract's current root and
    ///         of this batch.
    /// @param batchId The batch.
    /// @param pubkeys Its keys' BLS public keys, 48 bytes each, in the committed order.
    /// @param signatures Its keys' BLS deposit signatures, 96 bytes each, in the same order.
    /// @param blockNumber The L1 block the guardians attested at (one of the last 256).
    /// @param blockHash That block's hash.
    /// @param depositRoot The deposit contract's root the guardians saw: must still be current.
    /// @param guardianSignatures At least `quorum` 65-byte `r ‖ s ‖ v` signatures (low `s`)
    ///        over `attestDigest(blockNumber, blockHash, depositRoot, nonce, batchId, commitment)`
    ///        (the batch's commitment), signers ascending.
    /// @dev Access: anyone (a keeper). Checks, in order: not paused (`DepositsPaused`), the
    ///      batch pending (`BatchNotPending`), the data's lengths (`WrongKeyDataLength`), the root
    ///      current (`StaleDepositRoot`), the block recent (`StaleAttestation`) with that hash
    ///      (`InvalidBlockHash`), the quorum (`InvalidSignatureLength`, `NotEnoughSignatures`,
    ///      `InvalidSignature`, `SignersNotAscending`, `NotGuardian`), the recomputed roots'
    ///      commitment (`CommitmentMismatch`). Then the batch is `Deposited`, its ether leaves
    ///      `pendingEther`, the nonce moves on, and the deposits are made (the deposit contract
    ///      emits a `DepositEvent` per key). Emits `BatchDeposited`. Guarded against reentrancy.
    ///      The attestation names the batch (its id and commitment) as well as the deposit
    ///      contract's root: the guardians, not the keeper, choose which batch a quorum deposits.
    function depositBatch(
        uint256 batchId,
        bytes calldata pubkeys,
        bytes calldata signatures,
        uint256 blockNumber,
        bytes32 blockHash,
        bytes32 depositRoot,
        bytes calldata guardianSignatures
    ) external nonReentrant {
        if (paused) revert DepositsPaused();
        Batch storage batch = _pendingBatch(batchId);
        bytes32[] memory roots;
        {
            uint256 keys = batch.keys;
            if (pubkeys.length != keys * 48 || signatures.length != keys * 96) {
                revert WrongKeyDataLength(keys, pubkeys.length, signatures.length);
            }
            _checkAttestation(batchId, blockNumber, blockHash, depositRoot, guardianSignatures);
            roots = _dataRoots(pubkeys, signatures, keys);
        }
        _checkCommitment(roots, batch.commitment);
        _markDeposited(batch, batchId, depositRoot);
        _deposit(pubkeys, signatures, roots);
    }

    /// @notice Cancels a pending batch under a guardian quorum (its keys were front-run, or
    ///         cannot be deposited): it is never deposited, and its ether joins the free balance,
    ///         which `bridgeToL2` sends back to the pool.
    /// @param batchId The batch.
    /// @param guardianSignatures At least `quorum` signatures over `cancelDigest(batchId,
    ///        commitment)`, signers ascending (as for `depositBatch`).
    /// @dev Access: anyone relaying the quorum. Reverts with `BatchNotPending` and the quorum's
    ///      errors. A cancelled batch cannot come back, so the signatures cannot be replayed.
    ///      Works while paused. Emits `BatchCancelled(batchId, amount, false)`.
    function cancelBatch(uint256 batchId, bytes calldata guardianSignatures) external nonReentrant {
        Batch storage batch = _pendingBatch(batchId);
        _checkQuorum(cancelDigest(batchId, batch.commitment), guardianSignatures);
        _cancel(batch, batchId, false);
    }

    /// @notice Cancels a pending batch by L2 governance (when the guardians cannot).
    /// @param batchId The batch.
    /// @dev Access: an L2-to-L1 message from `L2_GOVERNANCE` (`NotBridge`, `WrongL2Sender`).
    ///      Reverts with `BatchNotPending`. Emits `BatchCancelled(batchId, amount, true)`.
    function cancelBatchByGovernance(uint256 batchId) external nonReentrant onlyFromL2(L2_GOVERNANCE) {
        Batch storage batch = _pendingBatch(batchId);
        _cancel(batch, batchId, true);
    }

    // ------------------------------------------------------------------ back to L2

    /// @notice Sends the free balance to the L2 pool by retryable ticket: the ticket pays the
    ///         ether to the pool with no calldata (its `receive`), from `L2_ALIAS`.
    /// @return ticketId The Inbox's message number of the ticket.
    /// @dev Access: anyone. The fees come from the vault's balance: the Inbox's submission fee
    ///      at the current L1 base fee (at most `maxSubmissionCost`, else
    ///      `SubmissionCostTooHigh`) and `gasLimit * maxFeePerGas` of L2 gas. The amount is
    ///      `balance - pendingEther - fees`; zero or below `minAmount` reverts (`BelowMinimum`),
    ///      which bounds the fees per bridged ether. `bridgedToL2` grows by the amount before
    ///      the call. Refund addresses (see the README):
    ///      - unused fees go to `L2_POOL`, a plain transfer: unaccounted balance there, never
    ///        under the pool's counter (they were never in `bridgedToL2`);
    ///      - the beneficiary is the vault itself, which the Inbox aliases to `L2_ALIAS`: the
    ///        only account that could cancel the ticket is one only this vault's messages act
    ///        as, and it sends none that cancel, so nobody can divert a ticket; anyone can
    ///        redeem it for seven days after a failed auto-redeem, and keep it alive. If it
    ///        expires anyway its ether lands at `L2_ALIAS`, still counted as in flight
    ///        (`bridgedToL2 - receivedFromL1Vault`), until L2 governance sends it on with
    ///        `recoverFromL2Alias`. Emits `BridgedToL2`. Guarded.
    function bridgeToL2() external nonReentrant returns (uint256 ticketId) {
        BridgeParams memory p = _bridge;
        (uint256 submissionCost, uint256 fee) = _ticketFee(p);
        if (submissionCost > p.maxSubmissionCost) revert SubmissionCostTooHigh(submissionCost, p.maxSubmissionCost);
        uint256 reserved = uint256(pendingEther) + fee;
        uint256 balance = address(this).balance;
        uint256 amount = balance > reserved ? balance - reserved : 0;
        if (amount == 0 || amount < p.minAmount) revert BelowMinimum(amount, p.minAmount);
        uint256 total = uint256(bridgedToL2) + amount;
        bridgedToL2 = uint128(total);
        ticketId = IArbInbox(INBOX).createRetryableTicket{value: amount + fee}(
            L2_POOL, amount, submissionCost, L2_POOL, address(this), p.gasLimit, p.maxFeePerGas, ""
        );
        emit BridgedToL2(ticketId, amount, total, fee);
    }

    /// @notice Sends `amount` of the ether at `L2_ALIAS` on L2 (the call value of an expired
    ///         ticket) to the pool: a ticket whose deposit pays only its fees and whose call
    ///         value comes from `L2_ALIAS`'s L2 balance (`unsafeCreateRetryableTicket`).
    /// @param amount The ether to move, as governance read it on L2 (only expired tickets'
    ///        value: anything else sent to the alias would count as received and never bridged).
    /// @return ticketId The Inbox's message number of the ticket.
    /// @dev Access: an L2-to-L1 message from `L2_GOVERNANCE`. Reverts with `ZeroAmount`,
    ///      `SubmissionCostTooHigh`, `InsufficientFreeBalance`. `bridgedToL2` does not move (it
    ///      counted the ether when the expired ticket left). Refunds as for `bridgeToL2`, the
    ///      beneficiary given already aliased (the unsafe entry point does not alias). If
    ///      `L2_ALIAS` holds less than `amount` when the ticket runs, its submission fails on L2
    ///      and its deposit stays at the alias. Emits `L2AliasRecovered`. Guarded.
    function recoverFromL2Alias(uint256 amount) external nonReentrant onlyFromL2(L2_GOVERNANCE) returns (uint256 ticketId) {
        if (amount == 0) revert ZeroAmount();
        BridgeParams memory p = _bridge;
        (uint256 submissionCost, uint256 fee) = _ticketFee(p);
        if (submissionCost > p.maxSubmissionCost) revert SubmissionCostTooHigh(submissionCost, p.maxSubmissionCost);
        uint256 free = address(this).balance - pendingEther;
        if (free < fee) revert InsufficientFreeBalance(free, fee);
        ticketId = IArbInbox(INBOX).unsafeCreateRetryableTicket{value: fee}(
            L2_POOL, amount, submissionCost, L2_POOL, L2_ALIAS, p.gasLimit, p.maxFeePerGas, ""
        );
        emit L2AliasRecovered(ticketId, amount, fee);
    }

    // ------------------------------------------------------------------ pause

    /// @notice Pauses `depositBatch` (nothing else): sent by a guardian (`signature` empty,
    ///         `blockNumber` ignored), or relayed by anyone with a guardian's 65-byte signature
    ///         over `pauseDigest(blockNumber)`.
    /// @param blockNumber The L1 block the guardian's intent names (a relayed pause only).
    /// @param signature The guardian's signature, or empty when a guardian sends it.
    /// @dev A relayed intent must name a block at most `PAUSE_INTENT_VALIDITY` old, not in the
    ///      future (`StalePauseIntent`), and strictly after the last resume
    ///      (`PauseIntentBeforeResume`): so a signature pauses at most once, and its replay
    ///      after L2 governance resumed is refused (audits F-13.2). Reverts with `AlreadyPaused`,
    ///      `InvalidSignatureLength`, `InvalidSignature`, `NotGuardian`. Emits `Paused`.
    function pause(uint256 blockNumber, bytes calldata signature) external {
        if (paused) revert AlreadyPaused();
        address guardian;
        if (signature.length == 0) {
            guardian = msg.sender;
            blockNumber = block.number;
        } else {
            if (blockNumber > block.number || block.number - blockNumber > PAUSE_INTENT_VALIDITY) {
                revert StalePauseIntent(blockNumber, block.number);
            }
            if (blockNumber <= resumedAt) revert PauseIntentBeforeResume(blockNumber, resumedAt);
            if (signature.length != 65) revert InvalidSignatureLength(signature.length);
            guardian = _recover(pauseDigest(blockNumber), signature, 0);
        }
        if (!isGuardian[guardian]) revert NotGuardian(guardian);
        paused = true;
        emit Paused(guardian, blockNumber);
    }

    // ------------------------------------------------------------------ L2 governance

    /// @notice Resumes deposits and records the block: pause intents naming it or an earlier
    ///         block are refused from now on.
    /// @dev Access: an L2-to-L1 message from `L2_GOVERNANCE`. Reverts with `NotPaused`.
    ///      Emits `Resumed`.
    function resume() external onlyFromL2(L2_GOVERNANCE) {
        if (!paused) revert NotPaused();
        paused = false;
        resumedAt = uint64(block.number);
        emit Resumed(block.number);
    }

    /// @notice Replaces the guardian set and the quorum.
    /// @param guardians The new guardians (1 to `MAX_GUARDIANS`, distinct, non-zero).
    /// @param newQuorum The new quorum, `1..=guardians.length`.
    /// @dev Access: an L2-to-L1 message from `L2_GOVERNANCE`. Reverts with `InvalidGuardians`.
    ///      Signatures of removed guardians stop counting at once. Emits `GuardiansSet`.
    function setGuardians(address[] calldata guardians, uint256 newQuorum) external onlyFromL2(L2_GOVERNANCE) {
        _setGuardians(guardians, newQuorum);
    }

    /// @notice Sets the retryable ticket's bounds.
    /// @param params The new bounds.
    /// @dev Access: an L2-to-L1 message from `L2_GOVERNANCE`. Reverts with
    ///      `InvalidBridgeParams`. Emits `BridgeParamsSet`.
    function setBridgeParams(BridgeParams calldata params) external onlyFromL2(L2_GOVERNANCE) {
        _setBridgeParams(params);
    }

    // ------------------------------------------------------------------ exits

    /// @notice Requests the full exit of the vault's validators `pubkeys` from EIP-7002's
    ///         predeploy, one request each with the vault as source: the consensus layer
    ///         accepts them because the vault is their withdrawal credentials' address. The
    ///         forced exit of an operator that ignored the committee's exit requests
    ///         (`docs/design/exits.md`), or governance's.
    /// @param pubkeys 1 to `MAX_EXITS_PER_MESSAGE` public keys, 48 bytes each, concatenated.
    /// @dev Access: an L2-to-L1 message from `L2_POOL` or `L2_GOVERNANCE` executed by the
    ///      Outbox (`NotBridge`, `WrongL2Sender`). Reads the predeploy's fee
    ///      (`ExitFeeUnavailable`), refuses it above `maxExitFee` (`ExitFeeTooHigh`: the message
    ///      stays executable, to be retried), pays exactly the fee per request (the predeploy
    ///      keeps any overpayment) out of the free balance (`InsufficientFreeBalance`; batches'
    ///      ether is never touched) and reverts the whole message if one request fails
    ///      (`ExitRequestFailed`). The fees leave the vault's free balance, which the next
    ///      report counts. A request for a validator that is not active, already exiting or
    ///      younger than the shard committee period is dropped by the consensus layer, its fee
    ///      lost. Emits `ExitRequested` per key. Guarded.
    function triggerExits(bytes calldata pubkeys) external nonReentrant {
        address sender = _l2Sender();
        if (sender != L2_POOL && sender != L2_GOVERNANCE) revert WrongL2Sender(sender, L2_POOL);
        uint256 length = pubkeys.length;
        uint256 count = length / PUBKEY_LENGTH;
        if (count == 0 || length % PUBKEY_LENGTH != 0 || count > MAX_EXITS_PER_MESSAGE) {
            revert InvalidPubkeysLength(length);
        }
        uint256 fee = exitFee();
        uint256 max = maxExitFee;
        if (fee > max) revert ExitFeeTooHigh(fee, max);
        uint256 free = address(this).balance - pendingEther;
        if (fee * count > free) revert InsufficientFreeBalance(free, fee * count);
        for (uint256 i; i < count; ++i) {
            bytes calldata pubkey = pubkeys[i * PUBKEY_LENGTH:(i + 1) * PUBKEY_LENGTH];
            (bool ok,) = WITHDRAWAL_REQUEST_PREDEPLOY.call{value: fee}(abi.encodePacked(pubkey, uint64(0)));
            if (!ok) revert ExitRequestFailed(i);
            emit ExitRequested(pubkey, fee);
        }
    }

    /// @notice Sets the most one exit request may cost.
    /// @param newMaxExitFee Wei, at most `MAX_EXIT_FEE_CAP`.
    /// @dev Access: an L2-to-L1 message from `L2_GOVERNANCE`. Reverts with
    ///      `InvalidMaxExitFee`. Emits `MaxExitFeeSet`.
    function setMaxExitFee(uint256 newMaxExitFee) external onlyFromL2(L2_GOVERNANCE) {
        if (newMaxExitFee > MAX_EXIT_FEE_CAP) revert InvalidMaxExitFee(newMaxExitFee);
        maxExitFee = uint128(newMaxExitFee);
        emit MaxExitFeeSet(newMaxExitFee);
    }

    /// @notice The fee one exit request pays now: the predeploy's answer to an empty call.
    /// @return The fee in wei.
    /// @dev Reverts with `ExitFeeUnavailable` when the predeploy does not answer 32 bytes.
    function exitFee() public view returns (uint256) {
        (bool ok, bytes memory answer) = WITHDRAWAL_REQUEST_PREDEPLOY.staticcall("");
        if (!ok || answer.length != 32) revert ExitFeeUnavailable();
        return abi.decode(answer, (uint256));
    }

    // ------------------------------------------------------------------ views

    /// @notice The validators' withdrawal credentials (`WITHDRAWAL_CREDENTIALS`).
    /// @return The 32 bytes.
    function withdrawalCredentials() external view returns (bytes32) {
        return WITHDRAWAL_CREDENTIALS;
    }

    /// @notice A batch.
    /// @param batchId Its id.
    /// @return commitment Its commitment (zero for no batch).
    /// @return keys Its number of keys.
    /// @return status Its status (`None` for no batch).
    function getBatch(uint256 batchId) external view returns (bytes32 commitment, uint256 keys, Status status) {
        Batch storage b = _batches[batchId];
        return (b.commitment, b.keys, b.status);
    }

    /// @notice The free balance: what `bridgeToL2` would send before fees.
    /// @return `balance - pendingEther`.
    function freeBalance() external view returns (uint256) {
        return address(this).balance - pendingEther;
    }

    /// @notice A ticket's fees now, as `bridgeToL2` would pay them.
    /// @return submissionCost The Inbox's submission fee for the ticket's calldata at the
    ///         current L1 base fee (`bridgeToL2` refuses it above `maxSubmissionCost`).
    /// @return fee `submissionCost + gasLimit * maxFeePerGas`: what the ticket costs the vault.
    function ticketFee() external view returns (uint256 submissionCost, uint256 fee) {
        return _ticketFee(_bridge);
    }

    /// @notice The guardians.
    /// @return The list.
    function getGuardians() external view returns (address[] memory) {
        return _guardians;
    }

    /// @notice The retryable ticket's bounds.
    /// @return The bounds.
    function bridgeParams() external view returns (BridgeParams memory) {
        return _bridge;
    }

    /// @notice The digest guardians sign to attest a batch's deposit: `keccak256(ATTEST_PREFIX ‖
    ///         blockNumber ‖ blockHash ‖ depositRoot ‖ nonce ‖ batchId ‖ commitment)`.
    /// @param blockNumber The L1 block.
    /// @param blockHash Its hash.
    /// @param depositRoot The deposit contract's root at that block.
    /// @param attestedNonce The vault's nonce.
    /// @param batchId The batch to deposit.
    /// @param commitment Its commitment.
    /// @return The digest (signed raw, without the EIP-191 prefix).
    function attestDigest(
        uint256 blockNumber,
        bytes32 blockHash,
        bytes32 depositRoot,
        uint256 attestedNonce,
        uint256 batchId,
        bytes32 commitment
    ) public view returns (bytes32) {
        return keccak256(
            abi.encodePacked(ATTEST_PREFIX, blockNumber, blockHash, depositRoot, attestedNonce, batchId, commitment)
        );
    }

    /// @notice The digest a guardian signs to pause: `keccak256(PAUSE_PREFIX ‖ blockNumber)`.
    /// @param blockNumber The L1 block the intent names.
    /// @return The digest.
    function pauseDigest(uint256 blockNumber) public view returns (bytes32) {
        return keccak256(abi.encodePacked(PAUSE_PREFIX, blockNumber));
    }

    /// @notice The digest guardians sign to cancel a batch:
    ///         `keccak256(CANCEL_PREFIX ‖ batchId ‖ commitment)`.
    /// @param batchId The batch.
    /// @param commitment Its commitment.
    /// @return The digest.
    function cancelDigest(uint256 batchId, bytes32 commitment) public view returns (bytes32) {
        return keccak256(abi.encodePacked(CANCEL_PREFIX, batchId, commitment));
    }

    // ------------------------------------------------------------------ internals

    /// @dev Reverts unless this call is an L2-to-L1 message from `l2Sender`.
    function _checkL2Sender(address l2Sender) private view {
        address sender = _l2Sender();
        if (sender != l2Sender) revert WrongL2Sender(sender, l2Sender);
    }

    /// @dev The L2 sender of the L2-to-L1 message this call executes; reverts with `NotBridge`
    ///      unless the call is such a message (from the Bridge, with an active Outbox).
    function _l2Sender() private view returns (address) {
        if (msg.sender != BRIDGE) revert NotBridge(msg.sender);
        address outbox = IArbBridge(BRIDGE).activeOutbox();
        if (outbox == address(0)) revert NotBridge(msg.sender);
        return IArbOutbox(outbox).l2ToL1Sender();
    }

    /// @dev The batch `batchId`, which must be pending (`BatchNotPending`).
    function _pendingBatch(uint256 batchId) private view returns (Batch storage batch) {
        batch = _batches[batchId];
        Status status = batch.status;
        if (status != Status.Pending) revert BatchNotPending(batchId, status);
    }

    /// @dev `keccak256` of the concatenated roots must be the committed one (`CommitmentMismatch`).
    function _checkCommitment(bytes32[] memory roots, bytes32 committed) private pure {
        bytes32 computed;
        assembly ("memory-safe") {
            computed := keccak256(add(roots, 0x20), mul(mload(roots), 0x20))
        }
        if (computed != committed) revert CommitmentMismatch(computed, committed);
    }

    /// @dev The deposit's effects: the batch deposited, its ether out of `pendingEther`, the nonce on.
    function _markDeposited(Batch storage batch, uint256 batchId, bytes32 depositRoot) private {
        uint256 keys = batch.keys;
        uint256 attestedNonce = nonce;
        batch.status = Status.Deposited;
        pendingEther -= uint128(keys * DEPOSIT_SIZE);
        nonce = uint64(attestedNonce + 1);
        emit BatchDeposited(batchId, keys, depositRoot, attestedNonce);
    }

    /// @dev The attestation's checks (see `depositBatch`), for the current nonce and batch
    ///      `batchId` with its commitment.
    function _checkAttestation(
        uint256 batchId,
        uint256 blockNumber,
        bytes32 blockHash,
        bytes32 depositRoot,
        bytes calldata guardianSignatures
    ) private view {
        bytes32 current = IBeaconDepositContract(DEPOSIT_CONTRACT).get_deposit_root();
        if (current != depositRoot) revert StaleDepositRoot(depositRoot, current);
        if (blockNumber >= block.number || block.number - blockNumber > ATTESTATION_MAX_AGE) {
            revert StaleAttestation(blockNumber, block.number);
        }
        if (blockhash(blockNumber) != blockHash) revert InvalidBlockHash(blockNumber, blockHash);
        bytes32 digest =
            attestDigest(blockNumber, blockHash, depositRoot, nonce, batchId, _batches[batchId].commitment);
        _checkQuorum(digest, guardianSignatures);
    }

    /// @dev The deposit data roots of `keys` keys with the vault's credentials and 32 ether.
    function _dataRoots(bytes calldata pubkeys, bytes calldata signatures, uint256 keys)
        private
        view
        returns (bytes32[] memory roots)
    {
        bytes32 credentials = WITHDRAWAL_CREDENTIALS;
        roots = new bytes32[](keys);
        for (uint256 i; i < keys; ++i) {
            roots[i] = _depositDataRoot(pubkeys[i * 48:i * 48 + 48], signatures[i * 96:i * 96 + 96], credentials);
        }
    }

    /// @dev 32 ether per key to the deposit contract, with the recomputed roots.
    function _deposit(bytes calldata pubkeys, bytes calldata signatures, bytes32[] memory roots) private {
        bytes memory credentials = abi.encodePacked(WITHDRAWAL_CREDENTIALS);
        IBeaconDepositContract depositContract = IBeaconDepositContract(DEPOSIT_CONTRACT);
        for (uint256 i; i < roots.length; ++i) {
            depositContract.deposit{value: DEPOSIT_SIZE}(
                pubkeys[i * 48:i * 48 + 48], credentials, signatures[i * 96:i * 96 + 96], roots[i]
            );
        }
    }

    /// @dev A ticket's submission cost (the Inbox's, now) and total fee under the bounds `p`.
    function _ticketFee(BridgeParams memory p) private view returns (uint256 submissionCost, uint256 fee) {
        submissionCost = IArbInbox(INBOX).calculateRetryableSubmissionFee(L2_CALLDATA_LENGTH, 0);
        fee = submissionCost + uint256(p.gasLimit) * p.maxFeePerGas;
    }

    /// @dev Marks a pending batch cancelled and frees its ether.
    function _cancel(Batch storage batch, uint256 batchId, bool byGovernance) private {
        batch.status = Status.Cancelled;
        uint256 amount = uint256(batch.keys) * DEPOSIT_SIZE;
        pendingEther -= uint128(amount);
        emit BatchCancelled(batchId, amount, byGovernance);
    }

    /// @dev At least `quorum` valid signatures over `digest` by distinct guardians, ascending.
    function _checkQuorum(bytes32 digest, bytes calldata sigs) private view {
        if (sigs.length % 65 != 0) revert InvalidSignatureLength(sigs.length);
        uint256 given = sigs.length / 65;
        uint256 q = quorum;
        if (given < q) revert NotEnoughSignatures(given, q);
        address last;
        for (uint256 i; i < given; ++i) {
            address signer = _recover(digest, sigs[i * 65:i * 65 + 65], i);
            if (signer <= last) revert SignersNotAscending(i, signer, last);
            if (!isGuardian[signer]) revert NotGuardian(signer);
            last = signer;
        }
    }

    /// @dev The signer of a 65-byte `r ‖ s ‖ v` signature; reverts `InvalidSignature(index)`
    ///      on a `v` other than 27 or 28, a high `s`, or no signer.
    function _recover(bytes32 digest, bytes calldata sig, uint256 index) private pure returns (address signer) {
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        if ((v != 27 && v != 28) || uint256(s) > HALF_ORDER) revert InvalidSignature(index);
        signer = ecrecover(digest, v, r, s);
        if (signer == address(0)) revert InvalidSignature(index);
    }

    /// @dev `hash_tree_root(DepositData{pubkey, credentials, 32 ether, signature})`, as the deposit
    ///      contract recomputes it, with the SHA-256 precompile and 192 bytes of scratch memory
    ///      past the free memory pointer (not allocated):
    ///      `sha256(sha256(sha256(pubkey ‖ 0^16) ‖ credentials) ‖ sha256(amount ‖ sigRoot))`,
    ///      `sigRoot = sha256(sha256(sig[0:64]) ‖ sha256(sig[64:96] ‖ 0^32))`.
    function _depositDataRoot(bytes calldata pubkey, bytes calldata signature, bytes32 credentials)
        private
        view
        returns (bytes32 node)
    {
        assembly ("memory-safe") {
            let p := mload(0x40)
            // left = sha256(sha256(pubkey ‖ 0^16) ‖ credentials), at p + 128
            calldatacopy(p, pubkey.offset, 48)
            mstore(add(p, 48), 0)
            let ok := staticcall(gas(), 2, p, 64, p, 32)
            mstore(add(p, 32), credentials)
            ok := and(ok, staticcall(gas(), 2, p, 64, add(p, 128), 32))
            // sigRoot, at p + 32
            calldatacopy(p, signature.offset, 64)
            ok := and(ok, staticcall(gas(), 2, p, 64, p, 32))
            calldatacopy(add(p, 32), add(signature.offset, 64), 32)
            mstore(add(p, 64), 0)
            ok := and(ok, staticcall(gas(), 2, add(p, 32), 64, add(p, 32), 32))
            ok := and(ok, staticcall(gas(), 2, p, 64, add(p, 32), 32))
            // right = sha256(amount ‖ sigRoot), at p + 160
            mstore(p, AMOUNT_CHUNK)
            ok := and(ok, staticcall(gas(), 2, p, 64, add(p, 160), 32))
            ok := and(ok, staticcall(gas(), 2, add(p, 128), 64, p, 32))
            if iszero(ok) { revert(0, 0) }
            node := mload(p)
        }
    }

    /// @dev Replaces the guardian set; see `setGuardians`.
    function _setGuardians(address[] memory guardians, uint256 newQuorum) private {
        uint256 n = guardians.length;
        if (n == 0 || n > MAX_GUARDIANS || newQuorum == 0 || newQuorum > n) revert InvalidGuardians(n, newQuorum);
        address[] storage list = _guardians;
        for (uint256 i = list.length; i > 0; --i) {
            isGuardian[list[i - 1]] = false;
            list.pop();
        }
        for (uint256 i; i < n; ++i) {
            address g = guardians[i];
            if (g == address(0) || isGuardian[g]) revert InvalidGuardians(n, newQuorum);
            isGuardian[g] = true;
            list.push(g);
        }
        quorum = uint8(newQuorum);
        emit GuardiansSet(guardians, newQuorum);
    }

    /// @dev Validates and stores the ticket's bounds; see `BridgeParams`.
    function _setBridgeParams(BridgeParams memory p) private {
        if (p.maxSubmissionCost == 0 || p.gasLimit < MIN_L2_GAS_LIMIT || p.maxFeePerGas <= 1) {
            revert InvalidBridgeParams();
        }
        _bridge = p;
        emit BridgeParamsSet(p.maxSubmissionCost, p.gasLimit, p.maxFeePerGas, p.minAmount);
    }
}
