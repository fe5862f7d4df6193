//! `claimWithdrawal`, `claimWithdrawals` and `claimWithdrawalsTo`: who may claim, what is
//! paid, hints, every refusal, a recipient that rejects or re-enters, pruning.
//!
//! motsu aborts on ether sent to a plain account, so every claim here pays a `ReceiverMock`
//! (as the claimer, the owner or the recipient), except a claim of nothing.

use super::*;
use crate::errors::*;
use crate::events::{Transfer, WithdrawalClaimed};

/// Alice requests 1, 2 and 3 ether; the pool finalizes 1 at par (nominal) and 2 and 3 at a
/// loss (`LOSS`). Returns what each is owed.
fn three_finalized(
    queue: &Contract<WithdrawalQueue>,
    pool: &Contract<PoolMock>,
    owner: Address,
    alice: Address,
) -> [U256; 3] {
    queue.sender(alice).request_withdrawals(&[ether(1), ether(2), ether(3)], owner).motsu_unwrap();
    finalize(queue, pool, 1, PAR);
    finalize(queue, pool, 3, loss());
    [ether(1), ether(2) * loss() / PAR, ether(3) * loss() / PAR]
}

fn loss() -> U256 {
    rate(9, 10)
}

#[motsu::test]
fn the_owner_claims_to_a_recipient_exactly_the_locked_ether_and_the_nft_is_burned(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1)]);
    finalize(&queue, &pool, 1, PAR);

    queue
        .sender(alice)
        .claim_withdrawals_to(&ids(&[1]), &ids(&[1]), receiver.address())
        .motsu_unwrap();

    assert_eq!(receiver.sender(alice).received(), (ether(1), id(1)));
    assert_eq!(receiver.balance(), ether(1));
    assert_eq!(queue.balance(), U256::ZERO);
    let q = queue.sender(alice);
    assert_eq!(q.get_locked_ether_amount(), U256::ZERO);
    assert_eq!(q.balance_of(alice).motsu_unwrap(), U256::ZERO);
    assert_eq!(q.get_withdrawal_requests(alice), Vec::<U256>::new());
    assert_eq!(
        q.owner_of(id(1)).motsu_unwrap_err(),
        Error::ERC721NonexistentToken(ERC721NonexistentToken { tokenId: id(1) })
    );
    assert_eq!(status(&queue, 1), (U256::ZERO, U256::ZERO, Address::ZERO, now(), true, true));
    assert_eq!(q.get_claimable_ether(&ids(&[1]), &ids(&[1])).motsu_unwrap(), vec![U256::ZERO]);
    queue.assert_emitted(&WithdrawalClaimed {
        requestId: id(1),
        owner: alice,
        receiver: receiver.address(),
        amountOfETH: ether(1),
    });
    queue.assert_emitted(&Transfer { from: alice, to: Address::ZERO, tokenId: id(1) });
}

#[motsu::test]
fn a_contract_owner_claims_for_itself_and_the_checkpoint_is_found_for_it(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let owed = three_finalized(&queue, &pool, receiver.address(), alice);
    let r = receiver.address();
    queue.sender(r).claim_withdrawal(id(3)).motsu_unwrap();
    assert_eq!(receiver.sender(alice).received(), (owed[2], id(1)));
    queue.sender(r).claim_withdrawal(id(1)).motsu_unwrap();
    assert_eq!(receiver.sender(alice).received(), (owed[2] + owed[0], id(2)));
    queue.assert_emitted(&WithdrawalClaimed {
        requestId: id(3),
        owner: r,
        receiver: r,
        amountOfETH: owed[2],
    });
    assert_eq!(queue.sender(alice).get_locked_ether_amount(), owed[1]);
    assert_eq!(queue.balance(), owed[1]);
    assert_eq!(queue.sender(alice).get_withdrawal_requests(r), ids(&[2]));
}

