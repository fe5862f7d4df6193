//! The L1 world: Ethereum's rules on revm, the beacon deposit contract, and Arbitrum's real
//! Bridge, Inbox and Outbox. A module of the `worlds` test binary; the Solidity artifacts must
//! exist (`scripts/evm-build`).
//!
//! Gas figures are printed (`cargo test -p worlds -- --nocapture`), not asserted: they are
//! measurements of the compiled contracts, checked only for sanity.

use alloy_primitives::{address, hex, keccak256, Address, Bytes, Log, B256, U256};
use alloy_sol_types::{Revert, SolCall, SolError, SolEvent, SolValue};
use sha2::{Digest, Sha256};
use staking_common::deposit_data::{deposit_data_root, withdrawal_credentials};
use worlds::abi::{
    AlreadySpent, IBridge, IDepositContract, IEvmCallee, IInbox, IOutbox, IProxyAdmin,
    IReceiptTokenHolder, IRollupStandIn, InsufficientSubmissionCost, InsufficientValue, NotRollup,
    UnknownRoot, IERC20,
};
use worlds::bridge::{KIND_ETH_DEPOSIT, KIND_SUBMIT_RETRYABLE, MAX_DATA_SIZE};
use worlds::l1::{
    DEFAULT_BASE_FEE, DEFAULT_PRIORITY_FEE, FEE_RECIPIENT, GENESIS_BLOCK, GENESIS_TIMESTAMP,
    SECONDS_PER_BLOCK, TX_GAS_LIMIT_CAP,
};
use worlds::{
    apply_l1_to_l2_alias, outbox_root, undo_l1_to_l2_alias, Artifact, ArtifactError,
    DelayedPayload, L1Contracts, L1Error, L1Receipt, L2ToL1Message, RetryableTicket,
    SubmitRetryable, DEPOSIT_CONTRACT_ADDRESS, L1,
};

const ADMIN: Address = address!("00000000000000000000000000000000000ad000");
const ALICE: Address = address!("000000000000000000000000000000000a11ce00");
const BOB: Address = address!("0000000000000000000000000000000000b0b000");
const KEEPER: Address = address!("00000000000000000000000000000000000ee900");
const NOBODY: Address = address!("0000000000000000000000000000000000000077");

fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64.pow(18))
}

fn gwei(n: u64) -> U256 {
    U256::from(n) * U256::from(10u64.pow(9))
}

/// A fresh L1 with the bridge and the deposit contract, Alice, Bob and the keeper funded.
fn world() -> (L1, L1Contracts) {
    let mut l1 = L1::new();
    let contracts = L1Contracts::deploy(&mut l1, ADMIN).expect("deploy (run scripts/evm-build)");
    for who in [ALICE, BOB, KEEPER] {
        l1.set_balance(who, ether(1_000));
    }
    (l1, contracts)
}

/// Deploys `name` (with ABI-encoded constructor arguments) from `from`.
fn deploy(l1: &mut L1, from: Address, name: &str, args: &[u8]) -> Address {
    let artifact = Artifact::load(name).expect("artifact");
    let (receipt, created) = l1.create(from, artifact.init_code(args), U256::ZERO).expect("create");
    assert!(receipt.success, "{name}: {receipt:?}");
    created.expect("address")
}

fn revert_reason(receipt: &L1Receipt) -> String {
    assert!(!receipt.success, "expected a revert: {receipt:?}");
    Revert::abi_decode(&receipt.output, true).expect("Error(string)").reason
}

fn view<C: SolCall>(l1: &mut L1, to: Address, call: &C) -> C::Return {
    let receipt = l1.static_call(Address::ZERO, to, call.abi_encode()).expect("static call");
    assert!(receipt.success, "view failed: {receipt:?}");
    C::abi_decode_returns(&receipt.output, true).expect("decode")
}

fn events<E: SolEvent>(logs: &[Log], emitter: Address) -> Vec<E> {
    logs.iter()
        .filter(|l| l.address == emitter && l.topics().first() == Some(&E::SIGNATURE_HASH))
        .map(|l| E::decode_log(l, true).expect("event").data)
        .collect()
}

// ---------------------------------------------------------------------------- the chain

#[test]
fn a_transfer_burns_the_base_fee_pays_the_tip_to_the_fee_recipient_and_bumps_the_nonce() {
    let mut l1 = L1::new();
    l1.set_balance(ALICE, ether(10));
    let receipt = l1.call(ALICE, BOB, ether(1), Bytes::new()).unwrap();
    assert!(receipt.success);
    assert_eq!(receipt.gas_used, 21_000);
    let price = U256::from(DEFAULT_BASE_FEE + DEFAULT_PRIORITY_FEE);
    assert_eq!(receipt.effective_gas_price, price);
    assert_eq!(receipt.fee, price * U256::from(21_000));
    assert_eq!(l1.balance(ALICE), ether(9) - receipt.fee);
    assert_eq!(l1.balance(BOB), ether(1));
    assert_eq!(l1.balance(FEE_RECIPIENT), U256::from(DEFAULT_PRIORITY_FEE * 21_000));
    assert_eq!(l1.nonce(ALICE), 1);
    assert_eq!((receipt.block_number, receipt.timestamp), (GENESIS_BLOCK, GENESIS_TIMESTAMP));
}

#[test]
fn blocks_move_twelve_seconds_at_a_time_and_time_moves_by_whole_blocks() {
    let mut l1 = L1::new();
    assert_eq!((l1.block_number(), l1.timestamp()), (GENESIS_BLOCK, GENESIS_TIMESTAMP));
    l1.advance_blocks(10);
    assert_eq!(l1.block_number(), GENESIS_BLOCK + 10);
    assert_eq!(l1.timestamp(), GENESIS_TIMESTAMP + 10 * SECONDS_PER_BLOCK);
    assert_eq!(l1.advance_time(25), 3);
    assert_eq!(l1.block_number(), GENESIS_BLOCK + 13);
    assert_eq!(l1.timestamp(), GENESIS_TIMESTAMP + 13 * SECONDS_PER_BLOCK);
}

