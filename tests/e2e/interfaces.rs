//! The generated routers against their interface files, on the release wasm: for every function
//! of every contract's `abi/I*.sol` (`<crate>::interface::FUNCTIONS`, generated from the file),
//!
//! - the program the file names serves it: a call to the core either runs the function there
//!   or forwards the calldata unchanged to the extension program by `DELEGATECALL` (seen in
//!   the VM's call trace), exactly when the file tags it `@custom:program extension`; the
//!   extension program, called on its own, serves its functions and refuses the core's as an
//!   unknown selector (empty revert data, nothing called, nothing logged, nothing written);
//! - a non-payable function refuses ether before anything runs (empty revert data, no
//!   sub-call, no state change), in both programs, and a payable one does not refuse it.
//!
//! - the JSON ABI `scripts/build` writes (`artifacts/abi/<crate>.json`, solc's output for the
//!   exported interface file) lists exactly the table's functions (with their payability), the
//!   file's events and errors as alloy's `sol!` reads them, and its constructor; `receive` exactly
//!   where the program takes plain ether, and no fallback.
//!
//! Each call carries the function's sample calldata (its selector and zero-valued arguments,
//! generated with the table) from a stranger, on the deployed and wired suite.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use alloy_json_abi::{JsonAbi, StateMutability};
use alloy_primitives::{Address, B256, U256};
use alloy_sol_types::{SolConstructor, SolType};
use protocol_tests::{abi, ether, oracle::Oracle, validators::Validators, Suite};
use staking_common::interface::{Function, Program};
use stylus_vm::{CallKind, Receipt};

/// Sends the calls (not a role holder of anything).
const STRANGER: Address = Address::new([0x5e; 20]);

/// One deployed contract, its table, and what alloy's `sol!` reads in its interface file.
struct Contract {
    name: &'static str,
    /// Its crate (and artifact) name: `artifacts/abi/<krate>.json`.
    krate: &'static str,
    core: Address,
    extension: Option<Address>,
    /// The permit program (the pool's: `@custom:program permit`).
    permit: Option<Address>,
    functions: &'static [Function],
    /// Every event's topic 0.
    events: &'static [[u8; 32]],
    /// Every error's selector.
    errors: &'static [[u8; 4]],
    /// The constructor's parameter types, `(type,...)`.
    constructor: &'static str,
}

/// The parameter types of a `sol!` constructor, `(type,...)`.
const fn constructor<C: SolConstructor>() -> &'static str {
    <C::Parameters<'static> as SolType>::SOL_NAME
}

