//! Calldata fuzz on the release wasm: every program of the deployed suite (the AccessManager,
//! the pool, the queue, the registry, the oracle, the wrapped token, and each extension program
//! run in place of its core, on the core's storage, as its `DELEGATECALL` runs it) receives,
//! from an account with no role, calls built from its interface files: arbitrary selectors and
//! bytes, every known selector with well-formed random arguments, and the same arguments
//! truncated, oversized, with dirty high bits in `address` / `bool` / `uint<N>` / `bytes<N>`
//! words, with wrong or huge offsets and lengths for dynamic arguments, and with random bytes
//! flipped.
//!
//! The suite is deployed as on chain (the StylusDeployer, ArbWasm). Only the extension targets
//! are a test instrument: a copy of the chain gets the extension's activated code written at
//! its core's address ([`stylus_vm::Vm::deploy_at`]), so that every selector reaches the
//! extension's own decoder directly, which the core's router would not let malformed calldata
//! do; no deployment path places code that way.
//!
//! Every call must end in one of:
//! - a revert whose data is one of the suite's declared errors (selector known, arguments
//!   decoding strictly against its declaration), or empty (the routers' documented refusal of
//!   undecodable arguments, unknown selectors and ether sent to a non-payable function), with
//!   every balance and storage slot of the VM unchanged (`Vm::snapshot`);
//! - a success, only for a known selector whose arguments decode strictly (trailing bytes are
//!   allowed, as Solidity allows them) and, when ether was sent, a payable function (or a
//!   plain transfer to the pool's `receive`).
//!
//! Never a trap (`Status::Failure`), never out of gas, never an invalid transaction. Each call is
//! one seed of [`protocol_tests::fuzz`] on a fresh copy of the deployed suite: a failure prints
//! the seed that replays it. Short mode: 200 calls per program; `scripts/fuzz` runs 100,000.
#![allow(missing_docs, clippy::cast_possible_truncation, clippy::many_single_char_names)]

use std::{collections::BTreeMap, sync::OnceLock};

use alloy_primitives::{keccak256, Address, U256};
use proptest::prelude::Rng;
use protocol_tests::{
    deploy::{read_wasm, Suite, ADMIN, ALICE},
    ether, fuzz,
    oracle::Oracle,
    validators::Validators,
};
use staking_common::interface::{Function, Program};
use stylus_vm::Status;

/// The account every call comes from: it holds ether and no role.
const STRANGER: Address = Address::new([0x5E; 20]);
/// Calls per program in short mode.
const SHORT: u64 = 200;

// ------------------------------------------------------------------------------- a small ABI

/// An ABI type.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Ty {
    Uint(u16),
    Int(u16),
    Address,
    Bool,
    FixedBytes(u8),
    Bytes,
    String,
    Array(Box<Ty>),
    FixedArray(Box<Ty>, usize),
    Tuple(Vec<Ty>),
}

impl Ty {
    fn canonical(&self) -> String {
        match self {
            Ty::Uint(n) => format!("uint{n}"),
            Ty::Int(n) => format!("int{n}"),
            Ty::Address => "address".into(),
            Ty::Bool => "bool".into(),
            Ty::FixedBytes(n) => format!("bytes{n}"),
            Ty::Bytes => "bytes".into(),
            Ty::String => "string".into(),
            Ty::Array(t) => format!("{}[]", t.canonical()),
            Ty::FixedArray(t, n) => format!("{}[{n}]", t.canonical()),
            Ty::Tuple(ts) => {
                format!("({})", ts.iter().map(Ty::canonical).collect::<Vec<_>>().join(","))
            }
        }
    }

    fn is_dynamic(&self) -> bool {
        match self {
            Ty::Bytes | Ty::String | Ty::Array(_) => true,
            Ty::FixedArray(t, _) => t.is_dynamic(),
            Ty::Tuple(ts) => ts.iter().any(Ty::is_dynamic),
            _ => false,
        }
    }

    /// Bytes in the head: 32 for a dynamic type (its offset).
    fn head_size(&self) -> usize {
        if self.is_dynamic() {
            return 32;
        }
        match self {
            Ty::FixedArray(t, n) => t.head_size() * n,
            Ty::Tuple(ts) => ts.iter().map(Ty::head_size).sum(),
            _ => 32,
        }
    }
}

/// A function or an error of an interface.
#[derive(Clone, Debug)]
struct Decl {
    name: String,
    params: Vec<Ty>,
    payable: bool,
}

impl Decl {
    fn signature(&self) -> String {
        format!("{}{}", self.name, Ty::Tuple(self.params.clone()).canonical())
    }

    fn selector(&self) -> [u8; 4] {
        keccak256(self.signature().as_bytes())[..4].try_into().expect("4 bytes")
    }
}

