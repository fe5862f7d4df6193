//! Share and rebase arithmetic for the liquid staking suite, shared by every contract.
//!
//! `no_std`, on alloy-primitives' U256 only. Every operation is checked and returns a
//! [`MathError`] instead of wrapping or panicking; every division takes an explicit [`Rounding`]
//! so callers can round in the protocol's favour (shares minted and ether paid out `Down`, shares
//! burned `Up`). Each module's doc says how its amounts round.
//!
//! - [`mod@mul_div`]: `add`, `sub`, `to_u128`, and exact `a * b / d` with a 512-bit intermediate.
//! - [`shares`]: ether <-> shares, directly or through a 1e27-precision share rate.
//! - [`fees`]: shares minted as the protocol fee on rewards.
//! - [`stake_limit`]: the regrowing staking limit packed in one slot.
//! - [`packing`]: bit fields of packed storage words.
//! - [`sanity`]: the oracle report's sanity limits (one packed word) and their exact checks.
//! - [`report`]: an oracle report's principal, rewards, post-report totals and fee split.
#![no_std]

pub mod error;
pub mod fees;
pub mod mul_div;
pub mod packing;
pub mod report;
pub mod sanity;
pub mod shares;
pub mod stake_limit;

pub use error::MathError;
pub use fees::fee_shares;
pub use mul_div::{add, mul_div, sub, to_u128, Rounding};
pub use packing::{get_bits, pack_u128_pair, set_bits, unpack_u128_pair};
pub use report::{EtherAndShares, FeeSplit, ReportInput};
pub use sanity::{Limits, SanityError};
pub use shares::{
    ether_for_shares, ether_for_shares_at_rate, share_rate, shares_for_ether,
    shares_for_ether_at_rate, RATE_PRECISION,
};
pub use stake_limit::{StakeLimit, StakeLimitError};
