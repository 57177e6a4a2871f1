//! A group written as plain inserts, made atomic by a redo journal (key `J`).
//!
//! sled 0.34.7's `apply_batch` makes a group atomic with a batch manifest that it writes in an I/O
//! buffer of its own before the batch's (`PageCache::pin_log`): every batch waits for the device
//! twice before our fsync, where a single insert waits once. With one writer that extra wait was a
//! third of an append (BENCHMARKS.md, `bench append --writers 1`).
//!
//! A journaled group instead writes, in this order, with plain inserts:
//!
//! 1. `J` := the group's last position and every key it writes, with the value it writes (or its
//!    removal) — a redo record;
//! 2. each of those writes, in the same order;
//!
//! then the syncer flushes and fsyncs as for a batch, and only then answers. sled recovers a
//! **prefix** of its log (its recovery stops at the first torn message, which is also what its own
//! batch manifests rely on), and one thread issues these inserts in order, so after a crash:
//!
//! - `J` of this group is lost: so is every write of the group after it — the group never happened;
//! - `J` survived: some of its writes may be lost. [`repair`] applies them all again on open (each
//!   is the final value of its key as of this group, so applying it twice changes nothing).
//!
//! `J` holds the *last* journaled group. The writer applies the next group while the syncer syncs
//! this one, so the next `J` may overwrite this one before it is durable; the log being recovered as a
//! prefix, a surviving later `J` means every write before it, this group's included, survived. A later
//! group written with `apply_batch` leaves `J` in place; it is applied again only when no record after
//! its last position survived (its group was then the last one written). Groups are journaled only
//! when they are not too large ([`MAX_BYTES`]) and write no side entries (a side scan is not bounded
//! by the head, so those stay one atomic batch).

use crate::store::StoreError;
use delib_events::Position;

/// The tree holding the journal, apart from the ledger's keys (so that neither's leaves carry the
/// other's values: sled copies a leaf on every write to it).
pub(crate) const TREE: &str = "journal";
/// The journal's key in [`TREE`] (one key, overwritten by every journaled group).
pub(crate) const KEY: &[u8] = b"J";
/// The journal value's format byte.
const FORMAT: u8 = 1;
/// A group is journaled only if its writes (keys and values) take at most this many bytes, so that
/// `J` stays one inline value in sled's log: sled writes a value over about 128 KiB (a quarter of its
/// 512 KiB segment) to a file of its own under `blobs/`. A larger group is one `apply_batch`, which
/// waits for any flush in progress (sled's batches take its global write lock).
pub(crate) const MAX_BYTES: usize = 96 << 10;

/// The key prefixes a journaled group writes: record packs, Merkle nodes, stream runs, command
/// buckets and (a full bucket's overflow) command keys.
const JOURNALED: [u8; 5] = [
    crate::store::keys::RECORD_PACK,
    crate::store::keys::TREE,
    crate::store::keys::STREAM_RUN,
    crate::store::keys::COMMAND_BUCKET,
    crate::store::keys::COMMAND,
];

const PUT: u8 = 1;
const REMOVE: u8 = 2;

/// One write of a group: a key and the value it gets, or `None` for a removal.
pub(crate) type Write = (Vec<u8>, Option<Vec<u8>>);

/// The bytes of all `writes` (what [`MAX_BYTES`] bounds).
pub(crate) fn size(writes: &[Write]) -> usize {
    writes
        .iter()
        .map(|(k, v)| k.len() + v.as_ref().map_or(0, Vec::len))
        .sum()
}

/// `J`'s value: format(1) last(8) then per write op(1) key_len(4) key [value_len(4) value].
fn encode(last: Position, writes: &[Write]) -> Vec<u8> {
    let mut out = Vec::with_capacity(9 + size(writes) + 9 * writes.len());
    out.push(FORMAT);
    out.extend_from_slice(&last.to_be_bytes());
    for (k, v) in writes {
        out.push(if v.is_some() { PUT } else { REMOVE });
        out.extend_from_slice(&(k.len() as u32).to_be_bytes());
        out.extend_from_slice(k);
        if let Some(v) = v {
            out.extend_from_slice(&(v.len() as u32).to_be_bytes());
            out.extend_from_slice(v);
        }
    }
    out
}