/// Removes `//` and `/* */` comments.
fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("/*") {
        out.push_str(&rest[..i]);
        rest = rest[i..].find("*/").map_or("", |j| &rest[i + j + 2..]);
    }
    out.push_str(rest);
    out.lines().map(|l| l.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

/// The text of the balanced parentheses opening at `open` (without them).
fn group(text: &str, open: usize) -> &str {
    let mut depth = 0;
    for (i, c) in text[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &text[open + 1..open + i];
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced parentheses")
}

fn split_top(list: &str) -> Vec<&str> {
    let (mut out, mut depth, mut start) = (Vec::new(), 0, 0);
    for (i, c) in list.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&list[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&list[start..]);
    out.into_iter().map(str::trim).filter(|s| !s.is_empty()).collect()
}

fn parse_ty(s: &str, structs: &BTreeMap<String, Vec<Ty>>) -> Ty {
    let s = s.trim();
    if let Some(stripped) = s.strip_suffix(']') {
        let open = stripped.rfind('[').expect("array suffix");
        let inner = parse_ty(&s[..open], structs);
        let n = &stripped[open + 1..];
        return if n.is_empty() {
            Ty::Array(Box::new(inner))
        } else {
            Ty::FixedArray(Box::new(inner), n.parse().expect("array size"))
        };
    }
    if s.starts_with('(') {
        return Ty::Tuple(split_top(group(s, 0)).iter().map(|t| parse_ty(t, structs)).collect());
    }
    match s {
        "address" => Ty::Address,
        "bool" => Ty::Bool,
        "bytes" => Ty::Bytes,
        "string" => Ty::String,
        "uint" => Ty::Uint(256),
        "int" => Ty::Int(256),
        _ => {
            if let Some(n) = s.strip_prefix("uint") {
                Ty::Uint(n.parse().expect("uint size"))
            } else if let Some(n) = s.strip_prefix("int") {
                Ty::Int(n.parse().expect("int size"))
            } else if let Some(n) = s.strip_prefix("bytes") {
                Ty::FixedBytes(n.parse().expect("bytes size"))
            } else {
                let name = s.rsplit('.').next().unwrap_or(s);
                Ty::Tuple(structs.get(name).unwrap_or_else(|| panic!("unknown type {s}")).clone())
            }
        }
    }
}

/// The type of a parameter declaration (`uint256[] calldata amounts` -> `uint256[]`).
fn param_ty(p: &str, structs: &BTreeMap<String, Vec<Ty>>) -> Ty {
    let p = p.trim();
    let ty = if p.starts_with('(') {
        let inner = group(p, 0);
        let rest = &p[inner.len() + 2..];
        let suffix: String = rest.chars().take_while(|c| !c.is_whitespace()).collect();
        format!("({inner}){suffix}")
    } else {
        p.split_whitespace().next().expect("a type").to_string()
    };
    parse_ty(&ty, structs)
}

/// The functions and errors declared in Solidity (or `sol!`) text.
fn parse(text: &str) -> (Vec<Decl>, Vec<Decl>) {
    let text = strip_comments(text);
    let mut structs = BTreeMap::new();
    let mut rest = text.as_str();
    while let Some(i) = rest.find("struct ") {
        let after = &rest[i + 7..];
        let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let body_start = after.find('{').expect("struct body");
        let body_end = after.find('}').expect("struct end");
        let fields = after[body_start + 1..body_end]
            .split(';')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(|f| param_ty(f, &structs))
            .collect();
        structs.insert(name, fields);
        rest = &after[body_end..];
    }
    let mut functions = Vec::new();
    let mut errors = Vec::new();
    for (keyword, out) in [("function ", &mut functions), ("error ", &mut errors)] {
        let mut at = 0;
        while let Some(i) = text[at..].find(keyword) {
            let start = at + i;
            at = start + keyword.len();
            let boundary =
                start == 0 || !text[..start].ends_with(|c: char| c.is_alphanumeric() || c == '_');
            let Some(open) = text[at..].find('(') else { break };
            let name = text[at..at + open].trim();
            if !boundary
                || name.is_empty()
                || !name.chars().all(|c| c.is_alphanumeric() || c == '_')
            {
                continue;
            }
            let params = group(&text, at + open);
            let tail_end = text[at + open..].find([';', '{']).map_or(text.len(), |j| at + open + j);
            let payable = text[at + open + params.len()..tail_end].contains("payable");
            let params = split_top(params).iter().map(|p| param_ty(p, &structs)).collect();
            out.push(Decl { name: name.to_string(), params, payable });
        }
    }
    (functions, errors)
}

fn read(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

// ------------------------------------------------------------------------- values, encoding

/// What a word of an encoding holds: the mutations aim at these.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Word {
    Static(Kind),
    Offset,
    Length,
    Data,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Uint(u16),
    Int(u16),
    Address,
    Bool,
    FixedBytes(u8),
}

struct Gen<'a> {
    rng: &'a mut proptest::test_runner::TestRng,
    addresses: &'a [Address],
}

impl Gen<'_> {
    fn below(&mut self, n: u64) -> u64 {
        self.rng.next_u64() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        let mut b = vec![0; n];
        self.rng.fill_bytes(&mut b);
        b
    }

    fn uint(&mut self, bits: u16) -> U256 {
        let max = if bits == 256 { U256::MAX } else { (U256::from(1) << bits) - U256::from(1) };
        let v = match self.below(8) {
            0 => U256::ZERO,
            1 => U256::from(1),
            2 => max,
            3 => U256::from(self.below(40)),
            4 => U256::from(1) << (self.below(u64::from(bits))),
            5 => ether(self.below(100)),
            _ => U256::from_be_slice(&self.bytes(32)),
        };
        v & max
    }

    fn word(&mut self, kind: Kind) -> [u8; 32] {
        match kind {
            Kind::Uint(bits) => self.uint(bits).to_be_bytes(),
            Kind::Int(bits) => {
                let v = self.uint(bits);
                let negative = bits < 256 && v.bit(usize::from(bits) - 1);
                let v = if negative { v | (U256::MAX << bits) } else { v };
                v.to_be_bytes()
            }
            Kind::Address => {
                let a = if self.chance(80) {
                    self.addresses[self.below(self.addresses.len() as u64) as usize]
                } else {
                    Address::from_slice(&self.bytes(20))
                };
                a.into_word().0
            }
            Kind::Bool => U256::from(self.below(2)).to_be_bytes(),
            Kind::FixedBytes(n) => {
                let mut w = [0; 32];
                w[..usize::from(n)].copy_from_slice(&self.bytes(usize::from(n)));
                w
            }
        }
    }

    fn len(&mut self) -> usize {
        match self.below(10) {
            0 => 0,
            1 => 1 + self.below(40) as usize,
            _ => self.below(5) as usize,
        }
    }

    /// Appends the encoding of one value of each of `tys` at `out[base..]` (a head followed by
    /// its tails), recording what each word holds.
    fn encode(&mut self, tys: &[Ty], out: &mut Vec<u8>, marks: &mut Vec<Word>) {
        let base = out.len();
        let head: usize = tys.iter().map(Ty::head_size).sum();
        out.resize(base + head, 0);
        marks.resize(out.len() / 32, Word::Data);
        let mut at = base;
        for ty in tys {
            if ty.is_dynamic() {
                let offset = out.len() - base;
                out[at..at + 32].copy_from_slice(&U256::from(offset).to_be_bytes::<32>());
                marks[at / 32] = Word::Offset;
                self.encode_tail(ty, out, marks);
            } else {
                let mut inner = Vec::new();
                let mut inner_marks = Vec::new();
                self.encode_static(ty, &mut inner, &mut inner_marks);
                out[at..at + inner.len()].copy_from_slice(&inner);
                for (k, m) in inner_marks.into_iter().enumerate() {
                    marks[at / 32 + k] = m;
                }
            }
            at += ty.head_size();
        }
    }

    fn encode_static(&mut self, ty: &Ty, out: &mut Vec<u8>, marks: &mut Vec<Word>) {
        let kind = match ty {
            Ty::Uint(n) => Kind::Uint(*n),
            Ty::Int(n) => Kind::Int(*n),
            Ty::Address => Kind::Address,
            Ty::Bool => Kind::Bool,
            Ty::FixedBytes(n) => Kind::FixedBytes(*n),
            Ty::FixedArray(t, n) => {
                for _ in 0..*n {
                    self.encode_static(t, out, marks);
                }
                return;
            }
            Ty::Tuple(ts) => {
                for t in ts {
                    self.encode_static(t, out, marks);
                }
                return;
            }
            _ => unreachable!("dynamic"),
        };
        out.extend_from_slice(&self.word(kind));
        marks.push(Word::Static(kind));
    }

    fn encode_tail(&mut self, ty: &Ty, out: &mut Vec<u8>, marks: &mut Vec<Word>) {
        match ty {
            Ty::Bytes | Ty::String => {
                let n = match self.below(6) {
                    0 => 0,
                    1 => 32 * (1 + self.below(4) as usize),
                    2 => 48 * (1 + self.below(8) as usize),
                    _ => self.below(200) as usize,
                };
                out.extend_from_slice(&U256::from(n).to_be_bytes::<32>());
                marks.push(Word::Length);
                let mut data = self.bytes(n);
                data.resize(n.div_ceil(32) * 32, 0);
                out.extend_from_slice(&data);
                marks.resize(out.len() / 32, Word::Data);
            }
            Ty::Array(t) => {
                let n = self.len();
                out.extend_from_slice(&U256::from(n).to_be_bytes::<32>());
                marks.push(Word::Length);
                self.encode(&vec![(**t).clone(); n], out, marks);
            }
            Ty::FixedArray(t, n) => self.encode(&vec![(**t).clone(); *n], out, marks),
            Ty::Tuple(ts) => self.encode(ts, out, marks),
            _ => unreachable!("static"),
        }
    }
}

