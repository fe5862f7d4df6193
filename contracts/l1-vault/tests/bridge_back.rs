//! A front-run batch cancelled by the guardians and its ether back on L2; skims and rewards
//! bridged to the pool by retryable ticket, from `alias(vault)`, under the counter; the fee
//! bounds and the minimum.

use alloy_primitives::{Bytes, U256};
use alloy_sol_types::SolCall;
use l1_vault::{cancel_digest, quorum_signatures, Guardian, StakingVault as V};
use stylus_vm::arbos::retryables::{cancelCall, redeemCall, ARB_RETRYABLE_TX};
use worlds::{
    abi::IDepositContract, apply_l1_to_l2_alias, bridge::DelayedPayload, l1::CHAIN_ID,
    relay::Delivery, RetryableTicket, DEPOSIT_CONTRACT_ADDRESS,
};

use crate::common::{
    default_params, ether, events, gwei, revert, Env, FRONT_RUNNER, KEEPER, POOL, STRANGER,
};

/// The ticket's fees at the current L1 base fee: the submission fee for no calldata and the
/// L2 gas at the vault's bounds.
fn ticket_fee(env: &mut Env) -> U256 {
    let params = env.view(&V::bridgeParamsCall {})._0;
    let submission = env.w.contracts.retryable_submission_fee(&mut env.w.l1, 0).unwrap();
    let fee = submission + U256::from(params.gasLimit) * U256::from(params.maxFeePerGas);
    let view = env.view(&V::ticketFeeCall {});
    assert_eq!((view.submissionCost, view.fee), (submission, fee));
    fee
}

/// The keeper calls `bridgeToL2`; its `BridgedToL2` event and gas.
fn bridge(env: &mut Env) -> (V::BridgedToL2, u64) {
    let receipt = env.l1_call(KEEPER, &V::bridgeToL2Call {});
    assert!(receipt.success, "{receipt:?}");
    let logged = events::<V::BridgedToL2>(&receipt.logs, env.vault);
    assert_eq!(logged.len(), 1);
    (logged[0].clone(), receipt.gas_used)
}

/// Waits for the ticket to reach L2 and checks that it paid `amount` into the pool from
/// `alias(vault)` with no calldata, unused fees to the pool, the alias its beneficiary.
fn arrives_at_the_pool(env: &mut Env, amount: U256) {
    let pool_before = env.w.l2.balance(POOL);
    let delay = env.w.config().l1_to_l2_delay_seconds;
    env.w.advance_time(delay).unwrap();
    let inbound = env.w.inbound().last().unwrap().clone();
    let alias = apply_l1_to_l2_alias(env.vault);
    assert_eq!(inbound.message.sender, alias);
    let DelayedPayload::SubmitRetryable(ticket) = &inbound.message.payload else {
        panic!("{inbound:?}")
    };
    assert_eq!((ticket.to, ticket.l2_call_value), (POOL, amount));
    assert_eq!((ticket.excess_fee_refund_address, ticket.call_value_refund_address), (POOL, alias));
    assert!(ticket.data.is_empty());
    let Some(Delivery::Retryable(result)) = inbound.delivered.map(|d| d.delivery) else {
        panic!("the ticket was not delivered")
    };
    let redeem = result.auto_redeem.expect("an auto-redeem");
    assert!(redeem.success, "{redeem:?}");
    let call = &redeem.calls[0];
    assert_eq!((call.caller, call.address, call.value), (alias, POOL, amount));
    assert!(call.input.is_empty());
    let received = env.w.l2.balance(POOL) - pool_before;
    assert!(received >= amount, "the pool got {received}, the ticket carried {amount}");
    assert!(
        received - amount <= ticket.gas_limit * ticket.max_fee_per_gas + ticket.max_submission_cost
    );
    let ledger = env.w.eth_ledger().unwrap();
    assert!(ledger.is_balanced(), "{ledger:?}");
}

