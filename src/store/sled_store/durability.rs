//! Making a group commit durable.
//!
//! sled's `flush()` writes its log with `sync_file_range`, which neither flushes the drive's cache nor
//! the file's metadata, and it writes large items to `blobs/` files it never fsyncs. So after every
//! flush we `fsync` the log file, every blob file not yet synced, and the directories whose entries
//! changed. Only then is an append acknowledged.

use std::collections::HashSet;
use std::ffi::OsString;
use std::fs::File;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub(crate) struct Durability {
    db_file: File,
    sled_dir: PathBuf,
    blobs_dir: PathBuf,
    /// Blob files fsynced by two syncs: done for good.
    synced_blobs: HashSet<OsString>,
    /// Blob files fsynced by one sync so far. The writer may still have been writing one while that
    /// sync listed `blobs/` (it applies the next group during a sync), so each is fsynced once more
    /// by the next sync, which starts only after the group that wrote it was applied.
    seen_blobs: HashSet<OsString>,
    /// Test seam ([`FAULT_ENV`]): while this file exists, every sync fails as on a full disk.
    fault: Option<PathBuf>,
}

/// The environment variable naming a file whose existence makes every sync (and [`probe_writable`])
/// fail with `ENOSPC`, as a full disk would. How the server's answers and recovery after a failed
/// write are tested with a real process; unset, it costs nothing.
pub const FAULT_ENV: &str = "DELIB_FAULT_DISK_FULL";

fn injected_fault(fault: Option<&Path>) -> std::io::Result<()> {
    match fault {
        Some(path) if path.exists() => Err(std::io::Error::from_raw_os_error(28)),
        _ => Ok(()),
    }
}

fn fault_file() -> Option<PathBuf> {
    #[cfg(test)]
    if let Some(path) = TEST_FAULT.with(|f| f.borrow().clone()) {
        return Some(path);
    }
    std::env::var_os(FAULT_ENV).map(PathBuf::from)
}

#[cfg(test)]
thread_local! {
    /// [`FAULT_ENV`] for the stores opened on this thread only (unit tests run side by side).
    pub(crate) static TEST_FAULT: std::cell::RefCell<Option<PathBuf>> =
        const { std::cell::RefCell::new(None) };
}

/// Whether the file system under `dir` takes a write again: writes, fsyncs and removes a 1 MiB
/// file. The server calls it before reopening a ledger whose store failed a write.
///
/// # Errors
/// The I/O error of the failed write (e.g. `ENOSPC` while the disk is still full).
pub fn probe_writable(dir: &Path) -> std::io::Result<()> {
    injected_fault(fault_file().as_deref())?;
    let path = dir.join(".write-probe");
    let written = (|| {
        let mut f = File::create(&path)?;
        std::io::Write::write_all(&mut f, &vec![0u8; 1 << 20])?;
        f.sync_all()
    })();
    let _ = std::fs::remove_file(&path);
    written
}

impl Durability {
    pub(crate) fn new(sled_dir: &Path) -> std::io::Result<Self> {
        let db_file = File::open(sled_dir.join("db"))?;
        sync_dir(sled_dir)?;
        Ok(Self {
            db_file,
            sled_dir: sled_dir.to_path_buf(),
            blobs_dir: sled_dir.join("blobs"),
            synced_blobs: HashSet::new(),
            seen_blobs: HashSet::new(),
            fault: fault_file(),
        })
    }

    /// flush + fsync: after this returns Ok, everything applied before the call is on disk.
    pub(crate) fn sync(&mut self, db: &::sled::Db) -> Result<(), crate::store::StoreError> {
        injected_fault(self.fault.as_deref())?;
        db.flush()?;
        self.db_file.sync_all()?;
        self.sync_new_blobs()?;
        Ok(())
    }

    fn sync_new_blobs(&mut self) -> std::io::Result<()> {
        let entries = match std::fs::read_dir(&self.blobs_dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(e),
        };
        let mut any_new = false;
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            if self.synced_blobs.contains(&name) {
                continue;
            }
            match File::open(entry.path()) {
                Ok(file) => file.sync_all()?,
                // sled removed it meanwhile (a blob no longer referenced): nothing to keep.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e),
            }
            if self.seen_blobs.remove(&name) {
                self.synced_blobs.insert(name);
            } else {
                self.seen_blobs.insert(name);
            }
            any_new = true;
        }
        if any_new {
            sync_dir(&self.blobs_dir)?;
            sync_dir(&self.sled_dir)?;
        }
        Ok(())
    }
}

/// fsync a directory so that new entries in it survive a crash.
pub(crate) fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}
