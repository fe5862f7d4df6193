//! The constructor, operator administration (`addOperator`, `setOperatorActive`,
//! `setOperatorName`, `setRewardAddress`) and the operator views: who may call them, their
//! bounds, their events, and that a refused call changes nothing.

use alloy_sol_types::SolCall;

use super::*;
use crate::{
    abi::INodeOperatorRegistry as I,
    errors::*,
    events::{
        Initialized, OperatorActiveSet, OperatorAdded, OperatorNameSet, OperatorRewardAddressSet,
    },
    storage::{FLAG_INITIALIZED, NO_TARGET, OP_ACTIVE, OP_EXISTS, OP_IN_LIST},
};

fn not_found(id: U256) -> Error {
    Error::OperatorNotFound(OperatorNotFound { operatorId: id })
}

fn bad_name(length: usize) -> Error {
    Error::InvalidOperatorName(InvalidOperatorName { length: U256::from(length) })
}

/// The manager's last allowed call: `(caller, role, calldata)`.
fn last_call(env: &Env) -> (Address, B256, Vec<u8>) {
    let (caller, role, data) = env.manager.sender(env.admin).last_call();
    (caller, role, data.0)
}

// ------------------------------------------------------------------ constructor

#[motsu::test]
fn the_constructor_sets_the_addresses_and_the_vaults_credentials_and_emits_initialized() {
    let env = Env::deployed();
    let anyone = Address::repeat_byte(0x42);
    let (pool, manager) = (env.pool.address(), env.manager.address());
    let mark = env.mark();
    env.reg.sender(anyone).constructor(pool, CREDENTIALS, manager, EXTENSION).motsu_unwrap();

    let r = env.r();
    assert_eq!(
        [r.pool.get(), r.access_manager.get(), r.extension.get()],
        [pool, manager, EXTENSION]
    );
    assert_eq!(env.global(), Global { flags: FLAG_INITIALIZED, ..Global::default() });
    let mut credentials = [0u8; 32];
    credentials[0] = 1;
    credentials[12..].copy_from_slice(VAULT.as_slice());
    assert_eq!(
        r.get_withdrawal_credentials(),
        B256::new(credentials),
        "the vault's, not the pool's"
    );
    assert_eq!(r.withdrawal_credentials.get(), B256::new(credentials));
    assert_eq!(
        CREDENTIALS.0,
        staking_common::deposit_data::withdrawal_credentials(VAULT),
        "the tests' constant"
    );
    assert_eq!(
        env.logs_since(mark),
        vec![log(&Initialized {
            pool,
            withdrawalCredentials: CREDENTIALS,
            accessManager: manager,
            extension: EXTENSION
        })]
    );
}

#[motsu::test]
fn the_constructor_takes_0x01_or_compounding_0x02_credentials_naming_an_address() {
    let bad = |c: B256| {
        Error::InvalidWithdrawalCredentials(InvalidWithdrawalCredentials { credentials: c })
    };
    let with = |f: &dyn Fn(&mut [u8; 32])| {
        let mut c = CREDENTIALS.0;
        f(&mut c);
        B256::new(c)
    };
    let refused = [
        with(&|c| c[0] = 0x00), // 0x00: a BLS withdrawal key
        with(&|c| c[0] = 0x03), // no such prefix
        with(&|c| c[0] = 0xff),
        with(&|c| c[1] = 1), // a non-zero byte among 1..12
        with(&|c| c[11] = 1),
        with(&|c| c[12..].fill(0)), // no address
        with(&|c| {
            c[0] = 0x02;
            c[12..].fill(0);
        }),
        B256::ZERO,
        B256::repeat_byte(1),
    ];
    for credentials in refused {
        let env = Env::deployed();
        let before = env.snapshot();
        assert_eq!(
            env.reg
                .sender(env.admin)
                .constructor(env.pool.address(), credentials, env.manager.address(), EXTENSION)
                .motsu_unwrap_err(),
            bad(credentials),
            "{credentials}"
        );
        assert_eq!(env.snapshot(), before);
        assert!(!env.global().has(FLAG_INITIALIZED));
    }
    for prefix in [0x01u8, 0x02] {
        let env = Env::deployed();
        let credentials = with(&|c| c[0] = prefix);
        env.reg
            .sender(env.admin)
            .constructor(env.pool.address(), credentials, env.manager.address(), EXTENSION)
            .motsu_unwrap();
        assert_eq!(env.r().get_withdrawal_credentials(), credentials);
    }
}

