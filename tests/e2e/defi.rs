//! Real DeFi code no one here wrote, on the L2 world's EVM beside the release wasm
//! (`protocol_tests::defi`: Uniswap V2's factory, pair and Router02 with WETH9, and Safe 1.5.0,
//! compiled from the npm registry by `scripts/evm-build`).
//!
//! - Why the wrapped token exists: the rebasing receipt token itself in a Uniswap V2 pair with
//!   WETH. A positive rebase raises the pair's balance above its reserves and `skim` hands the
//!   difference to whoever calls it first; a loss leaves the balance below the reserves, every
//!   quoted swap reverts with `UniswapV2: K`, and `sync` moves the pair's price of the token
//!   *up* while the token's worth went down, so arbitrage takes the LPs' WETH.
//! - The wrapped token in a pair with WETH: add, swap both ways, remove, across rebases and a
//!   slashing; the reserves are the balances to the wei, `skim` pays nothing, the LP's ether
//!   value moves with the share rate on the token side only. The swaps' gas is printed
//!   (`--nocapture`).
//! - Safe (`SafeL2` behind a proxy, `CompatibilityFallbackHandler`): a 2-of-3 Safe answering
//!   EIP-1271 only for two owners' signatures; executing `deposit`, `approve` and
//!   `requestWithdrawals` through `execTransaction`; signing the pool's permit (the `bytes
//!   signature` form, relayed by anyone) and requesting with `requestWithdrawalsWithPermit`,
//!   its own 65-byte permit failing inside and the allowance paying; a Safe needing one
//!   signature carrying it in the `(v, r, s)` permit of `requestWithdrawalsWithPermit` and of
//!   `requestWithdrawalsWstETHWithPermit` (the wrapped token's permit), in one transaction.
#![allow(missing_docs, clippy::too_many_lines)]

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{Revert, SolCall, SolError, SolValue};
use protocol_tests::{
    abi::{IStakingPool as P, IWithdrawalQueue as Q, IWrappedToken as W},
    defi::{
        balance_of, ISafe, IUniswapV2Pair as Pair, IUniswapV2Router02 as Router, Key,
        SafeContracts, Uniswap, EIP1271_MAGIC_VALUE, IERC20,
    },
    deploy::{events_from, PoolReport},
    ether,
    validators::Validators,
    Suite, ALICE, BOB, CAROL, DAVE,
};
use staking_math::{ether_for_shares, shares_for_ether, Rounding};
use stylus_vm::Receipt;

const DAY: u64 = 86_400;
/// The four validators of [`staked`], in wei.
const FOUR: u128 = 4 * 32_000_000_000_000_000_000;

fn ok(r: &Receipt) {
    assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
}

/// The `Error(string)` reason a reverted receipt carries.
fn reason(r: &Receipt) -> String {
    assert!(!r.success, "should have reverted");
    Revert::abi_decode(&r.output, true)
        .unwrap_or_else(|e| {
            panic!("0x{} is not Error(string): {e}", alloy_primitives::hex::encode(&r.output))
        })
        .reason
}

/// `amount` ether as a fraction: `num / den` ether.
fn frac(num: u64, den: u64) -> U256 {
    ether(num) / U256::from(den)
}

/// A report of the 4 validators with `cl_balance` and `el` of EL rewards (credited to the
/// pool first), under Lido's sanity limits, a day after the previous one.
fn report(s: &mut Suite, cl_balance: U256, el: U256) -> Receipt {
    s.vm.advance_time(DAY);
    s.credit_pool(el);
    let limits = B256::from(staking_math::sanity::Limits::LIDO.pack());
    let r = s.handle_report(&PoolReport {
        cl_validators: U256::from(4),
        cl_balance,
        el_rewards: el,
        limits,
        ..PoolReport::default()
    });
    ok(&r);
    r
}

/// The pool's totals (pooled ether, shares).
fn totals(s: &mut Suite) -> (U256, U256) {
    let pooled = s.view(s.pool, &P::getTotalPooledEtherCall {})._0;
    let shares = s.view(s.pool, &P::totalSharesCall {})._0;
    (pooled, shares)
}

/// The suite with the registry, 4 validators deposited and reported at exactly their deposits
/// (ALICE's 200 and BOB's 20 ether in the pool, the share rate 1), [`REPORTER`] as the oracle,
/// and Uniswap V2 deployed by DAVE.
fn staked() -> (Suite, Uniswap) {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, 6);
    v.onboard(&mut s, 2, 4);
    s.deposit(ALICE, ether(200));
    s.deposit(BOB, ether(20));
    ok(&v.deposit(&mut s, 4));
    s.set_reporter();
    report(&mut s, U256::from(FOUR), U256::ZERO);
    let uni = Uniswap::deploy(&mut s, DAVE);
    (s, uni)
}

