//! motsu unit tests of the wrapped token, one module per aspect.
//!
//! The pool is a double defined here: `PoolMock` keeps a share ledger and a rate (E, S) that
//! the tests set, answers the pool functions the token calls (`wrapFrom`,
//! `transferSharesWithRate`, `transferShares`, `deposit`, the views) as the real pool's
//! interface file says, can be paused, can revert with given data, and can call the token back
//! from inside `wrapFrom` or `transferSharesWithRate` (to show the reentrancy guard). `SilentPoolMock` answers everything
//! with no data. `WalletMock` is an EIP-1271 contract wallet.
//!
//! What motsu cannot do is left to the end-to-end tests on the release wasm
//! (`tests/e2e/wrapped.rs`): the real pool, the router and its strict decoding, moving time,
//! gas.
#![allow(
    clippy::unreadable_literal,
    clippy::needless_pass_by_value,
    clippy::unused_self,
    clippy::missing_panics_doc,
    missing_docs,
    reason = "test doubles and amounts read best as written"
)]

use alloc::{vec, vec::Vec};

use alloy_primitives::{uint, Address, FixedBytes, B256, U256};
use alloy_sol_types::{sol, SolError};
use motsu::prelude::*;
use stylus_sdk::{
    abi::Bytes,
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageBool, StorageBytes, StorageMap, StorageU256},
    ArbResult,
};

use crate::{errors::Error, WrappedToken};

mod erc20;
mod feeds;
mod layout;
mod permit;
mod vault;
mod wrapping;

pub(crate) const ETHER: U256 = uint!(1_000_000_000_000_000_000_U256);

sol! {
    /// The pool's errors the double raises (the real pool's signatures).
    #[derive(Debug, PartialEq)]
    error TokenIsPaused();
    #[derive(Debug, PartialEq)]
    error InsufficientShares(address sender, uint256 shares, uint256 needed);
    #[derive(Debug, PartialEq)]
    error ZeroDeposit();
}

// ------------------------------------------------------------------ mocks

/// The staking pool's double (see the module doc).
#[storage]
pub struct PoolMock {
    ether: StorageU256,
    total: StorageU256,
    shares: StorageMap<Address, StorageU256>,
    paused: StorageBool,
    stake_limit: StorageU256,
    round: StorageU256,
    timestamp: StorageU256,
    revert_data: StorageBytes,
    reenter_target: StorageAddress,
    reenter_data: StorageBytes,
    reentry_answer: StorageBytes,
    reentered_ok: StorageBool,
}

unsafe impl TopLevelStorage for PoolMock {}

impl PoolMock {
    fn fail(&self) -> Result<(), Vec<u8>> {
        let revert = self.revert_data.get_bytes();
        if !revert.is_empty() {
            return Err(revert);
        }
        if self.paused.get() {
            return Err(TokenIsPaused {}.abi_encode());
        }
        Ok(())
    }

    fn move_shares(&mut self, from: Address, to: Address, shares: U256) -> Result<(), Vec<u8>> {
        let held = self.shares.get(from);
        if held < shares {
            return Err(
                InsufficientShares { sender: from, shares: held, needed: shares }.abi_encode()
            );
        }
        self.shares.setter(from).set(held - shares);
        let to_held = self.shares.get(to);
        self.shares.setter(to).set(to_held + shares);
        Ok(())
    }

    fn rate(&self) -> (U256, U256) {
        (self.ether.get(), self.total.get())
    }

    /// Makes the call `set_reentry` asked for, once, and records its answer.
    fn reenter(&mut self) {
        let target = self.reenter_target.get();
        if !target.is_zero() {
            self.reenter_target.set(Address::ZERO);
            let data = self.reenter_data.get_bytes();
            let answer = staking_common::host::call(target, &data);
            self.reentered_ok.set(answer.is_ok());
            self.reentry_answer.set_bytes(answer.unwrap_or_else(|e| e));
        }
    }
}

#[public]
impl PoolMock {
    /// E and S.
    fn set_rate(&mut self, ether: U256, shares: U256) {
        self.ether.set(ether);
        self.total.set(shares);
    }

    /// Credits `shares` to `to` (the totals stay as set).
    fn give(&mut self, to: Address, shares: U256) {
        let held = self.shares.get(to);
        self.shares.setter(to).set(held + shares);
    }

    fn set_paused(&mut self, paused: bool) {
        self.paused.set(paused);
    }

    fn set_stake_limit(&mut self, limit: U256) {
        self.stake_limit.set(limit);
    }

    fn set_last_report(&mut self, round: U256, timestamp: U256) {
        self.round.set(round);
        self.timestamp.set(timestamp);
    }

    fn revert_with(&mut self, data: Bytes) {
        self.revert_data.set_bytes(data.0);
    }

    /// Calls `target` with `data` from inside the next `wrapFrom` or
    /// `transferSharesWithRate`.
    fn set_reentry(&mut self, target: Address, data: Bytes) {
        self.reenter_target.set(target);
        self.reenter_data.set_bytes(data.0);
    }

    /// `(whether the re-entering call succeeded, its answer)`.
    fn reentry(&self) -> (bool, Bytes) {
        (self.reentered_ok.get(), Bytes(self.reentry_answer.get_bytes()))
    }

    fn shares_of(&self, account: Address) -> U256 {
        self.shares.get(account)
    }

    fn wrap_from(
        &mut self,
        from: Address,
        amount: U256,
        amount_in_shares: bool,
    ) -> Result<(U256, U256, U256), Vec<u8>> {
        self.fail()?;
        self.reenter();
        let (e, s) = self.rate();
        let shares = if amount_in_shares { amount } else { amount * s / e };
        let caller = self.vm().msg_sender();
        self.move_shares(from, caller, shares)?;
        Ok((shares, e, s))
    }

