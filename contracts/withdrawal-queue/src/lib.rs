//! # WithdrawalQueue
//!
//! Exits from the staking pool, stETH-withdrawal-queue style: a holder hands receipt tokens
//! (as shares) to the queue and gets one ERC-721 NFT per request; the pool, when it applies an
//! oracle report, finalizes a FIFO batch of requests at the report's share rate and sends the
//! ether owed; each NFT's owner then claims its ether, which burns the NFT. Redemption is never
//! instant: a request waits for a report and at least the minimum finalization delay.
//!
//! ## Who calls it
//!
//! - Holders, wallets, integrators: `requestWithdrawals`, `requestWithdrawalsSplit`, the
//!   ERC-721 surface, `claimWithdrawal(s)(To)`, the views.
//! - The pool, and only the pool (while it applies an oracle report): `finalize` with the
//!   ether, `setBunkerMode`. Finalization thus only ever comes with a report: at the report's
//!   share rate, which the pool has checked against its own accounting, with the finalized
//!   requests' shares burned (or moved to the pool's own balance for later reports to burn)
//!   in the same transaction. Anyone else gets `NotPool(caller)`; no role can finalize.
//! - `PAUSE_ROLE` / `RESUME_ROLE`: `pause` / `resume` (kept apart). Pausing stops requests and
//!   finalization; claims of finalized requests and NFT transfers keep working.
//! - `WITHDRAWAL_CONFIG_ROLE`: request bounds, minimum finalization delay, base URI.
//! - The StylusDeployer, once, in the deploying transaction: the constructor
//!   (`constructor(pool, accessManager, extension)`); there is no `initialize`.
//! - `UPGRADE_ROLE`, behind the AccessManager's delay: `upgradeExtension` (the extension
//!   program, `staking_common::upgrade`).
//!
//! ## Storage (see [`storage`] for the bit layout of each packed word)
//!
//! One line per `#[storage]` field (`slot N  field  what`), checked against the real layout
//! by `tests::layout`:
//!
//! ```text
//! slot 0   queue           word queue: cum_ether u96 | cum_shares u96 | last_request_id u32
//!                          | flags u8 | max_rate u24
//! slot 1   config          word config: pool address | min_request u48 (wei)
//!                          | max_request u48 (gwei)
//! slot 2   fin             word final: last_finalized u32 | checkpoints u32 | min_delay u32
//!                          | locked u88 | latest nominal u8 | owners u32 | latest first id u32
//! slot 3   access_manager  address
//! slot 4   requests        mapping(uint256 id => word request: cum_ether u96 | cum_shares u96
//!                          | owner index u32 | timestamp u32)
//! slot 5   checkpoints     mapping(uint256 index (1-based) => word checkpoint: first_id u32
//!                          | max_share_rate u96)
//! slot 6   owners          mapping(address => word owner: owner index u32 | NFT balance u32)
//! slot 7   owner_by_index  mapping(uint256 index => address)
//! slot 8   token_approvals mapping(uint256 id => address)
//! slot 9   operators       mapping(address owner => mapping(address operator => bool))
//! slot 10  base_uri        string
//! slot 11  extension       address (the extension program; constructor, upgradeExtension)
//! ```
//!
//! Besides the table, the SDK's constructor guard word at `keccak256("stylus_constructor")`
//! is set once, by the constructor (`staking_common::upgrade`).
//!
//! A request writes one fresh slot (its record, 22,100 gas) and rewrites slot 0 and its
//! owner's entry; it reads slot 1. Its owner lives in the record as a 4-byte index instead of
//! a 20-byte address, which is what lets the whole record fit one slot (see [`erc721`]).
//!
//! ## Invariants
//!
//! - Ids are 1, 2, 3, ... with no gaps; `cum_ether` and `cum_shares` strictly increase with the
//!   id; timestamps never decrease. Requests `1..=last_finalized` are finalized, in order.
//! - `locked` = sum of the payouts of finalized, unclaimed requests, and the queue's ether
//!   balance >= `locked` (finalization takes exactly the payouts in `msg.value`, each claim pays
//!   exactly its payout out of `locked`).
//! - A request is claimed at most once (its owner index becomes 0, and it stays 0: a burned
//!   token cannot be transferred), and only once finalized.
//! - A request is never paid more than the ether it requested.
//! - The NFT balances add up to the number of unclaimed requests.
//!
//! ## Rounding
//!
//! - Shares taken for a request: the pool's `ceil(amount / rate)` (the holder gives at least
//!   what it asks for), split over the amounts of one call by rounding the running total up.
//! - Payout: `min(ether, floor(shares * maxShareRate / 1e27))`: down, in the pool's favour.
//! - The `max_rate` bound: up (it may only make `finalize` walk a batch it need not).
//!
//! ## Libraries versus gas
//!
//! The ERC-721 is written over the request records (see [`erc721`] for why and how it matches
//! OpenZeppelin's). The paused and bunker flags share slot 0, which every request writes anyway,
//! instead of OpenZeppelin `Pausable`'s slot of their own.
#![cfg_attr(not(any(test, feature = "export-abi")), no_main)]
#![cfg_attr(not(any(test, feature = "export-abi")), no_std)]
#![cfg_attr(any(target_arch = "wasm32", feature = "export-abi"), allow(missing_docs))]

