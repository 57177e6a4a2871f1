//! Building proof files and signed checkpoints from an open ledger: what `audit prove`, `audit
//! consistency` and the server's `/api/v1/audit/...` endpoints return, built in one place.

use super::checkpoint::Checkpoint;
use super::keys;
use super::merkle::{self, HashSource};
use super::proof_file::{ConsistencyProof, InclusionProof, ProofFile};
use crate::ledger::Ledger;
use crate::store::{EventStore, StoreError};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use delib_events::Position;
use thiserror::Error;

/// Why a proof or checkpoint could not be built.
#[derive(Debug, Error)]
pub enum ProofError {
    /// A size or position outside the ledger (a usage mistake: exit 1, HTTP 422).
    #[error("rule: {0}")]
    Range(String),
    /// The signing key is missing or unreadable (exit 3, HTTP 500).
    #[error("{0}")]
    Key(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Signs a checkpoint of the first `size` records, without recording it: the checkpoint and its
/// signed note.
///
/// # Errors
/// [`ProofError::Key`] when the key cannot be loaded or used; storage failures.
pub fn sign(ledger: &Ledger, size: u64) -> Result<(Checkpoint, String), ProofError> {
    super::checkpoints::sign(ledger, size).map_err(|e| match e {
        super::checkpoints::CheckpointingError::Store(s) => ProofError::Store(s),
        other => ProofError::Key(other.to_string()),
    })
}

/// The ledger's verifier key, as `audit key` prints it.
///
/// # Errors
/// [`ProofError::Key`].
pub fn verifier_key(ledger: &Ledger) -> Result<String, ProofError> {
    Ok(keys::load(ledger.dir())
        .map_err(|e| ProofError::Key(e.to_string()))?
        .verifier()
        .to_string())
}

fn size_or_head(ledger: &Ledger, size: Option<u64>) -> Result<u64, ProofError> {
    let head = ledger.store().head().position.get();
    let size = size.unwrap_or(head);
    if size == 0 || size > head {
        return Err(ProofError::Range(format!(
            "the size must be between 1 and the ledger's size ({head})"
        )));
    }
    Ok(size)
}

/// An inclusion proof of the record at `position` in the tree of `size` (default: the head).
///
/// # Errors
/// [`ProofError::Range`] for a position or size outside the ledger; key and storage failures.
pub fn inclusion(
    ledger: &Ledger,
    position: u64,
    size: Option<u64>,
) -> Result<ProofFile, ProofError> {
    let size = size_or_head(ledger, size)?;
    if position == 0 || position > size {
        return Err(ProofError::Range(format!(
            "the position must be between 1 and the tree size ({size})"
        )));
    }
    let index = position - 1;
    let store = ledger.store();
    let proof = store.inclusion_proof(index, size)?;
    let record = store
        .read_raw(Position::new(position), 1)?
        .pop()
        .map(|(_, b)| b)
        .unwrap_or_default();
    let (cp, note) = sign(ledger, size)?;
    Ok(ProofFile::Inclusion(InclusionProof {
        origin: cp.origin.clone(),
        position,
        leaf_index: index,
        tree_size: size,
        leaf_hash: store.hash_source().leaf_hash(index)?.to_base64(),
        record: Some(B64.encode(&record)),
        root: cp.root.to_base64(),
        proof: proof.iter().map(merkle::Hash::to_base64).collect(),
        checkpoint: note,
        key: verifier_key(ledger)?,
    }))
}

/// A consistency proof between the trees of sizes `from` and `to` (default: the head).
///
/// # Errors
/// [`ProofError::Range`] for sizes outside the ledger or out of order; key and storage failures.
pub fn consistency(ledger: &Ledger, from: u64, to: Option<u64>) -> Result<ProofFile, ProofError> {
    let to = size_or_head(ledger, to)?;
    if from == 0 || from > to {
        return Err(ProofError::Range(format!(
            "--from-size must be between 1 and --to-size ({to})"
        )));
    }
    let store = ledger.store();
    let proof = store.consistency_proof(from, to)?;
    let (cp, note) = sign(ledger, to)?;
    Ok(ProofFile::Consistency(ConsistencyProof {
        origin: cp.origin.clone(),
        size1: from,
        size2: to,
        root1: store.merkle_root(from)?.to_base64(),
        root2: cp.root.to_base64(),
        proof: proof.iter().map(merkle::Hash::to_base64).collect(),
        checkpoint: note,
        key: verifier_key(ledger)?,
    }))
}
