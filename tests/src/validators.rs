//! The validator side of the suite on the VM: the node operator registry (core + extension)
//! deployed with the L1 vault's withdrawal credentials, guardians with real secp256k1 keys (they
//! pause deposits), operators' key batches with their Merkle proofs, and the depositor bot that
//! packs a batch's keys and proofs. A batch leaves L2 through ArbSys (`sendTxToL1`); the
//! single-world tests check its message ([`Validators::expected_send`]); the round trip through
//! the Outbox to the real vault is `tests/e2e/round_trip.rs`'s.
#![allow(
    clippy::cast_possible_truncation,
    reason = "test data: counts and ids are small, byte patterns truncate on purpose"
)]

use alloy_primitives::{address, keccak256, Address, B256, U256};
use alloy_sol_types::{sol, SolCall, SolConstructor};
use staking_common::deposit_data::{deposit_data_root, withdrawal_credentials, DEPOSIT_GWEI};
use staking_common::key_tree;
use staking_common::roles::{
    DEPOSIT_ROLE, DEPOSIT_SECURITY_ROLE, EXITED_REPORTER_ROLE, OPERATOR_LIMITS_ROLE,
    OPERATOR_MANAGER_ROLE,
};
use stylus_vm::Receipt;

use crate::{
    abi::{
        IAccessManager, INodeOperatorRegistry as R, IStakingPool, NodeOperatorRegistryDeployment,
    },
    deploy::{ether, read_wasm, Between, Suite, ADMIN, ALICE},
};

/// The L1 vault's address on the single-world tests (an L1 address; nothing runs there):
/// [`Validators::setup`] points the pool at it (`setL1Vault`) unless the pool has a vault.
pub const L1_VAULT: Address = address!("00000000000000000000000000000000a11ce1a1");

/// Most keys in one batch: the L1 vault's `MAX_BATCH_KEYS`.
pub const MAX_BATCH_KEYS: usize = 100;

sol! {
    /// The L1 vault's batch entry (`contracts/l1-vault/src/StakingVault.sol`): what the pool's
    /// L2-to-L1 message calls.
    function receiveBatch(bytes32 commitment, uint256 keys) payable;
}

/// `0x01` (or `0x02` when `compounding`) withdrawal credentials naming `vault`.
pub fn credentials_of(vault: Address, compounding: bool) -> B256 {
    let mut c = withdrawal_credentials(vault);
    if compounding {
        c[0] = 0x02;
    }
    B256::new(c)
}

/// A deposit guardian: a secp256k1 key and its address; the L1 vault's type
/// ([`l1_vault::Guardian`]), seeded here with the tag `guardian` ([`guardian`]).
pub use l1_vault::Guardian;

/// The registry's guardian `n`: secret `keccak256("guardian" ‖ n)`.
pub fn guardian(n: u64) -> Guardian {
    Guardian::seeded(b"guardian", n)
}

/// One committed batch of an operator's keys (deterministic fake BLS bytes: the deposit
/// contract checks the SSZ root, not the BLS signature).
#[derive(Clone)]
pub struct KeyBatch {
    /// Operator id.
    pub operator: u16,
    /// Batch number.
    pub batch: u16,
    /// First key index.
    pub start: u32,
    /// One past the last valid key index (lowered by a removal).
    pub end: u32,
    /// The pubkeys, from `start`.
    pub pubkeys: Vec<[u8; 48]>,
    /// The signatures, from `start`.
    pub signatures: Vec<[u8; 96]>,
}

impl KeyBatch {
    /// `n` keys of `operator` from index `start`.
    pub fn new(operator: u16, batch: u16, start: u32, n: u32) -> Self {
        let mut pubkeys = Vec::new();
        let mut signatures = Vec::new();
        for i in start..start + n {
            let seed = keccak256([&operator.to_be_bytes()[..], &i.to_be_bytes()].concat());
            let mut p = [0u8; 48];
            for (j, b) in p.iter_mut().enumerate() {
                *b = seed[j % 32] ^ (j as u8);
            }
            let mut s = [0u8; 96];
            for (j, b) in s.iter_mut().enumerate() {
                *b = seed[(j * 7) % 32].wrapping_add(j as u8) | 1;
            }
            pubkeys.push(p);
            signatures.push(s);
        }
        Self { operator, batch, start, end: start + n, pubkeys, signatures }
    }

