//! # AccessManager
//!
//! The one role registry of the liquid staking suite. Every other contract (staking pool,
//! operator registry, oracle, withdrawal queue) asks it on its privileged paths, never on hot
//! user paths, with a call to [`AccessManager::authorize_call`] (or the view
//! [`AccessManager::can_call`]). Its whole interface (functions, errors, events, constructor)
//! is declared once, in `abi/IAccessManager.sol`: `staking_interface::interface!` generates
//! the router (selector dispatch, argument decoding, refusal of ether, the constructor), the
//! compact error encoding ([`errors::Error`]) and the event loggers from it, and the other
//! contracts take `authorizeCall`'s selector from the same file
//! (`staking_common::interfaces::authorize_call`).
//!
//! ## Roles
//!
//! OpenZeppelin's `AccessControl` semantics, storage layout, events and errors (reimplemented
//! in [`access`]; see there why): `hasRole`, `getRoleAdmin`, `grantRole`,
//! `revokeRole`, `renounceRole`, plus `setRoleAdmin` under `DEFAULT_ADMIN_ROLE`. The role ids
//! are in `staking_common::roles`. Pause guardians are simply holders of `PAUSE_ROLE` and
//! `RESUME_ROLE`, kept apart so a pause key cannot also resume; the target contracts ask the
//! manager. `GUARDIAN_ROLE` holders may cancel scheduled operations.
//!
//! The constructor `constructor(address admin)` grants `DEFAULT_ADMIN_ROLE` to `admin`. It runs
//! in the deploying transaction (the StylusDeployer deploys, activates and calls it at once:
//! `staking_common::upgrade`) and never again (`AlreadyInitialized`); there is no
//! `initialize` selector, so nobody can take the manager between its deployment and its
//! initialization.
//!
//! ## Delays
//!
//! `DEFAULT_ADMIN_ROLE` may set a delay (at most [`delays::MAX_DELAY`], 30 days) per
//! (target contract, function selector). An increase is in force at once; a decrease only once
//! the old delay has elapsed, so lowering a delay never lets a call run sooner than scheduling
//! it under the old delay would have. One packed word per pair, see [`delays`].
//!
//! ## Operations
//!
//! A function with a delay runs in two steps:
//!
//! 1. `caller` calls `schedule(target, data)`; the manager stores
//!    `readyAt = now + delay` under `id = keccak256(abi.encode(caller, target, data))`.
//! 2. From `readyAt` on, `caller` calls the target function itself; the target re-encodes its
//!    own call data and calls `authorizeCall(caller, role, data)`. The manager checks the role,
//!    finds the operation ready, deletes it (one use) and emits `OperationExecuted`.
//!
//! Until it runs, the caller itself or any `GUARDIAN_ROLE` holder may `cancel` it.
//!
//! An operation expires [`operations::OPERATION_EXPIRATION`] (1 week, the view `expiration()`,
//! as OpenZeppelin's) after `readyAt`: it runs at the latest at `readyAt + expiration`, then
//! `authorizeCall` refuses it with `OperationExpired` and `schedule` overwrites it with a
//! fresh `readyAt`. An expired entry stays stored until then (the refusal reverts, deleting
//! nothing); `cancel` still removes it.
//!
//! Scheduling needs no role. That is safe because the id binds `caller = msg.sender`, so an
//! account can only schedule calls attributed to itself, and the role is checked when the
//! target authorizes the call, not when it is scheduled. Scheduling without the role buys
//! nothing but a public, cancelable entry whose delay runs from the moment it was scheduled.
//!
//! `authorizeCall` takes the target from `msg.sender`: a contract can only authorize (and
//! consume) operations aimed at itself, never another contract's.
//!
//! ## Invariants
//!
//! - `operations[id] != 0` iff `id` was scheduled and neither executed nor canceled since
//!   (expired entries included, until rescheduled or canceled).
//! - A delayed call runs only if scheduled by the same caller with the same call data at
//!   least the delay in force at scheduling time before and at most that delay plus
//!   `OPERATION_EXPIRATION` before, and runs at most once per schedule.
//! - The delay in force for a pair never drops below `d` sooner than `d` seconds after the
//!   decrease was set.
//! - No call of this contract changes state when it reverts (all checks precede all writes).
//!
//! ## Known limits
//!
//! - An increase does not push back operations already scheduled under the lower delay; a
//!   guardian cancels them if needed.
//! - A pending operation is kept when its function's delay later drops to zero (it is not
//!   consumed by an undelayed call). If a delay is set again within its expiration window
//!   (up to a week after its `readyAt`), it is usable at once; later it is expired and
//!   refused. Cancel stale operations before raising a delay back.
//!
//! ## Storage layout (`storage.rs`)
//!
//! One line per `#[storage]` field (`slot N  field  what`) and the delay word's bits (bit 0
//! the least significant), checked against the real layout by `tests::layout`:
//!
//! ```text
//! slot 0  access       roles: mapping(bytes32 role => { mapping(address => bool) hasRole;
//!                      bytes32 adminRole }) (OpenZeppelin AccessControl layout)
//! slot 1  delays       mapping(bytes32 (target 20 | selector 4 | 0 8) => uint128 word delay)
//! slot 2  operations   mapping(bytes32 operationId => uint64 readyAt) (0 = not pending;
//!                      expired once now > readyAt + OPERATION_EXPIRATION)
//! slot 3  initialized  bool (set by the constructor)
//! word delay  effect_at u64 [0,64) | pending u32 [64,96) | current u32 [96,128)
//! ```
//!
//! Besides these, the SDK's constructor guard word lives at `keccak256("stylus_constructor")`.
//! Map entries live at `keccak256(key (32, left-padded) | slot (32))`, as Solidity mappings.
//!
//! ## Files
//!
//! `abi/IAccessManager.sol` the interface; `lib.rs` entry points; `storage.rs` layout;
//! `access.rs` roles; `delays.rs` delay packing and arithmetic; `operations.rs` ids and ready
//! times; `errors.rs` / `events.rs` the generated errors and events, re-exported; `tests/`
//! motsu tests, one module per aspect.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
extern crate alloc;

