//! Democratic hearings (民主聽證會): scheduled on a topic of public interest; participants register;
//! statements for, against or neutral are recorded while it is open; it closes with findings, or is
//! cancelled.

use super::correction::{self, Correction};
use super::{at_most, text, title, Context, Rejection, LIST_MAX};
use delib_events::hearing::{HearingEvent, HearingRole, Stance};
use delib_events::{Event, HearingId, OrgId, PersonId, ProposalId, Timestamp};
use serde::{Deserialize, Serialize};

/// Where a hearing is in its life: the one lifecycle the domain's rules and the read models
/// (`delib_projections::hearings`, which persists it) share. A hearing that has not been scheduled
/// has no status (`None` in [`State::status`]).
///
/// The order of the variants is the order of their serde encoding, which the read models store
/// (bincode, by variant index): a new status goes at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// Scheduled.
    Scheduled,
    /// In session: statements are being recorded.
    Open,
    /// Closed with findings.
    Closed,
    /// Cancelled.
    Cancelled,
}

impl Status {
    /// The CLI/JSON spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Scheduled => "scheduled",
            Status::Open => "open",
            Status::Closed => "closed",
            Status::Cancelled => "cancelled",
        }
    }

    /// The status an event moves a hearing to; `None` when it leaves the status as it is.
    pub const fn entered_by(event: &HearingEvent) -> Option<Status> {
        match event {
            HearingEvent::HearingScheduled { .. } => Some(Status::Scheduled),
            HearingEvent::HearingOpened => Some(Status::Open),
            HearingEvent::HearingClosed { .. } => Some(Status::Closed),
            HearingEvent::HearingCancelled { .. } => Some(Status::Cancelled),
            HearingEvent::ParticipantRegistered { .. } | HearingEvent::StatementRecorded { .. } => {
                None
            }
        }
    }

    /// Closed or cancelled: it takes nothing more.
    pub const fn is_over(self) -> bool {
        matches!(self, Status::Closed | Status::Cancelled)
    }
}

/// A hearing's state: what its rules read, nothing more (the read model,
/// `delib_projections::hearings`, keeps the rest).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Where it is; `None` before it is scheduled.
    pub status: Option<Status>,
    /// Registered participants, in order (only they may make statements).
    pub participants: Vec<PersonId>,
    /// Corrections recorded in its stream.
    pub corrections: Vec<Correction>,
}

impl State {
    /// Whether a person is registered.
    pub fn is_registered(&self, person: PersonId) -> bool {
        self.participants.contains(&person)
    }
}

/// What a clerk can ask of a hearing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `hearing schedule`: presiding org in [`Context::orgs`], proposals in [`Context::proposals`].
    Schedule {
        /// The topic.
        topic: String,
        /// When.
        on: Timestamp,
        /// Where.
        venue: String,
        /// The presiding organisation.
        presided_by: OrgId,
        /// Proposals it deliberates.
        proposals: Vec<ProposalId>,
    },
    /// `hearing register --person PER --role R` (person in [`Context::persons`]).
    Register {
        /// The participant.
        person: PersonId,
        /// The role.
        role: HearingRole,
    },
    /// `hearing open`.
    Open,
    /// `hearing statement --by PER --stance S --summary S`.
    Statement {
        /// The speaker, a registered participant.
        by: PersonId,
        /// For, against or neutral.
        stance: Stance,
        /// What was said.
        summary: String,
    },
    /// `hearing close --findings F`.
    Close {
        /// The findings.
        findings: String,
    },
    /// `hearing cancel --reason R`.
    Cancel {
        /// Why.
        reason: String,
    },
}

