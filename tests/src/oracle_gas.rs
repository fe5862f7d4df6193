//! The gas report's oracle section: the committee's votes.
//!
//! Steady state: a committee of 9 with quorum 5 (mainnet's), one earlier frame in which five
//! members reached consensus (so the round word and the first variant slot already hold
//! values, as in every frame after the first), the clock moved to the next frame. The first
//! vote of a frame also rolls the round to it; the fifth reaches the quorum.
//!
//! Report data: the whole protocol (pool and extension, queue and extension, registry and
//! extension, the L1 vault's credentials, 3 operators, 6 validators sent to L1) with one warm-up report
//! already processed (fees minted to the treasury and the registry, requests finalized, so
//! every slot the measured reports write already holds a value, as on mainnet). Each measured
//! report has CL rewards (a fee is paid). "Data, 15 requests" finalizes 15 requests queued
//! over a day before; "one full round" is the five votes plus that data, Lido's "one full
//! oracle round, quorum 5 of 9"; the four late votes of the other members are shown apart.
//!
//! Operators: the same protocol with 10 and with 1,000 operators, two vetted keys each, the
//! last eight with a validator each (so every operator stays in the deposit order, and an
//! exit moves an operator from the back to behind all the idle ones: the farthest move). A
//! warm-up report exits one validator, then four reports without finalization: no exited
//! count changed, one operator's, four operators' (each with the hint an honest committee
//! computes), one without a hint and one with a stale hint (naming the last operator). The issue wants the cost flat in the number of operators
//! apart from the exited counts that changed; the gas report holds each hinted 1,000-operator
//! figure within 10% of its 10-operator one.

use std::fmt::Write as _;

use alloy_primitives::{address, Address, U256};

use crate::{
    deploy::{ether, Suite, ALICE, BOB, CAROL},
    gas::{group, target_row, TARGET_TABLE_HEADER},
    oracle::{data_hash, report, Oracle, Report, GWEI},
    validators::Validators,
};

/// Lido: an oracle member's report, the first of a frame.
pub const LIDO_FIRST_VOTE: u64 = 75_146;
/// Lido: an oracle member's report, not the first and not closing the quorum.
pub const LIDO_MEMBER_VOTE: u64 = 69_312;
/// Lido: the report that closes the quorum.
pub const LIDO_QUORUM_VOTE: u64 = 97_874;
/// The target for a member vote (0.55 x Lido's).
pub const MEMBER_VOTE_TARGET: u64 = 38_100;
/// The target for the quorum-closing vote (0.50 x Lido's).
pub const QUORUM_VOTE_TARGET: u64 = 48_900;
/// Lido: report data finalizing 15 requests.
pub const LIDO_REPORT_DATA: u64 = 632_935;
/// Lido: one full oracle round, quorum 5 of 9 (about).
pub const LIDO_ROUND: u64 = 1_080_000;
/// The target for report data finalizing 15 requests (0.40 x Lido's).
pub const REPORT_DATA_TARGET: u64 = 253_200;
/// The target for one full round (0.45 x Lido's).
pub const ROUND_TARGET: u64 = 486_000;
/// Where the protocol's part of the fee goes in the measured setup.
const TREASURY: Address = address!("0000000000000000000000000000000000007EA5");

/// The section's figures, each (cached, uncached).
#[derive(Debug, Clone)]
pub struct OracleGas {
    /// The first vote of a frame (it rolls the round).
    pub first: (u64, u64),
    /// A member's vote (the second of the frame).
    pub member: (u64, u64),
    /// The vote that reaches the quorum (the fifth).
    pub closing: (u64, u64),
    /// The five votes of a frame together.
    pub votes: (u64, u64),
    /// Report data finalizing nothing.
    pub data_0: (u64, u64),
    /// Report data finalizing 15 requests.
    pub data_15: (u64, u64),
    /// The five votes of that frame and its data.
    pub round: (u64, u64),
    /// The four late votes of the members outside the quorum (after processing started).
    pub late_votes: (u64, u64),
    /// Report data (cached, finalizing nothing) with 10 and with 1,000 operators: no exited
    /// count changed, one operator's changed, four operators' changed (with the committee's
    /// order hints), one changed without a hint, one changed with a stale hint.
    pub by_operators: [[u64; 5]; 2],
}

