//! The beacon deposit contract's test double (`tests/deposit-contract`), its release wasm on the
//! VM: the empty root, the tree and the count against a reference tree built here with `sha2`,
//! every revert reason of the real contract, the event, the ether kept, ERC-165.
#![allow(missing_docs)]

use alloy_primitives::{address, hex, Address, Bytes, FixedBytes, B256, U256};
use alloy_sol_types::{Revert, SolCall, SolError, SolEvent};
use protocol_tests::deploy::{create_and_activate, read_wasm};
use sha2::{Digest, Sha256};
use staking_common::deposit_data::withdrawal_credentials;
use stylus_vm::{Receipt, Vm};

// The interface file the double is generated from (crates/staking-common/abi/).
use protocol_tests::abi::IDepositContract::{
    depositCall, get_deposit_countCall, get_deposit_rootCall, supportsInterfaceCall, DepositEvent,
};

const DEPOSITOR: Address = address!("000000000000000000000000000000000000D0D0");
const GWEI: u64 = 1_000_000_000;
const EMPTY_ROOT: B256 =
    B256::new(hex!("d70a234731285c6804c2a4f56711ddb8c82c99740f207854891028af34e27e5e"));
/// The slot of `deposit_count`, as in the Solidity contract.
const COUNT_SLOT: u64 = 32;

fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(GWEI) * U256::from(GWEI)
}

