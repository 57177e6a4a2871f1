use delib_events::{CodecError, Position, StreamId, StreamVersion};
use std::path::PathBuf;
use thiserror::Error;

use super::ExpectedVersion;

/// A storage failure. Callers report it (exit code 3, HTTP 500/503) and do not retry blindly.
#[derive(Debug, Error)]
pub enum StoreError {
    /// Another process holds the data directory.
    #[error("the ledger at {dir} is in use by another process ({holder}); stop it or send commands through it")]
    Locked {
        /// The data directory.
        dir: PathBuf,
        /// What is known of the holder, e.g. "pid 1234".
        holder: String,
    },
    /// No ledger exists at the directory (and the caller asked not to create one).
    #[error("no ledger at {0} (run `delib init` first)")]
    NotFound(PathBuf),
    /// A stored record is damaged.
    #[error("corrupt record at position {position}: {reason}")]
    Corrupt {
        /// Where.
        position: Position,
        /// What is wrong.
        reason: String,
    },
    /// A stored record does not decode.
    #[error("record at position {position} does not decode: {source}")]
    Codec {
        /// Where.
        position: Position,
        /// Why.
        source: CodecError,
    },
    /// sled reported an error (including its own corruption checks).
    #[error("sled: {0}")]
    Sled(#[from] ::sled::Error),
    /// File-system error.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    /// A previous sync failed: the store refuses writes until reopened, since what is on disk is unknown.
    #[error("the store stopped accepting writes after a failed sync; reopen the ledger")]
    Poisoned,
    /// An import was attempted into a ledger that already holds events.
    #[error("rule: import needs an empty ledger; this one holds {0} events")]
    NotEmpty(u64),
    /// The ledger was opened as a read-only view (its directory cannot be written, or `--read-only`).
    #[error("the ledger at {0} is open read-only (its directory is not writable, or --read-only): nothing can be recorded")]
    ReadOnly(PathBuf),
    /// The writer thread is gone (the store is shutting down).
    #[error("the store is closed")]
    Closed,
    /// A scrub found damage: appends are refused until an operator restores the ledger or accepts
    /// the problem (`delib audit accept-problem --reason R`). Reads still work.
    #[error("appends are refused: {0}; restore the ledger from a backup, or after review run `delib audit accept-problem --reason TEXT`")]
    Halted(String),
}

impl StoreError {
    /// What failed, in plain words for an operator or a client (no internal detail): "the disk is
    /// full", "a write to disk failed", "the ledger is damaged"...
    pub fn plain(&self) -> &'static str {
        fn io(e: &std::io::Error) -> &'static str {
            match e.raw_os_error() {
                Some(28) => "the disk is full",
                Some(122) => "the disk quota is exceeded",
                Some(30) => "the file system is read-only",
                _ if e.kind() == std::io::ErrorKind::PermissionDenied => {
                    "the data directory is not writable"
                }
                _ => "a read or write on disk failed",
            }
        }
        match self {
            StoreError::Io(e) => io(e),
            StoreError::Sled(::sled::Error::Io(e)) => io(e),
            StoreError::Sled(_) | StoreError::Corrupt { .. } | StoreError::Codec { .. } => {
                "the ledger's storage is damaged"
            }
            StoreError::Poisoned => "an earlier write to disk failed",
            StoreError::Closed => "the store is closing",
            StoreError::Locked { .. } => "the ledger is held by another process",
            StoreError::NotFound(_) => "there is no ledger here",
            StoreError::NotEmpty(_) => "the ledger is not empty",
            StoreError::Halted(_) => "a scrub found damage in the ledger",
            StoreError::ReadOnly(_) => "the ledger is open read-only",
        }
    }
}

/// Why an append was not written. In every case nothing of the request was written.
#[derive(Debug, Error)]
pub enum AppendError {
    /// Optimistic concurrency: the stream moved. Re-read, re-decide, retry (HTTP 409 if it persists).
    #[error("concurrency conflict on stream {stream}: expected {expected}, stream is at version {actual}")]
    Conflict {
        /// The stream.
        stream: StreamId,
        /// What the caller expected.
        expected: ExpectedVersion,
        /// The stream's actual version.
        actual: StreamVersion,
    },
    /// The request itself is malformed (empty, a stream twice, a record too large). Not retryable.
    #[error("invalid append: {0}")]
    Invalid(String),
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}
