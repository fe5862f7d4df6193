//! The constructor and the views: statuses, claimable ether, checkpoint hints, counters.

use super::*;
use crate::{errors::*, events::Initialized};

/// Five requests of 1 ether and four checkpoints: 1 (nominal, ids 1-2), 2 (at 0.9, id 3),
/// 3 (nominal, id 4), 4 (at 0.8, id 5); request 6 unfinalized.
fn four_checkpoints(queue: &Contract<WithdrawalQueue>, pool: &Contract<PoolMock>, alice: Address) {
    request(queue, alice, &[ether(1); 6]);
    finalize(queue, pool, 1, PAR);
    finalize(queue, pool, 2, PAR);
    finalize(queue, pool, 3, rate(9, 10));
    finalize(queue, pool, 4, PAR);
    finalize(queue, pool, 5, rate(8, 10));
}

#[motsu::test]
fn the_constructor_sets_the_pool_the_manager_the_extension_and_lidos_defaults(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
) {
    queue.sender(admin).constructor(pool.address(), manager.address(), EXTENSION).motsu_unwrap();
    let q = queue.sender(admin);
    assert_eq!(q.pool(), pool.address());
    assert_eq!(q.access_manager(), manager.address());
    assert_eq!(q.extension(), EXTENSION);
    assert_eq!(q.get_request_bounds(), (U256::from(100), ether(1_000)));
    assert_eq!(q.get_min_finalization_delay(), U256::from(7_680));
    assert!(!q.is_paused());
    assert!(!q.is_bunker_mode_active());
    queue.assert_emitted(&Initialized {
        pool: pool.address(),
        accessManager: manager.address(),
        extension: EXTENSION,
    });
}

#[motsu::test]
fn the_constructor_runs_once(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    mallory: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let before = snapshot(&queue, &[]);
    for who in [admin, mallory] {
        let err = queue.sender(who).constructor(mallory, mallory, mallory).motsu_unwrap_err();
        assert_eq!(err, Error::AlreadyInitialized(AlreadyInitialized {}));
    }
    assert_eq!(snapshot(&queue, &[]), before);
    assert_eq!(queue.sender(admin).pool(), pool.address());
    assert_eq!(queue.sender(admin).access_manager(), manager.address());
    assert_eq!(queue.sender(admin).extension(), EXTENSION);
}

#[motsu::test]
fn the_constructor_refuses_a_zero_address_and_a_zero_extension(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
) {
    let (p, m, z) = (pool.address(), manager.address(), Address::ZERO);
    for (a, b, c) in [(z, m, EXTENSION), (p, z, EXTENSION)] {
        let err = queue.sender(admin).constructor(a, b, c).motsu_unwrap_err();
        assert_eq!(err, Error::InvalidAddress(InvalidAddress {}));
    }
    let err = queue.sender(admin).constructor(p, m, z).motsu_unwrap_err();
    assert_eq!(err, Error::InvalidExtension(crate::errors::InvalidExtension { extension: z }));
    assert_eq!(queue.sender(admin).pool(), Address::ZERO);
    assert_eq!(queue.all_events().len(), 0);
    // A failed constructor leaves the guard word unset: it can still run.
    queue.sender(admin).constructor(p, m, EXTENSION).motsu_unwrap();
}

#[motsu::test]
fn views_before_the_constructor_are_zero(queue: Contract<WithdrawalQueue>, alice: Address) {
    let q = queue.sender(alice);
    assert_eq!(q.pool(), Address::ZERO);
    assert_eq!(q.access_manager(), Address::ZERO);
    assert_eq!(q.extension(), Address::ZERO);
    assert_eq!(q.get_request_bounds(), (U256::ZERO, U256::ZERO));
    assert_eq!(q.get_min_finalization_delay(), U256::ZERO);
    assert_eq!(q.get_last_request_id(), U256::ZERO);
    assert_eq!(q.get_last_finalized_request_id(), U256::ZERO);
    assert_eq!(q.get_last_checkpoint_index(), U256::ZERO);
    assert_eq!(q.get_checkpoint(id(1)), (U256::ZERO, U256::ZERO));
    assert_eq!(q.get_locked_ether_amount(), U256::ZERO);
    assert_eq!(q.unfinalized_st_eth(), U256::ZERO);
    assert_eq!(q.unfinalized_request_number(), U256::ZERO);
    assert_eq!(q.get_withdrawal_requests(alice), Vec::<U256>::new());
    assert_eq!(q.find_checkpoint_hints(&ids(&[1]), id(1), id(1)), ids(&[0]));
    assert!(!q.is_paused());
    assert!(!q.is_bunker_mode_active());
}

