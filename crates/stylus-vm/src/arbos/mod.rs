//! ArbOS's own state and the system contracts built on it: ArbSys (0x64, [`arbsys`]), ArbWasm
//! (0x71, [`arbwasm`]: activating programs), the
//! send Merkle accumulator ([`send_merkle`]), L1-to-L2 address aliasing ([`aliasing`]), ETH
//! deposits and retryable tickets with ArbRetryableTx (0x6e, [`retryables`]).
//!
//! # Storage layout
//!
//! ArbOS keeps its state in the storage of the account [`ARBOS_STATE`]
//! (`0xA4B05FFF…FF`), laid out as nitro's `arbos/storage` lays it out, so that the slots are
//! the ones a nitro node holds:
//!
//! - A storage space has a key: the root's is empty; a subspace's is
//!   `keccak256(parent key ‖ id)`.
//! - The value at offset `k` (a 32-byte word) of a space with key `s` lives in the slot
//!   `keccak256(s ‖ k[0..31])[0..31] ‖ k[31]` (nitro's `mapAddress`: pages of 256 slots).
//! - The send Merkle accumulator is subspace `[5]`: its size at offset 0, its partial of
//!   level `L` at offset `2 + L` (`arbos/merkleAccumulator`).
//! - Retryables are subspace `[2]`; ticket `id` is its subspace `id` (32 bytes) with
//!   `numTries` 0, `from` 1, `to` 2 (`1 << 255` for none), `callvalue` 3, `beneficiary` 4,
//!   `timeout` 5, `timeoutWindowsLeft` 6, and the calldata in its subspace `[1]` (length at
//!   offset 0, then the bytes in 32-byte words, the last one right-aligned as nitro's
//!   `StorageBackedBytes` writes it) (`arbos/retryables`).
//!
//! Every write goes through the transaction's journal (`State::sstore`): a reverted call
//! takes its ArbOS changes back with it.
//!
//! # Gas
//!
//! Precompile methods pay what nitro's precompile wrapper and ArbOS storage charge
//! (`precompiles/precompile.go`, `arbos/storage/storage.go`):
//!
//! - 3 gas per word of arguments and of result (or revert data);
//! - 800 to open the ArbOS state (reading its version) for every method that is not pure;
//! - per ArbOS storage access: read 800, write 20,000, write of zero 5,000; a keccak by
//!   ArbOS 30 + 6 per word;
//! - per event: 375 + 375 per topic (the signature included) + 8 per byte of data;
//! - a call with an unknown selector, value to a non-payable method or a write in a static
//!   call reverts and takes all the gas given; other errors revert and keep the rest;
//!   running out reverts with no gas left.
//!
//! ArbSys's `arbBlockNumber`, `arbBlockHash` and `arbChainID` keep the VM's earlier price (the
//! copy charges only, without the 800 for opening the state), so that the Stylus figures
//! measured through them stay put; see [`arbsys`].

pub mod aliasing;
pub mod arbsys;
pub mod arbwasm;
pub mod retryables;
pub mod send_merkle;

use alloy_primitives::{address, keccak256, Address, Log, B256, U256};

use crate::{
    call::{Exec, Outcome},
    receipt::{Category, Status},
    state::State,
};

/// The account whose storage holds ArbOS's state.
pub const ARBOS_STATE: Address = address!("A4B05FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF");

/// Where ArbOS pays network fees in this VM: retryable submission fees and the gas of
/// auto-redeems (nitro's `networkFeeAccount`, which a chain owner sets; on a fresh chain it
/// is the owner).
pub const NETWORK_FEE_ACCOUNT: Address = address!("A4B00000000000000000000000000000000000F6");

/// ArbOS storage prices (`arbos/storage`): a read, a write, a write of zero.
pub(crate) const STORAGE_READ: u64 = 800;
pub(crate) const STORAGE_WRITE: u64 = 20_000;
pub(crate) const STORAGE_WRITE_ZERO: u64 = 5_000;
/// geth's `CopyGas`, per word.
pub(crate) const COPY_GAS: u64 = 3;
/// geth's `LogGas`, `LogTopicGas`, `LogDataGas`.
pub(crate) const LOG_GAS: u64 = 375;
pub(crate) const LOG_TOPIC_GAS: u64 = 375;
pub(crate) const LOG_DATA_GAS: u64 = 8;

/// The ArbOS version the VM runs (the one [`crate::validate::ARBOS_VERSION`] names).
pub const ARBOS_VERSION: u64 = crate::validate::ARBOS_VERSION;

/// The retry a transaction is, when ArbOS runs it for a ticket (nitro's
/// `TxProcessor.CurrentRetryable` and `CurrentRefundTo`): the transaction's sender is an
/// aliased L1 address and ArbRetryableTx's `getCurrentRedeemer` names `refund_to`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct RetryContext {
    pub(crate) ticket: B256,
    pub(crate) refund_to: Address,
}

pub(crate) fn words(len: usize) -> u64 {
    (len as u64).div_ceil(32)
}

/// A storage space of the ArbOS state: its key (see the module doc).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Space(Vec<u8>);

impl Space {
    /// The root space.
    pub(crate) fn root() -> Self {
        Self(Vec::new())
    }

