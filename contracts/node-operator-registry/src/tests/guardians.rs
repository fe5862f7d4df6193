//! Guardians: `addGuardian`, `removeGuardian` (the role, the bounds, the swap-remove),
//! `pauseDeposits` (sent by a guardian, or signed by one and relayed by anyone) and
//! `resumeDeposits`. The registry keeps no quorum: the deposit attestation is the L1 vault's.

use alloy_sol_types::SolCall;

use super::*;
use crate::{
    abi::INodeOperatorRegistry as I,
    errors::*,
    events::{DepositsPaused, DepositsResumed, GuardianAdded, GuardianRemoved},
    guardians::{MAX_GUARDIANS, PAUSE_INTENT_VALIDITY},
};

fn g(n: u8) -> Address {
    Address::repeat_byte(n)
}

fn add(env: &Env, guardian: Address) {
    env.reg.sender(env.admin).add_guardian(guardian).motsu_unwrap();
}

/// The list, and that `isGuardian` and the 1-based index agree with it.
fn guardians(env: &Env) -> Vec<Address> {
    let r = env.r();
    let list = r.get_guardians();
    for (i, a) in list.iter().enumerate() {
        assert!(r.is_guardian(*a));
        assert_eq!(r.guardian_index.get(*a), u(i as u64 + 1), "index of {a}");
    }
    assert_eq!(usize::from(r.load_global().guardians), list.len());
    list
}

// ------------------------------------------------------------------ roles

#[motsu::test]
fn guardian_administration_needs_the_deposit_security_role() {
    let env = Env::new();
    add(&env, g(1));
    let other = Address::repeat_byte(0x51);
    env.manager.sender(env.admin).grant(OPERATOR_MANAGER_ROLE, other);
    env.manager.sender(env.admin).grant(OPERATOR_LIMITS_ROLE, other);
    let before = env.snapshot();
    for caller in [other, g(1)] {
        let r = || env.reg.sender(caller);
        let no = denied(caller, DEPOSIT_SECURITY_ROLE);
        assert_eq!(r().add_guardian(g(2)).motsu_unwrap_err(), no);
        assert_eq!(r().remove_guardian(g(1)).motsu_unwrap_err(), no);
        assert_eq!(r().resume_deposits().motsu_unwrap_err(), no);
    }
    assert_eq!(env.snapshot(), before);

    let security = Address::repeat_byte(0x5e);
    env.manager.sender(env.admin).grant(DEPOSIT_SECURITY_ROLE, security);
    let last = |env: &Env| {
        let (caller, role, data) = env.manager.sender(env.admin).last_call();
        assert_eq!((caller, role), (security, DEPOSIT_SECURITY_ROLE));
        data.0
    };
    env.reg.sender(security).add_guardian(g(2)).motsu_unwrap();
    assert_eq!(last(&env), I::addGuardianCall { guardian: g(2) }.abi_encode());
    env.reg.sender(security).remove_guardian(g(2)).motsu_unwrap();
    assert_eq!(last(&env), I::removeGuardianCall { guardian: g(2) }.abi_encode());
    env.reg.sender(g(1)).pause_deposits(U256::ZERO, &[]).motsu_unwrap();
    env.reg.sender(security).resume_deposits().motsu_unwrap();
    assert_eq!(last(&env), I::resumeDepositsCall {}.abi_encode());
}

// ------------------------------------------------------------------ addGuardian

#[motsu::test]
fn adding_guardians_lists_them() {
    let env = Env::new();
    for i in 1..=3 {
        let mark = env.mark();
        add(&env, g(i));
        assert_eq!(env.logs_since(mark), vec![log(&GuardianAdded { guardian: g(i) })]);
    }
    assert_eq!(guardians(&env), vec![g(1), g(2), g(3)]);
    assert_eq!(env.global().pack() >> 200 & U256::from(0xff), U256::ZERO, "bits 200..208 unused");
    assert!(!env.r().is_guardian(g(4)));
    assert_eq!(env.global().nonce, 0, "guardians are not keys");
}

#[motsu::test]
fn a_guardian_is_a_nonzero_address_added_once() {
    let env = Env::new();
    add(&env, g(1));
    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(env.admin).add_guardian(Address::ZERO).motsu_unwrap_err(),
        Error::InvalidAddress(InvalidAddress {})
    );
    assert_eq!(
        env.reg.sender(env.admin).add_guardian(g(1)).motsu_unwrap_err(),
        Error::GuardianExists(GuardianExists { guardian: g(1) })
    );
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn there_are_at_most_32_guardians() {
    let env = Env::new();
    for i in 1..=MAX_GUARDIANS {
        add(&env, g(i));
    }
    assert_eq!(guardians(&env).len(), 32);
    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(env.admin).add_guardian(g(33)).motsu_unwrap_err(),
        Error::TooManyGuardians(TooManyGuardians { max: u(32) })
    );
    assert_eq!(env.snapshot(), before);
    // One out, one in.
    env.reg.sender(env.admin).remove_guardian(g(7)).motsu_unwrap();
    add(&env, g(33));
    assert_eq!(guardians(&env).len(), 32);
}