#[motsu::test]
fn the_constructor_runs_once() {
    let env = Env::new();
    let before = env.snapshot();
    let other = Address::repeat_byte(9);
    for caller in [env.admin, other] {
        assert_eq!(
            env.reg.sender(caller).constructor(other, CREDENTIALS, other, other).motsu_unwrap_err(),
            Error::AlreadyInitialized(AlreadyInitialized {})
        );
    }
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn the_constructor_refuses_any_zero_address() {
    let env = Env::deployed();
    let a = Address::repeat_byte(1);
    let before = env.snapshot();
    for zero in 0..3 {
        let mut args = [a; 3];
        args[zero] = Address::ZERO;
        let expected = if zero == 2 {
            Error::InvalidExtension(InvalidExtension { extension: Address::ZERO })
        } else {
            Error::InvalidAddress(InvalidAddress {})
        };
        assert_eq!(
            env.reg
                .sender(env.admin)
                .constructor(args[0], CREDENTIALS, args[1], args[2])
                .motsu_unwrap_err(),
            expected,
            "zero argument {zero}"
        );
    }
    assert_eq!(env.snapshot(), before);
    assert!(!env.global().has(FLAG_INITIALIZED));
}

#[motsu::test]
fn every_state_changing_entry_point_refuses_before_the_constructor() {
    let env = Env::deployed();
    let (one, x) = (u(1), Address::repeat_byte(3));
    let not_init = Error::NotInitialized(NotInitialized {});
    let before = env.snapshot();
    let admin = env.admin;
    let r = || env.reg.sender(admin);
    let check = |result: Result<(), Error>, what: &str| {
        assert_eq!(result.motsu_unwrap_err(), not_init, "{what}");
    };
    let (p, s) = pack(&[key(1)]);
    check(r().add_operator("A", x).map(|_| ()), "addOperator");
    check(r().set_operator_active(one, false), "setOperatorActive");
    check(r().set_operator_name(one, "B"), "setOperatorName");
    check(r().set_reward_address(one, x), "setRewardAddress");
    check(r().set_vetted_limit(one, one), "setVettedLimit");
    check(r().set_target_limit(one, true, one), "setTargetLimit");
    check(
        r().update_exited_validators(&[one], &[one], &[U256::ZERO], U256::ZERO).map(drop),
        "updateExitedValidators",
    );
    check(r().commit_keys(one, &p, &s), "commitKeys");
    check(
        r().remove_unused_keys(one, U256::ZERO, U256::ZERO, B256::ZERO, U256::ZERO, one),
        "removeUnusedKeys",
    );
    check(r().add_guardian(x), "addGuardian");
    check(r().remove_guardian(x), "removeGuardian");
    check(r().pause_deposits(U256::ZERO, &[]), "pauseDeposits");
    check(r().resume_deposits(), "resumeDeposits");
    check(r().on_rewards_minted(one), "onRewardsMinted");
    check(r().claim_rewards(one).map(|_| ()), "claimRewards");
    check(r().deposit_keys(one, &[]).map(|_| ()), "depositKeys");
    assert_eq!(env.snapshot(), before);
    assert_eq!(env.manager.sender(admin).calls(), U256::ZERO, "a zero manager is never called");
}

#[motsu::test]
fn views_before_the_constructor_are_empty() {
    let env = Env::deployed();
    let r = env.r();
    assert_eq!(r.get_operators_count(), U256::ZERO);
    assert_eq!(r.get_nonce(), U256::ZERO);
    assert_eq!(r.get_total_active_validators(), U256::ZERO);
    assert_eq!(r.get_deposit_queue(), Vec::<U256>::new());
    assert_eq!(r.get_guardians(), Vec::<Address>::new());
    assert_eq!(r.get_withdrawal_credentials(), B256::ZERO);
    assert!(!r.is_deposits_paused());
    assert_eq!(r.get_operator(u(1)).unwrap_err(), not_found(u(1)));
}

// ------------------------------------------------------------------ addOperator

#[motsu::test]
fn adding_an_operator_needs_the_operator_manager_role() {
    let env = Env::new();
    let (outsider, limits) = (Address::repeat_byte(0x51), Address::repeat_byte(0x52));
    env.manager.sender(env.admin).grant(OPERATOR_LIMITS_ROLE, limits);
    env.manager.sender(env.admin).grant(DEPOSIT_SECURITY_ROLE, limits);
    let before = env.snapshot();
    for caller in [outsider, limits] {
        assert_eq!(
            env.reg.sender(caller).add_operator("A", reward(1)).motsu_unwrap_err(),
            denied(caller, OPERATOR_MANAGER_ROLE)
        );
    }
    assert_eq!(env.snapshot(), before);

    let manager = Address::repeat_byte(0x53);
    env.manager.sender(env.admin).grant(OPERATOR_MANAGER_ROLE, manager);
    assert_eq!(env.reg.sender(manager).add_operator("A", reward(1)).motsu_unwrap(), u(1));
    assert_eq!(
        last_call(&env),
        (
            manager,
            OPERATOR_MANAGER_ROLE,
            I::addOperatorCall { name: "A".into(), rewardAddress: reward(1) }.abi_encode()
        )
    );
}

#[motsu::test]
fn operators_get_ids_from_one_and_start_active_without_keys() {
    let env = Env::new();
    let mark = env.mark();
    let name = "Operator One, a name longer than thirty-two bytes";
    let id = env.reg.sender(env.admin).add_operator(name, reward(1)).motsu_unwrap();
    assert_eq!(id, u(1));
    assert_eq!(
        env.logs_since(mark),
        vec![log(&OperatorAdded { operatorId: u(1), name: name.into(), rewardAddress: reward(1) })]
    );
    assert_eq!(env.add(), 2);

    let r = env.r();
    assert_eq!(r.get_operators_count(), u(2));
    assert_eq!(
        r.get_operator(u(1)).motsu_unwrap(),
        (true, reward(1), U256::ZERO, U256::ZERO, U256::ZERO, U256::ZERO, U256::MAX, U256::ZERO)
    );
    assert_eq!(r.get_operator_name(u(1)).motsu_unwrap(), name);
    assert_eq!(r.get_operator_name(u(2)).motsu_unwrap(), "Operator 2");
    let op = env.op(1);
    assert!(op.has(OP_EXISTS | OP_ACTIVE));
    assert!(!op.has(OP_IN_LIST), "no vetted key: not in the allocation list");
    assert_eq!(op.target, NO_TARGET);
    assert_eq!(env.queue(), Vec::<u16>::new());
    assert_eq!(env.global().nonce, 0, "adding an operator changes no key");
    assert_eq!(r.get_rewards(u(1)).motsu_unwrap(), U256::ZERO);
}

#[motsu::test]
fn operator_names_are_1_to_64_bytes() {
    let env = Env::new();
    let before = env.snapshot();
    let (empty, long) = (String::new(), "a".repeat(65));
    let wide = "é".repeat(33); // 66 bytes, 33 characters
    for (name, len) in [(&empty, 0), (&long, 65), (&wide, 66)] {
        assert_eq!(
            env.reg.sender(env.admin).add_operator(name, reward(1)).motsu_unwrap_err(),
            bad_name(len)
        );
    }
    assert_eq!(env.snapshot(), before);

    for name in ["x".to_string(), "b".repeat(64), "é".repeat(32)] {
        let id = env.reg.sender(env.admin).add_operator(&name, reward(1)).motsu_unwrap();
        assert_eq!(env.r().get_operator_name(id).motsu_unwrap(), name);
    }
}

#[motsu::test]
fn add_operator_refuses_a_zero_reward_address() {
    let env = Env::new();
    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(env.admin).add_operator("A", Address::ZERO).motsu_unwrap_err(),
        Error::InvalidAddress(InvalidAddress {})
    );
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn operator_65535_is_the_last() {
    let env = Env::new();
    env.put_global(&Global { operators: u16::MAX - 1, ..env.global() });
    assert_eq!(env.reg.sender(env.admin).add_operator("Last", reward(9)).motsu_unwrap(), u(65535));
    assert_eq!(env.r().get_operators_count(), u(65535));
    assert_eq!(env.r().get_operator_name(u(65535)).motsu_unwrap(), "Last");
    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(env.admin).add_operator("One more", reward(9)).motsu_unwrap_err(),
        Error::TooManyOperators(TooManyOperators { max: u(65535) })
    );
    assert_eq!(env.snapshot(), before);
}

