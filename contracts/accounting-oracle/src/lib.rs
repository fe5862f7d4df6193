//! # AccountingOracle: committee consensus per frame, report data, sanity limits
//!
//! A committee of at most [`MAX_MEMBERS`] members votes, once per frame, the hash of the
//! report for the frame's reference slot (the last slot before the frame starts); a member (or
//! `SUBMIT_DATA_ROLE`) then submits the data whose `keccak256(abi.encode(data))` is that hash
//! ([`processing`], [`report`]): the oracle writes exited counts to the registry and hands the
//! report, with its sanity limits ([`sanity`]), to the pool, whose extension program applies
//! it (docs/design/accounting-oracle.md). Two programs: the core serves the votes, the data and
//! the constructor; the extension (DELEGATECALL) the administration, the views and
//! `upgradeExtension` (`staking_common::upgrade`). Which program serves which selector is
//! declared in `abi/IAccountingOracle.sol` (`@custom:program extension`), from which
//! `staking_interface::interface!` generates the router, the errors, the event loggers and the
//! calldata the AccessManager hashes ([`interface`]).
//!
//! ## What it does
//!
//! A member has one live vote per frame: a new vote replaces the old one. A hash with
//! `support >= quorum` is the consensus (`ConsensusReached`); if votes move away before the
//! data is processed it is lost (`ConsensusLost`). For the first slots of a frame only a
//! rotating fast lane may vote. The semantics are Lido's HashConsensus
//! (docs/design/accounting-oracle.md §1.1); [`frames`] has the clock arithmetic, [`consensus`]
//! the vote paths as pure functions, this file the entry points that load, call and store.
//!
//! ## Who calls it
//!
//! ```text
//! StylusDeployer    --constructor(manager, extension, chain clock, frame config, version)
//!                     (in the deploying transaction, once: staking_common::upgrade)
//! UPGRADE_ROLE      --upgradeExtension(program) (behind the AccessManager's delay)
//! member            --submitReport(slot, hash, version)   (no AccessManager call)
//!     consensus::check_arguments -> member index (slot 7) -> roll (only when now > deadline:
//!     config, frames::round_times, consensus::reset_for_frame, WarnProcessingMissed) ->
//!     consensus::admit -> consensus::vote -> variant hash (only a new one) -> round (one
//!     write) -> ReportReceived, ConsensusReached / ConsensusLost
//! anyone            --submitExitRequests(list) (extension: the agreed exit list, [`exits`])
//! SANITY_LIMITS_ROLE --setSanityLimits, setExitRequestLimits
//! MANAGE_MEMBERS_AND_QUORUM_ROLE --addMember, removeMember, setQuorum
//! DISABLE_CONSENSUS_ROLE         --disableConsensus (quorum 255)
//! MANAGE_FRAME_CONFIG_ROLE       --setFrameConfig(epochsPerFrame, fastLaneLengthSlots)
//! MANAGE_CONSENSUS_VERSION_ROLE  --setConsensusVersion(version)
//! anyone            --views (getMembers, getCurrentFrame, getConsensusState, ...)
//! ```
//!
//! Roles are asked of the AccessManager (`authorizeCall`, [`access`]), which may put a
//! governance delay on any of them. An admin change first rolls the round to the current frame
//! (once the initial epoch has arrived: before it there are no votes to re-check, as Lido's
//! `_setQuorumAndCheckConsensus` skips the check), then re-checks the consensus. Nothing is
//! payable: the generated router refuses ether sent with any call (empty revert data), as it
//! does undecodable arguments, unknown selectors and plain transfers.
//!
//! ## Storage
//!
//! One line per `#[storage]` field (`slot N  field  what; written by`), checked against the
//! real layout by `tests::layout`; the packed words' bits are in [`storage`].
//!
//! ```text
//! slot 0  round           word round: ref_slot, deadline, fast_lane_end, quorum, members,
//!                         fl_start, consensus variant, PROCESSING, 30 vote nibbles,
//!                         consensus_version; every vote, roll, admin change
//! slot 1  config          word config: genesis, initial_epoch, epochs_per_frame,
//!                         fast_lane_slots, seconds_per_slot, slots_per_epoch, quorum, members,
//!                         consensus_version, INITIALIZED; initialize, admin
//! slot 2  processing      word processing: pool address, last processing ref slot;
//!                         initialize, setProtocolContracts, report data
//! slot 3  limits          word limits (`staking_math::sanity::Limits`); initialize,
//!                         setSanityLimits
//! slot 4  access_manager  address; initialize
//! slot 5  registry        address (the node operator registry); setProtocolContracts
//! slot 6  extension       address (the extension program); initialize
//! slot 7  member_index    mapping(address => index + 1) (0 = not a member); admin
//! slot 8  member_address  mapping(uint256 index => address); admin
//! slot 9  variants        mapping(uint256 variant 1..=15 => bytes32 report hash), reused
//!                         every frame; a vote opening a variant
//! slot 10 l1_state        word l1_state: last bridgedToL2, pool's receivedFromL1Vault then
//!                         (appended for the L1 leg); report data
//! slot 11 exit_requests   word exit requests: last agreed list's ref slot, count, the report's
//!                         vault balance (gwei), the limits and the per-day bucket; report
//!                         data (with requests), submitExitRequests, setExitRequestLimits
//! slot 12 exit_requests_hash  bytes32 the last agreed list's hash; report data (with requests)
//! ```
//!
//! A vote reads the member index, reads and writes the round, reads the live variant hashes
//! until one matches (usually one) and writes a hash only when it opens a variant; the config
//! is read only on the first vote after the frame's deadline (the roll). The round holds
//! copies of the quorum, member count and version so that a vote never reads config; every
//! admin change writes both words.
//!
//! ## Errors and events
//!
//! The `error`s and `event`s of `abi/IAccountingOracle.sol` ([`errors`], [`events`]). Every
//! check precedes every write, so a refused call changes nothing. A vote emits
//! `WarnProcessingMissed(oldRefSlot)` when it rolls over a frame whose consensus was never
//! processed, then `ReportReceived`, then `ConsensusReached` / `ConsensusLost` when the
//! consensus moved. Admin changes emit `MemberAdded` / `MemberRemoved`, `QuorumSet` (when the
//! quorum changed), `FrameConfigSet` (when the initial epoch or frame length changed),
//! `FastLaneConfigSet` (when the fast lane changed), `ConsensusVersionSet`, and the consensus
//! change their re-check causes. The constructor emits `Initialized`, `FrameConfigSet`,
//! `FastLaneConfigSet` and `ConsensusVersionSet`.
//!
//! ## Time
//!
//! Every entry point reads the block time once through `now()`, the one seam the unit tests
//! move (motsu's block time is fixed); the pure functions take it as an argument.
//!
//! ## Rounding and widths
//!
//! All clock divisions floor (slot, epoch, frame index), as Lido's. Times are narrowed to u32
//! (unix seconds to 2106) and slots to u32 with a checked narrowing (`MathOverflow`), never a
//! wrap. Support is counted by scanning the 30 nibbles in two u64 limbs: no U256 arithmetic.
//!
//! ## Why 15 variants suffice for 30 members (docs/design/accounting-oracle.md §3.2)
//!
//! Each member has one live vote, so live variants <= voters. Suppose a hash H finds no free
//! index when a member votes it: then all 15 indices are held by at least 15 members who do not
//! vote H, so at most `n - 15` members can vote H. Consensus needs
//! `quorum >= floor(n / 2) + 1`, and `n - 15 < floor(n / 2) + 1` for every `n <= 30`. A refused
//! hash (`TooManyReportVariants(15)`) could therefore never have reached quorum; its voter can
//! vote again once an index frees. Adding a 31st member fails with `TooManyMembers(30)`.
//!
//! ## Invariants
//!
//! - Vote nibbles at indices `>= members` are zero; each member votes at most one variant.
//! - While the frame is not processing, the consensus variant is non-zero exactly when it has a
//!   quorum of votes, and a quorum above half the members leaves at most one such variant.
//! - A variant index whose support is zero is free; its stored hash is stale and never matched.
//! - After processing starts the consensus never changes within the frame.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
#![cfg_attr(any(target_arch = "wasm32", feature = "export-abi"), allow(missing_docs))]
#![allow(
    clippy::result_large_err,
    reason = "an error is built once per failed call and encoded at once; boxing it costs wasm"
)]

