//! `--limit N --after REF` on every list: one page at a time, so output stays proportional to the
//! page however large the ledger grows.

use super::CliError;
use delib_projections::Page;

/// The paging flags of a list.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PageArgs {
    /// Show at most this many entries (default 100, at most 1000).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Show the entries after this one: a reference such as `HEAR-100`, or its number.
    #[arg(long, value_name = "REF")]
    pub after: Option<String>,
}

impl PageArgs {
    /// The page asked for.
    ///
    /// # Errors
    /// A limit of 0 or above the maximum, or a cursor that is neither a reference nor a number.
    pub fn page(&self) -> Result<Page, CliError> {
        Page::of_list(self.limit, self.after.as_deref())
            .map_err(|e| CliError::Usage(format!("--{e}")))
    }
}
