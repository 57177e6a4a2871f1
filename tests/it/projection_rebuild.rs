//! Persisted projections: for a generated history of thousands of events, appended in chunks with
//! restarts in between and the views caught up after each chunk, the incrementally maintained views
//! equal a rebuild from position 1 and a pure fold of the whole log.

use delib::clock::SystemClock;
use delib::projection_store::{Need, ProjectionStore};
use delib::store::{AppendRequest, EventStore, ExpectedVersion, NewEvent, SledStore, StoreOptions};
use delib_events::samples::every_variant;
use delib_events::{CommandId, Event, Position, StreamId, StreamKind, Timestamp};
use delib_projections::hearings::HearingRecords;
use delib_projections::{Keyed, Projection, Views};
use proptest::prelude::*;
use std::sync::Arc;

fn kind_of(e: &Event, pick: u8) -> StreamKind {
    match e {
        Event::Ledger(_) => StreamKind::Ledger,
        Event::Test(_) => StreamKind::Test,
        Event::Registry(_) => StreamKind::Registry,
        Event::Organisation(_) => StreamKind::Organisation,
        Event::Person(_) => StreamKind::Person,
        Event::Proposal(_) => StreamKind::Proposal,
        Event::Hearing(_) => StreamKind::Hearing,
        Event::Consultation(_) => StreamKind::Consultation,
        Event::Ballot(_) => StreamKind::Ballot,
        Event::Dispute(_) => StreamKind::Dispute,
        Event::Pledge(_) | Event::Correction(_) | Event::Document(_) => [
            StreamKind::Proposal,
            StreamKind::Consultation,
            StreamKind::Dispute,
        ][usize::from(pick % 3)],
    }
}

fn open(dir: &std::path::Path) -> SledStore {
    SledStore::open(
        dir,
        StoreOptions {
            create: true,
            clock: Arc::new(SystemClock),
            ..StoreOptions::default()
        },
    )
    .unwrap()
}

/// Appends `len` events of random variants, in appends of 1 to 8 events on one stream each (four
/// streams per kind, so entities interleave), `t` moving on by whole hours.
fn append_chunk(store: &SledStore, len: usize, next: &mut impl FnMut() -> u64, t: &mut i64) {
    let variants = every_variant();
    let mut left = len;
    while left > 0 {
        let n = left.min(1 + (next() % 8) as usize);
        left -= n;
        let r = next();
        let first = variants[(r % variants.len() as u64) as usize].clone();
        let kind = kind_of(&first, (r >> 8) as u8);
        let stream = StreamId::from_uuid(uuid::Uuid::from_u128(
            0x9000 + (kind as u128) * 16 + u128::from((r >> 16) % 4),
        ));
        let events = (0..n)
            .map(|k| {
                *t += ((next() % 48) as i64) * 3_600_000_000;
                let e = if k == 0 {
                    first.clone()
                } else {
                    variants[(next() % variants.len() as u64) as usize].clone()
                };
                NewEvent::new(e, Timestamp::from_micros(*t))
            })
            .collect();
        store
            .append_blocking(AppendRequest::single(
                CommandId::from_uuid(uuid::Uuid::now_v7()),
                stream,
                kind,
                ExpectedVersion::Any,
                events,
            ))
            .unwrap();
    }
}

