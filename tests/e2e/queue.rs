//! The withdrawal queue's release wasm (core and extension programs) on the in-process Stylus
//! VM, called through `abi/IWithdrawalQueue.sol`: requests, the ERC-721 surface, finalization
//! on the fast and the slow path, claims, views, pausing. Return values, events and decoded
//! errors are asserted; receivers and recipients that are contracts are small WAT programs
//! ([`mocks`]).
#![allow(missing_docs)]

use alloy_primitives::{Address, FixedBytes, U256};
use alloy_sol_types::{sol, SolCall, SolError};
use protocol_tests::{
    abi::{IAccessManager, IStakingPool, IWithdrawalQueue as Q},
    deploy::{events_from, revert_data, PoolReport, BOOTSTRAP},
    ether, Suite, ADMIN, ALICE, BOB, CAROL, DAVE,
};
use staking_common::roles::{PAUSE_ROLE, RESUME_ROLE, WITHDRAWAL_CONFIG_ROLE};
use stylus_vm::Receipt;
use withdrawal_queue::{
    abi::IWithdrawalQueue::{
        AccessDenied, AlreadyPaused, ArrayLengthMismatch, BunkerModeRateAboveReport,
        ERC721IncorrectOwner, ERC721InsufficientApproval, ERC721InvalidApprover,
        ERC721InvalidOperator, ERC721InvalidOwner, ERC721InvalidReceiver, ERC721NonexistentToken,
        EmptyRequest, EtherTransferFailed, InvalidBatches, InvalidFinalizationId, InvalidHint,
        InvalidRecipient, InvalidRequestBounds, InvalidRequestId, InvalidShareRate,
        NotOwnerOrApproved, NotPaused, NotPool, QueuePaused, RequestAlreadyClaimed,
        RequestAmountTooLarge, RequestAmountTooSmall, RequestNotFinalized, RequestTooRecent,
        WrongFinalizationAmount,
    },
    events::{
        Approval, ApprovalForAll, BaseURISet, BatchMetadataUpdate, BunkerModeSet,
        MinFinalizationDelaySet, Paused, RequestBoundsSet, Resumed, Transfer, WithdrawalClaimed,
        WithdrawalRequested, WithdrawalsFinalized,
    },
};

/// A share rate of 1 (1e27 precision).
const RATE_ONE: u128 = 1_000_000_000_000_000_000_000_000_000;
/// The rate a nominal checkpoint records: every request in it is paid its own ether.
const NOMINAL: u128 = (1 << 96) - 1;
/// Lido's default minimum age of a request before finalization.
const MIN_DELAY: u64 = 7_680;

sol! {
    function onERC721Received(address operator, address from, uint256 tokenId, bytes data) returns (bytes4);
}

/// `permille / 1000` of a share rate of 1.
fn rate(permille: u64) -> U256 {
    U256::from(RATE_ONE) * U256::from(permille) / U256::from(1_000)
}

/// What one ether's worth of shares (at a request rate of 1) is paid at `rate`.
fn rate_of_one_ether(rate: U256) -> U256 {
    ether(1) * rate / U256::from(RATE_ONE)
}

fn id(n: u64) -> U256 {
    U256::from(n)
}

fn ids(range: std::ops::RangeInclusive<u64>) -> Vec<U256> {
    range.map(U256::from).collect()
}

/// `n / 10` ether.
fn tenths(n: u64) -> U256 {
    ether(n) / U256::from(10)
}

/// `n / 100` ether.
fn hundredths(n: u64) -> U256 {
    ether(n) / U256::from(100)
}

/// `n` times 10^13 wei: request bounds are small (the minimum is below 2^48 wei).
fn units(n: u64) -> U256 {
    U256::from(n) * U256::from(10_000_000_000_000u64)
}

/// A suite where ALICE holds `ether(deposit)` of the token.
fn with_alice(deposit: u64) -> Suite {
    let mut s = Suite::deploy();
    s.deposit(ALICE, ether(deposit));
    s
}

/// A suite where ALICE requested `amounts` (ether) and they may be finalized now.
fn with_requests(amounts: &[u64]) -> Suite {
    let mut s = with_alice(amounts.iter().sum::<u64>() + 1);
    let amounts: Vec<U256> = amounts.iter().map(|&a| ether(a)).collect();
    s.request_withdrawals(ALICE, &amounts);
    s.wait_for_finalization();
    s
}

/// A suite where ALICE's requests of `amounts` (ether) are finalized at a rate of 1.
fn with_finalized(amounts: &[u64]) -> Suite {
    let mut s = with_requests(amounts);
    let last = s.view(s.queue, &Q::getLastRequestIdCall {})._0;
    s.finalize(last, U256::from(RATE_ONE));
    s
}

fn approve_queue(s: &mut Suite, who: Address, amount: U256) {
    s.ok(who, s.pool, U256::ZERO, &IStakingPool::approveCall { spender: s.queue, amount });
}

fn claim(s: &mut Suite, who: Address, request: U256) -> Receipt {
    s.ok(who, s.queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: request }).1
}

fn owner_of(s: &mut Suite, token: U256) -> Address {
    s.view(s.queue, &Q::ownerOfCall { tokenId: token })._0
}

fn nfts(s: &mut Suite, who: Address) -> U256 {
    s.view(s.queue, &Q::balanceOfCall { owner: who })._0
}

fn requests_of(s: &mut Suite, who: Address) -> Vec<U256> {
    s.view(s.queue, &Q::getWithdrawalRequestsCall { owner: who }).requestIds
}

fn locked(s: &mut Suite) -> U256 {
    s.view(s.queue, &Q::getLockedEtherAmountCall {})._0
}

fn last_finalized(s: &mut Suite) -> U256 {
    s.view(s.queue, &Q::getLastFinalizedRequestIdCall {})._0
}

fn checkpoint_count(s: &mut Suite) -> U256 {
    s.view(s.queue, &Q::getLastCheckpointIndexCall {})._0
}

fn checkpoint(s: &mut Suite, index: u64) -> (U256, U256) {
    let c = s.view(s.queue, &Q::getCheckpointCall { index: U256::from(index) });
    (c.firstRequestId, c.maxShareRate)
}

fn status(s: &mut Suite, request: U256) -> Q::WithdrawalRequestStatus {
    let mut all = s.view(s.queue, &Q::getWithdrawalStatusCall { requestIds: vec![request] });
    all.statuses.remove(0)
}

fn hints(s: &mut Suite, requests: &[U256]) -> Vec<U256> {
    let last = checkpoint_count(s);
    s.view(
        s.queue,
        &Q::findCheckpointHintsCall {
            requestIds: requests.to_vec(),
            firstIndex: U256::from(1),
            lastIndex: last,
        },
    )
    .hintIds
}

fn claimable(s: &mut Suite, requests: &[U256]) -> Vec<U256> {
    let hints = hints(s, requests);
    s.view(s.queue, &Q::getClaimableEtherCall { requestIds: requests.to_vec(), hints })
        .claimableEthValues
}

fn is_paused(s: &mut Suite) -> bool {
    s.view(s.queue, &Q::isPausedCall {})._0
}

/// Sends `call` to the queue from the pool's address with `value`, as the pool does inside a
/// report (the only caller `finalize` and `setBunkerMode` accept), the ether put at the pool's
/// address for the call and the pool's balance as it was afterwards: for the queue's own checks,
/// which a report never reaches (it sends exactly what `prefinalize` says).
fn from_pool<C: SolCall>(s: &mut Suite, value: U256, call: &C) -> Receipt {
    let (pool, queue) = (s.pool, s.queue);
    let balance = s.vm.balance(pool);
    s.vm.set_balance(pool, balance + value);
    let r = s.send(pool, queue, value, call);
    s.vm.set_balance(pool, balance);
    r
}

/// The queue's share balance in the pool.
fn queue_shares(s: &mut Suite) -> U256 {
    let queue = s.queue;
    s.shares_of(queue)
}

/// The shares of the unfinalized requests, summed from their statuses.
fn unfinalized_shares(s: &mut Suite) -> U256 {
    let last = s.view(s.queue, &Q::getLastRequestIdCall {})._0.to::<u64>();
    if last == 0 {
        return U256::ZERO;
    }
    let statuses =
        s.view(s.queue, &Q::getWithdrawalStatusCall { requestIds: ids(1..=last) }).statuses;
    statuses.iter().filter(|st| !st.isFinalized).map(|st| st.amountOfShares).sum()
}

/// Grants `role` to `who` (ADMIN administers every role).
fn grant(s: &mut Suite, role: alloy_primitives::B256, who: Address) {
    s.ok(ADMIN, s.manager, U256::ZERO, &IAccessManager::grantRoleCall { role, account: who });
}

/// The AccessManager's reason inside an `AccessDenied`: `who` lacks `role`.
fn assert_denied(e: &AccessDenied, who: Address, role: alloy_primitives::B256) {
    assert_eq!((e.caller, e.role), (who, role));
    let reason = access_manager::abi::IAccessManager::AccessControlUnauthorizedAccount::abi_decode(
        &e.reason, true,
    )
    .expect("the manager's own error");
    assert_eq!((reason.account, reason.neededRole), (who, role));
}

/// Contracts that receive NFTs and ether in the tests, written in WAT: each call logs its
/// calldata, makes the calls it was built with (logging each one's status and return data),
/// then answers with fixed bytes, returning (accepting) or reverting.
mod mocks {
    use std::fmt::Write as _;

    use alloy_primitives::{Address, Bytes, B256};
    use protocol_tests::Suite;
    use stylus_vm::Receipt;

    /// Topic of the log of the calldata a mock was called with.
    pub(crate) const CALLED: B256 = B256::repeat_byte(0xca);
    /// Topic of the log of one call a mock made: status byte (0 = success), return data.
    pub(crate) const CALL_MADE: B256 = B256::repeat_byte(0xcb);

    /// How a mock ends.
    #[derive(Clone, Copy)]
    pub(crate) enum End {
        /// Returns its answer (status 0).
        Accept,
        /// Reverts with its answer (status 1).
        Reject,
    }

    fn bytes(data: &[u8]) -> String {
        data.iter().fold(String::new(), |mut s, b| {
            write!(s, "\\{b:02x}").expect("writing to a string");
            s
        })
    }

