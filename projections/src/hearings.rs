//! The [`HearingRecords`] projection (民主聽證會): scheduled hearings, participants, statements for,
//! against or neutral, and findings. `hearing show` and `hearing list`.

use crate::directory::Directory;
use crate::pledges::{apply_correction, CorrectionRecord, CorrectionView};
use crate::projection::{advance, Projection};
use crate::time::rfc3339;
use delib_events::correction::CorrectionEvent;
use delib_events::hearing::{HearingEvent, HearingRole, Stance};
use delib_events::{
    Event, HearingId, Metadata, OrgId, PersonId, Position, ProposalId, RecordedEvent, StreamId,
    StreamKind, Timestamp,
};
use serde::{Deserialize, Serialize};

/// Where a hearing is, spelled as in `CLI.md`: the domain's lifecycle, one definition for the rules
/// and this read model (its encoding is this projection's stored form).
pub use delib_domain::hearing::Status as HearingStatus;

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
    /// The global position of its event (what a correction names).
    pub position: u64,
    /// Whether a correction changed its summary.
    pub corrected: bool,
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
    /// Participants and roles, in order of registration, with the positions of their events.
    pub participants: Vec<(PersonId, HearingRole, u64)>,
    /// The positions of the opening, closing and cancelling events (what a void names).
    pub steps: LifecycleSteps,
    /// The fields a correction changed (`topic`, `venue`, `findings`).
    pub corrected: Vec<String>,
    /// Statements, in order.
    pub statements: Vec<StatementRecord>,
    /// Findings and when it closed.
    pub closed: Option<(String, Timestamp)>,
    /// Why and when it was cancelled.
    pub cancelled: Option<(String, Timestamp)>,
    /// Corrections in its stream.
    pub corrections: Vec<CorrectionRecord>,
}

/// The positions of a hearing's lifecycle events.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LifecycleSteps {
    /// `HearingOpened`.
    pub opened: Option<u64>,
    /// `HearingClosed`.
    pub closed: Option<u64>,
    /// `HearingCancelled`.
    pub cancelled: Option<u64>,
}

impl HearingRecord {
    /// What `hearing list` shows: the record without its participants and statements, counted.
    pub fn row(&self) -> crate::projection::Row<Self> {
        let counts = vec![
            ("participants".into(), self.participants.len() as u64),
            ("statements".into(), self.statements.len() as u64),
        ];
        crate::projection::Row {
            record: self.without_lists(),
            counts,
        }
    }

    /// The record without its participants and statements (copied without copying them).
    pub fn without_lists(&self) -> Self {
        let HearingRecord {
            id,
            number,
            topic,
            on,
            venue,
            presided_by,
            proposals,
            status,
            scheduled_at,
            opened_at,
            participants: _,
            steps,
            corrected,
            statements: _,
            closed,
            cancelled,
            corrections,
        } = self;
        HearingRecord {
            id: *id,
            number: *number,
            topic: topic.clone(),
            on: *on,
            venue: venue.clone(),
            presided_by: *presided_by,
            proposals: proposals.clone(),
            status: *status,
            scheduled_at: *scheduled_at,
            opened_at: *opened_at,
            participants: Vec::new(),
            steps: steps.clone(),
            corrected: corrected.clone(),
            statements: Vec::new(),
            closed: closed.clone(),
            cancelled: cancelled.clone(),
            corrections: corrections.clone(),
        }
    }

    /// When its statements were made, by stance: what the store keeps beside the record for the
    /// transparency report ([`crate::Keyed::Digest`]).
    pub fn digest(&self) -> StatementTimes {
        StatementTimes::of(&self.statements)
    }

