use super::*;
use crate::testing::{given, org, prop, stream};
use delib_events::consultation::ConsultationEvent as E;

const COMMITTEE: u128 = 1;
const A: u128 = 2;
const B: u128 = 3;
const OUTSIDER: u128 = 4;

fn convene(parties: Vec<OrgId>) -> Command {
    Command::Convene {
        topic: "Boundary wall".into(),
        format: ConsultationFormat::JointMeeting,
        convened_by: org(COMMITTEE),
        parties,
        proposals: vec![prop(1)],
    }
}

fn convened() -> E {
    E::ConsultationConvened {
        consultation: ConsultationId::new(stream()),
        number: 1,
        topic: "Boundary wall".into(),
        format: ConsultationFormat::JointMeeting,
        convened_by: org(COMMITTEE),
        parties: vec![org(A), org(B)],
        proposals: vec![prop(1)],
    }
}

fn known(c: Context) -> Context {
    (1..=4).map(org).fold(c, Context::org).proposal(prop(1))
}

fn agreed() -> E {
    E::AgreementReached {
        terms: vec!["units share the cost".into()],
    }
}

fn committed(n: u64) -> E {
    E::CommitmentMade {
        commitment: n,
        party: org(A),
        text: "build the wall".into(),
        due: None,
    }
}

#[test]
fn convene_between_parties() {
    given::<Consultation>(Vec::<E>::new())
        .ctx(known)
        .when(convene(vec![org(A), org(B)]))
        .then([convened()]);
}

#[test]
fn convene_needs_two_distinct_known_parties() {
    given::<Consultation>(Vec::<E>::new())
        .ctx(known)
        .when(convene(vec![org(A)]))
        .then_err(Rejection::TooFewParties);
    given::<Consultation>(Vec::<E>::new())
        .ctx(known)
        .when(convene(vec![org(A), org(A)]))
        .then_err(Rejection::TooFewParties);
    given::<Consultation>(Vec::<E>::new())
        .ctx(known)
        .when(convene(vec![org(A), org(9)]))
        .then_err(Rejection::UnknownOrganisation {
            role: "a party",
            org: org(9),
        });
}

#[test]
fn positions_only_from_parties() {
    given::<Consultation>([convened()])
        .when(Command::Position {
            party: org(A),
            statement: "we pay half".into(),
        })
        .then([E::PositionStated {
            party: org(A),
            statement: "we pay half".into(),
        }]);
    given::<Consultation>([convened()])
        .when(Command::Position {
            party: org(OUTSIDER),
            statement: "s".into(),
        })
        .then_err(Rejection::NotAParty {
            act: "state a position",
            org: org(OUTSIDER),
        });
}

#[test]
fn agree_once() {
    given::<Consultation>([convened()])
        .when(Command::Agree {
            terms: vec!["units share the cost".into()],
        })
        .then([agreed()]);
    given::<Consultation>([convened(), agreed()])
        .when(Command::Agree {
            terms: vec!["again".into()],
        })
        .then_err(Rejection::ConsultationConcluded { status: "agreed" });
}

#[test]
fn an_agreement_has_terms() {
    given::<Consultation>([convened()])
        .when(Command::Agree { terms: vec![] })
        .then_err(Rejection::NoTerms);
    given::<Consultation>([convened()])
        .when(Command::Agree {
            terms: vec![" ".into()],
        })
        .then_err(Rejection::EmptyText { field: "term" });
}

#[test]
fn fail_once_and_not_after_agreement() {
    given::<Consultation>([convened()])
        .when(Command::Fail {
            reason: "no funds".into(),
        })
        .then([E::ConsultationFailed {
            reason: "no funds".into(),
        }]);
    given::<Consultation>([convened(), agreed()])
        .when(Command::Fail { reason: "r".into() })
        .then_err(Rejection::ConsultationConcluded { status: "agreed" });
    given::<Consultation>([convened(), E::ConsultationFailed { reason: "r".into() }])
        .when(Command::Agree {
            terms: vec!["t".into()],
        })
        .then_err(Rejection::ConsultationConcluded { status: "failed" });
}

#[test]
fn commitments_only_after_agreement_by_a_party() {
    let commit = |party| Command::Commit {
        party,
        text: "build the wall".into(),
        due: None,
    };
    given::<Consultation>([convened()])
        .when(commit(org(A)))
        .then_err(Rejection::NotAgreed { status: "convened" });
    given::<Consultation>([convened(), agreed()])
        .when(commit(org(OUTSIDER)))
        .then_err(Rejection::NotAParty {
            act: "commit",
            org: org(OUTSIDER),
        });
    given::<Consultation>([convened(), agreed(), committed(1)])
        .when(commit(org(A)))
        .then([committed(2)]);
}

#[test]
fn each_commitment_is_fulfilled_at_most_once() {
    let fulfil = |n| Command::Fulfil {
        commitment: n,
        note: None,
    };
    given::<Consultation>([convened(), agreed(), committed(1)])
        .when(fulfil(1))
        .then([E::CommitmentFulfilled {
            commitment: 1,
            note: None,
        }]);
    given::<Consultation>([
        convened(),
        agreed(),
        committed(1),
        E::CommitmentFulfilled {
            commitment: 1,
            note: None,
        },
    ])
    .when(fulfil(1))
    .then_err(Rejection::CommitmentFulfilled(1));
    given::<Consultation>([convened(), agreed(), committed(1)])
        .when(fulfil(2))
        .then_err(Rejection::UnknownCommitment(2));
}