extern crate alloc;

use alloc::{string::String, vec, vec::Vec};

use alloy_primitives::{Address, B256, U256};
use interface::calls;
use staking_common::{
    host,
    roles::{PAUSE_ROLE, RESUME_ROLE, WITHDRAWAL_CONFIG_ROLE},
    upgrade,
};
use stylus_sdk::{
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageMap, StorageString, StorageU256},
};

mod access;
mod claims;
pub mod erc721;
pub mod errors;
pub mod events;
pub mod finalization;
mod lido_requests;
mod requests;
pub mod storage;
pub mod views;

// The interface declared once, in `abi/IWithdrawalQueue.sol`: `abi` (alloy's types),
// `interface` (errors, event loggers, calldata encoders, the function table) and the router
// (core and extension programs), generated at compile time.
staking_interface::interface!(WithdrawalQueue, "abi/IWithdrawalQueue.sol");

use errors::{
    AlreadyInitialized, AlreadyPaused, Error, InvalidAddress, InvalidBatches, InvalidRequestBounds,
    MathOverflow, NotPaused,
};
use storage::{Config, Final, Queue, FLAG_BUNKER, FLAG_INITIALIZED, FLAG_PAUSED, GWEI};

/// The id the queue's extension program answers to `extensionId()`: the storage layout it
/// runs on (`staking_common::upgrade`).
pub const EXTENSION_ID: B256 = upgrade::extension_id(b"withdrawal-queue.extension.v1");

/// NFT name.
pub const NAME: &str = "sETH Withdrawal NFT";
/// NFT symbol.
pub const SYMBOL: &str = "unsETH";
/// Default smallest request: 100 wei (Lido's).
pub const DEFAULT_MIN_REQUEST: u64 = 100;
/// Default largest request: 1,000 ether (Lido's), in gwei.
pub const DEFAULT_MAX_REQUEST_GWEI: u64 = 1_000_000_000_000;
/// Default minimum age of a request before finalization: 7,680 s (Lido's).
pub const DEFAULT_MIN_DELAY: u32 = 7_680;

/// The withdrawal queue and its NFTs.
#[entrypoint]
#[storage]
pub struct WithdrawalQueue {
    /// Slot 0: [`Queue`].
    pub(crate) queue: StorageU256,
    /// Slot 1: [`Config`].
    pub(crate) config: StorageU256,
    /// Slot 2: [`Final`].
    pub(crate) fin: StorageU256,
    /// Slot 3: the AccessManager asked on privileged paths.
    pub(crate) access_manager: StorageAddress,
    /// Slot 4: request records ([`storage::Request`]).
    pub(crate) requests: StorageMap<U256, StorageU256>,
    /// Slot 5: checkpoints ([`storage::Checkpoint`]), 1-based.
    pub(crate) checkpoints: StorageMap<U256, StorageU256>,
    /// Slot 6: NFT owners' entries ([`storage::Owner`]).
    pub(crate) owners: StorageMap<Address, StorageU256>,
    /// Slot 7: owner index => address.
    pub(crate) owner_by_index: StorageMap<U256, StorageAddress>,
    /// Slot 8: ERC-721 approval of one token.
    pub(crate) token_approvals: StorageMap<U256, StorageAddress>,
    /// Slot 9: ERC-721 operators.
    pub(crate) operators: StorageMap<Address, StorageMap<Address, StorageBool>>,
    /// Slot 10: base of `tokenURI`.
    pub(crate) base_uri: StorageString,
    /// Slot 11: the extension program (see the module doc): set by the constructor, replaced
    /// only by `upgradeExtension` (`staking_common::upgrade`).
    pub(crate) extension: StorageAddress,
}

impl WithdrawalQueue {
    // ------------------------------------------------------------------ setup

