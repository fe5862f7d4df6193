//! `requestWithdrawals` and `requestWithdrawalsSplit`: bounds, the pull from the pool, the
//! share split, ids, owners and events.

use super::*;
use crate::{errors::*, events::*};

#[motsu::test]
fn a_request_records_its_amount_and_shares_and_mints_an_nft_to_the_caller(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let got = queue.sender(alice).request_withdrawals(&[ether(1)], Address::ZERO).motsu_unwrap();
    assert_eq!(got, ids(&[1]));

    let q = queue.sender(alice);
    assert_eq!(q.get_last_request_id(), id(1));
    assert_eq!(q.owner_of(id(1)).motsu_unwrap(), alice);
    assert_eq!(q.balance_of(alice).motsu_unwrap(), id(1));
    assert_eq!(q.get_withdrawal_requests(alice), ids(&[1]));
    assert_eq!(status(&queue, 1), (ether(1), ether(1), alice, now(), false, false));
    assert_eq!(q.unfinalized_st_eth(), ether(1));
    assert_eq!(q.unfinalized_request_number(), id(1));
    assert_eq!(q.get_locked_ether_amount(), U256::ZERO);
    // One pull of the amount, from the caller into the queue.
    assert_eq!(pool.sender(alice).calls(), id(1));
    assert_eq!(pool.sender(alice).last_pull(), (alice, queue.address(), ether(1)));

    queue.assert_emitted(&WithdrawalRequested {
        requestId: id(1),
        requestor: alice,
        owner: alice,
        amountOfStETH: ether(1),
        amountOfShares: ether(1),
    });
    queue.assert_emitted(&Transfer { from: Address::ZERO, to: alice, tokenId: id(1) });
}

#[motsu::test]
fn a_request_can_mint_its_nft_to_another_owner(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    setup(&queue, &pool, &manager, admin);
    queue.sender(alice).request_withdrawals(&[ether(2)], bob).motsu_unwrap();

    let q = queue.sender(alice);
    assert_eq!(q.owner_of(id(1)).motsu_unwrap(), bob);
    assert_eq!(q.balance_of(bob).motsu_unwrap(), id(1));
    assert_eq!(q.balance_of(alice).motsu_unwrap(), U256::ZERO);
    assert_eq!(q.get_withdrawal_requests(alice), Vec::<U256>::new());
    // The tokens come from the caller, not from the owner.
    assert_eq!(pool.sender(alice).last_pull(), (alice, queue.address(), ether(2)));
    queue.assert_emitted(&WithdrawalRequested {
        requestId: id(1),
        requestor: alice,
        owner: bob,
        amountOfStETH: ether(2),
        amountOfShares: ether(2),
    });
    queue.assert_emitted(&Transfer { from: Address::ZERO, to: bob, tokenId: id(1) });
}

#[motsu::test]
fn several_amounts_make_consecutive_ids_with_one_pull_of_their_total(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let got = request(&queue, alice, &[MIN, ether(1), ether(5)]);
    assert_eq!(got, ids(&[1, 2, 3]));
    assert_eq!(pool.sender(alice).calls(), id(1));
    assert_eq!(pool.sender(alice).last_pull(), (alice, queue.address(), MIN + ether(6)));

    // Ids go on across callers.
    assert_eq!(request(&queue, bob, &[ether(3)]), ids(&[4]));
    let q = queue.sender(alice);
    assert_eq!(q.get_withdrawal_requests(alice), ids(&[1, 2, 3]));
    assert_eq!(q.get_withdrawal_requests(bob), ids(&[4]));
    assert_eq!(q.balance_of(alice).motsu_unwrap(), id(3));
    assert_eq!(q.unfinalized_st_eth(), MIN + ether(9));
    assert_eq!(q.unfinalized_request_number(), id(4));
    assert_eq!(status(&queue, 1), (MIN, MIN, alice, now(), false, false));
    assert_eq!(status(&queue, 3), (ether(5), ether(5), alice, now(), false, false));
    assert_eq!(status(&queue, 4), (ether(3), ether(3), bob, now(), false, false));
    for (n, amount) in [(1, MIN), (2, ether(1)), (3, ether(5))] {
        queue.assert_emitted(&WithdrawalRequested {
            requestId: id(n),
            requestor: alice,
            owner: alice,
            amountOfStETH: amount,
            amountOfShares: amount,
        });
        queue.assert_emitted(&Transfer { from: Address::ZERO, to: alice, tokenId: id(n) });
    }
}

