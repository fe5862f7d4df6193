//! `handleOracleReport` (the extension's report processing) in motsu: who may report, every
//! refusal with the values it names and no state change, the fee split, bunker mode, burns,
//! the CL-loss window, and the finalization path against a `QueueMock`.
//!
//! motsu's clock is fixed at [`NOW`]; reports carry earlier timestamps. The queue and the
//! registry are stood in by [`QueueMock`] and [`RegistryMock`]; the release wasm with the real
//! queue and registry is tested end to end in `tests/e2e/pool_report.rs`.
#![allow(clippy::too_many_arguments)]

use alloy_primitives::uint;
use staking_math::{
    sanity::{self, Limits},
    RATE_PRECISION,
};
use stylus_sdk::storage::{StorageAddress, StorageBool, StorageU256};

use super::{report_config::setup_admin, *};
use crate::{
    report::OracleReport,
    storage::{Beacon, Totals, DEPOSIT_SIZE},
};

/// motsu's `block.timestamp`.
const NOW: u64 = 1_735_689_600;
const DAY: u64 = 86_400;
const GWEI: U256 = uint!(1_000_000_000_U256);

/// Stand-in for the withdrawal queue: answers `prefinalize` and `getWithdrawalStatus` with
/// what the test set, records `setBunkerMode` and `finalize` (with the ether it got).
#[storage]
pub struct QueueMock {
    lock: StorageU256,
    shares: StorageU256,
    request_timestamp: StorageU256,
    bunker: StorageBool,
    bunker_calls: StorageU256,
    finalized_last: StorageU256,
    finalized_rate: StorageU256,
    finalized_value: StorageU256,
}

unsafe impl TopLevelStorage for QueueMock {}

#[public]
impl QueueMock {
    fn set_answer(&mut self, lock: U256, shares: U256, request_timestamp: U256) {
        self.lock.set(lock);
        self.shares.set(shares);
        self.request_timestamp.set(request_timestamp);
    }

    fn prefinalize(&self, batches: Vec<U256>, max_share_rate: U256) -> (U256, U256) {
        let _ = (batches, max_share_rate);
        (self.lock.get(), self.shares.get())
    }

    fn get_withdrawal_status(
        &self,
        request_ids: Vec<U256>,
    ) -> Vec<(U256, U256, Address, U256, bool, bool)> {
        request_ids
            .iter()
            .map(|_| {
                (U256::ZERO, U256::ZERO, Address::ZERO, self.request_timestamp.get(), false, false)
            })
            .collect()
    }

    fn set_bunker_mode(&mut self, active: bool) {
        self.bunker.set(active);
        self.bunker_calls.set(self.bunker_calls.get() + U256::from(1));
    }

    #[payable]
    fn finalize(&mut self, last_id_to_finalize: U256, max_share_rate: U256) {
        self.finalized_last.set(last_id_to_finalize);
        self.finalized_rate.set(max_share_rate);
        self.finalized_value.set(self.vm().msg_value());
    }

    fn bunker(&self) -> (bool, U256) {
        (self.bunker.get(), self.bunker_calls.get())
    }

    fn finalized(&self) -> (U256, U256, U256) {
        (self.finalized_last.get(), self.finalized_rate.get(), self.finalized_value.get())
    }
}

/// Stand-in for the node operator registry: records `onRewardsMinted`.
#[storage]
pub struct RegistryMock {
    minted: StorageU256,
    calls: StorageU256,
    caller: StorageAddress,
}

unsafe impl TopLevelStorage for RegistryMock {}

#[public]
impl RegistryMock {
    fn on_rewards_minted(&mut self, shares: U256) {
        self.minted.set(self.minted.get() + shares);
        self.calls.set(self.calls.get() + U256::from(1));
        self.caller.set(self.vm().msg_sender());
    }

    fn minted(&self) -> (U256, U256, Address) {
        (self.minted.get(), self.calls.get(), self.caller.get())
    }
}

/// Permissive limits (each test tightens the one it checks).
fn limits() -> Limits {
    Limits {
        annual_increase_bp: 10_000,
        cl_decrease_bp: 10_000,
        cl_decrease_window: 18 * 86_400,
        share_rate_deviation_bp: 10_000,
        appeared_per_day: 1_000_000,
        exited_per_day: 1_000_000,
        request_margin: 0,
        max_positive_rebase: 1_000_000_000,
        max_exited_operators: 100,
    }
}

/// Validators funded: shares minted to `holder` for `n` x 32 ether that left the buffer for
/// validators (slot writes: motsu has no deposit contract), so the pool's balance stays equal
/// to its buffer and the share rate does not move.
fn seed_validators(pool: &Contract<StakingPool>, holder: Address, n: u64) {
    let mut p = pool.sender(Address::ZERO);
    let added = u128::from(n) * DEPOSIT_SIZE;
    let mut totals = Totals::unpack(p.totals.get());
    totals.total_shares += added;
    p.totals.set(totals.pack());
    let mut beacon = Beacon::unpack(p.beacon.get());
    beacon.deposited_validators += n;
    p.beacon.set(beacon.pack());
    let held = p.shares.get(holder);
    p.shares.setter(holder).set(held + U256::from(added));
}

