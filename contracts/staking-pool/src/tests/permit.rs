//! The permit program's functions natively (motsu runs every program's code in one build):
//! ERC-2612 `permit` in both forms (every refusal, replay, deadline, wrong signer, high `s`,
//! bad `v`, zero spender), the EIP-1271 branch against a contract wallet, nonces, the domain,
//! `setPermitProgram`, and Lido's views. Digests are alloy's EIP-712 (not the pool's code) and
//! signatures k256's; motsu answers `ecrecover` and reports code for its deployed contracts.

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, Eip712Domain, SolStruct};
use k256::ecdsa::SigningKey;
use staking_common::roles::{PROTOCOL_FEE_ROLE, UPGRADE_ROLE};
use stylus_sdk::{
    abi::Bytes,
    storage::{StorageB256, StorageBytes},
};

use super::*;
use crate::permit::{fee_distribution, EIP1271_MAGIC, HALF_ORDER, PERMIT_PROGRAM_ID};

sol! {
    struct Permit { address owner; address spender; uint256 value; uint256 nonce; uint256 deadline; }
}

/// motsu's fixed block timestamp (1 January 2025).
const NOW: u64 = 1_735_689_600;

/// A key from `seed` and its address.
fn key(seed: u8) -> (SigningKey, Address) {
    let key = SigningKey::from_slice(&[seed; 32]).expect("a valid key");
    let address = staking_common::signing::address_of(&key);
    (key, address)
}

/// The digest of `permit` in the pool's domain (alloy's EIP-712).
fn digest(pool: Address, permit: &Permit) -> B256 {
    let domain = Eip712Domain::new(
        Some(crate::NAME.into()),
        Some("1".into()),
        Some(U256::from(staking_common::host::chain_id())),
        Some(pool),
        None,
    );
    permit.eip712_signing_hash(&domain)
}

/// `r ‖ s ‖ v`, low `s`.
fn sign(key: &SigningKey, digest: B256) -> [u8; 65] {
    staking_common::signing::sign_digest(key, digest)
}

fn parts(sig: &[u8; 65]) -> (u8, B256, B256) {
    (sig[64], B256::from_slice(&sig[..32]), B256::from_slice(&sig[32..64]))
}

/// A pool with the owner of key 7 holding 5 ether of tokens; returns the key and its address.
fn world(
    pool: &Contract<StakingPool>,
    manager: &Contract<AccessManagerMock>,
    admin: Address,
) -> (SigningKey, Address) {
    setup(pool, manager, admin);
    let (k, owner) = key(7);
    deposit(pool, owner, ether(5));
    (k, owner)
}

fn permit_for(owner: Address, spender: Address, value: U256, nonce: u64) -> Permit {
    Permit { owner, spender, value, nonce: U256::from(nonce), deadline: U256::from(NOW + 60) }
}

#[motsu::test]
fn an_eoa_permit_sets_the_allowance_spends_the_nonce_and_logs_approval(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    relayer: Address,
    spender: Address,
) {
    let (k, owner) = world(&pool, &manager, admin);
    let p = permit_for(owner, spender, ether(3), 0);
    let (v, r, s) = parts(&sign(&k, digest(pool.address(), &p)));
    pool.sender(relayer)
        .permit(owner, spender, p.value, p.deadline, v, r, s)
        .motsu_expect("permit");
    assert_eq!(pool.sender(relayer).allowance(owner, spender), ether(3));
    assert_eq!(pool.sender(relayer).nonces(owner), U256::from(1));
    pool.assert_emitted(&Approval { owner, spender, value: ether(3) });
    // The spender moves the tokens with it.
    pool.sender(spender).transfer_from(owner, spender, ether(2)).motsu_expect("transferFrom");
    assert_eq!(pool.sender(spender).allowance(owner, spender), ether(1));
    // The next nonce, the bytes form.
    let p = permit_for(owner, spender, U256::MAX, 1);
    let sig = sign(&k, digest(pool.address(), &p));
    pool.sender(relayer)
        .permit_with_signature(owner, spender, p.value, p.deadline, &sig)
        .motsu_expect("permit, bytes form");
    assert_eq!(pool.sender(relayer).allowance(owner, spender), U256::MAX);
    assert_eq!(pool.sender(relayer).nonces(owner), U256::from(2));
}

