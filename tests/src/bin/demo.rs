//! `scripts/demo`: deploys the suite's release wasm on the in-process Arbitrum chain (through
//! the real StylusDeployer) with its roles
//! and walks through a scenario, printing balances, the share rate and the gas of every step;
//! last, the L1 leg across both worlds (`protocol_tests::two_worlds`): a batch through the
//! Outbox, the guarded deposit on L1, rewards and a withdrawal bridged back, with the days
//! passing and both layers' balances.

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolError};
use protocol_tests::{
    abi::{
        IAccessManager, INodeOperatorRegistry as R, IStakingPool, IStakingPool as X,
        IWithdrawalQueue,
    },
    deploy::{events_from, revert_data, PoolReport, REPORTER},
    ether,
    oracle::{Oracle, Report, FRAME_SECONDS, GWEI},
    two_worlds::TwoWorlds,
    validators::{reward_address, Validators},
    Suite, ADMIN, ALICE, BOB, CAROL, DAVE,
};
use staking_common::roles::PAUSE_ROLE;
use stylus_vm::Receipt;

const PAUSER: Address = Address::repeat_byte(0x50);

fn fmt_eth(wei: U256) -> String {
    let unit = U256::from(1_000_000_000_000_000_000u128);
    let whole = wei / unit;
    let frac = (wei % unit) / U256::from(1_000_000_000_000u64); // 6 decimals
    format!("{whole}.{frac:0>6}")
}

/// Sends a transaction and prints its line.
trait Act {
    fn suite(&mut self) -> &mut Suite;

    fn act<C: SolCall>(
        &mut self,
        title: &str,
        from: Address,
        to: Address,
        value: U256,
        call: &C,
    ) -> Receipt {
        let r = self.suite().send(from, to, value, call);
        step(title, &r);
        r
    }
}

impl Act for Suite {
    fn suite(&mut self) -> &mut Suite {
        self
    }
}

fn step(title: &str, r: &Receipt) {
    let outcome = if r.success { "ok".to_owned() } else { describe_revert(&r.output) };
    println!("  {title:<52} {:>8} gas  {outcome}", r.gas_used);
}

fn describe_revert(data: &[u8]) -> String {
    use staking_pool_errors::{AccessDenied, StakeLimitExceeded, TokenIsPaused};
    if let Ok(e) = StakeLimitExceeded::abi_decode(data, true) {
        return format!(
            "reverted: StakeLimitExceeded(requested {}, remaining {})",
            fmt_eth(e.requested),
            fmt_eth(e.remaining)
        );
    }
    if TokenIsPaused::abi_decode(data, true).is_ok() {
        return "reverted: TokenIsPaused()".to_owned();
    }
    if let Ok(e) = AccessDenied::abi_decode(data, true) {
        return format!("reverted: AccessDenied(caller {}, role {})", e.caller, e.role);
    }
    if let Ok(e) = staking_pool_errors::RequestTooRecent::abi_decode(data, true) {
        return format!("reverted: RequestTooRecent(finalizable at {})", e.finalizableAt);
    }
    if let Ok(e) = X::IncorrectRequestFinalization::abi_decode(data, true) {
        return format!(
            "reverted: IncorrectRequestFinalization(requested at {}, margin {} s, report at {})",
            e.requestTimestamp, e.margin, e.reportTimestamp
        );
    }
    if let Ok(e) = staking_pool_errors::NotPool::abi_decode(data, true) {
        return format!("reverted: NotPool(caller {})", e.caller);
    }
    if let Ok(e) = staking_pool_errors::NotOwnerOrApproved::abi_decode(data, true) {
        return format!("reverted: NotOwnerOrApproved(request {})", e.requestId);
    }
    format!("reverted: 0x{}", alloy_primitives::hex::encode(data))
}

/// The errors the demo decodes (same signatures as the contracts' `errors.rs`).
mod staking_pool_errors {
    alloy_sol_types::sol! {
        error StakeLimitExceeded(uint256 requested, uint256 remaining);
        error TokenIsPaused();
        error AccessDenied(address caller, bytes32 role, bytes reason);
        error RequestTooRecent(uint256 requestId, uint256 finalizableAt);
        error NotOwnerOrApproved(uint256 requestId, address caller);
        error NotPool(address caller);
    }
}

fn report(s: &mut Suite) {
    let rate = s.view(s.pool, &IStakingPool::shareRateCall {})._0;
    let supply = s.view(s.pool, &IStakingPool::totalSupplyCall {})._0;
    let limit = s.view(s.pool, &IStakingPool::getCurrentStakeLimitCall {})._0;
    println!(
        "  -> total pooled {} ETH, share rate {} (1e27 = 1:1), stake limit left {} ETH",
        fmt_eth(supply),
        rate,
        fmt_eth(limit)
    );
    for (name, who) in [("alice", ALICE), ("bob", BOB), ("carol", CAROL), ("dave", DAVE)] {
        let bal = s.balance_of(who);
        let shares = s.shares_of(who);
        if !shares.is_zero() {
            println!("     {name:<6} {:>14} sETH  {:>26} shares", fmt_eth(bal), shares);
        }
    }
}

