//! The gas report's L1 leg: what a validator batch costs on Ethereum, and what the ether
//! coming back costs on both layers, measured by running the real code on the two in-process
//! worlds (`crates/worlds`).
//!
//! - **L1** (revm under Prague; Arbitrum's real Bridge, Inbox and Outbox behind their
//!   proxies; the beacon deposit contract): the vault (`contracts/l1-vault`,
//!   `artifacts/evm/StakingVault.json`) takes a 10-key batch from the Outbox
//!   (`Outbox.executeTransaction` → `receiveBatch`) and deposits it against a guardian quorum
//!   of 4 of 6 (Lido's mainnet DepositSecurityModule), then a 1-key batch the same way; then
//!   `bridgeToL2` sends the ether the vault received since (withdrawal skims, credited with
//!   no transaction as the consensus layer credits them) to the pool by retryable ticket:
//!   the vault's first bridge, then later frames'.
//! - **L2**: the suite deployed as the rest of the report deploys it (the release wasm through
//!   the StylusDeployer, Lido's stake limit), with the vault set, is the worlds' L2; the relay
//!   runs each ticket there as ArbOS runs it, and its auto-redeem from `alias(vault)` into
//!   the pool's `receive` is measured: the pool's first receipt and a repeat one, cached, and a
//!   repeat one uncached. A report (from a stand-in oracle account) has counted the batches'
//!   validators first, so each receipt moves its ether from the pool's L1 figure into the
//!   buffer, writing both, as in production.
//!
//! The steady state: one earlier batch of 20 keys was delivered and deposited, so the vault's
//! counters, the Outbox's spent-bitmap word and every branch level of the deposit tree that
//! the measured deposits write (leaves 21 to 31) already hold a value, as on mainnet.
//!
//! The batches are the pool's own: `depositBufferedEther` on L2 (the registry, deployed with
//! the vault's credentials, and one operator's committed and vetted keys), whose
//! `ArbSys.sendTxToL1` message the Outbox executes. The L2 side's gas is the validator
//! section's ([`crate::validator_gas`]).

use std::fmt::Write as _;

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{SolCall, SolEvent};
use l1_vault::{
    attest_digest, keys_commitment, keys_data, l1_block_hash, quorum_signatures,
    withdrawal_credentials, Deployment, DepositAttestation, Guardian, StakingVault as V,
    ValidatorKey,
};
use stylus_vm::{arbos::send_merkle::sends, Receipt};
use worlds::{
    abi::{IDepositContract, IOutbox},
    l1::CHAIN_ID,
    relay::Delivery,
    L1Receipt, Worlds, DEPOSIT_CONTRACT_ADDRESS,
};

use crate::{
    abi::IStakingPool,
    deploy::{events, PoolReport, Suite, ADMIN, ALICE, REPORTER},
    ether,
    gas::group,
    validator_gas::{LIDO_DEPOSIT_1, LIDO_DEPOSIT_10},
    validators::{KeyBatch, Validators, MAX_BATCH_KEYS},
};

/// The L1 target for a 10-key batch, outbox execution plus guarded deposit:
/// 0.75 × Lido's guarded deposit of 10 keys (1,127,549), rounded up.
pub const L1_TARGET_10: u64 = (LIDO_DEPOSIT_10 * 3).div_ceil(4);
/// The guardian set: Lido's mainnet DepositSecurityModule, 6 guardians, quorum 4.
pub const GUARDIANS: u64 = 6;
/// See [`GUARDIANS`].
pub const QUORUM: usize = 4;
/// Deploys the vault on L1.
const DEPLOYER: Address = address!("00000000000000000000000000000000000de900");
/// An L1 keeper: executes Outbox messages, deposits batches, bridges.
const KEEPER: Address = address!("00000000000000000000000000000000000ee900");
/// Keys in the warm-up batch: the deposit tree's levels 0 to 4 written.
const WARM_KEYS: u64 = 20;

/// One L1 transaction: its gas and the intrinsic part (21,000 + calldata).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct L1Tx {
    /// `gasUsed`, refunds deducted.
    pub gas: u64,
    /// 21,000 + 4 per zero calldata byte + 16 per other byte.
    pub intrinsic: u64,
}