    /// The constructor (run once, by the StylusDeployer in the deploying transaction: see
    /// `staking_common::upgrade`): sets the pool, the AccessManager and the extension program,
    /// with Lido's defaults: requests of 100 wei to 1,000 ether, 7,680 s before a request can
    /// be finalized.
    ///
    /// # Errors
    /// `AlreadyInitialized` (any run after the first: the SDK's guard word), `InvalidAddress`
    /// (a zero address), `InvalidExtension(extension)` (it does not answer `extensionId()`
    /// with [`EXTENSION_ID`]).
    /// # Events
    /// `Initialized(pool, accessManager, extension)`.
    /// # Access
    /// The deploying transaction only (there is no `initialize` selector).
    pub fn constructor(
        &mut self,
        pool: Address,
        access_manager: Address,
        extension: Address,
    ) -> Result<(), Error> {
        if upgrade::constructed(self.__stylus_host.clone()) {
            return Err(Error::AlreadyInitialized(AlreadyInitialized {}));
        }
        let mut queue = Queue::unpack(self.queue.get());
        if pool.is_zero() || access_manager.is_zero() {
            return Err(Error::InvalidAddress(InvalidAddress {}));
        }
        if !upgrade::answers_delegated(extension, EXTENSION_ID) {
            return Err(Error::InvalidExtension(errors::InvalidExtension { extension }));
        }
        queue.set(FLAG_INITIALIZED, true);
        self.queue.set(queue.pack()?);
        let config = Config {
            pool,
            min_request: DEFAULT_MIN_REQUEST,
            max_request_gwei: DEFAULT_MAX_REQUEST_GWEI,
        };
        self.config.set(config.pack()?);
        let mut fin = Final::unpack(self.fin.get());
        fin.min_delay = DEFAULT_MIN_DELAY;
        self.fin.set(fin.pack()?);
        self.access_manager.set(access_manager);
        self.extension.set(extension);
        events::emit::Initialized(pool, access_manager, extension);
        upgrade::mark_constructed(self.__stylus_host.clone());
        Ok(())
    }

    // ------------------------------------------------------------------ requests

    /// Moves `sum(amounts)` of the caller's tokens into the queue (through the pool, spending
    /// the caller's allowance for the queue) and creates one request per amount, each an NFT
    /// minted to `owner` (the caller if zero). Returns the ids.
    ///
    /// # Errors
    /// `EmptyRequest`, `NotInitialized`, `QueuePaused`, `RequestAmountTooSmall`,
    /// `RequestAmountTooLarge`, the pool's `ERC20InsufficientAllowance` /
    /// `ERC20InsufficientBalance` / `TokenIsPaused`, `MathOverflow`, `ReentrantCall`.
    /// # Events
    /// Per request: `WithdrawalRequested(id, requestor, owner, amountOfStETH, amountOfShares)`,
    /// `Transfer(0, owner, id)`; the pool's `Transfer` and `TransferShares`.
    /// # Access
    /// Any holder.
    pub fn request_withdrawals(
        &mut self,
        amounts: &[U256],
        owner: Address,
    ) -> Result<Vec<U256>, Error> {
        self.request(amounts, owner)
    }

    /// Requests `total` as the fewest requests within the bounds (all the maximum but the last;
    /// a last one below the minimum borrows from the one before), at most 1,000 of them
    /// (`requests::MAX_SPLIT_REQUESTS`). Returns the ids.
    ///
    /// # Errors
    /// As `requestWithdrawals`; `RequestAmountTooLarge(total, 1,000 x the maximum request)`
    /// when `total` needs more than 1,000 requests.
    /// # Events
    /// As `requestWithdrawals`.
    /// # Access
    /// Any holder.
    pub fn request_withdrawals_split(
        &mut self,
        total: U256,
        owner: Address,
    ) -> Result<Vec<U256>, Error> {
        let amounts = self.split(total)?;
        self.request(&amounts, owner)
    }

    /// Lido's `requestWithdrawalsWithPermit(amounts, owner, permit)` (its arguments as sent,
    /// `@custom:raw`): the pool's `permit(caller, queue, value, deadline, v, r, s)`, then the
    /// caller's `requestWithdrawals(amounts, owner)`, run by the core's own code (a
    /// `DELEGATECALL` to the queue). A permit that fails (front-run: already used; expired; a
    /// bad signature) is ignored, and the request goes on when the caller's allowance for the
    /// queue covers `sum(amounts)` (see [`lido_requests`]). Returns the ids.
    ///
    /// # Errors
    /// As `requestWithdrawals`: the pool's `ERC20InsufficientAllowance` when the permit failed
    /// and the allowance falls short; `ReentrantCall`; empty revert data for arguments that do
    /// not decode.
    /// # Events
    /// As `requestWithdrawals`; the pool's `Approval` when the permit takes.
    /// # Access
    /// Any holder (the permit's signer).
    pub fn request_withdrawals_with_permit(
        &mut self,
        args: &[u8],
    ) -> Option<stylus_sdk::ArbResult> {
        Some(self.request_with_permit(args, false))
    }

