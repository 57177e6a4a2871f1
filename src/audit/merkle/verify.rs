//! Proof verification, following RFC 9162 §2.1.3.2 (inclusion) and
//! §2.1.4.2 (consistency) step by step.
//!
//! The expected proof length is checked before any hashing, so a truncated
//! or padded proof gets a precise [`ProofError::WrongProofLength`] instead of
//! a generic root mismatch.

use super::hash::{empty_root, node_hash, Hash};

/// Why a proof did not verify.
///
/// Every variant means "do not trust this claim"; the distinctions only help
/// diagnose whether the proof, the sizes or the roots are wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// The leaf index is not below the tree size (this includes every index
    /// in an empty tree).
    #[error("leaf index {index} is out of range for tree size {size}")]
    IndexOutOfRange {
        /// The claimed leaf index.
        index: u64,
        /// The claimed tree size.
        size: u64,
    },
    /// The later tree is smaller than the earlier one: logs only grow.
    #[error("tree size went backwards: {size1} then {size2}")]
    SizeDecreased {
        /// The earlier tree size.
        size1: u64,
        /// The later tree size.
        size2: u64,
    },
    /// A consistency proof from the empty tree to a non-empty one carries no
    /// information (every tree extends the empty tree), so it is refused
    /// rather than reported as a meaningful success.
    #[error("a consistency proof from the empty tree to size {size2} is meaningless")]
    FromEmptyTree {
        /// The later tree size.
        size2: u64,
    },
    /// The proof has the wrong number of hashes for the given sizes.
    #[error("proof has {got} hashes, expected {want}")]
    WrongProofLength {
        /// Number of hashes supplied.
        got: usize,
        /// Number of hashes RFC 9162 prescribes for these sizes.
        want: usize,
    },
    /// The root recomputed for the earlier tree of a consistency proof does
    /// not match the earlier root supplied.
    #[error("recomputed root of the earlier tree does not match the given root")]
    EarlierRootMismatch,
    /// The root recomputed from the proof does not match the root supplied.
    #[error("recomputed root does not match the given root")]
    RootMismatch,
}

/// Number of hashes in an RFC 9162 inclusion proof for `index` in a tree of
/// `size` leaves (requires `index < size`).
///
/// The path splits where the paths to `index` and to the last leaf diverge:
/// below that point every level contributes a sibling ("inner" part); above
/// it only the levels where `index` is a right child do ("border" part).
pub(crate) fn inclusion_proof_len(index: u64, size: u64) -> usize {
    debug_assert!(index < size);
    let inner = 64 - (index ^ (size - 1)).leading_zeros();
    let border = (index.checked_shr(inner).unwrap_or(0)).count_ones();
    (inner + border) as usize
}

/// Number of hashes in an RFC 9162 consistency proof from `size1` to
/// `size2` (requires `0 < size1 < size2`).
pub(crate) fn consistency_proof_len(size1: u64, size2: u64) -> usize {
    debug_assert!(0 < size1 && size1 < size2);
    let inner = 64 - ((size1 - 1) ^ (size2 - 1)).leading_zeros();
    let border = ((size1 - 1).checked_shr(inner).unwrap_or(0)).count_ones();
    let shift = size1.trailing_zeros();
    // The subtree of size 2^shift that ends at size1 is either the whole
    // earlier tree (then the verifier already knows its hash: root1) or it is
    // sent as the first proof element.
    let seed = usize::from(!size1.is_power_of_two());
    seed + (inner - shift) as usize + border as usize
}

