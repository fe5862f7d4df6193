//! Deployment in one transaction, on the release wasm: every contract is deployed, activated
//! and constructed through Arbitrum's StylusDeployer (the real Solidity from
//! `@arbitrum/nitro-contracts`, running as EVM code at its address), with ArbWasm's data fee,
//! so nobody can initialize or take over anything between the steps of the deployment.
//!
//! - The whole suite's deployment (AccessManager, pool, queue, registry, oracle, their
//!   extensions, the wiring, the roles, the upgrade delays) is walked transaction by
//!   transaction; after each one a stranger tries to run every constructor again, the removed
//!   `initialize` selectors, every setup and wiring function and to take every role: every
//!   attempt fails and the chain's state (storage, balances, programs) is unchanged.
//! - A constructor runs once (`AlreadyInitialized`); a deployment whose constructor reverts
//!   leaves no program, no activation and no nonce behind, and returns the ether.
//! - The deployer's rules: the CREATE2 address commits to the constructor's arguments, so a
//!   stranger's deployment with other arguments lands elsewhere and one with the same
//!   arguments does the deployer's work; `msg.sender` in the constructor is the deployer;
//!   `cargo stylus`'s init code deploys with CREATE or CREATE2; value without init data, empty
//!   bytecode, failing init code, EVM code and a program activation refuses are refused; the
//!   data fee goes to the network and the excess value comes back.

use alloy_primitives::{address, keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolError};
use protocol_tests::{
    abi::{
        AccessManagerDeployment, AccountingOracleDeployment, IAccessManager,
        IAccountingOracle as O, INodeOperatorRegistry as R, IStakingPool, IWithdrawalQueue as Q,
        NodeOperatorRegistryDeployment, StakingPoolDeployment, WithdrawalQueueDeployment,
        WrappedTokenDeployment,
    },
    deploy::{
        constructor_data, events, init_code, read_wasm, revert_data, salt, ACTIVATION_BUDGET,
        BOOTSTRAP,
    },
    ether,
    oracle::Oracle,
    validators::{credentials_of, Validators, L1_VAULT},
    Suite, ADMIN, ALICE,
};
use staking_common::{
    roles::{self, DEFAULT_ADMIN_ROLE, UPGRADE_ROLE},
    upgrade::UPGRADE_EXTENSION_SELECTOR,
};
use stylus_vm::{
    arbwasm::{IArbWasm, ARB_WASM, NETWORK_FEE_ACCOUNT},
    deployer::{self, IStylusDeployer as D, ADDRESS as DEPLOYER},
    Receipt, Status,
};

alloy_sol_types::sol! {
    /// The AccessManager's (OpenZeppelin's) role event.
    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);
}

/// Someone with ether and no role, watching the deployment.
const STRANGER: Address = address!("0000000000000000000000000000000000057A9E");

fn u(n: u64) -> U256 {
    U256::from(n)
}

/// The oracle's constructor arguments: 12-second slots, 32-slot epochs, one-epoch frames from
/// epoch 0, no fast lane, consensus version 1.
fn oracle_args(manager: Address, extension: Address, genesis: u64) -> Vec<u8> {
    AccountingOracleDeployment::constructorCall {
        accessManager: manager,
        extension,
        genesisTime: u(genesis),
        secondsPerSlot: u(12),
        slotsPerEpoch: u(32),
        initialEpoch: u(0),
        epochsPerFrame: u(1),
        fastLaneLengthSlots: u(0),
        consensusVersion: u(1),
    }
    .abi_encode()
}

