//! Every privileged selector of every program (the AccessManager, the pool's core and
//! extension, the queue's, the registry's and the oracle's), called on the release wasm of the
//! fully deployed suite by an account that holds no role and owns nothing: each reverts with
//! its typed error (`AccessDenied` naming the role, with the AccessManager's
//! `AccessControlUnauthorizedAccount` as the reason; or the contract's own `NotPool`,
//! `NotOracle`, `NotOperatorManager`, `NotGuardian`, `NonMember`...), and no storage slot and
//! no balance of any account changes.
//!
//! The table is derived from the `# Access` docs and the routers; a second test fails when a
//! selector of an interface file (`contracts/*/abi/*.sol`, through the generated
//! `interface::FUNCTIONS` and the `sol!` bindings of `tests/src/abi.rs`) is neither in the
//! table nor in the explicit list of public selectors, so a new privileged
//! function cannot be forgotten. Changing who may call a function is one row.
#![allow(missing_docs)]

use std::collections::{BTreeMap, BTreeSet};

use access_manager::abi::IAccessManager::{
    AccessControlBadConfirmation, AccessControlUnauthorizedAccount,
};
use alloy_primitives::{address, hex, keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use protocol_tests::{
    abi::{
        IAccessManager as M, IAccountingOracle as O, INodeOperatorRegistry as R, IStakingPool as P,
        IWithdrawalQueue as Q,
    },
    deploy::{ether, PoolReport, Suite, ADMIN, ALICE, BOB},
    oracle::{data_hash, report, Oracle, Report, CONSENSUS_VERSION, CONTRACT_VERSION},
    validators::{reward_address, Validators},
};
use staking_common::roles::{
    self, DEFAULT_ADMIN_ROLE, DEPOSIT_ROLE, DEPOSIT_SECURITY_ROLE, DISABLE_CONSENSUS_ROLE,
    EXITED_REPORTER_ROLE, GUARDIAN_ROLE, MANAGE_CONSENSUS_VERSION_ROLE, MANAGE_FRAME_CONFIG_ROLE,
    MANAGE_MEMBERS_AND_QUORUM_ROLE, OPERATOR_LIMITS_ROLE, OPERATOR_MANAGER_ROLE, PAUSE_ROLE,
    PROTOCOL_FEE_ROLE, RESUME_ROLE, SANITY_LIMITS_ROLE, STAKING_CONTROL_ROLE, SUBMIT_DATA_ROLE,
    UPGRADE_ROLE, WITHDRAWAL_CONFIG_ROLE,
};
use staking_pool::abi::IStakingPool::AccessDenied;

/// Holds no role, owns no NFT, is no member, guardian, operator, pool or oracle.
const STRANGER: Address = address!("00000000000000000000000000000000005742A9");
/// Where the protocol's part of the fee goes.
const TREASURY: Address = address!("0000000000000000000000000000000000007EA5");

/// What the stranger's call must revert with.
#[derive(Debug, Clone)]
enum Expect {
    /// The contract's `AccessDenied(STRANGER, role, reason)`, the reason being the
    /// AccessManager's `AccessControlUnauthorizedAccount(STRANGER, role)`.
    Denied(B256),
    /// The AccessManager's own `AccessControlUnauthorizedAccount(STRANGER, role)`.
    Unauthorized(B256),
    /// Another typed error: its name and its exact revert data.
    Error(&'static str, Vec<u8>),
}

fn error<E: SolError>(e: &E) -> Expect {
    Expect::Error(E::SIGNATURE, e.abi_encode())
}

/// The protocol as deployed and running, and what the rows need to name.
struct Ctx {
    registry: Address,
    registry_extension: Address,
    oracle: Address,
    oracle_extension: Address,
    guardian: Address,
    members: Vec<Address>,
    ref_slot: U256,
    /// The report data of the current frame (the committee has not voted yet).
    data: O::ReportData,
    /// ALICE's requests: the first finalized, the second not.
    finalized: U256,
    pending: U256,
    /// Operator 1's key 0 as `forceExits` takes it (its proof holds: only the role is missing).
    forced_entry: Vec<u8>,
}

/// One privileged selector: the program that serves it, the call, what the stranger gets,
/// and what must be true first for the call to succeed from the right account (the row then
/// shows the access check refuses, not a state check).
struct Row {
    program: &'static str,
    to: Address,
    data: Vec<u8>,
    expect: Expect,
    prepare: Option<fn(&mut Suite, &Ctx)>,
}

fn row<C: SolCall>(program: &'static str, to: Address, call: &C, expect: Expect) -> Row {
    Row { program, to, data: call.abi_encode(), expect, prepare: None }
}

impl Row {
    fn after(mut self, prepare: fn(&mut Suite, &Ctx)) -> Self {
        self.prepare = Some(prepare);
        self
    }

    fn selector(&self) -> [u8; 4] {
        self.data[..4].try_into().expect("a selector")
    }

    /// The contract (interface) the program belongs to.
    fn contract(&self) -> &'static str {
        contract_of(self.program)
    }
}

fn contract_of(program: &str) -> &'static str {
    match program.split(' ').next() {
        Some("manager") => "access-manager",
        Some("pool") => "staking-pool",
        Some("queue") => "withdrawal-queue",
        Some("registry") => "node-operator-registry",
        Some("oracle") => "accounting-oracle",
        _ => panic!("unknown program {program}"),
    }
}

