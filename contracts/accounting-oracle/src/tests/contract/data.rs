//! `submitReportData`, `setSanityLimits` and `setProtocolContracts`: the agreed data reaches
//! the pool exactly as the pool's interface expects it and exited counts reach the registry;
//! every refusal, in order, with nothing written; the frame is processed once; time elapsed is
//! measured from the last processed frame.
//!
//! The pool and the registry are stand-ins here that record what they are sent (the real ones
//! are in the end-to-end tests). motsu does not unwind a callee's revert inside a call, so a
//! callee's refusal is checked for its revert data only; that it changes nothing is shown end
//! to end.

use alloy_primitives::keccak256;
use alloy_sol_types::{SolCall, SolValue};
use staking_common::roles::SUBMIT_DATA_ROLE;
use staking_math::sanity::Limits;
use stylus_sdk::{
    prelude::*,
    storage::{StorageBool, StorageBytes, StorageU256},
    ArbResult,
};

use super::{log, *};
use crate::{
    abi::IAccountingOracle as I,
    errors::{
        BridgedToL2Decreased, ExitedValidatorsLimitExceeded, IncorrectLimitValue, InvalidAddress,
        InvalidExitedValidatorsData, NegativeFlight, NegativeL1Balance, NoConsensusReportToProcess,
        ProcessingDeadlineMissed, ProtocolContractsNotSet, RefSlotAlreadyProcessing,
        TooManyExitedOperators, UnexpectedConsensusVersion, UnexpectedContractVersion,
        UnexpectedDataHash, UnexpectedRefSlot,
    },
    processing::{
        i_node_operator_registry::abi::INodeOperatorRegistry::updateExitedValidatorsCall,
        i_staking_pool::abi::IStakingPool as P,
    },
};

// ------------------------------------------------------------------ stand-ins

/// Records every call it gets; refuses with `b"pool says no"` when told to; answers
/// `receivedFromL1Vault()` with a set counter.
#[storage]
pub struct PoolMock {
    calls: StorageU256,
    last: StorageBytes,
    refuse: StorageBool,
    received: StorageU256,
}

// SAFETY: a top-level contract in motsu's test VM.
unsafe impl TopLevelStorage for PoolMock {}

#[public]
impl PoolMock {
    pub fn set_refuse(&mut self, on: bool) {
        self.refuse.set(on);
    }

    pub fn calls(&self) -> U256 {
        self.calls.get()
    }

    pub fn last(&self) -> Bytes {
        Bytes(self.last.get_bytes())
    }

    pub fn set_received(&mut self, received: U256) {
        self.received.set(received);
    }

    /// The pool core's view, as the oracle calls it (statically).
    pub fn received_from_l1_vault(&self) -> Result<U256, Vec<u8>> {
        if self.refuse.get() {
            return Err(b"pool says no".to_vec());
        }
        Ok(self.received.get())
    }

    #[fallback]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        if self.refuse.get() {
            return Err(b"pool says no".to_vec());
        }
        self.calls.set(self.calls.get() + U256::from(1));
        self.last.set_bytes(calldata);
        Ok(Vec::new())
    }
}

/// Answers `updateExitedValidators` with a set number and records the calldata.
#[storage]
pub struct RegistryMock {
    calls: StorageU256,
    last: StorageBytes,
    answer: StorageU256,
}

// SAFETY: a top-level contract in motsu's test VM.
unsafe impl TopLevelStorage for RegistryMock {}

#[public]
impl RegistryMock {
    pub fn set_answer(&mut self, newly: U256) {
        self.answer.set(newly);
    }

    pub fn calls(&self) -> U256 {
        self.calls.get()
    }

    pub fn last(&self) -> Bytes {
        Bytes(self.last.get_bytes())
    }

    #[fallback]
    #[allow(clippy::unnecessary_wraps, reason = "the SDK's fallback signature")]
    pub fn fallback(&mut self, calldata: &[u8]) -> ArbResult {
        self.calls.set(self.calls.get() + U256::from(1));
        self.last.set_bytes(calldata);
        Ok(self.answer.get().to_be_bytes::<32>().to_vec())
    }
}

