//! `--limit N --after REF` on every list: one page at a time, so output stays proportional to the
//! page however large the ledger grows.

use super::CliError;
use delib_projections::Page;

/// The paging flags of a list.
#[derive(Debug, Clone, Copy, Default, clap::Args)]
pub struct PageArgs {
    /// Show at most this many entries (default 100, at most 1000).
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Show the entries after this one: a reference such as `HEAR-100`, or its number.
    #[arg(long, value_name = "REF", value_parser = parse_after)]
    pub after: Option<u64>,
}

fn parse_after(v: &str) -> Result<u64, String> {
    let number = v.rsplit('-').next().unwrap_or(v);
    number
        .parse::<u64>()
        .map_err(|_| format!("`{v}` is neither a reference (such as HEAR-100) nor a number"))
}

impl PageArgs {
    /// The page asked for.
    ///
    /// # Errors
    /// A limit of 0 or above the maximum.
    pub fn page(self) -> Result<Page, CliError> {
        page(self.limit, self.after)
    }
}

/// The page for a limit and a cursor, checked.
///
/// # Errors
/// A limit of 0 or above [`Page::MAX_LIMIT`].
pub fn page(limit: Option<usize>, after: Option<u64>) -> Result<Page, CliError> {
    let limit = limit.unwrap_or(Page::DEFAULT_LIMIT);
    if limit == 0 || limit > Page::MAX_LIMIT {
        return Err(CliError::Usage(format!(
            "--limit must be between 1 and {}",
            Page::MAX_LIMIT
        )));
    }
    Ok(Page {
        after: after.unwrap_or(0),
        limit,
    })
}
