//! The staking pool's ERC-2612 permit as a signer makes it: the pool's EIP-712 domain and
//! `r ‖ s ‖ v` signatures, hashed with alloy's EIP-712 implementation (independent of the
//! pool's own hashing), for the end-to-end tests and the gas report.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{Eip712Domain, SolStruct};
use k256::ecdsa::SigningKey;

use crate::{
    abi::IStakingPool,
    deploy::Suite,
    wrapped::{signer, Permit},
};

/// The pool's EIP-712 domain at `pool` on `chain_id`: its name and version written here again
/// (the tests check the pool's own against them).
pub fn domain(chain_id: u64, pool: Address) -> Eip712Domain {
    Eip712Domain::new(
        Some("Stylus Staked Ether".into()),
        Some("1".into()),
        Some(U256::from(chain_id)),
        Some(pool),
        None,
    )
}

/// The digest `owner` signs for `permit` on the suite's pool.
pub fn digest(s: &Suite, permit: &Permit) -> B256 {
    permit.eip712_signing_hash(&domain(s.vm.chain_id(), s.pool))
}

/// `key`'s signature of `digest`: `r ‖ s ‖ v`, `s` in the lower half, `v` 27 or 28.
///
/// # Panics
///
/// If signing fails.
pub fn sign(key: &SigningKey, digest: B256) -> [u8; 65] {
    staking_common::signing::sign_digest(key, digest)
}

/// The `(v, r, s)` form of a 65-byte `r ‖ s ‖ v` signature.
pub fn vrs(owner: Address, permit: &Permit, signature: &[u8; 65]) -> IStakingPool::permit_0Call {
    IStakingPool::permit_0Call {
        owner,
        spender: permit.spender,
        value: permit.value,
        deadline: permit.deadline,
        v: signature[64],
        r: B256::from_slice(&signature[..32]),
        s: B256::from_slice(&signature[32..64]),
    }
}

/// A permit by the EOA of `seed` ([`signer`]) for `spender` to spend `value`, at its current
/// nonce on the pool, valid for an hour: the call (the `(v, r, s)` form) and the permit.
pub fn signed(
    s: &mut Suite,
    seed: u8,
    spender: Address,
    value: U256,
) -> (IStakingPool::permit_0Call, Permit) {
    let (key, owner) = signer(seed);
    let nonce = s.view(s.pool, &IStakingPool::noncesCall { owner })._0;
    let deadline = U256::from(s.vm.timestamp() + 3_600);
    let permit = Permit { owner, spender, value, nonce, deadline };
    let signature = sign(&key, digest(s, &permit));
    (vrs(owner, &permit, &signature), permit)
}
