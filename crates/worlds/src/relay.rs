//! Both worlds together: Ethereum L1 ([`L1`] with Arbitrum's real Bridge, Inbox and Outbox)
//! and Arbitrum L2 ([`Vm`] at genesis, [`crate::l2::genesis`]), with one clock and a relay
//! that carries messages between them with the real delays ([`Worlds`]).
//!
//! ## What is real
//!
//! - Every message crosses through Arbitrum's own contracts. L1 to L2: `Inbox.depositEth` and
//!   `Inbox.createRetryableTicket` lock the ether in the Bridge and append to its delayed
//!   inbox; the relay reads each message from the Bridge's `MessageDelivered` and the Inbox's
//!   `InboxMessageDelivered` logs ([`crate::bridge::decode_delayed_messages`]), checks it
//!   against the Bridge's own accumulator (`delayedInboxAccs(index)`) and its count
//!   (`delayedMessageCount()`), and runs it on L2 as ArbOS runs kind 12 (an
//!   `ArbitrumDepositTx`: [`Vm::deposit_eth`]) and kind 9 (an `ArbitrumSubmitRetryableTx`
//!   with its auto-redeem: [`Vm::submit_retryable`]), with every field the message carries,
//!   the sender as the Bridge recorded it (aliased) and the delayed message index as the
//!   request id (nitro's `RequestId`).
//! - L2 to L1: ArbSys's `sendTxToL1`/`withdrawEth` burn the value on L2 and append to ArbOS's
//!   send Merkle accumulator; the relay collects every `L2ToL1Tx` from the L2 receipts it is
//!   given (retries of retryables included), in leaf order, and checks the collection against
//!   ArbSys's own `sendMerkleTreeState()` (size and root) before it asserts a state. The
//!   proofs ([`stylus_vm::arbos::send_merkle::outbox_proof`], nitro's
//!   `NodeInterface.constructOutboxProof`) are checked by the real `Outbox.executeTransaction`,
//!   which pays out of the Bridge and answers `l2ToL1Sender()` during the call; its errors
//!   (`UnknownRoot`, `AlreadySpent`...) are the real ones.
//!
//! ## What stands in
//!
//! - Validators and the rollup. An *assertion* ([`Assertion`]) records the L2 send root (and
//!   its size) at an L1 block: one is made at the start of every advance and at every stop
//!   inside one (see "Time") when L2 has sent anything since the last assertion, or by
//!   [`Worlds::assert_l2_state`]. On Arbitrum One a validator posts an assertion about once an
//!   hour and the rollup confirms it after the challenge period if nobody challenged it; here
//!   nobody challenges, and the relay has the
//!   [`crate::L1Contracts::rollup`] stand-in post the root to the Outbox once
//!   [`RelayConfig::challenge_period_blocks`] L1 blocks have passed since the assertion
//!   (default [`ARBITRUM_ONE_CHALLENGE_PERIOD_BLOCKS`], 45,818 blocks, about 6.4 days). The
//!   `l2BlockHash` posted with the root is the VM's hash of the L2 block the assertion was
//!   made at ([`stylus_vm::precompiles::block_hash`], the value ArbSys's `arbBlockHash`
//!   returns for that block while it is recent).
//! - The sequencer. Delayed messages reach L2 [`RelayConfig::l1_to_l2_delay_seconds`] after
//!   the L1 block that delivered them (its timestamp), in order. The default,
//!   [`SEQUENCER_INCLUSION_DELAY_SECONDS`] (768 s, 12.8 minutes), is how long a well-behaved
//!   sequencer waits: nitro's delayed sequencer releases a delayed message once its L1 block
//!   is finalized (`node.delayed-sequencer.use-merge-finality`, on by default: two epochs of
//!   32 slots of 12 s). Arbitrum's documentation puts the default at "tens of minutes" and
//!   shows a sequencer releasing messages after 40 L1 blocks (8 minutes). The bound a
//!   censoring sequencer cannot exceed is [`FORCE_INCLUSION_DELAY_SECONDS`] (24 hours, the
//!   SequencerInbox's `maxTimeVariation.delaySeconds` on Arbitrum One), after which anyone
//!   may force-include the message: configure it to test the worst case.
//! - Other message kinds (an L2 transaction funded by L1, a signed L2 message) are recorded
//!   and skipped ([`Delivery::Skipped`]): the Inbox's other entry points are not modelled.
//!
//! ## Time
//!
//! One clock for both worlds: [`Worlds::advance_blocks`] and [`Worlds::advance_time`] (whole
//! 12-second L1 blocks covering the seconds) move L1, then L2 by as many blocks, and set the
//! L2 timestamp to L1's and the L1 block estimate L2 programs see (`block.number`,
//! [`Vm::set_l1_block_number`]) to L1's block number. L2's own block number
//! (`arbBlockNumber()`) moves one per L1 block (Arbitrum makes a block every 250 ms; only its
//! growth matters to contracts). An advance runs as a sequence of steps: whenever a message
//! falls due or an assertion becomes confirmable inside the advance, the worlds stop at that
//! L1 block, the relay acts, and time moves on, so that everything happens at the block it
//! would on the real network.
//!
//! ## What the relay is told
//!
//! The relay reads messages from receipts, as a node reads logs: the L1 and L2 transactions
//! sent through [`Worlds`] ([`Worlds::l1_call`], [`Worlds::deposit_eth`],
//! [`Worlds::create_retryable_ticket`], [`Worlds::l2_call`]...) are read automatically; a
//! receipt of a transaction sent straight to [`Worlds::l1`] or [`Worlds::l2`] is handed over
//! with [`Worlds::observe_l1`] or [`Worlds::observe_l2`]. A message the relay was not shown is
//! an error ([`RelayError::UnobservedMessages`], [`RelayError::UnobservedSends`]) the next
//! time it compares its records with the Bridge or ArbSys, never a silent gap.
//!
//! ## Ether
//!
//! The Bridge holds every wei deposited on L1 and not yet paid out by the Outbox; L2's supply
//! is what the relay minted there minus what ArbSys burned. [`Worlds::eth_ledger`] reads both
//! sides and [`EthLedger::is_balanced`] checks `bridge balance = minted − burned + in flight
//! to L2 (delayed messages not yet run) + owed on L1 (sends not yet executed)`.

