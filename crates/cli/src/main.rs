//! `lsctl`: see the library's docs. `lsctl help` prints the commands.

use std::{path::PathBuf, process::ExitCode};

use alloy_primitives::{Address, U256};
use staking_cli::{
    deploy::{deploy, DeployConfig},
    CliError,
};

const USAGE: &str = "\
lsctl: the liquid staking protocol's command line, over JSON-RPC

lsctl deploy --network NAME --l2 URL --l1 URL [options]
  Deploys the whole suite (L2 programs through the StylusDeployer, the L1 vault, a governance
  Safe), hands every role to the governance, writes deployments/NAME.json. Run it again to
  resume: nothing done is sent twice.
  --key HEX | --key-file PATH   the deployer's key (or the LSCTL_KEY environment variable)
  --l2-chain-id N, --l1-chain-id N      refuse endpoints of other chains
  --manifest PATH                       default deployments/NAME.json
  --governance ADDRESS                  an existing governance account, or a new Safe with:
  --safe-owner ADDRESS (repeat) --safe-threshold N
  --guardian ADDRESS (repeat) --guardian-quorum N     deposit guardians (vault and registry)
  --oracle-member ADDRESS (repeat) --oracle-quorum N  the oracle committee
  --treasury ADDRESS                    fee recipient (default: the governance)
  --l1-bridge ADDRESS --l1-inbox ADDRESS --deposit-contract ADDRESS
                                        Arbitrum's Bridge and Inbox and the beacon deposit
                                        contract on L1 (a devnet tells them: devnet_info)
  --stake-limit ETHER --stake-limit-per-block ETHER   default 150000 and 20.8333
  --wasm-dir PATH (artifacts/wasm)  --evm-dir PATH (artifacts/evm)
  --stop-after N                        stop after N transactions (a rerun resumes)

lsctl gov ACTION [ARGS] --manifest PATH (--safe-batch FILE | --l2 URL --key HEX)
  Governance's actions on a deployment: written to a Safe Transaction Builder batch for the
  governance Safe (no endpoint needed), or sent directly by an account holding the role.
  grant-role ROLE ACCOUNT | revoke-role ROLE ACCOUNT | pause-staking | resume-staking |
  pause-token | resume-token | pause-queue | resume-queue | set-stake-limit MAX PER_BLOCK | set-fees TREASURY TOTAL_BP
  OPERATORS_BP | upgrade CONTRACT EXTENSION | execute-upgrade CONTRACT EXTENSION |
  cancel-upgrade CONTRACT EXTENSION CALLER      (CONTRACT: pool, queue, registry, oracle) |
  add-operator NAME REWARD_ADDRESS | set-vetted-limit OPERATOR_ID KEYS

lsctl operator commit-keys DEPOSIT_DATA_JSON --operator-id N --manifest PATH --l2 URL --key HEX
        [--fork-version HEX] [--batch-size N] [--by-root]
  Checks every key of a deposit CLI file (the vault's credentials, 32 ether, the SSZ roots,
  the BLS signature) and commits them to the registry in batches, from the operator's address
  (--by-root: only each batch's Merkle root; then publish the file to the keys service).

lsctl keeper execute-sends --journal PATH --l2 URL --l1 URL --key HEX [--outbox ADDRESS]
        [--to ADDRESS ...] [--watch SECONDS]
  Executes every confirmed L2-to-L1 send on the Outbox (anyone may); lists the ones waiting
  for the challenge period. --watch repeats every SECONDS until interrupted.

lsctl operator devnet-keys COUNT --manifest PATH --out FILE [--seed TEXT] [--fork-version HEX]
  Writes a deposit data file of COUNT deterministic keys for the deployment's vault. Devnet
  only: anyone who knows the seed has the keys.

lsctl safe exec BATCH --manifest PATH --l2 URL --key HEX --owner-key HEX [--owner-key HEX ...]
  Executes a batch through the governance Safe, signed by the owners' keys, sent by --key.

lsctl committee run --manifest PATH --l2 URL --l1 URL --beacon URL --key HEX
        [--keys-service URL] [--once] [--dry-run] [--manual] [--interval SECONDS]
  An oracle committee member's daemon: computes each frame's report at its reference slot
  from the beacon API and both chains, votes its hash, submits the data in turn and the exit
  requests it carries (the keys service names the keys).

lsctl keys-service --manifest PATH --l2 URL [--listen 127.0.0.1:8600] [--interval SECONDS]
        [--store FILE]
  Serves the registry's committed keys and their Merkle proofs (GET /v1/keys, /v1/keys/OP/I,
  /v1/deposits, /v1/status); operators publish root-committed batches' files to it, which it
  keeps in --store (default: beside the manifest, .keys.json).

lsctl guardian attest --manifest PATH --l1 URL --keys-service URL --key HEX --out DIR
        [--from-block N] [--watch SECONDS]
  Checks every batch pending in the L1 vault for front-running deposits and signs its
  deposit (or, front-run, its cancellation) into DIR.

lsctl depositor deposit --manifest PATH --l2 URL --keys-service URL --key HEX [--max N]
        [--watch SECONDS]
  Deposits buffered ether for up to N keys (default 10) when the buffer allows.
lsctl depositor deposit-batches --manifest PATH --l1 URL --keys-service URL --key HEX
        --signatures DIR [--watch SECONDS]
  Deposits (or cancels) every pending vault batch a guardian quorum signed in DIR.

lsctl keeper bridge --manifest PATH --l1 URL --key HEX
  Sends the vault's free ether back to the L2 pool (bridgeToL2) when above its minimum.
lsctl keeper redeem --manifest PATH --l2 URL --key HEX [--all]
  Redeems the vault's retryable tickets whose automatic redeem failed (--all: anyone's).

lsctl user stake ETHER | request-withdrawal ETHER | claim  --manifest PATH --l2 URL --key HEX
  A staker's calls: deposit ether for the receipt token, queue a withdrawal of it (an NFT),
  claim every finalized request.

lsctl devnet [--deploy] [--manifest PATH] [--l2-port 8547] [--l1-port 8545] [--beacon-port 5052]
        [--accounts 10]
  Starts the devnet (the same as the devnet binary) and, with --deploy, deploys the suite on
  it from dev account 0: a 2-of-3 Safe of accounts 1-3 as governance, guardians 1-3 (2 of 3),
  oracle members 5-7 (2 of 3), treasury 8; the manifest (default deployments/devnet.json).
  Runs until Ctrl-C.

