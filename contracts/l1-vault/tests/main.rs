//! The L1 vault's tests, one module per file of this directory, in one test binary (each test
//! binary links the in-process L2 VM). They run `artifacts/evm/StakingVault.json`
//! (`scripts/evm-build`) on the worlds of `crates/worlds`: L1 with Arbitrum's real Bridge,
//! Inbox and Outbox and the beacon deposit contract, L2 (the pool and governance stand in as
//! L2 accounts calling `ArbSys.sendTxToL1`), and the relay with the real delays. A file's tests
//! run alone with its module path: `cargo test -p l1-vault --test main deposits::`.

mod batches;
mod bridge_back;
mod common;
mod deposits;
mod exits;
mod gas;
mod governance;
