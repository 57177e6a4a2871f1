//! Reading a backup without sled, verifying it, and restoring it into a new data directory.

use super::write::read_manifest;
use super::{io_err, sha256_hex, BackupError, Manifest, State, FORMAT, RECORDS};
use crate::audit::checkpoint::{SignedCheckpoint, SignerKey, VerifierKey};
use crate::audit::history_verify::{verify_history, HistoryReport};
use crate::clock::Clock;
use crate::store::{SledStore, StoreOptions};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A backup read and verified.
#[derive(Debug)]
pub struct BackupContents {
    /// Its manifest.
    pub manifest: Manifest,
    /// Every record, position 1 first.
    pub records: Vec<Vec<u8>>,
    /// Its state file.
    pub state: State,
    /// What verifying the history found.
    pub history: HistoryReport,
}

/// What a restore did.
#[derive(Debug, Clone, Serialize)]
pub struct Restored {
    /// The new data directory.
    pub data: PathBuf,
    /// Records restored.
    pub size: u64,
    /// Hex Merkle root.
    pub root: String,
    /// Hex SHA-256 of the last record.
    pub head: String,
    /// Recorded checkpoints verified.
    pub checkpoints: u64,
}

/// Reads the backup in `dir` and verifies it (segment hashes, state hash, the history against every
/// recorded checkpoint and `external`, root, head, the signed head), using the keys it holds.
///
/// # Errors
/// [`BackupError::Damaged`] or [`BackupError::Forged`] naming the first problem; I/O failures.
pub fn read_backup(
    dir: &Path,
    external: Option<&SignedCheckpoint>,
) -> Result<BackupContents, BackupError> {
    let manifest = read_manifest(dir)?
        .ok_or_else(|| BackupError::Damaged(format!("{} holds no manifest.json", dir.display())))?;
    if manifest.format != FORMAT {
        return Err(BackupError::Damaged(format!(
            "backup format {} is not {FORMAT}",
            manifest.format
        )));
    }
    let plain =
        |name: &str| !name.is_empty() && !name.contains(['/', '\\']) && !name.starts_with('.');
    if !plain(&manifest.state.file) || !manifest.segments.iter().all(|s| plain(&s.file)) {
        return Err(BackupError::Damaged(
            "the manifest names a file outside the backup".into(),
        ));
    }
    let mut records = Vec::with_capacity(manifest.size.min(1 << 20) as usize);
    for segment in &manifest.segments {
        let path = dir.join(RECORDS).join(&segment.file);
        let bytes = std::fs::read(&path).map_err(io_err(&path))?;
        let damaged = |what: &str| {
            BackupError::Damaged(format!(
                "segment {} (positions {}..={}): {what}",
                segment.file, segment.first, segment.last
            ))
        };
        if bytes.len() as u64 != segment.bytes || sha256_hex(&bytes) != segment.sha256 {
            return Err(damaged("its length or SHA-256 differs from the manifest"));
        }
        if segment.first != records.len() as u64 + 1 {
            return Err(damaged("does not follow the segment before it"));
        }
        let mut rest = &bytes[..];
        while !rest.is_empty() {
            if rest.len() < 4 {
                return Err(damaged("ends inside a record"));
            }
            let len = u32::from_be_bytes([rest[0], rest[1], rest[2], rest[3]]) as usize;
            if rest.len() < 4 + len || len > delib_events::codec::MAX_RECORD_LEN {
                return Err(damaged("ends inside a record"));
            }
            records.push(rest[4..4 + len].to_vec());
            rest = &rest[4 + len..];
        }
        if records.len() as u64 != segment.last {
            return Err(damaged("holds another number of records"));
        }
    }
    if records.len() as u64 != manifest.size {
        return Err(BackupError::Damaged(format!(
            "the segments hold {} records, the manifest says {}",
            records.len(),
            manifest.size
        )));
    }
    let state_path = dir.join(&manifest.state.file);
    let state_bytes = std::fs::read(&state_path).map_err(io_err(&state_path))?;
    if sha256_hex(&state_bytes) != manifest.state.sha256 {
        return Err(BackupError::Damaged(
            "the state file differs from the manifest's SHA-256".into(),
        ));
    }
    let state: State = serde_json::from_slice(&state_bytes)
        .map_err(|e| BackupError::Damaged(format!("state file: {e}")))?;
    let keys = verifiers(&state)?;
    let history = verify_history(&records, &keys, external).map_err(BackupError::Forged)?;
    if history.root != manifest.root || history.head != manifest.head {
        return Err(BackupError::Damaged(format!(
            "the records give root {} and head {}, the manifest says {} and {}",
            history.root, history.head, manifest.root, manifest.head
        )));
    }
    let signed = SignedCheckpoint::parse(&manifest.signed_head)
        .map_err(|e| BackupError::Damaged(format!("signed head: {e}")))?;
    let c = signed.checkpoint();
    if !keys.iter().any(|k| k.verify(&signed).is_ok())
        || c.size != manifest.size
        || c.root.to_hex() != manifest.root
        || c.origin != history.origin
    {
        return Err(BackupError::Damaged(
            "the signed head does not verify, or does not cover these records".into(),
        ));
    }
    Ok(BackupContents {
        manifest,
        records,
        state,
        history,
    })
}

/// Verifies the backup in `dir` without sled and without writing anything (`audit verify
/// --from-backup`).
///
/// # Errors
/// As [`read_backup`].
pub fn verify_backup(
    dir: &Path,
    external: Option<&SignedCheckpoint>,
) -> Result<HistoryReport, BackupError> {
    read_backup(dir, external).map(|c| c.history)
}