// ------------------------------------------------------------------ setOperatorActive

#[motsu::test]
fn activation_needs_the_operator_manager_role() {
    let env = Env::new();
    env.add();
    let outsider = Address::repeat_byte(0x51);
    env.manager.sender(env.admin).grant(OPERATOR_LIMITS_ROLE, outsider);
    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(outsider).set_operator_active(u(1), false).motsu_unwrap_err(),
        denied(outsider, OPERATOR_MANAGER_ROLE)
    );
    // The operator's own reward address is not a manager either.
    assert_eq!(
        env.reg.sender(reward(1)).set_operator_active(u(1), false).motsu_unwrap_err(),
        denied(reward(1), OPERATOR_MANAGER_ROLE)
    );
    assert_eq!(env.snapshot(), before);
    env.reg.sender(env.admin).set_operator_active(u(1), false).motsu_unwrap();
    assert_eq!(
        last_call(&env),
        (
            env.admin,
            OPERATOR_MANAGER_ROLE,
            I::setOperatorActiveCall { operatorId: u(1), active: false }.abi_encode()
        )
    );
}

#[motsu::test]
fn activation_toggles_and_refuses_a_call_that_changes_nothing() {
    let env = Env::new();
    env.add();
    let mark = env.mark();
    env.reg.sender(env.admin).set_operator_active(u(1), false).motsu_unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![log(&OperatorActiveSet { operatorId: u(1), active: false })]
    );
    assert!(!env.r().get_operator(u(1)).motsu_unwrap().0);
    assert!(!env.op(1).has(OP_ACTIVE));

    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(env.admin).set_operator_active(u(1), false).motsu_unwrap_err(),
        Error::OperatorActiveUnchanged(OperatorActiveUnchanged { operatorId: u(1), active: false })
    );
    assert_eq!(env.snapshot(), before);

    let mark = env.mark();
    env.reg.sender(env.admin).set_operator_active(u(1), true).motsu_unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![log(&OperatorActiveSet { operatorId: u(1), active: true })]
    );
    assert!(env.r().get_operator(u(1)).motsu_unwrap().0);
    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(env.admin).set_operator_active(u(1), true).motsu_unwrap_err(),
        Error::OperatorActiveUnchanged(OperatorActiveUnchanged { operatorId: u(1), active: true })
    );
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn unknown_operator_ids_are_refused_everywhere() {
    let env = Env::new();
    env.add();
    let before = env.snapshot();
    let admin = env.admin;
    let (p, s) = pack(&[key(1)]);
    for id in [U256::ZERO, u(2), u(65536 + 1), U256::MAX] {
        let r = || env.reg.sender(admin);
        let check = |result: Result<(), Error>, what: &str| {
            assert_eq!(result.motsu_unwrap_err(), not_found(id), "id {id}: {what}");
        };
        check(r().set_operator_active(id, false), "setOperatorActive");
        check(r().set_operator_name(id, "X"), "setOperatorName");
        check(r().set_reward_address(id, reward(5)), "setRewardAddress");
        check(r().set_vetted_limit(id, U256::ZERO), "setVettedLimit");
        check(r().set_target_limit(id, false, U256::ZERO), "setTargetLimit");
        check(
            r().update_exited_validators(&[id], &[U256::ZERO], &[U256::ZERO], U256::ZERO).map(drop),
            "updateExitedValidators",
        );
        check(r().commit_keys(id, &p, &s), "commitKeys");
        check(
            r().remove_unused_keys(id, U256::ZERO, U256::ZERO, B256::ZERO, U256::ZERO, u(1)),
            "removeUnusedKeys",
        );
        check(r().claim_rewards(id).map(|_| ()), "claimRewards");
        assert_eq!(env.r().get_operator(id).unwrap_err(), not_found(id));
        assert_eq!(env.r().get_operator_name(id).unwrap_err(), not_found(id));
        assert_eq!(env.r().get_rewards(id).unwrap_err(), not_found(id));
    }
    assert_eq!(env.snapshot(), before);
}

