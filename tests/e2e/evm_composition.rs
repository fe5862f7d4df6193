//! Solidity beside the Stylus programs on L2, as on Arbitrum: EVM contracts (compiled by
//! `scripts/evm-build`, deployed with a creation transaction) holding, transferring and
//! approving the pool's receipt token, depositing into the pool with value, owning and claiming
//! withdrawal NFTs, receiving the queue's ether and NFTs, and calling back into Stylus from
//! those hooks. Each composed transaction's call trace (`Receipt::calls`) is asserted frame by
//! frame, with the values carried; its gas is printed (`--nocapture`) and checked against the
//! direct path where one exists.
//!
//! The Solidity: `evm/contracts/ReceiptTokenHolder.sol` (an owner-only integrator of the
//! token), `EvmCallee.sol` (calls anything with value, bubbling revert data) and
//! `CallbackReceiver.sol` (answers `onERC721Received` as told and makes one configured call
//! from its hooks).
//!
//! Re-entry: an EVM contract called by the queue (its claim's payout, its safe-transfer hook)
//! that calls back into the queue is refused on entry with empty revert data. That is the
//! Stylus SDK's entrypoint check (`msg_reentrant`: the program is already on the stack), which
//! runs before the queue's transient guard, so the guard's `ReentrantCall` is not what a
//! re-entering EVM contract sees (`contracts/withdrawal-queue/src/claims.rs` says so too).
//! Calls on to another program (the pool) from the same hooks go through.
#![allow(missing_docs, clippy::too_many_lines)]

use alloy_primitives::{Address, Bytes, FixedBytes, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolValue};
use protocol_tests::{
    abi::{IStakingPool as P, IWithdrawalQueue as Q},
    deploy::{events_from, revert_data},
    ether, Suite, ALICE, BOB, CAROL, DAVE,
};
use staking_math::{ether_for_shares, shares_for_ether, Rounding};
use stylus_vm::{CallKind, Receipt};
use worlds::Artifact;

sol! {
    /// `evm/contracts/ReceiptTokenHolder.sol`, as a caller sees it.
    interface IReceiptTokenHolder {
        function token() external view returns (address);
        function owner() external view returns (address);
        function deposit(address from, uint256 amount) external;
        function withdraw(address to, uint256 amount) external;
        function approveSpender(address spender, uint256 amount) external;
        function balance() external view returns (uint256);
        function allowanceOf(address spender) external view returns (uint256);
        event Deposited(address indexed from, uint256 amount);
        event Withdrawn(address indexed to, uint256 amount);
        event SpenderApproved(address indexed spender, uint256 amount);
        event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
        error NotOwner(address caller);
        error TokenRefused(bytes4 selector);
    }

    /// `evm/contracts/EvmCallee.sol`, as a caller sees it.
    interface IEvmCallee {
        function callOut(address target, uint256 value, bytes calldata data) external payable returns (bytes memory result);
        function staticCallOut(address target, bytes calldata data) external view returns (bytes memory result);
        event CalledOut(address indexed target, uint256 value, bytes data, bytes result);
        event Received(address indexed sender, uint256 amount);
        error CallOutFailed(address target);
    }

    /// `evm/contracts/CallbackReceiver.sol`, as a caller sees it.
    interface ICallbackReceiver {
        function setCall(address target, uint256 value, bytes calldata data, bool strict_) external;
        function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata data) external returns (bytes4);
        event EtherReceived(address indexed sender, uint256 amount);
        event TokenReceived(address indexed token, address operator, address from, uint256 tokenId, bytes data);
        event CalledBack(address indexed target, bool ok, bytes result);
        error NotAccepting(address token, uint256 tokenId);
    }
}

use ICallbackReceiver as C;
use IEvmCallee as E;
use IReceiptTokenHolder as H;

/// A share rate of 1 (1e27 precision).
const RATE_ONE: u128 = 1_000_000_000_000_000_000_000_000_000;
const DAY: u64 = 86_400;

fn ok(r: &Receipt) {
    assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
}

/// Deploys Solidity contract `name` from `from` with a creation transaction (its init code
/// and `args`, the ABI-encoded constructor arguments); returns its address.
fn create(s: &mut Suite, from: Address, name: &str, args: &[u8]) -> Address {
    let artifact = Artifact::load(name).unwrap_or_else(|e| panic!("{e}"));
    let r = s.vm.create(from, U256::ZERO, &artifact.init_code(args));
    ok(&r);
    let address = r.contract_address.expect("a successful creation has an address");
    assert_eq!(r.calls.len(), 1);
    assert_eq!(
        (r.calls[0].kind, r.calls[0].caller, r.calls[0].address),
        (CallKind::Create, from, address)
    );
    assert!(!s.vm.code(address).is_empty());
    address
}

/// Checks that `r`'s gas breakdown adds up and that a Stylus program was entered (its entry
/// cost charged), and prints the figure (`--nocapture`).
fn gas(r: &Receipt, path: &str) {
    assert_eq!(r.breakdown.total(), r.gas_used, "{path}: the breakdown adds up");
    assert!(r.breakdown.entry > 0, "{path}: a Stylus program was entered");
    assert!(r.gas_used <= r.gas_limit);
    println!(
        "{path}: {} gas (entry {}, calls {}, storage {}, compute {})",
        r.gas_used, r.breakdown.entry, r.breakdown.calls, r.breakdown.storage, r.breakdown.compute
    );
}

