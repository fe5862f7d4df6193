//! Committed keys: `commitKeys` and `commitKeyRoot` (who, lengths or counts, the root and the
//! stored commitment, the nonce),
//! `setVettedLimit` bounds and `removeUnusedKeys` (cutting and dropping batches), and that a
//! removed key can never be proven again.

use alloy_sol_types::SolCall;

use super::*;
use crate::{
    abi::INodeOperatorRegistry as I,
    errors::*,
    events::{KeysCommitted, KeysRemoved, NonceChanged, VettedLimitSet},
    keys::{commitment, MAX_BATCH},
    storage::OP_IN_LIST,
};

/// `keccak256(root ‖ start ‖ end)`, written from the module doc.
fn expected_commitment(root: B256, start: u32, end: u32) -> U256 {
    let word = keccak256(
        [root.as_slice(), &u(start.into()).to_be_bytes::<32>(), &u(end.into()).to_be_bytes::<32>()]
            .concat(),
    );
    U256::from_be_bytes(word.0)
}

/// The root of `leaves` computed level by level with [`node`], padded with zero words.
fn expected_root(leaves: &[B256]) -> B256 {
    let mut level = leaves.to_vec();
    level.resize(leaves.len().next_power_of_two(), B256::ZERO);
    while level.len() > 1 {
        level = level.chunks_exact(2).map(|p| node(p[0], p[1])).collect();
    }
    level[0]
}

/// The stored commitment of operator `id`'s batch `batch`.
fn stored(env: &Env, id: u16, batch: u16) -> U256 {
    env.r().commitments.get(batch_key(id, batch))
}

fn invalid_keys(pubkeys: usize, signatures: usize) -> Error {
    Error::InvalidKeysData(InvalidKeysData {
        pubkeysLength: U256::from(pubkeys),
        signaturesLength: U256::from(signatures),
    })
}

/// `removeUnusedKeys` as the admin.
fn remove_raw(
    env: &Env,
    id: u16,
    from: U256,
    batch: U256,
    root: B256,
    start: U256,
    end: U256,
) -> Result<(), Error> {
    env.reg.sender(env.admin).remove_unused_keys(u(id.into()), from, batch, root, start, end)
}

// ------------------------------------------------------------------ commitKeys

#[motsu::test]
fn the_reward_address_commits_without_asking_the_manager() {
    let env = Env::new();
    env.add();
    let asked = env.manager.sender(env.admin).calls();
    let (p, s) = pack(&env.book.borrow_mut().fresh(2));
    env.reg.sender(reward(1)).commit_keys(u(1), &p, &s).motsu_unwrap();
    assert_eq!(env.op(1).submitted, 2);
    assert_eq!(env.manager.sender(env.admin).calls(), asked);
}

#[motsu::test]
fn the_manager_role_commits_for_any_operator_and_others_may_not() {
    let env = Env::new();
    env.add();
    env.add();
    let (p, s) = pack(&env.book.borrow_mut().fresh(2));
    let outsider = Address::repeat_byte(0x51);
    env.manager.sender(env.admin).grant(OPERATOR_LIMITS_ROLE, outsider);
    let before = env.snapshot();
    for caller in [outsider, reward(2)] {
        assert_eq!(
            env.reg.sender(caller).commit_keys(u(1), &p, &s).motsu_unwrap_err(),
            Error::NotOperatorManager(NotOperatorManager { caller, operatorId: u(1) })
        );
    }
    assert_eq!(env.snapshot(), before);

    env.reg.sender(env.admin).commit_keys(u(1), &p, &s).motsu_unwrap();
    let (caller, role, data) = env.manager.sender(env.admin).last_call();
    assert_eq!((caller, role), (env.admin, OPERATOR_MANAGER_ROLE));
    assert_eq!(
        data.0,
        I::commitKeysCall { operatorId: u(1), pubkeys: p.into(), signatures: s.into() }
            .abi_encode()
    );
}