fn main() {
    println!(
        "Deploying AccessManager, StakingPool and WithdrawalQueue (core + extension), release"
    );
    println!("wasm, on the in-process Arbitrum chain, each in one transaction through Arbitrum's");
    println!(
        "StylusDeployer (CREATE2, ArbWasm.activateProgram with its data fee, the constructor);"
    );
    println!("stake limit 100 ETH, regrowing 5 ETH per block; programs cached.");
    let mut s = Suite::deploy_with_limit(ether(100), ether(5));
    let fees = s.vm.balance(stylus_vm::arbwasm::NETWORK_FEE_ACCOUNT);
    println!("  activation data fees paid to the network: {} ETH\n", fmt_eth(fees));

    println!("1. Deposits");
    let r = s.deposit(ALICE, ether(32));
    step("alice deposits 32 ETH (first time)", &r);
    let r = s.deposit(BOB, ether(10));
    step("bob deposits 10 ETH (first time)", &r);
    let r = s.deposit(ALICE, ether(8));
    step("alice deposits 8 ETH more", &r);
    report(&mut s);

    println!("\n2. Transfers");
    s.act(
        "alice sends carol 5 sETH (new holder)",
        ALICE,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferCall { to: CAROL, amount: ether(5) },
    );
    s.act(
        "bob sends carol 1 sETH (existing holder)",
        BOB,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferCall { to: CAROL, amount: ether(1) },
    );
    s.act(
        "carol approves dave for 2 sETH",
        CAROL,
        s.pool,
        U256::ZERO,
        &IStakingPool::approveCall { spender: DAVE, amount: ether(2) },
    );
    s.act(
        "dave pulls 2 sETH from carol",
        DAVE,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferFromCall { from: CAROL, to: DAVE, amount: ether(2) },
    );
    report(&mut s);

    println!("\n3. The stake limit");
    s.act(
        "dave tries to deposit 60 ETH",
        DAVE,
        s.pool,
        ether(60),
        &IStakingPool::depositCall { referral: Address::ZERO },
    );
    s.act(
        "dave deposits 50 ETH (uses the rest of the limit)",
        DAVE,
        s.pool,
        ether(50),
        &IStakingPool::depositCall { referral: Address::ZERO },
    );
    s.vm.advance_blocks(4);
    println!("  ... 4 blocks pass (the limit regrows 5 ETH per block)");
    s.act(
        "dave deposits 20 ETH",
        DAVE,
        s.pool,
        ether(20),
        &IStakingPool::depositCall { referral: Address::ZERO },
    );
    report(&mut s);

    println!("\n4. Pause and resume (separate roles)");
    s.act(
        "governance grants PAUSE_ROLE to a guardian",
        ADMIN,
        s.manager,
        U256::ZERO,
        &IAccessManager::grantRoleCall { role: PAUSE_ROLE, account: PAUSER },
    );
    s.act(
        "the guardian pauses the token",
        PAUSER,
        s.pool,
        U256::ZERO,
        &IStakingPool::pauseTokenCall {},
    );
    s.act(
        "alice tries to transfer while paused",
        ALICE,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferCall { to: BOB, amount: ether(1) },
    );
    s.act(
        "the guardian tries to resume (needs RESUME_ROLE)",
        PAUSER,
        s.pool,
        U256::ZERO,
        &IStakingPool::resumeTokenCall {},
    );
    s.act("governance resumes", ADMIN, s.pool, U256::ZERO, &IStakingPool::resumeTokenCall {});
    s.act(
        "alice transfers 1 sETH to bob",
        ALICE,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferCall { to: BOB, amount: ether(1) },
    );
    report(&mut s);

    withdrawals(&mut s);
    let v = validators(&mut s);
    oracle_week(&mut s, &v);
    l1_leg();
    bank_run();
}

/// Issue 18's bank run across both worlds, printed as a timeline
/// (`protocol_tests::bank_run`).
fn bank_run() {
    println!("\nA bank run: half the pooled ether requested in one day (both worlds)");
    println!("  3 operators x 20 validators; operators 1 and 2 exit within a day of a request,");
    println!("  operator 3 never does; a validator is slashed on day 3.");
    let tl = protocol_tests::bank_run::run(true);
    println!(
        "  {} requests claimed {:.2} days after they were made: {} validators asked to exit, {} \
         forced through L1, {} reports",
        tl.requests, tl.days_to_last_claim, tl.asked, tl.forced, tl.reports
    );
}

fn queue_report(s: &mut Suite) {
    let locked = s.view(s.queue, &IWithdrawalQueue::getLockedEtherAmountCall {})._0;
    let pending = s.view(s.queue, &IWithdrawalQueue::unfinalizedStETHCall {})._0;
    let last = s.view(s.queue, &IWithdrawalQueue::getLastRequestIdCall {})._0;
    let finalized = s.view(s.queue, &IWithdrawalQueue::getLastFinalizedRequestIdCall {})._0;
    println!(
        "  -> queue: requests 1..={last}, finalized through {finalized}, unfinalized {} sETH, \
         locked {} ETH, queue balance {} ETH",
        fmt_eth(pending),
        fmt_eth(locked),
        fmt_eth(s.vm.balance(s.queue))
    );
}

