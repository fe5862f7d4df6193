//! ArbOS's system contracts: ArbSys's sends to L1 and their Merkle accumulator, aliasing, ETH
//! deposits, retryable tickets and ArbRetryableTx.

use crate::common::{ether, setup, wasm, Script, SCRIPT_HARNESS};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use stylus_vm::{
    alloy_primitives::{keccak256, Address, Log, B256, U256},
    arbos::{
        aliasing::{apply_l1_to_l2_alias, undo_l1_to_l2_alias},
        arbsys::{sendMerkleTreeStateCall, sendTxToL1Call, withdrawEthCall, IArbSys},
        retryables::{
            cancelCall, getBeneficiaryCall, getTimeoutCall, keepaliveCall, redeemCall,
            retryable_escrow_address, submission_fee, Canceled, IArbRetryableTx, LifetimeExtended,
            NoTicketWithID, RedeemScheduled, RetryableSubmission, TicketCreated, ARB_RETRYABLE_TX,
            RETRYABLE_LIFETIME_SECONDS,
        },
        send_merkle::{
            outbox_proof, send_root, sends, L2ToL1Tx, SendAccumulator, SendMerkleUpdate,
        },
        NETWORK_FEE_ACCOUNT,
    },
    precompiles::ARB_SYS,
    Status, Vm,
};

fn send_call(destination: Address, data: &[u8]) -> Vec<u8> {
    sendTxToL1Call { destination, data: data.to_vec().into() }.abi_encode()
}

fn events<E: SolEvent>(logs: &[Log], address: Address) -> Vec<E> {
    logs.iter()
        .filter(|log| log.address == address)
        .filter_map(|log| E::decode_log_data(&log.data, true).ok())
        .collect()
}

/// The root the accumulator reports to address zero (`sendMerkleTreeState`).
fn tree_state(vm: &mut Vm) -> (U256, B256, Vec<B256>) {
    let r = vm.call(Address::ZERO, ARB_SYS, U256::ZERO, &sendMerkleTreeStateCall {}.abi_encode());
    assert!(r.success, "{:?}", r.status);
    let out = sendMerkleTreeStateCall::abi_decode_returns(&r.output, true).unwrap();
    (out.size, out.root, out.partials)
}

#[test]
fn send_tx_to_l1_logs_the_send_with_the_outbox_item_hash_and_burns_the_value() {
    let (mut vm, alice, _) = setup(0);
    vm.set_block_number(1_234);
    let destination = Address::repeat_byte(0xd1);
    let data = b"commit(batch)".to_vec();
    let r = vm.call(alice, ARB_SYS, ether(32), &send_call(destination, &data));
    assert!(r.success, "{:?}", r.status);
    assert_eq!(U256::from_be_slice(&r.output), U256::ZERO, "the first send's position");
    assert_eq!(vm.balance(alice), ether(100) - ether(32));
    assert_eq!(vm.balance(ARB_SYS), U256::ZERO, "the value is burned");

    let sent = sends(&r.logs);
    assert_eq!(sent.len(), 1);
    let send = &sent[0];
    assert_eq!(send.caller, alice);
    assert_eq!(send.destination, destination);
    assert_eq!(send.position, 0);
    assert_eq!(send.arb_block_num, U256::from(1_234));
    assert_eq!(send.eth_block_num, U256::from(1_234));
    assert_eq!(send.timestamp, U256::from(vm.timestamp()));
    assert_eq!(send.callvalue, ether(32));
    assert_eq!(send.data.to_vec(), data);
    // AbsOutbox.calculateItemHash, written out.
    let mut packed = alice.to_vec();
    packed.extend_from_slice(destination.as_slice());
    for x in [U256::from(1_234), U256::from(1_234), U256::from(vm.timestamp()), ether(32)] {
        packed.extend_from_slice(&x.to_be_bytes::<32>());
    }
    packed.extend_from_slice(&data);
    assert_eq!(send.hash, keccak256(&packed));
    assert_eq!(send.item_hash(), send.hash);
    // The raw log: topics are the signature, destination, hash and position.
    let log = r.logs.iter().find(|l| l.topics()[0] == L2ToL1Tx::SIGNATURE_HASH).unwrap();
    assert_eq!(log.address, ARB_SYS);
    assert_eq!(log.topics()[1], destination.into_word());
    assert_eq!(log.topics()[2], send.hash);
    assert_eq!(log.topics()[3], B256::ZERO);
    // One send: no tree node completed yet.
    assert!(events::<SendMerkleUpdate>(&r.logs, ARB_SYS).is_empty());
}

