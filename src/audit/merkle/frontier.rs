//! The right edge of the tree, kept in memory so that appends and the
//! current root cost `O(log n)` without reading the store.

use super::hash::{empty_root, node_hash, Hash};
use super::source::{complete_subtree_hash, HashSource, TreeError, STORED_MIN_LEVEL};

/// A node that became complete with an append and that a store should
/// persist: the root of the aligned subtree of `2^level` leaves starting at
/// leaf `index * 2^level`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompletedNode {
    /// Height of the subtree (leaves are level 0).
    pub level: u8,
    /// Position of the subtree among those of its level.
    pub index: u64,
    /// Its RFC 9162 hash.
    pub hash: Hash,
}

/// The roots of the maximal complete aligned subtrees of the current tree
/// (one per set bit of its size, so at most 64), largest first.
///
/// This is everything needed to append a leaf and to compute the current
/// root: the log's "compact range" from 0 to its size.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    /// `(level, hash)`, strictly decreasing levels.
    nodes: Vec<(u8, Hash)>,
}

impl Frontier {
    /// The frontier of the empty tree.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Rebuilds the frontier of the first `size` leaves from a store, with
    /// one [`complete_subtree_hash`] per set bit of `size`.
    ///
    /// # Errors
    /// [`TreeError::Source`] if the source fails or lacks a needed hash.
    pub fn from_source<S: HashSource + ?Sized>(
        src: &S,
        size: u64,
    ) -> Result<Self, TreeError<S::Error>> {
        let mut nodes = Vec::with_capacity(size.count_ones() as usize);
        let mut offset = 0u64;
        for level in (0..64u8).rev() {
            let width = 1u64 << level;
            if size & width != 0 {
                nodes.push((level, complete_subtree_hash(src, level, offset >> level)?));
                offset += width;
            }
        }
        Ok(Self { size, nodes })
    }

    /// Number of leaves appended so far.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The maximal complete subtrees as `(level, hash)`, largest first.
    #[must_use]
    pub fn nodes(&self) -> &[(u8, Hash)] {
        &self.nodes
    }

    /// Appends the leaf with hash `leaf_hash` at index [`Frontier::size`].
    ///
    /// Returns the subtree nodes at levels `>= STORED_MIN_LEVEL` that this
    /// append completed, lowest first: the nodes a store must persist
    /// together with the record (amortised `2^(1 - STORED_MIN_LEVEL)` per
    /// append, see [`STORED_MIN_LEVEL`]).
    ///
    /// # Panics
    /// Never in practice: it would need `u64::MAX` appends.
    pub fn push(&mut self, leaf_hash: Hash) -> Vec<CompletedNode> {
        let leaf_index = self.size;
        let mut completed = Vec::new();
        let mut hash = leaf_hash;
        let mut level = 0u8;
        while let Some(&(top_level, left)) = self.nodes.last() {
            if top_level != level {
                break;
            }
            self.nodes.pop();
            hash = node_hash(&left, &hash);
            level += 1;
            if level >= STORED_MIN_LEVEL {
                completed.push(CompletedNode {
                    level,
                    index: leaf_index >> level,
                    hash,
                });
            }
        }
        self.nodes.push((level, hash));
        self.size = self
            .size
            .checked_add(1)
            .expect("a Merkle tree cannot hold more than u64::MAX leaves");
        completed
    }

    /// Current root hash (RFC 9162 `MTH` of all leaves), in `O(log n)`.
    #[must_use]
    pub fn root(&self) -> Hash {
        let mut iter = self.nodes.iter().rev();
        let Some(&(_, mut acc)) = iter.next() else {
            return empty_root();
        };
        for (_, left) in iter {
            acc = node_hash(left, &acc);
        }
        acc
    }
}
