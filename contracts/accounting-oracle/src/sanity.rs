//! The sanity limits the oracle keeps (slot 3, one [`Limits`] word) and the checks that need
//! what only the oracle sees: the shape of the exited-validator arrays, the exited-per-day
//! rate (the registry answers how many validators a report newly exited) and the L1 vault's
//! figures against the last report's ([`l1_figure`]: slot 10).
//!
//! The other checks run in the pool's extension, which receives the limits word with the report
//! (docs/design/accounting-oracle.md §0: the pool cannot call back into the oracle while the
//! oracle is on the stack, and reading pool state from here first would cost one more program
//! entry).
//!
//! `setSanityLimits` takes the nine limits as one static tuple (the interface's `SanityLimits`,
//! decoded by the generated router). Each must fit its field (else
//! `IncorrectLimitValue(value, 0, fieldMax)`) and pass [`Limits::validate`] (basis points at most
//! 10,000, a window of at least one second, a positive-rebase limit of at least 1: else
//! `IncorrectLimitValue(value, min, max)`). One event per changed field.

use alloy_primitives::U256;
use staking_common::roles::SANITY_LIMITS_ROLE;
use staking_math::sanity::{check_exited_validators, Limits, SanityError};

use crate::{
    abi::IAccountingOracle::SanityLimits,
    errors::{
        BridgedToL2Decreased, Error, ExitedValidatorsLimitExceeded, IncorrectLimitValue,
        InvalidExitedValidatorsData, NegativeFlight, NegativeL1Balance, TooManyExitedOperators,
    },
    events::emit,
    interface::calls,
    storage::L1State,
    AccountingOracle,
};

/// `limits` as the ABI's `SanityLimits`.
pub fn to_abi(l: &Limits) -> SanityLimits {
    SanityLimits {
        annualBalanceIncreaseBPLimit: U256::from(l.annual_increase_bp),
        clBalanceDecreaseBPLimit: U256::from(l.cl_decrease_bp),
        clBalanceDecreaseWindow: U256::from(l.cl_decrease_window),
        simulatedShareRateDeviationBPLimit: U256::from(l.share_rate_deviation_bp),
        appearedValidatorsPerDayLimit: U256::from(l.appeared_per_day),
        exitedValidatorsPerDayLimit: U256::from(l.exited_per_day),
        requestTimestampMargin: U256::from(l.request_margin),
        maxPositiveTokenRebase: U256::from(l.max_positive_rebase),
        maxExitedOperatorsPerReport: U256::from(l.max_exited_operators),
    }
}

/// `x` narrowed to a field `max` wide, or `IncorrectLimitValue(x, 0, max)`.
fn fit(x: U256, max: u64) -> Result<u64, Error> {
    match u64::try_from(x) {
        Ok(v) if v <= max => Ok(v),
        _ => Err(IncorrectLimitValue { value: x, min: U256::ZERO, max: U256::from(max) }.into()),
    }
}

/// The limits of the ABI's `SanityLimits`, each narrowed to its field and the whole validated.
///
/// # Errors
/// `IncorrectLimitValue(value, min, max)` for the first field out of range.
#[allow(clippy::cast_possible_truncation, reason = "each value was checked against its width")]
#[allow(clippy::needless_pass_by_value, reason = "the router decodes it for this call alone")]
pub fn from_abi(w: SanityLimits) -> Result<Limits, Error> {
    let u16m = u64::from(u16::MAX);
    let u32m = u64::from(u32::MAX);
    let limits = Limits {
        annual_increase_bp: fit(w.annualBalanceIncreaseBPLimit, u16m)? as u16,
        cl_decrease_bp: fit(w.clBalanceDecreaseBPLimit, u16m)? as u16,
        cl_decrease_window: fit(w.clBalanceDecreaseWindow, u32m)? as u32,
        share_rate_deviation_bp: fit(w.simulatedShareRateDeviationBPLimit, u16m)? as u16,
        appeared_per_day: fit(w.appearedValidatorsPerDayLimit, u32m)? as u32,
        exited_per_day: fit(w.exitedValidatorsPerDayLimit, u32m)? as u32,
        request_margin: fit(w.requestTimestampMargin, u32m)? as u32,
        max_positive_rebase: fit(w.maxPositiveTokenRebase, u64::MAX)?,
        max_exited_operators: fit(w.maxExitedOperatorsPerReport, u16m)? as u16,
    };
    limits.validate().map_err(|e| {
        Error::from(IncorrectLimitValue {
            value: U256::from(e.value),
            min: U256::from(e.min),
            max: U256::from(e.max),
        })
    })?;
    Ok(limits)
}

