//! Ledgers whose indexes were written in an earlier key layout still read and still refuse to record
//! a command twice, across restarts. The old entries are built by hand through the same sled tree, as
//! the store before the packed layouts wrote them.

use crate::store_support::{new_stream, note, open_sled};
use delib::store::{AppendRequest, EventStore, ExpectedVersion};
use delib_events::{CommandId, Position, StreamKind};

/// A command id with the given first six bytes (a UUIDv7's millisecond) and a distinct tail.
fn command_with_prefix(prefix: [u8; 6], n: u32) -> CommandId {
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&prefix);
    bytes[6] = 0x70;
    bytes[12..].copy_from_slice(&n.to_be_bytes());
    CommandId::from_bytes(bytes)
}

fn single(command: CommandId, text: &str) -> AppendRequest {
    AppendRequest::single(
        command,
        new_stream(),
        StreamKind::Test,
        ExpectedVersion::NoStream,
        vec![note(text, 1)],
    )
}

/// A ledger written before small groups were journaled has no journal: drop the one the appends above
/// left, or opening would apply that group's writes (in the new layout) again over the old keys.
fn forget_journal(db: &sled::Db) {
    db.drop_tree("journal").unwrap();
}

fn span(first: Position, last: Position) -> Vec<u8> {
    let mut v = first.to_be_bytes().to_vec();
    v.extend_from_slice(&last.to_be_bytes());
    v
}

#[test]
fn commands_indexed_one_key_each_as_before_are_still_found_after_a_restart() {
    // given a ledger of 20 appends whose command index is in the old layout: one `c` key per command
    let dir = tempfile::tempdir().unwrap();
    let mut sent = Vec::new();
    {
        let store = open_sled(dir.path());
        for i in 0..20 {
            let req = single(CommandId::from_uuid(uuid::Uuid::now_v7()), &format!("n{i}"));
            let done = store.append_blocking(req.clone()).unwrap();
            sent.push((req, done));
        }
        let db = store.db();
        let buckets: Vec<_> = db.scan_prefix(b"C").keys().map(Result::unwrap).collect();
        assert!(!buckets.is_empty(), "the new layout wrote buckets");
        for key in buckets {
            db.remove(key).unwrap();
        }
        for (req, done) in &sent {
            let mut key = vec![b'c'];
            key.extend_from_slice(&req.command_id.to_bytes());
            db.insert(key, span(done.first, done.last)).unwrap();
        }
        forget_journal(db);
        db.flush().unwrap();
    }
    // when the ledger is reopened and every command is sent again
    let store = open_sled(dir.path());
    let head = store.head();
    for (req, done) in &sent {
        let again = store.append_blocking(req.clone()).unwrap();
        // then each gets its original answer and nothing is written
        assert!(again.duplicate);
        assert_eq!((again.first, again.last), (done.first, done.last));
    }
    assert_eq!(store.head(), head);
    // and a new command in the same millisecond as an old one is new
    let fresh = command_with_prefix(sent[0].0.command_id.to_bytes()[..6].try_into().unwrap(), 7);
    assert!(
        !store
            .append_blocking(single(fresh, "new"))
            .unwrap()
            .duplicate
    );
    // and the index lists every command once, in either layout
    let mut listed = Vec::new();
    store
        .scan_command_index(|c, s| listed.push((c, s)))
        .unwrap();
    assert_eq!(listed.len(), 21);
    for (req, done) in &sent {
        assert!(listed.contains(&(req.command_id, Some((done.first, done.last)))));
    }
}

