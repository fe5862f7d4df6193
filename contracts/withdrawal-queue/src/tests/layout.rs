//! The storage table of the module docs (`lib.rs` slots, `storage.rs` words) against the real
//! layout: every `#[storage]` field at its documented slot, every packed field at its
//! documented bits (see `staking_common::layout`).

use alloc::vec;

use alloy_primitives::{Address, U256};
use staking_common::layout::{addr, check_slots, check_word, key, struct_fields, At, Doc, Probe};

use crate::{
    storage::{Checkpoint, Config, Final, Owner, Queue, Request},
    WithdrawalQueue,
};

type P = Probe<WithdrawalQueue>;

const LIB: &str = include_str!("../lib.rs");
const STORAGE: &str = include_str!("../storage.rs");

fn doc() -> Doc {
    Doc::parse(&[LIB, STORAGE])
}

#[test]
fn every_storage_field_is_at_its_documented_slot() {
    let one = U256::from(1);
    let probes = vec![
        P::new("queue", At::Slot, move |c| c.queue.set(one)),
        P::new("config", At::Slot, move |c| c.config.set(one)),
        P::new("fin", At::Slot, move |c| c.fin.set(one)),
        P::new("access_manager", At::Slot, |c| c.access_manager.set(addr(1))),
        P::new("requests", At::Map(key(7)), move |c| c.requests.setter(U256::from(7)).set(one)),
        P::new("checkpoints", At::Map(key(7)), move |c| {
            c.checkpoints.setter(U256::from(7)).set(one);
        }),
        P::new("owners", At::Map(addr(7).into_word()), move |c| {
            c.owners.setter(addr(7)).set(one);
        }),
        P::new("owner_by_index", At::Map(key(7)), |c| {
            c.owner_by_index.setter(U256::from(7)).set(addr(1));
        }),
        P::new("token_approvals", At::Map(key(7)), |c| {
            c.token_approvals.setter(U256::from(7)).set(addr(1));
        }),
        P::new("operators", At::Map2(addr(7).into_word(), addr(8).into_word()), |c| {
            c.operators.setter(addr(7)).setter(addr(8)).set(true);
        }),
        P::new("base_uri", At::Slot, |c| c.base_uri.set_str("x")),
        P::new("extension", At::Slot, |c| c.extension.set(addr(1))),
    ];
    let fields = struct_fields(LIB, "WithdrawalQueue");
    check_slots(&doc(), &fields, &probes, |vm| WithdrawalQueue::from(vm));
}

#[test]
fn every_packed_word_is_at_its_documented_bits() {
    let doc = doc();
    check_word(
        &doc,
        "queue",
        |q: &Queue| q.pack().expect("fits"),
        Queue::unpack,
        &[
            ("cum_ether", |q| q.cum_ether = (1 << 96) - 1),
            ("cum_shares", |q| q.cum_shares = (1 << 96) - 1),
            ("last_request_id", |q| q.last_request_id = u32::MAX),
            ("flags", |q| q.flags = u8::MAX),
            ("max_rate", |q| q.max_rate = (1 << 24) - 1),
        ],
    );
    check_word(
        &doc,
        "config",
        |c: &Config| c.pack().expect("fits"),
        Config::unpack,
        &[
            ("pool", |c| c.pool = Address::repeat_byte(0xff)),
            ("min_request", |c| c.min_request = (1 << 48) - 1),
            ("max_request_gwei", |c| c.max_request_gwei = (1 << 48) - 1),
        ],
    );
    check_word(
        &doc,
        "final",
        |f: &Final| f.pack().expect("fits"),
        Final::unpack,
        &[
            ("last_finalized", |f| f.last_finalized = u32::MAX),
            ("checkpoint_count", |f| f.checkpoint_count = u32::MAX),
            ("min_delay", |f| f.min_delay = u32::MAX),
            ("locked", |f| f.locked = (1 << 88) - 1),
            ("latest_nominal", |f| f.latest_nominal = true),
            ("owner_count", |f| f.owner_count = u32::MAX),
            ("latest_first", |f| f.latest_first = u32::MAX),
        ],
    );
    check_word(
        &doc,
        "request",
        |r: &Request| r.pack().expect("fits"),
        Request::unpack,
        &[
            ("cum_ether", |r| r.cum_ether = (1 << 96) - 1),
            ("cum_shares", |r| r.cum_shares = (1 << 96) - 1),
            ("owner", |r| r.owner = u32::MAX),
            ("timestamp", |r| r.timestamp = u32::MAX),
        ],
    );
    check_word(
        &doc,
        "checkpoint",
        |k: &Checkpoint| k.pack().expect("fits"),
        Checkpoint::unpack,
        &[("first_id", |k| k.first_id = u32::MAX), ("rate", |k| k.rate = (1 << 96) - 1)],
    );
    check_word(
        &doc,
        "owner",
        Owner::pack,
        Owner::unpack,
        &[("index", |o| o.index = u32::MAX), ("balance", |o| o.balance = u32::MAX)],
    );
}

#[test]
fn the_locked_ether_field_is_88_bits_wide_and_refuses_more() {
    let f = Final { locked: 1 << 88, ..Final::default() };
    assert!(f.pack().is_err(), "2^88 does not fit `locked`");
    let field = doc().word("final").iter().find(|f| f.name == "locked").cloned();
    assert_eq!(field.map(|f| f.hi - f.lo), Some(88));
}
