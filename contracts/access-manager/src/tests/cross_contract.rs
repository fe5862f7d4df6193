//! A target contract asking the manager as the pool and the other contracts do
//! (`staking_common::interfaces::authorize_call`, the selector from `abi/IAccessManager.sol`),
//! through the manager's generated router: the manager takes the target from `msg.sender`.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256, U64};
use alloy_sol_types::{sol, SolCall};
use motsu::prelude::*;
use staking_common::{host, interfaces::authorize_call, roles::STAKING_CONTROL_ROLE};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageU256},
};

use super::{init, now};
use crate::{
    errors::{AccessControlUnauthorizedAccount, Error, OperationNotReady, OperationNotScheduled},
    events::OperationExecuted,
    interface::calls,
    operations::hash_operation,
    AccessManager,
};

const ROLE: B256 = STAKING_CONTROL_ROLE;

sol! {
    function setValue(uint256 value);
}

/// A target with one privileged setter guarded by `STAKING_CONTROL_ROLE` through the manager.
#[storage]
struct TargetMock {
    manager: StorageAddress,
    value: StorageU256,
}

// SAFETY: test-only top-level contract (motsu deploys it at its own address).
unsafe impl TopLevelStorage for TargetMock {}

#[public]
impl TargetMock {
    fn set_manager(&mut self, manager: Address) {
        self.manager.set(manager);
    }

    fn value(&self) -> U256 {
        self.value.get()
    }

    /// Privileged: re-encodes its own call data and asks the manager.
    fn set_value(&mut self, value: U256) -> Result<(), Vec<u8>> {
        let data = setValueCall { value }.abi_encode();
        authorize_call(self.manager.get(), host::sender(), ROLE, &data)?;
        self.value.set(value);
        Ok(())
    }

    fn can_set_value(&self, caller: Address) -> Result<bool, Vec<u8>> {
        let call = calls::canCall(caller, ROLE, setValueCall::SELECTOR);
        Ok(answer(&host::call(self.manager.get(), &call)?))
    }

    fn is_holder(&self, account: Address) -> Result<bool, Vec<u8>> {
        let call = calls::hasRole(ROLE, account);
        Ok(answer(&host::call(self.manager.get(), &call)?))
    }
}

/// A `bool` return value.
fn answer(data: &[u8]) -> bool {
    assert_eq!(data.len(), 32, "one word");
    data[31] == 1
}

/// The revert data of `error`.
fn encoded(error: Error) -> Vec<u8> {
    error.into()
}

fn set_value_data(value: u64) -> Vec<u8> {
    setValueCall { value: U256::from(value) }.abi_encode()
}

/// Manager initialized by `admin`, `alice` holds `ROLE`, each target wired to the manager.
fn setup(
    manager: &Contract<AccessManager>,
    targets: &[&Contract<TargetMock>],
    admin: Address,
    alice: Address,
) {
    init(manager, admin);
    manager.sender(admin).grant_role(ROLE, alice).unwrap();
    for target in targets {
        target.sender(admin).set_manager(manager.address());
    }
}

/// Delays `setValue` on `target`.
fn delay_set_value(manager: &Contract<AccessManager>, admin: Address, target: Address) {
    manager.sender(admin).set_target_function_delay(target, setValueCall::SELECTOR, 3600).unwrap();
}

#[motsu::test]
fn holder_calls_the_target_directly(
    manager: Contract<AccessManager>,
    target: Contract<TargetMock>,
    admin: Address,
    alice: Address,
) {
    setup(&manager, &[&target], admin, alice);
    target.sender(alice).set_value(U256::from(5)).motsu_unwrap();
    assert_eq!(target.sender(alice).value(), U256::from(5));
    assert!(target.sender(alice).is_holder(alice).motsu_unwrap());
    assert!(target.sender(alice).can_set_value(alice).motsu_unwrap());
}

#[motsu::test]
fn non_holder_gets_the_managers_error(
    manager: Contract<AccessManager>,
    target: Contract<TargetMock>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    setup(&manager, &[&target], admin, alice);
    let err = target.sender(bob).set_value(U256::from(5)).motsu_unwrap_err();
    let expected = Error::AccessControlUnauthorizedAccount(AccessControlUnauthorizedAccount {
        account: bob,
        neededRole: ROLE,
    });
    assert_eq!(err, encoded(expected));
    assert_eq!(target.sender(bob).value(), U256::ZERO);
    assert!(!target.sender(bob).is_holder(bob).motsu_unwrap());
    assert!(!target.sender(bob).can_set_value(bob).motsu_unwrap());
}

