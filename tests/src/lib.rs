//! Shared harness for the cross-contract and end-to-end tests.
