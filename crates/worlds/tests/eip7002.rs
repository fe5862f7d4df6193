//! EIP-7002's withdrawal-request predeploy in the L1 world: its real code (as `alloy-eips`
//! ships it) answering the fee, queueing requests from any caller with the caller as source,
//! refusing malformed ones, releasing at most 16 per block through the system call (source,
//! pubkey and amount as the EIP encodes them), and raising its fee above the target of 2
//! requests a block. A module of the `worlds` test binary.

use alloy_primitives::{address, Address, Bytes, FixedBytes, U256};
use worlds::eip7002::{request_calldata, WithdrawalRequest, PREDEPLOY, SYSTEM_ADDRESS};
use worlds::L1;

const VAULT: Address = address!("0000000000000000000000000000000000007a17");

fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64.pow(18))
}

fn pubkey(n: u8) -> FixedBytes<48> {
    FixedBytes::repeat_byte(n)
}

fn world() -> L1 {
    let mut l1 = L1::new();
    l1.set_balance(VAULT, ether(10));
    l1
}

#[test]
fn the_predeploy_is_at_its_address_and_answers_a_fee_of_one_wei_when_idle() {
    let mut l1 = world();
    assert!(!l1.code(PREDEPLOY).is_empty());
    assert_eq!(l1.withdrawal_request_fee().unwrap(), U256::from(1));
    assert!(l1.dequeue_withdrawal_requests().unwrap().is_empty());
}

#[test]
fn a_request_is_queued_with_its_caller_as_source_and_released_by_the_system_call() {
    let mut l1 = world();
    let nonce = l1.nonce(SYSTEM_ADDRESS);
    let fee = l1.withdrawal_request_fee().unwrap();
    let full = l1.call(VAULT, PREDEPLOY, fee, request_calldata(&pubkey(1), 0)).unwrap();
    assert!(full.success, "{:?}", full.status);
    let partial = l1.call(VAULT, PREDEPLOY, fee, request_calldata(&pubkey(2), 1_000_000)).unwrap();
    assert!(partial.success, "{:?}", partial.status);
    // The fee stays with the predeploy (burned in effect: nobody can take it out).
    assert_eq!(l1.balance(PREDEPLOY), fee * U256::from(2));
    println!("a request costs {} gas (fee {fee} wei)", full.gas_used);

    let released = l1.dequeue_withdrawal_requests().unwrap();
    assert_eq!(
        released,
        vec![
            WithdrawalRequest { source: VAULT, pubkey: pubkey(1), amount_gwei: 0 },
            WithdrawalRequest { source: VAULT, pubkey: pubkey(2), amount_gwei: 1_000_000 },
        ]
    );
    // Released once; the system account neither paid nor moved its nonce.
    assert!(l1.dequeue_withdrawal_requests().unwrap().is_empty());
    assert_eq!(l1.nonce(SYSTEM_ADDRESS), nonce);
    assert_eq!(l1.balance(SYSTEM_ADDRESS), U256::ZERO);
}

#[test]
fn malformed_or_underpaid_requests_revert_and_queue_nothing() {
    let mut l1 = world();
    let fee = l1.withdrawal_request_fee().unwrap();
    let good = request_calldata(&pubkey(3), 0);
    let cases: Vec<(U256, Bytes)> = vec![
        // No fee.
        (U256::ZERO, good.clone()),
        // 55 and 57 bytes.
        (fee, Bytes::copy_from_slice(&good[..55])),
        (fee, [good.as_ref(), &[0u8]].concat().into()),
        // Value with empty calldata (the fee read takes none).
        (fee, Bytes::new()),
    ];
    for (value, data) in cases {
        let r = l1.call(VAULT, PREDEPLOY, value, data.clone()).unwrap();
        assert!(!r.success, "accepted {} bytes with {value} wei", data.len());
    }
    assert!(l1.dequeue_withdrawal_requests().unwrap().is_empty());
}

#[test]
fn at_most_16_requests_leave_a_block_and_the_fee_rises_above_the_target() {
    let mut l1 = world();
    let fee = l1.withdrawal_request_fee().unwrap();
    for n in 0..20u8 {
        let r = l1.call(VAULT, PREDEPLOY, fee, request_calldata(&pubkey(n), 0)).unwrap();
        assert!(r.success);
    }
    let first = l1.dequeue_withdrawal_requests().unwrap();
    assert_eq!(first.len(), 16);
    assert_eq!(first[0].pubkey, pubkey(0));
    // 20 requests against a target of 2: the excess is 18 and the fee
    // fake_exponential(1, 18, 17) = 2 wei.
    let raised = l1.withdrawal_request_fee().unwrap();
    assert!(raised > fee, "{fee} -> {raised}");
    assert_eq!(raised, U256::from(2));
    l1.advance_blocks(1);
    let second = l1.dequeue_withdrawal_requests().unwrap();
    assert_eq!(
        second.iter().map(|r| r.pubkey).collect::<Vec<_>>(),
        (16..20).map(pubkey).collect::<Vec<_>>()
    );
}
