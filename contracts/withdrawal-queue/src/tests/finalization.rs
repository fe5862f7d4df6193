//! `finalize`, `prefinalize` and bunker mode: what a batch is owed on the fast and the slow
//! path, checkpoints and their merging, the pending-rate bound, ids, rates and the delay.

use super::*;
use crate::{errors::*, events::*};
use alloy_sol_types::SolEvent;

/// `ceil(amount / rate)`: the shares the pool mock moves for `amount` at `rate`.
fn shares_at(amount: U256, rate: U256) -> U256 {
    (amount * PAR).div_ceil(rate)
}

#[motsu::test]
fn the_pool_finalizes_a_batch_at_or_above_its_rates_for_the_nominal_ether(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1), ether(2)]);
    let asked = manager.sender(admin).calls();
    assert_eq!(
        queue.sender(alice).prefinalize(&ids(&[2]), PAR).motsu_unwrap(),
        (ether(3), ether(3))
    );

    pool.address().fund(ether(3));
    queue.sender_and_value(pool.address(), ether(3)).finalize(id(2), PAR).motsu_unwrap();

    let q = queue.sender(alice);
    assert_eq!(q.get_last_finalized_request_id(), id(2));
    assert_eq!(q.get_locked_ether_amount(), ether(3));
    assert_eq!(q.unfinalized_st_eth(), U256::ZERO);
    assert_eq!(q.unfinalized_request_number(), U256::ZERO);
    assert_eq!(q.get_last_checkpoint_index(), id(1));
    assert_eq!(q.get_checkpoint(id(1)), (id(1), nominal()));
    assert!(status(&queue, 1).4 && status(&queue, 2).4);
    assert_eq!(queue.balance(), ether(3));
    assert_eq!(pool.balance(), U256::ZERO);
    assert_eq!(manager.sender(admin).calls(), asked, "the pool is not checked by the manager");
    queue.assert_emitted(&WithdrawalsFinalized {
        from: id(1),
        to: id(2),
        amountOfETHLocked: ether(3),
        sharesToBurn: ether(3),
        maxShareRate: PAR,
        timestamp: now(),
    });
    queue.assert_emitted(&BatchMetadataUpdate { _fromTokenId: id(1), _toTokenId: id(2) });
}

#[motsu::test]
fn a_gain_since_the_request_pays_the_nominal_ether(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1), MIN]);
    assert_eq!(finalize(&queue, &pool, 2, rate(12, 10)), ether(1) + MIN);
    assert_eq!(queue.sender(alice).get_checkpoint(id(1)), (id(1), nominal()));
    let claimable =
        queue.sender(alice).get_claimable_ether(&ids(&[1, 2]), &ids(&[1, 1])).motsu_unwrap();
    assert_eq!(claimable, vec![ether(1), MIN]);
}

#[motsu::test]
fn wrong_ether_with_finalize_is_refused_and_changes_nothing(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1), ether(2)]);
    pool.address().fund(ether(10));
    let before = snapshot(&queue, &[alice]);
    let owed = ether(3);
    for sent in [U256::ZERO, U256::from(1), owed - U256::from(1), owed + U256::from(1)] {
        let err =
            queue.sender_and_value(pool.address(), sent).finalize(id(2), PAR).motsu_unwrap_err();
        assert_eq!(err, Error::WrongFinalizationAmount(WrongFinalizationAmount { sent, owed }));
    }
    assert_eq!(snapshot(&queue, &[alice]), before);
    assert_eq!(pool.balance(), ether(10), "the ether went back");
}

#[motsu::test]
fn a_loss_pays_each_request_its_shares_at_the_report_rate_on_the_slow_path(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    pool.sender(admin).set_rate(rate(11, 10));
    request(&queue, alice, &[ether(1), ether(1)]);
    let s = U256::from(909_090_909_090_909_091u64);
    assert_eq!(status(&queue, 1).1, s);
    assert_eq!(status(&queue, 2).1, s);

    // At 1 ether per share each request is owed its shares, not its nominal 1 ether.
    assert_eq!(finalize(&queue, &pool, 2, PAR), s + s);
    let q = queue.sender(alice);
    assert_eq!(q.get_locked_ether_amount(), s + s);
    assert_eq!(q.get_checkpoint(id(1)), (id(1), PAR));
    assert_eq!(q.get_claimable_ether(&ids(&[1, 2]), &ids(&[1, 1])).motsu_unwrap(), vec![s, s]);
    queue.assert_emitted(&WithdrawalsFinalized {
        from: id(1),
        to: id(2),
        amountOfETHLocked: s + s,
        sharesToBurn: s + s,
        maxShareRate: PAR,
        timestamp: now(),
    });
}