/// The suite of these tests: admin with every role, the mocks as queue and registry, `oracle`
/// set, a 10% fee half to the operators, Alice with 100 ether buffered and 3 validators.
/// The pool with its extension's report path wired to mocks: the queue, the registry, an
/// oracle address, a 10% fee (half to the operators) paid to `treasury`, ALICE's 100 ether and
/// 3 validators deposited. The contracts live as long as the `World` (motsu resets a
/// contract's storage when it is dropped).
struct World {
    pool: Contract<StakingPool>,
    manager: Contract<AccessManagerMock>,
    queue: Contract<QueueMock>,
    registry: Contract<RegistryMock>,
    admin: Address,
    oracle: Address,
    treasury: Address,
    alice: Address,
}

impl World {
    fn new() -> Self {
        let w = Self {
            pool: Contract::new(),
            manager: Contract::new(),
            queue: Contract::new(),
            registry: Contract::new(),
            admin: Address::repeat_byte(0xad),
            oracle: Address::repeat_byte(0x0c),
            treasury: Address::repeat_byte(0x7e),
            alice: Address::repeat_byte(0xa1),
        };
        setup_admin(&w.pool, &w.manager, w.admin);
        let p = || w.pool.sender(w.admin);
        p().set_protocol_contracts(w.queue.address(), w.registry.address()).motsu_unwrap();
        p().set_oracle(w.oracle).motsu_unwrap();
        p().set_fee_config(w.treasury, U256::from(1_000), U256::from(500)).motsu_unwrap();
        deposit(&w.pool, w.alice, ether(100));
        seed_validators(&w.pool, w.alice, 3);
        w
    }
}

/// A report of the 3 validators with `cl_balance` a day after the last.
fn report(cl_balance: U256) -> OracleReport {
    OracleReport {
        report_timestamp: U256::from(NOW - 60),
        time_elapsed: U256::from(DAY),
        cl_validators: U256::from(3),
        cl_balance,
        limits: limits().pack(),
        ..OracleReport::default()
    }
}

/// Everything a report may move, to show a refused one moved nothing.
fn snapshot(pool: &Contract<StakingPool>, who: &[Address]) -> (U256, U256, Vec<U256>) {
    let p = pool.sender(Address::ZERO);
    let words = (p.totals.get(), p.beacon.get());
    let config = p.report_config.get();
    let mut shares: Vec<U256> = who.iter().map(|&a| p.shares_of(a)).collect();
    shares.push(config);
    // Slot 20: the report round and timestamp (crate::wrapping).
    shares.push(p.wrapped.get());
    for i in 0..8 {
        shares.push(p.losses.get(i).unwrap_or_default());
    }
    (words.0, words.1, shares)
}

fn refused(
    pool: &Contract<StakingPool>,
    oracle: Address,
    r: &OracleReport,
    batches: &[U256],
    who: &[Address],
) -> Error {
    let before = snapshot(pool, who);
    let err = pool.sender(oracle).handle_oracle_report(r, batches).motsu_unwrap_err();
    assert_eq!(snapshot(pool, who), before, "a refused report changed state");
    err
}

const THREE: u128 = 3 * DEPOSIT_SIZE;

mod access {
    use super::*;

    #[motsu::test]
    fn only_the_oracle_may_report(mallory: Address) {
        let w = World::new();
        let r = report(U256::from(THREE));
        for caller in [mallory, w.admin, w.alice] {
            let before = snapshot(&w.pool, &[w.alice]);
            assert_eq!(
                w.pool.sender(caller).handle_oracle_report(&r, &[]).motsu_unwrap_err(),
                Error::NotOracle(NotOracle { caller })
            );
            assert_eq!(snapshot(&w.pool, &[w.alice]), before);
        }
        w.pool.sender(w.oracle).handle_oracle_report(&r, &[]).motsu_unwrap();
    }

    #[motsu::test]
    fn without_an_oracle_nobody_may_report(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        admin: Address,
    ) {
        setup_admin(&pool, &manager, admin);
        let r = report(U256::ZERO);
        assert_eq!(
            pool.sender(admin).handle_oracle_report(&r, &[]).motsu_unwrap_err(),
            Error::NotOracle(NotOracle { caller: admin })
        );
    }

    #[motsu::test]
    fn a_paused_token_refuses_reports() {
        let w = World::new();
        w.pool.sender(w.admin).pause_token().motsu_unwrap();
        let r = report(U256::from(THREE));
        assert_eq!(
            refused(&w.pool, w.oracle, &r, &[], &[w.alice]),
            Error::TokenIsPaused(TokenIsPaused {})
        );
    }
}

mod refusals {
    use super::*;

    #[motsu::test]
    fn a_report_timestamp_not_in_the_past_is_refused() {
        let w = World::new();
        for ts in [U256::from(NOW), U256::from(NOW + 1), U256::MAX] {
            let r = OracleReport { report_timestamp: ts, ..report(U256::from(THREE)) };
            assert_eq!(
                refused(&w.pool, w.oracle, &r, &[], &[w.alice]),
                Error::IncorrectReportTimestamp(IncorrectReportTimestamp {
                    reportTimestamp: ts,
                    blockTimestamp: U256::from(NOW),
                })
            );
        }
    }

