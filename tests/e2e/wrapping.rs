//! The pool's side of the wrapped token on the release wasm (`contracts/staking-pool/src/
//! wrapping.rs`), with an account standing in as "the wrapped token" (`setWrappedToken`; its
//! code answers any call, `stETH()` included, with an address, as the real token names its pool):
//! the setter's role and refusals, `wrapFrom` (only the token, no allowance, floor rounding),
//! `transferSharesWithRate` (ceil rounding), the rate both return, the token pause,
//! `getLastReport` across reports, and what a pull costs next to a transfer. The real wrapped
//! token's own tests are `tests/e2e/wrapped.rs`.
#![allow(missing_docs)]

use alloy_primitives::{address, Address, U256};
use protocol_tests::{
    abi::{IAccessManager, IStakingPool as P},
    deploy::{events, PoolReport},
    ether, Suite, ADMIN, ALICE, BOB, CAROL,
};
use staking_common::roles::{DEFAULT_ADMIN_ROLE, PAUSE_ROLE, RESUME_ROLE};
use staking_pool::abi::IStakingPool::{
    AccessDenied, ERC20InvalidReceiver, InsufficientShares, InvalidAddress, NotWrappedToken,
    TokenIsPaused, Transfer, TransferShares, WrappedTokenAlreadySet, WrappedTokenSet,
};

/// The account standing in for the wrapped token.
const TOKEN: Address = address!("00000000000000000000000000000000000077aa");

/// Consensus-layer ether no share was minted for (as after a report): a rate that is not 1:1.
const CL_BALANCE: u128 = 333_333_333_333_333_337;

/// EVM code answering every call with `answer` as a word: at TOKEN, the stand-in's `stETH()`.
fn answering(answer: Address) -> Vec<u8> {
    // PUSH20 answer, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN
    let mut code = vec![0x73];
    code.extend_from_slice(answer.as_slice());
    code.extend_from_slice(&[0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3]);
    code
}

/// The pool deployed, TOKEN's code naming it as its pool.
fn deployed() -> Suite {
    let mut s = Suite::deploy();
    let code = answering(s.pool);
    s.vm.set_code(TOKEN, &code);
    s
}

/// A suite with TOKEN as the wrapped token, ALICE holding `deposit`, and an uneven rate.
fn suite(deposit: U256) -> Suite {
    let mut s = deployed();
    s.ok(ADMIN, s.pool, U256::ZERO, &P::setWrappedTokenCall { token: TOKEN });
    s.deposit(ALICE, deposit);
    s.set_cl_balance(CL_BALANCE);
    s
}

/// `(E, S)`: total pooled ether and total shares, from the views.
fn rate(s: &mut Suite) -> (U256, U256) {
    let pool = s.pool;
    (s.view(pool, &P::getTotalPooledEtherCall {})._0, s.view(pool, &P::totalSharesCall {})._0)
}

/// `x * y / denominator` rounded down, or up: the model of the pool's rounding.
fn mul_div(x: U256, y: U256, denominator: U256, up: bool) -> U256 {
    let (quotient, rest) = (x * y).div_rem(denominator);
    if up && !rest.is_zero() {
        quotient + U256::from(1)
    } else {
        quotient
    }
}

#[test]
fn only_the_admin_sets_the_wrapped_token_and_only_once() {
    let mut s = deployed();
    let pool = s.pool;
    let call = P::setWrappedTokenCall { token: TOKEN };
    let e: AccessDenied = s.revert(CAROL, pool, U256::ZERO, &call);
    assert_eq!((e.caller, e.role), (CAROL, DEFAULT_ADMIN_ROLE));
    // Zero, the pool, an account without code, a token of another pool: `wrapFrom`'s power
    // goes only to a contract whose `stETH()` is this pool.
    let other = address!("00000000000000000000000000000000000077bb");
    s.vm.set_code(other, &answering(BOB));
    for token in [Address::ZERO, pool, BOB, other] {
        let e: InvalidAddress =
            s.revert(ADMIN, pool, U256::ZERO, &P::setWrappedTokenCall { token });
        assert_eq!(e, InvalidAddress {});
    }
    assert_eq!(s.view(pool, &P::wrappedTokenCall {})._0, Address::ZERO);
    let (_, r) = s.ok(ADMIN, pool, U256::ZERO, &call);
    assert_eq!(events::<WrappedTokenSet>(&r), vec![WrappedTokenSet { token: TOKEN }]);
    assert_eq!(s.view(pool, &P::wrappedTokenCall {})._0, TOKEN);
    for token in [BOB, TOKEN] {
        let e: WrappedTokenAlreadySet =
            s.revert(ADMIN, pool, U256::ZERO, &P::setWrappedTokenCall { token });
        assert_eq!(e, WrappedTokenAlreadySet { token: TOKEN });
    }
}

