//! `depositKeys`: the checks in the documented order (the pool, the count from 1 to
//! `MAX_BATCH_KEYS`, the pause, each key's proof, the data's length), and what a deposit does:
//! the answer (the L1 vault's withdrawal credentials and the commitment to the keys' SSZ
//! deposit data roots, in deposit order), the counters, the list, `KeysDeposited` and the
//! nonce. The registry calls nothing: the pool sends the batch to L1 (the end-to-end tests).

use super::*;
use crate::{
    deposit::MAX_BATCH_KEYS,
    errors::*,
    events::{KeysDeposited, NonceChanged},
    storage::FLAG_DEPOSITS_PAUSED,
};

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

// ------------------------------------------------------------------ a deposit

#[motsu::test]
fn a_deposit_returns_the_vault_credentials_and_the_commitment_to_its_keys_roots_in_order() {
    let env = two_operators(2);
    let nonce = env.global().nonce;
    let mark = env.mark();
    let data = Env::data(&env.entries(3));
    let (credentials, commitment) = env.deposit_raw(u(3), &data).motsu_unwrap();

    // Min-first: 1 (0 active), 2 (0 active, higher id), then 1 again (tie at 1, lower id).
    let plan = [(1u16, 0u32), (2, 0), (1, 1)];
    assert_eq!(
        env.logs_since(mark),
        vec![
            log(&KeysDeposited { count: u(3), allocation: allocation_bytes(&plan).into() }),
            log(&NonceChanged { nonce: u(nonce + 1) }),
        ]
    );
    let mut expected = [0u8; 32];
    expected[0] = 1;
    expected[12..].copy_from_slice(VAULT.as_slice());
    assert_eq!(credentials, B256::new(expected), "0x01 credentials naming the L1 vault");
    // keccak256(root_0 ‖ root_1 ‖ root_2), each root the SSZ hash_tree_root of the key's
    // DepositData with the vault's credentials and 32 ether, in the plan's order.
    let book = env.book.borrow();
    let roots: Vec<u8> = plan
        .iter()
        .flat_map(|(id, index)| {
            let (pubkey, signature) = book.ops[id][0].keys[*index as usize];
            deposit_data_root(&pubkey, &expected, 32_000_000_000, &signature)
        })
        .collect();
    assert_eq!(roots.len(), 3 * 32);
    assert_eq!(commitment, keccak256(&roots));
    drop(book);
    assert_ne!(
        commitment,
        commitment_of(&env.entries(0), &CREDENTIALS),
        "not the empty batch's commitment"
    );
    assert_eq!(env.reg.balance(), U256::ZERO);
    assert_eq!((env.op(1).deposited, env.op(2).deposited), (2, 1));
    assert_eq!(env.r().get_total_active_validators(), u(3));
    assert_eq!(env.queue(), vec![2], "operator 1 used its vetted keys");
}

