use super::*;
use crate::testing::{bal, cons, given, hear, long, org, per, stream};
use crate::BasisFacts;
use delib_events::proposal::ProposalEvent as E;

const AUTHOR: u128 = 1;

fn submit() -> Command {
    Command::Submit {
        title: "Street lights for Shibei".into(),
        body: "No lights, no wall, no paved road.".into(),
        category: Category::Infrastructure,
        author: per(AUTHOR),
        community: Some(org(1)),
    }
}

fn submitted() -> E {
    E::ProposalSubmitted {
        proposal: ProposalId::new(stream()),
        number: 1,
        title: "Street lights for Shibei".into(),
        body: "No lights, no wall, no paved road.".into(),
        category: Category::Infrastructure,
        author: per(AUTHOR),
        community: Some(org(1)),
    }
}

fn decided(outcome: Outcome) -> E {
    E::ProposalDecided {
        outcome,
        basis: Basis::Hearing(hear(1)),
        note: None,
    }
}

fn closed_hearing(c: Context) -> Context {
    c.basis(BasisFacts {
        basis: Basis::Hearing(hear(1)),
        concluded: true,
        first_option_won: false,
    })
}

fn ballot_facts(won: bool) -> impl FnOnce(Context) -> Context {
    move |c| {
        c.basis(BasisFacts {
            basis: Basis::Ballot(bal(1)),
            concluded: true,
            first_option_won: won,
        })
    }
}

fn decide_on_ballot(outcome: Outcome) -> Command {
    Command::Decide {
        outcome,
        basis: Basis::Ballot(bal(1)),
        note: None,
    }
}

#[test]
fn submit_by_a_person_is_accepted() {
    given::<Proposal>(Vec::<E>::new())
        .ctx(|c| c.person(per(AUTHOR)).org(org(1)))
        .when(submit())
        .then([submitted()]);
}

#[test]
fn submit_by_an_unknown_person_is_rejected() {
    given::<Proposal>(Vec::<E>::new())
        .ctx(|c| c.org(org(1)))
        .when(submit())
        .then_err(Rejection::UnknownPerson {
            role: "the author",
            person: per(AUTHOR),
        });
}

#[test]
fn submit_in_an_unknown_community_is_rejected() {
    given::<Proposal>(Vec::<E>::new())
        .ctx(|c| c.person(per(AUTHOR)))
        .when(submit())
        .then_err(Rejection::UnknownOrganisation {
            role: "the community",
            org: org(1),
        });
}

#[test]
fn submit_twice_is_rejected() {
    given::<Proposal>([submitted()])
        .ctx(|c| c.person(per(AUTHOR)).org(org(1)))
        .when(submit())
        .then_err(Rejection::AlreadyExists { what: "proposal" });
}

#[test]
fn submit_with_empty_title_is_rejected() {
    let Command::Submit { body, .. } = submit() else {
        unreachable!()
    };
    given::<Proposal>(Vec::<E>::new())
        .ctx(|c| c.person(per(AUTHOR)))
        .when(Command::Submit {
            title: "  ".into(),
            body,
            category: Category::Parking,
            author: per(AUTHOR),
            community: None,
        })
        .then_err(Rejection::EmptyText { field: "title" });
}

#[test]
fn submit_with_overlong_title_or_body_is_rejected() {
    given::<Proposal>(Vec::<E>::new())
        .ctx(|c| c.person(per(AUTHOR)))
        .when(Command::Submit {
            title: long(201),
            body: "b".into(),
            category: Category::Parking,
            author: per(AUTHOR),
            community: None,
        })
        .then_err(Rejection::TooLong {
            field: "title",
            max: 200,
            len: 201,
        });
    given::<Proposal>(Vec::<E>::new())
        .ctx(|c| c.person(per(AUTHOR)))
        .when(Command::Submit {
            title: long(200),
            body: long(10_001),
            category: Category::Parking,
            author: per(AUTHOR),
            community: None,
        })
        .then_err(Rejection::TooLong {
            field: "body",
            max: 10_000,
            len: 10_001,
        });
}