    #[motsu::test]
    fn validators_out_of_range_are_refused() {
        let w = World::new();
        // 2 validators seen, then fewer, or more than deposited.
        let two =
            OracleReport { cl_validators: U256::from(2), ..report(U256::from(2 * DEPOSIT_SIZE)) };
        w.pool.sender(w.oracle).handle_oracle_report(&two, &[]).motsu_unwrap();
        for reported in [U256::from(1), U256::from(4), U256::from(u64::MAX), U256::MAX] {
            let r = OracleReport { cl_validators: reported, ..report(U256::from(THREE)) };
            assert_eq!(
                refused(&w.pool, w.oracle, &r, &[], &[w.alice]),
                Error::IncorrectReportValidators(IncorrectReportValidators {
                    reported,
                    preClValidators: U256::from(2),
                    depositedValidators: U256::from(3),
                })
            );
        }
    }

    #[motsu::test]
    fn claims_above_the_ether_that_arrived_are_refused() {
        let w = World::new();
        w.pool.address().fund(ether(1));
        let r = OracleReport {
            withdrawals: ether(1),
            el_rewards: U256::from(1),
            ..report(U256::from(THREE) - ether(1))
        };
        assert_eq!(
            refused(&w.pool, w.oracle, &r, &[], &[w.alice]),
            Error::IncorrectWithdrawalsAndRewards(IncorrectWithdrawalsAndRewards {
                claimed: ether(1) + U256::from(1),
                available: ether(1),
            })
        );
        // Exactly what arrived is accepted.
        let r = OracleReport { el_rewards: U256::ZERO, ..r };
        w.pool.sender(w.oracle).handle_oracle_report(&r, &[]).motsu_unwrap();
    }

    #[motsu::test]
    fn an_annual_increase_above_the_limit_is_refused() {
        let w = World::new();
        // 96 ether earning 0.1 ether in a day: 96 * 0.1 / 96 * 365 = 38.02% a year.
        let tight = Limits { annual_increase_bp: 1_000, ..limits() };
        let r = OracleReport {
            limits: tight.pack(),
            ..report(U256::from(THREE) + ether(1) / U256::from(10))
        };
        assert_eq!(
            refused(&w.pool, w.oracle, &r, &[], &[w.alice]),
            Error::IncorrectCLBalanceIncrease(IncorrectCLBalanceIncrease {
                limitBP: U256::from(1_000),
                annualBP: U256::from(3_803), // 3,802.08 rounded up
            })
        );
        // 10% a year is exactly the limit.
        let at_limit = U256::from(THREE) / U256::from(10) / U256::from(365);
        let r = OracleReport { limits: tight.pack(), ..report(U256::from(THREE) + at_limit) };
        w.pool.sender(w.oracle).handle_oracle_report(&r, &[]).motsu_unwrap();
    }

    #[motsu::test]
    fn appeared_validators_above_the_daily_limit_are_refused() {
        let w = World::new();
        let tight = Limits { appeared_per_day: 2, ..limits() };
        let r = OracleReport { limits: tight.pack(), ..report(U256::from(THREE)) };
        assert_eq!(
            refused(&w.pool, w.oracle, &r, &[], &[w.alice]),
            Error::IncorrectAppearedValidators(IncorrectAppearedValidators {
                limitPerDay: U256::from(2),
                appeared: U256::from(3),
            })
        );
        let r = OracleReport { limits: Limits { appeared_per_day: 3, ..limits() }.pack(), ..r };
        w.pool.sender(w.oracle).handle_oracle_report(&r, &[]).motsu_unwrap();
    }

    #[motsu::test]
    fn a_positive_rebase_above_the_limit_is_refused_not_smoothed() {
        let w = World::new();
        // 196.001 ether pooled; 0.196001 ether of EL rewards is +0.1% (1,000,000 in 1e9).
        let tpe = ether(196) + BOOTSTRAP;
        let el = tpe / U256::from(1_000);
        w.pool.address().fund(el);
        let tight = Limits { max_positive_rebase: 750_000, ..limits() };
        let r = OracleReport { el_rewards: el, limits: tight.pack(), ..report(U256::from(THREE)) };
        assert_eq!(
            refused(&w.pool, w.oracle, &r, &[], &[w.alice]),
            Error::IncorrectPositiveRebase(IncorrectPositiveRebase {
                limit: U256::from(750_000),
                actual: U256::from(1_000_000),
            })
        );
        let r = OracleReport {
            limits: Limits { max_positive_rebase: 1_000_000, ..limits() }.pack(),
            ..r
        };
        w.pool.sender(w.oracle).handle_oracle_report(&r, &[]).motsu_unwrap();
        assert_eq!(w.pool.sender(w.alice).get_buffered_ether(), ether(100) + BOOTSTRAP + el);
    }

    #[motsu::test]
    fn burning_more_shares_than_the_pool_holds_is_refused() {
        let w = World::new();
        let r = OracleReport { shares_to_burn: U256::from(1), ..report(U256::from(THREE)) };
        assert_eq!(
            refused(&w.pool, w.oracle, &r, &[], &[w.alice]),
            Error::IncorrectSharesRequestedToBurn(IncorrectSharesRequestedToBurn {
                requested: U256::from(1),
                available: U256::ZERO,
            })
        );
    }
}

mod rewards {
    use super::*;

    /// `floor(R * fee * S / (E * 1e4 - R * fee))`, written out independently.
    fn expected_fee_shares(rewards: U256, fee_bp: u64, ether: U256, shares: U256) -> U256 {
        let fee = rewards * U256::from(fee_bp);
        fee * shares / (ether * U256::from(10_000) - fee)
    }

