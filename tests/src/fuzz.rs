//! Seeded random runs for the invariant suites and the calldata fuzz: a short mode for CI and a
//! long mode for `scripts/fuzz`, with every sequence's seed recorded and failing seeds kept.
//!
//! A suite hands [`run`] a proptest strategy (or [`run_seeds`] a closure taking a seed) and its
//! short-mode count. Each sequence is generated from its own 64-bit seed, so one seed replays one
//! sequence exactly, whatever ran before it:
//!
//! 1. the seeds of `tests/regressions/<suite>.seeds` run first, in both modes (one seed per
//!    line, `0x` hex or decimal, `#` starts a comment);
//! 2. then `FUZZ_SEQUENCES` sequences (default: the suite's short count), the i-th seeded
//!    `splitmix64(base + i)` where `base` is `FUZZ_SEED` (default 0, so CI is deterministic)
//!    mixed with the suite's name.
//!
//! A failing sequence prints its seed, the command that replays it and the generated input,
//! and its seed is appended to the suite's regressions file (unless `FUZZ_NO_RECORD` is set),
//! so it runs first from then on. The run goes on past a failure (up to
//! `FUZZ_MAX_FAILURES`, default 1 in short mode and 10 otherwise) and then fails, naming every
//! failing seed.
//!
//! Environment: `FUZZ_SEQUENCES`, `FUZZ_SEED`, `FUZZ_REPLAY` (comma-separated seeds: run only
//! these), `FUZZ_JOBS` (worker threads, default 1), `FUZZ_NO_RECORD`, `FUZZ_MAX_FAILURES`.
//! No shrinking: a seed is replayed as it failed.

use std::{
    fmt::Debug,
    fs,
    io::Write,
    panic::{catch_unwind, AssertUnwindSafe},
    path::PathBuf,
    sync::{
        atomic::{AtomicUsize, Ordering},
        Mutex,
    },
    time::Instant,
};

use proptest::{
    strategy::{Strategy, ValueTree},
    test_runner::{Config as ProptestConfig, RngAlgorithm, TestRng, TestRunner},
};

/// One random suite: its name (the regressions file's stem), the cargo test target and filter
/// that run it alone (for the replay command) and its short-mode sequence count.
#[derive(Clone, Copy, Debug)]
pub struct Suite {
    /// Name of the suite, `tests/regressions/<name>.seeds`.
    pub name: &'static str,
    /// The `--test` target that runs it, with the test filter when the target holds other
    /// suites too (`e2e queue_invariants::`): the replay's `FUZZ_REPLAY` must reach no other.
    pub test: &'static str,
    /// Sequences in short mode (CI).
    pub short: u64,
}

/// What a run did: for the report and the tests of this module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Seeds from the regressions file that ran.
    pub regressions: usize,
    /// Sequences derived from the base seed that ran.
    pub sequences: u64,
    /// The base seed.
    pub base: u64,
    /// Seeds that failed.
    pub failed: Vec<u64>,
}

