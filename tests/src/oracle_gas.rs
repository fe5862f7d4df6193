//! The gas report's oracle section: the committee's votes.
//!
//! Steady state: a committee of 9 with quorum 5 (mainnet's), one earlier frame in which five
//! members reached consensus (so the round word and the first variant slot already hold
//! values, as in every frame after the first), the clock moved to the next frame. The first
//! vote of a frame also rolls the round to it; the fifth reaches the quorum.
//!
//! Report data: the whole protocol (pool and extension, queue and extension, registry and
//! extension, the deposit-contract double, 3 operators, 6 validators) with one warm-up report
//! already processed (fees minted to the treasury and the registry, requests finalized, so
//! every slot the measured reports write already holds a value, as on mainnet). Each measured
//! report has CL rewards (a fee is paid). "Data, 15 requests" finalizes 15 requests queued
//! over a day before; "one full round" is the five votes plus that data, Lido's "one full
//! oracle round, quorum 5 of 9"; the four late votes of the other members are shown apart.

use alloy_primitives::{address, Address, U256};

use crate::{
    abi::IStakingPoolExtension as X,
    deploy::{ether, Suite, ADMIN, ALICE, BOB, CAROL},
    gas::{target_row, TARGET_TABLE_HEADER},
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
}

impl OracleGas {
    /// Whether every target holds.
    pub fn meets_targets(&self) -> bool {
        self.member.0 <= MEMBER_VOTE_TARGET
            && self.closing.0 <= QUORUM_VOTE_TARGET
            && self.data_15.0 <= REPORT_DATA_TARGET
            && self.round.0 <= ROUND_TARGET
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

/// The protocol after a warm-up report, then two measured frames (module doc).
fn report_run(cached: bool) -> ReportRun {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, 3, 2);
    v.onboard(&mut s, 3, 8);
    for who in [ALICE, BOB, CAROL] {
        s.deposit(who, ether(100));
    }
    ok(&v.deposit(&mut s, 6), "validator deposit");
    let o = Oracle::setup(&mut s, 9, 5);
    o.connect(&mut s, v.registry);
    let pool = s.pool;
    s.ok(
        ADMIN,
        pool,
        U256::ZERO,
        &X::setFeeConfigCall {
            treasury: TREASURY,
            totalFeeBP: U256::from(1_000),
            operatorsFeeBP: U256::from(500),
        },
    );
    let (warm_ids, _) = s.request_withdrawals(BOB, &[ether(1), ether(1)]);
    let mut cl = 6 * 32 * GWEI;
    let frame = |s: &mut Suite, cl: &mut u64, batches: Vec<U256>| {
        Oracle::advance_frames(s, 1);
        *cl += *cl / 10_000; // 0.01% a day
        let (deposited, _, _) = Report::beacon(s);
        let rate = if batches.is_empty() { U256::ZERO } else { s.share_rate() };
        Report { validators: deposited, cl_balance_gwei: *cl, batches, rate, ..Report::default() }
            .data(o.ref_slot(s))
    };
    // Warm-up: fees minted, two requests finalized.
    let warm = frame(&mut s, &mut cl, vec![warm_ids[1]]);
    ok(&o.process(&mut s, &warm), "warm-up report");
    let (ids, _) = s.request_withdrawals(ALICE, &[ether(1); 15]);
    for p in programs(&s, &v, &o) {
        s.vm.set_cached(p, cached);
    }
    // Frame A: data finalizing nothing.
    let empty = frame(&mut s, &mut cl, Vec::new());
    o.agree(&mut s, data_hash(&empty));
    let data_0 = ok(&o.submit(&mut s, 0, &empty), "data, 0 requests");
    // Frame B: the five votes, data finalizing the 15 requests, the late votes.
    let full = frame(&mut s, &mut cl, vec![ids[14]]);
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
    out
}
