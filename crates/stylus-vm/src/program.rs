//! Loading a program: validate, instrument, compile, link.

use std::fmt;

use alloy_primitives::{keccak256, B256};
use wasmtime::{Engine, InstancePre, Linker, Module};

use crate::{
    host::Frame,
    meter,
    validate::{self, ModuleInfo, ValidationError},
};

/// Why a program could not be deployed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// Activation would reject it.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// Instrumenting or compiling it failed (a bug in this crate or wasmtime, not in the
    /// program: validation passed).
    #[error("could not compile the program: {0}")]
    Compile(String),
}

/// A compiled, instrumented program.
pub(crate) struct Program {
    pub(crate) info: ModuleInfo,
    pub(crate) codehash: B256,
    pub(crate) pre: InstancePre<Frame>,
}

impl fmt::Debug for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Program").field("codehash", &self.codehash).finish_non_exhaustive()
    }
}

impl Program {
    pub(crate) fn load(
        engine: &Engine,
        linker: &Linker<Frame>,
        wasm: &[u8],
    ) -> Result<Self, LoadError> {
        let info = validate::validate(wasm)?;
        let instrumented = meter::instrument(wasm, &info.layout).map_err(LoadError::Compile)?;
        let module =
            Module::new(engine, &instrumented).map_err(|e| LoadError::Compile(format!("{e:?}")))?;
        let pre =
            linker.instantiate_pre(&module).map_err(|e| LoadError::Compile(format!("{e:?}")))?;
        let codehash = keccak256(&info.code);
        Ok(Self { info, codehash, pre })
    }
}
