//! Role ids, computed at compile time as `keccak256(name)` like OpenZeppelin's Solidity roles.
//!
//! Every privileged entry point of the suite names one of these in its `# Access` doc section.
//! The AccessManager stores who holds which role; the other contracts ask it.
//!
//! No role finalizes withdrawals or sets the queue's bunker mode: the pool alone does both,
//! while it applies an oracle report (the former `FINALIZE_ROLE` is gone).

use alloy_primitives::B256;
use stylus_sdk::keccak_const::Keccak256;

const fn role(name: &[u8]) -> B256 {
    B256::new(Keccak256::new().update(name).finalize())
}

/// Administers every role whose admin was not changed; held by the governance multisig.
pub const DEFAULT_ADMIN_ROLE: B256 = B256::ZERO;
/// May cancel a scheduled (delayed) operation before it is executed.
pub const GUARDIAN_ROLE: B256 = role(b"GUARDIAN_ROLE");
/// May pause a contract (token transfers, staking, requests). Kept apart from resuming.
pub const PAUSE_ROLE: B256 = role(b"PAUSE_ROLE");
/// May resume a paused contract. Kept apart from pausing.
pub const RESUME_ROLE: B256 = role(b"RESUME_ROLE");
/// May pause / resume staking (deposits) and set the stake limit on the pool.
pub const STAKING_CONTROL_ROLE: B256 = role(b"STAKING_CONTROL_ROLE");
/// May set the withdrawal queue's request bounds, minimum finalization delay and NFT base URI.
pub const WITHDRAWAL_CONFIG_ROLE: B256 = role(b"WITHDRAWAL_CONFIG_ROLE");
/// Sends buffered ether to validators (`StakingPool.depositBufferedEther`): the depositor bot.
pub const DEPOSIT_ROLE: B256 = role(b"DEPOSIT_ROLE");
/// Adds node operators, activates / deactivates and renames them, changes reward addresses.
pub const OPERATOR_MANAGER_ROLE: B256 = role(b"OPERATOR_MANAGER_ROLE");
/// Sets node operators' vetted and target limits (after checking their keys).
pub const OPERATOR_LIMITS_ROLE: B256 = role(b"OPERATOR_LIMITS_ROLE");
/// Manages the deposit guardians and their quorum; resumes guardian-paused deposits.
pub const DEPOSIT_SECURITY_ROLE: B256 = role(b"DEPOSIT_SECURITY_ROLE");
/// Writes node operators' exited-validator counts (the report processor).
pub const EXITED_REPORTER_ROLE: B256 = role(b"EXITED_REPORTER_ROLE");
/// Adds and removes accounting-oracle committee members and sets the oracle's quorum.
pub const MANAGE_MEMBERS_AND_QUORUM_ROLE: B256 = role(b"MANAGE_MEMBERS_AND_QUORUM_ROLE");
/// Disables the accounting oracle's consensus (sets an unreachable quorum).
pub const DISABLE_CONSENSUS_ROLE: B256 = role(b"DISABLE_CONSENSUS_ROLE");
/// Changes the accounting oracle's frame length and fast-lane length.
pub const MANAGE_FRAME_CONFIG_ROLE: B256 = role(b"MANAGE_FRAME_CONFIG_ROLE");
/// Changes the consensus version the accounting oracle's members must vote under.
pub const MANAGE_CONSENSUS_VERSION_ROLE: B256 = role(b"MANAGE_CONSENSUS_VERSION_ROLE");
/// Submits oracle report data without being a committee member (accounting oracle).
pub const SUBMIT_DATA_ROLE: B256 = role(b"SUBMIT_DATA_ROLE");
/// Sets the oracle's sanity limits (accounting oracle).
pub const SANITY_LIMITS_ROLE: B256 = role(b"SANITY_LIMITS_ROLE");
/// Sets the protocol fee and its treasury (the pool's extension).
pub const PROTOCOL_FEE_ROLE: B256 = role(b"PROTOCOL_FEE_ROLE");
/// Replaces a core program's extension program (`upgradeExtension`, behind the
/// AccessManager's delay; see `crate::upgrade` for what this power means).
pub const UPGRADE_ROLE: B256 = role(b"UPGRADE_ROLE");

/// Forces a node operator's validators out through the L1 vault at any time (the registry's
/// `forceExits`; anyone may once the operator is past its force deadline).
pub const FORCED_EXIT_ROLE: B256 = role(b"FORCED_EXIT_ROLE");

/// Every role of the suite, for tests and tools that walk them all (a stranger holds none).
pub const ALL: [B256; 20] = [
    DEFAULT_ADMIN_ROLE,
    GUARDIAN_ROLE,
    PAUSE_ROLE,
    RESUME_ROLE,
    STAKING_CONTROL_ROLE,
    WITHDRAWAL_CONFIG_ROLE,
    DEPOSIT_ROLE,
    OPERATOR_MANAGER_ROLE,
    OPERATOR_LIMITS_ROLE,
    DEPOSIT_SECURITY_ROLE,
    EXITED_REPORTER_ROLE,
    MANAGE_MEMBERS_AND_QUORUM_ROLE,
    DISABLE_CONSENSUS_ROLE,
    MANAGE_FRAME_CONFIG_ROLE,
    MANAGE_CONSENSUS_VERSION_ROLE,
    SUBMIT_DATA_ROLE,
    SANITY_LIMITS_ROLE,
    PROTOCOL_FEE_ROLE,
    UPGRADE_ROLE,
    FORCED_EXIT_ROLE,
];

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::keccak256;

    #[test]
    fn role_ids_are_keccak_of_their_names() {
        assert_eq!(GUARDIAN_ROLE, keccak256("GUARDIAN_ROLE"));
        assert_eq!(PAUSE_ROLE, keccak256("PAUSE_ROLE"));
        assert_eq!(RESUME_ROLE, keccak256("RESUME_ROLE"));
        assert_eq!(STAKING_CONTROL_ROLE, keccak256("STAKING_CONTROL_ROLE"));
        assert_eq!(WITHDRAWAL_CONFIG_ROLE, keccak256("WITHDRAWAL_CONFIG_ROLE"));
        assert_eq!(DEFAULT_ADMIN_ROLE, B256::ZERO);
        assert_eq!(MANAGE_MEMBERS_AND_QUORUM_ROLE, keccak256("MANAGE_MEMBERS_AND_QUORUM_ROLE"));
        assert_eq!(DISABLE_CONSENSUS_ROLE, keccak256("DISABLE_CONSENSUS_ROLE"));
        assert_eq!(MANAGE_FRAME_CONFIG_ROLE, keccak256("MANAGE_FRAME_CONFIG_ROLE"));
        assert_eq!(MANAGE_CONSENSUS_VERSION_ROLE, keccak256("MANAGE_CONSENSUS_VERSION_ROLE"));
        assert_eq!(UPGRADE_ROLE, keccak256("UPGRADE_ROLE"));
    }

    #[test]
    fn role_ids_are_distinct() {
        let all = ALL;
        for (i, a) in all.iter().enumerate() {
            for b in &all[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
