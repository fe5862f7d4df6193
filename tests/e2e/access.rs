//! The AccessManager's delays on the real clock: the release wasm of both contracts on the VM,
//! time moved by the test. An operation scheduled for a delayed pool function runs only after
//! its delay and only once; lowering a delay takes effect only after the old delay.
#![allow(missing_docs)]

use access_manager::abi::IAccessManager::{OperationNotReady, OperationNotScheduled};
use alloy_primitives::{aliases::B32, U256};
use alloy_sol_types::{SolCall, SolError};
use protocol_tests::{
    abi::{IAccessManager, IStakingPool},
    ether, Suite, ADMIN, GUARDIAN,
};
use staking_common::roles::STAKING_CONTROL_ROLE;
use staking_pool::abi::IStakingPool::AccessDenied;

fn set_limit_call() -> IStakingPool::setStakingLimitCall {
    IStakingPool::setStakingLimitCall {
        maxStakeLimit: ether(7),
        stakeLimitIncreasePerBlock: U256::ZERO,
    }
}

fn delay(s: &mut Suite, seconds: u32) {
    let selector = B32::from(IStakingPool::setStakingLimitCall::SELECTOR);
    s.ok(
        ADMIN,
        s.manager,
        U256::ZERO,
        &IAccessManager::setTargetFunctionDelayCall { target: s.pool, selector, delay: seconds },
    );
}

#[test]
fn a_scheduled_call_runs_after_its_delay_and_only_once() {
    let mut s = Suite::deploy();
    delay(&mut s, 3_600);
    let data = set_limit_call().abi_encode();
    let (id, _) = s.ok(
        ADMIN,
        s.manager,
        U256::ZERO,
        &IAccessManager::scheduleCall { target: s.pool, data: data.clone().into() },
    );
    let id = id._0;
    let ready_at = s.view(s.manager, &IAccessManager::getOperationCall { id })._0;
    assert_eq!(ready_at, s.vm.timestamp() + 3_600);

    let e: AccessDenied = s.revert(ADMIN, s.pool, U256::ZERO, &set_limit_call());
    assert_eq!(e.role, STAKING_CONTROL_ROLE);
    assert_eq!(
        OperationNotReady::abi_decode(&e.reason, true).expect("manager's reason"),
        OperationNotReady { operationId: id, readyAt: ready_at }
    );

    s.vm.advance_time(3_600);
    s.ok(ADMIN, s.pool, U256::ZERO, &set_limit_call());
    let cfg = s.view(s.pool, &IStakingPool::getStakeLimitConfigCall {});
    assert_eq!(cfg._0, ether(7));
    assert_eq!(s.view(s.manager, &IAccessManager::getOperationCall { id })._0, 0, "consumed");

    let e: AccessDenied = s.revert(ADMIN, s.pool, U256::ZERO, &set_limit_call());
    assert_eq!(
        OperationNotScheduled::abi_decode(&e.reason, true).expect("manager's reason"),
        OperationNotScheduled { operationId: id }
    );
}

#[test]
fn lowering_a_delay_takes_effect_only_after_the_old_delay() {
    let mut s = Suite::deploy();
    delay(&mut s, 7_200);
    delay(&mut s, 0);
    let selector = B32::from(IStakingPool::setStakingLimitCall::SELECTOR);
    let current = |s: &mut Suite| {
        s.view(s.manager, &IAccessManager::getTargetFunctionDelayCall { target: s.pool, selector })
            ._0
    };
    assert_eq!(current(&mut s), 7_200);
    let _: AccessDenied = s.revert(ADMIN, s.pool, U256::ZERO, &set_limit_call());
    s.vm.advance_time(7_199);
    assert_eq!(current(&mut s), 7_200);
    s.vm.advance_time(1);
    assert_eq!(current(&mut s), 0);
    s.ok(ADMIN, s.pool, U256::ZERO, &set_limit_call());
}

#[test]
fn a_guardian_cancels_a_scheduled_call_before_it_runs() {
    let mut s = Suite::deploy();
    delay(&mut s, 60);
    let data = set_limit_call().abi_encode();
    s.ok(
        ADMIN,
        s.manager,
        U256::ZERO,
        &IAccessManager::scheduleCall { target: s.pool, data: data.clone().into() },
    );
    s.ok(
        GUARDIAN,
        s.manager,
        U256::ZERO,
        &IAccessManager::cancelCall { caller: ADMIN, target: s.pool, data: data.into() },
    );
    s.vm.advance_time(120);
    let e: AccessDenied = s.revert(ADMIN, s.pool, U256::ZERO, &set_limit_call());
    assert!(OperationNotScheduled::abi_decode(&e.reason, true).is_ok());
}