/// The keys the backup's checkpoints may be signed with: its signing key's public half, then the
/// keys of ledgers it was imported from.
fn verifiers(state: &State) -> Result<Vec<VerifierKey>, BackupError> {
    let file = |name: &str| state.keys.iter().find(|(n, _)| n == name).map(|(_, t)| t);
    let signer = file("checkpoint.key")
        .ok_or_else(|| BackupError::Damaged("the backup holds no checkpoint key".into()))?;
    let signer = SignerKey::parse(signer.trim())
        .map_err(|e| BackupError::Damaged(format!("checkpoint key: {e}")))?;
    let mut keys = vec![signer.verifier()];
    if let Some(previous) = file("previous.vkeys") {
        keys.extend(
            previous
                .lines()
                .filter_map(|l| VerifierKey::parse(l.trim()).ok()),
        );
    }
    Ok(keys)
}

/// Restores the backup in `from` into `data`, which must be absent or empty. Verifies the backup
/// first, builds the ledger in a sibling temporary directory, runs a full `audit verify` on it, and
/// only then renames it to `data`: a failed or interrupted restore leaves `data` as it was.
///
/// # Errors
/// [`BackupError::NotEmpty`], the errors of [`read_backup`], storage failures, or a restored ledger
/// that does not verify.
pub fn restore(
    from: &Path,
    data: &Path,
    clock: Arc<dyn Clock>,
    external: Option<&SignedCheckpoint>,
) -> Result<Restored, BackupError> {
    if data.exists() {
        let empty = std::fs::read_dir(data)
            .map_err(io_err(data))?
            .next()
            .is_none();
        if !empty {
            return Err(BackupError::NotEmpty(data.to_path_buf()));
        }
    }
    let contents = read_backup(from, external)?;
    let name = data
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "data".into());
    let parent = match data.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    let staging = parent.join(format!(".{name}.restoring"));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io_err(&staging))?;
    }
    let outcome = build(&contents, &staging, clock, from);
    if let Err(e) = outcome {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if data.exists() {
        std::fs::remove_dir(data).map_err(io_err(data))?;
    }
    std::fs::rename(&staging, data).map_err(io_err(data))?;
    super::sync_dir(&parent)?;
    Ok(Restored {
        data: data.to_path_buf(),
        size: contents.manifest.size,
        root: contents.manifest.root.clone(),
        head: contents.manifest.head.clone(),
        checkpoints: contents.history.checkpoints,
    })
}

/// Writes the ledger into `dir` and verifies it in full.
fn build(
    contents: &BackupContents,
    dir: &Path,
    clock: Arc<dyn Clock>,
    backup: &Path,
) -> Result<(), BackupError> {
    super::create_private_dir(dir)?;
    super::documents::restore(backup, dir)?;
    let unhex =
        |s: &str| hex::decode(s).map_err(|e| BackupError::Damaged(format!("state file: {e}")));
    let pairs = |list: &[(String, String)]| -> Result<Vec<crate::store::SideEntry>, BackupError> {
        list.iter()
            .map(|(k, v)| Ok((unhex(k)?, unhex(v)?)))
            .collect()
    };
    let side = pairs(&contents.state.side)?;
    let tokens = pairs(&contents.state.tokens)?;
    let pads = contents
        .state
        .election_pads
        .iter()
        .map(|(name, h)| Ok((name.clone(), unhex(h)?)))
        .collect::<Result<Vec<(String, Vec<u8>)>, BackupError>>()?;
    let as_bytes = |files: &[(String, String)]| -> Vec<(String, Vec<u8>)> {
        files
            .iter()
            .map(|(n, t)| (n.clone(), t.as_bytes().to_vec()))
            .collect()
    };
    for (sub, files) in [
        ("keys", as_bytes(&contents.state.keys)),
        ("people", as_bytes(&contents.state.people)),
        (super::PADS_DIR, pads),
    ] {
        if files.is_empty() {
            continue;
        }
        let d = dir.join(sub);
        super::create_private_dir(&d)?;
        for (file, bytes) in &files {
            if file.contains('/') || file.contains('\\') || file.starts_with('.') {
                return Err(BackupError::Damaged(format!(
                    "the state file names a file {file:?}"
                )));
            }
            super::write_atomic(&d, file, bytes)?;
        }
    }
    if let Some(zone) = &contents.state.time_zone {
        super::write_atomic(dir, crate::app::when::ZONE_FILE, zone.as_bytes())?;
    }
    {
        let options = StoreOptions {
            create: true,
            clock: clock.clone(),
            read_only: false,
            lock_wait: std::time::Duration::ZERO,
            ..StoreOptions::default()
        };
        let store = SledStore::open(dir, options)?;
        // The tokens first: the import's flush and fsync then make them durable too.
        let tree = store
            .db()
            .open_tree("tokens")
            .map_err(crate::store::StoreError::from)?;
        for (k, v) in tokens {
            tree.insert(k, v).map_err(crate::store::StoreError::from)?;
        }
        store.import_with_side(contents.records.clone(), side)?;
    }
    let ledger = crate::ledger::Ledger::open(dir, clock)?;
    let report = crate::audit::ledger_verify::verify_ledger(&ledger);
    if !report.ok || report.root != contents.manifest.root {
        let first = report
            .problems
            .first()
            .map(|p| format!("position {}: {}", p.position, p.problem))
            .unwrap_or_else(|| "the root differs".into());
        return Err(BackupError::Damaged(format!(
            "the restored ledger does not verify ({first})"
        )));
    }
    Ok(())
}