fn ok(s: &mut Suite, from: Address, to: Address, data: &[u8]) {
    let r = s.vm.call(from, to, U256::ZERO, data);
    assert!(r.success, "setup call failed: 0x{}", hex::encode(&r.output));
}

/// The whole protocol deployed and running: 3 operators with 8 vetted keys each, 6
/// validators deposited, 300 ether staked, the oracle connected with its committee and a
/// report processed, the fee set, ALICE holding one finalized and one pending request, and
/// ADMIN with a scheduled (delayed) operation.
fn world() -> (Suite, Ctx) {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, 3);
    v.onboard(&mut s, 3, 8);
    for who in [ALICE, BOB] {
        s.deposit(who, ether(150));
    }
    let r = v.deposit(&mut s, 6);
    assert!(r.success, "deposit: 0x{}", hex::encode(&r.output));
    let o = Oracle::committee(&mut s, v.registry);
    s.set_fee_config(TREASURY, 1_000, 500);
    let (ids, _) = s.request_withdrawals(ALICE, &[ether(1), ether(2)]);
    s.wait_for_finalization();
    Oracle::advance_frames(&mut s, 1);
    let rate = s.share_rate();
    let (validators, _, cl) = Report::beacon(&mut s);
    let data = Report {
        validators,
        cl_balance_gwei: cl.max(validators * 32_000_000_000),
        batches: vec![ids[0]],
        rate,
        ..Report::default()
    }
    .data(o.ref_slot(&mut s));
    let r = o.process(&mut s, &data);
    assert!(r.success, "report: 0x{}", hex::encode(&r.output));
    assert_eq!(
        s.view(s.queue, &Q::getLastFinalizedRequestIdCall {})._0,
        ids[0],
        "the first request is finalized"
    );
    // A delayed operation of ADMIN's, so that `cancel` has something to cancel.
    let limit = P::setStakingLimitCall {
        maxStakeLimit: ether(1_000),
        stakeLimitIncreasePerBlock: U256::ZERO,
    };
    let selector = alloy_primitives::aliases::B32::from(P::setStakingLimitCall::SELECTOR);
    let delay = M::setTargetFunctionDelayCall { target: s.pool, selector, delay: 3_600 };
    let manager = s.manager;
    ok(&mut s, ADMIN, manager, &delay.abi_encode());
    let schedule = M::scheduleCall { target: s.pool, data: limit.abi_encode().into() };
    ok(&mut s, ADMIN, manager, &schedule.abi_encode());
    Oracle::advance_frames(&mut s, 1);
    let ref_slot = o.ref_slot(&mut s);
    let (validators, _, cl) = Report::beacon(&mut s);
    let data = Report { validators, cl_balance_gwei: cl, ..Report::default() }.data(ref_slot);
    let ctx = Ctx {
        registry: v.registry,
        registry_extension: v.extension,
        oracle: o.address,
        oracle_extension: o.extension,
        guardian: v.guardians[0].address,
        members: o.members.clone(),
        ref_slot,
        data,
        finalized: ids[0],
        pending: ids[1],
        forced_entry: v.batch_of(1, 0).expect("operator 1's key 0").forced_entry(0),
    };
    (s, ctx)
}

