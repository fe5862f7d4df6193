//! `submitReportData`: the agreed report's data is checked against the consensus, marked
//! processing, and handed on: exited counts to the registry, everything else to the pool.
//!
//! ```text
//! member / SUBMIT_DATA_ROLE --submitReportData(data, contractVersion)--> oracle
//!   --receivedFromL1Vault()--> pool                 (static: the pool core's view)
//!   checks (below) -> round.PROCESSING, last processing ref slot (slot 2), L1 state (slot 10)
//!   -> ProcessingStarted, L1StateReported
//!   --updateExitedValidators(ids, counts, hints, reportTimestamp) -> newlyExited--> registry (only if ids non-empty;
//!                                                                      oracle holds EXITED_REPORTER_ROLE)
//!   exited-per-day check on newlyExited
//!   --handleOracleReport(ts, elapsed, validators, L1 figure wei, wd, el, burn, rate, bunker,
//!                        limits word, batches)--> pool (its extension applies the report)
//!   with an exit list: --getWithdrawalShortfall()--> pool, --getExitSummary()--> registry;
//!   its ref slot, count, hash and bound (slots 11, 12; delivered later by
//!   `submitExitRequests`, [`crate::exits`])
//! ```
//!
//! Checks, in this order, each failing with nothing written: the caller is a member, or else
//! the AccessManager grants it `SUBMIT_DATA_ROLE` (`AccessDenied`); `contractVersion` is
//! [`CONTRACT_VERSION`] (`UnexpectedContractVersion`); the round holds a consensus
//! (`NoConsensusReportToProcess`); the data is canonically encoded and its `refSlot`, consensus
//! version and hash match the round's (`UnexpectedRefSlot`, `UnexpectedConsensusVersion`,
//! `UnexpectedDataHash`); the block time is at most the processing deadline
//! (`ProcessingDeadlineMissed`); the frame is not processing yet (`RefSlotAlreadyProcessing`);
//! the pool is set (`ProtocolContractsNotSet`); the exited arrays are well formed
//! ([`crate::sanity::check_exited_items`]); the exit list's fields fit together and its count
//! the per-report limit (`InvalidExitRequestsData`, `TooManyExitRequestsPerReport`:
//! [`crate::exits`]); the balance in wei fits (`MathOverflow`); the pool
//! answers `receivedFromL1Vault` (its revert data, unchanged); the L1 vault's figures pass
//! [`crate::sanity::l1_figure`] (`MathOverflow`, `BridgedToL2Decreased`, `NegativeFlight`,
//! `NegativeL1Balance`: below). The
//! registry's and the pool's own refusals (a sanity limit, a queue refusal) reach the caller as
//! their revert data, unchanged; any revert unwinds every program, so a rejected report changes
//! nothing anywhere.
//!
//! Times: `reportTimestamp = genesis + refSlot * secondsPerSlot` and `timeElapsed = (refSlot -
//! lastProcessingRefSlot) * secondsPerSlot`, as Lido's. `initialize` sets the last processing
//! ref slot one frame before frame 0's, so the first report measures one frame.
//!
//! ## The L1 vault's figures
//!
//! The validators' ether is on L1: on the consensus layer, in the L1 vault (their withdrawal
//! credentials and fee recipient), or in flight back to L2 by retryable ticket. The pool keeps
//! one L1 figure in its `cl_balance` (`staking_pool::l1_ether`, "How it is accounted"), which
//! this oracle hands it as the report's CL balance:
//!
//! ```text
//! L1 figure = clBalanceGwei x 1e9 + vaultBalance + bridgedToL2 - receivedFromL1Vault
//!             (report, at refSlot)  (at refSlot)    (at refSlot)   (the pool's, now)
//! ```
//!
//! so that total pooled ether = buffered + deposited-not-seen + CL balance + vault balance +
//! in flight to L2 (`bridgedToL2 - receivedFromL1Vault`). The report's figures are the L1
//! state at the reference slot; the pool's counter is read live, at processing, because the
//! pool moves every receipt from its L1 figure into its buffer as it happens: the live counter
//! is exactly what the buffer already holds of the vault's ether. Each wei counts once:
//!
//! - On the CL or in the vault at refSlot, bridged after it and received before processing:
//!   in `clBalanceGwei` or `vaultBalance` (not in `bridgedToL2`, bridged later), taken off
//!   once by `received`; the pool holds it in its buffer. Once.
//! - Bridged by refSlot (in flight then), received before processing: in `bridgedToL2`, taken
//!   off by `received`, in the buffer. Once.
//! - Bridged by refSlot, not received at processing (in flight; an auto-redeem that failed
//!   and waits): in `bridgedToL2`, not in `received`: in the L1 figure until its redeem, which
//!   moves it, in the pool, from the L1 figure to the buffer. Once.
//! - Reached the vault after refSlot (an EL reward, a reward the CL earned after refSlot) and
//!   already on L2 at processing: in none of the report's figures, but in `received` and in
//!   the buffer, so the L1 figure the pool gets is low by it and total pooled ether does not
//!   include it yet; the next report counts it at its refSlot (in `bridgedToL2`, taken off by
//!   `received` again: net zero in the new figure) against a principal low by it, which shows
//!   it as a reward then. Once, one report later, never twice.
//!
//! An honest figure is never negative: what the pool received by processing was bridged by
//! refSlot, or was in the vault or on the CL at refSlot, except ether of a batch awaiting
//! deposit at refSlot (counted by the pool as deposited-not-seen, not in `vaultBalance`) that
//! the guardians cancel and bridge back before processing: then a small L1 figure (the first
//! batch) may go below zero, and the report is refused (`NegativeL1Balance`) rather than
//! wrapped; the next frame's report counts the batch as resolved.
//!
//! Checks against the last processed report (slot 10, [`crate::storage::L1State`]):
//! `bridgedToL2` is cumulative, so it never decreases (`BridgedToL2Decreased(previous,
//! reported)`); and it is at least what the pool had received when the last report was
//! processed (`NegativeFlight(bridged, received)`): that processing came before this report's
//! refSlot, and everything received by then was bridged by then. The vault's balance has no
//! limit of its own: the pool applies the CL limits (annual increase over the principal, the CL
//! decrease window) to the whole L1 figure, so a report claiming more vault ether than exists
//! is refused by the annual-increase limit (`IncorrectCLBalanceIncrease`), and one that hides
//! vault ether by the decrease limit. The figures and the counter read are logged as
//! `L1StateReported(refSlot, vaultBalance, bridgedToL2, receivedFromL1Vault)`.
//!
//! The whole call after the role check runs under the oracle's transient guard: a callee that
//! calls back into `submitReportData` meets `ReentrantCall` (and the frame is already marked
//! processing before any call).

