//! `interface!` and `client!`: everything a Stylus contract needs of its ABI, generated at
//! compile time from one Solidity interface file, so that each function, error and event is
//! declared exactly once.
//!
//! ```text
//! staking_interface::interface!(WithdrawalQueue, "abi/IWithdrawalQueue.sol");
//! ```
//!
//! The file (path relative to the crate's manifest) holds one `interface` (its functions,
//! errors and events) and may hold an `abstract contract` whose `constructor` is the one the
//! StylusDeployer calls. NatSpec tags on a function say how it is served:
//!
//! - `@custom:program extension`: served by the extension program of a split contract (built
//!   with `--features extension`, reached by the core's `DELEGATECALL`). Untagged functions
//!   are served by the core program; a contract with no tag is one program.
//! - `@custom:program permit`: served by a third program (built with `--features permit`),
//!   which the core reaches by `DELEGATECALL` to the address in the contract's
//!   `permit_program` field. The core's fallback tells its selectors from the extension's
//!   (the core's own functions never get that far, so they pay nothing for it): for cold
//!   functions a core and an extension have no room for, such as the pool's ERC-2612 permit.
//! - `@custom:rust <name>`: the Rust method's name (default: the Solidity name in snake case).
//! - `@custom:raw`: the method takes the arguments as sent (`&[u8]`, the calldata after the
//!   selector) instead of decoded values. Its arguments may then be of any type (a struct
//!   with arrays, say), and its `calls` encoder takes the arguments as sent too.
//! - `payable` (Solidity's own): the function accepts ether; every other refuses it (empty
//!   revert data, as the SDK's router does), as does every undecodable argument.
//!
//! Generated at the call site:
//!
//! - `pub mod abi`: alloy's `sol!` of the file (the types tests and callers use).
//! - `pub mod interface`:
//!   - `Error`: one variant per `error` of the file, plus `Callee(Vec<u8>)` (a callee's
//!     revert data passed through unchanged); its revert data (`From<Error> for Vec<u8>`,
//!     compact: one `selector ‖ words` encoder for all of them, far less wasm than
//!     `derive(SolidityError)`) and `selector()`; `AccessErrors` when the file declares
//!     `AccessDenied`, `NotInitialized` and `ReentrantCall`. Errors with static fields are
//!     the `sol!` structs; an error with a `bytes` / `string` field is a struct of the same
//!     name holding `Vec<u8>` / `String` (alloy's `Bytes` costs kilobytes of wasm).
//!   - `emit::<Event>(fields...)`: logs each event (one function per event, no struct built).
//!   - `calls::<function>(args...)`: the calldata of each function, as the AccessManager
//!     hashes it for delayed operations (and as callers send it).
//!   - a method may return a struct of static words of the file (`returns (S memory)`).
//!   - `FUNCTIONS` (native builds): signature, selector, program, payability and sample
//!     calldata of every function, for the tests.
//!   - a `#[cfg(test)]` module checking every error, event and calldata encoder against
//!     alloy's encoding (and decoding) and every selector against `sol!`'s.
//! - `impl Router for Contract` (selector dispatch to the core or the extension, payable
//!   checks, the constructor and `receive`), what `#[entrypoint]` expects beside it, and the
//!   `export-abi` output (the interface file itself). The core program forwards every selector
//!   it does not serve to the program in the contract's `extension` field; natively (motsu)
//!   the one build serves both tables and, as the wasm core, refuses the extension's while no
//!   extension is set.
//!
//! Argument types: `address`, `bool`, `uint256` and `uint8`..`uint128` (range-checked),
//! `bytes32`, `bytes4`, `uint256[]`, `bytes32[]`, `address[]`, `bytes`, `string`, and structs
//! of static words; anything else only under `@custom:raw`. See docs/interfaces.md for the
//! Rust types each maps to.
//!
//! `client!(IStakingPool, "../staking-pool/abi/IStakingPool.sol")` generates, for a contract
//! that calls another one, a module with the callee's `sol!` types and its `calls` encoders.

use std::{collections::BTreeMap, path::PathBuf};

use heck::ToSnakeCase;
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote};
use syn::{parse::Parse, Ident, LitStr, Token};
use syn_solidity::{
    File, FunctionKind, Item, ItemContract, ItemError, ItemEvent, ItemFunction, ItemStruct,
    Mutability, Type,
};

/// See the crate documentation.
#[proc_macro]
pub fn interface(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let args = syn::parse_macro_input!(input as Args);
    match expand(&args, true) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// See the crate documentation.
#[proc_macro]
pub fn client(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let args = syn::parse_macro_input!(input as Args);
    match expand(&args, false) {
        Ok(t) => t.into(),
        Err(e) => e.to_compile_error().into(),
    }
}

struct Args {
    name: Ident,
    path: LitStr,
}

impl Parse for Args {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        let name = input.parse()?;
        input.parse::<Token![,]>()?;
        let path = input.parse()?;
        let _ = input.parse::<Option<Token![,]>>()?;
        Ok(Self { name, path })
    }
}

fn err(msg: impl std::fmt::Display) -> syn::Error {
    syn::Error::new(Span::call_site(), msg.to_string())
}

// ------------------------------------------------------------------------------- model

/// A static ABI word.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum WordTy {
    Address,
    Uint,
    Bool,
    B32,
    B4,
    /// A `uintN` narrower than 256 bits (8, 16, 32, 64 or 128): `u8`..`u128` in Rust.
    UintN(u16),
}

/// A parameter type the generated code handles.
#[derive(Clone, Debug)]
enum Ty {
    Word(WordTy),
    UintArray,
    B32Array,
    AddressArray,
    Bytes,
    Str,
    /// A struct of static words, encoded in place.
    Struct(String, Vec<(String, WordTy)>),
    /// Any other type, allowed only in a `@custom:raw` function (whose method reads the bytes
    /// itself): its canonical ABI type, for the selector.
    Raw(String),
}

impl Ty {
    fn head_words(&self) -> usize {
        match self {
            Ty::Struct(_, fields) => fields.len(),
            _ => 1,
        }
    }

    fn is_dynamic(&self) -> bool {
        matches!(self, Ty::UintArray | Ty::B32Array | Ty::AddressArray | Ty::Bytes | Ty::Str)
    }

    fn canonical(&self) -> String {
        match self {
            Ty::Word(w) => word_canonical(*w).into(),
            Ty::UintArray => "uint256[]".into(),
            Ty::B32Array => "bytes32[]".into(),
            Ty::AddressArray => "address[]".into(),
            Ty::Bytes => "bytes".into(),
            Ty::Str => "string".into(),
            Ty::Struct(_, fields) => {
                let inner: Vec<&str> = fields.iter().map(|(_, w)| word_canonical(*w)).collect();
                format!("({})", inner.join(","))
            }
            Ty::Raw(canonical) => canonical.clone(),
        }
    }
}

/// The canonical ABI type of any type of the file (`shapes`: every struct's field types), or
/// `None` for what has none (mappings, function types).
fn canonical_any(ty: &Type, shapes: &BTreeMap<String, Vec<Type>>) -> Option<String> {
    Some(match ty {
        Type::Custom(path) => {
            let fields = shapes.get(&path.last().to_string())?;
            let inner: Option<Vec<String>> =
                fields.iter().map(|t| canonical_any(t, shapes)).collect();
            format!("({})", inner?.join(","))
        }
        Type::Array(a) => {
            let inner = canonical_any(&a.ty, shapes)?;
            match (&a.size, a.size()) {
                (None, _) => format!("{inner}[]"),
                (Some(_), Some(n)) => format!("{inner}[{n}]"),
                (Some(_), None) => return None,
            }
        }
        Type::Uint(_, None) => "uint256".into(),
        Type::Int(_, None) => "int256".into(),
        Type::Address(..)
        | Type::Bool(_)
        | Type::String(_)
        | Type::Bytes(_)
        | Type::FixedBytes(..)
        | Type::Int(..)
        | Type::Uint(..) => ty.to_string(),
        _ => return None,
    })
}

/// The Rust type of a `uintN` (`u8`..`u128`).
fn rust_uint(bits: u16) -> TokenStream {
    let t = format_ident!("u{}", bits);
    quote!(#t)
}

fn word_canonical(w: WordTy) -> &'static str {
    match w {
        WordTy::Address => "address",
        WordTy::Uint => "uint256",
        WordTy::Bool => "bool",
        WordTy::B32 => "bytes32",
        WordTy::B4 => "bytes4",
        WordTy::UintN(8) => "uint8",
        WordTy::UintN(16) => "uint16",
        WordTy::UintN(32) => "uint32",
        WordTy::UintN(64) => "uint64",
        WordTy::UintN(_) => "uint128",
    }
}

