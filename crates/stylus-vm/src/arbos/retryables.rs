//! L1 messages arriving on L2 and retryable tickets: ETH deposits ([`crate::Vm::deposit_eth`]),
//! retryable submissions with their auto-redeem ([`crate::Vm::submit_retryable`]) and
//! ArbRetryableTx at 0x6e (nitro's `arbos/tx_processor.go`, `arbos/retryables`,
//! `precompiles/ArbRetryableTx.go`; interface nitro-contracts
//! `src/precompiles/ArbRetryableTx.sol`).
//!
//! # A submission, as ArbOS runs it
//!
//! The deposit is minted to the (aliased) sender; the submission fee,
//! `(1,400 + 6 × data bytes) × L1 base fee`, goes to [`super::NETWORK_FEE_ACCOUNT`] and the
//! rest of `maxSubmissionFee` to the excess-fee refund address; the call value moves into the
//! ticket's escrow (`keccak256("retryable escrow" ‖ ticketId)`, last 20 bytes); the ticket
//! is written (lifetime 604,800 s) and `TicketCreated(ticketId)` logged. When the gas limit
//! is at least 21,000, the fee cap at least the base fee and the sender can pay
//! `gasLimit × maxFeePerGas`, the gas is paid: `baseFee × gasLimit` to the network fee
//! account, `(maxFeePerGas − baseFee) × gasLimit` to the excess-fee refund address, and
//! `RedeemScheduled` is logged; otherwise `gasLimit × maxFeePerGas` (as far as the deposit
//! covers it) goes to the excess-fee refund address and nothing is scheduled.
//!
//! The retry then runs as its own transaction from the sender to the destination with the
//! call value (out of escrow) and the gas. On success the ticket is deleted; on failure the
//! value goes back to escrow and the ticket stays redeemable until its timeout. Its gas is
//! settled as nitro's `EndTxHook` does: the unused gas (`baseFee × gasLeft`) goes back from
//! the network fee account, and after a success the submission fee too, to the excess-fee
//! refund address as far as the deposit's refundable part (`maxRefund`) covers them and to
//! the sender beyond that. So every wei of the deposit ends at the network fee account
//! (the submission fee unless the auto-redeem succeeded, and `baseFee × gasUsed`), the
//! excess-fee refund address, the escrow or the destination (the call value), or the
//! sender (what the deposit held beyond call value + max submission fee + gas).
//!
//! # Redeem
//!
//! `redeem(ticketId)` (anyone) donates all the gas it has left, less what the rest of the
//! call costs, to a retry that runs right after the transaction, as a receipt attached to
//! it ([`crate::Receipt::redeems`]); it logs `RedeemScheduled` and returns the retry's
//! transaction hash. The VM does not charge gas fees from balances for ordinary
//! transactions, so a manual retry moves no fees (nitro refunds the unused donated gas to
//! the redeemer out of the fee it paid).
//!
//! # Gas (ArbOS 60)
//!
//! On top of 800 for opening the ArbOS state and 3 per word of arguments and result:
//!
//! | method | gas |
//! |---|---|
//! | `getLifetime()` | – |
//! | `getCurrentRedeemer()` | – |
//! | `getTimeout(id)` | 800 (liveness: the timeout) + 1,600 (timeout and windows); 800 when there is no ticket |
//! | `getBeneficiary(id)` | 800 + 800 |
//! | `keepalive(id)` | 1,600 (size) + 200 per word of the ticket's size (`224 + 32 × words(data)` bytes) + 2,400 (reads) + 40,800 (the timeout queue's entry) + 20,800 (a window) + 58,000 (the reaping price) + 1,381 (`LifetimeExtended`) |
//! | `cancel(id)` | 800 + 800 (beneficiary) + 1,600 (delete's reads) + 5,000 per cleared slot (7 + words(data) + 1) + 800 + 1,125 (`Canceled`) |
//! | `redeem(id)` | all the gas it is given: 800 × (8 + ⌊len(data) / 32⌋) of reads, 20,800 (the try count), 50 per word of the ticket's size, 2,899 (`RedeemScheduled`), 20,800 (the backlog update) and 3 (result) are its own; the rest, at least 21,000, is donated to the retry |
//!
//! # Differences from nitro
//!
//! - No reaping: an expired ticket behaves as gone (every method reverts `NoTicketWithID()`),
//!   but its storage and escrow stay (nitro's reaper pays the escrow to the beneficiary).
//!   The timeout queue is not kept (its writes are charged); a keepalive adds a window as
//!   nitro does, and expiry is judged on `timeout + windows × lifetime`, as if the reaper
//!   had always moved the timeout on time.
//! - A ticket to address zero is a call to address zero here (a contract creation on chain).
//! - The infrastructure fee account is not modelled (nitro's default: none).
//! - The submission's receipt counts no gas (`gas_used` 0); its retry's receipt counts the
//!   retry's own.

use alloy_primitives::{keccak256, Address, Bytes, Log, B256, U256};
use alloy_sol_types::{sol, SolCall, SolError, SolEvent};

use super::{
    finish, Arbos, Fail, Meter, RetryContext, Space, COPY_GAS, LOG_DATA_GAS, LOG_GAS,
    LOG_TOPIC_GAS, NETWORK_FEE_ACCOUNT, STORAGE_READ, STORAGE_WRITE,
};
use crate::{
    call::{Exec, Message, Outcome},
    receipt::{GasBreakdown, Receipt, Status},
    state::{State, Substate},
    Vm,
};