/// Each frame of `r`'s call trace: (depth, kind, caller, address, value).
fn frames(r: &Receipt) -> Vec<(usize, CallKind, Address, Address, U256)> {
    r.calls.iter().map(|f| (f.depth, f.kind, f.caller, f.address, f.value)).collect()
}

/// The calldata of each frame of `r`.
fn inputs(r: &Receipt) -> Vec<Bytes> {
    r.calls.iter().map(|f| f.input.clone()).collect()
}

/// The emitters of `r`'s logs, in order.
fn emitters(r: &Receipt) -> Vec<Address> {
    r.logs.iter().map(|l| l.address).collect()
}

/// `EvmCallee.callOut(target, value, call)`.
fn call_out<C2: SolCall>(target: Address, value: U256, call: &C2) -> E::callOutCall {
    E::callOutCall { target, value, data: call.abi_encode().into() }
}

/// `onERC721Received`'s selector as `bytes4`: the answer that accepts.
fn accepts() -> FixedBytes<4> {
    FixedBytes(C::onERC721ReceivedCall::SELECTOR)
}

/// The pool's totals (pooled ether, shares).
fn totals(s: &mut Suite) -> (U256, U256) {
    let pooled = s.view(s.pool, &P::getTotalPooledEtherCall {})._0;
    let shares = s.view(s.pool, &P::totalSharesCall {})._0;
    (pooled, shares)
}

/// The checkpoint hints of `ids` over every checkpoint.
fn hints(s: &mut Suite, ids: &[U256]) -> Vec<U256> {
    let last = s.view(s.queue, &Q::getLastCheckpointIndexCall {})._0;
    let call = Q::findCheckpointHintsCall {
        requestIds: ids.to_vec(),
        firstIndex: U256::from(1),
        lastIndex: last,
    };
    s.view(s.queue, &call).hintIds
}

fn owner_of(s: &mut Suite, id: U256) -> Address {
    s.view(s.queue, &Q::ownerOfCall { tokenId: id })._0
}

fn nft_balance(s: &mut Suite, who: Address) -> U256 {
    s.view(s.queue, &Q::balanceOfCall { owner: who })._0
}

fn claimable(s: &mut Suite, ids: &[U256]) -> Vec<U256> {
    let hints = hints(s, ids);
    let call = Q::getClaimableEtherCall { requestIds: ids.to_vec(), hints };
    s.view(s.queue, &call).claimableEthValues
}

// ------------------------------------------------------------------ a Solidity token holder

/// The suite with ALICE's 10 ether in the pool (at a share rate of exactly 1) and a
/// `ReceiptTokenHolder` of the pool owned by CAROL.
fn with_holder() -> (Suite, Address) {
    let mut s = Suite::deploy();
    s.deposit(ALICE, ether(10));
    assert_eq!(s.share_rate(), U256::from(RATE_ONE));
    let pool = s.pool;
    let holder = create(&mut s, CAROL, "ReceiptTokenHolder", &pool.abi_encode());
    assert_eq!(s.view(holder, &H::tokenCall {})._0, pool);
    assert_eq!(s.view(holder, &H::ownerCall {})._0, CAROL);
    (s, holder)
}

/// ALICE approves `holder` for `amount`, and CAROL has the holder pull it; returns the pull's
/// receipt.
fn pull_into_holder(s: &mut Suite, holder: Address, amount: U256) -> Receipt {
    let pool = s.pool;
    s.ok(ALICE, pool, U256::ZERO, &P::approveCall { spender: holder, amount });
    s.ok(CAROL, holder, U256::ZERO, &H::depositCall { from: ALICE, amount }).1
}

/// A report from `REPORTER` that adds `el` of execution-layer rewards (credited to the
/// pool's address first) and changes nothing else, a day after the last block.
fn rebase(s: &mut Suite, el: U256) -> Receipt {
    s.vm.advance_time(DAY);
    let report = protocol_tests::deploy::PoolReport { el_rewards: el, ..s.quiet_report() };
    s.credit_pool(el);
    let r = s.handle_report(&report);
    ok(&r);
    r
}

