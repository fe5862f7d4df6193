//! Operators' rewards, pull-based, in pool shares.
//!
//! The pool mints the operators' part of the protocol fee as shares to the registry and calls
//! `onRewardsMinted(shares)`. One accumulator, `acc` = shares per active validator x 1e18
//! (rounded down), grows by `shares x 1e18 / total_active`; an operator's due between two
//! settlements is `active x (acc - snapshot) / 1e18` (rounded down). Settling happens whenever
//! its active count is about to change (a deposit, exits) and when it claims, so a report costs
//! the same for 10 or 1,000 operators, and a deposit settles an operator only once per
//! distribution (its word remembers the epoch it settled at).
//!
//! `acc` is a wrapping u128: only differences between an operator's settlements matter, and a
//! difference stays exact while it is below 2^128 / 1e18 = 3.4e20 shares per validator (340
//! ether of fees per validator between two settlements of one operator: centuries of rewards).
//! Operators marked late on their exit requests ([`crate::exits`]) are left out: the
//! accumulator grows by `shares x 1e18 / (total_active - late_active)` and a marked operator's
//! settlement credits nothing, so its part goes to the others, not burned.
//! Shares minted while no validator is active wait in `undistributed` for the next
//! distribution. Dust (below one share per distribution) stays in the registry.

use alloy_primitives::U256;
use staking_common::host;
use staking_math::{pack_u128_pair, to_u128, unpack_u128_pair};

use crate::{
    errors::{Error, NoRewards, NotPool, ReentrantCall},
    events::emit,
    storage::{Global, Operator, OP_LATE},
    NodeOperatorRegistry,
};

/// Precision of the accumulator.
pub const ACC_PRECISION: u128 = 1_000_000_000_000_000_000;

// The pool's interface file: `claimRewards` pays with its `transferShares`.
// `forceExits` asks it for the L1 message (`requestExitsOnL1`, [`crate::exits`]).
staking_interface::client!(IStakingPool, "../staking-pool/abi/IStakingPool.sol");

impl NodeOperatorRegistry {
    /// Brings operator `id`'s accrued rewards up to the current accumulator, before its active
    /// count changes. Writes the earned slot (not the operator's word: the caller does).
    pub(crate) fn settle(&mut self, g: &Global, id: u16, op: &mut Operator) -> Result<(), Error> {
        if op.reward_epoch == g.reward_epoch {
            return Ok(());
        }
        let (acc, _) = unpack_u128_pair(self.rewards.get());
        let key = U256::from(id);
        let (accrued, snapshot) = unpack_u128_pair(self.earned.get(key));
        // A late operator's validators are out of the denominator: nothing accrues to them.
        let active = if op.has(OP_LATE) { 0 } else { op.active() };
        let earned =
            U256::from(active) * U256::from(acc.wrapping_sub(snapshot)) / U256::from(ACC_PRECISION);
        let accrued = accrued.checked_add(to_u128(earned)?).ok_or_else(crate::errors::overflow)?;
        self.earned.setter(key).set(pack_u128_pair(accrued, acc));
        op.reward_epoch = g.reward_epoch;
        Ok(())
    }

    /// Credits `shares` (already minted to the registry) to active validators.
    ///
    /// # Errors
    /// `NotInitialized`, `NotPool`, `MathOverflow`.
    /// # Events
    /// `RewardsDistributed(shares, rewardPerValidator)` (the accumulator's growth, 1e18).
    /// # Access
    /// The pool.
    pub fn on_rewards_minted(&mut self, shares: U256) -> Result<(), Error> {
        let mut g = self.initialized_global()?;
        let caller = host::sender();
        if caller != self.pool.get() {
            return Err(Error::NotPool(NotPool { caller }));
        }
        let (acc, undistributed) = unpack_u128_pair(self.rewards.get());
        let pending =
            undistributed.checked_add(to_u128(shares)?).ok_or_else(crate::errors::overflow)?;
        // Validators of operators marked late earn nothing ([`crate::exits`]).
        let rewarded = g.total_active.saturating_sub(self.load_exit_config().late_active);
        let (growth, left) = if rewarded == 0 {
            (0, pending)
        } else {
            let growth = U256::from(pending) * U256::from(ACC_PRECISION) / U256::from(rewarded);
            (to_u128(growth)?, 0)
        };
        self.rewards.set(pack_u128_pair(acc.wrapping_add(growth), left));
        if growth != 0 {
            g.reward_epoch = g.reward_epoch.wrapping_add(1);
            self.global.set(g.pack());
        }
        emit::RewardsDistributed(shares, growth);
        Ok(())
    }

    /// Sends operator `operator_id`'s accrued shares to its reward address; returns them.
    ///
    /// # Errors
    /// `NotInitialized`, `OperatorNotFound`, `NoRewards`, the pool's errors, `MathOverflow`.
    /// # Events
    /// `RewardsClaimed(operatorId, to, shares)`; the pool's `TransferShares` / `Transfer`.
    /// # Access
    /// Anyone (the shares go to the reward address).
    pub fn claim_rewards(&mut self, operator_id: U256) -> Result<U256, Error> {
        let g = self.initialized_global()?;
        let (id, mut op) = self.existing(operator_id)?;
        self.settle(&g, id, &mut op)?;
        self.put_op(id, &op);
        let key = U256::from(id);
        let (accrued, snapshot) = unpack_u128_pair(self.earned.get(key));
        if accrued == 0 {
            return Err(Error::NoRewards(NoRewards { operatorId: operator_id }));
        }
        self.earned.setter(key).set(pack_u128_pair(0, snapshot));
        let to = self.reward_addresses.get(key);
        let shares = U256::from(accrued);
        let call = i_staking_pool::calls::transferShares(to, shares);
        let _lock = staking_common::guard::Lock::acquire(crate::GUARD_SLOT)
            .map_err(|_| Error::ReentrantCall(ReentrantCall {}))?;
        host::call(self.pool.get(), &call).map_err(Error::Callee)?;
        emit::RewardsClaimed(key, to, shares);
        Ok(shares)
    }

    /// Operator `id`'s claimable shares now.
    pub fn pending_rewards(&self, id: u16, op: &Operator) -> U256 {
        let (acc, _) = unpack_u128_pair(self.rewards.get());
        let (accrued, snapshot) = unpack_u128_pair(self.earned.get(U256::from(id)));
        let g = self.load_global();
        let fresh = if op.reward_epoch == g.reward_epoch || op.has(OP_LATE) {
            U256::ZERO
        } else {
            U256::from(op.active()) * U256::from(acc.wrapping_sub(snapshot))
                / U256::from(ACC_PRECISION)
        };
        U256::from(accrued) + fresh
    }
}
