//! motsu unit tests of the pool, one module per aspect. The AccessManager is replaced by
//! `staking_common::mocks::AccessManagerMock` (a role table whose `authorizeCall` reverts like
//! the real one); the
//! real manager is exercised in `tests/` (cross-contract) and on the VM (end to end).
//!
//! motsu fixes the block number at 0, so stake-limit regrowth is tested on the VM.
#![allow(clippy::unreadable_literal, clippy::needless_pass_by_value)]

use alloc::vec::Vec;

use alloy_primitives::{uint, Address, B256, U256};
use motsu::prelude::*;
use staking_common::roles::{PAUSE_ROLE, RESUME_ROLE, STAKING_CONTROL_ROLE};
use stylus_sdk::prelude::*;

use crate::{errors::*, events::*, StakingPool, DEAD_ADDRESS, MIN_BOOTSTRAP_DEPOSIT};

const ETHER: U256 = uint!(1_000_000_000_000_000_000_U256);
const BOOTSTRAP: U256 = uint!(1_000_000_000_000_000_U256); // 0.001 ether

pub(crate) use staking_common::mocks::{AccessManagerMock, MockUnauthorized};

/// The permit program the tests' constructor names (motsu runs every program's code in the
/// one native build, and any non-zero address passes the id check natively).
pub(crate) const PERMIT: Address = Address::repeat_byte(0x9e);

fn ether(n: u64) -> U256 {
    ETHER * U256::from(n)
}

/// An initialized pool (bootstrap 0.001 ether, no stake limit) whose manager grants `admin`
/// every pool role.
fn setup(pool: &Contract<StakingPool>, manager: &Contract<AccessManagerMock>, admin: Address) {
    for role in [PAUSE_ROLE, RESUME_ROLE, STAKING_CONTROL_ROLE] {
        manager.sender(admin).grant(role, admin);
    }
    admin.fund(ether(1_000_000));
    pool.sender_and_value(admin, BOOTSTRAP)
        .constructor(manager.address(), report_config::EXTENSION, U256::ZERO, U256::ZERO, PERMIT)
        .motsu_expect("constructor");
}

fn deposit(pool: &Contract<StakingPool>, who: Address, amount: U256) -> U256 {
    who.fund(amount);
    pool.sender_and_value(who, amount).deposit(Address::ZERO).motsu_expect("deposit")
}

fn denied(caller: Address, role: B256) -> Error {
    Error::AccessDenied(AccessDenied {
        caller,
        role,
        reason: alloy_sol_types::SolError::abi_encode(&MockUnauthorized { account: caller, role }),
    })
}

mod constructor {
    use super::*;

    #[motsu::test]
    fn the_constructor_mints_bootstrap_shares_to_the_dead_address(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
    ) {
        setup(&pool, &manager, admin);
        let p = pool.sender(admin);
        assert!(p.is_initialized());
        assert_eq!(p.shares_of(DEAD_ADDRESS), BOOTSTRAP);
        assert_eq!(p.total_shares(), BOOTSTRAP);
        assert_eq!(p.total_supply().motsu_unwrap(), BOOTSTRAP);
        assert_eq!(p.get_buffered_ether(), BOOTSTRAP);
        assert_eq!(p.access_manager(), manager.address());
        assert_eq!(p.get_extension(), report_config::EXTENSION);
        assert_eq!(p.share_rate().motsu_unwrap(), staking_math::RATE_PRECISION);
        pool.assert_emitted(&Initialized {
            accessManager: manager.address(),
            bootstrapEther: BOOTSTRAP,
            bootstrapShares: BOOTSTRAP,
        });
        pool.assert_emitted(&Transfer { from: Address::ZERO, to: DEAD_ADDRESS, value: BOOTSTRAP });
        pool.assert_emitted(&TransferShares {
            from: Address::ZERO,
            to: DEAD_ADDRESS,
            sharesValue: BOOTSTRAP,
        });
    }