#[motsu::test]
fn a_commit_stores_keccak_of_root_start_end_and_emits_the_root() {
    let env = Env::new();
    env.add();
    let keys = env.book.borrow_mut().fresh(3);
    let (p, s) = pack(&keys);
    let root = expected_root(&leaves(&keys));
    assert_eq!(root, crate::keys::root(leaves(&keys)), "the registry's tree is the documented one");
    let mark = env.mark();
    env.reg.sender(reward(1)).commit_keys(u(1), &p, &s).motsu_unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![
            log(&KeysCommitted {
                operatorId: u(1),
                batch: U256::ZERO,
                firstIndex: U256::ZERO,
                count: u(3),
                root
            }),
            log(&NonceChanged { nonce: u(1) }),
        ]
    );
    assert_eq!(stored(&env, 1, 0), expected_commitment(root, 0, 3));
    assert_eq!(stored(&env, 1, 0), commitment(&root, 0, 3));
    let op = env.op(1);
    assert_eq!((op.submitted, op.vetted, op.deposited, op.batches), (3, 0, 0, 1));
    assert!(!op.has(OP_IN_LIST), "committed keys are not vetted keys");
    assert_eq!(env.r().get_nonce(), u(1));

    // The next batch starts where this one ended.
    let keys = env.book.borrow_mut().fresh(2);
    let (p, s) = pack(&keys);
    let root2 = expected_root(&leaves(&keys));
    let mark = env.mark();
    env.reg.sender(env.admin).commit_keys(u(1), &p, &s).motsu_unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![
            log(&KeysCommitted {
                operatorId: u(1),
                batch: u(1),
                firstIndex: u(3),
                count: u(2),
                root: root2
            }),
            log(&NonceChanged { nonce: u(2) }),
        ]
    );
    assert_eq!(stored(&env, 1, 1), expected_commitment(root2, 3, 5));
    assert_eq!(stored(&env, 1, 0), expected_commitment(root, 0, 3), "earlier batch untouched");
    assert_eq!((env.op(1).submitted, env.op(1).batches), (5, 2));
}

#[motsu::test]
fn a_single_key_batch_has_the_leaf_as_its_root() {
    let env = Env::new();
    env.add();
    let keys = env.book.borrow_mut().fresh(1);
    let b = env.commit_keys(1, keys.clone());
    assert_eq!(b.root, leaves(&keys)[0]);
    assert_eq!(stored(&env, 1, 0), expected_commitment(leaves(&keys)[0], 0, 1));
}

#[motsu::test]
fn commitments_are_kept_per_operator() {
    let env = Env::new();
    env.add();
    env.add();
    let a = env.commit(1, 2);
    let b = env.commit(2, 3);
    assert_eq!(stored(&env, 1, 0), expected_commitment(a.root, 0, 2));
    assert_eq!(stored(&env, 2, 0), expected_commitment(b.root, 0, 3));
    env.reg.assert_emitted(&KeysCommitted {
        operatorId: u(2),
        batch: U256::ZERO,
        firstIndex: U256::ZERO,
        count: u(3),
        root: b.root,
    });
}

#[motsu::test]
fn key_data_must_be_n_times_48_and_n_times_96_bytes() {
    let env = Env::new();
    env.add();
    let before = env.snapshot();
    for (pubkeys, signatures) in
        [(0, 0), (0, 96), (47, 96), (48, 0), (48, 95), (48, 97), (49, 96), (96, 96), (48, 192)]
    {
        assert_eq!(
            env.reg
                .sender(reward(1))
                .commit_keys(u(1), &vec![1; pubkeys], &vec![2; signatures])
                .motsu_unwrap_err(),
            invalid_keys(pubkeys, signatures),
            "{pubkeys} / {signatures} bytes"
        );
    }
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn a_batch_holds_1_to_1024_keys() {
    let env = Env::new();
    env.add();
    let keys = env.book.borrow_mut().fresh(MAX_BATCH + 1);
    let (p, s) = pack(&keys);
    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(reward(1)).commit_keys(u(1), &p, &s).motsu_unwrap_err(),
        invalid_keys((MAX_BATCH + 1) * PUBKEY, (MAX_BATCH + 1) * SIGNATURE)
    );
    assert_eq!(env.snapshot(), before);

    let full = env.commit_keys(1, keys[..MAX_BATCH].to_vec());
    assert_eq!(full.root, expected_root(&leaves(&keys[..MAX_BATCH])));
    assert_eq!(stored(&env, 1, 0), expected_commitment(full.root, 0, 1024));
    let one = env.commit_keys(1, keys[MAX_BATCH..].to_vec());
    assert_eq!((one.start, one.end), (1024, 1025));
    assert_eq!((env.op(1).submitted, env.op(1).batches), (1025, 2));
}