#[test]
fn more_commands_than_a_bucket_holds_in_one_millisecond_are_all_recorded_durably() {
    // given 300 commands sharing their first six bytes (more than one bucket holds), sent in groups
    let dir = tempfile::tempdir().unwrap();
    let prefix = [1, 2, 3, 4, 5, 6];
    let mut sent = Vec::new();
    {
        let store = std::sync::Arc::new(open_sled(dir.path()));
        let mut handles = Vec::new();
        for t in 0..4u32 {
            let store = store.clone();
            handles.push(std::thread::spawn(move || {
                (0..75u32)
                    .map(|i| {
                        let req = single(command_with_prefix(prefix, t * 1000 + i), "n");
                        let done = store.append_blocking(req.clone()).unwrap();
                        assert!(!done.duplicate);
                        (req, done)
                    })
                    .collect::<Vec<_>>()
            }));
        }
        for h in handles {
            sent.extend(h.join().unwrap());
        }
    }
    // when the ledger is reopened and every command is sent again
    let store = open_sled(dir.path());
    let head = store.head();
    assert_eq!(head.position, Position::new(300));
    for (req, done) in &sent {
        let again = store.append_blocking(req.clone()).unwrap();
        // then each is recognised with its original span
        assert!(again.duplicate);
        assert_eq!((again.first, again.last), (done.first, done.last));
    }
    assert_eq!(store.head(), head);
    let mut listed = 0;
    store
        .scan_command_index(|_, s| listed += usize::from(s.is_some()))
        .unwrap();
    assert_eq!(listed, 300);
}

#[test]
fn streams_indexed_one_key_per_event_as_before_read_whole_and_continue_in_runs() {
    // given a ledger of two streams whose stream index is in the old layout: one `s` key per event
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (new_stream(), new_stream());
    {
        let store = open_sled(dir.path());
        for (i, s) in [a, b, a, a, b].into_iter().enumerate() {
            let req = AppendRequest::single(
                CommandId::from_uuid(uuid::Uuid::now_v7()),
                s,
                StreamKind::Test,
                ExpectedVersion::Any,
                vec![note(&format!("n{i}"), i as u64)],
            );
            store.append_blocking(req).unwrap();
        }
        let entries: Vec<_> = store
            .read_all(Position::new(1), usize::MAX)
            .unwrap()
            .into_iter()
            .map(|e| {
                (
                    e.metadata.stream_id,
                    e.metadata.stream_version,
                    e.metadata.position,
                )
            })
            .collect();
        let db = store.db();
        let runs: Vec<_> = db.scan_prefix(b"S").keys().map(Result::unwrap).collect();
        assert!(!runs.is_empty(), "the new layout wrote runs");
        for key in runs {
            db.remove(key).unwrap();
        }
        for (stream, version, position) in entries {
            let mut key = vec![b's'];
            key.extend_from_slice(&stream.to_bytes());
            key.extend_from_slice(&version.to_be_bytes());
            db.insert(key, &position.to_be_bytes()[..]).unwrap();
        }
        forget_journal(db);
        db.flush().unwrap();
    }
    // when the ledger is reopened
    let store = open_sled(dir.path());
    let versions = |s| -> Vec<(u64, u64)> {
        store
            .read_stream(s, delib_events::StreamVersion::new(1))
            .unwrap()
            .iter()
            .map(|e| (e.metadata.stream_version.get(), e.metadata.position.get()))
            .collect()
    };
    // then each stream reads whole, with its versions where they were
    assert_eq!(versions(a), vec![(1, 1), (2, 3), (3, 4)]);
    assert_eq!(versions(b), vec![(1, 2), (2, 5)]);
    assert_eq!(store.stream_version(a).unwrap().get(), 3);
    // and appends continue them (in runs) with exact expectations, and reads join both layouts
    for i in 0..40u64 {
        let req = AppendRequest::single(
            CommandId::from_uuid(uuid::Uuid::now_v7()),
            a,
            StreamKind::Test,
            ExpectedVersion::Exact(delib_events::StreamVersion::new(3 + i)),
            vec![note("more", i)],
        );
        store.append_blocking(req).unwrap();
    }
    let read = versions(a);
    assert_eq!(read.len(), 43);
    assert!(read
        .iter()
        .enumerate()
        .all(|(i, (v, _))| *v == i as u64 + 1));
    assert_eq!(read[3], (4, 6));
    let from_middle = store
        .read_stream(a, delib_events::StreamVersion::new(3))
        .unwrap();
    assert_eq!(from_middle.len(), 41);
    assert_eq!(from_middle[0].metadata.stream_version.get(), 3);
    // and a page of it, across the two layouts, is that many of the same events
    for (from, limit) in [(2u64, 4usize), (3, 1), (1, 3), (40, 10), (44, 5)] {
        let page = store
            .read_stream_page(a, delib_events::StreamVersion::new(from), limit)
            .unwrap();
        let whole = store
            .read_stream(a, delib_events::StreamVersion::new(from))
            .unwrap();
        assert_eq!(page.len(), whole.len().min(limit), "from {from}, {limit}");
        assert!(
            page.iter().zip(&whole).all(|(p, w)| p == w),
            "from {from}, {limit}"
        );
    }
    // and the index lists every event once
    let mut listed = 0u64;
    store
        .scan_stream_index(|_, _, p| listed += u64::from(p.is_some()))
        .unwrap();
    assert_eq!(listed, store.head().position.get());
    // and after a restart the stream still reads whole and takes the next version
    drop(store);
    let store = open_sled(dir.path());
    assert_eq!(store.stream_version(a).unwrap().get(), 43);
    assert_eq!(
        store
            .read_stream(a, delib_events::StreamVersion::new(1))
            .unwrap()
            .len(),
        43
    );
}

