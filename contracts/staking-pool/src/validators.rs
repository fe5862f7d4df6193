//! Buffered ether to validators: the pool's side of a validator deposit. The validators live on
//! Ethereum, so the ether leaves through Arbitrum's bridge to the protocol's L1 vault
//! (`contracts/l1-vault`, docs/design/l1-leg.md), one batch per transaction.
//!
//! ```text
//! depositor bot --depositBufferedEther(count, data)--> pool            (DEPOSIT_ROLE)
//!   pool --unfinalizedStETH()--> withdrawal queue                      (ether the queue will need)
//!   pool --depositKeys(count, data)--> registry                        (keys, proofs, roots)
//!        <-- (withdrawal credentials, commitment = keccak256(root_0 ‖ … ‖ root_{n-1}))
//!   pool --sendTxToL1{value: count x 32 ether}(vault, receiveBatch(commitment, count))--> ArbSys
//!        <-- the message's position                                    (BatchSent)
//! ```
//!
//! After the challenge period any keeper executes the message through the Outbox; the vault
//! accepts it only from the pool, keeps the ether and the commitment, and deposits the keys to
//! the beacon deposit contract against a fresh guardian quorum (the front-running check, at
//! the moment of the deposit).
//!
//! The pool only moves the accounting: `count x 32 ether` leaves the buffer and
//! `deposited_validators` grows by `count` (ether sent to L1 counts as deposited, not yet seen,
//! from the moment it leaves), so total pooled ether and the share rate do not change. Ether
//! that unfinalized withdrawal requests will need stays in the buffer. What a deposit must
//! prove (each key's commitment proof, the deposit data roots with the vault's credentials) is
//! checked by the NodeOperatorRegistry, which answers with the credentials and the commitment
//! (the pool's wasm is close to the Stylus size limit, which is why that logic lives in the
//! registry). The pool checks that the credentials name its vault (the roots the vault will
//! recompute cover them), and sends the ether itself: passing it through the registry would
//! cost 9,000 gas more. If anything fails, the revert data reaches the caller unchanged and
//! nothing moves.

use alloc::vec::Vec;
use alloy_primitives::{address, Address, B256, U256};
use alloy_sol_types::{sol, SolCall};
use staking_common::{abi::Word, calldata::Args, guard::Lock, host, roles::DEPOSIT_ROLE};
use staking_math::to_u128;

use crate::{
    errors::{
        Error, L1VaultNotSet, MathOverflow, NotEnoughDepositableEther, ProtocolContractsNotSet,
        ReentrantCall, TokenIsPaused, WithdrawalCredentialsMismatch,
    },
    events::emit,
    i_node_operator_registry, i_withdrawal_queue,
    interface::calls,
    storage::{Beacon, L1Vault, Totals, DEPOSIT_SIZE, FLAG_TOKEN_PAUSED},
    StakingPool, GUARD_SLOT,
};

/// ArbSys, Arbitrum's system precompile.
pub(crate) const ARB_SYS: Address = address!("0000000000000000000000000000000000000064");

sol! {
    /// ArbSys: an L2-to-L1 message carrying `msg.value`; returns its position.
    function sendTxToL1(address destination, bytes data) payable returns (uint256);
    /// The L1 vault's batch entry (`contracts/l1-vault/src/StakingVault.sol`).
    function receiveBatch(bytes32 commitment, uint256 keys) payable;
}

/// `sendTxToL1(vault, receiveBatch(commitment, keys))` calldata (196 bytes): the selector,
/// the destination, the offset (64) and length (68) of `data`, then its 68 bytes padded to 96.
/// Appended, not indexed: no panicking path (a panic location is data every call pays for).
fn batch_message(vault: Address, commitment: B256, keys: U256) -> Vec<u8> {
    let mut m = Vec::with_capacity(196);
    m.extend_from_slice(&sendTxToL1Call::SELECTOR);
    for word in [vault.word(), U256::from(64).word(), U256::from(68).word()] {
        m.extend_from_slice(word.as_slice());
    }
    m.extend_from_slice(&receiveBatchCall::SELECTOR);
    m.extend_from_slice(commitment.as_slice());
    m.extend_from_slice(keys.word().as_slice());
    m.resize(196, 0);
    m
}

