//! The storage table of the module docs (`lib.rs` slots, `storage.rs` words) against the real
//! layout: every `#[storage]` field at its documented slot, every packed field at its
//! documented bits (see `staking_common::layout`).

use alloc::vec;

use alloy_primitives::{B256, U256};
use staking_common::layout::{addr, check_slots, check_word, key, struct_fields, At, Doc, Probe};
use staking_math::{pack_u128_pair, unpack_u128_pair};

use crate::{
    storage::{ExitConfig, Global, Operator, OperatorExits, RESUMED_AT_MAX},
    NodeOperatorRegistry,
};

type P = Probe<NodeOperatorRegistry>;

const LIB: &str = include_str!("../lib.rs");
const STORAGE: &str = include_str!("../storage.rs");

fn doc() -> Doc {
    Doc::parse(&[LIB, STORAGE])
}

#[test]
fn every_storage_field_is_at_its_documented_slot() {
    let one = U256::from(1);
    let probes = vec![
        P::new("global", At::Slot, move |c| c.global.set(one)),
        P::new("pool", At::Slot, |c| c.pool.set(addr(1))),
        P::new("withdrawal_credentials", At::Slot, |c| {
            c.withdrawal_credentials.set(B256::repeat_byte(1));
        }),
        P::new("access_manager", At::Slot, |c| c.access_manager.set(addr(1))),
        P::new("rewards", At::Slot, move |c| c.rewards.set(one)),
        P::new("operators", At::Map(key(7)), move |c| c.operators.setter(U256::from(7)).set(one)),
        P::new("reward_addresses", At::Map(key(7)), |c| {
            c.reward_addresses.setter(U256::from(7)).set(addr(1));
        }),
        P::new("names", At::Map(key(7)), |c| c.names.setter(U256::from(7)).set_str("x")),
        P::new("earned", At::Map(key(7)), move |c| c.earned.setter(U256::from(7)).set(one)),
        P::new("commitments", At::Map(key(7)), move |c| {
            c.commitments.setter(U256::from(7)).set(one);
        }),
        // Growing the list writes its length at the slot and the element at keccak256(slot).
        P::new("guardian_list", At::VecElement0, |c| {
            c.guardian_list.grow().set(addr(1));
        }),
        P::new("guardian_index", At::Map(addr(7).into_word()), move |c| {
            c.guardian_index.setter(addr(7)).set(one);
        }),
        P::new("extension", At::Slot, |c| c.extension.set(addr(1))),
        P::new("exits", At::Map(key(7)), move |c| c.exits.setter(U256::from(7)).set(one)),
        P::new("exit_config", At::Slot, move |c| c.exit_config.set(one)),
    ];
    let fields = struct_fields(LIB, "NodeOperatorRegistry");
    check_slots(&doc(), &fields, &probes, |vm| NodeOperatorRegistry::from(vm));
}

#[test]
fn every_packed_word_is_at_its_documented_bits() {
    let doc = doc();
    check_word(
        &doc,
        "global",
        Global::pack,
        Global::unpack,
        &[
            ("nonce", |g| g.nonce = u64::MAX),
            ("total_active", |g| g.total_active = u64::MAX),
            ("operators", |g| g.operators = u16::MAX),
            ("head", |g| g.head = u16::MAX),
            ("reward_epoch", |g| g.reward_epoch = u32::MAX),
            ("guardians", |g| g.guardians = u8::MAX),
            ("flags", |g| g.flags = u8::MAX),
            ("resumed_at", |g| g.resumed_at = RESUMED_AT_MAX),
        ],
    );
    check_word(
        &doc,
        "operator",
        Operator::pack,
        Operator::unpack,
        &[
            ("deposited", |o| o.deposited = u32::MAX),
            ("exited", |o| o.exited = u32::MAX),
            ("vetted", |o| o.vetted = u32::MAX),
            ("submitted", |o| o.submitted = u32::MAX),
            ("target", |o| o.target = u32::MAX),
            ("next", |o| o.next = u16::MAX),
            ("prev", |o| o.prev = u16::MAX),
            ("batches", |o| o.batches = u16::MAX),
            ("reward_epoch", |o| o.reward_epoch = u32::MAX),
            ("flags", |o| o.flags = u8::MAX),
        ],
    );
    // Both reward words are `staking_math`'s u128 pair, (low, high), as `rewards.rs` uses it.
    let pack = |p: &(u128, u128)| pack_u128_pair(p.0, p.1);
    check_word(
        &doc,
        "rewards",
        pack,
        unpack_u128_pair,
        &[("acc_per_validator", |p| p.0 = u128::MAX), ("undistributed", |p| p.1 = u128::MAX)],
    );
    check_word(
        &doc,
        "earned",
        pack,
        unpack_u128_pair,
        &[("accrued", |p| p.0 = u128::MAX), ("snapshot", |p| p.1 = u128::MAX)],
    );
    check_word(
        &doc,
        "exits",
        OperatorExits::pack,
        OperatorExits::unpack,
        &[
            ("cursor", |w| w.cursor = u32::MAX),
            ("target", |w| w.target = u32::MAX),
            ("due", |w| w.due = u32::MAX),
            ("requested", |w| w.requested = u32::MAX),
            ("due_at", |w| w.due_at = u32::MAX),
            ("next_at", |w| w.next_at = u32::MAX),
            ("forced", |w| w.forced = u32::MAX),
            ("due_cursor", |w| w.due_cursor = u32::MAX),
        ],
    );
    check_word(
        &doc,
        "exit_config",
        ExitConfig::pack,
        ExitConfig::unpack,
        &[
            ("late_active", |c| c.late_active = u64::MAX),
            ("pending", |c| c.pending = u64::MAX),
            ("exit_deadline", |c| c.exit_deadline = u32::MAX),
            ("force_deadline", |c| c.force_deadline = u32::MAX),
        ],
    );
}
