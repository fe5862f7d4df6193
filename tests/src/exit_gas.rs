//! The gas report's exit requests section (issue 18): delivering the committee's exit list
//! (`submitExitRequests`: the hash and length checks, the recorded bound, the bucket, one
//! `ValidatorExitRequest` per validator, the registry's words per operator named), and what
//! agreeing a list adds to the report (the shortfall bound's calls, slots 11 and 12).
//!
//! Steady state: the whole protocol (pool with its three programs, queue, registry, oracle)
//! with `operators` operators of which the last ten have validators (13 each), withdrawals
//! requested beyond the buffer, and a warm-up frame whose list already asked one validator of
//! each of those ten (so their exit words, the registry's exit word and the oracle's slots 11
//! and 12 hold values, as on mainnet after the first list). The measured frame's report
//! carries a list of `exits` validators spread evenly over the ten operators, its data is
//! processed, then the list is delivered: the delivery is the figure. Lido publishes no gas
//! figure for its ValidatorsExitBusOracle's `submitReportData` (docs/design/exits.md), so the
//! figures are absolute; the flatness pair compares 10 and 1,000 operators for the same
//! 10-validator list.

use alloy_primitives::{Address, U256};

use crate::{
    abi::IAccountingOracle as O,
    deploy::{ether, Suite, ALICE},
    oracle::{data_hash, exit_request, Oracle, Report, GWEI},
    validators::Validators,
};

/// Operators with validators.
const STAKED: u16 = 10;
/// Validators each staked operator runs.
const KEYS: u32 = 13;

/// The section's figures.
#[derive(Debug, Clone)]
pub struct ExitGas {
    /// Delivering 10 validators, 10 operators: (cached, uncached).
    pub ten: (u64, u64),
    /// Delivering 100 validators, 10 operators: (cached, uncached).
    pub hundred: (u64, u64),
    /// Delivering 10 validators with 1,000 operators (cached).
    pub ten_of_thousand: u64,
    /// The report data carrying the 10-validator list, and the same frame's data without a
    /// list in the twin run (cached): what agreeing a list adds to the report.
    pub data_with_list: (u64, u64),
}

impl ExitGas {
    /// 1,000 operators over 10, as a fraction.
    #[allow(clippy::cast_precision_loss, reason = "gas figures are far below 2^52")]
    pub fn flatness(&self) -> f64 {
        self.ten_of_thousand as f64 / self.ten.0 as f64
    }

    /// What each validator beyond the tenth adds (cached).
    pub fn per_validator(&self) -> u64 {
        (self.hundred.0 - self.ten.0) / 90
    }

    /// The bound: flat within 10%.
    pub fn meets_targets(&self) -> bool {
        (0.9..=1.1).contains(&self.flatness())
    }
}