    #[motsu::test]
    fn a_second_constructor_run_is_refused(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
    ) {
        setup(&pool, &manager, admin);
        let err = pool
            .sender_and_value(admin, BOOTSTRAP)
            .constructor(
                manager.address(),
                report_config::EXTENSION,
                U256::ZERO,
                U256::ZERO,
                PERMIT,
            )
            .motsu_unwrap_err();
        assert_eq!(err, Error::AlreadyInitialized(AlreadyInitialized {}));
        assert_eq!(pool.sender(admin).total_shares(), BOOTSTRAP);
    }

    #[motsu::test]
    fn the_constructor_refuses_a_zero_manager(pool: Contract<StakingPool>, admin: Address) {
        admin.fund(ether(1));
        let err = pool
            .sender_and_value(admin, BOOTSTRAP)
            .constructor(Address::ZERO, report_config::EXTENSION, U256::ZERO, U256::ZERO, PERMIT)
            .motsu_unwrap_err();
        assert_eq!(err, Error::InvalidAccessManager(InvalidAccessManager {}));
        assert!(!pool.sender(admin).is_initialized());
    }

    #[motsu::test]
    fn the_constructor_refuses_a_zero_extension(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
    ) {
        admin.fund(ether(1));
        let err = pool
            .sender_and_value(admin, BOOTSTRAP)
            .constructor(manager.address(), Address::ZERO, U256::ZERO, U256::ZERO, PERMIT)
            .motsu_unwrap_err();
        let extension = Address::ZERO;
        assert_eq!(err, Error::InvalidExtension(crate::errors::InvalidExtension { extension }));
        assert!(!pool.sender(admin).is_initialized());
    }

    #[motsu::test]
    fn the_constructor_refuses_a_bootstrap_below_the_minimum(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
    ) {
        admin.fund(ether(1));
        let amount = U256::from(MIN_BOOTSTRAP_DEPOSIT - 1);
        let err = pool
            .sender_and_value(admin, amount)
            .constructor(
                manager.address(),
                report_config::EXTENSION,
                U256::ZERO,
                U256::ZERO,
                PERMIT,
            )
            .motsu_unwrap_err();
        assert_eq!(
            err,
            Error::BootstrapTooSmall(BootstrapTooSmall {
                amount,
                min: U256::from(MIN_BOOTSTRAP_DEPOSIT)
            })
        );
        assert!(!pool.sender(admin).is_initialized());
    }

    #[motsu::test]
    fn the_constructor_can_set_a_stake_limit(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
    ) {
        admin.fund(ether(1));
        pool.sender_and_value(admin, BOOTSTRAP)
            .constructor(manager.address(), report_config::EXTENSION, ether(100), ether(1), PERMIT)
            .motsu_unwrap();
        let p = pool.sender(admin);
        assert!(!p.is_staking_paused());
        assert_eq!(p.get_current_stake_limit(), ether(100));
        assert_eq!(p.get_stake_limit_config(), (ether(100), U256::from(100)));
        pool.assert_emitted(&StakingLimitSet {
            maxStakeLimit: ether(100),
            stakeLimitIncreasePerBlock: ether(1),
        });
    }

    #[motsu::test]
    fn privileged_calls_before_the_constructor_are_refused(
        pool: Contract<StakingPool>,
        alice: Address,
    ) {
        // No manager yet: a call to the zero address must not count as an authorization.
        let err = pool.sender(alice).pause_token().motsu_unwrap_err();
        assert_eq!(err, Error::NotInitialized(NotInitialized {}));
        let err = pool.sender(alice).set_staking_limit(ether(1), U256::ZERO).motsu_unwrap_err();
        assert_eq!(err, Error::NotInitialized(NotInitialized {}));
        assert!(!pool.sender(alice).is_token_paused());
    }