#[test]
fn a_gas_limit_over_the_eip_7825_cap_and_an_unpayable_transaction_are_refused() {
    let mut l1 = L1::new();
    l1.set_balance(ALICE, ether(1));
    let over = l1.call_with_gas(ALICE, BOB, U256::ZERO, Bytes::new(), TX_GAS_LIMIT_CAP + 1);
    assert!(matches!(over, Err(L1Error::GasLimitOverCap(g)) if g == TX_GAS_LIMIT_CAP + 1));
    let broke = l1.call(BOB, ALICE, ether(1), Bytes::new());
    assert!(matches!(broke, Err(L1Error::Invalid(_))));
    assert_eq!(l1.nonce(BOB), 0);
    assert_eq!(l1.balance(ALICE), ether(1));
}

#[test]
fn a_static_call_returns_data_but_commits_nothing_and_lends_no_money() {
    let (mut l1, _) = world();
    let callee = deploy(&mut l1, ALICE, "EvmCallee", &[]);
    let nonce = l1.nonce(ALICE);
    let before = l1.balance(ALICE);
    let store = IEvmCallee::storeCall { value: U256::from(9) }.abi_encode();
    let simulated = l1.static_call(ALICE, callee, store.clone()).unwrap();
    assert!(simulated.success);
    assert_eq!(simulated.output, U256::ZERO.abi_encode());
    assert_eq!(events::<IEvmCallee::Stored>(&simulated.logs, callee).len(), 1);
    assert_eq!(l1.last_logs(), &simulated.logs[..]);
    assert_eq!(view(&mut l1, callee, &IEvmCallee::getCall {})._0, U256::ZERO);
    assert_eq!((l1.nonce(ALICE), l1.balance(ALICE)), (nonce, before));
    // A caller that does not exist is not left behind either.
    l1.static_call(NOBODY, callee, store).unwrap();
    assert_eq!(l1.balance(NOBODY), U256::ZERO);
    // A custom error comes back as revert data.
    let fail = IEvmCallee::failCall { code: U256::from(3), data: Bytes::from_static(b"no") };
    let receipt = l1.static_call(ALICE, callee, fail.abi_encode()).unwrap();
    let err = IEvmCallee::Refused::abi_decode(&receipt.output, true).unwrap();
    assert_eq!((err.caller, err.code, err.data), (ALICE, U256::from(3), Bytes::from_static(b"no")));
}

#[test]
fn a_missing_artifact_says_to_run_the_solidity_build() {
    let err = Artifact::load("NoSuchContract").unwrap_err();
    assert!(matches!(err, ArtifactError::Missing { .. }));
    assert!(err.to_string().contains("scripts/evm-build"), "{err}");
}

// ---------------------------------------------------------------------------- deposit contract

/// A validator's deposit data: pubkey, signature and the root for `amount_gwei`.
fn deposit_data(seed: u8, credentials: &[u8; 32], amount_gwei: u64) -> ([u8; 48], [u8; 96], B256) {
    let pubkey: [u8; 48] = core::array::from_fn(|i| seed.wrapping_add(u8::try_from(i).unwrap()));
    let signature: [u8; 96] =
        core::array::from_fn(|i| seed.wrapping_mul(3).wrapping_add(u8::try_from(i).unwrap()));
    let root = deposit_data_root(&pubkey, credentials, amount_gwei, &signature);
    (pubkey, signature, B256::new(root))
}

fn deposit_call(pubkey: &[u8], credentials: &[u8], signature: &[u8], root: B256) -> Vec<u8> {
    IDepositContract::depositCall {
        pubkey: Bytes::copy_from_slice(pubkey),
        withdrawal_credentials: Bytes::copy_from_slice(credentials),
        signature: Bytes::copy_from_slice(signature),
        deposit_data_root: root,
    }
    .abi_encode()
}

fn sha_pair(left: &[u8; 32], right: &[u8; 32]) -> [u8; 32] {
    Sha256::digest([left.as_slice(), right.as_slice()].concat()).into()
}

/// The deposit tree's root computed level by level (no incremental branch), mixed with the count.
fn reference_deposit_root(leaves: &[[u8; 32]]) -> B256 {
    let mut level = leaves.to_vec();
    let mut zero = [0u8; 32];
    for _ in 0..32 {
        if level.len() % 2 == 1 {
            level.push(zero);
        }
        level = level.chunks(2).map(|pair| sha_pair(&pair[0], &pair[1])).collect();
        zero = sha_pair(&zero, &zero);
    }
    let node = level.first().copied().unwrap_or(zero);
    let mut length = [0u8; 32];
    length[..8].copy_from_slice(&(leaves.len() as u64).to_le_bytes());
    B256::new(sha_pair(&node, &length))
}

#[test]
fn the_deposit_contract_sits_at_the_mainnet_address_with_its_zero_hashes_and_interfaces() {
    let (mut l1, contracts) = world();
    assert_eq!(contracts.deposit_contract, DEPOSIT_CONTRACT_ADDRESS);
    let artifact = Artifact::load("DepositContract").unwrap();
    assert_eq!(l1.code(DEPOSIT_CONTRACT_ADDRESS), artifact.deployed_bytecode);
    assert_eq!(l1.nonce(DEPOSIT_CONTRACT_ADDRESS), 1);
    // Slots 33..65: zero_hashes[h], the root of an empty subtree of height h.
    let mut zero = [0u8; 32];
    for h in 0..32u64 {
        assert_eq!(
            l1.storage(DEPOSIT_CONTRACT_ADDRESS, U256::from(33 + h)),
            U256::from_be_bytes(zero)
        );
        zero = sha_pair(&zero, &zero);
    }
    let root =
        view(&mut l1, DEPOSIT_CONTRACT_ADDRESS, &IDepositContract::get_deposit_rootCall {})._0;
    assert_eq!(
        root,
        B256::new(hex!("d70a234731285c6804c2a4f56711ddb8c82c99740f207854891028af34e27e5e"))
    );
    assert_eq!(root, reference_deposit_root(&[]));
    let count =
        view(&mut l1, DEPOSIT_CONTRACT_ADDRESS, &IDepositContract::get_deposit_countCall {})._0;
    assert_eq!(count, Bytes::from(vec![0u8; 8]));
    for (id, expected) in
        [([0x01, 0xff, 0xc9, 0xa7], true), ([0x85, 0x64, 0x09, 0x07], true), ([0xff; 4], false)]
    {
        let call = IDepositContract::supportsInterfaceCall { interfaceId: id.into() };
        assert_eq!(view(&mut l1, DEPOSIT_CONTRACT_ADDRESS, &call)._0, expected, "{id:?}");
    }
}

