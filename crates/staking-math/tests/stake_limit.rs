//! Unit tests of `StakeLimit`: regrowth, consumption, (re)configuration and the packed layout.

use alloy_primitives::U256;
use staking_math::{get_bits, StakeLimit, StakeLimitError};

const MAX: u128 = StakeLimit::MAX_AMOUNT;

/// A limit of 1000 that regrows 10 per block (full in 100 blocks), set at block 50.
fn limit() -> StakeLimit {
    StakeLimit::default().set(1_000, 10, 50).unwrap()
}

#[test]
fn default_limit_is_disabled_and_unlimited() {
    let l = StakeLimit::default();
    assert!(!l.is_enabled());
    assert_eq!(l.current(0), u128::MAX);
    assert_eq!(l.current(u64::MAX), u128::MAX);
}

#[test]
fn consume_on_a_disabled_limit_changes_nothing() {
    let l = StakeLimit { prev_block: 7, ..StakeLimit::default() };
    assert_eq!(l.consume(u128::MAX, 1_000), Ok(l));
    // Even a block beyond u32 is accepted since nothing is recorded.
    assert_eq!(l.consume(1, u64::MAX), Ok(l));
}

#[test]
fn set_on_a_disabled_limit_starts_full() {
    let l = limit();
    assert!(l.is_enabled());
    assert_eq!(
        l,
        StakeLimit { max_limit: 1_000, prev_limit: 1_000, prev_block: 50, growth_blocks: 100 }
    );
    assert_eq!(l.current(50), 1_000);
}

#[test]
fn consume_lowers_the_remaining_limit_and_records_the_block() {
    let l = limit().consume(300, 60).unwrap();
    assert_eq!(l.prev_limit, 700);
    assert_eq!(l.prev_block, 60);
    assert_eq!(l.current(60), 700);
    assert_eq!((l.max_limit, l.growth_blocks), (1_000, 100));
}

#[test]
fn consume_of_exactly_the_remaining_limit_empties_it() {
    let l = limit().consume(1_000, 50).unwrap();
    assert_eq!(l.current(50), 0);
    assert_eq!(l.consume(1, 50), Err(StakeLimitError::ExceedsLimit { requested: 1, remaining: 0 }));
    assert_eq!(l.consume(0, 50).map(|l| l.current(50)), Ok(0));
}

#[test]
fn consume_above_the_remaining_limit_is_refused_with_the_amounts() {
    let l = limit().consume(900, 50).unwrap();
    assert_eq!(
        l.consume(101, 50),
        Err(StakeLimitError::ExceedsLimit { requested: 101, remaining: 100 })
    );
    assert_eq!(
        l.consume(u128::MAX, 55),
        Err(StakeLimitError::ExceedsLimit { requested: u128::MAX, remaining: 150 })
    );
}

#[test]
fn limit_regrows_by_max_over_growth_blocks_per_block() {
    let l = limit().consume(1_000, 50).unwrap();
    assert_eq!(l.current(51), 10);
    assert_eq!(l.current(75), 250);
    assert_eq!(l.current(149), 990);
    assert_eq!(l.current(150), 1_000);
}

#[test]
fn limit_is_capped_at_the_maximum_after_regrowth() {
    let l = limit().consume(1, 50).unwrap();
    assert_eq!(l.current(51), 1_000);
    assert_eq!(l.current(1_000_000), 1_000);
    assert_eq!(l.current(u64::MAX), 1_000);
}

#[test]
fn regrowth_rounds_the_per_block_increase_down_from_max_over_growth_blocks() {
    // 1000 / 300 = 3 blocks to refill, so 1000 / 3 = 333 per block.
    let l = StakeLimit::default().set(1_000, 300, 0).unwrap().consume(1_000, 0).unwrap();
    assert_eq!(l.growth_blocks, 3);
    assert_eq!(l.current(1), 333);
    assert_eq!(l.current(3), 999);
    assert_eq!(l.current(4), 1_000);
}

#[test]
fn limit_without_increase_never_refills() {
    let l = StakeLimit::default().set(1_000, 0, 10).unwrap();
    assert_eq!(l.growth_blocks, 0);
    let l = l.consume(400, 10).unwrap();
    assert_eq!(l.current(10), 600);
    assert_eq!(l.current(u64::MAX), 600);
}

#[test]
fn a_block_before_the_recorded_block_counts_as_no_time_elapsed() {
    let l = limit().consume(1_000, 50).unwrap();
    assert_eq!(l.current(49), 0);
    assert_eq!(l.current(0), 0);
    let l = l.consume(0, 0).unwrap();
    assert_eq!((l.prev_limit, l.prev_block), (0, 0));
    assert_eq!(l.current(1), 10);
}

#[test]
fn regrowth_saturates_instead_of_overflowing() {
    let l = StakeLimit::default().set(MAX, 1 << 70, 0).unwrap().consume(MAX, 0).unwrap();
    assert_eq!(l.current(u64::MAX), MAX);
    let raw = StakeLimit { max_limit: MAX, prev_limit: MAX, prev_block: 0, growth_blocks: 1 };
    assert_eq!(raw.current(u64::MAX), MAX);
}

