//! Delayed operations: schedule, authorize (execute), cancel, expiration.
//!
//! The target is a plain address here: `authorizeCall` takes it from `msg.sender`, so the
//! tests send from it. `cross_contract.rs` does the same through a real target contract.

use alloy_primitives::{Address, B256};
use motsu::prelude::*;
use staking_common::roles::{GUARDIAN_ROLE, PAUSE_ROLE, STAKING_CONTROL_ROLE};

use super::{call_data, init, log_count, now, OTHER_SEL, SEL};
use crate::{
    errors::{
        AccessControlUnauthorizedAccount, Error, InvalidCalldata, OperationAlreadyScheduled,
        OperationExpired, OperationNotDelayed, OperationNotReady, OperationNotScheduled,
        TimestampOverflow,
    },
    events::{OperationCanceled, OperationExecuted, OperationScheduled},
    operations::{hash_operation, OPERATION_EXPIRATION},
    AccessManager,
};

const ROLE: B256 = STAKING_CONTROL_ROLE;
const DELAY: u32 = 3600;

/// Admin initialized; `caller` holds `ROLE`; `SEL` on `target` has `DELAY`.
fn setup(contract: &Contract<AccessManager>, admin: Address, caller: Address, target: Address) {
    init(contract, admin);
    contract.sender(admin).grant_role(ROLE, caller).unwrap();
    contract.sender(admin).set_target_function_delay(target, SEL, DELAY).unwrap();
}

fn not_scheduled(id: B256) -> Error {
    Error::OperationNotScheduled(OperationNotScheduled { operationId: id })
}

fn expired(id: B256, ready_at: u64) -> Error {
    Error::OperationExpired(OperationExpired {
        operationId: id,
        expiredAt: ready_at + OPERATION_EXPIRATION,
    })
}

#[motsu::test]
fn schedule_stores_the_ready_time_and_emits(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    let data = call_data(SEL, 7);
    let id = contract.sender(caller).schedule(target, &data).unwrap();
    assert_eq!(id, hash_operation(caller, target, &data));
    let ready_at = now() + u64::from(DELAY);
    assert_eq!(contract.sender(caller).get_operation(id), ready_at);
    contract.assert_emitted(&OperationScheduled {
        operationId: id,
        caller,
        target,
        data: data.into(),
        readyAt: ready_at,
    });
}

#[motsu::test]
fn schedule_needs_a_delayed_function(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
    other_target: Address,
) {
    setup(&contract, admin, caller, target);
    let logs = log_count(&contract);
    let err = contract.sender(caller).schedule(target, &call_data(OTHER_SEL, 1)).unwrap_err();
    assert_eq!(
        err,
        Error::OperationNotDelayed(OperationNotDelayed { target, selector: OTHER_SEL })
    );
    let data = call_data(SEL, 1);
    let err = contract.sender(caller).schedule(other_target, &data).unwrap_err();
    assert_eq!(
        err,
        Error::OperationNotDelayed(OperationNotDelayed { target: other_target, selector: SEL })
    );
    assert_eq!(
        contract.sender(caller).get_operation(hash_operation(caller, other_target, &data)),
        0
    );
    assert_eq!(log_count(&contract), logs);
}

#[motsu::test]
fn calldata_shorter_than_a_selector_is_refused(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    let logs = log_count(&contract);
    for len in 0..4 {
        let data = &SEL.as_slice()[..len];
        let err = contract.sender(caller).schedule(target, data).unwrap_err();
        assert_eq!(err, Error::InvalidCalldata(InvalidCalldata {}));
        let err = contract.sender(target).authorize_call(caller, ROLE, data).unwrap_err();
        assert_eq!(err, Error::InvalidCalldata(InvalidCalldata {}));
        assert_eq!(contract.sender(caller).get_operation(hash_operation(caller, target, data)), 0);
    }
    // Exactly the selector is enough.
    contract.sender(caller).schedule(target, SEL.as_slice()).unwrap();
    assert_eq!(log_count(&contract), logs + 1);
}

