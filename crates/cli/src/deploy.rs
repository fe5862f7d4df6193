//! `lsctl deploy`: the whole suite over JSON-RPC, in dependency order, resumable.
//!
//! ## Order
//!
//! 1. **L2, governance:** unless `--governance` names an existing account, a Safe
//!    (`SafeL2` 1.5.0 singleton, its proxy factory and fallback handler, compiled from npm by
//!    `scripts/evm-build`) with the owners and threshold given.
//! 2. **L2, programs** through the StylusDeployer (one transaction each: the program's code,
//!    its activation, its constructor), at CREATE2 addresses salted with
//!    `keccak256("liquid-staking-stylus/<network>/<name>")`:
//!    - the AccessManager (admin: the deployer, for the time of the deployment);
//!    - the pool's extension, permit program and core (with the 0.001 ether bootstrap
//!      deposit and the stake limit);
//!    - the queue's extension and core;
//!    - the oracle's extension and core (its first frame at the next epoch);
//!    - the wrapped token.
//! 3. **L1:** the vault, naming the pool and the governance on L2, the guardians and their
//!    quorum, 0x01 withdrawal credentials.
//! 4. **L2:** the registry (its constructor checks the vault's credentials).
//! 5. **L2, wiring** as the deployer, which first grants itself every role:
//!    - the pool's queue, registry, vault, oracle and wrapped token;
//!    - the oracle's pool and registry, and `EXITED_REPORTER_ROLE` for it;
//!    - the fee split (10% of rewards, half to the operators, Lido's);
//!    - the committee's members and quorum, and the registry's guardians;
//!    - `UPGRADE_DELAY` on every `upgradeExtension` and on the pool's `setPermitProgram`.
//! 6. **Handover:** every role (`staking_common::roles::ALL`) is granted to the governance;
//!    then the deployer renounces each, `DEFAULT_ADMIN_ROLE` last. The deployer ends with
//!    no role.
//!
//! ## Resuming
//!
//! Each step has a name and is recorded in the manifest once mined (`crate::manifest`).
//! A rerun skips the steps recorded. A program whose CREATE2 address already has code is
//! recorded without a transaction. A transaction in flight is waited for, or sent again with
//! the same bytes (`crate::chain`). So a rerun never deploys what exists and never sends a step
//! twice.

use std::path::PathBuf;

use alloy_primitives::{keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolEvent};
use staking_common::roles;
use stylus_vm::deployer;

use crate::{
    abi::{
        AccessManagerDeployment, AccountingOracleDeployment, IAccessManager, IAccountingOracle,
        INodeOperatorRegistry, ISafe, ISafeProxyFactory, IStakingPool,
        NodeOperatorRegistryDeployment, StakingPoolDeployment, WithdrawalQueueDeployment,
        WrappedTokenDeployment,
    },
    chain::{Call, Chain},
    manifest::ManifestFile,
    CliError,
};

/// What the StylusDeployer is sent besides a constructor's value, for the activation's data
/// fee (it refunds the rest).
pub const ACTIVATION_BUDGET: U256 = U256::from_limbs([10_000_000_000_000_000, 0, 0, 0]);
/// The pool's bootstrap deposit (its dead shares: DESIGN.md, "Arithmetic").
pub const BOOTSTRAP: U256 = U256::from_limbs([1_000_000_000_000_000, 0, 0, 0]);

/// The beacon chain the oracle's frames follow.
#[derive(Clone, Copy, Debug)]
pub struct BeaconSpec {
    /// Genesis time (mainnet's by default).
    pub genesis_time: u64,
    /// Seconds per slot.
    pub seconds_per_slot: u64,
    /// Slots per epoch.
    pub slots_per_epoch: u64,
    /// Epochs per frame (225: one day).
    pub epochs_per_frame: u64,
    /// The fast lane's length in slots.
    pub fast_lane_slots: u64,
}

impl Default for BeaconSpec {
    fn default() -> Self {
        Self {
            genesis_time: 1_606_824_023,
            seconds_per_slot: 12,
            slots_per_epoch: 32,
            epochs_per_frame: 225,
            fast_lane_slots: 0,
        }
    }
}

