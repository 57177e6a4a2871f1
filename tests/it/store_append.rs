//! Append semantics, run against both backends: atomicity, versions, conflicts, idempotency.

use crate::store_support::{new_command, new_stream, note, open_sled, request};
use delib::store::verify::verify_chain;
use delib::store::{
    AppendError, AppendRequest, EventStore, ExpectedVersion, MemoryStore, SideWrite, StreamAppend,
};
use delib_events::{CorrelationId, Position, StreamKind, StreamVersion};

fn each_backend(test: impl Fn(&dyn Fn() -> Box<dyn Backend>)) {
    test(&|| Box::new(MemoryStore::default()));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    let counter = std::cell::Cell::new(0);
    test(&move || {
        counter.set(counter.get() + 1);
        Box::new(open_sled(&path.join(counter.get().to_string())))
    });
}

/// Object-safe view of a store for these tests (names differ from `EventStore`'s on purpose).
trait Backend {
    fn put(&self, r: AppendRequest) -> Result<delib::store::Appended, AppendError>;
    fn stream(
        &self,
        s: delib_events::StreamId,
        from: StreamVersion,
    ) -> Vec<delib_events::RecordedEvent>;
    fn everything(&self) -> Vec<delib_events::RecordedEvent>;
    fn top(&self) -> delib::store::Head;
    fn side(&self, prefix: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)>;
}
impl<S: EventStore> Backend for S {
    fn put(&self, r: AppendRequest) -> Result<delib::store::Appended, AppendError> {
        self.append_blocking(r)
    }
    fn stream(
        &self,
        s: delib_events::StreamId,
        from: StreamVersion,
    ) -> Vec<delib_events::RecordedEvent> {
        self.read_stream(s, from).unwrap()
    }
    fn everything(&self) -> Vec<delib_events::RecordedEvent> {
        self.read_all(Position::new(1), usize::MAX).unwrap()
    }
    fn top(&self) -> delib::store::Head {
        self.head()
    }
    fn side(&self, prefix: &[u8]) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.side_scan(prefix).unwrap()
    }
}

#[test]
fn multi_event_append_gets_consecutive_versions_and_positions() {
    each_backend(|make| {
        // given an empty store and a stream with one event
        let store = make();
        let s = new_stream();
        store
            .put(request(s, ExpectedVersion::NoStream, vec![note("a", 1)]))
            .unwrap();
        // when three events are appended in one call
        let a = store
            .put(request(
                s,
                ExpectedVersion::Exact(StreamVersion::new(1)),
                vec![note("b", 2), note("c", 3), note("d", 4)],
            ))
            .unwrap();
        // then they get positions 2..=4 and versions 2..=4
        assert_eq!(
            (a.first, a.last, a.duplicate),
            (Position::new(2), Position::new(4), false)
        );
        let events = store.stream(s, StreamVersion::new(2));
        let got: Vec<_> = events
            .iter()
            .map(|e| (e.metadata.position.get(), e.metadata.stream_version.get()))
            .collect();
        assert_eq!(got, vec![(2, 2), (3, 3), (4, 4)]);
        assert_eq!(store.top().position, Position::new(4));
    });
}

#[test]
fn a_request_across_streams_is_all_or_nothing() {
    each_backend(|make| {
        // given stream b already exists
        let store = make();
        let (a, b) = (new_stream(), new_stream());
        store
            .put(request(b, ExpectedVersion::NoStream, vec![note("b1", 1)]))
            .unwrap();
        let before = store.top();
        // when one request creates a and (wrongly) expects b not to exist
        let req = AppendRequest {
            command_id: new_command(),
            correlation_id: CorrelationId::from_uuid(uuid::Uuid::now_v7()),
            streams: vec![
                StreamAppend {
                    stream_id: a,
                    kind: StreamKind::Test,
                    expected: ExpectedVersion::NoStream,
                    events: vec![note("a1", 2)],
                },
                StreamAppend {
                    stream_id: b,
                    kind: StreamKind::Test,
                    expected: ExpectedVersion::NoStream,
                    events: vec![note("b2", 3)],
                },
            ],
            side: vec![SideWrite::Put {
                key: b"urn/k".to_vec(),
                value: b"v".to_vec(),
            }],
        };
        let err = store.put(req).unwrap_err();
        // then it is a conflict naming b, and nothing of a was written
        match err {
            AppendError::Conflict {
                stream,
                expected,
                actual,
            } => {
                assert_eq!(stream, b);
                assert_eq!(expected, ExpectedVersion::NoStream);
                assert_eq!(actual, StreamVersion::new(1));
            }
            other => panic!("expected a conflict, got {other:?}"),
        }
        assert!(store.stream(a, StreamVersion::new(1)).is_empty());
        assert!(
            store.side(b"urn/").is_empty(),
            "side writes are part of the atomic append"
        );
        assert_eq!(store.top(), before);
    });
}

#[test]
fn wrong_expected_version_is_a_conflict_not_a_storage_error() {
    each_backend(|make| {
        let store = make();
        let s = new_stream();
        store
            .put(request(
                s,
                ExpectedVersion::NoStream,
                vec![note("a", 1), note("b", 2)],
            ))
            .unwrap();
        let err = store
            .put(request(
                s,
                ExpectedVersion::Exact(StreamVersion::new(1)),
                vec![note("c", 3)],
            ))
            .unwrap_err();
        assert!(
            matches!(err, AppendError::Conflict { actual, .. } if actual == StreamVersion::new(2)),
            "{err:?}"
        );
        // Any always succeeds
        store
            .put(request(s, ExpectedVersion::Any, vec![note("c", 3)]))
            .unwrap();
        assert_eq!(store.stream(s, StreamVersion::new(1)).len(), 3);
    });
}

