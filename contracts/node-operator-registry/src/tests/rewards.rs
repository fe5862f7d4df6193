//! Operator rewards: `onRewardsMinted` (only the pool; shares wait while no validator is
//! active; the accumulator's growth), pro-rata crediting, settlement before an operator's active
//! count changes (deposits, exits), `claimRewards` (paid through the pool's `transferShares` to
//! the current reward address) and the bounds of the arithmetic.
//!
//! Active validators come from real deposits (see `deposits.rs`).

use staking_math::{pack_u128_pair, unpack_u128_pair};

use super::*;
use crate::{
    errors::*,
    events::{ExitedValidatorsUpdated, RewardsClaimed, RewardsDistributed},
    rewards::ACC_PRECISION,
};

/// Operators with `active[i]` deposited validators each (ids 1, 2, ...), one guardian.
fn fleet(active: &[u32]) -> Env {
    let env = Env::with_guardian();
    for &n in active {
        let id = env.add();
        if n > 0 {
            env.commit_and_vet(id, n as usize);
        }
    }
    let total: u32 = active.iter().sum();
    if total > 0 {
        env.deposit(total as usize).motsu_unwrap();
    }
    for (i, &n) in active.iter().enumerate() {
        assert_eq!(env.op(i as u16 + 1).active(), n);
    }
    env
}

fn mint(env: &Env, shares: U256) {
    env.reg.sender(env.pool.address()).on_rewards_minted(shares).motsu_unwrap();
}

fn rewards(env: &Env, id: u16) -> U256 {
    env.r().get_rewards(u(id.into())).motsu_unwrap()
}

/// `(acc_per_validator, undistributed)`.
fn pot(env: &Env) -> (u128, u128) {
    unpack_u128_pair(env.r().rewards.get())
}

/// `(accrued, snapshot)` of operator `id`.
fn earned(env: &Env, id: u16) -> (u128, u128) {
    unpack_u128_pair(env.r().earned.get(u(id.into())))
}

fn claim(env: &Env, id: u16) -> U256 {
    env.reg.sender(Address::repeat_byte(0xc1)).claim_rewards(u(id.into())).motsu_unwrap()
}

// ------------------------------------------------------------------ onRewardsMinted

#[motsu::test]
fn only_the_pool_reports_minted_rewards() {
    let env = fleet(&[1]);
    let before = env.snapshot();
    for caller in [env.admin, reward(1), VAULT] {
        assert_eq!(
            env.reg.sender(caller).on_rewards_minted(u(100)).motsu_unwrap_err(),
            Error::NotPool(NotPool { caller })
        );
    }
    assert_eq!(env.snapshot(), before);
}

#[motsu::test]
fn shares_wait_while_no_validator_is_active_then_go_to_the_first_ones() {
    let env = Env::with_guardian();
    env.add();
    env.add();
    let epoch = env.global().reward_epoch;
    let mark = env.mark();
    mint(&env, u(100));
    assert_eq!(
        env.logs_since(mark),
        vec![log(&RewardsDistributed { shares: u(100), rewardPerValidator: U256::ZERO })]
    );
    mint(&env, u(50));
    assert_eq!(pot(&env), (0, 150));
    assert_eq!(env.global().reward_epoch, epoch, "nothing was distributed");
    assert_eq!((rewards(&env, 1), rewards(&env, 2)), (U256::ZERO, U256::ZERO));

    env.commit_and_vet(1, 1);
    env.commit_and_vet(2, 1);
    env.deposit(2).motsu_unwrap();
    let mark = env.mark();
    mint(&env, u(10));
    let growth = u(80) * E18;
    assert_eq!(
        env.logs_since(mark),
        vec![log(&RewardsDistributed { shares: u(10), rewardPerValidator: growth })]
    );
    assert_eq!(pot(&env), (80 * ACC_PRECISION, 0));
    assert_eq!(env.global().reward_epoch, epoch + 1);
    assert_eq!((rewards(&env, 1), rewards(&env, 2)), (u(80), u(80)));
}