/// Everything a deployment needs.
#[derive(Clone, Debug)]
pub struct DeployConfig {
    /// The network's name (the manifest's, and part of every salt).
    pub network: String,
    /// L2's endpoint.
    pub l2_url: String,
    /// L1's endpoint.
    pub l1_url: String,
    /// The deployer's private key (the same account on both chains).
    pub key: String,
    /// The chain ids expected, when given.
    pub l2_chain_id: Option<u64>,
    /// L1's.
    pub l1_chain_id: Option<u64>,
    /// The manifest's path.
    pub manifest: PathBuf,
    /// Where `scripts/build` wrote the programs.
    pub wasm_dir: PathBuf,
    /// Where `scripts/evm-build` wrote the Solidity artifacts (the vault, the Safe).
    pub evm_dir: PathBuf,
    /// An existing governance account; `None` deploys a Safe with `safe_owners`.
    pub governance: Option<Address>,
    /// The Safe's owners.
    pub safe_owners: Vec<Address>,
    /// Its threshold.
    pub safe_threshold: u64,
    /// The deposit guardians (the vault's and the registry's).
    pub guardians: Vec<Address>,
    /// How many of them a deposit needs.
    pub guardian_quorum: u64,
    /// The oracle committee.
    pub oracle_members: Vec<Address>,
    /// Its quorum.
    pub oracle_quorum: u64,
    /// The fee recipient (the governance when `None`).
    pub treasury: Option<Address>,
    /// Arbitrum's Bridge on L1.
    pub l1_bridge: Address,
    /// Arbitrum's Inbox on L1.
    pub l1_inbox: Address,
    /// The beacon deposit contract on L1.
    pub deposit_contract: Address,
    /// Arbitrum's Outbox on L1 (the keeper's; a devnet tells it).
    pub l1_outbox: Address,
    /// The stake limit's maximum and its growth per block (wei).
    pub stake_limit: (U256, U256),
    /// The beacon chain's timing.
    pub beacon: BeaconSpec,
    /// Stop after this many new transactions (to show that a rerun resumes).
    pub stop_after: Option<usize>,
}

impl DeployConfig {
    /// A configuration with only the endpoints set (what reading a devnet's addresses needs).
    pub fn for_endpoints(l2_url: &str, l1_url: &str) -> Self {
        Self {
            network: String::new(),
            l2_url: l2_url.into(),
            l1_url: l1_url.into(),
            key: String::new(),
            l2_chain_id: None,
            l1_chain_id: None,
            manifest: PathBuf::new(),
            wasm_dir: PathBuf::from("artifacts/wasm"),
            evm_dir: PathBuf::from("artifacts/evm"),
            governance: None,
            safe_owners: Vec::new(),
            safe_threshold: 0,
            guardians: Vec::new(),
            guardian_quorum: 0,
            oracle_members: Vec::new(),
            oracle_quorum: 0,
            treasury: None,
            l1_bridge: Address::ZERO,
            l1_inbox: Address::ZERO,
            deposit_contract: Address::ZERO,
            l1_outbox: Address::ZERO,
            stake_limit: (U256::ZERO, U256::ZERO),
            beacon: BeaconSpec::default(),
            stop_after: None,
        }
    }
}

/// The deployment's outcome.
#[derive(Clone, Debug)]
pub struct Deployed {
    /// The manifest as written.
    pub manifest: crate::manifest::Manifest,
    /// Transactions this run sent.
    pub sent: usize,
    /// Whether every step is done.
    pub complete: bool,
}

struct Run {
    l2: Chain,
    l1: Chain,
    file: ManifestFile,
    config: DeployConfig,
    sent: usize,
}

/// A stop requested by `stop_after`, not an error.
struct Stop;

impl Run {
    fn set_contract(&mut self, name: &str, address: Address) -> Result<(), CliError> {
        self.file.manifest.contracts.insert(name.to_string(), address);
        self.file.save()
    }