#[motsu::test]
fn a_payout_at_the_report_rate_is_rounded_down(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[MIN, ether(1)]);
    // floor(100 * (1e27 - 1) / 1e27) = 99; floor(1e18 * (1e27 - 1) / 1e27) = 1e18 - 1.
    let r = PAR - U256::from(1);
    assert_eq!(
        queue.sender(alice).prefinalize(&ids(&[1, 2]), r).motsu_unwrap(),
        (U256::from(99) + ether(1) - U256::from(1), MIN + ether(1))
    );
    assert_eq!(finalize(&queue, &pool, 2, r), U256::from(98) + ether(1));
    let claimable =
        queue.sender(alice).get_claimable_ether(&ids(&[1, 2]), &ids(&[1, 1])).motsu_unwrap();
    assert_eq!(claimable, vec![U256::from(99), ether(1) - U256::from(1)]);
}

#[motsu::test]
fn a_rate_within_a_millionth_of_the_report_walks_the_batch_and_still_pays_nominal(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    // 1.0000005 ether per share: the coarse bound (millionths, rounded up) says 1.000001.
    let r = PAR + U256::from(500_000_000_000_000_000_000u128);
    pool.sender(admin).set_rate(r);
    request(&queue, alice, &[ether(1)]);
    assert_eq!(finalize(&queue, &pool, 1, r), ether(1));
    // Walked: the checkpoint carries the report's rate rather than the nominal marker.
    assert_eq!(queue.sender(alice).get_checkpoint(id(1)), (id(1), r));
    assert_eq!(
        queue.sender(alice).get_claimable_ether(&ids(&[1]), &ids(&[1])).motsu_unwrap(),
        vec![ether(1)]
    );
}

#[motsu::test]
fn a_request_above_the_coarse_bounds_ceiling_is_still_paid_at_most_at_the_report_rate(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    // 20 ether per share is above what the 24-bit bound holds (16.77): the bound saturates.
    pool.sender(admin).set_rate(rate(20, 1));
    request(&queue, alice, &[ether(1)]);
    let s = shares_at(ether(1), rate(20, 1));
    // A report at 17 ether per share: the request is owed s * 17, not its nominal 1 ether.
    let owed = s * U256::from(17);
    assert!(owed < ether(1));
    assert_eq!(queue.sender(alice).prefinalize(&ids(&[1]), rate(17, 1)).motsu_unwrap(), (owed, s));
    assert_eq!(finalize(&queue, &pool, 1, rate(17, 1)), owed);
    assert_eq!(queue.sender(alice).get_checkpoint(id(1)), (id(1), rate(17, 1)));
}

#[motsu::test]
fn the_pending_rate_bound_resets_when_a_walked_batch_finalizes_every_request(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    pool.sender(admin).set_rate(rate(11, 10));
    request(&queue, alice, &[ether(1)]);
    finalize(&queue, &pool, 1, PAR);
    assert_eq!(queue.sender(alice).get_checkpoint(id(1)), (id(1), PAR));

    // Back at par: with the bound reset, a report at par takes the fast path.
    pool.sender(admin).set_rate(PAR);
    request(&queue, alice, &[ether(1)]);
    assert_eq!(finalize(&queue, &pool, 2, PAR), ether(1));
    assert_eq!(queue.sender(alice).get_last_checkpoint_index(), id(2));
    assert_eq!(queue.sender(alice).get_checkpoint(id(2)), (id(2), nominal()));
}

#[motsu::test]
fn the_pending_rate_bound_stays_while_requests_are_left_unfinalized(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    pool.sender(admin).set_rate(rate(11, 10));
    request(&queue, alice, &[ether(1)]);
    pool.sender(admin).set_rate(PAR);
    request(&queue, alice, &[ether(1)]);

    let s1 = shares_at(ether(1), rate(11, 10));
    assert_eq!(finalize(&queue, &pool, 1, PAR), s1);
    // Request 2 is at par, but the bound still covers request 1's 1.1: the batch is walked
    // (a checkpoint with the rate) and pays the nominal ether all the same.
    assert_eq!(finalize(&queue, &pool, 2, PAR), ether(1));
    assert_eq!(queue.sender(alice).get_checkpoint(id(2)), (id(2), PAR));
    assert_eq!(queue.sender(alice).get_locked_ether_amount(), s1 + ether(1));
}

