//! Operators, key batches, batches of validator deposits to the L1 vault, exits and rewards
//! on the release wasm: the registry (core and extension programs) and the pool's
//! `depositBufferedEther`, which sends each batch's ether and its commitment to the L1 vault in
//! one `ArbSys.sendTxToL1`, seen by an auditor (every balance, counter, event and L2-to-L1
//! message a step changes, the commitment recomputed here from the keys and the vault's
//! credentials) and by an attacker (every refusal, each leaving nothing changed: the pool's
//! buffered and pooled ether, balances, ArbSys's sends, the registry's nonce, counters and
//! allocation list). The batch's way through the Outbox to the real vault on L1 is
//! `round_trip.rs`'s; the L1 vault's own tests are `contracts/l1-vault/tests`.
#![allow(
    missing_docs,
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    clippy::many_single_char_names
)]

use std::fmt::Debug;

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use node_operator_registry::abi::INodeOperatorRegistry as R;
use protocol_tests::deploy::revert_data as decode;
use protocol_tests::{
    abi::{IAccessManager, IStakingPool, IWithdrawalQueue},
    deploy::{events_from, Suite, ADMIN, ALICE, BOB, CAROL},
    ether,
    validators::{
        commitment, credentials_of, receiveBatchCall, reward_address, Guardian, KeyBatch,
        Validators, L1_VAULT,
    },
};
use staking_common::{
    deposit_data::{deposit_data_root, DEPOSIT_GWEI},
    roles::{
        DEFAULT_ADMIN_ROLE, DEPOSIT_ROLE, DEPOSIT_SECURITY_ROLE, EXITED_REPORTER_ROLE,
        OPERATOR_LIMITS_ROLE, OPERATOR_MANAGER_ROLE,
    },
};
use staking_pool::abi::IStakingPool::{
    AccessDenied, BatchSent, L1VaultNotSet, NotEnoughDepositableEther, ProtocolContractsNotSet,
    TokenIsPaused, Unbuffered, WithdrawalCredentialsMismatch,
};
use stylus_vm::{
    arbos::{arbsys::sendMerkleTreeStateCall, send_merkle::sends},
    precompiles::ARB_SYS,
    Receipt,
};

const GUARDIANS: usize = 6;
/// 32 ether in wei.
const DEPOSIT_WEI: u128 = 32_000_000_000_000_000_000;
/// Offsets in a packed key entry: pubkey 48 | signature 96 | batch 2 | start 4 | end 4 |
/// hint 2 | depth 1 | siblings.
const AT_START: usize = 146;
const AT_END: usize = 150;
const AT_DEPTH: usize = 156;

// ---------------------------------------------------------------- helpers

/// The suite, the registry with six guardians, `operators` operators with `keys`
/// keys each committed and vetted, and `stake` ether of ALICE's buffered.
fn setup_with(operators: u16, keys: u32, stake: u64) -> (Suite, Validators) {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, GUARDIANS);
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

/// ArbSys's count of L2-to-L1 sends so far (`sendMerkleTreeState().size`, answered only to
/// the zero address, as nitro's).
fn send_count(s: &mut Suite) -> U256 {
    let r = s.vm.static_call(Address::ZERO, ARB_SYS, &sendMerkleTreeStateCall {}.abi_encode());
    assert!(r.success, "sendMerkleTreeState: {:?}", r.status);
    sendMerkleTreeStateCall::abi_decode_returns(&r.output, true).expect("decodes").size
}