    /// Sends one step on `which` chain unless done; counts it against `stop_after`.
    async fn step(
        &mut self,
        on_l1: bool,
        name: &str,
        call: Call,
    ) -> Result<Result<crate::chain::Sent, Stop>, CliError> {
        if self.file.done(name).is_none() && self.config.stop_after.is_some_and(|n| self.sent >= n)
        {
            return Ok(Err(Stop));
        }
        let chain = if on_l1 { &self.l1 } else { &self.l2 };
        let sent = chain.send(&mut self.file, name, call).await?;
        if sent.receipt.is_some() {
            self.sent += 1;
        }
        Ok(Ok(sent))
    }

    fn wasm(&self, program: &str) -> Result<Vec<u8>, CliError> {
        let path = self.config.wasm_dir.join(format!("{program}.wasm"));
        std::fs::read(&path).map_err(|e| {
            CliError::Usage(format!(
                "{}: {e} (build the programs with scripts/build)",
                path.display()
            ))
        })
    }

    fn artifact(&self, name: &str) -> Result<(Vec<u8>, Vec<u8>), CliError> {
        let path = self.config.evm_dir.join(format!("{name}.json"));
        let text = std::fs::read(&path).map_err(|e| {
            CliError::Usage(format!("{}: {e} (build it with scripts/evm-build)", path.display()))
        })?;
        let json: serde_json::Value = serde_json::from_slice(&text)
            .map_err(|e| CliError::Usage(format!("{}: {e}", path.display())))?;
        let hex = |key: &str| {
            json[key]
                .as_str()
                .and_then(|s| alloy_primitives::hex::decode(s).ok())
                .ok_or_else(|| CliError::Usage(format!("{}: no {key}", path.display())))
        };
        Ok((hex("bytecode")?, hex("deployedBytecode")?))
    }

    /// A program through the StylusDeployer at its CREATE2 address (see the module docs).
    async fn program(
        &mut self,
        name: &str,
        wasm: &str,
        args: Option<Vec<u8>>,
        value: U256,
    ) -> Result<Result<Address, Stop>, CliError> {
        let code = deployer::init_code(&deployer::deployed_code(&self.wasm(wasm)?));
        let init_data = args.map(|a| deployer::constructor_data(&a)).unwrap_or_default();
        let salt = keccak256(format!("liquid-staking-stylus/{}/{name}", self.config.network));
        let at = deployer::create2_address(&code, &init_data, salt);
        let step = format!("deploy {name}");
        if self.file.done(&step).is_none() && !self.l2.code(at).await?.is_empty() {
            self.l2.found(&mut self.file, &step)?;
        } else {
            let call = Call {
                to: Some(deployer::ADDRESS),
                value: value + ACTIVATION_BUDGET,
                data: deployer::deploy_calldata(&code, &init_data, value, salt),
            };
            if let Err(stop) = self.step(false, &step, call).await? {
                return Ok(Err(stop));
            }
        }
        self.set_contract(name, at)?;
        Ok(Ok(at))
    }

    /// A call on L2 as the deployer.
    async fn l2_call<C: SolCall>(
        &mut self,
        name: &str,
        to: Address,
        call: &C,
    ) -> Result<Result<(), Stop>, CliError> {
        let call = Call { to: Some(to), value: U256::ZERO, data: call.abi_encode() };
        Ok(self.step(false, name, call).await?.map(|_| ()))
    }
}

macro_rules! go {
    ($e:expr) => {
        match $e.await? {
            Ok(v) => v,
            Err(Stop) => return Ok(None),
        }
    };
}