#[motsu::test]
fn consecutive_fast_batches_extend_one_nominal_checkpoint_and_a_walked_one_opens_its_own(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1), ether(1), ether(1), ether(1)]);
    finalize(&queue, &pool, 1, PAR);
    finalize(&queue, &pool, 2, rate(11, 10));
    let q = || queue.sender(alice);
    assert_eq!(q().get_last_checkpoint_index(), id(1), "merged into the first");
    assert_eq!(q().get_checkpoint(id(1)), (id(1), nominal()));

    // A loss: walked, a checkpoint of its own.
    let r = PAR - U256::from(1_000);
    finalize(&queue, &pool, 3, r);
    assert_eq!(q().get_last_checkpoint_index(), id(2));
    assert_eq!(q().get_checkpoint(id(2)), (id(3), r));

    // Fast again: a new nominal checkpoint (the walked one is not extended), then merged.
    finalize(&queue, &pool, 4, PAR);
    assert_eq!(q().get_checkpoint(id(3)), (id(4), nominal()));
    request(&queue, alice, &[ether(2)]);
    finalize(&queue, &pool, 5, rate(2, 1));
    assert_eq!(q().get_last_checkpoint_index(), id(3));
    assert_eq!(q().get_last_finalized_request_id(), id(5));

    assert_eq!(hints_for(&queue, &ids(&[1, 2, 3, 4, 5])), ids(&[1, 1, 2, 3, 3]));
    let paid_at_r = ether(1) * r / PAR;
    assert_eq!(
        q().get_claimable_ether(&ids(&[1, 2, 3, 4, 5]), &ids(&[1, 1, 2, 3, 3])).motsu_unwrap(),
        vec![ether(1), ether(1), paid_at_r, ether(1), ether(2)]
    );
    assert_eq!(q().get_locked_ether_amount(), ether(5) + paid_at_r);
}

#[motsu::test]
fn finalizing_id_0_a_finalized_id_or_past_the_last_request_is_refused(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1), ether(1)]);
    finalize(&queue, &pool, 1, PAR);
    pool.address().fund(ether(1));
    let before = snapshot(&queue, &[alice]);
    let too_wide = U256::from(u64::from(u32::MAX) + 1);
    for requested in [U256::ZERO, id(1), id(3), too_wide, U256::MAX] {
        let err = queue
            .sender_and_value(pool.address(), ether(1))
            .finalize(requested, PAR)
            .motsu_unwrap_err();
        assert_eq!(
            err,
            Error::InvalidFinalizationId(InvalidFinalizationId {
                requested,
                lastFinalized: id(1),
                lastRequest: id(2),
            })
        );
    }
    assert_eq!(snapshot(&queue, &[alice]), before);
}

#[motsu::test]
fn finalizing_with_no_requests_is_refused(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let err = queue.sender(pool.address()).finalize(id(1), PAR).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::InvalidFinalizationId(InvalidFinalizationId {
            requested: id(1),
            lastFinalized: U256::ZERO,
            lastRequest: U256::ZERO,
        })
    );
}

#[motsu::test]
fn a_share_rate_of_zero_or_of_96_bits_and_more_is_refused(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1)]);
    pool.address().fund(ether(1));
    let before = snapshot(&queue, &[alice]);
    for r in [U256::ZERO, nominal(), U256::from(1u128 << 96), U256::MAX] {
        let err =
            queue.sender_and_value(pool.address(), ether(1)).finalize(id(1), r).motsu_unwrap_err();
        assert_eq!(err, Error::InvalidShareRate(InvalidShareRate { maxShareRate: r }));
        let err = queue.sender(alice).prefinalize(&ids(&[1]), r).motsu_unwrap_err();
        assert_eq!(err, Error::InvalidShareRate(InvalidShareRate { maxShareRate: r }));
    }
    assert_eq!(snapshot(&queue, &[alice]), before);
    // The widest valid rate is a gain: nominal.
    assert_eq!(finalize(&queue, &pool, 1, nominal() - U256::from(1)), ether(1));
}

