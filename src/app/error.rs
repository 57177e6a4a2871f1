//! Why an application command failed. Domain rejections, concurrency conflicts and storage failures
//! stay apart; `cli::error` alone turns them into exit codes.

use crate::domain::Rejection;
use crate::store::StoreError;
use delib_events::StreamId;
use thiserror::Error;

/// A failed application command. In every case nothing was recorded.
#[derive(Debug, Error)]
pub enum AppError {
    /// A domain rule said no. Report it (exit 1); retrying the same command will not help.
    #[error("{message}")]
    Rejected {
        /// The rule, for callers that match on it.
        rejection: Rejection,
        /// Its one-line message, with ids turned into references and times into RFC 3339.
        message: String,
    },
    /// A reference or UUID that names no entity. Report it (exit 1).
    #[error("unknown reference {0}")]
    UnknownReference(String),
    /// A reference of the wrong kind for its place, e.g. `ORG-1` where a person is expected (exit 1).
    #[error("rule: {expected} expected here, but {got} is a {actual} reference")]
    WrongKind {
        /// The expected kind, e.g. "a person (PER-n)".
        expected: String,
        /// The input.
        got: String,
        /// The kind it names.
        actual: &'static str,
    },
    /// The recorder (`--as`) is not a registered person whose data is not erased (exit 1).
    #[error("rule: --as must name a registered person whose data is not erased ({0} is not)")]
    BadRecorder(String),
    /// A value the store refused as malformed (e.g. a record too large). Not retryable (exit 1).
    #[error("rule: {0}")]
    Invalid(String),
    /// Other writers kept changing the stream; every retry conflicted. The caller may try again later.
    #[error("concurrency conflict on stream {stream}: still changing after {attempts} attempts; try again")]
    Conflict {
        /// The contended stream.
        stream: StreamId,
        /// How many times the command was decided.
        attempts: u32,
    },
    /// The event store failed (exit 3). Do not retry blindly.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A value that does not parse (an unknown status, say). Usage error (exit 2).
    #[error("{0}")]
    BadValue(String),
    /// The entity did not exist yet at the requested cut (`--as-of`, `--at-position`) (exit 1).
    #[error("rule: {0} did not exist yet at that time or position")]
    NotYetThen(String),
    /// The views disagree with the log: an integrity problem (exit 3).
    #[error("{0}")]
    Internal(String),
    /// The person directory (names, outside the log) failed (exit 3).
    #[error("person directory: {0}")]
    Directory(#[from] std::io::Error),
}

impl From<Rejection> for AppError {
    fn from(rejection: Rejection) -> Self {
        AppError::Rejected {
            message: describe(&rejection),
            rejection,
        }
    }
}

/// A rejection's message, with timestamps as RFC 3339.
pub(crate) fn describe(r: &Rejection) -> String {
    match r {
        Rejection::OutOfOrder { at, last } => format!(
            "rule: acts in one stream must not go back in time (this act at {} is earlier than the last one at {})",
            super::views::rfc3339(*at),
            super::views::rfc3339(*last)
        ),
        Rejection::InTheFuture { at, now } => format!(
            "rule: an act cannot lie in the future (this act at {} is more than 5 minutes after now, {})",
            super::views::rfc3339(*at),
            super::views::rfc3339(*now)
        ),
        Rejection::BeforeEarliest { at } => format!(
            "rule: an act cannot be dated before 1900 (this act at {})",
            super::views::rfc3339(*at)
        ),
        Rejection::BeforeCreation { at, created } => format!(
            "rule: an act cannot be earlier than its entity's creation (this act at {} is earlier than the creation at {})",
            super::views::rfc3339(*at),
            super::views::rfc3339(*created)
        ),
        other => other.to_string(),
    }
}
