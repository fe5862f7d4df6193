//! ERC-2612 permit on the wrapped token: the token's EIP-712 domain over the suite's shared
//! signature code (`staking_common::eip712`: the digest, `ecrecover` with the low-`s` rule, the
//! EIP-1271 fallback, and why none of it keeps constants in the data segment).
//!
//! Small and written in the suite rather than taken from OpenZeppelin Stylus 0.3: its
//! `Erc20Permit` is tied to its own `Erc20` storage (see the crate doc for why the token does
//! not use it), and it has no EIP-1271 check.

use alloy_primitives::B256;
pub use staking_common::eip712::{
    digest, eip1271_accepts, has_code, packed, recover, split, DOMAIN_TYPEHASH, EIP1271_MAGIC,
    PERMIT_TYPEHASH, VERSION,
};

/// The token's name, also the EIP-712 domain's.
pub const NAME: &str = "Wrapped Stylus Staked Ether";

/// The token's domain separator here and now.
pub fn domain_separator() -> B256 {
    staking_common::eip712::domain_separator(NAME.as_bytes())
}