/// Decides a hearing command.
///
/// # Errors
/// A [`Rejection`] naming the rule: see the tests for every rule, accepted and rejected.
pub fn decide(state: &State, cmd: Command, ctx: &Context) -> Result<Vec<HearingEvent>, Rejection> {
    ctx.check_order()?;
    if let Command::Schedule {
        topic,
        on,
        venue,
        presided_by,
        proposals,
    } = cmd
    {
        if state.status.is_some() {
            return Err(Rejection::AlreadyExists { what: "hearing" });
        }
        let number = ctx.creation_number()?;
        let topic = title("topic", topic)?;
        let venue = title("venue", venue)?;
        ctx.known_org("the presiding body", presided_by)?;
        at_most("proposals", &proposals, LIST_MAX)?;
        ctx.known_proposals(&proposals)?;
        return Ok(vec![HearingEvent::HearingScheduled {
            hearing: HearingId::new(ctx.stream),
            number,
            topic,
            on,
            venue,
            presided_by,
            proposals,
        }]);
    }
    let Some(status) = state.status else {
        return Err(Rejection::NotFound { what: "hearing" });
    };
    if status.is_over() {
        return Err(Rejection::HearingOver {
            status: status.as_str(),
        });
    }
    match cmd {
        Command::Schedule { .. } => Err(Rejection::AlreadyExists { what: "hearing" }),
        Command::Register { person, role } => {
            ctx.known_person("a participant", person)?;
            if state.is_registered(person) {
                return Err(Rejection::AlreadyRegistered);
            }
            Ok(vec![HearingEvent::ParticipantRegistered { person, role }])
        }
        Command::Open => {
            if status != Status::Scheduled {
                return Err(Rejection::NotScheduled {
                    status: status.as_str(),
                });
            }
            Ok(vec![HearingEvent::HearingOpened])
        }
        Command::Statement {
            by,
            stance,
            summary,
        } => {
            if status != Status::Open {
                return Err(Rejection::HearingNotOpen {
                    status: status.as_str(),
                });
            }
            if !state.is_registered(by) {
                return Err(Rejection::NotRegistered { person: by });
            }
            Ok(vec![HearingEvent::StatementRecorded {
                by,
                stance,
                summary: text("summary", summary)?,
            }])
        }
        Command::Close { findings } => {
            if status != Status::Open {
                return Err(Rejection::HearingNotOpen {
                    status: status.as_str(),
                });
            }
            Ok(vec![HearingEvent::HearingClosed {
                findings: text("findings", findings)?,
            }])
        }
        Command::Cancel { reason } => Ok(vec![HearingEvent::HearingCancelled {
            reason: text("reason", reason)?,
        }]),
    }
}

/// Folds one hearing event: its status ([`Status::entered_by`]) and its participants.
pub fn apply(mut state: State, event: &HearingEvent) -> State {
    if let Some(status) = Status::entered_by(event) {
        state.status = Some(status);
    }
    if let HearingEvent::ParticipantRegistered { person, .. } = event {
        state.participants.push(*person);
    }
    state
}

/// Folds any event of a hearing's stream: its own and corrections.
pub fn evolve(mut state: State, event: &Event) -> State {
    match event {
        Event::Hearing(e) => apply(state, e),
        Event::Correction(e) => {
            state.corrections = correction::apply(std::mem::take(&mut state.corrections), e);
            state
        }
        _ => state,
    }
}

/// Decides a recorded act of a hearing's stream again on the state just before it (late entries).
pub fn recheck(state: &State, event: &Event, ctx: &Context) -> Option<Result<(), Rejection>> {
    let exists = state.status.is_some();
    let e = match event {
        Event::Hearing(e) => e,
        Event::Correction(c) => {
            return Some(super::correction::recheck(
                "hearing",
                exists,
                &state.corrections,
                c,
                ctx,
            ))
        }
        _ => return Some(Ok(())),
    };
    let cmd = match e.clone() {
        HearingEvent::HearingScheduled { .. } => {
            return Some(if exists {
                Err(Rejection::AlreadyExists { what: "hearing" })
            } else {
                Ok(())
            })
        }
        HearingEvent::ParticipantRegistered { person, role } => Command::Register { person, role },
        HearingEvent::HearingOpened => Command::Open,
        HearingEvent::StatementRecorded {
            by,
            stance,
            summary,
        } => Command::Statement {
            by,
            stance,
            summary,
        },
        HearingEvent::HearingClosed { findings } => Command::Close { findings },
        HearingEvent::HearingCancelled { reason } => Command::Cancel { reason },
    };
    Some(super::late::verdict(decide(state, cmd, ctx), |d| d == e))
}

/// A late act's event keeps its shape (no numbered sub-items are renumbered).
pub fn renumber(_latest: &State, event: HearingEvent) -> HearingEvent {
    event
}

aggregate!(
    /// The hearing kind, for generic code.
    Hearing,
    "hearing",
    HearingEvent
);

#[cfg(test)]
#[path = "hearing_tests.rs"]
mod tests;
