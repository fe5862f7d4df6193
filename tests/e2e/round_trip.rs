//! The L1 leg end to end, on both worlds (`protocol_tests::two_worlds`, docs/worlds.md): the
//! release wasm on Arbitrum through the StylusDeployer, the compiled L1 vault on Ethereum
//! beside Arbitrum's real Bridge, Inbox and Outbox and the beacon deposit contract, the relay
//! with Arbitrum One's delays (45,818 L1 blocks of challenge period, 768 s to L2). Balances on
//! both layers, the pool's identities and the bridge's ledger are checked after the steps; the
//! beacon chain is the harness's stand-in (its module docs say what it does and why).
//!
//! - `flows`: a deposit sent as one batch, executed after the challenge period, deposited
//!   under a fresh guardian quorum, seen by a report, its rewards bridged back and paid as a
//!   rebase with the fee split; a withdrawal paid by exits on L1, bridged back, finalized by a
//!   report, claimed and taken home through the Outbox; an exit forced by L2 governance through
//!   the vault's EIP-7002 request (issue 18), released by the L1 block's system call, applied
//!   by the consensus layer, bridged back and finalizing a request.
//! - `attacks`: a batch or configuration message from another L2 sender; ether from an L1
//!   address that is not the vault; a quorum signed before an operator front-ran a key (and
//!   the cancelled batch's return); a replayed batch; lying reports (an inflated vault,
//!   negative flight, a decreasing `bridgedToL2`) and a ticket redeemed after the reference
//!   slot; a ticket whose auto-redeem fails; a report while a ticket is in flight; and a
//!   cancelled first batch (its ether beyond the pool's L1 figure waits at the pool's address
//!   for the report that resolves its keys, which claims it as `withdrawals`).
//!
//! `-- --nocapture` prints the gas of each crossing and the days elapsed.
#![allow(missing_docs)]

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::SolCall;
use l1_vault::{keys_commitment, StakingVault as V, ValidatorKey};
use protocol_tests::oracle::Report;
use protocol_tests::{
    abi::{IAccountingOracle as O, IStakingPool as P, IWithdrawalQueue as Q},
    deploy::{events, events_from, revert_data},
    ether,
    two_worlds::{l1_events, PoolState, SentBatch, TwoWorlds, OUTSIDER, TOTAL_FEE_BP, TREASURY},
    ADMIN, ALICE, BOB,
};
use staking_pool::abi::IStakingPool::{L1EtherReceived, Submitted};
use stylus_vm::arbos::{aliasing::apply_l1_to_l2_alias, retryables::retryable_escrow_address};
use worlds::{
    abi::{AlreadySpent, IDepositContract, UnknownRoot},
    RetryableTicket, DEPOSIT_CONTRACT_ADDRESS,
};

/// `n` gwei in wei.
fn gwei(n: u64) -> U256 {
    U256::from(n) * U256::from(1_000_000_000u64)
}

/// The error a reverted L1 receipt carries.
fn l1_revert<E: alloy_sol_types::SolError>(r: &worlds::L1Receipt) -> E {
    assert!(!r.success, "expected {}, got {r:?}", E::SIGNATURE);
    E::abi_decode(&r.output, true)
        .unwrap_or_else(|e| panic!("expected {}, got {} ({e})", E::SIGNATURE, r.output))
}

mod attacks {
    use super::*;

    #[test]
    fn a_batch_message_from_another_l2_sender_is_refused_stays_unspent_and_moves_nothing() {
        let mut t = TwoWorlds::new();
        let vault = t.vault;
        let before = t.assert_identities();
        // BOB, not the pool, sends a well-formed batch with its ether.
        let keys = [ValidatorKey::fake(1)];
        let call = V::receiveBatchCall {
            commitment: keys_commitment(&keys, &t.credentials),
            keys: U256::from(1),
        };
        let bob = t.l2_balance(BOB);
        let index = t.send_to_l1(BOB, vault, ether(32), call.abi_encode());
        assert_eq!(t.l2_balance(BOB), bob - ether(32), "burned on L2");
        let owed = t.assert_ledger().owed_on_l1;
        assert_eq!(owed, ether(32), "the Bridge owes it");

        t.wait_challenge_period();
        let r = t.execute(index);
        let err = l1_revert::<V::WrongL2Sender>(&r);
        assert_eq!((err.l2Sender, err.expected), (BOB, t.s.pool));
        assert!(!t.is_spent(index), "the message stays unspent");
        // Nothing moved: the vault has no batch and no ether, the Bridge keeps the 32 ether,
        // the pool is as it was.
        assert_eq!(t.vault_view(&V::batchCountCall {})._0, 0);
        assert_eq!(t.vault_state(), (U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO));
        assert_eq!(t.assert_ledger().owed_on_l1, ether(32));
        assert_eq!(t.assert_identities(), before);
        // Nobody can execute it later either.
        t.advance_time(86_400);
        l1_revert::<V::WrongL2Sender>(&t.execute(index));
        assert!(!t.is_spent(index));

        // The same for governance: a stranger's configuration message is refused.
        let index = t.send_to_l1(BOB, vault, U256::ZERO, V::resumeCall {}.abi_encode());
        t.wait_challenge_period();
        let err = l1_revert::<V::WrongL2Sender>(&t.execute(index));
        assert_eq!((err.l2Sender, err.expected), (BOB, ADMIN));
        assert!(!t.is_spent(index));
    }

