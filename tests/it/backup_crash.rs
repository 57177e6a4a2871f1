//! A backup SIGKILLed at random moments never leaves a backup that does not verify, nor a ledger
//! that does not open: every file is written to a temporary name and renamed, the manifest last,
//! and a state file is never overwritten in place.

use crate::support::Ledger;
use std::process::{Command, Stdio};
use std::time::Duration;

#[test]
fn a_backup_killed_at_random_moments_leaves_a_backup_that_verifies() {
    // given the demo's ledger and a first backup
    let l = Ledger::demo();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("backup");
    let dir_s = dir.to_str().unwrap();
    l.ok(&["backup", "--to", dir_s]);
    let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
    let rounds = 12;
    let mut killed = 0;
    for round in 0..rounds {
        // when something new is recorded and a backup is killed after a random delay
        l.ok(&[
            "org",
            "add",
            "--name",
            &format!("Committee {round}"),
            "--kind",
            "other",
        ]);
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let mut child = Command::new(env!("CARGO_BIN_EXE_delib"))
            .arg("--data")
            .arg(l.dir())
            .args(["backup", "--to", dir_s])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng % 1200));
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        // then the backup directory verifies (the old backup or the new one) and the ledger opens
        l.json(&["audit", "verify", "--from-backup", dir_s]);
        l.json(&["status"]);
    }
    eprintln!("{killed} of {rounds} backups killed before they finished");
    // and a final backup restores to exactly the ledger
    l.ok(&["backup", "--to", dir_s]);
    let restored = tmp.path().join("restored");
    let out = Command::new(env!("CARGO_BIN_EXE_delib"))
        .arg("--data")
        .arg(&restored)
        .args(["restore", "--from", dir_s])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let head = |d: &std::path::Path| {
        let out = Command::new(env!("CARGO_BIN_EXE_delib"))
            .arg("--data")
            .arg(d)
            .args(["--json", "status"])
            .output()
            .unwrap();
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["head"].clone()
    };
    assert_eq!(head(&restored), head(l.dir()));
}
