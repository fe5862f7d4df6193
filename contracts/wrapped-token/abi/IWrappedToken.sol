// SPDX-License-Identifier: MIT
// The wrapped token's whole interface, declared once: `staking_interface::interface!` generates
// the router, the errors, the event loggers and the calldata encoders from this file; the tests
// and callers bind to it with alloy's sol!, and `scripts/build` exports it as the ABI.
//
// One unit of the wrapped token is one share of the staking pool: balances never move by
// themselves, the ether value of a unit grows with the pool's share rate. E = the pool's
// getTotalPooledEther(), S = its totalShares(); "floor" and "ceil" are exact integer roundings
// of the rational value.
pragma solidity ^0.8.0;

interface IWrappedToken {
    // ---------------------------------------------------------------- ERC-20
    /// "Wrapped Stylus Staked Ether".
    function name() external view returns (string memory);
    /// "wsETH".
    function symbol() external view returns (string memory);
    /// 18 (also the rate feeds' decimals).
    function decimals() external view returns (uint8);
    /// Units in existence: the pool shares the token holds for its holders (donated shares
    /// excluded).
    function totalSupply() external view returns (uint256);
    function balanceOf(address account) external view returns (uint256);
    function allowance(address owner, address spender) external view returns (uint256);
    /// ERC20InvalidReceiver(0), ERC20InsufficientBalance. Emits Transfer.
    function transfer(address to, uint256 value) external returns (bool);
    /// Spends the caller's allowance (2^256-1: never decreased). ERC20InsufficientAllowance,
    /// ERC20InvalidReceiver(0), ERC20InsufficientBalance. Emits Transfer.
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    /// ERC20InvalidSpender(0). Emits Approval.
    function approve(address spender, uint256 value) external returns (bool);

    // ---------------------------------------------------------------- wstETH's names
    /// Moves floor(stETHAmount * S / E) of the caller's pool shares into the token (no pool
    /// allowance needed) and mints as many units to the caller; returns them. ZeroAmount, the
    /// pool's TokenIsPaused / InsufficientShares. Emits Transfer(0, caller, units) (the pool:
    /// Transfer, TransferShares).
    function wrap(uint256 stETHAmount) external returns (uint256);
    /// Burns wstETHAmount of the caller's units and sends as many pool shares to the caller;
    /// returns their ether value, floor(wstETHAmount * E / S). ZeroAmount,
    /// ERC20InsufficientBalance, the pool's TokenIsPaused. Emits Transfer(caller, 0, units).
    function unwrap(uint256 wstETHAmount) external returns (uint256);
    /// Ether sent to the token is staked (the pool's deposit, referral 0) and the shares minted
    /// for it are wrapped for the sender in the same call. The pool's ZeroDeposit,
    /// StakingIsPaused, StakeLimitExceeded. Emits Transfer(0, sender, units).
    receive() external payable;
    /// The pool (the receipt token), as wstETH's stETH().
    function stETH() external view returns (address);
    /// Ether value of one unit (1e18): the pool's getPooledEthByShares(1e18), rounded down.
    function stEthPerToken() external view returns (uint256);
    /// Units per ether (1e18): the pool's getSharesByPooledEth(1e18), rounded down.
    function tokensPerStEth() external view returns (uint256);
    /// floor(wstETHAmount * E / S).
    function getStETHByWstETH(uint256 wstETHAmount) external view returns (uint256);
    /// floor(stETHAmount * S / E).
    function getWstETHByStETH(uint256 stETHAmount) external view returns (uint256);