// ------------------------------------------------------------------ helpers

/// `limits` as the ABI struct.
pub(crate) fn limits_abi(l: &Limits) -> I::SanityLimits {
    crate::sanity::to_abi(l)
}

/// A report for frame `k`'s reference slot.
fn report(k: u64) -> I::ReportData {
    I::ReportData {
        consensusVersion: u(VERSION),
        refSlot: u(ref_slot(k)),
        numValidators: u(10),
        clBalanceGwei: u(320_010_000_000),
        withdrawals: u(3),
        elRewards: u(4),
        vaultBalance: u(0),
        bridgedToL2: u(0),
        sharesRequestedToBurn: u(5),
        withdrawalFinalizationBatches: vec![u(2), u(9)],
        simulatedShareRate: u(10).pow(u(27)),
        isBunkerMode: true,
        exitedOperatorIds: vec![],
        exitedValidatorsCounts: vec![],
        exitedOrderHints: vec![],
        exitRequestsCount: U256::ZERO,
        exitRequestsHash: B256::ZERO,
    }
}

fn hash(d: &I::ReportData) -> B256 {
    keccak256(d.abi_encode())
}

/// The committee of 3 (quorum 2), the stand-ins set as the protocol contracts.
struct Setup {
    env: Env,
    pool: Contract<PoolMock>,
    registry: Contract<RegistryMock>,
}

impl Setup {
    fn new() -> Self {
        let env = Env::committee(3, 2);
        let s = Self { env, pool: Contract::new(), registry: Contract::new() };
        s.env
            .oracle
            .sender(s.env.admin)
            .set_protocol_contracts(s.pool.address(), s.registry.address())
            .unwrap();
        s
    }

    /// Members 0 and 1 agree on `d` (frame `k`, clock at its start).
    fn agree(&self, k: u64, d: &I::ReportData) {
        at_frame(k);
        self.env.vote(0, ref_slot(k), hash(d)).unwrap();
        self.env.vote(1, ref_slot(k), hash(d)).unwrap();
    }

    fn submit_as(&self, caller: Address, d: &I::ReportData, version: u64) -> Result<(), Error> {
        let call = I::submitReportDataCall { data: d.clone(), contractVersion: u(version) };
        self.env.oracle.sender(caller).submit_report_data(&call.abi_encode()[4..])
    }

    fn submit(&self, d: &I::ReportData) -> Result<(), Error> {
        self.submit_as(member(2), d, 1)
    }

    fn pool_calls(&self) -> U256 {
        self.pool.sender(self.env.admin).calls()
    }
}

/// The last processed reference slot `initialize` sets: one frame before frame 0's, here
/// saturated at 0 (the test chain's frame 0 starts at epoch 10, before one frame has passed).
fn initial_last() -> u64 {
    ref_slot(0).saturating_sub(FRAME_SLOTS)
}

/// What the pool is sent for `d` processed at frame `k`, the last processed ref slot `last`,
/// the pool having received nothing from the L1 vault.
fn pool_call(k: u64, last: u64, d: &I::ReportData, limits: &Limits) -> Vec<u8> {
    pool_call_received(k, last, d, limits, U256::ZERO)
}

/// [`pool_call`] with the pool's `receivedFromL1Vault` at `received`: the L1 figure is
/// `clBalance + vaultBalance + bridgedToL2 - received`.
fn pool_call_received(
    k: u64,
    last: u64,
    d: &I::ReportData,
    limits: &Limits,
    received: U256,
) -> Vec<u8> {
    P::handleOracleReportCall {
        reportTimestamp: u(slot_time(ref_slot(k))),
        timeElapsed: u((ref_slot(k) - last) * SPS),
        clValidators: d.numValidators,
        clBalance: d.clBalanceGwei * u(1_000_000_000) + d.vaultBalance + d.bridgedToL2 - received,
        withdrawals: d.withdrawals,
        elRewards: d.elRewards,
        sharesToBurn: d.sharesRequestedToBurn,
        simulatedShareRate: d.simulatedShareRate,
        isBunkerMode: d.isBunkerMode,
        limits: B256::from(limits.pack()),
        withdrawalFinalizationBatches: d.withdrawalFinalizationBatches.clone(),
    }
    .abi_encode()
}

