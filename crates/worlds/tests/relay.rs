//! Both worlds and the relay between them: deposits and retryables from L1 arriving on L2 after
//! the inclusion delay from the aliased sender, L2-to-L1 sends executable on the real Outbox
//! only after the challenge period, ether conserved across the bridge, one clock.
//!
//! Gas figures are printed (`cargo test -p worlds --test worlds relay:: -- --nocapture`), not
//! asserted.

use alloy_primitives::{address, hex, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent, SolValue};
use stylus_vm::arbos::{
    arbsys::{sendTxToL1Call, withdrawEthCall},
    retryables::{
        redeemCall, retryable_escrow_address, submission_fee, RedeemScheduled, ARB_RETRYABLE_TX,
    },
    send_merkle::send_root,
    NETWORK_FEE_ACCOUNT,
};
use stylus_vm::precompiles::{block_hash, ARB_SYS};
use worlds::abi::{AlreadySpent, IEvmCallee, IInbox, IOutbox, UnknownRoot};
use worlds::relay::{
    Delivery, RelayConfig, ARBITRUM_ONE_CHALLENGE_PERIOD_BLOCKS, FORCE_INCLUSION_DELAY_SECONDS,
    SEQUENCER_INCLUSION_DELAY_SECONDS,
};
use worlds::{apply_l1_to_l2_alias, outbox_root, Artifact, RelayError, RetryableTicket, Worlds};

const ALICE: Address = address!("000000000000000000000000000000000a11ce00");
const BOB: Address = address!("0000000000000000000000000000000000b0b000");
const CAROL: Address = address!("00000000000000000000000000000000000ca400");
const KEEPER: Address = address!("00000000000000000000000000000000000ee900");

fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64.pow(18))
}

fn gwei(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64.pow(9))
}

/// New worlds (Arbitrum One's delays unless `config`), Alice, Bob, Carol and the keeper
/// funded on L1 only: every wei on L2 comes through the bridge.
fn worlds_with(config: RelayConfig) -> Worlds {
    let mut w = Worlds::with_config(config).expect("worlds (run scripts/evm-build)");
    for who in [ALICE, BOB, CAROL, KEEPER] {
        w.l1.set_balance(who, ether(1_000));
    }
    w
}

fn worlds() -> Worlds {
    worlds_with(RelayConfig::default())
}

/// The ether identity holds; the ledger.
fn balanced(w: &mut Worlds) -> worlds::relay::EthLedger {
    let ledger = w.eth_ledger().unwrap();
    assert!(ledger.is_balanced(), "{ledger:?}");
    ledger
}

/// `EvmCallee` deployed on L1 by Alice.
fn l1_callee(w: &mut Worlds) -> Address {
    let artifact = Artifact::load("EvmCallee").unwrap();
    let (receipt, created) = w.l1.create(ALICE, artifact.bytecode, U256::ZERO).unwrap();
    assert!(receipt.success, "{receipt:?}");
    created.unwrap()
}

/// `EvmCallee` deployed on L2 by a creation transaction from Carol.
fn l2_callee(w: &mut Worlds) -> Address {
    let artifact = Artifact::load("EvmCallee").unwrap();
    let receipt = w.l2_create(CAROL, U256::ZERO, &artifact.bytecode).unwrap();
    assert!(receipt.success, "{receipt:?}");
    receipt.contract_address.unwrap()
}

fn l2_view<C: SolCall>(w: &mut Worlds, to: Address, call: &C) -> C::Return {
    let receipt = w.l2.static_call(ALICE, to, &call.abi_encode());
    assert!(receipt.success, "{receipt:?}");
    C::abi_decode_returns(&receipt.output, true).unwrap()
}

fn l1_view<C: SolCall>(w: &mut Worlds, to: Address, call: &C) -> C::Return {
    let receipt = w.l1.static_call(Address::ZERO, to, call.abi_encode()).unwrap();
    assert!(receipt.success, "{receipt:?}");
    C::abi_decode_returns(&receipt.output, true).unwrap()
}

fn delay(w: &Worlds) -> u64 {
    w.config().l1_to_l2_delay_seconds
}

