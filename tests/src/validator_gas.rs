//! The gas report's validator section: key commits, guarded deposits, operator reward claims,
//! the protocol's gas per key and the deposit cost's flatness in the number of operators.
//!
//! Every deposit is measured in a steady state: ten operators with one committed and vetted
//! batch of 100 keys each (proofs of depth 7), one earlier deposit of twenty keys, ALICE's
//! 10,000 ether buffered, a 6-guardian committee with quorum 4. The earlier deposit leaves
//! every operator's word written and the deposit target's tree at 20 leaves, so the measured
//! deposits (leaves 21 to 30) write only branch levels 0 to 3, which already hold a node: as on
//! mainnet, where about two million deposits have filled every level a deposit writes. (After
//! ten leaves instead, the sixteenth leaf writes level 4 for the first time: a 22,100-gas
//! `SSTORE` the real deposit contract pays once per level in its lifetime.)
//!
//! "Protocol gas per key" is what the target counts: the keys' commit and vetting
//! (a 100-key batch committed by its root, per key; the row below it commits the keys in the
//! calldata instead) plus the extra gas of each key in a deposit, measured against a
//! deposit target that does nothing ([`NULL_TARGET`]), so the deposit contract's own execution
//! is left out and the call that carries the 32 ether is counted.

use std::fmt::Write as _;

use alloy_primitives::U256;
use stylus_vm::Receipt;

use crate::{
    abi::{INodeOperatorRegistry as R, IStakingPool},
    deploy::{ether, Suite, ALICE},
    gas::{group, target_row, TARGET_TABLE_HEADER},
    validators::{reward_address, Validators, NULL_TARGET},
};

/// Lido: `addSigningKeys` per key in batches of 100.
pub const LIDO_ADD_KEY_100: u64 = 117_133;
/// Lido: guarded deposit of 1 key, 10 operators.
pub const LIDO_DEPOSIT_1: u64 = 561_593;
/// Lido: guarded deposit of 10 keys, 10 operators.
pub const LIDO_DEPOSIT_10: u64 = 1_127_549;
/// The cost model of a 10-key deposit (378k + 10 x 63k); the target is half of it.
pub const DEPOSIT_10_MODEL: u64 = 378_000 + 10 * 63_000;
/// Lido: per key added + vetted + deposited, batches of 100.
pub const LIDO_PER_KEY: u64 = 174_585;

/// The validator section's figures.
#[derive(Debug, Clone)]
pub struct ValidatorGas {
    /// Commit 100 keys in the calldata (cached, uncached).
    pub commit_100: (u64, u64),
    /// Commit the root of 100 keys (cached, uncached).
    pub commit_root_100: (u64, u64),
    /// Vet 100 keys (cached).
    pub vet: u64,
    /// Deposit 1 key (cached, uncached).
    pub deposit_1: (u64, u64),
    /// Deposit 10 keys (cached, uncached).
    pub deposit_10: (u64, u64),
    /// Deposit 1 / 10 keys into the no-op target (cached).
    pub null_1: u64,
    /// See `null_1`.
    pub null_10: u64,
    /// An operator claims its rewards (cached, uncached).
    pub claim: (u64, u64),
    /// Deposit 10 keys with 10 and with 1,000 operators (cached, same steady state).
    pub flat: (u64, u64),
}

impl ValidatorGas {
    /// Protocol gas per key committed (by root), vetted and deposited (see the module doc).
    pub fn per_key(&self) -> u64 {
        (self.commit_root_100.0 + self.vet) / 100 + self.deposit_per_key()
    }

    /// The same with the keys committed in the calldata (`commitKeys`).
    pub fn per_key_in_calldata(&self) -> u64 {
        (self.commit_100.0 + self.vet) / 100 + self.deposit_per_key()
    }

    /// The extra gas of one more key in a deposit into the no-op target.
    pub fn deposit_per_key(&self) -> u64 {
        (self.null_10 - self.null_1) / 9
    }

    /// The 10-key deposit target: half the cost model.
    pub fn deposit_10_target() -> u64 {
        DEPOSIT_10_MODEL / 2
    }

    /// The per-key target: 0.15 x Lido's per-key cost.
    pub fn per_key_target() -> u64 {
        LIDO_PER_KEY * 15 / 100
    }

    /// 1,000 operators over 10, as a fraction.
    #[allow(clippy::cast_precision_loss)]
    pub fn flatness(&self) -> f64 {
        self.flat.1 as f64 / self.flat.0 as f64
    }

    /// Whether every target holds.
    pub fn meets_targets(&self) -> bool {
        self.deposit_10.0 <= Self::deposit_10_target()
            && self.per_key() <= Self::per_key_target()
            && (0.9..=1.1).contains(&self.flatness())
    }
}

/// A suite in the steady state of the module doc, `operators` operators, with `target` as
/// the deposit target (wasm).
fn steady(operators: u16, keys: u32, target: &[u8]) -> (Suite, Validators) {
    let mut s = Suite::deploy();
    let mut v = Validators::setup_with_target(&mut s, 6, 4, target);
    v.onboard(&mut s, operators, keys);
    s.deposit(ALICE, ether(10_000));
    let r = v.deposit(&mut s, 20);
    assert!(r.success, "warm-up deposit: {:?}", r.status);
    (s, v)
}

fn set_cached(s: &mut Suite, v: &Validators, cached: bool) {
    for p in [s.pool, s.manager, s.queue, s.queue_extension, v.registry, v.extension, v.target] {
        s.vm.set_cached(p, cached);
    }
}

