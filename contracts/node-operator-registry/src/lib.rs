//! # NodeOperatorRegistry
//!
//! Node operators, the validator keys they commit, the order in which they receive deposits,
//! the guarded path that sends buffered ether to validators, and the operators' share of the
//! protocol fee.
//!
//! ## Who calls it
//!
//! - `OPERATOR_MANAGER_ROLE` (governance): adds operators, activates / deactivates, renames them,
//!   changes reward addresses (an operator's reward address may change its own).
//! - `OPERATOR_LIMITS_ROLE`: vetted limits (after checking an operator's keys) and target limits.
//! - Operators (their reward address, or the manager role): commit key batches, remove unused
//!   keys, claim rewards.
//! - The pool, inside `depositBufferedEther` (`DEPOSIT_ROLE`, the depositor bot): `depositKeys`
//!   with the packed keys and proofs; it gets back the withdrawal credentials and the batch's
//!   commitment and sends both, with the ether, to the L1 vault.
//! - Guardians: any one of them can pause deposits (`pauseDeposits`, signed or sent by itself).
//!   `DEPOSIT_SECURITY_ROLE` manages guardians and resumes deposits. The guardians' deposit
//!   attestation is the L1 vault's (`contracts/l1-vault`), at the moment of the deposit.
//! - `EXITED_REPORTER_ROLE` (the report processor): exited-validator counts, late marks and the
//!   committee's exit requests (`onExitRequests`, [`exits`]).
//! - Anyone, once an operator is past its force deadline, or `FORCED_EXIT_ROLE` at any time:
//!   `forceExits` (through the pool and the L1 vault's EIP-7002 request, [`exits`]).
//! - The pool on a report: `onRewardsMinted(shares)` after minting the operators' fee shares here.
//! - The StylusDeployer, once, in the deploying transaction: the constructor
//!   (`constructor(pool, withdrawalCredentials, accessManager, extension)`); there is no
//!   `initialize`.
//! - `UPGRADE_ROLE`, behind the AccessManager's delay: `upgradeExtension` (the extension
//!   program, `staking_common::upgrade`).
//!
//! ## Keys without storing them ([`keys`])
//!
//! An operator commits a batch of deposit data (48-byte pubkeys, 96-byte signatures) in one
//! call, either in the calldata (the registry hashes it into a Merkle root on-chain, and the
//! keys stay in the transaction's calldata for guardians and the depositor bot) or as the root
//! alone (the key file goes to the DAO off-chain, which checks it before vetting); one word per
//! batch is stored: `keccak(root, start, end)`. At
//! deposit time the bot supplies each key with its Merkle proof; the registry checks it against
//! the stored commitment at the operator's next index. A key is used once (the index only
//! grows), in order, and only below the vetted limit.
//!
//! ## Fair allocation ([`allocation`])
//!
//! Eligible operators (active, a vetted key left, under their target) form a doubly linked list
//! sorted by (active validators, id). The next key goes to the head. After a deposit the head
//! moves back into the list at the place the bot's hint names; the registry checks the hint
//! (walking forward from it, or from the head if it is off), so a deposit of k keys costs O(k),
//! whatever the number of operators. Exits reported by the oracle carry a hint each too; other
//! administrative changes re-insert an operator by walking from the head.
//!
//! ## Deposits ([`deposit`], [`guardians`])
//!
//! `depositKeys` checks, in order: the caller is the pool, `count` is 1 to 100 (the L1 vault's
//! `MAX_BATCH_KEYS`), deposits are not paused; then for each key: its proof at the operator's
//! next index and its SSZ deposit data root (computed on-chain, [`staking_common::deposit_data`])
//! with the withdrawal credentials set at deployment, the L1 vault's (`0x01`, or `0x02`
//! compounding). It returns the credentials and `keccak256` of the roots, which the pool sends
//! with the batch's ether to the vault through `ArbSys.sendTxToL1`. The front-running check
//! (a guardian quorum over the beacon deposit contract's current root) is the vault's, at the
//! moment of the deposit on L1; here, one guardian can still pause deposits before any ether
//! leaves L2.
//!
//! ## Rewards ([`rewards`])
//!
//! The pool mints the operators' part of the fee as shares to the registry and calls
//! `onRewardsMinted(shares)`; one accumulator (shares per active validator, 1e18 precision)
//! grows, so a report costs the same for 10 or 1,000 operators. Each operator's due is settled
//! lazily (when its active count changes or it claims); operators claim their shares (pull).
//! Rounding is down: dust below one share per distribution stays in the registry.
//!
//! ## Storage (see [`storage`] for the words)
//!
//! One line per `#[storage]` field (`slot N  field  what`), checked against the real layout
//! by `tests::layout`:
//!
//! ```text
//! slot 0   global            word global: nonce | total active | operators | list head
//!                            | reward epoch | guardians | flags | resumed_at
//! slot 1   pool              address
//! slot 2   withdrawal_credentials  bytes32 (0x01 / 0x02 ‖ 11 zero bytes ‖ the L1 vault)
//! slot 3   access_manager    address
//! slot 4   rewards           word rewards: acc_per_validator u128 | undistributed u128
//! slot 5   operators         mapping(uint256 id => word operator)
//! slot 6   reward_addresses  mapping(uint256 id => address)
//! slot 7   names             mapping(uint256 id => string)
//! slot 8   earned            mapping(uint256 id => word earned: accrued u128 | snapshot u128)
//! slot 9   commitments       mapping(uint256 id << 16 | batch => keccak(root, start, end))
//! slot 10  guardian_list     address[] (length here, elements at keccak256(10))
//! slot 11  guardian_index    mapping(address => 1-based position in guardian_list)
//! slot 12  extension         address (the extension program; constructor, upgradeExtension)
//! slot 13  exits             mapping(uint256 id => word exits) (exit requests: [`exits`])
//! slot 14  exit_config       word exit_config: late_active | pending | deadlines
//! ```
//!
//! Besides the table, the SDK's constructor guard word at `keccak256("stylus_constructor")`
//! is set once, by the constructor (`staking_common::upgrade`).
//!
//! ## Libraries versus gas
//!
//! No OpenZeppelin component holds this state. The guardians' pause signature calls the
//! `ecrecover` precompile directly through `staking_common::host`. OpenZeppelin's
//! `ecdsa::recover` (0.3) makes the same precompile call, but through the SDK's call context,
//! which the generated router does not pass.
//!
//! ## Routing
//!
//! `abi/INodeOperatorRegistry.sol` declares the interface once; `staking_interface::interface!`
//! generates from it, at compile time, the selector router, the errors ([`errors`]), the event
//! loggers ([`events`]), the calldata the AccessManager hashes (`interface::calls`) and the
//! exported ABI. The contract is two programs: the **core** (the contract's address) serves the
//! deposit path, key commits, rewards, exited counts, the exit list (`onExitRequests`: it
//! shares the arrays' decoding) and forced exits (`forceExits`: they share the key proofs), the
//! guardians' pause and the digest they sign for it, `getDepositAllocation` (it shares the list
//! code) and the constructor; the selectors
//! tagged `@custom:program extension` in the file (administration, the other views and
//! `upgradeExtension`) are forwarded by `DELEGATECALL` to the **extension** program
//! (`--features extension`), which runs on the core's storage. Nothing is payable: ether sent
//! with any call, or arguments that do not decode, are refused with empty revert data. Native
//! builds (the motsu tests) serve every selector in one program.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
#![cfg_attr(any(target_arch = "wasm32", feature = "export-abi"), allow(missing_docs))]
#![allow(
    clippy::result_large_err,
    reason = "an error is built once per failed call and encoded at once; boxing it costs wasm"
)]

extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageMap, StorageString, StorageU256, StorageVec},
};

mod access;
pub mod allocation;
pub mod deposit;
pub mod errors;
pub mod events;
pub mod exits;
pub mod guardians;
pub mod keys;
pub mod operators;
pub mod rewards;
pub mod storage;
pub mod views;

#[cfg(test)]
mod tests;

// The interface declared once, in `abi/INodeOperatorRegistry.sol`: `abi` (alloy's types),
// `interface` (errors, event loggers, calldata encoders, the function table) and the router
// (core and extension programs), generated at compile time.
staking_interface::interface!(NodeOperatorRegistry, "abi/INodeOperatorRegistry.sol");

use errors::{AlreadyInitialized, Error, InvalidAddress, NotInitialized};
use staking_common::upgrade;
use storage::{Global, Operator, FLAG_INITIALIZED, OP_EXISTS};

/// The id the registry's extension program answers to `extensionId()`: the storage layout it
/// runs on (`staking_common::upgrade`).
pub const EXTENSION_ID: B256 =
    staking_common::upgrade::extension_id(b"node-operator-registry.extension.v1");

/// Transient slot of the reentrancy guard.
pub(crate) const GUARD_SLOT: B256 = B256::new(*b"node-operator-registry.guard\0\0\0\0");

