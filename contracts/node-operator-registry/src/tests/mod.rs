//! Motsu unit tests of the registry, one module per aspect.
//!
//! The registry's neighbours are mocks defined here:
//!
//! - `AccessManagerMock`: a flat role table whose `authorizeCall` reverts like the real one
//!   (`MockUnauthorized`), records what it was asked and can call back into the registry while
//!   it is asked (to reach the reentrancy guard);
//! - `PoolMock`: the pool's `transferShares(to, shares)`, recorded, optionally reverting or
//!   re-entering the registry;
//! - `ArbSysMock`, deployed at ArbSys's address (`0x64`): a block number (signed pauses);
//! - `ForwarderMock` (and `PoolMock::forward`): raw calldata into the registry's ABI router.
//!
//! motsu deploys the `ecrecover` precompile itself, so with `ArbSysMock` the whole deposit path
//! (Merkle proofs, deposit data roots, the batch's commitment) and signed pauses run natively.
//! [`Env`] bundles the contracts, an admin holding every registry role, guardians (motsu
//! `Account`s that sign digests), the L1 vault's withdrawal credentials the registry is
//! deployed with ([`CREDENTIALS`]) and a [`Book`] of the keys each operator committed (to build
//! proofs the way the depositor bot does).
//!
//! What motsu cannot do is left to the end-to-end tests on the release wasm: the core/extension
//! split (native builds route every selector in one program, so the `DELEGATECALL` to the
//! extension and its storage cache handling never run), the SDK's refusal of re-entry (motsu
//! lets a mock call back in, which only the registry's own guard then stops), transient
//! storage being per transaction (the native guard is a thread-local the `Lock` clears on
//! drop), gas.
#![allow(
    clippy::needless_range_loop,
    clippy::unused_self,
    clippy::cast_possible_truncation,
    clippy::needless_pass_by_value,
    clippy::unreadable_literal,
    clippy::missing_const_for_fn,
    unreachable_pub,
    reason = "test helpers narrow counts they chose themselves, take what the tests hold, and \
              write amounts as the contract does; mocks are `pub` for the SDK macros"
)]

use alloc::{string::String, vec, vec::Vec};
use core::cell::RefCell;
use std::{
    collections::BTreeMap,
    sync::{Mutex, MutexGuard, PoisonError},
};

use alloy_primitives::{keccak256, uint, Address, LogData, B256, U256};
use alloy_sol_types::{SolError, SolEvent};
use motsu::prelude::*;
use staking_common::{
    abi::Word,
    deposit_data::{deposit_data_root, DEPOSIT_GWEI},
    roles::{
        DEPOSIT_SECURITY_ROLE, EXITED_REPORTER_ROLE, OPERATOR_LIMITS_ROLE, OPERATOR_MANAGER_ROLE,
    },
};
use stylus_sdk::{
    abi::Bytes,
    prelude::*,
    storage::{StorageAddress, StorageBool, StorageBytes, StorageU256},
};

use crate::{
    errors::{AccessDenied, Error},
    guardians::ARB_SYS,
    keys::{batch_key, PUBKEY, SIGNATURE},
    storage::{Global, Operator},
    NodeOperatorRegistry,
};

mod allocation;
mod deposits;
mod errors;
mod guardians;
mod keys;
mod layout;
mod operators;
mod rewards;
mod router;

/// The accumulator's precision.
pub(crate) const E18: U256 = uint!(1_000_000_000_000_000_000_U256);
/// The extension program's address (native builds never call it).
pub(crate) const EXTENSION: Address = Address::repeat_byte(0xee);
/// The L2 block number `Env::new` starts at.
pub(crate) const BLOCK: u64 = 1_000;
/// The L1 vault the registry's withdrawal credentials name.
pub(crate) const VAULT: Address = Address::repeat_byte(0x1a);
/// The 0x01 withdrawal credentials `Env::new` deploys the registry with: [`VAULT`]'s
/// (`0x01`, 11 zero bytes, the address; `tests::operators` checks it against
/// `staking_common::deposit_data::withdrawal_credentials`).
pub(crate) const CREDENTIALS: B256 = B256::new([
    1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x1a, 0x1a, 0x1a, 0x1a, 0x1a, 0x1a, 0x1a, 0x1a, 0x1a, 0x1a,
    0x1a, 0x1a, 0x1a, 0x1a, 0x1a, 0x1a, 0x1a, 0x1a, 0x1a, 0x1a,
]);

