//! Applying an accounting-oracle report: the extension program's `handleOracleReport`.
//!
//! ## Who calls whom
//!
//! ```text
//! oracle --handleOracleReport(...)--> pool core --DELEGATECALL--> pool extension (this code)
//!   pool --setBunkerMode(b)--> queue                       when b is on or differs from FLAG_BUNKER
//!   pool --prefinalize(batches, simRate)--> queue          static; only with batches
//!   pool --getWithdrawalStatus([last])--> queue            static; only with batches
//!   pool --finalize(last, simRate){value: lock}--> queue   only with batches
//!   pool --onRewardsMinted(operatorShares)--> registry     only when operatorShares > 0
//! ```
//!
//! The queue accepts the pool as the caller of `setBunkerMode` and `finalize`, the registry as
//! the caller of `onRewardsMinted`; neither calls back into the pool (and Stylus programs are
//! not reentrant). The whole report runs under the pool's transient reentrancy guard.
//!
//! ## Storage
//!
//! Reads slots 0 and 1 (totals, beacon), 6 and 7 (queue, registry), 9 (oracle, fees, the
//! loss window's cursor), 10 (treasury, only when a fee is paid to it), the share balances of
//! the queue and the registry, of the treasury when paid and of the pool itself when shares are
//! burned or the queue's are moved to it, and on a loss slots 11..18 ([`crate::loss_window`]). Writes
//! slot 0 (`total_shares`, `buffered_ether`), slot 1 (`cl_balance`, `cl_validators`,
//! `FLAG_BUNKER`), slot 20 (read too: the report round and timestamp the wrapped token's rate
//! feed reads, [`crate::wrapping`]), those share balances, and on a loss slot 9 and one or two
//! of 11..18.
//!
//! ## Order (design §4: every check before any write of the pool's)
//!
//! 1. The caller is the oracle (`NotOracle`); the pool is initialized and not paused
//!    (`TokenIsPaused`); `reportTimestamp < block.timestamp`; `preClValidators <= clValidators
//!    <= depositedValidators`.
//! 2. `withdrawals + elRewards <= balance(this) - buffered`: the claimed ether reached the
//!    pool's address without a call (CL withdrawals, fee-recipient rewards) and no report
//!    claimed it yet.
//! 3. Sanity, from the oracle's packed limits: annual CL increase of `clBalance + withdrawals`
//!    over the principal; on a loss, the losses over the window ([`crate::loss_window`]);
//!    appeared validators per day; `sharesToBurn <= shares[pool]`; the positive rebase of the
//!    no-withdrawal totals (rejected, never smoothed: a report the limit refuses is the
//!    committee's to correct).
//! 4. Bunker: `effective = isBunkerMode || CL loss`. If it is on (the queue's flag may be off:
//!    only the pool sets it, but a queue newly set by `setProtocolContracts` starts with it
//!    off) or differs from the cached
//!    `FLAG_BUNKER`, `setBunkerMode(effective)` is called now, before `prefinalize`, so the
//!    queue prices the batches under the report's bunker state: clearing it lets a recovery
//!    report finalize requests the queue refuses in bunker mode, setting it makes the queue
//!    refuse at once a request above the report's rate (`BunkerModeRateAboveReport`). It
//!    writes only the queue's flag, and any later failure reverts it with everything else.
//! 5. With batches: `prefinalize(batches, simulatedShareRate)` gives `(lock, queueShares)`; the
//!    last request's timestamp + margin <= `reportTimestamp`; `lock <= buffered + claims`
//!    (`NotEnoughBufferedEther`); the actual share rate `E_nw * 1e27 / (S_nw + feeShares)` is
//!    non-zero and within the deviation limit of the simulated one. Requests are paid
//!    `min(request rate, report rate)`: those made below the report's rate burn more shares
//!    than their ether is worth, which lifts the rate for the remaining holders. The burn is
//!    capped so the whole report, finalization included, stays within the positive-rebase
//!    limit (`sanity::finalization_burn`); the queue's other finalized shares move to the
//!    pool's own balance, which later reports burn as `sharesToBurn` under the same limit
//!    (Lido's Burner and limiter do the same). The share rate thus never moves by more than
//!    the limit in one report.
//! 6. Effects: slot 0, slot 1, the loss window, burns (the pool's own `sharesToBurn`, the
//!    queue's shares up to the cap; the rest of the queue's moved to the pool), fee mints
//!    (treasury, registry) and their events, then
//!    `CLValidatorsUpdated` (if the count changed), `ETHDistributed`, `TokenRebased`.
//! 7. Calls: `finalize{value: lock}` (with batches), then `onRewardsMinted` (operators' shares).
//!
//! Any failure reverts the whole call: a rejected report changes nothing.
//!
//! ## Rounding (design §8)
//!
//! - CL balance in wei, the principal, the buffer (`buffered + withdrawals + elRewards - lock`)
//!   and the totals are exact.
//! - Fee shares: `floor(rewards * fee * S / (E * 1e4 - rewards * fee))`
//!   (`staking_math::fee_shares`): worth at most the fee, so holders never pay more. Operators'
//!   part `floor(fee * operatorsBP / totalBP)`, the treasury the remainder (no share lost).
//! - The queue's payout is its own rounding (down); `lock` is exactly what it returns.
//! - Sanity checks compare exactly; the "actual" values in their errors are rounded up. The
//!   actual share rate is rounded down.
//! - The queue's burn is the largest within the limit (its bound rounded so the rise never
//!   exceeds the limit); every share not burned is moved, none lost.
//! - Event values: a burn from the queue is valued at the ether locked for it, a burn from the
//!   pool at the pre-report rate, a mint and the queue's shares moved to the pool at the
//!   post-report rate (all rounded down).
//!
//! ## Access
//!
//! Only the oracle in slot 9 (`setOracle`, `DEFAULT_ADMIN_ROLE`).

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use staking_common::{guard::Lock, host};
use staking_math::{
    add,
    report::{
        actual_share_rate, after_finalization, cl_loss, fee_rewards, fee_split,
        no_withdrawal_totals, post_buffered, principal_cl,
    },
    sanity, to_u128, FeeSplit, Limits, ReportInput, Rounding,
};

