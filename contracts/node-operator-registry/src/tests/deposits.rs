//! `depositKeys`: the checks in the documented order (the pool, the count, the pause, the nonce,
//! the deposit root, the block hash, the guardian quorum, each key's proof, the data's length),
//! and what a deposit does: the deposit calls with the SSZ root and the pool's credentials, the
//! counters, the list, `KeysDeposited` and the nonce.
//!
//! motsu provides `ecrecover`; ArbSys is `ArbSysMock`, so all of it runs natively.

use super::*;
use crate::{
    errors::*,
    events::{KeysDeposited, NonceChanged},
    storage::FLAG_DEPOSITS_PAUSED,
};

/// What the deposit target logs for `key` deposited with the pool's credentials.
fn logged_entry(env: &Env, key: &Key) -> B256 {
    let credentials = staking_common::deposit_data::withdrawal_credentials(env.pool.address());
    let root = deposit_data_root(&key.0, &credentials, 32_000_000_000, &key.1);
    keccak256([&key.0[..], &credentials, &key.1, &root].concat())
}

/// The `allocation` bytes of `KeysDeposited`: per key, id (2 bytes) and index (4 bytes).
fn allocation_bytes(keys: &[(u16, u32)]) -> Vec<u8> {
    keys.iter().flat_map(|(id, i)| [&id.to_be_bytes()[..], &i.to_be_bytes()[..]].concat()).collect()
}

/// Two operators with `n` vetted keys each, one guardian.
fn two_operators(n: usize) -> Env {
    let env = Env::with_guardian();
    env.add();
    env.add();
    env.commit_and_vet(1, n);
    env.commit_and_vet(2, n);
    env
}

/// `depositKeys(1)` with `header` and the next key, as the pool.
fn deposit_with(env: &Env, header: &Header) -> Result<(), Error> {
    let data = Env::data(header, &env.entries(1));
    env.deposit_raw(u(1), &data)
}

// ------------------------------------------------------------------ a deposit

#[motsu::test]
fn a_deposit_sends_each_allocated_key_to_the_target_with_32_ether() {
    let env = two_operators(2);
    let nonce = env.global().nonce;
    let mark = env.mark();
    env.deposit(3).motsu_unwrap();

    // Min-first: 1 (0 active), 2 (0 active, higher id), then 1 again (tie at 1, lower id).
    let plan = [(1u16, 0u32), (2, 0), (1, 1)];
    assert_eq!(
        env.logs_since(mark),
        vec![
            log(&KeysDeposited { count: u(3), allocation: allocation_bytes(&plan).into() }),
            log(&NonceChanged { nonce: u(nonce + 1) }),
        ]
    );
    let (count, received, credentials) = env.target.sender(env.admin).deposits();
    assert_eq!((count, received), (u(3), DEPOSIT * u(3)));
    let mut expected = [0u8; 32];
    expected[0] = 1;
    expected[12..].copy_from_slice(env.pool.address().as_slice());
    assert_eq!(credentials.0, expected.to_vec(), "0x01 credentials naming the pool");
    let book = env.book.borrow();
    for (i, (id, index)) in plan.iter().enumerate() {
        let key = book.ops[id][0].keys[*index as usize];
        assert_eq!(env.target.sender(env.admin).logged(u(i as u64)), logged_entry(&env, &key));
    }
    drop(book);
    assert_eq!(env.reg.balance(), U256::ZERO, "every wei went to the target");
    assert_eq!((env.op(1).deposited, env.op(2).deposited), (2, 1));
    assert_eq!(env.r().get_total_active_validators(), u(3));
    assert_eq!(env.queue(), vec![2], "operator 1 used its vetted keys");
}

#[motsu::test]
fn a_key_deep_in_a_full_batch_deposits_with_a_ten_sibling_proof() {
    let env = Env::with_guardian();
    env.add();
    env.commit_and_vet(1, crate::keys::MAX_BATCH);
    let mut op = env.op(1);
    // Jump to the last key (the earlier ones are not needed to prove it).
    op.deposited = 1023;
    env.put_op(1, &op);
    let entries = env.entries(1);
    assert_eq!(entries[0].siblings.len(), 10);
    env.deposit(1).motsu_unwrap();
    assert_eq!(env.op(1).deposited, 1024);
    assert_eq!(env.queue(), Vec::<u16>::new());
}