/// Deposits `amount` for `who` on L1 and waits until it is on L2.
fn fund_on_l2(w: &mut Worlds, who: Address, amount: U256) {
    let before = w.l2.balance(who);
    assert!(w.deposit_eth(who, amount).unwrap().success);
    w.advance_time(delay(w)).unwrap();
    assert_eq!(w.l2.balance(who), before + amount);
}

// ---------------------------------------------------------------------------- L1 to L2

#[test]
fn a_deposit_arrives_on_l2_only_after_the_inclusion_delay_and_a_contracts_at_its_alias() {
    let mut w = worlds();
    assert_eq!(delay(&w), SEQUENCER_INCLUSION_DELAY_SECONDS);
    let from_eoa = w.deposit_eth(ALICE, ether(3)).unwrap();
    assert!(from_eoa.success, "{from_eoa:?}");
    let contract = l1_callee(&mut w);
    let call = IEvmCallee::callOutCall {
        target: w.contracts.inbox,
        value: ether(2),
        data: IInbox::depositEthCall {}.abi_encode().into(),
    };
    let from_contract = w.l1_call(ALICE, contract, ether(2), call.abi_encode()).unwrap();
    assert!(from_contract.success, "{from_contract:?}");
    let sent_at = (w.l1.block_number(), w.l1.timestamp());

    let ledger = balanced(&mut w);
    assert_eq!((ledger.bridge_balance, ledger.in_flight_to_l2), (ether(5), ether(5)));
    assert_eq!((ledger.l2_minted, ledger.l2_supply), (U256::ZERO, U256::ZERO));
    assert_eq!(w.inbound().len(), 2);
    assert_eq!(w.inbound()[0].due_timestamp, sent_at.1 + SEQUENCER_INCLUSION_DELAY_SECONDS);

    // One block short of the delay: nothing on L2 yet.
    w.advance_time(SEQUENCER_INCLUSION_DELAY_SECONDS - 12).unwrap();
    assert_eq!(w.l2.balance(ALICE), U256::ZERO);
    assert!(w.inbound().iter().all(|m| m.delivered.is_none()));
    balanced(&mut w);

    w.advance_blocks(1).unwrap();
    let due_block = sent_at.0 + SEQUENCER_INCLUSION_DELAY_SECONDS / 12;
    assert_eq!(w.l1.block_number(), due_block);
    assert_eq!(w.l2.balance(ALICE), ether(3));
    let alias = apply_l1_to_l2_alias(contract);
    assert_eq!(w.l2.balance(alias), ether(2));
    assert_eq!(w.l2.balance(contract), U256::ZERO);
    let delivered = w.inbound()[1].delivered.clone().unwrap();
    assert_eq!((delivered.l1_block, delivered.timestamp), (due_block, w.l1.timestamp()));
    assert!(matches!(
        delivered.delivery,
        Delivery::Deposit { to, amount, .. } if to == alias && amount == ether(2)
    ));
    let ledger = balanced(&mut w);
    assert_eq!(
        (ledger.l2_minted, ledger.l2_supply, ledger.in_flight_to_l2),
        (ether(5), ether(5), U256::ZERO)
    );
    assert_eq!(ledger.bridge_balance, ether(5));
}

#[test]
fn under_the_force_inclusion_bound_a_deposit_waits_24_hours_and_runs_at_its_due_block() {
    let config = RelayConfig {
        l1_to_l2_delay_seconds: FORCE_INCLUSION_DELAY_SECONDS,
        ..RelayConfig::default()
    };
    let mut w = worlds_with(config);
    w.deposit_eth(BOB, ether(1)).unwrap();
    let sent = w.l1.block_number();
    w.advance_time(FORCE_INCLUSION_DELAY_SECONDS - 12).unwrap();
    assert_eq!(w.l2.balance(BOB), U256::ZERO);
    // One long advance stops at the due block to run the message, then goes on.
    w.advance_blocks(100).unwrap();
    assert_eq!(w.l2.balance(BOB), ether(1));
    let delivered = w.inbound()[0].delivered.clone().unwrap();
    assert_eq!(delivered.l1_block, sent + FORCE_INCLUSION_DELAY_SECONDS / 12);
    assert_eq!(w.l1.block_number(), sent + FORCE_INCLUSION_DELAY_SECONDS / 12 - 1 + 100);
    balanced(&mut w);
}

