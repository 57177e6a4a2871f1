//! One process per data directory: an advisory lock on `delib.lock`, holding the owner's pid, so a
//! second process gets a clear message instead of sled's bare lock error.
//!
//! The lock is `flock`-style: it belongs to the open file, and a child process that this process is
//! spawning holds a copy of the descriptor until it `exec`s. So a store closed and reopened while
//! another thread spawns a child can find its own lock still held for a moment; when the holder is
//! this very process, the open waits (up to [`OWN_LOCK_WAIT`]) instead of failing.

use crate::store::StoreError;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long an open waits for a lock that this process itself still holds.
const OWN_LOCK_WAIT: Duration = Duration::from_secs(2);

/// Holds the directory lock while alive.
#[derive(Debug)]
pub(crate) struct DirLock {
    _file: File,
}

impl DirLock {
    pub(crate) fn acquire(dir: &Path) -> Result<Self, StoreError> {
        let path = dir.join("delib.lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)?;
        let deadline = Instant::now() + OWN_LOCK_WAIT;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    file.seek(SeekFrom::Start(0))?;
                    let _ = file.read_to_string(&mut holder);
                    let holder = holder.trim().to_string();
                    let ours = holder == format!("pid {}", std::process::id());
                    if ours && Instant::now() < deadline {
                        std::thread::sleep(Duration::from_millis(10));
                        continue;
                    }
                    let holder = if holder.is_empty() {
                        "unknown process".to_string()
                    } else {
                        holder
                    };
                    return Err(StoreError::Locked {
                        dir: dir.to_path_buf(),
                        holder,
                    });
                }
                Err(TryLockError::Error(e)) => return Err(e.into()),
            }
        }
        file.set_len(0)?;
        file.seek(SeekFrom::Start(0))?;
        write!(file, "pid {}", std::process::id())?;
        file.flush()?;
        Ok(Self { _file: file })
    }
}
