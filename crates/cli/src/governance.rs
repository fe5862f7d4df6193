//! `lsctl gov`: governance's actions on a deployment (its manifest names the contracts),
//! sent directly from an account that holds the role, or written as a Safe Transaction
//! Builder batch (the JSON the Safe app imports) for the governance Safe's owners to sign
//! and execute (`lsctl safe exec`, [`crate::safe`]).
//!
//! | action | call | role (AccessManager) |
//! |---|---|---|
//! | `grant-role ROLE ACCOUNT`, `revoke-role ROLE ACCOUNT` | `grantRole`, `revokeRole` | the role's admin (`DEFAULT_ADMIN_ROLE`) |
//! | `pause-staking`, `resume-staking` | the pool's `pauseStaking`, `resumeStaking` | `STAKING_CONTROL_ROLE` |
//! | `pause-token`, `resume-token` | the pool's `pauseToken`, `resumeToken` (deposits and transfers) | `PAUSE_ROLE`, `RESUME_ROLE` |
//! | `pause-queue`, `resume-queue` | the queue's `pause`, `resume` | `PAUSE_ROLE`, `RESUME_ROLE` |
//! | `set-stake-limit MAX PER_BLOCK` (ether) | `setStakingLimit` | `STAKING_CONTROL_ROLE` |
//! | `set-fees TREASURY TOTAL_BP OPERATORS_BP` | `setFeeConfig` | `PROTOCOL_FEE_ROLE` |
//! | `add-operator NAME REWARD_ADDRESS` | the registry's `addOperator` | `OPERATOR_MANAGER_ROLE` |
//! | `set-vetted-limit OPERATOR_ID KEYS` | the registry's `setVettedLimit` | `OPERATOR_LIMITS_ROLE` |
//! | `upgrade CONTRACT EXTENSION` | `schedule(core, upgradeExtension(EXTENSION))` | `UPGRADE_ROLE`, after `UPGRADE_DELAY` |
//! | `execute-upgrade CONTRACT EXTENSION` | `upgradeExtension(EXTENSION)` once the delay passed | `UPGRADE_ROLE` |
//! | `cancel-upgrade CONTRACT EXTENSION CALLER` | `cancel(CALLER, core, upgradeExtension(..))` | the caller, or `GUARDIAN_ROLE` |
//!
//! A direct send is checked first with `eth_estimateGas`: a missing role comes back as the
//! core's `AccessDenied(caller, role, reason)` (or the AccessManager's
//! `AccessControlUnauthorizedAccount`), decoded and named (`crate::revert`), before anything is
//! signed.

use alloy_primitives::{Address, Bytes, U256};
use alloy_sol_types::SolCall;
use serde::{Deserialize, Serialize};

use crate::{
    abi::{IAccessManager, INodeOperatorRegistry, IStakingPool, IWithdrawalQueue},
    deploy::role_by_name,
    manifest::Manifest,
    CliError,
};

/// One call governance makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Action {
    /// What it does, for the log and the batch's description.
    pub label: String,
    /// The contract called.
    pub to: Address,
    /// The calldata.
    pub data: Vec<u8>,
}

fn contract(manifest: &Manifest, name: &str) -> Result<Address, CliError> {
    manifest.contracts.get(name).copied().ok_or_else(|| {
        CliError::Manifest(format!("the manifest names no {name}: deploy first (lsctl deploy)"))
    })
}

fn arg<'a>(args: &'a [String], i: usize, what: &str) -> Result<&'a str, CliError> {
    args.get(i).map(String::as_str).ok_or_else(|| CliError::Usage(format!("missing {what}")))
}

fn address(value: &str) -> Result<Address, CliError> {
    value.parse().map_err(|_| CliError::Usage(format!("{value} is not an address")))
}

/// The core program a name designates (`pool`, `queue`, `registry`, `oracle`).
fn core(manifest: &Manifest, name: &str) -> Result<Address, CliError> {
    let full = match name {
        "pool" => "staking-pool",
        "queue" => "withdrawal-queue",
        "registry" => "node-operator-registry",
        "oracle" => "accounting-oracle",
        other => {
            return Err(CliError::Usage(format!("{other}: name pool, queue, registry or oracle")))
        }
    };
    contract(manifest, full)
}