    // ---------------------------------------------------------------- ERC-4626 (asset: the pool's token, share: one unit)
    /// The pool.
    function asset() external view returns (address assetTokenAddress);
    /// floor(totalSupply * E / S): what the holders' units are worth (donated shares excluded).
    function totalAssets() external view returns (uint256 totalManagedAssets);
    /// floor(assets * S / E).
    function convertToShares(uint256 assets) external view returns (uint256 shares);
    /// floor(shares * E / S).
    function convertToAssets(uint256 shares) external view returns (uint256 assets);
    /// The pool's getCurrentStakeLimit(): 0 while the pool's token (or staking) is paused,
    /// 2^256-1 without a stake limit. An underestimate: a deposit of the pool's token stakes
    /// nothing, so only the token pause refuses it.
    function maxDeposit(address receiver) external view returns (uint256 maxAssets);
    /// floor(assets * S / E): the units deposit(assets) mints.
    function previewDeposit(uint256 assets) external view returns (uint256 shares);
    /// Moves floor(assets * S / E) of the caller's pool shares into the token and mints as many
    /// units to `receiver`; returns them. ERC20InvalidReceiver(0) for the zero receiver; the
    /// pool's TokenIsPaused / InsufficientShares.
    /// Emits Transfer(0, receiver, shares), Deposit(caller, receiver, assets, shares).
    function deposit(uint256 assets, address receiver) external returns (uint256 shares);
    /// maxDeposit in units, rounded down (2^256-1 without a stake limit).
    function maxMint(address receiver) external view returns (uint256 maxShares);
    /// ceil(shares * E / S): the assets mint(shares) takes.
    function previewMint(uint256 shares) external view returns (uint256 assets);
    /// Moves exactly `shares` of the caller's pool shares into the token and mints as many units
    /// to `receiver`; returns ceil(shares * E / S). ERC20InvalidReceiver(0) for the zero
    /// receiver; the pool's TokenIsPaused / InsufficientShares.
    /// Emits Transfer(0, receiver, shares), Deposit(caller, receiver, assets, shares).
    function mint(uint256 shares, address receiver) external returns (uint256 assets);
    /// floor(balanceOf(owner) * E / S); 0 while the pool's token is paused.
    function maxWithdraw(address owner) external view returns (uint256 maxAssets);
    /// ceil(assets * S / E): the units withdraw(assets) burns.
    function previewWithdraw(uint256 assets) external view returns (uint256 shares);
    /// Sends `receiver` ceil(assets * S / E) pool shares (worth at least `assets`) and burns as
    /// many of `owner`'s units (spending the caller's allowance unless the caller is `owner`);
    /// returns the units burned. ERC20InsufficientAllowance, ERC20InsufficientBalance, the
    /// pool's TokenIsPaused / ERC20InvalidReceiver. Emits Transfer(owner, 0, shares),
    /// Withdraw(caller, receiver, owner, assets, shares).
    function withdraw(uint256 assets, address receiver, address owner) external returns (uint256 shares);
    /// balanceOf(owner); 0 while the pool's token is paused.
    function maxRedeem(address owner) external view returns (uint256 maxShares);
    /// floor(shares * E / S): the assets redeem(shares) sends.
    function previewRedeem(uint256 shares) external view returns (uint256 assets);
    /// Burns `shares` of `owner`'s units (spending the caller's allowance unless the caller is
    /// `owner`) and sends as many pool shares to `receiver`; returns floor(shares * E / S).
    /// ERC20InsufficientAllowance, ERC20InsufficientBalance, the pool's TokenIsPaused /
    /// ERC20InvalidReceiver. Emits Transfer(owner, 0, shares), Withdraw(caller, receiver, owner,
    /// assets, shares).
    function redeem(uint256 shares, address receiver, address owner) external returns (uint256 assets);

