//! Real DeFi code no one here wrote, on the L2 world's EVM beside the release wasm: Uniswap V2
//! (`@uniswap/v2-core` 1.0.1's factory and pair, `@uniswap/v2-periphery` 1.1.0-beta.0's
//! `UniswapV2Router02` and `WETH9`) and Safe (`@safe-global/safe-smart-account` 1.5.0's
//! `SafeL2` singleton, `SafeProxyFactory` and `CompatibilityFallbackHandler`), compiled from the
//! npm registry by `scripts/evm-build` (`evm/build.js` says with which compilers and settings)
//! and deployed here with creation transactions, as on chain.
//!
//! - [`Uniswap`]: WETH9, the factory and the router. The router computes pair addresses itself
//!   from the init code hash its library hard-codes ([`PAIR_INIT_CODE_HASH`]), so a pair whose
//!   creation code hashed otherwise would leave every router call failing: [`Uniswap::deploy`]
//!   checks the artifact's hash, [`Uniswap::create_pair`] checks the factory's pair lands at
//!   [`pair_address`].
//! - [`SafeContracts`] and [`Safe`]: a Safe created through the proxy factory with owners, a
//!   threshold and the `CompatibilityFallbackHandler`; transactions executed with the owners'
//!   ECDSA signatures over the Safe's EIP-712 transaction hash ([`Safe::exec`]); EIP-1271
//!   signatures for a digest ([`Safe::sign_message`]: the owners sign the Safe's `SafeMessage`
//!   hash of it, and `isValidSignature(bytes32,bytes)` on the Safe, answered by the fallback
//!   handler, returns `0x1626ba7e`).
//!
//! Owners are secp256k1 keys ([`Key`], seeded like the guardians of the other tests).

use alloy_primitives::{b256, keccak256, Address, Bytes, B256, U256};
use alloy_sol_types::{sol, SolCall, SolValue};
use stylus_vm::{CallKind, Receipt};
use worlds::Artifact;

use crate::deploy::Suite;

/// A secp256k1 key and its address ([`l1_vault::Guardian`]): a Safe's owner here.
pub use l1_vault::Guardian as Key;

