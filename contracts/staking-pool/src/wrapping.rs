//! The pool's side of the wrapped token (`contracts/wrapped-token`, docs/design/wrapped-token.md):
//! share moves that answer with the rate they moved at, a pull without an allowance for the
//! wrapped token alone, and the last report for its rate feed.
//!
//! ```text
//! holder --wrap(amount)--> wrapped token --wrapFrom(holder, amount, inShares)--> pool (core)
//!          pool: shares[holder] -= n, shares[token] += n; returns (n, E, S)
//! anyone --transferSharesWithRate(to, amount, inShares)--> pool (core): the caller's shares
//! oracle --handleOracleReport--> pool --DELEGATECALL--> extension: report_round += 1,
//!          report_timestamp = reportTimestamp (slot 20)
//! ```
//!
//! ## Storage
//!
//! ```text
//! slot 20  token address (160) | report_round u32 | report_timestamp u64   (word wrapped)
//! ```
//!
//! `wrapFrom` reads slot 20 once (one cold read: the caller must be the token), slots 0 and 1
//! (the rate, the pause flag) and writes the two holders' share slots, as a transfer does; no
//! allowance slot is read or written. `transferSharesWithRate` reads and writes what
//! `transferShares` does. The round and timestamp share the token's word so the wrapped
//! token's Chainlink-style feed (`latestRoundData`: round and `updatedAt`) costs one cold read;
//! every applied report reads and writes the word (the extension's `apply_report`).
//!
//! ## Rounding
//!
//! `S` = total shares, `E` = total pooled ether, both unchanged by a share move and returned
//! with it, so the caller converts at exactly the rate used without another call.
//!
//! - `wrapFrom(from, amount, false)`: `floor(amount * S / E)` shares, as `getSharesByPooledEth`:
//!   the holder keeps the dust. With `true`, exactly `amount` shares.
//! - `transferSharesWithRate(to, amount, false)`: `ceil(amount * S / E)` shares, as `transfer`:
//!   `to` receives at least `amount` of value. With `true`, exactly `amount` shares.
//! - Both emit `Transfer(from, to, floor(shares * E / S))` and `TransferShares(from, to,
//!   shares)`, as `transferShares` does. Zero shares move nothing and still emit both.
//!
//! ## Why the token is set once
//!
//! The wrapped token holds its holders' shares at its own address and mints against what
//! `wrapFrom` returns; a second token would be a second issuer of claims on the same pull
//! without an allowance. `setWrappedToken` (`DEFAULT_ADMIN_ROLE`) sets it once, like the L1
//! vault: the token has no admin and no upgrade, so it never needs replacing.

use alloy_primitives::{Address, B256, U256};
use staking_common::{abi::Word, host, roles::DEFAULT_ADMIN_ROLE, upgrade};
use staking_math::{ether_for_shares, shares_for_ether, Rounding};

use crate::{
    errors::{Error, InsufficientShares, InvalidAddress, NotWrappedToken, WrappedTokenAlreadySet},
    events,
    interface::calls,
    storage::Wrapped,
    StakingPool,
};

/// The wrapped token's `stETH()` selector (its pool), asked by `setWrappedToken`.
const STETH: [u8; 4] = {
    let h = stylus_sdk::keccak_const::Keccak256::new().update(b"stETH()").finalize();
    [h[0], h[1], h[2], h[3]]
};

impl StakingPool {
    /// Moves shares from `from` to the caller, the wrapped token, without an allowance:
    /// `amount` shares (`amount_in_shares`) or `floor(amount * S / E)`. Returns `(shares moved,
    /// totalPooledEther, totalShares)`.
    ///
    /// # Errors
    /// `NotWrappedToken(caller)` (not the token set by `setWrappedToken`, or none set),
    /// `TokenIsPaused`, `InsufficientShares(from, held, shares)`, `MathOverflow`.
    /// # Events
    /// `Transfer(from, caller, floor(shares * E / S))`, `TransferShares(from, caller, shares)`.
    /// # Access
    /// The wrapped token only.
    pub fn wrap_from(
        &mut self,
        from: Address,
        amount: U256,
        amount_in_shares: bool,
    ) -> Result<(U256, U256, U256), Error> {
        let caller = host::sender();
        let token = Wrapped::unpack(self.wrapped.get()).token;
        if token.is_zero() || caller != token {
            return Err(Error::NotWrappedToken(NotWrappedToken { caller }));
        }
        self.move_at_rate(from, caller, amount, amount_in_shares, Rounding::Down).map(Move::returns)
    }

    /// Moves the caller's shares to `to`: `amount` shares (`amount_in_shares`) or
    /// `ceil(amount * S / E)`, so `to` receives at least `amount` of value. Returns `(shares
    /// moved, totalPooledEther, totalShares)`.
    ///
    /// # Errors
    /// `ERC20InvalidReceiver` (zero or the pool), `TokenIsPaused`, `InsufficientShares(caller,
    /// held, shares)`, `MathOverflow`.
    /// # Events
    /// `Transfer(caller, to, floor(shares * E / S))`, `TransferShares(caller, to, shares)`.
    /// # Access
    /// Any holder.
    pub fn transfer_shares_with_rate(
        &mut self,
        to: Address,
        amount: U256,
        amount_in_shares: bool,
    ) -> Result<(U256, U256, U256), Error> {
        let from = host::sender();
        self.move_at_rate(from, to, amount, amount_in_shares, Rounding::Up).map(Move::returns)
    }

