//! The devnet through JSON-RPC with a real client library: alloy's provider over HTTP (the
//! library cargo-stylus uses), its wallet filler signing EIP-1559 transactions.

use std::time::Instant;

use alloy_network::{EthereumWallet, TransactionBuilder};
use alloy_primitives::{utils::parse_ether, Address, B256, U256};
use alloy_provider::{Provider, ProviderBuilder};
use alloy_rpc_types_eth::{BlockNumberOrTag, BlockTransactionsKind, Filter, TransactionRequest};
use alloy_signer_local::PrivateKeySigner;
use alloy_sol_types::{sol, SolCall, SolEvent};
use devnet::{dev_account, node::NETWORK_FEE_ACCOUNT, Config, Devnet};
use serde_json::Value;

sol! {
    function deposit() payable;
    function withdraw(uint256 wad);
    function balanceOf(address who) view returns (uint256);
    event Deposit(address indexed dst, uint256 wad);
    function depositEth() payable returns (uint256);
}

fn signer(key: B256) -> PrivateKeySigner {
    PrivateKeySigner::from_bytes(&key).expect("a dev key")
}

fn url(s: &str) -> reqwest::Url {
    s.parse().expect("an endpoint url")
}

/// A wallet-filled provider for dev account `index` on `endpoint`.
fn wallet(endpoint: &str, index: usize) -> impl Provider + Clone {
    let wallet = EthereumWallet::from(signer(dev_account(index).key));
    ProviderBuilder::new().wallet(wallet).on_http(url(endpoint))
}

fn code_of(e: &alloy_transport::TransportError) -> Option<i64> {
    e.as_error_resp().map(|p| p.code)
}

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("a runtime")
}

#[test]
fn a_transfer_is_mined_with_its_receipt_block_and_fee() {
    let devnet = Devnet::start(&Config::ephemeral()).expect("the devnet starts");
    rt().block_on(async {
        let l2 = wallet(&devnet.l2_url(), 0);
        assert_eq!(l2.get_chain_id().await.unwrap(), devnet::L2_CHAIN_ID);
        let me = dev_account(0).address;
        let to = Address::repeat_byte(0x77);
        let before = l2.get_balance(me).await.unwrap();
        let fees_before = l2.get_balance(NETWORK_FEE_ACCOUNT).await.unwrap();
        let tx = TransactionRequest::default().with_to(to).with_value(parse_ether("1.5").unwrap());
        let receipt = l2.send_transaction(tx).await.unwrap().get_receipt().await.unwrap();
        assert!(receipt.status());
        assert_eq!(receipt.from, me);
        assert_eq!(receipt.gas_used, 21_000);
        assert_eq!(l2.get_balance(to).await.unwrap(), parse_ether("1.5").unwrap());
        let fee = U256::from(receipt.gas_used) * U256::from(receipt.effective_gas_price);
        assert_eq!(receipt.effective_gas_price, 10_000_000, "L2's base fee, no tip");
        assert_eq!(l2.get_balance(me).await.unwrap(), before - parse_ether("1.5").unwrap() - fee);
        assert_eq!(l2.get_balance(NETWORK_FEE_ACCOUNT).await.unwrap(), fees_before + fee);
        assert_eq!(l2.get_transaction_count(me).await.unwrap(), 1);

        // The block holds it; the transaction reads back as signed.
        let number = receipt.block_number.unwrap();
        assert_eq!(l2.get_block_number().await.unwrap(), number);
        let block = l2
            .get_block_by_number(BlockNumberOrTag::Number(number), BlockTransactionsKind::Full)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(block.header.hash, receipt.block_hash.unwrap());
        assert_eq!(block.transactions.len(), 1);
        let sent = l2.get_transaction_by_hash(receipt.transaction_hash).await.unwrap().unwrap();
        assert_eq!(sent.from, me);
        let parent = l2
            .get_block_by_number(
                BlockNumberOrTag::Number(number - 1),
                BlockTransactionsKind::Hashes,
            )
            .await
            .unwrap()
            .unwrap();
        assert_eq!(block.header.parent_hash, parent.header.hash);

        // L1 too, with Ethereum's fees: the tip goes to the fee recipient, the base fee burns.
        let l1 = wallet(&devnet.l1_url(), 0);
        assert_eq!(l1.get_chain_id().await.unwrap(), devnet::L1_CHAIN_ID);
        let fees = l1.estimate_eip1559_fees(None).await.unwrap();
        assert!(fees.max_fee_per_gas > 0);
        let l1_block = l1.get_block_number().await.unwrap();
        let tx = TransactionRequest::default().with_to(to).with_value(U256::from(7));
        let receipt = l1.send_transaction(tx).await.unwrap().get_receipt().await.unwrap();
        assert!(receipt.status());
        assert_eq!(receipt.block_number, Some(l1_block + 1), "each transaction seals a block");
        assert_eq!(l1.get_balance(to).await.unwrap(), U256::from(7));
    });
    devnet.stop();
}

