//! Helpers for audit tests: a ledger with events, the CLI, raw sled access as an attacker would have.

use delib::clock::SystemClock;
use delib::ledger::Ledger;
use delib::store::{AppendRequest, EventStore, ExpectedVersion, NewEvent};
use delib_events::{CommandId, Event, StreamId, StreamKind, TestEvent, Timestamp};
use std::path::Path;
use std::process::Output;
use std::sync::Arc;

/// Creates a ledger in `dir` with `n` more test events after the initialisation, in small appends.
pub fn ledger_with_events(dir: &Path, n: u64) {
    let (ledger, _) = Ledger::init(dir, "tamper test", Arc::new(SystemClock)).unwrap();
    append_events(&ledger, n);
}

pub fn append_events(ledger: &Ledger, n: u64) {
    let stream = StreamId::from_uuid(uuid::Uuid::now_v7());
    let mut done = 0;
    while done < n {
        let k = (n - done).min(3);
        let events = (done..done + k)
            .map(|seq| {
                NewEvent::new(
                    Event::Test(TestEvent::TestNoted {
                        text: format!("event {seq}"),
                        seq,
                    }),
                    Timestamp::from_micros(0),
                )
            })
            .collect();
        let req = AppendRequest::single(
            CommandId::from_uuid(uuid::Uuid::now_v7()),
            stream,
            StreamKind::Test,
            ExpectedVersion::Any,
            events,
        );
        ledger.store().append_blocking(req).unwrap();
        done += k;
    }
}

pub fn delib(dir: &Path, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_delib"))
        .arg("--data")
        .arg(dir)
        .args(args)
        .output()
        .expect("run delib")
}

pub fn json(out: &Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Copies a data directory (closed) as an attacker's working copy.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every regular file under `dir`, recursively.
pub fn all_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            out.extend(all_files(&entry.path()));
        } else {
            out.push(entry.path());
        }
    }
    out
}

pub fn event_key(position: u64) -> [u8; 9] {
    let mut k = [b'e'; 9];
    k[1..].copy_from_slice(&position.to_be_bytes());
    k
}

// Stored records edited through sled as an attacker with file access would: a record lives in its
// own `e position` key (the layout before packs) or inside a pack `E last_position` whose value is
// format(1) = 1, count(4), end offsets (4 each) and the records' bytes (see src/store/sled_store/records.rs).

fn pack_key(last: u64) -> [u8; 9] {
    let mut k = [b'E'; 9];
    k[1..].copy_from_slice(&last.to_be_bytes());
    k
}

/// The pack holding `position`: its last position and its records.
fn pack_of(db: &sled::Db, position: u64) -> Option<(u64, Vec<Vec<u8>>)> {
    let (k, v) = db
        .range(pack_key(position)..=pack_key(u64::MAX))
        .next()?
        .unwrap();
    let last = u64::from_be_bytes(k[1..9].try_into().unwrap());
    assert_eq!(v[0], 1, "pack format");
    let n = u32::from_be_bytes(v[1..5].try_into().unwrap()) as usize;
    let body = 5 + 4 * n;
    let mut start = 0;
    let mut records = Vec::new();
    for i in 0..n {
        let end = u32::from_be_bytes(v[5 + 4 * i..9 + 4 * i].try_into().unwrap()) as usize;
        records.push(v[body + start..body + end].to_vec());
        start = end;
    }
    (last + 1 - n as u64 <= position).then_some((last, records))
}

fn write_pack(db: &sled::Db, last: u64, records: &[Vec<u8>]) {
    let mut v = vec![1u8];
    v.extend_from_slice(&(records.len() as u32).to_be_bytes());
    let mut end = 0u32;
    for r in records {
        end += r.len() as u32;
        v.extend_from_slice(&end.to_be_bytes());
    }
    for r in records {
        v.extend_from_slice(r);
    }
    db.insert(pack_key(last), v).unwrap();
}

/// The stored bytes of the record at `position`.
pub fn record(db: &sled::Db, position: u64) -> Vec<u8> {
    if let Some(v) = db.get(event_key(position)).unwrap() {
        return v.to_vec();
    }
    let (last, records) = pack_of(db, position).expect("a stored record");
    records[records.len() - 1 - (last - position) as usize].clone()
}

/// Overwrites the stored bytes of the record at `position`.
pub fn set_record(db: &sled::Db, position: u64, bytes: Vec<u8>) {
    if db.get(event_key(position)).unwrap().is_some() {
        db.insert(event_key(position), bytes).unwrap();
        return;
    }
    let (last, mut records) = pack_of(db, position).expect("a stored record");
    let i = records.len() - 1 - (last - position) as usize;
    records[i] = bytes;
    write_pack(db, last, &records);
}

/// The last stored position.
pub fn last_position(db: &sled::Db) -> u64 {
    let last = |prefix: &[u8]| {
        db.scan_prefix(prefix)
            .next_back()
            .map(|kv| u64::from_be_bytes(kv.unwrap().0[1..9].try_into().unwrap()))
            .unwrap_or(0)
    };
    last(b"e").max(last(b"E"))
}

/// Removes the last stored record.
pub fn remove_last_record(db: &sled::Db) {
    let position = last_position(db);
    if db.remove(event_key(position)).unwrap().is_some() {
        return;
    }
    let (last, mut records) = pack_of(db, position).unwrap();
    db.remove(pack_key(last)).unwrap();
    records.pop();
    if !records.is_empty() {
        write_pack(db, last - 1, &records);
    }
}
