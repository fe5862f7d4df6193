//! The operators' software (the `lsctl` binary) against a deployment on the devnet, through
//! JSON-RPC and the devnet's beacon API: the keys service, the depositor on both layers, a
//! front-running deposit on L1 caught by the guardians (the batch cancelled, its ether bridged
//! back by the keeper), the committee's dry run and manual refusal, frames missed and the
//! report after them accounting for everything, and reruns that send nothing twice.

mod common;

use std::{
    io::{BufRead, BufReader, Write},
    process::{Command, Stdio},
};

use alloy_network::{EthereumWallet, TransactionBuilder};
use alloy_primitives::{hex, utils::parse_ether, Address, B256, U256};
use alloy_provider::{Provider, ProviderBuilder};
use alloy_rpc_types_eth::TransactionRequest;
use alloy_signer_local::PrivateKeySigner;
use alloy_sol_types::SolCall;
use devnet::{dev_account, Config, Devnet};
use l1_vault::StakingVault as V;
use staking_cli::{
    abi::{IAccountingOracle as O, IStakingPool as P},
    deploy::deploy,
    protocol::view,
};
use worlds::abi::IDepositContract;

fn lsctl(args: &[&str], stdin: &str) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lsctl"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("lsctl runs");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

fn ok(args: &[&str]) -> String {
    let (success, text) = lsctl(args, "");
    assert!(success, "lsctl {args:?} failed:\n{text}");
    text
}

fn get(url: &str) -> serde_json::Value {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async { reqwest::get(url).await.unwrap().json().await.unwrap() })
}