fn decode(value: &[u8]) -> Result<(Position, Vec<Write>), StoreError> {
    let malformed = || StoreError::Corrupt {
        position: Position::ZERO,
        reason: "the store's journal (key J) is malformed".into(),
    };
    let mut r = Reader(value);
    if r.take(1).ok_or_else(malformed)? != [FORMAT] {
        return Err(malformed());
    }
    let last = Position::from_be_bytes(r.array().ok_or_else(malformed)?);
    let mut writes = Vec::new();
    while let Some(op) = r.take(1) {
        let key = r.sized().ok_or_else(malformed)?.to_vec();
        let value = match op[0] {
            PUT => Some(r.sized().ok_or_else(malformed)?.to_vec()),
            REMOVE => None,
            _ => return Err(malformed()),
        };
        writes.push((key, value));
    }
    Ok((last, writes))
}

/// Reads a journal value front to back.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }

    fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N)?.try_into().ok()
    }

    /// A length (u32, big-endian) and that many bytes.
    fn sized(&mut self) -> Option<&'a [u8]> {
        let len = u32::from_be_bytes(self.array()?) as usize;
        self.take(len)
    }
}

/// Writes a group: the journal first, then every write in order (see the module documentation).
/// Not durable until the caller's flush + fsync.
///
/// # Errors
/// sled errors (the caller poisons the store: what reached the disk is unknown until reopened).
pub(crate) fn write(
    db: &::sled::Db,
    journal: &::sled::Tree,
    last: Position,
    writes: Vec<Write>,
) -> Result<(), StoreError> {
    journal.insert(KEY, encode(last, &writes))?;
    apply(db, writes)
}

fn apply(db: &::sled::Db, writes: Vec<Write>) -> Result<(), StoreError> {
    for (k, v) in writes {
        match v {
            Some(v) => {
                db.insert(k, v)?;
            }
            None => {
                db.remove(k)?;
            }
        }
    }
    Ok(())
}

