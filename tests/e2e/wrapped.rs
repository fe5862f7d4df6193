//! The wrapped token on the release wasm, with the real pool: wrap and unwrap round trips
//! across oracle reports (rewards and a loss), ether sent to the token, the pool's token pause,
//! permit signed by an EOA key (valid, expired, by another key, replayed, in both forms), the
//! rate feeds following the reports, donations, and the ERC-4626 reference model: for random
//! pool states (E, S) and amounts, every `convert*`, `preview*` and `max*` answer and every
//! `deposit` / `mint` / `withdraw` / `redeem` result equals a 512-bit integer model exactly, in
//! the standard's rounding directions, and no action leaves the caller better off than the
//! model says (the token's share surplus never shrinks, the receiver gets at least what it
//! asked for, the caller pays at most what the preview said).
#![allow(missing_docs, clippy::too_many_lines, clippy::many_single_char_names)]

use alloy_primitives::{aliases::U512, Address, B256, U256};
use alloy_sol_types::SolCall;
use proptest::prelude::*;
use protocol_tests::{
    abi::{IStakingPool as P, IWrappedToken as W},
    deploy::{events_from, revert_data, PoolReport, Suite, ADMIN, ALICE, BOB, CAROL, DAVE},
    ether, fuzz,
    validators::Validators,
    wrapped::{sign_permit, signer, Permit},
};
use staking_math::sanity::Limits;
use stylus_vm::Receipt;

const DAY: u64 = 86_400;
/// The four validators of [`setup`], in wei.
pub(crate) const FOUR: u128 = 4 * 32_000_000_000_000_000_000;

pub(crate) fn ok(r: &Receipt) {
    assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
}

/// The suite with the registry, ALICE's 1,000 and BOB's 100 ether, 4 validators deposited,
/// [`protocol_tests::deploy::REPORTER`] as the oracle, the first report made, and the wrapped
/// token deployed and named in the pool.
pub(crate) fn setup() -> (Suite, Address) {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, 6);
    v.onboard(&mut s, 2, 4);
    s.deposit(ALICE, ether(1_000));
    s.deposit(BOB, ether(100));
    ok(&v.deposit(&mut s, 4));
    s.set_reporter();
    s.vm.advance_time(DAY);
    ok(&s.handle_report(&report(U256::from(FOUR))));
    s.vm.advance_time(DAY);
    let token = s.deploy_wrapped_token();
    (s, token)
}

/// A report of the 4 validators with `cl_balance`, under Lido's limits.
pub(crate) fn report(cl_balance: U256) -> PoolReport {
    PoolReport {
        cl_validators: U256::from(4),
        cl_balance,
        limits: B256::from(Limits::LIDO.pack()),
        ..PoolReport::default()
    }
}

/// (E, S): the pool's total pooled ether and total shares.
fn rate(s: &mut Suite) -> (U256, U256) {
    let pool = s.pool;
    (s.view(pool, &P::getTotalPooledEtherCall {})._0, s.view(pool, &P::totalSharesCall {})._0)
}

fn units(s: &mut Suite, token: Address, who: Address) -> U256 {
    s.view(token, &W::balanceOfCall { account: who })._0
}

fn supply(s: &mut Suite, token: Address) -> U256 {
    s.view(token, &W::totalSupplyCall {})._0
}

/// `a * b / c` exactly, rounded down or up.
fn mul_div(a: U256, b: U256, c: U256, up: bool) -> U256 {
    let (a, b, c) = (U512::from(a), U512::from(b), U512::from(c));
    let q = if up { (a * b).div_ceil(c) } else { a * b / c };
    q.to::<U256>()
}

fn wrap(s: &mut Suite, token: Address, who: Address, amount: U256) -> (U256, Receipt) {
    s.ok(who, token, U256::ZERO, &W::wrapCall { stETHAmount: amount }).map_first(|r| r._0)
}

fn unwrap(s: &mut Suite, token: Address, who: Address, amount: U256) -> (U256, Receipt) {
    s.ok(who, token, U256::ZERO, &W::unwrapCall { wstETHAmount: amount }).map_first(|r| r._0)
}

trait MapFirst<A, B> {
    fn map_first<C>(self, f: impl FnOnce(A) -> C) -> (C, B);
}

impl<A, B> MapFirst<A, B> for (A, B) {
    fn map_first<C>(self, f: impl FnOnce(A) -> C) -> (C, B) {
        (f(self.0), self.1)
    }
}

