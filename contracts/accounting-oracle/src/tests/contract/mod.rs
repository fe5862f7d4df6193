//! Motsu tests of the contract through its entry points, one module per aspect.
//!
//! The AccessManager is `AccessManagerMock` (a flat role table whose `authorizeCall` reverts as
//! the real one does, records what it was asked and can call back into the oracle while it is
//! asked); `ForwarderMock` sends raw calldata (and ether) through the ABI router. Time moves
//! through the contract's one clock seam ([`super::clock`]): motsu's block time is fixed.
//!
//! Failing calls are made without motsu's revert (the `Result` is inspected directly), so the
//! "state unchanged" assertions also show that every check precedes every write. What motsu
//! cannot show (gas, the SDK's own refusal of re-entry, transient storage per transaction) is
//! left to the end-to-end tests on the release wasm.
#![allow(
    clippy::unreadable_literal,
    clippy::cast_possible_truncation,
    clippy::needless_pass_by_value,
    clippy::unused_self,
    unreachable_pub,
    reason = "test helpers narrow numbers they chose themselves; mocks are `pub` for the SDK \
              macros"
)]

use alloc::vec::Vec;
use std::sync::{Mutex, MutexGuard, PoisonError};

use alloy_primitives::{Address, LogData, B256, U256};
use alloy_sol_types::{SolError, SolEvent};
use motsu::prelude::*;
use staking_common::roles::{
    DEFAULT_ADMIN_ROLE, DISABLE_CONSENSUS_ROLE, MANAGE_CONSENSUS_VERSION_ROLE,
    MANAGE_FRAME_CONFIG_ROLE, MANAGE_MEMBERS_AND_QUORUM_ROLE, SANITY_LIMITS_ROLE,
};
use stylus_sdk::abi::Bytes;

use super::clock;
use crate::{
    errors::{AccessDenied, Error},
    AccountingOracle, Config, Round,
};

mod access;
mod committee;
mod data;
mod initialize;
mod lane;
mod roll;
mod router;
mod views;
mod voting;

/// Unix time of slot 0.
pub(crate) const GENESIS: u64 = 1_700_000_000;
/// Seconds per slot.
pub(crate) const SPS: u64 = 12;
/// Slots per epoch.
pub(crate) const SPE: u64 = 32;
/// Epochs per frame (one day).
pub(crate) const EPF: u64 = 225;
/// Frame 0's first epoch.
pub(crate) const INITIAL_EPOCH: u64 = 10;
/// The consensus version of [`Env::new`].
pub(crate) const VERSION: u64 = 2;
/// Slots per frame.
pub(crate) const FRAME_SLOTS: u64 = EPF * SPE;
/// The extension program's address (native builds route every selector themselves).
pub(crate) const EXTENSION: Address = Address::repeat_byte(0xe7);

// ------------------------------------------------------------------ mocks

pub(crate) use staking_common::mocks::{AccessManagerMock, ForwarderMock, MockUnauthorized};

// ------------------------------------------------------------------ clock

/// Unix time at which `slot` starts.
pub(crate) fn slot_time(slot: u64) -> u64 {
    GENESIS + slot * SPS
}

/// Reference slot of frame `k` (default config).
pub(crate) fn ref_slot(k: u64) -> u64 {
    (INITIAL_EPOCH + k * EPF) * SPE - 1
}

/// The last slot of frame `k` (its deadline slot).
pub(crate) fn deadline_slot(k: u64) -> u64 {
    ref_slot(k) + FRAME_SLOTS
}

/// Moves the clock to `slot`'s first second.
pub(crate) fn at_slot(slot: u64) {
    clock::set(slot_time(slot));
}

/// Moves the clock to frame `k`'s first second.
pub(crate) fn at_frame(k: u64) {
    at_slot(ref_slot(k) + 1);
}

// ------------------------------------------------------------------ environment

/// One environment at a time in the test binary (motsu keeps every thread's state in one
/// map that gives up on a shard locked for 10 ms; see the registry's tests).
static SERIAL: Mutex<()> = Mutex::new(());

/// Every role the oracle's admin calls ask for (`SUBMIT_DATA_ROLE`, asked only of
/// non-members submitting data, is granted where a test needs it).
pub(crate) const ROLES: [B256; 6] = [
    MANAGE_MEMBERS_AND_QUORUM_ROLE,
    DISABLE_CONSENSUS_ROLE,
    MANAGE_FRAME_CONFIG_ROLE,
    MANAGE_CONSENSUS_VERSION_ROLE,
    SANITY_LIMITS_ROLE,
    DEFAULT_ADMIN_ROLE,
];

/// The oracle, its AccessManager and an admin holding every role.
pub(crate) struct Env {
    pub oracle: Contract<AccountingOracle>,
    pub manager: Contract<AccessManagerMock>,
    pub admin: Address,
    _serial: MutexGuard<'static, ()>,
}

/// Committee member `i`.
pub(crate) fn member(i: u8) -> Address {
    let mut a = [0x33u8; 20];
    a[19] = i;
    Address::from(a)
}