#[motsu::test]
fn schedule_refuses_a_pending_duplicate(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    let data = call_data(SEL, 1);
    let id = contract.sender(caller).schedule(target, &data).unwrap();
    let logs = log_count(&contract);
    // Even once it is ready, a pending operation cannot be re-scheduled (to push it back).
    let t = now() + u64::from(DELAY);
    let err = contract.sender(caller).schedule_at(caller, target, &data, t).unwrap_err();
    assert_eq!(
        err,
        Error::OperationAlreadyScheduled(OperationAlreadyScheduled { operationId: id })
    );
    let err = contract.sender(caller).schedule(target, &data).unwrap_err();
    assert_eq!(
        err,
        Error::OperationAlreadyScheduled(OperationAlreadyScheduled { operationId: id })
    );
    assert_eq!(contract.sender(caller).get_operation(id), t);
    assert_eq!(log_count(&contract), logs);
    // Different arguments are a different operation.
    contract.sender(caller).schedule(target, &call_data(SEL, 2)).unwrap();
}

#[motsu::test]
fn ready_time_overflow_is_refused(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    let data = call_data(SEL, 1);
    let logs = log_count(&contract);
    let err = contract.sender(caller).schedule_at(caller, target, &data, u64::MAX - 1).unwrap_err();
    assert_eq!(err, Error::TimestampOverflow(TimestampOverflow {}));
    assert_eq!(contract.sender(caller).get_operation(hash_operation(caller, target, &data)), 0);
    assert_eq!(log_count(&contract), logs);
}

#[motsu::test]
fn authorize_call_without_delay_checks_only_the_role(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    let logs = log_count(&contract);
    contract.sender(target).authorize_call(caller, ROLE, &call_data(OTHER_SEL, 1)).unwrap();
    // Repeatable, no state, no event.
    contract.sender(target).authorize_call(caller, ROLE, &call_data(OTHER_SEL, 1)).unwrap();
    assert_eq!(log_count(&contract), logs);
}

#[motsu::test]
fn authorize_call_rejects_a_caller_without_the_role(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    stranger: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    contract.sender(admin).grant_role(PAUSE_ROLE, stranger).unwrap();
    // Undelayed and delayed functions alike; a different role does not help; nor does the
    // default admin role.
    for (who, data) in [
        (stranger, call_data(OTHER_SEL, 1)),
        (stranger, call_data(SEL, 1)),
        (admin, call_data(OTHER_SEL, 1)),
    ] {
        let err = contract.sender(target).authorize_call(who, ROLE, &data).unwrap_err();
        assert_eq!(
            err,
            Error::AccessControlUnauthorizedAccount(AccessControlUnauthorizedAccount {
                account: who,
                neededRole: ROLE,
            })
        );
    }
}

#[motsu::test]
fn delayed_call_requires_a_schedule(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    let data = call_data(SEL, 1);
    let err = contract.sender(target).authorize_call(caller, ROLE, &data).unwrap_err();
    assert_eq!(err, not_scheduled(hash_operation(caller, target, &data)));
}

#[motsu::test]
fn delayed_call_before_its_ready_time_fails(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    let data = call_data(SEL, 1);
    let id = contract.sender(caller).schedule(target, &data).unwrap();
    let ready_at = now() + u64::from(DELAY);
    let logs = log_count(&contract);
    let expected =
        Error::OperationNotReady(OperationNotReady { operationId: id, readyAt: ready_at });
    let err = contract.sender(target).authorize_call(caller, ROLE, &data).unwrap_err();
    assert_eq!(err, expected);
    let err = contract
        .sender(target)
        .authorize_call_at(target, caller, ROLE, &data, ready_at - 1)
        .unwrap_err();
    assert_eq!(err, expected);
    assert_eq!(contract.sender(caller).get_operation(id), ready_at);
    assert_eq!(log_count(&contract), logs);
}

#[motsu::test]
fn ready_operation_runs_once(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    let data = call_data(SEL, 1);
    let id = contract.sender(caller).schedule(target, &data).unwrap();
    let ready_at = now() + u64::from(DELAY);
    contract.sender(target).authorize_call_at(target, caller, ROLE, &data, ready_at).unwrap();
    contract.assert_emitted(&OperationExecuted { operationId: id, caller, target });
    assert_eq!(contract.sender(caller).get_operation(id), 0);
    let err = contract
        .sender(target)
        .authorize_call_at(target, caller, ROLE, &data, ready_at + 1)
        .unwrap_err();
    assert_eq!(err, not_scheduled(id));
    // It can be scheduled again, with a fresh delay.
    let later = ready_at + 10;
    contract.sender(caller).schedule_at(caller, target, &data, later).unwrap();
    assert_eq!(contract.sender(caller).get_operation(id), later + u64::from(DELAY));
}

