//! Operators, key batches, guarded deposits, exits and rewards on the release wasm: the
//! registry (core and extension programs), the pool's `depositBufferedEther` and the beacon
//! deposit contract double, seen by an auditor (every balance, counter and event a step
//! changes) and by an attacker (every refusal, each leaving nothing changed: the pool's
//! buffered and pooled ether, balances, the deposit root, the registry's nonce, counters and
//! allocation list).
#![allow(
    missing_docs,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    clippy::many_single_char_names
)]

use std::fmt::Debug;

use alloy_primitives::{Address, Bytes, B256, U256};
use alloy_sol_types::{Revert, SolCall, SolError};
use node_operator_registry::abi::INodeOperatorRegistry as R;
use protocol_tests::deploy::revert_data as decode;
use protocol_tests::{
    abi::{IAccessManager, IDepositContract, IStakingPool, IWithdrawalQueue},
    deploy::{events_from, Suite, ADMIN, ALICE, BOB, CAROL},
    ether,
    validators::{header, reward_address, Guardian, KeyBatch, Validators},
};
use staking_common::{
    deposit_data::{deposit_data_root, withdrawal_credentials},
    roles::{
        DEFAULT_ADMIN_ROLE, DEPOSIT_ROLE, DEPOSIT_SECURITY_ROLE, EXITED_REPORTER_ROLE,
        OPERATOR_LIMITS_ROLE, OPERATOR_MANAGER_ROLE,
    },
};
use staking_pool::abi::IStakingPool::{
    AccessDenied, NotEnoughDepositableEther, ProtocolContractsNotSet, TokenIsPaused, Unbuffered,
};
use stylus_vm::Receipt;

const GUARDIANS: usize = 6;
const QUORUM: usize = 4;
/// 32 ether in gwei: the amount of every deposit.
const DEPOSIT_GWEI: u64 = 32_000_000_000;
/// 32 ether in wei.
const DEPOSIT_WEI: u128 = 32_000_000_000_000_000_000;
/// Offsets in a packed key entry: pubkey 48 | signature 96 | batch 2 | start 4 | end 4 |
/// hint 2 | depth 1 | siblings.
const AT_START: usize = 146;
const AT_END: usize = 150;
const AT_DEPTH: usize = 156;
/// secp256k1's group order.
const ORDER: U256 = U256::from_limbs([
    0xBFD2_5E8C_D036_4141,
    0xBAAE_DCE6_AF48_A03B,
    0xFFFF_FFFF_FFFF_FFFE,
    0xFFFF_FFFF_FFFF_FFFF,
]);

// ---------------------------------------------------------------- helpers

/// The suite, the registry with six guardians (quorum four), `operators` operators with `keys`
/// keys each committed and vetted, and `stake` ether of ALICE's buffered.
fn setup_with(operators: u16, keys: u32, stake: u64) -> (Suite, Validators) {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, GUARDIANS, QUORUM);
    v.onboard(&mut s, operators, keys);
    s.deposit(ALICE, ether(stake));
    (s, v)
}

fn setup(operators: u16, keys: u32) -> (Suite, Validators) {
    setup_with(operators, keys, 10_000)
}

fn deposit_call(count: u64, data: Vec<u8>) -> IStakingPool::depositBufferedEtherCall {
    IStakingPool::depositBufferedEtherCall { count: U256::from(count), data: data.into() }
}

/// `depositBufferedEther(count, data)` from ADMIN (DEPOSIT_ROLE).
fn send_deposit(s: &mut Suite, count: u64, data: Vec<u8>) -> Receipt {
    let pool = s.pool;
    s.send(ADMIN, pool, U256::ZERO, &deposit_call(count, data))
}

fn ok(r: &Receipt) {
    assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
}

/// The (operator, key index) pairs of the one `KeysDeposited` in `r`.
fn deposited(r: &Receipt, v: &Validators) -> Vec<(u16, u32)> {
    let events = events_from::<R::KeysDeposited>(r, v.registry);
    assert_eq!(events.len(), 1, "one KeysDeposited a deposit");
    let allocation = &events[0].allocation;
    assert_eq!(events[0].count, U256::from(allocation.len() / 6));
    allocation
        .chunks(6)
        .map(|c| (u16::from_be_bytes([c[0], c[1]]), u32::from_be_bytes([c[2], c[3], c[4], c[5]])))
        .collect()
}

/// `getDepositAllocation(count)` as (operator, key index) pairs.
fn planned(s: &mut Suite, v: &Validators, count: usize) -> Vec<(u16, u32)> {
    let plan = s.view(v.registry, &R::getDepositAllocationCall { count: U256::from(count) });
    plan.operatorIds.iter().zip(&plan.keyIndices).map(|(o, i)| (o.to(), i.to())).collect()
}

/// `getDepositAllocation(count)`'s hints.
fn hints(s: &mut Suite, v: &Validators, count: usize) -> Vec<u16> {
    let plan = s.view(v.registry, &R::getDepositAllocationCall { count: U256::from(count) });
    plan.hints.iter().map(|h| h.to()).collect()
}

fn queue(s: &mut Suite, v: &Validators) -> Vec<u16> {
    s.view(v.registry, &R::getDepositQueueCall {})._0.iter().map(|id| id.to()).collect()
}

fn nonce(s: &mut Suite, v: &Validators) -> u64 {
    s.view(v.registry, &R::getNonceCall {})._0.to()
}

fn total_active(s: &mut Suite, v: &Validators) -> u64 {
    s.view(v.registry, &R::getTotalActiveValidatorsCall {})._0.to()
}

fn buffered(s: &mut Suite) -> U256 {
    let pool = s.pool;
    s.view(pool, &IStakingPool::getBufferedEtherCall {})._0
}

fn deposit_root(s: &mut Suite, v: &Validators) -> B256 {
    s.view(v.target, &IDepositContract::get_deposit_rootCall {})._0
}

fn rewards(s: &mut Suite, v: &Validators, id: u16) -> U256 {
    s.view(v.registry, &R::getRewardsCall { operatorId: U256::from(id) })._0
}

/// The next `count` keys by the rule, worked out from `getOperator` alone (not from the
/// registry's list or its allocation view): the eligible operator (active, a vetted key left,
/// under its target) with the fewest active validators, ties by the lowest id.
fn model_allocation(s: &mut Suite, v: &Validators, count: usize) -> Vec<(u16, u32)> {
    let n = s.view(v.registry, &R::getOperatorsCountCall {})._0.to::<u16>();
    let mut ops: Vec<(u16, bool, u64, u64, u64, U256)> = (1..=n)
        .map(|id| {
            let o = v.operator(s, id);
            (id, o.0, o.2, o.3, o.4, o.6)
        })
        .collect();
    let mut out = Vec::new();
    while out.len() < count {
        let next = ops
            .iter_mut()
            .filter(|o| o.1 && o.2 < o.4 && U256::from(o.2 - o.3) < o.5)
            .min_by_key(|o| (o.2 - o.3, o.0));
        let Some(o) = next else { break };
        out.push((o.0, o.2 as u32));
        o.2 += 1;
    }
    out
}

/// `getOperator` as [`Validators::operator`] gives it.
type OperatorView = (bool, Address, u64, u64, u64, u64, U256, u64);

/// Everything a refused call must leave as it was.
#[derive(Debug, PartialEq)]
struct Snapshot {
    buffered: U256,
    pooled: U256,
    beacon: (U256, U256, U256),
    pool_balance: U256,
    registry_balance: U256,
    target_balance: U256,
    deposit_root: B256,
    nonce: u64,
    total_active: u64,
    queue: Vec<u16>,
    operators: Vec<OperatorView>,
    paused: bool,
    registry_shares: U256,
}

fn snapshot(s: &mut Suite, v: &Validators) -> Snapshot {
    let pool = s.pool;
    let beacon = s.view(pool, &IStakingPool::getBeaconStatCall {});
    let n = s.view(v.registry, &R::getOperatorsCountCall {})._0.to::<u16>();
    Snapshot {
        buffered: buffered(s),
        pooled: s.view(pool, &IStakingPool::getTotalPooledEtherCall {})._0,
        beacon: (beacon._0, beacon._1, beacon._2),
        pool_balance: s.vm.balance(pool),
        registry_balance: s.vm.balance(v.registry),
        target_balance: s.vm.balance(v.target),
        deposit_root: deposit_root(s, v),
        nonce: nonce(s, v),
        total_active: total_active(s, v),
        queue: queue(s, v),
        operators: (1..=n).map(|id| v.operator(s, id)).collect(),
        paused: s.view(v.registry, &R::isDepositsPausedCall {})._0,
        registry_shares: s.shares_of(v.registry),
    }
}

/// Sends `call`, which must revert with `E` and change nothing; returns the error.
fn refused<C: SolCall, E: SolError>(
    s: &mut Suite,
    v: &Validators,
    from: Address,
    to: Address,
    value: U256,
    call: &C,
) -> E {
    let before = snapshot(s, v);
    let r = s.send(from, to, value, call);
    let e = decode::<E>(&r);
    assert_eq!(snapshot(s, v), before, "{} changed state", E::SIGNATURE);
    e
}

/// `depositBufferedEther(count, data)` from ADMIN, which must revert with `E` and change
/// nothing.
fn refused_deposit<E: SolError>(s: &mut Suite, v: &Validators, count: u64, data: Vec<u8>) -> E {
    let pool = s.pool;
    refused(s, v, ADMIN, pool, U256::ZERO, &deposit_call(count, data))
}

