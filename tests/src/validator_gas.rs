//! The gas report's validator section: key commits, batches of keys sent to the L1 vault,
//! operator reward claims, the protocol's gas per key and the batch cost's flatness in the
//! number of operators.
//!
//! Every batch is measured in a steady state: ten operators with one committed and vetted
//! batch of 100 keys each (proofs of depth 7), one earlier batch of twenty keys (so every
//! operator's word is written and ArbSys's send accumulator holds a send), ALICE's 10,000
//! ether buffered, six guardians (they only pause on L2). A batch is one transaction on L2:
//! the registry's checks and deposit data roots, then one `ArbSys.sendTxToL1` carrying the
//! batch's ether and commitment to the L1 vault. Its L1 side (the Outbox execution and the
//! guarded deposit) is the "L1 leg" section ([`crate::l1_gas`]).
//!
//! "ArbSys's share" is the gas ArbSys charged inside the `sendTxToL1` frame (the receipt's
//! `precompiles` part: the only precompile the batch calls, checked on the call trace): the
//! send's hashing, the send accumulator's storage and its events.
//!
//! "Protocol gas per key" is what the target counts: the keys' commit and vetting
//! (a 100-key batch committed by its root, per key; the row below it commits the keys in the
//! calldata instead) plus the extra gas of each key in a batch ((batch of 10 - batch of 1) /
//! 9: on L2 no deposit contract runs).

use std::fmt::Write as _;

use alloy_primitives::{Address, U256};
use stylus_vm::Receipt;

use crate::{
    abi::{INodeOperatorRegistry as R, IStakingPool},
    deploy::{ether, Suite, ALICE},
    gas::{group, target_row, TARGET_TABLE_HEADER},
    validators::{reward_address, Validators},
};

/// Lido: `addSigningKeys` per key in batches of 100.
pub const LIDO_ADD_KEY_100: u64 = 117_133;
/// Lido: guarded deposit of 1 key, 10 operators.
pub const LIDO_DEPOSIT_1: u64 = 561_593;
/// Lido: guarded deposit of 10 keys, 10 operators.
pub const LIDO_DEPOSIT_10: u64 = 1_127_549;
/// The guarded 10-key deposit on L2 before the L1 leg (issue 16: 487,559 cached, into an L2
/// deposit target with a guardian attestation).
pub const L2_DEPOSIT_10_BEFORE: u64 = 487_559;
/// Issue 16's target for a 10-key batch to L1 (cached): at most 0.8 x the guarded deposit it
/// replaces, 0.8 x 487,559 = 390,047, rounded down as the issue states it.
pub const BATCH_10_TARGET: u64 = 390_000;
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
    /// A batch of 1 key to L1 (cached, uncached).
    pub deposit_1: (u64, u64),
    /// A batch of 10 keys to L1 (cached, uncached).
    pub deposit_10: (u64, u64),
    /// ArbSys's share of the cached 10-key batch: the gas inside its `sendTxToL1` frame.
    pub arbsys_10: u64,
    /// An operator claims its rewards (cached, uncached).
    pub claim: (u64, u64),
    /// A batch of 10 keys with 10 and with 1,000 operators (cached, each operator's first
    /// deposit).
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

    /// The extra gas of one more key in a batch (cached).
    pub fn deposit_per_key(&self) -> u64 {
        (self.deposit_10.0 - self.deposit_1.0) / 9
    }

    /// The 10-key batch target: [`BATCH_10_TARGET`].
    pub fn deposit_10_target() -> u64 {
        BATCH_10_TARGET
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

/// A suite in the steady state of the module doc, `operators` operators with `keys` keys.
fn steady(operators: u16, keys: u32) -> (Suite, Validators) {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, 6);
    v.onboard(&mut s, operators, keys);
    s.deposit(ALICE, ether(10_000));
    let r = v.deposit(&mut s, 20);
    assert!(r.success, "warm-up batch: {:?}", r.status);
    (s, v)
}

/// The flatness pair's state: the same as [`steady`] (ALICE's 10,000 ether, ArbSys's
/// accumulator holding a send), but the warm-up batch of twenty keys went to one operator of
/// its own before `operators` operators with `keys` keys each joined, so the measured batch is
/// each of its operators' first deposit whatever their number. (In [`steady`] the warm-up
/// already moved ten operators' words, which a 10-key batch with 10 operators then touches
/// again while with 1,000 operators it reaches ten untouched ones: measured that way, the
/// 10-operator batch is cheaper by the first-deposit costs, not because of the number of
/// operators: 30, 100 and 1,000 operators cost the same to the gas.)
fn first_deposits(operators: u16, keys: u32) -> (Suite, Validators) {
    let mut s = Suite::deploy();
    let mut v = Validators::setup(&mut s, 6);
    v.onboard(&mut s, 1, 20);
    s.deposit(ALICE, ether(10_000));
    let r = v.deposit(&mut s, 20);
    assert!(r.success, "warm-up batch: {:?}", r.status);
    v.onboard(&mut s, operators, keys);
    (s, v)
}

fn set_cached(s: &mut Suite, v: &Validators, cached: bool) {
    for p in [s.pool, s.manager, s.queue, s.queue_extension, v.registry, v.extension] {
        s.vm.set_cached(p, cached);
    }
}