#[motsu::test]
fn claiming_several_requests_pays_their_total_in_one_transfer(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let owed = three_finalized(&queue, &pool, receiver.address(), alice);
    let total = owed[0] + owed[1] + owed[2];
    let hints = hints_for(&queue, &ids(&[1, 2, 3]));
    assert_eq!(hints, ids(&[1, 2, 2]));
    assert_eq!(queue.sender(alice).get_locked_ether_amount(), total);

    queue.sender(receiver.address()).claim_withdrawals(&ids(&[1, 2, 3]), &hints).motsu_unwrap();

    assert_eq!(receiver.sender(alice).received(), (total, id(1)));
    assert_eq!(queue.sender(alice).get_locked_ether_amount(), U256::ZERO);
    assert_eq!(queue.balance(), U256::ZERO);
    assert_eq!(queue.sender(alice).balance_of(receiver.address()).motsu_unwrap(), U256::ZERO);
    for (n, paid) in [(1, owed[0]), (2, owed[1]), (3, owed[2])] {
        queue.assert_emitted(&WithdrawalClaimed {
            requestId: id(n),
            owner: receiver.address(),
            receiver: receiver.address(),
            amountOfETH: paid,
        });
    }
}

#[motsu::test]
fn an_address_approved_for_the_nft_claims_it_for_itself(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1), ether(1)]);
    finalize(&queue, &pool, 2, PAR);
    queue.sender(alice).approve(receiver.address(), id(2)).motsu_unwrap();

    // Approved for 2 only.
    let err = queue.sender(receiver.address()).claim_withdrawal(id(1)).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::NotOwnerOrApproved(NotOwnerOrApproved {
            requestId: id(1),
            caller: receiver.address()
        })
    );
    queue.sender(receiver.address()).claim_withdrawal(id(2)).motsu_unwrap();
    assert_eq!(receiver.sender(alice).received(), (ether(1), id(1)));
    assert_eq!(queue.sender(alice).balance_of(alice).motsu_unwrap(), id(1));
    queue.assert_emitted(&WithdrawalClaimed {
        requestId: id(2),
        owner: alice,
        receiver: receiver.address(),
        amountOfETH: ether(1),
    });
    queue.assert_emitted(&Transfer { from: alice, to: Address::ZERO, tokenId: id(2) });
}

#[motsu::test]
fn an_operator_of_the_owner_claims_all_its_nfts(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let owed = three_finalized(&queue, &pool, Address::ZERO, alice);
    queue.sender(alice).set_approval_for_all(receiver.address(), true).motsu_unwrap();
    let hints = hints_for(&queue, &ids(&[1, 2, 3]));
    queue.sender(receiver.address()).claim_withdrawals(&ids(&[1, 2, 3]), &hints).motsu_unwrap();
    assert_eq!(receiver.sender(alice).received(), (owed[0] + owed[1] + owed[2], id(1)));
    assert_eq!(queue.sender(alice).balance_of(alice).motsu_unwrap(), U256::ZERO);
    queue.assert_emitted(&WithdrawalClaimed {
        requestId: id(3),
        owner: alice,
        receiver: receiver.address(),
        amountOfETH: owed[2],
    });
}

#[motsu::test]
fn a_stranger_cannot_claim_and_nothing_changes(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1)]);
    request(&queue, bob, &[ether(1)]);
    finalize(&queue, &pool, 2, PAR);
    let before = snapshot(&queue, &[alice, bob]);
    let refused = Error::NotOwnerOrApproved(NotOwnerOrApproved { requestId: id(1), caller: bob });
    assert_eq!(queue.sender(bob).claim_withdrawal(id(1)).motsu_unwrap_err(), refused);
    assert_eq!(
        queue.sender(bob).claim_withdrawals(&ids(&[1]), &ids(&[1])).motsu_unwrap_err(),
        refused
    );
    // Bob's own request first does not help: the whole call is refused.
    assert_eq!(
        queue
            .sender(bob)
            .claim_withdrawals_to(&ids(&[2, 1]), &ids(&[1, 1]), receiver.address())
            .motsu_unwrap_err(),
        refused
    );
    assert_eq!(snapshot(&queue, &[alice, bob]), before);
    assert_eq!(receiver.balance(), U256::ZERO);
}

