//! The [`ConsultationOutcomes`] projection (協商對話會, 黨員代表、居民代表協商會, 共建聯管聯席會議):
//! parties, positions, the agreement's terms or the failure, commitments and their fulfilment, pledges.
//! `consultation show` and `consultation list`.

use crate::directory::Directory;
use crate::pledges::{
    apply_correction, apply_pledge, CorrectionRecord, CorrectionView, PledgeRecord, PledgeView,
};
use crate::projection::{advance, Projection};
use crate::time::rfc3339;
use delib_events::consultation::{ConsultationEvent, ConsultationFormat};
use delib_events::correction::CorrectionEvent;
use delib_events::{
    ConsultationId, Event, Metadata, OrgId, Position, ProposalId, RecordedEvent, StreamId,
    StreamKind, Timestamp,
};
use serde::{Deserialize, Serialize};

/// Where a consultation is, spelled as in `CLI.md`: the domain's lifecycle, one definition for the
/// rules and this read model (its encoding is this projection's stored form).
pub use delib_domain::consultation::Status as ConsultationStatus;

/// A commitment as folded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitmentRecord {
    /// Its number within the consultation.
    pub commitment: u64,
    /// The committed party.
    pub party: OrgId,
    /// What it commits to.
    pub text: String,
    /// When due.
    pub due: Option<Timestamp>,
    /// When made.
    pub made_at: Timestamp,
    /// When fulfilled.
    pub fulfilled_at: Option<Timestamp>,
    /// The fulfilment note.
    pub note: Option<String>,
    /// The global position of its event (what a correction names).
    pub position: u64,
    /// The position of its fulfilment.
    pub fulfilled_position: Option<u64>,
    /// Whether a correction changed its text.
    pub corrected: bool,
}

impl CommitmentRecord {
    /// Overdue at `t`: due before `t` and not fulfilled by `t`.
    pub fn overdue_at(&self, t: Timestamp) -> bool {
        self.due.is_some_and(|d| d < t) && self.fulfilled_at.is_none_or(|f| f > t)
    }
}

/// One consultation as folded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationRecord {
    /// Its id.
    pub id: ConsultationId,
    /// Reference number.
    pub number: u64,
    /// Topic.
    pub topic: String,
    /// Format.
    pub format: ConsultationFormat,
    /// The convening organisation.
    pub convened_by: OrgId,
    /// The parties.
    pub parties: Vec<OrgId>,
    /// Proposals deliberated.
    pub proposals: Vec<ProposalId>,
    /// Where it is.
    pub status: ConsultationStatus,
    /// When convened.
    pub convened_at: Timestamp,
    /// Positions stated, in order, with the positions of their events and whether a correction
    /// changed them.
    pub positions: Vec<(OrgId, String, u64, bool)>,
    /// The positions of the agreement and failure events (what a void names).
    pub ended_position: Option<u64>,
    /// The fields of the convening a correction changed (`topic`).
    pub corrected: Vec<String>,
    /// Agreed terms and when.
    pub agreed: Option<(Vec<String>, Timestamp)>,
    /// Why and when it failed.
    pub failed: Option<(String, Timestamp)>,
    /// Commitments, in order.
    pub commitments: Vec<CommitmentRecord>,
    /// Pledges towards it.
    pub pledges: Vec<PledgeRecord>,
    /// Corrections in its stream.
    pub corrections: Vec<CorrectionRecord>,
}

impl ConsultationRecord {
    /// What `consultation list` shows: the record without its parties' positions, counted (its
    /// commitments stay: a list tells how many are fulfilled and overdue).
    pub fn row(&self) -> crate::projection::Row<Self> {
        let mut record = self.clone();
        let counts = vec![(
            "positions".into(),
            std::mem::take(&mut record.positions).len() as u64,
        )];
        crate::projection::Row { record, counts }
    }

