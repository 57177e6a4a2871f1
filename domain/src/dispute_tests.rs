use super::*;
use crate::testing::{given, org, per, stream};
use delib_events::dispute::DisputeEvent as E;

const OWNERS: u128 = 1;
const DEVELOPER: u128 = 2;
const HOA: u128 = 3;
const BRANCH: u128 = 4;

fn party(o: u128, side: &str) -> DisputeParty {
    DisputeParty {
        org: org(o),
        side: side.into(),
    }
}

fn parties() -> Vec<DisputeParty> {
    vec![party(OWNERS, "owners"), party(DEVELOPER, "developer")]
}

fn file(parties: Vec<DisputeParty>) -> Command {
    Command::File {
        title: "Property management".into(),
        subject: "Owners dissatisfied with the property company".into(),
        parties,
    }
}

fn filed() -> E {
    E::DisputeFiled {
        dispute: DisputeId::new(stream()),
        number: 1,
        title: "Property management".into(),
        subject: "Owners dissatisfied with the property company".into(),
        parties: parties(),
    }
}

fn orgs(c: Context) -> Context {
    (1..=5).map(org).fold(c, Context::org)
}

fn failed_by(o: u128) -> E {
    E::MediationAttempted {
        by: org(o),
        outcome: MediationOutcome::Failed,
        note: None,
    }
}

fn resolved() -> E {
    E::DisputeResolved {
        resolution: "Replace the property company".into(),
        terms: vec!["tender within 3 months".into()],
    }
}

fn rep(p: u128, side: &str) -> SideRepresentative {
    SideRepresentative {
        person: per(p),
        side: side.into(),
    }
}

#[test]
fn file_a_dispute_between_two_sides() {
    given::<Dispute>(Vec::<E>::new())
        .ctx(orgs)
        .when(file(parties()))
        .then([filed()]);
}

#[test]
fn a_dispute_needs_two_parties_on_two_sides() {
    given::<Dispute>(Vec::<E>::new())
        .ctx(orgs)
        .when(file(vec![party(OWNERS, "owners")]))
        .then_err(Rejection::TooFewSides);
    given::<Dispute>(Vec::<E>::new())
        .ctx(orgs)
        .when(file(vec![party(OWNERS, "a"), party(DEVELOPER, "a")]))
        .then_err(Rejection::TooFewSides);
}

#[test]
fn parties_are_registered_organisations_each_once() {
    given::<Dispute>(Vec::<E>::new())
        .ctx(orgs)
        .when(file(vec![party(OWNERS, "a"), party(OWNERS, "b")]))
        .then_err(Rejection::DuplicateParty(org(OWNERS)));
    given::<Dispute>(Vec::<E>::new())
        .ctx(orgs)
        .when(file(vec![party(OWNERS, "a"), party(9, "b")]))
        .then_err(Rejection::UnknownOrganisation {
            role: "a party",
            org: org(9),
        });
}

#[test]
fn file_with_empty_title_is_rejected() {
    given::<Dispute>(Vec::<E>::new())
        .ctx(orgs)
        .when(Command::File {
            title: "".into(),
            subject: "s".into(),
            parties: parties(),
        })
        .then_err(Rejection::EmptyText { field: "title" });
}

#[test]
fn mediation_attempts_may_fail_repeatedly_while_unresolved() {
    given::<Dispute>([filed(), failed_by(HOA)])
        .ctx(orgs)
        .when(Command::Mediate {
            by: org(5),
            outcome: MediationOutcome::Failed,
            note: None,
        })
        .then([failed_by(5)]);
}

#[test]
fn mediation_by_an_unknown_body_is_rejected() {
    given::<Dispute>([filed()])
        .when(Command::Mediate {
            by: org(HOA),
            outcome: MediationOutcome::Failed,
            note: None,
        })
        .then_err(Rejection::UnknownOrganisation {
            role: "the mediator",
            org: org(HOA),
        });
}

#[test]
fn escalate_while_unresolved() {
    given::<Dispute>([filed(), failed_by(HOA)])
        .ctx(orgs)
        .when(Command::Escalate {
            to: org(BRANCH),
            reason: "two mediations failed".into(),
        })
        .then([E::DisputeEscalated {
            to: org(BRANCH),
            reason: "two mediations failed".into(),
        }]);
}

#[test]
fn negotiate_with_representatives_of_both_sides() {
    given::<Dispute>([filed()])
        .ctx(|c| orgs(c).person(per(1)).person(per(2)))
        .when(Command::Negotiate {
            presided_by: org(BRANCH),
            representatives: vec![rep(1, "owners"), rep(2, "developer")],
        })
        .then([E::NegotiationHeld {
            presided_by: org(BRANCH),
            representatives: vec![rep(1, "owners"), rep(2, "developer")],
        }]);
}