#[motsu::test]
fn a_request_is_claimed_only_once(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1), ether(2)]);
    finalize(&queue, &pool, 2, PAR);
    claim_to(&queue, alice, &ids(&[1]), receiver.address());

    let before = snapshot(&queue, &[alice]);
    let again = Error::RequestAlreadyClaimed(RequestAlreadyClaimed { requestId: id(1) });
    // Refused before any ether would move, so a plain account can try.
    assert_eq!(queue.sender(alice).claim_withdrawal(id(1)).motsu_unwrap_err(), again);
    assert_eq!(
        queue
            .sender(alice)
            .claim_withdrawals_to(&ids(&[1]), &ids(&[1]), receiver.address())
            .motsu_unwrap_err(),
        again
    );
    assert_eq!(
        queue
            .sender(alice)
            .claim_withdrawals_to(&ids(&[1]), &[], receiver.address())
            .motsu_unwrap_err(),
        Error::ArrayLengthMismatch(ArrayLengthMismatch { ids: id(1), hints: U256::ZERO })
    );
    // The same id twice in one call: the second is already claimed, so nothing is.
    assert_eq!(
        queue
            .sender(alice)
            .claim_withdrawals_to(&ids(&[2, 2]), &ids(&[1, 1]), receiver.address())
            .motsu_unwrap_err(),
        Error::RequestAlreadyClaimed(RequestAlreadyClaimed { requestId: id(2) })
    );
    assert_eq!(snapshot(&queue, &[alice]), before);
    assert_eq!(receiver.sender(alice).received(), (ether(1), id(1)));
}

#[motsu::test]
fn an_unfinalized_request_cannot_be_claimed(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let r = receiver.address();
    queue.sender(r).request_withdrawals(&[ether(1), ether(1)], Address::ZERO).motsu_unwrap();
    let not_yet = |n| Error::RequestNotFinalized(RequestNotFinalized { requestId: id(n) });
    assert_eq!(queue.sender(r).claim_withdrawal(id(1)).motsu_unwrap_err(), not_yet(1));
    finalize(&queue, &pool, 1, PAR);
    let before = snapshot(&queue, &[r]);
    assert_eq!(queue.sender(r).claim_withdrawal(id(2)).motsu_unwrap_err(), not_yet(2));
    assert_eq!(
        queue.sender(r).claim_withdrawals(&ids(&[1, 2]), &ids(&[1, 1])).motsu_unwrap_err(),
        not_yet(2)
    );
    assert_eq!(snapshot(&queue, &[r]), before);
    queue.sender(r).claim_withdrawal(id(1)).motsu_unwrap();
}

#[motsu::test]
fn id_0_and_ids_past_the_last_request_are_invalid(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let r = receiver.address();
    queue.sender(r).request_withdrawals(&[ether(1)], Address::ZERO).motsu_unwrap();
    finalize(&queue, &pool, 1, PAR);
    for bad in [U256::ZERO, id(2), U256::from(u64::from(u32::MAX) + 1), U256::MAX] {
        let invalid = Error::InvalidRequestId(InvalidRequestId { requestId: bad });
        assert_eq!(queue.sender(r).claim_withdrawal(bad).motsu_unwrap_err(), invalid);
        assert_eq!(
            queue.sender(r).claim_withdrawals(&[id(1), bad], &ids(&[1, 1])).motsu_unwrap_err(),
            invalid
        );
    }
    assert_eq!(queue.sender(r).get_locked_ether_amount(), ether(1));
}

#[motsu::test]
fn a_hint_that_does_not_cover_the_request_is_refused(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    three_finalized(&queue, &pool, receiver.address(), alice);
    let r = receiver.address();
    let before = snapshot(&queue, &[r]);
    let too_wide = U256::from(u64::from(u32::MAX) + 2);
    for (n, hint) in [(1, 0), (1, 2), (1, 3), (2, 1), (3, 1), (3, 0)] {
        let err = queue.sender(r).claim_withdrawals(&ids(&[n]), &ids(&[hint])).motsu_unwrap_err();
        assert_eq!(err, Error::InvalidHint(InvalidHint { requestId: id(n), hint: id(hint) }));
    }
    for hint in [too_wide, U256::MAX] {
        let err = queue.sender(r).claim_withdrawals(&ids(&[2]), &[hint]).motsu_unwrap_err();
        assert_eq!(err, Error::InvalidHint(InvalidHint { requestId: id(2), hint }));
    }
    assert_eq!(snapshot(&queue, &[r]), before);
}

