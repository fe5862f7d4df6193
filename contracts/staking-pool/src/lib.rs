//! # StakingPool
//!
//! Takes ETH deposits and issues a rebasing receipt token by shares, stETH-style: a holder's
//! balance is `shares * totalPooledEther / totalShares`, so every balance grows when an oracle
//! report adds rewards, without a transfer. Buffered ETH goes to validators in 32 ETH deposits
//! ([`validators`]) and the accounting oracle's reports move the consensus-layer balance, pay
//! the protocol fee and finalize withdrawals ([`report`]).
//!
//! ## Two programs from one crate
//!
//! Stylus caps a program at 24,576 compressed bytes and the pool's core was within 500 bytes
//! of it before report processing, so the pool is three wasm programs built from this crate, on
//! one storage. Its whole interface is declared once, in `abi/IStakingPool.sol`;
//! `staking_interface::interface!` generates from it the router of both programs, the errors
//! ([`errors`]), the event loggers ([`events`]) and the calldata encoders
//! (`interface::calls`, what the AccessManager hashes), and the exported ABI:
//!
//! - the **core** (the default build) serves the untagged functions (deposits, the ERC-20
//!   surface, staking control, pauses, `depositBufferedEther` ([`validators`]),
//!   `setProtocolContracts`, the oracle and fee setters and their views ([`report_config`]),
//!   `setL1Vault` and the L1 ether views ([`l1_ether`]), the wrapped token's `wrapFrom`,
//!   `transferSharesWithRate`, `setWrappedToken` and their views ([`wrapping`])),
//!   plain transfers (`receive`) and the constructor (the
//!   StylusDeployer's call in the deploying transaction, `staking_common::upgrade`); every
//!   other selector (calldata of at least 4 bytes) goes by `DELEGATECALL` to the permit
//!   program named in slot 21 when the file tags it `@custom:program permit`, else to the
//!   extension program named in slot 8 (set by the constructor, replaced only by
//!   `upgradeExtension`);
//! - the **extension** (`--features extension`) serves the functions tagged
//!   `@custom:program extension`: `handleOracleReport` ([`report`]) and `isBunkerMode` (the
//!   state a report leaves), `upgradeExtension` / `extensionId` (the upgrade policy of
//!   `staking_common::upgrade`) and `setPermitProgram` / `permitProgram` ([`permit`]). It
//!   runs at the pool's address, on the pool's storage, with the pool's balance;
//! - the **permit program** (`--features permit`) serves the functions tagged
//!   `@custom:program permit` ([`permit`]): ERC-2612 `permit` (both forms), `nonces`,
//!   `DOMAIN_SEPARATOR`, `eip712Domain`, `permitProgramId`, Lido's views (`getTotalShares`,
//!   `getFee`, ...) and the exits' two functions (issue 18: `getWithdrawalShortfall` for the
//!   oracle's bound, `requestExitsOnL1` for the registry's forced exits, the L2-to-L1 message
//!   whose sender must be the pool). No hot path enters it: a deposit or a transfer is served by the core and
//!   never reaches the fallback that tells the permit program's selectors apart, and the
//!   core gained only that comparison (docs/architecture.md, "The pool's permit program").
//!   It runs, like the extension, at the pool's address on the pool's storage.
//!
//! Every error of the file is encodable in every program. Native builds (motsu tests, ABI
//! export) route every program's selectors directly.
//!
//! ## Who calls it
//!
//! - Wallets and dApps: `deposit` (or a plain ETH transfer), the ERC-20 surface, share transfers.
//! - The protocol's L1 vault, through retryable tickets that arrive from its alias: returned
//!   ether, a plain transfer that mints nothing and moves from the L1 figure into the buffer
//!   ([`l1_ether`]).
//! - The staking-control role (through the AccessManager): stake limit, staking pause.
//! - The pause / resume roles: pause and resume the whole token (kept apart).
//! - The depositor bot (`DEPOSIT_ROLE`): `depositBufferedEther`.
//! - The accounting oracle (the address in slot 9): `handleOracleReport`, which calls the
//!   withdrawal queue (`prefinalize`, `getWithdrawalStatus`, `setBunkerMode`, `finalize`) and the
//!   node operator registry (`onRewardsMinted`).
//! - The StylusDeployer, once, in the deploying transaction: the constructor
//!   (`constructor(accessManager, extension, maxStakeLimit, stakeLimitIncreasePerBlock,
//!   permitProgram)`, payable: the bootstrap deposit). There is no `initialize`.
//! - `UPGRADE_ROLE`, behind the AccessManager's delay: `upgradeExtension` (`staking_common::upgrade`)
//!   and `setPermitProgram` ([`permit`]), under the same policy.
//! - Anyone with an owner's EIP-712 signature: `permit` ([`permit`]).
//! - The wrapped token (the address in slot 20): `wrapFrom`, a pull of a holder's shares
//!   without an allowance ([`wrapping`]); anyone: `transferSharesWithRate`.
//! - Governance: `setProtocolContracts`, `setOracle`, `setL1Vault` and `setWrappedToken` (both
//!   once) (`DEFAULT_ADMIN_ROLE`), `setFeeConfig` (`PROTOCOL_FEE_ROLE`).
//!
//! ## Storage (slot packing; see [`storage`])
//!
//! One line per `#[storage]` field (`slot N  field  what`), checked against the real layout
//! by `tests::layout`; the packed words' bits are in [`storage`].
//!
//! ```text
//! slot 0   totals            word totals: total_shares u128 | buffered_ether u128
//!                            (read+written by deposits)
//! slot 1   beacon            word beacon: cl_balance u128 | deposited_validators u64
//!                            | cl_validators u32 | flags u32 (cl_balance: the L1 figure,
//!                            CL + vault + in flight to L2; reports, receipts from the vault)
//!                            flags: INITIALIZED | TOKEN_PAUSED | STAKING_PAUSED | BUNKER
//!                            (the queue's, cached); bits 8..32: the L1 vault's alias tag
//! slot 2   stake_limit       word stake_limit: prev_limit u96 | prev_block u32
//!                            | growth_blocks u32 | max_limit u96
//! slot 3   access_manager    address (privileged paths only)
//! slot 4   shares            mapping(address => uint256)
//! slot 5   allowances        mapping(address => mapping(address => uint256)) (ether units)
//! slot 6   withdrawal_queue  address
//! slot 7   registry          address (the node operator registry)
//! slot 8   extension         address (the extension program; constructor, upgradeExtension)
//! slot 9   report_config     word report_config: oracle address | total_fee_bp u16
//!                            | operators_fee_bp u16 | loss_head u8 | loss_len u8
//! slot 10  treasury          address
//! slot 11..18  losses        CL-loss window: 16 entries, two per slot (word loss_pair)
//! slot 19  l1_vault          word l1_vault: vault address | received u96
//!                            (setL1Vault, once; receipts from alias(vault))
//! slot 20  wrapped           word wrapped: token address | report_round u32
//!                            | report_timestamp u64 (setWrappedToken, once; every
//!                            applied report; read by wrapFrom: [`wrapping`])
//! slot 21  permit_program    address (the permit program; setPermitProgram: [`permit`])
//! slot 22  nonces            mapping(address => uint256) (ERC-2612 nonces: [`permit`])
//! ```
//!
//! Besides the table, the SDK's constructor guard word at `keccak256("stylus_constructor")`
//! is set once, by the constructor (`staking_common::upgrade`).
//!
//! Slots 8.. were appended for the extension program; slots 0..7 are as before it. Slot 19 was
//! appended for the L1 leg: no slot below it moved, and the extension program (which does not
//! read it yet) runs on the layout unchanged. Slot 20 was appended for the wrapped token: only
//! `wrapFrom`, its views and report processing read it. Slots 21 and 22 were appended for permit: only
//! the permit program reads them (and the core's fallback slot 21, for the permit program's
//! selectors alone), so no hot path reads more than before.
//!
//! ## Invariants
//!
//! - The sum of all share balances equals `total_shares`, the bootstrap shares of
//!   [`DEAD_ADDRESS`] included; shares change only on mint (deposits, fees) and burn (reports).
//! - Total pooled ether = buffered + deposited-not-seen + CL balance + L1 vault balance + ether
//!   in flight to L2 (`bridgedToL2 - receivedFromL1Vault`): `cl_balance` holds the last three
//!   as one L1 figure, as the oracle computes it at each report ([`l1_ether`]).
//! - The share rate comes from the stored counters, never from `balance(this)`: ETH pushed to
//!   the pool without a deposit (a "donation", CL withdrawals, EL rewards) changes nothing until
//!   a report claims it, and a report claims at most `balance(this) - buffered`. Ether from the
//!   L1 vault's alias is not such ether: it was in the L1 figure, and its receipt moves it from
//!   `cl_balance` into `buffered` (counted in `receivedFromL1Vault`), leaving total pooled ether
//!   unchanged (ether beyond what `cl_balance` holds stays unaccounted for a report to
//!   claim, see [`l1_ether`]).
//! - The share rate moves only on reports, within the oracle's sanity limits: a deposit mints
//!   shares at the current rate, rounded down, so it never lowers the rate.
//!
//! ## Rounding (always in the protocol's and the holders' favour)
//!
//! - Deposit: shares minted = `floor(amount * totalShares / totalPooledEther)`.
//! - `transfer(amount)`: shares moved = `ceil(amount * totalShares / totalPooledEther)`, so the
//!   receiver's balance grows by at least `amount` (the 1–2 wei loss integrators hit with
//!   Lido's round-down does not happen); a sender can always move its whole `balanceOf`.
//! - `transferSharesFrom(shares)`: allowance spent = `ceil(shares * rate)`, so a spender never
//!   moves more value than it was allowed.
//! - `wrapFrom(from, amount, false)`: `floor(amount * totalShares / totalPooledEther)` shares,
//!   as `getSharesByPooledEth` (the holder keeps the dust); `transferSharesWithRate(to, amount,
//!   false)`: the ceiling, as `transfer`. Both return the rate they moved at ([`wrapping`]).
//! - Views (`balanceOf`, `getPooledEthByShares`, `getSharesByPooledEth`) round down.
//! - Reports: see [`report`] (fee shares down, the operators' part down, the treasury the rest).
//!
//! ## Access
//!
//! Privileged paths call `IAccessManager::authorizeCall(caller, role, calldata)` (one call per
//! privileged transaction, never on user paths); the manager checks the role and, where
//! governance set a delay on the function, consumes the scheduled operation.
//!
//! ## Libraries versus gas
//!
//! OpenZeppelin's `Erc20` keeps a balance map of token amounts and its own total supply slot;
//! a rebasing token needs balances in shares and a supply derived from the pooled ether, so the
//! ERC-20 surface is written over our own packed storage. OpenZeppelin's `Pausable` would put
//! the paused flag in a slot of its own (one more cold read, 2,100 gas, on every transfer);
//! here the flags share slot 1, which every transfer reads anyway.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
// `#[entrypoint]` generates undocumented items (`user_entrypoint`, ABI printers).
#![cfg_attr(any(target_arch = "wasm32", feature = "export-abi"), allow(missing_docs))]
// Each wasm program compiles the other's code without calling it (the linker drops it); native
// builds (tests, clippy) compile and lint all of it.
#![cfg_attr(target_arch = "wasm32", allow(dead_code))]