    #[motsu::test]
    fn deposit_before_the_constructor_is_refused(pool: Contract<StakingPool>, alice: Address) {
        alice.fund(ether(1));
        let err = pool.sender_and_value(alice, ether(1)).deposit(Address::ZERO).motsu_unwrap_err();
        assert_eq!(err, Error::NotInitialized(NotInitialized {}));
    }
}

mod deposits {
    use super::*;

    #[motsu::test]
    fn deposit_mints_shares_at_the_current_rate(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        referrer: Address,
    ) {
        setup(&pool, &manager, admin);
        alice.fund(ether(2));
        let shares = pool.sender_and_value(alice, ether(2)).deposit(referrer).motsu_unwrap();
        assert_eq!(shares, ether(2));
        let p = pool.sender(alice);
        assert_eq!(p.shares_of(alice), ether(2));
        assert_eq!(p.balance_of(alice).motsu_unwrap(), ether(2));
        assert_eq!(p.total_supply().motsu_unwrap(), ether(2) + BOOTSTRAP);
        assert_eq!(p.get_buffered_ether(), ether(2) + BOOTSTRAP);
        assert_eq!(pool.balance(), ether(2) + BOOTSTRAP);
        pool.assert_emitted(&Submitted { sender: alice, amount: ether(2), referral: referrer });
        pool.assert_emitted(&Transfer { from: Address::ZERO, to: alice, value: ether(2) });
        pool.assert_emitted(&TransferShares {
            from: Address::ZERO,
            to: alice,
            sharesValue: ether(2),
        });
    }

    #[motsu::test]
    fn plain_ether_sent_to_the_pool_is_a_deposit(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
    ) {
        setup(&pool, &manager, admin);
        alice.fund(ether(3));
        pool.sender_and_value(alice, ether(3)).receive().motsu_unwrap();
        assert_eq!(pool.sender(alice).shares_of(alice), ether(3));
        pool.assert_emitted(&Submitted {
            sender: alice,
            amount: ether(3),
            referral: Address::ZERO,
        });
    }

    #[motsu::test]
    fn zero_deposit_is_refused(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
    ) {
        setup(&pool, &manager, admin);
        let err = pool.sender(alice).deposit(Address::ZERO).motsu_unwrap_err();
        assert_eq!(err, Error::ZeroDeposit(ZeroDeposit {}));
        assert_eq!(pool.sender(alice).total_shares(), BOOTSTRAP);
    }

    #[motsu::test]
    fn one_wei_deposit_mints_one_share_at_par(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
    ) {
        setup(&pool, &manager, admin);
        assert_eq!(deposit(&pool, alice, U256::from(1)), U256::from(1));
        assert_eq!(pool.sender(alice).balance_of(alice).motsu_unwrap(), U256::from(1));
    }

