//! Sanity limits of an accounting-oracle report and the pure checks that enforce them.
//!
//! The oracle stores [`Limits`] as one packed word and passes it to the pool extension, which runs
//! the checks below before it applies a report (the limits of Lido's `OracleReportSanityChecker`,
//! with exact comparisons). Each check returns `Ok(())` or a [`SanityError`] that
//! names the limit and the value the report reached.
//!
//! Rounding: none on the accept/reject decision. Every check is an exact cross-multiplication of
//! integers in 512 or 768 bits (a rounded quotient is never compared), so the functions are total
//! and never overflow. The "actual" value carried by an error is rounded **up** (and saturated at
//! `U256::MAX`), so it is always strictly above the limit it broke: a report is never accepted, nor
//! an error reported as within its limit, because of rounding.
//!
//! Packed layout ([`Limits::pack`]), low bits first:
//!
//! ```text
//! bits   0..16   annual_increase_bp        u16  BP per year
//! bits  16..32   cl_decrease_bp            u16  BP of principal over the window
//! bits  32..64   cl_decrease_window        u32  seconds
//! bits  64..80   share_rate_deviation_bp   u16  BP
//! bits  80..112  appeared_per_day          u32  validators
//! bits 112..144  exited_per_day            u32  validators
//! bits 144..176  request_margin            u32  seconds
//! bits 176..240  max_positive_rebase       u64  1e9 precision
//! bits 240..256  max_exited_operators      u16  items per report
//! ```

use alloy_primitives::{Uint, U256, U512};

/// Basis points in one whole (100%).
const BASIS_POINTS: u64 = 10_000;
/// Seconds in a 365-day year.
const SECONDS_PER_YEAR: u64 = 365 * SECONDS_PER_DAY;
/// Seconds in a day.
const SECONDS_PER_DAY: u64 = 86_400;
/// Time elapsed assumed when a report says zero (Lido's `DEFAULT_TIME_ELAPSED`, one hour).
pub const DEFAULT_TIME_ELAPSED: u64 = 3_600;
/// The least principal the CL limits are taken of: one validator's deposit, 32 ether. A
/// smaller principal (zero included) counts as this much.
///
/// Lido counts a zero principal as one gwei (`DEFAULT_CL_BALANCE`). On the L1 leg the
/// principal can be the bridging fees alone: once every validator has exited and its ether
/// crossed back to L2, the pool's L1 figure holds only what the last ticket's fee left, and
/// that fee (or its refund, claimed at the pool's address) would be a 100% change against it,
/// refusing every honest report until a new validator is seen. Against a principal this small
/// a lying report can move at most `32 ether x limit` (and lose at most the principal itself).
pub const PRINCIPAL_FLOOR: U256 = U256::from_limbs([13_553_255_926_290_448_384, 1, 0, 0]);
/// Fixed-point scale of [`Limits::max_positive_rebase`]: `1e9` is a 100% increase.
pub const REBASE_PRECISION: u64 = 1_000_000_000;

/// 768-bit products of three 256-bit factors.
type U768 = Uint<768, 12>;

/// Sanity limits of a report, packed in one storage word (layout in the module doc).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    /// Largest annualised increase of the CL balance over the principal, in basis points.
    pub annual_increase_bp: u16,
    /// Largest CL loss summed over `cl_decrease_window`, in basis points of the principal.
    pub cl_decrease_bp: u16,
    /// Length in seconds of the window over which CL losses are summed.
    pub cl_decrease_window: u32,
    /// Largest gap between the simulated and the actual share rate, in basis points of the actual.
    pub share_rate_deviation_bp: u16,
    /// Most validators that may appear on the CL per day.
    pub appeared_per_day: u32,
    /// Most validators that may exit per day.
    pub exited_per_day: u32,
    /// Seconds a withdrawal request must precede the report's reference time to be finalized.
    pub request_margin: u32,
    /// Largest rise of the share rate in one report, in 1e9 precision (`1e9` = 100%).
    pub max_positive_rebase: u64,
    /// Most operators whose exited count one report may change.
    pub max_exited_operators: u16,
}