pub(crate) use staking_common::mocks::{
    forward, AccessManagerMock, ForwarderMock, MockUnauthorized,
};

// ------------------------------------------------------------------ mocks

/// Stand-in for the pool's side of the registry: `transferShares`, recorded; it can revert or
/// call back into the registry while it is paid.
#[storage]
pub struct PoolMock {
    calls: StorageU256,
    total: StorageU256,
    last_to: StorageAddress,
    last_shares: StorageU256,
    revert_data: StorageBytes,
    reenter_target: StorageAddress,
    reenter_data: StorageBytes,
    reentry_ok: StorageBool,
    reentry_answer: StorageBytes,
}

unsafe impl TopLevelStorage for PoolMock {}

#[public]
impl PoolMock {
    fn revert_with(&mut self, data: Bytes) {
        self.revert_data.set_bytes(data.0);
    }

    fn set_reentry(&mut self, target: Address, data: Bytes) {
        self.reenter_target.set(target);
        self.reenter_data.set_bytes(data.0);
    }

    fn transfer_shares(
        &mut self,
        recipient: Address,
        shares_amount: U256,
    ) -> Result<U256, Vec<u8>> {
        let revert = self.revert_data.get_bytes();
        if !revert.is_empty() {
            return Err(revert);
        }
        let target = self.reenter_target.get();
        if !target.is_zero() {
            self.reenter_target.set(Address::ZERO);
            let call = self.reenter_data.get_bytes();
            let answer = staking_common::host::call(target, &call);
            self.reentry_ok.set(answer.is_ok());
            self.reentry_answer.set_bytes(answer.unwrap_or_else(|e| e));
        }
        self.calls.set(self.calls.get() + U256::from(1));
        self.total.set(self.total.get() + shares_amount);
        self.last_to.set(recipient);
        self.last_shares.set(shares_amount);
        Ok(shares_amount)
    }

    /// `(calls, total shares, last recipient, last shares)`.
    fn transfers(&self) -> (U256, U256, Address, U256) {
        (self.calls.get(), self.total.get(), self.last_to.get(), self.last_shares.get())
    }

    fn reentry(&self) -> (bool, Bytes) {
        (self.reentry_ok.get(), Bytes(self.reentry_answer.get_bytes()))
    }

    /// Calls `target` with `data` and the ether sent along, as the pool (through the
    /// registry's ABI router); the callee's revert data comes back as is.
    #[payable]
    #[allow(clippy::unused_self, reason = "a contract method, called through its ABI")]
    fn forward(&mut self, target: Address, data: Bytes) -> Result<Bytes, Vec<u8>> {
        forward(target, &data)
    }
}

/// Stand-in for ArbSys (deploy it at [`ARB_SYS`]): a block number.
#[storage]
pub struct ArbSysMock {
    number: StorageU256,
}

unsafe impl TopLevelStorage for ArbSysMock {}

#[public]
impl ArbSysMock {
    fn set_block_number(&mut self, number: U256) {
        self.number.set(number);
    }

    fn arb_block_number(&self) -> U256 {
        self.number.get()
    }
}

// ------------------------------------------------------------------ keys

/// One validator key: 48-byte pubkey, 96-byte signature.
pub(crate) type Key = ([u8; PUBKEY], [u8; SIGNATURE]);

/// A key derived from `seed` (distinct seeds, distinct keys).
pub(crate) fn key(seed: u64) -> Key {
    let h = |i: u8| keccak256([&seed.to_be_bytes()[..], &[i]].concat());
    let mut pubkey = [0u8; PUBKEY];
    pubkey[..32].copy_from_slice(h(0).as_slice());
    pubkey[32..].copy_from_slice(&h(1)[..16]);
    let mut signature = [0u8; SIGNATURE];
    for (i, chunk) in signature.chunks_exact_mut(32).enumerate() {
        chunk.copy_from_slice(h(2 + i as u8).as_slice());
    }
    (pubkey, signature)
}

/// `commitKeys`' two byte strings for `keys`.
pub(crate) fn pack(keys: &[Key]) -> (Vec<u8>, Vec<u8>) {
    (keys.iter().flat_map(|k| k.0).collect(), keys.iter().flat_map(|k| k.1).collect())
}

/// The leaves of `keys`, computed independently of the registry: `keccak256(pubkey ‖ sig)`.
pub(crate) fn leaves(keys: &[Key]) -> Vec<B256> {
    keys.iter().map(|(p, s)| keccak256([&p[..], &s[..]].concat())).collect()
}

