//! World state, the per-transaction substate and the journal that undoes a reverted frame.
//!
//! The access-list and `SSTORE` rules are those of go-ethereum as Arbitrum calls them from
//! Stylus (`core/vm/operations_acl_arbitrum.go` in OffchainLabs/go-ethereum):
//! `WasmStateLoadCost`, `WasmStateStoreCost` (EIP-2200 with EIP-2929 cold surcharges and
//! EIP-3529 refunds), `WasmCallCost` and `WasmAccountTouchCost`.

use std::{
    collections::{HashMap, HashSet},
    sync::Arc,
};

use alloy_primitives::{Address, Bytes, Log, B256, U256};

use crate::{pricing::evm, program::Program, validate::STYLUS_PREFIX};

/// `keccak256("")`: the code hash of an account without code.
pub(crate) const EMPTY_CODE_HASH: B256 = revm::primitives::KECCAK_EMPTY;

/// An account: EVM bytecode and Stylus programs alike are its `code` (a program's code is
/// `0xEFF000` followed by its dictionary byte and the brotli-compressed wasm).
#[derive(Clone, Debug)]
pub(crate) struct Account {
    pub(crate) balance: U256,
    pub(crate) nonce: u64,
    pub(crate) code: Bytes,
    pub(crate) code_hash: B256,
}

impl Default for Account {
    fn default() -> Self {
        Self { balance: U256::ZERO, nonce: 0, code: Bytes::new(), code_hash: EMPTY_CODE_HASH }
    }
}

/// Whether `code` is a Stylus program: `0xEF 0xF0 0x00` and a known dictionary byte (nitro's
/// `IsStylusProgram`; 0 = no dictionary, 1 = the empty dictionary).
pub(crate) fn is_stylus_code(code: &[u8]) -> bool {
    code.len() > STYLUS_PREFIX.len() && code[..3] == STYLUS_PREFIX[..3] && code[3] <= 1
}

/// Whether new code starting with `0xEF` may still be deposited: go-ethereum's
/// `IsStylusComponentPrefix` at ArbOS 60, `0xEF 0xF0` then version 0 (a program, whatever its
/// dictionary byte), 1 (a fragment) or 2 (a root), and at least one byte more. Only the
/// programs of [`is_stylus_code`] run here.
pub(crate) fn is_stylus_component(code: &[u8]) -> bool {
    code.len() > 3 && code[..2] == [0xEF, 0xF0] && code[2] <= 2
}

/// Everything that outlives a transaction.
#[derive(Clone, Debug, Default)]
pub(crate) struct World {
    pub(crate) accounts: HashMap<Address, Account>,
    /// Non-zero storage slots.
    pub(crate) storage: HashMap<(Address, B256), B256>,
    /// Code hashes of the programs in the ArbOS cache.
    pub(crate) cached: HashSet<B256>,
    /// The activated programs (ArbWasm's `activateProgram`, or a direct
    /// [`crate::Vm::deploy`]), compiled, by the code hash they were activated for.
    pub(crate) programs: HashMap<B256, Arc<Program>>,
}

impl World {
    pub(crate) fn balance(&self, address: Address) -> U256 {
        self.accounts.get(&address).map_or(U256::ZERO, |a| a.balance)
    }

    pub(crate) fn sload(&self, address: Address, key: B256) -> B256 {
        self.storage.get(&(address, key)).copied().unwrap_or_default()
    }

    /// The activated program at `address`, with its code hash.
    pub(crate) fn program(&self, address: Address) -> Option<(B256, &Arc<Program>)> {
        let account = self.accounts.get(&address)?;
        self.programs.get(&account.code_hash).map(|p| (account.code_hash, p))
    }

    /// The code of `address` (empty for none).
    pub(crate) fn code(&self, address: Address) -> Bytes {
        self.accounts.get(&address).map(|a| a.code.clone()).unwrap_or_default()
    }

    /// The code hash of `address`: `keccak256(code)`, or zero for an account that does not
    /// exist (EIP-1052: EIP-161 empty).
    pub(crate) fn code_hash(&self, address: Address) -> B256 {
        if self.is_empty(address) {
            return B256::ZERO;
        }
        self.accounts.get(&address).map_or(EMPTY_CODE_HASH, |a| a.code_hash)
    }