sol! {
    /// The ERC-20 functions the tests call on any token (the pool, WETH9, the pair's LP token,
    /// the wrapped token).
    interface IERC20 {
        function totalSupply() external view returns (uint256);
        function balanceOf(address owner) external view returns (uint256);
        function allowance(address owner, address spender) external view returns (uint256);
        function approve(address spender, uint256 value) external returns (bool);
        function transfer(address to, uint256 value) external returns (bool);
        function transferFrom(address from, address to, uint256 value) external returns (bool);
        event Transfer(address indexed from, address indexed to, uint256 value);
        event Approval(address indexed owner, address indexed spender, uint256 value);
    }

    /// `@uniswap/v2-periphery`'s `contracts/test/WETH9.sol` (no fallback: `deposit()` wraps).
    interface IWETH9 {
        function deposit() external payable;
        function withdraw(uint256 wad) external;
        event Deposit(address indexed dst, uint256 wad);
        event Withdrawal(address indexed src, uint256 wad);
    }

    /// `@uniswap/v2-core`'s `UniswapV2Factory`.
    interface IUniswapV2Factory {
        function feeToSetter() external view returns (address);
        function getPair(address tokenA, address tokenB) external view returns (address pair);
        function allPairsLength() external view returns (uint256);
        function createPair(address tokenA, address tokenB) external returns (address pair);
        event PairCreated(address indexed token0, address indexed token1, address pair, uint256 count);
    }

    /// `@uniswap/v2-core`'s `UniswapV2Pair` (its ERC-20 side is [`IERC20`]).
    interface IUniswapV2Pair {
        function factory() external view returns (address);
        function token0() external view returns (address);
        function token1() external view returns (address);
        function getReserves() external view returns (uint112 reserve0, uint112 reserve1, uint32 blockTimestampLast);
        function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external;
        function skim(address to) external;
        function sync() external;
        event Mint(address indexed sender, uint256 amount0, uint256 amount1);
        event Burn(address indexed sender, uint256 amount0, uint256 amount1, address indexed to);
        event Swap(address indexed sender, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out, address indexed to);
        event Sync(uint112 reserve0, uint112 reserve1);
    }

    /// `@uniswap/v2-periphery`'s `UniswapV2Router02`.
    interface IUniswapV2Router02 {
        function factory() external pure returns (address);
        function WETH() external pure returns (address);
        function addLiquidity(address tokenA, address tokenB, uint256 amountADesired, uint256 amountBDesired, uint256 amountAMin, uint256 amountBMin, address to, uint256 deadline) external returns (uint256 amountA, uint256 amountB, uint256 liquidity);
        function removeLiquidity(address tokenA, address tokenB, uint256 liquidity, uint256 amountAMin, uint256 amountBMin, address to, uint256 deadline) external returns (uint256 amountA, uint256 amountB);
        function swapExactTokensForTokens(uint256 amountIn, uint256 amountOutMin, address[] calldata path, address to, uint256 deadline) external returns (uint256[] memory amounts);
        function getAmountOut(uint256 amountIn, uint256 reserveIn, uint256 reserveOut) external pure returns (uint256 amountOut);
        function getAmountsOut(uint256 amountIn, address[] calldata path) external view returns (uint256[] memory amounts);
    }

    /// `@safe-global/safe-smart-account`'s `Safe` / `SafeL2` (1.5.0), the functions used here.
    interface ISafe {
        function setup(address[] calldata owners, uint256 threshold, address to, bytes calldata data, address fallbackHandler, address paymentToken, uint256 payment, address paymentReceiver) external;
        function execTransaction(address to, uint256 value, bytes calldata data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, bytes memory signatures) external payable returns (bool success);
        function getTransactionHash(address to, uint256 value, bytes calldata data, uint8 operation, uint256 safeTxGas, uint256 baseGas, uint256 gasPrice, address gasToken, address refundReceiver, uint256 nonce) external view returns (bytes32);
        function checkSignatures(address executor, bytes32 dataHash, bytes memory signatures) external view;
        function domainSeparator() external view returns (bytes32);
        function nonce() external view returns (uint256);
        function getOwners() external view returns (address[] memory);
        function getThreshold() external view returns (uint256);
        function VERSION() external view returns (string memory);
        event SafeSetup(address indexed initiator, address[] owners, uint256 threshold, address initializer, address fallbackHandler);
        event ExecutionSuccess(bytes32 indexed txHash, uint256 payment);
        event ExecutionFailure(bytes32 indexed txHash, uint256 payment);
    }

    /// `CompatibilityFallbackHandler`'s functions, called on the Safe (its fallback forwards
    /// them to the handler with the Safe as the sender).
    interface ISafeFallback {
        function getMessageHash(bytes memory message) external view returns (bytes32);
        function isValidSignature(bytes32 dataHash, bytes calldata signature) external view returns (bytes4);
    }

    /// `SafeProxyFactory` (1.5.0).
    interface ISafeProxyFactory {
        function createProxyWithNonce(address singleton, bytes memory initializer, uint256 saltNonce) external returns (address proxy);
        function proxyCreationCode() external pure returns (bytes memory);
        event ProxyCreation(address indexed proxy, address singleton);
    }
}

/// keccak256 of `UniswapV2Pair`'s creation code: what `UniswapV2Library.pairFor` hard-codes
/// (and `evm/build.js` asserts).
pub const PAIR_INIT_CODE_HASH: B256 =
    b256!("96e8ac4277198ff8b6f785478aa9a39f403cb768dd02cbee326c3e7da348845f");

