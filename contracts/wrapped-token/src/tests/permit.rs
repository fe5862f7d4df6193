//! Permit (ERC-2612): EOA signatures checked against alloy's EIP-712 hashing, deadlines,
//! replays, malleable and malformed signatures, EIP-1271 contract wallets, the bytes form,
//! ERC-5267's domain.

use alloy_sol_types::{Eip712Domain, SolStruct, SolValue};
use k256::ecdsa::SigningKey;

use super::*;
use crate::{errors::*, events::*};

sol! {
    struct Permit { address owner; address spender; uint256 value; uint256 nonce; uint256 deadline; }
}

fn key(seed: u8) -> (SigningKey, Address) {
    let key = SigningKey::from_slice(&[seed; 32]).expect("a valid key");
    let address = staking_common::signing::address_of(&key);
    (key, address)
}

fn domain(token: Address) -> Eip712Domain {
    Eip712Domain::new(
        Some("Wrapped Stylus Staked Ether".into()),
        Some("1".into()),
        Some(U256::from(staking_common::host::chain_id())),
        Some(token),
        None,
    )
}

/// `(v, r, s)` of `key`'s signature of the permit, by alloy's EIP-712 hashing.
fn sign(key: &SigningKey, token: Address, permit: &Permit) -> (u8, B256, B256) {
    let digest = permit.eip712_signing_hash(&domain(token));
    staking_common::signing::sign_digest_vrs(key, digest)
}

/// ERC-5267's `eip712Domain()` answer.
type Domain =
    (FixedBytes<1>, alloc::string::String, alloc::string::String, U256, Address, B256, Vec<U256>);

fn deadline() -> U256 {
    U256::from(staking_common::host::timestamp() + 3_600)
}

#[motsu::test]
fn an_owners_signature_sets_the_allowance_and_uses_the_nonce(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    relayer: Address,
    spender: Address,
) {
    setup(&token, &pool, ETHER, ETHER, relayer, U256::ZERO);
    let (k, owner) = key(7);
    let p = Permit { owner, spender, value: ether(5), nonce: U256::ZERO, deadline: deadline() };
    let (v, r, s) = sign(&k, token.address(), &p);
    token.sender(relayer).permit(owner, spender, ether(5), p.deadline, v, r, s).motsu_unwrap();
    assert_eq!(token.sender(relayer).allowance(owner, spender), ether(5));
    assert_eq!(token.sender(relayer).nonces(owner), U256::from(1));
    token.assert_emitted(&Approval { owner, spender, value: ether(5) });

    // The same signature again: the nonce moved, so it recovers someone else.
    let err = token
        .sender(relayer)
        .permit(owner, spender, ether(5), p.deadline, v, r, s)
        .motsu_unwrap_err();
    assert!(
        matches!(err, Error::ERC2612InvalidSigner(ERC2612InvalidSigner { owner: o, signer }) if o == owner && signer != owner)
    );

    // The next nonce signs a new allowance.
    let p = Permit { nonce: U256::from(1), value: ether(1), ..p };
    let (v, r, s) = sign(&k, token.address(), &p);
    token.sender(relayer).permit(owner, spender, ether(1), p.deadline, v, r, s).motsu_unwrap();
    assert_eq!(token.sender(relayer).allowance(owner, spender), ether(1));
    assert_eq!(token.sender(relayer).nonces(owner), U256::from(2));
}

#[motsu::test]
fn the_domain_separator_and_erc5267_domain_are_alloys(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    setup(&token, &pool, ETHER, ETHER, alice, U256::ZERO);
    let d = domain(token.address());
    assert_eq!(token.sender(alice).domain_separator(), d.separator());
    let encoded = token.sender(alice).eip712_domain().0;
    let decoded = <Domain as SolValue>::abi_decode_params(&encoded, true).expect("decodes");
    assert_eq!(decoded.0, FixedBytes([0x0f]));
    assert_eq!(decoded.1, "Wrapped Stylus Staked Ether");
    assert_eq!(decoded.2, "1");
    assert_eq!(decoded.3, U256::from(staking_common::host::chain_id()));
    assert_eq!(decoded.4, token.address());
    assert_eq!(decoded.5, B256::ZERO);
    assert!(decoded.6.is_empty());
    assert_eq!(<Domain as SolValue>::abi_encode_params(&decoded), encoded, "canonical encoding");
}

