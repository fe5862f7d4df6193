//! `SSTORE` through the storage cache: EIP-2200 (set, reset, no-op, dirty writes), EIP-2929
//! (cold and warm slots) and EIP-3529 (clearing refunds, capped at a fifth of gas used).

use crate::common::{setup, word, Script};
use stylus_vm::{alloy_primitives::U256, Receipt, Status};

/// Runs `script` against a harness whose slot 1 starts at `initial`.
fn run(initial: u64, script: &Script) -> (Receipt, stylus_vm::alloy_primitives::B256) {
    let (mut vm, alice, h) = setup(1);
    vm.set_storage(h[0], U256::from(1), word(initial));
    let receipt = vm.call(alice, h[0], U256::ZERO, script.bytes());
    assert_eq!(receipt.status, Status::Success);
    (receipt, vm.storage(h[0], U256::from(1)))
}

#[test]
fn setting_a_fresh_slot_costs_cold_access_plus_twenty_thousand() {
    let (r, slot) = run(0, &Script::new().sstore(1, 7));
    assert_eq!(slot, word(7));
    assert_eq!(r.breakdown.storage, 2_100 + 20_000);
    assert_eq!(r.breakdown.refund, 0);
}

#[test]
fn resetting_a_set_slot_costs_five_thousand() {
    let (r, slot) = run(7, &Script::new().sstore(1, 8));
    assert_eq!(slot, word(8));
    assert_eq!(r.breakdown.storage, 2_100 + 2_900);
}

#[test]
fn clearing_a_slot_refunds_4800() {
    let (r, slot) = run(7, &Script::new().sstore(1, 0));
    assert_eq!(slot, word(0));
    assert_eq!(r.breakdown.storage, 5_000);
    assert_eq!(r.breakdown.refund, 4_800);
    assert_eq!(r.gas_used, r.breakdown.total());
}

#[test]
fn restoring_the_original_value_costs_a_warm_read_and_refunds_the_reset() {
    let (r, slot) = run(7, &Script::new().sstore(1, 8).flush().sstore(1, 7));
    assert_eq!(slot, word(7));
    assert_eq!(r.breakdown.storage, 5_000 + 100);
    assert_eq!(r.breakdown.refund, 5_000 - 2_100 - 100);
}

#[test]
fn setting_then_clearing_a_fresh_slot_refunds_up_to_a_fifth_of_gas_used() {
    let (r, slot) = run(0, &Script::new().sstore(1, 7).flush().sstore(1, 0));
    assert_eq!(slot, word(0));
    assert_eq!(r.breakdown.storage, 22_100 + 100);
    // The 19,900 refund is more than the EIP-3529 cap allows.
    let before_refund = r.gas_used + r.breakdown.refund;
    assert_eq!(r.breakdown.refund, before_refund / 5);
    assert!(r.breakdown.refund < 19_900);
}

#[test]
fn recreating_a_cleared_slot_takes_the_clearing_refund_back() {
    let (r, slot) = run(7, &Script::new().sstore(1, 0).flush().sstore(1, 9));
    assert_eq!(slot, word(9));
    assert_eq!(r.breakdown.storage, 5_000 + 100);
    assert_eq!(r.breakdown.refund, 0);
}

#[test]
fn writing_the_current_value_unread_costs_an_access_and_a_warm_read() {
    let (r, _) = run(7, &Script::new().sstore(1, 7));
    assert_eq!(r.breakdown.storage, 2_100 + 100);
}

#[test]
fn writing_back_a_value_just_read_never_reaches_the_evm() {
    let (r, _) = run(7, &Script::new().sload(1).sstore(1, 7));
    assert_eq!(r.breakdown.storage, 2_100 + 5);
}

#[test]
fn a_second_read_of_a_slot_hits_the_cache_for_free() {
    let (r, _) = run(7, &Script::new().sload(1).sload(1));
    assert_eq!(r.breakdown.storage, 2_100 + 5);
    assert_eq!(&r.output[..32], word(7).as_slice());
    assert_eq!(&r.output[32..], word(7).as_slice());
}

#[test]
fn a_slot_read_before_its_write_is_warm_when_flushed() {
    let (r, slot) = run(7, &Script::new().sload(1).sstore(1, 8));
    assert_eq!(slot, word(8));
    assert_eq!(r.breakdown.storage, 2_105 + 2_900);
}

#[test]
fn a_slot_warmed_in_one_transaction_is_cold_in_the_next() {
    let (mut vm, alice, h) = setup(1);
    let script = Script::new().sload(1);
    let first = vm.call(alice, h[0], U256::ZERO, script.bytes());
    let second = vm.call(alice, h[0], U256::ZERO, script.bytes());
    assert_eq!(first.breakdown.storage, 2_105);
    assert_eq!(second.breakdown.storage, 2_105);
}

#[test]
fn flushing_with_clear_forgets_cached_values() {
    let (r, _) = run(7, &Script::new().sload(1).flush_clear().sload(1));
    // The second read misses the emptied cache, but the slot is warm.
    assert_eq!(r.breakdown.storage, 2_105 + 105);
}

#[test]
fn unflushed_writes_vanish_when_the_call_ends_with_a_revert() {
    let (mut vm, alice, h) = setup(1);
    let r = vm.call(alice, h[0], U256::ZERO, Script::new().sstore(1, 7).revert().bytes());
    assert_eq!(r.status, Status::Revert);
    assert_eq!(vm.storage(h[0], U256::from(1)), word(0));
}

#[test]
fn a_snapshot_lists_every_balance_and_slot_and_sees_a_write_but_not_a_revert() {
    let (mut vm, alice, h) = setup(1);
    vm.set_storage(h[0], U256::from(1), word(7));
    let before = vm.snapshot(&[alice]);
    assert!(before.storage.contains(&(h[0], word(1), word(7))));
    assert!(before.accounts.iter().all(|a| a.0 != alice), "the sender is left out");
    let reverted = vm.call(alice, h[0], U256::ZERO, Script::new().sstore(2, 9).revert().bytes());
    assert!(!reverted.success);
    assert!(vm.snapshot(&[alice]) == before, "a reverted call changes nothing");
    let written = vm.call(alice, h[0], U256::ZERO, Script::new().sstore(2, 9).bytes());
    assert!(written.success);
    let after = vm.snapshot(&[alice]);
    assert!(after.storage.contains(&(h[0], word(2), word(9))));
    assert!(after != before);
}
