//! The pause by one guardian (once: its replay after a resume is refused, F-13.2) and the
//! configuration by L2 governance through L2-to-L1 messages, refused from anyone else.

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::SolCall;
use l1_vault::{pause_digest, Guardian, StakingVault as V};
use worlds::{l1::CHAIN_ID, RelayConfig, Worlds};

use crate::common::{
    default_params, deploy, deploy_with, events, revert, Env, GOVERNANCE, KEEPER, POOL, STRANGER,
};

/// A challenge period shorter than a pause intent's validity (7,200 blocks), so that a replay
/// after the resume is still fresh and only the resume refuses it. With Arbitrum One's
/// 45,818 blocks every intent is stale by the time a resume arrives from L2.
fn short_period() -> RelayConfig {
    RelayConfig { challenge_period_blocks: 300, ..RelayConfig::default() }
}

/// A relayed pause of `guardian`'s intent for `block`.
fn relayed_pause(env: &Env, guardian: usize, block: u64) -> V::pauseCall {
    let signature = env.guardians[guardian].sign(pause_digest(CHAIN_ID, env.vault, block));
    V::pauseCall { blockNumber: U256::from(block), signature: signature.to_vec().into() }
}

#[test]
fn a_relayed_pause_works_once_and_its_replay_after_a_governance_resume_is_refused() {
    let mut env = Env::with(3, 2, false, short_period());
    let block = env.w.l1.block_number() - 1;
    assert_eq!(
        env.view(&V::pauseDigestCall { blockNumber: U256::from(block) })._0,
        pause_digest(CHAIN_ID, env.vault, block)
    );
    let pause = relayed_pause(&env, 1, block);
    let receipt = env.l1_call(KEEPER, &pause);
    assert!(receipt.success, "{receipt:?}");
    let paused = events::<V::Paused>(&receipt.logs, env.vault);
    assert_eq!(
        (paused[0].guardian, paused[0].blockNumber),
        (env.guardians[1].address, U256::from(block))
    );
    assert!(env.view(&V::pausedCall {})._0);
    revert::<V::AlreadyPaused>(&env.l1_call(KEEPER, &pause));

    // Paused, batches still arrive and keepers still bridge; only deposits wait.
    let keys = env.keys(1);
    let (id, _) = env.deliver_batch(&keys);
    let att = env.attest(id, &[0, 1]);
    revert::<V::DepositsPaused>(&env.deposit(id, &keys, &att));

    let receipt = env.governance(V::resumeCall {}.abi_encode());
    assert!(receipt.success, "{receipt:?}");
    let resumed_at = env.w.l1.block_number();
    assert_eq!(
        events::<V::Resumed>(&receipt.logs, env.vault)[0].blockNumber,
        U256::from(resumed_at)
    );
    assert!(!env.view(&V::pausedCall {})._0);
    assert_eq!(env.view(&V::resumedAtCall {})._0, resumed_at);
    assert!(resumed_at - block < 7_200, "the intent is still fresh");

    // The same signature again: refused, deposits go on.
    let err = revert::<V::PauseIntentBeforeResume>(&env.l1_call(KEEPER, &pause));
    assert_eq!((err.blockNumber, err.resumedAt), (U256::from(block), U256::from(resumed_at)));
    // An intent signed in the resume's own block is refused too.
    let same_block = relayed_pause(&env, 1, resumed_at);
    revert::<V::PauseIntentBeforeResume>(&env.l1_call(KEEPER, &same_block));
    let att = env.attest(id, &[0, 1]);
    assert!(env.deposit(id, &keys, &att).success);

    // A new intent, after the resume, pauses again.
    env.w.advance_blocks(1).unwrap();
    let later = relayed_pause(&env, 2, env.w.l1.block_number());
    assert!(env.l1_call(KEEPER, &later).success);
    assert!(env.view(&V::pausedCall {})._0);
}