    #[motsu::test]
    fn a_rewards_report_mints_the_fee_so_holders_lose_exactly_it() {
        let w = World::new();
        let (pre_shares, pre_ether) = (
            w.pool.sender(w.alice).total_shares(),
            w.pool.sender(w.alice).total_supply().motsu_unwrap(),
        );
        let alice_before = w.pool.sender(w.alice).balance_of(w.alice).motsu_unwrap();
        // CL +0.03 ether, EL +0.02 ether: rewards 0.05 ether, fee 10% = 0.005 ether.
        let (cl_gain, el) = (ether(3) / U256::from(100), ether(2) / U256::from(100));
        w.pool.address().fund(el);
        let r = OracleReport { el_rewards: el, ..report(U256::from(THREE) + cl_gain) };
        w.pool.sender(w.oracle).handle_oracle_report(&r, &[]).motsu_unwrap();

        let post_ether = pre_ether + cl_gain + el;
        let m = expected_fee_shares(cl_gain + el, 1_000, post_ether, pre_shares);
        let operators = m * U256::from(500) / U256::from(1_000);
        let p = w.pool.sender(w.alice);
        assert!(!m.is_zero());
        assert_eq!(p.total_shares(), pre_shares + m);
        assert_eq!(p.total_supply().motsu_unwrap(), post_ether);
        assert_eq!(p.shares_of(w.registry.address()), operators);
        assert_eq!(p.shares_of(w.treasury), m - operators);
        assert_eq!(
            w.registry.sender(w.admin).minted(),
            (operators, U256::from(1), w.pool.address())
        );
        // The minted shares are worth at most the fee, and less than one share's worth below.
        let fee = (cl_gain + el) / U256::from(10);
        let minted_value = m * post_ether / (pre_shares + m);
        assert!(
            minted_value <= fee
                && fee - minted_value <= post_ether / (pre_shares + m) + U256::from(1)
        );
        // Holders keep the rewards less the fee.
        let alice_after = w.pool.sender(w.alice).balance_of(w.alice).motsu_unwrap();
        let alice_share = (cl_gain + el - fee) * p_shares(&w.pool, w.alice) / pre_shares;
        assert!(alice_after - alice_before + U256::from(2) >= alice_share);
        assert!(alice_after - alice_before <= alice_share + U256::from(2));
        // State and events.
        assert_eq!(
            p.get_beacon_stat(),
            (U256::from(3), U256::from(3), U256::from(THREE) + cl_gain)
        );
        assert_eq!(p.get_buffered_ether(), ether(100) + BOOTSTRAP + el);
        let post = PoolStateView::of(&w.pool);
        w.pool.assert_emitted(&TransferShares {
            from: Address::ZERO,
            to: w.treasury,
            sharesValue: m - operators,
        });
        w.pool.assert_emitted(&Transfer {
            from: Address::ZERO,
            to: w.registry.address(),
            value: operators * post.ether / post.shares,
        });
        w.pool.assert_emitted(&CLValidatorsUpdated {
            reportTimestamp: r.report_timestamp,
            preCLValidators: U256::ZERO,
            postCLValidators: U256::from(3),
        });
        w.pool.assert_emitted(&ETHDistributed {
            reportTimestamp: r.report_timestamp,
            preCLBalance: U256::ZERO,
            postCLBalance: U256::from(THREE) + cl_gain,
            withdrawalsWithdrawn: U256::ZERO,
            executionLayerRewardsWithdrawn: el,
            postBufferedEther: ether(100) + BOOTSTRAP + el,
        });
        w.pool.assert_emitted(&TokenRebased {
            reportTimestamp: r.report_timestamp,
            timeElapsed: U256::from(DAY),
            preTotalShares: pre_shares,
            preTotalEther: pre_ether,
            postTotalShares: pre_shares + m,
            postTotalEther: post_ether,
            sharesMintedAsFees: m,
        });
        // No loss, no bunker: the w.queue was not called.
        assert_eq!(w.queue.sender(w.admin).bunker(), (false, U256::ZERO));
    }

    fn p_shares(pool: &Contract<StakingPool>, who: Address) -> U256 {
        pool.sender(who).shares_of(who)
    }

    /// Post-report totals, read back.
    struct PoolStateView {
        ether: U256,
        shares: U256,
    }

    impl PoolStateView {
        fn of(pool: &Contract<StakingPool>) -> Self {
            let p = pool.sender(Address::ZERO);
            Self { ether: p.total_supply().motsu_unwrap(), shares: p.total_shares() }
        }
    }

    #[motsu::test]
    fn operators_get_the_floor_and_the_treasury_the_rest() {
        let w = World::new();
        // 7 of 10,000 BP to the operators out of 1,000: an uneven split.
        w.pool
            .sender(w.admin)
            .set_fee_config(w.treasury, U256::from(1_000), U256::from(7))
            .motsu_unwrap();
        let pre_shares = w.pool.sender(w.alice).total_shares();
        let pre_ether = w.pool.sender(w.alice).total_supply().motsu_unwrap();
        let gain = U256::from(12_345_678_901_234_567u64);
        let r = report(U256::from(THREE) + gain);
        w.pool.sender(w.oracle).handle_oracle_report(&r, &[]).motsu_unwrap();
        let m = expected_fee_shares(gain, 1_000, pre_ether + gain, pre_shares);
        let operators = m * U256::from(7) / U256::from(1_000);
        assert_ne!(m * U256::from(7) % U256::from(1_000), U256::ZERO, "the split is uneven");
        let p = w.pool.sender(w.alice);
        assert_eq!(p.shares_of(w.registry.address()), operators);
        assert_eq!(p.shares_of(w.treasury), m - operators);
        assert_eq!(p.total_shares(), pre_shares + m);
    }