struct Param {
    name: String,
    ty: Ty,
}

struct Func {
    sol_name: String,
    /// `sol!`'s name for the call struct (overloads get `_0`, `_1`...).
    call_name: String,
    rust: Ident,
    params: Vec<Param>,
    payable: bool,
    program: Prog,
    raw: bool,
}

/// The program that serves a function (`@custom:program`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Prog {
    /// Untagged (or `core`): the core program.
    Core,
    /// `extension`: the extension program, the core's fallback's default.
    Extension,
    /// `permit`: the third program, at the contract's `permit_program` address.
    Permit,
}

impl Func {
    fn signature(&self) -> String {
        let types: Vec<String> = self.params.iter().map(|p| p.ty.canonical()).collect();
        format!("{}({})", self.sol_name, types.join(","))
    }

    fn selector(&self) -> [u8; 4] {
        let h = keccak(self.signature().as_bytes());
        [h[0], h[1], h[2], h[3]]
    }
}

struct ErrorDef {
    name: String,
    fields: Vec<Param>,
}

struct EventParam {
    name: String,
    ty: Ty,
    indexed: bool,
}

struct EventDef {
    name: String,
    params: Vec<EventParam>,
}

struct Model {
    interface: String,
    functions: Vec<Func>,
    errors: Vec<ErrorDef>,
    events: Vec<EventDef>,
    constructor: Option<Func>,
    receive: bool,
    /// Some function is served by the extension program.
    split: bool,
    /// Some function is served by the permit program.
    permit: bool,
    /// The structs of static words (method results may be one).
    structs: BTreeMap<String, Vec<(String, WordTy)>>,
}

fn keccak(data: &[u8]) -> [u8; 32] {
    use tiny_keccak::{Hasher, Keccak};
    let mut k = Keccak::v256();
    k.update(data);
    let mut out = [0u8; 32];
    k.finalize(&mut out);
    out
}

fn docs(attrs: &[syn::Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

/// The value of NatSpec tag `@custom:<tag>` (`Some("")` when present without a value).
fn tag(attrs: &[syn::Attribute], name: &str) -> Option<String> {
    let key = format!("@custom:{name}");
    docs(attrs).iter().find_map(|line| {
        let line = line.trim();
        line.strip_prefix(&key).and_then(|rest| {
            (rest.is_empty() || rest.starts_with(char::is_whitespace))
                .then(|| rest.trim().to_string())
        })
    })
}

fn word_ty(ty: &Type) -> Option<WordTy> {
    match ty {
        Type::Address(..) => Some(WordTy::Address),
        Type::Bool(_) => Some(WordTy::Bool),
        Type::Uint(_, size) if size.is_none_or(|s| s.get() == 256) => Some(WordTy::Uint),
        Type::FixedBytes(_, n) if n.get() == 32 => Some(WordTy::B32),
        Type::FixedBytes(_, n) if n.get() == 4 => Some(WordTy::B4),
        Type::Uint(_, Some(n)) if matches!(n.get(), 8 | 16 | 32 | 64 | 128) => {
            Some(WordTy::UintN(n.get()))
        }
        _ => None,
    }
}

fn param_ty(ty: &Type, structs: &BTreeMap<String, Vec<(String, WordTy)>>) -> syn::Result<Ty> {
    if let Some(w) = word_ty(ty) {
        return Ok(Ty::Word(w));
    }
    match ty {
        Type::Bytes(_) => Ok(Ty::Bytes),
        Type::String(_) => Ok(Ty::Str),
        Type::Array(a) if a.size.is_none() => match word_ty(&a.ty) {
            Some(WordTy::Uint) => Ok(Ty::UintArray),
            Some(WordTy::B32) => Ok(Ty::B32Array),
            Some(WordTy::Address) => Ok(Ty::AddressArray),
            _ => Err(err(format!("unsupported array type `{ty}`"))),
        },
        Type::Custom(path) => {
            let name = path.last().to_string();
            structs.get(&name).map(|fields| Ty::Struct(name.clone(), fields.clone())).ok_or_else(
                || err(format!("unsupported type `{ty}` (only structs of static words)")),
            )
        }
        _ => Err(err(format!(
            "unsupported type `{ty}` (address, uint256, bool, bytes32, bytes4, uint256[], \
             bytes32[], address[], bytes, string, structs of static words)"
        ))),
    }
}

fn params(
    list: &syn_solidity::ParameterList,
    structs: &BTreeMap<String, Vec<(String, WordTy)>>,
) -> syn::Result<Vec<Param>> {
    list.iter()
        .enumerate()
        .map(|(i, p)| {
            Ok(Param {
                name: p.name.as_ref().map_or_else(|| format!("_{i}"), ToString::to_string),
                ty: param_ty(&p.ty, structs)?,
            })
        })
        .collect()
}

fn func(
    f: &ItemFunction,
    call_name: String,
    structs: &BTreeMap<String, Vec<(String, WordTy)>>,
    shapes: &BTreeMap<String, Vec<Type>>,
) -> syn::Result<Func> {
    let sol_name = f.name.as_ref().map_or_else(|| "constructor".to_string(), ToString::to_string);
    let rust = tag(&f.attrs, "rust").unwrap_or_else(|| sol_name.to_snake_case());
    let program = tag(&f.attrs, "program");
    let program = match program.as_deref() {
        None | Some("core") => Prog::Core,
        Some("extension") => Prog::Extension,
        Some("permit") => Prog::Permit,
        Some(other) => return Err(err(format!("{sol_name}: unknown @custom:program `{other}`"))),
    };
    let raw = tag(&f.attrs, "raw").is_some();
    let params = if raw {
        // The method decodes the bytes itself: any type with a canonical form will do.
        f.parameters
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let ty = match param_ty(&p.ty, structs) {
                    Ok(ty) => ty,
                    Err(_) => Ty::Raw(canonical_any(&p.ty, shapes).ok_or_else(|| {
                        err(format!("{sol_name}: no canonical ABI type for `{}`", p.ty))
                    })?),
                };
                Ok(Param {
                    name: p.name.as_ref().map_or_else(|| format!("_{i}"), ToString::to_string),
                    ty,
                })
            })
            .collect::<syn::Result<Vec<_>>>()?
    } else {
        params(&f.parameters, structs).map_err(|e| err(format!("{sol_name}: {e}")))?
    };
    Ok(Func {
        call_name,
        rust: Ident::new(&rust, Span::call_site()),
        params,
        payable: matches!(f.attributes.mutability(), Some(Mutability::Payable(_))),
        program,
        raw,
        sol_name,
    })
}

fn model(path: &PathBuf) -> syn::Result<Model> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| err(format!("cannot read {}: {e}", path.display())))?;
    let file: File = syn::parse_str(&text).map_err(|e| err(format!("{}: {e}", path.display())))?;
    let mut interface: Option<&ItemContract> = None;
    let mut constructor = None;
    for item in &file.items {
        if let Item::Contract(c) = item {
            if c.kind.is_interface() {
                if interface.is_some() {
                    return Err(err("one interface per file"));
                }
                interface = Some(c);
            } else {
                for i in &c.body {
                    if let Item::Function(f) = i {
                        if matches!(f.kind, FunctionKind::Constructor(_)) {
                            constructor = Some(f);
                        }
                    }
                }
            }
        }
    }
    let interface = interface.ok_or_else(|| err("no interface in the file"))?;
    let mut structs = BTreeMap::new();
    let mut shapes: BTreeMap<String, Vec<Type>> = BTreeMap::new();
    for item in &interface.body {
        if let Item::Struct(ItemStruct { name, fields, .. }) = item {
            shapes.insert(name.to_string(), fields.iter().map(|f| f.ty.clone()).collect());
            let words: Option<Vec<(String, WordTy)>> = fields
                .iter()
                .map(|f| Some((f.name.as_ref()?.to_string(), word_ty(&f.ty)?)))
                .collect();
            if let Some(words) = words {
                structs.insert(name.to_string(), words);
            }
        }
    }
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for item in &interface.body {
        if let Item::Function(f) = item {
            if let (FunctionKind::Function(_), Some(n)) = (&f.kind, &f.name) {
                *counts.entry(n.to_string()).or_default() += 1;
            }
        }
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let (mut functions, mut errors, mut events, mut receive) = (vec![], vec![], vec![], false);
    for item in &interface.body {
        match item {
            Item::Function(f) => match f.kind {
                FunctionKind::Function(_) => {
                    let name = f.name.as_ref().map(ToString::to_string).unwrap_or_default();
                    let call_name = if counts[&name] > 1 {
                        let i = seen.entry(name.clone()).or_default();
                        *i += 1;
                        format!("{name}_{}Call", *i - 1)
                    } else {
                        format!("{name}Call")
                    };
                    functions.push(func(f, call_name, &structs, &shapes)?);
                }
                FunctionKind::Receive(_) => receive = true,
                _ => return Err(err("only functions and receive() in the interface")),
            },
            Item::Error(ItemError { name, parameters, .. }) => errors.push(ErrorDef {
                name: name.to_string(),
                fields: params(parameters, &structs)
                    .map_err(|e| err(format!("error {name}: {e}")))?,
            }),
            Item::Event(e) => events.push(event(e, &structs)?),
            _ => {}
        }
    }
    let constructor =
        constructor.map(|f| func(f, "constructorCall".into(), &structs, &shapes)).transpose()?;
    let split = functions.iter().any(|f| f.program == Prog::Extension);
    let permit = functions.iter().any(|f| f.program == Prog::Permit);
    Ok(Model {
        interface: interface.name.to_string(),
        functions,
        errors,
        events,
        constructor,
        receive,
        split,
        permit,
        structs,
    })
}

