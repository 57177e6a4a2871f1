//! `person erase`: afterwards no byte of the name is in any file of the data directory, and every
//! other command still works, showing the person as erased.

use super::support::Ledger;
use serde_json::{json, Value};
use std::path::Path;

const NAME: &str = "Quillon Zhaoxiang-Erasable 璇璣";

fn files_containing(dir: &Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            hits.extend(files_containing(&path, needle));
        } else {
            let bytes = std::fs::read(&path).unwrap();
            if bytes.windows(needle.len()).any(|w| w == needle) {
                hits.push(path.display().to_string());
            }
        }
    }
    hits
}

#[test]
fn an_erased_name_is_gone_from_every_file_and_history_still_works() {
    let l = Ledger::new();
    let org = l.create(&[
        "org",
        "add",
        "--name",
        "Sanlitun residents' committee",
        "--kind",
        "residents-committee",
    ]);
    let per = l.create(&[
        "person",
        "add",
        "--name",
        NAME,
        "--member-of",
        &org,
        "--role",
        "representative",
    ]);
    let other = l.create(&["person", "add", "--name", "Another Resident"]);
    assert!(
        !files_containing(l.dir(), NAME.as_bytes()).is_empty(),
        "the name should be in the directory before erasure"
    );
    l.json(&[
        "--as",
        &per,
        "proposal",
        "submit",
        "--title",
        "Groceries nearby",
        "--body",
        "b",
        "--category",
        "groceries",
        "--by",
        &per,
    ]);
    l.json(&["--as", &per, "proposal", "cosign", "PROP-1", "--by", &other]);
    // the name is in the directory (person list), never in a view built from the log
    let people = l.json(&["person", "list"]);
    assert!(people
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["ref"] == json!(per) && p["name"] == NAME));
    let shown = l.json(&["proposal", "show", "PROP-1"]);
    assert!(!shown.to_string().contains(NAME));

    let erased = l.json(&["person", "erase", &per]);
    assert_eq!(erased["ref"], json!(per));

    for needle in [NAME.as_bytes(), "Quillon".as_bytes(), "璇璣".as_bytes()] {
        let hits = files_containing(l.dir(), needle);
        assert!(
            hits.is_empty(),
            "{:?} still in {hits:?}",
            String::from_utf8_lossy(needle)
        );
    }

    // Everything else still works and shows the person as erased.
    let (size, _) = l.head();
    assert!(size > 0);
    let history = l.json(&["history", "PROP-1"]);
    assert_eq!(history[0]["recorded_by"], json!(per));
    let person_history = l.json(&["history", &per]);
    assert_eq!(
        person_history.as_array().unwrap().last().unwrap()["kind"],
        "person.erased"
    );
    let shown = l.json(&["proposal", "show", "PROP-1"]);
    assert_eq!(shown["author"], json!(per));
    let people = l.json(&["person", "list"]);
    let entry = people
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["ref"] == json!(per))
        .unwrap();
    assert_eq!(entry["status"], "erased");
    assert_eq!(entry["name"], Value::Null);
    l.json(&["proposal", "admit", "PROP-1"]);
    l.ok(&["proposal", "show", "PROP-1"]);

    // An erased person can no longer act, record, or be erased again; nothing is recorded.
    let before = l.head();
    assert_eq!(
        l.fail(&["--as", &per, "proposal", "withdraw", "PROP-1", "--reason", "r"])
            .0,
        1
    );
    assert_eq!(l.fail(&["person", "erase", &per]).0, 1);
    assert_eq!(
        l.fail(&[
            "proposal",
            "submit",
            "--title",
            "t",
            "--body",
            "b",
            "--category",
            "other",
            "--by",
            &per
        ])
        .0,
        1
    );
    assert_eq!(l.head(), before);
}

/// A crash between the erase event and the deletion of the name (or between writing a name and its
/// event) leaves a marker; opening the ledger finishes the job.
#[test]
fn opening_the_ledger_finishes_an_interrupted_erasure() {
    use delib::app::{LedgerService, Target};
    use delib::clock::SystemClock;
    use delib::domain::person::{Command, Person};
    use delib_events::{PersonId, RefKind};
    use std::sync::Arc;

    let l = Ledger::new();
    let per = l.create(&["person", "add", "--name", NAME]);
    let orphan = PersonId::from_uuid(uuid::Uuid::now_v7());
    {
        let svc = LedgerService::open(l.dir(), Arc::new(SystemClock)).unwrap();
        let id = svc.person_id(&per).unwrap();
        // As `person erase` does, but "crashing" before the name is deleted.
        svc.directory().mark(id).unwrap();
        let meta = svc.meta(None, None).unwrap();
        let ctx = svc.context(&[], &[], &[]).unwrap();
        let stream = delib_events::entity::person_stream(id);
        svc.execute::<Person>(
            &meta,
            Target::Existing(RefKind::Person, stream),
            Command::Erase,
            &ctx,
        )
        .unwrap();
        // As `person add` does, but "crashing" before the event is recorded.
        svc.directory().mark(orphan).unwrap();
        svc.directory().put(orphan, "Orphan Ximenqing").unwrap();
        assert!(!files_containing(l.dir(), NAME.as_bytes()).is_empty());
    }
    // Any command that opens the application service sweeps.
    l.ok(&["person", "list"]);
    assert!(files_containing(l.dir(), NAME.as_bytes()).is_empty());
    assert!(files_containing(l.dir(), b"Ximenqing").is_empty());
    let people = l.json(&["person", "list"]);
    assert_eq!(people[0]["status"], "erased");
    assert_eq!(people.as_array().unwrap().len(), 1);
}
