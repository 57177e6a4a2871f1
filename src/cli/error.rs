//! The one place that maps failures to exit codes (see `CLI.md`): 1 rejected, 2 usage, 3 storage or
//! integrity.

use crate::app::AppError;
use crate::ledger::InitError;
use crate::store::{AppendError, StoreError};
use thiserror::Error;

/// A failed command, classified for its exit code.
#[derive(Debug, Error)]
pub enum CliError {
    /// A domain rule, unknown reference or wrong state: nothing was recorded. Exit 1.
    #[error("{0}")]
    Rejected(String),
    /// Bad flags or unparsable values. Exit 2.
    #[error("{0}")]
    Usage(String),
    /// Storage failure. Exit 3.
    #[error("{0}")]
    Store(#[from] StoreError),
    /// An integrity check failed. Exit 3.
    #[error("{0}")]
    Integrity(String),
    /// The ledger is held by a running `delib serve` (named in the message). Exit 3.
    #[error("{0}")]
    Held(String),
    /// Storage failed during a recording command, which may or may not have been recorded. Exit 3.
    /// Retrying with the same command id records it at most once.
    #[error("{source}\nthe command may not have been recorded: retry with --command-id {command_id} (the same id records it at most once)")]
    Unsure {
        /// What failed.
        source: StoreError,
        /// The command's id.
        command_id: uuid::Uuid,
    },
    /// A command the server holding the ledger ran for this CLI failed there; the message and the
    /// exit code are the ones the command gave.
    #[error("{message}")]
    Remote {
        /// What failed, as the command said it.
        message: String,
        /// The command's exit code.
        code: u8,
    },
    /// An output file (`--output`, an export, a report) could not be written; nothing was recorded.
    /// Exit 2 for a path that cannot be written (missing directory, no permission), 3 when the disk
    /// fails (full, I/O error).
    #[error("cannot write {}: {source} (nothing was recorded)", path.display())]
    Output {
        /// The file asked for.
        path: std::path::PathBuf,
        /// Why it could not be written.
        source: std::io::Error,
    },
}

impl CliError {
    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Rejected(_) => 1,
            CliError::Remote { code, .. } => *code,
            CliError::Usage(_) => 2,
            CliError::Store(_)
            | CliError::Integrity(_)
            | CliError::Held(_)
            | CliError::Unsure { .. } => 3,
            CliError::Output { source, .. } => match source.kind() {
                std::io::ErrorKind::StorageFull
                | std::io::ErrorKind::QuotaExceeded
                | std::io::ErrorKind::Other => 3,
                _ if source.raw_os_error() == Some(5) => 3,
                _ => 2,
            },
        }
    }
}

impl From<AppendError> for CliError {
    fn from(e: AppendError) -> Self {
        match e {
            AppendError::Conflict { .. } => {
                CliError::Rejected(format!("{e} (another writer changed it; try again)"))
            }
            AppendError::Invalid(m) => CliError::Rejected(format!("rule: {m}")),
            AppendError::Store(s) => CliError::Store(s),
        }
    }
}

impl From<InitError> for CliError {
    fn from(e: InitError) -> Self {
        match e {
            InitError::Store(s) => CliError::Store(s),
            InitError::Key(k) => CliError::Integrity(k.to_string()),
            InitError::Append(a) => a.into(),
            other => CliError::Rejected(other.to_string()),
        }
    }
}

impl From<AppError> for CliError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Store(s) => CliError::Store(s),
            AppError::Directory(io) => CliError::Store(StoreError::Io(io)),
            AppError::BadValue(m) => CliError::Usage(m),
            AppError::Internal(m) => CliError::Integrity(m),
            other @ (AppError::Rejected { .. }
            | AppError::UnknownReference(_)
            | AppError::WrongKind { .. }
            | AppError::BadRecorder(_)
            | AppError::Invalid(_)
            | AppError::Conflict { .. }
            | AppError::NotYetThen(_)) => CliError::Rejected(other.to_string()),
        }
    }
}

impl From<crate::audit::checkpoints::CheckpointingError> for CliError {
    fn from(e: crate::audit::checkpoints::CheckpointingError) -> Self {
        use crate::audit::checkpoints::CheckpointingError as E;
        match e {
            E::Store(s) => CliError::Store(s),
            E::Append(a) => a.into(),
            other => CliError::Integrity(other.to_string()),
        }
    }
}

impl From<crate::backup::BackupError> for CliError {
    fn from(e: crate::backup::BackupError) -> Self {
        use crate::backup::BackupError as E;
        match e {
            E::Store(s) => CliError::Store(s),
            E::Io { path, source } => CliError::Store(StoreError::Io(std::io::Error::new(
                source.kind(),
                format!("{}: {source}", path.display()),
            ))),
            E::Mismatch(_) | E::NotEmpty(_) => CliError::Rejected(e.to_string()),
            E::Damaged(_) | E::Forged(_) | E::Key(_) => CliError::Integrity(e.to_string()),
        }
    }
}

impl From<crate::tlog::TlogError> for CliError {
    fn from(e: crate::tlog::TlogError) -> Self {
        use crate::tlog::TlogError;
        match e {
            TlogError::Store(s) => CliError::Store(s),
            TlogError::Usage(_) | TlogError::BadPath(_) => CliError::Usage(e.to_string()),
            TlogError::EntryTooLarge { .. } => CliError::Rejected(e.to_string()),
            other => CliError::Integrity(other.to_string()),
        }
    }
}
