//! Exit requests: what the committee asks operators to exit, who is late, and forced exits
//! through the L1 vault (docs/design/exits.md).
//!
//! ```text
//! oracle --onExitRequests(one word per operator) (EXITED_REPORTER_ROLE)--> registry (core)
//!     per operator named: its exits word (cursor, stages), the pending total
//! oracle --updateExitedValidators(ids, counts, hints)--> registry   (core, every report)
//!     exits lower `pending`; an operator listed is marked late or caught up (OP_LATE)
//! anyone (operator forcible) / FORCED_EXIT_ROLE --forceExits(id, keys + proofs)--> registry (core)
//!     --requestExitsOnL1(pubkeys)--> pool (permit program) --ArbSys.sendTxToL1--> L1 vault
//!     --triggerExits(pubkeys)--> EIP-7002 predeploy
//! ```
//!
//! ## Requests (`onExitRequests`)
//!
//! The oracle checks the agreed list (hashed against the committee's vote, 64-byte records
//! strictly increasing by `(operatorId, keyIndex)`), emits `ValidatorExitRequest` per record
//! and hands the registry one word per operator named: `operatorId u64 | firstKey u32 |
//! lastKey u32 | count u32` (bits 0, 64, 96, 128). Per operator the keys must be at or above
//! its cursor and deposited (`KeyNotExitable`): a key is requested at most once, and only the
//! protocol's own validators; the cursor moves past the last key named. Keys are asked oldest
//! first, so a key below the cursor was requested or skipped (a validator that already left on
//! its own). Operators are read and written once each, and operators not named are never
//! touched: the cost is flat in the number of operators.
//!
//! ## Stages and lateness
//!
//! Requests are counted against the operator's exited count (the oracle's, whatever exits):
//! `target` is the count that settles every request. The oldest open stage is settled at
//! `due`, requested at `due_at`; requests after it join one newer stage, stamped `next_at` =
//! the time of its latest request. When the exited count reaches `due`, the newer stage
//! becomes the oldest. An operator is **late** when its exited count is below `due` more than
//! the exit deadline (4 days by default) after `due_at`, and **forcible** past the force
//! deadline (7 days). Stamping the merged stage with its latest request means an operator is
//! never late on a request younger than the deadline; the slack this gives the older requests
//! in the stage lasts only while the oldest stage is open, and that one is counted strictly.
//!
//! ## The penalty (`OP_LATE`, in the core: [`crate::rewards`], `updateExitedValidators`)
//!
//! A late operator is marked when the oracle's next report lists it in `updateExitedValidators`
//! (the committee lists every late operator not yet marked, and every marked one that caught
//! up, with its count unchanged if nothing exited), as of the report's reference time. A
//! marked operator's validators are left out of the reward accumulator's denominator
//! (`late_active`), so its share of each report's rewards goes to the other operators (not
//! burned), and it leaves the deposit order. Caught up (its exited count at `due`, or a new
//! stage not yet late), it is unmarked.
//!
//! ## Forced exits (`forceExits`)
//!
//! Permissionless once the operator is forcible, for the next keys from its forced cursor,
//! contiguous, below `due_cursor` (the request cursor as of the overdue stage's last request):
//! each key at most once and none skipped, so no caller can shield a key by forcing a later
//! one. The forced cursor moves past a stage's keys when the stage is settled (by count: the
//! operator may exit other validators) and to the first key of a new stage, so a stranger
//! reaches only the keys of the overdue stage (with the keys the committee skipped inside it,
//! validators that left on their own: their fee is lost once, the consensus layer drops
//! them). Anything else takes `FORCED_EXIT_ROLE` (governance): any deposited key, strictly
//! increasing, at any time; keys it forces in order from the cursor move the cursor too. If
//! the consensus layer drops a forced request (a validator not yet eligible) the stage stays
//! open with the cursor at its end: governance forces again. At most 100 keys a call (the vault's `MAX_EXITS_PER_MESSAGE`). Each
//! key is proven against the operator's committed batch as deposits prove it (a caller cannot
//! name another's validator); the proofs are checked before the role is asked. The pool sends
//! `triggerExits(pubkeys)` to the L1 vault through ArbSys; the vault pays EIP-7002's fee,
//! bounded by its `maxExitFee`.
//!
//! ## What the registry trusts the committee for
//!
//! The pubkey and validator index of an asked exit are the oracle's (its event carries them,
//! as Lido's VEBO's); the registry checks the key indices against its cursor and its deposits.
//! Late marks follow the reports that list an operator (judged at the report's reference time);
//! `getOperatorExitStatus` shows `late` (now) and `penalized` (the mark) apart.
//!
//! ## Storage
//!
//! Slot 13 `exits` (per operator) and slot 14 `exit_config` (registry-wide), bits in
//! [`crate::storage`]. `onExitRequests` writes no event of its own: the oracle's
//! `ValidatorExitRequest` per request is the record, and `getOperatorExitStatus` the state.

