//! The decision history: `history REF` (every event of one entity, oldest first) and `audit log`
//! (every event, filtered by actor and period). Each entry says when the act happened, when it was
//! recorded, by whom (`PER-n`), what kind of act it was and a one-line summary with references.
//!
//! These are pure functions over events the caller reads from the ledger (one stream for `history`,
//! a scan for `audit log`), rendered with a [`Directory`].

use crate::describe::describe;
use crate::directory::{person_stream, Directory};
use crate::time::rfc3339;
use delib_events::ballot::BallotEvent;
use delib_events::consultation::ConsultationEvent;
use delib_events::dispute::DisputeEvent;
use delib_events::hearing::HearingEvent;
use delib_events::pledge::PledgeEvent;
use delib_events::proposal::ProposalEvent;
use delib_events::{Event, RecordedEvent, Reference, StreamId, Timestamp};
use serde::Serialize;

/// One act in a history or audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HistoryEntry {
    /// Global position.
    pub position: u64,
    /// When the act happened (RFC 3339).
    pub occurred_at: String,
    /// When the ledger recorded it (RFC 3339).
    pub recorded_at: String,
    /// Who recorded it (`PER-n`), or null.
    pub recorded_by: Option<String>,
    /// Dotted event kind.
    pub kind: String,
    /// One line, with references; never a name or a secret choice.
    pub summary: String,
    /// The entity whose stream holds the event (`PROP-3`), or null (the ledger's own stream).
    #[serde(rename = "ref")]
    pub reference: Option<String>,
    /// For a late entry (an act earlier than one recorded before it in its stream): "recorded on X,
    /// about an act of Y". Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub late_entry: Option<String>,
    /// For a voided act: "voided at position N: why". Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voided: Option<String>,
}

/// The entry for one event.
pub fn entry(event: &RecordedEvent, dir: &Directory) -> HistoryEntry {
    let m = &event.metadata;
    HistoryEntry {
        position: m.position.get(),
        occurred_at: rfc3339(m.occurred_at),
        recorded_at: rfc3339(m.recorded_at),
        recorded_by: m.recorded_by.map(|p| dir.person(p)),
        kind: event.event.kind().to_owned(),
        summary: describe(&event.event, dir),
        reference: dir.reference(m.stream_id).map(|r| r.to_string()),
        late_entry: None,
        voided: None,
    }
}

/// The positions of the late entries among one stream's events: acts that happened before an act
/// recorded earlier in the log.
pub fn late_entries(events_of_one_stream: &[RecordedEvent]) -> std::collections::BTreeSet<u64> {
    let mut sorted: Vec<&RecordedEvent> = events_of_one_stream.iter().collect();
    sorted.sort_by_key(|e| e.position());
    let mut latest: Option<Timestamp> = None;
    let mut late = std::collections::BTreeSet::new();
    for e in sorted {
        let at = e.metadata.occurred_at;
        if latest.is_some_and(|l| at < l) {
            late.insert(e.position().get());
        }
        latest = latest.max(Some(at));
    }
    late
}

/// `history REF`: the entries of one entity's events, oldest first (sorted by position).
pub fn history(events_of_one_stream: &[RecordedEvent], dir: &Directory) -> Vec<HistoryEntry> {
    let late = late_entries(events_of_one_stream);
    let voids: std::collections::BTreeMap<u64, String> = events_of_one_stream
        .iter()
        .filter_map(|e| match &e.event {
            Event::Correction(delib_events::correction::CorrectionEvent::EventVoided {
                voided,
                reason,
            }) => Some((
                voided.get(),
                format!(
                    "voided at position {}: {}",
                    e.position(),
                    crate::describe::brief(reason)
                ),
            )),
            _ => None,
        })
        .collect();
    let mut v: Vec<HistoryEntry> = events_of_one_stream
        .iter()
        .map(|e| {
            let mut h = entry(e, dir);
            if late.contains(&h.position) {
                h.late_entry = Some(format!(
                    "late entry: recorded on {}, about an act of {}",
                    day(e.metadata.recorded_at),
                    day(e.metadata.occurred_at)
                ));
            }
            h.voided = voids.get(&h.position).cloned();
            h
        })
        .collect();
    v.sort_by_key(|e| e.position);
    v
}

