//! Ether returned from L1 on the release wasm: the vault's retryable tickets, submitted to the
//! L2 VM as ArbOS runs them (escrow, auto-redeem from the aliased sender), credit the pool's
//! `receivedFromL1Vault`, join its buffer and mint nothing; the same ticket from another L1 address, or a plain
//! transfer from the vault's own (unaliased) address, is a deposit; `setL1Vault` is asked of
//! the AccessManager for `DEFAULT_ADMIN_ROLE`, is set once and emits the alias; a plain-transfer
//! deposit reads no more storage than `deposit` (slot 1's tag spares it the vault's slot).
#![allow(missing_docs)]

use alloy_primitives::{address, Address, B256, U256};
use protocol_tests::{
    abi::{IAccessManager, IStakingPool as P},
    deploy::{events, revert_data, BOOTSTRAP},
    ether, Suite, ADMIN, ALICE, BOB,
};
use staking_common::roles::{DEFAULT_ADMIN_ROLE, PAUSE_ROLE};
use staking_pool::abi::IStakingPool::{
    AccessDenied, InvalidAddress, L1EtherReceived, L1VaultAlreadySet, L1VaultSet, Submitted,
};
use stylus_vm::{
    arbos::{
        aliasing::apply_l1_to_l2_alias,
        retryables::{retryable_escrow_address, submission_fee, RetryableSubmission},
    },
    Receipt,
};

/// The L1 vault's address on L1 (any address: L1 is not this VM).
const VAULT: Address = address!("00000000000000000000000000000000000Fa017");
/// An L1 contract that is not the vault.
const IMPOSTOR: Address = address!("0000000000000000000000000000000000000BAD");
/// Receives the tickets' excess fees (on L2).
const REFUND: Address = address!("000000000000000000000000000000000000FEE5");

/// The suite with the L1 vault set by ADMIN.
fn suite() -> Suite {
    let mut s = Suite::deploy();
    let pool = s.pool;
    s.ok(ADMIN, pool, U256::ZERO, &P::setL1VaultCall { vault: VAULT });
    s
}

/// A retryable ticket sent by the L1 contract `l1_sender` to the pool with `value` and no
/// calldata, as the Inbox delivers it (the sender aliased), with `gas_limit` for its
/// auto-redeem.
pub(crate) fn ticket(
    s: &Suite,
    l1_sender: Address,
    value: U256,
    gas_limit: u64,
    id: u64,
) -> RetryableSubmission {
    let l1_base_fee = U256::from(30_000_000_000u64);
    let max_submission_fee = submission_fee(0, l1_base_fee);
    let max_fee_per_gas = s.vm.basefee();
    RetryableSubmission {
        request_id: B256::from(U256::from(id)),
        from: apply_l1_to_l2_alias(l1_sender),
        to: s.pool,
        l2_call_value: value,
        deposit: value + max_submission_fee + max_fee_per_gas * U256::from(gas_limit),
        max_submission_fee,
        excess_fee_refund_address: REFUND,
        call_value_refund_address: s.pool,
        gas_limit,
        max_fee_per_gas,
        data: Vec::new().into(),
        l1_base_fee,
    }
}

/// Submits the ticket; its auto-redeem's receipt (which must have been scheduled).
fn submit(s: &mut Suite, t: &RetryableSubmission) -> Receipt {
    let result = s.vm.submit_retryable(t);
    assert!(result.submission.success, "{:?}", result.submission.status);
    result.auto_redeem.expect("an auto-redeem ran")
}

/// `(totalShares, bufferedEther, totalPooledEther, receivedFromL1Vault)`.
fn counters(s: &mut Suite) -> (U256, U256, U256, U256) {
    let pool = s.pool;
    (
        s.view(pool, &P::totalSharesCall {})._0,
        s.view(pool, &P::getBufferedEtherCall {})._0,
        s.view(pool, &P::getTotalPooledEtherCall {})._0,
        s.view(pool, &P::receivedFromL1VaultCall {})._0,
    )
}

