//! `depositBatch`: a committed batch goes to the beacon deposit contract under a fresh guardian
//! quorum over its current root and the batch; every check fails with its own error and moves
//! nothing.

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::SolCall;
use l1_vault::{
    attest_digest, deposit_data_root, keys_commitment, keys_data, malleable_twin,
    quorum_signatures, withdrawal_credentials, DepositAttestation, Guardian, StakingVault as V,
};
use worlds::{
    abi::IDepositContract, bridge::deposit_events, l1::CHAIN_ID, RelayConfig,
    DEPOSIT_CONTRACT_ADDRESS,
};

use crate::common::{ether, events, l1_block_hash, revert, Attestation, Env, FRONT_RUNNER};

/// 32 ether in gwei, little-endian, as the deposit contract logs it.
const AMOUNT_LE: [u8; 8] = 32_000_000_000u64.to_le_bytes();

/// Asserts that the batch is still pending with its ether, the deposit contract untouched.
fn nothing_moved(env: &mut Env, batch: u64, keys: u64, deposits_before: u64) {
    assert_eq!(env.batch(batch).2, V::Status::Pending);
    assert_eq!(env.pending(), ether(32) * U256::from(keys));
    assert_eq!(env.w.l1.balance(env.vault), ether(32) * U256::from(keys));
    assert_eq!(env.deposit_count(), deposits_before);
}

/// Deposits `n` keys with guardians 0 and 1 (of 3, quorum 2) and checks everything that moves;
/// the receipt's gas.
fn deposit_and_check(env: &mut Env, n: u64) -> u64 {
    let keys = env.keys(n);
    let (id, _) = env.deliver_batch(&keys);
    let count_before = env.deposit_count();
    let root_before = env.deposit_root();
    let nonce = env.view(&V::nonceCall {})._0;
    let pending_before = env.pending();
    let balance_before = env.w.l1.balance(env.vault);
    let att = env.attest(id, &[0, 1]);
    let receipt = env.deposit(id, &keys, &att);
    assert!(receipt.success, "{receipt:?}");

    assert_eq!(env.deposit_count(), count_before + n);
    assert_ne!(env.deposit_root(), root_before);
    assert_eq!(
        env.w.l1.balance(DEPOSIT_CONTRACT_ADDRESS),
        ether(32) * U256::from(count_before + n)
    );
    let logged = deposit_events(&receipt.logs).unwrap();
    assert_eq!(logged.len() as u64, n);
    for (i, (event, key)) in logged.iter().zip(&keys).enumerate() {
        assert_eq!(&event.pubkey[..], &key.pubkey[..]);
        assert_eq!(&event.signature[..], &key.signature[..]);
        assert_eq!(&event.withdrawal_credentials[..], &env.credentials[..]);
        assert_eq!(&event.amount[..], &AMOUNT_LE[..]);
        assert_eq!(&event.index[..], &(count_before + i as u64).to_le_bytes()[..]);
    }
    let deposited = events::<V::BatchDeposited>(&receipt.logs, env.vault);
    assert_eq!(deposited.len(), 1);
    assert_eq!(
        (deposited[0].batchId, deposited[0].keys, deposited[0].depositRoot, deposited[0].nonce),
        (U256::from(id), U256::from(n), root_before, U256::from(nonce))
    );
    assert_eq!(env.batch(id).2, V::Status::Deposited);
    assert_eq!(env.view(&V::nonceCall {})._0, nonce + 1);
    assert_eq!(env.pending(), pending_before - ether(32) * U256::from(n));
    assert_eq!(env.w.l1.balance(env.vault), balance_before - ether(32) * U256::from(n));
    receipt.gas_used
}

#[test]
fn one_key_then_ten_keys_are_deposited_under_a_quorum_with_the_vaults_credentials() {
    let mut env = Env::new();
    assert_eq!(env.view(&V::withdrawalCredentialsCall {})._0, B256::from(env.credentials));
    assert_eq!(env.credentials[0], 0x01);
    // The digests the guardians sign are the Rust ones.
    let vault = env.vault;
    for (tag, prefix) in [
        ("sETH.L1Vault.ATTEST", env.view(&V::ATTEST_PREFIXCall {})._0),
        ("sETH.L1Vault.PAUSE", env.view(&V::PAUSE_PREFIXCall {})._0),
        ("sETH.L1Vault.CANCEL", env.view(&V::CANCEL_PREFIXCall {})._0),
    ] {
        assert_eq!(prefix, l1_vault::prefix(tag, CHAIN_ID, vault));
    }
    let fields = DepositAttestation {
        block_number: 9,
        block_hash: B256::repeat_byte(3),
        deposit_root: B256::repeat_byte(4),
        nonce: 5,
        batch_id: 6,
        commitment: B256::repeat_byte(7),
    };
    let digest = env.view(&V::attestDigestCall {
        blockNumber: U256::from(fields.block_number),
        blockHash: fields.block_hash,
        depositRoot: fields.deposit_root,
        attestedNonce: U256::from(fields.nonce),
        batchId: U256::from(fields.batch_id),
        commitment: fields.commitment,
    });
    assert_eq!(digest._0, attest_digest(CHAIN_ID, vault, &fields));
    let one = deposit_and_check(&mut env, 1);
    println!("L1 gas: depositBatch of 1 key (first deposit into the tree) {one}");
    let ten = deposit_and_check(&mut env, 10);
    println!("L1 gas: depositBatch of 10 keys, quorum 2 of 3 {ten}");
}

