//! Shared harness for the end-to-end tests, the gas report and the demo: the release wasm of
//! every contract deployed on the in-process Stylus VM ([`stylus_vm`]) and called through its
//! Solidity ABI ([`abi`]).
//!
//! The wasm comes from `artifacts/wasm/` (written by `scripts/build`; `scripts/test` builds it
//! first). A missing file is an error telling how to build it, never a skipped test.

pub mod abi;
pub mod bank_run;
pub mod defi;
pub mod deploy;
pub mod exit_gas;
pub mod exit_planner;
pub mod fuzz;
pub mod gas;
pub mod l1_gas;
pub mod lido;
pub mod oracle;
pub mod oracle_gas;
pub mod pool_permit;
pub mod two_worlds;
pub mod validator_gas;
pub mod validators;
pub mod wrapped;

pub use deploy::{ether, wasm_path, Suite, ADMIN, ALICE, BOB, CAROL, DAVE, GUARDIAN};