// ------------------------------------------------------------------ removeGuardian

#[motsu::test]
fn removal_swaps_the_last_guardian_into_the_gap() {
    let env = Env::new();
    for i in 1..=5 {
        add(&env, g(i));
    }
    let remove = |who: Address| {
        env.reg.sender(env.admin).remove_guardian(who).motsu_unwrap();
        assert!(!env.r().is_guardian(who));
        assert_eq!(env.r().guardian_index.get(who), U256::ZERO);
    };
    let mark = env.mark();
    remove(g(2));
    assert_eq!(env.logs_since(mark), vec![log(&GuardianRemoved { guardian: g(2) })]);
    assert_eq!(guardians(&env), vec![g(1), g(5), g(3), g(4)]);
    remove(g(4)); // the last one: nothing to swap
    assert_eq!(guardians(&env), vec![g(1), g(5), g(3)]);
    remove(g(1)); // the first one
    assert_eq!(guardians(&env), vec![g(3), g(5)]);
    remove(g(5));
    let mark = env.mark();
    remove(g(3)); // the last guardian may go: deposits need none on L2
    assert_eq!(env.logs_since(mark), vec![log(&GuardianRemoved { guardian: g(3) })]);
    assert_eq!(guardians(&env), Vec::<Address>::new());
    // A removed guardian may come back, at the end.
    add(&env, g(2));
    add(&env, g(1));
    assert_eq!(guardians(&env), vec![g(2), g(1)]);
}

#[motsu::test]
fn only_a_guardian_can_be_removed() {
    let env = Env::new();
    add(&env, g(1));
    let before = env.snapshot();
    for who in [g(2), Address::ZERO] {
        assert_eq!(
            env.reg.sender(env.admin).remove_guardian(who).motsu_unwrap_err(),
            Error::NotGuardian(NotGuardian { account: who })
        );
    }
    assert_eq!(env.snapshot(), before);
}

// ------------------------------------------------------------------ pauseDeposits

