//! `lsctl operator commit-keys`: a node operator commits the keys of a `deposit_data-*.json`
//! file, the one Ethereum's staking deposit CLI writes (`ethstaker-deposit-cli`,
//! `staking-deposit-cli`), after checking every key the way the beacon chain and the vault
//! will:
//!
//! - the withdrawal credentials are the vault's 0x01 credentials (the manifest's `l1-vault`);
//! - the amount is 32 ether (32,000,000,000 gwei);
//! - `deposit_message_root` and `deposit_data_root` are the SSZ roots of the key's fields;
//! - the BLS signature verifies over the deposit domain of the file's fork version (with
//!   `blst`, the library the beacon clients use);
//! - no key appears twice, and the fork version is the one expected (`--fork-version`).
//!
//! Any failure names the key (its index and pubkey) and nothing is sent. The keys then go to
//! the registry's `commitKeys` in batches, each a journaled step, so that a rerun never
//! commits a batch twice.

use alloy_primitives::hex;
use serde::Deserialize;
use staking_common::deposit_data::{deposit_data_root, sha256_pair};

use crate::CliError;

/// 32 ether in gwei.
pub const DEPOSIT_GWEI: u64 = 32_000_000_000;
/// The beacon chain's deposit domain type.
pub const DOMAIN_DEPOSIT: [u8; 4] = [3, 0, 0, 0];
/// The proof-of-possession ciphersuite the beacon chain signs with.
pub const BLS_DST: &[u8] = b"BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

/// One entry of a `deposit_data-*.json` file, as the deposit CLI writes it (hex without 0x).
#[derive(Clone, Debug, Deserialize)]
pub struct DepositEntry {
    /// The BLS public key.
    pub pubkey: String,
    /// The withdrawal credentials.
    pub withdrawal_credentials: String,
    /// The amount in gwei.
    pub amount: u64,
    /// The BLS signature over the deposit message.
    pub signature: String,
    /// `hash_tree_root(DepositMessage)`.
    pub deposit_message_root: String,
    /// `hash_tree_root(DepositData)`.
    pub deposit_data_root: String,
    /// The fork version the signature's domain uses.
    pub fork_version: String,
    /// The network the CLI was told.
    #[serde(default)]
    pub network_name: String,
}

/// A checked key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Key {
    /// Its public key.
    pub pubkey: [u8; 48],
    /// Its deposit signature.
    pub signature: [u8; 96],
}

fn bytes<const N: usize>(i: usize, field: &str, value: &str) -> Result<[u8; N], CliError> {
    let raw = hex::decode(value.trim_start_matches("0x"))
        .map_err(|_| CliError::Check(format!("key {i}: {field} is not hex")))?;
    raw.try_into().map_err(|_| CliError::Check(format!("key {i}: {field} is not {N} bytes")))
}

fn pad32(bytes: &[u8]) -> [u8; 32] {
    let mut out = [0u8; 32];
    out[..bytes.len()].copy_from_slice(bytes);
    out
}

/// `hash_tree_root(DepositMessage { pubkey, withdrawal_credentials, amount })`.
pub fn deposit_message_root(
    pubkey: &[u8; 48],
    credentials: &[u8; 32],
    amount_gwei: u64,
) -> [u8; 32] {
    let pubkey_root = sha256_pair(&pad32(&pubkey[..32]), &pad32(&pubkey[32..]));
    let amount = pad32(&amount_gwei.to_le_bytes());
    sha256_pair(&sha256_pair(&pubkey_root, credentials), &sha256_pair(&amount, &[0u8; 32]))
}

/// The deposit signing root: `hash_tree_root(SigningData { object_root, domain })` with the
/// deposit domain of `fork_version` (deposits use a zero genesis validators root).
pub fn signing_root(message_root: &[u8; 32], fork_version: [u8; 4]) -> [u8; 32] {
    let fork_data_root = sha256_pair(&pad32(&fork_version), &[0u8; 32]);
    let mut domain = [0u8; 32];
    domain[..4].copy_from_slice(&DOMAIN_DEPOSIT);
    domain[4..].copy_from_slice(&fork_data_root[..28]);
    sha256_pair(message_root, &domain)
}

