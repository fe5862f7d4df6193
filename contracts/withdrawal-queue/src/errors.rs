//! The queue's errors: one `sol!` error per failure, each carrying what a caller needs to act
//! on it. ERC-721 failures use the EIP-6093 names OpenZeppelin uses. Every error leaves state
//! unchanged: the whole call reverts.
//!
//! Errors the pool raises while a request moves the caller's tokens (`ERC20InsufficientAllowance`,
//! `ERC20InsufficientBalance`, `TokenIsPaused`) reach the caller unchanged ([`Error::Pool`]).
#![allow(missing_docs)]

use alloc::vec::Vec;
use alloy_sol_types::sol;
use alloy_sol_types::SolError;
use staking_common::abi::{encode_error, encode_error_with_bytes, Word};
use staking_math::MathError;

sol! {
    /// A request below the minimum (or too small to be worth one share).
    #[derive(Debug, PartialEq)]
    error RequestAmountTooSmall(uint256 amount, uint256 min);
    /// A request above the maximum; `requestWithdrawalsSplit` splits large amounts.
    #[derive(Debug, PartialEq)]
    error RequestAmountTooLarge(uint256 amount, uint256 max);
    /// `requestWithdrawals` with no amounts, or a claim with no ids.
    #[derive(Debug, PartialEq)]
    error EmptyRequest();
    /// Requests and finalization are paused.
    #[derive(Debug, PartialEq)]
    error QueuePaused();
    /// `pause` while paused.
    #[derive(Debug, PartialEq)]
    error AlreadyPaused();
    /// `resume` while not paused.
    #[derive(Debug, PartialEq)]
    error NotPaused();
    /// `finalize` / `prefinalize` up to an id that is already finalized or does not exist.
    #[derive(Debug, PartialEq)]
    error InvalidFinalizationId(uint256 requested, uint256 lastFinalized, uint256 lastRequest);
    /// The last request of the batch is younger than the minimum finalization delay.
    #[derive(Debug, PartialEq)]
    error RequestTooRecent(uint256 requestId, uint256 finalizableAt);
    /// `finalize` must carry exactly the ether the batch is owed.
    #[derive(Debug, PartialEq)]
    error WrongFinalizationAmount(uint256 sent, uint256 owed);
    /// A share rate of zero or wider than 96 bits.
    #[derive(Debug, PartialEq)]
    error InvalidShareRate(uint256 maxShareRate);
    /// Bunker mode: a request in the batch was made at a share rate above the report's.
    #[derive(Debug, PartialEq)]
    error BunkerModeRateAboveReport(uint256 requestId, uint256 maxShareRate);
    /// No request has this id.
    #[derive(Debug, PartialEq)]
    error InvalidRequestId(uint256 requestId);
    /// The request is not finalized yet.
    #[derive(Debug, PartialEq)]
    error RequestNotFinalized(uint256 requestId);
    /// The request was already claimed.
    #[derive(Debug, PartialEq)]
    error RequestAlreadyClaimed(uint256 requestId);
    /// Only the NFT's owner, its approved address or an operator of the owner may claim.
    #[derive(Debug, PartialEq)]
    error NotOwnerOrApproved(uint256 requestId, address caller);
    /// The checkpoint hint does not cover the request.
    #[derive(Debug, PartialEq)]
    error InvalidHint(uint256 requestId, uint256 hint);
    /// Ether cannot be claimed to the zero address.
    #[derive(Debug, PartialEq)]
    error InvalidRecipient(address recipient);
    /// The recipient rejected the ether; nothing was claimed.
    #[derive(Debug, PartialEq)]
    error EtherTransferFailed(address recipient, uint256 amount);
    /// `ids` and `hints` differ in length.
    #[derive(Debug, PartialEq)]
    error ArrayLengthMismatch(uint256 ids, uint256 hints);
    /// `prefinalize` batches must be non-empty, increasing and unfinalized.
    #[derive(Debug, PartialEq)]
    error InvalidBatches();
    /// Bounds need 0 < min, 2 min <= max, min < 2^48 wei, max a whole number of gwei below 2^48 gwei.
    #[derive(Debug, PartialEq)]
    error InvalidRequestBounds(uint256 min, uint256 max);
    /// A zero address where a contract is required.
    #[derive(Debug, PartialEq)]
    error InvalidAddress();
    /// ERC-721 (EIP-6093): the zero address owns nothing.
    #[derive(Debug, PartialEq)]
    error ERC721InvalidOwner(address owner);
    /// ERC-721: no such token (never minted, or claimed and burned).
    #[derive(Debug, PartialEq)]
    error ERC721NonexistentToken(uint256 tokenId);
    /// ERC-721: `from` is not the owner.
    #[derive(Debug, PartialEq)]
    error ERC721IncorrectOwner(address sender, uint256 tokenId, address owner);
    /// ERC-721: the zero address, or a contract that did not accept the token.
    #[derive(Debug, PartialEq)]
    error ERC721InvalidReceiver(address receiver);
    /// ERC-721: the caller may not move this token.
    #[derive(Debug, PartialEq)]
    error ERC721InsufficientApproval(address operator, uint256 tokenId);
    /// ERC-721: the caller may not approve for this token.
    #[derive(Debug, PartialEq)]
    error ERC721InvalidApprover(address approver);
    /// ERC-721: the zero address cannot be an operator.
    #[derive(Debug, PartialEq)]
    error ERC721InvalidOperator(address operator);
    /// The AccessManager refused `caller` for `role`; `reason` is its revert data.
    #[derive(Debug, PartialEq)]
    error AccessDenied(address caller, bytes32 role, bytes reason);
    /// `finalize` and `setBunkerMode` are the pool's alone (finalization only comes with an oracle report).
    #[derive(Debug, PartialEq)]
    error NotPool(address caller);
    /// The constructor already ran (the SDK's constructor guard word is set).
    #[derive(Debug, PartialEq)]
    error AlreadyInitialized();
    /// The constructor's extension does not answer `extensionId()` with the queue's extension
    /// id (`upgradeExtension` raises the same error through `staking_common::upgrade`).
    #[derive(Debug, PartialEq)]
    error InvalidExtension(address extension);
    /// The queue is not initialized yet.
    #[derive(Debug, PartialEq)]
    error NotInitialized();
    /// An amount does not fit the packed storage or an intermediate overflowed.
    #[derive(Debug, PartialEq)]
    error MathOverflow();
    /// A guarded function was re-entered (a second layer: the SDK entrypoint already rejects a call back into the queue while it is on the stack, with empty data).
    #[derive(Debug, PartialEq)]
    error ReentrantCall();
}