    /// The subspace `id`.
    pub(crate) fn sub(&self, id: &[u8]) -> Self {
        Self(keccak256([&self.0[..], id].concat()).to_vec())
    }

    /// The slot of the word at `key`.
    pub(crate) fn slot_of(&self, key: B256) -> B256 {
        let mapped = keccak256([&self.0[..], &key[..31]].concat());
        let mut slot = mapped;
        slot[31] = key[31];
        slot
    }

    /// The slot of the word at `offset`.
    pub(crate) fn slot(&self, offset: u64) -> B256 {
        self.slot_of(B256::from(U256::from(offset)))
    }
}

/// Why a precompile method stopped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Fail {
    /// It ran out of gas: a revert with no gas left.
    OutOfGas,
    /// A Solidity error (`error X(...)`): a revert with its data, keeping the gas left.
    Revert(Vec<u8>),
    /// Another error (nitro's plain Go errors): a revert with no data, keeping the gas left.
    Error,
    /// A call nitro refuses before running it (unknown selector, bad arguments, value to a
    /// non-payable method, a write in a static call): a revert taking all the gas.
    Refused,
}

/// Gas a precompile call was given and has used.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Meter {
    supplied: u64,
    used: u64,
    free: bool,
}

impl Meter {
    pub(crate) fn new(supplied: u64) -> Self {
        Self { supplied, used: 0, free: false }
    }

    /// A meter that charges nothing (ArbOS's own work outside a call).
    pub(crate) fn free() -> Self {
        Self { supplied: u64::MAX, used: 0, free: true }
    }

    pub(crate) fn left(&self) -> u64 {
        self.supplied - self.used
    }

    pub(crate) fn used(&self) -> u64 {
        self.used
    }

    /// Pays `gas`, or uses everything and fails when it is more than what is left.
    pub(crate) fn burn(&mut self, gas: u64) -> Result<(), Fail> {
        if self.free {
            return Ok(());
        }
        if self.left() < gas {
            self.used = self.supplied;
            return Err(Fail::OutOfGas);
        }
        self.used += gas;
        Ok(())
    }
}

/// ArbOS's metered view of the state.
pub(crate) struct Arbos<'a> {
    pub(crate) state: &'a mut State,
    pub(crate) gas: Meter,
}

impl Arbos<'_> {
    /// Reads a word of the ArbOS state (800 gas).
    pub(crate) fn get(&mut self, slot: B256) -> Result<B256, Fail> {
        self.gas.burn(STORAGE_READ)?;
        Ok(self.state.world.sload(ARBOS_STATE, slot))
    }

    /// Reads a word as a `u64` (800 gas).
    pub(crate) fn get_u64(&mut self, slot: B256) -> Result<u64, Fail> {
        let word = U256::from_be_bytes(self.get(slot)?.0);
        Ok(word.saturating_to())
    }

    /// Writes a word of the ArbOS state (20,000 gas, 5,000 for zero).
    pub(crate) fn set(&mut self, slot: B256, value: B256) -> Result<(), Fail> {
        self.gas.burn(if value.is_zero() { STORAGE_WRITE_ZERO } else { STORAGE_WRITE })?;
        self.state.sstore(ARBOS_STATE, slot, value);
        Ok(())
    }

    pub(crate) fn set_u64(&mut self, slot: B256, value: u64) -> Result<(), Fail> {
        self.set(slot, B256::from(U256::from(value)))
    }

    /// ArbOS's charged keccak: 30 + 6 per word.
    pub(crate) fn keccak(&mut self, data: &[u8]) -> Result<B256, Fail> {
        self.gas.burn(30 + 6 * words(data.len()))?;
        Ok(keccak256(data))
    }

    /// Emits a log of `address` (375 + 375 per topic + 8 per data byte).
    pub(crate) fn emit(
        &mut self,
        address: Address,
        topics: Vec<B256>,
        data: Vec<u8>,
    ) -> Result<(), Fail> {
        let cost = LOG_GAS + LOG_TOPIC_GAS * topics.len() as u64 + LOG_DATA_GAS * data.len() as u64;
        self.gas.burn(cost)?;
        self.state.log(Log::new_unchecked(address, topics, data.into()));
        Ok(())
    }
}

/// Ends a precompile call as nitro's wrapper does: the result's copy charge, the status and
/// the gas left, the gas used recorded in the ledger.
pub(crate) fn finish(exec: &mut Exec, mut gas: Meter, result: Result<Vec<u8>, Fail>) -> Outcome {
    let (status, output) = match result {
        Ok(output) => match gas.burn(COPY_GAS * words(output.len())) {
            Ok(()) => (Status::Success, output),
            Err(_) => (Status::Revert, Vec::new()),
        },
        Err(Fail::Revert(data)) => match gas.burn(COPY_GAS * words(data.len())) {
            Ok(()) => (Status::Revert, data),
            Err(_) => (Status::Revert, Vec::new()),
        },
        Err(Fail::Error | Fail::OutOfGas) => (Status::Revert, Vec::new()),
        Err(Fail::Refused) => {
            gas.used = gas.supplied;
            (Status::Revert, Vec::new())
        }
    };
    exec.ledger.add_gas(Category::Precompiles, gas.used());
    Outcome { status, output, gas_left: gas.left() }
}
