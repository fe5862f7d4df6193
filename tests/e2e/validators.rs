//! Operators, key batches and guarded deposits on the release wasm: the registry, the pool's
//! `depositBufferedEther` and the deposit contract double.

use alloy_primitives::U256;
use protocol_tests::{
    abi::{IDepositContract, INodeOperatorRegistry as R, IStakingPool},
    deploy::{events_from, Suite, ALICE},
    ether,
    validators::Validators,
};

fn setup(operators: u16, keys: u32) -> (Suite, Validators) {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, 6, 4);
    v.onboard(&mut s, operators, keys);
    s.deposit(ALICE, ether(10_000));
    (s, v)
}

#[test]
fn a_guarded_deposit_moves_buffered_ether_to_the_deposit_target() {
    let (mut s, v) = setup(3, 5);
    let pooled = s.view(s.pool, &IStakingPool::getTotalPooledEtherCall {})._0;
    let buffered = s.view(s.pool, &IStakingPool::getBufferedEtherCall {})._0;
    let r = v.deposit(&mut s, 4);
    assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
    assert_eq!(s.vm.balance(v.target), ether(128));
    assert_eq!(s.view(s.pool, &IStakingPool::getBufferedEtherCall {})._0, buffered - ether(128));
    assert_eq!(s.view(s.pool, &IStakingPool::getTotalPooledEtherCall {})._0, pooled);
    let deposits = events_from::<IDepositContract::DepositEvent>(&r, v.target);
    assert_eq!(deposits.len(), 4);
    let keys = events_from::<R::KeysDeposited>(&r, v.registry);
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].count, U256::from(4));
    let order: Vec<u64> =
        keys[0].allocation.chunks(6).map(|c| u64::from(u16::from_be_bytes([c[0], c[1]]))).collect();
    assert_eq!(order, vec![1, 2, 3, 1], "min-first, ties by id");
    assert_eq!(s.view(v.registry, &R::getTotalActiveValidatorsCall {})._0, U256::from(4));
}

#[test]
fn scratch_gas() {
    let (mut s, mut v) = setup(10, 20);
    let r = v.commit(&mut s, 1, 100);
    eprintln!("commit 100: {} {:?}", r.gas_used, r.breakdown);
    let r = v.deposit(&mut s, 1);
    eprintln!("deposit 1: {} {:?}", r.gas_used, r.breakdown);
    let r = v.deposit(&mut s, 10);
    eprintln!("deposit 10: {} {:?}", r.gas_used, r.breakdown);
    let r = v.deposit(&mut s, 10);
    eprintln!("deposit 10 again: {} {:?}", r.gas_used, r.breakdown);
}