    /// All pubkeys, concatenated.
    pub fn pubkeys_bytes(&self) -> Vec<u8> {
        self.pubkeys.concat()
    }

    /// All signatures, concatenated.
    pub fn signatures_bytes(&self) -> Vec<u8> {
        self.signatures.concat()
    }

    fn levels(&self) -> Vec<Vec<B256>> {
        let leaves =
            self.pubkeys.iter().zip(&self.signatures).map(|(p, s)| key_tree::leaf(p, s)).collect();
        key_tree::levels(leaves)
    }

    /// The Merkle root the registry computes.
    pub fn root(&self) -> B256 {
        key_tree::root(&self.levels())
    }

    /// The siblings of key `index`, bottom-up.
    pub fn proof(&self, index: u32) -> Vec<B256> {
        key_tree::proof(&self.levels(), (index - self.start) as usize)
    }

    /// Whether it holds key `index`.
    pub fn holds(&self, index: u32) -> bool {
        self.start <= index && index < self.end
    }
}

/// The registry and the guardians, deployed next to a [`Suite`].
pub struct Validators {
    /// Registry (core program).
    pub registry: Address,
    /// Registry extension program.
    pub extension: Address,
    /// The withdrawal credentials the registry was deployed with (the L1 vault's).
    pub credentials: B256,
    /// Guardians, in the order added.
    pub guardians: Vec<Guardian>,
    /// Every batch committed (kept current by [`Validators::commit`]).
    pub batches: Vec<KeyBatch>,
}

/// The reward address of operator `id` in these tests.
pub fn reward_address(id: u16) -> Address {
    Address::left_padding_from(&[0x0e, (id >> 8) as u8, id as u8])
}

impl Validators {
    /// Deploys the registry's extension and the registry (with its constructor: the pool, the
    /// 0x01 withdrawal credentials of the pool's L1 vault, the manager) through the
    /// StylusDeployer (cached), points the pool at the queue and the registry and, when it has
    /// no L1 vault yet, at [`L1_VAULT`]; puts the upgrade delay on the registry's
    /// `upgradeExtension`, grants ADMIN the deposit, operator and security roles, and adds
    /// `guardians` guardians.
    ///
    /// # Panics
    ///
    /// When the wasm is missing or a setup call fails.
    pub fn setup(s: &mut Suite, guardians: usize) -> Self {
        let vault = match s.view(s.pool, &IStakingPool::l1VaultCall {})._0 {
            Address::ZERO => L1_VAULT,
            set => set,
        };
        Self::setup_hooked(s, guardians, credentials_of(vault, false), true, &mut |_, _, _| {})
    }