/// ArbRetryableTx.
pub const ARB_RETRYABLE_TX: Address =
    Address::new([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x6e]);

/// A ticket's lifetime, and what `keepalive` adds: one week.
pub const RETRYABLE_LIFETIME_SECONDS: u64 = 7 * 24 * 60 * 60;
/// What `keepalive` pays in advance for reaping the extra timeout-queue entry.
const RETRYABLE_REAP_PRICE: u64 = 58_000;
/// geth's `SloadGas`: `redeem` pays it per word of the ticket's size.
const SLOAD_GAS: u64 = 50;
/// `MultiConstraintStaticBacklogUpdateCost` (ArbOS 60): a read and a write.
const BACKLOG_UPDATE_COST: u64 = STORAGE_READ + STORAGE_WRITE;
/// geth's `TxGas`: the least a redeem may donate, and an auto-redeem may have.
const TX_GAS: u64 = 21_000;

/// nitro's transaction types.
const DEPOSIT_TX_TYPE: u8 = 0x64;
const RETRY_TX_TYPE: u8 = 0x68;
const SUBMIT_RETRYABLE_TX_TYPE: u8 = 0x69;

sol! {
    /// ArbRetryableTx's interface (nitro-contracts `src/precompiles/ArbRetryableTx.sol`).
    interface IArbRetryableTx {
        function redeem(bytes32 ticketId) external returns (bytes32);
        function getLifetime() external view returns (uint256);
        function getTimeout(bytes32 ticketId) external view returns (uint256);
        function keepalive(bytes32 ticketId) external returns (uint256);
        function getBeneficiary(bytes32 ticketId) external view returns (address);
        function cancel(bytes32 ticketId) external;
        function getCurrentRedeemer() external view returns (address);
        function submitRetryable(
            bytes32 requestId,
            uint256 l1BaseFee,
            uint256 deposit,
            uint256 callvalue,
            uint256 gasFeeCap,
            uint64 gasLimit,
            uint256 maxSubmissionFee,
            address feeRefundAddress,
            address beneficiary,
            address retryTo,
            bytes calldata retryData
        ) external;
        event TicketCreated(bytes32 indexed ticketId);
        event LifetimeExtended(bytes32 indexed ticketId, uint256 newTimeout);
        event RedeemScheduled(
            bytes32 indexed ticketId,
            bytes32 indexed retryTxHash,
            uint64 indexed sequenceNum,
            uint64 donatedGas,
            address gasDonor,
            uint256 maxRefund,
            uint256 submissionFeeRefund
        );
        event Canceled(bytes32 indexed ticketId);
        error NoTicketWithID();
        error NotCallable();
    }
}

pub use IArbRetryableTx::{
    cancelCall, getBeneficiaryCall, getTimeoutCall, keepaliveCall, redeemCall, Canceled,
    LifetimeExtended, NoTicketWithID, NotCallable, RedeemScheduled, TicketCreated,
};

// The ticket's fields (offsets in its storage space).
const NUM_TRIES: u64 = 0;
const FROM: u64 = 1;
const TO: u64 = 2;
const CALLVALUE: u64 = 3;
const BENEFICIARY: u64 = 4;
const TIMEOUT: u64 = 5;
const TIMEOUT_WINDOWS_LEFT: u64 = 6;

/// `to` of a ticket whose retry creates a contract (nitro's `NilAddressRepresentation`).
fn nil_address() -> B256 {
    B256::from(U256::from(1) << 255)
}

fn ticket_space(id: B256) -> Space {
    Space::root().sub(&[2]).sub(id.as_slice())
}

fn word(x: U256) -> B256 {
    B256::from(x)
}

/// A live retryable ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket {
    /// Its id (the submission's transaction hash).
    pub id: B256,
    /// The retry's sender (the aliased L1 sender).
    pub from: Address,
    /// The retry's destination.
    pub to: Address,
    /// The value the retry sends, held in escrow until then.
    pub callvalue: U256,
    /// Who may cancel it, and receives the escrow when it is cancelled.
    pub beneficiary: Address,
    /// The retry's calldata.
    pub data: Bytes,
    /// When it expires (the stored timeout plus the windows keepalives added).
    pub timeout: u64,
    /// How many redeems were scheduled for it.
    pub num_tries: u64,
}

/// The escrow account of ticket `id`: the last 20 bytes of
/// `keccak256("retryable escrow" ‖ id)`.
pub fn retryable_escrow_address(id: B256) -> Address {
    Address::from_word(keccak256([&b"retryable escrow"[..], id.as_slice()].concat()))
}

/// The submission fee of a ticket with `data_len` bytes of calldata:
/// `(1,400 + 6 × data_len) × l1_base_fee`.
pub fn submission_fee(data_len: usize, l1_base_fee: U256) -> U256 {
    l1_base_fee.saturating_mul(U256::from(1_400 + 6 * data_len as u64))
}

/// Whether ticket `id` is live at `now`: the stored timeout (a read), then the windows (a
/// second read) when the timeout alone has passed.
fn is_live(arbos: &mut Arbos<'_>, id: B256, now: u64) -> Result<bool, Fail> {
    let space = ticket_space(id);
    let timeout = arbos.get_u64(space.slot(TIMEOUT))?;
    if timeout == 0 {
        return Ok(false);
    }
    if timeout >= now {
        return Ok(true);
    }
    let windows = arbos.get_u64(space.slot(TIMEOUT_WINDOWS_LEFT))?;
    Ok(timeout.saturating_add(windows.saturating_mul(RETRYABLE_LIFETIME_SECONDS)) >= now)
}