// -------------------------------------------------------------------------- strict decoding

/// Whether `data` is a strict encoding of `tys` (padding and ranges checked, offsets and
/// lengths in bounds); bytes after the encoding are allowed.
fn decodes(tys: &[Ty], data: &[u8]) -> bool {
    decode_at(tys, data, 0, 0)
}

fn word_at(data: &[u8], at: usize) -> Option<&[u8]> {
    data.get(at..at.checked_add(32)?)
}

fn small(word: &[u8]) -> Option<usize> {
    let v = U256::from_be_slice(word);
    usize::try_from(v).ok().filter(|&v| v < (1 << 32))
}

fn static_ok(ty: &Ty, w: &[u8]) -> bool {
    match ty {
        Ty::Uint(n) => *n == 256 || U256::from_be_slice(w) >> *n == U256::ZERO,
        Ty::Int(n) => {
            let v = U256::from_be_slice(w);
            *n == 256 || {
                let high = v >> (*n - 1);
                high == U256::ZERO || high == U256::MAX >> (*n - 1)
            }
        }
        Ty::Address => w[..12].iter().all(|&b| b == 0),
        Ty::Bool => w[..31].iter().all(|&b| b == 0) && w[31] <= 1,
        Ty::FixedBytes(n) => w[usize::from(*n)..].iter().all(|&b| b == 0),
        _ => unreachable!("a word type"),
    }
}

