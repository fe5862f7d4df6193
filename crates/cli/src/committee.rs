//! `lsctl committee run`: an oracle committee member's daemon, as Lido's accounting oracle
//! daemon works.
//!
//! ## A pass
//!
//! 1. **The frame:** the oracle's `getCurrentFrame` (its reference slot) and
//!    `getProcessingState`. A frame whose data is in is done. A reference slot not yet
//!    finalized on the beacon chain is waited for.
//! 2. **The report** ([`compute`]), every figure read *at the reference slot*:
//!    - the vault's validators on the consensus layer: the beacon API's state at the slot,
//!      the validators whose withdrawal credentials are the vault's (count and balance), and
//!      the keys of batches the guardians cancelled, counted as seen with no balance (their
//!      ether is back in the vault);
//!    - the slot's execution block on L1 (`/eth/v2/beacon/blocks/{slot}`), where the vault's
//!      `freeBalance` and `bridgedToL2` are read;
//!    - L2's last block at the slot's time, where the pool's unaccounted ether (balance −
//!      buffered: what came back from the vault) is read as `withdrawals`;
//!    - the withdrawal requests to finalize: the queue's unfinalized requests made before the
//!      slot (less the queue's minimum delay), the most the buffer and the withdrawals cover
//!      (`prefinalize`), at the simulated share rate;
//!    - the simulated share rate: the pool's pooled ether now plus the consensus layer's
//!      rewards since the last report, less the fee, per share (the pool accepts a report
//!      whose rate is within its deviation limit of what it computes: 50 BP);
//!    - bunker mode when the consensus layer's balance fell (new validators' deposits aside).
//! 3. **The vote:** `submitReport(refSlot, keccak256(abi.encode(data)), version)`, unless this
//!    member's vote for the slot is that hash already.
//! 4. **The data, in turn:** once the quorum agrees on this member's hash and the data is not
//!    in, the member whose turn it is submits it (`submitReportData`). The turn: members in
//!    the oracle's order, rotated by the frame's index; the k-th in the rotation may submit
//!    [`TURN_SLOTS`] × k slots after the reference slot, so the data goes in even when the
//!    first one is down.
//!
//! Every transaction is a journaled step (`crate::chain`): a restart sends nothing twice.
//!
//! ## Missed frames
//!
//! The oracle only takes the current frame's report. Its figures are cumulative (validators
//! ever seen, their balance, the vault's `bridgedToL2`, the pool's unaccounted ether) and its
//! finalization covers every request old enough, so a report after missed frames accounts
//! for everything those frames would have: nothing is skipped. The daemon says how many
//! frames were missed.
//!
//! ## Modes
//!
//! `--dry-run` computes and prints the report and its hash and sends nothing; `--manual`
//! asks before each transaction; `--once` makes one pass (the default repeats every
//! `--interval` seconds).
//!
//! ## Not computed (the report says zero)
//!
//! Exit requests and exited validators: the devnet's beacon chain exits nobody, and the
//! exit planner (`tests/src/exit_planner.rs`) is not wired to the daemon yet; EL rewards are
//! counted in the vault's balance (the vault is the fee recipient), so `elRewards` is zero.
//! On a public network the validators are read whole from the beacon node: a mainnet-size
//! state would want `?id=` with the protocol's keys (from the keys service).

use std::io::{BufRead, Write};

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_provider::{Provider, RootProvider};
use alloy_rpc_types_eth::{BlockNumberOrTag, BlockTransactionsKind};
use alloy_sol_types::{SolCall, SolValue};
use l1_vault::StakingVault as V;

use crate::{
    abi::{IAccountingOracle as O, IStakingPool as P, IWithdrawalQueue as Q},
    beacon::Beacon,
    chain::{Call, Chain},
    manifest::ManifestFile,
    protocol::{balance, view, Protocol},
    CliError,
};

