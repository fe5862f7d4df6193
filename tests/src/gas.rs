//! The gas report's measurements: every hot operation run on the VM against the release wasm,
//! in cached and uncached program mode, beside Lido's figure.

use std::fmt::Write as _;

use alloy_primitives::U256;
use staking_math::sanity::Limits;
use stylus_vm::{GasBreakdown, Receipt};

use crate::{
    abi::{IStakingPool, IWithdrawalQueue},
    deploy::{ether, PoolReport, Suite, ALICE, BOB, CAROL, DAVE},
    lido::{self, Anchor},
};

/// One operation measured in both program modes.
#[derive(Debug, Clone)]
pub struct Measurement {
    /// What was measured and Lido's figure.
    pub anchor: Anchor,
    /// Transaction gas with the programs cached (ArbOS cache manager).
    pub cached: u64,
    /// Transaction gas with the programs not cached.
    pub uncached: u64,
    /// Where the cached gas went.
    pub breakdown: GasBreakdown,
}

impl Measurement {
    /// Cached gas as a fraction of Lido's.
    #[allow(clippy::cast_precision_loss)]
    pub fn ratio(&self) -> f64 {
        self.cached as f64 / self.anchor.lido as f64
    }

    /// Whether the cached figure meets the target (true when there is none).
    pub fn meets_target(&self) -> bool {
        self.anchor.target().is_none_or(|t| self.cached <= t)
    }
}

/// Runs `op` on a fresh suite prepared by `setup`, once with cached programs and once uncached.
fn measure(anchor: Anchor, setup: fn(&mut Suite), op: fn(&mut Suite) -> Receipt) -> Measurement {
    let run = |cached: bool| {
        let mut suite =
            Suite::deploy_with_limit(ether(150_000), ether(150_000) / U256::from(6_400));
        setup(&mut suite);
        for program in
            [suite.pool, suite.pool_extension, suite.manager, suite.queue, suite.queue_extension]
        {
            suite.vm.set_cached(program, cached);
        }
        let r = op(&mut suite);
        assert!(r.success, "{}: {:?}", anchor.operation, r.status);
        r
    };
    let cached = run(true);
    let uncached = run(false);
    Measurement {
        anchor,
        cached: cached.gas_used,
        uncached: uncached.gas_used,
        breakdown: cached.breakdown,
    }
}

/// What `with` costs beyond `without`, each run on its own fresh suite prepared by `setup`,
/// in both program modes; the breakdown is the difference part by part.
fn measure_extra(
    anchor: Anchor,
    setup: fn(&mut Suite),
    with: fn(&mut Suite) -> Receipt,
    without: fn(&mut Suite) -> Receipt,
) -> Measurement {
    let with = measure(anchor, setup, with);
    let without = measure(anchor, setup, without);
    let (a, b) = (&with.breakdown, &without.breakdown);
    let breakdown = GasBreakdown {
        intrinsic: a.intrinsic.saturating_sub(b.intrinsic),
        entry: a.entry.saturating_sub(b.entry),
        memory: a.memory.saturating_sub(b.memory),
        compute: a.compute.saturating_sub(b.compute),
        host: a.host.saturating_sub(b.host),
        storage: a.storage.saturating_sub(b.storage),
        logs: a.logs.saturating_sub(b.logs),
        calls: a.calls.saturating_sub(b.calls),
        precompiles: a.precompiles.saturating_sub(b.precompiles),
        evm: a.evm.saturating_sub(b.evm),
        refund: a.refund.saturating_sub(b.refund),
    };
    Measurement {
        anchor,
        cached: with.cached - without.cached,
        uncached: with.uncached - without.uncached,
        breakdown,
    }
}

fn holders(s: &mut Suite) {
    s.deposit(ALICE, ether(10));
    s.deposit(BOB, ether(1));
}