/// Every contract's constructor call as the stranger would like it: itself as the admin, the
/// manager, the pool, the L1 vault (its credentials); `extension` as the extension.
fn hostile_constructors(extension: Address) -> Vec<Vec<u8>> {
    let me = STRANGER;
    [
        AccessManagerDeployment::constructorCall { admin: me }.abi_encode(),
        StakingPoolDeployment::constructorCall {
            accessManager: me,
            extension,
            maxStakeLimit: U256::ZERO,
            stakeLimitIncreasePerBlock: U256::ZERO,
            permitProgram: extension,
        }
        .abi_encode(),
        WithdrawalQueueDeployment::constructorCall { pool: me, accessManager: me, extension }
            .abi_encode(),
        NodeOperatorRegistryDeployment::constructorCall {
            pool: me,
            withdrawalCredentials: credentials_of(me, false),
            accessManager: me,
            extension,
        }
        .abi_encode(),
        oracle_args(me, extension, 0),
        WrappedTokenDeployment::constructorCall { pool: me }.abi_encode(),
    ]
    .iter()
    .map(|args| constructor_data(args))
    .collect()
}

/// The `initialize` selectors the contracts had before constructors (now routed nowhere).
fn old_initializers() -> Vec<Vec<u8>> {
    let me = STRANGER.into_word();
    let sigs = [
        ("initialize(address)", 1),
        ("initialize(address,uint256,uint256)", 3),
        ("initialize(address,address,address)", 3),
        ("initialize(address,address,address,address)", 4),
        ("initialize(address,address,uint256,uint256,uint256,uint256,uint256,uint256,uint256)", 9),
    ];
    sigs.iter()
        .map(|(sig, words)| {
            let mut data = keccak256(sig)[..4].to_vec();
            for _ in 0..*words {
                data.extend_from_slice(me.as_slice());
            }
            data
        })
        .collect()
}

/// Every role grant and role-admin change, and a delay change, as the stranger would send them
/// to the AccessManager.
fn manager_calls() -> Vec<Vec<u8>> {
    let me = STRANGER;
    let mut calls = vec![IAccessManager::setTargetFunctionDelayCall {
        target: me,
        selector: UPGRADE_EXTENSION_SELECTOR.into(),
        delay: 0,
    }
    .abi_encode()];
    for role in roles::ALL {
        calls.push(IAccessManager::grantRoleCall { role, account: me }.abi_encode());
        calls.push(IAccessManager::setRoleAdminCall { role, adminRole: UPGRADE_ROLE }.abi_encode());
    }
    calls
}

/// Every setup, wiring and upgrade function of the suite's contracts, as the stranger would
/// send them (to every contract: each routes its own and refuses the others').
fn setup_calls(extension: Address) -> Vec<Vec<u8>> {
    let me = STRANGER;
    vec![
        IStakingPool::setProtocolContractsCall { withdrawalQueue: me, nodeOperatorRegistry: me }
            .abi_encode(),
        IStakingPool::setStakingLimitCall {
            maxStakeLimit: ether(1),
            stakeLimitIncreasePerBlock: U256::ZERO,
        }
        .abi_encode(),
        IStakingPool::setOracleCall { oracle: me }.abi_encode(),
        IStakingPool::setFeeConfigCall {
            treasury: me,
            totalFeeBP: u(10_000),
            operatorsFeeBP: u(0),
        }
        .abi_encode(),
        IStakingPool::upgradeExtensionCall { newExtension: extension }.abi_encode(),
        Q::setRequestBoundsCall { min: u(1), max: ether(1) }.abi_encode(),
        Q::setMinFinalizationDelayCall { delay: U256::ZERO }.abi_encode(),
        IStakingPool::setL1VaultCall { vault: me }.abi_encode(),
        IStakingPool::setWrappedTokenCall { token: me }.abi_encode(),
        IStakingPool::setPermitProgramCall { program: extension }.abi_encode(),
        R::addGuardianCall { guardian: me }.abi_encode(),
        R::addOperatorCall { name: "stranger".into(), rewardAddress: me }.abi_encode(),
        O::setProtocolContractsCall { pool: me, registry: me }.abi_encode(),
        O::addMemberCall { addr: me, quorum: u(1) }.abi_encode(),
        O::setQuorumCall { quorum: u(1) }.abi_encode(),
    ]
}