use alloc::vec::Vec;

use alloy_primitives::{B256, U256};
use staking_common::{guard::Lock, host, roles::SUBMIT_DATA_ROLE};

use crate::{
    errors::{
        overflow, Error, NoConsensusReportToProcess, ProcessingDeadlineMissed,
        ProtocolContractsNotSet, ReentrantCall, RefSlotAlreadyProcessing,
        UnexpectedConsensusVersion, UnexpectedContractVersion, UnexpectedDataHash,
        UnexpectedRefSlot,
    },
    events::emit,
    interface::calls,
    now,
    report::{self, ReportData},
    sanity,
    storage::{L1State, Processing},
    AccountingOracle, GUARD_SLOT,
};

/// The data format this oracle reads (`submitReportData`'s `contractVersion`).
pub const CONTRACT_VERSION: u64 = 1;

/// Wei per gwei.
const GWEI: u64 = 1_000_000_000;

// The calls the oracle makes, encoded from the callees' interface files.
staking_interface::client!(IStakingPool, "../staking-pool/abi/IStakingPool.sol");
staking_interface::client!(
    INodeOperatorRegistry,
    "../node-operator-registry/abi/INodeOperatorRegistry.sol"
);

/// The pool's `receivedFromL1Vault()` (a static call to its core's view).
///
/// # Errors
/// The pool's revert data; `MathOverflow` for an answer shorter than a word.
fn received_from_l1_vault(pool: alloy_primitives::Address) -> Result<U256, Error> {
    let call = i_staking_pool::calls::receivedFromL1Vault();
    let answer = host::static_call(pool, &call).map_err(Error::Callee)?;
    let word: [u8; 32] = answer.get(..32).and_then(|w| w.try_into().ok()).ok_or_else(overflow)?;
    Ok(U256::from_be_bytes(word))
}

/// Empty revert data, as the router's for undecodable arguments.
fn undecodable() -> Error {
    Error::Callee(Vec::new())
}