    #[test]
    fn ether_from_an_l1_address_that_is_not_the_vault_is_a_deposit_and_not_l1_ether() {
        let mut t = TwoWorlds::new();
        let pool = t.s.pool;
        let before = t.assert_identities();
        // An L1 account sends a retryable to the pool with 1 ether and no calldata: on L2
        // it arrives from that account's alias (the Inbox aliases every retryable's sender),
        // not from alias(vault).
        let max_submission_cost = t
            .relay(|w| w.contracts.retryable_submission_fee(&mut w.l1, 0))
            .expect("the Inbox's fee");
        let ticket = RetryableTicket {
            to: pool,
            l2_call_value: ether(1),
            max_submission_cost,
            excess_fee_refund_address: OUTSIDER,
            call_value_refund_address: OUTSIDER,
            gas_limit: U256::from(300_000),
            max_fee_per_gas: gwei(1),
            data: Bytes::new(),
        };
        let sent = t
            .relay(|w| w.create_retryable_ticket(OUTSIDER, &ticket, ticket.required_value()))
            .expect("a valid transaction");
        assert!(sent.success, "{sent:?}");
        let index = t.inbound_count() - 1;
        let expected_shares =
            t.s.view(pool, &P::getSharesByPooledEthCall { ethAmount: ether(1) })._0;
        t.wait_l1_to_l2();
        let result = t.ticket(index);
        let redeem = result.auto_redeem.expect("an auto-redeem");
        assert!(redeem.success, "{:?}", redeem.status);
        let sender = apply_l1_to_l2_alias(OUTSIDER);
        assert_eq!(redeem.calls[0].caller, sender);
        assert_ne!(sender, apply_l1_to_l2_alias(t.vault));
        // A deposit: shares minted to the sender, the buffer grows, no L1 ether counted.
        assert_eq!(
            events::<Submitted>(&redeem),
            vec![Submitted { sender, amount: ether(1), referral: Address::ZERO }]
        );
        assert!(events::<L1EtherReceived>(&redeem).is_empty());
        assert_eq!(t.s.shares_of(sender), expected_shares);
        let after = t.assert_identities();
        assert_eq!(after.received, U256::ZERO);
        assert_eq!(after.buffered, before.buffered + ether(1));
        assert_eq!(after.total_pooled, before.total_pooled + ether(1));
        assert_eq!(after.balance, before.balance + ether(1));
    }

    #[test]
    fn a_ticket_that_fails_to_auto_redeem_is_counted_in_flight_by_a_report_and_once_when_redeemed()
    {
        let mut t = TwoWorlds::new();
        staked(&mut t);
        let pool = t.s.pool;
        let vault = t.vault;
        let alias = apply_l1_to_l2_alias(vault);
        // Governance sets the ticket's L2 gas to 21,000: the intrinsic cost and nothing of the
        // pool's entry, as after an L2 gas price jump under a fixed budget.
        let params = V::BridgeParams { gasLimit: 21_000, ..l1_vault::default_bridge_params() };
        let set = t.governance(&V::setBridgeParamsCall { params });
        assert!(set.success, "{set:?}");
        assert_eq!(l1_events::<V::BridgeParamsSet>(&set.logs, vault).len(), 1);

        t.accrue(gwei(3_000_000));
        let skimmed = t.skim();
        t.el_rewards(gwei(5_000_000));
        let (_, bridged) = t.bridge_to_l2();
        let amount = bridged.amount;
        assert_eq!(amount + bridged.fee, skimmed + gwei(5_000_000));
        let index = t.inbound_count() - 1;
        let before = t.assert_identities();
        t.wait_l1_to_l2();
        let result = t.ticket(index);
        let redeem = result.auto_redeem.expect("an auto-redeem was scheduled");
        assert!(!redeem.success, "the auto-redeem ran out of gas");
        let id = result.ticket_id;
        // The ether waits in the ticket's escrow: not at the pool, not counted there.
        assert_eq!(t.l2_balance(retryable_escrow_address(id)), amount);
        let ticket = t.s.vm.retryable(id).expect("the ticket lives");
        assert_eq!(
            (ticket.from, ticket.to, ticket.callvalue, ticket.beneficiary),
            (alias, pool, amount, alias)
        );
        let waiting = t.assert_identities();
        // Nothing moved on the pool's books; the failed redeem's unused gas came back to it as
        // a plain transfer (the ticket's fee refund address), unaccounted.
        assert_eq!(PoolState { balance: before.balance, ..waiting }, before);
        assert!(waiting.balance - before.balance <= bridged.fee);
        assert_eq!(waiting.received, U256::ZERO);

        // A report while it waits counts it in flight (bridgedToL2 − receivedFromL1Vault):
        // the rewards are paid once, now.
        let (figures, r) = t.report();
        assert_eq!((figures.vault_balance, figures.bridged), (U256::ZERO, amount));
        let e = &events_from::<P::TokenRebased>(&r, pool)[0];
        // The failed redeem's unused gas, at the pool's address, is claimed too.
        assert_eq!(figures.unclaimed, waiting.balance - before.balance);
        assert_eq!(e.postTotalEther - e.preTotalEther, amount + figures.unclaimed);
        let reported = t.assert_accounted();
        assert_eq!(reported.cl_balance, ether(320) + amount, "in flight");

        // A day later BOB redeems it with gas of his own: counted once, from the alias.
        t.advance_time(86_400);
        let r = t.s.vm.redeem_ticket(BOB, id, 500_000);
        assert!(r.success, "{:?}", r.status);
        let retry = &r.redeems[0];
        assert!(retry.success, "{:?}", retry.status);
        assert_eq!(retry.calls[0].caller, alias);
        assert_eq!(
            events::<L1EtherReceived>(retry),
            vec![L1EtherReceived { amount, total: amount }]
        );
        assert_eq!(t.s.vm.retryable(id), None);
        let again = t.s.vm.redeem_ticket(BOB, id, 500_000);
        assert!(!again.success, "a ticket redeems once");
        assert_eq!(t.l2_balance(retryable_escrow_address(id)), U256::ZERO);
        let redeemed = t.assert_accounted();
        assert_eq!(redeemed.received, amount);
        assert_eq!(redeemed.buffered, reported.buffered + amount);
        assert_eq!(redeemed.cl_balance, ether(320));
        assert_eq!(redeemed.total_pooled, reported.total_pooled);

        // The next report does not pay it again.
        let (_, r) = t.report();
        let e = &events_from::<P::TokenRebased>(&r, pool)[0];
        assert_eq!(e.postTotalEther, e.preTotalEther, "counted once");
        t.assert_accounted();
    }