extern crate alloc;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{address, Address, B256, U256};
use interface::calls;
use staking_common::roles::{DEFAULT_ADMIN_ROLE, PAUSE_ROLE, RESUME_ROLE, STAKING_CONTROL_ROLE};
use staking_common::{host, upgrade};
use staking_math::{share_rate, shares_for_ether, to_u128, Rounding, StakeLimit};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageArray, StorageMap, StorageU256},
};

mod access;
pub mod errors;
pub mod events;
pub mod l1_ether;
mod loss_window;
pub mod permit;
pub mod report;
mod report_config;
pub mod storage;
mod token;
mod validators;
pub mod wrapping;

// The interface declared once, in `abi/IStakingPool.sol`: `abi` (alloy's types), `interface`
// (errors, event loggers, calldata encoders, the function table) and the router (core and
// extension programs), generated at compile time.
staking_interface::interface!(StakingPool, "abi/IStakingPool.sol");

// The callees' interface files: their calldata encoders and types.
staking_interface::client!(IWithdrawalQueue, "../withdrawal-queue/abi/IWithdrawalQueue.sol");
staking_interface::client!(
    INodeOperatorRegistry,
    "../node-operator-registry/abi/INodeOperatorRegistry.sol"
);

use errors::{
    AlreadyInitialized, BootstrapTooSmall, DepositTooSmall, Error, InvalidAccessManager,
    InvalidStakeLimit, NotInitialized, StakingAlreadyPaused, StakingIsPaused, StakingNotPaused,
    TokenAlreadyPaused, TokenIsPaused, TokenNotPaused, ZeroDeposit,
};
use events::emit;
use storage::{
    Beacon, PoolState, Totals, FLAG_INITIALIZED, FLAG_STAKING_PAUSED, FLAG_TOKEN_PAUSED,
};