    fn apply(&mut self, meta: &Metadata, event: &Event) {
        let at = meta.occurred_at;
        let position = meta.position.get();
        if let Event::Consultation(e) = event {
            if let Some(status) = ConsultationStatus::entered_by(e) {
                self.status = status;
            }
        }
        match event {
            Event::Consultation(e) => match e {
                ConsultationEvent::ConsultationConvened { .. } => {}
                ConsultationEvent::PositionStated { party, statement } => {
                    self.positions
                        .push((*party, statement.clone(), position, false))
                }
                ConsultationEvent::AgreementReached { terms } => {
                    self.agreed = Some((terms.clone(), at));
                    self.ended_position = Some(position);
                }
                ConsultationEvent::ConsultationFailed { reason } => {
                    self.failed = Some((reason.clone(), at));
                    self.ended_position = Some(position);
                }
                ConsultationEvent::CommitmentMade {
                    commitment,
                    party,
                    text,
                    due,
                } => self.commitments.push(CommitmentRecord {
                    commitment: *commitment,
                    party: *party,
                    text: text.clone(),
                    due: *due,
                    made_at: at,
                    fulfilled_at: None,
                    note: None,
                    position,
                    fulfilled_position: None,
                    corrected: false,
                }),
                ConsultationEvent::CommitmentFulfilled { commitment, note } => {
                    if let Some(c) = self
                        .commitments
                        .iter_mut()
                        .find(|c| c.commitment == *commitment && c.fulfilled_at.is_none())
                    {
                        c.fulfilled_at = Some(at);
                        c.note = note.clone();
                        c.fulfilled_position = Some(position);
                    }
                }
            },
            Event::Pledge(e) => apply_pledge(&mut self.pledges, meta, e),
            Event::Correction(e) => {
                crate::pledges::correct_pledges(&mut self.pledges, e);
                self.take_effect(e);
                apply_correction(&mut self.corrections, meta, e)
            }
            _ => {}
        }
    }

    /// Makes a correction take effect: an amended topic, position or commitment shows its new
    /// value (marked as corrected); a voided act is dropped, a voided fulfilment, agreement or
    /// failure undone (the domain allows a void only when no later act depends on it).
    fn take_effect(&mut self, event: &CorrectionEvent) {
        match event {
            CorrectionEvent::EventAmended {
                corrected, changes, ..
            } => {
                let corrected = corrected.get();
                for change in changes {
                    let new = change.new.clone();
                    match change.field.as_str() {
                        "topic" => {
                            self.topic = new;
                            if !self.corrected.contains(&change.field) {
                                self.corrected.push(change.field.clone());
                            }
                        }
                        "statement" => {
                            if let Some(p) = self.positions.iter_mut().find(|p| p.2 == corrected) {
                                p.1 = new;
                                p.3 = true;
                            }
                        }
                        "text" => {
                            if let Some(c) = self
                                .commitments
                                .iter_mut()
                                .find(|c| c.position == corrected)
                            {
                                c.text = new;
                                c.corrected = true;
                            }
                        }
                        _ => {}
                    }
                }
            }
            CorrectionEvent::EventVoided { voided, .. } => {
                let voided = voided.get();
                self.positions.retain(|p| p.2 != voided);
                self.commitments.retain(|c| c.position != voided);
                for c in self
                    .commitments
                    .iter_mut()
                    .filter(|c| c.fulfilled_position == Some(voided))
                {
                    c.fulfilled_at = None;
                    c.fulfilled_position = None;
                    c.note = None;
                }
                if self.ended_position == Some(voided) {
                    self.ended_position = None;
                    self.agreed = None;
                    self.failed = None;
                    self.status = ConsultationStatus::Convened;
                }
            }
            CorrectionEvent::EventCorrected { .. } => {}
        }
    }

    /// When it ended (agreed or failed).
    pub fn concluded_at(&self) -> Option<Timestamp> {
        self.agreed
            .as_ref()
            .map(|(_, t)| *t)
            .or(self.failed.as_ref().map(|(_, t)| *t))
    }

    /// The view, with references from `dir`.
    pub fn view(&self, dir: &Directory) -> ConsultationView {
        ConsultationView {
            reference: dir.name(self.id.stream_id()),
            status: self.status.as_str().to_owned(),
            topic: self.topic.clone(),
            format: self.format.as_str().to_owned(),
            convened_by: dir.org(self.convened_by),
            parties: self.parties.iter().map(|p| dir.org(*p)).collect(),
            proposals: self
                .proposals
                .iter()
                .map(|p| dir.name(p.stream_id()))
                .collect(),
            positions: self
                .positions
                .iter()
                .map(|(p, s, _, corrected)| PositionView {
                    party: dir.org(*p),
                    statement: s.clone(),
                    corrected: *corrected,
                })
                .collect(),
            terms: self
                .agreed
                .as_ref()
                .map(|(t, _)| t.clone())
                .unwrap_or_default(),
            failure_reason: self.failed.as_ref().map(|(r, _)| r.clone()),
            convened_at: rfc3339(self.convened_at),
            concluded_at: self.concluded_at().map(rfc3339),
            commitments: self
                .commitments
                .iter()
                .map(|c| CommitmentView {
                    commitment: c.commitment,
                    party: dir.org(c.party),
                    text: c.text.clone(),
                    due: c.due.map(rfc3339),
                    fulfilled: c.fulfilled_at.is_some(),
                    fulfilled_at: c.fulfilled_at.map(rfc3339),
                    corrected: c.corrected,
                })
                .collect(),
            pledges: crate::pledges::in_time_order(&self.pledges)
                .map(|p| p.view(dir))
                .collect(),
            corrections: self
                .corrections
                .iter()
                .map(CorrectionRecord::view)
                .collect(),
            corrected: self.corrected.clone(),
        }
    }
}