/// Checks that `r`, a batch of `count` keys, sent `expected` ([`Validators::expected_send`],
/// taken before it) as its one L2-to-L1 message, from the pool, and named it in `BatchSent`;
/// returns the commitment.
fn assert_batch(
    s: &mut Suite,
    r: &Receipt,
    count: u64,
    expected: &(Address, U256, Vec<u8>),
) -> B256 {
    let pool = s.pool;
    let (vault, value, data) = expected;
    let sent = sends(&r.logs);
    assert_eq!(sent.len(), 1, "one L2ToL1Tx a batch");
    let m = &sent[0];
    assert_eq!(m.caller, pool, "the Outbox's l2ToL1Sender is the pool");
    assert_eq!(m.destination, *vault);
    assert_eq!(m.callvalue, *value);
    assert_eq!(*value, ether(32 * count));
    assert_eq!(m.data.as_ref(), &data[..], "receiveBatch(commitment, count)");
    assert_eq!(m.hash, m.item_hash(), "the Outbox's item hash of the message");
    let call = receiveBatchCall::abi_decode(data, true).expect("receiveBatch");
    assert_eq!(call.keys, U256::from(count));
    assert_eq!(
        events_from::<BatchSent>(r, pool),
        vec![BatchSent {
            position: U256::from(m.position),
            commitment: call.commitment,
            keys: U256::from(count),
            amount: *value,
        }]
    );
    call.commitment
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
    arbsys_balance: U256,
    sends: U256,
    vault: Address,
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
        arbsys_balance: s.vm.balance(ARB_SYS),
        sends: send_count(s),
        vault: s.view(pool, &IStakingPool::l1VaultCall {})._0,
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
            reportTimestamp: U256::ZERO,
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
    let mut v = Validators::setup(&mut s, GUARDIANS);
    let (registry, pool) = (v.registry, s.pool);
    assert_eq!(s.view(registry, &R::poolCall {})._0, pool);
    assert_eq!(s.view(registry, &R::extensionCall {})._0, v.extension);
    assert_eq!(s.view(registry, &R::accessManagerCall {})._0, s.manager);
    let guardians: Vec<Address> = v.guardians.iter().map(|g| g.address).collect();
    assert_eq!(s.view(registry, &R::getGuardiansCall {})._0, guardians);
    // The deposit data roots name the L1 vault (the pool's), never the pool.
    let mut credentials = [0u8; 32];
    credentials[0] = 0x01;
    credentials[12..].copy_from_slice(L1_VAULT.as_slice());
    assert_eq!(s.view(registry, &R::withdrawalCredentialsCall {})._0, B256::from(credentials));
    assert_eq!(s.view(pool, &IStakingPool::l1VaultCall {})._0, L1_VAULT);

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
    let mut v = Validators::setup(&mut s, GUARDIANS);
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
    let expected_send = v.expected_send(&mut s, 8);
    let r = v.deposit(&mut s, 8);
    ok(&r);
    let mut used = deposited(&r, &v);
    used.sort_unstable();
    let expected: Vec<(u16, u32)> =
        [a, b].iter().flat_map(|&id| (0..4).map(move |i| (id, i))).collect();
    assert_eq!(used, expected);
    // The root-committed keys' deposit data is in the batch's commitment like the others'.
    assert_batch(&mut s, &r, 8, &expected_send);
}

#[test]
fn a_batch_sends_buffered_ether_and_the_commitment_to_the_l1_vault_through_arbsys() {
    let (mut s, v) = setup(3, 5);
    let pool = s.pool;
    let before = snapshot(&mut s, &v);
    let expected_send = v.expected_send(&mut s, 4);

    let r = v.deposit(&mut s, 4);
    ok(&r);

    // Ether: 128 leave the pool's buffer and balance with the message; ArbSys burns them on
    // L2 (the Bridge pays them out on L1); the registry keeps none.
    assert_eq!(s.vm.balance(pool), before.pool_balance - ether(128));
    assert_eq!(s.vm.balance(ARB_SYS), before.arbsys_balance, "burned, not held");
    assert_eq!(s.vm.balance(v.registry), U256::ZERO);
    assert_eq!(buffered(&mut s), before.buffered - ether(128));
    assert_eq!(
        s.view(pool, &IStakingPool::getTotalPooledEtherCall {})._0,
        before.pooled,
        "a batch moves ether to L1, counted as deposited: none created or lost"
    );
    let beacon = s.view(pool, &IStakingPool::getBeaconStatCall {});
    assert_eq!((beacon._0, beacon._1, beacon._2), (U256::from(4), U256::ZERO, U256::ZERO));
    assert_eq!(
        events_from::<Unbuffered>(&r, pool),
        vec![Unbuffered { amount: ether(128), depositedValidators: U256::from(4) }]
    );

    // The keys: min-first, ties by id.
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

    // The message: receiveBatch(commitment, 4) with 128 ether to the vault, from the pool, one
    // send more in ArbSys's accumulator. The commitment, worked out here key by key: the SSZ
    // root of each key's DepositData with the vault's 0x01 credentials and 32 ether, in order.
    let committed = assert_batch(&mut s, &r, 4, &expected_send);
    let mut credentials = [0u8; 32];
    credentials[0] = 0x01;
    credentials[12..].copy_from_slice(L1_VAULT.as_slice());
    let mut roots = Vec::new();
    for &(id, index) in &expected {
        let batch = v.batch_of(id, index).expect("committed");
        let k = (index - batch.start) as usize;
        roots.extend_from_slice(&deposit_data_root(
            &batch.pubkeys[k],
            &credentials,
            DEPOSIT_GWEI,
            &batch.signatures[k],
        ));
    }
    assert_eq!(committed, keccak256(&roots));
    assert_eq!(send_count(&mut s), before.sends + U256::from(1));
    let m = &sends(&r.logs)[0];
    assert_eq!(U256::from(m.position), before.sends, "the send's position in the accumulator");

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

    // The next batch is the next send, with its own keys' commitment.
    let next = v.expected_send(&mut s, 2);
    let r = v.deposit(&mut s, 2);
    ok(&r);
    assert_ne!(assert_batch(&mut s, &r, 2, &next), committed);
    assert_eq!(sends(&r.logs)[0].position, m.position + 1);
}

