//! # WrappedToken
//!
//! A non-rebasing ERC-20 over the staking pool's shares: one unit is one share, so a balance
//! never moves by itself and a unit's ether value grows with the pool's share rate (Lido's
//! wstETH, with its names: `wrap`, `unwrap`, `stEthPerToken`, `tokensPerStEth`,
//! `getStETHByWstETH`, `getWstETHByStETH`, `stETH`). The same contract is an ERC-4626 vault
//! whose asset is the pool's token, has ERC-2612 permit (with EIP-1271 for contract wallets)
//! and two rate feeds (Balancer's `getRate`, Chainlink's `latestRoundData`). Its whole
//! interface is declared once, in `abi/IWrappedToken.sol`; `staking_interface::interface!`
//! generates the router, the errors and the event loggers from it.
//!
//! One program, no admin, no upgrade, no pause of its own: `constructor(address pool)` runs
//! once, in the deploying transaction (the StylusDeployer), and the pool's admin then names
//! the token in the pool (`setWrappedToken`, once). The pool's token pause stops wrapping and
//! unwrapping (the pool refuses the share moves); transfers of the wrapped token go on.
//!
//! ## Flows
//!
//! ```text
//! wrap(a)          pool.wrapFrom(caller, a, false) -> (s, E, S); mint s to the caller
//! unwrap(u)        burn u of the caller's; pool.transferShares(caller, u) -> floor(u*E/S)
//! receive()        pool.deposit{value}(0) -> s; mint s to the sender
//! deposit(a, r)    pool.wrapFrom(caller, a, false) -> s = floor(a*S/E); mint s to r
//! mint(s, r)       pool.wrapFrom(caller, s, true); mint s to r; returns ceil(s*E/S)
//! withdraw(a,r,o)  pool.transferSharesWithRate(r, a, false) -> s = ceil(a*S/E); burn s of o's
//! redeem(s, r, o)  burn s of o's; pool.transferShares(r, s) -> floor(s*E/S)
//! ```
//!
//! `wrapFrom` moves shares from the caller to the token without a pool allowance (the pool lets
//! only the token call it, and the token only names its own caller), and answers with the rate
//! it moved them at, so every rounding is done without another call. A wrap mints exactly the
//! shares it pulls and an unwrap burns exactly the shares it sends: no dust accumulates. The
//! ERC-4626 roundings are the standard's, always against the caller: `previewDeposit` and
//! `convert*` round down, `previewMint` and `previewWithdraw` up, `previewRedeem` down.
//! `withdraw` burns `owner`'s units after the pool moved the shares (a shortfall reverts the
//! whole call).
//!
//! ## Reentrancy
//!
//! The token calls only the pool (a fixed address, whose share moves and deposits call nobody
//! back) and, in `permit`, static calls (`ecrecover`, the owner's EIP-1271 check), which cannot
//! write. So no call can re-enter it. `withdraw`, the one entry point that writes after the
//! pool's answer (the shares to burn come from it), still takes the transient-storage guard
//! (`staking_common::guard`, [`GUARD_SLOT`]) as a second line. The others do not: on every
//! wrap, unwrap and ether-to-wrapped the guard's three transient accesses would cost about 370
//! gas (measured) and protect nothing; ether-to-wrapped, the tight one of the gas targets,
//! could not afford it.
//!
//! ## Why not OpenZeppelin's `Erc20`
//!
//! OpenZeppelin Stylus 0.3's `Erc20` keeps the total supply in a `U256` slot of its own. Every
//! wrap and unwrap also needs the pool's address, and a Stylus program has no immutables, so
//! that would be a second slot: one more cold read (2,100 gas) and one more write (2,900) per
//! wrap and unwrap. Slot 2 packs both (DESIGN.md, "Libraries versus gas"). Its `Erc4626` is
//! hard-wired to `asset.balanceOf(this)` and virtual-offset conversions, which cannot say
//! "1 unit = 1 share" or reflect the pool's pause; its permit is tied to its `Erc20` and has no
//! EIP-1271. The ERC-20 core ([`erc20`]), the permit helpers ([`permit`]) and the pool calls
//! ([`pool`]) are small and written here.
//!
//! ## Donations
//!
//! Anyone can `transferShares` to the token: such shares are surplus no unit backs and nobody
//! can withdraw. `totalSupply` is stored, not derived from the token's share balance, so
//! `sum(balances) == totalSupply <= pool.sharesOf(token)` always holds, and `totalAssets` is the
//! value of the supply, not of the token's pool balance.
//!
//! ## Storage layout (`storage.rs`)
//!
//! One line per `#[storage]` field (`slot N  field  what`) and the packed word's bits (bit 0
//! the least significant), checked against the real layout by `tests::layout`:
//!
//! ```text
//! slot 0  balances    mapping(address => uint256)  units (= pool shares) per holder
//! slot 1  allowances  mapping(address => mapping(address => uint256))  owner => spender => units
//! slot 2  core        word core: the pool and the total supply
//! slot 3  nonces      mapping(address => uint256)  permit nonce per owner
//! word core  pool address [96,256) | total_supply u96 [0,96)
//! ```
//!
//! Besides these, the SDK's constructor guard word lives at `keccak256("stylus_constructor")`,
//! and the reentrancy guard in transient storage ([`GUARD_SLOT`]).
//!
//! ## Files
//!
//! `abi/IWrappedToken.sol` the interface; `lib.rs` entry points; `storage.rs` layout and the
//! packed word; `erc20.rs` balances and allowances; `pool.rs` the pool's calls and the rate
//! arithmetic; `permit.rs` the token's EIP-712 domain over the suite's shared signature code (`staking_common::eip712`: the digest, ecrecover, EIP-1271); `errors.rs` / `events.rs` the
//! generated errors and events, re-exported; `tests/` motsu tests, one module per aspect.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