/// Parses and checks a deposit data file (see the module docs).
///
/// # Errors
///
/// A malformed file, or the first key that fails a check, named.
pub fn check_file(
    json: &[u8],
    credentials: &[u8; 32],
    fork_version: Option<[u8; 4]>,
) -> Result<Vec<Key>, CliError> {
    let entries: Vec<DepositEntry> = serde_json::from_slice(json)
        .map_err(|e| CliError::Check(format!("not a deposit data file: {e}")))?;
    if entries.is_empty() {
        return Err(CliError::Check("the deposit data file has no keys".into()));
    }
    let mut keys: Vec<Key> = Vec::with_capacity(entries.len());
    for (i, e) in entries.iter().enumerate() {
        let pubkey: [u8; 48] = bytes(i, "pubkey", &e.pubkey)?;
        let name = format!("key {i} (0x{}…)", hex::encode(&pubkey[..8]));
        let wc: [u8; 32] = bytes(i, "withdrawal_credentials", &e.withdrawal_credentials)?;
        let signature: [u8; 96] = bytes(i, "signature", &e.signature)?;
        let version: [u8; 4] = bytes(i, "fork_version", &e.fork_version)?;
        if &wc != credentials {
            return Err(CliError::Check(format!(
                "{name}: withdrawal credentials 0x{} are not the vault's 0x{}",
                hex::encode(wc),
                hex::encode(credentials)
            )));
        }
        if e.amount != DEPOSIT_GWEI {
            return Err(CliError::Check(format!(
                "{name}: amount {} gwei, not 32 ether ({DEPOSIT_GWEI} gwei)",
                e.amount
            )));
        }
        if let Some(expected) = fork_version {
            if version != expected {
                return Err(CliError::Check(format!(
                    "{name}: fork version 0x{} ({}), not 0x{}",
                    hex::encode(version),
                    e.network_name,
                    hex::encode(expected)
                )));
            }
        }
        let message_root = deposit_message_root(&pubkey, &wc, e.amount);
        if message_root != bytes::<32>(i, "deposit_message_root", &e.deposit_message_root)? {
            return Err(CliError::Check(format!(
                "{name}: deposit_message_root does not match its fields"
            )));
        }
        let data_root = deposit_data_root(&pubkey, &wc, e.amount, &signature);
        if data_root != bytes::<32>(i, "deposit_data_root", &e.deposit_data_root)? {
            return Err(CliError::Check(format!(
                "{name}: deposit_data_root does not match its fields"
            )));
        }
        let pk = blst::min_pk::PublicKey::key_validate(&pubkey)
            .map_err(|_| CliError::Check(format!("{name}: the pubkey is not a valid BLS key")))?;
        let sig = blst::min_pk::Signature::sig_validate(&signature, true).map_err(|_| {
            CliError::Check(format!("{name}: the signature is not a valid BLS signature"))
        })?;
        let root = signing_root(&message_root, version);
        if sig.verify(true, &root, BLS_DST, &[], &pk, true) != blst::BLST_ERROR::BLST_SUCCESS {
            return Err(CliError::Check(format!(
                "{name}: the signature does not verify over the deposit domain of fork 0x{}",
                hex::encode(version)
            )));
        }
        if keys.iter().any(|k| k.pubkey == pubkey) {
            return Err(CliError::Check(format!("{name}: appears twice in the file")));
        }
        keys.push(Key { pubkey, signature });
    }
    Ok(keys)
}

/// Deterministic keys for a devnet, written as the deposit CLI writes its file: key `i`'s BLS
/// secret is derived from `keccak256(seed ‖ i)`. **Never for a real network**: anyone who
/// knows the seed has the keys.
pub fn devnet_deposit_data(
    count: u32,
    seed: &str,
    credentials: [u8; 32],
    fork_version: [u8; 4],
) -> Vec<serde_json::Value> {
    (0..count)
        .map(|i| {
            let ikm = alloy_primitives::keccak256(format!("{seed}/{i}"));
            let sk = blst::min_pk::SecretKey::key_gen(ikm.as_slice(), &[])
                .expect("32 bytes of key material are enough");
            let pubkey: [u8; 48] = sk.sk_to_pk().to_bytes();
            let message_root = deposit_message_root(&pubkey, &credentials, DEPOSIT_GWEI);
            let signature: [u8; 96] =
                sk.sign(&signing_root(&message_root, fork_version), BLS_DST, &[]).to_bytes();
            let data_root = deposit_data_root(&pubkey, &credentials, DEPOSIT_GWEI, &signature);
            serde_json::json!({
                "pubkey": hex::encode(pubkey),
                "withdrawal_credentials": hex::encode(credentials),
                "amount": DEPOSIT_GWEI,
                "signature": hex::encode(signature),
                "deposit_message_root": hex::encode(message_root),
                "deposit_data_root": hex::encode(data_root),
                "fork_version": hex::encode(fork_version),
                "network_name": "devnet",
                "deposit_cli_version": "lsctl-devnet",
            })
        })
        .collect()
}