use crate::{
    errors::{
        ActualShareRateIsZero, Error, IncorrectReportTimestamp, IncorrectReportValidators,
        NotEnoughBufferedEther, NotInitialized, NotOracle, ProtocolContractsNotSet, ReentrantCall,
        TokenIsPaused,
    },
    events::{self, emit},
    i_node_operator_registry::calls::onRewardsMinted,
    i_withdrawal_queue::calls::{finalize, getWithdrawalStatus, prefinalize, setBunkerMode},
    math_overflow,
    storage::{
        Beacon, PoolState, ReportConfig, Totals, Wrapped, FLAG_BUNKER, FLAG_INITIALIZED,
        FLAG_TOKEN_PAUSED, LOSS_MAX,
    },
    StakingPool, GUARD_SLOT,
};

/// The values of an oracle report, as `handleOracleReport` receives them (but the batches).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OracleReport {
    /// The report's reference time (unix seconds), before the current block's.
    pub report_timestamp: U256,
    /// Seconds since the previous report's reference time (0: one hour is assumed).
    pub time_elapsed: U256,
    /// Validators the CL has seen, cumulative.
    pub cl_validators: U256,
    /// Their CL balance, wei.
    pub cl_balance: U256,
    /// CL withdrawals received at the pool's address, claimed by this report, wei.
    pub withdrawals: U256,
    /// EL rewards received at the pool's address, claimed by this report, wei.
    pub el_rewards: U256,
    /// Shares held by the pool's own address to burn.
    pub shares_to_burn: U256,
    /// The share rate (1e27) the queue's batches are finalized at.
    pub simulated_share_rate: U256,
    /// The oracle's bunker verdict (a CL loss in this report sets bunker mode anyway).
    pub is_bunker_mode: bool,
    /// The oracle's sanity limits, packed ([`Limits::unpack`]).
    pub limits: U256,
}

/// What a report does, decided before anything is written.
struct Plan {
    /// Slot 0 after the report.
    totals: Totals,
    /// Slot 1 after the report.
    beacon: Beacon,
    /// Slot 9 as read (the loss window's cursor moves in `apply_report` on a loss).
    config: ReportConfig,
    /// Pre-report state (events).
    pre: PoolState,
    /// The report's timestamp as u64.
    timestamp: u64,
    /// Loss recorded in the window (0: none) and the window's start.
    loss: u128,
    window_start: u64,
    /// The queue and what finalization locks and burns.
    queue: Address,
    lock: U256,
    queue_shares: U256,
    /// The part of `queue_shares` burned now (the rest moves to the pool's own shares).
    queue_burn: U256,
    /// The protocol fee in shares.
    fee: FeeSplit,
    /// Where the fee shares go.
    treasury: Address,
    registry: Address,
}

