//! The send Merkle accumulator: every `sendTxToL1` appends its item hash, and the root is the
//! send root the rollup posts to L1, where the Outbox checks a proof of each send against it
//! (nitro's `arbos/merkleAccumulator`, nitro-contracts' `MerkleLib` and `AbsOutbox`).
//!
//! The tree: leaf `i` is `keccak256(itemHash_i)`; an inner node is `keccak256(left ‖ right)`;
//! a subtree with no leaf is the zero word; a tree of `n` sends has `bitlen(n - 1)` levels.
//! The accumulator keeps one partial per set bit of its size (the root of a complete
//! subtree of `2^L` leaves at level `L`) and folds them into the root from the lowest up,
//! padding with zero words.
//!
//! Storage (subspace `[5]` of the ArbOS state, see [`crate::arbos`]): size at offset 0,
//! partial of level `L` at offset `2 + L`.
//!
//! A keeper or relay uses the pure functions: [`send_root`] of all item hashes so far,
//! [`outbox_proof`] for one of them (what nitro's `NodeInterface.constructOutboxProof`
//! returns), and [`sends`] to read the sends out of a receipt's logs.

use alloy_primitives::{keccak256, Address, Bytes, Log, B256, U256};
use alloy_sol_types::{sol, SolEvent};

use super::{Arbos, Fail, Space};

sol! {
    /// ArbSys's events (nitro-contracts `src/precompiles/ArbSys.sol`).
    event L2ToL1Tx(
        address caller,
        address indexed destination,
        uint256 indexed hash,
        uint256 indexed position,
        uint256 arbBlockNum,
        uint256 ethBlockNum,
        uint256 timestamp,
        uint256 callvalue,
        bytes data
    );
    /// A node of the send tree that an append completed: `position = (level << 192) + leaf`.
    event SendMerkleUpdate(uint256 indexed reserved, bytes32 indexed hash, uint256 indexed position);
}

/// The accumulator's storage space.
fn space() -> Space {
    Space::root().sub(&[5])
}

/// `bitlen(x)`: nitro's `arbmath.Log2ceil`, the number of partials of a tree of size `x`.
fn bitlen(x: u64) -> u64 {
    u64::from(64 - x.leading_zeros())
}

/// A node an append completed (nitro's `MerkleTreeNodeEvent`): at `level`, for the leaf
/// `leaf` that completed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MerkleNode {
    /// Level above the leaves (1 for a pair of leaves).
    pub level: u64,
    /// Index of the leaf whose append completed the node.
    pub leaf: u64,
    /// The node's hash.
    pub hash: B256,
}

impl MerkleNode {
    /// The `position` topic of `SendMerkleUpdate`: `(level << 192) + leaf`.
    pub fn position(&self) -> U256 {
        (U256::from(self.level) << 192) + U256::from(self.leaf)
    }
}

/// Appends `item` to the accumulator in the ArbOS state; the nodes it completed.
pub(crate) fn append(arbos: &mut Arbos<'_>, item: B256) -> Result<Vec<MerkleNode>, Fail> {
    let space = space();
    let size = arbos.get_u64(space.slot(0))? + 1;
    arbos.set_u64(space.slot(0), size)?;
    let mut events = Vec::new();
    let mut level = 0;
    let mut so_far = keccak256(item);
    loop {
        if level == bitlen(size - 1) {
            arbos.set(space.slot(2 + level), so_far)?;
            break;
        }
        let this = arbos.get(space.slot(2 + level))?;
        if this.is_zero() {
            arbos.set(space.slot(2 + level), so_far)?;
            break;
        }
        so_far = arbos.keccak(&[this.0, so_far.0].concat())?;
        arbos.set(space.slot(2 + level), B256::ZERO)?;
        level += 1;
        events.push(MerkleNode { level, leaf: size - 1, hash: so_far });
    }
    Ok(events)
}

/// The accumulator's size (800 gas).
pub(crate) fn size(arbos: &mut Arbos<'_>) -> Result<u64, Fail> {
    arbos.get_u64(space().slot(0))
}

/// Size, root and partials, as `sendMerkleTreeState` returns them.
pub(crate) fn state_for_export(arbos: &mut Arbos<'_>) -> Result<(u64, B256, Vec<B256>), Fail> {
    let size = size(arbos)?;
    let mut partials = Vec::new();
    for level in 0..bitlen(size) {
        partials.push(arbos.get(space().slot(2 + level))?);
    }
    let (root, hashes) = fold_root(size, &partials);
    arbos.gas.burn(hashes * (30 + 6 * 2))?;
    Ok((size, root, partials))
}