/// The calldata's length (a read).
fn data_len(arbos: &mut Arbos<'_>, id: B256) -> Result<u64, Fail> {
    arbos.get_u64(ticket_space(id).sub(&[1]).slot(0))
}

/// `StorageBackedBytes.Get`.
fn read_data(arbos: &mut Arbos<'_>, id: B256) -> Result<Vec<u8>, Fail> {
    let space = ticket_space(id).sub(&[1]);
    let mut left = arbos.get_u64(space.slot(0))?;
    let mut out = Vec::new();
    let mut offset = 1;
    while left >= 32 {
        out.extend_from_slice(arbos.get(space.slot(offset))?.as_slice());
        left -= 32;
        offset += 1;
    }
    let last = arbos.get(space.slot(offset))?;
    out.extend_from_slice(&last[32 - usize::try_from(left).unwrap_or(32)..]);
    Ok(out)
}

/// `StorageBackedBytes.Set` on a fresh ticket.
fn write_data(arbos: &mut Arbos<'_>, id: B256, data: &[u8]) -> Result<(), Fail> {
    let space = ticket_space(id).sub(&[1]);
    arbos.set_u64(space.slot(0), data.len() as u64)?;
    let mut offset = 1;
    let mut rest = data;
    while rest.len() >= 32 {
        arbos.set(space.slot(offset), B256::from_slice(&rest[..32]))?;
        rest = &rest[32..];
        offset += 1;
    }
    let mut last = [0u8; 32];
    last[32 - rest.len()..].copy_from_slice(rest);
    arbos.set(space.slot(offset), B256::from(last))
}

/// Reads the whole ticket (no liveness check).
fn read_ticket(arbos: &mut Arbos<'_>, id: B256) -> Result<Ticket, Fail> {
    let space = ticket_space(id);
    let to = arbos.get(space.slot(TO))?;
    let timeout = arbos.get_u64(space.slot(TIMEOUT))?;
    let windows = arbos.get_u64(space.slot(TIMEOUT_WINDOWS_LEFT))?;
    Ok(Ticket {
        id,
        from: Address::from_word(arbos.get(space.slot(FROM))?),
        to: if to == nil_address() { Address::ZERO } else { Address::from_word(to) },
        callvalue: U256::from_be_bytes(arbos.get(space.slot(CALLVALUE))?.0),
        beneficiary: Address::from_word(arbos.get(space.slot(BENEFICIARY))?),
        data: read_data(arbos, id)?.into(),
        timeout: timeout.saturating_add(windows.saturating_mul(RETRYABLE_LIFETIME_SECONDS)),
        num_tries: arbos.get_u64(space.slot(NUM_TRIES))?,
    })
}

/// `DeleteRetryable`: pays the escrow to the beneficiary and clears the ticket.
fn delete_ticket(arbos: &mut Arbos<'_>, id: B256) -> Result<(), Fail> {
    let space = ticket_space(id);
    if arbos.get(space.slot(TIMEOUT))?.is_zero() {
        return Ok(());
    }
    let beneficiary = Address::from_word(arbos.get(space.slot(BENEFICIARY))?);
    let escrow = retryable_escrow_address(id);
    let amount = arbos.state.world.balance(escrow);
    arbos.state.transfer(escrow, beneficiary, amount);
    for offset in NUM_TRIES..=TIMEOUT_WINDOWS_LEFT {
        arbos.set(space.slot(offset), B256::ZERO)?;
    }
    let data = space.sub(&[1]);
    let mut left = arbos.get_u64(data.slot(0))?;
    let mut offset = 1;
    while left > 0 {
        arbos.set(data.slot(offset), B256::ZERO)?;
        offset += 1;
        left = left.saturating_sub(32);
    }
    arbos.set(data.slot(0), B256::ZERO)
}

/// The retry's transaction hash (an `ArbitrumRetryTx`).
#[allow(clippy::too_many_arguments)]
fn retry_tx_hash(
    chain_id: u64,
    nonce: u64,
    ticket: &Ticket,
    gas_fee_cap: U256,
    gas: u64,
    refund_to: Address,
    max_refund: U256,
    submission_fee_refund: U256,
) -> B256 {
    let mut fields = Vec::new();
    rlp::uint(&mut fields, U256::from(chain_id));
    rlp::uint(&mut fields, U256::from(nonce));
    rlp::bytes(&mut fields, ticket.from.as_slice());
    rlp::uint(&mut fields, gas_fee_cap);
    rlp::uint(&mut fields, U256::from(gas));
    rlp::address_or_nil(&mut fields, ticket.to);
    rlp::uint(&mut fields, ticket.callvalue);
    rlp::bytes(&mut fields, &ticket.data);
    rlp::bytes(&mut fields, ticket.id.as_slice());
    rlp::bytes(&mut fields, refund_to.as_slice());
    rlp::uint(&mut fields, max_refund);
    rlp::uint(&mut fields, submission_fee_refund);
    rlp::typed_hash(RETRY_TX_TYPE, &fields)
}