fn withdrawals(s: &mut Suite) {
    println!("\n5. Withdrawals (FIFO queue, one ERC-721 per request)");
    s.act(
        "alice allows the queue 10 sETH",
        ALICE,
        s.pool,
        U256::ZERO,
        &IStakingPool::approveCall { spender: s.queue, amount: ether(10) },
    );
    let (ids, r) = s.ok(
        ALICE,
        s.queue,
        U256::ZERO,
        &IWithdrawalQueue::requestWithdrawalsCall {
            amounts: vec![ether(4), ether(1)],
            owner: Address::ZERO,
        },
    );
    step("alice requests 4 + 1 ETH (two NFTs)", &r);
    let ids = ids.requestIds;
    s.act(
        "alice gives bob the NFT of the 1 ETH request",
        ALICE,
        s.queue,
        U256::ZERO,
        &IWithdrawalQueue::transferFromCall { from: ALICE, to: BOB, tokenId: ids[1] },
    );
    let rate = s.view(s.pool, &IStakingPool::shareRateCall {})._0;
    s.act(
        "governance tries to finalize directly",
        ADMIN,
        s.queue,
        ether(5),
        &IWithdrawalQueue::finalizeCall { lastIdToFinalize: ids[1], maxShareRate: rate },
    );
    println!(
        "  (finalization only comes with an oracle report: the pool finalizes at the report's\n   \
         rate and burns the shares; until the committee is set up (7. below), an account\n   \
         stands in for the oracle)"
    );
    s.set_reporter();
    // The pool as it stands (no validator yet), finalizing both requests at its rate, under
    // Lido's mainnet sanity limits.
    let finalizing = |s: &mut Suite| PoolReport {
        report_timestamp: U256::from(s.vm.timestamp() - 1),
        simulated_share_rate: rate,
        limits: alloy_primitives::B256::from(staking_math::sanity::Limits::LIDO.pack()),
        batches: vec![ids[1]],
        ..PoolReport::default()
    };
    s.vm.advance_time(1);
    let early = finalizing(s).call();
    s.act("a report finalizing right away (too recent)", REPORTER, s.pool, U256::ZERO, &early);
    s.wait_for_finalization();
    s.vm.advance_time(1);
    println!("  ... the minimum finalization delay passes");
    let owed = s
        .view(
            s.queue,
            &IWithdrawalQueue::prefinalizeCall { batches: vec![ids[1]], maxShareRate: rate },
        )
        .ethToLock;
    println!("  prefinalize: {} ETH to lock", fmt_eth(owed));
    let queue_shares = s.shares_of(s.queue);
    let finalize = finalizing(s).call();
    let r = s.act(
        "the report locks the ETH for both requests",
        REPORTER,
        s.pool,
        U256::ZERO,
        &finalize,
    );
    assert!(r.success, "the finalizing report");
    println!(
        "     the pool sent {} ETH and burned the queue's {} shares in the same transaction",
        fmt_eth(owed),
        queue_shares - s.shares_of(s.queue)
    );
    queue_report(s);
    let before = s.vm.balance(ALICE);
    s.act(
        "alice claims her request",
        ALICE,
        s.queue,
        U256::ZERO,
        &IWithdrawalQueue::claimWithdrawalCall { requestId: ids[0] },
    );
    println!("     alice received {} ETH", fmt_eth(s.vm.balance(ALICE) - before));
    s.act(
        "alice tries to claim bob's request",
        ALICE,
        s.queue,
        U256::ZERO,
        &IWithdrawalQueue::claimWithdrawalCall { requestId: ids[1] },
    );
    let hints = s
        .view(
            s.queue,
            &IWithdrawalQueue::findCheckpointHintsCall {
                requestIds: vec![ids[1]],
                firstIndex: U256::from(1),
                lastIndex: U256::from(1),
            },
        )
        .hintIds;
    let before = s.vm.balance(BOB);
    s.act(
        "bob claims it with a checkpoint hint",
        BOB,
        s.queue,
        U256::ZERO,
        &IWithdrawalQueue::claimWithdrawalsCall { requestIds: vec![ids[1]], hints },
    );
    println!("     bob received {} ETH", fmt_eth(s.vm.balance(BOB) - before));
    queue_report(s);
    report(s);
}

