//! Corrections (`delib correct`): an event in an entity's stream that points at an earlier event of the
//! same stream and says why it is wrong. The corrected event stays; state changes only by listing the
//! correction.

use super::{text, title, Aggregate, Context, Rejection};
use delib_events::consultation::ConsultationEvent;
use delib_events::correction::{CorrectionEvent, FieldChange};
use delib_events::dispute::DisputeEvent;
use delib_events::hearing::HearingEvent;
use delib_events::pledge::{parse_yuan, PledgeEvent, PledgeKind};
use delib_events::proposal::ProposalEvent;
use delib_events::{Event, Position};
use std::marker::PhantomData;

/// A correction as its rules read it (the read models keep the reason: `CorrectionRecord` in
/// `delib_projections::pledges`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correction {
    /// The corrected (or voided) event's global position.
    pub corrected: Position,
    /// The values changed (empty for a note or a void): a later amendment starts from them.
    pub changes: Vec<FieldChange>,
    /// Whether the event was voided.
    pub voided: bool,
}

/// `delib correct REF --event POSITION --reason R`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Correct {
    /// The corrected event's global position.
    pub corrected: Position,
    /// Why.
    pub reason: String,
}

/// What can be asked of an entity's past events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// A correction noted without values ([`CorrectionEvent::EventCorrected`]).
    Note(Correct),
    /// `correct REF --event N --set FIELD=VALUE... --reason R`: the corrected event must be
    /// [`Context::corrected_event`].
    Amend {
        /// The corrected event's position.
        corrected: Position,
        /// Field and new value, as typed.
        set: Vec<(String, String)>,
        /// Why.
        reason: String,
    },
    /// `void REF --event N --reason R`. Decided through [`crate::late::decide`], which refuses it
    /// when a later act depends on the voided one.
    Void {
        /// The voided event's position.
        voided: Position,
        /// Why.
        reason: String,
    },
}

impl From<Correct> for Command {
    fn from(c: Correct) -> Self {
        Command::Note(c)
    }
}

/// The fields of an event a correction may change, with the value each has in the event.
pub fn correctable(event: &Event) -> Vec<(&'static str, String)> {
    let opt = |n: &Option<String>| n.clone().unwrap_or_default();
    match event {
        Event::Proposal(ProposalEvent::ProposalSubmitted { title, body, .. }) => {
            vec![("title", title.clone()), ("body", body.clone())]
        }
        Event::Proposal(ProposalEvent::ProposalDecided { note, .. })
        | Event::Proposal(ProposalEvent::ProgressReported { note, .. }) => {
            vec![("note", opt(note))]
        }
        Event::Proposal(ProposalEvent::ProposalCompleted { summary }) => {
            vec![("summary", summary.clone())]
        }
        Event::Pledge(PledgeEvent::PledgeMade { kind, .. }) => vec![("amount", amount(kind))],
        Event::Pledge(PledgeEvent::PledgeFulfilled { note, .. }) => vec![("note", opt(note))],
        Event::Hearing(HearingEvent::HearingScheduled { topic, venue, .. }) => {
            vec![("topic", topic.clone()), ("venue", venue.clone())]
        }
        Event::Hearing(HearingEvent::StatementRecorded { summary, .. }) => {
            vec![("summary", summary.clone())]
        }
        Event::Hearing(HearingEvent::HearingClosed { findings }) => {
            vec![("findings", findings.clone())]
        }
        Event::Consultation(ConsultationEvent::ConsultationConvened { topic, .. }) => {
            vec![("topic", topic.clone())]
        }
        Event::Consultation(ConsultationEvent::PositionStated { statement, .. }) => {
            vec![("statement", statement.clone())]
        }
        Event::Consultation(ConsultationEvent::CommitmentMade { text, .. }) => {
            vec![("text", text.clone())]
        }
        Event::Dispute(DisputeEvent::DisputeFiled { title, subject, .. }) => {
            vec![("title", title.clone()), ("subject", subject.clone())]
        }
        Event::Dispute(DisputeEvent::MediationAttempted { note, .. }) => vec![("note", opt(note))],
        _ => Vec::new(),
    }
}

/// A pledge's amount as text: yuan (`240000`, `12.50`), labour days, or the expertise.
pub fn amount(kind: &PledgeKind) -> String {
    match kind {
        PledgeKind::Money { fen } if fen % 100 == 0 => format!("{}", fen / 100),
        PledgeKind::Money { fen } => format!("{}.{:02}", fen / 100, fen % 100),
        PledgeKind::Labour { days } => days.to_string(),
        PledgeKind::Expertise { text } => text.clone(),
    }
}

