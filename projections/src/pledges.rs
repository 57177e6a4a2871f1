//! Pledges (或掏錢，或獻智，或出力) and corrections as folded into the entity that holds them: both live
//! in the stream of a proposal, consultation or dispute.

use crate::directory::Directory;
use crate::time::rfc3339;
use delib_events::correction::{CorrectionEvent, FieldChange};
use delib_events::pledge::{PledgeEvent, PledgeKind};
use delib_events::{Metadata, OrgId, Position, Timestamp};
use serde::{Deserialize, Serialize, Serializer};

/// One pledge as folded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PledgeRecord {
    /// Its number within the target, from 1.
    pub pledge: u64,
    /// The pledging organisation.
    pub by: OrgId,
    /// What is pledged.
    pub kind: PledgeKind,
    /// When it was made.
    pub made_at: Timestamp,
    /// When it was fulfilled, if it was.
    pub fulfilled_at: Option<Timestamp>,
    /// The fulfilment note.
    pub note: Option<String>,
    /// The position of the pledge's making (0 in views folded before corrections took effect).
    #[serde(default = "zero")]
    pub position: Position,
    /// The position of its fulfilment.
    #[serde(default)]
    pub fulfilled_position: Option<Position>,
    /// Whether its amount was corrected (`correct --set amount=...`).
    #[serde(default)]
    pub corrected: bool,
}

fn zero() -> Position {
    Position::ZERO
}

/// Folds a pledge event into a target's list (a second fulfilment or an unknown number changes nothing).
pub(crate) fn apply_pledge(list: &mut Vec<PledgeRecord>, meta: &Metadata, event: &PledgeEvent) {
    match event {
        PledgeEvent::PledgeMade { pledge, by, kind } => list.push(PledgeRecord {
            pledge: *pledge,
            by: *by,
            kind: kind.clone(),
            made_at: meta.occurred_at,
            fulfilled_at: None,
            note: None,
            position: meta.position,
            fulfilled_position: None,
            corrected: false,
        }),
        PledgeEvent::PledgeFulfilled { pledge, note } => {
            if let Some(p) = list
                .iter_mut()
                .find(|p| p.pledge == *pledge && p.fulfilled_at.is_none())
            {
                p.fulfilled_at = Some(meta.occurred_at);
                p.note = note.clone();
                p.fulfilled_position = Some(meta.position);
            }
        }
    }
}

/// An amount of money in fen, printed in yuan: a JSON integer when whole (`240000`), else a decimal
/// number (`12.5`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Yuan(pub u64);

impl Serialize for Yuan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.0.is_multiple_of(100) {
            s.serialize_u64(self.0 / 100)
        } else {
            s.serialize_f64(self.0 as f64 / 100.0)
        }
    }
}

impl std::fmt::Display for Yuan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_multiple_of(100) {
            write!(f, "{}", self.0 / 100)
        } else {
            write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
        }
    }
}

/// The amount of a pledge: yuan, labour days, or the expertise described.
#[derive(Clone, Debug, PartialEq)]
pub enum Amount {
    /// Money.
    Yuan(Yuan),
    /// Person-days of labour.
    Days(u64),
    /// Expertise, as described.
    Text(String),
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Amount::Yuan(y) => y.serialize(s),
            Amount::Days(d) => s.serialize_u64(*d),
            Amount::Text(t) => s.serialize_str(t),
        }
    }
}

impl std::fmt::Display for Amount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Amount::Yuan(y) => write!(f, "{y} yuan"),
            Amount::Days(d) => write!(f, "{d} labour day(s)"),
            Amount::Text(t) => f.write_str(t),
        }
    }
}

/// A pledge as views show it (`pledge`, `by`, `kind`, `amount`, `fulfilled`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PledgeView {
    /// Its number within the target.
    pub pledge: u64,
    /// The pledging organisation's reference.
    pub by: String,
    /// `money`, `labour` or `expertise`.
    pub kind: String,
    /// Yuan, days, or the expertise described.
    pub amount: Amount,
    /// `yuan`, `days`, or null for expertise.
    pub unit: Option<String>,
    /// Whether it has been fulfilled.
    pub fulfilled: bool,
    /// When it was made (RFC 3339).
    pub made_at: String,
    /// When it was fulfilled (RFC 3339).
    pub fulfilled_at: Option<String>,
    /// Whether its amount shows a corrected value (`correct --set amount=...`); absent when not.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub corrected: bool,
}

impl PledgeRecord {
    /// The view, with references from `dir`.
    pub fn view(&self, dir: &Directory) -> PledgeView {
        let (amount, unit) = match &self.kind {
            PledgeKind::Money { fen } => (Amount::Yuan(Yuan(*fen)), Some("yuan")),
            PledgeKind::Labour { days } => (Amount::Days(*days), Some("days")),
            PledgeKind::Expertise { text } => (Amount::Text(text.clone()), None),
        };
        PledgeView {
            pledge: self.pledge,
            by: dir.org(self.by),
            kind: self.kind.as_str().to_owned(),
            amount,
            unit: unit.map(str::to_owned),
            fulfilled: self.fulfilled_at.is_some(),
            made_at: rfc3339(self.made_at),
            fulfilled_at: self.fulfilled_at.map(rfc3339),
            corrected: self.corrected,
        }
    }
}