#[motsu::test]
fn batch_65534_is_the_last() {
    let env = Env::new();
    env.add();
    let mut op = env.op(1);
    op.batches = u16::MAX - 1;
    env.put_op(1, &op);
    let keys = env.book.borrow_mut().fresh(2);
    let (p, s) = pack(&keys[..1]);
    env.reg.sender(reward(1)).commit_keys(u(1), &p, &s).motsu_unwrap();
    assert_eq!(env.op(1).batches, u16::MAX);
    assert_eq!(stored(&env, 1, u16::MAX - 1), expected_commitment(leaves(&keys[..1])[0], 0, 1));
    env.reg.assert_emitted(&KeysCommitted {
        operatorId: u(1),
        batch: u(65534),
        firstIndex: U256::ZERO,
        count: u(1),
        root: leaves(&keys[..1])[0],
    });

    let before = env.snapshot();
    let (p, s) = pack(&keys[1..]);
    assert_eq!(
        env.reg.sender(reward(1)).commit_keys(u(1), &p, &s).motsu_unwrap_err(),
        Error::TooManyKeyBatches(TooManyKeyBatches { operatorId: u(1) })
    );
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn key_indices_stop_at_u32_max() {
    let env = Env::new();
    env.add();
    let mut op = env.op(1);
    op.submitted = u32::MAX - 2;
    env.put_op(1, &op);
    let keys = env.book.borrow_mut().fresh(3);
    let (p, s) = pack(&keys[..2]);
    env.reg.sender(reward(1)).commit_keys(u(1), &p, &s).motsu_unwrap();
    assert_eq!(env.op(1).submitted, u32::MAX);

    let before = env.snapshot();
    let (p, s) = pack(&keys[2..]);
    assert_eq!(
        env.reg.sender(reward(1)).commit_keys(u(1), &p, &s).motsu_unwrap_err(),
        Error::MathOverflow(MathOverflow {})
    );
    assert_eq!(env.snapshot(), before);
}

// ------------------------------------------------------------------ setVettedLimit

// ------------------------------------------------------------------ commitKeyRoot

#[motsu::test]
fn a_root_commit_stores_the_same_commitment_as_the_keys_would() {
    let env = Env::new();
    env.add();
    env.add();
    let keys = env.book.borrow_mut().fresh(5);
    let root = expected_root(&leaves(&keys));
    let asked = env.manager.sender(env.admin).calls();
    let mark = env.mark();
    env.reg.sender(reward(1)).commit_key_root(u(1), root, u(5)).motsu_unwrap();
    assert_eq!(env.manager.sender(env.admin).calls(), asked, "its reward address needs no role");
    assert_eq!(
        env.logs_since(mark),
        vec![
            log(&KeysCommitted {
                operatorId: u(1),
                batch: U256::ZERO,
                firstIndex: U256::ZERO,
                count: u(5),
                root
            }),
            log(&NonceChanged { nonce: u(1) }),
        ]
    );
    assert_eq!(stored(&env, 1, 0), expected_commitment(root, 0, 5));
    let op = env.op(1);
    assert_eq!((op.submitted, op.vetted, op.deposited, op.batches), (5, 0, 0, 1));
    assert!(!op.has(OP_IN_LIST), "committed keys are not vetted keys");

    // The same keys committed in the calldata for operator 2 give the same word.
    let (p, sigs) = pack(&keys);
    env.reg.sender(reward(2)).commit_keys(u(2), &p, &sigs).motsu_unwrap();
    assert_eq!(stored(&env, 2, 0), stored(&env, 1, 0));
}

#[motsu::test]
fn root_committed_keys_deposit_with_their_proofs() {
    let env = Env::with_guardian();
    env.add();
    let keys = env.book.borrow_mut().fresh(3);
    let root = expected_root(&leaves(&keys));
    env.reg.sender(env.admin).commit_key_root(u(1), root, u(3)).motsu_unwrap();
    // Booked as the DAO would hold the file.
    env.book.borrow_mut().ops.entry(1).or_default().push(Batch { start: 0, end: 3, root, keys });
    env.vet(1, 3);
    let entries = env.entries(3);
    let (_, commitment) = env.deposit_raw(u(3), &Env::data(&entries)).motsu_unwrap();
    assert_eq!(env.op(1).deposited, 3);
    assert_eq!(commitment, commitment_of(&entries, &CREDENTIALS));
}

#[motsu::test]
fn a_root_commit_counts_1_to_1024_keys() {
    let env = Env::new();
    env.add();
    let root = B256::repeat_byte(0x42);
    let before = env.snapshot();
    for count in [U256::ZERO, u(MAX_BATCH as u64 + 1), U256::from(u64::MAX), U256::MAX] {
        assert_eq!(
            env.reg.sender(reward(1)).commit_key_root(u(1), root, count).motsu_unwrap_err(),
            Error::InvalidKeyCount(InvalidKeyCount { count }),
            "{count}"
        );
    }
    assert_eq!(env.snapshot(), before);
    env.reg.sender(reward(1)).commit_key_root(u(1), root, u(1)).motsu_unwrap();
    env.reg.sender(reward(1)).commit_key_root(u(1), root, u(MAX_BATCH as u64)).motsu_unwrap();
    assert_eq!((env.op(1).submitted, env.op(1).batches), (1025, 2));
    assert_eq!(stored(&env, 1, 1), expected_commitment(root, 1, 1025));
}

#[motsu::test]
fn a_root_commit_is_for_the_reward_address_or_the_manager_role() {
    let env = Env::new();
    env.add();
    env.add();
    let root = B256::repeat_byte(0x42);
    let outsider = Address::repeat_byte(0x51);
    env.manager.sender(env.admin).grant(OPERATOR_LIMITS_ROLE, outsider);
    let before = env.snapshot();
    for caller in [outsider, reward(2)] {
        assert_eq!(
            env.reg.sender(caller).commit_key_root(u(1), root, u(2)).motsu_unwrap_err(),
            Error::NotOperatorManager(NotOperatorManager { caller, operatorId: u(1) })
        );
    }
    assert_eq!(
        env.reg.sender(env.admin).commit_key_root(u(3), root, u(2)).motsu_unwrap_err(),
        Error::OperatorNotFound(OperatorNotFound { operatorId: u(3) })
    );
    assert_eq!(env.snapshot(), before);
    env.reg.sender(env.admin).commit_key_root(u(1), root, u(2)).motsu_unwrap();
    let (caller, role, data) = env.manager.sender(env.admin).last_call();
    assert_eq!((caller, role), (env.admin, OPERATOR_MANAGER_ROLE));
    assert_eq!(data.0, I::commitKeyRootCall { operatorId: u(1), root, count: u(2) }.abi_encode());
}

#[motsu::test]
fn a_root_commit_after_the_last_batch_or_index_is_refused() {
    let env = Env::new();
    env.add();
    let root = B256::repeat_byte(0x42);
    let mut op = env.op(1);
    op.batches = u16::MAX;
    env.put_op(1, &op);
    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(reward(1)).commit_key_root(u(1), root, u(1)).motsu_unwrap_err(),
        Error::TooManyKeyBatches(TooManyKeyBatches { operatorId: u(1) })
    );
    let mut op = env.op(1);
    op.batches = 0;
    op.submitted = u32::MAX - 1;
    env.put_op(1, &op);
    let before_index = env.snapshot();
    assert_eq!(
        env.reg.sender(reward(1)).commit_key_root(u(1), root, u(2)).motsu_unwrap_err(),
        Error::MathOverflow(MathOverflow {})
    );
    assert_eq!(env.snapshot(), before_index);
    assert_ne!(before, before_index);
    env.reg.sender(reward(1)).commit_key_root(u(1), root, u(1)).motsu_unwrap();
    assert_eq!(env.op(1).submitted, u32::MAX);
}