#[motsu::test]
fn a_request_finalized_at_a_rate_of_one_is_owed_nothing(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1)]);
    queue
        .sender_and_value(pool.address(), U256::ZERO)
        .finalize(id(1), U256::from(1))
        .motsu_unwrap();
    let q = queue.sender(alice);
    assert_eq!(q.get_last_finalized_request_id(), id(1));
    assert_eq!(q.get_locked_ether_amount(), U256::ZERO);
    assert_eq!(q.get_checkpoint(id(1)), (id(1), U256::from(1)));
}

#[motsu::test]
fn a_request_younger_than_the_minimum_delay_cannot_be_finalized(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup_with_delay(&queue, &pool, &manager, admin);
    assert_eq!(
        queue.sender(alice).get_min_finalization_delay(),
        U256::from(crate::DEFAULT_MIN_DELAY)
    );
    request(&queue, alice, &[ether(1)]);
    pool.address().fund(ether(1));
    let before = snapshot(&queue, &[alice]);
    let err =
        queue.sender_and_value(pool.address(), ether(1)).finalize(id(1), PAR).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::RequestTooRecent(RequestTooRecent {
            requestId: id(1),
            finalizableAt: now() + U256::from(crate::DEFAULT_MIN_DELAY),
        })
    );
    assert_eq!(snapshot(&queue, &[alice]), before);
    // A delay of one second is still too long in the same block; none is not.
    queue.sender(admin).set_min_finalization_delay(U256::from(1)).motsu_unwrap();
    let err =
        queue.sender_and_value(pool.address(), ether(1)).finalize(id(1), PAR).motsu_unwrap_err();
    assert_eq!(
        err,
        Error::RequestTooRecent(RequestTooRecent {
            requestId: id(1),
            finalizableAt: now() + U256::from(1)
        })
    );
    queue.sender(admin).set_min_finalization_delay(U256::ZERO).motsu_unwrap();
    queue.sender_and_value(pool.address(), ether(1)).finalize(id(1), PAR).motsu_unwrap();
}

#[motsu::test]
fn prefinalize_says_what_finalize_will_lock_through_the_last_batch(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    pool.sender(admin).set_rate(rate(11, 10));
    request(&queue, alice, &[ether(1), ether(2), ether(3)]);
    let shares = shares_at(ether(6), rate(11, 10));
    let r = rate(105, 100);
    let (owed, burned) = queue.sender(alice).prefinalize(&ids(&[1, 2, 3]), r).motsu_unwrap();
    assert_eq!(burned, shares);
    assert_eq!(queue.sender(alice).prefinalize(&ids(&[3]), r).motsu_unwrap(), (owed, burned));
    assert!(owed < ether(6));
    assert_eq!(finalize(&queue, &pool, 3, r), owed);
    assert_eq!(queue.sender(alice).get_locked_ether_amount(), owed);
    queue.assert_emitted(&WithdrawalsFinalized {
        from: id(1),
        to: id(3),
        amountOfETHLocked: owed,
        sharesToBurn: shares,
        maxShareRate: r,
        timestamp: now(),
    });
}

#[motsu::test]
fn prefinalize_refuses_batches_that_are_empty_unordered_finalized_or_past_the_last(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1), ether(1), ether(1)]);
    finalize(&queue, &pool, 1, PAR);
    for batches in [
        vec![],
        ids(&[0]),
        ids(&[1]),
        ids(&[1, 2]),
        ids(&[2, 2]),
        ids(&[3, 2]),
        ids(&[4]),
        ids(&[2, 4]),
        vec![U256::MAX],
    ] {
        let err = queue.sender(alice).prefinalize(&batches, PAR).motsu_unwrap_err();
        assert_eq!(err, Error::InvalidBatches(InvalidBatches {}), "{batches:?}");
    }
    assert_eq!(
        queue.sender(alice).prefinalize(&ids(&[2, 3]), PAR).motsu_unwrap(),
        (ether(2), ether(2))
    );
}

#[motsu::test]
fn locking_more_ether_than_the_locked_field_holds_is_an_overflow(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    // The widest request the bounds allow, 1,100 times: just over the 88 bits of `locked`.
    let max = U256::from((1u64 << 48) - 1) * U256::from(1_000_000_000u64);
    queue.sender(admin).set_request_bounds(MIN, max).motsu_unwrap();
    let amounts = vec![max; 1_100];
    request(&queue, alice, &amounts);
    let all = max * U256::from(1_100);
    assert!(all > U256::from(1u128 << 88) && all - max < U256::from(1u128 << 88));

    pool.address().fund(all);
    let err =
        queue.sender_and_value(pool.address(), all).finalize(id(1_100), PAR).motsu_unwrap_err();
    assert_eq!(err, Error::MathOverflow(MathOverflow {}));
    assert_eq!(queue.sender(alice).get_last_finalized_request_id(), U256::ZERO);
    assert_eq!(finalize(&queue, &pool, 1_099, PAR), all - max);
    let err =
        queue.sender_and_value(pool.address(), max).finalize(id(1_100), PAR).motsu_unwrap_err();
    assert_eq!(err, Error::MathOverflow(MathOverflow {}));
    assert_eq!(queue.sender(alice).get_locked_ether_amount(), all - max);
}

