//! Persisted projections: for a generated history of thousands of events, appended in chunks with
//! restarts in between and the views caught up after each chunk, the incrementally maintained views
//! equal a rebuild from position 1 and a pure fold of the whole log.

use delib::clock::SystemClock;
use delib::projection_store::ProjectionStore;
use delib::store::{AppendRequest, EventStore, ExpectedVersion, NewEvent, SledStore, StoreOptions};
use delib_events::samples::every_variant;
use delib_events::{CommandId, Event, Position, StreamId, StreamKind, Timestamp};
use delib_projections::{Projection, Views};
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

proptest! {
    #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]
    #[test]
    fn incremental_views_with_restarts_equal_a_rebuild(
        seed in any::<u64>(),
        chunks in proptest::collection::vec((150usize..400, any::<bool>()), 8..12),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let variants = every_variant();
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
            let mut left = len;
            while left > 0 {
                let n = left.min(1 + (next() % 8) as usize);
                left -= n;
                let r = next();
                let first = variants[(r % variants.len() as u64) as usize].clone();
                let kind = kind_of(&first, (r >> 8) as u8);
                let stream = StreamId::from_uuid(uuid::Uuid::from_u128(0x9000 + (kind as u128) * 16 + u128::from((r >> 16) % 4)));
                let events = (0..n).map(|k| {
                    t += ((next() % 48) as i64) * 3_600_000_000;
                    let e = if k == 0 { first.clone() } else { variants[(next() % variants.len() as u64) as usize].clone() };
                    NewEvent::new(e, Timestamp::from_micros(t))
                }).collect();
                s.append_blocking(AppendRequest::single(CommandId::from_uuid(uuid::Uuid::now_v7()), stream, kind, ExpectedVersion::Any, events)).unwrap();
            }
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
    let projections = ProjectionStore::open(&store).unwrap();
    let saved = projections.load_views().unwrap();
    // when one stored view claims an older version and another is garbage
    let tree = store.db().open_tree("projections").unwrap();
    let mut old = tree.get("proposals").unwrap().unwrap().to_vec();
    old[0..4].copy_from_slice(&0u32.to_be_bytes());
    tree.insert("proposals", old).unwrap();
    tree.insert("ballots", b"not a projection".to_vec())
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
