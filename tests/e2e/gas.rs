//! The gas targets of the foundation issues, measured on the release wasm (cached programs),
//! and the program-cache effect. The full table is `scripts/gas-report` (docs/gas.md).
#![allow(missing_docs)]

use protocol_tests::gas::{markdown, measure_all};

#[test]
fn hot_operations_meet_their_gas_targets_and_caching_is_cheaper() {
    let rows = measure_all();
    println!("{}", markdown(&rows));
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