fn suite() -> (Suite, Vec<Contract>) {
    let mut s = Suite::deploy();
    let v = Validators::setup(&mut s, 1);
    let o = Oracle::setup(&mut s, 1, 1);
    o.connect(&mut s, v.registry);
    let wrapped = s.deploy_wrapped_token();
    s.vm.set_balance(STRANGER, ether(1_000));
    let contracts = vec![
        Contract {
            name: "AccessManager",
            krate: "access-manager",
            core: s.manager,
            extension: None,
            permit: None,
            functions: access_manager::interface::FUNCTIONS,
            events: abi::IAccessManager::IAccessManagerEvents::SELECTORS,
            errors: abi::IAccessManager::IAccessManagerErrors::SELECTORS,
            constructor: constructor::<abi::AccessManagerDeployment::constructorCall>(),
        },
        Contract {
            name: "StakingPool",
            krate: "staking-pool",
            core: s.pool,
            extension: Some(s.pool_extension),
            permit: Some(s.pool_permit),
            functions: staking_pool::interface::FUNCTIONS,
            events: abi::IStakingPool::IStakingPoolEvents::SELECTORS,
            errors: abi::IStakingPool::IStakingPoolErrors::SELECTORS,
            constructor: constructor::<abi::StakingPoolDeployment::constructorCall>(),
        },
        Contract {
            name: "WithdrawalQueue",
            krate: "withdrawal-queue",
            core: s.queue,
            extension: Some(s.queue_extension),
            permit: None,
            functions: withdrawal_queue::interface::FUNCTIONS,
            events: abi::IWithdrawalQueue::IWithdrawalQueueEvents::SELECTORS,
            errors: abi::IWithdrawalQueue::IWithdrawalQueueErrors::SELECTORS,
            constructor: constructor::<abi::WithdrawalQueueDeployment::constructorCall>(),
        },
        Contract {
            name: "NodeOperatorRegistry",
            krate: "node-operator-registry",
            core: v.registry,
            extension: Some(v.extension),
            permit: None,
            functions: node_operator_registry::interface::FUNCTIONS,
            events: abi::INodeOperatorRegistry::INodeOperatorRegistryEvents::SELECTORS,
            errors: abi::INodeOperatorRegistry::INodeOperatorRegistryErrors::SELECTORS,
            constructor: constructor::<abi::NodeOperatorRegistryDeployment::constructorCall>(),
        },
        Contract {
            name: "AccountingOracle",
            krate: "accounting-oracle",
            core: o.address,
            extension: Some(o.extension),
            permit: None,
            functions: accounting_oracle::interface::FUNCTIONS,
            events: abi::IAccountingOracle::IAccountingOracleEvents::SELECTORS,
            errors: abi::IAccountingOracle::IAccountingOracleErrors::SELECTORS,
            constructor: constructor::<abi::AccountingOracleDeployment::constructorCall>(),
        },
        Contract {
            name: "WrappedToken",
            krate: "wrapped-token",
            core: wrapped,
            extension: None,
            permit: None,
            functions: wrapped_token::interface::FUNCTIONS,
            events: abi::IWrappedToken::IWrappedTokenEvents::SELECTORS,
            errors: abi::IWrappedToken::IWrappedTokenErrors::SELECTORS,
            constructor: constructor::<abi::WrappedTokenDeployment::constructorCall>(),
        },
    ];
    (s, contracts)
}

/// Whether the transaction forwarded its own calldata from `core` to `extension`.
fn forwarded(r: &Receipt, core: Address, extension: Address, input: &[u8]) -> bool {
    r.calls.iter().any(|c| {
        c.depth == 1
            && c.kind == CallKind::DelegateCall
            && c.address == core
            && c.code_address == extension
            && c.input.as_ref() == input
    })
}

/// The outcome of an unknown selector (or of ether refused): empty revert data, no sub-call,
/// no log.
fn refused_unseen(r: &Receipt) -> bool {
    !r.success && r.output.is_empty() && r.calls.len() == 1 && r.logs.is_empty()
}

#[test]
fn every_function_is_served_by_the_program_its_interface_file_names() {
    let (s, contracts) = suite();
    let mut checked = 0;
    for c in &contracts {
        assert!(!c.functions.is_empty(), "{} lists no function", c.name);
        for f in c.functions {
            let mut t = s.clone();
            let r = t.vm.call(STRANGER, c.core, U256::ZERO, f.sample);
            if let Some(permit) = c.permit {
                assert_eq!(
                    forwarded(&r, c.core, permit, f.sample),
                    f.program == Program::Permit,
                    "{}.{}: forwarded to the permit program exactly when the file says: {r:?}",
                    c.name,
                    f.signature
                );
            }
            match (c.extension, f.program) {
                (_, Program::Permit) => assert!(
                    c.permit.is_some(),
                    "{}.{}: a permit function without a permit program",
                    c.name,
                    f.signature
                ),
                (Some(ext), Program::Extension) => assert!(
                    forwarded(&r, c.core, ext, f.sample),
                    "{}.{}: the core did not forward it to the extension: {r:?}",
                    c.name,
                    f.signature
                ),
                (Some(ext), Program::Core) => assert!(
                    !forwarded(&r, c.core, ext, f.sample),
                    "{}.{}: the core forwarded a core function",
                    c.name,
                    f.signature
                ),
                (None, Program::Core) => {
                    assert!(!refused_unseen(&r), "{}.{}: not served: {r:?}", c.name, f.signature);
                }
                (None, Program::Extension) => {
                    panic!("{}.{}: an extension function without an extension", c.name, f.signature)
                }
            }
            // The extension and permit programs on their own storage: their own functions run,
            // every other program's are unknown selectors.
            let others = [(c.extension, Program::Extension), (c.permit, Program::Permit)];
            for (ext, program) in others.into_iter().filter_map(|(a, p)| a.map(|a| (a, p))) {
                let mut t = s.clone();
                let before = t.vm.snapshot(&[STRANGER]);
                let r = t.vm.call(STRANGER, ext, U256::ZERO, f.sample);
                if f.program == program {
                    assert!(
                        !refused_unseen(&r),
                        "{}.{}: the {program:?} program does not serve it: {r:?}",
                        c.name,
                        f.signature
                    );
                } else {
                    assert!(
                        refused_unseen(&r),
                        "{}.{}: the {program:?} program served another program's function: {r:?}",
                        c.name,
                        f.signature
                    );
                    assert!(t.vm.snapshot(&[STRANGER]) == before, "{}.{}", c.name, f.signature);
                }
            }
            checked += 1;
        }
    }
    assert!(checked > 150, "only {checked} functions checked");
}