impl StakingPool {
    /// `handleOracleReport(...)` as the router decodes it: the report's values in declaration
    /// order (see [`OracleReport`]), then the finalization batches. See
    /// [`StakingPool::handle_oracle_report`].
    ///
    /// # Errors
    /// As `handle_oracle_report`.
    #[allow(clippy::too_many_arguments)]
    pub fn oracle_report(
        &mut self,
        report_timestamp: U256,
        time_elapsed: U256,
        cl_validators: U256,
        cl_balance: U256,
        withdrawals: U256,
        el_rewards: U256,
        shares_to_burn: U256,
        simulated_share_rate: U256,
        is_bunker_mode: bool,
        limits: B256,
        batches: &[U256],
    ) -> Result<(), Error> {
        let report = OracleReport {
            report_timestamp,
            time_elapsed,
            cl_validators,
            cl_balance,
            withdrawals,
            el_rewards,
            shares_to_burn,
            simulated_share_rate,
            is_bunker_mode,
            limits: U256::from_be_bytes(limits.0),
        };
        self.handle_oracle_report(&report, batches)
    }

    /// Applies an agreed oracle report (steps in the module doc): moves the CL balance and
    /// validator count, takes the claimed withdrawals and EL rewards into the buffer, mints the
    /// protocol fee as shares when the CL earned, finalizes the queue's batches up to the last
    /// of `batches` at `simulated_share_rate`, burning their shares and sending their ether,
    /// and burns `shares_to_burn` of the pool's own shares.
    ///
    /// # Errors
    /// `ReentrantCall`, `NotOracle`, `NotInitialized`, `TokenIsPaused`,
    /// `IncorrectReportTimestamp`, `IncorrectReportValidators`, `IncorrectWithdrawalsAndRewards`,
    /// `IncorrectCLBalanceIncrease`, `IncorrectCLBalanceDecrease`, `IncorrectAppearedValidators`,
    /// `IncorrectSharesRequestedToBurn`, `IncorrectPositiveRebase`,
    /// `IncorrectRequestFinalization`, `NotEnoughBufferedEther`, `ActualShareRateIsZero`,
    /// `IncorrectSimulatedShareRate`, `ProtocolContractsNotSet` (a queue or registry call is
    /// needed and none is set), `MathOverflow`, the queue's and the registry's errors unchanged.
    /// # Events
    /// `Transfer`/`TransferShares` to 0 for each burn and from 0 for each fee mint,
    /// `CLValidatorsUpdated` (when the count changed), `ETHDistributed`, `TokenRebased`; the
    /// queue's (`BunkerModeSet`, `WithdrawalsFinalized`...) and the registry's.
    /// # Access
    /// The oracle set by `setOracle`.
    pub fn handle_oracle_report(
        &mut self,
        report: &OracleReport,
        batches: &[U256],
    ) -> Result<(), Error> {
        let _lock =
            Lock::acquire(GUARD_SLOT).map_err(|_| Error::ReentrantCall(ReentrantCall {}))?;
        let plan = self.plan_report(report, batches)?;
        self.apply_report(report, &plan)?;
        if let Some(&last) = batches.last() {
            let data = finalize(last, report.simulated_share_rate);
            // SAFETY: no storage reference is held; the cache is flushed before the call.
            unsafe {
                stylus_sdk::call::RawCall::new_with_value(plan.lock)
                    .clear_storage_cache()
                    .call(plan.queue, &data)
            }
            .map_err(Error::Callee)?;
        }
        if !plan.fee.operators.is_zero() {
            let data = onRewardsMinted(plan.fee.operators);
            host::call(plan.registry, &data).map_err(Error::Callee)?;
        }
        Ok(())
    }