#[test]
fn a_compounding_vault_deposits_with_0x02_credentials() {
    let mut env = Env::with(3, 2, true, RelayConfig::default());
    assert_eq!(env.credentials[0], 0x02);
    assert_eq!(env.credentials, withdrawal_credentials(env.vault, true));
    assert_eq!(env.view(&V::withdrawalCredentialsCall {})._0, B256::from(env.credentials));
    deposit_and_check(&mut env, 2);
}

#[test]
fn rust_and_solidity_compute_the_same_deposit_data_roots() {
    let mut env = Env::new();
    let keys = env.keys(3);
    let (id, _) = env.deliver_batch(&keys);
    // The vault recomputes the roots of the data it is given and reports the commitment of
    // what it computed: it is the Rust commitment of that data, key for key.
    let mut swapped = keys.clone();
    swapped.swap(0, 2);
    let att = env.attest(id, &[0, 1]);
    let (pubkeys, signatures) = keys_data(&swapped);
    let err = revert::<V::CommitmentMismatch>(&env.deposit_raw(id, pubkeys, signatures, &att));
    assert_eq!(err.computed, keys_commitment(&swapped, &env.credentials));
    assert_eq!(err.committed, keys_commitment(&keys, &env.credentials));
    // With the committed data the vault's roots are the Rust ones (the deposit contract,
    // recomputing each root itself, accepts every one).
    let receipt = env.deposit(id, &keys, &att);
    assert!(receipt.success, "{receipt:?}");
    assert_eq!(deposit_events(&receipt.logs).unwrap().len(), 3);
}

#[test]
fn a_front_runners_deposit_between_signing_and_deposit_makes_the_root_stale_and_nothing_is_lost() {
    let mut env = Env::new();
    let keys = env.keys(2);
    let (id, _) = env.deliver_batch(&keys);
    let att = env.attest(id, &[0, 1]);

    // The operator deposits its own key first, with credentials of its own.
    let own = withdrawal_credentials(FRONT_RUNNER, false);
    let front_run = IDepositContract::depositCall {
        pubkey: keys[1].pubkey.to_vec().into(),
        withdrawal_credentials: own.to_vec().into(),
        signature: keys[1].signature.to_vec().into(),
        deposit_data_root: deposit_data_root(&keys[1].pubkey, &keys[1].signature, &own),
    };
    let landed = env
        .w
        .l1_call(FRONT_RUNNER, DEPOSIT_CONTRACT_ADDRESS, ether(32), front_run.abi_encode())
        .unwrap();
    assert!(landed.success, "{landed:?}");
    let current = env.deposit_root();

    let receipt = env.deposit(id, &keys, &att);
    let err = revert::<V::StaleDepositRoot>(&receipt);
    assert_eq!((err.attested, err.current), (att.root, current));
    nothing_moved(&mut env, id, 2, 1);
}

