//! Lido's request variants of the withdrawal queue on the release wasm (the queue's extension
//! program, `contracts/withdrawal-queue/src/lido_requests.rs`): `requestWithdrawalsWithPermit`
//! with an EOA's ERC-2612 permit on the pool (signed with k256 over alloy's EIP-712 digest),
//! front-run and failed permits, and `requestWithdrawalsWstETH(WithPermit)` paying in the real
//! wrapped token at an uneven share rate, through finalization and claims.
#![allow(missing_docs)]

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use protocol_tests::{
    abi::{IStakingPool as P, IWithdrawalQueue as Q, IWrappedToken as W},
    deploy::{events_from, revert_data},
    ether, pool_permit,
    wrapped::{sign_permit, signer, Permit},
    Suite, ALICE, BOB, CAROL,
};
use stylus_vm::Receipt;
use withdrawal_queue::{abi::IWithdrawalQueue::InvalidAddress, events::WithdrawalRequested};

/// The holder's key seed ([`signer`]).
const SEED: u8 = 17;
/// Consensus-layer ether no share was minted for: a share rate that is not 1:1.
const CL_BALANCE: u128 = 333_333_333_333_333_337;

/// A suite where the EOA of [`SEED`] holds 10 ether of the receipt token; returns its address.
fn with_holder() -> (Suite, Address) {
    let mut s = Suite::deploy();
    let (_, holder) = signer(SEED);
    s.vm.set_balance(holder, ether(1_000));
    s.deposit(holder, ether(10));
    (s, holder)
}

/// The queue's `PermitInput` of a signed pool permit.
fn input(call: &P::permit_0Call) -> Q::PermitInput {
    Q::PermitInput { value: call.value, deadline: call.deadline, v: call.v, r: call.r, s: call.s }
}

fn with_permit(
    amounts: &[U256],
    owner: Address,
    permit: Q::PermitInput,
) -> Q::requestWithdrawalsWithPermitCall {
    Q::requestWithdrawalsWithPermitCall { amounts: amounts.to_vec(), owner, permit }
}

fn allowance(s: &mut Suite, owner: Address) -> U256 {
    let spender = s.queue;
    s.view(s.pool, &P::allowanceCall { owner, spender })._0
}

fn status(s: &mut Suite, id: u64) -> Q::WithdrawalRequestStatus {
    let statuses =
        s.view(s.queue, &Q::getWithdrawalStatusCall { requestIds: vec![U256::from(id)] });
    statuses.statuses[0].clone()
}

fn ok(r: &Receipt) {
    assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
}

// ------------------------------------------------------------------ permit on the pool

#[test]
fn an_eoa_permit_requests_withdrawals_in_one_transaction() {
    let (mut s, holder) = with_holder();
    let queue = s.queue;
    let (call, _) = pool_permit::signed(&mut s, SEED, queue, ether(3));

    let amounts = [ether(1), ether(2)];
    let (ids, r) = s.ok(holder, queue, U256::ZERO, &with_permit(&amounts, BOB, input(&call)));

    assert_eq!(ids.requestIds, vec![U256::from(1), U256::from(2)]);
    // The permit took (the pool's nonce moved, its Approval logged) and the request spent it.
    assert_eq!(s.view(s.pool, &P::noncesCall { owner: holder })._0, U256::from(1));
    assert_eq!(allowance(&mut s, holder), U256::ZERO);
    let approvals = events_from::<P::Approval>(&r, s.pool);
    assert_eq!(approvals[0], P::Approval { owner: holder, spender: queue, value: ether(3) });
    assert_eq!(s.balance_of(holder), ether(7));
    let requested = events_from::<WithdrawalRequested>(&r, queue);
    assert_eq!(requested.len(), 2);
    for (event, (n, amount)) in requested.iter().zip([(1u64, ether(1)), (2, ether(2))]) {
        assert_eq!((event.requestId, event.requestor, event.owner), (U256::from(n), holder, BOB));
        assert_eq!((event.amountOfStETH, event.amountOfShares), (amount, amount));
        let st = status(&mut s, n);
        assert_eq!((st.amountOfStETH, st.owner, st.isFinalized), (amount, BOB, false));
    }
    assert_eq!(s.view(queue, &Q::balanceOfCall { owner: BOB })._0, U256::from(2));
}