/// A party's position.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PositionView {
    /// `ORG-n`.
    pub party: String,
    /// Its statement.
    pub statement: String,
    /// Whether a correction changed it (absent when not).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub corrected: bool,
}

/// A commitment (`commitment`, `party`, `text`, `due`, `fulfilled`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommitmentView {
    /// Its number.
    pub commitment: u64,
    /// `ORG-n`.
    pub party: String,
    /// What.
    pub text: String,
    /// When due (RFC 3339).
    pub due: Option<String>,
    /// Whether fulfilled.
    pub fulfilled: bool,
    /// When fulfilled.
    pub fulfilled_at: Option<String>,
    /// Whether a correction changed its text (absent when not).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub corrected: bool,
}

/// `consultation show --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ConsultationView {
    /// `CONS-n`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// `convened`, `agreed` or `failed`.
    pub status: String,
    /// Topic.
    pub topic: String,
    /// `dialogue`, `joint-representatives` or `joint-meeting`.
    pub format: String,
    /// The convening organisation.
    pub convened_by: String,
    /// Parties.
    pub parties: Vec<String>,
    /// Proposals deliberated.
    pub proposals: Vec<String>,
    /// Positions stated.
    pub positions: Vec<PositionView>,
    /// Agreed terms (empty unless agreed).
    pub terms: Vec<String>,
    /// Why it failed.
    pub failure_reason: Option<String>,
    /// When convened.
    pub convened_at: String,
    /// When it ended.
    pub concluded_at: Option<String>,
    /// Commitments.
    pub commitments: Vec<CommitmentView>,
    /// Pledges towards it.
    pub pledges: Vec<PledgeView>,
    /// Corrections.
    pub corrections: Vec<CorrectionView>,
    /// The fields that show a corrected value (`topic`); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrected: Vec<String>,
}

/// Every consultation, keyed by stream.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsultationOutcomes {
    last_position: u64,
    #[serde(with = "crate::shared::arc_map")]
    consultations: crate::shared::Shared<StreamId, ConsultationRecord>,
}

impl Projection for ConsultationOutcomes {
    const NAME: &'static str = "consultations";
    const VERSION: u32 = 3;

    fn apply(&mut self, event: &RecordedEvent) {
        if !advance(&mut self.last_position, event) {
            return;
        }
        let meta = &event.metadata;
        if meta.stream_kind != StreamKind::Consultation {
            return;
        }
        if let Event::Consultation(ConsultationEvent::ConsultationConvened {
            consultation,
            number,
            topic,
            format,
            convened_by,
            parties,
            proposals,
        }) = &event.event
        {
            self.consultations.entry(meta.stream_id).or_insert_with(|| {
                std::sync::Arc::new(ConsultationRecord {
                    id: *consultation,
                    number: *number,
                    topic: topic.clone(),
                    format: *format,
                    convened_by: *convened_by,
                    parties: parties.clone(),
                    proposals: proposals.clone(),
                    status: ConsultationStatus::Convened,
                    convened_at: meta.occurred_at,
                    positions: Vec::new(),
                    agreed: None,
                    failed: None,
                    commitments: Vec::new(),
                    pledges: Vec::new(),
                    corrections: Vec::new(),
                    ended_position: None,
                    corrected: Vec::new(),
                })
            });
        } else if let Some(r) = self.consultations.get_mut(&meta.stream_id) {
            std::sync::Arc::make_mut(r).apply(meta, &event.event);
        }
    }

    fn last_position(&self) -> Position {
        Position::new(self.last_position)
    }
}

record_accessors!(
    ConsultationOutcomes,
    consultations,
    ConsultationRecord,
    ConsultationView,
    "consultation"
);