/// The root from the partials (nitro's `Root`), and how many keccaks it took.
fn fold_root(size: u64, partials: &[B256]) -> (B256, u64) {
    if size == 0 {
        return (B256::ZERO, 0);
    }
    let mut hashes = 0;
    let mut so_far: Option<(B256, u64)> = None;
    let mut capacity = 1u64;
    for partial in partials.iter().take(usize::try_from(bitlen(size)).unwrap_or(usize::MAX)) {
        if !partial.is_zero() {
            so_far = Some(match so_far {
                None => (*partial, capacity),
                Some((mut hash, mut in_hash)) => {
                    while in_hash < capacity {
                        hash = keccak256([hash.0, [0; 32]].concat());
                        hashes += 1;
                        in_hash *= 2;
                    }
                    hashes += 1;
                    (keccak256([partial.0, hash.0].concat()), 2 * capacity)
                }
            });
        }
        capacity = capacity.saturating_mul(2);
    }
    (so_far.map_or(B256::ZERO, |(hash, _)| hash), hashes)
}

/// An in-memory send accumulator (what the ArbOS state holds), for relays and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SendAccumulator {
    size: u64,
    partials: Vec<B256>,
}

impl SendAccumulator {
    /// An empty accumulator.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a send's item hash; the nodes it completed.
    pub fn append(&mut self, item: B256) -> Vec<MerkleNode> {
        self.size += 1;
        let mut events = Vec::new();
        let mut level = 0usize;
        let mut so_far = keccak256(item);
        loop {
            if self.partials.len() <= level {
                self.partials.resize(level + 1, B256::ZERO);
            }
            if level as u64 == bitlen(self.size - 1) || self.partials[level].is_zero() {
                self.partials[level] = so_far;
                break;
            }
            so_far = keccak256([self.partials[level].0, so_far.0].concat());
            self.partials[level] = B256::ZERO;
            level += 1;
            events.push(MerkleNode { level: level as u64, leaf: self.size - 1, hash: so_far });
        }
        events
    }

    /// How many sends it holds.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The send root (zero when empty).
    pub fn root(&self) -> B256 {
        fold_root(self.size, &self.partials).0
    }

    /// The partials, one per bit of the size (zero where the bit is clear).
    pub fn partials(&self) -> Vec<B256> {
        let mut partials = self.partials.clone();
        partials.resize(usize::try_from(bitlen(self.size)).unwrap_or(0), B256::ZERO);
        partials
    }
}

/// The send root after the sends whose item hashes are `items`, in order.
pub fn send_root(items: &[B256]) -> B256 {
    let mut acc = SendAccumulator::new();
    for item in items {
        acc.append(*item);
    }
    acc.root()
}

/// The node at `level` and `index` of the tree of the first `size` sends (zero when the
/// subtree holds no send).
fn node(items: &[B256], size: u64, level: u64, index: u64) -> B256 {
    let first = index.checked_shl(u32::try_from(level).unwrap_or(u32::MAX)).unwrap_or(u64::MAX);
    if first >= size {
        return B256::ZERO;
    }
    if level == 0 {
        return keccak256(items[usize::try_from(index).unwrap_or(usize::MAX)]);
    }
    let left = node(items, size, level - 1, 2 * index);
    let right = node(items, size, level - 1, 2 * index + 1);
    keccak256([left.0, right.0].concat())
}

/// The proof that send `index` is in the tree of the first `size` sends (`items` holds at
/// least `size` item hashes): the siblings from the leaf up, as nitro's
/// `NodeInterface.constructOutboxProof(size, index)` returns them, so that
/// `MerkleLib.calculateRoot(proof, index, keccak256(items[index]))` is the send root of
/// `size` sends, the one the Outbox's `executeTransaction` checks.
///
/// # Panics
///
/// If `index >= size` or `items` holds fewer than `size` hashes.
pub fn outbox_proof(items: &[B256], size: u64, index: u64) -> Vec<B256> {
    assert!(index < size, "send {index} is not among the first {size}");
    assert!(items.len() as u64 >= size, "{} item hashes, not {size}", items.len());
    (0..bitlen(size - 1)).map(|level| node(items, size, level, (index >> level) ^ 1)).collect()
}

/// One `sendTxToL1`, as its `L2ToL1Tx` log tells it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct L2ToL1Send {
    /// The L2 account that sent it (the Outbox's `l2ToL1Sender()`).
    pub caller: Address,
    /// The L1 address the Outbox calls.
    pub destination: Address,
    /// The item hash (the leaf is its keccak).
    pub hash: B256,
    /// The send's index in the accumulator (the Outbox's `index`).
    pub position: u64,
    /// The L2 block it was sent in.
    pub arb_block_num: U256,
    /// The L1 block number ArbOS knew at the time.
    pub eth_block_num: U256,
    /// The L2 block's timestamp.
    pub timestamp: U256,
    /// Wei sent along (burned on L2, paid out of the Bridge on L1).
    pub callvalue: U256,
    /// The calldata for L1.
    pub data: Bytes,
}