    /// EIP-161 emptiness: no balance, nonce or code.
    pub(crate) fn is_empty(&self, address: Address) -> bool {
        self.accounts
            .get(&address)
            .is_none_or(|a| a.balance.is_zero() && a.nonce == 0 && a.code.is_empty())
    }

    /// Sets the code of `address` (no journal).
    pub(crate) fn put_code(&mut self, address: Address, code: Bytes) {
        let account = self.accounts.entry(address).or_default();
        account.code_hash =
            if code.is_empty() { EMPTY_CODE_HASH } else { alloy_primitives::keccak256(&code) };
        account.code = code;
    }

    fn write_slot(&mut self, address: Address, key: B256, value: B256) {
        if value.is_zero() {
            self.storage.remove(&(address, key));
        } else {
            self.storage.insert((address, key), value);
        }
    }
}

/// One undoable change.
#[derive(Debug)]
enum Entry {
    Storage { address: Address, key: B256, prev: B256 },
    Transient { address: Address, key: B256, prev: B256 },
    Balance { address: Address, prev: U256 },
    WarmAccount(Address),
    WarmSlot(Address, B256),
    Refund(i64),
    Log,
    Code { address: Address, prev: Bytes },
    Nonce { address: Address, prev: u64 },
    Activated(B256),
    Created(Address),
    Destructed(Address),
}

/// Transaction-scoped state: transient storage, access lists, refunds, logs, and the journal.
#[derive(Debug, Default)]
pub(crate) struct Substate {
    journal: Vec<Entry>,
    transient: HashMap<(Address, B256), B256>,
    /// Slot values at the start of the transaction, recorded on first write (EIP-2200's
    /// "original value").
    original: HashMap<(Address, B256), B256>,
    warm_accounts: HashSet<Address>,
    warm_slots: HashSet<(Address, B256)>,
    refund: i64,
    pub(crate) logs: Vec<Log>,
    /// Contracts created in this transaction (EIP-6780's `SELFDESTRUCT` rule).
    pub(crate) created: HashSet<Address>,
    /// Contracts of `created` that self-destructed: deleted when the transaction ends.
    pub(crate) destructed: HashSet<Address>,
}

/// World and substate together: what a transaction reads and writes.
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) world: World,
    pub(crate) sub: Substate,
}

impl State {
    /// A journal position to come back to.
    pub(crate) fn checkpoint(&self) -> usize {
        self.sub.journal.len()
    }

    /// Undoes every change made since `checkpoint`.
    pub(crate) fn revert_to(&mut self, checkpoint: usize) {
        while self.sub.journal.len() > checkpoint {
            let Some(entry) = self.sub.journal.pop() else { break };
            match entry {
                Entry::Storage { address, key, prev } => self.world.write_slot(address, key, prev),
                Entry::Transient { address, key, prev } => {
                    self.sub.transient.insert((address, key), prev);
                }
                Entry::Balance { address, prev } => {
                    self.world.accounts.entry(address).or_default().balance = prev;
                }
                Entry::WarmAccount(address) => {
                    self.sub.warm_accounts.remove(&address);
                }
                Entry::WarmSlot(address, key) => {
                    self.sub.warm_slots.remove(&(address, key));
                }
                Entry::Refund(prev) => self.sub.refund = prev,
                Entry::Log => {
                    self.sub.logs.pop();
                }
                Entry::Code { address, prev } => self.world.put_code(address, prev),
                Entry::Nonce { address, prev } => {
                    self.world.accounts.entry(address).or_default().nonce = prev;
                }
                Entry::Activated(hash) => {
                    self.world.programs.remove(&hash);
                }
                Entry::Created(address) => {
                    self.sub.created.remove(&address);
                }
                Entry::Destructed(address) => {
                    self.sub.destructed.remove(&address);
                }
            }
        }
    }

    /// The refund counter (never negative once the transaction is over).
    pub(crate) fn refund(&self) -> u64 {
        u64::try_from(self.sub.refund).unwrap_or(0)
    }

    fn set_refund(&mut self, value: i64) {
        self.sub.journal.push(Entry::Refund(self.sub.refund));
        self.sub.refund = value;
    }

    /// Sets the code of `address` (a contract creation), undone by a revert.
    pub(crate) fn set_code(&mut self, address: Address, code: Bytes) {
        let prev = self.world.code(address);
        self.world.put_code(address, code);
        self.sub.journal.push(Entry::Code { address, prev });
    }