/// The registry call `call` from `from`, which must revert with `E` and change nothing.
fn refused_admin<C: SolCall, E: SolError>(
    s: &mut Suite,
    v: &Validators,
    from: Address,
    call: &C,
) -> E {
    refused(s, v, from, v.registry, U256::ZERO, call)
}

/// Signatures of `digest` by `guardians`, in the order given.
fn sign_all(guardians: &[&Guardian], digest: B256) -> Vec<[u8; 65]> {
    guardians.iter().map(|g| g.sign(digest)).collect()
}

/// The guardians sorted by address (the order a deposit's signatures must follow).
fn sorted(v: &Validators) -> Vec<&Guardian> {
    let mut g: Vec<&Guardian> = v.guardians.iter().collect();
    g.sort_by_key(|g| g.address);
    g
}

/// The pool's side of a report, until the oracle exists: ALICE moves `shares` of hers to the
/// registry (as the pool would mint them), then the pool's address calls `onRewardsMinted`.
fn mint_rewards(s: &mut Suite, v: &Validators, shares: u64) -> Receipt {
    let r = v.mint_rewards(s, U256::from(shares));
    assert!(r.success, "onRewardsMinted: {:?}", r.status);
    r
}

fn exit(s: &mut Suite, v: &Validators, ids: &[u16], exited: &[u64]) -> Receipt {
    s.ok(
        ADMIN,
        v.registry,
        U256::ZERO,
        &R::updateExitedValidatorsCall {
            operatorIds: ids.iter().map(|&i| U256::from(i)).collect(),
            exited: exited.iter().map(|&e| U256::from(e)).collect(),
            hints: vec![U256::ZERO; ids.len()],
        },
    )
    .1
}

fn set_target(s: &mut Suite, v: &Validators, id: u16, limit: Option<u64>) {
    s.ok(
        ADMIN,
        v.registry,
        U256::ZERO,
        &R::setTargetLimitCall {
            operatorId: U256::from(id),
            enabled: limit.is_some(),
            limit: U256::from(limit.unwrap_or(0)),
        },
    );
}

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

// ---------------------------------------------------------------- onboarding

#[test]
fn operators_are_added_commit_keys_from_their_reward_address_and_are_vetted() {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, GUARDIANS, QUORUM);
    let (registry, pool) = (v.registry, s.pool);
    assert_eq!(s.view(registry, &R::poolCall {})._0, pool);
    assert_eq!(s.view(registry, &R::depositTargetCall {})._0, v.target);
    assert_eq!(s.view(registry, &R::extensionCall {})._0, v.extension);
    assert_eq!(s.view(registry, &R::accessManagerCall {})._0, s.manager);
    let guardians: Vec<Address> = v.guardians.iter().map(|g| g.address).collect();
    assert_eq!(s.view(registry, &R::getGuardiansCall {})._0, guardians);
    assert_eq!(s.view(registry, &R::getGuardianQuorumCall {})._0, U256::from(QUORUM));
    let mut credentials = [0u8; 32];
    credentials[0] = 0x01;
    credentials[12..].copy_from_slice(pool.as_slice());
    assert_eq!(s.view(registry, &R::withdrawalCredentialsCall {})._0, B256::from(credentials));

    // Adding is governance's.
    let add = |name: &str, reward: Address| R::addOperatorCall {
        name: name.into(),
        rewardAddress: reward,
    };
    let e: R::AccessDenied = refused_admin(&mut s, &v, BOB, &add("Mallory", BOB));
    assert_eq!((e.caller, e.role), (BOB, OPERATOR_MANAGER_ROLE));
    let e: R::InvalidOperatorName = refused_admin(&mut s, &v, ADMIN, &add("", BOB));
    assert_eq!(e.length, U256::ZERO);
    let e: R::InvalidOperatorName = refused_admin(&mut s, &v, ADMIN, &add(&"x".repeat(65), BOB));
    assert_eq!(e.length, U256::from(65));
    let _: R::InvalidAddress = refused_admin(&mut s, &v, ADMIN, &add("Zero", Address::ZERO));

    let (id, r) = s.ok(ADMIN, registry, U256::ZERO, &add("Operator One", reward_address(1)));
    assert_eq!(id._0, U256::from(1));
    assert_eq!(
        events_from::<R::OperatorAdded>(&r, registry),
        vec![R::OperatorAdded {
            operatorId: U256::from(1),
            name: "Operator One".into(),
            rewardAddress: reward_address(1),
        }]
    );
    assert_eq!(s.view(registry, &R::getOperatorsCountCall {})._0, U256::from(1));
    assert_eq!(
        s.view(registry, &R::getOperatorNameCall { operatorId: U256::from(1) })._0,
        "Operator One"
    );
    assert_eq!(v.operator(&mut s, 1), (true, reward_address(1), 0, 0, 0, 0, U256::MAX, 0));
    assert!(queue(&mut s, &v).is_empty(), "no vetted key: not in the allocation list");
    let _: R::OperatorNotFound = refused_admin(
        &mut s,
        &v,
        ADMIN,
        &R::setVettedLimitCall { operatorId: U256::from(2), vetted: U256::ZERO },
    );

    // Keys: from the reward address (or the manager role), never from a stranger.
    let n0 = nonce(&mut s, &v);
    let r = v.commit(&mut s, 1, 3);
    let root = v.batches[0].root();
    assert_eq!(
        events_from::<R::KeysCommitted>(&r, registry),
        vec![R::KeysCommitted {
            operatorId: U256::from(1),
            batch: U256::ZERO,
            firstIndex: U256::ZERO,
            count: U256::from(3),
            root,
        }]
    );
    assert_eq!(
        events_from::<R::NonceChanged>(&r, registry),
        vec![R::NonceChanged { nonce: U256::from(n0 + 1) }]
    );
    assert_eq!(v.operator(&mut s, 1), (true, reward_address(1), 0, 0, 0, 3, U256::MAX, 1));
    let next = KeyBatch::new(1, 1, 3, 2);
    let commit = R::commitKeysCall {
        operatorId: U256::from(1),
        pubkeys: next.pubkeys_bytes().into(),
        signatures: next.signatures_bytes().into(),
    };
    let e: R::NotOperatorManager = refused_admin(&mut s, &v, BOB, &commit);
    assert_eq!(e, R::NotOperatorManager { caller: BOB, operatorId: U256::from(1) });
    let r = s.ok(ADMIN, registry, U256::ZERO, &commit).1;
    assert_eq!(
        events_from::<R::KeysCommitted>(&r, registry),
        vec![R::KeysCommitted {
            operatorId: U256::from(1),
            batch: U256::from(1),
            firstIndex: U256::from(3),
            count: U256::from(2),
            root: next.root(),
        }]
    );
    v.batches.push(next);
    let bad = |pubkeys: usize, signatures: usize| R::commitKeysCall {
        operatorId: U256::from(1),
        pubkeys: vec![7u8; pubkeys].into(),
        signatures: vec![9u8; signatures].into(),
    };
    for (p, sig) in [(0, 0), (96, 96), (48, 95), (47, 96), (48 * 1025, 96 * 1025)] {
        let e: R::InvalidKeysData = refused_admin(&mut s, &v, reward_address(1), &bad(p, sig));
        assert_eq!((e.pubkeysLength, e.signaturesLength), (U256::from(p), U256::from(sig)));
    }

    // Vetting: the limits role, between deposited and submitted.
    let vet = |n: u64| R::setVettedLimitCall { operatorId: U256::from(1), vetted: U256::from(n) };
    let e: R::AccessDenied = refused_admin(&mut s, &v, reward_address(1), &vet(4));
    assert_eq!(e.role, OPERATOR_LIMITS_ROLE, "an operator cannot vet its own keys");
    let e: R::InvalidVettedLimit = refused_admin(&mut s, &v, ADMIN, &vet(6));
    assert_eq!(
        e,
        R::InvalidVettedLimit {
            operatorId: U256::from(1),
            limit: U256::from(6),
            deposited: U256::ZERO,
            submitted: U256::from(5),
        }
    );
    let n1 = nonce(&mut s, &v);
    let r = v.vet(&mut s, 1, 4);
    assert_eq!(
        events_from::<R::VettedLimitSet>(&r, registry),
        vec![R::VettedLimitSet { operatorId: U256::from(1), vetted: U256::from(4) }]
    );
    assert_eq!(
        events_from::<R::NonceChanged>(&r, registry),
        vec![R::NonceChanged { nonce: U256::from(n1 + 1) }]
    );
    assert_eq!(v.operator(&mut s, 1).4, 4);
    assert_eq!(queue(&mut s, &v), vec![1]);
    assert_eq!(planned(&mut s, &v, 10), vec![(1, 0), (1, 1), (1, 2), (1, 3)]);

    // Deactivation takes it out of the list (no nonce change), activation puts it back.
    let active = |on: bool| R::setOperatorActiveCall { operatorId: U256::from(1), active: on };
    let e: R::AccessDenied = refused_admin(&mut s, &v, reward_address(1), &active(false));
    assert_eq!(e.role, OPERATOR_MANAGER_ROLE);
    let r = s.ok(ADMIN, registry, U256::ZERO, &active(false)).1;
    assert_eq!(
        events_from::<R::OperatorActiveSet>(&r, registry),
        vec![R::OperatorActiveSet { operatorId: U256::from(1), active: false }]
    );
    assert!(queue(&mut s, &v).is_empty());
    assert!(planned(&mut s, &v, 1).is_empty());
    let e: R::OperatorActiveUnchanged = refused_admin(&mut s, &v, ADMIN, &active(false));
    assert_eq!(e, R::OperatorActiveUnchanged { operatorId: U256::from(1), active: false });
    s.ok(ADMIN, registry, U256::ZERO, &active(true));
    assert_eq!(queue(&mut s, &v), vec![1]);

    // The operator moves its reward address; the old one loses its say.
    let r = s
        .ok(
            reward_address(1),
            registry,
            U256::ZERO,
            &R::setRewardAddressCall { operatorId: U256::from(1), rewardAddress: CAROL },
        )
        .1;
    assert_eq!(
        events_from::<R::OperatorRewardAddressSet>(&r, registry),
        vec![R::OperatorRewardAddressSet { operatorId: U256::from(1), rewardAddress: CAROL }]
    );
    let e: R::NotOperatorManager = refused_admin(&mut s, &v, reward_address(1), &commit);
    assert_eq!(e.caller, reward_address(1));
}

