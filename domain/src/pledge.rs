//! Pledges of member units (或掏錢，或獻智，或出力): an organisation pledges money, expertise or labour
//! towards a proposal, a consultation or a dispute, and the pledge is later fulfilled, or not.
//!
//! Pledges live in the stream of their target and are numbered per target from 1. Each target's state
//! embeds a [`PledgeBook`]; [`Pledges<A>`] is the aggregate that decides pledge commands on a target of
//! kind `A`.

use super::correction::Correction;
use super::{note, text, Aggregate, Context, Rejection};
use delib_events::pledge::{PledgeEvent, PledgeKind};
use delib_events::{Event, OrgId};
use std::marker::PhantomData;

/// One pledge as its rules read it (the read models keep who pledged what:
/// `delib_projections::pledges`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pledge {
    /// Its number within the target, from 1.
    pub number: u64,
    /// Whether it has been fulfilled (it is fulfilled once).
    pub fulfilled: bool,
}

/// The pledges made towards one target.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PledgeBook {
    /// In order of making; `pledges[i].number == i + 1`.
    pub pledges: Vec<Pledge>,
}

impl PledgeBook {
    /// The pledge with this number.
    pub fn get(&self, number: u64) -> Option<&Pledge> {
        self.pledges.iter().find(|p| p.number == number)
    }

    /// The number the next pledge gets: one after the highest recorded.
    pub fn next_number(&self) -> u64 {
        self.pledges.iter().map(|p| p.number).max().unwrap_or(0) + 1
    }
}

/// A target that can receive pledges: a proposal, a consultation or a dispute.
pub trait PledgeTarget {
    /// Its pledges.
    fn pledges(&self) -> &PledgeBook;
}

/// Pledge commands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `pledge make --for REF --by ORG (--money | --labour-days | --expertise)`.
    Make {
        /// The pledging organisation.
        by: OrgId,
        /// What it pledges.
        kind: PledgeKind,
    },
    /// `pledge fulfil --for REF --pledge N [--note N]`.
    Fulfil {
        /// The pledge's number.
        pledge: u64,
        /// A note.
        note: Option<String>,
    },
}

/// Decides a pledge command on a target.
///
/// # Errors
/// [`Rejection::NotFound`] when the target does not exist, [`Rejection::UnknownOrganisation`] when the
/// pledger is not a registered organisation, [`Rejection::EmptyPledge`], [`Rejection::UnknownPledge`],
/// [`Rejection::PledgeFulfilled`], text and order rejections.
pub fn decide(
    what: &'static str,
    target_exists: bool,
    book: &PledgeBook,
    cmd: Command,
    ctx: &Context,
) -> Result<Vec<PledgeEvent>, Rejection> {
    if !target_exists {
        return Err(Rejection::NotFound { what });
    }
    ctx.check_order()?;
    match cmd {
        Command::Make { by, kind } => {
            ctx.known_org("the pledger", by)?;
            let kind = match kind {
                PledgeKind::Money { fen: 0 } | PledgeKind::Labour { days: 0 } => {
                    return Err(Rejection::EmptyPledge)
                }
                PledgeKind::Expertise { text: t } => {
                    if t.trim().is_empty() {
                        return Err(Rejection::EmptyPledge);
                    }
                    PledgeKind::Expertise {
                        text: text("expertise", t)?,
                    }
                }
                other => other,
            };
            Ok(vec![PledgeEvent::PledgeMade {
                pledge: book.next_number(),
                by,
                kind,
            }])
        }
        Command::Fulfil { pledge, note: n } => match book.get(pledge) {
            None => Err(Rejection::UnknownPledge(pledge)),
            Some(p) if p.fulfilled => Err(Rejection::PledgeFulfilled(pledge)),
            Some(_) => Ok(vec![PledgeEvent::PledgeFulfilled {
                pledge,
                note: note("note", n)?,
            }]),
        },
    }
}

/// Folds a pledge event into a book.
pub fn apply(mut book: PledgeBook, event: &PledgeEvent) -> PledgeBook {
    match event {
        PledgeEvent::PledgeMade { pledge, .. } => book.pledges.push(Pledge {
            number: *pledge,
            fulfilled: false,
        }),
        PledgeEvent::PledgeFulfilled { pledge, .. } => {
            if let Some(p) = book.pledges.iter_mut().find(|p| p.number == *pledge) {
                p.fulfilled = true;
            }
        }
    }
    book
}

/// The pledges towards targets of kind `A`, as an aggregate sharing `A`'s state and stream.
#[derive(Debug)]
pub struct Pledges<A>(PhantomData<A>);