    /// Records `address` as created in this transaction, undone by a revert.
    pub(crate) fn mark_created(&mut self, address: Address) {
        if self.sub.created.insert(address) {
            self.sub.journal.push(Entry::Created(address));
        }
    }

    /// Records that `address` self-destructed (EIP-6780, created in this transaction), undone
    /// by a revert; [`State::finish_transaction`] deletes it.
    pub(crate) fn mark_destructed(&mut self, address: Address) {
        if self.sub.destructed.insert(address) {
            self.sub.journal.push(Entry::Destructed(address));
        }
    }

    /// Adds `delta` to the refund counter (an EVM frame's `SSTORE` refunds), undone by a
    /// revert.
    pub(crate) fn add_refund(&mut self, delta: i64) {
        if delta != 0 {
            self.set_refund(self.sub.refund + delta);
        }
    }

    /// Sets the nonce of `address`, undone by a revert.
    pub(crate) fn set_nonce(&mut self, address: Address, nonce: u64) {
        let account = self.world.accounts.entry(address).or_default();
        let prev = std::mem::replace(&mut account.nonce, nonce);
        self.sub.journal.push(Entry::Nonce { address, prev });
    }

    /// Records `program` as activated for the code hash `hash`, undone by a revert.
    pub(crate) fn activate(&mut self, hash: B256, program: Arc<Program>) {
        if self.world.programs.insert(hash, program).is_none() {
            self.sub.journal.push(Entry::Activated(hash));
        }
    }

    pub(crate) fn set_balance(&mut self, address: Address, balance: U256) {
        let account = self.world.accounts.entry(address).or_default();
        self.sub.journal.push(Entry::Balance { address, prev: account.balance });
        account.balance = balance;
    }

    /// Moves `value` from `from` to `to`; `false` (and no change) when `from` lacks it.
    pub(crate) fn transfer(&mut self, from: Address, to: Address, value: U256) -> bool {
        let Some(left) = self.world.balance(from).checked_sub(value) else { return false };
        if value.is_zero() {
            return true;
        }
        self.set_balance(from, left);
        let credited = self.world.balance(to).saturating_add(value);
        self.set_balance(to, credited);
        true
    }

    pub(crate) fn sstore(&mut self, address: Address, key: B256, value: B256) {
        let prev = self.world.sload(address, key);
        self.sub.original.entry((address, key)).or_insert(prev);
        self.sub.journal.push(Entry::Storage { address, key, prev });
        self.world.write_slot(address, key, value);
    }

    /// The slot's value at the start of the transaction (EIP-2200's "original value").
    pub(crate) fn original(&self, address: Address, key: B256) -> B256 {
        self.sub
            .original
            .get(&(address, key))
            .copied()
            .unwrap_or_else(|| self.world.sload(address, key))
    }

    pub(crate) fn tload(&self, address: Address, key: B256) -> B256 {
        self.sub.transient.get(&(address, key)).copied().unwrap_or_default()
    }

    pub(crate) fn tstore(&mut self, address: Address, key: B256, value: B256) {
        let prev = self.sub.transient.insert((address, key), value).unwrap_or_default();
        self.sub.journal.push(Entry::Transient { address, key, prev });
    }

    pub(crate) fn log(&mut self, log: Log) {
        self.sub.logs.push(log);
        self.sub.journal.push(Entry::Log);
    }

    /// Adds `address` to the access list; whether it was already there.
    pub(crate) fn warm_account(&mut self, address: Address) -> bool {
        let cold = self.sub.warm_accounts.insert(address);
        if cold {
            self.sub.journal.push(Entry::WarmAccount(address));
        }
        !cold
    }

    /// Adds a slot to the access list; whether it was already there.
    pub(crate) fn warm_slot(&mut self, address: Address, key: B256) -> bool {
        let cold = self.sub.warm_slots.insert((address, key));
        if cold {
            self.sub.journal.push(Entry::WarmSlot(address, key));
        }
        !cold
    }

    /// `WasmStateLoadCost`: 2,100 cold, 100 warm.
    pub(crate) fn load_cost(&mut self, address: Address, key: B256) -> u64 {
        if self.warm_slot(address, key) {
            evm::WARM_READ
        } else {
            evm::COLD_SLOAD
        }
    }

