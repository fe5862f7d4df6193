//! `receiveBatch`: accepted only from the pool through the real Outbox, after the challenge
//! period, with exactly 32 ether a key.

use alloy_primitives::U256;
use alloy_sol_types::SolCall;
use l1_vault::{keys_commitment, StakingVault as V};
use worlds::abi::{AlreadySpent, UnknownRoot};

use crate::common::{ether, events, revert, Env, KEEPER, POOL, STRANGER};

#[test]
fn a_batch_from_the_pool_is_accepted_through_the_real_outbox_after_the_challenge_period() {
    let mut env = Env::new();
    let keys = env.keys(10);
    let index = env.send_batch(POOL, &keys, ether(320));
    let commitment = keys_commitment(&keys, &env.credentials);

    // Before the period the Outbox knows no root for it.
    let early = env.execute(index);
    revert::<UnknownRoot>(&early);
    assert_eq!(env.view(&V::batchCountCall {})._0, 0);

    env.wait_challenge_period();
    let receipt = env.execute(index);
    assert!(receipt.success, "{receipt:?}");
    println!(
        "L1 gas: Outbox.executeTransaction of a 10-key batch (receiveBatch) {}",
        receipt.gas_used
    );

    let received = events::<V::BatchReceived>(&receipt.logs, env.vault);
    assert_eq!(received.len(), 1);
    assert_eq!(
        (received[0].batchId, received[0].commitment, received[0].keys, received[0].amount),
        (U256::ZERO, commitment, U256::from(10), ether(320))
    );
    assert_eq!(env.batch(0), (commitment, 10, V::Status::Pending));
    assert_eq!(env.view(&V::batchCountCall {})._0, 1);
    assert_eq!(env.pending(), ether(320));
    assert_eq!(env.w.l1.balance(env.vault), ether(320));
    assert_eq!(env.view(&V::freeBalanceCall {})._0, U256::ZERO);
    // The storage layout the contract documents: slot 0 `pendingEther | bridgedToL2 << 128`,
    // slot 1 `batchCount | nonce << 64 | resumedAt << 128 | quorum << 192 | paused << 200`.
    assert_eq!(env.w.l1.storage(env.vault, U256::ZERO), ether(320));
    assert_eq!(env.w.l1.storage(env.vault, U256::from(1)), U256::from(1) | (U256::from(2) << 192));
    let ledger = env.w.eth_ledger().unwrap();
    assert!(ledger.is_balanced(), "{ledger:?}");

    // The same message again: the Outbox refuses it as spent.
    let twice = env.execute(index);
    assert_eq!(revert::<AlreadySpent>(&twice).index, U256::from(index));
    assert_eq!(env.view(&V::batchCountCall {})._0, 1);
    assert_eq!(env.pending(), ether(320));

    // A second batch gets the next id.
    let more = env.keys(1);
    let (id, _) = env.deliver_batch(&more);
    assert_eq!(id, 1);
    assert_eq!(env.batch(1).2, V::Status::Pending);
    assert_eq!(env.pending(), ether(352));
}

#[test]
fn a_batch_from_another_l2_sender_is_refused_and_its_ether_stays_in_the_bridge() {
    let mut env = Env::new();
    let keys = env.keys(1);
    let index = env.send_batch(STRANGER, &keys, ether(32));
    env.wait_challenge_period();
    let bridge_before = env.w.bridge_balance();
    let receipt = env.execute(index);
    let err = revert::<V::WrongL2Sender>(&receipt);
    assert_eq!((err.l2Sender, err.expected), (STRANGER, POOL));
    assert_eq!(env.view(&V::batchCountCall {})._0, 0);
    assert_eq!(env.w.l1.balance(env.vault), U256::ZERO);
    assert_eq!(env.w.bridge_balance(), bridge_before);
}

#[test]
fn a_batch_sent_to_the_vault_directly_is_refused() {
    let mut env = Env::new();
    let keys = env.keys(1);
    let call = V::receiveBatchCall {
        commitment: keys_commitment(&keys, &env.credentials),
        keys: U256::from(1),
    };
    let receipt = env.w.l1_call(KEEPER, env.vault, ether(32), call.abi_encode()).unwrap();
    assert_eq!(revert::<V::NotBridge>(&receipt).caller, KEEPER);
    assert_eq!(env.w.l1.balance(env.vault), U256::ZERO);
}

#[test]
fn a_batch_with_the_wrong_value_or_key_count_is_refused() {
    let mut env = Env::new();
    let keys = env.keys(2);
    let short = env.send_batch(POOL, &keys, ether(63));
    let empty = {
        let call = V::receiveBatchCall {
            commitment: keys_commitment(&keys, &env.credentials),
            keys: U256::ZERO,
        };
        env.l2_send(POOL, U256::ZERO, call.abi_encode());
        env.w.sends().len() as u64 - 1
    };
    let too_many = {
        let call = V::receiveBatchCall {
            commitment: keys_commitment(&keys, &env.credentials),
            keys: U256::from(101),
        };
        env.l2_send(POOL, ether(32 * 101), call.abi_encode());
        env.w.sends().len() as u64 - 1
    };
    env.wait_challenge_period();
    let err = revert::<V::WrongBatchValue>(&env.execute(short));
    assert_eq!((err.expected, err.actual), (ether(64), ether(63)));
    assert_eq!(revert::<V::InvalidKeyCount>(&env.execute(empty)).keys, U256::ZERO);
    assert_eq!(revert::<V::InvalidKeyCount>(&env.execute(too_many)).keys, U256::from(101));
    assert_eq!(env.view(&V::batchCountCall {})._0, 0);
    assert_eq!(env.pending(), U256::ZERO);
}