#[motsu::test]
fn rewards_are_pro_rata_to_active_validators() {
    let env = fleet(&[3, 1, 0]);
    let mark = env.mark();
    mint(&env, u(400));
    assert_eq!(
        env.logs_since(mark),
        vec![log(&RewardsDistributed { shares: u(400), rewardPerValidator: u(100) * E18 })]
    );
    assert_eq!([rewards(&env, 1), rewards(&env, 2), rewards(&env, 3)], [u(300), u(100), u(0)]);
    mint(&env, u(4));
    assert_eq!([rewards(&env, 1), rewards(&env, 2), rewards(&env, 3)], [u(303), u(101), u(0)]);
    // Lazily: nothing is written per operator on a distribution.
    assert_eq!(earned(&env, 1).0, 0);
}

#[motsu::test]
fn rounding_is_down_and_the_dust_stays_in_the_registry() {
    let env = fleet(&[3]);
    mint(&env, u(10));
    let growth = u(10) * E18 / u(3);
    env.reg.assert_emitted(&RewardsDistributed { shares: u(10), rewardPerValidator: growth });
    assert_eq!(rewards(&env, 1), u(9), "3 x 3.333.. = 9.99.., rounded down");
    assert_eq!(pot(&env).1, 0, "nothing is carried over once validators exist");
    assert_eq!(claim(&env, 1), u(9));
}

#[motsu::test]
fn inactive_operators_keep_earning_on_their_validators() {
    let env = fleet(&[1, 1]);
    env.set_active(1, false);
    mint(&env, u(20));
    assert_eq!((rewards(&env, 1), rewards(&env, 2)), (u(10), u(10)));
}

// ------------------------------------------------------------------ settlement

#[motsu::test]
fn exits_settle_an_operator_before_its_count_drops() {
    let env = fleet(&[3, 1]);
    mint(&env, u(400)); // 100 a validator
    let mark = env.mark();
    env.exit(1, 2);
    assert_eq!(
        env.logs_since(mark),
        vec![log(&ExitedValidatorsUpdated { operatorId: u(1), exited: u(2) })]
    );
    assert_eq!(earned(&env, 1), (300, 100 * ACC_PRECISION), "settled at the exit");
    assert_eq!(rewards(&env, 1), u(300));
    assert_eq!(env.r().get_total_active_validators(), u(2));
    mint(&env, u(300)); // 150 a validator, 2 active
    assert_eq!((rewards(&env, 1), rewards(&env, 2)), (u(450), u(250)));

    // All out: the next shares wait.
    env.reg
        .sender(env.admin)
        .update_exited_validators(&[u(1), u(2)], &[u(3), u(1)], &[U256::ZERO; 2], U256::ZERO)
        .motsu_unwrap();
    mint(&env, u(70));
    assert_eq!(pot(&env).1, 70);
    assert_eq!((rewards(&env, 1), rewards(&env, 2)), (u(450), u(250)));
}

#[motsu::test]
fn deposits_settle_an_operator_before_its_count_grows() {
    let env = fleet(&[1]);
    mint(&env, u(100));
    env.commit_and_vet(1, 1);
    env.deposit(1).motsu_unwrap();
    assert_eq!(env.op(1).active(), 2);
    assert_eq!(rewards(&env, 1), u(100), "the new validator earns nothing from before");
    assert_eq!(earned(&env, 1).0, 100, "settled by the deposit");
    mint(&env, u(100));
    assert_eq!(rewards(&env, 1), u(200));
    // Two deposits in the same epoch settle once; nothing is counted twice.
    env.commit_and_vet(1, 2);
    env.deposit(1).motsu_unwrap();
    env.deposit(1).motsu_unwrap();
    assert_eq!(rewards(&env, 1), u(200));
}