#[motsu::test]
fn a_root_commit_before_the_constructor_is_refused() {
    let env = Env::deployed();
    assert_eq!(
        env.reg.sender(env.admin).commit_key_root(u(1), B256::ZERO, u(1)).motsu_unwrap_err(),
        Error::NotInitialized(NotInitialized {})
    );
}

#[motsu::test]
fn vetting_needs_the_limits_role() {
    let env = Env::new();
    env.add();
    env.commit(1, 3);
    let manager = Address::repeat_byte(0x53);
    env.manager.sender(env.admin).grant(OPERATOR_MANAGER_ROLE, manager);
    let before = env.snapshot();
    for caller in [manager, reward(1), Address::repeat_byte(0x51)] {
        assert_eq!(
            env.reg.sender(caller).set_vetted_limit(u(1), u(2)).motsu_unwrap_err(),
            denied(caller, OPERATOR_LIMITS_ROLE)
        );
    }
    assert_eq!(env.snapshot(), before);

    let limits = Address::repeat_byte(0x54);
    env.manager.sender(env.admin).grant(OPERATOR_LIMITS_ROLE, limits);
    env.reg.sender(limits).set_vetted_limit(u(1), u(2)).motsu_unwrap();
    assert_eq!(env.op(1).vetted, 2);
    let (caller, role, data) = env.manager.sender(env.admin).last_call();
    assert_eq!((caller, role), (limits, OPERATOR_LIMITS_ROLE));
    assert_eq!(data.0, I::setVettedLimitCall { operatorId: u(1), vetted: u(2) }.abi_encode());
}