    #[motsu::test]
    fn donated_ether_does_not_move_the_share_rate(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, U256::from(1));
        // A direct balance increase without a deposit (e.g. selfdestruct-style push).
        pool.fund(ether(1000));
        assert_eq!(pool.sender(alice).share_rate().motsu_unwrap(), staking_math::RATE_PRECISION);
        assert_eq!(deposit(&pool, bob, ether(1)), ether(1));
        assert_eq!(pool.sender(bob).balance_of(bob).motsu_unwrap(), ether(1));
    }

    #[motsu::test]
    fn deposit_over_u128_is_refused_without_state_change(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
    ) {
        setup(&pool, &manager, admin);
        let huge = U256::from(u128::MAX) + U256::from(1);
        alice.fund(huge);
        let err = pool.sender_and_value(alice, huge).deposit(Address::ZERO).motsu_unwrap_err();
        assert_eq!(err, Error::MathOverflow(MathOverflow {}));
        assert_eq!(pool.sender(alice).total_shares(), BOOTSTRAP);
        assert_eq!(pool.sender(alice).shares_of(alice), U256::ZERO);
    }

    #[motsu::test]
    fn deposits_that_would_overflow_the_buffer_are_refused(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
    ) {
        setup(&pool, &manager, admin);
        let max = U256::from(u128::MAX) - BOOTSTRAP;
        alice.fund(max + U256::from(1));
        pool.sender_and_value(alice, max).deposit(Address::ZERO).motsu_unwrap();
        let err =
            pool.sender_and_value(alice, U256::from(1)).deposit(Address::ZERO).motsu_unwrap_err();
        assert_eq!(err, Error::MathOverflow(MathOverflow {}));
        assert_eq!(pool.sender(alice).total_shares(), U256::from(u128::MAX));
    }

    #[motsu::test]
    fn stake_limit_caps_a_deposit_and_reports_what_remains(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
    ) {
        setup(&pool, &manager, admin);
        pool.sender(admin).set_staking_limit(ether(10), ether(1)).motsu_unwrap();
        deposit(&pool, alice, ether(4));
        assert_eq!(pool.sender(alice).get_current_stake_limit(), ether(6));
        alice.fund(ether(7));
        let err = pool.sender_and_value(alice, ether(7)).deposit(Address::ZERO).motsu_unwrap_err();
        assert_eq!(
            err,
            Error::StakeLimitExceeded(StakeLimitExceeded {
                requested: ether(7),
                remaining: ether(6)
            })
        );
        assert_eq!(pool.sender(alice).shares_of(alice), ether(4));
        deposit(&pool, alice, ether(6));
        assert_eq!(pool.sender(alice).get_current_stake_limit(), U256::ZERO);
    }

    #[motsu::test]
    fn removing_the_stake_limit_lifts_the_cap(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
    ) {
        setup(&pool, &manager, admin);
        pool.sender(admin).set_staking_limit(ether(1), U256::ZERO).motsu_unwrap();
        pool.sender(admin).remove_staking_limit().motsu_unwrap();
        pool.assert_emitted(&StakingLimitRemoved {});
        assert_eq!(pool.sender(alice).get_current_stake_limit(), U256::MAX);
        deposit(&pool, alice, ether(50));
        assert_eq!(pool.sender(alice).get_stake_limit_config(), (U256::ZERO, U256::ZERO));
    }

    #[motsu::test]
    fn invalid_stake_limits_are_refused(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
    ) {
        setup(&pool, &manager, admin);
        let too_big = U256::from(1u128 << 96);
        for (max, inc) in [
            (U256::ZERO, U256::ZERO),
            (ether(1), ether(2)),
            (too_big, U256::ZERO),
            (U256::MAX, U256::ZERO),
        ] {
            let err = pool.sender(admin).set_staking_limit(max, inc).motsu_unwrap_err();
            assert_eq!(
                err,
                Error::InvalidStakeLimit(InvalidStakeLimit {
                    maxStakeLimit: max,
                    stakeLimitIncreasePerBlock: inc
                })
            );
        }
        assert_eq!(pool.sender(admin).get_stake_limit_config(), (U256::ZERO, U256::ZERO));
    }
}

mod token {
    use super::*;