/// The data format the oracle reads (`submitReportData`'s `contractVersion`).
pub const CONTRACT_VERSION: u64 = 1;
/// Slots between two members' turns to submit the data (10 minutes).
pub const TURN_SLOTS: u64 = 50;
/// Share rate precision.
const RATE_UNIT: u128 = 1_000_000_000_000_000_000_000_000_000;
const GWEI: u64 = 1_000_000_000;

/// How the daemon acts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Mode {
    /// Compute and print only.
    pub dry_run: bool,
    /// Ask before each transaction.
    pub manual: bool,
}

/// What a pass found and did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The frame's data is in.
    Done {
        /// The reference slot.
        ref_slot: u64,
    },
    /// The reference slot is not finalized yet.
    Waiting {
        /// The reference slot.
        ref_slot: u64,
        /// The finalized slot.
        finalized: u64,
    },
    /// The member voted (or had voted) and the data is not in yet (no quorum, or not this
    /// member's turn).
    Voted {
        /// The reference slot.
        ref_slot: u64,
        /// The hash voted.
        hash: B256,
    },
    /// This member submitted the data.
    Submitted {
        /// The reference slot.
        ref_slot: u64,
        /// The hash.
        hash: B256,
    },
    /// Dry run: the report computed.
    Computed {
        /// The reference slot.
        ref_slot: u64,
        /// The hash.
        hash: B256,
    },
    /// Manual mode: the operator declined a transaction.
    Declined,
}

/// A member's view of the world.
#[derive(Clone, Debug)]
pub struct Member {
    /// L2, with the member's key.
    pub l2: Chain,
    /// L1 (reads only).
    pub l1: RootProvider,
    /// The beacon node.
    pub beacon: Beacon,
    /// The deployment.
    pub protocol: Protocol,
}

/// The figures a report is made of, read at a reference slot.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    /// The reference slot.
    pub ref_slot: u64,
    /// Its L1 block.
    pub l1_block: u64,
    /// L2's block at its time.
    pub l2_block: u64,
    /// The report data.
    pub data: O::ReportData,
}

fn u(x: U256) -> u64 {
    x.saturating_to()
}

/// L2's last block whose timestamp is at most `time`.
async fn l2_block_at(l2: &RootProvider, time: u64) -> Result<u64, CliError> {
    let timestamp = |n: u64| async move {
        l2.get_block_by_number(BlockNumberOrTag::Number(n), BlockTransactionsKind::Hashes)
            .await
            .map_err(|e| CliError::Endpoint(format!("l2 eth_getBlockByNumber {n}: {e}")))?
            .map(|b| b.header.timestamp)
            .ok_or_else(|| CliError::Endpoint(format!("l2 has no block {n}")))
    };
    let latest = l2.get_block_number().await.map_err(|e| CliError::Endpoint(format!("l2: {e}")))?;
    if timestamp(latest).await? <= time {
        return Ok(latest);
    }
    let (mut low, mut high) = (0, latest);
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        if timestamp(mid).await? <= time {
            low = mid;
        } else {
            high = mid;
        }
    }
    Ok(low)
}

