//! Read-only views (served by the extension program, but for `getDepositAllocation`: the core).

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256};

use crate::{
    errors::Error,
    storage::{FLAG_DEPOSITS_PAUSED, NO_TARGET, OP_ACTIVE},
    NodeOperatorRegistry,
};

/// `getOperator`: `(active, rewardAddress, deposited, exited, vetted, submitted, targetLimit,
/// keyBatches)`; `targetLimit` is `2^256 - 1` when none is set.
pub type OperatorView = (bool, Address, U256, U256, U256, U256, U256, U256);

impl NodeOperatorRegistry {
    /// See [`OperatorView`].
    pub fn get_operator(&self, operator_id: U256) -> Result<OperatorView, Error> {
        let (_, op) = self.existing(operator_id)?;
        let target = if op.target == NO_TARGET { U256::MAX } else { U256::from(op.target) };
        Ok((
            op.has(OP_ACTIVE),
            self.reward_addresses.get(operator_id),
            U256::from(op.deposited),
            U256::from(op.exited),
            U256::from(op.vetted),
            U256::from(op.submitted),
            target,
            U256::from(op.batches),
        ))
    }

    /// An operator's name.
    pub fn get_operator_name(&self, operator_id: U256) -> Result<String, Error> {
        self.existing(operator_id)?;
        Ok(self.names.getter(operator_id).get_string())
    }

    /// Operators added.
    pub fn get_operators_count(&self) -> U256 {
        U256::from(self.load_global().operators)
    }

    /// The key nonce: bumped on every key change (commit, removal, vetting, deposit).
    pub fn get_nonce(&self) -> U256 {
        U256::from(self.load_global().nonce)
    }

    /// Validators deposited and not exited, over all operators.
    pub fn get_total_active_validators(&self) -> U256 {
        U256::from(self.load_global().total_active)
    }

    /// Operators in the order they receive keys.
    pub fn get_deposit_queue(&self) -> Vec<U256> {
        self.deposit_queue().into_iter().map(U256::from).collect()
    }

    /// The next `count` deposits: operator ids, key indices and list hints (see
    /// [`NodeOperatorRegistry::allocation`]).
    pub fn get_deposit_allocation(&self, count: U256) -> (Vec<U256>, Vec<U256>, Vec<U256>) {
        let plan = self.allocation(usize::try_from(count).unwrap_or(usize::MAX).min(4096));
        (
            plan.iter().map(|p| U256::from(p.0)).collect(),
            plan.iter().map(|p| U256::from(p.1)).collect(),
            plan.iter().map(|p| U256::from(p.2)).collect(),
        )
    }

    /// An operator's claimable shares.
    pub fn get_rewards(&self, operator_id: U256) -> Result<U256, Error> {
        let (id, op) = self.existing(operator_id)?;
        Ok(self.pending_rewards(id, &op))
    }

    /// The guardians.
    pub fn get_guardians(&self) -> Vec<Address> {
        (0..self.guardian_list.len()).filter_map(|i| self.guardian_list.get(i)).collect()
    }

    /// Whether a guardian paused deposits.
    pub fn is_deposits_paused(&self) -> bool {
        self.load_global().has(FLAG_DEPOSITS_PAUSED)
    }

    /// The withdrawal credentials every deposit data root covers: the L1 vault's (`0x01`, or
    /// `0x02` compounding), set at deployment.
    pub fn get_withdrawal_credentials(&self) -> B256 {
        self.withdrawal_credentials.get()
    }

    /// The staking pool.
    pub fn pool(&self) -> Address {
        self.pool.get()
    }

    /// The AccessManager.
    pub fn access_manager(&self) -> Address {
        self.access_manager.get()
    }

    /// The extension program.
    pub fn extension(&self) -> Address {
        self.extension.get()
    }
}

/// `getOperatorExitStatus`: `(requested, exited, pending, requestedAt, late, penalized,
/// forcible, nextRequestKey, nextForcedKey)` ([`crate::exits`]).
pub type ExitStatusView = (U256, U256, U256, U256, bool, bool, bool, U256, U256);

impl NodeOperatorRegistry {
    /// See [`ExitStatusView`]: `requestedAt` is when the oldest open request was made (0 when
    /// none is open); `late` and `forcible` are as of now, `penalized` is the mark the
    /// committee's reports set.
    pub fn get_operator_exit_status(&self, operator_id: U256) -> Result<ExitStatusView, Error> {
        let (id, op) = self.existing(operator_id)?;
        let cfg = self.load_exit_config();
        let st = crate::exits::status(
            &self.load_exits(id),
            op.exited,
            staking_common::host::timestamp(),
            &cfg,
        );
        let at = if st.pending == 0 { 0 } else { st.exits.due_at };
        Ok((
            U256::from(st.exits.requested),
            U256::from(op.exited),
            U256::from(st.pending),
            U256::from(at),
            st.late,
            op.has(crate::storage::OP_LATE),
            st.forcible,
            U256::from(st.exits.cursor),
            U256::from(st.exits.forced),
        ))
    }

    /// `(pendingExits, penalizedActive, exitDeadline, forceDeadline)`.
    pub fn get_exit_summary(&self) -> (U256, U256, U256, U256) {
        let cfg = self.load_exit_config();
        (
            U256::from(cfg.pending),
            U256::from(cfg.late_active),
            U256::from(cfg.exit_deadline()),
            U256::from(cfg.force_deadline()),
        )
    }
}
