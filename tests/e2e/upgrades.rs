//! The one upgrade policy of the four split contracts (pool, queue, registry, oracle), on the
//! release wasm: a core's extension program is set by its constructor and replaced only by
//! `upgradeExtension(address)`, under `UPGRADE_ROLE`, behind the delay the deployment puts on
//! that selector in the AccessManager (so the upgrade is scheduled, public for the delay, and
//! a guardian may cancel it), and only by a program answering `extensionId()` with the id of
//! the core's storage layout (`staking_common::upgrade`).

use access_manager::abi::IAccessManager::{OperationNotReady, OperationNotScheduled};
use alloy_primitives::{address, keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use protocol_tests::{
    abi::IAccessManager,
    deploy::{events_from, read_wasm, revert_data, UPGRADE_DELAY},
    oracle::Oracle,
    validators::Validators,
    Suite, ADMIN, ALICE, GUARDIAN,
};
use staking_common::{
    roles::UPGRADE_ROLE,
    upgrade::{extensionIdCall, upgradeExtensionCall, ExtensionUpgraded, InvalidExtension},
};
// Every contract declares these two errors with the same signature in its interface file.
use stylus_vm::Receipt;
use withdrawal_queue::abi::IWithdrawalQueue::{AccessDenied, NotInitialized};

/// An account without any role.
const STRANGER: Address = address!("0000000000000000000000000000000000057A9E");

/// One split contract of the deployed suite.
#[derive(Clone, Copy, Debug)]
struct Split {
    /// Its extension program's wasm (and the label of its layout id).
    name: &'static str,
    core: Address,
    extension: Address,
    /// `keccak256("<contract>.extension.v1")`.
    id: B256,
}

/// The suite with the registry and the oracle, and its four split contracts.
fn deployed() -> (Suite, [Split; 4]) {
    let mut s = Suite::deploy();
    let v = Validators::setup(&mut s, 1);
    let o = Oracle::setup(&mut s, 1, 1);
    s.vm.set_balance(STRANGER, protocol_tests::ether(1));
    let split = |name: &'static str, core, extension, layout: &str| Split {
        name,
        core,
        extension,
        id: keccak256(format!("{layout}.extension.v1")),
    };
    let splits = [
        split("staking-pool-extension", s.pool, s.pool_extension, "staking-pool"),
        split("withdrawal-queue-extension", s.queue, s.queue_extension, "withdrawal-queue"),
        split(
            "node-operator-registry-extension",
            v.registry,
            v.extension,
            "node-operator-registry",
        ),
        split("accounting-oracle-extension", o.address, o.extension, "accounting-oracle"),
    ];
    (s, splits)
}

/// The extension a core delegates to now: the storage word its `extension`/`getExtension`
/// view reads (the views differ by name, the slot by contract).
fn current_extension(s: &mut Suite, c: &Split) -> Address {
    let view = if c.core == s.pool { "getExtension()" } else { "extension()" };
    let r = s.vm.static_call(ALICE, c.core, &keccak256(view)[..4]);
    assert!(r.success, "{view} on {}", c.name);
    Address::from_slice(&r.output[12..32])
}

/// A second, freshly deployed program of the same extension (a valid upgrade).
fn candidate(s: &mut Suite, c: &Split) -> Address {
    s.deploy_program(&format!("{}-v2", c.name), &read_wasm(c.name), None, U256::ZERO)
}

fn upgrade_call(to: Address) -> Vec<u8> {
    upgradeExtensionCall { newExtension: to }.abi_encode()
}

fn schedule(s: &mut Suite, who: Address, c: &Split, to: Address) {
    let call = IAccessManager::scheduleCall { target: c.core, data: upgrade_call(to).into() };
    let manager = s.manager;
    s.ok(who, manager, U256::ZERO, &call);
}

fn upgrade(s: &mut Suite, who: Address, c: &Split, to: Address) -> Receipt {
    s.vm.call(who, c.core, U256::ZERO, &upgrade_call(to))
}

/// The manager's reason inside a core's `AccessDenied(caller, UPGRADE_ROLE, reason)`.
fn refusal(r: &Receipt, caller: Address) -> Vec<u8> {
    let e: AccessDenied = revert_data(r);
    assert_eq!((e.caller, e.role), (caller, UPGRADE_ROLE));
    e.reason.to_vec()
}

#[test]
fn an_extension_answers_its_layout_id_and_a_core_never_does() {
    let (mut s, splits) = deployed();
    for c in &splits {
        let r = s.vm.static_call(ALICE, c.extension, &extensionIdCall::SELECTOR);
        assert!(r.success, "{}", c.name);
        assert_eq!(B256::from_slice(&r.output), c.id, "{}", c.name);
        // Through the core (its extension slot is set) nothing answers.
        let r = s.vm.static_call(ALICE, c.core, &extensionIdCall::SELECTOR);
        assert!(!r.success && r.output.is_empty(), "{}", c.name);
    }
    // Four layouts, four ids.
    let mut ids: Vec<B256> = splits.iter().map(|c| c.id).collect();
    ids.dedup();
    assert_eq!(ids.len(), 4);
}

#[test]
fn every_core_puts_the_upgrade_behind_the_deployments_delay() {
    let (mut s, splits) = deployed();
    for c in &splits {
        let call = IAccessManager::getTargetFunctionDelayCall {
            target: c.core,
            selector: upgradeExtensionCall::SELECTOR.into(),
        };
        assert_eq!(s.view(s.manager, &call)._0, UPGRADE_DELAY, "{}", c.name);
    }
}

