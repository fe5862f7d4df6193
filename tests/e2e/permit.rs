//! ERC-2612 permit on the receipt token and Lido's names, on the release wasm: the pool's core
//! forwards them to its permit program (`contracts/staking-pool/src/permit.rs`), which runs on
//! the pool's storage.
//!
//! - An EOA's permit sets the allowance (ether units, as `approve`) and the spender moves the
//!   tokens; a replayed, expired, high-`s` or foreign signature is refused with nothing changed;
//!   a front-run permit leaves the allowance the owner signed.
//! - A real Safe (`@safe-global/safe-smart-account`, `protocol_tests::defi`) permits through
//!   EIP-1271: 2 of 3 owners with the `bytes` form, 1 of 1 with `(v, r, s)`.
//! - The domain the signatures are made in (`DOMAIN_SEPARATOR`, `eip712Domain`) is alloy's for
//!   the pool's name, version "1", the chain and the pool.
//! - Lido's names answer as the functions they stand for.
//! - The permit program is replaced only under the upgrade policy.

use alloy_primitives::{keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use protocol_tests::{
    abi::{IAccessManager, INodeOperatorRegistry, IStakingPool as P, IWithdrawalQueue},
    defi::{Key, SafeContracts},
    deploy::{events_from, read_wasm, revert_data, UPGRADE_DELAY},
    ether,
    pool_permit::{digest, domain, sign, signed, vrs},
    validators::Validators,
    wrapped::{signer, Permit},
    Suite, ADMIN, ALICE, BOB, CAROL, DAVE,
};
use stylus_vm::Receipt;

/// The EOA seed of the tests' signer ([`signer`]).
const OWNER: u8 = 0x51;

/// A deployed suite where the signer of `OWNER` holds 10 ether of tokens; returns its address.
fn with_owner() -> (Suite, Address) {
    let mut s = Suite::deploy();
    let (_, owner) = signer(OWNER);
    s.vm.set_balance(owner, ether(100));
    s.deposit(owner, ether(10));
    (s, owner)
}

fn allowance(s: &mut Suite, owner: Address, spender: Address) -> U256 {
    s.view(s.pool, &P::allowanceCall { owner, spender })._0
}

fn nonce(s: &mut Suite, owner: Address) -> U256 {
    s.view(s.pool, &P::noncesCall { owner })._0
}

/// The permit `call` sent by `from` must fail with `E`; nothing changed (the VM's snapshot of
/// the sender, the pool's storage included, is as before).
fn refused<E: SolError + PartialEq + std::fmt::Debug>(
    s: &mut Suite,
    from: Address,
    call: &impl SolCall,
) -> E {
    let before = s.vm.snapshot(&[from]);
    let r = s.send(from, s.pool, U256::ZERO, call);
    let e = revert_data::<E>(&r);
    assert!(r.logs.is_empty());
    assert!(s.vm.snapshot(&[from]) == before, "a refused permit changed state");
    e
}

#[test]
fn an_eoa_permit_sets_the_allowance_and_the_spender_moves_the_tokens() {
    let (mut s, owner) = with_owner();
    let (call, permit) = signed(&mut s, OWNER, BOB, ether(4));
    assert_eq!(permit.nonce, U256::ZERO);
    // Anyone relays it (here CAROL); the owner sends no transaction.
    let (_, r) = s.ok(CAROL, s.pool, U256::ZERO, &call);
    assert_eq!(
        events_from::<P::Approval>(&r, s.pool),
        vec![P::Approval { owner, spender: BOB, value: ether(4) }]
    );
    assert_eq!(allowance(&mut s, owner, BOB), ether(4));
    assert_eq!(nonce(&mut s, owner), U256::from(1));
    // The core forwarded it to the permit program, on the pool's storage.
    assert!(r.calls.iter().any(|c| c.address == s.pool && c.code_address == s.pool_permit));
    let call = P::transferFromCall { from: owner, to: DAVE, amount: ether(3) };
    s.ok(BOB, s.pool, U256::ZERO, &call);
    assert_eq!(s.balance_of(DAVE), ether(3));
    assert_eq!(allowance(&mut s, owner, BOB), ether(1));
    // The bytes form of the next nonce's signature works as well.
    let (_, p2) = signed(&mut s, OWNER, CAROL, U256::MAX);
    let (key, _) = signer(OWNER);
    let signature = sign(&key, digest(&s, &p2));
    let call = P::permit_1Call {
        owner,
        spender: CAROL,
        value: U256::MAX,
        deadline: p2.deadline,
        signature: Bytes::from(signature.to_vec()),
    };
    s.ok(ALICE, s.pool, U256::ZERO, &call);
    assert_eq!(allowance(&mut s, owner, CAROL), U256::MAX);
    assert_eq!(nonce(&mut s, owner), U256::from(2));
}

#[test]
fn a_replayed_permit_is_refused_as_another_signer_and_changes_nothing() {
    let (mut s, owner) = with_owner();
    let (call, _) = signed(&mut s, OWNER, BOB, ether(4));
    s.ok(CAROL, s.pool, U256::ZERO, &call);
    // Spent down, then replayed: the nonce moved, so the signature recovers another address.
    s.ok(BOB, s.pool, U256::ZERO, &P::transferFromCall { from: owner, to: DAVE, amount: ether(4) });
    let e: P::ERC2612InvalidSigner = refused(&mut s, CAROL, &call);
    assert_eq!(e.owner, owner);
    assert!(e.signer != owner && !e.signer.is_zero());
    assert_eq!(allowance(&mut s, owner, BOB), U256::ZERO);
    assert_eq!(nonce(&mut s, owner), U256::from(1));
}

#[test]
fn a_permit_past_its_deadline_is_refused_and_one_at_it_is_taken() {
    let (mut s, owner) = with_owner();
    let (_, owner_) = signer(OWNER);
    assert_eq!(owner, owner_);
    let (key, _) = signer(OWNER);
    let now = U256::from(s.vm.timestamp());
    let mut permit =
        Permit { owner, spender: BOB, value: ether(1), nonce: U256::ZERO, deadline: now };
    let late = Permit { deadline: now - U256::from(1), ..permit.clone() };
    let call = vrs(owner, &late, &sign(&key, digest(&s, &late)));
    let e: P::ERC2612ExpiredSignature = refused(&mut s, ALICE, &call);
    assert_eq!(e.deadline, now - U256::from(1));
    // The block's own timestamp is still in time.
    permit.deadline = now;
    let call = vrs(owner, &permit, &sign(&key, digest(&s, &permit)));
    s.ok(ALICE, s.pool, U256::ZERO, &call);
    assert_eq!(allowance(&mut s, owner, BOB), ether(1));
}

#[test]
fn wrong_signers_high_s_bad_v_and_a_zero_spender_are_refused() {
    let (mut s, owner) = with_owner();
    let (owners, permit) = signed(&mut s, OWNER, BOB, ether(1));
    // Another key's signature of the same permit: its address, not the owner's.
    let (other, other_address) = signer(0x52);
    let others = vrs(owner, &permit, &sign(&other, digest(&s, &permit)));
    let e: P::ERC2612InvalidSigner = refused(&mut s, ALICE, &others);
    assert_eq!(e, P::ERC2612InvalidSigner { signer: other_address, owner });
    // The owner's signature for another value.
    let more = P::permit_0Call { value: ether(2), ..owners };
    let e: P::ERC2612InvalidSigner = refused(&mut s, ALICE, &more);
    assert!(e.signer != owner);
    // The high-s twin of the owner's own signature (valid for ecrecover, refused: EIP-2).
    let (key, _) = signer(OWNER);
    let good = sign(&key, digest(&s, &permit));
    let twin = l1_vault::malleable_twin(&good);
    let e: P::ERC2612InvalidSigner = refused(&mut s, ALICE, &vrs(owner, &permit, &twin));
    assert_eq!(e, P::ERC2612InvalidSigner { signer: Address::ZERO, owner });
    // v other than 27 / 28.
    let mut bad_v = good;
    bad_v[64] = 1;
    let e: P::ERC2612InvalidSigner = refused(&mut s, ALICE, &vrs(owner, &permit, &bad_v));
    assert_eq!(e.signer, Address::ZERO);
    // A signature of the wrong length (the bytes form).
    let short = P::permit_1Call {
        owner,
        spender: BOB,
        value: ether(1),
        deadline: permit.deadline,
        signature: Bytes::from(good[..64].to_vec()),
    };
    let e: P::ERC2612InvalidSigner = refused(&mut s, ALICE, &short);
    assert_eq!(e.signer, Address::ZERO);
    // A valid signature naming the zero spender.
    let (call, _) = signed(&mut s, OWNER, Address::ZERO, ether(1));
    let e: P::ERC20InvalidSpender = refused(&mut s, ALICE, &call);
    assert_eq!(e.spender, Address::ZERO);
    // And the untouched permit still works: nothing above spent the nonce.
    let (call, _) = signed(&mut s, OWNER, BOB, ether(1));
    s.ok(ALICE, s.pool, U256::ZERO, &call);
    assert_eq!(nonce(&mut s, owner), U256::from(1));
}

#[test]
fn a_front_run_permit_leaves_the_allowance_the_owner_signed() {
    let (mut s, owner) = with_owner();
    let (call, _) = signed(&mut s, OWNER, BOB, ether(5));
    // A watcher copies the permit from BOB's pending transaction and sends it first.
    s.ok(DAVE, s.pool, U256::ZERO, &call);
    // BOB's own permit now fails, but the allowance is the one the owner signed: a spender
    // that tries permit and falls back to the allowance (Lido's advice) goes on.
    let e: P::ERC2612InvalidSigner = refused(&mut s, BOB, &call);
    assert_eq!(e.owner, owner);
    assert_eq!(allowance(&mut s, owner, BOB), ether(5));
    s.ok(BOB, s.pool, U256::ZERO, &P::transferFromCall { from: owner, to: BOB, amount: ether(5) });
    assert!(s.balance_of(BOB) >= ether(5));
}

#[test]
fn permit_works_while_the_token_is_paused_as_approve_does() {
    let (mut s, owner) = with_owner();
    s.ok(ADMIN, s.pool, U256::ZERO, &P::pauseTokenCall {});
    let (call, _) = signed(&mut s, OWNER, BOB, ether(1));
    s.ok(ALICE, s.pool, U256::ZERO, &call);
    s.ok(ALICE, s.pool, U256::ZERO, &P::approveCall { spender: BOB, amount: ether(1) });
    assert_eq!(allowance(&mut s, owner, BOB), ether(1));
    assert_eq!(allowance(&mut s, ALICE, BOB), ether(1));
    // Moving the tokens waits for the resume, as after approve.
    let r = s.send(
        BOB,
        s.pool,
        U256::ZERO,
        &P::transferFromCall { from: owner, to: BOB, amount: ether(1) },
    );
    assert_eq!(revert_data::<P::TokenIsPaused>(&r), P::TokenIsPaused {});
}

/// A Safe of `owners` of `threshold` holding 2 ether of tokens (from ALICE).
fn safe_holding(s: &mut Suite, owners: Vec<Key>, threshold: usize) -> protocol_tests::defi::Safe {
    let contracts = SafeContracts::deploy(s, DAVE);
    let safe = contracts.create_safe(s, DAVE, owners, threshold, 1);
    s.deposit(ALICE, ether(2));
    s.ok(ALICE, s.pool, U256::ZERO, &P::transferCall { to: safe.address, amount: ether(2) });
    safe
}

#[test]
fn a_two_of_three_safe_permits_through_eip_1271_with_the_bytes_form() {
    let mut s = Suite::deploy();
    let owners = (1..=3).map(|n| Key::seeded(b"pool permit safe", n)).collect();
    let safe = safe_holding(&mut s, owners, 2);
    let deadline = U256::from(s.vm.timestamp() + 600);
    let permit =
        Permit { owner: safe.address, spender: BOB, value: ether(2), nonce: U256::ZERO, deadline };
    let d = digest(&s, &permit);
    let call = |signature: Bytes| P::permit_1Call {
        owner: safe.address,
        spender: BOB,
        value: ether(2),
        deadline,
        signature,
    };
    // One owner's signature is not enough: the Safe refuses, the pool says so.
    let one = safe.sign_message(&mut s, d, &[0]);
    let e: P::ERC2612InvalidSigner = refused(&mut s, CAROL, &call(one));
    assert_eq!(e.owner, safe.address);
    // Two owners: the Safe answers 0x1626ba7e.
    let two = safe.sign_message(&mut s, d, &[0, 2]);
    let (_, r) = s.ok(CAROL, s.pool, U256::ZERO, &call(two));
    assert_eq!(
        events_from::<P::Approval>(&r, s.pool),
        vec![P::Approval { owner: safe.address, spender: BOB, value: ether(2) }]
    );
    // The pool asked the Safe (a static call into the Safe's code).
    assert!(r.calls.iter().any(|c| c.address == safe.address));
    assert_eq!(nonce(&mut s, safe.address), U256::from(1));
    let move_all = P::transferFromCall { from: safe.address, to: BOB, amount: ether(2) };
    s.ok(BOB, s.pool, U256::ZERO, &move_all);
    assert!(s.balance_of(BOB) >= ether(2));
}

#[test]
fn a_one_owner_safe_permits_through_eip_1271_with_the_v_r_s_form() {
    let mut s = Suite::deploy();
    let safe = safe_holding(&mut s, vec![Key::seeded(b"pool permit safe", 9)], 1);
    let deadline = U256::from(s.vm.timestamp() + 600);
    let permit =
        Permit { owner: safe.address, spender: BOB, value: ether(1), nonce: U256::ZERO, deadline };
    let d = digest(&s, &permit);
    let signature = safe.sign_message(&mut s, d, &[0]);
    let signature: [u8; 65] = signature.as_ref().try_into().expect("one owner: 65 bytes");
    s.ok(CAROL, s.pool, U256::ZERO, &vrs(safe.address, &permit, &signature));
    assert_eq!(allowance(&mut s, safe.address, BOB), ether(1));
    // The owner's key signing the permit's digest itself is not the Safe's signature.
    let mut s2 = s.clone();
    let next = Permit { nonce: U256::from(1), ..permit };
    let e: P::ERC2612InvalidSigner =
        refused(&mut s2, CAROL, &vrs(safe.address, &next, &safe.owners[0].sign(digest(&s, &next))));
    assert_eq!(e, P::ERC2612InvalidSigner { signer: safe.owners[0].address, owner: safe.address });
}

#[test]
fn the_domain_separator_and_eip712_domain_describe_the_domain_signers_use() {
    let mut s = Suite::deploy();
    let d = domain(s.vm.chain_id(), s.pool);
    assert_eq!(s.view(s.pool, &P::DOMAIN_SEPARATORCall {})._0, d.separator());
    let e = s.view(s.pool, &P::eip712DomainCall {});
    assert_eq!(e.fields.0, [0x0f]);
    let name = s.view(s.pool, &P::nameCall {})._0;
    assert_eq!((e.name.clone(), e.version.as_str()), (name, "1"));
    assert_eq!(e.chainId, U256::from(s.vm.chain_id()));
    assert_eq!(e.verifyingContract, s.pool);
    assert_eq!((e.salt, e.extensions.len()), (B256::ZERO, 0));
}

#[test]
#[allow(clippy::many_single_char_names)]
fn the_lido_names_answer_as_the_functions_they_stand_for() {
    let mut s = Suite::deploy_with_limit(ether(1_000), ether(1));
    s.deposit(ALICE, ether(10));
    // submit = deposit: the same shares, events and state.
    let mut t = s.clone();
    let (shares, r) = s.ok(CAROL, s.pool, ether(3), &P::submitCall { referral: DAVE });
    let (shares_t, r_t) = t.ok(CAROL, t.pool, ether(3), &P::depositCall { referral: DAVE });
    assert_eq!(shares._0, shares_t._0);
    assert_eq!(r.logs, r_t.logs);
    assert_eq!(s.shares_of(CAROL), t.shares_of(CAROL));
    // getTotalShares = totalShares.
    let total = s.view(s.pool, &P::totalSharesCall {})._0;
    assert_eq!(s.view(s.pool, &P::getTotalSharesCall {})._0, total);
    // The fee: getFee, getFeeDistribution (parts of the fee), getTreasury.
    assert_eq!(s.view(s.pool, &P::getFeeCall {}).totalFee, 0);
    let d = s.view(s.pool, &P::getFeeDistributionCall {});
    assert_eq!(
        (d.treasuryFeeBasisPoints, d.insuranceFeeBasisPoints, d.operatorsFeeBasisPoints),
        (0, 0, 0)
    );
    s.set_fee_config(BOB, 1_000, 300);
    assert_eq!(s.view(s.pool, &P::getFeeCall {}).totalFee, 1_000);
    let d = s.view(s.pool, &P::getFeeDistributionCall {});
    assert_eq!(
        (d.treasuryFeeBasisPoints, d.insuranceFeeBasisPoints, d.operatorsFeeBasisPoints),
        (7_000, 0, 3_000)
    );
    assert_eq!(s.view(s.pool, &P::getTreasuryCall {})._0, BOB);
    // getDepositableEther: the buffer less what unfinalized requests need.
    let buffered = s.view(s.pool, &P::getBufferedEtherCall {})._0;
    assert_eq!(s.view(s.pool, &P::getDepositableEtherCall {})._0, buffered);
    s.request_withdrawals(ALICE, &[ether(2)]);
    let unfinalized = s.view(s.queue, &IWithdrawalQueue::unfinalizedStETHCall {})._0;
    assert!(unfinalized > U256::ZERO);
    assert_eq!(s.view(s.pool, &P::getDepositableEtherCall {})._0, buffered - unfinalized);
    // getStakeLimitFullInfo: the stake limit's views in one.
    let info = s.view(s.pool, &P::getStakeLimitFullInfoCall {});
    let (max, growth) = {
        let c = s.view(s.pool, &P::getStakeLimitConfigCall {});
        (c._0, c._1)
    };
    assert!(!info.isStakingPaused && info.isStakingLimitSet);
    assert_eq!(info.currentStakeLimit, s.view(s.pool, &P::getCurrentStakeLimitCall {})._0);
    assert_eq!((info.maxStakeLimit, info.maxStakeLimitGrowthBlocks), (max, growth));
    assert_eq!(info.prevStakeLimit, ether(1_000) - ether(13));
    assert_eq!(info.prevStakeBlockNumber, U256::from(s.vm.block_number()));
    s.ok(ADMIN, s.pool, U256::ZERO, &P::pauseStakingCall {});
    assert!(s.view(s.pool, &P::getStakeLimitFullInfoCall {}).isStakingPaused);
    // getWithdrawalCredentials: none before the registry, then the registry's.
    assert_eq!(s.view(s.pool, &P::getWithdrawalCredentialsCall {})._0, B256::ZERO);
    let v = Validators::setup(&mut s, 1);
    let credentials = s.view(v.registry, &INodeOperatorRegistry::withdrawalCredentialsCall {})._0;
    assert!(!credentials.is_zero());
    assert_eq!(s.view(s.pool, &P::getWithdrawalCredentialsCall {})._0, credentials);
}

/// keccak256("staking-pool.extension.v1"): the pool's layout id, which both its extension and
/// its permit program answer (to different selectors).
fn layout_id() -> B256 {
    keccak256("staking-pool.extension.v1")
}

#[test]
fn the_permit_program_answers_its_id_only_when_called_directly() {
    let mut s = Suite::deploy();
    let r = s.vm.static_call(ALICE, s.pool_permit, &P::permitProgramIdCall::SELECTOR);
    assert!(r.success);
    assert_eq!(B256::from_slice(&r.output), layout_id());
    // Through the pool (slot 21 set) nothing answers; nor does the extension program.
    for at in [s.pool, s.pool_extension] {
        let r = s.vm.static_call(ALICE, at, &P::permitProgramIdCall::SELECTOR);
        assert!(!r.success && r.output.is_empty());
    }
    assert_eq!(s.view(s.pool, &P::permitProgramCall {})._0, s.pool_permit);
}

fn set_permit_program(s: &mut Suite, who: Address, to: Address) -> Receipt {
    s.send(who, s.pool, U256::ZERO, &P::setPermitProgramCall { program: to })
}

fn schedule(s: &mut Suite, to: Address) {
    let data = P::setPermitProgramCall { program: to }.abi_encode();
    let call = IAccessManager::scheduleCall { target: s.pool, data: data.into() };
    let manager = s.manager;
    s.ok(ADMIN, manager, U256::ZERO, &call);
}

#[test]
fn the_permit_program_is_replaced_only_under_the_upgrade_policy() {
    let mut s = Suite::deploy();
    let delay = IAccessManager::getTargetFunctionDelayCall {
        target: s.pool,
        selector: P::setPermitProgramCall::SELECTOR.into(),
    };
    assert_eq!(s.view(s.manager, &delay)._0, UPGRADE_DELAY);
    let next = s.deploy_program(
        "staking-pool-permit-v2",
        &read_wasm("staking-pool-permit"),
        None,
        U256::ZERO,
    );
    // Without the role.
    let e: P::AccessDenied = revert_data(&set_permit_program(&mut s, ALICE, next));
    assert_eq!((e.caller, e.role), (ALICE, staking_common::roles::UPGRADE_ROLE));
    // With it, but not scheduled, then not yet ready.
    let e: P::AccessDenied = revert_data(&set_permit_program(&mut s, ADMIN, next));
    assert_eq!(e.caller, ADMIN);
    schedule(&mut s, next);
    assert!(!set_permit_program(&mut s, ADMIN, next).success);
    s.vm.advance_time(u64::from(UPGRADE_DELAY));
    let r = set_permit_program(&mut s, ADMIN, next);
    assert!(r.success, "{r:?}");
    assert_eq!(
        events_from::<P::PermitProgramSet>(&r, s.pool),
        vec![P::PermitProgramSet { oldProgram: s.pool_permit, newProgram: next }]
    );
    assert_eq!(s.view(s.pool, &P::permitProgramCall {})._0, next);
    // The new program serves permits on the same storage.
    s.deposit(ALICE, ether(1));
    let (call, _) = signed(&mut s, OWNER, BOB, ether(1));
    let (_, r) = s.ok(CAROL, s.pool, U256::ZERO, &call);
    assert!(r.calls.iter().any(|c| c.code_address == next));
    // Programs that do not answer the id are refused, even scheduled and ready: the
    // extension, an account without code, the pool itself.
    for bad in [s.pool_extension, DAVE, s.pool] {
        schedule(&mut s, bad);
        s.vm.advance_time(u64::from(UPGRADE_DELAY));
        let e: P::InvalidPermitProgram = revert_data(&set_permit_program(&mut s, ADMIN, bad));
        assert_eq!(e.program, bad);
    }
    assert_eq!(s.view(s.pool, &P::permitProgramCall {})._0, next);
}

#[test]
fn the_constructor_refuses_a_permit_program_that_does_not_answer_the_id() {
    let mut s = Suite::deploy();
    for bad in [Address::ZERO, DAVE, s.pool_extension] {
        let args = protocol_tests::abi::StakingPoolDeployment::constructorCall {
            accessManager: s.manager,
            extension: s.pool_extension,
            maxStakeLimit: U256::ZERO,
            stakeLimitIncreasePerBlock: U256::ZERO,
            permitProgram: bad,
        };
        let data = protocol_tests::deploy::constructor_data(
            &alloy_sol_types::SolConstructor::abi_encode(&args),
        );
        let salt = protocol_tests::deploy::salt(&format!("bad-permit/{bad}"));
        let r = s.send_deploy(
            ADMIN,
            &read_wasm("staking-pool"),
            &data,
            U256::from(protocol_tests::deploy::BOOTSTRAP),
            salt,
        );
        assert!(!r.success, "{bad}");
        // The deployer wraps the constructor's revert data; ours is inside it.
        let inner = P::InvalidPermitProgram { program: bad }.abi_encode();
        assert!(
            r.output.windows(inner.len()).any(|w| w == inner.as_slice()),
            "{bad}: 0x{}",
            alloy_primitives::hex::encode(&r.output)
        );
    }
}