// ------------------------------------------------------------ the rebasing token in a pair

#[test]
fn the_rebasing_token_in_a_uniswap_pair_loses_its_rebase_to_skim_and_breaks_swaps_after_a_loss() {
    let (mut s, uni) = staked();
    let (pool, weth) = (s.pool, uni.weth);
    let pair = uni.create_pair(&mut s, DAVE, pool, weth);
    for who in [ALICE, BOB] {
        uni.wrap_ether(&mut s, who, ether(20));
    }
    // ALICE provides 10 receipt tokens and 10 WETH at the share rate 1.
    let r = uni.add_liquidity(&mut s, ALICE, (pool, ether(10)), (weth, ether(10)));
    ok(&r);
    let before = uni.reserves(&mut s, pool, weth);
    assert_eq!((before.a, before.b), (ether(10), ether(10)));
    assert_eq!(balance_of(&mut s, pool, pair), before.a);
    let pair_shares = s.shares_of(pair);
    assert_eq!(pair_shares, ether(10));

    // A positive rebase: 0.1 ether of EL rewards. The pair's balance grows, its reserves do not.
    report(&mut s, U256::from(FOUR), frac(1, 10));
    let (pooled, shares) = totals(&mut s);
    let grown = balance_of(&mut s, pool, pair);
    assert_eq!(grown, ether_for_shares(pair_shares, shares, pooled, Rounding::Down).unwrap());
    assert!(grown > before.a);
    assert_eq!(uni.reserves(&mut s, pool, weth), before);
    let rebase = grown - before.a;

    // CAROL, who never provided anything, skims the whole rebase.
    let r = s.send(CAROL, pair, U256::ZERO, &Pair::skimCall { to: CAROL });
    ok(&r);
    let moved = events_from::<IERC20::Transfer>(&r, pool);
    assert_eq!(moved.len(), 1);
    assert_eq!((moved[0].from, moved[0].to, moved[0].value), (pair, CAROL, rebase));
    // The pool moves ceil(rebase / rate) shares, as for any transfer of an ether amount.
    let taken = shares_for_ether(rebase, pooled, shares, Rounding::Up).unwrap();
    assert_eq!(s.shares_of(CAROL), taken);
    assert_eq!(
        s.balance_of(CAROL),
        ether_for_shares(taken, shares, pooled, Rounding::Down).unwrap()
    );
    assert!(s.balance_of(CAROL) >= rebase);
    assert_eq!(s.shares_of(pair), pair_shares - taken);
    // The pair keeps its reserves (no Sync), and the rounding up of the shares moved may leave
    // its balance a wei below them.
    assert!(events_from::<Pair::Sync>(&r, pair).is_empty());
    assert_eq!(uni.reserves(&mut s, pool, weth), before);
    let left = balance_of(&mut s, pool, pair);
    assert_eq!(
        left,
        ether_for_shares(pair_shares - taken, shares, pooled, Rounding::Down).unwrap()
    );
    assert!(left <= before.a && before.a - left <= U256::from(1), "left {left}");
    println!("skim: CAROL took {rebase} wei of the rebase; the pair holds {left} against a reserve of {}", before.a);
    // Realign reserves and balance (a wei at most) so the loss below is the only difference.
    ok(&s.send(CAROL, pair, U256::ZERO, &Pair::syncCall {}));
    let before = uni.reserves(&mut s, pool, weth);
    assert_eq!(before.a, left);

    // A loss: the validators lose 2 ether (1.6%, within the 5% limit). The pair's balance
    // falls below its reserves.
    report(&mut s, U256::from(FOUR) - ether(2), U256::ZERO);
    let short = balance_of(&mut s, pool, pair);
    assert!(short < before.a);
    let loss = before.a - short;
    println!("loss: the pair's balance is {loss} wei below its reserve");

    // Every swap the router quotes from the reserves now fails the pair's K check, both ways.
    let buy = uni.swap_exact_in(&mut s, BOB, &[weth, pool], frac(1, 10), U256::ZERO);
    assert_eq!(reason(&buy), "UniswapV2: K");
    let sell = uni.swap_exact_in(&mut s, BOB, &[pool, weth], ether(1), U256::ZERO);
    assert_eq!(reason(&sell), "UniswapV2: K");
    // A sale smaller than the shortfall counts as no input at all.
    let small = uni.swap_exact_in(&mut s, BOB, &[pool, weth], loss / U256::from(2), U256::ZERO);
    assert_eq!(reason(&small), "UniswapV2: INSUFFICIENT_INPUT_AMOUNT");
    assert_eq!(uni.reserves(&mut s, pool, weth), before);

    // `sync` (anyone) writes the balance into the reserves: the pair now prices the token
    // higher in WETH than before the loss, while each token is worth the same ether (its
    // balance is in ether) and the share rate fell.
    let rate_before_sync = s.share_rate();
    let r = s.send(DAVE, pair, U256::ZERO, &Pair::syncCall {});
    ok(&r);
    let after = uni.reserves(&mut s, pool, weth);
    assert_eq!((after.a, after.b), (short, before.b));
    assert_eq!(events_from::<Pair::Sync>(&r, pair).len(), 1);
    // price = WETH per token: after.b / after.a > before.b / before.a.
    assert!(after.b * before.a > before.b * after.a, "the price of the token went up");
    assert_eq!(s.share_rate(), rate_before_sync);

    // So BOB sells receipt tokens worth x ether and gets more than x WETH: the LPs pay the
    // arbitrage on top of the slashing.
    let x = frac(2, 100);
    let quoted = uni.amounts_out(&mut s, x, &[pool, weth]);
    let weth_before = balance_of(&mut s, weth, BOB);
    let r = uni.swap_exact_in(&mut s, BOB, &[pool, weth], x, U256::ZERO);
    ok(&r);
    let got = balance_of(&mut s, weth, BOB) - weth_before;
    assert_eq!(got, quoted[1]);
    assert!(got > x, "{got} WETH for {x} wei of receipt tokens");
    println!("arbitrage after sync: {x} wei of receipt tokens sold for {got} wei of WETH");
}

