//! motsu unit tests of the queue, one module per aspect.
//!
//! The queue's neighbours are mocks defined here: `PoolMock` (the pool's
//! `transferFromWithShares` at a configurable share rate, or a revert), `SilentPoolMock` (a
//! pool whose answer carries no share count), `AccessManagerMock` (a role table whose
//! `authorizeCall` reverts like the real one and records what it was asked) and
//! `ReceiverMock` (an ether and ERC-721 receiver that can accept, reject, or re-enter the
//! queue while it is paid).
//!
//! What motsu cannot do is left to the end-to-end tests on the release wasm (`tests/e2e`):
//! ether paid to a plain account (motsu aborts the test binary), the passing of time (its block
//! timestamp is fixed, so most tests set the minimum finalization delay to 0), the router and
//! the core/extension split (native builds route everything directly), gas.
#![allow(
    clippy::unreadable_literal,
    clippy::needless_pass_by_value,
    reason = "test amounts read best as written; helpers take what the tests hold"
)]

use alloc::{vec, vec::Vec};

use alloy_primitives::{uint, Address, FixedBytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError};
use motsu::prelude::*;
use staking_common::roles::{PAUSE_ROLE, RESUME_ROLE, WITHDRAWAL_CONFIG_ROLE};
use stylus_sdk::{
    abi::Bytes,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageBytes, StorageU256},
    ArbResult,
};

use crate::{
    errors::{AccessDenied, Error},
    storage::NOMINAL_RATE,
    views::Status,
    WithdrawalQueue,
};

mod claims;
mod finalization;
mod layout;
mod lido_requests;
mod nft;
mod requests;
mod roles_and_pause;
mod views;

pub(crate) const ETHER: U256 = uint!(1_000_000_000_000_000_000_U256);
/// A share rate of 1 ether per share (1e27 precision).
pub(crate) const PAR: U256 = uint!(1_000_000_000_000_000_000_000_000_000_U256);
/// The extension program's address (native builds never call it).
pub(crate) const EXTENSION: Address = Address::repeat_byte(0xee);
/// The default request bounds.
pub(crate) const MIN: U256 = uint!(100_U256);
pub(crate) const MAX: U256 = uint!(1_000_000_000_000_000_000_000_U256);

sol! {
    /// What the real pool reverts with when the queue's allowance is short.
    #[derive(Debug, PartialEq)]
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    function onERC721Received(address operator, address from, uint256 tokenId, bytes data) returns (bytes4);
}

pub(crate) use staking_common::mocks::{AccessManagerMock, ForwarderMock, MockUnauthorized};

// ------------------------------------------------------------------ mocks

/// Stand-in for the staking pool: `transferFromWithShares` moves `ceil(amount * 1e27 / rate)`
/// shares (rate 0 means 1e27), or a fixed count, or reverts with the data it was given.
#[storage]
pub struct PoolMock {
    rate: StorageU256,
    fixed_shares: StorageU256,
    use_fixed: StorageBool,
    revert_data: StorageBytes,
    calls: StorageU256,
    last_from: StorageAddress,
    last_to: StorageAddress,
    last_amount: StorageU256,
}

unsafe impl TopLevelStorage for PoolMock {}

#[public]
impl PoolMock {
    fn set_rate(&mut self, rate: U256) {
        self.rate.set(rate);
    }

    fn set_shares(&mut self, shares: U256) {
        self.fixed_shares.set(shares);
        self.use_fixed.set(true);
    }

    fn revert_with(&mut self, data: Bytes) {
        self.revert_data.set_bytes(data.0);
    }

    fn transfer_from_with_shares(
        &mut self,
        from: Address,
        to: Address,
        amount: U256,
    ) -> Result<U256, Vec<u8>> {
        let revert = self.revert_data.get_bytes();
        if !revert.is_empty() {
            return Err(revert);
        }
        let shares = if self.use_fixed.get() {
            self.fixed_shares.get()
        } else {
            let rate = self.rate.get();
            let rate = if rate.is_zero() { PAR } else { rate };
            (amount * PAR).div_ceil(rate)
        };
        self.calls.set(self.calls.get() + U256::from(1));
        self.last_from.set(from);
        self.last_to.set(to);
        self.last_amount.set(amount);
        Ok(shares)
    }

    fn calls(&self) -> U256 {
        self.calls.get()
    }

    fn last_pull(&self) -> (Address, Address, U256) {
        (self.last_from.get(), self.last_to.get(), self.last_amount.get())
    }
}

/// A pool whose every answer is empty: no share count to read.
#[storage]
pub struct SilentPoolMock;

unsafe impl TopLevelStorage for SilentPoolMock {}

#[public]
impl SilentPoolMock {
    #[fallback]
    #[allow(
        clippy::unused_self,
        clippy::unnecessary_wraps,
        reason = "the signature the SDK requires of a fallback"
    )]
    fn fallback(&mut self, _calldata: &[u8]) -> ArbResult {
        Ok(Vec::new())
    }
}

