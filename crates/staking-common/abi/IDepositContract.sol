// SPDX-License-Identifier: MIT
// The beacon chain deposit contract's interface (`deposit_contract.sol`, on Ethereum mainnet at
// 0x00000000219ab540356cBB839Cbe05303d7705Fa), declared once for everything in this repository
// that speaks to it: the node operator registry, which reads its root and encodes the pool's
// deposits (`staking_interface::client!`); the Stylus test double the end-to-end tests deploy
// in its place, whose router, calldata encoders and event logger are generated from this file
// (`tests/deposit-contract`, `staking_interface::interface!`); and the tests (alloy's sol!).
// It lives in staking-common, beside the deposit data roots (`deposit_data`), because it is an
// external contract's interface that production code and a test double share.
//
// The real contract reverts with `require` reasons (`Error(string)`), not custom errors, so no
// error is declared here (the double writes those reasons itself).
pragma solidity ^0.8.0;

interface IDepositContract {
    /// A processed deposit: `amount` (gwei) and `index` as 8-byte little-endian `bytes`.
    event DepositEvent(bytes pubkey, bytes withdrawal_credentials, bytes amount, bytes signature, bytes index);

    /// Submits a validator deposit of `msg.value` (at least 1 ether, a whole number of gwei):
    /// a 48-byte BLS public key, 32-byte withdrawal credentials, a 96-byte BLS signature, and
    /// the SSZ root of the `DepositData` they make with the amount, which the contract checks.
    function deposit(bytes calldata pubkey, bytes calldata withdrawal_credentials, bytes calldata signature, bytes32 deposit_data_root) external payable;
    /// The root of the deposit Merkle tree, mixed with the deposit count.
    function get_deposit_root() external view returns (bytes32);
    /// The number of deposits, 8 bytes little-endian.
    function get_deposit_count() external view returns (bytes memory);
    /// ERC-165, for ERC-165 itself and `IDepositContract`. The real contract inherits it from a
    /// separate `ERC165` interface, so its `IDepositContract` id is the XOR of the three
    /// selectors above (0x85640907), not of all four declared here.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool);
}