#[motsu::test]
fn the_vetted_limit_lies_between_deposited_and_submitted() {
    let env = Env::with_guardian();
    env.add();
    env.commit(1, 5);
    let refused = |limit: U256, deposited: u64| {
        Error::InvalidVettedLimit(InvalidVettedLimit {
            operatorId: u(1),
            limit,
            deposited: u(deposited),
            submitted: u(5),
        })
    };
    let before = env.snapshot();
    for limit in [u(6), u(1 << 32), U256::MAX] {
        assert_eq!(
            env.reg.sender(env.admin).set_vetted_limit(u(1), limit).motsu_unwrap_err(),
            refused(limit, 0)
        );
    }
    assert_eq!(env.snapshot(), before);

    for (limit, nonce) in [(5u32, 2u64), (0, 3), (1, 4)] {
        let mark = env.mark();
        env.vet(1, limit);
        assert_eq!(env.op(1).vetted, limit);
        assert_eq!(
            env.logs_since(mark),
            vec![
                log(&VettedLimitSet { operatorId: u(1), vetted: u(limit.into()) }),
                log(&NonceChanged { nonce: u(nonce) }),
            ]
        );
    }
    env.vet(1, 3);
    env.deposit(2).motsu_unwrap();
    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(env.admin).set_vetted_limit(u(1), u(1)).motsu_unwrap_err(),
        refused(u(1), 2)
    );
    assert_eq!(env.snapshot(), before);
    env.vet(1, 2);
    assert!(!env.op(1).has(OP_IN_LIST), "vetted down to deposited: nothing left to deposit");
    env.vet(1, 5);
    assert_eq!(env.queue(), vec![1]);
}

// ------------------------------------------------------------------ removeUnusedKeys