// ------------------------------------------------------------------ the happy path

#[motsu::test]
fn agreed_data_reaches_the_pool_once_and_marks_the_frame_processed() {
    let s = Setup::new();
    let d = report(1);
    s.agree(1, &d);
    let mark = s.env.mark();
    s.submit(&d).unwrap();
    // The first report measures from the slot `initialize` set.
    assert_eq!(initial_last(), 0);
    assert_eq!(
        s.pool.sender(s.env.admin).last().0,
        pool_call(1, initial_last(), &d, &Limits::LIDO)
    );
    assert_eq!(s.pool_calls(), u(1));
    assert_eq!(s.registry.sender(s.env.admin).calls(), U256::ZERO, "no exited counts");
    assert_eq!(
        s.env.logs_since(mark),
        vec![
            log(&I::ProcessingStarted { refSlot: u(ref_slot(1)), hash: hash(&d) }),
            log(&I::L1StateReported {
                refSlot: u(ref_slot(1)),
                vaultBalance: U256::ZERO,
                bridgedToL2: U256::ZERO,
                receivedFromL1Vault: U256::ZERO,
            }),
        ]
    );
    assert!(s.env.round().processing);
    assert_eq!(s.env.r().get_last_processing_ref_slot(), u(ref_slot(1)));
    assert_eq!(
        s.env.r().get_processing_state().unwrap(),
        (u(ref_slot(1)), u(slot_time(deadline_slot(1))), hash(&d), true)
    );

    // Once per frame; the consensus is final (a late vote is ignored, a change refused).
    let before = s.env.snapshot();
    assert_eq!(s.submit(&d).unwrap_err(), RefSlotAlreadyProcessing {}.into());
    s.env.vote(2, ref_slot(1), h(9)).unwrap();
    assert_eq!(s.env.snapshot(), before);

    // The next frame measures one frame, with the limits as set then.
    let tight = Limits { max_positive_rebase: 1, ..Limits::LIDO };
    s.env.oracle.sender(s.env.admin).set_sanity_limits(limits_abi(&tight)).unwrap();
    let d2 = I::ReportData { isBunkerMode: false, ..report(2) };
    s.agree(2, &d2);
    s.submit_as(member(0), &d2, 1).unwrap();
    assert_eq!(s.pool.sender(s.env.admin).last().0, pool_call(2, ref_slot(1), &d2, &tight));
}

#[motsu::test]
fn a_missed_frame_is_warned_and_the_next_report_measures_both() {
    let s = Setup::new();
    let d = report(1);
    s.agree(1, &d);
    s.submit(&d).unwrap();
    // Frame 2 reaches consensus but its data never comes.
    s.agree(2, &report(2));
    at_frame(3);
    let d3 = report(3);
    let mark = s.env.mark();
    s.env.vote(0, ref_slot(3), hash(&d3)).unwrap();
    assert_eq!(
        s.env.logs_since(mark)[0],
        log(&I::WarnProcessingMissed { refSlot: u(ref_slot(2)) })
    );
    s.env.vote(1, ref_slot(3), hash(&d3)).unwrap();
    s.submit(&d3).unwrap();
    assert_eq!(s.pool.sender(s.env.admin).last().0, pool_call(3, ref_slot(1), &d3, &Limits::LIDO));
}