#[motsu::test]
fn the_counters_follow_requests_finalization_and_claims(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let r = receiver.address();
    let q = || queue.sender(r);
    let counters = || {
        (
            q().get_last_request_id(),
            q().get_last_finalized_request_id(),
            q().unfinalized_request_number(),
            q().unfinalized_st_eth(),
            q().get_locked_ether_amount(),
        )
    };
    q().request_withdrawals(&[ether(1), ether(2), ether(3)], Address::ZERO).motsu_unwrap();
    assert_eq!(counters(), (id(3), U256::ZERO, id(3), ether(6), U256::ZERO));
    finalize(&queue, &pool, 2, PAR);
    assert_eq!(counters(), (id(3), id(2), id(1), ether(3), ether(3)));
    q().claim_withdrawal(id(2)).motsu_unwrap();
    assert_eq!(counters(), (id(3), id(2), id(1), ether(3), ether(1)));
    finalize(&queue, &pool, 3, rate(1, 2));
    assert_eq!(
        counters(),
        (id(3), id(3), U256::ZERO, U256::ZERO, ether(1) + ether(3) / U256::from(2))
    );
    q().claim_withdrawals(&ids(&[1, 3]), &ids(&[1, 2])).motsu_unwrap();
    assert_eq!(counters(), (id(3), id(3), U256::ZERO, U256::ZERO, U256::ZERO));
}

#[motsu::test]
fn the_status_of_each_request_shows_its_amounts_owner_time_and_state(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let r = receiver.address();
    request(&queue, alice, &[ether(1)]);
    pool.sender(admin).set_rate(rate(2, 1));
    queue.sender(alice).request_withdrawals(&[ether(4), ether(6)], r).motsu_unwrap();
    finalize(&queue, &pool, 2, PAR);
    queue.sender(r).claim_withdrawal(id(2)).motsu_unwrap();
    let got = queue.sender(alice).get_withdrawal_status(&ids(&[3, 1, 2, 3])).motsu_unwrap();
    assert_eq!(
        got,
        vec![
            (ether(6), ether(3), r, now(), false, false),
            (ether(1), ether(1), alice, now(), true, false),
            (U256::ZERO, U256::ZERO, Address::ZERO, now(), true, true),
            (ether(6), ether(3), r, now(), false, false),
        ]
    );
    assert_eq!(queue.sender(alice).get_withdrawal_status(&[]).motsu_unwrap(), vec![]);
}

#[motsu::test]
fn the_status_of_id_0_or_past_the_last_request_is_refused(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1)]);
    for bad in [U256::ZERO, id(2), U256::from(u64::from(u32::MAX) + 1), U256::MAX] {
        let err = queue.sender(alice).get_withdrawal_status(&[id(1), bad]).motsu_unwrap_err();
        assert_eq!(err, Error::InvalidRequestId(InvalidRequestId { requestId: bad }));
        let err = queue.sender(alice).get_claimable_ether(&[bad], &ids(&[1])).motsu_unwrap_err();
        assert_eq!(err, Error::InvalidRequestId(InvalidRequestId { requestId: bad }));
    }
}