/// A ticket from an L1 contract to the L2 callee's `store(7)` with 1 ether, refunds to Carol.
fn store_ticket(w: &mut Worlds, l2_target: Address, gas_limit: u64) -> RetryableTicket {
    let data: Bytes = IEvmCallee::storeCall { value: U256::from(7) }.abi_encode().into();
    let fee = w.contracts.retryable_submission_fee(&mut w.l1, data.len()).unwrap();
    RetryableTicket {
        to: l2_target,
        l2_call_value: ether(1),
        max_submission_cost: fee + gwei(1_000),
        excess_fee_refund_address: CAROL,
        call_value_refund_address: CAROL,
        gas_limit: U256::from(gas_limit),
        max_fee_per_gas: w.l2.basefee() * U256::from(3),
        data,
    }
}

/// Sends `ticket` from the L1 contract `sender` through the relay (Alice pays `deposit`).
fn send_ticket(w: &mut Worlds, sender: Address, ticket: &RetryableTicket, deposit: U256) {
    let create = ticket.call();
    let call = IEvmCallee::callOutCall {
        target: w.contracts.inbox,
        value: deposit,
        data: create.abi_encode().into(),
    };
    let receipt = w.l1_call(ALICE, sender, deposit, call.abi_encode()).unwrap();
    assert!(receipt.success, "{receipt:?}");
    println!("L1 gas: createRetryableTicket through a contract {}", receipt.gas_used);
    assert!(receipt.gas_used > 21_000 && receipt.gas_used < 300_000);
}

/// The L2 balances a ticket's ether can end at.
fn ticket_balances(w: &Worlds, sender: Address, id: B256, target: Address) -> [U256; 5] {
    [
        w.l2.balance(apply_l1_to_l2_alias(sender)),
        w.l2.balance(CAROL),
        w.l2.balance(NETWORK_FEE_ACCOUNT),
        w.l2.balance(retryable_escrow_address(id)),
        w.l2.balance(target),
    ]
}

#[test]
fn a_retryable_from_an_l1_contract_calls_an_l2_contract_from_its_alias_and_every_wei_is_accounted()
{
    let mut w = worlds();
    let target = l2_callee(&mut w);
    let sender = l1_callee(&mut w);
    let ticket = store_ticket(&mut w, target, 300_000);
    let extra = gwei(7);
    let deposit = ticket.required_value() + extra;
    send_ticket(&mut w, sender, &ticket, deposit);
    assert_eq!(balanced(&mut w).in_flight_to_l2, deposit);

    w.advance_time(delay(&w)).unwrap();
    let delivered = w.inbound()[0].delivered.clone().unwrap();
    let Delivery::Retryable(result) = delivered.delivery else { panic!("{delivered:?}") };
    assert!(result.submission.success, "{:?}", result.submission);
    let redeem = result.auto_redeem.clone().expect("an auto-redeem");
    assert!(redeem.success, "{redeem:?}");
    println!("L2 gas: the auto-redeem calling store {}", redeem.gas_used);
    assert_eq!(w.l2.retryable(result.ticket_id), None);

    let alias = apply_l1_to_l2_alias(sender);
    assert_eq!(l2_view(&mut w, target, &IEvmCallee::getCall {})._0, U256::from(7));
    assert_eq!(l2_view(&mut w, target, &IEvmCallee::lastSenderCall {})._0, alias);
    assert_eq!(l2_view(&mut w, target, &IEvmCallee::lastPaidCall {})._0, ether(1));

    // Every wei of the deposit, on L2.
    let basefee = w.l2.basefee();
    let fee = submission_fee(ticket.data.len(), w.inbound()[0].message.base_fee_l1);
    let gas_limit = U256::from(300_000);
    let used = U256::from(redeem.gas_used);
    let balances = ticket_balances(&w, sender, result.ticket_id, target);
    assert_eq!(balances[0], extra, "the sender keeps what the deposit held beyond its needs");
    assert_eq!(
        balances[1],
        (ticket.max_submission_cost - fee)
            + (ticket.max_fee_per_gas - basefee) * gas_limit
            + fee
            + basefee * (gas_limit - used),
        "the refund address: excess submission cost, price difference, fee and unused gas back"
    );
    assert_eq!(balances[2], basefee * used, "the network keeps the gas used");
    assert_eq!(balances[3], U256::ZERO);
    assert_eq!(balances[4], ether(1));
    assert_eq!(balances.iter().fold(U256::ZERO, |s, b| s + b), deposit);
    let ledger = balanced(&mut w);
    assert_eq!((ledger.l2_supply, ledger.bridge_balance), (deposit, deposit));
}

