use super::*;
use crate::testing::{given, org, per, prop, stream};
use delib_events::hearing::HearingEvent as E;

fn on() -> Timestamp {
    Timestamp::from_micros(5_000_000)
}

fn schedule() -> Command {
    Command::Schedule {
        topic: "Paving the Shibei road".into(),
        on: on(),
        venue: "Community hall".into(),
        presided_by: org(1),
        proposals: vec![prop(1)],
    }
}

fn scheduled() -> E {
    E::HearingScheduled {
        hearing: HearingId::new(stream()),
        number: 1,
        topic: "Paving the Shibei road".into(),
        on: on(),
        venue: "Community hall".into(),
        presided_by: org(1),
        proposals: vec![prop(1)],
    }
}

fn registered(p: u128) -> E {
    E::ParticipantRegistered {
        person: per(p),
        role: HearingRole::Speaker,
    }
}

fn statement(p: u128) -> Command {
    Command::Statement {
        by: per(p),
        stance: Stance::Support,
        summary: "Lights first".into(),
    }
}

fn closed() -> E {
    E::HearingClosed {
        findings: "Pave in spring".into(),
    }
}

#[test]
fn schedule_a_hearing() {
    given::<Hearing>(Vec::<E>::new())
        .ctx(|c| c.org(org(1)).proposal(prop(1)))
        .when(schedule())
        .then([scheduled()]);
}

#[test]
fn schedule_with_unknown_presiding_body_or_proposal_is_rejected() {
    given::<Hearing>(Vec::<E>::new())
        .ctx(|c| c.proposal(prop(1)))
        .when(schedule())
        .then_err(Rejection::UnknownOrganisation {
            role: "the presiding body",
            org: org(1),
        });
    given::<Hearing>(Vec::<E>::new())
        .ctx(|c| c.org(org(1)))
        .when(schedule())
        .then_err(Rejection::UnknownProposal { proposal: prop(1) });
}

#[test]
fn schedule_with_empty_topic_is_rejected() {
    given::<Hearing>(Vec::<E>::new())
        .ctx(|c| c.org(org(1)))
        .when(Command::Schedule {
            topic: "".into(),
            on: on(),
            venue: "hall".into(),
            presided_by: org(1),
            proposals: vec![],
        })
        .then_err(Rejection::EmptyText { field: "topic" });
}

#[test]
fn register_before_or_during_the_hearing() {
    for before in [vec![scheduled()], vec![scheduled(), E::HearingOpened]] {
        given::<Hearing>(before)
            .ctx(|c| c.person(per(1)))
            .when(Command::Register {
                person: per(1),
                role: HearingRole::Speaker,
            })
            .then([registered(1)]);
    }
}

#[test]
fn register_after_close_is_rejected() {
    given::<Hearing>([scheduled(), E::HearingOpened, closed()])
        .ctx(|c| c.person(per(1)))
        .when(Command::Register {
            person: per(1),
            role: HearingRole::Speaker,
        })
        .then_err(Rejection::HearingOver { status: "closed" });
}

#[test]
fn register_twice_or_unknown_is_rejected() {
    given::<Hearing>([scheduled(), registered(1)])
        .ctx(|c| c.person(per(1)))
        .when(Command::Register {
            person: per(1),
            role: HearingRole::Resident,
        })
        .then_err(Rejection::AlreadyRegistered);
    given::<Hearing>([scheduled()])
        .when(Command::Register {
            person: per(2),
            role: HearingRole::Resident,
        })
        .then_err(Rejection::UnknownPerson {
            role: "a participant",
            person: per(2),
        });
}

#[test]
fn open_only_when_scheduled() {
    given::<Hearing>([scheduled()])
        .when(Command::Open)
        .then([E::HearingOpened]);
    given::<Hearing>([scheduled(), E::HearingOpened])
        .when(Command::Open)
        .then_err(Rejection::NotScheduled { status: "open" });
}

#[test]
fn statements_by_registered_participants_while_open() {
    given::<Hearing>([scheduled(), registered(1), E::HearingOpened])
        .when(statement(1))
        .then([E::StatementRecorded {
            by: per(1),
            stance: Stance::Support,
            summary: "Lights first".into(),
        }]);
}

#[test]
fn statements_before_opening_are_rejected() {
    given::<Hearing>([scheduled(), registered(1)])
        .when(statement(1))
        .then_err(Rejection::HearingNotOpen {
            status: "scheduled",
        });
}

#[test]
fn statements_by_unregistered_persons_are_rejected() {
    given::<Hearing>([scheduled(), registered(1), E::HearingOpened])
        .ctx(|c| c.person(per(2)))
        .when(statement(2))
        .then_err(Rejection::NotRegistered { person: per(2) });
}

#[test]
fn close_only_when_open() {
    given::<Hearing>([scheduled(), E::HearingOpened])
        .when(Command::Close {
            findings: "Pave in spring".into(),
        })
        .then([closed()]);
    given::<Hearing>([scheduled()])
        .when(Command::Close {
            findings: "f".into(),
        })
        .then_err(Rejection::HearingNotOpen {
            status: "scheduled",
        });
    given::<Hearing>([scheduled(), E::HearingOpened])
        .when(Command::Close {
            findings: "".into(),
        })
        .then_err(Rejection::EmptyText { field: "findings" });
}

#[test]
fn cancel_a_scheduled_hearing_then_nothing_more() {
    given::<Hearing>([scheduled()])
        .when(Command::Cancel {
            reason: "typhoon".into(),
        })
        .then([E::HearingCancelled {
            reason: "typhoon".into(),
        }]);
    let cancelled = [
        scheduled(),
        registered(1),
        E::HearingCancelled {
            reason: "typhoon".into(),
        },
    ];
    for cmd in [
        Command::Open,
        statement(1),
        Command::Cancel { reason: "r".into() },
    ] {
        given::<Hearing>(cancelled.clone())
            .when(cmd)
            .then_err(Rejection::HearingOver {
                status: "cancelled",
            });
    }
}

#[test]
fn a_closed_hearing_takes_nothing_more() {
    given::<Hearing>([scheduled(), registered(1), E::HearingOpened, closed()])
        .when(statement(1))
        .then_err(Rejection::HearingOver { status: "closed" });
}
