//! Forced exits (issue 18, `docs/design/exits.md`): `triggerExits` on an L2 message from the
//! pool or governance requests full exits from EIP-7002's real predeploy (in the L1 world at
//! its address), with the vault as the requests' source (the withdrawal-credentials address the
//! consensus layer checks), each fee paid from the free balance and bounded by `maxExitFee`;
//! every refusal changes nothing and a refused message can be executed again later.

use alloy_primitives::{Address, Bytes, FixedBytes, U256};
use alloy_sol_types::SolCall;
use l1_vault::StakingVault as V;
use worlds::eip7002::{request_calldata, WithdrawalRequest, PREDEPLOY};

use crate::common::{ether, events, revert, Env, GOVERNANCE, KEEPER, POOL, STRANGER};

fn pubkey(n: u8) -> FixedBytes<48> {
    FixedBytes::repeat_byte(n)
}

fn pubkeys(ns: &[u8]) -> Bytes {
    ns.iter().flat_map(|&n| pubkey(n).0).collect::<Vec<u8>>().into()
}

/// The vault with `free` wei of free balance (validator withdrawals, say).
fn with_free(free: U256) -> Env {
    let mut env = Env::new();
    let balance = env.w.l1.balance(env.vault);
    env.w.l1.set_balance(env.vault, balance + free);
    env
}

fn trigger(ns: &[u8]) -> Vec<u8> {
    V::triggerExitsCall { pubkeys: pubkeys(ns) }.abi_encode()
}

#[test]
fn the_pool_or_governance_exits_validators_through_eip_7002_with_the_vault_as_source() {
    let mut env = with_free(ether(1));
    let vault = env.vault;
    assert_eq!(env.view(&V::WITHDRAWAL_REQUEST_PREDEPLOYCall {})._0, PREDEPLOY);
    assert_eq!(env.view(&V::maxExitFeeCall {})._0, 10_000_000_000_000_000u128);
    let fee = env.view(&V::exitFeeCall {})._0;
    assert_eq!(fee, U256::from(1), "an idle predeploy asks 1 wei");
    let before = env.w.l1.balance(vault);

    let r = env.message_from(POOL, trigger(&[1, 2]));
    assert!(r.success, "{r:?}");
    let logged = events::<V::ExitRequested>(&r.logs, vault);
    assert_eq!(
        logged.iter().map(|e| (e.pubkey.clone(), e.fee)).collect::<Vec<_>>(),
        vec![(Bytes::from(pubkey(1).0), fee), (Bytes::from(pubkey(2).0), fee)]
    );
    println!("triggerExits of 2 keys through the Outbox: {} L1 gas", r.gas_used);
    let r = env.governance(trigger(&[3]));
    assert!(r.success, "{r:?}");

    // The fees left the vault's free balance; nothing else did.
    assert_eq!(env.w.l1.balance(vault), before - fee * U256::from(3));
    // Block processing releases them with the vault as source: the consensus layer accepts
    // them for validators whose credentials name the vault.
    let released = env.w.l1.dequeue_withdrawal_requests().unwrap();
    let expected: Vec<WithdrawalRequest> = [1, 2, 3]
        .into_iter()
        .map(|n| WithdrawalRequest { source: vault, pubkey: pubkey(n), amount_gwei: 0 })
        .collect();
    assert_eq!(released, expected);
}

#[test]
fn only_the_pools_or_governances_message_triggers_exits() {
    let mut env = with_free(ether(1));
    let vault = env.vault;
    let e: V::WrongL2Sender = revert(&env.message_from(STRANGER, trigger(&[1])));
    assert_eq!((e.l2Sender, e.expected), (STRANGER, POOL));
    let direct = V::triggerExitsCall { pubkeys: pubkeys(&[1]) };
    let e: V::NotBridge = revert(&env.l1_call(KEEPER, &direct));
    assert_eq!(e.caller, KEEPER);
    assert!(env.w.l1.dequeue_withdrawal_requests().unwrap().is_empty());
    assert_eq!(env.view(&V::freeBalanceCall {})._0, env.w.l1.balance(vault));
}