// ----------------------------------------------------------------------------------- Safe

/// Owner `n` of the Safes below.
fn owner(n: u64) -> Key {
    Key::seeded(b"safe owner", n)
}

/// The Safe contracts (deployed by DAVE) and a 2-of-3 Safe of owners 1, 2 and 3.
fn two_of_three(s: &mut Suite) -> (SafeContracts, protocol_tests::defi::Safe) {
    let contracts = SafeContracts::deploy(s, DAVE);
    let safe = contracts.create_safe(s, DAVE, vec![owner(1), owner(2), owner(3)], 2, 0);
    (contracts, safe)
}

#[test]
fn a_two_of_three_safe_answers_eip_1271_for_two_owners_signatures_only() {
    let mut s = Suite::deploy();
    let (_, safe) = two_of_three(&mut s);
    let version = s.view(safe.address, &ISafe::VERSIONCall {})._0;
    assert_eq!(version, "1.5.0");
    let digest = keccak256("a digest a contract asks the Safe about");
    for signers in [[0, 1], [0, 2], [1, 2]] {
        let signature = safe.sign_message(&mut s, digest, &signers);
        assert_eq!(signature.len(), 130);
        assert_eq!(safe.is_valid_signature(&mut s, digest, &signature), Some(EIP1271_MAGIC_VALUE));
    }
    // One owner is not enough; the owners' order matters; the raw digest is not what they
    // sign; a stranger's key is refused; another digest is refused.
    let one = safe.sign_message(&mut s, digest, &[1]);
    assert_eq!(safe.is_valid_signature(&mut s, digest, &one), None);
    let hash = safe.message_hash(s.vm.chain_id(), digest);
    let reversed: Bytes = [safe.owners[1].sign(hash), safe.owners[0].sign(hash)].concat().into();
    assert_eq!(safe.is_valid_signature(&mut s, digest, &reversed), None);
    let raw = safe.sign(digest, &[0, 1]);
    assert_eq!(safe.is_valid_signature(&mut s, digest, &raw), None);
    let stranger: Bytes = [safe.owners[0].sign(hash), owner(4).sign(hash)].concat().into();
    assert_eq!(safe.is_valid_signature(&mut s, digest, &stranger), None);
    let two = safe.sign_message(&mut s, digest, &[0, 1]);
    assert_eq!(safe.is_valid_signature(&mut s, keccak256("another"), &two), None);
}