    #[motsu::test]
    fn no_fee_without_operators_share_and_no_registry_call() {
        let w = World::new();
        w.pool
            .sender(w.admin)
            .set_fee_config(w.treasury, U256::from(500), U256::ZERO)
            .motsu_unwrap();
        let r = report(U256::from(THREE) + ether(1) / U256::from(100));
        w.pool.sender(w.oracle).handle_oracle_report(&r, &[]).motsu_unwrap();
        assert!(!w.pool.sender(w.alice).shares_of(w.treasury).is_zero());
        assert_eq!(w.registry.sender(w.admin).minted().1, U256::ZERO);
    }

    #[motsu::test]
    fn a_cl_loss_pays_no_fee_even_with_el_rewards_and_sets_bunker_mode() {
        let w = World::new();
        let pre_shares = w.pool.sender(w.alice).total_shares();
        let (loss, el) = (ether(1) / U256::from(10), ether(1));
        w.pool.address().fund(el);
        // EL rewards (1 ether) far above the CL loss (0.1 ether): still no fee (LIP-12).
        let r = OracleReport { el_rewards: el, ..report(U256::from(THREE) - loss) };
        w.pool.sender(w.oracle).handle_oracle_report(&r, &[]).motsu_unwrap();
        let p = w.pool.sender(w.alice);
        assert_eq!(p.total_shares(), pre_shares);
        assert_eq!(p.shares_of(w.treasury), U256::ZERO);
        assert_eq!(w.registry.sender(w.admin).minted().1, U256::ZERO);
        assert!(p.is_bunker_mode());
        assert_eq!(w.queue.sender(w.admin).bunker(), (true, U256::from(1)));
        w.pool.assert_emitted(&TokenRebased {
            reportTimestamp: r.report_timestamp,
            timeElapsed: U256::from(DAY),
            preTotalShares: pre_shares,
            preTotalEther: ether(196) + BOOTSTRAP,
            postTotalShares: pre_shares,
            postTotalEther: ether(196) + BOOTSTRAP - loss + el,
            sharesMintedAsFees: U256::ZERO,
        });
        // The queue's flag is off behind the pool's back (only the pool sets it, but a new
        // queue set by `setProtocolContracts` starts with it off; the mock's is cleared by
        // hand); the next report still in bunker (the oracle says so) sets it again. Then
        // cleared: one call.
        w.queue.sender(w.admin).set_bunker_mode(false);
        assert!(w.pool.sender(w.alice).is_bunker_mode(), "the pool's cache did not see it");
        let r2 = OracleReport { is_bunker_mode: true, ..report(U256::from(THREE) - loss) };
        w.pool.sender(w.oracle).handle_oracle_report(&r2, &[]).motsu_unwrap();
        assert_eq!(w.queue.sender(w.admin).bunker(), (true, U256::from(3)));
        w.pool
            .sender(w.oracle)
            .handle_oracle_report(&report(U256::from(THREE) - loss), &[])
            .motsu_unwrap();
        assert_eq!(w.queue.sender(w.admin).bunker(), (false, U256::from(4)));
        assert!(!w.pool.sender(w.alice).is_bunker_mode());
    }

    #[motsu::test]
    fn the_oracles_bunker_verdict_is_passed_on_without_a_loss() {
        let w = World::new();
        let r = OracleReport { is_bunker_mode: true, ..report(U256::from(THREE)) };
        w.pool.sender(w.oracle).handle_oracle_report(&r, &[]).motsu_unwrap();
        assert_eq!(w.queue.sender(w.admin).bunker(), (true, U256::from(1)));
        assert!(w.pool.sender(w.alice).is_bunker_mode());
    }

    #[motsu::test]
    fn shares_held_by_the_pool_are_burned() {
        let w = World::new();
        // Shares at the w.pool's own address (transfers to the w.pool are refused: written here).
        let this = w.pool.address();
        {
            let mut p = w.pool.sender(Address::ZERO);
            let held = p.shares.get(w.alice);
            p.shares.setter(w.alice).set(held - ether(2));
            p.shares.setter(this).set(ether(2));
        }
        let (pre_shares, pre_ether) = (
            w.pool.sender(w.alice).total_shares(),
            w.pool.sender(w.alice).total_supply().motsu_unwrap(),
        );
        let r = OracleReport { shares_to_burn: ether(1), ..report(U256::from(THREE)) };
        w.pool.sender(w.oracle).handle_oracle_report(&r, &[]).motsu_unwrap();
        let p = w.pool.sender(w.alice);
        assert_eq!(p.shares_of(this), ether(1));
        assert_eq!(p.total_shares(), pre_shares - ether(1));
        assert_eq!(p.total_supply().motsu_unwrap(), pre_ether);
        w.pool.assert_emitted(&TransferShares {
            from: this,
            to: Address::ZERO,
            sharesValue: ether(1),
        });
        w.pool.assert_emitted(&Transfer { from: this, to: Address::ZERO, value: ether(1) });
        // The rate rose by what the burned shares were worth.
        assert!(p.share_rate().motsu_unwrap() > RATE_PRECISION);
    }
}

