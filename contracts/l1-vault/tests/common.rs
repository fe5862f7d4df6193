//! The vault on the two worlds: deployment, the L2 pool and L2 governance standing in as L2
//! accounts that call `ArbSys.sendTxToL1`, batches through the real Outbox, guardian
//! attestations, and decoding of receipts.

use alloy_primitives::{address, Address, Log, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use l1_vault::{
    attest_digest, keys_commitment, keys_data, quorum_signatures, withdrawal_credentials,
    Deployment, DepositAttestation, Guardian, StakingVault as V, ValidatorKey,
};
pub(crate) use l1_vault::{default_bridge_params as default_params, l1_block_hash};
use stylus_vm::{arbos::arbsys::sendTxToL1Call, precompiles::ARB_SYS, Receipt};
use worlds::{
    abi::IDepositContract, l1::CHAIN_ID, L1Receipt, RelayConfig, Worlds, DEPOSIT_CONTRACT_ADDRESS,
};

/// Deploys the vault on L1.
pub(crate) const DEPLOYER: Address = address!("00000000000000000000000000000000000de900");
/// Stands in for the L2 staking pool: an L2 account that sends batches with `sendTxToL1`.
pub(crate) const POOL: Address = address!("0000000000000000000000000000000000900100");
/// Stands in for L2 governance: an L2 account that sends configuration with `sendTxToL1`.
pub(crate) const GOVERNANCE: Address = address!("0000000000000000000000000000000000600700");
/// Anyone else on L2.
pub(crate) const STRANGER: Address = address!("0000000000000000000000000000000000057a00");
/// An L1 keeper: executes Outbox messages, deposits batches, bridges.
pub(crate) const KEEPER: Address = address!("00000000000000000000000000000000000ee900");
/// An L1 node operator who front-runs its own key with other credentials.
pub(crate) const FRONT_RUNNER: Address = address!("000000000000000000000000000000000000f900");

/// `n` ether in wei.
pub(crate) fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64.pow(18))
}

/// `n` gwei in wei.
pub(crate) fn gwei(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64.pow(9))
}

/// A guardian attestation, as a keeper hands it to `depositBatch`.
#[derive(Clone, Debug)]
pub(crate) struct Attestation {
    /// The attested L1 block.
    pub(crate) block_number: u64,
    /// Its hash.
    pub(crate) block_hash: B256,
    /// The deposit contract's root.
    pub(crate) root: B256,
    /// The nonce signed.
    pub(crate) nonce: u64,
    /// The batch signed.
    pub(crate) batch_id: u64,
    /// The commitment signed.
    pub(crate) commitment: B256,
    /// The signatures, ascending by signer.
    pub(crate) signatures: Vec<u8>,
}

impl Attestation {
    /// The fields signed.
    pub(crate) fn fields(&self) -> DepositAttestation {
        DepositAttestation {
            block_number: self.block_number,
            block_hash: self.block_hash,
            deposit_root: self.root,
            nonce: self.nonce,
            batch_id: self.batch_id,
            commitment: self.commitment,
        }
    }
}

/// The worlds with the vault deployed on L1, the pool and governance funded on L2.
pub(crate) struct Env {
    /// L1, L2 and the relay.
    pub(crate) w: Worlds,
    /// The vault's address.
    pub(crate) vault: Address,
    /// The guardians (the first `n` of [`Guardian::new`]).
    pub(crate) guardians: Vec<Guardian>,
    /// The vault's withdrawal credentials.
    pub(crate) credentials: [u8; 32],
    next_key: u64,
}

impl Env {
    /// 3 guardians, quorum 2, 0x01 credentials, Arbitrum One's delays.
    pub(crate) fn new() -> Self {
        Self::with(3, 2, false, RelayConfig::default())
    }

    /// `guardians` guardians with `quorum`, `compounding` credentials, the relay's `config`.
    pub(crate) fn with(
        guardians: u64,
        quorum: u64,
        compounding: bool,
        config: RelayConfig,
    ) -> Self {
        let mut w = Worlds::with_config(config).expect("worlds (run scripts/evm-build)");
        for who in [DEPLOYER, KEEPER, FRONT_RUNNER, POOL, GOVERNANCE, STRANGER] {
            w.l1.set_balance(who, ether(100_000));
        }
        let guardians: Vec<Guardian> = (1..=guardians).map(Guardian::new).collect();
        // Guardians pay for the transactions they send themselves (a pause).
        for g in &guardians {
            w.l1.set_balance(g.address, ether(10));
        }
        let vault = deploy(
            &mut w,
            guardians.iter().map(|g| g.address).collect(),
            quorum,
            compounding,
            default_params(),
        )
        .expect("the vault deploys");
        // The L2 accounts get their ether through the bridge.
        for (who, amount) in [(POOL, ether(5_000)), (GOVERNANCE, ether(10)), (STRANGER, ether(100))]
        {
            assert!(w.deposit_eth(who, amount).unwrap().success);
        }
        let delay = w.config().l1_to_l2_delay_seconds;
        w.advance_time(delay).unwrap();
        assert_eq!(w.l2.balance(POOL), ether(5_000));
        let credentials = withdrawal_credentials(vault, compounding);
        Self { w, vault, guardians, credentials, next_key: 0 }
    }

