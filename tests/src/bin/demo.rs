//! `scripts/demo`: deploys the suite's release wasm on the in-process Stylus VM with its roles
//! and walks through a scenario, printing balances, the share rate and the gas of every step.

use alloy_primitives::{Address, U256};
use alloy_sol_types::{SolCall, SolError};
use protocol_tests::{
    abi::{IAccessManager, IStakingPool, IWithdrawalQueue},
    ether, Suite, ADMIN, ALICE, BOB, CAROL, DAVE,
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
    println!("wasm, on the in-process Stylus VM;");
    println!("stake limit 100 ETH, regrowing 5 ETH per block; programs cached.\n");
    let mut s = Suite::deploy_with_limit(ether(100), ether(5));

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
        "finalizing right away (too recent)",
        ADMIN,
        s.queue,
        ether(5),
        &IWithdrawalQueue::finalizeCall { lastIdToFinalize: ids[1], maxShareRate: rate },
    );
    s.wait_for_finalization();
    println!("  ... the minimum finalization delay passes");
    let owed = s
        .view(
            s.queue,
            &IWithdrawalQueue::prefinalizeCall { batches: vec![ids[1]], maxShareRate: rate },
        )
        .ethToLock;
    println!("  prefinalize: {} ETH to lock", fmt_eth(owed));
    s.act(
        "the finalizer locks the ETH for both requests",
        ADMIN,
        s.queue,
        owed,
        &IWithdrawalQueue::finalizeCall { lastIdToFinalize: ids[1], maxShareRate: rate },
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
    validators(s);
}

/// Operators onboard (commit and get vetted keys), guardians attest, the buffer goes to
/// validators in 32-ether deposits, min-first across operators.
fn validators(s: &mut Suite) {
    use protocol_tests::{abi::INodeOperatorRegistry as R, validators::Validators};
    println!("\n6. Node operators and validator deposits (6 guardians, quorum 4)");
    let mut v = Validators::setup(s, 6, 4);
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
        step(&format!("depositor bot deposits {count} key(s), guardians signed"), &r);
    }
    let buffered = s.view(s.pool, &IStakingPool::getBufferedEtherCall {})._0;
    println!(
        "  buffered after: {} ETH; deposit contract holds {} ETH",
        fmt_eth(buffered),
        fmt_eth(s.vm.balance(v.target))
    );
    for id in 1..=3u16 {
        let (_, _, deposited, _, vetted, _, _, _) = v.operator(s, id);
        let name = s.view(v.registry, &R::getOperatorNameCall { operatorId: U256::from(id) })._0;
        println!("     {name:<18} {deposited} of {vetted} vetted keys deposited");
    }
    report(s);
}
