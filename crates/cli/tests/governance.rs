//! `lsctl gov` and `lsctl safe exec` (the binary) against a deployment on the devnet: a
//! Safe Transaction Builder batch written offline and executed by the governance Safe with two
//! of its three owners; a role granted that way used directly; a missing role named before
//! anything is sent; too few owners refused; a delayed upgrade scheduled, refused early,
//! executed after the delay; reruns that execute nothing twice.

mod common;

use std::process::Command;

use alloy_network::TransactionBuilder;
use alloy_primitives::{utils::parse_ether, Address, U256};
use alloy_provider::{Provider, ProviderBuilder};
use alloy_rpc_types_eth::TransactionRequest;
use alloy_sol_types::SolCall;
use devnet::{dev_account, Config, Devnet};
use staking_cli::{
    abi::{IAccessManager, IStakingPool},
    deploy::deploy,
    governance::SafeBatch,
};

fn lsctl(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lsctl")).args(args).output().expect("lsctl runs");
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

fn ok(args: &[&str]) -> String {
    let (success, text) = lsctl(args);
    assert!(success, "lsctl {args:?} failed:\n{text}");
    text
}

#[test]
fn a_safe_batch_a_direct_send_a_missing_role_and_a_delayed_upgrade() {
    let devnet = Devnet::start(&Config::ephemeral()).expect("the devnet starts");
    let manifest = common::temp_manifest("gov");
    let dir = manifest.parent().unwrap().to_path_buf();
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let deployed = rt.block_on(deploy(common::config(&devnet, manifest.clone()))).unwrap();
    let contracts = deployed.manifest.contracts.clone();
    let (safe, manager, pool) =
        (contracts["governance"], contracts["access-manager"], contracts["staking-pool"]);
    let mf = manifest.to_str().unwrap();
    let url = devnet.l2_url();
    let key = |i: usize| dev_account(i).key.to_string();
    let (k0, k1, k2, k3, k6) = (key(0), key(1), key(2), key(3), key(6));
    let operator6 = dev_account(6).address.to_string();
    let treasury = Address::repeat_byte(0x7e).to_string();

    // A batch written offline: new fees, staking paused, PAUSE_ROLE for account 6.
    let batch = dir.join("batch.json");
    let bf = batch.to_str().unwrap();
    ok(&["gov", "set-fees", &treasury, "800", "400", "--manifest", mf, "--safe-batch", bf]);
    ok(&["gov", "pause-staking", "--manifest", mf, "--safe-batch", bf]);
    ok(&["gov", "grant-role", "PAUSE", &operator6, "--manifest", mf, "--safe-batch", bf]);
    let written: SafeBatch = serde_json::from_slice(&std::fs::read(&batch).unwrap()).unwrap();
    assert_eq!(written.transactions.len(), 3);
    assert_eq!(written.chain_id, devnet::L2_CHAIN_ID.to_string());
    assert_eq!(written.meta.created_from_safe_address, safe);

    // One owner's key is not enough for a 2-of-3 Safe; two are.
    let (success, text) = lsctl(&[
        "safe",
        "exec",
        bf,
        "--manifest",
        mf,
        "--l2",
        &url,
        "--key",
        &k0,
        "--owner-key",
        &k1,
    ]);
    assert!(!success && text.contains("needs 2 owners' signatures"), "{text}");
    let text = ok(&[
        "safe",
        "exec",
        bf,
        "--manifest",
        mf,
        "--l2",
        &url,
        "--key",
        &k0,
        "--owner-key",
        &k1,
        "--owner-key",
        &k3,
    ]);
    assert!(text.contains("3 calls executed"), "{text}");
    let text = ok(&[
        "safe",
        "exec",
        bf,
        "--manifest",
        mf,
        "--l2",
        &url,
        "--key",
        &k0,
        "--owner-key",
        &k1,
        "--owner-key",
        &k2,
    ]);
    assert!(text.contains("0 calls executed"), "a rerun executes nothing twice: {text}");

    rt.block_on(async {
        let l2 = ProviderBuilder::new().on_http(url.parse().unwrap());
        let call =
            |to: Address, data: Vec<u8>| TransactionRequest::default().with_to(to).with_input(data);
        // Staking is paused: a deposit would revert.
        let deposit =
            call(pool, IStakingPool::depositCall { referral: Address::ZERO }.abi_encode())
                .with_from(dev_account(7).address)
                .with_value(parse_ether("1").unwrap());
        assert!(l2.estimate_gas(&deposit).await.is_err());
        let out = l2
            .call(&call(
                manager,
                IAccessManager::hasRoleCall {
                    role: staking_common::roles::PAUSE_ROLE,
                    account: dev_account(6).address,
                }
                .abi_encode(),
            ))
            .await
            .unwrap();
        assert!(IAccessManager::hasRoleCall::abi_decode_returns(&out, true).unwrap()._0);
    });

    // Account 6 holds PAUSE_ROLE only: the missing role is named before anything is sent.
    let (success, text) =
        lsctl(&["gov", "resume-staking", "--manifest", mf, "--l2", &url, "--key", &k6]);
    assert!(!success && text.contains("lacks STAKING_CONTROL_ROLE"), "{text}");
    let (success, text) =
        lsctl(&["gov", "resume-queue", "--manifest", mf, "--l2", &url, "--key", &k6]);
    assert!(!success && text.contains("lacks RESUME_ROLE"), "{text}");
    let text = ok(&["gov", "pause-queue", "--manifest", mf, "--l2", &url, "--key", &k6]);
    assert!(text.contains("pause-queue") && text.contains("gas"), "{text}");

    // A delayed upgrade: scheduled by the Safe, refused before the delay, run after it.
    let extension = contracts["staking-pool-extension"].to_string();
    let schedule = dir.join("schedule.json");
    let sf = schedule.to_str().unwrap();
    ok(&["gov", "upgrade", "pool", &extension, "--manifest", mf, "--safe-batch", sf]);
    ok(&[
        "safe",
        "exec",
        sf,
        "--manifest",
        mf,
        "--l2",
        &url,
        "--key",
        &k0,
        "--owner-key",
        &k1,
        "--owner-key",
        &k2,
    ]);
    let run = dir.join("run.json");
    let rf = run.to_str().unwrap();
    ok(&["gov", "execute-upgrade", "pool", &extension, "--manifest", mf, "--safe-batch", rf]);
    let (success, text) = lsctl(&[
        "safe",
        "exec",
        rf,
        "--manifest",
        mf,
        "--l2",
        &url,
        "--key",
        &k0,
        "--owner-key",
        &k1,
        "--owner-key",
        &k2,
    ]);
    assert!(!success && text.contains("would revert"), "before the delay: {text}");
    rt.block_on(async {
        let l2 = ProviderBuilder::new().on_http(url.parse().unwrap());
        let _: U256 = l2
            .raw_request(
                "evm_increaseTime".into(),
                (U256::from(staking_common::upgrade::UPGRADE_DELAY) + U256::from(60),),
            )
            .await
            .unwrap();
    });
    let text = ok(&[
        "safe",
        "exec",
        rf,
        "--manifest",
        mf,
        "--l2",
        &url,
        "--key",
        &k0,
        "--owner-key",
        &k1,
        "--owner-key",
        &k2,
    ]);
    assert!(text.contains("1 calls executed"), "{text}");

    // Wrong inputs: an unknown role, a batch of another Safe.
    let (success, text) =
        lsctl(&["gov", "grant-role", "KING", &operator6, "--manifest", mf, "--safe-batch", bf]);
    assert!(!success && text.contains("KING is not a role"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
    devnet.stop();
}