#[test]
fn submit_with_reference_number_zero_is_rejected() {
    given::<Proposal>(Vec::<E>::new())
        .ctx(|c| c.person(per(AUTHOR)).org(org(1)).numbered(0))
        .when(submit())
        .then_err(Rejection::ZeroNumber);
}

#[test]
fn acts_on_an_unknown_proposal_are_rejected() {
    given::<Proposal>(Vec::<E>::new())
        .when(Command::Admit)
        .then_err(Rejection::NotFound { what: "proposal" });
}

#[test]
fn an_act_earlier_than_the_last_is_rejected() {
    given::<Proposal>([submitted()])
        .ctx(|c| c.after(Timestamp::from_micros(2_000)))
        .when(Command::Admit)
        .then_err(Rejection::OutOfOrder {
            at: Timestamp::from_micros(1_000),
            last: Timestamp::from_micros(2_000),
        });
}

#[test]
fn an_act_at_the_same_time_as_the_last_is_accepted() {
    given::<Proposal>([submitted()])
        .ctx(|c| c.after(Timestamp::from_micros(1_000)))
        .when(Command::Admit)
        .then([E::ProposalAdmitted]);
}

#[test]
fn another_person_cosigns() {
    given::<Proposal>([submitted()])
        .ctx(|c| c.person(per(2)))
        .when(Command::Cosign { by: per(2) })
        .then([E::ProposalCosigned { by: per(2) }]);
}

#[test]
fn the_author_cannot_cosign() {
    given::<Proposal>([submitted()])
        .ctx(|c| c.person(per(AUTHOR)))
        .when(Command::Cosign { by: per(AUTHOR) })
        .then_err(Rejection::AuthorCosign);
}

#[test]
fn a_cosigner_must_be_a_person() {
    given::<Proposal>([submitted()])
        .when(Command::Cosign { by: per(2) })
        .then_err(Rejection::UnknownPerson {
            role: "a co-signer",
            person: per(2),
        });
}

#[test]
fn a_person_cosigns_once() {
    given::<Proposal>([submitted(), E::ProposalCosigned { by: per(2) }])
        .ctx(|c| c.person(per(2)))
        .when(Command::Cosign { by: per(2) })
        .then_err(Rejection::AlreadyCosigned);
}

#[test]
fn cosigning_after_a_decision_is_rejected() {
    given::<Proposal>([submitted(), E::ProposalAdmitted, decided(Outcome::Rejected)])
        .ctx(|c| c.person(per(2)))
        .when(Command::Cosign { by: per(2) })
        .then_err(Rejection::CosignClosed { status: "rejected" });
}

#[test]
fn admit_a_submitted_proposal() {
    given::<Proposal>([submitted()])
        .when(Command::Admit)
        .then([E::ProposalAdmitted]);
}

#[test]
fn admit_twice_is_rejected() {
    given::<Proposal>([submitted(), E::ProposalAdmitted])
        .when(Command::Admit)
        .then_err(Rejection::NotSubmitted { status: "admitted" });
}

#[test]
fn return_a_submitted_proposal() {
    given::<Proposal>([submitted()])
        .when(Command::Return {
            reason: "out of scope".into(),
        })
        .then([E::ProposalReturned {
            reason: "out of scope".into(),
        }]);
}

#[test]
fn return_an_adopted_proposal_is_rejected() {
    given::<Proposal>([submitted(), E::ProposalAdmitted, decided(Outcome::Adopted)])
        .when(Command::Return {
            reason: "late".into(),
        })
        .then_err(Rejection::NotSubmitted { status: "adopted" });
}

#[test]
fn return_without_reason_is_rejected() {
    given::<Proposal>([submitted()])
        .when(Command::Return { reason: "".into() })
        .then_err(Rejection::EmptyText { field: "reason" });
}

#[test]
fn decide_an_admitted_proposal_on_a_closed_hearing() {
    given::<Proposal>([submitted(), E::ProposalAdmitted])
        .ctx(closed_hearing)
        .when(Command::Decide {
            outcome: Outcome::Adopted,
            basis: Basis::Hearing(hear(1)),
            note: Some(" ".into()),
        })
        .then([decided(Outcome::Adopted)]);
}

