//! The [`HearingRecords`] projection (民主聽證會): scheduled hearings, participants, statements for,
//! against or neutral, and findings. `hearing show` and `hearing list`.

use crate::directory::Directory;
use crate::pledges::{apply_correction, CorrectionRecord, CorrectionView};
use crate::projection::{advance, Projection};
use crate::time::rfc3339;
use delib_events::hearing::{HearingEvent, HearingRole, Stance};
use delib_events::{
    Event, HearingId, Metadata, OrgId, PersonId, Position, ProposalId, RecordedEvent, StreamId,
    StreamKind, Timestamp,
};
use serde::{Deserialize, Serialize};

/// Where a hearing is, spelled as in `CLI.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum HearingStatus {
    /// Scheduled.
    Scheduled,
    /// Open: statements are being recorded.
    Open,
    /// Closed with findings.
    Closed,
    /// Cancelled.
    Cancelled,
}

impl HearingStatus {
    /// The CLI/JSON spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            HearingStatus::Scheduled => "scheduled",
            HearingStatus::Open => "open",
            HearingStatus::Closed => "closed",
            HearingStatus::Cancelled => "cancelled",
        }
    }
}

/// A statement as folded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementRecord {
    /// The speaker.
    pub by: PersonId,
    /// For, against, neutral.
    pub stance: Stance,
    /// Summary.
    pub summary: String,
    /// When.
    pub at: Timestamp,
}

/// One hearing as folded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingRecord {
    /// Its id.
    pub id: HearingId,
    /// Reference number.
    pub number: u64,
    /// Topic.
    pub topic: String,
    /// When it takes place.
    pub on: Timestamp,
    /// Where.
    pub venue: String,
    /// The presiding organisation.
    pub presided_by: OrgId,
    /// Proposals it deliberates.
    pub proposals: Vec<ProposalId>,
    /// Where it is.
    pub status: HearingStatus,
    /// When scheduled.
    pub scheduled_at: Timestamp,
    /// When opened.
    pub opened_at: Option<Timestamp>,
    /// Participants and roles, in order of registration.
    pub participants: Vec<(PersonId, HearingRole)>,
    /// Statements, in order.
    pub statements: Vec<StatementRecord>,
    /// Findings and when it closed.
    pub closed: Option<(String, Timestamp)>,
    /// Why and when it was cancelled.
    pub cancelled: Option<(String, Timestamp)>,
    /// Corrections in its stream.
    pub corrections: Vec<CorrectionRecord>,
}

impl HearingRecord {
    fn apply(&mut self, meta: &Metadata, event: &Event) {
        let at = meta.occurred_at;
        match event {
            Event::Hearing(e) => match e {
                HearingEvent::HearingScheduled { .. } => {}
                HearingEvent::ParticipantRegistered { person, role } => {
                    self.participants.push((*person, *role))
                }
                HearingEvent::HearingOpened => {
                    self.status = HearingStatus::Open;
                    self.opened_at = Some(at);
                }
                HearingEvent::StatementRecorded {
                    by,
                    stance,
                    summary,
                } => self.statements.push(StatementRecord {
                    by: *by,
                    stance: *stance,
                    summary: summary.clone(),
                    at,
                }),
                HearingEvent::HearingClosed { findings } => {
                    self.status = HearingStatus::Closed;
                    self.closed = Some((findings.clone(), at));
                }
                HearingEvent::HearingCancelled { reason } => {
                    self.status = HearingStatus::Cancelled;
                    self.cancelled = Some((reason.clone(), at));
                }
            },
            Event::Correction(e) => apply_correction(&mut self.corrections, meta, e),
            _ => {}
        }
    }

