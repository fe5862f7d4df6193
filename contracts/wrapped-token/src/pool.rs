//! The token's calls to the staking pool, bound to the pool's interface file
//! (`contracts/staking-pool/abi/IStakingPool.sol`, through `staking_interface::client!`).
//!
//! The pool never calls the token back (its share moves have no receiver hooks), so the calls
//! keep the token's storage cache: nothing the token cached can change under it, and a slot it
//! read before the call (slot 2, for the pool's address) is not read again after it.
//! A pool revert is passed up unchanged (`Error::Callee`).

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};
use stylus_sdk::call::RawCall;

use crate::errors::{Error, InvalidPoolAnswer, MathOverflow};

staking_interface::client!(IStakingPool, "../staking-pool/abi/IStakingPool.sol");

use i_staking_pool::calls;

/// Shares the pool moved and the rate they moved at: `ether` = E (total pooled ether),
/// `shares` = S (total shares).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moved {
    /// Shares moved.
    pub moved: U256,
    /// The rate: E and S.
    pub rate: Rate,
}

/// The pool's share rate as its two totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// E: the pool's total pooled ether.
    pub ether: U256,
    /// S: the pool's total shares.
    pub shares: U256,
}

impl Rate {
    /// `shares * E / S`, rounded up if `up`, else down.
    ///
    /// # Errors
    ///
    /// `MathOverflow` when the quotient does not fit 256 bits or S is zero.
    pub fn to_ether(self, shares: U256, up: bool) -> Result<U256, Error> {
        crate::math::mul_div(shares, self.ether, self.shares, up).ok_or_else(overflow)
    }

    /// `ether * S / E`, rounded up if `up`, else down.
    ///
    /// # Errors
    ///
    /// `MathOverflow` when the quotient does not fit 256 bits or E is zero.
    pub fn to_shares(self, ether: U256, up: bool) -> Result<U256, Error> {
        crate::math::mul_div(ether, self.shares, self.ether, up).ok_or_else(overflow)
    }
}

fn overflow() -> Error {
    Error::MathOverflow(MathOverflow {})
}

/// Word `i` of an answer.
fn word(answer: &[u8], i: usize) -> Result<U256, Error> {
    answer
        .get(32 * i..32 * i + 32)
        .and_then(|w| <[u8; 32]>::try_from(w).ok())
        .map(U256::from_be_bytes)
        .ok_or(Error::InvalidPoolAnswer(InvalidPoolAnswer {}))
}

/// A call to the pool (no value), keeping the storage cache (see the module doc).
fn call(pool: Address, data: &[u8]) -> Result<Vec<u8>, Error> {
    // SAFETY: the pool never calls the token back, so no cached slot changes during the call.
    unsafe { RawCall::new().call(pool, data) }.map_err(Error::Callee)
}

/// A view of the pool.
fn view(pool: Address, data: &[u8]) -> Result<U256, Error> {
    // SAFETY: a static call cannot write, so no cached value can go stale.
    let answer = unsafe { RawCall::new_static().call(pool, data) }.map_err(Error::Callee)?;
    word(&answer, 0)
}

/// The (shares, E, S) answer of `wrapFrom` and `transferSharesWithRate`.
fn moved(answer: &[u8]) -> Result<Moved, Error> {
    Ok(Moved {
        moved: word(answer, 0)?,
        rate: Rate { ether: word(answer, 1)?, shares: word(answer, 2)? },
    })
}

/// `wrapFrom(from, amount, amountInShares)`: `from`'s shares to the token.
pub fn wrap_from(
    pool: Address,
    from: Address,
    amount: U256,
    in_shares: bool,
) -> Result<Moved, Error> {
    moved(&call(pool, &calls::wrapFrom(from, amount, in_shares))?)
}

/// `transferSharesWithRate(to, amount, amountInShares)`: the token's shares to `to`.
pub fn send_with_rate(
    pool: Address,
    to: Address,
    amount: U256,
    in_shares: bool,
) -> Result<Moved, Error> {
    moved(&call(pool, &calls::transferSharesWithRate(to, amount, in_shares))?)
}

/// `transferShares(to, shares)`: the token's shares to `to`; returns their value (floor).
pub fn send_shares(pool: Address, to: Address, shares: U256) -> Result<U256, Error> {
    word(&call(pool, &calls::transferShares(to, shares))?, 0)
}

/// `deposit{value}(address(0))`: stakes `value` for the token; returns the shares minted.
pub fn deposit(pool: Address, value: U256) -> Result<U256, Error> {
    // SAFETY: as `call`: the pool's deposit calls nobody back.
    let answer =
        unsafe { RawCall::new_with_value(value).call(pool, &calls::deposit(Address::ZERO)) }
            .map_err(Error::Callee)?;
    word(&answer, 0)
}

/// The pool's rate: `getTotalPooledEther()` and `totalShares()`.
pub fn rate(pool: Address) -> Result<Rate, Error> {
    Ok(Rate {
        ether: view(pool, &calls::getTotalPooledEther())?,
        shares: view(pool, &calls::totalShares())?,
    })
}

/// `getPooledEthByShares(shares)`: floor(shares * E / S).
pub fn ether_by_shares(pool: Address, shares: U256) -> Result<U256, Error> {
    view(pool, &calls::getPooledEthByShares(shares))
}

/// `getSharesByPooledEth(ether)`: floor(ether * S / E).
pub fn shares_by_ether(pool: Address, ether: U256) -> Result<U256, Error> {
    view(pool, &calls::getSharesByPooledEth(ether))
}

/// `getCurrentStakeLimit()`: 0 while the pool's token or staking is paused, 2^256-1 without a
/// limit.
pub fn stake_limit(pool: Address) -> Result<U256, Error> {
    view(pool, &calls::getCurrentStakeLimit())
}

/// `isTokenPaused()`.
pub fn token_paused(pool: Address) -> Result<bool, Error> {
    Ok(!view(pool, &calls::isTokenPaused())?.is_zero())
}

/// `getLastReport()`: (reports applied, the last one's timestamp).
pub fn last_report(pool: Address) -> Result<(U256, U256), Error> {
    // SAFETY: a static call cannot write.
    let answer = unsafe { RawCall::new_static().call(pool, &calls::getLastReport()) }
        .map_err(Error::Callee)?;
    Ok((word(&answer, 0)?, word(&answer, 1)?))
}
