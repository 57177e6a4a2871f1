//! Dispute mediation (糾紛調解): a dispute between parties on two or more sides; mediation attempts by
//! different bodies may fail; escalation; a body presides over a negotiation between representatives;
//! a resolution, carried out, then the dispute is closed.

use super::correction::{self, Correction};
use super::pledge::{self, PledgeBook, PledgeTarget};
use super::{at_most, note, text, title, Context, Rejection, LIST_MAX};
use delib_events::dispute::{DisputeEvent, DisputeParty, MediationOutcome, SideRepresentative};
use delib_events::{DisputeId, Event, OrgId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Where a dispute is in its life: the one lifecycle the domain's rules and the read models
/// (`delib_projections::disputes`, which persists it) share. A dispute that has not been filed has
/// no status (`None` in [`State::status`]).
///
/// The order of the variants is the order of their serde encoding, which the read models store
/// (bincode, by variant index): a new status goes at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// Filed.
    Filed,
    /// At least one mediation attempted.
    Mediating,
    /// Escalated to another body.
    Escalated,
    /// A negotiation was held.
    Negotiating,
    /// Resolved.
    Resolved,
    /// The resolution was carried out.
    Implemented,
    /// Closed: takes nothing more.
    Closed,
    /// Withdrawn before resolution.
    Withdrawn,
}

impl Status {
    /// The CLI/JSON spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Filed => "filed",
            Status::Mediating => "mediating",
            Status::Escalated => "escalated",
            Status::Negotiating => "negotiating",
            Status::Resolved => "resolved",
            Status::Implemented => "implemented",
            Status::Closed => "closed",
            Status::Withdrawn => "withdrawn",
        }
    }

    /// The status an event moves a dispute to (every dispute event moves it).
    pub const fn entered_by(event: &DisputeEvent) -> Status {
        match event {
            DisputeEvent::DisputeFiled { .. } => Status::Filed,
            DisputeEvent::MediationAttempted { .. } => Status::Mediating,
            DisputeEvent::DisputeEscalated { .. } => Status::Escalated,
            DisputeEvent::NegotiationHeld { .. } => Status::Negotiating,
            DisputeEvent::DisputeResolved { .. } => Status::Resolved,
            DisputeEvent::ResolutionImplemented { .. } => Status::Implemented,
            DisputeEvent::DisputeClosed => Status::Closed,
            DisputeEvent::DisputeWithdrawn { .. } => Status::Withdrawn,
        }
    }

    /// Filed, mediating, escalated or negotiating: not yet resolved or withdrawn (still open).
    pub const fn is_unresolved(self) -> bool {
        matches!(
            self,
            Status::Filed | Status::Mediating | Status::Escalated | Status::Negotiating
        )
    }

    /// Implemented or withdrawn: it may be closed.
    pub const fn may_close(self) -> bool {
        matches!(self, Status::Implemented | Status::Withdrawn)
    }
}

/// A dispute's state: what its rules read, nothing more (the read model,
/// `delib_projections::disputes`, keeps the rest).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Where it is; `None` before it is filed.
    pub status: Option<Status>,
    /// The distinct side labels of its parties (a negotiation's representatives speak for them).
    pub sides: BTreeSet<String>,
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

/// What a clerk can ask of a dispute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `dispute file`: parties' orgs in [`Context::orgs`].
    File {
        /// Title.
        title: String,
        /// What it is about.
        subject: String,
        /// Parties on at least two sides.
        parties: Vec<DisputeParty>,
    },
    /// `dispute mediate --by ORG --outcome [--note]`.
    Mediate {
        /// The mediating body.
        by: OrgId,
        /// Failed or succeeded.
        outcome: MediationOutcome,
        /// A note.
        note: Option<String>,
    },
    /// `dispute escalate --to ORG --reason R`.
    Escalate {
        /// The body it goes to.
        to: OrgId,
        /// Why.
        reason: String,
    },
    /// `dispute negotiate --presided-by ORG --representative PER=side...`.
    Negotiate {
        /// The presiding body.
        presided_by: OrgId,
        /// Representatives of at least two sides.
        representatives: Vec<SideRepresentative>,
    },
    /// `dispute resolve --resolution R [--term T]...`.
    Resolve {
        /// The resolution.
        resolution: String,
        /// Its terms.
        terms: Vec<String>,
    },
    /// `dispute implement --note N`.
    Implement {
        /// What was done.
        note: String,
    },
    /// `dispute close`.
    Close,
    /// `dispute withdraw --reason R`.
    Withdraw {
        /// Why.
        reason: String,
    },
}

