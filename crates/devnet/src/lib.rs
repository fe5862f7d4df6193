//! A local devnet behind JSON-RPC: the worlds of the test suite (Ethereum on revm with
//! Arbitrum's real Bridge, Inbox and Outbox; Arbitrum as the in-process Stylus VM) each on a
//! loopback endpoint, with the relay carrying messages between them at the real delays.
//! Wallets, viem, ethers, alloy and `cargo stylus` talk to it as to a node.
//!
//! ```no_run
//! let devnet = devnet::Devnet::start(&devnet::Config::default())?;
//! println!("L2 {}  L1 {}", devnet.l2_url(), devnet.l1_url());
//! devnet.stop();
//! # Ok::<(), devnet::DevnetError>(())
//! ```
//!
//! ## Shape
//!
//! - [`http`]: an HTTP/1.1 server on the standard library, a thread per connection.
//! - [`rpc`]: JSON-RPC 2.0's envelope (batches, notifications, error codes).
//! - [`eth`]: the methods; answers are alloy's RPC types serialized, the shapes geth sends.
//! - [`beacon`]: a beacon API over L1's validators (the oracle committee reads it), on a
//!   third port.
//! - [`node`]: the worlds behind one lock (transactions run one at a time, in arrival
//!   order, as a sequencer orders them) and each chain's ledger of blocks, receipts and logs.
//!
//! Both endpoints share the node: a transaction on L1 that sends a message to L2 is seen by
//! the relay at once, and runs on L2 when its delay has passed (`evm_increaseTime` moves
//! both clocks, as does every L1 block).
//!
//! ## Methods
//!
//! `web3_clientVersion`, `web3_sha3`, `net_version`, `net_listening`, `net_peerCount`,
//! `eth_chainId`, `eth_syncing`, `eth_mining`, `eth_accounts` (empty: the devnet holds no
//! keys), `eth_blockNumber`, `eth_gasPrice`, `eth_maxPriorityFeePerGas`, `eth_feeHistory`,
//! `eth_getBalance`, `eth_getTransactionCount`, `eth_getCode`, `eth_getStorageAt`, `eth_call`
//! (with geth's state overrides on L2), `eth_estimateGas`, `eth_sendRawTransaction` (legacy
//! with EIP-155, EIP-2930 and EIP-1559), `eth_getTransactionByHash`,
//! `eth_getRawTransactionByHash`, `eth_getTransactionReceipt`, `eth_getBlockByNumber`,
//! `eth_getBlockByHash`, `eth_getBlockTransactionCountByNumber`, `eth_getBlockReceipts`,
//! `eth_getLogs`, `eth_newFilter`, `eth_newBlockFilter`, `eth_getFilterChanges`,
//! `eth_getFilterLogs`, `eth_uninstallFilter`; for development `evm_increaseTime` (seconds:
//! both chains move on, the relay acting), `evm_mine` (one L1 block), `devnet_info` (the
//! L1 bridge's addresses and the relay's delays, which a deployment reads) and
//! `devnet_exitValidator(pubkey)` (a validator of the stand-in beacon chain exits and is paid
//! out to its credentials on L1: [`beacon`]). Anything else is
//! `-32601`. Reverts are `{code: 3, message: "execution reverted", data}` as geth gives them.
//!
//! [`node`] documents blocks, fees and how much past state the devnet keeps.

pub mod beacon;
pub mod eth;
pub mod http;
pub mod node;
pub mod rpc;

use std::{
    net::{IpAddr, Ipv4Addr, SocketAddr},
    sync::Arc,
    thread::JoinHandle,
};

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_signer_local::PrivateKeySigner;
use worlds::Worlds;

pub use crate::node::{Chain, Node, NodeHandle};

/// nitro-testnode's and the Stylus docs' local L2 chain id (`cargo stylus` examples use it).
pub const L2_CHAIN_ID: u64 = 412_346;
/// nitro-testnode's L1 chain id: not Ethereum's, so that nothing signed here is valid there.
pub const L1_CHAIN_ID: u64 = 1_337;
/// The L2 port nitro's dev node uses (`cargo stylus`'s default endpoint).
pub const L2_PORT: u16 = 8547;
/// The usual L1 dev port.
pub const L1_PORT: u16 = 8545;
/// The usual beacon API port (Lighthouse's).
pub const BEACON_PORT: u16 = 5052;

/// How to start a devnet.
#[derive(Clone, Debug)]
pub struct Config {
    /// The interface to listen on (loopback unless told).
    pub host: IpAddr,
    /// L2's port (0: any free one).
    pub l2_port: u16,
    /// L1's port (0: any free one).
    pub l1_port: u16,
    /// The beacon API's port (0: any free one).
    pub beacon_port: u16,
    /// The stand-in beacon chain the beacon API serves.
    pub beacon: beacon::BeaconConfig,
    /// L2's chain id.
    pub l2_chain_id: u64,
    /// L1's chain id.
    pub l1_chain_id: u64,
    /// How many funded dev accounts.
    pub accounts: usize,
    /// Each one's balance on each chain, in wei.
    pub balance: U256,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            host: IpAddr::V4(Ipv4Addr::LOCALHOST),
            l2_port: L2_PORT,
            l1_port: L1_PORT,
            beacon_port: BEACON_PORT,
            beacon: beacon::BeaconConfig::default(),
            l2_chain_id: L2_CHAIN_ID,
            l1_chain_id: L1_CHAIN_ID,
            accounts: 10,
            balance: U256::from(10_000u64) * U256::from(10u64).pow(U256::from(18)),
        }
    }
}