/// Decodes `tys` whose head starts at `base`; `depth` bounds recursion.
fn decode_at(tys: &[Ty], data: &[u8], base: usize, depth: usize) -> bool {
    if depth > 8 {
        return false;
    }
    let mut at = base;
    for ty in tys {
        let ok = if ty.is_dynamic() {
            let Some(offset) = word_at(data, at).and_then(small) else { return false };
            decode_tail(ty, data, base + offset, depth + 1)
        } else {
            decode_static(ty, data, at)
        };
        if !ok {
            return false;
        }
        at += ty.head_size();
    }
    true
}

fn decode_static(ty: &Ty, data: &[u8], at: usize) -> bool {
    match ty {
        Ty::FixedArray(t, n) => (0..*n).all(|i| decode_static(t, data, at + i * t.head_size())),
        Ty::Tuple(ts) => {
            let mut a = at;
            ts.iter().all(|t| {
                let ok = decode_static(t, data, a);
                a += t.head_size();
                ok
            })
        }
        _ => word_at(data, at).is_some_and(|w| static_ok(ty, w)),
    }
}

fn decode_tail(ty: &Ty, data: &[u8], at: usize, depth: usize) -> bool {
    match ty {
        Ty::Bytes | Ty::String => {
            let Some(n) = word_at(data, at).and_then(small) else { return false };
            (at + 32).checked_add(n).is_some_and(|end| end <= data.len())
        }
        Ty::Array(t) => {
            let Some(n) = word_at(data, at).and_then(small) else { return false };
            if n.checked_mul(t.head_size()).is_none_or(|size| at + 32 + size > data.len()) {
                return false;
            }
            decode_at(&vec![(**t).clone(); n], data, at + 32, depth)
        }
        Ty::FixedArray(t, n) => decode_at(&vec![(**t).clone(); *n], data, at, depth),
        Ty::Tuple(ts) => decode_at(ts, data, at, depth),
        _ => unreachable!("static"),
    }
}

// --------------------------------------------------------------------------------- the fuzz

/// A program under test: where calls go, the code that runs there, what it declares.
struct Target {
    name: &'static str,
    /// The deployed suite, as every call starts from it.
    suite: Suite,
    /// The suite calls run on: the deployed one until a call succeeds (a revert changes
    /// nothing, which is checked), then a fresh copy.
    current: Option<(Suite, Snapshot)>,
    address: Address,
    functions: Vec<Decl>,
    /// Whether a plain ether transfer (no calldata) is accepted (the pool's `receive`).
    receives: bool,
}

/// Every slot, balance, nonce and program of the VM but the sender's (`Vm::snapshot`).
type Snapshot = stylus_vm::Snapshot;

/// The suite with operators, deposits and the oracle committee: every program initialized and
/// wired as in production. Built once per test binary.
fn deployed() -> &'static (Suite, Addresses) {
    static DEPLOYED: OnceLock<(Suite, Addresses)> = OnceLock::new();
    DEPLOYED.get_or_init(|| {
        let mut s = Suite::deploy();
        let mut v = Validators::setup(&mut s, 3);
        v.onboard(&mut s, 2, 4);
        s.deposit(ALICE, ether(100));
        let o = Oracle::committee(&mut s, v.registry);
        s.deploy_wrapped_token();
        s.vm.set_balance(STRANGER, ether(1_000));
        let a = Addresses { registry: v.registry, oracle: o.address };
        (s, a)
    })
}

struct Addresses {
    registry: Address,
    oracle: Address,
}

/// Every error declared by the suite's programs (their selectors and argument types).
fn declared_errors() -> &'static BTreeMap<[u8; 4], Decl> {
    static ERRORS: OnceLock<BTreeMap<[u8; 4], Decl>> = OnceLock::new();
    ERRORS.get_or_init(|| {
        let files = [
            "contracts/access-manager/abi/IAccessManager.sol",
            "contracts/staking-pool/abi/IStakingPool.sol",
            "contracts/withdrawal-queue/src/errors.rs",
            "contracts/withdrawal-queue/abi/IWithdrawalQueue.sol",
            "contracts/node-operator-registry/abi/INodeOperatorRegistry.sol",
            "contracts/accounting-oracle/abi/IAccountingOracle.sol",
            "contracts/wrapped-token/abi/IWrappedToken.sol",
            "tests/src/abi.rs",
        ];
        let mut errors = BTreeMap::new();
        for f in files {
            for e in parse(&read(f)).1 {
                errors.insert(e.selector(), e);
            }
        }
        errors
    })
}

