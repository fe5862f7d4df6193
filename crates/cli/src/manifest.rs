//! The deployment manifest (`deployments/<network>.json`): what was deployed where, every
//! transaction sent with its hash and gas, and the one transaction in flight. The deploy
//! command writes it before it sends and after each receipt, so that a rerun resumes where
//! the last run stopped and never sends a step twice.

use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
};

use alloy_primitives::{Address, Bytes, B256};
use serde::{Deserialize, Serialize};

use crate::CliError;

/// One transaction the deployment sent and saw mined.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepRecord {
    /// The step's name (unique in a deployment).
    pub name: String,
    /// `l1` or `l2`.
    pub chain: String,
    /// The transaction's hash (zero when the step found its effect already on chain).
    pub tx: B256,
    /// Its gas.
    pub gas_used: u64,
    /// Its block.
    pub block: u64,
}

/// A signed transaction sent (or about to be) whose receipt was not seen yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Pending {
    /// The step.
    pub name: String,
    /// `l1` or `l2`.
    pub chain: String,
    /// Its hash.
    pub tx: B256,
    /// The signed bytes, sent again as they are if the node lost them.
    pub raw: Bytes,
    /// Its nonce.
    pub nonce: u64,
    /// Its sender (a run with another key must not resume it).
    #[serde(default)]
    pub from: Address,
}

/// The manifest (see the module docs).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// The network's name.
    pub network: String,
    /// L2's chain id.
    pub l2_chain_id: u64,
    /// L1's chain id.
    pub l1_chain_id: u64,
    /// The deploying account (it holds no role once the deployment is done).
    pub deployer: Address,
    /// Who holds every role at the end (the governance Safe).
    pub governance: Option<Address>,
    /// Contracts by name.
    pub contracts: BTreeMap<String, Address>,
    /// Values fixed at the first run that later runs must reuse (the oracle's first epoch).
    #[serde(default)]
    pub parameters: BTreeMap<String, u64>,
    /// The steps done, in order.
    pub steps: Vec<StepRecord>,
    /// The transaction in flight.
    pub pending: Option<Pending>,
    /// Whether every step is done.
    pub complete: bool,
    /// A hash of everything the deployment was started with (flags, programs, artifacts):
    /// a rerun with other inputs would compute other addresses, so it is refused.
    #[serde(default)]
    pub inputs: Option<B256>,
}

/// A manifest and the file it lives in.
#[derive(Debug)]
pub struct ManifestFile {
    /// Where it is written.
    pub path: PathBuf,
    /// The content.
    pub manifest: Manifest,
}

impl ManifestFile {
    /// Reads `path`, or starts an empty manifest when there is no file.
    ///
    /// # Errors
    ///
    /// When the file exists and cannot be read or parsed.
    pub fn open(path: &Path) -> Result<Self, CliError> {
        let manifest = match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                CliError::Manifest(format!("{} is not a deployment manifest: {e}", path.display()))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Manifest::default(),
            Err(e) => return Err(CliError::Manifest(format!("{}: {e}", path.display()))),
        };
        Ok(Self { path: path.to_path_buf(), manifest })
    }

    /// Writes it (to a temporary file renamed over the old one: a crash leaves one or the
    /// other, never half).
    ///
    /// # Errors
    ///
    /// When the file cannot be written.
    pub fn save(&self) -> Result<(), CliError> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| CliError::Manifest(format!("{}: {e}", dir.display())))?;
        }
        let tmp = self.path.with_extension("json.tmp");
        let text = serde_json::to_string_pretty(&self.manifest)
            .map_err(|e| CliError::Manifest(e.to_string()))?;
        std::fs::write(&tmp, text + "\n")
            .and_then(|()| std::fs::rename(&tmp, &self.path))
            .map_err(|e| CliError::Manifest(format!("{}: {e}", self.path.display())))
    }

    /// The record of step `name`, when done.
    pub fn done(&self, name: &str) -> Option<&StepRecord> {
        self.manifest.steps.iter().find(|s| s.name == name)
    }
}