#[motsu::test]
fn exited_counts_go_to_the_registry_and_its_answer_meets_the_daily_limit() {
    let s = Setup::new();
    let first = report(1);
    s.agree(1, &first);
    s.submit(&first).unwrap();
    let d = I::ReportData {
        exitedOperatorIds: vec![u(1), u(4)],
        exitedValidatorsCounts: vec![u(3), u(2)],
        exitedOrderHints: vec![u(0), u(7)],
        ..report(2)
    };
    s.agree(2, &d);
    // One frame (a day) elapsed: 3,600 newly exited pass, 3,601 fail.
    s.registry.sender(s.env.admin).set_answer(u(3_601));
    assert_eq!(
        s.submit(&d).unwrap_err(),
        ExitedValidatorsLimitExceeded { limitPerDay: u(3_600), exitedPerDay: u(3_601) }.into()
    );
    assert_eq!(s.pool_calls(), u(1), "the pool is not called");
    // motsu keeps the oracle's writes made before the registry answered (a revert on chain
    // unwinds them); start the frame's processing over for the passing case.
    let mut round = s.env.round();
    round.processing = false;
    let mut oracle = s.env.oracle.sender(s.env.admin);
    oracle.round.set(round.pack());
    let mut processing = crate::storage::Processing::unpack(oracle.processing.get());
    processing.last_ref_slot = u32::try_from(ref_slot(1)).unwrap();
    oracle.processing.set(processing.pack());
    s.registry.sender(s.env.admin).set_answer(u(3_600));
    s.submit(&d).unwrap();
    assert_eq!(
        s.registry.sender(s.env.admin).last().0,
        updateExitedValidatorsCall {
            reportTimestamp: u(slot_time(ref_slot(2))),
            operatorIds: d.exitedOperatorIds.clone(),
            exited: d.exitedValidatorsCounts.clone(),
            hints: d.exitedOrderHints.clone(),
        }
        .abi_encode()
    );
    assert_eq!(s.pool_calls(), u(2));
}

#[motsu::test]
fn a_non_member_needs_the_submit_data_role_and_is_asked_with_the_calldata_as_sent() {
    let s = Setup::new();
    let d = report(1);
    s.agree(1, &d);
    let daemon = Address::repeat_byte(0xda);
    let before = s.env.snapshot();
    assert_eq!(s.submit_as(daemon, &d, 1).unwrap_err(), denied(daemon, SUBMIT_DATA_ROLE));
    assert_eq!(s.env.snapshot(), before);
    s.env.manager.sender(s.env.admin).grant(SUBMIT_DATA_ROLE, daemon);
    s.submit_as(daemon, &d, 1).unwrap();
    let (caller, role, data) = s.env.manager.sender(s.env.admin).last_call();
    assert_eq!(
        (caller, role, data.0),
        (
            daemon,
            SUBMIT_DATA_ROLE,
            I::submitReportDataCall { data: d, contractVersion: u(1) }.abi_encode()
        )
    );
    assert_eq!(s.pool_calls(), u(1));
}

// ------------------------------------------------------------------ refusals

