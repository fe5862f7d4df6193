//! The devnet's beacon API (crates/devnet/src/beacon.rs) through plain HTTP, as a beacon
//! client library reads it: the standard shapes, slots following L1's clock, finality two
//! epochs behind, refusals (a slot past the head, a root, a POST) with the API's error shape.
//! Validators appearing from the deposit contract and their balances are tested through the
//! committee (crates/cli/tests/operations.rs).

use alloy_primitives::U256;
use alloy_provider::{Provider, ProviderBuilder};
use devnet::{Config, Devnet};
use serde_json::Value;

async fn get(url: &str) -> (u16, Value) {
    let r = reqwest::get(url).await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

fn slot(v: &Value) -> u64 {
    v["data"]["header"]["message"]["slot"].as_str().unwrap().parse().unwrap()
}

#[test]
fn the_beacon_api_follows_l1_and_refuses_clearly() {
    let devnet = Devnet::start(&Config::ephemeral()).expect("the devnet starts");
    let (b, l1) = (devnet.beacon_url(), devnet.l1_url());
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let (code, g) = get(&format!("{b}/eth/v1/beacon/genesis")).await;
        assert_eq!(code, 200);
        assert_eq!(g["data"]["genesis_time"], "1606824023");
        assert_eq!(g["data"]["genesis_fork_version"], "0x00000000");
        let (_, spec) = get(&format!("{b}/eth/v1/config/spec")).await;
        assert_eq!(spec["data"]["SECONDS_PER_SLOT"], "12");
        assert_eq!(spec["data"]["SLOTS_PER_EPOCH"], "32");
        // The head is the slot of L1's latest block, whose block the head block carries.
        let l1p = ProviderBuilder::new().on_http(l1.parse().unwrap());
        let latest = l1p.get_block_number().await.unwrap();
        let block = l1p
            .get_block_by_number(latest.into(), alloy_rpc_types_eth::BlockTransactionsKind::Hashes)
            .await
            .unwrap()
            .unwrap();
        let (_, head) = get(&format!("{b}/eth/v1/beacon/headers/head")).await;
        let head_slot = slot(&head);
        assert_eq!(head_slot, (block.header.timestamp - 1_606_824_023) / 12);
        let (_, blk) = get(&format!("{b}/eth/v2/beacon/blocks/head")).await;
        let number = &blk["data"]["message"]["body"]["execution_payload"]["block_number"];
        assert_eq!(number, &Value::from(latest.to_string()));
        // Time moves: the head follows, finality two epochs behind.
        let _: U256 =
            l1p.raw_request("evm_increaseTime".into(), (U256::from(3 * 384),)).await.unwrap();
        let (_, head2) = get(&format!("{b}/eth/v1/beacon/headers/head")).await;
        assert_eq!(slot(&head2), head_slot + 96);
        let (_, fin) = get(&format!("{b}/eth/v1/beacon/headers/finalized")).await;
        assert_eq!(slot(&fin), (slot(&head2) / 32 - 2) * 32);
        assert_eq!(fin["finalized"], true);
        // No validators yet.
        let (code, v) = get(&format!("{b}/eth/v1/beacon/states/head/validators")).await;
        assert_eq!((code, v["data"].as_array().unwrap().len()), (200, 0));
        // Refusals, in the API's shape.
        let (code, e) = get(&format!("{b}/eth/v1/beacon/headers/{}", slot(&head2) + 1)).await;
        assert_eq!((code, e["code"].as_u64()), (404, Some(404)));
        let (code, _) = get(&format!("{b}/eth/v1/beacon/states/0xabcd/validators")).await;
        assert_eq!(code, 400);
        let (code, _) = get(&format!("{b}/eth/v1/beacon/headers/tomorrow")).await;
        assert_eq!(code, 400);
        let (code, _) = get(&format!("{b}/eth/v1/nothing")).await;
        assert_eq!(code, 404);
        let posted = reqwest::Client::new().post(format!("{b}/eth/v1/beacon/genesis")).send().await;
        assert_eq!(posted.unwrap().status().as_u16(), 405);
        // A slot before L1's first block has no execution block (and does not crash the node).
        let (code, _) = get(&format!("{b}/eth/v2/beacon/blocks/{}", head_slot - 1)).await;
        assert_eq!(code, 404);
        let (code, _) = get(&format!("{b}/eth/v1/node/syncing")).await;
        assert_eq!(code, 200);
    });
    devnet.stop();
}