    /// `n` fresh validator keys.
    pub(crate) fn keys(&mut self, n: u64) -> Vec<ValidatorKey> {
        let keys = (self.next_key..self.next_key + n).map(ValidatorKey::fake).collect();
        self.next_key += n;
        keys
    }

    /// `from` on L2 calls `ArbSys.sendTxToL1{value}(vault, data)`; the L2 receipt.
    pub(crate) fn l2_send(&mut self, from: Address, value: U256, data: Vec<u8>) -> Receipt {
        let call = sendTxToL1Call { destination: self.vault, data: data.into() };
        let receipt = self.w.l2_call(from, ARB_SYS, value, &call.abi_encode()).unwrap();
        assert!(receipt.success, "{receipt:?}");
        receipt
    }

    /// `from` sends `receiveBatch(commitment of keys, keys.len())` with `value`; the send's index.
    pub(crate) fn send_batch(&mut self, from: Address, keys: &[ValidatorKey], value: U256) -> u64 {
        let call = V::receiveBatchCall {
            commitment: keys_commitment(keys, &self.credentials),
            keys: U256::from(keys.len()),
        };
        self.l2_send(from, value, call.abi_encode());
        self.w.sends().len() as u64 - 1
    }

    /// Waits out the challenge period (the relay posts the send roots).
    pub(crate) fn wait_challenge_period(&mut self) {
        let blocks = self.w.config().challenge_period_blocks;
        self.w.advance_blocks(blocks).unwrap();
    }

    /// The keeper executes send `index` on the real Outbox.
    pub(crate) fn execute(&mut self, index: u64) -> L1Receipt {
        self.w.execute_l2_to_l1(index, KEEPER).unwrap()
    }

    /// The pool sends `keys` with their ether, the period passes, the keeper executes it:
    /// the new batch's id and the execution's receipt.
    pub(crate) fn deliver_batch(&mut self, keys: &[ValidatorKey]) -> (u64, L1Receipt) {
        let id = self.view(&V::batchCountCall {})._0;
        let index = self.send_batch(POOL, keys, ether(32) * U256::from(keys.len()));
        self.wait_challenge_period();
        let receipt = self.execute(index);
        assert!(receipt.success, "{receipt:?}");
        (id, receipt)
    }

    /// L2 governance sends `data` to the vault; after the period the keeper executes it.
    pub(crate) fn governance(&mut self, data: Vec<u8>) -> L1Receipt {
        self.message_from(GOVERNANCE, data)
    }

    /// `from` on L2 sends `data` to the vault; after the period the keeper executes it.
    pub(crate) fn message_from(&mut self, from: Address, data: Vec<u8>) -> L1Receipt {
        self.l2_send(from, U256::ZERO, data);
        let index = self.w.sends().len() as u64 - 1;
        self.wait_challenge_period();
        self.execute(index)
    }

    /// A view of the vault.
    pub(crate) fn view<C: SolCall>(&mut self, call: &C) -> C::Return {
        view(&mut self.w, self.vault, call)
    }

    /// The beacon deposit contract's root now.
    pub(crate) fn deposit_root(&mut self) -> B256 {
        view(&mut self.w, DEPOSIT_CONTRACT_ADDRESS, &IDepositContract::get_deposit_rootCall {})._0
    }

    /// The beacon deposit contract's deposit count.
    pub(crate) fn deposit_count(&mut self) -> u64 {
        let count = view(
            &mut self.w,
            DEPOSIT_CONTRACT_ADDRESS,
            &IDepositContract::get_deposit_countCall {},
        )
        ._0;
        u64::from_le_bytes(count[..8].try_into().unwrap())
    }

    /// The fields guardians attest for batch `batch_id` now: the previous block, the deposit
    /// contract's current root, the vault's nonce and the batch's commitment.
    pub(crate) fn attestation_fields(&mut self, batch_id: u64) -> DepositAttestation {
        let block_number = self.w.l1.block_number() - 1;
        DepositAttestation {
            block_number,
            block_hash: l1_block_hash(block_number),
            deposit_root: self.deposit_root(),
            nonce: self.view(&V::nonceCall {})._0,
            batch_id,
            commitment: self.batch(batch_id).0,
        }
    }

    /// The guardians numbered `signers` (indices into [`Env::guardians`]) attest the deposit of
    /// batch `batch_id` now ([`Env::attestation_fields`]).
    pub(crate) fn attest(&mut self, batch_id: u64, signers: &[usize]) -> Attestation {
        let fields = self.attestation_fields(batch_id);
        self.sign_attestation(signers, &fields)
    }

