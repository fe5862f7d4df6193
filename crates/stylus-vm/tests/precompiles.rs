//! The precompiles a staking suite calls, reached through a program's `call_contract`.

use crate::common::{setup, Script};
use sha2::{Digest, Sha256};
use stylus_vm::{
    alloy_primitives::{keccak256, Address, U256},
    precompiles::{block_hash, ARB_SYS},
};

fn call_data(to: Address, input: &[u8]) -> Script {
    Script::new().call(to, U256::ZERO, u64::MAX, input)
}

#[test]
fn ecrecover_returns_the_signer_for_3000_gas() {
    let (mut vm, alice, h) = setup(1);
    let key = k256::ecdsa::SigningKey::from_slice(&[42u8; 32]).unwrap();
    let point = key.verifying_key().to_encoded_point(false);
    let signer = Address::from_slice(&keccak256(&point.as_bytes()[1..])[12..]);
    let digest = keccak256(b"withdrawal #7");
    let (signature, id) = key.sign_prehash_recoverable(digest.as_slice()).unwrap();
    let mut input = digest.to_vec();
    input.extend_from_slice(&U256::from(27 + id.to_byte()).to_be_bytes::<32>());
    input.extend_from_slice(&signature.to_bytes());

    let r = vm.call(alice, h[0], U256::ZERO, call_data(Address::with_last_byte(1), &input).bytes());
    assert!(r.success);
    assert_eq!(r.output[0], 0);
    assert_eq!(&r.output[13..], signer.as_slice());
    assert_eq!(r.breakdown.precompiles, 3_000);
    // Precompiles are warm: the call itself costs a warm access.
    assert_eq!(r.breakdown.calls, 100);
}

#[test]
fn ecrecover_of_a_bad_signature_returns_nothing() {
    let (mut vm, alice, h) = setup(1);
    let r =
        vm.call(alice, h[0], U256::ZERO, call_data(Address::with_last_byte(1), &[0; 128]).bytes());
    assert_eq!(r.output.to_vec(), vec![0]);
}

#[test]
fn sha256_hashes_for_60_plus_12_per_word() {
    let (mut vm, alice, h) = setup(1);
    let input = [7u8; 100];
    let r = vm.call(alice, h[0], U256::ZERO, call_data(Address::with_last_byte(2), &input).bytes());
    assert_eq!(&r.output[1..], &Sha256::digest(input)[..]);
    assert_eq!(r.breakdown.precompiles, 60 + 12 * 4);
}

#[test]
fn arbsys_reports_the_block_number_and_recent_block_hashes() {
    let (mut vm, alice, h) = setup(1);
    vm.set_block_number(1_000);
    let number = keccak256("arbBlockNumber()")[..4].to_vec();
    let r = vm.call(alice, h[0], U256::ZERO, call_data(ARB_SYS, &number).bytes());
    assert_eq!(&r.output[1..], U256::from(1_000).to_be_bytes::<32>());

    let mut hash_of = |n: u64| {
        let mut input = keccak256("arbBlockHash(uint256)")[..4].to_vec();
        input.extend_from_slice(&U256::from(n).to_be_bytes::<32>());
        vm.call(alice, h[0], U256::ZERO, call_data(ARB_SYS, &input).bytes()).output
    };
    assert_eq!(&hash_of(999)[1..], block_hash(999).as_slice());
    assert_eq!(&hash_of(744)[1..], block_hash(744).as_slice());
    // The current block and blocks older than 256 revert with InvalidBlockNumber.
    let current = hash_of(1_000);
    assert_eq!(current[0], 2);
    assert_eq!(&current[1..5], &keccak256("InvalidBlockNumber(uint256,uint256)")[..4]);
    assert_eq!(hash_of(743)[0], 2);
}

#[test]
fn time_travel_moves_block_number_and_timestamp_together() {
    let (mut vm, _, _) = setup(0);
    let (block, time) = (vm.block_number(), vm.timestamp());
    vm.advance_blocks(10);
    assert_eq!((vm.block_number(), vm.timestamp()), (block + 10, time + 120));
    vm.advance_time(3_600);
    assert_eq!((vm.block_number(), vm.timestamp()), (block + 310, time + 3_720));
}
