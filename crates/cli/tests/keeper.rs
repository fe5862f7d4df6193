//! `lsctl keeper execute-sends` (the binary) on the devnet: an L2-to-L1 send (ArbSys's
//! `withdrawEth`) waits through the challenge period, is executed on the real Outbox with
//! NodeInterface's proof once its root is posted, pays its ether on L1, and is not executed
//! twice.

use std::process::Command;

use alloy_network::{EthereumWallet, TransactionBuilder};
use alloy_primitives::{utils::parse_ether, Address, U256};
use alloy_provider::{Provider, ProviderBuilder};
use alloy_rpc_types_eth::TransactionRequest;
use alloy_signer_local::PrivateKeySigner;
use alloy_sol_types::{sol, SolCall};
use devnet::{dev_account, Config, Devnet};

sol! {
    function withdrawEth(address destination) external payable returns (uint256);
}

fn lsctl(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_lsctl")).args(args).output().expect("lsctl runs");
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "lsctl {args:?}:\n{text}");
    text
}

#[test]
fn a_send_waits_for_its_root_then_is_executed_once_on_the_outbox() {
    let devnet = Devnet::start(&Config::ephemeral()).expect("the devnet starts");
    let dir = std::env::temp_dir().join(format!("lsctl-keeper-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let journal = dir.join("keeper.json");
    let (l2_url, l1_url) = (devnet.l2_url(), devnet.l1_url());
    let keeper_key = dev_account(4).key.to_string();
    let args = [
        "keeper",
        "execute-sends",
        "--journal",
        journal.to_str().unwrap(),
        "--l2",
        &l2_url,
        "--l1",
        &l1_url,
        "--key",
        &keeper_key,
    ];
    let destination = Address::repeat_byte(0xd5);
    let rt =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let challenge_blocks = devnet.with_node(|n| n.worlds.config().challenge_period_blocks);
    rt.block_on(async {
        let wallet =
            EthereumWallet::from(PrivateKeySigner::from_bytes(&dev_account(5).key).unwrap());
        let l2 = ProviderBuilder::new().wallet(wallet).on_http(l2_url.parse().unwrap());
        let tx = TransactionRequest::default()
            .with_to(Address::with_last_byte(0x64))
            .with_value(parse_ether("1").unwrap())
            .with_input(withdrawEthCall { destination }.abi_encode());
        assert!(l2.send_transaction(tx).await.unwrap().get_receipt().await.unwrap().status());
    });

    let text = lsctl(&args);
    assert!(text.contains("0 executed") && text.contains("1 waiting"), "{text}");
    rt.block_on(async {
        let l2 = ProviderBuilder::new().on_http(l2_url.parse().unwrap());
        let seconds = U256::from(challenge_blocks * 12 + 600);
        let _: U256 = l2.raw_request("evm_increaseTime".into(), (seconds,)).await.unwrap();
    });
    let text = lsctl(&args);
    assert!(text.contains("1 executed"), "{text}");
    rt.block_on(async {
        let l1 = ProviderBuilder::new().on_http(l1_url.parse().unwrap());
        assert_eq!(l1.get_balance(destination).await.unwrap(), parse_ether("1").unwrap());
    });
    let text = lsctl(&args);
    assert!(text.contains("0 executed, 1 already executed"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
    devnet.stop();
}