#[test]
fn wrap_and_unwrap_round_trip_across_rewards_and_a_loss() {
    let (mut s, token) = setup();
    let pool = s.pool;
    let shares_before = s.shares_of(ALICE);

    // Wrap 10 ether: floor(10 ether * S / E) units, exactly the shares pulled.
    let (e, sh) = rate(&mut s);
    let (minted, r) = wrap(&mut s, token, ALICE, ether(10));
    assert_eq!(minted, mul_div(ether(10), sh, e, false));
    assert_eq!(units(&mut s, token, ALICE), minted);
    assert_eq!(supply(&mut s, token), minted);
    assert_eq!(s.shares_of(token), minted);
    assert_eq!(s.shares_of(ALICE), shares_before - minted);
    assert_eq!(
        events_from::<W::Transfer>(&r, token),
        vec![W::Transfer { from: Address::ZERO, to: ALICE, value: minted }]
    );
    assert_eq!(
        events_from::<P::TransferShares>(&r, pool),
        vec![P::TransferShares { from: ALICE, to: token, sharesValue: minted }]
    );
    let value_before = s.view(token, &W::getStETHByWstETHCall { wstETHAmount: minted })._0;
    let rate_before = s.view(token, &W::stEthPerTokenCall {})._0;

    // Rewards: +0.03 ether on the CL and 0.01 of EL rewards. The units stay, their value grows.
    let el = ether(1) / U256::from(100);
    s.credit_pool(el);
    let cl = U256::from(FOUR) + ether(3) / U256::from(100);
    ok(&s.handle_report(&PoolReport { el_rewards: el, ..report(cl) }));
    let reported_at = U256::from(s.vm.timestamp() - 1);
    assert_eq!(units(&mut s, token, ALICE), minted);
    let (e, sh) = rate(&mut s);
    let value = s.view(token, &W::getStETHByWstETHCall { wstETHAmount: minted })._0;
    assert_eq!(value, mul_div(minted, e, sh, false));
    assert!(value > value_before, "the units are worth more after rewards");
    let per_token = s.view(token, &W::stEthPerTokenCall {})._0;
    assert_eq!(per_token, mul_div(ether(1), e, sh, false));
    assert!(per_token > rate_before);
    assert_eq!(s.view(token, &W::getRateCall {})._0, per_token);
    let round = s.view(token, &W::latestRoundDataCall {});
    assert_eq!(round.roundId.to::<u64>(), 2, "two reports applied");
    assert_eq!(round.answer.into_raw(), per_token);
    assert_eq!(round.updatedAt, reported_at);
    assert_eq!(round.startedAt, reported_at);
    assert_eq!(round.answeredInRound, round.roundId);

    // Unwrap all: the same shares back, worth floor(units * E / S).
    let (got, r) = unwrap(&mut s, token, ALICE, minted);
    assert_eq!(got, value);
    assert_eq!(s.shares_of(ALICE), shares_before);
    assert_eq!(s.shares_of(token), U256::ZERO);
    assert_eq!(supply(&mut s, token), U256::ZERO);
    assert_eq!(
        events_from::<W::Transfer>(&r, token),
        vec![W::Transfer { from: ALICE, to: Address::ZERO, value: minted }]
    );
    assert_eq!(
        events_from::<P::TransferShares>(&r, pool),
        vec![P::TransferShares { from: token, to: ALICE, sharesValue: minted }]
    );

    // Wrap again, then a loss: the units stay, their value falls, unwrap pays the lower value.
    let (minted, _) = wrap(&mut s, token, ALICE, ether(50));
    let value_before = s.view(token, &W::getStETHByWstETHCall { wstETHAmount: minted })._0;
    s.vm.advance_time(DAY);
    ok(&s.handle_report(&report(cl - ether(1) / U256::from(10))));
    let (e, sh) = rate(&mut s);
    let value = mul_div(minted, e, sh, false);
    assert!(value < value_before, "the units are worth less after a loss");
    let (got, _) = unwrap(&mut s, token, ALICE, minted);
    assert_eq!(got, value);
    assert_eq!(s.shares_of(ALICE), shares_before);
    let round = s.view(token, &W::latestRoundDataCall {});
    assert_eq!(round.roundId.to::<u64>(), 3);
}