mod loss_window {
    use super::*;

    /// A loss report `k` hours after a base time, losing `loss` against the stored balance.
    fn loss_report(
        pool: &Contract<StakingPool>,
        hours_ago: u64,
        loss: U256,
        l: Limits,
    ) -> OracleReport {
        let (_, _, cl) = pool.sender(Address::ZERO).get_beacon_stat();
        OracleReport {
            report_timestamp: U256::from(NOW - hours_ago * 3_600),
            time_elapsed: U256::from(3_600),
            limits: l.pack(),
            ..report(cl - loss)
        }
    }

    #[motsu::test]
    fn losses_over_the_window_are_summed_and_the_limit_names_them() {
        let w = World::new();
        w.pool
            .sender(w.oracle)
            .handle_oracle_report(&report(U256::from(THREE)), &[])
            .motsu_unwrap();
        // 1% of 96 ether in a window of one day: 0.96 ether.
        let l = Limits { cl_decrease_bp: 100, cl_decrease_window: 86_400, ..limits() };
        let step = ether(4) / U256::from(10); // 0.4 ether
        {
            let r = loss_report(&w.pool, 30, step, l);
            w.pool.sender(w.oracle).handle_oracle_report(&r, &[]).motsu_unwrap();
        }
        {
            let r = loss_report(&w.pool, 20, step, l);
            w.pool.sender(w.oracle).handle_oracle_report(&r, &[]).motsu_unwrap();
        }
        // A third 0.4 ether: 1.2 ether over the day, against a principal of 95.2 ether.
        let r = loss_report(&w.pool, 10, step, l);
        assert_eq!(
            refused(&w.pool, w.oracle, &r, &[], &[w.alice]),
            Error::IncorrectCLBalanceDecrease(IncorrectCLBalanceDecrease {
                limitBP: U256::from(100),
                windowBP: U256::from(127), // 1.2 / 95.2 = 126.05 BP, rounded up
            })
        );
        // In a 15-hour window the loss of 30 hours ago is out: two 0.4 ether losses (84 BP) pass.
        let l15 = Limits { cl_decrease_window: 15 * 3_600, ..l };
        {
            let r = loss_report(&w.pool, 10, step, l15);
            w.pool.sender(w.oracle).handle_oracle_report(&r, &[]).motsu_unwrap();
        }
    }

    #[motsu::test]
    fn a_full_window_folds_the_oldest_loss_instead_of_forgetting_it() {
        let w = World::new();
        w.pool
            .sender(w.oracle)
            .handle_oracle_report(&report(U256::from(THREE)), &[])
            .motsu_unwrap();
        let l = limits();
        let loss = GWEI * U256::from(1_000);
        // 20 losing reports an hour apart, all inside the 18-day window: 16 entries hold them.
        for k in 0..20u64 {
            let r = loss_report(&w.pool, 40 - k, loss, l);
            w.pool.sender(w.oracle).handle_oracle_report(&r, &[]).motsu_unwrap();
        }
        let p = w.pool.sender(w.alice);
        let config = crate::storage::ReportConfig::unpack(p.report_config.get());
        assert_eq!((config.loss_len, config.loss_head), (16, 4));
        assert_eq!(p.window_losses(&config, 0), loss * U256::from(20));
        // Only the window's start decides: from 30 hours ago, the 10 newest (and what the
        // oldest was folded into, which counts as of its newer timestamp).
        let since = NOW - 31 * 3_600;
        assert_eq!(p.window_losses(&config, since), loss * U256::from(10));
    }
}

mod finalization {
    use super::*;

    /// `world` plus 10 ether of Alice's shares held by the queue (her requests).
    fn with_requests(pool: &Contract<StakingPool>, queue: &Contract<QueueMock>, alice: Address) {
        pool.sender(alice).transfer_shares(queue.address(), ether(10)).motsu_unwrap();
    }

    #[motsu::test]
    fn a_batch_is_finalized_its_ether_sent_and_its_shares_burned() {
        let w = World::new();
        with_requests(&w.pool, &w.queue, w.alice);
        let (pre_shares, pre_ether) = (
            w.pool.sender(w.alice).total_shares(),
            w.pool.sender(w.alice).total_supply().motsu_unwrap(),
        );
        w.queue.sender(w.admin).set_answer(ether(10), ether(10), U256::from(NOW - DAY));
        let r = OracleReport { simulated_share_rate: RATE_PRECISION, ..report(U256::from(THREE)) };
        w.pool
            .sender(w.oracle)
            .handle_oracle_report(&r, &[U256::from(3), U256::from(7)])
            .motsu_unwrap();
        assert_eq!(w.queue.sender(w.admin).finalized(), (U256::from(7), RATE_PRECISION, ether(10)));
        assert_eq!(w.queue.balance(), ether(10));
        let p = w.pool.sender(w.alice);
        assert_eq!(p.shares_of(w.queue.address()), U256::ZERO);
        assert_eq!(p.total_shares(), pre_shares - ether(10));
        assert_eq!(p.total_supply().motsu_unwrap(), pre_ether - ether(10));
        assert_eq!(p.get_buffered_ether(), ether(90) + BOOTSTRAP);
        assert_eq!(w.pool.balance(), ether(90) + BOOTSTRAP);
        assert_eq!(p.share_rate().motsu_unwrap(), RATE_PRECISION);
        w.pool.assert_emitted(&TransferShares {
            from: w.queue.address(),
            to: Address::ZERO,
            sharesValue: ether(10),
        });
        w.pool.assert_emitted(&Transfer {
            from: w.queue.address(),
            to: Address::ZERO,
            value: ether(10),
        });
    }