#[test]
fn a_solidity_holder_pulls_the_token_and_a_rebase_raises_its_balance_not_its_shares() {
    let (mut s, holder) = with_holder();
    let pool = s.pool;

    let r = pull_into_holder(&mut s, holder, ether(4));
    // EVM -> Stylus: the holder's transferFrom runs the pool's wasm, the caller is the holder.
    assert_eq!(
        frames(&r),
        vec![
            (0, CallKind::Call, CAROL, holder, U256::ZERO),
            (1, CallKind::Call, holder, pool, U256::ZERO),
        ]
    );
    let pull = P::transferFromCall { from: ALICE, to: holder, amount: ether(4) };
    assert_eq!(inputs(&r)[1], Bytes::from(pull.abi_encode()));
    // The pool's Transfer and TransferShares, then the holder's Deposited.
    assert_eq!(emitters(&r), vec![pool, pool, holder]);
    let transfer = &events_from::<P::Transfer>(&r, pool)[0];
    assert_eq!((transfer.from, transfer.to, transfer.value), (ALICE, holder, ether(4)));
    let shares_moved = &events_from::<P::TransferShares>(&r, pool)[0];
    assert_eq!(
        (shares_moved.from, shares_moved.to, shares_moved.sharesValue),
        (ALICE, holder, ether(4))
    );
    let deposited = &events_from::<H::Deposited>(&r, holder)[0];
    assert_eq!((deposited.from, deposited.amount), (ALICE, ether(4)));
    assert_eq!(s.shares_of(holder), ether(4));
    assert_eq!(s.shares_of(ALICE), ether(6));
    assert_eq!(s.view(holder, &H::balanceCall {})._0, ether(4));
    // The allowance was spent exactly.
    let allowance = s.view(pool, &P::allowanceCall { owner: ALICE, spender: holder })._0;
    assert_eq!(allowance, U256::ZERO);
    gas(&r, "EVM holder pulls the token with transferFrom (EVM -> Stylus)");

    // An oracle report with 0.005 ether of EL rewards (0.05% on 10.001 ether, inside Lido's
    // 0.075% rebase limit; no fee is configured).
    let (pre_ether, pre_shares) = totals(&mut s);
    let el = ether(5) / U256::from(1_000);
    let r = rebase(&mut s, el);
    let (post_ether, post_shares) = totals(&mut s);
    assert_eq!((post_ether, post_shares), (pre_ether + el, pre_shares));
    let rebased = &events_from::<P::TokenRebased>(&r, pool)[0];
    assert_eq!(
        (rebased.preTotalEther, rebased.postTotalEther, rebased.preTotalShares),
        (pre_ether, post_ether, pre_shares)
    );
    assert_eq!((rebased.postTotalShares, rebased.sharesMintedAsFees), (pre_shares, U256::ZERO));
    // The holder's shares did not move; its balance, read through Solidity, grew with the rate.
    assert_eq!(s.shares_of(holder), ether(4));
    let expected = ether_for_shares(ether(4), post_shares, post_ether, Rounding::Down).unwrap();
    assert!(expected > ether(4));
    assert_eq!(s.view(holder, &H::balanceCall {})._0, expected);
    assert_eq!(s.balance_of(holder), expected);
    assert!(s.share_rate() > U256::from(RATE_ONE));
}

#[test]
fn a_solidity_holder_transfers_part_out_and_its_approved_spender_pulls_the_rest() {
    let (mut s, holder) = with_holder();
    let pool = s.pool;
    ok(&pull_into_holder(&mut s, holder, ether(4)));
    rebase(&mut s, ether(5) / U256::from(1_000));
    let held = s.shares_of(holder);

    // The holder sends 1 ether's worth to BOB: ceil(1 ether / rate) shares move.
    let (pooled, total) = totals(&mut s);
    let moved = shares_for_ether(ether(1), pooled, total, Rounding::Up).unwrap();
    let (_, r) = s.ok(CAROL, holder, U256::ZERO, &H::withdrawCall { to: BOB, amount: ether(1) });
    assert_eq!(
        frames(&r),
        vec![
            (0, CallKind::Call, CAROL, holder, U256::ZERO),
            (1, CallKind::Call, holder, pool, U256::ZERO),
        ]
    );
    let send = P::transferCall { to: BOB, amount: ether(1) };
    assert_eq!(inputs(&r)[1], Bytes::from(send.abi_encode()));
    assert_eq!(emitters(&r), vec![pool, pool, holder]);
    let transfer = &events_from::<P::Transfer>(&r, pool)[0];
    assert_eq!((transfer.from, transfer.to, transfer.value), (holder, BOB, ether(1)));
    let shares_moved = &events_from::<P::TransferShares>(&r, pool)[0];
    assert_eq!(
        (shares_moved.from, shares_moved.to, shares_moved.sharesValue),
        (holder, BOB, moved)
    );
    let withdrawn = &events_from::<H::Withdrawn>(&r, holder)[0];
    assert_eq!((withdrawn.to, withdrawn.amount), (BOB, ether(1)));
    assert_eq!(s.shares_of(BOB), moved);
    assert_eq!(s.shares_of(holder), held - moved);
    assert_eq!(s.balance_of(BOB), ether_for_shares(moved, total, pooled, Rounding::Down).unwrap());
    gas(&r, "EVM holder sends the token with transfer (EVM -> Stylus)");

    // The holder approves DAVE for all it has left.
    let rest = s.view(holder, &H::balanceCall {})._0;
    assert_eq!(rest, ether_for_shares(held - moved, total, pooled, Rounding::Down).unwrap());
    let approve = H::approveSpenderCall { spender: DAVE, amount: rest };
    let (_, r) = s.ok(CAROL, holder, U256::ZERO, &approve);
    assert_eq!(
        frames(&r),
        vec![
            (0, CallKind::Call, CAROL, holder, U256::ZERO),
            (1, CallKind::Call, holder, pool, U256::ZERO),
        ]
    );
    assert_eq!(emitters(&r), vec![pool, holder]);
    let approval = &events_from::<P::Approval>(&r, pool)[0];
    assert_eq!((approval.owner, approval.spender, approval.value), (holder, DAVE, rest));
    let approval = &events_from::<H::SpenderApproved>(&r, holder)[0];
    assert_eq!((approval.spender, approval.amount), (DAVE, rest));
    assert_eq!(s.view(holder, &H::allowanceOfCall { spender: DAVE })._0, rest);
    gas(&r, "EVM holder approves a spender (EVM -> Stylus)");

    // DAVE pulls the rest straight from the pool: the holder's shares go (ceil rounding takes
    // every share the balance stands for), the allowance is spent.
    let pulled = shares_for_ether(rest, pooled, total, Rounding::Up).unwrap();
    let call = P::transferFromCall { from: holder, to: DAVE, amount: rest };
    let (ret, r) = s.ok(DAVE, pool, U256::ZERO, &call);
    assert!(ret._0);
    let transfer = &events_from::<P::Transfer>(&r, pool)[0];
    assert_eq!((transfer.from, transfer.to, transfer.value), (holder, DAVE, rest));
    let shares_moved = &events_from::<P::TransferShares>(&r, pool)[0];
    assert_eq!(
        (shares_moved.from, shares_moved.to, shares_moved.sharesValue),
        (holder, DAVE, pulled)
    );
    assert_eq!(s.shares_of(DAVE), pulled);
    assert_eq!(s.shares_of(holder), held - moved - pulled);
    assert_eq!(s.view(holder, &H::balanceCall {})._0, s.balance_of(holder));
    assert!(s.balance_of(holder) <= U256::from(1), "at most a wei of rounding stays");
    assert_eq!(s.view(holder, &H::allowanceOfCall { spender: DAVE })._0, U256::ZERO);
}