#[motsu::test]
fn removal_is_for_the_reward_address_or_the_manager_role() {
    let env = Env::new();
    env.add();
    env.add();
    let b = env.commit(1, 4);
    let outsider = Address::repeat_byte(0x51);
    env.manager.sender(env.admin).grant(OPERATOR_LIMITS_ROLE, outsider);
    let before = env.snapshot();
    for caller in [outsider, reward(2)] {
        assert_eq!(
            env.reg
                .sender(caller)
                .remove_unused_keys(u(1), u(3), U256::ZERO, b.root, U256::ZERO, u(4))
                .motsu_unwrap_err(),
            Error::NotOperatorManager(NotOperatorManager { caller, operatorId: u(1) })
        );
    }
    assert_eq!(env.snapshot(), before);

    let asked = env.manager.sender(env.admin).calls();
    env.reg
        .sender(reward(1))
        .remove_unused_keys(u(1), u(3), U256::ZERO, b.root, U256::ZERO, u(4))
        .motsu_unwrap();
    assert_eq!(env.manager.sender(env.admin).calls(), asked, "the reward address is not asked");
    env.reg
        .sender(env.admin)
        .remove_unused_keys(u(1), u(2), U256::ZERO, b.root, U256::ZERO, u(3))
        .motsu_unwrap();
    let (caller, role, data) = env.manager.sender(env.admin).last_call();
    assert_eq!((caller, role), (env.admin, OPERATOR_MANAGER_ROLE));
    assert_eq!(
        data.0,
        I::removeUnusedKeysCall {
            operatorId: u(1),
            fromIndex: u(2),
            batch: U256::ZERO,
            root: b.root,
            start: U256::ZERO,
            end: u(3),
        }
        .abi_encode()
    );
    assert_eq!(env.op(1).submitted, 2);
}

#[motsu::test]
fn removal_cuts_the_straddling_batch_and_drops_the_later_ones() {
    let env = Env::new();
    env.add();
    let b0 = env.commit(1, 3); // 0..3
    let b1 = env.commit(1, 4); // 3..7
    let b2 = env.commit(1, 2); // 7..9
    env.vet(1, 9);
    let mark = env.mark();
    env.remove(1, 5).motsu_unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![
            log(&KeysRemoved { operatorId: u(1), fromIndex: u(5) }),
            log(&VettedLimitSet { operatorId: u(1), vetted: u(5) }),
            log(&NonceChanged { nonce: u(5) }),
        ]
    );
    let op = env.op(1);
    assert_eq!((op.submitted, op.vetted, op.batches), (5, 5, 2));
    assert_eq!(stored(&env, 1, 0), expected_commitment(b0.root, 0, 3), "earlier batch kept");
    assert_eq!(stored(&env, 1, 1), expected_commitment(b1.root, 3, 5), "cut to end at 5");
    // The dropped batch's slot may keep its word, but it is beyond `batches`.
    let r = env.r();
    assert_eq!(
        r.check_batch(1, &op, 2, &b2.root, 7, 9),
        Err(Error::InvalidKeyBatch(InvalidKeyBatch { operatorId: u(1), batch: u(2) }))
    );
    assert_eq!(r.check_batch(1, &op, 1, &b1.root, 3, 5), Ok(()));
    assert_eq!(r.check_batch(1, &op, 0, &b0.root, 0, 3), Ok(()));
    assert_eq!(env.queue(), vec![1]);
}

#[motsu::test]
fn removal_from_a_batch_start_drops_that_batch() {
    let env = Env::new();
    env.add();
    let b0 = env.commit(1, 3);
    let b1 = env.commit(1, 4);
    env.remove(1, 3).motsu_unwrap();
    let op = env.op(1);
    assert_eq!((op.submitted, op.batches), (3, 1));
    assert_eq!(
        env.r().check_batch(1, &op, 1, &b1.root, 3, 7),
        Err(Error::InvalidKeyBatch(InvalidKeyBatch { operatorId: u(1), batch: u(1) }))
    );
    env.remove(1, 0).motsu_unwrap();
    let op = env.op(1);
    assert_eq!((op.submitted, op.batches, op.vetted), (0, 0, 0));
    assert_eq!(
        env.r().check_batch(1, &op, 0, &b0.root, 0, 3),
        Err(Error::InvalidKeyBatch(InvalidKeyBatch { operatorId: u(1), batch: U256::ZERO }))
    );
}

