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
//!      the validators whose withdrawal credentials are the vault's *and* whose keys the vault
//!      deposited (its `BatchDeposited` transactions' `DepositEvent`s: anyone may deposit
//!      with the vault's credentials, only a guardian quorum makes the vault deposit), count
//!      and balance; and the keys of batches the guardians cancelled, counted as seen with no
//!      balance (their ether is back in the vault);
//!    - the slot's execution block on L1 (`/eth/v2/beacon/blocks/{slot}`), where the vault's
//!      `freeBalance` and `bridgedToL2` are read;
//!    - L2's last block at the slot's time, where the pool's unaccounted ether (balance −
//!      buffered: what came back from the vault) is read as `withdrawals`;
//!    - the withdrawal requests to finalize: the queue's unfinalized requests made before the
//!      slot's time less the queue's minimum delay and the pool's request margin, the most
//!      the buffer and the withdrawals cover
//!      (`prefinalize`), at the simulated share rate;
//!    - the simulated share rate: the pool's pooled ether plus the report's rewards (its L1
//!      figure, `CL + vault free + bridgedToL2 - receivedFromL1Vault`, plus the withdrawals
//!      claimed, over its principal: the last L1 figure and 32 ether per validator newly
//!      seen or cancelled), less the fee, per share (the pool accepts a rate within its
//!      deviation limit of its own: 50 BP);
//!    - bunker mode when that comparison shows a loss;
//!    - exited validators per operator (`exitedOperatorIds`, cumulative counts, zero order
//!      hints): the vault's validators in an `exited_*` or `withdrawal_*` state, mapped to
//!      their operators by the keys service, for operators whose count the registry has not
//!      recorded (at most the oracle's `maxExitedOperatorsPerReport`);
//!    - the exit requests (`crate::exits`): the validators that must exit for the queue's
//!      requests the buffer, the claim and the L1 ether on its way do not cover, named from
//!      the keys service (`--keys-service`).
//!
//!    L2's figures are all read at the slot's L2 block, so members who run at different
//!    times compute the same report.
//! 3. **The vote:** `submitReport(refSlot, keccak256(abi.encode(data)), version)`, unless this
//!    member's vote for the slot is that hash already.
//! 4. **The data, in turn:** once the quorum agrees on this member's hash and the data is not
//!    in, the member whose turn it is submits it (`submitReportData`), then the exit list the
//!    data commits to (`submitExitRequests`; any member delivers a list left undelivered).
//!    The turn: members in the oracle's order, rotated by the frame's index; the k-th in the rotation may submit
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
//! EL rewards are counted in the vault's balance (the vault is the fee recipient), so
//! `elRewards` is zero; `sharesRequestedToBurn` is zero. The daemon does not simulate the
//! pool's report before voting: a report over the pool's limits is refused at submission.
//!
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
    /// The keys service (to name the keys of exit requests; `None`: a frame that needs exits
    /// fails with a clear error).
    pub keys: Option<String>,
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
    /// The packed exit requests the data's `exitRequestsHash` commits to.
    pub exit_requests: Vec<u8>,
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
    // L1 at the slot.
    let l1_block = m.beacon.execution_block(ref_slot).await?;
    let at_l1 = Some(l1_block);
    let vault_free = view(&m.l1, p.vault, &V::freeBalanceCall {}, at_l1).await?._0;
    let bridged = U256::from(view(&m.l1, p.vault, &V::bridgedToL2Call {}, at_l1).await?._0);
    // The protocol's keys: those the vault deposited (anyone can deposit with the vault's
    // credentials; only a guardian quorum makes the vault deposit), and those of batches the
    // guardians cancelled, which count as seen with no balance (their ether is back in the
    // vault or bridged).
    let (deposited_keys, cancelled) = vault_keys(m, l1_block).await?;
    // The consensus layer at the slot: the vault's validators among them.
    let validators: Vec<_> = m
        .beacon
        .validators(ref_slot, credentials)
        .await?
        .into_iter()
        .filter(|v| deposited_keys.contains(&v.pubkey))
        .collect();
    let cl_gwei: u64 = validators.iter().fold(0u64, |sum, v| sum.saturating_add(v.balance_gwei));
    let l1_time =
        m.l1.get_block_by_number(BlockNumberOrTag::Number(l1_block), BlockTransactionsKind::Hashes)
            .await
            .map_err(|e| CliError::Endpoint(format!("l1 eth_getBlockByNumber: {e}")))?
            .map(|b| b.header.timestamp)
            .ok_or_else(|| CliError::Endpoint(format!("l1 has no block {l1_block}")))?;
    // L2 at the slot's time: every L2 figure is read there, so that members who run at
    // different times compute the same report.
    let l2_block = l2_block_at(l2, l1_time).await?;
    let at_l2 = Some(l2_block);
    let pool_balance = balance(l2, p.pool, at_l2).await?;
    let buffered = view(l2, p.pool, &P::getBufferedEtherCall {}, at_l2).await?._0;
    let withdrawals = pool_balance.saturating_sub(buffered);
    let received = view(l2, p.pool, &P::receivedFromL1VaultCall {}, at_l2).await?._0;
    // What the pool will compare (contracts/staking-pool/src/report.rs, the oracle's
    // processing.rs): its L1 figure (CL + vault free + bridged - received) plus the ether
    // claimed, against its principal (the L1 figure before, plus 32 ether per validator
    // newly seen or cancelled).
    let beacon = view(l2, p.pool, &P::getBeaconStatCall {}, at_l2).await?;
    let (old_validators, old_l1) = (u(beacon._1), beacon._2);
    let new_validators = validators.len() as u64 + cancelled;
    let eth = U256::from(GWEI) * U256::from(GWEI);
    let new_l1 =
        (U256::from(cl_gwei) * U256::from(GWEI) + vault_free + bridged).saturating_sub(received);
    let principal =
        old_l1 + U256::from(new_validators.saturating_sub(old_validators)) * U256::from(32) * eth;
    let unified = new_l1 + withdrawals;
    let rewards = unified.saturating_sub(principal);
    let loss = principal.saturating_sub(unified);
    let bunker = !loss.is_zero();
    // The simulated share rate: the pooled ether after the report (less the fee on rewards,
    // which is minted as shares), per share, before any finalization.
    let pooled = view(l2, p.pool, &P::getTotalPooledEtherCall {}, at_l2).await?._0;
    let shares = view(l2, p.pool, &P::getTotalSharesCall {}, at_l2).await?._0;
    let fee_bp = view(l2, p.pool, &P::getFeeConfigCall {}, at_l2).await?.totalFeeBP;
    let fee = rewards * fee_bp / U256::from(10_000u64);
    let rate = if shares.is_zero() {
        U256::from(RATE_UNIT)
    } else {
        (pooled + rewards - fee).saturating_sub(loss) * U256::from(RATE_UNIT) / shares
    };
    // Validators exited on the consensus layer, by operator.
    let exited = crate::exits::exited_counts(m, at_l2, &validators).await?;
    // Exits: what the queue needs beyond the buffer, the claim and the L1 ether on its way.
    let exit_requests = crate::exits::plan(
        m,
        at_l2,
        &validators,
        crate::exits::Inputs {
            claimed: withdrawals,
            vault_free,
            in_flight: bridged.saturating_sub(received),
        },
    )
    .await?;
    // Finalization.
    let batches = finalization(m, at_l2, ref_slot, buffered + withdrawals, rate, bunker)
        .await?
        .into_iter()
        .collect();
    let data = O::ReportData {
        consensusVersion: view(l2, p.oracle, &O::getConsensusVersionCall {}, at_l2).await?._0,
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
        exitedOperatorIds: exited.iter().map(|e| U256::from(e.0)).collect(),
        exitedValidatorsCounts: exited.iter().map(|e| U256::from(e.1)).collect(),
        // Zero hints: the registry walks its deposit order from the head.
        exitedOrderHints: vec![U256::ZERO; exited.len()],
        exitRequestsCount: U256::from(exit_requests.len() / 64),
        exitRequestsHash: if exit_requests.is_empty() {
            B256::ZERO
        } else {
            keccak256(&exit_requests)
        },
    };
    Ok(Figures { ref_slot, l1_block, l2_block, data, exit_requests })
}