/// The id the pool's extension program answers to `extensionId()`: the storage layout it
/// runs on (`staking_common::upgrade`).
pub const EXTENSION_ID: B256 = upgrade::extension_id(b"staking-pool.extension.v1");

/// Holder of the bootstrap shares minted at the constructor; nobody can move them.
pub const DEAD_ADDRESS: Address = address!("000000000000000000000000000000000000dEaD");
/// Smallest bootstrap deposit the constructor accepts (wei).
pub const MIN_BOOTSTRAP_DEPOSIT: u64 = 1_000_000_000;
/// Token name.
pub const NAME: &str = "Stylus Staked Ether";
/// Token symbol.
pub const SYMBOL: &str = "sETH";

/// The staking pool and its rebasing receipt token.
#[entrypoint]
#[storage]
pub struct StakingPool {
    /// Slot 0: `total_shares u128 | buffered_ether u128` ([`Totals`]).
    pub(crate) totals: StorageU256,
    /// Slot 1: `cl_balance u128 | deposited_validators u64 | cl_validators u32 | flags u32`
    /// ([`Beacon`]).
    pub(crate) beacon: StorageU256,
    /// Slot 2: the stake limit ([`StakeLimit::pack`]).
    pub(crate) stake_limit: StorageU256,
    /// Slot 3: the AccessManager asked on privileged paths.
    pub(crate) access_manager: StorageAddress,
    /// Slot 4: shares held by each account.
    pub(crate) shares: StorageMap<Address, StorageU256>,
    /// Slot 5: allowances in ether units (`U256::MAX` = unlimited, never decreased).
    pub(crate) allowances: StorageMap<Address, StorageMap<Address, StorageU256>>,
    /// Slot 6: the withdrawal queue (its unfinalized requests' ether stays buffered).
    pub(crate) withdrawal_queue: StorageAddress,
    /// Slot 7: the node operator registry (makes the validator deposits, receives the
    /// operators' fee shares).
    pub(crate) registry: StorageAddress,
    /// Slot 8: the extension program the core's fallback delegates to.
    pub(crate) extension: StorageAddress,
    /// Slot 9: oracle, fees and the CL-loss window's cursor ([`storage::ReportConfig`]).
    pub(crate) report_config: StorageU256,
    /// Slot 10: the treasury, which receives the protocol's part of the fee as shares.
    pub(crate) treasury: StorageAddress,
    /// Slots 11..18: the CL-loss window, two [`storage::LossEntry`]s per slot.
    pub(crate) losses: StorageArray<StorageU256, 8>,
    /// Slot 19: the L1 vault and the ether received from its alias ([`storage::L1Vault`]).
    pub(crate) l1_vault: StorageU256,
    /// Slot 20: the wrapped token, the count of reports applied and the last one's timestamp
    /// ([`storage::Wrapped`]).
    pub(crate) wrapped: StorageU256,
    /// Slot 21: the permit program the core's fallback delegates the permit program's
    /// selectors to ([`permit`]; `setPermitProgram`).
    pub(crate) permit_program: StorageAddress,
    /// Slot 22: each owner's ERC-2612 nonce ([`permit`]).
    pub(crate) nonces: StorageMap<Address, StorageU256>,
}

