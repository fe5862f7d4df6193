//! Exit requests: the committee's list of validators to exit, agreed with the report and
//! delivered to the registry (docs/design/exits.md).
//!
//! ```text
//! member --submitReportData(data: ..., exitRequestsCount, exitRequestsHash)--> oracle (core)
//!     checks: the fields fit together, the count within maxPerReport and the day's bucket size
//!     ... the report applied (the queue finalized what the buffer covers) ...
//!     --getWithdrawalShortfall()--> pool, --getExitSummary()--> registry (pending exits)
//!     slot 11/12: ref slot, count, hash, allowed (the bound below)
//! anyone --submitExitRequests(list)--> oracle (extension), before the frame's deadline
//!     keccak256(list) == the agreed hash, list.len() == count x 64, count <= allowed,
//!     the per-day bucket holds the count
//!     ExitRequestsProcessed, ValidatorExitRequest per request
//!     --onExitRequests(one word per operator)--> registry
//! ```
//!
//! One vote covers both: the hash of the list is a field of the report the committee voted,
//! so the list needs no quorum of its own, and it is processed once (`delivered`).
//!
//! ## The bound (what a lying committee cannot do)
//!
//! Computed when the report is processed, right after the pool applied it, under the oracle's
//! reentrancy lock (nothing runs between the report and the record), and stored:
//!
//! ```text
//! deficit = shortfall                    pool: queue's unfinalizedStETH - buffered (>= 0)
//!         - (vaultBalance + bridgedToL2 - received)   the report's L1 figures less what the
//!                                        pool received by processing: the vault's ether and
//!                                        what is in flight, each wei once
//!         - pending x 32 ether           validators requested before and not yet exited
//! allowed = 0 if deficit == 0, else ceil(deficit / 32 ether) + 1
//! ```
//!
//! The shortfall is what exits must still pay once the report finalized what the buffer
//! covers. A validator counts 32 ether at most: the `+ 1` is the margin for balances below 32
//! (the committee's planner caps its list at this bound and asks the rest next frame).
//! Deposits between the reference slot and the report's processing lower the bound (they pay
//! the queue); deposits after it cannot refuse the agreed list. Validators that exited but are
//! not yet withdrawn are off every supply line L2 can see (their ether is in the report's CL
//! balance, and `pending` drops when their exit is reported): within a withdrawal delay of
//! such exits a lying committee may ask that many validators more. The count delivered must
//! be the count the limits saw: the list's length is checked against it.
//!
//! ## The per-day bucket
//!
//! `perDay` requests at most, refilled linearly (`perDay` per 86,400 s, rounded down, the
//! fraction of a unit carried over: [`ExitRequests::take`]), as Lido's exit request limit; a
//! report's count must also be at most `maxPerReport` and the bucket's size.

use alloc::vec::Vec;

use alloy_primitives::{B256, U256};
use staking_common::{guard::Lock, host, roles::SANITY_LIMITS_ROLE};
use stylus_sdk::crypto::keccak;

use crate::{
    errors::{
        overflow, Error, ExitRequestsAlreadyProcessed, ExitRequestsLimitExceeded,
        IncorrectLimitValue, InvalidExitRequestsData, InvalidRequestsSortOrder,
        NoExitRequestsToProcess, ProcessingDeadlineMissed, ProtocolContractsNotSet, ReentrantCall,
        TooManyExitRequests, TooManyExitRequestsPerReport, UnexpectedExitRequestsHash,
        UnexpectedExitRequestsLength,
    },
    events::emit,
    interface::calls,
    now,
    processing::{i_node_operator_registry, i_staking_pool},
    report::ReportData,
    storage::ExitRequests,
    AccountingOracle, GUARD_SLOT,
};

/// Bytes per request: operatorId (5) | keyIndex (3) | validatorIndex (8) | pubkey (48).
pub const REQUEST: usize = 64;
/// One validator's ether in the bound (wei).
const VALIDATOR: u128 = 32_000_000_000_000_000_000;

/// The first word of a call's answer.
fn word(answer: &[u8]) -> Result<U256, Error> {
    let w: [u8; 32] = answer.get(..32).and_then(|w| w.try_into().ok()).ok_or_else(overflow)?;
    Ok(U256::from_be_bytes(w))
}

