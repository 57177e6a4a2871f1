//! The writer applies the next group while the syncer makes the previous one durable: an answer
//! still never runs ahead of the durable head, a duplicate's answer waits for its original, and
//! readers see only what is durable.

use crate::store_support::{new_stream, note, open_sled, request};
use delib::store::verify::verify_chain;
use delib::store::{AppendRequest, EventStore, ExpectedVersion};
use delib_events::{Position, StreamVersion};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

const WRITERS: u64 = 48;
const APPENDS: u64 = 40;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_is_within_the_durable_head_and_readable_when_it_arrives() {
    // given a store and 48 writers, each appending to its own stream with exact versions, and
    // sending every third request twice at once (a retry racing its original)
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open_sled(dir.path()));
    let mut tasks = Vec::new();
    for w in 0..WRITERS {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let stream = new_stream();
            for i in 0..APPENDS {
                let expected = if i == 0 {
                    ExpectedVersion::NoStream
                } else {
                    ExpectedVersion::Exact(StreamVersion::new(i))
                };
                let req: AppendRequest =
                    request(stream, expected, vec![note("pipelined", w * 1000 + i)]);
                // when it is appended (and, every third time, sent again before the answer)
                let (appended, again) = if i % 3 == 0 {
                    let (a, b) = tokio::join!(store.append(req.clone()), store.append(req));
                    (a.unwrap(), Some(b.unwrap()))
                } else {
                    (store.append(req).await.unwrap(), None)
                };
                // then the answer is already covered by the durable head, and a reader sees it
                let head = store.head().position;
                assert!(
                    appended.last <= head,
                    "answered {} before the head reached it ({head})",
                    appended.last
                );
                let events = store
                    .read_stream(stream, StreamVersion::new(i + 1))
                    .unwrap();
                assert_eq!(events.len(), 1, "writer {w} append {i} not readable");
                assert_eq!(events[0].metadata.position, appended.last);
                if let Some(again) = again {
                    assert_eq!(
                        (again.first, again.last),
                        (appended.first, appended.last),
                        "a retry gets the original's positions"
                    );
                    assert!(again.duplicate || appended.duplicate);
                    assert!(!(again.duplicate && appended.duplicate));
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    // and after reopening, every event is there once, gap-free, and the chain verifies
    let total = WRITERS * APPENDS;
    assert_eq!(store.head().position, Position::new(total));
    // (dropping the last handle waits for the writer and the syncer)
    drop(Arc::try_unwrap(store).expect("no task holds the store any more"));
    let store = open_sled(dir.path());
    assert_eq!(store.head().position, Position::new(total));
    let all = store.read_all(Position::new(1), usize::MAX).unwrap();
    assert_eq!(all.len() as u64, total);
    let report = verify_chain(&store, |_, _, _| {}).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_version_read_while_groups_are_syncing_is_never_ahead_of_its_readable_events() {
    // given one stream that 32 writers append to (any version), and a reader running alongside
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open_sled(dir.path()));
    let stream = new_stream();
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (store, done) = (store.clone(), done.clone());
        std::thread::spawn(move || {
            let mut reads = 0u64;
            while !done.load(Ordering::SeqCst) {
                // when the reader takes the stream's version, then reads the stream
                let version = store.stream_version(stream).unwrap();
                let events = store.read_stream(stream, StreamVersion::new(1)).unwrap();
                // then every version it was told of can be read
                assert!(
                    events.len() as u64 >= version.get(),
                    "told of version {version} but only {} events are readable",
                    events.len()
                );
                reads += 1;
            }
            reads
        })
    };
    let mut tasks = Vec::new();
    for w in 0..32u64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..40u64 {
                store
                    .append(request(
                        stream,
                        ExpectedVersion::Any,
                        vec![note("s", w * 100 + i)],
                    ))
                    .await
                    .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let reads = reader.join().unwrap();
    assert!(reads > 0);
    assert_eq!(
        store.stream_version(stream).unwrap(),
        StreamVersion::new(32 * 40)
    );
}