/// Checks a corrected value by the rule of the original field.
fn checked(event: &Event, field: &'static str, value: String) -> Result<String, Rejection> {
    let bad = || Rejection::BadCorrectedValue {
        field: field.to_owned(),
    };
    match (event, field) {
        (Event::Pledge(PledgeEvent::PledgeMade { kind, .. }), "amount") => match kind {
            PledgeKind::Money { .. } => match parse_yuan(value.trim()) {
                Some(fen) if fen > 0 => Ok(value.trim().to_owned()),
                _ => Err(bad()),
            },
            PledgeKind::Labour { .. } => match value.trim().parse::<u64>() {
                Ok(d) if d > 0 => Ok(d.to_string()),
                _ => Err(bad()),
            },
            PledgeKind::Expertise { .. } => text("expertise", value),
        },
        (_, "title" | "topic" | "venue") => title(field, value),
        (_, "note") => {
            if value.trim().is_empty() {
                Ok(String::new())
            } else {
                text(field, value)
            }
        }
        _ => text(field, value),
    }
}

/// The value a field shows now: the last correction's, else the event's.
fn current(
    corrections: &[Correction],
    position: Position,
    field: &str,
    original: String,
) -> String {
    corrections
        .iter()
        .filter(|c| c.corrected == position)
        .flat_map(|c| c.changes.iter())
        .rfind(|ch| ch.field == field)
        .map(|ch| ch.new.clone())
        .unwrap_or(original)
}

/// Checks a correction: the entity exists, the position is one of its stream's events
/// ([`Context::stream_positions`]), not voided, and there is a reason; corrected values are fields of
/// the corrected event ([`correctable`]) and pass the rule of the original.
///
/// # Errors
/// [`Rejection::NotFound`], [`Rejection::NotInStream`], [`Rejection::AlreadyVoided`],
/// [`Rejection::NotCorrectable`], [`Rejection::BadCorrectedValue`], [`Rejection::NoChange`], text and
/// order rejections.
pub fn decide(
    what: &'static str,
    exists: bool,
    corrections: &[Correction],
    cmd: impl Into<Command>,
    ctx: &Context,
) -> Result<Vec<CorrectionEvent>, Rejection> {
    if !exists {
        return Err(Rejection::NotFound { what });
    }
    ctx.check_order()?;
    let cmd = cmd.into();
    let position = match &cmd {
        Command::Note(c) => c.corrected,
        Command::Amend { corrected, .. } => *corrected,
        Command::Void { voided, .. } => *voided,
    };
    if !ctx.stream_positions.contains(&position) {
        return Err(Rejection::NotInStream { position });
    }
    if corrections
        .iter()
        .any(|c| c.voided && c.corrected == position)
    {
        return Err(Rejection::AlreadyVoided { position });
    }
    match cmd {
        Command::Note(c) => Ok(vec![CorrectionEvent::EventCorrected {
            corrected: c.corrected,
            reason: text("reason", c.reason)?,
        }]),
        Command::Void { voided, reason } => Ok(vec![CorrectionEvent::EventVoided {
            voided,
            reason: text("reason", reason)?,
        }]),
        Command::Amend {
            corrected,
            set,
            reason,
        } => {
            let reason = text("reason", reason)?;
            let event = match &ctx.corrected_event {
                Some((p, e)) if *p == corrected => e,
                _ => {
                    return Err(Rejection::NotInStream {
                        position: corrected,
                    })
                }
            };
            let fields = correctable(event);
            if set.is_empty() {
                return Err(Rejection::NoChange);
            }
            let mut changes = Vec::with_capacity(set.len());
            for (field, value) in set {
                let Some((name, original)) = fields.iter().find(|(f, _)| *f == field.trim()) else {
                    return Err(Rejection::NotCorrectable {
                        field: field.chars().take(40).collect(),
                        kind: event.kind(),
                    });
                };
                let new = checked(event, name, value)?;
                let old = current(corrections, corrected, name, original.clone());
                if changes.iter().any(|c: &FieldChange| c.field == *name) {
                    return Err(Rejection::NotCorrectable {
                        field: (*name).to_owned(),
                        kind: event.kind(),
                    });
                }
                if old != new {
                    changes.push(FieldChange {
                        field: (*name).to_owned(),
                        old,
                        new,
                    });
                }
            }
            if changes.is_empty() {
                return Err(Rejection::NoChange);
            }
            Ok(vec![CorrectionEvent::EventAmended {
                corrected,
                changes,
                reason,
            }])
        }
    }
}

/// Adds a correction to a list.
pub fn apply(mut list: Vec<Correction>, event: &CorrectionEvent) -> Vec<Correction> {
    list.push(match event {
        CorrectionEvent::EventCorrected { corrected, .. } => Correction {
            corrected: *corrected,
            changes: Vec::new(),
            voided: false,
        },
        CorrectionEvent::EventAmended {
            corrected, changes, ..
        } => Correction {
            corrected: *corrected,
            changes: changes.clone(),
            voided: false,
        },
        CorrectionEvent::EventVoided { voided, .. } => Correction {
            corrected: *voided,
            changes: Vec::new(),
            voided: true,
        },
    });
    list
}