impl StakingPool {
    // ------------------------------------------------------------------ deposits

    /// Deposits `msg.value` and mints shares to the caller at the current rate (rounded down).
    /// Returns the shares minted.
    ///
    /// # Errors
    /// `ZeroDeposit`, `NotInitialized`, `TokenIsPaused`, `StakingIsPaused`,
    /// `StakeLimitExceeded`, `DepositTooSmall` (worth less than one share), `MathOverflow`.
    ///
    /// # Events
    /// `Submitted(sender, amount, referral)`, `Transfer(0, sender, value of the shares)`,
    /// `TransferShares(0, sender, shares)`.
    ///
    /// # Access
    /// Anyone.
    pub fn deposit(&mut self, referral: Address) -> Result<U256, Error> {
        self.submit(referral)
    }

    /// Plain ETH sent to the pool: from the L1 vault's alias it is returned L1 ether, counted,
    /// minting nothing, moved from the L1 figure (`cl_balance`) into the buffer ([`l1_ether`]);
    /// from anyone else a deposit without referral (as `deposit`).
    ///
    /// # Errors
    /// From the vault's alias: `MathOverflow` (the counter would pass 2^96-1, or the buffer
    /// 2^128-1). From anyone else: as `deposit`.
    ///
    /// # Events
    /// From the vault's alias: `L1EtherReceived(amount, total)`. From anyone else: as `deposit`.
    ///
    /// # Access
    /// Anyone.
    pub fn receive(&mut self) -> Result<(), Error> {
        // Slot 1's tag first (the deposit reads slot 1 anyway): slot 19 only when it matches.
        let beacon = Beacon::unpack(self.beacon.get());
        if beacon.alias_tag() == storage::alias_tag(host::sender())
            && self.receive_l1_ether(beacon)?
        {
            return Ok(());
        }
        self.submit(Address::ZERO).map(|_| ())
    }

    // ------------------------------------------------------------------ ERC-20 views

    /// Token name.
    pub fn name(&self) -> String {
        String::from(NAME)
    }

    /// Token symbol.
    pub fn symbol(&self) -> String {
        String::from(SYMBOL)
    }

    /// 18, like ether.
    pub fn decimals(&self) -> u8 {
        18
    }

    /// Total pooled ether: buffered + deposited-not-yet-seen + consensus-layer balance.
    pub fn total_supply(&self) -> Result<U256, Error> {
        Ok(self.load_state().total_pooled_ether()?)
    }

    /// `account`'s shares valued at the current rate, rounded down.
    pub fn balance_of(&self, account: Address) -> Result<U256, Error> {
        let state = self.load_state();
        Ok(state.ether_for(self.shares.get(account), Rounding::Down)?)
    }

    /// Ether `spender` may still move from `owner`.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    // ------------------------------------------------------------------ ERC-20 moves

    /// Moves `amount` ether worth of tokens to `to`: `ceil(amount / rate)` shares, so `to`'s
    /// balance grows by at least `amount`.
    ///
    /// # Errors
    /// `ERC20InvalidReceiver` (zero or the pool), `TokenIsPaused`, `ERC20InsufficientBalance`.
    /// # Events
    /// `Transfer(from, to, amount)`, `TransferShares(from, to, shares)`.
    /// # Access
    /// Any holder.
    pub fn transfer(&mut self, to: Address, amount: U256) -> Result<bool, Error> {
        let from = host::sender();
        self.transfer_amount(from, to, amount)?;
        Ok(true)
    }