/// The most requests allowed for a shortfall (see the module doc), in wei; saturating.
pub fn allowed(shortfall: u128, vault: u128, in_flight: u128, pending: u128) -> u128 {
    let covered = vault.saturating_add(in_flight).saturating_add(pending.saturating_mul(VALIDATOR));
    let deficit = shortfall.saturating_sub(covered);
    if deficit == 0 {
        return 0;
    }
    deficit.div_ceil(VALIDATOR) + 1
}

/// A word narrowed to u128, saturating (no figure here comes near 2^128 wei).
fn small(x: U256) -> u128 {
    u128::try_from(x).unwrap_or(u128::MAX)
}

/// Big-endian integer of up to 8 bytes.
fn be(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

/// Checks the packed list's order and folds it into the registry's words, one per operator: `operatorId u64 | firstKey u32 |
/// lastKey u32 | count u32` (bits 0, 64, 96, 128).
///
/// # Errors
/// `InvalidRequestsSortOrder(index)`: not a whole number of records (index = the count of
/// whole ones), or record `index` not above the previous by `(operatorId, keyIndex)`.
pub fn per_operator(list: &[u8]) -> Result<Vec<U256>, Error> {
    if !list.len().is_multiple_of(REQUEST) {
        return Err(InvalidRequestsSortOrder { index: U256::from(list.len() / REQUEST) }.into());
    }
    let mut words: Vec<U256> = Vec::new();
    let mut last = (0u64, 0u64);
    for (index, r) in list.chunks_exact(REQUEST).enumerate() {
        let (operator, key) = (be(&r[..5]), be(&r[5..8]));
        if index > 0 && (operator, key) <= last {
            return Err(InvalidRequestsSortOrder { index: U256::from(index) }.into());
        }
        let same = index > 0 && operator == last.0;
        last = (operator, key);
        match words.last_mut() {
            Some(w) if same => {
                let [l0, l1, l2, _] = w.into_limbs();
                *w = U256::from_limbs([l0, (l1 & 0xFFFF_FFFF) | (key << 32), l2 + 1, 0]);
            }
            _ => words.push(U256::from_limbs([operator, key | (key << 32), 1, 0])),
        }
    }
    Ok(words)
}

impl AccountingOracle {
    /// The report's exit fields: `Some(count)` for a list to agree, `None` for none.
    ///
    /// # Errors
    /// `InvalidExitRequestsData` (a count without a hash or a hash without a count),
    /// `ProtocolContractsNotSet` (a list without a registry), `TooManyExitRequestsPerReport(count,
    /// max)`.
    pub(crate) fn check_exit_fields(&self, data: &ReportData) -> Result<Option<u16>, Error> {
        let (count, hash) = (data.exit_requests_count, data.exit_requests_hash);
        if count.is_zero() != (hash == B256::ZERO) {
            return Err(InvalidExitRequestsData {}.into());
        }
        if count.is_zero() {
            return Ok(None);
        }
        if self.registry.get().is_zero() {
            return Err(ProtocolContractsNotSet {}.into());
        }
        // A count above the day's bucket could never be delivered: refused here too.
        let ex = ExitRequests::unpack(self.exit_requests.get());
        let max = u32::from(ex.max_per_report()).min(ex.per_day());
        match u16::try_from(count) {
            Ok(c) if u32::from(c) <= max => Ok(Some(c)),
            _ => Err(TooManyExitRequestsPerReport { count, max: U256::from(max) }.into()),
        }
    }

    /// Records the agreed list of the report being processed, with the most requests the
    /// queue's shortfall allows now that the report finalized what the buffer covers (see the
    /// module doc): `pool` and `received` are the pool and its `receivedFromL1Vault` as the
    /// report read it.
    ///
    /// Never fails: a view that reverts or answers short records a bound of 0.
    pub(crate) fn agree_exits(
        &mut self,
        count: u16,
        ref_slot: u32,
        data: &ReportData,
        pool: alloy_primitives::Address,
        received: U256,
    ) {
        // A view that fails (a callee replaced by a broken program) must not block the
        // accounting: the list is recorded with a bound of 0, undeliverable.
        let read = |to: alloy_primitives::Address, call: &[u8]| {
            host::static_call(to, call).ok().and_then(|answer| word(&answer).ok())
        };
        let shortfall = read(pool, &i_staking_pool::calls::getWithdrawalShortfall());
        let pending = read(self.registry.get(), &i_node_operator_registry::calls::getExitSummary());
        // The vault's ether and what is in flight to L2, each wei once: the report's vault
        // balance and bridgedToL2 less what the pool had received by now (the L1 figure's
        // non-consensus part, `crate::processing`).
        let l1 = small(data.vault_balance)
            .saturating_add(small(data.bridged_to_l2))
            .saturating_sub(small(received));
        let allowed = match (shortfall, pending) {
            (Some(s), Some(p)) => allowed(small(s), l1, 0, small(p)),
            _ => 0,
        };
        let mut ex = ExitRequests::unpack(self.exit_requests.get());
        ex.ref_slot = ref_slot;
        ex.count = count;
        ex.allowed = u32::try_from(allowed).unwrap_or(u32::MAX);
        ex.delivered = false;
        self.exit_requests.set(ex.pack());
        self.exit_requests_hash.set(data.exit_requests_hash);
    }

    /// Delivers the agreed exit list (see the module doc).
    ///
    /// # Errors
    /// `ReentrantCall`, `NoExitRequestsToProcess`, `ExitRequestsAlreadyProcessed`,
    /// `ProcessingDeadlineMissed(deadline)`, `UnexpectedExitRequestsHash(agreed, received)`,
    /// `ExitRequestsLimitExceeded(remaining, requested)`, `ProtocolContractsNotSet`, the
    /// registry's errors (`InvalidRequestsSortOrder`, `KeyNotExitable`, ...), the pool's,
    /// `TooManyExitRequests(count, allowed)`.
    /// # Events
    /// `ExitRequestsProcessed(refSlot, count)`; the registry's `ValidatorExitRequest` per
    /// request.
    /// # Access
    /// Anyone (the list is bound by the agreed hash).
    pub fn submit_exit_requests(&mut self, list: &[u8]) -> Result<(), Error> {
        let _lock = Lock::acquire(GUARD_SLOT).map_err(|_| Error::from(ReentrantCall {}))?;
        let round = self.load_round();
        let mut ex = ExitRequests::unpack(self.exit_requests.get());
        if ex.count == 0 || ex.ref_slot != round.ref_slot || !round.processing {
            return Err(NoExitRequestsToProcess {}.into());
        }
        if ex.delivered {
            return Err(ExitRequestsAlreadyProcessed {}.into());
        }
        let t = now();
        if t > u64::from(round.deadline) {
            return Err(ProcessingDeadlineMissed { deadline: U256::from(round.deadline) }.into());
        }
        let agreed = self.exit_requests_hash.get();
        let received = keccak(list);
        if received != agreed {
            return Err(UnexpectedExitRequestsHash { agreed, received }.into());
        }
        // The hash binds the bytes, the length binds them to the count the limits saw.
        let expected = usize::from(ex.count) * REQUEST;
        if list.len() != expected {
            return Err(UnexpectedExitRequestsLength {
                expected: U256::from(expected),
                received: U256::from(list.len()),
            }
            .into());
        }
        if u32::from(ex.count) > ex.allowed {
            return Err(TooManyExitRequests {
                count: U256::from(ex.count),
                allowed: U256::from(ex.allowed),
            }
            .into());
        }
        let level = ex.level_now(t);
        if u32::from(ex.count) > level {
            return Err(ExitRequestsLimitExceeded {
                remaining: U256::from(level),
                requested: U256::from(ex.count),
            }
            .into());
        }
        let registry = self.registry.get();
        if registry.is_zero() {
            return Err(ProtocolContractsNotSet {}.into());
        }
        let operators = per_operator(list)?;
        ex.take(t, u32::from(ex.count));
        ex.delivered = true;
        self.exit_requests.set(ex.pack());
        emit::ExitRequestsProcessed(U256::from(ex.ref_slot), U256::from(ex.count));
        for r in list.chunks_exact(REQUEST) {
            emit::ValidatorExitRequest(
                U256::from(be(&r[..5])),
                U256::from(be(&r[5..8])),
                U256::from(be(&r[8..16])),
                &r[16..],
                U256::from(t),
            );
        }
        let call = i_node_operator_registry::calls::onExitRequests(&operators);
        host::call(registry, &call).map_err(Error::Callee)?;
        Ok(())
    }

    /// Sets the most exit requests per report and per day.
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`, `IncorrectLimitValue(value, min, max)`.
    /// # Events
    /// `ExitRequestLimitsSet(maxPerReport, perDay)`.
    /// # Access
    /// `SANITY_LIMITS_ROLE`.
    pub fn set_exit_request_limits(
        &mut self,
        per_report: U256,
        per_day: U256,
    ) -> Result<(), Error> {
        self.authorize(SANITY_LIMITS_ROLE, &calls::setExitRequestLimits(per_report, per_day))?;
        self.initialized_config()?;
        let bad = |value: U256, max: U256| {
            Error::from(IncorrectLimitValue { value, min: U256::from(1), max })
        };
        let r = u16::try_from(per_report)
            .ok()
            .filter(|&r| r > 0)
            .ok_or_else(|| bad(per_report, U256::from(u16::MAX)))?;
        let d = u32::try_from(per_day)
            .ok()
            .filter(|&d| d > 0)
            .ok_or_else(|| bad(per_day, U256::from(u32::MAX)))?;
        let mut ex = ExitRequests::unpack(self.exit_requests.get());
        let t = now();
        // The level carries over, capped by the new size.
        let level = ex.level_now(t).min(d);
        ex.max_per_report = r;
        ex.per_day = d;
        ex.level = level;
        ex.level_at = t;
        // (A new size restarts the refill clock: the level carried is whole units.)
        self.exit_requests.set(ex.pack());
        emit::ExitRequestLimitsSet(per_report, per_day);
        Ok(())
    }

    /// `(refSlot, count, hash, delivered, maxPerReport, perDay, remainingToday)`.
    pub fn get_exit_requests_state(&self) -> (U256, U256, B256, bool, U256, U256, U256) {
        let ex = ExitRequests::unpack(self.exit_requests.get());
        (
            U256::from(ex.ref_slot),
            U256::from(ex.count),
            self.exit_requests_hash.get(),
            ex.delivered,
            U256::from(ex.max_per_report()),
            U256::from(ex.per_day()),
            U256::from(ex.level_now(now())),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bound_is_the_deficit_in_validators_plus_one() {
        let e = |x: u128| x * 1_000_000_000_000_000_000;
        assert_eq!(allowed(0, 0, 0, 0), 0, "no shortfall: no exits");
        assert_eq!(allowed(1, 0, 0, 0), 2, "one wei: one validator + 1");
        assert_eq!(allowed(e(32), 0, 0, 0), 2);
        assert_eq!(allowed(e(32) + 1, 0, 0, 0), 3);
        assert_eq!(allowed(e(100), e(50), e(50), 0), 0, "the vault and the flight cover it");
        assert_eq!(allowed(e(100), e(10), e(10), 2), 2, "16 ether left");
        assert_eq!(allowed(e(64), 0, 0, 2), 0, "pending exits cover it");
        assert_eq!(allowed(u128::MAX, u128::MAX, u128::MAX, u128::MAX), 0, "saturates");
        assert_eq!(allowed(u128::MAX, 0, 0, 0), u128::MAX.div_ceil(VALIDATOR) + 1);
    }

    fn record(operator: u64, key: u32, validator: u64) -> Vec<u8> {
        let mut r = Vec::new();
        r.extend_from_slice(&operator.to_be_bytes()[3..]);
        r.extend_from_slice(&key.to_be_bytes()[1..]);
        r.extend_from_slice(&validator.to_be_bytes());
        r.extend_from_slice(&[0xAB; 48]);
        r
    }

    #[test]
    fn the_list_folds_into_one_word_per_operator_in_strict_order() {
        let list: Vec<u8> =
            [record(1, 0, 7), record(1, 3, 8), record(1, 4, 9), record(9, 2, 1)].concat();
        let words = per_operator(&list).unwrap();
        assert_eq!(
            words,
            vec![U256::from_limbs([1, 4 << 32, 3, 0]), U256::from_limbs([9, 2 | (2 << 32), 1, 0]),]
        );
        let order = |i: u64| Error::from(InvalidRequestsSortOrder { index: U256::from(i) });
        let dup = [record(1, 3, 0), record(1, 3, 0)].concat();
        assert_eq!(per_operator(&dup).unwrap_err(), order(1));
        let back = [record(2, 0, 0), record(1, 9, 0)].concat();
        assert_eq!(per_operator(&back).unwrap_err(), order(1));
        assert_eq!(per_operator(&list[..65]).unwrap_err(), order(1), "a partial record");
        assert!(per_operator(&[]).unwrap().is_empty());
        let top = record(0xFF_FFFF_FFFF, 0xFF_FFFF, u64::MAX);
        assert_eq!(
            per_operator(&top).unwrap(),
            vec![U256::from_limbs([0xFF_FFFF_FFFF, 0xFF_FFFF | (0xFF_FFFF << 32), 1, 0])]
        );
    }
}