impl StakingPool {
    /// Sends `count x 32 ether` of buffered ether to the L1 vault, as one batch of `count`
    /// validators: the node operator registry checks the keys in `data` (its packed keys and
    /// proofs) and returns the withdrawal credentials and the commitment to the keys' deposit
    /// data; the pool checks the credentials name its vault and sends the ether with
    /// `receiveBatch(commitment, count)` through ArbSys. Ether that unfinalized withdrawal
    /// requests need is never deposited. Total pooled ether and the share rate do not change.
    ///
    /// # Errors
    /// `AccessDenied`, `ProtocolContractsNotSet`, `L1VaultNotSet`, `TokenIsPaused` (the
    /// emergency pause stops validator deposits too), `NotEnoughDepositableEther` (`count` is
    /// zero or needs more than buffered minus unfinalized withdrawals), the registry's errors
    /// unchanged (`TooManyKeys` above 100 keys, `DepositsArePaused`, `InvalidKeyProof`, ...),
    /// `WithdrawalCredentialsMismatch(credentials, vault)`, ArbSys's errors unchanged,
    /// `ReentrantCall`.
    /// # Events
    /// `Unbuffered(amount, depositedValidators)`, `BatchSent(position, commitment, count,
    /// amount)`; the registry's (`KeysDeposited`, `NonceChanged`) and ArbSys's (`L2ToL1Tx`).
    /// # Access
    /// `DEPOSIT_ROLE` (the depositor bot).
    pub fn deposit_buffered_ether(&mut self, count: U256, data: &[u8]) -> Result<(), Error> {
        self.authorize(DEPOSIT_ROLE, &calls::depositBufferedEther(count, data))?;
        let (queue, registry) = (self.withdrawal_queue.get(), self.registry.get());
        if queue.is_zero() || registry.is_zero() {
            return Err(Error::ProtocolContractsNotSet(ProtocolContractsNotSet {}));
        }
        let vault = L1Vault::unpack(self.l1_vault.get()).vault;
        if vault.is_zero() {
            return Err(Error::L1VaultNotSet(L1VaultNotSet {}));
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
        let (Some(credentials), Some(commitment)) = (answer.b256(0), answer.b256(1)) else {
            return Err(Error::Callee(Vec::new()));
        };
        // The registry's constructor checked the prefix (0x01 / 0x02, 11 zero bytes); the
        // address must be this pool's vault.
        if Address::from_word(credentials) != vault {
            return Err(Error::WithdrawalCredentialsMismatch(WithdrawalCredentialsMismatch {
                credentials,
                vault,
            }));
        }
        // The pool's writes were flushed before the registry's call, none is pending, and the
        // SDK refuses re-entry into the pool: the storage cache can stay as it is.
        let position =
            host::call_value_keep_cache(ARB_SYS, amount, &batch_message(vault, commitment, count))
                .map_err(Error::Callee)?;
        let position = Args(&position).u256(0).unwrap_or_default();
        emit::BatchSent(position, commitment, count, amount);
        Ok(())
    }

    /// See `setProtocolContracts` in lib.rs.
    pub(crate) fn write_protocol_contracts(&mut self, queue: Address, registry: Address) {
        self.withdrawal_queue.set(queue);
        self.registry.set(registry);
        emit::ProtocolContractsSet(queue, registry);
    }
}

#[cfg(test)]
mod tests {
    use alloy_primitives::Bytes;

    use super::*;

    #[test]
    fn the_batch_message_is_alloys_encoding_of_send_tx_to_l1_with_receive_batch() {
        let (vault, commitment) = (Address::repeat_byte(0xab), B256::repeat_byte(0xcd));
        for keys in [U256::from(1), U256::from(100), U256::MAX] {
            let data = receiveBatchCall { commitment, keys }.abi_encode();
            assert_eq!(data.len(), 68);
            let expected =
                sendTxToL1Call { destination: vault, data: Bytes::from(data) }.abi_encode();
            assert_eq!(batch_message(vault, commitment, keys), expected, "{keys}");
        }
        assert_eq!(sendTxToL1Call::SELECTOR, [0x92, 0x8c, 0x16, 0x9a]);
    }
}