fn functions_of(sources: &[&str]) -> Vec<Decl> {
    let mut by_selector = BTreeMap::new();
    for text in sources {
        for f in parse(text).0 {
            by_selector.entry(f.selector()).or_insert(f);
        }
    }
    by_selector.into_values().collect()
}

/// The suite for `program`: for an extension, a copy with the extension's wasm at its core's
/// address, so that its calls run on the core's storage with the caller and value the core's
/// `DELEGATECALL` would give them, and a trap in it ends the transaction visibly.
fn target(program: &'static str) -> Target {
    let (suite, a) = deployed();
    let mut suite = suite.clone();
    let pool_fns = || functions_of(&[&read("contracts/staking-pool/abi/IStakingPool.sol")]);
    let manager_fns = || functions_of(&[&read("contracts/access-manager/abi/IAccessManager.sol")]);
    let queue_fns =
        || functions_of(&[&read("contracts/withdrawal-queue/abi/IWithdrawalQueue.sol")]);
    let registry_fns =
        || functions_of(&[&read("contracts/node-operator-registry/abi/INodeOperatorRegistry.sol")]);
    let oracle_fns =
        || functions_of(&[&read("contracts/accounting-oracle/abi/IAccountingOracle.sol")]);
    let wrapped_fns = || functions_of(&[&read("contracts/wrapped-token/abi/IWrappedToken.sol")]);
    let in_place = |suite: &mut Suite, core: Address, wasm: &str| {
        suite.vm.deploy_at(core, &read_wasm(wasm)).expect("the extension loads");
        suite.vm.set_cached(core, true);
    };
    // An extension (or the pool's permit program) is fuzzed with the functions it serves:
    // drawn from the whole file, its few would rarely come up, and that another program's
    // functions are unknown selectors to it is `interfaces::` business.
    let served = |functions: Vec<Decl>, table: &[Function], program: Program| -> Vec<Decl> {
        let mine: Vec<[u8; 4]> =
            table.iter().filter(|f| f.program == program).map(|f| f.selector).collect();
        functions.into_iter().filter(|f| mine.contains(&f.selector())).collect()
    };
    let (address, functions, receives) = match program {
        "access-manager" => (suite.manager, manager_fns(), false),
        "staking-pool" => (suite.pool, pool_fns(), true),
        "staking-pool-extension" => {
            let pool = suite.pool;
            in_place(&mut suite, pool, program);
            (
                pool,
                served(pool_fns(), staking_pool::interface::FUNCTIONS, Program::Extension),
                false,
            )
        }
        "staking-pool-permit" => {
            let pool = suite.pool;
            in_place(&mut suite, pool, program);
            (pool, served(pool_fns(), staking_pool::interface::FUNCTIONS, Program::Permit), false)
        }
        "withdrawal-queue" => (suite.queue, queue_fns(), false),
        "withdrawal-queue-extension" => {
            let queue = suite.queue;
            in_place(&mut suite, queue, program);
            let table = withdrawal_queue::interface::FUNCTIONS;
            (queue, served(queue_fns(), table, Program::Extension), false)
        }
        "node-operator-registry" => (a.registry, registry_fns(), false),
        "node-operator-registry-extension" => {
            in_place(&mut suite, a.registry, program);
            let table = node_operator_registry::interface::FUNCTIONS;
            (a.registry, served(registry_fns(), table, Program::Extension), false)
        }
        "accounting-oracle" => (a.oracle, oracle_fns(), false),
        "accounting-oracle-extension" => {
            in_place(&mut suite, a.oracle, program);
            let table = accounting_oracle::interface::FUNCTIONS;
            (a.oracle, served(oracle_fns(), table, Program::Extension), false)
        }
        // Plain ether is staked and wrapped for the sender (its `receive`).
        "wrapped-token" => (suite.wrapped_token, wrapped_fns(), true),
        _ => panic!("unknown program {program}"),
    };
    assert!(functions.len() >= 5, "{program}: {} functions parsed", functions.len());
    Target { name: program, suite, address, functions, receives, current: None }
}

/// One call: its calldata, value, and the function it was built for (if any).
struct Call {
    data: Vec<u8>,
    value: U256,
    function: Option<usize>,
    how: &'static str,
}

