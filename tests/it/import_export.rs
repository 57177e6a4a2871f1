//! `delib export` then `delib import`: the same records byte for byte, so the same head, Merkle root,
//! views and verifiable reports; damaged exports and non-empty targets are refused.

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
fn an_export_imports_into_an_identical_ledger() {
    // given the demo's ledger, exported, with its public key
    let l = Ledger::demo();
    let report = l.dir().join("report.json");
    l.ok(&[
        "report",
        "transparency",
        "--from",
        "2014-01-01",
        "--to",
        "2016-12-31",
        "--format",
        "json",
        "--output",
        report.to_str().unwrap(),
    ]);
    let export = l.dir().join("export.jsonl");
    l.ok(&["export", "--output", export.to_str().unwrap()]);
    let key = l.ok(&["audit", "key"]);
    // when it is imported into a new directory
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("copy");
    let out = delib(
        &copy,
        &[
            "--json",
            "import",
            export.to_str().unwrap(),
            "--key",
            key.trim(),
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // then it has the same head and root, verifies, and the old report verifies against it
    let status =
        |d: &std::path::Path| String::from_utf8(delib(d, &["--json", "status"]).stdout).unwrap();
    assert_eq!(status(l.dir()), status(&copy));
    let v = delib(&copy, &["--json", "audit", "verify"]);
    assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stdout));
    let r = delib(
        &copy,
        &["--json", "report", "verify", report.to_str().unwrap()],
    );
    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stdout));
    let show = |d: &std::path::Path| {
        String::from_utf8(delib(d, &["--json", "dispute", "show", "DISP-1"]).stdout).unwrap()
    };
    assert_eq!(show(l.dir()), show(&copy));
    // and importing again is refused, leaving it as it was
    let again = delib(&copy, &["import", export.to_str().unwrap()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("empty ledger"));
    assert_eq!(status(l.dir()), status(&copy));
}

#[test]
fn a_damaged_export_is_refused_and_nothing_is_written() {
    let l = Ledger::demo();
    let text = l.ok(&["export"]);
    let mut lines: Vec<serde_json::Value> = text
        .lines()
        .map(|x| serde_json::from_str(x).unwrap())
        .collect();
    // drop one record from the middle: the chain no longer links
    lines.remove(50);
    let damaged: String = lines.iter().map(|v| format!("{v}\n")).collect();
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("damaged.jsonl");
    std::fs::write(&file, damaged).unwrap();
    let target = tmp.path().join("target");
    let out = delib(&target, &["import", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("position 51"), "{err}");
    let status: serde_json::Value =
        serde_json::from_slice(&delib(&target, &["--json", "status"]).stdout).unwrap_or_default();
    assert!(status.is_null() || status["size"] == 0, "{status}");
}