    /// Moves `amount` ether worth of `from`'s tokens to `to`, spending the caller's allowance
    /// (`U256::MAX` = unlimited, not decreased).
    ///
    /// # Errors
    /// As `transfer`, plus `ERC20InsufficientAllowance`.
    /// # Events
    /// `Transfer`, `TransferShares`.
    /// # Access
    /// A spender approved by `from`.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        amount: U256,
    ) -> Result<bool, Error> {
        self.transfer_from_with_shares(from, to, amount)?;
        Ok(true)
    }

    /// `transferFrom` that returns the shares it moved (`ceil(amount / rate)`), for contracts
    /// that account in shares, such as the withdrawal queue, without a second call to ask the
    /// rate.
    ///
    /// # Errors
    /// As `transferFrom`.
    /// # Events
    /// `Transfer`, `TransferShares`.
    /// # Access
    /// A spender approved by `from`.
    pub fn transfer_from_with_shares(
        &mut self,
        from: Address,
        to: Address,
        amount: U256,
    ) -> Result<U256, Error> {
        let spender = host::sender();
        self.spend_allowance(from, spender, amount)?;
        self.transfer_amount(from, to, amount)
    }

    /// Sets the caller's allowance for `spender` to `amount` (ether units). Works while paused.
    ///
    /// # Errors
    /// `ERC20InvalidSpender` (zero).
    /// # Events
    /// `Approval(owner, spender, amount)`.
    /// # Access
    /// Anyone.
    pub fn approve(&mut self, spender: Address, amount: U256) -> Result<bool, Error> {
        let owner = host::sender();
        self.set_allowance(owner, spender, amount)?;
        Ok(true)
    }

    /// Raises the caller's allowance for `spender` by `added_value`.
    ///
    /// # Errors
    /// `ERC20InvalidSpender`, `MathOverflow`.
    /// # Events
    /// `Approval(owner, spender, newAllowance)`.
    /// # Access
    /// Anyone.
    pub fn increase_allowance(
        &mut self,
        spender: Address,
        added_value: U256,
    ) -> Result<bool, Error> {
        let owner = host::sender();
        let current = self.allowances.getter(owner).get(spender);
        let next = current.checked_add(added_value).ok_or(math_overflow())?;
        self.set_allowance(owner, spender, next)?;
        Ok(true)
    }

    /// Lowers the caller's allowance for `spender` by `subtracted_value`.
    ///
    /// # Errors
    /// `ERC20InvalidSpender`, `ERC20FailedDecreaseAllowance` (below zero).
    /// # Events
    /// `Approval(owner, spender, newAllowance)`.
    /// # Access
    /// Anyone.
    pub fn decrease_allowance(
        &mut self,
        spender: Address,
        subtracted_value: U256,
    ) -> Result<bool, Error> {
        let owner = host::sender();
        let current = self.allowances.getter(owner).get(spender);
        let next = current.checked_sub(subtracted_value).ok_or(
            Error::ERC20FailedDecreaseAllowance(errors::ERC20FailedDecreaseAllowance {
                spender,
                allowance: current,
                decrease: subtracted_value,
            }),
        )?;
        self.set_allowance(owner, spender, next)?;
        Ok(true)
    }

    /// Moves exactly `shares_amount` shares to `to`. Returns their ether value (rounded down).
    ///
    /// # Errors
    /// `ERC20InvalidReceiver`, `TokenIsPaused`, `InsufficientShares`.
    /// # Events
    /// `Transfer(from, to, value)`, `TransferShares(from, to, shares)`.
    /// # Access
    /// Any holder.
    pub fn transfer_shares(&mut self, to: Address, shares_amount: U256) -> Result<U256, Error> {
        let from = host::sender();
        self.transfer_exact_shares(from, to, shares_amount)
    }

    /// Moves exactly `shares_amount` of `from`'s shares to `to`, spending `ceil(value)` of the
    /// caller's allowance. Returns the value moved (rounded down).
    ///
    /// # Errors
    /// As `transferShares`, plus `ERC20InsufficientAllowance`.
    /// # Events
    /// `Transfer`, `TransferShares`.
    /// # Access
    /// A spender approved by `from`.
    pub fn transfer_shares_from(
        &mut self,
        from: Address,
        to: Address,
        shares_amount: U256,
    ) -> Result<U256, Error> {
        let spender = host::sender();
        let state = self.load_state();
        let cost = state.ether_for(shares_amount, Rounding::Up)?;
        self.spend_allowance(from, spender, cost)?;
        self.transfer_exact_shares(from, to, shares_amount)
    }

    // ------------------------------------------------------------------ shares views

    /// Shares held by `account`.
    pub fn shares_of(&self, account: Address) -> U256 {
        self.shares.get(account)
    }

    /// All shares in existence, the bootstrap shares included.
    pub fn total_shares(&self) -> U256 {
        self.load_state().total_shares()
    }

    /// Shares worth `eth_amount` at the current rate, rounded down.
    pub fn get_shares_by_pooled_eth(&self, eth_amount: U256) -> Result<U256, Error> {
        let state = self.load_state();
        if state.totals.total_shares == 0 {
            return Ok(U256::ZERO);
        }
        Ok(shares_for_ether(
            eth_amount,
            state.total_pooled_ether()?,
            state.total_shares(),
            Rounding::Down,
        )?)
    }

    /// Ether worth of `shares_amount` at the current rate, rounded down.
    pub fn get_pooled_eth_by_shares(&self, shares_amount: U256) -> Result<U256, Error> {
        let state = self.load_state();
        Ok(state.ether_for(shares_amount, Rounding::Down)?)
    }

    /// Ether per share with 1e27 precision (1e27 before any reward).
    pub fn share_rate(&self) -> Result<U256, Error> {
        let state = self.load_state();
        Ok(share_rate(state.total_pooled_ether()?, state.total_shares())?)
    }

    // ------------------------------------------------------------------ pool views

    /// Total pooled ether (same as `totalSupply`).
    pub fn get_total_pooled_ether(&self) -> Result<U256, Error> {
        self.total_supply()
    }

    /// Ether held by the pool and not yet sent to validators.
    pub fn get_buffered_ether(&self) -> U256 {
        U256::from(self.load_state().totals.buffered_ether)
    }

    /// `(depositedValidators, clValidators, clBalance)`.
    pub fn get_beacon_stat(&self) -> (U256, U256, U256) {
        let b = self.load_state().beacon;
        (U256::from(b.deposited_validators), U256::from(b.cl_validators), U256::from(b.cl_balance))
    }

    /// The AccessManager this pool asks.
    pub fn access_manager(&self) -> Address {
        self.access_manager.get()
    }

    /// Whether the constructor has run.
    pub fn is_initialized(&self) -> bool {
        self.load_state().beacon.has(FLAG_INITIALIZED)
    }

    /// Whether the whole token (deposits and transfers) is paused.
    pub fn is_token_paused(&self) -> bool {
        self.load_state().beacon.has(FLAG_TOKEN_PAUSED)
    }

    /// Whether deposits are paused.
    pub fn is_staking_paused(&self) -> bool {
        self.load_state().beacon.has(FLAG_STAKING_PAUSED)
    }

    /// How much can be deposited right now: 0 while staking or the token is paused,
    /// `2^256-1` without a limit.
    pub fn get_current_stake_limit(&self) -> U256 {
        let beacon = self.load_state().beacon;
        if beacon.has(FLAG_STAKING_PAUSED) || beacon.has(FLAG_TOKEN_PAUSED) {
            return U256::ZERO;
        }
        let limit = StakeLimit::unpack(self.stake_limit.get());
        if limit.is_enabled() {
            U256::from(limit.current(host::block_number()))
        } else {
            U256::MAX
        }
    }

    /// `(maxStakeLimit, maxStakeLimitGrowthBlocks)`: the configured cap and how many blocks
    /// a fully used limit takes to regrow (0 and 0 without a limit). With
    /// `isStakingPaused` and `getCurrentStakeLimit` this is what Lido's
    /// `getStakeLimitFullInfo` tells.
    pub fn get_stake_limit_config(&self) -> (U256, U256) {
        let limit = StakeLimit::unpack(self.stake_limit.get());
        (U256::from(limit.max_limit), U256::from(limit.growth_blocks))
    }

    // ------------------------------------------------------------------ staking control

    /// Pauses deposits.
    ///
    /// # Errors
    /// `AccessDenied`, `StakingAlreadyPaused`.
    /// # Events
    /// `StakingPaused(caller)`.
    /// # Access
    /// `STAKING_CONTROL_ROLE`.
    pub fn pause_staking(&mut self) -> Result<(), Error> {
        let caller = self.authorize(STAKING_CONTROL_ROLE, &calls::pauseStaking())?;
        self.switch_flag(
            FLAG_STAKING_PAUSED,
            true,
            Error::StakingAlreadyPaused(StakingAlreadyPaused {}),
        )?;
        emit::StakingPaused(caller);
        Ok(())
    }

    /// Resumes deposits.
    ///
    /// # Errors
    /// `AccessDenied`, `StakingNotPaused`.
    /// # Events
    /// `StakingResumed(caller)`.
    /// # Access
    /// `STAKING_CONTROL_ROLE`.
    pub fn resume_staking(&mut self) -> Result<(), Error> {
        let caller = self.authorize(STAKING_CONTROL_ROLE, &calls::resumeStaking())?;
        self.switch_flag(FLAG_STAKING_PAUSED, false, Error::StakingNotPaused(StakingNotPaused {}))?;
        emit::StakingResumed(caller);
        Ok(())
    }

    /// Sets the stake limit: at most `max_stake_limit` wei can be deposited at once, and the
    /// allowance regrows by `stake_limit_increase_per_block` per block (0: never regrows). The
    /// remaining amount carries over, capped at the new maximum.
    ///
    /// # Errors
    /// `AccessDenied`, `InvalidStakeLimit` (max 0 or above 2^96-1, increase above max).
    /// # Events
    /// `StakingLimitSet(max, increasePerBlock)`.
    /// # Access
    /// `STAKING_CONTROL_ROLE`.
    pub fn set_staking_limit(
        &mut self,
        max_stake_limit: U256,
        stake_limit_increase_per_block: U256,
    ) -> Result<(), Error> {
        self.authorize(
            STAKING_CONTROL_ROLE,
            &calls::setStakingLimit(max_stake_limit, stake_limit_increase_per_block),
        )?;
        self.write_stake_limit(max_stake_limit, stake_limit_increase_per_block)
    }

    /// Removes the stake limit.
    ///
    /// # Errors
    /// `AccessDenied`.
    /// # Events
    /// `StakingLimitRemoved`.
    /// # Access
    /// `STAKING_CONTROL_ROLE`.
    pub fn remove_staking_limit(&mut self) -> Result<(), Error> {
        self.authorize(STAKING_CONTROL_ROLE, &calls::removeStakingLimit())?;
        let limit = StakeLimit::unpack(self.stake_limit.get()).disable();
        self.stake_limit.set(limit.pack());
        emit::StakingLimitRemoved();
        Ok(())
    }

    // ------------------------------------------------------------------ token pause

    /// Pauses the whole token: deposits and transfers revert; approvals and views still work.
    ///
    /// # Errors
    /// `AccessDenied`, `TokenAlreadyPaused`.
    /// # Events
    /// `TokenPaused(caller)`.
    /// # Access
    /// `PAUSE_ROLE` (resuming is a different role).
    pub fn pause_token(&mut self) -> Result<(), Error> {
        let caller = self.authorize(PAUSE_ROLE, &calls::pauseToken())?;
        self.switch_flag(
            FLAG_TOKEN_PAUSED,
            true,
            Error::TokenAlreadyPaused(TokenAlreadyPaused {}),
        )?;
        emit::TokenPaused(caller);
        Ok(())
    }

    /// Resumes the token.
    ///
    /// # Errors
    /// `AccessDenied`, `TokenNotPaused`.
    /// # Events
    /// `TokenResumed(caller)`.
    /// # Access
    /// `RESUME_ROLE`.
    pub fn resume_token(&mut self) -> Result<(), Error> {
        let caller = self.authorize(RESUME_ROLE, &calls::resumeToken())?;
        self.switch_flag(FLAG_TOKEN_PAUSED, false, Error::TokenNotPaused(TokenNotPaused {}))?;
        emit::TokenResumed(caller);
        Ok(())
    }

    /// Sets the withdrawal queue and the node operator registry the deposit and report paths
    /// use (they take the pool's address in their constructors, so they are deployed after
    /// it and wired here). Each may be changed later, as governance (behind whatever delay the
    /// AccessManager puts on this function) decides. The extension program is not set here:
    /// only the constructor and `upgradeExtension` (`staking_common::upgrade`) set it.
    ///
    /// # Errors
    /// `AccessDenied`.
    /// # Events
    /// `ProtocolContractsSet(withdrawalQueue, nodeOperatorRegistry)`.
    /// # Access
    /// `DEFAULT_ADMIN_ROLE` (governance).
    pub fn set_protocol_contracts(
        &mut self,
        withdrawal_queue: Address,
        node_operator_registry: Address,
    ) -> Result<(), Error> {
        self.authorize(
            DEFAULT_ADMIN_ROLE,
            &calls::setProtocolContracts(withdrawal_queue, node_operator_registry),
        )?;
        self.write_protocol_contracts(withdrawal_queue, node_operator_registry);
        Ok(())
    }
}