#[test]
fn a_pull_beyond_the_allowance_reverts_with_the_pools_own_error_through_the_solidity_holder() {
    let (mut s, holder) = with_holder();
    let pool = s.pool;
    s.ok(ALICE, pool, U256::ZERO, &P::approveCall { spender: holder, amount: ether(4) });

    // Stylus -> EVM -> caller: the pool's ERC20InsufficientAllowance, bubbled by the holder
    // unchanged (not TokenRefused: the pool reverts rather than returning false).
    let call = H::depositCall { from: ALICE, amount: ether(5) };
    let r = s.send(CAROL, holder, U256::ZERO, &call);
    let error = revert_data::<P::ERC20InsufficientAllowance>(&r);
    assert_eq!((error.spender, error.allowance, error.needed), (holder, ether(4), ether(5)));
    assert!(H::TokenRefused::abi_decode(&r.output, true).is_err());
    assert!(r.logs.is_empty());
    assert_eq!(
        frames(&r),
        vec![
            (0, CallKind::Call, CAROL, holder, U256::ZERO),
            (1, CallKind::Call, holder, pool, U256::ZERO),
        ]
    );
    assert_eq!(s.shares_of(holder), U256::ZERO);
    assert_eq!(s.shares_of(ALICE), ether(10));
    let allowance = s.view(pool, &P::allowanceCall { owner: ALICE, spender: holder })._0;
    assert_eq!(allowance, ether(4));

    // More than ALICE has, within an allowance: the pool's ERC20InsufficientBalance.
    s.ok(ALICE, pool, U256::ZERO, &P::approveCall { spender: holder, amount: ether(11) });
    let call = H::depositCall { from: ALICE, amount: ether(11) };
    let r = s.send(CAROL, holder, U256::ZERO, &call);
    let error = revert_data::<P::ERC20InsufficientBalance>(&r);
    assert_eq!((error.sender, error.balance, error.needed), (ALICE, ether(10), ether(11)));

    // The holder's own check comes first: a stranger never reaches the pool.
    let r = s.send(DAVE, holder, U256::ZERO, &H::depositCall { from: ALICE, amount: ether(1) });
    assert_eq!(revert_data::<H::NotOwner>(&r).caller, DAVE);
    assert_eq!(frames(&r), vec![(0, CallKind::Call, DAVE, holder, U256::ZERO)]);
    assert_eq!(s.shares_of(holder), U256::ZERO);
}

#[test]
fn a_solidity_static_call_reads_the_pool_and_cannot_move_its_tokens() {
    let mut s = Suite::deploy();
    let pool = s.pool;
    let callee = create(&mut s, CAROL, "EvmCallee", &[]);
    s.deposit(ALICE, ether(3));
    let read = P::balanceOfCall { account: ALICE };
    let call = E::staticCallOutCall { target: pool, data: read.abi_encode().into() };
    let (ret, r) = s.ok(BOB, callee, U256::ZERO, &call);
    assert_eq!(P::balanceOfCall::abi_decode_returns(&ret.result, true).unwrap()._0, ether(3));
    assert_eq!(
        frames(&r),
        vec![
            (0, CallKind::Call, BOB, callee, U256::ZERO),
            (1, CallKind::StaticCall, callee, pool, U256::ZERO),
        ]
    );
    assert!(r.logs.is_empty());

    // The callee's own tokens, moved in a static context: the pool's storage write fails the
    // frame without revert data, which the callee reports as CallOutFailed.
    s.ok(ALICE, pool, U256::ZERO, &P::transferCall { to: callee, amount: ether(1) });
    let send = P::transferCall { to: BOB, amount: ether(1) };
    let call = E::staticCallOutCall { target: pool, data: send.abi_encode().into() };
    let r = s.send(BOB, callee, U256::ZERO, &call);
    assert_eq!(revert_data::<E::CallOutFailed>(&r).target, pool);
    assert_eq!(
        frames(&r),
        vec![
            (0, CallKind::Call, BOB, callee, U256::ZERO),
            (1, CallKind::StaticCall, callee, pool, U256::ZERO),
        ]
    );
    assert_eq!(s.balance_of(callee), ether(1));
    assert_eq!(s.balance_of(BOB), U256::ZERO);
}

// ------------------------------------------------ a Solidity contract owning a withdrawal NFT