/// Operators onboard (commit and get vetted keys), the buffer goes to the L1 vault in batches
/// of 32 ether a key (one `ArbSys.sendTxToL1` each), min-first across operators.
fn validators(s: &mut Suite) -> Validators {
    println!("\n6. Node operators and validator batches to the L1 vault (6 guardians can pause)");
    let mut v = Validators::setup(s, 6);
    for (name, keys) in [("Alpha Staking", 8u32), ("Beta Nodes", 4), ("Gamma Validators", 6)] {
        let id = v.add_operator(s, name);
        let r = v.commit(s, id, keys);
        step(&format!("{name} commits {keys} keys (one Merkle root)"), &r);
        let r = v.vet(s, id, keys);
        step(&format!("governance vets {name}'s {keys} keys"), &r);
    }
    // Enough buffered ether for 11 validators, within the stake limit (100 ETH, regrowing
    // 5 ETH a block).
    for _ in 0..3 {
        s.vm.advance_blocks(20);
        let r = s.deposit(CAROL, ether(100));
        step("carol deposits 100 ETH", &r);
    }
    let buffered = s.view(s.pool, &IStakingPool::getBufferedEtherCall {})._0;
    println!("  buffered before: {} ETH", fmt_eth(buffered));
    for count in [1usize, 10] {
        let r = v.deposit(s, count);
        step(&format!("depositor bot sends a batch of {count} key(s) to the L1 vault"), &r);
    }
    let buffered = s.view(s.pool, &IStakingPool::getBufferedEtherCall {})._0;
    let sent: U256 = (s.view(s.pool, &IStakingPool::getBeaconStatCall {})._0) * ether(32);
    println!(
        "  buffered after: {} ETH; {} ETH sent to the L1 vault (in the Outbox's challenge period)",
        fmt_eth(buffered),
        fmt_eth(sent)
    );
    for id in 1..=3u16 {
        let (_, _, deposited, _, vetted, _, _, _) = v.operator(s, id);
        let name = s.view(v.registry, &R::getOperatorNameCall { operatorId: U256::from(id) })._0;
        println!("     {name:<18} {deposited} of {vetted} vetted keys deposited");
    }
    report(s);
    v
}

/// Where the protocol's part of the fee goes.
const TREASURY: Address = Address::repeat_byte(0x7e);
/// Validators' consensus-layer growth: 4% a year, accrued per day.
const CL_APR_PERCENT: u64 = 4;
/// Each validator's loss in the slashing frame, gwei (0.5 ether).
const SLASH_GWEI: u64 = GWEI / 2;

/// What the table shows of the protocol at one moment.
struct Snapshot {
    rate: U256,
    pooled: U256,
    treasury: U256,
    /// The registry's shares: the operators' part of the fee, until claimed.
    registry: U256,
    /// Each operator's unclaimed rewards, shares (`getRewards`).
    operators: Vec<U256>,
    unfinalized: U256,
    unfinalized_eth: U256,
    locked: U256,
    bunker: bool,
}

/// The oracle step: the committee, the registry's operators and the consensus layer's balance
/// the committee reports.
struct Week {
    o: Oracle,
    registry: Address,
    operators: Vec<u16>,
    cl_gwei: u64,
    day: u64,
}

impl Week {
    fn snapshot(&self, s: &mut Suite) -> Snapshot {
        let (queue, pool, registry) = (s.queue, s.pool, self.registry);
        let bunker = s.view(queue, &IWithdrawalQueue::isBunkerModeActiveCall {})._0;
        assert_eq!(bunker, s.view(pool, &X::isBunkerModeCall {})._0, "pool and queue agree");
        Snapshot {
            rate: s.share_rate(),
            pooled: s.view(pool, &IStakingPool::getTotalPooledEtherCall {})._0,
            treasury: s.shares_of(TREASURY),
            registry: s.shares_of(registry),
            operators: self
                .operators
                .iter()
                .map(|&id| s.view(registry, &R::getRewardsCall { operatorId: U256::from(id) })._0)
                .collect(),
            unfinalized: s.view(queue, &IWithdrawalQueue::unfinalizedRequestNumberCall {})._0,
            unfinalized_eth: s.view(queue, &IWithdrawalQueue::unfinalizedStETHCall {})._0,
            locked: s.view(queue, &IWithdrawalQueue::getLockedEtherAmountCall {})._0,
            bunker,
        }
    }

    /// This frame's report: the pool's validators at `self.cl_gwei`.
    fn report(&self, s: &mut Suite, batches: Vec<U256>, rate: U256, bunker: bool) -> Report {
        let (deposited, _, _) = Report::beacon(s);
        Report {
            validators: deposited,
            cl_balance_gwei: self.cl_gwei,
            batches,
            rate,
            bunker,
            ..Report::default()
        }
    }

    /// The quorum agrees on `report` and a member submits it, which must succeed; prints the
    /// frame's row.
    fn process(&mut self, s: &mut Suite, report: &Report) -> Frame {
        let pre = self.snapshot(s);
        let data = report.data(self.o.ref_slot(s));
        let r = self.o.process(s, &data);
        assert!(r.success, "day {}: 0x{}", self.day, alloy_primitives::hex::encode(&r.output));
        let rebased = events_from::<X::TokenRebased>(&r, s.pool);
        assert_eq!(rebased.len(), 1, "day {}: one rebase", self.day);
        // The first report also covers frame 0, the one the oracle was set up in.
        let frames = if self.day == 1 { 2 } else { 1 };
        let elapsed = rebased[0].timeElapsed;
        assert_eq!(elapsed, U256::from(frames * FRAME_SECONDS), "day {}", self.day);
        let post = self.snapshot(s);
        let apr_bp = apr_bp(pre.rate, post.rate, elapsed);
        let eth = |s: &mut Suite, shares: U256| {
            fmt_eth(
                s.view(s.pool, &IStakingPool::getPooledEthBySharesCall { sharesAmount: shares })._0,
            )
        };
        let treasury = eth(s, post.treasury);
        let operators: Vec<String> = post.operators.iter().map(|&x| eth(s, x)).collect();
        println!(
            "  {:>3} {:>9} {:>29} {:>2} {:>10} {:>10} {:>9} {:>9} {:>9} {:>9} {:>3} {:>9}",
            self.day,
            format!(
                "{}{}.{:02}%",
                if apr_bp < 0 { "-" } else { "+" },
                apr_bp.abs() / 100,
                apr_bp.abs() % 100
            ),
            post.rate,
            post.unfinalized,
            fmt_eth(post.unfinalized_eth),
            fmt_eth(post.locked),
            treasury,
            operators[0],
            operators[1],
            operators[2],
            if post.bunker { "on" } else { "off" },
            r.gas_used,
        );
        Frame { day: self.day, cl_gwei: self.cl_gwei, pre, post, apr_bp }
    }