// ---------------------------------------------------------------- the deposit

#[test]
fn keys_committed_by_their_root_alone_are_vetted_and_deposited_like_published_ones() {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, GUARDIANS, QUORUM);
    let a = v.add_operator(&mut s, "Published");
    let b = v.add_operator(&mut s, "By root");
    v.commit(&mut s, a, 4);
    let r = v.commit_root(&mut s, b, 4);
    // The same event either way; only the root and the count travel.
    let committed = events_from::<R::KeysCommitted>(&r, v.registry);
    assert_eq!(committed.len(), 1);
    assert_eq!(
        (committed[0].operatorId, committed[0].count, committed[0].root),
        (U256::from(b), U256::from(4), v.batch_of(b, 0).expect("booked").root())
    );
    // A count out of 1..=1024 is refused, with nothing changed.
    for count in [U256::ZERO, U256::from(1_025)] {
        let call = R::commitKeyRootCall { operatorId: U256::from(b), root: B256::ZERO, count };
        let e: R::InvalidKeyCount =
            refused(&mut s, &v, reward_address(b), v.registry, U256::ZERO, &call);
        assert_eq!(e.count, count);
    }
    v.vet(&mut s, a, 4);
    v.vet(&mut s, b, 4);
    s.deposit(ALICE, ether(1_000));
    let r = v.deposit(&mut s, 8);
    ok(&r);
    let mut used = deposited(&r, &v);
    used.sort_unstable();
    let expected: Vec<(u16, u32)> =
        [a, b].iter().flat_map(|&id| (0..4).map(move |i| (id, i))).collect();
    assert_eq!(used, expected);
    assert_eq!(events_from::<IDepositContract::DepositEvent>(&r, v.target).len(), 8);
    assert_eq!(s.vm.balance(v.target), ether(8 * 32));
}

#[test]
fn a_guarded_deposit_moves_buffered_ether_to_validators_paying_the_pool() {
    let (mut s, v) = setup(3, 5);
    let pool = s.pool;
    let before = snapshot(&mut s, &v);
    let count_before = s.view(v.target, &IDepositContract::get_deposit_countCall {})._0;
    assert_eq!(count_before.as_ref(), &0u64.to_le_bytes());

    let r = v.deposit(&mut s, 4);
    ok(&r);

    // Ether: 128 from the pool's buffer to the deposit contract; the registry keeps none.
    assert_eq!(s.vm.balance(v.target), ether(128));
    assert_eq!(s.vm.balance(pool), before.pool_balance - ether(128));
    assert_eq!(s.vm.balance(v.registry), U256::ZERO);
    assert_eq!(buffered(&mut s), before.buffered - ether(128));
    assert_eq!(
        s.view(pool, &IStakingPool::getTotalPooledEtherCall {})._0,
        before.pooled,
        "a deposit moves ether, it does not create or lose any"
    );
    let beacon = s.view(pool, &IStakingPool::getBeaconStatCall {});
    assert_eq!((beacon._0, beacon._1, beacon._2), (U256::from(4), U256::ZERO, U256::ZERO));
    assert_eq!(
        events_from::<Unbuffered>(&r, pool),
        vec![Unbuffered { amount: ether(128), depositedValidators: U256::from(4) }]
    );

    // The deposits: min-first, ties by id; each key with the pool's 0x01 credentials.
    let expected = vec![(1u16, 0u32), (2, 0), (3, 0), (1, 1)];
    assert_eq!(deposited(&r, &v), expected);
    let keys = events_from::<R::KeysDeposited>(&r, v.registry);
    let mut packed = Vec::new();
    for &(id, index) in &expected {
        packed.extend_from_slice(&id.to_be_bytes());
        packed.extend_from_slice(&index.to_be_bytes());
    }
    assert_eq!(keys[0].allocation, Bytes::from(packed));
    assert_eq!(keys[0].count, U256::from(4));
    let mut credentials = vec![0x01];
    credentials.extend_from_slice(&[0u8; 11]);
    credentials.extend_from_slice(pool.as_slice());
    assert_eq!(credentials, withdrawal_credentials(pool).to_vec());
    let events = events_from::<IDepositContract::DepositEvent>(&r, v.target);
    assert_eq!(events.len(), 4);
    for (i, (e, &(id, index))) in events.iter().zip(&expected).enumerate() {
        let batch = v.batch_of(id, index).expect("committed");
        let k = (index - batch.start) as usize;
        assert_eq!(e.pubkey.as_ref(), &batch.pubkeys[k][..], "deposit {i}");
        assert_eq!(e.withdrawal_credentials.as_ref(), &credentials[..]);
        assert_eq!(e.amount.as_ref(), &DEPOSIT_GWEI.to_le_bytes());
        assert_eq!(e.signature.as_ref(), &batch.signatures[k][..]);
        assert_eq!(e.index.as_ref(), &(i as u64).to_le_bytes());
    }
    let count_after = s.view(v.target, &IDepositContract::get_deposit_countCall {})._0;
    assert_eq!(count_after.as_ref(), &4u64.to_le_bytes());
    assert_ne!(deposit_root(&mut s, &v), before.deposit_root);

    // The registry: nonce bumped once, counters, the list.
    assert_eq!(
        events_from::<R::NonceChanged>(&r, v.registry),
        vec![R::NonceChanged { nonce: U256::from(before.nonce + 1) }]
    );
    assert_eq!(nonce(&mut s, &v), before.nonce + 1);
    let counts: Vec<(u64, u64, u64, u64)> = (1..=3)
        .map(|id| {
            let o = v.operator(&mut s, id);
            (o.2, o.3, o.4, o.5)
        })
        .collect();
    assert_eq!(counts, vec![(2, 0, 5, 5), (1, 0, 5, 5), (1, 0, 5, 5)]);
    assert_eq!(total_active(&mut s, &v), 4);
    assert_eq!(queue(&mut s, &v), vec![2, 3, 1]);
}

#[test]
fn every_deposit_goes_min_first_within_vetted_and_target_limits_as_predicted() {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, GUARDIANS, QUORUM);
    s.deposit(ALICE, ether(10_000));
    let vetted = [8u32, 14, 10, 15, 12];
    for (i, &n) in vetted.iter().enumerate() {
        let id = v.add_operator(&mut s, &format!("Operator {i}"));
        v.commit(&mut s, id, 15);
        v.vet(&mut s, id, n);
    }
    set_target(&mut s, &v, 4, Some(7));
    let mut rng = 0x2545_f491_4f6c_dd1d_u64;
    let mut deposits = 0;
    loop {
        if deposits == 12 {
            // A target reached mid-way: operator 2 gets nothing more.
            let active = v.operator(&mut s, 2).2;
            set_target(&mut s, &v, 2, Some(active));
        }
        let count = 1 + (xorshift(&mut rng) % 3) as usize;
        let plan = planned(&mut s, &v, count);
        assert_eq!(plan, model_allocation(&mut s, &v, count), "the view follows the rule");
        let before = snapshot(&mut s, &v);
        if plan.len() < count {
            let data = v.deposit_data(&mut s, count);
            let e: R::NotEnoughDepositableKeys = refused_deposit(&mut s, &v, count as u64, data);
            assert_eq!(
                e,
                R::NotEnoughDepositableKeys {
                    requested: U256::from(count),
                    available: U256::from(plan.len())
                }
            );
            if plan.is_empty() {
                break;
            }
            continue;
        }
        let r = v.deposit(&mut s, count);
        ok(&r);
        assert_eq!(deposited(&r, &v), plan, "deposit {deposits} as predicted");
        deposits += 1;
        let after = snapshot(&mut s, &v);
        for (i, o) in after.operators.iter().enumerate() {
            let (deposited, exited, vetted, target) = (o.2, o.3, o.4, o.6);
            assert!(deposited <= vetted, "operator {} beyond its vetted limit", i + 1);
            let was = before.operators[i].2 - before.operators[i].3;
            if deposited - exited > was {
                assert!(U256::from(deposited - exited) <= target, "operator {} over target", i + 1);
            }
        }
        assert_eq!(after.total_active, before.total_active + count as u64);
        assert_eq!(after.pooled, before.pooled);
        assert_eq!(after.buffered, before.buffered - ether(32 * count as u64));
        assert_eq!(after.target_balance, before.target_balance + ether(32 * count as u64));
    }
    assert!(deposits >= 20, "{deposits} deposits");
    // Every vetted key under the targets went, and not one more.
    let ops: Vec<u64> = (1..=5).map(|id| v.operator(&mut s, id).2).collect();
    assert_eq!(ops[0], 8);
    assert_eq!(ops[2], 10);
    assert_eq!(ops[3], 7, "operator 4 stops at its target of 7");
    assert_eq!(ops[4], 12);
    assert!(ops[1] < 14, "operator 2 stopped at the target set mid-way");
}

