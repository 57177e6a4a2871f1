//! Consultation dialogue meetings (協商對話會), joint consultations of party-member and resident
//! representatives (黨員代表、居民代表協商會) and joint co-building meetings: convened between parties;
//! each states a position; it ends in an agreement (terms, then commitments with owners and due dates)
//! or in no agreement.

use super::correction::{self, Correction};
use super::pledge::{self, PledgeBook, PledgeTarget};
use super::{at_most, note, text, title, Context, Rejection, LIST_MAX};
use delib_events::consultation::{ConsultationEvent, ConsultationFormat};
use delib_events::{ConsultationId, Event, OrgId, ProposalId, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Where a consultation is in its life: the one lifecycle the domain's rules and the read models
/// (`delib_projections::consultations`, which persists it) share. A consultation that has not been
/// convened has no status (`None` in [`State::status`]).
///
/// The order of the variants is the order of their serde encoding, which the read models store
/// (bincode, by variant index): a new status goes at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// Convened, positions being stated.
    Convened,
    /// Ended in agreement.
    Agreed,
    /// Ended without agreement.
    Failed,
}

impl Status {
    /// The CLI/JSON spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Convened => "convened",
            Status::Agreed => "agreed",
            Status::Failed => "failed",
        }
    }

    /// The status an event moves a consultation to; `None` when it leaves the status as it is.
    pub const fn entered_by(event: &ConsultationEvent) -> Option<Status> {
        match event {
            ConsultationEvent::ConsultationConvened { .. } => Some(Status::Convened),
            ConsultationEvent::AgreementReached { .. } => Some(Status::Agreed),
            ConsultationEvent::ConsultationFailed { .. } => Some(Status::Failed),
            ConsultationEvent::PositionStated { .. }
            | ConsultationEvent::CommitmentMade { .. }
            | ConsultationEvent::CommitmentFulfilled { .. } => None,
        }
    }

    /// Agreed or failed: it has ended (a basis a decision may rest on).
    pub const fn is_concluded(self) -> bool {
        matches!(self, Status::Agreed | Status::Failed)
    }
}

/// A commitment as its rules read it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Commitment {
    /// Its number, from 1.
    pub number: u64,
    /// Whether fulfilled (it is fulfilled once).
    pub fulfilled: bool,
}

/// A consultation's state: what its rules read, nothing more (the read model,
/// `delib_projections::consultations`, keeps the rest).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Where it is; `None` before it is convened.
    pub status: Option<Status>,
    /// The parties (only they state positions and commit).
    pub parties: Vec<OrgId>,
    /// Commitments, in order; `commitments[i].number == i + 1`.
    pub commitments: Vec<Commitment>,
    /// Pledges towards it.
    pub pledges: PledgeBook,
    /// Corrections recorded in its stream.
    pub corrections: Vec<Correction>,
}

impl PledgeTarget for State {
    fn pledges(&self) -> &PledgeBook {
        &self.pledges
    }
}

/// What a clerk can ask of a consultation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `consultation convene`: orgs in [`Context::orgs`], proposals in [`Context::proposals`].
    Convene {
        /// The topic.
        topic: String,
        /// The format.
        format: ConsultationFormat,
        /// The convening organisation.
        convened_by: OrgId,
        /// At least two distinct parties.
        parties: Vec<OrgId>,
        /// Proposals it deliberates.
        proposals: Vec<ProposalId>,
    },
    /// `consultation position --party ORG --statement S`.
    Position {
        /// The party.
        party: OrgId,
        /// Its statement.
        statement: String,
    },
    /// `consultation agree --term T...`.
    Agree {
        /// At least one term.
        terms: Vec<String>,
    },
    /// `consultation fail --reason R`.
    Fail {
        /// Why.
        reason: String,
    },
    /// `consultation commit --party ORG --commitment C [--due]`.
    Commit {
        /// The committing party.
        party: OrgId,
        /// What it commits to.
        text: String,
        /// When due.
        due: Option<Timestamp>,
    },
    /// `consultation fulfil --commitment N [--note]`.
    Fulfil {
        /// The commitment's number.
        commitment: u64,
        /// A note.
        note: Option<String>,
    },
}

