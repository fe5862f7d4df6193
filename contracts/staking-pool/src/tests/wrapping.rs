//! The pool's side of the wrapped token ([`crate::wrapping`]): `setWrappedToken` (the role, the
//! refusals, once, the event), `wrapFrom` (only the token, no allowance, floor rounding),
//! `transferSharesWithRate` (the caller's shares, ceil rounding), both refused while the token
//! is paused, their returns and events, at 0, 1 wei and large amounts on an uneven rate. The
//! report round of `getLastReport` is tested with the reports (`tests::report::last_report`).

use alloy_sol_types::SolEvent;
use staking_common::roles::DEFAULT_ADMIN_ROLE;

use super::report_config::setup_admin;
use super::*;
use crate::{abi::IStakingPool::WrappedTokenSet, storage::Beacon, wrapping::WRAPPED_TOKEN_SET};

/// Consensus-layer ether the pool minted no shares for (as after a report): `E > S`, a rate
/// that is not 1:1.
const REWARDS: u128 = 333_333_333_333_333_337;

/// `setup_admin` plus `token` as the wrapped token.
fn setup_token(
    pool: &Contract<StakingPool>,
    manager: &Contract<AccessManagerMock>,
    admin: Address,
    token: Address,
) {
    setup_admin(pool, manager, admin);
    pool.sender(admin).set_wrapped_token(token).motsu_expect("setWrappedToken");
}

/// Moves the rate: `cl_balance` wei in slot 1 that no share was minted for.
fn with_rewards(pool: &Contract<StakingPool>, cl_balance: u128) {
    let mut p = pool.sender(Address::ZERO);
    let mut beacon = Beacon::unpack(p.beacon.get());
    beacon.cl_balance = cl_balance;
    p.beacon.set(beacon.pack());
}

/// `(E, S)`: total pooled ether and total shares.
fn rate(pool: &Contract<StakingPool>) -> (U256, U256) {
    let p = pool.sender(Address::ZERO);
    (p.get_total_pooled_ether().motsu_unwrap(), p.total_shares())
}

/// `x * y / denominator`, rounded up or down (the model the pool's rounding is checked against).
fn mul_div(x: U256, y: U256, denominator: U256, up: bool) -> U256 {
    let (quotient, rest) = (x * y).div_rem(denominator);
    if up && !rest.is_zero() {
        quotient + U256::from(1)
    } else {
        quotient
    }
}

/// Asserts the pair of events a share move emits.
fn assert_moved(
    pool: &Contract<StakingPool>,
    from: Address,
    to: Address,
    value: U256,
    shares: U256,
) {
    pool.assert_emitted(&Transfer { from, to, value });
    pool.assert_emitted(&TransferShares { from, to, sharesValue: shares });
}

mod set_wrapped_token {
    use super::*;

    #[motsu::test]
    fn it_needs_the_admin_role(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        token: Address,
        mallory: Address,
    ) {
        setup_admin(&pool, &manager, admin);
        assert_eq!(
            pool.sender(mallory).set_wrapped_token(token).motsu_unwrap_err(),
            denied(mallory, DEFAULT_ADMIN_ROLE)
        );
        assert_eq!(pool.sender(admin).wrapped_token(), Address::ZERO);
    }

    #[motsu::test]
    fn it_refuses_the_zero_address_and_the_pool_itself(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
    ) {
        setup_admin(&pool, &manager, admin);
        for token in [Address::ZERO, pool.address()] {
            assert_eq!(
                pool.sender(admin).set_wrapped_token(token).motsu_unwrap_err(),
                Error::InvalidAddress(InvalidAddress {})
            );
        }
        assert_eq!(pool.sender(admin).wrapped_token(), Address::ZERO);
    }

