//! Buffered ether to validators: the pool's side of a validator deposit.
//!
//! ```text
//! depositor bot --depositBufferedEther(count, data)--> pool            (DEPOSIT_ROLE)
//!   pool --unfinalizedStETH()--> withdrawal queue                      (ether the queue will need)
//!   pool --depositKeys(count, data)--> registry                        (guardians, keys, roots)
//!        <-- (deposit target, count deposit calls)
//!   pool --deposit(pubkey, credentials, signature, root) + 32 ether--> deposit target  (x count)
//! ```
//!
//! The pool only moves the accounting: `count x 32 ether` leaves the buffer and
//! `deposited_validators` grows by `count`, so total pooled ether (buffered, plus
//! deposited-not-seen, plus the consensus-layer balance) does not change and neither does the
//! share rate. Ether that unfinalized withdrawal requests will need stays in the buffer.
//! Everything a deposit must prove (a quorum of guardian signatures over the deposit target's
//! root and the registry's key nonce, each key's commitment proof, the deposit data roots) is
//! checked by the NodeOperatorRegistry, which answers with the deposit calls to make (the
//! pool's wasm is close to the Stylus size limit, which is why that logic lives in the
//! registry). The pool makes them itself, so the ether goes straight from the buffer to the
//! deposit target: passing it through the registry would cost 9,000 gas more. If anything
//! fails, the revert data reaches the caller unchanged and nothing moves.

use alloc::vec::Vec;
use alloy_primitives::{Address, U256};
use alloy_sol_types::SolCall;
use staking_common::{calldata::Args, guard::Lock, host, roles::DEPOSIT_ROLE};
use staking_math::to_u128;

use crate::{
    errors::{
        Error, MathOverflow, NotEnoughDepositableEther, ProtocolContractsNotSet, ReentrantCall,
        TokenIsPaused,
    },
    events::emit,
    i_node_operator_registry, i_withdrawal_queue,
    interface::calls,
    storage::{Beacon, Totals, DEPOSIT_SIZE, FLAG_TOKEN_PAUSED},
    StakingPool, GUARD_SLOT,
};

/// Bytes of one ABI-encoded `deposit(pubkey, withdrawal_credentials, signature, root)` call.
const DEPOSIT_CALL: u128 = 420;

impl StakingPool {
    /// Sends `count x 32 ether` of buffered ether to validators: the node operator registry
    /// checks the guardians' attestation and the keys in `data` (its packed deposit data) and
    /// returns the deposit calls, which the pool makes with 32 ether each. Ether that unfinalized withdrawal requests need is
    /// never deposited. Total pooled ether and the share rate do not change.
    ///
    /// # Errors
    /// `AccessDenied`, `ProtocolContractsNotSet`, `TokenIsPaused` (the emergency pause stops
    /// validator deposits too), `NotEnoughDepositableEther` (`count` is zero or needs more than
    /// buffered minus unfinalized withdrawals), the registry's and the deposit target's errors
    /// unchanged, `ReentrantCall`.
    /// # Events
    /// `Unbuffered(amount, depositedValidators)`; the registry's and the deposit target's.
    /// # Access
    /// `DEPOSIT_ROLE` (the depositor bot); a quorum of guardians signs `data`.
    pub fn deposit_buffered_ether(&mut self, count: U256, data: &[u8]) -> Result<(), Error> {
        self.authorize(DEPOSIT_ROLE, &calls::depositBufferedEther(count, data))?;
        let (queue, registry) = (self.withdrawal_queue.get(), self.registry.get());
        if queue.is_zero() || registry.is_zero() {
            return Err(Error::ProtocolContractsNotSet(ProtocolContractsNotSet {}));
        }
        let _lock =
            Lock::acquire(GUARD_SLOT).map_err(|_| Error::ReentrantCall(ReentrantCall {}))?;
        let unfinalized = i_withdrawal_queue::abi::IWithdrawalQueue::unfinalizedStETHCall::SELECTOR;
        let reserved = host::static_call(queue, &unfinalized).map_err(Error::Callee)?;
        let reserved = match reserved.first_chunk::<32>() {
            Some(word) => to_u128(U256::from_be_bytes(*word)).unwrap_or(u128::MAX),
            None => u128::MAX,
        };

        let mut totals = Totals::unpack(self.totals.get());
        let mut beacon = Beacon::unpack(self.beacon.get());
        if beacon.has(FLAG_TOKEN_PAUSED) {
            return Err(Error::TokenIsPaused(TokenIsPaused {}));
        }
        let buffered = totals.buffered_ether;
        let depositable = buffered.saturating_sub(reserved);
        let n = u64::try_from(count).unwrap_or(u64::MAX);
        let amount = match u128::from(n).checked_mul(DEPOSIT_SIZE) {
            Some(a) if n > 0 && a <= depositable => a,
            _ => {
                return Err(Error::NotEnoughDepositableEther(NotEnoughDepositableEther {
                    // A count of 2^64 or more shows as 2^64 - 1 deposits.
                    requested: U256::from(n) * U256::from(DEPOSIT_SIZE),
                    depositable: U256::from(depositable),
                }));
            }
        };
        totals.buffered_ether = buffered - amount;
        beacon.deposited_validators = beacon
            .deposited_validators
            .checked_add(n)
            .ok_or(Error::MathOverflow(MathOverflow {}))?;
        self.totals.set(totals.pack());
        self.beacon.set(beacon.pack());
        let amount = U256::from(amount);
        emit::Unbuffered(amount, U256::from(beacon.deposited_validators));

        let call = i_node_operator_registry::calls::depositKeys(count, data);
        let answer = host::call(registry, &call).map_err(Error::Callee)?;
        let answer = Args(&answer);
        let (Some(target), Some(calls)) = (answer.address(0), answer.bytes(1)) else {
            return Err(Error::Callee(Vec::new()));
        };
        if calls.len() as u128 != u128::from(n) * DEPOSIT_CALL {
            return Err(Error::Callee(Vec::new()));
        }
        for call in calls.chunks_exact(DEPOSIT_CALL as usize) {
            // The pool's writes were flushed before the registry's call, none is pending, and
            // the SDK refuses re-entry into the pool: the storage cache can stay as it is.
            host::call_value_keep_cache(target, U256::from(DEPOSIT_SIZE), call)
                .map_err(Error::Callee)?;
        }
        Ok(())
    }

    /// See `setProtocolContracts` in lib.rs.
    pub(crate) fn write_protocol_contracts(&mut self, queue: Address, registry: Address) {
        self.withdrawal_queue.set(queue);
        self.registry.set(registry);
        emit::ProtocolContractsSet(queue, registry);
    }
}
