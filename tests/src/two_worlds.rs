//! The whole protocol on the two in-process worlds (`crates/worlds`, docs/worlds.md): the
//! release wasm deployed through the StylusDeployer on Arbitrum (L2), the L1 vault
//! (`contracts/l1-vault`, the compiled Solidity) on Ethereum (L1) beside Arbitrum's real
//! Bridge, Inbox and Outbox and the beacon deposit contract, the relay between them with
//! Arbitrum One's delays, and helpers for every actor of the L1 leg: the depositor bot, keepers,
//! guardians, the oracle committee and the beacon chain.
//!
//! ## One L2 chain, two owners
//!
//! The L2 chain is the worlds' ([`Worlds::l2`]), which the relay advances, delivers delayed
//! messages to and reads sends from. Between relay steps it rests in the [`Suite`] (`s.vm`), so
//! that the suite's, the registry's and the oracle's helpers run on it unchanged;
//! [`TwoWorlds::relay`] lends it back to the worlds for a step. Every L2 transaction that may
//! send to L1 goes through [`TwoWorlds::l2_send`], which hands its receipt to the relay: the
//! relay refuses to go on past a send it was not shown.
//!
//! ## Ether
//!
//! Every wei on L2 came through the bridge: the users, the admin and the guardian deposit on L1
//! with `Inbox.depositEth` and wait for the sequencer, so [`Worlds::eth_ledger`] balances after
//! every step ([`TwoWorlds::assert_ledger`]).
//!
//! ## What stands in: the beacon chain
//!
//! Nothing here runs a beacon chain. [`BeaconChain`] stands in for it: a validator exists once
//! the vault's `depositBatch` put its 32 ether into the deposit contract (read from the deposit
//! contract's `DepositEvent`s), its balance grows when a test says so
//! ([`TwoWorlds::accrue`]), and what the consensus layer pays to the withdrawal credentials
//! (skims above 32 ether, whole balances on exit) is credited to the vault's L1 balance with no
//! transaction ([`TwoWorlds::skim`], [`TwoWorlds::exit`]), as the beacon chain credits
//! withdrawals. The deposit contract keeps the deposited ether (on mainnet it is burned); the
//! vault's ether from the consensus layer is new ether on L1, as on mainnet. Execution-layer
//! rewards are real L1 transfers from a block builder to the vault, the fee recipient
//! ([`TwoWorlds::el_rewards`]).

use alloy_primitives::{address, Address, Log, B256, U256};
use alloy_sol_types::{SolCall, SolEvent};
use l1_vault::{
    attest_digest, cancel_digest, l1_block_hash, quorum_signatures, withdrawal_credentials,
    Deployment, DepositAttestation, Guardian, StakingVault as V,
};
use stylus_vm::{
    arbos::{arbsys::sendTxToL1Call, retryables::RetryableResult},
    precompiles::ARB_SYS,
    Receipt,
};
use worlds::{
    abi::{IDepositContract, IOutbox},
    l1::CHAIN_ID,
    relay::{Delivery, EthLedger},
    L1Receipt, RelayConfig, Worlds, DEPOSIT_CONTRACT_ADDRESS,
};

use crate::{
    abi::IStakingPool as P,
    deploy::{events, Suite, ADMIN, ALICE, BOB, CAROL, DAVE, GUARDIAN},
    ether,
    oracle::{Oracle, Report, EPOCHS_PER_FRAME, GENESIS_TIME, SECONDS_PER_SLOT, SLOTS_PER_EPOCH},
    validators::Validators,
};

/// Deploys the vault on L1.
pub const DEPLOYER: Address = address!("00000000000000000000000000000000000de900");
/// An L1 keeper: executes Outbox messages, deposits batches, bridges (anyone may).
pub const KEEPER: Address = address!("00000000000000000000000000000000000ee900");
/// An L1 block builder paying execution-layer rewards to the fee recipient (the vault).
pub const BUILDER: Address = address!("00000000000000000000000000000000000b0100");
/// An L1 account that is not the vault.
pub const OUTSIDER: Address = address!("0000000000000000000000000000000000057a00");
/// The protocol's treasury on L2 (the pool's fee recipient).
pub const TREASURY: Address = address!("0000000000000000000000000000000000007e45");

/// The vault's guardians: the first [`VAULT_GUARDIANS`] of [`Guardian::new`].
pub const VAULT_GUARDIANS: u64 = 3;
/// How many of them a deposit needs.
pub const VAULT_QUORUM: usize = 2;
/// The protocol fee, basis points of the rewards (Lido's 10%).
pub const TOTAL_FEE_BP: u64 = 1_000;
/// Of which the operators' (Lido's 5%).
pub const OPERATORS_FEE_BP: u64 = 500;

/// Ether each user bridges to L2 at the start.
pub const USER_FUNDS: u64 = 10_000;

/// One validator on the stand-in beacon chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Validator {
    /// Its BLS public key.
    pub pubkey: Vec<u8>,
    /// Its withdrawal credentials (as deposited).
    pub credentials: Vec<u8>,
    /// Its balance, wei.
    pub balance: U256,
    /// Whether it has exited (its balance paid out).
    pub exited: bool,
}