#[test]
fn decide_a_submitted_proposal_is_rejected() {
    given::<Proposal>([submitted()])
        .ctx(closed_hearing)
        .when(Command::Decide {
            outcome: Outcome::Adopted,
            basis: Basis::Hearing(hear(1)),
            note: None,
        })
        .then_err(Rejection::NotAdmitted {
            status: "submitted",
        });
}

#[test]
fn decide_twice_is_rejected() {
    given::<Proposal>([submitted(), E::ProposalAdmitted, decided(Outcome::Adopted)])
        .ctx(closed_hearing)
        .when(Command::Decide {
            outcome: Outcome::Rejected,
            basis: Basis::Hearing(hear(1)),
            note: None,
        })
        .then_err(Rejection::NotAdmitted { status: "adopted" });
}

#[test]
fn decide_on_an_unknown_basis_is_rejected() {
    given::<Proposal>([submitted(), E::ProposalAdmitted])
        .ctx(closed_hearing)
        .when(Command::Decide {
            outcome: Outcome::Adopted,
            basis: Basis::Consultation(cons(9)),
            note: None,
        })
        .then_err(Rejection::UnknownBasis {
            basis: format!("consultation {}", cons(9)),
        });
}

#[test]
fn decide_on_an_unconcluded_basis_is_rejected() {
    given::<Proposal>([submitted(), E::ProposalAdmitted])
        .ctx(|c| {
            c.basis(BasisFacts {
                basis: Basis::Consultation(cons(1)),
                concluded: false,
                first_option_won: false,
            })
        })
        .when(Command::Decide {
            outcome: Outcome::Adopted,
            basis: Basis::Consultation(cons(1)),
            note: None,
        })
        .then_err(Rejection::BasisNotConcluded {
            basis: format!("consultation {}", cons(1)),
        });
}

#[test]
fn adopt_on_a_ballot_whose_first_option_won() {
    given::<Proposal>([submitted(), E::ProposalAdmitted])
        .ctx(ballot_facts(true))
        .when(decide_on_ballot(Outcome::Adopted))
        .then([E::ProposalDecided {
            outcome: Outcome::Adopted,
            basis: Basis::Ballot(bal(1)),
            note: None,
        }]);
}

#[test]
fn adopt_on_a_ballot_whose_first_option_lost_is_rejected() {
    given::<Proposal>([submitted(), E::ProposalAdmitted])
        .ctx(ballot_facts(false))
        .when(decide_on_ballot(Outcome::Adopted))
        .then_err(Rejection::BallotDisagrees { won: "did not win" });
}

#[test]
fn reject_on_a_ballot_whose_first_option_won_is_rejected() {
    given::<Proposal>([submitted(), E::ProposalAdmitted])
        .ctx(ballot_facts(true))
        .when(decide_on_ballot(Outcome::Rejected))
        .then_err(Rejection::BallotDisagrees { won: "won" });
}

#[test]
fn reject_on_a_ballot_without_result_is_accepted() {
    given::<Proposal>([submitted(), E::ProposalAdmitted])
        .ctx(ballot_facts(false))
        .when(decide_on_ballot(Outcome::Rejected))
        .accepted();
}

#[test]
fn withdraw_before_a_decision() {
    for before in [vec![submitted()], vec![submitted(), E::ProposalAdmitted]] {
        given::<Proposal>(before)
            .when(Command::Withdraw {
                reason: "solved".into(),
            })
            .then([E::ProposalWithdrawn {
                reason: "solved".into(),
            }]);
    }
}

#[test]
fn withdraw_after_a_decision_is_rejected() {
    given::<Proposal>([submitted(), E::ProposalAdmitted, decided(Outcome::Adopted)])
        .when(Command::Withdraw {
            reason: "solved".into(),
        })
        .then_err(Rejection::WithdrawAfterDecision { status: "adopted" });
}

fn adopted() -> Vec<E> {
    vec![submitted(), E::ProposalAdmitted, decided(Outcome::Adopted)]
}

#[test]
fn assign_an_adopted_proposal() {
    given::<Proposal>(adopted())
        .ctx(|c| c.org(org(2)))
        .when(Command::Assign {
            to: org(2),
            due: None,
        })
        .then([E::ProposalAssigned {
            to: org(2),
            due: None,
        }]);
}