/// A field of [`Limits`] that [`Limits::validate`] checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitField {
    /// [`Limits::annual_increase_bp`].
    AnnualIncreaseBp,
    /// [`Limits::cl_decrease_bp`].
    ClDecreaseBp,
    /// [`Limits::cl_decrease_window`].
    ClDecreaseWindow,
    /// [`Limits::share_rate_deviation_bp`].
    ShareRateDeviationBp,
    /// [`Limits::max_positive_rebase`].
    MaxPositiveRebase,
}

/// A limit value outside its allowed range (the oracle's `IncorrectLimitValue(value, min, max)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitValueError {
    /// Which field is out of range.
    pub field: LimitField,
    /// The value given.
    pub value: u64,
    /// Smallest allowed value.
    pub min: u64,
    /// Largest allowed value.
    pub max: u64,
}

/// Why a report fails a sanity check. Each variant carries the limit and the value the report
/// reached, rounded up and saturated at the type's maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SanityError {
    /// The CL balance grew faster than the annual limit allows.
    ClBalanceIncrease {
        /// [`Limits::annual_increase_bp`].
        limit_bp: u16,
        /// Annualised increase, basis points, rounded up.
        annual_bp: U256,
    },
    /// CL losses over the window exceed the limit.
    ClBalanceDecrease {
        /// [`Limits::cl_decrease_bp`].
        limit_bp: u16,
        /// Losses over the window, basis points of the principal, rounded up.
        window_bp: U256,
    },
    /// The share rate rose more than the limit in one report.
    PositiveRebase {
        /// [`Limits::max_positive_rebase`] (1e9 precision).
        limit: u64,
        /// Rise of the share rate, 1e9 precision, rounded up.
        actual: U256,
    },
    /// The simulated share rate is too far from the actual one.
    SimulatedShareRate {
        /// [`Limits::share_rate_deviation_bp`].
        limit_bp: u16,
        /// The rate the report asks to finalize at (1e27).
        simulated: U256,
        /// The rate computed on-chain (1e27).
        actual: U256,
        /// `|simulated - actual| / actual`, basis points, rounded up.
        deviation_bp: U256,
    },
    /// More validators appeared than the daily limit allows over the elapsed time.
    AppearedValidators {
        /// [`Limits::appeared_per_day`].
        limit_per_day: u32,
        /// Validators that appeared in this report.
        appeared: u64,
        /// `appeared` per day, rounded up.
        per_day: u128,
    },
    /// More validators exited than the daily limit allows over the elapsed time.
    ExitedValidators {
        /// [`Limits::exited_per_day`].
        limit_per_day: u32,
        /// Validators newly exited in this report.
        exited: u64,
        /// `exited` per day, rounded up.
        per_day: u128,
    },
    /// The last request to finalize is younger than the margin before the report's time.
    RequestFinalization {
        /// Timestamp of the last request to finalize.
        request_timestamp: u64,
        /// [`Limits::request_margin`].
        margin: u32,
        /// The report's reference timestamp.
        report_timestamp: u64,
    },
    /// The report claims more withdrawals and EL rewards than the pool received.
    WithdrawalsAndRewards {
        /// Withdrawals plus EL rewards (saturated at `U256::MAX`).
        claimed: U256,
        /// Ether received and not yet accounted for.
        available: U256,
    },
    /// The report burns more shares than are available to burn.
    SharesToBurn {
        /// Shares the report burns.
        requested: U256,
        /// Shares available to burn.
        available: U256,
    },
}

/// Bit offsets of the packed fields (module doc).
const ANNUAL_INCREASE_OFFSET: usize = 0;
const CL_DECREASE_OFFSET: usize = 16;
const CL_WINDOW_OFFSET: usize = 32;
const DEVIATION_OFFSET: usize = 64;
const APPEARED_OFFSET: usize = 80;
const EXITED_OFFSET: usize = 112;
const MARGIN_OFFSET: usize = 144;
const REBASE_OFFSET: usize = 176;
const EXITED_OPERATORS_OFFSET: usize = 240;

