//! The precompiles a staking suite calls: `ecrecover` (0x01), `sha256` (0x02), `identity`
//! (0x04) and ArbSys (0x64: `arbBlockNumber()`, `arbBlockHash(uint256)`, `arbChainID()`).
//!
//! Prices: go-ethereum's `core/vm/contracts.go` (ecrecover 3,000; sha256 60 + 12 per word;
//! identity 15 + 3 per word). ArbSys is priced as nitro's precompile wrapper charges a method
//! that touches no ArbOS state: 3 gas per word of arguments and of result. Block hashes are
//! fakes, `keccak256("stylus-vm block" ‖ number)`, for the 256 blocks before the current one;
//! other numbers revert with `InvalidBlockNumber(requested, current)` as ArbSys does.
//! Other addresses in the precompile ranges (0x01–0x0a, 0x64–0x73) are warm but fail with a
//! message naming them: they are not modelled.

use alloy_primitives::{keccak256, Address, B256, U256};
use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::{
    call::{Exec, Message, Outcome},
    pricing::evm,
    receipt::{Category, Status},
};

/// ArbSys.
pub const ARB_SYS: Address =
    Address::new([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x64]);

/// Whether `address` is one of Ethereum's or Arbitrum's precompiles (warm from the start).
pub(crate) fn is_precompile(address: Address) -> bool {
    let bytes = address.as_slice();
    bytes[..19].iter().all(|b| *b == 0) && matches!(bytes[19], 0x01..=0x0a | 0x64..=0x73)
}

fn words(len: usize) -> u64 {
    (len as u64).div_ceil(32)
}

fn selector(signature: &str) -> [u8; 4] {
    let hash = keccak256(signature.as_bytes());
    [hash[0], hash[1], hash[2], hash[3]]
}

/// The fake hash of block `number`.
pub fn block_hash(number: u64) -> B256 {
    keccak256([&b"stylus-vm block"[..], &U256::from(number).to_be_bytes::<32>()].concat())
}

/// Runs a precompile call, charging `msg.gas`.
pub(crate) fn run(exec: &mut Exec, msg: &Message) -> Outcome {
    let address = msg.code_address;
    let result = match address.as_slice()[19] {
        0x01 => Ok((3_000, ecrecover(&msg.input))),
        0x02 => Ok((60 + 12 * words(msg.input.len()), Sha256::digest(&msg.input).to_vec())),
        0x04 => Ok((15 + 3 * words(msg.input.len()), msg.input.clone())),
        0x64 => arb_sys(exec, &msg.input),
        _ => {
            exec.ledger.add_gas(Category::Precompiles, msg.gas);
            let status = Status::Failure(format!("precompile {address} is not modelled"));
            return Outcome { status, output: Vec::new(), gas_left: 0 };
        }
    };
    let (cost, status, output) = match result {
        Ok((cost, output)) => (cost, Status::Success, output),
        Err((cost, output)) => (cost, Status::Revert, output),
    };
    if cost > msg.gas {
        exec.ledger.add_gas(Category::Precompiles, msg.gas);
        return Outcome { status: Status::OutOfGas, output: Vec::new(), gas_left: 0 };
    }
    exec.ledger.add_gas(Category::Precompiles, cost);
    Outcome { status, output, gas_left: msg.gas - cost }
}

/// `ecrecover(hash, v, r, s)`: the signer as a left-padded word, or nothing when invalid.
fn ecrecover(input: &[u8]) -> Vec<u8> {
    let mut buf = [0u8; 128];
    let n = input.len().min(128);
    buf[..n].copy_from_slice(&input[..n]);
    let (hash, v) = (&buf[..32], &buf[32..64]);
    if v[..31].iter().any(|b| *b != 0) || !matches!(v[31], 27 | 28) {
        return Vec::new();
    }
    let Ok(mut signature) = Signature::from_slice(&buf[64..128]) else {
        return Vec::new();
    };
    let mut parity = v[31] - 27;
    // geth accepts high-s signatures here; k256 recovers only low-s ones, and flipping s
    // flips the parity of the recovered point.
    if let Some(normalized) = signature.normalize_s() {
        signature = normalized;
        parity ^= 1;
    }
    let Some(id) = RecoveryId::from_byte(parity) else { return Vec::new() };
    let Ok(key) = VerifyingKey::recover_from_prehash(hash, &signature, id) else {
        return Vec::new();
    };
    let point = key.to_encoded_point(false);
    let address = &keccak256(&point.as_bytes()[1..])[12..];
    let mut out = vec![0u8; 12];
    out.extend_from_slice(address);
    out
}

type PrecompileResult = Result<(u64, Vec<u8>), (u64, Vec<u8>)>;

fn arb_sys(exec: &Exec, input: &[u8]) -> PrecompileResult {
    let args = input.len().saturating_sub(4);
    let copy = |output: &[u8]| evm::COPY_WORD * (words(args) + words(output.len()));
    let current = exec.env.block_number;
    let word = |x: u64| U256::from(x).to_be_bytes::<32>().to_vec();
    let Some(sel) = input.get(..4) else { return Err((0, Vec::new())) };
    if sel == selector("arbBlockNumber()") {
        let out = word(current);
        Ok((copy(&out), out))
    } else if sel == selector("arbChainID()") {
        let out = word(exec.env.chain_id);
        Ok((copy(&out), out))
    } else if sel == selector("arbBlockHash(uint256)") && input.len() >= 36 {
        let requested = U256::from_be_slice(&input[4..36]);
        let in_range =
            requested < U256::from(current) && requested + U256::from(256) >= U256::from(current);
        if in_range {
            let out = block_hash(requested.to::<u64>()).to_vec();
            Ok((copy(&out), out))
        } else {
            let mut out = selector("InvalidBlockNumber(uint256,uint256)").to_vec();
            out.extend_from_slice(&requested.to_be_bytes::<32>());
            out.extend_from_slice(&word(current));
            Err((copy(&out), out))
        }
    } else {
        Err((copy(&[]), Vec::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecrecover_returns_the_signer() {
        let key = k256::ecdsa::SigningKey::from_slice(&[7u8; 32]).unwrap();
        let hash = keccak256(b"hello");
        let (sig, id) = key.sign_prehash_recoverable(hash.as_slice()).unwrap();
        let mut input = hash.to_vec();
        input.extend_from_slice(&[0u8; 31]);
        input.push(27 + id.to_byte());
        input.extend_from_slice(&sig.to_bytes());
        let point = key.verifying_key().to_encoded_point(false);
        let expected = &keccak256(&point.as_bytes()[1..])[12..];
        assert_eq!(&ecrecover(&input)[12..], expected);

        // The high-s twin of the signature recovers the same signer.
        let high = Signature::from_scalars(sig.r().to_bytes(), (-*sig.s()).to_bytes()).unwrap();
        input[63] = 27 + (id.to_byte() ^ 1);
        input[64..].copy_from_slice(&high.to_bytes());
        assert_eq!(&ecrecover(&input)[12..], expected);
    }

    #[test]
    fn ecrecover_rejects_a_bad_v() {
        let mut input = vec![0u8; 128];
        input[63] = 29;
        assert!(ecrecover(&input).is_empty());
    }
}
