//! Late entries: given the acts recorded (with their times), when an act is entered with an earlier
//! time, then it is decided on the state as it stood then, and refused if a later act would break.

use super::*;
use crate::ballot::Ballot;
use crate::late;
use crate::pledge::{self, Pledges};
use crate::proposal::{self, Proposal};
use crate::testing::{hear, org, per, stream};
use crate::{Context, Rejection};
use delib_events::ballot::BallotEvent;
use delib_events::pledge::{PledgeEvent, PledgeKind};
use delib_events::proposal::{Basis, Category, Outcome, ProposalEvent as E};
use delib_events::ProposalId;
use delib_events::{Event, Position, Timestamp};

fn day(d: i64) -> Timestamp {
    Timestamp::from_micros(d * 86_400_000_000)
}

/// The stream's acts: (day, event), at positions 10, 11, 12...
fn acts(list: impl IntoIterator<Item = (i64, Event)>) -> Vec<Act> {
    list.into_iter()
        .enumerate()
        .map(|(i, (d, event))| Act {
            position: Position::new(10 + i as u64),
            occurred_at: day(d),
            event,
        })
        .collect()
}

fn at(d: i64) -> Context {
    Context::new(stream(), day(d))
        .org(org(1))
        .org(org(2))
        .person(per(1))
}

fn submitted() -> Event {
    E::ProposalSubmitted {
        proposal: ProposalId::new(stream()),
        number: 1,
        title: "十北社区路灯".into(),
        body: "没有路灯".into(),
        category: Category::Infrastructure,
        author: per(1),
        community: None,
    }
    .into()
}

fn adopted_and_progressing() -> Vec<Act> {
    acts([
        (1, submitted()),
        (2, E::ProposalAdmitted.into()),
        (
            3,
            E::ProposalDecided {
                outcome: Outcome::Adopted,
                basis: Basis::Hearing(hear(1)),
                note: None,
            }
            .into(),
        ),
        (
            31,
            E::ProgressReported {
                percent: 50,
                note: None,
            }
            .into(),
        ),
    ])
}

fn money(by: u128, yuan: u64) -> pledge::Command {
    pledge::Command::Make {
        by: org(by),
        kind: PledgeKind::Money { fen: yuan * 100 },
    }
}

#[test]
fn a_pledge_of_5_march_entered_after_the_progress_of_1_april_is_accepted() {
    // given a proposal adopted on day 3 whose progress was reported on day 31
    let history = adopted_and_progressing();
    // when a pledge made on day 5 is entered now
    let events = late::decide::<Pledges<Proposal>>(&history, money(1, 240_000), &at(5));
    // then it is accepted as pledge 1
    assert_eq!(
        events,
        Ok(vec![PledgeEvent::PledgeMade {
            pledge: 1,
            by: org(1),
            kind: PledgeKind::Money { fen: 24_000_000 },
        }])
    );
    assert!(late::is_late(&history, day(5)));
}

#[test]
fn a_late_pledge_is_numbered_after_every_pledge_recorded() {
    // given a pledge recorded for day 20
    let mut history = adopted_and_progressing();
    history.push(Act {
        position: Position::new(20),
        occurred_at: day(20),
        event: PledgeEvent::PledgeMade {
            pledge: 1,
            by: org(2),
            kind: PledgeKind::Labour { days: 3 },
        }
        .into(),
    });
    // when a pledge of day 5 is entered
    let events = late::decide::<Pledges<Proposal>>(&history, money(1, 10), &at(5)).unwrap();
    // then it is pledge 2 (numbers are references), and the later pledge still checks out
    assert!(matches!(
        events[..],
        [PledgeEvent::PledgeMade { pledge: 2, .. }]
    ));
}

#[test]
fn a_late_entry_is_decided_on_the_state_as_it_stood_then() {
    // given a proposal only submitted on day 1 and adopted on day 3
    let history = adopted_and_progressing();
    // when a progress report is entered for day 2 (before the adoption)
    let r = late::decide::<Proposal>(
        &history,
        proposal::Command::Progress {
            percent: 10,
            note: None,
        },
        &at(2),
    );
    // then it is refused by the rule as it stood then
    assert_eq!(r, Err(Rejection::NotAdopted { status: "admitted" }));
}

#[test]
fn a_late_entry_that_would_invalidate_a_later_act_is_refused_naming_it() {
    // given progress of 50% reported on day 31 (position 13)
    let history = adopted_and_progressing();
    // when 60% is entered for day 10
    let r = late::decide::<Proposal>(
        &history,
        proposal::Command::Progress {
            percent: 60,
            note: None,
        },
        &at(10),
    );
    // then it is refused: the report of day 31 would go backwards
    assert_eq!(
        r,
        Err(Rejection::LateEntryContradicts {
            position: Position::new(13),
            kind: "proposal.progress-reported",
            rule: Box::new(Rejection::ProgressBackwards { from: 60, to: 50 }),
        })
    );
    // and 40% for day 10 is accepted
    assert!(late::decide::<Proposal>(
        &history,
        proposal::Command::Progress {
            percent: 40,
            note: None
        },
        &at(10)
    )
    .is_ok());
}

#[test]
fn a_late_withdrawal_before_the_decision_is_refused_naming_the_decision() {
    let history = adopted_and_progressing();
    let r = late::decide::<Proposal>(
        &history,
        proposal::Command::Withdraw {
            reason: "作者撤回".into(),
        },
        &at(2),
    );
    match r {
        Err(Rejection::LateEntryContradicts { position, kind, .. }) => {
            assert_eq!(position, Position::new(12));
            assert_eq!(kind, "proposal.decided");
        }
        other => panic!("expected a refusal naming the decision, got {other:?}"),
    }
}

#[test]
fn a_late_entry_before_an_act_that_cannot_be_checked_again_is_refused() {
    // given a ballot whose casting ended on days 1 and 9 (ballot acts are not re-decided)
    let history = acts([
        (1, BallotEvent::CastingEnded { cast: 0 }.into()),
        (9, BallotEvent::CastingEnded { cast: 0 }.into()),
    ]);
    let r = late::decide::<crate::correction::Corrections<Ballot>>(
        &history,
        crate::correction::Correct {
            corrected: Position::new(10),
            reason: "错误".into(),
        },
        &at(5),
    );
    assert_eq!(
        r,
        Err(Rejection::LateEntryUnchecked {
            position: Position::new(11),
            kind: "ballot.casting-ended",
        })
    );
}

#[test]
fn an_act_before_the_entity_existed_is_refused_naming_its_creation() {
    let history = adopted_and_progressing();
    let r = late::decide::<Proposal>(&history, proposal::Command::Admit, &at(0));
    assert_eq!(
        r,
        Err(Rejection::BeforeCreation {
            at: day(0),
            created: day(1),
        })
    );
}
