//! The pool with the real AccessManager (natively, under motsu): every privileged path of the
//! pool goes through `authorizeCall`, roles granted and revoked on the manager take effect at
//! once, pause and resume are different roles, and a function governance put behind a delay
//! cannot be called directly or before its operation is ready.
//!
//! motsu's block timestamp is fixed, so an operation becoming ready after its delay is tested
//! end to end on the VM; here the delay is shown to block direct and early calls.
#![allow(missing_docs, clippy::needless_pass_by_value)]

use access_manager::{abi::IAccessManager as am, AccessManager};
use alloy_primitives::{aliases::B32, uint, Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError};
use motsu::prelude::*;
use staking_common::roles::{DEFAULT_ADMIN_ROLE, PAUSE_ROLE, RESUME_ROLE, STAKING_CONTROL_ROLE};
use staking_pool::{
    errors::{AccessDenied, Error},
    StakingPool,
};

const ETHER: U256 = uint!(1_000_000_000_000_000_000_U256);

sol! {
    function pauseToken();
    function setStakingLimit(uint256 maxStakeLimit, uint256 stakeLimitIncreasePerBlock);
}

fn setup(pool: &Contract<StakingPool>, manager: &Contract<AccessManager>, admin: Address) {
    manager.sender(admin).constructor(admin).motsu_unwrap();
    admin.fund(ETHER);
    let extension = Address::with_last_byte(0xe7);
    pool.sender_and_value(admin, U256::from(1_000_000_000u64))
        .constructor(
            manager.address(),
            extension,
            U256::ZERO,
            U256::ZERO,
            Address::repeat_byte(0x9e),
        )
        .motsu_unwrap();
}

fn denied(caller: Address, role: B256, reason: Vec<u8>) -> Error {
    Error::AccessDenied(AccessDenied { caller, role, reason })
}

fn unauthorized(caller: Address, role: B256) -> Vec<u8> {
    am::AccessControlUnauthorizedAccount { account: caller, neededRole: role }.abi_encode()
}

#[motsu::test]
fn a_role_granted_on_the_manager_lets_its_holder_pause_and_resume(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManager>,
    admin: Address,
    pauser: Address,
    resumer: Address,
) {
    setup(&pool, &manager, admin);
    assert!(manager.sender(admin).has_role(DEFAULT_ADMIN_ROLE, admin));
    assert_eq!(
        pool.sender(pauser).pause_token().motsu_unwrap_err(),
        denied(pauser, PAUSE_ROLE, unauthorized(pauser, PAUSE_ROLE))
    );
    manager.sender(admin).grant_role(PAUSE_ROLE, pauser).motsu_unwrap();
    manager.sender(admin).grant_role(RESUME_ROLE, resumer).motsu_unwrap();
    pool.sender(pauser).pause_token().motsu_unwrap();
    assert!(pool.sender(pauser).is_token_paused());
    // Pausing does not give the right to resume, and the reverse.
    assert_eq!(
        pool.sender(pauser).resume_token().motsu_unwrap_err(),
        denied(pauser, RESUME_ROLE, unauthorized(pauser, RESUME_ROLE))
    );
    pool.sender(resumer).resume_token().motsu_unwrap();
    assert!(!pool.sender(resumer).is_token_paused());
    assert_eq!(
        pool.sender(resumer).pause_token().motsu_unwrap_err(),
        denied(resumer, PAUSE_ROLE, unauthorized(resumer, PAUSE_ROLE))
    );
}

#[motsu::test]
fn revoking_a_role_takes_effect_at_once(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManager>,
    admin: Address,
    operator: Address,
) {
    setup(&pool, &manager, admin);
    manager.sender(admin).grant_role(STAKING_CONTROL_ROLE, operator).motsu_unwrap();
    pool.sender(operator).set_staking_limit(ETHER, U256::ZERO).motsu_unwrap();
    manager.sender(admin).revoke_role(STAKING_CONTROL_ROLE, operator).motsu_unwrap();
    assert_eq!(
        pool.sender(operator).pause_staking().motsu_unwrap_err(),
        denied(operator, STAKING_CONTROL_ROLE, unauthorized(operator, STAKING_CONTROL_ROLE))
    );
    assert!(!pool.sender(operator).is_staking_paused());
}

