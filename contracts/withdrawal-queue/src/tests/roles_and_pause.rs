//! Who may call what: pause and resume (separate roles), finalization and bunker mode (the
//! pool alone, inside a report: no role opens them), the configuration
//! (`WITHDRAWAL_CONFIG_ROLE`); what the manager is asked; what a pause stops and what it does
//! not; the configuration setters' own checks.

use super::*;
use crate::{
    abi::IWithdrawalQueue as I,
    errors::*,
    events::{BaseURISet, MinFinalizationDelaySet, Paused, RequestBoundsSet, Resumed},
};
use alloy_sol_types::SolEvent;
use staking_common::roles::{DEFAULT_ADMIN_ROLE, GUARDIAN_ROLE};

/// The manager's last allowed call: `(caller, role, calldata)`.
fn last_call(manager: &Contract<AccessManagerMock>) -> (Address, B256, Vec<u8>) {
    let (caller, role, data) = manager.sender(Address::ZERO).last_call();
    (caller, role, data.0)
}

#[motsu::test]
fn pausing_needs_the_pause_role_and_resuming_the_resume_role(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    pauser: Address,
    resumer: Address,
) {
    setup(&queue, &pool, &manager, admin);
    manager.sender(admin).grant(PAUSE_ROLE, pauser);
    manager.sender(admin).grant(RESUME_ROLE, resumer);
    assert_eq!(queue.sender(resumer).pause().motsu_unwrap_err(), denied(resumer, PAUSE_ROLE));

    queue.sender(pauser).pause().motsu_unwrap();
    assert!(queue.sender(pauser).is_paused());
    queue.assert_emitted(&Paused { by: pauser });
    assert_eq!(last_call(&manager), (pauser, PAUSE_ROLE, I::pauseCall {}.abi_encode()));
    assert_eq!(queue.sender(pauser).resume().motsu_unwrap_err(), denied(pauser, RESUME_ROLE));
    assert!(queue.sender(pauser).is_paused());

    queue.sender(resumer).resume().motsu_unwrap();
    assert!(!queue.sender(resumer).is_paused());
    queue.assert_emitted(&Resumed { by: resumer });
    assert_eq!(last_call(&manager), (resumer, RESUME_ROLE, I::resumeCall {}.abi_encode()));
}

#[motsu::test]
fn pausing_twice_or_resuming_an_unpaused_queue_is_refused(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
) {
    setup(&queue, &pool, &manager, admin);
    assert_eq!(queue.sender(admin).resume().motsu_unwrap_err(), Error::NotPaused(NotPaused {}));
    queue.sender(admin).pause().motsu_unwrap();
    let before = snapshot(&queue, &[]);
    assert_eq!(
        queue.sender(admin).pause().motsu_unwrap_err(),
        Error::AlreadyPaused(AlreadyPaused {})
    );
    assert_eq!(snapshot(&queue, &[]), before);
    assert_eq!(count_events(&queue, Paused::SIGNATURE_HASH), 1);
}

#[motsu::test]
fn a_paused_queue_refuses_requests_and_finalization_but_not_claims_or_nft_moves(
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
    queue.sender(alice).request_withdrawals(&[ether(1), ether(1), ether(1)], r).motsu_unwrap();
    finalize(&queue, &pool, 2, PAR);
    queue.sender(admin).pause().motsu_unwrap();
    let before = snapshot(&queue, &[alice, r, bob]);
    let paused = Error::QueuePaused(QueuePaused {});

    assert_eq!(
        queue.sender(alice).request_withdrawals(&[ether(1)], Address::ZERO).motsu_unwrap_err(),
        paused
    );
    assert_eq!(
        queue.sender(alice).request_withdrawals_split(ether(1), Address::ZERO).motsu_unwrap_err(),
        paused
    );
    pool.address().fund(ether(1));
    // The pool is refused by the pause; anyone else is not the pool to begin with.
    let not_pool = Error::NotPool(NotPool { caller: admin });
    for (caller, expected) in [(pool.address(), paused), (admin, not_pool)] {
        pool.address().fund(ether(1));
        caller.fund(ether(1));
        let err = queue.sender_and_value(caller, ether(1)).finalize(id(3), PAR).motsu_unwrap_err();
        assert_eq!(err, expected);
    }
    assert_eq!(snapshot(&queue, &[alice, r, bob]), before);
    assert_eq!(pool.sender(alice).calls(), id(1), "the pool is not asked while paused");

    // Claims, transfers, approvals and bunker mode go on.
    queue.sender(r).claim_withdrawal(id(1)).motsu_unwrap();
    assert_eq!(receiver.balance(), ether(1));
    queue.sender(r).approve(bob, id(2)).motsu_unwrap();
    queue.sender(bob).transfer_from(r, bob, id(2)).motsu_unwrap();
    queue.sender(r).set_approval_for_all(bob, true).motsu_unwrap();
    queue.sender(bob).transfer_from(r, bob, id(3)).motsu_unwrap();
    queue.sender(pool.address()).set_bunker_mode(true).motsu_unwrap();

    queue.sender(admin).resume().motsu_unwrap();
    request(&queue, alice, &[ether(1)]);
    assert_eq!(finalize(&queue, &pool, 4, PAR), ether(2));
}