// ---------------------------------------------------------------------- internals

impl StakingPool {
    /// The constructor (run once, by the StylusDeployer in the deploying transaction; the
    /// generated router's constructor entry: see `staking_common::upgrade`). Sets the AccessManager,
    /// the extension program and the permit program ([`permit`]), mints the bootstrap shares 1:1 for `msg.value` (the deployer's
    /// `initValue`) to [`DEAD_ADDRESS`] (so a first depositor cannot inflate the share rate)
    /// and optionally sets a stake limit (`maxStakeLimit == 0`: none). The withdrawal queue and
    /// the registry, which need the pool's address in their own constructors, are wired later
    /// by `setProtocolContracts` (`DEFAULT_ADMIN_ROLE`).
    ///
    /// # Errors
    /// `AlreadyInitialized` (any run after the first: the SDK's guard word),
    /// `InvalidAccessManager` (zero), `InvalidExtension(extension)` (it does not answer
    /// `extensionId()` with [`EXTENSION_ID`]), `InvalidPermitProgram(permitProgram)` (it does
    /// not answer `permitProgramId()` with [`permit::PERMIT_PROGRAM_ID`]), `BootstrapTooSmall`
    /// (below [`MIN_BOOTSTRAP_DEPOSIT`]), `InvalidStakeLimit`.
    ///
    /// # Events
    /// `Initialized`, `Transfer(0, dead)`, `TransferShares(0, dead)`, `StakingLimitSet` when set.
    ///
    /// # Access
    /// The deploying transaction only (there is no `initialize` selector).
    pub fn constructor(
        &mut self,
        access_manager: Address,
        extension: Address,
        max_stake_limit: U256,
        stake_limit_increase_per_block: U256,
        permit_program: Address,
    ) -> Result<(), Error> {
        if upgrade::constructed(self.__stylus_host.clone()) {
            return Err(Error::AlreadyInitialized(AlreadyInitialized {}));
        }
        let mut state = self.load_state();
        if access_manager.is_zero() {
            return Err(Error::InvalidAccessManager(InvalidAccessManager {}));
        }
        // A static call, not the delegated check of the other cores: the constructor carries
        // the bootstrap value, which a DELEGATECALL would hand on to the extension's router,
        // and that refuses value.
        if !upgrade::answers(extension, EXTENSION_ID) {
            return Err(Error::InvalidExtension(errors::InvalidExtension { extension }));
        }
        let (selector, id) = (permit::PERMIT_PROGRAM_ID_SELECTOR, permit::PERMIT_PROGRAM_ID);
        if !upgrade::answers_with(permit_program, selector, id) {
            let program = permit_program;
            return Err(Error::InvalidPermitProgram(errors::InvalidPermitProgram { program }));
        }
        let amount = host::value();
        if amount < U256::from(MIN_BOOTSTRAP_DEPOSIT) {
            return Err(Error::BootstrapTooSmall(BootstrapTooSmall {
                amount,
                min: U256::from(MIN_BOOTSTRAP_DEPOSIT),
            }));
        }
        let bootstrap = to_u128(amount)?;
        if !max_stake_limit.is_zero() {
            self.write_stake_limit(max_stake_limit, stake_limit_increase_per_block)?;
        }
        state.totals = Totals { total_shares: bootstrap, buffered_ether: bootstrap };
        state.beacon.set(FLAG_INITIALIZED, true);
        self.store_state(&state);
        self.access_manager.set(access_manager);
        self.extension.set(extension);
        self.permit_program.set(permit_program);
        self.shares.setter(DEAD_ADDRESS).set(amount);
        emit::Initialized(access_manager, amount, amount);
        events::token_moved(Address::ZERO, DEAD_ADDRESS, amount, amount);
        upgrade::mark_constructed(self.__stylus_host.clone());
        Ok(())
    }

