//! What the CLI's tests share: a deployment's configuration on a devnet.
#![allow(dead_code)]

use std::path::PathBuf;

use alloy_primitives::{utils::parse_ether, Address};
use devnet::{dev_account, Devnet};
use staking_cli::deploy::{BeaconSpec, DeployConfig};

pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub(crate) fn config(devnet: &Devnet, manifest: PathBuf) -> DeployConfig {
    let info = devnet.with_node(|n| {
        (n.worlds.contracts.bridge, n.worlds.contracts.inbox, n.worlds.contracts.deposit_contract)
    });
    let owners: Vec<Address> = (1..=3).map(|i| dev_account(i).address).collect();
    DeployConfig {
        network: "devnet".into(),
        l2_url: devnet.l2_url(),
        l1_url: devnet.l1_url(),
        key: dev_account(0).key.to_string(),
        l2_chain_id: Some(devnet::L2_CHAIN_ID),
        l1_chain_id: Some(devnet::L1_CHAIN_ID),
        manifest,
        wasm_dir: root().join("artifacts/wasm"),
        evm_dir: root().join("artifacts/evm"),
        governance: None,
        safe_owners: owners.clone(),
        safe_threshold: 2,
        guardians: owners.clone(),
        guardian_quorum: 2,
        oracle_members: owners,
        oracle_quorum: 2,
        treasury: None,
        l1_bridge: info.0,
        l1_inbox: info.1,
        deposit_contract: info.2,
        l1_outbox: Address::ZERO,
        stake_limit: (parse_ether("150000").unwrap(), parse_ether("20").unwrap()),
        beacon: BeaconSpec::default(),
        stop_after: None,
    }
}

pub(crate) fn temp_manifest(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lsctl-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir.join("devnet.json")
}