#![allow(
    clippy::cast_possible_truncation,
    reason = "packed fields are read with exactly as many bytes as their type holds"
)]

use alloc::vec::Vec;

use alloy_primitives::U256;
use staking_common::{host, roles};

use crate::{
    errors::{
        Error, InvalidExitDeadlines, InvalidExitRequestsData, InvalidKeyProof, KeyNotExitable,
        ReentrantCall, TooManyForcedExits,
    },
    events::emit,
    interface::calls,
    keys::{leaf, root_from_proof, PUBKEY, SIGNATURE},
    storage::{ExitConfig, Operator, OperatorExits, OP_LATE},
    NodeOperatorRegistry,
};

/// Default seconds from a request until its operator is late.
pub const DEFAULT_EXIT_DEADLINE: u32 = 4 * 86_400;
/// Default seconds from a request until its validators may be forced out.
pub const DEFAULT_FORCE_DEADLINE: u32 = 7 * 86_400;
/// Longest exit deadline governance may set.
pub const MAX_EXIT_DEADLINE: u32 = 30 * 86_400;
/// Longest force deadline governance may set.
pub const MAX_FORCE_DEADLINE: u32 = 60 * 86_400;
/// Most keys one forced exit names (the L1 vault's `MAX_EXITS_PER_MESSAGE`).
pub const MAX_FORCED: usize = 100;

/// An operator's exit state at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ExitStatus {
    /// Its exits word with the stages moved on for its exited count.
    pub exits: OperatorExits,
    /// Requested and not yet exited.
    pub pending: u32,
    /// Overdue: requested in the oldest open stage and not yet exited.
    pub overdue: u32,
    /// Late: the oldest open stage is older than the exit deadline.
    pub late: bool,
    /// Forcible: the oldest open stage is older than the force deadline.
    pub forcible: bool,
}

impl ExitConfig {
    /// The exit deadline in force (seconds).
    pub fn exit_deadline(&self) -> u64 {
        u64::from(if self.exit_deadline == 0 { DEFAULT_EXIT_DEADLINE } else { self.exit_deadline })
    }

    /// The force deadline in force (seconds).
    pub fn force_deadline(&self) -> u64 {
        u64::from(if self.force_deadline == 0 {
            DEFAULT_FORCE_DEADLINE
        } else {
            self.force_deadline
        })
    }
}

/// Moves the stages on for `exited`: when the oldest is settled, the newer becomes the oldest
/// (its keys are all those requested so far).
pub fn advance(w: &mut OperatorExits, exited: u32) {
    if exited >= w.due && w.due < w.target {
        // The settled stage's keys are owed no more: no forced exit reaches them.
        w.forced = w.forced.max(w.due_cursor);
        w.due = w.target;
        w.due_at = w.next_at;
        w.due_cursor = w.cursor;
    }
}