#[test]
fn a_retryable_whose_auto_redeem_runs_out_of_gas_stays_and_someone_else_redeems_it_later() {
    let mut w = worlds();
    let target = l2_callee(&mut w);
    let sender = l1_callee(&mut w);
    let ticket = store_ticket(&mut w, target, 30_000);
    let deposit = ticket.required_value();
    send_ticket(&mut w, sender, &ticket, deposit);
    w.advance_time(delay(&w)).unwrap();

    let delivered = w.inbound()[0].delivered.clone().unwrap();
    let Delivery::Retryable(result) = delivered.delivery else { panic!("{delivered:?}") };
    let id = result.ticket_id;
    let redeem = result.auto_redeem.clone().expect("an auto-redeem");
    assert!(!redeem.success, "{redeem:?}");
    let live = w.l2.retryable(id).expect("the ticket stays");
    let alias = apply_l1_to_l2_alias(sender);
    assert_eq!((live.from, live.to, live.callvalue), (alias, target, ether(1)));
    assert_eq!(live.beneficiary, CAROL);
    let fee = submission_fee(ticket.data.len(), w.inbound()[0].message.base_fee_l1);
    let basefee = w.l2.basefee();
    let balances = ticket_balances(&w, sender, id, target);
    assert_eq!(balances[2], fee + basefee * U256::from(redeem.gas_used));
    assert_eq!((balances[3], balances[4]), (ether(1), U256::ZERO));
    assert_eq!(balances.iter().fold(U256::ZERO, |s, b| s + b), deposit);
    balanced(&mut w);

    // A day later Bob, who holds nothing on L2 and is neither sender nor beneficiary, redeems.
    w.advance_time(24 * 60 * 60).unwrap();
    assert!(w.l2.retryable(id).is_some());
    let receipt = w
        .l2_call(BOB, ARB_RETRYABLE_TX, U256::ZERO, &redeemCall { ticketId: id }.abi_encode())
        .unwrap();
    assert!(receipt.success, "{receipt:?}");
    let scheduled: Vec<_> = receipt
        .logs
        .iter()
        .filter_map(|l| RedeemScheduled::decode_log_data(&l.data, true).ok())
        .collect();
    assert_eq!((scheduled.len(), scheduled[0].gasDonor, scheduled[0].ticketId), (1, BOB, id));
    assert_eq!(receipt.redeems.len(), 1);
    assert!(receipt.redeems[0].success, "{:?}", receipt.redeems[0]);
    assert_eq!(w.l2.retryable(id), None);
    assert_eq!(l2_view(&mut w, target, &IEvmCallee::getCall {})._0, U256::from(7));
    assert_eq!(l2_view(&mut w, target, &IEvmCallee::lastSenderCall {})._0, alias);
    let after = ticket_balances(&w, sender, id, target);
    assert_eq!((after[3], after[4]), (U256::ZERO, ether(1)));
    assert_eq!(after.iter().fold(U256::ZERO, |s, b| s + b), deposit);
    assert_eq!(w.l2.balance(BOB), U256::ZERO);
    let ledger = balanced(&mut w);
    assert_eq!(ledger.l2_supply, deposit);

    // It is gone: a second redeem fails.
    let again = w
        .l2_call(BOB, ARB_RETRYABLE_TX, U256::ZERO, &redeemCall { ticketId: id }.abi_encode())
        .unwrap();
    assert!(!again.success);
    assert!(again.redeems.is_empty());
}

