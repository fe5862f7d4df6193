//! Deploys the suite on a fresh VM with its roles, and small helpers to call it.

use std::path::PathBuf;

use alloy_primitives::{address, keccak256, Address, B256, U256};
use alloy_sol_types::{SolCall, SolConstructor, SolError, SolEvent};
use staking_common::roles::{
    GUARDIAN_ROLE, PAUSE_ROLE, PROTOCOL_FEE_ROLE, RESUME_ROLE, STAKING_CONTROL_ROLE, UPGRADE_ROLE,
    WITHDRAWAL_CONFIG_ROLE,
};
use stylus_vm::{Receipt, Vm};

use crate::abi::{
    AccessManagerDeployment, IAccessManager, IStakingPool, IWithdrawalQueue, StakingPoolDeployment,
    WithdrawalQueueDeployment,
};

/// The governance multisig: admin of the AccessManager, holder of every pool role.
pub const ADMIN: Address = address!("00000000000000000000000000000000000AD000");
/// A guardian that may cancel scheduled operations.
pub const GUARDIAN: Address = address!("0000000000000000000000000000000000060A4D");
/// Users.
pub const ALICE: Address = address!("00000000000000000000000000000000000A11CE");
/// Users.
pub const BOB: Address = address!("0000000000000000000000000000000000000B0B");
/// Users.
pub const CAROL: Address = address!("000000000000000000000000000000000000CA01");
/// Users.
pub const DAVE: Address = address!("000000000000000000000000000000000000DA7E");
/// A plain account standing in for the accounting oracle ([`Suite::set_reporter`]): the
/// pool's report processing tested on its own.
pub const REPORTER: Address = address!("0000000000000000000000000000000000009E90");

/// `n` ether in wei.
pub fn ether(n: u64) -> U256 {
    U256::from(n) * U256::from(1_000_000_000_000_000_000u128)
}

/// Where `scripts/build` puts a contract's release wasm.
pub fn wasm_path(contract: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../artifacts/wasm")
        .join(format!("{contract}.wasm"))
}

/// Reads a contract's release wasm.
///
/// # Panics
///
/// When it is missing: run `scripts/build` first (`scripts/test` does).
pub fn read_wasm(contract: &str) -> Vec<u8> {
    let path = wasm_path(contract);
    std::fs::read(&path).unwrap_or_else(|e| {
        panic!("{}: {e}; build the contracts first with scripts/build", path.display())
    })
}

/// The deployed suite. A clone is an independent copy of the chain.
#[derive(Clone)]
pub struct Suite {
    /// The chain.
    pub vm: Vm,
    /// AccessManager address.
    pub manager: Address,
    /// StakingPool address.
    pub pool: Address,
    /// WithdrawalQueue address (the core program).
    pub queue: Address,
    /// The queue's extension program (views, administration), reached by delegatecall.
    pub queue_extension: Address,
    /// The pool's extension program (oracle report processing), reached by delegatecall.
    pub pool_extension: Address,
    /// The pool's permit program (ERC-2612 permit, Lido's views), reached by delegatecall.
    pub pool_permit: Address,
    /// The wrapped token (zero until [`Suite::deploy_wrapped_token`]).
    pub wrapped_token: Address,
}

/// Bootstrap deposit the pool's constructor takes (held by the dead address).
pub const BOOTSTRAP: u64 = 1_000_000_000_000_000; // 0.001 ether

