//! The protocol's L1 vault, `src/StakingVault.sol` (Solidity 0.8.28, compiled by
//! `scripts/evm-build` into `artifacts/evm/StakingVault.json`), seen from Rust:
//!
//! - [`StakingVault`]: its `sol!` bindings, written from the contract (constructor, functions,
//!   events, errors); its retryable tickets pay the L2 pool with no calldata (the pool's
//!   `receive` counts ether from the vault's alias);
//! - what the L2 side computes the same way as the vault: [`withdrawal_credentials`] (`0x01` or
//!   `0x02`, 11 zero bytes, the vault), [`deposit_data_root`] (the protocol's own SSZ code in
//!   `staking-common`), [`batch_commitment`] (`keccak256` of the concatenated roots);
//! - the guardians' digests ([`attest_digest`], [`pause_digest`], [`cancel_digest`], with the
//!   prefixes binding the chain and the vault) and signatures ([`Guardian`],
//!   [`quorum_signatures`]: 65-byte `r ‖ s ‖ v`, low `s`, signers ascending).
//!
//! The tests (`tests/main.rs`) run the vault on the in-process worlds (`crates/worlds`): L1
//! with Arbitrum's real Bridge, Inbox and Outbox and the beacon deposit contract, L2, and the
//! relay between them.

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::sol;
use k256::ecdsa::SigningKey;
use staking_common::deposit_data::{self, DEPOSIT_GWEI, PUBKEY_LENGTH, SIGNATURE_LENGTH};

pub use staking_common::deposit_data::DEPOSIT_SIZE;