#[motsu::test]
fn an_expired_permit_is_refused(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    relayer: Address,
    spender: Address,
) {
    setup(&token, &pool, ETHER, ETHER, relayer, U256::ZERO);
    let (k, owner) = key(7);
    let late = U256::from(staking_common::host::timestamp() - 1);
    let p = Permit { owner, spender, value: ether(5), nonce: U256::ZERO, deadline: late };
    let (v, r, s) = sign(&k, token.address(), &p);
    let err =
        token.sender(relayer).permit(owner, spender, ether(5), late, v, r, s).motsu_unwrap_err();
    assert_eq!(err, Error::ERC2612ExpiredSignature(ERC2612ExpiredSignature { deadline: late }));
    assert_eq!(token.sender(relayer).nonces(owner), U256::ZERO);
}

#[motsu::test]
fn a_deadline_of_this_second_is_still_valid(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    relayer: Address,
    spender: Address,
) {
    setup(&token, &pool, ETHER, ETHER, relayer, U256::ZERO);
    let (k, owner) = key(7);
    let now = U256::from(staking_common::host::timestamp());
    let p = Permit { owner, spender, value: ether(5), nonce: U256::ZERO, deadline: now };
    let (v, r, s) = sign(&k, token.address(), &p);
    token.sender(relayer).permit(owner, spender, ether(5), now, v, r, s).motsu_unwrap();
}

#[motsu::test]
fn another_keys_signature_or_other_terms_are_refused(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    relayer: Address,
    spender: Address,
) {
    setup(&token, &pool, ETHER, ETHER, relayer, U256::ZERO);
    let (k, owner) = key(7);
    let (other, other_address) = key(8);
    let p = Permit { owner, spender, value: ether(5), nonce: U256::ZERO, deadline: deadline() };
    let (v, r, s) = sign(&other, token.address(), &p);
    let err = token
        .sender(relayer)
        .permit(owner, spender, ether(5), p.deadline, v, r, s)
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::ERC2612InvalidSigner(ERC2612InvalidSigner { signer: other_address, owner })
    );
    // The owner's signature, but a larger value than signed.
    let (v, r, s) = sign(&k, token.address(), &p);
    let err = token
        .sender(relayer)
        .permit(owner, spender, ether(6), p.deadline, v, r, s)
        .motsu_unwrap_err();
    assert!(matches!(err, Error::ERC2612InvalidSigner(_)));
    assert_eq!(token.sender(relayer).allowance(owner, spender), U256::ZERO);
}

#[motsu::test]
fn malleable_and_malformed_signatures_recover_nobody(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    relayer: Address,
    spender: Address,
) {
    setup(&token, &pool, ETHER, ETHER, relayer, U256::ZERO);
    let (k, owner) = key(7);
    let p = Permit { owner, spender, value: ether(5), nonce: U256::ZERO, deadline: deadline() };
    let (v, r, s) = sign(&k, token.address(), &p);
    // The twin (n - s, the other v) is the same signature for ecrecover, refused here.
    let n = U256::from_str_radix(
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        16,
    )
    .unwrap();
    let twin_s = B256::from(n - U256::from_be_bytes(s.0));
    let twin_v = if v == 27 { 28 } else { 27 };
    let refused =
        Error::ERC2612InvalidSigner(ERC2612InvalidSigner { signer: Address::ZERO, owner });
    let err = token.sender(relayer).permit(owner, spender, ether(5), p.deadline, twin_v, r, twin_s);
    assert_eq!(err.motsu_unwrap_err(), refused);
    assert_eq!(
        token
            .sender(relayer)
            .permit(owner, spender, ether(5), p.deadline, v + 2, r, s)
            .motsu_unwrap_err(),
        refused
    );
    assert_eq!(
        token
            .sender(relayer)
            .permit(owner, spender, ether(5), p.deadline, v, B256::ZERO, s)
            .motsu_unwrap_err(),
        refused
    );
    // The bytes form with a signature of the wrong length and no wallet.
    let err = token
        .sender(relayer)
        .permit_with_signature(owner, spender, ether(5), p.deadline, &[1u8; 64])
        .motsu_unwrap_err();
    assert_eq!(err, refused);
    token.sender(relayer).permit(owner, spender, ether(5), p.deadline, v, r, s).motsu_unwrap();
}