impl Config {
    /// Both ports free ones (tests).
    #[must_use]
    pub fn ephemeral() -> Self {
        Self { l2_port: 0, l1_port: 0, beacon_port: 0, ..Self::default() }
    }
}

/// A funded dev account.
#[derive(Clone, Debug)]
pub struct DevAccount {
    /// Its address.
    pub address: Address,
    /// Its private key (public knowledge: never use it on a real network).
    pub key: B256,
}

/// The dev account `index`: its key is `keccak256("liquid-staking-devnet:" ‖ index)`, so
/// every devnet has the same accounts.
pub fn dev_account(index: usize) -> DevAccount {
    let key = keccak256(format!("liquid-staking-devnet:{index}"));
    let signer = PrivateKeySigner::from_bytes(&key).expect("a keccak hash is a valid key");
    DevAccount { address: signer.address(), key }
}

/// What can stop a devnet from starting.
#[derive(Debug, thiserror::Error)]
pub enum DevnetError {
    /// The worlds could not be built (the Solidity artifacts are missing: `scripts/evm-build`).
    #[error("the worlds could not be built: {0}")]
    Worlds(#[from] worlds::RelayError),
    /// A port is taken or cannot be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// A running devnet: both endpoints serve until [`Devnet::stop`] or drop.
pub struct Devnet {
    l2: http::Server,
    l1: http::Server,
    beacon: http::Server,
    node: Option<NodeHandle>,
    node_thread: Option<JoinHandle<()>>,
    accounts: Vec<DevAccount>,
}

impl std::fmt::Debug for Devnet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Devnet")
            .field("l2", &self.l2.addr())
            .field("l1", &self.l1.addr())
            .field("accounts", &self.accounts.len())
            .finish_non_exhaustive()
    }
}

impl Devnet {
    /// Builds the worlds, funds the dev accounts on both chains and starts both endpoints.
    ///
    /// # Errors
    ///
    /// [`DevnetError`].
    pub fn start(config: &Config) -> Result<Self, DevnetError> {
        let accounts: Vec<DevAccount> = (0..config.accounts).map(dev_account).collect();
        let (l1_chain_id, l2_chain_id, balance) =
            (config.l1_chain_id, config.l2_chain_id, config.balance);
        let funded: Vec<Address> = accounts.iter().map(|a| a.address).collect();
        let beacon_config = config.beacon;
        let (node, node_thread) = NodeHandle::spawn(move || {
            let mut worlds = Worlds::new()?;
            for who in funded {
                worlds.fund_l2_through_bridge(who, balance);
                let l1 = worlds.l1.balance(who);
                worlds.l1.set_balance(who, l1 + balance);
            }
            let mut node = Node::new(worlds, l1_chain_id, l2_chain_id);
            node.beacon = beacon_config;
            Ok::<_, DevnetError>(node)
        })?;
        let serve = |chain: Chain, port: u16| {
            let node = node.clone();
            let handler = http::json_rpc(move |body: &[u8]| {
                rpc::handle(body, &|method, params| {
                    let method = method.to_string();
                    node.run(move |n| eth::dispatch(n, chain, &method, params)).unwrap_or_else(
                        || {
                            Err(rpc::RpcError::new(
                                rpc::INTERNAL_ERROR,
                                "internal error (see the devnet's log)",
                            ))
                        },
                    )
                })
            });
            let addr = SocketAddr::new(config.host, port);
            http::Server::bind(addr, handler).map_err(|source| DevnetError::Bind { addr, source })
        };
        let l2 = serve(Chain::L2, config.l2_port)?;
        let l1 = serve(Chain::L1, config.l1_port)?;
        let beacon = {
            let (node, c) = (node.clone(), config.beacon);
            let handler: http::Handler = Arc::new(move |request: &http::Request| {
                let request = request.clone();
                node.run(move |n| beacon::answer(n, &c, &request))
                    .unwrap_or_else(|| http::Response::error(500, "the node is gone"))
            });
            let addr = SocketAddr::new(config.host, config.beacon_port);
            http::Server::bind(addr, handler)
                .map_err(|source| DevnetError::Bind { addr, source })?
        };
        Ok(Self { l2, l1, beacon, node: Some(node), node_thread: Some(node_thread), accounts })
    }

    /// L2's endpoint, `http://host:port`.
    pub fn l2_url(&self) -> String {
        format!("http://{}", self.l2.addr())
    }

    /// L1's endpoint.
    pub fn l1_url(&self) -> String {
        format!("http://{}", self.l1.addr())
    }

    /// The beacon API's endpoint ([`beacon`]).
    pub fn beacon_url(&self) -> String {
        format!("http://{}", self.beacon.addr())
    }

    /// The funded dev accounts.
    pub fn accounts(&self) -> &[DevAccount] {
        &self.accounts
    }

    /// Runs `f` on the node (tests and tools reading the worlds directly), between two
    /// requests.
    pub fn with_node<R: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Node) -> R + Send + 'static,
    ) -> R {
        self.node.as_ref().and_then(|node| node.run(f)).expect("the node answers")
    }

    /// Stops both endpoints: no new connection is accepted, requests being answered finish,
    /// every thread is joined.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.l2.stop();
        self.l1.stop();
        self.beacon.stop();
        // The servers' handlers held the other handles; with this one gone the node's
        // thread ends.
        self.node = None;
        if let Some(thread) = self.node_thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Devnet {
    fn drop(&mut self) {
        self.shutdown();
    }
}
