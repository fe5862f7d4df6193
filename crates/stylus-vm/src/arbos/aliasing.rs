//! L1-to-L2 address aliasing: a message an L1 contract sends into Arbitrum (a retryable, an
//! unsigned or contract transaction) arrives from its address plus
//! `0x1111000000000000000000000000000000001111`, modulo 2^160, so that no L1 contract can
//! pass for the L2 account at its own address (nitro-contracts'
//! `src/libraries/AddressAliasHelper.sol`, nitro's `util.RemapL1Address`).

use alloy_primitives::{address, Address, U160};

/// The offset added to an L1 address.
pub const ALIAS_OFFSET: Address = address!("1111000000000000000000000000000000001111");

fn to_int(a: Address) -> U160 {
    U160::from_be_bytes(a.0 .0)
}

fn to_address(x: U160) -> Address {
    Address::from(x.to_be_bytes::<20>())
}

/// The L2 sender an L1 contract at `l1` appears as: `l1 + 0x1111…1111`, wrapping.
pub fn apply_l1_to_l2_alias(l1: Address) -> Address {
    to_address(to_int(l1).wrapping_add(to_int(ALIAS_OFFSET)))
}

/// The L1 address behind the aliased L2 sender `l2`: `l2 - 0x1111…1111`, wrapping.
pub fn undo_l1_to_l2_alias(l2: Address) -> Address {
    to_address(to_int(l2).wrapping_sub(to_int(ALIAS_OFFSET)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliasing_adds_the_offset_and_undoing_subtracts_it() {
        let l1 = address!("00000000000000000000000000000000000000aa");
        assert_eq!(apply_l1_to_l2_alias(l1), address!("11110000000000000000000000000000000011bb"));
        assert_eq!(undo_l1_to_l2_alias(apply_l1_to_l2_alias(l1)), l1);
    }

    #[test]
    fn aliasing_wraps_around_two_to_the_160() {
        let high = address!("ffffffffffffffffffffffffffffffffffffffff");
        assert_eq!(
            apply_l1_to_l2_alias(high),
            address!("1111000000000000000000000000000000001110")
        );
        assert_eq!(
            undo_l1_to_l2_alias(Address::ZERO),
            address!("eeeeffffffffffffffffffffffffffffffffeeef")
        );
        assert_eq!(undo_l1_to_l2_alias(apply_l1_to_l2_alias(high)), high);
    }
}