mod erc20;
pub mod errors;
pub mod events;
pub mod math;
pub mod permit;
pub mod pool;
mod storage;

#[cfg(test)]
mod tests;

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use staking_common::{
    abi::Word,
    guard::Lock,
    host,
    interface::{Encoded, Returns},
    router::ArbResult,
    upgrade,
};

use crate::{
    errors::{
        AlreadyInitialized, ERC2612ExpiredSignature, ERC2612InvalidSigner, Error, InvalidPool,
        NoDataPresent, ReentrantCall, ZeroAmount,
    },
    events::emit,
    pool::Rate,
};
pub use storage::{Core, WrappedToken, MAX_SUPPLY};

// The interface declared once, in `abi/IWrappedToken.sol`: `abi` (alloy's types), `interface`
// (errors, event loggers, calldata encoders, the function table) and the router (every function
// below, `receive` and the constructor the StylusDeployer calls), generated at compile time.
staking_interface::interface!(WrappedToken, "abi/IWrappedToken.sol");

/// The token's symbol.
pub const SYMBOL: &str = "wsETH";
/// Decimals of the token and of its rate feeds.
pub const DECIMALS: u8 = 18;
/// One unit (1e18).
pub const ONE: U256 = U256::from_limbs([1_000_000_000_000_000_000, 0, 0, 0]);
/// The Chainlink feed's description.
pub const DESCRIPTION: &str = "wsETH / ETH exchange rate";

/// Transient slot of the token's reentrancy guard.
pub const GUARD_SLOT: B256 = B256::new(
    stylus_sdk::keccak_const::Keccak256::new().update(b"wrapped-token.reentrancy").finalize(),
);

/// [`GUARD_SLOT`], built in code ([`math::word`]; a test checks it).
fn guard_slot() -> B256 {
    B256::new(math::word(
        0x2dfd_140b_bde2_6f05,
        0xef19_3af9_6104_4fe3,
        0xfa16_31f7_12d7_de99,
        0xa81c_fb67_74fa_9426,
    ))
}