    #[motsu::test]
    fn nominal_payouts_burn_only_up_to_the_rebase_limit_and_the_pool_keeps_the_rest() {
        let w = World::new();
        with_requests(&w.pool, &w.queue, w.alice);
        let p = || w.pool.sender(w.alice);
        let (pre_shares, pre_ether) = (p().total_shares(), p().total_supply().motsu_unwrap());
        // 10 ether of shares paid 5 ether (requests made at half today's rate): burning them
        // all would lift the rate by 2.7%, far above the 0.075% limit.
        let (lock, queued) = (ether(5), ether(10));
        w.queue.sender(w.admin).set_answer(lock, queued, U256::from(NOW - DAY));
        let tight = Limits { max_positive_rebase: 750_000, ..limits() };
        let r = OracleReport {
            simulated_share_rate: RATE_PRECISION,
            limits: tight.pack(),
            ..report(U256::from(THREE))
        };
        w.pool.sender(w.oracle).handle_oracle_report(&r, &[U256::from(2)]).motsu_unwrap();
        let post_ether = pre_ether - lock;
        let burned = sanity::finalization_burn(
            750_000, pre_ether, pre_shares, post_ether, pre_shares, queued,
        );
        assert!(!burned.is_zero() && burned < queued);
        let deferred = queued - burned;
        // The queue got its ether and holds nothing; the pool holds the rest to burn later.
        assert_eq!(w.queue.sender(w.admin).finalized(), (U256::from(2), RATE_PRECISION, lock));
        assert_eq!(p().shares_of(w.queue.address()), U256::ZERO);
        assert_eq!(p().shares_of(w.pool.address()), deferred);
        assert_eq!(p().total_shares(), pre_shares - burned);
        assert_eq!(p().total_supply().motsu_unwrap(), post_ether);
        // The whole report is within the limit, and at its edge.
        assert_eq!(
            sanity::check_positive_rebase(
                750_000,
                pre_ether,
                pre_shares,
                post_ether,
                pre_shares - burned
            ),
            Ok(())
        );
        assert!(sanity::check_positive_rebase(
            750_000,
            pre_ether,
            pre_shares,
            post_ether,
            pre_shares - burned - U256::from(1)
        )
        .is_err());
        w.pool.assert_emitted(&TransferShares {
            from: w.queue.address(),
            to: Address::ZERO,
            sharesValue: burned,
        });
        w.pool.assert_emitted(&TransferShares {
            from: w.queue.address(),
            to: w.pool.address(),
            sharesValue: deferred,
        });
        // Later reports burn the rest as `sharesToBurn`, under the same limit: all of it at
        // once is refused, a part within the limit goes through.
        let (e, s) = (p().total_supply().motsu_unwrap(), p().total_shares());
        let later = OracleReport { shares_to_burn: deferred, ..report(U256::from(THREE)) };
        let later = OracleReport { limits: tight.pack(), ..later };
        assert!(matches!(
            refused(&w.pool, w.oracle, &later, &[], &[w.pool.address()]),
            Error::IncorrectPositiveRebase(_)
        ));
        let part = sanity::finalization_burn(750_000, e, s, e, s, deferred);
        assert!(!part.is_zero() && part < deferred);
        let later = OracleReport { shares_to_burn: part, ..later };
        w.pool.sender(w.oracle).handle_oracle_report(&later, &[]).motsu_unwrap();
        assert_eq!(p().shares_of(w.pool.address()), deferred - part);
        assert_eq!(p().total_shares(), s - part);
    }

    #[motsu::test]
    fn a_request_younger_than_the_margin_is_refused() {
        let w = World::new();
        with_requests(&w.pool, &w.queue, w.alice);
        let r = OracleReport {
            simulated_share_rate: RATE_PRECISION,
            limits: Limits { request_margin: 7_680, ..limits() }.pack(),
            ..report(U256::from(THREE))
        };
        let requested_at = NOW - 60 - 7_679;
        w.queue.sender(w.admin).set_answer(ether(10), ether(10), U256::from(requested_at));
        assert_eq!(
            refused(&w.pool, w.oracle, &r, &[U256::from(1)], &[w.alice, w.queue.address()]),
            Error::IncorrectRequestFinalization(IncorrectRequestFinalization {
                requestTimestamp: U256::from(requested_at),
                margin: U256::from(7_680),
                reportTimestamp: U256::from(NOW - 60),
            })
        );
        assert_eq!(w.queue.sender(w.admin).finalized(), (U256::ZERO, U256::ZERO, U256::ZERO));
        w.queue.sender(w.admin).set_answer(ether(10), ether(10), U256::from(requested_at - 1));
        w.pool.sender(w.oracle).handle_oracle_report(&r, &[U256::from(1)]).motsu_unwrap();
    }

