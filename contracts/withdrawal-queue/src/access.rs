//! How the queue asks the AccessManager on privileged paths (as every contract does): each
//! privileged entry point passes its own calldata (`crate::interface::calls`, generated from
//! the interface file: the bytes the manager hashes for a delayed operation) to
//! `staking_common::interface::authorize`, under the transient reentrancy guard. `finalize`
//! and `setBunkerMode` never ask the manager: only the pool may call them, while it applies a
//! report ([`WithdrawalQueue::only_pool`]).

use alloc::vec::Vec;

use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use staking_common::{
    abi::{
        encode_error as encode_words_call, encode_error_with_bytes as encode_call_with_bytes, Word,
    },
    guard::Lock,
    host,
};

use crate::{
    errors::{Error, NotInitialized, NotPool, ReentrantCall},
    storage::Config,
    WithdrawalQueue, GUARD_SLOT,
};

// The pool's interface file: `transferFromWithShares`, which moves a request's tokens.
staking_interface::client!(IStakingPool, "../staking-pool/abi/IStakingPool.sol");

// ERC-721's receiver hook: an interface of the recipient, not of any contract here.
sol! {
    function onERC721Received(address operator, address from, uint256 tokenId, bytes data) returns (bytes4);
}

/// `transferFromWithShares(from, to, amount)` calldata.
pub(crate) fn pull_data(from: Address, to: Address, amount: U256) -> Vec<u8> {
    i_staking_pool::calls::transferFromWithShares(from, to, amount)
}

/// `onERC721Received(operator, from, tokenId, data)` calldata, and the answer that accepts.
pub(crate) fn received_data(operator: Address, from: Address, id: U256, data: &[u8]) -> Vec<u8> {
    encode_call_with_bytes(
        onERC721ReceivedCall::SELECTOR,
        &[operator.word(), from.word(), id.word()],
        data,
    )
}
pub(crate) const RECEIVED: [u8; 4] = onERC721ReceivedCall::SELECTOR;

// What Lido's request variants (`crate::lido_requests`) call: the pool's `wrappedToken`, the
// ERC-2612 `permit` of the pool and of the wrapped token, and the wrapped token's `transferFrom`
// and `unwrap` (`contracts/wrapped-token/abi/IWrappedToken.sol`). Declared here, encoded with
// the selector alone where they take no argument (a generated encoder costs the extension
// program bytes it does not have); the tests check every selector against both files.
sol! {
    function wrappedToken() returns (address);
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s);
    function transferFrom(address from, address to, uint256 amount) returns (bool);
    function unwrap(uint256 wstETHAmount) returns (uint256);
}

/// The pool's `wrappedToken()` calldata.
pub(crate) fn wrapped_token_data() -> Vec<u8> {
    wrappedTokenCall::SELECTOR.to_vec()
}

/// `permit(owner, spender, value, deadline, v, r, s)` calldata, the last five words as sent
/// (`words`, 160 bytes).
pub(crate) fn permit_data(owner: Address, spender: Address, words: &[u8]) -> Vec<u8> {
    let mut data = encode_words_call(permitCall::SELECTOR, &[owner.word(), spender.word()]);
    data.extend_from_slice(words);
    data
}

/// The wrapped token's `transferFrom(from, to, amount)` calldata.
pub(crate) fn wrapped_pull_data(from: Address, to: Address, amount: U256) -> Vec<u8> {
    encode_words_call(transferFromCall::SELECTOR, &[from.word(), to.word(), amount.word()])
}

/// The wrapped token's `unwrap(amount)` calldata.
pub(crate) fn unwrap_data(amount: U256) -> Vec<u8> {
    encode_words_call(unwrapCall::SELECTOR, &[amount.word()])
}

pub(crate) use staking_common::host::call;

impl WithdrawalQueue {
    /// Asks the AccessManager whether the caller may make this call (`data` = the call's own
    /// calldata); returns the caller.
    pub(crate) fn authorize(&mut self, role: B256, data: &[u8]) -> Result<Address, Error> {
        staking_common::interface::authorize(self.access_manager.get(), GUARD_SLOT, role, data)
    }

    /// Only the pool may call: anyone else, every role holder included, gets
    /// `NotPool(caller)` (`NotInitialized` while no pool is set).
    pub(crate) fn only_pool(&self) -> Result<(), Error> {
        let caller = host::sender();
        let pool = Config::unpack(self.config.get()).pool;
        if pool.is_zero() {
            return Err(Error::NotInitialized(NotInitialized {}));
        }
        if caller != pool {
            return Err(Error::NotPool(NotPool { caller }));
        }
        Ok(())
    }
}

/// Takes the queue's reentrancy guard.
pub(crate) fn guard() -> Result<Lock, Error> {
    Lock::acquire(GUARD_SLOT).map_err(|_| Error::ReentrantCall(ReentrantCall {}))
}