pub mod access;
pub mod delays;
pub mod errors;
pub mod events;
pub mod operations;
mod storage;

#[cfg(test)]
mod tests;

use alloy_primitives::{aliases::B32, Address, B256, U64};
use staking_common::{
    host,
    roles::{DEFAULT_ADMIN_ROLE, GUARDIAN_ROLE},
    upgrade,
};

use crate::{
    delays::{delay_key, DelayConfig, MAX_DELAY},
    errors::{
        AccessControlBadConfirmation, AccessControlUnauthorizedAccount, AlreadyInitialized,
        DelayTooLong, Error, InvalidAdmin, InvalidCalldata, OperationAlreadyScheduled,
        OperationExpired, OperationNotDelayed, OperationNotReady, OperationNotScheduled,
        TimestampOverflow,
    },
    events::emit,
    operations::OPERATION_EXPIRATION,
};
pub use storage::AccessManager;

// The interface declared once, in `abi/IAccessManager.sol`: `abi` (alloy's types),
// `interface` (errors, event loggers, calldata encoders, the function table) and the router
// (every function below, and the constructor the StylusDeployer calls), generated at compile
// time. Unknown selectors, malformed arguments and ether sent along revert with empty data.
staking_interface::interface!(AccessManager, "abi/IAccessManager.sol");

impl AccessManager {
    // ----- Roles ---------------------------------------------------------------------------

    /// Whether `account` holds `role`.
    ///
    /// # Access
    ///
    /// View.
    pub fn has_role(&self, role: B256, account: Address) -> bool {
        self.access.has_role(role, account)
    }

    /// The role whose holders may grant and revoke `role` (`DEFAULT_ADMIN_ROLE` unless set).
    ///
    /// # Access
    ///
    /// View.
    pub fn get_role_admin(&self, role: B256) -> B256 {
        self.access.get_role_admin(role)
    }