sol! {
    /// The L1 vault (`src/StakingVault.sol`): see the contract's NatSpec and the README.
    #[derive(Debug, PartialEq, Eq)]
    #[allow(missing_docs)]
    contract StakingVault {
        enum Status { None, Pending, Deposited, Cancelled }

        struct BridgeParams {
            uint128 maxSubmissionCost;
            uint64 gasLimit;
            uint128 maxFeePerGas;
            uint128 minAmount;
        }

        event BatchReceived(uint256 indexed batchId, bytes32 indexed commitment, uint256 keys, uint256 amount);
        event BatchDeposited(uint256 indexed batchId, uint256 keys, bytes32 depositRoot, uint256 nonce);
        event BatchCancelled(uint256 indexed batchId, uint256 amount, bool byGovernance);
        event BridgedToL2(uint256 indexed ticketId, uint256 amount, uint256 total, uint256 fee);
        event L2AliasRecovered(uint256 indexed ticketId, uint256 amount, uint256 fee);
        event Paused(address indexed guardian, uint256 blockNumber);
        event Resumed(uint256 blockNumber);
        event GuardiansSet(address[] guardians, uint256 quorum);
        event BridgeParamsSet(uint256 maxSubmissionCost, uint256 gasLimit, uint256 maxFeePerGas, uint256 minAmount);
        event ExitRequested(bytes pubkey, uint256 fee);
        event MaxExitFeeSet(uint256 maxExitFee);

        error ZeroAddress();
        error InboxBridgeMismatch(address inboxBridge, address bridge);
        error NotBridge(address caller);
        error WrongL2Sender(address l2Sender, address expected);
        error InvalidKeyCount(uint256 keys);
        error WrongBatchValue(uint256 expected, uint256 actual);
        error ZeroCommitment();
        error DepositsPaused();
        error BatchNotPending(uint256 batchId, Status status);
        error WrongKeyDataLength(uint256 keys, uint256 pubkeysLength, uint256 signaturesLength);
        error StaleDepositRoot(bytes32 attested, bytes32 current);
        error StaleAttestation(uint256 blockNumber, uint256 current);
        error InvalidBlockHash(uint256 blockNumber, bytes32 blockHash);
        error InvalidSignatureLength(uint256 length);
        error NotEnoughSignatures(uint256 given, uint256 quorum);
        error InvalidSignature(uint256 index);
        error SignersNotAscending(uint256 index, address signer, address previous);
        error NotGuardian(address account);
        error CommitmentMismatch(bytes32 computed, bytes32 committed);
        error AlreadyPaused();
        error NotPaused();
        error StalePauseIntent(uint256 blockNumber, uint256 current);
        error PauseIntentBeforeResume(uint256 blockNumber, uint256 resumedAt);
        error InvalidGuardians(uint256 guardians, uint256 quorum);
        error InvalidBridgeParams();
        error SubmissionCostTooHigh(uint256 cost, uint256 max);
        error BelowMinimum(uint256 amount, uint256 minimum);
        error ZeroAmount();
        error InsufficientFreeBalance(uint256 free, uint256 fee);
        error Reentrancy();
        error InvalidPubkeysLength(uint256 length);
        error ExitFeeTooHigh(uint256 fee, uint256 max);
        error ExitFeeUnavailable();
        error ExitRequestFailed(uint256 index);
        error InvalidMaxExitFee(uint256 maxExitFee);

        constructor(
            address bridge,
            address inbox,
            address depositContract,
            address l2Pool,
            address l2Governance,
            address[] guardians,
            uint256 initialQuorum,
            bool compounding,
            BridgeParams initialBridgeParams
        );

        function DEPOSIT_SIZE() external view returns (uint256);
        function MAX_BATCH_KEYS() external view returns (uint256);
        function MAX_GUARDIANS() external view returns (uint256);
        function ATTESTATION_MAX_AGE() external view returns (uint256);
        function PAUSE_INTENT_VALIDITY() external view returns (uint256);
        function WITHDRAWAL_REQUEST_PREDEPLOY() external view returns (address);
        function PUBKEY_LENGTH() external view returns (uint256);
        function MAX_EXITS_PER_MESSAGE() external view returns (uint256);
        function MAX_EXIT_FEE_CAP() external view returns (uint256);
        function DEFAULT_MAX_EXIT_FEE() external view returns (uint256);
        function maxExitFee() external view returns (uint128);
        function BRIDGE() external view returns (address);
        function INBOX() external view returns (address);
        function DEPOSIT_CONTRACT() external view returns (address);
        function L2_POOL() external view returns (address);
        function L2_GOVERNANCE() external view returns (address);
        function L2_ALIAS() external view returns (address);
        function L2_CALLDATA_LENGTH() external view returns (uint256);
        function WITHDRAWAL_CREDENTIALS() external view returns (bytes32);
        function ATTEST_PREFIX() external view returns (bytes32);
        function PAUSE_PREFIX() external view returns (bytes32);
        function CANCEL_PREFIX() external view returns (bytes32);

        function pendingEther() external view returns (uint128);
        function bridgedToL2() external view returns (uint128);
        function batchCount() external view returns (uint64);
        function nonce() external view returns (uint64);
        function resumedAt() external view returns (uint64);
        function quorum() external view returns (uint8);
        function paused() external view returns (bool);
        function isGuardian(address account) external view returns (bool);

        function receiveBatch(bytes32 commitment, uint256 keys) external payable returns (uint256 batchId);
        function depositBatch(
            uint256 batchId,
            bytes pubkeys,
            bytes signatures,
            uint256 blockNumber,
            bytes32 blockHash,
            bytes32 depositRoot,
            bytes guardianSignatures
        ) external;
        function cancelBatch(uint256 batchId, bytes guardianSignatures) external;
        function cancelBatchByGovernance(uint256 batchId) external;
        function bridgeToL2() external returns (uint256 ticketId);
        function recoverFromL2Alias(uint256 amount) external returns (uint256 ticketId);
        function pause(uint256 blockNumber, bytes signature) external;
        function resume() external;
        function setGuardians(address[] guardians, uint256 newQuorum) external;
        function setBridgeParams(BridgeParams params) external;
        function triggerExits(bytes pubkeys) external;
        function setMaxExitFee(uint256 newMaxExitFee) external;
        function exitFee() external view returns (uint256);

        function withdrawalCredentials() external view returns (bytes32);
        function getBatch(uint256 batchId) external view returns (bytes32 commitment, uint256 keys, Status status);
        function freeBalance() external view returns (uint256);
        function ticketFee() external view returns (uint256 submissionCost, uint256 fee);
        function getGuardians() external view returns (address[]);
        function bridgeParams() external view returns (BridgeParams);
        function attestDigest(
            uint256 blockNumber,
            bytes32 blockHash,
            bytes32 depositRoot,
            uint256 attestedNonce,
            uint256 batchId,
            bytes32 commitment
        ) external view returns (bytes32);
        function pauseDigest(uint256 blockNumber) external view returns (bytes32);
        function cancelDigest(uint256 batchId, bytes32 commitment) external view returns (bytes32);
    }

}