#[test]
fn a_deposit_costs_the_same_with_a_thousand_operators_as_with_ten() {
    let run = |operators: u16| {
        let (mut s, v) = setup(operators, 2);
        let r = v.deposit(&mut s, 10);
        ok(&r);
        (r.gas_used, deposited(&r, &v))
    };
    let (ten, first) = run(10);
    let (thousand, second) = run(1_000);
    let expected: Vec<(u16, u32)> = (1..=10).map(|id| (id, 0)).collect();
    assert_eq!(first, expected);
    assert_eq!(second, expected);
    assert!(
        thousand.abs_diff(ten) * 10 <= ten,
        "10 operators: {ten} gas, 1,000 operators: {thousand} gas"
    );
}

// ---------------------------------------------------------------- refusals: the pool

#[test]
fn a_caller_without_the_deposit_role_is_refused_by_the_pool() {
    let (mut s, v) = setup(2, 2);
    let pool = s.pool;
    let data = v.deposit_data(&mut s, 1);
    for who in [BOB, reward_address(1), v.guardians[0].address] {
        let e: AccessDenied =
            refused(&mut s, &v, who, pool, U256::ZERO, &deposit_call(1, data.clone()));
        assert_eq!((e.caller, e.role), (who, DEPOSIT_ROLE));
    }
    ok(&send_deposit(&mut s, 1, data));
}

#[test]
fn only_buffered_ether_beyond_unfinalized_withdrawals_is_depositable() {
    let (mut s, v) = setup_with(3, 2, 100);
    let all = buffered(&mut s);
    assert_eq!(all, ether(100) + U256::from(protocol_tests::deploy::BOOTSTRAP));
    let data = v.deposit_data(&mut s, 0);
    let e: NotEnoughDepositableEther = refused_deposit(&mut s, &v, 0, data);
    assert_eq!(e, NotEnoughDepositableEther { requested: U256::ZERO, depositable: all });
    let data = v.deposit_data(&mut s, 4);
    let e: NotEnoughDepositableEther = refused_deposit(&mut s, &v, 4, data);
    assert_eq!(e, NotEnoughDepositableEther { requested: ether(128), depositable: all });

    // A withdrawal request keeps its ether in the buffer.
    s.request_withdrawals(ALICE, &[ether(40)]);
    let queue_address = s.queue;
    let reserved = s.view(queue_address, &IWithdrawalQueue::unfinalizedStETHCall {})._0;
    assert_eq!(reserved, ether(40));
    assert_eq!(buffered(&mut s), all, "requesting moves shares, not buffered ether");
    let data = v.deposit_data(&mut s, 2);
    let e: NotEnoughDepositableEther = refused_deposit(&mut s, &v, 2, data);
    assert_eq!(e, NotEnoughDepositableEther { requested: ether(64), depositable: all - reserved });

    // What is left over is depositable.
    ok(&v.deposit(&mut s, 1));
    assert_eq!(buffered(&mut s), all - ether(32));
    let data = v.deposit_data(&mut s, 1);
    let e: NotEnoughDepositableEther = refused_deposit(&mut s, &v, 1, data);
    assert_eq!(
        e,
        NotEnoughDepositableEther { requested: ether(32), depositable: all - ether(32) - reserved }
    );
}

#[test]
fn a_count_whose_ether_overflows_is_refused_with_nothing_changed() {
    let (mut s, v) = setup(1, 1);
    // The smallest count whose ether does not fit in 128 bits: wrapped, it is below 32 ether.
    let n = (u128::MAX / DEPOSIT_WEI + 1) as u64;
    let data = v.deposit_data(&mut s, 1);
    let before = snapshot(&mut s, &v);
    let r = send_deposit(&mut s, n, data);
    assert!(!r.success);
    assert_eq!(snapshot(&mut s, &v), before);
}

#[test]
fn a_count_whose_ether_overflows_is_not_depositable() {
    let (mut s, v) = setup(1, 1);
    let n = (u128::MAX / DEPOSIT_WEI + 1) as u64;
    let all = buffered(&mut s);
    let data = v.deposit_data(&mut s, 1);
    let e: NotEnoughDepositableEther = refused_deposit(&mut s, &v, n, data);
    assert_eq!(
        e,
        NotEnoughDepositableEther {
            requested: U256::from(n) * U256::from(DEPOSIT_WEI),
            depositable: all
        }
    );
}

#[test]
fn a_pool_without_its_protocol_contracts_refuses_deposits() {
    let mut s = Suite::deploy();
    let (pool, manager) = (s.pool, s.manager);
    s.ok(
        ADMIN,
        manager,
        U256::ZERO,
        &IAccessManager::grantRoleCall { role: DEPOSIT_ROLE, account: ADMIN },
    );
    s.deposit(ALICE, ether(100));
    let (all, balance) = (buffered(&mut s), s.vm.balance(pool));
    let _: ProtocolContractsNotSet =
        s.revert(ADMIN, pool, U256::ZERO, &deposit_call(1, vec![0u8; 200]));
    assert_eq!((buffered(&mut s), s.vm.balance(pool)), (all, balance));
    let beacon = s.view(pool, &IStakingPool::getBeaconStatCall {});
    assert_eq!(beacon._0, U256::ZERO);

    // Naming them is governance's.
    let e: AccessDenied = s.revert(
        BOB,
        pool,
        U256::ZERO,
        &IStakingPool::setProtocolContractsCall { withdrawalQueue: BOB, nodeOperatorRegistry: BOB },
    );
    assert_eq!((e.caller, e.role), (BOB, DEFAULT_ADMIN_ROLE));
}

#[test]
fn a_paused_token_stops_validator_deposits_until_resumed() {
    let (mut s, v) = setup(2, 2);
    let pool = s.pool;
    let data = v.deposit_data(&mut s, 1);
    s.ok(ADMIN, pool, U256::ZERO, &IStakingPool::pauseTokenCall {});
    let _: TokenIsPaused = refused_deposit(&mut s, &v, 1, data.clone());
    s.ok(ADMIN, pool, U256::ZERO, &IStakingPool::resumeTokenCall {});
    ok(&send_deposit(&mut s, 1, data));
}

// ---------------------------------------------------------------- refusals: the registry

#[test]
fn only_the_pool_may_call_deposit_keys_and_no_call_takes_ether() {
    let (mut s, v) = setup(2, 2);
    let pool = s.pool;
    let data = v.deposit_data(&mut s, 1);
    let call =
        |count: u64| R::depositKeysCall { count: U256::from(count), data: data.clone().into() };
    // Valid data, but not through the pool (whose accounting it would skip).
    for who in [BOB, ADMIN, reward_address(1)] {
        let e: R::NotPool = refused(&mut s, &v, who, v.registry, U256::ZERO, &call(1));
        assert_eq!(e, R::NotPool { caller: who });
    }
    // From the pool's own address, a count of zero.
    let e: R::InvalidDepositData = refused(&mut s, &v, pool, v.registry, U256::ZERO, &call(0));
    assert_eq!(e, R::InvalidDepositData {});
    // Ether sent with any call, `depositKeys` included, is refused (empty revert data): the
    // pool sends the deposits' ether to the deposit target itself.
    let before = snapshot(&mut s, &v);
    for r in [
        s.send(pool, v.registry, ether(32), &call(1)),
        s.send(pool, v.registry, U256::from(1), &R::onRewardsMintedCall { shares: U256::ZERO }),
    ] {
        assert!(!r.success && r.output.is_empty());
    }
    assert_eq!(snapshot(&mut s, &v), before);
}

/// `g`'s signature of the registry's pause message for `block`.
fn pause_intent(s: &mut Suite, registry: Address, g: &Guardian, block: u64) -> [u8; 65] {
    let digest = s.view(registry, &R::pauseMessageHashCall { blockNumber: U256::from(block) })._0;
    g.sign(digest)
}

/// `pauseDeposits(block, sig)`.
fn pause(block: u64, sig: &[u8]) -> R::pauseDepositsCall {
    R::pauseDepositsCall { blockNumber: U256::from(block), signature: sig.to_vec().into() }
}

