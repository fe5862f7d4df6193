//! Random sequences of votes (and committee changes, processing, frame rolls) by up to 30
//! members against a naive model: a map member -> hash. After every step the two agree on each
//! hash's support, on each member's vote and on the consensus hash, and the events are exactly
//! the model's consensus transitions.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::votes::{h, Oracle, REF};
use crate::{
    consensus::{
        add_member, remove_member, reset_for_frame, set_quorum, start_processing, ConsensusChange,
        VoteOutcome,
    },
    errors::Error,
    frames::RoundTimes,
    storage::{MAX_MEMBERS, MAX_VARIANTS},
};

#[derive(Debug, Clone)]
enum Op {
    /// Member `m % members` votes hash `k` (1..=20: more than 15, so variants run out).
    Vote(u8, u8),
    /// Remove member `m % members`; the new quorum is the minimum plus `extra`.
    Remove(u8, u8),
    /// Add a member; the new quorum is the minimum plus `extra`.
    Add(u8),
    /// Set the quorum to `q` (valid or not).
    SetQuorum(u8),
    StartProcessing,
    NewFrame,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        20 => (any::<u8>(), 1..=20u8).prop_map(|(m, k)| Op::Vote(m, k)),
        // Few distinct hashes too, so quorums form often.
        20 => (any::<u8>(), 1..=3u8).prop_map(|(m, k)| Op::Vote(m, k)),
        1 => (any::<u8>(), 0..3u8).prop_map(|(m, e)| Op::Remove(m, e)),
        1 => (0..3u8).prop_map(Op::Add),
        2 => (0..=32u8).prop_map(Op::SetQuorum),
        1 => Just(Op::StartProcessing),
        1 => Just(Op::NewFrame),
    ]
}

/// The naive model.
struct Model {
    votes: Vec<Option<u8>>,
    quorum: u8,
    processing: bool,
    consensus: Option<u8>,
}

impl Model {
    fn counts(&self) -> BTreeMap<u8, u8> {
        let mut c = BTreeMap::new();
        for k in self.votes.iter().flatten() {
            *c.entry(*k).or_default() += 1;
        }
        c
    }

    /// The hash with a quorum now, if any.
    fn agreed(&self) -> Option<u8> {
        self.counts().into_iter().find(|&(_, n)| n >= self.quorum).map(|(k, _)| k)
    }

    /// Re-computes the consensus (unless processing) and returns the expected event.
    fn settle(&mut self) -> Option<ConsensusChange> {
        if self.processing {
            return None;
        }
        let now = self.agreed();
        let event = match (self.consensus, now) {
            (old, Some(k)) if old != Some(k) => Some(ConsensusChange::Reached {
                ref_slot: REF,
                report: h(k),
                support: self.counts()[&k],
            }),
            (Some(_), None) => Some(ConsensusChange::Lost { ref_slot: REF }),
            _ => None,
        };
        self.consensus = now;
        event
    }
}

fn min_quorum(members: u8) -> u8 {
    members / 2 + 1
}

fn check(o: &Oracle, m: &Model) {
    let members = u8::try_from(m.votes.len()).unwrap();
    assert_eq!(o.round.members, members);
    assert_eq!(o.round.quorum, m.quorum);
    assert_eq!(o.round.processing, m.processing);
    for (i, v) in m.votes.iter().enumerate() {
        let nibble = o.round.votes.get(u8::try_from(i).unwrap());
        let real = (nibble != 0).then(|| o.variants[usize::from(nibble) - 1]);
        assert_eq!(real, v.map(h), "member {i}");
    }
    for i in members..MAX_MEMBERS {
        assert_eq!(o.round.votes.get(i), 0, "nibble {i} past the committee");
    }
    let counts = m.counts();
    for k in 1..=20 {
        assert_eq!(o.support(h(k)), counts.get(&k).copied().unwrap_or(0), "support of {k}");
    }
    // Live indices hold distinct hashes.
    let tally = o.round.votes.tally();
    let live: Vec<_> = (1..=MAX_VARIANTS)
        .filter(|&v| tally[usize::from(v)] != 0)
        .map(|v| o.variants[usize::from(v) - 1])
        .collect();
    let mut distinct = live.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), live.len());
    assert_eq!(o.consensus(), m.consensus.map(h));
}

