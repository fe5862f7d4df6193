//! Deploys the suite on a fresh VM with its roles, and small helpers to call it.

use std::path::PathBuf;

use alloy_primitives::{address, Address, U256};
use alloy_sol_types::{SolCall, SolError, SolEvent};
use staking_common::roles::{
    FINALIZE_ROLE, GUARDIAN_ROLE, PAUSE_ROLE, RESUME_ROLE, STAKING_CONTROL_ROLE,
    WITHDRAWAL_CONFIG_ROLE,
};
use stylus_vm::{Receipt, Vm};

use crate::abi::{IAccessManager, IStakingPool, IWithdrawalQueue};

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

/// The deployed suite.
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
}

/// Bootstrap deposit made at initialization (held by the dead address).
pub const BOOTSTRAP: u64 = 1_000_000_000_000_000; // 0.001 ether

impl Suite {
    /// Deploys the AccessManager and the pool, initializes both (no stake limit) and grants
    /// ADMIN every pool role and GUARDIAN the guardian role. Programs are cached.
    ///
    /// # Panics
    ///
    /// When the wasm is missing or a setup call fails.
    pub fn deploy() -> Self {
        Self::deploy_with_limit(U256::ZERO, U256::ZERO)
    }

    /// As [`Suite::deploy`], with a stake limit set at initialization.
    ///
    /// # Panics
    ///
    /// When the wasm is missing or a setup call fails.
    pub fn deploy_with_limit(max: U256, per_block: U256) -> Self {
        let mut vm = Vm::new();
        let manager = vm.deploy(&read_wasm("access-manager")).expect("access manager loads");
        let pool = vm.deploy(&read_wasm("staking-pool")).expect("pool loads");
        let queue = vm.deploy(&read_wasm("withdrawal-queue")).expect("queue loads");
        let queue_extension =
            vm.deploy(&read_wasm("withdrawal-queue-extension")).expect("queue extension loads");
        for program in [manager, pool, queue, queue_extension] {
            vm.set_cached(program, true);
        }
        for who in [ADMIN, GUARDIAN, ALICE, BOB, CAROL, DAVE] {
            vm.set_balance(who, ether(1_000_000));
        }
        let mut suite = Self { vm, manager, pool, queue, queue_extension };
        suite.ok(ADMIN, manager, U256::ZERO, &IAccessManager::initializeCall { admin: ADMIN });
        for role in
            [PAUSE_ROLE, RESUME_ROLE, STAKING_CONTROL_ROLE, FINALIZE_ROLE, WITHDRAWAL_CONFIG_ROLE]
        {
            suite.ok(
                ADMIN,
                manager,
                U256::ZERO,
                &IAccessManager::grantRoleCall { role, account: ADMIN },
            );
        }
        suite.ok(
            ADMIN,
            manager,
            U256::ZERO,
            &IAccessManager::grantRoleCall { role: GUARDIAN_ROLE, account: GUARDIAN },
        );
        suite.ok(
            ADMIN,
            pool,
            U256::from(BOOTSTRAP),
            &IStakingPool::initializeCall {
                accessManager: manager,
                maxStakeLimit: max,
                stakeLimitIncreasePerBlock: per_block,
            },
        );
        suite.ok(
            ADMIN,
            queue,
            U256::ZERO,
            &IWithdrawalQueue::initializeCall {
                pool,
                accessManager: manager,
                extension: queue_extension,
            },
        );
        suite
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
        let r = self.send(from, to, value, call);
        assert!(!r.success, "{} should have reverted with {}", C::SIGNATURE, E::SIGNATURE);
        E::abi_decode(&r.output, true).unwrap_or_else(|e| {
            panic!(
                "{}: revert data 0x{} is not {}: {e}",
                C::SIGNATURE,
                alloy_primitives::hex::encode(&r.output),
                E::SIGNATURE
            )
        })
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