    /// Lido's `requestWithdrawalsWstETH`: moves `sum(amounts)` of the caller's wrapped tokens
    /// (`pool.wrappedToken()`) into the queue (`transferFrom`, spending the caller's allowance for
    /// the queue), unwraps them into as many shares and creates one request per amount, each
    /// an NFT minted to `owner` (the caller if zero): `amountOfShares` the amount,
    /// `amountOfStETH` its part of the unwrapped ether, the parts adding up to it exactly (see
    /// [`lido_requests`]). Returns the ids.
    ///
    /// # Errors
    /// `EmptyRequest`, `NotInitialized`, `QueuePaused`, `RequestAmountTooSmall` (a zero amount,
    /// or a request's ether below the minimum), `RequestAmountTooLarge` (a request's ether above
    /// the maximum), `InvalidAddress` (the pool names no wrapped token), the wrapped token's `ERC20InsufficientAllowance` /
    /// `ERC20InsufficientBalance` and the pool's `TokenIsPaused`, `MathOverflow`,
    /// `ReentrantCall`.
    /// # Events
    /// Per request: `WithdrawalRequested(id, requestor, owner, amountOfStETH, amountOfShares)`,
    /// `Transfer(0, owner, id)`; the wrapped token's `Transfer`s and the pool's `Transfer` and
    /// `TransferShares` to the queue.
    /// # Access
    /// Any holder of the wrapped token.
    pub fn request_withdrawals_wst_eth(
        &mut self,
        amounts: &[U256],
        owner: Address,
    ) -> Result<Vec<U256>, Error> {
        self.request_wrapped(amounts, owner)
    }

    /// Lido's `requestWithdrawalsWstETHWithPermit(amounts, owner, permit)` (its arguments as
    /// sent, `@custom:raw`): the wrapped token's `permit(caller, queue, value, deadline, v, r,
    /// s)` (a failure ignored, as in `requestWithdrawalsWithPermit`), then the caller's
    /// `requestWithdrawalsWstETH(amounts, owner)` (a `DELEGATECALL` to the queue). Returns the
    /// ids.
    ///
    /// # Errors
    /// As `requestWithdrawalsWstETH`: the wrapped token's `ERC20InsufficientAllowance` when the
    /// permit failed and the allowance falls short; empty revert data for arguments that do
    /// not decode.
    /// # Events
    /// As `requestWithdrawalsWstETH`; the wrapped token's `Approval` when the permit takes.
    /// # Access
    /// Any holder of the wrapped token (the permit's signer).
    pub fn request_withdrawals_wst_eth_with_permit(
        &mut self,
        args: &[u8],
    ) -> Option<stylus_sdk::ArbResult> {
        Some(self.request_with_permit(args, true))
    }

    // ------------------------------------------------------------------ finalization

    /// Finalizes requests up to `lastIdToFinalize` at `maxShareRate` (1e27 precision):
    /// `msg.value` must be exactly what they are owed (`prefinalize` says how much), which is
    /// locked for their claims.
    ///
    /// # Errors
    /// `NotInitialized`, `QueuePaused`, `InvalidShareRate`, `InvalidFinalizationId`,
    /// `RequestTooRecent`, `BunkerModeRateAboveReport`, `WrongFinalizationAmount`,
    /// `NotPool`, `MathOverflow`.
    /// # Events
    /// `WithdrawalsFinalized(from, to, amountOfETHLocked, sharesToBurn, maxShareRate,
    /// timestamp)`, `BatchMetadataUpdate(from, to)`.
    /// # Access
    /// The pool only, inside `handleOracleReport`: the rate is the report's, checked by the
    /// pool against its accounting, and the pool burns the batch's shares in the same call.
    pub fn finalize(
        &mut self,
        last_id_to_finalize: U256,
        max_share_rate: U256,
    ) -> Result<(), Error> {
        self.only_pool()?;
        self.finalize_batch(last_id_to_finalize, max_share_rate)
    }

    /// The ether to lock and the shares to burn for finalizing through the last of `batches`
    /// at `maxShareRate`, computed exactly as `finalize` will. `batches` are the increasing ends
    /// of the ranges the report processor considers (Lido's interface); each must be
    /// unfinalized and exist.
    ///
    /// # Errors
    /// `InvalidBatches`, `InvalidShareRate`, `BunkerModeRateAboveReport`.
    pub fn prefinalize(
        &self,
        batches: &[U256],
        max_share_rate: U256,
    ) -> Result<(U256, U256), Error> {
        let queue = Queue::unpack(self.queue.get());
        let fin = Final::unpack(self.fin.get());
        let mut prev = U256::from(fin.last_finalized);
        for &end in batches {
            if end <= prev || end > U256::from(queue.last_request_id) {
                return Err(Error::InvalidBatches(InvalidBatches {}));
            }
            prev = end;
        }
        let Some(&last) = batches.last() else {
            return Err(Error::InvalidBatches(InvalidBatches {}));
        };
        let rate = views::rate_arg(max_share_rate)?;
        let last = Self::check_finalizable(&queue, &fin, last)?;
        let batch = self.batch(&queue, &fin, last, rate)?;
        Ok((U256::from(batch.ether), U256::from(batch.shares)))
    }