#[motsu::test]
fn the_pool_finalizes_without_asking_the_manager(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
) {
    setup(&queue, &pool, &manager, admin);
    request(&queue, alice, &[ether(1)]);
    let asked = manager.sender(admin).calls();
    finalize(&queue, &pool, 1, PAR);
    queue.sender(pool.address()).set_bunker_mode(true).motsu_unwrap();
    assert_eq!(manager.sender(admin).calls(), asked);
}

#[motsu::test]
fn no_role_finalizes_or_sets_bunker_mode_and_the_manager_is_not_asked(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    finalizer: Address,
) {
    setup(&queue, &pool, &manager, admin);
    // The id the removed FINALIZE_ROLE had, and governance's every role: neither opens them.
    let former = B256::from(alloy_primitives::keccak256("FINALIZE_ROLE"));
    manager.sender(admin).grant(former, finalizer);
    request(&queue, alice, &[ether(1)]);
    let asked = manager.sender(admin).calls();
    for who in [finalizer, admin] {
        who.fund(ether(1));
        let not_pool = Error::NotPool(NotPool { caller: who });
        for rate in [PAR, U256::from(1)] {
            let owed = queue.sender(who).prefinalize(&[id(1)], rate).motsu_unwrap().0;
            assert_eq!(
                queue.sender_and_value(who, owed).finalize(id(1), rate).motsu_unwrap_err(),
                not_pool
            );
        }
        assert_eq!(queue.sender(who).set_bunker_mode(true).motsu_unwrap_err(), not_pool);
    }
    assert_eq!(manager.sender(admin).calls(), asked, "the manager is not asked");
    assert_eq!(queue.sender(alice).get_last_finalized_request_id(), U256::ZERO);
    assert_eq!(queue.sender(alice).get_locked_ether_amount(), U256::ZERO);
    assert_eq!(queue.balance(), U256::ZERO);
    assert!(!queue.sender(alice).is_bunker_mode_active());
}

#[motsu::test]
fn callers_without_the_role_are_refused_everywhere_and_nothing_changes(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    alice: Address,
    mallory: Address,
) {
    setup(&queue, &pool, &manager, admin);
    // Mallory holds every role but the one each call needs.
    for role in [DEFAULT_ADMIN_ROLE, GUARDIAN_ROLE] {
        manager.sender(admin).grant(role, mallory);
    }
    request(&queue, alice, &[ether(1)]);
    mallory.fund(ether(1));
    let before = snapshot(&queue, &[alice, mallory]);
    let m = || queue.sender(mallory);
    assert_eq!(m().pause().motsu_unwrap_err(), denied(mallory, PAUSE_ROLE));
    assert_eq!(m().resume().motsu_unwrap_err(), denied(mallory, RESUME_ROLE));
    let not_pool = Error::NotPool(NotPool { caller: mallory });
    assert_eq!(
        queue.sender_and_value(mallory, ether(1)).finalize(id(1), PAR).motsu_unwrap_err(),
        not_pool
    );
    assert_eq!(m().set_bunker_mode(true).motsu_unwrap_err(), not_pool);
    assert_eq!(
        m().set_request_bounds(U256::from(1), ether(1)).motsu_unwrap_err(),
        denied(mallory, WITHDRAWAL_CONFIG_ROLE)
    );
    assert_eq!(
        m().set_min_finalization_delay(U256::ZERO).motsu_unwrap_err(),
        denied(mallory, WITHDRAWAL_CONFIG_ROLE)
    );
    assert_eq!(m().set_base_uri("x").motsu_unwrap_err(), denied(mallory, WITHDRAWAL_CONFIG_ROLE));
    assert_eq!(snapshot(&queue, &[alice, mallory]), before);
}