/// The magic value of EIP-1271's `isValidSignature(bytes32,bytes)`: its own selector.
pub const EIP1271_MAGIC_VALUE: [u8; 4] = [0x16, 0x26, 0xba, 0x7e];

/// keccak256("SafeMessage(bytes message)").
pub const SAFE_MSG_TYPEHASH: B256 =
    b256!("60b3cbf8b4a223d68d641b3b6ddf9a298e7f33710cf3d3a9d1146b5a6150fbca");

/// keccak256 of the Safe's `SafeTx(...)` type.
pub const SAFE_TX_TYPEHASH: B256 =
    b256!("bb8310d486368db6bd6f849402fdd73ad53d316b5a4b2644ad6efe0f941286d8");

/// keccak256("EIP712Domain(uint256 chainId,address verifyingContract)"), the Safe's domain.
pub const SAFE_DOMAIN_TYPEHASH: B256 =
    b256!("47e79534a245952e8b16893a336b85a3d9ea9fa8c573f3d803afb92a79469218");

/// A deadline the router always accepts.
const NO_DEADLINE: U256 = U256::MAX;

fn must(r: &Receipt, what: &str) {
    assert!(
        r.success,
        "{what} failed: {:?} output 0x{}",
        r.status,
        alloy_primitives::hex::encode(&r.output)
    );
}

/// Deploys Solidity contract `name` (artifacts/evm/`name`.json) from `from` with a creation
/// transaction, `args` appended to its init code; returns its address.
///
/// # Panics
///
/// When the artifact is missing (run `scripts/evm-build`) or the creation fails.
pub fn create(s: &mut Suite, from: Address, name: &str, args: &[u8]) -> Address {
    let artifact = Artifact::load(name).unwrap_or_else(|e| panic!("{e}"));
    let r = s.vm.create(from, U256::ZERO, &artifact.init_code(args));
    must(&r, &format!("creating {name}"));
    let address = r.contract_address.expect("a successful creation has an address");
    // The runtime code is the artifact's, immutables (the router's factory and WETH) filled in.
    assert_eq!(s.vm.code(address).len(), artifact.deployed_bytecode.len(), "{name}'s runtime code");
    address
}

/// `token.balanceOf(who)`.
pub fn balance_of(s: &mut Suite, token: Address, who: Address) -> U256 {
    s.view(token, &IERC20::balanceOfCall { owner: who })._0
}

/// `token.approve(spender, value)` from `owner`.
///
/// # Panics
///
/// When the approval fails or returns false.
pub fn approve(s: &mut Suite, owner: Address, token: Address, spender: Address, value: U256) {
    let (ok, _) = s.ok(owner, token, U256::ZERO, &IERC20::approveCall { spender, value });
    assert!(ok._0, "approve returned false");
}

/// The CREATE2 address of the pair of `a` and `b` by `factory`, as the router computes it:
/// salt `keccak256(token0 ‖ token1)` (sorted), code hash [`PAIR_INIT_CODE_HASH`].
pub fn pair_address(factory: Address, a: Address, b: Address) -> Address {
    let (t0, t1) = if a < b { (a, b) } else { (b, a) };
    let salt = keccak256([t0.as_slice(), t1.as_slice()].concat());
    factory.create2(salt, PAIR_INIT_CODE_HASH)
}

// ------------------------------------------------------------------------------- Uniswap V2

/// Uniswap V2 on the L2 world: WETH9, the factory (no protocol fee) and Router02.
#[derive(Clone, Copy, Debug)]
pub struct Uniswap {
    /// `WETH9`.
    pub weth: Address,
    /// `UniswapV2Factory`; its `feeToSetter` is the deployer, `feeTo` is never set.
    pub factory: Address,
    /// `UniswapV2Router02(factory, weth)`.
    pub router: Address,
}

/// A pair's reserves, in the order of the two tokens asked for ([`Uniswap::reserves`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reserves {
    /// The first token's reserve.
    pub a: U256,
    /// The second token's reserve.
    pub b: U256,
}