/// Parses `action args...` into the call to make.
///
/// # Errors
///
/// An unknown action or role, a malformed argument, or a contract the manifest lacks.
pub fn parse(manifest: &Manifest, action: &str, args: &[String]) -> Result<Action, CliError> {
    let manager = || contract(manifest, "access-manager");
    let pool = || contract(manifest, "staking-pool");
    let queue = || contract(manifest, "withdrawal-queue");
    let (to, data, label) = match action {
        "grant-role" | "revoke-role" => {
            let name = arg(args, 0, "ROLE")?;
            let role = role_by_name(name)
                .ok_or_else(|| CliError::Usage(format!("{name} is not a role of the protocol")))?;
            let account = address(arg(args, 1, "ACCOUNT")?)?;
            let data = if action == "grant-role" {
                IAccessManager::grantRoleCall { role, account }.abi_encode()
            } else {
                IAccessManager::revokeRoleCall { role, account }.abi_encode()
            };
            (manager()?, data, format!("{action} {name} {account}"))
        }
        "pause-staking" => (pool()?, IStakingPool::pauseStakingCall {}.abi_encode(), action.into()),
        "resume-staking" => {
            (pool()?, IStakingPool::resumeStakingCall {}.abi_encode(), action.into())
        }
        "add-operator" => {
            let call = INodeOperatorRegistry::addOperatorCall {
                name: arg(args, 0, "NAME")?.to_string(),
                rewardAddress: address(arg(args, 1, "REWARD_ADDRESS")?)?,
            };
            (
                contract(manifest, "node-operator-registry")?,
                call.abi_encode(),
                format!("{action} {}", args.join(" ")),
            )
        }
        "set-vetted-limit" => {
            let n = |i: usize, what: &str| -> Result<U256, CliError> {
                let v = arg(args, i, what)?;
                v.parse::<u64>()
                    .map(U256::from)
                    .map_err(|_| CliError::Usage(format!("{v} is not a number")))
            };
            let call = INodeOperatorRegistry::setVettedLimitCall {
                operatorId: n(0, "OPERATOR_ID")?,
                vetted: n(1, "KEYS")?,
            };
            (
                contract(manifest, "node-operator-registry")?,
                call.abi_encode(),
                format!("{action} {}", args.join(" ")),
            )
        }
        "pause-token" => (pool()?, IStakingPool::pauseTokenCall {}.abi_encode(), action.into()),
        "resume-token" => (pool()?, IStakingPool::resumeTokenCall {}.abi_encode(), action.into()),
        "pause-queue" => (queue()?, IWithdrawalQueue::pauseCall {}.abi_encode(), action.into()),
        "resume-queue" => (queue()?, IWithdrawalQueue::resumeCall {}.abi_encode(), action.into()),
        "set-stake-limit" => {
            let ether = |i: usize, what: &str| -> Result<U256, CliError> {
                let v = arg(args, i, what)?;
                alloy_primitives::utils::parse_ether(v)
                    .map_err(|_| CliError::Usage(format!("{v} is not an amount of ether")))
            };
            let call = IStakingPool::setStakingLimitCall {
                maxStakeLimit: ether(0, "MAX")?,
                stakeLimitIncreasePerBlock: ether(1, "PER_BLOCK")?,
            };
            (pool()?, call.abi_encode(), format!("{action} {}", args.join(" ")))
        }
        "set-fees" => {
            let bp = |i: usize, what: &str| -> Result<U256, CliError> {
                let v = arg(args, i, what)?;
                v.parse::<u64>()
                    .map(U256::from)
                    .map_err(|_| CliError::Usage(format!("{v} is not a number of basis points")))
            };
            let call = IStakingPool::setFeeConfigCall {
                treasury: address(arg(args, 0, "TREASURY")?)?,
                totalFeeBP: bp(1, "TOTAL_BP")?,
                operatorsFeeBP: bp(2, "OPERATORS_BP")?,
            };
            (pool()?, call.abi_encode(), format!("{action} {}", args.join(" ")))
        }
        "upgrade" | "execute-upgrade" | "cancel-upgrade" => {
            let target = core(manifest, arg(args, 0, "CONTRACT")?)?;
            let extension = address(arg(args, 1, "EXTENSION")?)?;
            let inner = IStakingPool::upgradeExtensionCall { newExtension: extension }.abi_encode();
            let label = format!("{action} {}", args.join(" "));
            match action {
                "upgrade" => {
                    let call = IAccessManager::scheduleCall { target, data: inner.into() };
                    (manager()?, call.abi_encode(), label)
                }
                "execute-upgrade" => (target, inner, label),
                _ => {
                    let caller = address(arg(args, 2, "CALLER")?)?;
                    let call = IAccessManager::cancelCall { caller, target, data: inner.into() };
                    (manager()?, call.abi_encode(), label)
                }
            }
        }
        other => return Err(CliError::Usage(format!("unknown governance action {other}"))),
    };
    Ok(Action { label, to, data })
}