/// Takes the reentrancy guard.
fn guard() -> Result<Lock, Error> {
    Lock::acquire(guard_slot()).map_err(|_| Error::ReentrantCall(ReentrantCall {}))
}

fn nonzero(amount: U256) -> Result<(), Error> {
    if amount.is_zero() {
        return Err(Error::ZeroAmount(ZeroAmount {}));
    }
    Ok(())
}

impl WrappedToken {
    // ----- ERC-20 ---------------------------------------------------------------------------

    /// "Wrapped Stylus Staked Ether" (also the EIP-712 domain's name).
    ///
    /// # Access
    ///
    /// View.
    pub fn name(&self) -> String {
        String::from(permit::NAME)
    }

    /// "wsETH".
    ///
    /// # Access
    ///
    /// View.
    pub fn symbol(&self) -> String {
        String::from(SYMBOL)
    }

    /// 18.
    ///
    /// # Access
    ///
    /// View.
    pub fn decimals(&self) -> u8 {
        DECIMALS
    }

    /// Units in existence.
    ///
    /// # Access
    ///
    /// View.
    pub fn total_supply(&self) -> U256 {
        U256::from(self.load_core().total_supply)
    }

    /// `account`'s units.
    ///
    /// # Access
    ///
    /// View.
    pub fn balance_of(&self, account: Address) -> U256 {
        self.balances.get(account)
    }

    /// What `spender` may move of `owner`'s units.
    ///
    /// # Access
    ///
    /// View.
    pub fn allowance(&self, owner: Address, spender: Address) -> U256 {
        self.allowances.getter(owner).get(spender)
    }

    /// Moves `value` of the caller's units to `to`.
    ///
    /// # Errors
    ///
    /// `ERC20InvalidReceiver(0)`, `ERC20InsufficientBalance(caller, balance, value)`.
    ///
    /// # Events
    ///
    /// `Transfer(caller, to, value)`.
    ///
    /// # Access
    ///
    /// Any holder.
    pub fn transfer(&mut self, to: Address, value: U256) -> Result<bool, Error> {
        self.move_units(host::sender(), to, value)?;
        Ok(true)
    }