    /// As [`Validators::setup`], with the registry deployed with `credentials` (checked by its
    /// constructor), the pool pointed at the credentials' address when `set_vault` and it has
    /// no vault yet, and `between` called after every transaction: the deployments (the
    /// registry's through the StylusDeployer with its constructor), the pool's wiring, the
    /// upgrade delay, each role granted and each guardian added.
    ///
    /// # Panics
    ///
    /// When the wasm is missing or a setup call fails.
    pub fn setup_hooked(
        s: &mut Suite,
        guardians: usize,
        credentials: B256,
        set_vault: bool,
        between: Between<'_>,
    ) -> Self {
        let wasm = read_wasm("node-operator-registry-extension");
        let extension =
            s.deploy_program("node-operator-registry-extension", &wasm, None, U256::ZERO);
        let mut known = vec![("node-operator-registry-extension", extension)];
        between(s, "registry extension deployed", &known);
        if s.vm.block_number() < 10 {
            s.vm.set_block_number(10);
        }
        let args = NodeOperatorRegistryDeployment::constructorCall {
            pool: s.pool,
            withdrawalCredentials: credentials,
            accessManager: s.manager,
            extension,
        }
        .abi_encode();
        let wasm = read_wasm("node-operator-registry");
        let registry = s.deploy_program("node-operator-registry", &wasm, Some(&args), U256::ZERO);
        known.push(("node-operator-registry", registry));
        between(s, "registry deployed with its constructor", &known);
        s.set_protocol_contracts(registry);
        between(s, "pool wired to the registry", &known);
        let vault = Address::from_slice(&credentials[12..]);
        if set_vault && s.view(s.pool, &IStakingPool::l1VaultCall {})._0.is_zero() {
            s.ok(ADMIN, s.pool, U256::ZERO, &IStakingPool::setL1VaultCall { vault });
            between(s, "pool pointed at its L1 vault", &known);
        }
        s.delay_upgrades(registry);
        between(s, "upgradeExtension delayed", &known);
        for role in [
            DEPOSIT_ROLE,
            OPERATOR_MANAGER_ROLE,
            OPERATOR_LIMITS_ROLE,
            DEPOSIT_SECURITY_ROLE,
            EXITED_REPORTER_ROLE,
        ] {
            s.ok(
                ADMIN,
                s.manager,
                U256::ZERO,
                &IAccessManager::grantRoleCall { role, account: ADMIN },
            );
            between(s, "a role granted", &known);
        }
        let mut v =
            Self { registry, extension, credentials, guardians: Vec::new(), batches: Vec::new() };
        for n in 0..guardians {
            let g = guardian(n as u64);
            s.ok(ADMIN, registry, U256::ZERO, &R::addGuardianCall { guardian: g.address });
            v.guardians.push(g);
            between(s, "a guardian added", &known);
        }
        v
    }

    /// Adds an operator (reward address [`reward_address`]); returns its id.
    pub fn add_operator(&mut self, s: &mut Suite, name: &str) -> u16 {
        let count = s.view(self.registry, &R::getOperatorsCountCall {})._0.to::<u16>() + 1;
        let (id, _) = s.ok(
            ADMIN,
            self.registry,
            U256::ZERO,
            &R::addOperatorCall { name: name.into(), rewardAddress: reward_address(count) },
        );
        id._0.to::<u16>()
    }

    /// `n` fresh keys numbered as `operator`'s next batch.
    fn next_batch(&self, s: &mut Suite, operator: u16, n: u32) -> KeyBatch {
        let (_, _, _, _, _, submitted, _, batches) = self.operator(s, operator);
        KeyBatch::new(operator, batches as u16, submitted as u32, n)
    }

    /// Commits `n` new keys for `operator` from its reward address; returns the receipt.
    pub fn commit(&mut self, s: &mut Suite, operator: u16, n: u32) -> Receipt {
        let batch = self.next_batch(s, operator, n);
        let (_, r) = s.ok(
            reward_address(operator),
            self.registry,
            U256::ZERO,
            &R::commitKeysCall {
                operatorId: U256::from(operator),
                pubkeys: batch.pubkeys_bytes().into(),
                signatures: batch.signatures_bytes().into(),
            },
        );
        self.batches.push(batch);
        r
    }

    /// Commits the root of `n` new keys for `operator` from its reward address
    /// (`commitKeyRoot`: the harness keeps the keys, as the DAO would); returns the receipt.
    pub fn commit_root(&mut self, s: &mut Suite, operator: u16, n: u32) -> Receipt {
        let batch = self.next_batch(s, operator, n);
        let (_, r) = s.ok(
            reward_address(operator),
            self.registry,
            U256::ZERO,
            &R::commitKeyRootCall {
                operatorId: U256::from(operator),
                root: batch.root(),
                count: U256::from(n),
            },
        );
        self.batches.push(batch);
        r
    }

    /// Sets `operator`'s vetted limit (ADMIN holds the limits role).
    pub fn vet(&mut self, s: &mut Suite, operator: u16, vetted: u32) -> Receipt {
        s.ok(
            ADMIN,
            self.registry,
            U256::ZERO,
            &R::setVettedLimitCall { operatorId: U256::from(operator), vetted: U256::from(vetted) },
        )
        .1
    }