/// A hash of everything that decides the deployment's addresses and settings: the flags and
/// the bytes of every program and Solidity artifact it deploys.
fn inputs_hash(config: &DeployConfig) -> Result<B256, CliError> {
    use std::fmt::Write as _;
    let mut text = format!(
        "{}|{:?}|{:?}|{}|{:?}|{}|{:?}|{}|{:?}|{}|{}|{}|{:?}|{:?}",
        config.network,
        config.governance,
        config.safe_owners,
        config.safe_threshold,
        config.guardians,
        config.guardian_quorum,
        config.oracle_members,
        config.oracle_quorum,
        config.treasury,
        config.l1_bridge,
        config.l1_inbox,
        config.deposit_contract,
        config.stake_limit,
        (
            config.beacon.genesis_time,
            config.beacon.seconds_per_slot,
            config.beacon.slots_per_epoch,
            config.beacon.epochs_per_frame,
            config.beacon.fast_lane_slots
        ),
    );
    for program in PROGRAMS {
        let path = config.wasm_dir.join(format!("{program}.wasm"));
        let bytes = std::fs::read(&path).map_err(|e| {
            CliError::Usage(format!(
                "{}: {e} (build the programs with scripts/build)",
                path.display()
            ))
        })?;
        let _ = write!(text, "|{program}:{}", keccak256(bytes));
    }
    for artifact in ["StakingVault", "SafeL2", "SafeProxyFactory", "CompatibilityFallbackHandler"] {
        let path = config.evm_dir.join(format!("{artifact}.json"));
        let bytes = std::fs::read(&path).map_err(|e| {
            CliError::Usage(format!("{}: {e} (build it with scripts/evm-build)", path.display()))
        })?;
        let _ = write!(text, "|{artifact}:{}", keccak256(bytes));
    }
    Ok(keccak256(text))
}

/// The programs, in deployment order.
pub use staking_common::PROGRAMS;

/// Runs (or resumes) the deployment; see the module docs.
///
/// # Errors
///
/// A wrong endpoint, key or chain id, a manifest of another network or deployer, a missing
/// build artifact, or a step that fails (its transaction and the reason).
pub async fn deploy(config: DeployConfig) -> Result<Deployed, CliError> {
    let l2 = Chain::connect("l2", &config.l2_url, &config.key, config.l2_chain_id).await?;
    let l1 = Chain::connect("l1", &config.l1_url, &config.key, config.l1_chain_id).await?;
    let mut file = ManifestFile::open(&config.manifest)?;
    let m = &mut file.manifest;
    if m.network.is_empty() {
        m.network.clone_from(&config.network);
        m.l2_chain_id = l2.chain_id;
        m.l1_chain_id = l1.chain_id;
        m.deployer = l2.from;
    } else if m.network != config.network
        || m.l2_chain_id != l2.chain_id
        || m.l1_chain_id != l1.chain_id
        || m.deployer != l2.from
    {
        return Err(CliError::Manifest(format!(
            "{} belongs to network {} (chains {}/{}, deployer {}), not this one ({}, chains {}/{}, deployer {})",
            config.manifest.display(), m.network, m.l2_chain_id, m.l1_chain_id, m.deployer,
            config.network, l2.chain_id, l1.chain_id, l2.from
        )));
    }
    let inputs = inputs_hash(&config)?;
    match file.manifest.inputs {
        Some(recorded) if recorded != inputs => {
            return Err(CliError::Manifest(format!(
                "{} was started with other inputs (flags, programs or artifacts differ), which would put contracts at other addresses: rerun with the first run's, or deploy anew under another manifest",
                config.manifest.display()
            )))
        }
        _ => file.manifest.inputs = Some(inputs),
    }
    file.save()?;
    // What the manifest records must exist on these chains (a devnet restarted since has
    // none of it).
    for (name, address) in file.manifest.contracts.clone() {
        let chain = if name == "l1-vault" { &l1 } else { &l2 };
        let external = name == "governance" && config.governance.is_some();
        if !external && chain.code(address).await?.is_empty() {
            return Err(CliError::Manifest(format!(
                "{} records {name} at {address}, which has no code on this chain (a restarted devnet?): deploy anew under another manifest",
                config.manifest.display()
            )));
        }
    }
    // A transaction a previous run left in flight.
    l2.resume_pending(&mut file).await?;
    l1.resume_pending(&mut file).await?;
    let mut run = Run { l2, l1, file, config, sent: 0 };
    let complete = steps(&mut run).await?.is_some();
    run.file.manifest.complete = complete;
    run.file.save()?;
    Ok(Deployed { manifest: run.file.manifest.clone(), sent: run.sent, complete })
}