mod bunker {
    use super::*;

    /// Request 1 at par, request 2 at 1.1 ether per share.
    fn two_rates(
        queue: &Contract<WithdrawalQueue>,
        pool: &Contract<PoolMock>,
        admin: Address,
        alice: Address,
    ) {
        request(queue, alice, &[ether(1)]);
        pool.sender(admin).set_rate(rate(11, 10));
        request(queue, alice, &[ether(1)]);
    }

    #[motsu::test]
    fn bunker_mode_refuses_a_batch_with_a_request_above_the_report_rate(
        queue: Contract<WithdrawalQueue>,
        pool: Contract<PoolMock>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
    ) {
        setup(&queue, &pool, &manager, admin);
        two_rates(&queue, &pool, admin, alice);
        queue.sender(pool.address()).set_bunker_mode(true).motsu_unwrap();
        assert!(queue.sender(alice).is_bunker_mode_active());

        let refused = Error::BunkerModeRateAboveReport(BunkerModeRateAboveReport {
            requestId: id(2),
            maxShareRate: PAR,
        });
        assert_eq!(queue.sender(alice).prefinalize(&ids(&[2]), PAR).motsu_unwrap_err(), refused);
        pool.address().fund(ether(2));
        let before = snapshot(&queue, &[alice]);
        let err = queue
            .sender_and_value(pool.address(), ether(2))
            .finalize(id(2), PAR)
            .motsu_unwrap_err();
        assert_eq!(err, refused);
        assert_eq!(snapshot(&queue, &[alice]), before);

        // Request 1 is not above the rate: it goes through (walked, at its nominal ether).
        assert_eq!(finalize(&queue, &pool, 1, PAR), ether(1));
        let err = queue
            .sender_and_value(pool.address(), ether(1))
            .finalize(id(2), PAR)
            .motsu_unwrap_err();
        assert_eq!(err, refused);

        // Out of bunker mode the loss is shared.
        queue.sender(pool.address()).set_bunker_mode(false).motsu_unwrap();
        assert_eq!(finalize(&queue, &pool, 2, PAR), shares_at(ether(1), rate(11, 10)));
    }

    #[motsu::test]
    fn bunker_mode_lets_a_batch_at_or_below_the_report_rate_through(
        queue: Contract<WithdrawalQueue>,
        pool: Contract<PoolMock>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
    ) {
        setup(&queue, &pool, &manager, admin);
        two_rates(&queue, &pool, admin, alice);
        queue.sender(pool.address()).set_bunker_mode(true).motsu_unwrap();
        assert_eq!(finalize(&queue, &pool, 2, rate(11, 10)), ether(2));
    }

    #[motsu::test]
    fn bunker_mode_is_logged_only_when_it_changes(
        queue: Contract<WithdrawalQueue>,
        pool: Contract<PoolMock>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
    ) {
        setup(&queue, &pool, &manager, admin);
        let p = pool.address();
        queue.sender(p).set_bunker_mode(false).motsu_unwrap();
        assert_eq!(count_events(&queue, BunkerModeSet::SIGNATURE_HASH), 0);
        queue.sender(p).set_bunker_mode(true).motsu_unwrap();
        queue.assert_emitted(&BunkerModeSet { active: true });
        queue.sender(p).set_bunker_mode(true).motsu_unwrap();
        assert_eq!(count_events(&queue, BunkerModeSet::SIGNATURE_HASH), 1);
        assert!(queue.sender(p).is_bunker_mode_active());
        queue.sender(p).set_bunker_mode(false).motsu_unwrap();
        queue.assert_emitted(&BunkerModeSet { active: false });
        assert_eq!(count_events(&queue, BunkerModeSet::SIGNATURE_HASH), 2);
        assert!(!queue.sender(p).is_bunker_mode_active());
    }
}