#[test]
fn retrying_a_command_returns_the_original_result_and_writes_nothing() {
    each_backend(|make| {
        let store = make();
        let s = new_stream();
        let req = request(
            s,
            ExpectedVersion::NoStream,
            vec![note("a", 1), note("b", 2)],
        );
        let first = store.put(req.clone()).unwrap();
        let head = store.top();
        // when the same command is sent again (its expectation no longer holds, but it is a retry)
        let again = store.put(req).unwrap();
        assert_eq!(
            (again.first, again.last, again.duplicate),
            (first.first, first.last, true)
        );
        assert_eq!(store.top(), head);
    });
}

#[test]
fn malformed_requests_are_invalid_and_write_nothing() {
    each_backend(|make| {
        let store = make();
        let s = new_stream();
        assert!(matches!(
            store.put(request(s, ExpectedVersion::Any, vec![])),
            Err(AppendError::Invalid(_))
        ));
        let huge = "x".repeat(delib_events::codec::MAX_RECORD_LEN);
        assert!(matches!(
            store.put(request(
                s,
                ExpectedVersion::Any,
                vec![note("ok", 1), note(&huge, 2)]
            )),
            Err(AppendError::Invalid(_))
        ));
        assert_eq!(store.top().position, Position::ZERO);
    });
}

#[test]
fn the_hash_chain_links_every_record_and_ends_at_the_head() {
    each_backend(|make| {
        let store = make();
        for i in 0..10 {
            store
                .put(request(
                    new_stream(),
                    ExpectedVersion::NoStream,
                    vec![note("x", i)],
                ))
                .unwrap();
        }
        let all = store.everything();
        assert_eq!(all.len(), 10);
        assert_eq!(all[0].prev_hash, delib_events::RecordHash::GENESIS);
        for pair in all.windows(2) {
            assert_ne!(pair[1].prev_hash, delib_events::RecordHash::GENESIS);
        }
    });
}

#[test]
fn sled_reopen_keeps_everything_and_idempotency_is_durable() {
    let dir = tempfile::tempdir().unwrap();
    let s = new_stream();
    let req = request(
        s,
        ExpectedVersion::NoStream,
        vec![note("a", 1), note("b", 2)],
    );
    let (first, head) = {
        let store = open_sled(dir.path());
        let first = store.append_blocking(req.clone()).unwrap();
        store
            .append_blocking(request(
                s,
                ExpectedVersion::Exact(StreamVersion::new(2)),
                vec![note("c", 3)],
            ))
            .unwrap();
        (first, store.head())
    };
    let store = open_sled(dir.path());
    assert_eq!(store.head(), head);
    assert_eq!(
        store.read_stream(s, StreamVersion::new(1)).unwrap().len(),
        3
    );
    assert_eq!(store.stream_version(s).unwrap(), StreamVersion::new(3));
    let again = store.append_blocking(req).unwrap();
    assert_eq!(
        (again.first, again.last, again.duplicate),
        (first.first, first.last, true)
    );
    let report = verify_chain(&store, |_, _, _| {}).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.size, 3);
}

#[test]
fn a_second_open_of_the_same_directory_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let _held = open_sled(dir.path());
    let options = delib::store::StoreOptions {
        create: true,
        ..Default::default()
    };
    let err = delib::store::SledStore::open(dir.path(), options).unwrap_err();
    let msg = err.to_string();
    assert!(
        matches!(err, delib::store::StoreError::Locked { .. }),
        "{msg}"
    );
    assert!(
        msg.contains("in use by another process") && msg.contains("pid"),
        "{msg}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn subscribers_hear_of_new_positions() {
    let dir = tempfile::tempdir().unwrap();
    let store = open_sled(dir.path());
    let mut rx = store.subscribe();
    assert_eq!(*rx.borrow(), Position::ZERO);
    store
        .append(request(
            new_stream(),
            ExpectedVersion::NoStream,
            vec![note("a", 1), note("b", 2)],
        ))
        .await
        .unwrap();
    tokio::time::timeout(std::time::Duration::from_secs(5), rx.changed())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(*rx.borrow(), Position::new(2));
}

#[test]
fn side_writes_land_with_their_events_and_not_on_a_retry() {
    each_backend(|make| {
        let store = make();
        let s = new_stream();
        let mut req = request(s, ExpectedVersion::NoStream, vec![note("cast", 1)]);
        req.side = vec![SideWrite::Put {
            key: b"urn/1".to_vec(),
            value: b"yes".to_vec(),
        }];
        store.put(req.clone()).unwrap();
        assert_eq!(
            store.side(b"urn/"),
            vec![(b"urn/1".to_vec(), b"yes".to_vec())]
        );
        // a later append removes it; a retry of the first does not write it again
        let mut close = request(
            s,
            ExpectedVersion::Exact(StreamVersion::new(1)),
            vec![note("close", 2)],
        );
        close.side = vec![SideWrite::Delete {
            key: b"urn/1".to_vec(),
        }];
        store.put(close).unwrap();
        assert!(store.side(b"urn/").is_empty());
        assert!(store.put(req).unwrap().duplicate);
        assert!(store.side(b"urn/").is_empty());
    });
}