#[test]
fn negotiation_rules_on_representatives() {
    let g = || given::<Dispute>([filed()]).ctx(|c| orgs(c).person(per(1)).person(per(2)));
    g().when(Command::Negotiate {
        presided_by: org(BRANCH),
        representatives: vec![rep(1, "owners"), rep(2, "owners")],
    })
    .then_err(Rejection::TooFewRepresentedSides);
    g().when(Command::Negotiate {
        presided_by: org(BRANCH),
        representatives: vec![rep(1, "owners"), rep(2, "tenants")],
    })
    .then_err(Rejection::UnknownSide("tenants".into()));
    g().when(Command::Negotiate {
        presided_by: org(BRANCH),
        representatives: vec![rep(1, "owners"), rep(7, "developer")],
    })
    .then_err(Rejection::UnknownPerson {
        role: "a representative",
        person: per(7),
    });
}

#[test]
fn resolve_once() {
    given::<Dispute>([filed()])
        .when(Command::Resolve {
            resolution: "Replace the property company".into(),
            terms: vec!["tender within 3 months".into()],
        })
        .then([resolved()]);
    given::<Dispute>([filed(), resolved()])
        .when(Command::Resolve {
            resolution: "again".into(),
            terms: vec![],
        })
        .then_err(Rejection::DisputeNotOpen { status: "resolved" });
}

#[test]
fn mediation_after_resolution_is_rejected() {
    given::<Dispute>([filed(), resolved()])
        .ctx(orgs)
        .when(Command::Mediate {
            by: org(HOA),
            outcome: MediationOutcome::Succeeded,
            note: None,
        })
        .then_err(Rejection::DisputeNotOpen { status: "resolved" });
}

#[test]
fn implement_only_after_resolution() {
    given::<Dispute>([filed()])
        .when(Command::Implement {
            note: "new company".into(),
        })
        .then_err(Rejection::NotResolved { status: "filed" });
    given::<Dispute>([filed(), resolved()])
        .when(Command::Implement {
            note: "new company".into(),
        })
        .then([E::ResolutionImplemented {
            note: "new company".into(),
        }]);
}

#[test]
fn close_only_after_implementation_or_withdrawal() {
    given::<Dispute>([filed(), resolved()])
        .when(Command::Close)
        .then_err(Rejection::CloseTooEarly { status: "resolved" });
    given::<Dispute>([
        filed(),
        resolved(),
        E::ResolutionImplemented {
            note: "done".into(),
        },
    ])
    .when(Command::Close)
    .then([E::DisputeClosed]);
    given::<Dispute>([filed(), E::DisputeWithdrawn { reason: "r".into() }])
        .when(Command::Close)
        .then([E::DisputeClosed]);
}

#[test]
fn withdraw_only_while_unresolved() {
    given::<Dispute>([filed()])
        .when(Command::Withdraw {
            reason: "settled privately".into(),
        })
        .then([E::DisputeWithdrawn {
            reason: "settled privately".into(),
        }]);
    given::<Dispute>([filed(), resolved()])
        .when(Command::Withdraw { reason: "r".into() })
        .then_err(Rejection::DisputeNotOpen { status: "resolved" });
}

#[test]
fn nothing_after_close() {
    let closed = [
        filed(),
        E::DisputeWithdrawn { reason: "r".into() },
        E::DisputeClosed,
    ];
    for cmd in [
        Command::Close,
        Command::Withdraw { reason: "r".into() },
        Command::Implement { note: "n".into() },
    ] {
        given::<Dispute>(closed.clone())
            .ctx(orgs)
            .when(cmd)
            .then_err(Rejection::DisputeClosed);
    }
}

#[test]
fn the_property_dispute_of_the_article() {
    let g = given::<Dispute>([
        filed(),
        failed_by(HOA),
        failed_by(5),
        E::DisputeEscalated {
            to: org(BRANCH),
            reason: "mediation failed".into(),
        },
        E::NegotiationHeld {
            presided_by: org(BRANCH),
            representatives: vec![rep(1, "owners"), rep(2, "developer")],
        },
        resolved(),
        E::ResolutionImplemented {
            note: "property company replaced".into(),
        },
    ]);
    assert_eq!(g.state().status, Some(Status::Implemented));
    g.when(Command::Close).then([E::DisputeClosed]);
}