lsctl status --manifest PATH --l2 URL --l1 URL [--account ADDRESS ...]
  The protocol's figures (pooled ether, shares and rate, buffer, validators, the vault, the
  queue) and the accounts' balances, read through JSON-RPC.

lsctl operator claim-rewards --operator-id N --manifest PATH --l2 URL --key HEX
lsctl operator publish-keys DEPOSIT_DATA_JSON --operator-id N --keys-service URL [--batch N]
  Claims an operator's rewards (shares, to its reward address); publishes a root-committed
  batch's key file to the keys service.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("lsctl: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Usage(message)) => {
            eprintln!("lsctl: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("lsctl: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &[String]) -> Result<(), CliError> {
    match args.first().map(String::as_str) {
        Some("deploy") => {
            let config = deploy_config(&args[1..]).await?;
            let manifest = config.manifest.clone();
            let done = deploy(config).await?;
            println!(
                "{} transactions sent; deployment {}; manifest {}",
                done.sent,
                if done.complete { "complete" } else { "stopped (run again to resume)" },
                manifest.display()
            );
            for (name, address) in &done.manifest.contracts {
                println!("  {name:<36} {address}");
            }
            Ok(())
        }
        Some("gov") => governance(&args[1..]).await,
        Some("keeper") if args.get(1).map(String::as_str) == Some("execute-sends") => {
            keeper(&args[2..]).await
        }
        Some("operator") if args.get(1).map(String::as_str) == Some("commit-keys") => {
            commit_keys(&args[2..]).await
        }
        Some("operator") if args.get(1).map(String::as_str) == Some("devnet-keys") => {
            devnet_keys(&args[2..])
        }
        Some("safe") if args.get(1).map(String::as_str) == Some("exec") => {
            safe_exec(&args[2..]).await
        }
        Some("committee") if args.get(1).map(String::as_str) == Some("run") => {
            committee(&args[2..]).await
        }
        Some("keys-service") => keys_service(&args[1..]).await,
        Some("guardian") if args.get(1).map(String::as_str) == Some("attest") => {
            guardian(&args[2..]).await
        }
        Some("depositor") => depositor(&args[1..]).await,
        Some("keeper") if matches!(args.get(1).map(String::as_str), Some("bridge" | "redeem")) => {
            keeper_ether(&args[1..]).await
        }
        Some("user") => user(&args[1..]).await,
        Some("status") => status(&args[1..]).await,
        Some("devnet") => devnet_up(&args[1..]).await,
        Some("operator") if args.get(1).map(String::as_str) == Some("claim-rewards") => {
            claim_rewards(&args[2..]).await
        }
        Some("operator") if args.get(1).map(String::as_str) == Some("publish-keys") => {
            publish_keys(&args[2..]).await
        }
        Some("help" | "-h" | "--help") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(CliError::Usage(format!("unknown command {other}"))),
    }
}

/// Flags as `(name, value)` pairs, in order.
type Flags = Vec<(String, String)>;

/// Positional arguments, then flags as `(name, value)`.
fn split(args: &[String]) -> Result<(Vec<String>, Flags), CliError> {
    let first_flag = args.iter().position(|a| a.starts_with("--")).unwrap_or(args.len());
    Ok((args[..first_flag].to_vec(), flags(&args[first_flag..])?))
}

fn one(flags: &[(String, String)], name: &str) -> Option<String> {
    flags.iter().rev().find(|(n, _)| n == name).map(|(_, v)| v.clone())
}

fn required(flags: &[(String, String)], name: &str) -> Result<String, CliError> {
    one(flags, name).ok_or_else(|| CliError::Usage(format!("--{name} is required")))
}

fn journal_path(manifest: &std::path::Path) -> PathBuf {
    manifest.with_extension("journal.json")
}

async fn governance(args: &[String]) -> Result<(), CliError> {
    let (positional, flags) = split(args)?;
    let action = positional.first().ok_or_else(|| CliError::Usage("lsctl gov ACTION".into()))?;
    let manifest_path = PathBuf::from(required(&flags, "manifest")?);
    let manifest = staking_cli::manifest::ManifestFile::open(&manifest_path)?.manifest;
    let governance = manifest.governance.ok_or_else(|| {
        CliError::Manifest(format!("{} has no governance: deploy first", manifest_path.display()))
    })?;
    let act = staking_cli::governance::parse(&manifest, action, &positional[1..])?;
    if let Some(batch_path) = one(&flags, "safe-batch") {
        let path = PathBuf::from(batch_path);
        let mut batch =
            staking_cli::governance::SafeBatch::open(&path, manifest.l2_chain_id, governance)?;
        batch.push(&act);
        batch.save(&path)?;
        println!(
            "{}: added \"{}\" ({} calls) for Safe {governance}",
            path.display(),
            act.label,
            batch.transactions.len()
        );
        return Ok(());
    }
    let key = one(&flags, "key").or_else(|| std::env::var("LSCTL_KEY").ok()).ok_or_else(|| {
        CliError::Usage("give --safe-batch FILE, or --key HEX to send directly".into())
    })?;
    let chain = staking_cli::chain::Chain::connect(
        "l2",
        &required(&flags, "l2")?,
        &key,
        Some(manifest.l2_chain_id),
    )
    .await?;
    let mut journal = staking_cli::manifest::ManifestFile::open(&journal_path(&manifest_path))?;
    if let Some(done) = chain.resume_pending(&mut journal).await? {
        if done.record.name.starts_with(&format!("{} #", act.label)) {
            println!("the interrupted \"{}\" was mined: not sent again", act.label);
            return Ok(());
        }
    }
    let step = format!("{} #{}", act.label, journal.manifest.steps.len() + 1);
    let call = staking_cli::chain::Call { to: Some(act.to), value: U256::ZERO, data: act.data };
    chain.send(&mut journal, &step, call).await?;
    Ok(())
}

fn fork_flag(flags: &Flags) -> Result<Option<[u8; 4]>, CliError> {
    one(flags, "fork-version")
        .map(|v| {
            alloy_primitives::hex::decode(v.trim_start_matches("0x"))
                .ok()
                .and_then(|b| <[u8; 4]>::try_from(b).ok())
                .ok_or_else(|| CliError::Usage(format!("--fork-version {v} is not 4 bytes of hex")))
        })
        .transpose()
}

