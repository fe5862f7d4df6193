//! Ether coming back from L1: the protocol's L1 vault (`contracts/l1-vault`, the validators'
//! withdrawal credentials and fee recipient) bridges its free balance to the pool by retryable
//! ticket, whose redeem calls the pool from the vault's alias
//! (`staking_common::aliasing::l1_to_l2_alias`: the vault's L1 address + `0x1111…1111`,
//! modulo 2^160) with the ether and no calldata, so it lands in `receive`.
//!
//! ```text
//! slot 1   flags bits 8..32: alias(vault)'s low 24 bits (the tag; setL1Vault)
//! slot 19  vault address (160) | received u96   (setL1Vault; receive from alias(vault))
//! ```
//!
//! `receive` compares the sender's low 24 bits with the tag in slot 1, which a deposit reads
//! anyway; only on a match (the vault's alias, or one sender in 16.7 million) does it read
//! slot 19 and compare the whole alias. A plain-transfer deposit reads the same slots as before
//! the L1 leg; the vault's receipt reads slot 1, then reads and writes slot 19.
//!
//! ## What `receive` does with it
//!
//! From `alias(vault)` the ether is returned L1 ether, not a deposit: `receive` adds it to the
//! cumulative `receivedFromL1Vault` counter and emits `L1EtherReceived(amount, total)`. It
//! mints no shares, leaves the buffered ether and the stake limit as they are, and is accepted
//! while staking or the token is paused (a refused redeem would only leave the ticket waiting).
//! From any other sender, the vault's L1 address itself included (an L1 address is not an L2
//! sender), a plain transfer is a deposit as before.
//!
//! ## How it is accounted
//!
//! Until the report carries the vault's fields, the vault's ether is the pool's unaccounted
//! balance (`balance(this) - buffered`), like consensus-layer withdrawals and execution-layer
//! rewards pushed to the pool today: the share rate does not see it, and a report takes it into
//! the buffer only as far as it claims it (`withdrawals` + `elRewards`, at most that balance).
//! The counter only records what arrived.
//!
//! The next step of the L1 leg makes the report carry, at its reference slot, the vault's
//! balance and `bridgedToL2` (the vault's cumulative ether sent to the pool), and the pool
//! counts `bridgedToL2 - receivedFromL1Vault` as in flight to L2 in the total pooled ether
//! (docs/design/l1-leg.md, "Accounting"); the received ether itself is taken into the buffer
//! by that report. Both counters are cumulative, so a report that arrives while tickets are in
//! flight, or whose auto-redeem failed and waits for a manual redeem, counts the difference
//! once. A ticket that expires unredeemed pays its value to its beneficiary as a plain
//! balance transfer, without running `receive`: the vault must name a beneficiary that
//! accounts for it (the counter cannot see it).
//!
//! ## Why the vault is set once
//!
//! `setL1Vault` sets the address once, after the vault is deployed (the vault's constructor
//! names the pool, so it comes after the pool); a second call is refused. The vault is the
//! withdrawal credentials of every validator the pool funds, which the beacon chain never
//! changes: its ether keeps arriving from that vault for as long as one of them exists, so a
//! pool that switched to another vault would have to keep accepting the first anyway, and a
//! change while tickets are in flight would turn their ether into deposits minted to the old
//! vault's alias. The vault's own settings change by governance's L2-to-L1 messages, at the
//! same address. The counter belongs to the pool, not to a vault.

use alloy_primitives::{Address, U256};
use staking_common::{aliasing::l1_to_l2_alias, host, roles::DEFAULT_ADMIN_ROLE};
use staking_math::to_u128;

use crate::{
    errors::{Error, InvalidAddress, L1VaultAlreadySet},
    events::emit,
    interface::calls,
    math_overflow,
    storage::{alias_tag, Beacon, L1Vault, L1_RECEIVED_MAX},
    StakingPool,
};

impl StakingPool {
    /// Sets the protocol's L1 vault (its L1 address; its ether arrives from its alias), once.
    ///
    /// # Errors
    /// `AccessDenied`, `InvalidAddress` (zero), `L1VaultAlreadySet(vault)` (it is set already:
    /// it never changes, see the module doc).
    /// # Events
    /// `L1VaultSet(vault, l2Alias)`.
    /// # Access
    /// `DEFAULT_ADMIN_ROLE` (governance).
    pub fn set_l1_vault(&mut self, vault: Address) -> Result<(), Error> {
        self.authorize(DEFAULT_ADMIN_ROLE, &calls::setL1Vault(vault))?;
        if vault.is_zero() {
            return Err(Error::InvalidAddress(InvalidAddress {}));
        }
        let mut word = L1Vault::unpack(self.l1_vault.get());
        if !word.vault.is_zero() {
            return Err(Error::L1VaultAlreadySet(L1VaultAlreadySet { vault: word.vault }));
        }
        word.vault = vault;
        self.l1_vault.set(word.pack());
        let alias = l1_to_l2_alias(vault);
        let mut beacon = Beacon::unpack(self.beacon.get());
        beacon.set_alias_tag(alias_tag(alias));
        self.beacon.set(beacon.pack());
        emit::L1VaultSet(vault, alias);
        Ok(())
    }

    /// The L1 vault's L1 address (zero: not set).
    pub fn l1_vault(&self) -> Address {
        L1Vault::unpack(self.l1_vault.get()).vault
    }

    /// Cumulative wei received from the L1 vault's alias.
    pub fn received_from_l1_vault(&self) -> U256 {
        U256::from(L1Vault::unpack(self.l1_vault.get()).received)
    }

    /// `receive`'s second step, when the sender matches the tag: when the sender is the vault's
    /// alias, counts `msg.value` as returned L1 ether and says so (`true`: nothing else to do).
    pub(crate) fn receive_l1_ether(&mut self) -> Result<bool, Error> {
        let mut word = L1Vault::unpack(self.l1_vault.get());
        if word.vault.is_zero() || host::sender() != l1_to_l2_alias(word.vault) {
            return Ok(false);
        }
        let amount = host::value();
        let received = word
            .received
            .checked_add(to_u128(amount)?)
            .filter(|total| *total <= L1_RECEIVED_MAX)
            .ok_or(math_overflow())?;
        word.received = received;
        self.l1_vault.set(word.pack());
        emit::L1EtherReceived(amount, U256::from(received));
        Ok(true)
    }
}