#[test]
fn a_safe_stakes_approves_the_queue_and_requests_a_withdrawal_through_exec_transaction() {
    let mut s = Suite::deploy();
    let (_, safe) = two_of_three(&mut s);
    let (pool, queue) = (s.pool, s.queue);
    // ALICE funds the Safe with 20 ether (its receive()).
    ok(&s.vm.call(ALICE, safe.address, ether(20), &[]));
    assert_eq!(s.vm.balance(safe.address), ether(20));

    // Owners 1 and 3 have the Safe stake 10 ether; owner 2 sends the transaction.
    let deposit = P::depositCall { referral: Address::ZERO }.abi_encode();
    let r = safe.exec(&mut s, safe.owners[1].address, (pool, ether(10), &deposit), &[0, 2]);
    ok(&r);
    assert_eq!(events_from::<ISafe::ExecutionSuccess>(&r, safe.address).len(), 1);
    assert_eq!(s.balance_of(safe.address), ether(10));
    assert_eq!(s.vm.balance(safe.address), ether(10));
    assert_eq!(safe.nonce(&mut s), U256::from(1));

    // One signature is refused (GS020) and changes nothing but the sender's nonce.
    let approve = P::approveCall { spender: queue, amount: ether(4) }.abi_encode();
    let r = safe.exec(&mut s, BOB, (pool, U256::ZERO, &approve), &[1]);
    assert_eq!(reason(&r), "GS020");
    assert_eq!(safe.nonce(&mut s), U256::from(1));
    assert_eq!(
        s.view(pool, &P::allowanceCall { owner: safe.address, spender: queue })._0,
        U256::ZERO
    );

    // approve, then requestWithdrawals for the Safe itself, each signed by two owners.
    let r = safe.exec(&mut s, BOB, (pool, U256::ZERO, &approve), &[0, 1]);
    ok(&r);
    let approvals = events_from::<IERC20::Approval>(&r, pool);
    assert_eq!(approvals.len(), 1);
    assert_eq!(
        (approvals[0].owner, approvals[0].spender, approvals[0].value),
        (safe.address, queue, ether(4))
    );
    let request =
        Q::requestWithdrawalsCall { amounts: vec![ether(4)], owner: safe.address }.abi_encode();
    let r = safe.exec(&mut s, BOB, (queue, U256::ZERO, &request), &[1, 2]);
    ok(&r);
    let requested = events_from::<Q::WithdrawalRequested>(&r, queue);
    assert_eq!(requested.len(), 1);
    let e = &requested[0];
    assert_eq!((e.requestor, e.owner, e.amountOfStETH), (safe.address, safe.address, ether(4)));
    let id = e.requestId;
    assert_eq!(s.view(queue, &Q::ownerOfCall { tokenId: id })._0, safe.address);
    let status = s.view(queue, &Q::getWithdrawalStatusCall { requestIds: vec![id] }).statuses;
    assert_eq!((status[0].amountOfStETH, status[0].owner), (ether(4), safe.address));
    assert_eq!(s.balance_of(safe.address), ether(6));
    assert_eq!(
        s.view(pool, &P::allowanceCall { owner: safe.address, spender: queue })._0,
        U256::ZERO
    );
    assert_eq!(safe.nonce(&mut s), U256::from(3));
    assert_eq!(s.vm.balance(safe.address), ether(10));
}

// ------------------------------------------------------------ the wrapped token in a pair

/// `who`'s LP position in the pair of `token` and WETH: (its token units, its WETH), each
/// rounded down as `burn` pays them.
fn position(s: &mut Suite, uni: &Uniswap, token: Address, who: Address) -> (U256, U256) {
    let pair = uni.pair(s, token, uni.weth);
    let lp = balance_of(s, pair, who);
    let total = s.view(pair, &IERC20::totalSupplyCall {})._0;
    let res = uni.reserves(s, token, uni.weth);
    (res.a * lp / total, res.b * lp / total)
}

/// The ether value of `units` of the wrapped token: floor(units * E / S).
fn ether_of(s: &mut Suite, token: Address, units: U256) -> U256 {
    s.view(token, &W::getStETHByWstETHCall { wstETHAmount: units })._0
}

/// The pair's reserves equal its balances of both tokens, to the wei.
fn reserves_are_balances(s: &mut Suite, uni: &Uniswap, token: Address) {
    let pair = uni.pair(s, token, uni.weth);
    let res = uni.reserves(s, token, uni.weth);
    let balances = (balance_of(s, token, pair), balance_of(s, uni.weth, pair));
    assert_eq!((res.a, res.b), balances, "reserves are the balances");
}

