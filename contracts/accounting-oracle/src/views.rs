//! Views for the oracle daemon and frontends. The frame-dependent ones (`getConsensusState`,
//! `getReportVariants`) answer for the frame at the block time: when the stored round belongs
//! to an earlier frame they show the empty round a vote would roll to, without writing it.

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};

use crate::{
    errors::{Error, NotInitialized},
    frames, roll, storage, AccountingOracle, Round, VariantHashes, MAX_VARIANTS,
};

impl AccountingOracle {
    /// The members, by index (the fast lane rotates over these indices).
    pub fn get_members(&self) -> Vec<Address> {
        let members = self.load_round().members;
        (0..members).map(|i| self.member_address.get(U256::from(i))).collect()
    }

    /// Whether `addr` is a member.
    pub fn is_member(&self, addr: Address) -> bool {
        self.member_of(addr).is_some()
    }

    /// The quorum (255: consensus disabled).
    pub fn get_quorum(&self) -> U256 {
        U256::from(self.load_round().quorum)
    }

    /// `(genesisTime, secondsPerSlot, slotsPerEpoch)` (zeros before `initialize`).
    pub fn get_chain_config(&self) -> (U256, U256, U256) {
        let c = self.load_config();
        (U256::from(c.genesis_time), U256::from(c.seconds_per_slot), U256::from(c.slots_per_epoch))
    }

    /// `(initialEpoch, epochsPerFrame, fastLaneLengthSlots)` (zeros before `initialize`).
    pub fn get_frame_config(&self) -> (U256, U256, U256) {
        let c = self.load_config();
        (U256::from(c.initial_epoch), U256::from(c.epochs_per_frame), U256::from(c.fast_lane_slots))
    }

    /// `(refSlot, reportProcessingDeadlineSlot)` of the frame at the block time.
    ///
    /// # Errors
    /// `NotInitialized`, `InitialEpochIsYetToArrive`.
    pub fn get_current_frame(&self) -> Result<(U256, U256), Error> {
        let (chain, cfg) = self.clock()?;
        let frame = frames::frame_at(&chain, &cfg, crate::now())?;
        Ok((U256::from(frame.ref_slot), U256::from(frame.deadline_slot)))
    }

    /// `(refSlot, consensusReport, isReportProcessing)` of the frame at the block time
    /// (a zero report: no consensus).
    ///
    /// # Errors
    /// `NotInitialized`, `InitialEpochIsYetToArrive`.
    pub fn get_consensus_state(&self) -> Result<(U256, B256, bool), Error> {
        let round = self.current_round()?;
        let report = if round.consensus_variant == 0 {
            B256::ZERO
        } else {
            self.variants.get(U256::from(round.consensus_variant))
        };
        Ok((U256::from(round.ref_slot), report, round.processing))
    }

    /// `(refSlot, report)`: the vote `member` holds in the stored round (the frame of
    /// `refSlot`, which may be an earlier frame nobody has voted in since); `(0, 0)` for no
    /// vote or a non-member.
    pub fn get_member_vote(&self, member: Address) -> (U256, B256) {
        let round = self.load_round();
        let variant = self.member_of(member).map_or(0, |i| round.votes.get(i));
        if variant == 0 {
            return (U256::ZERO, B256::ZERO);
        }
        (U256::from(round.ref_slot), self.variants.get(U256::from(variant)))
    }

    /// The live report variants of the frame at the block time and their support (empty
    /// before the initial epoch or `initialize`).
    pub fn get_report_variants(&self) -> (Vec<B256>, Vec<U256>) {
        let Ok(round) = self.current_round() else {
            return (Vec::new(), Vec::new());
        };
        let tally = round.votes.tally();
        let mut variants = Vec::new();
        let mut support = Vec::new();
        let mut stored = crate::StoredVariants(&self.variants);
        for (v, &count) in (1..=MAX_VARIANTS).zip(tally.iter().skip(1)) {
            if count != 0 {
                variants.push(stored.hash(v));
                support.push(U256::from(count));
            }
        }
        (variants, support)
    }

