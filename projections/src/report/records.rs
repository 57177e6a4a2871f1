//! The report's section on the clerk's records of the period (issue 13): corrections (old → new),
//! voids, ballots taken in the room, and public documents with their SHA-256. `report verify`
//! rebuilds it like every section, so a report that hides a correction or swaps a hash fails.

use super::input::ReportViews;
use crate::documents::DocumentView;
use crate::pledges::{CorrectionRecord, CorrectionView};
use delib_events::{StreamId, Timestamp};
use serde::Serialize;

/// A correction or void made in the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PeriodCorrection {
    /// The entity (`PROP-1`).
    #[serde(rename = "ref")]
    pub reference: String,
    /// When it was made (RFC 3339).
    pub at: String,
    /// The correction: positions, why, old → new values.
    #[serde(flatten)]
    pub correction: CorrectionView,
}

/// A ballot taken in the room, closed in the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoomBallot {
    /// `BAL-n`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Members present.
    pub present: u64,
    /// Voters on the roll.
    pub electorate: u64,
    /// Hands per option, in the order offered.
    pub counts: Vec<(String, u64)>,
    /// The result, if any.
    pub result: Option<String>,
}

/// The clerk's records of the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RecordsSection {
    /// Corrections with corrected values or notes, made in the period (voids not included).
    pub corrections: Vec<PeriodCorrection>,
    /// Acts voided in the period.
    pub voids: Vec<PeriodCorrection>,
    /// Ballots taken in the room and closed in the period.
    pub in_room_ballots: Vec<RoomBallot>,
    /// Public documents attached in the period, with their hashes (withdrawn ones keep theirs).
    pub documents: Vec<DocumentView>,
}

/// The section for `from..=to`. Corrections are those of proposals, hearings, consultations and
/// ballots (the views that keep them with their time).
pub fn records(views: &ReportViews<'_>, from: Timestamp, to: Timestamp) -> RecordsSection {
    let dir = views.directory;
    let within = |t: Timestamp| from <= t && t <= to;
    let mut all: Vec<(StreamId, &CorrectionRecord)> = Vec::new();
    all.extend(
        views
            .proposals
            .records()
            .flat_map(|r| r.corrections.iter().map(move |c| (r.id.stream_id(), c))),
    );
    all.extend(views.hearings.iter().flat_map(|h| {
        h.record
            .corrections
            .iter()
            .map(move |c| (h.record.id.stream_id(), c))
    }));
    all.extend(
        views
            .consultations
            .records()
            .flat_map(|r| r.corrections.iter().map(move |c| (r.id.stream_id(), c))),
    );
    all.extend(
        views
            .ballots
            .records()
            .flat_map(|r| r.corrections.iter().map(move |c| (r.id.stream_id(), c))),
    );
    // A dispute keeps its corrections among its steps (its timeline is built from them).
    let dispute_corrections: Vec<(StreamId, CorrectionRecord)> = views
        .disputes
        .records()
        .flat_map(|r| {
            r.steps.iter().filter_map(move |s| match &s.event {
                delib_events::Event::Correction(e) => Some((
                    r.id.stream_id(),
                    CorrectionRecord::of(s.position, s.occurred_at, e),
                )),
                _ => None,
            })
        })
        .collect();
    all.extend(dispute_corrections.iter().map(|(s, c)| (*s, c)));
    all.retain(|(_, c)| within(c.at));
    all.sort_by_key(|(_, c)| c.position);
    let entry = |(s, c): &(StreamId, &CorrectionRecord)| PeriodCorrection {
        reference: dir.name(*s),
        at: crate::time::rfc3339(c.at),
        correction: c.view(),
    };
    let mut rooms: Vec<_> = views
        .ballots
        .records()
        .filter(|b| b.in_room && b.closed_at().is_some_and(within))
        .collect();
    rooms.sort_by_key(|b| b.number);
    RecordsSection {
        corrections: all.iter().filter(|(_, c)| !c.voided).map(entry).collect(),
        voids: all.iter().filter(|(_, c)| c.voided).map(entry).collect(),
        in_room_ballots: rooms
            .iter()
            .map(|b| {
                let tally = b.tally.as_ref();
                RoomBallot {
                    reference: dir.name(b.id.stream_id()),
                    present: b.present.unwrap_or(0),
                    electorate: b.electorate,
                    counts: tally
                        .map(|t| {
                            t.counts
                                .iter()
                                .map(|c| (c.option.clone(), c.count))
                                .collect()
                        })
                        .unwrap_or_default(),
                    result: tally.and_then(|t| t.result.clone()),
                }
            })
            .collect(),
        documents: views
            .documents
            .records()
            .filter(|d| !d.private && within(d.attached_at))
            .map(|d| d.view(dir))
            .collect(),
    }
}