/// Runs a call to ArbRetryableTx.
pub(crate) fn run(exec: &mut Exec, msg: &Message) -> Outcome {
    let mut gas = Meter::new(msg.gas);
    let result = dispatch(exec, msg, &mut gas);
    finish(exec, gas, result)
}

fn no_ticket() -> Fail {
    Fail::Revert(NoTicketWithID {}.abi_encode())
}

fn dispatch(exec: &mut Exec, msg: &Message, gas: &mut Meter) -> Result<Vec<u8>, Fail> {
    use IArbRetryableTx as I;
    let input = &msg.input[..];
    let Some(sel) = input.get(..4) else { return Err(Fail::Refused) };
    let sel: [u8; 4] = sel.try_into().map_err(|_| Fail::Refused)?;
    let write = match sel {
        I::getLifetimeCall::SELECTOR
        | I::getTimeoutCall::SELECTOR
        | I::getBeneficiaryCall::SELECTOR
        | I::getCurrentRedeemerCall::SELECTOR => false,
        I::redeemCall::SELECTOR
        | I::keepaliveCall::SELECTOR
        | I::cancelCall::SELECTOR
        | I::submitRetryableCall::SELECTOR => true,
        _ => return Err(Fail::Refused),
    };
    if msg.address != ARB_RETRYABLE_TX || (write && msg.is_static) || !msg.value.is_zero() {
        return Err(Fail::Refused);
    }
    gas.burn(STORAGE_READ)?;
    gas.burn(COPY_GAS * super::words(input.len() - 4)).map_err(|_| Fail::Refused)?;
    let now = exec.env.timestamp;
    let current = exec.env.retry;
    let chain_id = exec.env.chain_id;
    let basefee = exec.env.basefee;
    let mut arbos = Arbos { state: &mut exec.state, gas: *gas };
    let result = (|| match sel {
        I::getLifetimeCall::SELECTOR => {
            Ok(I::getLifetimeCall::abi_encode_returns(&(U256::from(RETRYABLE_LIFETIME_SECONDS),)))
        }
        I::getCurrentRedeemerCall::SELECTOR => {
            let redeemer = current.map_or(Address::ZERO, |r| r.refund_to);
            Ok(I::getCurrentRedeemerCall::abi_encode_returns(&(redeemer,)))
        }
        I::getTimeoutCall::SELECTOR => {
            let id = getTimeoutCall::abi_decode(input, false).map_err(|_| Fail::Refused)?.ticketId;
            if !is_live(&mut arbos, id, now)? {
                return Err(no_ticket());
            }
            let space = ticket_space(id);
            let timeout = arbos.get_u64(space.slot(TIMEOUT))?;
            let windows = arbos.get_u64(space.slot(TIMEOUT_WINDOWS_LEFT))?;
            let timeout = timeout + windows * RETRYABLE_LIFETIME_SECONDS;
            Ok(getTimeoutCall::abi_encode_returns(&(U256::from(timeout),)))
        }
        I::getBeneficiaryCall::SELECTOR => {
            let id =
                getBeneficiaryCall::abi_decode(input, false).map_err(|_| Fail::Refused)?.ticketId;
            if !is_live(&mut arbos, id, now)? {
                return Err(no_ticket());
            }
            let beneficiary = Address::from_word(arbos.get(ticket_space(id).slot(BENEFICIARY))?);
            Ok(getBeneficiaryCall::abi_encode_returns(&(beneficiary,)))
        }
        I::keepaliveCall::SELECTOR => {
            let id = keepaliveCall::abi_decode(input, false).map_err(|_| Fail::Refused)?.ticketId;
            keepalive(&mut arbos, id, now)
        }
        I::cancelCall::SELECTOR => {
            let id = cancelCall::abi_decode(input, false).map_err(|_| Fail::Refused)?.ticketId;
            if current.is_some_and(|r| r.ticket == id) {
                return Err(Fail::Error);
            }
            if !is_live(&mut arbos, id, now)? {
                return Err(no_ticket());
            }
            let beneficiary = Address::from_word(arbos.get(ticket_space(id).slot(BENEFICIARY))?);
            if msg.caller != beneficiary {
                return Err(Fail::Error);
            }
            delete_ticket(&mut arbos, id)?;
            let log = Canceled { ticketId: id }.encode_log_data();
            arbos.emit(ARB_RETRYABLE_TX, log.topics().to_vec(), log.data.to_vec())?;
            Ok(Vec::new())
        }
        I::redeemCall::SELECTOR => {
            let id = redeemCall::abi_decode(input, false).map_err(|_| Fail::Refused)?.ticketId;
            if current.is_some_and(|r| r.ticket == id) {
                return Err(Fail::Error);
            }
            redeem(&mut arbos, id, now, chain_id, basefee, msg.caller)
        }
        _ => Err(Fail::Revert(NotCallable {}.abi_encode())),
    })();
    *gas = arbos.gas;
    result
}

/// The ticket's size in bytes as nitro prices it (`RetryableSizeBytes`): 0 when gone.
fn size_bytes(arbos: &mut Arbos<'_>, id: B256, now: u64) -> Result<u64, Fail> {
    if !is_live(arbos, id, now)? {
        return Ok(0);
    }
    let len = data_len(arbos, id)?;
    Ok(6 * 32 + 32 + 32 * len.div_ceil(32))
}

