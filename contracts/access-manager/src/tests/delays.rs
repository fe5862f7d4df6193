//! Delays per (target, selector): who sets them, the maximum, increase at once, decrease late.

use alloy_primitives::Address;
use motsu::prelude::*;
use staking_common::roles::{DEFAULT_ADMIN_ROLE, GUARDIAN_ROLE};

use super::{init, log_count, now, OTHER_SEL, SEL};
use crate::{
    delays::MAX_DELAY,
    errors::{AccessControlUnauthorizedAccount, DelayTooLong, Error, TimestampOverflow},
    events::TargetFunctionDelayUpdated,
    AccessManager,
};

#[motsu::test]
fn delay_is_zero_until_set(contract: Contract<AccessManager>, target: Address, bob: Address) {
    assert_eq!(contract.sender(bob).get_target_function_delay(target, SEL), 0);
}

#[motsu::test]
fn admin_sets_a_delay_that_takes_effect_at_once(
    contract: Contract<AccessManager>,
    admin: Address,
    target: Address,
) {
    init(&contract, admin);
    contract.sender(admin).set_target_function_delay(target, SEL, 3600).unwrap();
    assert_eq!(contract.sender(admin).get_target_function_delay(target, SEL), 3600);
    contract.assert_emitted(&TargetFunctionDelayUpdated {
        target,
        selector: SEL,
        delay: 3600,
        effectAt: now(),
    });
    // A further increase is immediate too.
    contract.sender(admin).set_target_function_delay(target, SEL, 7200).unwrap();
    assert_eq!(contract.sender(admin).get_target_function_delay(target, SEL), 7200);
}

#[motsu::test]
fn non_admin_cannot_set_a_delay(
    contract: Contract<AccessManager>,
    admin: Address,
    guardian: Address,
    target: Address,
) {
    init(&contract, admin);
    contract.sender(admin).grant_role(GUARDIAN_ROLE, guardian).unwrap();
    contract.sender(admin).set_target_function_delay(target, SEL, 100).unwrap();
    let logs = log_count(&contract);
    for who in [guardian, target] {
        let err = contract.sender(who).set_target_function_delay(target, SEL, 0).unwrap_err();
        assert_eq!(
            err,
            Error::AccessControlUnauthorizedAccount(AccessControlUnauthorizedAccount {
                account: who,
                neededRole: DEFAULT_ADMIN_ROLE,
            })
        );
    }
    assert_eq!(contract.sender(admin).get_target_function_delay(target, SEL), 100);
    assert_eq!(contract.sender(admin).target_function_delay_at(target, SEL, u64::MAX), 100);
    assert_eq!(log_count(&contract), logs);
}

#[motsu::test]
fn delay_above_thirty_days_is_refused(
    contract: Contract<AccessManager>,
    admin: Address,
    target: Address,
) {
    init(&contract, admin);
    assert_eq!(MAX_DELAY, 30 * 86_400);
    let logs = log_count(&contract);
    for delay in [MAX_DELAY + 1, u32::MAX] {
        let err = contract.sender(admin).set_target_function_delay(target, SEL, delay).unwrap_err();
        assert_eq!(err, Error::DelayTooLong(DelayTooLong { delay, max: MAX_DELAY }));
    }
    assert_eq!(contract.sender(admin).get_target_function_delay(target, SEL), 0);
    assert_eq!(log_count(&contract), logs);
    contract.sender(admin).set_target_function_delay(target, SEL, MAX_DELAY).unwrap();
    assert_eq!(contract.sender(admin).get_target_function_delay(target, SEL), MAX_DELAY);
}

#[motsu::test]
fn decreased_delay_waits_for_the_old_delay(
    contract: Contract<AccessManager>,
    admin: Address,
    target: Address,
) {
    init(&contract, admin);
    let t = now();
    contract.sender(admin).set_target_function_delay(target, SEL, 1000).unwrap();
    contract.sender(admin).set_target_function_delay(target, SEL, 10).unwrap();
    contract.assert_emitted(&TargetFunctionDelayUpdated {
        target,
        selector: SEL,
        delay: 10,
        effectAt: t + 1000,
    });
    // Still the old delay now and until the old delay has elapsed.
    assert_eq!(contract.sender(admin).get_target_function_delay(target, SEL), 1000);
    assert_eq!(contract.sender(admin).target_function_delay_at(target, SEL, t + 999), 1000);
    assert_eq!(contract.sender(admin).target_function_delay_at(target, SEL, t + 1000), 10);
}