#[motsu::test]
fn claimable_ether_is_the_payout_of_finalized_unclaimed_requests_and_zero_otherwise(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let r = receiver.address();
    four_checkpoints(&queue, &pool, r);
    queue.sender(r).claim_withdrawal(id(2)).motsu_unwrap();
    let q = queue.sender(r);
    let all = ids(&[1, 2, 3, 4, 5, 6]);
    // Claimed and unfinalized requests need no valid hint.
    let got = q.get_claimable_ether(&all, &ids(&[1, 0, 2, 3, 4, 0])).motsu_unwrap();
    assert_eq!(
        got,
        vec![
            ether(1),
            U256::ZERO,
            rate(9, 10) / U256::from(1_000_000_000u64),
            ether(1),
            rate(8, 10) / U256::from(1_000_000_000u64),
            U256::ZERO
        ]
    );
    assert_eq!(q.get_claimable_ether(&[], &[]).motsu_unwrap(), Vec::<U256>::new());
    assert_eq!(
        q.get_claimable_ether(&ids(&[3]), &ids(&[1])).motsu_unwrap_err(),
        Error::InvalidHint(InvalidHint { requestId: id(3), hint: id(1) })
    );
    assert_eq!(
        q.get_claimable_ether(&ids(&[5]), &ids(&[5])).motsu_unwrap_err(),
        Error::InvalidHint(InvalidHint { requestId: id(5), hint: id(5) })
    );
    assert_eq!(
        q.get_claimable_ether(&ids(&[1, 3]), &ids(&[1])).motsu_unwrap_err(),
        Error::ArrayLengthMismatch(ArrayLengthMismatch { ids: id(2), hints: id(1) })
    );
}

#[motsu::test]
fn checkpoint_hints_name_the_checkpoint_covering_each_finalized_id_within_the_range(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    four_checkpoints(&queue, &pool, alice);
    let q = queue.sender(alice);
    assert_eq!(q.get_last_checkpoint_index(), id(4));
    assert_eq!(q.get_checkpoint(id(1)), (id(1), nominal()));
    assert_eq!(q.get_checkpoint(id(2)), (id(3), rate(9, 10)));
    assert_eq!(q.get_checkpoint(id(3)), (id(4), nominal()));
    assert_eq!(q.get_checkpoint(id(4)), (id(5), rate(8, 10)));

    let all = ids(&[0, 1, 2, 3, 4, 5, 6, 7]);
    let hints = |first: u64, last: u64| q.find_checkpoint_hints(&all, id(first), id(last));
    assert_eq!(hints(1, 4), ids(&[0, 1, 1, 2, 3, 4, 0, 0]));
    // A range past the last checkpoint is cut to it.
    assert_eq!(hints(1, 100), ids(&[0, 1, 1, 2, 3, 4, 0, 0]));
    assert_eq!(q.find_checkpoint_hints(&all, id(1), U256::MAX), ids(&[0, 1, 1, 2, 3, 4, 0, 0]));
    // Ids outside the range's checkpoints get 0.
    assert_eq!(hints(2, 3), ids(&[0, 0, 0, 2, 3, 0, 0, 0]));
    assert_eq!(hints(1, 1), ids(&[0, 1, 1, 0, 0, 0, 0, 0]));
    assert_eq!(hints(4, 4), ids(&[0, 0, 0, 0, 0, 4, 0, 0]));
    assert_eq!(hints(2, 2), ids(&[0, 0, 0, 2, 0, 0, 0, 0]));
    // Empty or meaningless ranges.
    assert_eq!(hints(0, 4), ids(&[0; 8]));
    assert_eq!(hints(3, 2), ids(&[0; 8]));
    assert_eq!(hints(5, 9), ids(&[0; 8]));
    assert_eq!(q.find_checkpoint_hints(&all, U256::MAX, U256::MAX), ids(&[0; 8]));
    assert_eq!(q.find_checkpoint_hints(&[U256::MAX], id(1), id(4)), ids(&[0]));
    assert_eq!(q.find_checkpoint_hints(&[], id(1), id(4)), Vec::<U256>::new());

    // Every hint found is accepted by a claim's check.
    let found = hints(1, 4);
    let finalized = ids(&[1, 2, 3, 4, 5]);
    assert_eq!(
        q.get_claimable_ether(&finalized, &found[1..6]).motsu_unwrap().len(),
        finalized.len()
    );
}

#[motsu::test]
fn checkpoints_outside_the_recorded_ones_read_as_zero(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1)]);
    finalize(&queue, &pool, 1, PAR);
    let q = queue.sender(alice);
    for index in [U256::ZERO, id(2), U256::from(u64::from(u32::MAX) + 1), U256::MAX] {
        assert_eq!(q.get_checkpoint(index), (U256::ZERO, U256::ZERO));
    }
    assert_eq!(q.get_checkpoint(id(1)), (id(1), nominal()));
}

