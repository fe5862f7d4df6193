//! `lsctl deploy` against the devnet through JSON-RPC: the whole suite with a governance
//! Safe, a run stopped and resumed, a transaction left in flight, reruns that send nothing, the
//! handover (the Safe holds every role, the deployer none), the suite working for a user, and
//! the refusals a wrong endpoint, chain, key or manifest gets.

use alloy_network::{EthereumWallet, TransactionBuilder};
use alloy_primitives::{utils::parse_ether, Address, U256};
use alloy_provider::{Provider, ProviderBuilder};
use alloy_rpc_types_eth::TransactionRequest;
use alloy_signer_local::PrivateKeySigner;
use alloy_sol_types::SolCall;
use devnet::{dev_account, Config, Devnet};
mod common;

use common::{config, temp_manifest};
use staking_cli::{
    abi::{IAccessManager, ISafe, IStakingPool},
    chain::{Call, Chain},
    deploy::{deploy, DeployConfig},
    manifest::ManifestFile,
    CliError,
};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

#[test]
fn the_suite_deploys_resumes_hands_over_and_serves_a_user() {
    let devnet = Devnet::start(&Config::ephemeral()).expect("the devnet starts");
    let path = temp_manifest("resume");
    let deployer = dev_account(0).address;
    rt().block_on(async {
        let l2 = ProviderBuilder::new().on_http(devnet.l2_url().parse().unwrap());

        // A transaction left in flight: signed, recorded as pending, sent, never waited for.
        let chain = Chain::connect("l2", &devnet.l2_url(), &dev_account(0).key.to_string(), None)
            .await
            .unwrap();
        let mut file = ManifestFile::open(&path).unwrap();
        file.manifest.network = "devnet".into();
        file.manifest.l2_chain_id = devnet::L2_CHAIN_ID;
        file.manifest.l1_chain_id = devnet::L1_CHAIN_ID;
        file.manifest.deployer = deployer;
        let (init, _) = artifact("SafeL2");
        let pending = chain
            .sign_and_send(
                &mut file,
                "deploy SafeL2",
                Call { to: None, value: U256::ZERO, data: init },
            )
            .await
            .unwrap();
        assert_eq!(l2.get_transaction_count(deployer).await.unwrap(), 1);

        // A run stopped after 10 new transactions: the one in flight is recorded from its
        // receipt, not sent again.
        let stopped =
            deploy(DeployConfig { stop_after: Some(10), ..config(&devnet, path.clone()) })
                .await
                .unwrap();
        assert!(!stopped.complete);
        assert_eq!(stopped.sent, 10);
        assert_eq!(
            stopped.manifest.steps[0].tx, pending.tx,
            "the in-flight step, from its receipt"
        );
        assert!(stopped.manifest.pending.is_none());
        assert_eq!(
            l2.get_transaction_count(deployer).await.unwrap(),
            11,
            "the pending one, finished first, and 10 more"
        );

        // The rerun finishes; another sends nothing.
        let done = deploy(config(&devnet, path.clone())).await.unwrap();
        assert!(done.complete);
        let l2_txs =
            done.manifest.steps.iter().filter(|s| s.chain == "l2" && !s.tx.is_zero()).count()
                as u64;
        assert_eq!(
            l2.get_transaction_count(deployer).await.unwrap(),
            l2_txs,
            "one transaction per L2 step"
        );
        let again = deploy(config(&devnet, path.clone())).await.unwrap();
        assert_eq!(again.sent, 0);
        assert_eq!(l2.get_transaction_count(deployer).await.unwrap(), l2_txs);
        println!(
            "deployment: {} steps, {} L2 transactions, {} L2 gas in all",
            done.manifest.steps.len(),
            l2_txs,
            done.manifest.steps.iter().filter(|s| s.chain == "l2").map(|s| s.gas_used).sum::<u64>()
        );

        // The handover: the Safe holds every role, the deployer none.
        let c = &done.manifest.contracts;
        let (safe, manager, pool) = (c["governance"], c["access-manager"], c["staking-pool"]);
        let view = |to: Address, data: Vec<u8>| {
            let l2 = l2.clone();
            async move {
                l2.call(&TransactionRequest::default().with_to(to).with_input(data)).await.unwrap()
            }
        };
        for role in staking_common::roles::ALL {
            let out =
                view(manager, IAccessManager::hasRoleCall { role, account: safe }.abi_encode())
                    .await;
            assert!(IAccessManager::hasRoleCall::abi_decode_returns(&out, true).unwrap()._0);
            let out =
                view(manager, IAccessManager::hasRoleCall { role, account: deployer }.abi_encode())
                    .await;
            assert!(!IAccessManager::hasRoleCall::abi_decode_returns(&out, true).unwrap()._0);
        }
        let out = view(safe, ISafe::getThresholdCall {}.abi_encode()).await;
        assert_eq!(
            ISafe::getThresholdCall::abi_decode_returns(&out, true).unwrap()._0,
            U256::from(2)
        );
        let out = view(safe, ISafe::getOwnersCall {}.abi_encode()).await;
        assert_eq!(ISafe::getOwnersCall::abi_decode_returns(&out, true).unwrap()._0.len(), 3);
        // The wiring the pool reports.
        let out = view(pool, IStakingPool::l1VaultCall {}.abi_encode()).await;
        assert_eq!(
            IStakingPool::l1VaultCall::abi_decode_returns(&out, true).unwrap()._0,
            c["l1-vault"]
        );

        // A user stakes through JSON-RPC and holds the receipt token.
        let user = dev_account(5);
        let wallet = EthereumWallet::from(PrivateKeySigner::from_bytes(&user.key).unwrap());
        let provider =
            ProviderBuilder::new().wallet(wallet).on_http(devnet.l2_url().parse().unwrap());
        let tx = TransactionRequest::default()
            .with_to(pool)
            .with_value(parse_ether("3").unwrap())
            .with_input(IStakingPool::depositCall { referral: Address::ZERO }.abi_encode());
        let receipt = provider.send_transaction(tx).await.unwrap().get_receipt().await.unwrap();
        assert!(receipt.status());
        let out =
            view(pool, IStakingPool::balanceOfCall { account: user.address }.abi_encode()).await;
        let balance = IStakingPool::balanceOfCall::abi_decode_returns(&out, true).unwrap()._0;
        assert!(balance + U256::from(1) >= parse_ether("3").unwrap(), "{balance}");
        // The vault is on L1.
        let l1 = ProviderBuilder::new().on_http(devnet.l1_url().parse().unwrap());
        assert!(!l1.get_code_at(c["l1-vault"]).await.unwrap().is_empty());
    });
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
    devnet.stop();
}

