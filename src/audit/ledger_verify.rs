//! `delib audit verify`: re-reads every record and checks everything that can be checked from the
//! data directory alone.
//!
//! 1. every record decodes, sits at the position it claims, and the hash chain links them all
//!    ([`crate::store::verify::verify_chain`]);
//! 2. the Merkle tree rebuilt from the records equals every stored subtree node, and no stored node
//!    is unexplained;
//! 3. the stream index and the command (idempotency) index agree with the log, entry by entry;
//! 4. every recorded checkpoint is signed by the ledger's key, names the ledger's origin, and its root
//!    is the root of the rebuilt tree at its size (so no record under a checkpoint was rewritten);
//! 5. every attached document is on file with its recorded SHA-256, and every withdrawn one is gone
//!    ([`super::documents_verify`]).
//!
//! It never fails and never panics on damage: storage errors, sled's own corruption reports included,
//! are problems in the report like any other.

use super::checkpoint::SignedCheckpoint;
use super::merkle::{self, CompletedNode, Hash, MemoryTree};
use crate::ledger::Ledger;
use crate::store::verify::{verify_chain, Problem};
use delib_events::{CommandId, Event, LedgerEvent, Position, StreamId, StreamVersion};
use serde::Serialize;
use std::collections::HashMap;

/// What `audit verify` prints (`ok`, `size`, `root`, `problems` are the CLI contract).
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    /// True only when no problem was found.
    pub ok: bool,
    /// Records read.
    pub size: u64,
    /// Hex RFC 9162 root of the records read.
    pub root: String,
    /// Every problem, with the position it concerns (0 when not tied to one record).
    pub problems: Vec<Problem>,
    /// What was checked.
    pub checked: Checked,
}

/// Counts of what a verification looked at.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Checked {
    /// Records decoded and chained.
    pub records: u64,
    /// Stored Merkle nodes compared.
    pub merkle_nodes: u64,
    /// Stream index entries compared.
    pub stream_index_entries: u64,
    /// Command index entries compared.
    pub command_index_entries: u64,
    /// Signed checkpoints verified.
    pub checkpoints: u64,
    /// Stored documents checked against their hashes (withdrawn ones: checked absent).
    pub documents: u64,
}

struct Seen {
    stream: StreamId,
    version: StreamVersion,
    command: CommandId,
}

/// Verifies the ledger. See the module documentation for what is checked.
pub fn verify_ledger(ledger: &Ledger) -> VerifyReport {
    verify_ledger_with(ledger, false, &mut || {})
}