#[motsu::test]
fn delayed_function_must_be_scheduled_for_this_target(
    manager: Contract<AccessManager>,
    target: Contract<TargetMock>,
    admin: Address,
    alice: Address,
) {
    setup(&manager, &[&target], admin, alice);
    delay_set_value(&manager, admin, target.address());
    assert!(!target.sender(alice).can_set_value(alice).motsu_unwrap());

    let data = set_value_data(7);
    let id = hash_operation(alice, target.address(), &data);
    let err = target.sender(alice).set_value(U256::from(7)).motsu_unwrap_err();
    assert_eq!(
        err,
        encoded(Error::OperationNotScheduled(OperationNotScheduled { operationId: id }))
    );

    // The manager saw the target contract as msg.sender: this is the id it looked up.
    assert_eq!(manager.sender(alice).schedule(target.address(), &data).unwrap(), id);
    let ready_at = now() + 3600;
    let err = target.sender(alice).set_value(U256::from(7)).motsu_unwrap_err();
    assert_eq!(
        err,
        encoded(Error::OperationNotReady(OperationNotReady { operationId: id, readyAt: ready_at }))
    );
    assert_eq!(target.sender(alice).value(), U256::ZERO);
    assert_eq!(manager.sender(alice).get_operation(id), ready_at);
}

#[motsu::test]
fn ready_operation_runs_through_the_target_once(
    manager: Contract<AccessManager>,
    target: Contract<TargetMock>,
    admin: Address,
    alice: Address,
) {
    setup(&manager, &[&target], admin, alice);
    delay_set_value(&manager, admin, target.address());
    let data = set_value_data(9);
    let id = manager.sender(alice).schedule(target.address(), &data).unwrap();
    // motsu's clock is fixed: time travel by moving the stored ready time to now.
    manager.sender(alice).operations.setter(id).set(U64::from(now()));

    target.sender(alice).set_value(U256::from(9)).motsu_unwrap();
    assert_eq!(target.sender(alice).value(), U256::from(9));
    manager.assert_emitted(&OperationExecuted {
        operationId: id,
        caller: alice,
        target: target.address(),
    });
    assert_eq!(manager.sender(alice).get_operation(id), 0);
    let err = target.sender(alice).set_value(U256::from(9)).motsu_unwrap_err();
    assert_eq!(
        err,
        encoded(Error::OperationNotScheduled(OperationNotScheduled { operationId: id }))
    );
}

#[motsu::test]
fn operation_for_one_target_cannot_be_used_by_another(
    manager: Contract<AccessManager>,
    target_a: Contract<TargetMock>,
    target_b: Contract<TargetMock>,
    admin: Address,
    alice: Address,
) {
    setup(&manager, &[&target_a, &target_b], admin, alice);
    delay_set_value(&manager, admin, target_a.address());
    delay_set_value(&manager, admin, target_b.address());
    let data = set_value_data(3);
    let id = manager.sender(alice).schedule(target_a.address(), &data).unwrap();
    manager.sender(alice).operations.setter(id).set(U64::from(now()));

    let err = target_b.sender(alice).set_value(U256::from(3)).motsu_unwrap_err();
    let b_id = hash_operation(alice, target_b.address(), &data);
    assert_eq!(
        err,
        encoded(Error::OperationNotScheduled(OperationNotScheduled { operationId: b_id }))
    );
    // Nor can an account consume it by calling the manager itself: the account is then the
    // target, whose `setValue` has no delay, so only the role is checked and nothing consumed.
    let logs = manager.all_events().len();
    manager.sender(alice).authorize_call(alice, ROLE, &data).unwrap();
    assert_eq!(manager.all_events().len(), logs);
    assert_eq!(manager.sender(alice).get_operation(id), now());
    // The right target still can.
    target_a.sender(alice).set_value(U256::from(3)).motsu_unwrap();
    assert_eq!(target_a.sender(alice).value(), U256::from(3));
    assert_eq!(target_b.sender(alice).value(), U256::ZERO);
}
