//! Which operator gets the next deposit: the eligible operator with the fewest active validators
//! (deposited - exited), ties by the lowest id.
//!
//! Eligible operators (see [`Operator::eligible`]) are kept in a doubly linked list sorted by
//! [`Operator::sort_key`]; the links live in the operators' own words, so keeping the list
//! costs no slot of its own. The head is the next to receive a key.
//!
//! - A deposit pops the head, counts the key, and puts the operator back (if still eligible)
//!   after the operator its hint names. [`NodeOperatorRegistry::insert`] walks forward from a
//!   hint that sorts before the operator; from one that sorts after it, it walks back while
//!   also walking forward from the head, a step each in turn: a right hint reads two
//!   operators' words, a wrong one costs at most twice the shorter walk, and the order is
//!   always exact. A deposit of k keys costs O(k) whatever the number of operators.
//! - Exits (the oracle's report) lower an operator's active count and move it towards the
//!   head; the report carries a hint per operator (the one it follows afterwards, computed by
//!   the committee from the order at the reference slot), so a report's cost does not grow
//!   with the number of operators ([`NodeOperatorRegistry::refresh_after`]). If the order
//!   changed before processing (a deposit in between), a hint may be stale: it then costs a
//!   walk (at most twice the shorter one, as above), never the order.
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
    /// its sorted place. `hint` names an operator to follow: when it is in the list and sorts
    /// before `id`, the search walks forward from it (a right hint: one step); when it sorts
    /// after `id` (a stale hint), a walk back from it and a walk forward from the head take a
    /// step each in turn until one finds the place; otherwise the walk starts at the head. So a
    /// wrong hint costs at most twice the shorter of the two walks, and the order is exact.
    pub(crate) fn insert(&mut self, g: &mut Global, id: u16, op: &mut Operator, hint: u16) {
        let key = op.sort_key(id);
        // Forward: the place is after `fwd` (0: at the head) unless `next` sorts before `id`.
        let (mut fwd, mut next) = (0, g.head);
        // Backward: `back` sorts after `id` (0: no backward walk); `back_prev` is its prev.
        let (mut back, mut back_prev) = (0, 0);
        if hint != 0 && hint != id {
            let h = self.op(hint);
            if h.has(OP_IN_LIST) {
                if h.sort_key(hint) < key {
                    (fwd, next) = (hint, h.next);
                } else {
                    (back, back_prev) = (hint, h.prev);
                }
            }
        }
        let (prev, next) = loop {
            if next == 0 {
                break (fwd, 0);
            }
            let n = self.op(next);
            if n.sort_key(next) > key {
                break (fwd, next);
            }
            (fwd, next) = (next, n.next);
            if back != 0 {
                if back_prev == 0 {
                    break (0, back);
                }
                let p = self.op(back_prev);
                if p.sort_key(back_prev) < key {
                    break (back_prev, back);
                }
                (back, back_prev) = (back_prev, p.prev);
            }
        };
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