#[motsu::test]
fn the_roots_cover_the_deployments_credentials_so_compounding_ones_commit_differently() {
    let mut compounding = CREDENTIALS;
    compounding.0[0] = 0x02;
    let env = Env::deployed();
    env.reg
        .sender(env.admin)
        .constructor(env.pool.address(), compounding, env.manager.address(), EXTENSION)
        .motsu_unwrap();
    assert_eq!(env.r().get_withdrawal_credentials(), compounding);
    env.add();
    env.commit_and_vet(1, 2);
    let entries = env.entries(2);
    let (credentials, commitment) = env.deposit_raw(u(2), &Env::data(&entries)).motsu_unwrap();
    assert_eq!(credentials, compounding);
    assert_eq!(commitment, commitment_of(&entries, &compounding));
    assert_ne!(commitment, commitment_of(&entries, &CREDENTIALS));
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
fn a_batch_holds_up_to_the_vaults_hundred_keys_and_no_more() {
    assert_eq!(MAX_BATCH_KEYS, 100);
    let env = Env::with_guardian();
    env.add();
    env.commit_and_vet(1, 101);
    let data = Env::data(&env.entries(101));
    let before = env.snapshot();
    for count in [u(101), u(1_000), U256::from(u32::MAX), U256::MAX] {
        assert_eq!(
            env.deposit_raw(count, &data).unwrap_err(),
            Error::TooManyKeys(TooManyKeys { count, max: u(100) }),
            "{count}"
        );
    }
    assert_eq!(env.snapshot(), before);
    env.deposit(100).motsu_unwrap();
    assert_eq!(env.op(1).deposited, 100);
}

// ------------------------------------------------------------------ the caller and the count

#[motsu::test]
fn only_the_pool_may_deposit() {
    let env = two_operators(1);
    let data = Env::data(&env.entries(1));
    let before = env.snapshot();
    for caller in [env.admin, reward(1), VAULT] {
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
    let before = env.snapshot();
    for data in [Vec::new(), Env::data(&env.entries(1))] {
        let out = env.reg.sender(env.pool.address()).deposit_keys(U256::ZERO, &data).motsu_res();
        assert_eq!(out.unwrap_err(), Error::InvalidDepositData(InvalidDepositData {}));
    }
    assert_eq!(env.snapshot(), before);
}

// ------------------------------------------------------------------ the pause

#[motsu::test]
fn paused_deposits_are_refused() {
    let env = two_operators(1);
    let guardian = env.guardians.borrow()[0].address();
    env.reg.sender(guardian).pause_deposits(U256::ZERO, &[]).motsu_unwrap();
    assert!(env.global().has(FLAG_DEPOSITS_PAUSED));
    let before = env.snapshot();
    assert_eq!(env.deposit(1).unwrap_err(), Error::DepositsArePaused(DepositsArePaused {}));
    assert_eq!(env.snapshot(), before);
    env.reg.sender(env.admin).resume_deposits().motsu_unwrap();
    env.deposit(1).motsu_unwrap();
}

#[motsu::test]
fn deposits_need_no_guardian_on_l2() {
    // The guardians' quorum over the deposit contract's root is the L1 vault's.
    let env = Env::new();
    env.add();
    env.commit_and_vet(1, 1);
    assert!(env.r().get_guardians().is_empty());
    env.deposit(1).motsu_unwrap();
    assert_eq!(env.op(1).deposited, 1);
}

// ------------------------------------------------------------------ the keys

#[motsu::test]
fn deposits_stop_when_the_vetted_keys_run_out() {
    let env = two_operators(1);
    let data = Env::data(&env.entries(3));
    let before = env.snapshot();
    assert_eq!(
        env.deposit_raw(u(3), &data).unwrap_err(),
        Error::NotEnoughDepositableKeys(NotEnoughDepositableKeys {
            requested: u(3),
            available: u(2)
        })
    );
    assert_eq!(env.snapshot().ops, before.ops);
}

#[motsu::test]
fn with_no_eligible_operator_the_first_key_is_refused() {
    let env = Env::with_guardian();
    env.add();
    env.commit(1, 2); // committed, not vetted
    let data = Env::data(&[]);
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
        let data = Env::data(&[entry]);
        assert_eq!(env.deposit_raw(u(1), &data).unwrap_err(), refused, "case {i}");
    }
    assert_eq!(env.snapshot().ops, before.ops);
    env.deposit_raw(u(1), &Env::data(&[good])).motsu_unwrap();
}

#[motsu::test]
fn data_must_be_complete_and_have_nothing_left_over() {
    let env = two_operators(2);
    let full = Env::data(&env.entries(2));
    let key_len = env.entries(1)[0].encode().len();
    let bad = Error::InvalidDepositData(InvalidDepositData {});
    let before = env.snapshot();
    for cut in [0, 47, 48, 143, 144, 150, 157, key_len - 1, key_len, key_len + 100, full.len() - 1]
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
    let three = Env::data(&env.entries(3));
    assert_eq!(env.deposit_raw(u(2), &three).unwrap_err(), bad);
    assert_eq!(env.snapshot().ops, before.ops);
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
        let data = Env::data(&entries);
        env.deposit_raw(u(1), &data).motsu_unwrap();
        let mut expected: Vec<u16> = (1..=4).filter(|&i| env.op(i).eligible()).collect();
        expected.sort_by_key(|&i| env.op(i).sort_key(i));
        assert_eq!(env.queue(), expected, "hint {hint:?}");
    }
}
