//! The committee's exit computation (docs/design/exits.md, sections 1 and 2): how many of the
//! protocol's validators must exit this frame, and which, as the packed list the report
//! carries. It reads what a committee member reads (the registry's operators and exit state on
//! L2, the queue and the pool, the beacon chain's validators and the vault on L1) and is
//! deterministic. This is the reference the oracle daemon of issue 19 will run; here the
//! two-world tests and the bank-run scenario use it.
//!
//! ```text
//! deficit = queue's unfinalizedStETH - buffered - claimed by the report
//!         - vault's free balance - in flight to L2 - sum(min(balance, 32)) of validators
//!           requested and not yet exited
//! exits   = the fewest validators, one at a time in the order below, whose
//!           sum(min(balance, 32 ether)) >= deficit; then capped by the on-chain bound
//!           (ceil(deficit / 32 ether) + 1), the per-report limit and the day's bucket
//! order   = operators above their target first (largest excess), then those not late, then
//!           the most active validators, then the lowest id; within an operator its lowest key
//!           at or above its request cursor that is live on the consensus layer
//! ```

use alloy_primitives::U256;

use crate::{
    abi::{IAccountingOracle as O, INodeOperatorRegistry as R, IStakingPool as P},
    ether,
    oracle::exit_request,
    two_worlds::TwoWorlds,
};

/// One validator's ether at most (wei).
fn validator() -> U256 {
    ether(32)
}

/// An operator as the order sees it.
#[derive(Debug, Clone)]
struct Candidate {
    id: u16,
    active: u64,
    target: U256,
    late: bool,
    next_key: u32,
    deposited: u32,
}

impl Candidate {
    /// The sort key: smaller first.
    fn key(&self) -> (std::cmp::Reverse<U256>, bool, std::cmp::Reverse<u64>, u16) {
        let excess = U256::from(self.active).saturating_sub(self.target);
        (std::cmp::Reverse(excess), self.late, std::cmp::Reverse(self.active), self.id)
    }
}

/// The deficit in wei the committee computes at the reference slot (see the module doc);
/// `claimed` is what the report claims into the buffer (withdrawals and EL rewards).
pub fn deficit(t: &mut TwoWorlds, claimed: U256) -> U256 {
    let shortfall = t.s.view(t.s.pool, &P::getWithdrawalShortfallCall {})._0;
    let (_, _, vault_balance, bridged) = t.vault_state();
    let received = t.s.view(t.s.pool, &P::receivedFromL1VaultCall {})._0;
    let in_flight = bridged.saturating_sub(received);
    let exiting = exiting_ether(t);
    shortfall
        .saturating_sub(claimed)
        .saturating_sub(vault_balance)
        .saturating_sub(in_flight)
        .saturating_sub(exiting)
}

/// `sum(min(balance, 32 ether))` of the live validators requested and not yet exited: per
/// operator, its `pending` lowest live keys below its request cursor.
fn exiting_ether(t: &mut TwoWorlds) -> U256 {
    let registry = t.v.registry;
    let count: u16 = t.s.view(registry, &R::getOperatorsCountCall {})._0.to();
    let mut total = U256::ZERO;
    for id in 1..=count {
        let st = t.s.view(registry, &R::getOperatorExitStatusCall { operatorId: U256::from(id) });
        let mut pending: u64 = st.pending.to();
        let cursor: u32 = st.nextRequestKey.to();
        for key in 0..cursor {
            if pending == 0 {
                break;
            }
            if let Some(balance) = live_balance(t, id, key) {
                total += balance.min(validator());
                pending -= 1;
            }
        }
    }
    total
}

/// The balance of operator `id`'s key `key` when it is a live validator.
fn live_balance(t: &TwoWorlds, id: u16, key: u32) -> Option<U256> {
    let pubkey = pubkey_of(t, id, key)?;
    t.beacon.validators.iter().find(|v| v.pubkey == pubkey && !v.exited).map(|v| v.balance)
}

/// Operator `id`'s key `key`, from the harness's committed batches.
fn pubkey_of(t: &TwoWorlds, id: u16, key: u32) -> Option<Vec<u8>> {
    let batch = t.v.batch_of(id, key)?;
    Some(batch.pubkeys[(key - batch.start) as usize].to_vec())
}

/// The packed exit list for this frame (empty when nothing must exit); `claimed` as in
/// [`deficit`].
pub fn plan(t: &mut TwoWorlds, claimed: U256) -> Vec<u8> {
    let need = deficit(t, claimed);
    if need.is_zero() {
        return Vec::new();
    }
    let registry = t.v.registry;
    let oracle = t.oracle.address;
    let limits = t.s.view(oracle, &O::getExitRequestsStateCall {});
    let bound = need.div_ceil(validator()) + U256::from(1);
    let cap: u64 = bound.min(limits.maxPerReport).min(limits.remainingToday).to();
    let count: u16 = t.s.view(registry, &R::getOperatorsCountCall {})._0.to();
    let mut ops = Vec::new();
    for id in 1..=count {
        let o = t.s.view(registry, &R::getOperatorCall { operatorId: U256::from(id) });
        let st = t.s.view(registry, &R::getOperatorExitStatusCall { operatorId: U256::from(id) });
        let active = o.deposited.to::<u64>() - o.exited.to::<u64>();
        ops.push(Candidate {
            id,
            active: active.saturating_sub(st.pending.to::<u64>()),
            target: o.targetLimit,
            late: st.late,
            next_key: st.nextRequestKey.to(),
            deposited: o.deposited.to(),
        });
    }
    let mut picked: Vec<(u16, u32, Vec<u8>, u64)> = Vec::new();
    let mut covered = U256::ZERO;
    while covered < need && (picked.len() as u64) < cap {
        ops.sort_by_key(Candidate::key);
        let mut chosen = None;
        for c in &mut ops {
            // Its lowest live key at or above its cursor.
            while c.next_key < c.deposited && live_balance(t, c.id, c.next_key).is_none() {
                c.next_key += 1;
            }
            if c.next_key < c.deposited && c.active > 0 {
                chosen = Some(c);
                break;
            }
        }
        let Some(c) = chosen else { break };
        let key = c.next_key;
        let pubkey = pubkey_of(t, c.id, key).expect("a committed key");
        let (index, v) = t
            .beacon
            .validators
            .iter()
            .enumerate()
            .find(|(_, v)| v.pubkey == pubkey)
            .expect("a live validator");
        covered += v.balance.min(validator());
        picked.push((c.id, key, pubkey, index as u64));
        c.next_key += 1;
        c.active -= 1;
    }
    picked.sort_by_key(|p| (p.0, p.1));
    picked
        .iter()
        .flat_map(|(id, key, pubkey, index)| exit_request(u64::from(*id), *key, *index, pubkey))
        .collect()
}