#[test]
fn a_guardians_signed_pause_stops_deposits_until_security_resumes_them() {
    let (mut s, v) = setup(2, 3);
    let registry = v.registry;
    let current = 20_000u64;
    s.vm.set_block_number(current);
    let intent = |s: &mut Suite, g: &Guardian, block: u64| pause_intent(s, registry, g, block);

    // Intents from the future or older than 7,200 blocks are stale.
    for block in [current + 1, current - 7_201, 0] {
        let sig = intent(&mut s, &v.guardians[2], block);
        let e: R::StalePauseIntent = refused_admin(&mut s, &v, BOB, &pause(block, &sig));
        assert_eq!(
            e,
            R::StalePauseIntent { blockNumber: U256::from(block), current: U256::from(current) }
        );
    }
    // Someone else's signature, a guardian's over another block, no signature from a stranger.
    let stranger = protocol_tests::validators::guardian(100);
    let sig = intent(&mut s, &stranger, current);
    let e: R::NotGuardian = refused_admin(&mut s, &v, BOB, &pause(current, &sig));
    assert_eq!(e, R::NotGuardian { account: stranger.address });
    let sig = intent(&mut s, &v.guardians[2], current - 1);
    let e: R::NotGuardian = refused_admin(&mut s, &v, BOB, &pause(current, &sig));
    assert!(v.guardians.iter().all(|g| g.address != e.account));
    let e: R::NotGuardian = refused_admin(&mut s, &v, BOB, &pause(current, &[]));
    assert_eq!(e, R::NotGuardian { account: BOB });
    let mut high_v = intent(&mut s, &v.guardians[2], current);
    high_v[64] = 29;
    let e: R::NotGuardian = refused_admin(&mut s, &v, BOB, &pause(current, &high_v));
    assert_eq!(e, R::NotGuardian { account: Address::ZERO });

    // BOB relays guardian 2's intent of 7,200 blocks ago, the oldest still valid.
    let data = v.deposit_data(&mut s, 1);
    let sig = intent(&mut s, &v.guardians[2], current - 7_200);
    let r = s.ok(BOB, registry, U256::ZERO, &pause(current - 7_200, &sig)).1;
    assert_eq!(
        events_from::<R::DepositsPaused>(&r, registry),
        vec![R::DepositsPaused { guardian: v.guardians[2].address }]
    );
    assert!(s.view(registry, &R::isDepositsPausedCall {})._0);
    let _: R::DepositsArePaused = refused_admin(&mut s, &v, BOB, &pause(current - 7_200, &sig));
    let _: R::DepositsArePaused = refused_deposit(&mut s, &v, 1, data.clone());

    // Only the security role resumes.
    let e: R::AccessDenied =
        refused_admin(&mut s, &v, v.guardians[2].address, &R::resumeDepositsCall {});
    assert_eq!(e.role, DEPOSIT_SECURITY_ROLE);
    let r = s.ok(ADMIN, registry, U256::ZERO, &R::resumeDepositsCall {}).1;
    assert_eq!(
        events_from::<R::DepositsResumed>(&r, registry),
        vec![R::DepositsResumed { by: ADMIN }]
    );
    let _: R::DepositsNotPaused = refused_admin(&mut s, &v, ADMIN, &R::resumeDepositsCall {});
    // The attestation made before the pause still holds (nothing it signs changed).
    ok(&send_deposit(&mut s, 1, data));

    // A guardian may also pause by itself, without a signature.
    let g = v.guardians[4].address;
    let r = s.ok(g, registry, U256::ZERO, &pause(0, &[])).1;
    assert_eq!(
        events_from::<R::DepositsPaused>(&r, registry),
        vec![R::DepositsPaused { guardian: g }]
    );
    let data = v.deposit_data(&mut s, 1);
    let _: R::DepositsArePaused = refused_deposit(&mut s, &v, 1, data);
}

/// Issue 13, point 2: a relayed pause signature used to pause deposits again after governance
/// resumed them, for as long as its block was fresh. The resume records its block; a signed
/// pause must name a later one.
#[test]
fn a_relayed_pause_signature_pauses_once_and_its_replay_after_the_resume_is_refused() {
    let (mut s, v) = setup(2, 3);
    let registry = v.registry;
    let current = 20_000u64;
    s.vm.set_block_number(current);
    let intent = |s: &mut Suite, g: &Guardian, block: u64| pause_intent(s, registry, g, block);
    // Anyone relays guardian 1's pause; governance resumes.
    let sig = intent(&mut s, &v.guardians[1], current - 10);
    let r = s.ok(BOB, registry, U256::ZERO, &pause(current - 10, &sig)).1;
    assert_eq!(
        events_from::<R::DepositsPaused>(&r, registry),
        vec![R::DepositsPaused { guardian: v.guardians[1].address }]
    );
    s.ok(ADMIN, registry, U256::ZERO, &R::resumeDepositsCall {});
    assert!(!s.view(registry, &R::isDepositsPausedCall {})._0);

    // Ten blocks later the same signature, fresh as it still is, is refused: nothing changes.
    s.vm.set_block_number(current + 10);
    for relayer in [BOB, CAROL] {
        let e: R::PauseIntentBeforeResume =
            refused_admin(&mut s, &v, relayer, &pause(current - 10, &sig));
        assert_eq!(
            e,
            R::PauseIntentBeforeResume {
                blockNumber: U256::from(current - 10),
                resumedAt: U256::from(current),
            }
        );
    }
    // So is one the guardian signed for the resume's own block (it may predate the resume).
    let same = intent(&mut s, &v.guardians[1], current);
    let e: R::PauseIntentBeforeResume = refused_admin(&mut s, &v, BOB, &pause(current, &same));
    assert_eq!(e.resumedAt, U256::from(current));
    assert!(!s.view(registry, &R::isDepositsPausedCall {})._0, "deposits stay unpaused");
    let data = v.deposit_data(&mut s, 1);
    ok(&send_deposit(&mut s, 1, data));

    // A fresh signature for a block after the resume pauses.
    let fresh = intent(&mut s, &v.guardians[1], current + 5);
    let r = s.ok(CAROL, registry, U256::ZERO, &pause(current + 5, &fresh)).1;
    assert_eq!(
        events_from::<R::DepositsPaused>(&r, registry),
        vec![R::DepositsPaused { guardian: v.guardians[1].address }]
    );
    assert!(s.view(registry, &R::isDepositsPausedCall {})._0);
}

#[test]
fn a_key_change_between_attestation_and_deposit_makes_the_attestation_stale() {
    let (mut s, mut v) = setup(2, 2);
    let n = nonce(&mut s, &v);
    let data = v.deposit_data(&mut s, 2);
    v.commit(&mut s, 2, 1);
    let e: R::StaleNonce = refused_deposit(&mut s, &v, 2, data);
    assert_eq!(e, R::StaleNonce { attested: U256::from(n), current: U256::from(n + 1) });
    let data = v.deposit_data(&mut s, 2);
    v.vet(&mut s, 2, 3);
    let e: R::StaleNonce = refused_deposit(&mut s, &v, 2, data);
    assert_eq!(e, R::StaleNonce { attested: U256::from(n + 1), current: U256::from(n + 2) });
    let data = v.deposit_data(&mut s, 2);
    ok(&v.deposit(&mut s, 1));
    let e: R::StaleNonce = refused_deposit(&mut s, &v, 2, data);
    assert_eq!(e, R::StaleNonce { attested: U256::from(n + 2), current: U256::from(n + 3) });
    ok(&v.deposit(&mut s, 2));
}

#[test]
fn an_operator_front_running_its_key_with_its_own_credentials_makes_the_root_stale() {
    let (mut s, v) = setup(2, 2);
    let data = v.deposit_data(&mut s, 1);
    assert_eq!(planned(&mut s, &v, 1), vec![(1, 0)]);
    let attested = deposit_root(&mut s, &v);

    // Operator 1 deposits the very key first, with withdrawal credentials of its own.
    let batch = v.batch_of(1, 0).expect("committed").clone();
    let own = withdrawal_credentials(reward_address(1));
    let root = deposit_data_root(&batch.pubkeys[0], &own, DEPOSIT_GWEI, &batch.signatures[0]);
    s.vm.set_balance(reward_address(1), ether(32));
    s.ok(
        reward_address(1),
        v.target,
        ether(32),
        &IDepositContract::depositCall {
            pubkey: batch.pubkeys[0].to_vec().into(),
            withdrawal_credentials: own.to_vec().into(),
            signature: batch.signatures[0].to_vec().into(),
            deposit_data_root: B256::from(root),
        },
    );
    let current = deposit_root(&mut s, &v);
    assert_ne!(current, attested);

    // The protocol's deposit of the same key, attested before, no longer goes through.
    let e: R::StaleDepositRoot = refused_deposit(&mut s, &v, 1, data);
    assert_eq!(e, R::StaleDepositRoot { attested, current });
    // Guardians who see the key taken sign nothing more and pause.
    s.ok(
        v.guardians[0].address,
        v.registry,
        U256::ZERO,
        &R::pauseDepositsCall { blockNumber: U256::ZERO, signature: Bytes::new() },
    );
    let data = v.deposit_data(&mut s, 1);
    let _: R::DepositsArePaused = refused_deposit(&mut s, &v, 1, data);
}

