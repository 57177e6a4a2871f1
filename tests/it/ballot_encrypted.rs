//! Encrypted secret ballots end to end through the CLI: tellers' shares written outside the data
//! directory, encrypted casts, the two-step close with each teller's partial decryption (one made
//! from an export, as on a teller's own machine), and `ballot verify` on the ledger and on an export.

use super::support::Ledger;
use serde_json::{json, Value};

fn open_args<'a>(voters: &'a [String], tellers: &'a [String], out: &'a str) -> Vec<&'a str> {
    let mut args = vec![
        "ballot",
        "open",
        "--question",
        "Replace the property company?",
        "--option",
        "yes",
        "--option",
        "no",
        "--option",
        "abstain",
        "--quorum",
        "1/2",
        "--threshold",
        "majority",
        "--secret",
    ];
    for v in voters {
        args.extend(["--voter", v.as_str()]);
    }
    for t in tellers {
        args.extend(["--teller", t.as_str()]);
    }
    if !tellers.is_empty() {
        args.extend(["--share-out", out]);
    }
    args
}

#[test]
fn tellers_decrypt_the_tally_and_anyone_verifies_it() {
    // given five residents, two of them tellers, and a place outside the ledger for their shares
    let l = Ledger::new();
    let people: Vec<String> = ["A", "B", "C", "D", "E"]
        .iter()
        .map(|n| l.create(&["person", "add", "--name", n]))
        .collect();
    let (voters, tellers) = (people[..3].to_vec(), people[3..].to_vec());
    let keep = tempfile::tempdir().unwrap();
    let out = keep.path().to_str().unwrap().to_owned();

    // when the ballot opens, each teller's share is written once, outside the data directory
    let opened = l.json(&open_args(&voters, &tellers, &out));
    let bal = opened["ref"].as_str().unwrap().to_owned();
    let shares: Vec<String> = opened["shares"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(shares.len(), 2);
    for s in &shares {
        assert!(std::path::Path::new(s).starts_with(keep.path()), "{s}");
    }
    // and three encrypted votes are cast
    for (v, c) in voters.iter().zip(["no", "yes", "no"]) {
        l.json(&["ballot", "cast", &bal, "--voter", v, "--choice", c]);
    }
    // no share, and no choice, ever reaches the log
    let export = l.ok(&["export"]);
    for s in &shares {
        let file: Value = serde_json::from_str(&std::fs::read_to_string(s).unwrap()).unwrap();
        assert!(!export.contains(file["secret"].as_str().unwrap()));
    }
    // a close without parts ends casting; a vote after it is refused
    l.json(&["ballot", "close", &bal]);
    assert_eq!(l.json(&["ballot", "show", &bal])["status"], "counting");
    let late = l.create(&["person", "add", "--name", "F"]);
    let (code, _) = l.fail(&["ballot", "cast", &bal, "--voter", &late, "--choice", "yes"]);
    assert_eq!(code, 1);
    // each teller decrypts its share: one from the ledger, one from an export on its own machine
    let exported = keep.path().join("ledger.jsonl");
    l.ok(&["export", "--output", exported.to_str().unwrap()]);
    let part1 = keep.path().join("part-1.json");
    let part2 = keep.path().join("part-2.json");
    l.json(&[
        "ballot",
        "decrypt-share",
        &bal,
        "--share",
        &shares[0],
        "--output",
        part1.to_str().unwrap(),
    ]);
    l.json(&[
        "ballot",
        "decrypt-share",
        &bal,
        "--share",
        &shares[1],
        "--output",
        part2.to_str().unwrap(),
        "--from-export",
        exported.to_str().unwrap(),
    ]);
    // one part is not enough, and nothing is recorded
    let before = l.head();
    let (code, err) = l.fail(&["ballot", "close", &bal, "--part", part1.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(l.head(), before);
    // with both parts the tally is recorded, exactly
    l.json(&[
        "ballot",
        "close",
        &bal,
        "--part",
        part1.to_str().unwrap(),
        "--part",
        part2.to_str().unwrap(),
    ]);
    let closed = l.json(&["ballot", "show", &bal]);
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["counts"], json!({"yes": 1, "no": 2, "abstain": 0}));
    assert_eq!(closed["result"], "no");
    assert_eq!(closed["scheme"], "encrypted");
    assert!(closed.get("votes").is_none());

    // then anyone verifies it, on the ledger and on an export
    let v = l.json(&["ballot", "verify", &bal]);
    assert_eq!(
        (v["ok"].clone(), v["casts"].clone()),
        (json!(true), json!(3))
    );
    let final_export = keep.path().join("final.jsonl");
    l.ok(&["export", "--output", final_export.to_str().unwrap()]);
    let v = l.json(&[
        "ballot",
        "verify",
        &bal,
        "--from-export",
        final_export.to_str().unwrap(),
    ]);
    assert_eq!(v["counts"], json!([1, 2, 0]));
}

#[test]
fn a_ledger_held_key_closes_in_one_step_and_is_destroyed() {
    // given a secret ballot with no tellers: the ledger holds its key until the close
    let l = Ledger::new();
    let voters: Vec<String> = ["A", "B"]
        .iter()
        .map(|n| l.create(&["person", "add", "--name", n]))
        .collect();
    let bal = l.create(&open_args(&voters, &[], ""));
    for v in &voters {
        l.json(&["ballot", "cast", &bal, "--voter", v, "--choice", "yes"]);
    }
    // when it closes, then the tally is decrypted in one step and verifies
    l.json(&["ballot", "close", &bal]);
    let closed = l.json(&["ballot", "show", &bal]);
    assert_eq!(closed["counts"]["yes"], 2);
    assert_eq!(l.json(&["ballot", "verify", &bal])["ok"], true);
    // and the key share is gone from the data directory's side store
    let svc =
        delib::app::LedgerService::open(l.dir(), std::sync::Arc::new(delib::clock::SystemClock))
            .unwrap();
    use delib::store::EventStore;
    assert!(svc
        .store()
        .side_scan(b"election-share/")
        .unwrap()
        .is_empty());
}

#[test]
fn bad_teller_setups_are_refused_and_record_nothing() {
    let l = Ledger::new();
    let voters: Vec<String> = ["A", "B"]
        .iter()
        .map(|n| l.create(&["person", "add", "--name", n]))
        .collect();
    let before = l.head();
    // shares inside the data directory protect nothing
    let inside = l.dir().to_str().unwrap().to_owned();
    let (code, err) = l.fail(&open_args(&voters, &voters[..1], &inside));
    assert_eq!(code, 2, "{err}");
    // tellers without --share-out: a usage error from the grammar
    let mut args = open_args(&voters, &[], "");
    args.extend(["--teller", voters[0].as_str()]);
    let (code, _) = l.fail(&args);
    assert_eq!(code, 2);
    // verify on an open (not secret) ballot: nothing to verify, a rule error
    assert_eq!(l.head(), before);
    let open = l.create(&[
        "ballot",
        "open",
        "--question",
        "Q",
        "--option",
        "yes",
        "--option",
        "no",
        "--voter",
        &voters[0],
        "--quorum",
        "1/2",
        "--threshold",
        "majority",
    ]);
    let (code, _) = l.fail(&["ballot", "verify", &open]);
    assert_eq!(code, 1);
}