    /// Switches bunker mode: while on, `finalize` refuses a batch with a request above the
    /// report's share rate.
    ///
    /// # Errors
    /// `NotPool`, `MathOverflow`.
    /// # Events
    /// `BunkerModeSet(active)` when it changes.
    /// # Access
    /// The pool only, inside `handleOracleReport`.
    pub fn set_bunker_mode(&mut self, active: bool) -> Result<(), Error> {
        self.only_pool()?;
        let mut queue = Queue::unpack(self.queue.get());
        if queue.has(FLAG_BUNKER) != active {
            queue.set(FLAG_BUNKER, active);
            self.queue.set(queue.pack()?);
            events::emit::BunkerModeSet(active);
        }
        Ok(())
    }

    // ------------------------------------------------------------------ claims

    /// Claims finalized request `requestId` for the caller (its NFT's owner, approved address
    /// or operator) and sends its ether to the caller; finds the checkpoint itself.
    ///
    /// # Errors
    /// `InvalidRequestId`, `RequestNotFinalized`, `RequestAlreadyClaimed`,
    /// `NotOwnerOrApproved`, `EtherTransferFailed`, `ReentrantCall`.
    /// # Events
    /// `WithdrawalClaimed(id, owner, receiver, amountOfETH)`, `Transfer(owner, 0, id)`.
    /// # Access
    /// The NFT's owner, approved address or operator.
    pub fn claim_withdrawal(&mut self, request_id: U256) -> Result<(), Error> {
        let caller = host::sender();
        self.claim(caller, &[request_id], &[], caller)
    }

    /// Claims `requestIds` with their checkpoint `hints` (`findCheckpointHints`) and sends the
    /// total to the caller in one transfer.
    ///
    /// # Errors
    /// As `claimWithdrawal`, plus `EmptyRequest`, `ArrayLengthMismatch`, `InvalidHint`.
    /// # Events
    /// As `claimWithdrawal`, per request.
    /// # Access
    /// The NFTs' owner, approved address or operator.
    pub fn claim_withdrawals(&mut self, request_ids: &[U256], hints: &[U256]) -> Result<(), Error> {
        let caller = host::sender();
        if hints.len() != request_ids.len() {
            return Err(views::length_mismatch(request_ids, hints));
        }
        self.claim(caller, request_ids, hints, caller)
    }

    /// As `claimWithdrawals`, sending the ether to `recipient`.
    ///
    /// # Errors
    /// As `claimWithdrawals`, plus `InvalidRecipient` (zero).
    /// # Events
    /// As `claimWithdrawal`, per request.
    /// # Access
    /// The NFTs' owner, approved address or operator.
    pub fn claim_withdrawals_to(
        &mut self,
        request_ids: &[U256],
        hints: &[U256],
        recipient: Address,
    ) -> Result<(), Error> {
        let caller = host::sender();
        if hints.len() != request_ids.len() {
            return Err(views::length_mismatch(request_ids, hints));
        }
        self.claim(caller, request_ids, hints, recipient)
    }

    // ------------------------------------------------------------------ ERC-721

    /// NFT name.
    pub fn name(&self) -> String {
        String::from(NAME)
    }

    /// NFT symbol.
    pub fn symbol(&self) -> String {
        String::from(SYMBOL)
    }

    /// `baseURI ‖ decimal id`, or empty while no base URI is set.
    ///
    /// # Errors
    /// `ERC721NonexistentToken`.
    pub fn token_uri(&self, token_id: U256) -> Result<String, Error> {
        self.token(token_id)?;
        let base = self.base_uri.get_string();
        if base.is_empty() {
            return Ok(base);
        }
        // `token` accepted the id, so it fits u32.
        Ok(views::with_decimal(base, u32::try_from(token_id).unwrap_or(0)))
    }

    /// NFTs held by `owner`.
    ///
    /// # Errors
    /// `ERC721InvalidOwner` (zero).
    pub fn balance_of(&self, owner: Address) -> Result<U256, Error> {
        self.nft_balance(owner)
    }

    /// Owner of NFT `tokenId`.
    ///
    /// # Errors
    /// `ERC721NonexistentToken` (never minted, or claimed).
    pub fn owner_of(&self, token_id: U256) -> Result<Address, Error> {
        Ok(self.token(token_id)?.1)
    }