/// The event of each limit that differs between `old` and `new`.
fn emit_changes(old: &Limits, new: &Limits) {
    if old.annual_increase_bp != new.annual_increase_bp {
        emit::AnnualBalanceIncreaseBPLimitSet(new.annual_increase_bp);
    }
    if (old.cl_decrease_bp, old.cl_decrease_window) != (new.cl_decrease_bp, new.cl_decrease_window)
    {
        emit::CLBalanceDecreaseLimitSet(new.cl_decrease_bp, new.cl_decrease_window);
    }
    if old.share_rate_deviation_bp != new.share_rate_deviation_bp {
        emit::SimulatedShareRateDeviationBPLimitSet(new.share_rate_deviation_bp);
    }
    if old.appeared_per_day != new.appeared_per_day {
        emit::AppearedValidatorsPerDayLimitSet(new.appeared_per_day);
    }
    if old.exited_per_day != new.exited_per_day {
        emit::ExitedValidatorsPerDayLimitSet(new.exited_per_day);
    }
    if old.request_margin != new.request_margin {
        emit::RequestTimestampMarginSet(new.request_margin);
    }
    if old.max_positive_rebase != new.max_positive_rebase {
        emit::MaxPositiveTokenRebaseSet(new.max_positive_rebase);
    }
    if old.max_exited_operators != new.max_exited_operators {
        emit::MaxExitedOperatorsPerReportSet(new.max_exited_operators);
    }
}

/// Checks the exited arrays of a report: equal lengths (ids, counts, hints), strictly
/// increasing ids, at most `max_items` entries.
///
/// # Errors
/// `InvalidExitedValidatorsData`, `TooManyExitedOperators(limit, count)`.
pub fn check_exited_items(
    ids: &[U256],
    counts: &[U256],
    hints: &[U256],
    max_items: u16,
) -> Result<(), Error> {
    if ids.len() != counts.len() || ids.len() != hints.len() || ids.windows(2).any(|p| p[0] >= p[1])
    {
        return Err(InvalidExitedValidatorsData {}.into());
    }
    if ids.len() > usize::from(max_items) {
        return Err(TooManyExitedOperators {
            limit: U256::from(max_items),
            count: U256::from(ids.len()),
        }
        .into());
    }
    Ok(())
}

/// The exited-per-day check on the registry's answer.
///
/// # Errors
/// `ExitedValidatorsLimitExceeded(limitPerDay, exitedPerDay)` (the rate rounded up).
pub fn check_exited_rate(limits: &Limits, newly_exited: U256, elapsed: u64) -> Result<(), Error> {
    let newly = u64::try_from(newly_exited).unwrap_or(u64::MAX);
    check_exited_validators(limits.exited_per_day, newly, elapsed).map_err(|e| match e {
        SanityError::ExitedValidators { limit_per_day, per_day, .. } => {
            ExitedValidatorsLimitExceeded {
                limitPerDay: U256::from(limit_per_day),
                exitedPerDay: U256::from(per_day),
            }
            .into()
        }
        _ => crate::errors::overflow(),
    })
}

/// The L1 figure the pool is handed for a report, after the L1 checks
/// ([`crate::processing`], "The L1 vault's figures"): `cl + vault + bridged - received`, where
/// `cl` is the report's CL balance in wei, `vault` and `bridged` its vault figures at the
/// reference slot, `received` the pool's `receivedFromL1Vault` now, and `last` what the last
/// processed report left.
///
/// # Errors
/// In this order: `MathOverflow` (`bridged` above 2^128-1, or the sum overflows),
/// `BridgedToL2Decreased(previous, reported)`, `NegativeFlight(bridged, received then)`,
/// `NegativeL1Balance(l1Ether, received)`.
pub fn l1_figure(
    last: &L1State,
    cl: U256,
    vault: U256,
    bridged: U256,
    received: U256,
) -> Result<U256, Error> {
    let narrow = u128::try_from(bridged).map_err(|_| crate::errors::overflow())?;
    if narrow < last.bridged_to_l2 {
        return Err(BridgedToL2Decreased {
            previous: U256::from(last.bridged_to_l2),
            reported: bridged,
        }
        .into());
    }
    if narrow < last.received {
        return Err(NegativeFlight { bridged, received: U256::from(last.received) }.into());
    }
    let l1 = cl
        .checked_add(vault)
        .and_then(|x| x.checked_add(bridged))
        .ok_or_else(crate::errors::overflow)?;
    l1.checked_sub(received).ok_or_else(|| NegativeL1Balance { l1Ether: l1, received }.into())
}