impl Limits {
    /// Lido's mainnet values: 1,000 BP a year; 500 BP over 18 days; 50 BP; 1,800 and 3,600
    /// validators a day; 7,680 s; 750,000 (0.075%); 100 operators.
    pub const LIDO: Self = Self {
        annual_increase_bp: 1_000,
        cl_decrease_bp: 500,
        cl_decrease_window: 18 * 86_400,
        share_rate_deviation_bp: 50,
        appeared_per_day: 1_800,
        exited_per_day: 3_600,
        request_margin: 7_680,
        max_positive_rebase: 750_000,
        max_exited_operators: 100,
    };

    /// The limits as one storage word (layout in the module doc). Every field has exactly its
    /// width, so packing is lossless and [`Self::unpack`] is its inverse.
    pub fn pack(&self) -> U256 {
        let field = |value: u64, offset: usize| U256::from_limbs([value, 0, 0, 0]) << offset;
        field(u64::from(self.annual_increase_bp), ANNUAL_INCREASE_OFFSET)
            | field(u64::from(self.cl_decrease_bp), CL_DECREASE_OFFSET)
            | field(u64::from(self.cl_decrease_window), CL_WINDOW_OFFSET)
            | field(u64::from(self.share_rate_deviation_bp), DEVIATION_OFFSET)
            | field(u64::from(self.appeared_per_day), APPEARED_OFFSET)
            | field(u64::from(self.exited_per_day), EXITED_OFFSET)
            | field(u64::from(self.request_margin), MARGIN_OFFSET)
            | field(self.max_positive_rebase, REBASE_OFFSET)
            | field(u64::from(self.max_exited_operators), EXITED_OPERATORS_OFFSET)
    }

    /// The limits stored in `word` (inverse of [`Self::pack`]; every word is a valid packing).
    #[allow(clippy::cast_possible_truncation)] // Each cast keeps exactly its field's width.
    pub fn unpack(word: U256) -> Self {
        let field = |offset: usize| {
            let [low, ..] = (word >> offset).into_limbs();
            low
        };
        Self {
            annual_increase_bp: field(ANNUAL_INCREASE_OFFSET) as u16,
            cl_decrease_bp: field(CL_DECREASE_OFFSET) as u16,
            cl_decrease_window: field(CL_WINDOW_OFFSET) as u32,
            share_rate_deviation_bp: field(DEVIATION_OFFSET) as u16,
            appeared_per_day: field(APPEARED_OFFSET) as u32,
            exited_per_day: field(EXITED_OFFSET) as u32,
            request_margin: field(MARGIN_OFFSET) as u32,
            max_positive_rebase: field(REBASE_OFFSET),
            max_exited_operators: field(EXITED_OPERATORS_OFFSET) as u16,
        }
    }

    /// Checks every bounded field, in declaration order: basis points at most 10,000, a window of
    /// at least one second, a positive-rebase limit of at least 1. Other fields take any value.
    ///
    /// Errors: [`LimitValueError`] for the first field out of range, with its allowed range.
    pub fn validate(&self) -> Result<(), LimitValueError> {
        let bounds = [
            (LimitField::AnnualIncreaseBp, u64::from(self.annual_increase_bp), 0, BASIS_POINTS),
            (LimitField::ClDecreaseBp, u64::from(self.cl_decrease_bp), 0, BASIS_POINTS),
            (LimitField::ClDecreaseWindow, u64::from(self.cl_decrease_window), 1, u32::MAX.into()),
            (
                LimitField::ShareRateDeviationBp,
                u64::from(self.share_rate_deviation_bp),
                0,
                BASIS_POINTS,
            ),
            (LimitField::MaxPositiveRebase, self.max_positive_rebase, 1, u64::MAX),
        ];
        for (field, value, min, max) in bounds {
            if value < min || value > max {
                return Err(LimitValueError { field, value, min, max });
            }
        }
        Ok(())
    }
}

