//! Delayed operations: ids, selectors and ready times, as pure functions.
//!
//! An operation is one exact call: `caller` runs `data` (selector + ABI arguments) on `target`.
//! Its id is `keccak256(abi.encode(caller, target, data))`, as in OpenZeppelin's Solidity
//! `AccessManager.hashOperation`, so off-chain tools compute it the same way.
//!
//! A scheduled operation may run from `readyAt` until [`OPERATION_EXPIRATION`] after it
//! (both ends included); later it is expired: refused, and no obstacle to scheduling the
//! same operation again.

use alloc::vec;

use alloy_primitives::{aliases::B32, keccak256, Address, B256};

/// How long a scheduled operation stays runnable once ready, in seconds (1 week, as
/// OpenZeppelin's Solidity `AccessManager.expiration()`): it may run at any time in
/// `readyAt ..= readyAt + OPERATION_EXPIRATION`, and is expired from one second later on.
/// So an operation left pending (say, because its function's delay was removed meanwhile)
/// cannot be used long after it was meant to run.
pub const OPERATION_EXPIRATION: u64 = 7 * 24 * 60 * 60;

/// The function selector of `data`, or `None` when it is shorter than 4 bytes.
#[must_use]
pub fn selector(data: &[u8]) -> Option<B32> {
    data.first_chunk::<4>().map(|s| B32::new(*s))
}

/// The operation id: `keccak256(abi.encode(caller, target, data))`.
///
/// The encoding is written by hand (head: caller, target, offset `0x60`; tail: length, data
/// zero-padded to 32 bytes), which links far less code than the generic ABI encoder.
#[must_use]
pub fn hash_operation(caller: Address, target: Address, data: &[u8]) -> B256 {
    let len = data.len();
    let mut buf = vec![0u8; 128 + len.div_ceil(32) * 32];
    buf[12..32].copy_from_slice(caller.as_slice());
    buf[44..64].copy_from_slice(target.as_slice());
    buf[95] = 0x60;
    buf[120..128].copy_from_slice(&(len as u64).to_be_bytes());
    buf[128..128 + len].copy_from_slice(data);
    keccak256(&buf)
}

/// The time from which an operation scheduled at `now` under `delay` may run, or `None` when
/// it does not fit in 64 bits.
#[must_use]
pub fn ready_at(now: u64, delay: u32) -> Option<u64> {
    now.checked_add(u64::from(delay))
}

/// The last time an operation ready at `ready_at` may run: `ready_at + OPERATION_EXPIRATION`,
/// saturating (an operation ready near the end of time never expires).
#[must_use]
pub fn expires_at(ready_at: u64) -> u64 {
    ready_at.saturating_add(OPERATION_EXPIRATION)
}

/// Whether an operation ready at `ready_at` is expired at `now` (`now > expires_at(ready_at)`).
#[must_use]
pub fn is_expired(ready_at: u64, now: u64) -> bool {
    now > expires_at(ready_at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{hex, Bytes};
    use alloy_sol_types::SolValue;

    #[test]
    fn selector_needs_four_bytes() {
        assert_eq!(selector(&[]), None);
        assert_eq!(selector(&[1, 2, 3]), None);
        assert_eq!(selector(&[1, 2, 3, 4]), Some(B32::new([1, 2, 3, 4])));
        assert_eq!(selector(&[1, 2, 3, 4, 5]), Some(B32::new([1, 2, 3, 4])));
    }

    #[test]
    fn hash_matches_solidity_abi_encode_for_every_padding() {
        let caller = Address::repeat_byte(0x11);
        let target = Address::repeat_byte(0x22);
        for len in [0usize, 1, 4, 31, 32, 33, 68, 100] {
            #[allow(clippy::cast_possible_truncation)]
            let data: alloc::vec::Vec<u8> = (0..len).map(|i| i as u8 ^ 0x5a).collect();
            let reference = (caller, target, Bytes::from(data.clone())).abi_encode_params();
            assert_eq!(hash_operation(caller, target, &data), keccak256(reference), "len {len}");
        }
    }

    #[test]
    fn hash_matches_a_known_vector() {
        // keccak256(abi.encode(address(0x11..11), address(0x22..22), hex"deadbeef")).
        let caller = Address::repeat_byte(0x11);
        let target = Address::repeat_byte(0x22);
        let encoded = hex!(
            "0000000000000000000000001111111111111111111111111111111111111111"
            "0000000000000000000000002222222222222222222222222222222222222222"
            "0000000000000000000000000000000000000000000000000000000000000060"
            "0000000000000000000000000000000000000000000000000000000000000004"
            "deadbeef00000000000000000000000000000000000000000000000000000000"
        );
        assert_eq!(hash_operation(caller, target, &hex!("deadbeef")), keccak256(encoded));
    }

    #[test]
    fn hash_binds_caller_target_and_data() {
        let a = Address::repeat_byte(1);
        let b = Address::repeat_byte(2);
        let h = hash_operation(a, b, &[1, 2, 3, 4]);
        assert_ne!(h, hash_operation(b, a, &[1, 2, 3, 4]));
        assert_ne!(h, hash_operation(a, b, &[1, 2, 3, 5]));
        assert_ne!(h, hash_operation(a, b, &[1, 2, 3, 4, 0]));
    }

    #[test]
    fn ready_at_is_checked() {
        assert_eq!(ready_at(10, 5), Some(15));
        assert_eq!(ready_at(u64::MAX - 5, 5), Some(u64::MAX));
        assert_eq!(ready_at(u64::MAX - 4, 5), None);
    }

    #[test]
    fn expiration_is_one_week_after_ready_inclusive() {
        assert_eq!(OPERATION_EXPIRATION, 604_800);
        assert_eq!(expires_at(1000), 1000 + 604_800);
        assert!(!is_expired(1000, 1000));
        assert!(!is_expired(1000, 1000 + 604_800));
        assert!(is_expired(1000, 1000 + 604_801));
        // Saturating: never expires rather than wrapping.
        assert_eq!(expires_at(u64::MAX - 1), u64::MAX);
        assert!(!is_expired(u64::MAX - 1, u64::MAX));
    }
}