#[motsu::test]
fn each_role_opens_only_its_own_calls(
    queue: Contract<WithdrawalQueue>,
    pool: Contract<PoolMock>,
    manager: Contract<AccessManagerMock>,
    admin: Address,
    pauser: Address,
    configurator: Address,
) {
    setup(&queue, &pool, &manager, admin);
    manager.sender(admin).grant(PAUSE_ROLE, pauser);
    manager.sender(admin).grant(WITHDRAWAL_CONFIG_ROLE, configurator);
    assert_eq!(
        queue.sender(pauser).set_min_finalization_delay(U256::from(1)).motsu_unwrap_err(),
        denied(pauser, WITHDRAWAL_CONFIG_ROLE)
    );
    for who in [pauser, configurator] {
        assert_eq!(
            queue.sender(who).set_bunker_mode(true).motsu_unwrap_err(),
            Error::NotPool(NotPool { caller: who })
        );
    }
    assert_eq!(
        queue.sender(configurator).pause().motsu_unwrap_err(),
        denied(configurator, PAUSE_ROLE)
    );
    queue.sender(configurator).set_min_finalization_delay(U256::from(1)).motsu_unwrap();
    queue.sender(pool.address()).set_bunker_mode(true).motsu_unwrap();
    queue.sender(pauser).pause().motsu_unwrap();
}

#[motsu::test]
fn privileged_calls_before_the_constructor_are_refused_without_asking_anyone(
    queue: Contract<WithdrawalQueue>,
    admin: Address,
) {
    let not_initialized = Error::NotInitialized(NotInitialized {});
    let q = || queue.sender(admin);
    assert_eq!(q().pause().motsu_unwrap_err(), not_initialized);
    assert_eq!(q().resume().motsu_unwrap_err(), not_initialized);
    assert_eq!(q().finalize(id(1), PAR).motsu_unwrap_err(), not_initialized);
    assert_eq!(q().set_bunker_mode(true).motsu_unwrap_err(), not_initialized);
    assert_eq!(q().set_request_bounds(U256::from(1), ether(1)).motsu_unwrap_err(), not_initialized);
    assert_eq!(q().set_min_finalization_delay(U256::ZERO).motsu_unwrap_err(), not_initialized);
    assert_eq!(q().set_base_uri("x").motsu_unwrap_err(), not_initialized);
    // Not even the zero address, the pool of an uninitialized queue, skips the check.
    assert_eq!(
        queue.sender(Address::ZERO).finalize(id(1), PAR).motsu_unwrap_err(),
        not_initialized
    );
    assert_eq!(
        queue.sender(Address::ZERO).set_bunker_mode(true).motsu_unwrap_err(),
        not_initialized
    );
    assert!(!q().is_paused());
    assert!(!q().is_bunker_mode_active());
}

mod configuration {
    use super::*;

    #[motsu::test]
    fn request_bounds_are_set_by_the_config_role_and_logged(
        queue: Contract<WithdrawalQueue>,
        pool: Contract<PoolMock>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
    ) {
        setup(&queue, &pool, &manager, admin);
        let gwei = U256::from(1_000_000_000u64);
        let widest = U256::from((1u64 << 48) - 1);
        let valid = [
            (U256::from(1), gwei),
            // max exactly twice min
            (gwei / U256::from(2), gwei),
            // the widest of each
            (U256::from(1), widest * gwei),
            (widest, (widest * U256::from(2)).div_ceil(gwei) * gwei),
        ];
        for (min, max) in valid {
            queue.sender(admin).set_request_bounds(min, max).motsu_unwrap();
            assert_eq!(queue.sender(admin).get_request_bounds(), (min, max));
            queue.assert_emitted(&RequestBoundsSet { min, max });
            assert_eq!(
                last_call(&manager),
                (admin, WITHDRAWAL_CONFIG_ROLE, I::setRequestBoundsCall { min, max }.abi_encode())
            );
        }
    }