    /// Moves `value` of `from`'s units to `to`, spending the caller's allowance.
    ///
    /// # Errors
    ///
    /// `ERC20InsufficientAllowance(caller, allowance, value)`, `ERC20InvalidReceiver(0)`,
    /// `ERC20InsufficientBalance(from, balance, value)`.
    ///
    /// # Events
    ///
    /// `Transfer(from, to, value)`.
    ///
    /// # Access
    ///
    /// Spenders `from` allowed.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
    ) -> Result<bool, Error> {
        self.spend_allowance(from, host::sender(), value)?;
        self.move_units(from, to, value)?;
        Ok(true)
    }

    /// Sets the caller's allowance for `spender` to `value`.
    ///
    /// # Errors
    ///
    /// `ERC20InvalidSpender(0)`.
    ///
    /// # Events
    ///
    /// `Approval(caller, spender, value)`.
    ///
    /// # Access
    ///
    /// Anyone.
    pub fn approve(&mut self, spender: Address, value: U256) -> Result<bool, Error> {
        self.set_allowance(host::sender(), spender, value)?;
        Ok(true)
    }

    // ----- wstETH's names --------------------------------------------------------------------

    /// Wraps `st_eth_amount` of the caller's pool tokens: moves floor(amount * S / E) of the
    /// caller's shares into the token (no pool allowance) and mints as many units to the caller.
    /// Returns the units minted.
    ///
    /// # Errors
    ///
    /// `ZeroAmount`, `SupplyOverflow`, the pool's `TokenIsPaused` and `InsufficientShares`
    /// (passed up).
    ///
    /// # Events
    ///
    /// `Transfer(0, caller, units)`; the pool's `Transfer` and `TransferShares`.
    ///
    /// # Access
    ///
    /// Any holder of the pool's token.
    pub fn wrap(&mut self, st_eth_amount: U256) -> Result<U256, Error> {
        nonzero(st_eth_amount)?;
        let sender = host::sender();
        self.pull(sender, sender, st_eth_amount, false).map(|(units, _)| units)
    }

    /// Unwraps `wst_eth_amount` units: burns them and sends as many pool shares to the
    /// caller. Returns their ether value, floor(units * E / S).
    ///
    /// # Errors
    ///
    /// `ZeroAmount`, `ERC20InsufficientBalance`, the pool's `TokenIsPaused`.
    ///
    /// # Events
    ///
    /// `Transfer(caller, 0, units)`; the pool's `Transfer` and `TransferShares`.
    ///
    /// # Access
    ///
    /// Any holder.
    pub fn unwrap(&mut self, wst_eth_amount: U256) -> Result<U256, Error> {
        nonzero(wst_eth_amount)?;
        let sender = host::sender();
        self.release(sender, sender, sender, wst_eth_amount)
    }

    /// Ether sent to the token: staked in the pool (`deposit`, no referral) and the shares it
    /// mints wrapped for the sender in the same call.
    ///
    /// # Errors
    ///
    /// `SupplyOverflow`, the pool's `ZeroDeposit`, `StakingIsPaused`, `StakeLimitExceeded`
    /// (passed up).
    ///
    /// # Events
    ///
    /// `Transfer(0, sender, units)`; the pool's `Submitted`, `Transfer`, `TransferShares`.
    ///
    /// # Access
    ///
    /// Anyone, with ether.
    pub fn receive(&mut self) -> Result<(), Error> {
        let mut core = self.load_core();
        let shares = pool::deposit(core.pool, host::value())?;
        self.mint_units(&mut core, host::sender(), shares)?;
        self.store_core(core);
        Ok(())
    }

    /// The pool, whose token this one wraps (wstETH's `stETH()`).
    ///
    /// # Access
    ///
    /// View.
    pub fn st_eth(&self) -> Address {
        self.load_core().pool
    }

    /// The ether value of one unit (1e18), rounded down.
    ///
    /// # Access
    ///
    /// View.
    pub fn st_eth_per_token(&self) -> Result<U256, Error> {
        pool::ether_by_shares(self.st_eth(), ONE)
    }

    /// The units one ether (1e18) is worth, rounded down.
    ///
    /// # Access
    ///
    /// View.
    pub fn tokens_per_st_eth(&self) -> Result<U256, Error> {
        pool::shares_by_ether(self.st_eth(), ONE)
    }

    /// floor(units * E / S).
    ///
    /// # Access
    ///
    /// View.
    pub fn get_st_eth_by_wst_eth(&self, wst_eth_amount: U256) -> Result<U256, Error> {
        pool::ether_by_shares(self.st_eth(), wst_eth_amount)
    }

    /// floor(ether * S / E).
    ///
    /// # Access
    ///
    /// View.
    pub fn get_wst_eth_by_st_eth(&self, st_eth_amount: U256) -> Result<U256, Error> {
        pool::shares_by_ether(self.st_eth(), st_eth_amount)
    }

    // ----- ERC-4626 --------------------------------------------------------------------------

    /// The vault's asset: the pool's token.
    ///
    /// # Access
    ///
    /// View.
    pub fn asset(&self) -> Address {
        self.st_eth()
    }

    /// floor(totalSupply * E / S).
    ///
    /// # Access
    ///
    /// View.
    pub fn total_assets(&self) -> Result<U256, Error> {
        let core = self.load_core();
        pool::ether_by_shares(core.pool, U256::from(core.total_supply))
    }

    /// floor(assets * S / E).
    ///
    /// # Access
    ///
    /// View.
    pub fn convert_to_shares(&self, assets: U256) -> Result<U256, Error> {
        self.rate()?.to_shares(assets, false)
    }

    /// floor(shares * E / S).
    ///
    /// # Access
    ///
    /// View.
    pub fn convert_to_assets(&self, shares: U256) -> Result<U256, Error> {
        self.rate()?.to_ether(shares, false)
    }

    /// The pool's current stake limit: 0 while its token (or staking) is paused, `2^256 - 1`
    /// without a limit. An underestimate, as the standard allows: a deposit of the pool's
    /// token stakes nothing, and only the token pause refuses it.
    ///
    /// # Access
    ///
    /// View.
    pub fn max_deposit(&self, _receiver: Address) -> Result<U256, Error> {
        pool::stake_limit(self.st_eth())
    }

    /// floor(assets * S / E): the units `deposit(assets)` mints.
    ///
    /// # Access
    ///
    /// View.
    pub fn preview_deposit(&self, assets: U256) -> Result<U256, Error> {
        self.convert_to_shares(assets)
    }

    /// Deposits `assets` of the caller's pool tokens: moves floor(assets * S / E) of the caller's
    /// shares into the token and mints as many units to `receiver`. Returns the units.
    ///
    /// # Errors
    ///
    /// `SupplyOverflow`, the pool's `TokenIsPaused` and `InsufficientShares`.
    ///
    /// # Events
    ///
    /// `Transfer(0, receiver, shares)`, `Deposit(caller, receiver, assets, shares)`.
    ///
    /// # Access
    ///
    /// Any holder of the pool's token.
    pub fn deposit(&mut self, assets: U256, receiver: Address) -> Result<U256, Error> {
        let sender = host::sender();
        let (shares, _) = self.pull(sender, receiver, assets, false)?;
        emit::Deposit(sender, receiver, assets, shares);
        Ok(shares)
    }

    /// `maxDeposit` in units, rounded down (`2^256 - 1` without a stake limit).
    ///
    /// # Access
    ///
    /// View.
    pub fn max_mint(&self, receiver: Address) -> Result<U256, Error> {
        let assets = self.max_deposit(receiver)?;
        if assets == U256::MAX {
            return Ok(U256::MAX);
        }
        self.convert_to_shares(assets)
    }

    /// ceil(shares * E / S): the assets `mint(shares)` takes.
    ///
    /// # Access
    ///
    /// View.
    pub fn preview_mint(&self, shares: U256) -> Result<U256, Error> {
        self.rate()?.to_ether(shares, true)
    }

    /// Mints exactly `shares` units to `receiver` for as many of the caller's pool shares.
    /// Returns the assets taken, ceil(shares * E / S).
    ///
    /// # Errors
    ///
    /// `SupplyOverflow`, `MathOverflow`, the pool's `TokenIsPaused` and `InsufficientShares`.
    ///
    /// # Events
    ///
    /// `Transfer(0, receiver, shares)`, `Deposit(caller, receiver, assets, shares)`.
    ///
    /// # Access
    ///
    /// Any holder of the pool's token.
    pub fn mint(&mut self, shares: U256, receiver: Address) -> Result<U256, Error> {
        let sender = host::sender();
        let (shares, rate) = self.pull(sender, receiver, shares, true)?;
        let assets = rate.to_ether(shares, true)?;
        emit::Deposit(sender, receiver, assets, shares);
        Ok(assets)
    }

    /// floor(balanceOf(owner) * E / S); 0 while the pool's token is paused.
    ///
    /// # Access
    ///
    /// View.
    pub fn max_withdraw(&self, owner: Address) -> Result<U256, Error> {
        let units = self.max_redeem(owner)?;
        if units.is_zero() {
            return Ok(U256::ZERO);
        }
        self.convert_to_assets(units)
    }

    /// ceil(assets * S / E): the units `withdraw(assets)` burns.
    ///
    /// # Access
    ///
    /// View.
    pub fn preview_withdraw(&self, assets: U256) -> Result<U256, Error> {
        self.rate()?.to_shares(assets, true)
    }

    /// Sends `receiver` ceil(assets * S / E) pool shares (worth at least `assets`) and burns
    /// as many of `owner`'s units, spending the caller's allowance unless the caller is
    /// `owner`. Returns the units burned.
    ///
    /// # Errors
    ///
    /// `ReentrantCall`, `ERC20InsufficientAllowance`, `ERC20InsufficientBalance`, the pool's
    /// `TokenIsPaused` and `ERC20InvalidReceiver`.
    ///
    /// # Events
    ///
    /// `Transfer(owner, 0, shares)`, `Withdraw(caller, receiver, owner, assets, shares)`.
    ///
    /// # Access
    ///
    /// `owner`, or a spender it allowed.
    pub fn withdraw(
        &mut self,
        assets: U256,
        receiver: Address,
        owner: Address,
    ) -> Result<U256, Error> {
        let _lock = guard()?;
        let sender = host::sender();
        let mut core = self.load_core();
        let moved = pool::send_with_rate(core.pool, receiver, assets, false)?;
        let shares = moved.moved;
        if sender != owner {
            self.spend_allowance(owner, sender, shares)?;
        }
        self.burn_units(&mut core, owner, shares)?;
        self.store_core(core);
        emit::Withdraw(sender, receiver, owner, assets, shares);
        Ok(shares)
    }

    /// `balanceOf(owner)`; 0 while the pool's token is paused.
    ///
    /// # Access
    ///
    /// View.
    pub fn max_redeem(&self, owner: Address) -> Result<U256, Error> {
        if pool::token_paused(self.st_eth())? {
            return Ok(U256::ZERO);
        }
        Ok(self.balances.get(owner))
    }

    /// floor(shares * E / S): the assets `redeem(shares)` sends.
    ///
    /// # Access
    ///
    /// View.
    pub fn preview_redeem(&self, shares: U256) -> Result<U256, Error> {
        self.convert_to_assets(shares)
    }

    /// Burns `shares` of `owner`'s units (spending the caller's allowance unless the caller
    /// is `owner`) and sends as many pool shares to `receiver`. Returns their value,
    /// floor(shares * E / S).
    ///
    /// # Errors
    ///
    /// `ERC20InsufficientAllowance`, `ERC20InsufficientBalance`, the pool's `TokenIsPaused` and
    /// `ERC20InvalidReceiver`.
    ///
    /// # Events
    ///
    /// `Transfer(owner, 0, shares)`, `Withdraw(caller, receiver, owner, assets, shares)`.
    ///
    /// # Access
    ///
    /// `owner`, or a spender it allowed.
    pub fn redeem(
        &mut self,
        shares: U256,
        receiver: Address,
        owner: Address,
    ) -> Result<U256, Error> {
        let sender = host::sender();
        let assets = self.release(sender, owner, receiver, shares)?;
        emit::Withdraw(sender, receiver, owner, assets, shares);
        Ok(assets)
    }

    // ----- permit ----------------------------------------------------------------------------

    /// Sets `owner`'s allowance for `spender` to `value` by `owner`'s EIP-712 signature
    /// `(v, r, s)` of `Permit(owner, spender, value, nonces(owner), deadline)`, and
    /// increments the nonce. ECDSA first; else, if `owner` has code, EIP-1271 with
    /// `r ‖ s ‖ v`.
    ///
    /// # Errors
    ///
    /// `ERC2612ExpiredSignature(deadline)` once `block.timestamp > deadline`,
    /// `ERC2612InvalidSigner(recovered, owner)`, `ERC20InvalidSpender(0)`.
    ///
    /// # Events
    ///
    /// `Approval(owner, spender, value)`.
    ///
    /// # Access
    ///
    /// Anyone, with the owner's signature.
    #[allow(clippy::too_many_arguments, clippy::many_single_char_names)]
    pub fn permit(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        v: u8,
        r: B256,
        s: B256,
    ) -> Result<(), Error> {
        self.permit_checked(
            owner,
            spender,
            value,
            deadline,
            Some((v, r, s)),
            &permit::packed(v, r, s),
        )
    }

    /// As [`WrappedToken::permit`] with the signature as bytes: a 65-byte `r ‖ s ‖ v` is tried
    /// with ECDSA first; any signature goes to the owner's EIP-1271 `isValidSignature` if the
    /// owner has code.
    ///
    /// # Errors
    ///
    /// As [`WrappedToken::permit`].
    ///
    /// # Events
    ///
    /// `Approval(owner, spender, value)`.
    ///
    /// # Access
    ///
    /// Anyone, with the owner's signature.
    pub fn permit_with_signature(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        signature: &[u8],
    ) -> Result<(), Error> {
        self.permit_checked(owner, spender, value, deadline, permit::split(signature), signature)
    }

    /// The nonce `owner`'s next permit must sign.
    ///
    /// # Access
    ///
    /// View.
    pub fn nonces(&self, owner: Address) -> U256 {
        self.nonces.get(owner)
    }

    /// The EIP-712 domain separator (name, version "1", chain id, this address), computed.
    ///
    /// # Access
    ///
    /// View.
    pub fn domain_separator(&self) -> B256 {
        permit::domain_separator()
    }

    /// ERC-5267: `(0x0f, name, "1", chainid, this, 0, [])`.
    ///
    /// # Access
    ///
    /// View.
    pub fn eip712_domain(&self) -> Encoded {
        let padded = |s: &str| {
            let mut w = Vec::with_capacity(64);
            w.extend_from_slice(U256::from(s.len()).word().as_slice());
            w.extend_from_slice(s.as_bytes());
            w.resize(32 + s.len().div_ceil(32) * 32, 0);
            w
        };
        let (name, version) = (padded(permit::NAME), padded(permit::VERSION));
        let mut fields = [0u8; 32];
        fields[0] = 0x0f;
        let head = 7 * 32;
        let mut out = Vec::with_capacity(head + name.len() + version.len() + 32);
        out.extend_from_slice(&fields);
        out.extend_from_slice(U256::from(head).word().as_slice());
        out.extend_from_slice(U256::from(head + name.len()).word().as_slice());
        out.extend_from_slice(U256::from(host::chain_id()).word().as_slice());
        out.extend_from_slice(host::this().word().as_slice());
        out.extend_from_slice(&[0u8; 32]);
        out.extend_from_slice(U256::from(head + name.len() + version.len()).word().as_slice());
        out.extend_from_slice(&name);
        out.extend_from_slice(&version);
        out.extend_from_slice(&[0u8; 32]);
        Encoded(out)
    }

    // ----- rate feeds ------------------------------------------------------------------------

    /// Balancer's `IRateProvider`: ether per unit, 18 decimals (= `stEthPerToken()`).
    ///
    /// # Access
    ///
    /// View.
    pub fn get_rate(&self) -> Result<U256, Error> {
        self.st_eth_per_token()
    }

    /// Chainlink's `AggregatorV3Interface`: `(round, rate, updatedAt, updatedAt, round)`, the
    /// round being the number of oracle reports the pool applied and `updatedAt` the last
    /// one's timestamp.
    ///
    /// # Access
    ///
    /// View.
    pub fn latest_round_data(&self) -> Result<(U256, U256, U256, U256, U256), Error> {
        let pool = self.st_eth();
        let (round, updated_at) = pool::last_report(pool)?;
        let answer = pool::ether_by_shares(pool, ONE)?;
        Ok((round, answer, updated_at, updated_at, round))
    }

    /// `latestRoundData()` if `_roundId` (the one argument, a `uint80`) is the latest round.
    ///
    /// # Errors
    ///
    /// `NoDataPresent(roundId, latestRoundId)` for any other round: no history is kept.
    ///
    /// # Access
    ///
    /// View.
    pub fn get_round_data(&self, args: &[u8]) -> Option<ArbResult> {
        // A uint80: one word whose top 176 bits are clear (anything else is not served: an
        // empty revert, as for any malformed argument).
        let word = <[u8; 32]>::try_from(args.get(..32)?).ok()?;
        let round = U256::from_be_bytes(word);
        if round >> 80 != U256::ZERO {
            return None;
        }
        let answer = self.latest_round_data().and_then(|data| {
            if data.0 == round {
                Ok(data)
            } else {
                Err(Error::NoDataPresent(NoDataPresent { roundId: round, latestRoundId: data.0 }))
            }
        });
        Some(answer.map(Returns::returns).map_err(Into::into))
    }

    /// "wsETH / ETH exchange rate".
    ///
    /// # Access
    ///
    /// View.
    pub fn description(&self) -> String {
        String::from(DESCRIPTION)
    }

    /// The feed's version: 1.
    ///
    /// # Access
    ///
    /// View.
    pub fn version(&self) -> U256 {
        U256::from(1)
    }

    // ----- deployment ------------------------------------------------------------------------

    /// The constructor (run once, by the StylusDeployer in the deploying transaction: see
    /// `staking_common::upgrade`): records the pool.
    ///
    /// # Errors
    ///
    /// `AlreadyInitialized` on any run after the first, `InvalidPool` for the zero address.
    ///
    /// # Events
    ///
    /// None (nothing is minted).
    ///
    /// # Access
    ///
    /// The deploying transaction only.
    pub fn constructor(&mut self, pool: Address) -> Result<(), Error> {
        if upgrade::constructed(self.host()) {
            return Err(Error::AlreadyInitialized(AlreadyInitialized {}));
        }
        if pool.is_zero() {
            return Err(Error::InvalidPool(InvalidPool {}));
        }
        self.store_core(storage::Core { pool, total_supply: 0 });
        upgrade::mark_constructed(self.host());
        Ok(())
    }
}

