//! The ERC-20 core: transfers, allowances, metadata, and every refusal.

use super::*;
use crate::{errors::*, events::*};

#[motsu::test]
fn metadata_is_the_wrapped_tokens(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    setup(&token, &pool, ETHER, ETHER, alice, U256::ZERO);
    let t = token.sender(alice);
    assert_eq!(t.name(), "Wrapped Stylus Staked Ether");
    assert_eq!(t.symbol(), "wsETH");
    assert_eq!(t.decimals(), 18);
    assert_eq!(t.total_supply(), U256::ZERO);
    assert_eq!(t.st_eth(), pool.address());
    assert_eq!(t.asset(), pool.address());
}

#[motsu::test]
fn a_transfer_moves_units_and_logs_it(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
    bob: Address,
) {
    wrapped(&token, &pool, alice, ether(5));
    assert!(token.sender(alice).transfer(bob, ether(2)).motsu_unwrap());
    assert_eq!(token.sender(alice).balance_of(alice), ether(3));
    assert_eq!(token.sender(alice).balance_of(bob), ether(2));
    assert_eq!(token.sender(alice).total_supply(), ether(5));
    token.assert_emitted(&Transfer { from: alice, to: bob, value: ether(2) });
}

#[motsu::test]
fn a_transfer_to_oneself_keeps_the_balance(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    wrapped(&token, &pool, alice, ether(5));
    assert!(token.sender(alice).transfer(alice, ether(5)).motsu_unwrap());
    assert_eq!(token.sender(alice).balance_of(alice), ether(5));
}

#[motsu::test]
fn a_transfer_to_the_zero_address_or_beyond_the_balance_is_refused(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
    bob: Address,
) {
    wrapped(&token, &pool, alice, ether(5));
    let err = token.sender(alice).transfer(Address::ZERO, ether(1)).motsu_unwrap_err();
    assert_eq!(err, Error::ERC20InvalidReceiver(ERC20InvalidReceiver { receiver: Address::ZERO }));
    let err = token.sender(alice).transfer(bob, ether(5) + U256::from(1)).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::ERC20InsufficientBalance(ERC20InsufficientBalance {
            sender: alice,
            balance: ether(5),
            needed: ether(5) + U256::from(1),
        })
    );
    assert_eq!(token.sender(alice).balance_of(alice), ether(5));
    assert_eq!(token.sender(alice).balance_of(bob), U256::ZERO);
}

#[motsu::test]
fn approve_sets_the_allowance_and_transfer_from_spends_it(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
    bob: Address,
    carol: Address,
) {
    wrapped(&token, &pool, alice, ether(5));
    assert!(token.sender(alice).approve(bob, ether(3)).motsu_unwrap());
    token.assert_emitted(&Approval { owner: alice, spender: bob, value: ether(3) });
    assert_eq!(token.sender(bob).allowance(alice, bob), ether(3));
    assert!(token.sender(bob).transfer_from(alice, carol, ether(2)).motsu_unwrap());
    assert_eq!(token.sender(bob).allowance(alice, bob), ether(1));
    assert_eq!(token.sender(bob).balance_of(carol), ether(2));
    token.assert_emitted(&Transfer { from: alice, to: carol, value: ether(2) });

    let err = token.sender(bob).transfer_from(alice, carol, ether(2)).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::ERC20InsufficientAllowance(ERC20InsufficientAllowance {
            spender: bob,
            allowance: ether(1),
            needed: ether(2),
        })
    );
    assert_eq!(token.sender(bob).balance_of(alice), ether(3));
}

#[motsu::test]
fn an_infinite_allowance_is_never_decreased(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
    bob: Address,
) {
    wrapped(&token, &pool, alice, ether(5));
    token.sender(alice).approve(bob, U256::MAX).motsu_unwrap();
    token.sender(bob).transfer_from(alice, bob, ether(4)).motsu_unwrap();
    assert_eq!(token.sender(bob).allowance(alice, bob), U256::MAX);
    assert_eq!(token.sender(bob).balance_of(bob), ether(4));
}

#[motsu::test]
fn approving_the_zero_address_is_refused(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    wrapped(&token, &pool, alice, ether(1));
    let err = token.sender(alice).approve(Address::ZERO, ether(1)).motsu_unwrap_err();
    assert_eq!(err, Error::ERC20InvalidSpender(ERC20InvalidSpender { spender: Address::ZERO }));
}

#[motsu::test]
fn transfer_from_beyond_the_owners_balance_is_refused(
    token: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
    bob: Address,
) {
    wrapped(&token, &pool, alice, ether(1));
    token.sender(alice).approve(bob, ether(10)).motsu_unwrap();
    let err = token.sender(bob).transfer_from(alice, bob, ether(2)).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::ERC20InsufficientBalance(ERC20InsufficientBalance {
            sender: alice,
            balance: ether(1),
            needed: ether(2),
        })
    );
}

#[motsu::test]
fn the_constructor_runs_once_and_refuses_the_zero_pool(
    token: Contract<WrappedToken>,
    other: Contract<WrappedToken>,
    pool: Contract<PoolMock>,
    alice: Address,
) {
    let err = other.sender(alice).constructor(Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, Error::InvalidPool(InvalidPool {}));
    token.sender(alice).constructor(pool.address()).motsu_unwrap();
    let err = token.sender(alice).constructor(alice).motsu_unwrap_err();
    assert_eq!(err, Error::AlreadyInitialized(AlreadyInitialized {}));
    assert_eq!(token.sender(alice).st_eth(), pool.address());
}