/// Runs `op` in the steady state, cached and uncached.
fn both(target: &[u8], op: impl Fn(&mut Suite, &mut Validators) -> Receipt) -> (u64, u64) {
    let mut out = [0u64; 2];
    for (i, cached) in [true, false].into_iter().enumerate() {
        let (mut s, mut v) = steady(10, 100, target);
        set_cached(&mut s, &v, cached);
        let r = op(&mut s, &mut v);
        assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
        out[i] = r.gas_used;
    }
    (out[0], out[1])
}

/// Shares worth `amount` moved from ALICE to the registry, then `onRewardsMinted` sent from
/// the pool's address (what the report will do in issue 6).
pub fn distribute_rewards(s: &mut Suite, v: &Validators, amount: U256) {
    let shares = s.view(s.pool, &IStakingPool::getSharesByPooledEthCall { ethAmount: amount })._0;
    assert!(v.mint_rewards(s, shares).success, "onRewardsMinted");
}

/// Measures the whole section.
///
/// # Panics
///
/// When the wasm is missing or an operation fails.
pub fn measure() -> ValidatorGas {
    let real = crate::deploy::read_wasm("deposit-contract");
    let null = wat::parse_str(NULL_TARGET).expect("the no-op target assembles");
    let commit_100 = both(&real, |s, v| {
        let id = v.add_operator(s, "Fresh");
        v.commit(s, id, 100)
    });
    let commit_root_100 = both(&real, |s, v| {
        let id = v.add_operator(s, "Fresh");
        v.commit_root(s, id, 100)
    });
    let vet = {
        let (mut s, mut v) = steady(10, 100, &real);
        let id = v.add_operator(&mut s, "Fresh");
        v.commit(&mut s, id, 100);
        v.vet(&mut s, id, 100).gas_used
    };
    let deposit_1 = both(&real, |s, v| v.deposit(s, 1));
    let deposit_10 = both(&real, |s, v| v.deposit(s, 10));
    let null_1 = both(&null, |s, v| v.deposit(s, 1)).0;
    let null_10 = both(&null, |s, v| v.deposit(s, 10)).0;
    let claim = both(&real, |s, v| {
        distribute_rewards(s, v, ether(1));
        s.send(
            reward_address(1),
            v.registry,
            U256::ZERO,
            &R::claimRewardsCall { operatorId: U256::from(1) },
        )
    });
    // Flatness: the same deposit with 10 and 1,000 operators (20 keys each, to keep the
    // 1,000-operator setup quick; the proofs have the same depth in both).
    let ten_keys = |operators: u16| {
        let (mut s, v) = steady(operators, 20, &real);
        let r = v.deposit(&mut s, 10);
        assert!(r.success, "deposit with {operators} operators: {:?}", r.status);
        r.gas_used
    };
    let flat = (ten_keys(10), ten_keys(1_000));
    ValidatorGas {
        commit_100,
        commit_root_100,
        vet,
        deposit_1,
        deposit_10,
        null_1,
        null_10,
        claim,
        flat,
    }
}

/// The section as Markdown.
pub fn markdown(g: &ValidatorGas) -> String {
    let mut out = String::from(TARGET_TABLE_HEADER);
    let mut row = |name: &str, gas: (u64, u64), lido: Option<u64>, target: Option<u64>| {
        target_row(&mut out, name, gas, lido, target);
    };
    row(
        "commit 100 keys in the calldata (commitKeys)",
        g.commit_100,
        Some(100 * LIDO_ADD_KEY_100),
        None,
    );
    row(
        "commit the root of 100 keys (commitKeyRoot)",
        g.commit_root_100,
        Some(100 * LIDO_ADD_KEY_100),
        None,
    );
    row("vet 100 keys (setVettedLimit)", (g.vet, 0), None, None);
    row("guarded deposit, 1 key (10 operators)", g.deposit_1, Some(LIDO_DEPOSIT_1), None);
    row(
        "guarded deposit, 10 keys (10 operators)",
        g.deposit_10,
        Some(LIDO_DEPOSIT_10),
        Some(ValidatorGas::deposit_10_target()),
    );
    row("guarded deposit, 10 keys (10 operators, 20-key batches)", (g.flat.0, 0), None, None);
    row(
        "guarded deposit, 10 keys (1,000 operators, 20-key batches)",
        (g.flat.1, 0),
        Some(2_330_845),
        None,
    );
    row("operator claims rewards", g.claim, None, None);
    row(
        "protocol gas per key committed by root, vetted, deposited",
        (g.per_key(), 0),
        Some(LIDO_PER_KEY),
        Some(ValidatorGas::per_key_target()),
    );
    row(
        "protocol gas per key committed in the calldata, vetted, deposited",
        (g.per_key_in_calldata(), 0),
        Some(LIDO_PER_KEY),
        None,
    );
    let _ = writeln!(
        out,
        "\nThe 10-key target is half the issue's cost model (378k + 10 x 63k = {}). Per key: \
         (commit a 100-key root + vet 100) / 100 + (deposit 10 − deposit 1) / 9 into a no-op \
         deposit target: ({} + {}) / 100 + ({} − {}) / 9; with the keys in the calldata the \
         commit is {} instead. Flatness: the 10-key deposit with 1,000 operators costs {:.3} x \
         the one with 10 (target within 10%). Lido's 1,000-operator figure is not measured; the \
         100-operator one ({}) is shown.",
        group(DEPOSIT_10_MODEL),
        group(g.commit_root_100.0),
        group(g.vet),
        group(g.null_10),
        group(g.null_1),
        group(g.commit_100.0),
        g.flatness(),
        group(2_330_845),
    );
    out
}