use alloy_primitives::{address, Address, Bytes, B256, U256};
use alloy_sol_types::{SolCall, SolValue};
use stylus_vm::{
    arbos::{
        arbsys::sendMerkleTreeStateCall,
        retryables::{RetryableResult, RetryableSubmission},
        send_merkle::{outbox_proof, send_root, sends, L2ToL1Send},
    },
    precompiles::{block_hash, ARB_SYS},
    Receipt, Vm,
};

use crate::{
    abi::IOutbox,
    bridge::{DecodeError, DelayedMessage, DelayedPayload, L1Contracts, L2ToL1Message, WorldError},
    l1::{L1Error, L1Receipt, L1Status, L1, SECONDS_PER_BLOCK},
    ArtifactError, RetryableTicket,
};

/// Arbitrum One's challenge period in L1 blocks (the rollup's `confirmPeriodBlocks`): about
/// 6.4 days of 12-second slots.
pub const ARBITRUM_ONE_CHALLENGE_PERIOD_BLOCKS: u64 = 45_818;
/// How long a well-behaved sequencer takes to include a delayed message: L1 finality, two
/// epochs of 32 slots of 12 seconds (see the module docs).
pub const SEQUENCER_INCLUSION_DELAY_SECONDS: u64 = 2 * 32 * SECONDS_PER_BLOCK;
/// The longest a delayed message can wait: after 24 hours anyone may force-include it
/// (Arbitrum One's `maxTimeVariation.delaySeconds`).
pub const FORCE_INCLUSION_DELAY_SECONDS: u64 = 24 * 60 * 60;
/// The account that deploys the L1 contracts and owns the rollup stand-in in [`Worlds::new`].
pub const ADMIN: Address = address!("00000000000000000000000000000000000ad000");

/// The relay's delays.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RelayConfig {
    /// L1 blocks between an assertion and the posting of its send root to the Outbox.
    pub challenge_period_blocks: u64,
    /// Seconds between the L1 block that delivered a delayed message and its run on L2.
    pub l1_to_l2_delay_seconds: u64,
}

impl Default for RelayConfig {
    /// Arbitrum One's: [`ARBITRUM_ONE_CHALLENGE_PERIOD_BLOCKS`] and
    /// [`SEQUENCER_INCLUSION_DELAY_SECONDS`].
    fn default() -> Self {
        Self {
            challenge_period_blocks: ARBITRUM_ONE_CHALLENGE_PERIOD_BLOCKS,
            l1_to_l2_delay_seconds: SEQUENCER_INCLUSION_DELAY_SECONDS,
        }
    }
}