/// The privileged selectors, one row each.
#[allow(clippy::too_many_lines)]
fn table(s: &Suite, c: &Ctx) -> Vec<Row> {
    use Expect::{Denied, Unauthorized};
    let (manager, pool, queue, registry, oracle) =
        (s.manager, s.pool, s.queue, c.registry, c.oracle);
    let u = U256::from;
    let one = || vec![u(1)];
    vec![
        // ---------------------------------------------------------------- AccessManager
        row(
            "manager",
            manager,
            &M::grantRoleCall { role: PAUSE_ROLE, account: STRANGER },
            Unauthorized(DEFAULT_ADMIN_ROLE),
        ),
        row(
            "manager",
            manager,
            &M::revokeRoleCall { role: PAUSE_ROLE, account: ADMIN },
            Unauthorized(DEFAULT_ADMIN_ROLE),
        ),
        // Only for oneself: renouncing ADMIN's role is refused.
        row(
            "manager",
            manager,
            &M::renounceRoleCall { role: PAUSE_ROLE, callerConfirmation: ADMIN },
            error(&AccessControlBadConfirmation {}),
        ),
        row(
            "manager",
            manager,
            &M::setRoleAdminCall { role: PAUSE_ROLE, adminRole: GUARDIAN_ROLE },
            Unauthorized(DEFAULT_ADMIN_ROLE),
        ),
        row(
            "manager",
            manager,
            &M::setTargetFunctionDelayCall {
                target: pool,
                selector: P::pauseTokenCall::SELECTOR.into(),
                delay: 60,
            },
            Unauthorized(DEFAULT_ADMIN_ROLE),
        ),
        // A contract authorizes calls to itself: the stranger, as a "target", for itself.
        row(
            "manager",
            manager,
            &M::authorizeCallCall {
                caller: STRANGER,
                role: PAUSE_ROLE,
                data: P::pauseTokenCall {}.abi_encode().into(),
            },
            Unauthorized(PAUSE_ROLE),
        ),
        // ADMIN's scheduled operation: only ADMIN or a guardian may cancel it.
        row(
            "manager",
            manager,
            &M::cancelCall { caller: ADMIN, target: pool, data: limit_call().abi_encode().into() },
            Unauthorized(GUARDIAN_ROLE),
        ),
        // ---------------------------------------------------------------- pool core
        row("pool core", pool, &P::pauseStakingCall {}, Denied(STAKING_CONTROL_ROLE)),
        row("pool core", pool, &P::resumeStakingCall {}, Denied(STAKING_CONTROL_ROLE))
            .after(|s, _| ok(s, ADMIN, s.pool, &P::pauseStakingCall {}.abi_encode())),
        row(
            "pool core",
            pool,
            &P::setStakingLimitCall {
                maxStakeLimit: ether(10),
                stakeLimitIncreasePerBlock: U256::ZERO,
            },
            Denied(STAKING_CONTROL_ROLE),
        ),
        row("pool core", pool, &P::removeStakingLimitCall {}, Denied(STAKING_CONTROL_ROLE)),
        row("pool core", pool, &P::pauseTokenCall {}, Denied(PAUSE_ROLE)),
        row("pool core", pool, &P::resumeTokenCall {}, Denied(RESUME_ROLE))
            .after(|s, _| ok(s, ADMIN, s.pool, &P::pauseTokenCall {}.abi_encode())),
        row(
            "pool core",
            pool,
            &P::setProtocolContractsCall {
                withdrawalQueue: STRANGER,
                nodeOperatorRegistry: STRANGER,
            },
            Denied(DEFAULT_ADMIN_ROLE),
        ),
        row(
            "pool core",
            pool,
            &P::depositBufferedEtherCall { count: u(1), data: Bytes::from(vec![0u8; 64]) },
            Denied(DEPOSIT_ROLE),
        ),
        row("pool core", pool, &P::setL1VaultCall { vault: STRANGER }, Denied(DEFAULT_ADMIN_ROLE)),
        row(
            "pool core",
            pool,
            &P::setWrappedTokenCall { token: STRANGER },
            Denied(DEFAULT_ADMIN_ROLE),
        ),
        row(
            "pool core",
            pool,
            &P::wrapFromCall { from: ALICE, amount: u(1), amountInShares: true },
            error(&P::NotWrappedToken { caller: STRANGER }),
        ),
        // Issue 18: the forced exits' L1 message, for the registry alone (the permit program).
        row(
            "pool core",
            pool,
            &P::requestExitsOnL1Call { pubkeys: vec![1u8; 48].into() },
            error(&P::NotRegistry { caller: STRANGER }),
        ),
        // ---------------------------------------------------------------- pool extension
        row(
            "pool extension",
            pool,
            &PoolReport::default().call(),
            error(&P::NotOracle { caller: STRANGER }),
        ),
        row(
            "pool extension",
            pool,
            &P::setOracleCall { oracle: STRANGER },
            Denied(DEFAULT_ADMIN_ROLE),
        ),
        row(
            "pool extension",
            pool,
            &P::setFeeConfigCall {
                treasury: STRANGER,
                totalFeeBP: u(10_000),
                operatorsFeeBP: u(0),
            },
            Denied(PROTOCOL_FEE_ROLE),
        ),
        row(
            "pool extension",
            pool,
            &P::upgradeExtensionCall { newExtension: s.pool_extension },
            Denied(UPGRADE_ROLE),
        ),
        row(
            "pool extension",
            pool,
            &P::setPermitProgramCall { program: s.pool_permit },
            Denied(UPGRADE_ROLE),
        ),
        // ---------------------------------------------------------------- queue core
        row(
            "queue core",
            queue,
            &Q::finalizeCall { lastIdToFinalize: c.pending, maxShareRate: u(1) },
            error(&Q::NotPool { caller: STRANGER }),
        ),
        // ---------------------------------------------------------------- queue extension
        row(
            "queue extension",
            queue,
            &Q::setBunkerModeCall { active: true },
            error(&Q::NotPool { caller: STRANGER }),
        ),
        row("queue extension", queue, &Q::pauseCall {}, Denied(PAUSE_ROLE)),
        row("queue extension", queue, &Q::resumeCall {}, Denied(RESUME_ROLE))
            .after(|s, _| ok(s, ADMIN, s.queue, &Q::pauseCall {}.abi_encode())),
        row(
            "queue extension",
            queue,
            &Q::setRequestBoundsCall { min: u(1), max: ether(1) },
            Denied(WITHDRAWAL_CONFIG_ROLE),
        ),
        row(
            "queue extension",
            queue,
            &Q::setMinFinalizationDelayCall { delay: u(0) },
            Denied(WITHDRAWAL_CONFIG_ROLE),
        ),
        row(
            "queue extension",
            queue,
            &Q::setBaseURICall { baseURI: "https://evil/".into() },
            Denied(WITHDRAWAL_CONFIG_ROLE),
        ),
        row(
            "queue extension",
            queue,
            &Q::upgradeExtensionCall { newExtension: s.queue_extension },
            Denied(UPGRADE_ROLE),
        ),
        // ---------------------------------------------------------------- registry core
        row(
            "registry core",
            registry,
            &R::depositKeysCall { count: u(1), data: Bytes::from(vec![0u8; 64]) },
            error(&R::NotPool { caller: STRANGER }),
        ),
        row(
            "registry core",
            registry,
            &R::commitKeysCall {
                operatorId: u(1),
                pubkeys: vec![1u8; 48].into(),
                signatures: vec![1u8; 96].into(),
            },
            error(&R::NotOperatorManager { caller: STRANGER, operatorId: u(1) }),
        ),
        row(
            "registry core",
            registry,
            &R::commitKeyRootCall { operatorId: u(1), root: B256::repeat_byte(1), count: u(1) },
            error(&R::NotOperatorManager { caller: STRANGER, operatorId: u(1) }),
        ),
        row(
            "registry core",
            registry,
            &R::onRewardsMintedCall { shares: ether(1) },
            error(&R::NotPool { caller: STRANGER }),
        ),
        row(
            "registry core",
            registry,
            &R::updateExitedValidatorsCall {
                reportTimestamp: U256::ZERO,
                operatorIds: one(),
                exited: one(),
                hints: vec![u(0)],
            },
            Denied(EXITED_REPORTER_ROLE),
        ),
        // Issue 18: the committee's exit list, delivered by the oracle.
        row(
            "registry core",
            registry,
            &R::onExitRequestsCall { operators: vec![U256::from_limbs([1, 0, 1, 0])] },
            Denied(EXITED_REPORTER_ROLE),
        ),
        // No operator is late: forcing an exit takes governance's role.
        row(
            "registry core",
            registry,
            &R::forceExitsCall { operatorId: u(1), data: c.forced_entry.clone().into() },
            Denied(roles::FORCED_EXIT_ROLE),
        ),
        row(
            "registry extension",
            registry,
            &R::setExitDeadlinesCall { exitDeadline: u(86_400), forceDeadline: u(2 * 86_400) },
            Denied(OPERATOR_LIMITS_ROLE),
        ),
        // Without a signature the sender itself must be a guardian.
        row(
            "registry core",
            registry,
            &R::pauseDepositsCall { blockNumber: u(s.vm.block_number()), signature: Bytes::new() },
            error(&R::NotGuardian { account: STRANGER }),
        ),
        // ---------------------------------------------------------------- registry extension
        row(
            "registry extension",
            registry,
            &R::addOperatorCall { name: "Mallory".into(), rewardAddress: STRANGER },
            Denied(OPERATOR_MANAGER_ROLE),
        ),
        row(
            "registry extension",
            registry,
            &R::setOperatorActiveCall { operatorId: u(1), active: false },
            Denied(OPERATOR_MANAGER_ROLE),
        ),
        row(
            "registry extension",
            registry,
            &R::setOperatorNameCall { operatorId: u(1), name: "Mallory".into() },
            Denied(OPERATOR_MANAGER_ROLE),
        ),
        row(
            "registry extension",
            registry,
            &R::setRewardAddressCall { operatorId: u(1), rewardAddress: STRANGER },
            error(&R::NotOperatorManager { caller: STRANGER, operatorId: u(1) }),
        ),
        row(
            "registry extension",
            registry,
            &R::setVettedLimitCall { operatorId: u(1), vetted: u(2) },
            Denied(OPERATOR_LIMITS_ROLE),
        ),
        row(
            "registry extension",
            registry,
            &R::setTargetLimitCall { operatorId: u(1), enabled: true, limit: u(0) },
            Denied(OPERATOR_LIMITS_ROLE),
        ),
        row(
            "registry extension",
            registry,
            &R::removeUnusedKeysCall {
                operatorId: u(1),
                fromIndex: u(7),
                batch: u(0),
                root: B256::ZERO,
                start: u(0),
                end: u(8),
            },
            error(&R::NotOperatorManager { caller: STRANGER, operatorId: u(1) }),
        ),
        row(
            "registry extension",
            registry,
            &R::addGuardianCall { guardian: STRANGER },
            Denied(DEPOSIT_SECURITY_ROLE),
        ),
        row(
            "registry extension",
            registry,
            &R::removeGuardianCall { guardian: c.guardian },
            Denied(DEPOSIT_SECURITY_ROLE),
        ),
        row(
            "registry extension",
            registry,
            &R::resumeDepositsCall {},
            Denied(DEPOSIT_SECURITY_ROLE),
        )
        .after(|s, c| {
            let pause = R::pauseDepositsCall { blockNumber: U256::ZERO, signature: Bytes::new() };
            ok(s, c.guardian, c.registry, &pause.abi_encode());
        }),
        row(
            "registry extension",
            registry,
            &R::upgradeExtensionCall { newExtension: c.registry_extension },
            Denied(UPGRADE_ROLE),
        ),
        // ---------------------------------------------------------------- oracle core
        row(
            "oracle core",
            oracle,
            &O::submitReportCall {
                slot: c.ref_slot,
                report: report(9),
                consensusVersion: u(CONSENSUS_VERSION),
            },
            error(&O::NonMember { addr: STRANGER }),
        ),
        row(
            "oracle core",
            oracle,
            &O::submitReportDataCall { data: c.data.clone(), contractVersion: u(CONTRACT_VERSION) },
            Denied(SUBMIT_DATA_ROLE),
        )
        // The committee agreed on this very data: a member or the role could submit it.
        .after(|s, c| {
            for member in &c.members[..5] {
                let vote = O::submitReportCall {
                    slot: c.ref_slot,
                    report: data_hash(&c.data),
                    consensusVersion: U256::from(CONSENSUS_VERSION),
                };
                ok(s, *member, c.oracle, &vote.abi_encode());
            }
        }),
        // ---------------------------------------------------------------- oracle extension
        row(
            "oracle extension",
            oracle,
            &O::addMemberCall { addr: STRANGER, quorum: u(5) },
            Denied(MANAGE_MEMBERS_AND_QUORUM_ROLE),
        ),
        row(
            "oracle extension",
            oracle,
            &O::removeMemberCall { addr: c.members[0], quorum: u(5) },
            Denied(MANAGE_MEMBERS_AND_QUORUM_ROLE),
        ),
        row(
            "oracle extension",
            oracle,
            &O::setQuorumCall { quorum: u(9) },
            Denied(MANAGE_MEMBERS_AND_QUORUM_ROLE),
        ),
        row(
            "oracle extension",
            oracle,
            &O::disableConsensusCall {},
            Denied(DISABLE_CONSENSUS_ROLE),
        ),
        row(
            "oracle extension",
            oracle,
            &O::setFrameConfigCall { epochsPerFrame: u(1), fastLaneLengthSlots: u(0) },
            Denied(MANAGE_FRAME_CONFIG_ROLE),
        ),
        row(
            "oracle extension",
            oracle,
            &O::setConsensusVersionCall { version: u(2) },
            Denied(MANAGE_CONSENSUS_VERSION_ROLE),
        ),
        row(
            "oracle extension",
            oracle,
            &O::setSanityLimitsCall { limits: loose_limits() },
            Denied(SANITY_LIMITS_ROLE),
        ),
        row(
            "oracle extension",
            oracle,
            &O::setExitRequestLimitsCall { maxPerReport: u(1), perDay: u(1) },
            Denied(SANITY_LIMITS_ROLE),
        ),
        row(
            "oracle extension",
            oracle,
            &O::setProtocolContractsCall { pool: STRANGER, registry: STRANGER },
            Denied(DEFAULT_ADMIN_ROLE),
        ),
        row(
            "oracle extension",
            oracle,
            &O::upgradeExtensionCall { newExtension: c.oracle_extension },
            Denied(UPGRADE_ROLE),
        ),
    ]
}