    /// The consensus version votes must carry.
    pub fn get_consensus_version(&self) -> U256 {
        U256::from(self.load_round().consensus_version)
    }

    /// The AccessManager.
    pub fn access_manager(&self) -> Address {
        self.access_manager.get()
    }

    /// The extension program serving the administration and the views.
    pub fn extension(&self) -> Address {
        self.extension.get()
    }

    /// [`crate::EXTENSION_ID`], answered only by the extension program on its own storage
    /// (through the oracle it reverts with empty data: a core is never taken for an extension).
    pub fn extension_id(&self) -> Option<stylus_sdk::ArbResult> {
        staking_common::upgrade::answer_id(self.extension.get(), crate::EXTENSION_ID)
    }

    /// Replaces the extension program (see `staking_common::upgrade` for the policy and the
    /// power it gives governance). Runs in the extension, on the oracle's storage.
    ///
    /// # Errors
    /// `AccessDenied` (no `UPGRADE_ROLE`, or not scheduled / not ready / expired where the
    /// AccessManager has a delay on `upgradeExtension`), `InvalidExtension(candidate)` (it does
    /// not answer `extensionId()` with [`crate::EXTENSION_ID`]).
    /// # Events
    /// `ExtensionUpgraded(old, candidate)`.
    /// # Access
    /// `UPGRADE_ROLE`, behind the delay the deployment sets (a guardian may cancel).
    pub fn upgrade_extension(&mut self, candidate: Address) -> Result<(), alloc::vec::Vec<u8>> {
        let manager = self.access_manager.get();
        staking_common::upgrade::upgrade_extension::<crate::errors::Error>(
            manager,
            crate::GUARD_SLOT,
            &mut self.extension,
            candidate,
            crate::EXTENSION_ID,
        )
    }

    /// `(pool, registry)` set by `setProtocolContracts` (zeros before).
    pub fn get_protocol_contracts(&self) -> (Address, Address) {
        (storage::Processing::unpack(self.processing.get()).pool, self.registry.get())
    }

    /// Reference slot of the last report whose data was processed (before any: one frame
    /// before frame 0's).
    pub fn get_last_processing_ref_slot(&self) -> U256 {
        U256::from(storage::Processing::unpack(self.processing.get()).last_ref_slot)
    }

    /// The data format `submitReportData` reads.
    pub fn get_contract_version(&self) -> U256 {
        U256::from(crate::processing::CONTRACT_VERSION)
    }

    /// `(bridgedToL2, receivedFromL1Vault)`: the last processed report's `bridgedToL2` and the
    /// pool's counter read when it was processed, which the next report is checked against
    /// (`crate::processing`, "The L1 vault's figures"); `(0, 0)` before any.
    pub fn get_last_l1_state(&self) -> (U256, U256) {
        let l1 = storage::L1State::unpack(self.l1_state.get());
        (U256::from(l1.bridged_to_l2), U256::from(l1.received))
    }

    /// `(currentFrameRefSlot, processingDeadlineTime, dataHash, dataSubmitted)` of the frame at
    /// the block time, for the oracle daemon: the agreed hash (zero without consensus) and
    /// whether its data was processed.
    ///
    /// # Errors
    /// `NotInitialized`, `InitialEpochIsYetToArrive`.
    pub fn get_processing_state(&self) -> Result<(U256, U256, B256, bool), Error> {
        let round = self.current_round()?;
        let hash = if round.consensus_variant == 0 {
            B256::ZERO
        } else {
            self.variants.get(U256::from(round.consensus_variant))
        };
        Ok((U256::from(round.ref_slot), U256::from(round.deadline), hash, round.processing))
    }

    /// The chain clock and frame config, or `NotInitialized`.
    fn clock(&self) -> Result<(frames::ChainConfig, frames::FrameConfig), Error> {
        self.load_config().clock().ok_or(Error::NotInitialized(NotInitialized {}))
    }

    /// The round a vote at the block time would see (rolled in memory only).
    fn current_round(&self) -> Result<Round, Error> {
        let cfg = self.initialized_config()?;
        let mut round = self.load_round();
        roll(&cfg, &mut round, crate::now())?;
        Ok(round)
    }
}