    /// The WAT of a mock making `calls` (target, calldata; no value, all gas) and ending with
    /// `answer`.
    pub(crate) fn wat(calls: &[(Address, Vec<u8>)], answer: &[u8], end: End) -> String {
        // Memory: topics at 0 and 32, a zero value word at 64, the return-data length at 96,
        // the answer at 1,024, the calls' targets and calldata from 2,048, the calldata log
        // at 16,384, the call logs at 32,768.
        let mut payloads = Vec::new();
        let mut code = String::new();
        for (to, data) in calls {
            let at = 2_048 + payloads.len();
            payloads.extend_from_slice(to.as_slice());
            payloads.extend_from_slice(data);
            write!(
                code,
                r"
    (i32.store8 (i32.const 32800)
      (call $call (i32.const {at}) (i32.const {data_at}) (i32.const {len}) (i32.const 64)
        (i64.const -1) (i32.const 96)))
    (memory.copy (i32.const 32768) (i32.const 32) (i32.const 32))
    (local.set $n
      (call $read_return_data (i32.const 32801) (i32.const 0) (i32.load (i32.const 96))))
    (call $emit_log (i32.const 32768) (i32.add (i32.const 33) (local.get $n)) (i32.const 1))",
                data_at = at + 20,
                len = data.len(),
            )
            .expect("writing to a string");
        }
        assert!(payloads.len() < 14_000, "the calls fit their memory");
        let status = match end {
            End::Accept => 0,
            End::Reject => 1,
        };
        format!(
            r#"(module
  (import "vm_hooks" "read_args" (func $read_args (param i32)))
  (import "vm_hooks" "write_result" (func $write_result (param i32 i32)))
  (import "vm_hooks" "call_contract"
    (func $call (param i32 i32 i32 i32 i64 i32) (result i32)))
  (import "vm_hooks" "read_return_data" (func $read_return_data (param i32 i32 i32) (result i32)))
  (import "vm_hooks" "emit_log" (func $emit_log (param i32 i32 i32)))
  (memory (export "memory") 1 1)
  (data (i32.const 0) "{topics}")
  (data (i32.const 1024) "{answer_bytes}")
  (data (i32.const 2048) "{payload_bytes}")
  (func (export "user_entrypoint") (param $len i32) (result i32)
    (local $n i32)
    (memory.copy (i32.const 16384) (i32.const 0) (i32.const 32))
    (call $read_args (i32.const 16416))
    (call $emit_log (i32.const 16384) (i32.add (local.get $len) (i32.const 32)) (i32.const 1)){code}
    (call $write_result (i32.const 1024) (i32.const {answer_len}))
    (i32.const {status})))"#,
            topics = bytes(&[CALLED.as_slice(), CALL_MADE.as_slice()].concat()),
            answer_bytes = bytes(answer),
            payload_bytes = bytes(&payloads),
            answer_len = answer.len(),
        )
    }

    /// Deploys a mock (see [`wat`]); returns its address.
    pub(crate) fn deploy(
        s: &mut Suite,
        calls: &[(Address, Vec<u8>)],
        answer: &[u8],
        end: End,
    ) -> Address {
        let wasm = wat::parse_str(wat(calls, answer, end)).expect("the mock assembles");
        protocol_tests::deploy::create_and_activate(&mut s.vm, protocol_tests::deploy::ADMIN, &wasm)
    }

    /// The calldata of each call `mock` received in `receipt`.
    pub(crate) fn calls_received(receipt: &Receipt, mock: Address) -> Vec<Bytes> {
        receipt
            .logs
            .iter()
            .filter(|l| l.address == mock && l.topics() == [CALLED])
            .map(|l| l.data.data.clone())
            .collect()
    }

    /// `(status, return data)` of each call `mock` made in `receipt`.
    pub(crate) fn calls_made(receipt: &Receipt, mock: Address) -> Vec<(u8, Vec<u8>)> {
        receipt
            .logs
            .iter()
            .filter(|l| l.address == mock && l.topics() == [CALL_MADE])
            .map(|l| (l.data.data[0], l.data.data[1..].to_vec()))
            .collect()
    }
}

use mocks::End;

/// The answer that accepts an NFT: `onERC721Received`'s selector as an ABI `bytes4` word.
fn accepts_nft() -> Vec<u8> {
    let mut word = vec![0u8; 32];
    word[..4].copy_from_slice(&onERC721ReceivedCall::SELECTOR);
    word
}

// ---------------------------------------------------------------------------------- requests

mod requests {
    use super::*;

    #[test]
    fn one_request_moves_the_tokens_into_the_queue_and_mints_an_nft() {
        let mut s = with_alice(10);
        approve_queue(&mut s, ALICE, ether(3));
        let (ret, r) = s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::requestWithdrawalsCall { amounts: vec![ether(3)], owner: Address::ZERO },
        );
        assert_eq!(ret.requestIds, vec![id(1)]);
        assert_eq!(
            events_from::<WithdrawalRequested>(&r, s.queue),
            vec![WithdrawalRequested {
                requestId: id(1),
                requestor: ALICE,
                owner: ALICE,
                amountOfStETH: ether(3),
                amountOfShares: ether(3),
            }]
        );
        assert_eq!(
            events_from::<Transfer>(&r, s.queue),
            vec![Transfer { from: Address::ZERO, to: ALICE, tokenId: id(1) }]
        );
        assert_eq!(
            events_from::<staking_pool::abi::IStakingPool::Transfer>(&r, s.pool),
            vec![staking_pool::abi::IStakingPool::Transfer {
                from: ALICE,
                to: s.queue,
                value: ether(3)
            }]
        );
        assert_eq!(
            events_from::<staking_pool::abi::IStakingPool::TransferShares>(&r, s.pool),
            vec![staking_pool::abi::IStakingPool::TransferShares {
                from: ALICE,
                to: s.queue,
                sharesValue: ether(3)
            }]
        );
        assert_eq!(s.balance_of(ALICE), ether(7));
        assert_eq!(s.balance_of(s.queue), ether(3));
        assert_eq!(s.shares_of(s.queue), ether(3));
        assert_eq!(
            s.view(s.pool, &IStakingPool::allowanceCall { owner: ALICE, spender: s.queue })._0,
            U256::ZERO,
            "the allowance is spent"
        );
        assert_eq!(owner_of(&mut s, id(1)), ALICE);
        assert_eq!(nfts(&mut s, ALICE), U256::from(1));
        let st = status(&mut s, id(1));
        assert_eq!((st.amountOfStETH, st.amountOfShares, st.owner), (ether(3), ether(3), ALICE));
        assert_eq!(st.timestamp, U256::from(s.vm.timestamp()));
        assert!(!st.isFinalized && !st.isClaimed);
    }

    #[test]
    fn ten_requests_in_one_call_get_consecutive_ids_and_one_token_move() {
        let mut s = with_alice(100);
        let amounts: Vec<U256> = (1..=10).map(ether).collect();
        let (got, r) = s.request_withdrawals(ALICE, &amounts);
        assert_eq!(got, ids(1..=10));
        let requested = events_from::<WithdrawalRequested>(&r, s.queue);
        assert_eq!(requested.len(), 10);
        for (i, e) in requested.iter().enumerate() {
            assert_eq!((e.requestId, e.requestor, e.owner), (got[i], ALICE, ALICE));
            assert_eq!((e.amountOfStETH, e.amountOfShares), (amounts[i], amounts[i]));
        }
        let minted: Vec<U256> =
            events_from::<Transfer>(&r, s.queue).iter().map(|t| t.tokenId).collect();
        assert_eq!(minted, got);
        assert_eq!(
            events_from::<staking_pool::abi::IStakingPool::Transfer>(&r, s.pool).len(),
            1,
            "one pull from the pool for the whole call"
        );
        assert_eq!(s.balance_of(s.queue), ether(55));
        assert_eq!(nfts(&mut s, ALICE), U256::from(10));
        assert_eq!(requests_of(&mut s, ALICE), got);
        assert_eq!(s.view(s.queue, &Q::unfinalizedStETHCall {})._0, ether(55));
        assert_eq!(s.view(s.queue, &Q::unfinalizedRequestNumberCall {})._0, U256::from(10));
        assert_eq!(s.view(s.queue, &Q::getLastRequestIdCall {})._0, U256::from(10));
    }

    #[test]
    fn the_shares_of_one_call_are_split_by_rounding_the_running_total_up() {
        let mut s = with_alice(1);
        // Triple the pooled ether: 3 wei per share.
        let pooled = ether(1) + U256::from(BOOTSTRAP);
        s.set_cl_balance((pooled * U256::from(2)).to());
        assert_eq!(s.share_rate(), U256::from(3 * RATE_ONE));
        let hundred = U256::from(100);
        let (_, r) = s.request_withdrawals(ALICE, &[hundred, hundred, hundred]);
        let shares: Vec<U256> = events_from::<WithdrawalRequested>(&r, s.queue)
            .iter()
            .map(|e| e.amountOfShares)
            .collect();
        assert_eq!(shares, vec![U256::from(34), U256::from(33), U256::from(33)]);
        let moved = events_from::<staking_pool::abi::IStakingPool::TransferShares>(&r, s.pool);
        assert_eq!(moved[0].sharesValue, U256::from(100), "ceil(300 / 3) shares moved");
    }

    #[test]
    fn requests_may_mint_their_nfts_to_another_owner() {
        let mut s = with_alice(10);
        approve_queue(&mut s, ALICE, ether(3));
        let (ret, r) = s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::requestWithdrawalsCall { amounts: vec![ether(1), ether(2)], owner: BOB },
        );
        assert_eq!(ret.requestIds, ids(1..=2));
        for e in events_from::<WithdrawalRequested>(&r, s.queue) {
            assert_eq!((e.requestor, e.owner), (ALICE, BOB));
        }
        assert_eq!(
            events_from::<Transfer>(&r, s.queue),
            vec![
                Transfer { from: Address::ZERO, to: BOB, tokenId: id(1) },
                Transfer { from: Address::ZERO, to: BOB, tokenId: id(2) },
            ]
        );
        assert_eq!(nfts(&mut s, ALICE), U256::ZERO);
        assert_eq!(nfts(&mut s, BOB), U256::from(2));
        assert_eq!(requests_of(&mut s, BOB), ids(1..=2));
        assert_eq!(s.balance_of(ALICE), ether(7), "the tokens came from the caller");

        // BOB, not ALICE, claims them.
        s.wait_for_finalization();
        s.finalize(id(2), U256::from(RATE_ONE));
        let e: NotOwnerOrApproved =
            s.revert(ALICE, s.queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: id(1) });
        assert_eq!(e, NotOwnerOrApproved { requestId: id(1), caller: ALICE });
        let before = s.vm.balance(BOB);
        claim(&mut s, BOB, id(1));
        assert_eq!(s.vm.balance(BOB) - before, ether(1));
    }

    #[test]
    fn split_requests_take_the_fewest_requests_within_the_bounds() {
        let mut s = with_alice(3_000);
        approve_queue(&mut s, ALICE, ether(2_500));
        let (ret, _) = s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::requestWithdrawalsSplitCall { total: ether(2_500), owner: Address::ZERO },
        );
        assert_eq!(ret.requestIds, ids(1..=3));
        let st = s.view(s.queue, &Q::getWithdrawalStatusCall { requestIds: ids(1..=3) }).statuses;
        let amounts: Vec<U256> = st.iter().map(|x| x.amountOfStETH).collect();
        assert_eq!(amounts, vec![ether(1_000), ether(1_000), ether(500)]);
    }

    #[test]
    fn a_split_remainder_below_the_minimum_borrows_from_the_request_before_it() {
        let mut s = with_alice(100);
        let (_, r) = s.ok(
            ADMIN,
            s.queue,
            U256::ZERO,
            &Q::setRequestBoundsCall { min: units(10), max: units(100) },
        );
        assert_eq!(
            events_from::<RequestBoundsSet>(&r, s.queue),
            vec![RequestBoundsSet { min: units(10), max: units(100) }]
        );
        let bounds = s.view(s.queue, &Q::getRequestBoundsCall {});
        assert_eq!((bounds.min, bounds.max), (units(10), units(100)));
        approve_queue(&mut s, ALICE, ether(100));
        let split = |s: &mut Suite, total: U256| {
            let (ret, _) = s.ok(
                ALICE,
                s.queue,
                U256::ZERO,
                &Q::requestWithdrawalsSplitCall { total, owner: Address::ZERO },
            );
            let st = s
                .view(s.queue, &Q::getWithdrawalStatusCall { requestIds: ret.requestIds })
                .statuses;
            st.iter().map(|x| x.amountOfStETH).collect::<Vec<_>>()
        };
        // 205 = 100 + 95 + 10: the 5 left over borrows 5 from the request before it.
        assert_eq!(split(&mut s, units(205)), vec![units(100), units(95), units(10)]);
        assert_eq!(split(&mut s, units(215)), vec![units(100), units(100), units(15)]);
        assert_eq!(split(&mut s, units(200)), vec![units(100), units(100)]);
        assert_eq!(split(&mut s, units(35)), vec![units(35)]);
        assert_eq!(split(&mut s, units(10)), vec![units(10)]);
        let e: RequestAmountTooSmall = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::requestWithdrawalsSplitCall { total: units(5), owner: Address::ZERO },
        );
        assert_eq!(e, RequestAmountTooSmall { amount: units(5), min: units(10) });
        // The requests just made show the bounds in force; amounts outside them are refused.
        let e: RequestAmountTooLarge = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::requestWithdrawalsCall { amounts: vec![units(101)], owner: Address::ZERO },
        );
        assert_eq!(e, RequestAmountTooLarge { amount: units(101), max: units(100) });
    }

    #[test]
    fn a_split_with_the_default_bounds_keeps_the_100_wei_minimum() {
        let mut s = with_alice(1_100);
        let total = ether(1_000) + U256::from(50);
        approve_queue(&mut s, ALICE, total);
        let (ret, _) = s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::requestWithdrawalsSplitCall { total, owner: Address::ZERO },
        );
        let st = s.view(s.queue, &Q::getWithdrawalStatusCall { requestIds: ret.requestIds });
        let amounts: Vec<U256> = st.statuses.iter().map(|x| x.amountOfStETH).collect();
        assert_eq!(amounts, vec![ether(1_000) - U256::from(50), U256::from(100)]);
    }

    #[test]
    fn amounts_outside_the_bounds_are_refused_and_change_nothing() {
        let mut s = with_alice(2_000);
        approve_queue(&mut s, ALICE, ether(2_000));
        let request = |amounts: Vec<U256>| Q::requestWithdrawalsCall { amounts, owner: ALICE };
        let e: RequestAmountTooSmall =
            s.revert(ALICE, s.queue, U256::ZERO, &request(vec![ether(1), U256::from(99)]));
        assert_eq!(e, RequestAmountTooSmall { amount: U256::from(99), min: U256::from(100) });
        let too_big = ether(1_000) + U256::from(1);
        let e: RequestAmountTooLarge =
            s.revert(ALICE, s.queue, U256::ZERO, &request(vec![too_big]));
        assert_eq!(e, RequestAmountTooLarge { amount: too_big, max: ether(1_000) });
        let e: RequestAmountTooLarge =
            s.revert(ALICE, s.queue, U256::ZERO, &request(vec![U256::MAX]));
        assert_eq!(e, RequestAmountTooLarge { amount: U256::MAX, max: ether(1_000) });
        assert_eq!(s.view(s.queue, &Q::getLastRequestIdCall {})._0, U256::ZERO);
        assert_eq!(s.balance_of(ALICE), ether(2_000));

        // The bounds themselves are accepted.
        let (ret, _) =
            s.ok(ALICE, s.queue, U256::ZERO, &request(vec![U256::from(100), ether(1_000)]));
        assert_eq!(ret.requestIds, ids(1..=2));
    }

    #[test]
    fn request_bounds_are_checked_and_need_the_config_role() {
        let mut s = Suite::deploy();
        let min_too_wide = U256::from(1u64 << 48);
        let max_too_wide = U256::from(1u64 << 48) * U256::from(1_000_000_000);
        for (min, max) in [
            (U256::ZERO, units(100)),
            (units(10), units(19)),
            (units(10), units(100) + U256::from(1)),
            (min_too_wide, min_too_wide * U256::from(4)),
            (units(10), max_too_wide),
        ] {
            let e: InvalidRequestBounds =
                s.revert(ADMIN, s.queue, U256::ZERO, &Q::setRequestBoundsCall { min, max });
            assert_eq!(e, InvalidRequestBounds { min, max });
        }
        let e: AccessDenied = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::setRequestBoundsCall { min: units(10), max: units(100) },
        );
        assert_denied(&e, ALICE, WITHDRAWAL_CONFIG_ROLE);
        let bounds = s.view(s.queue, &Q::getRequestBoundsCall {});
        assert_eq!((bounds.min, bounds.max), (U256::from(100), ether(1_000)), "unchanged");
        // The widest bounds the packing holds are accepted.
        let widest = Q::setRequestBoundsCall {
            min: min_too_wide - U256::from(1),
            max: max_too_wide - U256::from(1_000_000_000),
        };
        s.ok(ADMIN, s.queue, U256::ZERO, &widest);
    }

    #[test]
    fn an_empty_list_of_amounts_is_refused() {
        let mut s = with_alice(1);
        let e: EmptyRequest = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::requestWithdrawalsCall { amounts: vec![], owner: Address::ZERO },
        );
        assert_eq!(e, EmptyRequest {});
    }

    #[test]
    fn the_pools_allowance_balance_and_pause_errors_reach_the_caller_unchanged() {
        let mut s = with_alice(10);
        let request = |amount: U256| Q::requestWithdrawalsCall {
            amounts: vec![amount],
            owner: Address::ZERO,
        };
        approve_queue(&mut s, ALICE, ether(1));
        let e: staking_pool::abi::IStakingPool::ERC20InsufficientAllowance =
            s.revert(ALICE, s.queue, U256::ZERO, &request(ether(2)));
        assert_eq!(
            e,
            staking_pool::abi::IStakingPool::ERC20InsufficientAllowance {
                spender: s.queue,
                allowance: ether(1),
                needed: ether(2)
            }
        );
        approve_queue(&mut s, ALICE, ether(100));
        let e: staking_pool::abi::IStakingPool::ERC20InsufficientBalance =
            s.revert(ALICE, s.queue, U256::ZERO, &request(ether(20)));
        assert_eq!(
            e,
            staking_pool::abi::IStakingPool::ERC20InsufficientBalance {
                sender: ALICE,
                balance: ether(10),
                needed: ether(20)
            }
        );
        s.ok(ADMIN, s.pool, U256::ZERO, &IStakingPool::pauseTokenCall {});
        let e: staking_pool::abi::IStakingPool::TokenIsPaused =
            s.revert(ALICE, s.queue, U256::ZERO, &request(ether(1)));
        assert_eq!(e, staking_pool::abi::IStakingPool::TokenIsPaused {});
        assert_eq!(s.view(s.queue, &Q::getLastRequestIdCall {})._0, U256::ZERO);
    }
}