/// Annual CL balance increase: accepts iff
/// `(unified - principal) * 365 d * 10_000 <= limit_bp * principal * elapsed`.
///
/// `unified` is the reported CL balance plus the withdrawals received; `principal` is
/// [`crate::report::principal_cl`]. A `unified` at or below the principal is no increase and
/// passes. A principal below [`PRINCIPAL_FLOOR`] (32 ether) counts as that floor, a zero
/// `elapsed` as [`DEFAULT_TIME_ELAPSED`] (one hour), as in Lido.
///
/// Errors: [`SanityError::ClBalanceIncrease`] with the annualised BP rounded up.
pub fn check_annual_increase(
    limit_bp: u16,
    principal: U256,
    unified: U256,
    elapsed: u64,
) -> Result<(), SanityError> {
    let Some(increase) = unified.checked_sub(principal).filter(|d| !d.is_zero()) else {
        return Ok(());
    };
    let principal = principal.max(PRINCIPAL_FLOOR);
    let elapsed = if elapsed == 0 { DEFAULT_TIME_ELAPSED } else { elapsed };
    let reached = wide(increase, word(SECONDS_PER_YEAR * BASIS_POINTS));
    // `limit_bp * elapsed < 2^80` fits one word.
    let allowed = wide(principal, U256::from(u128::from(limit_bp) * u128::from(elapsed)));
    if reached <= allowed {
        return Ok(());
    }
    let time = wide(principal, word(elapsed));
    Err(SanityError::ClBalanceIncrease { limit_bp, annual_bp: ceil_div(reached, time) })
}

/// CL decrease over the window: accepts iff `window_losses * 10_000 <= limit_bp * principal`.
///
/// `window_losses` is the sum of the CL losses reported within [`Limits::cl_decrease_window`]
/// before this report, plus this report's loss; `principal` is this report's principal, at
/// least [`PRINCIPAL_FLOOR`] (32 ether).
///
/// Errors: [`SanityError::ClBalanceDecrease`] with the losses in BP of that principal, rounded
/// up.
pub fn check_cl_decrease(
    limit_bp: u16,
    window_losses: U256,
    principal: U256,
) -> Result<(), SanityError> {
    let principal = principal.max(PRINCIPAL_FLOOR);
    let reached = wide(window_losses, word(BASIS_POINTS));
    if reached <= wide(principal, word(u64::from(limit_bp))) {
        return Ok(());
    }
    Err(SanityError::ClBalanceDecrease {
        limit_bp,
        window_bp: ceil_div(reached, wide(principal, U256::ONE)),
    })
}

/// Positive rebase: the share rate may rise by at most `limit / 1e9` in one report. Accepts iff
/// `post_ether * pre_shares * 1e9 <= pre_ether * post_shares * (1e9 + limit)`.
///
/// `pre_*` are the pool's totals before the report, `post_*` the no-withdrawal totals
/// ([`crate::report::no_withdrawal_totals`]). An empty pool before the report (`pre_ether == 0`)
/// has no rate to compare to and passes, as in Lido. Ether against zero shares after the report
/// is an unbounded rise.
///
/// Errors: [`SanityError::PositiveRebase`] with the rise in 1e9 precision, rounded up
/// (`post rate / pre rate * 1e9 - 1e9`; `U256::MAX` when unbounded).
pub fn check_positive_rebase(
    limit: u64,
    pre_ether: U256,
    pre_shares: U256,
    post_ether: U256,
    post_shares: U256,
) -> Result<(), SanityError> {
    if pre_ether.is_zero() {
        return Ok(());
    }
    let reached: U768 = wide(post_ether, pre_shares).widening_mul(word(REBASE_PRECISION));
    let base = wide(pre_ether, post_shares);
    // `1e9 + limit < 2^65`: the sum cannot wrap.
    let allowed: U768 = base.widening_mul(word(REBASE_PRECISION) + word(limit));
    if reached <= allowed {
        return Ok(());
    }
    let ratio = ceil_div(reached, base.widening_mul::<256, 4, 768, 12>(U256::ONE));
    // A saturated ratio stays saturated; otherwise it is above `1e9 + limit`.
    let actual =
        if ratio == U256::MAX { ratio } else { ratio.saturating_sub(word(REBASE_PRECISION)) };
    Err(SanityError::PositiveRebase { limit, actual })
}

