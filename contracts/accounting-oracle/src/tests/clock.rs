//! The test clock: the contract's one time seam (`crate::now`). motsu's block time is fixed
//! (1 Jan 2025); a test sets the time the entry points see with [`set`] and moves it with
//! [`advance`]. Unset, it is motsu's block time. Thread-local: motsu runs a test's calls on
//! the test's thread.

use core::cell::Cell;

std::thread_local! {
    static NOW: Cell<Option<u64>> = const { Cell::new(None) };
}

/// The time the contract sees.
pub(crate) fn now() -> u64 {
    NOW.with(Cell::get).unwrap_or_else(staking_common::host::timestamp)
}

/// Sets the time the contract sees.
pub(crate) fn set(t: u64) {
    NOW.with(|c| c.set(Some(t)));
}

/// Moves the time forward by `seconds`.
pub(crate) fn advance(seconds: u64) {
    set(now() + seconds);
}