async fn steps(run: &mut Run) -> Result<Option<()>, CliError> {
    let me = run.l2.from;

    // 1. Governance.
    let governance = match run.config.governance {
        Some(governance) => governance,
        None => go!(safe(run)),
    };
    run.file.manifest.governance = Some(governance);
    run.set_contract("governance", governance)?;

    // 2. Programs.
    let args = AccessManagerDeployment::constructorCall { admin: me }.abi_encode();
    let manager = go!(run.program("access-manager", "access-manager", Some(args), U256::ZERO));
    let pool_extension =
        go!(run.program("staking-pool-extension", "staking-pool-extension", None, U256::ZERO));
    let permit = go!(run.program("staking-pool-permit", "staking-pool-permit", None, U256::ZERO));
    let (max, per_block) = run.config.stake_limit;
    let args = StakingPoolDeployment::constructorCall {
        accessManager: manager,
        extension: pool_extension,
        maxStakeLimit: max,
        stakeLimitIncreasePerBlock: per_block,
        permitProgram: permit,
    }
    .abi_encode();
    let pool = go!(run.program("staking-pool", "staking-pool", Some(args), BOOTSTRAP));
    let queue_extension = go!(run.program(
        "withdrawal-queue-extension",
        "withdrawal-queue-extension",
        None,
        U256::ZERO
    ));
    let args = WithdrawalQueueDeployment::constructorCall {
        pool,
        accessManager: manager,
        extension: queue_extension,
    }
    .abi_encode();
    let queue = go!(run.program("withdrawal-queue", "withdrawal-queue", Some(args), U256::ZERO));
    let oracle_extension = go!(run.program(
        "accounting-oracle-extension",
        "accounting-oracle-extension",
        None,
        U256::ZERO
    ));
    let b = run.config.beacon;
    // The first frame starts at the next epoch (fixed once deployed: the salt covers the
    // arguments, so a resumed run must compute the same epoch; it is kept in the manifest).
    let epoch = if let Some(epoch) = run.file.manifest.parameters.get("oracleInitialEpoch") {
        *epoch
    } else {
        let now = latest_timestamp(&run.l2).await?;
        let epoch = now.saturating_sub(b.genesis_time) / b.seconds_per_slot / b.slots_per_epoch + 1;
        run.file.manifest.parameters.insert("oracleInitialEpoch".into(), epoch);
        run.file.save()?;
        epoch
    };
    let u = U256::from;
    let args = AccountingOracleDeployment::constructorCall {
        accessManager: manager,
        extension: oracle_extension,
        genesisTime: u(b.genesis_time),
        secondsPerSlot: u(b.seconds_per_slot),
        slotsPerEpoch: u(b.slots_per_epoch),
        initialEpoch: u(epoch),
        epochsPerFrame: u(b.epochs_per_frame),
        fastLaneLengthSlots: u(b.fast_lane_slots),
        consensusVersion: u(1),
    }
    .abi_encode();
    let oracle = go!(run.program("accounting-oracle", "accounting-oracle", Some(args), U256::ZERO));
    let args = WrappedTokenDeployment::constructorCall { pool }.abi_encode();
    let wrapped = go!(run.program("wrapped-token", "wrapped-token", Some(args), U256::ZERO));

    // 3. The vault on L1.
    let vault = if let Some(vault) = run.file.manifest.contracts.get("l1-vault") {
        *vault
    } else {
        let (init, _) = run.artifact("StakingVault")?;
        let args = l1_vault::StakingVault::constructorCall {
            bridge: run.config.l1_bridge,
            inbox: run.config.l1_inbox,
            depositContract: run.config.deposit_contract,
            l2Pool: pool,
            l2Governance: governance,
            guardians: run.config.guardians.clone(),
            initialQuorum: U256::from(run.config.guardian_quorum),
            compounding: false,
            initialBridgeParams: l1_vault::default_bridge_params(),
        }
        .abi_encode();
        let call = Call { to: None, value: U256::ZERO, data: [init, args].concat() };
        let sent = go!(run.step(true, "deploy l1-vault", call));
        let receipt = run.l1.receipt_of(&sent).await?;
        let Some(vault) = receipt.contract_address else {
            return Err(CliError::Manifest(format!(
                "the vault's creation {} has no contract address in its receipt",
                sent.record.tx
            )));
        };
        run.set_contract("l1-vault", vault)?;
        vault
    };
    let credentials = B256::from(l1_vault::withdrawal_credentials(vault, false));

    // 4. The registry.
    let registry_extension = go!(run.program(
        "node-operator-registry-extension",
        "node-operator-registry-extension",
        None,
        U256::ZERO
    ));
    let args = NodeOperatorRegistryDeployment::constructorCall {
        pool,
        withdrawalCredentials: credentials,
        accessManager: manager,
        extension: registry_extension,
    }
    .abi_encode();
    let registry = go!(run.program(
        "node-operator-registry",
        "node-operator-registry",
        Some(args),
        U256::ZERO
    ));

    // 5. Wiring, as the deployer with every role.
    for role in roles::ALL.iter().skip(1) {
        let call = IAccessManager::grantRoleCall { role: *role, account: me };
        go!(run.l2_call(&format!("grant {} to the deployer", role_name(*role)), manager, &call));
    }
    let call = IStakingPool::setProtocolContractsCall {
        withdrawalQueue: queue,
        nodeOperatorRegistry: registry,
    };
    go!(run.l2_call("pool: queue and registry", pool, &call));
    go!(run.l2_call("pool: L1 vault", pool, &IStakingPool::setL1VaultCall { vault }));
    go!(run.l2_call("pool: oracle", pool, &IStakingPool::setOracleCall { oracle }));
    go!(run.l2_call(
        "pool: wrapped token",
        pool,
        &IStakingPool::setWrappedTokenCall { token: wrapped }
    ));
    let treasury = run.config.treasury.unwrap_or(governance);
    let call = IStakingPool::setFeeConfigCall {
        treasury,
        totalFeeBP: U256::from(1_000),
        operatorsFeeBP: U256::from(500),
    };
    go!(run.l2_call("pool: fees", pool, &call));
    let call = IAccountingOracle::setProtocolContractsCall { pool, registry };
    go!(run.l2_call("oracle: pool and registry", oracle, &call));
    let call = IAccessManager::grantRoleCall { role: roles::EXITED_REPORTER_ROLE, account: oracle };
    go!(run.l2_call("grant EXITED_REPORTER_ROLE to the oracle", manager, &call));
    let members = run.config.oracle_members.clone();
    for (i, member) in members.iter().enumerate() {
        // The quorum must exceed half the members at every step.
        let members = i as u64 + 1;
        let quorum = run.config.oracle_quorum.max(members / 2 + 1).min(members);
        let call = IAccountingOracle::addMemberCall { addr: *member, quorum: U256::from(quorum) };
        go!(run.l2_call(&format!("oracle: member {member}"), oracle, &call));
    }
    for guardian in run.config.guardians.clone() {
        let call = INodeOperatorRegistry::addGuardianCall { guardian };
        go!(run.l2_call(&format!("registry: guardian {guardian}"), registry, &call));
    }
    let delay = staking_common::upgrade::UPGRADE_DELAY;
    for (label, core) in
        [("pool", pool), ("queue", queue), ("registry", registry), ("oracle", oracle)]
    {
        let call = IAccessManager::setTargetFunctionDelayCall {
            target: core,
            selector: staking_common::upgrade::UPGRADE_EXTENSION_SELECTOR.into(),
            delay,
        };
        go!(run.l2_call(&format!("delay {label}.upgradeExtension"), manager, &call));
    }
    let call = IAccessManager::setTargetFunctionDelayCall {
        target: pool,
        selector: IStakingPool::setPermitProgramCall::SELECTOR.into(),
        delay,
    };
    go!(run.l2_call("delay pool.setPermitProgram", manager, &call));

    // 6. Handover.
    for role in roles::ALL {
        let call = IAccessManager::grantRoleCall { role, account: governance };
        go!(run.l2_call(&format!("grant {} to the governance", role_name(role)), manager, &call));
    }
    for role in roles::ALL.iter().rev() {
        let call = IAccessManager::renounceRoleCall { role: *role, callerConfirmation: me };
        go!(run.l2_call(&format!("renounce {}", role_name(*role)), manager, &call));
    }
    Ok(Some(()))
}