#[test]
fn ether_sent_to_the_token_is_staked_and_wrapped_in_one_call() {
    let (mut s, token) = setup();
    let pool = s.pool;
    let (e, sh) = rate(&mut s);
    let r = s.vm.call(CAROL, token, ether(3), &[]);
    ok(&r);
    let minted = mul_div(ether(3), sh, e, false);
    assert_eq!(units(&mut s, token, CAROL), minted);
    assert_eq!(s.shares_of(token), minted);
    assert_eq!(supply(&mut s, token), minted);
    assert_eq!(rate(&mut s).0, e + ether(3));
    assert_eq!(
        events_from::<W::Transfer>(&r, token),
        vec![W::Transfer { from: Address::ZERO, to: CAROL, value: minted }]
    );
    assert_eq!(events_from::<P::Submitted>(&r, pool).len(), 1);
    assert_eq!(s.vm.balance(token), U256::ZERO, "no ether stays in the token");

    // While staking is paused the pool refuses, and so does the token.
    s.ok(ADMIN, pool, U256::ZERO, &P::pauseStakingCall {});
    let r = s.vm.call(CAROL, token, ether(1), &[]);
    let _: P::StakingIsPaused = revert_data(&r);
    assert_eq!(units(&mut s, token, CAROL), minted);
}

#[test]
fn the_pools_token_pause_stops_wrapping_and_unwrapping_but_not_transfers() {
    let (mut s, token) = setup();
    let pool = s.pool;
    let (minted, _) = wrap(&mut s, token, ALICE, ether(10));
    s.ok(ADMIN, pool, U256::ZERO, &P::pauseTokenCall {});

    let r = s.send(ALICE, token, U256::ZERO, &W::wrapCall { stETHAmount: ether(1) });
    let _: P::TokenIsPaused = revert_data(&r);
    let r = s.send(ALICE, token, U256::ZERO, &W::unwrapCall { wstETHAmount: minted });
    let _: P::TokenIsPaused = revert_data(&r);
    let call = W::redeemCall { shares: minted, receiver: ALICE, owner: ALICE };
    let _: P::TokenIsPaused = revert_data(&s.send(ALICE, token, U256::ZERO, &call));
    assert_eq!(s.view(token, &W::maxDepositCall { receiver: ALICE }).maxAssets, U256::ZERO);
    assert_eq!(s.view(token, &W::maxMintCall { receiver: ALICE }).maxShares, U256::ZERO);
    assert_eq!(s.view(token, &W::maxWithdrawCall { owner: ALICE }).maxAssets, U256::ZERO);
    assert_eq!(s.view(token, &W::maxRedeemCall { owner: ALICE }).maxShares, U256::ZERO);

    // The wrapped token's own transfers go on.
    s.ok(ALICE, token, U256::ZERO, &W::transferCall { to: BOB, value: minted / U256::from(2) });
    assert_eq!(units(&mut s, token, BOB), minted / U256::from(2));
    assert_eq!(units(&mut s, token, ALICE), minted - minted / U256::from(2));

    s.ok(ADMIN, pool, U256::ZERO, &P::resumeTokenCall {});
    assert_eq!(
        s.view(token, &W::maxRedeemCall { owner: ALICE }).maxShares,
        units(&mut s, token, ALICE)
    );
    assert_eq!(s.view(token, &W::maxDepositCall { receiver: ALICE }).maxAssets, U256::MAX);
    unwrap(&mut s, token, BOB, minted / U256::from(2));
    assert_eq!(units(&mut s, token, BOB), U256::ZERO);
}