#[test]
fn a_valid_deposit_moves_32_ether_emits_its_event_and_moves_the_root_and_count() {
    let (mut l1, _) = world();
    let vault = address!("000000000000000000000000000000000000a001");
    let credentials = withdrawal_credentials(vault);
    let (pubkey, signature, root) = deposit_data(7, &credentials, 32_000_000_000);
    let before = l1.balance(ALICE);
    let receipt = l1
        .call(
            ALICE,
            DEPOSIT_CONTRACT_ADDRESS,
            ether(32),
            deposit_call(&pubkey, &credentials, &signature, root),
        )
        .unwrap();
    assert!(receipt.success, "{receipt:?}");
    println!("L1 gas: beacon deposit (first) {}", receipt.gas_used);
    assert!(receipt.gas_used > 21_000 && receipt.gas_used < TX_GAS_LIMIT_CAP);
    assert_eq!(l1.balance(DEPOSIT_CONTRACT_ADDRESS), ether(32));
    assert_eq!(l1.balance(ALICE), before - ether(32) - receipt.fee);

    let logged = events::<IDepositContract::DepositEvent>(&receipt.logs, DEPOSIT_CONTRACT_ADDRESS);
    assert_eq!(logged.len(), 1);
    assert_eq!(logged[0].pubkey, Bytes::copy_from_slice(&pubkey));
    assert_eq!(logged[0].withdrawal_credentials, Bytes::copy_from_slice(&credentials));
    assert_eq!(logged[0].amount, Bytes::copy_from_slice(&32_000_000_000u64.to_le_bytes()));
    assert_eq!(logged[0].signature, Bytes::copy_from_slice(&signature));
    assert_eq!(logged[0].index, Bytes::copy_from_slice(&0u64.to_le_bytes()));
    assert_eq!(worlds::bridge::deposit_events(&receipt.logs).unwrap(), logged);

    let count =
        view(&mut l1, DEPOSIT_CONTRACT_ADDRESS, &IDepositContract::get_deposit_countCall {})._0;
    assert_eq!(count, Bytes::copy_from_slice(&1u64.to_le_bytes()));
    let new_root =
        view(&mut l1, DEPOSIT_CONTRACT_ADDRESS, &IDepositContract::get_deposit_rootCall {})._0;
    assert_ne!(new_root, reference_deposit_root(&[]));
    assert_eq!(new_root, reference_deposit_root(&[root.0]));
    // The storage layout of the real contract (and of our Stylus double): branch[0] in slot 0,
    // deposit_count in slot 32.
    assert_eq!(l1.storage(DEPOSIT_CONTRACT_ADDRESS, U256::ZERO), U256::from_be_bytes(root.0));
    assert_eq!(l1.storage(DEPOSIT_CONTRACT_ADDRESS, U256::from(32)), U256::from(1));
}

#[test]
fn a_deposit_into_a_full_tree_fails_with_merkle_tree_full() {
    let (mut l1, _) = world();
    // 2^32 - 1 deposits made: the count in slot 32.
    l1.set_storage(DEPOSIT_CONTRACT_ADDRESS, U256::from(32), U256::from(u32::MAX));
    let credentials = withdrawal_credentials(BOB);
    let (pubkey, signature, root) = deposit_data(9, &credentials, 32_000_000_000);
    let receipt = l1
        .call(
            ALICE,
            DEPOSIT_CONTRACT_ADDRESS,
            ether(32),
            deposit_call(&pubkey, &credentials, &signature, root),
        )
        .unwrap();
    assert_eq!(revert_reason(&receipt), "DepositContract: merkle tree full");
    assert_eq!(l1.balance(DEPOSIT_CONTRACT_ADDRESS), U256::ZERO);
    let count =
        view(&mut l1, DEPOSIT_CONTRACT_ADDRESS, &IDepositContract::get_deposit_countCall {})._0;
    assert_eq!(count, Bytes::copy_from_slice(&u64::from(u32::MAX).to_le_bytes()));
}

#[test]
fn each_deposit_check_fails_with_the_real_contracts_reason() {
    let (mut l1, _) = world();
    let credentials = withdrawal_credentials(BOB);
    let (pubkey, signature, root) = deposit_data(1, &credentials, 32_000_000_000);
    let odd_root = deposit_data(1, &credentials, 1_000_000_000).2;
    let cases: Vec<(&str, Vec<u8>, U256, &str)> = vec![
        (
            "short pubkey",
            deposit_call(&pubkey[..47], &credentials, &signature, root),
            ether(32),
            "DepositContract: invalid pubkey length",
        ),
        (
            "long credentials",
            deposit_call(&pubkey, &[1u8; 33], &signature, root),
            ether(32),
            "DepositContract: invalid withdrawal_credentials length",
        ),
        (
            "short signature",
            deposit_call(&pubkey, &credentials, &signature[..95], root),
            ether(32),
            "DepositContract: invalid signature length",
        ),
        (
            "under 1 ether",
            deposit_call(&pubkey, &credentials, &signature, root),
            ether(1) - gwei(1),
            "DepositContract: deposit value too low",
        ),
        (
            "not whole gwei",
            deposit_call(&pubkey, &credentials, &signature, root),
            ether(32) + U256::from(1),
            "DepositContract: deposit value not multiple of gwei",
        ),
        (
            "wrong data root",
            deposit_call(&pubkey, &credentials, &signature, odd_root),
            ether(32),
            "DepositContract: reconstructed DepositData does not match supplied deposit_data_root",
        ),
    ];
    for (what, data, value, reason) in cases {
        let receipt = l1.call(ALICE, DEPOSIT_CONTRACT_ADDRESS, value, data).unwrap();
        assert_eq!(revert_reason(&receipt), reason, "{what}");
        assert!(receipt.logs.is_empty(), "{what}");
    }
    // Over 2^64 - 1 gwei: checked after the gwei multiple (the funds must exist to try).
    let too_much = U256::from(u64::MAX) * gwei(1) + gwei(1);
    l1.set_balance(BOB, too_much + ether(1));
    let receipt = l1
        .call(
            BOB,
            DEPOSIT_CONTRACT_ADDRESS,
            too_much,
            deposit_call(&pubkey, &credentials, &signature, root),
        )
        .unwrap();
    assert_eq!(revert_reason(&receipt), "DepositContract: deposit value too high");
    assert_eq!(l1.balance(DEPOSIT_CONTRACT_ADDRESS), U256::ZERO);
    let count =
        view(&mut l1, DEPOSIT_CONTRACT_ADDRESS, &IDepositContract::get_deposit_countCall {})._0;
    assert_eq!(count, Bytes::from(vec![0u8; 8]));
}