fn make_call(t: &Target, seed: u64) -> Call {
    let (suite, a) = deployed();
    let addresses = [
        Address::ZERO,
        STRANGER,
        ALICE,
        ADMIN,
        suite.pool,
        suite.queue,
        suite.manager,
        a.registry,
        a.oracle,
        t.address,
    ];
    let mut rng = fuzz::rng(seed);
    let mut g = Gen { rng: &mut rng, addresses: &addresses };
    let value = match g.below(10) {
        0 => U256::from(1),
        1 => ether(1),
        _ => U256::ZERO,
    };
    if g.chance(3) {
        // The StylusDeployer's constructor call (SDK 0.9's `CONSTRUCTOR_SELECTOR`) after
        // deployment, with address and number words: it must never run twice.
        let mut data = keccak256("stylus_constructor()")[..4].to_vec();
        for _ in 0..g.below(10) {
            let kind = if g.chance(50) { Kind::Address } else { Kind::Uint(256) };
            data.extend_from_slice(&g.word(kind));
        }
        return Call { data, value, function: None, how: "constructor selector" };
    }
    if g.chance(10) {
        // An arbitrary selector (or fewer than four bytes) and arbitrary bytes.
        let n = match g.below(4) {
            0 => g.below(4) as usize,
            1 => 4,
            _ => 4 + g.below(300) as usize,
        };
        return Call { data: g.bytes(n), value, function: None, how: "arbitrary bytes" };
    }
    let index = g.below(t.functions.len() as u64) as usize;
    let f = &t.functions[index];
    let mut args = Vec::new();
    let mut marks = Vec::new();
    g.encode(&f.params, &mut args, &mut marks);
    let how = match g.below(12) {
        0..=2 => "well-formed",
        3 => {
            args.truncate(g.below(args.len() as u64 + 1) as usize);
            "truncated"
        }
        4 => {
            let extra = if g.chance(50) {
                32 * (1 + g.below(4) as usize)
            } else {
                1 + g.below(40) as usize
            };
            args.extend(g.bytes(extra));
            "oversized"
        }
        5 | 6 => {
            dirty(&mut g, &mut args, &marks);
            "dirty high bits"
        }
        7 | 8 => {
            bad_pointer(&mut g, &mut args, &marks, Word::Offset);
            "wrong offset"
        }
        9 | 10 => {
            bad_pointer(&mut g, &mut args, &marks, Word::Length);
            "wrong length"
        }
        _ => {
            for _ in 0..=g.below(3) {
                if !args.is_empty() {
                    let i = g.below(args.len() as u64) as usize;
                    args[i] ^= 1 << g.below(8);
                }
            }
            "flipped bits"
        }
    };
    let mut data = f.selector().to_vec();
    data.extend(args);
    Call { data, value, function: Some(index), how }
}

/// Sets bits above the type's width in one static word.
fn dirty(g: &mut Gen, args: &mut [u8], marks: &[Word]) {
    let words: Vec<(usize, Kind)> = marks
        .iter()
        .enumerate()
        .filter_map(|(i, m)| match m {
            Word::Static(k)
                if !matches!(k, Kind::Uint(256) | Kind::Int(256) | Kind::FixedBytes(32)) =>
            {
                Some((i, *k))
            }
            _ => None,
        })
        .collect();
    if words.is_empty() {
        return;
    }
    let (i, kind) = words[g.below(words.len() as u64) as usize];
    let w = &mut args[i * 32..i * 32 + 32];
    let byte = match kind {
        Kind::Address => g.below(12) as usize,
        Kind::Bool => g.below(32) as usize,
        Kind::Uint(bits) | Kind::Int(bits) => g.below(u64::from(32 - bits / 8)) as usize,
        Kind::FixedBytes(n) => usize::from(n) + g.below(u64::from(32 - n)) as usize,
    };
    w[byte] |= 1 << g.below(8);
    if kind == Kind::Bool && byte == 31 {
        w[31] |= 2;
    }
}

/// Overwrites an offset or length word with a wrong or huge value.
fn bad_pointer(g: &mut Gen, args: &mut [u8], marks: &[Word], which: Word) {
    let words: Vec<usize> =
        marks.iter().enumerate().filter(|(_, m)| **m == which).map(|(i, _)| i).collect();
    if words.is_empty() {
        return;
    }
    let i = words[g.below(words.len() as u64) as usize];
    let current = U256::from_be_slice(&args[i * 32..i * 32 + 32]);
    let v = match g.below(9) {
        0 => U256::MAX,
        1 => U256::from(u64::MAX),
        2 => U256::from(u32::MAX),
        3 => U256::from(1) << (64 + g.below(190)),
        4 => current + U256::from(1 + g.below(64)),
        5 => current.saturating_sub(U256::from(1 + g.below(64))),
        6 => U256::from(args.len() + g.below(64) as usize),
        7 => U256::from(g.below(args.len() as u64 + 1)),
        _ => U256::from(0x1_0000_0000u64 / 32 + 1),
    };
    args[i * 32..i * 32 + 32].copy_from_slice(&v.to_be_bytes::<32>());
}

/// Whether the revert data is empty or one of the suite's declared errors, decoded strictly.
fn typed_or_empty(output: &[u8]) -> Result<Option<&'static str>, String> {
    if output.is_empty() {
        return Ok(None);
    }
    let Some(selector) = output.get(..4) else {
        return Err(format!("revert data shorter than a selector: {output:02x?}"));
    };
    let selector: [u8; 4] = selector.try_into().expect("4 bytes");
    let Some(e) = declared_errors().get(&selector) else {
        return Err(format!("revert data with an undeclared selector: 0x{}", hex(output)));
    };
    if !decodes(&e.params, &output[4..]) {
        return Err(format!("{} does not decode: 0x{}", e.signature(), hex(output)));
    }
    Ok(Some(e.name.as_str()))
}

fn hex(b: &[u8]) -> String {
    alloy_primitives::hex::encode(b)
}

/// Outcomes per program: `(program, outcome)` -> calls.
static OUTCOMES: std::sync::Mutex<BTreeMap<(&str, String), u64>> =
    std::sync::Mutex::new(BTreeMap::new());