#[test]
fn non_payable_functions_refuse_ether_before_anything_runs_and_payable_ones_take_it() {
    let (s, contracts) = suite();
    for c in &contracts {
        for f in c.functions {
            let mut programs = vec![c.core];
            match f.program {
                Program::Extension => programs.extend(c.extension),
                Program::Permit => programs.extend(c.permit),
                Program::Core => {}
            }
            for to in programs {
                let mut t = s.clone();
                let before = t.vm.snapshot(&[STRANGER]);
                let r = t.vm.call(STRANGER, to, U256::from(1), f.sample);
                if f.payable {
                    assert!(
                        !refused_unseen(&r),
                        "{}.{} is payable but refused 1 wei: {r:?}",
                        c.name,
                        f.signature
                    );
                } else {
                    assert!(
                        refused_unseen(&r),
                        "{}.{} took 1 wei at {to}: {r:?}",
                        c.name,
                        f.signature
                    );
                    assert!(t.vm.snapshot(&[STRANGER]) == before, "{}.{}", c.name, f.signature);
                }
            }
        }
    }
}

#[test]
fn no_two_functions_of_one_contract_share_a_selector_and_none_is_the_constructors() {
    let (_, contracts) = suite();
    for c in &contracts {
        let mut seen = std::collections::BTreeMap::new();
        for f in c.functions {
            assert_ne!(
                f.selector,
                staking_common::upgrade::CONSTRUCTOR_SELECTOR,
                "{}",
                f.signature
            );
            if let Some(other) = seen.insert(f.selector, f.signature) {
                panic!("{}: {} and {} share a selector", c.name, other, f.signature);
            }
        }
    }
}

/// The repository's root.
const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");

fn read(path: &str) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path}: {e} (scripts/build writes artifacts/abi)"))
}

/// `artifacts/abi/<krate>.json` as `scripts/build` wrote it, after checking that the Solidity it
/// was compiled from, `artifacts/abi/<krate>.sol`, is the contract's interface file as it is now.
fn json_abi(c: &Contract) -> JsonAbi {
    let exported = format!("{ROOT}/artifacts/abi/{}.sol", c.krate);
    let source = format!("{ROOT}/contracts/{}/abi/I{}.sol", c.krate, c.name);
    assert!(
        read(&exported) == read(&source),
        "artifacts/abi/{}.sol is not contracts/{}/abi/I{}.sol: run scripts/build",
        c.krate,
        c.krate,
        c.name
    );
    let path = format!("{ROOT}/artifacts/abi/{}.json", c.krate);
    serde_json::from_str(&read(&path))
        .unwrap_or_else(|e| panic!("artifacts/abi/{}.json is not a JSON ABI: {e}", c.krate))
}

/// The keys one side has and the other lacks, for a readable failure.
fn difference<K: Ord + Clone + std::fmt::Debug>(
    json: &BTreeSet<K>,
    want: &BTreeSet<K>,
) -> (Vec<K>, Vec<K>) {
    (want.difference(json).cloned().collect(), json.difference(want).cloned().collect())
}