/// The L1 leg's figures.
#[derive(Debug, Clone)]
pub struct L1Gas {
    /// `Outbox.executeTransaction` → `receiveBatch`, 10 keys.
    pub execute_10: L1Tx,
    /// `depositBatch`, 10 keys, quorum [`QUORUM`] of [`GUARDIANS`].
    pub deposit_10: L1Tx,
    /// `Outbox.executeTransaction` → `receiveBatch`, 1 key.
    pub execute_1: L1Tx,
    /// `depositBatch`, 1 key.
    pub deposit_1: L1Tx,
    /// The vault's first `bridgeToL2`.
    pub bridge_first: L1Tx,
    /// A later frame's `bridgeToL2`.
    pub bridge_repeat: L1Tx,
    /// The depth of the Outbox proofs of the measured batches.
    pub proof_depth: usize,
    /// The pool's first receipt of L1 ether (the auto-redeem), cached: (gas, intrinsic).
    pub receive_first: (u64, u64),
    /// A repeat receipt, cached.
    pub receive_repeat: (u64, u64),
    /// A repeat receipt, uncached.
    pub receive_repeat_uncached: (u64, u64),
}

impl L1Gas {
    /// Outbox execution plus guarded deposit of 10 keys.
    pub fn batch_10(&self) -> u64 {
        self.execute_10.gas + self.deposit_10.gas
    }

    /// Outbox execution plus guarded deposit of 1 key.
    pub fn batch_1(&self) -> u64 {
        self.execute_1.gas + self.deposit_1.gas
    }

    /// Whether the 10-key batch meets [`L1_TARGET_10`].
    pub fn meets_targets(&self) -> bool {
        self.batch_10() <= L1_TARGET_10
    }
}

/// 21,000 + 4 per zero byte of `data` + 16 per other byte.
pub fn intrinsic(data: &[u8]) -> u64 {
    data.iter().map(|b| if *b == 0 { 4 } else { 16 }).sum::<u64>() + 21_000
}

/// The worlds with the suite on L2 and the vault on L1.
struct Leg {
    /// L1, L2 (the suite's chain) and the relay.
    w: Worlds,
    /// The vault on L1.
    vault: Address,
    /// The pool on L2.
    pool: Address,
    /// The suite's programs (pool, its extension, manager, queue, its extension).
    programs: [Address; 5],
    /// The guardians ([`GUARDIANS`] of [`Guardian::new`]).
    guardians: Vec<Guardian>,
    /// The vault's 0x01 withdrawal credentials.
    credentials: [u8; 32],
    /// The operator's committed keys (the registry's only operator).
    keys: KeyBatch,
    /// The index of its next key to deposit.
    next_key: u32,
    /// The pool's (buffered ether, L1 figure) after the last receipt or report.
    books: (U256, U256),
}

impl Leg {
    /// The suite as the report deploys it, the worlds with it as their L2, the vault deployed
    /// with the pool as its L2 pool and ADMIN as L2 governance, the pool pointed at the vault,
    /// the registry deployed with the vault's credentials and one operator with the keys of
    /// every batch committed and vetted.
    fn new() -> Self {
        let mut suite =
            Suite::deploy_with_limit(ether(150_000), ether(150_000) / U256::from(6_400));
        let mut w = Worlds::new().expect("the worlds (run scripts/evm-build)");
        for who in [DEPLOYER, KEEPER] {
            w.l1.set_balance(who, ether(10_000));
        }
        let guardians: Vec<Guardian> = (1..=GUARDIANS).map(Guardian::new).collect();
        let guardian_addresses = guardians.iter().map(|g| g.address).collect();
        let vault = Deployment::new(&w, suite.pool, ADMIN, guardian_addresses, QUORUM as u64)
            .deploy(&mut w, DEPLOYER)
            .expect("the vault deploys");
        let pool = suite.pool;
        suite.ok(ADMIN, pool, U256::ZERO, &IStakingPool::setL1VaultCall { vault });
        let programs =
            [suite.pool, suite.pool_extension, suite.manager, suite.queue, suite.queue_extension];
        let mut v = Validators::setup(&mut suite, usize::try_from(GUARDIANS).expect("small"));
        let operator = v.add_operator(&mut suite, "Operator");
        let all = u32::try_from(WARM_KEYS).expect("small") + 11;
        v.commit(&mut suite, operator, all);
        v.vet(&mut suite, operator, all);
        let keys = v.batches[0].clone();
        // REPORTER stands in for the accounting oracle (the oracle's own gas is its section's).
        suite.set_reporter();
        w.l2 = suite.vm;
        // Joins the L2 clock to L1's.
        w.advance_blocks(1).expect("the relay");
        // The batches' ether: ALICE bridges it from L1 (the Bridge then holds what the
        // Outbox pays out) and deposits it into the pool's buffer.
        let buffered = ether(32 * (WARM_KEYS + 11));
        w.l1.set_balance(ALICE, buffered + ether(1));
        assert!(w.deposit_eth(ALICE, buffered).expect("the relay").success);
        let delay = w.config().l1_to_l2_delay_seconds;
        w.advance_time(delay).expect("the relay");
        let deposit = IStakingPool::depositCall { referral: Address::ZERO }.abi_encode();
        let r = w.l2_call(ALICE, pool, buffered, &deposit).expect("the relay");
        assert!(r.success, "{:?}", r.status);
        let credentials = withdrawal_credentials(vault, false);
        assert_eq!(v.credentials.0, credentials, "the registry's credentials are the vault's");
        let max = w.l1.static_call(Address::ZERO, vault, V::MAX_BATCH_KEYSCall {}.abi_encode());
        let max = V::MAX_BATCH_KEYSCall::abi_decode_returns(&max.expect("a view").output, true)
            .expect("decodes")
            ._0;
        assert_eq!(
            max,
            U256::from(MAX_BATCH_KEYS),
            "the registry's batch limit (TooManyKeys) is the vault's"
        );
        let books = (U256::ZERO, U256::ZERO);
        Self { w, vault, pool, programs, guardians, credentials, keys, next_key: 0, books }
    }

