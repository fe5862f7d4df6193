//! Arbitrum's bridge on L1, deployed as Arbitrum One has it, and the beacon deposit contract.
//!
//! [`L1Contracts::deploy`] puts on an [`L1`]:
//! - a `ProxyAdmin` (OpenZeppelin 4.7.3) owned by the admin, the admin of every proxy;
//! - Arbitrum's real `Bridge`, `Inbox` and `Outbox` (nitro-contracts 3.2.0), each as an
//!   implementation behind a `TransparentUpgradeableProxy`, initialized through the proxy (their
//!   `initialize` is `onlyDelegated`), in the order Arbitrum's `BridgeCreator` uses: the Bridge
//!   with the rollup, the Inbox with the Bridge, the Outbox with the Bridge (it reads the
//!   rollup from it);
//! - the `RollupStandIn` (evm/contracts) as the rollup, owned by the admin, pointed at the
//!   Outbox: it only posts send roots (the challenge period is the relay's to wait out);
//! - `bridge.setDelayedInbox(inbox, true)` and `bridge.setOutbox(outbox, true)`, sent by the
//!   admin as the rollup's owner;
//! - the beacon deposit contract at its mainnet address, as a genesis allocation
//!   ([`L1::genesis_deploy`]: its constructor runs in a transaction that is not committed, and
//!   the code and the storage it leaves, the 32 zero hashes, are written at
//!   [`DEPOSIT_CONTRACT_ADDRESS`]), as mainnet's genesis-era contract sits at a fixed address.
//!
//! No SequencerInbox: `Inbox.initialize` takes its address and only stores it; `depositEth`
//! and `createRetryableTicket` go from the Inbox straight to the Bridge's delayed accumulator
//! and never touch it. The real SequencerInbox posts batches (with blob and data-availability
//! machinery) and force-includes delayed messages; here the relay reads the delayed messages
//! from the Bridge's and Inbox's events ([`DelayedMessage`]) and delivers them to L2 itself, so
//! the Inbox is given the zero address as its sequencer inbox.

use alloy_primitives::{keccak256, Address, Bytes, Log, B256, U256};
use alloy_sol_types::{SolCall, SolEvent, SolValue};

use crate::abi::{IBridge, IDepositContract, IInbox, IOutbox, IRollupStandIn};
use crate::artifacts::{Artifact, ArtifactError};
use crate::l1::{L1Error, L1Receipt, L1Status, L1};

/// The beacon chain deposit contract's mainnet address.
pub const DEPOSIT_CONTRACT_ADDRESS: Address =
    alloy_primitives::address!("00000000219ab540356cBB839Cbe05303d7705Fa");

/// L1-to-L2 aliasing is ArbOS's own, from the L2 VM (one definition for both worlds).
pub use stylus_vm::arbos::aliasing::{apply_l1_to_l2_alias, undo_l1_to_l2_alias, ALIAS_OFFSET};

/// On L1, Arbitrum One's Inbox takes messages of at most 117,964 bytes (90% of Geth's 128 KiB
/// transaction limit, leaving room for the proof), the `maxDataSize` its constructor gets.
pub const MAX_DATA_SIZE: u64 = 117_964;

/// Delayed message kind: an L2 message (`L2_MSG`).
pub const KIND_L2_MESSAGE: u8 = 3;
/// Delayed message kind: an L1-funded L2 transaction.
pub const KIND_L2_FUNDED_BY_L1: u8 = 7;
/// Delayed message kind: a retryable ticket submission.
pub const KIND_SUBMIT_RETRYABLE: u8 = 9;
/// Delayed message kind: an ETH deposit.
pub const KIND_ETH_DEPOSIT: u8 = 12;

/// The root the Outbox computes from a proof (nitro's `MerkleLib.calculateRoot` over the leaf
/// `keccak256(item_hash)`): at level `i`, the node is hashed as the left child when bit `i` of
/// `index` is 0 and as the right child when it is 1.
pub fn outbox_root(proof: &[B256], index: u64, item_hash: B256) -> B256 {
    stylus_vm::arbos::send_merkle::calculate_root(proof, index, keccak256(item_hash))
}