#[test]
fn a_pause_intent_that_is_stale_future_or_not_a_guardians_is_refused() {
    let mut env = Env::new();
    let now = env.w.l1.block_number();
    let future = relayed_pause(&env, 0, now + 1);
    let err = revert::<V::StalePauseIntent>(&env.l1_call(KEEPER, &future));
    assert_eq!((err.blockNumber, err.current), (U256::from(now + 1), U256::from(now)));
    let old = relayed_pause(&env, 0, now - 7_201);
    assert_eq!(
        revert::<V::StalePauseIntent>(&env.l1_call(KEEPER, &old)).blockNumber,
        U256::from(now - 7_201)
    );

    let outsider = Guardian::new(50);
    let signature = outsider.sign(pause_digest(CHAIN_ID, env.vault, now));
    let foreign =
        V::pauseCall { blockNumber: U256::from(now), signature: signature.to_vec().into() };
    assert_eq!(revert::<V::NotGuardian>(&env.l1_call(KEEPER, &foreign)).account, outsider.address);
    let direct = V::pauseCall { blockNumber: U256::ZERO, signature: Bytes::new() };
    assert_eq!(revert::<V::NotGuardian>(&env.l1_call(KEEPER, &direct)).account, KEEPER);
    let cut = V::pauseCall { blockNumber: U256::from(now), signature: vec![1u8; 64].into() };
    assert_eq!(
        revert::<V::InvalidSignatureLength>(&env.l1_call(KEEPER, &cut)).length,
        U256::from(64)
    );
    assert!(!env.view(&V::pausedCall {})._0);

    // A guardian calling itself needs no signature; the event names the current block.
    let guardian = env.guardians[0].address;
    let receipt = env.l1_call(guardian, &direct);
    assert!(receipt.success, "{receipt:?}");
    let paused = events::<V::Paused>(&receipt.logs, env.vault);
    assert_eq!((paused[0].guardian, paused[0].blockNumber), (guardian, U256::from(now)));
}

#[test]
fn guardians_and_quorum_are_set_by_l2_governance_and_by_nobody_else() {
    let mut env = Env::new();
    let new_set: Vec<Guardian> = (10..14).map(Guardian::new).collect();
    let addresses: Vec<Address> = new_set.iter().map(|g| g.address).collect();
    let call = V::setGuardiansCall { guardians: addresses.clone(), newQuorum: U256::from(3) };

    // From another L2 sender, or straight on L1: refused.
    let err = revert::<V::WrongL2Sender>(&env.message_from(STRANGER, call.abi_encode()));
    assert_eq!((err.l2Sender, err.expected), (STRANGER, GOVERNANCE));
    let err = revert::<V::WrongL2Sender>(&env.message_from(POOL, call.abi_encode()));
    assert_eq!(err.l2Sender, POOL);
    assert_eq!(revert::<V::NotBridge>(&env.l1_call(KEEPER, &call)).caller, KEEPER);
    assert_eq!(env.view(&V::quorumCall {})._0, 2);

    // Invalid sets are refused even from governance.
    let bad_quorum =
        V::setGuardiansCall { guardians: addresses[..2].to_vec(), newQuorum: U256::from(3) };
    let err = revert::<V::InvalidGuardians>(&env.governance(bad_quorum.abi_encode()));
    assert_eq!((err.guardians, err.quorum), (U256::from(2), U256::from(3)));
    let duplicate = V::setGuardiansCall {
        guardians: vec![addresses[0], addresses[0]],
        newQuorum: U256::from(1),
    };
    revert::<V::InvalidGuardians>(&env.governance(duplicate.abi_encode()));

    let receipt = env.governance(call.abi_encode());
    assert!(receipt.success, "{receipt:?}");
    let set = events::<V::GuardiansSet>(&receipt.logs, env.vault);
    assert_eq!((set[0].guardians.clone(), set[0].quorum), (addresses.clone(), U256::from(3)));
    assert_eq!(env.view(&V::getGuardiansCall {})._0, addresses);
    assert_eq!(env.view(&V::quorumCall {})._0, 3);
    let old = env.guardians[0].address;
    assert!(!env.view(&V::isGuardianCall { account: old })._0);

    // The old guardians no longer count; the new ones do.
    let keys = env.keys(1);
    let (id, _) = env.deliver_batch(&keys);
    let stale_set = env.attest(id, &[0, 1, 2]);
    revert::<V::NotGuardian>(&env.deposit(id, &keys, &stale_set));
    env.guardians = new_set;
    let att = env.attest(id, &[0, 2, 3]);
    assert!(env.deposit(id, &keys, &att).success);
}