#[test]
fn records_stored_one_key_each_as_before_read_prove_and_continue_in_packs() {
    // given a ledger of 100 records stored in the old layout: one `e position` key each
    let dir = tempfile::tempdir().unwrap();
    let stream = new_stream();
    let (root, all) = {
        let store = open_sled(dir.path());
        for i in 0..100u64 {
            let req = AppendRequest::single(
                CommandId::from_uuid(uuid::Uuid::now_v7()),
                stream,
                StreamKind::Test,
                ExpectedVersion::Any,
                vec![note(&format!("n{i}"), i)],
            );
            store.append_blocking(req).unwrap();
        }
        let root = store.merkle_root(100).unwrap();
        let all = store.read_raw(Position::new(1), usize::MAX).unwrap();
        let db = store.db();
        let packs: Vec<_> = db.scan_prefix(b"E").keys().map(Result::unwrap).collect();
        assert!(!packs.is_empty(), "the new layout wrote packs");
        for key in packs {
            db.remove(key).unwrap();
        }
        for (position, bytes) in &all {
            let mut key = vec![b'e'];
            key.extend_from_slice(&position.to_be_bytes());
            db.insert(key, bytes.as_slice()).unwrap();
        }
        forget_journal(db);
        db.flush().unwrap();
        (root, all)
    };
    // when the ledger is reopened (its tail checked) and 50 more records are appended
    let store = open_sled(dir.path());
    assert_eq!(store.head().position, Position::new(100));
    // then the old records read exactly, and prove into the same tree
    assert_eq!(store.read_raw(Position::new(1), usize::MAX).unwrap(), all);
    assert_eq!(store.merkle_root(100).unwrap(), root);
    for i in 0..50u64 {
        let req = AppendRequest::single(
            CommandId::from_uuid(uuid::Uuid::now_v7()),
            stream,
            StreamKind::Test,
            ExpectedVersion::Any,
            vec![note("more", i)],
        );
        store.append_blocking(req).unwrap();
    }
    // and reads join both layouts: by position across the boundary, by stream, in proofs
    let across = store.read_all(Position::new(95), 10).unwrap();
    let positions: Vec<u64> = across.iter().map(|e| e.metadata.position.get()).collect();
    assert_eq!(positions, (95..105).collect::<Vec<_>>());
    let events = store
        .read_stream(stream, delib_events::StreamVersion::new(1))
        .unwrap();
    assert_eq!(events.len(), 150);
    assert!(events
        .iter()
        .enumerate()
        .all(|(i, e)| e.metadata.position.get() == i as u64 + 1));
    let proof = store.inclusion_proof(99, 150).unwrap();
    assert!(!proof.is_empty());
    let root150 = store.merkle_root(150).unwrap();
    // and after a restart (whose tail check reads packs, then old keys) all of it is still there
    drop(store);
    let store = open_sled(dir.path());
    assert_eq!(store.head().position, Position::new(150));
    assert_eq!(store.merkle_root(150).unwrap(), root150);
    assert_eq!(
        store.read_raw(Position::new(1), usize::MAX).unwrap().len(),
        150
    );
}