impl OracleGas {
    /// Whether every target holds.
    pub fn meets_targets(&self) -> bool {
        self.member.0 <= MEMBER_VOTE_TARGET
            && self.closing.0 <= QUORUM_VOTE_TARGET
            && self.data_15.0 <= REPORT_DATA_TARGET
            && self.round.0 <= ROUND_TARGET
            && self.flatness().iter().all(|f| (0.9..=1.1).contains(f))
    }

    /// Report data with 1,000 operators over the same with 10, for the hinted cases of
    /// [`OracleGas::by_operators`] (the issue: flat apart from exited counts that changed).
    #[allow(clippy::cast_precision_loss)]
    pub fn flatness(&self) -> [f64; 3] {
        let [ten, thousand] = self.by_operators;
        [0, 1, 2].map(|i| thousand[i] as f64 / ten[i] as f64)
    }

    /// What each further changed exited count adds to report data (1,000 operators: four
    /// changed less one changed, over three).
    pub fn per_exited_operator(&self) -> u64 {
        let [_, [_, one, four, ..]] = self.by_operators;
        four.saturating_sub(one) / 3
    }
}

/// Every protocol program of `s` and `v`, the oracle's included.
fn programs(s: &Suite, v: &Validators, o: &Oracle) -> Vec<Address> {
    vec![
        s.manager,
        s.pool,
        s.pool_extension,
        s.queue,
        s.queue_extension,
        v.registry,
        v.extension,
        o.address,
        o.extension,
    ]
}

/// Figures of one report run: [data 0, five votes x5, data 15, late votes x4].
struct ReportRun {
    data_0: u64,
    votes: [u64; 5],
    data_15: u64,
    late: [u64; 4],
}

fn ok(r: &stylus_vm::Receipt, what: &str) -> u64 {
    assert!(r.success, "{what}: {:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
    r.gas_used
}

/// The whole protocol (module doc): operators set up by `onboard`, `validators` validators
/// deposited, the committee connected, a 10% fee (half to operators), every program cached or
/// not.
fn protocol(
    onboard: impl FnOnce(&mut Suite, &mut Validators),
    validators: usize,
    cached: bool,
) -> (Suite, Validators, Oracle) {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, 3);
    onboard(&mut s, &mut v);
    for who in [ALICE, BOB, CAROL] {
        s.deposit(who, ether(100));
    }
    ok(&v.deposit(&mut s, validators), "validator deposit");
    let o = Oracle::committee(&mut s, v.registry);
    s.set_fee_config(TREASURY, 1_000, 500);
    for p in programs(&s, &v, &o) {
        s.vm.set_cached(p, cached);
    }
    (s, v, o)
}

/// The next frame's report: CL balance up 0.01% (a day's rewards, so a fee is paid),
/// finalizing up to `batches` at the current share rate, `exited` as given.
fn next_report(
    s: &mut Suite,
    o: &Oracle,
    cl: &mut u64,
    batches: Vec<U256>,
    exited: Vec<(u64, u64)>,
    hints: Vec<u64>,
) -> crate::abi::IAccountingOracle::ReportData {
    Oracle::advance_frames(s, 1);
    *cl += *cl / 10_000;
    let (deposited, _, _) = Report::beacon(s);
    let rate = if batches.is_empty() { U256::ZERO } else { s.share_rate() };
    Report {
        validators: deposited,
        cl_balance_gwei: *cl,
        batches,
        rate,
        exited,
        hints,
        ..Report::default()
    }
    .data(o.ref_slot(s))
}

/// The protocol after a warm-up report, then two measured frames (module doc).
fn report_run(cached: bool) -> ReportRun {
    let (mut s, _v, o) = protocol(|s, v| drop(v.onboard(s, 3, 8)), 6, cached);
    let (warm_ids, _) = s.request_withdrawals(BOB, &[ether(1), ether(1)]);
    let mut cl = 6 * 32 * GWEI;
    // Warm-up: fees minted, two requests finalized.
    let warm = next_report(&mut s, &o, &mut cl, vec![warm_ids[1]], Vec::new(), Vec::new());
    ok(&o.process(&mut s, &warm), "warm-up report");
    let (ids, _) = s.request_withdrawals(ALICE, &[ether(1); 15]);
    // Frame A: data finalizing nothing.
    let empty = next_report(&mut s, &o, &mut cl, Vec::new(), Vec::new(), Vec::new());
    o.agree(&mut s, data_hash(&empty));
    let data_0 = ok(&o.submit(&mut s, 0, &empty), "data, 0 requests");
    // Frame B: the five votes, data finalizing the 15 requests, the late votes.
    let full = next_report(&mut s, &o, &mut cl, vec![ids[14]], Vec::new(), Vec::new());
    let mut votes = [0; 5];
    for (i, gas) in votes.iter_mut().enumerate() {
        *gas = ok(&o.vote(&mut s, i, data_hash(&full)), "vote");
    }
    let data_15 = ok(&o.submit(&mut s, 0, &full), "data, 15 requests");
    let mut late = [0; 4];
    for (i, gas) in late.iter_mut().enumerate() {
        *gas = ok(&o.vote(&mut s, 5 + i, data_hash(&full)), "late vote");
    }
    assert!(o.consensus(&mut s).2, "processed");
    ReportRun { data_0, votes, data_15, late }
}