    #[motsu::test]
    fn transfer_moves_shares_and_emits_both_events(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, ether(5));
        assert!(pool.sender(alice).transfer(bob, ether(2)).motsu_unwrap());
        let p = pool.sender(alice);
        assert_eq!(p.balance_of(alice).motsu_unwrap(), ether(3));
        assert_eq!(p.balance_of(bob).motsu_unwrap(), ether(2));
        assert_eq!(p.total_shares(), ether(5) + BOOTSTRAP);
        pool.assert_emitted(&Transfer { from: alice, to: bob, value: ether(2) });
        pool.assert_emitted(&TransferShares { from: alice, to: bob, sharesValue: ether(2) });
    }

    #[motsu::test]
    fn transfer_of_more_than_the_balance_is_refused(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, ether(1));
        let needed = ether(1) + U256::from(1);
        let err = pool.sender(alice).transfer(bob, needed).motsu_unwrap_err();
        assert_eq!(
            err,
            Error::ERC20InsufficientBalance(ERC20InsufficientBalance {
                sender: alice,
                balance: ether(1),
                needed
            })
        );
        assert_eq!(pool.sender(alice).shares_of(bob), U256::ZERO);
    }

    #[motsu::test]
    fn transfer_to_zero_or_to_the_pool_is_refused(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, ether(1));
        for to in [Address::ZERO, pool.address()] {
            let err = pool.sender(alice).transfer(to, U256::from(1)).motsu_unwrap_err();
            assert_eq!(err, Error::ERC20InvalidReceiver(ERC20InvalidReceiver { receiver: to }));
            let err = pool.sender(alice).transfer_shares(to, U256::from(1)).motsu_unwrap_err();
            assert_eq!(err, Error::ERC20InvalidReceiver(ERC20InvalidReceiver { receiver: to }));
        }
        assert_eq!(pool.sender(alice).shares_of(alice), ether(1));
    }

    #[motsu::test]
    fn zero_transfer_is_allowed_and_emits_events(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        assert!(pool.sender(alice).transfer(bob, U256::ZERO).motsu_unwrap());
        pool.assert_emitted(&Transfer { from: alice, to: bob, value: U256::ZERO });
    }

    #[motsu::test]
    fn transfer_shares_moves_exact_shares_and_returns_their_value(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, ether(5));
        let value = pool.sender(alice).transfer_shares(bob, ether(1)).motsu_unwrap();
        assert_eq!(value, ether(1));
        assert_eq!(pool.sender(alice).shares_of(bob), ether(1));
        pool.assert_emitted(&TransferShares { from: alice, to: bob, sharesValue: ether(1) });
        pool.assert_emitted(&Transfer { from: alice, to: bob, value: ether(1) });
        let err = pool.sender(bob).transfer_shares(alice, ether(2)).motsu_unwrap_err();
        assert_eq!(
            err,
            Error::InsufficientShares(InsufficientShares {
                sender: bob,
                shares: ether(1),
                needed: ether(2)
            })
        );
    }

    #[motsu::test]
    fn approve_and_transfer_from_spend_the_allowance(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
        carol: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, ether(5));
        assert!(pool.sender(alice).approve(bob, ether(3)).motsu_unwrap());
        pool.assert_emitted(&Approval { owner: alice, spender: bob, value: ether(3) });
        pool.sender(bob).transfer_from(alice, carol, ether(2)).motsu_unwrap();
        assert_eq!(pool.sender(bob).allowance(alice, bob), ether(1));
        assert_eq!(pool.sender(bob).balance_of(carol).motsu_unwrap(), ether(2));
        let err = pool.sender(bob).transfer_from(alice, carol, ether(2)).motsu_unwrap_err();
        assert_eq!(
            err,
            Error::ERC20InsufficientAllowance(ERC20InsufficientAllowance {
                spender: bob,
                allowance: ether(1),
                needed: ether(2)
            })
        );
        assert_eq!(pool.sender(bob).balance_of(carol).motsu_unwrap(), ether(2));
    }

    #[motsu::test]
    fn unlimited_allowance_is_not_decreased(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, ether(5));
        pool.sender(alice).approve(bob, U256::MAX).motsu_unwrap();
        pool.sender(bob).transfer_from(alice, bob, ether(1)).motsu_unwrap();
        pool.sender(bob).transfer_shares_from(alice, bob, ether(1)).motsu_unwrap();
        assert_eq!(pool.sender(bob).allowance(alice, bob), U256::MAX);
    }

    #[motsu::test]
    fn transfer_shares_from_spends_the_shares_value(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, ether(5));
        pool.sender(alice).approve(bob, ether(2)).motsu_unwrap();
        pool.sender(bob).transfer_shares_from(alice, bob, ether(2)).motsu_unwrap();
        assert_eq!(pool.sender(bob).allowance(alice, bob), U256::ZERO);
        let err =
            pool.sender(bob).transfer_shares_from(alice, bob, U256::from(1)).motsu_unwrap_err();
        assert!(matches!(err, Error::ERC20InsufficientAllowance(_)));
    }

    #[motsu::test]
    fn transfer_from_with_shares_returns_the_shares_it_moved_and_spends_the_allowance(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, ether(5));
        pool.sender(alice).approve(bob, ether(3)).motsu_unwrap();
        let shares =
            pool.sender(bob).transfer_from_with_shares(alice, bob, ether(2)).motsu_unwrap();
        // At a 1:1 rate, 2 ether is 2e18 shares exactly.
        assert_eq!(shares, ether(2));
        assert_eq!(pool.sender(bob).shares_of(bob), shares);
        assert_eq!(pool.sender(bob).allowance(alice, bob), ether(1));
        pool.assert_emitted(&TransferShares { from: alice, to: bob, sharesValue: shares });
        let err =
            pool.sender(bob).transfer_from_with_shares(alice, bob, ether(2)).motsu_unwrap_err();
        assert!(matches!(err, Error::ERC20InsufficientAllowance(_)));
        assert_eq!(pool.sender(bob).shares_of(bob), shares, "a refused move moves nothing");
    }

    #[motsu::test]
    fn approve_to_zero_spender_is_refused(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
    ) {
        setup(&pool, &manager, admin);
        let err = pool.sender(alice).approve(Address::ZERO, ether(1)).motsu_unwrap_err();
        assert_eq!(err, Error::ERC20InvalidSpender(ERC20InvalidSpender { spender: Address::ZERO }));
    }

    #[motsu::test]
    fn increase_and_decrease_allowance_move_it_and_emit_approval(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        pool.sender(alice).increase_allowance(bob, ether(2)).motsu_unwrap();
        pool.sender(alice).decrease_allowance(bob, ether(1)).motsu_unwrap();
        assert_eq!(pool.sender(alice).allowance(alice, bob), ether(1));
        pool.assert_emitted(&Approval { owner: alice, spender: bob, value: ether(1) });
        let err = pool.sender(alice).decrease_allowance(bob, ether(2)).motsu_unwrap_err();
        assert_eq!(
            err,
            Error::ERC20FailedDecreaseAllowance(ERC20FailedDecreaseAllowance {
                spender: bob,
                allowance: ether(1),
                decrease: ether(2)
            })
        );
        pool.sender(alice).approve(bob, U256::MAX).motsu_unwrap();
        let err = pool.sender(alice).increase_allowance(bob, U256::from(1)).motsu_unwrap_err();
        assert_eq!(err, Error::MathOverflow(MathOverflow {}));
    }

    #[motsu::test]
    fn views_are_well_defined_before_the_constructor(pool: Contract<StakingPool>, alice: Address) {
        let p = pool.sender(alice);
        assert_eq!(p.balance_of(alice).motsu_unwrap(), U256::ZERO);
        assert_eq!(p.total_supply().motsu_unwrap(), U256::ZERO);
        assert_eq!(p.get_shares_by_pooled_eth(ether(1)).motsu_unwrap(), U256::ZERO);
        assert_eq!(p.get_pooled_eth_by_shares(ether(1)).motsu_unwrap(), U256::ZERO);
        assert_eq!(p.decimals(), 18);
        assert_eq!(p.name(), crate::NAME);
        assert_eq!(p.symbol(), crate::SYMBOL);
    }
}