/// Operator status from its exits word, exited count, the time and the deadlines.
pub fn status(w: &OperatorExits, exited: u32, now: u64, cfg: &ExitConfig) -> ExitStatus {
    let mut exits = *w;
    advance(&mut exits, exited);
    let open = exited < exits.due;
    let since = u64::from(exits.due_at);
    ExitStatus {
        exits,
        pending: exits.target.saturating_sub(exited),
        overdue: exits.due.saturating_sub(exited),
        late: open && now > since.saturating_add(cfg.exit_deadline()),
        forcible: open && now > since.saturating_add(cfg.force_deadline()),
    }
}

/// Adds `n` requests made at `now`, from key `first` on, to an operator's stages (already
/// advanced for `exited`, its cursor already past the keys named).
pub fn add_requests(w: &mut OperatorExits, exited: u32, n: u32, now: u64, first: u32) {
    let now = u32::try_from(now).unwrap_or(u32::MAX);
    if exited >= w.target {
        // Nothing open: one new stage; the keys before it are owed no more.
        w.target = exited + n;
        w.due = w.target;
        w.due_at = now;
        w.due_cursor = w.cursor;
        w.forced = w.forced.max(first);
    } else {
        w.target += n;
    }
    w.next_at = now;
    w.requested = w.requested.saturating_add(n);
}

