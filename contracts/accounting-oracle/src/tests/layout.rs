//! The storage table of the module docs (`lib.rs` slots, `storage.rs` words) against the real
//! layout: every `#[storage]` field at its documented slot, every packed field at its
//! documented bits (see `staking_common::layout`).

use alloc::vec;

use alloy_primitives::{Address, B256, U256};
use staking_common::layout::{addr, check_slots, check_word, key, struct_fields, At, Doc, Probe};
use staking_math::sanity::Limits;

use crate::{
    storage::{ExitRequests, L1State, Processing},
    AccountingOracle, Config, Round,
};

type P = Probe<AccountingOracle>;

const LIB: &str = include_str!("../lib.rs");
const STORAGE: &str = include_str!("../storage.rs");

fn doc() -> Doc {
    Doc::parse(&[LIB, STORAGE])
}

#[test]
fn every_storage_field_is_at_its_documented_slot() {
    let one = U256::from(1);
    let probes = vec![
        P::new("round", At::Slot, move |c| c.round.set(one)),
        P::new("config", At::Slot, move |c| c.config.set(one)),
        P::new("processing", At::Slot, move |c| c.processing.set(one)),
        P::new("limits", At::Slot, move |c| c.limits.set(one)),
        P::new("l1_state", At::Slot, move |c| c.l1_state.set(one)),
        P::new("exit_requests", At::Slot, move |c| c.exit_requests.set(one)),
        P::new("exit_requests_hash", At::Slot, |c| c.exit_requests_hash.set(B256::repeat_byte(1))),
        P::new("access_manager", At::Slot, |c| c.access_manager.set(addr(1))),
        P::new("registry", At::Slot, |c| c.registry.set(addr(1))),
        P::new("extension", At::Slot, |c| c.extension.set(addr(1))),
        P::new("member_index", At::Map(addr(7).into_word()), move |c| {
            c.member_index.setter(addr(7)).set(one);
        }),
        P::new("member_address", At::Map(key(7)), |c| {
            c.member_address.setter(U256::from(7)).set(addr(1));
        }),
        P::new("variants", At::Map(key(7)), |c| {
            c.variants.setter(U256::from(7)).set(B256::repeat_byte(1));
        }),
    ];
    let fields = struct_fields(LIB, "AccountingOracle");
    check_slots(&doc(), &fields, &probes, |vm| AccountingOracle::from(vm));
}

#[test]
fn every_packed_word_is_at_its_documented_bits() {
    let doc = doc();
    check_word(
        &doc,
        "round",
        Round::pack,
        Round::unpack,
        &[
            ("ref_slot", |r| r.ref_slot = u32::MAX),
            ("deadline", |r| r.deadline = u32::MAX),
            ("fast_lane_end", |r| r.fast_lane_end = u32::MAX),
            ("quorum", |r| r.quorum = u8::MAX),
            ("members", |r| r.members = u8::MAX),
            ("fast_lane_start", |r| r.fast_lane_start = u8::MAX),
            ("consensus_variant", |r| r.consensus_variant = 0xF),
            ("processing", |r| r.processing = true),
            ("votes_16_29", |r| r.votes.0[1] = (1 << 56) - 1),
            ("consensus_version", |r| r.consensus_version = u8::MAX),
            ("votes_0_15", |r| r.votes.0[0] = u64::MAX),
        ],
    );
    check_word(
        &doc,
        "config",
        Config::pack,
        Config::unpack,
        &[
            ("genesis_time", |c| c.genesis_time = u64::MAX),
            ("initial_epoch", |c| c.initial_epoch = u64::MAX),
            ("epochs_per_frame", |c| c.epochs_per_frame = u32::MAX),
            ("fast_lane_slots", |c| c.fast_lane_slots = u32::MAX),
            ("seconds_per_slot", |c| c.seconds_per_slot = u16::MAX),
            ("slots_per_epoch", |c| c.slots_per_epoch = u16::MAX),
            ("quorum", |c| c.quorum = u8::MAX),
            ("members", |c| c.members = u8::MAX),
            ("consensus_version", |c| c.consensus_version = u8::MAX),
            ("initialized", |c| c.initialized = true),
        ],
    );
    check_word(
        &doc,
        "processing",
        Processing::pack,
        Processing::unpack,
        &[
            ("pool", |p| p.pool = Address::repeat_byte(0xff)),
            ("last_ref_slot", |p| p.last_ref_slot = u32::MAX),
        ],
    );
    check_word(
        &doc,
        "exit_requests",
        ExitRequests::pack,
        ExitRequests::unpack,
        &[
            ("ref_slot", |e| e.ref_slot = u32::MAX),
            ("count", |e| e.count = u16::MAX),
            ("max_per_report", |e| e.max_per_report = u16::MAX),
            ("allowed", |e| e.allowed = u32::MAX),
            ("per_day", |e| e.per_day = u32::MAX),
            ("level", |e| e.level = u32::MAX),
            ("level_at", |e| e.level_at = (1 << 40) - 1),
            ("delivered", |e| e.delivered = true),
        ],
    );
    check_word(
        &doc,
        "l1_state",
        L1State::pack,
        L1State::unpack,
        &[
            ("bridged_to_l2", |l| l.bridged_to_l2 = u128::MAX),
            ("received", |l| l.received = u128::MAX),
        ],
    );
    check_word(
        &doc,
        "limits",
        Limits::pack,
        Limits::unpack,
        &[
            ("annual_increase_bp", |l| l.annual_increase_bp = u16::MAX),
            ("cl_decrease_bp", |l| l.cl_decrease_bp = u16::MAX),
            ("cl_decrease_window", |l| l.cl_decrease_window = u32::MAX),
            ("share_rate_deviation_bp", |l| l.share_rate_deviation_bp = u16::MAX),
            ("appeared_per_day", |l| l.appeared_per_day = u32::MAX),
            ("exited_per_day", |l| l.exited_per_day = u32::MAX),
            ("request_margin", |l| l.request_margin = u32::MAX),
            ("max_positive_rebase", |l| l.max_positive_rebase = u64::MAX),
            ("max_exited_operators", |l| l.max_exited_operators = u16::MAX),
        ],
    );
}