impl Uniswap {
    /// Deploys WETH9, the factory and the router from `deployer`, after checking that the
    /// pair's creation code in artifacts/evm hashes to [`PAIR_INIT_CODE_HASH`].
    ///
    /// # Panics
    ///
    /// When an artifact is missing, the hash differs or a creation fails.
    pub fn deploy(s: &mut Suite, deployer: Address) -> Self {
        let pair = Artifact::load("UniswapV2Pair").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(keccak256(&pair.bytecode), PAIR_INIT_CODE_HASH, "the pair's init code hash");
        let weth = create(s, deployer, "WETH9", &[]);
        let factory = create(s, deployer, "UniswapV2Factory", &deployer.abi_encode());
        let router = create(s, deployer, "UniswapV2Router02", &(factory, weth).abi_encode_params());
        assert_eq!(s.view(router, &IUniswapV2Router02::factoryCall {})._0, factory);
        assert_eq!(s.view(router, &IUniswapV2Router02::WETHCall {})._0, weth);
        Self { weth, factory, router }
    }

    /// Creates the pair of `a` and `b` through the factory (from `from`); checks it is at the
    /// address the router computes ([`pair_address`]) and returns it.
    ///
    /// # Panics
    ///
    /// When the creation fails or the pair is elsewhere.
    pub fn create_pair(&self, s: &mut Suite, from: Address, a: Address, b: Address) -> Address {
        let call = IUniswapV2Factory::createPairCall { tokenA: a, tokenB: b };
        let (pair, r) = s.ok(from, self.factory, U256::ZERO, &call);
        let pair = pair.pair;
        assert_eq!(pair, pair_address(self.factory, a, b), "the router's pairFor");
        let created = r.calls.iter().filter(|f| f.kind == CallKind::Create2).count();
        assert_eq!(created, 1, "the factory created the pair with CREATE2");
        let get = IUniswapV2Factory::getPairCall { tokenA: b, tokenB: a };
        assert_eq!(s.view(self.factory, &get).pair, pair);
        pair
    }

    /// The pair of `a` and `b` (zero if none).
    pub fn pair(&self, s: &mut Suite, a: Address, b: Address) -> Address {
        s.view(self.factory, &IUniswapV2Factory::getPairCall { tokenA: a, tokenB: b }).pair
    }

    /// `who` wraps `amount` of its ether into WETH (`deposit()`).
    ///
    /// # Panics
    ///
    /// When the deposit fails.
    pub fn wrap_ether(&self, s: &mut Suite, who: Address, amount: U256) {
        s.ok(who, self.weth, amount, &IWETH9::depositCall {});
    }

    /// The pair's reserves of `a` and `b`, in that order.
    pub fn reserves(&self, s: &mut Suite, a: Address, b: Address) -> Reserves {
        let pair = self.pair(s, a, b);
        let r = s.view(pair, &IUniswapV2Pair::getReservesCall {});
        let (r0, r1) = (U256::from(r.reserve0), U256::from(r.reserve1));
        if a < b {
            Reserves { a: r0, b: r1 }
        } else {
            Reserves { a: r1, b: r0 }
        }
    }

    /// `who` approves the router for `amount_a` of `a` and `amount_b` of `b` and adds them as
    /// liquidity (no minimum), the LP tokens to `who`. Returns the receipt, successful or not.
    pub fn add_liquidity(
        &self,
        s: &mut Suite,
        who: Address,
        (a, amount_a): (Address, U256),
        (b, amount_b): (Address, U256),
    ) -> Receipt {
        approve(s, who, a, self.router, amount_a);
        approve(s, who, b, self.router, amount_b);
        let call = IUniswapV2Router02::addLiquidityCall {
            tokenA: a,
            tokenB: b,
            amountADesired: amount_a,
            amountBDesired: amount_b,
            amountAMin: U256::ZERO,
            amountBMin: U256::ZERO,
            to: who,
            deadline: NO_DEADLINE,
        };
        s.send(who, self.router, U256::ZERO, &call)
    }