#[motsu::test]
fn bad_data_is_refused_in_order_and_changes_nothing() {
    let s = Setup::new();
    let d = report(1);
    let agreed = hash(&d);
    let refused = |data: &I::ReportData, version: u64| {
        let before = s.env.snapshot();
        let err = s.submit_as(member(2), data, version).unwrap_err();
        assert_eq!(s.env.snapshot(), before, "{err:?}");
        assert_eq!(s.pool_calls(), U256::ZERO);
        err
    };
    // No consensus yet (a single vote).
    at_frame(1);
    s.env.vote(0, ref_slot(1), agreed).unwrap();
    assert_eq!(refused(&d, 1), NoConsensusReportToProcess {}.into());
    s.env.vote(1, ref_slot(1), agreed).unwrap();

    assert_eq!(refused(&d, 2), UnexpectedContractVersion { expected: u(1), received: u(2) }.into());
    let other_slot = I::ReportData { refSlot: u(ref_slot(1) + 1), ..d.clone() };
    assert_eq!(
        refused(&other_slot, 1),
        UnexpectedRefSlot { consensusRefSlot: u(ref_slot(1)), dataRefSlot: u(ref_slot(1) + 1) }
            .into()
    );
    let other_version = I::ReportData { consensusVersion: u(VERSION + 1), ..d.clone() };
    assert_eq!(
        refused(&other_version, 1),
        UnexpectedConsensusVersion { expected: u(VERSION), received: u(VERSION + 1) }.into()
    );
    // A lie: one field differs from what the committee agreed.
    let lie = I::ReportData { clBalanceGwei: d.clBalanceGwei + u(1), ..d.clone() };
    assert_eq!(
        refused(&lie, 1),
        UnexpectedDataHash { consensusHash: agreed, receivedHash: hash(&lie) }.into()
    );
    // A non-canonical encoding of the agreed data (one trailing word).
    let mut args = I::submitReportDataCall { data: d.clone(), contractVersion: u(1) }.abi_encode();
    args.extend_from_slice(&[0; 32]);
    let before = s.env.snapshot();
    let err = s.env.oracle.sender(member(2)).submit_report_data(&args[4..]).unwrap_err();
    let Error::UnexpectedDataHash(e) = err else { panic!("{err:?}") };
    assert_eq!(e.consensusHash, agreed);
    assert_ne!(e.receivedHash, agreed);
    assert_eq!(s.env.snapshot(), before);
    // Too short to hold the head: empty revert data.
    assert_eq!(
        Vec::<u8>::from(s.env.oracle.sender(member(2)).submit_report_data(&[0; 40]).unwrap_err()),
        Vec::<u8>::new()
    );
    // Malformed or too many exited items.
    let unpaired = I::ReportData { exitedOperatorIds: vec![u(1)], ..d.clone() };
    let unpaired_agreed = hash(&unpaired);
    s.env.vote(0, ref_slot(1), unpaired_agreed).unwrap();
    s.env.vote(1, ref_slot(1), unpaired_agreed).unwrap();
    assert_eq!(refused(&unpaired, 1), InvalidExitedValidatorsData {}.into());
    let unhinted = I::ReportData {
        exitedOperatorIds: vec![u(1)],
        exitedValidatorsCounts: vec![u(1)],
        ..d.clone()
    };
    s.env.vote(0, ref_slot(1), hash(&unhinted)).unwrap();
    s.env.vote(1, ref_slot(1), hash(&unhinted)).unwrap();
    assert_eq!(refused(&unhinted, 1), InvalidExitedValidatorsData {}.into());
    let many = I::ReportData {
        exitedOperatorIds: (0..101).map(u).collect(),
        exitedValidatorsCounts: vec![u(1); 101],
        exitedOrderHints: vec![u(0); 101],
        ..d.clone()
    };
    s.env.vote(0, ref_slot(1), hash(&many)).unwrap();
    s.env.vote(1, ref_slot(1), hash(&many)).unwrap();
    assert_eq!(refused(&many, 1), TooManyExitedOperators { limit: u(100), count: u(101) }.into());
    // Back to the good data: late by one second after the frame's last slot.
    s.env.vote(0, ref_slot(1), agreed).unwrap();
    s.env.vote(1, ref_slot(1), agreed).unwrap();
    clock::set(slot_time(deadline_slot(1)) + 1);
    assert_eq!(
        refused(&d, 1),
        ProcessingDeadlineMissed { deadline: u(slot_time(deadline_slot(1))) }.into()
    );
    // At the deadline itself it is accepted.
    clock::set(slot_time(deadline_slot(1)));
    s.submit(&d).unwrap();
}

#[motsu::test]
fn data_needs_the_protocol_contracts_and_passes_the_pools_refusal_through() {
    let env = Env::committee(3, 2);
    let d = report(1);
    at_frame(1);
    env.vote(0, ref_slot(1), hash(&d)).unwrap();
    env.vote(1, ref_slot(1), hash(&d)).unwrap();
    let call = I::submitReportDataCall { data: d.clone(), contractVersion: u(1) }.abi_encode();
    let before = env.snapshot();
    assert_eq!(
        env.oracle.sender(member(0)).submit_report_data(&call[4..]).unwrap_err(),
        ProtocolContractsNotSet {}.into()
    );
    assert_eq!(env.snapshot(), before);
    drop(env); // one environment at a time

    let s = Setup::new();
    s.pool.sender(s.env.admin).set_refuse(true);
    s.agree(1, &d);
    assert_eq!(s.submit(&d).unwrap_err(), Error::Callee(b"pool says no".to_vec()));
}