/// Computes the report for `ref_slot` (see the module docs).
///
/// # Errors
///
/// An endpoint failing, or refusing the state at the reference slot's blocks (a node that
/// pruned it: an archive node is needed).
pub async fn compute(m: &Member, ref_slot: u64) -> Result<Figures, CliError> {
    let p = &m.protocol;
    let l2 = &m.l2.provider;
    let credentials = B256::from(staking_common::deposit_data::withdrawal_credentials(p.vault));
    // The consensus layer at the slot.
    let validators = m.beacon.validators(ref_slot, credentials).await?;
    let cl_gwei: u64 = validators.iter().map(|v| v.balance_gwei).sum();
    // L1 at the slot.
    let l1_block = m.beacon.execution_block(ref_slot).await?;
    let at_l1 = Some(l1_block);
    let vault_free = view(&m.l1, p.vault, &V::freeBalanceCall {}, at_l1).await?._0;
    let bridged = U256::from(view(&m.l1, p.vault, &V::bridgedToL2Call {}, at_l1).await?._0);
    // Keys of batches the guardians cancelled count as seen: their ether is back in the
    // vault's balance (or bridged), never on the consensus layer.
    let last_ref = u(view(l2, p.oracle, &O::getLastProcessingRefSlotCall {}, None).await?._0);
    // (None before the first report: the oracle starts one frame before its first.)
    let last_l1_block =
        if last_ref == 0 { None } else { m.beacon.execution_block(last_ref).await.ok() };
    let (cancelled, cancelled_before) = cancelled_keys(m, l1_block, last_l1_block).await?;
    let l1_time =
        m.l1.get_block_by_number(BlockNumberOrTag::Number(l1_block), BlockTransactionsKind::Hashes)
            .await
            .map_err(|e| CliError::Endpoint(format!("l1 eth_getBlockByNumber: {e}")))?
            .map(|b| b.header.timestamp)
            .ok_or_else(|| CliError::Endpoint(format!("l1 has no block {l1_block}")))?;
    // L2 at the slot's time.
    let l2_block = l2_block_at(l2, l1_time).await?;
    let at_l2 = Some(l2_block);
    let pool_balance = balance(l2, p.pool, at_l2).await?;
    let buffered = view(l2, p.pool, &P::getBufferedEtherCall {}, at_l2).await?._0;
    let withdrawals = pool_balance.saturating_sub(buffered);
    // The pool's view before the report (now: reports move it only when processed).
    let beacon = view(l2, p.pool, &P::getBeaconStatCall {}, None).await?;
    let (old_validators, old_cl) = (u(beacon._1), beacon._2);
    let new_validators = validators.len() as u64 + cancelled;
    let new_cl = U256::from(cl_gwei) * U256::from(GWEI);
    // Validators new on the consensus layer since the last report bring their deposits.
    let on_cl_before = old_validators.saturating_sub(cancelled_before);
    let appeared = U256::from((validators.len() as u64).saturating_sub(on_cl_before))
        * U256::from(32)
        * U256::from(GWEI)
        * U256::from(GWEI);
    let expected = old_cl + appeared;
    let rewards = new_cl.saturating_sub(expected);
    let bunker = new_cl < expected;
    // The simulated share rate: pooled ether with the rewards, less the fee, per share.
    let pooled = view(l2, p.pool, &P::getTotalPooledEtherCall {}, None).await?._0;
    let shares = view(l2, p.pool, &P::getTotalSharesCall {}, None).await?._0;
    let fee_bp = view(l2, p.pool, &P::getFeeConfigCall {}, None).await?.totalFeeBP;
    let fee = rewards * fee_bp / U256::from(10_000u64);
    let rate = if shares.is_zero() {
        U256::from(RATE_UNIT)
    } else {
        (pooled + rewards - fee) * U256::from(RATE_UNIT) / shares
    };
    // Finalization.
    let batches =
        finalization(m, l1_time, buffered + withdrawals, rate, bunker).await?.into_iter().collect();
    let data = O::ReportData {
        consensusVersion: view(l2, p.oracle, &O::getConsensusVersionCall {}, None).await?._0,
        refSlot: U256::from(ref_slot),
        numValidators: U256::from(new_validators),
        clBalanceGwei: U256::from(cl_gwei),
        withdrawals,
        elRewards: U256::ZERO,
        vaultBalance: vault_free,
        bridgedToL2: bridged,
        sharesRequestedToBurn: U256::ZERO,
        withdrawalFinalizationBatches: batches,
        simulatedShareRate: rate,
        isBunkerMode: bunker,
        exitedOperatorIds: Vec::new(),
        exitedValidatorsCounts: Vec::new(),
        exitedOrderHints: Vec::new(),
        exitRequestsCount: U256::ZERO,
        exitRequestsHash: B256::ZERO,
    };
    Ok(Figures { ref_slot, l1_block, l2_block, data })
}