#[motsu::test]
fn the_shares_of_one_call_are_split_by_rounding_the_running_total_up(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    // 3 ether per share: 300 wei is 100 shares, split 34 / 33 / 33 (ceil(100/3), ceil(200/3)).
    pool.sender(admin).set_rate(rate(3, 1));
    request(&queue, alice, &[MIN, MIN, MIN]);
    assert_eq!(status(&queue, 1).1, U256::from(34));
    assert_eq!(status(&queue, 2).1, U256::from(33));
    assert_eq!(status(&queue, 3).1, U256::from(33));
    for (n, shares) in [(1, 34u64), (2, 33), (3, 33)] {
        queue.assert_emitted(&WithdrawalRequested {
            requestId: id(n),
            requestor: alice,
            owner: alice,
            amountOfStETH: MIN,
            amountOfShares: U256::from(shares),
        });
    }
}

#[motsu::test]
fn split_shares_add_up_to_what_the_pool_moved_and_each_is_within_one_of_its_exact_part(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let pool_rate = U256::from(1_234_567_891_234_567_891_234_567_891u128);
    pool.sender(admin).set_rate(pool_rate);
    let asked = [
        MIN,
        U256::from(12_345_678_901u64),
        ether(7) + U256::from(3),
        U256::from(101),
        ether(999),
        U256::from(777_777_777_777_777_777u64),
    ];
    request(&queue, alice, &asked);
    let total: U256 = asked.iter().copied().sum();
    let moved = (total * PAR).div_ceil(pool_rate);
    let mut sum = U256::ZERO;
    for (n, &amount) in (1..).zip(&asked) {
        let (ether_of, shares) = (status(&queue, n).0, status(&queue, n).1);
        assert_eq!(ether_of, amount);
        let exact_floor = moved * amount / total;
        assert!(shares >= exact_floor && shares <= exact_floor + U256::from(1), "request {n}");
        sum += shares;
    }
    assert_eq!(sum, moved);
}

#[motsu::test]
fn requests_at_the_minimum_and_at_the_maximum_are_accepted(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    assert_eq!(queue.sender(alice).get_request_bounds(), (MIN, MAX));
    assert_eq!(request(&queue, alice, &[MIN, MAX]), ids(&[1, 2]));
    assert_eq!(status(&queue, 1).0, MIN);
    assert_eq!(status(&queue, 2).0, MAX);
}

#[motsu::test]
fn a_request_below_the_minimum_is_refused_and_changes_nothing(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1)]);
    let before = snapshot(&queue, &[alice]);
    for amount in [U256::ZERO, U256::from(1), MIN - U256::from(1)] {
        let err =
            queue.sender(alice).request_withdrawals(&[amount], Address::ZERO).motsu_unwrap_err();
        assert_eq!(err, Error::RequestAmountTooSmall(RequestAmountTooSmall { amount, min: MIN }));
    }
    assert_eq!(snapshot(&queue, &[alice]), before);
    assert_eq!(pool.sender(alice).calls(), id(1), "the pool is not asked");
}

#[motsu::test]
fn a_request_above_the_maximum_is_refused_and_changes_nothing(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let before = snapshot(&queue, &[alice]);
    let wider_than_u128 = U256::from(u128::MAX) + U256::from(1);
    for amount in [MAX + U256::from(1), U256::from(u128::MAX), wider_than_u128, U256::MAX] {
        let err =
            queue.sender(alice).request_withdrawals(&[amount], Address::ZERO).motsu_unwrap_err();
        assert_eq!(err, Error::RequestAmountTooLarge(RequestAmountTooLarge { amount, max: MAX }));
    }
    assert_eq!(snapshot(&queue, &[alice]), before);
    assert_eq!(pool.sender(alice).calls(), U256::ZERO);
}

#[motsu::test]
fn one_amount_out_of_bounds_refuses_the_whole_call(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let before = snapshot(&queue, &[alice]);
    let small = MIN - U256::from(1);
    let err = queue
        .sender(alice)
        .request_withdrawals(&[ether(1), ether(2), small], Address::ZERO)
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::RequestAmountTooSmall(RequestAmountTooSmall { amount: small, min: MIN })
    );
    let big = MAX + U256::from(1);
    let err =
        queue.sender(alice).request_withdrawals(&[MIN, big, MIN], Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, Error::RequestAmountTooLarge(RequestAmountTooLarge { amount: big, max: MAX }));
    assert_eq!(snapshot(&queue, &[alice]), before);
}