/// One event of every variant, each on a stream of its own.
fn every_variant_once(store: &SledStore) {
    for (i, e) in every_variant().into_iter().enumerate() {
        let kind = kind_of(&e, i as u8);
        let stream = StreamId::from_uuid(uuid::Uuid::from_u128(0x7000 + i as u128));
        store
            .append_blocking(AppendRequest::single(
                CommandId::from_uuid(uuid::Uuid::now_v7()),
                stream,
                kind,
                ExpectedVersion::Any,
                vec![NewEvent::new(e, Timestamp::from_micros(i as i64))],
            ))
            .unwrap();
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]
    #[test]
    fn incremental_views_with_restarts_equal_a_rebuild(
        seed in any::<u64>(),
        chunks in proptest::collection::vec((150usize..400, any::<bool>()), 8..12),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut rng = seed | 1;
        let mut next = move || { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; rng };
        let mut store = Some(open(dir.path()));
        let mut t = 1_700_000_000_000_000i64;
        for (len, restart) in chunks {
            if restart {
                drop(store.take());
                store = Some(open(dir.path()));
            }
            let s = store.as_ref().unwrap();
            // a chunk of events, grouped into appends of 1 to 8 events on one stream each
            append_chunk(s, len, &mut next, &mut t);
            // the views catch up after each chunk, and are saved
            let views = ProjectionStore::open(s).unwrap().load_views().unwrap();
            prop_assert_eq!(views.last_position(), s.head().position);
        }
        let s = store.as_ref().unwrap();
        let projections = ProjectionStore::open(s).unwrap();
        let incremental = projections.load_views().unwrap();
        let events = s.read_all(Position::new(1), usize::MAX).unwrap();
        prop_assert!(events.len() >= 1000, "a history of thousands of events");
        let folded = Views::fold(&events);
        prop_assert_eq!(&incremental, &folded);
        projections.rebuild(&[], |_, _| {}).unwrap();
        let rebuilt = projections.load_views().unwrap();
        prop_assert_eq!(&rebuilt, &incremental);
        prop_assert!(projections.status().unwrap().iter().all(|st| st.current));
    }
}

#[test]
fn a_stored_view_of_another_version_or_unreadable_is_rebuilt_by_itself() {
    // given a ledger whose views were saved
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    every_variant_once(&store);
    let projections = ProjectionStore::open(&store).unwrap();
    let saved = projections.load_views().unwrap();
    // when one stored view claims an older version and another is garbage
    let tree = store.db().open_tree("projections").unwrap();
    let mut old = tree.get("@proposals").unwrap().unwrap().to_vec();
    old[0..4].copy_from_slice(&0u32.to_be_bytes());
    tree.insert("@proposals", old).unwrap();
    let (ballot, _) = tree.scan_prefix("@ballots/").next().unwrap().unwrap();
    tree.insert(ballot, b"not a record".to_vec()).unwrap();
    tree.insert("directory", b"not a projection".to_vec())
        .unwrap();
    let status = projections.status().unwrap();
    assert!(
        !status
            .iter()
            .find(|s| s.name == "proposals")
            .unwrap()
            .current
    );
    // then the next read rebuilds them, to the same views
    let again = projections.load_views().unwrap();
    assert_eq!(again, saved);
    assert!(projections.status().unwrap().iter().all(|s| s.current));
}

/// The streams the generated histories write to.
fn generated_streams() -> Vec<StreamId> {
    (0..16u128)
        .flat_map(|k| {
            (0..4u128).map(move |r| StreamId::from_uuid(uuid::Uuid::from_u128(0x9000 + k * 16 + r)))
        })
        .collect()
}