#[test]
fn an_attestation_names_one_of_the_last_256_blocks_by_its_hash() {
    let (mut s, v) = setup(2, 2);
    s.vm.set_block_number(1_000);
    let keys = v.keys_data(&mut s, 1);
    let (_, _, root, n) = v.attested(&mut s);
    let signed = |s: &mut Suite, block: u64, hash: B256| {
        let digest = v.attest_digest(s, block, hash, root, n);
        let mut data = header(block, hash, root, n, &sign_all(&sorted(&v)[..QUORUM], digest));
        data.extend_from_slice(&keys);
        data
    };
    let block_hash = stylus_vm::precompiles::block_hash;
    // A wrong hash, a zero hash, the current block's and a future block's, each signed by a
    // quorum all the same.
    for (block, hash) in [
        (999, B256::repeat_byte(0x42)),
        (999, block_hash(998)),
        (999, B256::ZERO),
        (1_000, block_hash(1_000)),
        (1_001, block_hash(1_001)),
        (742, block_hash(742)),
    ] {
        let data = signed(&mut s, block, hash);
        let e: R::InvalidBlockHash = refused_deposit(&mut s, &v, 1, data);
        assert_eq!(e, R::InvalidBlockHash { blockNumber: U256::from(block), blockHash: hash });
    }
    // An attestation of block 999 is refused once it is more than 256 blocks old...
    let data = signed(&mut s, 999, block_hash(999));
    s.vm.set_block_number(999 + 257);
    let e: R::InvalidBlockHash = refused_deposit(&mut s, &v, 1, data.clone());
    assert_eq!(e.blockNumber, U256::from(999));
    // ...and still good at the last block that knows its hash.
    s.vm.set_block_number(999 + 256);
    ok(&send_deposit(&mut s, 1, data));
}

/// The high-`s` twin of a signature: `s' = n - s`, the other `v`. It recovers the same signer.
fn malleate(sig: [u8; 65]) -> [u8; 65] {
    let s = U256::from_be_slice(&sig[32..64]);
    let mut out = sig;
    out[32..64].copy_from_slice(&(ORDER - s).to_be_bytes::<32>());
    out[64] = if sig[64] == 27 { 28 } else { 27 };
    out
}

/// The signer the `ecrecover` precompile itself finds (zero when none).
fn ecrecover(s: &mut Suite, digest: B256, sig: &[u8; 65]) -> Address {
    let mut input = [0u8; 128];
    input[..32].copy_from_slice(digest.as_slice());
    input[63] = sig[64];
    input[64..].copy_from_slice(&sig[..64]);
    let r = s.vm.static_call(ALICE, Address::with_last_byte(1), &input);
    assert!(r.success);
    if r.output.len() == 32 {
        Address::from_slice(&r.output[12..])
    } else {
        Address::ZERO
    }
}

#[test]
fn a_deposit_needs_a_quorum_of_distinct_guardians_signing_in_ascending_order() {
    let (mut s, v) = setup(2, 2);
    let (block, hash, root, n) = v.attested(&mut s);
    let digest = v.attest_digest(&mut s, block, hash, root, n);
    let keys = v.keys_data(&mut s, 1);
    let data = |sigs: &[[u8; 65]]| [header(block, hash, root, n, sigs), keys.clone()].concat();
    let g = sorted(&v);

    for given in [0, 1, QUORUM - 1] {
        let e: R::NotEnoughGuardianSignatures =
            refused_deposit(&mut s, &v, 1, data(&sign_all(&g[..given], digest)));
        assert_eq!(
            e,
            R::NotEnoughGuardianSignatures { given: U256::from(given), quorum: U256::from(QUORUM) }
        );
    }
    let invalid = |s: &mut Suite, sigs: &[[u8; 65]]| {
        refused_deposit::<R::InvalidGuardianSignature>(s, &v, 1, data(sigs)).index
    };
    // A stranger among three guardians, wherever it sorts.
    let stranger = Guardian::new(1_000);
    let mut signers: Vec<&Guardian> = g[..3].to_vec();
    signers.push(&stranger);
    signers.sort_by_key(|g| g.address);
    let at = signers.iter().position(|g| g.address == stranger.address).expect("in");
    assert_eq!(invalid(&mut s, &sign_all(&signers, digest)), U256::from(at));
    // One guardian twice: a quorum of three.
    assert_eq!(invalid(&mut s, &sign_all(&[g[0], g[0], g[1], g[2]], digest)), U256::from(1));
    assert_eq!(invalid(&mut s, &sign_all(&[g[0], g[1], g[2], g[2]], digest)), U256::from(3));
    // Four distinct guardians out of order.
    assert_eq!(invalid(&mut s, &sign_all(&[g[1], g[0], g[2], g[3]], digest)), U256::from(1));
    assert_eq!(invalid(&mut s, &sign_all(&[g[0], g[1], g[3], g[2]], digest)), U256::from(3));
    // The high-s twin of a valid signature: ecrecover accepts it, the registry does not.
    let mut sigs = sign_all(&g[..QUORUM], digest);
    let twin = malleate(sigs[2]);
    assert_eq!(ecrecover(&mut s, digest, &twin), g[2].address);
    sigs[2] = twin;
    assert_eq!(invalid(&mut s, &sigs), U256::from(2));
    // A bad v: 29, or the bare recovery id.
    for bad_v in [29u8, 0, 1] {
        let mut sigs = sign_all(&g[..QUORUM], digest);
        sigs[0][64] = bad_v;
        assert_eq!(invalid(&mut s, &sigs), U256::ZERO);
    }
    // Signed for another chain: the digest binds the chain id.
    let chain = s.vm.chain_id();
    s.vm.set_chain_id(1);
    let elsewhere = v.attest_digest(&mut s, block, hash, root, n);
    s.vm.set_chain_id(chain);
    assert_ne!(elsewhere, digest);
    assert_eq!(invalid(&mut s, &sign_all(&g[..QUORUM], elsewhere)), U256::ZERO);
    // Signed over another nonce than the one in the header.
    let other = v.attest_digest(&mut s, block, hash, root, n + 1);
    assert_eq!(invalid(&mut s, &sign_all(&g[..QUORUM], other)), U256::ZERO);

    // A quorum works, and so do all six.
    ok(&send_deposit(&mut s, 1, data(&sign_all(&g, digest))));
}

#[test]
fn each_key_must_prove_against_its_operators_next_index() {
    let (mut s, mut v) = setup(0, 0);
    for (id, committed, vetted) in [(1u16, 4u32, 1u32), (2, 3, 3)] {
        assert_eq!(v.add_operator(&mut s, &format!("Operator {id}")), id);
        v.commit(&mut s, id, committed);
        v.vet(&mut s, id, vetted);
    }
    ok(&v.deposit(&mut s, 1));
    // Operator 1 has used its one vetted key: operator 2's key 0 is next.
    assert_eq!(planned(&mut s, &v, 3), vec![(2, 0), (2, 1), (2, 2)]);
    let (b1, b2) = (v.batch_of(1, 0).expect("").clone(), v.batch_of(2, 0).expect("").clone());
    let attestation = v.attestation(&mut s, QUORUM);
    let with = |entry: &[u8]| [&attestation[..], entry].concat();
    let expected = R::InvalidKeyProof { operatorId: U256::from(2), keyIndex: U256::ZERO };
    let right = b2.entry(0, 0);

    let mut tampered = Vec::new();
    // A wrong proof.
    let mut e = right.clone();
    e[AT_DEPTH + 1] ^= 1;
    tampered.push(e);
    // Another key under the right proof, a wrong signature.
    let mut e = right.clone();
    e[..48].copy_from_slice(&b1.pubkeys[1]);
    tampered.push(e);
    let mut e = right.clone();
    e[100] ^= 0x80;
    tampered.push(e);
    // Operator 1's committed key beyond its vetted limit, with its valid proof.
    tampered.push(b1.entry(1, 0));
    // Operator 2's key 1, skipping key 0.
    tampered.push(b2.entry(1, 0));
    // The batch's range misstated (the commitment binds it), a batch that does not exist,
    // a proof one level short.
    let mut e = right.clone();
    e[AT_END..AT_END + 4].copy_from_slice(&4u32.to_be_bytes());
    tampered.push(e);
    let mut e = right.clone();
    e[AT_START..AT_START + 4].copy_from_slice(&1u32.to_be_bytes());
    tampered.push(e);
    let mut e = right.clone();
    e[144..146].copy_from_slice(&1u16.to_be_bytes());
    tampered.push(e);
    let mut e = right.clone();
    e[AT_DEPTH] -= 1;
    e.truncate(e.len() - 32);
    tampered.push(e);
    for (i, entry) in tampered.iter().enumerate() {
        let e: R::InvalidKeyProof = refused_deposit(&mut s, &v, 1, with(entry));
        assert_eq!(e, expected, "tampered entry {i}");
    }
    let r = send_deposit(&mut s, 1, with(&right));
    ok(&r);
    assert_eq!(deposited(&r, &v), vec![(2, 0)]);
}

#[test]
fn a_deposit_of_more_keys_than_are_vetted_is_refused() {
    let (mut s, mut v) = setup(0, 0);
    for i in 0..3 {
        let id = v.add_operator(&mut s, &format!("Operator {i}"));
        v.commit(&mut s, id, 3);
        v.vet(&mut s, id, 2);
    }
    assert_eq!(planned(&mut s, &v, 7).len(), 6);
    let data = v.deposit_data(&mut s, 7);
    let e: R::NotEnoughDepositableKeys = refused_deposit(&mut s, &v, 7, data.clone());
    assert_eq!(
        e,
        R::NotEnoughDepositableKeys { requested: U256::from(7), available: U256::from(6) }
    );
    // A seventh entry with a committed but unvetted key changes nothing.
    let extra = v.batch_of(1, 2).expect("committed").entry(2, 0);
    let e: R::NotEnoughDepositableKeys =
        refused_deposit(&mut s, &v, 7, [&data[..], &extra[..]].concat());
    assert_eq!(e.available, U256::from(6));
    ok(&v.deposit(&mut s, 6));
    let data = v.deposit_data(&mut s, 1);
    let e: R::NotEnoughDepositableKeys = refused_deposit(&mut s, &v, 1, data);
    assert_eq!(e, R::NotEnoughDepositableKeys { requested: U256::from(1), available: U256::ZERO });
}

