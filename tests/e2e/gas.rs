//! The gas targets of the issues, measured on the release wasm (cached programs),
//! and the program-cache effect. The full table is `scripts/gas-report` (docs/gas.md).
#![allow(missing_docs)]

use protocol_tests::gas::{breakdown_markdown, markdown, measure_all};

#[test]
fn hot_operations_meet_their_gas_targets_and_caching_is_cheaper() {
    let rows = measure_all();
    println!("{}\n{}", markdown(&rows), breakdown_markdown(&rows));
    for m in &rows {
        assert!(
            m.meets_target(),
            "{}: {} gas, target {:?}",
            m.anchor.operation,
            m.cached,
            m.anchor.target()
        );
        assert!(m.cached < m.anchor.lido, "{} is not cheaper than Lido", m.anchor.operation);
        assert!(m.uncached > m.cached, "{}: uncached should pay initGas", m.anchor.operation);
    }
}

#[test]
fn validator_batches_meet_their_gas_targets() {
    let g = protocol_tests::validator_gas::measure();
    println!("{}", protocol_tests::validator_gas::markdown(&g));
    let target = protocol_tests::validator_gas::ValidatorGas::deposit_10_target();
    assert_eq!(target, 390_000, "issue 16: 0.8 x the 487,559 of the guarded L2 deposit");
    assert!(
        g.deposit_10.0 <= target,
        "10-key batch to L1: {} gas, target {target}",
        g.deposit_10.0
    );
    // ArbSys's own share is part of the batch, measured in its frame.
    assert!(g.arbsys_10 > 0 && g.arbsys_10 < g.deposit_10.0 / 2, "ArbSys: {} gas", g.arbsys_10);
    let target = protocol_tests::validator_gas::ValidatorGas::per_key_target();
    assert!(g.per_key() <= target, "per key: {} gas, target {target}", g.per_key());
    assert!((0.9..=1.1).contains(&g.flatness()), "1,000 operators over 10: {}", g.flatness());
    assert!(g.meets_targets());
    assert!(g.deposit_1.1 > g.deposit_1.0, "uncached should pay initGas");
}

#[test]
fn oracle_votes_report_data_and_the_round_meet_their_gas_targets() {
    use protocol_tests::oracle_gas::{
        measure, MEMBER_VOTE_TARGET, QUORUM_VOTE_TARGET, REPORT_DATA_TARGET, ROUND_TARGET,
    };
    let g = measure();
    println!("{}", protocol_tests::oracle_gas::markdown(&g));
    assert!(g.member.0 <= MEMBER_VOTE_TARGET, "member vote: {} gas", g.member.0);
    assert!(g.closing.0 <= QUORUM_VOTE_TARGET, "quorum-closing vote: {} gas", g.closing.0);
    assert!(g.data_15.0 <= REPORT_DATA_TARGET, "report data, 15 requests: {} gas", g.data_15.0);
    assert!(g.round.0 <= ROUND_TARGET, "one full round: {} gas", g.round.0);
    assert!(g.data_15.0 > g.data_0.0, "finalizing costs more than not");
    for (f, case) in g.flatness().iter().zip(["no exits", "one exit", "four exits"]) {
        assert!((0.9..=1.1).contains(f), "report data, 1,000 operators over 10, {case}: {f}");
    }
    let [[.., ten_unhinted, _], [none, one, four, unhinted, stale]] = g.by_operators;
    assert!(none < one && one < four, "changed exited counts cost: {none}, {one}, {four}");
    assert!(unhinted > 2 * one && unhinted > 2 * ten_unhinted, "without hints the walk shows");
    // The stale hint is 7 places behind: walked back from, not 992 forward from the head.
    assert!(stale < one + 50_000, "a stale hint near the place: {stale} against {one}");
    assert!(g.meets_targets());
    assert!(g.member.1 > g.member.0, "uncached should pay initGas");
}