#[motsu::test]
fn a_newcomer_earns_only_from_its_first_deposit_on() {
    let env = fleet(&[2]);
    mint(&env, u(200));
    mint(&env, u(200));
    let id = env.add();
    assert_eq!(rewards(&env, id), U256::ZERO);
    env.commit_and_vet(id, 1);
    env.deposit(1).motsu_unwrap();
    assert_eq!(env.op(id).active(), 1);
    assert_eq!(rewards(&env, id), U256::ZERO);
    mint(&env, u(300)); // 100 a validator, 3 active
    assert_eq!((rewards(&env, 1), rewards(&env, id)), (u(600), u(100)));
}

#[motsu::test]
fn the_accumulator_wraps_without_losing_a_difference() {
    let env = Env::with_guardian();
    env.add();
    env.commit_and_vet(1, 1);
    let near = u128::MAX - 5 * ACC_PRECISION;
    env.reg.sender(env.admin).rewards.set(pack_u128_pair(near, 0));
    env.deposit(1).motsu_unwrap();
    assert_eq!(earned(&env, 1), (0, near));
    mint(&env, u(100));
    assert_eq!(pot(&env).0, near.wrapping_add(100 * ACC_PRECISION));
    assert!(pot(&env).0 < near, "wrapped");
    assert_eq!(rewards(&env, 1), u(100));
    assert_eq!(claim(&env, 1), u(100));
}

// ------------------------------------------------------------------ claimRewards

#[motsu::test]
fn anyone_may_claim_and_the_pool_pays_the_reward_address() {
    let env = fleet(&[3, 1]);
    mint(&env, u(400));
    let mark = env.mark();
    assert_eq!(claim(&env, 1), u(300));
    assert_eq!(
        env.logs_since(mark),
        vec![log(&RewardsClaimed { operatorId: u(1), to: reward(1), shares: u(300) })]
    );
    assert_eq!(env.pool.sender(env.admin).transfers(), (u(1), u(300), reward(1), u(300)));
    assert_eq!(rewards(&env, 1), U256::ZERO);
    assert_eq!(earned(&env, 1).0, 0);
    assert_eq!(rewards(&env, 2), u(100), "the other operator is untouched");

    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(env.admin).claim_rewards(u(1)).motsu_unwrap_err(),
        Error::NoRewards(NoRewards { operatorId: u(1) })
    );
    assert_eq!(env.snapshot(), before);
    mint(&env, u(4));
    assert_eq!(claim(&env, 1), u(3));
    assert_eq!(env.pool.sender(env.admin).transfers(), (u(2), u(303), reward(1), u(3)));
}

#[motsu::test]
fn an_operator_without_rewards_has_nothing_to_claim() {
    let env = fleet(&[1, 0]);
    let before = env.snapshot();
    for id in [1u16, 2] {
        assert_eq!(
            env.reg.sender(env.admin).claim_rewards(u(id.into())).motsu_unwrap_err(),
            Error::NoRewards(NoRewards { operatorId: u(id.into()) })
        );
    }
    assert_eq!(env.snapshot(), before);
    mint(&env, u(10));
    assert_eq!(
        env.reg.sender(env.admin).claim_rewards(u(2)).motsu_unwrap_err(),
        Error::NoRewards(NoRewards { operatorId: u(2) })
    );
}

#[motsu::test]
fn claims_go_to_the_current_reward_address() {
    let env = fleet(&[1]);
    mint(&env, u(10));
    let new = Address::repeat_byte(0x99);
    env.reg.sender(reward(1)).set_reward_address(u(1), new).motsu_unwrap();
    assert_eq!(claim(&env, 1), u(10));
    assert_eq!(env.pool.sender(env.admin).transfers().2, new);
    env.reg.assert_emitted(&RewardsClaimed { operatorId: u(1), to: new, shares: u(10) });
}

#[motsu::test]
fn a_claim_after_exits_pays_what_was_settled() {
    let env = fleet(&[2]);
    mint(&env, u(20));
    env.exit(1, 2);
    mint(&env, u(1000)); // no validator left: waits
    assert_eq!(claim(&env, 1), u(20));
}