#[test]
fn set_while_enabled_carries_the_remaining_limit_over() {
    let l = limit().consume(800, 50).unwrap(); // 200 left, +10 per block
    let l = l.set(2_000, 1, 60).unwrap(); // 300 regrown by block 60
    assert_eq!(
        l,
        StakeLimit { max_limit: 2_000, prev_limit: 300, prev_block: 60, growth_blocks: 2_000 }
    );
    assert_eq!(l.current(61), 301);
}

#[test]
fn set_below_the_remaining_limit_caps_it_at_the_new_maximum() {
    let l = limit().consume(100, 50).unwrap().set(500, 5, 70).unwrap();
    assert_eq!(
        l,
        StakeLimit { max_limit: 500, prev_limit: 500, prev_block: 70, growth_blocks: 100 }
    );
}

#[test]
fn set_accepts_the_largest_maximum_and_an_increase_equal_to_it() {
    let l = StakeLimit::default().set(MAX, MAX, 1).unwrap();
    assert_eq!((l.max_limit, l.prev_limit, l.growth_blocks), (MAX, MAX, 1));
    let l = StakeLimit::default().set(1, 1, u64::from(u32::MAX)).unwrap();
    assert_eq!(l.prev_block, u32::MAX);
}

#[test]
fn set_rejects_a_zero_or_too_large_maximum() {
    let l = limit();
    assert_eq!(l.set(0, 0, 60), Err(StakeLimitError::InvalidLimit));
    assert_eq!(l.set(MAX + 1, 1 << 90, 60), Err(StakeLimitError::InvalidLimit));
    assert_eq!(l.set(u128::MAX, u128::MAX, 60), Err(StakeLimitError::InvalidLimit));
}

#[test]
fn set_rejects_an_increase_above_the_maximum() {
    assert_eq!(limit().set(1_000, 1_001, 60), Err(StakeLimitError::InvalidLimit));
}

#[test]
fn set_rejects_a_refill_longer_than_u32_blocks() {
    let l = StakeLimit::default();
    assert_eq!(l.set(MAX, 1, 0), Err(StakeLimitError::InvalidLimit));
    let max_blocks = u128::from(u32::MAX);
    assert_eq!(l.set(max_blocks + 1, 1, 0), Err(StakeLimitError::InvalidLimit));
    assert_eq!(l.set(max_blocks, 1, 0).map(|l| l.growth_blocks), Ok(u32::MAX));
}

#[test]
fn set_and_consume_reject_a_block_beyond_u32() {
    let beyond = u64::from(u32::MAX) + 1;
    assert_eq!(StakeLimit::default().set(1_000, 1, beyond), Err(StakeLimitError::BlockOverflow));
    assert_eq!(limit().consume(1, beyond), Err(StakeLimitError::BlockOverflow));
}

#[test]
fn disable_clears_the_limits_and_keeps_the_block() {
    let l = limit().consume(10, 80).unwrap().disable();
    assert_eq!(l, StakeLimit { max_limit: 0, prev_limit: 0, prev_block: 80, growth_blocks: 0 });
    assert_eq!(l.current(80), u128::MAX);
    // Enabling again starts full.
    assert_eq!(l.set(500, 0, 90).map(|l| l.current(90)), Ok(500));
}

#[test]
fn pack_places_the_fields_at_the_documented_bits() {
    let l = StakeLimit {
        max_limit: MAX - 1,
        prev_limit: 0x1234,
        prev_block: 0xdead_beef,
        growth_blocks: 77,
    };
    let w = l.pack();
    assert_eq!(get_bits(w, 0, 96), U256::from(0x1234u32));
    assert_eq!(get_bits(w, 96, 32), U256::from(0xdead_beef_u32));
    assert_eq!(get_bits(w, 128, 32), U256::from(77u8));
    assert_eq!(get_bits(w, 160, 96), U256::from(MAX - 1));
    assert_eq!(StakeLimit::unpack(w), l);
}

#[test]
fn pack_of_all_fields_at_their_maximum_fills_the_word() {
    let l = StakeLimit {
        max_limit: MAX,
        prev_limit: MAX,
        prev_block: u32::MAX,
        growth_blocks: u32::MAX,
    };
    assert_eq!(l.pack(), U256::MAX);
    assert_eq!(StakeLimit::unpack(U256::MAX), l);
    assert_eq!(StakeLimit::default().pack(), U256::ZERO);
    assert_eq!(StakeLimit::unpack(U256::ZERO), StakeLimit::default());
}

#[test]
fn pack_truncates_fields_wider_than_their_slot_without_touching_others() {
    let l =
        StakeLimit { max_limit: u128::MAX, prev_limit: u128::MAX, prev_block: 0, growth_blocks: 0 };
    assert_eq!(
        StakeLimit::unpack(l.pack()),
        StakeLimit { max_limit: MAX, prev_limit: MAX, prev_block: 0, growth_blocks: 0 }
    );
}