extern crate alloc;

#[allow(unused_imports, reason = "the storage macro expands to `vec!` and `Vec`")]
use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use staking_common::{host, roles, upgrade};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageMap, StorageU256},
};

// The interface declared once, in `abi/IAccountingOracle.sol`: `abi` (alloy's types),
// `interface` (errors, event loggers, calldata encoders, the function table) and the router
// (core and extension programs), generated at compile time.
staking_interface::interface!(AccountingOracle, "abi/IAccountingOracle.sol");

mod access;
pub mod consensus;
pub mod errors;
pub mod events;
pub mod exits;
pub mod frames;
pub mod processing;
pub mod report;
pub mod sanity;
pub mod storage;
pub mod views;

#[cfg(test)]
mod tests;

pub use consensus::{ConsensusChange, Recorded, Removal, VariantHashes, VoteOutcome};
pub use errors::Error;
pub use frames::{ChainConfig, FastLane, Frame, FrameConfig, RoundTimes};
pub use storage::{Config, Round, Votes, MAX_MEMBERS, MAX_VARIANTS, UNREACHABLE_QUORUM};

use crate::{
    errors::{
        overflow, AlreadyInitialized, DuplicateMember, InvalidAddress, InvalidRefSlot, NonMember,
        NotInitialized, UnexpectedConsensusVersion, VersionCannotBeSame,
    },
    events::emit,
    interface::calls,
};

