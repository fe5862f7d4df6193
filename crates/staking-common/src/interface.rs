//! What the code `staking_interface::interface!` generates from a contract's interface file
//! relies on: how a method's result becomes return data ([`Reply`]), the one `authorize` every
//! contract asks the AccessManager through ([`authorize`]), the encoding of event data and of
//! calldata with dynamic arguments, and the table of functions the tests walk ([`Function`]).
//!
//! The generated router calls `Reply::reply(storage.method(args...))`: a method returns a
//! plain value, `Result<value, Error>`, or `Option<ArbResult>` (already encoded; `None` =
//! "not served here", an empty revert as for an unknown selector). Values encode as the ABI
//! does: a static word, a tuple of static words, `Vec` of static words or of tuples of them
//! (`T[]`), `String` (`string`), [`Bytes`] (`bytes`).

use alloc::{string::String, vec::Vec};

use alloy_primitives::{Address, B256, U256};

use crate::{abi::Word, guard::Lock, host, router::ArbResult};

/// A method's result, as the router's reply: `Some(Ok(return data))`, `Some(Err(revert
/// data))`, or `None` (not served).
pub trait Reply {
    /// The reply.
    fn reply(self) -> Option<ArbResult>;
}

/// A value that encodes as the ABI return data of one function.
pub trait Returns {
    /// The ABI encoding (`abi.encode(value)`).
    fn returns(self) -> Vec<u8>;
}

/// A value that is a fixed number of static ABI words (an element of a returned array).
pub trait Words {
    /// Appends the value's words.
    fn push_words(self, out: &mut Vec<u8>);
}

impl<W: Word> Words for W {
    fn push_words(self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.word().as_slice());
    }
}

/// `bytes` return data (a newtype: `Vec<u8>` is not taken as `bytes` by accident).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Bytes(pub Vec<u8>);

impl Reply for Option<ArbResult> {
    fn reply(self) -> Option<ArbResult> {
        self
    }
}

impl Returns for () {
    fn returns(self) -> Vec<u8> {
        Vec::new()
    }
}

impl Returns for String {
    fn returns(self) -> Vec<u8> {
        crate::calldata::bytes(self.as_bytes())
    }
}

impl Returns for Bytes {
    fn returns(self) -> Vec<u8> {
        crate::calldata::bytes(&self.0)
    }
}

impl<T: Words> Returns for Vec<T> {
    fn returns(self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64 + 32 * self.len());
        out.extend_from_slice(U256::from(32).word().as_slice());
        out.extend_from_slice(U256::from(self.len()).word().as_slice());
        for item in self {
            item.push_words(&mut out);
        }
        out
    }
}

/// Two arrays (`returns (T[] memory, U[] memory)`): two offsets, then each array.
impl<A: Words, B: Words> Returns for (Vec<A>, Vec<B>) {
    fn returns(self) -> Vec<u8> {
        let first = self.0.returns();
        let mut out = Vec::with_capacity(first.len() + 64 + 32 * self.1.len());
        out.extend_from_slice(U256::from(64).word().as_slice());
        // `first` begins with its own offset word (32), which the pair's head replaces.
        out.extend_from_slice(U256::from(32 + first.len()).word().as_slice());
        out.extend_from_slice(&first[32..]);
        out.extend_from_slice(&self.1.returns()[32..]);
        out
    }
}

/// Three arrays (`returns (T[] memory, U[] memory, V[] memory)`): three offsets, then each.
impl<A: Words, B: Words, C: Words> Returns for (Vec<A>, Vec<B>, Vec<C>) {
    fn returns(self) -> Vec<u8> {
        // Each part begins with its own offset word (32), which the head replaces.
        let parts = [self.0.returns(), self.1.returns(), self.2.returns()];
        let mut out = Vec::with_capacity(parts.iter().map(Vec::len).sum());
        let mut offset = 96;
        for part in &parts {
            out.extend_from_slice(U256::from(offset).word().as_slice());
            offset += part.len() - 32;
        }
        for part in &parts {
            out.extend_from_slice(&part[32..]);
        }
        out
    }
}

/// Return data the method encoded itself (a large answer written in place, such as the
/// registry's `depositKeys`), replied unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Encoded(pub Vec<u8>);

impl Returns for Encoded {
    fn returns(self) -> Vec<u8> {
        self.0
    }
}

