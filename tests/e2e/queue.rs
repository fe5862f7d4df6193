//! The withdrawal queue on the release wasm: requests, finalization, claims.
#![allow(missing_docs)]

use alloy_primitives::{Address, U256};
use protocol_tests::{
    abi::{IStakingPool, IWithdrawalQueue},
    ether, Suite, ALICE, BOB,
};

const RATE_ONE: u128 = 1_000_000_000_000_000_000_000_000_000;

fn request(s: &mut Suite, who: Address, amounts: Vec<U256>) -> Vec<U256> {
    let total = amounts.iter().fold(U256::ZERO, |a, b| a + b);
    s.ok(who, s.pool, U256::ZERO, &IStakingPool::approveCall { spender: s.queue, amount: total });
    s.ok(
        who,
        s.queue,
        U256::ZERO,
        &IWithdrawalQueue::requestWithdrawalsCall { amounts, owner: Address::ZERO },
    )
    .0
    .requestIds
}

#[test]
fn a_request_is_finalized_and_claimed_for_exactly_its_ether() {
    let mut s = Suite::deploy();
    s.deposit(ALICE, ether(10));
    let ids = request(&mut s, ALICE, vec![ether(3)]);
    assert_eq!(ids, vec![U256::from(1)]);
    let owner = s.view(s.queue, &IWithdrawalQueue::ownerOfCall { tokenId: ids[0] })._0;
    assert_eq!(owner, ALICE);
    assert_eq!(s.balance_of(ALICE), ether(7));

    s.wait_for_finalization();
    let (pre, _) = s.ok(
        ADMIN_OR_POOL,
        s.queue,
        U256::ZERO,
        &IWithdrawalQueue::prefinalizeCall {
            batches: vec![U256::from(1)],
            maxShareRate: U256::from(RATE_ONE),
        },
    );
    assert_eq!(pre.ethToLock, ether(3));
    s.vm.set_balance(ADMIN_OR_POOL, ether(100));
    s.ok(
        ADMIN_OR_POOL,
        s.queue,
        ether(3),
        &IWithdrawalQueue::finalizeCall {
            lastIdToFinalize: U256::from(1),
            maxShareRate: U256::from(RATE_ONE),
        },
    );
    let before = s.vm.balance(ALICE);
    s.ok(ALICE, s.queue, U256::ZERO, &IWithdrawalQueue::claimWithdrawalCall { requestId: ids[0] });
    assert_eq!(s.vm.balance(ALICE) - before, ether(3));
    assert_eq!(s.view(s.queue, &IWithdrawalQueue::getLockedEtherAmountCall {})._0, U256::ZERO);
    let _ = BOB;
}

const ADMIN_OR_POOL: Address = protocol_tests::ADMIN;
