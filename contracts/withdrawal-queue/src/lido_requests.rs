//! Lido's request variants, in the extension program (they are not the hot path; the core and
//! its `requestWithdrawals` are unchanged by them): `requestWithdrawalsWithPermit`,
//! `requestWithdrawalsWstETH` and `requestWithdrawalsWstETHWithPermit`.
//!
//! ## Permit, front-running safe
//!
//! The permit is the caller's: `permit(msg.sender, queue, value, deadline, v, r, s)` on the
//! token the request pulls (the pool, or the wrapped token), as Lido's queue calls it. A permit
//! travels in the clear, so anyone can submit it first; the token then refuses the second use
//! (the nonce moved on). Lido's queue reverts then, and the user's request fails though the
//! allowance it needs is in place. Here a permit that fails is ignored, and the pull that
//! follows spends the allowance as the plain request does: the request goes on when the
//! allowance covers its tokens, and otherwise reverts with the token's own
//! `ERC20InsufficientAllowance(queue, allowance, needed)`. This is the pattern Lido recommends
//! to integrators and OpenZeppelin's `IERC20Permit` documents (`try permit {} catch {}`, then
//! the transfer). A request that fails for any other reason reverts the permit with it.
//!
//! The permit is tried under the queue's guard. Then the extension runs the request itself by
//! a `DELEGATECALL` to the queue's own address (as OpenZeppelin's `Multicall` does): the
//! caller's `requestWithdrawals(amounts, owner)` or `requestWithdrawalsWstETH(amounts, owner)`,
//! the same code a plain request runs, with the same `msg.sender`, storage, checks and events,
//! and no second copy of it in this program. A delegate call opens no new frame of the queue,
//! so the SDK's reentrancy check lets it through, and the guard is free again by then. The two
//! `WithPermit` functions take their arguments as sent (`@custom:raw`): the permit's five
//! words go to the token as they came (the token checks them; a malformed `v` is a failed
//! permit like any other) and the amounts to the request, which decodes and checks them.
//!
//! ## Requests paid in the wrapped token
//!
//! One pull, one unwrap, whatever the number of amounts: the wrapped token's
//! `transferFrom(caller, queue, W)` for `W = sum(amounts)`, then `unwrap(W)`, which burns them
//! and moves exactly `W` shares of the pool to the queue (1 wrapped = 1 share) and returns
//! their ether value `E_W = floor(W * E / S)` (the pool's `transferShares`, at its rate).
//! Request `i` records:
//!
//! - `amountOfShares = a_i`, its own amount: the shares split exactly, none left in the queue
//!   (Lido records `getSharesByPooledEth(amountOfStETH)`, which leaves up to a share behind
//!   per request).
//! - `amountOfStETH = cum_i - cum_{i-1}` with `cum_i = floor(E_W * (a_1 + .. + a_i) / W)`:
//!   the running total rounded down, so the parts add up to exactly `E_W`, the value the pool's
//!   `Transfer` to the queue reported. No wei is lost (Lido unwraps per request and rounds
//!   each down, losing up to a wei per request) and none is created. Each part is within one
//!   wei of its exact value `a_i * E / S`; for one request it is `E_W`, Lido's figure.
//!
//! A part one wei above its shares' value is harmless: finalization pays
//! `min(amountOfStETH, shares at the report's rate)`, and the request's rate enters the queue's
//! `max_rate` bound as the plain requests' do ([`crate::requests`]). The bounds apply to
//! `amountOfStETH` (as Lido's), after the unwrap: a refused request reverts the whole call.
//!
//! The wrapped token's address is the pool's `wrappedToken()` (set once by the pool's admin),
//! read on every call: `InvalidAddress` while it is zero or the pool does not answer (the
//! queue's "a zero address where a contract is required"; an error of its own would add an entry
//! to the error table the core program shares, and with it bytes every uncached core call pays
//! for).

use alloc::vec::Vec;

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use staking_common::{
    abi::Word,
    calldata::Args,
    host,
    router::{self, ArbResult},
};
use staking_math::to_u128;

use crate::{
    abi::IWithdrawalQueue::{requestWithdrawalsCall, requestWithdrawalsWstETHCall},
    access::{call, guard, permit_data, unwrap_data, wrapped_pull_data, wrapped_token_data},
    errors::{EmptyRequest, Error, InvalidAddress, NotInitialized, QueuePaused},
    events,
    requests::{too_large, too_small, COARSE_RATE_MAX, COARSE_RATE_UNIT},
    storage::{narrow32, Config, Queue, Request, FLAG_INITIALIZED, FLAG_PAUSED},
    WithdrawalQueue,
};

/// Tries `token.permit(owner, queue, value, deadline, v, r, s)`, the last five words as the
/// caller sent them (`permit`); a failure is ignored (see the module doc).
pub(crate) fn try_permit(token: Address, owner: Address, permit: &[u8]) {
    let data = permit_data(owner, host::this(), permit);
    // A failed permit leaves nothing behind (its frame reverted); the pull decides.
    let _ = call(token, &data);
}

/// The pool's `wrappedToken()`, or `InvalidAddress` (zero, or no answer).
fn wrapped_token(pool: Address) -> Result<Address, Error> {
    if let Ok(answer) = host::static_call(pool, &wrapped_token_data()) {
        if let Some(word) = answer.get(12..32) {
            let token = Address::from_slice(word);
            if !token.is_zero() {
                return Ok(token);
            }
        }
    }
    Err(Error::InvalidAddress(InvalidAddress {}))
}