#[test]
fn a_first_send_costs_what_nitro_charges_for_it() {
    let (mut vm, alice, _) = setup(0);
    let r = vm.call(alice, ARB_SYS, U256::ZERO, &send_call(Address::repeat_byte(1), &[]));
    assert!(r.success);
    let args = 3 * 3; // address, offset, length
    let hash = 30 + 6 * (168u64).div_ceil(32);
    let size = 800 + 20_000 + 800;
    let partial = 20_000;
    let event = 375 + 4 * 375 + 8 * 7 * 32;
    let expected = 800 + args + hash + size + partial + event + 3;
    assert_eq!(r.breakdown.precompiles, expected);
}

#[test]
fn the_accumulator_follows_every_send_and_proves_each_one() {
    let (mut vm, alice, h) = setup(1);
    let destination = Address::repeat_byte(0xd2);
    let mut acc = SendAccumulator::new();
    let mut items = Vec::new();
    for i in 0..7u8 {
        // Alternate direct sends and sends from a program.
        let r = if i % 2 == 0 {
            vm.call(alice, ARB_SYS, U256::from(i), &send_call(destination, &[i; 3]))
        } else {
            let script =
                Script::new().call(ARB_SYS, U256::from(i), u64::MAX, &send_call(destination, &[i]));
            vm.set_balance(h[0], U256::from(i));
            vm.call(alice, h[0], U256::ZERO, script.bytes())
        };
        assert!(r.success, "{:?}", r.status);
        let sent = sends(&r.logs);
        assert_eq!(sent.len(), 1);
        assert_eq!(sent[0].position, u64::from(i));
        assert_eq!(sent[0].caller, if i % 2 == 0 { alice } else { h[0] });
        let nodes = acc.append(sent[0].hash);
        let updates: Vec<SendMerkleUpdate> = events(&r.logs, ARB_SYS);
        assert_eq!(updates.len(), nodes.len());
        for (update, node) in updates.iter().zip(&nodes) {
            assert_eq!(update.reserved, U256::ZERO);
            assert_eq!(update.hash, node.hash);
            assert_eq!(update.position, (U256::from(node.level) << 192) + U256::from(node.leaf));
        }
        items.push(sent[0].hash);
        let (size, root, partials) = tree_state(&mut vm);
        assert_eq!(size, U256::from(i + 1));
        assert_eq!(root, acc.root());
        assert_eq!(root, send_root(&items));
        assert_eq!(partials, acc.partials());
    }
    let (_, root, _) = tree_state(&mut vm);
    for index in 0..7 {
        let proof = outbox_proof(&items, 7, index);
        let leaf = keccak256(items[usize::try_from(index).unwrap()]);
        assert_eq!(stylus_vm::arbos::send_merkle::calculate_root(&proof, index, leaf), root);
    }
    assert_eq!(vm.balance(ARB_SYS), U256::ZERO);
}

#[test]
fn withdraw_eth_is_a_send_with_no_data() {
    let (mut vm, alice, _) = setup(0);
    let to = Address::repeat_byte(0xe1);
    let first = vm.call(alice, ARB_SYS, ether(1), &send_call(to, b"x"));
    let r = vm.call(alice, ARB_SYS, ether(2), &withdrawEthCall { destination: to }.abi_encode());
    assert!(r.success, "{:?}", r.status);
    assert!(first.success);
    assert_eq!(U256::from_be_slice(&r.output), U256::from(1));
    let sent = sends(&r.logs);
    assert_eq!((sent[0].destination, sent[0].callvalue), (to, ether(2)));
    assert!(sent[0].data.is_empty());
    assert_eq!(vm.balance(alice), ether(97));
    assert_eq!(vm.balance(ARB_SYS), U256::ZERO);
}