// ------------------------------------------------------------------ the L1 vault's figures

/// `report(k)` with the vault's free balance and cumulative bridged ether, in ether.
fn l1_report(k: u64, vault: u64, bridged: u64) -> I::ReportData {
    I::ReportData { vaultBalance: ether(vault), bridgedToL2: ether(bridged), ..report(k) }
}

fn ether(n: u64) -> U256 {
    u(n) * u(1_000_000_000_000_000_000)
}

impl Setup {
    /// The pool stand-in's `receivedFromL1Vault`, in ether.
    fn received(&self, n: u64) {
        self.pool.sender(self.env.admin).set_received(ether(n));
    }

    /// The frame `k` reaches consensus on `d`; the submission's result, and whether it left
    /// the oracle as it was (with the pool's calls) when refused.
    fn refused(&self, k: u64, d: &I::ReportData) -> Error {
        self.agree(k, d);
        let before = (self.env.snapshot(), self.pool_calls());
        let err = self.submit(d).unwrap_err();
        assert_eq!((self.env.snapshot(), self.pool_calls()), before, "{err:?}");
        err
    }
}

#[motsu::test]
fn the_vaults_figures_reach_the_pool_in_the_l1_figure_and_are_kept_and_logged() {
    let s = Setup::new();
    // The vault holds 7 ether free and has bridged 30, of which the pool received 26 (4 in
    // flight): the pool gets CL + 7 + 30 - 26.
    s.received(26);
    let d = l1_report(1, 7, 30);
    s.agree(1, &d);
    let mark = s.env.mark();
    s.submit(&d).unwrap();
    let sent = s.pool.sender(s.env.admin).last().0;
    assert_eq!(sent, pool_call_received(1, initial_last(), &d, &Limits::LIDO, ether(26)));
    let call = P::handleOracleReportCall::abi_decode(&sent, true).unwrap();
    assert_eq!(call.clBalance, d.clBalanceGwei * u(1_000_000_000) + ether(7 + 30 - 26));
    assert_eq!(
        s.env.logs_since(mark),
        vec![
            log(&I::ProcessingStarted { refSlot: u(ref_slot(1)), hash: hash(&d) }),
            log(&I::L1StateReported {
                refSlot: u(ref_slot(1)),
                vaultBalance: ether(7),
                bridgedToL2: ether(30),
                receivedFromL1Vault: ether(26),
            }),
        ]
    );
    assert_eq!(s.env.r().get_last_l1_state(), (ether(30), ether(26)));

    // The next report: 4 more bridged by its ref slot, and 6 received since the last
    // processing (the 4 in flight, 2 bridged after the ref slot from the vault's 7).
    s.received(32);
    let d2 = l1_report(2, 5, 34);
    s.agree(2, &d2);
    s.submit(&d2).unwrap();
    let call =
        P::handleOracleReportCall::abi_decode(&s.pool.sender(s.env.admin).last().0, true).unwrap();
    assert_eq!(call.clBalance, d2.clBalanceGwei * u(1_000_000_000) + ether(5 + 34 - 32));
    assert_eq!(s.env.r().get_last_l1_state(), (ether(34), ether(32)));
}

#[motsu::test]
fn bridged_ether_below_the_last_reports_is_refused_with_both_figures() {
    let s = Setup::new();
    let d = l1_report(1, 0, 10);
    s.agree(1, &d);
    s.submit(&d).unwrap();
    assert_eq!(
        s.refused(2, &l1_report(2, 0, 9)),
        BridgedToL2Decreased { previous: ether(10), reported: ether(9) }.into()
    );
    // As much as before passes.
    let d2 = l1_report(2, 0, 10);
    s.agree(2, &d2);
    s.submit(&d2).unwrap();
}