/// The id the oracle's extension program answers to `extensionId()`: the storage layout it
/// runs on (`staking_common::upgrade`).
pub const EXTENSION_ID: B256 =
    staking_common::upgrade::extension_id(b"accounting-oracle.extension.v1");

/// Transient slot of the reentrancy guard around the AccessManager call.
pub(crate) const GUARD_SLOT: B256 = B256::new(*b"accounting-oracle.guard\0\0\0\0\0\0\0\0\0");

/// The block time (unix s): the one clock seam. Unit tests move it ([`tests::clock`]).
#[cfg(not(test))]
pub(crate) fn now() -> u64 {
    host::timestamp()
}

#[cfg(test)]
pub(crate) use tests::clock::now;

/// The accounting oracle.
#[entrypoint]
#[storage]
pub struct AccountingOracle {
    /// Slot 0: the round word ([`Round`]).
    pub(crate) round: StorageU256,
    /// Slot 1: the config word ([`Config`]).
    pub(crate) config: StorageU256,
    /// Slot 2: the processing word ([`storage::Processing`]: pool, last processing ref slot).
    pub(crate) processing: StorageU256,
    /// Slot 3: the sanity limits ([`staking_math::sanity::Limits`]).
    pub(crate) limits: StorageU256,
    /// Slot 4: the AccessManager asked on privileged paths.
    pub(crate) access_manager: StorageAddress,
    /// Slot 5: the node operator registry (exited counts).
    pub(crate) registry: StorageAddress,
    /// Slot 6: the extension program (administration and views): set by the constructor,
    /// replaced only by `upgradeExtension` (`staking_common::upgrade`).
    pub(crate) extension: StorageAddress,
    /// Slot 7: member address => index + 1 (0: not a member).
    pub(crate) member_index: StorageMap<Address, StorageU256>,
    /// Slot 8: member index => address.
    pub(crate) member_address: StorageMap<U256, StorageAddress>,
    /// Slot 9: variant index 1..=15 => report hash (reused frame after frame).
    pub(crate) variants: StorageMap<U256, StorageB256>,
    /// Slot 10: the L1 vault's figures the next report is checked against
    /// ([`storage::L1State`]).
    pub(crate) l1_state: StorageU256,
    /// Slot 11: the last agreed exit list and the exit request limits
    /// ([`storage::ExitRequests`], [`exits`]).
    pub(crate) exit_requests: StorageU256,
    /// Slot 12: the last agreed exit list's hash.
    pub(crate) exit_requests_hash: StorageB256,
}

/// The variant hashes in storage, read one `SLOAD` at a time by [`consensus::vote`].
pub(crate) struct StoredVariants<'a>(pub(crate) &'a StorageMap<U256, StorageB256>);

impl VariantHashes for StoredVariants<'_> {
    fn hash(&mut self, variant: u8) -> B256 {
        self.0.get(U256::from(variant))
    }
}