    #[motsu::test]
    fn it_sets_the_token_once_and_emits_it(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        token: Address,
        other: Address,
    ) {
        setup_token(&pool, &manager, admin, token);
        assert_eq!(pool.sender(admin).wrapped_token(), token);
        assert_eq!(pool.sender(admin).get_last_report(), (U256::ZERO, U256::ZERO));
        pool.assert_emitted(&WrappedTokenSet { token });
        for again in [other, token] {
            assert_eq!(
                pool.sender(admin).set_wrapped_token(again).motsu_unwrap_err(),
                Error::WrappedTokenAlreadySet(WrappedTokenAlreadySet { token })
            );
        }
        assert_eq!(pool.sender(admin).wrapped_token(), token);
    }

    #[test]
    fn the_topic_written_from_immediates_is_the_events_signature_hash() {
        let [a, b, c, d] = WRAPPED_TOKEN_SET;
        let topic = U256::from_limbs([d, c, b, a]).to_be_bytes::<32>();
        assert_eq!(B256::from(topic), WrappedTokenSet::SIGNATURE_HASH);
        let [a, b, c, d] = crate::permit::EXITS_REQUESTED_ON_L1;
        let topic = U256::from_limbs([d, c, b, a]).to_be_bytes::<32>();
        assert_eq!(
            B256::from(topic),
            crate::abi::IStakingPool::ExitsRequestedOnL1::SIGNATURE_HASH,
            "the permit program's exit message event"
        );
    }
}

mod wrap_from {
    use super::*;

    #[motsu::test]
    fn only_the_wrapped_token_may_pull(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        token: Address,
        alice: Address,
        mallory: Address,
    ) {
        setup_admin(&pool, &manager, admin);
        deposit(&pool, alice, ether(2));
        // Before setWrappedToken nobody may, not even the future token.
        assert_eq!(
            pool.sender(token).wrap_from(alice, U256::from(1), true).motsu_unwrap_err(),
            Error::NotWrappedToken(NotWrappedToken { caller: token })
        );
        pool.sender(admin).set_wrapped_token(token).motsu_unwrap();
        for caller in [mallory, alice, admin] {
            assert_eq!(
                pool.sender(caller).wrap_from(alice, ether(1), false).motsu_unwrap_err(),
                Error::NotWrappedToken(NotWrappedToken { caller })
            );
        }
        assert_eq!(pool.sender(alice).shares_of(alice), ether(2));
        assert_eq!(pool.sender(alice).shares_of(token), U256::ZERO);
    }

    #[motsu::test]
    fn the_token_pulls_shares_without_an_allowance_and_gets_the_rate(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        token: Address,
        alice: Address,
    ) {
        setup_token(&pool, &manager, admin, token);
        deposit(&pool, alice, ether(5));
        with_rewards(&pool, REWARDS);
        let (e, s) = rate(&pool);
        let shares = ether(2);
        let ret = pool.sender(token).wrap_from(alice, shares, true).motsu_unwrap();
        assert_eq!(ret, (shares, e, s));
        assert_eq!(pool.sender(alice).shares_of(alice), ether(3));
        assert_eq!(pool.sender(alice).shares_of(token), shares);
        assert_eq!(pool.sender(alice).allowance(alice, token), U256::ZERO);
        assert_eq!(rate(&pool), (e, s), "a share move leaves the rate");
        assert_moved(&pool, alice, token, mul_div(shares, e, s, false), shares);
    }

    #[motsu::test]
    fn an_ether_amount_pulls_the_shares_rounded_down(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        token: Address,
        alice: Address,
    ) {
        setup_token(&pool, &manager, admin, token);
        deposit(&pool, alice, ether(1_000_000));
        with_rewards(&pool, REWARDS);
        let (e, s) = rate(&pool);
        for amount in
            [U256::ZERO, U256::from(1), U256::from(2), ether(3) + U256::from(7), ether(999_990)]
        {
            let held = pool.sender(alice).shares_of(alice);
            let expected = mul_div(amount, s, e, false);
            assert_eq!(
                pool.sender(alice).get_shares_by_pooled_eth(amount).motsu_unwrap(),
                expected,
                "as getSharesByPooledEth"
            );
            let ret = pool.sender(token).wrap_from(alice, amount, false).motsu_unwrap();
            assert_eq!(ret, (expected, e, s));
            assert_eq!(pool.sender(alice).shares_of(alice), held - expected);
            let value = mul_div(expected, e, s, false);
            assert!(value <= amount, "the holder keeps the dust");
            assert_moved(&pool, alice, token, value, expected);
        }
        // 1 wei is worth less than a share here: nothing moves.
        assert!(e > s);
        assert_eq!(
            pool.sender(token).wrap_from(alice, U256::from(1), false).motsu_unwrap().0,
            U256::ZERO
        );
    }