/// Decides a dispute command.
///
/// # Errors
/// A [`Rejection`] naming the rule: see the tests for every rule, accepted and rejected.
pub fn decide(state: &State, cmd: Command, ctx: &Context) -> Result<Vec<DisputeEvent>, Rejection> {
    ctx.check_order()?;
    if let Command::File {
        title: t,
        subject,
        parties,
    } = cmd
    {
        if state.status.is_some() {
            return Err(Rejection::AlreadyExists { what: "dispute" });
        }
        let number = ctx.creation_number()?;
        let title = title("title", t)?;
        let subject = text("subject", subject)?;
        at_most("parties", &parties, LIST_MAX)?;
        let mut orgs = BTreeSet::new();
        for p in &parties {
            ctx.known_org("a party", p.org)?;
            super::title("side", p.side.clone())?;
            if !orgs.insert(p.org) {
                return Err(Rejection::DuplicateParty(p.org));
            }
        }
        let sides: BTreeSet<&str> = parties.iter().map(|p| p.side.as_str()).collect();
        if parties.len() < 2 || sides.len() < 2 {
            return Err(Rejection::TooFewSides);
        }
        return Ok(vec![DisputeEvent::DisputeFiled {
            dispute: DisputeId::new(ctx.stream),
            number,
            title,
            subject,
            parties,
        }]);
    }
    let status = match state.status {
        None => return Err(Rejection::NotFound { what: "dispute" }),
        Some(Status::Closed) => return Err(Rejection::DisputeClosed),
        Some(status) => status,
    };
    let unresolved = || {
        if status.is_unresolved() {
            Ok(())
        } else {
            Err(Rejection::DisputeNotOpen {
                status: status.as_str(),
            })
        }
    };
    match cmd {
        Command::File { .. } => Err(Rejection::AlreadyExists { what: "dispute" }),
        Command::Mediate {
            by,
            outcome,
            note: n,
        } => {
            unresolved()?;
            ctx.known_org("the mediator", by)?;
            Ok(vec![DisputeEvent::MediationAttempted {
                by,
                outcome,
                note: note("note", n)?,
            }])
        }
        Command::Escalate { to, reason } => {
            unresolved()?;
            ctx.known_org("the body escalated to", to)?;
            Ok(vec![DisputeEvent::DisputeEscalated {
                to,
                reason: text("reason", reason)?,
            }])
        }
        Command::Negotiate {
            presided_by,
            representatives,
        } => {
            unresolved()?;
            ctx.known_org("the presiding body", presided_by)?;
            at_most("representatives", &representatives, LIST_MAX)?;
            let sides = &state.sides;
            let mut represented = BTreeSet::new();
            for r in &representatives {
                ctx.known_person("a representative", r.person)?;
                if !sides.contains(r.side.as_str()) {
                    return Err(Rejection::UnknownSide(r.side.clone()));
                }
                represented.insert(r.side.as_str());
            }
            if represented.len() < 2 {
                return Err(Rejection::TooFewRepresentedSides);
            }
            Ok(vec![DisputeEvent::NegotiationHeld {
                presided_by,
                representatives,
            }])
        }
        Command::Resolve { resolution, terms } => {
            unresolved()?;
            at_most("terms", &terms, LIST_MAX)?;
            let terms = terms
                .into_iter()
                .map(|t| text("term", t))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(vec![DisputeEvent::DisputeResolved {
                resolution: text("resolution", resolution)?,
                terms,
            }])
        }
        Command::Withdraw { reason } => {
            unresolved()?;
            Ok(vec![DisputeEvent::DisputeWithdrawn {
                reason: text("reason", reason)?,
            }])
        }
        Command::Implement { note } => {
            if status != Status::Resolved {
                return Err(Rejection::NotResolved {
                    status: status.as_str(),
                });
            }
            Ok(vec![DisputeEvent::ResolutionImplemented {
                note: text("note", note)?,
            }])
        }
        Command::Close => {
            if !status.may_close() {
                return Err(Rejection::CloseTooEarly {
                    status: status.as_str(),
                });
            }
            Ok(vec![DisputeEvent::DisputeClosed])
        }
    }
}

/// Folds one dispute event: its status ([`Status::entered_by`]) and its sides.
pub fn apply(mut state: State, event: &DisputeEvent) -> State {
    state.status = Some(Status::entered_by(event));
    if let DisputeEvent::DisputeFiled { parties, .. } = event {
        state.sides = parties.iter().map(|p| p.side.clone()).collect();
    }
    state
}

/// Folds any event of a dispute's stream: its own, pledges and corrections.
pub fn evolve(mut state: State, event: &Event) -> State {
    match event {
        Event::Dispute(e) => apply(state, e),
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

/// Decides a recorded act of a dispute's stream again (late entries): pledges and corrections are
/// re-checked; the dispute's own acts are not yet, so a late entry before one is refused.
pub fn recheck(state: &State, event: &Event, ctx: &Context) -> Option<Result<(), Rejection>> {
    match event {
        Event::Pledge(p) => Some(super::pledge::recheck(
            "dispute",
            state.status.is_some(),
            &state.pledges,
            p,
            ctx,
        )),
        Event::Correction(c) => Some(super::correction::recheck(
            "dispute",
            state.status.is_some(),
            &state.corrections,
            c,
            ctx,
        )),
        Event::Dispute(_) => None,
        _ => Some(Ok(())),
    }
}

/// A late act's event keeps its shape (no numbered sub-items are renumbered).
pub fn renumber(_latest: &State, event: DisputeEvent) -> DisputeEvent {
    event
}

aggregate!(
    /// The dispute kind, for generic code.
    Dispute,
    "dispute",
    DisputeEvent
);

#[cfg(test)]
#[path = "dispute_tests.rs"]
mod tests;