/// Every way a queue call can fail.
///
/// Encoded to revert data by hand ([`staking_common::abi`]) rather than by
/// `derive(SolidityError)`, for size; a test checks every variant against alloy's encoding.
#[derive(Debug, PartialEq)]
pub enum Error {
    AmountTooSmall(RequestAmountTooSmall),
    AmountTooLarge(RequestAmountTooLarge),
    EmptyRequest(EmptyRequest),
    Paused(QueuePaused),
    AlreadyPaused(AlreadyPaused),
    NotPaused(NotPaused),
    InvalidFinalizationId(InvalidFinalizationId),
    TooRecent(RequestTooRecent),
    WrongAmount(WrongFinalizationAmount),
    InvalidShareRate(InvalidShareRate),
    BunkerRate(BunkerModeRateAboveReport),
    InvalidRequestId(InvalidRequestId),
    NotFinalized(RequestNotFinalized),
    AlreadyClaimed(RequestAlreadyClaimed),
    NotOwnerOrApproved(NotOwnerOrApproved),
    InvalidHint(InvalidHint),
    InvalidRecipient(InvalidRecipient),
    TransferFailed(EtherTransferFailed),
    LengthMismatch(ArrayLengthMismatch),
    InvalidBatches(InvalidBatches),
    InvalidBounds(InvalidRequestBounds),
    InvalidAddress(InvalidAddress),
    Erc721InvalidOwner(ERC721InvalidOwner),
    Erc721Nonexistent(ERC721NonexistentToken),
    Erc721IncorrectOwner(ERC721IncorrectOwner),
    Erc721InvalidReceiver(ERC721InvalidReceiver),
    Erc721InsufficientApproval(ERC721InsufficientApproval),
    Erc721InvalidApprover(ERC721InvalidApprover),
    Erc721InvalidOperator(ERC721InvalidOperator),
    AccessDenied(AccessDenied),
    NotPool(NotPool),
    AlreadyInitialized(AlreadyInitialized),
    InvalidExtension(InvalidExtension),
    NotInitialized(NotInitialized),
    MathOverflow(MathOverflow),
    ReentrantCall(ReentrantCall),
    /// The pool's own revert data, passed through unchanged.
    Pool(Vec<u8>),
}

staking_common::export_error_types!(Error: RequestAmountTooSmall, RequestAmountTooLarge, EmptyRequest, QueuePaused, AlreadyPaused, NotPaused, InvalidFinalizationId, RequestTooRecent, WrongFinalizationAmount, InvalidShareRate, BunkerModeRateAboveReport, InvalidRequestId, RequestNotFinalized, RequestAlreadyClaimed, NotOwnerOrApproved, InvalidHint, InvalidRecipient, EtherTransferFailed, ArrayLengthMismatch, InvalidBatches, InvalidRequestBounds, InvalidAddress, ERC721InvalidOwner, ERC721NonexistentToken, ERC721IncorrectOwner, ERC721InvalidReceiver, ERC721InsufficientApproval, ERC721InvalidApprover, ERC721InvalidOperator, AccessDenied, NotPool, AlreadyInitialized, InvalidExtension, NotInitialized, MathOverflow, ReentrantCall);

