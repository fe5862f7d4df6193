//! The official `cargo stylus` (0.10.10, from crates.io) against the devnet's L2 endpoint,
//! read back through JSON-RPC:
//!
//! - `check` and `deploy --wasm-file` of every release program (`scripts/build`'s
//!   `artifacts/wasm/`, the bytes the project deploys);
//! - `deploy --contract NAME --constructor-args ...` through the StylusDeployer, the tool
//!   building the crate itself and reading the constructor's signature from the contract's
//!   `export-abi` binary, for the AccessManager and the wrapped token.
//!
//! What the tool cannot do here (docs/runbook.md): 0.10.10 ignores constructors with
//! `--wasm-file` (it deploys with a plain CREATE), and its own build (plain `cargo build`,
//! no wasm-opt, no path remapping) makes the pool's core 25,167 bytes compressed, over the
//! 24,576-byte limit, so the pool, queue, registry and oracle, whose constructors take the
//! addresses of programs built by `scripts/build`, are deployed with their constructors by
//! the project's own deploy path (the StylusDeployer called directly, as the tests' harness
//! and the deploy command do).

use std::{path::PathBuf, process::Command};

use alloy_network::TransactionBuilder;
use alloy_primitives::{keccak256, Address, B256};
use alloy_provider::{Provider, ProviderBuilder};
use alloy_rpc_types_eth::TransactionRequest;
use alloy_sol_types::{sol, SolCall};
use devnet::{dev_account, Config, Devnet};

sol! {
    function hasRole(bytes32 role, address account) view returns (bool);
    function stETH() view returns (address);
    function codehashVersion(bytes32 codehash) view returns (uint16);
}

use staking_common::PROGRAMS;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// A directory outside the workspace with an empty Stylus workspace of its own: `cargo stylus
/// check --wasm-file` (0.10.10) also builds and checks every contract crate of the workspace
/// it runs in, with plain `cargo build` and no wasm-opt, which is not how the project builds
/// its programs (`scripts/build`: wasm-opt -Oz, path prefixes cut, the DataCount section
/// dropped). Checking the release programs alone means running it where there are none.
fn shell() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("devnet-stylus-shell-{}", std::process::id()));
    // A virtual workspace whose one member has no Stylus.toml: no contract to build.
    std::fs::create_dir_all(dir.join("member/src")).unwrap();
    std::fs::write(
        dir.join("Cargo.toml"),
        "[workspace]\nmembers = [\"member\"]\nresolver = \"2\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("member/Cargo.toml"),
        "[package]\nname = \"member\"\nversion = \"0.0.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("member/src/lib.rs"), "").unwrap();
    std::fs::write(dir.join("Stylus.toml"), "[workspace]\n\n[workspace.networks]\n").unwrap();
    std::fs::copy(root().join("rust-toolchain.toml"), dir.join("rust-toolchain.toml")).unwrap();
    let lock =
        Command::new("cargo").args(["generate-lockfile", "--offline"]).current_dir(&dir).status();
    assert!(lock.is_ok_and(|s| s.success()), "cargo generate-lockfile in {}", dir.display());
    dir
}

fn cargo_stylus() -> Command {
    let probe = Command::new("cargo").args(["stylus", "--version"]).output();
    match probe {
        Ok(out) if out.status.success() => {}
        _ => panic!(
            "cargo-stylus is not installed: scripts/test installs it (scripts/tools.sh, \
             `cargo install --locked cargo-stylus@0.10.10`)"
        ),
    }
    let mut command = Command::new("cargo");
    command.arg("stylus").current_dir(root());
    command
}

/// The constructor signature the contract's export-abi binary prints.
fn constructor_signature(contract: &str) -> String {
    let out = Command::new("cargo")
        .args(["run", "--quiet", "--locked", "-p", contract, "--features", "export-abi"])
        .args(["--bin", &format!("{contract}-abi"), "--", "constructor"])
        .current_dir(root())
        .output()
        .expect("cargo runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8").trim().to_string()
}

fn wasm(program: &str) -> String {
    let path = root().join("artifacts/wasm").join(format!("{program}.wasm"));
    assert!(path.exists(), "{}: run scripts/build first", path.display());
    path.display().to_string()
}

fn run(command: &mut Command) -> String {
    let out = command.output().expect("cargo stylus runs");
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{command:?} failed:\n{text}");
    text
}