/// `a * b / d` rounded down (or up), exact in 256 bits; `MathOverflow` beyond u128.
///
/// One out-of-line helper for both of the wrapped path's divisions: u128 division would pull
/// a kilobyte of compiler-builtins into the extension program, and an inline 256-bit product
/// per use as much again.
#[inline(never)]
pub(crate) fn mul_div(a: u128, b: u128, d: u128, up: bool) -> Result<u128, Error> {
    let (p, d) = (U256::from(a) * U256::from(b), U256::from(d));
    Ok(to_u128(if up { p.div_ceil(d) } else { p / d })?)
}

impl WithdrawalQueue {
    /// `requestWithdrawalsWithPermit` (`wrapped` false) and
    /// `requestWithdrawalsWstETHWithPermit` (`wrapped` true), from their arguments as sent,
    /// `(uint256[] amounts, address owner, PermitInput permit)`: the permit on the pool or on
    /// the wrapped token, under the guard, then `requestWithdrawals(amounts, owner)` /
    /// `requestWithdrawalsWstETH(amounts, owner)` by a `DELEGATECALL` to the queue itself (see
    /// the module doc). Empty revert data when the head is short, the owner not an address or
    /// the amounts' offset out of the data, as the router's; the amounts themselves are decoded
    /// (and checked) by the request, the permit's words by the token.
    pub(crate) fn request_with_permit(&mut self, args: &[u8], wrapped: bool) -> ArbResult {
        let a = Args(args);
        let amounts =
            a.u256(0).and_then(|at| usize::try_from(at).ok()).and_then(|at| args.get(at..));
        let (Some(owner), Some(permit), Some(amounts)) = (a.address(1), args.get(64..224), amounts)
        else {
            return router::bad();
        };
        let selector = {
            let _lock = guard()?;
            let pool = Config::unpack(self.config.get()).pool;
            let (token, selector) = if wrapped {
                (wrapped_token(pool)?, requestWithdrawalsWstETHCall::SELECTOR)
            } else {
                (pool, requestWithdrawalsCall::SELECTOR)
            };
            try_permit(token, host::sender(), permit);
            selector
        };
        // `selector(amounts, owner)`: the head is two words, the amounts (length and elements)
        // follow.
        let mut data = Vec::with_capacity(68 + amounts.len());
        data.extend_from_slice(&selector);
        data.extend_from_slice(U256::from(64).word().as_slice());
        data.extend_from_slice(owner.word().as_slice());
        data.extend_from_slice(amounts);
        router::delegate(host::this(), &data)
    }

    /// `requestWithdrawalsWstETH`: checks, pulls and unwraps the wrapped tokens, records the
    /// requests (see the module doc for the split), mints the NFTs.
    pub(crate) fn request_wrapped(
        &mut self,
        amounts: &[U256],
        owner: Address,
    ) -> Result<Vec<U256>, Error> {
        let _lock = guard()?;
        // The same opening checks as `requests.rs`'s `request`, in the same order, written
        // again: a shared helper returning the four values made the queue's core 169 bytes
        // larger even when inlined (measured), and every request pays for the core's size.
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
        // Wrapped units are shares: a zero amount is worth nothing, and a total of 2^128 or
        // more is more than all the shares there are.
        let mut total: u128 = 0;
        for &amount in amounts {
            if amount.is_zero() {
                return Err(too_small(amount, &config));
            }
            total = u128::try_from(amount)
                .ok()
                .and_then(|a| total.checked_add(a))
                .ok_or_else(|| too_large(amount, &config))?;
        }
        let token = wrapped_token(config.pool)?;

        let sum = U256::from(total);
        call(token, &wrapped_pull_data(requestor, host::this(), sum)).map_err(Error::Callee)?;
        let answer = call(token, &unwrap_data(sum)).map_err(Error::Callee)?;
        let unwrapped = match answer.get(..32) {
            Some(word) => to_u128(U256::from_be_slice(word))?,
            None => return Err(Error::Callee(answer)),
        };

        let mut holder = self.owner_entry(owner)?;
        let now = narrow32(u128::from(host::timestamp()))?;
        let mut ids = Vec::with_capacity(amounts.len());
        let (mut done_shares, mut done_ether) = (0u128, 0u128);
        for &amount in amounts {
            let s = to_u128(amount)?; // each amount <= total < 2^128, checked above
            done_shares += s;
            // Non-decreasing in done_shares, and unwrapped at the last amount.
            let cum = mul_div(unwrapped, done_shares, total, false)?;
            let e = cum - done_ether;
            done_ether = cum;
            if e < u128::from(config.min_request) {
                return Err(too_small(U256::from(e), &config));
            }
            if e > config.max_request() {
                return Err(too_large(U256::from(e), &config));
            }
            queue.cum_ether = queue.cum_ether.checked_add(e).ok_or_else(crate::overflow)?;
            queue.cum_shares = queue.cum_shares.checked_add(s).ok_or_else(crate::overflow)?;
            queue.last_request_id =
                queue.last_request_id.checked_add(1).ok_or_else(crate::overflow)?;
            // As `requests::coarse_rate`: ceil(e * 1e6 / s), saturated.
            let coarse = mul_div(e, COARSE_RATE_UNIT, s, true)?;
            let coarse = u32::try_from(coarse).map_or(COARSE_RATE_MAX, |c| c.min(COARSE_RATE_MAX));
            queue.max_rate = queue.max_rate.max(coarse);
            let record = Request {
                cum_ether: queue.cum_ether,
                cum_shares: queue.cum_shares,
                owner: holder.index,
                timestamp: now,
            };
            let id = U256::from(queue.last_request_id);
            self.requests.setter(id).set(record.pack()?);
            events::requested(id, requestor, owner, U256::from(e), amount);
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
}