/// The round after a roll check: the frame index at `now` and what the roll did.
pub(crate) struct Rolled {
    /// Index of the frame at `now`.
    pub(crate) index: u64,
    /// The round moved to a new frame (it must be written).
    pub(crate) moved: bool,
    /// The old reference slot, when its consensus was never processed.
    pub(crate) missed: Option<u32>,
}

/// Moves `round` to the frame at `now` when that frame is not the one it holds; fails with
/// `InitialEpochIsYetToArrive` before the initial epoch and `MathOverflow` past the layout's
/// range.
pub(crate) fn roll(cfg: &Config, round: &mut Round, now: u64) -> Result<Rolled, Error> {
    let (chain, frame_cfg) = cfg.clock().ok_or(Error::NotInitialized(NotInitialized {}))?;
    let (frame, times) = frames::round_times(&chain, &frame_cfg, now, round.members)?;
    let rolled = times.ref_slot != round.ref_slot || times.deadline != round.deadline;
    let missed = if rolled { consensus::reset_for_frame(round, &times) } else { None };
    Ok(Rolled { index: frame.index, moved: rolled, missed })
}

fn narrow_u8(x: U256) -> Result<u8, Error> {
    u8::try_from(x).map_err(|_| overflow())
}

fn narrow_u64(x: U256) -> Result<u64, Error> {
    u64::try_from(x).map_err(|_| overflow())
}

impl AccountingOracle {
    /// The constructor (run once, by the StylusDeployer in the deploying transaction: see
    /// `staking_common::upgrade`): sets the AccessManager, the extension program, the chain
    /// clock, the frame config and the consensus version.
    /// The committee starts empty with quorum 0; the initial epoch may lie in the future
    /// (votes and `setFrameConfig` fail with `InitialEpochIsYetToArrive` until it arrives).
    ///
    /// # Errors
    /// `AlreadyInitialized` (any run after the first: the SDK's guard word); `InvalidAddress`
    /// (zero manager); `InvalidExtension(extension)` (it does not answer `extensionId()` with
    /// [`EXTENSION_ID`]); `InvalidChainConfig` (seconds per
    /// slot or slots per epoch zero or above 65,535); `EpochsPerFrameCannotBeZero`;
    /// `FastLanePeriodCannotBeLongerThanFrame(fastLane, frameSlots)`; `MathOverflow` (genesis
    /// or initial epoch above 2^64, epochs per frame above 2^32, version above 255).
    /// The sanity limits start at Lido's mainnet values ([`staking_math::sanity::Limits::LIDO`]);
    /// the pool and the registry are set by `setProtocolContracts`.
    ///
    /// # Events
    /// `Initialized(accessManager, extension)`, `FrameConfigSet(initialEpoch, epochsPerFrame)`,
    /// `FastLaneConfigSet(fastLaneLengthSlots)`, `ConsensusVersionSet(version, 0)`, then one
    /// event per sanity limit (`AnnualBalanceIncreaseBPLimitSet`, ...).
    /// # Access
    /// The deploying transaction only (there is no `initialize` selector).
    #[allow(clippy::too_many_arguments, reason = "the ABI's constructor takes nine words")]
    pub fn constructor(
        &mut self,
        access_manager: Address,
        extension: Address,
        genesis_time: U256,
        seconds_per_slot: U256,
        slots_per_epoch: U256,
        initial_epoch: U256,
        epochs_per_frame: U256,
        fast_lane_length_slots: U256,
        consensus_version: U256,
    ) -> Result<(), Error> {
        if upgrade::constructed(self.__stylus_host.clone()) {
            return Err(AlreadyInitialized {}.into());
        }
        let mut cfg = self.load_config();
        if access_manager.is_zero() {
            return Err(InvalidAddress {}.into());
        }
        if !upgrade::answers_delegated(extension, EXTENSION_ID) {
            return Err(errors::InvalidExtension { extension }.into());
        }
        let period = |x: U256| u64::try_from(x).unwrap_or(u64::MAX);
        let chain = ChainConfig::new(
            narrow_u64(genesis_time)?,
            period(seconds_per_slot),
            period(slots_per_epoch),
        )?;
        let frame_cfg = FrameConfig::new(
            &chain,
            narrow_u64(initial_epoch)?,
            period(epochs_per_frame),
            period(fast_lane_length_slots),
        )?;
        let version = narrow_u8(consensus_version)?;
        cfg.set_clock(&chain, &frame_cfg);
        cfg.consensus_version = version;
        cfg.initialized = true;
        let round = Round { consensus_version: version, ..Round::default() };
        // As if the frame before frame 0 had been processed: the first report measures one
        // frame of time (frame 0's ref slot is the slot before its first).
        let frame0_start =
            frame_cfg.initial_epoch.saturating_mul(chain.slots_per_epoch.get().into());
        let before = frame0_start.saturating_sub(frame_cfg.frame_slots(&chain)).saturating_sub(1);
        let processing = storage::Processing {
            pool: Address::ZERO,
            last_ref_slot: u32::try_from(before).map_err(|_| overflow())?,
        };
        self.config.set(cfg.pack());
        self.round.set(round.pack());
        self.processing.set(processing.pack());
        self.access_manager.set(access_manager);
        self.extension.set(extension);
        emit::Initialized(access_manager, extension);
        emit::FrameConfigSet(cfg.initial_epoch, cfg.epochs_per_frame);
        emit::FastLaneConfigSet(cfg.fast_lane_slots);
        emit::ConsensusVersionSet(version, 0u8);
        self.write_limits(&staking_math::sanity::Limits::LIDO);
        upgrade::mark_constructed(self.__stylus_host.clone());
        Ok(())
    }

