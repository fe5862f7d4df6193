//! The accounting oracle's committee on the in-process VM: deployment with a mainnet-like chain
//! clock (12-second slots, 32-slot epochs, frames of 225 epochs: one day), members, time moving
//! across frames and votes, for the end-to-end tests, the gas report and the demo.

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{SolConstructor, SolValue};
use staking_common::roles::{
    DISABLE_CONSENSUS_ROLE, EXITED_REPORTER_ROLE, MANAGE_CONSENSUS_VERSION_ROLE,
    MANAGE_FRAME_CONFIG_ROLE, MANAGE_MEMBERS_AND_QUORUM_ROLE, SANITY_LIMITS_ROLE, SUBMIT_DATA_ROLE,
};
use stylus_vm::Receipt;

use crate::{
    abi::{AccountingOracleDeployment, IAccessManager, IAccountingOracle as O, IStakingPool},
    deploy::{read_wasm, Between, Suite, ADMIN},
};

/// The data format the oracle reads (`submitReportData`'s `contractVersion`).
pub const CONTRACT_VERSION: u64 = 1;
/// Wei per gwei.
pub const GWEI: u64 = 1_000_000_000;

/// Mainnet's beacon genesis time.
pub const GENESIS_TIME: u64 = 1_606_824_023;
/// Seconds per slot.
pub const SECONDS_PER_SLOT: u64 = 12;
/// Slots per epoch.
pub const SLOTS_PER_EPOCH: u64 = 32;
/// Epochs per frame: one day.
pub const EPOCHS_PER_FRAME: u64 = 225;
/// Seconds per frame.
pub const FRAME_SECONDS: u64 = EPOCHS_PER_FRAME * SLOTS_PER_EPOCH * SECONDS_PER_SLOT;
/// The consensus version the committee votes.
pub const CONSENSUS_VERSION: u64 = 1;

/// Member `i`'s address.
pub fn member(i: usize) -> Address {
    let mut a = [0u8; 20];
    a[16] = 0x0c;
    a[18..].copy_from_slice(&u16::try_from(i).expect("a small index").to_be_bytes());
    Address::from(a)
}

/// A report hash for tests: `n` in every byte.
pub fn report(n: u8) -> B256 {
    B256::repeat_byte(n)
}

/// The oracle program and its committee.
#[derive(Debug, Clone)]
pub struct Oracle {
    /// The oracle's address (its core program).
    pub address: Address,
    /// Its extension program (administration and views).
    pub extension: Address,
    /// The members, in the order they were added.
    pub members: Vec<Address>,
    /// The quorum set at setup.
    pub quorum: usize,
}

impl Oracle {
    /// Deploys the oracle and its extension through the StylusDeployer, the oracle with its
    /// constructor (frame 0 starts at the next epoch, the clock moved there; no fast lane),
    /// puts the upgrade delay on its `upgradeExtension`,
    /// grants ADMIN its roles and adds `members` members with `quorum`.
    ///
    /// # Panics
    ///
    /// When the wasm is missing or a setup call fails.
    pub fn setup(s: &mut Suite, members: usize, quorum: usize) -> Self {
        Self::setup_with_fast_lane(s, members, quorum, 0)
    }

    /// Mainnet's committee (9 members, quorum 5), connected to the pool and `registry`
    /// ([`Oracle::connect`]).
    ///
    /// # Panics
    ///
    /// When the wasm is missing or a setup call fails.
    pub fn committee(s: &mut Suite, registry: Address) -> Self {
        let o = Self::setup(s, 9, 5);
        o.connect(s, registry);
        o
    }

    /// As [`Oracle::setup`], with a fast lane of `fast_lane_slots` slots.
    ///
    /// # Panics
    ///
    /// When the wasm is missing or a setup call fails.
    pub fn setup_with_fast_lane(
        s: &mut Suite,
        members: usize,
        quorum: usize,
        fast_lane_slots: u64,
    ) -> Self {
        Self::setup_hooked(s, members, quorum, fast_lane_slots, &mut |_, _, _| {})
    }