#[test]
fn only_address_zero_reads_the_tree_state_and_static_calls_cannot_send() {
    let (mut vm, alice, h) = setup(1);
    let r = vm.call(alice, ARB_SYS, U256::ZERO, &sendMerkleTreeStateCall {}.abi_encode());
    assert_eq!(r.status, Status::Revert);
    assert!(r.output.is_empty());

    let script = Script::new().static_call(ARB_SYS, 50_000, &send_call(alice, &[]));
    let r = vm.call(alice, h[0], U256::ZERO, script.bytes());
    assert!(r.success);
    assert_ne!(r.output[0], 0, "the static call failed");
    assert!(r.breakdown.precompiles >= 50_000 * 63 / 64 - 1, "and took all its gas");

    // Value to a view method is refused too.
    let number = IArbSys::arbBlockNumberCall {}.abi_encode();
    let r = vm.call_with_gas(alice, ARB_SYS, U256::from(1), &number, 100_000);
    assert_eq!(r.status, Status::Revert);
    assert_eq!(r.gas_used, 100_000);
    assert_eq!(vm.balance(ARB_SYS), U256::ZERO);
}

#[test]
fn arbsys_reports_the_arbos_version_and_aliases() {
    let (mut vm, alice, _) = setup(0);
    let r = vm.call(alice, ARB_SYS, U256::ZERO, &IArbSys::arbOSVersionCall {}.abi_encode());
    assert_eq!(U256::from_be_slice(&r.output), U256::from(55 + stylus_vm::arbos::ARBOS_VERSION));
    let l1 = Address::repeat_byte(0x11);
    let call = IArbSys::mapL1SenderContractAddressToL2AliasCall { sender: l1, unused: alice };
    let r = vm.call(alice, ARB_SYS, U256::ZERO, &call.abi_encode());
    assert_eq!(Address::from_word(B256::from_slice(&r.output)), apply_l1_to_l2_alias(l1));
    let r = vm.call(alice, ARB_SYS, U256::ZERO, &IArbSys::isTopLevelCallCall {}.abi_encode());
    assert_eq!(U256::from_be_slice(&r.output), U256::from(1));
    let call = IArbSys::wasMyCallersAddressAliasedCall {}.abi_encode();
    let r = vm.call(alice, ARB_SYS, U256::ZERO, &call);
    assert_eq!(U256::from_be_slice(&r.output), U256::ZERO, "an L2 transaction is not aliased");
}

#[test]
fn aliasing_adds_the_offset_and_wraps() {
    let l1 = Address::repeat_byte(0x22);
    let l2 = apply_l1_to_l2_alias(l1);
    assert_eq!(
        U256::from_be_slice(l2.as_slice()),
        U256::from_be_slice(l1.as_slice())
            + U256::from_be_slice(&hex_address("1111000000000000000000000000000000001111").0 .0)
    );
    assert_eq!(undo_l1_to_l2_alias(l2), l1);
    let top = hex_address("ffffffffffffffffffffffffffffffffffffffff");
    assert_eq!(apply_l1_to_l2_alias(top), hex_address("1111000000000000000000000000000000001110"));
    assert_eq!(undo_l1_to_l2_alias(apply_l1_to_l2_alias(top)), top);
}

fn hex_address(hex: &str) -> Address {
    hex.parse().unwrap()
}

#[test]
fn an_eth_deposit_credits_the_destination() {
    let mut vm = Vm::new();
    let from = apply_l1_to_l2_alias(Address::repeat_byte(0x33));
    let to = Address::repeat_byte(0x44);
    let hash = vm.deposit_eth(B256::from(U256::from(7)), from, to, ether(3));
    assert_ne!(hash, B256::ZERO);
    assert_eq!(vm.balance(to), ether(3));
    assert_eq!(vm.balance(from), U256::ZERO);
    let again = vm.deposit_eth(B256::from(U256::from(8)), from, to, ether(3));
    assert_ne!(again, hash, "each deposit has its own hash");
    assert_eq!(vm.balance(to), ether(6));
}

/// A retryable from the L1 vault to `to`, paying exactly for everything plus `extra` wei.
fn submission(
    vm: &Vm,
    to: Address,
    data: Vec<u8>,
    gas_limit: u64,
    extra: U256,
) -> RetryableSubmission {
    let l1_base_fee = U256::from(30_000_000_000u64);
    let max_submission_fee = submission_fee(data.len(), l1_base_fee) + U256::from(1_000);
    let max_fee_per_gas = vm.basefee() * U256::from(2);
    let l2_call_value = ether(5);
    RetryableSubmission {
        request_id: B256::from(U256::from(42)),
        from: apply_l1_to_l2_alias(Address::repeat_byte(0x77)),
        to,
        l2_call_value,
        deposit: l2_call_value
            + max_submission_fee
            + max_fee_per_gas * U256::from(gas_limit)
            + extra,
        max_submission_fee,
        excess_fee_refund_address: Address::repeat_byte(0x88),
        call_value_refund_address: Address::repeat_byte(0x99),
        gas_limit,
        max_fee_per_gas,
        data: data.into(),
        l1_base_fee,
    }
}