    /// Approved address of `tokenId` (zero if none).
    ///
    /// # Errors
    /// `ERC721NonexistentToken`.
    pub fn get_approved(&self, token_id: U256) -> Result<Address, Error> {
        self.token(token_id)?;
        Ok(self.token_approvals.get(token_id))
    }

    /// Whether `operator` may move all of `owner`'s NFTs.
    pub fn is_approved_for_all(&self, owner: Address, operator: Address) -> bool {
        self.operators.getter(owner).get(operator)
    }

    /// Approves `to` for `tokenId` (zero clears).
    ///
    /// # Errors
    /// `ERC721NonexistentToken`, `ERC721InvalidApprover` (neither owner nor operator).
    /// # Events
    /// `Approval(owner, to, tokenId)`.
    /// # Access
    /// The owner or one of its operators.
    pub fn approve(&mut self, to: Address, token_id: U256) -> Result<(), Error> {
        self.approve_token(host::sender(), to, token_id)
    }

    /// Lets `operator` move (and claim) all the caller's NFTs, or stops it.
    ///
    /// # Errors
    /// `ERC721InvalidOperator` (zero).
    /// # Events
    /// `ApprovalForAll(owner, operator, approved)`.
    /// # Access
    /// Anyone, for its own NFTs.
    pub fn set_approval_for_all(&mut self, operator: Address, approved: bool) -> Result<(), Error> {
        self.set_operator(host::sender(), operator, approved)
    }

    /// Moves NFT `tokenId` (and the claim) from `from` to `to`.
    ///
    /// # Errors
    /// `ERC721InvalidReceiver` (zero), `ERC721NonexistentToken`, `ERC721InsufficientApproval`,
    /// `ERC721IncorrectOwner`.
    /// # Events
    /// `Transfer(from, to, tokenId)`.
    /// # Access
    /// The owner, its operator or the token's approved address.
    pub fn transfer_from(
        &mut self,
        from: Address,
        to: Address,
        token_id: U256,
    ) -> Result<(), Error> {
        self.transfer_token(host::sender(), from, to, token_id)
    }

    /// `transferFrom`, then a contract receiver must accept with `onERC721Received`.
    ///
    /// # Errors
    /// As `transferFrom`; `ERC721InvalidReceiver` if a contract does not accept.
    /// # Events
    /// `Transfer(from, to, tokenId)`.
    /// # Access
    /// As `transferFrom`.
    pub fn safe_transfer_from(
        &mut self,
        from: Address,
        to: Address,
        token_id: U256,
    ) -> Result<(), Error> {
        let caller = host::sender();
        self.transfer_token(caller, from, to, token_id)?;
        Self::check_received(caller, from, to, token_id, &[])
    }

    /// `safeTransferFrom` with `data` for the receiver.
    ///
    /// # Errors
    /// As `safeTransferFrom`.
    /// # Events
    /// `Transfer(from, to, tokenId)`.
    /// # Access
    /// As `transferFrom`.
    pub fn safe_transfer_from_with_data(
        &mut self,
        from: Address,
        to: Address,
        token_id: U256,
        data: &[u8],
    ) -> Result<(), Error> {
        let caller = host::sender();
        self.transfer_token(caller, from, to, token_id)?;
        Self::check_received(caller, from, to, token_id, data)
    }

    /// ERC-165: ERC-165, ERC-721, ERC-721 metadata and ERC-4906.
    pub fn supports_interface(&self, interface_id: [u8; 4]) -> bool {
        erc721::INTERFACES.contains(&interface_id)
    }

    // ------------------------------------------------------------------ views

    /// The unclaimed requests (NFTs) `owner` holds, in id order. Scans from the newest id and
    /// stops once it has found `balanceOf(owner)` of them; for an off-chain call.
    pub fn get_withdrawal_requests(&self, owner: Address) -> Vec<U256> {
        self.requests_of(owner)
    }

    /// Per id: `(amountOfStETH, amountOfShares, owner, timestamp, isFinalized, isClaimed)`;
    /// a claimed request shows zero amounts and owner (the NFT is burned, and its totals may
    /// be pruned once the next request is claimed).
    ///
    /// # Errors
    /// `InvalidRequestId`.
    pub fn get_withdrawal_status(&self, request_ids: &[U256]) -> Result<Vec<views::Status>, Error> {
        self.statuses(request_ids)
    }

    /// Per id, the ether its owner can claim now (0 if unfinalized or claimed).
    ///
    /// # Errors
    /// `ArrayLengthMismatch`, `InvalidRequestId`, `InvalidHint`.
    pub fn get_claimable_ether(
        &self,
        request_ids: &[U256],
        hints: &[U256],
    ) -> Result<Vec<U256>, Error> {
        self.claimable(request_ids, hints)
    }