    /// Moves to the next frame, the validators earning a day's rewards.
    fn next_day(&mut self, s: &mut Suite) {
        Oracle::advance_frames(s, 1);
        self.day += 1;
        self.grow(1);
    }

    fn grow(&mut self, days: u64) {
        self.cl_gwei += self.cl_gwei * CL_APR_PERCENT * days / 100 / 365;
    }
}

/// One processed report: the day, the CL balance it reported, the protocol before and after
/// and the holders' APR it implies.
struct Frame {
    day: u64,
    cl_gwei: u64,
    pre: Snapshot,
    post: Snapshot,
    apr_bp: i64,
}

/// The annualised change from share rate `pre` to `post` over `elapsed` seconds, basis points.
fn apr_bp(pre: U256, post: U256, elapsed: U256) -> i64 {
    let year = U256::from(365 * 86_400u64);
    let (negative, diff) = if post >= pre { (false, post - pre) } else { (true, pre - post) };
    let bp = i64::try_from(diff * year * U256::from(10_000) / (pre * elapsed)).expect("fits");
    if negative {
        -bp
    } else {
        bp
    }
}

/// A reward frame: the share rate rises, holders earning about 90% (the fee is 10%) of the
/// validators' 4% a year on the staked part of the pool (what remains pooled after the report:
/// requests it finalizes leave at the rate they were finalized at, earning nothing today); the
/// fee goes half to the treasury, half to the registry, and every operator's rewards grow; no
/// bunker mode.
fn assert_rewards(f: &Frame) {
    let (day, pre, post) = (f.day, &f.pre, &f.post);
    assert!(post.rate > pre.rate, "day {day}: the share rate rises");
    let staked = U256::from(f.cl_gwei) * U256::from(GWEI);
    let expected = i64::try_from(U256::from(360) * staked / post.pooled).expect("fits");
    assert!((f.apr_bp - expected).abs() <= 5, "day {day}: APR {} BP, not ~{expected}", f.apr_bp);
    let (treasury, registry) = (post.treasury - pre.treasury, post.registry - pre.registry);
    assert!(treasury > U256::ZERO, "day {day}: the treasury is paid");
    assert!(registry <= treasury && treasury - registry <= U256::from(1), "day {day}: fee split");
    for (i, (a, b)) in pre.operators.iter().zip(&post.operators).enumerate() {
        assert!(b > a, "day {day}: operator {} is paid", i + 1);
    }
    assert!(!post.bunker, "day {day}: no bunker mode");
}