macro_rules! word_returns {
    ($($t:ty),*) => {$(
        impl Returns for $t {
            fn returns(self) -> Vec<u8> {
                self.word().to_vec()
            }
        }
    )*};
}
word_returns!(U256, Address, B256, bool, u8, u16, u32, u64, u128, [u8; 4]);

macro_rules! tuple_words {
    ($(($($t:ident $i:tt),+)),*) => {$(
        impl<$($t: Word),+> Words for ($($t,)+) {
            fn push_words(self, out: &mut Vec<u8>) {
                $(out.extend_from_slice(self.$i.word().as_slice());)+
            }
        }
        impl<$($t: Word),+> Returns for ($($t,)+) {
            fn returns(self) -> Vec<u8> {
                let mut out = Vec::new();
                self.push_words(&mut out);
                out
            }
        }
    )*};
}
tuple_words!(
    (A 0, B 1),
    (A 0, B 1, C 2),
    (A 0, B 1, C 2, D 3),
    (A 0, B 1, C 2, D 3, E 4),
    (A 0, B 1, C 2, D 3, E 4, F 5),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7),
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
);

/// Every returned value replies `Some(Ok(encoding))`; `Result`s reply their error's revert data.
macro_rules! reply_for_returns {
    ($($t:ty $(where $($g:ident: $b:path),+)?);* $(;)?) => {$(
        impl$(<$($g: $b),+>)? Reply for $t {
            fn reply(self) -> Option<ArbResult> {
                Some(Ok(self.returns()))
            }
        }
        impl<Err: Into<Vec<u8>>, $($($g: $b),+)?> Reply for Result<$t, Err> {
            fn reply(self) -> Option<ArbResult> {
                Some(self.map(Returns::returns).map_err(Into::into))
            }
        }
    )*};
}
reply_for_returns!(
    (); String; Bytes; U256; Address; B256; bool; u8; u16; u32; u64; u128; [u8; 4];
    Vec<T> where T: Words;
    (Vec<A>, Vec<B>) where A: Words, B: Words;
    (Vec<A>, Vec<B>, Vec<C>) where A: Words, B: Words, C: Words;
    Encoded;
    (A, B) where A: Word, B: Word;
    (A, B, C) where A: Word, B: Word, C: Word;
    (A, B, C, D) where A: Word, B: Word, C: Word, D: Word;
    (A, B, C, D, E) where A: Word, B: Word, C: Word, D: Word, E: Word;
    (A, B, C, D, E, F) where A: Word, B: Word, C: Word, D: Word, E: Word, F: Word;
    (A, B, C, D, E, F, G) where A: Word, B: Word, C: Word, D: Word, E: Word, F: Word, G: Word;
    (A, B, C, D, E, F, G, H) where A: Word, B: Word, C: Word, D: Word, E: Word, F: Word, G: Word, H: Word;
    (A, B, C, D, E, F, G, H, I) where A: Word, B: Word, C: Word, D: Word, E: Word, F: Word, G: Word, H: Word, I: Word;
);

/// The errors [`authorize`] raises, which every contract that asks the AccessManager declares
/// in its interface file (`AccessDenied(address caller, bytes32 role, bytes reason)`,
/// `NotInitialized()`, `ReentrantCall()`); the generated `Error` implements it.
pub trait AccessErrors {
    /// `AccessDenied(caller, role, reason)`: the manager refused; `reason` is its revert data.
    fn access_denied(caller: Address, role: B256, reason: Vec<u8>) -> Self;
    /// `NotInitialized()`: no manager is set yet.
    fn not_initialized() -> Self;
    /// `ReentrantCall()`: the contract's reentrancy guard is held.
    fn reentrant_call() -> Self;
}

/// Asks `manager` whether the caller may make the call `data` (its own calldata, which the
/// manager hashes for delayed operations) under `role`, holding the contract's transient
/// reentrancy lock in `guard` while it does; returns the caller.
///
/// A manager of zero (before the constructor) is `NotInitialized`: a call to an address
/// without code would "succeed", and must never count as a yes.
///
/// # Errors
/// `ReentrantCall`, `NotInitialized`, `AccessDenied(caller, role, reason)`.
#[inline(never)]
pub fn authorize<E: AccessErrors>(
    manager: Address,
    guard: B256,
    role: B256,
    data: &[u8],
) -> Result<Address, E> {
    let _lock = Lock::acquire(guard).map_err(|_| E::reentrant_call())?;
    if manager.is_zero() {
        return Err(E::not_initialized());
    }
    let caller = host::sender();
    crate::interfaces::authorize_call(manager, caller, role, data)
        .map_err(|reason| E::access_denied(caller, role, reason))?;
    Ok(caller)
}