impl<A> Aggregate for Pledges<A>
where
    A: Aggregate,
    A::State: PledgeTarget,
{
    const WHAT: &'static str = A::WHAT;
    type State = A::State;
    type Command = Command;
    type Event = PledgeEvent;

    fn decide(
        state: &A::State,
        cmd: Command,
        ctx: &Context,
    ) -> Result<Vec<PledgeEvent>, Rejection> {
        decide(A::WHAT, A::exists(state), state.pledges(), cmd, ctx)
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
    fn renumber(latest: &A::State, event: PledgeEvent) -> PledgeEvent {
        match event {
            PledgeEvent::PledgeMade { by, kind, .. } => PledgeEvent::PledgeMade {
                pledge: latest.pledges().next_number(),
                by,
                kind,
            },
            other => other,
        }
    }
}

/// Decides a recorded pledge act again on the target's state just before it (for late entries).
/// A pledge keeps the number it was recorded with.
///
/// # Errors
/// The rule the act would now break.
pub fn recheck(
    what: &'static str,
    target_exists: bool,
    book: &PledgeBook,
    event: &PledgeEvent,
    ctx: &Context,
) -> Result<(), Rejection> {
    let cmd = match event {
        PledgeEvent::PledgeMade { by, kind, .. } => Command::Make {
            by: *by,
            kind: kind.clone(),
        },
        PledgeEvent::PledgeFulfilled { pledge, note } => Command::Fulfil {
            pledge: *pledge,
            note: note.clone(),
        },
    };
    let decided = decide(what, target_exists, book, cmd, ctx);
    super::late::verdict(decided, |e| match (e, event) {
        (
            PledgeEvent::PledgeMade { by, kind, .. },
            PledgeEvent::PledgeMade { by: b, kind: k, .. },
        ) => by == b && kind == k,
        (a, b) => a == b,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consultation::Consultation;
    use crate::dispute::Dispute;
    use crate::proposal::Proposal;
    use crate::testing::{given, org, per, stream};
    use delib_events::proposal::{Category, ProposalEvent};
    use delib_events::ProposalId;

    fn submitted() -> Event {
        ProposalEvent::ProposalSubmitted {
            proposal: ProposalId::new(stream()),
            number: 1,
            title: "Walls and lights".into(),
            body: "Shibei".into(),
            category: Category::Infrastructure,
            author: per(1),
            community: None,
        }
        .into()
    }

    fn money(fen: u64) -> Command {
        Command::Make {
            by: org(1),
            kind: PledgeKind::Money { fen },
        }
    }

    fn made(n: u64) -> Event {
        PledgeEvent::PledgeMade {
            pledge: n,
            by: org(1),
            kind: PledgeKind::Money { fen: 24_000_000 },
        }
        .into()
    }

    #[test]
    fn an_organisation_pledges_money_labour_or_expertise_numbered_per_target() {
        given::<Pledges<Proposal>>([submitted(), made(1)])
            .ctx(|c| c.org(org(1)))
            .when(money(24_000_000))
            .then([PledgeEvent::PledgeMade {
                pledge: 2,
                by: org(1),
                kind: PledgeKind::Money { fen: 24_000_000 },
            }]);
        for kind in [
            PledgeKind::Labour { days: 3 },
            PledgeKind::Expertise {
                text: "lighting design".into(),
            },
        ] {
            given::<Pledges<Proposal>>([submitted()])
                .ctx(|c| c.org(org(1)))
                .when(Command::Make {
                    by: org(1),
                    kind: kind.clone(),
                })
                .then([PledgeEvent::PledgeMade {
                    pledge: 1,
                    by: org(1),
                    kind,
                }]);
        }
    }

    #[test]
    fn empty_pledges_are_rejected() {
        for kind in [
            PledgeKind::Money { fen: 0 },
            PledgeKind::Labour { days: 0 },
            PledgeKind::Expertise { text: " ".into() },
        ] {
            given::<Pledges<Proposal>>([submitted()])
                .ctx(|c| c.org(org(1)))
                .when(Command::Make { by: org(1), kind })
                .then_err(Rejection::EmptyPledge);
        }
    }

    #[test]
    fn a_pledge_is_made_by_a_registered_organisation() {
        given::<Pledges<Proposal>>([submitted()])
            .when(money(100))
            .then_err(Rejection::UnknownOrganisation {
                role: "the pledger",
                org: org(1),
            });
    }

    #[test]
    fn a_pledge_needs_an_existing_target() {
        given::<Pledges<Proposal>>(Vec::<Event>::new())
            .ctx(|c| c.org(org(1)))
            .when(money(100))
            .then_err(Rejection::NotFound { what: "proposal" });
        given::<Pledges<Consultation>>(Vec::<Event>::new())
            .ctx(|c| c.org(org(1)))
            .when(money(100))
            .then_err(Rejection::NotFound {
                what: "consultation",
            });
        given::<Pledges<Dispute>>(Vec::<Event>::new())
            .ctx(|c| c.org(org(1)))
            .when(money(100))
            .then_err(Rejection::NotFound { what: "dispute" });
    }

    #[test]
    fn a_pledge_is_fulfilled_at_most_once() {
        let fulfil = |n| Command::Fulfil {
            pledge: n,
            note: Some("walls built".into()),
        };
        given::<Pledges<Proposal>>([submitted(), made(1)])
            .when(fulfil(1))
            .then([PledgeEvent::PledgeFulfilled {
                pledge: 1,
                note: Some("walls built".into()),
            }]);
        let fulfilled: Event = PledgeEvent::PledgeFulfilled {
            pledge: 1,
            note: None,
        }
        .into();
        given::<Pledges<Proposal>>([submitted(), made(1), fulfilled])
            .when(fulfil(1))
            .then_err(Rejection::PledgeFulfilled(1));
        given::<Pledges<Proposal>>([submitted(), made(1)])
            .when(fulfil(2))
            .then_err(Rejection::UnknownPledge(2));
    }

    #[test]
    fn the_target_state_knows_its_pledges() {
        let g = given::<Pledges<Proposal>>([submitted(), made(1)]);
        assert_eq!(g.state().pledges.pledges.len(), 1);
        assert!(!g.state().pledges.pledges[0].fulfilled);
    }
}