/// The stand-in beacon chain (see the module docs): the validators the deposit contract
/// funded, in deposit order.
#[derive(Clone, Debug, Default)]
pub struct BeaconChain {
    /// Every validator, in deposit order.
    pub validators: Vec<Validator>,
}

impl BeaconChain {
    /// The validators with `credentials`: how many were ever deposited (exited ones
    /// included, as the consensus layer counts them) and their balance in wei.
    pub fn of(&self, credentials: &[u8; 32]) -> (u64, U256) {
        let mine = self.validators.iter().filter(|v| v.credentials == credentials);
        let count = mine.clone().count() as u64;
        (count, mine.fold(U256::ZERO, |sum, v| sum + v.balance))
    }
}

/// The protocol on both worlds (see the module docs).
pub struct TwoWorlds {
    /// L1, the relay, and L2 while lent ([`TwoWorlds::relay`]).
    w: Worlds,
    /// The suite on L2 (its chain rests here).
    pub s: Suite,
    /// The node operator registry (deployed with the vault's credentials) and the harness's
    /// record of the operators' keys.
    pub v: Validators,
    /// The oracle committee (3 members, quorum 2), connected to the pool and the registry.
    pub oracle: Oracle,
    /// The vault's L1 address.
    pub vault: Address,
    /// The vault's guardians.
    pub guardians: Vec<Guardian>,
    /// The vault's withdrawal credentials.
    pub credentials: [u8; 32],
    /// The stand-in beacon chain.
    pub beacon: BeaconChain,
    /// Keys of batches the guardians cancelled on L1: never deposited, their ether returned.
    /// The committee reports them as resolved (counted in `numValidators`, with no balance),
    /// which ends their count as deposited-not-seen on L2 (the pool's `receive` already took
    /// their returned ether off the L1 figure: staking-pool's `l1_ether.rs`).
    pub cancelled_keys: u64,
}

impl TwoWorlds {
    /// Arbitrum One's delays ([`TwoWorlds::with_config`]).
    ///
    /// # Panics
    ///
    /// When an artifact is missing or a setup step fails.
    pub fn new() -> Self {
        Self::with_config(RelayConfig::default())
    }

    /// The worlds with `config`; the users, the admin and the guardian fund their L2 accounts
    /// through the bridge; the suite deployed on L2 through the StylusDeployer (no stake
    /// limit) with Lido's fee split to [`TREASURY`]; the oracle committee; the vault on L1
    /// naming the pool as `L2_POOL` and ADMIN as `L2_GOVERNANCE`, 0x01 credentials,
    /// [`VAULT_QUORUM`] of [`VAULT_GUARDIANS`]; the pool pointed at it (`setL1Vault`); both
    /// clocks joined.
    ///
    /// # Panics
    ///
    /// When an artifact is missing or a setup step fails.
    pub fn with_config(config: RelayConfig) -> Self {
        let mut w = Worlds::with_config(config).expect("the worlds (run scripts/evm-build)");
        for who in [DEPLOYER, KEEPER, BUILDER, OUTSIDER] {
            w.l1.set_balance(who, ether(100_000));
        }
        // Every L2 account's ether comes through the bridge.
        let funded = [
            (ADMIN, ether(100)),
            (GUARDIAN, ether(1)),
            (ALICE, ether(USER_FUNDS)),
            (BOB, ether(USER_FUNDS)),
            (CAROL, ether(USER_FUNDS)),
            (DAVE, ether(USER_FUNDS)),
        ];
        for (who, amount) in funded {
            w.l1.set_balance(who, amount + ether(1));
            let r = w.deposit_eth(who, amount).expect("the relay");
            assert!(r.success, "{r:?}");
        }
        let delay = w.config().l1_to_l2_delay_seconds;
        w.advance_time(delay).expect("the relay");
        for (who, amount) in funded {
            assert_eq!(w.l2.balance(who), amount);
        }

        // The suite on the worlds' L2.
        let vm = std::mem::take(&mut w.l2);
        let mut s = Suite::deploy_on(vm, U256::ZERO, U256::ZERO);
        s.set_fee_config(TREASURY, TOTAL_FEE_BP, OPERATORS_FEE_BP);
        let oracle = Oracle::setup(&mut s, 3, 2);

        // The vault on L1.
        let guardians: Vec<Guardian> = (1..=VAULT_GUARDIANS).map(Guardian::new).collect();
        for g in &guardians {
            w.l1.set_balance(g.address, ether(10));
        }
        let guardian_addresses = guardians.iter().map(|g| g.address).collect();
        let vault = Deployment::new(&w, s.pool, ADMIN, guardian_addresses, VAULT_QUORUM as u64)
            .deploy(&mut w, DEPLOYER)
            .expect("the vault deploys");
        let pool = s.pool;
        s.ok(ADMIN, pool, U256::ZERO, &P::setL1VaultCall { vault });
        let credentials = withdrawal_credentials(vault, false);
        // The registry with the vault's credentials (the pool's vault: `Validators::setup`).
        let v = Validators::setup(&mut s, 3);
        assert_eq!(v.credentials.0, credentials);
        oracle.connect(&mut s, v.registry);

        let mut t = Self {
            w,
            s,
            v,
            oracle,
            vault,
            guardians,
            credentials,
            beacon: BeaconChain::default(),
            cancelled_keys: 0,
        };
        // The deployment moved L2's clock (the oracle's first frame): L1 catches up.
        let behind = t.s.vm.timestamp().saturating_sub(t.relay(|w| w.l1.timestamp()));
        t.advance_time(behind);
        t.assert_ledger();
        t
    }