    /// Steps 1–5: every check, and the calls that only read (or, for bunker mode, only write
    /// the queue's flag). Writes nothing of the pool's.
    #[allow(clippy::too_many_lines)]
    fn plan_report(&mut self, r: &OracleReport, batches: &[U256]) -> Result<Plan, Error> {
        let config = ReportConfig::unpack(self.report_config.get());
        let caller = host::sender();
        if config.oracle.is_zero() || caller != config.oracle {
            return Err(Error::NotOracle(NotOracle { caller }));
        }
        let pre = self.load_state();
        if !pre.beacon.has(FLAG_INITIALIZED) {
            return Err(Error::NotInitialized(NotInitialized {}));
        }
        if pre.beacon.has(FLAG_TOKEN_PAUSED) {
            return Err(Error::TokenIsPaused(TokenIsPaused {}));
        }
        let now = host::timestamp();
        if r.report_timestamp >= U256::from(now) {
            return Err(Error::IncorrectReportTimestamp(IncorrectReportTimestamp {
                reportTimestamp: r.report_timestamp,
                blockTimestamp: U256::from(now),
            }));
        }
        // Below `now`: a u64 (`unwrap_or` keeps the panic path, and its formatting, out).
        let timestamp = u64::try_from(r.report_timestamp).unwrap_or(u64::MAX);
        let (pre_validators, deposited) =
            (pre.beacon.cl_validators, pre.beacon.deposited_validators);
        let post_validators = match u32::try_from(r.cl_validators) {
            Ok(v) if v >= pre_validators && u64::from(v) <= deposited => v,
            _ => {
                return Err(Error::IncorrectReportValidators(IncorrectReportValidators {
                    reported: r.cl_validators,
                    preClValidators: U256::from(pre_validators),
                    depositedValidators: U256::from(deposited),
                }));
            }
        };
        let cl_balance = to_u128(r.cl_balance)?;
        let limits = Limits::unpack(r.limits);
        let elapsed = u64::try_from(r.time_elapsed).unwrap_or(u64::MAX);
        let principal = principal_cl(
            U256::from(pre.beacon.cl_balance),
            u64::from(pre_validators),
            u64::from(post_validators),
        )?;

        // 2. The claimed ether is at the pool's address and unaccounted for.
        let buffered = U256::from(pre.totals.buffered_ether);
        #[allow(deprecated)]
        let available = stylus_sdk::contract::balance().saturating_sub(buffered);
        sanity::check_claimed_ether(r.withdrawals, r.el_rewards, available)?;

        // 3. Sanity.
        let unified = add(r.cl_balance, r.withdrawals)?;
        sanity::check_annual_increase(limits.annual_increase_bp, principal, unified, elapsed)?;
        let loss = cl_loss(principal, r.cl_balance, r.withdrawals)?;
        let window_start = timestamp.saturating_sub(u64::from(limits.cl_decrease_window));
        let loss = if loss.is_zero() {
            0
        } else {
            let loss = to_u128(loss).ok().filter(|&l| l <= LOSS_MAX).ok_or_else(math_overflow)?;
            let window = add(self.window_losses(&config, window_start), U256::from(loss))?;
            sanity::check_cl_decrease(limits.cl_decrease_bp, window, principal)?;
            loss
        };
        sanity::check_appeared_validators(
            limits.appeared_per_day,
            u64::from(pre_validators),
            u64::from(post_validators),
            elapsed,
        )?;
        // The pool's own shares are read only when the report burns some (a cold read spared
        // on every ordinary report).
        if !r.shares_to_burn.is_zero() {
            sanity::check_shares_to_burn(r.shares_to_burn, self.shares.get(host::this()))?;
        }
        let no_withdrawal = no_withdrawal_totals(&ReportInput {
            buffered,
            deposited_validators: deposited,
            cl_validators: u64::from(post_validators),
            cl_balance: r.cl_balance,
            withdrawals: r.withdrawals,
            el_rewards: r.el_rewards,
            total_shares: pre.total_shares(),
            shares_to_burn: r.shares_to_burn,
        })?;
        let (pre_ether, pre_shares) = (pre.total_pooled_ether()?, pre.total_shares());
        sanity::check_positive_rebase(
            limits.max_positive_rebase,
            pre_ether,
            pre_shares,
            no_withdrawal.ether,
            no_withdrawal.shares,
        )?;

        // 4. Bunker mode, before the queue prices the batches.
        let queue = self.withdrawal_queue.get();
        let bunker = r.is_bunker_mode || loss != 0;
        // Set again on every bunker report: a queue newly set by `setProtocolContracts` starts
        // with the flag off, and the cached `FLAG_BUNKER` would not see it.
        let bunker_call = bunker || bunker != pre.beacon.has(FLAG_BUNKER);
        if (bunker_call || !batches.is_empty()) && queue.is_zero() {
            return Err(Error::ProtocolContractsNotSet(ProtocolContractsNotSet {}));
        }
        if bunker_call {
            let data = setBunkerMode(bunker);
            host::call(queue, &data).map_err(Error::Callee)?;
        }

        // 5. Finalization.
        let (lock, queue_shares) = match batches.last() {
            Some(&last) => {
                self.check_finalization(r, timestamp, &limits, queue, batches, last, buffered)?
            }
            None => (U256::ZERO, U256::ZERO),
        };
        // Requests paid their nominal ether below the report's rate raise the rate when their
        // shares burn: burn only what keeps the whole report within the positive-rebase
        // limit; the rest moves to the pool's own shares for later reports' `sharesToBurn`.
        let kept = after_finalization(no_withdrawal, lock, U256::ZERO)?;
        let queue_burn = sanity::finalization_burn(
            limits.max_positive_rebase,
            pre_ether,
            pre_shares,
            kept.ether,
            kept.shares,
            queue_shares,
        );
        let post = after_finalization(no_withdrawal, lock, queue_burn)?;
        let fee = match fee_rewards(principal, r.cl_balance, r.withdrawals, r.el_rewards)? {
            Some(rewards) => {
                fee_split(rewards, config.total_fee_bp, config.operators_fee_bp, post)?
            }
            None => FeeSplit::default(),
        };
        if !batches.is_empty() {
            let actual = actual_share_rate(no_withdrawal, fee.total)?;
            if actual.is_zero() {
                return Err(Error::ActualShareRateIsZero(ActualShareRateIsZero {}));
            }
            sanity::check_share_rate(
                limits.share_rate_deviation_bp,
                r.simulated_share_rate,
                actual,
            )?;
        }
        let registry = self.registry.get();
        if !fee.operators.is_zero() && registry.is_zero() {
            return Err(Error::ProtocolContractsNotSet(ProtocolContractsNotSet {}));
        }

        let mut beacon = pre.beacon;
        beacon.cl_balance = cl_balance;
        beacon.cl_validators = post_validators;
        beacon.set(FLAG_BUNKER, bunker);
        let totals = Totals {
            total_shares: to_u128(add(post.shares, fee.total)?)?,
            buffered_ether: to_u128(post_buffered(buffered, r.withdrawals, r.el_rewards, lock)?)?,
        };
        Ok(Plan {
            totals,
            beacon,
            config,
            pre,
            timestamp,
            loss,
            window_start,
            queue,
            lock,
            queue_shares,
            queue_burn,
            fee,
            // Read only when the treasury is paid (not on a loss, not without a fee).
            treasury: if fee.treasury.is_zero() { Address::ZERO } else { self.treasury.get() },
            registry,
        })
    }