/// The withdrawal credentials naming `vault`: `0x02` (compounding) or `0x01`, 11 zero bytes,
/// the address (the vault's `WITHDRAWAL_CREDENTIALS`).
pub fn withdrawal_credentials(vault: Address, compounding: bool) -> [u8; 32] {
    let mut credentials = deposit_data::withdrawal_credentials(vault);
    if compounding {
        credentials[0] = 0x02;
    }
    credentials
}

/// The SSZ deposit data root of a 32-ether deposit of `pubkey` with `credentials`, as the
/// beacon deposit contract and the vault recompute it.
pub fn deposit_data_root(
    pubkey: &[u8; PUBKEY_LENGTH],
    signature: &[u8; SIGNATURE_LENGTH],
    credentials: &[u8; 32],
) -> B256 {
    B256::from(deposit_data::deposit_data_root(pubkey, credentials, DEPOSIT_GWEI, signature))
}

/// A batch's commitment: `keccak256(root_0 ‖ … ‖ root_{n-1})`.
pub fn batch_commitment(roots: &[B256]) -> B256 {
    keccak256(roots.iter().flat_map(|r| r.0).collect::<Vec<u8>>())
}

/// `keccak256(tag ‖ chainId ‖ vault)`: the vault's `ATTEST_PREFIX` (`tag` =
/// `"sETH.L1Vault.ATTEST"`), `PAUSE_PREFIX` (`"sETH.L1Vault.PAUSE"`) and `CANCEL_PREFIX`
/// (`"sETH.L1Vault.CANCEL"`).
pub fn prefix(tag: &str, chain_id: u64, vault: Address) -> B256 {
    let mut data = tag.as_bytes().to_vec();
    data.extend_from_slice(&U256::from(chain_id).to_be_bytes::<32>());
    data.extend_from_slice(vault.as_slice());
    keccak256(data)
}

/// What guardians attest for a deposit: the L1 block they looked at, the deposit contract's
/// root there, the vault's nonce and the batch to deposit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DepositAttestation {
    /// The attested L1 block.
    pub block_number: u64,
    /// Its hash.
    pub block_hash: B256,
    /// The deposit contract's root at that block.
    pub deposit_root: B256,
    /// The vault's nonce.
    pub nonce: u64,
    /// The batch to deposit.
    pub batch_id: u64,
    /// Its commitment.
    pub commitment: B256,
}

/// The digest guardians sign to attest a batch's deposit (the vault's `attestDigest`):
/// `keccak256(ATTEST_PREFIX ‖ blockNumber ‖ blockHash ‖ depositRoot ‖ nonce ‖ batchId ‖
/// commitment)`.
pub fn attest_digest(chain_id: u64, vault: Address, fields: &DepositAttestation) -> B256 {
    let mut data = prefix("sETH.L1Vault.ATTEST", chain_id, vault).to_vec();
    data.extend_from_slice(&U256::from(fields.block_number).to_be_bytes::<32>());
    data.extend_from_slice(fields.block_hash.as_slice());
    data.extend_from_slice(fields.deposit_root.as_slice());
    data.extend_from_slice(&U256::from(fields.nonce).to_be_bytes::<32>());
    data.extend_from_slice(&U256::from(fields.batch_id).to_be_bytes::<32>());
    data.extend_from_slice(fields.commitment.as_slice());
    keccak256(data)
}

/// The digest a guardian signs to pause deposits (the vault's `pauseDigest`).
pub fn pause_digest(chain_id: u64, vault: Address, block_number: u64) -> B256 {
    let mut data = prefix("sETH.L1Vault.PAUSE", chain_id, vault).to_vec();
    data.extend_from_slice(&U256::from(block_number).to_be_bytes::<32>());
    keccak256(data)
}

/// The digest guardians sign to cancel a batch (the vault's `cancelDigest`).
pub fn cancel_digest(chain_id: u64, vault: Address, batch_id: u64, commitment: B256) -> B256 {
    let mut data = prefix("sETH.L1Vault.CANCEL", chain_id, vault).to_vec();
    data.extend_from_slice(&U256::from(batch_id).to_be_bytes::<32>());
    data.extend_from_slice(commitment.as_slice());
    keccak256(data)
}

/// A guardian: a secp256k1 key and its address.
#[derive(Clone)]
pub struct Guardian {
    key: SigningKey,
    /// Its address.
    pub address: Address,
}

