//! Operator administration: add, activate / deactivate, rename, reward address, vetted and
//! target limits, exited counts. Each change that can move an operator in the allocation order
//! re-inserts it ([`crate::allocation`]); each key-related change bumps the nonce.

use alloy_primitives::{Address, U256};
use staking_common::host;
use staking_common::roles::{EXITED_REPORTER_ROLE, OPERATOR_LIMITS_ROLE, OPERATOR_MANAGER_ROLE};

use crate::{
    errors::{
        ArrayLengthMismatch, Error, InvalidAddress, InvalidExitedCount, InvalidOperatorName,
        InvalidVettedLimit, OperatorActiveUnchanged, TooManyOperators,
    },
    events::emit,
    interface::calls,
    storage::{Operator, NO_TARGET, OP_ACTIVE, OP_EXISTS, OP_LATE},
    NodeOperatorRegistry,
};

/// Longest operator name (bytes).
pub const MAX_NAME: usize = 64;

fn check_name(name: &str) -> Result<(), Error> {
    if name.is_empty() || name.len() > MAX_NAME {
        return Err(Error::InvalidOperatorName(InvalidOperatorName {
            length: U256::from(name.len()),
        }));
    }
    Ok(())
}

impl NodeOperatorRegistry {
    /// Adds an active operator with no keys; returns its id (1, 2, ...).
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`, `InvalidOperatorName` (empty or over 64 bytes),
    /// `InvalidAddress` (zero reward address), `TooManyOperators` (65,535).
    /// # Events
    /// `OperatorAdded(operatorId, name, rewardAddress)`.
    /// # Access
    /// `OPERATOR_MANAGER_ROLE`.
    pub fn add_operator(&mut self, name: &str, reward_address: Address) -> Result<U256, Error> {
        self.authorize(OPERATOR_MANAGER_ROLE, &calls::addOperator(name, reward_address))?;
        let mut g = self.initialized_global()?;
        check_name(name)?;
        if reward_address.is_zero() {
            return Err(Error::InvalidAddress(InvalidAddress {}));
        }
        let id = g
            .operators
            .checked_add(1)
            .ok_or(Error::TooManyOperators(TooManyOperators { max: U256::from(u16::MAX) }))?;
        g.operators = id;
        // Settled "one epoch ago": its first deposit snapshots the accumulator (with no
        // validators yet it earns nothing before that).
        let op = Operator {
            target: NO_TARGET,
            reward_epoch: g.reward_epoch.wrapping_sub(1),
            flags: OP_EXISTS | OP_ACTIVE,
            ..Operator::default()
        };
        self.put_op(id, &op);
        let key = U256::from(id);
        self.reward_addresses.setter(key).set(reward_address);
        self.names.setter(key).set_str(name);
        self.global.set(g.pack());
        emit::OperatorAdded(id, name, reward_address);
        Ok(key)
    }

    /// Activates or deactivates an operator. An inactive operator gets no deposits; its
    /// validators keep earning rewards.
    ///
    /// # Errors
    /// `AccessDenied`, `OperatorNotFound`, `OperatorActiveUnchanged`.
    /// # Events
    /// `OperatorActiveSet(operatorId, active)`.
    /// # Access
    /// `OPERATOR_MANAGER_ROLE`.
    pub fn set_operator_active(&mut self, operator_id: U256, active: bool) -> Result<(), Error> {
        self.authorize(OPERATOR_MANAGER_ROLE, &calls::setOperatorActive(operator_id, active))?;
        let mut g = self.initialized_global()?;
        let (id, mut op) = self.existing(operator_id)?;
        if op.has(OP_ACTIVE) == active {
            return Err(Error::OperatorActiveUnchanged(OperatorActiveUnchanged {
                operatorId: operator_id,
                active,
            }));
        }
        op.set(OP_ACTIVE, active);
        self.refresh(&mut g, id, &mut op);
        self.global.set(g.pack());
        emit::OperatorActiveSet(id, active);
        Ok(())
    }

    /// Renames an operator.
    ///
    /// # Errors
    /// `AccessDenied`, `OperatorNotFound`, `InvalidOperatorName`.
    /// # Events
    /// `OperatorNameSet(operatorId, name)`.
    /// # Access
    /// `OPERATOR_MANAGER_ROLE`.
    pub fn set_operator_name(&mut self, operator_id: U256, name: &str) -> Result<(), Error> {
        self.authorize(OPERATOR_MANAGER_ROLE, &calls::setOperatorName(operator_id, name))?;
        self.initialized_global()?;
        let (id, _) = self.existing(operator_id)?;
        check_name(name)?;
        self.names.setter(operator_id).set_str(name);
        emit::OperatorNameSet(id, name);
        Ok(())
    }

    /// Changes an operator's reward address (where its rewards go; it may also commit keys).
    ///
    /// # Errors
    /// `OperatorNotFound`, `NotOperatorManager`, `InvalidAddress` (zero).
    /// # Events
    /// `OperatorRewardAddressSet(operatorId, rewardAddress)`.
    /// # Access
    /// The current reward address or `OPERATOR_MANAGER_ROLE`.
    pub fn set_reward_address(
        &mut self,
        operator_id: U256,
        reward_address: Address,
    ) -> Result<(), Error> {
        self.initialized_global()?;
        let (id, _) = self.existing(operator_id)?;
        self.authorize_for_operator(
            operator_id,
            &calls::setRewardAddress(operator_id, reward_address),
        )?;
        if reward_address.is_zero() {
            return Err(Error::InvalidAddress(InvalidAddress {}));
        }
        self.reward_addresses.setter(operator_id).set(reward_address);
        emit::OperatorRewardAddressSet(id, reward_address);
        Ok(())
    }

    /// Sets how many of an operator's keys may be used (indices below `vetted`).
    ///
    /// # Errors
    /// `AccessDenied`, `OperatorNotFound`, `InvalidVettedLimit` (below the keys deposited or
    /// above the keys submitted).
    /// # Events
    /// `VettedLimitSet(operatorId, vetted)`, `NonceChanged(nonce)`.
    /// # Access
    /// `OPERATOR_LIMITS_ROLE`.
    pub fn set_vetted_limit(&mut self, operator_id: U256, vetted: U256) -> Result<(), Error> {
        self.authorize(OPERATOR_LIMITS_ROLE, &calls::setVettedLimit(operator_id, vetted))?;
        let mut g = self.initialized_global()?;
        let (id, mut op) = self.existing(operator_id)?;
        op.vetted = match u32::try_from(vetted) {
            Ok(v) if v >= op.deposited && v <= op.submitted => v,
            _ => {
                return Err(Error::InvalidVettedLimit(InvalidVettedLimit {
                    operatorId: operator_id,
                    limit: vetted,
                    deposited: U256::from(op.deposited),
                    submitted: U256::from(op.submitted),
                }))
            }
        };
        self.refresh(&mut g, id, &mut op);
        emit::VettedLimitSet(id, vetted);
        Self::bump_nonce(&mut g);
        self.global.set(g.pack());
        Ok(())
    }

    /// Sets or clears an operator's target limit: the most active validators it may reach
    /// through new deposits (above it, it gets none until exits bring it below).
    ///
    /// # Errors
    /// `AccessDenied`, `OperatorNotFound`, `MathOverflow` (a limit of 2^32 - 1 or more).
    /// # Events
    /// `TargetLimitSet(operatorId, enabled, limit)`.
    /// # Access
    /// `OPERATOR_LIMITS_ROLE`.
    pub fn set_target_limit(
        &mut self,
        operator_id: U256,
        enabled: bool,
        limit: U256,
    ) -> Result<(), Error> {
        self.authorize(OPERATOR_LIMITS_ROLE, &calls::setTargetLimit(operator_id, enabled, limit))?;
        let mut g = self.initialized_global()?;
        let (id, mut op) = self.existing(operator_id)?;
        op.target = if enabled {
            match u32::try_from(limit) {
                Ok(l) if l != NO_TARGET => l,
                _ => return Err(crate::errors::overflow()),
            }
        } else {
            NO_TARGET
        };
        self.refresh(&mut g, id, &mut op);
        self.global.set(g.pack());
        let shown = if enabled { limit } else { U256::ZERO };
        emit::TargetLimitSet(id, enabled, shown);
        Ok(())
    }

    /// Writes operators' exited-validator counts (never decreasing, never above deposited),
    /// and marks each operator listed late on its exit requests, or not ([`crate::exits`]: the
    /// committee lists late operators with their count unchanged). Settles each one's rewards
    /// first. Returns the validators newly exited (the sum of the
    /// increases), which the oracle checks against its exited-per-day limit.
    ///
    /// Exits lower an operator's active count, so it moves towards the head of the deposit
    /// order: `hints[i]` names the operator it follows afterwards (items are applied in order,
    /// so a hint sees the earlier items' moves). A right hint reads two operators' words; a
    /// wrong, stale or out-of-range one costs a walk (see [`Self::insert`]: at most twice the
    /// shorter of the walks from the head and from the hint), never the order. With right hints the cost is flat in the number of operators.
    ///
    /// # Errors
    /// `AccessDenied`, `ArrayLengthMismatch`, `OperatorNotFound`, `InvalidExitedCount`.
    /// # Events
    /// `ExitedValidatorsUpdated(operatorId, exited)` for each count that changed,
    /// `OperatorLateSet(operatorId, late)` for each mark that changed.
    /// # Access
    /// `EXITED_REPORTER_ROLE` (the report processor).
    pub fn update_exited_validators(
        &mut self,
        ids: &[U256],
        exited: &[U256],
        hints: &[U256],
        report_timestamp: U256,
    ) -> Result<U256, Error> {
        self.authorize(
            EXITED_REPORTER_ROLE,
            &calls::updateExitedValidators(ids, exited, hints, report_timestamp),
        )?;
        let mut g = self.initialized_global()?;
        for other in [exited, hints] {
            if ids.len() != other.len() {
                return Err(Error::ArrayLengthMismatch(ArrayLengthMismatch {
                    ids: U256::from(ids.len()),
                    counts: U256::from(other.len()),
                }));
            }
        }
        let mut newly_exited: u64 = 0;
        // Lateness as of the report's reference time (never later than now; 0: now).
        let now = match u64::try_from(report_timestamp) {
            Ok(t) if t != 0 => host::timestamp().min(t),
            _ => host::timestamp(),
        };
        let mut cfg = self.load_exit_config();
        for ((&operator_id, &count), &hint) in ids.iter().zip(exited).zip(hints) {
            let (id, mut op) = self.existing(operator_id)?;
            let new = match u32::try_from(count) {
                Ok(c) if c >= op.exited && c <= op.deposited => c,
                _ => {
                    return Err(Error::InvalidExitedCount(InvalidExitedCount {
                        operatorId: operator_id,
                        exited: count,
                        current: U256::from(op.exited),
                        deposited: U256::from(op.deposited),
                    }))
                }
            };
            // Settled before its active count or its late mark changes.
            self.settle(&g, id, &mut op)?;
            let more = new - op.exited;
            let exits = self.load_exits(id);
            if more != 0 {
                // Exits settle requests first ([`crate::exits`]).
                let requested = exits.target.saturating_sub(op.exited);
                cfg.pending = cfg.pending.saturating_sub(u64::from(requested.min(more)));
                if op.has(OP_LATE) {
                    cfg.late_active = cfg.late_active.saturating_sub(u64::from(more));
                }
                // Cannot overflow: each step adds at most u32::MAX, and ids are bounded by
                // calldata.
                newly_exited = newly_exited.saturating_add(u64::from(more));
                g.total_active -= u64::from(more);
                op.exited = new;
            }
            let marked = self.mark_late(&mut cfg, id, &mut op, &exits, now);
            if more == 0 && !marked {
                self.put_op(id, &op);
                continue;
            }
            // Out of range: no operator, so the walk starts at the head.
            self.refresh_after(&mut g, id, &mut op, u16::try_from(hint).unwrap_or(0));
            if more != 0 {
                emit::ExitedValidatorsUpdated(id, count);
            }
        }
        self.exit_config.set(cfg.pack());
        self.global.set(g.pack());
        Ok(U256::from(newly_exited))
    }
}