#[motsu::test]
fn bridged_ether_below_what_the_pool_had_received_at_the_last_report_is_negative_flight() {
    let s = Setup::new();
    // At the first report's processing the pool had received 20: 10 in flight at its ref slot
    // and 10 bridged after it from the vault's free balance.
    s.received(20);
    let d = l1_report(1, 10, 10);
    s.agree(1, &d);
    s.submit(&d).unwrap();
    assert_eq!(s.env.r().get_last_l1_state(), (ether(10), ether(20)));
    // A later ref slot cannot show less bridged than was received before it.
    assert_eq!(
        s.refused(2, &l1_report(2, 0, 15)),
        NegativeFlight { bridged: ether(15), received: ether(20) }.into()
    );
    let d2 = l1_report(2, 0, 20);
    s.agree(2, &d2);
    s.submit(&d2).unwrap();
}

#[motsu::test]
fn an_l1_figure_below_what_the_pool_received_is_refused_not_wrapped() {
    let s = Setup::new();
    // 320.01 ether on the CL, nothing in the vault, 50 bridged, but 400 received.
    s.received(400);
    let d = l1_report(1, 0, 50);
    let l1 = d.clBalanceGwei * u(1_000_000_000) + ether(50);
    assert_eq!(s.refused(1, &d), NegativeL1Balance { l1Ether: l1, received: ether(400) }.into());
}

#[motsu::test]
fn bridged_ether_beyond_128_bits_is_an_overflow() {
    let s = Setup::new();
    let d = I::ReportData { bridgedToL2: U256::from(u128::MAX) + u(1), ..report(1) };
    assert_eq!(s.refused(1, &d), crate::errors::overflow());
}

// ------------------------------------------------------------------ configuration

#[motsu::test]
fn sanity_limits_are_validated_and_each_change_is_logged() {
    let env = Env::new();
    let set = |l: &I::SanityLimits| env.oracle.sender(env.admin).set_sanity_limits(l.clone());
    let mut words = limits_abi(&Limits::LIDO);
    // Unchanged: no event.
    let mark = env.mark();
    set(&words).unwrap();
    assert_eq!(env.logs_since(mark), vec![]);
    // Two changes, two events.
    words.clBalanceDecreaseBPLimit = u(400);
    words.maxPositiveTokenRebase = u(1_000_000);
    set(&words).unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![
            log(&I::CLBalanceDecreaseLimitSet {
                clBalanceDecreaseBPLimit: u(400),
                clBalanceDecreaseWindow: u(18 * 86_400)
            }),
            log(&I::MaxPositiveTokenRebaseSet { maxPositiveTokenRebase: u(1_000_000) }),
        ]
    );
    assert_eq!(env.r().get_sanity_limits(), words);
    // Out of range: refused, nothing written.
    let before = env.snapshot();
    let mut bad = words.clone();
    bad.annualBalanceIncreaseBPLimit = u(10_001);
    assert_eq!(
        set(&bad).unwrap_err(),
        IncorrectLimitValue { value: u(10_001), min: U256::ZERO, max: u(10_000) }.into()
    );
    let mut bad = words.clone();
    bad.maxExitedOperatorsPerReport = u(65_536);
    assert_eq!(
        set(&bad).unwrap_err(),
        IncorrectLimitValue { value: u(65_536), min: U256::ZERO, max: u(65_535) }.into()
    );
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn protocol_contracts_are_non_zero_and_logged() {
    let env = Env::new();
    let (pool, registry) = (Address::repeat_byte(1), Address::repeat_byte(2));
    let before = env.snapshot();
    for (p, r) in [(Address::ZERO, registry), (pool, Address::ZERO)] {
        assert_eq!(
            env.oracle.sender(env.admin).set_protocol_contracts(p, r).unwrap_err(),
            InvalidAddress {}.into()
        );
    }
    assert_eq!(env.snapshot(), before);
    let mark = env.mark();
    let last = env.r().get_last_processing_ref_slot();
    env.oracle.sender(env.admin).set_protocol_contracts(pool, registry).unwrap();
    assert_eq!(env.logs_since(mark), vec![log(&I::ProtocolContractsSet { pool, registry })]);
    assert_eq!(env.r().get_protocol_contracts(), (pool, registry));
    assert_eq!(env.r().get_last_processing_ref_slot(), last, "the pool shares its word");
}
