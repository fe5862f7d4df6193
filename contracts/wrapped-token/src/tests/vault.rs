//! ERC-4626: conversions and previews in the standard's rounding directions, the four actions
//! against their previews, spenders, the max* views, and every refusal.

use super::*;
use crate::{errors::*, events::*};

/// ceil(a * b / c).
fn ceil(a: U256, b: U256, c: U256) -> U256 {
    (a * b).div_ceil(c)
}

#[motsu::test]
fn conversions_round_down_and_previews_round_against_the_caller(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    // E / S = 7 / 3: nothing divides evenly.
    let (e, s) = (u(7_000_000_000_000_000_001), u(3_000_000_000_000_000_000));
    setup(&token, &pool, e, s, alice, U256::ZERO);
    let t = token.sender(alice);
    for x in [u(1), u(2), u(10), u(12_345_678_901), ether(5)] {
        assert_eq!(t.convert_to_shares(x).motsu_unwrap(), x * s / e);
        assert_eq!(t.convert_to_assets(x).motsu_unwrap(), x * e / s);
        assert_eq!(t.preview_deposit(x).motsu_unwrap(), x * s / e);
        assert_eq!(t.preview_mint(x).motsu_unwrap(), ceil(x, e, s));
        assert_eq!(t.preview_withdraw(x).motsu_unwrap(), ceil(x, s, e));
        assert_eq!(t.preview_redeem(x).motsu_unwrap(), x * e / s);
    }
    assert_eq!(t.preview_mint(u(1)).motsu_unwrap(), u(3));
    assert_eq!(t.preview_withdraw(u(1)).motsu_unwrap(), u(1));
    assert_eq!(t.preview_deposit(u(2)).motsu_unwrap(), U256::ZERO);
}

#[motsu::test]
fn deposit_and_mint_mint_their_previews_to_the_receiver_and_log_deposit(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
    bob: Address,
) {
    let (e, s) = (u(7_000_000_000_000_000_001), u(3_000_000_000_000_000_000));
    setup(&token, &pool, e, s, alice, ether(100));
    let preview = token.sender(alice).preview_deposit(ether(10)).motsu_unwrap();
    let shares = token.sender(alice).deposit(ether(10), bob).motsu_unwrap();
    assert_eq!(shares, preview);
    assert_eq!(token.sender(alice).balance_of(bob), shares);
    token.assert_emitted(&Deposit { sender: alice, owner: bob, assets: ether(10), shares });
    token.assert_emitted(&Transfer { from: Address::ZERO, to: bob, value: shares });

    let preview = token.sender(alice).preview_mint(ether(2)).motsu_unwrap();
    let assets = token.sender(alice).mint(ether(2), bob).motsu_unwrap();
    assert_eq!(assets, preview);
    assert_eq!(assets, ceil(ether(2), e, s));
    assert_eq!(token.sender(alice).balance_of(bob), shares + ether(2));
    assert_eq!(pool.sender(alice).shares_of(alice), ether(100) - shares - ether(2));
    token.assert_emitted(&Deposit { sender: alice, owner: bob, assets, shares: ether(2) });
    assert!(unlocked());
}

#[motsu::test]
fn withdraw_and_redeem_burn_and_send_their_previews_and_log_withdraw(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
    bob: Address,
) {
    wrapped(&token, &pool, alice, ether(10));
    let (e, s) = (u(7_000_000_000_000_000_001), u(3_000_000_000_000_000_000));
    pool.sender(alice).set_rate(e, s);

    let preview = token.sender(alice).preview_withdraw(ether(1)).motsu_unwrap();
    let shares = token.sender(alice).withdraw(ether(1), bob, alice).motsu_unwrap();
    assert_eq!(shares, preview);
    assert_eq!(pool.sender(alice).shares_of(bob), shares);
    assert!(shares * e / s >= ether(1), "the receiver gets at least the assets");
    token.assert_emitted(&Withdraw {
        sender: alice,
        receiver: bob,
        owner: alice,
        assets: ether(1),
        shares,
    });
    token.assert_emitted(&Transfer { from: alice, to: Address::ZERO, value: shares });

    let preview = token.sender(alice).preview_redeem(ether(2)).motsu_unwrap();
    let assets = token.sender(alice).redeem(ether(2), bob, alice).motsu_unwrap();
    assert_eq!(assets, preview);
    assert_eq!(pool.sender(alice).shares_of(bob), shares + ether(2));
    assert_eq!(token.sender(alice).balance_of(alice), ether(10) - shares - ether(2));
    assert_eq!(token.sender(alice).total_supply(), ether(10) - shares - ether(2));
    token.assert_emitted(&Withdraw {
        sender: alice,
        receiver: bob,
        owner: alice,
        assets,
        shares: ether(2),
    });
    assert!(unlocked());
}