    /// The pool's batch of the operator's next `n` keys (ADMIN, the depositor bot, sends
    /// `depositBufferedEther`) through the Outbox (after the challenge period): the keys, the
    /// batch id, the execution's gas, the proof's depth.
    fn deliver(&mut self, n: u64) -> (Vec<ValidatorKey>, u64, L1Tx, usize) {
        let n32 = u32::try_from(n).expect("small");
        let indices = self.next_key..self.next_key + n32;
        self.next_key += n32;
        let keys: Vec<ValidatorKey> = indices
            .clone()
            .map(|i| {
                let k = (i - self.keys.start) as usize;
                ValidatorKey { pubkey: self.keys.pubkeys[k], signature: self.keys.signatures[k] }
            })
            .collect();
        // One operator: the list is empty while its key is out, so every hint is 0 (the head).
        let data: Vec<u8> = indices.flat_map(|i| self.keys.entry(i, 0)).collect();
        let id = self.view(&V::batchCountCall {})._0;
        let call =
            IStakingPool::depositBufferedEtherCall { count: U256::from(n), data: data.into() };
        let r = self.w.l2_call(ADMIN, self.pool, U256::ZERO, &call.abi_encode()).expect("relay");
        assert!(r.success, "the pool's batch: {:?} {:?}", r.status, r.output);
        let sent = sends(&r.logs);
        assert_eq!(sent.len(), 1, "one message");
        let batch = V::receiveBatchCall {
            commitment: keys_commitment(&keys, &self.credentials),
            keys: U256::from(n),
        };
        assert_eq!(
            (sent[0].caller, sent[0].destination, sent[0].callvalue, &sent[0].data[..]),
            (self.pool, self.vault, ether(32) * U256::from(n), &batch.abi_encode()[..]),
            "the pool's message: the vault, the ether, receiveBatch(commitment, n)"
        );
        let index = self.w.sends().len() as u64 - 1;
        assert_eq!(index, sent[0].position);
        let blocks = self.w.config().challenge_period_blocks;
        self.w.advance_blocks(blocks).expect("the relay");
        let message = self.w.l2_to_l1_message(index).expect("a send");
        let (proof, _) = self.w.outbox_proof(index).expect("a proof");
        let depth = proof.len();
        let data = IOutbox::executeTransactionCall {
            proof,
            index: U256::from(index),
            l2Sender: message.l2_sender,
            to: message.to,
            l2Block: message.l2_block,
            l1Block: message.l1_block,
            l2Timestamp: message.l2_timestamp,
            value: message.value,
            data: message.data.clone(),
        }
        .abi_encode();
        let r = self.w.execute_l2_to_l1(index, KEEPER).expect("the relay");
        assert!(r.success, "executing the batch: {r:?}");
        (keys, id, tx(&r, &data), depth)
    }