#[motsu::test]
fn ready_operation_still_needs_the_role(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    let data = call_data(SEL, 1);
    let id = contract.sender(caller).schedule(target, &data).unwrap();
    contract.sender(admin).revoke_role(ROLE, caller).unwrap();
    let ready_at = now() + u64::from(DELAY);
    let err = contract
        .sender(target)
        .authorize_call_at(target, caller, ROLE, &data, ready_at)
        .unwrap_err();
    assert_eq!(
        err,
        Error::AccessControlUnauthorizedAccount(AccessControlUnauthorizedAccount {
            account: caller,
            neededRole: ROLE,
        })
    );
    assert_eq!(contract.sender(caller).get_operation(id), ready_at);
}

#[motsu::test]
fn operation_is_bound_to_caller_target_and_data(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    other_caller: Address,
    target: Address,
    other_target: Address,
) {
    setup(&contract, admin, caller, target);
    contract.sender(admin).grant_role(ROLE, other_caller).unwrap();
    contract.sender(admin).set_target_function_delay(other_target, SEL, DELAY).unwrap();
    let data = call_data(SEL, 1);
    let id = contract.sender(caller).schedule(target, &data).unwrap();
    let t = now() + u64::from(DELAY);
    // Another caller, another target, other arguments: each is another (unscheduled) id.
    let err = contract
        .sender(target)
        .authorize_call_at(target, other_caller, ROLE, &data, t)
        .unwrap_err();
    assert_eq!(err, not_scheduled(hash_operation(other_caller, target, &data)));
    let err = contract
        .sender(other_target)
        .authorize_call_at(other_target, caller, ROLE, &data, t)
        .unwrap_err();
    assert_eq!(err, not_scheduled(hash_operation(caller, other_target, &data)));
    let other_data = call_data(SEL, 2);
    let err = contract
        .sender(target)
        .authorize_call_at(target, caller, ROLE, &other_data, t)
        .unwrap_err();
    assert_eq!(err, not_scheduled(hash_operation(caller, target, &other_data)));
    assert_eq!(contract.sender(caller).get_operation(id), t);
}

#[motsu::test]
fn anyone_may_schedule_but_only_as_themselves(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    stranger: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    let data = call_data(SEL, 1);
    // A stranger's schedule is keyed to the stranger: it does not let `caller` skip the delay.
    let id = contract.sender(stranger).schedule(target, &data).unwrap();
    assert_eq!(id, hash_operation(stranger, target, &data));
    let t = now() + u64::from(DELAY);
    let err =
        contract.sender(target).authorize_call_at(target, caller, ROLE, &data, t).unwrap_err();
    assert_eq!(err, not_scheduled(hash_operation(caller, target, &data)));
    // And the stranger lacks the role to use it.
    let err =
        contract.sender(target).authorize_call_at(target, stranger, ROLE, &data, t).unwrap_err();
    assert_eq!(
        err,
        Error::AccessControlUnauthorizedAccount(AccessControlUnauthorizedAccount {
            account: stranger,
            neededRole: ROLE,
        })
    );
}

#[motsu::test]
fn schedule_under_a_waiting_decrease_uses_the_old_delay(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    contract.sender(admin).set_target_function_delay(target, SEL, 60).unwrap();
    let data = call_data(SEL, 1);
    let id = contract.sender(caller).schedule(target, &data).unwrap();
    assert_eq!(contract.sender(caller).get_operation(id), now() + u64::from(DELAY));
}

#[motsu::test]
fn raising_a_delay_keeps_the_ready_time_of_scheduled_operations(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
) {
    // Documented limit: a guardian cancels operations that must wait longer.
    setup(&contract, admin, caller, target);
    let data = call_data(SEL, 1);
    let id = contract.sender(caller).schedule(target, &data).unwrap();
    contract.sender(admin).set_target_function_delay(target, SEL, 10 * DELAY).unwrap();
    let ready_at = now() + u64::from(DELAY);
    assert_eq!(contract.sender(caller).get_operation(id), ready_at);
    contract.sender(target).authorize_call_at(target, caller, ROLE, &data, ready_at).unwrap();
}

#[motsu::test]
fn caller_can_cancel_its_own_operation(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    let data = call_data(SEL, 1);
    let id = contract.sender(caller).schedule(target, &data).unwrap();
    contract.sender(caller).cancel(caller, target, &data).unwrap();
    contract.assert_emitted(&OperationCanceled { operationId: id });
    assert_eq!(contract.sender(caller).get_operation(id), 0);
    let t = now() + u64::from(DELAY);
    let err =
        contract.sender(target).authorize_call_at(target, caller, ROLE, &data, t).unwrap_err();
    assert_eq!(err, not_scheduled(id));
}

