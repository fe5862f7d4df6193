//! Which operator gets the next deposit: the eligible operator with the fewest active validators
//! (deposited - exited), ties by the lowest id.
//!
//! Eligible operators (see [`Operator::eligible`]) are kept in a doubly linked list sorted by
//! [`Operator::sort_key`]; the links live in the operators' own words, so keeping the list
//! costs no slot of its own. The head is the next to receive a key.
//!
//! - A deposit pops the head, counts the key, and puts the operator back (if still eligible)
//!   after the operator its hint names. [`NodeOperatorRegistry::insert`] checks the hint
//!   against its neighbours and walks from it when it is off, so a right hint costs two reads
//!   and a wrong one only gas: the order is always exact. A deposit of k keys costs O(k)
//!   whatever the number of operators.
//! - Exits (the oracle's report) lower an operator's active count and move it towards the
//!   head; the report carries a hint per operator (the one it follows afterwards, computed by
//!   the committee from the order at the reference slot), so a report's cost does not grow
//!   with the number of operators ([`NodeOperatorRegistry::refresh_after`]). A stale hint
//!   costs a walk, never the order.
//! - Any other change of an operator's key or eligibility (vetting, target, activation, key
//!   removal) takes it out and puts it back by walking from the head
//!   ([`NodeOperatorRegistry::refresh`]): administration pays O(position), deposits do not.
//!
//! [`NodeOperatorRegistry::allocation`] simulates the next `count` deposits, the same steps,
//! for the depositor bot (a view: it reads the whole list).

use alloc::vec::Vec;

use crate::{
    storage::{Global, Operator, OP_IN_LIST},
    NodeOperatorRegistry,
};

impl NodeOperatorRegistry {
    /// Takes an operator (word `op`, not yet written back) out of the list.
    pub(crate) fn unlink(&mut self, g: &mut Global, op: &mut Operator) {
        if !op.has(OP_IN_LIST) {
            return;
        }
        if op.prev == 0 {
            g.head = op.next;
        } else {
            let mut p = self.op(op.prev);
            p.next = op.next;
            self.put_op(op.prev, &p);
        }
        if op.next != 0 {
            let mut n = self.op(op.next);
            n.prev = op.prev;
            self.put_op(op.next, &n);
        }
        op.prev = 0;
        op.next = 0;
        op.set(OP_IN_LIST, false);
    }

    /// Puts operator `id` (word `op`, not in the list, not yet written back) into the list at
    /// its sorted place, starting the search at `hint` (an operator to follow; 0 or an operator
    /// not in the list: the head).
    pub(crate) fn insert(&mut self, g: &mut Global, id: u16, op: &mut Operator, hint: u16) {
        let key = op.sort_key(id);
        let mut prev =
            if hint != 0 && hint != id && self.op(hint).has(OP_IN_LIST) { hint } else { 0 };
        // Back while the candidate sorts after `id`.
        while prev != 0 {
            let p = self.op(prev);
            if p.sort_key(prev) < key {
                break;
            }
            prev = p.prev;
        }
        // Forward while the next one sorts before `id`.
        let mut next = if prev == 0 { g.head } else { self.op(prev).next };
        while next != 0 {
            let n = self.op(next);
            if n.sort_key(next) > key {
                break;
            }
            prev = next;
            next = n.next;
        }
        op.prev = prev;
        op.next = next;
        op.set(OP_IN_LIST, true);
        if prev == 0 {
            g.head = id;
        } else {
            let mut p = self.op(prev);
            p.next = id;
            self.put_op(prev, &p);
        }
        if next != 0 {
            let mut n = self.op(next);
            n.prev = id;
            self.put_op(next, &n);
        }
    }

    /// After any change to operator `id`'s counters, limits or flags: out of the list, and back
    /// in at its sorted place if eligible. Writes `op`.
    pub(crate) fn refresh(&mut self, g: &mut Global, id: u16, op: &mut Operator) {
        self.refresh_after(g, id, op, 0);
    }

    /// [`Self::refresh`], the search for its new place starting at `hint` (see
    /// [`Self::insert`]).
    pub(crate) fn refresh_after(&mut self, g: &mut Global, id: u16, op: &mut Operator, hint: u16) {
        self.unlink(g, op);
        if op.eligible() {
            self.insert(g, id, op, hint);
        }
        self.put_op(id, op);
    }

    /// The list from the head: the order in which operators receive keys.
    pub fn deposit_queue(&self) -> Vec<u16> {
        let mut out = Vec::new();
        let mut id = self.load_global().head;
        while id != 0 {
            out.push(id);
            id = self.op(id).next;
        }
        out
    }

    /// The next `count` deposits: for each, the operator, its key index and the hint that
    /// puts the operator back in the list (`0` when it leaves the list or goes first). Fewer
    /// entries when the vetted keys run out.
    pub fn allocation(&self, count: usize) -> Vec<(u16, u32, u16)> {
        let mut list: Vec<(u16, Operator)> =
            self.deposit_queue().into_iter().map(|id| (id, self.op(id))).collect();
        let mut out = Vec::with_capacity(count.min(list.len() * 8));
        while out.len() < count && !list.is_empty() {
            let (id, mut op) = list.remove(0);
            let index = op.deposited;
            op.deposited += 1;
            let mut hint = 0;
            if op.eligible() {
                let key = op.sort_key(id);
                let at = list.iter().position(|(i, o)| o.sort_key(*i) > key).unwrap_or(list.len());
                if at > 0 {
                    hint = list[at - 1].0;
                }
                list.insert(at, (id, op));
            }
            out.push((id, index, hint));
        }
        out
    }
}