#[test]
fn the_root_after_several_deposits_equals_the_root_computed_in_rust() {
    let (mut l1, _) = world();
    let amounts_gwei =
        [32_000_000_000u64, 1_000_000_000, 32_000_000_000, 2_048_000_000_000, 33_500_000_000];
    l1.set_balance(ALICE, ether(3_000));
    let mut leaves = Vec::new();
    let mut total = U256::ZERO;
    for (i, amount) in amounts_gwei.into_iter().enumerate() {
        let credentials =
            withdrawal_credentials(Address::repeat_byte(u8::try_from(i + 1).unwrap()));
        let (pubkey, signature, root) =
            deposit_data(u8::try_from(i * 17).unwrap(), &credentials, amount);
        let receipt = l1
            .call(
                ALICE,
                DEPOSIT_CONTRACT_ADDRESS,
                gwei(amount),
                deposit_call(&pubkey, &credentials, &signature, root),
            )
            .unwrap();
        assert!(receipt.success, "deposit {i}: {receipt:?}");
        println!("L1 gas: beacon deposit #{i} {}", receipt.gas_used);
        let logged =
            events::<IDepositContract::DepositEvent>(&receipt.logs, DEPOSIT_CONTRACT_ADDRESS);
        assert_eq!(logged[0].index, Bytes::copy_from_slice(&(i as u64).to_le_bytes()));
        assert_eq!(logged[0].amount, Bytes::copy_from_slice(&amount.to_le_bytes()));
        leaves.push(root.0);
        total += gwei(amount);
        let on_chain =
            view(&mut l1, DEPOSIT_CONTRACT_ADDRESS, &IDepositContract::get_deposit_rootCall {})._0;
        assert_eq!(on_chain, reference_deposit_root(&leaves), "after {} deposits", i + 1);
    }
    assert_eq!(l1.balance(DEPOSIT_CONTRACT_ADDRESS), total);
    let count =
        view(&mut l1, DEPOSIT_CONTRACT_ADDRESS, &IDepositContract::get_deposit_countCall {})._0;
    assert_eq!(count, Bytes::copy_from_slice(&5u64.to_le_bytes()));
}

// ---------------------------------------------------------------------------- the bridge

#[test]
fn the_bridge_sits_behind_proxies_and_is_wired_as_on_arbitrum_one() {
    let (mut l1, c) = world();
    for (proxy, implementation) in [
        (c.bridge, c.bridge_implementation),
        (c.inbox, c.inbox_implementation),
        (c.outbox, c.outbox_implementation),
    ] {
        let call = IProxyAdmin::getProxyImplementationCall { proxy };
        assert_eq!(view(&mut l1, c.proxy_admin, &call)._0, implementation);
        let call = IProxyAdmin::getProxyAdminCall { proxy };
        assert_eq!(view(&mut l1, c.proxy_admin, &call)._0, c.proxy_admin);
    }
    assert_eq!(view(&mut l1, c.proxy_admin, &IProxyAdmin::ownerCall {})._0, ADMIN);
    assert_eq!(view(&mut l1, c.bridge, &IBridge::rollupCall {})._0, c.rollup);
    assert!(view(&mut l1, c.bridge, &IBridge::allowedDelayedInboxesCall { inbox: c.inbox })._0);
    assert!(view(&mut l1, c.bridge, &IBridge::allowedOutboxesCall { outbox: c.outbox })._0);
    assert_eq!(view(&mut l1, c.bridge, &IBridge::activeOutboxCall {})._0, Address::ZERO);
    assert_eq!(view(&mut l1, c.inbox, &IInbox::bridgeCall {})._0, c.bridge);
    assert_eq!(view(&mut l1, c.inbox, &IInbox::maxDataSizeCall {})._0, U256::from(MAX_DATA_SIZE));
    assert_eq!(view(&mut l1, c.outbox, &IOutbox::rollupCall {})._0, c.rollup);
    assert_eq!(view(&mut l1, c.outbox, &IOutbox::bridgeCall {})._0, c.bridge);
    assert_eq!(view(&mut l1, c.rollup, &IRollupStandIn::ownerCall {})._0, ADMIN);
    assert_eq!(view(&mut l1, c.rollup, &IRollupStandIn::outboxCall {})._0, c.outbox);
    assert_eq!(c.delayed_message_count(&mut l1).unwrap(), 0);
}

#[test]
fn aliasing_adds_the_offset_modulo_2_160_and_undoes_it() {
    let l1 = address!("00000000000000000000000000000000000ad000");
    assert_eq!(apply_l1_to_l2_alias(l1), address!("11110000000000000000000000000000000ae111"));
    let high = address!("ffffffffffffffffffffffffffffffffffffffff");
    assert_eq!(apply_l1_to_l2_alias(high), address!("1111000000000000000000000000000000001110"));
    assert_eq!(undo_l1_to_l2_alias(apply_l1_to_l2_alias(high)), high);
    assert_eq!(undo_l1_to_l2_alias(apply_l1_to_l2_alias(l1)), l1);
}