// ------------------------------------------------------------------ setOperatorName

#[motsu::test]
fn renaming_needs_the_manager_role_and_a_1_to_64_byte_name() {
    let env = Env::new();
    env.add();
    let before = env.snapshot();
    for caller in [Address::repeat_byte(0x51), reward(1)] {
        assert_eq!(
            env.reg.sender(caller).set_operator_name(u(1), "New").motsu_unwrap_err(),
            denied(caller, OPERATOR_MANAGER_ROLE)
        );
    }
    for (name, len) in [(String::new(), 0), ("n".repeat(65), 65)] {
        assert_eq!(
            env.reg.sender(env.admin).set_operator_name(u(1), &name).motsu_unwrap_err(),
            bad_name(len)
        );
    }
    assert_eq!(env.snapshot(), before);

    for name in ["N".to_string(), "m".repeat(64)] {
        let mark = env.mark();
        env.reg.sender(env.admin).set_operator_name(u(1), &name).motsu_unwrap();
        assert_eq!(env.r().get_operator_name(u(1)).motsu_unwrap(), name);
        assert_eq!(
            env.logs_since(mark),
            vec![log(&OperatorNameSet { operatorId: u(1), name: name.clone() })]
        );
        env.reg.assert_emitted(&OperatorNameSet { operatorId: u(1), name: name.clone() });
    }
    assert_eq!(
        last_call(&env).2,
        I::setOperatorNameCall { operatorId: u(1), name: "m".repeat(64) }.abi_encode()
    );
    // A shorter name leaves nothing of the longer one behind.
    env.reg.sender(env.admin).set_operator_name(u(1), "S").motsu_unwrap();
    assert_eq!(env.r().get_operator_name(u(1)).motsu_unwrap(), "S");
}