    /// `who` approves the router for `liquidity` LP tokens of the pair of `a` and `b` and
    /// removes them (no minimum), the tokens to `who`. Returns the receipt.
    pub fn remove_liquidity(
        &self,
        s: &mut Suite,
        who: Address,
        a: Address,
        b: Address,
        liquidity: U256,
    ) -> Receipt {
        let pair = self.pair(s, a, b);
        approve(s, who, pair, self.router, liquidity);
        let call = IUniswapV2Router02::removeLiquidityCall {
            tokenA: a,
            tokenB: b,
            liquidity,
            amountAMin: U256::ZERO,
            amountBMin: U256::ZERO,
            to: who,
            deadline: NO_DEADLINE,
        };
        s.send(who, self.router, U256::ZERO, &call)
    }

    /// What the router quotes for `amount_in` along `path` (`getAmountsOut`).
    pub fn amounts_out(&self, s: &mut Suite, amount_in: U256, path: &[Address]) -> Vec<U256> {
        let call =
            IUniswapV2Router02::getAmountsOutCall { amountIn: amount_in, path: path.to_vec() };
        s.view(self.router, &call).amounts
    }

    /// `who` approves the router for `amount_in` of `path[0]` and swaps it, exact in, along
    /// `path` for at least `min_out`, the output to `who`. Returns the receipt.
    pub fn swap_exact_in(
        &self,
        s: &mut Suite,
        who: Address,
        path: &[Address],
        amount_in: U256,
        min_out: U256,
    ) -> Receipt {
        approve(s, who, path[0], self.router, amount_in);
        let call = IUniswapV2Router02::swapExactTokensForTokensCall {
            amountIn: amount_in,
            amountOutMin: min_out,
            path: path.to_vec(),
            to: who,
            deadline: NO_DEADLINE,
        };
        s.send(who, self.router, U256::ZERO, &call)
    }
}

// ------------------------------------------------------------------------------------- Safe

/// The Safe singleton (`SafeL2`, the one Arbitrum's Safes use), the proxy factory and the
/// `CompatibilityFallbackHandler`.
#[derive(Clone, Copy, Debug)]
pub struct SafeContracts {
    /// `SafeL2`, the singleton every proxy delegates to.
    pub singleton: Address,
    /// `SafeProxyFactory`.
    pub factory: Address,
    /// `CompatibilityFallbackHandler`.
    pub handler: Address,
}

/// One Safe (a proxy of [`SafeContracts::singleton`]) and its owners' keys.
#[derive(Debug)]
pub struct Safe {
    /// The proxy's address.
    pub address: Address,
    /// The owners, sorted by address (the order the Safe wants signatures in).
    pub owners: Vec<Key>,
    /// Signatures it needs.
    pub threshold: usize,
}

impl SafeContracts {
    /// Deploys the singleton, the proxy factory and the fallback handler from `deployer`.
    ///
    /// # Panics
    ///
    /// When an artifact is missing or a creation fails.
    pub fn deploy(s: &mut Suite, deployer: Address) -> Self {
        Self {
            singleton: create(s, deployer, "SafeL2", &[]),
            factory: create(s, deployer, "SafeProxyFactory", &[]),
            handler: create(s, deployer, "CompatibilityFallbackHandler", &[]),
        }
    }