#[test]
fn a_front_run_batch_is_cancelled_by_the_guardians_and_its_ether_goes_back_to_the_l2_pool() {
    let mut env = Env::new();
    let keys = env.keys(2);
    let (id, _) = env.deliver_batch(&keys);
    let att = env.attest(id, &[0, 1]);
    // The operator front-runs key 0 with 1 ether and credentials of its own.
    let own = l1_vault::withdrawal_credentials(FRONT_RUNNER, false);
    let root = staking_common::deposit_data::deposit_data_root(
        &keys[0].pubkey,
        &own,
        1_000_000_000,
        &keys[0].signature,
    );
    let front_run = IDepositContract::depositCall {
        pubkey: keys[0].pubkey.to_vec().into(),
        withdrawal_credentials: own.to_vec().into(),
        signature: keys[0].signature.to_vec().into(),
        deposit_data_root: root.into(),
    };
    let landed = env
        .w
        .l1_call(FRONT_RUNNER, DEPOSIT_CONTRACT_ADDRESS, ether(1), front_run.abi_encode())
        .unwrap();
    assert!(landed.success, "{landed:?}");
    revert::<V::StaleDepositRoot>(&env.deposit(id, &keys, &att));

    // The guardians see it and cancel the batch.
    let commitment = env.batch(id).0;
    let digest = cancel_digest(CHAIN_ID, env.vault, id, commitment);
    assert_eq!(env.view(&V::cancelDigestCall { batchId: U256::from(id), commitment })._0, digest);
    let too_few = quorum_signatures(&[&env.guardians[0]], digest);
    let cancel = |signatures: Vec<u8>| V::cancelBatchCall {
        batchId: U256::from(id),
        guardianSignatures: signatures.into(),
    };
    let err = revert::<V::NotEnoughSignatures>(&env.l1_call(KEEPER, &cancel(too_few)));
    assert_eq!((err.given, err.quorum), (U256::from(1), U256::from(2)));
    let outsider = Guardian::new(77);
    let foreign = quorum_signatures(&[&env.guardians[0], &outsider], digest);
    assert_eq!(
        revert::<V::NotGuardian>(&env.l1_call(KEEPER, &cancel(foreign))).account,
        outsider.address
    );
    let quorum = quorum_signatures(&[&env.guardians[1], &env.guardians[2]], digest);
    let receipt = env.l1_call(KEEPER, &cancel(quorum.clone()));
    assert!(receipt.success, "{receipt:?}");
    let cancelled = events::<V::BatchCancelled>(&receipt.logs, env.vault);
    assert_eq!(
        (cancelled[0].batchId, cancelled[0].amount, cancelled[0].byGovernance),
        (U256::from(id), ether(64), false)
    );
    assert_eq!(env.batch(id).2, V::Status::Cancelled);
    assert_eq!(env.pending(), U256::ZERO);
    assert_eq!(env.view(&V::freeBalanceCall {})._0, ether(64));
    // Once cancelled: never deposited, never cancelled again.
    let again = revert::<V::BatchNotPending>(&env.l1_call(KEEPER, &cancel(quorum)));
    assert_eq!(again.status, V::Status::Cancelled);
    let fresh = env.attest(id, &[0, 1]);
    assert_eq!(
        revert::<V::BatchNotPending>(&env.deposit(id, &keys, &fresh)).status,
        V::Status::Cancelled
    );

    // Its ether goes back to the pool.
    let fee = ticket_fee(&mut env);
    let (event, gas) = bridge(&mut env);
    println!("L1 gas: bridgeToL2 (retryable ticket to the pool) {gas}");
    assert_eq!((event.amount, event.total, event.fee), (ether(64) - fee, ether(64) - fee, fee));
    assert_eq!(env.bridged(), ether(64) - fee);
    assert_eq!(env.w.l1.balance(env.vault), U256::ZERO);
    arrives_at_the_pool(&mut env, ether(64) - fee);
}

#[test]
fn skims_and_rewards_sent_as_plain_ether_are_bridged_and_pending_batches_are_not() {
    let mut env = Env::new();
    let keys = env.keys(1);
    let (id, _) = env.deliver_batch(&keys);
    // A skim (no call on chain; a transfer here) and an MEV payment to the fee recipient.
    let skim =
        env.w.l1_call(STRANGER, env.vault, ether(3) / U256::from(2), Vec::<u8>::new()).unwrap();
    assert!(skim.success && skim.logs.is_empty(), "{skim:?}");
    assert!(env.w.l1_call(KEEPER, env.vault, gwei(250_000_000), Vec::<u8>::new()).unwrap().success);
    let free = ether(3) / U256::from(2) + gwei(250_000_000);
    assert_eq!(env.view(&V::freeBalanceCall {})._0, free);

    let fee = ticket_fee(&mut env);
    let (first, gas) = bridge(&mut env);
    println!("L1 gas: bridgeToL2 of skims {gas}");
    assert_eq!((first.amount, first.total), (free - fee, free - fee));
    assert_eq!(env.w.l1.balance(env.vault), ether(32));
    assert_eq!(env.pending(), ether(32));
    assert_eq!(env.batch(id).2, V::Status::Pending);
    arrives_at_the_pool(&mut env, free - fee);

    // More rewards later: the counter is cumulative.
    assert!(env.w.l1_call(STRANGER, env.vault, ether(2), Vec::<u8>::new()).unwrap().success);
    let fee = ticket_fee(&mut env);
    let (second, _) = bridge(&mut env);
    assert_eq!(second.amount, ether(2) - fee);
    assert_eq!(second.total, first.total + second.amount);
    assert_eq!(env.bridged(), second.total);
    arrives_at_the_pool(&mut env, second.amount);
}