/// Operators with a validator in [`operators_run`].
const STAKED: u16 = 8;

/// Report data (cached, finalizing nothing) with `operators` operators (module doc): [no
/// exited count changed, one changed, four changed, one changed without a hint, one changed
/// with a stale hint].
fn operators_run(operators: u16) -> [u64; 5] {
    let idle = operators - STAKED;
    // Two keys each; only the last STAKED are vetted before the deposit, so they get the
    // validators (one each) and keep a key: they stay in the deposit order, behind the idle
    // operators once these are vetted. An exit moves one to the end of the idle ones.
    let (mut s, mut v, o) = protocol(
        |s, v| {
            for id in 1..=operators {
                assert_eq!(v.add_operator(s, &format!("Operator {id}")), id);
                ok(&v.commit(s, id, 2), "commit");
                if id > idle {
                    ok(&v.vet(s, id, 2), "vet");
                }
            }
        },
        usize::from(STAKED),
        true,
    );
    // Vetted from the last down, so each goes to the head (no walk in the setup).
    for id in (1..=idle).rev() {
        ok(&v.vet(&mut s, id, 2), "vet");
    }
    let staked: Vec<u64> = (idle + 1..=operators).map(u64::from).collect();
    for &id in &staked {
        assert_eq!(v.operator(&mut s, u16::try_from(id).expect("fits")).2, 1, "one validator");
    }
    let mut cl = u64::from(STAKED) * 32 * GWEI;
    // `hint`: None, the committee's; Some(h), h for every item.
    let mut report = |s: &mut Suite, v: &Validators, exiting: &[u64], hint: Option<u64>| {
        let exited: Vec<(u64, u64)> = exiting.iter().map(|&id| (id, 1)).collect();
        let hints = match hint {
            None => v.exit_hints(s, &exited),
            Some(h) => vec![h; exited.len()],
        };
        assert!(hints.iter().all(|&h| h != 0) || hint == Some(0), "each follows an operator");
        let data = next_report(s, &o, &mut cl, Vec::new(), exited, hints);
        o.agree(s, data_hash(&data));
        ok(&o.submit(s, 0, &data), "report data")
    };
    report(&mut s, &v, &staked[7..8], None); // warm-up
    let figures = [
        report(&mut s, &v, &[], None),
        report(&mut s, &v, &staked[6..7], None),
        report(&mut s, &v, &staked[2..6], None),
        report(&mut s, &v, &staked[1..2], Some(0)),
        // Stale: names the last operator, which sorts after the new place (as a hint does
        // when a deposit moved the hinted operator back before processing).
        report(&mut s, &v, &staked[0..1], Some(u64::from(operators))),
    ];
    // Every exit counted, and the order exact: everyone at 0 active validators, by id.
    let expected: Vec<U256> = (1..=operators).map(U256::from).collect();
    let order = s.view(v.registry, &crate::abi::INodeOperatorRegistry::getDepositQueueCall {})._0;
    assert_eq!(order, expected, "the deposit order after the exits");
    for &id in &staked {
        assert_eq!(v.operator(&mut s, u16::try_from(id).expect("fits")).3, 1, "{id} exited");
    }
    figures
}

/// A committee of 9, quorum 5, after one frame with a consensus, the clock in the next frame.
fn steady(cached: bool) -> (Suite, Oracle) {
    let mut s = Suite::deploy();
    let o = Oracle::setup(&mut s, 9, 5);
    Oracle::advance_frames(&mut s, 1);
    for i in 0..5 {
        let r = o.vote(&mut s, i, report(1));
        assert!(r.success, "warm-up vote {i}: {:?}", r.status);
    }
    Oracle::advance_frames(&mut s, 1);
    s.vm.set_cached(o.address, cached);
    (s, o)
}