fn devnet_keys(args: &[String]) -> Result<(), CliError> {
    let (positional, flags) = split(args)?;
    let count = number("COUNT", positional.first().map_or("", String::as_str))?;
    let manifest_path = PathBuf::from(required(&flags, "manifest")?);
    let manifest = staking_cli::manifest::ManifestFile::open(&manifest_path)?.manifest;
    let vault = *manifest
        .contracts
        .get("l1-vault")
        .ok_or_else(|| CliError::Manifest("the manifest has no l1-vault".into()))?;
    let seed = one(&flags, "seed").unwrap_or_else(|| "lsctl devnet keys".into());
    let fork = fork_flag(&flags)?.unwrap_or_default();
    let credentials = staking_common::deposit_data::withdrawal_credentials(vault);
    let count = u32::try_from(count).map_err(|_| CliError::Usage("COUNT is too large".into()))?;
    let entries = staking_cli::operator::devnet_deposit_data(count, &seed, credentials, fork);
    let out = required(&flags, "out")?;
    let text =
        serde_json::to_string_pretty(&entries).map_err(|e| CliError::Usage(e.to_string()))?;
    std::fs::write(&out, text + "\n").map_err(|e| CliError::Usage(format!("{out}: {e}")))?;
    println!("{out}: {count} devnet keys for vault {vault} (never use them on a real network)");
    Ok(())
}

async fn commit_keys(args: &[String]) -> Result<(), CliError> {
    use alloy_sol_types::SolCall;
    let rest: Vec<String> = args.iter().filter(|a| *a != "--by-root").cloned().collect();
    let (positional, flags) = split(&rest)?;
    let file = positional
        .first()
        .ok_or_else(|| CliError::Usage("lsctl operator commit-keys FILE".into()))?;
    let manifest_path = PathBuf::from(required(&flags, "manifest")?);
    let manifest = staking_cli::manifest::ManifestFile::open(&manifest_path)?.manifest;
    let vault = *manifest
        .contracts
        .get("l1-vault")
        .ok_or_else(|| CliError::Manifest("the manifest has no l1-vault".into()))?;
    let registry = *manifest
        .contracts
        .get("node-operator-registry")
        .ok_or_else(|| CliError::Manifest("the manifest has no registry".into()))?;
    let operator = number("operator-id", &required(&flags, "operator-id")?)?;
    let fork = fork_flag(&flags)?.ok_or_else(|| {
        CliError::Usage(
            "--fork-version HEX is required: the beacon chain's fork version the keys must be signed for (mainnet 00000000, Hoodi 10000910, Sepolia 90000069)".into(),
        )
    })?;
    let batch_size = one(&flags, "batch-size")
        .map(|v| number("batch-size", &v))
        .transpose()?
        .unwrap_or(50)
        .clamp(1, 100);
    let json = std::fs::read(file).map_err(|e| CliError::Usage(format!("{file}: {e}")))?;
    let credentials = staking_common::deposit_data::withdrawal_credentials(vault);
    let keys = staking_cli::operator::check_file(&json, &credentials, Some(fork))?;
    println!("{file}: {} keys checked (credentials, amount, roots, BLS signatures)", keys.len());
    let chain = staking_cli::chain::Chain::connect(
        "l2",
        &required(&flags, "l2")?,
        &required(&flags, "key")?,
        Some(manifest.l2_chain_id),
    )
    .await?;
    let mut journal = staking_cli::manifest::ManifestFile::open(&journal_path(&manifest_path))?;
    chain.resume_pending(&mut journal).await?;
    let id = alloy_primitives::keccak256(&json);
    // A file's batches are steps of the journal: a rerun must cut the file the same way.
    let size_key = format!("commit-keys {id} operator {operator} batch size");
    match journal.manifest.parameters.get(&size_key) {
        Some(size) if *size != batch_size => {
            return Err(CliError::Usage(format!(
                "this file was committed with --batch-size {size}: rerun with the same size"
            )))
        }
        _ => {
            journal.manifest.parameters.insert(size_key, batch_size);
            journal.save()?;
        }
    }
    let by_root = has(args, "--by-root");
    for (i, chunk) in keys.chunks(usize::try_from(batch_size).unwrap_or(50)).enumerate() {
        let data = if by_root {
            // The root only (one word of calldata per batch instead of 144 bytes a key); the
            // keys service needs the file: lsctl operator publish-keys.
            let pairs: Vec<(Vec<u8>, Vec<u8>)> =
                chunk.iter().map(|k| (k.pubkey.to_vec(), k.signature.to_vec())).collect();
            staking_cli::abi::INodeOperatorRegistry::commitKeyRootCall {
                operatorId: U256::from(operator),
                root: staking_cli::keys::merkle_root(&pairs),
                count: U256::from(chunk.len()),
            }
            .abi_encode()
        } else {
            staking_cli::abi::INodeOperatorRegistry::commitKeysCall {
                operatorId: U256::from(operator),
                pubkeys: chunk.iter().flat_map(|k| k.pubkey).collect::<Vec<u8>>().into(),
                signatures: chunk.iter().flat_map(|k| k.signature).collect::<Vec<u8>>().into(),
            }
            .abi_encode()
        };
        let chunk_id =
            alloy_primitives::keccak256(chunk.iter().flat_map(|k| k.pubkey).collect::<Vec<u8>>());
        let step = format!("commit keys of operator {operator}: {chunk_id} (file {id}, batch {i})");
        let call = staking_cli::chain::Call { to: Some(registry), value: U256::ZERO, data };
        chain.send(&mut journal, &step, call).await?;
    }
    if by_root {
        println!("{file}: committed by root; publish it: lsctl operator publish-keys {file} --operator-id {operator} --keys-service URL");
    }
    Ok(())
}