/// Whether `partial` holds `full`'s record of `stream` in every entity projection (or neither has it).
fn same_record(partial: &Views, full: &Views, stream: StreamId) -> bool {
    fn one<P: Keyed>(a: &P, b: &P, s: StreamId) -> bool {
        a.entries().get(&s) == b.entries().get(&s)
    }
    one(&partial.proposals, &full.proposals, stream)
        && one(&partial.hearings, &full.hearings, stream)
        && one(&partial.consultations, &full.consultations, stream)
        && one(&partial.ballots, &full.ballots, stream)
        && one(&partial.disputes, &full.disputes, stream)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]
    #[test]
    fn partial_reads_between_appends_see_the_fold_and_keep_the_stored_views_exact(
        seed in any::<u64>(),
        chunks in proptest::collection::vec((20usize..200, 0u8..5), 10..16),
    ) {
        // given a history appended in chunks, the stored views left behind after most of them
        let dir = tempfile::tempdir().unwrap();
        let streams = generated_streams();
        let mut rng = seed | 1;
        let mut next = move || { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; rng };
        let store = open(dir.path());
        let projections = ProjectionStore::open(&store).unwrap();
        let mut t = 1_700_000_000_000_000i64;
        for (len, read) in chunks {
            append_chunk(&store, len, &mut next, &mut t);
            let folded = Views::fold(&store.read_all(Position::new(1), usize::MAX).unwrap());
            // when a read needs one stream, a projection's every record, or the directory only
            let stream = streams[(next() % streams.len() as u64) as usize];
            let need = match read {
                0 => Need::one(stream),
                1 => Need::Every("hearings"),
                2 => Need::directory(),
                3 => Need::AllBut("hearings"),
                _ => Need::Streams(streams.iter().copied().filter(|_| next() % 2 == 0).collect()),
            };
            let partial = projections.load(&need).unwrap();
            // then what it reads is the fold's, at the head
            prop_assert_eq!(partial.last_position(), store.head().position);
            prop_assert_eq!(&partial.directory, &folded.directory);
            prop_assert_eq!(&partial.documents, &folded.documents);
            match &need {
                Need::Streams(wanted) => {
                    for s in wanted {
                        prop_assert!(same_record(&partial, &folded, *s), "the record of {:?}", s);
                    }
                }
                Need::AllBut(_) => {
                    // (the hearings' records it holds are only those caught up)
                    for (s, r) in partial.hearings.entries() {
                        prop_assert_eq!(Some(r), folded.hearings.entries().get(s));
                    }
                    prop_assert_eq!(&partial.proposals, &folded.proposals);
                    prop_assert_eq!(&partial.disputes, &folded.disputes);
                }
                _ => prop_assert_eq!(&partial.hearings, &folded.hearings),
            }
            // and the hearings' stored rows and statements' times, written piecewise with their
            // records, are those of the fold's records
            let expected: Vec<_> = folded
                .hearings
                .entries()
                .iter()
                .map(|(s, r)| (*s, HearingRecords::row(r), HearingRecords::digest(r).unwrap()))
                .collect();
            prop_assert_eq!(projections.rows_and_digests::<HearingRecords>().unwrap(), expected);
        }
        // and the stored views, saved piecewise by partial reads, equal a fold of the whole log
        let events = store.read_all(Position::new(1), usize::MAX).unwrap();
        prop_assert_eq!(&projections.load_views().unwrap(), &Views::fold(&events));
        prop_assert!(projections.status().unwrap().iter().all(|st| st.current));
    }
}

#[test]
fn views_stored_as_one_value_each_by_an_older_delib_are_read_and_moved_to_records() {
    // given a ledger whose entity projections are stored the old way: one value per projection
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    every_variant_once(&store);
    let events = store.read_all(Position::new(1), usize::MAX).unwrap();
    let folded = Views::fold(&events);
    let tree = store.db().open_tree("projections").unwrap();
    fn old_value<P: Projection>(state: &P) -> Vec<u8> {
        let mut v = P::VERSION.to_be_bytes().to_vec();
        v.extend_from_slice(&state.last_position().get().to_be_bytes());
        v.extend(bincode::serde::encode_to_vec(state, bincode::config::standard()).unwrap());
        v
    }
    tree.insert("proposals", old_value(&folded.proposals))
        .unwrap();
    tree.insert("hearings", old_value(&folded.hearings))
        .unwrap();
    tree.insert("consultations", old_value(&folded.consultations))
        .unwrap();
    tree.insert("ballots", old_value(&folded.ballots)).unwrap();
    tree.insert("disputes", old_value(&folded.disputes))
        .unwrap();
    let projections = ProjectionStore::open(&store).unwrap();
    assert!(projections
        .status()
        .unwrap()
        .iter()
        .filter(|s| !["directory", "documents", "latest"].contains(&s.name))
        .all(|s| s.current));
    // when the views are read
    let read = projections.load_views().unwrap();
    // then they are those stored, and now kept as records under a header, the old values gone
    assert_eq!(read, folded);
    for name in [
        "proposals",
        "hearings",
        "consultations",
        "ballots",
        "disputes",
    ] {
        assert!(
            tree.get(name).unwrap().is_none(),
            "{name}'s old value is removed"
        );
        assert!(
            tree.get(format!("@{name}")).unwrap().is_some(),
            "{name} has a header"
        );
    }
    assert!(tree.scan_prefix("@hearings/").count() > 0);
    assert_eq!(
        tree.scan_prefix("@hearings%/").count(),
        tree.scan_prefix("@hearings/").count(),
        "each hearing's statements' times are kept beside its record"
    );
    assert_eq!(projections.load(&Need::All).unwrap(), folded);
    assert!(projections.status().unwrap().iter().all(|s| s.current));
}