    // ------------------------------------------------------------------ the worlds

    /// Lends the L2 chain to the worlds for `f` (a relay step, an L1 transaction, a view of
    /// the ledger) and takes it back.
    pub fn relay<R>(&mut self, f: impl FnOnce(&mut Worlds) -> R) -> R {
        std::mem::swap(&mut self.w.l2, &mut self.s.vm);
        let r = f(&mut self.w);
        std::mem::swap(&mut self.w.l2, &mut self.s.vm);
        r
    }

    /// The relay's delays.
    pub fn config(&self) -> RelayConfig {
        self.w.config()
    }

    /// Moves both worlds `seconds` on (whole L1 blocks), the relay acting as things fall due.
    ///
    /// # Panics
    ///
    /// When the relay finds the chains and its records disagree.
    pub fn advance_time(&mut self, seconds: u64) {
        self.relay(|w| w.advance_time(seconds)).expect("the relay");
    }

    /// Moves both worlds `blocks` L1 blocks on.
    ///
    /// # Panics
    ///
    /// As [`TwoWorlds::advance_time`].
    pub fn advance_blocks(&mut self, blocks: u64) {
        self.relay(|w| w.advance_blocks(blocks)).expect("the relay");
    }

    /// Waits out the challenge period: every send made so far becomes executable.
    pub fn wait_challenge_period(&mut self) {
        let blocks = self.config().challenge_period_blocks;
        self.advance_blocks(blocks);
    }

    /// Waits until send `position` can be executed: the first assertion covering it is past
    /// its challenge period and its root is on the Outbox (an assertion is made at the next
    /// step of the clock after the send).
    ///
    /// # Panics
    ///
    /// When the relay finds the chains and its records disagree.
    pub fn wait_executable(&mut self, position: u64) {
        if self.relay(|w| w.confirmed_send_count()) > position {
            return;
        }
        self.relay(Worlds::assert_l2_state).expect("the relay");
        let due = self.relay(|w| {
            w.assertions().iter().find(|a| a.send_count > position).map(|a| a.confirmable_at)
        });
        let due = due.expect("an assertion covers the send");
        let now = self.l1_block();
        self.advance_blocks(due.saturating_sub(now));
        assert!(self.relay(|w| w.confirmed_send_count()) > position, "send {position} confirmed");
    }

    /// Waits until the delayed messages sent so far ran on L2.
    pub fn wait_l1_to_l2(&mut self) {
        let delay = self.config().l1_to_l2_delay_seconds;
        self.advance_time(delay);
    }

    /// The L1 timestamp (L2's is the same).
    pub fn now(&mut self) -> u64 {
        self.relay(|w| w.l1.timestamp())
    }

    /// The L1 block number.
    pub fn l1_block(&mut self) -> u64 {
        self.relay(|w| w.l1.block_number())
    }

    /// The bridge's ether on both sides.
    ///
    /// # Panics
    ///
    /// When an Outbox view fails.
    pub fn ledger(&mut self) -> EthLedger {
        self.relay(Worlds::eth_ledger).expect("the ledger")
    }

    /// Checks that the Bridge holds exactly what L2 owes back and L2's supply is what the
    /// bridge minted less what ArbSys burned.
    ///
    /// # Panics
    ///
    /// When it does not.
    pub fn assert_ledger(&mut self) -> EthLedger {
        let ledger = self.ledger();
        assert!(ledger.is_balanced(), "the bridge's ether: {ledger:?}");
        ledger
    }

    /// An L2 transaction whose sends the relay reads.
    ///
    /// # Panics
    ///
    /// When the relay refuses its sends.
    pub fn l2_send<C: SolCall>(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        call: &C,
    ) -> Receipt {
        let receipt = self.s.send(from, to, value, call);
        self.relay(|w| w.observe_l2(&receipt)).expect("the relay reads its sends");
        receipt
    }

    /// `from` calls `ArbSys.sendTxToL1{value}(to, data)` on L2; the send's position.
    ///
    /// # Panics
    ///
    /// When the call fails.
    pub fn send_to_l1(&mut self, from: Address, to: Address, value: U256, data: Vec<u8>) -> u64 {
        let call = sendTxToL1Call { destination: to, data: data.into() };
        let r = self.l2_send(from, ARB_SYS, value, &call);
        assert!(r.success, "sendTxToL1: {:?}", r.status);
        self.sends() - 1
    }

    /// How many L2-to-L1 sends the relay collected.
    pub fn sends(&mut self) -> u64 {
        self.relay(|w| w.sends().len() as u64)
    }

    /// L2 governance (ADMIN on L2) sends `call` to the vault; after the challenge period the
    /// keeper executes it ([`TwoWorlds::wait_executable`]). The execution's receipt.
    pub fn governance<C: SolCall>(&mut self, call: &C) -> L1Receipt {
        let vault = self.vault;
        let index = self.send_to_l1(ADMIN, vault, U256::ZERO, call.abi_encode());
        self.wait_executable(index);
        self.execute(index)
    }