/// SplitMix64: the seed of the i-th sequence from the base seed.
pub fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a of the suite's name, so suites sharing a base seed draw different sequences.
fn name_hash(name: &str) -> u64 {
    name.bytes()
        .fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

/// Parses `0x…` hex or decimal.
pub fn parse_seed(s: &str) -> Option<u64> {
    let s = s.trim().replace('_', "");
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

fn env_u64(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    Some(parse_seed(&value).unwrap_or_else(|| panic!("{name}={value} is not a number")))
}

/// `tests/regressions/<suite>.seeds`.
pub fn regressions_path(suite: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("regressions").join(format!("{suite}.seeds"))
}

/// The seeds kept in the suite's regressions file (none when it does not exist).
///
/// # Panics
///
/// On a line that is not a seed.
pub fn regressions(suite: &str) -> Vec<u64> {
    let Ok(text) = fs::read_to_string(regressions_path(suite)) else { return Vec::new() };
    text.lines()
        .map(|l| l.split('#').next().unwrap_or_default().trim())
        .filter(|l| !l.is_empty())
        .map(|l| parse_seed(l).unwrap_or_else(|| panic!("{suite}.seeds: bad seed {l}")))
        .collect()
}

fn record(suite: &str, seed: u64, message: &str) {
    if std::env::var_os("FUZZ_NO_RECORD").is_some() || regressions(suite).contains(&seed) {
        return;
    }
    let path = regressions_path(suite);
    if let Some(dir) = path.parent() {
        let _ = fs::create_dir_all(dir);
    }
    let first_line = message.lines().next().unwrap_or_default();
    let note: String = first_line.chars().take(100).collect();
    if let Ok(mut f) = fs::OpenOptions::new().create(true).append(true).open(&path) {
        let _ = writeln!(f, "{seed:#018x} # {note}");
    }
}

fn panic_message(e: &(dyn std::any::Any + Send)) -> String {
    e.downcast_ref::<String>()
        .cloned()
        .or_else(|| e.downcast_ref::<&str>().map(|s| (*s).to_string()))
        .unwrap_or_else(|| "a panic without a message".into())
}

/// The proptest RNG of one sequence.
pub fn rng(seed: u64) -> TestRng {
    let mut bytes = [0u8; 32];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(&splitmix64(seed.wrapping_add(i as u64)).to_le_bytes());
    }
    TestRng::from_seed(RngAlgorithm::ChaCha, &bytes)
}

/// The value `strategy` draws for `seed`.
///
/// # Panics
///
/// If the strategy rejects every value it draws.
pub fn generate<S: Strategy>(strategy: &S, seed: u64) -> S::Value {
    let mut runner = TestRunner::new_with_rng(ProptestConfig::default(), rng(seed));
    strategy.new_tree(&mut runner).expect("the strategy draws a value").current()
}

/// Runs `body` on the value the strategy `make` builds draws for every seed of the suite (see
/// the module docs), and panics naming the failing seeds if any failed. The strategy is built
/// per sequence (proptest's boxed strategies cannot be shared between worker threads).
pub fn run<S, M, F>(suite: Suite, make: M, body: F) -> Summary
where
    S: Strategy,
    S::Value: Debug,
    M: Fn() -> S + Sync,
    F: Fn(S::Value) + Sync,
{
    run_seeds(suite, |seed| {
        let value = generate(&make(), seed);
        let shown = format!("{value:?}");
        if let Err(e) = catch_unwind(AssertUnwindSafe(|| body(value))) {
            let message = panic_message(e.as_ref());
            std::panic::resume_unwind(Box::new(format!("{message}\n  input: {shown}")));
        }
    })
}

/// Runs `body` on every seed of the suite (see the module docs), and panics naming the failing
/// seeds if any failed.
///
/// # Panics
///
/// When a sequence failed, after the run.
pub fn run_seeds<F: Fn(u64) + Sync>(suite: Suite, body: F) -> Summary {
    let replay: Option<Vec<u64>> = std::env::var("FUZZ_REPLAY").ok().map(|v| {
        v.split(',').map(|s| parse_seed(s).unwrap_or_else(|| panic!("FUZZ_REPLAY: {s}"))).collect()
    });
    let base = env_u64("FUZZ_SEED").unwrap_or(0);
    let count = env_u64("FUZZ_SEQUENCES").unwrap_or(suite.short);
    let long = count > suite.short;
    let max_failures = env_u64("FUZZ_MAX_FAILURES").unwrap_or(if long { 10 } else { 1 });
    let jobs = env_u64("FUZZ_JOBS").unwrap_or(1).max(1);
    let kept = if replay.is_some() { Vec::new() } else { regressions(suite.name) };
    let derived = |i: u64| splitmix64(base.wrapping_add(name_hash(suite.name)).wrapping_add(i));
    let seeds: Vec<u64> = match &replay {
        Some(seeds) => seeds.clone(),
        None => kept.iter().copied().chain((0..count).map(derived)).collect(),
    };

    let started = Instant::now();
    let next = AtomicUsize::new(0);
    let failed = Mutex::new(Vec::new());
    let failures = AtomicUsize::new(0);
    let worker = || loop {
        if failures.load(Ordering::Relaxed) as u64 >= max_failures {
            break;
        }
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(&seed) = seeds.get(i) else { break };
        if let Err(e) = catch_unwind(AssertUnwindSafe(|| body(seed))) {
            let message = panic_message(e.as_ref());
            eprintln!(
                "fuzz: {} sequence {seed:#018x} failed: {message}\n  replay: FUZZ_REPLAY={seed:#018x} \
                 cargo test -p protocol-tests --test {} -- --nocapture",
                suite.name, suite.test
            );
            if replay.is_none() {
                record(suite.name, seed, &message);
            }
            failures.fetch_add(1, Ordering::Relaxed);
            failed.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(seed);
        }
        let done = i + 1;
        if long && done.is_multiple_of(1_000) {
            eprintln!(
                "fuzz: {}: {done}/{} sequences, {:.0} s",
                suite.name,
                seeds.len(),
                started.elapsed().as_secs_f64()
            );
        }
    };
    std::thread::scope(|s| {
        for _ in 1..jobs {
            s.spawn(worker);
        }
        worker();
    });
    let failed = failed.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    let summary = Summary {
        regressions: kept.len(),
        sequences: if replay.is_some() { seeds.len() as u64 } else { count },
        base,
        failed: failed.clone(),
    };
    eprintln!(
        "fuzz: {}: {} regression seeds + {} sequences (base seed {base:#x}, {jobs} jobs) in {:.1} s, \
         {} failed",
        suite.name,
        summary.regressions,
        summary.sequences,
        started.elapsed().as_secs_f64(),
        failed.len()
    );
    assert!(
        failed.is_empty(),
        "{}: sequences failed (seeds kept in {}): {}",
        suite.name,
        regressions_path(suite.name).display(),
        failed.iter().map(|s| format!("{s:#018x}")).collect::<Vec<_>>().join(", ")
    );
    summary
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn one_seed_always_draws_the_same_sequence() {
        let strategy = prop::collection::vec(0u32..1_000, 5..20);
        assert_eq!(generate(&strategy, 42), generate(&strategy, 42));
        assert_ne!(generate(&strategy, 42), generate(&strategy, 43));
    }

    #[test]
    fn seeds_parse_as_hex_or_decimal() {
        assert_eq!(parse_seed("0x10"), Some(16));
        assert_eq!(parse_seed(" 16 "), Some(16));
        assert_eq!(parse_seed("0xdead_beef"), Some(0xdead_beef));
        assert_eq!(parse_seed("seed"), None);
    }

    #[test]
    fn splitmix64_spreads_neighbouring_seeds() {
        assert_ne!(splitmix64(0), splitmix64(1));
        assert_eq!(splitmix64(0), 0xe220_a839_7b1d_cdaf);
    }
}