#[test]
fn hearings_stored_without_their_statements_times_are_rebuilt_or_read_from_their_records() {
    // given a ledger whose hearings are stored
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let mut rng = 7u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut t = 1_700_000_000_000_000i64;
    let mut folded = Views::default();
    // (enough events for a hearing with statements)
    for _ in 0..40 {
        append_chunk(&store, 300, &mut next, &mut t);
        folded = Views::fold(&store.read_all(Position::new(1), usize::MAX).unwrap());
        if folded.hearings.records().any(|r| r.statements.len() > 1) {
            break;
        }
    }
    let projections = ProjectionStore::open(&store).unwrap();
    projections.load_views().unwrap();
    let expected: Vec<_> = folded
        .hearings
        .entries()
        .iter()
        .map(|(s, r)| {
            (
                *s,
                HearingRecords::row(r),
                HearingRecords::digest(r).unwrap(),
            )
        })
        .collect();
    assert!(
        expected.iter().any(|(_, _, d)| d.count() > 0),
        "{:?}",
        expected
            .iter()
            .map(|(_, r, d)| (&r.counts, d.count()))
            .collect::<Vec<_>>()
    );
    let tree = store.db().open_tree("projections").unwrap();
    let digests: Vec<_> = tree
        .scan_prefix("@hearings%/")
        .keys()
        .map(|k| k.unwrap())
        .collect();
    assert_eq!(digests.len(), expected.len());
    // when one hearing's statements' times are missing
    tree.remove(&digests[0]).unwrap();
    // then they are read from its record
    assert_eq!(
        projections.rows_and_digests::<HearingRecords>().unwrap(),
        expected
    );
    // and when the hearings were stored by the version before statements' times were kept (no
    // times at all, and its version in the header)
    for k in &digests {
        tree.remove(k).unwrap();
    }
    let mut header = tree.get("@hearings").unwrap().unwrap().to_vec();
    header[0..4].copy_from_slice(&3u32.to_be_bytes());
    tree.insert("@hearings", header).unwrap();
    assert!(
        !projections
            .status()
            .unwrap()
            .iter()
            .find(|s| s.name == "hearings")
            .unwrap()
            .current
    );
    // then the next read rebuilds them, with every hearing's times
    let read = projections.load(&Need::AllBut("hearings")).unwrap();
    assert_eq!(read.last_position(), store.head().position);
    assert_eq!(tree.scan_prefix("@hearings%/").count(), expected.len());
    assert_eq!(
        projections.rows_and_digests::<HearingRecords>().unwrap(),
        expected
    );
    assert!(projections.status().unwrap().iter().all(|s| s.current));
}