    /// A member votes `report` as the report for reference slot `slot` under consensus
    /// version `consensus_version` (docs/design/accounting-oracle.md §3.1). A new vote
    /// replaces the member's earlier one in the frame.
    ///
    /// # Errors
    /// In this order: `InvalidRefSlot(0, 0)` (slot 0), `EmptyReport`, `NonMember(caller)`,
    /// `InitialEpochIsYetToArrive` (on a roll), `UnexpectedConsensusVersion(expected,
    /// received)`, `InvalidRefSlot(expected, received)`, `StaleReport(refSlot, deadline)` (the
    /// frame's last slot is past), `NonFastLaneMemberCannotReportWithinFastLaneInterval`,
    /// `ConsensusReportAlreadyProcessing`, `DuplicateReport`, `TooManyReportVariants(15)`.
    /// After processing started a member that had not voted returns without effect.
    /// # Events
    /// `WarnProcessingMissed(oldRefSlot)` (a roll over an unprocessed consensus),
    /// `ReportReceived(refSlot, member, report)`, then `ConsensusReached(refSlot, report,
    /// support)` or `ConsensusLost(refSlot)` when the consensus moved.
    /// # Access
    /// Committee members (the oracle's own storage; no AccessManager call).
    pub fn submit_report(
        &mut self,
        slot: U256,
        report: B256,
        consensus_version: U256,
    ) -> Result<(), Error> {
        // Out-of-range arguments never match; the errors below name them as received.
        let slot64 = u64::try_from(slot).unwrap_or(u64::MAX);
        let version64 = u64::try_from(consensus_version).unwrap_or(u64::MAX);
        consensus::check_arguments(slot64, report)?;
        let sender = host::sender();
        let member = self.member_of(sender).ok_or(NonMember { addr: sender })?;
        let mut round = self.load_round();
        let now = now();
        // Before the deadline `now < deadline + secondsPerSlot` holds for any secondsPerSlot
        // >= 1, so the config (and its secondsPerSlot) is read only when a roll may happen.
        let mut seconds_per_slot = 1;
        let mut rolled = Rolled { index: 0, moved: false, missed: None };
        if now > u64::from(round.deadline) {
            let cfg = self.load_config();
            seconds_per_slot = cfg.seconds_per_slot;
            rolled = roll(&cfg, &mut round, now)?;
        }
        consensus::admit(&round, now, seconds_per_slot, member, slot64, version64).map_err(
            |e| match e {
                Error::InvalidRefSlot(x) => {
                    InvalidRefSlot { expected: x.expected, received: slot }.into()
                }
                Error::UnexpectedConsensusVersion(x) => {
                    UnexpectedConsensusVersion { expected: x.expected, received: consensus_version }
                        .into()
                }
                e => e,
            },
        )?;
        let outcome =
            consensus::vote(&mut round, &mut StoredVariants(&self.variants), member, report)?;
        match outcome {
            VoteOutcome::Ignored => {
                if rolled.moved {
                    self.round.set(round.pack());
                }
                events::missed(rolled.missed);
            }
            VoteOutcome::Recorded(r) => {
                if let Some((v, hash)) = r.new_variant {
                    self.variants.setter(U256::from(v)).set(hash);
                }
                self.round.set(round.pack());
                events::missed(rolled.missed);
                emit::ReportReceived(round.ref_slot, sender, report);
                events::consensus(r.consensus);
            }
        }
        Ok(())
    }