/// How many of `wanted` shares the queue's finalization may burn so that the whole report,
/// finalization included, stays within the positive-rebase limit.
///
/// Finalization takes `lock` ether and burns the finalized requests' shares. When requests
/// are paid their nominal ether below the report's rate (they stopped earning when they
/// were made), the burn raises the rate for the remaining holders. The largest burn `b`
/// keeping `post_ether * pre_shares * 1e9 <= pre_ether * (post_shares - b) * (1e9 + limit)`
/// is `post_shares - ceil(post_ether * pre_shares * 1e9 / (pre_ether * (1e9 + limit)))`.
/// `post_ether` is the no-withdrawal ether less `lock`, `post_shares` the no-withdrawal
/// shares. The shares not burned stay with the pool to be burned by later reports
/// (`sharesToBurn`, under the same limit), as Lido's Burner holds what its limiter defers.
///
/// Returns `min(wanted, that bound)` (0 when even no burn is above the limit, which
/// [`check_positive_rebase`] rules out before); `wanted` for an empty pool
/// (`pre_ether == 0`), which has no rate to keep, and for nothing wanted (no arithmetic).
#[must_use]
pub fn finalization_burn(
    limit: u64,
    pre_ether: U256,
    pre_shares: U256,
    post_ether: U256,
    post_shares: U256,
    wanted: U256,
) -> U256 {
    if pre_ether.is_zero() || wanted.is_zero() {
        return wanted;
    }
    let reached: U768 = wide(post_ether, pre_shares).widening_mul(word(REBASE_PRECISION));
    // `1e9 + limit < 2^65`: the sum cannot wrap.
    let base: U768 = wide(pre_ether, word(REBASE_PRECISION) + word(limit)).widening_mul(U256::ONE);
    let kept = ceil_div(reached, base);
    wanted.min(post_shares.saturating_sub(kept))
}

/// Simulated against actual share rate: accepts iff
/// `|simulated - actual| * 10_000 <= limit_bp * actual`.
///
/// A zero `actual` accepts only a zero `simulated` (the pool reports `ActualShareRateIsZero`
/// before this check in practice).
///
/// Errors: [`SanityError::SimulatedShareRate`] with the deviation in BP of `actual`, rounded up
/// (`U256::MAX` when `actual` is zero).
pub fn check_share_rate(limit_bp: u16, simulated: U256, actual: U256) -> Result<(), SanityError> {
    let gap = simulated.abs_diff(actual);
    let reached = wide(gap, word(BASIS_POINTS));
    if reached <= wide(actual, word(u64::from(limit_bp))) {
        return Ok(());
    }
    Err(SanityError::SimulatedShareRate {
        limit_bp,
        simulated,
        actual,
        deviation_bp: ceil_div(reached, wide(actual, U256::ONE)),
    })
}

/// Appeared validators: accepts iff `(post - pre) * 86_400 <= limit_per_day * elapsed`.
///
/// A zero `elapsed` counts as [`DEFAULT_TIME_ELAPSED`] (as in Lido). `post < pre` (refused by the
/// pool as `IncorrectReportValidators`) counts as none appeared.
///
/// Errors: [`SanityError::AppearedValidators`] with the count and the per-day rate rounded up.
pub fn check_appeared_validators(
    limit_per_day: u32,
    pre_validators: u64,
    post_validators: u64,
    elapsed: u64,
) -> Result<(), SanityError> {
    let appeared = post_validators.saturating_sub(pre_validators);
    per_day(limit_per_day, appeared, elapsed).map_err(|per_day| SanityError::AppearedValidators {
        limit_per_day,
        appeared,
        per_day,
    })
}