    #[test]
    fn a_report_arriving_while_the_vaults_ticket_is_in_flight_counts_it_once() {
        let mut t = TwoWorlds::new();
        staked(&mut t);
        let pool = t.s.pool;
        t.accrue(gwei(2_000_000));
        t.skim();
        // The keeper bridges two blocks before the reference slot: the ticket reaches L2 64
        // blocks later, after the report.
        t.before_next_ref_slot(2);
        let (_, bridged) = t.bridge_to_l2();
        let amount = bridged.amount;
        let index = t.inbound_count() - 1;
        let figures = t.to_next_ref_slot();
        assert!(t.relay(|w| w.inbound()[index].delivered.is_none()), "still in flight");
        assert_eq!((figures.vault_balance, figures.bridged), (U256::ZERO, amount));
        let r = t.process(&TwoWorlds::report_of(&figures));
        assert!(r.success, "{:?}", r.status);
        let e = &events_from::<P::TokenRebased>(&r, pool)[0];
        assert_eq!(e.postTotalEther - e.preTotalEther, amount, "in flight, counted");
        let reported = t.assert_accounted();

        t.wait_l1_to_l2();
        let redeem = t.ticket(index).auto_redeem.expect("an auto-redeem");
        assert!(redeem.success);
        let received = t.assert_accounted();
        assert_eq!(received.total_pooled, reported.total_pooled);
        assert_eq!(received.buffered, reported.buffered + amount);
        let (later, r) = t.report();
        let e = &events_from::<P::TokenRebased>(&r, pool)[0];
        // Only the redeem's unused gas, refunded to the pool's address, is new.
        assert_eq!(e.postTotalEther - e.preTotalEther, later.unclaimed, "not counted again");
        t.assert_accounted();
    }

    #[test]
    fn a_replayed_batch_is_refused_by_the_outbox_and_by_the_vault() {
        let mut t = TwoWorlds::new();
        let (batch, id) = staked(&mut t);
        let before = t.assert_identities();
        let err = l1_revert::<AlreadySpent>(&t.execute(batch.position));
        assert_eq!(err.index, U256::from(batch.position));
        let r = t.deposit_batch(id, &batch);
        let err = l1_revert::<V::BatchNotPending>(&r);
        assert_eq!((err.batchId, err.status), (U256::from(id), V::Status::Deposited));
        assert_eq!(t.vault_state(), (U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO));
        assert_eq!(t.cl(), (10, ether(320)), "no validator twice");
        // The registry moved on: the next batch holds other keys.
        t.s.deposit(BOB, ether(160));
        let next = t.send_batch(5);
        assert_ne!(next.commitment, batch.commitment);
        assert!(next.pubkeys.chunks(48).all(|k| !batch.pubkeys.chunks(48).any(|b| b == k)));
        assert_eq!(t.assert_accounted().total_pooled, before.total_pooled + ether(160));
    }

