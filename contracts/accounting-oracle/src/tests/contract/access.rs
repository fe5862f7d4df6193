//! Every role: the admin entry points ask the AccessManager with their own calldata, a caller
//! without the role is refused with the manager's answer and nothing changes, members vote
//! without asking it, and the call to it holds the reentrancy guard.

use alloy_sol_types::SolCall;

use super::*;
use crate::{abi::IAccountingOracle as I, errors::ReentrantCall};

/// An admin call made by a caller.
type Call = fn(&Env, Address) -> Result<(), Error>;

/// Each admin call, its role and its calldata.
fn admin_calls() -> Vec<(B256, Vec<u8>, Call)> {
    vec![
        (
            MANAGE_MEMBERS_AND_QUORUM_ROLE,
            I::addMemberCall { addr: member(7), quorum: u(3) }.abi_encode(),
            |e, c| e.oracle.sender(c).add_member(member(7), u(3)),
        ),
        (
            MANAGE_MEMBERS_AND_QUORUM_ROLE,
            I::removeMemberCall { addr: member(0), quorum: u(2) }.abi_encode(),
            |e, c| e.oracle.sender(c).remove_member(member(0), u(2)),
        ),
        (MANAGE_MEMBERS_AND_QUORUM_ROLE, I::setQuorumCall { quorum: u(3) }.abi_encode(), |e, c| {
            e.oracle.sender(c).set_quorum(u(3))
        }),
        (DISABLE_CONSENSUS_ROLE, I::disableConsensusCall {}.abi_encode(), |e, c| {
            e.oracle.sender(c).disable_consensus()
        }),
        (
            MANAGE_FRAME_CONFIG_ROLE,
            I::setFrameConfigCall { epochsPerFrame: u(100), fastLaneLengthSlots: u(10) }
                .abi_encode(),
            |e, c| e.oracle.sender(c).set_frame_config(u(100), u(10)),
        ),
        (
            MANAGE_CONSENSUS_VERSION_ROLE,
            I::setConsensusVersionCall { version: u(3) }.abi_encode(),
            |e, c| e.oracle.sender(c).set_consensus_version(u(3)),
        ),
        (
            SANITY_LIMITS_ROLE,
            I::setSanityLimitsCall { limits: crate::tests::contract::data::limits_abi(&TIGHT) }
                .abi_encode(),
            |e, c| e.oracle.sender(c).set_sanity_limits(crate::sanity::to_abi(&TIGHT)),
        ),
        (
            DEFAULT_ADMIN_ROLE,
            I::setProtocolContractsCall { pool: POOL, registry: REGISTRY }.abi_encode(),
            |e, c| e.oracle.sender(c).set_protocol_contracts(POOL, REGISTRY),
        ),
    ]
}

/// Limits other than the defaults.
const TIGHT: staking_math::sanity::Limits =
    staking_math::sanity::Limits { exited_per_day: 1, ..staking_math::sanity::Limits::LIDO };
/// Stand-in protocol addresses.
const POOL: Address = Address::repeat_byte(0x90);
const REGISTRY: Address = Address::repeat_byte(0x91);

#[motsu::test]
fn every_admin_call_without_its_role_is_refused_and_changes_nothing() {
    let env = Env::committee(3, 2);
    env.vote(0, ref_slot(1), h(1)).unwrap();
    let stranger = Address::repeat_byte(0x5e);
    // A holder of every other role is refused too.
    for (role, _, call) in admin_calls() {
        for other in ROLES.into_iter().filter(|&r| r != role) {
            env.manager.sender(env.admin).grant(other, stranger);
        }
        let before = env.snapshot();
        assert_eq!(call(&env, stranger).unwrap_err(), denied(stranger, role));
        assert_eq!(call(&env, member(1)).unwrap_err(), denied(member(1), role), "members too");
        assert_eq!(env.snapshot(), before);
        for other in ROLES {
            env.manager.sender(env.admin).revoke(other, stranger);
        }
    }
}

#[motsu::test]
fn every_admin_call_with_its_role_asks_the_manager_with_its_own_calldata() {
    let env = Env::committee(3, 2);
    for (i, (role, data, call)) in admin_calls().into_iter().enumerate() {
        let holder = Address::repeat_byte(0x70 + i as u8);
        env.manager.sender(env.admin).grant(role, holder);
        call(&env, holder).unwrap();
        assert_eq!(env.manager.sender(env.admin).calls(), u(3 + i as u64 + 1));
        let (caller, asked, sent) = env.manager.sender(env.admin).last_call();
        assert_eq!((caller, asked, sent.0), (holder, role, data));
    }
    // Their effects, in order.
    let r = env.round();
    assert_eq!((r.members, r.quorum, r.consensus_version), (3, crate::UNREACHABLE_QUORUM, 3));
    assert_eq!(env.r().get_members(), vec![member(7), member(1), member(2)]);
    assert_eq!(env.r().get_frame_config(), (u(INITIAL_EPOCH + EPF), u(100), u(10)));
}

#[motsu::test]
fn members_vote_without_asking_the_manager() {
    let env = Env::committee(3, 2);
    let calls = env.manager.sender(env.admin).calls();
    env.vote(0, ref_slot(1), h(1)).unwrap();
    env.vote(1, ref_slot(1), h(1)).unwrap();
    assert_eq!(env.manager.sender(env.admin).calls(), calls);
    assert_eq!(env.consensus().1, h(1));
}

#[motsu::test]
fn the_admin_path_holds_the_reentrancy_guard_while_the_manager_is_asked() {
    let env = Env::committee(3, 2);
    let call = I::setQuorumCall { quorum: u(2) }.abi_encode();
    env.manager.sender(env.admin).set_reentry(env.oracle.address(), Bytes(call));
    env.oracle.sender(env.admin).set_quorum(u(3)).unwrap();
    let (ok, answer) = env.manager.sender(env.admin).reentry();
    assert!(!ok);
    assert_eq!(answer.0, Vec::<u8>::from(Error::ReentrantCall(ReentrantCall {})));
    assert_eq!(env.round().quorum, 3);
    // A vote during the manager's answer is not guarded: it makes no external call.
    let vote = I::submitReportCall { slot: u(ref_slot(1)), report: h(1), consensusVersion: u(2) };
    env.manager.sender(env.admin).set_reentry(env.oracle.address(), Bytes(vote.abi_encode()));
    env.oracle.sender(env.admin).set_quorum(u(2)).unwrap();
    let (ok, _) = env.manager.sender(env.admin).reentry();
    assert!(!ok, "the manager mock is no member");
}