#[motsu::test]
fn an_empty_request_is_refused(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let err = queue.sender(alice).request_withdrawals(&[], Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, Error::EmptyRequest(EmptyRequest {}));
    assert_eq!(queue.sender(alice).get_last_request_id(), U256::ZERO);
}

#[motsu::test]
fn requests_before_the_constructor_are_refused(queue: Contract<WithdrawalQueue>, alice: Address) {
    let err =
        queue.sender(alice).request_withdrawals(&[ether(1)], Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, Error::NotInitialized(NotInitialized {}));
    let err =
        queue.sender(alice).request_withdrawals_split(ether(1), Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, Error::NotInitialized(NotInitialized {}));
    assert_eq!(queue.sender(alice).get_last_request_id(), U256::ZERO);
}

#[motsu::test]
fn the_pools_revert_reaches_the_caller_unchanged_and_nothing_is_recorded(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let reason = ERC20InsufficientAllowance {
        spender: queue.address(),
        allowance: U256::ZERO,
        needed: ether(1),
    }
    .abi_encode();
    pool.sender(admin).revert_with(Bytes(reason.clone()));
    let before = snapshot(&queue, &[alice]);
    let err =
        queue.sender(alice).request_withdrawals(&[ether(1)], Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, Error::Callee(reason.clone()));
    // As revert data, byte for byte.
    assert_eq!(Vec::<u8>::from(err), reason);
    assert_eq!(snapshot(&queue, &[alice]), before);
}

#[motsu::test]
fn a_pool_answer_without_a_share_count_is_refused(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<SilentPoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    queue.sender(admin).constructor(pool.address(), manager.address(), EXTENSION).motsu_unwrap();
    let err =
        queue.sender(alice).request_withdrawals(&[ether(1)], Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, Error::Callee(Vec::new()));
    assert_eq!(queue.sender(alice).get_last_request_id(), U256::ZERO);
    assert_eq!(queue.sender(alice).balance_of(alice).motsu_unwrap(), U256::ZERO);
}

#[motsu::test]
fn a_share_count_wider_than_the_records_is_an_overflow_not_a_wrap(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let before = snapshot(&queue, &[alice]);
    // Wider than u128, then wider than the 96 bits a record keeps.
    for shares in [U256::from(u128::MAX) + U256::from(1), U256::from(1u128 << 96)] {
        pool.sender(admin).set_shares(shares);
        let err =
            queue.sender(alice).request_withdrawals(&[ether(1)], Address::ZERO).motsu_unwrap_err();
        assert_eq!(err, Error::MathOverflow(MathOverflow {}));
    }
    assert_eq!(snapshot(&queue, &[alice]), before);
    // The widest count a record holds is fine.
    pool.sender(admin).set_shares(U256::from((1u128 << 96) - 1));
    request(&queue, alice, &[ether(1)]);
    assert_eq!(status(&queue, 1).1, U256::from((1u128 << 96) - 1));
}

#[motsu::test]
fn an_amount_worth_less_than_one_share_is_refused(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    // 1,000 ether per share: 200 wei is 1 share, which the first of two requests takes.
    pool.sender(admin).set_rate(rate(1_000, 1));
    let before = snapshot(&queue, &[alice]);
    let err =
        queue.sender(alice).request_withdrawals(&[MIN, MIN], Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, Error::RequestAmountTooSmall(RequestAmountTooSmall { amount: MIN, min: MIN }));
    assert_eq!(snapshot(&queue, &[alice]), before);
    // Alone, the same amount is one share.
    request(&queue, alice, &[MIN]);
    assert_eq!(status(&queue, 1), (MIN, U256::from(1), alice, now(), false, false));
}

#[motsu::test]
fn a_split_request_is_the_fewest_requests_within_the_bounds(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let got = queue.sender(alice).request_withdrawals_split(ether(2_500), bob).motsu_unwrap();
    assert_eq!(got, ids(&[1, 2, 3]));
    assert_eq!(status(&queue, 1).0, MAX);
    assert_eq!(status(&queue, 2).0, MAX);
    assert_eq!(status(&queue, 3).0, ether(500));
    assert_eq!(queue.sender(alice).get_withdrawal_requests(bob), ids(&[1, 2, 3]));
    assert_eq!(pool.sender(alice).calls(), id(1));
    assert_eq!(pool.sender(alice).last_pull(), (alice, queue.address(), ether(2_500)));
    queue.assert_emitted(&WithdrawalRequested {
        requestId: id(3),
        requestor: alice,
        owner: bob,
        amountOfStETH: ether(500),
        amountOfShares: ether(500),
    });
}