    #[test]
    fn a_quorum_signed_before_an_operator_front_ran_a_key_cannot_deposit_and_the_cancelled_batch_comes_back_whole(
    ) {
        let mut t = TwoWorlds::new();
        staked(&mut t);
        let vault = t.vault;
        t.s.deposit(BOB, ether(320));
        let batch = t.send_batch(10);
        let (id, _) = t.deliver(&batch);
        let start = t.assert_accounted();
        // The guardians sign over the current root...
        let fields = t.attestation_fields(id);
        // ... and the operator of the batch's first key deposits it first, with 1 ether and
        // credentials of its own.
        let pubkey: [u8; 48] = batch.pubkeys[..48].try_into().expect("48 bytes");
        let signature: [u8; 96] = batch.signatures[..96].try_into().expect("96 bytes");
        let own = l1_vault::withdrawal_credentials(OUTSIDER, false);
        let root = staking_common::deposit_data::deposit_data_root(
            &pubkey,
            &own,
            1_000_000_000,
            &signature,
        );
        let front_run = IDepositContract::depositCall {
            pubkey: pubkey.to_vec().into(),
            withdrawal_credentials: own.to_vec().into(),
            signature: signature.to_vec().into(),
            deposit_data_root: root.into(),
        };
        let r = t.l1_call(OUTSIDER, DEPOSIT_CONTRACT_ADDRESS, ether(1), front_run.abi_encode());
        assert!(r.success, "{r:?}");
        // The quorum's signatures name a root that is no longer current: refused.
        let r = t.deposit_batch_with(id, batch.pubkeys.clone(), batch.signatures.clone(), &fields);
        let err = l1_revert::<V::StaleDepositRoot>(&r);
        assert_eq!((err.attested, err.current), (fields.deposit_root, t.deposit_root()));
        assert_eq!(t.batch(id).2, V::Status::Pending);
        assert_eq!(t.vault_state(), (ether(320), ether(320), U256::ZERO, U256::ZERO));
        assert_eq!(t.cl(), (10, ether(320)), "nothing of the batch deposited");

        // The guardians see the front-run key and cancel the batch; its ether goes back.
        let r = t.cancel_batch(id);
        assert!(r.success, "{r:?}");
        let cancelled = l1_events::<V::BatchCancelled>(&r.logs, vault);
        assert_eq!(
            (cancelled[0].batchId, cancelled[0].amount, cancelled[0].byGovernance),
            (U256::from(id), ether(320), false)
        );
        assert_eq!(t.vault_state(), (ether(320), U256::ZERO, ether(320), U256::ZERO));
        let (_, bridged) = t.bridge_to_l2();
        let amount = bridged.amount;
        assert_eq!(amount + bridged.fee, ether(320));
        let index = t.inbound_count() - 1;
        t.wait_l1_to_l2();
        let redeem = t.ticket(index).auto_redeem.expect("an auto-redeem");
        assert!(redeem.success, "{:?}", redeem.status);
        assert_eq!(
            events::<L1EtherReceived>(&redeem),
            vec![L1EtherReceived { amount, total: amount }]
        );
        // Back in the buffer, off the L1 figure: the total has not moved; the ticket's fee is
        // the only difference with both worlds, a loss the next report takes.
        let back = t.assert_identities();
        assert_eq!(back.buffered, start.buffered + amount);
        assert_eq!(back.total_pooled, start.total_pooled);
        assert_eq!(back.total_pooled, back.buffered + t.l1_truth() + bridged.fee);
        assert_eq!(t.vault_state(), (U256::ZERO, U256::ZERO, U256::ZERO, amount));

        // The next report resolves the cancelled keys: the batch is no longer deposited-not-seen,
        // and what is lost is the ticket's fee, nothing else.
        let (figures, _) = t.report();
        assert_eq!(figures.validators, 20);
        let after = t.assert_accounted();
        assert_eq!((after.deposited, after.cl_validators), (20, 20));
        assert_eq!(after.cl_balance, ether(320));
        // The ticket's fee, net of its unused part (refunded to the pool's address, claimed).
        assert_eq!(after.total_pooled, start.total_pooled - bridged.fee + figures.unclaimed);
        assert!(after.balance >= after.buffered);
    }