    fn apply(&mut self, meta: &Metadata, event: &Event) {
        let at = meta.occurred_at;
        let position = meta.position.get();
        if let Event::Hearing(e) = event {
            if let Some(status) = HearingStatus::entered_by(e) {
                self.status = status;
            }
        }
        match event {
            Event::Hearing(e) => match e {
                HearingEvent::HearingScheduled { .. } => {}
                HearingEvent::ParticipantRegistered { person, role } => {
                    self.participants.push((*person, *role, position))
                }
                HearingEvent::HearingOpened => {
                    self.opened_at = Some(at);
                    self.steps.opened = Some(position);
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
                    position,
                    corrected: false,
                }),
                HearingEvent::HearingClosed { findings } => {
                    self.closed = Some((findings.clone(), at));
                    self.steps.closed = Some(position);
                }
                HearingEvent::HearingCancelled { reason } => {
                    self.cancelled = Some((reason.clone(), at));
                    self.steps.cancelled = Some(position);
                }
            },
            Event::Correction(e) => {
                self.take_effect(e);
                apply_correction(&mut self.corrections, meta, e)
            }
            _ => {}
        }
    }

    /// Makes a correction take effect: an amended field shows its new value (marked as corrected);
    /// a voided act is dropped, and a voided opening, closing or cancelling undone (the domain
    /// allows a void only when no later act depends on it).
    fn take_effect(&mut self, event: &CorrectionEvent) {
        match event {
            CorrectionEvent::EventAmended {
                corrected, changes, ..
            } => {
                let corrected = corrected.get();
                for change in changes {
                    let new = change.new.clone();
                    match change.field.as_str() {
                        "topic" => self.topic = new,
                        "venue" => self.venue = new,
                        "findings" => match self.closed.as_mut() {
                            Some((findings, _)) if self.steps.closed == Some(corrected) => {
                                *findings = new
                            }
                            _ => continue,
                        },
                        "summary" => {
                            if let Some(s) =
                                self.statements.iter_mut().find(|s| s.position == corrected)
                            {
                                s.summary = new;
                                s.corrected = true;
                            }
                            continue;
                        }
                        _ => continue,
                    }
                    if !self.corrected.contains(&change.field) {
                        self.corrected.push(change.field.clone());
                    }
                }
            }
            CorrectionEvent::EventVoided { voided, .. } => {
                let voided = voided.get();
                self.statements.retain(|s| s.position != voided);
                self.participants.retain(|p| p.2 != voided);
                if self.steps.closed == Some(voided) {
                    self.steps.closed = None;
                    self.closed = None;
                    self.status = HearingStatus::Open;
                }
                if self.steps.cancelled == Some(voided) {
                    self.steps.cancelled = None;
                    self.cancelled = None;
                    self.status = if self.opened_at.is_some() {
                        HearingStatus::Open
                    } else {
                        HearingStatus::Scheduled
                    };
                }
                if self.steps.opened == Some(voided) {
                    self.steps.opened = None;
                    self.opened_at = None;
                    self.status = HearingStatus::Scheduled;
                }
            }
            CorrectionEvent::EventCorrected { .. } => {}
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
                .map(|(p, r, _)| ParticipantView {
                    person: dir.person(*p),
                    role: r.as_str().to_owned(),
                })
                .collect(),
            statements: in_time_order(&self.statements)
                .map(|s| StatementView {
                    by: dir.person(s.by),
                    stance: s.stance.as_str().to_owned(),
                    summary: s.summary.clone(),
                    occurred_at: rfc3339(s.at),
                    corrected: s.corrected,
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
            corrected: self.corrected.clone(),
        }
    }
}

/// Statements in the order they were made (a late entry among the earlier ones), then as recorded.
fn in_time_order(list: &[StatementRecord]) -> impl Iterator<Item = &StatementRecord> {
    let mut sorted: Vec<&StatementRecord> = list.iter().collect();
    sorted.sort_by_key(|s| (s.at, s.position));
    sorted.into_iter()
}

/// When a hearing's statements were made, by stance: all the transparency report reads of them (how
/// many in its period, for, against and neutral), without who said what. The store keeps it beside
/// the hearing's record, rewritten with it, so that a report over a whole ledger reads a few bytes a
/// statement instead of every statement whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementTimes {
    /// Each stance some statement took, in the order of [`Stance::ALL`], with the times (in
    /// microseconds) of its statements, ascending.
    by_stance: Vec<(Stance, Ascending)>,
}

impl StatementTimes {
    /// The times of `statements`, by stance.
    pub fn of(statements: &[StatementRecord]) -> Self {
        let by_stance = Stance::ALL
            .iter()
            .filter_map(|stance| {
                let mut times: Vec<i64> = statements
                    .iter()
                    .filter(|s| s.stance == *stance)
                    .map(|s| s.at.as_micros())
                    .collect();
                times.sort_unstable();
                (!times.is_empty()).then_some((*stance, Ascending(times)))
            })
            .collect();
        Self { by_stance }
    }

    /// How many statements there are.
    pub fn count(&self) -> u64 {
        self.by_stance.iter().map(|(_, t)| t.0.len() as u64).sum()
    }

    /// How many statements of each stance were made from `from` to `to` (both included); stances
    /// without statements are left out.
    pub fn within(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> impl Iterator<Item = (Stance, u64)> + '_ {
        let (from, to) = (from.as_micros(), to.as_micros());
        self.by_stance.iter().map(move |(stance, times)| {
            let before = times.0.partition_point(|t| *t < from);
            let by_end = times.0.partition_point(|t| *t <= to);
            (*stance, by_end.saturating_sub(before) as u64)
        })
    }
}