#[test]
fn wrap_from_pulls_a_holders_shares_for_the_token_alone_at_the_returned_rate() {
    let mut s = suite(ether(10));
    let pool = s.pool;
    let (e, s_total) = rate(&mut s);
    assert!(e > s_total, "an uneven rate");
    let amount = ether(3) + U256::from(7);
    let expected = s.view(pool, &P::getSharesByPooledEthCall { ethAmount: amount })._0;
    assert_eq!(expected, mul_div(amount, s_total, e, false));

    // Anyone but the token is refused, the holder included.
    for caller in [ALICE, BOB, ADMIN] {
        let e: NotWrappedToken = s.revert(
            caller,
            pool,
            U256::ZERO,
            &P::wrapFromCall { from: ALICE, amount, amountInShares: false },
        );
        assert_eq!(e, NotWrappedToken { caller });
    }
    let call = P::wrapFromCall { from: ALICE, amount, amountInShares: false };
    let (ret, r) = s.ok(TOKEN, pool, U256::ZERO, &call);
    assert_eq!((ret.shares, ret.totalPooledEther, ret.totalShares), (expected, e, s_total));
    let value = mul_div(expected, e, s_total, false);
    assert!(value <= amount, "the holder keeps the dust");
    assert_eq!(events::<Transfer>(&r), vec![Transfer { from: ALICE, to: TOKEN, value }]);
    assert_eq!(
        events::<TransferShares>(&r),
        vec![TransferShares { from: ALICE, to: TOKEN, sharesValue: expected }]
    );
    assert_eq!(s.shares_of(TOKEN), expected);
    assert_eq!(s.shares_of(ALICE), ether(10) - expected);
    let allowance = s.view(pool, &P::allowanceCall { owner: ALICE, spender: TOKEN })._0;
    assert_eq!(allowance, U256::ZERO, "no allowance was needed or written");
    assert_eq!(rate(&mut s), (e, s_total));

    // Exact shares, and more than the holder has.
    let call = P::wrapFromCall { from: ALICE, amount: U256::from(5), amountInShares: true };
    let (ret, _) = s.ok(TOKEN, pool, U256::ZERO, &call);
    assert_eq!(ret.shares, U256::from(5));
    let held = s.shares_of(ALICE);
    let call = P::wrapFromCall { from: ALICE, amount: held + U256::from(1), amountInShares: true };
    let err: InsufficientShares = s.revert(TOKEN, pool, U256::ZERO, &call);
    assert_eq!(
        err,
        InsufficientShares { sender: ALICE, shares: held, needed: held + U256::from(1) }
    );
}

#[test]
fn transfer_shares_with_rate_gives_the_receiver_at_least_the_amount() {
    let mut s = suite(ether(10));
    let pool = s.pool;
    let (e, s_total) = rate(&mut s);
    for amount in [U256::ZERO, U256::from(1), U256::from(2), ether(1) + U256::from(3)] {
        let before = s.balance_of(BOB);
        let call = P::transferSharesWithRateCall { to: BOB, amount, amountInShares: false };
        let (ret, r) = s.ok(ALICE, pool, U256::ZERO, &call);
        let shares = mul_div(amount, s_total, e, true);
        assert_eq!((ret.shares, ret.totalPooledEther, ret.totalShares), (shares, e, s_total));
        assert!(s.balance_of(BOB) - before >= amount, "{amount}: receiver short-changed");
        let value = mul_div(shares, e, s_total, false);
        assert_eq!(events::<Transfer>(&r), vec![Transfer { from: ALICE, to: BOB, value }]);
        assert_eq!(
            events::<TransferShares>(&r),
            vec![TransferShares { from: ALICE, to: BOB, sharesValue: shares }]
        );
    }
    let call =
        P::transferSharesWithRateCall { to: pool, amount: U256::from(1), amountInShares: true };
    let err: ERC20InvalidReceiver = s.revert(ALICE, pool, U256::ZERO, &call);
    assert_eq!(err, ERC20InvalidReceiver { receiver: pool });
}