impl AccountingOracle {
    /// Processes the frame's agreed report: `args` are the call's arguments as sent
    /// (`abi.encode(data, contractVersion)`; the data's hash is read from them, see
    /// [`crate::report`]).
    ///
    /// # Errors
    /// The module doc's checks, in order; then the registry's and the pool's revert data.
    /// Arguments too short to hold the head revert with empty data.
    /// # Events
    /// `ProcessingStarted(refSlot, hash)`, `L1StateReported(refSlot, vaultBalance, bridgedToL2,
    /// receivedFromL1Vault)`; the registry's `ExitedValidatorsUpdated`, the pool's
    /// `TokenRebased`, `ETHDistributed`, ...
    /// # Access
    /// Committee members, or `SUBMIT_DATA_ROLE` (asked of the AccessManager for non-members).
    pub fn submit_report_data(&mut self, args: &[u8]) -> Result<(), Error> {
        let sender = host::sender();
        if self.member_of(sender).is_none() {
            self.authorize(SUBMIT_DATA_ROLE, &calls::submitReportData(args))?;
        }
        let _lock = Lock::acquire(GUARD_SLOT).map_err(|_| Error::from(ReentrantCall {}))?;
        let (contract_version, sent) = report::read(args).ok_or_else(undecodable)?;
        if contract_version != U256::from(CONTRACT_VERSION) {
            return Err(UnexpectedContractVersion {
                expected: U256::from(CONTRACT_VERSION),
                received: contract_version,
            }
            .into());
        }
        let mut round = self.load_round();
        if round.consensus_variant == 0 {
            return Err(NoConsensusReportToProcess {}.into());
        }
        let agreed = self.variants.get(U256::from(round.consensus_variant));
        let mismatch = || UnexpectedDataHash { consensusHash: agreed, receivedHash: sent.hash };
        let data = sent.data.as_ref().ok_or_else(mismatch)?;
        let ref_slot = U256::from(round.ref_slot);
        if data.ref_slot != ref_slot {
            return Err(UnexpectedRefSlot {
                consensusRefSlot: ref_slot,
                dataRefSlot: data.ref_slot,
            }
            .into());
        }
        if data.consensus_version != U256::from(round.consensus_version) {
            return Err(UnexpectedConsensusVersion {
                expected: U256::from(round.consensus_version),
                received: data.consensus_version,
            }
            .into());
        }
        if sent.hash != agreed {
            return Err(mismatch().into());
        }
        if now() > u64::from(round.deadline) {
            return Err(ProcessingDeadlineMissed { deadline: U256::from(round.deadline) }.into());
        }
        if round.processing {
            return Err(RefSlotAlreadyProcessing {}.into());
        }
        let mut processing = Processing::unpack(self.processing.get());
        if processing.pool.is_zero() {
            return Err(ProtocolContractsNotSet {}.into());
        }
        let limits = self.load_limits();
        sanity::check_exited_items(
            &data.exited_ids,
            &data.exited_counts,
            &data.exited_hints,
            limits.max_exited_operators,
        )?;
        let agreed_exits = self.check_exit_fields(data)?;
        let cfg = self.load_config();
        let sps = u64::from(cfg.seconds_per_slot);
        let report_timestamp = u64::from(round.ref_slot)
            .checked_mul(sps)
            .and_then(|t| t.checked_add(cfg.genesis_time))
            .ok_or_else(overflow)?;
        // The ref slot only grows (frames move forward), so this does not underflow; saturate
        // anyway rather than trust it.
        let elapsed =
            u64::from(round.ref_slot.saturating_sub(processing.last_ref_slot)).saturating_mul(sps);
        let cl_balance = data.cl_balance_gwei.checked_mul(U256::from(GWEI)).ok_or_else(overflow)?;
        let received = received_from_l1_vault(processing.pool)?;
        let l1_balance = sanity::l1_figure(
            &L1State::unpack(self.l1_state.get()),
            cl_balance,
            data.vault_balance,
            data.bridged_to_l2,
            received,
        )?;
        // Both fit (checked anyway): `l1_figure` narrowed the bridged ether, and the pool's
        // counter is u96 (its slot 19).
        let l1 = L1State {
            bridged_to_l2: u128::try_from(data.bridged_to_l2).map_err(|_| overflow())?,
            received: u128::try_from(received).map_err(|_| overflow())?,
        };

        // Effects: the frame is processing, its ref slot the last processed, the L1 figures
        // the next report is checked against.
        round.processing = true;
        self.round.set(round.pack());
        processing.last_ref_slot = round.ref_slot;
        self.processing.set(processing.pack());
        self.l1_state.set(l1.pack());
        emit::ProcessingStarted(ref_slot, sent.hash);
        emit::L1StateReported(ref_slot, data.vault_balance, data.bridged_to_l2, received);

        // Interactions.
        if !data.exited_ids.is_empty() {
            let newly = self.report_exited(data, report_timestamp)?;
            sanity::check_exited_rate(&limits, newly, elapsed)?;
        }
        let call = i_staking_pool::calls::handleOracleReport(
            report_timestamp,
            elapsed,
            data.num_validators,
            l1_balance,
            data.withdrawals,
            data.el_rewards,
            data.shares_to_burn,
            data.simulated_share_rate,
            data.bunker,
            B256::from(limits.pack()),
            &data.batches,
        );
        host::call(processing.pool, &call).map_err(Error::Callee)?;
        // The exit list's bound reads the state the report left (under the lock: nothing can
        // run between the report and this record).
        if let Some(count) = agreed_exits {
            self.agree_exits(count, round.ref_slot, data, processing.pool, received);
        }
        Ok(())
    }

    /// Writes the report's exited counts to the registry; returns how many validators it says
    /// newly exited.
    fn report_exited(&self, data: &ReportData, report_timestamp: u64) -> Result<U256, Error> {
        let registry = self.registry.get();
        if registry.is_zero() {
            return Err(ProtocolContractsNotSet {}.into());
        }
        let call = i_node_operator_registry::calls::updateExitedValidators(
            &data.exited_ids,
            &data.exited_counts,
            &data.exited_hints,
            U256::from(report_timestamp),
        );
        let answer = host::call(registry, &call).map_err(Error::Callee)?;
        let word: [u8; 32] =
            answer.get(..32).and_then(|w| w.try_into().ok()).ok_or_else(overflow)?;
        Ok(U256::from_be_bytes(word))
    }
}