    /// The keeper deposits batch `id` with a fresh quorum of the first [`QUORUM`] guardians
    /// over the previous block, the deposit contract's root and the batch.
    fn deposit(&mut self, id: u64, keys: &[ValidatorKey]) -> L1Tx {
        let block_number = self.w.l1.block_number() - 1;
        let block_hash = l1_block_hash(block_number);
        let root = self
            .w
            .l1
            .static_call(
                Address::ZERO,
                DEPOSIT_CONTRACT_ADDRESS,
                IDepositContract::get_deposit_rootCall {}.abi_encode(),
            )
            .expect("a view");
        let root = IDepositContract::get_deposit_rootCall::abi_decode_returns(&root.output, true)
            .expect("a root")
            ._0;
        let nonce = self.view(&V::nonceCall {})._0;
        let commitment = self.view(&V::getBatchCall { batchId: U256::from(id) }).commitment;
        let fields = DepositAttestation {
            block_number,
            block_hash,
            deposit_root: root,
            nonce,
            batch_id: id,
            commitment,
        };
        let digest = attest_digest(CHAIN_ID, self.vault, &fields);
        let signers: Vec<&Guardian> = self.guardians.iter().take(QUORUM).collect();
        let (pubkeys, signatures) = keys_data(keys);
        let data = V::depositBatchCall {
            batchId: U256::from(id),
            pubkeys: pubkeys.into(),
            signatures: signatures.into(),
            blockNumber: U256::from(block_number),
            blockHash: block_hash,
            depositRoot: root,
            guardianSignatures: quorum_signatures(&signers, digest).into(),
        }
        .abi_encode();
        let r = self.w.l1_call(KEEPER, self.vault, U256::ZERO, data.clone()).expect("valid");
        assert!(r.success, "depositing the batch: {r:?}");
        let batch = self.view(&V::getBatchCall { batchId: U256::from(id) });
        assert_eq!(batch.status, V::Status::Deposited);
        tx(&r, &data)
    }

    /// A frame's skims arrive at the vault (no transaction) and the keeper bridges them to the
    /// pool; the L1 gas, the index of the ticket's delayed message and the amount bridged
    /// (the skims less the ticket's fees).
    fn bridge(&mut self, skims: U256) -> (L1Tx, usize, U256) {
        let balance = self.w.l1.balance(self.vault);
        self.w.l1.set_balance(self.vault, balance + skims);
        let data = V::bridgeToL2Call {}.abi_encode();
        let r = self.w.l1_call(KEEPER, self.vault, U256::ZERO, data.clone()).expect("valid");
        assert!(r.success, "bridging: {r:?}");
        let bridged: Vec<U256> = r
            .logs
            .iter()
            .filter(|l| l.address == self.vault)
            .filter_map(|l| V::BridgedToL2::decode_log(l, true).ok())
            .map(|e| e.data.amount)
            .collect();
        assert_eq!(bridged.len(), 1, "one BridgedToL2");
        (tx(&r, &data), self.w.inbound().len() - 1, bridged[0])
    }

    /// The relay runs the ticket of delayed message `index` on L2: its auto-redeem, which
    /// must have paid the pool `amount` as L1 ether.
    fn redeemed(&mut self, index: usize, amount: U256) -> (u64, u64) {
        let delay = self.w.config().l1_to_l2_delay_seconds;
        self.w.advance_time(delay).expect("the relay");
        let delivered = self.w.inbound()[index].delivered.as_ref().expect("run on L2");
        let Delivery::Retryable(result) = &delivered.delivery else {
            panic!("not a retryable: {:?}", delivered.delivery);
        };
        let redeem: &Receipt = result.auto_redeem.as_ref().expect("an auto-redeem");
        assert!(redeem.success, "{:?}", redeem.status);
        let received = events::<IStakingPool::L1EtherReceived>(redeem);
        assert_eq!(received.len(), 1);
        assert_eq!(received[0].amount, amount);
        let gas = (redeem.gas_used, redeem.breakdown.intrinsic);
        // The receipt moved the ether from the L1 figure into the buffer (both words written).
        let (buffered, figure) = self.pool_books();
        let (before_buffered, before_figure) = self.books;
        assert_eq!((buffered, figure), (before_buffered + amount, before_figure - amount));
        self.books = (buffered, figure);
        gas
    }