#[test]
fn deposit_eth_from_an_eoa_locks_the_ether_and_delivers_a_kind_12_message_to_the_same_address() {
    let (mut l1, c) = world();
    let receipt = c.deposit_eth(&mut l1, ALICE, ether(3)).unwrap();
    assert!(receipt.success, "{receipt:?}");
    println!("L1 gas: Inbox.depositEth {}", receipt.gas_used);
    assert!(receipt.gas_used > 21_000 && receipt.gas_used < 200_000);
    assert_eq!(l1.balance(c.bridge), ether(3));
    assert_eq!(l1.balance(c.inbox), U256::ZERO);

    let messages = c.delayed_messages(&receipt).unwrap();
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert_eq!(m.index, 0);
    assert_eq!(m.kind, KIND_ETH_DEPOSIT);
    assert_eq!(m.sender, apply_l1_to_l2_alias(ALICE));
    assert_eq!(m.inbox, c.inbox);
    assert_eq!(m.data, Bytes::from([ALICE.as_slice(), &ether(3).to_be_bytes::<32>()].concat()));
    assert_eq!(m.data_hash, keccak256(&m.data));
    assert_eq!(m.base_fee_l1, l1.base_fee());
    assert_eq!(m.timestamp, l1.timestamp());
    assert_eq!(m.block_number, l1.block_number());
    assert_eq!(m.before_acc, B256::ZERO);
    assert_eq!(m.value, ether(3));
    assert_eq!(m.payload, DelayedPayload::EthDeposit { to: ALICE, amount: ether(3) });
    // The Bridge's accumulator commits to exactly these fields.
    assert_eq!(c.delayed_inbox_acc(&mut l1, 0).unwrap(), m.accumulator());
    assert_eq!(c.delayed_message_count(&mut l1).unwrap(), 1);

    // A second deposit (the accumulator array no longer empty) chains on the first.
    let second = c.deposit_eth(&mut l1, BOB, ether(1)).unwrap();
    println!("L1 gas: Inbox.depositEth (second message) {}", second.gas_used);
    let next = &c.delayed_messages(&second).unwrap()[0];
    assert_eq!((next.index, next.before_acc), (1, m.accumulator()));
    assert_eq!(next.payload, DelayedPayload::EthDeposit { to: BOB, amount: ether(1) });
    assert_eq!(l1.balance(c.bridge), ether(4));
}

#[test]
fn deposit_eth_from_a_contract_is_credited_to_its_alias() {
    let (mut l1, c) = world();
    c.deposit_eth(&mut l1, BOB, ether(1)).unwrap();
    let first_acc = c.delayed_inbox_acc(&mut l1, 0).unwrap();
    let callee = deploy(&mut l1, ALICE, "EvmCallee", &[]);
    let call = IEvmCallee::callOutCall {
        target: c.inbox,
        value: ether(2),
        data: IInbox::depositEthCall {}.abi_encode().into(),
    };
    let receipt = l1.call(ALICE, callee, ether(2), call.abi_encode()).unwrap();
    assert!(receipt.success, "{receipt:?}");
    let messages = c.delayed_messages(&receipt).unwrap();
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert_eq!(m.index, 1);
    assert_eq!(m.kind, KIND_ETH_DEPOSIT);
    assert_eq!(m.sender, apply_l1_to_l2_alias(callee));
    assert_eq!(
        m.payload,
        DelayedPayload::EthDeposit { to: apply_l1_to_l2_alias(callee), amount: ether(2) }
    );
    assert_eq!(m.value, ether(2));
    assert_eq!(m.before_acc, first_acc);
    assert_eq!(c.delayed_inbox_acc(&mut l1, 1).unwrap(), m.accumulator());
    assert_eq!(l1.balance(c.bridge), ether(3));
    assert_eq!(l1.balance(callee), U256::ZERO);
}

fn ticket(l1: &mut L1, c: &L1Contracts, refund_contract: Address) -> RetryableTicket {
    let data = Bytes::from(
        hex!("c0ffee0000000000000000000000000000000000000000000000000000000001").to_vec(),
    );
    let fee = c.retryable_submission_fee(l1, data.len()).unwrap();
    assert_eq!(fee, U256::from(1400 + 6 * data.len()) * l1.base_fee());
    RetryableTicket {
        to: address!("00000000000000000000000000000000000012d0"),
        l2_call_value: ether(1),
        max_submission_cost: fee + gwei(1_000),
        excess_fee_refund_address: BOB,
        call_value_refund_address: refund_contract,
        gas_limit: U256::from(100_000),
        max_fee_per_gas: U256::from(100_000_000),
        data,
    }
}

#[test]
fn a_retryable_ticket_with_too_little_value_fails_with_insufficient_value() {
    let (mut l1, c) = world();
    let t = ticket(&mut l1, &c, BOB);
    let short = t.required_value() - U256::from(1);
    let receipt = c.create_retryable_ticket(&mut l1, ALICE, &t, short).unwrap();
    assert!(!receipt.success);
    let err = InsufficientValue::abi_decode(&receipt.output, true).unwrap();
    assert_eq!((err.expected, err.actual), (t.required_value(), short));
    assert_eq!(l1.balance(c.bridge), U256::ZERO);
    assert_eq!(c.delayed_message_count(&mut l1).unwrap(), 0);
}

#[test]
fn a_retryable_ticket_under_the_submission_fee_fails_with_insufficient_submission_cost() {
    let (mut l1, c) = world();
    let mut t = ticket(&mut l1, &c, BOB);
    let fee = c.retryable_submission_fee(&mut l1, t.data.len()).unwrap();
    t.max_submission_cost = fee - U256::from(1);
    let receipt = c.create_retryable_ticket(&mut l1, ALICE, &t, t.required_value()).unwrap();
    let err = InsufficientSubmissionCost::abi_decode(&receipt.output, true).unwrap();
    assert_eq!((err.expected, err.actual), (fee, fee - U256::from(1)));
    assert_eq!(c.delayed_message_count(&mut l1).unwrap(), 0);
}

#[test]
fn a_retryable_ticket_delivers_a_kind_9_message_with_every_field() {
    let (mut l1, c) = world();
    let refund_contract = deploy(&mut l1, ALICE, "EvmCallee", &[]);
    let t = ticket(&mut l1, &c, refund_contract);
    let deposit = t.required_value() + gwei(5_000_000);
    let receipt = c.create_retryable_ticket(&mut l1, ALICE, &t, deposit).unwrap();
    assert!(receipt.success, "{receipt:?}");
    println!(
        "L1 gas: Inbox.createRetryableTicket ({} data bytes) {}",
        t.data.len(),
        receipt.gas_used
    );
    assert!(receipt.gas_used > 21_000 && receipt.gas_used < 300_000);
    assert_eq!(l1.balance(c.bridge), deposit);

    let messages = c.delayed_messages(&receipt).unwrap();
    assert_eq!(messages.len(), 1);
    let m = &messages[0];
    assert_eq!(m.index, 0);
    assert_eq!(m.kind, KIND_SUBMIT_RETRYABLE);
    assert_eq!(m.sender, apply_l1_to_l2_alias(ALICE));
    assert_eq!(m.value, deposit);
    assert_eq!(m.base_fee_l1, l1.base_fee());
    assert_eq!(m.timestamp, l1.timestamp());
    let expected = SubmitRetryable {
        to: t.to,
        l2_call_value: t.l2_call_value,
        deposit,
        max_submission_cost: t.max_submission_cost,
        // An EOA refund address stays; a contract's is aliased by the Inbox.
        excess_fee_refund_address: BOB,
        call_value_refund_address: apply_l1_to_l2_alias(refund_contract),
        gas_limit: t.gas_limit,
        max_fee_per_gas: t.max_fee_per_gas,
        data: t.data.clone(),
    };
    assert_eq!(m.payload, DelayedPayload::SubmitRetryable(Box::new(expected)));
    assert_eq!(m.data.len(), 9 * 32 + t.data.len());
    assert_eq!(c.delayed_inbox_acc(&mut l1, 0).unwrap(), m.accumulator());
    let logged = events::<IInbox::InboxMessageDelivered>(&receipt.logs, c.inbox);
    assert_eq!(logged[0].messageNum, U256::ZERO);
}

