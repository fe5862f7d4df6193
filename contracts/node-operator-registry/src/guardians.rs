//! Deposit guardians: any one of them can pause deposits, before a batch leaves L2.
//!
//! The guardians' deposit attestation (a quorum over the beacon deposit contract's root) is
//! the L1 vault's (`contracts/l1-vault`): a deposit happens there, six days after the batch
//! leaves, so that is where the root must be fresh. Here the guardians only pause; the
//! registry keeps no quorum. The message (a raw 32-byte digest signed with secp256k1, as Lido's
//! DepositSecurityModule does; the prefix binds the chain and this registry, so a signature
//! cannot be replayed elsewhere):
//!
//! ```text
//! pause  = keccak256(PAUSE_PREFIX ‖ blockNumber)
//! PREFIX = keccak256("sETH.DepositSecurity.PAUSE" ‖ chainId ‖ registry)
//! ```
//!
//! A signed pause works once. Anyone may relay a guardian's pause signature, so a signature
//! alone must not pause again after governance resumed deposits: `resumeDeposits` records the
//! L2 block it ran in (`resumed_at`, bits 24..64 of limb 3 of the global word, slot 0: see
//! [`crate::storage`]), and a signed pause must name a block strictly after it
//! (`PauseIntentBeforeResume(blockNumber, resumedAt)`), as well as one at most
//! [`PAUSE_INTENT_VALIDITY`] blocks old (`StalePauseIntent`). A signature used to pause names a
//! block at or before the next resume, so it is refused from then on; a guardian that wants
//! deposits paused again signs a new block (or sends `pauseDeposits` itself, which needs no
//! signature). The replay is refused from the block after the resume: a pause signed in the
//! resume's own block is refused too, whichever came first in it.
//!
//! Signatures are 65 bytes `r ‖ s ‖ v` (v = 27 / 28), `s` in the lower half of the curve order
//! (no malleable twins). Recovery calls the `ecrecover` precompile; block numbers come from
//! ArbSys (`arbBlockNumber`).

use alloc::vec::Vec;

use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use staking_common::{abi::Word, eip712, host, roles::DEPOSIT_SECURITY_ROLE};
use stylus_sdk::crypto::keccak;

use crate::{
    errors::{
        DepositsArePaused, DepositsNotPaused, Error, GuardianExists, InvalidAddress, NotGuardian,
        PauseIntentBeforeResume, StalePauseIntent, TooManyGuardians,
    },
    events::emit,
    interface::calls,
    storage::{FLAG_DEPOSITS_PAUSED, RESUMED_AT_MAX},
    NodeOperatorRegistry,
};

/// Most guardians.
pub const MAX_GUARDIANS: u8 = 32;
/// How many L2 blocks a signed pause intent stays valid.
pub const PAUSE_INTENT_VALIDITY: u64 = 7_200;
/// ArbSys.
pub const ARB_SYS: Address = address!("0000000000000000000000000000000000000064");

sol! {
    function arbBlockNumber() returns (uint256);
}

/// The signer of `digest` under a 65-byte `r ‖ s ‖ v` signature (`v` 27 or 28, low `s`), or
/// `None`: the suite's one `ecrecover` path (`staking_common::eip712`, also the permits').
pub fn recover(digest: B256, signature: &[u8]) -> Option<Address> {
    let (v, r, s) = eip712::split(signature)?;
    let signer = eip712::recover(digest, v, r, s);
    (!signer.is_zero()).then_some(signer)
}

/// The current L2 block number (ArbSys).
pub fn arb_block_number() -> Option<u64> {
    let out = host::static_call(ARB_SYS, &arbBlockNumberCall::SELECTOR).ok()?;
    u64::try_from(U256::from_be_slice(out.get(..32)?)).ok()
}

/// `keccak256(tag ‖ chainId ‖ registry)`.
fn prefix(tag: &[u8]) -> B256 {
    let mut data = Vec::with_capacity(tag.len() + 64);
    data.extend_from_slice(tag);
    data.extend_from_slice(U256::from(host::chain_id()).word().as_slice());
    data.extend_from_slice(host::this().word().as_slice());
    keccak(data)
}

impl NodeOperatorRegistry {
    /// The digest a guardian signs to pause deposits.
    pub fn pause_message_hash(&self, block_number: U256) -> B256 {
        let mut data = [0u8; 64];
        data[..32].copy_from_slice(prefix(b"sETH.DepositSecurity.PAUSE").as_slice());
        data[32..].copy_from_slice(block_number.word().as_slice());
        keccak(data)
    }

    /// Whether `account` is a guardian.
    pub fn is_guardian(&self, account: Address) -> bool {
        !self.guardian_index.get(account).is_zero()
    }