#[test]
fn a_solidity_contract_deposits_requests_a_withdrawal_and_claims_its_ether_into_receive() {
    let mut s = Suite::deploy();
    let (pool, queue) = (s.pool, s.queue);
    let callee = create(&mut s, CAROL, "EvmCallee", &[]);
    assert_eq!(s.share_rate(), U256::from(RATE_ONE));

    // The direct path, for comparison: BOB deposits himself.
    let direct = s.deposit(BOB, ether(5));

    // EVM -> Stylus with value: ALICE sends 5 ether to the callee, which deposits them; the
    // shares are the callee's.
    let pool_before = s.vm.balance(pool);
    let deposit = P::depositCall { referral: Address::ZERO };
    let (ret, r) = s.ok(ALICE, callee, ether(5), &call_out(pool, ether(5), &deposit));
    assert_eq!(
        frames(&r),
        vec![
            (0, CallKind::Call, ALICE, callee, ether(5)),
            (1, CallKind::Call, callee, pool, ether(5)),
        ]
    );
    assert_eq!(inputs(&r)[1], Bytes::from(deposit.abi_encode()));
    assert_eq!(P::depositCall::abi_decode_returns(&ret.result, true).unwrap()._0, ether(5));
    assert_eq!(s.shares_of(callee), ether(5));
    assert_eq!(s.shares_of(ALICE), U256::ZERO);
    assert_eq!(s.vm.balance(pool), pool_before + ether(5));
    assert_eq!(s.vm.balance(callee), U256::ZERO);
    assert_eq!(emitters(&r), vec![pool, pool, pool, callee]);
    let sub = &events_from::<P::Submitted>(&r, pool)[0];
    assert_eq!((sub.sender, sub.amount, sub.referral), (callee, ether(5), Address::ZERO));
    let transfer = &events_from::<P::Transfer>(&r, pool)[0];
    assert_eq!((transfer.from, transfer.to, transfer.value), (Address::ZERO, callee, ether(5)));
    let shares_moved = &events_from::<P::TransferShares>(&r, pool)[0];
    assert_eq!(
        (shares_moved.from, shares_moved.to, shares_moved.sharesValue),
        (Address::ZERO, callee, ether(5))
    );
    let out = &events_from::<E::CalledOut>(&r, callee)[0];
    assert_eq!((out.target, out.value), (pool, ether(5)));
    assert_eq!((out.data.clone(), out.result.clone()), (deposit.abi_encode().into(), ret.result));
    assert!(r.gas_used > direct.gas_used, "the EVM frame costs something");
    gas(&r, "deposit through EvmCallee (EVM -> Stylus with value)");
    println!("  the same deposit sent directly: {} gas", direct.gas_used);

    // The callee approves the queue and requests 2 ether: a Solidity contract owns the NFT.
    let approve = P::approveCall { spender: queue, amount: ether(2) };
    s.ok(ALICE, callee, U256::ZERO, &call_out(pool, U256::ZERO, &approve));
    let request = Q::requestWithdrawalsCall { amounts: vec![ether(2)], owner: Address::ZERO };
    let (ret, r) = s.ok(ALICE, callee, U256::ZERO, &call_out(queue, U256::ZERO, &request));
    let ids = Q::requestWithdrawalsCall::abi_decode_returns(&ret.result, true).unwrap().requestIds;
    assert_eq!(ids, vec![U256::from(1)]);
    let id = ids[0];
    assert_eq!(
        frames(&r),
        vec![
            (0, CallKind::Call, ALICE, callee, U256::ZERO),
            (1, CallKind::Call, callee, queue, U256::ZERO),
            (2, CallKind::Call, queue, pool, U256::ZERO),
        ]
    );
    let pull = P::transferFromWithSharesCall { from: callee, to: queue, amount: ether(2) };
    assert_eq!(inputs(&r)[2], Bytes::from(pull.abi_encode()));
    let requested = &events_from::<Q::WithdrawalRequested>(&r, queue)[0];
    assert_eq!(
        (
            requested.requestId,
            requested.requestor,
            requested.owner,
            requested.amountOfStETH,
            requested.amountOfShares
        ),
        (id, callee, callee, ether(2), ether(2))
    );
    let minted = &events_from::<Q::Transfer>(&r, queue)[0];
    assert_eq!((minted.from, minted.to, minted.tokenId), (Address::ZERO, callee, id));
    let transfer = &events_from::<P::Transfer>(&r, pool)[0];
    assert_eq!((transfer.from, transfer.to, transfer.value), (callee, queue, ether(2)));
    assert_eq!(owner_of(&mut s, id), callee);
    assert_eq!(nft_balance(&mut s, callee), U256::from(1));
    assert_eq!(s.shares_of(callee), ether(3));
    gas(&r, "request through EvmCallee (EVM -> Stylus -> Stylus)");

    // Finalized by a report; claimed by the callee: Stylus -> EVM with value, into receive.
    s.wait_for_finalization();
    let (owed, _) = s.finalize(id, U256::from(RATE_ONE));
    assert_eq!(owed, ether(2));
    assert_eq!(claimable(&mut s, &[id]), vec![ether(2)]);
    let claim = Q::claimWithdrawalCall { requestId: id };
    let (ret, r) = s.ok(ALICE, callee, U256::ZERO, &call_out(queue, U256::ZERO, &claim));
    assert!(ret.result.is_empty());
    assert_eq!(
        frames(&r),
        vec![
            (0, CallKind::Call, ALICE, callee, U256::ZERO),
            (1, CallKind::Call, callee, queue, U256::ZERO),
            (2, CallKind::Call, queue, callee, ether(2)),
        ]
    );
    assert!(inputs(&r)[2].is_empty(), "a plain transfer reaches receive");
    assert_eq!(s.vm.balance(callee), ether(2));
    assert_eq!(emitters(&r), vec![queue, queue, callee, callee]);
    let claimed = &events_from::<Q::WithdrawalClaimed>(&r, queue)[0];
    assert_eq!(
        (claimed.requestId, claimed.owner, claimed.receiver, claimed.amountOfETH),
        (id, callee, callee, ether(2))
    );
    let burned = &events_from::<Q::Transfer>(&r, queue)[0];
    assert_eq!((burned.from, burned.to, burned.tokenId), (callee, Address::ZERO, id));
    let got = &events_from::<E::Received>(&r, callee)[0];
    assert_eq!((got.sender, got.amount), (queue, ether(2)));
    let out = &events_from::<E::CalledOut>(&r, callee)[0];
    assert_eq!((out.target, out.value, out.result.len()), (queue, U256::ZERO, 0));
    assert_eq!(nft_balance(&mut s, callee), U256::ZERO);
    assert_eq!(s.view(queue, &Q::getLockedEtherAmountCall {})._0, U256::ZERO);
    gas(&r, "claim through EvmCallee (EVM -> Stylus -> EVM receive with value)");
}