#[motsu::test]
fn a_spender_withdraws_and_redeems_within_its_allowance_only(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
    bob: Address,
) {
    wrapped(&token, &pool, alice, ether(10));
    token.sender(alice).approve(bob, ether(3)).motsu_unwrap();
    token.sender(bob).redeem(ether(2), bob, alice).motsu_unwrap();
    assert_eq!(token.sender(bob).allowance(alice, bob), ether(1));
    token.assert_emitted(&Withdraw {
        sender: bob,
        receiver: bob,
        owner: alice,
        assets: ether(2),
        shares: ether(2),
    });
    let err = token.sender(bob).redeem(ether(2), bob, alice).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::ERC20InsufficientAllowance(ERC20InsufficientAllowance {
            spender: bob,
            allowance: ether(1),
            needed: ether(2),
        })
    );
    let err = token.sender(bob).withdraw(ether(2), bob, alice).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::ERC20InsufficientAllowance(ERC20InsufficientAllowance {
            spender: bob,
            allowance: ether(1),
            needed: ether(2),
        })
    );
    token.sender(bob).withdraw(ether(1), bob, alice).motsu_unwrap();
    assert_eq!(token.sender(bob).allowance(alice, bob), U256::ZERO);
    assert_eq!(pool.sender(bob).shares_of(bob), ether(3));
}

#[motsu::test]
fn withdrawing_or_redeeming_more_than_the_owner_holds_is_refused(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    wrapped(&token, &pool, alice, ether(1));
    pool.sender(alice).give(token.address(), ether(5));
    let short = Error::ERC20InsufficientBalance(ERC20InsufficientBalance {
        sender: alice,
        balance: ether(1),
        needed: ether(2),
    });
    assert_eq!(token.sender(alice).redeem(ether(2), alice, alice).motsu_unwrap_err(), short);
    assert_eq!(token.sender(alice).withdraw(ether(2), alice, alice).motsu_unwrap_err(), short);
}

#[motsu::test]
fn the_max_views_follow_the_stake_limit_and_the_token_pause(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    wrapped(&token, &pool, alice, ether(6));
    pool.sender(alice).set_rate(ether(3), ether(2));
    pool.sender(alice).set_stake_limit(U256::MAX);
    let t = token.sender(alice);
    assert_eq!(t.max_deposit(alice).motsu_unwrap(), U256::MAX);
    assert_eq!(t.max_mint(alice).motsu_unwrap(), U256::MAX);
    assert_eq!(t.max_redeem(alice).motsu_unwrap(), ether(6));
    assert_eq!(t.max_withdraw(alice).motsu_unwrap(), ether(9));
    pool.sender(alice).set_stake_limit(ether(10));
    assert_eq!(token.sender(alice).max_deposit(alice).motsu_unwrap(), ether(10));
    assert_eq!(token.sender(alice).max_mint(alice).motsu_unwrap(), ether(20) / u(3));
    pool.sender(alice).set_paused(true);
    let t = token.sender(alice);
    assert_eq!(t.max_deposit(alice).motsu_unwrap(), U256::ZERO);
    assert_eq!(t.max_mint(alice).motsu_unwrap(), U256::ZERO);
    assert_eq!(t.max_redeem(alice).motsu_unwrap(), U256::ZERO);
    assert_eq!(t.max_withdraw(alice).motsu_unwrap(), U256::ZERO);
}

#[motsu::test]
fn total_assets_is_the_value_of_the_supply_not_of_donations(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    wrapped(&token, &pool, alice, ether(4));
    pool.sender(alice).give(token.address(), ether(100));
    pool.sender(alice).set_rate(ether(3), ether(2));
    assert_eq!(token.sender(alice).total_assets().motsu_unwrap(), ether(6));
    assert_eq!(token.sender(alice).total_supply(), ether(4));
}

#[motsu::test]
fn a_conversion_that_does_not_fit_256_bits_is_refused(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    setup(&token, &pool, ether(1), ether(2), alice, U256::ZERO);
    let err = token.sender(alice).convert_to_shares(U256::MAX).motsu_unwrap_err();
    assert_eq!(err, Error::MathOverflow(MathOverflow {}));
    let err = token.sender(alice).preview_withdraw(U256::MAX).motsu_unwrap_err();
    assert_eq!(err, Error::MathOverflow(MathOverflow {}));
}

#[motsu::test]
fn deposit_and_mint_to_the_zero_address_are_refused(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    setup(&token, &pool, ether(7), ether(3), alice, ether(100));
    let refused = Error::ERC20InvalidReceiver(ERC20InvalidReceiver { receiver: Address::ZERO });
    assert_eq!(token.sender(alice).deposit(ether(1), Address::ZERO).motsu_unwrap_err(), refused);
    assert_eq!(token.sender(alice).mint(ether(1), Address::ZERO).motsu_unwrap_err(), refused);
    assert_eq!(token.sender(alice).total_supply(), U256::ZERO);
}
