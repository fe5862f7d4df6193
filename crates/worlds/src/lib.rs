//! The worlds the protocol's tests run in. This crate holds the L1 world ([`l1`], [`bridge`]):
//! Ethereum on revm, with Arbitrum's own bridge contracts and the beacon deposit contract. The
//! L2 chain itself, Stylus beside the EVM with Arbitrum's system contracts, lives in
//! `crates/stylus-vm`; [`l2`] gives it the contracts Arbitrum One has at genesis.
//!
//! [`relay`] joins the two: [`Worlds`] holds L1 with the bridge and L2 at genesis on one clock,
//! and its relay carries messages across with the real delays. Delayed messages (ETH deposits,
//! retryable tickets) read from the Bridge's and Inbox's logs run on L2 from the aliased sender
//! once the sequencer would include them (12.8 minutes by default, 24 hours at worst); L2's
//! `sendTxToL1`/`withdrawEth` sends are asserted, posted to the real Outbox by the rollup
//! stand-in after the challenge period (45,818 L1 blocks), and executed there with a real
//! Merkle proof; [`relay::EthLedger`] checks that the Bridge holds exactly what L2 owes back.
//!
//! ## What is real
//!
//! - The EVM and the rules: revm 19 under Prague ([`l1`] says why not Fusaka, and what of
//!   Fusaka is missing), real transactions with nonces, intrinsic gas, refunds, the calldata
//!   floor and EIP-1559 fees, EIP-170's code size limit; receipts carry real L1 gas.
//! - Arbitrum's `Bridge`, `Inbox` and `Outbox`: the `@arbitrum/nitro-contracts` 3.2.0 sources
//!   from the npm registry, compiled by `scripts/evm-build` (solc 0.8.28), deployed behind
//!   OpenZeppelin's `TransparentUpgradeableProxy` with a `ProxyAdmin`, initialized and wired as
//!   on Arbitrum One ([`bridge`]). Their checks are the real ones: `InsufficientValue`,
//!   submission fees priced with the L1 base fee, aliasing, the Outbox's Merkle proof,
//!   `UnknownRoot`, `AlreadySpent`, `l2ToL1Sender()` during execution.
//! - The beacon deposit contract: our Solidity (`evm/contracts/DepositContract.sol`) with the
//!   real contract's interface, checks, event, storage layout and Merkle tree, at its mainnet
//!   address.
//! - EIP-7002's withdrawal-request predeploy: its real code (as `alloy-eips` ships it) at its
//!   mainnet address, and the end-of-block system call that releases its requests
//!   ([`eip7002`]).
//!
//! ## What stands in, and why
//!
//! - The rollup: `evm/contracts/RollupStandIn.sol`. The real rollup confirms validators'
//!   assertions (BoLD challenges, stakes, a 6.4-day period) and then posts their send roots to
//!   the Outbox; the worlds have no validators, so the stand-in only posts roots, when the relay
//!   tells it to, after the challenge period has passed in L1 blocks.
//! - No SequencerInbox: the delayed messages reach L2 through the relay, which reads them from
//!   the Bridge's and Inbox's logs ([`bridge::DelayedMessage`]), not through batches.
//! - Blocks: transactions share the current block until the test moves the chain
//!   ([`L1::advance_blocks`]); of the system contracts only EIP-7002's, whose system call the
//!   test playing block processing makes ([`L1::dequeue_withdrawal_requests`]); no EIP-2935,
//!   EIP-4788 or EIP-7251.
//!
//! The Solidity artifacts are build output (`artifacts/evm/`): run `scripts/evm-build` first;
//! [`artifacts::Artifact::load`] says so when they are missing.

pub mod abi;
pub mod artifacts;
pub mod bridge;
pub mod eip7002;
pub mod l1;
pub mod l2;
pub mod relay;

pub use artifacts::{Artifact, ArtifactError};
pub use bridge::{
    apply_l1_to_l2_alias, decode_delayed_messages, outbox_root, undo_l1_to_l2_alias,
    DelayedMessage, DelayedPayload, L1Contracts, L2ToL1Message, RetryableTicket, SubmitRetryable,
    WorldError, DEPOSIT_CONTRACT_ADDRESS,
};
pub use l1::{L1Error, L1Receipt, L1Status, L1Tx, L1};
pub use relay::{RelayConfig, RelayError, Worlds};