mod pause {
    use super::*;

    #[motsu::test]
    fn paused_token_refuses_deposits_and_transfers_but_allows_approvals(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, ether(2));
        pool.sender(admin).pause_token().motsu_unwrap();
        pool.assert_emitted(&TokenPaused { by: admin });
        assert!(pool.sender(alice).is_token_paused());
        assert_eq!(pool.sender(alice).get_current_stake_limit(), U256::ZERO);
        alice.fund(ether(1));
        let err = pool.sender_and_value(alice, ether(1)).deposit(Address::ZERO).motsu_unwrap_err();
        assert_eq!(err, Error::TokenIsPaused(TokenIsPaused {}));
        let err = pool.sender(alice).transfer(bob, ether(1)).motsu_unwrap_err();
        assert_eq!(err, Error::TokenIsPaused(TokenIsPaused {}));
        let err = pool.sender(alice).transfer_shares(bob, ether(1)).motsu_unwrap_err();
        assert_eq!(err, Error::TokenIsPaused(TokenIsPaused {}));
        pool.sender(alice).approve(bob, ether(1)).motsu_unwrap();
        let err = pool.sender(bob).transfer_from(alice, bob, ether(1)).motsu_unwrap_err();
        assert_eq!(err, Error::TokenIsPaused(TokenIsPaused {}));
        assert_eq!(pool.sender(bob).allowance(alice, bob), ether(1));