#[test]
fn signatures_that_are_malformed_repeated_unsorted_foreign_or_too_few_are_refused() {
    let mut env = Env::new();
    let keys = env.keys(1);
    let (id, _) = env.deliver_batch(&keys);
    let good = env.attest(id, &[0, 1]);
    let digest = attest_digest(CHAIN_ID, env.vault, &good.fields());
    let with = |signatures: Vec<u8>| Attestation { signatures, ..good.clone() };
    let mut sorted: Vec<Guardian> = env.guardians[..2].to_vec();
    sorted.sort_by_key(|g| g.address);
    let (low, high) = (&sorted[0], &sorted[1]);

    // v = 29.
    let mut bad_v = good.signatures.clone();
    bad_v[64] = 29;
    assert_eq!(
        revert::<V::InvalidSignature>(&env.deposit(id, &keys, &with(bad_v))).index,
        U256::ZERO
    );
    // The high-s twin of a valid signature.
    let twin = [low.sign(digest).to_vec(), malleable_twin(&high.sign(digest)).to_vec()].concat();
    assert_eq!(
        revert::<V::InvalidSignature>(&env.deposit(id, &keys, &with(twin))).index,
        U256::from(1)
    );
    // The same guardian twice.
    let twice = [low.sign(digest), low.sign(digest)].concat();
    let err = revert::<V::SignersNotAscending>(&env.deposit(id, &keys, &with(twice)));
    assert_eq!((err.index, err.signer, err.previous), (U256::from(1), low.address, low.address));
    // Descending.
    let unsorted = [high.sign(digest), low.sign(digest)].concat();
    let err = revert::<V::SignersNotAscending>(&env.deposit(id, &keys, &with(unsorted)));
    assert_eq!((err.signer, err.previous), (low.address, high.address));
    // A key that is not a guardian's.
    let stranger = Guardian::new(99);
    let foreign = quorum_signatures(&[&env.guardians[0], &stranger], digest);
    let err = revert::<V::NotGuardian>(&env.deposit(id, &keys, &with(foreign)));
    assert_eq!(err.account, stranger.address);
    // One signature, quorum 2.
    let err =
        revert::<V::NotEnoughSignatures>(&env.deposit(id, &keys, &with(low.sign(digest).to_vec())));
    assert_eq!((err.given, err.quorum), (U256::from(1), U256::from(2)));
    // Not a whole number of signatures.
    let cut = good.signatures[..129].to_vec();
    assert_eq!(
        revert::<V::InvalidSignatureLength>(&env.deposit(id, &keys, &with(cut))).length,
        U256::from(129)
    );
    nothing_moved(&mut env, id, 1, 0);

    // All three guardians are more than the quorum: accepted.
    let all = env.attest(id, &[0, 1, 2]);
    assert!(env.deposit(id, &keys, &all).success);
}

#[test]
fn an_attestation_of_an_old_a_current_or_a_wrong_block_is_refused() {
    let mut env = Env::new();
    let keys = env.keys(1);
    let (id, _) = env.deliver_batch(&keys);
    let now = env.w.l1.block_number();
    let fields = env.attestation_fields(id);
    let at = |block_number: u64, block_hash: B256| DepositAttestation {
        block_number,
        block_hash,
        ..fields
    };

    let current = env.sign_attestation(&[0, 1], &at(now, l1_block_hash(now)));
    let err = revert::<V::StaleAttestation>(&env.deposit(id, &keys, &current));
    assert_eq!((err.blockNumber, err.current), (U256::from(now), U256::from(now)));

    let old = now - 257;
    let stale = env.sign_attestation(&[0, 1], &at(old, l1_block_hash(old)));
    let err = revert::<V::StaleAttestation>(&env.deposit(id, &keys, &stale));
    assert_eq!(err.blockNumber, U256::from(old));

    let oldest_ok = now - 256;
    let wrong_hash = env.sign_attestation(&[0, 1], &at(oldest_ok, B256::repeat_byte(7)));
    let err = revert::<V::InvalidBlockHash>(&env.deposit(id, &keys, &wrong_hash));
    assert_eq!((err.blockNumber, err.blockHash), (U256::from(oldest_ok), B256::repeat_byte(7)));
    nothing_moved(&mut env, id, 1, 0);

    // 256 blocks old, with its hash: still good.
    let edge = env.sign_attestation(&[0, 1], &at(oldest_ok, l1_block_hash(oldest_ok)));
    assert!(env.deposit(id, &keys, &edge).success);
}

#[test]
fn key_data_that_is_not_the_committed_data_is_refused() {
    let mut env = Env::new();
    let keys = env.keys(2);
    let (id, _) = env.deliver_batch(&keys);
    let att = env.attest(id, &[0, 1]);
    let (pubkeys, signatures) = keys_data(&keys);

    let err = revert::<V::WrongKeyDataLength>(&env.deposit_raw(
        id,
        pubkeys[..48].to_vec(),
        signatures.clone(),
        &att,
    ));
    assert_eq!(
        (err.keys, err.pubkeysLength, err.signaturesLength),
        (U256::from(2), U256::from(48), U256::from(192))
    );

    let mut other = keys.clone();
    other[1] = env.keys(1).remove(0);
    let (other_pubkeys, other_signatures) = keys_data(&other);
    let err = revert::<V::CommitmentMismatch>(&env.deposit_raw(
        id,
        other_pubkeys,
        other_signatures,
        &att,
    ));
    assert_eq!(err.computed, keys_commitment(&other, &env.credentials));

    // A single flipped signature byte changes the root.
    let mut flipped = signatures;
    flipped[100] ^= 1;
    let err = revert::<V::CommitmentMismatch>(&env.deposit_raw(id, pubkeys, flipped, &att));
    assert_eq!(err.committed, keys_commitment(&keys, &env.credentials));
    nothing_moved(&mut env, id, 2, 0);
}