/// The share rate of the measurements' finalizations: 1 ether per share (1e27 precision).
pub const RATE_ONE: u128 = 1_000_000_000_000_000_000_000_000_000;

/// `n` requests of 1 ether by ALICE (who allows the queue far more than that).
pub fn request(s: &mut Suite, n: u64) -> Receipt {
    let amounts = vec![ether(1); usize::try_from(n).expect("small")];
    s.send(
        ALICE,
        s.queue,
        U256::ZERO,
        &IWithdrawalQueue::requestWithdrawalsCall {
            amounts,
            owner: alloy_primitives::Address::ZERO,
        },
    )
}

/// ALICE holds 100 ether of tokens, allows the queue 1,000 and has made one request before.
fn requester(s: &mut Suite) {
    s.deposit(ALICE, ether(100));
    s.ok(
        ALICE,
        s.pool,
        U256::ZERO,
        &IStakingPool::approveCall { spender: s.queue, amount: ether(1_000) },
    );
    assert!(request(s, 1).success);
}

/// Finalizes everything requested so far (by a report, at [`RATE_ONE`]), after the delay.
pub fn finalize_all(s: &mut Suite) -> Receipt {
    s.wait_for_finalization();
    let last = s.view(s.queue, &IWithdrawalQueue::getLastRequestIdCall {})._0;
    s.finalize(last, U256::from(RATE_ONE)).1
}

/// An earlier request finalized (so a checkpoint exists), then 10 pending requests.
fn ten_pending(s: &mut Suite) {
    requester(s);
    assert!(finalize_all(s).success);
    assert!(request(s, 10).success);
}

/// A report of the pool as it stands, under Lido's sanity limits, finalizing everything
/// requested so far at the pool's rate (`finalize`) or nothing (`!finalize`), once the
/// requests are past the minimum delay and Lido's request margin.
fn report(s: &mut Suite, finalize: bool) -> Receipt {
    s.wait_for_finalization();
    s.vm.advance_time(1);
    let last = s.view(s.queue, &IWithdrawalQueue::getLastRequestIdCall {})._0;
    let rate = s.share_rate();
    let mut report = PoolReport {
        limits: alloy_primitives::B256::from(Limits::LIDO.pack()),
        ..s.finalization_report(last, rate)
    };
    if !finalize {
        report.batches.clear();
    }
    s.handle_report(&report)
}

/// Ten requests finalized and unclaimed, after an earlier one was claimed.
fn ten_finalized(s: &mut Suite) {
    ten_pending(s);
    assert!(finalize_all(s).success);
    s.ok(
        ALICE,
        s.queue,
        U256::ZERO,
        &IWithdrawalQueue::claimWithdrawalCall { requestId: U256::from(1) },
    );
}

/// ALICE's transaction calling `call` on `to`.
fn alice_to<C: alloy_sol_types::SolCall>(
    s: &mut Suite,
    to: alloy_primitives::Address,
    call: &C,
) -> Receipt {
    s.send(ALICE, to, U256::ZERO, call)
}