        pool.sender(admin).resume_token().motsu_unwrap();
        pool.assert_emitted(&TokenResumed { by: admin });
        pool.sender(alice).transfer(bob, ether(1)).motsu_unwrap();
        assert_eq!(pool.sender(bob).balance_of(bob).motsu_unwrap(), ether(1));
    }

    #[motsu::test]
    fn pausing_twice_or_resuming_unpaused_is_refused(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
    ) {
        setup(&pool, &manager, admin);
        let err = pool.sender(admin).resume_token().motsu_unwrap_err();
        assert_eq!(err, Error::TokenNotPaused(TokenNotPaused {}));
        pool.sender(admin).pause_token().motsu_unwrap();
        let err = pool.sender(admin).pause_token().motsu_unwrap_err();
        assert_eq!(err, Error::TokenAlreadyPaused(TokenAlreadyPaused {}));
        let err = pool.sender(admin).resume_staking().motsu_unwrap_err();
        assert_eq!(err, Error::StakingNotPaused(StakingNotPaused {}));
        pool.sender(admin).pause_staking().motsu_unwrap();
        let err = pool.sender(admin).pause_staking().motsu_unwrap_err();
        assert_eq!(err, Error::StakingAlreadyPaused(StakingAlreadyPaused {}));
    }

    #[motsu::test]
    fn paused_staking_refuses_deposits_but_not_transfers(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, ether(2));
        pool.sender(admin).pause_staking().motsu_unwrap();
        pool.assert_emitted(&StakingPaused { by: admin });
        assert!(pool.sender(alice).is_staking_paused());
        assert_eq!(pool.sender(alice).get_current_stake_limit(), U256::ZERO);
        alice.fund(ether(1));
        let err = pool.sender_and_value(alice, ether(1)).deposit(Address::ZERO).motsu_unwrap_err();
        assert_eq!(err, Error::StakingIsPaused(StakingIsPaused {}));
        pool.sender(alice).transfer(bob, ether(1)).motsu_unwrap();
        pool.sender(admin).resume_staking().motsu_unwrap();
        pool.assert_emitted(&StakingResumed { by: admin });
        deposit(&pool, alice, ether(1));
    }
}

mod access_control {
    use super::*;