#[test]
fn a_retryable_from_an_eoa_also_runs_from_its_alias() {
    let mut w = worlds();
    let target = l2_callee(&mut w);
    let ticket = store_ticket(&mut w, target, 300_000);
    let receipt = w.create_retryable_ticket(BOB, &ticket, ticket.required_value()).unwrap();
    assert!(receipt.success, "{receipt:?}");
    w.advance_time(delay(&w)).unwrap();
    let delivered = w.inbound()[0].delivered.clone().unwrap();
    let Delivery::Retryable(result) = delivered.delivery else { panic!("{delivered:?}") };
    assert!(result.auto_redeem.is_some_and(|r| r.success));
    // The Inbox aliases every retryable's sender, an EOA's too (unlike a deposit's recipient).
    let alias = apply_l1_to_l2_alias(BOB);
    assert_eq!(l2_view(&mut w, target, &IEvmCallee::lastSenderCall {})._0, alias);
    assert_eq!(w.l2.balance(target), ether(1));
    balanced(&mut w);
}

// ---------------------------------------------------------------------------- L2 to L1

#[test]
fn a_withdrawal_is_executable_on_the_real_outbox_only_after_the_challenge_period() {
    let mut w = worlds();
    assert_eq!(w.config().challenge_period_blocks, ARBITRUM_ONE_CHALLENGE_PERIOD_BLOCKS);
    fund_on_l2(&mut w, ALICE, ether(10));
    let bob_l1 = w.l1.balance(BOB);
    let first = withdrawEthCall { destination: BOB }.abi_encode();
    let receipt = w.l2_call(ALICE, ARB_SYS, ether(3), &first).unwrap();
    assert!(receipt.success, "{receipt:?}");
    let second = withdrawEthCall { destination: CAROL }.abi_encode();
    assert!(w.l2_call(ALICE, ARB_SYS, ether(1), &second).unwrap().success);
    assert_eq!(w.l2.balance(ALICE), ether(6));
    assert_eq!(w.sends().len(), 2);
    let ledger = balanced(&mut w);
    assert_eq!(
        (ledger.l2_burned, ledger.owed_on_l1, ledger.l2_supply),
        (ether(4), ether(4), ether(6))
    );
    assert_eq!(ledger.bridge_balance, ether(10));

    // Before any assertion: the Outbox knows no root for it.
    let early = w.execute_l2_to_l1(0, KEEPER).unwrap();
    assert!(UnknownRoot::abi_decode(&early.output, true).is_ok(), "{early:?}");

    // Asserted at the next advance, posted a challenge period later, not a block sooner.
    let asserted_at = w.l1.block_number();
    w.advance_blocks(1).unwrap();
    let assertion = w.assertions()[0].clone();
    assert_eq!((assertion.l1_block, assertion.send_count), (asserted_at, 2));
    let items: Vec<B256> = w.sends().iter().map(|s| s.hash).collect();
    assert_eq!(assertion.send_root, send_root(&items));
    assert_eq!(assertion.l2_block_hash, block_hash(assertion.l2_block));
    w.advance_blocks(ARBITRUM_ONE_CHALLENGE_PERIOD_BLOCKS - 2).unwrap();
    assert_eq!(w.assertions()[0].posted, None);
    let message = w.l2_to_l1_message(0).unwrap();
    let (proof, size) = w.outbox_proof(0).unwrap();
    assert_eq!(size, 2);
    let late = w.execute_l2_to_l1(0, KEEPER).unwrap();
    let err = UnknownRoot::abi_decode(&late.output, true).unwrap();
    assert_eq!(err.root, assertion.send_root);
    assert_eq!(outbox_root(&proof, 0, message.item_hash()), assertion.send_root);
    assert_eq!(w.l1.balance(BOB), bob_l1);

    w.advance_blocks(1).unwrap();
    let (posted_at, post_gas) = w.assertions()[0].posted.expect("posted");
    assert_eq!(posted_at, asserted_at + ARBITRUM_ONE_CHALLENGE_PERIOD_BLOCKS);
    println!("L1 gas: RollupStandIn.postSendRoot -> Outbox.updateSendRoot {post_gas}");
    assert!(post_gas > 21_000 && post_gas < 200_000);
    let outbox = w.contracts.outbox;
    assert_eq!(
        l1_view(&mut w, outbox, &IOutbox::rootsCall { root: assertion.send_root })._0,
        assertion.l2_block_hash
    );
    assert_eq!(w.confirmed_send_count(), 2);

    // A wrong proof and a spoofed sender fail on the real Outbox.
    let mut wrong = proof.clone();
    wrong[0] = B256::repeat_byte(0x42);
    let bad = w.contracts.execute_transaction(&mut w.l1, KEEPER, &wrong, 0, &message).unwrap();
    assert_eq!(
        UnknownRoot::abi_decode(&bad.output, true).unwrap().root,
        outbox_root(&wrong, 0, message.item_hash())
    );
    let mut spoofed = message.clone();
    spoofed.l2_sender = CAROL;
    let forged = w.contracts.execute_transaction(&mut w.l1, KEEPER, &proof, 0, &spoofed).unwrap();
    assert!(UnknownRoot::abi_decode(&forged.output, true).is_ok(), "{forged:?}");
    assert_eq!(w.l1.balance(BOB), bob_l1);

    // Now it pays Bob out of the Bridge, once.
    let paid = w.execute_l2_to_l1(0, KEEPER).unwrap();
    assert!(paid.success, "{paid:?}");
    println!("L1 gas: Outbox.executeTransaction (withdrawEth, depth-1 proof) {}", paid.gas_used);
    assert!(paid.gas_used > 21_000 && paid.gas_used < 300_000);
    assert_eq!(w.l1.balance(BOB), bob_l1 + ether(3));
    let ledger = balanced(&mut w);
    assert_eq!((ledger.bridge_balance, ledger.owed_on_l1), (ether(7), ether(1)));
    let twice = w.execute_l2_to_l1(0, KEEPER).unwrap();
    assert_eq!(AlreadySpent::abi_decode(&twice.output, true).unwrap().index, U256::ZERO);
    assert_eq!(w.l1.balance(BOB), bob_l1 + ether(3));

    // A later send is asserted and confirmed on its own; an earlier one proves against the
    // newer root too.
    assert!(w.l2_call(ALICE, ARB_SYS, ether(2), &first).unwrap().success);
    w.advance_blocks(ARBITRUM_ONE_CHALLENGE_PERIOD_BLOCKS).unwrap();
    assert_eq!(w.assertions().len(), 2);
    assert_eq!(w.confirmed_send_count(), 3);
    assert_eq!(w.outbox_proof(1).unwrap().1, 3);
    let carol_l1 = w.l1.balance(CAROL);
    assert!(w.execute_l2_to_l1(1, KEEPER).unwrap().success);
    assert!(w.execute_l2_to_l1(2, KEEPER).unwrap().success);
    assert_eq!(w.l1.balance(CAROL), carol_l1 + ether(1));
    assert_eq!(w.l1.balance(BOB), bob_l1 + ether(5));
    let ledger = balanced(&mut w);
    assert_eq!(
        (ledger.bridge_balance, ledger.owed_on_l1, ledger.l2_supply),
        (ether(4), U256::ZERO, ether(4))
    );
}