/// The role named `name` (`PAUSE_ROLE`, or `PAUSE` for short).
pub fn role_by_name(name: &str) -> Option<B256> {
    let upper = name.to_ascii_uppercase();
    let full = if upper.ends_with("_ROLE") { upper } else { format!("{upper}_ROLE") };
    staking_common::roles::ALL.into_iter().find(|r| role_name(*r) == full)
}

/// A role's name (`staking_common::roles`), for the log and the manifest.
pub fn role_name(role: B256) -> &'static str {
    use staking_common::roles::{
        DEFAULT_ADMIN_ROLE, DEPOSIT_ROLE, DEPOSIT_SECURITY_ROLE, DISABLE_CONSENSUS_ROLE,
        EXITED_REPORTER_ROLE, FORCED_EXIT_ROLE, GUARDIAN_ROLE, MANAGE_CONSENSUS_VERSION_ROLE,
        MANAGE_FRAME_CONFIG_ROLE, MANAGE_MEMBERS_AND_QUORUM_ROLE, OPERATOR_LIMITS_ROLE,
        OPERATOR_MANAGER_ROLE, PAUSE_ROLE, PROTOCOL_FEE_ROLE, RESUME_ROLE, SANITY_LIMITS_ROLE,
        STAKING_CONTROL_ROLE, SUBMIT_DATA_ROLE, UPGRADE_ROLE, WITHDRAWAL_CONFIG_ROLE,
    };
    const NAMES: [(B256, &str); 20] = [
        (DEFAULT_ADMIN_ROLE, "DEFAULT_ADMIN_ROLE"),
        (GUARDIAN_ROLE, "GUARDIAN_ROLE"),
        (PAUSE_ROLE, "PAUSE_ROLE"),
        (RESUME_ROLE, "RESUME_ROLE"),
        (STAKING_CONTROL_ROLE, "STAKING_CONTROL_ROLE"),
        (WITHDRAWAL_CONFIG_ROLE, "WITHDRAWAL_CONFIG_ROLE"),
        (DEPOSIT_ROLE, "DEPOSIT_ROLE"),
        (OPERATOR_MANAGER_ROLE, "OPERATOR_MANAGER_ROLE"),
        (OPERATOR_LIMITS_ROLE, "OPERATOR_LIMITS_ROLE"),
        (DEPOSIT_SECURITY_ROLE, "DEPOSIT_SECURITY_ROLE"),
        (EXITED_REPORTER_ROLE, "EXITED_REPORTER_ROLE"),
        (MANAGE_MEMBERS_AND_QUORUM_ROLE, "MANAGE_MEMBERS_AND_QUORUM_ROLE"),
        (DISABLE_CONSENSUS_ROLE, "DISABLE_CONSENSUS_ROLE"),
        (MANAGE_FRAME_CONFIG_ROLE, "MANAGE_FRAME_CONFIG_ROLE"),
        (MANAGE_CONSENSUS_VERSION_ROLE, "MANAGE_CONSENSUS_VERSION_ROLE"),
        (SUBMIT_DATA_ROLE, "SUBMIT_DATA_ROLE"),
        (SANITY_LIMITS_ROLE, "SANITY_LIMITS_ROLE"),
        (PROTOCOL_FEE_ROLE, "PROTOCOL_FEE_ROLE"),
        (UPGRADE_ROLE, "UPGRADE_ROLE"),
        (FORCED_EXIT_ROLE, "FORCED_EXIT_ROLE"),
    ];
    NAMES.iter().find(|(r, _)| *r == role).map_or("an unnamed role", |(_, n)| n)
}