    #[test]
    fn lying_reports_on_the_vault_are_refused_and_a_ticket_redeemed_after_the_reference_slot_is_not_a_lie(
    ) {
        let mut t = TwoWorlds::new();
        staked(&mut t);
        let pool = t.s.pool;
        t.accrue(gwei(2_000_000));
        let skimmed = t.skim();
        // The reference slot passes with the skims in the vault; the keeper bridges them right
        // after, and the ticket is redeemed before the report is processed: the honest report
        // (bridgedToL2 = 0 at its slot, the pool has received the ether since) is accepted.
        let first = t.to_next_ref_slot();
        assert_eq!((first.vault_balance, first.bridged), (skimmed, U256::ZERO));
        let (_, bridged) = t.bridge_to_l2();
        t.wait_l1_to_l2();
        assert_eq!(t.pool_state().received, bridged.amount);
        let r = t.process(&TwoWorlds::report_of(&first));
        assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
        let e = &events_from::<P::TokenRebased>(&r, pool)[0];
        assert_eq!(e.postTotalEther - e.preTotalEther, skimmed, "the rewards at the slot");

        let figures = t.to_next_ref_slot();
        assert_eq!((figures.vault_balance, figures.bridged), (U256::ZERO, bridged.amount));
        let before = t.assert_identities();
        let honest = TwoWorlds::report_of(&figures);

        // 10 ether more in the vault than it holds: beyond the CL annual-increase limit.
        let inflated = Report { vault_balance: ether(10), ..honest.clone() };
        let err = revert_data::<P::IncorrectCLBalanceIncrease>(&t.process(&inflated));
        assert!(err.annualBP > err.limitBP, "{err:?}");
        assert_eq!(t.assert_identities(), before);

        // bridgedToL2 below what the pool had received when the last report was processed:
        // negative ether in flight.
        let negative = Report { bridged_to_l2: U256::ZERO, ..honest.clone() };
        let err = revert_data::<O::NegativeFlight>(&t.process(&negative));
        assert_eq!((err.bridged, err.received), (U256::ZERO, bridged.amount));
        assert_eq!(t.assert_identities(), before);

        // The honest report goes through; the ticket's fee, spent after the first report's
        // slot, is the loss it records.
        let r = t.process(&honest);
        assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
        let e = &events_from::<P::TokenRebased>(&r, pool)[0];
        // Net of the fee's unused part, refunded to the pool's address and claimed.
        assert_eq!(e.preTotalEther - e.postTotalEther, bridged.fee - honest.withdrawals);
        let after = t.assert_accounted();

        // bridgedToL2 below the last report's: it is cumulative.
        let figures = t.to_next_ref_slot();
        let decreased = Report {
            bridged_to_l2: bridged.amount - U256::from(1),
            ..TwoWorlds::report_of(&figures)
        };
        let err = revert_data::<O::BridgedToL2Decreased>(&t.process(&decreased));
        assert_eq!((err.previous, err.reported), (bridged.amount, bridged.amount - U256::from(1)));
        assert_eq!(t.assert_accounted(), after);
    }

    #[test]
    fn a_cancelled_first_batch_comes_back_counted_once_and_the_next_report_resolves_it() {
        let mut t = TwoWorlds::new();
        t.onboard(2, 10);
        t.s.deposit(ALICE, ether(320));
        let start = t.assert_accounted();
        let batch = t.send_batch(10);
        let (id, _) = t.deliver(&batch);
        assert!(t.cancel_batch(id).success);
        let (_, bridged) = t.bridge_to_l2();
        t.wait_l1_to_l2();
        let back = t.assert_identities();
        assert_eq!(back.received, bridged.amount);
        assert_eq!(back.total_pooled, start.total_pooled, "counted once");
        // The L1 figure held none of it: nothing is buffered, it waits at the pool's address.
        assert_eq!((back.cl_balance, back.buffered), (U256::ZERO, start.buffered - ether(320)));
        // The ticket's unused fee came back to the pool's address too.
        let refund = back.balance - back.buffered - bridged.amount;
        assert!(refund < bridged.fee);
        let (figures, r) = t.report();
        assert!(r.success, "the report resolving the cancelled keys is accepted");
        assert_eq!((figures.validators, figures.cl_balance), (10, U256::ZERO));
        assert_eq!(figures.unclaimed, bridged.amount + refund, "claimed as withdrawals");
        let after = t.assert_accounted();
        assert_eq!(after.buffered, back.buffered + bridged.amount + refund);
        assert_eq!(after.balance, after.buffered, "nothing left unaccounted");
        assert_eq!(after.total_pooled, start.total_pooled - bridged.fee + refund);
    }
}

/// `seconds` in days, to two decimals.
fn days(seconds: u64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let d = seconds as f64 / 86_400.0;
    format!("{d:.2}")
}

/// The protocol with two operators of 10 keys each and ALICE's 320 ether sent to L1 as one
/// batch of 10, executed after the challenge period, deposited by a guardian quorum and seen
/// by a report: the batch and the vault's batch id.
fn staked(t: &mut TwoWorlds) -> (SentBatch, u64) {
    t.onboard(2, 10);
    t.s.deposit(ALICE, ether(320));
    let batch = t.send_batch(10);
    let (id, _) = t.deliver(&batch);
    let r = t.deposit_batch(id, &batch);
    assert!(r.success, "{r:?}");
    let (figures, _) = t.report();
    assert_eq!((figures.validators, figures.cl_balance), (10, ether(320)));
    t.assert_accounted();
    (batch, id)
}

/// The `BatchDeposited` of a `depositBatch` receipt.
fn deposited(t: &TwoWorlds, r: &worlds::L1Receipt) -> V::BatchDeposited {
    let e = l1_events::<V::BatchDeposited>(&r.logs, t.vault);
    assert_eq!(e.len(), 1, "one BatchDeposited");
    e[0].clone()
}

mod flows {
    use super::*;