#[test]
fn a_paused_vault_or_a_batch_not_pending_deposits_nothing() {
    let mut env = Env::new();
    let keys = env.keys(1);
    let (id, _) = env.deliver_batch(&keys);
    let att = env.attest(id, &[0, 1]);

    let guardian = env.guardians[2].address;
    let pause = V::pauseCall { blockNumber: U256::ZERO, signature: Bytes::new() };
    assert!(env.l1_call(guardian, &pause).success);
    revert::<V::DepositsPaused>(&env.deposit(id, &keys, &att));
    nothing_moved(&mut env, id, 1, 0);

    let mut env = Env::new();
    let keys = env.keys(1);
    let (id, _) = env.deliver_batch(&keys);
    let att = env.attest(id, &[0, 1]);
    let unknown = revert::<V::BatchNotPending>(&env.deposit(id + 1, &keys, &att));
    assert_eq!((unknown.batchId, unknown.status), (U256::from(id + 1), V::Status::None));
    assert!(env.deposit(id, &keys, &att).success);
    let again = env.attest(id, &[0, 1]);
    let done = revert::<V::BatchNotPending>(&env.deposit(id, &keys, &again));
    assert_eq!((done.batchId, done.status), (U256::from(id), V::Status::Deposited));
    assert_eq!(env.deposit_count(), 1);
}

#[test]
fn a_used_attestation_cannot_deposit_again_and_the_nonce_binds_every_signature() {
    let mut env = Env::new();
    let first = env.keys(1);
    let second = env.keys(1);
    let (a, _) = env.deliver_batch(&first);
    let (b, _) = env.deliver_batch(&second);
    let att = env.attest(a, &[0, 1]);
    assert!(env.deposit(a, &first, &att).success);

    // The same attestation for the other batch: the root moved.
    let err = revert::<V::StaleDepositRoot>(&env.deposit(b, &second, &att));
    assert_eq!(err.attested, att.root);

    // Signed again over the new root but with the used nonce: the signers recovered from the
    // vault's digest (nonce 1) are nobody's.
    let used_nonce = DepositAttestation { nonce: 0, ..env.attestation_fields(b) };
    let replay = env.sign_attestation(&[0, 1], &used_nonce);
    let err = revert::<V::NotGuardian>(&env.deposit(b, &second, &replay));
    assert!(!env.guardians.iter().any(|g| g.address == err.account));
    assert_ne!(err.account, Address::ZERO);

    let fresh = env.attest(b, &[1, 2]);
    assert_eq!(fresh.nonce, 1);
    assert!(env.deposit(b, &second, &fresh).success);
    assert_eq!(env.view(&V::nonceCall {})._0, 2);
    assert_eq!(env.deposit_count(), 2);
}

#[test]
fn signatures_for_one_batch_cannot_deposit_another_batch_under_the_same_root_and_nonce() {
    let mut env = Env::new();
    let keys_a = env.keys(1);
    let keys_b = env.keys(1);
    let (a, _) = env.deliver_batch(&keys_a);
    let (b, _) = env.deliver_batch(&keys_b);
    let for_a = env.attest(a, &[0, 1]);
    let fields_b = env.attestation_fields(b);
    // Everything but the batch is what B's own attestation would name.
    assert_eq!(
        (fields_b.block_number, fields_b.deposit_root, fields_b.nonce),
        (for_a.block_number, for_a.root, for_a.nonce)
    );
    assert_ne!(fields_b.commitment, for_a.commitment);

    // A's signatures for B: the signer recovered from B's digest is nobody's.
    let err = revert::<V::NotGuardian>(&env.deposit(b, &keys_b, &for_a));
    assert!(!env.guardians.iter().any(|g| g.address == err.account));
    // Signed for B's id with A's commitment: B's own commitment is bound too.
    let a_commitment_as_b = DepositAttestation { commitment: for_a.commitment, ..fields_b };
    let mixed = env.sign_attestation(&[0, 1], &a_commitment_as_b);
    let err = revert::<V::NotGuardian>(&env.deposit(b, &keys_b, &mixed));
    assert!(!env.guardians.iter().any(|g| g.address == err.account));
    assert_eq!(env.batch(a).2, V::Status::Pending);
    assert_eq!(env.batch(b).2, V::Status::Pending);
    assert_eq!(env.pending(), ether(64));
    assert_eq!(env.deposit_count(), 0);
    assert_eq!(env.view(&V::nonceCall {})._0, 0);

    // B's own attestation deposits B, and A stays pending.
    let for_b = env.sign_attestation(&[0, 1], &fields_b);
    let receipt = env.deposit(b, &keys_b, &for_b);
    assert!(receipt.success, "{receipt:?}");
    let deposited = events::<V::BatchDeposited>(&receipt.logs, env.vault);
    assert_eq!((deposited.len(), deposited[0].batchId), (1, U256::from(b)));
    assert_eq!(env.batch(a).2, V::Status::Pending);
    assert_eq!(env.batch(b).2, V::Status::Deposited);
    assert_eq!(env.pending(), ether(32));
}