fn ok(r: &stylus_vm::Receipt, what: &str) -> u64 {
    assert!(r.success, "{what}: {:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
    r.gas_used
}

/// The packed list asking `per` further validators of each staked operator, from key `from`.
fn list(v: &Validators, operators: u16, from: u32, per: u32) -> Vec<u8> {
    let mut out = Vec::new();
    for id in operators - STAKED + 1..=operators {
        for key in from..from + per {
            let b = v.batch_of(id, key).expect("a committed key");
            let pubkey = &b.pubkeys[(key - b.start) as usize];
            out.extend(exit_request(
                u64::from(id),
                key,
                u64::from(id) * 100 + u64::from(key),
                pubkey,
            ));
        }
    }
    out
}

/// One run: (data gas of the measured report, delivery gas) for `exits` validators with
/// `operators` operators; `with_list` false measures the twin report without a list.
fn run(operators: u16, exits: u32, cached: bool, with_list: bool) -> (u64, u64) {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, 3);
    let idle = operators - STAKED;
    for id in 1..=operators {
        assert_eq!(v.add_operator(&mut s, &format!("Operator {id}")), id);
        let keys = if id > idle { KEYS } else { 1 };
        ok(&v.commit(&mut s, id, keys), "commit");
        if id > idle {
            ok(&v.vet(&mut s, id, keys), "vet");
        }
    }
    let validators = usize::from(STAKED) * KEYS as usize;
    s.deposit(ALICE, ether(32) * U256::from(validators as u64 + 1));
    let mut left = validators;
    while left > 0 {
        let n = left.min(100);
        ok(&v.deposit(&mut s, n), "validator deposit");
        left -= n;
    }
    for id in (1..=idle).rev() {
        ok(&v.vet(&mut s, id, 1), "vet");
    }
    let o = Oracle::committee(&mut s, v.registry);
    s.set_fee_config(Address::repeat_byte(0x7E), 1_000, 500);
    // Withdrawals the warm-up's and the measured list's validators pay (the bound counts the
    // warm-up's as pending).
    let need = ether(32) * U256::from(u64::from(STAKED) + u64::from(exits) + 1);
    let (_, r) =
        s.request_withdrawals(ALICE, &vec![ether(800); need.div_ceil(ether(800)).to::<usize>()]);
    ok(&r, "requests");
    let programs = [
        s.manager,
        s.pool,
        s.pool_extension,
        s.pool_permit,
        s.queue,
        s.queue_extension,
        v.registry,
        v.extension,
        o.address,
        o.extension,
    ];
    for p in programs {
        s.vm.set_cached(p, cached);
    }
    let mut cl = validators as u64 * 32 * GWEI;
    let mut frame = |s: &mut Suite, exit_requests: Vec<u8>| {
        Oracle::advance_frames(s, 1);
        cl += cl / 10_000;
        let (deposited, _, _) = Report::beacon(s);
        let data = Report {
            validators: deposited,
            cl_balance_gwei: cl,
            exit_requests,
            ..Report::default()
        }
        .data(o.ref_slot(s));
        o.agree(s, data_hash(&data));
        ok(&o.submit(s, 0, &data), "report data")
    };
    // Warm-up: one validator of each staked operator.
    let warm = list(&v, operators, 0, 1);
    frame(&mut s, warm.clone());
    ok(&o.submit_exits(&mut s, ALICE, &warm), "warm-up list");
    // Measured.
    let measured = list(&v, operators, 1, exits / u32::from(STAKED));
    if !with_list {
        return (frame(&mut s, Vec::new()), 0);
    }
    let data = frame(&mut s, measured.clone());
    let r = o.submit_exits(&mut s, ALICE, &measured);
    let delivered = ok(&r, "the measured list");
    let st = s.view(o.address, &O::getExitRequestsStateCall {});
    assert!(st.delivered && st.count == U256::from(exits));
    (data, delivered)
}

/// Measures the section.
///
/// # Panics
///
/// When the wasm is missing or a step fails.
pub fn measure() -> ExitGas {
    let ten_cached = run(STAKED, 10, true, true);
    let ten = (ten_cached.1, run(STAKED, 10, false, true).1);
    let hundred = (run(STAKED, 100, true, true).1, run(STAKED, 100, false, true).1);
    let ten_of_thousand = run(1_000, 10, true, true).1;
    let without = run(STAKED, 10, true, false).0;
    ExitGas { ten, hundred, ten_of_thousand, data_with_list: (ten_cached.0, without) }
}

/// The section's markdown.
pub fn markdown(g: &ExitGas) -> String {
    let n = crate::gas::group;
    format!(
        "| operation | gas, cached | gas, uncached |\n|---|---:|---:|\n\
         | submitExitRequests, 10 validators of 10 operators | {} | {} |\n\
         | submitExitRequests, 100 validators of 10 operators | {} | {} |\n\
         | submitExitRequests, 10 validators, 1,000 operators | {} | – |\n\
         | report data agreeing a 10-validator list (the same report without one: {}) | {} | – |\n\n\
         Each validator beyond the tenth adds {} gas (its 64 calldata bytes, its \
         `ValidatorExitRequest` log, the hash's keccak words; the registry's writes are per \
         operator). With 1,000 operators the 10-validator list costs {:.3} x the 10-operator \
         figure (the issue's bound: within 10%): operators not named are never read.\n",
        n(g.ten.0),
        n(g.ten.1),
        n(g.hundred.0),
        n(g.hundred.1),
        n(g.ten_of_thousand),
        n(g.data_with_list.1),
        n(g.data_with_list.0),
        n(g.per_validator()),
        g.flatness()
    )
}