#[test]
fn a_front_run_permit_does_not_fail_the_request() {
    let (mut s, holder) = with_holder();
    let queue = s.queue;
    let (call, _) = pool_permit::signed(&mut s, SEED, queue, ether(2));
    // CAROL saw the permit and submitted it first: the allowance is set, the nonce used.
    ok(&s.send(CAROL, s.pool, U256::ZERO, &call));
    assert_eq!(allowance(&mut s, holder), ether(2));

    let (ids, r) =
        s.ok(holder, queue, U256::ZERO, &with_permit(&[ether(2)], Address::ZERO, input(&call)));

    assert_eq!(ids.requestIds, vec![U256::from(1)]);
    assert_eq!(allowance(&mut s, holder), U256::ZERO);
    assert_eq!(s.view(s.pool, &P::noncesCall { owner: holder })._0, U256::from(1));
    assert!(events_from::<P::Approval>(&r, s.pool).is_empty(), "the second permit did not take");
    assert_eq!(events_from::<WithdrawalRequested>(&r, queue).len(), 1);
}

#[test]
fn a_failed_permit_without_allowance_reverts_with_the_pools_allowance_error() {
    let (mut s, holder) = with_holder();
    let (queue, pool) = (s.queue, s.pool);
    let (call, _) = pool_permit::signed(&mut s, SEED, queue, ether(2));
    // Expired: an hour and a second later.
    s.vm.advance_time(3_601);

    let e: P::ERC20InsufficientAllowance = revert_data(&s.send(
        holder,
        queue,
        U256::ZERO,
        &with_permit(&[ether(2)], Address::ZERO, input(&call)),
    ));

    assert_eq!(
        e,
        P::ERC20InsufficientAllowance { spender: queue, allowance: U256::ZERO, needed: ether(2) }
    );
    assert_eq!(s.view(queue, &Q::getLastRequestIdCall {})._0, U256::ZERO);
    assert_eq!(s.view(pool, &P::noncesCall { owner: holder })._0, U256::ZERO);

    // With an allowance that covers the request, the same expired permit is no obstacle.
    s.ok(holder, pool, U256::ZERO, &P::approveCall { spender: queue, amount: ether(2) });
    let (ids, _) =
        s.ok(holder, queue, U256::ZERO, &with_permit(&[ether(2)], Address::ZERO, input(&call)));
    assert_eq!(ids.requestIds, vec![U256::from(1)]);
}

#[test]
fn a_permit_signed_by_someone_else_does_not_move_the_callers_tokens() {
    let (mut s, holder) = with_holder();
    let queue = s.queue;
    // ALICE relays the holder's permit as her own: the permit names her as the owner, and the
    // holder's signature does not recover to her.
    s.deposit(ALICE, ether(5));
    let (call, _) = pool_permit::signed(&mut s, SEED, queue, ether(2));
    let e: P::ERC20InsufficientAllowance = revert_data(&s.send(
        ALICE,
        queue,
        U256::ZERO,
        &with_permit(&[ether(2)], Address::ZERO, input(&call)),
    ));
    assert_eq!((e.spender, e.allowance), (queue, U256::ZERO));
    assert_eq!(s.balance_of(holder), ether(10));
    assert_eq!(s.view(s.pool, &P::noncesCall { owner: holder })._0, U256::ZERO);
}

// ------------------------------------------------------------------ paid in the wrapped token

/// A suite with the wrapped token, an uneven share rate, and the holder of [`SEED`] holding
/// `units` wrapped tokens (wrapped from its receipt tokens).
fn with_wrapped(units: U256) -> (Suite, Address, Address) {
    let (mut s, holder) = with_holder();
    let token = s.deploy_wrapped_token();
    s.set_cl_balance(CL_BALANCE);
    let value = s.view(s.pool, &P::getPooledEthBySharesCall { sharesAmount: units })._0;
    s.ok(holder, token, U256::ZERO, &W::wrapCall { stETHAmount: value + U256::from(1) });
    assert!(s.view(token, &W::balanceOfCall { account: holder })._0 >= units);
    (s, holder, token)
}

fn wrapped_balance(s: &mut Suite, token: Address, who: Address) -> U256 {
    s.view(token, &W::balanceOfCall { account: who })._0
}