#[test]
fn the_vaults_auto_redeemed_ticket_credits_the_counter_and_mints_nothing() {
    let mut s = suite();
    s.deposit(ALICE, ether(10));
    let (shares, buffered, pooled, received) = counters(&mut s);
    assert_eq!(received, U256::ZERO);
    let balance = s.vm.balance(s.pool);

    let t = ticket(&s, VAULT, ether(3), 200_000, 1);
    let redeem = submit(&mut s, &t);
    assert!(redeem.success, "{:?}", redeem.status);
    assert_eq!(redeem.calls[0].caller, apply_l1_to_l2_alias(VAULT));
    assert_eq!(
        events::<L1EtherReceived>(&redeem),
        vec![L1EtherReceived { amount: ether(3), total: ether(3) }]
    );
    assert!(events::<Submitted>(&redeem).is_empty());

    let t = ticket(&s, VAULT, ether(2), 200_000, 2);
    let redeem = submit(&mut s, &t);
    assert_eq!(
        events::<L1EtherReceived>(&redeem),
        vec![L1EtherReceived { amount: ether(2), total: ether(5) }]
    );

    // No report has counted L1 ether yet (the pool's L1 figure, `clBalance`, is 0), so the
    // receipts are beyond the figure: nothing joins the buffer and total pooled ether does not
    // move; the ether waits at the pool's address for a report to claim it
    // (l1_accounting:: shows receipts against a reported L1 figure, which move to the buffer).
    assert_eq!(counters(&mut s), (shares, buffered, pooled, ether(5)));
    assert_eq!(s.view(s.pool, &P::getBeaconStatCall {})._2, U256::ZERO);
    assert_eq!(s.shares_of(apply_l1_to_l2_alias(VAULT)), U256::ZERO);
    assert_eq!(s.vm.balance(s.pool), balance + ether(5));
    assert_eq!(s.vm.balance(s.pool), buffered + ether(5), "unaccounted, for a report");
}

#[test]
fn a_ticket_whose_auto_redeem_failed_credits_the_counter_when_redeemed_later() {
    let mut s = suite();
    // 21,000 gas pays the intrinsic cost and nothing of the pool's entry.
    let t = ticket(&s, VAULT, ether(4), 21_000, 3);
    let result = s.vm.submit_retryable(&t);
    let id = result.ticket_id;
    assert!(!result.auto_redeem.expect("scheduled").success);
    assert_eq!(s.vm.balance(retryable_escrow_address(id)), ether(4), "in flight, in escrow");
    assert_eq!(counters(&mut s).3, U256::ZERO);

    s.vm.advance_time(3_600);
    let r = s.vm.redeem_ticket(BOB, id, 500_000);
    assert!(r.success, "{:?}", r.status);
    let retry = &r.redeems[0];
    assert!(retry.success, "{:?}", retry.status);
    assert_eq!(
        events::<L1EtherReceived>(retry),
        vec![L1EtherReceived { amount: ether(4), total: ether(4) }]
    );
    let (shares, buffered, _, received) = counters(&mut s);
    assert_eq!(received, ether(4));
    let bootstrap = U256::from(BOOTSTRAP);
    // Beyond the (empty) L1 figure: unaccounted until a report claims it.
    assert_eq!((shares, buffered), (bootstrap, bootstrap), "nothing minted, nothing buffered");
    assert_eq!(s.vm.balance(s.pool), bootstrap + ether(4));
}

#[test]
fn a_ticket_from_another_l1_address_is_a_deposit() {
    let mut s = suite();
    let spoofed = apply_l1_to_l2_alias(IMPOSTOR);
    let t = ticket(&s, IMPOSTOR, ether(3), 300_000, 4);
    let redeem = submit(&mut s, &t);
    assert!(redeem.success, "{:?}", redeem.status);
    assert_eq!(
        events::<Submitted>(&redeem),
        vec![Submitted { sender: spoofed, amount: ether(3), referral: Address::ZERO }]
    );
    assert!(events::<L1EtherReceived>(&redeem).is_empty());
    assert_eq!(s.shares_of(spoofed), ether(3));
    assert_eq!(counters(&mut s).3, U256::ZERO);
}

#[test]
fn a_plain_transfer_from_the_vaults_l1_address_itself_is_a_deposit() {
    let mut s = suite();
    s.vm.set_balance(VAULT, ether(5));
    let pool = s.pool;
    let r = s.vm.call(VAULT, pool, ether(2), &[]);
    assert!(r.success, "{:?}", r.status);
    assert_eq!(events::<Submitted>(&r).len(), 1);
    assert_eq!(s.shares_of(VAULT), ether(2));
    assert_eq!(counters(&mut s).3, U256::ZERO);
}

