//! `delib backup --to DIR`: see the module documentation of [`super`].

use super::{
    create_private_dir, io_err, read_hex_files, read_text_files, sha256_hex, write_atomic,
    BackupError, FileDigest, Manifest, RecordedNote, Segment, State, FORMAT, MANIFEST, PADS_DIR,
    RECORDS, STATE,
};
use crate::audit::checkpoints;
use crate::ledger::Ledger;
use crate::store::EventStore;
use delib_events::{Position, RecordHash};
use serde::Serialize;
use std::path::Path;

/// What a backup did.
#[derive(Debug, Clone, Serialize)]
pub struct BackupDone {
    /// Records in the backup now.
    pub size: u64,
    /// Records copied by this run (only those new since the last backup in the directory).
    pub copied: u64,
    /// The segment written, if any record was new.
    pub segment: Option<String>,
    /// Hex Merkle root at `size`.
    pub root: String,
    /// Hex SHA-256 of the last record.
    pub head: String,
}

/// Records read from the store per page.
const PAGE: usize = 4096;

/// Backs up the open `ledger` into `to`, incrementally: only the records new since the backup
/// already in `to` (if any) are copied. Safe while the ledger is in use (the server can call it):
/// it reads at the durable head.
///
/// # Errors
/// [`BackupError::Mismatch`] when `to` holds a backup of another ledger or of a history this ledger
/// does not continue; I/O, storage and key failures. The previous backup stays intact.
pub fn backup(ledger: &Ledger, to: &Path) -> Result<BackupDone, BackupError> {
    let store = ledger.store();
    // A pad is written before its ballot's opening is recorded and destroyed after its close: the
    // pads read before and after the head cover every share the side keyspace holds at the head.
    let pads_dir = ledger.dir().join(PADS_DIR);
    let mut election_pads = read_hex_files(&pads_dir)?;
    let (head, side) = store.head_with_side()?;
    for pad in read_hex_files(&pads_dir)? {
        if !election_pads.contains(&pad) {
            election_pads.push(pad);
        }
    }
    election_pads.sort();
    let size = head.position.get();
    let identity = ledger.identity()?;
    create_private_dir(to)?;
    let records_dir = to.join(RECORDS);
    create_private_dir(&records_dir)?;
    let prior = read_manifest(to)?;
    let mut segments = Vec::new();
    let mut from = 1u64;
    if let Some(prior) = &prior {
        if prior.origin != identity.origin {
            return Err(BackupError::Mismatch(format!(
                "{} holds a backup of another ledger ({}); choose another --to",
                to.display(),
                prior.origin
            )));
        }
        if prior.size > size {
            return Err(BackupError::Mismatch(format!(
                "{} holds {} records but the ledger only {size}; it is not this ledger's backup",
                to.display(),
                prior.size
            )));
        }
        let ours = store.read_raw(Position::new(prior.size), 1)?;
        match ours.first() {
            Some((p, bytes))
                if p.get() == prior.size && RecordHash::of(bytes).to_hex() == prior.head => {}
            _ => {
                return Err(BackupError::Mismatch(format!(
                    "the backup in {} ends at position {} with a record this ledger does not hold; it is another history",
                    to.display(),
                    prior.size
                )))
            }
        }
        segments = prior.segments.clone();
        from = prior.size + 1;
    }
    remove_unlisted_segments(&records_dir, &segments)?;
    // The new records, one segment.
    let mut segment = None;
    if from <= size {
        let mut bytes = Vec::new();
        let mut next = from;
        while next <= size {
            let page = store.read_raw(Position::new(next), PAGE)?;
            if page.is_empty() {
                break;
            }
            for (position, record) in page {
                if position.get() > size {
                    break;
                }
                bytes.extend_from_slice(&(record.len() as u32).to_be_bytes());
                bytes.extend_from_slice(&record);
                next = position.get() + 1;
            }
        }
        if next != size + 1 {
            return Err(BackupError::Damaged(format!(
                "the ledger's records stop at position {} below its head {size}",
                next - 1
            )));
        }
        let file = format!("{from:020}-{size:020}.seg");
        write_atomic(&records_dir, &file, &bytes)?;
        segments.push(Segment {
            file: file.clone(),
            first: from,
            last: size,
            bytes: bytes.len() as u64,
            sha256: sha256_hex(&bytes),
        });
        segment = Some(file);
    }
    // The state as of the same head.
    let tokens = match store.db().open_tree("tokens") {
        Ok(tree) => tree
            .iter()
            .map(|kv| kv.map(|(k, v)| (hex::encode(k), hex::encode(v))))
            .collect::<Result<Vec<_>, _>>()
            .map_err(StoreError::from)?,
        Err(e) => return Err(StoreError::from(e).into()),
    };
    let state = State {
        side: side
            .into_iter()
            .map(|(k, v)| (hex::encode(k), hex::encode(v)))
            .collect(),
        tokens,
        keys: read_text_files(&ledger.dir().join("keys"))?,
        people: read_text_files(&ledger.dir().join("people"))?,
        election_pads,
        time_zone: match std::fs::read_to_string(ledger.dir().join(crate::app::when::ZONE_FILE)) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(BackupError::Io {
                    path: ledger.dir().join(crate::app::when::ZONE_FILE),
                    source: e,
                })
            }
        },
    };
    let state_bytes =
        serde_json::to_vec(&state).map_err(|e| BackupError::Damaged(e.to_string()))?;
    // Named by its digest, so the state the current manifest names is never overwritten: a crash
    // before the new manifest leaves the old backup whole.
    let state_sha = sha256_hex(&state_bytes);
    let state_file = format!("{STATE}-{}.json", &state_sha[..16]);
    write_atomic(to, &state_file, &state_bytes)?;
    let documents = super::documents::back_up(ledger.dir(), to)?;
    tracing::debug!(documents, "documents copied");
    // The manifest last.
    let root = store.merkle_root(size)?;
    let (_, signed_head) =
        checkpoints::sign(ledger, size).map_err(|e| BackupError::Key(e.to_string()))?;
    let latest_checkpoint = latest_recorded(ledger, size)?;
    let manifest = Manifest {
        format: FORMAT,
        origin: identity.origin,
        size,
        head: head.hash.to_hex(),
        root: root.to_hex(),
        segments,
        state: FileDigest {
            file: state_file.clone(),
            sha256: state_sha,
        },
        signed_head,
        latest_checkpoint,
    };
    let manifest_bytes =
        serde_json::to_vec_pretty(&manifest).map_err(|e| BackupError::Damaged(e.to_string()))?;
    write_atomic(to, MANIFEST, &manifest_bytes)?;
    remove_old_states(to, &state_file)?;
    tracing::info!(size, copied = size + 1 - from, "backup written");
    Ok(BackupDone {
        size,
        copied: size + 1 - from,
        segment,
        root: manifest.root,
        head: manifest.head,
    })
}