#[test]
fn nothing_is_bridged_below_the_minimum_or_above_the_fee_bounds() {
    let mut env = Env::new();
    let keys = env.keys(1);
    env.deliver_batch(&keys);
    let min = U256::from(default_params().minAmount);

    // Nothing free: the pending batch is not touched.
    let err = revert::<V::BelowMinimum>(&env.l1_call(KEEPER, &V::bridgeToL2Call {}));
    assert_eq!((err.amount, err.minimum), (U256::ZERO, min));

    // Less than the minimum after fees.
    assert!(env.w.l1_call(STRANGER, env.vault, gwei(5_000_000), Vec::<u8>::new()).unwrap().success);
    let fee = ticket_fee(&mut env);
    let err = revert::<V::BelowMinimum>(&env.l1_call(KEEPER, &V::bridgeToL2Call {}));
    assert_eq!((err.amount, err.minimum), (gwei(5_000_000) - fee, min));

    // Enough, but the L1 base fee puts the submission fee over its bound.
    assert!(env.w.l1_call(STRANGER, env.vault, ether(1), Vec::<u8>::new()).unwrap().success);
    let normal = env.w.l1.base_fee();
    env.w.l1.set_base_fee(gwei(1_000));
    let err = revert::<V::SubmissionCostTooHigh>(&env.l1_call(KEEPER, &V::bridgeToL2Call {}));
    assert_eq!(err.cost, U256::from(1_400) * gwei(1_000));
    assert_eq!(err.max, U256::from(default_params().maxSubmissionCost));
    assert_eq!(env.bridged(), U256::ZERO);
    assert_eq!(env.w.l1.balance(env.vault), ether(33) + gwei(5_000_000));

    env.w.l1.set_base_fee(normal);
    let fee = ticket_fee(&mut env);
    let (event, _) = bridge(&mut env);
    assert_eq!(event.amount, ether(1) + gwei(5_000_000) - fee);
    assert_eq!(event.fee, fee);
    assert!(fee <= U256::from(default_params().maxSubmissionCost) + gwei(200_000));
    assert_eq!(env.w.l1.balance(env.vault), ether(32));
}

#[test]
fn a_ticket_not_auto_redeemed_cannot_be_cancelled_by_anyone_and_anyone_redeems_it_into_the_pool() {
    let mut env = Env::new();
    // Governance bids an L2 gas price under L2's base fee: ArbOS schedules no auto-redeem
    // (as after an L2 gas price jump), the ticket waits.
    let params = V::BridgeParams { maxFeePerGas: 2, ..default_params() };
    assert!(U256::from(2) < env.w.l2.basefee());
    let set = env.governance(V::setBridgeParamsCall { params }.abi_encode());
    assert!(set.success, "{set:?}");
    assert!(env.w.l1_call(STRANGER, env.vault, ether(1), Vec::<u8>::new()).unwrap().success);
    let fee = ticket_fee(&mut env);
    let (event, _) = bridge(&mut env);
    assert_eq!(event.amount, ether(1) - fee);
    let pool_before = env.w.l2.balance(POOL);
    let delay = env.w.config().l1_to_l2_delay_seconds;
    env.w.advance_time(delay).unwrap();
    let inbound = env.w.inbound().last().unwrap().clone();
    let Some(Delivery::Retryable(result)) = inbound.delivered.map(|d| d.delivery) else {
        panic!("the ticket was not delivered")
    };
    assert!(result.auto_redeem.is_none());
    let id = result.ticket_id;
    let ticket = env.w.l2.retryable(id).expect("the ticket stays");
    let alias = apply_l1_to_l2_alias(env.vault);
    assert_eq!((ticket.from, ticket.to, ticket.callvalue), (alias, POOL, event.amount));
    assert_eq!(ticket.beneficiary, alias);
    assert!(env.w.l2.balance(POOL) - pool_before < event.amount, "only fee refunds so far");

    // Only the beneficiary, the vault's alias, could cancel it: a stranger cannot.
    let cancel = cancelCall { ticketId: id }.abi_encode();
    let refused = env.w.l2_call(STRANGER, ARB_RETRYABLE_TX, U256::ZERO, &cancel).unwrap();
    assert!(!refused.success);
    assert!(env.w.l2.retryable(id).is_some());

    // A day later a stranger redeems it with gas of its own: the pool gets the ether from
    // alias(vault), in its `receive`.
    env.w.advance_time(24 * 60 * 60).unwrap();
    let before = env.w.l2.balance(POOL);
    let redeem = redeemCall { ticketId: id }.abi_encode();
    let receipt = env.w.l2_call(STRANGER, ARB_RETRYABLE_TX, U256::ZERO, &redeem).unwrap();
    assert!(receipt.success, "{receipt:?}");
    let retry = &receipt.redeems[0];
    assert!(retry.success, "{retry:?}");
    assert_eq!((retry.calls[0].caller, retry.calls[0].address), (alias, POOL));
    assert!(retry.calls[0].input.is_empty());
    assert!(env.w.l2.balance(POOL) - before >= event.amount);
    assert_eq!(env.w.l2.retryable(id), None);
    let ledger = env.w.eth_ledger().unwrap();
    assert!(ledger.is_balanced(), "{ledger:?}");
}

