//! The bank run (issue 18, docs/design/exits.md section 6), across both worlds: half of the
//! pooled ether is requested in one day; the committee asks for exits frame by frame
//! ([`crate::exit_planner`]); two operators exit what they are asked within a day, the third
//! never does and is forced out through L1 (the registry's `forceExits`, the Outbox after the
//! challenge period, the vault's EIP-7002 requests, the consensus layer); the exited ether is
//! bridged back, the requests are finalized in order and every one is claimed. A slashing
//! lands in the middle (its report in bunker mode). After every report the books hold against
//! both worlds ([`TwoWorlds::assert_accounted`]); after every other step the pool's identities
//! ([`TwoWorlds::assert_identities`]) and, each frame, the bridge's ledger
//! ([`TwoWorlds::assert_ledger`]). The scenario returns its timeline.
//!
//! `tests/e2e/bank_run.rs` checks it; `scripts/demo` prints it.

use alloy_primitives::U256;

use crate::{
    abi::{
        IAccountingOracle as O, INodeOperatorRegistry as R, IStakingPool as P,
        IWithdrawalQueue as Q,
    },
    deploy::events,
    ether, exit_planner,
    oracle::Report,
    two_worlds::{TwoWorlds, OUTSIDER},
    ALICE, BOB, CAROL,
};

/// Seconds in a day.
const DAY: u64 = 86_400;
/// Operators, and keys (validators) each.
pub const OPERATORS: u16 = 3;
/// Validators per operator.
pub const KEYS: u32 = 20;
/// The operator that never exits.
pub const STUBBORN: u16 = 3;

/// What happened, when.
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// `(days since the run began, what)`, in order.
    pub events: Vec<(f64, String)>,
    /// Ether requested, wei.
    pub requested: U256,
    /// Total pooled ether when the run began, wei.
    pub pooled: U256,
    /// Requests made, all claimed at the end.
    pub requests: usize,
    /// Validators the committee asked to exit.
    pub asked: usize,
    /// Validators forced out through L1.
    pub forced: usize,
    /// Reports processed during the run.
    pub reports: usize,
    /// Days from the run's requests to the last claim.
    pub days_to_last_claim: f64,
}