#[motsu::test]
fn ids_and_hints_of_different_lengths_or_no_ids_are_refused(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1), ether(1)]);
    finalize(&queue, &pool, 2, PAR);
    let r = receiver.address();
    let mismatch = |ids, hints| {
        Error::ArrayLengthMismatch(ArrayLengthMismatch {
            ids: U256::from(ids),
            hints: U256::from(hints),
        })
    };
    assert_eq!(
        queue.sender(alice).claim_withdrawals(&ids(&[1, 2]), &ids(&[1])).motsu_unwrap_err(),
        mismatch(2, 1)
    );
    assert_eq!(
        queue.sender(alice).claim_withdrawals(&ids(&[1]), &ids(&[1, 1])).motsu_unwrap_err(),
        mismatch(1, 2)
    );
    assert_eq!(
        queue.sender(alice).claim_withdrawals_to(&ids(&[1, 2]), &[], r).motsu_unwrap_err(),
        mismatch(2, 0)
    );
    let empty = Error::EmptyRequest(EmptyRequest {});
    assert_eq!(queue.sender(alice).claim_withdrawals(&[], &[]).motsu_unwrap_err(), empty);
    assert_eq!(queue.sender(alice).claim_withdrawals_to(&[], &[], r).motsu_unwrap_err(), empty);
    assert_eq!(queue.sender(alice).get_locked_ether_amount(), ether(2));
}

#[motsu::test]
fn claiming_to_the_zero_address_is_refused(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1)]);
    finalize(&queue, &pool, 1, PAR);
    let before = snapshot(&queue, &[alice]);
    let err = queue
        .sender(alice)
        .claim_withdrawals_to(&ids(&[1]), &ids(&[1]), Address::ZERO)
        .motsu_unwrap_err();
    assert_eq!(err, Error::InvalidRecipient(InvalidRecipient { recipient: Address::ZERO }));
    assert_eq!(snapshot(&queue, &[alice]), before);
}

#[motsu::test]
fn a_recipient_that_rejects_the_ether_reverts_the_whole_claim(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1), ether(2)]);
    finalize(&queue, &pool, 2, PAR);
    receiver.sender(admin).set_reject(true);
    let before = snapshot(&queue, &[alice]);
    let err = queue
        .sender(alice)
        .claim_withdrawals_to(&ids(&[1, 2]), &ids(&[1, 1]), receiver.address())
        .motsu_unwrap_err();
    assert_eq!(
        err,
        Error::EtherTransferFailed(EtherTransferFailed {
            recipient: receiver.address(),
            amount: ether(3)
        })
    );
    assert_eq!(snapshot(&queue, &[alice]), before);
    assert_eq!(receiver.balance(), U256::ZERO);

    // Nothing was claimed: a recipient that accepts gets it all.
    receiver.sender(admin).set_reject(false);
    claim_to(&queue, alice, &ids(&[1, 2]), receiver.address());
    assert_eq!(receiver.balance(), ether(3));
}

#[motsu::test]
fn a_recipient_cannot_reenter_the_queue_while_it_is_paid(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let r = receiver.address();
    queue.sender(r).request_withdrawals(&[ether(1), ether(2)], Address::ZERO).motsu_unwrap();
    finalize(&queue, &pool, 2, PAR);
    receiver.sender(admin).set_reentry(queue.address(), id(2));

    queue.sender(r).claim_withdrawal(id(1)).motsu_unwrap();

    let (reentered, answer) = receiver.sender(admin).reentry();
    assert!(!reentered);
    assert_eq!(answer.0, Vec::<u8>::from(Error::ReentrantCall(ReentrantCall {})));
    // Paid once, for request 1 only; request 2 is untouched.
    assert_eq!(receiver.sender(admin).received(), (ether(1), id(1)));
    assert_eq!(queue.sender(r).get_locked_ether_amount(), ether(2));
    assert_eq!(queue.sender(r).owner_of(id(2)).motsu_unwrap(), r);
    queue.sender(r).claim_withdrawal(id(2)).motsu_unwrap();
    assert_eq!(receiver.sender(admin).received(), (ether(3), id(2)));
}

#[motsu::test]
fn a_request_finalized_at_nothing_is_claimed_for_nothing(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1)]);
    // At a rate of 1e-27 ether per share, 1e18 shares are worth nothing.
    queue.sender(pool.address()).finalize(id(1), U256::from(1)).motsu_unwrap();
    // No ether moves, so a plain account can claim here.
    queue.sender(alice).claim_withdrawal(id(1)).motsu_unwrap();
    queue.assert_emitted(&WithdrawalClaimed {
        requestId: id(1),
        owner: alice,
        receiver: alice,
        amountOfETH: U256::ZERO,
    });
    assert_eq!(queue.sender(alice).balance_of(alice).motsu_unwrap(), U256::ZERO);
}

