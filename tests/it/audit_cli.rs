//! `delib audit ...` end to end: verify, checkpoints, proofs checked offline.

use crate::audit_support::{delib, json, ledger_with_events};

#[test]
fn a_fresh_ledger_verifies_with_its_checkpoints() {
    // given a ledger with events and two checkpoints
    let dir = tempfile::tempdir().unwrap();
    ledger_with_events(dir.path(), 40);
    let cp1 = json(&delib(dir.path(), &["--json", "audit", "checkpoint"]));
    assert_eq!(cp1["size"], 41);
    let cp2 = json(&delib(dir.path(), &["--json", "audit", "checkpoint"]));
    assert_eq!(cp2["size"], 42);
    // when it is verified
    let out = delib(dir.path(), &["--json", "audit", "verify"]);
    // then all holds
    let report = json(&out);
    assert!(out.status.success(), "{report}");
    assert_eq!(report["ok"], true);
    assert_eq!(report["size"], 43);
    assert_eq!(report["problems"].as_array().unwrap().len(), 0);
    assert_eq!(report["checked"]["checkpoints"], 2);
    assert!(report["checked"]["merkle_nodes"].as_u64().unwrap() >= 2);
    assert_eq!(report["root"].as_str().unwrap().len(), 64);
}

#[test]
fn proofs_check_offline_against_the_published_key_and_fail_when_altered() {
    let dir = tempfile::tempdir().unwrap();
    ledger_with_events(dir.path(), 100);
    let key = String::from_utf8(delib(dir.path(), &["audit", "key"]).stdout).unwrap();
    let key = key.trim();
    let work = tempfile::tempdir().unwrap();
    for (name, args) in [
        (
            "inclusion.json",
            vec![
                "--json",
                "audit",
                "prove",
                "--position",
                "37",
                "--size",
                "80",
            ],
        ),
        (
            "consistency.json",
            vec!["--json", "audit", "consistency", "--from-size", "13"],
        ),
    ] {
        let out = delib(dir.path(), &args);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = work.path().join(name);
        std::fs::write(&path, &out.stdout).unwrap();
        // an honest proof verifies with no ledger at all, against the published key
        let nowhere = work.path().join("no-ledger-here");
        let ok = delib(
            &nowhere,
            &[
                "--json",
                "audit",
                "check-proof",
                path.to_str().unwrap(),
                "--key",
                key,
            ],
        );
        assert!(
            ok.status.success(),
            "{}",
            String::from_utf8_lossy(&ok.stdout)
        );
        assert_eq!(json(&ok)["ok"], true);
        assert!(!nowhere.exists(), "check-proof must not create a ledger");
        // a proof with one hash changed does not
        let mut file = json(&out);
        let first = file["proof"][0].as_str().unwrap().to_string();
        let mut bytes: Vec<char> = first.chars().collect();
        bytes[0] = if bytes[0] == 'A' { 'B' } else { 'A' };
        file["proof"][0] = serde_json::Value::String(bytes.into_iter().collect());
        std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();
        let bad = delib(
            &nowhere,
            &[
                "--json",
                "audit",
                "check-proof",
                path.to_str().unwrap(),
                "--key",
                key,
            ],
        );
        assert_eq!(
            bad.status.code(),
            Some(3),
            "{}",
            String::from_utf8_lossy(&bad.stdout)
        );
        assert_eq!(json(&bad)["ok"], false);
    }
}

#[test]
fn a_checkpoint_signed_by_another_key_is_rejected() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    ledger_with_events(a.path(), 5);
    ledger_with_events(b.path(), 5);
    let proof = delib(a.path(), &["--json", "audit", "prove", "--position", "3"]);
    let path = a.path().join("p.json");
    std::fs::write(&path, &proof.stdout).unwrap();
    let other_key = String::from_utf8(delib(b.path(), &["audit", "key"]).stdout).unwrap();
    let out = delib(
        a.path(),
        &[
            "--json",
            "audit",
            "check-proof",
            path.to_str().unwrap(),
            "--key",
            other_key.trim(),
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    let problems = json(&out)["problems"].to_string();
    assert!(
        problems.contains("not the trusted key") || problems.contains("signature"),
        "{problems}"
    );
}

#[test]
fn out_of_range_proof_requests_are_rejected_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    ledger_with_events(dir.path(), 5);
    for args in [
        vec!["audit", "prove", "--position", "0"],
        vec!["audit", "prove", "--position", "7"],
        vec!["audit", "prove", "--position", "3", "--size", "2"],
        vec!["audit", "consistency", "--from-size", "9"],
    ] {
        let out = delib(dir.path(), &args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(
            err.starts_with("error: rule:") && err.lines().count() == 1,
            "{err}"
        );
    }
}
