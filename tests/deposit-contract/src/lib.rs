//! A test double of the beacon chain deposit contract (`deposit_contract.sol`, deployed on
//! mainnet at `0x00000000219ab540356cBB839Cbe05303d7705Fa`), as a Stylus program.
//!
//! The protocol sends validator deposits to a deposit target; end-to-end tests deploy this
//! program there so that every deposit is checked as the real contract checks it and lands in
//! the same Merkle tree. It is test-only: it is not in the production contract list and has no
//! exported ABI.
//!
//! ## What it keeps of the real contract
//!
//! - `deposit(pubkey, withdrawal_credentials, signature, deposit_data_root)` (payable): lengths
//!   48 / 32 / 96; `msg.value` at least 1 ether, a whole number of gwei, and at most
//!   `2^64 - 1` gwei; the `DepositData` root recomputed
//!   ([`staking_common::deposit_data::deposit_data_root`]) and compared with the argument; a
//!   tree with room (fewer than `2^32 - 1` deposits). Each failure reverts with the real
//!   contract's `Error(string)` reason, checked in the real contract's order.
//! - The event `DepositEvent(pubkey, withdrawal_credentials, amount, signature, index)`, amount
//!   (gwei) and index as 8-byte little-endian `bytes`.
//! - The incremental Merkle tree of depth 32: `branch[32]` and `deposit_count` in the same
//!   slots as the Solidity contract (0–31 and 32), `get_deposit_root()` mixing in the count,
//!   `get_deposit_count()` as 8-byte little-endian `bytes`, ERC-165 `supportsInterface` for
//!   ERC-165 and `IDepositContract`.
//! - The ether stays in the contract; it has no `receive` or `fallback`, so plain transfers and
//!   unknown selectors revert (with empty data, as Solidity's do).
//!
//! What it leaves out: the Solidity contract stores the zero hashes of the empty subtrees
//! (slots 33–64) at construction; this one computes them in `get_deposit_root`, which is
//! cheaper in wasm than 32 storage reads and needs no constructor. The event is emitted after
//! the root and tree checks rather than before them; a revert discards it either way.
//!
//! ## Routing
//!
//! The router, the `DepositEvent` logger and the calldata encoders are generated from the
//! deposit contract's interface file, `crates/staking-common/abi/IDepositContract.sol` (the one
//! the node operator registry binds to), by `staking_interface::interface!` (docs/interfaces.md):
//! `deposit` is the only payable function; value sent to any other, arguments that do not
//! decode, unknown selectors and plain transfers revert with empty data, as the Solidity
//! contract's dispatcher does. The file declares no errors: the real contract reverts with
//! `require` reasons, and so does this one ([`reasons`]).
#![cfg_attr(not(test), no_main)]
#![cfg_attr(not(test), no_std)]
#![cfg_attr(any(target_arch = "wasm32", feature = "export-abi"), allow(missing_docs))]

extern crate alloc;

use alloc::{vec, vec::Vec};

use alloy_primitives::{aliases::U64, B256, U256};
use alloy_sol_types::{SolCall, SolError};
use interface::emit;
use staking_common::{deposit_data, host};
use stylus_sdk::{
    prelude::*,
    storage::{StorageArray, StorageB256, StorageU64},
};

// The deposit contract's interface, declared once: `abi` (alloy's types), `interface` (the
// event logger, the calldata encoders, the function table) and the router, generated at
// compile time.
staking_interface::interface!(
    DepositContract,
    "../../crates/staking-common/abi/IDepositContract.sol"
);

/// ERC-165's own interface id (`0x01ffc9a7`).
pub const ERC165_ID: [u8; 4] = abi::IDepositContract::supportsInterfaceCall::SELECTOR;

/// `type(IDepositContract).interfaceId` of the real contract: the XOR of its three selectors
/// (`0x85640907`; `supportsInterface` is its `ERC165` parent's).
pub const DEPOSIT_CONTRACT_ID: [u8; 4] = {
    use abi::IDepositContract as I;
    let (a, b, c) = (
        I::depositCall::SELECTOR,
        I::get_deposit_rootCall::SELECTOR,
        I::get_deposit_countCall::SELECTOR,
    );
    [a[0] ^ b[0] ^ c[0], a[1] ^ b[1] ^ c[1], a[2] ^ b[2] ^ c[2], a[3] ^ b[3] ^ c[3]]
};

/// Depth of the deposit tree.
pub const TREE_DEPTH: usize = 32;
/// Deposits the tree holds: `2^32 - 1` (the real contract's `MAX_DEPOSIT_COUNT`).
pub const MAX_DEPOSIT_COUNT: u64 = (1 << TREE_DEPTH) - 1;
/// Wei per gwei.
pub const GWEI: u64 = 1_000_000_000;
/// The smallest deposit: 1 ether, in gwei.
pub const MIN_DEPOSIT_GWEI: u64 = 1_000_000_000;