#[test]
fn deposit_data_with_bytes_missing_or_left_over_is_refused() {
    let (mut s, v) = setup(2, 2);
    let data = v.deposit_data(&mut s, 2);
    let attestation = v.attestation(&mut s, QUORUM);
    let third = v.batch_of(1, 1).expect("committed").entry(1, 0);
    let mut too_many_signatures = attestation.clone();
    too_many_signatures[8 + 32 + 32 + 8] = 200;
    too_many_signatures.extend_from_slice(&data[attestation.len()..]);
    for (what, bad) in [
        ("a trailing byte", [&data[..], &[0]].concat()),
        ("a trailing entry", [&data[..], &third[..]].concat()),
        ("a byte short", data[..data.len() - 1].to_vec()),
        ("one entry", data[..attestation.len() + (data.len() - attestation.len()) / 2].to_vec()),
        ("the header only", attestation.clone()),
        ("half a header", attestation[..40].to_vec()),
        ("nothing", Vec::new()),
        ("more signatures announced than given", too_many_signatures),
    ] {
        let before = snapshot(&mut s, &v);
        let r = send_deposit(&mut s, 2, bad);
        assert_eq!(r.output, Bytes::from(R::InvalidDepositData {}.abi_encode()), "{what}");
        assert!(!r.success, "{what}");
        assert_eq!(snapshot(&mut s, &v), before, "{what}");
    }
    ok(&send_deposit(&mut s, 2, data));
}

#[test]
fn a_wrong_hint_costs_gas_but_never_changes_the_order() {
    let (mut s1, v1) = setup(5, 3);
    let (mut s2, v2) = setup(5, 3);
    for round in 0..3 {
        let count = 4;
        let plan = planned(&mut s1, &v1, count);
        assert_eq!(plan, planned(&mut s2, &v2, count));
        let right = v1.deposit(&mut s1, count);
        ok(&right);

        // The same keys, each with a hint that names no operator, the operator itself, the
        // list's first or last operator: all wrong but one by chance.
        let first = queue(&mut s2, &v2)[0];
        let last = *queue(&mut s2, &v2).last().expect("non-empty");
        let good = hints(&mut s2, &v2, count);
        let mut data = v2.attestation(&mut s2, QUORUM);
        for (k, &(id, index)) in plan.iter().enumerate() {
            let wrong = [999, id, first, last, 0][(k + round) % 5];
            let hint = if wrong == good[k] { 999 } else { wrong };
            data.extend(v2.batch_of(id, index).expect("committed").entry(index, hint));
        }
        let wrong = send_deposit(&mut s2, count as u64, data);
        ok(&wrong);
        assert_eq!(deposited(&right, &v1), plan);
        assert_eq!(deposited(&wrong, &v2), plan);
        assert_eq!(queue(&mut s1, &v1), queue(&mut s2, &v2), "round {round}");
        let ops1: Vec<_> = (1..=5).map(|id| v1.operator(&mut s1, id)).collect();
        let ops2: Vec<_> = (1..=5).map(|id| v2.operator(&mut s2, id)).collect();
        assert_eq!(ops1, ops2);
        assert!(
            wrong.gas_used >= right.gas_used,
            "round {round}: wrong hints {} < right {}",
            wrong.gas_used,
            right.gas_used
        );
    }
}

#[test]
fn a_deposit_target_revert_reaches_the_depositor_unchanged() {
    let (mut s, v) = setup(2, 2);
    // The registry cannot send a wrong root; make the deposit contract refuse on its own: its
    // tree is full (deposit_count, slot 32, at 2^32 - 1).
    s.vm.set_storage(v.target, U256::from(32), B256::from(U256::from(u32::MAX)));
    let data = v.deposit_data(&mut s, 1);
    let before = snapshot(&mut s, &v);
    let r = send_deposit(&mut s, 1, data);
    assert!(!r.success);
    assert_eq!(
        r.output,
        Bytes::from(Revert::from("DepositContract: merkle tree full").abi_encode())
    );
    assert_eq!(snapshot(&mut s, &v), before);
}

// ---------------------------------------------------------------- keys removed, exits

#[test]
fn removed_keys_are_never_deposited_and_recommitted_ones_are() {
    let (mut s, mut v) = setup(0, 0);
    assert_eq!(v.add_operator(&mut s, "Operator 1"), 1);
    v.commit(&mut s, 1, 5);
    v.vet(&mut s, 1, 5);
    ok(&v.deposit(&mut s, 2));
    let old = v.batch_of(1, 0).expect("committed").clone();
    let remove = |from: u64, batch: u64, start: u64, end: u64| R::removeUnusedKeysCall {
        operatorId: U256::from(1),
        fromIndex: U256::from(from),
        batch: U256::from(batch),
        root: old.root(),
        start: U256::from(start),
        end: U256::from(end),
    };

    // Deposited keys stay; so do keys the operator never had.
    for from in [1u64, 5] {
        let e: R::InvalidKeyRemoval =
            refused_admin(&mut s, &v, reward_address(1), &remove(from, 0, 0, 5));
        assert_eq!(
            e,
            R::InvalidKeyRemoval {
                operatorId: U256::from(1),
                fromIndex: U256::from(from),
                deposited: U256::from(2),
                submitted: U256::from(5),
            }
        );
    }
    // The batch must be named as committed and hold the index.
    for (batch, start, end) in [(0, 0, 4), (0, 1, 5), (1, 0, 5), (0, 4, 5)] {
        let e: R::InvalidKeyBatch =
            refused_admin(&mut s, &v, reward_address(1), &remove(3, batch, start, end));
        assert_eq!(e, R::InvalidKeyBatch { operatorId: U256::from(1), batch: U256::from(batch) });
    }
    let e: R::NotOperatorManager = refused_admin(&mut s, &v, BOB, &remove(3, 0, 0, 5));
    assert_eq!(e.caller, BOB);

    let n = nonce(&mut s, &v);
    let r = v.remove_unused(&mut s, 1, 3);
    ok(&r);
    assert_eq!(
        events_from::<R::KeysRemoved>(&r, v.registry),
        vec![R::KeysRemoved { operatorId: U256::from(1), fromIndex: U256::from(3) }]
    );
    assert_eq!(
        events_from::<R::VettedLimitSet>(&r, v.registry),
        vec![R::VettedLimitSet { operatorId: U256::from(1), vetted: U256::from(3) }]
    );
    assert_eq!(nonce(&mut s, &v), n + 1);
    assert_eq!(v.operator(&mut s, 1), (true, reward_address(1), 2, 0, 3, 3, U256::MAX, 1));

    // New keys at indices 3 and 4 (other key material), vetted.
    let fresh = KeyBatch::new(1, 1, 3, 2).salted(0x5a);
    assert_ne!(fresh.pubkeys[0], old.pubkeys[3]);
    let r = v.commit_batch(&mut s, fresh.clone());
    ok(&r);
    assert_eq!(
        events_from::<R::KeysCommitted>(&r, v.registry)[0],
        R::KeysCommitted {
            operatorId: U256::from(1),
            batch: U256::from(1),
            firstIndex: U256::from(3),
            count: U256::from(2),
            root: fresh.root(),
        }
    );
    v.vet(&mut s, 1, 5);

    // The removed key 3 is refused: with its old proof and range, under the cut range, or
    // named as the new batch's.
    ok(&v.deposit(&mut s, 1));
    let attestation = v.attestation(&mut s, QUORUM);
    let stale = old.entry(3, 0);
    // Key 3 under the cut batch's range 0..3: outside it.
    let mut cut = stale.clone();
    cut[AT_END..AT_END + 4].copy_from_slice(&3u32.to_be_bytes());
    // The old key passed off as the new batch's (batch 1, keys 3..5).
    let mut renamed = stale.clone();
    renamed[144..146].copy_from_slice(&1u16.to_be_bytes());
    renamed[AT_START..AT_START + 4].copy_from_slice(&3u32.to_be_bytes());
    for entry in [stale, cut, renamed] {
        let e: R::InvalidKeyProof =
            refused_deposit(&mut s, &v, 1, [&attestation[..], &entry[..]].concat());
        assert_eq!(e, R::InvalidKeyProof { operatorId: U256::from(1), keyIndex: U256::from(3) });
    }
    // The new keys go.
    let r = v.deposit(&mut s, 2);
    ok(&r);
    assert_eq!(deposited(&r, &v), vec![(1, 3), (1, 4)]);
    let events = events_from::<IDepositContract::DepositEvent>(&r, v.target);
    assert_eq!(events[0].pubkey.as_ref(), &fresh.pubkeys[0][..]);
    assert_eq!(events[1].pubkey.as_ref(), &fresh.pubkeys[1][..]);

    // Removing from a batch's first index drops the batch.
    v.commit(&mut s, 1, 2);
    assert_eq!(v.operator(&mut s, 1).7, 3);
    ok(&v.remove_unused(&mut s, 1, 5));
    assert_eq!(v.operator(&mut s, 1), (true, reward_address(1), 5, 0, 5, 5, U256::MAX, 2));
}