fn keepalive(arbos: &mut Arbos<'_>, id: B256, now: u64) -> Result<Vec<u8>, Fail> {
    let bytes = size_bytes(arbos, id, now)?;
    if bytes == 0 {
        return Err(no_ticket());
    }
    arbos.gas.burn(bytes.div_ceil(32) * STORAGE_WRITE / 100)?;
    if !is_live(arbos, id, now)? {
        return Err(no_ticket());
    }
    let space = ticket_space(id);
    let timeout = arbos.get_u64(space.slot(TIMEOUT))?;
    let windows = arbos.get_u64(space.slot(TIMEOUT_WINDOWS_LEFT))?;
    let timeout = timeout + windows * RETRYABLE_LIFETIME_SECONDS;
    if timeout > now + RETRYABLE_LIFETIME_SECONDS {
        return Err(Fail::Error);
    }
    // The timeout queue's new entry: its put offset (a read and a write) and the entry.
    arbos.gas.burn(STORAGE_READ + 2 * STORAGE_WRITE)?;
    let windows = arbos.get_u64(space.slot(TIMEOUT_WINDOWS_LEFT))?;
    arbos.set_u64(space.slot(TIMEOUT_WINDOWS_LEFT), windows + 1)?;
    let new_timeout = timeout + RETRYABLE_LIFETIME_SECONDS;
    arbos.gas.burn(RETRYABLE_REAP_PRICE)?;
    let event = LifetimeExtended { ticketId: id, newTimeout: U256::from(new_timeout) };
    let log = event.encode_log_data();
    arbos.emit(ARB_RETRYABLE_TX, log.topics().to_vec(), log.data.to_vec())?;
    Ok(keepaliveCall::abi_encode_returns(&(U256::from(new_timeout),)))
}

fn redeem(
    arbos: &mut Arbos<'_>,
    id: B256,
    now: u64,
    chain_id: u64,
    basefee: U256,
    caller: Address,
) -> Result<Vec<u8>, Fail> {
    let bytes = size_bytes(arbos, id, now)?;
    arbos.gas.burn(SLOAD_GAS * bytes.div_ceil(32))?;
    if !is_live(arbos, id, now)? {
        return Err(no_ticket());
    }
    let space = ticket_space(id);
    let tries = arbos.get_u64(space.slot(NUM_TRIES))?;
    arbos.set_u64(space.slot(NUM_TRIES), tries + 1)?;
    // MakeTx reads from, to, callvalue and the calldata.
    let from = Address::from_word(arbos.get(space.slot(FROM))?);
    let to = arbos.get(space.slot(TO))?;
    let callvalue = U256::from_be_bytes(arbos.get(space.slot(CALLVALUE))?.0);
    let data = read_data(arbos, id)?;
    let ticket = Ticket {
        id,
        from,
        to: if to == nil_address() { Address::ZERO } else { Address::from_word(to) },
        callvalue,
        beneficiary: Address::ZERO,
        data: data.into(),
        timeout: 0,
        num_tries: tries + 1,
    };
    let max_refund = U256::MAX;
    let event_cost = LOG_GAS + 4 * LOG_TOPIC_GAS + LOG_DATA_GAS * 4 * 32;
    let future = event_cost + COPY_GAS + BACKLOG_UPDATE_COST;
    if arbos.gas.left() < future {
        return arbos.gas.burn(future).map(|()| Vec::new());
    }
    let donated = arbos.gas.left() - future;
    if donated < TX_GAS {
        return Err(Fail::Error);
    }
    let hash =
        retry_tx_hash(chain_id, tries, &ticket, basefee, donated, caller, max_refund, U256::ZERO);
    let event = RedeemScheduled {
        ticketId: id,
        retryTxHash: hash,
        sequenceNum: tries,
        donatedGas: donated,
        gasDonor: caller,
        maxRefund: max_refund,
        submissionFeeRefund: U256::ZERO,
    };
    let log = event.encode_log_data();
    arbos.emit(ARB_RETRYABLE_TX, log.topics().to_vec(), log.data.to_vec())?;
    arbos.gas.burn(donated)?;
    arbos.gas.burn(BACKLOG_UPDATE_COST)?;
    Ok(redeemCall::abi_encode_returns(&(hash,)))
}

/// A retryable ticket submitted on L1 (`Inbox.createRetryableTicket`), as the relay hands it
/// to L2 (nitro's `ArbitrumSubmitRetryableTx`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryableSubmission {
    /// The L1 message's index, as a 32-byte word (nitro's `RequestId`).
    pub request_id: B256,
    /// The L2 sender: the L1 sender, aliased by the Inbox.
    pub from: Address,
    /// The destination on L2.
    pub to: Address,
    /// The value the retry sends.
    pub l2_call_value: U256,
    /// Wei the message brought from L1 (minted to `from`).
    pub deposit: U256,
    /// The most the submission may cost.
    pub max_submission_fee: U256,
    /// Receives the excess fees.
    pub excess_fee_refund_address: Address,
    /// The ticket's beneficiary: may cancel it and receives the call value if it is.
    pub call_value_refund_address: Address,
    /// Gas for the auto-redeem.
    pub gas_limit: u64,
    /// The fee cap per gas for the auto-redeem.
    pub max_fee_per_gas: U256,
    /// The retry's calldata.
    pub data: Bytes,
    /// L1's base fee when the message was sent (prices the submission).
    pub l1_base_fee: U256,
}