/// Runs the scenario; `print` writes each event as it happens.
///
/// # Panics
///
/// When a step fails or an identity does not hold.
pub fn run(print: bool) -> Timeline {
    let mut t = TwoWorlds::new();
    let (registry, queue, pool) = (t.v.registry, t.s.queue, t.s.pool);
    t.onboard(OPERATORS, KEYS);
    let n = usize::from(OPERATORS) * KEYS as usize;
    t.s.deposit(ALICE, ether(960));
    t.s.deposit(BOB, ether(640));
    t.s.deposit(CAROL, ether(320));
    let batch = t.send_batch(n);
    let (id, _) = t.deliver(&batch);
    assert!(t.deposit_batch(id, &batch).success);
    t.report();
    t.assert_accounted();

    let mut tl = Timeline {
        pooled: t.s.view(pool, &P::getTotalPooledEtherCall {})._0,
        ..Timeline::default()
    };
    let start = t.now();

    // Day 0: half the pooled ether is requested.
    let mut ids = Vec::new();
    for (who, amounts) in
        [(ALICE, vec![ether(320), ether(320)]), (BOB, vec![ether(160)]), (CAROL, vec![ether(160)])]
    {
        let (got, r) = t.s.request_withdrawals(who, &amounts);
        assert!(r.success);
        ids.extend(got.into_iter().map(|id| (who, id)));
        tl.requested += amounts.iter().fold(U256::ZERO, |a, b| a + b);
    }
    tl.requests = ids.len();
    let what = format!(
        "{} requests for {} ether: half of the {} ether pooled",
        ids.len(),
        tl.requested / ether(1),
        tl.pooled / ether(1)
    );
    log(&mut tl, start, print, t.now(), what);

    // (operator, key, asked at) of every validator the committee asked to exit.
    let mut asked: Vec<(u16, u32, u64)> = Vec::new();
    let mut forced_message: Option<(u64, u64)> = None; // (position, sent at)
    let mut claimed = vec![false; ids.len()];
    let mut slashed = false;
    let mut last_claim = start;
    for frame in 0..40 {
        // Operators 1 and 2 exit what they were asked a day before; the stubborn one never.
        let now = t.now();
        let mut exits: Vec<(u16, Vec<u32>, U256)> = Vec::new();
        for &(op, key, at) in &asked {
            if op != STUBBORN && now >= at + DAY {
                let pubkey = pubkey(&t, op, key);
                let paid = t.exit_key(&pubkey);
                if !paid.is_zero() {
                    match exits.iter_mut().find(|e| e.0 == op) {
                        Some(e) => {
                            e.1.push(key);
                            e.2 += paid;
                        }
                        None => exits.push((op, vec![key], paid)),
                    }
                }
            }
        }
        for (op, keys, paid) in exits {
            let what = format!(
                "operator {op} exits {} validators (keys {:?}): {} ether to the vault",
                keys.len(),
                keys,
                paid / ether(1)
            );
            log(&mut tl, start, print, now, what);
        }
        // A slashing on day 3: a validator of operator 1 not asked to exit loses 1 ether.
        let bunker = if !slashed && now >= start + 3 * DAY {
            let pubkey = pubkey(&t, 1, KEYS - 1);
            let v = t.beacon.validators.iter_mut().find(|v| v.pubkey == pubkey).expect("live");
            v.balance -= ether(1);
            slashed = true;
            log(
                &mut tl,
                start,
                print,
                now,
                "operator 1's key 19 is slashed: 1 ether lost (the next report in bunker mode)"
                    .into(),
            );
            true
        } else {
            false
        };
        // Forced exits, once the stubborn operator is forcible.
        let st =
            t.s.view(registry, &R::getOperatorExitStatusCall { operatorId: U256::from(STUBBORN) });
        if st.forcible && forced_message.is_none() {
            let (from, to): (u32, u32) = (st.nextForcedKey.to(), st.nextRequestKey.to());
            let overdue = st.pending.to::<u32>();
            let keys: Vec<u32> = (from..to).take(overdue.min(100) as usize).collect();
            let data: Vec<u8> = keys
                .iter()
                .flat_map(|&k| t.v.batch_of(STUBBORN, k).expect("a key").forced_entry(k))
                .collect();
            let call = R::forceExitsCall { operatorId: U256::from(STUBBORN), data: data.into() };
            let r = t.l2_send(OUTSIDER, registry, U256::ZERO, &call);
            assert!(r.success, "forceExits: 0x{}", alloy_primitives::hex::encode(&r.output));
            let sent = events::<P::ExitsRequestedOnL1>(&r);
            forced_message = Some((sent[0].position.to(), t.now()));
            tl.forced += keys.len();
            log(&mut tl, start, print, t.now(), format!(
                "operator {STUBBORN} is forcible: anyone forces its {} overdue validators out through L1 ({} L2 gas)",
                keys.len(),
                r.gas_used
            ));
        }
        if let Some((position, at)) = forced_message {
            if t.now() >= at + 6 * DAY {
                // A keeper executes the message after the challenge period; the vault's
                // EIP-7002 requests; the block's system call; the consensus layer exits them.
                t.el_rewards(ether(1) / U256::from(1_000_000));
                t.wait_executable(position);
                let r = t.execute(position);
                assert!(r.success, "the forced exits' message: {r:?}");
                let (gone, paid) = t.process_withdrawal_requests();
                log(&mut tl, start, print, t.now(), format!(
                    "the Outbox executes it; the vault's EIP-7002 requests exit {} validators: {} ether to the vault",
                    gone.len(),
                    paid / ether(1)
                ));
                t.assert_identities();
                forced_message = Some((u64::MAX, u64::MAX));
            }
        }
        // The keeper bridges the vault's free balance back.
        let (_, _, free, _) = t.vault_state();
        if !free.is_zero() {
            let (_, e) = t.bridge_to_l2();
            t.wait_l1_to_l2();
            log(
                &mut tl,
                start,
                print,
                t.now(),
                format!("the keeper bridges {} ether to L2", e.amount / ether(1)),
            );
        }
        t.assert_identities();

        // The frame's report: rewards, exits counted, late operators marked, what the buffer
        // covers finalized, and the exit list.
        t.accrue(ether(1) / U256::from(1_000));
        let figures = t.to_next_ref_slot();
        let exited = exited_counts(&mut t);
        let claimed_now = figures.unclaimed;
        let rate = t.s.share_rate();
        let batches = finalizable(&mut t, &ids, claimed_now);
        let list = exit_planner::plan(&mut t, claimed_now);
        let report = Report {
            exited,
            batches: batches.clone(),
            rate,
            bunker,
            exit_requests: list.clone(),
            ..TwoWorlds::report_of(&figures)
        };
        let r = t.process(&report);
        assert!(r.success, "report {frame}: 0x{}", alloy_primitives::hex::encode(&r.output));
        tl.reports += 1;
        t.assert_accounted();
        for e in events::<R::OperatorLateSet>(&r) {
            log(
                &mut tl,
                start,
                print,
                t.now(),
                format!(
                    "operator {} {}",
                    e.operatorId,
                    if e.late { "is late: no rewards, no deposits" } else { "caught up" }
                ),
            );
        }
        if let Some(last) = batches.last() {
            log(
                &mut tl,
                start,
                print,
                t.now(),
                format!("report {frame}: requests up to #{last} finalized"),
            );
        }
        if !list.is_empty() {
            let r = t.oracle.submit_exits(&mut t.s, OUTSIDER, &list);
            assert!(r.success, "exit list: 0x{}", alloy_primitives::hex::encode(&r.output));
            let reqs = events::<O::ValidatorExitRequest>(&r);
            for e in &reqs {
                asked.push((e.operatorId.to(), e.keyIndex.to(), t.now()));
            }
            tl.asked += reqs.len();
            log(
                &mut tl,
                start,
                print,
                t.now(),
                format!("report {frame}: the committee asks {} validators to exit", reqs.len()),
            );
        }
        // Owners claim what is finalized.
        for (i, &(who, id)) in ids.iter().enumerate() {
            if claimed[i] {
                continue;
            }
            let status =
                t.s.view(queue, &Q::getWithdrawalStatusCall { requestIds: vec![id] }).statuses;
            if status[0].isFinalized {
                let r = t.s.send(who, queue, U256::ZERO, &Q::claimWithdrawalCall { requestId: id });
                assert!(r.success, "claim #{id}");
                claimed[i] = true;
                last_claim = t.now();
            }
        }
        t.assert_identities();
        t.assert_ledger();
        if claimed.iter().all(|&c| c) {
            log(&mut tl, start, print, t.now(), "every request is claimed".into());
            break;
        }
    }
    assert!(claimed.iter().all(|&c| c), "every request claimed within 40 frames");
    tl.days_to_last_claim = days(last_claim - start);
    t.assert_accounted();
    tl
}