    /// Reads slots 0 and 1.
    pub(crate) fn load_state(&self) -> PoolState {
        PoolState {
            totals: Totals::unpack(self.totals.get()),
            beacon: Beacon::unpack(self.beacon.get()),
        }
    }

    /// Writes slots 0 and 1.
    fn store_state(&mut self, state: &PoolState) {
        self.totals.set(state.totals.pack());
        self.beacon.set(state.beacon.pack());
    }

    /// The deposit path shared by `deposit` and `receive`.
    fn submit(&mut self, referral: Address) -> Result<U256, Error> {
        let amount = host::value();
        if amount.is_zero() {
            return Err(Error::ZeroDeposit(ZeroDeposit {}));
        }
        let mut state = self.load_state();
        if !state.beacon.has(FLAG_INITIALIZED) {
            return Err(Error::NotInitialized(NotInitialized {}));
        }
        if state.beacon.has(FLAG_TOKEN_PAUSED) {
            return Err(Error::TokenIsPaused(TokenIsPaused {}));
        }
        if state.beacon.has(FLAG_STAKING_PAUSED) {
            return Err(Error::StakingIsPaused(StakingIsPaused {}));
        }
        let amount_u128 = to_u128(amount)?;
        let limit = StakeLimit::unpack(self.stake_limit.get());
        if limit.is_enabled() {
            let limit = limit.consume(amount_u128, host::block_number())?;
            self.stake_limit.set(limit.pack());
        }

        let pooled = state.total_pooled_ether()?;
        let shares = shares_for_ether(amount, pooled, state.total_shares(), Rounding::Down)?;
        if shares.is_zero() {
            return Err(Error::DepositTooSmall(DepositTooSmall { amount }));
        }
        state.totals.total_shares =
            state.totals.total_shares.checked_add(to_u128(shares)?).ok_or(math_overflow())?;
        state.totals.buffered_ether =
            state.totals.buffered_ether.checked_add(amount_u128).ok_or(math_overflow())?;
        self.totals.set(state.totals.pack());

        let sender = host::sender();
        let mut holder = self.shares.setter(sender);
        let held = holder.get();
        // Cannot overflow: a holder's shares never exceed total_shares, which fits u128.
        holder.set(held.checked_add(shares).ok_or(math_overflow())?);

        let value = state.ether_for(shares, Rounding::Down)?;
        emit::Submitted(sender, amount, referral);
        events::token_moved(Address::ZERO, sender, value, shares);
        Ok(shares)
    }