/// The real contract's revert reasons.
pub mod reasons {
    #![allow(missing_docs)]
    pub const INVALID_PUBKEY_LENGTH: &str = "DepositContract: invalid pubkey length";
    pub const INVALID_WITHDRAWAL_CREDENTIALS_LENGTH: &str =
        "DepositContract: invalid withdrawal_credentials length";
    pub const INVALID_SIGNATURE_LENGTH: &str = "DepositContract: invalid signature length";
    pub const VALUE_TOO_LOW: &str = "DepositContract: deposit value too low";
    pub const VALUE_NOT_MULTIPLE_OF_GWEI: &str =
        "DepositContract: deposit value not multiple of gwei";
    pub const VALUE_TOO_HIGH: &str = "DepositContract: deposit value too high";
    pub const ROOT_MISMATCH: &str =
        "DepositContract: reconstructed DepositData does not match supplied deposit_data_root";
    pub const TREE_FULL: &str = "DepositContract: merkle tree full";
}

/// The deposit contract's state.
#[entrypoint]
#[storage]
pub struct DepositContract {
    /// Slots 0–31: the left siblings of the next leaf's path, one per height (Solidity's
    /// `bytes32[32] branch`).
    branch: StorageArray<StorageB256, TREE_DEPTH>,
    /// Slot 32: the number of deposits (Solidity's `uint256 deposit_count`; it never exceeds
    /// `2^32 - 1`, so its low 8 bytes hold it).
    deposit_count: StorageU64,
}

/// `Error(string)` revert data with `reason`, as Solidity's `require` writes it.
fn revert(reason: &str) -> Vec<u8> {
    staking_common::abi::encode_error_with_bytes(
        alloy_sol_types::Revert::SELECTOR,
        &[],
        reason.as_bytes(),
    )
}

/// `value` wei in gwei, if that fits in a `u64`, and the wei left over.
///
/// Long division of the 256-bit value by 10^9 in 32-bit digits, which keeps U256's generic
/// division out of the program: each partial remainder is below 10^9 < 2^30, so a remainder
/// and the next digit fit in a `u64`.
pub fn to_gwei(value: U256) -> (Option<u64>, u64) {
    let mut quotient = 0u64;
    let mut overflow = false;
    let mut rest = 0u64;
    for limb in value.as_limbs().iter().rev() {
        for digit in [limb >> 32, limb & 0xffff_ffff] {
            let current = (rest << 32) | digit;
            overflow |= quotient >> 32 != 0;
            quotient = (quotient << 32) | (current / GWEI);
            rest = current % GWEI;
        }
    }
    (if overflow { None } else { Some(quotient) }, rest)
}

impl DepositContract {
    /// Takes a validator deposit of `msg.value`: checks it, logs it and adds its
    /// `DepositData` root to the tree.
    ///
    /// # Errors
    ///
    /// `Error(string)` with one of [`reasons`]: a wrong pubkey, withdrawal credentials or
    /// signature length; a value under 1 ether, not a whole number of gwei, or over
    /// `2^64 - 1` gwei; a `deposit_data_root` other than the recomputed one; a full tree.
    ///
    /// # Events
    ///
    /// `DepositEvent(pubkey, withdrawal_credentials, amount, signature, index)`.
    ///
    /// # Access
    ///
    /// Anyone.
    pub fn deposit(
        &mut self,
        pubkey: &[u8],
        withdrawal_credentials: &[u8],
        signature: &[u8],
        deposit_data_root: B256,
    ) -> Result<(), Vec<u8>> {
        let pubkey: &[u8; deposit_data::PUBKEY_LENGTH] =
            pubkey.try_into().map_err(|_| revert(reasons::INVALID_PUBKEY_LENGTH))?;
        let credentials: &[u8; 32] = withdrawal_credentials
            .try_into()
            .map_err(|_| revert(reasons::INVALID_WITHDRAWAL_CREDENTIALS_LENGTH))?;
        let signature: &[u8; deposit_data::SIGNATURE_LENGTH] =
            signature.try_into().map_err(|_| revert(reasons::INVALID_SIGNATURE_LENGTH))?;

        let (gwei, rest) = to_gwei(host::value());
        if gwei.is_some_and(|g| g < MIN_DEPOSIT_GWEI) {
            return Err(revert(reasons::VALUE_TOO_LOW));
        }
        if rest != 0 {
            return Err(revert(reasons::VALUE_NOT_MULTIPLE_OF_GWEI));
        }
        let amount = gwei.ok_or_else(|| revert(reasons::VALUE_TOO_HIGH))?;

        let mut node = deposit_data::deposit_data_root(pubkey, credentials, amount, signature);
        if node != deposit_data_root.0 {
            return Err(revert(reasons::ROOT_MISMATCH));
        }
        let index = self.count();
        if index >= MAX_DEPOSIT_COUNT {
            return Err(revert(reasons::TREE_FULL));
        }

        emit::DepositEvent(
            pubkey,
            credentials,
            &amount.to_le_bytes(),
            signature,
            &index.to_le_bytes(),
        );

        // The new leaf's path: it is the right child at every height below the lowest set
        // bit of the new count, and the left child there, where it is stored. The count is
        // below 2^32, so that height is below 32.
        let count = index + 1;
        self.deposit_count.set(U64::from(count));
        let height = count.trailing_zeros() as usize;
        for h in 0..height {
            node = deposit_data::sha256_pair(&self.branch_at(h), &node);
        }
        if let Some(mut slot) = self.branch.setter(height) {
            slot.set(B256::new(node));
        }
        Ok(())
    }