/// Measures the section.
///
/// # Panics
///
/// When the wasm is missing or a vote fails.
pub fn measure() -> OracleGas {
    let mut gas = [[0u64; 5]; 2];
    for (c, cached) in [true, false].into_iter().enumerate() {
        let (mut s, o) = steady(cached);
        for (i, g) in gas[c].iter_mut().enumerate() {
            let r = o.vote(&mut s, i, report(2));
            assert!(
                r.success,
                "vote {i}: {:?} 0x{}",
                r.status,
                alloy_primitives::hex::encode(&r.output)
            );
            *g = r.gas_used;
        }
        let (_, agreed, _) = o.consensus(&mut s);
        assert_eq!(agreed, report(2), "the fifth vote reaches the quorum");
        assert!(o.ref_slot(&mut s) > U256::ZERO);
    }
    let pick = |i: usize| (gas[0][i], gas[1][i]);
    let (c, u) = (report_run(true), report_run(false));
    let round = |r: &ReportRun| r.votes.iter().sum::<u64>() + r.data_15;
    OracleGas {
        first: pick(0),
        member: pick(1),
        closing: pick(4),
        votes: (gas[0].iter().sum(), gas[1].iter().sum()),
        data_0: (c.data_0, u.data_0),
        data_15: (c.data_15, u.data_15),
        round: (round(&c), round(&u)),
        late_votes: (c.late.iter().sum(), u.late.iter().sum()),
        by_operators: [operators_run(10), operators_run(1_000)],
    }
}

/// The section as Markdown.
pub fn markdown(g: &OracleGas) -> String {
    let mut out = String::from(TARGET_TABLE_HEADER);
    let mut row = |name: &str, gas: (u64, u64), lido: Option<u64>, target: Option<u64>| {
        target_row(&mut out, name, gas, lido, target);
    };
    row("first vote of a frame (rolls the round)", g.first, Some(LIDO_FIRST_VOTE), None);
    row("member vote", g.member, Some(LIDO_MEMBER_VOTE), Some(MEMBER_VOTE_TARGET));
    row(
        "quorum-closing vote (5 of 9)",
        g.closing,
        Some(LIDO_QUORUM_VOTE),
        Some(QUORUM_VOTE_TARGET),
    );
    row(
        "the five votes of a frame",
        g.votes,
        Some(LIDO_FIRST_VOTE + 3 * LIDO_MEMBER_VOTE + LIDO_QUORUM_VOTE),
        None,
    );
    row("report data, finalizing nothing", g.data_0, None, None);
    row(
        "report data, finalizing 15 requests",
        g.data_15,
        Some(LIDO_REPORT_DATA),
        Some(REPORT_DATA_TARGET),
    );
    row(
        "one full round: 5 votes + data (15 requests)",
        g.round,
        Some(LIDO_ROUND),
        Some(ROUND_TARGET),
    );
    row("the other 4 members' late votes (after processing)", g.late_votes, None, None);
    let [ten, thousand] = g.by_operators;
    let cases = [
        "no exited count changed",
        "1 exited count changed",
        "4 exited counts changed",
        "1 exited count changed, no order hint",
        "1 exited count changed, stale order hint",
    ];
    for (i, case) in cases.iter().enumerate() {
        row(&format!("report data, 10 operators, {case}"), (ten[i], 0), None, None);
        row(&format!("report data, 1,000 operators, {case}"), (thousand[i], 0), None, None);
    }
    let [a, b, c] = g.flatness();
    let _ = writeln!(
        out,
        "\nFlatness (the issue: report cost flat from 10 to 1,000 operators apart from exited \
         counts that changed): report data with 1,000 operators costs {a:.3}, {b:.3} and \
         {c:.3} x the same report with 10 (target within 10%). Each further operator whose \
         exited count changed adds about {} gas. An exit moves the operator towards the head \
         of the deposit order; the report carries, per item, the operator it follows afterwards \
         (`exitedOrderHints`), so the registry places it reading two operators' words. Without the hint the \
         registry walks from the head (the operator lands behind {} others here). A stale \
         hint (one that sorts after the new place: the last operator here, {} places behind) \
         is walked back from while the head is walked forward from, a step each in turn, so it \
         costs at most twice the shorter walk. These reports finalize nothing and pay a fee; each operator has two keys, the \
         last {STAKED} a validator each; a warm-up report already exited one.",
        group(g.per_exited_operator()),
        group(1_000 - u64::from(STAKED)),
        STAKED - 1,
    );
    out
}