fn harness(vm: &mut Vm) -> Address {
    vm.deploy(&wasm(SCRIPT_HARNESS)).expect("the harness is valid")
}

/// The sum of the balances of `accounts`.
fn total(vm: &Vm, accounts: &[Address]) -> U256 {
    accounts.iter().map(|a| vm.balance(*a)).sum()
}

#[test]
fn a_retryable_is_auto_redeemed_and_every_wei_of_the_deposit_is_accounted_for() {
    let mut vm = Vm::new();
    let to = harness(&mut vm);
    let s = submission(&vm, to, Vec::new(), 200_000, U256::from(123));
    let result = vm.submit_retryable(&s);
    let ticket = result.ticket_id;
    assert_eq!(ticket, s.ticket_id(vm.chain_id()));
    assert!(result.submission.success, "{:?}", result.submission.status);
    assert_eq!(result.submission.output.to_vec(), ticket.to_vec());
    let created: Vec<TicketCreated> = events(&result.submission.logs, ARB_RETRYABLE_TX);
    assert_eq!(created.len(), 1);
    assert_eq!(created[0].ticketId, ticket);
    let scheduled: Vec<RedeemScheduled> = events(&result.submission.logs, ARB_RETRYABLE_TX);
    assert_eq!(scheduled.len(), 1);
    assert_eq!(scheduled[0].donatedGas, 200_000);
    assert_eq!(scheduled[0].gasDonor, s.excess_fee_refund_address);

    let retry = result.auto_redeem.expect("an auto-redeem ran");
    assert!(retry.success, "{:?}", retry.status);
    assert_eq!(retry.calls[0].caller, s.from);
    assert_eq!(retry.calls[0].value, s.l2_call_value);
    assert!(vm.retryable(ticket).is_none(), "a redeemed ticket is deleted");

    // Conservation: the deposit went to the destination, the network fee account (the gas
    // used), the refund address (everything else) and the sender (the extra).
    let escrow = retryable_escrow_address(ticket);
    let accounts = [to, NETWORK_FEE_ACCOUNT, s.excess_fee_refund_address, s.from, escrow];
    assert_eq!(total(&vm, &accounts), s.deposit);
    assert_eq!(vm.balance(to), s.l2_call_value);
    assert_eq!(vm.balance(escrow), U256::ZERO);
    assert_eq!(vm.balance(NETWORK_FEE_ACCOUNT), vm.basefee() * U256::from(retry.gas_used));
    assert_eq!(vm.balance(s.from), U256::from(123));
}

#[test]
fn a_retryable_without_gas_for_an_auto_redeem_waits_and_refunds_the_gas_money() {
    let mut vm = Vm::new();
    let to = harness(&mut vm);
    // Below the 21,000 of a transaction: no auto-redeem.
    let s = submission(&vm, to, Vec::new(), 20_000, U256::ZERO);
    let result = vm.submit_retryable(&s);
    assert!(result.submission.success);
    assert!(result.auto_redeem.is_none());
    assert!(events::<RedeemScheduled>(&result.submission.logs, ARB_RETRYABLE_TX).is_empty());
    let ticket = vm.retryable(result.ticket_id).expect("the ticket waits");
    assert_eq!(ticket.callvalue, s.l2_call_value);
    assert_eq!(vm.balance(retryable_escrow_address(result.ticket_id)), s.l2_call_value);
    let fee = submission_fee(0, s.l1_base_fee);
    assert_eq!(vm.balance(NETWORK_FEE_ACCOUNT), fee);
    assert_eq!(vm.balance(s.excess_fee_refund_address), s.deposit - s.l2_call_value - fee);
}

