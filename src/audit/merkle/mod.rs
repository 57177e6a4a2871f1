//! RFC 9162 Merkle tree: hashing, proof verification, and proof and root
//! generation from a store that keeps only some interior nodes.
//!
//! - [`hash`]: the [`Hash`](struct@Hash) type and the leaf/node hashing rules;
//! - [`verify`]: [`verify_inclusion`] and [`verify_consistency`], which need
//!   nothing but the proof;
//! - [`source`]: the [`HashSource`] abstraction over a store and the
//!   generators [`root_at`], [`inclusion_proof`] and [`consistency_proof`];
//! - [`frontier`]: the in-memory right edge used on append;
//! - [`memory`]: [`MemoryTree`], an in-memory [`HashSource`].

pub mod frontier;
pub mod hash;
pub mod memory;
pub mod source;
pub mod verify;

pub use frontier::{CompletedNode, Frontier};
pub use hash::{empty_root, leaf_hash, node_hash, Hash, HashParseError};
pub use memory::{MemoryTree, MissingLeaf};
pub use source::{
    complete_subtree_hash, consistency_proof, inclusion_proof, root_at, HashSource, TreeError,
    STORED_MIN_LEVEL,
};
pub use verify::{verify_consistency, verify_inclusion, ProofError};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod vectors;
