//! `lsctl`: the software the protocol's people run, over JSON-RPC with alloy's client.
//!
//! - `lsctl deploy` ([`deploy`]) deploys the whole suite: the L2 programs, the L1 vault and
//!   the governance Safe. It hands every role to the governance and writes a manifest per
//!   network ([`manifest`]). A rerun resumes and never sends a step twice ([`chain`]).
//! - `lsctl gov` ([`governance`]) and `lsctl safe exec` ([`safe`]) are governance, through Safe
//!   batches or direct sends.
//! - `lsctl operator commit-keys` ([`operator`]) commits deposit CLI files, checked key by key.
//! - `lsctl keeper execute-sends` ([`keeper`]) executes confirmed L2-to-L1 sends on the Outbox;
//!   `keeper bridge` and `keeper redeem` bring the vault's ether back to the pool.
//! - `lsctl committee run` ([`committee`]) is an oracle member's daemon, reading a beacon API
//!   ([`beacon`]) and both chains at each reference slot ([`protocol`]).
//! - `lsctl keys-service` ([`keys`]) serves committed keys and their proofs; `lsctl depositor`
//!   ([`depositor`]) deposits on both layers; `lsctl guardian attest` ([`guardian`]) checks for
//!   front-running and signs.
//! - `lsctl user` and `lsctl status`: a staker's calls and the protocol's figures.

pub mod abi;
pub mod beacon;
pub mod chain;
pub mod committee;
pub mod deploy;
pub mod depositor;
pub mod exits;
pub mod governance;
pub mod guardian;
pub mod keeper;
pub mod keys;
pub mod manifest;
pub mod operator;
pub mod protocol;
pub mod revert;
pub mod safe;

/// What stops a command, each with what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// A flag, a key or a file given is wrong.
    #[error("{0}")]
    Usage(String),
    /// An input file fails a check (a deposit data key, a batch).
    #[error("{0}")]
    Check(String),
    /// The endpoint does not answer, or is another chain than expected.
    #[error("{0}")]
    Endpoint(String),
    /// The node refused a transaction (nonce, funds, fee).
    #[error("{0}")]
    Refused(String),
    /// A transaction or its estimate reverted.
    #[error("{0}")]
    Reverted(String),
    /// The manifest is unreadable, of another deployment, or inconsistent.
    #[error("{0}")]
    Manifest(String),
}