/// The whole oracle lifecycle over a week of daily frames: reward reports paying the fee to
/// the treasury and the operators, withdrawals finalized by a report and claimed, a slashing
/// that turns bunker mode on and a recovery report that turns it off and pays the queue at the
/// lower rate.
fn oracle_week(s: &mut Suite, v: &Validators) {
    println!("\n7. A week of oracle reports (committee of 9, quorum 5; one frame a day)");
    let committee = Oracle::setup(s, 9, 5);
    committee.connect(s, v.registry);
    let fee = X::setFeeConfigCall {
        treasury: TREASURY,
        totalFeeBP: U256::from(1_000),
        operatorsFeeBP: U256::from(500),
    };
    let set_fee = s.act(
        "governance sets the fee: 10% of rewards, half to operators",
        ADMIN,
        s.pool,
        U256::ZERO,
        &fee,
    );
    assert!(set_fee.success, "setFeeConfig");
    let count = s.view(v.registry, &R::getOperatorsCountCall {})._0.to::<u16>();
    let operators: Vec<u16> = (1..=count).collect();
    let names: Vec<String> = operators
        .iter()
        .map(|&id| {
            let name =
                s.view(v.registry, &R::getOperatorNameCall { operatorId: U256::from(id) })._0;
            name.split_whitespace().next().unwrap_or_default().to_owned()
        })
        .collect();
    assert_eq!(names.len(), 3, "the table has three operator columns");
    let (deposited, _, _) = Report::beacon(s);
    println!(
        "  the {deposited} validators earn {CL_APR_PERCENT}% a year on the CL. APR: the share \
         rate's change, annualised;"
    );
    println!("  #q, unfin., locked: the queue's unfinalized requests and ether, its locked ether;");
    println!(
        "  treasury: its sETH; {}: each operator's unclaimed getRewards, in sETH\n",
        names.join(", ")
    );
    println!(
        "  {:>3} {:>9} {:>29} {:>2} {:>10} {:>10} {:>9} {:>9} {:>9} {:>9} {:>3} {:>9}",
        "day",
        "APR",
        "share rate (1e27)",
        "#q",
        "unfin. ETH",
        "locked ETH",
        "treasury",
        names[0],
        names[1],
        names[2],
        "bnk",
        "gas"
    );
    Oracle::advance_frames(s, 1);
    let mut w = Week {
        o: committee,
        registry: v.registry,
        operators,
        cl_gwei: deposited * 32 * GWEI,
        day: 1,
    };
    w.grow(2);

    // Day 1: the validators appear on the CL; the first rewards.
    let daily = w.report(s, vec![], U256::ZERO, false);
    assert_rewards(&w.process(s, &daily));
    let (dave_ids, _) = s.request_withdrawals(DAVE, &[ether(10), ether(5)]);
    println!("      dave requests 10 + 5 ETH (requests {} and {})", dave_ids[0], dave_ids[1]);

    // Day 2: the report finalizes dave's requests at the current share rate; he claims.
    w.next_day(s);
    let rate = s.share_rate();
    let daily = w.report(s, vec![dave_ids[1]], rate, false);
    let frame = w.process(s, &daily);
    assert_rewards(&frame);
    assert_eq!(frame.pre.unfinalized, U256::from(2));
    assert_eq!(frame.post.unfinalized, U256::ZERO, "dave's requests are finalized");
    // Each request is owed its amount (a share's rounding, at most a wei, below it).
    let short = ether(15) - frame.post.locked;
    assert!(short <= U256::from(2), "locked {}", frame.post.locked);
    let mut got = U256::ZERO;
    for &id in &dave_ids {
        let before = s.vm.balance(DAVE);
        let call = IWithdrawalQueue::claimWithdrawalCall { requestId: id };
        let r = s.send(DAVE, s.queue, U256::ZERO, &call);
        assert!(r.success, "dave claims request {id}");
        got += s.vm.balance(DAVE) - before;
    }
    assert_eq!(got, frame.post.locked, "the claims take what was locked");
    let locked = s.view(s.queue, &IWithdrawalQueue::getLockedEtherAmountCall {})._0;
    assert_eq!(locked, U256::ZERO);
    println!(
        "      finalized at today's rate; dave claims both: {} ETH (15 less {short} wei of \
         rounding)",
        fmt_eth(got)
    );

    // Day 3: rewards; carol asks for 20 ETH back.
    w.next_day(s);
    let daily = w.report(s, vec![], U256::ZERO, false);
    assert_rewards(&w.process(s, &daily));
    let (carol_ids, _) = s.request_withdrawals(CAROL, &[ether(20)]);
    let carol_id = carol_ids[0];
    println!("      carol requests 20 ETH (request {carol_id})");

    // Day 4: every validator is slashed 0.5 ETH: holders bear the loss, no fee, bunker mode.
    w.next_day(s);
    w.cl_gwei -= deposited * SLASH_GWEI;
    let daily = w.report(s, vec![], U256::ZERO, false);
    let Frame { pre, post, .. } = w.process(s, &daily);
    assert!(post.rate < pre.rate, "the slashing lowers the share rate");
    assert_eq!(post.treasury, pre.treasury, "no fee on a loss");
    assert_eq!(post.operators, pre.operators, "no operator rewards on a loss");
    assert!(post.bunker, "a CL loss turns bunker mode on");
    assert_eq!(post.unfinalized, U256::from(1), "carol's request waits");
    println!(
        "      each of the {deposited} validators loses {} ETH: no fee, bunker mode on; carol's \
         request waits",
        fmt_eth(U256::from(SLASH_GWEI) * U256::from(GWEI))
    );

    // Day 5: a report keeping bunker mode cannot pay carol at the slashed rate; the committee
    // re-votes with bunker mode off and the queue pays her at the lower rate.
    w.next_day(s);
    let lower = s.share_rate();
    let premature = w.report(s, vec![carol_id], lower, true);
    let data = premature.data(w.o.ref_slot(s));
    let refused = w.o.process(s, &data);
    let refusal: IWithdrawalQueue::BunkerModeRateAboveReport = revert_data(&refused);
    assert_eq!(refusal.requestId, carol_id);
    let status =
        s.view(s.queue, &IWithdrawalQueue::getWithdrawalStatusCall { requestIds: vec![carol_id] });
    let shares = status.statuses[0].amountOfShares;
    let recovery = w.report(s, vec![carol_id], lower, false);
    let frame = w.process(s, &recovery);
    assert_rewards(&frame);
    assert!(frame.pre.bunker && !frame.post.bunker, "the recovery report turns bunker mode off");
    assert_eq!(frame.post.unfinalized, U256::ZERO, "carol's request is finalized");
    let owed = shares * lower / U256::from(10).pow(U256::from(27));
    assert_eq!(frame.post.locked, owed, "locked at the lower rate");
    assert!(owed < ether(20));
    let before = s.vm.balance(CAROL);
    let call = IWithdrawalQueue::claimWithdrawalCall { requestId: carol_id };
    let r = s.send(CAROL, s.queue, U256::ZERO, &call);
    assert!(r.success, "carol claims");
    let paid = s.vm.balance(CAROL) - before;
    assert_eq!(paid, owed, "carol is paid at the lower rate");
    println!(
        "      first a report keeping bunker mode is refused: BunkerModeRateAboveReport(request \
         {carol_id})"
    );
    println!(
        "      with bunker mode off, carol's request is paid at the lower rate: she claims {} ETH \
         of the 20",
        fmt_eth(paid)
    );

    // Days 6 and 7: rewards again.
    for _ in 6..=7 {
        w.next_day(s);
        let daily = w.report(s, vec![], U256::ZERO, false);
        assert_rewards(&w.process(s, &daily));
    }

    // The operators claim what they earned.
    let mut claims = Vec::new();
    for (&id, name) in w.operators.iter().zip(&names) {
        let owed = s.view(w.registry, &R::getRewardsCall { operatorId: U256::from(id) })._0;
        let to = reward_address(id);
        let before = s.shares_of(to);
        let call = R::claimRewardsCall { operatorId: U256::from(id) };
        let (claimed, _) = s.ok(to, w.registry, U256::ZERO, &call);
        assert_eq!(claimed._0, owed, "{name} claims its rewards");
        assert_eq!(s.shares_of(to) - before, owed);
        let left = s.view(w.registry, &R::getRewardsCall { operatorId: U256::from(id) })._0;
        assert_eq!(left, U256::ZERO);
        let value =
            s.view(s.pool, &IStakingPool::getPooledEthBySharesCall { sharesAmount: owed })._0;
        claims.push(format!("{name} {}", fmt_eth(value)));
    }
    println!("  the operators claim their rewards (sETH): {}", claims.join(", "));
    report(s);
}

