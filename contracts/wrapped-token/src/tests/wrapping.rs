//! wrap, unwrap and ether sent to the token: the pool calls, the roundings, the pool's refusals
//! passed up, the supply bound, the reentrancy guard of `withdraw`.

use super::*;
use crate::{errors::*, events::*, MAX_SUPPLY};

#[motsu::test]
fn wrap_pulls_the_shares_the_amount_is_worth_rounded_down_and_mints_as_many(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    // E / S = 3 / 2: 10 ether of value is 6.666... shares, rounded down.
    setup(&token, &pool, ether(3), ether(2), alice, ether(100));
    let units = token.sender(alice).wrap(ether(10)).motsu_unwrap();
    let expected = ether(10) * ether(2) / ether(3);
    assert_eq!(units, expected);
    assert_eq!(token.sender(alice).balance_of(alice), expected);
    assert_eq!(token.sender(alice).total_supply(), expected);
    assert_eq!(pool.sender(alice).shares_of(token.address()), expected);
    assert_eq!(pool.sender(alice).shares_of(alice), ether(100) - expected);
    token.assert_emitted(&Transfer { from: Address::ZERO, to: alice, value: expected });
    assert!(unlocked());
}

#[motsu::test]
fn unwrap_burns_the_units_and_sends_as_many_shares_returning_their_value_rounded_down(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    wrapped(&token, &pool, alice, ether(9));
    // A rebase: E / S = 4 / 3.
    pool.sender(alice).set_rate(ether(4), ether(3));
    let value = token.sender(alice).unwrap(u(7)).motsu_unwrap();
    assert_eq!(value, u(9), "floor(7 * 4 / 3)");
    assert_eq!(token.sender(alice).balance_of(alice), ether(9) - u(7));
    assert_eq!(token.sender(alice).total_supply(), ether(9) - u(7));
    assert_eq!(pool.sender(alice).shares_of(alice), u(7));
    assert_eq!(pool.sender(alice).shares_of(token.address()), ether(9) - u(7));
    token.assert_emitted(&Transfer { from: alice, to: Address::ZERO, value: u(7) });
    assert!(unlocked());
}

#[motsu::test]
fn wrapping_or_unwrapping_nothing_is_refused(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    wrapped(&token, &pool, alice, ether(1));
    assert_eq!(
        token.sender(alice).wrap(U256::ZERO).motsu_unwrap_err(),
        Error::ZeroAmount(ZeroAmount {})
    );
    assert_eq!(
        token.sender(alice).unwrap(U256::ZERO).motsu_unwrap_err(),
        Error::ZeroAmount(ZeroAmount {})
    );
}

#[motsu::test]
fn unwrapping_more_than_the_balance_is_refused_and_moves_nothing(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    wrapped(&token, &pool, alice, ether(1));
    let err = token.sender(alice).unwrap(ether(2)).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::ERC20InsufficientBalance(ERC20InsufficientBalance {
            sender: alice,
            balance: ether(1),
            needed: ether(2),
        })
    );
    assert_eq!(pool.sender(alice).shares_of(token.address()), ether(1));
    assert!(unlocked());
}

#[motsu::test]
fn the_pools_refusals_are_passed_up_unchanged(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    wrapped(&token, &pool, alice, ether(1));
    pool.sender(alice).give(alice, ether(1));
    pool.sender(alice).set_paused(true);
    let paused = TokenIsPaused {}.abi_encode();
    assert_eq!(
        token.sender(alice).wrap(ether(1)).motsu_unwrap_err(),
        Error::Callee(paused.clone())
    );
    assert_eq!(token.sender(alice).unwrap(ether(1)).motsu_unwrap_err(), Error::Callee(paused));
    pool.sender(alice).set_paused(false);
    // More than the holder's shares.
    let err = token.sender(alice).wrap(ether(5)).motsu_unwrap_err();
    let short = InsufficientShares { sender: alice, shares: ether(1), needed: ether(5) };
    assert_eq!(err, Error::Callee(short.abi_encode()));
    assert!(unlocked());
}