/// How [`ReceiverMock`] answers `onERC721Received`.
pub(crate) const NFT_ACCEPT: u8 = 0;
pub(crate) const NFT_WRONG_ANSWER: u8 = 1;
pub(crate) const NFT_REVERT: u8 = 2;

/// A contract that receives ether and NFTs. It can reject ether, or call `claimWithdrawal`
/// on the queue from inside its `receive` (and record what the queue answered).
#[storage]
pub struct ReceiverMock {
    reject: StorageBool,
    received: StorageU256,
    payments: StorageU256,
    reenter_queue: StorageAddress,
    reenter_id: StorageU256,
    reentered: StorageBool,
    reentry_answer: StorageBytes,
    nft_mode: StorageU256,
    nft_operator: StorageAddress,
    nft_from: StorageAddress,
    nft_id: StorageU256,
    nft_data: StorageBytes,
}

unsafe impl TopLevelStorage for ReceiverMock {}

#[public]
impl ReceiverMock {
    #[receive]
    fn receive(&mut self) -> Result<(), Vec<u8>> {
        if self.reject.get() {
            return Err(b"ReceiverMock: no ether".to_vec());
        }
        let queue = self.reenter_queue.get();
        if !queue.is_zero() {
            let data = crate::abi::IWithdrawalQueue::claimWithdrawalCall {
                requestId: self.reenter_id.get(),
            }
            .abi_encode();
            // SAFETY: no storage reference is held across the call.
            let answer = unsafe { stylus_sdk::call::RawCall::new().call(queue, &data) };
            self.reentered.set(answer.is_ok());
            self.reentry_answer.set_bytes(answer.unwrap_or_else(|e| e));
        }
        self.received.set(self.received.get() + staking_common::host::value());
        self.payments.set(self.payments.get() + U256::from(1));
        Ok(())
    }

    fn set_reject(&mut self, reject: bool) {
        self.reject.set(reject);
    }

    fn set_reentry(&mut self, queue: Address, request_id: U256) {
        self.reenter_queue.set(queue);
        self.reenter_id.set(request_id);
    }

    fn set_nft_mode(&mut self, mode: u8) {
        self.nft_mode.set(U256::from(mode));
    }

    #[selector(name = "onERC721Received")]
    fn on_erc721_received(
        &mut self,
        operator: Address,
        from: Address,
        token_id: U256,
        data: Bytes,
    ) -> Result<FixedBytes<4>, Vec<u8>> {
        let mode = self.nft_mode.get();
        if mode == U256::from(NFT_REVERT) {
            return Err(b"ReceiverMock: no NFTs".to_vec());
        }
        self.nft_operator.set(operator);
        self.nft_from.set(from);
        self.nft_id.set(token_id);
        self.nft_data.set_bytes(data.0);
        if mode == U256::from(NFT_WRONG_ANSWER) {
            return Ok(FixedBytes([0xde, 0xad, 0xbe, 0xef]));
        }
        Ok(FixedBytes(onERC721ReceivedCall::SELECTOR))
    }

    /// `(total received, number of payments)`.
    fn received(&self) -> (U256, U256) {
        (self.received.get(), self.payments.get())
    }

    /// `(whether the re-entering call succeeded, its return or revert data)`.
    fn reentry(&self) -> (bool, Bytes) {
        (self.reentered.get(), Bytes(self.reentry_answer.get_bytes()))
    }

    /// The last accepted `onERC721Received(operator, from, tokenId, data)`.
    fn nft_received(&self) -> (Address, Address, U256, Bytes) {
        (
            self.nft_operator.get(),
            self.nft_from.get(),
            self.nft_id.get(),
            Bytes(self.nft_data.get_bytes()),
        )
    }
}

// ------------------------------------------------------------------ helpers

pub(crate) fn ether(n: u64) -> U256 {
    ETHER * U256::from(n)
}

pub(crate) fn id(n: u64) -> U256 {
    U256::from(n)
}

pub(crate) fn ids(ns: &[u64]) -> Vec<U256> {
    ns.iter().map(|&n| U256::from(n)).collect()
}

/// A share rate of `num / den` ether per share.
pub(crate) fn rate(num: u64, den: u64) -> U256 {
    PAR * U256::from(num) / U256::from(den)
}

/// The block timestamp every motsu call sees.
pub(crate) fn now() -> U256 {
    U256::from(staking_common::host::timestamp())
}

/// `setup_with_delay` with no finalization delay (motsu's clock does not move).
pub(crate) fn setup(
    queue: &Contract<WithdrawalQueue>,
    pool: &Contract<PoolMock>,
    manager: &Contract<AccessManagerMock>,
    admin: Address,
) {
    setup_with_delay(queue, pool, manager, admin);
    queue.sender(admin).set_min_finalization_delay(U256::ZERO).motsu_expect("no delay");
}