    /// The keeper's `Outbox.executeTransaction` of send `index` (a revert is a receipt).
    ///
    /// # Panics
    ///
    /// When there is no such send or the transaction is invalid.
    pub fn execute(&mut self, index: u64) -> L1Receipt {
        self.relay(|w| w.execute_l2_to_l1(index, KEEPER)).expect("a valid transaction")
    }

    /// Whether the Outbox spent send `index`.
    pub fn is_spent(&mut self, index: u64) -> bool {
        let outbox = self.relay(|w| w.contracts.outbox);
        l1_view(self, outbox, &IOutbox::isSpentCall { index: U256::from(index) })._0
    }

    /// An L1 transaction through the relay (a revert is a receipt).
    ///
    /// # Panics
    ///
    /// When the transaction is invalid.
    pub fn l1_call(&mut self, from: Address, to: Address, value: U256, data: Vec<u8>) -> L1Receipt {
        self.relay(|w| w.l1_call(from, to, value, data)).expect("a valid transaction")
    }

    /// The L1 balance of `who`.
    pub fn l1_balance(&mut self, who: Address) -> U256 {
        self.relay(|w| w.l1.balance(who))
    }

    /// The L2 balance of `who`.
    pub fn l2_balance(&self, who: Address) -> U256 {
        self.s.vm.balance(who)
    }

    /// How many delayed messages the relay has read from L1.
    pub fn inbound_count(&mut self) -> usize {
        self.relay(|w| w.inbound().len())
    }

    /// The run on L2 of delayed message `index`, a retryable ticket.
    ///
    /// # Panics
    ///
    /// When it has not run yet or is not a retryable.
    pub fn ticket(&mut self, index: usize) -> RetryableResult {
        let delivered = self.relay(|w| w.inbound()[index].delivered.clone());
        match delivered.map(|d| d.delivery) {
            Some(Delivery::Retryable(result)) => *result,
            other => panic!("delayed message {index} is not a delivered ticket: {other:?}"),
        }
    }

    // ------------------------------------------------------------------ the vault

    /// A view of the vault.
    pub fn vault_view<C: SolCall>(&mut self, call: &C) -> C::Return {
        let vault = self.vault;
        l1_view(self, vault, call)
    }

    /// The vault's batch `id`: (commitment, keys, status).
    pub fn batch(&mut self, id: u64) -> (B256, u64, V::Status) {
        let b = self.vault_view(&V::getBatchCall { batchId: U256::from(id) });
        (b.commitment, b.keys.to(), b.status)
    }

    /// The vault's `(balance, pendingEther, freeBalance, bridgedToL2)`.
    pub fn vault_state(&mut self) -> (U256, U256, U256, U256) {
        let vault = self.vault;
        let balance = self.l1_balance(vault);
        let pending = U256::from(self.vault_view(&V::pendingEtherCall {})._0);
        let free = self.vault_view(&V::freeBalanceCall {})._0;
        let bridged = U256::from(self.vault_view(&V::bridgedToL2Call {})._0);
        assert_eq!(balance, pending + free, "the vault's balance is pending + free");
        (balance, pending, free, bridged)
    }

    /// The beacon deposit contract's root now.
    pub fn deposit_root(&mut self) -> B256 {
        l1_view(self, DEPOSIT_CONTRACT_ADDRESS, &IDepositContract::get_deposit_rootCall {})._0
    }

    /// The beacon deposit contract's deposit count.
    pub fn deposit_count(&mut self) -> u64 {
        let count =
            l1_view(self, DEPOSIT_CONTRACT_ADDRESS, &IDepositContract::get_deposit_countCall {})._0;
        u64::from_le_bytes(count[..8].try_into().expect("8 bytes"))
    }

    /// What the guardians attest for batch `batch_id` now: the previous L1 block, the deposit
    /// contract's current root, the vault's nonce and the batch's commitment.
    pub fn attestation_fields(&mut self, batch_id: u64) -> DepositAttestation {
        let block_number = self.l1_block() - 1;
        DepositAttestation {
            block_number,
            block_hash: l1_block_hash(block_number),
            deposit_root: self.deposit_root(),
            nonce: self.vault_view(&V::nonceCall {})._0,
            batch_id,
            commitment: self.batch(batch_id).0,
        }
    }

    /// The first [`VAULT_QUORUM`] guardians sign `fields`: the signatures, ascending.
    pub fn sign(&self, fields: &DepositAttestation) -> Vec<u8> {
        let digest = attest_digest(CHAIN_ID, self.vault, fields);
        let signers: Vec<&Guardian> = self.guardians.iter().take(VAULT_QUORUM).collect();
        quorum_signatures(&signers, digest)
    }