impl RetryableSubmission {
    /// The ticket id: the hash of the `ArbitrumSubmitRetryableTx` on chain `chain_id`.
    pub fn ticket_id(&self, chain_id: u64) -> B256 {
        let mut fields = Vec::new();
        rlp::uint(&mut fields, U256::from(chain_id));
        rlp::bytes(&mut fields, self.request_id.as_slice());
        rlp::bytes(&mut fields, self.from.as_slice());
        rlp::uint(&mut fields, self.l1_base_fee);
        rlp::uint(&mut fields, self.deposit);
        rlp::uint(&mut fields, self.max_fee_per_gas);
        rlp::uint(&mut fields, U256::from(self.gas_limit));
        rlp::address_or_nil(&mut fields, self.to);
        rlp::uint(&mut fields, self.l2_call_value);
        rlp::bytes(&mut fields, self.call_value_refund_address.as_slice());
        rlp::uint(&mut fields, self.max_submission_fee);
        rlp::bytes(&mut fields, self.excess_fee_refund_address.as_slice());
        rlp::bytes(&mut fields, &self.data);
        rlp::typed_hash(SUBMIT_RETRYABLE_TX_TYPE, &fields)
    }
}

/// What a submission did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryableResult {
    /// The ticket's id (also when the submission failed and no ticket exists).
    pub ticket_id: B256,
    /// The submission's receipt: `TicketCreated` and, when an auto-redeem was scheduled,
    /// `RedeemScheduled`; output the ticket id. Gas is not counted (`gas_used` 0).
    pub submission: Receipt,
    /// The auto-redeem's receipt, when one was scheduled.
    pub auto_redeem: Option<Receipt>,
}

/// `takeFunds`: takes up to `take` out of `pool`; what it took.
fn take_funds(pool: &mut U256, take: U256) -> U256 {
    let taken = take.min(*pool);
    *pool -= taken;
    taken
}

fn system_receipt(
    success: bool,
    status: Status,
    gas_limit: u64,
    output: Vec<u8>,
    logs: Vec<Log>,
) -> Receipt {
    Receipt {
        success,
        status,
        gas_used: 0,
        gas_limit,
        breakdown: GasBreakdown::default(),
        output: output.into(),
        logs,
        console: Vec::new(),
        calls: Vec::new(),
        contract_address: None,
        redeems: Vec::new(),
    }
}