// ---------------------------------------------------------------------------------- ERC-721

mod nft {
    use super::*;

    #[test]
    fn owner_of_and_balance_of_follow_the_requests() {
        let mut s = with_alice(10);
        s.request_withdrawals(ALICE, &[ether(1), ether(1)]);
        assert_eq!(owner_of(&mut s, id(2)), ALICE);
        assert_eq!(nfts(&mut s, ALICE), U256::from(2));
        assert_eq!(nfts(&mut s, BOB), U256::ZERO);
        for missing in [0, 3, u64::MAX] {
            let e: ERC721NonexistentToken = s.revert(
                ALICE,
                s.queue,
                U256::ZERO,
                &Q::ownerOfCall { tokenId: U256::from(missing) },
            );
            assert_eq!(e, ERC721NonexistentToken { tokenId: U256::from(missing) });
        }
        let e: ERC721InvalidOwner =
            s.revert(ALICE, s.queue, U256::ZERO, &Q::balanceOfCall { owner: Address::ZERO });
        assert_eq!(e, ERC721InvalidOwner { owner: Address::ZERO });
        assert_eq!(s.view(s.queue, &Q::nameCall {})._0, "sETH Withdrawal NFT");
        assert_eq!(s.view(s.queue, &Q::symbolCall {})._0, "unsETH");
    }

    #[test]
    fn the_owner_transfers_an_nft_and_the_claim_goes_with_it() {
        let mut s = with_alice(10);
        s.request_withdrawals(ALICE, &[ether(1), ether(2)]);
        let (_, r) = s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::transferFromCall { from: ALICE, to: BOB, tokenId: id(2) },
        );
        assert_eq!(
            events_from::<Transfer>(&r, s.queue),
            vec![Transfer { from: ALICE, to: BOB, tokenId: id(2) }]
        );
        assert_eq!(owner_of(&mut s, id(2)), BOB);
        assert_eq!((nfts(&mut s, ALICE), nfts(&mut s, BOB)), (U256::from(1), U256::from(1)));
        assert_eq!(requests_of(&mut s, ALICE), vec![id(1)]);
        assert_eq!(requests_of(&mut s, BOB), vec![id(2)]);
        assert_eq!(status(&mut s, id(2)).owner, BOB);

        // To oneself: nothing moves but the event.
        s.ok(BOB, s.queue, U256::ZERO, &Q::transferFromCall { from: BOB, to: BOB, tokenId: id(2) });
        assert_eq!(nfts(&mut s, BOB), U256::from(1));