/// Checks that the leaf with hash `leaf_hash` is at position `leaf_index` in
/// the tree of `tree_size` leaves whose root is `root` (RFC 9162 §2.1.3.2).
///
/// `proof` is the audit path, ordered from the leaf's sibling upwards, as
/// produced by [`super::inclusion_proof`].
///
/// # Errors
/// - [`ProofError::IndexOutOfRange`] if `leaf_index >= tree_size`;
/// - [`ProofError::WrongProofLength`] if `proof` has the wrong number of
///   hashes for that index and size;
/// - [`ProofError::RootMismatch`] if the recomputed root differs from `root`.
pub fn verify_inclusion(
    leaf_index: u64,
    tree_size: u64,
    leaf_hash: &Hash,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    if leaf_index >= tree_size {
        return Err(ProofError::IndexOutOfRange {
            index: leaf_index,
            size: tree_size,
        });
    }
    let want = inclusion_proof_len(leaf_index, tree_size);
    if proof.len() != want {
        return Err(ProofError::WrongProofLength {
            got: proof.len(),
            want,
        });
    }
    // RFC 9162 §2.1.3.2, steps 2 to 6.
    let mut fnode = leaf_index;
    let mut snode = tree_size - 1;
    let mut r = *leaf_hash;
    for p in proof {
        if snode == 0 {
            // Unreachable after the length check; kept as the RFC's guard.
            return Err(ProofError::WrongProofLength {
                got: proof.len(),
                want,
            });
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            if fnode & 1 == 0 {
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(ProofError::WrongProofLength {
            got: proof.len(),
            want,
        });
    }
    if r != *root {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}

/// Checks that the tree of `size2` leaves with root `root2` extends (is an
/// append-only continuation of) the tree of `size1` leaves with root `root1`
/// (RFC 9162 §2.1.4.2).
///
/// Edge cases, where the RFC's algorithm assumes `0 < size1 < size2`:
/// - `size1 == size2`: the proof must be empty and the roots equal (for
///   size 0 both must also be the empty-tree root);
/// - `size1 == 0 < size2`: refused with [`ProofError::FromEmptyTree`], as in
///   the transparency-dev reference verifier.
///
/// # Errors
/// - [`ProofError::SizeDecreased`] if `size2 < size1`;
/// - [`ProofError::FromEmptyTree`] if `size1 == 0 < size2`;
/// - [`ProofError::WrongProofLength`] if `proof` has the wrong number of
///   hashes for these sizes;
/// - [`ProofError::EarlierRootMismatch`] if the proof does not reproduce
///   `root1`;
/// - [`ProofError::RootMismatch`] if it does not reproduce `root2`.
pub fn verify_consistency(
    size1: u64,
    size2: u64,
    root1: &Hash,
    root2: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    if size2 < size1 {
        return Err(ProofError::SizeDecreased { size1, size2 });
    }
    if size1 == size2 {
        if !proof.is_empty() {
            return Err(ProofError::WrongProofLength {
                got: proof.len(),
                want: 0,
            });
        }
        if size1 == 0 && *root1 != empty_root() {
            return Err(ProofError::EarlierRootMismatch);
        }
        if root1 != root2 {
            return Err(ProofError::RootMismatch);
        }
        return Ok(());
    }
    if size1 == 0 {
        return Err(ProofError::FromEmptyTree { size2 });
    }
    let want = consistency_proof_len(size1, size2);
    if proof.len() != want {
        return Err(ProofError::WrongProofLength {
            got: proof.len(),
            want,
        });
    }
    // Step 2: if size1 is a power of two, the proof omits the earlier root,
    // which is the first hash the algorithm needs.
    let (seed, rest) = if size1.is_power_of_two() {
        (*root1, proof)
    } else {
        match proof.split_first() {
            Some((first, rest)) => (*first, rest),
            None => {
                return Err(ProofError::WrongProofLength { got: 0, want });
            }
        }
    };
    // Steps 3 and 4.
    let mut fnode = size1 - 1;
    let mut snode = size2 - 1;
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    // Step 5.
    let mut fr = seed;
    let mut sr = seed;
    // Step 6.
    for c in rest {
        if snode == 0 {
            return Err(ProofError::WrongProofLength {
                got: proof.len(),
                want,
            });
        }
        if fnode & 1 == 1 || fnode == snode {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if fnode & 1 == 0 {
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    // Step 7.
    if snode != 0 {
        return Err(ProofError::WrongProofLength {
            got: proof.len(),
            want,
        });
    }
    if fr != *root1 {
        return Err(ProofError::EarlierRootMismatch);
    }
    if sr != *root2 {
        return Err(ProofError::RootMismatch);
    }
    Ok(())
}