/// Runs `op` in the steady state, cached and uncached; the cached receipt too.
fn both_with(op: impl Fn(&mut Suite, &mut Validators) -> Receipt) -> ((u64, u64), Receipt) {
    let mut out = [0u64; 2];
    let mut cached_receipt = None;
    for (i, cached) in [true, false].into_iter().enumerate() {
        let (mut s, mut v) = steady(10, 100);
        set_cached(&mut s, &v, cached);
        let r = op(&mut s, &mut v);
        assert!(r.success, "{:?} 0x{}", r.status, alloy_primitives::hex::encode(&r.output));
        out[i] = r.gas_used;
        if cached {
            cached_receipt = Some(r);
        }
    }
    ((out[0], out[1]), cached_receipt.expect("measured cached"))
}

/// Runs `op` in the steady state, cached and uncached.
fn both(op: impl Fn(&mut Suite, &mut Validators) -> Receipt) -> (u64, u64) {
    both_with(op).0
}

/// ArbSys's share of a batch's receipt: the gas charged inside precompile frames, which must
/// be exactly one, ArbSys's `sendTxToL1` (see the module doc).
///
/// # Panics
///
/// When the batch called another precompile, or ArbSys other than once.
pub fn arbsys_share(r: &Receipt) -> u64 {
    let arbsys = stylus_vm::precompiles::ARB_SYS;
    let precompiles: Vec<Address> = r
        .calls
        .iter()
        .map(|c| c.code_address)
        .filter(|a| a.0[..18].iter().all(|&b| b == 0))
        .collect();
    assert_eq!(precompiles, vec![arbsys], "the batch's only precompile call is ArbSys's");
    r.breakdown.precompiles
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
    let commit_100 = both(|s, v| {
        let id = v.add_operator(s, "Fresh");
        v.commit(s, id, 100)
    });
    let commit_root_100 = both(|s, v| {
        let id = v.add_operator(s, "Fresh");
        v.commit_root(s, id, 100)
    });
    let vet = {
        let (mut s, mut v) = steady(10, 100);
        let id = v.add_operator(&mut s, "Fresh");
        v.commit(&mut s, id, 100);
        v.vet(&mut s, id, 100).gas_used
    };
    let deposit_1 = both(|s, v| v.deposit(s, 1));
    let (deposit_10, receipt) = both_with(|s, v| v.deposit(s, 10));
    let arbsys_10 = arbsys_share(&receipt);
    let claim = both(|s, v| {
        distribute_rewards(s, v, ether(1));
        s.send(
            reward_address(1),
            v.registry,
            U256::ZERO,
            &R::claimRewardsCall { operatorId: U256::from(1) },
        )
    });
    // Flatness: the same batch with 10 and 1,000 operators (20 keys each, to keep the
    // 1,000-operator setup quick; the proofs have the same depth in both), each operator's
    // first deposit in both (see [`first_deposits`]).
    let ten_keys = |operators: u16| {
        let (mut s, v) = first_deposits(operators, 20);
        let r = v.deposit(&mut s, 10);
        assert!(r.success, "batch with {operators} operators: {:?}", r.status);
        r.gas_used
    };
    let flat = (ten_keys(10), ten_keys(1_000));
    ValidatorGas { commit_100, commit_root_100, vet, deposit_1, deposit_10, arbsys_10, claim, flat }
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
    row("batch of 1 key to L1 (10 operators)", g.deposit_1, Some(LIDO_DEPOSIT_1), None);
    row(
        "batch of 10 keys to L1 (10 operators)",
        g.deposit_10,
        Some(LIDO_DEPOSIT_10),
        Some(ValidatorGas::deposit_10_target()),
    );
    row("– of which ArbSys's sendTxToL1 frame", (g.arbsys_10, 0), None, None);
    row(
        "batch of 10 keys to L1 (10 operators, 20-key batches, first deposits)",
        (g.flat.0, 0),
        None,
        None,
    );
    row(
        "batch of 10 keys to L1 (1,000 operators, 20-key batches, first deposits)",
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
        "\nA batch is the L2 transaction that sends its keys' ether and commitment to the L1 \
         vault (`depositBufferedEther`: the registry's checks and SSZ roots, one \
         `ArbSys.sendTxToL1`); Lido's column is its whole guarded deposit on L1, whose L1 side \
         here is the \"L1 leg\" section. The 10-key target is issue 16's: 0.8 x the {} gas of \
         the guarded 10-key deposit into an L2 deposit target it replaces. ArbSys's share is the \
         gas inside its `sendTxToL1` frame (hashing the send, the send accumulator's storage, \
         its events). Per key: (commit a 100-key root + vet 100) / 100 + (batch of 10 − batch \
         of 1) / 9: ({} + {}) / 100 + ({} − {}) / 9; with the keys in the calldata the commit is \
         {} instead. Flatness: the 10-key batch with 1,000 operators costs {:.3} x the one with \
         10 (target within 10%), both each operator's first deposit after a warm-up batch to \
         an operator of its own. Lido's 1,000-operator figure is not measured; the 100-operator \
         one ({}) is shown.",
        group(L2_DEPOSIT_10_BEFORE),
        group(g.commit_root_100.0),
        group(g.vet),
        group(g.deposit_10.0),
        group(g.deposit_1.0),
        group(g.commit_100.0),
        g.flatness(),
        group(2_330_845),
    );
    out
}
