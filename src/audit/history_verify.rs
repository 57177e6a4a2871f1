//! Verifying a history given as records (an export, a backup) before anything is written, and
//! without sled: `import`, `restore` and `audit verify --from-export/--from-backup` share it.
//!
//! In order of position, every record must decode, sit at its position, link to its predecessor's
//! SHA-256 and continue its stream; the first is the ledger's initialisation (its origin names the
//! checkpoints). Every checkpoint recorded in the history (`CheckpointRecorded`) must parse, name the
//! ledger's origin, agree with its recorded size and root, cover only records before it, be signed by
//! one of the given keys (when keys are given), and its root must be the RFC 9162 root of the records
//! it covers. A checkpoint given from outside (`--checkpoint FILE`) is checked the same way at the
//! end, and must be signed.
//!
//! Recomputing every later previous-hash after altering a record keeps the chain whole, but not the
//! roots the ledger signed: the first checkpoint covering the altered record contradicts the records.
//! A root says only that *some* record it covers differs, so the error names the checkpoint's position
//! and the range of records between the last checkpoint that still agrees and the one that does not.

use super::checkpoint::{SignedCheckpoint, VerifierKey};
use super::merkle::{self, MemoryTree};
use delib_events::codec::decode_header;
use delib_events::{decode_record, Event, LedgerEvent, RecordHash, StreamId};
use serde::Serialize;
use std::collections::HashMap;
use thiserror::Error;

/// The first thing wrong with a history.
#[derive(Debug, Clone, Error, Serialize)]
#[error("position {position}: {problem}")]
pub struct HistoryError {
    /// The first bad position: the bad record, or the checkpoint that contradicts the records.
    pub position: u64,
    /// When a checkpoint contradicts the records: the range that holds the altered record.
    pub altered: Option<(u64, u64)>,
    /// What is wrong.
    pub problem: String,
}

/// What a verified history is.
#[derive(Debug, Clone, Serialize)]
pub struct HistoryReport {
    /// Records.
    pub size: u64,
    /// Hex SHA-256 of the last record (the chain's head).
    pub head: String,
    /// Hex RFC 9162 root of all records.
    pub root: String,
    /// The ledger's checkpoint origin.
    pub origin: String,
    /// Checkpoints recorded in the history, all checked.
    pub checkpoints: u64,
    /// Whether their signatures were checked (false when no key was given).
    pub signatures_checked: bool,
    /// The size the outside checkpoint covered, if one was given.
    pub external_checkpoint_size: Option<u64>,
}

