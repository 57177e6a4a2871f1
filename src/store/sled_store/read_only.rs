//! A read-only view of a ledger whose data directory cannot be written (a read-only mount, an archive
//! owned by someone else, `--read-only`).
//!
//! sled cannot open a database it may not write (it takes a file lock, rewrites its snapshot and
//! configuration), and our directory lock needs `delib.lock` to be writable. So the view copies the
//! `sled/` directory into a private temporary directory and opens the copy there; keys and the person
//! directory are still read from the data directory itself. The copy is taken under the directory
//! lock when the lock can be taken (so no writer is half-way through), and the store refuses every
//! write with [`crate::store::StoreError::ReadOnly`]. The temporary copy is deleted when the store is
//! dropped. Copying costs time and space in proportion to the ledger's size.

use super::lock::{DirLock, LockWait};
use crate::store::StoreError;
use std::io::ErrorKind;
use std::path::Path;

/// Whether an error opening `delib.lock` means the directory cannot be written.
pub(crate) fn is_unwritable(e: &StoreError) -> bool {
    matches!(e, StoreError::Io(io) if matches!(io.kind(), ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem))
}

/// Copies `dir/sled` into a new temporary directory (taking the directory lock while copying when
/// the directory is writable), and returns the temporary directory, whose `sled/` is the copy.
pub(crate) fn copy(dir: &Path, wait: LockWait) -> Result<tempfile::TempDir, StoreError> {
    let guard = match DirLock::acquire(dir, wait) {
        Ok(lock) => Some(lock),
        Err(e) if is_unwritable(&e) => None,
        Err(e) => return Err(e),
    };
    let tmp = tempfile::Builder::new()
        .prefix("delib-read-only-")
        .tempdir()?;
    copy_tree(&dir.join("sled"), &tmp.path().join("sled"))?;
    drop(guard);
    Ok(tmp)
}

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}