impl Vm {
    /// Runs `f` on the state outside any transaction (ArbOS's own work), keeping its changes;
    /// its result and the logs it emitted.
    fn with_arbos<R>(&mut self, f: impl FnOnce(&mut Arbos<'_>) -> R) -> (R, Vec<Log>) {
        let mut state = State { world: std::mem::take(&mut self.world), sub: Substate::default() };
        let mut arbos = Arbos { state: &mut state, gas: Meter::free() };
        let result = f(&mut arbos);
        let logs = state.finish_transaction();
        self.world = state.world;
        (result, logs)
    }

    /// An ETH deposit from L1 (L1 message kind 12, nitro's `ArbitrumDepositTx`): `value` is
    /// minted to `from` (the L1 sender as the Inbox recorded it, aliased) and moved to `to`.
    /// Returns the deposit's transaction hash.
    pub fn deposit_eth(
        &mut self,
        request_id: B256,
        from: Address,
        to: Address,
        value: U256,
    ) -> B256 {
        self.with_arbos(|arbos| {
            let minted = arbos.state.world.balance(from).saturating_add(value);
            arbos.state.set_balance(from, minted);
            arbos.state.transfer(from, to, value);
        });
        let mut fields = Vec::new();
        rlp::uint(&mut fields, U256::from(self.env.chain_id));
        rlp::bytes(&mut fields, request_id.as_slice());
        rlp::bytes(&mut fields, from.as_slice());
        rlp::bytes(&mut fields, to.as_slice());
        rlp::uint(&mut fields, value);
        rlp::typed_hash(DEPOSIT_TX_TYPE, &fields)
    }

    /// `from` calls `ArbRetryableTx.redeem(ticketId)` with `gas`: a manual redeem, whose run
    /// of the ticket is in the receipt's `redeems`.
    pub fn redeem_ticket(&mut self, from: Address, ticket_id: B256, gas: u64) -> Receipt {
        let data = redeemCall { ticketId: ticket_id }.abi_encode();
        self.call_with_gas(from, ARB_RETRYABLE_TX, U256::ZERO, &data, gas)
    }

    /// A retryable ticket arriving from L1 (L1 message kind 9), run as ArbOS runs an
    /// `ArbitrumSubmitRetryableTx`, auto-redeem included (see [`crate::arbos::retryables`]).
    pub fn submit_retryable(&mut self, s: &RetryableSubmission) -> RetryableResult {
        let id = s.ticket_id(self.env.chain_id);
        let now = self.env.timestamp;
        let basefee = self.env.basefee;
        let chain_id = self.env.chain_id;
        let escrow = retryable_escrow_address(id);
        let fee = submission_fee(s.data.len(), s.l1_base_fee);
        let refund_to = s.excess_fee_refund_address;
        let ((error, scheduled), logs) = self.with_arbos(|arbos| {
            let mut available = s.deposit;
            take_funds(&mut available, s.l2_call_value);
            let minted = arbos.state.world.balance(s.from).saturating_add(s.deposit);
            arbos.state.set_balance(s.from, minted);
            if minted < s.max_submission_fee {
                let error = format!(
                    "insufficient funds for max submission fee: address {} have {minted} want {}",
                    s.from, s.max_submission_fee
                );
                return (Some(error), None);
            }
            if s.max_submission_fee < fee {
                let error = format!(
                    "max submission fee {} is less than the actual submission fee {fee}",
                    s.max_submission_fee
                );
                return (Some(error), None);
            }
            arbos.state.transfer(s.from, NETWORK_FEE_ACCOUNT, fee);
            let withheld_fee = take_funds(&mut available, fee);
            let excess = take_funds(&mut available, s.max_submission_fee - fee);
            arbos.state.transfer(s.from, refund_to, excess);
            if !arbos.state.transfer(s.from, escrow, s.l2_call_value) {
                arbos.state.transfer(NETWORK_FEE_ACCOUNT, s.from, fee);
                arbos.state.transfer(s.from, refund_to, withheld_fee);
                return (Some("insufficient funds for the call value".into()), None);
            }
            let space = ticket_space(id);
            let to = if s.to == Address::ZERO { nil_address() } else { s.to.into_word() };
            let writes = [
                (NUM_TRIES, B256::ZERO),
                (FROM, s.from.into_word()),
                (TO, to),
                (CALLVALUE, word(s.l2_call_value)),
                (BENEFICIARY, s.call_value_refund_address.into_word()),
                (TIMEOUT, word(U256::from(now + RETRYABLE_LIFETIME_SECONDS))),
                (TIMEOUT_WINDOWS_LEFT, B256::ZERO),
            ];
            for (offset, value) in writes {
                let _ = arbos.set(space.slot(offset), value);
            }
            let _ = write_data(arbos, id, &s.data);
            let log = TicketCreated { ticketId: id }.encode_log_data();
            let _ = arbos.emit(ARB_RETRYABLE_TX, log.topics().to_vec(), log.data.to_vec());

            let balance = arbos.state.world.balance(s.from);
            let max_gas_cost = s.max_fee_per_gas.saturating_mul(U256::from(s.gas_limit));
            if balance < max_gas_cost || s.gas_limit < TX_GAS || s.max_fee_per_gas < basefee {
                let refund = take_funds(&mut available, max_gas_cost);
                arbos.state.transfer(s.from, refund_to, refund);
                return (None, None);
            }
            let gas_cost = basefee.saturating_mul(U256::from(s.gas_limit));
            arbos.state.transfer(s.from, NETWORK_FEE_ACCOUNT, gas_cost);
            let withheld_gas = take_funds(&mut available, gas_cost);
            let price_refund =
                (s.max_fee_per_gas - basefee).saturating_mul(U256::from(s.gas_limit));
            let price_refund = take_funds(&mut available, price_refund);
            arbos.state.transfer(s.from, refund_to, price_refund);
            let max_refund = available + withheld_gas + withheld_fee;
            let Ok(ticket) = read_ticket(arbos, id) else { return (None, None) };
            let hash = retry_tx_hash(
                chain_id,
                0,
                &ticket,
                basefee,
                s.gas_limit,
                refund_to,
                max_refund,
                fee,
            );
            let _ = arbos.set_u64(space.slot(NUM_TRIES), 1);
            let event = RedeemScheduled {
                ticketId: id,
                retryTxHash: hash,
                sequenceNum: 0,
                donatedGas: s.gas_limit,
                gasDonor: refund_to,
                maxRefund: max_refund,
                submissionFeeRefund: fee,
            };
            let log = event.encode_log_data();
            let _ = arbos.emit(ARB_RETRYABLE_TX, log.topics().to_vec(), log.data.to_vec());
            (None, Some(event))
        });
        let submission = match error {
            Some(reason) => {
                system_receipt(false, Status::Failure(reason), s.gas_limit, Vec::new(), Vec::new())
            }
            None => system_receipt(true, Status::Success, s.gas_limit, id.to_vec(), logs),
        };
        let auto_redeem = scheduled.map(|event| self.run_retry(&event, true));
        RetryableResult { ticket_id: id, submission, auto_redeem }
    }

    /// The live ticket `id`, if any (expired tickets are gone).
    pub fn retryable(&mut self, id: B256) -> Option<Ticket> {
        let now = self.env.timestamp;
        let (ticket, _) = self.with_arbos(|arbos| {
            if !is_live(arbos, id, now).unwrap_or(false) {
                return None;
            }
            read_ticket(arbos, id).ok()
        });
        ticket
    }

    /// Runs the retries the transaction of `receipt` scheduled (its `RedeemScheduled` logs),
    /// each as its own transaction right after it, and attaches their receipts.
    pub(crate) fn run_scheduled_redeems(&mut self, mut receipt: Receipt) -> Receipt {
        let scheduled: Vec<_> = receipt
            .logs
            .iter()
            .filter(|log| log.address == ARB_RETRYABLE_TX)
            .filter_map(|log| RedeemScheduled::decode_log_data(&log.data, true).ok())
            .collect();
        for event in scheduled {
            let retry = self.run_retry(&event, false);
            receipt.redeems.push(retry);
        }
        receipt
    }

    /// One retry of a ticket (nitro's `ArbitrumRetryTx`, `StartTxHook` and `EndTxHook`).
    /// `prepaid`: its gas was paid into the network fee account by the submission, and the
    /// unused part and the submission fee are refunded from there.
    fn run_retry(&mut self, event: &RedeemScheduled, prepaid: bool) -> Receipt {
        let id = event.ticketId;
        let now = self.env.timestamp;
        let gas = event.donatedGas;
        let (ticket, _) = self.with_arbos(|arbos| {
            if !is_live(arbos, id, now).unwrap_or(false) {
                return None;
            }
            read_ticket(arbos, id).ok()
        });
        let Some(ticket) = ticket else {
            let reason = format!("retryable with ticketId: {id} not found");
            return system_receipt(false, Status::Invalid(reason), gas, Vec::new(), Vec::new());
        };
        let escrow = retryable_escrow_address(id);
        self.with_arbos(|arbos| arbos.state.transfer(escrow, ticket.from, ticket.callvalue));
        let context = RetryContext { ticket: id, refund_to: event.gasDonor };
        let previous = self.env.retry.replace(context);
        let receipt =
            self.call_with_gas(ticket.from, ticket.to, ticket.callvalue, &ticket.data, gas);
        self.env.retry = previous;
        let gas_left = gas.saturating_sub(receipt.gas_used);
        let gas_used = gas - gas_left;
        let basefee = self.env.basefee;
        let success = receipt.success;
        self.with_arbos(|arbos| {
            if prepaid {
                let mut max_refund = event.maxRefund;
                let refund = |arbos: &mut Arbos<'_>, max_refund: &mut U256, amount: U256| {
                    let to_refund_address = take_funds(max_refund, amount);
                    arbos.state.transfer(NETWORK_FEE_ACCOUNT, event.gasDonor, to_refund_address);
                    let rest = amount - to_refund_address;
                    arbos.state.transfer(NETWORK_FEE_ACCOUNT, ticket.from, rest);
                };
                if success {
                    refund(arbos, &mut max_refund, event.submissionFeeRefund);
                } else {
                    take_funds(&mut max_refund, event.submissionFeeRefund);
                }
                take_funds(&mut max_refund, basefee.saturating_mul(U256::from(gas_used)));
                refund(arbos, &mut max_refund, basefee.saturating_mul(U256::from(gas_left)));
            }
            if success {
                let _ = delete_ticket(arbos, id);
            } else {
                arbos.state.transfer(ticket.from, escrow, ticket.callvalue);
            }
        });
        receipt
    }
}

