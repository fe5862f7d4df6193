//! Nested calls: reverts that leave no trace, value transfers and the stipend, the 63/64 rule,
//! reentrancy as the callee sees it, static calls.

use crate::common::{ether, setup, word, Script};
use stylus_vm::{
    alloy_primitives::{Address, B256, U256},
    Status,
};

const ALL_GAS: u64 = u64::MAX;

#[test]
fn reverted_nested_call_leaves_no_trace() {
    let (mut vm, alice, h) = setup(2);
    let (a, b) = (h[0], h[1]);
    let bob = Address::repeat_byte(0xb0);
    vm.set_balance(b, ether(1));
    let inner = Script::new()
        .sstore(5, 55)
        .flush()
        .tstore(6, 66)
        .log(&[B256::repeat_byte(0x11)], b"gone")
        .call(bob, ether(1), ALL_GAS, &[])
        .revert();
    let outer = Script::new()
        .sstore(1, 11)
        .call(b, ether(2), ALL_GAS, inner.bytes())
        // Reads B's transient slot back through a second call.
        .call(b, U256::ZERO, ALL_GAS, Script::new().tload(6).bytes());
    let r = vm.call(alice, a, ether(2), outer.bytes());

    assert_eq!(r.status, Status::Success);
    // The reverted call reports failure (status 2) and its revert data: bob's call status.
    assert_eq!(r.output[0], 2);
    assert_eq!(r.output[1], 0);
    // The second call succeeded and saw B's transient slot empty.
    assert_eq!(&r.output[2..], [&[0u8][..], word(0).as_slice()].concat());
    assert_eq!(vm.storage(a, U256::from(1)), word(11));
    assert_eq!(vm.storage(b, U256::from(5)), word(0));
    assert_eq!(vm.balance(bob), U256::ZERO);
    assert_eq!(vm.balance(b), ether(1));
    assert_eq!(vm.balance(a), ether(2));
    assert!(r.logs.is_empty());
}

#[test]
fn a_failed_transaction_keeps_no_state_and_no_logs() {
    let (mut vm, alice, h) = setup(1);
    let script = Script::new().sstore(1, 1).flush().log(&[], b"x").trap();
    let r = vm.call(alice, h[0], ether(1), script.bytes());
    assert!(matches!(r.status, Status::Failure(ref m) if m.contains("unreachable")));
    assert!(r.logs.is_empty());
    assert_eq!(vm.storage(h[0], U256::from(1)), word(0));
    assert_eq!(vm.balance(h[0]), U256::ZERO);
    assert_eq!(vm.balance(alice), ether(100));
    assert_eq!(vm.nonce(alice), 1);
}

#[test]
fn value_sent_to_a_plain_account_arrives_and_pays_for_the_new_account() {
    let (mut vm, alice, h) = setup(1);
    let bob = Address::repeat_byte(0xb0);
    let script = Script::new().call(bob, ether(1), 0, &[]);
    let r = vm.call(alice, h[0], ether(3), script.bytes());
    assert_eq!(r.status, Status::Success);
    assert_eq!(r.output[0], 0);
    assert_eq!(vm.balance(bob), ether(1));
    assert_eq!(vm.balance(h[0]), ether(2));
    assert_eq!(vm.balance(alice), ether(97));
    // Cold account, value transfer, new account; the stipend costs the caller nothing.
    assert_eq!(r.breakdown.calls, 2_600 + 9_000 + 25_000);
}

#[test]
fn a_transaction_to_a_plain_account_moves_value_for_21000_gas() {
    let (mut vm, alice, _) = setup(0);
    let bob = Address::repeat_byte(0xb0);
    let r = vm.call(alice, bob, ether(5), &[]);
    assert!(r.success);
    assert_eq!(r.gas_used, 21_000);
    assert_eq!(vm.balance(bob), ether(5));
}

#[test]
fn a_transaction_whose_sender_lacks_the_value_is_invalid() {
    let (mut vm, alice, h) = setup(1);
    let r = vm.call(alice, h[0], ether(1_000), &[]);
    assert!(matches!(r.status, Status::Invalid(_)));
    assert_eq!(r.gas_used, 0);
    assert_eq!(vm.nonce(alice), 0);
}

#[test]
fn a_value_call_with_no_gas_gives_the_callee_only_the_stipend() {
    let (mut vm, alice, h) = setup(2);
    // 2,300 gas cannot even start a program.
    let script = Script::new().call(h[1], ether(1), 0, Script::new().sstore(1, 1).bytes());
    let r = vm.call(alice, h[0], ether(1), script.bytes());
    assert!(r.success);
    assert_eq!(r.output[0], 2);
    assert_eq!(vm.balance(h[1]), U256::ZERO);
    assert_eq!(vm.storage(h[1], U256::from(1)), word(0));
}

#[test]
fn a_call_forwards_at_most_63_64ths_of_the_gas_left() {
    let (mut vm, alice, h) = setup(2);
    vm.set_cached(h[0], true);
    let script =
        Script::new().gas_left().call(h[1], U256::ZERO, ALL_GAS, Script::new().gas_left().bytes());
    let r = vm.call(alice, h[0], U256::ZERO, script.bytes());
    let gas = |bytes: &[u8]| u64::from_le_bytes(bytes.try_into().unwrap());
    let outer = gas(&r.output[..8]);
    let inner = gas(&r.output[9..17]);
    assert!(inner < outer * 63 / 64, "{inner} >= 63/64 of {outer}");
    // Less only by the call's own costs and the callee's start-up.
    assert!(outer * 63 / 64 - inner < 5_000, "{outer} -> {inner}");
}

