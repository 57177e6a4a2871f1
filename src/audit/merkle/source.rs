//! Roots and proofs computed from a store that keeps only part of the tree.
//!
//! Every range of leaves that RFC 9162 hashes (`MTH(D[a:b])` in §2.1.1) is
//! split into *complete aligned subtrees*: blocks of `2^level` leaves that
//! start at a multiple of `2^level`. The hash of such a block never changes
//! once the block is full, so a store can persist it once and serve it
//! forever. This module asks a [`HashSource`] for those blocks and only
//! recomputes from leaf hashes the small blocks a store does not keep
//! (those below [`STORED_MIN_LEVEL`]), so no operation rehashes the ledger.

use super::hash::{empty_root, node_hash, Hash};

/// Lowest subtree level a store persists (a level-`l` node covers `2^l`
/// leaves).
///
/// Chosen as 4. The trade-off:
/// - **Writes.** A level-`l` node completes once every `2^l` appends, so
///   persisting all levels `>= k` costs `sum_{l>=k} 2^-l = 2^(1-k)` extra
///   keys per append amortised: 1/8 of a key (32-byte value) per event for
///   `k = 4`, against 1 per event for `k = 0`. The worst single append (when
///   the size reaches a multiple of a large power of two) writes at most
///   `64 - k` nodes; [`super::Frontier::push`] returns exactly these.
/// - **Reads.** A block below level `k` is recomputed from its leaves, so
///   each proof or root costs at most about `2^(k+1)` leaf-hash reads (32 for
///   `k = 4`) on top of its `O(log n)` node reads: leaf hashes are recomputed
///   from stored records, which is cheap at this scale but grows quickly
///   with `k`.
///
/// Changing this constant changes which nodes a store holds; a store written
/// with one value still yields correct results with another, because missing
/// nodes are recomputed (only more slowly).
pub const STORED_MIN_LEVEL: u8 = 4;

const _: () = assert!(STORED_MIN_LEVEL >= 1 && STORED_MIN_LEVEL < 64);

/// Read access to the hashes of a ledger's Merkle tree.
///
/// Implemented by the persistent store (leaf hashes recomputed from stored
/// records, nodes read from a dedicated keyspace) and by
/// [`super::MemoryTree`] for tests.
pub trait HashSource {
    /// The store's own failure (I/O, corruption, missing record).
    type Error: std::error::Error + 'static;

    /// RFC 9162 leaf hash of the record at `index` (0-based).
    ///
    /// # Errors
    /// Whatever the store fails with, including for an index that it does
    /// not hold.
    fn leaf_hash(&self, index: u64) -> Result<Hash, Self::Error>;

    /// Root of the complete aligned subtree over leaves
    /// `[index * 2^level, (index + 1) * 2^level)`, if the store keeps it.
    ///
    /// Callers only ask for `level >= STORED_MIN_LEVEL` and for subtrees that
    /// are complete in the tree being queried. `Ok(None)` is always a correct
    /// answer (the hash is then recomputed from lower levels).
    ///
    /// # Errors
    /// Whatever the store fails with.
    fn subtree(&self, level: u8, index: u64) -> Result<Option<Hash>, Self::Error>;
}

/// Why a root or proof could not be produced.
#[derive(Debug, thiserror::Error)]
pub enum TreeError<E: std::error::Error + 'static> {
    /// The leaf index is not below the tree size.
    #[error("leaf index {index} is out of range for tree size {size}")]
    IndexOutOfRange {
        /// The requested leaf index.
        index: u64,
        /// The requested tree size.
        size: u64,
    },
    /// A consistency proof was requested for sizes other than
    /// `0 < size1 <= size2`.
    #[error("no consistency proof exists from size {size1} to size {size2}")]
    InvalidSizes {
        /// The earlier tree size.
        size1: u64,
        /// The later tree size.
        size2: u64,
    },
    /// A subtree level of 64 or more was requested (it cannot be aligned in
    /// a `u64` index space).
    #[error("subtree level {level} is out of range")]
    LevelOutOfRange {
        /// The requested level.
        level: u8,
    },
    /// The hash source failed.
    #[error("hash source failed: {0}")]
    Source(#[source] E),
}

/// Hash of the complete aligned subtree at `level` and `index` (covering
/// leaves `[index * 2^level, (index + 1) * 2^level)`).
///
/// Uses the stored node when `level >= STORED_MIN_LEVEL` and the source has
/// it; otherwise combines its two halves, down to leaf hashes. Below
/// [`STORED_MIN_LEVEL`] the source is not asked for nodes at all, so the cost
/// there is at most `2^STORED_MIN_LEVEL` leaf reads.
///
/// # Errors
/// [`TreeError::LevelOutOfRange`] if `level >= 64` or the subtree's first
/// leaf index `index * 2^level` does not fit in a `u64`;
/// [`TreeError::Source`] if the source fails
/// (including for leaves it does not have).
pub fn complete_subtree_hash<S: HashSource + ?Sized>(
    src: &S,
    level: u8,
    index: u64,
) -> Result<Hash, TreeError<S::Error>> {
    if level >= 64 || index.checked_shl(u32::from(level)).map(|s| s >> level) != Some(index) {
        return Err(TreeError::LevelOutOfRange { level });
    }
    subtree_rec(src, level, index)
}

