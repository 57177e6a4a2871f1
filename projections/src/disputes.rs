//! The [`DisputeTimelines`] projection (糾紛調解): every dispute with each step of its stream in order.
//! Mediation attempts, escalations, negotiations, the resolution and its implementation are all read
//! from the steps, so `dispute show`, `dispute timeline` and the report agree by construction.

use crate::describe::describe;
use crate::directory::Directory;
use crate::pledges::{apply_pledge, PledgeRecord, PledgeView};
use crate::projection::{advance, Projection};
use crate::time::{human_duration, rfc3339};
use delib_events::dispute::{DisputeEvent, DisputeParty, MediationOutcome};
use delib_events::{
    DisputeId, Event, Metadata, OrgId, PersonId, Position, RecordedEvent, StreamId, StreamKind,
    Timestamp,
};
use serde::{Deserialize, Serialize};

/// Where a dispute is in its life, spelled as in `CLI.md`: the domain's lifecycle, one definition
/// for the rules and this read model (its encoding is this projection's stored form).
pub use delib_domain::dispute::Status as DisputeStatus;

/// One event of a dispute's stream, kept whole so its summary can be rendered with references later.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRecord {
    /// Global position.
    pub position: Position,
    /// When the act happened.
    pub occurred_at: Timestamp,
    /// When the ledger recorded it.
    pub recorded_at: Timestamp,
    /// Who recorded it.
    pub recorded_by: Option<PersonId>,
    /// The event.
    pub event: Event,
}

/// One dispute as folded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeRecord {
    /// Its id.
    pub id: DisputeId,
    /// Its reference number.
    pub number: u64,
    /// Title.
    pub title: String,
    /// Subject.
    pub subject: String,
    /// Parties and sides.
    pub parties: Vec<DisputeParty>,
    /// Where it is.
    pub status: DisputeStatus,
    /// Every event of its stream, in order (the filing included).
    pub steps: Vec<StepRecord>,
    /// Pledges towards it.
    pub pledges: Vec<PledgeRecord>,
}

impl DisputeRecord {
    /// What a list shows: the whole record (its views derive fields from all of it).
    pub fn row(&self) -> crate::projection::Row<Self> {
        crate::projection::Row::whole(self)
    }

    /// A record from the filing event; `None` for any other event.
    pub(crate) fn filed(meta: &Metadata, event: &Event) -> Option<Self> {
        let Event::Dispute(DisputeEvent::DisputeFiled {
            dispute,
            number,
            title,
            subject,
            parties,
        }) = event
        else {
            return None;
        };
        Some(Self {
            id: *dispute,
            number: *number,
            title: title.clone(),
            subject: subject.clone(),
            parties: parties.clone(),
            status: DisputeStatus::Filed,
            steps: vec![step(meta, event)],
            pledges: Vec::new(),
        })
    }

    /// Folds one later event of the dispute's stream.
    pub(crate) fn apply(&mut self, meta: &Metadata, event: &Event) {
        match event {
            Event::Dispute(DisputeEvent::DisputeFiled { .. }) => return,
            Event::Dispute(e) => self.status = DisputeStatus::entered_by(e),
            Event::Pledge(e) => apply_pledge(&mut self.pledges, meta, e),
            Event::Correction(e) => crate::pledges::correct_pledges(&mut self.pledges, e),
            _ => return,
        }
        self.steps.push(step(meta, event));
    }

    /// When it was filed.
    pub fn filed_at(&self) -> Timestamp {
        self.steps[0].occurred_at
    }

    fn first_time(&self, pred: impl Fn(&DisputeEvent) -> bool) -> Option<Timestamp> {
        self.steps.iter().find_map(|s| match &s.event {
            Event::Dispute(e) if pred(e) => Some(s.occurred_at),
            _ => None,
        })
    }

    /// When it was resolved, if it was.
    pub fn resolved_at(&self) -> Option<Timestamp> {
        self.first_time(|e| matches!(e, DisputeEvent::DisputeResolved { .. }))
    }

