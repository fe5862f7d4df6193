//! The staking pool's release wasm on the in-process Stylus VM, called through its ABI:
//! deposits, transfers, approvals, the stake limit regrowing as blocks pass, pauses and roles,
//! with return values, events and decoded errors asserted.
#![allow(missing_docs)]

use alloy_primitives::{Address, U256};
use protocol_tests::{
    abi::{IAccessManager, IStakingPool, StakingPoolDeployment},
    deploy::{constructor_data, events, revert_data, BOOTSTRAP},
    ether, Suite, ADMIN, ALICE, BOB, CAROL,
};
use staking_common::roles::{PAUSE_ROLE, RESUME_ROLE};
use staking_pool::{
    abi::IStakingPool::{
        AccessDenied, AlreadyInitialized, Approval, ERC20InsufficientAllowance,
        ERC20InsufficientBalance, ERC20InvalidReceiver, StakeLimitExceeded, StakingIsPaused,
        Submitted, TokenIsPaused, Transfer, TransferShares, ZeroDeposit,
    },
    DEAD_ADDRESS,
};

#[test]
fn deposits_mint_shares_and_emit_submitted_transfer_and_transfer_shares() {
    let mut s = Suite::deploy();
    let referral = Address::repeat_byte(0x77);
    let (ret, r) = s.ok(ALICE, s.pool, ether(3), &IStakingPool::depositCall { referral });
    assert_eq!(ret._0, ether(3));
    assert_eq!(
        events::<Submitted>(&r),
        vec![Submitted { sender: ALICE, amount: ether(3), referral }]
    );
    assert_eq!(
        events::<Transfer>(&r),
        vec![Transfer { from: Address::ZERO, to: ALICE, value: ether(3) }]
    );
    assert_eq!(
        events::<TransferShares>(&r),
        vec![TransferShares { from: Address::ZERO, to: ALICE, sharesValue: ether(3) }]
    );
    s.deposit(BOB, ether(2));
    assert_eq!(s.balance_of(ALICE), ether(3));
    assert_eq!(s.balance_of(BOB), ether(2));
    assert_eq!(s.shares_of(DEAD_ADDRESS), U256::from(BOOTSTRAP));
    let total = ether(5) + U256::from(BOOTSTRAP);
    assert_eq!(s.view(s.pool, &IStakingPool::totalSupplyCall {})._0, total);
    assert_eq!(s.view(s.pool, &IStakingPool::getBufferedEtherCall {})._0, total);
    assert_eq!(s.vm.balance(s.pool), total);
}

#[test]
fn plain_ether_sent_to_the_pool_is_a_deposit() {
    let mut s = Suite::deploy();
    let r = s.vm.call(CAROL, s.pool, ether(4), &[]);
    assert!(r.success, "{:?}", r.status);
    assert_eq!(
        events::<Submitted>(&r),
        vec![Submitted { sender: CAROL, amount: ether(4), referral: Address::ZERO }]
    );
    assert_eq!(s.balance_of(CAROL), ether(4));
}

#[test]
fn bad_deposits_revert_with_typed_errors_and_change_nothing() {
    let mut s = Suite::deploy();
    let e: ZeroDeposit =
        s.revert(ALICE, s.pool, U256::ZERO, &IStakingPool::depositCall { referral: Address::ZERO });
    assert_eq!(e, ZeroDeposit {});
    let before = s.vm.balance(ALICE);
    // The constructor's selector again, with ether: the constructor ran at deployment.
    let args = StakingPoolDeployment::constructorCall {
        accessManager: s.manager,
        extension: s.pool_extension,
        maxStakeLimit: U256::ZERO,
        stakeLimitIncreasePerBlock: U256::ZERO,
        permitProgram: s.pool_permit,
    };
    let data = constructor_data(&alloy_sol_types::SolConstructor::abi_encode(&args));
    let r = s.vm.call(ALICE, s.pool, ether(1), &data);
    assert_eq!(revert_data::<AlreadyInitialized>(&r), AlreadyInitialized {});
    assert_eq!(s.vm.balance(ALICE), before, "a reverted call keeps the caller's ether");
    assert_eq!(s.shares_of(ALICE), U256::ZERO);
}