#[motsu::test]
fn a_transferred_nft_is_claimed_by_its_new_owner_and_not_by_the_old_one(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1)]);
    finalize(&queue, &pool, 1, PAR);
    let r = receiver.address();
    queue.sender(alice).transfer_from(alice, r, id(1)).motsu_unwrap();
    let err =
        queue.sender(alice).claim_withdrawals_to(&ids(&[1]), &ids(&[1]), r).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::NotOwnerOrApproved(NotOwnerOrApproved { requestId: id(1), caller: alice })
    );
    queue.sender(r).claim_withdrawal(id(1)).motsu_unwrap();
    assert_eq!(receiver.balance(), ether(1));
    queue.assert_emitted(&WithdrawalClaimed {
        requestId: id(1),
        owner: r,
        receiver: r,
        amountOfETH: ether(1),
    });
}

#[motsu::test]
fn claims_in_any_order_pay_each_its_own_and_prune_a_claimed_predecessor(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let owed = three_finalized(&queue, &pool, receiver.address(), alice);
    let r = receiver.address();
    let slot = |n: u64| queue.sender(alice).requests.get(id(n));

    queue.sender(r).claim_withdrawal(id(2)).motsu_unwrap();
    assert_eq!(receiver.sender(alice).received().0, owed[1]);
    // 1 is unclaimed: 2's claim needs its totals and keeps them.
    assert!(!slot(1).is_zero() && !slot(2).is_zero());

    queue.sender(r).claim_withdrawal(id(1)).motsu_unwrap();
    assert_eq!(receiver.sender(alice).received().0, owed[1] + owed[0]);
    assert!(!slot(1).is_zero() && !slot(2).is_zero(), "request 0 has no slot to prune");

    queue.sender(r).claim_withdrawal(id(3)).motsu_unwrap();
    assert_eq!(receiver.sender(alice).received().0, owed[0] + owed[1] + owed[2]);
    // 2 was claimed and 3's claim was the last use of its totals.
    assert!(slot(2).is_zero());
    assert!(!slot(1).is_zero() && !slot(3).is_zero());

    let q = queue.sender(alice);
    assert_eq!(q.get_locked_ether_amount(), U256::ZERO);
    assert_eq!(queue.balance(), U256::ZERO);
    // Claimed requests show no amounts and no owner; a pruned one no timestamp either.
    let claimed = |time| (U256::ZERO, U256::ZERO, Address::ZERO, time, true, true);
    assert_eq!(
        q.get_withdrawal_status(&ids(&[1, 2, 3])).motsu_unwrap(),
        vec![claimed(now()), claimed(U256::ZERO), claimed(now())]
    );
}

#[motsu::test]
fn locked_ether_is_what_the_unclaimed_finalized_requests_can_claim(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let r = receiver.address();
    let check = || {
        let q = queue.sender(alice);
        let last = q.get_last_finalized_request_id().to::<u64>();
        let all: Vec<U256> = (1..=last).map(U256::from).collect();
        let hints = hints_for(&queue, &all);
        let claimable: U256 = q.get_claimable_ether(&all, &hints).motsu_unwrap().into_iter().sum();
        assert_eq!(q.get_locked_ether_amount(), claimable);
        assert!(queue.balance() >= claimable);
    };
    pool.sender(admin).set_rate(rate(107, 100));
    queue
        .sender(alice)
        .request_withdrawals(&[ether(1), MIN, ether(3) + U256::from(7)], r)
        .motsu_unwrap();
    check();
    finalize(&queue, &pool, 1, rate(11, 10));
    check();
    finalize(&queue, &pool, 2, rate(99, 100));
    check();
    queue.sender(r).claim_withdrawal(id(1)).motsu_unwrap();
    check();
    pool.sender(admin).set_rate(PAR);
    queue.sender(alice).request_withdrawals(&[ether(5)], r).motsu_unwrap();
    finalize(&queue, &pool, 4, rate(101, 100));
    check();
    // Ids in any order, each with its hint.
    let hints = hints_for(&queue, &ids(&[4, 2]));
    queue.sender(r).claim_withdrawals(&ids(&[4, 2]), &hints).motsu_unwrap();
    check();
    queue.sender(r).claim_withdrawal(id(3)).motsu_unwrap();
    check();
    assert_eq!(queue.sender(alice).get_locked_ether_amount(), U256::ZERO);
}