/// The node operator registry.
#[entrypoint]
#[storage]
pub struct NodeOperatorRegistry {
    /// Slot 0: [`Global`].
    pub(crate) global: StorageU256,
    /// Slot 1: the staking pool (asks for deposits, mints rewards).
    pub(crate) pool: StorageAddress,
    /// Slot 2: the validators' withdrawal credentials (`0x01` or `0x02` ‖ 11 zero bytes ‖ the
    /// L1 vault), which every deposit data root covers.
    pub(crate) withdrawal_credentials: StorageB256,
    /// Slot 3: the AccessManager asked on privileged paths.
    pub(crate) access_manager: StorageAddress,
    /// Slot 4: `acc_per_validator u128 | undistributed u128` ([`rewards`]).
    pub(crate) rewards: StorageU256,
    /// Slot 5: operator words ([`Operator`]), ids 1-based.
    pub(crate) operators: StorageMap<U256, StorageU256>,
    /// Slot 6: reward addresses.
    pub(crate) reward_addresses: StorageMap<U256, StorageAddress>,
    /// Slot 7: names.
    pub(crate) names: StorageMap<U256, StorageString>,
    /// Slot 8: `accrued u128 | snapshot u128` per operator ([`rewards`]).
    pub(crate) earned: StorageMap<U256, StorageU256>,
    /// Slot 9: key batch commitments ([`keys`]).
    pub(crate) commitments: StorageMap<U256, StorageU256>,
    /// Slot 10: guardians.
    pub(crate) guardian_list: StorageVec<StorageAddress>,
    /// Slot 11: guardian => 1-based position in `guardian_list` (0: not a guardian).
    pub(crate) guardian_index: StorageMap<Address, StorageU256>,
    /// Slot 12: the extension program (see the module doc): set by the constructor, replaced
    /// only by `upgradeExtension` (`staking_common::upgrade`).
    pub(crate) extension: StorageAddress,
    /// Slot 13: each operator's exit requests ([`storage::OperatorExits`], [`exits`]).
    pub(crate) exits: StorageMap<U256, StorageU256>,
    /// Slot 14: [`storage::ExitConfig`] (pending exits, late validators, deadlines).
    pub(crate) exit_config: StorageU256,
}