#[test]
fn a_batch_holds_one_to_a_hundred_keys_the_vaults_limit() {
    let (mut s, v) = setup(2, 60);
    let data = v.deposit_data(&mut s, 101);
    // 101 keys: the vault would refuse the message forever, its ether stuck in the Bridge.
    let e: R::TooManyKeys = refused_deposit(&mut s, &v, 101, data);
    assert_eq!(e, R::TooManyKeys { count: U256::from(101), max: U256::from(100) });
    // Zero keys: nothing to send (the pool's own check).
    let e: NotEnoughDepositableEther = refused_deposit(&mut s, &v, 0, Vec::new());
    assert_eq!(e.requested, U256::ZERO);
    // A hundred go, as one message of 3,200 ether.
    let expected = v.expected_send(&mut s, 100);
    let r = v.deposit(&mut s, 100);
    ok(&r);
    assert_batch(&mut s, &r, 100, &expected);
    assert_eq!(total_active(&mut s, &v), 100);
}

#[test]
fn compounding_0x02_credentials_are_covered_by_the_commitment_like_0x01() {
    let mut s = Suite::deploy();
    let credentials = credentials_of(L1_VAULT, true);
    assert_eq!(credentials[0], 0x02);
    let mut v = Validators::setup_hooked(&mut s, GUARDIANS, credentials, true, &mut |_, _, _| {});
    v.onboard(&mut s, 2, 3);
    s.deposit(ALICE, ether(1_000));
    assert_eq!(s.view(v.registry, &R::withdrawalCredentialsCall {})._0, credentials);
    let keys = v.next_keys(&mut s, 3);
    let expected = v.expected_send(&mut s, 3);
    let r = v.deposit(&mut s, 3);
    ok(&r);
    let committed = assert_batch(&mut s, &r, 3, &expected);
    assert_eq!(committed, commitment(&keys, &credentials));
    assert_ne!(committed, commitment(&keys, &credentials_of(L1_VAULT, false)));
}

#[test]
fn a_registry_whose_credentials_name_another_address_than_the_pools_vault_is_refused() {
    let mut s = Suite::deploy();
    s.ok(ADMIN, s.pool, U256::ZERO, &IStakingPool::setL1VaultCall { vault: L1_VAULT });
    // The registry deployed with credentials naming another L1 address (ALICE's).
    let wrong = credentials_of(ALICE, false);
    let mut v = Validators::setup_hooked(&mut s, GUARDIANS, wrong, true, &mut |_, _, _| {});
    v.onboard(&mut s, 2, 2);
    s.deposit(ALICE, ether(100));
    let data = v.deposit_data(&mut s, 1);
    let e: WithdrawalCredentialsMismatch = refused_deposit(&mut s, &v, 1, data);
    assert_eq!(e, WithdrawalCredentialsMismatch { credentials: wrong, vault: L1_VAULT });
    // The same with 0x02 credentials naming the vault's address: the prefix is the
    // deployment's option, the address must be the vault's.
    let mut s = Suite::deploy();
    s.ok(ADMIN, s.pool, U256::ZERO, &IStakingPool::setL1VaultCall { vault: L1_VAULT });
    let shifted = credentials_of(Address::with_last_byte(0xa1), true);
    let mut v = Validators::setup_hooked(&mut s, GUARDIANS, shifted, true, &mut |_, _, _| {});
    v.onboard(&mut s, 1, 1);
    s.deposit(ALICE, ether(100));
    let data = v.deposit_data(&mut s, 1);
    let e: WithdrawalCredentialsMismatch = refused_deposit(&mut s, &v, 1, data);
    assert_eq!(e.credentials, shifted);
}

#[test]
fn a_pool_without_its_l1_vault_refuses_batches() {
    let mut s = Suite::deploy();
    let mut v = Validators::setup_hooked(
        &mut s,
        GUARDIANS,
        credentials_of(L1_VAULT, false),
        false,
        &mut |_, _, _| {},
    );
    v.onboard(&mut s, 2, 2);
    s.deposit(ALICE, ether(100));
    assert_eq!(s.view(s.pool, &IStakingPool::l1VaultCall {})._0, Address::ZERO);
    let data = v.deposit_data(&mut s, 1);
    let _: L1VaultNotSet = refused_deposit(&mut s, &v, 1, data.clone());
    // Once governance sets it, the same data goes.
    s.ok(ADMIN, s.pool, U256::ZERO, &IStakingPool::setL1VaultCall { vault: L1_VAULT });
    let expected = v.expected_send(&mut s, 1);
    let r = send_deposit(&mut s, 1, data);
    ok(&r);
    assert_batch(&mut s, &r, 1, &expected);
}

