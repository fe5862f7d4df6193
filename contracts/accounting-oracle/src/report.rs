//! The report data of `submitReportData(ReportData data, uint256 contractVersion)`: its hash,
//! read straight from the calldata, and its fields, decoded by hand.
//!
//! ## Hash
//!
//! The committee votes `keccak256(abi.encode(data))`. `ReportData` is a dynamic tuple, so the
//! call's arguments are `[offset 0x40][contractVersion][tuple…]` and `abi.encode(data)` is
//! `word(0x20) ‖ tuple…`: the hash is taken over those bytes without re-encoding. The head's
//! offset must be exactly 0x40 and nothing may follow the tuple's canonical end, otherwise the
//! bytes hashed would not be `abi.encode` of anything decoded here; such data is refused
//! (`UnexpectedDataHash` with the hash of the bytes as sent, which never equals the agreed
//! one). Because the hash covers every byte decoded, the decoded report is exactly the one the
//! committee agreed on.
//!
//! ## Layout (tuple head, words)
//!
//! ```text
//! 0 consensusVersion   1 refSlot          2 numValidators     3 clBalanceGwei
//! 4 withdrawals        5 elRewards        6 vaultBalance      7 bridgedToL2
//! 8 sharesRequestedToBurn                 9 -> withdrawalFinalizationBatches
//! 10 simulatedShareRate                   11 isBunkerMode
//! 12 -> exitedOperatorIds                 13 -> exitedValidatorsCounts
//! 14 -> exitedOrderHints                 15 exitRequestsCount   16 exitRequestsHash
//! ```

use alloc::vec::Vec;

use alloy_primitives::{B256, U256};
use staking_common::calldata::Args;
use stylus_sdk::crypto::keccak;

/// Head words of the tuple.
const HEAD_WORDS: usize = 17;
/// Where the tuple starts in the arguments: after the offset word and `contractVersion`.
const TUPLE_START: usize = 0x40;

/// A decoded report.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReportData {
    /// The consensus version the committee voted under.
    pub consensus_version: U256,
    /// The frame's reference slot.
    pub ref_slot: U256,
    /// Validators ever seen on the consensus layer.
    pub num_validators: U256,
    /// Their balance, gwei.
    pub cl_balance_gwei: U256,
    /// Withdrawals received at the pool's address, wei.
    pub withdrawals: U256,
    /// Execution-layer rewards received at the pool's address, wei.
    pub el_rewards: U256,
    /// The L1 vault's free balance at the reference slot, wei.
    pub vault_balance: U256,
    /// The L1 vault's cumulative ether bridged to L2 at the reference slot, wei.
    pub bridged_to_l2: U256,
    /// Shares held by the pool itself to burn.
    pub shares_to_burn: U256,
    /// Finalization batch ends (increasing request ids).
    pub batches: Vec<U256>,
    /// The finalization share rate (1e27).
    pub simulated_share_rate: U256,
    /// The committee's bunker-mode flag.
    pub bunker: bool,
    /// Operators whose exited count changed (strictly increasing).
    pub exited_ids: Vec<U256>,
    /// Their cumulative exited counts.
    pub exited_counts: Vec<U256>,
    /// Where each goes in the registry's deposit order (the operator it follows).
    pub exited_hints: Vec<U256>,
    /// Validators the committee asks to exit.
    pub exit_requests_count: U256,
    /// keccak256 of the packed exit list.
    pub exit_requests_hash: B256,
}

/// The data as sent: its hash and, when the encoding is canonical, its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submitted {
    /// `keccak256(word(0x20) ‖ tuple bytes)`.
    pub hash: B256,
    /// `None` when the encoding is not the canonical `abi.encode` of a `ReportData`.
    pub data: Option<ReportData>,
}

/// Reads the arguments of `submitReportData` (without the selector): the contract version and
/// the report as sent. `None` when the arguments are too short to hold the head.
pub fn read(args: &[u8]) -> Option<(U256, Submitted)> {
    let a = Args(args);
    let offset = a.u256(0)?;
    let contract_version = a.u256(1)?;
    let tuple = args.get(TUPLE_START..)?;
    let mut encoded = Vec::with_capacity(32 + tuple.len());
    encoded.extend_from_slice(&U256::from(0x20).to_be_bytes::<32>());
    encoded.extend_from_slice(tuple);
    let hash = keccak(&encoded);
    let data = if offset == U256::from(TUPLE_START) { decode(tuple) } else { None };
    Some((contract_version, Submitted { hash, data }))
}

/// Decodes the tuple, requiring the canonical layout: the four arrays right after the head, in
/// order, and nothing after the last.
fn decode(tuple: &[u8]) -> Option<ReportData> {
    let t = Args(tuple);
    let batches = t.u256_array(9)?;
    let exited_ids = t.u256_array(12)?;
    let exited_counts = t.u256_array(13)?;
    let exited_hints = t.u256_array(14)?;
    // Canonical offsets: each array follows the previous one.
    let mut at = HEAD_WORDS * 32;
    for (word, len) in [
        (9, batches.len()),
        (12, exited_ids.len()),
        (13, exited_counts.len()),
        (14, exited_hints.len()),
    ] {
        if t.u256(word)? != U256::from(at) {
            return None;
        }
        at += 32 * (1 + len);
    }
    if tuple.len() != at {
        return None;
    }
    Some(ReportData {
        consensus_version: t.u256(0)?,
        ref_slot: t.u256(1)?,
        num_validators: t.u256(2)?,
        cl_balance_gwei: t.u256(3)?,
        withdrawals: t.u256(4)?,
        el_rewards: t.u256(5)?,
        vault_balance: t.u256(6)?,
        bridged_to_l2: t.u256(7)?,
        shares_to_burn: t.u256(8)?,
        batches,
        simulated_share_rate: t.u256(10)?,
        bunker: t.boolean(11)?,
        exited_ids,
        exited_counts,
        exited_hints,
        exit_requests_count: t.u256(15)?,
        exit_requests_hash: t.b256(16)?,
    })
}