    /// The pool's report that `validators` validators are on the consensus layer with 32 ether
    /// each (from REPORTER, the pool's oracle here): the pool's L1 figure then holds their
    /// ether, as in production, so a receipt moves ether from the figure into the buffer and
    /// writes both.
    fn report_validators(&mut self, validators: u64) {
        let mut call = PoolReport {
            cl_validators: U256::from(validators),
            cl_balance: ether(32 * validators),
            limits: alloy_primitives::B256::from(staking_math::sanity::Limits::LIDO.pack()),
            ..PoolReport::default()
        }
        .call();
        call.reportTimestamp = U256::from(self.w.l2.timestamp() - 1);
        let r = self.w.l2_call(REPORTER, self.pool, U256::ZERO, &call.abi_encode());
        let r = r.expect("the relay");
        assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
        self.books = self.pool_books();
        assert_eq!(self.books.1, ether(32 * validators));
    }

    /// The pool's (buffered ether, L1 figure).
    fn pool_books(&mut self) -> (U256, U256) {
        let buffered = self.pool_view(&IStakingPool::getBufferedEtherCall {})._0;
        (buffered, self.pool_view(&IStakingPool::getBeaconStatCall {})._2)
    }

    /// A view of the pool on L2.
    fn pool_view<C: SolCall>(&mut self, call: &C) -> C::Return {
        let r = self.w.l2.static_call(Address::ZERO, self.pool, &call.abi_encode());
        assert!(r.success, "{:?}", r.status);
        C::abi_decode_returns(&r.output, true).expect("decodes")
    }

    /// A view of the vault.
    fn view<C: SolCall>(&mut self, call: &C) -> C::Return {
        let r = self.w.l1.static_call(Address::ZERO, self.vault, call.abi_encode()).expect("view");
        assert!(r.success, "{r:?}");
        C::abi_decode_returns(&r.output, true).expect("decodes")
    }
}

fn tx(r: &L1Receipt, data: &[u8]) -> L1Tx {
    L1Tx { gas: r.gas_used, intrinsic: intrinsic(data) }
}

/// Runs the leg (see the module docs).
///
/// # Panics
///
/// When the artifacts are missing or a step fails.
pub fn measure() -> L1Gas {
    let mut leg = Leg::new();
    let (warm, id, _, _) = leg.deliver(WARM_KEYS);
    leg.deposit(id, &warm);

    let (keys, id, execute_10, proof_depth) = leg.deliver(10);
    let deposit_10 = leg.deposit(id, &keys);
    let (keys, id, execute_1, _) = leg.deliver(1);
    let deposit_1 = leg.deposit(id, &keys);
    assert_eq!(leg.view(&V::pendingEtherCall {})._0, 0, "every batch deposited");
    leg.report_validators(WARM_KEYS + 11);

    let skims = ether(2);
    let (bridge_first, first, amount) = leg.bridge(skims);
    let receive_first = leg.redeemed(first, amount);
    let (bridge_repeat, second, amount) = leg.bridge(skims);
    let receive_repeat = leg.redeemed(second, amount);
    let (_, third, amount) = leg.bridge(skims);
    for program in leg.programs {
        leg.w.l2.set_cached(program, false);
    }
    let receive_repeat_uncached = leg.redeemed(third, amount);
    let total = leg.w.l2.static_call(
        Address::ZERO,
        leg.pool,
        &IStakingPool::receivedFromL1VaultCall {}.abi_encode(),
    );
    let total = IStakingPool::receivedFromL1VaultCall::abi_decode_returns(&total.output, true)
        .expect("decodes")
        ._0;
    assert_eq!(U256::from(leg.view(&V::bridgedToL2Call {})._0), total);

    L1Gas {
        execute_10,
        deposit_10,
        execute_1,
        deposit_1,
        bridge_first,
        bridge_repeat,
        proof_depth,
        receive_first,
        receive_repeat,
        receive_repeat_uncached,
    }
}