#[test]
fn a_safe_transfer_reaches_a_solidity_receiver_that_accepts_and_not_one_that_refuses() {
    let mut s = Suite::deploy();
    let queue = s.queue;
    s.deposit(ALICE, ether(10));
    let (ids, _) = s.request_withdrawals(ALICE, &[ether(1), ether(1)]);
    let accepting = create(&mut s, CAROL, "CallbackReceiver", &accepts().abi_encode());
    let reverting = create(&mut s, CAROL, "CallbackReceiver", &FixedBytes::<4>::ZERO.abi_encode());
    let wrong = create(
        &mut s,
        CAROL,
        "CallbackReceiver",
        &FixedBytes::<4>([0xde, 0xad, 0xbe, 0xef]).abi_encode(),
    );
    let no_hook = create(&mut s, CAROL, "EvmCallee", &[]);

    // Stylus -> EVM: the queue asks the Solidity receiver, which accepts.
    let data = Bytes::from_static(b"vault deposit");
    let call = Q::safeTransferFrom_1Call {
        from: ALICE,
        to: accepting,
        tokenId: ids[0],
        data: data.clone(),
    };
    let (_, r) = s.ok(ALICE, queue, U256::ZERO, &call);
    assert_eq!(
        frames(&r),
        vec![
            (0, CallKind::Call, ALICE, queue, U256::ZERO),
            (1, CallKind::Call, queue, accepting, U256::ZERO),
        ]
    );
    let hook = C::onERC721ReceivedCall {
        operator: ALICE,
        from: ALICE,
        tokenId: ids[0],
        data: data.clone(),
    };
    assert_eq!(inputs(&r)[1], Bytes::from(hook.abi_encode()));
    assert_eq!(emitters(&r), vec![queue, accepting]);
    let transfer = &events_from::<Q::Transfer>(&r, queue)[0];
    assert_eq!((transfer.from, transfer.to, transfer.tokenId), (ALICE, accepting, ids[0]));
    let got = &events_from::<C::TokenReceived>(&r, accepting)[0];
    assert_eq!(
        (got.token, got.operator, got.from, got.tokenId, got.data.clone()),
        (queue, ALICE, ALICE, ids[0], data)
    );
    assert_eq!(owner_of(&mut s, ids[0]), accepting);
    assert_eq!(nft_balance(&mut s, accepting), U256::from(1));
    gas(&r, "safeTransferFrom to a Solidity receiver (Stylus -> EVM hook)");

    // A receiver that reverts (its NotAccepting), one that answers another selector, and a
    // contract without the hook: the queue's ERC721InvalidReceiver, the NFT stays with ALICE.
    for to in [reverting, wrong, no_hook] {
        let call = Q::safeTransferFrom_0Call { from: ALICE, to, tokenId: ids[1] };
        let r = s.send(ALICE, queue, U256::ZERO, &call);
        let error = revert_data::<Q::ERC721InvalidReceiver>(&r);
        assert_eq!(error.receiver, to);
        assert!(r.logs.is_empty());
        assert_eq!(
            frames(&r),
            vec![
                (0, CallKind::Call, ALICE, queue, U256::ZERO),
                (1, CallKind::Call, queue, to, U256::ZERO)
            ]
        );
        assert_eq!(owner_of(&mut s, ids[1]), ALICE);
        assert_eq!(nft_balance(&mut s, to), U256::ZERO);
    }
    // A plain transferFrom asks no one.
    let call = Q::transferFromCall { from: ALICE, to: reverting, tokenId: ids[1] };
    let (_, r) = s.ok(ALICE, queue, U256::ZERO, &call);
    assert_eq!(frames(&r), vec![(0, CallKind::Call, ALICE, queue, U256::ZERO)]);
    assert_eq!(owner_of(&mut s, ids[1]), reverting);
}

// ----------------------------------------------------- Stylus -> EVM -> Stylus and re-entry

/// The suite with ALICE's two finalized requests of 1 ether (ids 1 and 2) and a
/// `CallbackReceiver` that accepts NFTs and owns request 2 (safely transferred by ALICE).
fn with_receiver() -> (Suite, Address, [U256; 2]) {
    let mut s = Suite::deploy();
    s.deposit(ALICE, ether(10));
    let (ids, _) = s.request_withdrawals(ALICE, &[ether(1), ether(1)]);
    let receiver = create(&mut s, CAROL, "CallbackReceiver", &accepts().abi_encode());
    let call = Q::safeTransferFrom_0Call { from: ALICE, to: receiver, tokenId: ids[1] };
    let queue = s.queue;
    s.ok(ALICE, queue, U256::ZERO, &call);
    s.wait_for_finalization();
    let (owed, _) = s.finalize(ids[1], U256::from(RATE_ONE));
    assert_eq!(owed, ether(2));
    (s, receiver, [ids[0], ids[1]])
}

