//! Finding 2 of issue 12: an export with one byte of one event changed, and every later
//! previous-hash recomputed so that the chain is whole again, must not import. The signed checkpoints
//! recorded in that same log contradict it; `import` checks them before writing anything and names
//! where, and `audit verify --from-export` says the same without a ledger.

use crate::support::Ledger;
use base64::Engine as _;
use delib_events::RecordHash;
use serde_json::Value;
use std::process::Command;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn delib(data: &std::path::Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_delib"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env("TZ", "UTC")
        .output()
        .unwrap()
}

/// The demo, with a checkpoint recorded at its end, exported; returns the ledger and export lines.
fn exported_demo() -> (Ledger, Vec<Value>) {
    let l = Ledger::demo();
    l.ok(&["audit", "checkpoint"]);
    let lines = l
        .ok(&["export"])
        .lines()
        .map(|x| serde_json::from_str(x).unwrap())
        .collect();
    (l, lines)
}

/// Changes one letter inside the payload of the record at `position` (keeping it decodable), then
/// recomputes the previous-hash of every later record. Returns the forged lines.
fn forge(lines: &[Value], position: usize) -> Vec<Value> {
    let mut records: Vec<Vec<u8>> = lines
        .iter()
        .map(|v| B64.decode(v["record"].as_str().unwrap()).unwrap())
        .collect();
    let r = &mut records[position - 1];
    let at = (delib_events::codec::HEADER_LEN..r.len())
        .find(|&i| {
            r[i].is_ascii_lowercase() && {
                let mut c = r.clone();
                c[i] = if c[i] == b'z' { b'y' } else { c[i] + 1 };
                delib_events::decode_record(&c).is_ok()
            }
        })
        .expect("a letter to change");
    r[at] = if r[at] == b'z' { b'y' } else { r[at] + 1 };
    for i in position..records.len() {
        let prev = RecordHash::of(&records[i - 1]);
        records[i][8..40].copy_from_slice(prev.as_bytes());
    }
    lines
        .iter()
        .zip(records)
        .map(|(v, r)| {
            let mut v = v.clone();
            v["record"] = Value::String(B64.encode(r));
            v
        })
        .collect()
}

fn write_lines(path: &std::path::Path, lines: &[Value]) {
    std::fs::write(
        path,
        lines.iter().map(|v| format!("{v}\n")).collect::<String>(),
    )
    .unwrap();
}

#[test]
fn a_forged_export_with_a_recomputed_chain_is_refused_naming_where() {
    // given the demo's export with one byte of record 40 changed and the chain recomputed after it
    let (l, lines) = exported_demo();
    let key = l.ok(&["audit", "key"]);
    let forged = forge(&lines, 40);
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("forged.jsonl");
    write_lines(&file, &forged);
    // when it is imported, with the key and without
    let target = tmp.path().join("target");
    for args in [
        vec!["import", file.to_str().unwrap(), "--key", key.trim()],
        vec!["import", file.to_str().unwrap()],
    ] {
        let out = delib(&target, &args);
        // then it fails with an integrity error naming the checkpoint and the range holding 40
        assert_eq!(out.status.code(), Some(3), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.contains("nothing was written"), "{err}");
        assert!(err.contains("history was rewritten"), "{err}");
        let range = err
            .rsplit("in ")
            .next()
            .and_then(|r| r.trim().split_once("..="))
            .map(|(a, b)| {
                (
                    a.parse::<u64>().unwrap(),
                    b.trim_end_matches(|c: char| !c.is_ascii_digit())
                        .parse::<u64>()
                        .unwrap(),
                )
            })
            .expect("a range in the message");
        assert!(range.0 <= 40 && 40 <= range.1, "{err}");
        // and the target was never created
        assert!(!target.exists());
    }
    // and auditing the file without a ledger finds the same
    let out = delib(
        &tmp.path().join("none"),
        &[
            "audit",
            "verify",
            "--from-export",
            file.to_str().unwrap(),
            "--key",
            key.trim(),
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    // while the untouched export imports and verifies
    let good = tmp.path().join("good.jsonl");
    write_lines(&good, &lines);
    let out = delib(
        &target,
        &["import", good.to_str().unwrap(), "--key", key.trim()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn an_export_contradicting_a_given_checkpoint_is_refused() {
    // given an export, a checkpoint of the real ledger given from outside, and an export whose tail
    // (after every recorded checkpoint) was rewritten
    let (l, _) = exported_demo();
    let key = l.ok(&["audit", "key"]);
    let record_cp = |l: &Ledger| {
        l.json(&["audit", "checkpoint"])["checkpoint"]
            .as_str()
            .unwrap()
            .to_string()
    };
    l.ok(&["org", "add", "--name", "Late committee", "--kind", "other"]);
    let note = record_cp(&l);
    let tmp = tempfile::tempdir().unwrap();
    let cp = tmp.path().join("checkpoint.txt");
    std::fs::write(&cp, &note).unwrap();
    let lines: Vec<Value> = l
        .ok(&["export"])
        .lines()
        .map(|x| serde_json::from_str(x).unwrap())
        .collect();
    // drop the last recorded checkpoint and change the record before it (the new organisation)
    let n = lines.len();
    let forged = forge(&lines[..n - 1], n - 1);
    let file = tmp.path().join("forged.jsonl");
    write_lines(&file, &forged);
    // when it is imported with the checkpoint
    let target = tmp.path().join("target");
    let out = delib(
        &target,
        &[
            "import",
            file.to_str().unwrap(),
            "--key",
            key.trim(),
            "--checkpoint",
            cp.to_str().unwrap(),
        ],
    );
    // then it is refused (the given checkpoint covers records the forged export lacks or changed)
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!target.exists());
    // and a --checkpoint without --key is a usage error
    let out = delib(
        &target,
        &[
            "import",
            file.to_str().unwrap(),
            "--checkpoint",
            cp.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
}