/// An L2-to-L1 message as the Outbox executes it (the fields of `ArbSys`'s `L2ToL1Tx`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct L2ToL1Message {
    /// The L2 account that sent it (`msg.sender` of `sendTxToL1`).
    pub l2_sender: Address,
    /// The L1 destination.
    pub to: Address,
    /// The L2 block it was sent in.
    pub l2_block: U256,
    /// The L1 block number L2 saw at the time.
    pub l1_block: U256,
    /// The L2 timestamp.
    pub l2_timestamp: U256,
    /// The ether it carries, paid out of the Bridge.
    pub value: U256,
    /// The calldata for `to`.
    pub data: Bytes,
}

impl L2ToL1Message {
    /// The Outbox's `calculateItemHash`: `keccak256(abi.encodePacked(l2Sender, to, l2Block,
    /// l1Block, l2Timestamp, value, data))`.
    pub fn item_hash(&self) -> B256 {
        let mut packed = Vec::with_capacity(40 + 4 * 32 + self.data.len());
        packed.extend_from_slice(self.l2_sender.as_slice());
        packed.extend_from_slice(self.to.as_slice());
        for word in [self.l2_block, self.l1_block, self.l2_timestamp, self.value] {
            packed.extend_from_slice(&word.to_be_bytes::<32>());
        }
        packed.extend_from_slice(&self.data);
        keccak256(packed)
    }
}

/// The parameters of `Inbox.createRetryableTicket` (the ether sent with it is separate).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryableTicket {
    /// The L2 destination.
    pub to: Address,
    /// The ether the L2 call carries.
    pub l2_call_value: U256,
    /// The most the submission fee may take.
    pub max_submission_cost: U256,
    /// Receives the unused fees on L2 (aliased by the Inbox when it is an L1 contract).
    pub excess_fee_refund_address: Address,
    /// Receives `l2_call_value` if the ticket expires or is cancelled, and may cancel it
    /// (aliased by the Inbox when it is an L1 contract).
    pub call_value_refund_address: Address,
    /// The L2 gas limit of the auto-redeem.
    pub gas_limit: U256,
    /// The L2 gas price bid.
    pub max_fee_per_gas: U256,
    /// The L2 calldata.
    pub data: Bytes,
}

impl RetryableTicket {
    /// The least ether `createRetryableTicket` accepts:
    /// `max_submission_cost + l2_call_value + gas_limit * max_fee_per_gas`.
    pub fn required_value(&self) -> U256 {
        self.max_submission_cost + self.l2_call_value + self.gas_limit * self.max_fee_per_gas
    }

    /// The `Inbox.createRetryableTicket` call that submits it.
    pub fn call(&self) -> IInbox::createRetryableTicketCall {
        IInbox::createRetryableTicketCall {
            to: self.to,
            l2CallValue: self.l2_call_value,
            maxSubmissionCost: self.max_submission_cost,
            excessFeeRefundAddress: self.excess_fee_refund_address,
            callValueRefundAddress: self.call_value_refund_address,
            gasLimit: self.gas_limit,
            maxFeePerGas: self.max_fee_per_gas,
            data: self.data.clone(),
        }
    }
}

/// A submitted retryable ticket, decoded from a kind-9 message's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubmitRetryable {
    /// The L2 destination.
    pub to: Address,
    /// The ether the L2 call carries.
    pub l2_call_value: U256,
    /// All the ether deposited with the ticket (minted on L2 to the aliased sender).
    pub deposit: U256,
    /// The most the submission fee may take.
    pub max_submission_cost: U256,
    /// Receives the unused fees (already aliased if it was an L1 contract).
    pub excess_fee_refund_address: Address,
    /// Receives the call value on expiry or cancellation (already aliased if an L1 contract).
    pub call_value_refund_address: Address,
    /// The L2 gas limit of the auto-redeem.
    pub gas_limit: U256,
    /// The L2 gas price bid.
    pub max_fee_per_gas: U256,
    /// The L2 calldata.
    pub data: Bytes,
}