#[test]
fn contracts_deploy_emit_logs_and_revert_with_data() {
    let devnet = Devnet::start(&Config::ephemeral()).expect("the devnet starts");
    let weth = worlds::Artifact::load("WETH9").expect("scripts/evm-build ran");
    rt().block_on(async {
        let l2 = wallet(&devnet.l2_url(), 1);
        let me = dev_account(1).address;
        let create = TransactionRequest::default().with_deploy_code(weth.bytecode.clone());
        let receipt = l2.send_transaction(create).await.unwrap().get_receipt().await.unwrap();
        let weth = receipt.contract_address.expect("a creation receipt names the contract");
        assert!(!l2.get_code_at(weth).await.unwrap().is_empty());

        let wad = parse_ether("2").unwrap();
        let tx = TransactionRequest::default()
            .with_to(weth)
            .with_value(wad)
            .with_input(depositCall {}.abi_encode());
        let receipt = l2.send_transaction(tx).await.unwrap().get_receipt().await.unwrap();
        assert!(receipt.status());
        let logs = receipt.inner.logs();
        assert_eq!(logs.len(), 1);
        let event = Deposit::decode_log_data(logs[0].data(), true).unwrap();
        assert_eq!((event.dst, event.wad), (me, wad));

        // A view through eth_call.
        let call = TransactionRequest::default()
            .with_to(weth)
            .with_input(balanceOfCall { who: me }.abi_encode());
        let out = l2.call(&call).await.unwrap();
        assert_eq!(balanceOfCall::abi_decode_returns(&out, true).unwrap()._0, wad);

        // eth_getLogs by address and topic, and a filter that polls.
        let filter =
            Filter::new().address(weth).event_signature(Deposit::SIGNATURE_HASH).from_block(0);
        let found = l2.get_logs(&filter).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].transaction_hash, Some(receipt.transaction_hash));
        let none = l2
            .get_logs(&Filter::new().address(Address::repeat_byte(1)).from_block(0))
            .await
            .unwrap();
        assert!(none.is_empty());
        let id: U256 =
            l2.raw_request("eth_newFilter".into(), (Filter::new().address(weth),)).await.unwrap();
        let tx = TransactionRequest::default()
            .with_to(weth)
            .with_value(U256::from(5))
            .with_input(depositCall {}.abi_encode());
        l2.send_transaction(tx).await.unwrap().get_receipt().await.unwrap();
        let changes: Vec<Value> =
            l2.raw_request("eth_getFilterChanges".into(), (id,)).await.unwrap();
        assert_eq!(changes.len(), 1, "the new deposit only");
        let again: Vec<Value> = l2.raw_request("eth_getFilterChanges".into(), (id,)).await.unwrap();
        assert!(again.is_empty());

        // A revert: estimateGas and eth_call answer geth's code 3 with the data; a reverting
        // transaction sent with a fixed gas limit is mined with status 0.
        let too_much = TransactionRequest::default()
            .with_to(weth)
            .with_input(withdrawCall { wad: parse_ether("100").unwrap() }.abi_encode());
        let e = l2.estimate_gas(&too_much).await.unwrap_err();
        assert_eq!(code_of(&e), Some(3), "{e}");
        assert!(e.to_string().contains("execution reverted"), "{e}");
        let e = l2.call(&too_much).await.unwrap_err();
        assert_eq!(code_of(&e), Some(3), "{e}");
        let receipt = l2
            .send_transaction(too_much.with_gas_limit(100_000))
            .await
            .unwrap()
            .get_receipt()
            .await
            .unwrap();
        assert!(!receipt.status());
        assert!(receipt.inner.logs().is_empty());
    });
    devnet.stop();
}