#[motsu::test]
fn a_replayed_or_expired_permit_is_refused_and_nothing_is_written(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    relayer: Address,
    spender: Address,
) {
    let (k, owner) = world(&pool, &manager, admin);
    let p = permit_for(owner, spender, ether(1), 0);
    let (v, r, s) = parts(&sign(&k, digest(pool.address(), &p)));
    pool.sender(relayer).permit(owner, spender, p.value, p.deadline, v, r, s).motsu_unwrap();
    pool.sender(owner).approve(spender, U256::ZERO).motsu_unwrap();
    let err = pool
        .sender(relayer)
        .permit(owner, spender, p.value, p.deadline, v, r, s)
        .motsu_unwrap_err();
    let Error::ERC2612InvalidSigner(e) = err else { panic!("{err:?}") };
    assert_eq!(e.owner, owner);
    assert!(e.signer != owner && !e.signer.is_zero(), "the replay recovers another address");
    assert_eq!(pool.sender(relayer).allowance(owner, spender), U256::ZERO);
    assert_eq!(pool.sender(relayer).nonces(owner), U256::from(1));
    // A second past the deadline.
    let late = Permit { deadline: U256::from(NOW - 1), ..permit_for(owner, spender, ether(1), 1) };
    let (v, r, s) = parts(&sign(&k, digest(pool.address(), &late)));
    let err = pool
        .sender(relayer)
        .permit(owner, spender, late.value, late.deadline, v, r, s)
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::ERC2612ExpiredSignature(ERC2612ExpiredSignature { deadline: U256::from(NOW - 1) })
    );
    assert_eq!(pool.sender(relayer).nonces(owner), U256::from(1));
    // At the deadline itself it is taken.
    let on_time = Permit { deadline: U256::from(NOW), ..late };
    let (v, r, s) = parts(&sign(&k, digest(pool.address(), &on_time)));
    pool.sender(relayer)
        .permit(owner, spender, on_time.value, on_time.deadline, v, r, s)
        .motsu_expect("permit at its deadline");
}

#[motsu::test]
fn wrong_signers_malleable_and_malformed_signatures_and_a_zero_spender_are_refused(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    relayer: Address,
    spender: Address,
) {
    let (k, owner) = world(&pool, &manager, admin);
    let p = permit_for(owner, spender, ether(1), 0);
    let d = digest(pool.address(), &p);
    let refused = |sig: &[u8], spender: Address| {
        pool.sender(relayer)
            .permit_with_signature(owner, spender, p.value, p.deadline, sig)
            .motsu_unwrap_err()
    };
    let invalid = |signer| Error::ERC2612InvalidSigner(ERC2612InvalidSigner { signer, owner });
    // Another key.
    let (other, other_address) = key(8);
    assert_eq!(refused(&sign(&other, d), spender), invalid(other_address));
    // The high-s twin of the owner's own signature: refused before ecrecover.
    let good = sign(&k, d);
    let order: U256 = (HALF_ORDER << 1) + U256::from(1);
    let s: U256 = U256::from_be_slice(&good[32..64]);
    let mut twin = good;
    let high: U256 = order - s;
    twin[32..64].copy_from_slice(&high.to_be_bytes::<32>());
    twin[64] ^= 1;
    assert_eq!(refused(&twin, spender), invalid(Address::ZERO));
    // v neither 27 nor 28; a 64-byte signature; no signature.
    let mut bad_v = good;
    bad_v[64] = 0;
    assert_eq!(refused(&bad_v, spender), invalid(Address::ZERO));
    assert_eq!(refused(&good[..64], spender), invalid(Address::ZERO));
    assert_eq!(refused(&[], spender), invalid(Address::ZERO));
    // A valid signature for the zero spender.
    let z = permit_for(owner, Address::ZERO, ether(1), 0);
    let sig = sign(&k, digest(pool.address(), &z));
    assert_eq!(
        refused(&sig, Address::ZERO),
        Error::ERC20InvalidSpender(ERC20InvalidSpender { spender: Address::ZERO })
    );
    // Nothing was written: the owner's signature for nonce 0 still works.
    assert_eq!(pool.sender(relayer).nonces(owner), U256::ZERO);
    pool.sender(relayer)
        .permit_with_signature(owner, spender, p.value, p.deadline, &good)
        .motsu_expect("the untouched permit");
}

