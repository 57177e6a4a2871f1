//! Resident representative proposals (居民代表提案制度, Shuangjing subdistrict): a representative submits,
//! others co-sign, it is admitted or returned, deliberated (hearing, consultation, vote), decided, then
//! assigned, implemented and followed up.

use super::correction::{self, Correction};
use super::pledge::{self, PledgeBook, PledgeTarget};
use super::{at_most, note, text, title, Context, Rejection};
use delib_events::proposal::{Basis, Category, Outcome, ProposalEvent};
use delib_events::{Event, OrgId, PersonId, ProposalId, Timestamp};
use serde::{Deserialize, Serialize};

/// Where a proposal is in its life: the one lifecycle the domain's rules and the read models
/// (`delib_projections::proposals`, which persists it) share. A proposal that has not been
/// submitted has no status (`None` in [`State::status`]).
///
/// The order of the variants is the order of their serde encoding, which the read models store
/// (bincode, by variant index): a new status goes at the end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    /// Submitted, awaiting admission.
    Submitted,
    /// Admitted for deliberation.
    Admitted,
    /// Returned without deliberation.
    Returned,
    /// Withdrawn before a decision.
    Withdrawn,
    /// Adopted, not yet assigned or progressed.
    Adopted,
    /// Rejected.
    Rejected,
    /// Adopted and under implementation.
    InProgress,
    /// Implemented.
    Completed,
}

impl Status {
    /// Every status, in life order.
    pub const ALL: [Status; 8] = [
        Status::Submitted,
        Status::Admitted,
        Status::Returned,
        Status::Withdrawn,
        Status::Adopted,
        Status::Rejected,
        Status::InProgress,
        Status::Completed,
    ];

    /// The CLI/JSON spelling (`in-progress`...).
    pub const fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Admitted => "admitted",
            Status::Returned => "returned",
            Status::Withdrawn => "withdrawn",
            Status::Adopted => "adopted",
            Status::Rejected => "rejected",
            Status::InProgress => "in-progress",
            Status::Completed => "completed",
        }
    }

    /// Parses the CLI spelling (for `proposal list --status`).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The status an event moves a proposal to; `None` when it leaves the status as it is.
    pub const fn entered_by(event: &ProposalEvent) -> Option<Status> {
        match event {
            ProposalEvent::ProposalSubmitted { .. } => Some(Status::Submitted),
            ProposalEvent::ProposalCosigned { .. } => None,
            ProposalEvent::ProposalAdmitted => Some(Status::Admitted),
            ProposalEvent::ProposalReturned { .. } => Some(Status::Returned),
            ProposalEvent::ProposalWithdrawn { .. } => Some(Status::Withdrawn),
            ProposalEvent::ProposalDecided { outcome, .. } => Some(match outcome {
                Outcome::Adopted => Status::Adopted,
                Outcome::Rejected => Status::Rejected,
            }),
            ProposalEvent::ProposalAssigned { .. } | ProposalEvent::ProgressReported { .. } => {
                Some(Status::InProgress)
            }
            ProposalEvent::ProposalCompleted { .. } => Some(Status::Completed),
        }
    }

    /// Submitted or admitted: not yet decided, returned or withdrawn (co-signing and withdrawing
    /// are open).
    pub const fn is_undecided(self) -> bool {
        matches!(self, Status::Submitted | Status::Admitted)
    }

    /// Adopted, assigned or progressing: implementation may be reported.
    pub const fn is_adopted(self) -> bool {
        matches!(self, Status::Adopted | Status::InProgress)
    }
}

/// A proposal's state: what its rules read, nothing more (the read model,
/// `delib_projections::proposals`, keeps the rest).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// Where it is; `None` before it is submitted.
    pub status: Option<Status>,
    /// The author (who may not co-sign).
    pub author: Option<PersonId>,
    /// Co-signers, in order (each co-signs once).
    pub cosigners: Vec<PersonId>,
    /// The last reported progress, 0 to 100 (progress never goes back).
    pub progress: u8,
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