        s.wait_for_finalization();
        s.finalize(id(2), U256::from(RATE_ONE));
        let e: NotOwnerOrApproved =
            s.revert(ALICE, s.queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: id(2) });
        assert_eq!(e, NotOwnerOrApproved { requestId: id(2), caller: ALICE });
        let before = s.vm.balance(BOB);
        claim(&mut s, BOB, id(2));
        assert_eq!(s.vm.balance(BOB) - before, ether(2));
    }

    #[test]
    fn bad_transfers_revert_with_openzeppelins_errors_in_its_order() {
        let mut s = with_alice(10);
        s.request_withdrawals(ALICE, &[ether(1)]);
        let transfer = |from: Address, to: Address, token: u64| Q::transferFromCall {
            from,
            to,
            tokenId: id(token),
        };
        let e: ERC721InvalidReceiver =
            s.revert(CAROL, s.queue, U256::ZERO, &transfer(ALICE, Address::ZERO, 9));
        assert_eq!(e, ERC721InvalidReceiver { receiver: Address::ZERO });
        let e: ERC721NonexistentToken =
            s.revert(ALICE, s.queue, U256::ZERO, &transfer(ALICE, BOB, 9));
        assert_eq!(e, ERC721NonexistentToken { tokenId: id(9) });
        let e: ERC721InsufficientApproval =
            s.revert(CAROL, s.queue, U256::ZERO, &transfer(ALICE, CAROL, 1));
        assert_eq!(e, ERC721InsufficientApproval { operator: CAROL, tokenId: id(1) });
        let e: ERC721IncorrectOwner =
            s.revert(ALICE, s.queue, U256::ZERO, &transfer(BOB, CAROL, 1));
        assert_eq!(e, ERC721IncorrectOwner { sender: BOB, tokenId: id(1), owner: ALICE });
        assert_eq!(owner_of(&mut s, id(1)), ALICE);
    }

    #[test]
    fn an_approved_address_may_move_the_token_once_and_the_approval_is_cleared() {
        let mut s = with_alice(10);
        s.request_withdrawals(ALICE, &[ether(1)]);
        let (_, r) =
            s.ok(ALICE, s.queue, U256::ZERO, &Q::approveCall { to: CAROL, tokenId: id(1) });
        assert_eq!(
            events_from::<Approval>(&r, s.queue),
            vec![Approval { owner: ALICE, approved: CAROL, tokenId: id(1) }]
        );
        assert_eq!(s.view(s.queue, &Q::getApprovedCall { tokenId: id(1) })._0, CAROL);
        let (_, r) = s.ok(
            CAROL,
            s.queue,
            U256::ZERO,
            &Q::transferFromCall { from: ALICE, to: BOB, tokenId: id(1) },
        );
        assert!(events_from::<Approval>(&r, s.queue).is_empty(), "cleared without an event");
        assert_eq!(owner_of(&mut s, id(1)), BOB);
        assert_eq!(s.view(s.queue, &Q::getApprovedCall { tokenId: id(1) })._0, Address::ZERO);
        let e: ERC721InsufficientApproval = s.revert(
            CAROL,
            s.queue,
            U256::ZERO,
            &Q::transferFromCall { from: BOB, to: CAROL, tokenId: id(1) },
        );
        assert_eq!(e, ERC721InsufficientApproval { operator: CAROL, tokenId: id(1) });

        let e: ERC721InvalidApprover =
            s.revert(ALICE, s.queue, U256::ZERO, &Q::approveCall { to: ALICE, tokenId: id(1) });
        assert_eq!(e, ERC721InvalidApprover { approver: ALICE });
        let e: ERC721NonexistentToken =
            s.revert(ALICE, s.queue, U256::ZERO, &Q::approveCall { to: CAROL, tokenId: id(2) });
        assert_eq!(e, ERC721NonexistentToken { tokenId: id(2) });
        let e: ERC721NonexistentToken =
            s.revert(ALICE, s.queue, U256::ZERO, &Q::getApprovedCall { tokenId: id(2) });
        assert_eq!(e, ERC721NonexistentToken { tokenId: id(2) });
    }

    #[test]
    fn an_operator_moves_and_approves_all_of_the_owners_tokens_until_revoked() {
        let mut s = with_alice(10);
        s.request_withdrawals(ALICE, &[ether(1), ether(1), ether(1)]);
        let (_, r) = s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::setApprovalForAllCall { operator: DAVE, approved: true },
        );
        assert_eq!(
            events_from::<ApprovalForAll>(&r, s.queue),
            vec![ApprovalForAll { owner: ALICE, operator: DAVE, approved: true }]
        );
        assert!(s.view(s.queue, &Q::isApprovedForAllCall { owner: ALICE, operator: DAVE })._0);
        s.ok(
            DAVE,
            s.queue,
            U256::ZERO,
            &Q::transferFromCall { from: ALICE, to: BOB, tokenId: id(1) },
        );
        let (_, r) = s.ok(DAVE, s.queue, U256::ZERO, &Q::approveCall { to: CAROL, tokenId: id(2) });
        assert_eq!(
            events_from::<Approval>(&r, s.queue),
            vec![Approval { owner: ALICE, approved: CAROL, tokenId: id(2) }]
        );
        s.ok(
            CAROL,
            s.queue,
            U256::ZERO,
            &Q::transferFromCall { from: ALICE, to: CAROL, tokenId: id(2) },
        );
        assert_eq!((owner_of(&mut s, id(1)), owner_of(&mut s, id(2))), (BOB, CAROL));

        s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::setApprovalForAllCall { operator: DAVE, approved: false },
        );
        assert!(!s.view(s.queue, &Q::isApprovedForAllCall { owner: ALICE, operator: DAVE })._0);
        let e: ERC721InsufficientApproval = s.revert(
            DAVE,
            s.queue,
            U256::ZERO,
            &Q::transferFromCall { from: ALICE, to: DAVE, tokenId: id(3) },
        );
        assert_eq!(e, ERC721InsufficientApproval { operator: DAVE, tokenId: id(3) });
        let e: ERC721InvalidOperator = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::setApprovalForAllCall { operator: Address::ZERO, approved: true },
        );
        assert_eq!(e, ERC721InvalidOperator { operator: Address::ZERO });
    }

    #[test]
    fn safe_transfer_to_a_plain_account_calls_nothing() {
        let mut s = with_alice(10);
        s.request_withdrawals(ALICE, &[ether(1)]);
        let (_, r) = s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::safeTransferFrom_0Call { from: ALICE, to: BOB, tokenId: id(1) },
        );
        assert_eq!(
            events_from::<Transfer>(&r, s.queue),
            vec![Transfer { from: ALICE, to: BOB, tokenId: id(1) }]
        );
        assert_eq!(owner_of(&mut s, id(1)), BOB);
    }

    #[test]
    fn safe_transfer_to_a_contract_that_accepts_tells_it_the_operator_sender_id_and_data() {
        let mut s = with_alice(10);
        s.request_withdrawals(ALICE, &[ether(1), ether(1)]);
        let receiver = mocks::deploy(&mut s, &[], &accepts_nft(), End::Accept);
        let (_, r) = s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::safeTransferFrom_0Call { from: ALICE, to: receiver, tokenId: id(1) },
        );
        assert_eq!(owner_of(&mut s, id(1)), receiver);
        let got = mocks::calls_received(&r, receiver);
        assert_eq!(got.len(), 1);
        let call = onERC721ReceivedCall::abi_decode(&got[0], true).expect("ABI-encoded call");
        assert_eq!((call.operator, call.from, call.tokenId), (ALICE, ALICE, id(1)));
        assert!(call.data.is_empty());

        // With data, by an approved operator.
        s.ok(ALICE, s.queue, U256::ZERO, &Q::approveCall { to: CAROL, tokenId: id(2) });
        let data = b"some bytes for the receiver, more than one word long".to_vec();
        let (_, r) = s.ok(
            CAROL,
            s.queue,
            U256::ZERO,
            &Q::safeTransferFrom_1Call {
                from: ALICE,
                to: receiver,
                tokenId: id(2),
                data: data.clone().into(),
            },
        );
        let got = mocks::calls_received(&r, receiver);
        let call = onERC721ReceivedCall::abi_decode(&got[0], true).expect("ABI-encoded call");
        assert_eq!((call.operator, call.from, call.tokenId), (CAROL, ALICE, id(2)));
        assert_eq!(call.data.to_vec(), data);
        assert_eq!(nfts(&mut s, receiver), U256::from(2));
    }

    #[test]
    fn safe_transfer_to_a_contract_that_does_not_accept_reverts_and_moves_nothing() {
        let mut s = with_alice(10);
        s.request_withdrawals(ALICE, &[ether(1)]);
        let wrong_word = mocks::deploy(&mut s, &[], &[0u8; 32], End::Accept);
        let silent = mocks::deploy(&mut s, &[], &[], End::Accept);
        let reverting = mocks::deploy(&mut s, &[], &accepts_nft(), End::Reject);
        for receiver in [wrong_word, silent, reverting] {
            let e: ERC721InvalidReceiver = s.revert(
                ALICE,
                s.queue,
                U256::ZERO,
                &Q::safeTransferFrom_0Call { from: ALICE, to: receiver, tokenId: id(1) },
            );
            assert_eq!(e, ERC721InvalidReceiver { receiver });
            let e: ERC721InvalidReceiver = s.revert(
                ALICE,
                s.queue,
                U256::ZERO,
                &Q::safeTransferFrom_1Call {
                    from: ALICE,
                    to: receiver,
                    tokenId: id(1),
                    data: vec![1, 2, 3].into(),
                },
            );
            assert_eq!(e, ERC721InvalidReceiver { receiver });
        }
        assert_eq!(owner_of(&mut s, id(1)), ALICE);
        assert_eq!(nfts(&mut s, ALICE), U256::from(1));
        // A plain transferFrom does not ask.
        s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::transferFromCall { from: ALICE, to: silent, tokenId: id(1) },
        );
        assert_eq!(owner_of(&mut s, id(1)), silent);
    }

    #[test]
    fn token_uri_is_empty_until_a_base_uri_is_set() {
        let mut s = with_alice(20);
        let amounts = vec![ether(1); 12];
        s.request_withdrawals(ALICE, &amounts);
        assert_eq!(s.view(s.queue, &Q::tokenURICall { tokenId: id(12) })._0, "");
        let base = "https://nft.example.invalid/withdrawals/";
        let (_, r) = s.ok(ADMIN, s.queue, U256::ZERO, &Q::setBaseURICall { baseURI: base.into() });
        assert_eq!(
            events_from::<BaseURISet>(&r, s.queue),
            vec![BaseURISet { baseURI: base.into() }]
        );
        assert_eq!(s.view(s.queue, &Q::tokenURICall { tokenId: id(12) })._0, format!("{base}12"));
        assert_eq!(s.view(s.queue, &Q::tokenURICall { tokenId: id(1) })._0, format!("{base}1"));
        let e: ERC721NonexistentToken =
            s.revert(ALICE, s.queue, U256::ZERO, &Q::tokenURICall { tokenId: id(13) });
        assert_eq!(e, ERC721NonexistentToken { tokenId: id(13) });
        let e: AccessDenied =
            s.revert(ALICE, s.queue, U256::ZERO, &Q::setBaseURICall { baseURI: "x".into() });
        assert_denied(&e, ALICE, WITHDRAWAL_CONFIG_ROLE);
    }

    #[test]
    fn supports_erc165_erc721_metadata_and_erc4906_only() {
        let mut s = Suite::deploy();
        let mut supports = |id: [u8; 4]| {
            s.view(s.queue, &Q::supportsInterfaceCall { interfaceId: FixedBytes(id) })._0
        };
        for yes in [
            [0x01, 0xff, 0xc9, 0xa7],
            [0x80, 0xac, 0x58, 0xcd],
            [0x5b, 0x5e, 0x13, 0x9f],
            [0x49, 0x06, 0x49, 0x06],
        ] {
            assert!(supports(yes), "{yes:02x?}");
        }
        // ERC-721 enumerable, the ERC-165 invalid id, nothing.
        for no in [[0x78, 0x0e, 0x9d, 0x63], [0xff; 4], [0; 4]] {
            assert!(!supports(no), "{no:02x?}");
        }
    }
}

// ---------------------------------------------------------------------------------- finalization

mod finalization {
    use super::*;

    #[test]
    fn a_report_finalizes_a_batch_for_exactly_its_ether_and_burns_its_shares() {
        let mut s = with_requests(&[1, 2, 3]);
        let (owed, shares) = s.prefinalize(id(2), U256::from(RATE_ONE));
        assert_eq!((owed, shares), (ether(3), ether(3)));
        let (_, r) = s.finalize(id(2), U256::from(RATE_ONE));
        assert_eq!(
            events_from::<WithdrawalsFinalized>(&r, s.queue),
            vec![WithdrawalsFinalized {
                from: id(1),
                to: id(2),
                amountOfETHLocked: ether(3),
                sharesToBurn: ether(3),
                maxShareRate: U256::from(RATE_ONE),
                timestamp: U256::from(s.vm.timestamp()),
            }]
        );
        assert_eq!(
            events_from::<BatchMetadataUpdate>(&r, s.queue),
            vec![BatchMetadataUpdate { _fromTokenId: id(1), _toTokenId: id(2) }]
        );
        assert_eq!(locked(&mut s), ether(3));
        assert_eq!(s.vm.balance(s.queue), ether(3));
        assert_eq!(queue_shares(&mut s), ether(3), "request 3's shares alone stay");
        assert_eq!(last_finalized(&mut s), id(2));
        assert_eq!(checkpoint_count(&mut s), U256::from(1));
        assert_eq!(checkpoint(&mut s, 1), (id(1), U256::from(NOMINAL)));
        assert!(status(&mut s, id(2)).isFinalized);
        assert!(!status(&mut s, id(3)).isFinalized);
        assert_eq!(s.view(s.queue, &Q::unfinalizedStETHCall {})._0, ether(3));
        assert_eq!(s.view(s.queue, &Q::unfinalizedRequestNumberCall {})._0, U256::from(1));
    }

    #[test]
    fn the_pool_switches_bunker_mode_in_a_report_without_holding_a_role() {
        let mut s = with_requests(&[2]);
        let r = s.set_bunker_mode(true);
        assert_eq!(events_from::<BunkerModeSet>(&r, s.queue), vec![BunkerModeSet { active: true }]);
        assert!(s.view(s.queue, &Q::isBunkerModeActiveCall {})._0);
        let r = s.set_bunker_mode(false);
        assert_eq!(
            events_from::<BunkerModeSet>(&r, s.queue),
            vec![BunkerModeSet { active: false }]
        );
        assert!(!s.view(s.queue, &Q::isBunkerModeActiveCall {})._0);
    }

