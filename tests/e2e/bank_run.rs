//! The bank run of issue 18 (`protocol_tests::bank_run`): half the pooled ether requested in
//! one day, paid by asked exits, a forced exit through L1 and bridged ether, with a slashing
//! in between; every identity checked after every report inside the scenario.
#![allow(missing_docs)]

use protocol_tests::{bank_run, ether};

#[test]
fn half_the_pool_requested_in_a_day_is_paid_in_order_and_all_claimed() {
    let tl = bank_run::run(true);
    assert_eq!(tl.requested * alloy_primitives::U256::from(2), tl.pooled - tl.pooled % ether(1));
    assert_eq!(tl.requests, 4);
    // 960 ether needs 30 validators; the bound lets the committee ask at most one more.
    assert!(tl.asked >= 30 && tl.asked <= 31, "asked {}", tl.asked);
    assert!(tl.forced > 0, "the stubborn operator was forced out");
    assert!(tl.events.iter().any(|(_, e)| e.contains("is late")));
    assert!(tl.events.iter().any(|(_, e)| e.contains("caught up")));
    assert!(tl.events.iter().any(|(_, e)| e.contains("slashed")));
    // The stubborn operator's validators wait for the force deadline (7 days) and the
    // challenge period (6.4 days): the last claim comes within 16.5 days.
    assert!(
        tl.days_to_last_claim > 13.0 && tl.days_to_last_claim <= 16.5,
        "{}",
        tl.days_to_last_claim
    );
    println!("days to the last claim: {:.2}", tl.days_to_last_claim);
}
