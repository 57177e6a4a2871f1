//! Tampering, as an attacker with file access would do it (through sled, on a copy of the data
//! directory): `audit verify` must fail and name the position.

use crate::audit_support::{
    copy_dir, delib, json, last_position, ledger_with_events, record, remove_last_record,
    set_record,
};
use delib_events::{decode_record, encode_record, RecordHash};

fn problem_positions(report: &serde_json::Value) -> Vec<u64> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["position"].as_u64().unwrap())
        .collect()
}

fn setup() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original");
    ledger_with_events(&original, 90);
    assert!(delib(&original, &["audit", "checkpoint"]).status.success());
    ledger_with_events_more(&original);
    (dir, original)
}

fn ledger_with_events_more(dir: &std::path::Path) {
    let ledger =
        delib::ledger::Ledger::open(dir, std::sync::Arc::new(delib::clock::SystemClock)).unwrap();
    crate::audit_support::append_events(&ledger, 20);
}

#[test]
fn changing_one_byte_of_a_stored_event_is_found_at_its_position() {
    // given an honest ledger and a copy of it
    let (dir, original) = setup();
    assert_eq!(
        json(&delib(&original, &["--json", "audit", "verify"]))["ok"],
        true
    );
    let copy = dir.path().join("copy");
    copy_dir(&original, &copy);
    // when one byte inside the value of the event at position 50 is changed through sled
    {
        let db = sled::open(copy.join("sled")).unwrap();
        let mut value = record(&db, 50);
        let last = value.len() - 3; // inside the payload (the note's text)
        value[last] ^= 0x01;
        set_record(&db, 50, value);
        db.flush().unwrap();
    }
    // then verify fails with exit 3 and names position 50
    let out = delib(&copy, &["--json", "audit", "verify"]);
    assert_eq!(out.status.code(), Some(3));
    let report = json(&out);
    assert_eq!(report["ok"], false);
    assert!(problem_positions(&report).contains(&50), "{report}");
    // and the original is untouched
    assert_eq!(
        json(&delib(&original, &["--json", "audit", "verify"]))["ok"],
        true
    );
}

#[test]
fn removing_an_event_and_rewriting_the_rest_is_found_at_its_position() {
    let (dir, original) = setup();
    let copy = dir.path().join("copy");
    copy_dir(&original, &copy);
    // when the event at 50 is removed and every later record is re-encoded one position earlier,
    // with a consistent hash chain, as a careful attacker would
    {
        let db = sled::open(copy.join("sled")).unwrap();
        let last = last_position(&db);
        let mut prev = RecordHash::of(&record(&db, 49));
        for p in 51..=last {
            let rec = decode_record(&record(&db, p)).unwrap();
            let mut meta = rec.metadata.clone();
            meta.position = delib_events::Position::new(p - 1);
            let bytes = encode_record(&prev, &meta, &rec.event).unwrap();
            prev = RecordHash::of(&bytes);
            set_record(&db, p - 1, bytes);
        }
        remove_last_record(&db);
        db.flush().unwrap();
    }
    // then the chain alone looks fine, but verify fails and names position 50
    let out = delib(&copy, &["--json", "audit", "verify"]);
    assert_eq!(out.status.code(), Some(3));
    let report = json(&out);
    assert!(problem_positions(&report).contains(&50), "{report}");
    let text = report["problems"].to_string();
    assert!(
        text.contains("checkpoint"),
        "the signed checkpoint must no longer match: {text}"
    );
}

#[test]
fn verify_reports_a_damaged_directory_without_panicking() {
    let (dir, original) = setup();
    let copy = dir.path().join("copy");
    copy_dir(&original, &copy);
    {
        let db = sled::open(copy.join("sled")).unwrap();
        set_record(&db, 60, b"garbage".to_vec());
        db.flush().unwrap();
    }
    let out = delib(&copy, &["--json", "audit", "verify"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(problem_positions(&json(&out)).contains(&60));
    // a command that needs an intact tail still opens; one that checks it refuses clearly
    let status = delib(&copy, &["status"]);
    assert!(status.status.success() || status.status.code() == Some(3));
    assert!(!String::from_utf8_lossy(&status.stderr).contains("panicked"));
}