/// What a delayed message asks of L2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DelayedPayload {
    /// Kind 12: mint `amount` on L2 to `to` (the depositor, aliased when it is a contract or
    /// not the transaction's origin).
    EthDeposit {
        /// The L2 recipient.
        to: Address,
        /// The ether.
        amount: U256,
    },
    /// Kind 9: create a retryable ticket.
    SubmitRetryable(Box<SubmitRetryable>),
    /// Any other kind, left undecoded (see [`DelayedMessage::data`]).
    Other,
}

/// A message in the Bridge's delayed inbox, as a relay (or Arbitrum's node) reads it from the
/// Bridge's `MessageDelivered` and the Inbox's `InboxMessageDelivered` logs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DelayedMessage {
    /// Its position in the delayed inbox (from 0).
    pub index: u64,
    /// Its kind ([`KIND_ETH_DEPOSIT`], [`KIND_SUBMIT_RETRYABLE`]...).
    pub kind: u8,
    /// The sender as the Bridge recorded it: the L1 sender, aliased (the ETH Inbox aliases
    /// every sender, EOA or contract; ArbOS undoes it for the EOA cases it must).
    pub sender: Address,
    /// The inbox that delivered it.
    pub inbox: Address,
    /// The message data (the Inbox's event); its hash is checked against the Bridge's.
    pub data: Bytes,
    /// `keccak256(data)`, as the Bridge recorded it.
    pub data_hash: B256,
    /// The L1 base fee at delivery (the retryable submission fee is priced with it on L2).
    pub base_fee_l1: U256,
    /// The L1 block timestamp at delivery.
    pub timestamp: u64,
    /// The L1 block number at delivery.
    pub block_number: u64,
    /// The delayed inbox accumulator before this message.
    pub before_acc: B256,
    /// The ether the message brought into the Bridge (a deposit's amount, a ticket's
    /// deposit; zero otherwise).
    pub value: U256,
    /// The decoded data.
    pub payload: DelayedPayload,
}

impl DelayedMessage {
    /// nitro's `Messages.messageHash`: `keccak256(abi.encodePacked(kind, sender, blockNumber,
    /// timestamp, inboxSeqNum, baseFeeL1, messageDataHash))`.
    pub fn message_hash(&self) -> B256 {
        let mut packed = Vec::with_capacity(1 + 20 + 8 + 8 + 32 + 32 + 32);
        packed.push(self.kind);
        packed.extend_from_slice(self.sender.as_slice());
        packed.extend_from_slice(&self.block_number.to_be_bytes());
        packed.extend_from_slice(&self.timestamp.to_be_bytes());
        packed.extend_from_slice(&U256::from(self.index).to_be_bytes::<32>());
        packed.extend_from_slice(&self.base_fee_l1.to_be_bytes::<32>());
        packed.extend_from_slice(self.data_hash.as_slice());
        keccak256(packed)
    }

    /// The delayed inbox accumulator after this message (`Bridge.delayedInboxAccs(index)`):
    /// `keccak256(before_acc ‖ message_hash)`.
    pub fn accumulator(&self) -> B256 {
        keccak256([self.before_acc.0, self.message_hash().0].concat())
    }
}

/// Why a receipt's delayed messages could not be decoded.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// A `MessageDelivered` without the Inbox's `InboxMessageDelivered` for the same index.
    #[error("delayed message {0} has no InboxMessageDelivered data")]
    MissingData(u64),
    /// The Inbox's data does not hash to what the Bridge recorded.
    #[error("delayed message {0}: data hash mismatch")]
    HashMismatch(u64),
    /// A kind-9 or kind-12 message whose data is not laid out as nitro's Inbox writes it.
    #[error("delayed message {index} of kind {kind}: malformed data")]
    Malformed {
        /// The message's index.
        index: u64,
        /// Its kind.
        kind: u8,
    },
    /// A log that does not decode as the event its topic names.
    #[error("undecodable {0} log")]
    Log(&'static str),
}