/// Seconds as days (exact below 2^52 s).
#[allow(clippy::cast_precision_loss, reason = "a scenario's seconds are far below 2^52")]
fn days(seconds: u64) -> f64 {
    seconds as f64 / DAY as f64
}

/// Records (and prints) an event at `now`.
fn log(tl: &mut Timeline, start: u64, print: bool, now: u64, what: String) {
    let day = days(now - start);
    if print {
        println!("  day {day:5.2}  {what}");
    }
    tl.events.push((day, what));
}

/// Operator `op`'s key `key`.
fn pubkey(t: &TwoWorlds, op: u16, key: u32) -> Vec<u8> {
    let b = t.v.batch_of(op, key).expect("a committed key");
    b.pubkeys[(key - b.start) as usize].to_vec()
}

/// Every operator's exited count on the consensus layer, with the operators whose late mark
/// must change (listed with their count unchanged): what the committee reports.
fn exited_counts(t: &mut TwoWorlds) -> Vec<(u64, u64)> {
    let registry = t.v.registry;
    let mut out = Vec::new();
    for op in 1..=OPERATORS {
        let o = t.s.view(registry, &R::getOperatorCall { operatorId: U256::from(op) });
        let deposited: u32 = o.deposited.to();
        let gone = (0..deposited)
            .filter(|&k| {
                let pk = pubkey(t, op, k);
                t.beacon.validators.iter().any(|v| v.pubkey == pk && v.exited)
            })
            .count() as u64;
        let st = t.s.view(registry, &R::getOperatorExitStatusCall { operatorId: U256::from(op) });
        if gone != o.exited.to::<u64>() || st.late != st.penalized {
            out.push((u64::from(op), gone));
        }
    }
    out
}

/// The requests the buffer and the report's claimed ether cover, in order: the batch ends.
fn finalizable(
    t: &mut TwoWorlds,
    ids: &[(alloy_primitives::Address, U256)],
    claimed: U256,
) -> Vec<U256> {
    let pool = t.s.pool;
    let queue = t.s.queue;
    let mut available = t.s.view(pool, &P::getBufferedEtherCall {})._0 + claimed;
    let mut last = None;
    for &(_, id) in ids {
        let s = t.s.view(queue, &Q::getWithdrawalStatusCall { requestIds: vec![id] }).statuses;
        if s[0].isFinalized {
            continue;
        }
        if s[0].amountOfStETH > available {
            break;
        }
        available -= s[0].amountOfStETH;
        last = Some(id);
    }
    last.into_iter().collect()
}