#[test]
fn every_deposit_goes_min_first_within_vetted_and_target_limits_as_predicted() {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, GUARDIANS);
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
        assert_eq!(after.pool_balance, before.pool_balance - ether(32 * count as u64));
        assert_eq!(after.sends, before.sends + U256::from(1), "one message a batch");
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
fn a_batch_costs_the_same_with_a_thousand_operators_as_with_ten() {
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
    // pool sends the batch's ether to ArbSys itself.
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
    // The data built before the pause still goes (the keys and the allocation did not move).
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
fn data_built_before_the_allocation_moved_is_refused_and_a_key_goes_once() {
    let (mut s, mut v) = setup(2, 2);
    // A key change that leaves the allocation as it was leaves the data good: there is no
    // attestation on L2 to go stale (the guardians attest on L1, at the deposit).
    let data = v.deposit_data(&mut s, 2);
    v.commit(&mut s, 2, 1);
    let expected = v.expected_send(&mut s, 2);
    let r = send_deposit(&mut s, 2, data.clone());
    ok(&r);
    assert_batch(&mut s, &r, 2, &expected);
    // The same data again: its first key is used, the operator's next index is beyond it.
    let e: R::InvalidKeyProof = refused_deposit(&mut s, &v, 2, data);
    assert_eq!(e, R::InvalidKeyProof { operatorId: U256::from(1), keyIndex: U256::from(1) });
    // Data built, then a batch sent before it: the same.
    let data = v.deposit_data(&mut s, 1);
    ok(&v.deposit(&mut s, 1));
    let e: R::InvalidKeyProof = refused_deposit(&mut s, &v, 1, data);
    assert_eq!(e.operatorId, U256::from(2));
    ok(&v.deposit(&mut s, 1));
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
    let with = <[u8]>::to_vec;
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
    let expected_send = v.expected_send(&mut s, 1);
    let r = send_deposit(&mut s, 1, with(&right));
    ok(&r);
    assert_eq!(deposited(&r, &v), vec![(2, 0)]);
    assert_batch(&mut s, &r, 1, &expected_send);
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
    let third = v.batch_of(1, 1).expect("committed").entry(1, 0);
    let mut deeper = data.clone();
    deeper[AT_DEPTH] = 200; // a proof announced longer than the data holds
    for (what, bad) in [
        ("a trailing byte", [&data[..], &[0]].concat()),
        ("a trailing entry", [&data[..], &third[..]].concat()),
        ("a byte short", data[..data.len() - 1].to_vec()),
        ("one entry", data[..data.len() / 2].to_vec()),
        ("half a key", data[..100].to_vec()),
        ("nothing", Vec::new()),
        ("more siblings announced than given", deeper),
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
        let mut data = Vec::new();
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
    let stale = old.entry(3, 0);
    // Key 3 under the cut batch's range 0..3: outside it.
    let mut cut = stale.clone();
    cut[AT_END..AT_END + 4].copy_from_slice(&3u32.to_be_bytes());
    // The old key passed off as the new batch's (batch 1, keys 3..5).
    let mut renamed = stale.clone();
    renamed[144..146].copy_from_slice(&1u16.to_be_bytes());
    renamed[AT_START..AT_START + 4].copy_from_slice(&3u32.to_be_bytes());
    for entry in [stale, cut, renamed] {
        let e: R::InvalidKeyProof = refused_deposit(&mut s, &v, 1, entry);
        assert_eq!(e, R::InvalidKeyProof { operatorId: U256::from(1), keyIndex: U256::from(3) });
    }
    // The new keys go, and the commitment is theirs.
    let expected = v.expected_send(&mut s, 2);
    let r = v.deposit(&mut s, 2);
    ok(&r);
    assert_eq!(deposited(&r, &v), vec![(1, 3), (1, 4)]);
    let committed = assert_batch(&mut s, &r, 2, &expected);
    let new_keys =
        [(fresh.pubkeys[0], fresh.signatures[0]), (fresh.pubkeys[1], fresh.signatures[1])];
    assert_eq!(committed, commitment(&new_keys, &v.credentials));

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
        reportTimestamp: U256::ZERO,
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