    /// Adds `addr` to the committee and sets the quorum to `quorum`; the frame's fast lane is
    /// recomputed for the new size and the consensus re-checked.
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`, `InvalidAddress` (zero), `DuplicateMember(addr)`,
    /// `TooManyMembers(30)`, `QuorumTooSmall(minQuorum, quorum)`, `MathOverflow` (quorum above
    /// 255).
    /// # Events
    /// `WarnProcessingMissed` (roll), `MemberAdded(addr, newTotalMembers, newQuorum)`,
    /// `QuorumSet` (if changed), `ConsensusReached` / `ConsensusLost`.
    /// # Access
    /// `MANAGE_MEMBERS_AND_QUORUM_ROLE`.
    pub fn add_member(&mut self, addr: Address, quorum: U256) -> Result<(), Error> {
        self.authorize(roles::MANAGE_MEMBERS_AND_QUORUM_ROLE, &calls::addMember(addr, quorum))?;
        let (mut cfg, mut round, rolled) = self.admin_state()?;
        if addr.is_zero() {
            return Err(InvalidAddress {}.into());
        }
        if self.member_of(addr).is_some() {
            return Err(DuplicateMember { addr }.into());
        }
        let quorum = narrow_u8(quorum)?;
        let prev = round.quorum;
        let lane = frames::fast_lane_start(rolled.index, round.members.saturating_add(1));
        let (index, change) =
            consensus::add_member(&mut round, &mut StoredVariants(&self.variants), quorum, lane)?;
        self.member_index.setter(addr).set(U256::from(index) + U256::from(1));
        self.member_address.setter(U256::from(index)).set(addr);
        self.store(&mut cfg, &round);
        events::missed(rolled.missed);
        emit::MemberAdded(addr, round.members, quorum);
        events::quorum_set(quorum, round.members, prev);
        events::consensus(change);
        Ok(())
    }

    /// Removes `addr` from the committee (the last member takes its index; its vote in this
    /// frame is cancelled unless processing started) and sets the quorum to `quorum`.
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`, `NonMember(addr)`, `QuorumTooSmall`, `MathOverflow`.
    /// # Events
    /// `WarnProcessingMissed` (roll), `MemberRemoved(addr, newTotalMembers, newQuorum)`,
    /// `QuorumSet` (if changed), `ConsensusReached` / `ConsensusLost`.
    /// # Access
    /// `MANAGE_MEMBERS_AND_QUORUM_ROLE`.
    pub fn remove_member(&mut self, addr: Address, quorum: U256) -> Result<(), Error> {
        self.authorize(roles::MANAGE_MEMBERS_AND_QUORUM_ROLE, &calls::removeMember(addr, quorum))?;
        let (mut cfg, mut round, rolled) = self.admin_state()?;
        let index = self.member_of(addr).ok_or(NonMember { addr })?;
        let quorum = narrow_u8(quorum)?;
        let prev = round.quorum;
        let lane = frames::fast_lane_start(rolled.index, round.members.saturating_sub(1));
        let removal = consensus::remove_member(
            &mut round,
            &mut StoredVariants(&self.variants),
            index,
            quorum,
            lane,
        )?;
        if let Some(last) = removal.moved_from {
            let moved = self.member_address.get(U256::from(last));
            self.member_address.setter(U256::from(index)).set(moved);
            self.member_index.setter(moved).set(U256::from(index) + U256::from(1));
            self.member_address.setter(U256::from(last)).set(Address::ZERO);
        } else {
            self.member_address.setter(U256::from(index)).set(Address::ZERO);
        }
        self.member_index.setter(addr).set(U256::ZERO);
        self.store(&mut cfg, &round);
        events::missed(rolled.missed);
        emit::MemberRemoved(addr, round.members, quorum);
        events::quorum_set(quorum, round.members, prev);
        events::consensus(removal.consensus);
        Ok(())
    }