/// Every operation of the report, in order.
pub fn measure_all() -> Vec<Measurement> {
    vec![
        measure(lido::DEPOSIT_FIRST, |_| {}, |s| s.deposit(CAROL, ether(1))),
        measure(lido::DEPOSIT_REPEAT, holders, |s| s.deposit(ALICE, ether(1))),
        measure(lido::TRANSFER_NEW, holders, |s| {
            alice_to(s, s.pool, &IStakingPool::transferCall { to: DAVE, amount: ether(1) })
        }),
        measure(lido::TRANSFER_EXISTING, holders, |s| {
            alice_to(s, s.pool, &IStakingPool::transferCall { to: BOB, amount: ether(1) })
        }),
        measure(lido::APPROVE, holders, |s| {
            alice_to(s, s.pool, &IStakingPool::approveCall { spender: DAVE, amount: ether(1) })
        }),
        measure(lido::REQUEST_X1, requester, |s| request(s, 1)),
        measure(lido::REQUEST_X10, requester, |s| request(s, 10)),
        measure_extra(lido::FINALIZE, ten_pending, |s| report(s, true), |s| report(s, false)),
        measure(lido::CLAIM, ten_finalized, |s| {
            alice_to(
                s,
                s.queue,
                &IWithdrawalQueue::claimWithdrawalCall { requestId: U256::from(2) },
            )
        }),
        measure(lido::CLAIM_NO_PRUNE, ten_finalized, |s| {
            alice_to(
                s,
                s.queue,
                &IWithdrawalQueue::claimWithdrawalCall { requestId: U256::from(5) },
            )
        }),
        measure(lido::CLAIM_X10, ten_finalized, |s| {
            let ids: Vec<U256> = (2..12u64).map(U256::from).collect();
            let last = s.view(s.queue, &IWithdrawalQueue::getLastCheckpointIndexCall {})._0;
            let hints = s
                .view(
                    s.queue,
                    &IWithdrawalQueue::findCheckpointHintsCall {
                        requestIds: ids.clone(),
                        firstIndex: U256::from(1),
                        lastIndex: last,
                    },
                )
                .hintIds;
            s.send(
                ALICE,
                s.queue,
                U256::ZERO,
                &IWithdrawalQueue::claimWithdrawalsCall { requestIds: ids, hints },
            )
        }),
    ]
}

/// The report as a Markdown table.
pub fn markdown(rows: &[Measurement]) -> String {
    let mut out = String::from(
        "| operation | gas, cached | gas, uncached | Lido | cached / Lido | target | met |\n|---|---:|---:|---:|---:|---:|:-:|\n",
    );
    for m in rows {
        let target =
            m.anchor.target().map_or_else(|| "–".to_owned(), |t| format!("≤ {}", group(t)));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:.2} | {} | {} |",
            m.anchor.operation,
            group(m.cached),
            group(m.uncached),
            group(m.anchor.lido),
            m.ratio(),
            target,
            if m.meets_target() { "yes" } else { "NO" },
        );
    }
    out
}

/// The cached breakdown of each operation as a Markdown table.
pub fn breakdown_markdown(rows: &[Measurement]) -> String {
    let mut out = String::from(
        "| operation | intrinsic | entry | memory | compute | host | storage | logs | calls | refund |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for m in rows {
        let b = &m.breakdown;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            m.anchor.operation,
            group(b.intrinsic),
            group(b.entry),
            group(b.memory),
            group(b.compute),
            group(b.host),
            group(b.storage),
            group(b.logs),
            group(b.calls),
            group(b.refund),
        );
    }
    out
}

/// `12345` -> `12,345`.
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The header of a section table with targets (see [`target_row`]).
pub const TARGET_TABLE_HEADER: &str = "| operation | gas, cached | gas, uncached | Lido | cached / Lido | target | met |\n|---|---:|---:|---:|---:|---:|:-:|\n";

/// One row of a section table: cached and uncached gas (uncached 0: not measured), Lido's
/// figure and the target, if any.
pub fn target_row(
    out: &mut String,
    name: &str,
    (cached, uncached): (u64, u64),
    lido: Option<u64>,
    target: Option<u64>,
) {
    use std::fmt::Write as _;
    #[allow(clippy::cast_precision_loss)]
    let ratio = lido.map_or_else(|| "–".to_owned(), |l| format!("{:.2}", cached as f64 / l as f64));
    let _ = writeln!(
        out,
        "| {name} | {} | {} | {} | {ratio} | {} | {} |",
        group(cached),
        if uncached == 0 { "–".to_owned() } else { group(uncached) },
        lido.map_or_else(|| "–".to_owned(), group),
        target.map_or_else(|| "–".to_owned(), |t| format!("≤ {}", group(t))),
        if target.is_none_or(|t| cached <= t) { "yes" } else { "NO" },
    );
}
