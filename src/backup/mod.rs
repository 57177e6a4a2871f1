//! Backups of a ledger while it is in use, incremental, verifiable without sled, and restores.
//!
//! A backup directory holds:
//! - `records/<first>-<last>.seg`: the exact bytes of records `first..=last`, each as a 4-byte
//!   big-endian length and the record. Append-only: each backup adds one segment with the records
//!   new since the last one, and never rewrites an old one.
//! - `state-<digest>.json` (mode 0600): what a working ledger needs beyond its records, as of the same head:
//!   the side keyspace (the ledger-held election shares and sealed urns of open ballots) and the
//!   pads masking those shares (`election-pads/`), the
//!   server's access tokens (hashes only), the checkpoint signing key and the keys of ledgers it was
//!   imported from, and the person directory (names: this file is as sensitive as the data
//!   directory). Written whole by every backup under a new name (its digest); the old one is removed after the
//!   new manifest, so an erased name leaves the backup at the next one.
//! - `documents/sha256/<hex>`: the documents attached to entities, as in the data directory
//!   (content-addressed, so a file is copied once and never rewritten; a withdrawn one is removed
//!   from the backup by the next backup). `audit verify` of a restored ledger checks each against
//!   the log.
//! - `manifest.json`, written last: the size, head hash and Merkle root, every segment with its
//!   length and SHA-256, the state file's SHA-256, a checkpoint of the head signed now, and the
//!   latest checkpoint recorded in the ledger.
//!
//! Every file is written to a temporary name, fsynced, renamed, and the directory fsynced; the
//! manifest comes last, so a backup interrupted at any point leaves the previous backup intact (a
//! segment not named by the manifest is ignored, and removed by the next backup).
//!
//! A backup is consistent: the head and the side keyspace are read together on the store's writer
//! thread between two group commits ([`crate::store::SledStore::head_with_side`]); records at or
//! below a durable head never change. Restoring and `audit verify --from-backup` check every
//! segment's hash, then the whole history as `import` does
//! ([`crate::audit::history_verify::verify_history`]), then the root, head and signed head.

mod documents;
mod restore;
mod write;

pub use self::restore::{read_backup, restore, verify_backup, BackupContents, Restored};
pub use self::write::{backup, BackupDone};

use crate::audit::history_verify::HistoryError;
use crate::store::StoreError;
use serde::{Deserialize, Serialize};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use thiserror::Error;

/// The backup format this code writes.
pub const FORMAT: u32 = 1;

/// Why a backup or restore failed. In every case a failed backup leaves the previous backup as it
/// was, and a failed restore leaves `--data` as it was.
#[derive(Debug, Error)]
pub enum BackupError {
    /// Reading the ledger failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A file of the backup or of the data directory could not be read or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The backup directory holds a backup of another ledger, or of a history this ledger does not
    /// continue. Nothing was written.
    #[error("rule: {0}")]
    Mismatch(String),
    /// The restore target already holds something.
    #[error("rule: restore needs an empty --data; {0} is not empty")]
    NotEmpty(PathBuf),
    /// The backup is damaged or forged: the first problem, with its position.
    #[error("the backup does not verify: {0}")]
    Damaged(String),
    /// The history contradicts a signed checkpoint, or its chain is broken.
    #[error("the backup's history does not verify, nothing was restored: {0}")]
    Forged(HistoryError),
    /// The signing key is missing or malformed, or a checkpoint could not be signed.
    #[error("{0}")]
    Key(String),
}

/// `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: u32,
    /// The ledger's checkpoint origin.
    pub origin: String,
    /// Records in the backup.
    pub size: u64,
    /// Hex SHA-256 of the last record.
    pub head: String,
    /// Hex RFC 9162 root of all records.
    pub root: String,
    /// The record segments, oldest first.
    pub segments: Vec<Segment>,
    /// The state file.
    pub state: FileDigest,
    /// A checkpoint of `size` records, signed by the ledger's key when the backup was made (not
    /// recorded in the ledger).
    pub signed_head: String,
    /// The latest checkpoint recorded in the ledger at or below `size`, if any.
    pub latest_checkpoint: Option<RecordedNote>,
}