#[test]
fn a_wrapped_token_pair_keeps_its_reserves_exact_across_rebases_and_a_slashing() {
    let (mut s, uni) = staked();
    let token = s.deploy_wrapped_token();
    let weth = uni.weth;
    // A first rebase, so that a unit is worth more than an ether.
    report(&mut s, U256::from(FOUR), frac(1, 10));
    let rate = s.view(token, &W::stEthPerTokenCall {})._0;
    assert!(rate > ether(1));
    for who in [ALICE, BOB] {
        s.ok(who, token, U256::ZERO, &W::wrapCall { stETHAmount: ether(15) });
        uni.wrap_ether(&mut s, who, ether(20));
    }
    let pair = uni.create_pair(&mut s, DAVE, token, weth);
    // ALICE provides 10 units and their ether value in WETH.
    let units = ether(10);
    let value = ether_of(&mut s, token, units);
    let r = uni.add_liquidity(&mut s, ALICE, (token, units), (weth, value));
    ok(&r);
    let added = Router::addLiquidityCall::abi_decode_returns(&r.output, true).unwrap();
    // The first mint: sqrt(x * y) LP tokens, 1,000 of them locked for good.
    let liquidity = (units * value).root(2) - U256::from(1_000);
    assert_eq!((added.amountA, added.amountB, added.liquidity), (units, value, liquidity));
    let mints = events_from::<Pair::Mint>(&r, pair);
    assert_eq!(mints.len(), 1);
    let (m0, m1) = if token < weth { (units, value) } else { (value, units) };
    assert_eq!((mints[0].sender, mints[0].amount0, mints[0].amount1), (uni.router, m0, m1));
    assert_eq!(balance_of(&mut s, pair, ALICE), liquidity);
    let added = uni.reserves(&mut s, token, weth);
    assert_eq!((added.a, added.b), (units, value));
    reserves_are_balances(&mut s, &uni, token);
    let (t0, w0) = position(&mut s, &uni, token, ALICE);
    let v0 = ether_of(&mut s, token, t0) + w0;

    // A positive rebase: the pair's balances do not move, skim takes nothing, the LP's value
    // in ether grows with the share rate on the token side.
    let pool_shares = s.shares_of(token);
    report(&mut s, U256::from(FOUR), frac(1, 10));
    assert_eq!(s.shares_of(token), pool_shares);
    reserves_are_balances(&mut s, &uni, token);
    assert_eq!(uni.reserves(&mut s, token, weth), added);
    let r = s.send(CAROL, pair, U256::ZERO, &Pair::skimCall { to: CAROL });
    ok(&r);
    assert!(events_from::<IERC20::Transfer>(&r, token).iter().all(|t| t.value.is_zero()));
    assert_eq!(
        (balance_of(&mut s, token, CAROL), balance_of(&mut s, weth, CAROL)),
        (U256::ZERO, U256::ZERO)
    );
    assert_eq!(s.shares_of(CAROL), U256::ZERO);
    let (t1, w1) = position(&mut s, &uni, token, ALICE);
    assert_eq!((t1, w1), (t0, w0));
    let v1 = ether_of(&mut s, token, t1) + w1;
    assert!(v1 > v0);
    assert_eq!(
        v1 - w1,
        ether_for_shares(t1, totals(&mut s).1, totals(&mut s).0, Rounding::Down).unwrap()
    );

    // BOB buys units with 1 WETH and sells half of them back: the router's quotes are paid
    // exactly and the reserves stay the balances.
    let quoted = uni.amounts_out(&mut s, ether(1), &[weth, token]);
    let before = balance_of(&mut s, token, BOB);
    let r = uni.swap_exact_in(&mut s, BOB, &[weth, token], ether(1), quoted[1]);
    ok(&r);
    let bought = balance_of(&mut s, token, BOB) - before;
    assert_eq!(bought, quoted[1]);
    let swaps = events_from::<Pair::Swap>(&r, pair);
    assert_eq!(swaps.len(), 1);
    println!("swap exact WETH for wrapped tokens through Router02: {} gas", r.gas_used);
    reserves_are_balances(&mut s, &uni, token);
    let half = bought / U256::from(2);
    let quoted = uni.amounts_out(&mut s, half, &[token, weth]);
    let weth_before = balance_of(&mut s, weth, BOB);
    let r = uni.swap_exact_in(&mut s, BOB, &[token, weth], half, quoted[1]);
    ok(&r);
    println!("swap exact wrapped tokens for WETH through Router02: {} gas", r.gas_used);
    assert_eq!(balance_of(&mut s, weth, BOB) - weth_before, quoted[1]);
    reserves_are_balances(&mut s, &uni, token);

    // A slashing (2 ether of the validators' balance): the pair's balances still do not move,
    // swaps go on, and the LP's value falls with the share rate on the token side only.
    let (t2, w2) = position(&mut s, &uni, token, ALICE);
    let rate_before = s.view(token, &W::stEthPerTokenCall {})._0;
    let token_value_before = ether_of(&mut s, token, t2);
    let held = uni.reserves(&mut s, token, weth);
    report(&mut s, U256::from(FOUR) - ether(2), U256::ZERO);
    assert!(s.view(token, &W::stEthPerTokenCall {})._0 < rate_before);
    assert_eq!(uni.reserves(&mut s, token, weth), held);
    reserves_are_balances(&mut s, &uni, token);
    assert_eq!(position(&mut s, &uni, token, ALICE), (t2, w2));
    let token_value_after = ether_of(&mut s, token, t2);
    assert!(token_value_after < token_value_before);
    let r = uni.swap_exact_in(&mut s, BOB, &[weth, token], frac(1, 2), U256::ZERO);
    ok(&r);
    reserves_are_balances(&mut s, &uni, token);
    let r = s.send(CAROL, pair, U256::ZERO, &Pair::skimCall { to: CAROL });
    ok(&r);
    assert_eq!(balance_of(&mut s, token, CAROL), U256::ZERO);

    // ALICE removes all her liquidity: she gets her exact share of the reserves.
    let lp = balance_of(&mut s, pair, ALICE);
    let (t3, w3) = position(&mut s, &uni, token, ALICE);
    let (tb, wb) = (balance_of(&mut s, token, ALICE), balance_of(&mut s, weth, ALICE));
    let r = uni.remove_liquidity(&mut s, ALICE, token, weth, lp);
    ok(&r);
    assert_eq!(balance_of(&mut s, token, ALICE) - tb, t3);
    assert_eq!(balance_of(&mut s, weth, ALICE) - wb, w3);
    assert_eq!(balance_of(&mut s, pair, ALICE), U256::ZERO);
    reserves_are_balances(&mut s, &uni, token);
    // Her units unwrap into the pool's receipt token at the share rate.
    let shares_before = s.shares_of(ALICE);
    let (got, _) = s.ok(ALICE, token, U256::ZERO, &W::unwrapCall { wstETHAmount: t3 });
    assert_eq!(s.shares_of(ALICE) - shares_before, t3);
    assert_eq!(got._0, ether_of(&mut s, token, t3));
}