/// What a deployment step calls after it ran, with the step's name and the contracts deployed
/// so far beyond the suite's own ([`Suite::known`]; the registry's and the oracle's setups
/// name theirs), labelled: the front-running test sends a stranger's transactions there.
pub type Between<'a> = &'a mut dyn FnMut(&mut Suite, &str, &[(&'static str, Address)]);

/// The salt of a deployment through the StylusDeployer: `keccak256("liquid-staking-stylus/"
/// ‖ label)`. The deployer hashes it with the constructor's calldata and value (CREATE2), so
/// the address commits to the arguments too.
pub fn salt(label: &str) -> B256 {
    keccak256(format!("liquid-staking-stylus/{label}"))
}

/// `initData` of a constructor call: the SDK's constructor selector and `args` (the
/// ABI-encoded constructor arguments), as `cargo stylus deploy --constructor-args` sends it.
pub fn constructor_data(args: &[u8]) -> Vec<u8> {
    stylus_vm::deployer::constructor_data(args)
}

/// What a deployment sends besides the constructor's value, for ArbWasm's activation data fee
/// (a fresh chain charges the suite's five programs 0.000453 ether in all: `scripts/demo`; the
/// StylusDeployer refunds the rest).
pub const ACTIVATION_BUDGET: U256 = U256::from_limbs([10_000_000_000_000_000, 0, 0, 0]);

/// `cargo stylus`'s init code for `wasm`: the prelude that returns the program's deployed
/// code, `0xEFF00000` and the brotli-compressed wasm.
pub fn init_code(wasm: &[u8]) -> Vec<u8> {
    stylus_vm::deployer::init_code(&stylus_vm::deployer::deployed_code(wasm))
}

/// Deploys `wasm` from `from` as a plain program, with no constructor, the way of a chain
/// without the StylusDeployer: a creation transaction whose init code returns the program's
/// code, then ArbWasm's `activateProgram` with [`ACTIVATION_BUDGET`] for the data fee (the
/// excess comes back). Caches it and returns its address.
///
/// # Panics
///
/// When either transaction fails.
pub fn create_and_activate(vm: &mut Vm, from: Address, wasm: &[u8]) -> Address {
    let r = vm.create(from, U256::ZERO, &init_code(wasm));
    assert!(r.success, "creating the program failed: {:?}", r.status);
    let program = r.contract_address.expect("a successful creation has an address");
    let call = stylus_vm::arbwasm::activateProgramCall { program };
    let r = vm.call(from, stylus_vm::arbwasm::ARB_WASM, ACTIVATION_BUDGET, &call.abi_encode());
    assert!(
        r.success,
        "activating the program failed: {:?} 0x{}",
        r.status,
        alloy_primitives::hex::encode(&r.output)
    );
    vm.set_cached(program, true);
    program
}

/// The delay the deployment puts on `upgradeExtension` of every core.
pub const UPGRADE_DELAY: u32 = staking_common::upgrade::UPGRADE_DELAY;

impl Suite {
    /// A fresh chain at genesis (Arbitrum's StylusDeployer at its address: the real
    /// Solidity, `worlds::l2`) with funded accounts and nothing of the suite deployed (every
    /// address zero).
    ///
    /// # Panics
    ///
    /// When the Solidity artifacts are missing: run `scripts/evm-build` (`scripts/test` does).
    pub fn empty() -> Self {
        let mut vm = worlds::l2::genesis().unwrap_or_else(|e| panic!("{e}"));
        for who in [ADMIN, GUARDIAN, ALICE, BOB, CAROL, DAVE] {
            vm.set_balance(who, ether(1_000_000));
        }
        Self::on(vm)
    }

    /// Sends `from`'s `deploy(bytecode, initData, initValue, salt)` to the StylusDeployer
    /// (as `cargo stylus deploy --constructor-args` does): `bytecode` is `cargo stylus`'s init
    /// code returning `wasm`'s deployed code (`0xEFF00000` + brotli), `init_data` (empty: no
    /// constructor call) runs with `value`, and [`ACTIVATION_BUDGET`] more goes along for
    /// ArbWasm's data fee (the deployer refunds what the fee leaves). Returns the receipt,
    /// successful or not.
    pub fn send_deploy(
        &mut self,
        from: Address,
        wasm: &[u8],
        init_data: &[u8],
        value: U256,
        salt: B256,
    ) -> Receipt {
        let bytecode = init_code(wasm);
        let data = stylus_vm::deployer::deploy_calldata(&bytecode, init_data, value, salt);
        let sent = value + ACTIVATION_BUDGET;
        self.vm.call(from, stylus_vm::deployer::ADDRESS, sent, &data)
    }

    /// Deploys `wasm` from ADMIN through the StylusDeployer in one transaction (deployment,
    /// activation and, with `args`, the constructor with `value`), at the CREATE2 address of
    /// [`salt`]`("label/n")` (n: ADMIN's nonce); caches the program and returns its address.
    ///
    /// # Panics
    ///
    /// When the deployment fails or does not land where CREATE2 says.
    pub fn deploy_program(
        &mut self,
        label: &str,
        wasm: &[u8],
        args: Option<&[u8]>,
        value: U256,
    ) -> Address {
        let init_data = args.map(constructor_data).unwrap_or_default();
        // The sender's nonce keeps two deployments of one program with one label apart.
        let salt = salt(&format!("{label}/{}", self.vm.nonce(ADMIN)));
        let r = self.send_deploy(ADMIN, wasm, &init_data, value, salt);
        assert!(
            r.success,
            "deploying {label} failed: {:?} output 0x{}",
            r.status,
            alloy_primitives::hex::encode(&r.output)
        );
        let address = Address::from_slice(&r.output[12..32]);
        let expected = stylus_vm::deployer::create2_address(&init_code(wasm), &init_data, salt);
        assert_eq!(address, expected, "{label} is not at its CREATE2 address");
        self.vm.set_cached(address, true);
        address
    }

    /// Deploys the AccessManager, the pool (core, extension and permit program) and the queue
    /// (core and extension), each in one transaction through the StylusDeployer with its
    /// constructor
    /// (no stake limit), points the pool at the queue (no registry yet:
    /// [`crate::validators::Validators::setup`] adds it), grants ADMIN every pool and queue
    /// role (the protocol-fee and upgrade roles included) and GUARDIAN the guardian role, and
    /// puts [`UPGRADE_DELAY`] on `upgradeExtension` of the pool and the queue and on the pool's
    /// `setPermitProgram`. Programs are cached.
    ///
    /// # Panics
    ///
    /// When the wasm is missing or a setup call fails.
    pub fn deploy() -> Self {
        Self::deploy_with_limit(U256::ZERO, U256::ZERO)
    }

    /// As [`Suite::deploy`], with a stake limit set by the pool's constructor.
    ///
    /// # Panics
    ///
    /// When the wasm is missing or a setup call fails.
    pub fn deploy_with_limit(max: U256, per_block: U256) -> Self {
        Self::deploy_hooked(max, per_block, &mut |_, _, _| {})
    }

    /// As [`Suite::deploy_with_limit`], calling `between` after every transaction of the
    /// deployment.
    ///
    /// # Panics
    ///
    /// When the wasm is missing or a setup call fails.
    pub fn deploy_hooked(max: U256, per_block: U256, between: Between<'_>) -> Self {
        Self::deploy_on_hooked(Self::empty(), max, per_block, between)
    }

    /// Nothing of the suite deployed (every address zero) on `vm`, a chain at genesis with
    /// the StylusDeployer ([`worlds::l2::genesis`]) whose accounts the caller funded: the L2
    /// of `worlds::Worlds`, where ether arrives only through the bridge.
    pub fn on(vm: Vm) -> Self {
        let zero = Address::ZERO;
        Self {
            vm,
            manager: zero,
            pool: zero,
            queue: zero,
            queue_extension: zero,
            pool_extension: zero,
            pool_permit: zero,
            wrapped_token: zero,
        }
    }

    /// As [`Suite::deploy_with_limit`], on `vm` ([`Suite::on`]; ADMIN pays the deployment).
    ///
    /// # Panics
    ///
    /// When the wasm is missing or a setup call fails.
    pub fn deploy_on(vm: Vm, max: U256, per_block: U256) -> Self {
        Self::deploy_on_hooked(Self::on(vm), max, per_block, &mut |_, _, _| {})
    }

    /// The deployment of [`Suite::deploy_hooked`] on the chain of `s` ([`Suite::empty`] or
    /// [`Suite::on`]).
    fn deploy_on_hooked(mut s: Self, max: U256, per_block: U256, between: Between<'_>) -> Self {
        let zero = U256::ZERO;
        let args = AccessManagerDeployment::constructorCall { admin: ADMIN }.abi_encode();
        s.manager =
            s.deploy_program("access-manager", &read_wasm("access-manager"), Some(&args), zero);
        between(&mut s, "AccessManager deployed with its constructor", &[]);
        for (role, account) in [
            (PAUSE_ROLE, ADMIN),
            (RESUME_ROLE, ADMIN),
            (STAKING_CONTROL_ROLE, ADMIN),
            (WITHDRAWAL_CONFIG_ROLE, ADMIN),
            (PROTOCOL_FEE_ROLE, ADMIN),
            (UPGRADE_ROLE, ADMIN),
            (GUARDIAN_ROLE, GUARDIAN),
        ] {
            let manager = s.manager;
            s.ok(ADMIN, manager, zero, &IAccessManager::grantRoleCall { role, account });
            between(&mut s, "a role granted", &[]);
        }
        let wasm = read_wasm("staking-pool-extension");
        s.pool_extension = s.deploy_program("staking-pool-extension", &wasm, None, zero);
        between(&mut s, "pool extension deployed", &[]);
        let wasm = read_wasm("staking-pool-permit");
        s.pool_permit = s.deploy_program("staking-pool-permit", &wasm, None, zero);
        between(&mut s, "pool permit program deployed", &[]);
        let args = StakingPoolDeployment::constructorCall {
            accessManager: s.manager,
            extension: s.pool_extension,
            maxStakeLimit: max,
            stakeLimitIncreasePerBlock: per_block,
            permitProgram: s.pool_permit,
        }
        .abi_encode();
        let wasm = read_wasm("staking-pool");
        s.pool = s.deploy_program("staking-pool", &wasm, Some(&args), U256::from(BOOTSTRAP));
        between(&mut s, "pool deployed with its constructor", &[]);
        let wasm = read_wasm("withdrawal-queue-extension");
        s.queue_extension = s.deploy_program("withdrawal-queue-extension", &wasm, None, zero);
        between(&mut s, "queue extension deployed", &[]);
        let args = WithdrawalQueueDeployment::constructorCall {
            pool: s.pool,
            accessManager: s.manager,
            extension: s.queue_extension,
        }
        .abi_encode();
        let wasm = read_wasm("withdrawal-queue");
        s.queue = s.deploy_program("withdrawal-queue", &wasm, Some(&args), zero);
        between(&mut s, "queue deployed with its constructor", &[]);
        s.set_protocol_contracts(Address::ZERO);
        between(&mut s, "pool wired to the queue", &[]);
        for core in [s.pool, s.queue] {
            s.delay_upgrades(core);
            between(&mut s, "upgradeExtension delayed", &[]);
        }
        s.delay_permit_program_upgrades();
        between(&mut s, "setPermitProgram delayed", &[]);
        s
    }

    /// Puts [`UPGRADE_DELAY`] on the pool's `setPermitProgram` (the permit program runs with
    /// the pool's storage, as the extension does: the same policy), as ADMIN.
    ///
    /// # Panics
    ///
    /// When the call fails.
    pub fn delay_permit_program_upgrades(&mut self) {
        let call = IAccessManager::setTargetFunctionDelayCall {
            target: self.pool,
            selector: IStakingPool::setPermitProgramCall::SELECTOR.into(),
            delay: UPGRADE_DELAY,
        };
        let manager = self.manager;
        self.ok(ADMIN, manager, U256::ZERO, &call);
    }

    /// Puts [`UPGRADE_DELAY`] on `upgradeExtension` of `core` (`setTargetFunctionDelay`, as
    /// ADMIN).
    ///
    /// # Panics
    ///
    /// When the call fails.
    pub fn delay_upgrades(&mut self, core: Address) {
        let call = IAccessManager::setTargetFunctionDelayCall {
            target: core,
            selector: staking_common::upgrade::UPGRADE_EXTENSION_SELECTOR.into(),
            delay: UPGRADE_DELAY,
        };
        let manager = self.manager;
        self.ok(ADMIN, manager, U256::ZERO, &call);
    }

    /// The contracts deployed so far, labelled (the pool's and queue's cores and extensions,
    /// the manager, the wrapped token once deployed).
    pub fn known(&self) -> Vec<(&'static str, Address)> {
        [
            ("access-manager", self.manager),
            ("staking-pool", self.pool),
            ("staking-pool-extension", self.pool_extension),
            ("staking-pool-permit", self.pool_permit),
            ("withdrawal-queue", self.queue),
            ("withdrawal-queue-extension", self.queue_extension),
            ("wrapped-token", self.wrapped_token),
        ]
        .into_iter()
        .filter(|(_, a)| !a.is_zero())
        .collect()
    }

    /// Deploys the wrapped token on the pool (through the StylusDeployer, its constructor
    /// `constructor(pool)`; the program cached) and names it in the pool
    /// (`setWrappedToken`, as ADMIN). Not part of [`Suite::deploy`], so that the other tests'
    /// addresses and gas stay as they are. Returns its address.
    ///
    /// # Panics
    ///
    /// When the wasm is missing or a call fails.
    pub fn deploy_wrapped_token(&mut self) -> Address {
        let args =
            crate::abi::WrappedTokenDeployment::constructorCall { pool: self.pool }.abi_encode();
        let wasm = read_wasm("wrapped-token");
        let token = self.deploy_program("wrapped-token", &wasm, Some(&args), U256::ZERO);
        let call = IStakingPool::setWrappedTokenCall { token };
        self.ok(ADMIN, self.pool, U256::ZERO, &call);
        self.wrapped_token = token;
        token
    }

    /// `setProtocolContracts(queue, registry)` on the pool as ADMIN.
    ///
    /// # Panics
    ///
    /// When the call fails.
    pub fn set_protocol_contracts(&mut self, registry: Address) -> Receipt {
        let call = IStakingPool::setProtocolContractsCall {
            withdrawalQueue: self.queue,
            nodeOperatorRegistry: registry,
        };
        self.ok(ADMIN, self.pool, U256::ZERO, &call).1
    }

    /// `setFeeConfig(treasury, totalBP, operatorsBP)` on the pool as ADMIN
    /// (`PROTOCOL_FEE_ROLE`).
    ///
    /// # Panics
    ///
    /// When the call fails.
    pub fn set_fee_config(&mut self, treasury: Address, total_bp: u64, operators_bp: u64) {
        let call = crate::abi::IStakingPool::setFeeConfigCall {
            treasury,
            totalFeeBP: U256::from(total_bp),
            operatorsFeeBP: U256::from(operators_bp),
        };
        self.ok(ADMIN, self.pool, U256::ZERO, &call);
    }

    /// The queue's minimum finalization delay, passed: the clock moves that far.
    pub fn wait_for_finalization(&mut self) {
        let delay = self.view(self.queue, &IWithdrawalQueue::getMinFinalizationDelayCall {})._0;
        self.vm.advance_time(delay.to::<u64>());
    }

    /// Sends a transaction calling `call` on `to`.
    pub fn send<C: SolCall>(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        call: &C,
    ) -> Receipt {
        self.vm.call(from, to, value, &call.abi_encode())
    }

    /// Sends a transaction that must succeed; returns its decoded return value and receipt.
    ///
    /// # Panics
    ///
    /// When the call does not succeed or its output does not decode.
    pub fn ok<C: SolCall>(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        call: &C,
    ) -> (C::Return, Receipt) {
        let r = self.send(from, to, value, call);
        assert!(
            r.success,
            "{} failed: {:?} output 0x{}",
            C::SIGNATURE,
            r.status,
            alloy_primitives::hex::encode(&r.output)
        );
        let ret = C::abi_decode_returns(&r.output, true).expect("return data decodes");
        (ret, r)
    }

    /// Sends a transaction that must revert with error `E`; returns the decoded error.
    ///
    /// # Panics
    ///
    /// When the call succeeds or reverts with other data.
    pub fn revert<C: SolCall, E: SolError>(
        &mut self,
        from: Address,
        to: Address,
        value: U256,
        call: &C,
    ) -> E {
        revert_data(&self.send(from, to, value, call))
    }

    /// A view call's decoded result.
    ///
    /// # Panics
    ///
    /// When the call fails.
    pub fn view<C: SolCall>(&mut self, to: Address, call: &C) -> C::Return {
        let r = self.vm.static_call(ALICE, to, &call.abi_encode());
        assert!(r.success, "view {} failed: {:?}", C::SIGNATURE, r.status);
        C::abi_decode_returns(&r.output, true).expect("view return decodes")
    }

    /// `balanceOf(who)` on the pool.
    pub fn balance_of(&mut self, who: Address) -> U256 {
        self.view(self.pool, &IStakingPool::balanceOfCall { account: who })._0
    }

    /// `sharesOf(who)` on the pool.
    pub fn shares_of(&mut self, who: Address) -> U256 {
        self.view(self.pool, &IStakingPool::sharesOfCall { account: who })._0
    }

    /// Deposits `amount` from `who`; returns the receipt.
    pub fn deposit(&mut self, who: Address, amount: U256) -> Receipt {
        self.ok(who, self.pool, amount, &IStakingPool::depositCall { referral: Address::ZERO }).1
    }
}

/// The error `E` a reverted receipt carries.
///
/// # Panics
///
/// When the receipt succeeded or its revert data is not `E`.
pub fn revert_data<E: SolError>(r: &Receipt) -> E {
    assert!(!r.success, "should have reverted with {}", E::SIGNATURE);
    E::abi_decode(&r.output, true).unwrap_or_else(|e| {
        panic!(
            "revert data 0x{} is not {}: {e}",
            alloy_primitives::hex::encode(&r.output),
            E::SIGNATURE
        )
    })
}

/// Events of type `E` in `receipt`, decoded, in order.
///
/// # Panics
///
/// When a log with `E`'s signature does not decode as `E`.
pub fn events<E: SolEvent>(receipt: &Receipt) -> Vec<E> {
    receipt
        .logs
        .iter()
        .filter(|log| log.topics().first() == Some(&E::SIGNATURE_HASH))
        .map(|log| {
            E::decode_raw_log(log.topics().iter().copied(), &log.data.data, true)
                .expect("event decodes")
        })
        .collect()
}

/// Events of type `E` that `emitter` logged in `receipt`, decoded, in order. Use this where
/// two contracts log events with one signature (the pool's ERC-20 `Transfer` and `Approval`
/// and the queue's ERC-721 ones hash alike but index differently).
///
/// # Panics
///
/// When a log of `emitter` with `E`'s signature does not decode as `E`.
pub fn events_from<E: SolEvent>(receipt: &Receipt, emitter: Address) -> Vec<E> {
    receipt
        .logs
        .iter()
        .filter(|log| log.address == emitter && log.topics().first() == Some(&E::SIGNATURE_HASH))
        .map(|log| {
            E::decode_raw_log(log.topics().iter().copied(), &log.data.data, true)
                .expect("event decodes")
        })
        .collect()
}

impl Suite {
    /// Approves the queue for the sum of `amounts` and requests them as `who`, the NFTs to
    /// `who`; returns the ids and the request's receipt.
    ///
    /// # Panics
    ///
    /// When the approval or the request fails.
    pub fn request_withdrawals(&mut self, who: Address, amounts: &[U256]) -> (Vec<U256>, Receipt) {
        let total = amounts.iter().fold(U256::ZERO, |a, b| a + b);
        self.ok(
            who,
            self.pool,
            U256::ZERO,
            &IStakingPool::approveCall { spender: self.queue, amount: total },
        );
        let (ret, receipt) = self.ok(
            who,
            self.queue,
            U256::ZERO,
            &IWithdrawalQueue::requestWithdrawalsCall {
                amounts: amounts.to_vec(),
                owner: Address::ZERO,
            },
        );
        (ret.requestIds, receipt)
    }

    /// `prefinalize([last], rate)`: the ether finalizing through `last` at `rate` locks and
    /// the shares it burns.
    ///
    /// # Panics
    ///
    /// When the view reverts.
    pub fn prefinalize(&mut self, last: U256, rate: U256) -> (U256, U256) {
        let r = self.view(
            self.queue,
            &IWithdrawalQueue::prefinalizeCall { batches: vec![last], maxShareRate: rate },
        );
        (r.ethToLock, r.sharesToBurn)
    }

    /// Finalizes through `last` at `rate` the only way there is: an oracle report
    /// ([`Suite::finalization_report`], sent by [`REPORTER`], made the pool's oracle first if
    /// none is set). The pool checks the rate, sends the ether `prefinalize` says and burns
    /// the batch's shares in the same transaction. Returns the ether locked and the report's
    /// receipt.
    ///
    /// # Panics
    ///
    /// When `prefinalize` or the report fails.
    pub fn finalize(&mut self, last: U256, rate: U256) -> (U256, Receipt) {
        let (owed, _) = self.prefinalize(last, rate);
        let report = self.finalization_report(last, rate);
        let receipt = self.handle_report(&report);
        assert!(
            receipt.success,
            "the report finalizing through {last} at {rate} failed: {:?} output 0x{}",
            receipt.status,
            alloy_primitives::hex::encode(&receipt.output)
        );
        (owed, receipt)
    }

    /// A report that finalizes through `last` at `rate` and changes nothing else: the pool's
    /// validators and CL balance as they stand, nothing claimed or burned, the queue's bunker
    /// mode kept. Its sanity limits are Lido's but two: the share-rate deviation is at its
    /// widest (100%, as far as `SANITY_LIMITS_ROLE` may open it), so a test may price a batch at
    /// any rate from 1 wei to twice the pool's (the queue's pricing is what such tests look
    /// at; the pool's 50 BP check is tested in `tests/e2e/pool_report.rs`); and the request
    /// margin is 0 (the queue's own minimum delay still applies). Makes [`REPORTER`] the
    /// pool's oracle if none is set.
    ///
    /// # Panics
    ///
    /// When a view fails.
    pub fn finalization_report(&mut self, last: U256, rate: U256) -> PoolReport {
        let mut report = self.quiet_report();
        report.simulated_share_rate = rate;
        report.batches = vec![last];
        report
    }

    /// A report that changes nothing ([`Suite::finalization_report`] without a batch): with
    /// `is_bunker_mode` set it turns the queue's bunker mode on, and a later one without it
    /// turns it off. Makes [`REPORTER`] the pool's oracle if none is set.
    ///
    /// # Panics
    ///
    /// When a view fails.
    pub fn quiet_report(&mut self) -> PoolReport {
        let oracle = self.view(self.pool, &IStakingPool::getOracleCall {})._0;
        if oracle.is_zero() {
            self.set_reporter();
        }
        let beacon = self.view(self.pool, &IStakingPool::getBeaconStatCall {});
        let (cl_validators, cl_balance) = (beacon._1, beacon._2);
        let is_bunker_mode = self.view(self.queue, &IWithdrawalQueue::isBunkerModeActiveCall {})._0;
        let limits = staking_math::sanity::Limits {
            share_rate_deviation_bp: 10_000,
            request_margin: 0,
            ..staking_math::sanity::Limits::LIDO
        };
        PoolReport {
            cl_validators,
            cl_balance,
            is_bunker_mode,
            limits: alloy_primitives::B256::from(limits.pack()),
            ..PoolReport::default()
        }
    }

    /// Turns the queue's bunker mode on or off the only way there is: a report from
    /// [`REPORTER`] that changes nothing else ([`Suite::quiet_report`]).
    ///
    /// # Panics
    ///
    /// When the report fails.
    pub fn set_bunker_mode(&mut self, active: bool) -> Receipt {
        let report = PoolReport { is_bunker_mode: active, ..self.quiet_report() };
        let receipt = self.handle_report(&report);
        assert!(receipt.success, "the bunker report failed: {:?}", receipt.status);
        receipt
    }

    /// Sets the pool's consensus-layer balance, the counter an oracle report moves, by writing
    /// its storage word (slot 1, low 128 bits): a stand-in for a report until the oracle
    /// exists, to move the share rate up or down in tests.
    pub fn set_cl_balance(&mut self, wei: u128) {
        let slot = U256::from(1);
        let word = U256::from_be_bytes(self.vm.storage(self.pool, slot).0);
        let high = (word >> 128) << 128;
        self.vm.set_storage(self.pool, slot, alloy_primitives::B256::from(high | U256::from(wei)));
    }

    /// The pool's share rate (1e27 precision).
    pub fn share_rate(&mut self) -> U256 {
        self.view(self.pool, &IStakingPool::shareRateCall {})._0
    }
}

/// The values of a `handleOracleReport` call ([`Suite::handle_report`]); `Default` is a report
/// that changes nothing on a fresh suite, with [`PoolReport::limits`] at Lido's values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolReport {
    /// Unix seconds, before the current block's.
    pub report_timestamp: U256,
    /// Seconds since the previous report.
    pub time_elapsed: U256,
    /// Validators the CL has seen (cumulative).
    pub cl_validators: U256,
    /// Their balance, wei.
    pub cl_balance: U256,
    /// Withdrawals claimed, wei (credited to the pool's address first: [`Suite::credit_pool`]).
    pub withdrawals: U256,
    /// EL rewards claimed, wei (credited likewise).
    pub el_rewards: U256,
    /// The pool's own shares to burn.
    pub shares_to_burn: U256,
    /// The rate (1e27) batches are finalized at.
    pub simulated_share_rate: U256,
    /// The oracle's bunker verdict.
    pub is_bunker_mode: bool,
    /// The packed sanity limits (`staking_math::sanity::Limits::pack`).
    pub limits: alloy_primitives::B256,
    /// Ends of the request batches to finalize (empty: none).
    pub batches: Vec<U256>,
}

impl Default for PoolReport {
    fn default() -> Self {
        Self {
            report_timestamp: U256::ZERO,
            time_elapsed: U256::from(86_400),
            cl_validators: U256::ZERO,
            cl_balance: U256::ZERO,
            withdrawals: U256::ZERO,
            el_rewards: U256::ZERO,
            shares_to_burn: U256::ZERO,
            simulated_share_rate: U256::ZERO,
            is_bunker_mode: false,
            limits: alloy_primitives::B256::ZERO,
            batches: Vec::new(),
        }
    }
}

impl PoolReport {
    /// The `handleOracleReport` call.
    pub fn call(&self) -> IStakingPool::handleOracleReportCall {
        IStakingPool::handleOracleReportCall {
            reportTimestamp: self.report_timestamp,
            timeElapsed: self.time_elapsed,
            clValidators: self.cl_validators,
            clBalance: self.cl_balance,
            withdrawals: self.withdrawals,
            elRewards: self.el_rewards,
            sharesToBurn: self.shares_to_burn,
            simulatedShareRate: self.simulated_share_rate,
            isBunkerMode: self.is_bunker_mode,
            limits: self.limits,
            withdrawalFinalizationBatches: self.batches.clone(),
        }
    }
}

impl Suite {
    /// Makes [`REPORTER`] the pool's oracle (`setOracle`, as ADMIN).
    ///
    /// # Panics
    ///
    /// When the call fails.
    pub fn set_reporter(&mut self) -> Receipt {
        let call = IStakingPool::setOracleCall { oracle: REPORTER };
        self.ok(ADMIN, self.pool, U256::ZERO, &call).1
    }

    /// Sends `handleOracleReport` from [`REPORTER`] (a `report_timestamp` of 0 means one
    /// second before the current block); returns the receipt, successful or not.
    pub fn handle_report(&mut self, report: &PoolReport) -> Receipt {
        let mut call = report.call();
        if call.reportTimestamp.is_zero() {
            call.reportTimestamp = U256::from(self.vm.timestamp() - 1);
        }
        let pool = self.pool;
        self.send(REPORTER, pool, U256::ZERO, &call)
    }

    /// Ether reaching the pool's address without a call (CL withdrawals, fee-recipient
    /// rewards): its balance grows by `wei`, nothing runs.
    pub fn credit_pool(&mut self, wei: U256) {
        let balance = self.vm.balance(self.pool);
        self.vm.set_balance(self.pool, balance + wei);
    }
}