#[test]
fn an_l2_contracts_message_reaches_an_l1_contract_that_reads_the_l2_sender_from_the_outbox() {
    let mut w = worlds();
    let config = w.config();
    fund_on_l2(&mut w, ALICE, ether(2));
    let sender = l2_callee(&mut w);
    let receiver = l1_callee(&mut w);
    let read_sender = IEvmCallee::callOutCall {
        target: w.contracts.outbox,
        value: U256::ZERO,
        data: IOutbox::l2ToL1SenderCall {}.abi_encode().into(),
    };
    let send = sendTxToL1Call { destination: receiver, data: read_sender.abi_encode().into() };
    let call = IEvmCallee::callOutCall {
        target: ARB_SYS,
        value: ether(1),
        data: send.abi_encode().into(),
    };
    let receipt = w.l2_call(ALICE, sender, ether(1), &call.abi_encode()).unwrap();
    assert!(receipt.success, "{receipt:?}");
    let collected = w.sends()[0].clone();
    assert_eq!(
        (collected.caller, collected.destination, collected.callvalue),
        (sender, receiver, ether(1))
    );
    assert_eq!(w.l2.balance(sender), U256::ZERO);

    w.advance_blocks(config.challenge_period_blocks).unwrap();
    let executed = w.execute_l2_to_l1(0, KEEPER).unwrap();
    assert!(executed.success, "{executed:?}");
    println!(
        "L1 gas: Outbox.executeTransaction (a call reading l2ToL1Sender, depth-0 proof) {}",
        executed.gas_used
    );
    assert!(executed.gas_used > 21_000 && executed.gas_used < 300_000);
    let read: Vec<_> = executed
        .logs
        .iter()
        .filter(|l| l.address == receiver)
        .filter_map(|l| IEvmCallee::CalledOut::decode_log_data(&l.data, true).ok())
        .collect();
    assert_eq!(read.len(), 1);
    assert_eq!(Address::abi_decode(&read[0].result, true).unwrap(), sender);
    assert_eq!(w.l1.balance(receiver), ether(1));
    let executed_event: Vec<_> = executed
        .logs
        .iter()
        .filter(|l| l.address == w.contracts.outbox)
        .filter_map(|l| IOutbox::OutBoxTransactionExecuted::decode_log_data(&l.data, true).ok())
        .collect();
    assert_eq!((executed_event[0].to, executed_event[0].l2Sender), (receiver, sender));
    let ledger = balanced(&mut w);
    assert_eq!((ledger.bridge_balance, ledger.l2_supply), (ether(1), ether(1)));
}