#[test]
fn refusals_are_clear_and_change_nothing() {
    let devnet = Devnet::start(&Config::ephemeral()).expect("the devnet starts");
    rt().block_on(async {
        let plain = ProviderBuilder::new().on_http(url(&devnet.l2_url()));
        let me = dev_account(2).address;
        let key = signer(dev_account(2).key);
        let to = Address::repeat_byte(0x55);
        let sign = |chain_id: u64, nonce: u64, value: U256| {
            let tx = TransactionRequest::default()
                .with_from(me)
                .with_to(to)
                .with_value(value)
                .with_nonce(nonce)
                .with_chain_id(chain_id)
                .with_gas_limit(21_000)
                .with_max_fee_per_gas(1_000_000_000)
                .with_max_priority_fee_per_gas(0);
            let wallet = EthereumWallet::from(key.clone());
            async move {
                let envelope = tx.build(&wallet).await.unwrap();
                alloy_eips::eip2718::Encodable2718::encoded_2718(&envelope)
            }
        };
        // Signed for Ethereum: refused, nothing changes.
        let raw = sign(1, 0, U256::from(1)).await;
        let e = plain.send_raw_transaction(&raw).await.unwrap_err();
        assert!(e.to_string().contains("invalid chain id"), "{e}");
        assert_eq!(plain.get_transaction_count(me).await.unwrap(), 0);
        // A nonce ahead.
        let raw = sign(devnet::L2_CHAIN_ID, 5, U256::from(1)).await;
        let e = plain.send_raw_transaction(&raw).await.unwrap_err();
        assert!(e.to_string().contains("nonce too high"), "{e}");
        // More than the balance.
        let raw = sign(devnet::L2_CHAIN_ID, 0, U256::MAX >> 1).await;
        let e = plain.send_raw_transaction(&raw).await.unwrap_err();
        assert!(e.to_string().contains("insufficient funds"), "{e}");
        // Accepted once; the same bytes again are known, an old nonce is too low.
        let raw = sign(devnet::L2_CHAIN_ID, 0, U256::from(1)).await;
        plain.send_raw_transaction(&raw).await.unwrap().get_receipt().await.unwrap();
        let e = plain.send_raw_transaction(&raw).await.unwrap_err();
        assert!(e.to_string().contains("already known"), "{e}");
        let raw = sign(devnet::L2_CHAIN_ID, 0, U256::from(2)).await;
        let e = plain.send_raw_transaction(&raw).await.unwrap_err();
        assert!(e.to_string().contains("nonce too low"), "{e}");
        assert_eq!(plain.get_balance(to).await.unwrap(), U256::from(1));
        // Garbage, unknown methods, old state, wrong shapes.
        let e = plain.send_raw_transaction(&[0x02, 0x01]).await.unwrap_err();
        assert!(e.to_string().contains("invalid transaction"), "{e}");
        let e =
            plain.raw_request::<_, Value>("eth_fillTransaction".into(), ((),)).await.unwrap_err();
        assert_eq!(code_of(&e), Some(-32601));
        // State at recent blocks, as a full node keeps it: before and after the transfer;
        // none before the first kept state, nor in the future.
        let mined = plain.get_block_number().await.unwrap();
        assert_eq!(plain.get_balance(to).number(mined).await.unwrap(), U256::from(1));
        assert_eq!(plain.get_balance(to).number(mined - 1).await.unwrap(), U256::ZERO);
        assert_eq!(plain.get_balance(to).number(0).await.unwrap(), U256::ZERO);
        let e = plain.get_balance(me).number(mined + 1).await.unwrap_err();
        assert!(e.to_string().contains("header not found"), "{e}");
        let e =
            plain.raw_request::<_, Value>("eth_getBalance".into(), ("0x12",)).await.unwrap_err();
        assert_eq!(code_of(&e), Some(-32602));
        let e =
            plain.raw_request::<_, Value>("eth_sendTransaction".into(), ((),)).await.unwrap_err();
        assert!(e.to_string().contains("holds no keys"), "{e}");
    });
    // A batch, a notification and a malformed body, through plain HTTP.
    rt().block_on(async {
        let client = reqwest::Client::new();
        let post = |body: &'static str| {
            let request = client.post(devnet.l2_url()).header("content-type", "application/json").body(body);
            async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
        };
        let answer = post(r#"[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","method":"eth_chainId"},{"jsonrpc":"2.0","id":"x","method":"nope"}]"#).await;
        let answers = answer.as_array().unwrap();
        assert_eq!(answers.len(), 2, "the notification gets no answer");
        assert_eq!(answers[0]["result"], "0x64aba");
        assert_eq!(answers[1]["id"], "x");
        assert_eq!(answers[1]["error"]["code"], -32601);
        assert_eq!(post("{not json").await["error"]["code"], -32700);
        assert_eq!(post("[]").await["error"]["code"], -32600);
    });
    devnet.stop();
}

