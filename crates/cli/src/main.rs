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
        [--fork-version HEX] [--batch-size N]
  Checks every key of a deposit CLI file (the vault's credentials, 32 ether, the SSZ roots,
  the BLS signature) and commits them to the registry in batches, from the operator's address.

lsctl keeper execute-sends --journal PATH --l2 URL --l1 URL --key HEX [--outbox ADDRESS]
        [--to ADDRESS ...] [--watch SECONDS]
  Executes every confirmed L2-to-L1 send on the Outbox (anyone may); lists the ones waiting
  for the challenge period. --watch repeats every SECONDS until interrupted.

lsctl operator devnet-keys COUNT --manifest PATH --out FILE [--seed TEXT] [--fork-version HEX]
  Writes a deposit data file of COUNT deterministic keys for the deployment's vault. Devnet
  only: anyone who knows the seed has the keys.

lsctl safe exec BATCH --manifest PATH --l2 URL --key HEX --owner-key HEX [--owner-key HEX ...]
  Executes a batch through the governance Safe, signed by the owners' keys, sent by --key.
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
    let (positional, flags) = split(args)?;
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
    for (i, chunk) in keys.chunks(usize::try_from(batch_size).unwrap_or(50)).enumerate() {
        let call = staking_cli::abi::INodeOperatorRegistry::commitKeysCall {
            operatorId: U256::from(operator),
            pubkeys: chunk.iter().flat_map(|k| k.pubkey).collect::<Vec<u8>>().into(),
            signatures: chunk.iter().flat_map(|k| k.signature).collect::<Vec<u8>>().into(),
        };
        let chunk_id =
            alloy_primitives::keccak256(chunk.iter().flat_map(|k| k.pubkey).collect::<Vec<u8>>());
        let step = format!("commit keys of operator {operator}: {chunk_id} (file {id}, batch {i})");
        let call = staking_cli::chain::Call {
            to: Some(registry),
            value: U256::ZERO,
            data: call.abi_encode(),
        };
        chain.send(&mut journal, &step, call).await?;
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