/// Rows that are not role-gated but owner-gated: the stranger may not move or claim ALICE's
/// NFTs, nor spend her tokens.
fn owner_gated(s: &Suite, c: &Ctx) -> Vec<Row> {
    let (pool, queue) = (s.pool, s.queue);
    let u = U256::from;
    let not_owner = |id: U256| error(&Q::NotOwnerOrApproved { requestId: id, caller: STRANGER });
    let not_approved =
        |id: U256| error(&Q::ERC721InsufficientApproval { operator: STRANGER, tokenId: id });
    let no_allowance = error(&staking_pool::abi::IStakingPool::ERC20InsufficientAllowance {
        spender: STRANGER,
        allowance: U256::ZERO,
        needed: ether(1),
    });
    vec![
        row(
            "queue core",
            queue,
            &Q::claimWithdrawalCall { requestId: c.finalized },
            not_owner(c.finalized),
        ),
        row(
            "queue core",
            queue,
            &Q::claimWithdrawalsCall { requestIds: vec![c.finalized], hints: vec![u(1)] },
            not_owner(c.finalized),
        ),
        row(
            "queue core",
            queue,
            &Q::claimWithdrawalsToCall {
                requestIds: vec![c.finalized],
                hints: vec![u(1)],
                recipient: STRANGER,
            },
            not_owner(c.finalized),
        ),
        row(
            "queue core",
            queue,
            &Q::approveCall { to: STRANGER, tokenId: c.pending },
            error(&Q::ERC721InvalidApprover { approver: STRANGER }),
        ),
        row(
            "queue core",
            queue,
            &Q::transferFromCall { from: ALICE, to: STRANGER, tokenId: c.pending },
            not_approved(c.pending),
        ),
        row(
            "queue core",
            queue,
            &Q::safeTransferFrom_0Call { from: ALICE, to: STRANGER, tokenId: c.pending },
            not_approved(c.pending),
        ),
        row(
            "queue core",
            queue,
            &Q::safeTransferFrom_1Call {
                from: ALICE,
                to: STRANGER,
                tokenId: c.pending,
                data: Bytes::new(),
            },
            not_approved(c.pending),
        ),
        row(
            "pool core",
            pool,
            &P::transferFromCall { from: ALICE, to: STRANGER, amount: ether(1) },
            no_allowance,
        ),
    ]
}

