//! One process per data directory: an advisory lock on `delib.lock`, holding the owner's pid, so a
//! second process gets a clear message instead of sled's bare lock error.
//!
//! The lock is `flock`-style: it belongs to the open file, and a child process that this process is
//! spawning holds a copy of the descriptor until it `exec`s. So a store closed and reopened while
//! another thread spawns a child can find its own lock still held for a moment; when the holder is
//! this very process, the open waits (up to [`OWN_LOCK_WAIT`]) instead of failing.
//!
//! When another process holds it, the open waits up to [`LockWait::wait`] (the CLI's `--wait`,
//! default 10 s), telling the caller once through [`LockWait::on_wait`], then fails with
//! [`StoreError::Locked`].

use crate::store::StoreError;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::{Duration, Instant};

/// How long an open waits for a lock that this process itself still holds.
const OWN_LOCK_WAIT: Duration = Duration::from_secs(2);

/// How often a waiting open tries the lock again.
const RETRY: Duration = Duration::from_millis(25);

/// What to do when another process holds the lock.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LockWait {
    /// How long to keep trying (zero: fail at once).
    pub(crate) wait: Duration,
    /// Called once, when the open starts waiting for another process; `false` means do not wait
    /// (e.g. the holder is a server, which will not let go).
    pub(crate) on_wait: Option<fn(&Path) -> bool>,
}

/// Holds the directory lock while alive.
#[derive(Debug)]
pub(crate) struct DirLock {
    _file: File,
}

impl DirLock {
    pub(crate) fn acquire(dir: &Path, policy: LockWait) -> Result<Self, StoreError> {
        let path = dir.join("delib.lock");
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)?;
        let started = Instant::now();
        let mut told = false;
        let mut wait = policy.wait;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) => {
                    let holder = read_holder(&mut file)?;
                    let ours = holder == format!("pid {}", std::process::id());
                    let limit = if ours { wait.max(OWN_LOCK_WAIT) } else { wait };
                    if started.elapsed() < limit {
                        if !ours && !told {
                            told = true;
                            if let Some(tell) = policy.on_wait {
                                if !tell(dir) {
                                    wait = Duration::ZERO;
                                    continue;
                                }
                            }
                        }
                        std::thread::sleep(RETRY);
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
        if told {
            tracing::info!(
                waited_ms = started.elapsed().as_millis() as u64,
                "ledger lock acquired"
            );
        }
        file.set_len(0)?;
        file.seek(SeekFrom::Start(0))?;
        write!(file, "pid {}", std::process::id())?;
        file.flush()?;
        Ok(Self { _file: file })
    }
}

fn read_holder(file: &mut File) -> Result<String, StoreError> {
    let mut holder = String::new();
    file.seek(SeekFrom::Start(0))?;
    let _ = file.read_to_string(&mut holder);
    Ok(holder.trim().to_string())
}