    /// Creates a Safe of `owners` needing `threshold` signatures, with the fallback handler,
    /// through `createProxyWithNonce(singleton, setup(...), salt_nonce)` sent by `from`.
    ///
    /// # Panics
    ///
    /// When the creation fails or the Safe is not set up as asked.
    pub fn create_safe(
        &self,
        s: &mut Suite,
        from: Address,
        owners: Vec<Key>,
        threshold: usize,
        salt_nonce: u64,
    ) -> Safe {
        let mut owners = owners;
        owners.sort_by_key(|k| k.address);
        let addresses: Vec<Address> = owners.iter().map(|k| k.address).collect();
        let setup = ISafe::setupCall {
            owners: addresses.clone(),
            threshold: U256::from(threshold),
            to: Address::ZERO,
            data: Bytes::new(),
            fallbackHandler: self.handler,
            paymentToken: Address::ZERO,
            payment: U256::ZERO,
            paymentReceiver: Address::ZERO,
        };
        let initializer: Bytes = setup.abi_encode().into();
        let call = ISafeProxyFactory::createProxyWithNonceCall {
            singleton: self.singleton,
            initializer: initializer.clone(),
            saltNonce: U256::from(salt_nonce),
        };
        let (proxy, _) = s.ok(from, self.factory, U256::ZERO, &call);
        let address = proxy.proxy;
        // The factory's CREATE2: salt keccak256(keccak256(initializer) ‖ saltNonce), the
        // proxy's creation code with the singleton appended.
        let code = s.view(self.factory, &ISafeProxyFactory::proxyCreationCodeCall {})._0;
        let init = [code.as_ref(), &self.singleton.abi_encode()].concat();
        let salt = keccak256((keccak256(&initializer), U256::from(salt_nonce)).abi_encode_packed());
        assert_eq!(address, self.factory.create2(salt, keccak256(init)), "the proxy's address");
        let mut listed = s.view(address, &ISafe::getOwnersCall {})._0;
        listed.sort();
        assert_eq!(listed, addresses);
        assert_eq!(s.view(address, &ISafe::getThresholdCall {})._0, U256::from(threshold));
        Safe { address, owners, threshold }
    }
}

impl Safe {
    /// The Safe's EIP-712 domain separator on `chain_id`.
    pub fn domain_separator(&self, chain_id: u64) -> B256 {
        keccak256((SAFE_DOMAIN_TYPEHASH, U256::from(chain_id), self.address).abi_encode())
    }

    /// The hash the owners sign for a `CALL` of `to` with `value` and `data`, no refund, at
    /// the Safe's `nonce`: `keccak256(0x1901 ‖ domain ‖ keccak256(SafeTx(...)))`.
    pub fn tx_hash(
        &self,
        chain_id: u64,
        to: Address,
        value: U256,
        data: &[u8],
        nonce: U256,
    ) -> B256 {
        let z = U256::ZERO;
        let safe_tx = (
            SAFE_TX_TYPEHASH,
            to,
            value,
            keccak256(data),
            z, // operation: CALL
            z, // safeTxGas
            z, // baseGas
            z, // gasPrice
            Address::ZERO,
            Address::ZERO,
            nonce,
        );
        eip712(self.domain_separator(chain_id), keccak256(safe_tx.abi_encode()))
    }

    /// The signatures of the owners at `signers` (indices into [`Safe::owners`], ascending:
    /// the Safe wants them ordered by owner address) over `hash`, `r ‖ s ‖ v` each.
    ///
    /// # Panics
    ///
    /// When `signers` is not ascending.
    pub fn sign(&self, hash: B256, signers: &[usize]) -> Bytes {
        assert!(signers.windows(2).all(|w| w[0] < w[1]), "signers ascending");
        signers.iter().flat_map(|&i| self.owners[i].sign(hash)).collect::<Vec<u8>>().into()
    }

    /// The Safe's current nonce.
    pub fn nonce(&self, s: &mut Suite) -> U256 {
        s.view(self.address, &ISafe::nonceCall {})._0
    }