/// The keys of the vault's cancelled batches (`BatchCancelled`: 32 ether a key) up to L1
/// block `at`, and up to `before` (0 when `None`).
async fn cancelled_keys(m: &Member, at: u64, before: Option<u64>) -> Result<(u64, u64), CliError> {
    use alloy_sol_types::SolEvent;
    let filter = alloy_rpc_types_eth::Filter::new()
        .address(m.protocol.vault)
        .event_signature(V::BatchCancelled::SIGNATURE_HASH);
    let logs = crate::protocol::logs(&m.l1, &filter, m.protocol.l1_from_block).await?;
    let (mut now, mut then) = (0, 0);
    for log in logs {
        let Ok(e) = V::BatchCancelled::decode_log_data(log.data(), true) else { continue };
        let keys = u(e.amount / (U256::from(32) * U256::from(GWEI) * U256::from(GWEI)));
        let block = log.block_number.unwrap_or(u64::MAX);
        if block <= at {
            now += keys;
        }
        if before.is_some_and(|b| block <= b) {
            then += keys;
        }
    }
    Ok((now, then))
}

/// The last request to finalize (`None`: none): the newest made at least the queue's
/// minimum delay before `ref_time` whose finalization `available` ether covers at `rate`.
async fn finalization(
    m: &Member,
    ref_time: u64,
    available: U256,
    rate: U256,
    bunker: bool,
) -> Result<Option<U256>, CliError> {
    let (l2, q) = (&m.l2.provider, m.protocol.queue);
    let first = u(view(l2, q, &Q::getLastFinalizedRequestIdCall {}, None).await?._0) + 1;
    let last = u(view(l2, q, &Q::getLastRequestIdCall {}, None).await?._0);
    if last < first || bunker {
        return Ok(None);
    }
    let delay = u(view(l2, q, &Q::getMinFinalizationDelayCall {}, None).await?._0);
    let ids: Vec<U256> = (first..=last).map(U256::from).collect();
    let statuses =
        view(l2, q, &Q::getWithdrawalStatusCall { requestIds: ids.clone() }, None).await?.statuses;
    let old_enough = statuses
        .iter()
        .zip(&ids)
        .take_while(|(s, _)| u(s.timestamp) + delay <= ref_time)
        .map(|(_, id)| *id)
        .collect::<Vec<_>>();
    for id in old_enough.iter().rev() {
        let call = Q::prefinalizeCall { batches: vec![*id], maxShareRate: rate };
        if view(l2, q, &call, None).await?.ethToLock <= available {
            return Ok(Some(*id));
        }
    }
    Ok(None)
}

/// `keccak256(abi.encode(data))`: what the committee votes.
pub fn data_hash(data: &O::ReportData) -> B256 {
    keccak256(data.abi_encode())
}

fn ask(mode: Mode, what: &str) -> bool {
    if !mode.manual {
        return true;
    }
    print!("committee: send {what}? [y/N] ");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    line.trim().eq_ignore_ascii_case("y")
}

/// Prints a report's figures, one line.
pub fn describe(f: &Figures) -> String {
    let d = &f.data;
    format!(
        "ref slot {} (L1 block {}, L2 block {}): {} validators, {} gwei on the CL, vault {} wei free, {} wei bridged to L2, {} wei withdrawals, finalize {:?} at rate {}, bunker {}",
        f.ref_slot,
        f.l1_block,
        f.l2_block,
        d.numValidators,
        d.clBalanceGwei,
        d.vaultBalance,
        d.bridgedToL2,
        d.withdrawals,
        d.withdrawalFinalizationBatches,
        d.simulatedShareRate,
        d.isBunkerMode
    )
}