/// A stranger's call to `row` reverts with exactly the expected typed error and changes no
/// storage slot and no balance anywhere.
fn check(base: &Suite, c: &Ctx, row: &Row) {
    let mut s = base.clone();
    if let Some(prepare) = row.prepare {
        prepare(&mut s, c);
    }
    let before = s.vm.snapshot(&[STRANGER]);
    let r = s.vm.call(STRANGER, row.to, U256::ZERO, &row.data);
    let what = format!("{} 0x{}", row.program, hex::encode(row.selector()));
    assert!(!r.success, "{what}: a stranger's call succeeded");
    let out = &r.output;
    match &row.expect {
        Expect::Denied(role) => {
            let e = AccessDenied::abi_decode(out, true)
                .unwrap_or_else(|_| panic!("{what}: not AccessDenied: 0x{}", hex::encode(out)));
            assert_eq!((e.caller, e.role), (STRANGER, *role), "{what}: the denied caller and role");
            let reason = AccessControlUnauthorizedAccount::abi_decode(&e.reason, true)
                .unwrap_or_else(|_| panic!("{what}: reason 0x{}", hex::encode(&e.reason)));
            assert_eq!((reason.account, reason.neededRole), (STRANGER, *role), "{what}: reason");
        }
        Expect::Unauthorized(role) => {
            let e = AccessControlUnauthorizedAccount::abi_decode(out, true).unwrap_or_else(|_| {
                panic!("{what}: not AccessControlUnauthorizedAccount: 0x{}", hex::encode(out))
            });
            assert_eq!((e.account, e.neededRole), (STRANGER, *role), "{what}");
        }
        Expect::Error(name, data) => {
            assert_eq!(hex::encode(out), hex::encode(data), "{what}: expected {name}");
        }
    }
    assert!(s.vm.snapshot(&[STRANGER]) == before, "{what}: the refused call changed state");
}

