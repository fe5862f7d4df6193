//! Bit-field helpers for contracts' packed storage slots.
//!
//! No rounding happens here: values are placed and read bit for bit. Reads are total (bits beyond
//! the 256-bit word read as zero); writes are checked and refuse a value wider than its field or a
//! field that does not lie inside the word.

use alloy_primitives::U256;

use crate::MathError;

/// Packs two `u128` into one word: `low` in bits 0..128, `high` in bits 128..256.
#[allow(clippy::cast_possible_truncation)] // Splitting into 64-bit limbs truncates on purpose.
pub fn pack_u128_pair(low: u128, high: u128) -> U256 {
    U256::from_limbs([low as u64, (low >> 64) as u64, high as u64, (high >> 64) as u64])
}

/// Splits a word into `(low, high)`: bits 0..128 and bits 128..256 (inverse of [`pack_u128_pair`]).
pub fn unpack_u128_pair(word: U256) -> (u128, u128) {
    let [l0, l1, l2, l3] = word.into_limbs();
    (u128::from(l0) | (u128::from(l1) << 64), u128::from(l2) | (u128::from(l3) << 64))
}

/// A mask of the `width` lowest bits (all ones from 256 up).
fn low_mask(width: usize) -> U256 {
    if width == 0 {
        return U256::ZERO;
    }
    U256::MAX >> 256usize.saturating_sub(width)
}

/// The `width`-bit field at bit `offset` of `word`, shifted down to bit 0.
///
/// Meant for `offset + width <= 256`; bits beyond the word read as zero.
pub fn get_bits(word: U256, offset: usize, width: usize) -> U256 {
    (word >> offset) & low_mask(width)
}

/// `word` with its `width`-bit field at bit `offset` replaced by `value`; other bits are kept.
///
/// Errors: [`MathError::Overflow`] when `value` needs more than `width` bits or the field does not
/// lie inside the word (`offset + width > 256`).
pub fn set_bits(word: U256, offset: usize, width: usize, value: U256) -> Result<U256, MathError> {
    let mask = low_mask(width);
    match offset.checked_add(width) {
        Some(end) if end <= 256 && value <= mask => {
            Ok((word & !(mask << offset)) | (value << offset))
        }
        _ => Err(MathError::Overflow),
    }
}