/// Rewrites every packed entry of the closed ledger in `dir` into the layout before packs: records
/// in `e` keys, stream entries in `s` keys, command entries in `c` keys.
fn rewrite_in_old_layout(dir: &std::path::Path) {
    let db = sled::open(dir.join("sled")).unwrap();
    let last = crate::audit_support::last_position(&db);
    let records: Vec<_> = (1..=last)
        .map(|p| crate::audit_support::record(&db, p))
        .collect();
    let mut old = Vec::new();
    for (i, bytes) in records.into_iter().enumerate() {
        old.push((
            crate::audit_support::event_key(i as u64 + 1).to_vec(),
            bytes,
        ));
    }
    for (k, v) in db.scan_prefix(b"S").map(Result::unwrap) {
        let first = u64::from_be_bytes(k[17..25].try_into().unwrap());
        assert_eq!(v[0], 1, "run format");
        for (i, p) in v[1..].chunks(8).enumerate() {
            let mut key = k[..17].to_vec();
            key[0] = b's';
            key.extend_from_slice(&(first + i as u64).to_be_bytes());
            old.push((key, p.to_vec()));
        }
    }
    for (k, v) in db.scan_prefix(b"C").map(Result::unwrap) {
        assert_eq!(v[0], 1, "bucket format");
        for e in v[1..].chunks(26) {
            let mut key = vec![b'c'];
            key.extend_from_slice(&k[1..7]);
            key.extend_from_slice(&e[..10]);
            old.push((key, e[10..].to_vec()));
        }
    }
    let packed: Vec<_> = [b"E", b"S", b"C"]
        .iter()
        .flat_map(|p| db.scan_prefix(p).keys().map(Result::unwrap))
        .collect();
    assert!(!packed.is_empty());
    for k in packed {
        db.remove(k).unwrap();
    }
    for (k, v) in old {
        db.insert(k, v).unwrap();
    }
    forget_journal(&db);
    db.flush().unwrap();
}

#[test]
fn a_ledger_written_wholly_in_the_layout_before_packs_passes_audit_verify_before_and_after_appends()
{
    use crate::audit_support::{append_events, delib, json, ledger_with_events};
    // given a ledger of 150 events whose records and indexes are all in the layout before packs
    let dir = tempfile::tempdir().unwrap();
    ledger_with_events(dir.path(), 150);
    rewrite_in_old_layout(dir.path());
    // when it is verified in full (records, chain, Merkle nodes, both indexes, checkpoints)
    let out = delib(dir.path(), &["--json", "audit", "verify"]);
    // then it is whole, every record and index entry compared
    let report = json(&out);
    assert_eq!(report["ok"], true, "{report}");
    let records = report["checked"]["records"].as_u64().unwrap();
    assert!(records > 150, "{report}");
    assert_eq!(
        report["checked"]["stream_index_entries"].as_u64(),
        Some(records)
    );
    assert!(report["checked"]["command_index_entries"].as_u64().unwrap() >= 50);
    // and after 100 more events, written in the new layout after the old one, it still is
    {
        let ledger =
            delib::ledger::Ledger::open(dir.path(), std::sync::Arc::new(delib::clock::SystemClock))
                .unwrap();
        append_events(&ledger, 100);
    }
    let out = delib(dir.path(), &["--json", "audit", "verify"]);
    let report = json(&out);
    assert_eq!(report["ok"], true, "{report}");
    assert_eq!(report["checked"]["records"].as_u64(), Some(records + 100));
    assert_eq!(
        report["checked"]["stream_index_entries"].as_u64(),
        Some(records + 100)
    );
}