// ---------------------------------------------------------------------------- the outbox

/// A tree of L2-to-L1 messages as ArbOS's send Merkle accumulator lays them out for the Outbox:
/// leaves `keccak256(item_hash)`, pairs hashed left-right, a complete tree (4 leaves here).
struct SendTree {
    messages: Vec<L2ToL1Message>,
    levels: Vec<Vec<B256>>,
}

impl SendTree {
    fn new(messages: Vec<L2ToL1Message>) -> Self {
        assert!(messages.len().is_power_of_two());
        let mut levels =
            vec![messages.iter().map(|m| keccak256(m.item_hash())).collect::<Vec<_>>()];
        while levels.last().unwrap().len() > 1 {
            let next = levels
                .last()
                .unwrap()
                .chunks(2)
                .map(|pair| keccak256([pair[0].0, pair[1].0].concat()))
                .collect();
            levels.push(next);
        }
        Self { messages, levels }
    }

    fn root(&self) -> B256 {
        self.levels.last().unwrap()[0]
    }

    fn proof(&self, index: usize) -> Vec<B256> {
        let mut proof = Vec::new();
        let mut i = index;
        for level in &self.levels[..self.levels.len() - 1] {
            proof.push(level[i ^ 1]);
            i /= 2;
        }
        proof
    }
}

/// A world with 10 ether in the Bridge, the callee deployed, and a posted tree of four
/// messages from `l2_sender`; message 0 pays the callee 1 ether and has it read
/// `l2ToL1Sender()` from the Outbox.
fn outbox_world() -> (L1, L1Contracts, Address, SendTree, L1Receipt) {
    let (mut l1, c) = world();
    c.deposit_eth(&mut l1, ALICE, ether(10)).unwrap();
    let callee = deploy(&mut l1, ALICE, "EvmCallee", &[]);
    let l2_sender = address!("00000000000000000000000000000000000f0010");
    let read_sender = IEvmCallee::callOutCall {
        target: c.outbox,
        value: U256::ZERO,
        data: IOutbox::l2ToL1SenderCall {}.abi_encode().into(),
    };
    let message = |to: Address, value: U256, data: Vec<u8>, n: u64| L2ToL1Message {
        l2_sender,
        to,
        l2_block: U256::from(1_000 + n),
        l1_block: U256::from(l1.block_number()),
        l2_timestamp: U256::from(l1.timestamp() + n),
        value,
        data: data.into(),
    };
    let messages = vec![
        message(callee, ether(1), read_sender.abi_encode(), 0),
        message(BOB, ether(2), Vec::new(), 1),
        message(callee, U256::ZERO, IEvmCallee::storeCall { value: U256::from(5) }.abi_encode(), 2),
        message(BOB, U256::from(7), Vec::new(), 3),
    ];
    let tree = SendTree::new(messages);
    let posted = c.post_send_root(&mut l1, tree.root(), B256::repeat_byte(0xb1)).unwrap();
    assert!(posted.success, "{posted:?}");
    (l1, c, callee, tree, posted)
}

#[test]
fn a_root_posted_through_the_stand_in_is_recorded_by_the_outbox() {
    let (mut l1, c, _, tree, posted) = outbox_world();
    let by_outbox = events::<IOutbox::SendRootUpdated>(&posted.logs, c.outbox);
    assert_eq!(by_outbox.len(), 1);
    assert_eq!(
        (by_outbox[0].outputRoot, by_outbox[0].l2BlockHash),
        (tree.root(), B256::repeat_byte(0xb1))
    );
    let by_rollup = events::<IRollupStandIn::SendRootPosted>(&posted.logs, c.rollup);
    assert_eq!((by_rollup[0].index, by_rollup[0].sendRoot), (U256::ZERO, tree.root()));
    assert_eq!(
        view(&mut l1, c.outbox, &IOutbox::rootsCall { root: tree.root() })._0,
        B256::repeat_byte(0xb1)
    );
    assert_eq!(view(&mut l1, c.rollup, &IRollupStandIn::sendRootCountCall {})._0, U256::from(1));
    // Our item hash and proof walk are the Outbox's own.
    let m = &tree.messages[0];
    let call = IOutbox::calculateItemHashCall {
        l2Sender: m.l2_sender,
        to: m.to,
        l2Block: m.l2_block,
        l1Block: m.l1_block,
        l2Timestamp: m.l2_timestamp,
        value: m.value,
        data: m.data.clone(),
    };
    assert_eq!(view(&mut l1, c.outbox, &call)._0, m.item_hash());
    for index in 0..4 {
        let item = tree.messages[index].item_hash();
        let call = IOutbox::calculateMerkleRootCall {
            proof: tree.proof(index),
            path: U256::from(index),
            item,
        };
        assert_eq!(view(&mut l1, c.outbox, &call)._0, tree.root());
        assert_eq!(outbox_root(&tree.proof(index), index as u64, item), tree.root());
    }
}