#[test]
fn receiving_the_vaults_ether_costs_less_than_a_plain_transfer_deposit() {
    let mut s = suite();
    s.deposit(ALICE, ether(1));
    let pool = s.pool;
    s.vm.set_balance(BOB, ether(10));
    s.vm.call(BOB, pool, ether(1), &[]);
    let deposit = s.vm.call(BOB, pool, ether(1), &[]);
    assert!(deposit.success);
    let t = ticket(&s, VAULT, ether(1), 200_000, 5);
    submit(&mut s, &t);
    let t = ticket(&s, VAULT, ether(1), 200_000, 6);
    let receipt = submit(&mut s, &t);
    assert!(receipt.success);
    // Both repeat: the depositor's share slot and the counter exist already.
    assert!(
        receipt.gas_used < deposit.gas_used,
        "receiving {} vs depositing {}",
        receipt.gas_used,
        deposit.gas_used
    );
}

#[test]
fn a_plain_transfer_deposit_reads_no_more_storage_than_deposit_once_the_vault_is_set() {
    let mut s = suite();
    let pool = s.pool;
    for who in [ALICE, BOB] {
        s.vm.set_balance(who, ether(10));
        s.deposit(who, ether(1));
    }
    // Repeat depositors both: the same slots, except that `receive` must tell BOB from the
    // vault; slot 1's tag does it without reading the vault's slot.
    let by_call = s.deposit(ALICE, ether(1));
    let by_transfer = s.vm.call(BOB, pool, ether(1), &[]);
    assert!(by_transfer.success, "{:?}", by_transfer.status);
    assert_eq!(events::<Submitted>(&by_transfer).len(), 1);
    assert_eq!(by_transfer.breakdown.storage, by_call.breakdown.storage);
}

#[test]
fn only_the_admin_role_sets_the_vault_through_the_manager_once_with_its_alias() {
    let mut s = Suite::deploy();
    let pool = s.pool;
    let manager = s.manager;
    assert_eq!(s.view(pool, &P::l1VaultCall {})._0, Address::ZERO);
    // ALICE without a role, then with another role: refused by the manager.
    for _ in 0..2 {
        let r = s.send(ALICE, pool, U256::ZERO, &P::setL1VaultCall { vault: VAULT });
        let denied: AccessDenied = revert_data(&r);
        assert_eq!((denied.caller, denied.role), (ALICE, DEFAULT_ADMIN_ROLE));
        s.ok(
            ADMIN,
            manager,
            U256::ZERO,
            &IAccessManager::grantRoleCall { role: PAUSE_ROLE, account: ALICE },
        );
    }
    assert_eq!(s.view(pool, &P::l1VaultCall {})._0, Address::ZERO);

    // Granted DEFAULT_ADMIN_ROLE by the manager, ALICE may; zero is refused.
    s.ok(
        ADMIN,
        manager,
        U256::ZERO,
        &IAccessManager::grantRoleCall { role: DEFAULT_ADMIN_ROLE, account: ALICE },
    );
    let r = s.send(ALICE, pool, U256::ZERO, &P::setL1VaultCall { vault: Address::ZERO });
    let _: InvalidAddress = revert_data(&r);
    let (_, r) = s.ok(ALICE, pool, U256::ZERO, &P::setL1VaultCall { vault: VAULT });
    assert_eq!(
        events::<L1VaultSet>(&r),
        vec![L1VaultSet { vault: VAULT, l2Alias: apply_l1_to_l2_alias(VAULT) }]
    );
    assert!(r.calls.iter().any(|c| c.address == manager), "the pool asked the manager");
    assert_eq!(s.view(pool, &P::l1VaultCall {})._0, VAULT);

    // Once: not even the admin changes it.
    let r = s.send(ADMIN, pool, U256::ZERO, &P::setL1VaultCall { vault: IMPOSTOR });
    assert_eq!(revert_data::<L1VaultAlreadySet>(&r), L1VaultAlreadySet { vault: VAULT });
    assert_eq!(s.view(pool, &P::l1VaultCall {})._0, VAULT);
}
