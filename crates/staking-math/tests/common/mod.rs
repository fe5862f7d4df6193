//! Helpers the property tests share: the exact reference (`num_bigint`) and value strategies.
#![allow(dead_code, reason = "each test file uses a different subset")]

use alloy_primitives::U256;
use num_bigint::BigUint;
use proptest::prelude::*;

/// `x` as a number of the exact reference.
pub(crate) fn big(x: U256) -> BigUint {
    BigUint::from_bytes_le(&x.to_le_bytes::<32>())
}

/// A small literal as a U256.
pub(crate) fn u(x: u128) -> U256 {
    U256::from(x)
}

/// A U256 of random bit length, so small, medium and full-width values all occur, plus the edges.
pub(crate) fn any_u256() -> impl Strategy<Value = U256> {
    prop_oneof![
        1 => prop_oneof![
            Just(U256::ZERO),
            Just(U256::from(1u8)),
            Just(U256::from(u128::MAX)),
            Just(U256::MAX),
            Just(U256::MAX - U256::from(1u8)),
        ],
        8 => (any::<[u64; 4]>(), 0usize..=256).prop_map(|(limbs, bits)| {
            U256::from_limbs(limbs) >> (256 - bits)
        }),
    ]
}

/// Amounts a pool can plausibly hold: 1 wei up to 2^128.
pub(crate) fn amount() -> impl Strategy<Value = U256> {
    (1u32..=128, any::<u128>()).prop_map(|(bits, x)| {
        let x = U256::from(x) >> (128 - bits);
        if x.is_zero() {
            U256::from(1u8)
        } else {
            x
        }
    })
}