/// What a clerk can ask of a proposal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `proposal submit`: the stream is [`Context::stream`], the number [`Context::number`].
    Submit {
        /// Title.
        title: String,
        /// Body.
        body: String,
        /// Category.
        category: Category,
        /// The author (must be in [`Context::persons`]).
        author: PersonId,
        /// The community (must be in [`Context::orgs`]).
        community: Option<OrgId>,
    },
    /// `proposal cosign --by PER` (must be in [`Context::persons`]).
    Cosign {
        /// The co-signer.
        by: PersonId,
    },
    /// `proposal admit`.
    Admit,
    /// `proposal return --reason R`.
    Return {
        /// Why.
        reason: String,
    },
    /// `proposal withdraw --reason R`.
    Withdraw {
        /// Why.
        reason: String,
    },
    /// `proposal decide --outcome --basis [--note]`; the facts about the basis are
    /// [`Context::basis`].
    Decide {
        /// Adopted or rejected.
        outcome: Outcome,
        /// The basis.
        basis: Basis,
        /// A note.
        note: Option<String>,
    },
    /// `proposal assign --to ORG [--due]` (ORG must be in [`Context::orgs`]).
    Assign {
        /// The implementing organisation.
        to: OrgId,
        /// When due.
        due: Option<Timestamp>,
    },
    /// `proposal progress --percent N [--note]`.
    Progress {
        /// 0 to 100, never below the last report.
        percent: u8,
        /// A note.
        note: Option<String>,
    },
    /// `proposal complete --summary S`.
    Complete {
        /// What was done.
        summary: String,
    },
}

/// Decides a proposal command.
///
/// # Errors
/// A [`Rejection`] naming the rule: see the tests below for every rule, accepted and rejected.
pub fn decide(state: &State, cmd: Command, ctx: &Context) -> Result<Vec<ProposalEvent>, Rejection> {
    ctx.check_order()?;
    if let Command::Submit {
        title: t,
        body,
        category,
        author,
        community,
    } = cmd
    {
        if state.status.is_some() {
            return Err(Rejection::AlreadyExists { what: "proposal" });
        }
        let number = ctx.creation_number()?;
        let title = title("title", t)?;
        let body = text("body", body)?;
        ctx.known_person("the author", author)?;
        if let Some(c) = community {
            ctx.known_org("the community", c)?;
        }
        return Ok(vec![ProposalEvent::ProposalSubmitted {
            proposal: ProposalId::new(ctx.stream),
            number,
            title,
            body,
            category,
            author,
            community,
        }]);
    }
    let Some(status) = state.status else {
        return Err(Rejection::NotFound { what: "proposal" });
    };
    let adopted = status.is_adopted();
    match cmd {
        Command::Submit { .. } => Err(Rejection::AlreadyExists { what: "proposal" }),
        Command::Cosign { by } => {
            if !status.is_undecided() {
                return Err(Rejection::CosignClosed {
                    status: status.as_str(),
                });
            }
            ctx.known_person("a co-signer", by)?;
            if state.author == Some(by) {
                return Err(Rejection::AuthorCosign);
            }
            if state.cosigners.contains(&by) {
                return Err(Rejection::AlreadyCosigned);
            }
            at_most("co-signers", &state.cosigners, super::ELECTORATE_MAX - 1)?;
            Ok(vec![ProposalEvent::ProposalCosigned { by }])
        }
        Command::Admit | Command::Return { .. } if status != Status::Submitted => {
            Err(Rejection::NotSubmitted {
                status: status.as_str(),
            })
        }
        Command::Admit => Ok(vec![ProposalEvent::ProposalAdmitted]),
        Command::Return { reason } => Ok(vec![ProposalEvent::ProposalReturned {
            reason: text("reason", reason)?,
        }]),
        Command::Withdraw { reason } => {
            if !status.is_undecided() {
                return Err(Rejection::WithdrawAfterDecision {
                    status: status.as_str(),
                });
            }
            Ok(vec![ProposalEvent::ProposalWithdrawn {
                reason: text("reason", reason)?,
            }])
        }
        Command::Decide {
            outcome,
            basis,
            note: n,
        } => {
            if status != Status::Admitted {
                return Err(Rejection::NotAdmitted {
                    status: status.as_str(),
                });
            }
            let facts = match &ctx.basis {
                Some(f) if f.basis == basis => f,
                _ => {
                    return Err(Rejection::UnknownBasis {
                        basis: basis.to_string(),
                    })
                }
            };
            if !facts.concluded {
                return Err(Rejection::BasisNotConcluded {
                    basis: basis.to_string(),
                });
            }
            if let Basis::Ballot(_) = basis {
                if (outcome == Outcome::Adopted) != facts.first_option_won {
                    return Err(Rejection::BallotDisagrees {
                        won: if facts.first_option_won {
                            "won"
                        } else {
                            "did not win"
                        },
                    });
                }
            }
            Ok(vec![ProposalEvent::ProposalDecided {
                outcome,
                basis,
                note: note("note", n)?,
            }])
        }
        Command::Assign { .. } | Command::Progress { .. } | Command::Complete { .. }
            if !adopted =>
        {
            Err(Rejection::NotAdopted {
                status: status.as_str(),
            })
        }
        Command::Assign { to, due } => {
            ctx.known_org("the implementing organisation", to)?;
            Ok(vec![ProposalEvent::ProposalAssigned { to, due }])
        }
        Command::Progress { percent, note: n } => {
            if percent > 100 {
                return Err(Rejection::ProgressOutOfRange(percent));
            }
            if percent < state.progress {
                return Err(Rejection::ProgressBackwards {
                    from: state.progress,
                    to: percent,
                });
            }
            Ok(vec![ProposalEvent::ProgressReported {
                percent,
                note: note("note", n)?,
            }])
        }
        Command::Complete { summary } => Ok(vec![ProposalEvent::ProposalCompleted {
            summary: text("summary", summary)?,
        }]),
    }
}