    /// Per id (ids increasing), the checkpoint covering it within `firstIndex..=lastIndex`, or
    /// 0 if none does (not finalized, or outside the range).
    pub fn find_checkpoint_hints(
        &self,
        request_ids: &[U256],
        first_index: U256,
        last_index: U256,
    ) -> Vec<U256> {
        self.hints(request_ids, first_index, last_index)
    }

    /// Ether requested and not finalized yet.
    pub fn unfinalized_st_eth(&self) -> U256 {
        let queue = Queue::unpack(self.queue.get());
        let fin = Final::unpack(self.fin.get());
        U256::from(queue.cum_ether - self.request_at(fin.last_finalized).cum_ether)
    }

    /// Requests not finalized yet.
    pub fn unfinalized_request_number(&self) -> U256 {
        let queue = Queue::unpack(self.queue.get());
        let fin = Final::unpack(self.fin.get());
        U256::from(queue.last_request_id - fin.last_finalized)
    }

    /// Ether held for finalized, unclaimed requests.
    pub fn get_locked_ether_amount(&self) -> U256 {
        U256::from(Final::unpack(self.fin.get()).locked)
    }

    /// Id of the newest request (0: none).
    pub fn get_last_request_id(&self) -> U256 {
        U256::from(Queue::unpack(self.queue.get()).last_request_id)
    }

    /// Id of the newest finalized request (0: none).
    pub fn get_last_finalized_request_id(&self) -> U256 {
        U256::from(Final::unpack(self.fin.get()).last_finalized)
    }

    /// Index of the newest checkpoint (checkpoints are 1-based; 0: none).
    pub fn get_last_checkpoint_index(&self) -> U256 {
        U256::from(Final::unpack(self.fin.get()).checkpoint_count)
    }

    /// `(first request id, max share rate)` of checkpoint `index`; a rate of `2^96 - 1` means
    /// every request in it is paid its nominal ether.
    pub fn get_checkpoint(&self, index: U256) -> (U256, U256) {
        let index = u32::try_from(index).unwrap_or(0);
        let fin = Final::unpack(self.fin.get());
        if index == 0 || index > fin.checkpoint_count {
            return (U256::ZERO, U256::ZERO);
        }
        let checkpoint = self.checkpoint_at(index);
        (U256::from(checkpoint.first_id), U256::from(checkpoint.rate))
    }

    /// Whether requests and finalization are paused.
    pub fn is_paused(&self) -> bool {
        Queue::unpack(self.queue.get()).has(FLAG_PAUSED)
    }

    /// Whether bunker mode is on.
    pub fn is_bunker_mode_active(&self) -> bool {
        Queue::unpack(self.queue.get()).has(FLAG_BUNKER)
    }

    /// `(min, max)` ether of one request.
    pub fn get_request_bounds(&self) -> (U256, U256) {
        let config = Config::unpack(self.config.get());
        (U256::from(config.min_request), U256::from(config.max_request()))
    }

    /// Seconds a request waits before it can be finalized.
    pub fn get_min_finalization_delay(&self) -> U256 {
        U256::from(Final::unpack(self.fin.get()).min_delay)
    }

    /// The staking pool.
    pub fn pool(&self) -> Address {
        Config::unpack(self.config.get()).pool
    }

    /// The AccessManager.
    pub fn access_manager(&self) -> Address {
        self.access_manager.get()
    }

    /// The extension program that serves the views and the administration.
    pub fn extension(&self) -> Address {
        self.extension.get()
    }

    /// Replaces the extension program (see `staking_common::upgrade` for the policy and the
    /// power it gives governance). Runs in the extension, on the queue's storage.
    ///
    /// # Errors
    /// `AccessDenied` (no `UPGRADE_ROLE`, or not scheduled / not ready / expired where the
    /// AccessManager has a delay on `upgradeExtension`), `InvalidExtension(candidate)` (it does
    /// not answer `extensionId()` with [`EXTENSION_ID`]).
    /// # Events
    /// `ExtensionUpgraded(old, candidate)`.
    /// # Access
    /// `UPGRADE_ROLE`, behind the delay the deployment sets (a guardian may cancel).
    pub fn upgrade_extension(&mut self, candidate: Address) -> Result<(), Vec<u8>> {
        let manager = self.access_manager.get();
        upgrade::upgrade_extension::<Error>(
            manager,
            GUARD_SLOT,
            &mut self.extension,
            candidate,
            EXTENSION_ID,
        )
    }

    /// [`EXTENSION_ID`], answered only by the extension program on its own storage (through
    /// the queue it reverts with empty data: a core is never taken for an extension).
    pub fn extension_id(&self) -> Option<stylus_sdk::ArbResult> {
        upgrade::answer_id(self.extension.get(), EXTENSION_ID)
    }