    /// Sets the wrapped token, the only caller of `wrapFrom`, once.
    ///
    /// `wrapFrom` pulls any holder's shares without an allowance, so the candidate must be a
    /// wrapped token of this pool: a static call to its `stETH()` must answer this pool's
    /// address (an EOA, a mistyped address or a token of another pool is refused).
    ///
    /// # Errors
    /// `AccessDenied`, `WrappedTokenAlreadySet(token)` (set already: it never changes, see the
    /// module doc), `InvalidAddress` (zero, the pool itself, or an account whose `stETH()` does
    /// not answer this pool).
    /// # Events
    /// `WrappedTokenSet(token)`.
    /// # Access
    /// `DEFAULT_ADMIN_ROLE` (governance).
    pub fn set_wrapped_token(&mut self, token: Address) -> Result<(), Error> {
        self.authorize(DEFAULT_ADMIN_ROLE, &calls::setWrappedToken(token))?;
        let mut word = Wrapped::unpack(self.wrapped.get());
        if !word.token.is_zero() {
            return Err(Error::WrappedTokenAlreadySet(WrappedTokenAlreadySet {
                token: word.token,
            }));
        }
        let this = host::this();
        if token.is_zero() || token == this || !upgrade::answers_with(token, STETH, this.word()) {
            return Err(Error::InvalidAddress(InvalidAddress {}));
        }
        word.token = token;
        self.wrapped.set(word.pack());
        log_wrapped_token_set(token);
        Ok(())
    }

    /// The wrapped token (zero: not set).
    pub fn wrapped_token(&self) -> Address {
        Wrapped::unpack(self.wrapped.get()).token
    }

    /// `(round, timestamp)`: how many oracle reports were applied and the last one's reference
    /// time (`0, 0` before the first).
    pub fn get_last_report(&self) -> (U256, U256) {
        let word = Wrapped::unpack(self.wrapped.get());
        (U256::from(word.report_round), U256::from(word.report_timestamp))
    }

    /// The share move of `wrapFrom`, `transferSharesWithRate`, `transferShares` and
    /// `transferSharesFrom`: `amount` shares, or `amount` ether converted at the current rate
    /// with `rounding`; checks the receiver and the pause flag, emits `Transfer` (the value
    /// rounded down) and `TransferShares`.
    pub(crate) fn move_at_rate(
        &mut self,
        from: Address,
        to: Address,
        amount: U256,
        amount_in_shares: bool,
        rounding: Rounding,
    ) -> Result<Move, Error> {
        let state = self.checked_move_state(to)?;
        let pooled = state.total_pooled_ether()?;
        let total = state.total_shares();
        // No share exists before the constructor: nobody holds any, so the amount stands.
        let shares = if amount_in_shares || total.is_zero() {
            amount
        } else {
            shares_for_ether(amount, pooled, total, rounding)?
        };
        let held = self.shares.get(from);
        if shares > held {
            return Err(Error::InsufficientShares(InsufficientShares {
                sender: from,
                shares: held,
                needed: shares,
            }));
        }
        let value = if total.is_zero() {
            U256::ZERO
        } else {
            ether_for_shares(shares, total, pooled, Rounding::Down)?
        };
        self.move_shares(from, to, held, shares);
        events::token_moved(from, to, value, shares);
        Ok(Move { shares, value, pooled, total })
    }
}

/// A share move: what moved and the rate it moved at.
pub(crate) struct Move {
    /// Shares moved.
    pub shares: U256,
    /// Their value, rounded down (the `Transfer` event's).
    pub value: U256,
    /// Total pooled ether (`E`), which the move leaves unchanged.
    pub pooled: U256,
    /// Total shares (`S`), which the move leaves unchanged.
    pub total: U256,
}

impl Move {
    /// `(shares, totalPooledEther, totalShares)`: what `wrapFrom` and `transferSharesWithRate`
    /// return.
    fn returns(self) -> (U256, U256, U256) {
        (self.shares, self.pooled, self.total)
    }
}

/// `WrappedTokenSet(token)`'s topic, `keccak256("WrappedTokenSet(address)")`, as four big-endian
/// words (checked against alloy's by the tests).
pub(crate) const WRAPPED_TOKEN_SET: [u64; 4] =
    [0xcdac_50d8_5226_112d, 0xf04d_4577_41fc_564e, 0xc1f6_bfd6_0581_3ab8, 0x3f9e_b4f4_771c_66a9];

/// Logs `WrappedTokenSet(token)` as the generated `emit::WrappedTokenSet` does, with the topic
/// written from immediates: the generated logger's constant would be 32 bytes of the core's
/// data segment, which every call into the core pays for (0.75 gas a byte, docs/gas.md), for an
/// event logged once in the pool's life.
pub(crate) fn log_wrapped_token_set(token: Address) {
    let [a, b, c, d] = WRAPPED_TOKEN_SET;
    let topic = B256::from(U256::from_limbs([d, c, b, a]).to_be_bytes::<32>());
    staking_common::host::log_words(&[topic], &[staking_common::abi::Word::word(token)]);
}