    /// Grants `role` to `account`; a no-op (no event) if it already holds it.
    ///
    /// # Errors
    ///
    /// `AccessControlUnauthorizedAccount(msg.sender, getRoleAdmin(role))`.
    ///
    /// # Events
    ///
    /// `RoleGranted(role, account, msg.sender)` if newly granted.
    ///
    /// # Access
    ///
    /// Holders of `getRoleAdmin(role)`.
    pub fn grant_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        let sender = host::sender();
        self.access.check_role(self.access.get_role_admin(role), sender)?;
        self.access.grant(role, account, sender);
        Ok(())
    }

    /// Revokes `role` from `account`; a no-op (no event) if it does not hold it.
    ///
    /// # Errors
    ///
    /// `AccessControlUnauthorizedAccount(msg.sender, getRoleAdmin(role))`.
    ///
    /// # Events
    ///
    /// `RoleRevoked(role, account, msg.sender)` if it held the role.
    ///
    /// # Access
    ///
    /// Holders of `getRoleAdmin(role)`.
    pub fn revoke_role(&mut self, role: B256, account: Address) -> Result<(), Error> {
        let sender = host::sender();
        self.access.check_role(self.access.get_role_admin(role), sender)?;
        self.access.revoke(role, account, sender);
        Ok(())
    }

    /// Gives up `role` (for a compromised key). `caller_confirmation` must be the caller. The
    /// last `DEFAULT_ADMIN_ROLE` holder may renounce too, which freezes the roles for good.
    ///
    /// # Errors
    ///
    /// `AccessControlBadConfirmation` if `caller_confirmation != msg.sender`.
    ///
    /// # Events
    ///
    /// `RoleRevoked(role, msg.sender, msg.sender)` if it held the role.
    ///
    /// # Access
    ///
    /// Anyone, for itself.
    pub fn renounce_role(&mut self, role: B256, caller_confirmation: Address) -> Result<(), Error> {
        let sender = host::sender();
        if caller_confirmation != sender {
            return Err(Error::AccessControlBadConfirmation(AccessControlBadConfirmation {}));
        }
        self.access.revoke(role, sender, sender);
        Ok(())
    }

    /// Makes `admin_role` the admin of `role` (any role, `DEFAULT_ADMIN_ROLE` included; the
    /// holders of `DEFAULT_ADMIN_ROLE` keep this power and the delays whatever its admin).
    ///
    /// # Errors
    ///
    /// `AccessControlUnauthorizedAccount(msg.sender, DEFAULT_ADMIN_ROLE)`.
    ///
    /// # Events
    ///
    /// `RoleAdminChanged(role, previousAdminRole, admin_role)`.
    ///
    /// # Access
    ///
    /// `DEFAULT_ADMIN_ROLE`.
    pub fn set_role_admin(&mut self, role: B256, admin_role: B256) -> Result<(), Error> {
        self.access.check_role(DEFAULT_ADMIN_ROLE, host::sender())?;
        self.access.set_role_admin(role, admin_role);
        Ok(())
    }

    // ----- Delays --------------------------------------------------------------------------

    /// Sets the delay of function `selector` of `target` to `delay` seconds: at once for an
    /// increase, after the old delay has elapsed for a decrease.
    ///
    /// # Errors
    ///
    /// - `AccessControlUnauthorizedAccount(msg.sender, DEFAULT_ADMIN_ROLE)`.
    /// - `DelayTooLong(delay, MAX_DELAY)` if `delay > MAX_DELAY` (30 days).
    /// - `TimestampOverflow` if `now + old delay` does not fit in 64 bits.
    ///
    /// # Events
    ///
    /// `TargetFunctionDelayUpdated(target, selector, delay, effectAt)`.
    ///
    /// # Access
    ///
    /// `DEFAULT_ADMIN_ROLE`.
    pub fn set_target_function_delay(
        &mut self,
        target: Address,
        selector: impl Into<B32>,
        delay: u32,
    ) -> Result<(), Error> {
        self.access.check_role(DEFAULT_ADMIN_ROLE, host::sender())?;
        let now = host::timestamp();
        self.set_target_function_delay_at(target, selector.into(), delay, now)
    }

    /// The delay in seconds in force now for function `selector` of `target` (0 = none).
    ///
    /// # Access
    ///
    /// View.
    pub fn get_target_function_delay(&self, target: Address, selector: impl Into<B32>) -> u32 {
        self.target_function_delay_at(target, selector.into(), host::timestamp())
    }

    // ----- Authorization (asked by the target contracts) -----------------------------------

    /// Whether `caller` may call function `selector` of the asking contract (`msg.sender`)
    /// guarded by `role` right now without scheduling: it holds `role` and no delay is in
    /// force for that function.
    ///
    /// # Access
    ///
    /// View; the target is `msg.sender`.
    pub fn can_call(&self, caller: Address, role: B256, selector: impl Into<B32>) -> bool {
        let target = host::sender();
        self.access.has_role(role, caller)
            && self.target_function_delay_at(target, selector.into(), host::timestamp()) == 0
    }

    /// Authorizes `caller` to run the call `data` (selector + ABI arguments) on the asking
    /// contract (`msg.sender`), guarded by `role`, or reverts. Without a delay for that
    /// function it only checks the role (no state change, no event). With a delay, the
    /// operation `hashOperation(caller, msg.sender, data)` must also be scheduled, ready and
    /// not expired; it is consumed.
    ///
    /// # Errors
    ///
    /// - `InvalidCalldata` if `data` is shorter than 4 bytes.
    /// - `AccessControlUnauthorizedAccount(caller, role)` if `caller` lacks `role`.
    /// - `OperationNotScheduled(id)` if delayed and not pending.
    /// - `OperationNotReady(id, readyAt)` if delayed and `readyAt > now`.
    /// - `OperationExpired(id, readyAt + expiration)` if delayed and
    ///   `now > readyAt + expiration` (1 week); the stale entry is left (the call reverts).
    ///
    /// # Events
    ///
    /// `OperationExecuted(id, caller, msg.sender)` when a scheduled operation is consumed.
    ///
    /// # Access
    ///
    /// Any contract, for calls to itself (the target is `msg.sender`).
    pub fn authorize_call(
        &mut self,
        caller: Address,
        role: B256,
        data: &[u8],
    ) -> Result<(), Error> {
        let target = host::sender();
        let now = host::timestamp();
        self.authorize_call_at(target, caller, role, data, now)
    }

    // ----- Operations ----------------------------------------------------------------------

    /// Schedules the call `data` on `target` by `msg.sender`, to be authorized from
    /// `readyAt = now + delay` until `readyAt + expiration()`. Returns the operation id.
    ///
    /// # Errors
    ///
    /// - `InvalidCalldata` if `data` is shorter than 4 bytes.
    /// - `OperationNotDelayed(target, selector)` if no delay is in force for that function.
    /// - `OperationAlreadyScheduled(id)` if the same operation is pending and not expired (an
    ///   expired one is overwritten).
    /// - `TimestampOverflow` if `now + delay` does not fit in 64 bits.
    ///
    /// # Events
    ///
    /// `OperationScheduled(id, msg.sender, target, data, readyAt)`.
    ///
    /// # Access
    ///
    /// Anyone, for itself: the role is checked when the target authorizes the call.
    pub fn schedule(&mut self, target: Address, data: &[u8]) -> Result<B256, Error> {
        let caller = host::sender();
        let now = host::timestamp();
        self.schedule_at(caller, target, data, now)
    }

    /// Cancels the pending operation of `caller` running `data` on `target` (expired or not).
    ///
    /// # Errors
    ///
    /// - `AccessControlUnauthorizedAccount(msg.sender, GUARDIAN_ROLE)` if the sender is
    ///   neither `caller` nor a guardian.
    /// - `OperationNotScheduled(id)` if the operation is not pending.
    ///
    /// # Events
    ///
    /// `OperationCanceled(id)`.
    ///
    /// # Access
    ///
    /// `caller` itself, or `GUARDIAN_ROLE`.
    pub fn cancel(&mut self, caller: Address, target: Address, data: &[u8]) -> Result<(), Error> {
        let sender = host::sender();
        if sender != caller && !self.access.has_role(GUARDIAN_ROLE, sender) {
            return Err(Error::AccessControlUnauthorizedAccount(
                AccessControlUnauthorizedAccount { account: sender, neededRole: GUARDIAN_ROLE },
            ));
        }
        let id = operations::hash_operation(caller, target, data);
        if self.operation_ready_at(id) == 0 {
            return Err(Error::OperationNotScheduled(OperationNotScheduled { operationId: id }));
        }
        self.operations.delete(id);
        emit::OperationCanceled(id);
        Ok(())
    }

    /// When the operation `id` may run (unix seconds); 0 if it is not pending. It may run
    /// until `expiration()` seconds after that; the stored time of an expired operation is
    /// still returned, until it is rescheduled or canceled.
    ///
    /// # Access
    ///
    /// View.
    pub fn get_operation(&self, id: B256) -> u64 {
        self.operation_ready_at(id)
    }

    /// How long a ready operation stays runnable, in seconds: [`OPERATION_EXPIRATION`], one
    /// week (OpenZeppelin's `AccessManager.expiration()`).
    ///
    /// # Access
    ///
    /// View (pure).
    pub fn expiration(&self) -> u64 {
        OPERATION_EXPIRATION
    }

    /// The id of the operation `caller` runs `data` on `target`:
    /// `keccak256(abi.encode(caller, target, data))`.
    ///
    /// # Access
    ///
    /// View (pure).
    pub fn hash_operation(&self, caller: Address, target: Address, data: &[u8]) -> B256 {
        operations::hash_operation(caller, target, data)
    }

    /// The constructor (run once, by the StylusDeployer in the deploying transaction: see
    /// `staking_common::upgrade`): makes `admin` the first holder of `DEFAULT_ADMIN_ROLE`.
    ///
    /// # Errors
    ///
    /// - `AlreadyInitialized` on any run after the first (the SDK's constructor guard word,
    ///   checked first and set last).
    /// - `InvalidAdmin(admin)` if `admin` is the zero address.
    ///
    /// # Events
    ///
    /// `RoleGranted(DEFAULT_ADMIN_ROLE, admin, msg.sender)` (the sender is the deployer).
    ///
    /// # Access
    ///
    /// The deploying transaction only: there is no `initialize` selector.
    pub fn constructor(&mut self, admin: Address) -> Result<(), Error> {
        if upgrade::constructed(self.host()) {
            return Err(Error::AlreadyInitialized(AlreadyInitialized {}));
        }
        if admin.is_zero() {
            return Err(Error::InvalidAdmin(InvalidAdmin { admin }));
        }
        self.initialized.set(true);
        self.access.grant(DEFAULT_ADMIN_ROLE, admin, host::sender());
        upgrade::mark_constructed(self.host());
        Ok(())
    }
}