#[test]
fn every_privileged_selector_refuses_a_stranger_and_changes_nothing() {
    let (s, c) = world();
    assert_the_stranger_holds_nothing(&mut s.clone(), &c);
    let rows = table(&s, &c);
    let mut per_program: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &rows {
        check(&s, &c, row);
        *per_program.entry(row.program).or_default() += 1;
    }
    let selectors: BTreeSet<(&str, [u8; 4])> =
        rows.iter().map(|r| (r.contract(), r.selector())).collect();
    assert_eq!(selectors.len(), rows.len(), "a selector appears twice in the table");
    println!("privileged selectors refused: {} {per_program:?}", rows.len());
}

#[test]
fn a_stranger_can_neither_claim_nor_move_nor_spend_what_others_own() {
    let (s, c) = world();
    for row in owner_gated(&s, &c) {
        check(&s, &c, &row);
    }
}

// -------------------------------------------------------------------- completeness

/// Selectors anyone may call (views, user entry points whose only gate is the caller's own
/// tokens, NFTs or allowances, and the AccessManager's scheduling, which binds the caller).
/// Owner-gated user entry points are checked by the test above.
const PUBLIC: &[(&str, &[&str])] = &[
    (
        "access-manager",
        &[
            "hasRole(bytes32,address)",
            "getRoleAdmin(bytes32)",
            "getTargetFunctionDelay(address,bytes4)",
            "canCall(address,bytes32,bytes4)",
            "schedule(address,bytes)",
            "getOperation(bytes32)",
            "expiration()",
            "hashOperation(address,address,bytes)",
        ],
    ),
    (
        "staking-pool",
        &[
            "deposit(address)",
            "name()",
            "symbol()",
            "decimals()",
            "totalSupply()",
            "balanceOf(address)",
            "allowance(address,address)",
            "transfer(address,uint256)",
            "transferFrom(address,address,uint256)",
            "transferFromWithShares(address,address,uint256)",
            "approve(address,uint256)",
            "increaseAllowance(address,uint256)",
            "decreaseAllowance(address,uint256)",
            "transferShares(address,uint256)",
            "transferSharesFrom(address,address,uint256)",
            "sharesOf(address)",
            "totalShares()",
            "getSharesByPooledEth(uint256)",
            "getPooledEthByShares(uint256)",
            "shareRate()",
            "getTotalPooledEther()",
            "getBufferedEther()",
            "getBeaconStat()",
            "accessManager()",
            "isInitialized()",
            "isTokenPaused()",
            "isStakingPaused()",
            "getCurrentStakeLimit()",
            "getStakeLimitConfig()",
            "getOracle()",
            "getFeeConfig()",
            "isBunkerMode()",
            "getExtension()",
            "extensionId()",
            "l1Vault()",
            "receivedFromL1Vault()",
            // Issue 17: the wrapped token's pull is gated (above); the rest is open or a view.
            "transferSharesWithRate(address,uint256,bool)",
            "wrappedToken()",
            "getLastReport()",
            "submit(address)",
            // The permit program: permit needs the owner's signature, the rest are views.
            "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
            "permit(address,address,uint256,uint256,bytes)",
            "nonces(address)",
            "DOMAIN_SEPARATOR()",
            "eip712Domain()",
            "permitProgram()",
            "permitProgramId()",
            "getTotalShares()",
            "getFee()",
            "getFeeDistribution()",
            "getTreasury()",
            "getDepositableEther()",
            "getWithdrawalCredentials()",
            "getStakeLimitFullInfo()",
            "getWithdrawalShortfall()",
        ],
    ),
    (
        "withdrawal-queue",
        &[
            "requestWithdrawals(uint256[],address)",
            "requestWithdrawalsSplit(uint256,address)",
            "requestWithdrawalsWithPermit(uint256[],address,(uint256,uint256,uint8,bytes32,bytes32))",
            "requestWithdrawalsWstETH(uint256[],address)",
            "requestWithdrawalsWstETHWithPermit(uint256[],address,(uint256,uint256,uint8,bytes32,bytes32))",
            "prefinalize(uint256[],uint256)",
            "claimWithdrawal(uint256)",
            "claimWithdrawals(uint256[],uint256[])",
            "claimWithdrawalsTo(uint256[],uint256[],address)",
            "name()",
            "symbol()",
            "tokenURI(uint256)",
            "balanceOf(address)",
            "ownerOf(uint256)",
            "getApproved(uint256)",
            "isApprovedForAll(address,address)",
            "approve(address,uint256)",
            "setApprovalForAll(address,bool)",
            "transferFrom(address,address,uint256)",
            "safeTransferFrom(address,address,uint256)",
            "safeTransferFrom(address,address,uint256,bytes)",
            "supportsInterface(bytes4)",
            "getWithdrawalRequests(address)",
            "getWithdrawalStatus(uint256[])",
            "getClaimableEther(uint256[],uint256[])",
            "findCheckpointHints(uint256[],uint256,uint256)",
            "unfinalizedStETH()",
            "unfinalizedRequestNumber()",
            "getLockedEtherAmount()",
            "getLastRequestId()",
            "getLastFinalizedRequestId()",
            "getLastCheckpointIndex()",
            "getCheckpoint(uint256)",
            "isPaused()",
            "isBunkerModeActive()",
            "getRequestBounds()",
            "getMinFinalizationDelay()",
            "pool()",
            "accessManager()",
            "extension()",
            "extensionId()",
        ],
    ),
    (
        "node-operator-registry",
        &[
            // Anyone may trigger the claim: the shares go to the operator's reward address.
            "claimRewards(uint256)",
            "getOperator(uint256)",
            "getOperatorName(uint256)",
            "getOperatorsCount()",
            "getNonce()",
            "getTotalActiveValidators()",
            "getDepositQueue()",
            "getDepositAllocation(uint256)",
            "getRewards(uint256)",
            "getGuardians()",
            "isGuardian(address)",
            "isDepositsPaused()",
            "pauseMessageHash(uint256)",
            "getOperatorExitStatus(uint256)",
            "getExitSummary()",
            "withdrawalCredentials()",
            "pool()",
            "accessManager()",
            "extension()",
            "extensionId()",
        ],
    ),
    (
        "accounting-oracle",
        &[
            "getMembers()",
            "isMember(address)",
            "getQuorum()",
            "getChainConfig()",
            "getFrameConfig()",
            "getCurrentFrame()",
            "getConsensusState()",
            "getMemberVote(address)",
            "getReportVariants()",
            "getConsensusVersion()",
            "accessManager()",
            "extension()",
            "getSanityLimits()",
            "getProtocolContracts()",
            // The agreed exit list, bound by the report's hash: anyone delivers it.
            "submitExitRequests(bytes)",
            "getExitRequestsState()",
            "getLastProcessingRefSlot()",
            "getContractVersion()",
            "getLastL1State()",
            "getProcessingState()",
            "extensionId()",
        ],
    ),
    // The wrapped token has no admin: every function is open (its only gates are the
    // caller's own units, allowances and signatures).
    (
        "wrapped-token",
        &[
            "DOMAIN_SEPARATOR()",
            "allowance(address,address)",
            "approve(address,uint256)",
            "asset()",
            "balanceOf(address)",
            "convertToAssets(uint256)",
            "convertToShares(uint256)",
            "decimals()",
            "deposit(uint256,address)",
            "description()",
            "eip712Domain()",
            "getRate()",
            "getRoundData(uint80)",
            "getStETHByWstETH(uint256)",
            "getWstETHByStETH(uint256)",
            "latestRoundData()",
            "maxDeposit(address)",
            "maxMint(address)",
            "maxRedeem(address)",
            "maxWithdraw(address)",
            "mint(uint256,address)",
            "name()",
            "nonces(address)",
            "permit(address,address,uint256,uint256,bytes)",
            "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)",
            "previewDeposit(uint256)",
            "previewMint(uint256)",
            "previewRedeem(uint256)",
            "previewWithdraw(uint256)",
            "redeem(uint256,address,address)",
            "stETH()",
            "stEthPerToken()",
            "symbol()",
            "tokensPerStEth()",
            "totalAssets()",
            "totalSupply()",
            "transfer(address,uint256)",
            "transferFrom(address,address,uint256)",
            "unwrap(uint256)",
            "version()",
            "withdraw(uint256,address,address)",
            "wrap(uint256)",
        ],
    ),
];

