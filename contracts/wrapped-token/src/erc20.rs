//! The ERC-20 core over the token's storage: balances (slot 0), allowances (slot 1) and the
//! total supply packed with the pool's address (slot 2, [`Core`]). Hand-written rather than
//! OpenZeppelin's `Erc20`: see the crate doc.
//!
//! Semantics are OpenZeppelin's 5.x: a transfer to the zero address is refused
//! (`ERC20InvalidReceiver`), an allowance of `2^256 - 1` is never decreased, spending an
//! allowance logs nothing, approving the zero address is refused (`ERC20InvalidSpender`).

use alloy_primitives::{Address, U256};

use crate::{
    errors::{
        ERC20InsufficientAllowance, ERC20InsufficientBalance, ERC20InvalidReceiver,
        ERC20InvalidSpender, Error,
    },
    events::emit,
    storage::Core,
    WrappedToken,
};

impl WrappedToken {
    /// Moves `value` units from `from` to `to`.
    pub(crate) fn move_units(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<(), Error> {
        if to.is_zero() {
            return Err(Error::ERC20InvalidReceiver(ERC20InvalidReceiver { receiver: to }));
        }
        // One slot computation per balance: a setter reads and writes the same entry.
        let mut from_balance = self.balances.setter(from);
        let balance = from_balance.get();
        if balance < value {
            return Err(insufficient(from, balance, value));
        }
        from_balance.set(balance - value);
        // Balances sum to the supply (< 2^96): no addition overflows.
        let mut to_balance = self.balances.setter(to);
        let held = to_balance.get();
        to_balance.set(held + value);
        emit::Transfer(from, to, value);
        Ok(())
    }

    /// Mints `value` units to `to`, growing `core`'s supply (the caller stores `core`).
    ///
    /// Errors: `ERC20InvalidReceiver(0)` (units minted to the zero address could never be
    /// redeemed: `deposit` and `mint` name their receiver), `SupplyOverflow` via `grow`.
    pub(crate) fn mint_units(
        &mut self,
        core: &mut Core,
        to: Address,
        value: U256,
    ) -> Result<(), Error> {
        if to.is_zero() {
            return Err(Error::ERC20InvalidReceiver(ERC20InvalidReceiver { receiver: to }));
        }
        core.grow(value)?;
        let mut balance = self.balances.setter(to);
        let held = balance.get();
        balance.set(held + value);
        emit::Transfer(Address::ZERO, to, value);
        Ok(())
    }

    /// Burns `value` of `from`'s units, shrinking `core`'s supply (the caller stores `core`).
    pub(crate) fn burn_units(
        &mut self,
        core: &mut Core,
        from: Address,
        value: U256,
    ) -> Result<(), Error> {
        let balance = self.balances.get(from);
        if balance < value {
            return Err(insufficient(from, balance, value));
        }
        self.balances.setter(from).set(balance - value);
        core.shrink(value);
        emit::Transfer(from, Address::ZERO, value);
        Ok(())
    }

    /// Spends `value` of `owner`'s allowance for `spender` (none spent when it is `2^256 - 1`).
    pub(crate) fn spend_allowance(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
    ) -> Result<(), Error> {
        let mut owners = self.allowances.setter(owner);
        let mut entry = owners.setter(spender);
        let allowed = entry.get();
        if allowed == U256::MAX {
            return Ok(());
        }
        if allowed < value {
            return Err(Error::ERC20InsufficientAllowance(ERC20InsufficientAllowance {
                spender,
                allowance: allowed,
                needed: value,
            }));
        }
        entry.set(allowed - value);
        Ok(())
    }

    /// Sets `owner`'s allowance for `spender` to `value`.
    pub(crate) fn set_allowance(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
    ) -> Result<(), Error> {
        if spender.is_zero() {
            return Err(Error::ERC20InvalidSpender(ERC20InvalidSpender { spender }));
        }
        self.allowances.setter(owner).setter(spender).set(value);
        emit::Approval(owner, spender, value);
        Ok(())
    }
}

fn insufficient(sender: Address, balance: U256, needed: U256) -> Error {
    Error::ERC20InsufficientBalance(ERC20InsufficientBalance { sender, balance, needed })
}
