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
    fn the_page_after_the_last_entry_is_empty() {
        let page = Page { after: 6, limit: 3 }.select(vec![1u64, 6], |n| *n);
        assert!(page.is_empty());
    }
}
