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
        }
        .into(),
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

fn pledged(fen: u64) -> Event {
    PledgeEvent::PledgeMade {
        pledge: 1,
        by: org(1),
        kind: PledgeKind::Money { fen },
    }
    .into()
}

#[test]
fn a_corrected_pledge_amount_passes_the_rules_of_a_pledge_and_records_old_and_new() {
    use crate::correction::{Command, Corrections};
    use delib_events::correction::{CorrectionEvent, FieldChange};
    // given a pledge of 2,400 yuan recorded at position 14
    let mut history = adopted_and_progressing();
    history.push(Act {
        position: Position::new(14),
        occurred_at: day(32),
        event: pledged(240_000),
    });
    let mut ctx = at(40);
    ctx.corrected_event = Some((Position::new(14), pledged(240_000)));
    let amend = |v: &str| Command::Amend {
        corrected: Position::new(14),
        set: vec![("amount".into(), v.into())],
        reason: "纪要中的金额抄错".into(),
    };
    // when the amount is corrected to 240,000 yuan
    let r = late::decide::<Corrections<Proposal>>(&history, amend("240000"), &ctx);
    // then the correction carries old and new
    assert_eq!(
        r,
        Ok(vec![CorrectionEvent::EventAmended {
            corrected: Position::new(14),
            changes: vec![FieldChange {
                field: "amount".into(),
                old: "2400".into(),
                new: "240000".into(),
            }],
            reason: "纪要中的金额抄错".into(),
        }])
    );
    // and a corrected amount of zero is refused as a pledge of zero would be
    assert_eq!(
        late::decide::<Corrections<Proposal>>(&history, amend("0"), &ctx),
        Err(Rejection::BadCorrectedValue {
            field: "amount".into()
        })
    );
    // and a field the pledge does not have is refused
    let r = late::decide::<Corrections<Proposal>>(
        &history,
        Command::Amend {
            corrected: Position::new(14),
            set: vec![("title".into(), "x".into())],
            reason: "r".into(),
        },
        &ctx,
    );
    assert!(matches!(r, Err(Rejection::NotCorrectable { .. })), "{r:?}");
}

#[test]
fn a_void_is_accepted_and_the_voided_act_is_gone_from_the_state() {
    use crate::correction::{Command, Corrections};
    // given a pledge at position 14
    let mut history = adopted_and_progressing();
    history.push(Act {
        position: Position::new(14),
        occurred_at: day(32),
        event: pledged(100),
    });
    let void = Command::Void {
        voided: Position::new(14),
        reason: "误录入".into(),
    };
    // when it is voided
    let events = late::decide::<Corrections<Proposal>>(&history, void.clone(), &at(40)).unwrap();
    history.push(Act {
        position: Position::new(15),
        occurred_at: day(40),
        event: events[0].clone().into(),
    });
    // then the next pledge is decided on a state without it, and it cannot be voided twice
    let fulfil = late::decide::<Pledges<Proposal>>(
        &history,
        pledge::Command::Fulfil {
            pledge: 1,
            note: None,
        },
        &at(41),
    );
    assert_eq!(fulfil, Err(Rejection::UnknownPledge(1)));
    assert_eq!(
        late::decide::<Corrections<Proposal>>(&history, void, &at(41)),
        Err(Rejection::AlreadyVoided {
            position: Position::new(14)
        })
    );
}

#[test]
fn voiding_an_act_that_a_later_act_depends_on_is_refused_naming_it() {
    use crate::correction::{Command, Corrections};
    // given a pledge at position 14, fulfilled at position 15
    let mut history = adopted_and_progressing();
    history.push(Act {
        position: Position::new(14),
        occurred_at: day(32),
        event: pledged(100),
    });
    history.push(Act {
        position: Position::new(15),
        occurred_at: day(33),
        event: PledgeEvent::PledgeFulfilled {
            pledge: 1,
            note: None,
        }
        .into(),
    });
    // when the pledge is voided
    let r = late::decide::<Corrections<Proposal>>(
        &history,
        Command::Void {
            voided: Position::new(14),
            reason: "误录入".into(),
        },
        &at(40),
    );
    // then it is refused, naming the fulfilment
    assert_eq!(
        r,
        Err(Rejection::VoidDependedOn {
            position: Position::new(15),
            kind: "pledge.fulfilled",
            rule: Box::new(Rejection::UnknownPledge(1)),
        })
    );
}