impl From<Error> for Vec<u8> {
    fn from(err: Error) -> Vec<u8> {
        match err {
            Error::AmountTooSmall(e) => {
                encode_error(RequestAmountTooSmall::SELECTOR, &[e.amount.word(), e.min.word()])
            }
            Error::AmountTooLarge(e) => {
                encode_error(RequestAmountTooLarge::SELECTOR, &[e.amount.word(), e.max.word()])
            }
            Error::EmptyRequest(_) => encode_error(EmptyRequest::SELECTOR, &[]),
            Error::Paused(_) => encode_error(QueuePaused::SELECTOR, &[]),
            Error::AlreadyPaused(_) => encode_error(AlreadyPaused::SELECTOR, &[]),
            Error::NotPaused(_) => encode_error(NotPaused::SELECTOR, &[]),
            Error::InvalidFinalizationId(e) => encode_error(
                InvalidFinalizationId::SELECTOR,
                &[e.requested.word(), e.lastFinalized.word(), e.lastRequest.word()],
            ),
            Error::TooRecent(e) => encode_error(
                RequestTooRecent::SELECTOR,
                &[e.requestId.word(), e.finalizableAt.word()],
            ),
            Error::WrongAmount(e) => {
                encode_error(WrongFinalizationAmount::SELECTOR, &[e.sent.word(), e.owed.word()])
            }
            Error::InvalidShareRate(e) => {
                encode_error(InvalidShareRate::SELECTOR, &[e.maxShareRate.word()])
            }
            Error::BunkerRate(e) => encode_error(
                BunkerModeRateAboveReport::SELECTOR,
                &[e.requestId.word(), e.maxShareRate.word()],
            ),
            Error::InvalidRequestId(e) => {
                encode_error(InvalidRequestId::SELECTOR, &[e.requestId.word()])
            }
            Error::NotFinalized(e) => {
                encode_error(RequestNotFinalized::SELECTOR, &[e.requestId.word()])
            }
            Error::AlreadyClaimed(e) => {
                encode_error(RequestAlreadyClaimed::SELECTOR, &[e.requestId.word()])
            }
            Error::NotOwnerOrApproved(e) => {
                encode_error(NotOwnerOrApproved::SELECTOR, &[e.requestId.word(), e.caller.word()])
            }
            Error::InvalidHint(e) => {
                encode_error(InvalidHint::SELECTOR, &[e.requestId.word(), e.hint.word()])
            }
            Error::InvalidRecipient(e) => {
                encode_error(InvalidRecipient::SELECTOR, &[e.recipient.word()])
            }
            Error::TransferFailed(e) => {
                encode_error(EtherTransferFailed::SELECTOR, &[e.recipient.word(), e.amount.word()])
            }
            Error::LengthMismatch(e) => {
                encode_error(ArrayLengthMismatch::SELECTOR, &[e.ids.word(), e.hints.word()])
            }
            Error::InvalidBatches(_) => encode_error(InvalidBatches::SELECTOR, &[]),
            Error::InvalidBounds(e) => {
                encode_error(InvalidRequestBounds::SELECTOR, &[e.min.word(), e.max.word()])
            }
            Error::InvalidAddress(_) => encode_error(InvalidAddress::SELECTOR, &[]),
            Error::Erc721InvalidOwner(e) => {
                encode_error(ERC721InvalidOwner::SELECTOR, &[e.owner.word()])
            }
            Error::Erc721Nonexistent(e) => {
                encode_error(ERC721NonexistentToken::SELECTOR, &[e.tokenId.word()])
            }
            Error::Erc721IncorrectOwner(e) => encode_error(
                ERC721IncorrectOwner::SELECTOR,
                &[e.sender.word(), e.tokenId.word(), e.owner.word()],
            ),
            Error::Erc721InvalidReceiver(e) => {
                encode_error(ERC721InvalidReceiver::SELECTOR, &[e.receiver.word()])
            }
            Error::Erc721InsufficientApproval(e) => encode_error(
                ERC721InsufficientApproval::SELECTOR,
                &[e.operator.word(), e.tokenId.word()],
            ),
            Error::Erc721InvalidApprover(e) => {
                encode_error(ERC721InvalidApprover::SELECTOR, &[e.approver.word()])
            }
            Error::Erc721InvalidOperator(e) => {
                encode_error(ERC721InvalidOperator::SELECTOR, &[e.operator.word()])
            }
            Error::AccessDenied(e) => encode_error_with_bytes(
                AccessDenied::SELECTOR,
                &[e.caller.word(), e.role.word()],
                &e.reason,
            ),
            Error::NotPool(e) => encode_error(NotPool::SELECTOR, &[e.caller.word()]),
            Error::AlreadyInitialized(_) => encode_error(AlreadyInitialized::SELECTOR, &[]),
            Error::InvalidExtension(e) => {
                encode_error(InvalidExtension::SELECTOR, &[e.extension.word()])
            }
            Error::NotInitialized(_) => encode_error(NotInitialized::SELECTOR, &[]),
            Error::MathOverflow(_) => encode_error(MathOverflow::SELECTOR, &[]),
            Error::ReentrantCall(_) => encode_error(ReentrantCall::SELECTOR, &[]),
            Error::Pool(data) => data,
        }
    }
}

