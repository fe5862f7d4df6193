//! The ABI router generated from `abi/INodeOperatorRegistry.sol`: native builds route core and
//! extension selectors alike, so a contract calling the registry with raw calldata reaches every
//! entry point of the file. Arguments are decoded and answers encoded as alloy does;
//! errors come back as their ABI encoding; ether is refused everywhere (`depositKeys` included).

use alloy_sol_types::{SolCall, SolError};

use super::*;
use crate::{abi::INodeOperatorRegistry as I, errors::*};

/// `call` made by `forwarder` with `value`, its answer decoded, or its revert data.
fn via<C: SolCall>(
    forwarder: &Contract<ForwarderMock>,
    env: &Env,
    value: U256,
    call: &C,
) -> Result<C::Return, Vec<u8>> {
    staking_common::mocks::forward_call(forwarder, env.reg.address(), value, call)
}

/// `call` made by the pool with `value`.
fn as_pool<C: SolCall>(env: &Env, value: U256, call: &C) -> Result<C::Return, Vec<u8>> {
    let payer = Address::repeat_byte(0x12);
    payer.fund(value);
    env.pool
        .sender_and_value(payer, value)
        .forward(env.reg.address(), Bytes(call.abi_encode()))
        .motsu_res()
        .map(|answer| C::abi_decode_returns(&answer.0, true).expect("decodes"))
}

/// An environment whose forwarder holds every role and is the only guardian.
fn setup(forwarder: &Contract<ForwarderMock>) -> Env {
    let env = Env::new();
    for role in ROLES {
        env.manager.sender(env.admin).grant(role, forwarder.address());
    }
    env
}

#[motsu::test]
fn administration_goes_through_the_abi(forwarder: Contract<ForwarderMock>) {
    let env = setup(&forwarder);
    let f = forwarder.address();
    let z = U256::ZERO;
    let id = via(
        &forwarder,
        &env,
        z,
        &I::addOperatorCall { name: "Operator via ABI".into(), rewardAddress: reward(1) },
    )
    .unwrap()
    ._0;
    assert_eq!(id, u(1));
    let keys = env.book.borrow_mut().fresh(3);
    let (p, s) = pack(&keys);
    via(
        &forwarder,
        &env,
        z,
        &I::commitKeysCall { operatorId: id, pubkeys: p.into(), signatures: s.into() },
    )
    .unwrap();
    env.book.borrow_mut().ops.entry(1).or_default().push(Batch {
        start: 0,
        end: 3,
        root: crate::keys::root(leaves(&keys)),
        keys: keys.clone(),
    });
    via(&forwarder, &env, z, &I::setVettedLimitCall { operatorId: id, vetted: u(3) }).unwrap();
    via(&forwarder, &env, z, &I::setTargetLimitCall { operatorId: id, enabled: true, limit: u(7) })
        .unwrap();
    via(&forwarder, &env, z, &I::setOperatorNameCall { operatorId: id, name: "Renamed".into() })
        .unwrap();
    via(&forwarder, &env, z, &I::setRewardAddressCall { operatorId: id, rewardAddress: reward(2) })
        .unwrap();
    via(&forwarder, &env, z, &I::setOperatorActiveCall { operatorId: id, active: false }).unwrap();
    via(&forwarder, &env, z, &I::setOperatorActiveCall { operatorId: id, active: true }).unwrap();
    let root = crate::keys::root(leaves(&keys));
    via(
        &forwarder,
        &env,
        z,
        &I::removeUnusedKeysCall {
            operatorId: id,
            fromIndex: u(2),
            batch: z,
            root,
            start: z,
            end: u(3),
        },
    )
    .unwrap();
    env.book.borrow_mut().ops.get_mut(&1).unwrap()[0].end = 2;
    assert_eq!(
        env.r().get_operator(id).motsu_unwrap(),
        (true, reward(2), z, z, u(2), u(2), u(7), u(1))
    );
    assert_eq!(env.r().get_operator_name(id).motsu_unwrap(), "Renamed");

    via(&forwarder, &env, z, &I::addGuardianCall { guardian: f }).unwrap();
    via(&forwarder, &env, z, &I::addGuardianCall { guardian: g(7) }).unwrap();
    via(&forwarder, &env, z, &I::removeGuardianCall { guardian: g(7) }).unwrap();
    assert_eq!(env.r().get_guardians(), vec![f]);
    via(&forwarder, &env, z, &I::pauseDepositsCall { blockNumber: z, signature: vec![].into() })
        .unwrap();
    assert!(env.r().is_deposits_paused());
    via(&forwarder, &env, z, &I::resumeDepositsCall {}).unwrap();
    assert!(!env.r().is_deposits_paused());
}

fn g(n: u8) -> Address {
    Address::repeat_byte(n)
}