    /// Step 5's queue part: `prefinalize`, the request margin, the buffer. Returns
    /// `(lock, queueShares)`.
    #[allow(clippy::too_many_arguments)]
    fn check_finalization(
        &self,
        r: &OracleReport,
        timestamp: u64,
        limits: &Limits,
        queue: Address,
        batches: &[U256],
        last: U256,
        buffered: U256,
    ) -> Result<(U256, U256), Error> {
        let call = prefinalize(batches, r.simulated_share_rate);
        let answer = host::static_call(queue, &call).map_err(Error::Callee)?;
        let (lock, queue_shares) = (answer_word(&answer, 0)?, answer_word(&answer, 1)?);

        // getWithdrawalStatus([last]) -> (ether, shares, owner, timestamp, finalized, claimed)[]:
        // word 5 is the one status's timestamp (after the offset and the length).
        let call = getWithdrawalStatus(&[last]);
        let status = host::static_call(queue, &call).map_err(Error::Callee)?;
        let requested_at = u64::try_from(answer_word(&status, 5)?).unwrap_or(u64::MAX);
        sanity::check_request_margin(limits.request_margin, requested_at, timestamp)?;

        let available = add(add(buffered, r.withdrawals)?, r.el_rewards)?;
        if lock > available {
            return Err(Error::NotEnoughBufferedEther(NotEnoughBufferedEther {
                needed: lock,
                available,
            }));
        }
        if queue_shares > self.shares.get(queue) {
            return Err(math_overflow());
        }
        Ok((lock, queue_shares))
    }