    #[motsu::test]
    fn callers_without_the_role_are_refused_everywhere(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        mallory: Address,
    ) {
        setup(&pool, &manager, admin);
        let p = || pool.sender(mallory);
        assert_eq!(p().pause_token().motsu_unwrap_err(), denied(mallory, PAUSE_ROLE));
        assert_eq!(p().resume_token().motsu_unwrap_err(), denied(mallory, RESUME_ROLE));
        assert_eq!(p().pause_staking().motsu_unwrap_err(), denied(mallory, STAKING_CONTROL_ROLE));
        assert_eq!(p().resume_staking().motsu_unwrap_err(), denied(mallory, STAKING_CONTROL_ROLE));
        assert_eq!(
            p().set_staking_limit(ether(1), U256::ZERO).motsu_unwrap_err(),
            denied(mallory, STAKING_CONTROL_ROLE)
        );
        assert_eq!(
            p().remove_staking_limit().motsu_unwrap_err(),
            denied(mallory, STAKING_CONTROL_ROLE)
        );
        assert!(!pool.sender(admin).is_token_paused());
        assert!(!pool.sender(admin).is_staking_paused());
    }

    #[motsu::test]
    fn pause_and_resume_are_separate_roles(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        pauser: Address,
    ) {
        setup(&pool, &manager, admin);
        manager.sender(admin).grant(PAUSE_ROLE, pauser);
        pool.sender(pauser).pause_token().motsu_unwrap();
        assert_eq!(
            pool.sender(pauser).resume_token().motsu_unwrap_err(),
            denied(pauser, RESUME_ROLE)
        );
        assert!(pool.sender(pauser).is_token_paused());
    }
}

mod rounding {
    use super::*;

    /// Shares and pooled ether that are not 1:1 (as after a report) by writing the packed
    /// slot 1 directly: a consensus-layer balance the pool did not mint shares for.
    fn with_rewards(pool: &Contract<StakingPool>, cl_balance: u128) {
        let mut p = pool.sender(Address::ZERO);
        let mut state = p.load_state();
        state.beacon.cl_balance = cl_balance;
        p.beacon.set(state.beacon.pack());
    }

    #[motsu::test]
    fn receiver_gets_at_least_the_amount_at_an_uneven_rate(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, ether(3));
        with_rewards(&pool, 333_333_333_333_333_337);
        for amount in [1u64, 7, 1_000_000_007, 999_999_999_999_999_999] {
            let amount = U256::from(amount);
            let before = pool.sender(bob).balance_of(bob).motsu_unwrap();
            let alice_before = pool.sender(alice).balance_of(alice).motsu_unwrap();
            pool.sender(alice).transfer(bob, amount).motsu_unwrap();
            let after = pool.sender(bob).balance_of(bob).motsu_unwrap();
            let alice_after = pool.sender(alice).balance_of(alice).motsu_unwrap();
            assert!(after - before >= amount, "receiver short-changed");
            // The sender pays at most one share's worth (here < 2 wei) more than `amount`.
            assert!(alice_before - alice_after <= amount + U256::from(2));
        }
    }

    #[motsu::test]
    fn a_sender_can_always_transfer_its_whole_balance(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, U256::from(1_000_000_007u64));
        with_rewards(&pool, 777_777_777_777_777_777);
        let balance = pool.sender(alice).balance_of(alice).motsu_unwrap();
        pool.sender(alice).transfer(bob, balance).motsu_unwrap();
        assert!(pool.sender(alice).balance_of(alice).motsu_unwrap() <= U256::from(1));
    }

    #[motsu::test]
    fn deposits_round_shares_down_and_never_lower_the_rate(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
    ) {
        setup(&pool, &manager, admin);
        with_rewards(&pool, 2_000_000_000_000_000); // rate 3: 1 share = 3 wei
        let rate_before = pool.sender(alice).share_rate().motsu_unwrap();
        assert_eq!(deposit(&pool, alice, U256::from(5)), U256::from(1));
        assert!(pool.sender(alice).share_rate().motsu_unwrap() >= rate_before);
        alice.fund(U256::from(2));
        let err =
            pool.sender_and_value(alice, U256::from(2)).deposit(Address::ZERO).motsu_unwrap_err();
        assert_eq!(err, Error::DepositTooSmall(DepositTooSmall { amount: U256::from(2) }));
    }
}

mod l1_ether;
mod layout;
mod permit;
mod report;
mod report_config;
mod wrapping;