    /// The guardians numbered `signers` sign the given fields.
    pub(crate) fn sign_attestation(
        &self,
        signers: &[usize],
        fields: &DepositAttestation,
    ) -> Attestation {
        let digest = attest_digest(CHAIN_ID, self.vault, fields);
        let signers: Vec<&Guardian> = signers.iter().map(|i| &self.guardians[*i]).collect();
        Attestation {
            block_number: fields.block_number,
            block_hash: fields.block_hash,
            root: fields.deposit_root,
            nonce: fields.nonce,
            batch_id: fields.batch_id,
            commitment: fields.commitment,
            signatures: quorum_signatures(&signers, digest),
        }
    }

    /// The keeper's `depositBatch(batch_id, keys, att)`.
    pub(crate) fn deposit(
        &mut self,
        batch_id: u64,
        keys: &[ValidatorKey],
        att: &Attestation,
    ) -> L1Receipt {
        let (pubkeys, signatures) = keys_data(keys);
        self.deposit_raw(batch_id, pubkeys, signatures, att)
    }

    /// The keeper's `depositBatch` with the key data as given.
    pub(crate) fn deposit_raw(
        &mut self,
        batch_id: u64,
        pubkeys: Vec<u8>,
        signatures: Vec<u8>,
        att: &Attestation,
    ) -> L1Receipt {
        let call = V::depositBatchCall {
            batchId: U256::from(batch_id),
            pubkeys: pubkeys.into(),
            signatures: signatures.into(),
            blockNumber: U256::from(att.block_number),
            blockHash: att.block_hash,
            depositRoot: att.root,
            guardianSignatures: att.signatures.clone().into(),
        };
        self.w.l1_call(KEEPER, self.vault, U256::ZERO, call.abi_encode()).unwrap()
    }

    /// An L1 transaction to the vault from `from`.
    pub(crate) fn l1_call<C: SolCall>(&mut self, from: Address, call: &C) -> L1Receipt {
        self.w.l1_call(from, self.vault, U256::ZERO, call.abi_encode()).unwrap()
    }

    /// The vault's batch `id`: (commitment, keys, status).
    pub(crate) fn batch(&mut self, id: u64) -> (B256, u64, V::Status) {
        let b = self.view(&V::getBatchCall { batchId: U256::from(id) });
        (b.commitment, b.keys.to(), b.status)
    }

    /// The vault's `pendingEther`.
    pub(crate) fn pending(&mut self) -> U256 {
        U256::from(self.view(&V::pendingEtherCall {})._0)
    }

    /// The vault's `bridgedToL2`.
    pub(crate) fn bridged(&mut self) -> U256 {
        U256::from(self.view(&V::bridgedToL2Call {})._0)
    }
}

/// Deploys the vault from [`DEPLOYER`] with the worlds' bridge; its address, or the failed
/// creation's receipt.
pub(crate) fn deploy(
    w: &mut Worlds,
    guardians: Vec<Address>,
    quorum: u64,
    compounding: bool,
    params: V::BridgeParams,
) -> Result<Address, Box<L1Receipt>> {
    let (bridge, inbox) = (w.contracts.bridge, w.contracts.inbox);
    deploy_with(w, (bridge, inbox), guardians, quorum, compounding, params)
}

/// [`deploy`] with the given Bridge and Inbox.
pub(crate) fn deploy_with(
    w: &mut Worlds,
    (bridge, inbox): (Address, Address),
    guardians: Vec<Address>,
    quorum: u64,
    compounding: bool,
    params: V::BridgeParams,
) -> Result<Address, Box<L1Receipt>> {
    Deployment {
        bridge_and_inbox: (bridge, inbox),
        l2_pool: POOL,
        l2_governance: GOVERNANCE,
        guardians,
        quorum,
        compounding,
        params,
    }
    .deploy(w, DEPLOYER)
}

/// A view call on L1.
pub(crate) fn view<C: SolCall>(w: &mut Worlds, to: Address, call: &C) -> C::Return {
    let receipt = w.l1.static_call(Address::ZERO, to, call.abi_encode()).unwrap();
    assert!(receipt.success, "{receipt:?}");
    C::abi_decode_returns(&receipt.output, true).unwrap()
}

/// The error a failed L1 transaction reverted with (panics when it succeeded or reverted with
/// another error).
pub(crate) fn revert<E: SolError>(receipt: &L1Receipt) -> E {
    assert!(!receipt.success, "expected a revert with {}, got {receipt:?}", E::SIGNATURE);
    E::abi_decode(&receipt.output, true).unwrap_or_else(|e| {
        panic!("expected {}, got output {} ({e})", E::SIGNATURE, receipt.output)
    })
}

/// The events of type `E` that `address` logged.
pub(crate) fn events<E: SolEvent>(logs: &[Log], address: Address) -> Vec<E> {
    logs.iter()
        .filter(|l| l.address == address && l.topics().first() == Some(&E::SIGNATURE_HASH))
        .map(|l| E::decode_log(l, true).unwrap().data)
        .collect()
}