/// Why the L1 contracts could not be deployed or driven.
#[derive(Debug, thiserror::Error)]
pub enum WorldError {
    /// An artifact is missing or broken (run `scripts/evm-build`).
    #[error(transparent)]
    Artifact(#[from] ArtifactError),
    /// A transaction was invalid.
    #[error(transparent)]
    L1(#[from] L1Error),
    /// A deployment step's transaction failed.
    #[error("L1 deployment step `{step}` failed: {status:?}, output {output}")]
    StepFailed {
        /// The step.
        step: &'static str,
        /// How it ended.
        status: L1Status,
        /// Its output (revert data).
        output: Bytes,
    },
}

/// The addresses of the L1 contracts of one world.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct L1Contracts {
    /// The admin: owns the ProxyAdmin and the rollup stand-in (and so, for the Bridge and
    /// Inbox, is "the rollup's owner").
    pub admin: Address,
    /// OpenZeppelin's ProxyAdmin, the admin of the three proxies.
    pub proxy_admin: Address,
    /// The Bridge (its proxy): the delayed inbox and the ETH escrow.
    pub bridge: Address,
    /// The Inbox (its proxy).
    pub inbox: Address,
    /// The Outbox (its proxy).
    pub outbox: Address,
    /// The Bridge's implementation.
    pub bridge_implementation: Address,
    /// The Inbox's implementation.
    pub inbox_implementation: Address,
    /// The Outbox's implementation.
    pub outbox_implementation: Address,
    /// The rollup stand-in.
    pub rollup: Address,
    /// The beacon deposit contract, at [`DEPOSIT_CONTRACT_ADDRESS`].
    pub deposit_contract: Address,
}

/// Ok when `receipt` succeeded, else the step's failure.
fn expect_success(step: &'static str, receipt: L1Receipt) -> Result<L1Receipt, WorldError> {
    if receipt.success {
        Ok(receipt)
    } else {
        Err(WorldError::StepFailed { step, status: receipt.status, output: receipt.output })
    }
}

impl L1Contracts {
    /// Deploys the bridge, the rollup stand-in and the deposit contract (see the module docs),
    /// every transaction sent by `admin`, who must hold enough ether for the gas (about
    /// 0.05 ether at the default fees; a fresh admin is funded with 10 ether when empty).
    ///
    /// # Errors
    ///
    /// [`WorldError::Artifact`] when `scripts/evm-build` has not run; otherwise a failed step.
    pub fn deploy(l1: &mut L1, admin: Address) -> Result<Self, WorldError> {
        if l1.balance(admin).is_zero() {
            l1.set_balance(admin, U256::from(10u128 * 10u128.pow(18)));
        }
        let create =
            |l1: &mut L1, step: &'static str, init: Bytes| -> Result<Address, WorldError> {
                let (receipt, created) = l1.create(admin, init, U256::ZERO)?;
                let receipt = expect_success(step, receipt)?;
                Ok(created.unwrap_or_else(|| {
                    unreachable!("{step}: a successful creation has an address ({receipt:?})")
                }))
            };
        let call = |l1: &mut L1, step: &'static str, to: Address, data: Vec<u8>| {
            l1.call(admin, to, U256::ZERO, data)
                .map_err(WorldError::from)
                .and_then(|r| expect_success(step, r))
        };

        let proxy_admin = create(l1, "ProxyAdmin", Artifact::load("ProxyAdmin")?.bytecode)?;
        let proxy_artifact = Artifact::load("TransparentUpgradeableProxy")?;
        let behind_proxy = |l1: &mut L1,
                            step: &'static str,
                            implementation: Address|
         -> Result<Address, WorldError> {
            let args = (implementation, proxy_admin, Bytes::new()).abi_encode_params();
            create(l1, step, proxy_artifact.init_code(&args))
        };

        let rollup_artifact = Artifact::load("RollupStandIn")?;
        let rollup = create(l1, "RollupStandIn", rollup_artifact.init_code(&admin.abi_encode()))?;

        let bridge_implementation = create(l1, "Bridge", Artifact::load("Bridge")?.bytecode)?;
        let bridge = behind_proxy(l1, "Bridge proxy", bridge_implementation)?;
        call(l1, "Bridge.initialize", bridge, IBridge::initializeCall { rollup }.abi_encode())?;