/// A Safe Transaction Builder batch (the JSON the Safe app's Transaction Builder exports and
/// imports).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SafeBatch {
    /// The format's version, "1.0".
    pub version: String,
    /// The chain id, decimal.
    pub chain_id: String,
    /// Milliseconds since the epoch.
    pub created_at: u64,
    /// Name, description, the Safe.
    pub meta: SafeBatchMeta,
    /// The calls, in order.
    pub transactions: Vec<SafeBatchTx>,
}

/// The batch's description.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SafeBatchMeta {
    /// A name.
    pub name: String,
    /// What it does.
    pub description: String,
    /// The Transaction Builder version the format follows.
    pub tx_builder_version: String,
    /// The Safe that executes it.
    pub created_from_safe_address: Address,
    /// Unknown here.
    pub created_from_owner_address: String,
}

/// One call of a batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SafeBatchTx {
    /// The contract.
    pub to: Address,
    /// Wei, decimal.
    pub value: String,
    /// The calldata.
    pub data: Bytes,
    /// Not used (the data is given).
    pub contract_method: Option<serde_json::Value>,
    /// Not used.
    pub contract_inputs_values: Option<serde_json::Value>,
}

impl SafeBatch {
    /// An empty batch for `safe` on `chain_id`.
    pub fn new(chain_id: u64, safe: Address) -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX));
        Self {
            version: "1.0".into(),
            chain_id: chain_id.to_string(),
            created_at: now,
            meta: SafeBatchMeta {
                name: "lsctl governance batch".into(),
                description: String::new(),
                tx_builder_version: "1.16.5".into(),
                created_from_safe_address: safe,
                created_from_owner_address: String::new(),
            },
            transactions: Vec::new(),
        }
    }

    /// Appends `action`, and its label to the description.
    pub fn push(&mut self, action: &Action) {
        if !self.meta.description.is_empty() {
            self.meta.description.push_str("; ");
        }
        self.meta.description.push_str(&action.label);
        self.transactions.push(SafeBatchTx {
            to: action.to,
            value: "0".into(),
            data: action.data.clone().into(),
            contract_method: None,
            contract_inputs_values: None,
        });
    }

    /// Reads a batch file, or a new batch when there is none.
    ///
    /// # Errors
    ///
    /// An unreadable file, or a batch of another chain or Safe.
    pub fn open(path: &std::path::Path, chain_id: u64, safe: Address) -> Result<Self, CliError> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let batch: Self = serde_json::from_slice(&bytes).map_err(|e| {
                    CliError::Usage(format!("{} is not a Safe batch: {e}", path.display()))
                })?;
                if batch.chain_id != chain_id.to_string()
                    || batch.meta.created_from_safe_address != safe
                {
                    return Err(CliError::Usage(format!(
                        "{} is a batch for Safe {} on chain {}, not {safe} on chain {chain_id}",
                        path.display(),
                        batch.meta.created_from_safe_address,
                        batch.chain_id
                    )));
                }
                Ok(batch)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::new(chain_id, safe)),
            Err(e) => Err(CliError::Usage(format!("{}: {e}", path.display()))),
        }
    }

    /// Writes it.
    ///
    /// # Errors
    ///
    /// When the file cannot be written.
    pub fn save(&self, path: &std::path::Path) -> Result<(), CliError> {
        let text =
            serde_json::to_string_pretty(self).map_err(|e| CliError::Usage(e.to_string()))?;
        std::fs::write(path, text + "\n")
            .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))
    }
}