/// The date part of a time (RFC 3339, UTC), e.g. `2016-03-05`.
fn day(t: Timestamp) -> String {
    rfc3339(t).chars().take(10).collect()
}

/// Which time an audit period applies to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TimeField {
    /// When the act happened (`--at`): the default.
    #[default]
    Occurred,
    /// When the ledger recorded it.
    Recorded,
}

/// `audit log [--actor REF] [--from WHEN] [--to WHEN]`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Only acts by this person or organisation: recorded by it (`PER-n`), or in which it acted (the
    /// author, co-signer, speaker, voter, party, pledger, mediator, presiding or convening body).
    pub actor: Option<Reference>,
    /// Only acts at or after this time.
    pub from: Option<Timestamp>,
    /// Only acts at or before this time.
    pub to: Option<Timestamp>,
    /// Which time `from` and `to` apply to.
    pub time: TimeField,
}

impl AuditQuery {
    /// Whether an event passes the query.
    pub fn matches(&self, event: &RecordedEvent, dir: &Directory) -> bool {
        let m = &event.metadata;
        let t = match self.time {
            TimeField::Occurred => m.occurred_at,
            TimeField::Recorded => m.recorded_at,
        };
        if self.from.is_some_and(|f| t < f) || self.to.is_some_and(|to| t > to) {
            return false;
        }
        match self.actor {
            None => true,
            Some(r) => match dir.resolve(r) {
                None => false,
                Some(actor) => {
                    m.recorded_by.map(person_stream) == Some(actor)
                        || actors(&event.event).contains(&actor)
                }
            },
        }
    }
}

/// `audit log`: the entries of the events that pass `query`, in the order given (oldest first when
/// the caller scans the ledger).
pub fn audit_log<'a>(
    events: impl IntoIterator<Item = &'a RecordedEvent>,
    dir: &Directory,
    query: &AuditQuery,
) -> Vec<HistoryEntry> {
    events
        .into_iter()
        .filter(|e| query.matches(e, dir))
        .map(|e| entry(e, dir))
        .collect()
}

/// The persons and organisations that act in an event (beyond the clerk who recorded it).
pub fn actors(event: &Event) -> Vec<StreamId> {
    match event {
        Event::Proposal(ProposalEvent::ProposalSubmitted { author, .. }) => {
            vec![person_stream(*author)]
        }
        Event::Proposal(ProposalEvent::ProposalCosigned { by }) => vec![person_stream(*by)],
        Event::Hearing(HearingEvent::HearingScheduled { presided_by, .. }) => {
            vec![presided_by.stream_id()]
        }
        Event::Hearing(HearingEvent::ParticipantRegistered { person, .. }) => {
            vec![person_stream(*person)]
        }
        Event::Hearing(HearingEvent::StatementRecorded { by, .. }) => vec![person_stream(*by)],
        Event::Consultation(ConsultationEvent::ConsultationConvened { convened_by, .. }) => {
            vec![convened_by.stream_id()]
        }
        Event::Consultation(ConsultationEvent::PositionStated { party, .. })
        | Event::Consultation(ConsultationEvent::CommitmentMade { party, .. }) => {
            vec![party.stream_id()]
        }
        Event::Ballot(BallotEvent::BallotCast { voter, .. }) => vec![person_stream(*voter)],
        Event::Dispute(DisputeEvent::MediationAttempted { by, .. }) => vec![by.stream_id()],
        Event::Dispute(DisputeEvent::NegotiationHeld {
            presided_by,
            representatives,
        }) => std::iter::once(presided_by.stream_id())
            .chain(representatives.iter().map(|r| person_stream(r.person)))
            .collect(),
        Event::Pledge(PledgeEvent::PledgeMade { by, .. }) => vec![by.stream_id()],
        _ => Vec::new(),
    }
}