/// [`verify_ledger`] of a ledger that may grow meanwhile (`live`, the server's scrub): the indexes'
/// and the tree's entries for records appended after the log was read are left out rather than
/// reported. `pace` is called after every record (the scrub yields there, to run at low priority).
pub fn verify_ledger_with(ledger: &Ledger, live: bool, pace: &mut dyn FnMut()) -> VerifyReport {
    let store = ledger.store();
    let mut problems = Vec::new();
    let storage = |what: &str, e: &dyn std::fmt::Display, problems: &mut Vec<Problem>| {
        problems.push(Problem {
            position: 0,
            problem: format!("storage error while reading {what}: {e}"),
        });
    };
    let mut checked = Checked::default();

    // 1 + 2: the chain, and the tree rebuilt leaf by leaf against the stored nodes.
    let mut tree = MemoryTree::new();
    let mut expected_nodes: HashMap<(u8, u64), Hash> = HashMap::new();
    let mut seen: Vec<Option<Seen>> = Vec::new();
    let mut checkpoints = Vec::new();
    let mut documents = super::documents_verify::Seen::default();
    match verify_chain(store, |position, bytes, record| {
        pace();
        for CompletedNode { level, index, hash } in tree.push_leaf_hash(merkle::leaf_hash(bytes)) {
            expected_nodes.insert((level, index), hash);
        }
        seen.push(record.map(|r| Seen {
            stream: r.metadata.stream_id,
            version: r.metadata.stream_version,
            command: r.metadata.command_id,
        }));
        if let Some(Event::Ledger(LedgerEvent::CheckpointRecorded { size, root, note })) =
            record.map(|r| &r.event)
        {
            checkpoints.push((position, *size, *root, note.clone()));
        }
        if let Some(r) = record {
            documents.record(position, &r.event);
        }
    }) {
        Ok(report) => {
            checked.records = report.size;
            problems.extend(report.problems);
        }
        Err(e) => storage("the log", &e, &mut problems),
    }
    let size = tree.size();

    match store.stored_tree_nodes() {
        Ok(nodes) => {
            for (level, index, bytes) in nodes {
                if live && (index + 1) << level > size {
                    continue;
                }
                checked.merkle_nodes += 1;
                let first = Position::new((index << level) + 1);
                match expected_nodes.remove(&(level, index)) {
                    Some(h) if h.as_bytes()[..] == bytes[..] => {}
                    Some(_) => problems.push(Problem {
                        position: first.get(),
                        problem: format!(
                            "stored Merkle node for records {}..={} does not match the records: one of them was altered",
                            first,
                            (index + 1) << level
                        ),
                    }),
                    None => problems.push(Problem {
                        position: first.get(),
                        problem: format!("stored Merkle node (level {level}, index {index}) covers records the log does not hold"),
                    }),
                }
            }
            for ((level, index), _) in expected_nodes {
                problems.push(Problem {
                    position: (index << level) + 1,
                    problem: format!(
                        "Merkle node (level {level}, index {index}) is missing from the store"
                    ),
                });
            }
        }
        Err(e) => storage("the Merkle nodes", &e, &mut problems),
    }

    // 3: the indexes against the log.
    let at = |p: Position| {
        p.get()
            .checked_sub(1)
            .and_then(|i| seen.get(i as usize))
            .and_then(Option::as_ref)
    };
    let mut stream_problems = Vec::new();
    let scanned = store.scan_stream_index(|stream, version, position| {
        if live && position.is_some_and(|p| p.get() > size) {
            return;
        }
        checked.stream_index_entries += 1;
        let ok = position.and_then(at).is_some_and(|s| s.stream == stream && s.version == version);
        if !ok {
            stream_problems.push(Problem {
                position: position.map_or(0, Position::get),
                problem: format!(
                    "stream index says version {version} of stream {stream} is at this position, but the record there is not it: the log was rewritten"
                ),
            });
        }
    });
    if let Err(e) = scanned {
        storage("the stream index", &e, &mut problems);
    }
    problems.extend(stream_problems);
    if checked.stream_index_entries != size {
        problems.push(Problem {
            position: 0,
            problem: format!(
                "stream index has {} entries for {size} records",
                checked.stream_index_entries
            ),
        });
    }
    let mut command_problems = Vec::new();
    let scanned = store.scan_command_index(|command, span| {
        if live && span.is_some_and(|(first, _)| first.get() > size) {
            return;
        }
        checked.command_index_entries += 1;
        let ok = span.is_some_and(|(first, last)| {
            first <= last && last.get() <= size && at(first).is_some_and(|s| s.command == command)
        });
        if !ok {
            command_problems.push(Problem {
                position: span.map_or(0, |(first, _)| first.get()),
                problem: format!("command index entry for {command} does not match the log"),
            });
        }
    });
    if let Err(e) = scanned {
        storage("the command index", &e, &mut problems);
    }
    problems.extend(command_problems);

    // 4: checkpoints.
    let keys = super::keys::verifiers(ledger.dir());
    let origin = ledger.identity().map(|id| id.origin).ok();
    for (position, cp_size, cp_root, note) in checkpoints {
        checked.checkpoints += 1;
        let mut fail = |what: String| {
            problems.push(Problem {
                position: position.get(),
                problem: format!("checkpoint: {what}"),
            })
        };
        let signed = match SignedCheckpoint::parse(&note) {
            Ok(s) => s,
            Err(e) => {
                fail(format!("does not parse: {e}"));
                continue;
            }
        };
        match &keys {
            Ok(keys) => {
                if !keys.iter().any(|k| k.verify(&signed).is_ok()) {
                    fail("signature does not verify with the ledger's key (or a key it was imported from)".into());
                }
            }
            Err(e) => fail(format!("cannot load the ledger's key: {e}")),
        }
        let c = signed.checkpoint();
        if origin.as_deref() != Some(c.origin.as_str()) {
            fail(format!("origin {} is not this ledger's", c.origin));
        }
        if c.size != cp_size || c.root.as_bytes() != &cp_root {
            fail("the recorded size or root differs from the signed note".into());
        }
        if c.size > size {
            fail(format!(
                "covers {} records but the log holds {size}",
                c.size
            ));
        } else {
            match merkle::root_at(&tree, c.size) {
                Ok(root) if root == c.root => {}
                Ok(_) => fail(format!(
                    "signed root for the first {} records differs from the records now: history was rewritten",
                    c.size
                )),
                Err(e) => fail(e.to_string()),
            }
        }
    }

    // 5: documents. On a ledger in use (the scrub), a withdrawal appended after the log was read
    // may already have deleted its file: the records after `size` are read for withdrawals first.
    if live {
        if let Ok(later) =
            crate::store::EventStore::read_all(store, Position::new(size + 1), usize::MAX)
        {
            for e in &later {
                documents.record_withdrawal(&e.event);
            }
        }
    }
    let (n, document_problems) = documents.check(ledger.dir());
    checked.documents = n;
    problems.extend(document_problems);

    problems.sort_by_key(|p| p.position);
    VerifyReport {
        ok: problems.is_empty(),
        size,
        root: tree.root().to_hex(),
        problems,
        checked,
    }
}