    /// The keeper's `depositBatch(batch_id, …)` with the keys' data and a quorum over
    /// `fields` (a revert is a receipt). On success the stand-in beacon chain gets the
    /// validators of the deposit contract's `DepositEvent`s.
    pub fn deposit_batch_with(
        &mut self,
        batch_id: u64,
        pubkeys: Vec<u8>,
        signatures: Vec<u8>,
        fields: &DepositAttestation,
    ) -> L1Receipt {
        let call = V::depositBatchCall {
            batchId: U256::from(batch_id),
            pubkeys: pubkeys.into(),
            signatures: signatures.into(),
            blockNumber: U256::from(fields.block_number),
            blockHash: fields.block_hash,
            depositRoot: fields.deposit_root,
            guardianSignatures: self.sign(fields).into(),
        };
        let vault = self.vault;
        let r = self.l1_call(KEEPER, vault, U256::ZERO, call.abi_encode());
        if r.success {
            for e in l1_events::<IDepositContract::DepositEvent>(&r.logs, DEPOSIT_CONTRACT_ADDRESS)
            {
                let amount = u64::from_le_bytes(e.amount[..8].try_into().expect("8 bytes"));
                self.beacon.validators.push(Validator {
                    pubkey: e.pubkey.to_vec(),
                    credentials: e.withdrawal_credentials.to_vec(),
                    balance: U256::from(amount) * U256::from(1_000_000_000u64),
                    exited: false,
                });
            }
        }
        r
    }

    /// A guardian quorum cancels batch `batch_id` (a revert is a receipt); on success its keys
    /// count as [`TwoWorlds::cancelled_keys`].
    pub fn cancel_batch(&mut self, batch_id: u64) -> L1Receipt {
        let commitment = self.batch(batch_id).0;
        let digest = cancel_digest(CHAIN_ID, self.vault, batch_id, commitment);
        let signers: Vec<&Guardian> = self.guardians.iter().take(VAULT_QUORUM).collect();
        let call = V::cancelBatchCall {
            batchId: U256::from(batch_id),
            guardianSignatures: quorum_signatures(&signers, digest).into(),
        };
        let vault = self.vault;
        let keys = self.batch(batch_id).1;
        let r = self.l1_call(KEEPER, vault, U256::ZERO, call.abi_encode());
        if r.success {
            self.cancelled_keys += keys;
        }
        r
    }

    /// The keeper's `bridgeToL2()`: the receipt and its `BridgedToL2` event.
    ///
    /// # Panics
    ///
    /// When it reverts.
    pub fn bridge_to_l2(&mut self) -> (L1Receipt, V::BridgedToL2) {
        let vault = self.vault;
        let r = self.l1_call(KEEPER, vault, U256::ZERO, V::bridgeToL2Call {}.abi_encode());
        assert!(r.success, "bridgeToL2: {r:?}");
        let events = l1_events::<V::BridgedToL2>(&r.logs, vault);
        assert_eq!(events.len(), 1, "one BridgedToL2");
        let event = events[0].clone();
        (r, event)
    }

    // ------------------------------------------------------------------ the batch path

    /// Adds `operators` operators with `keys` keys each, committed and vetted; their ids.
    pub fn onboard(&mut self, operators: u16, keys: u32) -> Vec<u16> {
        self.v.onboard(&mut self.s, operators, keys)
    }

    /// The depositor bot's `depositBufferedEther(count, keys and proofs)` from ADMIN
    /// (`DEPOSIT_ROLE`), its send read by the relay. Checks the `BatchSent` event against the
    /// send and the commitment of the keys the registry allocated.
    ///
    /// # Panics
    ///
    /// When the call fails or its event and send disagree.
    pub fn send_batch(&mut self, count: usize) -> SentBatch {
        let keys = self.v.next_keys(&mut self.s, count);
        let data = self.v.keys_data(&mut self.s, count);
        let call = P::depositBufferedEtherCall { count: U256::from(count), data: data.into() };
        let pool = self.s.pool;
        let receipt = self.l2_send(ADMIN, pool, U256::ZERO, &call);
        assert!(
            receipt.success,
            "depositBufferedEther({count}): {:?} 0x{}",
            receipt.status,
            alloy_primitives::hex::encode(&receipt.output)
        );
        let sent = events::<P::BatchSent>(&receipt);
        assert_eq!(sent.len(), 1, "one BatchSent");
        let position: u64 = sent[0].position.to();
        assert_eq!(position, self.sends() - 1, "the event names the send");
        let commitment = crate::validators::commitment(&keys, &self.v.credentials);
        assert_eq!(sent[0].commitment, commitment);
        assert_eq!(
            (sent[0].keys, sent[0].amount),
            (U256::from(count), ether(32) * U256::from(count))
        );
        let message = self.relay(|w| w.l2_to_l1_message(position)).expect("the send");
        let body = V::receiveBatchCall { commitment, keys: U256::from(count) }.abi_encode();
        assert_eq!(
            (message.l2_sender, message.to, message.value, message.data.to_vec()),
            (pool, self.vault, ether(32) * U256::from(count), body)
        );
        SentBatch {
            position,
            commitment,
            pubkeys: keys.iter().flat_map(|(p, _)| *p).collect(),
            signatures: keys.iter().flat_map(|(_, s)| *s).collect(),
            keys: count as u64,
            receipt,
        }
    }