fn count(program: &'static str, outcome: String) {
    let mut outcomes = OUTCOMES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    *outcomes.entry((program, outcome)).or_default() += 1;
}

/// Prints how the calls to `program` ended, and checks that the fuzz reached both sides: calls
/// that succeed and calls that revert with a typed error.
fn report(program: &'static str) {
    let outcomes = OUTCOMES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    let mine: Vec<(&String, &u64)> =
        outcomes.iter().filter(|((p, _), _)| *p == program).map(|((_, o), n)| (o, n)).collect();
    let line = |prefix: &str| -> u64 {
        mine.iter().filter(|(o, _)| o.starts_with(prefix)).map(|(_, n)| **n).sum()
    };
    let (ok, empty, typed) = (line("success"), line("empty revert"), line("revert "));
    eprintln!("fuzz: {program}: {ok} succeeded, {typed} typed reverts, {empty} empty reverts");
    for (outcome, n) in &mine {
        eprintln!("fuzz: {program}:   {n:>8}  {outcome}");
    }
    assert!(ok > 0 && typed > 0, "{program}: the fuzz reached no success or no typed revert");
}

/// Sends one call built from `seed` to a fresh copy of the target and checks its outcome.
fn check(program: &'static str, seed: u64) {
    thread_local! {
        static TARGETS: std::cell::RefCell<BTreeMap<&'static str, Target>> =
            const { std::cell::RefCell::new(BTreeMap::new()) };
    }
    TARGETS.with(|targets| {
        let mut targets = targets.borrow_mut();
        let t = targets.entry(program).or_insert_with(|| target(program));
        let call = make_call(t, seed);
        let (mut suite, before) = t.current.take().unwrap_or_else(|| {
            let suite = t.suite.clone();
            let snapshot = suite.vm.snapshot(&[STRANGER]);
            (suite, snapshot)
        });
        let r = suite.vm.call(STRANGER, t.address, call.value, &call.data);
        let f = call.function.map(|i| &t.functions[i]);
        let what = format!(
            "{} ({}) value {} calldata 0x{}",
            f.map_or("no function".into(), Decl::signature),
            call.how,
            call.value,
            hex(&call.data)
        );
        match &r.status {
            Status::Revert => {
                match typed_or_empty(&r.output) {
                    Err(e) => panic!("{}: {what}: {e}", t.name),
                    Ok(Some(error)) => count(program, format!("revert {error}")),
                    Ok(None) => count(program, format!("empty revert ({})", call.how)),
                }
                let after = suite.vm.snapshot(&[STRANGER]);
                assert!(after == before, "{}: a reverted call changed the state: {what}", t.name);
                t.current = Some((suite, before));
            }
            Status::Success => {
                let plain_transfer = call.data.is_empty() && t.receives;
                let known = f.filter(|f| call.data.get(..4) == Some(&f.selector()[..]));
                let acceptable = plain_transfer
                    || known.is_some_and(|f| {
                        decodes(&f.params, &call.data[4..]) && (call.value.is_zero() || f.payable)
                    });
                assert!(acceptable, "{}: accepted bad input: {what}", t.name);
                count(program, format!("success ({})", call.how));
            }
            other => panic!("{}: {other:?} (a trap, out of gas or invalid): {what}", t.name),
        }
    });
}

macro_rules! fuzz_program {
    ($test:ident, $program:literal, $suite:literal) => {
        #[test]
        fn $test() {
            let suite = fuzz::Suite {
                name: $suite,
                test: concat!("e2e calldata_fuzz::", stringify!($test)),
                short: SHORT,
            };
            // Set up outside the seeded calls: a setup failure is no failing seed.
            drop(target($program));
            fuzz::run_seeds(suite, |seed| check($program, seed));
            report($program);
        }
    };
}

fuzz_program!(
    the_access_manager_reverts_typed_or_refuses_every_malformed_call,
    "access-manager",
    "calldata_access_manager"
);
fuzz_program!(
    the_pool_reverts_typed_or_refuses_every_malformed_call,
    "staking-pool",
    "calldata_staking_pool"
);
fuzz_program!(
    the_pool_extension_reverts_typed_or_refuses_every_malformed_call,
    "staking-pool-extension",
    "calldata_staking_pool_extension"
);
fuzz_program!(
    the_queue_reverts_typed_or_refuses_every_malformed_call,
    "withdrawal-queue",
    "calldata_withdrawal_queue"
);
fuzz_program!(
    the_queue_extension_reverts_typed_or_refuses_every_malformed_call,
    "withdrawal-queue-extension",
    "calldata_withdrawal_queue_extension"
);
fuzz_program!(
    the_registry_reverts_typed_or_refuses_every_malformed_call,
    "node-operator-registry",
    "calldata_node_operator_registry"
);
fuzz_program!(
    the_registry_extension_reverts_typed_or_refuses_every_malformed_call,
    "node-operator-registry-extension",
    "calldata_node_operator_registry_extension"
);
fuzz_program!(
    the_oracle_reverts_typed_or_refuses_every_malformed_call,
    "accounting-oracle",
    "calldata_accounting_oracle"
);
fuzz_program!(
    the_oracle_extension_reverts_typed_or_refuses_every_malformed_call,
    "accounting-oracle-extension",
    "calldata_accounting_oracle_extension"
);
fuzz_program!(
    the_pool_permit_program_reverts_typed_or_refuses_every_malformed_call,
    "staking-pool-permit",
    "calldata_staking_pool_permit"
);
fuzz_program!(
    the_wrapped_token_reverts_typed_or_refuses_every_malformed_call,
    "wrapped-token",
    "calldata_wrapped_token"
);