/// A report hash.
pub(crate) fn h(n: u8) -> B256 {
    B256::repeat_byte(n)
}

pub(crate) fn u(n: u64) -> U256 {
    U256::from(n)
}

impl Env {
    /// Deployed, the admin granted every role, not initialized; the clock in frame 1.
    pub(crate) fn deployed() -> Self {
        let serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
        let env = Self {
            oracle: Contract::new(),
            manager: Contract::new(),
            admin: Address::repeat_byte(0xad),
            _serial: serial,
        };
        for role in ROLES {
            env.manager.sender(env.admin).grant(role, env.admin);
        }
        at_frame(1);
        env
    }

    /// Runs the constructor with the default config and fast lane `fast_lane` slots.
    pub(crate) fn init(&self, fast_lane: u64) -> Result<(), Error> {
        self.oracle.sender(self.admin).constructor(
            self.manager.address(),
            EXTENSION,
            u(GENESIS),
            u(SPS),
            u(SPE),
            u(INITIAL_EPOCH),
            u(EPF),
            u(fast_lane),
            u(VERSION),
        )
    }

    /// Deployed and initialized (no fast lane), no members.
    pub(crate) fn new() -> Self {
        let env = Self::deployed();
        env.init(0).expect("constructor");
        env
    }

    /// Initialized with members `0..n` and `quorum`.
    pub(crate) fn committee(n: u8, quorum: u64) -> Self {
        let env = Self::new();
        for i in 0..n {
            env.add(i, quorum).expect("addMember");
        }
        env
    }

    /// `addMember(member(i), quorum)` by the admin.
    pub(crate) fn add(&self, i: u8, quorum: u64) -> Result<(), Error> {
        self.oracle.sender(self.admin).add_member(member(i), u(quorum))
    }

    /// `removeMember(member(i), quorum)` by the admin.
    pub(crate) fn remove(&self, i: u8, quorum: u64) -> Result<(), Error> {
        self.oracle.sender(self.admin).remove_member(member(i), u(quorum))
    }

    /// Member `i` votes `hash` for `slot` under the current version.
    pub(crate) fn vote(&self, i: u8, slot: u64, hash: B256) -> Result<(), Error> {
        self.vote_as(member(i), slot, hash, VERSION)
    }

    /// `submitReport(slot, hash, version)` from `caller`.
    pub(crate) fn vote_as(
        &self,
        caller: Address,
        slot: u64,
        hash: B256,
        version: u64,
    ) -> Result<(), Error> {
        self.oracle.sender(caller).submit_report(u(slot), hash, u(version))
    }

    /// A caller for views and raw storage reads.
    pub(crate) fn r(&self) -> ContractCall<'_, AccountingOracle> {
        self.oracle.sender(Address::repeat_byte(0x0b))
    }

    /// The round word.
    pub(crate) fn round(&self) -> Round {
        self.r().load_round()
    }

    /// The config word.
    pub(crate) fn config(&self) -> Config {
        self.r().load_config()
    }

    /// `(refSlot, consensusReport, isReportProcessing)`.
    pub(crate) fn consensus(&self) -> (U256, B256, bool) {
        self.r().get_consensus_state().expect("consensus state")
    }

    /// The number of events logged so far.
    pub(crate) fn mark(&self) -> usize {
        self.oracle.all_events().len()
    }

    /// The events logged since `mark`.
    pub(crate) fn logs_since(&self, mark: usize) -> Vec<LogData> {
        self.oracle.all_events()[mark..].to_vec()
    }

    /// Everything observable of the oracle, to show a refused call changed nothing.
    pub(crate) fn snapshot(&self) -> Snapshot {
        let r = self.r();
        Snapshot {
            round: r.round.get(),
            config: r.config.get(),
            processing: r.processing.get(),
            limits: r.limits.get(),
            l1_state: r.l1_state.get(),
            registry: r.registry.get(),
            manager: r.access_manager.get(),
            extension: r.extension.get(),
            member_index: (0..40).map(|i| r.member_index.get(member(i))).collect(),
            member_address: (0..40).map(|i| r.member_address.get(u(i))).collect(),
            variants: (0..=16).map(|v| r.variants.get(u(v))).collect(),
            events: self.oracle.all_events().len(),
        }
    }
}

/// Every slot of the oracle a test can reach and its event count.
#[derive(Debug, PartialEq)]
pub(crate) struct Snapshot {
    round: U256,
    config: U256,
    processing: U256,
    limits: U256,
    l1_state: U256,
    registry: Address,
    manager: Address,
    extension: Address,
    member_index: Vec<U256>,
    member_address: Vec<Address>,
    variants: Vec<B256>,
    events: usize,
}

/// What the manager mock answers for `caller` without `role`, wrapped by the oracle.
pub(crate) fn denied(caller: Address, role: B256) -> Error {
    Error::AccessDenied(AccessDenied {
        caller,
        role,
        reason: MockUnauthorized { account: caller, role }.abi_encode(),
    })
}

/// An event as motsu records it.
pub(crate) fn log<E: SolEvent>(event: &E) -> LogData {
    event.encode_log_data()
}
