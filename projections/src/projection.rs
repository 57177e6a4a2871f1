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

/// A projection of entity records, one per stream, where **an event changes at most the record of
/// its own stream** (and the last position). That is what lets the store keep each record under a
/// key of its own, load only the records a read needs, and catch a partial state up by loading just
/// the records of the new events' streams.
///
/// **Architecture Invariant:** `apply(e)` reads and writes no record but `e`'s stream's (tested by
/// `tests/it/projection_rebuild.rs` in the root package: states holding only some records, caught
/// up by loading just the new events' streams, read as the fold of the whole log).
pub trait Keyed: Projection {
    /// One entity's record.
    type Record: Clone + PartialEq + Debug + Serialize + DeserializeOwned + Send + Sync;

    /// Every record, by stream.
    fn entries(&self) -> &crate::shared::Shared<delib_events::StreamId, Self::Record>;

    /// A state of the given records, having applied every event up to `last_position`.
    fn from_parts(
        last_position: Position,
        entries: crate::shared::Shared<delib_events::StreamId, Self::Record>,
    ) -> Self;

    /// What a list shows of a record ([`Row`]). The store keeps rows beside records: changing what
    /// a row leaves out changes stored state, so it bumps [`Projection::VERSION`].
    fn row(record: &Self::Record) -> Row<Self::Record>;

    /// What a reader needs of a record beyond its [`Row`], when that is much less than the rest of
    /// the record: the transparency report counts a hearing's statements by time and stance and
    /// prints none of them ([`crate::hearings::StatementTimes`]). `()` for a projection that keeps
    /// none.
    type Digest: Clone + PartialEq + Debug + Serialize + DeserializeOwned + Send + Sync;

    /// The record's digest, `None` when the projection keeps none. The store keeps it beside the
    /// record and its row, written whenever they are: changing it changes stored state, so it bumps
    /// [`Projection::VERSION`].
    fn digest(record: &Self::Record) -> Option<Self::Digest>;

    /// Whether the store also keeps the records [`GROUP`] to a value, by reference number, for a
    /// reader of every record (the transparency report reads tens of thousands of proposals: sled's
    /// cost is per key). Changing it bumps [`Projection::VERSION`].
    const GROUPED: bool = false;

    /// The record's reference number (`PROP-n`: n), which groups it.
    fn number(record: &Self::Record) -> u64;
}

/// How many records a group holds ([`Keyed::GROUPED`]): records `GROUP * g` to `GROUP * g + GROUP - 1`
/// by reference number. An append rewrites the groups of the records it touched, so this bounds
/// what one costs.
pub const GROUP: u64 = 64;

/// What a list shows of a record: the record without its long lists (a hearing's statements), and
/// how long each was, by the name of the view's field that shows it. A list row is the record's
/// view with those fields set to their counts, so its size does not grow with the entity's history
/// (and the store keeps rows beside records, so a list reads no record whole).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Row<R> {
    /// The record, its long lists emptied.
    pub record: R,
    /// Each emptied list's view field and length.
    pub counts: Vec<(String, u64)>,
}

/// List rows by stream.
pub type Rows<R> = Vec<(delib_events::StreamId, Row<R>)>;

/// The list rows and digests ([`Keyed::Digest`]) of a projection's records, by stream.
pub type RowsAndDigests<P> = Vec<(
    delib_events::StreamId,
    Row<<P as Keyed>::Record>,
    <P as Keyed>::Digest,
)>;

impl<R: Clone> Row<R> {
    /// A row that is the whole record (nothing in it grows long).
    pub fn whole(record: &R) -> Self {
        Row {
            record: record.clone(),
            counts: Vec::new(),
        }
    }
}

/// A list row as JSON: `view` (of the row's record) with each counted field set to its count.
pub fn row_json<R, V: Serialize>(row: &Row<R>, view: V) -> serde_json::Value {
    let mut value = serde_json::to_value(view).unwrap_or(serde_json::Value::Null);
    with_counts(&mut value, &row.counts);
    value
}

/// Sets each counted field of a view's JSON to its count (what makes a view a list row).
pub fn with_counts(value: &mut serde_json::Value, counts: &[(String, u64)]) {
    if let serde_json::Value::Object(fields) = value {
        for (field, count) in counts {
            fields.insert(field.clone(), serde_json::Value::from(*count));
        }
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
/// view lists with a filter of its own) `list` by reference number; and its [`Keyed`] impl, with a
/// digest when one is named (`digest: Type`, the record's `digest()`).
macro_rules! record_accessors {
    ($set:ty, $field:ident, $record:ty, $view:ty, $what:literal, digest: $digest:ty) => {
        record_accessors!(@list $set, $record, $view, $what);
        record_accessors!(@keyed $set, $field, $record, $digest, record, Some(record.digest()));
        record_accessors!(@read $set, $field, $record, $view, $what);
    };
    ($set:ty, $field:ident, $record:ty, $view:ty, $what:literal) => {
        record_accessors!(@list $set, $record, $view, $what);
        record_accessors!(@common $set, $field, $record, $view, $what);
    };
    (@common $set:ty, $field:ident, $record:ty, $view:ty, $what:literal) => {
        record_accessors!(@keyed $set, $field, $record, (), _record, None);
        record_accessors!(@read $set, $field, $record, $view, $what);
    };
    (@common $set:ty, $field:ident, $record:ty, $view:ty, $what:literal, grouped) => {
        record_accessors!(@keyed $set, $field, $record, (), _record, None, true);
        record_accessors!(@read $set, $field, $record, $view, $what);
    };
    (@keyed $set:ty, $field:ident, $record:ty, $digest:ty, $r:ident, $digest_of:expr) => {
        record_accessors!(@keyed $set, $field, $record, $digest, $r, $digest_of, false);
    };
    (@list $set:ty, $record:ty, $view:ty, $what:literal) => {
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
    (@keyed $set:ty, $field:ident, $record:ty, $digest:ty, $r:ident, $digest_of:expr, $grouped:literal) => {
        impl $crate::projection::Keyed for $set {
            type Record = $record;
            type Digest = $digest;
            const GROUPED: bool = $grouped;

            fn number(record: &$record) -> u64 {
                record.number
            }

            fn entries(&self) -> &$crate::shared::Shared<delib_events::StreamId, $record> {
                &self.$field
            }

            fn from_parts(
                last_position: delib_events::Position,
                entries: $crate::shared::Shared<delib_events::StreamId, $record>,
            ) -> Self {
                Self {
                    last_position: last_position.get(),
                    $field: entries,
                }
            }

            fn row(record: &$record) -> $crate::projection::Row<$record> {
                record.row()
            }

            fn digest($r: &$record) -> Option<$digest> {
                $digest_of
            }
        }
    };
    (@read $set:ty, $field:ident, $record:ty, $view:ty, $what:literal) => {
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