impl std::fmt::Debug for Guardian {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Guardian").field("address", &self.address).finish_non_exhaustive()
    }
}

impl Guardian {
    /// The guardian whose secret is `keccak256("l1-vault guardian" ‖ n)`.
    ///
    /// # Panics
    ///
    /// Never in practice (a keccak output is a valid secret with overwhelming probability).
    pub fn new(n: u64) -> Self {
        Self::seeded(b"l1-vault guardian", n)
    }

    /// The guardian whose secret is `keccak256(tag ‖ n)` (the L2 registry's tests use the tag
    /// `guardian`).
    ///
    /// # Panics
    ///
    /// Never in practice (a keccak output is a valid secret with overwhelming probability).
    pub fn seeded(tag: &[u8], n: u64) -> Self {
        let secret = keccak256([tag, &n.to_be_bytes()].concat());
        let key = SigningKey::from_bytes(&secret.0.into()).expect("a valid secret");
        let address = staking_common::signing::address_of(&key);
        Self { key, address }
    }

    /// `r ‖ s ‖ v` over the raw `digest`, `s` in the lower half, `v` 27 or 28.
    ///
    /// # Panics
    ///
    /// Never in practice.
    pub fn sign(&self, digest: B256) -> [u8; 65] {
        staking_common::signing::sign_digest(&self.key, digest)
    }
}

/// The signatures of `signers` over `digest`, ordered by signer address ascending and
/// concatenated, as the vault takes them.
pub fn quorum_signatures(signers: &[&Guardian], digest: B256) -> Vec<u8> {
    let mut sorted = signers.to_vec();
    sorted.sort_by_key(|g| g.address);
    sorted.iter().flat_map(|g| g.sign(digest)).collect()
}

/// The high-`s` twin of a low-`s` signature: `(r, n − s, v ^ 1)`, valid for the same signer,
/// refused by the vault (EIP-2).
pub fn malleable_twin(signature: &[u8; 65]) -> [u8; 65] {
    const ORDER: U256 = U256::from_limbs([
        0xBFD2_5E8C_D036_4141,
        0xBAAE_DCE6_AF48_A03B,
        0xFFFF_FFFF_FFFF_FFFE,
        0xFFFF_FFFF_FFFF_FFFF,
    ]);
    let s = U256::from_be_slice(&signature[32..64]);
    let mut out = *signature;
    out[32..64].copy_from_slice(&(ORDER - s).to_be_bytes::<32>());
    out[64] = if signature[64] == 27 { 28 } else { 27 };
    out
}

/// A validator key's deposit data (deterministic bytes: the deposit contract checks the SSZ
/// root, not the BLS signature).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorKey {
    /// The BLS public key.
    pub pubkey: [u8; PUBKEY_LENGTH],
    /// The BLS deposit signature.
    pub signature: [u8; SIGNATURE_LENGTH],
}

impl ValidatorKey {
    /// The key numbered `n`.
    pub fn fake(n: u64) -> Self {
        let seed = keccak256([&b"validator key"[..], &n.to_be_bytes()].concat());
        let pubkey = std::array::from_fn(|j| seed[j % 32] ^ u8::try_from(j).unwrap_or(0));
        let signature =
            std::array::from_fn(|j| seed[(j * 7) % 32].wrapping_add(u8::try_from(j).unwrap_or(0)));
        Self { pubkey, signature }
    }

    /// Its deposit data root with `credentials` and 32 ether.
    pub fn root(&self, credentials: &[u8; 32]) -> B256 {
        deposit_data_root(&self.pubkey, &self.signature, credentials)
    }
}

/// The commitment of `keys` with `credentials`.
pub fn keys_commitment(keys: &[ValidatorKey], credentials: &[u8; 32]) -> B256 {
    batch_commitment(&keys.iter().map(|k| k.root(credentials)).collect::<Vec<_>>())
}

/// The keys' pubkeys and signatures, each concatenated, as `depositBatch` takes them.
pub fn keys_data(keys: &[ValidatorKey]) -> (Vec<u8>, Vec<u8>) {
    (keys.iter().flat_map(|k| k.pubkey).collect(), keys.iter().flat_map(|k| k.signature).collect())
}

/// The ticket bounds the tests and the gas report deploy the vault with: the submission fee
/// at up to 0.001 ether, 200,000 L2 gas at up to 1 gwei, at least 0.01 ether a ticket.
pub fn default_bridge_params() -> StakingVault::BridgeParams {
    StakingVault::BridgeParams {
        maxSubmissionCost: 10u128.pow(15),
        gasLimit: 200_000,
        maxFeePerGas: 10u128.pow(9),
        minAmount: 10u128.pow(16),
    }
}