/// Internal logic with the clock passed in, so unit tests can move time.
impl AccessManager {
    /// The delay of (`target`, `selector`) in force at `now`.
    pub(crate) fn target_function_delay_at(&self, target: Address, selector: B32, now: u64) -> u32 {
        self.delay_config(target, selector).effective(now)
    }

    /// The stored delay configuration of (`target`, `selector`).
    fn delay_config(&self, target: Address, selector: B32) -> DelayConfig {
        DelayConfig::unpack(self.delays.get(delay_key(target, selector)))
    }

    /// `setTargetFunctionDelay` after the role check, at time `now`.
    pub(crate) fn set_target_function_delay_at(
        &mut self,
        target: Address,
        selector: B32,
        delay: u32,
        now: u64,
    ) -> Result<(), Error> {
        if delay > MAX_DELAY {
            return Err(Error::DelayTooLong(DelayTooLong { delay, max: MAX_DELAY }));
        }
        let config = self
            .delay_config(target, selector)
            .with_delay(delay, now)
            .ok_or(Error::TimestampOverflow(TimestampOverflow {}))?;
        self.delays.setter(delay_key(target, selector)).set(config.pack());
        emit::TargetFunctionDelayUpdated(target, selector.0, delay, config.effect_at);
        Ok(())
    }

