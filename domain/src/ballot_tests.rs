use super::*;
use crate::testing::{bal, given, long, per, prop, stream};
use delib_events::ballot::BallotEvent as E;

fn s(v: &str) -> String {
    v.to_owned()
}

fn ratio(num: u64, den: u64) -> Ratio {
    Ratio { num, den }
}

fn roll() -> Vec<PersonId> {
    (1..=4).map(per).collect()
}

fn open_cmd(secret: bool) -> Command {
    Command::Open {
        question: s("Replace the property company?"),
        options: vec![s("yes"), s("no"), s("abstain")],
        electorate: roll(),
        quorum: ratio(1, 2),
        threshold: Threshold::Majority,
        secret,
        proposal: Some(prop(1)),
        tellers: vec![],
    }
}

fn opened(secret: bool) -> E {
    E::BallotOpened {
        ballot: BallotId::new(stream()),
        number: 1,
        question: s("Replace the property company?"),
        options: vec![s("yes"), s("no"), s("abstain")],
        electorate: roll(),
        quorum: ratio(1, 2),
        threshold: Threshold::Majority,
        secret,
        proposal: Some(prop(1)),
    }
}

fn known(c: Context) -> Context {
    roll()
        .into_iter()
        .fold(c, Context::person)
        .proposal(prop(1))
}

fn with_options(options: Vec<String>) -> Command {
    let Command::Open {
        question,
        electorate,
        quorum,
        threshold,
        secret,
        proposal,
        ..
    } = open_cmd(false)
    else {
        unreachable!()
    };
    Command::Open {
        question,
        options,
        electorate,
        quorum,
        threshold,
        secret,
        proposal,
        tellers: vec![],
    }
}

fn cast(voter: u128, choice: &str) -> E {
    E::BallotCast {
        voter: per(voter),
        choice: Some(s(choice)),
    }
}

#[test]
fn open_a_ballot() {
    given::<Ballot>(Vec::<E>::new())
        .ctx(known)
        .when(open_cmd(false))
        .then([opened(false)]);
}

#[test]
fn a_ballot_needs_two_options() {
    given::<Ballot>(Vec::<E>::new())
        .ctx(known)
        .when(with_options(vec![s("yes")]))
        .then_err(Rejection::TooFewOptions);
}

#[test]
fn options_are_distinct_and_not_blank() {
    given::<Ballot>(Vec::<E>::new())
        .ctx(known)
        .when(with_options(vec![s("yes"), s("yes")]))
        .then_err(Rejection::DuplicateOption(s("yes")));
    given::<Ballot>(Vec::<E>::new())
        .ctx(known)
        .when(with_options(vec![s("yes"), s(" ")]))
        .then_err(Rejection::EmptyText { field: "option" });
    given::<Ballot>(Vec::<E>::new())
        .ctx(known)
        .when(with_options(vec![s("yes"), long(201)]))
        .then_err(Rejection::TooLong {
            field: "option",
            max: 200,
            len: 201,
        });
}

#[test]
fn quorum_is_in_zero_one() {
    for (q, ok) in [
        (ratio(0, 3), false),
        (ratio(4, 3), false),
        (ratio(1, 0), false),
        (ratio(1, 1000), true),
        (ratio(3, 3), true),
    ] {
        let Command::Open {
            question,
            options,
            electorate,
            threshold,
            secret,
            proposal,
            ..
        } = open_cmd(false)
        else {
            unreachable!()
        };
        let t = given::<Ballot>(Vec::<E>::new())
            .ctx(known)
            .when(Command::Open {
                question,
                options,
                electorate,
                quorum: q,
                threshold,
                secret,
                proposal,
                tellers: vec![],
            });
        if ok {
            t.accepted();
        } else {
            t.then_err(Rejection::QuorumOutOfRange(q.to_string()));
        }
    }
}

#[test]
fn the_electorate_is_registered_persons_each_once() {
    let open = |electorate: Vec<PersonId>| Command::Open {
        question: s("q"),
        options: vec![s("yes"), s("no")],
        electorate,
        quorum: ratio(1, 2),
        threshold: Threshold::Majority,
        secret: false,
        proposal: None,
        tellers: vec![],
    };
    given::<Ballot>(Vec::<E>::new())
        .ctx(known)
        .when(open(vec![]))
        .then_err(Rejection::EmptyElectorate);
    given::<Ballot>(Vec::<E>::new())
        .ctx(known)
        .when(open(vec![per(1), per(1)]))
        .then_err(Rejection::DuplicateVoter(per(1)));
    given::<Ballot>(Vec::<E>::new())
        .ctx(known)
        .when(open(vec![per(1), per(9)]))
        .then_err(Rejection::UnknownPerson {
            role: "a voter",
            person: per(9),
        });
}

#[test]
fn a_linked_proposal_must_exist() {
    given::<Ballot>(Vec::<E>::new())
        .ctx(|c| roll().into_iter().fold(c, Context::person))
        .when(open_cmd(false))
        .then_err(Rejection::UnknownProposal { proposal: prop(1) });
}

