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
        for program in [
            suite.pool,
            suite.pool_extension,
            suite.pool_permit,
            suite.manager,
            suite.queue,
            suite.queue_extension,
        ] {
            suite.vm.set_cached(program, cached);
        }
        if !suite.wrapped_token.is_zero() {
            suite.vm.set_cached(suite.wrapped_token, cached);
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
        measure(lido::WRAP_REPEAT, wrapper, wrap),
        measure(lido::UNWRAP_REPEAT, wrapper, unwrap),
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

// ------------------------------------------------------------------ the wrapped token

/// The ETH-to-wrapped target: one call, repeat holder (issue 17).
pub const ETH_TO_WRAPPED_TARGET: u64 = 72_000;
/// The wrapped token's permit target: repeat signer, new allowance (issue 17).
pub const WRAPPED_PERMIT_TARGET: u64 = 65_000;
/// ERC-4626 `deposit` / `redeem` may cost at most this much more than `wrap` / `unwrap`.
pub const VAULT_OVER_WRAP: f64 = 1.05;

/// The permit signer of the measurements ([`crate::wrapped::signer`]).
const PERMIT_KEY: u8 = 0x42;

/// The wrapped token deployed; ALICE holds 10 ether of the pool's token, has wrapped 2 and
/// unwrapped 1 (a repeat holder both ways), and has sent it 1 ether once; the permit signer has
/// used one permit (its nonce is 1).
fn wrapper(s: &mut Suite) {
    use crate::abi::IWrappedToken as W;
    let token = s.deploy_wrapped_token();
    s.deposit(ALICE, ether(10));
    s.ok(ALICE, token, U256::ZERO, &W::wrapCall { stETHAmount: ether(2) });
    s.ok(ALICE, token, U256::ZERO, &W::unwrapCall { wstETHAmount: ether(1) });
    assert!(s.vm.call(ALICE, token, ether(1), &[]).success, "ether to the token");
    assert!(permit(s, BOB).success, "the signer's first permit");
}

/// ALICE wraps 1 ether of the pool's token.
fn wrap(s: &mut Suite) -> Receipt {
    let call = crate::abi::IWrappedToken::wrapCall { stETHAmount: ether(1) };
    alice_to(s, s.wrapped_token, &call)
}

/// ALICE unwraps half a unit (0.5e18).
fn unwrap(s: &mut Suite) -> Receipt {
    let call = crate::abi::IWrappedToken::unwrapCall { wstETHAmount: ether(1) / U256::from(2) };
    alice_to(s, s.wrapped_token, &call)
}

/// ALICE relays the permit signer's signed permit for `spender` (1 ether, the signer's next
/// nonce, an hour's deadline).
fn permit(s: &mut Suite, spender: alloy_primitives::Address) -> Receipt {
    use crate::{abi::IWrappedToken as W, wrapped};
    let token = s.wrapped_token;
    let (key, owner) = wrapped::signer(PERMIT_KEY);
    let nonce = s.view(token, &W::noncesCall { owner })._0;
    let deadline = U256::from(s.vm.timestamp() + 3_600);
    let p = wrapped::Permit { owner, spender, value: ether(1), nonce, deadline };
    let (v, r, sig_s) = wrapped::sign_permit(&key, s.vm.chain_id(), token, &p);
    let call = W::permit_0Call { owner, spender, value: ether(1), deadline, v, r, s: sig_s };
    alice_to(s, token, &call)
}

/// The wrapped token's operations, cached and uncached, with where the cached gas goes.
#[derive(Debug, Clone)]
pub struct WrappedGas {
    /// `wrap`, repeat holder.
    pub wrap: Measurement,
    /// `unwrap`, repeat holder.
    pub unwrap: Measurement,
    /// Ether sent to the token (staked and wrapped in one call), repeat holder.
    pub eth: Measurement,
    /// `permit`, repeat signer, new allowance (relayed).
    pub permit: Measurement,
    /// ERC-4626 `deposit` of 1 ether, repeat holder, to itself.
    pub deposit: Measurement,
    /// ERC-4626 `redeem` of 0.5 units, repeat holder, to itself.
    pub redeem: Measurement,
}

/// A row without Lido's figure.
const fn ours(operation: &'static str) -> Anchor {
    Anchor { operation, lido: 0, target_ratio: None }
}

/// Measures the wrapped token's operations.
pub fn measure_wrapped() -> WrappedGas {
    use crate::abi::IWrappedToken as W;
    WrappedGas {
        wrap: measure(lido::WRAP_REPEAT, wrapper, wrap),
        unwrap: measure(lido::UNWRAP_REPEAT, wrapper, unwrap),
        eth: measure(ours("ether to the wrapped token, repeat holder"), wrapper, |s| {
            s.vm.call(ALICE, s.wrapped_token, ether(1), &[])
        }),
        permit: measure(ours("wrapped token permit, repeat signer, new allowance"), wrapper, |s| {
            permit(s, DAVE)
        }),
        deposit: measure(ours("ERC-4626 deposit, repeat holder"), wrapper, |s| {
            let call = W::depositCall { assets: ether(1), receiver: ALICE };
            alice_to(s, s.wrapped_token, &call)
        }),
        redeem: measure(ours("ERC-4626 redeem, repeat holder"), wrapper, |s| {
            let call =
                W::redeemCall { shares: ether(1) / U256::from(2), receiver: ALICE, owner: ALICE };
            alice_to(s, s.wrapped_token, &call)
        }),
    }
}

impl WrappedGas {
    /// The ERC-4626 targets: `VAULT_OVER_WRAP` times `wrap` and `unwrap` (rounded down).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss, clippy::cast_precision_loss)]
    pub fn vault_targets(&self) -> (u64, u64) {
        let t = |m: &Measurement| (m.cached as f64 * VAULT_OVER_WRAP) as u64;
        (t(&self.wrap), t(&self.unwrap))
    }

    /// Whether every row meets its target.
    pub fn meets_targets(&self) -> bool {
        let (deposit, redeem) = self.vault_targets();
        self.wrap.meets_target()
            && self.unwrap.meets_target()
            && self.eth.cached <= ETH_TO_WRAPPED_TARGET
            && self.permit.cached <= WRAPPED_PERMIT_TARGET
            && self.deposit.cached <= deposit
            && self.redeem.cached <= redeem
    }

    /// The section's tables: the rows with their targets, then where the cached gas goes.
    pub fn markdown(&self) -> String {
        let (deposit, redeem) = self.vault_targets();
        let mut out = String::from(TARGET_TABLE_HEADER);
        let mut row = |m: &Measurement, lido: Option<u64>, target: Option<u64>| {
            target_row(&mut out, m.anchor.operation, (m.cached, m.uncached), lido, target);
        };
        row(&self.wrap, Some(self.wrap.anchor.lido), self.wrap.anchor.target());
        row(&self.unwrap, Some(self.unwrap.anchor.lido), self.unwrap.anchor.target());
        row(&self.eth, None, Some(ETH_TO_WRAPPED_TARGET));
        row(&self.permit, None, Some(WRAPPED_PERMIT_TARGET));
        row(&self.deposit, None, Some(deposit));
        row(&self.redeem, None, Some(redeem));
        out.push('\n');
        out.push_str(&breakdown_markdown(&[
            self.wrap.clone(),
            self.unwrap.clone(),
            self.eth.clone(),
            self.permit.clone(),
            self.deposit.clone(),
            self.redeem.clone(),
        ]));
        out
    }
}

// ------------------------------------------------------------------ the pool's permit

/// The pool's permit target: repeat signer, new allowance (issue 17).
pub const POOL_PERMIT_TARGET: u64 = 65_000;

/// The pool's permit signer ([`crate::pool_permit::signed`]'s seed).
const POOL_PERMIT_KEY: u8 = 0x43;

/// The pool permit's signer holds 10 ether of tokens and has used one permit (for BOB): its
/// nonce is 1.
fn pool_permit_signer(s: &mut Suite) {
    let (_, owner) = crate::wrapped::signer(POOL_PERMIT_KEY);
    s.vm.set_balance(owner, ether(100));
    s.deposit(owner, ether(10));
    let (call, _) = crate::pool_permit::signed(s, POOL_PERMIT_KEY, BOB, ether(1));
    s.ok(ALICE, s.pool, U256::ZERO, &call);
}

/// ALICE relays the signer's permit for DAVE (no allowance yet): the signer's next nonce, an
/// hour's deadline, the `(v, r, s)` form.
fn pool_permit(s: &mut Suite) -> Receipt {
    let (call, _) = crate::pool_permit::signed(s, POOL_PERMIT_KEY, DAVE, ether(1));
    alice_to(s, s.pool, &call)
}

/// The pool's `permit`, repeat signer, new allowance, relayed: cached and uncached.
pub fn measure_pool_permit() -> Measurement {
    let anchor = Anchor {
        operation: "pool permit, repeat signer, new allowance",
        lido: 0,
        target_ratio: None,
    };
    measure(anchor, pool_permit_signer, pool_permit)
}

/// The pool permit's section: its row with the target, then where the cached gas goes.
pub fn pool_permit_markdown(m: &Measurement) -> String {
    let mut out = String::from(TARGET_TABLE_HEADER);
    target_row(
        &mut out,
        m.anchor.operation,
        (m.cached, m.uncached),
        None,
        Some(POOL_PERMIT_TARGET),
    );
    out.push('\n');
    out.push_str(&breakdown_markdown(std::slice::from_ref(m)));
    out
}
