//! Every event payload survives the stored codec, has a unique dotted kind and a one-line summary.

use delib_events::codec::CONFIG;
use delib_events::samples::every_variant;
use delib_events::Event;
use std::collections::BTreeSet;

#[test]
fn every_payload_round_trips_through_bincode() {
    for event in every_variant() {
        let bytes = bincode::serde::encode_to_vec(&event, CONFIG).expect("encode");
        let (back, used): (Event, usize) =
            bincode::serde::decode_from_slice(&bytes, CONFIG).expect("decode");
        assert_eq!(used, bytes.len(), "{}", event.kind());
        assert_eq!(back, event);
    }
}

#[test]
fn kinds_are_unique_and_dotted() {
    let events = every_variant();
    let kinds: BTreeSet<&str> = events
        .iter()
        .filter(|e| !matches!(e, Event::Pledge(_)))
        .map(Event::kind)
        .collect();
    let expected = events
        .iter()
        .filter(|e| !matches!(e, Event::Pledge(_)))
        .count();
    assert_eq!(kinds.len(), expected);
    for e in &events {
        let (kind, verb) = e.kind().split_once('.').expect("dotted");
        assert!(!kind.is_empty() && !verb.is_empty());
    }
}

#[test]
fn summaries_are_one_non_empty_line() {
    for e in every_variant() {
        let s = e.summary();
        assert!(!s.is_empty() && !s.contains('\n'), "{}: {s}", e.kind());
    }
}

#[test]
fn a_secret_choice_summary_does_not_name_the_choice() {
    let e: Event = delib_events::ballot::BallotEvent::SecretChoiceRecorded {
        choice: "replace-the-company".into(),
    }
    .into();
    assert!(!e.summary().contains("replace"));
}

#[test]
fn vocabularies_round_trip_their_cli_spellings() {
    use delib_events::ballot::Threshold;
    use delib_events::organisation::OrgKind;
    use delib_events::person::PersonRole;
    use delib_events::proposal::Category;
    for k in OrgKind::ALL {
        assert_eq!(k.as_str().parse::<OrgKind>(), Ok(*k));
    }
    for r in PersonRole::ALL {
        assert_eq!(r.as_str().parse::<PersonRole>(), Ok(*r));
    }
    for c in Category::ALL {
        assert_eq!(c.as_str().parse::<Category>(), Ok(*c));
    }
    assert_eq!("two-thirds".parse::<Threshold>(), Ok(Threshold::TwoThirds));
    let err = "Party-Committee".parse::<OrgKind>().unwrap_err();
    assert!(err.to_string().contains("party-committee"));
}