/// `lsctl keys-service` on `listen`: the process and its URL.
fn keys_service(manifest: &str, l2: &str, listen: &str) -> (Service, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lsctl"))
        .args(["keys-service", "--manifest", manifest, "--l2", l2, "--listen", listen])
        .args(["--interval", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let url = line.trim().strip_prefix("keys service: ").expect("the service's URL").to_string();
    (Service(child), url)
}

/// A child process killed however the test ends.
struct Service(std::process::Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn status_of(url: &str) -> u16 {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async { reqwest::get(url).await.unwrap().status().as_u16() })
}

#[test]
#[allow(clippy::too_many_lines)]
fn keys_deposits_a_front_run_batch_missed_frames_and_the_committee() {
    let devnet = Devnet::start(&Config::ephemeral()).expect("the devnet starts");
    let manifest = common::temp_manifest("ops");
    let dir = manifest.parent().unwrap().to_path_buf();
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(deploy(common::config(&devnet, manifest.clone()))).unwrap();
    let protocol = staking_cli::protocol::Protocol::from_manifest(&manifest).unwrap();
    let mf = manifest.to_str().unwrap();
    let (l2, l1, beacon) = (devnet.l2_url(), devnet.l1_url(), devnet.beacon_url());
    let key = |i: usize| dev_account(i).key.to_string();
    let addr = |i: usize| dev_account(i).address.to_string();
    let l2r = staking_cli::protocol::reader("l2", &l2).unwrap();
    let l1r = staking_cli::protocol::reader("l1", &l1).unwrap();
    let advance = |seconds: u64| {
        rt.block_on(async {
            let _: U256 =
                l2r.raw_request("evm_increaseTime".into(), (U256::from(seconds),)).await.unwrap();
        });
    };

    // Governance: an operator, the depositor's role; the operator's 6 keys, vetted.
    let batch = dir.join("batch.json");
    let bf = batch.to_str().unwrap();
    ok(&["gov", "add-operator", "A", &addr(4), "--manifest", mf, "--safe-batch", bf]);
    ok(&["gov", "grant-role", "DEPOSIT_ROLE", &addr(0), "--manifest", mf, "--safe-batch", bf]);
    let exec = |file: &str| {
        let (k0, k1, k2) = (key(0), key(1), key(2));
        ok(&[
            "safe",
            "exec",
            file,
            "--manifest",
            mf,
            "--l2",
            &l2,
            "--key",
            &k0,
            "--owner-key",
            &k1,
            "--owner-key",
            &k2,
        ]);
    };
    exec(bf);
    let data = dir.join("deposit_data.json");
    let df = data.to_str().unwrap();
    ok(&["operator", "devnet-keys", "6", "--manifest", mf, "--out", df]);
    let k4 = key(4);
    ok(&[
        "operator",
        "commit-keys",
        df,
        "--operator-id",
        "1",
        "--manifest",
        mf,
        "--l2",
        &l2,
        "--key",
        &k4,
        "--fork-version",
        "00000000",
    ]);
    let batch2 = dir.join("batch2.json");
    let bf2 = batch2.to_str().unwrap();
    ok(&["gov", "set-vetted-limit", "1", "6", "--manifest", mf, "--safe-batch", bf2]);
    exec(bf2);

    // The keys service, as its operators run it (killed however the test ends).
    let (service, keys) = keys_service(mf, &l2, "127.0.0.1:0");
    let status = get(&format!("{keys}/v1/status"));
    assert_eq!(status["keys"], 6, "{status}");
    assert_eq!(status["batchesWithoutFile"], 0, "{status}");
    let k = get(&format!("{keys}/v1/keys/1/3"));
    assert_eq!(k["used"], false);
    let unknown = status_of(&format!("{keys}/v1/keys/1/6"));
    assert_eq!(unknown, 404);

    // Two more keys committed by their root alone: the service waits for the file, refuses
    // another one, and serves the keys once the operator publishes theirs.
    let more = dir.join("more.json");
    let mf2 = more.to_str().unwrap();
    ok(&["operator", "devnet-keys", "2", "--manifest", mf, "--out", mf2, "--seed", "more"]);
    let text = ok(&[
        "operator",
        "commit-keys",
        mf2,
        "--operator-id",
        "1",
        "--manifest",
        mf,
        "--l2",
        &l2,
        "--key",
        &k4,
        "--fork-version",
        "00000000",
        "--by-root",
    ]);
    assert!(text.contains("committed by root"), "{text}");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let status = get(&format!("{keys}/v1/status"));
    assert_eq!(
        (status["keys"].as_u64(), status["batchesWithoutFile"].as_u64()),
        (Some(8), Some(1))
    );
    assert_eq!(status_of(&format!("{keys}/v1/keys/1/6")), 404);
    let wrong = dir.join("wrong.json");
    let wf = wrong.to_str().unwrap();
    ok(&["operator", "devnet-keys", "2", "--manifest", mf, "--out", wf, "--seed", "wrong"]);
    let (refused, text) =
        lsctl(&["operator", "publish-keys", wf, "--operator-id", "1", "--keys-service", &keys], "");
    assert!(!refused && text.contains("refused") && text.contains("no batch with root"), "{text}");
    let text =
        ok(&["operator", "publish-keys", mf2, "--operator-id", "1", "--keys-service", &keys]);
    assert!(text.contains("batch 1"), "{text}");
    assert_eq!(get(&format!("{keys}/v1/status"))["batchesWithoutFile"], 0);
    assert_eq!(status_of(&format!("{keys}/v1/keys/1/7")), 200);
    // Restarted on the same address, the service still has the published file.
    drop(service);
    let (service, again) = keys_service(mf, &l2, keys.trim_start_matches("http://"));
    assert_eq!(again, keys);
    assert_eq!(status_of(&format!("{keys}/v1/keys/1/7")), 200);
    assert_eq!(get(&format!("{keys}/v1/status"))["batchesWithoutFile"], 0);

    // 192 ether staked; two deposits of 3 keys each (two vault batches on L1).
    let k5 = key(5);
    ok(&["user", "stake", "192", "--manifest", mf, "--l2", &l2, "--key", &k5]);
    // Without DEPOSIT_ROLE the depositor is told which role it lacks; nothing is sent.
    let k6 = key(6);
    let (sent, text) = lsctl(
        &[
            "depositor",
            "deposit",
            "--manifest",
            mf,
            "--l2",
            &l2,
            "--keys-service",
            &keys,
            "--key",
            &k6,
        ],
        "",
    );
    assert!(!sent && text.contains("DEPOSIT_ROLE"), "{text}");
    let k0 = key(0);
    let deposit = [
        "depositor",
        "deposit",
        "--manifest",
        mf,
        "--l2",
        &l2,
        "--keys-service",
        &keys,
        "--key",
        &k0,
        "--max",
        "3",
    ];
    assert!(ok(&deposit).contains("3 keys deposited"));
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(ok(&deposit).contains("3 keys deposited"));
    assert!(ok(&deposit).contains("nothing to do"));

    // A front-runner deposits the second batch's first key (key 3) on L1 with its own
    // credentials, before the batch reaches the vault.
    let k = get(&format!("{keys}/v1/keys/1/3"));
    let pubkey: [u8; 48] = hex::decode(k["pubkey"].as_str().unwrap()).unwrap().try_into().unwrap();
    let signature: [u8; 96] =
        hex::decode(k["signature"].as_str().unwrap()).unwrap().try_into().unwrap();
    let theirs = staking_common::deposit_data::withdrawal_credentials(Address::repeat_byte(0xba));
    let deposit_contract = devnet.with_node(|n| n.worlds.contracts.deposit_contract);
    let deposit_on_l1 = |pubkey: [u8; 48], credentials: [u8; 32]| {
        let root = staking_common::deposit_data::deposit_data_root(
            &pubkey,
            &credentials,
            1_000_000_000,
            &signature,
        );
        rt.block_on(async {
            let wallet =
                EthereumWallet::from(PrivateKeySigner::from_bytes(&dev_account(9).key).unwrap());
            let l1w = ProviderBuilder::new().wallet(wallet).on_http(l1.parse().unwrap());
            let call = IDepositContract::depositCall {
                pubkey: pubkey.to_vec().into(),
                withdrawal_credentials: credentials.to_vec().into(),
                signature: signature.to_vec().into(),
                deposit_data_root: B256::from(root),
            };
            let tx = TransactionRequest::default()
                .with_to(deposit_contract)
                .with_value(parse_ether("1").unwrap())
                .with_input(call.abi_encode());
            assert!(l1w.send_transaction(tx).await.unwrap().get_receipt().await.unwrap().status());
        });
    };
    deposit_on_l1(pubkey, theirs);
    // Someone else deposits 1 ether for a key of theirs with the vault's credentials: a
    // validator the vault never deposited, which the committee must not count.
    let vault_credentials = staking_common::deposit_data::withdrawal_credentials(protocol.vault);
    deposit_on_l1([0x5a; 48], vault_credentials);

    // The committee's dry run sends nothing; a manual member who says no sends nothing.
    advance(3600);
    let (k1, k2, k3) = (key(1), key(2), key(3));
    let member = |k: &str| -> Vec<String> {
        [
            "committee",
            "run",
            "--once",
            "--manifest",
            mf,
            "--l2",
            &l2,
            "--l1",
            &l1,
            "--beacon",
            &beacon,
            "--keys-service",
            &keys,
            "--key",
            k,
        ]
        .iter()
        .map(ToString::to_string)
        .collect()
    };
    let (member6, text) = lsctl(&member(&k6).iter().map(String::as_str).collect::<Vec<_>>(), "");
    assert!(!member6 && text.contains("is not a member"), "{text}");
    let mut dry = member(&k1);
    dry.push("--dry-run".into());
    let text = ok(&dry.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(text.contains("dry run"), "{text}");
    let vote = |who: usize| {
        rt.block_on(view(
            &l2r,
            protocol.oracle,
            &O::getMemberVoteCall { member: dev_account(who).address },
            None,
        ))
        .unwrap()
    };
    assert_eq!(vote(1).report, B256::ZERO);
    let mut manual = member(&k3);
    manual.push("--manual".into());
    let (success, text) = lsctl(&manual.iter().map(String::as_str).collect::<Vec<_>>(), "n\n");
    assert!(success && text.contains("declined"), "{text}");
    assert_eq!(vote(3).report, B256::ZERO);

    // A week passes with no report (the challenge period): the keeper executes both batches.
    let challenge = devnet.with_node(|n| n.worlds.config().challenge_period_blocks);
    advance(challenge * 12 + 600);
    let journal = dir.join("keeper.json");
    let k9 = key(9);
    let keeper = [
        "keeper",
        "execute-sends",
        "--journal",
        journal.to_str().unwrap(),
        "--l2",
        &l2,
        "--l1",
        &l1,
        "--key",
        &k9,
    ];
    assert!(ok(&keeper).contains("2 executed"));

    // The guardians attest the first batch and catch the second's front-run key.
    let sigs = dir.join("signatures");
    let sf = sigs.to_str().unwrap();
    for g in [&k1, &k2] {
        let text = ok(&[
            "guardian",
            "attest",
            "--manifest",
            mf,
            "--l1",
            &l1,
            "--keys-service",
            &keys,
            "--key",
            g,
            "--out",
            sf,
        ]);
        assert!(text.contains("batch 0: 3 keys, none deposited before"), "{text}");
        assert!(text.contains("batch 1: FRONT-RUN"), "{text}");
    }
    let (_, text) = lsctl(
        &[
            "guardian",
            "attest",
            "--manifest",
            mf,
            "--l1",
            &l1,
            "--keys-service",
            &keys,
            "--key",
            &k4,
            "--out",
            sf,
        ],
        "",
    );
    assert!(text.contains("is not a guardian"), "{text}");
    // A stray signature file (another key claiming to be guardian 1) is ignored.
    let forged = staking_cli::guardian::Signed {
        guardian: dev_account(1).address,
        signature: staking_common::signing::sign_digest(
            &staking_common::signing::SigningKey::from_slice(dev_account(7).key.as_slice())
                .unwrap(),
            B256::repeat_byte(1),
        )
        .to_vec()
        .into(),
        ..serde_json::from_slice(
            &std::fs::read(
                std::fs::read_dir(&sigs)
                    .unwrap()
                    .flatten()
                    .find(|e| e.file_name().to_string_lossy().starts_with("attest-0-"))
                    .unwrap()
                    .path(),
            )
            .unwrap(),
        )
        .unwrap()
    };
    std::fs::write(sigs.join("attest-0-forged.json"), serde_json::to_vec(&forged).unwrap())
        .unwrap();
    assert!(!staking_cli::guardian::verify(&forged, devnet::L1_CHAIN_ID, protocol.vault));
    let batches = [
        "depositor",
        "deposit-batches",
        "--manifest",
        mf,
        "--l1",
        &l1,
        "--keys-service",
        &keys,
        "--key",
        &k0,
        "--signatures",
        sf,
    ];
    let text = ok(&batches);
    assert!(text.contains("deposit batch 0 (3 keys)") && text.contains("cancel batch 1"), "{text}");
    assert!(ok(&batches).contains("0 vault batches"));
    let batch_status = |id: u64| {
        rt.block_on(view(&l1r, protocol.vault, &V::getBatchCall { batchId: U256::from(id) }, None))
            .unwrap()
            .status
    };
    assert_eq!(batch_status(0), V::Status::Deposited);
    assert_eq!(batch_status(1), V::Status::Cancelled);
    let free = rt.block_on(view(&l1r, protocol.vault, &V::freeBalanceCall {}, None)).unwrap()._0;
    assert_eq!(free, parse_ether("96").unwrap());

    // The beacon API sees the vault's 3 validators, the front-runner's and the outsider's.
    let state = get(&format!("{beacon}/eth/v1/beacon/states/head/validators"));
    assert_eq!(state["data"].as_array().unwrap().len(), 5, "{state}");

    // A day later the committee reports, after 7 missed frames: 3 validators on the
    // consensus layer and 3 cancelled keys whose ether is free in the vault.
    let report = |who: &[&String]| -> String {
        let mut all = String::new();
        for k in who {
            let (_, text) = lsctl(&member(k).iter().map(String::as_str).collect::<Vec<_>>(), "");
            all.push_str(&text);
        }
        let done =
            rt.block_on(view(&l2r, protocol.oracle, &O::getProcessingStateCall {}, None)).unwrap();
        assert!(done.dataSubmitted, "{all}");
        all
    };
    advance(86_400 + 3600);
    let text = report(&[&k1, &k2, &k3]);
    assert!(text.contains("7 frame(s)") && text.contains("went unreported"), "{text}");
    assert!(
        text.contains("6 validators") && text.contains("vault 96000000000000000000 wei free"),
        "{text}"
    );
    let stat = rt.block_on(view(&l2r, protocol.pool, &P::getBeaconStatCall {}, None)).unwrap();
    assert_eq!((stat._0, stat._1), (U256::from(6), U256::from(6)));
    assert!(stat._2 >= parse_ether("192").unwrap(), "the L1 figure: 3 validators and the vault");

    // The keeper bridges the cancelled batch's ether back; the pool receives it; the next
    // report sees it bridged and received.
    let text = ok(&["keeper", "bridge", "--manifest", mf, "--l1", &l1, "--key", &k9]);
    assert!(text.contains("bridge "), "{text}");
    let again = ok(&["keeper", "bridge", "--manifest", mf, "--l1", &l1, "--key", &k9]);
    assert!(again.contains("nothing to bridge"), "{again}");
    advance(86_400);
    let received =
        rt.block_on(view(&l2r, protocol.pool, &P::receivedFromL1VaultCall {}, None)).unwrap()._0;
    assert!(received > parse_ether("95.99").unwrap(), "received {received}");
    assert!(ok(&["keeper", "redeem", "--manifest", mf, "--l2", &l2, "--key", &k9])
        .contains("0 tickets redeemed"));
    let text = report(&[&k1, &k2, &k3]);
    assert!(text.contains("vault 0 wei free"), "{text}");
    let pooled =
        rt.block_on(view(&l2r, protocol.pool, &P::getTotalPooledEtherCall {}, None)).unwrap()._0;
    let staked = parse_ether("192.001").unwrap();
    assert!(
        pooled > staked - parse_ether("0.01").unwrap(),
        "pooled {pooled}: nothing lost but the ticket's fee"
    );
    // A withdrawal the buffer cannot pay: the next report asks two validators to exit (54
    // ether short: two of 32), and the submitter delivers the list to the registry.
    ok(&["user", "request-withdrawal", "150", "--manifest", mf, "--l2", &l2, "--key", &k5]);
    advance(86_400);
    let text = report(&[&k1, &k2, &k3]);
    assert!(text.contains("2 exit requests"), "{text}");
    assert!(text.contains("exit requests of ref slot"), "{text}");
    let st = rt
        .block_on(view(
            &l2r,
            protocol.registry,
            &staking_cli::abi::INodeOperatorRegistry::getOperatorExitStatusCall {
                operatorId: U256::from(1),
            },
            None,
        ))
        .unwrap();
    assert_eq!(st.requested, U256::from(2), "{text}");

    // A validator exits on the consensus layer and is paid out to the vault: the next report
    // counts it as operator 1's first exited validator, and nothing is lost (its ether moved
    // from the consensus layer to the vault).
    let k0key = get(&format!("{keys}/v1/keys/1/0"));
    let exit: serde_json::Value = rt.block_on(async {
        l1r.raw_request("devnet_exitValidator".into(), (k0key["pubkey"].as_str().unwrap(),))
            .await
            .unwrap()
    });
    assert!(exit["paid"].as_str().is_some(), "{exit}");
    let again: Result<serde_json::Value, _> = rt.block_on(async {
        l1r.raw_request("devnet_exitValidator".into(), (k0key["pubkey"].as_str().unwrap(),)).await
    });
    assert!(again.unwrap_err().to_string().contains("exited already"));
    let unknown: Result<serde_json::Value, _> = rt.block_on(async {
        l1r.raw_request("devnet_exitValidator".into(), (format!("0x{}", "11".repeat(48)),)).await
    });
    assert!(unknown.unwrap_err().to_string().contains("no validator"));
    let pooled_before =
        rt.block_on(view(&l2r, protocol.pool, &P::getTotalPooledEtherCall {}, None)).unwrap()._0;
    advance(86_400);
    let text = report(&[&k1, &k2, &k3]);
    let o = rt
        .block_on(view(
            &l2r,
            protocol.registry,
            &staking_cli::abi::INodeOperatorRegistry::getOperatorCall { operatorId: U256::from(1) },
            None,
        ))
        .unwrap();
    assert_eq!(o.exited, U256::from(1), "{text}");
    let pooled_after =
        rt.block_on(view(&l2r, protocol.pool, &P::getTotalPooledEtherCall {}, None)).unwrap()._0;
    assert!(pooled_after >= pooled_before, "{pooled_before} -> {pooled_after}: {text}");

    // The operator claims the reward shares the reports minted for it.
    let registry_view = |call: staking_cli::abi::INodeOperatorRegistry::getRewardsCall| {
        rt.block_on(view(&l2r, protocol.registry, &call, None)).unwrap()._0
    };
    let owed = registry_view(staking_cli::abi::INodeOperatorRegistry::getRewardsCall {
        operatorId: U256::from(1),
    });
    assert!(!owed.is_zero(), "rewards were reported");
    let text = ok(&[
        "operator",
        "claim-rewards",
        "--operator-id",
        "1",
        "--manifest",
        mf,
        "--l2",
        &l2,
        "--key",
        &k4,
    ]);
    assert!(text.contains(&format!("claim operator 1's {owed} reward shares")), "{text}");
    let owed_after = registry_view(staking_cli::abi::INodeOperatorRegistry::getRewardsCall {
        operatorId: U256::from(1),
    });
    assert!(owed_after.is_zero());
    let shares = rt
        .block_on(view(
            &l2r,
            protocol.pool,
            &P::sharesOfCall { account: dev_account(4).address },
            None,
        ))
        .unwrap()
        ._0;
    assert_eq!(shares, owed);
    let text = ok(&[
        "operator",
        "claim-rewards",
        "--operator-id",
        "1",
        "--manifest",
        mf,
        "--l2",
        &l2,
        "--key",
        &k4,
    ]);
    assert!(text.contains("no rewards to claim"), "{text}");

    // A retryable ticket whose automatic redeem cannot run (its fee cap under L2's base fee)
    // waits on L2; the keeper redeems it when told to redeem anyone's (not the vault's: not
    // by default), once.
    let inbox = devnet.with_node(|n| n.worlds.contracts.inbox);
    let to = Address::repeat_byte(0x7d);
    rt.block_on(async {
        let wallet =
            EthereumWallet::from(PrivateKeySigner::from_bytes(&dev_account(9).key).unwrap());
        let l1w = ProviderBuilder::new().wallet(wallet).on_http(l1.parse().unwrap());
        let me = dev_account(9).address;
        let call = worlds::abi::IInbox::createRetryableTicketCall {
            to,
            l2CallValue: parse_ether("1").unwrap(),
            maxSubmissionCost: parse_ether("0.01").unwrap(),
            excessFeeRefundAddress: me,
            callValueRefundAddress: me,
            gasLimit: U256::from(100_000),
            // 1 would ask the Inbox for an estimate (it reverts with RetryableData).
            maxFeePerGas: U256::from(2),
            data: alloy_primitives::Bytes::new(),
        };
        let tx = TransactionRequest::default()
            .with_to(inbox)
            .with_value(parse_ether("1.01").unwrap() + U256::from(200_000))
            .with_input(call.abi_encode());
        assert!(l1w.send_transaction(tx).await.unwrap().get_receipt().await.unwrap().status());
    });
    advance(1800);
    let redeem = ["keeper", "redeem", "--manifest", mf, "--l2", &l2, "--key", &k9];
    assert!(ok(&redeem).contains("0 tickets redeemed"));
    let all: Vec<&str> = redeem.iter().copied().chain(["--all"]).collect();
    let text = ok(&all);
    assert!(text.contains("1 tickets redeemed"), "{text}");
    assert_eq!(
        rt.block_on(staking_cli::protocol::balance(&l2r, to, None)).unwrap(),
        parse_ether("1").unwrap()
    );
    assert!(ok(&all).contains("0 tickets redeemed"));

    // Reruns send nothing twice.
    assert!(ok(&member(&k1).iter().map(String::as_str).collect::<Vec<_>>())
        .contains("the report is in"));
    assert!(ok(&keeper).contains("0 executed, 2 already executed"));

    drop(service);
    let _ = std::fs::remove_dir_all(&dir);
    devnet.stop();
}