#[motsu::test]
fn ether_sent_to_the_token_is_staked_and_wrapped_for_the_sender(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    setup(&token, &pool, ether(3), ether(2), alice, U256::ZERO);
    alice.fund(ether(10));
    token.sender_and_value(alice, ether(3)).receive().motsu_unwrap();
    assert_eq!(token.sender(alice).balance_of(alice), ether(2));
    assert_eq!(token.sender(alice).total_supply(), ether(2));
    assert_eq!(pool.sender(alice).shares_of(token.address()), ether(2));
    assert_eq!(pool.sender(alice).get_total_pooled_ether(), ether(6));
    token.assert_emitted(&Transfer { from: Address::ZERO, to: alice, value: ether(2) });
    assert!(unlocked());
}

#[motsu::test]
fn ether_the_pool_refuses_is_refused(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    setup(&token, &pool, ether(1), ether(1), alice, U256::ZERO);
    let err = token.sender(alice).receive().motsu_unwrap_err();
    assert_eq!(err, Error::Callee(ZeroDeposit {}.abi_encode()));
    assert_eq!(token.sender(alice).total_supply(), U256::ZERO);
}

#[motsu::test]
fn a_mint_past_the_96_bit_supply_is_refused(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    let max = U256::from(MAX_SUPPLY);
    setup(&token, &pool, ether(1), ether(1), alice, max + u(1));
    token.sender(alice).wrap(max).motsu_unwrap();
    assert_eq!(token.sender(alice).total_supply(), max);
    let err = token.sender(alice).wrap(u(1)).motsu_unwrap_err();
    assert_eq!(err, Error::SupplyOverflow(SupplyOverflow {}));
    assert_eq!(token.sender(alice).total_supply(), max);
}

#[motsu::test]
fn a_pool_answer_without_data_is_refused(
    token: Contract<WrappedToken>,
    silent: Contract<SilentPoolMock>,
    alice: Address,
) {
    token.sender(alice).constructor(silent.address()).motsu_unwrap();
    let err = token.sender(alice).wrap(ether(1)).motsu_unwrap_err();
    assert_eq!(err, Error::InvalidPoolAnswer(InvalidPoolAnswer {}));
    let err = token.sender(alice).st_eth_per_token().motsu_unwrap_err();
    assert_eq!(err, Error::InvalidPoolAnswer(InvalidPoolAnswer {}));
}

#[motsu::test]
fn a_call_back_into_the_token_during_a_withdraw_is_refused(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    wrapped(&token, &pool, alice, ether(10));
    let again =
        crate::abi::IWrappedToken::withdrawCall { assets: ether(1), receiver: alice, owner: alice };
    pool.sender(alice)
        .set_reentry(token.address(), Bytes(alloy_sol_types::SolCall::abi_encode(&again)));
    token.sender(alice).withdraw(ether(2), alice, alice).motsu_unwrap();
    let (ok, answer) = pool.sender(alice).reentry();
    assert!(!ok);
    assert_eq!(answer.0, data(Error::ReentrantCall(ReentrantCall {})));
    assert_eq!(token.sender(alice).balance_of(alice), ether(8));
    assert!(unlocked());
}

#[motsu::test]
fn the_wsteth_views_are_the_pools_conversions(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    setup(&token, &pool, ether(3), ether(2), alice, U256::ZERO);
    let t = token.sender(alice);
    assert_eq!(t.st_eth_per_token().motsu_unwrap(), ether(3) / u(2));
    assert_eq!(t.tokens_per_st_eth().motsu_unwrap(), ether(2) / u(3));
    assert_eq!(t.get_st_eth_by_wst_eth(u(5)).motsu_unwrap(), u(7));
    assert_eq!(t.get_wst_eth_by_st_eth(u(5)).motsu_unwrap(), u(3));
}