/// What running a delayed message on L2 did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// A kind-12 ETH deposit: `amount` minted to the sender and moved to `to`.
    Deposit {
        /// The deposit transaction's hash.
        tx_hash: B256,
        /// The L2 recipient.
        to: Address,
        /// The ether.
        amount: U256,
    },
    /// A kind-9 retryable: the ticket id, the submission's receipt, the auto-redeem's.
    Retryable(Box<RetryableResult>),
    /// A kind the relay does not run. Its ether, if it brought any (an L1-funded L2
    /// transaction), is not counted by [`EthLedger`], which then shows the difference.
    Skipped {
        /// The message's kind.
        kind: u8,
    },
}

/// A delayed message's run on L2.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delivered {
    /// The L1 block at the time.
    pub l1_block: u64,
    /// The L2 block it ran in.
    pub l2_block: u64,
    /// The timestamp (both worlds').
    pub timestamp: u64,
    /// What it did.
    pub delivery: Delivery,
}

/// A delayed message the relay has read from L1.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InboundMessage {
    /// The message, as the Bridge and Inbox logged it.
    pub message: DelayedMessage,
    /// When it is run on L2: its L1 block's timestamp plus the delay.
    pub due_timestamp: u64,
    /// Its run, once it happened.
    pub delivered: Option<Delivered>,
}

/// The L2 send tree's state at an L1 block: what a validator asserts, and the rollup
/// confirms after the challenge period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assertion {
    /// How many sends the tree holds.
    pub send_count: u64,
    /// Its root (ArbSys's, equal to the root of the collected sends).
    pub send_root: B256,
    /// The L1 block it was made at.
    pub l1_block: u64,
    /// The L2 block it was made at.
    pub l2_block: u64,
    /// The L2 block hash posted with the root.
    pub l2_block_hash: B256,
    /// The first L1 block at which the rollup posts it.
    pub confirmable_at: u64,
    /// The L1 block the root was posted to the Outbox at, and the L1 gas of the posting.
    pub posted: Option<(u64, u64)>,
}

/// Both sides of the bridge's ether, in wei.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EthLedger {
    /// The Bridge's balance on L1.
    pub bridge_balance: U256,
    /// Ether minted on L2 by delayed messages run so far.
    pub l2_minted: U256,
    /// Ether ArbSys burned on L2 (the value of every send).
    pub l2_burned: U256,
    /// Ether of delayed messages read but not yet run on L2.
    pub in_flight_to_l2: U256,
    /// Ether of sends not yet executed by the Outbox.
    pub owed_on_l1: U256,
    /// The sum of every L2 balance, less what L2 held at genesis.
    pub l2_supply: U256,
}

impl EthLedger {
    /// `l2_minted − l2_burned` (what the bridge put into L2 and is still there).
    pub fn l2_net_minted(&self) -> U256 {
        self.l2_minted - self.l2_burned
    }

    /// Whether the Bridge holds exactly what L2 owes back: `bridge_balance = l2_minted −
    /// l2_burned + in_flight_to_l2 + owed_on_l1`, and L2's supply is what was minted minus
    /// what was burned.
    pub fn is_balanced(&self) -> bool {
        self.bridge_balance == self.l2_net_minted() + self.in_flight_to_l2 + self.owed_on_l1
            && self.l2_supply == self.l2_net_minted()
    }
}

