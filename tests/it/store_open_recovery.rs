//! Finding 1 of issue 12: a SIGKILL while sled rewrites its snapshot on open leaves
//! `sled/snap.<lsn>.generating`, which sled 0.34.7 takes as its newest snapshot (sled issue #1527).
//! Opening clears it under the directory lock, so the ledger opens and verifies.

use crate::audit_support::copy_dir;
use crate::support::Ledger;
use std::process::Command;

fn delib(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_delib"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env("TZ", "UTC")
        .output()
        .unwrap()
}

#[test]
fn a_half_written_generating_snapshot_does_not_brick_the_ledger() {
    // given a copy of the demo's ledger with half of its snapshot written as a `.generating` file
    // whose name sorts after the real snapshot (exactly the reproduction of finding 1)
    let l = Ledger::demo();
    let before = l.json(&["status"]);
    let tmp = tempfile::tempdir().unwrap();
    let x = tmp.path().join("x");
    copy_dir(l.dir(), &x);
    let snap = std::fs::read_dir(x.join("sled"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("snap.")
        })
        .expect("a snapshot file");
    let bytes = std::fs::read(&snap).unwrap();
    let stale = x.join("sled").join("snap.00000000FFFFFFFF.generating");
    std::fs::write(&stale, &bytes[..bytes.len() / 2]).unwrap();
    // when status runs on it
    let status = delib(&x, &["--json", "status"]);
    // then it succeeds with the same head, the stale file is gone, and audit verify passes
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let status: serde_json::Value = serde_json::from_slice(&status.stdout).unwrap();
    assert_eq!(status["size"], before["size"]);
    assert_eq!(status["head"], before["head"]);
    assert!(!stale.exists());
    let verify = delib(&x, &["--json", "audit", "verify"]);
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    // and it still records
    let out = delib(
        &x,
        &[
            "org",
            "add",
            "--name",
            "Block 7 committee",
            "--kind",
            "other",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