async fn keeper(args: &[String]) -> Result<(), CliError> {
    let (_, flags) = split(args)?;
    let l1_url = required(&flags, "l1")?;
    let l2_url = required(&flags, "l2")?;
    let outbox = if let Some(v) = one(&flags, "outbox") {
        address("outbox", &v)?
    } else {
        let mut probe = staking_cli::deploy::DeployConfig::for_endpoints(&l2_url, &l1_url);
        staking_cli::deploy::fill_from_devnet(&mut probe).await.map_err(|_| {
            CliError::Usage(
                "the L1 endpoint is not a devnet: give --outbox (Arbitrum's Outbox on L1)".into(),
            )
        })?;
        probe.l1_outbox
    };
    let l1 =
        staking_cli::chain::Chain::connect("l1", &l1_url, &required(&flags, "key")?, None).await?;
    let l2: alloy_provider::RootProvider = alloy_provider::ProviderBuilder::default()
        .on_http(l2_url.parse().map_err(|e| CliError::Usage(format!("--l2 {l2_url}: {e}")))?);
    let mut journal =
        staking_cli::manifest::ManifestFile::open(&PathBuf::from(required(&flags, "journal")?))?;
    l1.resume_pending(&mut journal).await?;
    let watch = one(&flags, "watch").map(|v| number("watch", &v)).transpose()?;
    let only_to = flags
        .iter()
        .filter(|(n, _)| n == "to")
        .map(|(n, v)| address(n, v))
        .collect::<Result<Vec<_>, _>>()?;
    loop {
        let pass =
            staking_cli::keeper::execute_sends(&l2, &l1, &mut journal, outbox, &only_to).await?;
        println!(
            "keeper: {} executed, {} already executed, {} waiting for the challenge period, {} failing",
            pass.executed.len(),
            pass.spent.len(),
            pass.waiting.len(),
            pass.failed.len()
        );
        let Some(seconds) = watch else { return Ok(()) };
        tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
    }
}

