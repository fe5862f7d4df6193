//! motsu stand-ins the contracts' unit tests share (native builds with the `mocks` feature
//! only; never in a wasm program).
//!
//! - [`AccessManagerMock`]: the AccessManager's `authorizeCall` over a flat role table. It
//!   refuses with [`MockUnauthorized`], records the last call it allowed and can make one call
//!   of its own before answering (`set_reentry`), to show a contract's reentrancy guard.
//! - [`ForwarderMock`]: calls a contract with raw calldata and the ether it was sent, so a
//!   test goes through the contract's ABI router.
#![allow(
    missing_docs,
    clippy::unused_self,
    clippy::needless_pass_by_value,
    reason = "contract methods, called through their ABI"
)]

use alloc::{vec, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolError};
use stylus_sdk::{
    abi::Bytes,
    prelude::*,
    storage::{StorageAddress, StorageB256, StorageBool, StorageBytes, StorageMap, StorageU256},
};

sol! {
    #[derive(Debug, PartialEq)]
    error MockUnauthorized(address account, bytes32 role);
}

/// Stand-in for the AccessManager (see the module doc).
#[storage]
pub struct AccessManagerMock {
    granted: StorageMap<B256, StorageMap<Address, StorageBool>>,
    calls: StorageU256,
    last_caller: StorageAddress,
    last_role: StorageB256,
    last_data: StorageBytes,
    reenter_target: StorageAddress,
    reenter_data: StorageBytes,
    reentry_ok: StorageBool,
    reentry_answer: StorageBytes,
}

// SAFETY: a top-level contract in motsu's test VM.
unsafe impl TopLevelStorage for AccessManagerMock {}

#[public]
impl AccessManagerMock {
    pub fn grant(&mut self, role: B256, account: Address) {
        self.granted.setter(role).setter(account).set(true);
    }

    pub fn revoke(&mut self, role: B256, account: Address) {
        self.granted.setter(role).setter(account).set(false);
    }

    pub fn set_reentry(&mut self, target: Address, data: Bytes) {
        self.reenter_target.set(target);
        self.reenter_data.set_bytes(data.0);
    }

    pub fn authorize_call(
        &mut self,
        caller: Address,
        role: B256,
        data: Bytes,
    ) -> Result<(), Vec<u8>> {
        let target = self.reenter_target.get();
        if !target.is_zero() {
            self.reenter_target.set(Address::ZERO);
            let call = self.reenter_data.get_bytes();
            let answer = crate::host::call(target, &call);
            self.reentry_ok.set(answer.is_ok());
            self.reentry_answer.set_bytes(answer.unwrap_or_else(|e| e));
        }
        if !self.granted.getter(role).get(caller) {
            return Err(MockUnauthorized { account: caller, role }.abi_encode());
        }
        self.calls.set(self.calls.get() + U256::from(1));
        self.last_caller.set(caller);
        self.last_role.set(role);
        self.last_data.set_bytes(data.0);
        Ok(())
    }

    pub fn calls(&self) -> U256 {
        self.calls.get()
    }

    pub fn last_call(&self) -> (Address, B256, Bytes) {
        (self.last_caller.get(), self.last_role.get(), Bytes(self.last_data.get_bytes()))
    }

    pub fn reentry(&self) -> (bool, Bytes) {
        (self.reentry_ok.get(), Bytes(self.reentry_answer.get_bytes()))
    }
}

/// Calls a contract with raw calldata (and ether), through its ABI router.
#[storage]
pub struct ForwarderMock;

// SAFETY: a top-level contract in motsu's test VM.
unsafe impl TopLevelStorage for ForwarderMock {}

#[public]
impl ForwarderMock {
    #[payable]
    pub fn forward(&mut self, target: Address, data: Bytes) -> Result<Bytes, Vec<u8>> {
        forward(target, &data)
    }
}

/// `call` sent to `target` through `forwarder` with `value` (funded from a fixed payer), so it
/// goes through `target`'s ABI router: the answer decoded, or the revert data.
///
/// # Panics
///
/// When a successful answer does not decode as `C`'s return.
pub fn forward_call<C: alloy_sol_types::SolCall>(
    forwarder: &motsu::prelude::Contract<ForwarderMock>,
    target: Address,
    value: U256,
    call: &C,
) -> Result<C::Return, Vec<u8>> {
    use motsu::prelude::{Funding as _, ResultExt as _};
    let payer = Address::repeat_byte(0x11);
    payer.fund(value);
    forwarder
        .sender_and_value(payer, value)
        .forward(target, Bytes(call.abi_encode()))
        .motsu_res()
        .map(|answer| C::abi_decode_returns(&answer.0, true).expect("decodes"))
}

/// `target.call{value: msg.value}(data)` from the running mock.
///
/// # Errors
/// The callee's revert data.
pub fn forward(target: Address, data: &[u8]) -> Result<Bytes, Vec<u8>> {
    let value = crate::host::value();
    // SAFETY: no storage reference is held across the call.
    unsafe { stylus_sdk::call::RawCall::new_with_value(value).call(target, data) }.map(Bytes)
}
