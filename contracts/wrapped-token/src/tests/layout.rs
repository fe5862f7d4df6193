//! The storage table of the crate doc against the real layout: every `#[storage]` field at its
//! documented slot, the core word's fields at their documented bits (see
//! `staking_common::layout`).

use alloc::vec;

use alloy_primitives::{Address, B256, U256};
use staking_common::layout::{check_slots, check_word, struct_fields, At, Doc, Probe};

use crate::{storage::Core, WrappedToken, MAX_SUPPLY};

type P = Probe<WrappedToken>;

const LIB: &str = include_str!("../lib.rs");
const STORAGE: &str = include_str!("../storage.rs");

#[test]
fn every_storage_field_is_at_its_documented_slot() {
    let a = Address::repeat_byte(7);
    let b = Address::repeat_byte(9);
    let probes = vec![
        P::new("balances", At::Map(a.into_word()), move |c| {
            c.balances.setter(a).set(U256::from(1));
        }),
        P::new("allowances", At::Map2(a.into_word(), b.into_word()), move |c| {
            c.allowances.setter(a).setter(b).set(U256::from(1));
        }),
        P::new("core", At::Slot, |c| c.core.set(U256::from(1))),
        P::new("nonces", At::Map(a.into_word()), move |c| c.nonces.setter(a).set(U256::from(1))),
    ];
    let fields = struct_fields(STORAGE, "WrappedToken");
    check_slots(&Doc::parse(&[LIB]), &fields, &probes, |vm| WrappedToken::from(vm));
}

#[test]
fn the_core_word_is_at_its_documented_bits() {
    check_word(
        &Doc::parse(&[LIB]),
        "core",
        |c: &Core| c.pack(),
        Core::unpack,
        &[
            ("pool", |c| c.pool = Address::repeat_byte(0xff)),
            ("total_supply", |c| c.total_supply = MAX_SUPPLY),
        ],
    );
    let _ = B256::ZERO;
}