    /// Adds `operators` operators, each with `keys` keys committed and vetted.
    pub fn onboard(&mut self, s: &mut Suite, operators: u16, keys: u32) -> Vec<u16> {
        (0..operators)
            .map(|i| {
                let id = self.add_operator(s, &format!("Operator {i}"));
                self.commit(s, id, keys);
                self.vet(s, id, keys);
                id
            })
            .collect()
    }

    /// `getOperator(id)` as plain numbers: (active, reward, deposited, exited, vetted,
    /// submitted, target, batches).
    pub fn operator(
        &self,
        s: &mut Suite,
        id: u16,
    ) -> (bool, Address, u64, u64, u64, u64, U256, u64) {
        let o = s.view(self.registry, &R::getOperatorCall { operatorId: U256::from(id) });
        (
            o.active,
            o.rewardAddress,
            o.deposited.to(),
            o.exited.to(),
            o.vetted.to(),
            o.submitted.to(),
            o.targetLimit,
            o.keyBatches.to(),
        )
    }

    /// The packed per-key part for the next `count` deposits, from `getDepositAllocation`.
    ///
    /// # Panics
    ///
    /// When a key's batch is unknown to the harness.
    pub fn keys_data(&self, s: &mut Suite, count: usize) -> Vec<u8> {
        let plan = s.view(self.registry, &R::getDepositAllocationCall { count: U256::from(count) });
        let mut out = Vec::new();
        for ((op, index), hint) in plan.operatorIds.iter().zip(&plan.keyIndices).zip(&plan.hints) {
            let (op, index) = (op.to::<u16>(), index.to::<u32>());
            let batch = self
                .batches
                .iter()
                .find(|b| b.operator == op && b.holds(index))
                .expect("the harness committed this key");
            let k = (index - batch.start) as usize;
            out.extend_from_slice(&batch.pubkeys[k]);
            out.extend_from_slice(&batch.signatures[k]);
            out.extend_from_slice(&batch.batch.to_be_bytes());
            out.extend_from_slice(&batch.start.to_be_bytes());
            out.extend_from_slice(&batch.end.to_be_bytes());
            out.extend_from_slice(&hint.to::<u16>().to_be_bytes());
            let proof = batch.proof(index);
            out.push(proof.len() as u8);
            for sibling in proof {
                out.extend_from_slice(sibling.as_slice());
            }
        }
        out
    }

    /// The pool's side of a report until the oracle exists: ALICE moves `shares` of hers to
    /// the registry (as the pool would mint them), then the pool's address calls
    /// `onRewardsMinted(shares)`; returns that call's receipt (unchecked).
    ///
    /// # Panics
    ///
    /// When ALICE's share transfer fails.
    pub fn mint_rewards(&self, s: &mut Suite, shares: U256) -> Receipt {
        let pool = s.pool;
        s.ok(
            ALICE,
            pool,
            U256::ZERO,
            &IStakingPool::transferSharesCall { to: self.registry, sharesAmount: shares },
        );
        s.send(pool, self.registry, U256::ZERO, &R::onRewardsMintedCall { shares })
    }

    /// The packed data for a batch of the next `count` keys (the keys and their proofs:
    /// [`Validators::keys_data`]).
    pub fn deposit_data(&self, s: &mut Suite, count: usize) -> Vec<u8> {
        self.keys_data(s, count)
    }

    /// The next `count` keys in deposit order (`getDepositAllocation`), as `(pubkey,
    /// signature)`.
    ///
    /// # Panics
    ///
    /// When a key's batch is unknown to the harness.
    pub fn next_keys(&self, s: &mut Suite, count: usize) -> Vec<([u8; 48], [u8; 96])> {
        let plan = s.view(self.registry, &R::getDepositAllocationCall { count: U256::from(count) });
        plan.operatorIds
            .iter()
            .zip(&plan.keyIndices)
            .map(|(op, index)| {
                let (op, index) = (op.to::<u16>(), index.to::<u32>());
                let b = self.batch_of(op, index).expect("the harness committed this key");
                let k = (index - b.start) as usize;
                (b.pubkeys[k], b.signatures[k])
            })
            .collect()
    }