    /// The stored `readyAt` of operation `id` (0 = not pending).
    fn operation_ready_at(&self, id: B256) -> u64 {
        self.operations.get(id).as_limbs()[0]
    }

    /// `authorizeCall` from `target` at time `now`.
    pub(crate) fn authorize_call_at(
        &mut self,
        target: Address,
        caller: Address,
        role: B256,
        data: &[u8],
        now: u64,
    ) -> Result<(), Error> {
        let selector =
            operations::selector(data).ok_or(Error::InvalidCalldata(InvalidCalldata {}))?;
        self.access.check_role(role, caller)?;
        if self.target_function_delay_at(target, selector, now) == 0 {
            return Ok(());
        }
        let id = operations::hash_operation(caller, target, data);
        let ready_at = self.operation_ready_at(id);
        if ready_at == 0 {
            return Err(Error::OperationNotScheduled(OperationNotScheduled { operationId: id }));
        }
        if ready_at > now {
            return Err(Error::OperationNotReady(OperationNotReady {
                operationId: id,
                readyAt: ready_at,
            }));
        }
        if operations::is_expired(ready_at, now) {
            return Err(Error::OperationExpired(OperationExpired {
                operationId: id,
                expiredAt: operations::expires_at(ready_at),
            }));
        }
        self.operations.delete(id);
        emit::OperationExecuted(id, caller, target);
        Ok(())
    }

    /// `schedule` by `caller` at time `now`.
    pub(crate) fn schedule_at(
        &mut self,
        caller: Address,
        target: Address,
        data: &[u8],
        now: u64,
    ) -> Result<B256, Error> {
        let selector =
            operations::selector(data).ok_or(Error::InvalidCalldata(InvalidCalldata {}))?;
        let delay = self.target_function_delay_at(target, selector, now);
        if delay == 0 {
            return Err(Error::OperationNotDelayed(OperationNotDelayed { target, selector }));
        }
        let id = operations::hash_operation(caller, target, data);
        let existing = self.operation_ready_at(id);
        if existing != 0 && !operations::is_expired(existing, now) {
            return Err(Error::OperationAlreadyScheduled(OperationAlreadyScheduled {
                operationId: id,
            }));
        }
        let ready_at = operations::ready_at(now, delay)
            .ok_or(Error::TimestampOverflow(TimestampOverflow {}))?;
        self.operations.setter(id).set(U64::from(ready_at));
        emit::OperationScheduled(id, caller, target, data, ready_at);
        Ok(id)
    }
}