/// Folds one proposal event: its status ([`Status::entered_by`]) and what the rules read.
pub fn apply(mut state: State, event: &ProposalEvent) -> State {
    if let Some(status) = Status::entered_by(event) {
        state.status = Some(status);
    }
    match event {
        ProposalEvent::ProposalSubmitted { author, .. } => state.author = Some(*author),
        ProposalEvent::ProposalCosigned { by } => state.cosigners.push(*by),
        ProposalEvent::ProgressReported { percent, .. } => state.progress = *percent,
        _ => {}
    }
    state
}

/// Folds any event of a proposal's stream: its own, pledges and corrections.
pub fn evolve(mut state: State, event: &Event) -> State {
    match event {
        Event::Proposal(e) => apply(state, e),
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

/// Decides a recorded act of a proposal's stream again on the state just before it (late entries).
pub fn recheck(state: &State, event: &Event, ctx: &Context) -> Option<Result<(), Rejection>> {
    let exists = state.status.is_some();
    let e = match event {
        Event::Proposal(e) => e,
        Event::Pledge(p) => {
            return Some(pledge::recheck("proposal", exists, &state.pledges, p, ctx))
        }
        Event::Correction(c) => {
            return Some(correction::recheck(
                "proposal",
                exists,
                &state.corrections,
                c,
                ctx,
            ))
        }
        _ => return Some(Ok(())),
    };
    let mut ctx = ctx.clone();
    let cmd = match e.clone() {
        ProposalEvent::ProposalSubmitted { .. } => {
            return Some(if exists {
                Err(Rejection::AlreadyExists { what: "proposal" })
            } else {
                Ok(())
            })
        }
        ProposalEvent::ProposalCosigned { by } => Command::Cosign { by },
        ProposalEvent::ProposalAdmitted => Command::Admit,
        ProposalEvent::ProposalReturned { reason } => Command::Return { reason },
        ProposalEvent::ProposalWithdrawn { reason } => Command::Withdraw { reason },
        ProposalEvent::ProposalDecided {
            outcome,
            basis,
            note,
        } => {
            ctx.basis = Some(super::BasisFacts {
                basis,
                concluded: true,
                first_option_won: outcome == Outcome::Adopted,
            });
            Command::Decide {
                outcome,
                basis,
                note,
            }
        }
        ProposalEvent::ProposalAssigned { to, due } => Command::Assign { to, due },
        ProposalEvent::ProgressReported { percent, note } => Command::Progress { percent, note },
        ProposalEvent::ProposalCompleted { summary } => Command::Complete { summary },
    };
    Some(super::late::verdict(decide(state, cmd, &ctx), |d| d == e))
}

/// Proposal events carry no numbered sub-items.
pub fn renumber(_latest: &State, event: ProposalEvent) -> ProposalEvent {
    event
}

aggregate!(
    /// The proposal kind, for generic code.
    Proposal,
    "proposal",
    ProposalEvent
);

#[cfg(test)]
#[path = "proposal_tests.rs"]
mod tests;
