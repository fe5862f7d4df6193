//! Compiled Solidity: the JSON artifacts `scripts/evm-build` writes to `artifacts/evm/`.
//!
//! Each file is `{ "contractName", "sourceName", "compiler", "abi", "bytecode",
//! "deployedBytecode" }` (see `evm/build.js`). The artifacts are build output, never committed:
//! a missing file means the Solidity build has not run, and the error says so.

use std::path::PathBuf;
use std::str::FromStr;

use alloy_primitives::Bytes;

/// One compiled contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Artifact {
    /// The contract's name (the file's stem).
    pub name: String,
    /// Its ABI, as solc wrote it.
    pub abi: serde_json::Value,
    /// The creation (init) code; constructor arguments are appended to it.
    pub bytecode: Bytes,
    /// The runtime code a deployment leaves at the contract's address.
    pub deployed_bytecode: Bytes,
}

/// Why an artifact could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ArtifactError {
    /// The file does not exist: the Solidity build has not run.
    #[error("{path} is missing: run `scripts/evm-build` (it compiles evm/ into artifacts/evm/)")]
    Missing {
        /// The file looked for.
        path: PathBuf,
    },
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not the JSON `evm/build.js` writes.
    #[error("{path} is not a valid artifact ({reason}): run `scripts/evm-build` again")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: String,
    },
}

/// The directory of the EVM artifacts: `<repo>/artifacts/evm`.
pub fn artifacts_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../artifacts/evm")
}

impl Artifact {
    /// The path of contract `name`'s artifact.
    pub fn path(name: &str) -> PathBuf {
        artifacts_dir().join(format!("{name}.json"))
    }

    /// Loads contract `name`'s artifact (`artifacts/evm/<name>.json`).
    ///
    /// # Errors
    ///
    /// [`ArtifactError::Missing`] (run `scripts/evm-build`), [`ArtifactError::Io`] or
    /// [`ArtifactError::Malformed`].
    pub fn load(name: &str) -> Result<Self, ArtifactError> {
        let path = Self::path(name);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(ArtifactError::Missing { path })
            }
            Err(source) => return Err(ArtifactError::Io { path, source }),
        };
        let malformed = |reason: String| ArtifactError::Malformed { path: path.clone(), reason };
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| malformed(e.to_string()))?;
        let hex = |field: &str| -> Result<Bytes, ArtifactError> {
            let text = json[field]
                .as_str()
                .ok_or_else(|| malformed(format!("no string field `{field}`")))?;
            Bytes::from_str(text).map_err(|e| malformed(format!("`{field}`: {e}")))
        };
        let bytecode = hex("bytecode")?;
        let deployed_bytecode = hex("deployedBytecode")?;
        if json["contractName"].as_str() != Some(name) {
            return Err(malformed(format!("`contractName` is not {name}")));
        }
        if !json["abi"].is_array() {
            return Err(malformed("no `abi` array".into()));
        }
        Ok(Self { name: name.to_owned(), abi: json["abi"].clone(), bytecode, deployed_bytecode })
    }

    /// The init code followed by ABI-encoded constructor arguments.
    pub fn init_code(&self, constructor_args: &[u8]) -> Bytes {
        let mut code = self.bytecode.to_vec();
        code.extend_from_slice(constructor_args);
        code.into()
    }
}