/// Times in ascending order, stored as the differences between neighbours (small numbers, a few
/// bytes each in bincode's variable-length integers) and read back as the times.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Ascending(Vec<i64>);

impl Serialize for Ascending {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        let mut previous = 0i64;
        for t in &self.0 {
            seq.serialize_element(&t.wrapping_sub(previous))?;
            previous = *t;
        }
        seq.end()
    }
}

impl<'de> Deserialize<'de> for Ascending {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut times = Vec::<i64>::deserialize(deserializer)?;
        let mut previous = 0i64;
        for t in &mut times {
            *t = previous.wrapping_add(*t);
            previous = *t;
        }
        Ok(Ascending(times))
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
    /// Whether a correction changed its summary (absent when not).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub corrected: bool,
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
    /// The fields that show a corrected value (`topic`, `venue`, `findings`); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrected: Vec<String>,
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
    // 4: each record's statements' times kept beside it (`StatementTimes`).
    const VERSION: u32 = 4;

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
                    steps: LifecycleSteps::default(),
                    corrected: Vec::new(),
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
    "hearing",
    digest: StatementTimes
);

#[cfg(test)]
mod tests {
    use super::*;

    fn statement(stance: Stance, at: i64, position: u64) -> StatementRecord {
        StatementRecord {
            by: PersonId::from_uuid(uuid::Uuid::from_u128(1)),
            stance,
            summary: format!("said at {at}"),
            at: Timestamp::from_micros(at),
            position,
            corrected: false,
        }
    }

    fn counts(times: &StatementTimes, from: i64, to: i64) -> Vec<(Stance, u64)> {
        times
            .within(Timestamp::from_micros(from), Timestamp::from_micros(to))
            .collect()
    }

    #[test]
    fn statements_times_count_each_stance_within_a_period_both_ends_included() {
        // given statements recorded out of time order (a late entry backdated), before 1970 too
        let statements = [
            statement(Stance::Support, 30, 1),
            statement(Stance::Oppose, 10, 2),
            statement(Stance::Support, -5, 3),
            statement(Stance::Support, 20, 4),
            statement(Stance::Support, 20, 5),
        ];
        let times = StatementTimes::of(&statements);
        // then every one is counted, and a period counts those made in it, ends included
        assert_eq!(times.count(), 5);
        assert_eq!(
            counts(&times, 20, 30),
            vec![(Stance::Support, 3), (Stance::Oppose, 0)]
        );
        assert_eq!(
            counts(&times, -5, 10),
            vec![(Stance::Support, 1), (Stance::Oppose, 1)]
        );
        assert_eq!(
            counts(&times, 21, 29),
            vec![(Stance::Support, 0), (Stance::Oppose, 0)]
        );
        assert_eq!(
            counts(&times, i64::MIN, i64::MAX),
            vec![(Stance::Support, 4), (Stance::Oppose, 1)]
        );
        // and a period that ends before it starts counts nothing
        assert_eq!(
            counts(&times, 30, 20),
            vec![(Stance::Support, 0), (Stance::Oppose, 0)]
        );
        // and the counts are those of the statements themselves, for every period
        for from in -6..32 {
            for to in from - 1..32 {
                for (stance, n) in counts(&times, from, to) {
                    let direct = statements
                        .iter()
                        .filter(|s| s.stance == stance)
                        .filter(|s| (from..=to).contains(&s.at.as_micros()))
                        .count() as u64;
                    assert_eq!(n, direct, "{stance:?} from {from} to {to}");
                }
            }
        }
    }

    #[test]
    fn statements_times_read_back_as_stored() {
        let statements = [
            statement(Stance::Neutral, 1_700_000_000_000_000, 1),
            statement(Stance::Neutral, -2_208_988_800_000_000, 2),
            statement(Stance::Oppose, i64::MAX, 3),
            statement(Stance::Oppose, i64::MIN, 4),
        ];
        let times = StatementTimes::of(&statements);
        let config = bincode::config::standard();
        let bytes = bincode::serde::encode_to_vec(&times, config).unwrap();
        let (back, used): (StatementTimes, usize) =
            bincode::serde::decode_from_slice(&bytes, config).unwrap();
        assert_eq!(used, bytes.len());
        assert_eq!(back, times);
        assert_eq!(StatementTimes::of(&[]), StatementTimes::default());
    }
}