/// The positions voided by the events of a stream.
pub fn voided<'a>(
    events: impl IntoIterator<Item = &'a Event>,
) -> std::collections::BTreeSet<Position> {
    events
        .into_iter()
        .filter_map(|e| match e {
            Event::Correction(CorrectionEvent::EventVoided { voided, .. }) => Some(*voided),
            _ => None,
        })
        .collect()
}

/// Corrections of the entities of kind `A`, as an aggregate of their own (same state and stream).
#[derive(Debug)]
pub struct Corrections<A>(PhantomData<A>);

impl<A: Aggregate> Aggregate for Corrections<A> {
    const WHAT: &'static str = A::WHAT;
    type State = A::State;
    type Command = Command;
    type Event = CorrectionEvent;

    fn decide(
        state: &A::State,
        cmd: Command,
        ctx: &Context,
    ) -> Result<Vec<Self::Event>, Rejection> {
        decide(A::WHAT, A::exists(state), A::corrections(state), cmd, ctx)
    }
    fn evolve(state: A::State, event: &Event) -> A::State {
        A::evolve(state, event)
    }
    fn exists(state: &A::State) -> bool {
        A::exists(state)
    }
    fn corrections(state: &A::State) -> &[Correction] {
        A::corrections(state)
    }
    fn recheck(state: &A::State, event: &Event, ctx: &Context) -> Option<Result<(), Rejection>> {
        A::recheck(state, event, ctx)
    }
    fn needs_history(cmd: &Command) -> bool {
        matches!(cmd, Command::Void { .. })
    }
}

/// Decides a recorded correction again (for late entries): the entity exists and the corrected
/// position is still one of its stream's, not voided.
///
/// # Errors
/// The rule the act would now break.
pub fn recheck(
    what: &'static str,
    exists: bool,
    corrections: &[Correction],
    event: &CorrectionEvent,
    ctx: &Context,
) -> Result<(), Rejection> {
    let cmd = match event {
        CorrectionEvent::EventCorrected { corrected, reason } => Command::Note(Correct {
            corrected: *corrected,
            reason: reason.clone(),
        }),
        CorrectionEvent::EventVoided { voided, reason } => Command::Void {
            voided: *voided,
            reason: reason.clone(),
        },
        // The values were checked when recorded; what can change is whether the event is still there.
        CorrectionEvent::EventAmended {
            corrected, reason, ..
        } => Command::Note(Correct {
            corrected: *corrected,
            reason: reason.clone(),
        }),
    };
    let decided = decide(what, exists, corrections, cmd, ctx);
    super::late::verdict(decided, |e| {
        e == event || matches!(event, CorrectionEvent::EventAmended { .. })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hearing::Hearing;
    use crate::testing::{given, org, stream};
    use delib_events::hearing::HearingEvent;
    use delib_events::{HearingId, Timestamp};

    fn scheduled() -> Event {
        HearingEvent::HearingScheduled {
            hearing: HearingId::new(stream()),
            number: 1,
            topic: "t".into(),
            on: Timestamp::from_micros(0),
            venue: "v".into(),
            presided_by: org(1),
            proposals: vec![],
        }
        .into()
    }

    fn correct(p: u64) -> Correct {
        Correct {
            corrected: Position::new(p),
            reason: "wrong venue".into(),
        }
    }

    #[test]
    fn a_correction_points_at_an_event_of_the_stream_and_says_why() {
        given::<Corrections<Hearing>>([scheduled()])
            .ctx(|c| c.in_stream(Position::new(7)))
            .when(correct(7).into())
            .then([CorrectionEvent::EventCorrected {
                corrected: Position::new(7),
                reason: "wrong venue".into(),
            }]);
    }

    #[test]
    fn a_correction_outside_the_stream_is_rejected() {
        given::<Corrections<Hearing>>([scheduled()])
            .ctx(|c| c.in_stream(Position::new(7)))
            .when(correct(8).into())
            .then_err(Rejection::NotInStream {
                position: Position::new(8),
            });
    }

    #[test]
    fn a_correction_needs_a_reason_and_an_entity() {
        given::<Corrections<Hearing>>([scheduled()])
            .ctx(|c| c.in_stream(Position::new(7)))
            .when(
                Correct {
                    corrected: Position::new(7),
                    reason: "".into(),
                }
                .into(),
            )
            .then_err(Rejection::EmptyText { field: "reason" });
        given::<Corrections<Hearing>>(Vec::<Event>::new())
            .when(correct(7).into())
            .then_err(Rejection::NotFound { what: "hearing" });
    }

    #[test]
    fn a_correction_leaves_the_state_but_is_listed() {
        let before = given::<Hearing>([scheduled()]).state().clone();
        let fix: Event = CorrectionEvent::EventCorrected {
            corrected: Position::new(7),
            reason: "wrong venue".into(),
        }
        .into();
        let after = given::<Hearing>([scheduled(), fix]).state().clone();
        assert_eq!(after.corrections.len(), 1);
        assert_eq!(
            crate::hearing::State {
                corrections: vec![],
                ..after
            },
            before
        );
    }
}