fn subtree_rec<S: HashSource + ?Sized>(
    src: &S,
    level: u8,
    index: u64,
) -> Result<Hash, TreeError<S::Error>> {
    if level == 0 {
        return src.leaf_hash(index).map_err(TreeError::Source);
    }
    if level >= STORED_MIN_LEVEL {
        if let Some(h) = src.subtree(level, index).map_err(TreeError::Source)? {
            return Ok(h);
        }
    }
    let left = subtree_rec(src, level - 1, 2 * index)?;
    let right = subtree_rec(src, level - 1, 2 * index + 1)?;
    Ok(node_hash(&left, &right))
}

/// `MTH(D[start:end])` for a range whose `start` is aligned to the largest
/// power of two not exceeding its length, as every range in the RFC's
/// recursive definitions is (and `start = 0` trivially is).
///
/// The range is the concatenation of one complete aligned subtree per set bit
/// of `end - start`, largest first; RFC 9162's split at "the largest power of
/// two smaller than n" makes the hash the right fold of those subtrees.
fn range_hash<S: HashSource + ?Sized>(
    src: &S,
    start: u64,
    end: u64,
) -> Result<Hash, TreeError<S::Error>> {
    debug_assert!(start < end);
    let len = end - start;
    let mut parts = Vec::with_capacity(len.count_ones() as usize);
    let mut offset = start;
    for level in (0..64u8).rev() {
        let width = 1u64 << level;
        if len & width != 0 {
            debug_assert_eq!(offset % width, 0, "range start is not aligned");
            parts.push(complete_subtree_hash(src, level, offset >> level)?);
            offset += width;
        }
    }
    let mut acc: Option<Hash> = None;
    for part in parts.iter().rev() {
        acc = Some(match acc {
            None => *part,
            Some(right) => node_hash(part, &right),
        });
    }
    // `len > 0`, so at least one part exists.
    Ok(acc.unwrap_or_else(empty_root))
}

/// Largest power of two strictly smaller than `n` (requires `n >= 2`), the
/// split point `k` of RFC 9162 §2.1.1.
fn split_point(n: u64) -> u64 {
    debug_assert!(n >= 2);
    1u64 << (63 - (n - 1).leading_zeros())
}

/// Root hash of the first `size` leaves (RFC 9162 `MTH(D[0:size])`).
///
/// Costs one node read per set bit of `size` at levels `>=
/// STORED_MIN_LEVEL`, plus fewer than `2^STORED_MIN_LEVEL` leaf reads.
///
/// # Errors
/// [`TreeError::Source`] if the source fails or lacks a needed leaf.
pub fn root_at<S: HashSource + ?Sized>(src: &S, size: u64) -> Result<Hash, TreeError<S::Error>> {
    if size == 0 {
        return Ok(empty_root());
    }
    range_hash(src, 0, size)
}

/// Inclusion proof (audit path, RFC 9162 §2.1.3.1 `PATH(m, D[n])`) for the
/// leaf at `index` in the tree of the first `size` leaves, ordered from the
/// leaf's sibling up to the root's child, as [`super::verify_inclusion`]
/// expects.
///
/// # Errors
/// [`TreeError::IndexOutOfRange`] if `index >= size`, [`TreeError::Source`]
/// if the source fails.
pub fn inclusion_proof<S: HashSource + ?Sized>(
    src: &S,
    index: u64,
    size: u64,
) -> Result<Vec<Hash>, TreeError<S::Error>> {
    if index >= size {
        return Err(TreeError::IndexOutOfRange { index, size });
    }
    // Walk from the root down, collecting the sibling of every subtree on the
    // way to the leaf; the proof lists them bottom-up.
    let mut top_down = Vec::new();
    let (mut start, mut end) = (0u64, size);
    while end - start > 1 {
        let mid = start + split_point(end - start);
        if index < mid {
            top_down.push(range_hash(src, mid, end)?);
            end = mid;
        } else {
            top_down.push(range_hash(src, start, mid)?);
            start = mid;
        }
    }
    top_down.reverse();
    Ok(top_down)
}

/// Consistency proof (RFC 9162 §2.1.4.1 `PROOF(m, D[n])`) that the tree of
/// the first `size2` leaves extends the tree of the first `size1`.
///
/// Empty when `size1 == size2`.
///
/// # Errors
/// [`TreeError::InvalidSizes`] unless `0 < size1 <= size2` (a proof from the
/// empty tree is meaningless and verifiers reject it), [`TreeError::Source`]
/// if the source fails.
pub fn consistency_proof<S: HashSource + ?Sized>(
    src: &S,
    size1: u64,
    size2: u64,
) -> Result<Vec<Hash>, TreeError<S::Error>> {
    if size1 == 0 || size1 > size2 {
        return Err(TreeError::InvalidSizes { size1, size2 });
    }
    // SUBPROOF(m, D[start:end], whole), unrolled: each step appends one
    // subtree hash after the proof of the recursive call, so hashes are
    // collected top-down and reversed at the end.
    let mut top_down = Vec::new();
    let (mut start, mut end) = (0u64, size2);
    // `b` in the RFC: true while the range still starts at leaf 0, so the
    // verifier already knows MTH(D[start:size1]) (it is root1) and it is not sent.
    let mut whole = true;
    while size1 != end {
        let mid = start + split_point(end - start);
        if size1 <= mid {
            top_down.push(range_hash(src, mid, end)?);
            end = mid;
        } else {
            top_down.push(range_hash(src, start, mid)?);
            start = mid;
            whole = false;
        }
    }
    // SUBPROOF(m, D[m], b): empty if b, else MTH(D[start:m]).
    if !whole {
        top_down.push(range_hash(src, start, end)?);
    }
    top_down.reverse();
    Ok(top_down)
}