/// Exited validators: accepts iff `newly_exited * 86_400 <= limit_per_day * elapsed`.
///
/// A zero `elapsed` counts as [`DEFAULT_TIME_ELAPSED`], as for appeared validators (Lido's own
/// check compares the count itself with the daily limit; scaling by the time elapsed keeps a
/// report after a missed frame from being refused for exits spread over two days).
///
/// Errors: [`SanityError::ExitedValidators`] with the count and the per-day rate rounded up.
pub fn check_exited_validators(
    limit_per_day: u32,
    newly_exited: u64,
    elapsed: u64,
) -> Result<(), SanityError> {
    per_day(limit_per_day, newly_exited, elapsed).map_err(|per_day| SanityError::ExitedValidators {
        limit_per_day,
        exited: newly_exited,
        per_day,
    })
}

/// Request timestamp margin: accepts iff `request_timestamp + margin <= report_timestamp`.
///
/// `request_timestamp` is the timestamp of the last request the report finalizes.
///
/// Errors: [`SanityError::RequestFinalization`] with the three values.
pub fn check_request_margin(
    margin: u32,
    request_timestamp: u64,
    report_timestamp: u64,
) -> Result<(), SanityError> {
    if u128::from(request_timestamp) + u128::from(margin) <= u128::from(report_timestamp) {
        return Ok(());
    }
    Err(SanityError::RequestFinalization { request_timestamp, margin, report_timestamp })
}

/// Claimed ether: accepts iff `withdrawals + el_rewards <= available`, where `available` is the
/// ether the pool received and has not accounted for (its balance less the buffer).
///
/// Errors: [`SanityError::WithdrawalsAndRewards`] with the sum (saturated at `U256::MAX`).
pub fn check_claimed_ether(
    withdrawals: U256,
    el_rewards: U256,
    available: U256,
) -> Result<(), SanityError> {
    match withdrawals.checked_add(el_rewards) {
        Some(claimed) if claimed <= available => Ok(()),
        claimed => Err(SanityError::WithdrawalsAndRewards {
            claimed: claimed.unwrap_or(U256::MAX),
            available,
        }),
    }
}

/// Shares to burn: accepts iff `requested <= available`.
///
/// Errors: [`SanityError::SharesToBurn`] with both values.
pub fn check_shares_to_burn(requested: U256, available: U256) -> Result<(), SanityError> {
    if requested <= available {
        return Ok(());
    }
    Err(SanityError::SharesToBurn { requested, available })
}

/// `Ok` iff `count * 86_400 <= limit_per_day * elapsed` (zero elapsed: one hour), else the
/// per-day rate rounded up. Everything fits u128: `count * 86_400 < 2^81`.
fn per_day(limit_per_day: u32, count: u64, elapsed: u64) -> Result<(), u128> {
    let elapsed = if elapsed == 0 { DEFAULT_TIME_ELAPSED } else { elapsed };
    let reached = u128::from(count) * u128::from(SECONDS_PER_DAY);
    if reached <= u128::from(limit_per_day) * u128::from(elapsed) {
        return Ok(());
    }
    // `elapsed` is non-zero here; `checked_div` only keeps the panic path out of the binary.
    let floor = reached.checked_div(u128::from(elapsed)).unwrap_or(u128::MAX);
    Err(if floor * u128::from(elapsed) == reached { floor } else { floor + 1 })
}

/// `x` as a U256.
fn word(x: u64) -> U256 {
    U256::from_limbs([x, 0, 0, 0])
}

/// The exact 512-bit product `a * b`.
fn wide(a: U256, b: U256) -> U512 {
    a.widening_mul(b)
}

/// `ceil(numerator / denominator)` saturated at `U256::MAX`; `U256::MAX` for a zero denominator.
fn ceil_div<const BITS: usize, const LIMBS: usize>(
    numerator: Uint<BITS, LIMBS>,
    denominator: Uint<BITS, LIMBS>,
) -> U256 {
    if denominator.is_zero() {
        return U256::MAX;
    }
    U256::saturating_from_limbs_slice(numerator.div_ceil(denominator).as_limbs())
}