#[motsu::test]
fn the_pools_revert_passes_through_and_keeps_the_rewards() {
    let env = fleet(&[1]);
    mint(&env, u(10));
    env.pool.sender(env.admin).revert_with(Bytes(b"pool says no".to_vec()));
    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(env.admin).claim_rewards(u(1)).motsu_unwrap_err(),
        Error::Callee(b"pool says no".to_vec())
    );
    assert_eq!(env.snapshot(), before);
    assert_eq!(rewards(&env, 1), u(10));
}

#[motsu::test]
fn a_claim_holds_the_reentrancy_guard_while_the_pool_pays() {
    let env = fleet(&[1, 1]);
    mint(&env, u(20));
    let again = crate::abi::INodeOperatorRegistry::claimRewardsCall { operatorId: u(2) };
    env.pool
        .sender(env.admin)
        .set_reentry(env.reg.address(), Bytes(alloy_sol_types::SolCall::abi_encode(&again)));
    assert_eq!(claim(&env, 1), u(10));
    let (ok, answer) = env.pool.sender(env.admin).reentry();
    assert!(!ok);
    assert_eq!(answer.0, Vec::<u8>::from(Error::ReentrantCall(ReentrantCall {})));
    assert_eq!(env.pool.sender(env.admin).transfers().0, u(1), "paid once");
    assert_eq!(rewards(&env, 2), u(10));
}

// ------------------------------------------------------------------ bounds

#[motsu::test]
fn minted_shares_are_bounded_by_u128() {
    let env = Env::with_guardian();
    env.add();
    let overflow = Error::MathOverflow(MathOverflow {});
    assert_eq!(
        env.reg.sender(env.pool.address()).on_rewards_minted(U256::MAX).motsu_unwrap_err(),
        overflow
    );
    assert_eq!(
        env.reg.sender(env.pool.address()).on_rewards_minted(u(1) << 128).motsu_unwrap_err(),
        overflow
    );
    mint(&env, U256::from(u128::MAX));
    assert_eq!(pot(&env), (0, u128::MAX));
    let before = env.snapshot();
    assert_eq!(
        env.reg.sender(env.pool.address()).on_rewards_minted(u(1)).motsu_unwrap_err(),
        overflow,
        "the waiting shares and the new ones overflow together"
    );
    assert_eq!(env.snapshot(), before);
    // With a validator, u128::MAX x 1e18 per validator does not fit the accumulator.
    env.commit_and_vet(1, 1);
    env.deposit(1).motsu_unwrap();
    assert_eq!(
        env.reg.sender(env.pool.address()).on_rewards_minted(U256::ZERO).motsu_unwrap_err(),
        overflow
    );
}

#[motsu::test]
fn zero_shares_change_nothing_but_log() {
    let env = fleet(&[1]);
    let epoch = env.global().reward_epoch;
    mint(&env, U256::ZERO);
    env.reg
        .assert_emitted(&RewardsDistributed { shares: U256::ZERO, rewardPerValidator: U256::ZERO });
    assert_eq!(env.global().reward_epoch, epoch);
    assert_eq!(pot(&env), (0, 0));
}

// ------------------------------------------------------------------ the property

mod property {
    use proptest::prelude::*;

    use super::*;

