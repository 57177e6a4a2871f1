//! Democratic hearings (民主聽證會): scheduled on a topic of public interest; participants register;
//! statements for, against or neutral are recorded while it is open; it closes with findings, or is
//! cancelled.

use super::correction::{self, Correction};
use super::{at_most, text, title, Context, Rejection, LIST_MAX};
use delib_events::hearing::{HearingEvent, HearingRole, Stance};
use delib_events::{Event, HearingId, OrgId, PersonId, ProposalId, Timestamp};

/// Where a hearing is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Status {
    /// Not yet scheduled.
    #[default]
    Absent,
    /// Scheduled.
    Scheduled,
    /// In session.
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
            Status::Absent => "absent",
            Status::Scheduled => "scheduled",
            Status::Open => "open",
            Status::Closed => "closed",
            Status::Cancelled => "cancelled",
        }
    }
}

/// A statement as folded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The speaker.
    pub by: PersonId,
    /// For, against or neutral.
    pub stance: Stance,
    /// What was said.
    pub summary: String,
}

/// A hearing's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Where it is.
    pub status: Status,
    /// Its id.
    pub id: Option<HearingId>,
    /// Its reference number.
    pub number: u64,
    /// The topic.
    pub topic: String,
    /// When it takes place.
    pub on: Option<Timestamp>,
    /// Where.
    pub venue: String,
    /// The presiding organisation.
    pub presided_by: Option<OrgId>,
    /// Proposals it deliberates.
    pub proposals: Vec<ProposalId>,
    /// Registered participants, in order.
    pub participants: Vec<(PersonId, HearingRole)>,
    /// Statements, in order.
    pub statements: Vec<Statement>,
    /// The findings, once closed.
    pub findings: Option<String>,
    /// Corrections recorded in its stream.
    pub corrections: Vec<Correction>,
}

impl State {
    /// Whether a person is registered.
    pub fn is_registered(&self, person: PersonId) -> bool {
        self.participants.iter().any(|(p, _)| *p == person)
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
    let status = state.status;
    if let Command::Schedule {
        topic,
        on,
        venue,
        presided_by,
        proposals,
    } = cmd
    {
        if status != Status::Absent {
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
    match status {
        Status::Absent => return Err(Rejection::NotFound { what: "hearing" }),
        Status::Closed | Status::Cancelled => {
            return Err(Rejection::HearingOver {
                status: status.as_str(),
            })
        }
        Status::Scheduled | Status::Open => {}
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

/// Folds one hearing event.
pub fn apply(mut state: State, event: &HearingEvent) -> State {
    match event {
        HearingEvent::HearingScheduled {
            hearing,
            number,
            topic,
            on,
            venue,
            presided_by,
            proposals,
        } => {
            state.status = Status::Scheduled;
            state.id = Some(*hearing);
            state.number = *number;
            state.topic = topic.clone();
            state.on = Some(*on);
            state.venue = venue.clone();
            state.presided_by = Some(*presided_by);
            state.proposals = proposals.clone();
        }
        HearingEvent::ParticipantRegistered { person, role } => {
            state.participants.push((*person, *role))
        }
        HearingEvent::HearingOpened => state.status = Status::Open,
        HearingEvent::StatementRecorded {
            by,
            stance,
            summary,
        } => state.statements.push(Statement {
            by: *by,
            stance: *stance,
            summary: summary.clone(),
        }),
        HearingEvent::HearingClosed { findings } => {
            state.status = Status::Closed;
            state.findings = Some(findings.clone());
        }
        HearingEvent::HearingCancelled { .. } => state.status = Status::Cancelled,
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
    let exists = state.status != Status::Absent;
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