#[test]
fn a_proven_message_pays_its_destination_from_the_bridge_and_names_its_l2_sender_during_the_call() {
    let (mut l1, c, callee, tree, _) = outbox_world();
    let m = tree.messages[0].clone();
    let receipt = c.execute_transaction(&mut l1, KEEPER, &tree.proof(0), 0, &m).unwrap();
    assert!(receipt.success, "{receipt:?}");
    println!(
        "L1 gas: Outbox.executeTransaction (depth-2 proof, a call reading l2ToL1Sender) {}",
        receipt.gas_used
    );
    assert!(receipt.gas_used > 21_000 && receipt.gas_used < 500_000);
    assert_eq!(l1.balance(callee), ether(1));
    assert_eq!(l1.balance(c.bridge), ether(9));

    let read = events::<IEvmCallee::CalledOut>(&receipt.logs, callee);
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].target, c.outbox);
    assert_eq!(Address::abi_decode(&read[0].result, true).unwrap(), m.l2_sender);
    let executed = events::<IOutbox::OutBoxTransactionExecuted>(&receipt.logs, c.outbox);
    assert_eq!(executed.len(), 1);
    assert_eq!((executed[0].to, executed[0].l2Sender), (callee, m.l2_sender));
    assert_eq!((executed[0].zero, executed[0].transactionIndex), (U256::ZERO, U256::ZERO));
    let triggered = events::<IBridge::BridgeCallTriggered>(&receipt.logs, c.bridge);
    assert_eq!(
        (triggered[0].outbox, triggered[0].to, triggered[0].value),
        (c.outbox, callee, ether(1))
    );

    assert!(view(&mut l1, c.outbox, &IOutbox::isSpentCall { index: U256::ZERO })._0);
    assert!(!view(&mut l1, c.outbox, &IOutbox::isSpentCall { index: U256::from(1) })._0);
    // Outside an execution the context is cleared again.
    assert_eq!(view(&mut l1, c.outbox, &IOutbox::l2ToL1SenderCall {})._0, Address::ZERO);
    assert_eq!(view(&mut l1, c.bridge, &IBridge::activeOutboxCall {})._0, Address::ZERO);

    // A plain ether withdrawal to an EOA (message 1) and a call into the callee (message 2).
    let bob_before = l1.balance(BOB);
    let paid =
        c.execute_transaction(&mut l1, KEEPER, &tree.proof(1), 1, &tree.messages[1]).unwrap();
    assert!(paid.success, "{paid:?}");
    assert_eq!(l1.balance(BOB), bob_before + ether(2));
    let stored =
        c.execute_transaction(&mut l1, KEEPER, &tree.proof(2), 2, &tree.messages[2]).unwrap();
    assert!(stored.success, "{stored:?}");
    assert_eq!(view(&mut l1, callee, &IEvmCallee::getCall {})._0, U256::from(5));
    assert_eq!(view(&mut l1, callee, &IEvmCallee::lastSenderCall {})._0, c.bridge);
    assert_eq!(l1.balance(c.bridge), ether(7));
}

#[test]
fn the_same_message_executed_twice_fails_with_already_spent() {
    let (mut l1, c, callee, tree, _) = outbox_world();
    let m = tree.messages[0].clone();
    assert!(c.execute_transaction(&mut l1, KEEPER, &tree.proof(0), 0, &m).unwrap().success);
    let again = c.execute_transaction(&mut l1, KEEPER, &tree.proof(0), 0, &m).unwrap();
    assert!(!again.success);
    assert_eq!(AlreadySpent::abi_decode(&again.output, true).unwrap().index, U256::ZERO);
    assert_eq!(l1.balance(callee), ether(1));
    assert_eq!(l1.balance(c.bridge), ether(9));
}

#[test]
fn a_wrong_proof_fails_with_unknown_root() {
    let (mut l1, c, callee, tree, _) = outbox_world();
    let m = tree.messages[0].clone();
    let mut proof = tree.proof(0);
    proof[1] = B256::repeat_byte(0x42);
    let receipt = c.execute_transaction(&mut l1, KEEPER, &proof, 0, &m).unwrap();
    assert!(!receipt.success);
    let err = UnknownRoot::abi_decode(&receipt.output, true).unwrap();
    assert_eq!(err.root, outbox_root(&proof, 0, m.item_hash()));
    assert_ne!(err.root, tree.root());
    // The right proof at the wrong index fails the same way.
    let swapped = c.execute_transaction(&mut l1, KEEPER, &tree.proof(0), 1, &m).unwrap();
    assert!(UnknownRoot::abi_decode(&swapped.output, true).is_ok());
    assert_eq!(l1.balance(callee), U256::ZERO);
    assert_eq!(l1.balance(c.bridge), ether(10));
    assert!(!view(&mut l1, c.outbox, &IOutbox::isSpentCall { index: U256::ZERO })._0);
}

#[test]
fn a_root_from_anyone_but_the_rollup_is_refused() {
    let (mut l1, c, _, _, _) = outbox_world();
    let forged = B256::repeat_byte(0x66);
    // Straight to the Outbox, even from the rollup's owner: only the rollup may post.
    let direct =
        IOutboxUpdate::updateSendRootCall { root: forged, l2BlockHash: B256::repeat_byte(1) };
    let receipt = l1.call(ADMIN, c.outbox, U256::ZERO, direct.abi_encode()).unwrap();
    let err = NotRollup::abi_decode(&receipt.output, true).unwrap();
    assert_eq!((err.sender, err.rollup), (ADMIN, c.rollup));
    // Through the stand-in, from someone but its owner.
    let via =
        IRollupStandIn::postSendRootCall { sendRoot: forged, l2BlockHash: B256::repeat_byte(1) };
    let receipt = l1.call(BOB, c.rollup, U256::ZERO, via.abi_encode()).unwrap();
    let err = IRollupStandIn::NotOwner::abi_decode(&receipt.output, true).unwrap();
    assert_eq!((err.caller, err.owner), (BOB, ADMIN));
    assert_eq!(view(&mut l1, c.outbox, &IOutbox::rootsCall { root: forged })._0, B256::ZERO);
}

alloy_sol_types::sol! {
    interface IOutboxUpdate {
        function updateSendRoot(bytes32 root, bytes32 l2BlockHash) external;
    }
}

#[test]
fn a_spoofed_l2_sender_changes_the_item_hash_and_fails() {
    let (mut l1, c, callee, tree, _) = outbox_world();
    let mut spoofed = tree.messages[0].clone();
    spoofed.l2_sender = address!("000000000000000000000000000000000000bad0");
    assert_ne!(spoofed.item_hash(), tree.messages[0].item_hash());
    let receipt = c.execute_transaction(&mut l1, KEEPER, &tree.proof(0), 0, &spoofed).unwrap();
    assert!(!receipt.success);
    let err = UnknownRoot::abi_decode(&receipt.output, true).unwrap();
    assert_eq!(err.root, outbox_root(&tree.proof(0), 0, spoofed.item_hash()));
    assert_eq!(l1.balance(callee), U256::ZERO);
    // The genuine message is still executable.
    let genuine =
        c.execute_transaction(&mut l1, KEEPER, &tree.proof(0), 0, &tree.messages[0]).unwrap();
    assert!(genuine.success, "{genuine:?}");
    assert_eq!(l1.balance(callee), ether(1));
}