    /// As [`Oracle::setup_with_fast_lane`], calling `between` after every transaction: the
    /// extension's deployment, the oracle's (through the StylusDeployer, with its
    /// constructor), the upgrade delay, each role granted and each member added.
    ///
    /// # Panics
    ///
    /// When the wasm is missing or a setup call fails.
    pub fn setup_hooked(
        s: &mut Suite,
        members: usize,
        quorum: usize,
        fast_lane_slots: u64,
        between: Between<'_>,
    ) -> Self {
        let extension = s.deploy_program(
            "accounting-oracle-extension",
            &read_wasm("accounting-oracle-extension"),
            None,
            U256::ZERO,
        );
        between(s, "oracle extension deployed", &[("accounting-oracle-extension", extension)]);
        // Frame 0 starts at the next epoch, and the clock moves there: every later frame is
        // then entered at its first slot, where the fast lane runs.
        let epoch = (s.vm.timestamp() - GENESIS_TIME) / SECONDS_PER_SLOT / SLOTS_PER_EPOCH + 1;
        let start = GENESIS_TIME + epoch * SLOTS_PER_EPOCH * SECONDS_PER_SLOT;
        s.vm.advance_time(start - s.vm.timestamp());
        let u = U256::from;
        let args = AccountingOracleDeployment::constructorCall {
            accessManager: s.manager,
            extension,
            genesisTime: u(GENESIS_TIME),
            secondsPerSlot: u(SECONDS_PER_SLOT),
            slotsPerEpoch: u(SLOTS_PER_EPOCH),
            initialEpoch: u(epoch),
            epochsPerFrame: u(EPOCHS_PER_FRAME),
            fastLaneLengthSlots: u(fast_lane_slots),
            consensusVersion: u(CONSENSUS_VERSION),
        }
        .abi_encode();
        let wasm = read_wasm("accounting-oracle");
        let address = s.deploy_program("accounting-oracle", &wasm, Some(&args), U256::ZERO);
        let known = [("accounting-oracle-extension", extension), ("accounting-oracle", address)];
        between(s, "oracle deployed with its constructor", &known);
        s.delay_upgrades(address);
        between(s, "upgradeExtension delayed", &known);
        for role in [
            MANAGE_MEMBERS_AND_QUORUM_ROLE,
            DISABLE_CONSENSUS_ROLE,
            MANAGE_FRAME_CONFIG_ROLE,
            MANAGE_CONSENSUS_VERSION_ROLE,
            SANITY_LIMITS_ROLE,
            SUBMIT_DATA_ROLE,
        ] {
            s.ok(
                ADMIN,
                s.manager,
                U256::ZERO,
                &IAccessManager::grantRoleCall { role, account: ADMIN },
            );
            between(s, "a role granted", &known);
        }
        let mut o = Self { address, extension, members: Vec::new(), quorum };
        for i in 0..members {
            // The quorum must exceed half the members at every step.
            let members = i + 1;
            let q = quorum.max(members / 2 + 1);
            o.add_member(s, member(i), q);
            between(s, "a member added", &known);
        }
        o
    }

    /// Adds `who` with `quorum` (ADMIN holds the role).
    pub fn add_member(&mut self, s: &mut Suite, who: Address, quorum: usize) -> Receipt {
        let (_, r) = s.ok(
            ADMIN,
            self.address,
            U256::ZERO,
            &O::addMemberCall { addr: who, quorum: U256::from(quorum) },
        );
        self.members.push(who);
        r
    }

    /// The current frame's reference slot.
    pub fn ref_slot(&self, s: &mut Suite) -> U256 {
        s.view(self.address, &O::getCurrentFrameCall {}).refSlot
    }

    /// Moves the clock `frames` frames ahead.
    pub fn advance_frames(s: &mut Suite, frames: u64) {
        s.vm.advance_time(frames * FRAME_SECONDS);
    }

    /// Member `i` votes `hash` for the current frame (the receipt, success or not).
    pub fn vote(&self, s: &mut Suite, i: usize, hash: B256) -> Receipt {
        let slot = self.ref_slot(s);
        s.send(
            self.members[i],
            self.address,
            U256::ZERO,
            &O::submitReportCall {
                slot,
                report: hash,
                consensusVersion: U256::from(CONSENSUS_VERSION),
            },
        )
    }

    /// The consensus of the current frame: (ref slot, hash or zero, processing).
    pub fn consensus(&self, s: &mut Suite) -> (U256, B256, bool) {
        let c = s.view(self.address, &O::getConsensusStateCall {});
        (c.refSlot, c.consensusReport, c.isReportProcessing)
    }

    /// Wires the oracle into the protocol: `setProtocolContracts(pool, registry)` on the
    /// oracle, the oracle made the pool's oracle (`setOracle`), and the oracle granted
    /// `EXITED_REPORTER_ROLE` (the registry's exited counts). ADMIN holds the roles.
    ///
    /// # Panics
    ///
    /// When a call fails.
    pub fn connect(&self, s: &mut Suite, registry: Address) {
        let pool = s.pool;
        s.ok(ADMIN, self.address, U256::ZERO, &O::setProtocolContractsCall { pool, registry });
        s.ok(
            ADMIN,
            s.manager,
            U256::ZERO,
            &IAccessManager::grantRoleCall { role: EXITED_REPORTER_ROLE, account: self.address },
        );
        s.ok(ADMIN, pool, U256::ZERO, &IStakingPool::setOracleCall { oracle: self.address });
    }