/// The public keys the vault deposited up to L1 block `at`, and how many keys its cancelled
/// batches held (`BatchCancelled`: 32 ether a key).
///
/// A vault deposit logs `BatchDeposited(batchId, keys, ...)` and then makes exactly `keys`
/// deposits, each a `DepositEvent` right after it in the same transaction; those are the
/// vault's, and only those with its credentials and 32 ether count. A contract relaying
/// `depositBatch` may deposit with the vault's credentials in the same transaction, before or
/// after the vault's deposits: those are not in the run that follows `BatchDeposited`.
async fn vault_keys(
    m: &Member,
    at: u64,
) -> Result<(std::collections::HashSet<Vec<u8>>, u64), CliError> {
    use alloy_sol_types::SolEvent;
    use worlds::abi::IDepositContract::DepositEvent;
    let vault = m.protocol.vault;
    let credentials = staking_common::deposit_data::withdrawal_credentials(vault);
    let deposit_contract = view(&m.l1, vault, &V::DEPOSIT_CONTRACTCall {}, None).await?._0;
    let filter = alloy_rpc_types_eth::Filter::new().address(vec![vault, deposit_contract]);
    let mut logs =
        crate::protocol::logs_until(&m.l1, &filter, m.protocol.l1_from_block, at).await?;
    logs.sort_by_key(|l| (l.block_number, l.log_index));
    let mut keys = std::collections::HashSet::new();
    let mut cancelled = 0;
    for (i, log) in logs.iter().enumerate() {
        if log.address() != vault {
            continue;
        }
        if let Ok(e) = V::BatchDeposited::decode_log_data(log.data(), true) {
            let n = usize::try_from(e.keys).unwrap_or(0);
            let run = logs[i + 1..]
                .iter()
                .take(n)
                .take_while(|l| {
                    l.address() == deposit_contract && l.transaction_hash == log.transaction_hash
                })
                .filter_map(|l| DepositEvent::decode_log_data(l.data(), true).ok())
                .filter(|e| {
                    e.withdrawal_credentials.as_ref() == credentials.as_slice()
                        && e.amount.as_ref() == 32_000_000_000u64.to_le_bytes().as_slice()
                });
            for e in run {
                keys.insert(e.pubkey.to_vec());
            }
        } else if let Ok(e) = V::BatchCancelled::decode_log_data(log.data(), true) {
            cancelled += u(e.amount / (U256::from(32) * U256::from(GWEI) * U256::from(GWEI)));
        }
    }
    Ok((keys, cancelled))
}