// ------------------------------------------------------- a Safe's permit and withdrawal request

/// keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)").
fn permit_typehash() -> B256 {
    keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)")
}

/// The EIP-712 digest of the pool's permit of `value` from `owner` to `spender` until
/// `deadline`, at `owner`'s current nonce.
fn pool_permit_digest(
    s: &mut Suite,
    owner: Address,
    spender: Address,
    value: U256,
    deadline: U256,
) -> B256 {
    let pool = s.pool;
    let nonce = s.view(pool, &P::noncesCall { owner })._0;
    let domain = s.view(pool, &P::DOMAIN_SEPARATORCall {})._0;
    let data = (permit_typehash(), owner, spender, value, nonce, deadline).abi_encode();
    protocol_tests::defi::eip712(domain, keccak256(data))
}

/// What ecrecover gives for `digest` and the 65-byte `r ‖ s ‖ v`.
fn recover(digest: B256, signature: &[u8]) -> Address {
    let sig = k256::ecdsa::Signature::from_slice(&signature[..64]).expect("r and s");
    let id = k256::ecdsa::RecoveryId::from_byte(signature[64] - 27).expect("v is 27 or 28");
    let key = k256::ecdsa::VerifyingKey::recover_from_prehash(digest.as_slice(), &sig, id)
        .expect("a key recovers");
    let point = key.to_encoded_point(false);
    Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..])
}

/// `r ‖ s ‖ v` as the queue's `PermitInput` of `value` until `deadline`.
fn permit_input(signature: &[u8], value: U256, deadline: U256) -> Q::PermitInput {
    assert_eq!(signature.len(), 65);
    Q::PermitInput {
        value,
        deadline,
        v: signature[64],
        r: B256::from_slice(&signature[..32]),
        s: B256::from_slice(&signature[32..64]),
    }
}

/// `safe` holds `amount` of the receipt token: ALICE stakes it and transfers it there.
fn fund_with_receipt_tokens(s: &mut Suite, safe: Address, amount: U256) {
    s.deposit(ALICE, amount);
    let pool = s.pool;
    s.ok(ALICE, pool, U256::ZERO, &P::transferCall { to: safe, amount });
    assert_eq!(s.balance_of(safe), amount);
}

