//! `a * b / d`, exact, rounded down or up, without a division instruction.
//!
//! `staking_math::mul_div` divides with ruint's Knuth division, which brings a 512-byte table of
//! reciprocals into the program's data segment. Stylus prices every byte of the data segment
//! on every call into a program (about 0.75 gas a byte, cached: docs/gas.md), so the table alone
//! would cost every wrap, unwrap, transfer and permit about 400 gas. Only the ERC-4626 views
//! and `mint` divide here, so a bit-by-bit long division (at most 512 steps of shifts,
//! comparisons and subtractions on four words) serves them for a few gas of computation.

use alloy_primitives::U256;

/// `floor(a * b / d)` and whether the division left a remainder, or `None` when `d` is zero
/// or the quotient does not fit 256 bits.
pub fn mul_div_rem(a: U256, b: U256, d: U256) -> Option<(U256, bool)> {
    if d.is_zero() {
        return None;
    }
    let [l0, l1, l2, l3, h0, h1, h2, h3] = widening_mul(a.into_limbs(), b.into_limbs());
    let (low, high) = (U256::from_limbs([l0, l1, l2, l3]), U256::from_limbs([h0, h1, h2, h3]));
    // The quotient fits 256 bits exactly when the high half is below the divisor.
    if high >= d {
        return None;
    }
    // Long division of (high ‖ low) by d, the remainder starting as the high half (< d).
    let mut rem = high;
    let mut quotient = U256::ZERO;
    for i in (0..256).rev() {
        let carry = rem.bit(255);
        rem = (rem << 1) | U256::from(u8::from(low.bit(i)));
        if carry || rem >= d {
            rem = rem.wrapping_sub(d);
            quotient.set_bit(i, true);
        }
    }
    Some((quotient, !rem.is_zero()))
}

pub use staking_common::eip712::word;

/// The 512-bit product of two 256-bit numbers (little-endian 64-bit limbs), schoolbook: no
/// slice arithmetic, so no panic location in the data segment (ruint's own multiplication
/// asserts on its slices' lengths).
#[allow(clippy::cast_possible_truncation, reason = "a limb is the low 64 bits, by design")]
fn widening_mul(a: [u64; 4], b: [u64; 4]) -> [u64; 8] {
    let mut out = [0u64; 8];
    for (i, &x) in a.iter().enumerate() {
        let mut carry = 0u128;
        for (j, &y) in b.iter().enumerate() {
            let t = u128::from(x) * u128::from(y) + u128::from(out[i + j]) + carry;
            out[i + j] = t as u64;
            carry = t >> 64;
        }
        out[i + 4] = carry as u64;
    }
    out
}

/// `a * b / d` rounded down (`up == false`) or up, or `None` (zero divisor, or a quotient
/// that does not fit 256 bits).
pub fn mul_div(a: U256, b: U256, d: U256, up: bool) -> Option<U256> {
    let (q, rem) = mul_div_rem(a, b, d)?;
    if up && rem {
        q.checked_add(U256::from(1))
    } else {
        Some(q)
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{aliases::U512, U256};

    use super::mul_div;

    fn model(a: U256, b: U256, d: U256, up: bool) -> Option<U256> {
        let (a, b, d) = (U512::from(a), U512::from(b), U512::from(d));
        if d.is_zero() {
            return None;
        }
        let q = if up { (a * b).div_ceil(d) } else { a * b / d };
        (q <= U512::from(U256::MAX)).then(|| q.to::<U256>())
    }

    #[test]
    fn long_division_equals_the_512_bit_model_in_both_roundings() {
        let mut x = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let edges = [U256::ZERO, U256::from(1), U256::from(7), U256::MAX, U256::MAX >> 1];
        let mut values = edges.to_vec();
        for _ in 0..300 {
            let bits = next() % 256;
            let v = U256::from_limbs([next(), next(), next(), next()]) >> (255 - bits as usize);
            values.push(v);
        }
        for (i, &a) in values.iter().enumerate() {
            let b = values[(i * 7 + 3) % values.len()];
            let d = values[(i * 13 + 5) % values.len()];
            for up in [false, true] {
                assert_eq!(mul_div(a, b, d, up), model(a, b, d, up), "{a} * {b} / {d} up {up}");
            }
        }
        assert_eq!(
            mul_div(U256::from(7), U256::from(3), U256::from(2), false),
            Some(U256::from(10))
        );
        assert_eq!(
            mul_div(U256::from(7), U256::from(3), U256::from(2), true),
            Some(U256::from(11))
        );
        assert_eq!(mul_div(U256::MAX, U256::MAX, U256::MAX, true), Some(U256::MAX));
        assert_eq!(mul_div(U256::MAX, U256::from(2), U256::from(1), false), None);
        assert_eq!(mul_div(U256::from(1), U256::from(1), U256::ZERO, false), None);
    }
}