    /// Waits until the batch's message is executable (the challenge period after the
    /// assertion that covers it) and the keeper executes it: the vault's batch id and the
    /// execution's receipt.
    ///
    /// # Panics
    ///
    /// When the execution fails or the vault logs no `BatchReceived`.
    pub fn deliver(&mut self, batch: &SentBatch) -> (u64, L1Receipt) {
        self.wait_executable(batch.position);
        let r = self.execute(batch.position);
        assert!(r.success, "executing the batch: {r:?}");
        let vault = self.vault;
        let received = l1_events::<V::BatchReceived>(&r.logs, vault);
        assert_eq!(received.len(), 1, "one BatchReceived");
        let e = &received[0];
        assert_eq!(e.commitment, batch.commitment);
        assert_eq!(
            (e.keys, e.amount),
            (U256::from(batch.keys), ether(32) * U256::from(batch.keys))
        );
        (e.batchId.to(), r)
    }

    /// A fresh guardian quorum over the deposit contract's current root and batch `id`, and
    /// the keeper's `depositBatch` with the batch's keys (a revert is a receipt).
    pub fn deposit_batch(&mut self, id: u64, batch: &SentBatch) -> L1Receipt {
        let fields = self.attestation_fields(id);
        self.deposit_batch_with(id, batch.pubkeys.clone(), batch.signatures.clone(), &fields)
    }

    // ------------------------------------------------------------------ the beacon chain

    /// Every live validator of the vault earns `wei` on the consensus layer.
    pub fn accrue(&mut self, wei: U256) {
        let credentials = self.credentials;
        for v in &mut self.beacon.validators {
            if v.credentials == credentials && !v.exited {
                v.balance += wei;
            }
        }
    }

    /// The consensus layer's sweep: every live validator's balance above 32 ether is paid to
    /// the vault (no transaction, as the beacon chain credits withdrawals). The total.
    pub fn skim(&mut self) -> U256 {
        let credentials = self.credentials;
        let mut total = U256::ZERO;
        for v in &mut self.beacon.validators {
            if v.credentials == credentials && !v.exited && v.balance > ether(32) {
                total += v.balance - ether(32);
                v.balance = ether(32);
            }
        }
        self.credit_vault(total);
        total
    }

    /// The vault's first `n` live validators exit: their whole balances are paid to the
    /// vault. The total.
    pub fn exit(&mut self, n: usize) -> U256 {
        let credentials = self.credentials;
        let mut total = U256::ZERO;
        for v in self
            .beacon
            .validators
            .iter_mut()
            .filter(|v| v.credentials == credentials && !v.exited)
            .take(n)
        {
            total += v.balance;
            v.balance = U256::ZERO;
            v.exited = true;
        }
        self.credit_vault(total);
        total
    }

    /// The validator with `pubkey` exits on its own (its operator's signed voluntary exit):
    /// its whole balance is paid to the vault. The amount (0 when it is unknown or gone).
    pub fn exit_key(&mut self, pubkey: &[u8]) -> U256 {
        let Some(v) =
            self.beacon.validators.iter_mut().find(|v| v.pubkey.as_slice() == pubkey && !v.exited)
        else {
            return U256::ZERO;
        };
        let paid = v.balance;
        v.balance = U256::ZERO;
        v.exited = true;
        self.credit_vault(paid);
        paid
    }

    /// L1 block processing and the consensus layer applying EIP-7002's requests: the
    /// end-of-block system call releases what the predeploy queued
    /// (`L1::dequeue_withdrawal_requests`), and each full exit (amount 0) of a live validator
    /// whose 0x01 or 0x02 credentials name the request's source exits it: its whole balance is
    /// paid to that address, the vault (the stand-in pays at once; the real exit queue, the
    /// withdrawability delay and the sweep take a day or more). Every other request (another
    /// source, an unknown, exited or already-exiting key, a partial amount) is dropped, its
    /// fee lost, as the consensus layer's `process_withdrawal_request` drops it. Returns the
    /// public keys exited and the total paid.
    ///
    /// # Panics
    ///
    /// When the system call fails.
    pub fn process_withdrawal_requests(&mut self) -> (Vec<Vec<u8>>, U256) {
        let requests = self.relay(|w| w.l1.dequeue_withdrawal_requests()).expect("system call");
        let (mut exited, mut total) = (Vec::new(), U256::ZERO);
        for request in requests {
            let Some(v) = self.beacon.validators.iter_mut().find(|v| {
                v.pubkey.as_slice() == request.pubkey.as_slice()
                    && !v.exited
                    && matches!(v.credentials.first(), Some(0x01 | 0x02))
                    && v.credentials.get(12..) == Some(request.source.as_slice())
            }) else {
                continue;
            };
            if request.amount_gwei != 0 {
                continue;
            }
            total += v.balance;
            v.balance = U256::ZERO;
            v.exited = true;
            exited.push(v.pubkey.clone());
        }
        self.credit_vault(total);
        (exited, total)
    }

    /// The consensus layer credits `wei` to the vault (no transaction).
    fn credit_vault(&mut self, wei: U256) {
        let vault = self.vault;
        self.relay(|w| {
            let balance = w.l1.balance(vault);
            w.l1.set_balance(vault, balance + wei);
        });
    }