/// Why the relay stopped.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// Setting the worlds up failed.
    #[error(transparent)]
    World(#[from] WorldError),
    /// An artifact is missing (run `scripts/evm-build`).
    #[error(transparent)]
    Artifact(#[from] ArtifactError),
    /// An L1 transaction or call was invalid.
    #[error(transparent)]
    L1(#[from] L1Error),
    /// A receipt's delayed messages did not decode.
    #[error(transparent)]
    Decode(#[from] DecodeError),
    /// The Bridge holds messages the relay was not shown (a receipt not observed).
    #[error("the Bridge holds {on_bridge} delayed messages, the relay has read {read}: observe every L1 receipt")]
    UnobservedMessages {
        /// Messages read.
        read: u64,
        /// `delayedMessageCount()`.
        on_bridge: u64,
    },
    /// A message arrived out of order (an earlier one was not observed).
    #[error("delayed message {got} arrived, {expected} expected next")]
    MessageOutOfOrder {
        /// The index expected.
        expected: u64,
        /// The index read.
        got: u64,
    },
    /// A message does not hash to the Bridge's accumulator.
    #[error("delayed message {0} does not match the Bridge's accumulator")]
    AccumulatorMismatch(u64),
    /// ArbSys holds sends the relay was not shown (an L2 receipt not observed).
    #[error("ArbSys holds {on_arbsys} sends, the relay has collected {collected}: observe every L2 receipt")]
    UnobservedSends {
        /// Sends collected.
        collected: u64,
        /// ArbSys's tree size.
        on_arbsys: u64,
    },
    /// A send arrived out of order.
    #[error("send {got} arrived, {expected} expected next")]
    SendOutOfOrder {
        /// The position expected.
        expected: u64,
        /// The position read.
        got: u64,
    },
    /// The collected sends do not give ArbSys's root.
    #[error("ArbSys's send root {arbsys} differs from the collected sends' {collected}")]
    SendRootMismatch {
        /// `sendMerkleTreeState()`'s root.
        arbsys: B256,
        /// The root of the collected item hashes.
        collected: B256,
    },
    /// A collected send's item hash is not what the Outbox computes for its fields.
    #[error("send {0}: its fields do not hash to its item hash")]
    ItemHashMismatch(u64),
    /// `sendMerkleTreeState()` failed.
    #[error("ArbSys.sendMerkleTreeState failed: {0}")]
    ArbSys(String),
    /// The rollup stand-in's posting reverted.
    #[error("posting send root {root} failed: {status:?}, output {output}")]
    PostFailed {
        /// The root.
        root: B256,
        /// How it ended.
        status: L1Status,
        /// Its revert data.
        output: Bytes,
    },
    /// No send at this index.
    #[error("no L2-to-L1 send {0}")]
    UnknownSend(u64),
}

/// Ethereum and Arbitrum with the relay between them (see the module docs).
#[derive(Debug)]
pub struct Worlds {
    /// Ethereum.
    pub l1: L1,
    /// Arbitrum.
    pub l2: Vm,
    /// The bridge, the rollup stand-in and the deposit contract on L1.
    pub contracts: L1Contracts,
    config: RelayConfig,
    inbound: Vec<InboundMessage>,
    delivered: usize,
    sends: Vec<L2ToL1Send>,
    assertions: Vec<Assertion>,
    minted: U256,
    burned: U256,
    genesis_l2_supply: U256,
}

impl Worlds {
    /// L1 with the bridge deployed by [`ADMIN`], L2 at genesis, the clocks joined, Arbitrum
    /// One's delays.
    ///
    /// # Errors
    ///
    /// When the Solidity artifacts are missing (`scripts/evm-build`) or a deployment failed.
    pub fn new() -> Result<Self, RelayError> {
        Self::with_config(RelayConfig::default())
    }

    /// [`Worlds::new`] with other delays.
    ///
    /// # Errors
    ///
    /// As [`Worlds::new`].
    pub fn with_config(config: RelayConfig) -> Result<Self, RelayError> {
        let mut l1 = L1::new();
        let contracts = L1Contracts::deploy(&mut l1, ADMIN)?;
        let mut l2 = crate::l2::genesis()?;
        l2.set_timestamp(l1.timestamp());
        l2.set_l1_block_number(l1.block_number());
        let genesis_l2_supply = total_balance(&l2);
        Ok(Self {
            l1,
            l2,
            contracts,
            config,
            inbound: Vec::new(),
            delivered: 0,
            sends: Vec::new(),
            assertions: Vec::new(),
            minted: U256::ZERO,
            burned: U256::ZERO,
            genesis_l2_supply,
        })
    }

    /// Gives `who` `wei` more on L2 as if bridged at genesis (a devnet's funded accounts): the
    /// Bridge on L1 holds the same ether more, so that it can pay the account's withdrawals,
    /// and [`Worlds::eth_ledger`] counts it as minted by the bridge and stays balanced.
    pub fn fund_l2_through_bridge(&mut self, who: Address, wei: U256) {
        let balance = self.l2.balance(who);
        self.l2.set_balance(who, balance + wei);
        let bridge = self.contracts.bridge;
        let held = self.l1.balance(bridge);
        self.l1.set_balance(bridge, held + wei);
        self.minted += wei;
    }

    /// The relay's delays.
    pub fn config(&self) -> RelayConfig {
        self.config
    }

    // ------------------------------------------------------------------ time

    /// Moves both worlds `n` L1 blocks on (12 s each), the relay acting at every block where
    /// something falls due (see the module docs).
    ///
    /// # Errors
    ///
    /// When the relay finds its records and the chains disagree, or an L1 call is invalid.
    pub fn advance_blocks(&mut self, n: u64) -> Result<(), RelayError> {
        let target = self.l1.block_number() + n;
        loop {
            self.assert_l2_state()?;
            let now = self.l1.block_number();
            let next = self.next_event_block().filter(|b| *b < target).unwrap_or(target).max(now);
            self.move_clocks(next - now);
            self.run_due()?;
            if next >= target {
                return Ok(());
            }
        }
    }

    /// Moves both worlds on by the whole L1 blocks covering `seconds` (as [`L1::advance_time`]);
    /// returns the number of blocks.
    ///
    /// # Errors
    ///
    /// As [`Worlds::advance_blocks`].
    pub fn advance_time(&mut self, seconds: u64) -> Result<u64, RelayError> {
        let blocks = seconds.div_ceil(SECONDS_PER_BLOCK);
        self.advance_blocks(blocks)?;
        Ok(blocks)
    }

    /// Moves both clocks `blocks` on and joins them.
    fn move_clocks(&mut self, blocks: u64) {
        self.l1.advance_blocks(blocks);
        self.l2.advance_blocks(blocks);
        self.l2.set_timestamp(self.l1.timestamp());
        self.l2.set_l1_block_number(self.l1.block_number());
    }

    /// The first L1 block at or after now at which a message falls due or an assertion
    /// becomes confirmable.
    fn next_event_block(&self) -> Option<u64> {
        let now = self.l1.block_number();
        let now_ts = self.l1.timestamp();
        let message = self
            .inbound
            .get(self.delivered)
            .map(|m| now + m.due_timestamp.saturating_sub(now_ts).div_ceil(SECONDS_PER_BLOCK));
        let assertion =
            self.assertions.iter().filter(|a| a.posted.is_none()).map(|a| a.confirmable_at).min();
        [message, assertion].into_iter().flatten().map(|b| b.max(now)).min()
    }

    /// Posts the assertions whose challenge period has passed, then runs the delayed messages
    /// that are due.
    fn run_due(&mut self) -> Result<(), RelayError> {
        let now = self.l1.block_number();
        for i in 0..self.assertions.len() {
            let a = &self.assertions[i];
            if a.posted.is_some() || a.confirmable_at > now {
                continue;
            }
            let (root, hash) = (a.send_root, a.l2_block_hash);
            let receipt = self.contracts.post_send_root(&mut self.l1, root, hash)?;
            if !receipt.success {
                return Err(RelayError::PostFailed {
                    root,
                    status: receipt.status,
                    output: receipt.output,
                });
            }
            self.assertions[i].posted = Some((now, receipt.gas_used));
        }
        let on_bridge = self.contracts.delayed_message_count(&mut self.l1)?;
        if on_bridge != self.inbound.len() as u64 {
            return Err(RelayError::UnobservedMessages {
                read: self.inbound.len() as u64,
                on_bridge,
            });
        }
        let now_ts = self.l1.timestamp();
        while let Some(m) = self.inbound.get(self.delivered) {
            if m.due_timestamp > now_ts {
                break;
            }
            let message = m.message.clone();
            let delivery = self.run_on_l2(&message)?;
            self.inbound[self.delivered].delivered = Some(Delivered {
                l1_block: now,
                l2_block: self.l2.arb_block_number(),
                timestamp: self.l2.timestamp(),
                delivery,
            });
            self.delivered += 1;
        }
        Ok(())
    }

    /// Runs one delayed message on L2.
    fn run_on_l2(&mut self, m: &DelayedMessage) -> Result<Delivery, RelayError> {
        let request_id = B256::from(U256::from(m.index));
        Ok(match &m.payload {
            DelayedPayload::EthDeposit { to, amount } => {
                let tx_hash = self.l2.deposit_eth(request_id, m.sender, *to, *amount);
                self.minted += *amount;
                Delivery::Deposit { tx_hash, to: *to, amount: *amount }
            }
            DelayedPayload::SubmitRetryable(s) => {
                let submission = RetryableSubmission {
                    request_id,
                    from: m.sender,
                    to: s.to,
                    l2_call_value: s.l2_call_value,
                    deposit: s.deposit,
                    max_submission_fee: s.max_submission_cost,
                    excess_fee_refund_address: s.excess_fee_refund_address,
                    call_value_refund_address: s.call_value_refund_address,
                    gas_limit: s.gas_limit.saturating_to(),
                    max_fee_per_gas: s.max_fee_per_gas,
                    data: s.data.clone(),
                    l1_base_fee: m.base_fee_l1,
                };
                let result = self.l2.submit_retryable(&submission);
                self.minted += s.deposit;
                if let Some(redeem) = &result.auto_redeem {
                    self.collect_sends(redeem)?;
                }
                Delivery::Retryable(Box::new(result))
            }
            DelayedPayload::Other => Delivery::Skipped { kind: m.kind },
        })
    }

    // ------------------------------------------------------------------ L1 side

    /// An L1 transaction through the relay: its delayed messages are read.
    ///
    /// # Errors
    ///
    /// When the transaction is invalid or its messages do not fit the Bridge's records.
    pub fn l1_call(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: impl Into<Bytes>,
    ) -> Result<L1Receipt, RelayError> {
        let receipt = self.l1.call(from, to, value, data)?;
        self.observe_l1(&receipt)?;
        Ok(receipt)
    }

    /// `Inbox.depositEth()` from `from` with `value` wei, read by the relay.
    ///
    /// # Errors
    ///
    /// As [`Worlds::l1_call`].
    pub fn deposit_eth(&mut self, from: Address, value: U256) -> Result<L1Receipt, RelayError> {
        let receipt = self.contracts.deposit_eth(&mut self.l1, from, value)?;
        self.observe_l1(&receipt)?;
        Ok(receipt)
    }

    /// `Inbox.createRetryableTicket(...)` from `from` with `value` wei, read by the relay.
    ///
    /// # Errors
    ///
    /// As [`Worlds::l1_call`].
    pub fn create_retryable_ticket(
        &mut self,
        from: Address,
        ticket: &RetryableTicket,
        value: U256,
    ) -> Result<L1Receipt, RelayError> {
        let receipt = self.contracts.create_retryable_ticket(&mut self.l1, from, ticket, value)?;
        self.observe_l1(&receipt)?;
        Ok(receipt)
    }

    /// Reads the delayed messages of an L1 receipt (one the relay has not seen: a receipt
    /// read twice is ignored the second time). Returns how many were new.
    ///
    /// # Errors
    ///
    /// [`RelayError::MessageOutOfOrder`] when a message skips one the relay has not read,
    /// [`RelayError::AccumulatorMismatch`] when it is not what the Bridge recorded, or a
    /// decoding error.
    pub fn observe_l1(&mut self, receipt: &L1Receipt) -> Result<usize, RelayError> {
        let mut new = 0;
        for message in self.contracts.delayed_messages(receipt)? {
            let expected = self.inbound.len() as u64;
            if message.index < expected
                && self.inbound[usize::try_from(message.index).unwrap_or(usize::MAX)].message
                    == message
            {
                continue;
            }
            if message.index != expected {
                return Err(RelayError::MessageOutOfOrder { expected, got: message.index });
            }
            let acc = self.contracts.delayed_inbox_acc(&mut self.l1, message.index)?;
            if acc != message.accumulator() {
                return Err(RelayError::AccumulatorMismatch(message.index));
            }
            let due_timestamp = message.timestamp + self.config.l1_to_l2_delay_seconds;
            self.inbound.push(InboundMessage { message, due_timestamp, delivered: None });
            new += 1;
        }
        Ok(new)
    }

    /// The delayed messages read so far, in order, with their runs on L2.
    pub fn inbound(&self) -> &[InboundMessage] {
        &self.inbound
    }

    // ------------------------------------------------------------------ L2 side

    /// An L2 transaction through the relay: its sends (and its retries') are collected.
    ///
    /// # Errors
    ///
    /// When its sends do not follow the ones collected.
    pub fn l2_call(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: &[u8],
    ) -> Result<Receipt, RelayError> {
        let receipt = self.l2.call(from, to, value, data);
        self.observe_l2(&receipt)?;
        Ok(receipt)
    }

    /// [`Worlds::l2_call`] with a gas limit.
    ///
    /// # Errors
    ///
    /// As [`Worlds::l2_call`].
    pub fn l2_call_with_gas(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        data: &[u8],
        gas_limit: u64,
    ) -> Result<Receipt, RelayError> {
        let receipt = self.l2.call_with_gas(from, to, value, data, gas_limit);
        self.observe_l2(&receipt)?;
        Ok(receipt)
    }

    /// An L2 contract creation through the relay.
    ///
    /// # Errors
    ///
    /// As [`Worlds::l2_call`].
    pub fn l2_create(
        &mut self,
        from: Address,
        value: U256,
        init_code: &[u8],
    ) -> Result<Receipt, RelayError> {
        let receipt = self.l2.create(from, value, init_code);
        self.observe_l2(&receipt)?;
        Ok(receipt)
    }

    /// Collects the sends of an L2 receipt and of the retries it ran (a receipt read twice is
    /// ignored the second time). Returns how many were new.
    ///
    /// # Errors
    ///
    /// [`RelayError::SendOutOfOrder`] when a send skips one not collected,
    /// [`RelayError::ItemHashMismatch`] when its fields do not give its hash.
    pub fn observe_l2(&mut self, receipt: &Receipt) -> Result<usize, RelayError> {
        self.collect_sends(receipt)
    }

    fn collect_sends(&mut self, receipt: &Receipt) -> Result<usize, RelayError> {
        let mut new = 0;
        for send in sends(&receipt.logs) {
            let expected = self.sends.len() as u64;
            if send.position < expected
                && self.sends[usize::try_from(send.position).unwrap_or(usize::MAX)] == send
            {
                continue;
            }
            if send.position != expected {
                return Err(RelayError::SendOutOfOrder { expected, got: send.position });
            }
            if send.item_hash() != send.hash {
                return Err(RelayError::ItemHashMismatch(send.position));
            }
            self.burned += send.callvalue;
            self.sends.push(send);
            new += 1;
        }
        for redeem in &receipt.redeems {
            new += self.collect_sends(redeem)?;
        }
        Ok(new)
    }

    /// Every L2-to-L1 send collected, by position.
    pub fn sends(&self) -> &[L2ToL1Send] {
        &self.sends
    }

    /// ArbSys's `sendMerkleTreeState()` (size and root), called from address zero as nitro
    /// requires.
    ///
    /// # Errors
    ///
    /// [`RelayError::ArbSys`] when the call fails.
    pub fn arbsys_send_state(&mut self) -> Result<(u64, B256), RelayError> {
        let call = sendMerkleTreeStateCall {}.abi_encode();
        let receipt = self.l2.static_call(Address::ZERO, ARB_SYS, &call);
        if !receipt.success {
            return Err(RelayError::ArbSys(format!("{:?}", receipt.status)));
        }
        let state = sendMerkleTreeStateCall::abi_decode_returns(&receipt.output, true)
            .map_err(|e| RelayError::ArbSys(e.to_string()))?;
        Ok((state.size.saturating_to(), state.root))
    }

    /// Asserts the L2 state now, if L2 sent anything since the last assertion: records the
    /// send root (ArbSys's, checked against the collected sends) at the current L1 block;
    /// the rollup posts it once the challenge period has passed. Returns the new assertion's
    /// index. [`Worlds::advance_blocks`] calls it at every step.
    ///
    /// # Errors
    ///
    /// [`RelayError::UnobservedSends`] when ArbSys holds sends the relay was not shown,
    /// [`RelayError::SendRootMismatch`] when the roots differ.
    pub fn assert_l2_state(&mut self) -> Result<Option<usize>, RelayError> {
        let (size, root) = self.arbsys_send_state()?;
        let collected = self.sends.len() as u64;
        if size != collected {
            return Err(RelayError::UnobservedSends { collected, on_arbsys: size });
        }
        let items: Vec<B256> = self.sends.iter().map(|s| s.hash).collect();
        let ours = send_root(&items);
        if ours != root {
            return Err(RelayError::SendRootMismatch { arbsys: root, collected: ours });
        }
        let last = self.assertions.last().map_or(0, |a| a.send_count);
        if size == last {
            return Ok(None);
        }
        let l1_block = self.l1.block_number();
        let l2_block = self.l2.arb_block_number();
        self.assertions.push(Assertion {
            send_count: size,
            send_root: root,
            l1_block,
            l2_block,
            l2_block_hash: block_hash(l2_block),
            confirmable_at: l1_block + self.config.challenge_period_blocks,
            posted: None,
        });
        Ok(Some(self.assertions.len() - 1))
    }

    /// The assertions made so far, in order.
    pub fn assertions(&self) -> &[Assertion] {
        &self.assertions
    }

    /// How many sends the newest root posted to the Outbox covers.
    pub fn confirmed_send_count(&self) -> u64 {
        self.assertions.iter().rev().find(|a| a.posted.is_some()).map_or(0, |a| a.send_count)
    }

    /// Send `index` as the Outbox executes it.
    ///
    /// # Errors
    ///
    /// [`RelayError::UnknownSend`] when there is no such send.
    pub fn l2_to_l1_message(&self, index: u64) -> Result<L2ToL1Message, RelayError> {
        let send = self
            .sends
            .get(usize::try_from(index).unwrap_or(usize::MAX))
            .ok_or(RelayError::UnknownSend(index))?;
        Ok(L2ToL1Message {
            l2_sender: send.caller,
            to: send.destination,
            l2_block: send.arb_block_num,
            l1_block: send.eth_block_num,
            l2_timestamp: send.timestamp,
            value: send.callvalue,
            data: send.data.clone(),
        })
    }

    /// The Merkle proof of send `index` and the tree size it is against: the newest root
    /// posted to the Outbox that covers it; when none does yet, the tree of every send
    /// collected (a proof whose root the Outbox does not know: it answers `UnknownRoot`).
    ///
    /// # Errors
    ///
    /// [`RelayError::UnknownSend`] when there is no such send.
    pub fn outbox_proof(&self, index: u64) -> Result<(Vec<B256>, u64), RelayError> {
        let count = self.sends.len() as u64;
        if index >= count {
            return Err(RelayError::UnknownSend(index));
        }
        let confirmed = self.confirmed_send_count();
        let size = if index < confirmed { confirmed } else { count };
        let items: Vec<B256> = self.sends.iter().map(|s| s.hash).collect();
        Ok((outbox_proof(&items, size, index), size))
    }

    /// What nitro's `NodeInterface.constructOutboxProof(size, leaf)` answers: send `leaf`'s
    /// hash, the root of the first `size` sends, and the leaf's proof against it.
    ///
    /// # Errors
    ///
    /// [`RelayError::UnknownSend`] when `leaf >= size` or `size` exceeds the sends collected.
    pub fn construct_outbox_proof(
        &self,
        size: u64,
        leaf: u64,
    ) -> Result<(B256, B256, Vec<B256>), RelayError> {
        if leaf >= size || size > self.sends.len() as u64 {
            return Err(RelayError::UnknownSend(leaf));
        }
        let items: Vec<B256> = self.sends.iter().map(|s| s.hash).collect();
        let proof = outbox_proof(&items, size, leaf);
        let send = items[usize::try_from(leaf).unwrap_or(usize::MAX)];
        let root = crate::bridge::outbox_root(&proof, leaf, send);
        Ok((send, root, proof))
    }

    /// `Outbox.executeTransaction` for send `index`, sent by `from` (anyone: on Arbitrum
    /// keepers execute confirmed messages), with the proof of [`Worlds::outbox_proof`]. The
    /// relay does not refuse an unconfirmed send: the real Outbox does (`UnknownRoot`).
    ///
    /// # Errors
    ///
    /// [`RelayError::UnknownSend`], or an invalid L1 transaction; a revert is a receipt.
    pub fn execute_l2_to_l1(&mut self, index: u64, from: Address) -> Result<L1Receipt, RelayError> {
        let message = self.l2_to_l1_message(index)?;
        let (proof, _) = self.outbox_proof(index)?;
        let receipt =
            self.contracts.execute_transaction(&mut self.l1, from, &proof, index, &message)?;
        self.observe_l1(&receipt)?;
        Ok(receipt)
    }

    // ------------------------------------------------------------------ ether

    /// The Bridge's balance on L1: all ether locked for L2.
    pub fn bridge_balance(&self) -> U256 {
        self.l1.balance(self.contracts.bridge)
    }

    /// The sum of every L2 balance, less what L2 held at genesis.
    pub fn l2_supply(&self) -> U256 {
        total_balance(&self.l2).saturating_sub(self.genesis_l2_supply)
    }

    /// Both sides of the bridge's ether (see [`EthLedger`]); whether a send was executed is
    /// read from the Outbox (`isSpent`).
    ///
    /// # Errors
    ///
    /// When an Outbox view call is invalid.
    pub fn eth_ledger(&mut self) -> Result<EthLedger, RelayError> {
        let in_flight_to_l2 =
            self.inbound[self.delivered..].iter().fold(U256::ZERO, |sum, m| sum + m.message.value);
        let mut owed_on_l1 = U256::ZERO;
        for send in &self.sends {
            if send.callvalue.is_zero() {
                continue;
            }
            let call = IOutbox::isSpentCall { index: U256::from(send.position) };
            let out =
                self.contracts.view(&mut self.l1, self.contracts.outbox, call.abi_encode())?;
            if !bool::abi_decode(&out, true).unwrap_or(false) {
                owed_on_l1 += send.callvalue;
            }
        }
        Ok(EthLedger {
            bridge_balance: self.bridge_balance(),
            l2_minted: self.minted,
            l2_burned: self.burned,
            in_flight_to_l2,
            owed_on_l1,
            l2_supply: self.l2_supply(),
        })
    }
}

/// The sum of every account's balance on `vm`.
fn total_balance(vm: &Vm) -> U256 {
    vm.snapshot(&[]).accounts.iter().fold(U256::ZERO, |sum, (_, balance, _, _)| sum + balance)
}
