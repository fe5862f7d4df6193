// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ERC-165 interface detection
/// @notice The standard's single function (EIP-165).
interface IERC165Detection {
    /// @notice Whether the contract implements the interface `interfaceId`.
    /// @param interfaceId The XOR of the interface's function selectors.
    /// @return True when the interface is implemented.
    function supportsInterface(bytes4 interfaceId) external view returns (bool);
}

/// @title The beacon chain deposit contract's interface
/// @notice The functions and the event of Ethereum's deposit contract (consensus specs, phase 0),
///         whose selectors and interface id (`0x85640907`) the beacon chain and every staking
///         protocol rely on.
interface IDepositContract {
    /// @notice A validator deposit was accepted.
    /// @param pubkey The validator's BLS12-381 public key (48 bytes).
    /// @param withdrawal_credentials Where the validator's balance is withdrawn to (32 bytes).
    /// @param amount The deposit in gwei, 8 bytes little-endian.
    /// @param signature The BLS signature over the deposit message (96 bytes).
    /// @param index The deposit's position in the tree, 8 bytes little-endian.
    event DepositEvent(bytes pubkey, bytes withdrawal_credentials, bytes amount, bytes signature, bytes index);

    /// @notice Deposits `msg.value` for the validator `pubkey`.
    /// @param pubkey The validator's BLS12-381 public key (48 bytes).
    /// @param withdrawal_credentials The validator's withdrawal credentials (32 bytes).
    /// @param signature The BLS signature over the deposit message (96 bytes).
    /// @param deposit_data_root The SSZ hash tree root of the `DepositData`, checked against the
    ///        root this contract recomputes.
    function deposit(
        bytes calldata pubkey,
        bytes calldata withdrawal_credentials,
        bytes calldata signature,
        bytes32 deposit_data_root
    ) external payable;

    /// @notice The root of the deposit tree with the deposit count mixed in.
    /// @return The `hash_tree_root` of the beacon chain's `List[DepositData, 2**32]`.
    function get_deposit_root() external view returns (bytes32);

    /// @notice The number of deposits so far.
    /// @return The count as 8 bytes, little-endian.
    function get_deposit_count() external view returns (bytes memory);
}