async fn latest_timestamp(chain: &Chain) -> Result<u64, CliError> {
    use alloy_provider::Provider;
    let block = chain
        .provider
        .get_block_by_number(
            alloy_rpc_types_eth::BlockNumberOrTag::Latest,
            alloy_rpc_types_eth::BlockTransactionsKind::Hashes,
        )
        .await
        .map_err(|e| CliError::Endpoint(format!("l2 eth_getBlockByNumber: {e}")))?
        .ok_or_else(|| CliError::Endpoint("l2 has no latest block".into()))?;
    Ok(block.header.timestamp)
}

/// The governance Safe: the singleton, its factory and fallback handler, then a proxy with
/// the owners and threshold.
async fn safe(run: &mut Run) -> Result<Result<Address, Stop>, CliError> {
    if let Some(safe) = run.file.manifest.contracts.get("governance") {
        return Ok(Ok(*safe));
    }
    if run.config.safe_owners.is_empty() || run.config.safe_threshold == 0 {
        return Err(CliError::Usage(
            "name the governance (--governance ADDRESS) or the Safe's owners and threshold (--safe-owner ADDRESS ... --safe-threshold N)".into(),
        ));
    }
    let mut created = Vec::new();
    for name in ["SafeL2", "SafeProxyFactory", "CompatibilityFallbackHandler"] {
        let key = format!("safe/{name}");
        let address = if let Some(a) = run.file.manifest.contracts.get(&key) {
            *a
        } else {
            let (init, _) = run.artifact(name)?;
            let call = Call { to: None, value: U256::ZERO, data: init };
            let sent = match run.step(false, &format!("deploy {name}"), call).await? {
                Ok(sent) => sent,
                Err(stop) => return Ok(Err(stop)),
            };
            let address = run.l2.receipt_of(&sent).await?.contract_address.ok_or_else(|| {
                CliError::Manifest(format!("the creation of {name} made no contract"))
            })?;
            run.set_contract(&key, address)?;
            address
        };
        created.push(address);
    }
    let (singleton, factory, handler) = (created[0], created[1], created[2]);
    let setup = ISafe::setupCall {
        owners: run.config.safe_owners.clone(),
        threshold: U256::from(run.config.safe_threshold),
        to: Address::ZERO,
        data: alloy_primitives::Bytes::default(),
        fallbackHandler: handler,
        paymentToken: Address::ZERO,
        payment: U256::ZERO,
        paymentReceiver: Address::ZERO,
    }
    .abi_encode();
    let call = ISafeProxyFactory::createProxyWithNonceCall {
        singleton,
        initializer: setup.into(),
        saltNonce: U256::ZERO,
    };
    let call = Call { to: Some(factory), value: U256::ZERO, data: call.abi_encode() };
    let sent = match run.step(false, "create the governance Safe", call).await? {
        Ok(sent) => sent,
        Err(stop) => return Ok(Err(stop)),
    };
    let receipt = run.l2.receipt_of(&sent).await?;
    let safe = receipt
        .inner
        .logs()
        .iter()
        .find_map(|log| ISafeProxyFactory::ProxyCreation::decode_log_data(log.data(), true).ok())
        .map(|e| e.proxy)
        .ok_or_else(|| CliError::Reverted("the proxy factory logged no ProxyCreation".into()))?;
    run.set_contract("governance", safe)?;
    Ok(Ok(safe))
}