#[motsu::test]
fn removal_keeps_a_vetted_limit_already_below_the_cut() {
    let env = Env::new();
    env.add();
    env.commit(1, 6);
    env.vet(1, 2);
    let mark = env.mark();
    env.remove(1, 4).motsu_unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![
            log(&KeysRemoved { operatorId: u(1), fromIndex: u(4) }),
            log(&NonceChanged { nonce: u(3) }),
        ]
    );
    assert_eq!((env.op(1).vetted, env.op(1).submitted), (2, 4));
    assert_eq!(env.queue(), vec![1]);
    // Down to the vetted limit exactly: still no VettedLimitSet.
    let mark = env.mark();
    env.remove(1, 2).motsu_unwrap();
    assert_eq!(env.logs_since(mark).len(), 2);
    assert_eq!((env.op(1).vetted, env.op(1).submitted), (2, 2));
}

#[motsu::test]
fn removal_starts_at_or_above_deposited_and_below_submitted() {
    let env = Env::with_guardian();
    env.add();
    let b = env.commit(1, 5);
    env.vet(1, 5);
    env.deposit(2).motsu_unwrap();
    let refused = |from: U256| {
        Error::InvalidKeyRemoval(InvalidKeyRemoval {
            operatorId: u(1),
            fromIndex: from,
            deposited: u(2),
            submitted: u(5),
        })
    };
    let before = env.snapshot();
    for from in [u(0), u(1), u(5), u(6), u(1 << 32), U256::MAX] {
        assert_eq!(
            remove_raw(&env, 1, from, U256::ZERO, b.root, U256::ZERO, u(5)).motsu_unwrap_err(),
            refused(from),
            "from {from}"
        );
    }
    assert_eq!(env.snapshot(), before);
    // From the first unused key: every unused key goes, the deposited ones stay.
    env.remove(1, 2).motsu_unwrap();
    let op = env.op(1);
    assert_eq!((op.deposited, op.vetted, op.submitted, op.batches), (2, 2, 2, 1));
    assert_eq!(stored(&env, 1, 0), expected_commitment(b.root, 0, 2));
    assert_eq!(env.queue(), Vec::<u16>::new());
    // Nothing unused is left to remove.
    assert_eq!(
        remove_raw(&env, 1, u(2), U256::ZERO, b.root, U256::ZERO, u(2)).motsu_unwrap_err(),
        Error::InvalidKeyRemoval(InvalidKeyRemoval {
            operatorId: u(1),
            fromIndex: u(2),
            deposited: u(2),
            submitted: u(2),
        })
    );
}

#[motsu::test]
fn removal_must_name_the_stored_batch_holding_the_index() {
    let env = Env::new();
    env.add();
    let b0 = env.commit(1, 3); // 0..3
    let b1 = env.commit(1, 4); // 3..7
    let bad = |batch: U256| Error::InvalidKeyBatch(InvalidKeyBatch { operatorId: u(1), batch });
    let before = env.snapshot();
    let cases: [(U256, B256, u64, u64, U256); 9] = [
        (u(1), b0.root, 3, 7, u(1)),                 // another batch's root
        (u(1), b1.root, 3, 6, u(1)),                 // wrong end
        (u(1), b1.root, 2, 7, u(1)),                 // wrong start
        (u(1), b1.root, 5, 7, u(1)),                 // index below the claimed start
        (u(1), b1.root, 3, 4, u(1)),                 // index at or past the claimed end
        (u(0), b1.root, 3, 7, u(0)),                 // wrong batch number
        (u(2), b1.root, 3, 7, u(2)),                 // beyond the batches
        (u(65536 + 1), b1.root, 3, 7, u(65536 + 1)), // not a u16
        (u(1), B256::ZERO, 3, 7, u(1)),              // no root
    ];
    for (batch, root, start, end, reported) in cases {
        assert_eq!(
            remove_raw(&env, 1, u(4), batch, root, u(start), u(end)).motsu_unwrap_err(),
            bad(reported),
            "batch {batch} start {start} end {end}"
        );
    }
    assert_eq!(
        remove_raw(&env, 1, u(4), u(1), b1.root, u(1 << 32), u(7)).motsu_unwrap_err(),
        bad(u(1)),
        "start not a u32"
    );
    assert_eq!(env.snapshot(), before);

    // After a cut the batch is named by its new end only.
    env.remove(1, 5).motsu_unwrap();
    assert_eq!(remove_raw(&env, 1, u(4), u(1), b1.root, u(3), u(7)).motsu_unwrap_err(), bad(u(1)));
    remove_raw(&env, 1, u(4), u(1), b1.root, u(3), u(5)).motsu_unwrap();
}