#[motsu::test]
fn the_requests_of_an_owner_are_its_unclaimed_nfts_in_id_order(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    receiver: Contract<ReceiverMock>,
    admin: Address,
    alice: Address,
    bob: Address,
) {
    setup(&queue, &pool, &manager, admin);
    let r = receiver.address();
    queue.sender(alice).request_withdrawals(&[ether(1), ether(1)], r).motsu_unwrap();
    request(&queue, bob, &[ether(1)]);
    queue.sender(alice).request_withdrawals(&[ether(1)], r).motsu_unwrap();
    queue.sender(bob).transfer_from(bob, r, id(3)).motsu_unwrap();
    let q = || queue.sender(alice);
    assert_eq!(q().get_withdrawal_requests(r), ids(&[1, 2, 3, 4]));
    assert_eq!(q().get_withdrawal_requests(bob), Vec::<U256>::new());
    finalize(&queue, &pool, 4, PAR);
    queue.sender(r).claim_withdrawals(&ids(&[2, 3]), &ids(&[1, 1])).motsu_unwrap();
    assert_eq!(q().get_withdrawal_requests(r), ids(&[1, 4]));
    assert_eq!(q().get_withdrawal_requests(Address::ZERO), Vec::<U256>::new());
    assert_eq!(q().get_withdrawal_requests(alice), Vec::<U256>::new());
}

/// The generated router (`staking_interface::interface!`): native builds route core and
/// extension selectors alike (as the wasm core does by forwarding), so a
/// contract calling the queue with raw calldata reaches every entry point.
mod through_the_abi {
    use super::*;
    use crate::abi::IWithdrawalQueue as I;

    /// `call` made by `forwarder` (with `value`), its answer decoded, or its revert data.
    fn via<C: SolCall>(
        forwarder: &Contract<ForwarderMock>,
        queue: &Contract<WithdrawalQueue>,
        value: U256,
        call: &C,
    ) -> Result<C::Return, Vec<u8>> {
        staking_common::mocks::forward_call(forwarder, queue.address(), value, call)
    }

    #[motsu::test]
    fn a_request_its_finalization_and_its_claim_go_through_the_abi(
        queue: Contract<WithdrawalQueue>,
        pool: Contract<PoolMock>,
        manager: Contract<AccessManagerMock>,
        forwarder: Contract<ForwarderMock>,
        receiver: Contract<ReceiverMock>,
        admin: Address,
    ) {
        setup(&queue, &pool, &manager, admin);
        let (f, z) = (forwarder.address(), U256::ZERO);

        let amounts = vec![ether(1), ether(2)];
        let request = I::requestWithdrawalsCall { amounts, owner: Address::ZERO };
        assert_eq!(via(&forwarder, &queue, z, &request).unwrap().requestIds, ids(&[1, 2]));
        assert_eq!(queue.sender(admin).get_withdrawal_requests(f), ids(&[1, 2]));

        let prefinalize = I::prefinalizeCall { batches: ids(&[2]), maxShareRate: PAR };
        let pre = via(&forwarder, &queue, z, &prefinalize).unwrap();
        assert_eq!((pre.ethToLock, pre.sharesToBurn), (ether(3), ether(3)));
        // The one payable entry point, routed with its value and refused to anyone but the
        // pool (which finalizes inside a report).
        let call = I::finalizeCall { lastIdToFinalize: id(2), maxShareRate: PAR };
        let refused = via(&forwarder, &queue, ether(3), &call).err();
        assert_eq!(refused, Some(Vec::<u8>::from(Error::NotPool(NotPool { caller: f }))));
        assert_eq!(queue.balance(), U256::ZERO);
        assert_eq!(finalize(&queue, &pool, 2, PAR), ether(3));
        assert_eq!(queue.balance(), ether(3));

        let statuses =
            via(&forwarder, &queue, z, &I::getWithdrawalStatusCall { requestIds: ids(&[2]) })
                .unwrap();
        let s = &statuses.statuses[0];
        assert_eq!(
            (s.amountOfStETH, s.amountOfShares, s.owner, s.timestamp, s.isFinalized, s.isClaimed),
            (ether(2), ether(2), f, now(), true, false)
        );
        let checkpoint =
            via(&forwarder, &queue, z, &I::getCheckpointCall { index: id(1) }).unwrap();
        assert_eq!((checkpoint.firstRequestId, checkpoint.maxShareRate), (id(1), nominal()));
        let hints = I::findCheckpointHintsCall {
            requestIds: ids(&[1, 2]),
            firstIndex: id(1),
            lastIndex: id(1),
        };
        assert_eq!(via(&forwarder, &queue, z, &hints).unwrap().hintIds, ids(&[1, 1]));

        let claim = I::claimWithdrawalsToCall {
            requestIds: ids(&[1, 2]),
            hints: ids(&[1, 1]),
            recipient: receiver.address(),
        };
        via(&forwarder, &queue, z, &claim).unwrap();
        assert_eq!(receiver.balance(), ether(3));
        assert_eq!(via(&forwarder, &queue, z, &I::getLockedEtherAmountCall {}).unwrap()._0, z);
        assert_eq!(via(&forwarder, &queue, z, &I::nameCall {}).unwrap()._0, crate::NAME);
    }