#[test]
fn a_requested_gas_limit_caps_what_the_callee_gets() {
    let (mut vm, alice, h) = setup(2);
    let script = Script::new().call(h[1], U256::ZERO, 50_000, Script::new().gas_left().bytes());
    let r = vm.call(alice, h[0], U256::ZERO, script.bytes());
    let inner = u64::from_le_bytes(r.output[1..9].try_into().unwrap());
    assert!(inner < 50_000 && inner > 25_000, "{inner}");
}

#[test]
fn reentrant_call_is_seen_by_the_callee() {
    let (mut vm, alice, h) = setup(2);
    let (a, b) = (h[0], h[1]);
    let back_into_a = Script::new().reentrant();
    let into_b = Script::new().reentrant().call(a, U256::ZERO, ALL_GAS, back_into_a.bytes());
    let script = Script::new().reentrant().call(b, U256::ZERO, ALL_GAS, into_b.bytes());
    let r = vm.call(alice, a, U256::ZERO, script.bytes());
    assert!(r.success);
    // A: not reentrant; B: not reentrant; A again: reentrant.
    assert_eq!(r.output.to_vec(), vec![0, 0, 0, 0, 1]);
}

#[test]
fn a_delegate_call_does_not_set_the_reentrancy_flag() {
    // nitro's TxProcessor.PushContract counts a frame of an address only for non-delegate
    // calls: code run by delegate call acts as its caller without being a second frame of it,
    // while a real call back into that address is.
    let (mut vm, alice, h) = setup(2);
    let (a, b) = (h[0], h[1]);
    let back_into_a = Script::new().reentrant();
    let as_a =
        Script::new().reentrant().sstore(7, 77).call(a, U256::ZERO, ALL_GAS, back_into_a.bytes());
    let script = Script::new().reentrant().delegate_call(b, ALL_GAS, as_a.bytes());
    let r = vm.call(alice, a, U256::ZERO, script.bytes());
    assert!(r.success, "{:?}", r.status);
    // A: not reentrant; delegate call succeeded; B's code as A: not reentrant; its call into
    // A succeeded; A again: reentrant.
    assert_eq!(r.output.to_vec(), vec![0, 0, 0, 0, 1]);
    // The delegated code wrote A's storage, not B's.
    assert_eq!(vm.storage(a, U256::from(7)), word(77));
    assert_eq!(vm.storage(b, U256::from(7)), word(0));
}

#[test]
fn a_delegate_call_from_a_reentered_frame_stays_reentrant() {
    let (mut vm, alice, h) = setup(3);
    let (a, b, code) = (h[0], h[1], h[2]);
    // A calls B, B calls A (reentrant), that A delegate-calls C's code, which still runs as
    // the reentered A.
    let in_a_again =
        Script::new().reentrant().delegate_call(code, ALL_GAS, Script::new().reentrant().bytes());
    let in_b = Script::new().call(a, U256::ZERO, ALL_GAS, in_a_again.bytes());
    let script = Script::new().call(b, U256::ZERO, ALL_GAS, in_b.bytes());
    let receipt = vm.call(alice, a, U256::ZERO, script.bytes());
    assert!(receipt.success, "{:?}", receipt.status);
    // Status of A -> B, status of B -> A, A again reentrant, status of the delegate call, C's
    // code as A: reentrant.
    assert_eq!(receipt.output.to_vec(), vec![0, 0, 1, 0, 1]);
}

#[test]
fn a_static_call_cannot_write() {
    let (mut vm, alice, h) = setup(2);
    let writes = [
        Script::new().sstore(1, 1).flush(),
        Script::new().tstore(1, 1),
        Script::new().log(&[], b"no"),
        Script::new().call(alice, U256::from(1), 0, &[]),
    ];
    vm.set_balance(h[1], ether(1));
    for write in writes {
        let script = Script::new().static_call(h[1], ALL_GAS, write.bytes());
        let r = vm.call(alice, h[0], U256::ZERO, script.bytes());
        assert!(r.success);
        if write.bytes()[0] == 0x06 {
            // The callee's value call fails (status 2); the callee carries on.
            assert_eq!(&r.output[..2], &[0, 2]);
        } else {
            assert_eq!(r.output[0], 2, "{write:?}");
        }
    }
    assert_eq!(vm.storage(h[1], U256::from(1)), word(0));
}

#[test]
fn a_static_call_can_read() {
    let (mut vm, alice, h) = setup(2);
    vm.set_storage(h[1], U256::from(3), word(33));
    let script = Script::new().static_call(h[1], ALL_GAS, Script::new().sload(3).bytes());
    let r = vm.call(alice, h[0], U256::ZERO, script.bytes());
    assert_eq!(r.output.to_vec(), [&[0u8][..], word(33).as_slice()].concat());
}

#[test]
fn a_view_through_static_call_changes_nothing() {
    let (mut vm, alice, h) = setup(1);
    vm.set_storage(h[0], U256::from(2), word(22));
    let r = vm.static_call(alice, h[0], Script::new().sload(2).bytes());
    assert!(r.success);
    assert_eq!(r.output.as_ref(), word(22).as_slice());
    let r = vm.static_call(alice, h[0], Script::new().sstore(2, 1).bytes());
    assert!(matches!(r.status, Status::Failure(ref m) if m.contains("static")));
    assert_eq!(vm.storage(h[0], U256::from(2)), word(22));
    assert_eq!(vm.nonce(alice), 0);
}

#[test]
fn msg_value_and_balances_are_visible_to_the_program() {
    let (mut vm, alice, h) = setup(1);
    let r = vm.call(alice, h[0], ether(2), Script::new().value().balance(h[0]).bytes());
    assert_eq!(&r.output[..32], &ether(2).to_be_bytes::<32>());
    assert_eq!(&r.output[32..], &ether(2).to_be_bytes::<32>());
}