#[motsu::test]
fn more_signatures_than_the_quorum_are_fine_if_all_are_valid() {
    let env = Env::new();
    env.add_guardians(3, 2);
    env.add();
    env.commit_and_vet(1, 1);
    let mut header = env.header();
    assert_eq!(header.signatures.len(), 2);
    let digest = attest_digest(
        env.reg.address(),
        header.block_number,
        header.block_hash,
        header.deposit_root,
        header.nonce,
    );
    header.signatures = env.guardians.borrow().iter().map(|g| sign(g, digest)).collect();
    deposit_with(&env, &header).motsu_unwrap();
    assert_eq!(env.op(1).deposited, 1);
}

// ------------------------------------------------------------------ the caller and the value

#[motsu::test]
fn only_the_pool_may_deposit() {
    let env = two_operators(1);
    let data = Env::data(&env.header(), &env.entries(1));
    let before = env.snapshot();
    for caller in [env.admin, reward(1), env.target.address()] {
        assert_eq!(
            env.reg.sender(caller).deposit_keys(u(1), &data).motsu_unwrap_err(),
            Error::NotPool(NotPool { caller })
        );
    }
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn a_count_of_zero_is_invalid_data() {
    let env = two_operators(2);
    let data = Env::data(&env.header(), &env.entries(0));
    let before = env.snapshot();
    let out = env.reg.sender(env.pool.address()).deposit_keys(U256::ZERO, &data).motsu_res();
    assert_eq!(out.unwrap_err(), Error::InvalidDepositData(InvalidDepositData {}));
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn the_answer_is_the_target_and_one_abi_call_per_key_padded_to_words() {
    let env = two_operators(2);
    let data = Env::data(&env.header(), &env.entries(3));
    let out = env.reg.sender(env.pool.address()).deposit_keys(u(3), &data).motsu_unwrap().0;
    // (address, bytes): target word, offset 64, length 1,260, then 1,260 bytes + 20 of padding.
    assert_eq!(out.len(), 96 + 1_280);
    assert_eq!(&out[12..32], env.target.address().as_slice());
    assert_eq!(U256::from_be_slice(&out[32..64]), u(64));
    assert_eq!(U256::from_be_slice(&out[64..96]), u(3 * 420));
    assert!(out[96 + 1_260..].iter().all(|&b| b == 0));
    assert_eq!(env.target.sender(env.admin).deposits().0, U256::ZERO, "the registry calls nothing");
}

// ------------------------------------------------------------------ the attestation

#[motsu::test]
fn paused_deposits_are_refused() {
    let env = two_operators(1);
    let guardian = env.guardians.borrow()[0].address();
    env.reg.sender(guardian).pause_deposits(U256::ZERO, &[]).motsu_unwrap();
    assert!(env.global().has(FLAG_DEPOSITS_PAUSED));
    let before = env.snapshot();
    assert_eq!(env.deposit(1).unwrap_err(), Error::DepositsArePaused(DepositsArePaused {}));
    assert_eq!(env.snapshot().ops, before.ops);
    env.reg.sender(env.admin).resume_deposits().motsu_unwrap();
    env.deposit(1).motsu_unwrap();
}

#[motsu::test]
fn a_stale_nonce_is_refused_before_the_deposit_root_is_read() {
    let env = two_operators(1);
    let header = env.header();
    let current = header.nonce;
    for attested in [current - 1, current + 1, u64::MAX] {
        let stale = Header { nonce: attested, ..header.clone() };
        assert_eq!(
            deposit_with(&env, &stale).unwrap_err(),
            Error::StaleNonce(StaleNonce { attested: u(attested), current: u(current) })
        );
    }
    // A key change after the guardians signed makes their attestation stale.
    env.commit(1, 1);
    env.target.sender(env.admin).set_root(B256::repeat_byte(0x77));
    assert_eq!(
        deposit_with(&env, &header).unwrap_err(),
        Error::StaleNonce(StaleNonce { attested: u(current), current: u(current + 1) })
    );
}

#[motsu::test]
fn a_moved_deposit_root_is_refused() {
    let env = two_operators(1);
    let header = env.header();
    let moved = B256::repeat_byte(0x66);
    env.target.sender(env.admin).set_root(moved);
    let before = env.snapshot();
    assert_eq!(
        deposit_with(&env, &header).unwrap_err(),
        Error::StaleDepositRoot(StaleDepositRoot { attested: header.deposit_root, current: moved })
    );
    assert_eq!(env.snapshot().ops, before.ops);
    // Each deposit moves the target's root: an attestation is good for one deposit.
    env.deposit(1).motsu_unwrap();
    let used = env.header();
    env.deposit(1).motsu_unwrap();
    let err = deposit_with(&env, &used).unwrap_err();
    assert!(matches!(err, Error::StaleNonce(_)), "{err:?}");
}

#[motsu::test]
fn the_block_hash_must_be_a_recent_l2_blocks() {
    let env = two_operators(1);
    let nonce = env.global().nonce;
    let root = env.deposit_root();
    let signed = |block_number: u64, block_hash: B256| {
        let digest = attest_digest(env.reg.address(), block_number, block_hash, root, nonce);
        let signatures = env.guardians.borrow().iter().map(|g| sign(g, digest)).collect();
        Header { block_number, block_hash, deposit_root: root, nonce, signatures }
    };
    let invalid = |n: u64, hash: B256| {
        Error::InvalidBlockHash(InvalidBlockHash { blockNumber: u(n), blockHash: hash })
    };
    let cases = [
        (BLOCK - 1, B256::repeat_byte(1)),         // not that block's hash
        (BLOCK - 2, block_hash(u(BLOCK - 1))),     // another block's hash
        (BLOCK, block_hash(u(BLOCK))),             // the current block: no hash yet
        (BLOCK + 5, block_hash(u(BLOCK + 5))),     // the future
        (BLOCK - 257, block_hash(u(BLOCK - 257))), // older than 256 blocks
        (u64::MAX, block_hash(u(u64::MAX))),       // nonsense
    ];
    for (n, hash) in cases {
        assert_eq!(deposit_with(&env, &signed(n, hash)).unwrap_err(), invalid(n, hash), "{n}");
    }
    // The oldest block ArbSys still knows is fine.
    deposit_with(&env, &signed(BLOCK - 256, block_hash(u(BLOCK - 256)))).motsu_unwrap();
    // A zero hash is never accepted, even if ArbSys said so.
    env.arbsys.sender(env.admin).set_zero_hashes(true);
    let nonce = env.global().nonce;
    let root = env.deposit_root();
    let digest = attest_digest(env.reg.address(), BLOCK - 1, B256::ZERO, root, nonce);
    let header = Header {
        block_number: BLOCK - 1,
        block_hash: B256::ZERO,
        deposit_root: root,
        nonce,
        signatures: env.guardians.borrow().iter().map(|g| sign(g, digest)).collect(),
    };
    assert_eq!(deposit_with(&env, &header).unwrap_err(), invalid(BLOCK - 1, B256::ZERO));
}

#[motsu::test]
fn a_quorum_of_distinct_guardians_must_sign_in_ascending_order() {
    let env = Env::new();
    env.add_guardians(3, 2);
    env.add();
    env.commit_and_vet(1, 1);
    let header = env.header();
    let digest = attest_digest(
        env.reg.address(),
        header.block_number,
        header.block_hash,
        header.deposit_root,
        header.nonce,
    );
    let guardians = env.guardians.borrow().clone();
    let sig = |i: usize| sign(&guardians[i], digest);
    let outsider = Account::from_seed("not a guardian");
    let with = |signatures: Vec<[u8; 65]>| Header { signatures, ..header.clone() };
    let not_enough = |given: u64| {
        Error::NotEnoughGuardianSignatures(NotEnoughGuardianSignatures {
            given: u(given),
            quorum: u(2),
        })
    };
    let invalid =
        |index: u64| Error::InvalidGuardianSignature(InvalidGuardianSignature { index: u(index) });
    let mut high_s = sig(1);
    {
        // The malleable twin: s' = n - s, v flipped.
        let n = U256::from_str_radix(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141",
            16,
        )
        .unwrap();
        let s = U256::from_be_slice(&high_s[32..64]);
        high_s[32..64].copy_from_slice(&(n - s).to_be_bytes::<32>());
        high_s[64] = if high_s[64] == 27 { 28 } else { 27 };
    }
    let mut bad_v = sig(1);
    bad_v[64] = 29;
    let other_digest = sign(&guardians[1], B256::repeat_byte(5));
    let cases: Vec<(Vec<[u8; 65]>, Error)> = vec![
        (vec![], not_enough(0)),
        (vec![sig(0)], not_enough(1)),
        (vec![sig(1), sig(0)], invalid(1)), // descending
        (vec![sig(0), sig(0)], invalid(1)), // the same guardian twice
        (vec![sig(0), sign(&outsider, digest)], invalid(1)), // not a guardian
        (vec![sig(0), high_s], invalid(1)), // s above half the order
        (vec![sig(0), bad_v], invalid(1)),  // v not 27 / 28
        (vec![other_digest, sig(2)], invalid(0)), // signed something else
        (vec![sig(0), sig(1), [0u8; 65]], invalid(2)), // all must be valid
    ];
    let before = env.snapshot();
    for (i, (signatures, error)) in cases.into_iter().enumerate() {
        assert_eq!(deposit_with(&env, &with(signatures)).unwrap_err(), error, "case {i}");
    }
    assert_eq!(env.snapshot().ops, before.ops);

    // A removed guardian's signature no longer counts.
    let removed = guardians[0].address();
    env.reg.sender(env.admin).remove_guardian(removed, u(2)).motsu_unwrap();
    let header = env.header(); // the nonce is unchanged; guardians are not keys
    let digest2 = attest_digest(
        env.reg.address(),
        header.block_number,
        header.block_hash,
        header.deposit_root,
        header.nonce,
    );
    assert_eq!(digest2, digest);
    assert_eq!(deposit_with(&env, &with(vec![sig(0), sig(1)])).unwrap_err(), invalid(0));
    deposit_with(&env, &with(vec![sig(1), sig(2)])).motsu_unwrap();
}

#[motsu::test]
fn without_guardians_nothing_can_be_deposited() {
    let env = Env::new();
    env.add();
    env.commit_and_vet(1, 1);
    assert_eq!(
        env.deposit(1).unwrap_err(),
        Error::NotEnoughGuardianSignatures(NotEnoughGuardianSignatures {
            given: U256::ZERO,
            quorum: U256::ZERO
        })
    );
}

#[motsu::test]
fn the_attestation_is_bound_to_this_registry_and_chain() {
    let env = two_operators(1);
    let header = env.header();
    // Signed for another registry address.
    let digest = attest_digest(
        Address::repeat_byte(0x12),
        header.block_number,
        header.block_hash,
        header.deposit_root,
        header.nonce,
    );
    let signatures = env.guardians.borrow().iter().map(|g| sign(g, digest)).collect();
    let foreign = Header { signatures, ..header.clone() };
    assert_eq!(
        deposit_with(&env, &foreign).unwrap_err(),
        Error::InvalidGuardianSignature(InvalidGuardianSignature { index: U256::ZERO })
    );
    // Another chain.
    VM::context().set_chain_id(1);
    assert_eq!(
        deposit_with(&env, &header).unwrap_err(),
        Error::InvalidGuardianSignature(InvalidGuardianSignature { index: U256::ZERO })
    );
    VM::context().set_chain_id(42161);
    deposit_with(&env, &header).motsu_unwrap();
}

// ------------------------------------------------------------------ the keys

#[motsu::test]
fn deposits_stop_when_the_vetted_keys_run_out() {
    let env = two_operators(1);
    let data = Env::data(&env.header(), &env.entries(3));
    let before = env.snapshot();
    assert_eq!(
        env.deposit_raw(u(3), &data).unwrap_err(),
        Error::NotEnoughDepositableKeys(NotEnoughDepositableKeys {
            requested: u(3),
            available: u(2)
        })
    );
    assert_eq!(env.snapshot().ops, before.ops);
    assert_eq!(env.target.sender(env.admin).deposits().0, U256::ZERO, "the calls are undone");
}

#[motsu::test]
fn with_no_eligible_operator_the_first_key_is_refused() {
    let env = Env::with_guardian();
    env.add();
    env.commit(1, 2); // committed, not vetted
    let data = Env::data(&env.header(), &[]);
    assert_eq!(
        env.deposit_raw(u(1), &data).unwrap_err(),
        Error::NotEnoughDepositableKeys(NotEnoughDepositableKeys {
            requested: u(1),
            available: u(0)
        })
    );
}

#[motsu::test]
fn each_key_must_prove_against_its_operators_next_index() {
    let env = two_operators(2);
    let header = env.header();
    let good = env.entries(1).remove(0);
    assert_eq!((good.batch, good.start, good.end), (0, 0, 2));
    let refused =
        Error::InvalidKeyProof(InvalidKeyProof { operatorId: u(1), keyIndex: U256::ZERO });
    let next_key = env.entry(1, 1, 0);
    let other_operator = env.entry(2, 0, 0);
    let mut flipped = good.clone();
    flipped.siblings[0].0[0] ^= 1;
    let mut pubkey = good.clone();
    pubkey.key.0[47] ^= 1;
    let mut signature = good.clone();
    signature.key.1[0] ^= 1;
    let cases = [
        KeyEntry { key: next_key.key, ..good.clone() }, // the operator's next-but-one key
        KeyEntry { key: other_operator.key, siblings: other_operator.siblings, ..good.clone() },
        next_key.clone(), // key 1's own proof at index 0
        flipped,
        pubkey,
        signature,
        KeyEntry { batch: 1, ..good.clone() }, // no such batch
        KeyEntry { start: 1, ..good.clone() }, // index below start
        KeyEntry { end: 0, ..good.clone() },   // index at the end
        KeyEntry { end: 4, ..good.clone() },   // not the stored end
        KeyEntry { siblings: vec![], ..good.clone() }, // too short
        KeyEntry { siblings: [good.siblings.clone(), vec![B256::ZERO]].concat(), ..good.clone() },
    ];
    let before = env.snapshot();
    for (i, entry) in cases.into_iter().enumerate() {
        let data = Env::data(&header, &[entry]);
        assert_eq!(env.deposit_raw(u(1), &data).unwrap_err(), refused, "case {i}");
    }
    assert_eq!(env.snapshot().ops, before.ops);
    env.deposit_raw(u(1), &Env::data(&header, &[good])).motsu_unwrap();
}

#[motsu::test]
fn data_must_be_complete_and_have_nothing_left_over() {
    let env = two_operators(2);
    let full = Env::data(&env.header(), &env.entries(2));
    let header_len = env.header().encode().len();
    let bad = Error::InvalidDepositData(InvalidDepositData {});
    let before = env.snapshot();
    for cut in
        [0, 7, 8, 40, 72, 80, 81, header_len - 1, header_len, header_len + 100, full.len() - 1]
    {
        assert_eq!(
            env.deposit_raw(u(2), &full[..cut]).unwrap_err(),
            bad,
            "cut at {cut} of {}",
            full.len()
        );
    }
    let mut long = full.clone();
    long.push(0);
    assert_eq!(env.deposit_raw(u(2), &long).unwrap_err(), bad, "a byte left over");
    // Keys for more deposits than the count: left over too.
    let three = Env::data(&env.header(), &env.entries(3));
    assert_eq!(env.deposit_raw(u(2), &three).unwrap_err(), bad);
    assert_eq!(env.snapshot().ops, before.ops);
    assert_eq!(env.target.sender(env.admin).deposits().0, U256::ZERO);
    env.deposit_raw(u(2), &full).motsu_unwrap();
}

#[motsu::test]
fn a_wrong_hint_costs_gas_but_never_the_order() {
    let env = Env::with_guardian();
    for id in 1..=4 {
        env.add();
        env.commit_and_vet(id, 3);
    }
    // Hints: the bot's, then wrong ones of every kind.
    for hint in [None, Some(0u16), Some(4), Some(1), Some(3), Some(99), Some(2)] {
        let mut entries = env.entries(1);
        if let Some(h) = hint {
            entries[0].hint = h;
        }
        let data = Env::data(&env.header(), &entries);
        env.deposit_raw(u(1), &data).motsu_unwrap();
        let mut expected: Vec<u16> = (1..=4).filter(|&i| env.op(i).eligible()).collect();
        expected.sort_by_key(|&i| env.op(i).sort_key(i));
        assert_eq!(env.queue(), expected, "hint {hint:?}");
    }
}