    #[motsu::test]
    fn errors_come_back_as_their_abi_encoding(
        queue: Contract<WithdrawalQueue>,
        pool: Contract<PoolMock>,
        manager: Contract<AccessManagerMock>,
        forwarder: Contract<ForwarderMock>,
        admin: Address,
    ) {
        setup(&queue, &pool, &manager, admin);
        let (f, z) = (forwarder.address(), U256::ZERO);
        let claim = I::claimWithdrawalCall { requestId: z };
        let err = via(&forwarder, &queue, z, &claim).err().expect("refused");
        assert_eq!(err, InvalidRequestId { requestId: z }.abi_encode());

        let request = I::requestWithdrawalsCall { amounts: ids(&[1]), owner: Address::ZERO };
        let err = via(&forwarder, &queue, z, &request).expect_err("refused");
        assert_eq!(err, RequestAmountTooSmall { amount: id(1), min: MIN }.abi_encode());

        let err = via(&forwarder, &queue, z, &I::pauseCall {}).err().expect("refused");
        let reason = MockUnauthorized { account: f, role: PAUSE_ROLE }.abi_encode();
        assert_eq!(err, AccessDenied { caller: f, role: PAUSE_ROLE, reason }.abi_encode());
    }

    #[motsu::test]
    fn ether_sent_to_anything_but_finalize_and_calls_that_do_not_decode_are_refused(
        queue: Contract<WithdrawalQueue>,
        pool: Contract<PoolMock>,
        manager: Contract<AccessManagerMock>,
        forwarder: Contract<ForwarderMock>,
        admin: Address,
    ) {
        setup(&queue, &pool, &manager, admin);
        request(&queue, admin, &[ether(1)]);
        let before = snapshot(&queue, &[admin, forwarder.address()]);
        // The queue reverts with empty data, which motsu reports as "function not found".
        let empty_revert = |value: U256, data: Vec<u8>| {
            admin.fund(value);
            let answer = forwarder
                .sender_and_value(admin, value)
                .forward(queue.address(), Bytes(data))
                .motsu_unwrap_err();
            assert!(answer.starts_with(b"function not found"), "{answer:?}");
        };
        let one_wei = U256::from(1);
        empty_revert(one_wei, I::getLastRequestIdCall {}.abi_encode());
        empty_revert(
            one_wei,
            I::requestWithdrawalsCall { amounts: vec![ether(1)], owner: Address::ZERO }
                .abi_encode(),
        );
        empty_revert(one_wei, I::claimWithdrawalCall { requestId: id(1) }.abi_encode());
        empty_revert(one_wei, I::pauseCall {}.abi_encode());
        let mut short = I::ownerOfCall { tokenId: id(1) }.abi_encode();
        short.truncate(20);
        empty_revert(U256::ZERO, short);
        empty_revert(U256::ZERO, vec![0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(snapshot(&queue, &[admin, forwarder.address()]), before);
    }
}