    #[test]
    fn finalize_must_carry_exactly_the_ether_owed() {
        let mut s = with_requests(&[1, 2]);
        let call = Q::finalizeCall { lastIdToFinalize: id(2), maxShareRate: U256::from(RATE_ONE) };
        for sent in [U256::ZERO, ether(3) - U256::from(1), ether(3) + U256::from(1)] {
            let e: WrongFinalizationAmount = revert_data(&from_pool(&mut s, sent, &call));
            assert_eq!(e, WrongFinalizationAmount { sent, owed: ether(3) });
        }
        assert_eq!(s.vm.balance(s.queue), U256::ZERO);
        // A report sends exactly what prefinalize says.
        let (owed, _) = s.finalize(id(2), U256::from(RATE_ONE));
        assert_eq!((owed, s.vm.balance(s.queue)), (ether(3), ether(3)));
    }

    #[test]
    fn finalize_refuses_ids_already_finalized_or_past_the_last_and_bad_rates() {
        let mut s = with_requests(&[1, 1, 1]);
        s.finalize(id(1), U256::from(RATE_ONE));
        let finalize =
            |last: U256, rate: U256| Q::finalizeCall { lastIdToFinalize: last, maxShareRate: rate };
        for last in [U256::ZERO, id(1), id(4), U256::MAX] {
            let e: InvalidFinalizationId =
                revert_data(&from_pool(&mut s, U256::ZERO, &finalize(last, U256::from(RATE_ONE))));
            assert_eq!(
                e,
                InvalidFinalizationId { requested: last, lastFinalized: id(1), lastRequest: id(3) }
            );
        }
        for bad in [U256::ZERO, U256::from(NOMINAL), U256::MAX] {
            let e: InvalidShareRate =
                revert_data(&from_pool(&mut s, U256::ZERO, &finalize(id(2), bad)));
            assert_eq!(e, InvalidShareRate { maxShareRate: bad });
        }
        // prefinalize checks its batches the same way.
        for batches in [vec![], vec![id(1)], vec![id(3), id(2)], vec![id(4)]] {
            let e: InvalidBatches = s.revert(
                ALICE,
                s.queue,
                U256::ZERO,
                &Q::prefinalizeCall { batches, maxShareRate: U256::from(RATE_ONE) },
            );
            assert_eq!(e, InvalidBatches {});
        }
        let two = s.view(
            s.queue,
            &Q::prefinalizeCall { batches: vec![id(2), id(3)], maxShareRate: U256::from(RATE_ONE) },
        );
        assert_eq!(two.ethToLock, ether(2), "through the last batch end");
    }

    #[test]
    fn a_request_younger_than_the_minimum_delay_cannot_be_finalized() {
        let mut s = with_alice(10);
        assert_eq!(s.view(s.queue, &Q::getMinFinalizationDelayCall {})._0, U256::from(MIN_DELAY));
        s.request_withdrawals(ALICE, &[ether(1)]);
        let made = s.vm.timestamp();
        s.vm.advance_time(MIN_DELAY - 1);
        // A report reaches the queue's check through prefinalize, and the error comes back
        // unchanged.
        let report = s.finalization_report(id(1), U256::from(RATE_ONE));
        let e: RequestTooRecent = revert_data(&s.handle_report(&report));
        assert_eq!(
            e,
            RequestTooRecent { requestId: id(1), finalizableAt: U256::from(made + MIN_DELAY) }
        );
        s.vm.advance_time(1);
        s.finalize(id(1), U256::from(RATE_ONE));

        // A shorter delay, set by the config role, takes effect at once.
        let (_, r) = s.ok(
            ADMIN,
            s.queue,
            U256::ZERO,
            &Q::setMinFinalizationDelayCall { delay: U256::from(60) },
        );
        assert_eq!(
            events_from::<MinFinalizationDelaySet>(&r, s.queue),
            vec![MinFinalizationDelaySet { delay: U256::from(60) }]
        );
        s.request_withdrawals(ALICE, &[ether(1)]);
        s.vm.advance_time(60);
        s.finalize(id(2), U256::from(RATE_ONE));
        let e: AccessDenied = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::setMinFinalizationDelayCall { delay: U256::ZERO },
        );
        assert_denied(&e, ALICE, WITHDRAWAL_CONFIG_ROLE);
    }

    /// ALICE requests 12 ether at a share rate of 1.2 (10 shares), then the rate falls back to 1
    /// and BOB requests 5 ether (5 shares). Returns the suite, both ready to finalize.
    fn requests_before_and_after_a_loss() -> Suite {
        let mut s = with_alice(100);
        let pooled = ether(100) + U256::from(BOOTSTRAP);
        s.set_cl_balance((pooled / U256::from(5)).to());
        assert_eq!(s.share_rate(), rate(1_200));
        let (_, r) = s.request_withdrawals(ALICE, &[ether(12)]);
        assert_eq!(events_from::<WithdrawalRequested>(&r, s.queue)[0].amountOfShares, ether(10));
        s.set_cl_balance(0);
        assert_eq!(s.share_rate(), U256::from(RATE_ONE));
        s.deposit(BOB, ether(10));
        s.request_withdrawals(BOB, &[ether(5)]);
        s.wait_for_finalization();
        s
    }

    #[test]
    fn a_falling_share_rate_takes_the_slow_path_and_pays_the_lower_of_ether_and_shares_at_rate() {
        let mut s = requests_before_and_after_a_loss();
        let (owed, shares) = s.prefinalize(id(2), U256::from(RATE_ONE));
        // ALICE: min(12, 10 shares x 1) = 10; BOB: min(5, 5 x 1) = 5.
        assert_eq!((owed, shares), (ether(15), ether(15)));
        let (_, r) = s.finalize(id(2), U256::from(RATE_ONE));
        let e = &events_from::<WithdrawalsFinalized>(&r, s.queue)[0];
        assert_eq!((e.amountOfETHLocked, e.sharesToBurn), (ether(15), ether(15)));
        assert_eq!(checkpoint(&mut s, 1), (id(1), U256::from(RATE_ONE)), "a rated checkpoint");
        assert_eq!(claimable(&mut s, &ids(1..=2)), vec![ether(10), ether(5)]);

        let before = s.vm.balance(ALICE);
        let r = claim(&mut s, ALICE, id(1));
        assert_eq!(s.vm.balance(ALICE) - before, ether(10));
        assert_eq!(
            events_from::<WithdrawalClaimed>(&r, s.queue),
            vec![WithdrawalClaimed {
                requestId: id(1),
                owner: ALICE,
                receiver: ALICE,
                amountOfETH: ether(10)
            }]
        );
        let before = s.vm.balance(BOB);
        claim(&mut s, BOB, id(2));
        assert_eq!(s.vm.balance(BOB) - before, ether(5));
        assert_eq!(locked(&mut s), U256::ZERO);
        assert_eq!(s.vm.balance(s.queue), U256::ZERO);
    }

    #[test]
    fn a_report_rate_below_one_pays_every_request_at_that_rate() {
        let mut s = with_requests(&[1, 2]);
        let (owed, _) = s.finalize(id(2), rate(900));
        assert_eq!(owed, tenths(27));
        assert_eq!(checkpoint(&mut s, 1), (id(1), rate(900)));
        assert_eq!(claimable(&mut s, &ids(1..=2)), vec![tenths(9), tenths(18)]);
    }

    #[test]
    fn bunker_mode_refuses_a_batch_with_a_request_above_the_report_rate() {
        let mut s = requests_before_and_after_a_loss();
        let r = s.set_bunker_mode(true);
        assert_eq!(events_from::<BunkerModeSet>(&r, s.queue), vec![BunkerModeSet { active: true }]);
        let r = s.set_bunker_mode(true);
        assert!(events_from::<BunkerModeSet>(&r, s.queue).is_empty(), "no change, no event");
        let expected =
            BunkerModeRateAboveReport { requestId: id(1), maxShareRate: U256::from(RATE_ONE) };
        let e: BunkerModeRateAboveReport = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::prefinalizeCall { batches: vec![id(2)], maxShareRate: U256::from(RATE_ONE) },
        );
        assert_eq!(e, expected);
        let report = s.finalization_report(id(2), U256::from(RATE_ONE));
        let e: BunkerModeRateAboveReport = revert_data(&s.handle_report(&report));
        assert_eq!(e, expected);
        let e: BunkerModeRateAboveReport = revert_data(&from_pool(
            &mut s,
            ether(15),
            &Q::finalizeCall { lastIdToFinalize: id(2), maxShareRate: U256::from(RATE_ONE) },
        ));
        assert_eq!(e, expected);
        assert_eq!(last_finalized(&mut s), U256::ZERO);

        // At the rate ALICE requested at, nobody is above the report: both are paid in full.
        let (owed, _) = s.finalize(id(2), rate(1_200));
        assert_eq!(owed, ether(17));
        let r = s.set_bunker_mode(false);
        assert_eq!(
            events_from::<BunkerModeSet>(&r, s.queue),
            vec![BunkerModeSet { active: false }]
        );
        assert!(!s.view(s.queue, &Q::isBunkerModeActiveCall {})._0);
    }

    #[test]
    fn consecutive_fast_path_finalizations_share_one_nominal_checkpoint() {
        let mut s = with_alice(100);
        for _ in 0..4 {
            s.request_withdrawals(ALICE, &[ether(1)]);
            s.vm.advance_time(60);
        }
        s.wait_for_finalization();
        s.finalize(id(1), U256::from(RATE_ONE));
        let (_, r) = s.finalize(id(2), rate(1_050));
        assert_eq!(events_from::<WithdrawalsFinalized>(&r, s.queue)[0].maxShareRate, rate(1_050));
        assert_eq!(checkpoint_count(&mut s), U256::from(1), "extended, not a new checkpoint");
        assert_eq!(checkpoint(&mut s, 1), (id(1), U256::from(NOMINAL)));

        // A loss: a rated checkpoint of its own.
        let (owed, _) = s.finalize(id(3), rate(950));
        assert_eq!(owed, hundredths(95));
        assert_eq!(checkpoint_count(&mut s), U256::from(2));
        assert_eq!(checkpoint(&mut s, 2), (id(3), rate(950)));

        // Then an ordinary report again: a new nominal checkpoint, which the next extends.
        s.finalize(id(4), U256::from(RATE_ONE));
        assert_eq!(checkpoint_count(&mut s), U256::from(3));
        assert_eq!(checkpoint(&mut s, 3), (id(4), U256::from(NOMINAL)));
        s.request_withdrawals(ALICE, &[ether(1)]);
        s.wait_for_finalization();
        s.finalize(id(5), rate(1_010));
        assert_eq!(checkpoint_count(&mut s), U256::from(3));
        assert_eq!(checkpoint(&mut s, 4), (U256::ZERO, U256::ZERO), "no such checkpoint");

        let all = ids(1..=5);
        assert_eq!(hints(&mut s, &all), vec![id(1), id(1), id(2), id(3), id(3)]);
        let one = ether(1);
        assert_eq!(claimable(&mut s, &all), vec![one, one, hundredths(95), one, one]);
        assert_eq!(locked(&mut s), ether(4) + hundredths(95));
    }

    #[test]
    fn a_near_zero_report_rate_locks_nothing_and_the_claim_burns_the_nft_for_nothing() {
        let mut s = with_requests(&[1]);
        let (owed, r) = s.finalize(id(1), U256::from(1));
        assert_eq!(owed, U256::ZERO, "1e18 shares x 1e-27 rounds down to nothing");
        let e = &events_from::<WithdrawalsFinalized>(&r, s.queue)[0];
        assert_eq!((e.amountOfETHLocked, e.sharesToBurn), (U256::ZERO, ether(1)));
        assert_eq!(checkpoint(&mut s, 1), (id(1), U256::from(1)));
        let before = s.vm.balance(ALICE);
        let r = claim(&mut s, ALICE, id(1));
        assert_eq!(s.vm.balance(ALICE), before);
        assert_eq!(
            events_from::<WithdrawalClaimed>(&r, s.queue),
            vec![WithdrawalClaimed {
                requestId: id(1),
                owner: ALICE,
                receiver: ALICE,
                amountOfETH: U256::ZERO
            }]
        );
        assert_eq!(nfts(&mut s, ALICE), U256::ZERO);
    }
}