#[motsu::test]
fn removing_a_delay_waits_for_the_old_delay(
    contract: Contract<AccessManager>,
    admin: Address,
    target: Address,
) {
    init(&contract, admin);
    let t = now();
    contract.sender(admin).set_target_function_delay(target, SEL, 500).unwrap();
    contract.sender(admin).set_target_function_delay(target, SEL, 0).unwrap();
    contract.assert_emitted(&TargetFunctionDelayUpdated {
        target,
        selector: SEL,
        delay: 0,
        effectAt: t + 500,
    });
    assert_eq!(contract.sender(admin).get_target_function_delay(target, SEL), 500);
    assert_eq!(contract.sender(admin).target_function_delay_at(target, SEL, t + 500), 0);
}

#[motsu::test]
fn a_later_decrease_counts_from_when_it_is_set(
    contract: Contract<AccessManager>,
    admin: Address,
    target: Address,
) {
    init(&contract, admin);
    let t = now();
    contract.sender(admin).set_target_function_delay(target, SEL, 1000).unwrap();
    // Half-way through the wait, the admin lowers the delay again: the 1000 s delay in force
    // then restarts from that moment.
    contract.sender(admin).set_target_function_delay_at(target, SEL, 0, t + 500).unwrap();
    contract.assert_emitted(&TargetFunctionDelayUpdated {
        target,
        selector: SEL,
        delay: 0,
        effectAt: t + 1500,
    });
    assert_eq!(contract.sender(admin).target_function_delay_at(target, SEL, t + 1499), 1000);
    assert_eq!(contract.sender(admin).target_function_delay_at(target, SEL, t + 1500), 0);
}

#[motsu::test]
fn an_increase_cancels_a_waiting_decrease(
    contract: Contract<AccessManager>,
    admin: Address,
    target: Address,
) {
    init(&contract, admin);
    let t = now();
    contract.sender(admin).set_target_function_delay(target, SEL, 1000).unwrap();
    contract.sender(admin).set_target_function_delay(target, SEL, 10).unwrap();
    contract.sender(admin).set_target_function_delay(target, SEL, 2000).unwrap();
    assert_eq!(contract.sender(admin).target_function_delay_at(target, SEL, t + 1000), 2000);
    assert_eq!(contract.sender(admin).target_function_delay_at(target, SEL, u64::MAX), 2000);
}

#[motsu::test]
fn delays_are_per_target_and_selector(
    contract: Contract<AccessManager>,
    admin: Address,
    target: Address,
    other_target: Address,
) {
    init(&contract, admin);
    contract.sender(admin).set_target_function_delay(target, SEL, 100).unwrap();
    assert_eq!(contract.sender(admin).get_target_function_delay(target, OTHER_SEL), 0);
    assert_eq!(contract.sender(admin).get_target_function_delay(other_target, SEL), 0);
    contract.sender(admin).set_target_function_delay(other_target, OTHER_SEL, 7).unwrap();
    assert_eq!(contract.sender(admin).get_target_function_delay(target, SEL), 100);
    assert_eq!(contract.sender(admin).get_target_function_delay(other_target, OTHER_SEL), 7);
}

#[motsu::test]
fn decrease_whose_effect_time_overflows_is_refused(
    contract: Contract<AccessManager>,
    admin: Address,
    target: Address,
) {
    init(&contract, admin);
    contract.sender(admin).set_target_function_delay(target, SEL, 100).unwrap();
    let logs = log_count(&contract);
    let err = contract
        .sender(admin)
        .set_target_function_delay_at(target, SEL, 1, u64::MAX - 50)
        .unwrap_err();
    assert_eq!(err, Error::TimestampOverflow(TimestampOverflow {}));
    assert_eq!(contract.sender(admin).target_function_delay_at(target, SEL, u64::MAX), 100);
    assert_eq!(log_count(&contract), logs);
}