#[test]
fn transfers_and_allowances_work_through_the_abi() {
    let mut s = Suite::deploy();
    s.deposit(ALICE, ether(10));
    let (ret, r) =
        s.ok(ALICE, s.pool, U256::ZERO, &IStakingPool::transferCall { to: BOB, amount: ether(4) });
    assert!(ret._0);
    assert_eq!(events::<Transfer>(&r), vec![Transfer { from: ALICE, to: BOB, value: ether(4) }]);
    assert_eq!(
        events::<TransferShares>(&r),
        vec![TransferShares { from: ALICE, to: BOB, sharesValue: ether(4) }]
    );
    assert_eq!((s.balance_of(ALICE), s.balance_of(BOB)), (ether(6), ether(4)));

    let e: ERC20InsufficientBalance = s.revert(
        BOB,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferCall { to: CAROL, amount: ether(5) },
    );
    assert_eq!(e, ERC20InsufficientBalance { sender: BOB, balance: ether(4), needed: ether(5) });
    let e: ERC20InvalidReceiver = s.revert(
        BOB,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferCall { to: s.pool, amount: ether(1) },
    );
    assert_eq!(e, ERC20InvalidReceiver { receiver: s.pool });

    let (_, r) = s.ok(
        ALICE,
        s.pool,
        U256::ZERO,
        &IStakingPool::approveCall { spender: CAROL, amount: ether(2) },
    );
    assert_eq!(
        events::<Approval>(&r),
        vec![Approval { owner: ALICE, spender: CAROL, value: ether(2) }]
    );
    s.ok(
        CAROL,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferFromCall { from: ALICE, to: CAROL, amount: ether(1) },
    );
    assert_eq!(
        s.view(s.pool, &IStakingPool::allowanceCall { owner: ALICE, spender: CAROL })._0,
        ether(1)
    );
    let e: ERC20InsufficientAllowance = s.revert(
        CAROL,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferFromCall { from: ALICE, to: CAROL, amount: ether(2) },
    );
    assert_eq!(
        e,
        ERC20InsufficientAllowance { spender: CAROL, allowance: ether(1), needed: ether(2) }
    );
    let (ret, _) = s.ok(
        ALICE,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferSharesCall { to: CAROL, sharesAmount: ether(1) },
    );
    assert_eq!(ret._0, ether(1));
    assert_eq!(s.balance_of(CAROL), ether(2));
}

#[test]
fn the_stake_limit_regrows_as_blocks_pass() {
    let mut s = Suite::deploy_with_limit(ether(10), ether(1));
    s.deposit(ALICE, ether(10));
    assert_eq!(s.view(s.pool, &IStakingPool::getCurrentStakeLimitCall {})._0, U256::ZERO);
    let e: StakeLimitExceeded =
        s.revert(BOB, s.pool, ether(1), &IStakingPool::depositCall { referral: Address::ZERO });
    assert_eq!(e, StakeLimitExceeded { requested: ether(1), remaining: U256::ZERO });
    s.vm.advance_blocks(3);
    assert_eq!(s.view(s.pool, &IStakingPool::getCurrentStakeLimitCall {})._0, ether(3));
    let e: StakeLimitExceeded =
        s.revert(BOB, s.pool, ether(4), &IStakingPool::depositCall { referral: Address::ZERO });
    assert_eq!(e, StakeLimitExceeded { requested: ether(4), remaining: ether(3) });
    s.deposit(BOB, ether(3));
    s.vm.advance_blocks(1_000);
    assert_eq!(
        s.view(s.pool, &IStakingPool::getCurrentStakeLimitCall {})._0,
        ether(10),
        "capped at the maximum"
    );
    let cfg = s.view(s.pool, &IStakingPool::getStakeLimitConfigCall {});
    assert_eq!((cfg._0, cfg._1), (ether(10), U256::from(10)));
}

#[test]
fn pause_and_resume_need_different_roles() {
    let mut s = Suite::deploy();
    s.deposit(ALICE, ether(2));
    let pauser = Address::repeat_byte(0x50);
    s.ok(
        ADMIN,
        s.manager,
        U256::ZERO,
        &IAccessManager::grantRoleCall { role: PAUSE_ROLE, account: pauser },
    );
    s.ok(pauser, s.pool, U256::ZERO, &IStakingPool::pauseTokenCall {});
    assert!(s.view(s.pool, &IStakingPool::isTokenPausedCall {})._0);
    let e: TokenIsPaused = s.revert(
        ALICE,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferCall { to: BOB, amount: ether(1) },
    );
    assert_eq!(e, TokenIsPaused {});
    let e: TokenIsPaused =
        s.revert(ALICE, s.pool, ether(1), &IStakingPool::depositCall { referral: Address::ZERO });
    assert_eq!(e, TokenIsPaused {});
    let e: AccessDenied = s.revert(pauser, s.pool, U256::ZERO, &IStakingPool::resumeTokenCall {});
    assert_eq!((e.caller, e.role), (pauser, RESUME_ROLE));
    s.ok(ADMIN, s.pool, U256::ZERO, &IStakingPool::resumeTokenCall {});
    s.ok(ALICE, s.pool, U256::ZERO, &IStakingPool::transferCall { to: BOB, amount: ether(1) });

    s.ok(ADMIN, s.pool, U256::ZERO, &IStakingPool::pauseStakingCall {});
    let e: StakingIsPaused =
        s.revert(ALICE, s.pool, ether(1), &IStakingPool::depositCall { referral: Address::ZERO });
    assert_eq!(e, StakingIsPaused {});
    s.ok(ALICE, s.pool, U256::ZERO, &IStakingPool::transferCall { to: BOB, amount: ether(1) });
    s.ok(ADMIN, s.pool, U256::ZERO, &IStakingPool::resumeStakingCall {});
    s.deposit(ALICE, ether(1));
}

#[test]
fn a_reverted_transaction_leaves_no_trace() {
    let mut s = Suite::deploy();
    s.deposit(ALICE, ether(1));
    let slot0 = s.vm.storage(s.pool, U256::ZERO);
    let r = s.send(
        ALICE,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferCall { to: BOB, amount: ether(2) },
    );
    assert!(!r.success);
    assert!(r.logs.is_empty());
    assert_eq!(s.vm.storage(s.pool, U256::ZERO), slot0);
    assert_eq!(s.shares_of(BOB), U256::ZERO);
}