    /// The message a batch of the next `count` keys sends to the vault: `(destination,
    /// callvalue, data)` = `(vault, count x 32 ether, receiveBatch(commitment, count))`, the
    /// commitment recomputed here from the keys and [`Validators::credentials`]
    /// ([`commitment`]).
    pub fn expected_send(&self, s: &mut Suite, count: usize) -> (Address, U256, Vec<u8>) {
        let keys = self.next_keys(s, count);
        let commitment = commitment(&keys, &self.credentials);
        let data = receiveBatchCall { commitment, keys: U256::from(count) }.abi_encode();
        (Address::from_slice(&self.credentials[12..]), ether(32) * U256::from(count), data)
    }

    /// `depositBufferedEther(count, data)` from ADMIN (DEPOSIT_ROLE).
    pub fn deposit(&self, s: &mut Suite, count: usize) -> Receipt {
        let data = self.deposit_data(s, count);
        s.send(
            ADMIN,
            s.pool,
            U256::ZERO,
            &IStakingPool::depositBufferedEtherCall { count: U256::from(count), data: data.into() },
        )
    }
}

/// The commitment the L1 vault checks: `keccak256(root_0 ‖ … ‖ root_{n-1})` of the keys' SSZ
/// deposit data roots with `credentials` and 32 ether each, in order.
pub fn commitment(keys: &[([u8; 48], [u8; 96])], credentials: &B256) -> B256 {
    let roots: Vec<u8> = keys
        .iter()
        .flat_map(|(p, s)| deposit_data_root(p, &credentials.0, DEPOSIT_GWEI, s))
        .collect();
    keccak256(roots)
}

// ---------------------------------------------------------------- hand-built deposit data
//
// Tests that play the attacker tamper with one field of the data the bot would send; these
// build each key's entry on its own.

impl KeyBatch {
    /// The same batch with other key material (`salt` XORed into every pubkey and
    /// signature), so a recommitted index does not get the key it had before.
    #[must_use]
    pub fn salted(mut self, salt: u8) -> Self {
        for p in &mut self.pubkeys {
            p[0] ^= salt;
        }
        for s in &mut self.signatures {
            s[0] ^= salt;
        }
        self
    }

    /// The packed per-key entry of key `index` with `hint`, as [`Validators::keys_data`]
    /// writes it: pubkey, signature, batch, start, end, hint, depth and the proof.
    pub fn entry(&self, index: u32, hint: u16) -> Vec<u8> {
        self.packed(index, &hint.to_be_bytes())
    }

    /// Key `index`'s pubkey, signature, batch, start, end, then `field`, depth and the proof:
    /// the layout the registry's deposits (`field`: the hint) and forced exits (the key
    /// index) read.
    fn packed(&self, index: u32, field: &[u8]) -> Vec<u8> {
        let k = (index - self.start) as usize;
        let mut out = Vec::new();
        out.extend_from_slice(&self.pubkeys[k]);
        out.extend_from_slice(&self.signatures[k]);
        out.extend_from_slice(&self.batch.to_be_bytes());
        out.extend_from_slice(&self.start.to_be_bytes());
        out.extend_from_slice(&self.end.to_be_bytes());
        out.extend_from_slice(field);
        let proof = self.proof(index);
        out.push(proof.len() as u8);
        for sibling in proof {
            out.extend_from_slice(sibling.as_slice());
        }
        out
    }
}

impl KeyBatch {
    /// The packed per-key entry of key `index` for the registry's `forceExits`: pubkey,
    /// signature, batch, start, end, the key index, depth and the proof.
    pub fn forced_entry(&self, index: u32) -> Vec<u8> {
        self.packed(index, &index.to_be_bytes())
    }
}

impl Validators {
    /// The batch the harness committed that holds `operator`'s key `index`.
    pub fn batch_of(&self, operator: u16, index: u32) -> Option<&KeyBatch> {
        self.batches.iter().find(|b| b.operator == operator && b.holds(index))
    }

    /// Commits `batch` (its operator's next keys, numbered as the registry will number
    /// them) from the operator's reward address; the harness keeps it when it succeeds.
    pub fn commit_batch(&mut self, s: &mut Suite, batch: KeyBatch) -> Receipt {
        let r = s.send(
            reward_address(batch.operator),
            self.registry,
            U256::ZERO,
            &R::commitKeysCall {
                operatorId: U256::from(batch.operator),
                pubkeys: batch.pubkeys_bytes().into(),
                signatures: batch.signatures_bytes().into(),
            },
        );
        if r.success {
            self.batches.push(batch);
        }
        r
    }

