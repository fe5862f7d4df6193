//! The gas report's oracle section: the committee's votes.
//!
//! Steady state: a committee of 9 with quorum 5 (mainnet's), one earlier frame in which five
//! members reached consensus (so the round word and the first variant slot already hold
//! values, as in every frame after the first), the clock moved to the next frame. The first
//! vote of a frame also rolls the round to it; the fifth reaches the quorum.
//!
//! Report data (and with it "one full round" and "report data finalizing 15 requests") comes
//! with the report processing; until then the section shows the votes only.

use alloy_primitives::U256;

use crate::{
    deploy::Suite,
    gas::{target_row, TARGET_TABLE_HEADER},
    oracle::{report, Oracle},
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
}

impl OracleGas {
    /// Whether every target holds.
    pub fn meets_targets(&self) -> bool {
        self.member.0 <= MEMBER_VOTE_TARGET && self.closing.0 <= QUORUM_VOTE_TARGET
    }
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
    OracleGas {
        first: pick(0),
        member: pick(1),
        closing: pick(4),
        votes: (gas[0].iter().sum(), gas[1].iter().sum()),
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
    out.push_str(
        "\nReport data and the full round (votes + data) come with the report processing.\n",
    );
    out
}