#[motsu::test]
fn the_views_answer_through_the_abi(forwarder: Contract<ForwarderMock>) {
    let env = setup(&forwarder);
    env.add_guardians(2);
    for id in 1..=3 {
        env.add();
        env.commit_and_vet(id, 2);
    }
    env.set_target(3, Some(5));
    env.deposit(2).motsu_unwrap();
    env.exit(1, 1);
    env.reg.sender(env.pool.address()).on_rewards_minted(u(10)).motsu_unwrap();
    let z = U256::ZERO;

    let op = via(&forwarder, &env, z, &I::getOperatorCall { operatorId: u(3) }).unwrap();
    assert_eq!(
        (op.active, op.rewardAddress, op.deposited, op.exited, op.vetted, op.submitted),
        (true, reward(3), z, z, u(2), u(2))
    );
    assert_eq!((op.targetLimit, op.keyBatches), (u(5), u(1)));
    let op = via(&forwarder, &env, z, &I::getOperatorCall { operatorId: u(1) }).unwrap();
    assert_eq!((op.deposited, op.exited, op.targetLimit), (u(1), u(1), U256::MAX));
    assert_eq!(
        via(&forwarder, &env, z, &I::getOperatorNameCall { operatorId: u(2) }).unwrap()._0,
        "Operator 2"
    );
    assert_eq!(via(&forwarder, &env, z, &I::getOperatorsCountCall {}).unwrap()._0, u(3));
    assert_eq!(via(&forwarder, &env, z, &I::getNonceCall {}).unwrap()._0, env.r().get_nonce());
    assert_eq!(via(&forwarder, &env, z, &I::getTotalActiveValidatorsCall {}).unwrap()._0, u(1));
    assert_eq!(
        via(&forwarder, &env, z, &I::getDepositQueueCall {}).unwrap()._0,
        vec![u(1), u(3), u(2)]
    );
    let plan = via(&forwarder, &env, z, &I::getDepositAllocationCall { count: u(3) }).unwrap();
    let (ids, indices, hints) = env.r().get_deposit_allocation(u(3));
    assert_eq!((plan.operatorIds, plan.keyIndices, plan.hints), (ids, indices, hints));
    assert_eq!(
        via(&forwarder, &env, z, &I::getRewardsCall { operatorId: u(2) }).unwrap()._0,
        u(10)
    );
    let guardians: Vec<Address> = env.guardians.borrow().iter().map(Account::address).collect();
    let mut listed = via(&forwarder, &env, z, &I::getGuardiansCall {}).unwrap()._0;
    listed.sort();
    assert_eq!(listed, guardians);
    assert!(via(&forwarder, &env, z, &I::isGuardianCall { account: guardians[1] }).unwrap()._0);
    assert!(!via(&forwarder, &env, z, &I::isGuardianCall { account: g(9) }).unwrap()._0);
    assert!(!via(&forwarder, &env, z, &I::isDepositsPausedCall {}).unwrap()._0);
    assert_eq!(
        via(&forwarder, &env, z, &I::pauseMessageHashCall { blockNumber: u(78) }).unwrap()._0,
        pause_digest(env.reg.address(), 78)
    );
    assert_eq!(via(&forwarder, &env, z, &I::withdrawalCredentialsCall {}).unwrap()._0, CREDENTIALS);
    assert_eq!(via(&forwarder, &env, z, &I::poolCall {}).unwrap()._0, env.pool.address());
    assert_eq!(
        via(&forwarder, &env, z, &I::accessManagerCall {}).unwrap()._0,
        env.manager.address()
    );
    assert_eq!(via(&forwarder, &env, z, &I::extensionCall {}).unwrap()._0, EXTENSION);
}

#[motsu::test]
fn the_pool_deposits_and_reports_rewards_through_the_abi(forwarder: Contract<ForwarderMock>) {
    let env = setup(&forwarder);
    env.add();
    env.commit_and_vet(1, 2);
    let entries = env.entries(2);
    let call = I::depositKeysCall { count: u(2), data: Env::data(&entries).into() };
    let answer = as_pool(&env, U256::ZERO, &call).unwrap();
    assert_eq!(answer.withdrawalCredentials, CREDENTIALS);
    assert_eq!(answer.commitment, commitment_of(&entries, &CREDENTIALS));
    assert_eq!(env.op(1).deposited, 2);
    as_pool(&env, U256::ZERO, &I::onRewardsMintedCall { shares: u(8) }).unwrap();
    // Anyone claims; the answer is the shares paid.
    let claimed = via(&forwarder, &env, U256::ZERO, &I::claimRewardsCall { operatorId: u(1) });
    assert_eq!(claimed.unwrap()._0, u(8));
    assert_eq!(env.pool.sender(env.admin).transfers(), (u(1), u(8), reward(1), u(8)));
}

