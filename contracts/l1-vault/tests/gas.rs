//! The L1 gas of the vault's hot paths, printed (`cargo test -p l1-vault --test main gas:: --
//! --nocapture`), not asserted: the Outbox's execution of a 10-key batch, the guarded deposit
//! of 10 keys with Lido's mainnet guardian quorum (4 of 6), and `bridgeToL2`.

use alloy_primitives::U256;
use l1_vault::StakingVault as V;
use worlds::RelayConfig;

use crate::common::{ether, revert, Env, KEEPER, STRANGER};

/// The later issue's target for the outbox execution plus the guarded deposit of 10 keys:
/// 0.75 × Lido's 1,127,549.
const TARGET: u64 = 845_662;

#[test]
fn the_l1_gas_of_a_ten_key_batch_its_guarded_deposit_and_a_bridge_back_is_printed() {
    let mut env = Env::with(6, 4, false, RelayConfig::default());
    // A deposit contract that has seen deposits before (as mainnet's has): one earlier batch.
    let warm = env.keys(1);
    let (first, _) = env.deliver_batch(&warm);
    let att = env.attest(first, &[0, 1, 2, 3]);
    assert!(env.deposit(first, &warm, &att).success);

    let keys = env.keys(10);
    let (id, executed) = env.deliver_batch(&keys);
    let att = env.attest(id, &[0, 1, 2, 3]);
    let deposited = env.deposit(id, &keys, &att);
    assert!(deposited.success, "{deposited:?}");
    assert_eq!(env.deposit_count(), 11);

    assert!(env.w.l1_call(STRANGER, env.vault, ether(2), Vec::<u8>::new()).unwrap().success);
    let bridged = env.l1_call(KEEPER, &V::bridgeToL2Call {});
    assert!(bridged.success, "{bridged:?}");
    revert::<V::BelowMinimum>(&env.l1_call(KEEPER, &V::bridgeToL2Call {}));
    assert_eq!(env.w.l1.balance(env.vault), U256::ZERO);

    let total = executed.gas_used + deposited.gas_used;
    println!("L1 gas: Outbox.executeTransaction -> receiveBatch, 10 keys: {}", executed.gas_used);
    println!("L1 gas: depositBatch, 10 keys, quorum 4 of 6:            {}", deposited.gas_used);
    println!(
        "L1 gas: both: {total} (target {TARGET} = 0.75 x Lido's 1,127,549: {})",
        if total <= TARGET { "met" } else { "NOT met" }
    );
    println!("L1 gas: bridgeToL2 (retryable ticket to the pool):        {}", bridged.gas_used);
}