async fn safe_exec(args: &[String]) -> Result<(), CliError> {
    let (positional, flags) = split(args)?;
    let batch_path = positional
        .first()
        .ok_or_else(|| CliError::Usage("lsctl safe exec BATCH: name the batch file".into()))?;
    let manifest_path = PathBuf::from(required(&flags, "manifest")?);
    let manifest = staking_cli::manifest::ManifestFile::open(&manifest_path)?.manifest;
    let safe = manifest
        .governance
        .ok_or_else(|| CliError::Manifest("the manifest has no governance Safe".into()))?;
    let text =
        std::fs::read(batch_path).map_err(|e| CliError::Usage(format!("{batch_path}: {e}")))?;
    let batch: staking_cli::governance::SafeBatch = serde_json::from_slice(&text)
        .map_err(|e| CliError::Usage(format!("{batch_path} is not a Safe batch: {e}")))?;
    let owners = flags
        .iter()
        .filter(|(n, _)| n == "owner-key")
        .map(|(_, v)| {
            let bytes = alloy_primitives::hex::decode(v.trim())
                .map_err(|_| CliError::Usage("an --owner-key is not hex".into()))?;
            staking_common::signing::SigningKey::from_slice(&bytes)
                .map_err(|_| CliError::Usage("an --owner-key is not a private key".into()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let key = required(&flags, "key")?;
    let chain = staking_cli::chain::Chain::connect(
        "l2",
        &required(&flags, "l2")?,
        &key,
        Some(manifest.l2_chain_id),
    )
    .await?;
    let mut journal = staking_cli::manifest::ManifestFile::open(&journal_path(&manifest_path))?;
    chain.resume_pending(&mut journal).await?;
    let n = staking_cli::safe::exec(&chain, &mut journal, safe, &batch, &owners).await?;
    println!("{n} calls executed through Safe {safe}");
    Ok(())
}

/// Flags as `(name, values)`, each flag's values in order.
fn flags(args: &[String]) -> Result<Vec<(String, String)>, CliError> {
    let mut out = Vec::new();
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let Some(name) = flag.strip_prefix("--") else {
            return Err(CliError::Usage(format!("unexpected argument {flag}")));
        };
        let value = it.next().ok_or_else(|| CliError::Usage(format!("--{name} needs a value")))?;
        out.push((name.to_string(), value.clone()));
    }
    Ok(out)
}

fn address(name: &str, value: &str) -> Result<Address, CliError> {
    value.parse().map_err(|_| CliError::Usage(format!("--{name}: {value} is not an address")))
}

fn number(name: &str, value: &str) -> Result<u64, CliError> {
    value.parse().map_err(|_| CliError::Usage(format!("--{name}: {value} is not a number")))
}

fn ether(name: &str, value: &str) -> Result<U256, CliError> {
    alloy_primitives::utils::parse_ether(value)
        .map_err(|_| CliError::Usage(format!("--{name}: {value} is not an amount of ether")))
}

async fn deploy_config(args: &[String]) -> Result<DeployConfig, CliError> {
    let mut network = None;
    let (mut l2_url, mut l1_url, mut key) = (None, None, std::env::var("LSCTL_KEY").ok());
    let mut config = DeployConfig {
        stake_limit: (ether("", "150000")?, ether("", "20.833333333333333333")?),
        ..DeployConfig::for_endpoints("", "")
    };
    let mut manifest = None;
    for (name, value) in flags(args)? {
        let v = value.as_str();
        match name.as_str() {
            "network" => network = Some(value),
            "l2" => l2_url = Some(value),
            "l1" => l1_url = Some(value),
            "key" => key = Some(value),
            "key-file" => {
                key = Some(
                    std::fs::read_to_string(v)
                        .map_err(|e| CliError::Usage(format!("--key-file {v}: {e}")))?,
                );
            }
            "l2-chain-id" => config.l2_chain_id = Some(number(&name, v)?),
            "l1-chain-id" => config.l1_chain_id = Some(number(&name, v)?),
            "manifest" => manifest = Some(PathBuf::from(v)),
            "wasm-dir" => config.wasm_dir = PathBuf::from(v),
            "evm-dir" => config.evm_dir = PathBuf::from(v),
            "governance" => config.governance = Some(address(&name, v)?),
            "safe-owner" => config.safe_owners.push(address(&name, v)?),
            "safe-threshold" => config.safe_threshold = number(&name, v)?,
            "guardian" => config.guardians.push(address(&name, v)?),
            "guardian-quorum" => config.guardian_quorum = number(&name, v)?,
            "oracle-member" => config.oracle_members.push(address(&name, v)?),
            "oracle-quorum" => config.oracle_quorum = number(&name, v)?,
            "treasury" => config.treasury = Some(address(&name, v)?),
            "l1-bridge" => config.l1_bridge = address(&name, v)?,
            "l1-inbox" => config.l1_inbox = address(&name, v)?,
            "deposit-contract" => config.deposit_contract = address(&name, v)?,
            "stake-limit" => config.stake_limit.0 = ether(&name, v)?,
            "stake-limit-per-block" => config.stake_limit.1 = ether(&name, v)?,
            "stop-after" => {
                config.stop_after = Some(usize::try_from(number(&name, v)?).unwrap_or(usize::MAX));
            }
            other => return Err(CliError::Usage(format!("unknown flag --{other}"))),
        }
    }
    config.network = network.ok_or_else(|| CliError::Usage("--network NAME is required".into()))?;
    config.l2_url = l2_url.ok_or_else(|| CliError::Usage("--l2 URL is required".into()))?;
    config.l1_url = l1_url.ok_or_else(|| CliError::Usage("--l1 URL is required".into()))?;
    config.key =
        key.ok_or_else(|| CliError::Usage("--key, --key-file or LSCTL_KEY is required".into()))?;
    config.manifest =
        manifest.unwrap_or_else(|| PathBuf::from(format!("deployments/{}.json", config.network)));
    if config.guardians.is_empty() || config.guardian_quorum == 0 {
        return Err(CliError::Usage(
            "name the deposit guardians (--guardian ADDRESS ... --guardian-quorum N)".into(),
        ));
    }
    if config.oracle_members.is_empty() || config.oracle_quorum == 0 {
        return Err(CliError::Usage(
            "name the oracle committee (--oracle-member ADDRESS ... --oracle-quorum N)".into(),
        ));
    }
    if config.l1_bridge.is_zero() || config.l1_inbox.is_zero() || config.deposit_contract.is_zero()
    {
        staking_cli::deploy::fill_from_devnet(&mut config).await?;
    }
    Ok(config)
}

/// An actor's journal beside the manifest: one per signing account, so that one account's
/// transaction in flight never blocks another's.
fn actor_journal(
    manifest: &std::path::Path,
    who: Address,
) -> Result<staking_cli::manifest::ManifestFile, CliError> {
    staking_cli::manifest::ManifestFile::open(
        &manifest.with_extension(format!("{who}.journal.json")),
    )
}

/// The account's journal, unless it had a transaction in flight: then that one is finished,
/// said, and `None` ends the command (a one-shot command sends one transaction a run).
async fn fresh_journal(
    manifest: &std::path::Path,
    chain: &staking_cli::chain::Chain,
) -> Result<Option<staking_cli::manifest::ManifestFile>, CliError> {
    let mut journal = actor_journal(manifest, chain.from)?;
    if let Some(done) = chain.resume_pending(&mut journal).await? {
        println!(
            "the interrupted \"{}\" was mined: run the command again for a new one",
            done.record.name
        );
        return Ok(None);
    }
    Ok(Some(journal))
}

struct Actor {
    protocol: staking_cli::protocol::Protocol,
    manifest: PathBuf,
}

fn actor(flags: &Flags) -> Result<Actor, CliError> {
    let manifest = PathBuf::from(required(flags, "manifest")?);
    Ok(Actor { protocol: staking_cli::protocol::Protocol::from_manifest(&manifest)?, manifest })
}

async fn signer(
    flags: &Flags,
    label: &'static str,
    chain_id: u64,
) -> Result<staking_cli::chain::Chain, CliError> {
    let key = one(flags, "key")
        .or_else(|| std::env::var("LSCTL_KEY").ok())
        .ok_or_else(|| CliError::Usage("--key HEX (or LSCTL_KEY) is required".into()))?;
    staking_cli::chain::Chain::connect(label, &required(flags, label)?, &key, Some(chain_id)).await
}

fn has(args: &[String], flag: &str) -> bool {
    args.iter().any(|a| a == flag)
}

async fn committee(args: &[String]) -> Result<(), CliError> {
    use staking_cli::committee::{pass, Member, Mode, Outcome};
    let switches = ["--once", "--dry-run", "--manual"];
    let rest: Vec<String> =
        args.iter().filter(|a| !switches.contains(&a.as_str())).cloned().collect();
    let (_, flags) = split(&rest)?;
    let a = actor(&flags)?;
    let l2 = signer(&flags, "l2", a.protocol.l2_chain_id).await?;
    let member = Member {
        l1: staking_cli::protocol::reader("l1", &required(&flags, "l1")?)?,
        beacon: staking_cli::beacon::Beacon::new(&required(&flags, "beacon")?),
        protocol: a.protocol,
        keys: one(&flags, "keys-service"),
        l2,
    };
    let mode = Mode { dry_run: has(args, "--dry-run"), manual: has(args, "--manual") };
    let interval =
        one(&flags, "interval").map(|v| number("interval", &v)).transpose()?.unwrap_or(12);
    let mut journal = actor_journal(&a.manifest, member.l2.from)?;
    member.l2.resume_pending(&mut journal).await?;
    loop {
        // A daemon outlives a failing endpoint or a race another member won: it says why and
        // tries again on the next pass (`--once` fails instead).
        let outcome = match pass(&member, &mut journal, mode).await {
            Ok(outcome) => outcome,
            Err(e) if !has(args, "--once") && !mode.dry_run => {
                eprintln!("committee {}: {e} (retrying in {interval} s)", member.l2.from);
                tokio::time::sleep(std::time::Duration::from_secs(interval)).await;
                continue;
            }
            Err(e) => return Err(e),
        };
        let line = match &outcome {
            Outcome::Done { ref_slot } => format!("ref slot {ref_slot}: the report is in"),
            Outcome::Waiting { ref_slot, finalized } => {
                format!("ref slot {ref_slot}: waiting for finality (finalized slot {finalized})")
            }
            Outcome::Voted { ref_slot, hash } => format!("ref slot {ref_slot}: voted {hash}"),
            Outcome::Submitted { ref_slot, hash } => {
                format!("ref slot {ref_slot}: data {hash} submitted")
            }
            Outcome::Computed { ref_slot, hash } => {
                format!("ref slot {ref_slot}: dry run, report {hash} not sent")
            }
            Outcome::Declined => "declined".into(),
        };
        println!("committee {}: {line}", member.l2.from);
        if has(args, "--once") || mode.dry_run {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_secs(interval)).await;
    }
}

async fn keys_service(args: &[String]) -> Result<(), CliError> {
    let (_, flags) = split(args)?;
    let a = actor(&flags)?;
    let l2 = staking_cli::protocol::reader("l2", &required(&flags, "l2")?)?;
    let listen = one(&flags, "listen").unwrap_or_else(|| "127.0.0.1:8600".into());
    let addr =
        listen.parse().map_err(|_| CliError::Usage(format!("--listen {listen}: not host:port")))?;
    let interval =
        one(&flags, "interval").map(|v| number("interval", &v)).transpose()?.unwrap_or(5);
    staking_cli::keys::serve(
        l2,
        a.protocol.registry,
        a.protocol.l2_from_block,
        addr,
        std::time::Duration::from_secs(interval),
        one(&flags, "store").map_or_else(|| a.manifest.with_extension("keys.json"), PathBuf::from),
    )
    .await
}

fn signing_key(flags: &Flags) -> Result<staking_common::signing::SigningKey, CliError> {
    let key = required(flags, "key")?;
    let bytes = alloy_primitives::hex::decode(key.trim())
        .map_err(|_| CliError::Usage("--key is not hex".into()))?;
    staking_common::signing::SigningKey::from_slice(&bytes)
        .map_err(|_| CliError::Usage("--key is not a private key".into()))
}

async fn guardian(args: &[String]) -> Result<(), CliError> {
    let (_, flags) = split(args)?;
    let a = actor(&flags)?;
    let l1_url = required(&flags, "l1")?;
    let l1 = staking_cli::protocol::reader("l1", &l1_url)?;
    let from = if let Some(v) = one(&flags, "from-block") {
        number("from-block", &v)?
    } else {
        use alloy_provider::Provider;
        l1.get_block_by_number(
            alloy_rpc_types_eth::BlockNumberOrTag::Earliest,
            alloy_rpc_types_eth::BlockTransactionsKind::Hashes,
        )
        .await
        .map_err(|e| CliError::Endpoint(format!("l1: {e}")))?
        .map_or(0, |b| b.header.number)
    };
    let (keys, key, out) = (
        required(&flags, "keys-service")?,
        signing_key(&flags)?,
        PathBuf::from(required(&flags, "out")?),
    );
    let watch = one(&flags, "watch").map(|v| number("watch", &v)).transpose()?;
    loop {
        let files = staking_cli::guardian::attest(&l1, &a.protocol, from, &keys, &key, &out).await;
        match (files, watch) {
            (Ok(files), _) => {
                for f in &files {
                    println!("guardian: wrote {}", f.display());
                }
                if files.is_empty() {
                    println!("guardian: no batch pending in the vault");
                }
            }
            (Err(e), Some(_)) => eprintln!("guardian: {e}"),
            (Err(e), None) => return Err(e),
        }
        let Some(seconds) = watch else { return Ok(()) };
        tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
    }
}

async fn depositor(args: &[String]) -> Result<(), CliError> {
    let (positional, flags) = split(args)?;
    let a = actor(&flags)?;
    let keys_url = required(&flags, "keys-service")?;
    let watch = one(&flags, "watch").map(|v| number("watch", &v)).transpose()?;
    let l2_side = match positional.first().map(String::as_str) {
        Some("deposit") => true,
        Some("deposit-batches") => false,
        _ => return Err(CliError::Usage("lsctl depositor deposit | deposit-batches".into())),
    };
    let (label, chain_id) =
        if l2_side { ("l2", a.protocol.l2_chain_id) } else { ("l1", a.protocol.l1_chain_id) };
    let chain = signer(&flags, label, chain_id).await?;
    let mut journal = actor_journal(&a.manifest, chain.from)?;
    chain.resume_pending(&mut journal).await?;
    let max = one(&flags, "max").map(|v| number("max", &v)).transpose()?.unwrap_or(10);
    let dir = one(&flags, "signatures").map(PathBuf::from);
    loop {
        let outcome = if l2_side {
            staking_cli::depositor::deposit(&chain, &mut journal, &a.protocol, &keys_url, max)
                .await
                .map(|n| format!("{n} keys deposited"))
        } else {
            let dir = dir
                .clone()
                .ok_or_else(|| CliError::Usage("--signatures DIR is required".into()))?;
            staking_cli::depositor::deposit_batches(
                &chain,
                &mut journal,
                &a.protocol,
                &keys_url,
                &dir,
            )
            .await
            .map(|done| format!("{} vault batches deposited or cancelled", done.len()))
        };
        match (outcome, watch) {
            (Ok(line), _) => println!("depositor: {line}"),
            (Err(e), Some(_)) => eprintln!("depositor: {e}"),
            (Err(e), None) => return Err(e),
        }
        let Some(seconds) = watch else { return Ok(()) };
        tokio::time::sleep(std::time::Duration::from_secs(seconds)).await;
    }
}

async fn keeper_ether(args: &[String]) -> Result<(), CliError> {
    let all = has(args, "--all");
    let rest: Vec<String> = args[1..].iter().filter(|a| *a != "--all").cloned().collect();
    let (_, flags) = split(&rest)?;
    let a = actor(&flags)?;
    if args[0] == "bridge" {
        let l1 = signer(&flags, "l1", a.protocol.l1_chain_id).await?;
        let mut journal = actor_journal(&a.manifest, l1.from)?;
        l1.resume_pending(&mut journal).await?;
        staking_cli::keeper::bridge(&l1, &mut journal, a.protocol.vault).await?;
    } else {
        let l2 = signer(&flags, "l2", a.protocol.l2_chain_id).await?;
        let mut journal = actor_journal(&a.manifest, l2.from)?;
        l2.resume_pending(&mut journal).await?;
        let mine = [stylus_vm::arbos::aliasing::apply_l1_to_l2_alias(a.protocol.vault)];
        let done = staking_cli::keeper::redeem(
            &l2,
            &mut journal,
            if all { &[] } else { &mine },
            a.protocol.l2_from_block,
        )
        .await?;
        println!("keeper: {} tickets redeemed", done.len());
    }
    Ok(())
}

async fn user(args: &[String]) -> Result<(), CliError> {
    use alloy_sol_types::SolCall;
    use staking_cli::abi::{IStakingPool as P, IWithdrawalQueue as Q};
    let (positional, flags) = split(args)?;
    let a = actor(&flags)?;
    let l2 = signer(&flags, "l2", a.protocol.l2_chain_id).await?;
    let Some(mut journal) = fresh_journal(&a.manifest, &l2).await? else { return Ok(()) };
    let n = journal.manifest.steps.len() + 1;
    let p = &a.protocol;
    let (name, call) = match (positional.first().map(String::as_str), positional.get(1)) {
        (Some("stake"), Some(amount)) => {
            let value = ether("stake", amount)?;
            let data = P::depositCall { referral: Address::ZERO }.abi_encode();
            (
                format!("stake {amount} ether #{n}"),
                staking_cli::chain::Call { to: Some(p.pool), value, data },
            )
        }
        (Some("request-withdrawal"), Some(amount)) => {
            let value = ether("request-withdrawal", amount)?;
            let allowance = staking_cli::protocol::view(
                &l2.provider,
                p.pool,
                &P::allowanceCall { owner: l2.from, spender: p.queue },
                None,
            )
            .await?
            ._0;
            if allowance < value {
                let data = P::approveCall { spender: p.queue, amount: value }.abi_encode();
                let approve =
                    staking_cli::chain::Call { to: Some(p.pool), value: U256::ZERO, data };
                l2.send(
                    &mut journal,
                    &format!("approve the queue for {amount} ether #{n}"),
                    approve,
                )
                .await?;
            }
            let data =
                Q::requestWithdrawalsCall { amounts: vec![value], owner: l2.from }.abi_encode();
            (
                format!("request a withdrawal of {amount} ether #{n}"),
                staking_cli::chain::Call { to: Some(p.queue), value: U256::ZERO, data },
            )
        }
        (Some("claim"), None) => {
            let view = |c| staking_cli::protocol::view(&l2.provider, p.queue, c, None);
            let ids = view(&Q::getWithdrawalRequestsCall { owner: l2.from }).await?.requestIds;
            let statuses = staking_cli::protocol::view(
                &l2.provider,
                p.queue,
                &Q::getWithdrawalStatusCall { requestIds: ids.clone() },
                None,
            )
            .await?
            .statuses;
            let ready: Vec<U256> = ids
                .iter()
                .zip(&statuses)
                .filter(|(_, s)| s.isFinalized && !s.isClaimed)
                .map(|(id, _)| *id)
                .collect();
            if ready.is_empty() {
                println!(
                    "user {}: no finalized request to claim ({} requests)",
                    l2.from,
                    ids.len()
                );
                return Ok(());
            }
            let last = staking_cli::protocol::view(
                &l2.provider,
                p.queue,
                &Q::getLastCheckpointIndexCall {},
                None,
            )
            .await?
            ._0;
            let hints = staking_cli::protocol::view(
                &l2.provider,
                p.queue,
                &Q::findCheckpointHintsCall {
                    requestIds: ready.clone(),
                    firstIndex: U256::from(1),
                    lastIndex: last,
                },
                None,
            )
            .await?
            .hintIds;
            let data = Q::claimWithdrawalsCall { requestIds: ready.clone(), hints }.abi_encode();
            (
                format!("claim requests {ready:?} #{n}"),
                staking_cli::chain::Call { to: Some(p.queue), value: U256::ZERO, data },
            )
        }
        _ => {
            return Err(CliError::Usage(
                "lsctl user stake ETHER | request-withdrawal ETHER | claim".into(),
            ))
        }
    };
    l2.send(&mut journal, &name, call).await?;
    Ok(())
}

async fn claim_rewards(args: &[String]) -> Result<(), CliError> {
    use alloy_sol_types::SolCall;
    let (_, flags) = split(args)?;
    let a = actor(&flags)?;
    let l2 = signer(&flags, "l2", a.protocol.l2_chain_id).await?;
    let Some(mut journal) = fresh_journal(&a.manifest, &l2).await? else { return Ok(()) };
    let id = number("operator-id", &required(&flags, "operator-id")?)?;
    let owed = staking_cli::protocol::view(
        &l2.provider,
        a.protocol.registry,
        &staking_cli::abi::INodeOperatorRegistry::getRewardsCall { operatorId: U256::from(id) },
        None,
    )
    .await?
    ._0;
    if owed.is_zero() {
        println!("operator {id}: no rewards to claim");
        return Ok(());
    }
    let data =
        staking_cli::abi::INodeOperatorRegistry::claimRewardsCall { operatorId: U256::from(id) }
            .abi_encode();
    let n = journal.manifest.steps.len() + 1;
    let call = staking_cli::chain::Call { to: Some(a.protocol.registry), value: U256::ZERO, data };
    l2.send(&mut journal, &format!("claim operator {id}'s {owed} reward shares #{n}"), call)
        .await?;
    Ok(())
}

async fn publish_keys(args: &[String]) -> Result<(), CliError> {
    let (positional, flags) = split(args)?;
    let file = positional
        .first()
        .ok_or_else(|| CliError::Usage("lsctl operator publish-keys FILE".into()))?;
    let body = std::fs::read(file).map_err(|e| CliError::Usage(format!("{file}: {e}")))?;
    let id = number("operator-id", &required(&flags, "operator-id")?)?;
    let base = required(&flags, "keys-service")?;
    let url = match one(&flags, "batch") {
        Some(b) => format!(
            "{}/v1/operators/{id}/batches/{}",
            base.trim_end_matches('/'),
            number("batch", &b)?
        ),
        None => format!("{}/v1/operators/{id}/keys", base.trim_end_matches('/')),
    };
    let r = reqwest::Client::new()
        .post(&url)
        .body(body)
        .send()
        .await
        .map_err(|e| CliError::Endpoint(format!("keys service {url}: {e}")))?;
    let ok = r.status().is_success();
    let text = r.text().await.unwrap_or_default();
    if !ok {
        return Err(CliError::Check(format!("the keys service refused the file: {text}")));
    }
    let batch = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v["batch"].as_u64())
        .unwrap_or_default();
    println!("{file}: published as operator {id}'s batch {batch}");
    Ok(())
}

async fn status(args: &[String]) -> Result<(), CliError> {
    use l1_vault::StakingVault as V;
    use staking_cli::{
        abi::{INodeOperatorRegistry as R, IStakingPool as P, IWithdrawalQueue as Q},
        protocol::{balance, reader, view},
    };
    let (_, flags) = split(args)?;
    let a = actor(&flags)?;
    let p = a.protocol;
    let l2 = reader("l2", &required(&flags, "l2")?)?;
    let l1 = reader("l1", &required(&flags, "l1")?)?;
    let eth = |w: U256| alloy_primitives::utils::format_ether(w);
    let pooled = view(&l2, p.pool, &P::getTotalPooledEtherCall {}, None).await?._0;
    let shares = view(&l2, p.pool, &P::getTotalSharesCall {}, None).await?._0;
    let rate = view(&l2, p.pool, &P::shareRateCall {}, None).await?._0;
    let buffered = view(&l2, p.pool, &P::getBufferedEtherCall {}, None).await?._0;
    let b = view(&l2, p.pool, &P::getBeaconStatCall {}, None).await?;
    println!(
        "pool: {} ether pooled, {} shares, share rate {rate} (1e27 = 1), {} ether buffered",
        eth(pooled),
        shares,
        eth(buffered)
    );
    println!(
        "validators: {} deposited, {} seen on the consensus layer with {} ether",
        b._0,
        b._1,
        eth(b._2)
    );
    let free = view(&l1, p.vault, &V::freeBalanceCall {}, None).await?._0;
    let pending = view(&l1, p.vault, &V::pendingEtherCall {}, None).await?._0;
    let bridged = view(&l1, p.vault, &V::bridgedToL2Call {}, None).await?._0;
    let batches = view(&l1, p.vault, &V::batchCountCall {}, None).await?._0;
    println!("L1 vault: {batches} batches received, {} ether pending, {} ether free, {} ether bridged to L2 in all", eth(U256::from(pending)), eth(free), eth(U256::from(bridged)));
    let last = view(&l2, p.queue, &Q::getLastRequestIdCall {}, None).await?._0;
    let finalized = view(&l2, p.queue, &Q::getLastFinalizedRequestIdCall {}, None).await?._0;
    let locked = view(&l2, p.queue, &Q::getLockedEtherAmountCall {}, None).await?._0;
    println!(
        "queue: {last} requests, {finalized} finalized, {} ether locked for claims",
        eth(locked)
    );
    let operators = view(&l2, p.registry, &R::getOperatorsCountCall {}, None).await?._0;
    for id in 1..=operators.saturating_to::<u64>() {
        let rewards =
            view(&l2, p.registry, &R::getRewardsCall { operatorId: U256::from(id) }, None)
                .await?
                ._0;
        let o =
            view(&l2, p.registry, &R::getOperatorCall { operatorId: U256::from(id) }, None).await?;
        println!(
            "operator {id}: {} keys submitted, {} vetted, {} deposited, {} reward shares unclaimed",
            o.submitted, o.vetted, o.deposited, rewards
        );
    }
    for (_, v) in flags.iter().filter(|(n, _)| n == "account") {
        let who = address("account", v)?;
        let token = view(&l2, p.pool, &P::balanceOfCall { account: who }, None).await?._0;
        let held = balance(&l2, who, None).await?;
        println!("account {who}: {} ether, {} of the receipt token", eth(held), eth(token));
    }
    Ok(())
}

async fn devnet_up(args: &[String]) -> Result<(), CliError> {
    let deploy_too = has(args, "--deploy");
    let rest: Vec<String> = args.iter().filter(|a| *a != "--deploy").cloned().collect();
    let (_, flags) = split(&rest)?;
    let mut config = devnet::Config::default();
    for (name, value) in &flags {
        let port = || -> Result<u16, CliError> {
            value.parse().map_err(|_| CliError::Usage(format!("--{name}: {value} is not a port")))
        };
        match name.as_str() {
            "l2-port" => config.l2_port = port()?,
            "l1-port" => config.l1_port = port()?,
            "beacon-port" => config.beacon_port = port()?,
            "accounts" => {
                config.accounts = usize::try_from(number(name, value)?).unwrap_or(10).max(10);
            }
            "manifest" => {}
            other => return Err(CliError::Usage(format!("unknown flag --{other}"))),
        }
    }
    let net = devnet::Devnet::start(&config)
        .map_err(|e| CliError::Endpoint(format!("the devnet does not start: {e}")))?;
    println!("L2 (Arbitrum, Stylus) chain {}: {}", config.l2_chain_id, net.l2_url());
    println!("L1 (Ethereum)         chain {}: {}", config.l1_chain_id, net.l1_url());
    println!("Beacon API (L1's validators):   {}", net.beacon_url());
    println!("dev accounts (funded on both chains; public keys, never use them elsewhere):");
    for (i, account) in net.accounts().iter().enumerate() {
        println!("  {i:>2} {} {}", account.address, account.key);
    }
    if deploy_too {
        let manifest = PathBuf::from(
            one(&flags, "manifest").unwrap_or_else(|| "deployments/devnet.json".into()),
        );
        let a = |i: usize| devnet::dev_account(i).address;
        let mut deploy_config = DeployConfig {
            network: "devnet".into(),
            key: devnet::dev_account(0).key.to_string(),
            l2_chain_id: Some(config.l2_chain_id),
            l1_chain_id: Some(config.l1_chain_id),
            manifest: manifest.clone(),
            safe_owners: vec![a(1), a(2), a(3)],
            safe_threshold: 2,
            guardians: vec![a(1), a(2), a(3)],
            guardian_quorum: 2,
            oracle_members: vec![a(5), a(6), a(7)],
            oracle_quorum: 2,
            treasury: Some(a(8)),
            stake_limit: (ether("", "150000")?, ether("", "20.833333333333333333")?),
            ..DeployConfig::for_endpoints(&net.l2_url(), &net.l1_url())
        };
        staking_cli::deploy::fill_from_devnet(&mut deploy_config).await?;
        let done = deploy(deploy_config).await?;
        println!("deployed: {} transactions; manifest {}", done.sent, manifest.display());
        for (name, address) in &done.manifest.contracts {
            println!("  {name:<36} {address}");
        }
    }
    println!("ready");
    tokio::signal::ctrl_c().await.map_err(|e| CliError::Usage(format!("signals: {e}")))?;
    println!("stopping");
    net.stop();
    println!("stopped");
    Ok(())
}