    /// Sets (`on`) or clears a flag of slot 1; `unchanged` when it already is so.
    fn switch_flag(&mut self, flag: u32, on: bool, unchanged: Error) -> Result<(), Error> {
        let mut beacon = Beacon::unpack(self.beacon.get());
        if beacon.has(flag) == on {
            return Err(unchanged);
        }
        beacon.set(flag, on);
        self.beacon.set(beacon.pack());
        Ok(())
    }

    /// Validates and stores a stake limit, emitting `StakingLimitSet`.
    fn write_stake_limit(&mut self, max: U256, per_block: U256) -> Result<(), Error> {
        let invalid = || {
            Error::InvalidStakeLimit(InvalidStakeLimit {
                maxStakeLimit: max,
                stakeLimitIncreasePerBlock: per_block,
            })
        };
        let max_u128 = to_u128(max).map_err(|_| invalid())?;
        let per_block_u128 = to_u128(per_block).map_err(|_| invalid())?;
        let current = StakeLimit::unpack(self.stake_limit.get());
        let limit =
            current.set(max_u128, per_block_u128, host::block_number()).map_err(|_| invalid())?;
        self.stake_limit.set(limit.pack());
        emit::StakingLimitSet(max, per_block);
        Ok(())
    }
}

/// The error every checked-arithmetic failure maps to.
pub(crate) fn math_overflow() -> Error {
    Error::MathOverflow(errors::MathOverflow {})
}

/// Transient slot of the pool's reentrancy guard: `keccak256("staking-pool.reentrancy")`.
pub(crate) const GUARD_SLOT: B256 = B256::new(
    stylus_sdk::keccak_const::Keccak256::new().update(b"staking-pool.reentrancy").finalize(),
);

#[cfg(test)]
mod tests;