#[test]
fn open_twice_is_rejected() {
    given::<Ballot>([opened(false)])
        .ctx(known)
        .when(open_cmd(false))
        .then_err(Rejection::AlreadyExists { what: "ballot" });
}

#[test]
fn a_voter_on_the_roll_casts_for_an_offered_option() {
    given::<Ballot>([opened(false)])
        .when(Command::Cast {
            voter: per(1),
            choice: s("yes"),
        })
        .then([cast(1, "yes")]);
}

#[test]
fn a_voter_not_on_the_roll_is_rejected() {
    given::<Ballot>([opened(false)])
        .ctx(|c| c.person(per(9)))
        .when(Command::Cast {
            voter: per(9),
            choice: s("yes"),
        })
        .then_err(Rejection::NotOnRoll(per(9)));
}

#[test]
fn a_voter_casts_once() {
    given::<Ballot>([opened(false), cast(1, "yes")])
        .when(Command::Cast {
            voter: per(1),
            choice: s("no"),
        })
        .then_err(Rejection::AlreadyVoted(per(1)));
}

#[test]
fn a_choice_not_offered_is_rejected() {
    given::<Ballot>([opened(false)])
        .when(Command::Cast {
            voter: per(1),
            choice: s("maybe"),
        })
        .then_err(Rejection::NotAnOption(s("maybe")));
}

#[test]
fn casting_after_close_is_rejected() {
    given::<Ballot>([
        opened(false),
        E::BallotClosed {
            counts: vec![],
            cast: 0,
            electorate: 4,
            quorum_met: false,
            result: None,
        },
    ])
    .when(Command::Cast {
        voter: per(1),
        choice: s("yes"),
    })
    .then_err(Rejection::BallotNotOpen { status: "closed" });
}

#[test]
fn casting_on_an_unknown_ballot_is_rejected() {
    given::<Ballot>(Vec::<E>::new())
        .when(Command::Close)
        .then_err(Rejection::NotFound { what: "ballot" });
}

fn counts(yes: u64, no: u64, abstain: u64) -> Vec<OptionCount> {
    vec![
        OptionCount {
            option: s("yes"),
            count: yes,
        },
        OptionCount {
            option: s("no"),
            count: no,
        },
        OptionCount {
            option: s("abstain"),
            count: abstain,
        },
    ]
}

#[test]
fn close_records_the_tally() {
    given::<Ballot>([opened(false), cast(1, "yes"), cast(2, "yes"), cast(3, "no")])
        .when(Command::Close)
        .then([E::BallotClosed {
            counts: counts(2, 1, 0),
            cast: 3,
            electorate: 4,
            quorum_met: true,
            result: Some(s("yes")),
        }]);
}

#[test]
fn close_twice_is_rejected() {
    given::<Ballot>([
        opened(false),
        E::BallotClosed {
            counts: counts(0, 0, 0),
            cast: 0,
            electorate: 4,
            quorum_met: false,
            result: None,
        },
    ])
    .when(Command::Close)
    .then_err(Rejection::BallotNotOpen { status: "closed" });
}

#[test]
fn a_secret_cast_never_links_voter_and_choice() {
    let events = given::<Ballot>([opened(true)])
        .when(Command::Cast {
            voter: per(1),
            choice: s("no"),
        })
        .accepted();
    // only that the voter cast; the choice goes to the sealed urn, outside the log
    assert_eq!(
        events,
        vec![E::BallotCast {
            voter: per(1),
            choice: None
        }]
    );
    for e in &events {
        let linked = matches!(
            e,
            E::BallotCast {
                choice: Some(_),
                ..
            }
        );
        assert!(!linked, "{e:?}");
        assert!(!Event::from(e.clone()).summary().contains("no"));
    }
}

#[test]
fn a_secret_ballot_closes_with_the_urns_choices_one_per_cast() {
    let cast = |v: u128| E::BallotCast {
        voter: per(v),
        choice: None,
    };
    let events = vec![opened(true), cast(1), cast(2), cast(3)];
    let urn = vec![s("abstain"), s("no"), s("no")];
    given::<Ballot>(events.clone())
        .ctx(|c| Context {
            sealed_choices: Some(urn.clone()),
            ..c
        })
        .when(Command::Close)
        .then([E::BallotClosed {
            counts: counts(0, 2, 1),
            cast: 3,
            electorate: 4,
            quorum_met: true,
            result: Some(s("no")),
        }]);
    // a cast recorded after the urn was read: the urn is short, the close is refused
    given::<Ballot>(events)
        .ctx(|c| Context {
            sealed_choices: Some(urn[..2].to_vec()),
            ..c
        })
        .when(Command::Close)
        .then_err(Rejection::UrnIncomplete { cast: 3, sealed: 2 });
}