    #[test]
    fn a_deposit_crosses_to_l1_as_a_batch_is_deposited_under_a_guardian_quorum_and_its_rewards_come_back_as_a_rebase_with_fees(
    ) {
        let mut t = TwoWorlds::new();
        let start = t.now();
        t.onboard(2, 10);
        t.s.deposit(ALICE, ether(320));
        let p0 = t.assert_identities();
        let vault = t.vault;

        // L2: one transaction sends the batch's ether and commitment to the vault.
        let batch = t.send_batch(10);
        println!("L2 gas: depositBufferedEther, a batch of 10 keys {}", batch.receipt.gas_used);
        assert_eq!(
            events::<P::Unbuffered>(&batch.receipt),
            vec![P::Unbuffered { amount: ether(320), depositedValidators: U256::from(10) }]
        );
        let p1 = t.assert_identities();
        assert_eq!(p1.buffered, p0.buffered - ether(320));
        assert_eq!((p1.deposited, p1.cl_validators), (10, 0));
        assert_eq!(p1.total_pooled, p0.total_pooled, "deposited, not yet seen");
        assert_eq!(p1.balance, p0.balance - ether(320), "burned on L2");
        assert_eq!(t.assert_ledger().owed_on_l1, ether(320), "owed by the Bridge on L1");

        // Not before the challenge period: the Outbox does not know the root.
        let sent_at = t.now();
        l1_revert::<UnknownRoot>(&t.execute(batch.position));
        assert!(!t.is_spent(batch.position));
        // A report while the batch's ether is on its way to L1 changes nothing: it is
        // deposited-not-seen, owed by the Bridge.
        let (figures, r) = t.report();
        assert_eq!((figures.validators, figures.cl_balance), (0, U256::ZERO));
        let e = &events_from::<P::TokenRebased>(&r, t.s.pool)[0];
        assert_eq!((e.preTotalEther, e.postTotalEther), (p0.total_pooled, p0.total_pooled));
        assert_eq!(t.assert_accounted(), p1);
        let (id, exec) = t.deliver(&batch);
        let waited = t.now() - sent_at;
        println!(
            "L1 gas: Outbox.executeTransaction -> receiveBatch, 10 keys {} (after {} days)",
            exec.gas_used,
            days(waited)
        );
        let period = t.config().challenge_period_blocks * 12;
        assert!(waited >= period && waited < period + 12 * 10, "{waited} s");
        assert!(t.is_spent(batch.position));
        assert_eq!(t.batch(id), (batch.commitment, 10, V::Status::Pending));
        assert_eq!(t.vault_state(), (ether(320), ether(320), U256::ZERO, U256::ZERO));
        assert_eq!(t.assert_ledger().owed_on_l1, U256::ZERO);
        t.assert_identities();

        // L1: a fresh guardian quorum over the deposit contract's root deposits the batch.
        let count = t.deposit_count();
        let r = t.deposit_batch(id, &batch);
        assert!(r.success, "{r:?}");
        println!("L1 gas: depositBatch, 10 keys, quorum 2 of 3 {}", r.gas_used);
        println!(
            "L1 gas: outbox execution + guarded deposit, 10 keys {}",
            exec.gas_used + r.gas_used
        );
        let e = deposited(&t, &r);
        assert_eq!((e.batchId, e.keys, e.nonce), (U256::from(id), U256::from(10), U256::ZERO));
        assert_eq!(t.deposit_count(), count + 10);
        assert_eq!(t.batch(id).2, V::Status::Deposited);
        assert_eq!(t.vault_state(), (U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO));
        let logged = l1_events::<worlds::abi::IDepositContract::DepositEvent>(
            &r.logs,
            worlds::DEPOSIT_CONTRACT_ADDRESS,
        );
        assert_eq!(logged.len(), 10);
        for (i, e) in logged.iter().enumerate() {
            assert_eq!(e.pubkey.to_vec(), batch.pubkeys[i * 48..(i + 1) * 48].to_vec());
            assert_eq!(e.withdrawal_credentials.to_vec(), t.credentials.to_vec());
        }
        assert_eq!(t.cl(), (10, ether(320)));
        t.assert_identities();

        // The next report sees the validators: nothing gained, nothing lost.
        let (figures, r) = t.report();
        assert_eq!((figures.validators, figures.cl_balance), (10, ether(320)));
        assert_eq!((figures.vault_balance, figures.bridged), (U256::ZERO, U256::ZERO));
        let seen = events::<P::CLValidatorsUpdated>(&r);
        assert_eq!(
            (seen[0].preCLValidators, seen[0].postCLValidators),
            (U256::ZERO, U256::from(10))
        );
        let p2 = t.assert_accounted();
        assert_eq!((p2.cl_validators, p2.cl_balance), (10, ether(320)));
        assert_eq!(p2.total_pooled, p0.total_pooled);

        // A day of consensus rewards swept to the vault, and execution-layer rewards.
        t.advance_time(86_400);
        t.accrue(gwei(2_000_000));
        assert_eq!(t.skim(), gwei(20_000_000));
        t.el_rewards(gwei(10_000_000));
        assert_eq!(t.vault_state(), (gwei(30_000_000), U256::ZERO, gwei(30_000_000), U256::ZERO));

        // Anyone bridges the vault's free balance to the pool by retryable ticket.
        let (r, bridged) = t.bridge_to_l2();
        println!("L1 gas: bridgeToL2 {}", r.gas_used);
        let amount = bridged.amount;
        assert_eq!(amount + bridged.fee, gwei(30_000_000));
        assert_eq!(t.vault_state(), (U256::ZERO, U256::ZERO, U256::ZERO, amount));
        let index = t.inbound_count() - 1;
        let before = t.assert_identities();
        t.wait_l1_to_l2();
        let ticket = t.ticket(index);
        let redeem = ticket.auto_redeem.expect("an auto-redeem");
        assert!(redeem.success, "{:?}", redeem.status);
        println!("L2 gas: the ticket's auto-redeem into the pool {}", redeem.gas_used);
        assert_eq!(redeem.calls[0].caller, apply_l1_to_l2_alias(vault));
        assert_eq!(
            events::<L1EtherReceived>(&redeem),
            vec![L1EtherReceived { amount, total: amount }]
        );
        // The receipt moves the ether from the L1 figure into the buffer: nothing is minted,
        // the total does not move until a report says what it was.
        let after = t.assert_identities();
        assert_eq!(after.received, amount);
        assert_eq!(after.buffered, before.buffered + amount);
        assert_eq!(after.cl_balance, before.cl_balance - amount);
        assert_eq!(after.total_pooled, before.total_pooled);

        // The next report pays the rewards as a rebase, the fee in shares.
        let alice = t.s.balance_of(ALICE);
        let (pre_treasury, pre_registry) = (t.s.shares_of(TREASURY), t.s.shares_of(t.v.registry));
        let (figures, r) = t.report();
        assert_eq!((figures.vault_balance, figures.bridged), (U256::ZERO, amount));
        let pool = t.s.pool;
        let rebased = events_from::<P::TokenRebased>(&r, pool);
        assert_eq!(rebased.len(), 1);
        let e = &rebased[0];
        let rewards = e.postTotalEther - e.preTotalEther;
        // What reached the pool: the ticket's ether and its unused fee, refunded to the pool's
        // address and claimed by the report.
        assert_eq!(rewards, amount + figures.unclaimed, "the rewards are what reached the pool");
        let treasury = t.s.shares_of(TREASURY) - pre_treasury;
        let operators = t.s.shares_of(t.v.registry) - pre_registry;
        assert_eq!(treasury + operators, e.sharesMintedAsFees);
        let fee_value = e.sharesMintedAsFees * e.postTotalEther / e.postTotalShares;
        let fee = rewards * U256::from(TOTAL_FEE_BP) / U256::from(10_000);
        assert!(fee_value <= fee && fee - fee_value <= U256::from(2), "{fee_value} {fee}");
        assert!(operators <= treasury && treasury - operators <= U256::from(1));
        assert!(t.s.balance_of(ALICE) > alice);
        let p3 = t.assert_accounted();
        assert_eq!(p3.cl_balance, ether(320));
        assert_eq!(p3.total_pooled, p0.total_pooled + amount + figures.unclaimed);
        println!("days elapsed, deposit to rebase: {}", days(t.now() - start));
    }