/// The last request to finalize (`None`: none): the newest made at least the queue's
/// minimum delay and the pool's request margin before the reference slot's time, whose
/// finalization `available` ether covers at `rate`, read at L2 block `at` (the slot's).
async fn finalization(
    m: &Member,
    at: Option<u64>,
    ref_slot: u64,
    available: U256,
    rate: U256,
    bunker: bool,
) -> Result<Option<U256>, CliError> {
    let (l2, q) = (&m.l2.provider, m.protocol.queue);
    let first = u(view(l2, q, &Q::getLastFinalizedRequestIdCall {}, at).await?._0) + 1;
    let last = u(view(l2, q, &Q::getLastRequestIdCall {}, at).await?._0);
    if last < first || bunker {
        return Ok(None);
    }
    // The report's timestamp is its reference slot's time; a request is old enough when the
    // queue's minimum delay and the pool's request margin have both passed by then.
    let chain = view(l2, m.protocol.oracle, &O::getChainConfigCall {}, at).await?;
    let ref_time = u(chain.genesisTime) + ref_slot * u(chain.secondsPerSlot);
    let margin = u(view(l2, m.protocol.oracle, &O::getSanityLimitsCall {}, at)
        .await?
        ._0
        .requestTimestampMargin);
    let delay = u(view(l2, q, &Q::getMinFinalizationDelayCall {}, at).await?._0).max(margin);
    let ids: Vec<U256> = (first..=last).map(U256::from).collect();
    let statuses =
        view(l2, q, &Q::getWithdrawalStatusCall { requestIds: ids.clone() }, at).await?.statuses;
    let old_enough = statuses
        .iter()
        .zip(&ids)
        .take_while(|(s, _)| u(s.timestamp) + delay <= ref_time)
        .map(|(_, id)| *id)
        .collect::<Vec<_>>();
    for id in old_enough.iter().rev() {
        let call = Q::prefinalizeCall { batches: vec![*id], maxShareRate: rate };
        if view(l2, q, &call, at).await?.ethToLock <= available {
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
        "ref slot {} (L1 block {}, L2 block {}): {} validators, {} gwei on the CL, vault {} wei free, {} wei bridged to L2, {} wei withdrawals, finalize {:?} at rate {}, bunker {}, {} exit requests, exited {:?}",
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
        d.isBunkerMode,
        d.exitRequestsCount,
        d.exitedOperatorIds.iter().zip(&d.exitedValidatorsCounts).collect::<Vec<_>>()
    )
}

/// One pass (see the module docs).
///
/// # Errors
///
/// An endpoint failing, a member that is not one, or a transaction that reverts.
pub async fn pass(m: &Member, journal: &mut ManifestFile, mode: Mode) -> Result<Outcome, CliError> {
    let (l2, oracle, me) = (&m.l2.provider, m.protocol.oracle, m.l2.from);
    // A transaction a previous pass left in flight (a receipt that timed out) is finished
    // first: every step after it would be refused while it is pending.
    m.l2.resume_pending(journal).await?;
    if !view(l2, oracle, &O::isMemberCall { addr: me }, None).await?._0 {
        return Err(CliError::Usage(format!("{me} is not a member of the oracle committee")));
    }
    let frame = view(l2, oracle, &O::getCurrentFrameCall {}, None).await?;
    let ref_slot = u(frame.refSlot);
    let processing = view(l2, oracle, &O::getProcessingStateCall {}, None).await?;
    if u(processing.currentFrameRefSlot) == ref_slot && processing.dataSubmitted {
        deliver_exits(m, journal, mode, ref_slot, None).await?;
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
        // The name carries the vote it replaces, so a vote that goes back to an earlier hash
        // is a new step.
        // Numbered: a vote that goes back to an earlier hash is a new step.
        let prefix = format!("vote ref slot {ref_slot}:");
        let n = journal.manifest.steps.iter().filter(|s| s.name.starts_with(&prefix)).count() + 1;
        let step = format!("{prefix} {hash} #{n}");
        m.l2.send(journal, &step, call).await?;
    }
    // The data, in turn.
    let consensus = view(l2, oracle, &O::getConsensusStateCall {}, None).await?;
    if consensus.consensusReport != hash {
        return Ok(Outcome::Voted { ref_slot, hash });
    }
    let members = view(l2, oracle, &O::getMembersCall {}, None).await?.addresses;
    let turn = turn(&members, me, ref_slot, frame_slots);
    let head = m.beacon.slot("head").await?;
    if head < ref_slot.saturating_add(turn.saturating_mul(TURN_SLOTS)) {
        println!(
            "committee: the quorum agrees; this member's turn to submit comes {} slots after the reference slot",
            turn.saturating_mul(TURN_SLOTS)
        );
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
    deliver_exits(m, journal, mode, ref_slot, Some(figures.exit_requests)).await?;
    Ok(Outcome::Submitted { ref_slot, hash })
}

/// Delivers the frame's agreed exit list (`submitExitRequests`: anyone may) when the report
/// carried one and nobody delivered it yet. `list`: the one this member computed with the
/// data; `None` (a member finding the data in) recomputes it at the reference slot, and
/// delivers it only if its hash is the agreed one.
async fn deliver_exits(
    m: &Member,
    journal: &mut ManifestFile,
    mode: Mode,
    ref_slot: u64,
    list: Option<Vec<u8>>,
) -> Result<(), CliError> {
    let oracle = m.protocol.oracle;
    let state = view(&m.l2.provider, oracle, &O::getExitRequestsStateCall {}, None).await?;
    if u(state.refSlot) != ref_slot || state.count.is_zero() || state.delivered {
        return Ok(());
    }
    let list = match list {
        Some(list) => list,
        None => compute(m, ref_slot).await?.exit_requests,
    };
    if keccak256(&list) != state.hash {
        println!("committee: the agreed exit list of ref slot {ref_slot} is not the one computed here: not delivered");
        return Ok(());
    }
    if !ask(mode, &format!("the {} exit requests of ref slot {ref_slot}", list.len() / 64)) {
        return Ok(());
    }
    let call = O::submitExitRequestsCall { data: list.into() };
    let call = Call { to: Some(oracle), value: U256::ZERO, data: call.abi_encode() };
    m.l2.send(journal, &format!("exit requests of ref slot {ref_slot}"), call).await?;
    Ok(())
}

/// `me`'s place in the frame's submission order: the members rotated by the frame's index.
pub fn turn(members: &[Address], me: Address, ref_slot: u64, frame_slots: u64) -> u64 {
    let n = members.len() as u64;
    let Some(index) = members.iter().position(|a| *a == me) else { return u64::MAX / 2 };
    let frame = ref_slot.checked_div(frame_slots).unwrap_or(0);
    (index as u64 + n - frame % n) % n
}
