//! The check that pins a contract's documented storage table to its real layout (feature
//! `mocks`, native test builds only).
//!
//! Each contract's module docs (`lib.rs` and `storage.rs`) carry its storage table in a
//! machine-checkable form inside `text` code blocks, one line per slot and one per packed
//! word (other lines of those blocks are prose):
//!
//! ```text
//! slot 0  queue           word queue (below)
//! slot 4  requests        mapping(uint256 id => word request)
//! slot 11..18  losses     CL-loss window
//! word queue  cum_ether u96 [160,256) | cum_shares u96 [64,160) | last_request_id u32 [32,64)
//!             | flags u8 [24,32) | max_rate u24 [0,24)
//! ```
//!
//! - `slot N  field ...` (or `slot N..M  field ...` for a fixed array): `field` is the name of
//!   the `#[storage]` struct's field that starts at slot `N`; the rest of the line is prose.
//! - `word NAME  f [lo,hi) | g uW [lo,hi) | ...`: the packed word `NAME`, field by field, bit
//!   ranges counted from the word's least significant bit (bit 0), half-open. A type between
//!   the name and the range (`u96`, `address`, `bool`) must have the range's width. Lines that
//!   go on with `| ...` continue the word.
//!
//! A contract's test gives, per `#[storage]` field, a closure that writes through the field on
//! the SDK's `TestVM`, and per packed word its `pack` / `unpack` with one setter per field.
//! [`check_slots`] then proves every field sits at its documented slot and that the table
//! lists every field of the struct; [`check_word`] proves every documented range is exactly
//! where `pack` writes the field and where `unpack` reads it, and that the ranges do not
//! overlap and cover every field the test knows.
#![allow(
    missing_docs,
    clippy::missing_panics_doc,
    clippy::must_use_candidate,
    reason = "test support: panics are the failures it reports"
)]

extern crate std;

use alloc::{
    boxed::Box,
    collections::BTreeMap,
    format,
    string::{String, ToString},
    vec::Vec,
};
use core::fmt::Debug;
use std::collections::BTreeSet;

use alloy_primitives::{keccak256, B256, U256};
use stylus_sdk::testing::TestVM;

/// One `slot` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlotLine {
    /// First slot.
    pub first: u64,
    /// Last slot (the same as `first` but for `slot N..M`).
    pub last: u64,
    /// The `#[storage]` field.
    pub field: String,
}

/// One field of a `word` line: bits `[lo, hi)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    /// Its name.
    pub name: String,
    /// Lowest bit.
    pub lo: u32,
    /// One past the highest bit.
    pub hi: u32,
}

/// A contract's documented storage table.
#[derive(Debug, Clone, Default)]
pub struct Doc {
    /// The `slot` lines, in order.
    pub slots: Vec<SlotLine>,
    /// The `word` tables by name.
    pub words: BTreeMap<String, Vec<Field>>,
}

impl Doc {
    /// Parses the `//!` lines of `sources` (whole source files, as `include_str!` gives them).
    ///
    /// # Panics
    ///
    /// On a malformed `slot` or `word` line, or a slot or word documented twice.
    pub fn parse(sources: &[&str]) -> Self {
        let mut doc = Self::default();
        let mut open: Option<String> = None;
        let mut fenced = false;
        for line in sources.iter().flat_map(|s| s.lines()) {
            let Some(text) = line.trim_start().strip_prefix("//!") else {
                (open, fenced) = (None, false);
                continue;
            };
            let text = text.trim();
            if text.starts_with("```") {
                (open, fenced) = (None, !fenced);
            } else if !fenced {
                open = None;
            } else if let Some(rest) = text.strip_prefix("slot ") {
                open = None;
                doc.slots.push(parse_slot(rest, line));
            } else if let Some(rest) = text.strip_prefix("word ") {
                let rest = rest.trim_start();
                let (name, fields) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                assert!(
                    doc.words.insert(name.to_string(), parse_fields(fields, line)).is_none(),
                    "word {name} documented twice"
                );
                open = Some(name.to_string());
            } else if let (Some(name), Some(rest)) = (&open, text.strip_prefix('|')) {
                let more = parse_fields(rest, line);
                doc.words.get_mut(name).expect("open word").extend(more);
            } else {
                open = None;
            }
        }
        let mut seen = BTreeSet::new();
        for s in &doc.slots {
            assert!(seen.insert(s.field.clone()), "field {} documented twice", s.field);
        }
        doc
    }

    /// The `slot` line of `field`.
    ///
    /// # Panics
    ///
    /// If the table has none.
    pub fn slot(&self, field: &str) -> &SlotLine {
        self.slots
            .iter()
            .find(|s| s.field == field)
            .unwrap_or_else(|| panic!("no `slot N  {field}` line in the storage table"))
    }