fn selector_of(signature: &str) -> [u8; 4] {
    keccak256(signature.as_bytes())[..4].try_into().expect("4 bytes")
}

/// Every function of every contract's interface file, as its generated router serves it
/// (`<crate>::interface::FUNCTIONS`: canonical signatures and selectors).
fn tables() -> [(&'static str, &'static [staking_common::interface::Function]); 6] {
    [
        ("access-manager", access_manager::interface::FUNCTIONS),
        ("staking-pool", staking_pool::interface::FUNCTIONS),
        ("withdrawal-queue", withdrawal_queue::interface::FUNCTIONS),
        ("node-operator-registry", node_operator_registry::interface::FUNCTIONS),
        ("accounting-oracle", accounting_oracle::interface::FUNCTIONS),
        ("wrapped-token", wrapped_token::interface::FUNCTIONS),
    ]
}

/// Names for the failure messages: the signature of every selector of every interface file.
fn known_signatures() -> BTreeMap<[u8; 4], String> {
    let mut names: BTreeMap<[u8; 4], String> = PUBLIC
        .iter()
        .flat_map(|(_, sigs)| sigs.iter().map(|s| (selector_of(s), (*s).to_string())))
        .collect();
    for (_, functions) in tables() {
        for f in functions {
            names.entry(f.selector).or_insert_with(|| f.signature.to_string());
        }
    }
    names
}