/// The section's table and the paragraph under it.
pub fn markdown(g: &L1Gas) -> String {
    let mut out = String::from(
        "| layer | operation | gas | of which intrinsic | Lido | gas / Lido | target | met |\n\
         |---|---|---:|---:|---:|---:|---:|:-:|\n",
    );
    #[allow(clippy::cast_precision_loss)]
    let mut row = |layer: &str,
                   name: &str,
                   (gas, intr): (u64, u64),
                   lido: Option<u64>,
                   target: Option<u64>| {
        let ratio =
            lido.map_or_else(|| "–".to_owned(), |l| format!("{:.2}", gas as f64 / l as f64));
        let _ = writeln!(
            out,
            "| {layer} | {name} | {} | {} | {} | {ratio} | {} | {} |",
            group(gas),
            group(intr),
            lido.map_or_else(|| "–".to_owned(), group),
            target.map_or_else(|| "–".to_owned(), |t| format!("≤ {}", group(t))),
            if target.is_none_or(|t| gas <= t) { "yes" } else { "NO" },
        );
    };
    let pair = |t: L1Tx| (t.gas, t.intrinsic);
    let quorum = format!("quorum {QUORUM} of {GUARDIANS}");
    row(
        "L1",
        "`Outbox.executeTransaction` → `receiveBatch`, 10 keys",
        pair(g.execute_10),
        None,
        None,
    );
    row(
        "L1",
        &format!("`depositBatch`, 10 keys, {quorum} (the deposit contract's 10 deposits included)"),
        pair(g.deposit_10),
        None,
        None,
    );
    row(
        "L1",
        &format!("**outbox execution + guarded deposit, 10 keys, {quorum}**"),
        (g.batch_10(), g.execute_10.intrinsic + g.deposit_10.intrinsic),
        Some(LIDO_DEPOSIT_10),
        Some(L1_TARGET_10),
    );
    row("L1", "`Outbox.executeTransaction` → `receiveBatch`, 1 key", pair(g.execute_1), None, None);
    row("L1", &format!("`depositBatch`, 1 key, {quorum}"), pair(g.deposit_1), None, None);
    row(
        "L1",
        &format!("outbox execution + guarded deposit, 1 key, {quorum}"),
        (g.batch_1(), g.execute_1.intrinsic + g.deposit_1.intrinsic),
        Some(LIDO_DEPOSIT_1),
        None,
    );
    row(
        "L1",
        "`bridgeToL2`, the vault's first (a frame's ether back)",
        pair(g.bridge_first),
        None,
        None,
    );
    row("L1", "`bridgeToL2`, a later frame", pair(g.bridge_repeat), None, None);
    row(
        "L2",
        "the pool receives the bridged ether (auto-redeem from alias(vault)), first receipt, cached",
        g.receive_first,
        None,
        None,
    );
    row("L2", "the same, a repeat receipt, cached", g.receive_repeat, None, None);
    row("L2", "the same, a repeat receipt, uncached", g.receive_repeat_uncached, None, None);
    let _ = write!(
        out,
        "\nL1 figures are transactions' `gasUsed` on the L1 world (`crates/worlds`: revm under \
         Prague, Arbitrum's real Bridge, Inbox and Outbox behind their proxies, the beacon \
         deposit contract), refunds deducted: the intrinsic column is 21,000 + calldata (4 per \
         zero byte, 16 per other). The outbox execution verifies a send-tree proof of depth {} \
         (this world's tree holds only these sends; on Arbitrum One each further level adds a \
         32-byte word of calldata and a keccak) and includes the Bridge's call into the vault \
         with the ether; the vault has taken a batch before. The guarded deposit checks the \
         deposit contract's root, the block hash, {QUORUM} guardian signatures of {GUARDIANS} \
         (Lido's mainnet DepositSecurityModule), recomputes every deposit data root (SHA-256) \
         and the commitment, and includes the beacon deposit contract's own deposits into a \
         tree of {WARM_KEYS} earlier ones (every branch level written before, as on mainnet). \
         Lido's figures are its guarded deposits (10 operators), the beacon deposit contract's \
         included; the target is 0.75 × Lido's 10-key figure. `bridgeToL2` reads the Inbox's \
         fee and creates the retryable ticket (amount + fees out of the vault's balance); the \
         vault's first bridge writes its counters' slot from zero. L2 figures are the ticket's \
         auto-redeem (a transaction from alias(vault) to the pool's `receive`, the release \
         wasm deployed as above, run by the relay as ArbOS runs it; the submission itself \
         counts no gas). `receivedFromL1Vault` shares its slot with the vault's address, which \
         `setL1Vault` wrote, so the pool's first receipt updates a non-zero slot like a repeat \
         one. A report has counted the batches' validators, so a receipt moves its ether from \
         the pool's L1 figure into the buffer: it writes the counter's, the buffer's and the \
         figure's words. The batches are the pool's own (`depositBufferedEther` on L2, its \
         `ArbSys.sendTxToL1` message executed here); their L2 gas is in the validator section \
         (\"batch of 10 keys to L1\", with ArbSys's share).\n",
        g.proof_depth,
    );
    out
}