    /// Step 6: the pool's writes and events.
    fn apply_report(&mut self, r: &OracleReport, plan: &Plan) -> Result<(), Error> {
        self.totals.set(plan.totals.pack());
        self.beacon.set(plan.beacon.pack());
        // The wrapped token's rate feed: one more report, at its reference time (slot 20).
        self.wrapped.set(Wrapped::next_report(self.wrapped.get(), plan.timestamp));
        let mut config = plan.config;
        if plan.loss != 0 {
            // Below `now`: fits u32 until 2106.
            let at = u32::try_from(plan.timestamp).map_err(|_| math_overflow())?;
            self.record_loss(&mut config, at, plan.loss, plan.window_start)?;
            self.report_config.set(config.pack());
        }
        let post = PoolState { totals: plan.totals, beacon: plan.beacon };

        // Burns: the pool's own (at the pre-report rate), then the queue's finalized shares
        // (worth the ether locked for them) up to the rebase limit; the rest of the queue's
        // moves to the pool (at the post-report rate).
        let this = host::this();
        if !r.shares_to_burn.is_zero() {
            let value = plan.pre.ether_for(r.shares_to_burn, Rounding::Down)?;
            self.burn(this, r.shares_to_burn, value)?;
        }
        if !plan.queue_burn.is_zero() {
            self.burn(plan.queue, plan.queue_burn, plan.lock)?;
        }
        // `queue_burn <= queue_shares <= shares[queue]` (`finalization_burn`,
        // `check_finalization`): what the queue still holds covers the rest.
        let deferred = plan.queue_shares - plan.queue_burn;
        if !deferred.is_zero() {
            let held = self.shares.get(plan.queue);
            self.move_shares(plan.queue, this, held, deferred);
            events::token_moved(
                plan.queue,
                this,
                post.ether_for(deferred, Rounding::Down)?,
                deferred,
            );
        }
        // Fee mints, at the post-report rate.
        for (to, shares) in
            [(plan.treasury, plan.fee.treasury), (plan.registry, plan.fee.operators)]
        {
            if !shares.is_zero() {
                let mut holder = self.shares.setter(to);
                let held = holder.get();
                holder.set(add(held, shares)?);
                events::token_moved(
                    Address::ZERO,
                    to,
                    post.ether_for(shares, Rounding::Down)?,
                    shares,
                );
            }
        }

        let at = r.report_timestamp;
        if plan.beacon.cl_validators != plan.pre.beacon.cl_validators {
            emit::CLValidatorsUpdated(
                at,
                U256::from(plan.pre.beacon.cl_validators),
                U256::from(plan.beacon.cl_validators),
            );
        }
        emit::ETHDistributed(
            at,
            U256::from(plan.pre.beacon.cl_balance),
            r.cl_balance,
            r.withdrawals,
            r.el_rewards,
            U256::from(plan.totals.buffered_ether),
        );
        emit::TokenRebased(
            at,
            r.time_elapsed,
            plan.pre.total_shares(),
            plan.pre.total_pooled_ether()?,
            post.total_shares(),
            post.total_pooled_ether()?,
            plan.fee.total,
        );
        Ok(())
    }

    /// Burns `shares` of `from` (checked before), emitting `Transfer(from, 0, value)` and
    /// `TransferShares(from, 0, shares)`.
    fn burn(&mut self, from: Address, shares: U256, value: U256) -> Result<(), Error> {
        let mut holder = self.shares.setter(from);
        let held = holder.get();
        holder.set(held.checked_sub(shares).ok_or_else(math_overflow)?);
        events::token_moved(from, Address::ZERO, value, shares);
        Ok(())
    }
}

/// Word `i` of a call's return data, or the callee's malformed answer as an empty revert.
fn answer_word(answer: &[u8], i: usize) -> Result<U256, Error> {
    staking_common::calldata::Args(answer).u256(i).ok_or(Error::Callee(Vec::new()))
}
