//! One page of a list: the entries numbered after a cursor, at most a limit of them, so a list's
//! output is proportional to the page and not to the ledger.

/// Which entries of a list to show: those whose reference number (or position, for logs) is greater
/// than `after`, at most `limit` of them, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Page {
    /// Show entries numbered after this one (0: from the start).
    pub after: u64,
    /// Show at most this many.
    pub limit: usize,
}

impl Page {
    /// The page size when none is asked for.
    pub const DEFAULT_LIMIT: usize = 100;
    /// The largest page anyone may ask for.
    pub const MAX_LIMIT: usize = 1000;
    /// Everything, for callers that aggregate rather than print (reports, pages that count).
    pub const ALL: Page = Page {
        after: 0,
        limit: usize::MAX,
    };

    /// The page asked for as users spell it: a limit between 1 and `max` (default `default`) and a
    /// cursor that is a reference (`HEAR-100`) or a number. The error says which is wrong.
    ///
    /// # Errors
    /// A limit out of range, or a cursor that is neither a reference nor a number.
    pub fn parse(
        limit: Option<usize>,
        after: Option<&str>,
        default: usize,
        max: usize,
    ) -> Result<Page, String> {
        let limit = limit.unwrap_or(default);
        if limit == 0 || limit > max {
            return Err(format!("limit must be between 1 and {max}"));
        }
        let after = match after.filter(|a| !a.is_empty()) {
            None => 0,
            Some(a) => a
                .rsplit('-')
                .next()
                .unwrap_or(a)
                .parse::<u64>()
                .map_err(|_| {
                    format!("after: `{a}` is neither a reference (such as HEAR-100) nor a number")
                })?,
        };
        Ok(Page { after, limit })
    }

    /// [`Page::parse`] with a list's default and largest page.
    ///
    /// # Errors
    /// As [`Page::parse`].
    pub fn of_list(limit: Option<usize>, after: Option<&str>) -> Result<Page, String> {
        Self::parse(limit, after, Self::DEFAULT_LIMIT, Self::MAX_LIMIT)
    }

    /// The page of the audit log: longer than a list's (default 1000, at most 10000), since a log is
    /// read by scrolling; its cursor is a position.
    ///
    /// # Errors
    /// As [`Page::parse`].
    pub fn of_log(limit: Option<usize>, after: Option<u64>) -> Result<Page, String> {
        Self::parse(limit, after.map(|a| a.to_string()).as_deref(), 1000, 10_000)
    }

    /// Whether the entry numbered `n` comes after the cursor.
    pub fn admits(&self, n: u64) -> bool {
        n > self.after
    }

    /// Sorts `items` by `number` and keeps the page's window: `O(n log n)` in the entity count, and the
    /// caller builds views only for what is kept.
    pub fn select<T>(&self, mut items: Vec<T>, number: impl Fn(&T) -> u64) -> Vec<T> {
        items.retain(|i| self.admits(number(i)));
        items.sort_by_key(|i| number(i));
        items.truncate(self.limit);
        items
    }
}

impl Default for Page {
    fn default() -> Self {
        Page {
            after: 0,
            limit: Self::DEFAULT_LIMIT,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_keeps_the_entries_after_the_cursor_in_order_up_to_the_limit() {
        // given entries numbered out of order
        let items = vec![5u64, 1, 4, 2, 3, 6];
        // when the page after 2 with a limit of 3 is taken
        let page = Page { after: 2, limit: 3 }.select(items, |n| *n);
        // then it holds 3, 4 and 5
        assert_eq!(page, vec![3, 4, 5]);
    }

    #[test]
    fn a_page_is_parsed_from_a_reference_or_a_number_and_checked() {
        assert_eq!(
            Page::of_list(Some(2), Some("HEAR-7")),
            Ok(Page { after: 7, limit: 2 })
        );
        assert_eq!(
            Page::of_list(None, Some("7")),
            Ok(Page {
                after: 7,
                limit: 100
            })
        );
        assert!(Page::of_list(Some(0), None).unwrap_err().contains("limit"));
        assert!(Page::of_list(Some(1001), None).is_err());
        assert!(Page::of_list(None, Some("HEAR-x"))
            .unwrap_err()
            .contains("after"));
        assert_eq!(
            Page::of_log(None, Some(5)),
            Ok(Page {
                after: 5,
                limit: 1000
            })
        );
    }

    #[test]
    fn the_page_after_the_last_entry_is_empty() {
        let page = Page { after: 6, limit: 3 }.select(vec![1u64, 6], |n| *n);
        assert!(page.is_empty());
    }
}