    /// Sets the quorum (above half the members; above the member count disables consensus)
    /// and re-checks the consensus.
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`, `QuorumTooSmall`, `MathOverflow` (above 255).
    /// # Events
    /// `WarnProcessingMissed` (roll), `QuorumSet` (if changed), `ConsensusReached` /
    /// `ConsensusLost`.
    /// # Access
    /// `MANAGE_MEMBERS_AND_QUORUM_ROLE`.
    pub fn set_quorum(&mut self, quorum: U256) -> Result<(), Error> {
        self.authorize(roles::MANAGE_MEMBERS_AND_QUORUM_ROLE, &calls::setQuorum(quorum))?;
        let (mut cfg, mut round, rolled) = self.admin_state()?;
        let quorum = narrow_u8(quorum)?;
        let prev = round.quorum;
        let change =
            consensus::set_quorum(&mut round, &mut StoredVariants(&self.variants), quorum)?;
        self.store(&mut cfg, &round);
        events::missed(rolled.missed);
        events::quorum_set(quorum, round.members, prev);
        events::consensus(change);
        Ok(())
    }

    /// Sets the unreachable quorum (255): no report can reach consensus until `setQuorum`; a
    /// standing consensus of the frame is lost (unless processing started).
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`.
    /// # Events
    /// `WarnProcessingMissed` (roll), `QuorumSet(255, members, prev)` (if changed),
    /// `ConsensusLost`.
    /// # Access
    /// `DISABLE_CONSENSUS_ROLE`.
    pub fn disable_consensus(&mut self) -> Result<(), Error> {
        self.authorize(roles::DISABLE_CONSENSUS_ROLE, &calls::disableConsensus())?;
        let (mut cfg, mut round, rolled) = self.admin_state()?;
        let prev = round.quorum;
        let change = consensus::disable_consensus(&mut round, &mut StoredVariants(&self.variants));
        self.store(&mut cfg, &round);
        events::missed(rolled.missed);
        events::quorum_set(round.quorum, round.members, prev);
        events::consensus(change);
        Ok(())
    }

    /// Changes the frame length and the fast lane. The new config's frame 0 starts at the
    /// current frame's start epoch. While `now` is in that frame the current reference slot
    /// stays with its votes; its deadline, fast lane end and fast lane (restarting at member 0)
    /// follow the new config. A shorter frame that `now` has already left moves the round to
    /// the frame `now` is in: its votes are cleared, and an unprocessed consensus of the old
    /// reference slot is reported missed.
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`, `InitialEpochIsYetToArrive`,
    /// `EpochsPerFrameCannotBeZero`, `FastLanePeriodCannotBeLongerThanFrame`, `MathOverflow`.
    /// # Events
    /// `WarnProcessingMissed` (roll, or a move to a later frame),
    /// `FrameConfigSet(newInitialEpoch, newEpochsPerFrame)` (if either changed),
    /// `FastLaneConfigSet(fastLaneLengthSlots)` (if changed).
    /// # Access
    /// `MANAGE_FRAME_CONFIG_ROLE`.
    pub fn set_frame_config(
        &mut self,
        epochs_per_frame: U256,
        fast_lane_length_slots: U256,
    ) -> Result<(), Error> {
        self.authorize(
            roles::MANAGE_FRAME_CONFIG_ROLE,
            &calls::setFrameConfig(epochs_per_frame, fast_lane_length_slots),
        )?;
        let mut cfg = self.initialized_config()?;
        let (chain, old) = cfg.clock().ok_or(Error::NotInitialized(NotInitialized {}))?;
        let now = now();
        let new = frames::set_frame_config(
            &chain,
            &old,
            now,
            u64::try_from(epochs_per_frame).unwrap_or(u64::MAX),
            u64::try_from(fast_lane_length_slots).unwrap_or(u64::MAX),
        )?;
        let mut round = self.load_round();
        let rolled = roll(&cfg, &mut round, now)?;
        cfg.set_clock(&chain, &new);
        // Frame 0 of the new config starts where the current frame does. While `now` is
        // still in it, the reference slot stays with its votes and only the deadline, the
        // fast-lane end and the lane start move; a shorter frame that `now` has already left
        // moves the round to the frame `now` is in, as a roll does.
        let (_, times) = frames::round_times(&chain, &new, now, round.members)?;
        let moved = if times.ref_slot == round.ref_slot {
            round.deadline = times.deadline;
            round.fast_lane_end = times.fast_lane_end;
            round.fast_lane_start = times.fast_lane_start;
            None
        } else {
            consensus::reset_for_frame(&mut round, &times)
        };
        self.store(&mut cfg, &round);
        // A roll above cleared the consensus, so at most one of the two is a missed frame.
        events::missed(rolled.missed.or(moved));
        if (new.initial_epoch, new.epochs_per_frame) != (old.initial_epoch, old.epochs_per_frame) {
            emit::FrameConfigSet(new.initial_epoch, new.epochs_per_frame.get());
        }
        if new.fast_lane_slots != old.fast_lane_slots {
            emit::FastLaneConfigSet(new.fast_lane_slots);
        }
        Ok(())
    }

    /// Sets the consensus version votes must carry (votes already cast in the frame stay).
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`, `VersionCannotBeSame`, `MathOverflow` (above 255).
    /// # Events
    /// `ConsensusVersionSet(version, prevVersion)`.
    /// # Access
    /// `MANAGE_CONSENSUS_VERSION_ROLE`.
    pub fn set_consensus_version(&mut self, version: U256) -> Result<(), Error> {
        self.authorize(roles::MANAGE_CONSENSUS_VERSION_ROLE, &calls::setConsensusVersion(version))?;
        let mut cfg = self.initialized_config()?;
        let version = narrow_u8(version)?;
        let mut round = self.load_round();
        let prev = round.consensus_version;
        if version == prev {
            return Err(VersionCannotBeSame {}.into());
        }
        round.consensus_version = version;
        self.store(&mut cfg, &round);
        emit::ConsensusVersionSet(version, prev);
        Ok(())
    }

