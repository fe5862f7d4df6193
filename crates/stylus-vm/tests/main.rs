//! The VM's integration tests, one module per file of this directory, in one test binary: each
//! test binary links wasmtime and cranelift, so one binary links them once (README, "Test
//! binaries"). A file's tests run alone with its module path as the filter:
//! `cargo test -p stylus-vm --test vm gas::`.

mod common;

mod activation;
mod arbos;
mod calls;
mod evm;
mod evm_review;
mod gas;
mod precompiles;
mod storage;
mod validation;