// ------------------------------------------------------------------ setRewardAddress

#[motsu::test]
fn the_reward_address_may_change_itself_without_asking_the_manager() {
    let env = Env::new();
    env.add();
    let new = Address::repeat_byte(0x99);
    let asked = env.manager.sender(env.admin).calls();
    let mark = env.mark();
    env.reg.sender(reward(1)).set_reward_address(u(1), new).motsu_unwrap();
    assert_eq!(
        env.logs_since(mark),
        vec![log(&OperatorRewardAddressSet { operatorId: u(1), rewardAddress: new })]
    );
    assert_eq!(env.r().get_operator(u(1)).motsu_unwrap().1, new);
    assert_eq!(env.manager.sender(env.admin).calls(), asked);

    // The old address lost its say; the new one has it.
    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(reward(1)).set_reward_address(u(1), reward(1)).motsu_unwrap_err(),
        Error::NotOperatorManager(NotOperatorManager { caller: reward(1), operatorId: u(1) })
    );
    assert_eq!(env.snapshot(), before);
    env.reg.sender(new).set_reward_address(u(1), reward(1)).motsu_unwrap();
    assert_eq!(env.r().get_operator(u(1)).motsu_unwrap().1, reward(1));
}

#[motsu::test]
fn the_manager_role_may_change_any_reward_address_and_others_may_not() {
    let env = Env::new();
    env.add();
    env.add();
    let outsider = Address::repeat_byte(0x51);
    env.manager.sender(env.admin).grant(OPERATOR_LIMITS_ROLE, outsider);
    let before = env.snapshot();
    // An outsider, a role that is not the manager's, another operator's reward address.
    for caller in [outsider, reward(2)] {
        assert_eq!(
            env.reg.sender(caller).set_reward_address(u(1), caller).motsu_unwrap_err(),
            Error::NotOperatorManager(NotOperatorManager { caller, operatorId: u(1) })
        );
    }
    assert_eq!(env.snapshot(), before);

    let new = Address::repeat_byte(0x98);
    env.reg.sender(env.admin).set_reward_address(u(1), new).motsu_unwrap();
    assert_eq!(env.r().get_operator(u(1)).motsu_unwrap().1, new);
    env.reg.assert_emitted(&OperatorRewardAddressSet { operatorId: u(1), rewardAddress: new });
    assert_eq!(
        last_call(&env),
        (
            env.admin,
            OPERATOR_MANAGER_ROLE,
            I::setRewardAddressCall { operatorId: u(1), rewardAddress: new }.abi_encode()
        )
    );
    assert_eq!(env.r().get_operator(u(2)).motsu_unwrap().1, reward(2), "the other is untouched");
}

#[motsu::test]
fn the_reward_address_is_never_zero() {
    let env = Env::new();
    env.add();
    let before = env.snapshot();
    for caller in [reward(1), env.admin] {
        assert_eq!(
            env.reg.sender(caller).set_reward_address(u(1), Address::ZERO).motsu_unwrap_err(),
            Error::InvalidAddress(InvalidAddress {})
        );
    }
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn the_zero_address_is_never_taken_for_a_reward_address() {
    // `msg.sender` is never zero on chain; natively it can be, and must not pass for an
    // operator whose slot was never written.
    let env = Env::new();
    env.add();
    assert_eq!(
        env.reg.sender(Address::ZERO).set_reward_address(u(1), reward(7)).motsu_unwrap_err(),
        Error::NotOperatorManager(NotOperatorManager { caller: Address::ZERO, operatorId: u(1) })
    );
}

// ------------------------------------------------------------------ views

#[motsu::test]
fn get_operator_reports_every_counter_and_the_target() {
    let env = Env::new();
    env.add();
    env.commit(1, 5);
    env.vet(1, 4);
    env.set_target(1, Some(7));
    env.set_active(1, false);
    assert_eq!(
        env.r().get_operator(u(1)).motsu_unwrap(),
        (false, reward(1), U256::ZERO, U256::ZERO, u(4), u(5), u(7), u(1))
    );
    env.set_target(1, None);
    assert_eq!(env.r().get_operator(u(1)).motsu_unwrap().6, U256::MAX);
    env.set_target(1, Some(0));
    assert_eq!(env.r().get_operator(u(1)).motsu_unwrap().6, U256::ZERO);
}
