//! Arbitrum's L1-to-L2 address aliasing, as the contracts check it.
//!
//! A message an L1 contract sends into Arbitrum (a retryable ticket's redeem, a contract
//! transaction) runs on L2 from the contract's address plus
//! `0x1111000000000000000000000000000000001111`, modulo 2^160 (nitro-contracts'
//! `AddressAliasHelper.applyL1ToL2Alias`), so no L1 contract can pass for the L2 account at its
//! own address. The pool knows the protocol's L1 vault by its L1 address and recognises its
//! returned ether by the alias; the oracle and the registry can use the same function.
//!
//! The offset's two non-zero halves added as immediates, byte-wise, without a slice copy: no
//! constant and no panic location in the data segment, whose every byte costs gas on every
//! call into a program.

use alloy_primitives::{address, Address};

/// What aliasing adds to an L1 address.
pub const L1_TO_L2_ALIAS_OFFSET: Address = address!("1111000000000000000000000000000000001111");

/// The L2 sender an L1 contract at `l1` appears as: `l1 + 0x1111…1111`, wrapping at 2^160.
pub fn l1_to_l2_alias(l1: Address) -> Address {
    let mut a = l1.0 .0;
    // + 0x1111 at the low end, the carry rippling up through the bytes above.
    let (low, mut carry) = u16::from_be_bytes([a[18], a[19]]).overflowing_add(0x1111);
    [a[18], a[19]] = low.to_be_bytes();
    for byte in a[..18].iter_mut().rev() {
        if !carry {
            break;
        }
        (*byte, carry) = byte.overflowing_add(1);
    }
    // + 0x1111 at the top, the carry out of it dropped (modulo 2^160).
    let high = u16::from_be_bytes([a[0], a[1]]).wrapping_add(0x1111);
    [a[0], a[1]] = high.to_be_bytes();
    Address::from(a)
}

#[cfg(test)]
mod tests {
    use alloy_primitives::{address, U160};

    use super::*;

    /// The reference: the addition in a 160-bit integer.
    fn reference(l1: Address) -> Address {
        let sum = U160::from_be_bytes(l1.0 .0)
            .wrapping_add(U160::from_be_bytes(L1_TO_L2_ALIAS_OFFSET.0 .0));
        Address::from(sum.to_be_bytes::<20>())
    }

    #[test]
    fn aliasing_adds_the_offset() {
        assert_eq!(
            l1_to_l2_alias(address!("00000000000000000000000000000000000000aa")),
            address!("11110000000000000000000000000000000011bb")
        );
        assert_eq!(l1_to_l2_alias(Address::ZERO), L1_TO_L2_ALIAS_OFFSET);
    }

    #[test]
    fn aliasing_carries_across_bytes() {
        // 0x..ffff + 0x..1111 carries through the low bytes into the zeros above them.
        assert_eq!(
            l1_to_l2_alias(address!("000000000000000000000000000000000000ffff")),
            address!("1111000000000000000000000000000000011110")
        );
    }

    #[test]
    fn aliasing_wraps_around_two_to_the_160() {
        assert_eq!(
            l1_to_l2_alias(address!("ffffffffffffffffffffffffffffffffffffffff")),
            address!("1111000000000000000000000000000000001110")
        );
        assert_eq!(
            l1_to_l2_alias(address!("eeeeffffffffffffffffffffffffffffffffeeef")),
            Address::ZERO
        );
    }

    #[test]
    fn aliasing_matches_a_160_bit_addition_for_spread_addresses() {
        let mut x = [0u8; 20];
        for round in 0u8..=255 {
            for (i, byte) in x.iter_mut().enumerate() {
                // A cheap spread of byte patterns: 0x00, 0xff and everything between.
                *byte =
                    round.wrapping_mul(31).wrapping_add(u8::try_from(i).unwrap().wrapping_mul(67));
            }
            let l1 = Address::from(x);
            assert_eq!(l1_to_l2_alias(l1), reference(l1), "{l1}");
        }
    }
}