fn h(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// A validator's deposit: the arguments and the amount in gwei.
#[derive(Clone)]
struct Deposit {
    pubkey: Vec<u8>,
    credentials: Vec<u8>,
    signature: Vec<u8>,
    gwei: u64,
}

impl Deposit {
    /// Deposit `i` of a run: distinct keys, signatures and recipients.
    fn nth(i: u64, gwei: u64) -> Self {
        let byte = |k: u64| u8::try_from((i * 31 + k * 7 + 1) % 256).unwrap();
        Self {
            pubkey: (0..48).map(byte).collect(),
            credentials: withdrawal_credentials(Address::with_last_byte(
                u8::try_from(i % 256).unwrap(),
            ))
            .to_vec(),
            signature: (100..196).map(byte).collect(),
            gwei,
        }
    }

    /// `hash_tree_root(DepositData)`, written out with `sha2`.
    fn root(&self) -> B256 {
        let pubkey_root = h(&[&self.pubkey, &[0u8; 16]]);
        let sig = &self.signature;
        let signature_root = h(&[&h(&[&sig[..64]]), &h(&[&sig[64..], &[0u8; 32]])]);
        B256::new(h(&[
            &h(&[&pubkey_root, &self.credentials]),
            &h(&[&self.gwei.to_le_bytes(), &[0u8; 24], &signature_root]),
        ]))
    }

    fn call(&self) -> depositCall {
        self.call_with_root(self.root())
    }

    fn call_with_root(&self, root: B256) -> depositCall {
        depositCall {
            pubkey: self.pubkey.clone().into(),
            withdrawal_credentials: self.credentials.clone().into(),
            signature: self.signature.clone().into(),
            deposit_data_root: root,
        }
    }

    fn value(&self) -> U256 {
        U256::from(self.gwei) * U256::from(GWEI)
    }
}

/// The deposit tree's root as the beacon chain defines it, from all its leaves at once: each
/// level pairs its nodes, an odd last node with the zero hash of that level; then the count.
fn reference_root(leaves: &[B256]) -> B256 {
    let mut level: Vec<[u8; 32]> = leaves.iter().map(|l| l.0).collect();
    let mut zero = [0u8; 32];
    for _ in 0..32 {
        level = level.chunks(2).map(|pair| h(&[&pair[0], pair.get(1).unwrap_or(&zero)])).collect();
        zero = h(&[&zero, &zero]);
    }
    let node = level.first().copied().unwrap_or(zero);
    let count = u64::try_from(leaves.len()).unwrap();
    B256::new(h(&[&node, &count.to_le_bytes(), &[0u8; 24]]))
}

struct Chain {
    vm: Vm,
    contract: Address,
}

impl Chain {
    fn new() -> Self {
        let mut vm = Vm::new();
        vm.set_balance(DEPOSITOR, ether(1_000_000));
        let contract = create_and_activate(&mut vm, DEPOSITOR, &read_wasm("deposit-contract"));
        Self { vm, contract }
    }

    fn send<C: SolCall>(&mut self, value: U256, call: &C) -> Receipt {
        self.vm.call(DEPOSITOR, self.contract, value, &call.abi_encode())
    }

    fn deposit(&mut self, d: &Deposit) -> Receipt {
        let r = self.send(d.value(), &d.call());
        assert!(r.success, "deposit failed: {:?} 0x{}", r.status, hex::encode(&r.output));
        r
    }

    /// A call that must revert with `Error(reason)`.
    fn reverts<C: SolCall>(&mut self, value: U256, call: &C, reason: &str) {
        let before = (self.root(), self.count(), self.vm.balance(self.contract));
        let r = self.send(value, call);
        assert!(!r.success, "should revert with {reason}");
        let got = Revert::abi_decode(&r.output, true).expect("Error(string) revert data");
        assert_eq!(got.reason, reason);
        assert!(r.logs.is_empty());
        assert_eq!((self.root(), self.count(), self.vm.balance(self.contract)), before);
    }

    fn view<C: SolCall>(&mut self, call: &C) -> C::Return {
        let r = self.vm.static_call(DEPOSITOR, self.contract, &call.abi_encode());
        assert!(r.success, "view {} failed: {:?}", C::SIGNATURE, r.status);
        C::abi_decode_returns(&r.output, true).expect("view return decodes")
    }

    fn root(&mut self) -> B256 {
        self.view(&get_deposit_rootCall {})._0
    }

    /// `get_deposit_count()`, which must be 8 bytes little-endian.
    fn count(&mut self) -> u64 {
        let bytes = self.view(&get_deposit_countCall {})._0;
        u64::from_le_bytes(bytes[..].try_into().expect("8 bytes"))
    }

    fn set_count(&mut self, count: u64) {
        self.vm.set_storage(self.contract, U256::from(COUNT_SLOT), U256::from(count).into());
    }
}

mod tree {
    use super::*;

    #[test]
    fn an_empty_contract_has_the_beacon_chain_empty_root() {
        let mut c = Chain::new();
        assert_eq!(c.root(), EMPTY_ROOT);
        assert_eq!(reference_root(&[]), EMPTY_ROOT);
        assert_eq!(c.view(&get_deposit_countCall {})._0, Bytes::from(vec![0u8; 8]));
    }

    #[test]
    fn root_and_count_follow_the_reference_tree_after_each_deposit() {
        let mut c = Chain::new();
        let mut leaves = Vec::new();
        for i in 0..17u64 {
            // 32 ether mostly, with a top-up of 1 ether and an odd amount of gwei between.
            let gwei = match i % 5 {
                1 => GWEI,
                3 => 2_000_000_123,
                _ => 32 * GWEI,
            };
            let d = Deposit::nth(i, gwei);
            c.deposit(&d);
            leaves.push(d.root());
            if [1, 2, 3, 5, 17].contains(&leaves.len()) {
                assert_eq!(c.root(), reference_root(&leaves), "root after {} deposits", i + 1);
                assert_eq!(c.count(), i + 1);
            }
        }
    }

    #[test]
    fn the_count_lives_in_slot_32_as_in_the_solidity_contract() {
        let mut c = Chain::new();
        c.deposit(&Deposit::nth(0, 32 * GWEI));
        c.deposit(&Deposit::nth(1, 32 * GWEI));
        assert_eq!(c.vm.storage(c.contract, U256::from(COUNT_SLOT)), B256::from(U256::from(2)));
        // Slot 1 holds the parent of the first two leaves (the first leaf sits in slot 0).
        let parent =
            h(&[&Deposit::nth(0, 32 * GWEI).root().0, &Deposit::nth(1, 32 * GWEI).root().0]);
        assert_eq!(c.vm.storage(c.contract, U256::from(1)), B256::new(parent));
    }

    #[test]
    fn the_last_leaf_fits_and_then_the_tree_is_full() {
        let mut c = Chain::new();
        c.set_count((1 << 32) - 2);
        c.deposit(&Deposit::nth(0, 32 * GWEI));
        assert_eq!(c.count(), (1 << 32) - 1);
        let d = Deposit::nth(1, 32 * GWEI);
        c.reverts(d.value(), &d.call(), "DepositContract: merkle tree full");
    }
}

mod deposits {
    use super::*;

    #[test]
    fn a_deposit_logs_its_data_with_little_endian_amount_and_index() {
        let mut c = Chain::new();
        c.deposit(&Deposit::nth(0, 32 * GWEI));
        let d = Deposit::nth(1, 2_000_000_123);
        let r = c.deposit(&d);
        assert_eq!(r.logs.len(), 1);
        let log = &r.logs[0];
        assert_eq!(log.address, c.contract);
        assert_eq!(log.topics(), &[DepositEvent::SIGNATURE_HASH]);
        let e = DepositEvent::decode_raw_log(log.topics().iter().copied(), &log.data.data, true)
            .expect("DepositEvent decodes");
        assert_eq!(e.pubkey, Bytes::from(d.pubkey.clone()));
        assert_eq!(e.withdrawal_credentials, Bytes::from(d.credentials.clone()));
        assert_eq!(e.amount, Bytes::from(2_000_000_123u64.to_le_bytes().to_vec()));
        assert_eq!(e.signature, Bytes::from(d.signature.clone()));
        assert_eq!(e.index, Bytes::from(1u64.to_le_bytes().to_vec()));
    }

    #[test]
    fn the_ether_stays_in_the_contract() {
        let mut c = Chain::new();
        let before = c.vm.balance(DEPOSITOR);
        let a = Deposit::nth(0, 32 * GWEI);
        let b = Deposit::nth(1, 1_500_000_000);
        c.deposit(&a);
        c.deposit(&b);
        assert_eq!(c.vm.balance(c.contract), a.value() + b.value());
        assert!(c.vm.balance(DEPOSITOR) <= before - a.value() - b.value());
    }

    #[test]
    fn the_largest_deposit_of_u64_max_gwei_is_accepted() {
        let mut c = Chain::new();
        let d = Deposit::nth(0, u64::MAX);
        c.vm.set_balance(DEPOSITOR, d.value() + ether(1));
        c.deposit(&d);
        assert_eq!(c.vm.balance(c.contract), d.value());
    }
}

mod reverts {
    use super::*;

    fn ok() -> Deposit {
        Deposit::nth(0, 32 * GWEI)
    }

    #[test]
    fn wrong_lengths_revert_with_the_real_reasons() {
        let mut c = Chain::new();
        for len in [0, 47, 49, 96] {
            let d = Deposit { pubkey: vec![1; len], ..ok() };
            c.reverts(
                d.value(),
                &d.call_with_root(ok().root()),
                "DepositContract: invalid pubkey length",
            );
        }
        for len in [0, 20, 31, 33] {
            let d = Deposit { credentials: vec![1; len], ..ok() };
            c.reverts(
                d.value(),
                &d.call_with_root(ok().root()),
                "DepositContract: invalid withdrawal_credentials length",
            );
        }
        for len in [0, 95, 97] {
            let d = Deposit { signature: vec![1; len], ..ok() };
            c.reverts(
                d.value(),
                &d.call_with_root(ok().root()),
                "DepositContract: invalid signature length",
            );
        }
    }

    #[test]
    fn values_below_one_ether_revert() {
        let mut c = Chain::new();
        for value in
            [U256::ZERO, U256::from(1), ether(1) - U256::from(GWEI), ether(1) - U256::from(1)]
        {
            c.reverts(value, &ok().call(), "DepositContract: deposit value too low");
        }
    }

    #[test]
    fn values_that_are_not_whole_gwei_revert() {
        let mut c = Chain::new();
        for value in [ether(1) + U256::from(1), ether(32) + U256::from(GWEI - 1)] {
            c.reverts(value, &ok().call(), "DepositContract: deposit value not multiple of gwei");
        }
    }

    #[test]
    fn values_over_u64_max_gwei_revert() {
        let mut c = Chain::new();
        let too_high = (U256::from(u64::MAX) + U256::from(1)) * U256::from(GWEI);
        c.vm.set_balance(DEPOSITOR, too_high * U256::from(2));
        c.reverts(too_high, &ok().call(), "DepositContract: deposit value too high");
        // Not a whole number of gwei is reported first, as in the Solidity contract.
        c.reverts(
            too_high + U256::from(1),
            &ok().call(),
            "DepositContract: deposit value not multiple of gwei",
        );
    }

    #[test]
    fn a_root_that_does_not_match_reverts() {
        let mut c = Chain::new();
        let d = ok();
        let reason =
            "DepositContract: reconstructed DepositData does not match supplied deposit_data_root";
        c.reverts(d.value(), &d.call_with_root(B256::ZERO), reason);
        // The root commits to the amount: the same data with another value does not match.
        c.reverts(ether(31), &d.call(), reason);
        let mut flipped = d.clone();
        flipped.signature[95] ^= 1;
        c.reverts(d.value(), &flipped.call_with_root(d.root()), reason);
    }

    #[test]
    fn checks_run_in_the_real_contracts_order() {
        let mut c = Chain::new();
        let bad = Deposit { pubkey: vec![1; 47], signature: vec![1; 95], ..ok() };
        c.reverts(
            U256::ZERO,
            &bad.call_with_root(B256::ZERO),
            "DepositContract: invalid pubkey length",
        );
        let bad = Deposit { signature: vec![1; 95], ..ok() };
        c.reverts(
            U256::ZERO,
            &bad.call_with_root(B256::ZERO),
            "DepositContract: invalid signature length",
        );
        c.reverts(
            U256::from(1),
            &ok().call_with_root(B256::ZERO),
            "DepositContract: deposit value too low",
        );
    }

    #[test]
    fn views_refuse_value_and_plain_transfers_or_unknown_selectors_revert() {
        let mut c = Chain::new();
        for data in [get_deposit_rootCall {}.abi_encode(), get_deposit_countCall {}.abi_encode()] {
            let r = c.vm.call(DEPOSITOR, c.contract, U256::from(1), &data);
            assert!(!r.success);
            assert!(r.output.is_empty());
        }
        for data in [vec![], vec![0xde, 0xad, 0xbe, 0xef]] {
            let r = c.vm.call(DEPOSITOR, c.contract, ether(1), &data);
            assert!(!r.success);
            assert!(r.output.is_empty());
        }
        // Arguments that do not decode: a truncated deposit.
        let mut data = ok().call().abi_encode();
        data.truncate(100);
        let r = c.vm.call(DEPOSITOR, c.contract, ether(32), &data);
        assert!(!r.success);
        assert!(r.output.is_empty());
        assert_eq!(c.vm.balance(c.contract), U256::ZERO);
    }
}

#[test]
fn supports_erc165_and_the_deposit_contract_interface() {
    let mut c = Chain::new();
    let supports = |c: &mut Chain, id: [u8; 4]| {
        c.view(&supportsInterfaceCall { interfaceId: FixedBytes(id) })._0
    };
    assert!(supports(&mut c, hex!("01ffc9a7")));
    assert!(supports(&mut c, hex!("85640907")));
    let id = depositCall::SELECTOR;
    let xor = |a: [u8; 4], b: [u8; 4]| core::array::from_fn::<u8, 4, _>(|i| a[i] ^ b[i]);
    assert_eq!(
        xor(xor(id, get_deposit_rootCall::SELECTOR), get_deposit_countCall::SELECTOR),
        hex!("85640907")
    );
    assert!(!supports(&mut c, hex!("ffffffff")));
    assert!(!supports(&mut c, hex!("00000000")));
    assert!(!supports(&mut c, depositCall::SELECTOR));
}