#[motsu::test]
fn permit_works_while_the_token_is_paused(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    spender: Address,
) {
    let (k, owner) = world(&pool, &manager, admin);
    pool.sender(admin).pause_token().motsu_unwrap();
    let p = permit_for(owner, spender, ether(1), 0);
    let sig = sign(&k, digest(pool.address(), &p));
    pool.sender(spender)
        .permit_with_signature(owner, spender, p.value, p.deadline, &sig)
        .motsu_expect("permit while paused");
    assert_eq!(pool.sender(spender).allowance(owner, spender), ether(1));
}

/// An EIP-1271 wallet that accepts exactly one (digest, signature) pair.
#[storage]
pub struct WalletMock {
    digest: StorageB256,
    signature: StorageBytes,
}

// SAFETY: a top-level contract in motsu's test VM.
unsafe impl TopLevelStorage for WalletMock {}

#[public]
#[allow(unreachable_pub)] // Called through motsu's ABI, as a contract's methods are.
impl WalletMock {
    pub fn accept(&mut self, digest: B256, signature: Bytes) {
        self.digest.set(digest);
        self.signature.set_bytes(signature.0);
    }

    #[selector(name = "isValidSignature")]
    pub fn is_valid_signature(
        &self,
        digest: B256,
        signature: Bytes,
    ) -> alloy_primitives::FixedBytes<4> {
        if digest == self.digest.get() && signature.0 == self.signature.get_bytes() {
            EIP1271_MAGIC.into()
        } else {
            [0xff; 4].into()
        }
    }
}

#[motsu::test]
fn a_contract_owner_permits_through_eip_1271_in_both_forms(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    wallet: Contract<WalletMock>,
    admin: Address,
    spender: Address,
) {
    setup(&pool, &manager, admin);
    let owner = wallet.address();
    let p = permit_for(owner, spender, ether(2), 0);
    let d = digest(pool.address(), &p);
    // The wallet's own scheme: any bytes it chose to accept.
    let scheme = vec![0xab; 97];
    let err = pool
        .sender(spender)
        .permit_with_signature(owner, spender, p.value, p.deadline, &scheme)
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::ERC2612InvalidSigner(ERC2612InvalidSigner { signer: Address::ZERO, owner })
    );
    wallet.sender(admin).accept(d, Bytes(scheme.clone()));
    pool.sender(spender)
        .permit_with_signature(owner, spender, p.value, p.deadline, &scheme)
        .motsu_expect("the wallet accepts");
    assert_eq!(pool.sender(spender).allowance(owner, spender), ether(2));
    pool.assert_emitted(&Approval { owner, spender, value: ether(2) });
    // The (v, r, s) form hands the wallet r ‖ s ‖ v.
    let p = permit_for(owner, spender, ether(1), 1);
    let d = digest(pool.address(), &p);
    let (r, s, v) = (B256::repeat_byte(0x11), B256::repeat_byte(0x22), 27u8);
    let rsv = [r.as_slice(), s.as_slice(), &[v]].concat();
    wallet.sender(admin).accept(d, Bytes(rsv));
    pool.sender(spender)
        .permit(owner, spender, p.value, p.deadline, v, r, s)
        .motsu_expect("the wallet accepts r ‖ s ‖ v");
    assert_eq!(pool.sender(spender).nonces(owner), U256::from(2));
}

#[motsu::test]
fn the_domain_is_the_pools_name_version_one_this_chain_and_the_pool(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
) {
    setup(&pool, &manager, admin);
    let domain = Eip712Domain::new(
        Some(crate::NAME.into()),
        Some("1".into()),
        Some(U256::from(staking_common::host::chain_id())),
        Some(pool.address()),
        None,
    );
    assert_eq!(pool.sender(admin).domain_separator(), domain.separator());
    let encoded = pool.sender(admin).eip712_domain().0;
    let decoded = <crate::interface::abi::IStakingPool::eip712DomainCall as alloy_sol_types::SolCall>::abi_decode_returns(&encoded, true)
        .expect("eip712Domain's answer decodes");
    assert_eq!(decoded.fields.0, [0x0f]);
    assert_eq!((decoded.name.as_str(), decoded.version.as_str()), (crate::NAME, "1"));
    assert_eq!(decoded.verifyingContract, pool.address());
    assert_eq!((decoded.salt, decoded.extensions.len()), (B256::ZERO, 0));
}