fn event(
    e: &ItemEvent,
    structs: &BTreeMap<String, Vec<(String, WordTy)>>,
) -> syn::Result<EventDef> {
    let name = e.name.to_string();
    if e.is_anonymous() {
        return Err(err(format!("event {name}: anonymous events are not supported")));
    }
    let mut params = vec![];
    for (i, p) in e.parameters.iter().enumerate() {
        let ty = param_ty(&p.ty, structs).map_err(|x| err(format!("event {name}: {x}")))?;
        let indexed = p.is_indexed();
        if indexed && !matches!(ty, Ty::Word(_)) {
            return Err(err(format!("event {name}: only static words may be indexed")));
        }
        params.push(EventParam {
            name: p.name.as_ref().map_or_else(|| format!("_{i}"), ToString::to_string),
            ty,
            indexed,
        });
    }
    Ok(EventDef { name, params })
}

// ------------------------------------------------------------------------------ expansion

fn ident(s: &str) -> Ident {
    Ident::new(s, Span::call_site())
}

fn sel_lit(sel: [u8; 4]) -> TokenStream {
    let [a, b, c, d] = sel;
    quote!([#a, #b, #c, #d])
}

/// The Rust type of an argument of an encoder (`calls::*`, `emit::*`).
fn arg_type(ty: &Ty, abi: &TokenStream) -> TokenStream {
    match ty {
        Ty::Word(WordTy::Address) => quote!(::alloy_primitives::Address),
        Ty::Word(WordTy::Uint | WordTy::UintN(_)) => quote!(impl ::staking_common::abi::Word),
        Ty::Word(WordTy::Bool) => quote!(bool),
        Ty::Word(WordTy::B32) => quote!(::alloy_primitives::B256),
        Ty::Word(WordTy::B4) => quote!([u8; 4]),
        Ty::UintArray => quote!(&[::alloy_primitives::U256]),
        Ty::B32Array => quote!(&[::alloy_primitives::B256]),
        Ty::AddressArray => quote!(&[::alloy_primitives::Address]),
        // A raw argument is its bytes as sent.
        Ty::Bytes | Ty::Raw(_) => quote!(&[u8]),
        Ty::Str => quote!(&str),
        Ty::Struct(name, _) => {
            let n = ident(name);
            quote!(&#abi::#n)
        }
    }
}

/// `name: Type`, an encoder's parameter ([`arg_type`]).
fn typed(name: &str, ty: &Ty, abi: &TokenStream) -> TokenStream {
    let n = ident(name);
    let t = arg_type(ty, abi);
    quote!(#n: #t)
}

/// `Arg` values encoding `value` (an expression of [`arg_type`]).
fn encode_args(ty: &Ty, value: &TokenStream) -> TokenStream {
    let w = quote!(::staking_common::abi::Word::word);
    match ty {
        Ty::Word(_) => quote!(::staking_common::abi::Arg::W(#w(#value)),),
        Ty::UintArray => quote!(::staking_common::abi::Arg::A(#value),),
        Ty::B32Array => quote!(::staking_common::abi::Arg::A(
            &#value.iter().map(|w| ::alloy_primitives::U256::from_be_bytes(w.0)).collect::<::alloc::vec::Vec<_>>()),),
        Ty::AddressArray => quote!(::staking_common::abi::Arg::A(
            &#value.iter().map(|a| ::alloy_primitives::U256::from_be_slice(a.as_slice())).collect::<::alloc::vec::Vec<_>>()),),
        Ty::Bytes => quote!(::staking_common::abi::Arg::B(#value),),
        Ty::Str => quote!(::staking_common::abi::Arg::B(#value.as_bytes()),),
        Ty::Struct(_, fields) => {
            let f = fields.iter().map(|(n, _)| {
                let n = ident(n);
                quote!(::staking_common::abi::Arg::W(#w(#value.#n)),)
            });
            quote!(#(#f)*)
        }
        // Only `@custom:raw` functions have these; their encoder appends the bytes as sent.
        Ty::Raw(_) => quote!(compile_error!("a raw argument has no encoder"),),
    }
}

/// The decoding of the argument at head word `i` (an `Option`).
fn decode(ty: &Ty, i: usize, abi: &TokenStream) -> TokenStream {
    let word = |w: WordTy, i: usize| match w {
        WordTy::Address => quote!(__a.address(#i)),
        WordTy::Uint => quote!(__a.u256(#i)),
        WordTy::Bool => quote!(__a.boolean(#i)),
        WordTy::B32 => quote!(__a.b256(#i)),
        WordTy::B4 => quote!(__a.bytes4(#i)),
        WordTy::UintN(n) => {
            let t = rust_uint(n);
            quote!(__a.u256(#i).and_then(|v| <#t>::try_from(v).ok()))
        }
    };
    match ty {
        Ty::Word(w) => {
            let d = word(*w, i);
            quote!(::staking_common::arg!(#d))
        }
        Ty::UintArray => quote!(&::staking_common::arg!(__a.u256_array(#i))),
        Ty::B32Array => quote!(&::staking_common::arg!(__a.b256_array(#i))),
        Ty::AddressArray => quote!(&::staking_common::arg!(__a.address_array(#i))),
        Ty::Bytes => quote!(::staking_common::arg!(__a.bytes(#i))),
        Ty::Str => quote!(::staking_common::arg!(__a.string(#i))),
        Ty::Struct(name, fields) => {
            let n = ident(name);
            let f = fields.iter().enumerate().map(|(k, (fname, w))| {
                let fname = ident(fname);
                let d = word(*w, i + k);
                quote!(#fname: ::staking_common::arg!(#d))
            });
            quote!(#abi::#n { #(#f),* })
        }
        Ty::Raw(_) => quote!(compile_error!("a raw argument is not decoded")),
    }
}

/// `storage.method(decoded args...)`.
fn invoke(f: &Func, abi: &TokenStream) -> TokenStream {
    let m = &f.rust;
    if f.raw {
        return quote!(__s.#m(__a.0));
    }
    let mut head = 0;
    let args = f.params.iter().map(|p| {
        let d = decode(&p.ty, head, abi);
        head += p.ty.head_words();
        d
    });
    let args: Vec<TokenStream> = args.collect();
    quote!(__s.#m(#(#args),*))
}

/// Zero-valued calldata for `f`: static words zero, dynamic values empty.
fn sample(f: &Func) -> Vec<u8> {
    let mut out = f.selector().to_vec();
    let head: usize = f.params.iter().map(|p| p.ty.head_words()).sum();
    let mut tail = vec![];
    for p in &f.params {
        if p.ty.is_dynamic() {
            let mut w = [0u8; 32];
            let off = (32 * head + tail.len()) as u64;
            w[24..].copy_from_slice(&off.to_be_bytes());
            out.extend_from_slice(&w);
            tail.extend_from_slice(&[0u8; 32]);
        } else {
            out.extend(std::iter::repeat_n(0u8, 32 * p.ty.head_words()));
        }
    }
    out.extend_from_slice(&tail);
    out
}

fn expand(args: &Args, with_router: bool) -> syn::Result<TokenStream> {
    let dir = std::env::var("CARGO_MANIFEST_DIR").map_err(|_| err("CARGO_MANIFEST_DIR unset"))?;
    let rel = args.path.value();
    let path = PathBuf::from(&dir).join(&rel);
    let m = model(&path)?;
    let path_str = path.to_string_lossy().to_string();
    let iface = ident(&m.interface);
    let abi = quote!(super::abi::#iface);

    let calls = calls(&m, &abi);
    let sol = quote! {
        /// The interface file's types (alloy's `sol!`): calls, errors, events, structs.
        pub mod abi {
            #![allow(missing_docs, unreachable_pub, non_snake_case, clippy::pedantic, clippy::all)]
            ::alloy_sol_types::sol!(#[sol(all_derives)] #path_str);
        }
    };
    if !with_router {
        let module = ident(&m.interface.to_snake_case());
        return Ok(quote! {
            #[doc = concat!("What calling `", #rel, "` needs: its types and its calldata encoders.")]
            pub mod #module {
                const _: &str = include_str!(#path_str);
                #sol
                #calls
            }
        });
    }
    let contract = &args.name;
    let errors = errors(&m, &abi);
    let events = events(&m, &abi);
    let table = table(&m);
    let results = struct_results(&m);
    let tests = tests(&m, &abi);
    let router = router(&m, contract, &quote!(interface::abi::#iface));
    let iname = &m.interface;
    Ok(quote! {
        #sol

        /// Generated from the interface file (`staking_interface::interface!`): the errors,
        /// the event loggers, the calldata encoders and the function table.
        pub mod interface {
            #![allow(missing_docs, non_snake_case, non_camel_case_types, unreachable_pub,
                     clippy::pedantic, clippy::too_many_arguments, clippy::all)]
            const _: &str = include_str!(#path_str);
            pub use super::abi;
            #errors
            #events
            #calls
            #results
            #table
            #tests
        }

        #router

        #[cfg(feature = "export-abi")]
        impl ::stylus_sdk::abi::export::GenerateAbi for #contract {
            const NAME: &'static str = #iname;

            fn fmt_abi(f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(include_str!(#path_str))
            }

            fn fmt_constructor_signature(_f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                Ok(())
            }
        }
    })
}

fn dynamic_field(ty: &Ty) -> bool {
    matches!(ty, Ty::Bytes | Ty::Str)
}

fn errors(m: &Model, abi: &TokenStream) -> TokenStream {
    let mut defs = vec![];
    let mut variants = vec![];
    let mut froms = vec![];
    let mut selectors = vec![];
    let mut encodes = vec![];
    for e in &m.errors {
        let n = ident(&e.name);
        let local = e.fields.iter().any(|f| !matches!(f.ty, Ty::Word(_)));
        if local {
            let fields = e.fields.iter().map(|f| {
                let fname = ident(&f.name);
                let t = match &f.ty {
                    Ty::Word(WordTy::Address) => quote!(::alloy_primitives::Address),
                    Ty::Word(WordTy::Uint) => quote!(::alloy_primitives::U256),
                    Ty::Word(WordTy::Bool) => quote!(bool),
                    Ty::Word(WordTy::B32) => quote!(::alloy_primitives::B256),
                    Ty::Word(WordTy::B4) => quote!(::alloy_primitives::FixedBytes<4>),
                    Ty::Word(WordTy::UintN(n)) => rust_uint(*n),
                    Ty::Bytes => quote!(::alloc::vec::Vec<u8>),
                    Ty::Str => quote!(::alloc::string::String),
                    Ty::UintArray => quote!(::alloc::vec::Vec<::alloy_primitives::U256>),
                    _ => quote!(compile_error!("unsupported error field")),
                };
                quote!(pub #fname: #t)
            });
            let conv = e.fields.iter().map(|f| {
                let fname = ident(&f.name);
                if matches!(f.ty, Ty::Bytes) {
                    quote!(#fname: self.#fname.clone().into())
                } else {
                    quote!(#fname: self.#fname.clone())
                }
            });
            defs.push(quote! {
                #[doc = concat!("`", stringify!(#n), "` (its `bytes` / `string` held as `Vec<u8>` / `String`).")]
                #[derive(Debug, Clone, PartialEq, Eq)]
                pub struct #n { #(#fields),* }
                impl #n {
                    /// The error's selector.
                    pub const SELECTOR: [u8; 4] = <#abi::#n as ::alloy_sol_types::SolError>::SELECTOR;
                    /// As alloy's `sol!` type.
                    pub fn to_sol(&self) -> #abi::#n {
                        #abi::#n { #(#conv),* }
                    }
                    /// Alloy's encoding (tests).
                    pub fn abi_encode(&self) -> ::alloc::vec::Vec<u8> {
                        ::alloy_sol_types::SolError::abi_encode(&self.to_sol())
                    }
                }
            });
        } else {
            defs.push(quote!(pub use #abi::#n;));
        }
        variants.push(quote!(#n(#n)));
        froms.push(quote! {
            impl From<#n> for Error {
                fn from(e: #n) -> Self {
                    Error::#n(e)
                }
            }
        });
        selectors.push(quote!(Error::#n(_) => <#abi::#n as ::alloy_sol_types::SolError>::SELECTOR));
        let sel = quote!(<#abi::#n as ::alloy_sol_types::SolError>::SELECTOR);
        let words: Vec<&Param> = e.fields.iter().filter(|f| matches!(f.ty, Ty::Word(_))).collect();
        let dyns: Vec<&Param> = e.fields.iter().filter(|f| !matches!(f.ty, Ty::Word(_))).collect();
        let wexprs = words.iter().map(|f| {
            let fname = ident(&f.name);
            quote!(::staking_common::abi::Word::word(_e.#fname))
        });
        let enc = if dyns.is_empty() {
            quote!(::staking_common::abi::encode_error(#sel, &[#(#wexprs),*]))
        } else if dyns.len() == 1
            && dynamic_field(&dyns[0].ty)
            && matches!(e.fields.last().map(|f| &f.ty), Some(Ty::Bytes | Ty::Str))
        {
            let d = ident(&dyns[0].name);
            let data = if matches!(dyns[0].ty, Ty::Str) {
                quote!(_e.#d.as_bytes())
            } else {
                quote!(&_e.#d)
            };
            quote!(::staking_common::abi::encode_error_with_bytes(#sel, &[#(#wexprs),*], #data))
        } else {
            let parts = e.fields.iter().map(|f| {
                let fname = ident(&f.name);
                let v = match f.ty {
                    Ty::Str => quote!(_e.#fname.as_str()),
                    Ty::Bytes | Ty::UintArray => quote!(&_e.#fname[..]),
                    _ => quote!(_e.#fname),
                };
                encode_args(&f.ty, &v)
            });
            quote!(::staking_common::abi::encode_call(#sel, &[#(#parts)*]))
        };
        encodes.push(quote!(Error::#n(_e) => #enc));
    }
    let has = |n: &str| m.errors.iter().any(|e| e.name == n);
    let access = if has("AccessDenied") && has("NotInitialized") && has("ReentrantCall") {
        quote! {
            impl ::staking_common::interface::AccessErrors for Error {
                fn access_denied(
                    caller: ::alloy_primitives::Address,
                    role: ::alloy_primitives::B256,
                    reason: ::alloc::vec::Vec<u8>,
                ) -> Self {
                    Error::AccessDenied(AccessDenied { caller, role, reason: reason.into() })
                }
                fn not_initialized() -> Self {
                    Error::NotInitialized(NotInitialized {})
                }
                fn reentrant_call() -> Self {
                    Error::ReentrantCall(ReentrantCall {})
                }
            }
        }
    } else {
        quote!()
    };
    quote! {
        #(#defs)*

        /// Every way a call can fail: each `error` of the interface file, and `Callee` (a
        /// contract this one called reverted: its revert data, passed through unchanged).
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Error {
            #(#variants,)*
            /// Revert data of a contract this one called, passed through unchanged.
            Callee(::alloc::vec::Vec<u8>),
        }

        #(#froms)*

        impl Error {
            /// The error's 4-byte selector (`Callee`: its data's first four bytes, zero-padded).
            pub fn selector(&self) -> [u8; 4] {
                match self {
                    #(#selectors,)*
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

        impl From<Error> for ::alloc::vec::Vec<u8> {
            fn from(err: Error) -> ::alloc::vec::Vec<u8> {
                match err {
                    #(#encodes,)*
                    Error::Callee(data) => data,
                }
            }
        }

        #access
    }
}

fn events(m: &Model, abi: &TokenStream) -> TokenStream {
    let mut fns = vec![];
    for e in &m.events {
        let n = ident(&e.name);
        let encode_topics = format_ident!("topics_{}", e.name);
        let encode_data = format_ident!("data_{}", e.name);
        let params: Vec<TokenStream> =
            e.params.iter().map(|p| typed(&p.name, &p.ty, abi)).collect();
        let indexed: Vec<&EventParam> = e.params.iter().filter(|p| p.indexed).collect();
        let rest: Vec<&EventParam> = e.params.iter().filter(|p| !p.indexed).collect();
        let tparams = indexed.iter().map(|p| typed(&p.name, &p.ty, abi));
        let dparams: Vec<TokenStream> = rest.iter().map(|p| typed(&p.name, &p.ty, abi)).collect();
        let tnames: Vec<Ident> = indexed.iter().map(|p| ident(&p.name)).collect();
        let dnames: Vec<Ident> = rest.iter().map(|p| ident(&p.name)).collect();
        let ntopics = 1 + indexed.len();
        let sig = quote!(<#abi::#n as ::alloy_sol_types::SolEvent>::SIGNATURE_HASH);
        let static_data = rest.iter().all(|p| matches!(p.ty, Ty::Word(_) | Ty::Struct(..)));
        let (data_fn, log) = if static_data {
            let nwords: usize = rest.iter().map(|p| p.ty.head_words()).sum();
            let words = rest.iter().flat_map(|p| word_exprs(&ident(&p.name), &p.ty));
            (
                quote! {
                    #[inline(always)]
                    pub(crate) fn #encode_data(#(#dparams),*) -> [::alloy_primitives::B256; #nwords] {
                        [#(#words),*]
                    }
                },
                quote!(::staking_common::host::log_words(&#encode_topics(#(#tnames),*), &#encode_data(#(#dnames),*))),
            )
        } else {
            let parts = rest.iter().map(|p| {
                let id = ident(&p.name);
                encode_args(&p.ty, &quote!(#id))
            });
            // Two or more fields, all `bytes` (the deposit contract's `DepositEvent`): the
            // bytes-only encoder, far less wasm than the general one.
            let body = if rest.len() >= 2 && rest.iter().all(|p| matches!(p.ty, Ty::Bytes)) {
                quote!(::staking_common::abi::encode_bytes_params(&[#(#dnames),*]))
            } else {
                quote!(::staking_common::interface::encode_args(&[#(#parts)*]))
            };
            (
                quote! {
                    #[inline(always)]
                    pub(crate) fn #encode_data(#(#dparams),*) -> ::alloc::vec::Vec<u8> {
                        #body
                    }
                },
                quote!(::staking_common::host::log_bytes(&#encode_topics(#(#tnames),*), &#encode_data(#(#dnames),*))),
            )
        };
        fns.push(quote! {
            #[inline(always)]
            pub(crate) fn #encode_topics(#(#tparams),*) -> [::alloy_primitives::B256; #ntopics] {
                [#sig, #(::staking_common::abi::Word::word(#tnames)),*]
            }
            #data_fn
            #[doc = concat!("Logs `", stringify!(#n), "`.")]
            pub fn #n(#(#params),*) {
                #log
            }
        });
    }
    quote! {
        /// One logger per event of the interface file, its fields in declaration order.
        pub mod emit {
            #![allow(non_snake_case, clippy::too_many_arguments)]
            use super::abi;
            #(#fns)*
        }
    }
}

/// A struct of static words as a method's result: its words in place (`returns (S memory)`).
fn struct_results(m: &Model) -> TokenStream {
    let iface = ident(&m.interface);
    let impls = m.structs.iter().map(|(name, fields)| {
        let n = ident(name);
        let nwords = 32 * fields.len();
        let words = fields.iter().map(|(f, _)| {
            let f = ident(f);
            quote!(out.extend_from_slice(::staking_common::abi::Word::word(self.#f).as_slice());)
        });
        quote! {
            impl ::staking_common::interface::Returns for abi::#iface::#n {
                fn returns(self) -> ::alloc::vec::Vec<u8> {
                    let mut out = ::alloc::vec::Vec::with_capacity(#nwords);
                    #(#words)*
                    out
                }
            }
            impl ::staking_common::interface::Reply for abi::#iface::#n {
                fn reply(self) -> Option<::staking_common::router::ArbResult> {
                    Some(Ok(::staking_common::interface::Returns::returns(self)))
                }
            }
        }
    });
    quote!(#(#impls)*)
}

/// The ABI words of a static value named `id`: itself, or each field of a struct of words.
fn word_exprs(id: &Ident, ty: &Ty) -> Vec<TokenStream> {
    match ty {
        Ty::Struct(_, fields) => fields
            .iter()
            .map(|(n, _)| {
                let n = ident(n);
                quote!(::staking_common::abi::Word::word(#id.#n))
            })
            .collect(),
        _ => vec![quote!(::staking_common::abi::Word::word(#id))],
    }
}

fn calls(m: &Model, abi: &TokenStream) -> TokenStream {
    let fns = m.functions.iter().map(|f| {
        // `canCallCall` -> `canCall` (one suffix: `trim_end_matches` would strip both).
        let name = ident(f.call_name.strip_suffix("Call").unwrap_or(&f.call_name));
        let params = f.params.iter().map(|p| typed(&p.name, &p.ty, abi));
        let sel = sel_lit(f.selector());
        let parts = f.params.iter().map(|p| {
            let id = ident(&p.name);
            encode_args(&p.ty, &quote!(#id))
        });
        let sig = f.signature();
        if f.params.iter().any(|p| matches!(p.ty, Ty::Raw(_))) {
            return quote! {
                #[doc = concat!("`", #sig, "` calldata: the selector, then `args` (the arguments as sent).")]
                pub fn #name(args: &[u8]) -> ::alloc::vec::Vec<u8> {
                    let mut out = ::alloc::vec::Vec::with_capacity(4 + args.len());
                    out.extend_from_slice(&#sel);
                    out.extend_from_slice(args);
                    out
                }
            };
        }
        // Static words only (most calls): `selector ‖ words`, the encoder every error uses
        // too; a trailing `bytes`/`string`: its sibling. Both are linked anyway, where the
        // general encoder would add code to a program that has no other use for it.
        let all_words = f.params.iter().all(|p| matches!(p.ty, Ty::Word(_) | Ty::Struct(..)));
        let body = if all_words {
            let words = f.params.iter().flat_map(|p| word_exprs(&ident(&p.name), &p.ty));
            quote!(::staking_common::abi::encode_error(#sel, &[#(#words),*]))
        } else if !f.params.is_empty()
            && f.params[..f.params.len() - 1].iter().all(|p| matches!(p.ty, Ty::Word(_)))
            && matches!(f.params[f.params.len() - 1].ty, Ty::Bytes | Ty::Str)
        {
            let (last, head) = f.params.split_last().expect("non-empty");
            let words = head.iter().map(|p| {
                let id = ident(&p.name);
                quote!(::staking_common::abi::Word::word(#id))
            });
            let id = ident(&last.name);
            let data = if matches!(last.ty, Ty::Str) { quote!(#id.as_bytes()) } else { quote!(#id) };
            quote!(::staking_common::abi::encode_error_with_bytes(#sel, &[#(#words),*], #data))
        } else {
            quote!(::staking_common::abi::encode_call(#sel, &[#(#parts)*]))
        };
        quote! {
            #[doc = concat!("`", #sig, "` calldata.")]
            pub fn #name(#(#params),*) -> ::alloc::vec::Vec<u8> {
                #body
            }
        }
    });
    quote! {
        /// The calldata of each function of the interface (what callers send, and what the
        /// AccessManager hashes for a delayed operation).
        pub mod calls {
            #![allow(non_snake_case, clippy::too_many_arguments, dead_code)]
            use super::abi;
            #(#fns)*
        }
    }
}

fn table(m: &Model) -> TokenStream {
    let rows = m.functions.iter().map(|f| {
        let sig = f.signature();
        let sel = sel_lit(f.selector());
        let program = match f.program {
            Prog::Core => quote!(::staking_common::interface::Program::Core),
            Prog::Extension => quote!(::staking_common::interface::Program::Extension),
            Prog::Permit => quote!(::staking_common::interface::Program::Permit),
        };
        let payable = f.payable;
        let sample = sample(f);
        quote! {
            ::staking_common::interface::Function {
                signature: #sig,
                selector: #sel,
                program: #program,
                payable: #payable,
                sample: &[#(#sample),*],
            }
        }
    });
    let split = m.split;
    quote! {
        /// Every function of the interface file, as the router serves it.
        #[cfg(not(target_arch = "wasm32"))]
        pub const FUNCTIONS: &[::staking_common::interface::Function] = &[#(#rows),*];
        /// Whether the contract is two programs (core and extension).
        #[cfg(not(target_arch = "wasm32"))]
        pub const SPLIT: bool = #split;
    }
}

fn sample_value(ty: &Ty, k: usize, abi: &TokenStream) -> TokenStream {
    let k8 = u8::try_from(k % 250 + 1).unwrap_or(1);
    let k64 = (k as u64 + 1) * 0x0101_0101;
    let word = |w: WordTy| match w {
        WordTy::Address => quote!(::alloy_primitives::Address::repeat_byte(#k8)),
        WordTy::Uint => quote!(::alloy_primitives::U256::from(#k64)),
        WordTy::Bool => {
            let b = k % 2 == 1;
            quote!(#b)
        }
        WordTy::B32 => quote!(::alloy_primitives::B256::repeat_byte(#k8)),
        WordTy::B4 => quote!([#k8; 4]),
        WordTy::UintN(_) => quote!(::alloy_primitives::U256::from(#k8)),
    };
    match ty {
        Ty::Word(w) => word(*w),
        Ty::UintArray => {
            quote!(&[::alloy_primitives::U256::from(#k64), ::alloy_primitives::U256::MAX][..])
        }
        Ty::B32Array => quote!(&[::alloy_primitives::B256::repeat_byte(#k8)][..]),
        Ty::AddressArray => quote!(&[::alloy_primitives::Address::repeat_byte(#k8)][..]),
        Ty::Bytes => {
            let n = k % 70 + 1;
            quote!(&[#k8; #n][..])
        }
        Ty::Str => {
            let s = "x".repeat(k % 40 + 1);
            quote!(#s)
        }
        Ty::Struct(name, fields) => {
            let n = ident(name);
            let f = fields.iter().enumerate().map(|(i, (fname, w))| {
                let fname = ident(fname);
                let v = sample_value(&Ty::Word(*w), k + i, abi);
                quote!(#fname: #v)
            });
            quote!(&#abi::#n { #(#f),* })
        }
        Ty::Raw(_) => quote!(compile_error!("a raw argument has no sample")),
    }
}

/// The sol! value of a sample (for alloy's encoders).
fn sol_value(ty: &Ty, v: &TokenStream) -> TokenStream {
    match ty {
        Ty::Word(WordTy::B4) => quote!(::alloy_primitives::FixedBytes::<4>::from(#v)),
        Ty::Word(_) => quote!(#v),
        Ty::UintArray | Ty::B32Array | Ty::AddressArray => quote!(#v.to_vec()),
        Ty::Bytes => quote!(::alloy_primitives::Bytes::from(#v.to_vec())),
        Ty::Str => quote!(::alloc::string::String::from(#v)),
        Ty::Struct(..) => quote!((*#v).clone()),
        Ty::Raw(_) => quote!(compile_error!("a raw argument has no sample")),
    }
}

fn tests(m: &Model, abi: &TokenStream) -> TokenStream {
    let mut error_checks = vec![];
    for (k, e) in m.errors.iter().enumerate() {
        let n = ident(&e.name);
        let local = e.fields.iter().any(|f| !matches!(f.ty, Ty::Word(_)));
        let fields: Vec<TokenStream> = e
            .fields
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let fname = ident(&f.name);
                let v = sample_value(&f.ty, k * 7 + i, abi);
                let v = match f.ty {
                    Ty::Bytes => quote!((#v).to_vec()),
                    Ty::Str => quote!(::alloc::string::String::from(#v)),
                    Ty::Word(WordTy::Uint | WordTy::UintN(_)) => {
                        quote!(::core::convert::TryFrom::try_from(#v).unwrap())
                    }
                    Ty::Word(WordTy::B4) => quote!(::alloy_primitives::FixedBytes::<4>::from(#v)),
                    _ => v,
                };
                quote!(#fname: #v)
            })
            .collect();
        let expected = if local {
            quote!(value.abi_encode())
        } else {
            quote!(::alloy_sol_types::SolError::abi_encode(&value))
        };
        error_checks.push(quote! {
            let value = #n { #(#fields),* };
            let expected = #expected;
            let ours: ::alloc::vec::Vec<u8> = Error::from(value.clone()).into();
            assert_eq!(ours, expected, "error {}", stringify!(#n));
            assert_eq!(Error::from(value.clone()).selector(), ours[..4], "selector of {}", stringify!(#n));
            let decoded = <#abi::#n as ::alloy_sol_types::SolError>::abi_decode(&ours, true)
                .expect(stringify!(#n));
            assert_eq!(::alloy_sol_types::SolError::abi_encode(&decoded), ours, "round trip of {}", stringify!(#n));
        });
    }
    let mut event_checks = vec![];
    for (k, e) in m.events.iter().enumerate() {
        let n = ident(&e.name);
        let topics_fn = format_ident!("topics_{}", e.name);
        let data_fn = format_ident!("data_{}", e.name);
        let lets = e.params.iter().enumerate().map(|(i, p)| {
            let pn = ident(&p.name);
            let v = sample_value(&p.ty, k * 5 + i, abi);
            quote!(let #pn = #v;)
        });
        let tnames = e.params.iter().filter(|p| p.indexed).map(|p| ident(&p.name));
        let dnames = e.params.iter().filter(|p| !p.indexed).map(|p| ident(&p.name));
        let sol_fields = e.params.iter().map(|p| {
            let pn = ident(&p.name);
            let v = sol_value(&p.ty, &quote!(#pn));
            let v = if matches!(p.ty, Ty::Word(WordTy::Uint | WordTy::UintN(_))) {
                quote!(::core::convert::TryFrom::try_from(#v).unwrap())
            } else {
                v
            };
            quote!(#pn: #v)
        });
        let static_data = e
            .params
            .iter()
            .filter(|p| !p.indexed)
            .all(|p| matches!(p.ty, Ty::Word(_) | Ty::Struct(..)));
        let flatten = if static_data {
            quote!(__data.iter().flat_map(|w| w.0).collect())
        } else {
            quote!(__data)
        };
        event_checks.push(quote! {
            #(#lets)*
            // `__` names: an event field may be called `data`, `value`...
            let __topics = emit::#topics_fn(#(#tnames),*);
            let __data = emit::#data_fn(#(#dnames),*);
            let __data: ::alloc::vec::Vec<u8> = #flatten;
            let __value = #abi::#n { #(#sol_fields),* };
            let __expected = ::alloy_sol_types::SolEvent::encode_log_data(&__value);
            assert_eq!(__topics.to_vec(), __expected.topics().to_vec(), "topics of {}", stringify!(#n));
            assert_eq!(__data, __expected.data.to_vec(), "data of {}", stringify!(#n));
            let __decoded = <#abi::#n as ::alloy_sol_types::SolEvent>::decode_raw_log(
                __topics.iter().copied(), &__data, true).expect(stringify!(#n));
            assert_eq!(__decoded, __value, "round trip of {}", stringify!(#n));
        });
    }
    let fn_checks = m.functions.iter().map(|f| {
        let call = ident(&f.call_name);
        let sig = f.signature();
        quote! {
            assert_eq!(
                <#abi::#call as ::alloy_sol_types::SolCall>::SELECTOR,
                FUNCTIONS.iter().find(|f| f.signature == #sig).unwrap().selector,
                "selector of {}", #sig
            );
        }
    });
    let call_checks = m.functions.iter().filter(|f| !f.raw && !f.params.iter().any(|p| matches!(p.ty, Ty::Raw(_)))).enumerate().map(|(k, f)| {
        let call = ident(&f.call_name);
        let name = ident(f.call_name.strip_suffix("Call").unwrap_or(&f.call_name));
        let sig = f.signature();
        let lets: Vec<TokenStream> = f.params.iter().enumerate().map(|(i, p)| {
            let pn = format_ident!("p{}", i);
            let v = sample_value(&p.ty, k * 3 + i, abi);
            quote!(let #pn = #v;)
        }).collect();
        let args = (0..f.params.len()).map(|i| format_ident!("p{}", i));
        let fields = f.params.iter().enumerate().map(|(i, p)| {
            let pn = format_ident!("p{}", i);
            let fname = ident(&p.name);
            let v = sol_value(&p.ty, &quote!(#pn));
            // A `uintN` sample is a `U256`; `sol!` types the field `u8`..`u128`.
            let v = if matches!(p.ty, Ty::Word(WordTy::UintN(_))) {
                quote!(::core::convert::TryFrom::try_from(#v).unwrap())
            } else {
                v
            };
            quote!(#fname: #v)
        });
        quote! {
            {
                #(#lets)*
                let ours = calls::#name(#(#args),*);
                let value = #abi::#call { #(#fields),* };
                assert_eq!(ours, ::alloy_sol_types::SolCall::abi_encode(&value), "calldata of {}", #sig);
            }
        }
    });
    quote! {
        #[cfg(test)]
        mod generated_tests {
            use super::*;

            #[test]
            fn every_calldata_encoder_writes_what_alloy_encodes() {
                #(#call_checks)*
            }

            #[test]
            fn every_error_encodes_as_alloy_encodes_it_and_decodes_back() {
                #(#error_checks)*
            }

            #[test]
            fn every_event_logs_what_alloy_encodes_and_decodes_back() {
                #[allow(unused_imports)]
                use ::alloy_sol_types::SolEvent as _;
                #(#event_checks)*
            }

            #[test]
            fn every_selector_is_the_one_sol_computes_and_appears_once() {
                #(#fn_checks)*
                let mut seen = ::std::collections::BTreeSet::new();
                for f in FUNCTIONS {
                    assert!(seen.insert(f.selector), "selector clash at {}", f.signature);
                    assert_ne!(f.selector, ::staking_common::upgrade::CONSTRUCTOR_SELECTOR);
                    assert_eq!(&f.sample[..4], &f.selector[..]);
                }
            }
        }
    }
}

fn router(m: &Model, contract: &Ident, abi: &TokenStream) -> TokenStream {
    let arms = |program: Prog| {
        let arms = m.functions.iter().filter(|f| f.program == program).map(|f| {
            let sel = sel_lit(f.selector());
            let call = invoke(f, abi);
            quote!(#sel => ::staking_common::interface::Reply::reply(#call))
        });
        quote! {
            match __sel {
                #(#arms,)*
                _ => None,
            }
        }
    };
    let core_arms = arms(Prog::Core);
    let ext_arms = arms(Prog::Extension);
    let permit_arms = arms(Prog::Permit);
    let sels = |program: Prog| -> Vec<TokenStream> {
        m.functions.iter().filter(|f| f.program == program).map(|f| sel_lit(f.selector())).collect()
    };
    let permit_sels = sels(Prog::Permit);
    let payable: Vec<TokenStream> =
        m.functions.iter().filter(|f| f.payable).map(|f| sel_lit(f.selector())).collect();
    let value_check = if payable.is_empty() {
        quote! {
            if !::staking_common::host::value().is_zero() {
                return Some(::staking_common::router::bad());
            }
        }
    } else {
        quote! {
            if !matches!(__sel, #(#payable)|*) && !::staking_common::host::value().is_zero() {
                return Some(::staking_common::router::bad());
            }
        }
    };
    // The features that build a program other than the core (none: one program).
    let mut others = vec![];
    if m.split {
        others.push(quote!(feature = "extension"));
    }
    if m.permit {
        others.push(quote!(feature = "permit"));
    }
    let (core_cfg, fwd_cfg, not_core) = if others.is_empty() {
        (quote!(), quote!(#[cfg(any())]), quote!(false))
    } else {
        (
            quote!(#[cfg(not(all(target_arch = "wasm32", any(#(#others),*))))]),
            quote!(#[cfg(all(target_arch = "wasm32", not(any(#(#others),*))))]),
            quote!(cfg!(all(target_arch = "wasm32", any(#(#others),*)))),
        )
    };
    let ext_cfg = if m.split {
        quote!(#[cfg(not(all(target_arch = "wasm32", not(feature = "extension"))))])
    } else {
        quote!(#[cfg(any())])
    };
    let permit_cfg = if m.permit {
        quote!(#[cfg(not(all(target_arch = "wasm32", not(feature = "permit"))))])
    } else {
        quote!(#[cfg(any())])
    };
    // Natively the one build serves every table, as the wasm core does by forwarding: and, as
    // the wasm core's forwarding to no program, it refuses another program's functions while
    // that program is not set.
    let native_forward = match (m.split, m.permit) {
        (true, false) => quote! {
            #[cfg(not(target_arch = "wasm32"))]
            if __s.extension.get().is_zero() {
                return Some(::staking_common::router::bad());
            }
        },
        (true, true) => quote! {
            #[cfg(not(target_arch = "wasm32"))]
            if matches!(__sel, #(#permit_sels)|*) {
                if __s.permit_program.get().is_zero() {
                    return Some(::staking_common::router::bad());
                }
            } else if __s.extension.get().is_zero() {
                return Some(::staking_common::router::bad());
            }
        },
        (false, true) => quote! {
            #[cfg(not(target_arch = "wasm32"))]
            if matches!(__sel, #(#permit_sels)|*) && __s.permit_program.get().is_zero() {
                return Some(::staking_common::router::bad());
            }
        },
        (false, false) => quote!(),
    };
    // The wasm core's fallback (every selector its own table does not serve): with a permit
    // program, the permit program's selectors to the `permit_program` address and every other
    // one to the extension, which refuses what it does not serve; without one, all to the
    // extension. Unknown selectors go to the extension, as before the permit program, so an
    // upgraded extension can still add functions (only the core's list of permit selectors is
    // fixed; a permit program cannot add any).
    let forward = match (m.split, m.permit) {
        (_, false) => quote! {
            if calldata.len() >= 4 {
                return Some(::staking_common::router::delegate(storage.extension.get(), calldata));
            }
        },
        (true, true) => quote! {
            if let Some(__sel) = calldata.first_chunk::<4>() {
                let __to = if matches!(*__sel, #(#permit_sels)|*) {
                    storage.permit_program.get()
                } else {
                    storage.extension.get()
                };
                return Some(::staking_common::router::delegate(__to, calldata));
            }
        },
        (false, true) => quote! {
            if calldata.len() >= 4 {
                return Some(::staking_common::router::delegate(storage.permit_program.get(), calldata));
            }
        },
    };
    let constructor = match &m.constructor {
        None => quote!(None),
        Some(c) => {
            let call = invoke(c, abi);
            let check = if c.payable {
                quote!()
            } else {
                quote! {
                    if !::staking_common::host::value().is_zero() {
                        return Some(::staking_common::router::bad());
                    }
                }
            };
            let not_in_extension = if m.split || m.permit {
                quote! {
                    if #not_core {
                        return Some(::staking_common::router::bad());
                    }
                }
            } else {
                quote!()
            };
            quote! {
                #not_in_extension
                #check
                let __s = storage;
                let __a = ::staking_common::calldata::Args(input);
                let __reply: Option<::staking_common::router::ArbResult> = (|| {
                    ::staking_common::interface::Reply::reply(#call)
                })();
                Some(__reply.unwrap_or_else(::staking_common::router::bad))
            }
        }
    };
    let receive = if m.receive {
        quote! {
            #core_cfg
            {
                return Some(storage.receive().map_err(Into::into));
            }
            #[allow(unreachable_code)]
            None
        }
    } else {
        quote!(None)
    };
    quote! {
        impl ::stylus_sdk::abi::Router<#contract> for #contract {
            type Storage = Self;

            #[allow(unused_variables, unreachable_code)]
            fn route(storage: &mut Self, selector: u32, input: &[u8])
                -> Option<::staking_common::router::ArbResult>
            {
                let __sel = selector.to_be_bytes();
                #value_check
                let __a = ::staking_common::calldata::Args(input);
                let __s = storage;
                #core_cfg
                {
                    let __r: Option<::staking_common::router::ArbResult> = #core_arms;
                    if __r.is_some() {
                        return __r;
                    }
                }
                #native_forward
                #ext_cfg
                {
                    let __r: Option<::staking_common::router::ArbResult> = #ext_arms;
                    if __r.is_some() {
                        return __r;
                    }
                }
                #permit_cfg
                {
                    let __r: Option<::staking_common::router::ArbResult> = #permit_arms;
                    if __r.is_some() {
                        return __r;
                    }
                }
                None
            }

            #[allow(unused_variables)]
            fn fallback(storage: &mut Self, calldata: &[u8]) -> Option<::staking_common::router::ArbResult> {
                #fwd_cfg
                #forward
                None
            }

            #[allow(unused_variables, unreachable_code)]
            fn receive(storage: &mut Self) -> Option<Result<(), ::alloc::vec::Vec<u8>>> {
                #receive
            }

            #[allow(unused_variables, unreachable_code, clippy::redundant_closure_call)]
            fn constructor(storage: &mut Self, input: &[u8]) -> Option<::staking_common::router::ArbResult> {
                #constructor
            }
        }

        impl #contract {
            /// Required by `#[entrypoint]`; the generated router overrides nothing.
            #[doc(hidden)]
            pub const fn __stylus_assert_overrides() {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One file per call: the tests run in parallel and may parse the same text.
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

    fn model_of(sol: &str) -> syn::Result<Model> {
        let dir = std::env::temp_dir().join(format!("staking-interface-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = dir.join(format!("I{n}.sol"));
        std::fs::write(&path, sol).unwrap();
        model(&path)
    }

    const FILE: &str = r"
        interface IThing {
            struct Pair { uint256 a; address b; }
            function plain(uint256 x, address to) external;
            /// @custom:program extension
            function admin(Pair calldata p, string calldata s) external;
            function pay() external payable;
            /// @custom:rust transfer_with_data
            function transfer(address to, uint256 id, bytes calldata data) external;
            function transfer(address to, uint256 id) external;
            /// @custom:raw
            function report(uint256[] calldata xs, uint8 small) external;
            function narrow(uint64 n) external;
            receive() external payable;
            error Refused(address caller, bytes reason);
            event Done(address indexed by, uint256 amount, string note);
        }
        abstract contract ThingDeployment {
            constructor(address manager) payable {}
        }
    ";

    #[test]
    fn tags_name_the_program_the_method_and_raw_arguments() {
        let m = model_of(FILE).unwrap();
        let f = |n: &str| m.functions.iter().find(|f| f.sol_name == n).unwrap();
        assert!(m.split, "a tagged function makes the contract two programs");
        assert_eq!((f("plain").program, f("admin").program), (Prog::Core, Prog::Extension));
        assert!(!m.permit, "no function is tagged permit");
        assert_eq!(f("plain").rust.to_string(), "plain");
        assert!(f("pay").payable && !f("plain").payable);
        assert!(f("report").raw);
        let transfers: Vec<&Func> =
            m.functions.iter().filter(|f| f.sol_name == "transfer").collect();
        assert_eq!(transfers[0].rust.to_string(), "transfer_with_data");
        assert_eq!(transfers[0].call_name, "transfer_0Call");
        assert_eq!(transfers[1].call_name, "transfer_1Call");
        assert!(m.receive);
        let c = m.constructor.as_ref().unwrap();
        assert!(c.payable);
        assert_eq!(c.params.len(), 1);
        assert_eq!(m.errors.len(), 1);
        assert_eq!(m.events.len(), 1);
    }

    #[test]
    fn signatures_are_canonical_and_selectors_their_keccak() {
        let m = model_of(FILE).unwrap();
        let sigs: Vec<String> = m.functions.iter().map(Func::signature).collect();
        assert!(sigs.contains(&"admin((uint256,address),string)".to_string()), "{sigs:?}");
        assert!(sigs.contains(&"transfer(address,uint256,bytes)".to_string()));
        assert!(sigs.contains(&"narrow(uint64)".to_string()));
        assert!(sigs.contains(&"report(uint256[],uint8)".to_string()), "{sigs:?}");
        let plain = m.functions.iter().find(|f| f.sol_name == "plain").unwrap();
        // keccak256("plain(uint256,address)")
        assert_eq!(plain.selector(), keccak(b"plain(uint256,address)")[..4]);
    }

    #[test]
    fn sample_calldata_is_the_selector_then_zero_words_and_empty_tails() {
        let m = model_of(FILE).unwrap();
        let admin = m.functions.iter().find(|f| f.sol_name == "admin").unwrap();
        let s = sample(admin);
        // selector, Pair (2 words), offset of the string (3 * 32 = 96), its length 0.
        assert_eq!(s.len(), 4 + 32 * 4);
        assert_eq!(&s[..4], &admin.selector());
        assert!(s[4..4 + 64].iter().all(|&b| b == 0));
        assert_eq!(s[4 + 64 + 31], 96);
        assert!(s[4 + 96..].iter().all(|&b| b == 0));
    }

    #[test]
    fn what_the_router_cannot_serve_is_a_compile_error() {
        let bad = |body: &str| {
            model_of(&format!("interface I {{ {body} }}")).err().map(|e| e.to_string())
        };
        assert!(bad("function f(uint256[3] calldata x) external;")
            .unwrap()
            .contains("unsupported"));
        assert!(bad("function f(string[] calldata x) external;").unwrap().contains("unsupported"));
        let e = bad("/// @custom:program elsewhere\n function f() external;").unwrap();
        assert!(e.contains("unknown @custom:program"), "{e}");
        assert!(bad("event E(string indexed s);").unwrap().contains("indexed"));
        assert!(model_of("contract C { }").is_err(), "no interface");
    }

    const THREE: &str = r"
        interface IPool {
            function deposit(address referral) external payable returns (uint256);
            /// @custom:program extension
            function report(uint256 x) external;
            /// @custom:program permit
            function permit(address owner, uint256 value, uint8 v, bytes32 r, bytes32 s) external;
            /// @custom:program permit
            /// @custom:rust permit_with_signature
            function permit(address owner, uint256 value, bytes calldata signature) external;
            /// @custom:program permit
            function nonces(address owner) external view returns (uint256);
        }
    ";

    #[test]
    fn the_permit_tag_names_a_third_program_beside_the_core_and_the_extension() {
        let m = model_of(THREE).unwrap();
        let program =
            |sig: &str| m.functions.iter().find(|f| f.signature() == sig).unwrap().program;
        assert!(m.split && m.permit, "an extension and a permit program");
        assert_eq!(program("deposit(address)"), Prog::Core);
        assert_eq!(program("report(uint256)"), Prog::Extension);
        assert_eq!(program("permit(address,uint256,uint8,bytes32,bytes32)"), Prog::Permit);
        assert_eq!(program("permit(address,uint256,bytes)"), Prog::Permit);
        assert_eq!(program("nonces(address)"), Prog::Permit);
        let overload = m.functions.iter().find(|f| f.sol_name == "permit" && f.raw).map(|_| ());
        assert!(overload.is_none(), "neither overload is raw");
        let names: Vec<String> = m
            .functions
            .iter()
            .filter(|f| f.sol_name == "permit")
            .map(|f| f.rust.to_string())
            .collect();
        assert_eq!(names, ["permit", "permit_with_signature"]);
    }

    #[test]
    fn a_permit_program_alone_needs_no_extension() {
        let m = model_of(
            "interface I { function a() external; \n /// @custom:program permit\n function b() external; }",
        )
        .unwrap();
        assert!(m.permit && !m.split);
        let m = model_of("interface I { function a() external; }").unwrap();
        assert!(!m.permit && !m.split, "untagged: one program");
    }

    /// The expanded router, as text without spaces (`quote!`'s spacing is not stable to read).
    fn router_text(sol: &str) -> String {
        let m = model_of(sol).unwrap();
        let contract = ident("Pool");
        router(&m, &contract, &quote!(abi::I)).to_string().replace(' ', "")
    }

    /// `[a u8, b u8, c u8, d u8]`, a selector as the expansion writes it.
    fn lit(m: &Model, sig: &str) -> String {
        let bytes = m.functions.iter().find(|f| f.signature() == sig).unwrap().selector();
        let [b0, b1, b2, b3] = bytes;
        format!("[{b0}u8,{b1}u8,{b2}u8,{b3}u8]")
    }

    #[test]
    fn the_core_forwards_the_permit_programs_selectors_to_it_and_every_other_to_the_extension() {
        let text = router_text(THREE);
        let m = model_of(THREE).unwrap();
        // The fallback compares with the permit program's selectors: those go to
        // `permit_program`, anything else (the extension's, and selectors an upgraded
        // extension adds) to the extension; natively, each program's functions are refused
        // while it is not set.
        let fallback = &text[text.find("fnfallback").unwrap()..text.find("fnreceive").unwrap()];
        assert!(fallback.contains(&lit(&m, "nonces(address)")), "{fallback}");
        assert!(!fallback.contains(&lit(&m, "report(uint256)")), "{fallback}");
        assert!(fallback.contains("storage.permit_program.get()"), "{fallback}");
        assert!(fallback.contains("storage.extension.get()"), "{fallback}");
        assert!(text.contains("__s.permit_program.get().is_zero()"), "native refusal");
        assert!(text.contains("__s.extension.get().is_zero()"), "native refusal");
        // Three builds: the core is neither feature, each other program is its own.
        assert!(text.contains(
            r#"not(all(target_arch="wasm32",any(feature="extension",feature="permit")))"#
        ));
        assert!(text.contains(r#"not(all(target_arch="wasm32",not(feature="permit")))"#));
        assert!(text.contains(
            r#"all(target_arch="wasm32",not(any(feature="extension",feature="permit")))"#
        ));
    }

    #[test]
    fn a_contract_without_the_permit_tag_forwards_as_before_and_names_no_permit_feature() {
        let text = router_text(FILE);
        assert!(!text.contains("permit"), "{text}");
        assert!(text.contains("calldata.len()>=4"));
        assert!(text.contains(r#"all(target_arch="wasm32",not(any(feature="extension")))"#));
    }
}