#[test]
fn a_two_of_three_safe_signs_a_pool_permit_through_eip_1271_and_requests_a_withdrawal_with_it() {
    let mut s = Suite::deploy();
    let (_, safe) = two_of_three(&mut s);
    let (pool, queue) = (s.pool, s.queue);
    fund_with_receipt_tokens(&mut s, safe.address, ether(10));
    let value = ether(4);
    let deadline = U256::from(s.vm.timestamp() + 3_600);
    let digest = pool_permit_digest(&mut s, safe.address, queue, value, deadline);

    // One owner's signature (of the Safe's message hash): ecrecover of the permit digest gives
    // some other address, and the Safe's EIP-1271 check wants two signatures.
    let one = safe.sign_message(&mut s, digest, &[1]);
    let recovered = recover(digest, &one);
    assert!(!safe.owners.iter().any(|k| k.address == recovered));
    let call =
        P::permit_1Call { owner: safe.address, spender: queue, value, deadline, signature: one };
    let e: P::ERC2612InvalidSigner = s.revert(CAROL, pool, U256::ZERO, &call);
    assert_eq!((e.signer, e.owner), (recovered, safe.address));

    // Two owners sign the Safe's message hash of the permit digest; CAROL relays it.
    let signature = safe.sign_message(&mut s, digest, &[0, 2]);
    assert_eq!(safe.is_valid_signature(&mut s, digest, &signature), Some(EIP1271_MAGIC_VALUE));
    let call = P::permit_1Call {
        owner: safe.address,
        spender: queue,
        value,
        deadline,
        signature: signature.clone(),
    };
    let (_, r) = s.ok(CAROL, pool, U256::ZERO, &call);
    let approvals = events_from::<IERC20::Approval>(&r, pool);
    assert_eq!(approvals.len(), 1);
    assert_eq!(
        (approvals[0].owner, approvals[0].spender, approvals[0].value),
        (safe.address, queue, value)
    );
    assert_eq!(s.view(pool, &P::allowanceCall { owner: safe.address, spender: queue })._0, value);
    assert_eq!(s.view(pool, &P::noncesCall { owner: safe.address })._0, U256::from(1));
    // The same signature again: the nonce moved, so the Safe's check fails.
    let e: P::ERC2612InvalidSigner = s.revert(CAROL, pool, U256::ZERO, &call);
    assert_eq!(e.owner, safe.address);

    // The Safe requests the withdrawal with requestWithdrawalsWithPermit: its 65-byte permit
    // (one owner's signature, already spent) fails inside and is ignored, the allowance the
    // relayed permit set pays the request.
    let input = permit_input(&signature[..65], value, deadline);
    let request = Q::requestWithdrawalsWithPermitCall {
        amounts: vec![value],
        owner: safe.address,
        permit: input,
    }
    .abi_encode();
    let r = safe.exec(&mut s, BOB, (queue, U256::ZERO, &request), &[0, 1]);
    ok(&r);
    assert_eq!(events_from::<ISafe::ExecutionSuccess>(&r, safe.address).len(), 1);
    let requested = events_from::<Q::WithdrawalRequested>(&r, queue);
    assert_eq!(requested.len(), 1);
    let e = &requested[0];
    assert_eq!((e.requestor, e.owner, e.amountOfStETH), (safe.address, safe.address, value));
    assert_eq!(s.view(queue, &Q::ownerOfCall { tokenId: e.requestId })._0, safe.address);
    assert!(events_from::<IERC20::Approval>(&r, pool)
        .iter()
        .all(|a| a.owner != safe.address || a.value.is_zero()));
    assert_eq!(
        s.view(pool, &P::allowanceCall { owner: safe.address, spender: queue })._0,
        U256::ZERO
    );
    assert_eq!(s.view(pool, &P::noncesCall { owner: safe.address })._0, U256::from(1));
    assert_eq!(s.balance_of(safe.address), ether(6));
}

