//! [`contract_errors!`]: the error enum of a contract whose errors are the `error`s of its
//! Solidity interface file (the node operator registry's, the accounting oracle's).
//!
//! Revert data is encoded by hand ([`crate::abi`]) rather than by `derive(SolidityError)`,
//! which costs kilobytes of wasm; each contract's tests check every shape against alloy's
//! encoding.

#[doc(hidden)]
pub use alloc::vec::Vec as __Vec;
#[doc(hidden)]
pub use alloy_sol_types::SolError as __SolError;

/// Declares `Error` with one variant per listed `sol!` error (named after it, in scope at the
/// call site, fields listed in ABI order), plus `AccessDenied(caller, role, reason)` (the
/// AccessManager's refusal, its revert data in `reason`) and `Callee(Vec<u8>)` (revert data of
/// a contract the caller called, passed through unchanged); a `From` for each error, the
/// 4-byte `selector()` and the revert data (`From<Error> for Vec<u8>`: the selector, then each
/// listed field as one ABI word).
#[macro_export]
macro_rules! contract_errors {
    ($what:literal; $($name:ident { $($field:ident),* }),* $(,)?) => {
        #[doc = concat!("Every way ", $what, " call can fail.")]
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Error {
            $($name($name),)*
            /// The AccessManager refused: `reason` is its revert data.
            AccessDenied(AccessDenied),
            /// Revert data of a contract this one called, passed through unchanged.
            Callee($crate::errors::__Vec<u8>),
        }

        $(impl From<$name> for Error {
            fn from(e: $name) -> Self {
                Error::$name(e)
            }
        })*

        impl Error {
            /// The 4-byte selector of the `sol!` error (`Callee`: its data's first four bytes).
            pub fn selector(&self) -> [u8; 4] {
                use $crate::errors::__SolError as _;
                match self {
                    $(Error::$name(_) => $name::SELECTOR,)*
                    Error::AccessDenied(_) => AccessDenied::SELECTOR,
                    Error::Callee(data) => {
                        let mut s = [0u8; 4];
                        for (d, b) in s.iter_mut().zip(data.iter()) {
                            *d = *b;
                        }
                        s
                    }
                }
            }
        }

        impl From<Error> for $crate::errors::__Vec<u8> {
            fn from(err: Error) -> $crate::errors::__Vec<u8> {
                use $crate::abi::Word as _;
                use $crate::errors::__SolError as _;
                match err {
                    $(Error::$name(_e) => {
                        $crate::abi::encode_error($name::SELECTOR, &[$(_e.$field.word()),*])
                    })*
                    Error::AccessDenied(e) => $crate::abi::encode_error_with_bytes(
                        AccessDenied::SELECTOR,
                        &[e.caller.word(), e.role.word()],
                        &e.reason,
                    ),
                    Error::Callee(data) => data,
                }
            }
        }
    };
}