#[motsu::test]
fn the_manager_admin_holds_no_pool_role_by_default(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManager>,
    admin: Address,
) {
    setup(&pool, &manager, admin);
    let err = pool.sender(admin).pause_token().motsu_unwrap_err();
    assert_eq!(err, denied(admin, PAUSE_ROLE, unauthorized(admin, PAUSE_ROLE)));
    let err = pool.sender(admin).pause_staking().motsu_unwrap_err();
    assert_eq!(err, denied(admin, STAKING_CONTROL_ROLE, unauthorized(admin, STAKING_CONTROL_ROLE)));
    let err = pool.sender(admin).remove_staking_limit().motsu_unwrap_err();
    assert_eq!(err, denied(admin, STAKING_CONTROL_ROLE, unauthorized(admin, STAKING_CONTROL_ROLE)));
}

#[motsu::test]
fn a_delayed_function_cannot_be_called_directly_nor_before_it_is_ready(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManager>,
    admin: Address,
    operator: Address,
) {
    setup(&pool, &manager, admin);
    manager.sender(admin).grant_role(STAKING_CONTROL_ROLE, operator).motsu_unwrap();
    let selector = B32::from(setStakingLimitCall::SELECTOR);
    manager.sender(admin).set_target_function_delay(pool.address(), selector, 3600).motsu_unwrap();
    assert_eq!(manager.sender(admin).get_target_function_delay(pool.address(), selector), 3600);
    assert!(!manager.sender(pool.address()).can_call(operator, STAKING_CONTROL_ROLE, selector));

    let call = setStakingLimitCall { maxStakeLimit: ETHER, stakeLimitIncreasePerBlock: U256::ZERO };
    let data = call.abi_encode();
    let id = manager.sender(admin).hash_operation(operator, pool.address(), &data);

    // Direct call: the operation was never scheduled.
    let err = pool.sender(operator).set_staking_limit(ETHER, U256::ZERO).motsu_unwrap_err();
    assert_eq!(
        err,
        denied(
            operator,
            STAKING_CONTROL_ROLE,
            am::OperationNotScheduled { operationId: id }.abi_encode()
        )
    );

    // Scheduled, but the delay has not passed.
    let scheduled = manager.sender(operator).schedule(pool.address(), &data).motsu_unwrap();
    assert_eq!(scheduled, id);
    let ready_at = manager.sender(operator).get_operation(id);
    assert!(ready_at >= 3600);
    let err = pool.sender(operator).set_staking_limit(ETHER, U256::ZERO).motsu_unwrap_err();
    assert_eq!(
        err,
        denied(
            operator,
            STAKING_CONTROL_ROLE,
            am::OperationNotReady { operationId: id, readyAt: ready_at }.abi_encode()
        )
    );
    // Other pool functions stay immediate.
    pool.sender(operator).pause_staking().motsu_unwrap();
    assert_eq!(pool.sender(operator).get_stake_limit_config(), (U256::ZERO, U256::ZERO));
}

#[motsu::test]
fn a_guardian_can_cancel_a_scheduled_operation(
    pool: Contract<StakingPool>,
    manager: Contract<AccessManager>,
    admin: Address,
    operator: Address,
    guardian: Address,
) {
    setup(&pool, &manager, admin);
    manager.sender(admin).grant_role(PAUSE_ROLE, operator).motsu_unwrap();
    manager.sender(admin).grant_role(staking_common::roles::GUARDIAN_ROLE, guardian).motsu_unwrap();
    let selector = B32::from(pauseTokenCall::SELECTOR);
    manager.sender(admin).set_target_function_delay(pool.address(), selector, 60).motsu_unwrap();
    let data = pauseTokenCall {}.abi_encode();
    let id = manager.sender(operator).schedule(pool.address(), &data).motsu_unwrap();
    manager.sender(guardian).cancel(operator, pool.address(), &data).motsu_unwrap();
    assert_eq!(manager.sender(guardian).get_operation(id), 0);
    let err = pool.sender(operator).pause_token().motsu_unwrap_err();
    assert_eq!(
        err,
        denied(operator, PAUSE_ROLE, am::OperationNotScheduled { operationId: id }.abi_encode())
    );
}