#[test]
fn wrapped_requests_record_the_shares_and_split_the_unwrapped_ether_exactly() {
    let units = [ether(1), ether(1), ether(1) + U256::from(1)];
    let total = units.iter().fold(U256::ZERO, |a, b| a + b);
    let (mut s, holder, token) = with_wrapped(total);
    let queue = s.queue;
    s.ok(holder, token, U256::ZERO, &W::approveCall { spender: queue, value: total });
    let (held, queue_shares) = (wrapped_balance(&mut s, token, holder), s.shares_of(queue));
    let e = s.view(s.pool, &P::getTotalPooledEtherCall {})._0;
    let shares = s.view(s.pool, &P::totalSharesCall {})._0;
    assert!(e > shares, "an uneven rate");

    let call = Q::requestWithdrawalsWstETHCall { amounts: units.to_vec(), owner: BOB };
    let (ids, r) = s.ok(holder, queue, U256::ZERO, &call);

    assert_eq!(ids.requestIds, vec![U256::from(1), U256::from(2), U256::from(3)]);
    // The wrapped tokens left the holder, their shares reached the queue.
    assert_eq!(wrapped_balance(&mut s, token, holder), held - total);
    assert_eq!(s.shares_of(queue), queue_shares + total);
    // What the unwrap moved to the queue, by the pool's own event.
    let unwrapped: U256 = events_from::<P::Transfer>(&r, s.pool)
        .iter()
        .filter(|t| t.from == token && t.to == queue)
        .map(|t| t.value)
        .sum();
    assert_eq!(unwrapped, total * e / shares, "floor(W * E / S)");
    // Each request: its own shares, its part of the ether within a wei of exact, the parts
    // adding up to what was unwrapped.
    let requested = events_from::<WithdrawalRequested>(&r, queue);
    let mut sum = U256::ZERO;
    for (n, (event, amount)) in (1u64..).zip(requested.iter().zip(units)) {
        assert_eq!((event.requestId, event.requestor, event.owner), (U256::from(n), holder, BOB));
        assert_eq!(event.amountOfShares, amount);
        let exact_floor = amount * e / shares;
        assert!(
            event.amountOfStETH == exact_floor
                || event.amountOfStETH == exact_floor + U256::from(1)
        );
        let st = status(&mut s, n);
        assert_eq!(
            (st.amountOfStETH, st.amountOfShares, st.owner),
            (event.amountOfStETH, amount, BOB)
        );
        sum += event.amountOfStETH;
    }
    assert_eq!(sum, unwrapped);
    assert_eq!(s.view(queue, &Q::unfinalizedStETHCall {})._0, unwrapped);

    // Finalized above the request rate, each is paid its ether: the unwrapped value exactly.
    s.wait_for_finalization();
    let rate = s.share_rate() * U256::from(3) / U256::from(2);
    let (owed, _) = s.finalize(U256::from(3), rate);
    assert_eq!(owed, unwrapped);
    let before = s.vm.balance(BOB);
    let last = s.view(queue, &Q::getLastCheckpointIndexCall {})._0;
    let hints = s.view(
        queue,
        &Q::findCheckpointHintsCall {
            requestIds: ids.requestIds.clone(),
            firstIndex: U256::from(1),
            lastIndex: last,
        },
    );
    let claim = Q::claimWithdrawalsCall { requestIds: ids.requestIds, hints: hints.hintIds };
    s.ok(BOB, queue, U256::ZERO, &claim);
    assert_eq!(s.vm.balance(BOB), before + unwrapped);
}

#[test]
fn wrapped_requests_need_the_token_its_allowance_and_the_bounds() {
    let (mut s, holder) = with_holder();
    let queue = s.queue;
    let call = Q::requestWithdrawalsWstETHCall { amounts: vec![ether(1)], owner: Address::ZERO };
    // No wrapped token named in the pool yet.
    let e: InvalidAddress = revert_data(&s.send(holder, queue, U256::ZERO, &call));
    assert_eq!(e, InvalidAddress {});

    let token = s.deploy_wrapped_token();
    s.ok(holder, token, U256::ZERO, &W::wrapCall { stETHAmount: ether(2) });
    let e: W::ERC20InsufficientAllowance = revert_data(&s.send(holder, queue, U256::ZERO, &call));
    assert_eq!(
        e,
        W::ERC20InsufficientAllowance { spender: queue, allowance: U256::ZERO, needed: ether(1) }
    );

    s.ok(holder, token, U256::ZERO, &W::approveCall { spender: queue, value: U256::MAX });
    let tiny =
        Q::requestWithdrawalsWstETHCall { amounts: vec![U256::from(99)], owner: Address::ZERO };
    let e: withdrawal_queue::abi::IWithdrawalQueue::RequestAmountTooSmall =
        revert_data(&s.send(holder, queue, U256::ZERO, &tiny));
    assert_eq!((e.amount, e.min), (U256::from(99), U256::from(100)));
    assert_eq!(s.view(queue, &Q::getLastRequestIdCall {})._0, U256::ZERO);
    let (ids, _) = s.ok(holder, queue, U256::ZERO, &call);
    assert_eq!(ids.requestIds, vec![U256::from(1)]);
}

/// The holder's signed permit on the wrapped token for the queue to spend `value`.
fn wrapped_permit(s: &mut Suite, token: Address, value: U256) -> Q::PermitInput {
    let (key, owner) = signer(SEED);
    let nonce = s.view(token, &W::noncesCall { owner })._0;
    let deadline = U256::from(s.vm.timestamp() + 600);
    let permit = Permit { owner, spender: s.queue, value, nonce, deadline };
    let (v, r, sig) = sign_permit(&key, s.vm.chain_id(), token, &permit);
    Q::PermitInput { value, deadline, v, r, s: sig }
}