#[test]
fn exits_move_an_operator_back_to_the_front_of_the_allocation() {
    let (mut s, v) = setup(3, 4);
    ok(&v.deposit(&mut s, 6));
    assert_eq!(total_active(&mut s, &v), 6);
    let update = |ids: &[u64], exited: &[u64]| R::updateExitedValidatorsCall {
        operatorIds: ids.iter().map(|&i| U256::from(i)).collect(),
        exited: exited.iter().map(|&e| U256::from(e)).collect(),
        hints: vec![U256::ZERO; ids.len()],
    };

    let e: R::AccessDenied = refused_admin(&mut s, &v, reward_address(3), &update(&[3], &[2]));
    assert_eq!(e.role, EXITED_REPORTER_ROLE);
    let e: R::ArrayLengthMismatch = refused_admin(&mut s, &v, ADMIN, &update(&[3], &[1, 2]));
    assert_eq!(e, R::ArrayLengthMismatch { ids: U256::from(1), counts: U256::from(2) });
    let e: R::OperatorNotFound = refused_admin(&mut s, &v, ADMIN, &update(&[9], &[1]));
    assert_eq!(e.operatorId, U256::from(9));
    let e: R::InvalidExitedCount = refused_admin(&mut s, &v, ADMIN, &update(&[1, 3], &[1, 3]));
    assert_eq!(
        e,
        R::InvalidExitedCount {
            operatorId: U256::from(3),
            exited: U256::from(3),
            current: U256::ZERO,
            deposited: U256::from(2),
        },
        "a batch fails whole: operator 1's count is not kept either"
    );

    let r = exit(&mut s, &v, &[3], &[2]);
    assert_eq!(
        events_from::<R::ExitedValidatorsUpdated>(&r, v.registry),
        vec![R::ExitedValidatorsUpdated { operatorId: U256::from(3), exited: U256::from(2) }]
    );
    assert_eq!(total_active(&mut s, &v), 4);
    assert_eq!(v.operator(&mut s, 3).3, 2);
    assert_eq!(queue(&mut s, &v), vec![3, 1, 2]);
    assert_eq!(planned(&mut s, &v, 3), vec![(3, 2), (3, 3), (1, 2)]);

    let e: R::InvalidExitedCount = refused_admin(&mut s, &v, ADMIN, &update(&[3], &[1]));
    assert_eq!(
        e,
        R::InvalidExitedCount {
            operatorId: U256::from(3),
            exited: U256::from(1),
            current: U256::from(2),
            deposited: U256::from(2),
        },
        "exits never go back"
    );
    let before = snapshot(&mut s, &v);
    let r = exit(&mut s, &v, &[3], &[2]);
    assert!(events_from::<R::ExitedValidatorsUpdated>(&r, v.registry).is_empty());
    assert_eq!(snapshot(&mut s, &v), before, "the same count again changes nothing");

    let r = v.deposit(&mut s, 3);
    ok(&r);
    assert_eq!(deposited(&r, &v), vec![(3, 2), (3, 3), (1, 2)]);

    // An exit frees room under a target limit.
    set_target(&mut s, &v, 2, Some(2));
    assert!(!queue(&mut s, &v).contains(&2), "operator 2 is at its target");
    exit(&mut s, &v, &[2], &[1]);
    assert_eq!(queue(&mut s, &v)[0], 2);
    let r = v.deposit(&mut s, 1);
    ok(&r);
    assert_eq!(deposited(&r, &v), vec![(2, 2)]);
    assert!(!queue(&mut s, &v).contains(&2), "back at its target");
}

// ---------------------------------------------------------------- rewards

#[test]
fn rewards_are_credited_pro_rata_to_active_validators_and_claimed_once() {
    let (mut s, mut v) = setup(0, 0);
    for (id, keys) in [(1u16, 3u32), (2, 1)] {
        assert_eq!(v.add_operator(&mut s, &format!("Operator {id}")), id);
        v.commit(&mut s, id, keys);
        v.vet(&mut s, id, keys);
    }
    ok(&v.deposit(&mut s, 4));
    let registry = v.registry;

    let e: R::NotPool =
        refused_admin(&mut s, &v, BOB, &R::onRewardsMintedCall { shares: U256::from(1) });
    assert_eq!(e, R::NotPool { caller: BOB });

    // 4,000 shares over 4 validators: operator 1 (3 active) 3,000, operator 2 (1 active) 1,000.
    let r = mint_rewards(&mut s, &v, 4_000);
    assert_eq!(
        events_from::<R::RewardsDistributed>(&r, registry),
        vec![R::RewardsDistributed {
            shares: U256::from(4_000),
            rewardPerValidator: U256::from(1_000u64) * U256::from(10u64).pow(U256::from(18))
        }]
    );
    assert_eq!(s.shares_of(registry), U256::from(4_000));
    assert_eq!(
        (rewards(&mut s, &v, 1), rewards(&mut s, &v, 2)),
        (U256::from(3_000), U256::from(1_000))
    );

    // Anyone may claim; the shares go to the reward address.
    let (paid, r) =
        s.ok(BOB, registry, U256::ZERO, &R::claimRewardsCall { operatorId: U256::from(1) });
    assert_eq!(paid._0, U256::from(3_000));
    assert_eq!(
        events_from::<R::RewardsClaimed>(&r, registry),
        vec![R::RewardsClaimed {
            operatorId: U256::from(1),
            to: reward_address(1),
            shares: U256::from(3_000)
        }]
    );
    assert_eq!(s.shares_of(reward_address(1)), U256::from(3_000));
    assert_eq!(s.shares_of(registry), U256::from(1_000));
    assert_eq!(rewards(&mut s, &v, 1), U256::ZERO);
    let e: R::NoRewards =
        refused_admin(&mut s, &v, BOB, &R::claimRewardsCall { operatorId: U256::from(1) });
    assert_eq!(e, R::NoRewards { operatorId: U256::from(1) });

    // Two of operator 1's validators exit: the next 2,000 shares split 1 : 1.
    exit(&mut s, &v, &[1], &[2]);
    mint_rewards(&mut s, &v, 2_000);
    assert_eq!(
        (rewards(&mut s, &v, 1), rewards(&mut s, &v, 2)),
        (U256::from(1_000), U256::from(2_000))
    );
    let (paid, _) =
        s.ok(BOB, registry, U256::ZERO, &R::claimRewardsCall { operatorId: U256::from(2) });
    assert_eq!(paid._0, U256::from(2_000));
    assert_eq!(s.shares_of(reward_address(2)), U256::from(2_000));

    // A new reward address receives the next claim.
    s.ok(
        reward_address(1),
        registry,
        U256::ZERO,
        &R::setRewardAddressCall { operatorId: U256::from(1), rewardAddress: CAROL },
    );
    s.ok(BOB, registry, U256::ZERO, &R::claimRewardsCall { operatorId: U256::from(1) });
    assert_eq!(s.shares_of(CAROL), U256::from(1_000));
    assert_eq!(s.shares_of(reward_address(1)), U256::from(3_000));
    assert_eq!(s.shares_of(registry), U256::ZERO, "everything minted was paid");
}

#[test]
fn rewards_minted_while_no_validator_is_active_wait_for_the_next_distribution() {
    let (mut s, mut v) = setup(2, 2);
    let registry = v.registry;
    let r = mint_rewards(&mut s, &v, 500);
    assert_eq!(
        events_from::<R::RewardsDistributed>(&r, registry),
        vec![R::RewardsDistributed { shares: U256::from(500), rewardPerValidator: U256::ZERO }]
    );
    assert_eq!((rewards(&mut s, &v, 1), rewards(&mut s, &v, 2)), (U256::ZERO, U256::ZERO));
    let _: R::NoRewards =
        refused_admin(&mut s, &v, BOB, &R::claimRewardsCall { operatorId: U256::from(1) });

    // Validators arriving later do not share the waiting rewards until the next distribution.
    ok(&v.deposit(&mut s, 2));
    assert_eq!((rewards(&mut s, &v, 1), rewards(&mut s, &v, 2)), (U256::ZERO, U256::ZERO));
    let r = mint_rewards(&mut s, &v, 300);
    assert_eq!(
        events_from::<R::RewardsDistributed>(&r, registry),
        vec![R::RewardsDistributed {
            shares: U256::from(300),
            rewardPerValidator: U256::from(400u64) * U256::from(10u64).pow(U256::from(18))
        }]
    );
    assert_eq!(
        (rewards(&mut s, &v, 1), rewards(&mut s, &v, 2)),
        (U256::from(400), U256::from(400))
    );

    // An operator added afterwards earns from its first validator on, not before.
    let id = v.add_operator(&mut s, "Latecomer");
    v.commit(&mut s, id, 1);
    v.vet(&mut s, id, 1);
    let r = v.deposit(&mut s, 1);
    assert_eq!(deposited(&r, &v), vec![(3, 0)]);
    assert_eq!(rewards(&mut s, &v, 3), U256::ZERO);
    mint_rewards(&mut s, &v, 300);
    assert_eq!(
        (rewards(&mut s, &v, 1), rewards(&mut s, &v, 2), rewards(&mut s, &v, 3)),
        (U256::from(500), U256::from(500), U256::from(100))
    );
    assert_eq!(s.shares_of(registry), U256::from(1_100));
    for id in 1..=3 {
        s.ok(BOB, registry, U256::ZERO, &R::claimRewardsCall { operatorId: U256::from(id) });
    }
    assert_eq!(s.shares_of(registry), U256::ZERO);
}