/// An initialized queue (the default bounds and delay) whose manager grants `admin` every
/// queue role; the pool can pay for finalizations.
pub(crate) fn setup_with_delay(
    queue: &Contract<WithdrawalQueue>,
    pool: &Contract<PoolMock>,
    manager: &Contract<AccessManagerMock>,
    admin: Address,
) {
    for role in [PAUSE_ROLE, RESUME_ROLE, WITHDRAWAL_CONFIG_ROLE] {
        manager.sender(admin).grant(role, admin);
    }
    queue
        .sender(admin)
        .constructor(pool.address(), manager.address(), EXTENSION)
        .motsu_expect("constructor");
}

/// `who` requests `amounts` for itself.
pub(crate) fn request(
    queue: &Contract<WithdrawalQueue>,
    who: Address,
    amounts: &[U256],
) -> Vec<U256> {
    queue.sender(who).request_withdrawals(amounts, Address::ZERO).motsu_expect("request")
}

/// The pool finalizes through `last` at `rate`, sending what `prefinalize` says; returns it.
pub(crate) fn finalize(
    queue: &Contract<WithdrawalQueue>,
    pool: &Contract<PoolMock>,
    last: u64,
    rate: U256,
) -> U256 {
    let (owed, _) = queue.sender(pool.address()).prefinalize(&[id(last)], rate).motsu_unwrap();
    pool.address().fund(owed);
    queue.sender_and_value(pool.address(), owed).finalize(id(last), rate).motsu_expect("finalize");
    owed
}

/// `claimWithdrawalsTo` with hints found over every checkpoint.
pub(crate) fn claim_to(
    queue: &Contract<WithdrawalQueue>,
    who: Address,
    request_ids: &[U256],
    recipient: Address,
) {
    let hints = hints_for(queue, request_ids);
    queue.sender(who).claim_withdrawals_to(request_ids, &hints, recipient).motsu_expect("claim");
}

pub(crate) fn hints_for(queue: &Contract<WithdrawalQueue>, request_ids: &[U256]) -> Vec<U256> {
    let q = queue.sender(Address::ZERO);
    q.find_checkpoint_hints(request_ids, U256::from(1), q.get_last_checkpoint_index())
}

pub(crate) fn status(queue: &Contract<WithdrawalQueue>, n: u64) -> Status {
    queue.sender(Address::ZERO).get_withdrawal_status(&[id(n)]).motsu_unwrap()[0]
}

/// What the manager mock answers for `caller` without `role`, wrapped by the queue.
pub(crate) fn denied(caller: Address, role: B256) -> Error {
    Error::AccessDenied(AccessDenied {
        caller,
        role,
        reason: MockUnauthorized { account: caller, role }.abi_encode(),
    })
}

/// How many events with signature `topic0` the queue has logged.
pub(crate) fn count_events(queue: &Contract<WithdrawalQueue>, topic0: B256) -> usize {
    queue.all_events().iter().filter(|log| log.topics().first() == Some(&topic0)).count()
}

/// Everything a caller can observe of the queue, to show that a refused call changed nothing.
#[derive(Debug, PartialEq)]
pub(crate) struct Snapshot {
    last_request: U256,
    last_finalized: U256,
    checkpoints: Vec<(U256, U256)>,
    locked: U256,
    unfinalized: (U256, U256),
    paused: bool,
    bunker: bool,
    bounds: (U256, U256),
    delay: U256,
    statuses: Vec<Status>,
    balances: Vec<U256>,
    operators: Vec<bool>,
    approvals: Vec<Address>,
    ether: U256,
    events: usize,
}

/// The queue as `accounts` see it.
pub(crate) fn snapshot(queue: &Contract<WithdrawalQueue>, accounts: &[Address]) -> Snapshot {
    let q = queue.sender(Address::ZERO);
    let last = q.get_last_request_id();
    let all: Vec<U256> = (1..=last.to::<u64>()).map(U256::from).collect();
    let count = q.get_last_checkpoint_index().to::<u64>();
    Snapshot {
        last_request: last,
        last_finalized: q.get_last_finalized_request_id(),
        checkpoints: (1..=count).map(|k| q.get_checkpoint(U256::from(k))).collect(),
        locked: q.get_locked_ether_amount(),
        unfinalized: (q.unfinalized_st_eth(), q.unfinalized_request_number()),
        paused: q.is_paused(),
        bunker: q.is_bunker_mode_active(),
        bounds: q.get_request_bounds(),
        delay: q.get_min_finalization_delay(),
        statuses: q.get_withdrawal_status(&all).motsu_unwrap(),
        balances: accounts.iter().map(|&a| q.balance_of(a).unwrap_or(U256::MAX)).collect(),
        operators: accounts
            .iter()
            .flat_map(|&a| accounts.iter().map(move |&b| (a, b)))
            .map(|(a, b)| q.is_approved_for_all(a, b))
            .collect(),
        approvals: all.iter().map(|&n| q.get_approved(n).unwrap_or(Address::ZERO)).collect(),
        ether: queue.balance(),
        events: queue.all_events().len(),
    }
}

/// The nominal checkpoint rate as the views show it.
pub(crate) fn nominal() -> U256 {
    U256::from(NOMINAL_RATE)
}