    fn transfer_shares_with_rate(
        &mut self,
        to: Address,
        amount: U256,
        amount_in_shares: bool,
    ) -> Result<(U256, U256, U256), Vec<u8>> {
        self.fail()?;
        self.reenter();
        let (e, s) = self.rate();
        let shares = if amount_in_shares { amount } else { (amount * s).div_ceil(e) };
        let caller = self.vm().msg_sender();
        self.move_shares(caller, to, shares)?;
        Ok((shares, e, s))
    }

    fn transfer_shares(&mut self, to: Address, shares_amount: U256) -> Result<U256, Vec<u8>> {
        self.fail()?;
        let caller = self.vm().msg_sender();
        self.move_shares(caller, to, shares_amount)?;
        let (e, s) = self.rate();
        Ok(shares_amount * e / s)
    }

    #[payable]
    fn deposit(&mut self, _referral: Address) -> Result<U256, Vec<u8>> {
        let revert = self.revert_data.get_bytes();
        if !revert.is_empty() {
            return Err(revert);
        }
        let value = self.vm().msg_value();
        if value.is_zero() {
            return Err(ZeroDeposit {}.abi_encode());
        }
        let (e, s) = self.rate();
        let shares = value * s / e;
        self.ether.set(e + value);
        self.total.set(s + shares);
        let caller = self.vm().msg_sender();
        self.give(caller, shares);
        Ok(shares)
    }

    fn get_total_pooled_ether(&self) -> U256 {
        self.ether.get()
    }

    fn total_shares(&self) -> U256 {
        self.total.get()
    }

    fn get_pooled_eth_by_shares(&self, shares_amount: U256) -> U256 {
        let (e, s) = self.rate();
        shares_amount * e / s
    }

    fn get_shares_by_pooled_eth(&self, eth_amount: U256) -> U256 {
        let (e, s) = self.rate();
        eth_amount * s / e
    }

    fn get_current_stake_limit(&self) -> U256 {
        if self.paused.get() {
            return U256::ZERO;
        }
        self.stake_limit.get()
    }

    fn is_token_paused(&self) -> bool {
        self.paused.get()
    }

    fn get_last_report(&self) -> (U256, U256) {
        (self.round.get(), self.timestamp.get())
    }
}

/// A pool whose every answer is empty.
#[storage]
pub struct SilentPoolMock;

unsafe impl TopLevelStorage for SilentPoolMock {}

#[public]
impl SilentPoolMock {
    #[fallback]
    #[allow(clippy::unnecessary_wraps, reason = "the signature the SDK requires of a fallback")]
    fn fallback(&mut self, _calldata: &[u8]) -> ArbResult {
        Ok(Vec::new())
    }
}

/// An EIP-1271 contract wallet: accepts one (digest, signature) pair when told to.
#[storage]
pub struct WalletMock {
    digest: StorageB256,
    signature: StorageBytes,
    accept: StorageBool,
}

unsafe impl TopLevelStorage for WalletMock {}

#[public]
impl WalletMock {
    fn set_answer(&mut self, digest: B256, signature: Bytes, accept: bool) {
        self.digest.set(digest);
        self.signature.set_bytes(signature.0);
        self.accept.set(accept);
    }

    #[selector(name = "isValidSignature")]
    fn is_valid_signature(&self, hash: B256, signature: Bytes) -> FixedBytes<4> {
        if self.accept.get()
            && hash == self.digest.get()
            && signature.0 == self.signature.get_bytes()
        {
            FixedBytes(crate::permit::EIP1271_MAGIC)
        } else {
            FixedBytes([0xff; 4])
        }
    }
}

// ------------------------------------------------------------------ helpers

pub(crate) fn ether(n: u64) -> U256 {
    ETHER * U256::from(n)
}

pub(crate) fn u(n: u128) -> U256 {
    U256::from(n)
}

/// A constructed token on `pool` at rate E = `e`, S = `s`; `holder` holds `held` pool shares.
pub(crate) fn setup(
    token: &Contract<WrappedToken>,
    pool: &Contract<PoolMock>,
    e: U256,
    s: U256,
    holder: Address,
    held: U256,
) {
    token.sender(holder).constructor(pool.address()).motsu_expect("constructed");
    pool.sender(holder).set_rate(e, s);
    pool.sender(holder).give(holder, held);
}

/// `holder` wraps `shares` exactly (at E = S, amount = shares).
pub(crate) fn wrapped(
    token: &Contract<WrappedToken>,
    pool: &Contract<PoolMock>,
    holder: Address,
    shares: U256,
) {
    setup(token, pool, ETHER, ETHER, holder, shares);
    token.sender(holder).wrap(shares).motsu_expect("wrapped");
}

/// The revert data of an error.
pub(crate) fn data(e: Error) -> Vec<u8> {
    e.into()
}

/// The token's transient guard must be free after every call.
pub(crate) fn unlocked() -> bool {
    !staking_common::guard::Lock::is_held(crate::GUARD_SLOT)
}

#[test]
fn the_guard_slot_built_in_code_is_the_documented_hash() {
    assert_eq!(crate::guard_slot(), crate::GUARD_SLOT);
}

#[test]
fn the_eip1271_magic_value_is_the_selector_of_is_valid_signature() {
    let hash = alloy_primitives::keccak256("isValidSignature(bytes32,bytes)");
    assert_eq!(crate::permit::EIP1271_MAGIC, hash[..4]);
    assert_eq!(vec![0x16u8, 0x26, 0xba, 0x7e], crate::permit::EIP1271_MAGIC.to_vec());
}
