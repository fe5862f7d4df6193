//! `lsctl operator commit-keys` (the binary) on a deployment on the devnet, with deposit data
//! files written as the staking deposit CLI writes them, signed with real BLS keys (`blst`):
//! the operator added by the governance Safe, its keys checked and committed in batches, a
//! rerun that commits nothing twice, and every check's refusal (credentials, amount, roots,
//! signature, fork, duplicates) naming the key, with nothing sent.

mod common;

use std::{path::Path, process::Command};

use alloy_network::TransactionBuilder;
use alloy_primitives::{hex, Address, U256};
use alloy_provider::{Provider, ProviderBuilder};
use alloy_rpc_types_eth::TransactionRequest;
use alloy_sol_types::SolCall;
use devnet::{dev_account, Config, Devnet};
use serde_json::{json, Value};
use staking_cli::{abi::INodeOperatorRegistry, deploy::deploy, operator::devnet_deposit_data};
use staking_common::deposit_data::withdrawal_credentials;

fn lsctl(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lsctl")).args(args).output().expect("lsctl runs");
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

/// `n` keys' entries as the deposit CLI writes them, for `credentials`.
fn deposit_data(n: u8, credentials: [u8; 32], fork: [u8; 4]) -> Vec<Value> {
    devnet_deposit_data(u32::from(n), "operator test", credentials, fork)
}

fn write(path: &Path, entries: &[Value]) -> String {
    std::fs::write(path, serde_json::to_vec_pretty(entries).unwrap()).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn an_operator_commits_a_deposit_cli_file_checked_key_by_key() {
    let devnet = Devnet::start(&Config::ephemeral()).expect("the devnet starts");
    let manifest = common::temp_manifest("operator");
    let dir = manifest.parent().unwrap().to_path_buf();
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let deployed = rt.block_on(deploy(common::config(&devnet, manifest.clone()))).unwrap();
    let registry = deployed.manifest.contracts["node-operator-registry"];
    let credentials = withdrawal_credentials(deployed.manifest.contracts["l1-vault"]);
    let mf = manifest.to_str().unwrap();
    let url = devnet.l2_url();
    let operator = dev_account(8);
    let (k0, k1, k2, k8) = (
        dev_account(0).key.to_string(),
        dev_account(1).key.to_string(),
        dev_account(2).key.to_string(),
        operator.key.to_string(),
    );

    // The governance Safe adds the operator.
    let batch = dir.join("add.json");
    let bf = batch.to_str().unwrap();
    let reward = operator.address.to_string();
    let (ok, text) = lsctl(&[
        "gov",
        "add-operator",
        "Operator 8",
        &reward,
        "--manifest",
        mf,
        "--safe-batch",
        bf,
    ]);
    assert!(ok, "{text}");
    let (ok, text) = lsctl(&[
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
    assert!(ok, "{text}");

    let l2 = ProviderBuilder::new().on_http(url.parse().unwrap());
    let view = |data: Vec<u8>| {
        let l2 = l2.clone();
        let request = TransactionRequest::default().with_to(registry).with_input(data);
        async move { l2.call(&request).await.unwrap() }
    };
    let count = rt.block_on(view(INodeOperatorRegistry::getOperatorsCountCall {}.abi_encode()));
    let id = U256::from_be_slice(&count[..32]);
    let submitted = |id: U256| {
        let out = rt
            .block_on(view(INodeOperatorRegistry::getOperatorCall { operatorId: id }.abi_encode()));
        let op = INodeOperatorRegistry::getOperatorCall::abi_decode_returns(&out, true).unwrap();
        (op.rewardAddress, op.submitted)
    };
    assert_eq!(submitted(id).0, operator.address);
    let id_text = id.to_string();
    let fork = [0u8; 4];

    // Every refusal names the key and sends nothing.
    let good = deposit_data(3, credentials, fork);
    let cases: Vec<(&str, Vec<Value>, &str)> = vec![
        (
            "credentials",
            deposit_data(3, withdrawal_credentials(Address::repeat_byte(9)), fork),
            "not the vault's",
        ),
        (
            "amount",
            {
                let mut e = good.clone();
                e[1]["amount"] = json!(1_000_000_000u64);
                e
            },
            "amount 1000000000 gwei",
        ),
        (
            "root",
            {
                let mut e = good.clone();
                e[2]["deposit_data_root"] = json!(hex::encode([7u8; 32]));
                e
            },
            "deposit_data_root does not match",
        ),
        (
            "signature",
            {
                let mut e = good.clone();
                let s = e[0]["signature"].clone();
                e[0]["signature"] = e[1]["signature"].clone();
                e[1]["signature"] = s;
                e
            },
            "key 0",
        ),
        ("fork", deposit_data(2, credentials, [0x90, 0, 0, 0x69]), "fork version 0x90000069"),
        (
            "domain",
            {
                let mut e = deposit_data(2, credentials, [0x90, 0, 0, 0x69]);
                e[0]["fork_version"] = json!("00000000");
                e
            },
            "signature does not verify",
        ),
        (
            "duplicate",
            {
                let mut e = good.clone();
                e.push(good[0].clone());
                e
            },
            "appears twice",
        ),
    ];
    for (name, entries, expected) in cases {
        let file = write(&dir.join(format!("{name}.json")), &entries);
        let (ok, text) = lsctl(&[
            "operator",
            "commit-keys",
            &file,
            "--operator-id",
            &id_text,
            "--manifest",
            mf,
            "--l2",
            &url,
            "--key",
            &k8,
            "--fork-version",
            "00000000",
        ]);
        assert!(!ok && text.contains(expected), "{name}: {text}");
    }
    assert_eq!(submitted(id).1, U256::ZERO, "nothing committed");

    // The good file: checked, committed in two batches; a rerun commits nothing twice.
    let file = write(&dir.join("deposit_data-1.json"), &good);
    let args = [
        "operator",
        "commit-keys",
        &file,
        "--operator-id",
        &id_text,
        "--manifest",
        mf,
        "--l2",
        &url,
        "--key",
        &k8,
        "--batch-size",
        "2",
        "--fork-version",
        "00000000",
    ];
    let (ok, text) = lsctl(&args);
    assert!(ok && text.contains("3 keys checked"), "{text}");
    assert_eq!(text.matches(" gas ").count(), 2, "two batches: {text}");
    assert_eq!(submitted(id).1, U256::from(3));
    let nonce = rt.block_on(async { l2.get_transaction_count(operator.address).await }).unwrap();
    let (ok, text) = lsctl(&args);
    assert!(ok, "{text}");
    assert_eq!(
        rt.block_on(async { l2.get_transaction_count(operator.address).await }).unwrap(),
        nonce
    );
    assert_eq!(submitted(id).1, U256::from(3));
    // The same file cut another way is refused (its batches are the journal's steps).
    let mut other = args.to_vec();
    other[12] = "3";
    let (ok, text) = lsctl(&other);
    assert!(!ok && text.contains("--batch-size 2"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
    devnet.stop();
}