/// A correction recorded in an entity's stream.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorrectionRecord {
    /// The position of the correcting event.
    pub position: Position,
    /// The position of the corrected (or voided) event.
    pub corrected: Position,
    /// Why.
    pub reason: String,
    /// The values changed, old and new.
    #[serde(default)]
    pub changes: Vec<FieldChange>,
    /// Whether the event was voided.
    #[serde(default)]
    pub voided: bool,
    /// When the correction was made.
    #[serde(default = "epoch")]
    pub at: Timestamp,
}

fn epoch() -> Timestamp {
    Timestamp::from_micros(0)
}

/// Pledges in the order they were made (a late entry among the earlier ones), then as recorded.
pub(crate) fn in_time_order(list: &[PledgeRecord]) -> impl Iterator<Item = &PledgeRecord> {
    let mut sorted: Vec<&PledgeRecord> = list.iter().collect();
    sorted.sort_by_key(|p| (p.made_at, p.position));
    sorted.into_iter()
}

/// Folds a correction into a list.
pub(crate) fn apply_correction(
    list: &mut Vec<CorrectionRecord>,
    meta: &Metadata,
    event: &CorrectionEvent,
) {
    list.push(CorrectionRecord::of(meta.position, meta.occurred_at, event));
}

/// Makes a correction take effect on a target's pledges: a corrected amount replaces the pledged one
/// (marked as corrected); a voided pledge is dropped, a voided fulfilment undone.
pub(crate) fn correct_pledges(list: &mut Vec<PledgeRecord>, event: &CorrectionEvent) {
    match event {
        CorrectionEvent::EventAmended {
            corrected, changes, ..
        } => {
            let Some(p) = list.iter_mut().find(|p| p.position == *corrected) else {
                return;
            };
            for c in changes.iter().filter(|c| c.field == "amount") {
                let kind = match &p.kind {
                    PledgeKind::Money { .. } => delib_events::pledge::parse_yuan(&c.new)
                        .map(|fen| PledgeKind::Money { fen }),
                    PledgeKind::Labour { .. } => {
                        c.new.parse().ok().map(|days| PledgeKind::Labour { days })
                    }
                    PledgeKind::Expertise { .. } => Some(PledgeKind::Expertise {
                        text: c.new.clone(),
                    }),
                };
                if let Some(k) = kind {
                    p.kind = k;
                    p.corrected = true;
                }
            }
        }
        CorrectionEvent::EventVoided { voided, .. } => {
            list.retain(|p| p.position != *voided);
            for p in list
                .iter_mut()
                .filter(|p| p.fulfilled_position == Some(*voided))
            {
                p.fulfilled_at = None;
                p.fulfilled_position = None;
                p.note = None;
            }
        }
        CorrectionEvent::EventCorrected { .. } => {}
    }
}

/// The corrected value of `field` among corrections, if any (the last one wins).
pub(crate) fn corrected_value<'a>(list: &'a [CorrectionRecord], field: &str) -> Option<&'a str> {
    list.iter()
        .flat_map(|c| c.changes.iter())
        .filter(|ch| ch.field == field)
        .map(|ch| ch.new.as_str())
        .next_back()
}

/// A correction as views show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CorrectionView {
    /// The correcting event's position.
    pub position: u64,
    /// The corrected event's position.
    pub corrected: u64,
    /// Why.
    pub reason: String,
    /// The values changed (`field`, `old`, `new`); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<FieldChange>,
    /// Whether the event was voided; absent when not.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub voided: bool,
}

impl CorrectionRecord {
    /// The correction `event`, recorded at `position` about an act of `at`.
    pub(crate) fn of(position: Position, at: Timestamp, event: &CorrectionEvent) -> Self {
        let (corrected, reason, changes, voided) = match event {
            CorrectionEvent::EventCorrected { corrected, reason } => {
                (corrected, reason, vec![], false)
            }
            CorrectionEvent::EventAmended {
                corrected,
                changes,
                reason,
            } => (corrected, reason, changes.clone(), false),
            CorrectionEvent::EventVoided { voided, reason } => (voided, reason, vec![], true),
        };
        CorrectionRecord {
            position,
            corrected: *corrected,
            reason: reason.clone(),
            changes,
            voided,
            at,
        }
    }

    /// The view.
    pub fn view(&self) -> CorrectionView {
        CorrectionView {
            position: self.position.get(),
            corrected: self.corrected.get(),
            reason: self.reason.clone(),
            changes: self.changes.clone(),
            voided: self.voided,
        }
    }
}