#[motsu::test]
fn a_split_remainder_below_the_minimum_borrows_from_the_request_before(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let rest = U256::from(40);
    queue
        .sender(alice)
        .request_withdrawals_split(MAX * U256::from(2) + rest, Address::ZERO)
        .motsu_unwrap();
    assert_eq!(status(&queue, 1).0, MAX);
    assert_eq!(status(&queue, 2).0, MAX - (MIN - rest));
    assert_eq!(status(&queue, 3).0, MIN);
    assert_eq!(queue.sender(alice).get_last_request_id(), id(3));
}

#[motsu::test]
fn a_split_of_exactly_the_minimum_or_the_maximum_is_one_request(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    assert_eq!(
        queue.sender(alice).request_withdrawals_split(MIN, Address::ZERO).motsu_unwrap(),
        ids(&[1])
    );
    assert_eq!(
        queue.sender(alice).request_withdrawals_split(MAX, Address::ZERO).motsu_unwrap(),
        ids(&[2])
    );
    let got =
        queue.sender(alice).request_withdrawals_split(MAX + MIN, Address::ZERO).motsu_unwrap();
    assert_eq!(got, ids(&[3, 4]));
    assert_eq!(status(&queue, 3).0, MAX);
    assert_eq!(status(&queue, 4).0, MIN);
}

#[motsu::test]
fn a_split_below_the_minimum_or_wider_than_u128_is_refused(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    for total in [U256::ZERO, MIN - U256::from(1)] {
        let err =
            queue.sender(alice).request_withdrawals_split(total, Address::ZERO).motsu_unwrap_err();
        assert_eq!(
            err,
            Error::RequestAmountTooSmall(RequestAmountTooSmall { amount: total, min: MIN })
        );
    }
    let total = U256::from(u128::MAX) + U256::from(1);
    let err =
        queue.sender(alice).request_withdrawals_split(total, Address::ZERO).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::RequestAmountTooLarge(RequestAmountTooLarge { amount: total, max: MAX })
    );
    assert_eq!(queue.sender(alice).get_last_request_id(), U256::ZERO);
    assert_eq!(pool.sender(alice).calls(), U256::ZERO);
}

#[motsu::test]
fn requests_follow_new_bounds(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let (min, max) = (U256::from(1), U256::from(1_000_000_000u64));
    queue.sender(admin).set_request_bounds(min, max).motsu_unwrap();
    request(&queue, alice, &[U256::from(1), max]);
    let big = max + U256::from(1);
    let err = queue.sender(alice).request_withdrawals(&[big], Address::ZERO).motsu_unwrap_err();
    assert_eq!(err, Error::RequestAmountTooLarge(RequestAmountTooLarge { amount: big, max }));
    let err =
        queue.sender(alice).request_withdrawals(&[U256::ZERO], Address::ZERO).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::RequestAmountTooSmall(RequestAmountTooSmall { amount: U256::ZERO, min })
    );
    // A split now uses the new maximum.
    let got = queue
        .sender(alice)
        .request_withdrawals_split(max * U256::from(3), Address::ZERO)
        .motsu_unwrap();
    assert_eq!(got, ids(&[3, 4, 5]));
}

#[motsu::test]
fn the_shares_a_request_records_are_what_the_pool_moved_at_its_rate(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    // 1.1 ether per share: 1 ether is ceil(1e18 / 1.1) shares.
    pool.sender(admin).set_rate(rate(11, 10));
    request(&queue, alice, &[ether(1)]);
    assert_eq!(status(&queue, 1).1, U256::from(909_090_909_090_909_091u64));
    assert_eq!(queue.sender(alice).unfinalized_st_eth(), ether(1));
}

#[motsu::test]
fn a_split_into_more_than_the_most_requests_reverts_typed_and_records_nothing(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    // Found by the calldata fuzz: a total near 2^128 wei asked for ~10^17 requests and the
    // release wasm trapped allocating them.
    setup(&queue, &pool, &manager, admin);
    let largest = MAX * U256::from(crate::requests::MAX_SPLIT_REQUESTS);
    for total in [largest + U256::from(1), U256::from(1) << 97, U256::from(u128::MAX)] {
        let err =
            queue.sender(alice).request_withdrawals_split(total, Address::ZERO).motsu_unwrap_err();
        assert_eq!(
            err,
            Error::RequestAmountTooLarge(RequestAmountTooLarge { amount: total, max: largest })
        );
    }
    assert_eq!(queue.sender(alice).get_last_request_id(), U256::ZERO);
    assert_eq!(pool.sender(alice).calls(), U256::ZERO);
}
