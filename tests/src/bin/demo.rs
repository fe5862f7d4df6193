//! `scripts/demo`: deploys the suite's release wasm on the in-process Stylus VM with its roles
//! and walks through a scenario, printing balances, the share rate and the gas of every step.

use alloy_primitives::{Address, U256};
use alloy_sol_types::SolError;
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
    let r = s.send(
        ALICE,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferCall { to: CAROL, amount: ether(5) },
    );
    step("alice sends carol 5 sETH (new holder)", &r);
    let r = s.send(
        BOB,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferCall { to: CAROL, amount: ether(1) },
    );
    step("bob sends carol 1 sETH (existing holder)", &r);
    let r = s.send(
        CAROL,
        s.pool,
        U256::ZERO,
        &IStakingPool::approveCall { spender: DAVE, amount: ether(2) },
    );
    step("carol approves dave for 2 sETH", &r);
    let r = s.send(
        DAVE,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferFromCall { from: CAROL, to: DAVE, amount: ether(2) },
    );
    step("dave pulls 2 sETH from carol", &r);
    report(&mut s);

    println!("\n3. The stake limit");
    let r = s.send(DAVE, s.pool, ether(60), &IStakingPool::depositCall { referral: Address::ZERO });
    step("dave tries to deposit 60 ETH", &r);
    let r = s.send(DAVE, s.pool, ether(50), &IStakingPool::depositCall { referral: Address::ZERO });
    step("dave deposits 50 ETH (uses the rest of the limit)", &r);
    s.vm.advance_blocks(4);
    println!("  ... 4 blocks pass (the limit regrows 5 ETH per block)");
    let r = s.send(DAVE, s.pool, ether(20), &IStakingPool::depositCall { referral: Address::ZERO });
    step("dave deposits 20 ETH", &r);
    report(&mut s);

    println!("\n4. Pause and resume (separate roles)");
    let r = s.send(
        ADMIN,
        s.manager,
        U256::ZERO,
        &IAccessManager::grantRoleCall { role: PAUSE_ROLE, account: PAUSER },
    );
    step("governance grants PAUSE_ROLE to a guardian", &r);
    let r = s.send(PAUSER, s.pool, U256::ZERO, &IStakingPool::pauseTokenCall {});
    step("the guardian pauses the token", &r);
    let r = s.send(
        ALICE,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferCall { to: BOB, amount: ether(1) },
    );
    step("alice tries to transfer while paused", &r);
    let r = s.send(PAUSER, s.pool, U256::ZERO, &IStakingPool::resumeTokenCall {});
    step("the guardian tries to resume (needs RESUME_ROLE)", &r);
    let r = s.send(ADMIN, s.pool, U256::ZERO, &IStakingPool::resumeTokenCall {});
    step("governance resumes", &r);
    let r = s.send(
        ALICE,
        s.pool,
        U256::ZERO,
        &IStakingPool::transferCall { to: BOB, amount: ether(1) },
    );
    step("alice transfers 1 sETH to bob", &r);
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
    let r = s.send(
        ALICE,
        s.pool,
        U256::ZERO,
        &IStakingPool::approveCall { spender: s.queue, amount: ether(10) },
    );
    step("alice allows the queue 10 sETH", &r);
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
    let r = s.send(
        ALICE,
        s.queue,
        U256::ZERO,
        &IWithdrawalQueue::transferFromCall { from: ALICE, to: BOB, tokenId: ids[1] },
    );
    step("alice gives bob the NFT of the 1 ETH request", &r);
    let rate = s.view(s.pool, &IStakingPool::shareRateCall {})._0;
    let r = s.send(
        ADMIN,
        s.queue,
        ether(5),
        &IWithdrawalQueue::finalizeCall { lastIdToFinalize: ids[1], maxShareRate: rate },
    );
    step("finalizing right away (too recent)", &r);
    s.wait_for_finalization();
    println!("  ... the minimum finalization delay passes");
    let owed = s
        .view(
            s.queue,
            &IWithdrawalQueue::prefinalizeCall { batches: vec![ids[1]], maxShareRate: rate },
        )
        .ethToLock;
    println!("  prefinalize: {} ETH to lock", fmt_eth(owed));
    let r = s.send(
        ADMIN,
        s.queue,
        owed,
        &IWithdrawalQueue::finalizeCall { lastIdToFinalize: ids[1], maxShareRate: rate },
    );
    step("the finalizer locks the ETH for both requests", &r);
    queue_report(s);
    let before = s.vm.balance(ALICE);
    let r = s.send(
        ALICE,
        s.queue,
        U256::ZERO,
        &IWithdrawalQueue::claimWithdrawalCall { requestId: ids[0] },
    );
    step("alice claims her request", &r);
    println!("     alice received {} ETH", fmt_eth(s.vm.balance(ALICE) - before));
    let r = s.send(
        ALICE,
        s.queue,
        U256::ZERO,
        &IWithdrawalQueue::claimWithdrawalCall { requestId: ids[1] },
    );
    step("alice tries to claim bob's request", &r);
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
    let r = s.send(
        BOB,
        s.queue,
        U256::ZERO,
        &IWithdrawalQueue::claimWithdrawalsCall { requestIds: vec![ids[1]], hints },
    );
    step("bob claims it with a checkpoint hint", &r);
    println!("     bob received {} ETH", fmt_eth(s.vm.balance(BOB) - before));
    queue_report(s);
    report(s);
}