    #[motsu::test]
    fn request_bounds_out_of_shape_are_refused(
        queue: Contract<WithdrawalQueue>,
        pool: Contract<PoolMock>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
    ) {
        setup(&queue, &pool, &manager, admin);
        let gwei = U256::from(1_000_000_000u64);
        let wide = U256::from(1u64 << 48);
        let before = snapshot(&queue, &[]);
        let invalid = [
            // min 0
            (U256::ZERO, gwei),
            (U256::ZERO, U256::ZERO),
            // max below twice min
            (gwei / U256::from(2) + U256::from(1), gwei),
            (ether(1), ether(1)),
            // max not whole gwei
            (U256::from(1), gwei + U256::from(1)),
            (U256::from(1), U256::from(2)),
            // min of 48 bits and more
            (wide, wide * U256::from(2) * gwei),
            // max of 2^48 gwei and more
            (U256::from(1), wide * gwei),
            (U256::from(1), U256::MAX / gwei * gwei),
            (U256::MAX, U256::MAX),
        ];
        for (min, max) in invalid {
            let err = queue.sender(admin).set_request_bounds(min, max).motsu_unwrap_err();
            assert_eq!(
                err,
                Error::InvalidRequestBounds(InvalidRequestBounds { min, max }),
                "{min} {max}"
            );
        }
        assert_eq!(snapshot(&queue, &[]), before);
    }

    #[motsu::test]
    fn the_minimum_finalization_delay_fits_32_bits(
        queue: Contract<WithdrawalQueue>,
        pool: Contract<PoolMock>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
    ) {
        setup(&queue, &pool, &manager, admin);
        let widest = U256::from(u32::MAX);
        queue.sender(admin).set_min_finalization_delay(widest).motsu_unwrap();
        assert_eq!(queue.sender(admin).get_min_finalization_delay(), widest);
        queue.assert_emitted(&MinFinalizationDelaySet { delay: widest });
        assert_eq!(
            last_call(&manager),
            (
                admin,
                WITHDRAWAL_CONFIG_ROLE,
                I::setMinFinalizationDelayCall { delay: widest }.abi_encode()
            )
        );
        let before = snapshot(&queue, &[]);
        for delay in [widest + U256::from(1), U256::MAX] {
            let err = queue.sender(admin).set_min_finalization_delay(delay).motsu_unwrap_err();
            assert_eq!(err, Error::MathOverflow(MathOverflow {}));
        }
        assert_eq!(snapshot(&queue, &[]), before);
    }

    #[motsu::test]
    fn the_base_uri_is_set_by_the_config_role_and_logged_whole(
        queue: Contract<WithdrawalQueue>,
        pool: Contract<PoolMock>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
        alice: Address,
    ) {
        setup(&queue, &pool, &manager, admin);
        request(&queue, alice, &[ether(1)]);
        let long = "https://withdrawals.example.org/queue/mainnet/metadata/v1/tokens/by-id/";
        assert!(long.len() > 64);
        for uri in ["ipfs://x/", long, ""] {
            queue.sender(admin).set_base_uri(uri).motsu_unwrap();
            queue.assert_emitted(&BaseURISet { baseURI: uri.into() });
            assert_eq!(
                last_call(&manager),
                (
                    admin,
                    WITHDRAWAL_CONFIG_ROLE,
                    I::setBaseURICall { baseURI: uri.into() }.abi_encode()
                )
            );
            let expected = if uri.is_empty() {
                alloc::string::String::new()
            } else {
                alloc::format!("{uri}1")
            };
            assert_eq!(queue.sender(alice).token_uri(id(1)).motsu_unwrap(), expected);
        }
    }
}