    /// The fields of word `name`.
    ///
    /// # Panics
    ///
    /// If the table has no such word.
    pub fn word(&self, name: &str) -> &[Field] {
        self.words.get(name).unwrap_or_else(|| panic!("no `word {name}` line in the storage table"))
    }
}

fn parse_slot(rest: &str, line: &str) -> SlotLine {
    let mut parts = rest.split_whitespace();
    let range = parts.next().unwrap_or_else(|| panic!("no slot number: {line}"));
    let field = parts.next().unwrap_or_else(|| panic!("no field after the slot: {line}"));
    let number = |s: &str| s.parse::<u64>().unwrap_or_else(|_| panic!("bad slot {s}: {line}"));
    let (first, last) = match range.split_once("..") {
        Some((a, b)) => (number(a), number(b)),
        None => (number(range), number(range)),
    };
    let field = field.trim_end_matches(':');
    assert!(
        field.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
        "`{field}` is not a field name: {line}"
    );
    SlotLine { first, last, field: field.to_string() }
}

fn parse_fields(text: &str, line: &str) -> Vec<Field> {
    text.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|segment| {
            let tokens: Vec<&str> = segment.split_whitespace().collect();
            assert!(tokens.len() >= 2, "`{segment}` is not `name [lo,hi)`: {line}");
            let name = tokens[0].to_string();
            let range = tokens[tokens.len() - 1];
            let inner = range
                .strip_prefix('[')
                .and_then(|r| r.strip_suffix(')'))
                .unwrap_or_else(|| panic!("`{range}` is not `[lo,hi)`: {line}"));
            let (lo, hi) = inner.split_once(',').unwrap_or_else(|| panic!("`{range}`: {line}"));
            let bit = |s: &str| s.trim().parse::<u32>().unwrap_or_else(|_| panic!("{s}: {line}"));
            let (lo, hi) = (bit(lo), bit(hi));
            assert!(lo < hi && hi <= 256, "`{range}` is not a range of a word: {line}");
            for ty in &tokens[1..tokens.len() - 1] {
                let width = match *ty {
                    "address" => 160,
                    "bool" => 1,
                    t => t
                        .strip_prefix('u')
                        .and_then(|w| w.parse::<u32>().ok())
                        .unwrap_or_else(|| panic!("`{t}` is not a type: {line}")),
                };
                assert_eq!(width, hi - lo, "{name}: {ty} is not {range} wide: {line}");
            }
            Field { name, lo, hi }
        })
        .collect()
}

/// The names of the fields of `pub struct NAME { ... }` in `source`.
///
/// # Panics
///
/// If `source` has no such struct.
pub fn struct_fields(source: &str, name: &str) -> Vec<String> {
    let head = format!("pub struct {name} {{");
    let start = source.find(&head).unwrap_or_else(|| panic!("no `{head}`"));
    let body = &source[start + head.len()..];
    let body = &body[..body.find("\n}").expect("the struct ends")];
    body.lines()
        .map(str::trim)
        .filter(|l| !l.starts_with("//") && !l.starts_with('#') && l.contains(':'))
        .map(|l| {
            let l = l.trim_start_matches("pub(crate) ").trim_start_matches("pub ");
            l[..l.find(':').expect("a field")].trim().to_string()
        })
        .collect()
}

/// Where a probe writes, relative to its field's slot `s`.
#[derive(Debug, Clone)]
pub enum At {
    /// Slot `s` itself.
    Slot,
    /// Slot `s + i` (an element of a fixed array).
    Offset(u64),
    /// A mapping entry: `keccak256(key . s)`.
    Map(B256),
    /// A mapping of mappings: `keccak256(k2 . keccak256(k1 . s))`.
    Map2(B256, B256),
    /// A mapping entry's `i`-th slot (a struct value): `keccak256(key . s) + i`.
    MapField(B256, u64),
    /// A dynamic array's element 0: `keccak256(s)` (and its length, at `s`).
    VecElement0,
}

impl At {
    /// The storage key for field slot `s`.
    pub fn key(&self, s: U256) -> U256 {
        let map = |k: &B256, slot: U256| {
            let mut buf = [0u8; 64];
            buf[..32].copy_from_slice(k.as_slice());
            buf[32..].copy_from_slice(&slot.to_be_bytes::<32>());
            U256::from_be_bytes(keccak256(buf).0)
        };
        match self {
            Self::Slot => s,
            Self::Offset(i) => s + U256::from(*i),
            Self::Map(k) => map(k, s),
            Self::Map2(k1, k2) => map(k2, map(k1, s)),
            Self::MapField(k, i) => map(k, s) + U256::from(*i),
            Self::VecElement0 => U256::from_be_bytes(keccak256(s.to_be_bytes::<32>()).0),
        }
    }
}