    #[motsu::test]
    fn more_than_the_holder_has_is_refused_with_the_shares_needed(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        token: Address,
        alice: Address,
        bob: Address,
    ) {
        setup_token(&pool, &manager, admin, token);
        deposit(&pool, alice, ether(1));
        with_rewards(&pool, REWARDS);
        let (e, s) = rate(&pool);
        let held = ether(1);
        let balance = pool.sender(alice).balance_of(alice).motsu_unwrap();
        let over = balance + U256::from(1_000);
        let refusals = [
            (alice, held + U256::from(1), true, held + U256::from(1)),
            (alice, over, false, mul_div(over, s, e, false)),
            (alice, U256::MAX, true, U256::MAX),
            (bob, U256::from(1), true, U256::from(1)),
        ];
        for (from, amount, in_shares, needed) in refusals {
            let shares = pool.sender(from).shares_of(from);
            assert_eq!(
                pool.sender(token).wrap_from(from, amount, in_shares).motsu_unwrap_err(),
                Error::InsufficientShares(InsufficientShares { sender: from, shares, needed })
            );
        }
        // The whole balance in ether, or every share, is within reach.
        let ret = pool.sender(token).wrap_from(alice, balance, false).motsu_unwrap();
        assert!(ret.0 <= held);
        let rest = pool.sender(alice).shares_of(alice);
        pool.sender(token).wrap_from(alice, rest, true).motsu_unwrap();
        assert_eq!(pool.sender(alice).shares_of(token), held);
        assert_eq!(pool.sender(alice).shares_of(alice), U256::ZERO);
    }

    #[motsu::test]
    fn an_ether_amount_that_overflows_is_a_math_error(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        token: Address,
        alice: Address,
    ) {
        setup_token(&pool, &manager, admin, token);
        deposit(&pool, alice, ether(1));
        // E < S: U256::MAX ether is more than U256::MAX shares.
        let mut p = pool.sender(Address::ZERO);
        let mut totals = crate::storage::Totals::unpack(p.totals.get());
        totals.total_shares *= 2;
        p.totals.set(totals.pack());
        assert_eq!(
            pool.sender(token).wrap_from(alice, U256::MAX, false).motsu_unwrap_err(),
            Error::MathOverflow(MathOverflow {})
        );
    }
}

mod transfer_shares_with_rate {
    use super::*;