    /// When it was withdrawn, if it was.
    pub fn withdrawn_at(&self) -> Option<Timestamp> {
        self.first_time(|e| matches!(e, DisputeEvent::DisputeWithdrawn { .. }))
    }

    /// When it was closed, if it was.
    pub fn closed_at(&self) -> Option<Timestamp> {
        self.first_time(|e| matches!(e, DisputeEvent::DisputeClosed))
    }

    /// Each mediation attempt: when, by whom, with what outcome.
    pub fn mediations(&self) -> Vec<(Timestamp, OrgId, MediationOutcome)> {
        self.steps
            .iter()
            .filter_map(|s| match &s.event {
                Event::Dispute(DisputeEvent::MediationAttempted { by, outcome, .. }) => {
                    Some((s.occurred_at, *by, *outcome))
                }
                _ => None,
            })
            .collect()
    }

    /// The view, with references from `dir`.
    pub fn view(&self, dir: &Directory) -> DisputeTimeline {
        let mut steps = Vec::new();
        let mut mediation_attempts = Vec::new();
        let mut escalations = Vec::new();
        let mut negotiations = Vec::new();
        let mut resolution = None;
        let mut implementation = None;
        let mut withdrawal = None;
        let mut corrections = Vec::new();
        let mut bodies: Vec<OrgId> = Vec::new();
        let mut involve = |o: OrgId| {
            if !bodies.contains(&o) {
                bodies.push(o);
            }
        };
        let mut prev: Option<Timestamp> = None;
        // The timeline in the order things happened: a late entry takes its place by its time
        // (the log keeps the recording order; history shows both).
        let mut in_time: Vec<&StepRecord> = self.steps.iter().collect();
        in_time.sort_by_key(|s| (s.occurred_at, s.position));
        for s in in_time {
            let since = prev.map(|p| s.occurred_at.as_micros().saturating_sub(p.as_micros()));
            prev = Some(s.occurred_at);
            let at = rfc3339(s.occurred_at);
            steps.push(StepView {
                position: s.position.get(),
                occurred_at: at.clone(),
                recorded_at: rfc3339(s.recorded_at),
                recorded_by: s.recorded_by.map(|p| dir.person(p)),
                kind: s.event.kind().to_owned(),
                summary: describe(&s.event, dir),
                since_previous_s: since.map(|m| m / 1_000_000),
                since_previous: since.map(human_duration),
            });
            match &s.event {
                Event::Dispute(e) => match e {
                    DisputeEvent::DisputeFiled { .. } => {}
                    DisputeEvent::MediationAttempted { by, outcome, note } => {
                        involve(*by);
                        mediation_attempts.push(MediationView {
                            position: s.position.get(),
                            occurred_at: at,
                            by: dir.org(*by),
                            outcome: outcome.as_str().to_owned(),
                            note: note.clone(),
                            corrected: false,
                        });
                    }
                    DisputeEvent::DisputeEscalated { to, reason } => {
                        involve(*to);
                        escalations.push(EscalationView {
                            position: s.position.get(),
                            occurred_at: at,
                            to: dir.org(*to),
                            reason: reason.clone(),
                        });
                    }
                    DisputeEvent::NegotiationHeld {
                        presided_by,
                        representatives,
                    } => {
                        involve(*presided_by);
                        negotiations.push(NegotiationView {
                            position: s.position.get(),
                            occurred_at: at,
                            presided_by: dir.org(*presided_by),
                            representatives: representatives
                                .iter()
                                .map(|r| RepresentativeView {
                                    person: dir.person(r.person),
                                    side: r.side.clone(),
                                })
                                .collect(),
                        });
                    }
                    DisputeEvent::DisputeResolved {
                        resolution: text,
                        terms,
                    } => {
                        resolution = Some(ResolutionView {
                            position: s.position.get(),
                            occurred_at: at,
                            resolution: text.clone(),
                            terms: terms.clone(),
                        });
                    }
                    DisputeEvent::ResolutionImplemented { note } => {
                        implementation = Some(ImplementationView {
                            position: s.position.get(),
                            occurred_at: at,
                            note: note.clone(),
                        });
                    }
                    DisputeEvent::DisputeClosed => {}
                    DisputeEvent::DisputeWithdrawn { reason } => withdrawal = Some(reason.clone()),
                },
                Event::Correction(e) => corrections.push(
                    crate::pledges::CorrectionRecord::of(s.position, s.occurred_at, e).view(),
                ),
                _ => {}
            }
        }
        // Corrections take effect: a voided act leaves the timeline (its history keeps it), an
        // amended note, title or subject shows its new value.
        let voided: Vec<u64> = corrections
            .iter()
            .filter(|c| c.voided)
            .map(|c| c.corrected)
            .collect();
        let amended = |position: u64, field: &str| {
            corrections
                .iter()
                .filter(|c| c.corrected == position)
                .flat_map(|c| c.changes.iter())
                .filter(|ch| ch.field == field)
                .map(|ch| ch.new.clone())
                .next_back()
        };
        steps.retain(|s| !voided.contains(&s.position));
        mediation_attempts.retain(|m| !voided.contains(&m.position));
        escalations.retain(|e| !voided.contains(&e.position));
        negotiations.retain(|n| !voided.contains(&n.position));
        resolution = resolution.filter(|r| !voided.contains(&r.position));
        implementation = implementation.filter(|i| !voided.contains(&i.position));
        for m in &mut mediation_attempts {
            if let Some(note) = amended(m.position, "note") {
                m.note = Some(note);
                m.corrected = true;
            }
        }
        let filed = self.steps.first().map_or(0, |s| s.position.get());
        let mut corrected = Vec::new();
        let mut title = self.title.clone();
        let mut subject = self.subject.clone();
        for (field, value) in [("title", &mut title), ("subject", &mut subject)] {
            if let Some(new) = amended(filed, field) {
                *value = new;
                corrected.push(field.to_owned());
            }
        }
        let succeeded = mediation_attempts
            .iter()
            .filter(|m| m.outcome == MediationOutcome::Succeeded.as_str())
            .count() as u64;
        DisputeTimeline {
            reference: dir.name(self.id.stream_id()),
            status: self.status.as_str().to_owned(),
            title,
            subject,
            corrected,
            parties: self
                .parties
                .iter()
                .map(|p| PartyView {
                    party: dir.org(p.org),
                    side: p.side.clone(),
                })
                .collect(),
            filed_at: rfc3339(self.filed_at()),
            bodies: bodies.into_iter().map(|o| dir.org(o)).collect(),
            mediation_succeeded: succeeded,
            steps,
            mediation_attempts,
            escalations,
            negotiations,
            resolution,
            implementation,
            withdrawn_reason: withdrawal,
            closed_at: self.closed_at().map(rfc3339),
            pledges: crate::pledges::in_time_order(&self.pledges)
                .map(|p| p.view(dir))
                .collect(),
            corrections,
            as_of: None,
            at_position: None,
        }
    }
}