#[cfg(test)]
mod tests {
    use alloy_primitives::keccak256;
    use alloy_sol_types::{SolCall, SolValue};

    use super::*;
    use crate::abi::IAccountingOracle as I;

    fn sample(batches: u64, exited: u64) -> I::ReportData {
        let u = U256::from;
        I::ReportData {
            consensusVersion: u(2),
            refSlot: u(6_479_999),
            numValidators: u(1_000),
            clBalanceGwei: u(32_100_000_000_000_u64),
            withdrawals: U256::MAX,
            elRewards: u(7),
            vaultBalance: u(8),
            bridgedToL2: U256::MAX - u(9),
            sharesRequestedToBurn: u(0),
            withdrawalFinalizationBatches: (1..=batches).map(u).collect(),
            simulatedShareRate: u(10).pow(u(27)),
            isBunkerMode: true,
            exitedOperatorIds: (0..exited).map(u).collect(),
            exitedValidatorsCounts: (0..exited).map(|i| u(i * 3)).collect(),
            exitedOrderHints: (0..exited).map(|i| u(i * 5)).collect(),
            exitRequestsCount: u(exited * 7),
            exitRequestsHash: B256::repeat_byte(u8::try_from(exited).unwrap_or(u8::MAX)),
        }
    }

    fn args(call: &I::submitReportDataCall) -> Vec<u8> {
        call.abi_encode()[4..].to_vec()
    }

    #[test]
    fn the_hash_is_keccak_of_abi_encode_and_the_fields_decode() {
        for (b, e) in [(0, 0), (15, 0), (1, 3), (0, 100)] {
            let data = sample(b, e);
            let call =
                I::submitReportDataCall { data: data.clone(), contractVersion: U256::from(1) };
            let (version, sent) = read(&args(&call)).unwrap();
            assert_eq!(version, U256::from(1));
            assert_eq!(sent.hash, keccak256(data.abi_encode()));
            let got = sent.data.unwrap();
            assert_eq!(got.consensus_version, data.consensusVersion);
            assert_eq!(got.ref_slot, data.refSlot);
            assert_eq!(got.num_validators, data.numValidators);
            assert_eq!(got.cl_balance_gwei, data.clBalanceGwei);
            assert_eq!(got.withdrawals, data.withdrawals);
            assert_eq!(got.el_rewards, data.elRewards);
            assert_eq!(got.vault_balance, data.vaultBalance);
            assert_eq!(got.bridged_to_l2, data.bridgedToL2);
            assert_eq!(got.shares_to_burn, data.sharesRequestedToBurn);
            assert_eq!(got.batches, data.withdrawalFinalizationBatches);
            assert_eq!(got.simulated_share_rate, data.simulatedShareRate);
            assert_eq!(got.bunker, data.isBunkerMode);
            assert_eq!(got.exited_ids, data.exitedOperatorIds);
            assert_eq!(got.exited_counts, data.exitedValidatorsCounts);
            assert_eq!(got.exited_hints, data.exitedOrderHints);
            assert_eq!(got.exit_requests_count, data.exitRequestsCount);
            assert_eq!(got.exit_requests_hash, data.exitRequestsHash);
        }
    }

    #[test]
    fn non_canonical_encodings_are_not_decoded() {
        let call = I::submitReportDataCall { data: sample(2, 1), contractVersion: U256::from(1) };
        let good = args(&call);
        // Trailing bytes: the hash changes, and nothing is decoded.
        let mut long = good.clone();
        long.extend_from_slice(&[0; 32]);
        let (_, sent) = read(&long).unwrap();
        assert!(sent.data.is_none());
        assert_ne!(sent.hash, read(&good).unwrap().1.hash);
        // A head offset other than 0x40.
        let mut moved = good.clone();
        moved[31] = 0x60;
        assert!(read(&moved).unwrap().1.data.is_none());
        // An array offset pointing elsewhere (the batches at the ids' place).
        let mut swapped = good.clone();
        let ids_offset: [u8; 32] = good[0x40 + 12 * 32..0x40 + 13 * 32].try_into().unwrap();
        swapped[0x40 + 9 * 32..0x40 + 10 * 32].copy_from_slice(&ids_offset);
        assert!(read(&swapped).unwrap().1.data.is_none());
        // The hints read from the counts' array (word 14 given word 13's offset; the counts and
        // the hints are equally long, so only the offset check can tell).
        let call = I::submitReportDataCall { data: sample(0, 2), contractVersion: U256::from(1) };
        let good = args(&call);
        assert!(read(&good).unwrap().1.data.is_some());
        let mut shared = good.clone();
        let counts_offset: [u8; 32] = good[0x40 + 13 * 32..0x40 + 14 * 32].try_into().unwrap();
        shared[0x40 + 14 * 32..0x40 + 15 * 32].copy_from_slice(&counts_offset);
        assert!(read(&shared).unwrap().1.data.is_none());
        // A dirty bool.
        let mut dirty = good.clone();
        dirty[0x40 + 11 * 32 + 31] = 2;
        assert!(read(&dirty).unwrap().1.data.is_none());
        // Too short for the head words.
        assert!(read(&good[..40]).is_none());
        // Truncated arrays.
        assert!(read(&good[..good.len() - 32]).unwrap().1.data.is_none());
    }
}