impl AccountingOracle {
    /// Sets the sanity limits (the pool's extension checks every report against them).
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`, `IncorrectLimitValue(value, min, max)`.
    /// # Events
    /// One per changed limit: `AnnualBalanceIncreaseBPLimitSet`, `CLBalanceDecreaseLimitSet`,
    /// `SimulatedShareRateDeviationBPLimitSet`, `AppearedValidatorsPerDayLimitSet`,
    /// `ExitedValidatorsPerDayLimitSet`, `RequestTimestampMarginSet`,
    /// `MaxPositiveTokenRebaseSet`, `MaxExitedOperatorsPerReportSet`.
    /// # Access
    /// `SANITY_LIMITS_ROLE`.
    pub fn set_sanity_limits(&mut self, limits: SanityLimits) -> Result<(), Error> {
        self.authorize(SANITY_LIMITS_ROLE, &calls::setSanityLimits(&limits))?;
        self.initialized_config()?;
        let new = from_abi(limits)?;
        self.write_limits(&new);
        Ok(())
    }

    /// The sanity limits.
    pub fn get_sanity_limits(&self) -> SanityLimits {
        to_abi(&self.load_limits())
    }

    /// The stored limits.
    pub(crate) fn load_limits(&self) -> Limits {
        Limits::unpack(self.limits.get())
    }

    /// Stores `new` and logs each change from the stored limits.
    pub(crate) fn write_limits(&mut self, new: &Limits) {
        let old = self.load_limits();
        self.limits.set(new.pack());
        emit_changes(&old, new);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The nine limits in ABI order.
    fn to_words(l: &Limits) -> [U256; 9] {
        let s = to_abi(l);
        [
            s.annualBalanceIncreaseBPLimit,
            s.clBalanceDecreaseBPLimit,
            s.clBalanceDecreaseWindow,
            s.simulatedShareRateDeviationBPLimit,
            s.appearedValidatorsPerDayLimit,
            s.exitedValidatorsPerDayLimit,
            s.requestTimestampMargin,
            s.maxPositiveTokenRebase,
            s.maxExitedOperatorsPerReport,
        ]
    }

    /// [`from_abi`] of the nine limits in ABI order.
    fn from_words(w: &[U256; 9]) -> Result<Limits, Error> {
        from_abi(SanityLimits {
            annualBalanceIncreaseBPLimit: w[0],
            clBalanceDecreaseBPLimit: w[1],
            clBalanceDecreaseWindow: w[2],
            simulatedShareRateDeviationBPLimit: w[3],
            appearedValidatorsPerDayLimit: w[4],
            exitedValidatorsPerDayLimit: w[5],
            requestTimestampMargin: w[6],
            maxPositiveTokenRebase: w[7],
            maxExitedOperatorsPerReport: w[8],
        })
    }

    #[test]
    fn words_round_trip_and_each_field_is_bounded() {
        let words = to_words(&Limits::LIDO);
        assert_eq!(from_words(&words).unwrap(), Limits::LIDO);
        let maxes: [u64; 9] = [
            10_000,
            10_000,
            u64::from(u32::MAX),
            10_000,
            u64::from(u32::MAX),
            u64::from(u32::MAX),
            u64::from(u32::MAX),
            u64::MAX,
            u64::from(u16::MAX),
        ];
        for (i, max) in maxes.iter().enumerate() {
            let mut w = words;
            w[i] = U256::from(*max);
            assert!(from_words(&w).is_ok(), "field {i} at its max");
            w[i] = U256::from(*max) + U256::from(1);
            let err = from_words(&w).unwrap_err();
            let Error::IncorrectLimitValue(e) = err else { panic!("field {i}: {err:?}") };
            assert_eq!(e.value, w[i], "field {i}");
        }
        // Minimums: a zero window and a zero rebase limit are refused.
        for i in [2, 7] {
            let mut w = words;
            w[i] = U256::ZERO;
            assert_eq!(
                from_words(&w).unwrap_err(),
                IncorrectLimitValue {
                    value: U256::ZERO,
                    min: U256::from(1),
                    max: U256::from(maxes[i])
                }
                .into(),
                "field {i}"
            );
        }
    }

    #[test]
    fn exited_items_must_be_paired_increasing_and_few() {
        let u = U256::from;
        assert!(check_exited_items(&[], &[], &[], 0).is_ok());
        assert!(check_exited_items(&[u(1), u(5)], &[u(3), u(0)], &[u(0), u(1)], 2).is_ok());
        let bad = Error::from(InvalidExitedValidatorsData {});
        let z = U256::ZERO;
        assert_eq!(check_exited_items(&[u(1)], &[], &[z], 5).unwrap_err(), bad);
        assert_eq!(check_exited_items(&[u(1)], &[u(1)], &[], 5).unwrap_err(), bad);
        assert_eq!(check_exited_items(&[u(1)], &[u(1)], &[z, z], 5).unwrap_err(), bad);
        assert_eq!(check_exited_items(&[u(2), u(2)], &[u(1), u(1)], &[z, z], 5).unwrap_err(), bad);
        assert_eq!(check_exited_items(&[u(3), u(2)], &[u(1), u(1)], &[z, z], 5).unwrap_err(), bad);
        assert_eq!(
            check_exited_items(&[u(1), u(2), u(3)], &[u(1); 3], &[z; 3], 2).unwrap_err(),
            TooManyExitedOperators { limit: u(2), count: u(3) }.into()
        );
    }

    #[test]
    fn the_l1_figure_is_cl_plus_vault_plus_bridged_minus_received() {
        let u = U256::from;
        let none = L1State::default();
        assert_eq!(l1_figure(&none, u(100), u(20), u(7), u(5)), Ok(u(122)));
        assert_eq!(l1_figure(&none, u(0), u(0), u(5), u(5)), Ok(u(0)));
        let last = L1State { bridged_to_l2: 50, received: 40 };
        // Bridged exactly as before, everything received since: no flight, no error.
        assert_eq!(l1_figure(&last, u(10), u(0), u(50), u(50)), Ok(u(10)));
    }

    #[test]
    fn bridged_to_l2_never_decreases_between_reports() {
        let u = U256::from;
        let last = L1State { bridged_to_l2: 50, received: 10 };
        assert_eq!(
            l1_figure(&last, u(1_000), u(0), u(49), u(10)).unwrap_err(),
            BridgedToL2Decreased { previous: u(50), reported: u(49) }.into()
        );
    }

    #[test]
    fn bridged_below_what_the_pool_had_received_at_the_last_report_is_negative_flight() {
        let u = U256::from;
        // The vault's counter was 30 at the last report, the pool had received 45 by then:
        // this report's 40 cannot be the vault's at a later slot.
        let last = L1State { bridged_to_l2: 30, received: 45 };
        assert_eq!(
            l1_figure(&last, u(1_000), u(0), u(40), u(45)).unwrap_err(),
            NegativeFlight { bridged: u(40), received: u(45) }.into()
        );
        assert_eq!(l1_figure(&last, u(1_000), u(0), u(45), u(45)), Ok(u(1_000)));
    }

    #[test]
    fn an_l1_figure_below_what_the_pool_received_is_refused() {
        let u = U256::from;
        assert_eq!(
            l1_figure(&L1State::default(), u(3), u(2), u(10), u(16)).unwrap_err(),
            NegativeL1Balance { l1Ether: u(15), received: u(16) }.into()
        );
    }

    #[test]
    fn l1_figures_beyond_their_widths_overflow() {
        let u = U256::from;
        let none = L1State::default();
        let over = U256::from(u128::MAX) + u(1);
        assert_eq!(l1_figure(&none, u(0), u(0), over, u(0)), Err(crate::errors::overflow()));
        assert_eq!(l1_figure(&none, U256::MAX, u(1), u(0), u(0)), Err(crate::errors::overflow()));
    }

    #[test]
    fn exited_rate_names_the_limit_and_the_rate() {
        let limits = Limits { exited_per_day: 10, ..Limits::LIDO };
        assert!(check_exited_rate(&limits, U256::from(10), 86_400).is_ok());
        assert_eq!(
            check_exited_rate(&limits, U256::from(11), 86_400).unwrap_err(),
            ExitedValidatorsLimitExceeded {
                limitPerDay: U256::from(10),
                exitedPerDay: U256::from(11)
            }
            .into()
        );
        // Over two days the same exits pass.
        assert!(check_exited_rate(&limits, U256::from(20), 2 * 86_400).is_ok());
        assert!(check_exited_rate(&limits, U256::MAX, 86_400).is_err());
    }
}
