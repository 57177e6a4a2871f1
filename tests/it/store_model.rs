//! Model-based property test, after sled's own `tests/tree`: random appends (with right and wrong
//! expectations, retried command ids) and restarts against the sled store and a plain model.

use crate::store_support::{note, open_sled};
use delib::store::{AppendError, AppendRequest, EventStore, ExpectedVersion};
use delib_events::{CommandId, Position, StreamId, StreamKind, StreamVersion};
use proptest::prelude::*;
use std::collections::HashMap;

#[derive(Debug, Clone)]
enum Op {
    Append {
        stream: usize,
        events: u64,
        expect: Expect,
        retry_of: Option<usize>,
    },
    Restart,
}

#[derive(Debug, Clone)]
enum Expect {
    Any,
    NoStream,
    Current,
    Off(u64),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (0..4usize, 1..4u64, prop_oneof![Just(Expect::Any), Just(Expect::NoStream), Just(Expect::Current), (1..3u64).prop_map(Expect::Off)], proptest::option::weighted(0.2, 0..8usize))
            .prop_map(|(stream, events, expect, retry_of)| Op::Append { stream, events, expect, retry_of }),
        1 => Just(Op::Restart),
    ]
}

/// A command sent, its request, and the span it recorded (None if it was refused).
type Sent = (CommandId, AppendRequest, Option<(u64, u64)>);

#[derive(Default)]
struct Model {
    log: Vec<(usize, u64)>, // (stream index, version) by position - 1
    versions: HashMap<usize, u64>,
    commands: Vec<Sent>,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    #[test]
    fn sled_store_behaves_like_the_model(ops in proptest::collection::vec(op(), 1..40)) {
        let dir = tempfile::tempdir().unwrap();
        let streams: Vec<StreamId> = (0..4).map(|_| StreamId::from_uuid(uuid::Uuid::now_v7())).collect();
        let mut store = Some(open_sled(dir.path()));
        let mut model = Model::default();
        for op in ops {
            match op {
                Op::Restart => {
                    drop(store.take());
                    store = Some(open_sled(dir.path()));
                }
                Op::Append { stream, events, expect, retry_of } => {
                    let s = store.as_ref().unwrap();
                    let current = *model.versions.get(&stream).unwrap_or(&0);
                    let retried = retry_of.filter(|i| *i < model.commands.len());
                    if let Some((f, l)) = retried.and_then(|i| model.commands[i].2) {
                        // a retry of a recorded command: the original answer, nothing written
                        let (_, req, _) = model.commands[retried.unwrap()].clone();
                        let a = s.append_blocking(req).expect("a retry of a recorded command succeeds");
                        prop_assert!(a.duplicate);
                        prop_assert_eq!((a.first.get(), a.last.get()), (f, l));
                        continue;
                    }
                    let expected = match expect {
                        Expect::Any => ExpectedVersion::Any,
                        Expect::NoStream => ExpectedVersion::NoStream,
                        Expect::Current if current == 0 => ExpectedVersion::NoStream,
                        Expect::Current => ExpectedVersion::Exact(StreamVersion::new(current)),
                        Expect::Off(d) => ExpectedVersion::Exact(StreamVersion::new(current + d)),
                    };
                    let (cmd, req, stream) = match retried {
                        // a retry of a command that was refused is a fresh attempt of the same request
                        Some(i) => {
                            let (cmd, req, _) = model.commands[i].clone();
                            let stream = streams.iter().position(|s| *s == req.streams[0].stream_id).unwrap();
                            (cmd, req, stream)
                        }
                        None => {
                            let cmd = CommandId::from_uuid(uuid::Uuid::now_v7());
                            let req = AppendRequest::single(cmd, streams[stream], StreamKind::Test, expected,
                                (0..events).map(|k| note("m", k)).collect());
                            (cmd, req, stream)
                        }
                    };
                    let expected = req.streams[0].expected;
                    let events = req.streams[0].events.len() as u64;
                    let current = *model.versions.get(&stream).unwrap_or(&0);
                    let ok = expected.admits(StreamVersion::new(current));
                    let got = s.append_blocking(req.clone());
                    if ok {
                        let a = got.expect("append should succeed");
                        let first = model.log.len() as u64 + 1;
                        for k in 0..events {
                            model.log.push((stream, current + k + 1));
                        }
                        model.versions.insert(stream, current + events);
                        prop_assert_eq!((a.first.get(), a.last.get()), (first, model.log.len() as u64));
                        let span = Some((first, model.log.len() as u64));
                        match retried {
                            Some(i) => model.commands[i].2 = span,
                            None => model.commands.push((cmd, req, span)),
                        }
                    } else {
                        let is_conflict = matches!(got, Err(AppendError::Conflict { .. }));
                        prop_assert!(is_conflict);
                        if retried.is_none() {
                            model.commands.push((cmd, req, None));
                        }
                    }
                }
            }
        }
        let s = store.as_ref().unwrap();
        let all = s.read_all(Position::new(1), usize::MAX).unwrap();
        let got: Vec<(StreamId, u64)> = all.iter().map(|e| (e.metadata.stream_id, e.metadata.stream_version.get())).collect();
        let want: Vec<(StreamId, u64)> = model.log.iter().map(|(i, v)| (streams[*i], *v)).collect();
        prop_assert_eq!(got, want);
        for (i, id) in streams.iter().enumerate() {
            let n = s.read_stream(*id, StreamVersion::new(1)).unwrap().len() as u64;
            prop_assert_eq!(n, *model.versions.get(&i).unwrap_or(&0));
        }
    }
}