    #[motsu::test]
    fn a_simulated_rate_off_the_actual_one_is_refused() {
        let w = World::new();
        with_requests(&w.pool, &w.queue, w.alice);
        w.queue.sender(w.admin).set_answer(ether(10), ether(10), U256::from(NOW - DAY));
        let simulated = RATE_PRECISION * U256::from(1_006) / U256::from(1_000);
        let r = OracleReport {
            simulated_share_rate: simulated,
            limits: Limits { share_rate_deviation_bp: 50, ..limits() }.pack(),
            ..report(U256::from(THREE))
        };
        assert_eq!(
            refused(&w.pool, w.oracle, &r, &[U256::from(1)], &[w.alice, w.queue.address()]),
            Error::IncorrectSimulatedShareRate(IncorrectSimulatedShareRate {
                limitBP: U256::from(50),
                simulated,
                actual: RATE_PRECISION,
            })
        );
    }

    #[motsu::test]
    fn locking_more_than_the_buffer_is_refused() {
        let w = World::new();
        with_requests(&w.pool, &w.queue, w.alice);
        let buffered = ether(100) + BOOTSTRAP;
        w.queue.sender(w.admin).set_answer(
            buffered + U256::from(1),
            ether(10),
            U256::from(NOW - DAY),
        );
        let r = OracleReport { simulated_share_rate: RATE_PRECISION, ..report(U256::from(THREE)) };
        assert_eq!(
            refused(&w.pool, w.oracle, &r, &[U256::from(1)], &[w.alice, w.queue.address()]),
            Error::NotEnoughBufferedEther(NotEnoughBufferedEther {
                needed: buffered + U256::from(1),
                available: buffered,
            })
        );
    }

    #[motsu::test]
    fn batches_or_a_bunker_switch_need_a_queue(
        pool: Contract<StakingPool>,
        manager: Contract<AccessManagerMock>,
        registry: Contract<RegistryMock>,
        admin: Address,
        oracle: Address,
        treasury: Address,
        alice: Address,
    ) {
        setup_admin(&pool, &manager, admin);
        pool.sender(admin).set_protocol_contracts(Address::ZERO, registry.address()).motsu_unwrap();
        pool.sender(admin).set_oracle(oracle).motsu_unwrap();
        pool.sender(admin)
            .set_fee_config(treasury, U256::from(1_000), U256::from(500))
            .motsu_unwrap();
        deposit(&pool, alice, ether(100));
        seed_validators(&pool, alice, 3);
        let r = OracleReport { simulated_share_rate: RATE_PRECISION, ..report(U256::from(THREE)) };
        assert_eq!(
            refused(&pool, oracle, &r, &[U256::from(1)], &[alice]),
            Error::ProtocolContractsNotSet(ProtocolContractsNotSet {})
        );
        let loss = OracleReport { ..report(U256::from(THREE) - U256::from(1)) };
        assert_eq!(
            refused(&pool, oracle, &loss, &[], &[alice]),
            Error::ProtocolContractsNotSet(ProtocolContractsNotSet {})
        );
        // Without batches or a bunker switch, no queue is needed.
        pool.sender(oracle).handle_oracle_report(&r, &[]).motsu_unwrap();
    }
}

/// The report round and timestamp of slot 20 (`getLastReport`, the wrapped token's rate feed:
/// `crate::wrapping`): every applied report counts, refused ones do not.
mod last_report {
    use super::*;

    #[motsu::test]
    fn every_applied_report_counts_a_round_and_records_its_timestamp(token: Address) {
        let w = World::new();
        let p = || w.pool.sender(w.admin);
        assert_eq!(p().get_last_report(), (U256::ZERO, U256::ZERO));
        w.pool
            .sender(w.oracle)
            .handle_oracle_report(&report(U256::from(THREE)), &[])
            .motsu_unwrap();
        assert_eq!(p().get_last_report(), (U256::from(1), U256::from(NOW - 60)));
        // The token shares the word: setting it keeps the round, a report keeps the token.
        p().set_wrapped_token(token).motsu_unwrap();
        assert_eq!(p().get_last_report(), (U256::from(1), U256::from(NOW - 60)));
        let later =
            OracleReport { report_timestamp: U256::from(NOW - 1), ..report(U256::from(THREE)) };
        w.pool.sender(w.oracle).handle_oracle_report(&later, &[]).motsu_unwrap();
        assert_eq!(p().get_last_report(), (U256::from(2), U256::from(NOW - 1)));
        assert_eq!(p().wrapped_token(), token);
    }

    #[motsu::test]
    fn a_refused_report_counts_no_round() {
        let w = World::new();
        w.pool
            .sender(w.oracle)
            .handle_oracle_report(&report(U256::from(THREE)), &[])
            .motsu_unwrap();
        let future =
            OracleReport { report_timestamp: U256::from(NOW), ..report(U256::from(THREE)) };
        refused(&w.pool, w.oracle, &future, &[], &[w.alice]);
        assert_eq!(w.pool.sender(w.admin).get_last_report(), (U256::from(1), U256::from(NOW - 60)));
    }

    #[test]
    fn the_round_wraps_without_touching_the_token() {
        use crate::storage::Wrapped;
        let token = Address::repeat_byte(0xff);
        let word = Wrapped { token, report_round: u32::MAX, report_timestamp: u64::MAX }.pack();
        let next = Wrapped::unpack(Wrapped::next_report(word, 7));
        assert_eq!(next, Wrapped { token, report_round: 0, report_timestamp: 7 });
        let next = Wrapped::unpack(Wrapped::next_report(next.pack(), 9));
        assert_eq!(next, Wrapped { token, report_round: 1, report_timestamp: 9 });
    }
}