/// A segment of records.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Segment {
    /// File name under `records/`.
    pub file: String,
    /// First position.
    pub first: u64,
    /// Last position.
    pub last: u64,
    /// File length in bytes.
    pub bytes: u64,
    /// Hex SHA-256 of the file.
    pub sha256: String,
}

/// A file's name and digest.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileDigest {
    /// File name in the backup directory.
    pub file: String,
    /// Hex SHA-256.
    pub sha256: String,
}

/// A checkpoint recorded in the ledger.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecordedNote {
    /// The position of the `CheckpointRecorded` event.
    pub position: u64,
    /// The signed note.
    pub note: String,
}

/// `state-<digest>.json`: what a working ledger needs beyond its records. Keys and values of sled entries
/// are hex.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    /// The side keyspace (ledger-held election shares, sealed urns).
    pub side: Vec<(String, String)>,
    /// The server's access tokens (sled tree `tokens`: hashes, never secrets).
    pub tokens: Vec<(String, String)>,
    /// Files of `keys/` by name (`checkpoint.key`, `previous.vkeys`).
    pub keys: Vec<(String, String)>,
    /// Files of `people/` by name.
    pub people: Vec<(String, String)>,
    /// Files of `election-pads/` by name, hex: the pads masking ledger-held election shares.
    #[serde(default)]
    pub election_pads: Vec<(String, String)>,
    /// The ledger's time zone file (`time-zone`), if it has one: dates written without a zone are
    /// read in it, so a restored ledger must read them the same way.
    #[serde(default)]
    pub time_zone: Option<String>,
}

const MANIFEST: &str = "manifest.json";
const STATE: &str = "state";
const RECORDS: &str = "records";
/// Where the ledger keeps the pads of its election shares (`src/app/election.rs`).
const PADS_DIR: &str = "election-pads";

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `bytes` to `dir/name` through a temporary file (mode 0600), fsync, rename, fsync of `dir`.
fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), BackupError> {
    let target = dir.join(name);
    let tmp = dir.join(format!(".{name}.tmp"));
    {
        let mut f = open_private(&tmp).map_err(io_err(&tmp))?;
        f.write_all(bytes).map_err(io_err(&tmp))?;
        f.sync_all().map_err(io_err(&tmp))?;
    }
    std::fs::rename(&tmp, &target).map_err(io_err(&target))?;
    sync_dir(dir)
}

#[cfg(unix)]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
}

#[cfg(not(unix))]
fn open_private(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .open(path)
}

fn sync_dir(dir: &Path) -> Result<(), BackupError> {
    std::fs::File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err(dir))
}

fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(bytes))
}

/// Creates `dir` (and parents) readable by the owner only.
fn create_private_dir(dir: &Path) -> Result<(), BackupError> {
    std::fs::create_dir_all(dir).map_err(io_err(dir))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(io_err(dir))?;
    }
    Ok(())
}

/// Reads every regular file of `dir` as (name, UTF-8 text), sorted by name; none if `dir` is absent.
fn read_text_files(dir: &Path) -> Result<Vec<(String, String)>, BackupError> {
    read_files(dir, |bytes, path| {
        String::from_utf8(bytes).map_err(|e| BackupError::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })
    })
}

/// Reads every regular file of `dir` as (name, hex of its bytes), sorted by name.
fn read_hex_files(dir: &Path) -> Result<Vec<(String, String)>, BackupError> {
    read_files(dir, |bytes, _| Ok(hex::encode(bytes)))
}

fn read_files(
    dir: &Path,
    encode: impl Fn(Vec<u8>, &Path) -> Result<String, BackupError>,
) -> Result<Vec<(String, String)>, BackupError> {
    let mut out = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(io_err(dir)(e)),
    };
    for entry in entries {
        let entry = entry.map_err(io_err(dir))?;
        let path = entry.path();
        if !entry.file_type().map_err(io_err(&path))?.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".tmp") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(io_err(&path))?;
        out.push((name, encode(bytes, &path)?));
    }
    out.sort();
    Ok(out)
}