impl NodeOperatorRegistry {
    /// The constructor (run once, by the StylusDeployer in the deploying transaction: see
    /// `staking_common::upgrade`): sets the pool, the validators' withdrawal credentials (the
    /// L1 vault's: `0x01`, or `0x02` for a compounding deployment, then 11 zero bytes and the
    /// vault's address), the AccessManager and the extension program.
    ///
    /// # Errors
    /// `AlreadyInitialized` (any run after the first: the SDK's guard word), `InvalidAddress`
    /// (a zero address), `InvalidWithdrawalCredentials(credentials)` (a first byte other than
    /// `0x01` / `0x02`, a non-zero byte among bytes 1..12, or a zero address),
    /// `InvalidExtension(extension)` (it does not answer `extensionId()` with
    /// [`EXTENSION_ID`]).
    /// # Events
    /// `Initialized(pool, withdrawalCredentials, accessManager, extension)`.
    /// # Access
    /// The deploying transaction only (there is no `initialize` selector).
    pub fn constructor(
        &mut self,
        pool: Address,
        withdrawal_credentials: B256,
        access_manager: Address,
        extension: Address,
    ) -> Result<(), Error> {
        if upgrade::constructed(self.__stylus_host.clone()) {
            return Err(Error::AlreadyInitialized(AlreadyInitialized {}));
        }
        let mut g = self.load_global();
        if pool.is_zero() || access_manager.is_zero() {
            return Err(Error::InvalidAddress(InvalidAddress {}));
        }
        let c = withdrawal_credentials.0;
        if !matches!(c[0], 1 | 2) || c[1..12] != [0; 11] || c[12..] == [0; 20] {
            return Err(Error::InvalidWithdrawalCredentials(
                errors::InvalidWithdrawalCredentials { credentials: withdrawal_credentials },
            ));
        }
        if !upgrade::answers_delegated(extension, EXTENSION_ID) {
            return Err(Error::InvalidExtension(errors::InvalidExtension { extension }));
        }
        g.flags |= FLAG_INITIALIZED;
        self.global.set(g.pack());
        self.pool.set(pool);
        self.withdrawal_credentials.set(withdrawal_credentials);
        self.access_manager.set(access_manager);
        self.extension.set(extension);
        events::emit::Initialized(pool, withdrawal_credentials, access_manager, extension);
        upgrade::mark_constructed(self.__stylus_host.clone());
        Ok(())
    }

    /// Replaces the extension program (see `staking_common::upgrade` for the policy and the
    /// power it gives governance). Runs in the extension, on the registry's storage.
    ///
    /// # Errors
    /// `AccessDenied` (no `UPGRADE_ROLE`, or not scheduled / not ready / expired where the
    /// AccessManager has a delay on `upgradeExtension`), `InvalidExtension(candidate)` (it does
    /// not answer `extensionId()` with [`EXTENSION_ID`]).
    /// # Events
    /// `ExtensionUpgraded(old, candidate)`.
    /// # Access
    /// `UPGRADE_ROLE`, behind the delay the deployment sets (a guardian may cancel).
    pub fn upgrade_extension(&mut self, candidate: Address) -> Result<(), Vec<u8>> {
        let manager = self.access_manager.get();
        upgrade::upgrade_extension::<errors::Error>(
            manager,
            GUARD_SLOT,
            &mut self.extension,
            candidate,
            EXTENSION_ID,
        )
    }

    /// [`EXTENSION_ID`], answered only by the extension program on its own storage (through
    /// the registry it reverts with empty data: a core is never taken for an extension).
    pub fn extension_id(&self) -> Option<stylus_sdk::ArbResult> {
        upgrade::answer_id(self.extension.get(), EXTENSION_ID)
    }

    /// The global word.
    pub(crate) fn load_global(&self) -> Global {
        Global::unpack(self.global.get())
    }

    /// The global word, failing before initialization.
    pub(crate) fn initialized_global(&self) -> Result<Global, Error> {
        let g = self.load_global();
        if !g.has(FLAG_INITIALIZED) {
            return Err(Error::NotInitialized(NotInitialized {}));
        }
        Ok(g)
    }

    /// Operator `id`'s word (zero for an unknown id).
    pub(crate) fn op(&self, id: u16) -> Operator {
        Operator::unpack(self.operators.get(U256::from(id)))
    }

    /// Writes operator `id`'s word.
    pub(crate) fn put_op(&mut self, id: u16, op: &Operator) {
        self.operators.setter(U256::from(id)).set(op.pack());
    }

    /// An existing operator's id and word.
    pub(crate) fn existing(&self, id: U256) -> Result<(u16, Operator), Error> {
        let small = u16::try_from(id).unwrap_or(0);
        let op = self.op(small);
        if small == 0 || !op.has(OP_EXISTS) {
            return Err(Error::OperatorNotFound(errors::OperatorNotFound { operatorId: id }));
        }
        Ok((small, op))
    }
}