/// The few RLP encodings nitro's transaction hashes need.
mod rlp {
    use alloy_primitives::{keccak256, Address, B256, U256};

    fn length(out: &mut Vec<u8>, offset: u8, len: usize) {
        if len < 56 {
            out.push(offset + u8::try_from(len).unwrap_or(0));
        } else {
            let be = (len as u64).to_be_bytes();
            let skip = be.iter().take_while(|b| **b == 0).count();
            out.push(offset + 55 + u8::try_from(8 - skip).unwrap_or(0));
            out.extend_from_slice(&be[skip..]);
        }
    }

    /// A byte string.
    pub(super) fn bytes(out: &mut Vec<u8>, data: &[u8]) {
        if data.len() == 1 && data[0] < 0x80 {
            out.push(data[0]);
        } else {
            length(out, 0x80, data.len());
            out.extend_from_slice(data);
        }
    }

    /// An unsigned integer (big-endian, no leading zeros; zero is the empty string).
    pub(super) fn uint(out: &mut Vec<u8>, x: U256) {
        let be = x.to_be_bytes::<32>();
        let skip = be.iter().take_while(|b| **b == 0).count();
        bytes(out, &be[skip..]);
    }

    /// An optional address (`rlp:"nil"`): the zero address encodes as nil, the empty string.
    pub(super) fn address_or_nil(out: &mut Vec<u8>, a: Address) {
        if a == Address::ZERO {
            bytes(out, &[]);
        } else {
            bytes(out, a.as_slice());
        }
    }

    /// A list of already-encoded items.
    pub(super) fn list(items: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(items.len() + 9);
        length(&mut out, 0xc0, items.len());
        out.extend_from_slice(items);
        out
    }

    /// A typed transaction's hash: `keccak256(type ‖ rlp(fields))`.
    pub(super) fn typed_hash(kind: u8, fields: &[u8]) -> B256 {
        keccak256([&[kind][..], &list(fields)].concat())
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn encodings_match_the_rlp_specification_examples() {
            let mut out = Vec::new();
            bytes(&mut out, b"dog");
            assert_eq!(out, [0x83, b'd', b'o', b'g']);
            let mut items = Vec::new();
            bytes(&mut items, b"cat");
            bytes(&mut items, b"dog");
            assert_eq!(list(&items), [0xc8, 0x83, b'c', b'a', b't', 0x83, b'd', b'o', b'g']);
            let mut zero = Vec::new();
            uint(&mut zero, U256::ZERO);
            assert_eq!(zero, [0x80]);
            let mut n = Vec::new();
            uint(&mut n, U256::from(1024));
            assert_eq!(n, [0x82, 0x04, 0x00]);
            let mut small = Vec::new();
            uint(&mut small, U256::from(15));
            assert_eq!(small, [0x0f]);
            let lorem = b"Lorem ipsum dolor sit amet, consectetur adipisicing elit";
            let mut long = Vec::new();
            bytes(&mut long, lorem);
            assert_eq!(&long[..2], &[0xb8, 0x38]);
            assert_eq!(&long[2..], lorem);
            assert_eq!(list(&[]), [0xc0]);
        }
    }
}
