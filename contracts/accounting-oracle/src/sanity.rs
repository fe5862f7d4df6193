//! The sanity limits the oracle keeps (slot 3, one [`Limits`] word) and the checks that need
//! what only the oracle sees: the shape of the exited-validator arrays and the exited-per-day
//! rate (the registry answers how many validators a report newly exited).
//!
//! The other checks run in the pool's extension, which receives the limits word with the report
//! (docs/design/accounting-oracle.md §0: the pool cannot call back into the oracle while the
//! oracle is on the stack, and reading pool state from here first would cost one more program
//! entry).
//!
//! `setSanityLimits` takes the nine limits as one static tuple. Each must fit its field (else
//! `IncorrectLimitValue(value, 0, fieldMax)`) and pass [`Limits::validate`] (basis points at most
//! 10,000, a window of at least one second, a positive-rebase limit of at least 1: else
//! `IncorrectLimitValue(value, min, max)`). One event per changed field.

use alloy_primitives::{B256, U256};
use alloy_sol_types::{SolCall, SolEvent};
use staking_common::{host::log_words, roles::SANITY_LIMITS_ROLE};
use staking_math::sanity::{check_exited_validators, Limits, SanityError};

use crate::{
    abi::IAccountingOracle as I,
    errors::{
        Error, ExitedValidatorsLimitExceeded, IncorrectLimitValue, InvalidExitedValidatorsData,
        TooManyExitedOperators,
    },
    AccountingOracle,
};

/// The nine limits in ABI order (`SanityLimits`).
pub type LimitWords = [U256; 9];

/// `limits` as the ABI's `SanityLimits` words.
pub fn to_words(l: &Limits) -> LimitWords {
    [
        U256::from(l.annual_increase_bp),
        U256::from(l.cl_decrease_bp),
        U256::from(l.cl_decrease_window),
        U256::from(l.share_rate_deviation_bp),
        U256::from(l.appeared_per_day),
        U256::from(l.exited_per_day),
        U256::from(l.request_margin),
        U256::from(l.max_positive_rebase),
        U256::from(l.max_exited_operators),
    ]
}

/// `x` narrowed to a field `max` wide, or `IncorrectLimitValue(x, 0, max)`.
fn fit(x: U256, max: u64) -> Result<u64, Error> {
    match u64::try_from(x) {
        Ok(v) if v <= max => Ok(v),
        _ => Err(IncorrectLimitValue { value: x, min: U256::ZERO, max: U256::from(max) }.into()),
    }
}

/// The limits of the ABI words, each narrowed to its field and the whole validated.
///
/// # Errors
/// `IncorrectLimitValue(value, min, max)` for the first field out of range.
#[allow(clippy::cast_possible_truncation, reason = "each value was checked against its width")]
pub fn from_words(w: &LimitWords) -> Result<Limits, Error> {
    let u16m = u64::from(u16::MAX);
    let u32m = u64::from(u32::MAX);
    let limits = Limits {
        annual_increase_bp: fit(w[0], u16m)? as u16,
        cl_decrease_bp: fit(w[1], u16m)? as u16,
        cl_decrease_window: fit(w[2], u32m)? as u32,
        share_rate_deviation_bp: fit(w[3], u16m)? as u16,
        appeared_per_day: fit(w[4], u32m)? as u32,
        exited_per_day: fit(w[5], u32m)? as u32,
        request_margin: fit(w[6], u32m)? as u32,
        max_positive_rebase: fit(w[7], u64::MAX)?,
        max_exited_operators: fit(w[8], u16m)? as u16,
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
    let w = |x: u64| B256::from(U256::from(x));
    let one = |changed: bool, sig: B256, value: u64| {
        if changed {
            log_words(&[sig], &[w(value)]);
        }
    };
    one(
        old.annual_increase_bp != new.annual_increase_bp,
        I::AnnualBalanceIncreaseBPLimitSet::SIGNATURE_HASH,
        new.annual_increase_bp.into(),
    );
    if (old.cl_decrease_bp, old.cl_decrease_window) != (new.cl_decrease_bp, new.cl_decrease_window)
    {
        log_words(
            &[I::CLBalanceDecreaseLimitSet::SIGNATURE_HASH],
            &[w(new.cl_decrease_bp.into()), w(new.cl_decrease_window.into())],
        );
    }
    one(
        old.share_rate_deviation_bp != new.share_rate_deviation_bp,
        I::SimulatedShareRateDeviationBPLimitSet::SIGNATURE_HASH,
        new.share_rate_deviation_bp.into(),
    );
    one(
        old.appeared_per_day != new.appeared_per_day,
        I::AppearedValidatorsPerDayLimitSet::SIGNATURE_HASH,
        new.appeared_per_day.into(),
    );
    one(
        old.exited_per_day != new.exited_per_day,
        I::ExitedValidatorsPerDayLimitSet::SIGNATURE_HASH,
        new.exited_per_day.into(),
    );
    one(
        old.request_margin != new.request_margin,
        I::RequestTimestampMarginSet::SIGNATURE_HASH,
        new.request_margin.into(),
    );
    one(
        old.max_positive_rebase != new.max_positive_rebase,
        I::MaxPositiveTokenRebaseSet::SIGNATURE_HASH,
        new.max_positive_rebase,
    );
    one(
        old.max_exited_operators != new.max_exited_operators,
        I::MaxExitedOperatorsPerReportSet::SIGNATURE_HASH,
        new.max_exited_operators.into(),
    );
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
    pub fn set_sanity_limits(&mut self, words: &LimitWords) -> Result<(), Error> {
        let args: [B256; 9] = words.map(B256::from);
        self.authorize(SANITY_LIMITS_ROLE, I::setSanityLimitsCall::SELECTOR, &args)?;
        self.initialized_config()?;
        let new = from_words(words)?;
        self.write_limits(&new);
        Ok(())
    }

    /// The sanity limits, in the ABI's `SanityLimits` order.
    pub fn get_sanity_limits(&self) -> LimitWords {
        to_words(&self.load_limits())
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