/// `CONTRACTS` in `scripts/contracts.sh`: the contracts whose ABI `scripts/build` exports.
fn exported_contracts() -> Vec<String> {
    let script = read(&format!("{ROOT}/scripts/contracts.sh"));
    let line = script
        .lines()
        .find_map(|l| l.strip_prefix("CONTRACTS=("))
        .and_then(|l| l.strip_suffix(')'))
        .expect("a CONTRACTS=(...) line in scripts/contracts.sh");
    line.split_whitespace().map(String::from).collect()
}

#[test]
fn every_json_abi_lists_exactly_its_contracts_functions_events_errors_and_constructor() {
    let (_, contracts) = suite();
    let checked: Vec<String> = contracts.iter().map(|c| c.krate.to_string()).collect();
    assert_eq!(
        exported_contracts(),
        checked,
        "scripts/contracts.sh exports contracts this test does not check (or the reverse)"
    );
    for c in &contracts {
        let json = json_abi(c);

        // Functions, both programs' of a split contract: selector, signature and payability.
        let want: BTreeSet<([u8; 4], String, bool)> =
            c.functions.iter().map(|f| (f.selector, f.signature.to_string(), f.payable)).collect();
        let have: BTreeSet<([u8; 4], String, bool)> = json
            .functions()
            .map(|f| {
                (f.selector().0, f.signature(), f.state_mutability == StateMutability::Payable)
            })
            .collect();
        let (missing, extra) = difference(&have, &want);
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}.json: functions missing {missing:?}, not in the table {extra:?}",
            c.krate
        );
        assert_eq!(
            json.functions().count(),
            c.functions.len(),
            "{}.json: functions listed twice",
            c.krate
        );

        // Events by topic 0, none anonymous.
        let want: BTreeSet<B256> = c.events.iter().map(|t| B256::from(*t)).collect();
        let have: BTreeSet<B256> = json.events().map(alloy_json_abi::Event::selector).collect();
        assert!(json.events().all(|e| !e.anonymous), "{}.json: an anonymous event", c.krate);
        let (missing, extra) = difference(&have, &want);
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}.json: event topics missing {missing:?}, not in the file {extra:?}",
            c.krate
        );
        assert_eq!(json.events().count(), c.events.len(), "{}.json: events listed twice", c.krate);

        // Errors by selector.
        let want: BTreeSet<[u8; 4]> = c.errors.iter().copied().collect();
        let have: BTreeSet<[u8; 4]> = json.errors().map(|e| e.selector().0).collect();
        let (missing, extra) = difference(&have, &want);
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{}.json: error selectors missing {missing:?}, not in the file {extra:?}",
            c.krate
        );
        assert_eq!(json.errors().count(), c.errors.len(), "{}.json: errors listed twice", c.krate);

        // The constructor the StylusDeployer calls.
        let ctor = json
            .constructor
            .as_ref()
            .unwrap_or_else(|| panic!("{}.json has no constructor", c.krate));
        let types: Vec<String> =
            ctor.inputs.iter().map(|p| p.selector_type().into_owned()).collect();
        assert_eq!(
            format!("({})", types.join(",")),
            c.constructor,
            "{}.json: constructor",
            c.krate
        );
    }
}

#[test]
fn the_json_abis_list_receive_exactly_where_the_program_takes_plain_ether_and_no_fallback() {
    let (s, contracts) = suite();
    let unknown = [0xff; 4];
    let mut receivers = 0;
    for c in &contracts {
        let json = json_abi(c);
        let mut t = s.clone();
        let r = t.vm.call(STRANGER, c.core, ether(1), &[]);
        match &json.receive {
            Some(receive) => {
                assert_eq!(receive.state_mutability, StateMutability::Payable, "{}", c.krate);
                assert!(
                    r.success,
                    "{}.json lists receive() but plain ether failed: {r:?}",
                    c.krate
                );
                receivers += 1;
            }
            None => assert!(
                refused_unseen(&r),
                "{}.json lists no receive() but plain ether was not refused: {r:?}",
                c.krate
            ),
        }
        // No fallback: a selector outside the table reverts with empty data, logging nothing
        // (a split contract's core hands it to the extension program, which refuses it).
        assert!(json.fallback.is_none(), "{}.json lists a fallback", c.krate);
        assert!(c.functions.iter().all(|f| f.selector != unknown), "{}", c.krate);
        let r = s.clone().vm.call(STRANGER, c.core, U256::ZERO, &unknown);
        assert!(
            !r.success && r.output.is_empty() && r.logs.is_empty(),
            "{}: an unknown selector was served: {r:?}",
            c.krate
        );
    }
    assert!(receivers > 0, "no JSON ABI lists receive(): the pool takes plain ether");
}