#[test]
fn signatures_for_a_batch_cannot_deposit_its_commitment_under_another_batch_id() {
    let mut env = Env::new();
    // The same keys twice: two batches with one commitment.
    let keys = env.keys(1);
    let (a, _) = env.deliver_batch(&keys);
    let (b, _) = env.deliver_batch(&keys);
    let for_a = env.attest(a, &[0, 1]);
    let fields_b = env.attestation_fields(b);
    assert_eq!(fields_b.commitment, for_a.commitment);
    assert_eq!(fields_b, DepositAttestation { batch_id: b, ..for_a.fields() });

    let err = revert::<V::NotGuardian>(&env.deposit(b, &keys, &for_a));
    assert!(!env.guardians.iter().any(|g| g.address == err.account));
    assert_eq!(env.batch(b).2, V::Status::Pending);
    assert_eq!(env.pending(), ether(64));
    assert_eq!(env.deposit_count(), 0);

    // Under its own id the same signatures deposit A.
    let receipt = env.deposit(a, &keys, &for_a);
    assert!(receipt.success, "{receipt:?}");
    let deposited = events::<V::BatchDeposited>(&receipt.logs, env.vault);
    assert_eq!((deposited.len(), deposited[0].batchId), (1, U256::from(a)));
    assert_eq!(env.batch(a).2, V::Status::Deposited);
    assert_eq!(env.batch(b).2, V::Status::Pending);
    assert_eq!(env.deposit_count(), 1);
}

/// A hostile "deposit contract": a static call (no value) answers a zero root; a deposit
/// (with value) calls the vault (`CALLER`) back with `bridgeToL2()` and bubbles its revert.
fn reentering_deposit_contract() -> Vec<u8> {
    let selector = V::bridgeToL2Call::SELECTOR;
    let mut code = vec![0x34, 0x15, 0x60, 0x2c, 0x57, 0x63];
    code.extend_from_slice(&selector);
    code.extend_from_slice(&[
        0x60, 0xe0, 0x1b, 0x60, 0x00, 0x52, // selector << 224, stored at 0
        0x60, 0x00, 0x60, 0x00, 0x60, 0x04, 0x60, 0x00, 0x60, 0x00, 0x33, 0x5a, 0xf1, // CALL
        0x3d, 0x60, 0x00, 0x60, 0x00, 0x3e, // RETURNDATACOPY(0, 0, size)
        0x60, 0x2a, 0x57, // success: jump to STOP
        0x3d, 0x60, 0x00, 0xfd, // revert with the vault's revert data
        0x5b, 0x00, // STOP
        0x5b, 0x60, 0x20, 0x60, 0x00, 0xf3, // RETURN 32 zero bytes
    ]);
    code
}

#[test]
fn a_deposit_contract_that_calls_back_into_the_vault_meets_the_reentrancy_guard() {
    let mut env = Env::new();
    let keys = env.keys(1);
    let (id, _) = env.deliver_batch(&keys);
    // Free ether a re-entered bridgeToL2 would send.
    assert!(env.w.l1_call(FRONT_RUNNER, env.vault, ether(5), Vec::<u8>::new()).unwrap().success);
    env.w.l1.set_account(DEPOSIT_CONTRACT_ADDRESS, reentering_deposit_contract().into(), &[]);
    let att = env.attest(id, &[0, 1]);
    assert_eq!(att.root, B256::ZERO);
    revert::<V::Reentrancy>(&env.deposit(id, &keys, &att));
    assert_eq!(env.bridged(), U256::ZERO);
    assert_eq!(env.w.l1.balance(env.vault), ether(37));
    assert_eq!(env.batch(id).2, V::Status::Pending);
}