/// `keccak256(left ‖ right)`.
pub(crate) fn node(left: B256, right: B256) -> B256 {
    keccak256([left.as_slice(), right.as_slice()].concat())
}

/// The Merkle siblings (bottom-up) of leaf `position` among `leaves` padded with zero words.
pub(crate) fn proof(leaves: &[B256], position: usize) -> Vec<B256> {
    let mut level = leaves.to_vec();
    level.resize(leaves.len().next_power_of_two(), B256::ZERO);
    let mut pos = position;
    let mut siblings = Vec::new();
    while level.len() > 1 {
        siblings.push(level[pos ^ 1]);
        level = level.chunks_exact(2).map(|p| node(p[0], p[1])).collect();
        pos /= 2;
    }
    siblings
}

/// One committed batch as the operator (and the bot) remember it.
#[derive(Debug, Clone)]
pub(crate) struct Batch {
    pub start: u32,
    /// The end the registry currently stores (lowered by a cut).
    pub end: u32,
    pub keys: Vec<Key>,
    pub root: B256,
}

/// The keys each operator committed, batch by batch (what `KeysCommitted` events and the
/// commit calldata tell an off-chain reader).
#[derive(Debug, Default)]
pub(crate) struct Book {
    seed: u64,
    pub ops: BTreeMap<u16, Vec<Batch>>,
}

impl Book {
    /// `n` fresh keys.
    pub(crate) fn fresh(&mut self, n: usize) -> Vec<Key> {
        (0..n)
            .map(|_| {
                self.seed += 1;
                key(self.seed)
            })
            .collect()
    }

    /// The batch holding `index` of operator `id`: `(batch, &Batch)`.
    pub(crate) fn find(&self, id: u16, index: u32) -> Option<(u16, &Batch)> {
        let batches = self.ops.get(&id)?;
        batches
            .iter()
            .enumerate()
            .find(|(_, b)| b.start <= index && index < b.end)
            .map(|(i, b)| (i as u16, b))
    }
}

// ------------------------------------------------------------------ signatures

/// A 65-byte `r ‖ s ‖ v` signature of `digest` (low `s`, `v` = 27 / 28).
pub(crate) fn sign(account: &Account, digest: B256) -> [u8; 65] {
    let signer = account.signer();
    let (sig, recid) =
        signer.credential().sign_prehash_recoverable(digest.as_slice()).expect("sign");
    let mut out = [0u8; 65];
    out[..64].copy_from_slice(&sig.to_bytes());
    out[64] = 27 + recid.to_byte();
    out
}

/// `keccak256(tag ‖ chainId ‖ registry)`, written from the guardians module's doc.
pub(crate) fn prefix(tag: &[u8], registry: Address) -> B256 {
    let chain = U256::from(staking_common::host::chain_id());
    keccak256([tag, &chain.to_be_bytes::<32>()[..], registry.word().as_slice()].concat())
}

/// The digest a guardian signs to pause deposits.
pub(crate) fn pause_digest(registry: Address, block_number: u64) -> B256 {
    keccak256(
        [
            prefix(b"sETH.DepositSecurity.PAUSE", registry).as_slice(),
            U256::from(block_number).word().as_slice(),
        ]
        .concat(),
    )
}

// ------------------------------------------------------------------ deposit data

/// One key's part of `depositKeys` data.
#[derive(Debug, Clone)]
pub(crate) struct KeyEntry {
    pub key: Key,
    pub batch: u16,
    pub start: u32,
    pub end: u32,
    pub hint: u16,
    pub siblings: Vec<B256>,
}

impl KeyEntry {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&self.key.0);
        out.extend_from_slice(&self.key.1);
        out.extend_from_slice(&self.batch.to_be_bytes());
        out.extend_from_slice(&self.start.to_be_bytes());
        out.extend_from_slice(&self.end.to_be_bytes());
        out.extend_from_slice(&self.hint.to_be_bytes());
        out.push(self.siblings.len() as u8);
        for s in &self.siblings {
            out.extend_from_slice(s.as_slice());
        }
        out
    }
}

// ------------------------------------------------------------------ environment

/// The registry, its neighbours, an admin with every registry role, guardians and the keys
/// committed so far.
pub(crate) struct Env {
    pub reg: Contract<NodeOperatorRegistry>,
    pub manager: Contract<AccessManagerMock>,
    pub pool: Contract<PoolMock>,
    pub arbsys: Contract<ArbSysMock>,
    pub admin: Address,
    /// Registered guardians, ascending by address.
    pub guardians: RefCell<Vec<Account>>,
    pub book: RefCell<Book>,
    /// Held for the environment's life (dropped last, after the contracts): see [`SERIAL`].
    _serial: MutexGuard<'static, ()>,
}