#[motsu::test]
fn the_constructor_goes_through_the_abi_once(forwarder: Contract<ForwarderMock>) {
    let env = Env::deployed();
    let (a, c) = (g(1), g(3));
    let args = crate::abi::NodeOperatorRegistryDeployment::constructorCall {
        pool: a,
        withdrawalCredentials: CREDENTIALS,
        accessManager: c,
        extension: g(4),
    };
    // What the StylusDeployer sends: the SDK's constructor selector, then the arguments.
    let data = [
        &staking_common::upgrade::CONSTRUCTOR_SELECTOR[..],
        &alloy_sol_types::SolConstructor::abi_encode(&args),
    ]
    .concat();
    let send = || forwarder.sender(env.admin).forward(env.reg.address(), data.clone().into());
    send().motsu_unwrap();
    let r = env.r();
    assert_eq!([r.pool.get(), r.access_manager.get()], [a, c]);
    assert_eq!(r.withdrawal_credentials.get(), CREDENTIALS);
    assert_eq!(r.extension.get(), g(4));
    drop(r);
    assert_eq!(send().motsu_unwrap_err(), AlreadyInitialized {}.abi_encode());
    // The old `initialize(address,address,address,address)` selector is not routed.
    let old = alloy_primitives::keccak256("initialize(address,address,address,address)");
    assert!(forwarder
        .sender(env.admin)
        .forward(env.reg.address(), old[..4].to_vec().into())
        .is_err());
}

#[motsu::test]
fn errors_come_back_as_their_abi_encoding(forwarder: Contract<ForwarderMock>) {
    let env = Env::new();
    let f = forwarder.address();
    let z = U256::ZERO;
    let add = I::addOperatorCall { name: "A".into(), rewardAddress: reward(1) };
    let reason = MockUnauthorized { account: f, role: OPERATOR_MANAGER_ROLE }.abi_encode();
    assert_eq!(
        via(&forwarder, &env, z, &add).expect_err("refused"),
        AccessDenied { caller: f, role: OPERATOR_MANAGER_ROLE, reason }.abi_encode()
    );
    assert_eq!(
        via(&forwarder, &env, z, &I::getOperatorCall { operatorId: u(1) }).expect_err("refused"),
        OperatorNotFound { operatorId: u(1) }.abi_encode()
    );
    assert_eq!(
        via(&forwarder, &env, z, &I::onRewardsMintedCall { shares: u(1) }).err().expect("refused"),
        NotPool { caller: f }.abi_encode()
    );
    let deposit = I::depositKeysCall { count: u(1), data: vec![].into() };
    assert_eq!(
        via(&forwarder, &env, z, &deposit).expect_err("refused"),
        NotPool { caller: f }.abi_encode()
    );
    assert_eq!(
        as_pool(&env, z, &deposit).expect_err("refused"),
        NotEnoughDepositableKeys { requested: u(1), available: z }.abi_encode()
    );
    let too_many = I::depositKeysCall { count: u(101), data: vec![].into() };
    assert_eq!(
        as_pool(&env, z, &too_many).expect_err("refused"),
        TooManyKeys { count: u(101), max: u(100) }.abi_encode()
    );
}

#[motsu::test]
fn ether_with_any_call_and_calls_that_do_not_decode_are_refused(
    forwarder: Contract<ForwarderMock>,
) {
    let env = setup(&forwarder);
    env.add();
    let before = env.snapshot();
    // The registry reverts with empty data, which motsu reports as "function not found".
    let empty_revert = |value: U256, data: Vec<u8>| {
        let payer = Address::repeat_byte(0x13);
        payer.fund(value);
        let answer = forwarder
            .sender_and_value(payer, value)
            .forward(env.reg.address(), Bytes(data))
            .motsu_unwrap_err();
        assert!(answer.starts_with(b"function not found"), "{answer:?}");
    };
    let wei = U256::from(1);
    empty_revert(wei, I::getNonceCall {}.abi_encode());
    empty_revert(
        wei,
        I::addOperatorCall { name: "A".into(), rewardAddress: reward(1) }.abi_encode(),
    );
    empty_revert(wei, I::onRewardsMintedCall { shares: wei }.abi_encode());
    empty_revert(wei, I::claimRewardsCall { operatorId: wei }.abi_encode());
    empty_revert(wei, I::depositKeysCall { count: wei, data: vec![].into() }.abi_encode());
    // A name that is not UTF-8.
    let mut bad_name = I::setOperatorNameCall { operatorId: u(1), name: "ab".into() }.abi_encode();
    let at = bad_name.len() - 32;
    bad_name[at] = 0xff;
    empty_revert(U256::ZERO, bad_name);
    // Arguments cut short.
    let mut short = I::setVettedLimitCall { operatorId: u(1), vetted: u(0) }.abi_encode();
    short.truncate(40);
    empty_revert(U256::ZERO, short);
    empty_revert(U256::ZERO, vec![0xde, 0xad, 0xbe, 0xef]);
    assert_eq!(env.snapshot(), before);
}
