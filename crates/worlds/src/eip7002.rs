//! EIP-7002, execution-layer triggerable withdrawals, in the L1 world: the real predeploy and
//! the block-end system call that takes its queued requests out.
//!
//! The predeploy's runtime code is the one alloy ships (`alloy_eips::eip7002`, the bytecode the
//! EIP specifies), placed at its mainnet address as a genesis allocation by [`L1::new`]. What it
//! does is therefore the EIP's, not ours:
//!
//! - a call with empty calldata and no value returns the current fee (32 bytes);
//! - a call with exactly 56 bytes, `pubkey (48) ‖ amount (8, big-endian gwei; 0 = full exit)`,
//!   and at least the fee as value queues a request with the caller as its source (overpayment
//!   is kept, not refunded); anything else reverts;
//! - the fee is `fake_exponential(1, excess, 17)` wei, `excess` growing by the requests above
//!   the target of 2 per block.
//!
//! Block processing ([`L1::dequeue_withdrawal_requests`], called by whoever plays the block
//! builder: the beacon stand-in of the tests) is the system call the EIP specifies: a call from
//! [`SYSTEM_ADDRESS`] with empty calldata, no fee and no nonce, which returns up to 16 requests,
//! `source (20) ‖ pubkey (48) ‖ amount (8, little-endian)` each, and updates the excess. The
//! consensus layer then applies each one only if its source is the validator's 0x01/0x02
//! withdrawal-credentials address; that check is the consumer's (the beacon stand-in).

use alloy_primitives::{Address, Bytes, FixedBytes, TxKind, U256};
use revm::primitives::TxEnv;

pub use alloy_eips::eip7002::{
    SYSTEM_ADDRESS, WITHDRAWAL_REQUEST_PREDEPLOY_ADDRESS as PREDEPLOY,
    WITHDRAWAL_REQUEST_PREDEPLOY_CODE as PREDEPLOY_CODE,
};

use crate::l1::{L1Error, L1};

/// Bytes of one request in the system call's output.
pub const REQUEST_BYTES: usize = 20 + 48 + 8;

/// The gas the system call runs with (the EIP's `SYSTEM_CALL_GAS_LIMIT`-style 30 million).
pub const SYSTEM_CALL_GAS: u64 = 30_000_000;

/// One request the predeploy released at the end of a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithdrawalRequest {
    /// The account that paid for it (`msg.sender` of the request).
    pub source: Address,
    /// The validator's public key.
    pub pubkey: FixedBytes<48>,
    /// Gwei to withdraw; 0 is a full exit.
    pub amount_gwei: u64,
}

/// The calldata of a request: `pubkey ‖ amount` (big-endian), 56 bytes.
pub fn request_calldata(pubkey: &FixedBytes<48>, amount_gwei: u64) -> Bytes {
    let mut data = Vec::with_capacity(56);
    data.extend_from_slice(pubkey.as_slice());
    data.extend_from_slice(&amount_gwei.to_be_bytes());
    data.into()
}

impl L1 {
    /// Places the predeploy's code at its address (a genesis allocation; [`L1::new`] does).
    pub(crate) fn install_eip7002(&mut self) {
        self.set_account(PREDEPLOY, PREDEPLOY_CODE.clone(), &[]);
    }

    /// The fee a request would pay now, as the predeploy answers an empty call.
    ///
    /// # Errors
    ///
    /// [`L1Error::Invalid`] when revm refuses the call, or the predeploy does not answer 32
    /// bytes.
    pub fn withdrawal_request_fee(&mut self) -> Result<U256, L1Error> {
        let r = self.static_call(Address::repeat_byte(0x70), PREDEPLOY, Bytes::new())?;
        match <[u8; 32]>::try_from(r.output.as_ref()) {
            Ok(word) if r.success => Ok(U256::from_be_bytes(word)),
            _ => Err(L1Error::Invalid(format!("the EIP-7002 fee read failed: {:?}", r.status))),
        }
    }

    /// The end-of-block system call: takes up to 16 queued requests out of the predeploy (and
    /// moves its fee excess), as block processing does. No account pays and no nonce moves.
    ///
    /// # Errors
    ///
    /// [`L1Error::Invalid`] when the call fails or its output is not whole requests.
    pub fn dequeue_withdrawal_requests(&mut self) -> Result<Vec<WithdrawalRequest>, L1Error> {
        let output = self.system_call(PREDEPLOY, Bytes::new(), SYSTEM_CALL_GAS)?;
        if output.len() % REQUEST_BYTES != 0 {
            return Err(L1Error::Invalid(format!(
                "the EIP-7002 system call returned {} bytes",
                output.len()
            )));
        }
        Ok(output
            .chunks_exact(REQUEST_BYTES)
            .map(|r| {
                let (source, rest) = r.split_at(20);
                let (pubkey, amount) = rest.split_at(48);
                let amount: [u8; 8] = amount.try_into().expect("8 bytes");
                WithdrawalRequest {
                    source: Address::from_slice(source),
                    pubkey: FixedBytes::from_slice(pubkey),
                    amount_gwei: u64::from_le_bytes(amount),
                }
            })
            .collect())
    }

    /// A system call: from [`SYSTEM_ADDRESS`] to `to`, committed, with no gas price and with
    /// the system account left as it was (no balance, no nonce). Returns the output.
    fn system_call(&mut self, to: Address, data: Bytes, gas: u64) -> Result<Bytes, L1Error> {
        let saved_account = self.evm.db().accounts.get(&SYSTEM_ADDRESS).cloned();
        let saved_base_fee = self.base_fee();
        self.set_base_fee(U256::ZERO);
        *self.evm.tx_mut() = TxEnv {
            caller: SYSTEM_ADDRESS,
            gas_limit: gas,
            gas_price: U256::ZERO,
            gas_priority_fee: Some(U256::ZERO),
            transact_to: TxKind::Call(to),
            value: U256::ZERO,
            data,
            nonce: None,
            chain_id: Some(self.chain_id()),
            ..TxEnv::default()
        };
        let outcome = self.evm.transact_commit();
        self.set_base_fee(saved_base_fee);
        let db = self.evm.db_mut();
        match saved_account {
            Some(account) => {
                db.accounts.insert(SYSTEM_ADDRESS, account);
            }
            None => {
                db.accounts.remove(&SYSTEM_ADDRESS);
            }
        }
        match outcome? {
            revm::primitives::ExecutionResult::Success {
                output: revm::primitives::Output::Call(out),
                ..
            } => Ok(out),
            other => Err(L1Error::Invalid(format!("system call to {to} failed: {other:?}"))),
        }
    }
}