        let inbox_artifact = Artifact::load("Inbox")?;
        let inbox_implementation =
            create(l1, "Inbox", inbox_artifact.init_code(&U256::from(MAX_DATA_SIZE).abi_encode()))?;
        let inbox = behind_proxy(l1, "Inbox proxy", inbox_implementation)?;
        let init = IInbox::initializeCall { bridge, sequencerInbox: Address::ZERO };
        call(l1, "Inbox.initialize", inbox, init.abi_encode())?;

        let outbox_implementation = create(l1, "Outbox", Artifact::load("Outbox")?.bytecode)?;
        let outbox = behind_proxy(l1, "Outbox proxy", outbox_implementation)?;
        call(l1, "Outbox.initialize", outbox, IOutbox::initializeCall { bridge }.abi_encode())?;

        let enable_inbox = IBridge::setDelayedInboxCall { inbox, enabled: true };
        call(l1, "Bridge.setDelayedInbox", bridge, enable_inbox.abi_encode())?;
        let enable_outbox = IBridge::setOutboxCall { outbox, enabled: true };
        call(l1, "Bridge.setOutbox", bridge, enable_outbox.abi_encode())?;
        let point = IRollupStandIn::setOutboxCall { newOutbox: outbox };
        call(l1, "RollupStandIn.setOutbox", rollup, point.abi_encode())?;

        l1.genesis_deploy(DEPOSIT_CONTRACT_ADDRESS, Artifact::load("DepositContract")?.bytecode)?;

