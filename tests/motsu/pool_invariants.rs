//! Property test: no sequence of deposits and transfers breaks the pool's accounting.
//!
//! A handler performs random valid and invalid actions (deposits of 0..=2^70 wei, transfers by
//! amount and by shares, approvals and `transferFrom`, including amounts above the balance),
//! keeps ghost totals beside the pool, and after every step checks:
//!
//! - the sum of all share balances (the bootstrap holder included) equals `totalShares`;
//! - the sum of all balances never exceeds `totalSupply` (total pooled ether);
//! - total shares change only on a successful deposit, by exactly the shares it minted;
//! - the pool's ether balance equals the buffered ether (nothing leaves, nothing is lost);
//! - a failed action changes nothing.
#![allow(missing_docs, clippy::needless_pass_by_value)]

use alloy_primitives::{Address, U256};
use motsu::prelude::*;
use proptest::prelude::*;
use protocol_tests::fuzz;
use staking_pool::{StakingPool, DEAD_ADDRESS};

#[derive(Debug, Clone)]
enum Action {
    Deposit { who: usize, amount: u128 },
    Transfer { from: usize, to: usize, amount: u128 },
    TransferShares { from: usize, to: usize, shares: u128 },
    Approve { owner: usize, spender: usize, amount: u128 },
    TransferFrom { spender: usize, from: usize, to: usize, amount: u128 },
}

const USERS: usize = 4;

fn amount() -> impl Strategy<Value = u128> {
    prop_oneof![0u128..=3, 0u128..=1_000_000, 0u128..=(1u128 << 70)]
}

fn action() -> impl Strategy<Value = Action> {
    let u = 0..USERS;
    prop_oneof![
        (u.clone(), amount()).prop_map(|(who, amount)| Action::Deposit { who, amount }),
        (u.clone(), u.clone(), amount()).prop_map(|(from, to, amount)| Action::Transfer {
            from,
            to,
            amount
        }),
        (u.clone(), u.clone(), amount()).prop_map(|(from, to, shares)| Action::TransferShares {
            from,
            to,
            shares
        }),
        (u.clone(), u.clone(), amount()).prop_map(|(owner, spender, amount)| Action::Approve {
            owner,
            spender,
            amount
        }),
        (u.clone(), u.clone(), u, amount()).prop_map(|(spender, from, to, amount)| {
            Action::TransferFrom { spender, from, to, amount }
        }),
    ]
}

struct Snapshot {
    shares: Vec<U256>,
    total_shares: U256,
    total_supply: U256,
    buffered: U256,
}

fn snapshot(pool: &Contract<StakingPool>, users: &[Address]) -> Snapshot {
    let p = pool.sender(users[0]);
    let mut shares: Vec<U256> = users.iter().map(|u| p.shares_of(*u)).collect();
    shares.push(p.shares_of(DEAD_ADDRESS));
    Snapshot {
        shares,
        total_shares: p.total_shares(),
        total_supply: p.total_supply().motsu_unwrap(),
        buffered: p.get_buffered_ether(),
    }
}

fn check_identities(pool: &Contract<StakingPool>, users: &[Address]) {
    let s = snapshot(pool, users);
    let sum_shares = s.shares.iter().fold(U256::ZERO, |a, b| a + b);
    assert_eq!(sum_shares, s.total_shares, "sum of shares != total shares");
    let p = pool.sender(users[0]);
    let mut sum_balances = p.balance_of(DEAD_ADDRESS).motsu_unwrap();
    for u in users {
        sum_balances += p.balance_of(*u).motsu_unwrap();
    }
    assert!(sum_balances <= s.total_supply, "balances exceed pooled ether");
    assert_eq!(pool.balance(), s.buffered, "pool balance != buffered ether");
}

fn run(actions: Vec<Action>) {
    let pool = Contract::<StakingPool>::new();
    let admin = Address::with_last_byte(0xad);
    let manager = Address::with_last_byte(0xaa);
    let users: Vec<Address> =
        (1..=USERS).map(|i| Address::with_last_byte(u8::try_from(i).unwrap())).collect();
    admin.fund(U256::from(1_000_000_000u64));
    pool.sender_and_value(admin, U256::from(1_000_000_000u64))
        .constructor(
            manager,
            Address::with_last_byte(0xe7),
            U256::ZERO,
            U256::ZERO,
            Address::with_last_byte(0x9e),
        )
        .motsu_unwrap();
    check_identities(&pool, &users);

    for action in actions {
        let before = snapshot(&pool, &users);
        let mut minted = None;
        let ok = match action {
            Action::Deposit { who, amount } => {
                let amount = U256::from(amount);
                users[who].fund(amount);
                let r =
                    pool.sender_and_value(users[who], amount).deposit(Address::ZERO).motsu_res();
                if let Ok(shares) = &r {
                    minted = Some(*shares);
                }
                r.is_ok()
            }
            Action::Transfer { from, to, amount } => {
                pool.sender(users[from]).transfer(users[to], U256::from(amount)).motsu_res().is_ok()
            }
            Action::TransferShares { from, to, shares } => pool
                .sender(users[from])
                .transfer_shares(users[to], U256::from(shares))
                .motsu_res()
                .is_ok(),
            Action::Approve { owner, spender, amount } => pool
                .sender(users[owner])
                .approve(users[spender], U256::from(amount))
                .motsu_res()
                .is_ok(),
            Action::TransferFrom { spender, from, to, amount } => pool
                .sender(users[spender])
                .transfer_from(users[from], users[to], U256::from(amount))
                .motsu_res()
                .is_ok(),
        };
        let after = snapshot(&pool, &users);
        match minted {
            Some(shares) => assert_eq!(after.total_shares, before.total_shares + shares),
            None => {
                assert_eq!(
                    after.total_shares, before.total_shares,
                    "shares changed without a mint"
                );
            }
        }
        if !ok {
            assert_eq!(after.shares, before.shares, "a failed action moved shares");
            assert_eq!(after.total_supply, before.total_supply);
            assert_eq!(after.buffered, before.buffered);
        }
        check_identities(&pool, &users);
    }
}

/// Short mode: 64 sequences (CI); `scripts/fuzz` runs 10,000 (`protocol_tests::fuzz`).
const SUITE: fuzz::Suite =
    fuzz::Suite { name: "pool_invariants", test: "pool_invariants", short: 64 };

#[test]
fn no_sequence_of_deposits_and_transfers_breaks_the_accounting() {
    fuzz::run(SUITE, || proptest::collection::vec(action(), 1..40), run);
}