    /// A block builder pays `wei` of execution-layer rewards to the fee recipient, the vault
    /// (a plain L1 transfer).
    ///
    /// # Panics
    ///
    /// When it fails.
    pub fn el_rewards(&mut self, wei: U256) {
        let vault = self.vault;
        let r = self.l1_call(BUILDER, vault, wei, Vec::new());
        assert!(r.success && r.logs.is_empty(), "{r:?}");
    }

    /// The vault's validators on the consensus layer: (ever seen, balance in wei).
    pub fn cl(&self) -> (u64, U256) {
        self.beacon.of(&self.credentials)
    }

    // ------------------------------------------------------------------ the oracle

    /// Moves both worlds to the next frame's reference slot (the L1 block inside it), reads
    /// there what the committee reports (the vault's validators on the consensus layer and
    /// the keys of cancelled batches, their balance, the vault's free balance and
    /// `bridgedToL2`), then into the next frame's first slot, where the report for that
    /// reference slot is due.
    ///
    /// # Panics
    ///
    /// When a view fails.
    pub fn to_next_ref_slot(&mut self) -> L1Figures {
        let frame = SLOTS_PER_EPOCH * EPOCHS_PER_FRAME;
        let ref_slot = self.oracle.ref_slot(&mut self.s).to::<u64>() + frame;
        let at = GENESIS_TIME + ref_slot * SECONDS_PER_SLOT;
        let now = self.now();
        assert!(at >= now, "the next reference slot is ahead");
        // L1's blocks fall one second into their slots: the block of the reference slot.
        self.advance_time(at - now + 1);
        assert_eq!((self.now() - GENESIS_TIME) / SECONDS_PER_SLOT, ref_slot);
        let (seen, cl_balance) = self.cl();
        let validators = seen + self.cancelled_keys;
        let (_, _, vault_balance, bridged) = self.vault_state();
        let pool = self.pool_state();
        let unclaimed = pool.balance - pool.buffered;
        self.advance_blocks(1);
        assert_eq!(self.oracle.ref_slot(&mut self.s), U256::from(ref_slot));
        L1Figures {
            ref_slot: U256::from(ref_slot),
            validators,
            cl_balance,
            vault_balance,
            bridged,
            unclaimed,
        }
    }

    /// Moves both worlds to `blocks` L1 blocks before the next frame's reference slot.
    ///
    /// # Panics
    ///
    /// When that is not ahead.
    pub fn before_next_ref_slot(&mut self, blocks: u64) {
        let frame = SLOTS_PER_EPOCH * EPOCHS_PER_FRAME;
        let ref_slot = self.oracle.ref_slot(&mut self.s).to::<u64>() + frame;
        let at = GENESIS_TIME + ref_slot * SECONDS_PER_SLOT + 1 - blocks * SECONDS_PER_SLOT;
        let now = self.now();
        assert!(at > now, "{blocks} blocks before the next reference slot is ahead");
        self.advance_time(at - now);
    }

    /// The report of `figures`: the pool's unaccounted balance claimed as `withdrawals`,
    /// nothing finalized.
    pub fn report_of(figures: &L1Figures) -> Report {
        Report {
            withdrawals: figures.unclaimed,
            validators: figures.validators,
            cl_balance_gwei: (figures.cl_balance / U256::from(1_000_000_000u64)).to(),
            vault_balance: figures.vault_balance,
            bridged_to_l2: figures.bridged,
            ..Report::default()
        }
    }

    /// The committee agrees on `report` for the current frame and a member submits it; the
    /// submission's receipt (success or not).
    pub fn process(&mut self, report: &Report) -> Receipt {
        let ref_slot = self.oracle.ref_slot(&mut self.s);
        let data = report.data(ref_slot);
        self.oracle.process(&mut self.s, &data)
    }

    /// [`TwoWorlds::to_next_ref_slot`], then the honest report of what was read there,
    /// which must succeed: its figures and receipt.
    ///
    /// # Panics
    ///
    /// When the report fails.
    pub fn report(&mut self) -> (L1Figures, Receipt) {
        let figures = self.to_next_ref_slot();
        let r = self.process(&Self::report_of(&figures));
        assert!(
            r.success,
            "the report of {figures:?}: {:?} 0x{}",
            r.status,
            alloy_primitives::hex::encode(&r.output)
        );
        (figures, r)
    }

    // ------------------------------------------------------------------ the pool

    /// The pool's `(buffered, depositedValidators, clValidators, clBalance, totalPooledEther,
    /// receivedFromL1Vault)`.
    pub fn pool_state(&mut self) -> PoolState {
        let pool = self.s.pool;
        let beacon = self.s.view(pool, &P::getBeaconStatCall {});
        PoolState {
            buffered: self.s.view(pool, &P::getBufferedEtherCall {})._0,
            deposited: beacon._0.to(),
            cl_validators: beacon._1.to(),
            cl_balance: beacon._2,
            total_pooled: self.s.view(pool, &P::getTotalPooledEtherCall {})._0,
            received: self.s.view(pool, &P::receivedFromL1VaultCall {})._0,
            balance: self.s.vm.balance(pool),
        }
    }