#[test]
fn ether_withdrawn_to_an_l1_contract_that_bridges_it_back_arrives_at_its_alias_on_l2() {
    let mut w = worlds();
    fund_on_l2(&mut w, ALICE, ether(5));
    let vault = l1_callee(&mut w);
    let bridge_back = IEvmCallee::callOutCall {
        target: w.contracts.inbox,
        value: ether(2),
        data: IInbox::depositEthCall {}.abi_encode().into(),
    };
    let send = sendTxToL1Call { destination: vault, data: bridge_back.abi_encode().into() };
    assert!(w.l2_call(ALICE, ARB_SYS, ether(2), &send.abi_encode()).unwrap().success);
    w.advance_blocks(w.config().challenge_period_blocks).unwrap();
    let ledger = balanced(&mut w);
    assert_eq!((ledger.l2_supply, ledger.owed_on_l1), (ether(3), ether(2)));

    // The keeper's execution makes the vault deposit again: a new delayed message the relay
    // reads from the execution's receipt.
    let executed = w.execute_l2_to_l1(0, KEEPER).unwrap();
    assert!(executed.success, "{executed:?}");
    assert_eq!(w.inbound().len(), 2);
    assert_eq!(w.inbound()[1].message.sender, apply_l1_to_l2_alias(vault));
    let ledger = balanced(&mut w);
    assert_eq!((ledger.in_flight_to_l2, ledger.owed_on_l1), (ether(2), U256::ZERO));
    assert_eq!(ledger.bridge_balance, ether(5));

    w.advance_time(delay(&w)).unwrap();
    assert_eq!(w.l2.balance(apply_l1_to_l2_alias(vault)), ether(2));
    assert_eq!(w.l1.balance(vault), U256::ZERO);
    let ledger = balanced(&mut w);
    assert_eq!((ledger.l2_supply, ledger.bridge_balance), (ether(5), ether(5)));
}

// ---------------------------------------------------------------------------- time and records

/// EVM code on L2 that returns `(block.number, block.timestamp)`: runtime `NUMBER PUSH1 0
/// MSTORE TIMESTAMP PUSH1 32 MSTORE PUSH1 64 PUSH1 0 RETURN`, behind init code that returns it.
fn clock_reader(w: &mut Worlds) -> Address {
    let runtime = hex!("436000524260205260406000f3");
    let mut init = vec![0x6c];
    init.extend_from_slice(&runtime);
    init.extend_from_slice(&hex!("600052600d6013f3"));
    let receipt = w.l2_create(CAROL, U256::ZERO, &init).unwrap();
    assert!(receipt.success, "{receipt:?}");
    let reader = receipt.contract_address.unwrap();
    assert_eq!(&w.l2.code(reader)[..], &runtime[..]);
    reader
}