/// A write through one `#[storage]` field of `C`, landing at [`At`] of its slot.
pub struct Probe<C> {
    /// The field.
    pub field: &'static str,
    /// Where the write lands relative to the documented slot.
    pub at: At,
    /// The write (a non-zero value).
    pub write: Box<dyn Fn(&mut C)>,
}

impl<C> Probe<C> {
    /// A probe of `field`.
    pub fn new(field: &'static str, at: At, write: impl Fn(&mut C) + 'static) -> Self {
        Self { field, at, write: Box::new(write) }
    }
}

/// Checks that the table documents exactly the fields of `struct_fields`, that the probes
/// cover them all, and that each probe's write lands at the key its documented slot gives
/// (and nowhere else). `new` builds the contract over a fresh `TestVM`.
///
/// # Panics
///
/// On the first difference, naming the field.
pub fn check_slots<C>(
    doc: &Doc,
    struct_fields: &[String],
    probes: &[Probe<C>],
    new: impl Fn(&TestVM) -> C,
) {
    let documented: BTreeSet<&str> = doc.slots.iter().map(|s| s.field.as_str()).collect();
    let declared: BTreeSet<&str> = struct_fields.iter().map(String::as_str).collect();
    let probed: BTreeSet<&str> = probes.iter().map(|p| p.field).collect();
    assert_eq!(documented, declared, "the storage table and the #[storage] struct differ");
    assert_eq!(probed, declared, "the test probes and the #[storage] struct differ");
    for p in probes {
        let line = doc.slot(p.field);
        if let At::Offset(i) = p.at {
            assert!(line.first + i <= line.last, "{}: slot {} past {}", p.field, i, line.last);
        }
        let vm = TestVM::new();
        let mut contract = new(&vm);
        (p.write)(&mut contract);
        let written: BTreeSet<U256> = vm
            .snapshot()
            .storage
            .into_iter()
            .filter(|(_, v)| !v.is_zero())
            .map(|(k, _)| k)
            .collect();
        let slot = U256::from(line.first);
        let mut expected = BTreeSet::from([p.at.key(slot)]);
        if matches!(p.at, At::VecElement0) {
            expected.insert(slot); // the array's length
        }
        assert_eq!(
            written, expected,
            "{}: documented at slot {}, but the write went elsewhere",
            p.field, line.first
        );
    }
}