fn step(meta: &Metadata, event: &Event) -> StepRecord {
    StepRecord {
        position: meta.position,
        occurred_at: meta.occurred_at,
        recorded_at: meta.recorded_at,
        recorded_by: meta.recorded_by,
        event: event.clone(),
    }
}

/// One step as `dispute timeline` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StepView {
    /// Global position.
    pub position: u64,
    /// When it happened (RFC 3339).
    pub occurred_at: String,
    /// When it was recorded (RFC 3339).
    pub recorded_at: String,
    /// Who recorded it.
    pub recorded_by: Option<String>,
    /// Dotted event kind, e.g. `dispute.mediation-attempted`.
    pub kind: String,
    /// One line, with references.
    pub summary: String,
    /// Seconds since the previous step (null for the first).
    pub since_previous_s: Option<i64>,
    /// The same, for people (`12d 3h`).
    pub since_previous: Option<String>,
}

/// A party and its side.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PartyView {
    /// `ORG-n`.
    pub party: String,
    /// Side label.
    pub side: String,
}

/// One mediation attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MediationView {
    /// Position.
    pub position: u64,
    /// When.
    pub occurred_at: String,
    /// The mediating body.
    pub by: String,
    /// `failed` or `succeeded`.
    pub outcome: String,
    /// A note.
    pub note: Option<String>,
    /// Whether a correction changed the note (absent when not).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub corrected: bool,
}