/// ALICE claims `id`, the ether to `recipient`.
fn claim_to(s: &mut Suite, id: U256, recipient: Address) -> Receipt {
    let hints = hints(s, &[id]);
    let call = Q::claimWithdrawalsToCall { requestIds: vec![id], hints, recipient };
    let queue = s.queue;
    s.send(ALICE, queue, U256::ZERO, &call)
}

#[test]
fn a_claim_paying_a_solidity_contract_that_re_enters_the_queue_sees_the_re_entry_refused() {
    let (mut s, receiver, ids) = with_receiver();
    let queue = s.queue;
    // From its receive, the receiver claims its own request 2: a call back into the queue
    // while the queue is paying it. Not strict: it records the answer and accepts the ether.
    let again = Q::claimWithdrawalCall { requestId: ids[1] };
    let set = C::setCallCall {
        target: queue,
        value: U256::ZERO,
        data: again.abi_encode().into(),
        strict_: false,
    };
    s.ok(CAROL, receiver, U256::ZERO, &set);

    let r = claim_to(&mut s, ids[0], receiver);
    ok(&r);
    // Stylus -> EVM (value) -> Stylus (the same program): the last frame is refused on entry,
    // with empty revert data. This is the Stylus SDK's entrypoint check (`msg_reentrant`: the
    // queue is already on the stack), which comes before the queue's transient guard, so the
    // guard's ReentrantCall is never reached through a re-entry.
    assert_eq!(
        frames(&r),
        vec![
            (0, CallKind::Call, ALICE, queue, U256::ZERO),
            (1, CallKind::Call, queue, receiver, ether(1)),
            (2, CallKind::Call, receiver, queue, U256::ZERO),
        ]
    );
    assert_eq!(inputs(&r)[2], Bytes::from(again.abi_encode()));
    assert_eq!(emitters(&r), vec![queue, queue, receiver, receiver]);
    let back = &events_from::<C::CalledBack>(&r, receiver)[0];
    assert_eq!((back.target, back.ok, back.result.len()), (queue, false, 0));
    let got = &events_from::<C::EtherReceived>(&r, receiver)[0];
    assert_eq!((got.sender, got.amount), (queue, ether(1)));
    let claimed = &events_from::<Q::WithdrawalClaimed>(&r, queue)[0];
    assert_eq!(
        (claimed.requestId, claimed.owner, claimed.receiver, claimed.amountOfETH),
        (ids[0], ALICE, receiver, ether(1))
    );
    assert_eq!(s.vm.balance(receiver), ether(1));
    // Request 2 is untouched: still the receiver's, claimable, its ether locked.
    assert_eq!(owner_of(&mut s, ids[1]), receiver);
    assert_eq!(claimable(&mut s, &[ids[1]]), vec![ether(1)]);
    assert_eq!(s.view(queue, &Q::getLockedEtherAmountCall {})._0, ether(1));
    gas(&r, "claim to a re-entering Solidity receiver (Stylus -> EVM -> Stylus refused)");

    // Strict, the receiver bubbles the refusal: the queue's transfer fails and the whole
    // claim reverts with EtherTransferFailed; nothing moved.
    let set = C::setCallCall {
        target: queue,
        value: U256::ZERO,
        data: again.abi_encode().into(),
        strict_: true,
    };
    s.ok(CAROL, receiver, U256::ZERO, &set);
    // A third request, finalized, for ALICE to claim to the strict receiver.
    let (more, _) = s.request_withdrawals(ALICE, &[ether(1)]);
    let id = more[0];
    s.wait_for_finalization();
    s.finalize(id, U256::from(RATE_ONE));
    let locked = s.view(queue, &Q::getLockedEtherAmountCall {})._0;
    let r = claim_to(&mut s, id, receiver);
    let error = revert_data::<Q::EtherTransferFailed>(&r);
    assert_eq!((error.recipient, error.amount), (receiver, ether(1)));
    assert!(r.logs.is_empty());
    assert_eq!(
        frames(&r),
        vec![
            (0, CallKind::Call, ALICE, queue, U256::ZERO),
            (1, CallKind::Call, queue, receiver, ether(1)),
            (2, CallKind::Call, receiver, queue, U256::ZERO),
        ]
    );
    assert_eq!(owner_of(&mut s, id), ALICE);
    assert_eq!(s.vm.balance(receiver), ether(1));
    assert_eq!(locked, ether(2), "requests 2 and 3");
    assert_eq!(s.view(queue, &Q::getLockedEtherAmountCall {})._0, locked);
}