#[test]
fn the_parsed_interfaces_match_the_sol_bindings() {
    use protocol_tests::abi::{
        IAccessManager, IAccountingOracle, INodeOperatorRegistry, IStakingPool, IWithdrawalQueue,
        IWrappedToken,
    };
    let sets: [(Vec<Decl>, &[[u8; 4]]); 6] = [
        (
            functions_of(&[&read("contracts/wrapped-token/abi/IWrappedToken.sol")]),
            IWrappedToken::IWrappedTokenCalls::SELECTORS,
        ),
        (
            functions_of(&[&read("contracts/withdrawal-queue/abi/IWithdrawalQueue.sol")]),
            IWithdrawalQueue::IWithdrawalQueueCalls::SELECTORS,
        ),
        (
            functions_of(&[&read(
                "contracts/node-operator-registry/abi/INodeOperatorRegistry.sol",
            )]),
            INodeOperatorRegistry::INodeOperatorRegistryCalls::SELECTORS,
        ),
        (
            functions_of(&[&read("contracts/accounting-oracle/abi/IAccountingOracle.sol")]),
            IAccountingOracle::IAccountingOracleCalls::SELECTORS,
        ),
        (
            functions_of(&[&read("contracts/staking-pool/abi/IStakingPool.sol")]),
            IStakingPool::IStakingPoolCalls::SELECTORS,
        ),
        (
            functions_of(&[&read("contracts/access-manager/abi/IAccessManager.sol")]),
            IAccessManager::IAccessManagerCalls::SELECTORS,
        ),
    ];
    for (parsed, bound) in sets {
        let mut parsed: Vec<[u8; 4]> = parsed.iter().map(Decl::selector).collect();
        parsed.sort_unstable();
        assert_eq!(parsed, bound.to_vec());
    }
    let errors = parse(&read("contracts/node-operator-registry/abi/INodeOperatorRegistry.sol")).1;
    let mut parsed: Vec<[u8; 4]> = errors.iter().map(Decl::selector).collect();
    parsed.sort_unstable();
    parsed.dedup();
    assert_eq!(parsed, INodeOperatorRegistry::INodeOperatorRegistryErrors::SELECTORS.to_vec());
}

#[test]
fn the_strict_decoder_refuses_what_the_routers_must_refuse() {
    let tys = [Ty::Address, Ty::Array(Box::new(Ty::Uint(256))), Ty::Bool];
    let mut good = vec![0u8; 32];
    good[31] = 7;
    good.extend(U256::from(96).to_be_bytes::<32>());
    good.extend(U256::from(1).to_be_bytes::<32>());
    good.extend(U256::from(1).to_be_bytes::<32>());
    good.extend(U256::from(5).to_be_bytes::<32>());
    assert!(decodes(&tys, &good));
    let mut dirty = good.clone();
    dirty[0] = 1;
    assert!(!decodes(&tys, &dirty), "dirty address");
    let mut bad_bool = good.clone();
    bad_bool[95] = 2;
    assert!(!decodes(&tys, &bad_bool), "bool 2");
    let mut bad_offset = good.clone();
    bad_offset[63] = 200;
    assert!(!decodes(&tys, &bad_offset), "offset past the end");
    let mut huge = good.clone();
    huge[96] = 0xff;
    assert!(!decodes(&tys, &huge), "huge length");
    assert!(!decodes(&tys, &good[..good.len() - 1]), "truncated");
}

#[test]
fn a_split_withdrawal_of_2_pow_97_wei_reverts_typed_instead_of_trapping() {
    // The calldata fuzz's first finding (seed 0xb06a0eca08db22ce): the queue split 2^97 wei
    // into some 10^8 maximal requests and trapped allocating them. Now refused, state unchanged.
    use alloy_sol_types::{SolCall, SolError};
    use protocol_tests::abi::IWithdrawalQueue as Q;
    let mut s = deployed().0.clone();
    let queue = s.queue;
    let total = U256::from(1) << 97;
    let call = Q::requestWithdrawalsSplitCall { total, owner: STRANGER };
    let before = s.vm.snapshot(&[ALICE]);
    let r = s.vm.call(ALICE, queue, U256::ZERO, &call.abi_encode());
    assert_eq!(r.status, Status::Revert, "{r:?}");
    let e = Q::RequestAmountTooLarge::abi_decode(&r.output, true).expect("RequestAmountTooLarge");
    assert_eq!(e.amount, total);
    assert_eq!(e.max, ether(1_000) * U256::from(1_000));
    assert!(s.vm.snapshot(&[ALICE]) == before, "nothing changed");
}