/// One environment at a time in the test binary. motsu keeps every test thread's state in one
/// `DashMap` and gives up on a shard that stays locked for 10 ms ("storage is locked"): on a
/// loaded machine a descheduled thread holding a shard fails an unrelated test. The tests
/// spend their time in the VM, so running them one after another costs little.
static SERIAL: Mutex<()> = Mutex::new(());

/// Every role the registry asks for.
pub(crate) const ROLES: [B256; 4] =
    [OPERATOR_MANAGER_ROLE, OPERATOR_LIMITS_ROLE, EXITED_REPORTER_ROLE, DEPOSIT_SECURITY_ROLE];

impl Env {
    /// Deployed, the admin granted every role, not initialized.
    pub(crate) fn deployed() -> Self {
        let serial = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
        let env = Self {
            reg: Contract::new(),
            manager: Contract::new(),
            pool: Contract::new(),
            arbsys: Contract::new_at(ARB_SYS),
            admin: Address::repeat_byte(0xad),
            guardians: RefCell::new(Vec::new()),
            book: RefCell::new(Book::default()),
            _serial: serial,
        };
        for role in ROLES {
            env.manager.sender(env.admin).grant(role, env.admin);
        }
        env.arbsys.sender(env.admin).set_block_number(U256::from(BLOCK));
        env
    }

    /// Deployed and initialized.
    pub(crate) fn new() -> Self {
        let env = Self::deployed();
        env.reg
            .sender(env.admin)
            .constructor(env.pool.address(), CREDENTIALS, env.manager.address(), EXTENSION)
            .motsu_expect("constructor");
        env
    }