        Ok(Self {
            admin,
            proxy_admin,
            bridge,
            inbox,
            outbox,
            bridge_implementation,
            inbox_implementation,
            outbox_implementation,
            rollup,
            deposit_contract: DEPOSIT_CONTRACT_ADDRESS,
        })
    }

    /// `Inbox.depositEth()` from `from` with `value` wei: locks the ether in the Bridge and
    /// delivers a kind-12 message (see [`L1Contracts::delayed_messages`]).
    ///
    /// # Errors
    ///
    /// [`L1Error`] when the transaction is invalid; a revert is a receipt.
    pub fn deposit_eth(
        &self,
        l1: &mut L1,
        from: Address,
        value: U256,
    ) -> Result<L1Receipt, L1Error> {
        l1.call(from, self.inbox, value, IInbox::depositEthCall {}.abi_encode())
    }

    /// `Inbox.createRetryableTicket(...)` from `from` with `value` wei.
    ///
    /// # Errors
    ///
    /// [`L1Error`] when the transaction is invalid; a revert (e.g. `InsufficientValue`) is a
    /// receipt.
    pub fn create_retryable_ticket(
        &self,
        l1: &mut L1,
        from: Address,
        ticket: &RetryableTicket,
        value: U256,
    ) -> Result<L1Receipt, L1Error> {
        l1.call(from, self.inbox, value, ticket.call().abi_encode())
    }

    /// The Inbox's retryable submission fee for `data_length` bytes at the current L1 base fee
    /// (`(1400 + 6 * data_length) * basefee`).
    ///
    /// # Errors
    ///
    /// [`L1Error`] when the call is invalid.
    pub fn retryable_submission_fee(
        &self,
        l1: &mut L1,
        data_length: usize,
    ) -> Result<U256, L1Error> {
        let call = IInbox::calculateRetryableSubmissionFeeCall {
            dataLength: U256::from(data_length),
            baseFee: U256::ZERO,
        };
        let receipt = l1.static_call(Address::ZERO, self.inbox, call.abi_encode())?;
        Ok(U256::abi_decode(&receipt.output, true).unwrap_or_default())
    }

    /// Posts `send_root` to the Outbox through the rollup stand-in, from the admin: the
    /// stand-in's "assertion confirmed". The caller is responsible for the challenge period.
    ///
    /// # Errors
    ///
    /// [`L1Error`] when the transaction is invalid; a revert is a receipt.
    pub fn post_send_root(
        &self,
        l1: &mut L1,
        send_root: B256,
        l2_block_hash: B256,
    ) -> Result<L1Receipt, L1Error> {
        let call =
            IRollupStandIn::postSendRootCall { sendRoot: send_root, l2BlockHash: l2_block_hash };
        l1.call(self.admin, self.rollup, U256::ZERO, call.abi_encode())
    }

    /// `Outbox.executeTransaction(proof, index, ...)` for `message`, sent by `from` (anyone:
    /// on Arbitrum any keeper may execute a confirmed message).
    ///
    /// # Errors
    ///
    /// [`L1Error`] when the transaction is invalid; a revert (`UnknownRoot`, `AlreadySpent`,
    /// the destination's own revert...) is a receipt.
    pub fn execute_transaction(
        &self,
        l1: &mut L1,
        from: Address,
        proof: &[B256],
        index: u64,
        message: &L2ToL1Message,
    ) -> Result<L1Receipt, L1Error> {
        let call = IOutbox::executeTransactionCall {
            proof: proof.to_vec(),
            index: U256::from(index),
            l2Sender: message.l2_sender,
            to: message.to,
            l2Block: message.l2_block,
            l1Block: message.l1_block,
            l2Timestamp: message.l2_timestamp,
            value: message.value,
            data: message.data.clone(),
        };
        l1.call(from, self.outbox, U256::ZERO, call.abi_encode())
    }

    /// Reads a view function of one of the contracts; its return data.
    ///
    /// # Errors
    ///
    /// [`L1Error`] when the call is invalid.
    pub fn view(&self, l1: &mut L1, to: Address, data: Vec<u8>) -> Result<Bytes, L1Error> {
        Ok(l1.static_call(Address::ZERO, to, data)?.output)
    }

    /// The number of messages in the Bridge's delayed inbox.
    ///
    /// # Errors
    ///
    /// [`L1Error`] when the call is invalid.
    pub fn delayed_message_count(&self, l1: &mut L1) -> Result<u64, L1Error> {
        let out = self.view(l1, self.bridge, IBridge::delayedMessageCountCall {}.abi_encode())?;
        Ok(U256::abi_decode(&out, true).unwrap_or_default().saturating_to())
    }

    /// The Bridge's delayed inbox accumulator after message `index`.
    ///
    /// # Errors
    ///
    /// [`L1Error`] when the call is invalid.
    pub fn delayed_inbox_acc(&self, l1: &mut L1, index: u64) -> Result<B256, L1Error> {
        let call = IBridge::delayedInboxAccsCall { index: U256::from(index) };
        let out = self.view(l1, self.bridge, call.abi_encode())?;
        Ok(B256::abi_decode(&out, true).unwrap_or_default())
    }

    /// The delayed messages `receipt`'s transaction delivered (from this world's Bridge and
    /// Inbox), in order.
    ///
    /// # Errors
    ///
    /// [`DecodeError`] when the logs do not fit together (see its variants).
    pub fn delayed_messages(
        &self,
        receipt: &L1Receipt,
    ) -> Result<Vec<DelayedMessage>, DecodeError> {
        decode_delayed_messages(&receipt.logs, self.bridge, self.inbox, receipt.block_number)
    }
}