/// Big-endian integer of up to 8 bytes.
fn be(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

impl NodeOperatorRegistry {
    /// The exit config word.
    pub(crate) fn load_exit_config(&self) -> ExitConfig {
        ExitConfig::unpack(self.exit_config.get())
    }

    /// Operator `id`'s exits word.
    pub(crate) fn load_exits(&self, id: u16) -> OperatorExits {
        OperatorExits::unpack(self.exits.get(U256::from(id)))
    }

    /// Records the agreed exit list, one word per operator (see the module doc); returns the
    /// validators pending before it.
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`, `InvalidExitRequestsData(index)` (ids not increasing,
    /// a zero count, or a count above `lastKey - firstKey + 1`), `OperatorNotFound`,
    /// `KeyNotExitable` (`firstKey` below the cursor, `lastKey` not deposited), `MathOverflow`.
    /// # Events
    /// None here: the oracle emits `ValidatorExitRequest` per validator.
    /// # Access
    /// `EXITED_REPORTER_ROLE` (the oracle).
    pub fn on_exit_requests(&mut self, operators: &[U256]) -> Result<U256, Error> {
        self.authorize(roles::EXITED_REPORTER_ROLE, &calls::onExitRequests(operators))?;
        self.initialized_global()?;
        let now = host::timestamp();
        let mut cfg = self.load_exit_config();
        let before = cfg.pending;
        let mut last = 0u64;
        for (index, word) in operators.iter().enumerate() {
            let [l0, l1, l2, l3] = word.into_limbs();
            let (first, key, n) = (l1 as u32, (l1 >> 32) as u32, l2 as u32);
            let bad = InvalidExitRequestsData { index: U256::from(index) };
            if l0 <= last
                || key < first
                || n == 0
                || n - 1 > key - first
                || l2 >> 32 != 0
                || l3 != 0
            {
                return Err(bad.into());
            }
            last = l0;
            let (id, op) = self.existing(U256::from(l0))?;
            let mut w = self.load_exits(id);
            advance(&mut w, op.exited);
            if first < w.cursor || key >= op.deposited {
                let k = if first < w.cursor { first } else { key };
                return Err(
                    KeyNotExitable { operatorId: U256::from(id), keyIndex: U256::from(k) }.into()
                );
            }
            w.cursor = key + 1;
            let pending_before = w.target.saturating_sub(op.exited);
            add_requests(&mut w, op.exited, n, now, first);
            let added = w.target.saturating_sub(op.exited) - pending_before;
            cfg.pending =
                cfg.pending.checked_add(u64::from(added)).ok_or_else(crate::errors::overflow)?;
            self.exits.setter(U256::from(id)).set(w.pack());
        }
        self.exit_config.set(cfg.pack());
        Ok(U256::from(before))
    }

    /// Forces operator `operator_id`'s requested validators out through the L1 vault (see the
    /// module doc for `data` and who may).
    ///
    /// # Errors
    /// `NotInitialized`, `OperatorNotFound`, `AccessDenied` (not forcible and no
    /// `FORCED_EXIT_ROLE`), `InvalidDepositData` (malformed data), `InvalidRequestsSortOrder`,
    /// `KeyNotExitable`, `TooManyForcedExits`, `InvalidKeyProof` (a key, batch or proof that is not the committed one), the pool's
    /// errors.
    /// # Events
    /// `ValidatorExitForced(operatorId, keyIndex, pubkey)` per key; the pool's
    /// `ExitsRequestedOnL1`.
    /// # Access
    /// Anyone while the operator is forcible; `FORCED_EXIT_ROLE` at any time.
    pub fn force_exits(&mut self, operator_id: U256, data: &[u8]) -> Result<(), Error> {
        self.initialized_global()?;
        let (id, op) = self.existing(operator_id)?;
        let cfg = self.load_exit_config();
        let st = status(&self.load_exits(id), op.exited, host::timestamp(), &cfg);
        let mut w = st.exits;
        let mut pubkeys = Vec::new();
        let mut keys: Vec<u32> = Vec::new();
        let mut rest = data;
        while !rest.is_empty() {
            let bad = || Error::from(crate::errors::InvalidDepositData {});
            let head = rest.get(..PUBKEY + SIGNATURE + 15).ok_or_else(bad)?;
            let (pubkey, tail) = head.split_at(PUBKEY);
            let signature = &tail[..SIGNATURE];
            let f = &tail[SIGNATURE..];
            let batch = be(&f[..2]) as u16;
            let start = be(&f[2..6]) as u32;
            let stop = be(&f[6..10]) as u32;
            let key = be(&f[10..14]) as u32;
            let total = PUBKEY + SIGNATURE + 15 + 32 * usize::from(f[14]);
            let siblings = rest.get(PUBKEY + SIGNATURE + 15..total).ok_or_else(bad)?;
            // Strictly increasing, deposited keys.
            if keys.last().is_some_and(|&k| key <= k) || key >= op.deposited {
                return Err(
                    KeyNotExitable { operatorId: operator_id, keyIndex: U256::from(key) }.into()
                );
            }
            let proof_fails = || {
                Error::from(InvalidKeyProof { operatorId: operator_id, keyIndex: U256::from(key) })
            };
            if key < start || key >= stop {
                return Err(proof_fails());
            }
            let root = root_from_proof(leaf(pubkey, signature), key - start, siblings)
                .ok_or_else(proof_fails)?;
            self.check_batch(id, &op, batch, &root, start, stop).map_err(|_| proof_fails())?;
            keys.push(key);
            if keys.len() > MAX_FORCED {
                return Err(TooManyForcedExits {
                    count: U256::from(keys.len()),
                    max: U256::from(MAX_FORCED),
                }
                .into());
            }
            pubkeys.extend_from_slice(pubkey);
            rest = &rest[total..];
        }
        let (Some(&first), Some(&last)) = (keys.first(), keys.last()) else {
            return Err(InvalidExitRequestsData { index: U256::ZERO }.into());
        };
        // Permissionless: the operator is forcible, and the keys are the next ones from its
        // forced cursor, contiguous, below the overdue stage's request cursor: each requested
        // key at most once, none skipped. Anything else is governance's (`FORCED_EXIT_ROLE`),
        // which leaves the cursor alone.
        let in_order = first == w.forced && (last - first) as usize + 1 == keys.len();
        if !(st.forcible && in_order && last < w.due_cursor) {
            self.authorize(roles::FORCED_EXIT_ROLE, &calls::forceExits(operator_id, data))?;
        }
        // Keys forced in order from the cursor (by anyone, or by governance) move it on, so
        // none is forced twice by a stranger.
        if in_order {
            w.forced = last + 1;
            self.exits.setter(U256::from(id)).set(w.pack());
        }
        for (key, pubkey) in keys.iter().zip(pubkeys.chunks_exact(PUBKEY)) {
            emit::ValidatorExitForced(operator_id, U256::from(*key), pubkey);
        }
        let call = crate::rewards::i_staking_pool::calls::requestExitsOnL1(&pubkeys);
        let _lock = staking_common::guard::Lock::acquire(crate::GUARD_SLOT)
            .map_err(|_| Error::ReentrantCall(ReentrantCall {}))?;
        host::call(self.pool.get(), &call).map_err(Error::Callee)?;
        Ok(())
    }

    /// Sets the exit and force deadlines.
    ///
    /// # Errors
    /// `AccessDenied`, `InvalidExitDeadlines` (exit 1 day to 30 days, force above exit and at
    /// most 60 days).
    /// # Events
    /// `ExitDeadlinesSet(exitDeadline, forceDeadline)`.
    /// # Access
    /// `OPERATOR_LIMITS_ROLE`.
    pub fn set_exit_deadlines(&mut self, exit: U256, force: U256) -> Result<(), Error> {
        self.authorize(roles::OPERATOR_LIMITS_ROLE, &calls::setExitDeadlines(exit, force))?;
        let (e, f) = (u32::try_from(exit).unwrap_or(0), u32::try_from(force).unwrap_or(0));
        if !(86_400..=MAX_EXIT_DEADLINE).contains(&e) || f <= e || f > MAX_FORCE_DEADLINE {
            return Err(InvalidExitDeadlines { exitDeadline: exit, forceDeadline: force }.into());
        }
        let mut cfg = self.load_exit_config();
        cfg.exit_deadline = e;
        cfg.force_deadline = f;
        self.exit_config.set(cfg.pack());
        emit::ExitDeadlinesSet(exit, force);
        Ok(())
    }

    /// Marks or unmarks operator `id` late for its status at `now` (in `updateExitedValidators`,
    /// its rewards settled first by the caller); returns whether the mark changed.
    pub(crate) fn mark_late(
        &mut self,
        cfg: &mut ExitConfig,
        id: u16,
        op: &mut Operator,
        w: &OperatorExits,
        now: u64,
    ) -> bool {
        let st = status(w, op.exited, now, cfg);
        if st.exits != *w {
            self.exits.setter(U256::from(id)).set(st.exits.pack());
        }
        if st.late == op.has(OP_LATE) {
            return false;
        }
        let active = u64::from(op.active());
        cfg.late_active =
            if st.late { cfg.late_active + active } else { cfg.late_active.saturating_sub(active) };
        op.set(OP_LATE, st.late);
        emit::OperatorLateSet(U256::from(id), st.late);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const D: u64 = 86_400;

    fn cfg() -> ExitConfig {
        ExitConfig::default()
    }

    #[test]
    fn one_stage_goes_late_after_the_exit_deadline_and_forcible_after_the_force_deadline() {
        let mut w = OperatorExits::default();
        add_requests(&mut w, 0, 3, 1_000, 0);
        assert_eq!((w.target, w.due, w.due_at, w.requested), (3, 3, 1_000, 3));
        let at = |t: u64, exited: u32| status(&w, exited, t, &cfg());
        assert!(!at(1_000 + 4 * D, 0).late, "exactly at the deadline: not yet");
        let s = at(1_000 + 4 * D + 1, 0);
        assert!(s.late && !s.forcible);
        assert_eq!((s.pending, s.overdue), (3, 3));
        assert!(!at(1_000 + 7 * D, 2).forcible);
        let s = at(1_000 + 7 * D + 1, 2);
        assert!(s.late && s.forcible);
        assert_eq!((s.pending, s.overdue), (1, 1));
        let s = at(1_000 + 30 * D, 3);
        assert!(!s.late && !s.forcible, "caught up");
        assert_eq!(s.pending, 0);
    }

    #[test]
    fn a_newer_stage_is_judged_from_its_latest_request_once_the_oldest_is_settled() {
        let mut w = OperatorExits::default();
        add_requests(&mut w, 5, 2, 0, 0); // exited 5: due at 7
        add_requests(&mut w, 5, 3, D, 0); // a second stage: target 10, stamped day 1
        add_requests(&mut w, 5, 1, 2 * D, 0); // merged, stamped day 2
        assert_eq!(
            (w.due, w.target, w.due_at, w.next_at, w.requested),
            (7, 11, 0, 2 * D as u32, 6)
        );
        // The oldest stage is late on day 4 + 1 s, whatever the newer one does.
        assert!(status(&w, 6, 4 * D + 1, &cfg()).late);
        // Settled: the newer stage counts from day 2, so it is not late on day 5.
        let s = status(&w, 7, 5 * D, &cfg());
        assert!(!s.late);
        assert_eq!((s.exits.due, s.exits.due_at, s.overdue, s.pending), (11, 2 * D as u32, 4, 4));
        assert!(status(&w, 7, 6 * D + 1, &cfg()).late);
        // More exits than requested (validators leaving on their own) settle everything.
        let s = status(&w, 40, 60 * D, &cfg());
        assert!(!s.late && s.pending == 0);
        // A new request after that starts a stage at the current exited count.
        let mut v = s.exits;
        add_requests(&mut v, 40, 2, 61 * D, 0);
        assert_eq!((v.due, v.target, v.due_at), (42, 42, 61 * D as u32));
    }

    #[test]
    fn the_overdue_stage_remembers_the_keys_it_asked() {
        let mut w = OperatorExits { cursor: 3, ..OperatorExits::default() };
        add_requests(&mut w, 0, 3, 10, 0);
        assert_eq!(w.due_cursor, 3, "keys 0..3 belong to the first stage");
        w.cursor = 5;
        add_requests(&mut w, 0, 2, 20, 0);
        assert_eq!((w.due_cursor, w.target), (3, 5), "the newer stage's keys are not overdue yet");
        advance(&mut w, 3);
        assert_eq!((w.due_cursor, w.due, w.due_at), (5, 5, 20), "promoted: keys 0..5");
    }

    #[test]
    fn settled_stages_move_the_forced_cursor_past_their_keys() {
        // Keys 0..3 asked; the operator settles by count (other validators exit).
        let mut w = OperatorExits { cursor: 3, ..OperatorExits::default() };
        add_requests(&mut w, 0, 3, 10, 0);
        w.cursor = 6;
        add_requests(&mut w, 0, 3, 20, 3);
        advance(&mut w, 3);
        assert_eq!((w.forced, w.due_cursor), (3, 6), "keys 0..3 are owed no more");
        // Everything settled; a new request from key 9 (7 and 8 skipped) starts a new stage.
        advance(&mut w, 6);
        w.cursor = 10;
        add_requests(&mut w, 6, 1, 30, 9);
        assert_eq!((w.forced, w.due_cursor, w.due), (9, 10, 7));
        // The cursor never moves back.
        let mut v = OperatorExits { cursor: 2, forced: 5, ..OperatorExits::default() };
        add_requests(&mut v, 0, 1, 1, 1);
        assert_eq!(v.forced, 5);
    }

    #[test]
    fn governance_deadlines_replace_the_defaults() {
        let c = ExitConfig { exit_deadline: 3_600, force_deadline: 7_200, ..ExitConfig::default() };
        assert_eq!((c.exit_deadline(), c.force_deadline()), (3_600, 7_200));
        assert_eq!(
            (cfg().exit_deadline(), cfg().force_deadline()),
            (u64::from(DEFAULT_EXIT_DEADLINE), u64::from(DEFAULT_FORCE_DEADLINE))
        );
        let mut w = OperatorExits::default();
        add_requests(&mut w, 0, 1, 100, 0);
        let s = status(&w, 0, 100 + 3_601, &c);
        assert!(s.late && !s.forcible);
        assert!(status(&w, 0, 100 + 7_201, &c).forcible);
    }
}
