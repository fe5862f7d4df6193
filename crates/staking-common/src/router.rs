//! Pieces every hand-written ABI router shares (the withdrawal queue's, the node operator
//! registry's, the accounting oracle's and the deposit-contract double's): result encoders,
//! the argument-or-revert macro, the core program's `DELEGATECALL` to its extension program
//! and [`hand_router!`], the `Router` implementation around them.

use alloc::vec::Vec;

use alloy_primitives::Address;

use crate::abi::Word;

/// What a routed call returns: ABI-encoded output, or revert data.
pub type ArbResult = Result<Vec<u8>, Vec<u8>>;

/// Reverts with empty data (undecodable arguments, value sent to a non-payable function), as
/// the SDK's router does.
pub fn bad() -> ArbResult {
    Err(Vec::new())
}

/// A call with no return value.
pub fn done<E: Into<Vec<u8>>>(r: Result<(), E>) -> ArbResult {
    r.map(|()| Vec::new()).map_err(Into::into)
}

/// A call returning one static word.
pub fn word<W: Word, E: Into<Vec<u8>>>(r: Result<W, E>) -> ArbResult {
    r.map(|w| w.word().to_vec()).map_err(Into::into)
}

/// Unwraps a decoded argument, or returns `Some(bad())` from the routing function.
#[macro_export]
macro_rules! arg {
    ($e:expr) => {
        match $e {
            Some(v) => v,
            None => return Some($crate::router::bad()),
        }
    };
}

/// Runs `calldata` in the `extension` program on the caller's storage (`DELEGATECALL`); empty
/// revert when no extension is set.
pub fn delegate(extension: Address, calldata: &[u8]) -> ArbResult {
    if extension.is_zero() {
        return bad();
    }
    // SAFETY: no storage reference is held across the call; the cache is flushed and cleared
    // before it, so the extension's writes are read back afterwards.
    unsafe {
        stylus_sdk::call::RawCall::new_delegate().clear_storage_cache().call(extension, calldata)
    }
}

#[doc(hidden)]
pub use alloc::vec::Vec as __Vec;

/// Implements the SDK's `Router` for a contract whose router is written by hand, with what
/// `#[entrypoint]` expects beside it, and the ABI export from its interface file.
///
/// - `split { core, extension, payable, constructor }`: two programs from one crate
///   (`--features extension`). The core program routes `core`'s selectors and forwards every
///   other one to the extension program set in the contract's `extension` field
///   (`DELEGATECALL`); the extension routes `extension`'s; native builds (motsu tests) try
///   both. Ether is refused (empty revert) unless `payable(selector)`. The StylusDeployer's
///   constructor call (SDK 0.9's `CONSTRUCTOR_SELECTOR`, [`crate::upgrade`]) goes to
///   `constructor(storage, args)` in the core program only (never forwarded; ether refused);
///   the extension program does not route it.
/// - `single { route }`: one program, nothing payable: `route(storage, selector, args)`.
///
/// `name` and `abi` (the interface file's text, `include_str!` at the call site) make the
/// `export-abi` output.
#[macro_export]
macro_rules! hand_router {
    ($contract:ty, split { core: $core:path, extension: $ext:path, payable: $payable:expr,
     constructor: $ctor:path }, $name:literal, $abi:expr) => {
        $crate::hand_router!(@impl $contract, $name, $abi,
            fn constructor(storage: &mut Self, input: &[u8]) -> Option<$crate::router::ArbResult> {
                if cfg!(all(target_arch = "wasm32", feature = "extension")) {
                    return Some($crate::router::bad());
                }
                if !$crate::host::value().is_zero() {
                    return Some($crate::router::bad());
                }
                Some($ctor(storage, $crate::calldata::Args(input)))
            }

            fn route(storage: &mut Self, selector: u32, input: &[u8])
                -> Option<$crate::router::ArbResult>
            {
                let sel = selector.to_be_bytes();
                let payable: fn([u8; 4]) -> bool = $payable;
                if !payable(sel) && !$crate::host::value().is_zero() {
                    return Some($crate::router::bad());
                }
                let args = $crate::calldata::Args(input);
                #[cfg(all(target_arch = "wasm32", feature = "extension"))]
                return $ext(storage, sel, args);
                #[cfg(all(target_arch = "wasm32", not(feature = "extension")))]
                return $core(storage, sel, args);
                #[cfg(not(target_arch = "wasm32"))]
                $core(storage, sel, args).or_else(|| $ext(storage, sel, args))
            }

            /// The core program forwards what it does not route to the extension program.
            fn fallback(storage: &mut Self, calldata: &[u8]) -> Option<$crate::router::ArbResult> {
                if cfg!(all(target_arch = "wasm32", not(feature = "extension")))
                    && calldata.len() >= 4
                {
                    return Some($crate::router::delegate(storage.extension.get(), calldata));
                }
                None
            }
        );
    };
    ($contract:ty, single { route: $route:path }, $name:literal, $abi:expr) => {
        $crate::hand_router!(@impl $contract, $name, $abi,
            fn route(storage: &mut Self, selector: u32, input: &[u8])
                -> Option<$crate::router::ArbResult>
            {
                if !$crate::host::value().is_zero() {
                    return Some($crate::router::bad());
                }
                $route(storage, selector.to_be_bytes(), $crate::calldata::Args(input))
            }

            fn fallback(_storage: &mut Self, _calldata: &[u8]) -> Option<$crate::router::ArbResult> {
                None
            }

            fn constructor(
                _storage: &mut Self,
                _calldata: &[u8],
            ) -> Option<$crate::router::ArbResult> {
                None
            }
        );
    };
    (@impl $contract:ty, $name:literal, $abi:expr, $($methods:item)*) => {
        impl stylus_sdk::abi::Router<$contract> for $contract {
            type Storage = Self;

            $($methods)*

            fn receive(_storage: &mut Self) -> Option<Result<(), $crate::router::__Vec<u8>>> {
                None
            }
        }

        impl $contract {
            /// Required by `#[entrypoint]`; this router overrides nothing.
            #[doc(hidden)]
            pub const fn __stylus_assert_overrides() {}
        }

        #[cfg(feature = "export-abi")]
        impl stylus_sdk::abi::export::GenerateAbi for $contract {
            const NAME: &'static str = $name;

            fn fmt_abi(f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str($abi)
            }

            fn fmt_constructor_signature(_f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                Ok(())
            }
        }
    };
}
