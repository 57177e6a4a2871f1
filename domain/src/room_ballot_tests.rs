//! Ballots taken in the room (`ballot open --in-person`, `ballot record-result`): given/when/then.

use super::*;
use crate::testing::{given, per, stream};
use delib_events::ballot::BallotEvent as E;

fn s(v: &str) -> String {
    v.to_owned()
}

/// Nine representatives; a quorum of two thirds present; carried by two thirds of the hands.
fn roll() -> Vec<PersonId> {
    (1..=9).map(per).collect()
}

fn options() -> Vec<String> {
    vec![s("赞成"), s("反对"), s("abstain")]
}

fn opened() -> E {
    E::BallotOpened {
        ballot: BallotId::new(stream()),
        number: 1,
        question: s("是否同意停车改造方案？"),
        options: options(),
        electorate: roll(),
        quorum: Ratio { num: 2, den: 3 },
        threshold: Threshold::TwoThirds,
        secret: false,
        proposal: None,
    }
}

fn in_room() -> Vec<E> {
    vec![opened(), E::TakenInRoom]
}

fn counts(yes: u64, no: u64, abstain: u64) -> Vec<(String, u64)> {
    vec![(s("赞成"), yes), (s("反对"), no), (s("abstain"), abstain)]
}

fn recorded(yes: u64, no: u64, abstain: u64) -> Vec<OptionCount> {
    counts(yes, no, abstain)
        .into_iter()
        .map(|(option, count)| OptionCount { option, count })
        .collect()
}

#[test]
fn given_nothing_when_opened_in_person_then_the_opening_says_it_is_taken_in_the_room() {
    given::<Ballot>(Vec::<E>::new())
        .ctx(|c| roll().into_iter().fold(c, Context::person))
        .when(Command::OpenInRoom {
            question: s("是否同意停车改造方案？"),
            options: options(),
            electorate: roll(),
            quorum: Ratio { num: 2, den: 3 },
            threshold: Threshold::TwoThirds,
            proposal: None,
        })
        .then(in_room());
}

#[test]
fn given_an_in_person_opening_the_rules_of_every_opening_apply() {
    given::<Ballot>(Vec::<E>::new())
        .ctx(|c| roll().into_iter().fold(c, Context::person))
        .when(Command::OpenInRoom {
            question: s("q"),
            options: vec![s("赞成")],
            electorate: roll(),
            quorum: Ratio { num: 2, den: 3 },
            threshold: Threshold::TwoThirds,
            proposal: None,
        })
        .then_err(Rejection::TooFewOptions);
}

#[test]
fn given_a_ballot_in_the_room_when_a_voter_casts_then_it_is_refused() {
    given::<Ballot>(in_room())
        .when(Command::Cast {
            voter: per(1),
            choice: s("赞成"),
        })
        .then_err(Rejection::InRoomOnly(
            "a ballot taken in the room takes no casts: record the counts the meeting took (`ballot record-result`)",
        ));
}

#[test]
fn given_a_ballot_in_the_room_when_closed_without_counts_then_it_is_refused() {
    let err = given::<Ballot>(in_room()).when(Command::Close).rejected();
    assert!(matches!(err, Rejection::InRoomOnly(_)), "{err}");
}

#[test]
fn given_a_ballot_counted_from_casts_when_room_counts_are_recorded_then_they_are_refused() {
    let err = given::<Ballot>([opened()])
        .when(Command::RecordRoomCounts {
            counts: counts(6, 1, 0),
            present: 7,
        })
        .rejected();
    assert!(matches!(err, Rejection::InRoomOnly(_)), "{err}");
}

#[test]
fn given_a_ballot_in_the_room_when_its_counts_are_recorded_then_it_closes_with_them() {
    // 7 of 9 present (quorum 2/3 = 6 met); 5 for, 1 against, 1 abstaining: 5 of 6 ≥ 2/3
    given::<Ballot>(in_room())
        .when(Command::RecordRoomCounts {
            counts: counts(5, 1, 1),
            present: 7,
        })
        .then([
            E::RoomCountsRecorded {
                counts: recorded(5, 1, 1),
                present: 7,
            },
            E::BallotClosed {
                counts: recorded(5, 1, 1),
                cast: 7,
                electorate: 9,
                quorum_met: true,
                result: Some(s("赞成")),
            },
        ]);
}