    /// Adds a guardian.
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`, `InvalidAddress`, `GuardianExists`, `TooManyGuardians`.
    /// # Events
    /// `GuardianAdded(guardian)`.
    /// # Access
    /// `DEPOSIT_SECURITY_ROLE`.
    pub fn add_guardian(&mut self, guardian: Address) -> Result<(), Error> {
        self.authorize(DEPOSIT_SECURITY_ROLE, &calls::addGuardian(guardian))?;
        let mut g = self.initialized_global()?;
        if guardian.is_zero() {
            return Err(Error::InvalidAddress(InvalidAddress {}));
        }
        if self.is_guardian(guardian) {
            return Err(Error::GuardianExists(GuardianExists { guardian }));
        }
        if g.guardians >= MAX_GUARDIANS {
            return Err(Error::TooManyGuardians(TooManyGuardians {
                max: U256::from(MAX_GUARDIANS),
            }));
        }
        self.guardian_list.push(guardian);
        g.guardians += 1;
        self.guardian_index.setter(guardian).set(U256::from(g.guardians));
        emit::GuardianAdded(guardian);
        self.global.set(g.pack());
        Ok(())
    }

    /// Removes a guardian.
    ///
    /// # Errors
    /// `AccessDenied`, `NotInitialized`, `NotGuardian`.
    /// # Events
    /// `GuardianRemoved(guardian)`.
    /// # Access
    /// `DEPOSIT_SECURITY_ROLE`.
    pub fn remove_guardian(&mut self, guardian: Address) -> Result<(), Error> {
        self.authorize(DEPOSIT_SECURITY_ROLE, &calls::removeGuardian(guardian))?;
        let mut g = self.initialized_global()?;
        let position = self.guardian_index.get(guardian);
        if position.is_zero() {
            return Err(Error::NotGuardian(NotGuardian { account: guardian }));
        }
        // Swap the last guardian into the removed one's place.
        let last = self.guardian_list.len() - 1;
        let moved = self.guardian_list.get(last).unwrap_or_default();
        let at = position.saturating_to::<usize>() - 1;
        if let Some(mut slot) = self.guardian_list.setter(at) {
            slot.set(moved);
        }
        self.guardian_index.setter(moved).set(position);
        self.guardian_list.erase_last();
        self.guardian_index.setter(guardian).set(U256::ZERO);
        g.guardians -= 1;
        emit::GuardianRemoved(guardian);
        self.global.set(g.pack());
        Ok(())
    }

    /// Pauses deposits: sent by a guardian (`signature` empty), or by anyone with a guardian's
    /// signature of the pause message for `block_number`, a recent L2 block after the last
    /// resume (so a signature pauses at most once: see the module doc).
    ///
    /// # Errors
    /// `NotInitialized`, `DepositsArePaused`, `StalePauseIntent` (`block_number` in the future
    /// or older than [`PAUSE_INTENT_VALIDITY`] blocks), `PauseIntentBeforeResume`
    /// (`block_number` not after the block deposits were last resumed in), `NotGuardian`.
    /// # Events
    /// `DepositsPaused(guardian)`.
    /// # Access
    /// A guardian.
    pub fn pause_deposits(&mut self, block_number: U256, signature: &[u8]) -> Result<(), Error> {
        let mut g = self.initialized_global()?;
        if g.has(FLAG_DEPOSITS_PAUSED) {
            return Err(Error::DepositsArePaused(DepositsArePaused {}));
        }
        let sender = host::sender();
        let guardian = if signature.is_empty() {
            sender
        } else {
            let current = arb_block_number().unwrap_or(0);
            let fresh = u64::try_from(block_number)
                .is_ok_and(|b| b <= current && current - b <= PAUSE_INTENT_VALIDITY);
            if !fresh {
                return Err(Error::StalePauseIntent(StalePauseIntent {
                    blockNumber: block_number,
                    current: U256::from(current),
                }));
            }
            // Fresh, so below 2^64: a replay after a resume names a block at or before it.
            if block_number <= U256::from(g.resumed_at) {
                return Err(Error::PauseIntentBeforeResume(PauseIntentBeforeResume {
                    blockNumber: block_number,
                    resumedAt: U256::from(g.resumed_at),
                }));
            }
            recover(self.pause_message_hash(block_number), signature).unwrap_or_default()
        };
        if !self.is_guardian(guardian) {
            return Err(Error::NotGuardian(NotGuardian { account: guardian }));
        }
        g.flags |= FLAG_DEPOSITS_PAUSED;
        self.global.set(g.pack());
        emit::DepositsPaused(guardian);
        Ok(())
    }

    /// Resumes deposits, and records the current L2 block: pause signatures for it or an
    /// earlier block are refused from now on (`PauseIntentBeforeResume`).
    ///
    /// # Errors
    /// `AccessDenied`, `DepositsNotPaused`.
    /// # Events
    /// `DepositsResumed(by)`.
    /// # Access
    /// `DEPOSIT_SECURITY_ROLE`.
    pub fn resume_deposits(&mut self) -> Result<(), Error> {
        let by = self.authorize(DEPOSIT_SECURITY_ROLE, &calls::resumeDeposits())?;
        let mut g = self.initialized_global()?;
        if !g.has(FLAG_DEPOSITS_PAUSED) {
            return Err(Error::DepositsNotPaused(DepositsNotPaused {}));
        }
        g.flags &= !FLAG_DEPOSITS_PAUSED;
        g.resumed_at = arb_block_number().unwrap_or(0).min(RESUMED_AT_MAX);
        self.global.set(g.pack());
        emit::DepositsResumed(by);
        Ok(())
    }
}