/// ABI-encodes event data or call arguments: static words in the head, `bytes` / `string`
/// and `uint256[]` in the tail (what [`crate::abi::encode_call`] writes after a selector).
pub fn encode_args(args: &[crate::abi::Arg<'_>]) -> Vec<u8> {
    crate::abi::encode_after(&[], args)
}

/// Which program of a split contract serves a function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    /// The core program (the contract's address; also every function of an unsplit contract).
    Core,
    /// The extension program, reached by the core's `DELEGATECALL`.
    Extension,
    /// The permit program (`@custom:program permit`), reached by the core's `DELEGATECALL` to
    /// the contract's `permit_program` address.
    Permit,
}

/// One function of an interface, as the generated router serves it (native builds list them
/// for the tests: `interface::FUNCTIONS`).
#[derive(Debug, Clone, Copy)]
pub struct Function {
    /// Its Solidity signature, `name(type,...)`.
    pub signature: &'static str,
    /// Its selector.
    pub selector: [u8; 4],
    /// The program that serves it.
    pub program: Program,
    /// Whether it accepts ether.
    pub payable: bool,
    /// Well-formed calldata (selector and zero-valued arguments; empty dynamic values).
    pub sample: &'static [u8],
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloy_sol_types::SolValue;

    fn ok(r: Option<ArbResult>) -> Vec<u8> {
        r.unwrap().unwrap()
    }

    #[test]
    fn replies_encode_as_alloy_encodes_return_values() {
        let a = Address::repeat_byte(7);
        let x = U256::from(12_345);
        assert_eq!(ok(x.reply()), x.abi_encode());
        assert_eq!(ok(a.reply()), a.abi_encode());
        assert_eq!(ok(true.reply()), true.abi_encode());
        assert_eq!(ok(7u8.reply()), U256::from(7).abi_encode());
        assert_eq!(ok((x, a, false).reply()), (x, a, false).abi_encode_params());
        assert_eq!(ok(String::from("stETH").reply()), "stETH".abi_encode());
        assert_eq!(
            ok(Bytes(vec![1, 2, 3]).reply()),
            alloy_primitives::Bytes::from(vec![1u8, 2, 3]).abi_encode()
        );
        let v = vec![x, U256::MAX, U256::ZERO];
        assert_eq!(ok(v.clone().reply()), v.abi_encode());
        let t = vec![(x, a, true), (U256::MAX, Address::ZERO, false)];
        assert_eq!(ok(t.clone().reply()), t.abi_encode());
        let pair = (vec![B256::repeat_byte(1), B256::repeat_byte(2)], vec![x]);
        assert_eq!(ok(pair.clone().reply()), pair.abi_encode_params());
        let empty: (Vec<B256>, Vec<U256>) = (vec![], vec![]);
        assert_eq!(ok(empty.clone().reply()), empty.abi_encode_params());
        assert!(ok(().reply()).is_empty());
    }

    #[test]
    fn results_reply_their_revert_data_and_options_pass_through() {
        let err: Result<U256, Vec<u8>> = Err(vec![9, 9]);
        assert_eq!(err.reply(), Some(Err(vec![9, 9])));
        let unserved: Option<ArbResult> = None;
        assert_eq!(unserved.reply(), None);
    }

    #[test]
    fn three_arrays_encode_as_alloy_does_and_encoded_replies_pass_unchanged() {
        let x = U256::from(9);
        let three = (vec![x, U256::MAX], Vec::<U256>::new(), vec![Address::repeat_byte(3)]);
        assert_eq!(ok(three.clone().reply()), three.abi_encode_params());
        let done: Result<Encoded, Vec<u8>> = Ok(Encoded(vec![1, 2, 3]));
        assert_eq!(ok(done.reply()), vec![1, 2, 3]);
    }

    #[test]
    fn encoded_arguments_match_alloy() {
        use crate::abi::Arg;
        let x = U256::from(5);
        let out = encode_args(&[Arg::W(x.word()), Arg::B(b"hello"), Arg::A(&[x, x])]);
        let b = alloy_primitives::Bytes::from(b"hello".to_vec());
        assert_eq!(out, (x, b, vec![x, x]).abi_encode_params());
    }
}