#[test]
fn proposals_kept_in_groups_read_as_their_records_and_an_append_rewrites_one_group() {
    use delib_events::proposal::{Category, ProposalEvent};
    use delib_events::{PersonId, ProposalId};
    // given 200 proposals (four groups of 64 by reference number), their views stored
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let stream = |n: u64| StreamId::from_uuid(uuid::Uuid::from_u128(0x5000_0000 + u128::from(n)));
    let append = |n: u64, event: ProposalEvent| {
        store
            .append_blocking(AppendRequest::single(
                CommandId::from_uuid(uuid::Uuid::now_v7()),
                stream(n),
                StreamKind::Proposal,
                ExpectedVersion::Any,
                vec![NewEvent::new(
                    Event::Proposal(event),
                    Timestamp::from_micros(n as i64),
                )],
            ))
            .unwrap();
    };
    for n in 1..=200u64 {
        append(
            n,
            ProposalEvent::ProposalSubmitted {
                proposal: ProposalId::new(stream(n)),
                number: n,
                title: format!("Proposal {n}"),
                body: "b".into(),
                category: Category::Infrastructure,
                author: PersonId::from_uuid(uuid::Uuid::from_u128(1)),
                community: None,
            },
        );
    }
    let projections = ProjectionStore::open(&store).unwrap();
    projections.load_views().unwrap();
    let tree = store.db().open_tree("projections").unwrap();
    let groups = || -> Vec<(Vec<u8>, Vec<u8>)> {
        tree.scan_prefix("@proposals$/")
            .map(|kv| kv.map(|(k, v)| (k.to_vec(), v.to_vec())).unwrap())
            .collect()
    };
    let before = groups();
    assert_eq!(before.len(), 4, "200 proposals, 64 to a group");
    // when proposals 70 and 130 are admitted, and a read of one stream catches the views up
    append(70, ProposalEvent::ProposalAdmitted);
    append(130, ProposalEvent::ProposalAdmitted);
    projections.load(&Need::one(stream(1))).unwrap();
    // then only their groups (64..127 and 128..191) are rewritten
    let after = groups();
    let changed: Vec<bool> = before.iter().zip(&after).map(|(b, a)| b != a).collect();
    assert_eq!(changed, [false, true, true, false]);
    // and every whole read of the proposals, from their groups, is the fold of the log
    let folded = Views::fold(&store.read_all(Position::new(1), usize::MAX).unwrap());
    assert_eq!(
        projections.load_views().unwrap().proposals,
        folded.proposals
    );
    assert_eq!(
        projections
            .load(&Need::AllBut("hearings"))
            .unwrap()
            .proposals,
        folded.proposals
    );
    // and a group that does not decode is read around: the records one by one
    tree.insert(&after[1].0, b"not a group".to_vec()).unwrap();
    assert_eq!(
        projections.load_views().unwrap().proposals,
        folded.proposals
    );
}

#[test]
fn an_append_rewrites_only_the_records_of_the_streams_it_touched() {
    // given two hearings' records stored
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let variants = every_variant();
    let hearing_events: Vec<Event> = variants
        .iter()
        .filter(|e| matches!(e, Event::Hearing(_)))
        .cloned()
        .collect();
    let (a, b) = (
        StreamId::from_uuid(uuid::Uuid::from_u128(0xA)),
        StreamId::from_uuid(uuid::Uuid::from_u128(0xB)),
    );
    let append = |stream, events: Vec<Event>| {
        store
            .append_blocking(AppendRequest::single(
                CommandId::from_uuid(uuid::Uuid::now_v7()),
                stream,
                StreamKind::Hearing,
                ExpectedVersion::Any,
                events
                    .into_iter()
                    .map(|e| NewEvent::new(e, Timestamp::from_micros(1)))
                    .collect(),
            ))
            .unwrap();
    };
    append(a, hearing_events.clone());
    append(b, hearing_events.clone());
    let projections = ProjectionStore::open(&store).unwrap();
    projections.load_views().unwrap();
    let tree = store.db().open_tree("projections").unwrap();
    let key = |s: StreamId| [b"@hearings/".as_slice(), s.as_uuid().as_bytes()].concat();
    let before_b = tree.get(key(b)).unwrap().unwrap();
    let before_a = tree.get(key(a)).unwrap().unwrap();
    // when more is recorded on hearing A and a read of hearing B catches the views up
    append(a, hearing_events[1..3].to_vec());
    let partial = projections.load(&Need::one(b)).unwrap();
    // then A's record is rewritten, B's is the very same value, and A reads as the fold says
    assert_eq!(tree.get(key(b)).unwrap().unwrap(), before_b);
    assert_ne!(tree.get(key(a)).unwrap().unwrap(), before_a);
    assert!(
        partial.hearings.get(a).is_some(),
        "the caught-up stream was loaded to fold it"
    );
    let folded = Views::fold(&store.read_all(Position::new(1), usize::MAX).unwrap());
    assert_eq!(
        projections.load(&Need::one(a)).unwrap().hearings.get(a),
        folded.hearings.get(a)
    );
}