impl L2ToL1Send {
    /// `AbsOutbox.calculateItemHash`: `keccak256(abi.encodePacked(l2Sender, to, l2Block,
    /// l1Block, l2Timestamp, value, data))`, which equals [`Self::hash`] for a real send.
    pub fn item_hash(&self) -> B256 {
        item_hash(
            self.caller,
            self.destination,
            self.arb_block_num,
            self.eth_block_num,
            self.timestamp,
            self.callvalue,
            &self.data,
        )
    }
}

/// `AbsOutbox.calculateItemHash` (and ArbSys's send hash).
pub fn item_hash(
    caller: Address,
    destination: Address,
    arb_block_num: U256,
    eth_block_num: U256,
    timestamp: U256,
    callvalue: U256,
    data: &[u8],
) -> B256 {
    let mut packed = Vec::with_capacity(40 + 4 * 32 + data.len());
    packed.extend_from_slice(caller.as_slice());
    packed.extend_from_slice(destination.as_slice());
    for x in [arb_block_num, eth_block_num, timestamp, callvalue] {
        packed.extend_from_slice(&x.to_be_bytes::<32>());
    }
    packed.extend_from_slice(data);
    keccak256(packed)
}

/// The sends among `logs` (a receipt's), in order: every `L2ToL1Tx` of ArbSys decoded.
pub fn sends(logs: &[Log]) -> Vec<L2ToL1Send> {
    logs.iter()
        .filter(|log| log.address == crate::precompiles::ARB_SYS)
        .filter_map(|log| L2ToL1Tx::decode_log_data(&log.data, true).ok())
        .map(|e| L2ToL1Send {
            caller: e.caller,
            destination: e.destination,
            hash: B256::from(e.hash),
            position: e.position.saturating_to(),
            arb_block_num: e.arbBlockNum,
            eth_block_num: e.ethBlockNum,
            timestamp: e.timestamp,
            callvalue: e.callvalue,
            data: e.data,
        })
        .collect()
}

/// The root the Outbox verifies a proof against: nitro-contracts' `MerkleLib.calculateRoot`
/// over `leaf` (`keccak256(item_hash)` for a send), hashing it as the left child at level `i`
/// when bit `i` of `index` is 0 and as the right child when it is 1.
pub fn calculate_root(proof: &[B256], index: u64, leaf: B256) -> B256 {
    let mut node = leaf;
    for (level, sibling) in proof.iter().enumerate() {
        let right = level < 64 && (index >> level) & 1 == 1;
        node = if right {
            keccak256([sibling.0, node.0].concat())
        } else {
            keccak256([node.0, sibling.0].concat())
        };
    }
    node
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(n: u64) -> Vec<B256> {
        (0..n).map(|i| keccak256(i.to_be_bytes())).collect()
    }

    #[test]
    fn every_proof_up_to_70_sends_verifies_against_the_accumulator_root() {
        let items = items(70);
        let mut acc = SendAccumulator::new();
        for size in 1..=70u64 {
            acc.append(items[usize::try_from(size).unwrap() - 1]);
            let root = acc.root();
            assert_eq!(root, send_root(&items[..usize::try_from(size).unwrap()]));
            for index in 0..size {
                let proof = outbox_proof(&items, size, index);
                assert_eq!(proof.len() as u64, bitlen(size - 1));
                let leaf = keccak256(items[usize::try_from(index).unwrap()]);
                assert_eq!(calculate_root(&proof, index, leaf), root, "size {size} index {index}");
            }
        }
    }

    #[test]
    fn small_roots_are_the_hand_computed_trees() {
        let i = items(3);
        let leaf = |k: usize| keccak256(i[k]);
        let pair = |a: B256, b: B256| keccak256([a.0, b.0].concat());
        assert_eq!(send_root(&[]), B256::ZERO);
        assert_eq!(send_root(&i[..1]), leaf(0));
        assert_eq!(send_root(&i[..2]), pair(leaf(0), leaf(1)));
        assert_eq!(send_root(&i), pair(pair(leaf(0), leaf(1)), pair(leaf(2), B256::ZERO)));
    }

    #[test]
    fn appends_report_the_nodes_they_complete() {
        let i = items(4);
        let mut acc = SendAccumulator::new();
        assert!(acc.append(i[0]).is_empty());
        let second = acc.append(i[1]);
        let h01 = keccak256([keccak256(i[0]).0, keccak256(i[1]).0].concat());
        assert_eq!(second, vec![MerkleNode { level: 1, leaf: 1, hash: h01 }]);
        assert!(acc.append(i[2]).is_empty());
        let fourth = acc.append(i[3]);
        assert_eq!(fourth.len(), 2);
        assert_eq!(fourth[1].hash, acc.root());
        assert_eq!(fourth[1].position(), (U256::from(2) << 192) + U256::from(3));
        assert_eq!(acc.partials(), vec![B256::ZERO, B256::ZERO, acc.root()]);
    }
}