#[motsu::test]
fn guardian_can_cancel_any_operation(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    guardian: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    contract.sender(admin).grant_role(GUARDIAN_ROLE, guardian).unwrap();
    let data = call_data(SEL, 1);
    let id = contract.sender(caller).schedule(target, &data).unwrap();
    contract.sender(guardian).cancel(caller, target, &data).unwrap();
    contract.assert_emitted(&OperationCanceled { operationId: id });
    assert_eq!(contract.sender(caller).get_operation(id), 0);
    // A canceled operation can be scheduled again, with a fresh delay.
    contract.sender(caller).schedule(target, &data).unwrap();
    assert_eq!(contract.sender(caller).get_operation(id), now() + u64::from(DELAY));
}

#[motsu::test]
fn stranger_cannot_cancel(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    stranger: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    let data = call_data(SEL, 1);
    let id = contract.sender(caller).schedule(target, &data).unwrap();
    let logs = log_count(&contract);
    // Neither a stranger, nor the target, nor the admin (without the guardian role).
    for who in [stranger, target, admin] {
        let err = contract.sender(who).cancel(caller, target, &data).unwrap_err();
        assert_eq!(
            err,
            Error::AccessControlUnauthorizedAccount(AccessControlUnauthorizedAccount {
                account: who,
                neededRole: GUARDIAN_ROLE,
            })
        );
    }
    assert_eq!(contract.sender(caller).get_operation(id), now() + u64::from(DELAY));
    assert_eq!(log_count(&contract), logs);
}

#[motsu::test]
fn cancel_of_an_unknown_operation_fails(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    guardian: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    contract.sender(admin).grant_role(GUARDIAN_ROLE, guardian).unwrap();
    let data = call_data(SEL, 1);
    let logs = log_count(&contract);
    for who in [caller, guardian] {
        let err = contract.sender(who).cancel(caller, target, &data).unwrap_err();
        assert_eq!(err, not_scheduled(hash_operation(caller, target, &data)));
    }
    // Canceling twice fails the second time.
    contract.sender(caller).schedule(target, &data).unwrap();
    contract.sender(caller).cancel(caller, target, &data).unwrap();
    let err = contract.sender(guardian).cancel(caller, target, &data).unwrap_err();
    assert_eq!(err, not_scheduled(hash_operation(caller, target, &data)));
    assert_eq!(log_count(&contract), logs + 2);
}

// ----- Expiration ------------------------------------------------------------------------------

#[motsu::test]
fn operation_runs_until_its_expiration_inclusive(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    let (data, late_data) = (call_data(SEL, 1), call_data(SEL, 2));
    let id = contract.sender(caller).schedule(target, &data).unwrap();
    let late_id = contract.sender(caller).schedule(target, &late_data).unwrap();
    let ready_at = now() + u64::from(DELAY);
    let last = ready_at + OPERATION_EXPIRATION;
    // The last second of the window still works.
    contract.sender(target).authorize_call_at(target, caller, ROLE, &data, last).unwrap();
    contract.assert_emitted(&OperationExecuted { operationId: id, caller, target });
    assert_eq!(contract.sender(caller).get_operation(id), 0);
    // One second later the operation is expired: refused, and nothing changes.
    let logs = log_count(&contract);
    let err = contract
        .sender(target)
        .authorize_call_at(target, caller, ROLE, &late_data, last + 1)
        .unwrap_err();
    assert_eq!(err, expired(late_id, ready_at));
    let err = contract
        .sender(target)
        .authorize_call_at(target, caller, ROLE, &late_data, u64::MAX)
        .unwrap_err();
    assert_eq!(err, expired(late_id, ready_at));
    assert_eq!(contract.sender(caller).get_operation(late_id), ready_at);
    assert_eq!(log_count(&contract), logs);
}

