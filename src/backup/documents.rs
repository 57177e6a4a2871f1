//! The documents of a backup: `documents/sha256/<hex>` in the backup directory, copied from the
//! data directory (only files not there yet, each checked against its name) and back on restore.

use super::{io_err, BackupError};
use crate::app::documents::{DocumentStore, FileState};
use std::path::Path;

/// Copies every intact document of `data` missing from the backup `to`, and removes from the backup
/// the documents `data` no longer holds (withdrawn). Returns the number copied.
///
/// # Errors
/// I/O failures.
pub fn back_up(data: &Path, to: &Path) -> Result<u64, BackupError> {
    copy(&DocumentStore::new(data), &DocumentStore::new(to), true)
}

/// Copies the documents of the backup `from` into the data directory being built, `to`.
///
/// # Errors
/// I/O failures.
pub fn restore(from: &Path, to: &Path) -> Result<u64, BackupError> {
    copy(&DocumentStore::new(from), &DocumentStore::new(to), false)
}

fn copy(src: &DocumentStore, dst: &DocumentStore, prune: bool) -> Result<u64, BackupError> {
    let io = |e| io_err(src.dir())(e);
    let have = src.list().map_err(io)?;
    let mut copied = 0;
    for sha in &have {
        if dst.check(sha).map_err(io_err(dst.dir()))? == FileState::Intact {
            continue;
        }
        // An altered file is not copied: `audit verify` reports it where it is.
        if let Some(bytes) = src.get(sha).map_err(io)? {
            dst.put(&bytes).map_err(io_err(dst.dir()))?;
            copied += 1;
        }
    }
    if prune {
        for sha in dst.list().map_err(io_err(dst.dir()))? {
            if !have.contains(&sha) {
                dst.remove(&sha).map_err(io_err(dst.dir()))?;
            }
        }
    }
    Ok(copied)
}