/// Decides a consultation command.
///
/// # Errors
/// A [`Rejection`] naming the rule: see the tests for every rule, accepted and rejected.
pub fn decide(
    state: &State,
    cmd: Command,
    ctx: &Context,
) -> Result<Vec<ConsultationEvent>, Rejection> {
    ctx.check_order()?;
    if let Command::Convene {
        topic,
        format,
        convened_by,
        parties,
        proposals,
    } = cmd
    {
        if state.status.is_some() {
            return Err(Rejection::AlreadyExists {
                what: "consultation",
            });
        }
        let number = ctx.creation_number()?;
        let topic = title("topic", topic)?;
        ctx.known_org("the convening body", convened_by)?;
        at_most("parties", &parties, LIST_MAX)?;
        for p in &parties {
            ctx.known_org("a party", *p)?;
        }
        let distinct: BTreeSet<&OrgId> = parties.iter().collect();
        if distinct.len() < 2 || distinct.len() != parties.len() {
            return Err(Rejection::TooFewParties);
        }
        at_most("proposals", &proposals, LIST_MAX)?;
        ctx.known_proposals(&proposals)?;
        return Ok(vec![ConsultationEvent::ConsultationConvened {
            consultation: ConsultationId::new(ctx.stream),
            number,
            topic,
            format,
            convened_by,
            parties,
            proposals,
        }]);
    }
    let Some(status) = state.status else {
        return Err(Rejection::NotFound {
            what: "consultation",
        });
    };
    let convened = || {
        if status == Status::Convened {
            Ok(())
        } else {
            Err(Rejection::ConsultationConcluded {
                status: status.as_str(),
            })
        }
    };
    let party_of = |act: &'static str, org: OrgId| {
        if state.parties.contains(&org) {
            Ok(())
        } else {
            Err(Rejection::NotAParty { act, org })
        }
    };
    match cmd {
        Command::Convene { .. } => Err(Rejection::AlreadyExists {
            what: "consultation",
        }),
        Command::Position { party, statement } => {
            convened()?;
            party_of("state a position", party)?;
            Ok(vec![ConsultationEvent::PositionStated {
                party,
                statement: text("statement", statement)?,
            }])
        }
        Command::Agree { terms } => {
            convened()?;
            if terms.is_empty() {
                return Err(Rejection::NoTerms);
            }
            at_most("terms", &terms, LIST_MAX)?;
            let terms = terms
                .into_iter()
                .map(|t| text("term", t))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(vec![ConsultationEvent::AgreementReached { terms }])
        }
        Command::Fail { reason } => {
            convened()?;
            Ok(vec![ConsultationEvent::ConsultationFailed {
                reason: text("reason", reason)?,
            }])
        }
        Command::Commit {
            party,
            text: t,
            due,
        } => {
            if status != Status::Agreed {
                return Err(Rejection::NotAgreed {
                    status: status.as_str(),
                });
            }
            party_of("commit", party)?;
            at_most("commitments", &state.commitments, 10 * LIST_MAX - 1)?;
            Ok(vec![ConsultationEvent::CommitmentMade {
                commitment: state.commitments.len() as u64 + 1,
                party,
                text: text("commitment", t)?,
                due,
            }])
        }
        Command::Fulfil {
            commitment,
            note: n,
        } => match state.commitments.iter().find(|c| c.number == commitment) {
            None => Err(Rejection::UnknownCommitment(commitment)),
            Some(c) if c.fulfilled => Err(Rejection::CommitmentFulfilled(commitment)),
            Some(_) => Ok(vec![ConsultationEvent::CommitmentFulfilled {
                commitment,
                note: note("note", n)?,
            }]),
        },
    }
}

/// Folds one consultation event: its status ([`Status::entered_by`]), parties and commitments.
pub fn apply(mut state: State, event: &ConsultationEvent) -> State {
    if let Some(status) = Status::entered_by(event) {
        state.status = Some(status);
    }
    match event {
        ConsultationEvent::ConsultationConvened { parties, .. } => {
            state.parties = parties.clone();
        }
        ConsultationEvent::CommitmentMade { commitment, .. } => {
            state.commitments.push(Commitment {
                number: *commitment,
                fulfilled: false,
            })
        }
        ConsultationEvent::CommitmentFulfilled { commitment, .. } => {
            if let Some(c) = state
                .commitments
                .iter_mut()
                .find(|c| c.number == *commitment)
            {
                c.fulfilled = true;
            }
        }
        ConsultationEvent::PositionStated { .. }
        | ConsultationEvent::AgreementReached { .. }
        | ConsultationEvent::ConsultationFailed { .. } => {}
    }
    state
}

/// Folds any event of a consultation's stream: its own, pledges and corrections.
pub fn evolve(mut state: State, event: &Event) -> State {
    match event {
        Event::Consultation(e) => apply(state, e),
        Event::Pledge(e) => {
            state.pledges = pledge::apply(std::mem::take(&mut state.pledges), e);
            state
        }
        Event::Correction(e) => {
            state.corrections = correction::apply(std::mem::take(&mut state.corrections), e);
            state
        }
        _ => state,
    }
}

/// Decides a recorded act of a consultation's stream again (late entries): pledges and corrections are
/// re-checked; the consultation's own acts are not yet, so a late entry before one is refused.
pub fn recheck(state: &State, event: &Event, ctx: &Context) -> Option<Result<(), Rejection>> {
    match event {
        Event::Pledge(p) => Some(super::pledge::recheck(
            "consultation",
            state.status.is_some(),
            &state.pledges,
            p,
            ctx,
        )),
        Event::Correction(c) => Some(super::correction::recheck(
            "consultation",
            state.status.is_some(),
            &state.corrections,
            c,
            ctx,
        )),
        Event::Consultation(_) => None,
        _ => Some(Ok(())),
    }
}

/// A late act's event keeps its shape (no numbered sub-items are renumbered).
pub fn renumber(_latest: &State, event: ConsultationEvent) -> ConsultationEvent {
    event
}

aggregate!(
    /// The consultation kind, for generic code.
    Consultation,
    "consultation",
    ConsultationEvent
);

#[cfg(test)]
#[path = "consultation_tests.rs"]
mod tests;
