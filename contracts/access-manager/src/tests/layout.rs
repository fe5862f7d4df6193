//! The storage table of the crate doc against the real layout: every `#[storage]` field at its
//! documented slot, the delay word's fields at their documented bits (see
//! `staking_common::layout`).

use alloc::vec;

use alloy_primitives::{B256, U128, U256, U64};
use staking_common::layout::{check_slots, check_word, struct_fields, At, Doc, Probe};

use crate::{delays::DelayConfig, AccessManager};

type P = Probe<AccessManager>;

const LIB: &str = include_str!("../lib.rs");
const STORAGE: &str = include_str!("../storage.rs");

#[test]
fn every_storage_field_is_at_its_documented_slot() {
    let role = B256::repeat_byte(7);
    let probes = vec![
        // A role's admin is the second word of its entry (after the members map).
        P::new("access", At::MapField(role, 1), move |c| {
            c.access.roles.setter(role).admin_role.set(B256::repeat_byte(1));
        }),
        P::new("delays", At::Map(role), move |c| c.delays.setter(role).set(U128::from(1))),
        P::new("operations", At::Map(role), move |c| c.operations.setter(role).set(U64::from(1))),
        P::new("initialized", At::Slot, |c| c.initialized.set(true)),
    ];
    let fields = struct_fields(STORAGE, "AccessManager");
    check_slots(&Doc::parse(&[LIB]), &fields, &probes, |vm| AccessManager::from(vm));
}

#[test]
fn the_delay_word_is_at_its_documented_bits() {
    let unpack = |w: U256| {
        let [low, high, ..] = w.into_limbs();
        DelayConfig::unpack(U128::from_limbs([low, high]))
    };
    check_word(
        &Doc::parse(&[LIB]),
        "delay",
        |d: &DelayConfig| U256::from(d.pack()),
        unpack,
        &[
            ("effect_at", |d| d.effect_at = u64::MAX),
            ("pending", |d| d.pending = u32::MAX),
            ("current", |d| d.current = u32::MAX),
        ],
    );
}