#[test]
fn a_failed_auto_redeem_leaves_the_ticket_and_a_later_redeem_succeeds() {
    let mut vm = Vm::new();
    let to = harness(&mut vm);
    // 21,000 gas pays the intrinsic cost and nothing of the program's entry.
    let s = submission(&vm, to, Vec::new(), 21_000, U256::ZERO);
    let result = vm.submit_retryable(&s);
    let id = result.ticket_id;
    let auto = result.auto_redeem.unwrap();
    assert!(!auto.success);
    assert_eq!(auto.status, Status::OutOfGas);
    let ticket = vm.retryable(id).expect("the ticket stays");
    assert_eq!(ticket.timeout, vm.timestamp() + RETRYABLE_LIFETIME_SECONDS);
    assert_eq!(ticket.num_tries, 1);
    let escrow = retryable_escrow_address(id);
    assert_eq!(vm.balance(escrow), s.l2_call_value);
    // The submission fee is kept on failure; the unused gas came back.
    let accounts = [to, NETWORK_FEE_ACCOUNT, s.excess_fee_refund_address, s.from, escrow];
    assert_eq!(total(&vm, &accounts), s.deposit);
    assert_eq!(
        vm.balance(NETWORK_FEE_ACCOUNT),
        submission_fee(0, s.l1_base_fee) + vm.basefee() * U256::from(auto.gas_used)
    );

    // A day later anyone redeems it.
    vm.advance_time(86_400);
    let bob = Address::repeat_byte(0xb0);
    let r = vm.redeem_ticket(bob, id, 500_000);
    assert!(r.success, "{:?}", r.status);
    assert_eq!(r.gas_used, 500_000, "redeem donates all the gas it has");
    let scheduled: Vec<RedeemScheduled> = events(&r.logs, ARB_RETRYABLE_TX);
    assert_eq!(scheduled.len(), 1);
    assert_eq!(scheduled[0].ticketId, id);
    assert_eq!(scheduled[0].sequenceNum, 1);
    assert_eq!(scheduled[0].gasDonor, bob);
    // What redeem keeps of the gas (a ticket with no data, 224 bytes): open and argument,
    // the size (2 reads), 50 per word, liveness, the try count, from, to, value, the data
    // (2 reads); then the event, the result and the backlog update. The rest is donated.
    let own = 800 + 3 + 1_600 + 50 * 7 + 800 + 20_800 + 2_400 + 1_600;
    let after = (375 + 4 * 375 + 8 * 4 * 32) + 3 + 20_800;
    assert_eq!(scheduled[0].donatedGas, 500_000 - r.breakdown.intrinsic - own - after);
    assert_eq!(scheduled[0].retryTxHash, B256::from_slice(&r.output));
    assert_eq!(r.redeems.len(), 1);
    let retry = &r.redeems[0];
    assert!(retry.success, "{:?}", retry.status);
    assert_eq!(retry.gas_limit, scheduled[0].donatedGas);
    assert!(vm.retryable(id).is_none());
    assert_eq!(vm.balance(to), s.l2_call_value);
    assert_eq!(vm.balance(escrow), U256::ZERO);
}

#[test]
fn a_reverting_retry_keeps_the_ticket_and_its_escrow() {
    let mut vm = Vm::new();
    let to = harness(&mut vm);
    let s = submission(&vm, to, Script::new().revert().bytes().to_vec(), 200_000, U256::ZERO);
    let result = vm.submit_retryable(&s);
    let auto = result.auto_redeem.unwrap();
    assert_eq!(auto.status, Status::Revert);
    let alice = Address::repeat_byte(0xa1);
    let redeem = redeemCall { ticketId: result.ticket_id }.abi_encode();
    let r = vm.call(alice, ARB_RETRYABLE_TX, U256::ZERO, &redeem);
    assert!(r.success);
    assert_eq!(r.redeems[0].status, Status::Revert);
    let ticket = vm.retryable(result.ticket_id).unwrap();
    assert_eq!(ticket.num_tries, 2);
    assert_eq!(vm.balance(retryable_escrow_address(result.ticket_id)), s.l2_call_value);
    assert_eq!(vm.balance(to), U256::ZERO);
}

