//! # AccountingOracle: the consensus core (HashConsensus)
//!
//! **Stage: pure logic only.** This crate holds the frame clock, the round word and the vote
//! algorithm of the accounting oracle as pure, tested functions. The contract itself comes
//! next: the `#[storage]` struct, `initialize`, the `#[entrypoint]`, the hand router (core and
//! extension programs), report data, sanity limits, access and views
//! (docs/design/accounting-oracle.md, §2). Nothing here reads the host; every function that
//! needs the time takes `now`.
//!
//! ## What it does
//!
//! A committee of at most [`MAX_MEMBERS`] members votes, once per frame, the hash of the report
//! for the frame's reference slot (the last slot before the frame starts). A member has one live
//! vote: a new vote replaces the old one. A hash with `support >= quorum` is the consensus
//! (`ConsensusReached`); if votes move away before the data is processed it is lost
//! (`ConsensusLost`). For the first slots of a frame only a rotating fast lane may vote. The
//! semantics are Lido's HashConsensus (docs/design/accounting-oracle.md §1.1); see [`frames`]
//! for the clock arithmetic and [`consensus`] for the vote paths.
//!
//! ## Who calls whom (planned)
//!
//! ```text
//! member --submitReport(slot, hash, version)--> oracle core
//!     consensus::check_arguments -> member index (slot 7) -> roll: frames::round_times +
//!     consensus::reset_for_frame (only when now > round.deadline) -> consensus::admit ->
//!     consensus::vote -> store the round (+ the new variant hash) -> ReportReceived,
//!     ConsensusReached / ConsensusLost
//! member or SUBMIT_DATA_ROLE --submitReportData--> oracle core
//!     ... consensus::start_processing -> registry (exited counts) -> pool.handleOracleReport
//! MANAGE_MEMBERS_AND_QUORUM_ROLE --add/removeMember, setQuorum, disableConsensus--> extension
//!     consensus::add_member / remove_member / set_quorum / disable_consensus
//! MANAGE_FRAME_CONFIG_ROLE --setFrameConfig--> extension: frames::set_frame_config
//! ```
//!
//! ## Storage (planned; [`storage`] has the round word's byte layout)
//!
//! | slot | content | written by |
//! |---|---|---|
//! | 0 | round: `ref_slot u32, deadline u32 \| fast_lane_end u32, quorum u8, members u8, fl_start u8, flags u8 (variant u4, PROCESSING) \| votes 16..29 (14 x u4), consensus_version u8 \| votes 0..15 (16 x u4)` | every vote, roll, committee change, data |
//! | 1 | config: genesis u64 \| initial_epoch u64 \| epochs_per_frame u32, fast_lane_slots u32 \| seconds_per_slot u16, slots_per_epoch u16, quorum u8, members u8, consensus_version u8, flags u8 | admin |
//! | 2 | processing: pool address, last_processing_ref_slot u32 | data |
//! | 3 | sanity limits (`staking_math::sanity::Limits`) | admin |
//! | 4–6 | access manager, registry, extension | initialize |
//! | 7 | member address => index + 1 (u8; 0 = not a member) | admin |
//! | 8 | member index => address | admin |
//! | 9 | variant index 1..=15 => report hash (reused every frame) | vote opening a variant |
//!
//! A vote reads the member index, reads and writes the round, reads the live variant hashes
//! until one matches (usually one) and writes a hash only when it opens a variant.
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
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]

pub mod consensus;
pub mod errors;
pub mod events;
pub mod frames;
pub mod storage;

#[cfg(test)]
mod tests;

pub use consensus::{ConsensusChange, Recorded, Removal, VariantHashes, VoteOutcome};
pub use errors::Error;
pub use frames::{ChainConfig, FastLane, Frame, FrameConfig, RoundTimes};
pub use storage::{Round, Votes, MAX_MEMBERS, MAX_VARIANTS, UNREACHABLE_QUORUM};