// ------------------------------------------------------------ finalization comes only with a report

/// Issue 13, point 1: `finalize` and `setBunkerMode` used to accept `FINALIZE_ROLE` besides the
/// pool. A request finalized that way was paid from the caller's ether at any rate it named,
/// and its shares stayed in the queue for good. Now the pool alone calls them, inside a report.
mod finalization_only_in_reports {
    use super::*;

    /// The id the removed `FINALIZE_ROLE` had: `keccak256("FINALIZE_ROLE")`.
    fn former_finalize_role() -> alloy_primitives::B256 {
        alloy_primitives::keccak256("FINALIZE_ROLE")
    }

    /// Everything a finalization or a bunker switch could change.
    fn snapshot(s: &mut Suite, callers: &[Address]) -> Vec<U256> {
        let (pool, queue) = (s.pool, s.queue);
        let mut out: Vec<U256> =
            (0..=3).map(|k| U256::from_be_bytes(s.vm.storage(queue, U256::from(k)).0)).collect();
        out.extend((0..=1).map(|k| U256::from_be_bytes(s.vm.storage(pool, U256::from(k)).0)));
        for who in [queue, pool].iter().chain(callers) {
            out.push(s.vm.balance(*who));
        }
        out.push(queue_shares(s));
        out.push(s.view(pool, &IStakingPool::totalSharesCall {})._0);
        out
    }

    #[test]
    fn a_stranger_a_former_finalize_role_holder_and_governance_cannot_finalize_or_set_bunker_mode()
    {
        // ALICE's 10 ether request, old enough to finalize; the pool's rate is 1e27.
        let mut s = with_requests(&[10]);
        grant(&mut s, former_finalize_role(), CAROL);
        let has = IAccessManager::hasRoleCall { role: former_finalize_role(), account: CAROL };
        assert!(s.view(s.manager, &has)._0);
        for who in [BOB, CAROL, DAVE, ADMIN] {
            s.vm.set_balance(who, ether(100));
        }
        let before = snapshot(&mut s, &[BOB, CAROL, ADMIN]);
        // The attack of the issue: 10 ether paid 10 gwei (rate 1e18 in 1e27 precision), and
        // the honest-looking call at the pool's own rate with the right ether: both refused.
        let tiny = U256::from(1_000_000_000_000_000_000u64);
        let (dust, _) = s.prefinalize(id(1), tiny);
        assert_eq!(dust, U256::from(10_000_000_000u64), "10 gwei for 10 ether");
        for who in [BOB, CAROL, ADMIN] {
            for (rate, value) in [(tiny, dust), (U256::from(RATE_ONE), ether(10))] {
                let call = Q::finalizeCall { lastIdToFinalize: id(1), maxShareRate: rate };
                let e: NotPool = s.revert(who, s.queue, value, &call);
                assert_eq!(e, NotPool { caller: who });
            }
            for active in [true, false] {
                let e: NotPool =
                    s.revert(who, s.queue, U256::ZERO, &Q::setBunkerModeCall { active });
                assert_eq!(e, NotPool { caller: who });
            }
        }
        assert_eq!(snapshot(&mut s, &[BOB, CAROL, ADMIN]), before, "nothing changed");
        assert_eq!(last_finalized(&mut s), U256::ZERO);
        assert!(!s.view(s.queue, &Q::isBunkerModeActiveCall {})._0);
    }

    #[test]
    fn a_report_burns_exactly_the_finalized_requests_shares_in_the_same_transaction() {
        let mut s = with_requests(&[10, 1, 2]);
        // Lido's request margin is as long as the queue's delay: one second more for it.
        s.vm.advance_time(1);
        let (pool, queue) = (s.pool, s.queue);
        let rate = s.share_rate();
        let (owed, burned) = s.prefinalize(id(2), rate);
        assert_eq!((owed, burned), (ether(11), ether(11)));
        let (queued, total) =
            (queue_shares(&mut s), s.view(pool, &IStakingPool::totalSharesCall {})._0);
        assert_eq!(queued, ether(13));
        // A report at the pool's own rate, under Lido's limits (50 BP), as an oracle sends it.
        let report = PoolReport {
            limits: alloy_primitives::B256::from(staking_math::sanity::Limits::LIDO.pack()),
            ..s.finalization_report(id(2), rate)
        };
        let r = s.handle_report(&report);
        assert!(r.success, "{:?}", r.status);
        assert_eq!(
            events_from::<staking_pool::abi::IStakingPool::TransferShares>(&r, pool),
            vec![staking_pool::abi::IStakingPool::TransferShares {
                from: queue,
                to: Address::ZERO,
                sharesValue: burned
            }]
        );
        let finalized = events_from::<WithdrawalsFinalized>(&r, queue);
        assert_eq!(
            (finalized.len(), finalized[0].sharesToBurn, finalized[0].amountOfETHLocked),
            (1, burned, owed)
        );
        assert_eq!(queue_shares(&mut s), queued - burned);
        assert_eq!(queue_shares(&mut s), unfinalized_shares(&mut s), "request 3's alone");
        assert_eq!(s.view(pool, &IStakingPool::totalSharesCall {})._0, total - burned);
        assert_eq!((locked(&mut s), s.vm.balance(queue)), (owed, owed));
        assert_eq!(s.share_rate(), rate);
    }
}

// ---------------------------------------------------------------------------------- claims

mod claims {
    use super::*;

