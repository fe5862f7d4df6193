//! The precompiles a staking suite calls: `ecrecover` (0x01), `sha256` (0x02), `identity`
//! (0x04), ArbSys (0x64, [`crate::arbos::arbsys`]) and ArbRetryableTx (0x6e,
//! [`crate::arbos::retryables`]).
//!
//! Prices: go-ethereum's `core/vm/contracts.go` (ecrecover 3,000; sha256 60 + 12 per word;
//! identity 15 + 3 per word). Block hashes are fakes, `keccak256("stylus-vm block" ‖
//! number)` ([`block_hash`]).
//! The other Ethereum precompiles (0x03, 0x05–0x0a) run on revm's precompile crate; ArbWasm
//! (0x71) is [`crate::arbwasm`]. Other addresses in the precompile ranges (0x01–0x0a,
//! 0x64–0x73) are warm but fail with a message naming them: they are not modelled.

use alloy_primitives::{keccak256, Address, B256, U256};
use k256::ecdsa::{RecoveryId, Signature, VerifyingKey};
use sha2::{Digest, Sha256};

use crate::{
    call::{Exec, Message, Outcome},
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
        0x64 => return crate::arbos::arbsys::run(exec, msg),
        0x6e => return crate::arbos::retryables::run(exec, msg),
        0x71 => return crate::arbos::arbwasm::run(exec, msg),
        0x03 | 0x05..=0x0a => return ethereum(exec, msg),
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

/// The other Ethereum precompiles (`ripemd160`, `modexp`, the BN254 curve, `blake2f`, the
/// KZG point evaluation), as revm's precompile crate computes and prices them (Cancun).
fn ethereum(exec: &mut Exec, msg: &Message) -> Outcome {
    use revm::primitives::Precompile;
    let precompile = revm::precompile::Precompiles::cancun().get(&msg.code_address);
    let result = match precompile {
        Some(Precompile::Standard(f)) => f(&msg.input.clone().into(), msg.gas),
        Some(Precompile::Env(f)) => {
            f(&msg.input.clone().into(), msg.gas, &revm::primitives::Env::default())
        }
        _ => {
            exec.ledger.add_gas(Category::Precompiles, msg.gas);
            let status =
                Status::Failure(format!("precompile {} is not modelled", msg.code_address));
            return Outcome { status, output: Vec::new(), gas_left: 0 };
        }
    };
    match result {
        Ok(out) => {
            exec.ledger.add_gas(Category::Precompiles, out.gas_used);
            Outcome {
                status: Status::Success,
                output: out.bytes.to_vec(),
                gas_left: msg.gas - out.gas_used,
            }
        }
        Err(e) => {
            exec.ledger.add_gas(Category::Precompiles, msg.gas);
            let status = Status::Failure(format!("precompile {}: {e:?}", msg.code_address));
            Outcome { status, output: Vec::new(), gas_left: 0 }
        }
    }
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