#[test]
fn a_scheduled_upgrade_runs_after_the_delay_and_emits_extension_upgraded() {
    let (mut s, splits) = deployed();
    for c in &splits {
        let next = candidate(&mut s, c);
        schedule(&mut s, ADMIN, c, next);
        // Not before the delay.
        let reason = refusal(&upgrade(&mut s, ADMIN, c, next), ADMIN);
        assert_eq!(reason[..4], OperationNotReady::SELECTOR, "{}", c.name);
        s.vm.advance_time(u64::from(UPGRADE_DELAY));
        let r = upgrade(&mut s, ADMIN, c, next);
        assert!(r.success, "{}: {:?}", c.name, r.status);
        let upgraded: Vec<(Address, Address)> = events_from::<ExtensionUpgraded>(&r, c.core)
            .iter()
            .map(|e| (e.oldExtension, e.newExtension))
            .collect();
        assert_eq!(upgraded, vec![(c.extension, next)], "{}", c.name);
        assert_eq!(current_extension(&mut s, c), next, "{}", c.name);
        // The operation was used up: the same call again is not scheduled.
        let reason = refusal(&upgrade(&mut s, ADMIN, c, c.extension), ADMIN);
        assert_eq!(reason[..4], OperationNotScheduled::SELECTOR, "{}", c.name);
    }
    // The contracts keep working through their new extensions: a view each program serves.
    let bounds = protocol_tests::abi::IWithdrawalQueue::getRequestBoundsCall {};
    let r = s.view(splits[1].core, &bounds);
    assert_eq!(r.min, U256::from(100));
}

#[test]
fn an_unscheduled_upgrade_is_refused_while_a_delay_is_set() {
    let (mut s, splits) = deployed();
    for c in &splits {
        let next = candidate(&mut s, c);
        let before = s.vm.snapshot(&[ADMIN]);
        let reason = refusal(&upgrade(&mut s, ADMIN, c, next), ADMIN);
        let e = OperationNotScheduled::abi_decode(&reason, true).expect("not scheduled");
        let id = IAccessManager::hashOperationCall {
            caller: ADMIN,
            target: c.core,
            data: upgrade_call(next).into(),
        };
        assert_eq!(e.operationId, s.view(s.manager, &id)._0, "{}", c.name);
        assert!(before == s.vm.snapshot(&[ADMIN]), "{}", c.name);
        assert_eq!(current_extension(&mut s, c), c.extension);
    }
}

#[test]
fn a_guardian_cancels_a_delayed_upgrade() {
    let (mut s, splits) = deployed();
    for c in &splits {
        let next = candidate(&mut s, c);
        schedule(&mut s, ADMIN, c, next);
        let cancel = IAccessManager::cancelCall {
            caller: ADMIN,
            target: c.core,
            data: upgrade_call(next).into(),
        };
        let manager = s.manager;
        s.ok(GUARDIAN, manager, U256::ZERO, &cancel);
        s.vm.advance_time(u64::from(UPGRADE_DELAY));
        let reason = refusal(&upgrade(&mut s, ADMIN, c, next), ADMIN);
        assert_eq!(reason[..4], OperationNotScheduled::SELECTOR, "{}", c.name);
        assert_eq!(current_extension(&mut s, c), c.extension, "{}", c.name);
    }
}

#[test]
fn wrong_programs_are_refused_even_when_scheduled() {
    let (mut s, splits) = deployed();
    for (i, c) in splits.iter().enumerate() {
        let other = &splits[(i + 1) % splits.len()];
        let wrong = [
            ALICE,           // an account without code
            s.manager,       // a program that is no extension
            other.extension, // another contract's extension
            c.core,          // the core itself (it forwards, but never answers)
            other.core,      // another core
        ];
        for to in wrong {
            schedule(&mut s, ADMIN, c, to);
        }
        s.vm.advance_time(u64::from(UPGRADE_DELAY));
        for to in wrong {
            let before = s.vm.snapshot(&[ADMIN]);
            let r = upgrade(&mut s, ADMIN, c, to);
            let e: InvalidExtension = revert_data(&r);
            assert_eq!(e.extension, to, "{}", c.name);
            assert!(before == s.vm.snapshot(&[ADMIN]), "{} -> {to}", c.name);
        }
        assert_eq!(current_extension(&mut s, c), c.extension, "{}", c.name);
    }
}

#[test]
fn a_stranger_can_neither_upgrade_nor_use_its_own_schedule() {
    let (mut s, splits) = deployed();
    for c in &splits {
        let next = candidate(&mut s, c);
        let reason = refusal(&upgrade(&mut s, STRANGER, c, next), STRANGER);
        assert!(!reason.is_empty(), "{}", c.name);
        // Scheduling is open to anyone (attributed to itself), but the role is checked when
        // the call runs.
        schedule(&mut s, STRANGER, c, next);
        s.vm.advance_time(u64::from(UPGRADE_DELAY));
        let _ = refusal(&upgrade(&mut s, STRANGER, c, next), STRANGER);
        // The extension program called directly has no manager: nothing to upgrade there.
        let r = s.vm.call(STRANGER, c.extension, U256::ZERO, &upgrade_call(next));
        let _: NotInitialized = revert_data(&r);
        assert_eq!(current_extension(&mut s, c), c.extension, "{}", c.name);
        let call = IAccessManager::hasRoleCall { role: UPGRADE_ROLE, account: STRANGER };
        assert!(!s.view(s.manager, &call)._0);
    }
    let _ = ExtensionUpgraded::SIGNATURE_HASH;
}