#[test]
fn ether_stranded_at_the_vaults_alias_is_sent_on_to_the_pool_by_governance_and_counted_once() {
    let mut env = Env::new();
    let alias = apply_l1_to_l2_alias(env.vault);
    assert_eq!(env.view(&V::L2_ALIASCall {})._0, alias);
    // An expired ticket pays its value to its beneficiary, the alias (the VM does not reap
    // tickets): a keeper's retryable puts 1 ether there instead.
    let stranded = RetryableTicket {
        to: alias,
        l2_call_value: ether(1),
        max_submission_cost: env.w.contracts.retryable_submission_fee(&mut env.w.l1, 0).unwrap(),
        excess_fee_refund_address: KEEPER,
        call_value_refund_address: KEEPER,
        gas_limit: U256::from(100_000),
        max_fee_per_gas: gwei(1),
        data: Bytes::new(),
    };
    let sent = env.w.create_retryable_ticket(KEEPER, &stranded, stranded.required_value()).unwrap();
    assert!(sent.success, "{sent:?}");
    let delay = env.w.config().l1_to_l2_delay_seconds;
    env.w.advance_time(delay).unwrap();
    assert_eq!(env.w.l2.balance(alias), ether(1));
    // The vault pays the fees from its free balance.
    let call = V::recoverFromL2AliasCall { amount: ether(1) };
    let err = revert::<V::InsufficientFreeBalance>(&env.governance(call.abi_encode()));
    assert_eq!(err.free, U256::ZERO);
    assert!(
        env.w
            .l1_call(STRANGER, env.vault, ether(1) / U256::from(100), Vec::<u8>::new())
            .unwrap()
            .success
    );
    revert::<V::WrongL2Sender>(&env.message_from(STRANGER, call.abi_encode()));
    revert::<V::NotBridge>(&env.l1_call(KEEPER, &call));
    revert::<V::ZeroAmount>(
        &env.governance(V::recoverFromL2AliasCall { amount: U256::ZERO }.abi_encode()),
    );

    let receipt = env.governance(call.abi_encode());
    assert!(receipt.success, "{receipt:?}");
    let fee = ticket_fee(&mut env);
    let recovered = events::<V::L2AliasRecovered>(&receipt.logs, env.vault);
    assert_eq!((recovered[0].amount, recovered[0].fee), (ether(1), fee));
    assert_eq!(env.bridged(), U256::ZERO, "counted when it first left the vault");
    assert_eq!(env.w.l1.balance(env.vault), ether(1) / U256::from(100) - fee);

    let pool_before = env.w.l2.balance(POOL);
    env.w.advance_time(delay).unwrap();
    let inbound = env.w.inbound().last().unwrap().clone();
    assert_eq!(inbound.message.sender, alias);
    let Some(Delivery::Retryable(result)) = inbound.delivered.map(|d| d.delivery) else {
        panic!("the ticket was not delivered")
    };
    let redeem = result.auto_redeem.expect("an auto-redeem");
    assert!(redeem.success, "{redeem:?}");
    assert_eq!((redeem.calls[0].caller, redeem.calls[0].address), (alias, POOL));
    assert_eq!(redeem.calls[0].value, ether(1));
    // What the fees did not use stays at the alias: ArbOS refunds at most the deposit less the
    // call value, here nothing (nitro's rule), so the unused L2 gas is left there.
    let left = env.w.l2.balance(alias);
    assert!(left <= fee, "{left} left at the alias, fee {fee}");
    assert!(env.w.l2.balance(POOL) - pool_before >= ether(1));
    let ledger = env.w.eth_ledger().unwrap();
    assert!(ledger.is_balanced(), "{ledger:?}");
}