#[test]
fn bridge_parameters_resume_and_cancellation_are_l2_governance_s_alone() {
    let mut env = Env::new();
    let params = V::BridgeParams {
        maxSubmissionCost: 2 * 10u128.pow(15),
        gasLimit: 300_000,
        maxFeePerGas: 2 * 10u128.pow(9),
        minAmount: 10u128.pow(17),
    };
    let call = V::setBridgeParamsCall { params: params.clone() };
    revert::<V::WrongL2Sender>(&env.message_from(STRANGER, call.abi_encode()));
    revert::<V::NotBridge>(&env.l1_call(KEEPER, &call));
    let invalid =
        V::setBridgeParamsCall { params: V::BridgeParams { maxFeePerGas: 1, ..params.clone() } };
    revert::<V::InvalidBridgeParams>(&env.governance(invalid.abi_encode()));
    assert_eq!(env.view(&V::bridgeParamsCall {})._0, default_params());
    let receipt = env.governance(call.abi_encode());
    assert!(receipt.success, "{receipt:?}");
    let set = events::<V::BridgeParamsSet>(&receipt.logs, env.vault);
    assert_eq!(
        (set[0].maxSubmissionCost, set[0].gasLimit, set[0].maxFeePerGas, set[0].minAmount),
        (
            U256::from(params.maxSubmissionCost),
            U256::from(params.gasLimit),
            U256::from(params.maxFeePerGas),
            U256::from(params.minAmount)
        )
    );
    assert_eq!(env.view(&V::bridgeParamsCall {})._0, params);

    // Resume: only when paused, only from governance.
    assert_eq!(revert::<V::NotBridge>(&env.l1_call(KEEPER, &V::resumeCall {})).caller, KEEPER);
    revert::<V::NotPaused>(&env.governance(V::resumeCall {}.abi_encode()));

    // Cancellation by governance.
    let keys = env.keys(3);
    let (id, _) = env.deliver_batch(&keys);
    let cancel = V::cancelBatchByGovernanceCall { batchId: U256::from(id) };
    revert::<V::WrongL2Sender>(&env.message_from(STRANGER, cancel.abi_encode()));
    revert::<V::NotBridge>(&env.l1_call(KEEPER, &cancel));
    assert_eq!(env.batch(id).2, V::Status::Pending);
    let receipt = env.governance(cancel.abi_encode());
    assert!(receipt.success, "{receipt:?}");
    let cancelled = events::<V::BatchCancelled>(&receipt.logs, env.vault);
    assert_eq!(
        (cancelled[0].batchId, cancelled[0].amount, cancelled[0].byGovernance),
        (U256::from(id), U256::from(96u64) * U256::from(10u64.pow(18)), true)
    );
    assert_eq!(env.batch(id).2, V::Status::Cancelled);
    assert_eq!(env.pending(), U256::ZERO);
}

#[test]
fn the_constructor_refuses_a_mismatched_inbox_zero_addresses_and_bad_guardians() {
    let mut w = Worlds::new().unwrap();
    w.l1.set_balance(crate::common::DEPLOYER, U256::from(10u128.pow(20)));
    let g: Vec<Address> = (1..=3).map(|n| Guardian::new(n).address).collect();
    let bad = deploy(&mut w, g.clone(), 4, false, default_params()).unwrap_err();
    assert_eq!(revert::<V::InvalidGuardians>(&bad).quorum, U256::from(4));
    let bad = deploy(&mut w, vec![g[0], Address::ZERO], 1, false, default_params()).unwrap_err();
    revert::<V::InvalidGuardians>(&bad);
    let params = V::BridgeParams { gasLimit: 20_999, ..default_params() };
    revert::<V::InvalidBridgeParams>(&deploy(&mut w, g.clone(), 2, false, params).unwrap_err());
    let (bridge, inbox, outbox) = (w.contracts.bridge, w.contracts.inbox, w.contracts.outbox);
    let bad =
        deploy_with(&mut w, (outbox, inbox), g.clone(), 2, false, default_params()).unwrap_err();
    let err = revert::<V::InboxBridgeMismatch>(&bad);
    assert_eq!((err.inboxBridge, err.bridge), (bridge, outbox));
    let bad = deploy_with(&mut w, (Address::ZERO, inbox), g.clone(), 2, false, default_params());
    revert::<V::ZeroAddress>(&bad.unwrap_err());
    let vault = deploy(&mut w, g, 2, false, default_params()).unwrap();
    assert_eq!(crate::common::view(&mut w, vault, &V::BRIDGECall {})._0, w.contracts.bridge);
    assert_eq!(crate::common::view(&mut w, vault, &V::INBOXCall {})._0, w.contracts.inbox);
}