    /// `WasmStateStoreCost`: the gas of one flushed slot, adjusting the refund counter.
    pub(crate) fn store_cost(&mut self, address: Address, key: B256, value: B256) -> u64 {
        let clearing = i64::try_from(evm::SSTORE_CLEARS_REFUND).unwrap_or(i64::MAX);
        let cold = if self.warm_slot(address, key) { 0 } else { evm::COLD_SLOAD };
        let current = self.world.sload(address, key);
        if current == value {
            return cold + evm::WARM_READ;
        }
        let original = self.original(address, key);
        if original == current {
            if original.is_zero() {
                return cold + evm::SSTORE_SET;
            }
            if value.is_zero() {
                self.set_refund(self.sub.refund + clearing);
            }
            return cold + (evm::SSTORE_RESET - evm::COLD_SLOAD);
        }
        if !original.is_zero() {
            if current.is_zero() {
                self.set_refund(self.sub.refund - clearing);
            } else if value.is_zero() {
                self.set_refund(self.sub.refund + clearing);
            }
        }
        if original == value {
            let back = if original.is_zero() {
                evm::SSTORE_SET - evm::WARM_READ
            } else {
                evm::SSTORE_RESET - evm::COLD_SLOAD - evm::WARM_READ
            };
            self.set_refund(self.sub.refund + i64::try_from(back).unwrap_or(0));
        }
        cold + evm::WARM_READ
    }

    /// `WasmCallCost`: the caller-side price of a call, or `Err(cost so far)` past `budget`.
    pub(crate) fn call_cost(&mut self, to: Address, value: U256, budget: u64) -> Result<u64, u64> {
        let mut total = evm::WARM_READ;
        if total > budget {
            return Err(total);
        }
        if !self.warm_account(to) {
            total += evm::COLD_ACCOUNT - evm::WARM_READ;
            if total > budget {
                return Err(total);
            }
        }
        if !value.is_zero() {
            if self.world.is_empty(to) {
                total += evm::CALL_NEW_ACCOUNT;
                if total > budget {
                    return Err(total);
                }
            }
            total += evm::CALL_VALUE;
            if total > budget {
                return Err(total);
            }
        }
        Ok(total)
    }

    /// `WasmAccountTouchCost`: 2,600 cold / 100 warm, plus 700 when the code is read.
    pub(crate) fn touch_cost(&mut self, address: Address, with_code: bool) -> u64 {
        let code = if with_code { evm::EXTCODE_SIZE } else { 0 };
        if self.warm_account(address) {
            code + evm::WARM_READ
        } else {
            code + evm::COLD_ACCOUNT
        }
    }

    /// Ends the transaction: transient storage, access lists, refunds and original values go,
    /// and so do the accounts that self-destructed (code, nonce, balance and storage, as
    /// go-ethereum's `Finalise` deletes them).
    pub(crate) fn finish_transaction(&mut self) -> Vec<Log> {
        let sub = std::mem::take(&mut self.sub);
        if !sub.destructed.is_empty() {
            for address in &sub.destructed {
                self.world.accounts.remove(address);
            }
            self.world.storage.retain(|(address, _), _| !sub.destructed.contains(address));
        }
        sub.logs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        State { world: World::default(), sub: Substate::default() }
    }

    #[test]
    fn revert_restores_storage_balances_transient_and_logs() {
        let mut s = state();
        let a = Address::with_last_byte(1);
        let k = B256::with_last_byte(7);
        s.sstore(a, k, B256::with_last_byte(1));
        let cp = s.checkpoint();
        s.sstore(a, k, B256::with_last_byte(2));
        s.set_balance(a, U256::from(5));
        s.tstore(a, k, B256::with_last_byte(3));
        s.log(Log::new_unchecked(a, vec![], alloy_primitives::Bytes::default()));
        s.revert_to(cp);
        assert_eq!(s.world.sload(a, k), B256::with_last_byte(1));
        assert_eq!(s.world.balance(a), U256::ZERO);
        assert_eq!(s.tload(a, k), B256::ZERO);
        assert!(s.sub.logs.is_empty());
    }

    #[test]
    fn a_reverted_access_is_cold_again() {
        let mut s = state();
        let a = Address::with_last_byte(1);
        let cp = s.checkpoint();
        assert_eq!(s.touch_cost(a, false), 2_600);
        assert_eq!(s.touch_cost(a, false), 100);
        s.revert_to(cp);
        assert_eq!(s.touch_cost(a, false), 2_600);
    }
}