/// On open, before anything reads the indexes: applies the journaled group again when it may have
/// been cut short, i.e. when no record after its last position survived (`last_record`, the last
/// position on disk). Returns how many writes were applied again (0 when the journal is older than
/// the last group, or absent).
///
/// # Errors
/// sled errors, a malformed journal.
pub(crate) fn repair(db: &::sled::Db, last_record: u64) -> Result<usize, StoreError> {
    let Some(value) = db.open_tree(TREE)?.get(KEY)? else {
        return Ok(0);
    };
    let (last, writes) = decode(&value)?;
    if last.get() < last_record {
        return Ok(0);
    }
    // Only what a journaled group writes is applied again: a journal naming any other key (side
    // entries are never journaled) was not written by the store.
    if let Some((key, _)) = writes
        .iter()
        .find(|(k, _)| !JOURNALED.contains(&k.first().copied().unwrap_or(0)))
    {
        return Err(StoreError::Corrupt {
            position: last,
            reason: format!(
                "the store's journal names a key it never writes (prefix {:?})",
                key.first().map(|b| char::from(*b))
            ),
        });
    }
    let n = writes.len();
    apply(db, writes)?;
    db.flush()?;
    tracing::debug!(
        position = last.get(),
        writes = n,
        "the last journaled group applied again"
    );
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn db() -> (tempfile::TempDir, ::sled::Db) {
        let dir = tempfile::tempdir().unwrap();
        let db = ::sled::Config::new().path(dir.path()).open().unwrap();
        (dir, db)
    }

    fn w(k: &[u8], v: Option<&[u8]>) -> Write {
        (k.to_vec(), v.map(<[u8]>::to_vec))
    }

    #[test]
    fn a_journal_decodes_to_what_was_encoded() {
        let writes = vec![w(b"a", Some(b"1")), w(b"b", None), w(b"", Some(b""))];
        let (last, decoded) = decode(&encode(Position::new(7), &writes)).unwrap();
        assert_eq!(last, Position::new(7));
        assert_eq!(decoded, writes);
    }

    #[test]
    fn a_truncated_or_unknown_journal_is_refused() {
        let bytes = encode(Position::new(7), &[w(b"key", Some(b"value"))]);
        for cut in 1..bytes.len() {
            if cut == 9 {
                continue; // the header alone is a journal of no writes
            }
            assert!(decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut other = bytes.clone();
        other[0] = 9;
        assert!(decode(&other).is_err());
    }

    #[test]
    fn given_a_group_cut_short_when_repaired_then_every_write_is_there() {
        let (_dir, db) = db();
        db.insert(b"Sb", b"old".to_vec()).unwrap();
        let writes = vec![w(b"Ea", Some(b"1")), w(b"Sb", None), w(b"Cc", Some(b"3"))];
        // As if only the journal reached the disk.
        let journal = db.open_tree(TREE).unwrap();
        journal
            .insert(KEY, encode(Position::new(10), &writes))
            .unwrap();
        assert_eq!(repair(&db, 9).unwrap(), 3);
        assert_eq!(db.get(b"Ea").unwrap().as_deref(), Some(&b"1"[..]));
        assert_eq!(db.get(b"Sb").unwrap(), None);
        assert_eq!(db.get(b"Cc").unwrap().as_deref(), Some(&b"3"[..]));
        // Applying it again (a second crash during repair) changes nothing.
        assert_eq!(repair(&db, 10).unwrap(), 3);
        assert_eq!(db.get(b"Cc").unwrap().as_deref(), Some(&b"3"[..]));
    }

    #[test]
    fn a_journal_naming_a_key_the_store_never_journals_is_refused_and_applies_nothing() {
        let (_dir, db) = db();
        let journal = db.open_tree(TREE).unwrap();
        let writes = vec![w(b"Ea", Some(b"1")), w(b"xsealed", None)];
        journal
            .insert(KEY, encode(Position::new(10), &writes))
            .unwrap();
        assert!(matches!(repair(&db, 9), Err(StoreError::Corrupt { .. })));
        assert_eq!(db.get(b"Ea").unwrap(), None);
    }

    #[test]
    fn given_a_later_group_on_disk_when_opened_then_an_older_journal_is_left_alone() {
        let (_dir, db) = db();
        let journal = db.open_tree(TREE).unwrap();
        write(
            &db,
            &journal,
            Position::new(10),
            vec![w(b"run", Some(b"v10"))],
        )
        .unwrap();
        // A later group (a batch) rewrote the same key and ended at 12.
        db.insert(b"run", b"v12".to_vec()).unwrap();
        assert_eq!(repair(&db, 12).unwrap(), 0);
        assert_eq!(db.get(b"run").unwrap().as_deref(), Some(&b"v12"[..]));
    }

    mod crash_points {
        use super::super::{decode, KEY, TREE};
        use crate::store::{
            AppendRequest, EventStore, ExpectedVersion, NewEvent, SledStore, StoreOptions,
        };
        use delib_events::{
            CommandId, Event, Position, StreamId, StreamKind, StreamVersion, TestEvent, Timestamp,
        };
        use std::collections::BTreeMap;
        use std::path::Path;

        type Dump = BTreeMap<Vec<u8>, Vec<u8>>;

        fn open(dir: &Path) -> SledStore {
            let options = StoreOptions {
                create: true,
                ..StoreOptions::default()
            };
            SledStore::open(dir, options).unwrap()
        }

        fn append(store: &SledStore, stream: StreamId, version: u64, n: u64) -> CommandId {
            let command = CommandId::from_uuid(uuid::Uuid::now_v7());
            let events = (0..n)
                .map(|seq| {
                    let text = format!("statement {version}.{seq}");
                    NewEvent::new(
                        Event::Test(TestEvent::TestNoted { text, seq }),
                        Timestamp::from_micros(0),
                    )
                })
                .collect();
            let expected = if version == 0 {
                ExpectedVersion::NoStream
            } else {
                ExpectedVersion::Exact(StreamVersion::new(version))
            };
            let request =
                AppendRequest::single(command, stream, StreamKind::Test, expected, events);
            store.append_blocking(request).unwrap();
            command
        }

        /// The store's tree and its journal as sled holds them (the store closed).
        fn dump(sled_dir: &Path) -> (Dump, Option<Vec<u8>>) {
            let db = ::sled::Config::new().path(sled_dir).open().unwrap();
            let tree = db
                .iter()
                .map(|kv| {
                    let (k, v) = kv.unwrap();
                    (k.to_vec(), v.to_vec())
                })
                .collect();
            let journal = db.open_tree(TREE).unwrap().get(KEY).unwrap();
            (tree, journal.map(|j| j.to_vec()))
        }

        /// A ledger whose tree holds `before`, then the journal and the first `k` of its writes
        /// (`None`: not even the journal), as a crash could leave it.
        fn crashed(dir: &Path, before: &(Dump, Option<Vec<u8>>), journal: &[u8], k: Option<usize>) {
            let ops = k.map_or(0, |k| 1 + k);
            crashed_in_sequence(dir, before, &[journal.to_vec()], ops);
        }

        #[test]
        fn every_crash_point_of_a_journaled_group_leaves_it_whole_or_absent() {
            // Given a ledger of two streams, whose last group rewrites a stream run, a command
            // bucket and Merkle nodes that earlier groups wrote
            let tmp = tempfile::tempdir().unwrap();
            let ledger = tmp.path().join("ledger");
            let (a, b) = (
                StreamId::from_uuid(uuid::Uuid::now_v7()),
                StreamId::from_uuid(uuid::Uuid::now_v7()),
            );
            let store = open(&ledger);
            append(&store, a, 0, 8);
            append(&store, b, 0, 4);
            append(&store, a, 8, 2);
            let before_head = store.head();
            drop(store);
            let before = dump(&ledger.join("sled"));
            let store = open(&ledger);
            let last = append(&store, a, 10, 3); // positions 15 to 17: completes 16 leaves
            let after_head = store.head();
            drop(store);
            let after = dump(&ledger.join("sled"));
            let journal = after.1.clone().expect("the last group was journaled");
            assert_ne!(before.1.as_ref(), Some(&journal));
            let (journal_last, writes) = decode(&journal).unwrap();
            assert_eq!(journal_last, after_head.position);
            let kinds: Vec<u8> = writes.iter().map(|(k, _)| k[0]).collect();
            assert_eq!(kinds, b"EtSC", "a pack, a tree node, a run, a bucket");

            // When a crash left nothing of the group, or its journal and any prefix of its writes
            let points = std::iter::once(None).chain((0..=writes.len()).map(Some));
            for (i, point) in points.enumerate() {
                let dir = tmp.path().join(format!("crash-{i}"));
                crashed(&dir, &before, &journal, point);
                let store = open(&dir);
                // Then the ledger opens (its tail checked) with the group whole or absent
                let (head, version) = (store.head(), store.stream_version(a).unwrap());
                let span = store.command_span(last).unwrap();
                let root = store.merkle_root(head.position.get()).unwrap();
                let read = store.read_raw(Position::new(1), usize::MAX).unwrap();
                drop(store);
                match point {
                    None => {
                        assert_eq!(head, before_head);
                        assert_eq!(version, StreamVersion::new(10));
                        assert_eq!(span, None);
                        assert_eq!(dump(&dir.join("sled")), before);
                    }
                    Some(k) => {
                        assert_eq!(head, after_head, "crash after {k} writes");
                        assert_eq!(version, StreamVersion::new(13));
                        assert_eq!(span.map(|(_, l)| l), Some(after_head.position));
                        assert_eq!(dump(&dir.join("sled")), after, "crash after {k} writes");
                    }
                }
                assert_eq!(read.len() as u64, head.position.get());
                let source = ledger_root(&read);
                assert_eq!(root, source);
            }
        }

        /// A ledger whose tree holds `before`, then the first `ops` operations of the journaled
        /// groups `journals` written one after the other (each its `J`, then its writes), as a
        /// crash could leave it while the writer applied one group and the syncer synced the one
        /// before.
        fn crashed_in_sequence(
            dir: &Path,
            before: &(Dump, Option<Vec<u8>>),
            journals: &[Vec<u8>],
            ops: usize,
        ) {
            let db = ::sled::Config::new().path(dir.join("sled")).open().unwrap();
            for (key, value) in &before.0 {
                db.insert(key.as_slice(), value.as_slice()).unwrap();
            }
            let tree = db.open_tree(TREE).unwrap();
            if let Some(previous) = &before.1 {
                tree.insert(KEY, previous.as_slice()).unwrap();
            }
            let mut left = ops;
            'groups: for journal in journals {
                if left == 0 {
                    break;
                }
                tree.insert(KEY, journal.as_slice()).unwrap();
                left -= 1;
                for (key, value) in decode(journal).unwrap().1 {
                    if left == 0 {
                        break 'groups;
                    }
                    match value {
                        Some(v) => db.insert(key, v).unwrap(),
                        None => db.remove(key).unwrap(),
                    };
                    left -= 1;
                }
            }
            db.flush().unwrap();
        }

        #[test]
        fn every_crash_point_of_two_groups_in_flight_leaves_each_whole_or_absent() {
            // Given a ledger, then two journaled groups written back to back (the second applied
            // while the first is still being synced), the second rewriting the first's run, bucket
            // and Merkle nodes
            let tmp = tempfile::tempdir().unwrap();
            let ledger = tmp.path().join("ledger");
            let a = StreamId::from_uuid(uuid::Uuid::now_v7());
            let store = open(&ledger);
            append(&store, a, 0, 5);
            let heads = [store.head()];
            drop(store);
            let before = dump(&ledger.join("sled"));
            let store = open(&ledger);
            let first = append(&store, a, 5, 2);
            let first_head = store.head();
            drop(store);
            let after_first = dump(&ledger.join("sled"));
            let store = open(&ledger);
            let second = append(&store, a, 7, 3);
            let second_head = store.head();
            drop(store);
            let after_second = dump(&ledger.join("sled"));
            let journals = [
                after_first.1.clone().expect("journaled"),
                after_second.1.clone().expect("journaled"),
            ];
            let first_ops = 1 + decode(&journals[0]).unwrap().1.len();
            let all_ops = first_ops + 1 + decode(&journals[1]).unwrap().1.len();

            // When a crash kept any prefix of the two groups' operations
            for ops in 0..=all_ops {
                let dir = tmp.path().join(format!("crash-{ops}"));
                crashed_in_sequence(&dir, &before, &journals, ops);
                let store = open(&dir);
                let head = store.head();
                let spans = (
                    store.command_span(first).unwrap(),
                    store.command_span(second).unwrap(),
                );
                let version = store.stream_version(a).unwrap();
                let read = store.read_raw(Position::new(1), usize::MAX).unwrap();
                let root = store.merkle_root(head.position.get()).unwrap();
                drop(store);
                // Then the ledger opens with the first group whole or absent, and the second
                // whole or absent, never the second without the first
                let dumped = dump(&dir.join("sled"));
                if ops == 0 {
                    assert_eq!((head, version), (heads[0], StreamVersion::new(5)));
                    assert_eq!(spans, (None, None));
                    assert_eq!(dumped, before);
                } else if ops <= first_ops {
                    assert_eq!(head, first_head, "crash after {ops} operations");
                    assert_eq!(version, StreamVersion::new(7));
                    assert_eq!(spans.0.map(|(_, l)| l), Some(first_head.position));
                    assert_eq!(spans.1, None);
                    assert_eq!(dumped, after_first, "crash after {ops} operations");
                } else {
                    assert_eq!(head, second_head, "crash after {ops} operations");
                    assert_eq!(version, StreamVersion::new(10));
                    assert!(spans.0.is_some());
                    assert_eq!(spans.1.map(|(_, l)| l), Some(second_head.position));
                    assert_eq!(dumped, after_second, "crash after {ops} operations");
                }
                assert_eq!(read.len() as u64, head.position.get());
                assert_eq!(root, ledger_root(&read));
            }
        }

        /// The Merkle root hashed from the records read (not the stored nodes).
        fn ledger_root(read: &[(Position, Vec<u8>)]) -> crate::audit::merkle::Hash {
            let mut frontier = crate::audit::merkle::Frontier::new();
            for (_, bytes) in read {
                frontier.push(crate::audit::merkle::leaf_hash(bytes));
            }
            frontier.root()
        }
    }
}