/// The delayed messages in `logs`: each Bridge `MessageDelivered` joined with the Inbox's
/// `InboxMessageDelivered` of the same index, at L1 block `block_number`.
///
/// # Errors
///
/// [`DecodeError`] when the logs do not fit together (see its variants).
pub fn decode_delayed_messages(
    logs: &[Log],
    bridge: Address,
    inbox: Address,
    block_number: u64,
) -> Result<Vec<DelayedMessage>, DecodeError> {
    let mut data_by_index = Vec::new();
    for log in logs.iter().filter(|l| l.address == inbox) {
        if log.topics().first() == Some(&IInbox::InboxMessageDelivered::SIGNATURE_HASH) {
            let event = IInbox::InboxMessageDelivered::decode_log(log, true)
                .map_err(|_| DecodeError::Log("InboxMessageDelivered"))?;
            data_by_index.push((event.messageNum, event.data.data.clone()));
        }
    }
    let mut messages = Vec::new();
    for log in logs.iter().filter(|l| l.address == bridge) {
        if log.topics().first() != Some(&IBridge::MessageDelivered::SIGNATURE_HASH) {
            continue;
        }
        let event = IBridge::MessageDelivered::decode_log(log, true)
            .map_err(|_| DecodeError::Log("MessageDelivered"))?;
        let index: u64 = event.messageIndex.saturating_to();
        let data = data_by_index
            .iter()
            .find(|(n, _)| *n == event.messageIndex)
            .map(|(_, d)| d.clone())
            .ok_or(DecodeError::MissingData(index))?;
        if keccak256(&data) != event.messageDataHash {
            return Err(DecodeError::HashMismatch(index));
        }
        let (payload, value) = decode_payload(index, event.kind, &data)?;
        messages.push(DelayedMessage {
            index,
            kind: event.kind,
            sender: event.sender,
            inbox: event.inbox,
            data,
            data_hash: event.messageDataHash,
            base_fee_l1: event.baseFeeL1,
            timestamp: event.timestamp,
            block_number,
            before_acc: event.beforeInboxAcc,
            value,
            payload,
        });
    }
    Ok(messages)
}

/// Decodes a kind-12 or kind-9 message's data; the ether it brought.
fn decode_payload(
    index: u64,
    kind: u8,
    data: &[u8],
) -> Result<(DelayedPayload, U256), DecodeError> {
    let malformed = DecodeError::Malformed { index, kind };
    match kind {
        KIND_ETH_DEPOSIT => {
            // abi.encodePacked(dest, msg.value): 20 + 32 bytes.
            if data.len() != 52 {
                return Err(malformed);
            }
            let to = Address::from_slice(&data[..20]);
            let amount = U256::from_be_slice(&data[20..]);
            Ok((DelayedPayload::EthDeposit { to, amount }, amount))
        }
        KIND_SUBMIT_RETRYABLE => {
            // Nine words (to, l2CallValue, deposit, maxSubmissionCost, excessFeeRefundAddress,
            // callValueRefundAddress, gasLimit, maxFeePerGas, data.length), then the data.
            let word = |i: usize| data.get(i * 32..(i + 1) * 32).map(U256::from_be_slice);
            let address = |i: usize| {
                word(i).and_then(|w: U256| {
                    (w >> 160usize).is_zero().then(|| Address::from_word(B256::from(w)))
                })
            };
            let fields = (|| {
                let length = usize::try_from(word(8)?).ok()?;
                let body = data.get(9 * 32..)?;
                (body.len() == length).then_some(())?;
                Some(SubmitRetryable {
                    to: address(0)?,
                    l2_call_value: word(1)?,
                    deposit: word(2)?,
                    max_submission_cost: word(3)?,
                    excess_fee_refund_address: address(4)?,
                    call_value_refund_address: address(5)?,
                    gas_limit: word(6)?,
                    max_fee_per_gas: word(7)?,
                    data: Bytes::copy_from_slice(body),
                })
            })()
            .ok_or(malformed)?;
            let deposit = fields.deposit;
            Ok((DelayedPayload::SubmitRetryable(Box::new(fields)), deposit))
        }
        _ => Ok((DelayedPayload::Other, U256::ZERO)),
    }
}

/// Decodes the deposit contract's `DepositEvent` logs in `logs`.
///
/// # Errors
///
/// [`DecodeError::Log`] for a `DepositEvent` log that does not decode.
pub fn deposit_events(logs: &[Log]) -> Result<Vec<IDepositContract::DepositEvent>, DecodeError> {
    logs.iter()
        .filter(|l| {
            l.address == DEPOSIT_CONTRACT_ADDRESS
                && l.topics().first() == Some(&IDepositContract::DepositEvent::SIGNATURE_HASH)
        })
        .map(|l| {
            IDepositContract::DepositEvent::decode_log(l, true)
                .map(|e| e.data)
                .map_err(|_| DecodeError::Log("DepositEvent"))
        })
        .collect()
}