    /// The view, with references from `dir`.
    pub fn view(&self, dir: &Directory) -> HearingView {
        HearingView {
            reference: dir.name(self.id.stream_id()),
            status: self.status.as_str().to_owned(),
            topic: self.topic.clone(),
            on: rfc3339(self.on),
            venue: self.venue.clone(),
            presided_by: dir.org(self.presided_by),
            proposals: self
                .proposals
                .iter()
                .map(|p| dir.name(p.stream_id()))
                .collect(),
            participants: self
                .participants
                .iter()
                .map(|(p, r)| ParticipantView {
                    person: dir.person(*p),
                    role: r.as_str().to_owned(),
                })
                .collect(),
            statements: self
                .statements
                .iter()
                .map(|s| StatementView {
                    by: dir.person(s.by),
                    stance: s.stance.as_str().to_owned(),
                    summary: s.summary.clone(),
                    occurred_at: rfc3339(s.at),
                })
                .collect(),
            findings: self.closed.as_ref().map(|(f, _)| f.clone()),
            closed_at: self.closed.as_ref().map(|(_, t)| rfc3339(*t)),
            cancelled_reason: self.cancelled.as_ref().map(|(r, _)| r.clone()),
            corrections: self
                .corrections
                .iter()
                .map(CorrectionRecord::view)
                .collect(),
        }
    }
}

/// A participant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ParticipantView {
    /// `PER-n`.
    pub person: String,
    /// Role at the hearing.
    pub role: String,
}

/// A statement (`by`, `stance`, `summary`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatementView {
    /// `PER-n`.
    pub by: String,
    /// `support`, `oppose` or `neutral`.
    pub stance: String,
    /// Summary.
    pub summary: String,
    /// When.
    pub occurred_at: String,
}

/// `hearing show --json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HearingView {
    /// `HEAR-n`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// `scheduled`, `open`, `closed` or `cancelled`.
    pub status: String,
    /// Topic.
    pub topic: String,
    /// When it takes place.
    pub on: String,
    /// Where.
    pub venue: String,
    /// The presiding organisation.
    pub presided_by: String,
    /// Proposals deliberated.
    pub proposals: Vec<String>,
    /// Registered participants.
    pub participants: Vec<ParticipantView>,
    /// Statements.
    pub statements: Vec<StatementView>,
    /// Findings, once closed.
    pub findings: Option<String>,
    /// When closed.
    pub closed_at: Option<String>,
    /// Why cancelled.
    pub cancelled_reason: Option<String>,
    /// Corrections.
    pub corrections: Vec<CorrectionView>,
}

/// Every hearing, keyed by stream.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HearingRecords {
    last_position: u64,
    #[serde(with = "crate::shared::arc_map")]
    hearings: crate::shared::Shared<StreamId, HearingRecord>,
}

impl Projection for HearingRecords {
    const NAME: &'static str = "hearings";
    const VERSION: u32 = 2;

    fn apply(&mut self, event: &RecordedEvent) {
        if !advance(&mut self.last_position, event) {
            return;
        }
        let meta = &event.metadata;
        if meta.stream_kind != StreamKind::Hearing {
            return;
        }
        if let Event::Hearing(HearingEvent::HearingScheduled {
            hearing,
            number,
            topic,
            on,
            venue,
            presided_by,
            proposals,
        }) = &event.event
        {
            self.hearings.entry(meta.stream_id).or_insert_with(|| {
                std::sync::Arc::new(HearingRecord {
                    id: *hearing,
                    number: *number,
                    topic: topic.clone(),
                    on: *on,
                    venue: venue.clone(),
                    presided_by: *presided_by,
                    proposals: proposals.clone(),
                    status: HearingStatus::Scheduled,
                    scheduled_at: meta.occurred_at,
                    opened_at: None,
                    participants: Vec::new(),
                    statements: Vec::new(),
                    closed: None,
                    cancelled: None,
                    corrections: Vec::new(),
                })
            });
        } else if let Some(r) = self.hearings.get_mut(&meta.stream_id) {
            std::sync::Arc::make_mut(r).apply(meta, &event.event);
        }
    }

    fn last_position(&self) -> Position {
        Position::new(self.last_position)
    }
}

record_accessors!(
    HearingRecords,
    hearings,
    HearingRecord,
    HearingView,
    "hearing"
);