/// One pass (see the module docs).
///
/// # Errors
///
/// An endpoint failing, a member that is not one, or a transaction that reverts.
pub async fn pass(m: &Member, journal: &mut ManifestFile, mode: Mode) -> Result<Outcome, CliError> {
    let (l2, oracle, me) = (&m.l2.provider, m.protocol.oracle, m.l2.from);
    if !view(l2, oracle, &O::isMemberCall { addr: me }, None).await?._0 {
        return Err(CliError::Usage(format!("{me} is not a member of the oracle committee")));
    }
    let frame = view(l2, oracle, &O::getCurrentFrameCall {}, None).await?;
    let ref_slot = u(frame.refSlot);
    let processing = view(l2, oracle, &O::getProcessingStateCall {}, None).await?;
    if u(processing.currentFrameRefSlot) == ref_slot && processing.dataSubmitted {
        return Ok(Outcome::Done { ref_slot });
    }
    let finalized = m.beacon.slot("finalized").await?;
    if finalized < ref_slot {
        return Ok(Outcome::Waiting { ref_slot, finalized });
    }
    let frames = view(l2, oracle, &O::getFrameConfigCall {}, None).await?;
    let chain = view(l2, oracle, &O::getChainConfigCall {}, None).await?;
    let frame_slots = u(frames.epochsPerFrame) * u(chain.slotsPerEpoch);
    let last = u(view(l2, oracle, &O::getLastProcessingRefSlotCall {}, None).await?._0);
    if last != 0 && frame_slots > 0 && ref_slot > last + frame_slots {
        println!(
            "committee: {} frame(s) since ref slot {last} went unreported; this report's cumulative figures cover them",
            (ref_slot - last) / frame_slots - 1
        );
    }
    let figures = compute(m, ref_slot).await?;
    let hash = data_hash(&figures.data);
    println!("committee: {}", describe(&figures));
    println!("committee: report hash {hash}");
    if mode.dry_run {
        return Ok(Outcome::Computed { ref_slot, hash });
    }
    // The vote.
    let vote = view(l2, oracle, &O::getMemberVoteCall { member: me }, None).await?;
    if !(u(vote.refSlot) == ref_slot && vote.report == hash) {
        if !ask(mode, &format!("the vote {hash} for ref slot {ref_slot}")) {
            return Ok(Outcome::Declined);
        }
        let call = O::submitReportCall {
            slot: U256::from(ref_slot),
            report: hash,
            consensusVersion: figures.data.consensusVersion,
        };
        let call = Call { to: Some(oracle), value: U256::ZERO, data: call.abi_encode() };
        m.l2.send(journal, &format!("vote ref slot {ref_slot}: {hash}"), call).await?;
    }
    // The data, in turn.
    let consensus = view(l2, oracle, &O::getConsensusStateCall {}, None).await?;
    if consensus.consensusReport != hash {
        return Ok(Outcome::Voted { ref_slot, hash });
    }
    let members = view(l2, oracle, &O::getMembersCall {}, None).await?.addresses;
    let turn = turn(&members, me, ref_slot, frame_slots);
    let head = m.beacon.slot("head").await?;
    if head < ref_slot + turn * TURN_SLOTS {
        println!("committee: the quorum agrees; this member's turn to submit comes {} slots after the reference slot", turn * TURN_SLOTS);
        return Ok(Outcome::Voted { ref_slot, hash });
    }
    if !ask(mode, &format!("the data of ref slot {ref_slot}")) {
        return Ok(Outcome::Declined);
    }
    let call = O::submitReportDataCall {
        data: figures.data,
        contractVersion: U256::from(CONTRACT_VERSION),
    };
    let call = Call { to: Some(oracle), value: U256::ZERO, data: call.abi_encode() };
    m.l2.send(journal, &format!("submit data of ref slot {ref_slot}"), call).await?;
    Ok(Outcome::Submitted { ref_slot, hash })
}

/// `me`'s place in the frame's submission order: the members rotated by the frame's index.
pub fn turn(members: &[Address], me: Address, ref_slot: u64, frame_slots: u64) -> u64 {
    let n = members.len() as u64;
    let Some(index) = members.iter().position(|a| *a == me) else { return u64::MAX / 2 };
    let frame = ref_slot.checked_div(frame_slots).unwrap_or(0);
    (index as u64 + n - frame % n) % n
}
