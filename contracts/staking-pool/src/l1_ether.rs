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
//! the L1 leg; the vault's receipt reads slot 1, reads and writes slot 19, reads and writes
//! slot 0 (`buffered`) and writes slot 1 (`cl_balance`).
//!
//! ## What `receive` does with it
//!
//! From `alias(vault)` the ether is returned L1 ether, not a deposit: `receive` adds it to the
//! cumulative `receivedFromL1Vault` counter, moves it from the L1 figure into the buffer
//! (below) and emits `L1EtherReceived(amount, total)`. It mints no shares, leaves the stake
//! limit as it is, and is accepted while staking or the token is paused (a refused redeem would
//! only leave the ticket waiting). From any other sender, the vault's L1 address itself
//! included (an L1 address is not an L2 sender), a plain transfer is a deposit as before.
//!
//! ## How it is accounted
//!
//! The identity the protocol holds (docs/design/l1-leg.md, "Accounting"):
//!
//! ```text
//! total pooled ether = buffered + deposited-not-seen + CL balance + vault balance
//!                      + in flight to L2,        in flight = bridgedToL2 - receivedFromL1Vault
//! ```
//!
//! The pool keeps one L1-side figure, in `cl_balance` (slot 1):
//!
//! ```text
//! L1 = CL balance + vault free balance + bridgedToL2 - receivedFromL1Vault
//!      (each of the first three at the report's reference slot; the counter live)
//! ```
//!
//! which the accounting oracle computes when it processes a report and hands over as the
//! report's CL balance (`contracts/accounting-oracle/src/processing.rs`, "The L1 vault's
//! figures", works through why each wei counts once). Total pooled ether stays
//! `buffered + (deposited - clValidators) x 32 ether + cl_balance`, the extension's formula,
//! unchanged.
//!
//! A receipt of `X` wei from `alias(vault)` therefore does three things, in one transaction:
//! `receivedFromL1Vault += X` (slot 19), `buffered += X` (slot 0: the ether is the pool's to
//! deposit or pay out) and `cl_balance -= X` (slot 1: it has left the L1 figure, whose
//! `- receivedFromL1Vault` term grew by `X`). Total pooled ether does not move on a receipt,
//! and the share rate with it. Reading slot 0 and writing slots 0 and 1 is what the receipt
//! costs over the counter alone (slot 1 is read anyway for the alias tag).
//!
//! Only what the L1 figure holds moves: the receipt buffers `covered = min(X, cl_balance)`
//! and takes the same off `cl_balance`. The rest, `X - covered`, stays the pool's unaccounted
//! balance (`balance(this) - buffered`). That happens only when the ether arriving was not in
//! the L1 figure: ether the pool counts as deposited-not-seen (a batch sent to L1) that comes
//! back before a report resolved it, i.e. a batch the guardians cancel on L1 while the L1
//! figure is smaller than the batch (its first batch, say). Counting it in the buffer as well
//! would count it twice (buffer and deposited-not-seen) and move the share rate outside a
//! report. The report that resolves the batch's keys (the committee counts cancelled keys in
//! `numValidators`) claims the rest as `withdrawals`, the ether at the pool's address, so its
//! principal (`32 ether` per resolved key) is met by `L1 figure + withdrawals` and it shows
//! neither a loss nor a reward. Total pooled ether never moves on a receipt.
//!
//! Both counters are cumulative, so a report that arrives while tickets are in flight, or whose
//! auto-redeem failed and waits for a manual redeem, counts the difference once: the waiting
//! ether is in `bridgedToL2` and not yet in `receivedFromL1Vault`, so it stays in the L1 figure
//! until the redeem moves it to the buffer. A ticket that expires unredeemed pays its value to
//! its beneficiary as a plain balance transfer, without running `receive`: the vault must name
//! a beneficiary that accounts for it (the counter cannot see it).
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
    storage::{alias_tag, Beacon, L1Vault, Totals, L1_RECEIVED_MAX},
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

    /// `receive`'s second step, when the sender matches the tag (`beacon`: slot 1 as `receive`
    /// read it): when the sender is the vault's alias, counts `msg.value` as returned L1 ether,
    /// moves what the L1 figure (`cl_balance`) holds of it into the buffer (the rest stays
    /// unaccounted balance for a report to claim), and says so
    /// (`true`: nothing else to do). See the module doc, "How it is accounted".
    pub(crate) fn receive_l1_ether(&mut self, mut beacon: Beacon) -> Result<bool, Error> {
        let mut word = L1Vault::unpack(self.l1_vault.get());
        if word.vault.is_zero() || host::sender() != l1_to_l2_alias(word.vault) {
            return Ok(false);
        }
        let amount = host::value();
        let x = to_u128(amount)?;
        let received = word
            .received
            .checked_add(x)
            .filter(|total| *total <= L1_RECEIVED_MAX)
            .ok_or(math_overflow())?;
        // Only what the L1 figure holds moves to the buffer; the rest (ether L2 counts as
        // deposited-not-seen, back before a report resolved it) stays unaccounted balance
        // until a report claims it, so the total never moves on a receipt.
        let covered = x.min(beacon.cl_balance);
        let mut totals = Totals::unpack(self.totals.get());
        totals.buffered_ether = totals.buffered_ether.checked_add(covered).ok_or(math_overflow())?;
        beacon.cl_balance -= covered;
        word.received = received;
        self.l1_vault.set(word.pack());
        self.totals.set(totals.pack());
        self.beacon.set(beacon.pack());
        emit::L1EtherReceived(amount, U256::from(received));
        Ok(true)
    }
}