/// Ledgers recorded before the urn hold `SecretChoiceRecorded` events; they still tally.
#[test]
fn a_secret_ballot_is_tallied_from_sealed_choices_and_keeps_no_votes() {
    let sealed = |v: u128, c: &str| {
        [
            E::BallotCast {
                voter: per(v),
                choice: None,
            },
            E::SecretChoiceRecorded { choice: s(c) },
        ]
    };
    let mut events = vec![opened(true)];
    events.extend(sealed(1, "no"));
    events.extend(sealed(2, "no"));
    events.extend(sealed(3, "abstain"));
    let g = given::<Ballot>(events.clone());
    assert_eq!(g.state().voted.len(), 3);
    g.when(Command::Close).then([E::BallotClosed {
        counts: counts(0, 2, 1),
        cast: 3,
        electorate: 4,
        quorum_met: true,
        result: Some(s("no")),
    }]);
    given::<Ballot>(events)
        .when(Command::Cast {
            voter: per(1),
            choice: s("yes"),
        })
        .then_err(Rejection::AlreadyVoted(per(1)));
}

fn opts() -> Vec<String> {
    vec![s("yes"), s("no"), s("abstain")]
}

fn choices(yes: usize, no: usize, abstain: usize) -> Vec<String> {
    let mut v = vec![s("yes"); yes];
    v.extend(vec![s("no"); no]);
    v.extend(vec![s("abstain"); abstain]);
    v
}

#[test]
fn tally_without_quorum_has_no_result() {
    let t = tally(
        &opts(),
        &choices(2, 0, 0),
        5,
        ratio(1, 2),
        Threshold::Majority,
    );
    assert!(!t.quorum_met);
    assert_eq!(t.result, None);
    // exactly at the quorum is enough: turnout >= quorum
    let t = tally(
        &opts(),
        &choices(2, 0, 0),
        4,
        ratio(1, 2),
        Threshold::Majority,
    );
    assert!(t.quorum_met);
    assert_eq!(t.result, Some(s("yes")));
}

#[test]
fn abstentions_count_for_turnout_but_not_for_the_share() {
    // 1 yes, 0 no, 3 abstain: quorum of 4/4 met thanks to abstentions; yes has 1 of 1 non-abstaining
    let t = tally(
        &opts(),
        &choices(1, 0, 3),
        4,
        ratio(1, 1),
        Threshold::Unanimous,
    );
    assert!(t.quorum_met);
    assert_eq!(t.cast, 4);
    assert_eq!(t.result, Some(s("yes")));
    // nobody chose an option: no result
    let t = tally(
        &opts(),
        &choices(0, 0, 4),
        4,
        ratio(1, 2),
        Threshold::Majority,
    );
    assert_eq!(t.result, None);
}

#[test]
fn majority_is_more_than_half() {
    let t = tally(
        &opts(),
        &choices(2, 2, 1),
        5,
        ratio(1, 2),
        Threshold::Majority,
    );
    assert_eq!(t.result, None);
    let t = tally(
        &opts(),
        &choices(3, 2, 0),
        5,
        ratio(1, 2),
        Threshold::Majority,
    );
    assert_eq!(t.result, Some(s("yes")));
}

#[test]
fn two_thirds_is_at_least_two_thirds_exactly() {
    let t = tally(
        &opts(),
        &choices(2, 1, 0),
        3,
        ratio(1, 2),
        Threshold::TwoThirds,
    );
    assert_eq!(t.result, Some(s("yes")));
    let t = tally(
        &opts(),
        &choices(1999, 1001, 0),
        3000,
        ratio(1, 2),
        Threshold::TwoThirds,
    );
    assert_eq!(t.result, None);
    let t = tally(
        &opts(),
        &choices(2000, 1000, 5),
        3005,
        ratio(1, 2),
        Threshold::TwoThirds,
    );
    assert_eq!(t.result, Some(s("yes")));
}

#[test]
fn unanimous_is_all_non_abstaining() {
    let t = tally(
        &opts(),
        &choices(3, 1, 0),
        4,
        ratio(1, 2),
        Threshold::Unanimous,
    );
    assert_eq!(t.result, None);
    let t = tally(
        &opts(),
        &choices(0, 3, 1),
        4,
        ratio(1, 2),
        Threshold::Unanimous,
    );
    assert_eq!(t.result, Some(s("no")));
}

#[test]
fn basis_facts_of_a_closed_ballot_say_whether_the_first_option_won() {
    let closed = |result: Option<String>| {
        given::<Ballot>([
            opened(false),
            E::BallotClosed {
                counts: counts(0, 0, 0),
                cast: 0,
                electorate: 4,
                quorum_met: true,
                result,
            },
        ])
        .state()
        .clone()
    };
    let facts = crate::BasisFacts::ballot(bal(1), &closed(Some(s("yes"))));
    assert_eq!(
        facts.map(|f| (f.concluded, f.first_option_won)),
        Some((true, true))
    );
    let facts = crate::BasisFacts::ballot(bal(1), &closed(None));
    assert_eq!(
        facts.map(|f| (f.concluded, f.first_option_won)),
        Some((true, false))
    );
    let open = given::<Ballot>([opened(false)]).state().clone();
    let facts = crate::BasisFacts::ballot(bal(1), &open);
    assert_eq!(facts.map(|f| f.concluded), Some(false));
    assert_eq!(crate::BasisFacts::ballot(bal(1), &State::default()), None);
}
