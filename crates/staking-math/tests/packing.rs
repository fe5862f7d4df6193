//! Unit tests of the bit-field helpers.

use alloy_primitives::U256;
use staking_math::{get_bits, pack_u128_pair, set_bits, unpack_u128_pair, MathError};

fn u(x: u128) -> U256 {
    U256::from(x)
}

#[test]
fn pack_u128_pair_puts_low_in_the_low_half() {
    assert_eq!(pack_u128_pair(1, 0), u(1));
    assert_eq!(pack_u128_pair(0, 1), U256::from(1u8) << 128);
    assert_eq!(pack_u128_pair(u128::MAX, u128::MAX), U256::MAX);
    assert_eq!(pack_u128_pair(u128::MAX, 0), u(u128::MAX));
}

#[test]
fn unpack_u128_pair_inverts_pack() {
    for (low, high) in [(0, 0), (1, 2), (u128::MAX, 0), (0, u128::MAX), (u128::MAX, u128::MAX - 1)]
    {
        assert_eq!(unpack_u128_pair(pack_u128_pair(low, high)), (low, high));
    }
    assert_eq!(unpack_u128_pair(U256::MAX), (u128::MAX, u128::MAX));
}

#[test]
fn get_bits_reads_a_field_shifted_down() {
    let w = u(0xabcd_ef00);
    assert_eq!(get_bits(w, 8, 8), u(0xef));
    assert_eq!(get_bits(w, 16, 16), u(0xabcd));
    assert_eq!(get_bits(w, 0, 256), w);
    assert_eq!(get_bits(U256::MAX, 255, 1), u(1));
    assert_eq!(get_bits(U256::MAX, 0, 256), U256::MAX);
    assert_eq!(get_bits(U256::MAX, 100, 0), U256::ZERO);
}

#[test]
fn get_bits_reads_zero_beyond_the_word() {
    assert_eq!(get_bits(U256::MAX, 250, 10), u(0x3f));
    assert_eq!(get_bits(U256::MAX, 256, 8), U256::ZERO);
    assert_eq!(get_bits(U256::MAX, usize::MAX, usize::MAX), U256::ZERO);
}

#[test]
fn set_bits_replaces_only_its_field() {
    let w = U256::MAX;
    assert_eq!(set_bits(w, 8, 8, U256::ZERO), Ok(U256::MAX ^ u(0xff00)));
    assert_eq!(set_bits(U256::ZERO, 16, 16, u(0xabcd)), Ok(u(0xabcd_0000)));
    assert_eq!(set_bits(u(0xffff), 4, 8, u(0x5a)), Ok(u(0xf5af)));
    assert_eq!(set_bits(U256::ZERO, 255, 1, u(1)), Ok(U256::from(1u8) << 255));
}

#[test]
fn set_bits_of_the_whole_word_replaces_it() {
    assert_eq!(set_bits(u(7), 0, 256, U256::MAX), Ok(U256::MAX));
    assert_eq!(set_bits(U256::MAX, 0, 256, U256::ZERO), Ok(U256::ZERO));
}

#[test]
fn set_bits_then_get_bits_returns_the_value() {
    let w = set_bits(u(0x1234_5678), 96, 32, u(0xdead_beef)).unwrap();
    assert_eq!(get_bits(w, 96, 32), u(0xdead_beef));
    assert_eq!(get_bits(w, 0, 96), u(0x1234_5678));
}

#[test]
fn set_bits_rejects_a_value_wider_than_its_field() {
    assert_eq!(set_bits(U256::ZERO, 0, 8, u(0x100)), Err(MathError::Overflow));
    assert_eq!(set_bits(U256::ZERO, 10, 0, u(1)), Err(MathError::Overflow));
    assert_eq!(set_bits(U256::ZERO, 0, 255, U256::MAX), Err(MathError::Overflow));
    assert_eq!(set_bits(U256::ZERO, 0, 0, U256::ZERO), Ok(U256::ZERO));
}

#[test]
fn set_bits_rejects_a_field_outside_the_word() {
    assert_eq!(set_bits(U256::ZERO, 250, 10, u(1)), Err(MathError::Overflow));
    assert_eq!(set_bits(U256::ZERO, 256, 1, U256::ZERO), Err(MathError::Overflow));
    assert_eq!(set_bits(U256::ZERO, usize::MAX, 1, U256::ZERO), Err(MathError::Overflow));
    assert_eq!(set_bits(U256::ZERO, 1, usize::MAX, U256::ZERO), Err(MathError::Overflow));
}