    #[derive(Debug, Clone)]
    enum Step {
        Mint(u64),
        Deposit(u8),
        Exit { op: u8, pick: u8 },
        Claim(u8),
        Toggle(u8),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            4 => (0..1_000_000_000_000u64).prop_map(Step::Mint),
            3 => (1..4u8).prop_map(Step::Deposit),
            2 => (any::<u8>(), any::<u8>()).prop_map(|(op, pick)| Step::Exit { op, pick }),
            2 => any::<u8>().prop_map(Step::Claim),
            1 => any::<u8>().prop_map(Step::Toggle),
        ]
    }

    /// The ghost ledger kept beside the registry.
    #[derive(Debug, Default)]
    struct Ghost {
        minted: U256,
        waiting: U256,
        /// Per operator: exact entitlement x 1e18 (each distribution rounded down once).
        exact: Vec<U256>,
        claimed: Vec<U256>,
        /// Per operator: settlements (deposits, exits, claims), each may round down a share.
        settles: Vec<U256>,
    }

    const OPS: usize = 4;

    proptest! {
        #![proptest_config(ProptestConfig {
            // `PROPTEST_CASES` (scripts/fuzz's long mode) overrides the short count.
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(32),
            failure_persistence: None,
            ..ProptestConfig::default()
        })]

        /// Shares are never created: what operators claimed and can claim, plus what waits,
        /// never exceeds what was minted; and each operator gets its pro-rata part of every
        /// distribution less at most one share per settlement.
        #[test]
        fn operators_get_their_pro_rata_part_less_rounding(
            steps in prop::collection::vec(step(), 5..40),
        ) {
            let _precompiles = motsu::prelude::deploy_precompiles();
            let env = Env::with_guardian();
            for id in 1..=OPS as u16 {
                env.add();
                env.commit_and_vet(id, 8);
            }
            let mut ghost = Ghost {
                exact: vec![U256::ZERO; OPS],
                claimed: vec![U256::ZERO; OPS],
                settles: vec![U256::ZERO; OPS],
                ..Ghost::default()
            };
            for s in &steps {
                let active: Vec<u32> = (1..=OPS as u16).map(|i| env.op(i).active()).collect();
                let total: u32 = active.iter().sum();
                match s {
                    Step::Mint(shares) => {
                        let shares = u(*shares);
                        mint(&env, shares);
                        ghost.minted += shares;
                        ghost.waiting += shares;
                        if total > 0 {
                            for (exact, &n) in ghost.exact.iter_mut().zip(&active) {
                                *exact += ghost.waiting * E18 * u(n.into()) / u(total.into());
                            }
                            ghost.waiting = U256::ZERO;
                        }
                    }
                    Step::Deposit(count) => {
                        let plan = env.r().allocation(usize::from(*count));
                        if plan.len() == usize::from(*count) {
                            env.deposit(plan.len()).motsu_unwrap();
                            for (id, _, _) in plan {
                                ghost.settles[usize::from(id) - 1] += u(1);
                            }
                        }
                    }
                    Step::Exit { op, pick } => {
                        let i = usize::from(*op) % OPS;
                        let o = env.op(i as u16 + 1);
                        let to = o.exited + u32::from(*pick) % (o.deposited - o.exited + 1);
                        env.exit(i as u16 + 1, to);
                        ghost.settles[i] += u(1);
                    }
                    Step::Claim(op) => {
                        let i = usize::from(*op) % OPS;
                        let due = rewards(&env, i as u16 + 1);
                        let result = env
                            .reg
                            .sender(Address::repeat_byte(0xc1))
                            .claim_rewards(u(i as u64 + 1))
                            .motsu_res();
                        if due.is_zero() {
                            prop_assert!(matches!(result, Err(Error::NoRewards(_))));
                        } else {
                            prop_assert_eq!(result.unwrap(), due);
                            ghost.claimed[i] += due;
                            ghost.settles[i] += u(1);
                        }
                    }
                    Step::Toggle(op) => {
                        let id = u16::from(*op) % OPS as u16 + 1;
                        env.set_active(id, !env.op(id).has(crate::storage::OP_ACTIVE));
                    }
                }
                // The ledger.
                let (_, undistributed) = pot(&env);
                prop_assert_eq!(u(undistributed.try_into().unwrap()), ghost.waiting);
                let mut owed = ghost.waiting;
                for i in 0..OPS {
                    let got = ghost.claimed[i] + rewards(&env, i as u16 + 1);
                    owed += got;
                    prop_assert!(got * E18 <= ghost.exact[i], "operator {} over-credited", i + 1);
                    prop_assert!(
                        ghost.exact[i] - got * E18 < (ghost.settles[i] + u(2)) * E18,
                        "operator {} under-credited: {} x 1e18 due, {} got",
                        i + 1,
                        ghost.exact[i],
                        got
                    );
                }
                prop_assert!(owed <= ghost.minted);
                prop_assert_eq!(env.pool.sender(env.admin).transfers().1,
                    ghost.claimed.iter().fold(U256::ZERO, |a, b| a + b));
            }
        }
    }
}