/// The stranger sends everything above to every contract deployed so far: each call must fail
/// and leave the chain as it was (the stranger's own nonce aside).
fn stranger_attempts(s: &mut Suite, step: &str, extra: &[(&'static str, Address)]) {
    s.vm.set_balance(STRANGER, ether(10));
    let mut targets = s.known();
    targets.extend_from_slice(extra);
    let before = s.vm.snapshot(&[STRANGER]);
    // A stranger's extension candidate: whatever it names, the call is refused first.
    let candidate = targets.iter().find(|(l, _)| l.ends_with("extension")).map_or(ALICE, |t| t.1);
    let mut attempts = Vec::new();
    attempts.extend(hostile_constructors(candidate).into_iter().map(|d| (d, U256::ZERO)));
    attempts.extend(hostile_constructors(candidate).into_iter().map(|d| (d, u(BOOTSTRAP))));
    attempts.extend(old_initializers().into_iter().map(|d| (d, U256::ZERO)));
    attempts.extend(setup_calls(candidate).into_iter().map(|d| (d, U256::ZERO)));
    let to_manager: Vec<(Vec<u8>, U256)> =
        manager_calls().into_iter().map(|d| (d, U256::ZERO)).collect();
    for (label, target) in &targets {
        let extra = if *target == s.manager { &to_manager[..] } else { &[] };
        for (data, value) in attempts.iter().chain(extra) {
            let r = s.vm.call(STRANGER, *target, *value, data);
            assert!(
                !r.success,
                "after \"{step}\": the stranger's call 0x{} to {label} succeeded",
                alloy_primitives::hex::encode(&data[..4])
            );
        }
    }
    assert!(before == s.vm.snapshot(&[STRANGER]), "after \"{step}\": the stranger changed state");
    // Roles: the stranger holds none.
    if !s.manager.is_zero() {
        for role in roles::ALL {
            let call = IAccessManager::hasRoleCall { role, account: STRANGER };
            assert!(!s.view(s.manager, &call)._0, "after \"{step}\": the stranger holds a role");
        }
    }
}

#[test]
fn a_stranger_can_take_nothing_between_the_steps_of_the_whole_deployment() {
    let mut steps = Vec::new();
    let mut between = |s: &mut Suite, step: &str, extra: &[(&'static str, Address)]| {
        stranger_attempts(s, step, extra);
        steps.push(step.to_owned());
    };
    let mut s = Suite::deploy_hooked(U256::ZERO, U256::ZERO, &mut between);
    let credentials = credentials_of(L1_VAULT, false);
    let v = Validators::setup_hooked(&mut s, 3, credentials, true, &mut between);
    let o = Oracle::setup_hooked(&mut s, 3, 2, 0, &mut between);
    // The last wiring (oracle <-> pool, registry) as the deployment script does it, then once
    // more the stranger.
    o.connect(&mut s, v.registry);
    let extra = [
        ("node-operator-registry", v.registry),
        ("node-operator-registry-extension", v.extension),
        ("accounting-oracle", o.address),
        ("accounting-oracle-extension", o.extension),
    ];
    between(&mut s, "oracle connected", &extra);
    // The wrapped token last: it needs only the pool, and the pool names it once.
    let args = WrappedTokenDeployment::constructorCall { pool: s.pool }.abi_encode();
    let token =
        s.deploy_program("wrapped-token", &read_wasm("wrapped-token"), Some(&args), U256::ZERO);
    let mut extra = extra.to_vec();
    extra.push(("wrapped-token", token));
    between(&mut s, "wrapped token deployed", &extra);
    s.ok(ADMIN, s.pool, U256::ZERO, &IStakingPool::setWrappedTokenCall { token });
    between(&mut s, "pool named its wrapped token", &extra);
    // Every transaction of the deployment was followed by the stranger's attempts.
    let deployments = steps.iter().filter(|n| n.contains("deployed")).count();
    assert_eq!(
        deployments, 11,
        "six cores (the wrapped token's included), four extensions, the pool's permit program: {steps:?}"
    );
    assert!(steps.len() > 30, "{steps:?}");

    // And the deployment is what ADMIN meant: ADMIN the admin, the pool and queue wired.
    let admin = IAccessManager::hasRoleCall { role: DEFAULT_ADMIN_ROLE, account: ADMIN };
    assert!(s.view(s.manager, &admin)._0);
    assert_eq!(s.view(s.queue, &Q::poolCall {})._0, s.pool);
    assert_eq!(s.view(s.pool, &IStakingPool::accessManagerCall {})._0, s.manager);
    assert_eq!(s.view(v.registry, &R::poolCall {})._0, s.pool);
    assert_eq!(s.view(v.registry, &R::withdrawalCredentialsCall {})._0, credentials);
    assert_eq!(s.view(s.pool, &IStakingPool::l1VaultCall {})._0, L1_VAULT);
    assert_eq!(s.view(o.address, &O::accessManagerCall {})._0, s.manager);
    assert_eq!(s.view(s.pool, &IStakingPool::wrappedTokenCall {})._0, token);
    assert_eq!(s.view(s.pool, &IStakingPool::permitProgramCall {})._0, s.pool_permit);
}

/// The constructor calldata each deployed contract ran with (ADMIN's), to send again.
fn constructors_again(s: &Suite, v: &Validators, o: &Oracle) -> Vec<(Address, Vec<u8>)> {
    let args = |a: Vec<u8>| constructor_data(&a);
    vec![
        (s.manager, args(AccessManagerDeployment::constructorCall { admin: ADMIN }.abi_encode())),
        (
            s.pool,
            args(
                StakingPoolDeployment::constructorCall {
                    accessManager: s.manager,
                    extension: s.pool_extension,
                    maxStakeLimit: U256::ZERO,
                    stakeLimitIncreasePerBlock: U256::ZERO,
                    permitProgram: s.pool_permit,
                }
                .abi_encode(),
            ),
        ),
        (
            s.queue,
            args(
                WithdrawalQueueDeployment::constructorCall {
                    pool: s.pool,
                    accessManager: s.manager,
                    extension: s.queue_extension,
                }
                .abi_encode(),
            ),
        ),
        (
            v.registry,
            args(
                NodeOperatorRegistryDeployment::constructorCall {
                    pool: s.pool,
                    withdrawalCredentials: v.credentials,
                    accessManager: s.manager,
                    extension: v.extension,
                }
                .abi_encode(),
            ),
        ),
        (o.address, args(oracle_args(s.manager, o.extension, 1))),
    ]
}

#[test]
fn a_constructor_runs_once_and_answers_already_initialized_after() {
    let mut s = Suite::deploy();
    let v = Validators::setup(&mut s, 1);
    let o = Oracle::setup(&mut s, 1, 1);
    let before = s.vm.snapshot(&[ADMIN, STRANGER]);
    s.vm.set_balance(STRANGER, ether(1));
    let selector = IAccessManager::AlreadyInitialized::SELECTOR;
    assert_eq!(selector, IStakingPool::AlreadyInitialized::SELECTOR);
    for (target, data) in constructors_again(&s, &v, &o) {
        for from in [ADMIN, STRANGER] {
            let value = if target == s.pool { u(BOOTSTRAP) } else { U256::ZERO };
            let r = s.vm.call(from, target, value, &data);
            assert!(!r.success);
            // Every contract's typed `AlreadyInitialized()` (one signature, one selector).
            assert_eq!(r.output[..], selector[..], "{target}");
        }
    }
    assert!(before == s.vm.snapshot(&[ADMIN, STRANGER]));
    // The SDK's guard word is set on every core, as `#[constructor]` would set it.
    let guard = U256::from_be_bytes(keccak256("stylus_constructor").0);
    for core in [s.manager, s.pool, s.queue, v.registry, o.address] {
        assert_eq!(s.vm.storage(core, guard), B256::with_last_byte(1));
    }
    // An extension program has no constructor: it never ran one.
    for ext in [s.pool_extension, s.queue_extension, v.extension, o.extension] {
        assert_eq!(s.vm.storage(ext, guard), B256::ZERO);
    }
}

/// `deploy(...)` of `wasm` with `args` by `from`, through the deployer.
fn deploy(
    s: &mut Suite,
    from: Address,
    wasm: &str,
    args: Option<Vec<u8>>,
    value: U256,
    salt_label: &str,
) -> (Receipt, Address) {
    let wasm = read_wasm(wasm);
    let init = args.map(|a| constructor_data(&a)).unwrap_or_default();
    let at = deployer::create2_address(&init_code(&wasm), &init, salt(salt_label));
    (s.send_deploy(from, &wasm, &init, value, salt(salt_label)), at)
}

#[test]
fn a_deployment_whose_constructor_reverts_leaves_no_program_behind() {
    let mut s = Suite::deploy();
    let cases: Vec<(&str, Vec<u8>, U256)> = vec![
        // The zero admin.
        (
            "access-manager",
            AccessManagerDeployment::constructorCall { admin: Address::ZERO }.abi_encode(),
            U256::ZERO,
        ),
        // A bootstrap below the minimum.
        (
            "staking-pool",
            StakingPoolDeployment::constructorCall {
                accessManager: s.manager,
                extension: s.pool_extension,
                maxStakeLimit: U256::ZERO,
                stakeLimitIncreasePerBlock: U256::ZERO,
                permitProgram: s.pool_permit,
            }
            .abi_encode(),
            u(1),
        ),
        // An account without code as the extension.
        (
            "withdrawal-queue",
            WithdrawalQueueDeployment::constructorCall {
                pool: s.pool,
                accessManager: s.manager,
                extension: ALICE,
            }
            .abi_encode(),
            U256::ZERO,
        ),
        // Another contract's extension.
        (
            "node-operator-registry",
            NodeOperatorRegistryDeployment::constructorCall {
                pool: s.pool,
                withdrawalCredentials: credentials_of(ALICE, false),
                accessManager: s.manager,
                extension: s.queue_extension,
            }
            .abi_encode(),
            U256::ZERO,
        ),
        // A core as the extension.
        ("accounting-oracle", oracle_args(s.manager, s.pool, 1), U256::ZERO),
    ];
    for (wasm, args, value) in cases {
        let before = s.vm.snapshot(&[ADMIN]);
        let balance = s.vm.balance(ADMIN);
        let (r, at) = deploy(&mut s, ADMIN, wasm, Some(args), value, "failing");
        let e: D::ContractInitializationError = revert_data(&r);
        assert_eq!(e.newContract, at, "{wasm}");
        assert!(!s.vm.has_program(at), "{wasm}: a program was left at {at}");
        assert!(r.logs.is_empty());
        assert_eq!(s.vm.balance(ADMIN), balance, "{wasm}: the value comes back");
        // No program, no activation, no deployer nonce, no storage: nothing.
        assert!(before == s.vm.snapshot(&[ADMIN]), "{wasm}");
    }
}

#[test]
fn the_address_commits_to_the_constructor_arguments_so_a_front_runner_lands_elsewhere() {
    let mut s = Suite::empty();
    s.vm.set_balance(STRANGER, ether(10));
    let mine = AccessManagerDeployment::constructorCall { admin: ADMIN }.abi_encode();
    let theirs = AccessManagerDeployment::constructorCall { admin: STRANGER }.abi_encode();
    // The stranger sees ADMIN's pending deployment and sends the same code and salt first,
    // with itself as the admin: it gets a manager, at another address.
    let (r, stranger_at) =
        deploy(&mut s, STRANGER, "access-manager", Some(theirs), U256::ZERO, "am");
    assert!(r.success);
    let (r, admin_at) =
        deploy(&mut s, ADMIN, "access-manager", Some(mine.clone()), U256::ZERO, "am");
    assert!(r.success, "{:?}", r.status);
    assert_ne!(stranger_at, admin_at);
    assert_eq!(Address::from_slice(&r.output[12..]), admin_at);
    let is_admin = |s: &mut Suite, who: Address| {
        let call = IAccessManager::hasRoleCall { role: DEFAULT_ADMIN_ROLE, account: who };
        s.view(admin_at, &call)._0
    };
    assert!(is_admin(&mut s, ADMIN));
    assert!(!is_admin(&mut s, STRANGER));

    // Front-running with ADMIN's own arguments only does ADMIN's work: the program at the
    // address is the one ADMIN meant, and ADMIN's transaction finds it taken.
    let (r, at) = deploy(&mut s, STRANGER, "access-manager", Some(mine.clone()), U256::ZERO, "am2");
    assert!(r.success);
    let call = IAccessManager::hasRoleCall { role: DEFAULT_ADMIN_ROLE, account: ADMIN };
    assert!(s.view(at, &call)._0);
    let (r, again) = deploy(&mut s, ADMIN, "access-manager", Some(mine), U256::ZERO, "am2");
    assert_eq!(again, at);
    let e: D::ContractDeploymentError = revert_data(&r);
    assert!(!e.bytecode.is_empty());
}

#[test]
fn the_constructor_runs_with_the_deployer_as_sender_and_the_deployment_is_logged() {
    let mut s = Suite::empty();
    let args = AccessManagerDeployment::constructorCall { admin: ADMIN }.abi_encode();
    let (r, at) = deploy(&mut s, ALICE, "access-manager", Some(args), U256::ZERO, "x");
    assert!(r.success);
    // `RoleGranted(DEFAULT_ADMIN_ROLE, admin, msg.sender)`: msg.sender is the deployer, which
    // is why the constructors take every address as an argument.
    let granted = events::<RoleGranted>(&r);
    assert_eq!(granted.len(), 1);
    assert_eq!((granted[0].account, granted[0].sender), (ADMIN, DEPLOYER));
    let deployed: Vec<Address> =
        events::<D::ContractDeployed>(&r).iter().map(|e| e.deployedContract).collect();
    assert_eq!(deployed, vec![at]);
    assert_eq!(r.logs.last().map(|l| l.address), Some(DEPLOYER));
    // The deployer answers `requiresActivation` and `initSalt` as the real one.
    let r = s.vm.static_call(ALICE, DEPLOYER, &D::requiresActivationCall { addr: at }.abi_encode());
    assert!(!D::requiresActivationCall::abi_decode_returns(&r.output, true).unwrap()._0);
    let call = D::initSaltCall { salt: salt("x"), initData: vec![1, 2].into() };
    let r = s.vm.static_call(ALICE, DEPLOYER, &call.abi_encode());
    assert_eq!(
        D::initSaltCall::abi_decode_returns(&r.output, true).unwrap()._0,
        deployer::init_salt(salt("x"), &[1, 2])
    );
}

#[test]
fn cargo_stylus_init_code_and_a_zero_salt_deploy_as_on_chain() {
    let mut s = Suite::empty();
    let wasm = read_wasm("access-manager");
    let init_code = deployer::init_code(&deployer::deployed_code(&wasm));
    let data =
        constructor_data(&AccessManagerDeployment::constructorCall { admin: ADMIN }.abi_encode());
    // Salt zero: CREATE from the deployer, whose nonce starts at 1 as a contract's does.
    let expected = deployer::create_address(DEPLOYER, 1);
    let call = deployer::deploy_calldata(&init_code, &data, U256::ZERO, B256::ZERO);
    let r = s.vm.call(ALICE, DEPLOYER, ACTIVATION_BUDGET, &call);
    assert!(r.success, "{:?}", r.status);
    assert_eq!(Address::from_slice(&r.output[12..]), expected);
    assert!(s.vm.has_program(expected));
    let kinds: Vec<_> = r.calls.iter().map(|c| (c.kind, c.address)).collect();
    assert!(kinds.contains(&(stylus_vm::CallKind::Create, expected)), "{kinds:?}");
    let activations = |r: &Receipt| {
        let selector = stylus_vm::arbwasm::activateProgramCall::SELECTOR;
        r.calls.iter().filter(|c| c.address == ARB_WASM && c.input.starts_with(&selector)).count()
    };
    assert_eq!(activations(&r), 1, "activated through ArbWasm");
    // The next CREATE uses the next nonce; the code hash is active, so no second activation.
    let r = s.vm.call(ALICE, DEPLOYER, U256::ZERO, &call);
    assert!(r.success, "{:?}", r.status);
    assert_eq!(Address::from_slice(&r.output[12..]), deployer::create_address(DEPLOYER, 2));
    assert_eq!(activations(&r), 0);
}

#[test]
fn the_deployer_refuses_what_the_real_one_refuses_and_refunds_the_excess() {
    let mut s = Suite::empty();
    let wasm = read_wasm("staking-pool-extension");
    // Value for the constructor without a constructor call.
    let r = s.send_deploy(ALICE, &wasm, &[], u(5), salt("a"));
    let _: D::InitValueButNotInitData = revert_data(&r);
    // Empty bytecode.
    let call = deployer::deploy_calldata(&[], &[], U256::ZERO, salt("b"));
    let _: D::EmptyBytecode = revert_data(&s.vm.call(ALICE, DEPLOYER, U256::ZERO, &call));
    // Code activation refuses (not brotli-compressed wasm after the prefix): ArbWasm's
    // failure takes the deployment down with it, and nothing is deployed.
    let bad = [&stylus_vm::validate::STYLUS_PREFIX[..], b"not wasm"].concat();
    let call = deployer::deploy_calldata(&deployer::init_code(&bad), &[], U256::ZERO, salt("c"));
    let before = s.vm.snapshot(&[ALICE]);
    let r = s.vm.call(ALICE, DEPLOYER, ACTIVATION_BUDGET, &call);
    assert_eq!(r.status, Status::Revert);
    assert_eq!(r.output.as_ref(), IArbWasm::ProgramNotWasm {}.abi_encode());
    assert!(before == s.vm.snapshot(&[ALICE]));
    // EVM code is not a program: ArbWasm refuses to activate it.
    let evm_code = deployer::init_code(&[0x60, 0x00, 0x60, 0x00, 0xf3]);
    let call = deployer::deploy_calldata(&evm_code, &[], U256::ZERO, salt("c2"));
    let r = s.vm.call(ALICE, DEPLOYER, ACTIVATION_BUDGET, &call);
    assert_eq!(r.output.as_ref(), IArbWasm::ProgramNotWasm {}.abi_encode());
    // Init code that fails: ContractDeploymentError(bytecode).
    let call = deployer::deploy_calldata(&[0x60, 0x00, 0xf3], &[], U256::ZERO, salt("d"));
    let _: D::ContractDeploymentError = revert_data(&s.vm.call(ALICE, DEPLOYER, U256::ZERO, &call));
    // Too little for the data fee: ArbWasm's ProgramInsufficientValue comes back.
    let data = deployer::deploy_calldata(&init_code(&wasm), &[], U256::ZERO, salt("e"));
    let r = s.vm.call(ALICE, DEPLOYER, u(1), &data);
    let e: IArbWasm::ProgramInsufficientValue = revert_data(&r);
    assert_eq!(e.have, u(1));
    // Ether beyond `initValue` and the data fee comes back to the sender; the fee goes to the
    // network.
    let balance = s.vm.balance(ALICE);
    let fees = s.vm.balance(NETWORK_FEE_ACCOUNT);
    let r = s.vm.call(ALICE, DEPLOYER, ether(1), &data);
    assert!(r.success, "{:?}", r.status);
    let fee = s.vm.balance(NETWORK_FEE_ACCOUNT) - fees;
    assert_eq!(fee, e.want, "the fee ArbWasm asked for");
    assert_eq!(s.vm.balance(ALICE), balance - fee);
    assert_eq!(s.vm.balance(DEPLOYER), U256::ZERO);
}
