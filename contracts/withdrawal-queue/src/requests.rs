//! Withdrawal requests: moving the caller's tokens into the queue and recording one request
//! (and one NFT) per amount.
//!
//! One call to the pool per `requestWithdrawals`, whatever the number of amounts: the pool
//! moves `S = ceil(total / rate)` shares for the total and returns `S`; the shares are split
//! over the amounts by rounding the running total up, `cum_i = ceil(S * (a_1 + .. + a_i) /
//! total)`, so the parts add up to exactly `S` and each is its exact part `S * a_i / total`
//! within one share. A request's rate can therefore be up to one share's worth above the
//! pool's (300 wei at 3 wei per share is 34 + 33 + 33 shares); finalization still pays it at
//! most its shares at the report's rate.
//!
//! The pool is called before the queue writes anything (it must say how many shares moved);
//! the call runs under the guard, and the pool is a trusted contract that calls nothing back.

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};
use staking_common::host;
use staking_math::to_u128;

use crate::{
    access::{call, guard, pull_data},
    errors::{
        EmptyRequest, Error, NotInitialized, QueuePaused, RequestAmountTooLarge,
        RequestAmountTooSmall,
    },
    events,
    storage::{narrow32, Config, Final, Owner, Queue, Request, FLAG_INITIALIZED, FLAG_PAUSED},
    WithdrawalQueue,
};

/// Millionths of an ether per share, rounded up: the unit of [`Queue::max_rate`].
pub(crate) const COARSE_RATE_UNIT: u128 = 1_000_000;
/// Largest value of [`Queue::max_rate`] (24 bits).
pub(crate) const COARSE_RATE_MAX: u32 = (1 << 24) - 1;

/// `ceil(ether * 1e6 / shares)`, saturating at [`COARSE_RATE_MAX`]: an upper bound of the
/// request's share rate in millionths, unless saturated.
pub(crate) fn coarse_rate(ether: u128, shares: u128) -> u32 {
    // ether < 2^96, so ether * 1e6 < 2^116 cannot overflow; shares > 0 (checked by callers).
    let coarse = (ether * COARSE_RATE_UNIT).div_ceil(shares);
    u32::try_from(coarse).map_or(COARSE_RATE_MAX, |c| c.min(COARSE_RATE_MAX))
}

/// Most requests one `requestWithdrawalsSplit` creates: 1,000 maximal requests (1,000,000
/// ether at the default maximum), about the block's gas limit at some 30,000 gas a request.
/// Without it a `total` near 2^128 wei asked for about 10^17 requests and the program trapped
/// allocating them (found by the calldata fuzz, `tests/e2e/calldata_fuzz.rs`).
pub(crate) const MAX_SPLIT_REQUESTS: u128 = 1_000;

pub(crate) fn too_large(amount: U256, config: &Config) -> Error {
    Error::RequestAmountTooLarge(RequestAmountTooLarge {
        amount,
        max: U256::from(config.max_request()),
    })
}

pub(crate) fn too_small(amount: U256, config: &Config) -> Error {
    Error::RequestAmountTooSmall(RequestAmountTooSmall {
        amount,
        min: U256::from(config.min_request),
    })
}