    #[motsu::test]
    fn exact_shares_move_to_anyone_and_return_the_rate(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, ether(4));
        with_rewards(&pool, REWARDS);
        let (e, s) = rate(&pool);
        let shares = ether(1) + U256::from(3);
        let ret = pool.sender(alice).transfer_shares_with_rate(bob, shares, true).motsu_unwrap();
        assert_eq!(ret, (shares, e, s));
        assert_eq!(pool.sender(bob).shares_of(bob), shares);
        assert_eq!(pool.sender(bob).shares_of(alice), ether(4) - shares);
        assert_moved(&pool, alice, bob, mul_div(shares, e, s, false), shares);
    }

    #[motsu::test]
    fn an_ether_amount_moves_the_shares_rounded_up(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, ether(1_000_000));
        with_rewards(&pool, REWARDS);
        let (e, s) = rate(&pool);
        for amount in
            [U256::ZERO, U256::from(1), U256::from(2), ether(3) + U256::from(7), ether(999_990)]
        {
            let before = pool.sender(bob).balance_of(bob).motsu_unwrap();
            let expected = mul_div(amount, s, e, true);
            let ret =
                pool.sender(alice).transfer_shares_with_rate(bob, amount, false).motsu_unwrap();
            assert_eq!(ret, (expected, e, s));
            let after = pool.sender(bob).balance_of(bob).motsu_unwrap();
            assert!(after - before >= amount, "the receiver gets at least the amount");
            assert_moved(&pool, alice, bob, mul_div(expected, e, s, false), expected);
        }
        // 1 wei is worth less than a share, so a whole share moves.
        assert_eq!(
            pool.sender(alice)
                .transfer_shares_with_rate(bob, U256::from(1), false)
                .motsu_unwrap()
                .0,
            U256::from(1)
        );
    }

    #[motsu::test]
    fn bad_receivers_and_short_balances_are_refused(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
        bob: Address,
    ) {
        setup(&pool, &manager, admin);
        deposit(&pool, alice, ether(1));
        with_rewards(&pool, REWARDS);
        let (e, s) = rate(&pool);
        for receiver in [Address::ZERO, pool.address()] {
            assert_eq!(
                pool.sender(alice)
                    .transfer_shares_with_rate(receiver, U256::from(1), true)
                    .motsu_unwrap_err(),
                Error::ERC20InvalidReceiver(ERC20InvalidReceiver { receiver })
            );
        }
        let balance = pool.sender(alice).balance_of(alice).motsu_unwrap();
        let over = balance + U256::from(1);
        let held = ether(1);
        for (amount, in_shares, needed) in [
            (held + U256::from(1), true, held + U256::from(1)),
            (over, false, mul_div(over, s, e, true)),
        ] {
            assert_eq!(
                pool.sender(alice)
                    .transfer_shares_with_rate(bob, amount, in_shares)
                    .motsu_unwrap_err(),
                Error::InsufficientShares(InsufficientShares {
                    sender: alice,
                    shares: held,
                    needed
                })
            );
        }
        assert_eq!(pool.sender(alice).shares_of(alice), held);
        // The whole balance in ether fits in the shares held (ceil of a floor).
        let ret = pool.sender(alice).transfer_shares_with_rate(bob, balance, false).motsu_unwrap();
        assert!(ret.0 <= held);
    }
}

mod pause {
    use super::*;

    #[motsu::test]
    fn a_paused_token_refuses_both_moves_until_resumed(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        token: Address,
        alice: Address,
        bob: Address,
        mallory: Address,
    ) {
        setup_token(&pool, &manager, admin, token);
        deposit(&pool, alice, ether(2));
        pool.sender(admin).pause_token().motsu_unwrap();
        let paused = Error::TokenIsPaused(TokenIsPaused {});
        for in_shares in [true, false] {
            assert_eq!(
                pool.sender(token).wrap_from(alice, ether(1), in_shares).motsu_unwrap_err(),
                paused
            );
            assert_eq!(
                pool.sender(alice)
                    .transfer_shares_with_rate(bob, ether(1), in_shares)
                    .motsu_unwrap_err(),
                paused
            );
        }
        // The caller is checked first: a stranger learns nothing about the pause.
        assert_eq!(
            pool.sender(mallory).wrap_from(alice, ether(1), true).motsu_unwrap_err(),
            Error::NotWrappedToken(NotWrappedToken { caller: mallory })
        );
        assert_eq!(pool.sender(alice).shares_of(alice), ether(2));
        pool.sender(admin).resume_token().motsu_unwrap();
        pool.sender(token).wrap_from(alice, ether(1), true).motsu_unwrap();
        pool.sender(alice).transfer_shares_with_rate(bob, ether(1), true).motsu_unwrap();
        assert_eq!(pool.sender(alice).shares_of(token), ether(1));
        assert_eq!(pool.sender(alice).shares_of(bob), ether(1));
    }
}