/// One escalation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EscalationView {
    /// Position.
    pub position: u64,
    /// When.
    pub occurred_at: String,
    /// The body it went to.
    pub to: String,
    /// Why.
    pub reason: String,
}

/// A representative at a negotiation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RepresentativeView {
    /// `PER-n`.
    pub person: String,
    /// Side.
    pub side: String,
}

/// One negotiation session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NegotiationView {
    /// Position.
    pub position: u64,
    /// When.
    pub occurred_at: String,
    /// The presiding body.
    pub presided_by: String,
    /// Who spoke for which side.
    pub representatives: Vec<RepresentativeView>,
}

/// The resolution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResolutionView {
    /// Position.
    pub position: u64,
    /// When.
    pub occurred_at: String,
    /// The resolution.
    pub resolution: String,
    /// Its terms.
    pub terms: Vec<String>,
}

/// The implementation of the resolution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImplementationView {
    /// Position.
    pub position: u64,
    /// When.
    pub occurred_at: String,
    /// What was done.
    pub note: String,
}

/// `dispute show` / `dispute timeline --json`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DisputeTimeline {
    /// `DISP-n`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Status, spelled as in `CLI.md`.
    pub status: String,
    /// Title.
    pub title: String,
    /// Subject.
    pub subject: String,
    /// The fields that show a corrected value (`title`, `subject`); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrected: Vec<String>,
    /// Parties and sides.
    pub parties: Vec<PartyView>,
    /// When filed.
    pub filed_at: String,
    /// Bodies involved beyond the parties (mediators, escalation targets, presiding bodies), in order
    /// of first involvement.
    pub bodies: Vec<String>,
    /// Every step, oldest first, with the time since the previous one.
    pub steps: Vec<StepView>,
    /// Mediation attempts and their outcomes.
    pub mediation_attempts: Vec<MediationView>,
    /// How many mediation attempts succeeded.
    pub mediation_succeeded: u64,
    /// Escalations.
    pub escalations: Vec<EscalationView>,
    /// Negotiation sessions.
    pub negotiations: Vec<NegotiationView>,
    /// The resolution, or null.
    pub resolution: Option<ResolutionView>,
    /// Its implementation, or null.
    pub implementation: Option<ImplementationView>,
    /// Why it was withdrawn.
    pub withdrawn_reason: Option<String>,
    /// When it was closed.
    pub closed_at: Option<String>,
    /// Pledges towards it.
    pub pledges: Vec<PledgeView>,
    /// Corrections recorded against its events.
    pub corrections: Vec<crate::pledges::CorrectionView>,
    /// The `--as-of` cut this timeline was folded with (RFC 3339), if any.
    pub as_of: Option<String>,
    /// The `--at-position` cut this timeline was folded with, if any.
    pub at_position: Option<u64>,
}

/// Every dispute, keyed by stream.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeTimelines {
    last_position: u64,
    #[serde(with = "crate::shared::arc_map")]
    disputes: crate::shared::Shared<StreamId, DisputeRecord>,
}

impl Projection for DisputeTimelines {
    const NAME: &'static str = "disputes";
    const VERSION: u32 = 2;

    fn apply(&mut self, event: &RecordedEvent) {
        if !advance(&mut self.last_position, event) {
            return;
        }
        let meta = &event.metadata;
        if meta.stream_kind != StreamKind::Dispute {
            return;
        }
        match self.disputes.get_mut(&meta.stream_id) {
            Some(r) => std::sync::Arc::make_mut(r).apply(meta, &event.event),
            None => {
                if let Some(r) = DisputeRecord::filed(meta, &event.event) {
                    self.disputes.insert(meta.stream_id, std::sync::Arc::new(r));
                }
            }
        }
    }

    fn last_position(&self) -> Position {
        Position::new(self.last_position)
    }
}

record_accessors!(
    DisputeTimelines,
    disputes,
    DisputeRecord,
    DisputeTimeline,
    "dispute"
);