/// Days since `start` on the worlds' clock, for the demo's lines.
fn day(t: &mut TwoWorlds, start: u64) -> String {
    #[allow(clippy::cast_precision_loss)]
    let days = (t.now() - start) as f64 / 86_400.0;
    format!("[day {days:>5.2}]")
}

/// Both layers' balances of the protocol's accounts.
fn both_layers(t: &mut TwoWorlds) {
    let (balance, pending, free, bridged) = t.vault_state();
    let bridge = t.relay(|w| w.bridge_balance());
    let (validators, cl) = t.cl();
    let p = t.assert_identities();
    println!(
        "     L1: vault {} ETH (pending {}, free {}), bridgedToL2 {}; Bridge {} ETH; {validators} \
         validators, {} ETH on the CL",
        fmt_eth(balance),
        fmt_eth(pending),
        fmt_eth(free),
        fmt_eth(bridged),
        fmt_eth(bridge),
        fmt_eth(cl)
    );
    println!(
        "     L2: pool buffered {} ETH, L1 figure {} ETH, {} of {} validators reported, \
         received from alias(vault) {} ETH; total pooled {} ETH",
        fmt_eth(p.buffered),
        fmt_eth(p.cl_balance),
        p.cl_validators,
        p.deposited,
        fmt_eth(p.received),
        fmt_eth(p.total_pooled)
    );
}