#[test]
fn the_l1_leg_meets_its_gas_target_and_later_bridges_and_receipts_cost_no_more() {
    use protocol_tests::l1_gas::{measure, L1_TARGET_10};
    let g = measure();
    println!("{}", protocol_tests::l1_gas::markdown(&g));
    assert!(g.batch_10() <= L1_TARGET_10, "10-key batch on L1: {} gas", g.batch_10());
    assert!(g.meets_targets());
    assert!(g.batch_1() < g.batch_10(), "one key costs less than ten");
    assert!(g.bridge_repeat.gas < g.bridge_first.gas, "the counters' slot is written already");
    // The counter's slot holds the vault's address from setL1Vault: never written from zero.
    assert!(g.receive_repeat.0 <= g.receive_first.0, "a repeat receipt costs no more");
    assert!(g.receive_repeat_uncached.0 > g.receive_repeat.0, "uncached should pay initGas");
    for t in [g.execute_10, g.deposit_10, g.execute_1, g.deposit_1, g.bridge_first] {
        assert!(t.intrinsic > 21_000 && t.intrinsic < t.gas, "{t:?}");
    }
}

#[test]
fn the_wrapped_tokens_operations_meet_their_gas_targets() {
    use protocol_tests::gas::{measure_wrapped, ETH_TO_WRAPPED_TARGET, WRAPPED_PERMIT_TARGET};
    let g = measure_wrapped();
    println!("{}", g.markdown());
    assert_eq!(g.wrap.anchor.target(), Some(64_536), "issue 17: 0.70 x wstETH's 92,195");
    assert_eq!(g.unwrap.anchor.target(), Some(63_835), "issue 17: 0.70 x wstETH's 91,194");
    for m in [&g.wrap, &g.unwrap] {
        assert!(
            m.meets_target(),
            "{}: {} gas, target {:?}",
            m.anchor.operation,
            m.cached,
            m.anchor.target()
        );
    }
    assert!(g.eth.cached <= ETH_TO_WRAPPED_TARGET, "ether to wrapped: {} gas", g.eth.cached);
    assert!(g.permit.cached <= WRAPPED_PERMIT_TARGET, "permit: {} gas", g.permit.cached);
    let (deposit, redeem) = g.vault_targets();
    assert!(
        g.deposit.cached <= deposit,
        "deposit: {} gas, wrap {}",
        g.deposit.cached,
        g.wrap.cached
    );
    assert!(
        g.redeem.cached <= redeem,
        "redeem: {} gas, unwrap {}",
        g.redeem.cached,
        g.unwrap.cached
    );
    assert!(g.meets_targets());
    // A wrap and an unwrap are one call into the pool each.
    assert!(g.wrap.breakdown.calls > 0 && g.unwrap.breakdown.calls > 0, "{:?}", g.wrap.breakdown);
    assert!(g.wrap.uncached > g.wrap.cached, "uncached should pay initGas");
}

#[test]
fn the_pool_permit_meets_its_gas_target_through_the_permit_program() {
    use protocol_tests::gas::{measure_pool_permit, pool_permit_markdown, POOL_PERMIT_TARGET};
    let m = measure_pool_permit();
    println!("{}", pool_permit_markdown(&m));
    assert!(
        m.cached <= POOL_PERMIT_TARGET,
        "pool permit: {} gas, target {POOL_PERMIT_TARGET}",
        m.cached
    );
    assert!(m.uncached > m.cached, "uncached should pay initGas");
    // Two programs entered, the core and the permit program, not the extension.
    assert!(m.breakdown.entry > 0 && m.breakdown.calls > 0, "{:?}", m.breakdown);
}

#[test]
fn exit_lists_cost_per_validator_and_stay_flat_in_the_number_of_operators() {
    let g = protocol_tests::exit_gas::measure();
    println!("{}", protocol_tests::exit_gas::markdown(&g));
    assert!(g.meets_targets(), "1,000 operators over 10: {}", g.flatness());
    assert!(g.hundred.0 > g.ten.0, "a longer list costs more");
    assert!(g.ten.1 > g.ten.0 && g.hundred.1 > g.hundred.0, "uncached pays initGas");
    assert!(g.data_with_list.0 > g.data_with_list.1, "agreeing a list writes its hash");
    // Each further validator: its calldata, its log and its share of the hash, no storage.
    assert!(g.per_validator() < 6_000, "{} gas per validator", g.per_validator());
}