#[test]
fn a_paused_token_refuses_pulls_and_rated_transfers() {
    let mut s = suite(ether(4));
    let (pool, manager) = (s.pool, s.manager);
    for role in [PAUSE_ROLE, RESUME_ROLE] {
        s.ok(ADMIN, manager, U256::ZERO, &IAccessManager::grantRoleCall { role, account: ADMIN });
    }
    s.ok(ADMIN, pool, U256::ZERO, &P::pauseTokenCall {});
    for in_shares in [true, false] {
        let wrap = P::wrapFromCall { from: ALICE, amount: ether(1), amountInShares: in_shares };
        let e: TokenIsPaused = s.revert(TOKEN, pool, U256::ZERO, &wrap);
        assert_eq!(e, TokenIsPaused {});
        let send =
            P::transferSharesWithRateCall { to: BOB, amount: ether(1), amountInShares: in_shares };
        let e: TokenIsPaused = s.revert(ALICE, pool, U256::ZERO, &send);
        assert_eq!(e, TokenIsPaused {});
    }
    assert_eq!(s.shares_of(ALICE), ether(4));
    s.ok(ADMIN, pool, U256::ZERO, &P::resumeTokenCall {});
    let wrap = P::wrapFromCall { from: ALICE, amount: ether(1), amountInShares: true };
    s.ok(TOKEN, pool, U256::ZERO, &wrap);
    assert_eq!(s.shares_of(TOKEN), ether(1));
}

#[test]
fn get_last_report_counts_applied_reports_and_their_timestamps() {
    let mut s = suite(ether(1));
    let pool = s.pool;
    let last = |s: &mut Suite| {
        let r = s.view(pool, &P::getLastReportCall {});
        (r.round, r.timestamp)
    };
    assert_eq!(last(&mut s), (U256::ZERO, U256::ZERO));
    for round in 1..=2u64 {
        s.vm.advance_time(86_400);
        let report = s.quiet_report();
        let at = U256::from(s.vm.timestamp() - 1);
        let r = s.handle_report(&PoolReport { report_timestamp: at, ..report });
        assert!(r.success, "report {round}: {:?}", r.status);
        assert_eq!(last(&mut s), (U256::from(round), at));
    }
    // A refused report (a timestamp not in the past) counts nothing.
    let report = s.quiet_report();
    let now = U256::from(s.vm.timestamp());
    assert!(!s.handle_report(&PoolReport { report_timestamp: now, ..report }).success);
    assert_eq!(last(&mut s).0, U256::from(2));
    assert_eq!(s.view(pool, &P::wrappedTokenCall {})._0, TOKEN, "reports keep the token");
}

/// What a pull by the token costs next to the transfers the gas report measures: a repeat
/// holder's wrapFrom from the stand-in account (programs cached, then not), printed.
#[test]
fn a_pull_costs_a_transfer_and_the_read_of_the_tokens_slot() {
    let mut s = suite(ether(10));
    let pool = s.pool;
    // Both holders hold shares already (a repeat holder, a repeat token).
    let pull = |amount| P::wrapFromCall { from: ALICE, amount, amountInShares: false };
    s.ok(TOKEN, pool, U256::ZERO, &pull(ether(1)));
    s.ok(ALICE, pool, U256::ZERO, &P::transferCall { to: BOB, amount: ether(1) });
    let mut measured = Vec::new();
    for cached in [true, false] {
        for program in [s.pool, s.pool_extension] {
            s.vm.set_cached(program, cached);
        }
        let (_, wrap) = s.ok(TOKEN, pool, U256::ZERO, &pull(ether(1)));
        let (_, transfer) =
            s.ok(ALICE, pool, U256::ZERO, &P::transferCall { to: BOB, amount: ether(1) });
        println!(
            "wrapFrom, repeat holder, {}: {} gas ({:?}); transfer to an existing holder: {} gas",
            if cached { "cached" } else { "uncached" },
            wrap.gas_used,
            wrap.breakdown,
            transfer.gas_used
        );
        measured.push((wrap, transfer));
    }
    let (wrap, transfer) = &measured[0];
    // The pull writes what the transfer writes; it reads slot 20 besides (one cold read, 2,100,
    // and the host's few gas for one more slot), and its calldata is a word longer.
    let extra = wrap.breakdown.storage - transfer.breakdown.storage;
    assert!((2_100..2_200).contains(&extra), "the pull's storage over the transfer's: {extra}");
    assert_eq!(wrap.breakdown.logs, transfer.breakdown.logs);
    assert!(wrap.gas_used < transfer.gas_used + 2_100 + 1_000);
}