    /// Sets the pool that applies reports and the registry that takes exited counts.
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`, `InvalidAddress` (either zero).
    /// # Events
    /// `ProtocolContractsSet(pool, registry)`.
    /// # Access
    /// `DEFAULT_ADMIN_ROLE` (governance).
    pub fn set_protocol_contracts(
        &mut self,
        pool: Address,
        registry: Address,
    ) -> Result<(), Error> {
        self.authorize(roles::DEFAULT_ADMIN_ROLE, &calls::setProtocolContracts(pool, registry))?;
        self.initialized_config()?;
        if pool.is_zero() || registry.is_zero() {
            return Err(InvalidAddress {}.into());
        }
        let mut processing = storage::Processing::unpack(self.processing.get());
        processing.pool = pool;
        self.processing.set(processing.pack());
        self.registry.set(registry);
        emit::ProtocolContractsSet(pool, registry);
        Ok(())
    }

    /// The config word.
    pub(crate) fn load_config(&self) -> Config {
        Config::unpack(self.config.get())
    }

    /// The config word, failing before initialization.
    pub(crate) fn initialized_config(&self) -> Result<Config, Error> {
        let cfg = self.load_config();
        if !cfg.initialized {
            return Err(NotInitialized {}.into());
        }
        Ok(cfg)
    }

    /// The round word.
    pub(crate) fn load_round(&self) -> Round {
        Round::unpack(self.round.get())
    }

    /// The member index of `addr`, if it is a member.
    pub(crate) fn member_of(&self, addr: Address) -> Option<u8> {
        let stored = self.member_index.get(addr);
        u8::try_from(stored).ok()?.checked_sub(1)
    }

    /// The config and the round for an admin change: the round rolled to the current frame
    /// once the initial epoch has arrived; before it, as stored (no frame, no votes), with
    /// frame index 0 for the fast lane.
    fn admin_state(&self) -> Result<(Config, Round, Rolled), Error> {
        let cfg = self.initialized_config()?;
        let mut round = self.load_round();
        let rolled = match roll(&cfg, &mut round, now()) {
            Err(Error::InitialEpochIsYetToArrive(_)) => {
                Rolled { index: 0, moved: false, missed: None }
            }
            other => other?,
        };
        Ok((cfg, round, rolled))
    }

    /// Writes the round and the config with the round's committee copies.
    fn store(&mut self, cfg: &mut Config, round: &Round) {
        cfg.copy_committee(round);
        self.config.set(cfg.pack());
        self.round.set(round.pack());
    }
}