/// The L1 leg on both worlds with Arbitrum One's delays: a batch through the Outbox, a
/// guarded deposit on L1, rewards bridged back and paid as a rebase, a withdrawal paid by
/// exits. Every step checks the bridge's ledger and the pool's identities.
fn l1_leg() {
    println!("\n8. The L1 leg across both worlds (the L1 vault in Solidity beside Arbitrum's real");
    println!("   Bridge, Inbox and Outbox; challenge period 45,818 L1 blocks; L1 -> L2 in 768 s;");
    println!("   the consensus layer is the harness's stand-in: nothing runs a beacon chain here)");
    let mut t = TwoWorlds::new();
    let start = t.now();
    let pool = t.s.pool;
    t.onboard(2, 10);
    let r = t.s.deposit(ALICE, ether(320));
    println!("  {} alice deposits 320 ETH on L2 ({} gas)", day(&mut t, start), r.gas_used);
    let batch = t.send_batch(10);
    println!(
        "  {} the depositor bot sends a batch of 10 keys: ArbSys message #{}, 320 ETH and \
         receiveBatch({}…, 10)  L2 gas {}",
        day(&mut t, start),
        batch.position,
        &batch.commitment.to_string()[..10],
        batch.receipt.gas_used
    );
    both_layers(&mut t);
    let (id, exec) = t.deliver(&batch);
    println!(
        "  {} challenge period over: a keeper executes the message on the Outbox -> vault batch \
         {id}  L1 gas {}",
        day(&mut t, start),
        exec.gas_used
    );
    let dep = t.deposit_batch(id, &batch);
    assert!(dep.success, "the guarded deposit");
    println!(
        "  {} guardians (2 of 3) sign the deposit contract's root; a keeper deposits the batch  \
         L1 gas {}",
        day(&mut t, start),
        dep.gas_used
    );
    println!(
        "     outbox execution + guarded deposit of 10 keys on L1: {} gas",
        exec.gas_used + dep.gas_used
    );
    both_layers(&mut t);
    let (f, r) = t.report();
    println!(
        "  {} the oracle reports {} validators, {} ETH on the CL, vault {}, bridged {}  L2 gas {}",
        day(&mut t, start),
        f.validators,
        fmt_eth(f.cl_balance),
        fmt_eth(f.vault_balance),
        fmt_eth(f.bridged),
        r.gas_used
    );
    t.advance_time(86_400);
    t.accrue(U256::from(2_000_000) * U256::from(GWEI));
    let skims = t.skim();
    t.el_rewards(U256::from(10_000_000) * U256::from(GWEI));
    println!(
        "  {} the CL sweeps {} ETH of rewards to the vault; builders pay it 0.010000 ETH",
        day(&mut t, start),
        fmt_eth(skims)
    );
    let (r, bridged) = t.bridge_to_l2();
    println!(
        "  {} a keeper bridges {} ETH to the pool by retryable (fee {} ETH)  L1 gas {}",
        day(&mut t, start),
        fmt_eth(bridged.amount),
        fmt_eth(bridged.fee),
        r.gas_used
    );
    let index = t.inbound_count() - 1;
    t.wait_l1_to_l2();
    let redeem = t.ticket(index).auto_redeem.expect("an auto-redeem");
    assert!(redeem.success, "the ticket's auto-redeem");
    println!(
        "  {} the ticket auto-redeems from alias(vault) into the pool's receive  L2 gas {}",
        day(&mut t, start),
        redeem.gas_used
    );
    both_layers(&mut t);
    let (_, r) = t.report();
    let e = &events_from::<X::TokenRebased>(&r, pool)[0];
    println!(
        "  {} the report pays {} ETH of rewards as a rebase; {} shares minted as fees",
        day(&mut t, start),
        fmt_eth(e.postTotalEther - e.preTotalEther),
        e.sharesMintedAsFees
    );
    both_layers(&mut t);

    let (ids, _) = t.s.request_withdrawals(ALICE, &[ether(32), ether(31)]);
    println!("  {} alice requests 32 + 31 ETH back on L2", day(&mut t, start));
    t.advance_time(86_400);
    t.accrue(U256::from(3_000_000) * U256::from(GWEI));
    let exited = t.exit(2);
    println!(
        "  {} two validators exit: {} ETH reach the vault",
        day(&mut t, start),
        fmt_eth(exited)
    );
    let (_, bridged) = t.bridge_to_l2();
    t.wait_l1_to_l2();
    println!("  {} bridged to the pool: {} ETH", day(&mut t, start), fmt_eth(bridged.amount));
    let figures = t.to_next_ref_slot();
    let rate = t.s.share_rate();
    let report = Report { batches: vec![ids[1]], rate, ..TwoWorlds::report_of(&figures) };
    let r = t.process(&report);
    assert!(r.success, "the finalizing report: 0x{}", alloy_primitives::hex::encode(&r.output));
    let locked = t.s.view(t.s.queue, &IWithdrawalQueue::getLockedEtherAmountCall {})._0;
    println!(
        "  {} the report sees the exits and finalizes both requests: {} ETH locked",
        day(&mut t, start),
        fmt_eth(locked)
    );
    let mut paid = U256::ZERO;
    for id in &ids {
        let before = t.l2_balance(ALICE);
        let call = IWithdrawalQueue::claimWithdrawalCall { requestId: *id };
        let queue = t.s.queue;
        assert!(t.s.send(ALICE, queue, U256::ZERO, &call).success, "alice claims");
        paid += t.l2_balance(ALICE) - before;
    }
    let withdraw = stylus_vm::arbos::arbsys::withdrawEthCall { destination: ALICE };
    let r = t.l2_send(ALICE, stylus_vm::precompiles::ARB_SYS, paid, &withdraw);
    assert!(r.success, "withdrawEth");
    println!(
        "  {} alice claims {} ETH and withdraws it to L1 (ArbSys.withdrawEth)",
        day(&mut t, start),
        fmt_eth(paid)
    );
    let position = t.sends() - 1;
    t.wait_challenge_period();
    let before = t.l1_balance(ALICE);
    let r = t.execute(position);
    assert!(r.success, "the Outbox pays alice");
    println!(
        "  {} the Outbox pays alice {} ETH on L1  L1 gas {}",
        day(&mut t, start),
        fmt_eth(t.l1_balance(ALICE) - before),
        r.gas_used
    );
    both_layers(&mut t);
    let ledger = t.assert_ledger();
    println!(
        "  the bridge's ledger balances: Bridge {} ETH = minted on L2 {} - burned {} + owed on L1 \
         {} + in flight to L2 {}",
        fmt_eth(ledger.bridge_balance),
        fmt_eth(ledger.l2_minted),
        fmt_eth(ledger.l2_burned),
        fmt_eth(ledger.owed_on_l1),
        fmt_eth(ledger.in_flight_to_l2)
    );
}