#[test]
fn redeeming_an_unknown_or_expired_ticket_reverts_with_no_ticket_with_id() {
    let mut vm = Vm::new();
    let to = harness(&mut vm);
    let alice = Address::repeat_byte(0xa1);
    let unknown = redeemCall { ticketId: B256::repeat_byte(5) }.abi_encode();
    let r = vm.call(alice, ARB_RETRYABLE_TX, U256::ZERO, &unknown);
    assert_eq!(r.status, Status::Revert);
    assert_eq!(r.output.to_vec(), NoTicketWithID {}.abi_encode());
    assert!(r.redeems.is_empty());

    let s = submission(&vm, to, Vec::new(), 21_000, U256::ZERO);
    let id = vm.submit_retryable(&s).ticket_id;
    vm.advance_time(RETRYABLE_LIFETIME_SECONDS + 1);
    assert!(vm.retryable(id).is_none());
    let r = vm.call(alice, ARB_RETRYABLE_TX, U256::ZERO, &redeemCall { ticketId: id }.abi_encode());
    assert_eq!(r.output.to_vec(), NoTicketWithID {}.abi_encode());
    let r =
        vm.call(alice, ARB_RETRYABLE_TX, U256::ZERO, &getTimeoutCall { ticketId: id }.abi_encode());
    assert_eq!(r.output.to_vec(), NoTicketWithID {}.abi_encode());
}

#[test]
fn only_the_beneficiary_cancels_and_the_call_value_goes_to_it() {
    let mut vm = Vm::new();
    let to = harness(&mut vm);
    let s = submission(&vm, to, Vec::new(), 21_000, U256::ZERO);
    let id = vm.submit_retryable(&s).ticket_id;
    let cancel = cancelCall { ticketId: id }.abi_encode();

    let r = vm.call(Address::repeat_byte(0xa1), ARB_RETRYABLE_TX, U256::ZERO, &cancel);
    assert_eq!(r.status, Status::Revert);
    assert!(vm.retryable(id).is_some());

    let get = getBeneficiaryCall { ticketId: id }.abi_encode();
    let r = vm.call(Address::repeat_byte(0xa1), ARB_RETRYABLE_TX, U256::ZERO, &get);
    assert_eq!(Address::from_word(B256::from_slice(&r.output)), s.call_value_refund_address);

    let r = vm.call(s.call_value_refund_address, ARB_RETRYABLE_TX, U256::ZERO, &cancel);
    assert!(r.success, "{:?}", r.status);
    let canceled: Vec<Canceled> = events(&r.logs, ARB_RETRYABLE_TX);
    assert_eq!(canceled[0].ticketId, id);
    assert!(vm.retryable(id).is_none());
    assert_eq!(vm.balance(s.call_value_refund_address), s.l2_call_value);
    assert_eq!(vm.balance(retryable_escrow_address(id)), U256::ZERO);
    let r = vm.call(s.call_value_refund_address, ARB_RETRYABLE_TX, U256::ZERO, &cancel);
    assert_eq!(r.output.to_vec(), NoTicketWithID {}.abi_encode());
}

#[test]
fn keepalive_extends_a_ticket_by_one_lifetime() {
    let mut vm = Vm::new();
    let to = harness(&mut vm);
    let s = submission(&vm, to, vec![7; 40], 21_000, U256::ZERO);
    let id = vm.submit_retryable(&s).ticket_id;
    let created = vm.timestamp();
    let alice = Address::repeat_byte(0xa1);
    let timeout = |vm: &mut Vm| {
        let r = vm.call(
            alice,
            ARB_RETRYABLE_TX,
            U256::ZERO,
            &getTimeoutCall { ticketId: id }.abi_encode(),
        );
        U256::from_be_slice(&r.output)
    };
    assert_eq!(timeout(&mut vm), U256::from(created + RETRYABLE_LIFETIME_SECONDS));

    let r =
        vm.call(alice, ARB_RETRYABLE_TX, U256::ZERO, &keepaliveCall { ticketId: id }.abi_encode());
    assert!(r.success, "{:?}", r.status);
    // ArbOS's prices: open, argument, size (2 reads), 200 per word of the 288-byte ticket,
    // 3 reads, the queue entry, a window, the reaping price, the event, the result.
    let size_words = (6 * 32 + 32 + 32 * 2) / 32;
    let expected = 800
        + 3
        + 1_600
        + 200 * size_words
        + 2_400
        + 40_800
        + 20_800
        + 58_000
        + (375 + 2 * 375 + 8 * 32)
        + 3;
    assert_eq!(r.breakdown.precompiles, expected);
    let extended = created + 2 * RETRYABLE_LIFETIME_SECONDS;
    assert_eq!(U256::from_be_slice(&r.output), U256::from(extended));
    let logged: Vec<LifetimeExtended> = events(&r.logs, ARB_RETRYABLE_TX);
    assert_eq!(logged[0].newTimeout, U256::from(extended));
    assert_eq!(timeout(&mut vm), U256::from(extended));
    // A second keepalive now would reach more than a lifetime ahead.
    let r =
        vm.call(alice, ARB_RETRYABLE_TX, U256::ZERO, &keepaliveCall { ticketId: id }.abi_encode());
    assert_eq!(r.status, Status::Revert);

    // Past the first timeout the ticket lives on, and its data is intact.
    vm.advance_time(RETRYABLE_LIFETIME_SECONDS + 10);
    let ticket = vm.retryable(id).expect("kept alive");
    assert_eq!(ticket.data.to_vec(), vec![7; 40]);
    assert_eq!(ticket.timeout, extended);
    vm.advance_time(RETRYABLE_LIFETIME_SECONDS);
    assert!(vm.retryable(id).is_none());
}