fn artifact(name: &str) -> (Vec<u8>, Vec<u8>) {
    let a = worlds::Artifact::load(name).expect("scripts/evm-build ran");
    (a.bytecode.to_vec(), a.deployed_bytecode.to_vec())
}

#[test]
fn wrong_endpoints_chains_keys_and_manifests_are_refused_before_anything_is_sent() {
    let devnet = Devnet::start(&Config::ephemeral()).expect("the devnet starts");
    let path = temp_manifest("refusals");
    rt().block_on(async {
        let base = config(&devnet, path.clone());
        let e =
            deploy(DeployConfig { l2_chain_id: Some(42_161), ..base.clone() }).await.unwrap_err();
        assert!(matches!(&e, CliError::Endpoint(m) if m.contains("expected chain 42161")), "{e}");
        let e = deploy(DeployConfig { l2_url: "http://127.0.0.1:1".into(), ..base.clone() })
            .await
            .unwrap_err();
        assert!(matches!(&e, CliError::Endpoint(m) if m.contains("does not answer")), "{e}");
        let e =
            deploy(DeployConfig { l1_url: "not a url".into(), ..base.clone() }).await.unwrap_err();
        assert!(matches!(e, CliError::Usage(_)), "{e}");
        let e = deploy(DeployConfig { key: "0x1234".into(), ..base.clone() }).await.unwrap_err();
        assert!(matches!(&e, CliError::Usage(m) if m.contains("not a private key")), "{e}");
        let e = deploy(DeployConfig { safe_owners: Vec::new(), ..base.clone() }).await.unwrap_err();
        assert!(matches!(&e, CliError::Usage(m) if m.contains("Safe's owners")), "{e}");
        // A manifest of another network or deployer.
        let theirs = temp_manifest("other");
        let other = DeployConfig {
            network: "elsewhere".into(),
            stop_after: Some(1),
            manifest: theirs.clone(),
            ..base.clone()
        };
        deploy(other).await.unwrap();
        let e =
            deploy(DeployConfig { manifest: theirs.clone(), ..base.clone() }).await.unwrap_err();
        assert!(
            matches!(&e, CliError::Manifest(m) if m.contains("belongs to network elsewhere")),
            "{e}"
        );
        // The same network with other inputs: other addresses, so refused.
        let changed = DeployConfig {
            network: "elsewhere".into(),
            manifest: theirs.clone(),
            stake_limit: (parse_ether("1").unwrap(), parse_ether("1").unwrap()),
            ..base.clone()
        };
        let e = deploy(changed).await.unwrap_err();
        assert!(matches!(&e, CliError::Manifest(m) if m.contains("other inputs")), "{e}");
        let _ = std::fs::remove_dir_all(theirs.parent().unwrap());
        // A deployer without ether: the node's refusal, with nothing recorded as done.
        let poor = format!("{}", alloy_primitives::keccak256("lsctl test: no ether"));
        let fresh = temp_manifest("poor");
        let e = deploy(DeployConfig { key: poor, manifest: fresh.clone(), ..base.clone() })
            .await
            .unwrap_err();
        assert!(matches!(e, CliError::Reverted(_) | CliError::Refused(_)), "{e}");
        let file = ManifestFile::open(&fresh).unwrap();
        assert!(file.manifest.steps.is_empty());
        let _ = std::fs::remove_dir_all(fresh.parent().unwrap());
    });
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
    devnet.stop();
}