#[test]
fn bad_lengths_are_refused() {
    let mut env = with_free(ether(1));
    let too_many: Vec<u8> = (0..=100u8).collect();
    for data in [
        V::triggerExitsCall { pubkeys: Bytes::new() }.abi_encode(),
        V::triggerExitsCall { pubkeys: Bytes::from(vec![7u8; 47]) }.abi_encode(),
        V::triggerExitsCall { pubkeys: Bytes::from(vec![7u8; 97]) }.abi_encode(),
        trigger(&too_many),
    ] {
        let r = env.governance(data);
        let _: V::InvalidPubkeysLength = revert(&r);
    }
    assert!(env.w.l1.dequeue_withdrawal_requests().unwrap().is_empty());
}

#[test]
fn a_fee_above_the_bound_waits_and_the_same_message_goes_through_once_the_fee_falls() {
    let mut env = with_free(ether(1));
    // Governance bounds the fee at 1 wei; a congested block raises the predeploy's fee.
    assert!(
        env.governance(V::setMaxExitFeeCall { newMaxExitFee: U256::from(1) }.abi_encode()).success
    );
    assert_eq!(env.view(&V::maxExitFeeCall {})._0, 1);
    env.l2_send_trigger(&[9]);
    let index = env.w.sends().len() as u64 - 1;
    env.wait_challenge_period();
    let spam = Address::repeat_byte(0x5a);
    env.w.l1.set_balance(spam, ether(1));
    for n in 0..40u8 {
        let r =
            env.w.l1.call(spam, PREDEPLOY, U256::from(1), request_calldata(&pubkey(n), 0)).unwrap();
        assert!(r.success);
    }
    env.w.l1.dequeue_withdrawal_requests().unwrap();
    let fee = env.view(&V::exitFeeCall {})._0;
    assert!(fee > U256::from(1), "congestion raised the fee to {fee}");
    let e: V::ExitFeeTooHigh = revert(&env.execute(index));
    assert_eq!((e.fee, e.max), (fee, U256::from(1)));

    // Blocks at the target let the excess fall; the unspent message is executed again.
    while env.view(&V::exitFeeCall {})._0 > U256::from(1) {
        env.w.l1.advance_blocks(1);
        env.w.l1.dequeue_withdrawal_requests().unwrap();
    }
    let r = env.execute(index);
    assert!(r.success, "{r:?}");
    assert_eq!(events::<V::ExitRequested>(&r.logs, env.vault).len(), 1);
}

#[test]
fn fees_come_from_the_free_balance_never_from_a_pending_batch() {
    let mut env = Env::new();
    let keys = env.keys(1);
    let (_, _) = env.deliver_batch(&keys);
    let vault = env.vault;
    assert_eq!(env.w.l1.balance(vault), ether(32), "only the batch's ether");
    let e: V::InsufficientFreeBalance = revert(&env.governance(trigger(&[1])));
    assert_eq!((e.free, e.fee), (U256::ZERO, U256::from(1)));
    assert_eq!(env.w.l1.balance(vault), ether(32));
}

#[test]
fn governance_sets_the_fee_bound_within_its_cap() {
    let mut env = Env::new();
    let cap = env.view(&V::MAX_EXIT_FEE_CAPCall {})._0;
    assert_eq!(cap, ether(1));
    let r = env.governance(V::setMaxExitFeeCall { newMaxExitFee: cap }.abi_encode());
    assert!(r.success);
    assert_eq!(events::<V::MaxExitFeeSet>(&r.logs, env.vault)[0].maxExitFee, cap);
    let over = V::setMaxExitFeeCall { newMaxExitFee: cap + U256::from(1) }.abi_encode();
    let e: V::InvalidMaxExitFee = revert(&env.governance(over));
    assert_eq!(e.maxExitFee, cap + U256::from(1));
    let e: V::WrongL2Sender = revert(
        &env.message_from(POOL, V::setMaxExitFeeCall { newMaxExitFee: U256::ZERO }.abi_encode()),
    );
    assert_eq!((e.l2Sender, e.expected), (POOL, GOVERNANCE));
    assert_eq!(env.view(&V::maxExitFeeCall {})._0, cap.to::<u128>());
}

impl Env {
    /// Governance sends `triggerExits(ns)` on L2 (not yet executed on L1).
    fn l2_send_trigger(&mut self, ns: &[u8]) {
        self.l2_send(GOVERNANCE, U256::ZERO, trigger(ns));
    }
}
