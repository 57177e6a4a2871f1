//! Many concurrent writers: positions stay gap-free, stream versions stay gap-free, the chain holds.

use crate::store_support::{new_stream, note, open_sled, request};
use delib::store::verify::verify_chain;
use delib::store::{AppendError, EventStore, ExpectedVersion};
use delib_events::{Position, StreamVersion};
use std::collections::HashMap;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn thirty_two_writers_leave_no_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(open_sled(dir.path()));
    let shared = new_stream(); // every writer also contends on this one, with Exact and retries
    let mut tasks = Vec::new();
    for w in 0..32u64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            let own = new_stream();
            let mut conflicts = 0;
            for i in 0..20u64 {
                let n = 1 + (w + i) % 3; // 1 to 3 events per append
                let events = (0..n).map(|k| note("own", w * 1000 + i * 10 + k)).collect();
                store
                    .append(request(own, ExpectedVersion::Any, events))
                    .await
                    .unwrap();
                loop {
                    let v = store.stream_version(shared).unwrap();
                    let expected = if v == StreamVersion::NONE {
                        ExpectedVersion::NoStream
                    } else {
                        ExpectedVersion::Exact(v)
                    };
                    match store
                        .append(request(shared, expected, vec![note("shared", w)]))
                        .await
                    {
                        Ok(_) => break,
                        Err(AppendError::Conflict { .. }) => conflicts += 1,
                        Err(e) => panic!("{e}"),
                    }
                }
            }
            conflicts
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let all = store.read_all(Position::new(1), usize::MAX).unwrap();
    let expected_total: u64 = (0..32u64)
        .map(|w| (0..20u64).map(|i| 1 + (w + i) % 3).sum::<u64>() + 20)
        .sum();
    assert_eq!(all.len() as u64, expected_total);
    let mut versions: HashMap<_, u64> = HashMap::new();
    for (i, e) in all.iter().enumerate() {
        assert_eq!(e.metadata.position.get(), i as u64 + 1, "gap at {i}");
        let v = versions.entry(e.metadata.stream_id).or_default();
        *v += 1;
        assert_eq!(e.metadata.stream_version.get(), *v, "stream version gap");
    }
    assert_eq!(
        store.stream_version(shared).unwrap(),
        StreamVersion::new(32 * 20)
    );
    let report = verify_chain(store.as_ref(), |_, _, _| {}).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}