    /// Checks the pool's identities: total pooled = buffered + deposited-not-seen (32 ether
    /// per deposited validator the consensus layer has not reported) + the report's L1 figure;
    /// the pool holds at least its buffer; and the bridge's ledger balances.
    ///
    /// # Panics
    ///
    /// When one does not hold.
    pub fn assert_identities(&mut self) -> PoolState {
        let p = self.pool_state();
        let not_seen = ether(32) * U256::from(p.deposited - p.cl_validators);
        assert_eq!(p.total_pooled, p.buffered + not_seen + p.cl_balance, "total pooled: {p:?}");
        assert!(p.balance >= p.buffered, "the pool holds its buffer: {p:?}");
        self.assert_ledger();
        p
    }

    /// What the pool's ether beyond its buffer is on both worlds now: the pool's batches not
    /// yet executed by the Outbox (the Bridge owes them), the vault's balance (batches awaiting
    /// deposit and free ether), its validators' balance on the consensus layer, and the ether
    /// in flight to L2 (`bridgedToL2 − receivedFromL1Vault`).
    pub fn l1_truth(&mut self) -> U256 {
        let owed = self.ledger().owed_on_l1;
        let (_, cl) = self.cl();
        let (balance, _, _, bridged) = self.vault_state();
        let received = self.pool_state().received;
        owed + balance + cl + bridged - received
    }

    /// Checks the pool's books against both worlds: total pooled ether = buffered +
    /// [`TwoWorlds::l1_truth`] (plus the pool's own identities, [`TwoWorlds::assert_identities`]).
    /// Holds exactly right after an honest report while nothing moved on L1 since its
    /// reference slot, and across everything that only moves ether between the terms (a
    /// batch sent, executed or deposited, a ticket bridged or received); rewards and fees
    /// make the difference until the next report.
    ///
    /// # Panics
    ///
    /// When it does not hold.
    pub fn assert_accounted(&mut self) -> PoolState {
        let p = self.assert_identities();
        let truth = self.l1_truth();
        assert_eq!(p.total_pooled, p.buffered + truth, "total pooled vs both worlds: {p:?}");
        p
    }
}

impl Default for TwoWorlds {
    fn default() -> Self {
        Self::new()
    }
}

/// The pool's counters ([`TwoWorlds::pool_state`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolState {
    /// `getBufferedEther`.
    pub buffered: U256,
    /// Validators funded (batches sent to L1 included).
    pub deposited: u64,
    /// Validators the last report saw.
    pub cl_validators: u64,
    /// The report's L1 figure.
    pub cl_balance: U256,
    /// `getTotalPooledEther`.
    pub total_pooled: U256,
    /// `receivedFromL1Vault`.
    pub received: U256,
    /// The pool's ether balance on L2.
    pub balance: U256,
}

/// What the committee reads at a reference slot ([`TwoWorlds::to_next_ref_slot`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct L1Figures {
    /// The reference slot.
    pub ref_slot: U256,
    /// The vault's validators the consensus layer has seen (exited ones included), and the
    /// keys of cancelled batches ([`TwoWorlds::cancelled_keys`]).
    pub validators: u64,
    /// Their balance, wei.
    pub cl_balance: U256,
    /// The vault's free balance (its balance less the batches awaiting deposit), wei.
    pub vault_balance: U256,
    /// The vault's `bridgedToL2`, wei.
    pub bridged: U256,
    /// Ether at the pool's address outside its buffer (`balance - buffered`), which the
    /// committee claims as `withdrawals`: on the L1 leg, the part of a receipt beyond the
    /// pool's L1 figure (a cancelled batch back before a report resolved it) and the tickets'
    /// unused fees refunded to the pool. Read here at the slot; a committee building its report
    /// later reads it then (`tests/e2e/two_world_invariants.rs` does).
    pub unclaimed: U256,
}

/// A batch the pool sent to the vault ([`TwoWorlds::send_batch`]).
#[derive(Clone, Debug)]
pub struct SentBatch {
    /// Its L2-to-L1 message's position.
    pub position: u64,
    /// The commitment to its keys' deposit data.
    pub commitment: B256,
    /// Its keys' pubkeys, concatenated, in order.
    pub pubkeys: Vec<u8>,
    /// Their deposit signatures, concatenated.
    pub signatures: Vec<u8>,
    /// How many keys.
    pub keys: u64,
    /// The L2 transaction's receipt.
    pub receipt: Receipt,
}

/// A view call on L1.
///
/// # Panics
///
/// When the call fails or its output does not decode.
pub fn l1_view<C: SolCall>(t: &mut TwoWorlds, to: Address, call: &C) -> C::Return {
    let data = call.abi_encode();
    let r = t.relay(|w| w.l1.static_call(Address::ZERO, to, data)).expect("a valid call");
    assert!(r.success, "view {} failed: {r:?}", C::SIGNATURE);
    C::abi_decode_returns(&r.output, true).expect("decodes")
}

/// The events of type `E` that `address` logged.
///
/// # Panics
///
/// When a log with `E`'s signature does not decode.
pub fn l1_events<E: SolEvent>(logs: &[Log], address: Address) -> Vec<E> {
    logs.iter()
        .filter(|l| l.address == address && l.topics().first() == Some(&E::SIGNATURE_HASH))
        .map(|l| E::decode_log(l, true).expect("decodes").data)
        .collect()
}
