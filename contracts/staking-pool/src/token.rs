//! The rebasing ERC-20's moves: share transfers, allowances.
//!
//! Balances are kept in shares; ether amounts are converted at the rate of the stored
//! counters (slots 0 and 1), read once per call. A transfer writes only the two holders'
//! share slots: the totals do not change.

use alloy_primitives::{Address, U256};
use staking_common::host;
use staking_math::{shares_for_ether, Rounding};

use crate::{
    errors::{
        ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC20InvalidReceiver,
        ERC20InvalidSpender, Error, TokenIsPaused,
    },
    events,
    storage::{PoolState, FLAG_TOKEN_PAUSED},
    StakingPool,
};

impl StakingPool {
    /// `transfer` / `transferFrom`: moves `ceil(amount / rate)` shares and returns them.
    pub(crate) fn transfer_amount(
        &mut self,
        from: Address,
        to: Address,
        amount: U256,
    ) -> Result<U256, Error> {
        let state = self.checked_move_state(to)?;
        let held = self.shares.get(from);
        let shares = if state.totals.total_shares == 0 {
            amount
        } else {
            shares_for_ether(
                amount,
                state.total_pooled_ether()?,
                state.total_shares(),
                Rounding::Up,
            )?
        };
        if shares > held {
            let balance = state.ether_for(held, Rounding::Down)?;
            return Err(Error::ERC20InsufficientBalance(ERC20InsufficientBalance {
                sender: from,
                balance,
                needed: amount,
            }));
        }
        self.move_shares(from, to, held, shares);
        events::token_moved(from, to, amount, shares);
        Ok(shares)
    }

    /// `transferShares` / `transferSharesFrom`: moves exactly `shares` shares; returns their
    /// value, rounded down. The move `wrapFrom` and `transferSharesWithRate` make too
    /// ([`crate::wrapping`]): one body for the four.
    pub(crate) fn transfer_exact_shares(
        &mut self,
        from: Address,
        to: Address,
        shares: U256,
    ) -> Result<U256, Error> {
        Ok(self.move_at_rate(from, to, shares, true, Rounding::Down)?.value)
    }

    /// Spends `amount` of `owner`'s allowance for `spender`; unlimited allowances stay.
    pub(crate) fn spend_allowance(
        &mut self,
        owner: Address,
        spender: Address,
        amount: U256,
    ) -> Result<(), Error> {
        let mut slot = self.allowances.setter(owner);
        let mut allowance = slot.setter(spender);
        let current = allowance.get();
        if current == U256::MAX {
            return Ok(());
        }
        if current < amount {
            return Err(Error::ERC20InsufficientAllowance(ERC20InsufficientAllowance {
                spender,
                allowance: current,
                needed: amount,
            }));
        }
        // Cannot underflow: checked just above.
        allowance.set(current.wrapping_sub(amount));
        Ok(())
    }

    /// Sets an allowance and emits `Approval`.
    pub(crate) fn set_allowance(
        &mut self,
        owner: Address,
        spender: Address,
        amount: U256,
    ) -> Result<(), Error> {
        if spender.is_zero() {
            return Err(Error::ERC20InvalidSpender(ERC20InvalidSpender { spender }));
        }
        self.allowances.setter(owner).setter(spender).set(amount);
        events::emit::Approval(owner, spender, amount);
        Ok(())
    }

    /// Checks the receiver and the pause flag; returns the loaded state for the rate.
    pub(crate) fn checked_move_state(&self, to: Address) -> Result<PoolState, Error> {
        if to.is_zero() || to == host::this() {
            return Err(Error::ERC20InvalidReceiver(ERC20InvalidReceiver { receiver: to }));
        }
        let state = self.load_state();
        if state.beacon.has(FLAG_TOKEN_PAUSED) {
            return Err(Error::TokenIsPaused(TokenIsPaused {}));
        }
        Ok(state)
    }

    /// Moves `shares` (already checked `<= held`) from `from` to `to`.
    pub(crate) fn move_shares(&mut self, from: Address, to: Address, held: U256, shares: U256) {
        // Cannot underflow: callers check `shares <= held`.
        self.shares.setter(from).set(held.wrapping_sub(shares));
        let mut dest = self.shares.setter(to);
        let prior = dest.get();
        // Cannot overflow: the sum of all holdings is total_shares, which fits u128.
        dest.set(prior.wrapping_add(shares));
    }
}
