//! The [`Projection`] trait: a named, versioned, idempotent fold from events to a view's state.

use delib_events::{Position, RecordedEvent};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::fmt::Debug;

/// A pure fold from the ledger's events to the state behind one view.
///
/// **Architecture Invariant:** projections never write events, do no I/O, read no clock and draw no
/// randomness. Their state is plain data (`BTreeMap`s and `Vec`s, no floats, no `flatten`/`untagged`)
/// so the store can persist it with any serde format and tests can compare it.
///
/// Projections are idempotent: each keeps the position of the last event it applied and ignores events
/// at or below it, so replaying an overlap after a restart changes nothing.
pub trait Projection: Default + Clone + PartialEq + Debug + Serialize + DeserializeOwned {
    /// A stable name for storage keys and `projections status` (e.g. `proposals`).
    const NAME: &'static str;
    /// Bumped whenever the state's shape or meaning changes: a new version means a rebuild.
    const VERSION: u32;

    /// Folds one event. Events at or below [`Projection::last_position`] are ignored.
    fn apply(&mut self, event: &RecordedEvent);

    /// The position of the last event applied ([`Position::ZERO`] when none).
    fn last_position(&self) -> Position;

    /// Folds every event in order, skipping those already applied.
    fn apply_all<'a>(&mut self, events: impl IntoIterator<Item = &'a RecordedEvent>) {
        for e in events {
            self.apply(e);
        }
    }

    /// A fresh state with `events` folded in.
    fn fold<'a>(events: impl IntoIterator<Item = &'a RecordedEvent>) -> Self {
        let mut p = Self::default();
        p.apply_all(events);
        p
    }
}

/// Advances `last` to the event's position; `false` (and nothing changes) when the event was already
/// applied.
pub(crate) fn advance(last: &mut u64, event: &RecordedEvent) -> bool {
    let position = event.position().get();
    if position <= *last {
        return false;
    }
    *last = position;
    true
}

/// The read accessors every view over entity records has: `get`, `records`, `show` and (unless the
/// view lists with a filter of its own) `list` by reference number.
macro_rules! record_accessors {
    ($set:ty, $field:ident, $record:ty, $view:ty, $what:literal) => {
        record_accessors!(@common $set, $field, $record, $view, $what);
        impl $set {
            #[doc = concat!("`", $what, " list`, by reference number.")]
            pub fn list(&self, dir: &$crate::Directory) -> Vec<$view> {
                self.list_page(dir, $crate::Page::ALL)
            }

            #[doc = concat!("One page of `", $what, " list`: views are built only for the page.")]
            pub fn list_page(&self, dir: &$crate::Directory, page: $crate::Page) -> Vec<$view> {
                let v: Vec<&$record> = self.records().collect();
                page.select(v, |r| r.number)
                    .into_iter()
                    .map(|r| r.view(dir))
                    .collect()
            }
        }
    };
    (@common $set:ty, $field:ident, $record:ty, $view:ty, $what:literal) => {
        impl $set {
            #[doc = concat!("The record of one ", $what, ".")]
            pub fn get(&self, stream: delib_events::StreamId) -> Option<&$record> {
                self.$field.get(&stream).map(|r| &**r)
            }

            /// Every record, in stream-id order.
            pub fn records(&self) -> impl Iterator<Item = &$record> {
                self.$field.values().map(|r| &**r)
            }

            #[doc = concat!("`", $what, " show`.")]
            pub fn show(&self, stream: delib_events::StreamId, dir: &$crate::Directory) -> Option<$view> {
                self.get(stream).map(|r| r.view(dir))
            }
        }
    };
}