#[test]
fn an_eoa_permit_sets_the_allowance_once_and_expired_forged_or_replayed_ones_fail() {
    let (mut s, token) = setup();
    let (key, owner) = signer(1);
    let (other, other_address) = signer(2);
    let chain = s.vm.chain_id();
    let (minted, _) = wrap(&mut s, token, ALICE, ether(4));
    s.ok(ALICE, token, U256::ZERO, &W::transferCall { to: owner, value: minted });

    let deadline = U256::from(s.vm.timestamp() + 600);
    let p = Permit { owner, spender: CAROL, value: ether(1), nonce: U256::ZERO, deadline };
    let (v, r, sig) = sign_permit(&key, chain, token, &p);
    let call = W::permit_0Call { owner, spender: CAROL, value: ether(1), deadline, v, r, s: sig };

    // Signed by another key.
    let (fv, fr, fs) = sign_permit(&other, chain, token, &p);
    let forged = W::permit_0Call { v: fv, r: fr, s: fs, ..call.clone() };
    let e: W::ERC2612InvalidSigner = revert_data(&s.send(BOB, token, U256::ZERO, &forged));
    assert_eq!((e.signer, e.owner), (other_address, owner));

    // Relayed by BOB: the allowance, the nonce, the event.
    let (_, receipt) = s.ok(BOB, token, U256::ZERO, &call);
    assert_eq!(s.view(token, &W::allowanceCall { owner, spender: CAROL })._0, ether(1));
    assert_eq!(s.view(token, &W::noncesCall { owner })._0, U256::from(1));
    assert_eq!(
        events_from::<W::Approval>(&receipt, token),
        vec![W::Approval { owner, spender: CAROL, value: ether(1) }]
    );
    s.ok(CAROL, token, U256::ZERO, &W::transferFromCall { from: owner, to: DAVE, value: ether(1) });
    assert_eq!(units(&mut s, token, DAVE), ether(1));

    // Replayed: the nonce moved, so the digest is another one and recovers someone else.
    let e: W::ERC2612InvalidSigner = revert_data(&s.send(BOB, token, U256::ZERO, &call));
    assert_eq!(e.owner, owner);
    assert_ne!(e.signer, owner);

    // Expired: the next nonce, a deadline one second past.
    s.vm.advance_time(601);
    let p = Permit { nonce: U256::from(1), ..p };
    let (v, r, sig) = sign_permit(&key, chain, token, &p);
    let late = W::permit_0Call { v, r, s: sig, ..call.clone() };
    let e: W::ERC2612ExpiredSignature = revert_data(&s.send(BOB, token, U256::ZERO, &late));
    assert_eq!(e.deadline, deadline);

    // The bytes form, with the packed r ‖ s ‖ v of a fresh signature.
    let deadline = U256::from(s.vm.timestamp() + 600);
    let p = Permit { deadline, value: ether(2), ..p };
    let (v, r, sig) = sign_permit(&key, chain, token, &p);
    let mut packed = [r.as_slice(), sig.as_slice()].concat();
    packed.push(v);
    let call = W::permit_1Call {
        owner,
        spender: CAROL,
        value: ether(2),
        deadline,
        signature: packed.into(),
    };
    s.ok(DAVE, token, U256::ZERO, &call);
    assert_eq!(s.view(token, &W::allowanceCall { owner, spender: CAROL })._0, ether(2));
    assert_eq!(s.view(token, &W::noncesCall { owner })._0, U256::from(2));
    // The domain the signatures were made under is the token's.
    let domain = protocol_tests::wrapped::domain(chain, token).separator();
    assert_eq!(s.view(token, &W::DOMAIN_SEPARATORCall {})._0, domain);
}

#[test]
fn get_round_data_answers_the_latest_round_and_refuses_others() {
    let (mut s, token) = setup();
    let latest = s.view(token, &W::latestRoundDataCall {});
    assert_eq!(latest.roundId.to::<u64>(), 1);
    let same = s.view(token, &W::getRoundDataCall { _roundId: latest.roundId });
    assert_eq!(
        (same.roundId, same.answer, same.updatedAt),
        (latest.roundId, latest.answer, latest.updatedAt)
    );
    let stale = W::getRoundDataCall { _roundId: alloy_primitives::Uint::from(0u64) };
    let e: W::NoDataPresent = revert_data(&s.vm.static_call(ALICE, token, &stale.abi_encode()));
    assert_eq!((e.roundId, e.latestRoundId), (U256::ZERO, U256::from(1)));
    assert_eq!(s.view(token, &W::descriptionCall {})._0, "wsETH / ETH exchange rate");
    assert_eq!(s.view(token, &W::versionCall {})._0, U256::from(1));
    assert_eq!(s.view(token, &W::decimalsCall {})._0, 18);
}

#[test]
fn shares_donated_to_the_token_back_no_unit_and_nobody_withdraws_them() {
    let (mut s, token) = setup();
    let (minted, _) = wrap(&mut s, token, ALICE, ether(10));
    s.ok(BOB, s.pool, U256::ZERO, &P::transferSharesCall { to: token, sharesAmount: ether(1) });
    assert_eq!(supply(&mut s, token), minted);
    assert_eq!(s.shares_of(token), minted + ether(1));
    let (e, sh) = rate(&mut s);
    assert_eq!(
        s.view(token, &W::totalAssetsCall {}).totalManagedAssets,
        mul_div(minted, e, sh, false)
    );
    // ALICE takes out exactly her units; the donation stays.
    unwrap(&mut s, token, ALICE, minted);
    assert_eq!(s.shares_of(token), ether(1));
    let r = s.send(ALICE, token, U256::ZERO, &W::unwrapCall { wstETHAmount: U256::from(1) });
    let _: W::ERC20InsufficientBalance = revert_data(&r);
}