#[test]
fn assign_to_an_unknown_organisation_is_rejected() {
    given::<Proposal>(adopted())
        .when(Command::Assign {
            to: org(2),
            due: None,
        })
        .then_err(Rejection::UnknownOrganisation {
            role: "the implementing organisation",
            org: org(2),
        });
}

#[test]
fn assign_progress_or_complete_a_rejected_proposal_is_rejected() {
    let rejected = vec![submitted(), E::ProposalAdmitted, decided(Outcome::Rejected)];
    for cmd in [
        Command::Assign {
            to: org(2),
            due: None,
        },
        Command::Progress {
            percent: 10,
            note: None,
        },
        Command::Complete {
            summary: "done".into(),
        },
    ] {
        given::<Proposal>(rejected.clone())
            .ctx(|c| c.org(org(2)))
            .when(cmd)
            .then_err(Rejection::NotAdopted { status: "rejected" });
    }
}

#[test]
fn progress_goes_forward() {
    let mut events = adopted();
    events.push(E::ProgressReported {
        percent: 40,
        note: None,
    });
    for percent in [40, 100] {
        given::<Proposal>(events.clone())
            .when(Command::Progress {
                percent,
                note: None,
            })
            .then([E::ProgressReported {
                percent,
                note: None,
            }]);
    }
}

#[test]
fn progress_backwards_is_rejected() {
    let mut events = adopted();
    events.push(E::ProgressReported {
        percent: 40,
        note: None,
    });
    given::<Proposal>(events)
        .when(Command::Progress {
            percent: 39,
            note: None,
        })
        .then_err(Rejection::ProgressBackwards { from: 40, to: 39 });
}

#[test]
fn progress_above_100_is_rejected() {
    given::<Proposal>(adopted())
        .when(Command::Progress {
            percent: 101,
            note: None,
        })
        .then_err(Rejection::ProgressOutOfRange(101));
}

#[test]
fn complete_an_adopted_proposal_then_nothing_more() {
    given::<Proposal>(adopted())
        .when(Command::Complete {
            summary: "lights installed".into(),
        })
        .then([E::ProposalCompleted {
            summary: "lights installed".into(),
        }]);
    let mut events = adopted();
    events.push(E::ProposalCompleted {
        summary: "lights installed".into(),
    });
    given::<Proposal>(events)
        .when(Command::Progress {
            percent: 100,
            note: None,
        })
        .then_err(Rejection::NotAdopted {
            status: "completed",
        });
}

#[test]
fn state_follows_the_life_of_a_proposal() {
    let mut events = adopted();
    events.push(E::ProposalCosigned { by: per(2) });
    events.push(E::ProgressReported {
        percent: 50,
        note: None,
    });
    let g = given::<Proposal>(events);
    let s = g.state();
    assert_eq!(s.status, Some(Status::InProgress));
    assert_eq!(s.progress, 50);
    assert_eq!(s.cosigners, vec![per(2)]);
    assert_eq!(s.author, Some(per(AUTHOR)));
}

#[test]
fn every_status_is_spelled_as_in_the_cli_and_parses_back() {
    // given every status; then each spelling parses back to it, and nothing else parses
    for status in Status::ALL {
        assert_eq!(Status::parse(status.as_str()), Some(status));
    }
    assert_eq!(Status::InProgress.as_str(), "in-progress");
    assert_eq!(Status::parse("absent"), None);
    assert_eq!(Status::parse("In-Progress"), None);
}

#[test]
fn the_status_a_decision_enters_follows_its_outcome() {
    // given a decision of each outcome; then it enters adopted or rejected, and a co-signature
    // leaves the status as it is
    assert_eq!(
        Status::entered_by(&decided(Outcome::Adopted)),
        Some(Status::Adopted)
    );
    assert_eq!(
        Status::entered_by(&decided(Outcome::Rejected)),
        Some(Status::Rejected)
    );
    assert_eq!(
        Status::entered_by(&E::ProposalCosigned { by: per(2) }),
        None
    );
}