#[motsu::test]
fn set_permit_program_needs_the_upgrade_role_and_logs_the_change(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    stranger: Address,
) {
    setup(&pool, &manager, admin);
    assert_eq!(pool.sender(admin).permit_program(), PERMIT);
    let next = Address::repeat_byte(0x9f);
    let err = pool.sender(stranger).set_permit_program(next).motsu_unwrap_err();
    assert_eq!(err, denied(stranger, UPGRADE_ROLE));
    manager.sender(admin).grant(UPGRADE_ROLE, admin);
    // Natively any non-zero address answers the id (the wasm's check: tests/e2e/permit.rs).
    let err = pool.sender(admin).set_permit_program(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, Error::InvalidPermitProgram(InvalidPermitProgram { program: Address::ZERO }));
    pool.sender(admin).set_permit_program(next).motsu_expect("setPermitProgram");
    assert_eq!(pool.sender(admin).permit_program(), next);
    pool.assert_emitted(&PermitProgramSet { oldProgram: PERMIT, newProgram: next });
    // The program answers its id only on its own storage (slot 21 empty), never through a pool.
    assert!(pool.sender(admin).permit_program_id().is_none());
    assert_eq!(PERMIT_PROGRAM_ID, crate::EXTENSION_ID);
}

#[motsu::test]
fn the_constructor_refuses_a_zero_permit_program(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
) {
    admin.fund(ether(1));
    let err = pool
        .sender_and_value(admin, BOOTSTRAP)
        .constructor(
            manager.address(),
            report_config::EXTENSION,
            U256::ZERO,
            U256::ZERO,
            Address::ZERO,
        )
        .motsu_unwrap_err();
    assert_eq!(err, Error::InvalidPermitProgram(InvalidPermitProgram { program: Address::ZERO }));
    assert!(!pool.sender(admin).is_initialized());
}

#[motsu::test]
fn lidos_views_read_the_pools_state(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    treasury: Address,
) {
    setup(&pool, &manager, admin);
    let p = pool.sender(admin);
    assert_eq!(p.get_total_shares(), p.total_shares());
    assert_eq!(
        (p.get_fee(), p.get_fee_distribution(), p.get_treasury()),
        (0, (0, 0, 0), Address::ZERO)
    );
    drop(p);
    manager.sender(admin).grant(PROTOCOL_FEE_ROLE, admin);
    pool.sender(admin).set_fee_config(treasury, U256::from(1_000), U256::from(250)).motsu_unwrap();
    let p = pool.sender(admin);
    assert_eq!(p.get_fee(), 1_000);
    assert_eq!(p.get_fee_distribution(), (7_500, 0, 2_500));
    assert_eq!(p.get_treasury(), treasury);
    // No queue, no registry yet: all the buffer is depositable, no credentials.
    assert_eq!(p.get_depositable_ether().motsu_unwrap(), p.get_buffered_ether());
    assert_eq!(p.get_withdrawal_credentials().motsu_unwrap(), B256::ZERO);
    let info = p.get_stake_limit_full_info();
    assert_eq!((info.0, info.1, info.2), (false, false, U256::MAX));
}

#[test]
fn the_fee_distribution_splits_the_fee_in_parts_of_ten_thousand_rounded_down() {
    assert_eq!(fee_distribution(0, 0), (0, 0, 0));
    assert_eq!(fee_distribution(1_000, 500), (5_000, 0, 5_000));
    assert_eq!(fee_distribution(10_000, 0), (10_000, 0, 0));
    assert_eq!(fee_distribution(10_000, 10_000), (0, 0, 10_000));
    // 1/3 and 2/3 of the fee, each rounded down (as Lido's).
    assert_eq!(fee_distribution(3, 1), (6_666, 0, 3_333));
}
