//! The worlds' integration tests, one module per file of this directory, in one test binary
//! (each test binary links the in-process VM: one binary links it once). A file's tests run
//! alone with its module path as the filter: `cargo test -p worlds --test worlds relay::`.
//! The Solidity artifacts must exist (`scripts/evm-build`).

mod eip7002;
mod l1;
mod relay;