/// A setter of one word field to its largest value (all its bits set).
pub type Setter<T> = (&'static str, fn(&mut T));

/// Checks the documented layout of word `name`: the documented fields are exactly the
/// setters' fields, they do not overlap, and for each, `pack` of the default value with that
/// field at its largest writes only inside the field's documented bits (and something), and
/// `unpack` of a word with exactly those bits set reads that value back.
///
/// # Panics
///
/// On the first difference, naming the word and the field.
pub fn check_word<T: Default + PartialEq + Debug>(
    doc: &Doc,
    name: &str,
    pack: impl Fn(&T) -> U256,
    unpack: impl Fn(U256) -> T,
    setters: &[Setter<T>],
) {
    let fields = doc.word(name);
    let documented: BTreeSet<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    let tested: BTreeSet<&str> = setters.iter().map(|s| s.0).collect();
    assert_eq!(documented, tested, "word {name}: the documented fields and the test's differ");
    let mut used = U256::ZERO;
    for f in fields {
        let m = mask(f.lo, f.hi);
        assert!((used & m).is_zero(), "word {name}: {} overlaps another field", f.name);
        used |= m;
        let set = setters.iter().find(|s| s.0 == f.name).expect("checked above").1;
        let mut value = T::default();
        set(&mut value);
        let packed = pack(&value);
        assert!(!packed.is_zero(), "word {name}: {} packs to nothing", f.name);
        assert!(
            (packed & !m).is_zero(),
            "word {name}: {} writes bits {:#x} outside [{},{})",
            f.name,
            packed & !m,
            f.lo,
            f.hi
        );
        assert_eq!(
            unpack(m),
            value,
            "word {name}: bits [{},{}) do not read as {}",
            f.lo,
            f.hi,
            f.name
        );
    }
}

/// A distinct 32-byte key for a probe: `n` in the last byte.
pub fn key(n: u8) -> B256 {
    B256::with_last_byte(n)
}

/// A distinct address for a probe: `n` in the last byte.
pub fn addr(n: u8) -> alloy_primitives::Address {
    alloy_primitives::Address::with_last_byte(n)
}

/// Bits `[lo, hi)`.
pub fn mask(lo: u32, hi: u32) -> U256 {
    let ones =
        if hi - lo == 256 { U256::MAX } else { (U256::from(1) << (hi - lo)) - U256::from(1) };
    ones << lo
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "//! ```text
//! slot 0  queue           word queue
//! slot 3..5  losses:      three words
//! word queue  a u96 [160,256) | b [64,160)
//!             | c address [0,64)
//! ```
pub struct Thing {
    /// Doc.
    pub(crate) queue: StorageU256,
    pub losses: StorageArray<StorageU256, 3>,
}
";

    #[test]
    #[should_panic(expected = "address is not [0,64) wide")]
    fn a_type_must_match_its_range() {
        let _ = Doc::parse(&[SOURCE]);
    }

    #[test]
    fn slots_words_and_struct_fields_are_read() {
        let source = SOURCE.replace("c address [0,64)", "c u64 [0,64)");
        let doc = Doc::parse(&[&source]);
        assert_eq!(doc.slot("queue"), &SlotLine { first: 0, last: 0, field: "queue".into() });
        assert_eq!(doc.slot("losses"), &SlotLine { first: 3, last: 5, field: "losses".into() });
        let names: Vec<&str> = doc.word("queue").iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(doc.word("queue")[1], Field { name: "b".into(), lo: 64, hi: 160 });
        assert_eq!(struct_fields(&source, "Thing"), ["queue", "losses"]);
    }

    #[test]
    fn a_word_is_checked_against_pack_and_unpack() {
        #[derive(Debug, Default, PartialEq)]
        struct W(u64, u64);
        let doc = Doc::parse(&["//! ```text\n//! word w  x [0,64) | y [64,128)"]);
        let pack = |w: &W| U256::from_limbs([w.0, w.1, 0, 0]);
        let unpack = |u: U256| W(u.as_limbs()[0], u.as_limbs()[1]);
        check_word(
            &doc,
            "w",
            pack,
            unpack,
            &[("x", |w| w.0 = u64::MAX), ("y", |w| w.1 = u64::MAX)],
        );
        let swapped = std::panic::catch_unwind(|| {
            let doc = Doc::parse(&["//! ```text\n//! word w  y [0,64) | x [64,128)"]);
            check_word(
                &doc,
                "w",
                pack,
                unpack,
                &[("x", |w| w.0 = u64::MAX), ("y", |w| w.1 = u64::MAX)],
            );
        });
        assert!(swapped.is_err(), "fields documented in each other's place are caught");
    }

    mod probe {
        use stylus_sdk::{
            prelude::*,
            storage::{StorageAddress, StorageMap, StorageU256},
        };

        #[storage]
        pub struct Two {
            pub word: StorageU256,
            pub owners: StorageMap<alloy_primitives::U256, StorageAddress>,
        }
    }

    fn two_probes() -> Vec<Probe<probe::Two>> {
        vec![
            Probe::new("word", At::Slot, |c: &mut probe::Two| c.word.set(U256::from(1))),
            Probe::new("owners", At::Map(B256::with_last_byte(3)), |c: &mut probe::Two| {
                c.owners.setter(U256::from(3)).set(alloy_primitives::Address::repeat_byte(1));
            }),
        ]
    }

    #[test]
    fn a_field_at_its_documented_slot_passes_and_a_moved_one_fails() {
        let fields = vec!["word".to_string(), "owners".to_string()];
        let right = Doc::parse(&["//! ```text\n//! slot 0  word\n//! slot 1  owners\n//! ```"]);
        check_slots(&right, &fields, &two_probes(), |vm| probe::Two::from(vm));
        let swapped = Doc::parse(&["//! ```text\n//! slot 1  word\n//! slot 0  owners\n//! ```"]);
        let caught = std::panic::catch_unwind(|| {
            check_slots(&swapped, &fields, &two_probes(), |vm| probe::Two::from(vm));
        });
        assert!(caught.is_err(), "fields documented at each other's slots are caught");
        let missing = Doc::parse(&["//! ```text\n//! slot 0  word\n//! ```"]);
        let caught = std::panic::catch_unwind(|| {
            check_slots(&missing, &fields, &two_probes(), |vm| probe::Two::from(vm));
        });
        assert!(caught.is_err(), "a field missing from the table is caught");
    }

    #[test]
    fn mapping_keys_follow_solidity() {
        let k = B256::with_last_byte(7);
        let mut buf = [0u8; 64];
        buf[31] = 7;
        buf[63] = 4;
        assert_eq!(At::Map(k).key(U256::from(4)), U256::from_be_bytes(keccak256(buf).0));
        assert_eq!(At::Offset(2).key(U256::from(11)), U256::from(13));
        assert_eq!(mask(0, 256), U256::MAX);
        assert_eq!(mask(8, 16), U256::from(0xff00));
    }
}
