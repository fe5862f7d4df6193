//! The committee's exit plan (docs/design/exits.md, sections 1 and 2): how many of the
//! protocol's validators must exit this frame, and which, as the packed list the report
//! carries. The tests' reference computation (`tests/src/exit_planner.rs`) over JSON-RPC: the
//! registry's operators and exit state, the pool's shortfall and the oracle's limits on L2 at
//! the reference slot's block; the beacon API's validators at the slot (live until their
//! balance is paid out); the keys service's public keys (a deposited key the service cannot
//! name fails the plan rather than silently counting as gone).
//!
//! [`exited_counts`] gives the report's exited validators per operator, which lower the
//! registry's pending exits as validators leave.
//!
//! ```text
//! deficit = pool's getWithdrawalShortfall (unfinalized requests - buffered)
//!         - what the report claims into the buffer - the vault's free balance
//!         - in flight to L2 - sum(min(balance, 32 ether)) of validators requested, not exited
//! exits   = the fewest validators, one at a time in the order below, whose
//!           sum(min(balance, 32 ether)) >= deficit; capped by ceil(deficit / 32 ether) + 1,
//!           the oracle's per-report limit and the day's remaining bucket
//! order   = operators above their target first (largest excess), then those not late, then
//!           the most active, then the lowest id; within an operator its lowest key at or
//!           above its request cursor that is live on the consensus layer
//! ```
//!
//! Each request is packed as the oracle reads it: `operatorId (5) | keyIndex (3) |
//! validatorIndex (8) | pubkey (48)`.

use std::collections::HashMap;

use alloy_primitives::{hex, U256};

use crate::{
    abi::{IAccountingOracle as O, INodeOperatorRegistry as R, IStakingPool as P},
    beacon::Validator,
    committee::Member,
    protocol::view,
    CliError,
};

fn validator() -> U256 {
    U256::from(32u64) * U256::from(10u64).pow(U256::from(18u64))
}

/// What the plan reads besides the chain: the report's claim and the L1 figures.
#[derive(Clone, Copy, Debug, Default)]
pub struct Inputs {
    /// Ether the report claims into the buffer (withdrawals, EL rewards).
    pub claimed: U256,
    /// The vault's free balance at the reference slot.
    pub vault_free: U256,
    /// Ether in flight to L2 (`bridgedToL2 - receivedFromL1Vault`).
    pub in_flight: U256,
}

/// One packed exit request (`staking_common::exit_list`).
pub use staking_common::exit_list::request as exit_request;

struct Candidate {
    id: u64,
    active: u64,
    target: U256,
    late: bool,
    next_key: u32,
    deposited: u32,
}

impl Candidate {
    fn key(&self) -> (std::cmp::Reverse<U256>, bool, std::cmp::Reverse<u64>, u64) {
        let excess = U256::from(self.active).saturating_sub(self.target);
        (std::cmp::Reverse(excess), self.late, std::cmp::Reverse(self.active), self.id)
    }
}

/// The live validators by public key: `(index, balance in wei)`.
fn live(validators: &[Validator]) -> HashMap<Vec<u8>, (u64, U256)> {
    validators
        .iter()
        // Live until its balance is paid out (the reference's `!exited`): a validator exiting
        // or exited still holds the ether a request counts on.
        .filter(|v| v.status != "withdrawal_done" && v.balance_gwei > 0)
        .map(|v| {
            (v.pubkey.clone(), (v.index, U256::from(v.balance_gwei) * U256::from(1_000_000_000u64)))
        })
        .collect()
}

