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