    // ---------------------------------------------------------------- permit (ERC-2612, EIP-712, EIP-1271, ERC-5267)
    /// Sets `owner`'s allowance for `spender` to `value` by `owner`'s signature of
    /// Permit(owner, spender, value, nonces(owner), deadline) under DOMAIN_SEPARATOR(), and
    /// increments the nonce. Valid if ecrecover(digest, v, r, s) == owner (s in the lower half,
    /// v 27 or 28), or else if `owner` has code and answers isValidSignature(digest, r‖s‖v) with
    /// 0x1626ba7e (EIP-1271). ERC2612ExpiredSignature(deadline) past the deadline,
    /// ERC2612InvalidSigner(signer, owner). Emits Approval(owner, spender, value).
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s) external;
    /// As the (v, r, s) form with the signature as bytes: a 65-byte r‖s‖v is tried with
    /// ecrecover first; any signature goes to the owner's EIP-1271 isValidSignature if the owner
    /// has code (a Safe with several owners signs this way).
    /// @custom:rust permit_with_signature
    function permit(address owner, address spender, uint256 value, uint256 deadline, bytes calldata signature) external;
    /// The nonce the owner's next permit must sign.
    function nonces(address owner) external view returns (uint256);
    /// keccak256(abi.encode(EIP712Domain typehash, keccak256(name), keccak256("1"), chainid,
    /// this)), computed on each call.
    function DOMAIN_SEPARATOR() external view returns (bytes32);
    /// ERC-5267: fields 0x0f (name, version, chainId, verifyingContract), no salt, no extensions.
    function eip712Domain() external view returns (bytes1 fields, string memory name, string memory version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] memory extensions);

    // ---------------------------------------------------------------- rate feeds
    /// Balancer's IRateProvider: ether per unit, 18 decimals (= stEthPerToken()).
    function getRate() external view returns (uint256);
    /// Chainlink AggregatorV3: answer = getRate(); roundId = answeredInRound = the number of
    /// oracle reports the pool applied; startedAt = updatedAt = the last report's timestamp
    /// (the pool's getLastReport()).
    function latestRoundData() external view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
    /// latestRoundData() for the latest round; any other round: NoDataPresent(roundId, latest)
    /// (the token keeps no history).
    /// @custom:raw
    function getRoundData(uint80 _roundId) external view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound);
    /// "wsETH / ETH exchange rate".
    function description() external view returns (string memory);
    /// 1.
    function version() external view returns (uint256);

    // ---------------------------------------------------------------- events
    /// ERC-20: `value` units moved (from 0: minted, to 0: burned).
    event Transfer(address indexed from, address indexed to, uint256 value);
    /// ERC-20: `owner`'s allowance for `spender` set to `value` (approve, permit).
    event Approval(address indexed owner, address indexed spender, uint256 value);
    /// ERC-4626: `sender` deposited `assets` of the pool's token; `shares` units went to `owner`.
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    /// ERC-4626: `sender` burned `shares` of `owner`'s units; `receiver` got `assets` of value.
    event Withdraw(address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares);

    // ---------------------------------------------------------------- errors
    /// ERC-20 (OpenZeppelin's names): `sender` holds `balance`, `needed` asked.
    error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed);
    /// ERC-20: a transfer to the zero address.
    error ERC20InvalidReceiver(address receiver);
    /// ERC-20: `spender` is allowed `allowance`, `needed` asked.
    error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed);
    /// ERC-20: an approval of the zero address.
    error ERC20InvalidSpender(address spender);
    /// ERC-2612: the permit's deadline passed.
    error ERC2612ExpiredSignature(uint256 deadline);
    /// ERC-2612: the signature is not the owner's (`signer`: what ecrecover gave, 0 if nothing).
    error ERC2612InvalidSigner(address signer, address owner);
    /// wrap(0) or unwrap(0).
    error ZeroAmount();
    /// A mint past 2^96-1 units in total (7.9e28 shares, far above all the ether there is).
    error SupplyOverflow();
    /// getRoundData of a round other than the latest: the token keeps no history.
    error NoDataPresent(uint256 roundId, uint256 latestRoundId);
    /// The pool answered with fewer bytes than its interface returns.
    error InvalidPoolAnswer();
    /// A conversion's result does not fit 256 bits (or the pool reports a zero total).
    error MathOverflow();
    /// A guarded function was re-entered.
    error ReentrantCall();
    /// The constructor ran already.
    error AlreadyInitialized();
    /// The constructor's pool is the zero address.
    error InvalidPool();
}

/// How the wrapped token is deployed: in one transaction through the StylusDeployer
/// (`cargo stylus deploy --constructor-args`), which calls the new program with
/// `bytes.concat(bytes4(keccak256("stylus_constructor()")), abi.encode(pool))`. It has no admin
/// and no upgrade; the pool's admin then calls pool.setWrappedToken(token) once.
abstract contract WrappedTokenDeployment {
    constructor(address pool) {}
}