/// `cargo stylus deploy --no-verify --wasm-file`: the address it printed.
fn deploy_wasm(url: &str, key: B256, program: &str) -> Address {
    let mut command = cargo_stylus();
    command.args(["deploy", "--no-verify", "-e", url, "--private-key"]).arg(key.to_string());
    command.args(["--wasm-file", &wasm(program)]);
    let at = address_in(&run(&mut command));
    println!("cargo stylus deployed {program} at {at}");
    at
}

/// `cargo stylus deploy --no-verify --contract NAME --constructor-args ...`: the tool builds
/// the crate and runs its constructor through the StylusDeployer.
fn deploy_contract(url: &str, key: B256, contract: &str, args: &[String]) -> Address {
    let mut command = cargo_stylus();
    command.args(["deploy", "--no-verify", "-e", url, "--private-key"]).arg(key.to_string());
    command.args(["--contract", contract, "--constructor-args"]).args(args);
    let at = address_in(&run(&mut command));
    println!(
        "cargo stylus deployed {contract} with its constructor ({}) at {at}",
        constructor_signature(contract)
    );
    at
}

fn address_in(text: &str) -> Address {
    let plain = strip_ansi(text);
    plain
        .lines()
        .find_map(|line| {
            let line = line.to_ascii_lowercase();
            let i = line.find("deployed code at address")?;
            let hex = line[i..].split_whitespace().find(|w| w.starts_with("0x"))?;
            hex.trim_end_matches(|c: char| !c.is_ascii_hexdigit()).parse::<Address>().ok()
        })
        .unwrap_or_else(|| panic!("no address in cargo stylus's output:\n{plain}"))
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[test]
fn cargo_stylus_checks_and_deploys_every_release_program_and_runs_constructors() {
    let devnet = Devnet::start(&Config::ephemeral()).expect("the devnet starts");
    let url = devnet.l2_url();
    let key = dev_account(0).key;
    let admin = dev_account(0).address;

    // `check`: each program passes the devnet's activation (ArbWasm under a state override).
    let shell = shell();
    for program in PROGRAMS {
        let text = run(cargo_stylus().current_dir(&shell).args([
            "check",
            "-e",
            &url,
            "--wasm-file",
            &wasm(program),
        ]));
        println!(
            "cargo stylus check {program}: {}",
            strip_ansi(&text).lines().last().unwrap_or("")
        );
    }

    // `deploy --wasm-file`: every release program, activated.
    let mut deployed = Vec::new();
    for program in PROGRAMS {
        deployed.push(deploy_wasm(&url, key, program));
    }
    // `deploy --contract` with constructors: the tool builds the crate, asks its export-abi
    // binary for the signature, encodes the arguments and calls the StylusDeployer.
    let manager = deploy_contract(&url, key, "access-manager", &[admin.to_string()]);
    let pool = deployed[1];
    let wrapped = deploy_contract(&url, key, "wrapped-token", &[pool.to_string()]);

    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let l2 = ProviderBuilder::new().on_http(url.parse().unwrap());
        let view = |to: Address, data: Vec<u8>| {
            let l2 = l2.clone();
            async move {
                l2.call(&TransactionRequest::default().with_to(to).with_input(data)).await.unwrap()
            }
        };
        // The constructors ran with the arguments given.
        let out =
            view(manager, hasRoleCall { role: B256::ZERO, account: admin }.abi_encode()).await;
        assert!(
            hasRoleCall::abi_decode_returns(&out, true).unwrap()._0,
            "the admin holds DEFAULT_ADMIN_ROLE"
        );
        let out = view(wrapped, stETHCall {}.abi_encode()).await;
        assert_eq!(stETHCall::abi_decode_returns(&out, true).unwrap()._0, pool);
        // Every program is active (ArbWasm knows its code hash) and its code is the release
        // program's: 0xEFF00000 and the brotli wasm.
        for program in deployed.iter().chain([&manager, &wrapped]) {
            let code = l2.get_code_at(*program).await.unwrap();
            assert_eq!(&code[..4], &[0xEF, 0xF0, 0x00, 0x00]);
            let call = codehashVersionCall { codehash: keccak256(&code) }.abi_encode();
            let out = view(Address::with_last_byte(0x71), call).await;
            assert!(codehashVersionCall::abi_decode_returns(&out, true).unwrap()._0 > 0);
        }
    });
    let _ = std::fs::remove_dir_all(&shell);
    devnet.stop();
}