#[test]
fn a_one_signature_safe_permits_inside_request_withdrawals_with_permit_in_one_transaction() {
    let mut s = Suite::deploy();
    let contracts = SafeContracts::deploy(&mut s, DAVE);
    // Two owners, either one enough: the (v, r, s) permit carries one owner's signature.
    let safe = contracts.create_safe(&mut s, DAVE, vec![owner(5), owner(6)], 1, 7);
    let (pool, queue) = (s.pool, s.queue);
    fund_with_receipt_tokens(&mut s, safe.address, ether(10));
    let value = ether(3);
    let deadline = U256::from(s.vm.timestamp() + 3_600);
    let digest = pool_permit_digest(&mut s, safe.address, queue, value, deadline);
    let signature = safe.sign_message(&mut s, digest, &[1]);
    let input = permit_input(&signature, value, deadline);
    let request =
        Q::requestWithdrawalsWithPermitCall { amounts: vec![value], owner: CAROL, permit: input }
            .abi_encode();
    // The other owner's signature executes it; the permit inside is valid through EIP-1271.
    let r = safe.exec(&mut s, BOB, (queue, U256::ZERO, &request), &[0]);
    ok(&r);
    let approvals = events_from::<IERC20::Approval>(&r, pool);
    assert_eq!(
        (approvals[0].owner, approvals[0].spender, approvals[0].value),
        (safe.address, queue, value)
    );
    assert_eq!(s.view(pool, &P::noncesCall { owner: safe.address })._0, U256::from(1));
    let requested = events_from::<Q::WithdrawalRequested>(&r, queue);
    assert_eq!(requested.len(), 1);
    let e = &requested[0];
    assert_eq!((e.requestor, e.owner, e.amountOfStETH), (safe.address, CAROL, value));
    assert_eq!(s.view(queue, &Q::ownerOfCall { tokenId: e.requestId })._0, CAROL);
    assert_eq!(
        s.view(pool, &P::allowanceCall { owner: safe.address, spender: queue })._0,
        U256::ZERO
    );
    assert_eq!(s.balance_of(safe.address), ether(7));
}

#[test]
fn a_safe_permits_the_queue_on_the_wrapped_token_and_requests_a_withdrawal_paid_in_it() {
    let mut s = Suite::deploy();
    let token = s.deploy_wrapped_token();
    let contracts = SafeContracts::deploy(&mut s, DAVE);
    let safe = contracts.create_safe(&mut s, DAVE, vec![owner(5), owner(6)], 1, 8);
    let queue = s.queue;
    // ALICE wraps 10 ether of receipt tokens and gives the units to the Safe.
    s.deposit(ALICE, ether(10));
    let (units, _) = s.ok(ALICE, token, U256::ZERO, &W::wrapCall { stETHAmount: ether(10) });
    let units = units._0;
    s.ok(ALICE, token, U256::ZERO, &W::transferCall { to: safe.address, value: units });
    assert_eq!(balance_of(&mut s, token, safe.address), units);

    // The Safe's owner signs the wrapped token's permit for the queue (EIP-1271), and the Safe
    // requests the withdrawal of 4 units with it in one transaction.
    let value = ether(4);
    let deadline = U256::from(s.vm.timestamp() + 3_600);
    let nonce = s.view(token, &W::noncesCall { owner: safe.address })._0;
    let domain = s.view(token, &W::DOMAIN_SEPARATORCall {})._0;
    let data = (permit_typehash(), safe.address, queue, value, nonce, deadline).abi_encode();
    let digest = protocol_tests::defi::eip712(domain, keccak256(data));
    let signature = safe.sign_message(&mut s, digest, &[0]);
    let input = permit_input(&signature, value, deadline);
    let worth = ether_of(&mut s, token, value);
    let request = Q::requestWithdrawalsWstETHWithPermitCall {
        amounts: vec![value],
        owner: safe.address,
        permit: input,
    }
    .abi_encode();
    let r = safe.exec(&mut s, BOB, (queue, U256::ZERO, &request), &[1]);
    ok(&r);
    let approvals = events_from::<IERC20::Approval>(&r, token);
    assert_eq!(
        (approvals[0].owner, approvals[0].spender, approvals[0].value),
        (safe.address, queue, value)
    );
    assert_eq!(s.view(token, &W::noncesCall { owner: safe.address })._0, U256::from(1));
    let requested = events_from::<Q::WithdrawalRequested>(&r, queue);
    assert_eq!(requested.len(), 1);
    let e = &requested[0];
    assert_eq!((e.requestor, e.owner), (safe.address, safe.address));
    assert_eq!((e.amountOfShares, e.amountOfStETH), (value, worth));
    assert_eq!(s.view(queue, &Q::ownerOfCall { tokenId: e.requestId })._0, safe.address);
    assert_eq!(balance_of(&mut s, token, safe.address), units - value);
    assert_eq!(
        s.view(token, &IERC20::allowanceCall { owner: safe.address, spender: queue })._0,
        U256::ZERO
    );
}