    /// The first `quorum` members vote `hash` for the current frame.
    ///
    /// # Panics
    ///
    /// When a vote fails.
    pub fn agree(&self, s: &mut Suite, hash: B256) {
        for i in 0..self.quorum {
            let r = self.vote(s, i, hash);
            assert!(r.success, "vote {i}: 0x{}", alloy_primitives::hex::encode(&r.output));
        }
    }

    /// Member `i` submits `data` (the receipt, success or not).
    pub fn submit(&self, s: &mut Suite, i: usize, data: &O::ReportData) -> Receipt {
        let call = O::submitReportDataCall {
            data: data.clone(),
            contractVersion: U256::from(CONTRACT_VERSION),
        };
        s.send(self.members[i], self.address, U256::ZERO, &call)
    }

    /// `from` delivers the agreed exit list (anyone may).
    pub fn submit_exits(&self, s: &mut Suite, from: Address, list: &[u8]) -> Receipt {
        let call = O::submitExitRequestsCall { data: list.to_vec().into() };
        s.send(from, self.address, U256::ZERO, &call)
    }

    /// The quorum agrees on `data` and member 0 submits it (the data's receipt).
    pub fn process(&self, s: &mut Suite, data: &O::ReportData) -> Receipt {
        self.agree(s, data_hash(data));
        self.submit(s, 0, data)
    }
}

/// `keccak256(abi.encode(data))`: what the committee votes.
pub fn data_hash(data: &O::ReportData) -> B256 {
    keccak256(data.abi_encode())
}

/// What a report says, in the protocol's units; [`Report::data`] makes the ABI struct for a
/// reference slot.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Validators the CL has seen (cumulative).
    pub validators: u64,
    /// Their balance, gwei.
    pub cl_balance_gwei: u64,
    /// Withdrawals received at the pool's address and claimed, wei.
    pub withdrawals: U256,
    /// EL rewards received at the pool's address and claimed, wei.
    pub el_rewards: U256,
    /// The L1 vault's free balance at the reference slot, wei (0: no L1 vault ether).
    pub vault_balance: U256,
    /// The L1 vault's cumulative ether bridged to L2 at the reference slot, wei.
    pub bridged_to_l2: U256,
    /// Ends of the request batches to finalize.
    pub batches: Vec<U256>,
    /// Finalization share rate (1e27).
    pub rate: U256,
    /// The committee's bunker verdict.
    pub bunker: bool,
    /// `(operator id, cumulative exited)` of operators whose count changed, ids increasing.
    pub exited: Vec<(u64, u64)>,
    /// Their places in the deposit order afterwards ([`crate::validators::Validators::exit_hints`]);
    /// empty: a zero hint for each (the registry walks from the head).
    pub hints: Vec<u64>,
    /// The packed exit list the committee agrees with the report (64 bytes a request:
    /// [`exit_request`]); empty: none.
    pub exit_requests: Vec<u8>,
}

/// One packed exit request (`staking_common::exit_list`).
pub use staking_common::exit_list::request as exit_request;

impl Report {
    /// The pool's consensus-layer view now: `(depositedValidators, clValidators, clBalance
    /// gwei)`.
    pub fn beacon(s: &mut Suite) -> (u64, u64, u64) {
        let b = s.view(s.pool, &IStakingPool::getBeaconStatCall {});
        let n = |x: U256| u64::try_from(x).expect("fits");
        (n(b._0), n(b._1), n(b._2 / U256::from(GWEI)))
    }

    /// The report data for reference slot `ref_slot`.
    pub fn data(&self, ref_slot: U256) -> O::ReportData {
        O::ReportData {
            consensusVersion: U256::from(CONSENSUS_VERSION),
            refSlot: ref_slot,
            numValidators: U256::from(self.validators),
            clBalanceGwei: U256::from(self.cl_balance_gwei),
            withdrawals: self.withdrawals,
            elRewards: self.el_rewards,
            vaultBalance: self.vault_balance,
            bridgedToL2: self.bridged_to_l2,
            sharesRequestedToBurn: U256::ZERO,
            withdrawalFinalizationBatches: self.batches.clone(),
            simulatedShareRate: self.rate,
            isBunkerMode: self.bunker,
            exitedOperatorIds: self.exited.iter().map(|e| U256::from(e.0)).collect(),
            exitedValidatorsCounts: self.exited.iter().map(|e| U256::from(e.1)).collect(),
            exitedOrderHints: if self.hints.is_empty() {
                vec![U256::ZERO; self.exited.len()]
            } else {
                self.hints.iter().map(|&h| U256::from(h)).collect()
            },
            exitRequestsCount: U256::from(self.exit_requests.len() / 64),
            exitRequestsHash: if self.exit_requests.is_empty() {
                B256::ZERO
            } else {
                keccak256(&self.exit_requests)
            },
        }
    }
}