    /// A caller for views and raw storage reads.
    pub(crate) fn r(&self) -> ContractCall<'_, NodeOperatorRegistry> {
        self.reg.sender(Address::repeat_byte(0x0b))
    }

    /// The global word.
    pub(crate) fn global(&self) -> Global {
        self.r().load_global()
    }

    /// Operator `id`'s word.
    pub(crate) fn op(&self, id: u16) -> Operator {
        self.r().op(id)
    }

    /// Writes operator `id`'s word (a state no public path reaches cheaply).
    pub(crate) fn put_op(&self, id: u16, op: &Operator) {
        self.reg.sender(self.admin).put_op(id, op);
    }

    /// Writes the global word.
    pub(crate) fn put_global(&self, g: &Global) {
        self.reg.sender(self.admin).global.set(g.pack());
    }

    /// The allocation list from its head.
    pub(crate) fn queue(&self) -> Vec<u16> {
        self.r().deposit_queue()
    }

    /// The events the registry logged so far.
    pub(crate) fn mark(&self) -> usize {
        self.reg.all_events().len()
    }

    /// The events logged since `mark`.
    pub(crate) fn logs_since(&self, mark: usize) -> Vec<LogData> {
        self.reg.all_events()[mark..].to_vec()
    }

    /// Adds an operator named `Operator <n>` paid to [`reward`]`(n)`; returns its id.
    pub(crate) fn add(&self) -> u16 {
        let n = self.global().operators + 1;
        let id = self
            .reg
            .sender(self.admin)
            .add_operator(&alloc::format!("Operator {n}"), reward(n))
            .motsu_expect("addOperator");
        assert_eq!(id, U256::from(n));
        n
    }

    /// Commits `n` fresh keys for operator `id` (as the manager); returns the batch.
    pub(crate) fn commit(&self, id: u16, n: usize) -> Batch {
        let keys = self.book.borrow_mut().fresh(n);
        self.commit_keys(id, keys)
    }

    /// Commits `keys` for operator `id` (as the manager) and books them.
    pub(crate) fn commit_keys(&self, id: u16, keys: Vec<Key>) -> Batch {
        let start = self.op(id).submitted;
        let (p, s) = pack(&keys);
        self.reg.sender(self.admin).commit_keys(U256::from(id), &p, &s).motsu_expect("commitKeys");
        let batch = Batch {
            start,
            end: start + keys.len() as u32,
            root: crate::keys::root(leaves(&keys)),
            keys,
        };
        self.book.borrow_mut().ops.entry(id).or_default().push(batch.clone());
        batch
    }

    /// Removes operator `id`'s keys from `from` on (as the manager), naming the batch from the
    /// book, and mirrors the cut there.
    pub(crate) fn remove(&self, id: u16, from: u32) -> Result<(), Error> {
        let (b, batch) = {
            let book = self.book.borrow();
            let (b, batch) = book.find(id, from).expect("a booked batch holds the index");
            (b, batch.clone())
        };
        self.reg
            .sender(self.admin)
            .remove_unused_keys(
                U256::from(id),
                U256::from(from),
                U256::from(b),
                batch.root,
                U256::from(batch.start),
                U256::from(batch.end),
            )
            .motsu_res()?;
        let mut book = self.book.borrow_mut();
        let batches = book.ops.get_mut(&id).expect("booked");
        if from == batch.start {
            batches.truncate(usize::from(b));
        } else {
            batches.truncate(usize::from(b) + 1);
            batches[usize::from(b)].end = from;
        }
        Ok(())
    }

    /// Sets operator `id`'s vetted limit (as the limits role).
    pub(crate) fn vet(&self, id: u16, vetted: u32) {
        self.reg
            .sender(self.admin)
            .set_vetted_limit(U256::from(id), U256::from(vetted))
            .motsu_expect("setVettedLimit");
    }

    /// Commits `n` keys and vets them all.
    pub(crate) fn commit_and_vet(&self, id: u16, n: usize) {
        self.commit(id, n);
        self.vet(id, self.op(id).submitted);
    }

    /// Sets (`Some`) or clears operator `id`'s target limit.
    pub(crate) fn set_target(&self, id: u16, limit: Option<u32>) {
        self.reg
            .sender(self.admin)
            .set_target_limit(U256::from(id), limit.is_some(), U256::from(limit.unwrap_or(0)))
            .motsu_expect("setTargetLimit");
    }

    /// Activates or deactivates operator `id`.
    pub(crate) fn set_active(&self, id: u16, active: bool) {
        self.reg
            .sender(self.admin)
            .set_operator_active(U256::from(id), active)
            .motsu_expect("setOperatorActive");
    }

    /// Reports operator `id`'s exited count (no hint: the walk starts at the head).
    pub(crate) fn exit(&self, id: u16, exited: u32) {
        self.exit_after(id, exited, U256::ZERO);
    }

    /// Reports operator `id`'s exited count with a hint for its new place.
    pub(crate) fn exit_after(&self, id: u16, exited: u32, hint: U256) {
        self.reg
            .sender(self.admin)
            .update_exited_validators(&[U256::from(id)], &[U256::from(exited)], &[hint], U256::ZERO)
            .motsu_expect("updateExitedValidators");
    }

    /// Registers `n` new guardians (motsu accounts).
    pub(crate) fn add_guardians(&self, n: usize) {
        for _ in 0..n {
            let count = self.guardians.borrow().len();
            let account = Account::from_seed(&alloc::format!("guardian {count}"));
            self.reg.sender(self.admin).add_guardian(account.address()).motsu_expect("addGuardian");
            let mut list = self.guardians.borrow_mut();
            list.push(account);
            list.sort_by_key(Account::address);
        }
    }

    /// The entry for operator `id`'s key `index` with `hint`, from the book.
    pub(crate) fn entry(&self, id: u16, index: u32, hint: u16) -> KeyEntry {
        let book = self.book.borrow();
        let (batch, b) = book.find(id, index).expect("a booked batch holds the index");
        let position = (index - b.start) as usize;
        KeyEntry {
            key: b.keys[position],
            batch,
            start: b.start,
            end: b.end,
            hint,
            siblings: proof(&leaves(&b.keys), position),
        }
    }

    /// The entries the depositor bot builds for the next `count` deposits
    /// (`getDepositAllocation`).
    pub(crate) fn entries(&self, count: usize) -> Vec<KeyEntry> {
        self.r()
            .allocation(count)
            .into_iter()
            .map(|(id, index, hint)| self.entry(id, index, hint))
            .collect()
    }

    /// The packed data of `entries`.
    pub(crate) fn data(entries: &[KeyEntry]) -> Vec<u8> {
        entries.iter().flat_map(KeyEntry::encode).collect()
    }

    /// The pool's side of a deposit: `depositKeys(count, data)` from the pool's address;
    /// `(withdrawalCredentials, commitment)`, decoded from the registry's ABI answer.
    pub(crate) fn deposit_raw(&self, count: U256, data: &[u8]) -> Result<(B256, B256), Error> {
        self.reg.sender(self.pool.address()).deposit_keys(count, data).motsu_res()
    }

    /// The next `count` deposits, as the bot would make them; checks the registry's answer:
    /// [`CREDENTIALS`] and the commitment to the keys' deposit data roots, in order.
    pub(crate) fn deposit(&self, count: usize) -> Result<(), Error> {
        let entries = self.entries(count);
        let (credentials, commitment) =
            self.deposit_raw(U256::from(count), &Self::data(&entries))?;
        assert_eq!(credentials, CREDENTIALS);
        assert_eq!(commitment, commitment_of(&entries, &CREDENTIALS));
        Ok(())
    }

    /// An initialized registry with one guardian.
    pub(crate) fn with_guardian() -> Self {
        let env = Self::new();
        env.add_guardians(1);
        env
    }

    /// Everything observable of the registry, to show a refused call changed nothing.
    pub(crate) fn snapshot(&self) -> Snapshot {
        let r = self.r();
        let g = r.load_global();
        // Every operator (and the next id), but at most the first 64 and the last two.
        let last = g.operators.saturating_add(1);
        let ids: Vec<u16> =
            (1..=last).filter(|&id| id <= 64 || u32::from(id) + 1 >= u32::from(last)).collect();
        let ops = ids
            .into_iter()
            .map(|id| {
                let key = U256::from(id);
                let op = r.op(id);
                let commitments = (0..=op.batches.saturating_add(1))
                    .map(|b| r.commitments.get(batch_key(id, b)))
                    .collect();
                OpSnapshot {
                    word: r.operators.get(key),
                    reward_address: r.reward_addresses.get(key),
                    name: r.names.getter(key).get_string(),
                    earned: r.earned.get(key),
                    commitments,
                }
            })
            .collect();
        let guardians = r.get_guardians();
        Snapshot {
            global: r.global.get(),
            rewards: r.rewards.get(),
            addresses: [r.pool.get(), r.access_manager.get(), r.extension.get()],
            credentials: r.withdrawal_credentials.get(),
            ops,
            guardian_index: guardians.iter().map(|&a| r.guardian_index.get(a)).collect(),
            guardians,
            events: self.reg.all_events().len(),
            balance: self.reg.balance(),
        }
    }
}