    #[test]
    fn the_owner_claims_exactly_its_ether_and_the_nft_is_burned() {
        let mut s = with_finalized(&[1, 2]);
        let before = s.vm.balance(ALICE);
        let r = claim(&mut s, ALICE, id(2));
        assert_eq!(s.vm.balance(ALICE) - before, ether(2), "exactly the payout");
        assert_eq!(
            events_from::<WithdrawalClaimed>(&r, s.queue),
            vec![WithdrawalClaimed {
                requestId: id(2),
                owner: ALICE,
                receiver: ALICE,
                amountOfETH: ether(2)
            }]
        );
        assert_eq!(
            events_from::<Transfer>(&r, s.queue),
            vec![Transfer { from: ALICE, to: Address::ZERO, tokenId: id(2) }]
        );
        assert_eq!(locked(&mut s), ether(1));
        assert_eq!(s.vm.balance(s.queue), ether(1));
        assert_eq!(nfts(&mut s, ALICE), U256::from(1));
        let e: ERC721NonexistentToken =
            s.revert(ALICE, s.queue, U256::ZERO, &Q::ownerOfCall { tokenId: id(2) });
        assert_eq!(e, ERC721NonexistentToken { tokenId: id(2) });
        let st = status(&mut s, id(2));
        assert!(st.isFinalized && st.isClaimed);
        assert_eq!((st.amountOfStETH, st.owner), (U256::ZERO, Address::ZERO));
        assert_eq!(claimable(&mut s, &[id(2)]), vec![U256::ZERO]);
        // A burned token cannot move.
        let e: ERC721NonexistentToken = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::transferFromCall { from: ALICE, to: BOB, tokenId: id(2) },
        );
        assert_eq!(e, ERC721NonexistentToken { tokenId: id(2) });
    }

    #[test]
    fn claim_withdrawals_to_pays_another_recipient_in_one_transfer() {
        let mut s = with_finalized(&[1, 2, 3]);
        let all = ids(1..=3);
        let h = hints(&mut s, &all);
        assert_eq!(h, vec![id(1); 3]);
        let (alice, carol) = (s.vm.balance(ALICE), s.vm.balance(CAROL));
        let (_, r) = s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::claimWithdrawalsToCall { requestIds: all.clone(), hints: h, recipient: CAROL },
        );
        assert_eq!(s.vm.balance(CAROL) - carol, ether(6));
        assert_eq!(s.vm.balance(ALICE), alice);
        let claimed = events_from::<WithdrawalClaimed>(&r, s.queue);
        assert_eq!(claimed.len(), 3);
        for (e, (n, amount)) in claimed.iter().zip([(1, 1), (2, 2), (3, 3)]) {
            assert_eq!(
                (e.requestId, e.owner, e.receiver, e.amountOfETH),
                (id(n), ALICE, CAROL, ether(amount))
            );
        }
        assert_eq!(locked(&mut s), U256::ZERO);
        assert_eq!(nfts(&mut s, ALICE), U256::ZERO);
        assert!(requests_of(&mut s, ALICE).is_empty());
        let e: InvalidRecipient = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::claimWithdrawalsToCall {
                requestIds: vec![id(1)],
                hints: vec![id(1)],
                recipient: Address::ZERO,
            },
        );
        assert_eq!(e, InvalidRecipient { recipient: Address::ZERO });
    }

    #[test]
    fn claims_with_hints_from_find_checkpoint_hints_across_checkpoints() {
        let mut s = with_requests(&[1, 1, 1, 1]);
        s.finalize(id(2), rate(900));
        s.finalize(id(4), U256::from(RATE_ONE));
        let all = ids(1..=4);
        let h = hints(&mut s, &all);
        assert_eq!(h, vec![id(1), id(1), id(2), id(2)]);
        // A narrower search range finds only what it covers.
        let narrow = s.view(
            s.queue,
            &Q::findCheckpointHintsCall {
                requestIds: all.clone(),
                firstIndex: id(2),
                lastIndex: id(2),
            },
        );
        assert_eq!(narrow.hintIds, vec![U256::ZERO, U256::ZERO, id(2), id(2)]);
        let before = s.vm.balance(ALICE);
        s.ok(ALICE, s.queue, U256::ZERO, &Q::claimWithdrawalsCall { requestIds: all, hints: h });
        assert_eq!(s.vm.balance(ALICE) - before, tenths(18) + ether(2));
        assert_eq!(locked(&mut s), U256::ZERO);
    }

    #[test]
    fn a_wrong_hint_is_refused() {
        let mut s = with_requests(&[1, 1]);
        s.finalize(id(1), rate(900));
        s.finalize(id(2), U256::from(RATE_ONE));
        let claim_with = |request: u64, hint: U256| Q::claimWithdrawalsCall {
            requestIds: vec![id(request)],
            hints: vec![hint],
        };
        for (request, hint) in [(1, U256::ZERO), (1, id(2)), (2, id(1)), (2, id(3)), (2, U256::MAX)]
        {
            let e: InvalidHint = s.revert(ALICE, s.queue, U256::ZERO, &claim_with(request, hint));
            assert_eq!(e, InvalidHint { requestId: id(request), hint });
        }
        let e: InvalidHint = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::getClaimableEtherCall { requestIds: vec![id(1)], hints: vec![id(2)] },
        );
        assert_eq!(e, InvalidHint { requestId: id(1), hint: id(2) });
        let e: ArrayLengthMismatch = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::claimWithdrawalsCall { requestIds: ids(1..=2), hints: vec![id(1)] },
        );
        assert_eq!(e, ArrayLengthMismatch { ids: U256::from(2), hints: U256::from(1) });
        let e: EmptyRequest = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::claimWithdrawalsCall { requestIds: vec![], hints: vec![] },
        );
        assert_eq!(e, EmptyRequest {});
        s.ok(ALICE, s.queue, U256::ZERO, &claim_with(1, id(1)));
        s.ok(ALICE, s.queue, U256::ZERO, &claim_with(2, id(2)));
    }

    #[test]
    fn a_stranger_cannot_claim_but_an_approved_address_and_an_operator_can() {
        let mut s = with_finalized(&[1, 2, 3]);
        let e: NotOwnerOrApproved =
            s.revert(BOB, s.queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: id(1) });
        assert_eq!(e, NotOwnerOrApproved { requestId: id(1), caller: BOB });

        s.ok(ALICE, s.queue, U256::ZERO, &Q::approveCall { to: BOB, tokenId: id(1) });
        let before = s.vm.balance(BOB);
        let r = claim(&mut s, BOB, id(1));
        assert_eq!(s.vm.balance(BOB) - before, ether(1), "paid to the approved caller");
        assert_eq!(
            events_from::<WithdrawalClaimed>(&r, s.queue),
            vec![WithdrawalClaimed {
                requestId: id(1),
                owner: ALICE,
                receiver: BOB,
                amountOfETH: ether(1)
            }]
        );
        let e: NotOwnerOrApproved =
            s.revert(BOB, s.queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: id(2) });
        assert_eq!(e, NotOwnerOrApproved { requestId: id(2), caller: BOB });

        s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::setApprovalForAllCall { operator: CAROL, approved: true },
        );
        let before = s.vm.balance(DAVE);
        s.ok(
            CAROL,
            s.queue,
            U256::ZERO,
            &Q::claimWithdrawalsToCall {
                requestIds: ids(2..=3),
                hints: vec![id(1), id(1)],
                recipient: DAVE,
            },
        );
        assert_eq!(s.vm.balance(DAVE) - before, ether(5));
        assert_eq!(nfts(&mut s, ALICE), U256::ZERO);
    }

    #[test]
    fn an_approval_ends_with_a_transfer_and_cannot_claim_for_the_new_owner() {
        let mut s = with_finalized(&[1]);
        s.ok(ALICE, s.queue, U256::ZERO, &Q::approveCall { to: BOB, tokenId: id(1) });
        s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::transferFromCall { from: ALICE, to: CAROL, tokenId: id(1) },
        );
        let e: NotOwnerOrApproved =
            s.revert(BOB, s.queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: id(1) });
        assert_eq!(e, NotOwnerOrApproved { requestId: id(1), caller: BOB });
        let e: NotOwnerOrApproved =
            s.revert(ALICE, s.queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: id(1) });
        assert_eq!(e, NotOwnerOrApproved { requestId: id(1), caller: ALICE });
        let before = s.vm.balance(CAROL);
        let r = claim(&mut s, CAROL, id(1));
        assert_eq!(s.vm.balance(CAROL) - before, ether(1));
        assert_eq!(events_from::<WithdrawalClaimed>(&r, s.queue)[0].owner, CAROL);
    }

    #[test]
    fn a_request_is_claimed_once_and_only_once_finalized() {
        let mut s = with_requests(&[1, 1]);
        let e: RequestNotFinalized =
            s.revert(ALICE, s.queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: id(1) });
        assert_eq!(e, RequestNotFinalized { requestId: id(1) });
        s.finalize(id(1), U256::from(RATE_ONE));
        let e: RequestNotFinalized =
            s.revert(ALICE, s.queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: id(2) });
        assert_eq!(e, RequestNotFinalized { requestId: id(2) });
        for missing in [U256::ZERO, id(3), U256::MAX] {
            let e: InvalidRequestId = s.revert(
                ALICE,
                s.queue,
                U256::ZERO,
                &Q::claimWithdrawalCall { requestId: missing },
            );
            assert_eq!(e, InvalidRequestId { requestId: missing });
        }
        claim(&mut s, ALICE, id(1));
        let e: RequestAlreadyClaimed =
            s.revert(ALICE, s.queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: id(1) });
        assert_eq!(e, RequestAlreadyClaimed { requestId: id(1) });
        // In one call, twice: the second sees the first.
        s.finalize(id(2), U256::from(RATE_ONE));
        let e: RequestAlreadyClaimed = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::claimWithdrawalsCall { requestIds: vec![id(2), id(2)], hints: vec![id(1), id(1)] },
        );
        assert_eq!(e, RequestAlreadyClaimed { requestId: id(2) });
        assert_eq!(locked(&mut s), ether(1));
    }

    #[test]
    fn a_recipient_that_rejects_ether_reverts_the_whole_claim_and_leaves_it_claimable() {
        let mut s = with_finalized(&[1, 2]);
        let rejecting = mocks::deploy(&mut s, &[], b"no ether, thanks", End::Reject);
        let e: EtherTransferFailed = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::claimWithdrawalsToCall {
                requestIds: ids(1..=2),
                hints: vec![id(1), id(1)],
                recipient: rejecting,
            },
        );
        assert_eq!(e, EtherTransferFailed { recipient: rejecting, amount: ether(3) });
        assert_eq!(locked(&mut s), ether(3));
        assert_eq!(claimable(&mut s, &ids(1..=2)), vec![ether(1), ether(2)]);
        assert_eq!(owner_of(&mut s, id(1)), ALICE);
        assert!(!status(&mut s, id(1)).isClaimed);

        // The same requests claimed to a plain account go through.
        let before = s.vm.balance(ALICE);
        s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::claimWithdrawalsCall { requestIds: ids(1..=2), hints: vec![id(1), id(1)] },
        );
        assert_eq!(s.vm.balance(ALICE) - before, ether(3));
        assert_eq!(s.vm.balance(rejecting), U256::ZERO);
    }

    /// A recipient whose receive hook calls `claimWithdrawal(theirs)` and `getLockedEtherAmount`
    /// on the queue, then accepts (or rejects) the ether.
    fn reentering_recipient(s: &mut Suite, theirs: U256, end: End) -> Address {
        let calls = [
            (s.queue, Q::claimWithdrawalCall { requestId: theirs }.abi_encode()),
            (s.queue, Q::getLockedEtherAmountCall {}.abi_encode()),
        ];
        mocks::deploy(s, &calls, &[], end)
    }

    #[test]
    fn a_recipient_cannot_reenter_the_queue_while_it_is_paid() {
        let mut s = with_requests(&[1, 2]);
        let mock = reentering_recipient(&mut s, id(2), End::Accept);
        s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::transferFromCall { from: ALICE, to: mock, tokenId: id(2) },
        );
        s.finalize(id(2), U256::from(RATE_ONE));
        let (_, r) = s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::claimWithdrawalsToCall {
                requestIds: vec![id(1)],
                hints: vec![id(1)],
                recipient: mock,
            },
        );
        // Both calls back fail: the queue's program is already on the stack, so the SDK's
        // entrypoint refuses the call (msg_reentrant) before the queue's own transient guard
        // (`ReentrantCall`) is reached; the refusal carries no revert data. Views too.
        let made = mocks::calls_made(&r, mock);
        assert_eq!(made.len(), 2);
        for (status, data) in &made {
            assert_eq!((*status, data.len()), (2, 0), "refused without data");
        }
        // The recipient ignored the failures and took the ether: the outer claim stands, and
        // only request 1 is claimed.
        assert_eq!(s.vm.balance(mock), ether(1));
        let claimed: Vec<U256> =
            events_from::<WithdrawalClaimed>(&r, s.queue).iter().map(|e| e.requestId).collect();
        assert_eq!(claimed, vec![id(1)]);
        assert!(status(&mut s, id(1)).isClaimed);
        assert!(!status(&mut s, id(2)).isClaimed);
        assert_eq!(owner_of(&mut s, id(2)), mock);
        assert_eq!(claimable(&mut s, &[id(2)]), vec![ether(2)]);
        assert_eq!(locked(&mut s), ether(2));
        assert_eq!(s.vm.balance(s.queue), ether(2));
    }

    #[test]
    fn a_recipient_that_fails_on_its_refused_reentry_reverts_the_claim() {
        let mut s = with_requests(&[1, 2]);
        let mock = reentering_recipient(&mut s, id(2), End::Reject);
        s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::transferFromCall { from: ALICE, to: mock, tokenId: id(2) },
        );
        s.finalize(id(2), U256::from(RATE_ONE));
        let e: EtherTransferFailed = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::claimWithdrawalsToCall {
                requestIds: vec![id(1)],
                hints: vec![id(1)],
                recipient: mock,
            },
        );
        assert_eq!(e, EtherTransferFailed { recipient: mock, amount: ether(1) });
        assert_eq!(claimable(&mut s, &ids(1..=2)), vec![ether(1), ether(2)]);
        assert_eq!(locked(&mut s), ether(3));
    }

    #[test]
    fn sequential_claims_prune_claimed_records_without_changing_any_payout() {
        let mut s = with_requests(&[1, 2, 3, 4]);
        s.finalize(id(4), rate(900));
        for n in [2, 1, 3, 4] {
            let before = s.vm.balance(ALICE);
            claim(&mut s, ALICE, id(n));
            assert_eq!(s.vm.balance(ALICE) - before, tenths(9 * n), "request {n}");
        }
        // Records 1..3 are pruned once their successor is claimed; every one reads as claimed.
        let st = s.view(s.queue, &Q::getWithdrawalStatusCall { requestIds: ids(1..=4) });
        assert!(st.statuses.iter().all(|x| x.isClaimed && x.isFinalized));
        assert_eq!(locked(&mut s), U256::ZERO);
        assert_eq!(s.view(s.queue, &Q::unfinalizedStETHCall {})._0, U256::ZERO);
    }
}

// ---------------------------------------------------------------------------------- views

mod views {
    use super::*;

    #[test]
    fn the_views_describe_the_queue_at_every_stage() {
        let mut s = Suite::deploy();
        assert_eq!(s.view(s.queue, &Q::poolCall {})._0, s.pool);
        assert_eq!(s.view(s.queue, &Q::accessManagerCall {})._0, s.manager);
        assert_eq!(s.view(s.queue, &Q::extensionCall {})._0, s.queue_extension);
        assert!(!is_paused(&mut s));
        assert!(!s.view(s.queue, &Q::isBunkerModeActiveCall {})._0);
        let bounds = s.view(s.queue, &Q::getRequestBoundsCall {});
        assert_eq!((bounds.min, bounds.max), (U256::from(100), ether(1_000)));
        assert_eq!(checkpoint(&mut s, 0), (U256::ZERO, U256::ZERO));

        s.deposit(ALICE, ether(10));
        s.deposit(BOB, ether(10));
        let (_, r) = s.request_withdrawals(ALICE, &[ether(1), ether(2), ether(3)]);
        let first_at = s.vm.timestamp();
        assert_eq!(events_from::<WithdrawalRequested>(&r, s.queue).len(), 3);
        s.vm.advance_time(100);
        approve_queue(&mut s, BOB, ether(4));
        s.ok(
            BOB,
            s.queue,
            U256::ZERO,
            &Q::requestWithdrawalsCall { amounts: vec![ether(4)], owner: CAROL },
        );
        assert_eq!(requests_of(&mut s, ALICE), ids(1..=3));
        assert_eq!(requests_of(&mut s, CAROL), vec![id(4)]);
        assert!(requests_of(&mut s, BOB).is_empty());
        assert!(requests_of(&mut s, Address::ZERO).is_empty());
        let st = s.view(s.queue, &Q::getWithdrawalStatusCall { requestIds: ids(1..=4) }).statuses;
        for (i, x) in st.iter().enumerate() {
            let n = u64::try_from(i).unwrap() + 1;
            assert_eq!((x.amountOfStETH, x.amountOfShares), (ether(n), ether(n)));
            assert_eq!(x.owner, if n == 4 { CAROL } else { ALICE });
            assert_eq!(x.timestamp, U256::from(if n == 4 { first_at + 100 } else { first_at }));
            assert!(!x.isFinalized && !x.isClaimed);
        }
        for missing in [U256::ZERO, id(5)] {
            let e: InvalidRequestId = s.revert(
                ALICE,
                s.queue,
                U256::ZERO,
                &Q::getWithdrawalStatusCall { requestIds: vec![id(1), missing] },
            );
            assert_eq!(e, InvalidRequestId { requestId: missing });
        }
        assert_eq!(s.view(s.queue, &Q::unfinalizedStETHCall {})._0, ether(10));
        assert_eq!(s.view(s.queue, &Q::unfinalizedRequestNumberCall {})._0, U256::from(4));
        assert_eq!(s.view(s.queue, &Q::getLastRequestIdCall {})._0, U256::from(4));
        assert_eq!(last_finalized(&mut s), U256::ZERO);
        assert_eq!(checkpoint_count(&mut s), U256::ZERO);
        assert_eq!(locked(&mut s), U256::ZERO);
        assert_eq!(claimable(&mut s, &ids(1..=4)), vec![U256::ZERO; 4]);

        s.wait_for_finalization();
        s.finalize(id(2), U256::from(RATE_ONE));
        assert_eq!(s.view(s.queue, &Q::unfinalizedStETHCall {})._0, ether(7));
        assert_eq!(s.view(s.queue, &Q::unfinalizedRequestNumberCall {})._0, U256::from(2));
        assert_eq!(last_finalized(&mut s), id(2));
        assert_eq!(checkpoint_count(&mut s), U256::from(1));
        assert_eq!(checkpoint(&mut s, 1), (id(1), U256::from(NOMINAL)));
        assert_eq!(locked(&mut s), ether(3));
        assert_eq!(hints(&mut s, &ids(1..=4)), vec![id(1), id(1), U256::ZERO, U256::ZERO]);
        assert_eq!(
            claimable(&mut s, &ids(1..=4)),
            vec![ether(1), ether(2), U256::ZERO, U256::ZERO]
        );
        let e: ArrayLengthMismatch = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::getClaimableEtherCall { requestIds: ids(1..=2), hints: vec![] },
        );
        assert_eq!(e, ArrayLengthMismatch { ids: U256::from(2), hints: U256::ZERO });