impl From<MathError> for Error {
    fn from(_: MathError) -> Self {
        Error::MathOverflow(MathOverflow {})
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_primitives::{Address, Bytes, B256, U256};

    #[allow(clippy::needless_pass_by_value)]
    fn check<E: SolError + Clone>(e: E, wrap: fn(E) -> Error) {
        assert_eq!(Vec::<u8>::from(wrap(e.clone())), e.abi_encode());
    }

    #[test]
    fn every_error_encodes_like_alloy() {
        let a = Address::repeat_byte(0xaa);
        let u = U256::from(0x1234_5678_u64);
        check(RequestAmountTooSmall { amount: u, min: u }, Error::AmountTooSmall);
        check(RequestAmountTooLarge { amount: u, max: u }, Error::AmountTooLarge);
        check(EmptyRequest {}, Error::EmptyRequest);
        check(QueuePaused {}, Error::Paused);
        check(AlreadyPaused {}, Error::AlreadyPaused);
        check(NotPaused {}, Error::NotPaused);
        check(
            InvalidFinalizationId { requested: u, lastFinalized: u, lastRequest: u },
            Error::InvalidFinalizationId,
        );
        check(RequestTooRecent { requestId: u, finalizableAt: u }, Error::TooRecent);
        check(WrongFinalizationAmount { sent: u, owed: u }, Error::WrongAmount);
        check(InvalidShareRate { maxShareRate: u }, Error::InvalidShareRate);
        check(BunkerModeRateAboveReport { requestId: u, maxShareRate: u }, Error::BunkerRate);
        check(InvalidRequestId { requestId: u }, Error::InvalidRequestId);
        check(RequestNotFinalized { requestId: u }, Error::NotFinalized);
        check(RequestAlreadyClaimed { requestId: u }, Error::AlreadyClaimed);
        check(NotOwnerOrApproved { requestId: u, caller: a }, Error::NotOwnerOrApproved);
        check(InvalidHint { requestId: u, hint: u }, Error::InvalidHint);
        check(InvalidRecipient { recipient: a }, Error::InvalidRecipient);
        check(EtherTransferFailed { recipient: a, amount: u }, Error::TransferFailed);
        check(ArrayLengthMismatch { ids: u, hints: u }, Error::LengthMismatch);
        check(InvalidBatches {}, Error::InvalidBatches);
        check(InvalidRequestBounds { min: u, max: u }, Error::InvalidBounds);
        check(InvalidAddress {}, Error::InvalidAddress);
        check(ERC721InvalidOwner { owner: a }, Error::Erc721InvalidOwner);
        check(ERC721NonexistentToken { tokenId: u }, Error::Erc721Nonexistent);
        check(
            ERC721IncorrectOwner { sender: a, tokenId: u, owner: a },
            Error::Erc721IncorrectOwner,
        );
        check(ERC721InvalidReceiver { receiver: a }, Error::Erc721InvalidReceiver);
        check(
            ERC721InsufficientApproval { operator: a, tokenId: u },
            Error::Erc721InsufficientApproval,
        );
        check(ERC721InvalidApprover { approver: a }, Error::Erc721InvalidApprover);
        check(ERC721InvalidOperator { operator: a }, Error::Erc721InvalidOperator);
        check(
            AccessDenied {
                caller: a,
                role: B256::repeat_byte(7),
                reason: Bytes::from(vec![1u8; 37]),
            },
            Error::AccessDenied,
        );
        check(NotPool { caller: a }, Error::NotPool);
        check(AlreadyInitialized {}, Error::AlreadyInitialized);
        check(InvalidExtension { extension: Address::repeat_byte(3) }, Error::InvalidExtension);
        check(NotInitialized {}, Error::NotInitialized);
        check(MathOverflow {}, Error::MathOverflow);
        check(ReentrantCall {}, Error::ReentrantCall);
        assert_eq!(Vec::<u8>::from(Error::Pool(vec![1, 2, 3])), vec![1, 2, 3]);
    }
}