    #[test]
    fn a_withdrawal_requested_on_l2_is_paid_by_exits_on_l1_bridged_back_finalized_by_a_report_and_claimed(
    ) {
        let mut t = TwoWorlds::new();
        staked(&mut t);
        let (pool, queue) = (t.s.pool, t.s.queue);
        let start = t.now();
        // ALICE asks for 63 ether on L2: the buffer cannot pay it, the validators must exit.
        let (ids, r) = t.s.request_withdrawals(ALICE, &[ether(32), ether(31)]);
        assert!(r.success);
        let unfinalized = t.s.view(queue, &Q::unfinalizedStETHCall {})._0;
        assert!(unfinalized >= ether(63) - U256::from(2), "{unfinalized}");
        let requested = t.assert_accounted();
        assert!(requested.buffered < ether(63));

        // A day of rewards, then two validators exit on L1 (the committee's exit requests are
        // off chain; the harness plays the consensus layer): their balances reach the vault.
        t.advance_time(86_400);
        t.accrue(gwei(3_000_000));
        let exited = t.exit(2);
        assert_eq!(exited, ether(64) + gwei(6_000_000));
        assert_eq!(t.cl(), (10, ether(256) + gwei(24_000_000)));
        assert_eq!(t.vault_state(), (exited, U256::ZERO, exited, U256::ZERO));
        let rewards = gwei(30_000_000);
        assert_eq!(t.pool_state().total_pooled + rewards, t.pool_state().buffered + t.l1_truth());

        // Bridged back: the pool's buffer can pay.
        let (_, bridged) = t.bridge_to_l2();
        let index = t.inbound_count() - 1;
        t.wait_l1_to_l2();
        let redeem = t.ticket(index).auto_redeem.expect("an auto-redeem");
        assert!(redeem.success, "{:?}", redeem.status);
        let back = t.assert_identities();
        assert_eq!(back.buffered, requested.buffered + bridged.amount);
        assert!(back.buffered >= ether(63), "{back:?}");

        // The next report sees the exits and finalizes the requests at the report's rate.
        let figures = t.to_next_ref_slot();
        assert_eq!((figures.validators, figures.cl_balance), (10, ether(256) + gwei(24_000_000)));
        assert_eq!((figures.vault_balance, figures.bridged), (U256::ZERO, bridged.amount));
        let rate = t.s.share_rate();
        let report = Report { batches: vec![ids[1]], rate, ..TwoWorlds::report_of(&figures) };
        let queue_before = t.l2_balance(queue);
        let r = t.process(&report);
        assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
        let locked = t.l2_balance(queue) - queue_before;
        assert!(locked <= ether(63) && ether(63) - locked <= U256::from(3), "{locked}");
        assert_eq!(t.s.view(queue, &Q::getLastFinalizedRequestIdCall {})._0, ids[1]);
        assert_eq!(t.s.view(queue, &Q::getLockedEtherAmountCall {})._0, locked);
        let e = &events_from::<P::TokenRebased>(&r, pool)[0];
        // The day's rewards less the ticket's fee, the requests' ether locked; no bunker mode.
        assert_eq!(
            e.postTotalEther + locked - e.preTotalEther,
            rewards - bridged.fee + figures.unclaimed,
            "less the ticket's fee net of its refund"
        );
        assert!(e.sharesMintedAsFees > U256::ZERO);
        assert!(!t.s.view(queue, &Q::isBunkerModeActiveCall {})._0);
        let reported = t.assert_accounted();
        assert_eq!(reported.cl_balance, ether(256) + gwei(24_000_000));
        assert_eq!(reported.buffered, back.buffered + figures.unclaimed - locked);

        // ALICE claims on L2 exactly what was locked, and takes it home to L1.
        let mut paid = U256::ZERO;
        for id in &ids {
            let before = t.l2_balance(ALICE);
            let r = t.s.send(ALICE, queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: *id });
            assert!(r.success, "{:?}", r.status);
            paid += t.l2_balance(ALICE) - before;
        }
        assert_eq!(paid, locked);
        assert_eq!(t.l2_balance(queue), queue_before);
        t.assert_accounted();
        let l1_before = t.l1_balance(ALICE);
        let withdraw = stylus_vm::arbos::arbsys::withdrawEthCall { destination: ALICE };
        let r = t.l2_send(ALICE, stylus_vm::precompiles::ARB_SYS, paid, &withdraw);
        assert!(r.success, "{:?}", r.status);
        let position = t.sends() - 1;
        t.wait_challenge_period();
        let r = t.execute(position);
        assert!(r.success, "{r:?}");
        assert_eq!(t.l1_balance(ALICE), l1_before + paid, "the keeper paid the gas");
        t.assert_accounted();
        println!("days elapsed, request to ether on L1: {}", days(t.now() - start));
    }

    #[test]
    fn governance_forces_an_exit_through_eip_7002_and_its_ether_pays_the_queue() {
        let mut t = TwoWorlds::new();
        let (batch, _) = staked(&mut t);
        let queue = t.s.queue;
        let (ids, r) = t.s.request_withdrawals(ALICE, &[ether(32)]);
        assert!(r.success);
        // Execution-layer rewards give the vault free balance for the request's fee.
        t.el_rewards(gwei(1_000));
        let free = t.vault_view(&V::freeBalanceCall {})._0;
        assert_eq!(free, gwei(1_000));

        // The operator does not exit its first validator: L2 governance forces it through the
        // vault, the only address the consensus layer takes an exit request from for it. A key
        // that is not a validator of the vault is named too: the consensus layer drops it.
        let first = batch.pubkeys[..48].to_vec();
        let stranger = vec![0x42u8; 48];
        let pubkeys: Bytes = [first.clone(), stranger.clone()].concat().into();
        let r = t.governance(&V::triggerExitsCall { pubkeys });
        assert!(r.success, "{r:?}");
        let requested = l1_events::<V::ExitRequested>(&r.logs, t.vault);
        assert_eq!(requested.len(), 2);
        let fee = requested[0].fee;
        // The fees left the free balance (unreported L1 ether, like the rewards, until the
        // next report counts the vault).
        assert_eq!(t.vault_view(&V::freeBalanceCall {})._0, free - fee * U256::from(2));

        // The block's system call releases the requests; the consensus layer exits the
        // vault's validator and pays its balance to the vault.
        let (exited, paid) = t.process_withdrawal_requests();
        assert_eq!(exited, vec![first]);
        assert_eq!(paid, ether(32));
        assert_eq!(t.cl(), (10, ether(288)));
        assert_eq!(t.process_withdrawal_requests(), (Vec::new(), U256::ZERO), "released once");

        // Bridged back and reported: the request is finalized from the forced exit's ether.
        let (_, bridged) = t.bridge_to_l2();
        let index = t.inbound_count() - 1;
        t.wait_l1_to_l2();
        assert!(t.ticket(index).auto_redeem.expect("an auto-redeem").success);
        t.assert_identities();
        let figures = t.to_next_ref_slot();
        assert_eq!((figures.validators, figures.cl_balance), (10, ether(288)));
        assert_eq!(figures.bridged, bridged.amount);
        let rate = t.s.share_rate();
        let report = Report { batches: vec![ids[0]], rate, ..TwoWorlds::report_of(&figures) };
        let r = t.process(&report);
        assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
        assert_eq!(t.s.view(queue, &Q::getLastFinalizedRequestIdCall {})._0, ids[0]);
        t.assert_accounted();
    }
}