#[motsu::test]
fn a_guardian_pauses_deposits_by_sending_the_call() {
    let env = Env::new();
    add(&env, g(1));
    let asked = env.manager.sender(env.admin).calls();
    let mark = env.mark();
    env.reg.sender(g(1)).pause_deposits(U256::ZERO, &[]).motsu_unwrap();
    assert_eq!(env.logs_since(mark), vec![log(&DepositsPaused { guardian: g(1) })]);
    assert!(env.r().is_deposits_paused());
    assert_eq!(env.manager.sender(env.admin).calls(), asked, "no role is needed");
    // Any block number: a sent pause is not an intent.
    let before = env.snapshot();
    for caller in [g(1), env.admin] {
        assert_eq!(
            env.reg.sender(caller).pause_deposits(u(12345), &[]).motsu_unwrap_err(),
            Error::DepositsArePaused(DepositsArePaused {})
        );
    }
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn a_non_guardian_cannot_pause() {
    let env = Env::new();
    add(&env, g(1));
    let before = env.snapshot();
    for caller in [env.admin, g(2), Address::ZERO] {
        assert_eq!(
            env.reg.sender(caller).pause_deposits(U256::ZERO, &[]).motsu_unwrap_err(),
            Error::NotGuardian(NotGuardian { account: caller })
        );
    }
    assert_eq!(env.snapshot(), before);
    // A removed guardian neither.
    env.reg.sender(env.admin).remove_guardian(g(1)).motsu_unwrap();
    assert_eq!(
        env.reg.sender(g(1)).pause_deposits(U256::ZERO, &[]).motsu_unwrap_err(),
        Error::NotGuardian(NotGuardian { account: g(1) })
    );
}

#[motsu::test]
fn anyone_may_relay_a_guardians_signed_pause_for_a_recent_block() {
    let env = Env::new();
    env.add_guardians(2);
    let now = 20_000u64;
    env.arbsys.sender(env.admin).set_block_number(u(now));
    let guardian = env.guardians.borrow()[1];
    let relayer = Address::repeat_byte(0x44);
    let stale =
        |b: U256| Error::StalePauseIntent(StalePauseIntent { blockNumber: b, current: u(now) });
    let oldest = now - PAUSE_INTENT_VALIDITY;
    let before = env.snapshot();
    for b in [u(now + 1), u(oldest - 1), U256::ZERO, u(1 << 63) * u(4)] {
        let sig = sign(&guardian, pause_digest(env.reg.address(), b.saturating_to()));
        assert_eq!(
            env.reg.sender(relayer).pause_deposits(b, &sig).motsu_unwrap_err(),
            stale(b),
            "block {b}"
        );
    }
    assert_eq!(env.snapshot(), before);

    // The oldest block still valid; then, after a resume at `now`, the current block.
    for (b, current) in [(oldest, now), (now + 5, now + 5)] {
        env.arbsys.sender(env.admin).set_block_number(u(current));
        let sig = sign(&guardian, pause_digest(env.reg.address(), b));
        let mark = env.mark();
        env.reg.sender(relayer).pause_deposits(u(b), &sig).motsu_unwrap();
        assert_eq!(
            env.logs_since(mark),
            vec![log(&DepositsPaused { guardian: guardian.address() })],
            "the signer is named, not the relayer"
        );
        env.reg.sender(env.admin).resume_deposits().motsu_unwrap();
    }
}

#[motsu::test]
fn a_signed_pause_must_come_from_a_guardian_for_that_block() {
    let env = Env::new();
    env.add_guardians(1);
    let now = 20_000u64;
    env.arbsys.sender(env.admin).set_block_number(u(now));
    let guardian = env.guardians.borrow()[0];
    let outsider = Account::from_seed("not a guardian");
    let relayer = Address::repeat_byte(0x44);
    let digest = pause_digest(env.reg.address(), now - 1);
    let mut bad_v = sign(&guardian, digest);
    bad_v[64] = 0;
    let other_block = sign(&guardian, pause_digest(env.reg.address(), now - 2));
    let other_registry = sign(&guardian, pause_digest(Address::repeat_byte(0x12), now - 1));
    let before = env.snapshot();
    let outsider_sig = sign(&outsider, digest);
    assert_eq!(
        env.reg.sender(relayer).pause_deposits(u(now - 1), &outsider_sig).motsu_unwrap_err(),
        Error::NotGuardian(NotGuardian { account: outsider.address() })
    );
    assert_eq!(
        env.reg.sender(relayer).pause_deposits(u(now - 1), &bad_v).motsu_unwrap_err(),
        Error::NotGuardian(NotGuardian { account: Address::ZERO })
    );
    assert_eq!(
        env.reg.sender(relayer).pause_deposits(u(now - 1), &[1, 2, 3]).motsu_unwrap_err(),
        Error::NotGuardian(NotGuardian { account: Address::ZERO }),
        "not 65 bytes"
    );
    for sig in [other_block, other_registry] {
        let err = env.reg.sender(relayer).pause_deposits(u(now - 1), &sig).motsu_unwrap_err();
        assert!(
            matches!(err, Error::NotGuardian(NotGuardian { account }) if account != guardian.address()),
            "{err:?}"
        );
    }
    // The guardian's own signature works even when a non-guardian relays it.
    assert_eq!(env.snapshot(), before);
    env.reg.sender(relayer).pause_deposits(u(now - 1), &sign(&guardian, digest)).motsu_unwrap();
    assert!(env.r().is_deposits_paused());
}

// ------------------------------------------------------------------ resumeDeposits

#[motsu::test]
fn resuming_needs_a_pause() {
    let env = Env::new();
    add(&env, g(1));
    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(env.admin).resume_deposits().motsu_unwrap_err(),
        Error::DepositsNotPaused(DepositsNotPaused {})
    );
    assert_eq!(env.snapshot(), before);
    env.reg.sender(g(1)).pause_deposits(U256::ZERO, &[]).motsu_unwrap();
    let mark = env.mark();
    env.reg.sender(env.admin).resume_deposits().motsu_unwrap();
    assert_eq!(env.logs_since(mark), vec![log(&DepositsResumed { by: env.admin })]);
    assert!(!env.r().is_deposits_paused());
    // Paused again by the same guardian: a pause is not one-shot.
    env.reg.sender(g(1)).pause_deposits(U256::ZERO, &[]).motsu_unwrap();
    assert!(env.r().is_deposits_paused());
}

#[motsu::test]
fn a_guardian_cannot_resume_what_it_paused() {
    let env = Env::new();
    add(&env, g(1));
    env.reg.sender(g(1)).pause_deposits(U256::ZERO, &[]).motsu_unwrap();
    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(g(1)).resume_deposits().motsu_unwrap_err(),
        denied(g(1), DEPOSIT_SECURITY_ROLE)
    );
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn the_guardian_admin_path_holds_the_reentrancy_guard_while_the_manager_is_asked() {
    let env = Env::new();
    let call = I::removeGuardianCall { guardian: g(1) }.abi_encode();
    env.manager.sender(env.admin).set_reentry(env.reg.address(), Bytes(call));
    add(&env, g(1));
    let (ok, answer) = env.manager.sender(env.admin).reentry();
    assert!(!ok);
    assert_eq!(answer.0, Vec::<u8>::from(Error::ReentrantCall(ReentrantCall {})));
    assert_eq!(guardians(&env), vec![g(1)]);
}

