//! Views: `canCall` (from the target's side), `getOperation`, `expiration`, `hashOperation`.

use alloy_primitives::{keccak256, Address, Bytes as AlloyBytes, B256};
use alloy_sol_types::SolValue;
use motsu::prelude::*;
use staking_common::roles::{PAUSE_ROLE, RESUME_ROLE};

use super::{call_data, init, now, OTHER_SEL, SEL};
use crate::{
    operations::{hash_operation, OPERATION_EXPIRATION},
    AccessManager,
};

#[motsu::test]
fn can_call_needs_the_role_and_no_delay(
    contract: Contract<AccessManager>,
    admin: Address,
    pauser: Address,
    stranger: Address,
    target: Address,
) {
    init(&contract, admin);
    contract.sender(admin).grant_role(PAUSE_ROLE, pauser).unwrap();
    // The target asks (it is msg.sender).
    assert!(contract.sender(target).can_call(pauser, PAUSE_ROLE, SEL));
    assert!(!contract.sender(target).can_call(pauser, RESUME_ROLE, SEL));
    assert!(!contract.sender(target).can_call(stranger, PAUSE_ROLE, SEL));
    assert!(!contract.sender(target).can_call(admin, PAUSE_ROLE, SEL));
}

#[motsu::test]
fn can_call_is_false_while_a_delay_is_in_force(
    contract: Contract<AccessManager>,
    admin: Address,
    pauser: Address,
    target: Address,
    other_target: Address,
) {
    init(&contract, admin);
    contract.sender(admin).grant_role(PAUSE_ROLE, pauser).unwrap();
    contract.sender(admin).set_target_function_delay(target, SEL, 60).unwrap();
    assert!(!contract.sender(target).can_call(pauser, PAUSE_ROLE, SEL));
    // Other selectors and other targets (other askers) are unaffected.
    assert!(contract.sender(target).can_call(pauser, PAUSE_ROLE, OTHER_SEL));
    assert!(contract.sender(other_target).can_call(pauser, PAUSE_ROLE, SEL));
    // Removing the delay only helps once the old delay has elapsed.
    contract.sender(admin).set_target_function_delay(target, SEL, 0).unwrap();
    assert!(!contract.sender(target).can_call(pauser, PAUSE_ROLE, SEL));
    assert_eq!(contract.sender(target).target_function_delay_at(target, SEL, now() + 60), 0);
}

#[motsu::test]
fn get_operation_is_zero_for_an_unknown_id(contract: Contract<AccessManager>, bob: Address) {
    assert_eq!(contract.sender(bob).get_operation(B256::ZERO), 0);
    assert_eq!(contract.sender(bob).get_operation(B256::repeat_byte(0x42)), 0);
}

#[motsu::test]
fn expiration_is_one_week(contract: Contract<AccessManager>, bob: Address) {
    assert_eq!(contract.sender(bob).expiration(), 7 * 86_400);
    assert_eq!(contract.sender(bob).expiration(), OPERATION_EXPIRATION);
}

#[motsu::test]
fn hash_operation_is_keccak_of_abi_encode(
    contract: Contract<AccessManager>,
    caller: Address,
    target: Address,
) {
    for data in [Vec::new(), call_data(SEL, 1), vec![0xab; 100]] {
        let reference =
            keccak256((caller, target, AlloyBytes::from(data.clone())).abi_encode_params());
        assert_eq!(contract.sender(caller).hash_operation(caller, target, &data), reference);
        assert_eq!(hash_operation(caller, target, &data), reference);
    }
}
