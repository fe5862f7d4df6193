//! Storage layout of the wrapped token, and its one packed word.
//!
//! The slot table is in the crate doc (`lib.rs`, checked by `tests::layout`); this struct is
//! what it describes. Map entries live at `keccak256(key (32, left-padded) | slot (32))`, as
//! Solidity mappings, so the balances and allowances are where an ERC-20 written in Solidity
//! with the same declaration order keeps them.

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, U256};
use stylus_sdk::{
    prelude::*,
    storage::{StorageMap, StorageU256},
};

use crate::errors::{Error, SupplyOverflow};

/// The wrapped token: balances, allowances, the pool and the total supply, permit nonces.
#[entrypoint]
#[storage]
pub struct WrappedToken {
    /// Slot 0: units per holder.
    pub(crate) balances: StorageMap<Address, StorageU256>,
    /// Slot 1: allowances, owner => spender => units.
    pub(crate) allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// Slot 2: [`Core`], the pool and the total supply in one word.
    pub(crate) core: StorageU256,
    /// Slot 3: the permit nonce of each owner.
    pub(crate) nonces: StorageMap<Address, StorageU256>,
}

impl WrappedToken {
    /// The storage handle the constructor's guard word is read and written through
    /// (`staking_common::upgrade`).
    pub(crate) fn host(&self) -> stylus_sdk::host::VM {
        self.__stylus_host.clone()
    }

    /// Slot 2, unpacked.
    pub(crate) fn load_core(&self) -> Core {
        Core::unpack(self.core.get())
    }

    /// Writes slot 2.
    pub(crate) fn store_core(&mut self, core: Core) {
        self.core.set(core.pack());
    }
}

/// The largest total supply: 2^96 - 1 units (7.9e28 shares; all the ether there is, 1.2e26
/// wei, is far below it).
pub const MAX_SUPPLY: u128 = (1 << 96) - 1;

/// Slot 2: `pool (160) [96,256) | total_supply u96 [0,96)`. Every wrap and unwrap needs both,
/// so one cold read and one write serve them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Core {
    /// The staking pool (the receipt token), set once by the constructor.
    pub pool: Address,
    /// Units in existence (at most [`MAX_SUPPLY`]).
    pub total_supply: u128,
}

impl Core {
    /// Reads the word (big-endian byte ranges: the pool is bytes 0..20, the supply 20..32).
    #[allow(clippy::manual_memcpy, reason = "copy_from_slice would add a panic location")]
    pub fn unpack(word: U256) -> Self {
        let b = word.to_be_bytes::<32>();
        // Byte by byte over fixed arrays: no slice copy, so no length check or panic location
        // in the data segment.
        let (mut pool, mut supply) = ([0u8; 20], [0u8; 16]);
        for i in 0..20 {
            pool[i] = b[i];
        }
        for i in 0..12 {
            supply[4 + i] = b[20 + i];
        }
        Self { pool: Address::new(pool), total_supply: u128::from_be_bytes(supply) }
    }

    /// The word. The supply is at most [`MAX_SUPPLY`] (checked where it grows).
    #[allow(clippy::manual_memcpy, reason = "copy_from_slice would add a panic location")]
    pub fn pack(self) -> U256 {
        let mut b = [0u8; 32];
        let supply = self.total_supply.to_be_bytes();
        for i in 0..20 {
            b[i] = self.pool.0 .0[i];
        }
        for i in 0..12 {
            b[20 + i] = supply[4 + i];
        }
        U256::from_be_bytes(b)
    }

    /// The supply grown by `amount`.
    ///
    /// # Errors
    ///
    /// `SupplyOverflow` past [`MAX_SUPPLY`].
    pub fn grow(&mut self, amount: U256) -> Result<(), Error> {
        let total = U256::from(self.total_supply) + amount.min(U256::from(u128::MAX));
        if total > U256::from(MAX_SUPPLY) {
            return Err(Error::SupplyOverflow(SupplyOverflow {}));
        }
        self.total_supply = total.saturating_to::<u128>();
        Ok(())
    }

    /// The supply less `amount`, which a holder's balance covered (so it never wraps).
    pub fn shrink(&mut self, amount: U256) {
        self.total_supply = self.total_supply.saturating_sub(amount.saturating_to::<u128>());
    }
}
