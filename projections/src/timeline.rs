//! Dispute replay: a dispute's timeline as it stood on a date (`--as-of`) or as the ledger knew it at a
//! position (`--at-position`).
//!
//! **Architecture Invariant:** replay folds only the events that satisfy the cut; it never folds
//! everything and then filters the finished view. So a replay shows the status, the mediation count
//! and the time between steps exactly as they were.

use crate::directory::Directory;
use crate::disputes::{DisputeRecord, DisputeTimeline};
use crate::time::rfc3339;
use delib_events::{Position, RecordedEvent, Timestamp};

/// Whether an event is inside a cut: `occurred_at <= as_of` and `position <= at_position`.
pub fn within_cut(event: &RecordedEvent, as_of: Option<Timestamp>, at: Option<Position>) -> bool {
    as_of.is_none_or(|t| event.metadata.occurred_at <= t)
        && at.is_none_or(|p| event.metadata.position <= p)
}

/// Folds the events of one dispute's stream (oldest first) that satisfy the cut into its timeline.
/// `None` when the dispute was not yet filed within the cut (or `events` holds no filing).
///
/// `dir` renders references; it may be the current directory, because every entity an event within
/// the cut refers to was registered before it.
pub fn timeline(
    events_of_one_dispute: &[RecordedEvent],
    as_of: Option<Timestamp>,
    at_position: Option<Position>,
    dir: &Directory,
) -> Option<DisputeTimeline> {
    let mut record: Option<DisputeRecord> = None;
    let mut cut: Vec<&RecordedEvent> = events_of_one_dispute
        .iter()
        .filter(|e| within_cut(e, as_of, at_position))
        .collect();
    cut.sort_by_key(|e| e.position());
    cut.dedup_by_key(|e| e.position());
    // "As of a date" folds the acts in order of time (a late entry takes its place among them);
    // "at a position" folds what the log held, in log order.
    if as_of.is_some() {
        cut.sort_by_key(|e| (e.metadata.occurred_at, e.position()));
    }
    for e in cut {
        match record.as_mut() {
            Some(r) => r.apply(&e.metadata, &e.event),
            None => record = DisputeRecord::filed(&e.metadata, &e.event),
        }
    }
    record.map(|r| {
        let mut view = r.view(dir);
        view.as_of = as_of.map(rfc3339);
        view.at_position = at_position.map(Position::get);
        view
    })
}