#[test]
fn a_retry_sees_its_l1_sender_through_arbsys_and_its_redeemer() {
    let mut vm = Vm::new();
    let to = harness(&mut vm);
    let aliased = IArbSys::wasMyCallersAddressAliasedCall {}.abi_encode();
    let unaliased = IArbSys::myCallersAddressWithoutAliasingCall {}.abi_encode();
    let redeemer = IArbRetryableTx::getCurrentRedeemerCall {}.abi_encode();
    let script = Script::new()
        .call(ARB_SYS, U256::ZERO, u64::MAX, &aliased)
        .call(ARB_SYS, U256::ZERO, u64::MAX, &unaliased)
        .call(ARB_RETRYABLE_TX, U256::ZERO, u64::MAX, &redeemer);
    let s = submission(&vm, to, script.bytes().to_vec(), 300_000, U256::ZERO);
    let retry = vm.submit_retryable(&s).auto_redeem.unwrap();
    assert!(retry.success, "{:?}", retry.status);
    let out = &retry.output;
    assert_eq!((out[0], U256::from_be_slice(&out[1..33])), (0, U256::from(1)));
    assert_eq!(Address::from_slice(&out[46..66]), Address::repeat_byte(0x77));
    assert_eq!(Address::from_slice(&out[79..99]), s.excess_fee_refund_address);

    // Outside a retry the same program is not aliased and has no redeemer.
    let r = vm.call(Address::repeat_byte(0xa1), to, U256::ZERO, script.bytes());
    assert_eq!(U256::from_be_slice(&r.output[1..33]), U256::ZERO);
    assert_eq!(Address::from_slice(&r.output[46..66]), Address::repeat_byte(0xa1));
    assert_eq!(Address::from_slice(&r.output[79..99]), Address::ZERO);
}

#[test]
fn a_submission_short_of_its_max_submission_fee_fails_and_keeps_the_deposit_at_the_sender() {
    let mut vm = Vm::new();
    let to = harness(&mut vm);
    let mut s = submission(&vm, to, Vec::new(), 21_000, U256::ZERO);
    s.deposit = U256::from(1);
    let result = vm.submit_retryable(&s);
    assert!(!result.submission.success);
    assert!(matches!(result.submission.status, Status::Failure(_)));
    assert!(result.auto_redeem.is_none());
    assert!(vm.retryable(result.ticket_id).is_none());
    assert_eq!(vm.balance(s.from), U256::from(1));
}

#[test]
fn a_reverted_send_leaves_the_accumulator_as_it_was() {
    let (mut vm, alice, h) = setup(1);
    let script =
        Script::new().call(ARB_SYS, U256::ZERO, u64::MAX, &send_call(alice, b"undone")).revert();
    let r = vm.call(alice, h[0], U256::ZERO, script.bytes());
    assert_eq!(r.status, Status::Revert);
    assert_eq!(tree_state(&mut vm), (U256::ZERO, B256::ZERO, Vec::new()));
    let r = vm.call(alice, ARB_SYS, U256::ZERO, &send_call(alice, b"kept"));
    assert_eq!(sends(&r.logs)[0].position, 0);
}