use crate::store::StoreError;

/// The manifest in `dir`, if there is one.
pub(super) fn read_manifest(dir: &Path) -> Result<Option<Manifest>, BackupError> {
    let path = dir.join(MANIFEST);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| BackupError::Damaged(format!("{}: {e}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_err(&path)(e)),
    }
}

/// Removes segment files a crashed backup left that the manifest does not name.
fn remove_unlisted_segments(dir: &Path, listed: &[Segment]) -> Result<(), BackupError> {
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !listed.iter().any(|s| s.file == name) {
            std::fs::remove_file(entry.path()).map_err(io_err(&entry.path()))?;
        }
    }
    Ok(())
}

/// Removes the state files the manifest no longer names (an erased name goes with them).
fn remove_old_states(dir: &Path, current: &str) -> Result<(), BackupError> {
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(STATE) && name.ends_with(".json") && name != current {
            std::fs::remove_file(entry.path()).map_err(io_err(&entry.path()))?;
        }
    }
    super::sync_dir(dir)
}

/// The latest checkpoint recorded at or below position `size`.
fn latest_recorded(ledger: &Ledger, size: u64) -> Result<Option<RecordedNote>, BackupError> {
    use delib_events::{Event, LedgerEvent, StreamVersion};
    let stream = ledger.identity()?.stream;
    let events = ledger.store().read_stream(stream, StreamVersion::new(1))?;
    Ok(events
        .iter()
        .rev()
        .filter(|e| e.position().get() <= size)
        .find_map(|e| match &e.event {
            Event::Ledger(LedgerEvent::CheckpointRecorded { note, .. }) => Some(RecordedNote {
                position: e.position().get(),
                note: note.clone(),
            }),
            _ => None,
        }))
}