#[test]
fn a_wrapped_request_with_permit_needs_no_approval_and_survives_a_front_run() {
    let (mut s, holder, token) = with_wrapped(ether(3));
    let queue = s.queue;
    let permit = wrapped_permit(&mut s, token, ether(1));
    let call = Q::requestWithdrawalsWstETHWithPermitCall {
        amounts: vec![ether(1)],
        owner: Address::ZERO,
        permit,
    };
    let (ids, r) = s.ok(holder, queue, U256::ZERO, &call);
    assert_eq!(ids.requestIds, vec![U256::from(1)]);
    assert_eq!(s.view(token, &W::noncesCall { owner: holder })._0, U256::from(1));
    assert_eq!(s.view(token, &W::allowanceCall { owner: holder, spender: queue })._0, U256::ZERO);
    assert_eq!(events_from::<WithdrawalRequested>(&r, queue)[0].amountOfShares, ether(1));

    // The next permit, submitted first by CAROL: the request still goes through.
    let permit = wrapped_permit(&mut s, token, ether(1));
    let direct = W::permit_0Call {
        owner: holder,
        spender: queue,
        value: permit.value,
        deadline: permit.deadline,
        v: permit.v,
        r: permit.r,
        s: permit.s,
    };
    ok(&s.send(CAROL, token, U256::ZERO, &direct));
    let call = Q::requestWithdrawalsWstETHWithPermitCall {
        amounts: vec![ether(1)],
        owner: Address::ZERO,
        permit,
    };
    let (ids, _) = s.ok(holder, queue, U256::ZERO, &call);
    assert_eq!(ids.requestIds, vec![U256::from(2)]);

    // Used again with nothing left to spend: the token's allowance error.
    let e: W::ERC20InsufficientAllowance = revert_data(&s.send(holder, queue, U256::ZERO, &call));
    assert_eq!(
        e,
        W::ERC20InsufficientAllowance { spender: queue, allowance: U256::ZERO, needed: ether(1) }
    );
}

// ------------------------------------------------------------------ gas

/// The gas of a successful call of `data` on the queue by `who`.
fn gas(s: &mut Suite, who: Address, data: &[u8]) -> u64 {
    let queue = s.queue;
    let r = s.vm.call(who, queue, U256::ZERO, data);
    ok(&r);
    r.gas_used
}

#[test]
fn the_lido_variants_gas_for_one_request() {
    // A repeat requester (its NFT entry and the queue's words written before) and a repeat
    // signer (its permit nonce written before), as the gas report measures `requestWithdrawals`
    // and permit; each request spends the allowance to zero.
    let (mut s, holder, token) = with_wrapped(ether(2));
    let (queue, pool) = (s.queue, s.pool);
    let quarter = ether(1) / U256::from(4);
    let (call, _) = pool_permit::signed(&mut s, SEED, queue, quarter);
    s.ok(holder, queue, U256::ZERO, &with_permit(&[quarter], Address::ZERO, input(&call)));

    s.ok(holder, pool, U256::ZERO, &P::approveCall { spender: queue, amount: quarter });
    let plain = Q::requestWithdrawalsCall { amounts: vec![quarter], owner: Address::ZERO };
    let requested = gas(&mut s, holder, &plain.abi_encode());
    let (call, _) = pool_permit::signed(&mut s, SEED, queue, quarter);
    let permitted =
        gas(&mut s, holder, &with_permit(&[quarter], Address::ZERO, input(&call)).abi_encode());
    s.ok(holder, token, U256::ZERO, &W::approveCall { spender: queue, value: U256::MAX });
    let call = Q::requestWithdrawalsWstETHCall { amounts: vec![quarter], owner: Address::ZERO };
    let wrapped = gas(&mut s, holder, &call.abi_encode());
    println!("requestWithdrawals x1: {requested} gas");
    println!("requestWithdrawalsWithPermit x1: {permitted} gas");
    println!("requestWithdrawalsWstETH x1: {wrapped} gas");
    // The permit costs its verification and the allowance it writes, less than the separate
    // approve transaction it replaces (from a zero allowance, as the permit's).
    let approve = {
        let r =
            s.send(holder, pool, U256::ZERO, &P::approveCall { spender: queue, amount: quarter });
        ok(&r);
        r.gas_used
    };
    assert!(
        permitted > requested && permitted < requested + approve,
        "{permitted} against {requested} + {approve}"
    );
    assert!(wrapped > requested, "an unwrap costs more than a pull");
}