/// One operator's slots.
#[derive(Debug, PartialEq)]
pub(crate) struct OpSnapshot {
    word: U256,
    reward_address: Address,
    name: String,
    earned: U256,
    commitments: Vec<U256>,
}

/// Every slot of the registry a test can reach, its events and its balance.
#[derive(Debug, PartialEq)]
pub(crate) struct Snapshot {
    global: U256,
    rewards: U256,
    addresses: [Address; 3],
    credentials: B256,
    ops: Vec<OpSnapshot>,
    guardians: Vec<Address>,
    guardian_index: Vec<U256>,
    events: usize,
    balance: U256,
}

// ------------------------------------------------------------------ small helpers

/// The commitment the L1 vault checks: `keccak256` of the entries' SSZ deposit data roots
/// with `credentials`, 32 ether each, in order (computed from `staking_common::deposit_data`).
pub(crate) fn commitment_of(entries: &[KeyEntry], credentials: &B256) -> B256 {
    let roots: Vec<u8> = entries
        .iter()
        .flat_map(|e| deposit_data_root(&e.key.0, &credentials.0, DEPOSIT_GWEI, &e.key.1))
        .collect();
    keccak256(roots)
}

/// Operator `n`'s reward address in [`Env::add`].
pub(crate) fn reward(n: u16) -> Address {
    let mut a = [0x77u8; 20];
    a[18..].copy_from_slice(&n.to_be_bytes());
    Address::from(a)
}

pub(crate) fn u(n: u64) -> U256 {
    U256::from(n)
}

/// What the manager mock answers for `caller` without `role`, wrapped by the registry.
pub(crate) fn denied(caller: Address, role: B256) -> Error {
    Error::AccessDenied(AccessDenied {
        caller,
        role,
        reason: MockUnauthorized { account: caller, role }.abi_encode(),
    })
}

/// An event as motsu records it.
pub(crate) fn log<E: SolEvent>(event: &E) -> LogData {
    event.encode_log_data()
}

/// `(active, deposited, exited, vetted, submitted, target)` of an operator word.
pub(crate) fn counters(op: &Operator) -> (bool, u32, u32, u32, u32, u32) {
    (op.has(crate::storage::OP_ACTIVE), op.deposited, op.exited, op.vetted, op.submitted, op.target)
}
