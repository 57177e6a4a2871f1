//! Dispute mediation (糾紛調解): a dispute between parties on two or more sides; mediation attempts by
//! different bodies may fail; escalation; a body presides over a negotiation between representatives;
//! a resolution, carried out, then the dispute is closed.

use super::correction::{self, Correction};
use super::pledge::{self, PledgeBook, PledgeTarget};
use super::{at_most, note, text, title, Context, Rejection, LIST_MAX};
use delib_events::dispute::{DisputeEvent, DisputeParty, MediationOutcome, SideRepresentative};
use delib_events::{DisputeId, Event, OrgId};
use std::collections::BTreeSet;

/// Where a dispute is in its life.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Status {
    /// Not yet filed.
    #[default]
    Absent,
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
            Status::Absent => "absent",
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

    /// Filed, mediating, escalated or negotiating.
    pub const fn is_unresolved(self) -> bool {
        matches!(
            self,
            Status::Filed | Status::Mediating | Status::Escalated | Status::Negotiating
        )
    }
}

/// A dispute's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Where it is.
    pub status: Status,
    /// Its id.
    pub id: Option<DisputeId>,
    /// Its reference number.
    pub number: u64,
    /// Title.
    pub title: String,
    /// Subject.
    pub subject: String,
    /// Parties with their sides.
    pub parties: Vec<DisputeParty>,
    /// Mediation attempts, in order: who and with what outcome.
    pub mediations: Vec<(OrgId, MediationOutcome)>,
    /// The resolution and its terms, once resolved.
    pub resolution: Option<(String, Vec<String>)>,
    /// Pledges towards it.
    pub pledges: PledgeBook,
    /// Corrections recorded in its stream.
    pub corrections: Vec<Correction>,
}

impl State {
    /// The distinct side labels.
    pub fn sides(&self) -> BTreeSet<&str> {
        self.parties.iter().map(|p| p.side.as_str()).collect()
    }
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
    let status = state.status;
    if let Command::File {
        title: t,
        subject,
        parties,
    } = cmd
    {
        if status != Status::Absent {
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
    match status {
        Status::Absent => return Err(Rejection::NotFound { what: "dispute" }),
        Status::Closed => return Err(Rejection::DisputeClosed),
        _ => {}
    }
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
            let sides = state.sides();
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
            if !matches!(status, Status::Implemented | Status::Withdrawn) {
                return Err(Rejection::CloseTooEarly {
                    status: status.as_str(),
                });
            }
            Ok(vec![DisputeEvent::DisputeClosed])
        }
    }
}

/// Folds one dispute event.
pub fn apply(mut state: State, event: &DisputeEvent) -> State {
    match event {
        DisputeEvent::DisputeFiled {
            dispute,
            number,
            title,
            subject,
            parties,
        } => {
            state.status = Status::Filed;
            state.id = Some(*dispute);
            state.number = *number;
            state.title = title.clone();
            state.subject = subject.clone();
            state.parties = parties.clone();
        }
        DisputeEvent::MediationAttempted { by, outcome, .. } => {
            state.status = Status::Mediating;
            state.mediations.push((*by, *outcome));
        }
        DisputeEvent::DisputeEscalated { .. } => state.status = Status::Escalated,
        DisputeEvent::NegotiationHeld { .. } => state.status = Status::Negotiating,
        DisputeEvent::DisputeResolved { resolution, terms } => {
            state.status = Status::Resolved;
            state.resolution = Some((resolution.clone(), terms.clone()));
        }
        DisputeEvent::ResolutionImplemented { .. } => state.status = Status::Implemented,
        DisputeEvent::DisputeClosed => state.status = Status::Closed,
        DisputeEvent::DisputeWithdrawn { .. } => state.status = Status::Withdrawn,
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
            state.status != Status::Absent,
            &state.pledges,
            p,
            ctx,
        )),
        Event::Correction(c) => Some(super::correction::recheck(
            "dispute",
            state.status != Status::Absent,
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