/// A vault's constructor arguments on the in-process L1 world, and its deployment.
#[derive(Clone, Debug)]
pub struct Deployment {
    /// Arbitrum's Bridge (the Outbox's caller) and Inbox (tickets' entry).
    pub bridge_and_inbox: (Address, Address),
    /// The L2 pool: the only L2 sender of batches.
    pub l2_pool: Address,
    /// L2 governance: the only L2 sender of configuration.
    pub l2_governance: Address,
    /// The guardians.
    pub guardians: Vec<Address>,
    /// Their quorum.
    pub quorum: u64,
    /// `0x02` credentials instead of `0x01`.
    pub compounding: bool,
    /// The tickets' bounds.
    pub params: StakingVault::BridgeParams,
}

impl Deployment {
    /// The worlds' own Bridge and Inbox, `0x01` credentials, [`default_bridge_params`].
    pub fn new(
        w: &worlds::Worlds,
        l2_pool: Address,
        l2_governance: Address,
        guardians: Vec<Address>,
        quorum: u64,
    ) -> Self {
        Self {
            bridge_and_inbox: (w.contracts.bridge, w.contracts.inbox),
            l2_pool,
            l2_governance,
            guardians,
            quorum,
            compounding: false,
            params: default_bridge_params(),
        }
    }

    /// Creates the vault from `deployer` (the artifact `scripts/evm-build` writes) with the
    /// beacon deposit contract at its mainnet address: its address, or the failed creation's
    /// receipt.
    ///
    /// # Panics
    ///
    /// When the artifact is missing or the creation cannot run.
    pub fn deploy(
        &self,
        w: &mut worlds::Worlds,
        deployer: Address,
    ) -> Result<Address, Box<worlds::L1Receipt>> {
        use alloy_sol_types::SolConstructor;
        let (bridge, inbox) = self.bridge_and_inbox;
        let args = StakingVault::constructorCall {
            bridge,
            inbox,
            depositContract: worlds::DEPOSIT_CONTRACT_ADDRESS,
            l2Pool: self.l2_pool,
            l2Governance: self.l2_governance,
            guardians: self.guardians.clone(),
            initialQuorum: U256::from(self.quorum),
            compounding: self.compounding,
            initialBridgeParams: self.params.clone(),
        }
        .abi_encode();
        let artifact = worlds::Artifact::load("StakingVault").expect("run scripts/evm-build");
        let (receipt, created) =
            w.l1.create(deployer, artifact.init_code(&args), U256::ZERO).expect("runs");
        match created {
            Some(address) if receipt.success => Ok(address),
            _ => Err(Box::new(receipt)),
        }
    }
}

/// The hash `BLOCKHASH` gives for block `n` on the in-process L1 world (`crates/worlds`:
/// revm's empty database answers `keccak256` of the number's decimal digits), which guardians
/// attest there.
pub fn l1_block_hash(n: u64) -> B256 {
    keccak256(n.to_string().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_commitment_is_the_keccak_of_the_concatenated_roots() {
        let roots = [B256::repeat_byte(1), B256::repeat_byte(2)];
        let mut both = [0x01u8; 64];
        both[32..].fill(0x02);
        assert_eq!(batch_commitment(&roots), keccak256(both));
        assert_eq!(batch_commitment(&roots[..1]), keccak256(roots[0]));
    }

    #[test]
    fn compounding_credentials_differ_only_in_the_type_byte() {
        let vault = Address::repeat_byte(0xab);
        let (one, two) =
            (withdrawal_credentials(vault, false), withdrawal_credentials(vault, true));
        assert_eq!((one[0], two[0]), (0x01, 0x02));
        assert_eq!(one[1..], two[1..]);
        assert_eq!(one[12..], vault[..]);
    }

    #[test]
    fn a_malleable_twin_has_a_high_s_and_the_other_parity() {
        let g = Guardian::new(1);
        let sig = g.sign(B256::repeat_byte(7));
        let twin = malleable_twin(&sig);
        assert_ne!(sig[64], twin[64]);
        assert!(twin[32] >= 0x80, "s above half the order");
        assert_eq!(malleable_twin(&twin), sig);
    }
}