// ------------------------------------------------------------------ ERC-4626 reference model

/// One random state and the amounts tried on it.
#[derive(Debug, Clone)]
struct Case {
    /// The CL balance set (moves E away from S by any ratio in range).
    cl_balance: u128,
    /// BOB's deposit after it (moves S at that rate).
    bob: u128,
    /// Amounts tried (wei, or units).
    amounts: [u128; 4],
}

fn cases() -> impl Strategy<Value = Case> {
    let amount = prop_oneof![
        0u128..1_000,
        0u128..1_000_000_000_000_000_000,
        0u128..20_000_000_000_000_000_000
    ];
    (
        // 0 to 2,000 ether on the CL beside the 1,100 buffered.
        0u128..2_000_000_000_000_000_000_000,
        1u128..50_000_000_000_000_000_000,
        [amount.clone(), amount.clone(), amount.clone(), amount],
    )
        .prop_map(|(cl_balance, bob, amounts)| Case { cl_balance, bob, amounts })
}

/// The model: every view and action against exact 512-bit arithmetic.
fn check_case(base: &Suite, token: Address, case: &Case) {
    let mut s = base.clone();
    s.set_cl_balance(case.cl_balance);
    if case.bob > 0 {
        s.deposit(BOB, U256::from(case.bob));
    }
    let (e, sh) = rate(&mut s);
    let [a0, a1, a2, a3] = case.amounts.map(U256::from);
    let view = |s: &mut Suite, call: &dyn Fn(U256) -> Vec<u8>, x: U256| -> U256 {
        let r = s.vm.static_call(ALICE, token, &call(x));
        assert!(r.success, "{r:?}");
        U256::from_be_slice(&r.output[..32])
    };
    for x in [a0, a1, a2, a3, U256::ZERO, U256::from(1)] {
        let down_shares = mul_div(x, sh, e, false);
        let up_shares = mul_div(x, sh, e, true);
        let down_assets = mul_div(x, e, sh, false);
        let up_assets = mul_div(x, e, sh, true);
        let conv = |x| W::convertToSharesCall { assets: x }.abi_encode();
        assert_eq!(view(&mut s, &conv, x), down_shares, "convertToShares({x})");
        let conv = |x| W::convertToAssetsCall { shares: x }.abi_encode();
        assert_eq!(view(&mut s, &conv, x), down_assets, "convertToAssets({x})");
        let f = |x| W::previewDepositCall { assets: x }.abi_encode();
        assert_eq!(view(&mut s, &f, x), down_shares, "previewDeposit({x})");
        let f = |x| W::previewMintCall { shares: x }.abi_encode();
        assert_eq!(view(&mut s, &f, x), up_assets, "previewMint({x})");
        let f = |x| W::previewWithdrawCall { assets: x }.abi_encode();
        assert_eq!(view(&mut s, &f, x), up_shares, "previewWithdraw({x})");
        let f = |x| W::previewRedeemCall { shares: x }.abi_encode();
        assert_eq!(view(&mut s, &f, x), down_assets, "previewRedeem({x})");
        assert_eq!(s.view(token, &W::getWstETHByStETHCall { stETHAmount: x })._0, down_shares);
        assert_eq!(s.view(token, &W::getStETHByWstETHCall { wstETHAmount: x })._0, down_assets);
    }
    let held = units(&mut s, token, ALICE);
    assert_eq!(s.view(token, &W::maxRedeemCall { owner: ALICE }).maxShares, held);
    assert_eq!(
        s.view(token, &W::maxWithdrawCall { owner: ALICE }).maxAssets,
        mul_div(held, e, sh, false)
    );
    assert_eq!(s.view(token, &W::maxDepositCall { receiver: ALICE }).maxAssets, U256::MAX);
    assert_eq!(s.view(token, &W::maxMintCall { receiver: ALICE }).maxShares, U256::MAX);
    let total = supply(&mut s, token);
    assert_eq!(
        s.view(token, &W::totalAssetsCall {}).totalManagedAssets,
        mul_div(total, e, sh, false)
    );

    // The actions, each against its preview and the balances it moved. The token's surplus of
    // shares over units must never shrink: that would be value handed to the caller.
    let surplus = |s: &mut Suite| s.shares_of(token) - supply(s, token);
    let before = surplus(&mut s);

    // deposit(a0): floor(a0 * S / E) units; the caller's balance falls by at most a0.
    let (bal, held) = (s.balance_of(ALICE), units(&mut s, token, ALICE));
    let (ret, r) = s.ok(ALICE, token, U256::ZERO, &W::depositCall { assets: a0, receiver: ALICE });
    let minted = mul_div(a0, sh, e, false);
    assert_eq!(ret.shares, minted, "deposit({a0})");
    assert_eq!(units(&mut s, token, ALICE), held + minted);
    let paid = bal - s.balance_of(ALICE);
    assert!(paid <= a0 && paid >= mul_div(minted, e, sh, false), "deposit paid {paid} for {a0}");
    let logged = events_from::<W::Deposit>(&r, token);
    assert_eq!(
        logged,
        vec![W::Deposit { sender: ALICE, owner: ALICE, assets: a0, shares: minted }]
    );

    // mint(a1 units): ceil(a1 * E / S) assets; the caller's balance falls by at most that.
    let (bal, held) = (s.balance_of(ALICE), units(&mut s, token, ALICE));
    let (ret, _) = s.ok(ALICE, token, U256::ZERO, &W::mintCall { shares: a1, receiver: ALICE });
    assert_eq!(ret.assets, mul_div(a1, e, sh, true), "mint({a1})");
    assert_eq!(units(&mut s, token, ALICE), held + a1);
    let paid = bal - s.balance_of(ALICE);
    assert!(paid <= ret.assets && paid >= mul_div(a1, e, sh, false), "mint paid {paid}");

    // withdraw(a2 assets) to DAVE: ceil(a2 * S / E) units burned; DAVE receives at least a2.
    let held = units(&mut s, token, ALICE);
    let burn = mul_div(a2, sh, e, true);
    let dave = s.balance_of(DAVE);
    let call = W::withdrawCall { assets: a2, receiver: DAVE, owner: ALICE };
    if burn <= held {
        let (ret, r) = s.ok(ALICE, token, U256::ZERO, &call);
        assert_eq!(ret.shares, burn, "withdraw({a2})");
        assert_eq!(units(&mut s, token, ALICE), held - burn);
        assert!(s.balance_of(DAVE) - dave >= a2, "withdraw delivered less than {a2}");
        let logged = events_from::<W::Withdraw>(&r, token);
        let want =
            W::Withdraw { sender: ALICE, receiver: DAVE, owner: ALICE, assets: a2, shares: burn };
        assert_eq!(logged, vec![want]);
    } else {
        let _: W::ERC20InsufficientBalance = revert_data(&s.send(ALICE, token, U256::ZERO, &call));
    }

    // redeem(a3 units) to DAVE: floor(a3 * E / S) assets, which DAVE receives at least.
    let held = units(&mut s, token, ALICE);
    let dave = s.balance_of(DAVE);
    let call = W::redeemCall { shares: a3, receiver: DAVE, owner: ALICE };
    if a3 <= held {
        let (ret, _) = s.ok(ALICE, token, U256::ZERO, &call);
        assert_eq!(ret.assets, mul_div(a3, e, sh, false), "redeem({a3})");
        assert_eq!(units(&mut s, token, ALICE), held - a3);
        assert!(s.balance_of(DAVE) - dave >= ret.assets);
    } else {
        let _: W::ERC20InsufficientBalance = revert_data(&s.send(ALICE, token, U256::ZERO, &call));
    }
    assert_eq!(surplus(&mut s), before, "the actions moved exactly the units' shares");
    assert_eq!(rate(&mut s), (e, sh), "share moves leave the rate as it was");
}

const MODEL: fuzz::Suite =
    fuzz::Suite { name: "wrapped_vault_model", test: "e2e wrapped::", short: 24 };

#[test]
fn erc4626_views_and_actions_equal_the_exact_model_for_random_states() {
    let (mut s, token) = setup();
    // ALICE holds units to withdraw and redeem, and tokens to deposit and mint.
    wrap(&mut s, token, ALICE, ether(300));
    fuzz::run(MODEL, cases, |case| check_case(&s, token, &case));
}