#[test]
fn given_a_ballot_in_the_room_when_fewer_than_the_quorum_are_present_then_no_result() {
    // 5 of 9 present: 5 × 3 = 15 < 2 × 9 = 18, so no quorum, even though all five were for
    given::<Ballot>(in_room())
        .when(Command::RecordRoomCounts {
            counts: counts(5, 0, 0),
            present: 5,
        })
        .then([
            E::RoomCountsRecorded {
                counts: recorded(5, 0, 0),
                present: 5,
            },
            E::BallotClosed {
                counts: recorded(5, 0, 0),
                cast: 5,
                electorate: 9,
                quorum_met: false,
                result: None,
            },
        ]);
}

#[test]
fn given_a_ballot_in_the_room_when_exactly_the_quorum_and_exactly_the_threshold_then_it_carries() {
    // 6 of 9 present is exactly 2/3; 4 for and 2 against is exactly 2/3 of the hands: carried
    // (two-thirds is "at least two thirds", as for every ballot)
    let events = given::<Ballot>(in_room())
        .when(Command::RecordRoomCounts {
            counts: counts(4, 2, 0),
            present: 6,
        })
        .accepted();
    let E::BallotClosed {
        quorum_met, result, ..
    } = &events[1]
    else {
        panic!("{events:?}")
    };
    assert!(quorum_met);
    assert_eq!(result.as_deref(), Some("赞成"));
    // one hand short of the threshold (3 for, 2 against, one present raising no hand): not carried
    let events = given::<Ballot>(in_room())
        .when(Command::RecordRoomCounts {
            counts: counts(3, 2, 0),
            present: 6,
        })
        .accepted();
    let E::BallotClosed {
        quorum_met, result, ..
    } = &events[1]
    else {
        panic!("{events:?}")
    };
    assert!(quorum_met);
    assert_eq!(*result, None);
}

#[test]
fn given_a_ballot_in_the_room_options_not_named_counted_no_hands() {
    let events = given::<Ballot>(in_room())
        .when(Command::RecordRoomCounts {
            counts: vec![(s("赞成"), 6)],
            present: 6,
        })
        .accepted();
    assert_eq!(
        events[0],
        E::RoomCountsRecorded {
            counts: recorded(6, 0, 0),
            present: 6,
        }
    );
}

#[test]
fn given_a_ballot_in_the_room_bad_counts_are_refused_with_their_rule() {
    let when = |counts: Vec<(String, u64)>, present: u64| {
        given::<Ballot>(in_room())
            .when(Command::RecordRoomCounts { counts, present })
            .rejected()
    };
    assert_eq!(
        when(vec![(s("弃权"), 1)], 6),
        Rejection::RoomCountOption(s("弃权"), "is not offered")
    );
    assert_eq!(
        when(vec![(s("赞成"), 1), (s("赞成"), 2)], 6),
        Rejection::RoomCountOption(s("赞成"), "is given twice")
    );
    assert_eq!(
        when(counts(5, 2, 0), 6),
        Rejection::MoreCountedThanPresent {
            counted: 7,
            present: 6
        }
    );
    assert_eq!(
        when(counts(5, 2, 0), 10),
        Rejection::MorePresentThanElectorate {
            present: 10,
            electorate: 9
        }
    );
    assert_eq!(
        when(vec![(s("赞成"), u64::MAX), (s("反对"), 1)], 6),
        Rejection::MoreCountedThanPresent {
            counted: u64::MAX,
            present: 6
        }
    );
}

#[test]
fn given_a_ballot_in_the_room_closed_when_counts_are_recorded_again_then_refused() {
    let mut events = in_room();
    events.push(E::RoomCountsRecorded {
        counts: recorded(5, 1, 0),
        present: 6,
    });
    events.push(E::BallotClosed {
        counts: recorded(5, 1, 0),
        cast: 6,
        electorate: 9,
        quorum_met: true,
        result: Some(s("赞成")),
    });
    given::<Ballot>(events)
        .when(Command::RecordRoomCounts {
            counts: counts(5, 1, 0),
            present: 6,
        })
        .then_err(Rejection::BallotNotOpen { status: "closed" });
}