/// @title Ethereum's beacon chain deposit contract
/// @notice Takes validator deposits, checks them exactly as the contract on mainnet
///         (0x00000000219ab540356cBB839Cbe05303d7705Fa) does, logs them and adds each
///         `DepositData` root to an incremental sparse Merkle tree of depth 32.
/// @dev Written from the consensus specs (phase 0, "Deposit contract"): the same external
///      interface, revert reasons, event encoding and storage layout (slots 0-31: `branch`,
///      slot 32: `deposit_count`, slots 33-64: `zero_hashes`), so that a root computed by this
///      contract equals the one the beacon chain expects and the one the protocol's Rust code
///      (crates/staking-common/src/deposit_data.rs) computes. Checks, in order: the three lengths; value at least
///      1 ether; a whole number of gwei; at most 2^64 - 1 gwei; the recomputed data root; room in
///      the tree. Ether sent here stays here; there is no `receive` or `fallback`.
contract DepositContract is IDepositContract, IERC165Detection {
    /// @notice Depth of the deposit tree.
    uint256 public constant DEPOSIT_CONTRACT_TREE_DEPTH = 32;
    /// @notice The tree holds 2^32 - 1 deposits (one leaf is never filled, which keeps the
    ///         branch update within the 32 stored levels).
    uint256 public constant MAX_DEPOSIT_COUNT = 2 ** DEPOSIT_CONTRACT_TREE_DEPTH - 1;

    /// @dev `branch[h]`: the left sibling at height `h` on the path of the next leaf.
    bytes32[DEPOSIT_CONTRACT_TREE_DEPTH] private branch;
    /// @dev The number of deposits so far.
    uint256 private deposit_count;
    /// @dev `zero_hashes[h]`: the root of an empty subtree of height `h`.
    bytes32[DEPOSIT_CONTRACT_TREE_DEPTH] private zero_hashes;

    /// @notice Computes the roots of the empty subtrees once, at deployment.
    constructor() {
        for (uint256 h = 0; h + 1 < DEPOSIT_CONTRACT_TREE_DEPTH; h++) {
            zero_hashes[h + 1] = sha256(abi.encodePacked(zero_hashes[h], zero_hashes[h]));
        }
    }

    /// @inheritdoc IDepositContract
    /// @dev Reverts with `Error(string)` and the real contract's reason on: a pubkey not of 48
    ///      bytes, credentials not of 32, a signature not of 96, less than 1 ether, a value not a
    ///      multiple of 1 gwei, more than 2^64 - 1 gwei, a `deposit_data_root` other than the
    ///      recomputed one, a full tree. Emits `DepositEvent`. Anyone may deposit.
    function deposit(
        bytes calldata pubkey,
        bytes calldata withdrawal_credentials,
        bytes calldata signature,
        bytes32 deposit_data_root
    ) external payable override {
        require(pubkey.length == 48, "DepositContract: invalid pubkey length");
        require(withdrawal_credentials.length == 32, "DepositContract: invalid withdrawal_credentials length");
        require(signature.length == 96, "DepositContract: invalid signature length");

        require(msg.value >= 1 ether, "DepositContract: deposit value too low");
        require(msg.value % 1 gwei == 0, "DepositContract: deposit value not multiple of gwei");
        uint256 gweiAmount = msg.value / 1 gwei;
        require(gweiAmount <= type(uint64).max, "DepositContract: deposit value too high");

        bytes memory amount = littleEndian64(uint64(gweiAmount));
        emit DepositEvent(pubkey, withdrawal_credentials, amount, signature, littleEndian64(uint64(deposit_count)));

        bytes32 node = dataRoot(pubkey, withdrawal_credentials, amount, signature);
        require(
            node == deposit_data_root,
            "DepositContract: reconstructed DepositData does not match supplied deposit_data_root"
        );
        require(deposit_count < MAX_DEPOSIT_COUNT, "DepositContract: merkle tree full");

        insert(node);
    }

    /// @inheritdoc IDepositContract
    function get_deposit_root() external view override returns (bytes32) {
        bytes32 node;
        uint256 size = deposit_count;
        for (uint256 h = 0; h < DEPOSIT_CONTRACT_TREE_DEPTH; h++) {
            if (size & 1 == 1) {
                node = sha256(abi.encodePacked(branch[h], node));
            } else {
                node = sha256(abi.encodePacked(node, zero_hashes[h]));
            }
            size >>= 1;
        }
        return sha256(abi.encodePacked(node, littleEndian64(uint64(deposit_count)), bytes24(0)));
    }

    /// @inheritdoc IDepositContract
    function get_deposit_count() external view override returns (bytes memory) {
        return littleEndian64(uint64(deposit_count));
    }

    /// @inheritdoc IERC165Detection
    /// @dev True for ERC-165 itself (`0x01ffc9a7`) and for `IDepositContract` (`0x85640907`).
    function supportsInterface(bytes4 interfaceId) external pure override returns (bool) {
        return interfaceId == type(IERC165Detection).interfaceId || interfaceId == type(IDepositContract).interfaceId;
    }

    /// @dev Adds the leaf `node`: walks up while the new count's low bits are ones (the new leaf
    ///      closes those subtrees as their right child) and stores the result where the path
    ///      first turns left, at the height of the new count's lowest set bit.
    /// @param node The leaf, a `DepositData` root.
    function insert(bytes32 node) private {
        uint256 count = deposit_count + 1;
        deposit_count = count;
        for (uint256 h = 0; h < DEPOSIT_CONTRACT_TREE_DEPTH; h++) {
            if (count & 1 == 1) {
                branch[h] = node;
                return;
            }
            node = sha256(abi.encodePacked(branch[h], node));
            count >>= 1;
        }
        // Unreachable: the count is below 2^32, so it has a set bit within 32 levels.
        assert(false);
    }

    /// @dev The SSZ `hash_tree_root` of `DepositData { pubkey, withdrawal_credentials, amount,
    ///      signature }`: the pubkey padded to 64 bytes; the signature as two 64-byte chunks
    ///      (the second half padded); the amount as 8 bytes little-endian padded to 32.
    /// @param pubkey 48 bytes.
    /// @param credentials 32 bytes.
    /// @param amount The gwei amount, 8 bytes little-endian.
    /// @param signature 96 bytes.
    /// @return The root.
    function dataRoot(
        bytes calldata pubkey,
        bytes calldata credentials,
        bytes memory amount,
        bytes calldata signature
    ) private pure returns (bytes32) {
        bytes32 pubkeyRoot = sha256(abi.encodePacked(pubkey, bytes16(0)));
        bytes32 signatureRoot = sha256(
            abi.encodePacked(
                sha256(abi.encodePacked(signature[:64])),
                sha256(abi.encodePacked(signature[64:], bytes32(0)))
            )
        );
        return sha256(
            abi.encodePacked(
                sha256(abi.encodePacked(pubkeyRoot, credentials)),
                sha256(abi.encodePacked(amount, bytes24(0), signatureRoot))
            )
        );
    }

    /// @dev `value` as 8 bytes, least significant first (SSZ's integer encoding).
    /// @param value The number.
    /// @return le The 8 bytes.
    function littleEndian64(uint64 value) private pure returns (bytes memory le) {
        le = new bytes(8);
        for (uint256 i = 0; i < 8; i++) {
            le[i] = bytes1(uint8(value >> (8 * i)));
        }
    }
}