#[test]
fn a_solidity_receiver_cannot_move_an_nft_on_from_inside_the_queues_safe_transfer_hook() {
    let mut s = Suite::deploy();
    let queue = s.queue;
    s.deposit(ALICE, ether(10));
    let (ids, _) = s.request_withdrawals(ALICE, &[ether(1)]);
    let receiver = create(&mut s, CAROL, "CallbackReceiver", &accepts().abi_encode());
    // From onERC721Received, the receiver passes the NFT on to BOB: a call back into the queue
    // while the queue waits for the hook's answer.
    let on = Q::transferFromCall { from: receiver, to: BOB, tokenId: ids[0] };
    let set = C::setCallCall {
        target: queue,
        value: U256::ZERO,
        data: on.abi_encode().into(),
        strict_: false,
    };
    s.ok(CAROL, receiver, U256::ZERO, &set);
    let call = Q::safeTransferFrom_0Call { from: ALICE, to: receiver, tokenId: ids[0] };
    let (_, r) = s.ok(ALICE, queue, U256::ZERO, &call);
    assert_eq!(
        frames(&r),
        vec![
            (0, CallKind::Call, ALICE, queue, U256::ZERO),
            (1, CallKind::Call, queue, receiver, U256::ZERO),
            (2, CallKind::Call, receiver, queue, U256::ZERO),
        ]
    );
    assert_eq!(inputs(&r)[2], Bytes::from(on.abi_encode()));
    // Refused on entry with empty revert data (the SDK's re-entrancy check); the hook accepted.
    let back = &events_from::<C::CalledBack>(&r, receiver)[0];
    assert_eq!((back.target, back.ok, back.result.len()), (queue, false, 0));
    let transfers = events_from::<Q::Transfer>(&r, queue);
    assert_eq!(transfers.len(), 1);
    assert_eq!((transfers[0].from, transfers[0].to), (ALICE, receiver));
    assert_eq!(owner_of(&mut s, ids[0]), receiver);
    assert_eq!(nft_balance(&mut s, BOB), U256::ZERO);

    // Strict, the hook reverts on the refusal and the queue refuses the receiver: a second
    // NFT stays with ALICE.
    let (more, _) = s.request_withdrawals(ALICE, &[ether(1)]);
    let on = Q::transferFromCall { from: receiver, to: BOB, tokenId: more[0] };
    let set = C::setCallCall {
        target: queue,
        value: U256::ZERO,
        data: on.abi_encode().into(),
        strict_: true,
    };
    s.ok(CAROL, receiver, U256::ZERO, &set);
    let call = Q::safeTransferFrom_0Call { from: ALICE, to: receiver, tokenId: more[0] };
    let r = s.send(ALICE, queue, U256::ZERO, &call);
    assert_eq!(revert_data::<Q::ERC721InvalidReceiver>(&r).receiver, receiver);
    assert!(r.logs.is_empty());
    assert_eq!(
        frames(&r),
        vec![
            (0, CallKind::Call, ALICE, queue, U256::ZERO),
            (1, CallKind::Call, queue, receiver, U256::ZERO),
            (2, CallKind::Call, receiver, queue, U256::ZERO),
        ]
    );
    assert_eq!(owner_of(&mut s, more[0]), ALICE);
    assert_eq!(nft_balance(&mut s, receiver), U256::from(1));
    assert_eq!(owner_of(&mut s, ids[0]), receiver);
}

#[test]
fn a_claim_paid_to_a_solidity_contract_is_staked_back_into_the_pool_in_the_same_transaction() {
    let (mut s, receiver, ids) = with_receiver();
    let (pool, queue) = (s.pool, s.queue);
    // From its receive, the receiver deposits what it got: another program, not on the stack.
    let deposit = P::depositCall { referral: Address::ZERO };
    let set = C::setCallCall {
        target: pool,
        value: ether(1),
        data: deposit.abi_encode().into(),
        strict_: true,
    };
    s.ok(CAROL, receiver, U256::ZERO, &set);
    let (pooled, total) = totals(&mut s);
    let shares = shares_for_ether(ether(1), pooled, total, Rounding::Down).unwrap();
    // The same claim paid to a plain account, for comparison.
    let plain = claim_to(&mut s.clone(), ids[0], BOB);
    ok(&plain);

    let r = claim_to(&mut s, ids[0], receiver);
    ok(&r);
    // Stylus -> EVM -> Stylus, the ether passed along at each step.
    assert_eq!(
        frames(&r),
        vec![
            (0, CallKind::Call, ALICE, queue, U256::ZERO),
            (1, CallKind::Call, queue, receiver, ether(1)),
            (2, CallKind::Call, receiver, pool, ether(1)),
        ]
    );
    assert_eq!(inputs(&r)[2], Bytes::from(deposit.abi_encode()));
    assert_eq!(emitters(&r), vec![queue, queue, receiver, pool, pool, pool, receiver]);
    let got = &events_from::<C::EtherReceived>(&r, receiver)[0];
    assert_eq!((got.sender, got.amount), (queue, ether(1)));
    let sub = &events_from::<P::Submitted>(&r, pool)[0];
    assert_eq!((sub.sender, sub.amount, sub.referral), (receiver, ether(1), Address::ZERO));
    let shares_moved = &events_from::<P::TransferShares>(&r, pool)[0];
    assert_eq!(
        (shares_moved.from, shares_moved.to, shares_moved.sharesValue),
        (Address::ZERO, receiver, shares)
    );
    let back = &events_from::<C::CalledBack>(&r, receiver)[0];
    assert_eq!((back.target, back.ok), (pool, true));
    assert_eq!(back.result, Bytes::from(shares.abi_encode()));
    assert_eq!(s.vm.balance(receiver), U256::ZERO);
    assert_eq!(s.shares_of(receiver), shares);
    assert_eq!(totals(&mut s), (pooled + ether(1), total + shares));
    assert_eq!(owner_of(&mut s, ids[1]), receiver, "request 2 was not touched");
    assert!(r.gas_used > plain.gas_used);
    gas(&r, "claim restaked by a Solidity receiver (Stylus -> EVM -> Stylus, value)");
    println!("  the same claim to a plain account: {} gas", plain.gas_used);
}