    // ------------------------------------------------------------------ operations

    /// Pauses requests and finalization (claims and NFT transfers go on).
    ///
    /// # Errors
    /// `AccessDenied`, `AlreadyPaused`.
    /// # Events
    /// `Paused(by)`.
    /// # Access
    /// `PAUSE_ROLE`.
    pub fn pause(&mut self) -> Result<(), Error> {
        let caller = self.authorize(PAUSE_ROLE, &calls::pause())?;
        let mut queue = Queue::unpack(self.queue.get());
        if queue.has(FLAG_PAUSED) {
            return Err(Error::AlreadyPaused(AlreadyPaused {}));
        }
        queue.set(FLAG_PAUSED, true);
        self.queue.set(queue.pack()?);
        events::emit::Paused(caller);
        Ok(())
    }

    /// Resumes requests and finalization.
    ///
    /// # Errors
    /// `AccessDenied`, `NotPaused`.
    /// # Events
    /// `Resumed(by)`.
    /// # Access
    /// `RESUME_ROLE`.
    pub fn resume(&mut self) -> Result<(), Error> {
        let caller = self.authorize(RESUME_ROLE, &calls::resume())?;
        let mut queue = Queue::unpack(self.queue.get());
        if !queue.has(FLAG_PAUSED) {
            return Err(Error::NotPaused(NotPaused {}));
        }
        queue.set(FLAG_PAUSED, false);
        self.queue.set(queue.pack()?);
        events::emit::Resumed(caller);
        Ok(())
    }

    /// Sets the request bounds (wei): `0 < min`, `2 min <= max`, `min < 2^48`, `max` a whole
    /// number of gwei below `2^48` gwei (about 281,474 ether).
    ///
    /// # Errors
    /// `AccessDenied`, `InvalidRequestBounds`.
    /// # Events
    /// `RequestBoundsSet(min, max)`.
    /// # Access
    /// `WITHDRAWAL_CONFIG_ROLE`.
    pub fn set_request_bounds(&mut self, min: U256, max: U256) -> Result<(), Error> {
        self.authorize(WITHDRAWAL_CONFIG_ROLE, &calls::setRequestBounds(min, max))?;
        let invalid = || Error::InvalidRequestBounds(InvalidRequestBounds { min, max });
        let gwei = U256::from(GWEI);
        if min.is_zero() || max < min * U256::from(2) || max % gwei != U256::ZERO {
            return Err(invalid());
        }
        let mut config = Config::unpack(self.config.get());
        config.min_request = u64::try_from(min).map_err(|_| invalid())?;
        config.max_request_gwei = u64::try_from(max / gwei).map_err(|_| invalid())?;
        self.config.set(config.pack().map_err(|_| invalid())?);
        events::emit::RequestBoundsSet(min, max);
        Ok(())
    }

    /// Sets how long (seconds, below 2^32) a request waits before it can be finalized.
    ///
    /// # Errors
    /// `AccessDenied`, `MathOverflow`.
    /// # Events
    /// `MinFinalizationDelaySet(delay)`.
    /// # Access
    /// `WITHDRAWAL_CONFIG_ROLE`.
    pub fn set_min_finalization_delay(&mut self, delay: U256) -> Result<(), Error> {
        self.authorize(WITHDRAWAL_CONFIG_ROLE, &calls::setMinFinalizationDelay(delay))?;
        let mut fin = Final::unpack(self.fin.get());
        fin.min_delay = u32::try_from(delay).map_err(|_| overflow())?;
        self.fin.set(fin.pack()?);
        events::emit::MinFinalizationDelaySet(delay);
        Ok(())
    }

    /// Sets the base of `tokenURI`.
    ///
    /// # Errors
    /// `AccessDenied`.
    /// # Events
    /// `BaseURISet(baseURI)`.
    /// # Access
    /// `WITHDRAWAL_CONFIG_ROLE`.
    pub fn set_base_uri(&mut self, base_uri: &str) -> Result<(), Error> {
        self.authorize(WITHDRAWAL_CONFIG_ROLE, &calls::setBaseURI(base_uri))?;
        self.base_uri.set_str(base_uri);
        events::emit::BaseURISet(base_uri);
        Ok(())
    }
}

pub(crate) fn overflow() -> Error {
    Error::MathOverflow(MathOverflow {})
}

/// Transient slot of the queue's reentrancy guard.
pub(crate) const GUARD_SLOT: B256 = B256::new(
    stylus_sdk::keccak_const::Keccak256::new().update(b"withdrawal-queue.reentrancy").finalize(),
);

#[cfg(test)]
mod tests;