#[allow(
    clippy::many_single_char_names,
    reason = "o: the oracle, m: the model, n: members, q: a quorum, k: a hash"
)]
fn run(start_members: u8, extra: u8, ops: &[Op]) {
    let quorum = min_quorum(start_members) + extra;
    let mut o = Oracle::new(start_members, quorum);
    let mut m = Model {
        votes: vec![None; usize::from(start_members)],
        quorum,
        processing: false,
        consensus: None,
    };
    for op in ops {
        let n = u8::try_from(m.votes.len()).unwrap();
        match *op {
            Op::Vote(who, k) => {
                if n == 0 {
                    continue;
                }
                let who = who % n;
                let got = o.vote(who, h(k));
                let mine = m.votes[usize::from(who)];
                if m.processing {
                    if mine.is_some() {
                        assert!(matches!(got, Err(Error::ConsensusReportAlreadyProcessing(_))));
                    } else {
                        assert_eq!(got, Ok(VoteOutcome::Ignored));
                    }
                } else if mine == Some(k) {
                    assert!(matches!(got, Err(Error::DuplicateReport(_))));
                } else {
                    let others: std::collections::BTreeSet<u8> = m
                        .votes
                        .iter()
                        .enumerate()
                        .filter(|&(i, _)| i != usize::from(who))
                        .filter_map(|(_, v)| *v)
                        .collect();
                    if !others.contains(&k) && others.len() == usize::from(MAX_VARIANTS) {
                        assert!(matches!(got, Err(Error::TooManyReportVariants(_))), "{got:?}");
                        // §3.2: a refused hash could not have reached the quorum.
                        assert!(n - 15 < min_quorum(n));
                    } else {
                        m.votes[usize::from(who)] = Some(k);
                        let expected = m.settle();
                        match got {
                            Ok(VoteOutcome::Recorded(r)) => {
                                assert_eq!(r.consensus, expected);
                                assert_eq!(r.support, m.counts()[&k]);
                            }
                            other => panic!("{other:?}"),
                        }
                    }
                }
            }
            Op::Remove(who, extra) => {
                if n == 0 {
                    continue;
                }
                let who = who % n;
                let q = min_quorum(n - 1) + extra;
                let r = remove_member(&mut o.round, &mut o.variants, who, q, 0).unwrap();
                m.votes.swap_remove(usize::from(who));
                m.quorum = q;
                assert_eq!(r.moved_from, (who != n - 1).then_some(n - 1));
                assert_eq!(r.consensus, m.settle());
            }
            Op::Add(extra) => {
                let q = min_quorum(n + 1) + extra;
                let got = add_member(&mut o.round, &mut o.variants, q, 0);
                if n == MAX_MEMBERS {
                    assert!(matches!(got, Err(Error::TooManyMembers(_))));
                } else {
                    m.votes.push(None);
                    m.quorum = q;
                    assert_eq!(got, Ok((n, m.settle())));
                }
            }
            Op::SetQuorum(q) => {
                let got = set_quorum(&mut o.round, &mut o.variants, q);
                if q < min_quorum(n) {
                    assert!(matches!(got, Err(Error::QuorumTooSmall(_))));
                } else {
                    m.quorum = q;
                    assert_eq!(got, Ok(m.settle()));
                }
            }
            Op::StartProcessing => {
                let got = start_processing(&mut o.round);
                if m.processing {
                    assert!(matches!(got, Err(Error::RefSlotAlreadyProcessing(_))));
                } else if m.consensus.is_none() {
                    assert!(matches!(got, Err(Error::NoConsensusReportToProcess(_))));
                } else {
                    assert!(got.is_ok());
                    m.processing = true;
                }
            }
            Op::NewFrame => {
                // Same reference slot in the test, so events keep comparing with `REF`.
                let times =
                    RoundTimes { ref_slot: REF, deadline: 0, fast_lane_end: 0, fast_lane_start: 0 };
                let missed = reset_for_frame(&mut o.round, &times);
                assert_eq!(missed, (m.consensus.is_some() && !m.processing).then_some(REF));
                m.votes.iter_mut().for_each(|v| *v = None);
                m.processing = false;
                m.consensus = None;
            }
        }
        check(&o, &m);
    }
}

proptest! {
    // `PROPTEST_CASES` (scripts/fuzz's long mode) overrides the short count.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(512),
        ..ProptestConfig::default()
    })]

    #[test]
    fn votes_agree_with_a_map_of_member_to_hash(
        members in 1..=MAX_MEMBERS,
        extra in 0..2u8,
        ops in proptest::collection::vec(op(), 1..200),
    ) {
        run(members, extra, &ops);
    }
}

#[test]
fn thirty_members_running_out_of_variants_agree_with_the_model() {
    // Deterministic: 15 members open 15 variants, the rest try a 16th and then join one.
    let mut ops: Vec<Op> = (0..15).map(|i| Op::Vote(i, i + 1)).collect();
    ops.extend((15..30).map(|i| Op::Vote(i, 16)));
    ops.extend((15..30).map(|i| Op::Vote(i, 1)));
    ops.push(Op::StartProcessing);
    run(30, 0, &ops);
}