/// Asserts that L2's EVM code reads L1's block number and timestamp.
fn assert_l2_code_sees_l1(w: &mut Worlds, reader: Address) {
    let receipt = w.l2.static_call(ALICE, reader, &[]);
    assert!(receipt.success, "{receipt:?}");
    let (number, timestamp) = <(U256, U256)>::abi_decode(&receipt.output, true).unwrap();
    assert_eq!(number, U256::from(w.l1.block_number()), "block.number on L2");
    assert_eq!(timestamp, U256::from(w.l1.timestamp()), "block.timestamp on L2");
    assert_eq!(w.l2.block_number(), w.l1.block_number());
    assert_eq!(w.l2.timestamp(), w.l1.timestamp());
}

#[test]
fn time_moves_in_both_worlds_together_and_l2_code_sees_the_l1_block() {
    let mut w = worlds();
    let reader = clock_reader(&mut w);
    assert_l2_code_sees_l1(&mut w, reader);
    let arb = w.l2.arb_block_number();
    w.advance_blocks(5).unwrap();
    assert_l2_code_sees_l1(&mut w, reader);
    assert_eq!(w.l2.arb_block_number(), arb + 5);
    assert_eq!(w.advance_time(25).unwrap(), 3);
    assert_l2_code_sees_l1(&mut w, reader);
    assert_eq!(w.l2.arb_block_number(), arb + 8);
    // Through a delivery and an assertion inside one advance, too.
    fund_on_l2(&mut w, ALICE, ether(1));
    assert_l2_code_sees_l1(&mut w, reader);
    let withdraw = withdrawEthCall { destination: ALICE }.abi_encode();
    assert!(w.l2_call(ALICE, ARB_SYS, ether(1), &withdraw).unwrap().success);
    // ArbSys put the same L1 block into the send.
    assert_eq!(w.sends()[0].eth_block_num, U256::from(w.l1.block_number()));
    assert_eq!(w.sends()[0].timestamp, U256::from(w.l1.timestamp()));
    let before = (w.l1.block_number(), w.l2.arb_block_number());
    w.advance_blocks(ARBITRUM_ONE_CHALLENGE_PERIOD_BLOCKS + 7).unwrap();
    assert_l2_code_sees_l1(&mut w, reader);
    let moved = ARBITRUM_ONE_CHALLENGE_PERIOD_BLOCKS + 7;
    assert_eq!(
        (w.l1.block_number(), w.l2.arb_block_number()),
        (before.0 + moved, before.1 + moved)
    );
    assert!(w.assertions()[0].posted.is_some());
}

#[test]
fn a_message_or_send_the_relay_was_not_shown_stops_it_until_it_is_observed() {
    let mut w = worlds();
    let receipt = w.contracts.deposit_eth(&mut w.l1, ALICE, ether(1)).unwrap();
    let err = w.advance_blocks(1).unwrap_err();
    assert!(matches!(err, RelayError::UnobservedMessages { read: 0, on_bridge: 1 }), "{err}");
    assert_eq!(w.observe_l1(&receipt).unwrap(), 1);
    assert_eq!(w.observe_l1(&receipt).unwrap(), 0, "a receipt read twice counts once");
    w.advance_time(delay(&w)).unwrap();
    assert_eq!(w.l2.balance(ALICE), ether(1));

    let direct =
        w.l2.call(ALICE, ARB_SYS, ether(1), &withdrawEthCall { destination: ALICE }.abi_encode());
    assert!(direct.success, "{direct:?}");
    let err = w.assert_l2_state().unwrap_err();
    assert!(matches!(err, RelayError::UnobservedSends { collected: 0, on_arbsys: 1 }), "{err}");
    assert_eq!(w.observe_l2(&direct).unwrap(), 1);
    assert_eq!(w.assert_l2_state().unwrap(), Some(0));
    assert_eq!(w.assert_l2_state().unwrap(), None, "nothing new to assert");
    balanced(&mut w);
}