    /// `execTransaction` of a `CALL` of `to` with `value` and `data`, signed by the owners at
    /// `signers`, sent by `sender`; the hash is also checked against the Safe's own
    /// `getTransactionHash`. Returns the receipt (the Safe emits `ExecutionSuccess` or, for a
    /// failing inner call with no `safeTxGas`, reverts with `GS013`).
    ///
    /// # Panics
    ///
    /// When the Safe's hash differs from [`Safe::tx_hash`].
    pub fn exec(
        &self,
        s: &mut Suite,
        sender: Address,
        (to, value, data): (Address, U256, &[u8]),
        signers: &[usize],
    ) -> Receipt {
        let nonce = self.nonce(s);
        let hash = self.tx_hash(s.vm.chain_id(), to, value, data, nonce);
        let theirs = s.view(self.address, &hash_call(to, value, data, nonce))._0;
        assert_eq!(hash, theirs, "the Safe's transaction hash");
        let call = ISafe::execTransactionCall {
            to,
            value,
            data: data.to_vec().into(),
            operation: 0,
            safeTxGas: U256::ZERO,
            baseGas: U256::ZERO,
            gasPrice: U256::ZERO,
            gasToken: Address::ZERO,
            refundReceiver: Address::ZERO,
            signatures: self.sign(hash, signers),
        };
        s.send(sender, self.address, U256::ZERO, &call)
    }

    /// The Safe's message hash of `digest`, what its owners sign for EIP-1271:
    /// `keccak256(0x1901 ‖ domain ‖ keccak256(SAFE_MSG_TYPEHASH ‖ keccak256(abi.encode(digest))))`.
    pub fn message_hash(&self, chain_id: u64, digest: B256) -> B256 {
        let safe_msg = (SAFE_MSG_TYPEHASH, keccak256(digest.abi_encode())).abi_encode();
        eip712(self.domain_separator(chain_id), keccak256(safe_msg))
    }

    /// An EIP-1271 signature of the Safe for `digest`: the owners at `signers` sign
    /// [`Safe::message_hash`]. The hash is checked against the handler's `getMessageHash`
    /// (called on the Safe).
    ///
    /// # Panics
    ///
    /// When the handler's hash differs.
    pub fn sign_message(&self, s: &mut Suite, digest: B256, signers: &[usize]) -> Bytes {
        let hash = self.message_hash(s.vm.chain_id(), digest);
        let message: Bytes = digest.abi_encode().into();
        let theirs = s.view(self.address, &ISafeFallback::getMessageHashCall { message })._0;
        assert_eq!(hash, theirs, "the handler's SafeMessage hash");
        self.sign(hash, signers)
    }

    /// `isValidSignature(digest, signature)` on the Safe, as a contract verifying it calls
    /// it: the 4 bytes it returns, or `None` when it reverts.
    pub fn is_valid_signature(
        &self,
        s: &mut Suite,
        digest: B256,
        signature: &Bytes,
    ) -> Option<[u8; 4]> {
        let call =
            ISafeFallback::isValidSignatureCall { dataHash: digest, signature: signature.clone() };
        let r = s.vm.static_call(Address::ZERO, self.address, &call.abi_encode());
        r.success.then(|| {
            let ret = ISafeFallback::isValidSignatureCall::abi_decode_returns(&r.output, true)
                .expect("isValidSignature's answer decodes");
            ret._0.0
        })
    }
}

/// `getTransactionHash` of a `CALL` of `to` with `value` and `data` at `nonce`, no refund.
fn hash_call(to: Address, value: U256, data: &[u8], nonce: U256) -> ISafe::getTransactionHashCall {
    ISafe::getTransactionHashCall {
        to,
        value,
        data: data.to_vec().into(),
        operation: 0,
        safeTxGas: U256::ZERO,
        baseGas: U256::ZERO,
        gasPrice: U256::ZERO,
        gasToken: Address::ZERO,
        refundReceiver: Address::ZERO,
        nonce,
    }
}

/// `keccak256(0x1901 ‖ domain ‖ struct_hash)`.
pub fn eip712(domain: B256, struct_hash: B256) -> B256 {
    keccak256([&[0x19, 0x01][..], domain.as_slice(), struct_hash.as_slice()].concat())
}