#[motsu::test]
fn removed_keys_never_verify_again_after_a_new_commit() {
    let env = Env::with_guardian();
    env.add();
    let old = env.commit(1, 4); // 0..4
    env.remove(1, 2).motsu_unwrap(); // cut to 0..2
    let new = env.commit(1, 3); // batch 1: 2..5
    env.vet(1, 5);
    let op = env.op(1);
    let r = env.r();
    let invalid =
        Err(Error::InvalidKeyBatch(InvalidKeyBatch { operatorId: u(1), batch: U256::ZERO }));
    assert_eq!(r.check_batch(1, &op, 0, &old.root, 0, 4), invalid, "the old range is gone");
    assert_eq!(r.check_batch(1, &op, 0, &old.root, 0, 2), Ok(()));
    assert_eq!(r.check_batch(1, &op, 1, &new.root, 2, 5), Ok(()));
    drop(r);

    // Deposit the two kept keys, then try the removed key 2 with its old proof.
    env.deposit(2).motsu_unwrap();
    let old_leaves = leaves(&old.keys);
    let refused = Error::InvalidKeyProof(InvalidKeyProof { operatorId: u(1), keyIndex: u(2) });
    for (batch, end) in [(0u16, 4u32), (0, 2), (1, 5)] {
        let entry = KeyEntry {
            key: old.keys[2],
            batch,
            start: if batch == 0 { 0 } else { 2 },
            end,
            hint: 0,
            siblings: proof(&old_leaves, 2),
        };
        let before = env.snapshot();
        let data = Env::data(&[entry]);
        assert_eq!(env.deposit_raw(u(1), &data).unwrap_err(), refused);
        assert_eq!(env.snapshot(), before);
    }
    // The new key 2 goes through.
    let entries = env.entries(1);
    assert_eq!(entries[0].key, new.keys[0]);
    let (_, commitment) = env.deposit_raw(u(1), &Env::data(&entries)).motsu_unwrap();
    let (p, s) = new.keys[0];
    assert_eq!(commitment, keccak256(deposit_data_root(&p, &CREDENTIALS.0, 32_000_000_000, &s)));
}

#[motsu::test]
fn every_key_change_bumps_the_nonce_once() {
    let env = Env::with_guardian();
    env.add();
    let mut nonce = env.global().nonce;
    let mut step = |what: &str, f: &dyn Fn()| {
        let mark = env.mark();
        f();
        nonce += 1;
        assert_eq!(env.global().nonce, nonce, "{what}");
        assert!(env.logs_since(mark).contains(&log(&NonceChanged { nonce: u(nonce) })), "{what}");
    };
    step("commit", &|| {
        env.commit(1, 4);
    });
    step("vet", &|| env.vet(1, 4));
    step("deposit", &|| env.deposit(1).motsu_unwrap());
    step("remove", &|| env.remove(1, 3).motsu_unwrap());
    // Not key changes: activation, target, names, exits.
    let before = env.global().nonce;
    env.set_active(1, false);
    env.set_active(1, true);
    env.set_target(1, Some(3));
    env.exit(1, 1);
    env.reg.sender(env.admin).set_operator_name(u(1), "Renamed").motsu_unwrap();
    assert_eq!(env.global().nonce, before);
}
