//! An in-memory [`HashSource`], for tests and for tools that verify a
//! ledger export without a store.

use std::collections::HashMap;

use super::frontier::{CompletedNode, Frontier};
use super::hash::{leaf_hash, Hash};
use super::source::HashSource;

/// Error of [`MemoryTree`]: a leaf beyond its size was requested.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("leaf {index} is not in the tree of size {size}")]
pub struct MissingLeaf {
    /// The requested leaf index.
    pub index: u64,
    /// The tree's size.
    pub size: u64,
}

/// A tree held entirely in memory: every leaf hash, and the subtree nodes
/// that [`Frontier::push`] emits (exactly what a persistent store would
/// keep).
#[derive(Debug, Clone, Default)]
pub struct MemoryTree {
    leaves: Vec<Hash>,
    nodes: HashMap<(u8, u64), Hash>,
    frontier: Frontier,
}

impl MemoryTree {
    /// An empty tree.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends a record, hashing it as a leaf; returns its leaf hash.
    pub fn append(&mut self, record_bytes: &[u8]) -> Hash {
        let h = leaf_hash(record_bytes);
        self.push_leaf_hash(h);
        h
    }

    /// Appends an already computed leaf hash and stores the nodes it
    /// completes; returns them.
    pub fn push_leaf_hash(&mut self, hash: Hash) -> Vec<CompletedNode> {
        self.leaves.push(hash);
        let completed = self.frontier.push(hash);
        for node in &completed {
            self.nodes.insert((node.level, node.index), node.hash);
        }
        completed
    }

    /// Number of leaves.
    #[must_use]
    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    /// Current root.
    #[must_use]
    pub fn root(&self) -> Hash {
        self.frontier.root()
    }

    /// The in-memory right edge.
    #[must_use]
    pub fn frontier(&self) -> &Frontier {
        &self.frontier
    }

    /// Number of stored subtree nodes (to check the write amplification).
    #[must_use]
    pub fn stored_node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Forgets every stored node, so that all hashes must be recomputed from
    /// leaves (to test the fallback path of a store that lost its nodes).
    pub fn drop_stored_nodes(&mut self) {
        self.nodes.clear();
    }
}

impl HashSource for MemoryTree {
    type Error = MissingLeaf;

    fn leaf_hash(&self, index: u64) -> Result<Hash, MissingLeaf> {
        usize::try_from(index)
            .ok()
            .and_then(|i| self.leaves.get(i))
            .copied()
            .ok_or(MissingLeaf {
                index,
                size: self.size(),
            })
    }

    fn subtree(&self, level: u8, index: u64) -> Result<Option<Hash>, MissingLeaf> {
        Ok(self.nodes.get(&(level, index)).copied())
    }
}