/// Verifies `records` (position 1 first) as described in the module documentation. `keys` may be
/// empty (signatures are then not checked, roots still are); `external` needs a key.
///
/// # Errors
/// The first problem found, with its position.
pub fn verify_history(
    records: &[Vec<u8>],
    keys: &[VerifierKey],
    external: Option<&SignedCheckpoint>,
) -> Result<HistoryReport, HistoryError> {
    let fail = |position: u64, problem: String| HistoryError {
        position,
        altered: None,
        problem,
    };
    let mut prev = RecordHash::GENESIS;
    let mut versions: HashMap<StreamId, u64> = HashMap::new();
    let mut tree = MemoryTree::new();
    let mut origin: Option<String> = None;
    let mut checkpoints = 0u64;
    // The size of the last checkpoint that agreed with the records.
    let mut agreed = 0u64;
    if records.is_empty() {
        return Err(fail(1, "the history holds no record".into()));
    }
    for (i, bytes) in records.iter().enumerate() {
        let position = i as u64 + 1;
        let header =
            decode_header(bytes).map_err(|e| fail(position, format!("does not decode: {e}")))?;
        if header.prev_hash != prev {
            return Err(fail(
                position,
                "does not link to the record before it".into(),
            ));
        }
        let record =
            decode_record(bytes).map_err(|e| fail(position, format!("does not decode: {e}")))?;
        let m = &record.metadata;
        if m.position.get() != position {
            return Err(fail(position, format!("claims position {}", m.position)));
        }
        let v = versions.entry(m.stream_id).or_default();
        *v += 1;
        if m.stream_version.get() != *v {
            return Err(fail(
                position,
                format!(
                    "is version {} of its stream, expected {v}",
                    m.stream_version
                ),
            ));
        }
        match (&record.event, position) {
            (Event::Ledger(LedgerEvent::LedgerInitialized { origin: o, .. }), 1) => {
                origin = Some(o.clone());
            }
            (_, 1) => {
                return Err(fail(
                    1,
                    "the first record is not the ledger's initialisation".into(),
                ))
            }
            (Event::Ledger(LedgerEvent::CheckpointRecorded { size, root, note }), _) => {
                checkpoints += 1;
                let signed = SignedCheckpoint::parse(note).map_err(|e| {
                    fail(position, format!("recorded checkpoint does not parse: {e}"))
                })?;
                let c = signed.checkpoint();
                if c.size != *size || c.root.as_bytes() != root {
                    return Err(fail(
                        position,
                        "the recorded checkpoint's size or root differs from its signed note"
                            .into(),
                    ));
                }
                if *size >= position {
                    return Err(fail(
                        position,
                        format!("the checkpoint recorded here covers {size} records, not only earlier ones"),
                    ));
                }
                check(&signed, origin.as_deref(), keys, &tree, position, agreed)?;
                agreed = agreed.max(*size);
            }
            _ => {}
        }
        tree.push_leaf_hash(merkle::leaf_hash(bytes));
        prev = RecordHash::of(bytes);
    }
    let size = records.len() as u64;
    let external_checkpoint_size = match external {
        None => None,
        Some(signed) => {
            if keys.is_empty() {
                return Err(fail(
                    0,
                    "a checkpoint given from outside needs the ledger's key to check its signature"
                        .into(),
                ));
            }
            if signed.checkpoint().size > size {
                return Err(fail(
                    size,
                    format!(
                        "the given checkpoint covers {} records but the history holds {size}: records are missing",
                        signed.checkpoint().size
                    ),
                ));
            }
            check(signed, origin.as_deref(), keys, &tree, size, agreed)?;
            Some(signed.checkpoint().size)
        }
    };
    Ok(HistoryReport {
        size,
        head: prev.to_hex(),
        root: tree.root().to_hex(),
        origin: origin.unwrap_or_default(),
        checkpoints,
        signatures_checked: !keys.is_empty(),
        external_checkpoint_size,
    })
}

/// Checks one signed checkpoint against the records so far (`tree`). `at` is the position named on
/// failure; `agreed` the size of the last checkpoint that agreed.
fn check(
    signed: &SignedCheckpoint,
    origin: Option<&str>,
    keys: &[VerifierKey],
    tree: &MemoryTree,
    at: u64,
    agreed: u64,
) -> Result<(), HistoryError> {
    let fail = |problem: String| HistoryError {
        position: at,
        altered: None,
        problem,
    };
    let c = signed.checkpoint();
    if origin != Some(c.origin.as_str()) {
        return Err(fail(format!(
            "checkpoint origin {} is not this ledger's",
            c.origin
        )));
    }
    if !keys.is_empty() && !keys.iter().any(|k| k.verify(signed).is_ok()) {
        return Err(fail(
            "checkpoint signature does not verify with the ledger's key".into(),
        ));
    }
    let root = merkle::root_at(tree, c.size).map_err(|e| fail(e.to_string()))?;
    if root != c.root {
        let from = if c.size > agreed { agreed + 1 } else { 1 };
        return Err(HistoryError {
            position: at,
            altered: Some((from, c.size)),
            problem: format!(
                "the signed checkpoint here covers the first {} records with root {}, but these records give {}: history was rewritten at a position in {from}..={}",
                c.size, c.root.to_hex(), root.to_hex(), c.size
            ),
        });
    }
    Ok(())
}