#[motsu::test]
fn expired_operation_can_be_scheduled_again(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    let data = call_data(SEL, 1);
    let id = contract.sender(caller).schedule(target, &data).unwrap();
    let ready_at = now() + u64::from(DELAY);
    let last = ready_at + OPERATION_EXPIRATION;
    // Still within its window: a duplicate.
    let logs = log_count(&contract);
    let err = contract.sender(caller).schedule_at(caller, target, &data, last).unwrap_err();
    assert_eq!(
        err,
        Error::OperationAlreadyScheduled(OperationAlreadyScheduled { operationId: id })
    );
    assert_eq!(log_count(&contract), logs);
    // Expired: overwritten with a fresh delay.
    let t = last + 1;
    assert_eq!(contract.sender(caller).schedule_at(caller, target, &data, t).unwrap(), id);
    let new_ready_at = t + u64::from(DELAY);
    contract.assert_emitted(&OperationScheduled {
        operationId: id,
        caller,
        target,
        data: data.clone().into(),
        readyAt: new_ready_at,
    });
    assert_eq!(contract.sender(caller).get_operation(id), new_ready_at);
    // It waits for the new delay, then runs once.
    let err = contract
        .sender(target)
        .authorize_call_at(target, caller, ROLE, &data, new_ready_at - 1)
        .unwrap_err();
    assert_eq!(
        err,
        Error::OperationNotReady(OperationNotReady { operationId: id, readyAt: new_ready_at })
    );
    contract.sender(target).authorize_call_at(target, caller, ROLE, &data, new_ready_at).unwrap();
    contract.assert_emitted(&OperationExecuted { operationId: id, caller, target });
    assert_eq!(contract.sender(caller).get_operation(id), 0);
}

#[motsu::test]
fn expired_operation_can_be_canceled(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    guardian: Address,
    target: Address,
) {
    setup(&contract, admin, caller, target);
    contract.sender(admin).grant_role(GUARDIAN_ROLE, guardian).unwrap();
    let data = call_data(SEL, 1);
    // Scheduled long enough ago to be expired at motsu's (fixed) clock.
    let scheduled_at = now() - u64::from(DELAY) - OPERATION_EXPIRATION - 1;
    let id = contract.sender(caller).schedule_at(caller, target, &data, scheduled_at).unwrap();
    let ready_at = scheduled_at + u64::from(DELAY);
    let err = contract.sender(target).authorize_call(caller, ROLE, &data).unwrap_err();
    assert_eq!(err, expired(id, ready_at));
    contract.sender(guardian).cancel(caller, target, &data).unwrap();
    contract.assert_emitted(&OperationCanceled { operationId: id });
    assert_eq!(contract.sender(caller).get_operation(id), 0);
    let err = contract.sender(target).authorize_call(caller, ROLE, &data).unwrap_err();
    assert_eq!(err, not_scheduled(id));
}

#[motsu::test]
fn stale_operation_is_refused_when_a_delay_returns(
    contract: Contract<AccessManager>,
    admin: Address,
    caller: Address,
    target: Address,
) {
    // The review scenario: delay set, call scheduled, delay removed and waited out (the
    // undelayed calls do not consume the pending operation), delay set again months later.
    setup(&contract, admin, caller, target);
    let data = call_data(SEL, 1);
    let id = contract.sender(caller).schedule(target, &data).unwrap();
    let ready_at = now() + u64::from(DELAY);
    contract.sender(admin).set_target_function_delay(target, SEL, 0).unwrap();
    let later = ready_at + 90 * 86_400;
    assert_eq!(contract.sender(admin).target_function_delay_at(target, SEL, later), 0);
    contract.sender(target).authorize_call_at(target, caller, ROLE, &data, later).unwrap();
    assert_eq!(contract.sender(caller).get_operation(id), ready_at, "not consumed");
    contract.sender(admin).set_target_function_delay_at(target, SEL, DELAY, later).unwrap();
    // The old operation does not skip the restored delay.
    let logs = log_count(&contract);
    let err =
        contract.sender(target).authorize_call_at(target, caller, ROLE, &data, later).unwrap_err();
    assert_eq!(err, expired(id, ready_at));
    assert_eq!(contract.sender(caller).get_operation(id), ready_at);
    assert_eq!(log_count(&contract), logs);
    // Scheduling it again makes the caller wait the delay.
    contract.sender(caller).schedule_at(caller, target, &data, later).unwrap();
    assert_eq!(contract.sender(caller).get_operation(id), later + u64::from(DELAY));
    let err =
        contract.sender(target).authorize_call_at(target, caller, ROLE, &data, later).unwrap_err();
    assert_eq!(
        err,
        Error::OperationNotReady(OperationNotReady {
            operationId: id,
            readyAt: later + u64::from(DELAY),
        })
    );
}