#[motsu::test]
fn a_relayed_pause_works_once_and_is_refused_after_the_resume() {
    // Issue 13, point 2: a signed pause names a block, and anyone may relay it. It used to
    // pause again after governance resumed, for as long as the block was fresh. The resume
    // now records its block, and a signed pause must name a later one.
    let env = Env::new();
    env.add_guardians(1);
    let now = 20_000u64;
    env.arbsys.sender(env.admin).set_block_number(u(now));
    let guardian = env.guardians.borrow()[0];
    let sig = sign(&guardian, pause_digest(env.reg.address(), now - 10));
    let relayer = Address::repeat_byte(0x44);
    assert_eq!(env.global().resumed_at, 0, "never resumed");
    env.reg.sender(relayer).pause_deposits(u(now - 10), &sig).motsu_unwrap();
    env.reg.sender(env.admin).resume_deposits().motsu_unwrap();
    assert_eq!(env.global().resumed_at, now, "the resume's block is recorded");
    assert!(!env.r().is_deposits_paused());

    // Ten blocks later, the same signature (by anyone) is refused and nothing changes.
    env.arbsys.sender(env.admin).set_block_number(u(now + 10));
    let before = env.snapshot();
    for who in [relayer, Address::repeat_byte(0x45)] {
        assert_eq!(
            env.reg.sender(who).pause_deposits(u(now - 10), &sig).motsu_unwrap_err(),
            Error::PauseIntentBeforeResume(PauseIntentBeforeResume {
                blockNumber: u(now - 10),
                resumedAt: u(now),
            })
        );
    }
    // A signature for the resume's own block too: it may have been signed before the resume.
    let same_block = sign(&guardian, pause_digest(env.reg.address(), now));
    assert_eq!(
        env.reg.sender(relayer).pause_deposits(u(now), &same_block).motsu_unwrap_err(),
        Error::PauseIntentBeforeResume(PauseIntentBeforeResume {
            blockNumber: u(now),
            resumedAt: u(now),
        })
    );
    assert_eq!(env.snapshot(), before);
    assert!(!env.r().is_deposits_paused());

    // A fresh signature for a block after the resume pauses, once.
    let fresh = sign(&guardian, pause_digest(env.reg.address(), now + 1));
    let mark = env.mark();
    env.reg.sender(relayer).pause_deposits(u(now + 1), &fresh).motsu_unwrap();
    assert_eq!(env.logs_since(mark), vec![log(&DepositsPaused { guardian: guardian.address() })]);
    env.reg.sender(env.admin).resume_deposits().motsu_unwrap();
    assert_eq!(env.global().resumed_at, now + 10);
    assert_eq!(
        env.reg.sender(relayer).pause_deposits(u(now + 1), &fresh).motsu_unwrap_err(),
        Error::PauseIntentBeforeResume(PauseIntentBeforeResume {
            blockNumber: u(now + 1),
            resumedAt: u(now + 10),
        })
    );
    // A guardian sending the call itself needs no signature and is not bound by the resume.
    env.reg.sender(guardian.address()).pause_deposits(U256::ZERO, &[]).motsu_unwrap();
    assert!(env.r().is_deposits_paused());
}

#[motsu::test]
fn a_stale_pause_is_refused_as_stale_before_the_resume_is_considered() {
    let env = Env::new();
    env.add_guardians(1);
    let now = 20_000u64;
    env.arbsys.sender(env.admin).set_block_number(u(now));
    let guardian = env.guardians.borrow()[0];
    let sig = sign(&guardian, pause_digest(env.reg.address(), now - 10));
    env.reg.sender(guardian.address()).pause_deposits(U256::ZERO, &[]).motsu_unwrap();
    env.reg.sender(env.admin).resume_deposits().motsu_unwrap();
    let later = now - 10 + PAUSE_INTENT_VALIDITY + 1;
    env.arbsys.sender(env.admin).set_block_number(u(later));
    assert_eq!(
        env.reg
            .sender(Address::repeat_byte(0x44))
            .pause_deposits(u(now - 10), &sig)
            .motsu_unwrap_err(),
        Error::StalePauseIntent(StalePauseIntent { blockNumber: u(now - 10), current: u(later) })
    );
}