/// Every selector each contract exposes, by contract: its interface file's functions (the
/// generated table) and, as a cross-check, the `sol!` bindings the tests use.
fn interfaces() -> BTreeMap<&'static str, BTreeSet<[u8; 4]>> {
    let mut all: BTreeMap<&'static str, BTreeSet<[u8; 4]>> = BTreeMap::new();
    let mut add = |contract: &'static str, selectors: &[[u8; 4]]| {
        all.entry(contract).or_default().extend(selectors.iter().copied());
    };
    add("access-manager", M::IAccessManagerCalls::SELECTORS);
    add("staking-pool", P::IStakingPoolCalls::SELECTORS);
    add("withdrawal-queue", Q::IWithdrawalQueueCalls::SELECTORS);
    add("node-operator-registry", R::INodeOperatorRegistryCalls::SELECTORS);
    add("accounting-oracle", O::IAccountingOracleCalls::SELECTORS);
    add("wrapped-token", protocol_tests::abi::IWrappedToken::IWrappedTokenCalls::SELECTORS);
    for (contract, functions) in tables() {
        let selectors: Vec<[u8; 4]> = functions.iter().map(|f| f.selector).collect();
        add(contract, &selectors);
    }
    all
}

#[test]
fn every_selector_is_either_in_the_privileged_table_or_listed_as_public() {
    // Only the selectors matter here: any addresses will do.
    let s = Suite::deploy();
    let c = Ctx {
        registry: Address::ZERO,
        registry_extension: Address::ZERO,
        oracle: Address::ZERO,
        oracle_extension: Address::ZERO,
        guardian: Address::ZERO,
        members: vec![Address::ZERO],
        ref_slot: U256::ZERO,
        data: Report::default().data(U256::ZERO),
        finalized: U256::ZERO,
        pending: U256::ZERO,
        forced_entry: Vec::new(),
    };
    let mut privileged: BTreeMap<&str, BTreeSet<[u8; 4]>> = BTreeMap::new();
    for row in table(&s, &c) {
        privileged.entry(row.contract()).or_default().insert(row.selector());
    }
    let public: BTreeMap<&str, BTreeSet<[u8; 4]>> = PUBLIC
        .iter()
        .map(|(contract, sigs)| (*contract, sigs.iter().map(|s| selector_of(s)).collect()))
        .collect();
    let names = known_signatures();
    let mut missing = Vec::new();
    let mut stale = Vec::new();
    let mut both = Vec::new();
    for (contract, selectors) in interfaces() {
        let p = privileged.get(contract).cloned().unwrap_or_default();
        let q = public.get(contract).cloned().unwrap_or_default();
        for sel in &selectors {
            if !p.contains(sel) && !q.contains(sel) {
                let name = names.get(sel).map_or("?", String::as_str);
                missing.push(format!("{contract} 0x{} {name}", hex::encode(sel)));
            }
            if p.contains(sel) && q.contains(sel) {
                both.push(format!("{contract} {}", names.get(sel).map_or("?", String::as_str)));
            }
        }
        for sel in p.iter().chain(q.iter()) {
            if !selectors.contains(sel) {
                let name = names.get(sel).map_or("?", String::as_str);
                stale.push(format!("{contract} 0x{} {name}", hex::encode(sel)));
            }
        }
    }
    assert!(missing.is_empty(), "neither privileged (table) nor public (PUBLIC): {missing:?}");
    assert!(both.is_empty(), "both privileged and public: {both:?}");
    assert!(stale.is_empty(), "listed but in no interface: {stale:?}");
}

fn limit_call() -> P::setStakingLimitCall {
    P::setStakingLimitCall { maxStakeLimit: ether(1_000), stakeLimitIncreasePerBlock: U256::ZERO }
}

fn loose_limits() -> O::SanityLimits {
    let max = U256::from(u32::MAX);
    O::SanityLimits {
        annualBalanceIncreaseBPLimit: U256::from(10_000),
        clBalanceDecreaseBPLimit: U256::from(10_000),
        clBalanceDecreaseWindow: U256::from(1),
        simulatedShareRateDeviationBPLimit: U256::from(10_000),
        appearedValidatorsPerDayLimit: max,
        exitedValidatorsPerDayLimit: max,
        requestTimestampMargin: U256::ZERO,
        maxPositiveTokenRebase: U256::from(1_000_000_000),
        maxExitedOperatorsPerReport: U256::from(u16::MAX),
    }
}

/// The stranger holds nothing the table relies on, and the world is live: the rows' targets
/// would act if the caller held the role.
fn assert_the_stranger_holds_nothing(s: &mut Suite, c: &Ctx) {
    assert_eq!(s.vm.balance(STRANGER), U256::ZERO);
    assert_eq!(s.shares_of(STRANGER), U256::ZERO);
    for role in roles::ALL {
        assert!(!s.view(s.manager, &M::hasRoleCall { role, account: STRANGER })._0);
    }
    assert!(!s.view(c.oracle, &O::isMemberCall { addr: STRANGER })._0);
    assert!(!s.view(c.registry, &R::isGuardianCall { account: STRANGER })._0);
    assert_eq!(s.view(s.queue, &Q::balanceOfCall { owner: STRANGER })._0, U256::ZERO);
    assert_ne!(reward_address(1), STRANGER);
    assert!(s.view(c.oracle, &O::isMemberCall { addr: c.members[0] })._0);
    assert!(s.view(c.registry, &R::isGuardianCall { account: c.guardian })._0);
}