// ---------------------------------------------------------------------------- an ERC-20 integrator

/// Alice's 1,000-token OpenZeppelin ERC-20 and a ReceiptTokenHolder of it owned by Bob.
fn token_and_holder(l1: &mut L1) -> (Address, Address) {
    let args = ("Receipt".to_string(), "RCT".to_string(), ether(1_000), ALICE).abi_encode_params();
    let token = deploy(l1, ALICE, "ERC20PresetFixedSupply", &args);
    let holder = deploy(l1, BOB, "ReceiptTokenHolder", &token.abi_encode());
    (token, holder)
}

fn send(l1: &mut L1, from: Address, to: Address, call: &impl SolCall) -> L1Receipt {
    l1.call(from, to, U256::ZERO, call.abi_encode()).unwrap()
}

#[test]
fn a_solidity_holder_pulls_sends_and_approves_an_erc20_and_reads_its_balance() {
    let (mut l1, _) = world();
    let (token, holder) = token_and_holder(&mut l1);
    assert_eq!(view(&mut l1, holder, &IReceiptTokenHolder::tokenCall {})._0, token);
    assert_eq!(view(&mut l1, holder, &IReceiptTokenHolder::ownerCall {})._0, BOB);

    let approve = IERC20::approveCall { spender: holder, amount: ether(100) };
    assert!(send(&mut l1, ALICE, token, &approve).success);
    let pull = IReceiptTokenHolder::depositCall { from: ALICE, amount: ether(60) };
    let receipt = send(&mut l1, BOB, holder, &pull);
    assert!(receipt.success, "{receipt:?}");
    let moved = events::<IERC20::Transfer>(&receipt.logs, token);
    assert_eq!((moved[0].from, moved[0].to, moved[0].value), (ALICE, holder, ether(60)));
    let deposited = events::<IReceiptTokenHolder::Deposited>(&receipt.logs, holder);
    assert_eq!((deposited[0].from, deposited[0].amount), (ALICE, ether(60)));
    assert_eq!(view(&mut l1, holder, &IReceiptTokenHolder::balanceCall {})._0, ether(60));
    let left = IERC20::allowanceCall { owner: ALICE, spender: holder };
    assert_eq!(view(&mut l1, token, &left)._0, ether(40));

    let out = IReceiptTokenHolder::withdrawCall { to: KEEPER, amount: ether(25) };
    let receipt = send(&mut l1, BOB, holder, &out);
    let withdrawn = events::<IReceiptTokenHolder::Withdrawn>(&receipt.logs, holder);
    assert_eq!((withdrawn[0].to, withdrawn[0].amount), (KEEPER, ether(25)));
    assert_eq!(view(&mut l1, token, &IERC20::balanceOfCall { account: KEEPER })._0, ether(25));

    let allow = IReceiptTokenHolder::approveSpenderCall { spender: KEEPER, amount: ether(10) };
    let receipt = send(&mut l1, BOB, holder, &allow);
    let approved = events::<IReceiptTokenHolder::SpenderApproved>(&receipt.logs, holder);
    assert_eq!((approved[0].spender, approved[0].amount), (KEEPER, ether(10)));
    let by_token = events::<IERC20::Approval>(&receipt.logs, token);
    assert_eq!(
        (by_token[0].owner, by_token[0].spender, by_token[0].value),
        (holder, KEEPER, ether(10))
    );
    let allowance = IReceiptTokenHolder::allowanceOfCall { spender: KEEPER };
    assert_eq!(view(&mut l1, holder, &allowance)._0, ether(10));
    let spend = IERC20::transferFromCall { from: holder, to: KEEPER, amount: ether(10) };
    assert!(send(&mut l1, KEEPER, token, &spend).success);

    assert_eq!(view(&mut l1, holder, &IReceiptTokenHolder::balanceCall {})._0, ether(25));
    assert_eq!(view(&mut l1, token, &IERC20::balanceOfCall { account: KEEPER })._0, ether(35));
    assert_eq!(view(&mut l1, token, &IERC20::balanceOfCall { account: ALICE })._0, ether(940));
}

#[test]
fn the_holder_refuses_strangers_and_bubbles_up_the_tokens_own_errors() {
    let (mut l1, _) = world();
    let (token, holder) = token_and_holder(&mut l1);
    let out = IReceiptTokenHolder::withdrawCall { to: ALICE, amount: U256::from(1) };
    let receipt = send(&mut l1, ALICE, holder, &out);
    assert_eq!(
        IReceiptTokenHolder::NotOwner::abi_decode(&receipt.output, true).unwrap().caller,
        ALICE
    );

    // No allowance: OpenZeppelin's own revert reason comes back unchanged.
    let pull = IReceiptTokenHolder::depositCall { from: ALICE, amount: ether(1) };
    let receipt = send(&mut l1, BOB, holder, &pull);
    assert_eq!(revert_reason(&receipt), "ERC20: insufficient allowance");
    assert_eq!(view(&mut l1, token, &IERC20::balanceOfCall { account: ALICE })._0, ether(1_000));

    // A "token" without code cannot silently succeed.
    let hollow = deploy(&mut l1, BOB, "ReceiptTokenHolder", &NOBODY.abi_encode());
    let receipt = send(&mut l1, BOB, hollow, &out);
    let err = IReceiptTokenHolder::TokenRefused::abi_decode(&receipt.output, true).unwrap();
    assert_eq!(err.selector, IERC20::transferCall::SELECTOR);

    let handover = IReceiptTokenHolder::transferOwnershipCall { newOwner: KEEPER };
    let receipt = send(&mut l1, BOB, holder, &handover);
    let moved = events::<IReceiptTokenHolder::OwnershipTransferred>(&receipt.logs, holder);
    assert_eq!((moved[0].previousOwner, moved[0].newOwner), (BOB, KEEPER));
    assert_eq!(view(&mut l1, holder, &IReceiptTokenHolder::ownerCall {})._0, KEEPER);
}