#[motsu::test]
fn the_bytes_form_takes_an_eoas_packed_signature(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    relayer: Address,
    spender: Address,
) {
    setup(&token, &pool, ETHER, ETHER, relayer, U256::ZERO);
    let (k, owner) = key(9);
    let p = Permit { owner, spender, value: ether(2), nonce: U256::ZERO, deadline: deadline() };
    let (v, r, s) = sign(&k, token.address(), &p);
    let packed = crate::permit::packed(v, r, s);
    token
        .sender(relayer)
        .permit_with_signature(owner, spender, ether(2), p.deadline, &packed)
        .motsu_unwrap();
    assert_eq!(token.sender(relayer).allowance(owner, spender), ether(2));
    token.assert_emitted(&Approval { owner, spender, value: ether(2) });
}

#[motsu::test]
fn a_contract_wallet_permits_through_eip1271_in_both_forms(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    wallet: Contract<WalletMock>,
    relayer: Address,
    spender: Address,
) {
    setup(&token, &pool, ETHER, ETHER, relayer, U256::ZERO);
    let owner = wallet.address();
    let p = Permit { owner, spender, value: ether(3), nonce: U256::ZERO, deadline: deadline() };
    let digest = p.eip712_signing_hash(&domain(token.address()));
    // A multi-owner signature (any bytes the wallet accepts).
    let signature = vec![0xabu8; 130];
    wallet.sender(relayer).set_answer(digest, Bytes(signature.clone()), true);
    token
        .sender(relayer)
        .permit_with_signature(owner, spender, ether(3), p.deadline, &signature)
        .motsu_unwrap();
    assert_eq!(token.sender(relayer).allowance(owner, spender), ether(3));
    assert_eq!(token.sender(relayer).nonces(owner), U256::from(1));

    // The (v, r, s) form reaches the wallet as r ‖ s ‖ v.
    let p = Permit { nonce: U256::from(1), value: ether(4), ..p };
    let digest = p.eip712_signing_hash(&domain(token.address()));
    let (v, r, s) = (27u8, B256::repeat_byte(1), B256::repeat_byte(2));
    wallet.sender(relayer).set_answer(digest, Bytes(crate::permit::packed(v, r, s).to_vec()), true);
    token.sender(relayer).permit(owner, spender, ether(4), p.deadline, v, r, s).motsu_unwrap();
    assert_eq!(token.sender(relayer).allowance(owner, spender), ether(4));

    // A wallet that answers anything but the magic value refuses.
    let p = Permit { nonce: U256::from(2), ..p };
    let digest = p.eip712_signing_hash(&domain(token.address()));
    wallet.sender(relayer).set_answer(digest, Bytes(signature.clone()), false);
    let err = token
        .sender(relayer)
        .permit_with_signature(owner, spender, ether(4), p.deadline, &signature)
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::ERC2612InvalidSigner(ERC2612InvalidSigner { signer: Address::ZERO, owner })
    );
}

#[motsu::test]
fn a_permit_for_the_zero_spender_is_refused(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    relayer: Address,
) {
    setup(&token, &pool, ETHER, ETHER, relayer, U256::ZERO);
    let (k, owner) = key(7);
    let p = Permit {
        owner,
        spender: Address::ZERO,
        value: ether(5),
        nonce: U256::ZERO,
        deadline: deadline(),
    };
    let (v, r, s) = sign(&k, token.address(), &p);
    let err = token
        .sender(relayer)
        .permit(owner, Address::ZERO, ether(5), p.deadline, v, r, s)
        .motsu_unwrap_err();
    assert_eq!(err, Error::ERC20InvalidSpender(ERC20InvalidSpender { spender: Address::ZERO }));
}