impl WithdrawalQueue {
    /// `requestWithdrawals`: checks, pulls the tokens, records the requests, mints the NFTs.
    pub(crate) fn request(&mut self, amounts: &[U256], owner: Address) -> Result<Vec<U256>, Error> {
        let _lock = guard()?;
        if amounts.is_empty() {
            return Err(Error::EmptyRequest(EmptyRequest {}));
        }
        let requestor = host::sender();
        let owner = if owner.is_zero() { requestor } else { owner };
        let mut queue = Queue::unpack(self.queue.get());
        if !queue.has(FLAG_INITIALIZED) {
            return Err(Error::NotInitialized(NotInitialized {}));
        }
        if queue.has(FLAG_PAUSED) {
            return Err(Error::QueuePaused(QueuePaused {}));
        }
        let config = Config::unpack(self.config.get());
        let mut total: u128 = 0;
        let mut narrowed = Vec::with_capacity(amounts.len());
        for &amount in amounts {
            let a = u128::try_from(amount).map_err(|_| too_large(amount, &config))?;
            if a < u128::from(config.min_request) {
                return Err(too_small(amount, &config));
            }
            if a > config.max_request() {
                return Err(too_large(amount, &config));
            }
            total = total.checked_add(a).ok_or_else(|| too_large(amount, &config))?;
            narrowed.push(a);
        }

        let data = pull_data(requestor, host::this(), U256::from(total));
        let answer = call(config.pool, &data).map_err(Error::Callee)?;
        let shares = match answer.get(..32) {
            Some(word) => to_u128(U256::from_be_slice(word))?,
            None => return Err(Error::Callee(answer)),
        };

        let mut holder = self.owner_entry(owner)?;
        let now = narrow32(u128::from(host::timestamp()))?;
        let mut ids = Vec::with_capacity(amounts.len());
        let (mut done_ether, mut done_shares) = (0u128, 0u128);
        for (&amount, &a) in amounts.iter().zip(&narrowed) {
            done_ether += a; // <= total, checked above
                             // shares, done_ether < 2^96: the product fits; total > 0.
            let product = U256::from(shares) * U256::from(done_ether);
            let cum = to_u128(product.div_ceil(U256::from(total)))?;
            let s = cum - done_shares; // cum is non-decreasing in done_ether
            done_shares = cum;
            if s == 0 {
                // Worth less than one share: it could never be paid.
                return Err(too_small(amount, &config));
            }
            queue.cum_ether = queue.cum_ether.checked_add(a).ok_or_else(crate::overflow)?;
            queue.cum_shares = queue.cum_shares.checked_add(s).ok_or_else(crate::overflow)?;
            queue.last_request_id =
                queue.last_request_id.checked_add(1).ok_or_else(crate::overflow)?;
            queue.max_rate = queue.max_rate.max(coarse_rate(a, s));
            let record = Request {
                cum_ether: queue.cum_ether,
                cum_shares: queue.cum_shares,
                owner: holder.index,
                timestamp: now,
            };
            let id = U256::from(queue.last_request_id);
            self.requests.setter(id).set(record.pack()?);
            events::requested(id, requestor, owner, amount, U256::from(s));
            ids.push(id);
        }
        holder.balance = holder
            .balance
            .checked_add(narrow32(amounts.len() as u128)?)
            .ok_or_else(crate::overflow)?;
        self.owners.setter(owner).set(holder.pack());
        self.queue.set(queue.pack()?);
        Ok(ids)
    }

    /// `requestWithdrawalsSplit`: `total` as maximal requests; a remainder below the minimum
    /// borrows from the request before it. At most [`MAX_SPLIT_REQUESTS`] requests: a `total`
    /// above that many maximal requests is refused with `RequestAmountTooLarge(total, that
    /// product)`.
    pub(crate) fn split(&self, total: U256) -> Result<Vec<U256>, Error> {
        let config = Config::unpack(self.config.get());
        let t = u128::try_from(total).map_err(|_| too_large(total, &config))?;
        let (min, max) = (u128::from(config.min_request), config.max_request());
        if max == 0 {
            // No bounds before `initialize` (and `t / max` below would trap).
            return Err(Error::NotInitialized(NotInitialized {}));
        }
        if t < min {
            return Err(too_small(total, &config));
        }
        // The largest total is `MAX_SPLIT_REQUESTS` maximal requests (no cap when that
        // product is beyond u128, which `t` cannot exceed).
        if let Some(largest) = max.checked_mul(MAX_SPLIT_REQUESTS).filter(|&l| t > l) {
            let max = U256::from(largest);
            return Err(Error::RequestAmountTooLarge(RequestAmountTooLarge { amount: total, max }));
        }
        let full = t / max;
        let rest = t % max;
        let mut amounts = Vec::with_capacity(usize::try_from(full).unwrap_or(0) + 1);
        for _ in 0..full {
            amounts.push(max);
        }
        if rest > 0 {
            if rest >= min {
                amounts.push(rest);
            } else {
                // full >= 1 here (t >= min > rest). Move (min - rest) from the last full one;
                // max >= 2 min is checked when bounds are set, so it stays above min.
                let last = amounts.len() - 1;
                amounts[last] = max - (min - rest);
                amounts.push(min);
            }
        }
        Ok(amounts.into_iter().map(U256::from).collect())
    }

    /// The owner's entry, with an index handed out if it never held an NFT.
    pub(crate) fn owner_entry(&mut self, owner: Address) -> Result<Owner, Error> {
        let mut entry = Owner::unpack(self.owners.get(owner));
        if entry.index == 0 {
            let mut fin = Final::unpack(self.fin.get());
            fin.owner_count = fin.owner_count.checked_add(1).ok_or_else(crate::overflow)?;
            entry.index = fin.owner_count;
            self.fin.set(fin.pack()?);
            self.owner_by_index.setter(U256::from(entry.index)).set(owner);
        }
        Ok(entry)
    }
}
