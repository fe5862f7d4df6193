//! `lsctl devnet --deploy` (the binary, from the repository's root as a user runs it): one
//! command starts the devnet and deploys the suite on it; the manifest is complete, the pool
//! answers over JSON-RPC, and Ctrl-C stops it cleanly.

mod common;

use std::{
    io::{BufRead, BufReader},
    process::{Command, Stdio},
};

use alloy_provider::Provider;
use staking_cli::{abi::IStakingPool as P, protocol::view};

#[test]
fn one_command_starts_the_devnet_with_the_suite_deployed() {
    let manifest = common::temp_manifest("up");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lsctl"))
        .current_dir(common::root())
        .args(["devnet", "--deploy", "--manifest", manifest.to_str().unwrap()])
        .args(["--l2-port", "0", "--l1-port", "0", "--beacon-port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .expect("lsctl runs");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    for line in lines.by_ref() {
        let line = line.unwrap();
        let ready = line == "ready";
        seen.push(line);
        if ready {
            break;
        }
    }
    let text = seen.join("\n");
    assert!(text.contains("deployed: 9"), "{text}");
    let l2 = seen
        .iter()
        .find_map(|l| l.strip_prefix("L2 (Arbitrum, Stylus) chain 412346: "))
        .expect("the L2 endpoint")
        .to_string();
    let protocol = staking_cli::protocol::Protocol::from_manifest(&manifest).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let p = staking_cli::protocol::reader("l2", &l2).unwrap();
        assert_eq!(p.get_chain_id().await.unwrap(), devnet::L2_CHAIN_ID);
        assert!(view(&p, protocol.pool, &P::isInitializedCall {}, None).await.unwrap()._0);
    });
    // Ctrl-C.
    let status = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let rest: Vec<String> = lines.map(Result::unwrap).collect();
    assert!(rest.iter().any(|l| l == "stopped"), "{rest:?}");
    assert!(child.wait().unwrap().success());
    let _ = std::fs::remove_dir_all(manifest.parent().unwrap());
}