/// The packed exit list for this frame (empty when nothing must exit), the L2 figures read at
/// block `at` (the reference slot's).
///
/// # Errors
///
/// An endpoint failing, or exits needed without a keys service to name the keys.
pub async fn plan(
    m: &Member,
    at: Option<u64>,
    validators: &[Validator],
    inputs: Inputs,
) -> Result<Vec<u8>, CliError> {
    let (l2, p) = (&m.l2.provider, &m.protocol);
    let shortfall = view(l2, p.pool, &P::getWithdrawalShortfallCall {}, at).await?._0;
    let rough = shortfall
        .saturating_sub(inputs.claimed)
        .saturating_sub(inputs.vault_free)
        .saturating_sub(inputs.in_flight);
    if rough.is_zero() {
        return Ok(Vec::new());
    }
    let keys_url = m.keys.as_deref().ok_or_else(|| {
        CliError::Usage(format!(
            "{rough} wei of withdrawals need exits: give --keys-service URL so the committee can name the keys"
        ))
    })?;
    let count =
        view(l2, p.registry, &R::getOperatorsCountCall {}, at).await?._0.saturating_to::<u64>();
    // Every operator's keys, once.
    let mut pubkeys: HashMap<(u64, u32), Vec<u8>> = HashMap::new();
    for id in 1..=count {
        for k in crate::keys::fetch_operator_keys(keys_url, id).await? {
            // A key that is not 48 bytes is no key (and would not pack): left out, so the plan
            // fails on it below as on a missing file.
            match hex::decode(&k.pubkey) {
                Ok(pk) if pk.len() == 48 => {
                    pubkeys.insert((id, k.index), pk);
                }
                _ => {}
            }
        }
    }
    let live = live(validators);
    let live_balance = |id: u64, key: u32| -> Option<(u64, U256)> {
        pubkeys.get(&(id, key)).and_then(|pk| live.get(pk)).copied()
    };
    let mut ops = Vec::new();
    let mut exiting = U256::ZERO;
    for id in 1..=count {
        let o =
            view(l2, p.registry, &R::getOperatorCall { operatorId: U256::from(id) }, at).await?;
        let st =
            view(l2, p.registry, &R::getOperatorExitStatusCall { operatorId: U256::from(id) }, at)
                .await?;
        let pending = st.pending.saturating_to::<u64>();
        if let Some(missing) =
            (0..o.deposited.saturating_to::<u32>()).find(|k| !pubkeys.contains_key(&(id, *k)))
        {
            return Err(CliError::Check(format!(
                "the keys service cannot name operator {id}'s deposited key {missing} (its file was not published to it): the exit plan would be wrong"
            )));
        }
        // Validators requested and not exited yet: the lowest live keys below the cursor.
        let cursor = st.nextRequestKey.saturating_to::<u32>();
        let mut left = pending;
        for key in 0..cursor {
            if left == 0 {
                break;
            }
            if let Some((_, balance)) = live_balance(id, key) {
                exiting += balance.min(validator());
                left -= 1;
            }
        }
        let active = o.deposited.saturating_to::<u64>().saturating_sub(o.exited.saturating_to());
        ops.push(Candidate {
            id,
            active: active.saturating_sub(pending),
            target: o.targetLimit,
            late: st.late,
            next_key: cursor,
            deposited: o.deposited.saturating_to(),
        });
    }
    let need = rough.saturating_sub(exiting);
    if need.is_zero() {
        return Ok(Vec::new());
    }
    let limits = view(l2, p.oracle, &O::getExitRequestsStateCall {}, at).await?;
    let bound = need.div_ceil(validator()) + U256::from(1);
    let cap = bound.min(limits.maxPerReport).min(limits.remainingToday).saturating_to::<u64>();
    let mut picked: Vec<(u64, u32, u64, Vec<u8>)> = Vec::new();
    let mut covered = U256::ZERO;
    while covered < need && (picked.len() as u64) < cap {
        ops.sort_by_key(Candidate::key);
        let mut chosen = None;
        for c in &mut ops {
            while c.next_key < c.deposited && live_balance(c.id, c.next_key).is_none() {
                c.next_key += 1;
            }
            if c.next_key < c.deposited && c.active > 0 {
                chosen = Some(c);
                break;
            }
        }
        let Some(c) = chosen else { break };
        let key = c.next_key;
        let (index, balance) = live_balance(c.id, key).unwrap_or_default();
        covered += balance.min(validator());
        picked.push((c.id, key, index, pubkeys[&(c.id, key)].clone()));
        c.next_key += 1;
        c.active -= 1;
    }
    picked.sort_by_key(|p| (p.0, p.1));
    Ok(picked.iter().flat_map(|(id, key, index, pk)| exit_request(*id, *key, *index, pk)).collect())
}

/// The operators whose validators have exited on the consensus layer (statuses `exited_*`
/// and `withdrawal_*`) beyond what the registry has recorded, with their cumulative exited
/// counts, ids increasing, at most the oracle's `maxExitedOperatorsPerReport` (the rest go in
/// a later report). Each exited validator is mapped to its operator by its public key from
/// the keys service; with none exited, nothing is read.
///
/// # Errors
///
/// An endpoint failing, or exited validators without a keys service to name them.
pub async fn exited_counts(
    m: &Member,
    at: Option<u64>,
    validators: &[Validator],
) -> Result<Vec<(u64, u64)>, CliError> {
    let exited: Vec<&Vec<u8>> = validators
        .iter()
        .filter(|v| v.status.starts_with("exited") || v.status.starts_with("withdrawal"))
        .map(|v| &v.pubkey)
        .collect();
    if exited.is_empty() {
        return Ok(Vec::new());
    }
    let keys_url = m.keys.as_deref().ok_or_else(|| {
        CliError::Usage(format!(
            "{} validators exited: give --keys-service URL so the committee can name their operators",
            exited.len()
        ))
    })?;
    let (l2, p) = (&m.l2.provider, &m.protocol);
    let count =
        view(l2, p.registry, &R::getOperatorsCountCall {}, at).await?._0.saturating_to::<u64>();
    let limit = view(l2, p.oracle, &O::getSanityLimitsCall {}, at)
        .await?
        ._0
        .maxExitedOperatorsPerReport
        .saturating_to::<usize>();
    let mut out = Vec::new();
    for id in 1..=count {
        let keys = crate::keys::fetch_operator_keys(keys_url, id).await?;
        let n = keys
            .iter()
            .filter(|k| {
                let pk = hex::decode(&k.pubkey).unwrap_or_default();
                exited.iter().any(|e| **e == pk)
            })
            .count() as u64;
        let recorded = view(l2, p.registry, &R::getOperatorCall { operatorId: U256::from(id) }, at)
            .await?
            .exited
            .saturating_to::<u64>();
        if n > recorded {
            out.push((id, n));
        }
    }
    if limit > 0 {
        out.truncate(limit);
    }
    Ok(out)
}