/// The shared halves of the entry points.
impl WrappedToken {
    /// The pool's rate (two views of the pool).
    fn rate(&self) -> Result<Rate, Error> {
        pool::rate(self.st_eth())
    }

    /// Pulls `amount` (shares if `in_shares`, else ether rounded down to shares) of `from`'s
    /// pool shares into the token and mints them to `to`; returns the units and the rate.
    fn pull(
        &mut self,
        from: Address,
        to: Address,
        amount: U256,
        in_shares: bool,
    ) -> Result<(U256, Rate), Error> {
        let mut core = self.load_core();
        let moved = pool::wrap_from(core.pool, from, amount, in_shares)?;
        self.mint_units(&mut core, to, moved.moved)?;
        self.store_core(core);
        Ok((moved.moved, moved.rate))
    }

    /// Burns `units` of `owner`'s (spending `spender`'s allowance unless it is `owner`) and
    /// sends as many pool shares to `to`; returns their value (floor).
    fn release(
        &mut self,
        spender: Address,
        owner: Address,
        to: Address,
        units: U256,
    ) -> Result<U256, Error> {
        if spender != owner {
            self.spend_allowance(owner, spender, units)?;
        }
        let mut core = self.load_core();
        self.burn_units(&mut core, owner, units)?;
        self.store_core(core);
        pool::send_shares(core.pool, to, units)
    }

    /// Checks a permit and applies it.
    fn permit_checked(
        &mut self,
        owner: Address,
        spender: Address,
        value: U256,
        deadline: U256,
        ecdsa: Option<(u8, B256, B256)>,
        signature: &[u8],
    ) -> Result<(), Error> {
        if U256::from(host::timestamp()) > deadline {
            return Err(Error::ERC2612ExpiredSignature(ERC2612ExpiredSignature { deadline }));
        }
        let nonce = self.nonces.get(owner);
        let digest =
            permit::digest(permit::domain_separator(), owner, spender, value, nonce, deadline);
        let signer = ecdsa.map_or(Address::ZERO, |(v, r, s)| permit::recover(digest, v, r, s));
        let valid = (signer == owner && !owner.is_zero())
            || (permit::has_code(owner) && permit::eip1271_accepts(owner, digest, signature));
        if !valid {
            return Err(Error::ERC2612InvalidSigner(ERC2612InvalidSigner { signer, owner }));
        }
        // The allowance first: it checks the spender, so a refused permit writes nothing.
        self.set_allowance(owner, spender, value)?;
        self.nonces.setter(owner).set(nonce + U256::from(1));
        Ok(())
    }
}
