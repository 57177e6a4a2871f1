//! Findings 6 and 7 of issue 12 (the store's half): a second process waits for the directory lock
//! (`--wait`, default 10 s) instead of failing at once, and a data directory that cannot be written
//! (an archive, a read-only mount) still answers `status`, `audit verify` and every read, through a
//! read-only view, while writes are refused with a clear message.
//!
//! Tests may run as root, for whom `chmod` blocks nothing. The read-only tests therefore use a real
//! read-only bind mount in a user and mount namespace (`unshare -rm`), when the machine allows it,
//! and always `--read-only`, which takes the same code path (the view) on a writable directory.

use crate::support::Ledger;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

fn delib(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_delib"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env("TZ", "UTC")
        .output()
        .unwrap()
}

/// A digest of every file under `dir`, to show nothing was written.
fn files(dir: &Path) -> Vec<(std::path::PathBuf, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            out.extend(files(&entry.path()));
        } else {
            use sha2::Digest as _;
            let bytes = std::fs::read(entry.path()).unwrap();
            out.push((entry.path(), hex::encode(sha2::Sha256::digest(bytes))));
        }
    }
    out.sort();
    out
}

#[test]
fn read_only_flag_reads_everything_and_refuses_writes() {
    // given the demo's ledger
    let l = Ledger::demo();
    let status = l.json(&["status"]);
    let before = files(l.dir());
    // when it is read with --read-only
    let ro = l.json(&["--read-only", "status"]);
    // then status says so, reads and audit work, and a write is refused naming read-only
    assert_eq!(ro["read_only"], true);
    assert_eq!(ro["head"], status["head"]);
    assert_eq!(l.json(&["--read-only", "audit", "verify"])["ok"], true);
    assert_eq!(
        l.json(&["--read-only", "proposal", "show", "PROP-1"])["ref"],
        "PROP-1"
    );
    let (code, err) = l.fail(&[
        "--read-only",
        "org",
        "add",
        "--name",
        "Nope",
        "--kind",
        "other",
    ]);
    assert_eq!(code, 3);
    assert!(err.contains("read-only"), "{err}");
    // and the data directory was not touched (the lock file aside, which it takes while copying)
    let after = files(l.dir());
    let strip = |v: Vec<(std::path::PathBuf, String)>| {
        v.into_iter()
            .filter(|(p, _)| !p.ends_with("delib.lock"))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(after), strip(before));
}

fn unshare_works() -> bool {
    Command::new("unshare")
        .args(["-rm", "true"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[test]
fn a_read_only_mount_is_audited_and_read() {
    if !unshare_works() {
        eprintln!("unshare -rm is not available here: the read-only mount is not exercised (the --read-only test covers the view)");
        return;
    }
    // given the demo's ledger, bind-mounted read-only in a private mount namespace
    let l = Ledger::demo();
    let head = l.json(&["status"])["head"].clone();
    let bin = env!("CARGO_BIN_EXE_delib");
    let d = l.dir().display().to_string();
    let script = format!(
        "mount --bind {d} {d} && mount -o remount,bind,ro {d} || exit 99; \
         touch {d}/probe 2>/dev/null && exit 98; \
         {bin} --data {d} --json status || exit 1; \
         {bin} --data {d} --json audit verify > /dev/null || exit 2; \
         {bin} --data {d} --json dispute show DISP-1 > /dev/null || exit 4; \
         {bin} --data {d} org add --name Nope --kind other 2> {d}.err; echo \"write=$?\""
    );
    // when status, audit verify, a read and a write run on it
    let out = Command::new("unshare")
        .args(["-rm", "sh", "-c", &script])
        .env("TZ", "UTC")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    // then the reads succeed on the same head, saying read-only, and the write is refused with exit 3
    assert!(
        out.status.success(),
        "exit {:?}: {stdout} {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let status: serde_json::Value = serde_json::from_str(
        stdout
            .lines()
            .take_while(|l| !l.starts_with("write="))
            .collect::<String>()
            .as_str(),
    )
    .unwrap();
    assert_eq!(status["head"], head);
    assert_eq!(status["read_only"], true);
    assert!(stdout.contains("write=3"), "{stdout}");
    let err = std::fs::read_to_string(format!("{d}.err")).unwrap();
    assert!(err.contains("read-only"), "{err}");
    assert_eq!(l.json(&["status"])["head"], head);
}

#[test]
fn a_second_process_waits_for_the_lock_then_runs() {
    // given a ledger whose lock this (test) process holds
    let l = Ledger::new();
    let store =
        delib::store::SledStore::open(l.dir(), delib::store::StoreOptions::default()).unwrap();
    // when `status` runs in another process, and the lock is released 1.5 s later
    let data = l.dir().to_path_buf();
    let started = Instant::now();
    let child = std::thread::spawn(move || delib(&data, &["--json", "status"]));
    std::thread::sleep(Duration::from_millis(1500));
    drop(store);
    let out = child.join().unwrap();
    // then it said once that it waits, and succeeded after the release
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(started.elapsed() >= Duration::from_millis(1500));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err.matches("waiting for the ledger lock held by another delib process")
            .count(),
        1,
        "{err}"
    );
    // and with --wait 0 it fails at once with exit 3, naming the holder
    let store =
        delib::store::SledStore::open(l.dir(), delib::store::StoreOptions::default()).unwrap();
    let started = Instant::now();
    let (code, err) = l.fail(&["--wait", "0", "status"]);
    assert_eq!(code, 3);
    assert!(err.contains("in use by another process"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // and a short --wait gives up after about that long
    let started = Instant::now();
    let (code, _) = l.fail(&["--wait", "0.5", "status"]);
    assert_eq!(code, 3);
    assert!(started.elapsed() >= Duration::from_millis(500));
    drop(store);
}