/// One row of a table: (signature, program, payable, access).
type Row = (String, String, bool, String);

/// The rows of `docs/architecture.md` between `<!-- programs:<dir>:begin/end -->`:
/// (signature, program, payable, access), and the byte range of the section.
fn documented(doc: &str, dir: &str) -> (Vec<Row>, std::ops::Range<usize>) {
    let begin = format!("<!-- programs:{dir}:begin -->");
    let end = format!("<!-- programs:{dir}:end -->");
    let start = doc.find(&begin).unwrap_or_else(|| panic!("no {begin} in docs/architecture.md"))
        + begin.len();
    let stop = doc.find(&end).unwrap_or_else(|| panic!("no {end} in docs/architecture.md"));
    let rows = doc[start..stop]
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            let sig = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
            Some((
                sig.to_string(),
                cells.get(2)?.to_string(),
                *cells.get(3)? == "yes",
                cells.get(4)?.to_string(),
            ))
        })
        .collect();
    (rows, start..stop)
}

/// With `UPDATE_DOCS=1`, the test rewrites the tables from the interface files (keeping each
/// function's access cell) instead of failing.
#[test]
fn the_architecture_page_lists_every_function_with_its_program_and_payability() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/architecture.md");
    let mut doc = std::fs::read_to_string(path).expect("docs/architecture.md");
    let tables: [(&str, &[Function]); 6] = [
        ("access-manager", access_manager::interface::FUNCTIONS),
        ("staking-pool", staking_pool::interface::FUNCTIONS),
        ("withdrawal-queue", withdrawal_queue::interface::FUNCTIONS),
        ("node-operator-registry", node_operator_registry::interface::FUNCTIONS),
        ("accounting-oracle", accounting_oracle::interface::FUNCTIONS),
        ("wrapped-token", wrapped_token::interface::FUNCTIONS),
    ];
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    for (dir, functions) in tables {
        let (have, range) = documented(&doc, dir);
        let access = |sig: &str| {
            have.iter().find(|r| r.0 == sig).map_or_else(|| "?".to_string(), |r| r.3.clone())
        };
        let want: Vec<Row> = functions
            .iter()
            .map(|f| {
                let program = match f.program {
                    Program::Core => "core",
                    Program::Extension => "extension",
                    Program::Permit => "permit",
                };
                (f.signature.to_string(), program.to_string(), f.payable, access(f.signature))
            })
            .collect();
        let key = |rows: &[Row]| {
            let mut k: Vec<(String, String, bool)> =
                rows.iter().map(|r| (r.0.clone(), r.1.clone(), r.2)).collect();
            k.sort();
            k
        };
        if key(&have) == key(&want) {
            continue;
        }
        let mut table =
            String::from("\n| function | program | payable | access |\n|---|---|---|---|\n");
        for (sig, program, payable, access) in &want {
            let payable = if *payable { "yes" } else { "no" };
            writeln!(table, "| `{sig}` | {program} | {payable} | {access} |").expect("a String");
        }
        assert!(
            update,
            "docs/architecture.md, {dir}: the table differs from the interface file; it should \
             read (UPDATE_DOCS=1 rewrites it):\n{table}"
        );
        doc.replace_range(range, &table);
    }
    if update {
        std::fs::write(path, doc).expect("docs/architecture.md written");
    }
}
