//! The [`Latest`] projection: when the latest act in the ledger happened. A transparency report
//! whose period ends at or after it, over the whole ledger, is the current views' report: every
//! event passes its cut, so folding them again would give the same views.

use crate::projection::{advance, Projection};
use delib_events::{Position, RecordedEvent, Timestamp};
use serde::{Deserialize, Serialize};

/// The latest `occurred_at` of any event.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Latest {
    last_position: u64,
    occurred_at: Option<Timestamp>,
}

impl Latest {
    /// When the latest act happened (`None` in an empty ledger).
    pub fn occurred_at(&self) -> Option<Timestamp> {
        self.occurred_at
    }
}

impl Projection for Latest {
    const NAME: &'static str = "latest";
    const VERSION: u32 = 1;

    fn apply(&mut self, event: &RecordedEvent) {
        if advance(&mut self.last_position, event) {
            self.occurred_at = self.occurred_at.max(Some(event.metadata.occurred_at));
        }
    }

    fn last_position(&self) -> Position {
        Position::new(self.last_position)
    }
}
