//! Parsing `--at`, `--on`, `--due`, `--from`, `--to`, `--as-of` values on the command line: the
//! syntax is checked while the arguments are parsed (exit 2), the zone is the ledger's
//! ([`crate::app::when`] holds the rules, shared with the server and its pages).

use super::{CliError, Globals};
use crate::app::when::{Bound, Written, Zone};
use delib_events::Timestamp;

/// Checks the syntax of a time (a clap value parser).
///
/// # Errors
/// A one-line message naming the accepted forms.
pub fn written(input: &str) -> Result<Written, String> {
    Written::parse(input)
}

impl Globals {
    /// The time zone of the ledger in `--data` (local when it has none).
    ///
    /// # Errors
    /// A `time-zone` file that cannot be read ([`CliError::Integrity`]).
    pub fn zone(&self) -> Result<Zone, CliError> {
        Zone::of_ledger(&self.data).map_err(CliError::Integrity)
    }

    /// A time given by `--flag` as the `bound` of a period (or a moment: [`Bound::Start`]) in the
    /// ledger's zone.
    ///
    /// # Errors
    /// [`CliError::Usage`] naming the flag.
    pub fn time(&self, flag: &str, written: Written, bound: Bound) -> Result<Timestamp, CliError> {
        written
            .bound(self.zone()?, bound)
            .map_err(|m| CliError::Usage(format!("--{flag}: {m}")))
    }

    /// A time typed as text for `--flag`, as [`Globals::time`].
    ///
    /// # Errors
    /// [`CliError::Usage`] naming the flag.
    pub fn time_text(&self, flag: &str, input: &str, bound: Bound) -> Result<Timestamp, CliError> {
        let w = Written::parse(input).map_err(|m| CliError::Usage(format!("--{flag}: {m}")))?;
        self.time(flag, w, bound)
    }
}
