//! The storage table of the module docs (`lib.rs` slots, `storage.rs` words) against the real
//! layout: every `#[storage]` field at its documented slot, every packed field at its
//! documented bits (see `staking_common::layout`).

use alloc::vec;

use alloy_primitives::{Address, U256};
use staking_common::layout::{addr, check_slots, check_word, struct_fields, At, Doc, Probe};
use staking_math::StakeLimit;

use crate::{
    storage::{
        Beacon, L1Vault, LossEntry, ReportConfig, Totals, Wrapped, L1_RECEIVED_MAX, LOSS_MAX,
    },
    StakingPool,
};

type P = Probe<StakingPool>;

const LIB: &str = include_str!("../lib.rs");
const STORAGE: &str = include_str!("../storage.rs");

fn doc() -> Doc {
    Doc::parse(&[LIB, STORAGE])
}

#[test]
fn every_storage_field_is_at_its_documented_slot() {
    let one = U256::from(1);
    let mut probes = vec![
        P::new("totals", At::Slot, move |c| c.totals.set(one)),
        P::new("beacon", At::Slot, move |c| c.beacon.set(one)),
        P::new("stake_limit", At::Slot, move |c| c.stake_limit.set(one)),
        P::new("access_manager", At::Slot, |c| c.access_manager.set(addr(1))),
        P::new("shares", At::Map(addr(7).into_word()), move |c| c.shares.setter(addr(7)).set(one)),
        P::new("allowances", At::Map2(addr(7).into_word(), addr(8).into_word()), move |c| {
            c.allowances.setter(addr(7)).setter(addr(8)).set(one);
        }),
        P::new("withdrawal_queue", At::Slot, |c| c.withdrawal_queue.set(addr(1))),
        P::new("registry", At::Slot, |c| c.registry.set(addr(1))),
        P::new("extension", At::Slot, |c| c.extension.set(addr(1))),
        P::new("report_config", At::Slot, move |c| c.report_config.set(one)),
        P::new("treasury", At::Slot, |c| c.treasury.set(addr(1))),
    ];
    // The window's last element pins the end of the documented range (11..18).
    probes.push(P::new("losses", At::Offset(7), move |c| {
        c.losses.setter(7).expect("8 elements").set(one);
    }));
    probes.push(P::new("l1_vault", At::Slot, move |c| c.l1_vault.set(one)));
    probes.push(P::new("wrapped", At::Slot, move |c| c.wrapped.set(one)));
    probes.push(P::new("permit_program", At::Slot, |c| c.permit_program.set(addr(1))));
    probes.push(P::new("nonces", At::Map(addr(7).into_word()), move |c| {
        c.nonces.setter(addr(7)).set(one);
    }));
    let fields = struct_fields(LIB, "StakingPool");
    check_slots(&doc(), &fields, &probes, |vm| StakingPool::from(vm));
    let losses = doc().slot("losses").clone();
    assert_eq!(losses.last - losses.first + 1, 8, "the window is 8 slots");
}

#[test]
fn every_packed_word_is_at_its_documented_bits() {
    let doc = doc();
    check_word(
        &doc,
        "totals",
        Totals::pack,
        Totals::unpack,
        &[
            ("total_shares", |t| t.total_shares = u128::MAX),
            ("buffered_ether", |t| t.buffered_ether = u128::MAX),
        ],
    );
    check_word(
        &doc,
        "beacon",
        Beacon::pack,
        Beacon::unpack,
        &[
            ("cl_balance", |b| b.cl_balance = u128::MAX),
            ("deposited_validators", |b| b.deposited_validators = u64::MAX),
            ("cl_validators", |b| b.cl_validators = u32::MAX),
            ("flags", |b| b.flags = u32::MAX),
        ],
    );
    check_word(
        &doc,
        "stake_limit",
        StakeLimit::pack,
        StakeLimit::unpack,
        &[
            ("prev_limit", |l| l.prev_limit = StakeLimit::MAX_AMOUNT),
            ("prev_block", |l| l.prev_block = u32::MAX),
            ("growth_blocks", |l| l.growth_blocks = u32::MAX),
            ("max_limit", |l| l.max_limit = StakeLimit::MAX_AMOUNT),
        ],
    );
    check_word(
        &doc,
        "report_config",
        ReportConfig::pack,
        ReportConfig::unpack,
        &[
            ("oracle", |r| r.oracle = Address::repeat_byte(0xff)),
            ("total_fee_bp", |r| r.total_fee_bp = u16::MAX),
            ("operators_fee_bp", |r| r.operators_fee_bp = u16::MAX),
            ("loss_head", |r| r.loss_head = u8::MAX),
            ("loss_len", |r| r.loss_len = u8::MAX),
        ],
    );
    let pack =
        |(even, odd): &(LossEntry, LossEntry)| odd.pack_into(even.pack_into(U256::ZERO, 0), 1);
    let unpack = |w: U256| (LossEntry::unpack(w, 0), LossEntry::unpack(w, 1));
    check_word(
        &doc,
        "loss_pair",
        pack,
        unpack,
        &[
            ("even_timestamp", |p| p.0.timestamp = u32::MAX),
            ("even_loss", |p| p.0.loss = LOSS_MAX),
            ("odd_timestamp", |p| p.1.timestamp = u32::MAX),
            ("odd_loss", |p| p.1.loss = LOSS_MAX),
        ],
    );
    check_word(
        &doc,
        "l1_vault",
        L1Vault::pack,
        L1Vault::unpack,
        &[
            ("vault", |v| v.vault = Address::repeat_byte(0xff)),
            ("received", |v| v.received = L1_RECEIVED_MAX),
        ],
    );
    check_word(
        &doc,
        "wrapped",
        Wrapped::pack,
        Wrapped::unpack,
        &[
            ("token", |w| w.token = Address::repeat_byte(0xff)),
            ("report_round", |w| w.report_round = u32::MAX),
            ("report_timestamp", |w| w.report_timestamp = u64::MAX),
        ],
    );
}