    /// `removeUnusedKeys(operator, from, ...)` from the operator's reward address, naming the
    /// batch the harness knows holds `from` (zeros when none does). When it succeeds the
    /// harness cuts its batches as the registry does: the one holding `from` ends there (or
    /// goes when `from` is its start) and the operator's later ones go.
    pub fn remove_unused(&mut self, s: &mut Suite, operator: u16, from: u32) -> Receipt {
        let (batch, root, start, end) = self
            .batch_of(operator, from)
            .map_or((0, B256::ZERO, 0, 0), |b| (b.batch, b.root(), b.start, b.end));
        let r = s.send(
            reward_address(operator),
            self.registry,
            U256::ZERO,
            &R::removeUnusedKeysCall {
                operatorId: U256::from(operator),
                fromIndex: U256::from(from),
                batch: U256::from(batch),
                root,
                start: U256::from(start),
                end: U256::from(end),
            },
        );
        if r.success {
            let kept = self.batch_of(operator, from).filter(|_| from > start).cloned();
            self.batches.retain(|b| b.operator != operator || b.batch < batch);
            if let Some(mut cut) = kept {
                cut.end = from;
                self.batches.push(cut);
            }
        }
        r
    }
}

impl Validators {
    /// Operator `id`'s place in the deposit order, `(active validators, id)`, with `exited`
    /// as its exited count; `None` when it is not eligible (inactive, no vetted key left, or
    /// at its target).
    fn order_key(&self, s: &mut Suite, id: u16, exited: u64) -> Option<(u64, u16)> {
        let (active, _, deposited, _, vetted, _, target, _) = self.operator(s, id);
        let left = deposited - exited;
        (active && deposited < vetted && U256::from(left) < target).then_some((left, id))
    }

    /// Checks the registry's deposit order: exactly the eligible operators (active, a vetted
    /// key left, under the target), by (active validators, id).
    ///
    /// # Panics
    ///
    /// When the order differs.
    pub fn assert_order_exact(&self, s: &mut Suite) {
        let count = s.view(self.registry, &R::getOperatorsCountCall {})._0;
        let count = u16::try_from(count).expect("operators fit u16");
        let mut expected: Vec<(u64, u16)> = (1..=count)
            .filter_map(|id| {
                let exited = self.operator(s, id).3;
                self.order_key(s, id, exited)
            })
            .collect();
        expected.sort_unstable();
        let order = s.view(self.registry, &R::getDepositQueueCall {})._0;
        let expected: Vec<U256> = expected.iter().map(|&(_, id)| U256::from(id)).collect();
        assert_eq!(order, expected, "the deposit order");
    }

    /// The order hints a committee computes for exited counts `exited` (`(operator id,
    /// cumulative exited)`, ids increasing): for each, the operator it follows in the deposit
    /// order once it and the items before it are applied (0: the head, or it leaves the
    /// order). Read from the registry now and simulated as the registry applies them.
    pub fn exit_hints(&self, s: &mut Suite, exited: &[(u64, u64)]) -> Vec<u64> {
        let mut order: Vec<(u64, u16)> = s
            .view(self.registry, &R::getDepositQueueCall {})
            ._0
            .iter()
            .map(|&id| {
                let id = u16::try_from(id).expect("an operator id");
                let exited = self.operator(s, id).3;
                self.order_key(s, id, exited).expect("in the order: eligible")
            })
            .collect();
        exited
            .iter()
            .map(|&(id, count)| {
                let id = u16::try_from(id).expect("an operator id");
                order.retain(|&(_, other)| other != id);
                let Some(key) = self.order_key(s, id, count) else { return 0 };
                let at = order.partition_point(|&other| other < key);
                order.insert(at, key);
                if at == 0 {
                    0
                } else {
                    u64::from(order[at - 1].1)
                }
            })
            .collect()
    }
}