#[test]
fn the_relay_carries_an_l1_deposit_to_l2_when_time_moves() {
    let devnet = Devnet::start(&Config::ephemeral()).expect("the devnet starts");
    let inbox = devnet.with_node(|node| node.worlds.contracts.inbox);
    rt().block_on(async {
        let l1 = wallet(&devnet.l1_url(), 3);
        let l2 = ProviderBuilder::new().on_http(url(&devnet.l2_url()));
        let me = dev_account(3).address;
        let before = l2.get_balance(me).await.unwrap();
        let tx = TransactionRequest::default()
            .with_to(inbox)
            .with_value(parse_ether("3").unwrap())
            .with_input(depositEthCall {}.abi_encode());
        let receipt = l1.send_transaction(tx).await.unwrap().get_receipt().await.unwrap();
        assert!(receipt.status(), "Inbox.depositEth");
        assert_eq!(l2.get_balance(me).await.unwrap(), before, "not before the delay");
        let t0: U256 =
            l2.raw_request("evm_increaseTime".into(), (U256::from(15 * 60),)).await.unwrap();
        assert!(t0 > U256::ZERO);
        assert_eq!(l2.get_balance(me).await.unwrap(), before + parse_ether("3").unwrap());
        // The deposit is an L2 system transaction in the ledger.
        let latest = l2.get_block_number().await.unwrap();
        let ts = l2
            .get_block_by_number(BlockNumberOrTag::Latest, BlockTransactionsKind::Hashes)
            .await
            .unwrap()
            .unwrap()
            .header
            .timestamp;
        assert_eq!(U256::from(ts), t0);
        assert!(latest >= 2);
    });
    devnet.stop();
}

/// The bounded load test: many clients at once, thousands of transactions, nothing lost.
#[test]
fn many_clients_and_thousands_of_transactions_lose_nothing() {
    const CLIENTS: usize = 16;
    const PER_CLIENT: u64 = 150;
    let config = Config { accounts: CLIENTS, ..Config::ephemeral() };
    let devnet = Devnet::start(&config).expect("the devnet starts");
    let endpoint = devnet.l2_url();
    let started = Instant::now();
    let sink = Address::repeat_byte(0x99);
    let hashes = rt().block_on(async {
        let mut tasks = Vec::new();
        for client in 0..CLIENTS {
            let endpoint = endpoint.clone();
            tasks.push(tokio::spawn(async move {
                let provider = ProviderBuilder::new().on_http(url(&endpoint));
                let key = signer(dev_account(client).key);
                let wallet = EthereumWallet::from(key);
                let mut hashes = Vec::new();
                for nonce in 0..PER_CLIENT {
                    let tx = TransactionRequest::default()
                        .with_to(sink)
                        .with_value(U256::from(1_000 + client))
                        .with_nonce(nonce)
                        .with_chain_id(devnet::L2_CHAIN_ID)
                        .with_gas_limit(21_000)
                        .with_max_fee_per_gas(20_000_000)
                        .with_max_priority_fee_per_gas(0);
                    let raw = alloy_eips::eip2718::Encodable2718::encoded_2718(
                        &tx.build(&wallet).await.unwrap(),
                    );
                    let pending = provider.send_raw_transaction(&raw).await.unwrap();
                    hashes.push(*pending.tx_hash());
                }
                hashes
            }));
        }
        let mut all = Vec::new();
        for task in tasks {
            all.extend(task.await.unwrap());
        }
        all
    });
    let elapsed = started.elapsed();
    let total = CLIENTS as u64 * PER_CLIENT;
    assert_eq!(hashes.len() as u64, total);
    rt().block_on(async {
        let provider = ProviderBuilder::new().on_http(url(&endpoint));
        let mut blocks = std::collections::HashSet::new();
        for hash in &hashes {
            let receipt = provider
                .get_transaction_receipt(*hash)
                .await
                .unwrap()
                .expect("every transaction has a receipt");
            assert!(receipt.status());
            assert!(blocks.insert(receipt.block_number.unwrap()), "one block per transaction");
        }
        let expected: u64 = (0..CLIENTS as u64).map(|c| (1_000 + c) * PER_CLIENT).sum();
        assert_eq!(provider.get_balance(sink).await.unwrap(), U256::from(expected));
        for client in 0..CLIENTS {
            assert_eq!(
                provider.get_transaction_count(dev_account(client).address).await.unwrap(),
                PER_CLIENT
            );
        }
        assert_eq!(provider.get_block_number().await.unwrap(), total);
        // Recent states are kept, older ones pruned, as on a full node.
        let kept = total - devnet::node::STATE_HISTORY as u64 + 1;
        assert!(!provider.get_balance(sink).number(kept).await.unwrap().is_zero());
        let e = provider.get_balance(sink).number(kept - 2).await.unwrap_err();
        assert!(e.to_string().contains("missing trie node"), "{e}");
    });
    println!(
        "load: {CLIENTS} clients, {total} transactions in {:.2} s ({:.0} tx/s)",
        elapsed.as_secs_f64(),
        f64::from(u32::try_from(total).unwrap()) / elapsed.as_secs_f64()
    );
    devnet.stop();
}