/// Fills the L1 addresses a deployment needs from a devnet's `devnet_info`, when they were
/// not given.
///
/// # Errors
///
/// When the endpoint is not a devnet: the flags are then required.
pub async fn fill_from_devnet(config: &mut DeployConfig) -> Result<(), CliError> {
    use alloy_provider::Provider;
    let url = config.l1_url.parse().map_err(|e| {
        CliError::Usage(format!("--l1 endpoint {:?} is not a URL: {e}", config.l1_url))
    })?;
    let provider: alloy_provider::RootProvider =
        alloy_provider::ProviderBuilder::default().on_http(url);
    let info: serde_json::Value =
        provider.raw_request("devnet_info".into(), ()).await.map_err(|_| {
            CliError::Usage(
                "the L1 endpoint is not a devnet: give --l1-bridge, --l1-inbox and --deposit-contract (Arbitrum's Bridge and Inbox on L1, the beacon deposit contract)".into(),
            )
        })?;
    let field = |key: &str| -> Result<Address, CliError> {
        info[key]
            .as_str()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| CliError::Endpoint(format!("devnet_info has no {key}")))
    };
    if config.l1_bridge.is_zero() {
        config.l1_bridge = field("bridge")?;
    }
    if config.l1_inbox.is_zero() {
        config.l1_inbox = field("inbox")?;
    }
    if config.deposit_contract.is_zero() {
        config.deposit_contract = field("depositContract")?;
    }
    if config.l1_outbox.is_zero() {
        config.l1_outbox = field("outbox")?;
    }
    Ok(())
}