    /// The root of the deposit tree, mixed with the deposit count:
    /// `sha256(node ‖ count as 8 bytes little-endian ‖ 24 zero bytes)`.
    pub fn get_deposit_root(&self) -> B256 {
        let count = self.count();
        let mut node = [0u8; 32];
        let mut zero = [0u8; 32];
        let mut size = count;
        for h in 0..TREE_DEPTH {
            node = if size & 1 == 1 {
                deposit_data::sha256_pair(&self.branch_at(h), &node)
            } else {
                deposit_data::sha256_pair(&node, &zero)
            };
            zero = deposit_data::sha256_pair(&zero, &zero);
            size >>= 1;
        }
        let mut length = [0u8; 32];
        if let Some((le, _)) = length.split_first_chunk_mut::<8>() {
            *le = count.to_le_bytes();
        }
        B256::new(deposit_data::sha256_pair(&node, &length))
    }

    /// The number of deposits, as 8 bytes little-endian (`bytes`, encoded here: 34 bytes of
    /// wasm less than returning `interface::Bytes`).
    pub fn get_deposit_count(&self) -> Option<stylus_sdk::ArbResult> {
        Some(Ok(staking_common::calldata::bytes(&self.count().to_le_bytes())))
    }

    /// ERC-165: true for ERC-165 itself and for `IDepositContract`.
    pub fn supports_interface(&self, interface_id: [u8; 4]) -> bool {
        interface_id == ERC165_ID || interface_id == DEPOSIT_CONTRACT_ID
    }

    /// The number of deposits.
    fn count(&self) -> u64 {
        let [count] = self.deposit_count.get().into_limbs();
        count
    }

    /// `branch[h]`.
    fn branch_at(&self, h: usize) -> [u8; 32] {
        self.branch.get(h).unwrap_or_default().0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_sol_types::Revert;
    // Its host shims (`native_keccak256`...) for the native test binary.
    use motsu as _;
    use proptest::prelude::*;

    #[test]
    fn revert_data_is_solidity_error_string() {
        let ours = revert(reasons::ROOT_MISMATCH);
        assert_eq!(ours, Revert::from(reasons::ROOT_MISMATCH).abi_encode());
    }

    #[test]
    fn the_interface_ids_are_erc165s_and_the_real_deposit_contracts() {
        let c = DepositContract::from(&stylus_sdk::testing::TestVM::default());
        assert_eq!(ERC165_ID, [0x01, 0xff, 0xc9, 0xa7]);
        assert_eq!(DEPOSIT_CONTRACT_ID, [0x85, 0x64, 0x09, 0x07]);
        assert!(c.supports_interface(ERC165_ID));
        assert!(c.supports_interface(DEPOSIT_CONTRACT_ID));
        assert!(!c.supports_interface([0xff; 4]));
        assert!(!c.supports_interface(abi::IDepositContract::depositCall::SELECTOR));
    }

    #[test]
    fn gwei_bounds() {
        assert_eq!(to_gwei(U256::ZERO), (Some(0), 0));
        assert_eq!(to_gwei(U256::from(GWEI - 1)), (Some(0), GWEI - 1));
        let max = U256::from(u64::MAX) * U256::from(GWEI);
        assert_eq!(to_gwei(max), (Some(u64::MAX), 0));
        assert_eq!(to_gwei(max + U256::from(GWEI - 1)), (Some(u64::MAX), GWEI - 1));
        assert_eq!(to_gwei(max + U256::from(GWEI)), (None, 0));
        assert_eq!(to_gwei(U256::MAX).1, (U256::MAX % U256::from(GWEI)).to::<u64>());
    }

    proptest! {
        #[test]
        fn to_gwei_is_division_by_a_billion(limbs in any::<[u64; 4]>(), shift in 0usize..256) {
            let value = U256::from_limbs(limbs) >> shift;
            let (q, r) = value.div_rem(U256::from(GWEI));
            let expected = if q > U256::from(u64::MAX) { None } else { Some(q.to::<u64>()) };
            prop_assert_eq!(to_gwei(value), (expected, r.to::<u64>()));
        }
    }
}