        claim(&mut s, ALICE, id(1));
        assert_eq!(requests_of(&mut s, ALICE), ids(2..=3));
        assert_eq!(locked(&mut s), ether(2));
        assert_eq!(claimable(&mut s, &ids(1..=2)), vec![U256::ZERO, ether(2)]);
        assert_eq!(s.view(s.queue, &Q::getLastRequestIdCall {})._0, U256::from(4));
    }

    #[test]
    fn find_checkpoint_hints_agrees_with_a_linear_search_over_every_range() {
        let mut s = with_requests(&[1; 16]);
        // Finalize 1..=14 one by one: a loss makes a rated checkpoint; an ordinary report
        // after a loss a new nominal one; after another ordinary report it extends.
        let mut firsts: Vec<u64> = Vec::new();
        let mut latest_nominal = false;
        let mut owed = Vec::new();
        for n in 1..=14u64 {
            let r = match n % 4 {
                0 => rate(950),
                1 => U256::from(RATE_ONE),
                2 => rate(1_020),
                _ => rate(990),
            };
            let walked = r < U256::from(RATE_ONE);
            if walked || !latest_nominal {
                firsts.push(n);
            }
            latest_nominal = !walked;
            owed.push(if walked { rate_of_one_ether(r) } else { ether(1) });
            s.finalize(id(n), r);
        }
        let count = checkpoint_count(&mut s);
        assert_eq!(count, U256::from(firsts.len()));
        for (k, &first) in firsts.iter().enumerate() {
            let k = u64::try_from(k).unwrap() + 1;
            assert_eq!(checkpoint(&mut s, k).0, id(first), "checkpoint {k}");
        }
        // The checkpoint covering each request (0 for the unfinalized 15 and 16).
        let covering = |n: u64| -> u64 {
            if n > 14 {
                return 0;
            }
            let k = firsts.iter().filter(|&&f| f <= n).count();
            u64::try_from(k).unwrap()
        };
        let all = ids(1..=16);
        let count = u64::try_from(firsts.len()).unwrap();
        for first in 0..=count + 1 {
            for last in 0..=count + 1 {
                let got = s
                    .view(
                        s.queue,
                        &Q::findCheckpointHintsCall {
                            requestIds: all.clone(),
                            firstIndex: U256::from(first),
                            lastIndex: U256::from(last),
                        },
                    )
                    .hintIds;
                let expected: Vec<U256> = (1..=16)
                    .map(|n| {
                        let k = covering(n);
                        if first >= 1 && first <= k && k <= last {
                            U256::from(k)
                        } else {
                            U256::ZERO
                        }
                    })
                    .collect();
                assert_eq!(got, expected, "range {first}..={last}");
            }
        }
        owed.extend([U256::ZERO, U256::ZERO]);
        assert_eq!(claimable(&mut s, &all), owed);
    }
}

// ---------------------------------------------------------------------------------- operations

mod operations {
    use super::*;

    const PAUSER: Address = Address::repeat_byte(0x50);
    const RESUMER: Address = Address::repeat_byte(0x52);

    #[test]
    fn pause_stops_requests_and_finalization_but_not_claims_or_nft_moves() {
        let mut s = with_requests(&[1, 1, 1]);
        s.finalize(id(1), U256::from(RATE_ONE));
        grant(&mut s, PAUSE_ROLE, PAUSER);
        grant(&mut s, RESUME_ROLE, RESUMER);

        let e: AccessDenied = s.revert(RESUMER, s.queue, U256::ZERO, &Q::pauseCall {});
        assert_denied(&e, RESUMER, PAUSE_ROLE);
        let (_, r) = s.ok(PAUSER, s.queue, U256::ZERO, &Q::pauseCall {});
        assert_eq!(events_from::<Paused>(&r, s.queue), vec![Paused { by: PAUSER }]);
        assert!(is_paused(&mut s));
        let e: AlreadyPaused = s.revert(PAUSER, s.queue, U256::ZERO, &Q::pauseCall {});
        assert_eq!(e, AlreadyPaused {});

        approve_queue(&mut s, ALICE, ether(1));
        let request = Q::requestWithdrawalsCall { amounts: vec![ether(1)], owner: Address::ZERO };
        let e: QueuePaused = s.revert(ALICE, s.queue, U256::ZERO, &request);
        assert_eq!(e, QueuePaused {});
        let e: QueuePaused = s.revert(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::requestWithdrawalsSplitCall { total: ether(1), owner: Address::ZERO },
        );
        assert_eq!(e, QueuePaused {});
        let report = s.finalization_report(id(2), U256::from(RATE_ONE));
        let e: QueuePaused = revert_data(&s.handle_report(&report));
        assert_eq!(e, QueuePaused {});

        // Claims and NFT moves go on.
        let before = s.vm.balance(ALICE);
        claim(&mut s, ALICE, id(1));
        assert_eq!(s.vm.balance(ALICE) - before, ether(1));
        s.ok(
            ALICE,
            s.queue,
            U256::ZERO,
            &Q::transferFromCall { from: ALICE, to: BOB, tokenId: id(2) },
        );
        s.ok(BOB, s.queue, U256::ZERO, &Q::approveCall { to: CAROL, tokenId: id(2) });
        assert_eq!(owner_of(&mut s, id(2)), BOB);

        let e: AccessDenied = s.revert(PAUSER, s.queue, U256::ZERO, &Q::resumeCall {});
        assert_denied(&e, PAUSER, RESUME_ROLE);
        let (_, r) = s.ok(RESUMER, s.queue, U256::ZERO, &Q::resumeCall {});
        assert_eq!(events_from::<Resumed>(&r, s.queue), vec![Resumed { by: RESUMER }]);
        assert!(!is_paused(&mut s));
        let e: NotPaused = s.revert(RESUMER, s.queue, U256::ZERO, &Q::resumeCall {});
        assert_eq!(e, NotPaused {});
        s.ok(ALICE, s.queue, U256::ZERO, &request);
        s.finalize(id(2), U256::from(RATE_ONE));
    }

    #[test]
    fn the_constructor_runs_once_and_the_extension_called_directly_has_nothing_to_act_on() {
        let mut s = Suite::deploy();
        let args = protocol_tests::abi::WithdrawalQueueDeployment::constructorCall {
            pool: ALICE,
            accessManager: ALICE,
            extension: s.queue_extension,
        };
        let init = protocol_tests::deploy::constructor_data(
            &alloy_sol_types::SolConstructor::abi_encode(&args),
        );
        let r = s.vm.call(ALICE, s.queue, U256::ZERO, &init);
        let e: withdrawal_queue::errors::AlreadyInitialized = revert_data(&r);
        assert_eq!(e, withdrawal_queue::errors::AlreadyInitialized {});
        assert_eq!(s.view(s.queue, &Q::poolCall {})._0, s.pool);

        // The extension program on its own runs on its own, empty storage: no manager to ask,
        // so administration is refused; it does not route the constructor or the hot paths.
        let ext = s.queue_extension;
        let e: withdrawal_queue::errors::NotInitialized =
            s.revert(ADMIN, ext, U256::ZERO, &Q::pauseCall {});
        assert_eq!(e, withdrawal_queue::errors::NotInitialized {});
        let e: withdrawal_queue::errors::NotInitialized =
            s.revert(ADMIN, ext, U256::ZERO, &Q::setBaseURICall { baseURI: "x".into() });
        assert_eq!(e, withdrawal_queue::errors::NotInitialized {});
        for data in [
            init.clone(),
            Q::claimWithdrawalCall { requestId: id(1) }.abi_encode(),
            Q::finalizeCall { lastIdToFinalize: id(1), maxShareRate: U256::from(RATE_ONE) }
                .abi_encode(),
            // The pool's report calls are the core's too.
            Q::setBunkerModeCall { active: true }.abi_encode(),
            Q::prefinalizeCall { batches: vec![id(1)], maxShareRate: U256::from(RATE_ONE) }
                .abi_encode(),
        ] {
            let r = s.vm.call(ADMIN, ext, U256::ZERO, &data);
            assert!(!r.success && r.output.is_empty());
        }
        assert_eq!(s.view(ext, &Q::poolCall {})._0, Address::ZERO);
        assert!(!is_paused(&mut s));
    }

    #[test]
    fn value_sent_to_a_non_payable_function_or_as_a_plain_transfer_reverts() {
        let mut s = with_finalized(&[1]);
        approve_queue(&mut s, ALICE, ether(1));
        let before = s.vm.balance(ALICE);
        let calls: Vec<Vec<u8>> = vec![
            Q::requestWithdrawalsCall { amounts: vec![ether(1)], owner: Address::ZERO }
                .abi_encode(),
            Q::claimWithdrawalCall { requestId: id(1) }.abi_encode(),
            Q::approveCall { to: BOB, tokenId: id(1) }.abi_encode(),
            Q::getLockedEtherAmountCall {}.abi_encode(),
            Q::prefinalizeCall { batches: vec![id(1)], maxShareRate: U256::from(RATE_ONE) }
                .abi_encode(),
            Q::setBaseURICall { baseURI: "x".into() }.abi_encode(),
            Vec::new(),
            vec![0xde, 0xad, 0xbe, 0xef],
        ];
        for data in calls {
            let r = s.vm.call(ALICE, s.queue, U256::from(1), &data);
            assert!(!r.success, "0x{}", alloy_primitives::hex::encode(&data));
            assert!(r.output.is_empty(), "reverts with empty data");
        }
        assert_eq!(s.vm.balance(ALICE), before);
        assert_eq!(s.vm.balance(s.queue), ether(1));
        // Without value, the same calls go through.
        claim(&mut s, ALICE, id(1));
    }
}
