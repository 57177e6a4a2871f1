//! A command retried with the same command id (an answer lost on the way back) gets its original
//! result and records nothing: for a creation the original reference, for a state change the original
//! position rather than a rejection ("already admitted").

use delib::app::request::Request;
use delib::app::LedgerService;
use delib::clock::SystemClock;
use delib::ledger::Ledger;
use delib::store::EventStore;
use std::sync::Arc;

fn request(json: serde_json::Value) -> Request {
    serde_json::from_value(json).unwrap()
}

#[test]
fn a_retried_command_gets_its_original_result() {
    let dir = tempfile::tempdir().unwrap();
    let (ledger, _) = Ledger::init(dir.path(), "retries", Arc::new(SystemClock)).unwrap();
    let svc = LedgerService::from_ledger(ledger, dir.path()).unwrap();
    let first = svc.meta(None, None).unwrap();
    let org = request(
        serde_json::json!({"command": "org-add", "name": "Shibei community party committee", "kind": "party-committee"}),
    );
    let a = svc.submit(&first, org.clone()).unwrap().to_json();
    let head = svc.store().head();
    // given the same command again (same command id)
    let b = svc.submit(&first, org).unwrap().to_json();
    // then the same answer, nothing new recorded
    assert_eq!(a, b);
    assert_eq!(svc.store().head(), head);

    let person = request(serde_json::json!({"command": "person-add", "name": "Liu Yang"}));
    svc.submit(&svc.meta(None, None).unwrap(), person).unwrap();
    let submit = request(
        serde_json::json!({"command": "proposal-submit", "title": "Lights", "body": "b", "category": "infrastructure", "by": "PER-1"}),
    );
    svc.submit(&svc.meta(None, None).unwrap(), submit).unwrap();
    let admit_meta = svc.meta(None, None).unwrap();
    let admit = request(serde_json::json!({"command": "proposal-admit", "proposal": "PROP-1"}));
    let original = svc.submit(&admit_meta, admit.clone()).unwrap().to_json();
    let head = svc.store().head();
    let retried = svc.submit(&admit_meta, admit.clone()).unwrap().to_json();
    assert_eq!(original, retried);
    assert_eq!(svc.store().head(), head);
    // whereas a new command to admit it again is a rejection
    let again = svc.submit(&svc.meta(None, None).unwrap(), admit);
    assert!(matches!(again, Err(delib::app::AppError::Rejected { .. })));
}

/// Many threads recording statements on one hearing at once: each decision is made on a cached
/// state, conflicts re-read and re-decide, and in the end every statement is there exactly once.
#[test]
fn concurrent_acts_on_one_entity_are_all_recorded_once() {
    let dir = tempfile::tempdir().unwrap();
    let (ledger, _) = Ledger::init(dir.path(), "hearing", Arc::new(SystemClock)).unwrap();
    let svc = Arc::new(LedgerService::from_ledger(ledger, dir.path()).unwrap());
    let run = |svc: &LedgerService, json: serde_json::Value| {
        svc.submit(&svc.meta(None, None).unwrap(), request(json))
            .unwrap()
    };
    run(
        &svc,
        serde_json::json!({"command": "org-add", "name": "Shibei community party committee", "kind": "party-committee"}),
    );
    run(
        &svc,
        serde_json::json!({"command": "hearing-schedule", "topic": "Lights", "on": "2030-01-01", "venue": "Hall", "presided_by": "ORG-1"}),
    );
    for i in 1..=4 {
        run(
            &svc,
            serde_json::json!({"command": "person-add", "name": format!("Speaker {i}")}),
        );
        run(
            &svc,
            serde_json::json!({"command": "hearing-register", "hearing": "HEAR-1", "person": format!("PER-{i}"), "role": "speaker"}),
        );
    }
    run(
        &svc,
        serde_json::json!({"command": "hearing-open", "hearing": "HEAR-1"}),
    );
    let threads: Vec<_> = (1..=4)
        .map(|i| {
            let svc = svc.clone();
            std::thread::spawn(move || {
                for k in 0..10 {
                    let statement = serde_json::json!({"command": "hearing-statement", "hearing": "HEAR-1", "by": format!("PER-{i}"), "stance": "support", "summary": format!("speaker {i}, point {k}")});
                    svc.submit(&svc.meta(None, None).unwrap(), request(statement)).unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let shown = svc.hearing_view(svc.resolve("HEAR-1").unwrap().1).unwrap();
    let statements = shown["statements"].as_array().unwrap();
    assert_eq!(statements.len(), 40);
    let mut seen: Vec<&str> = statements
        .iter()
        .map(|s| s["summary"].as_str().unwrap())
        .collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 40, "each statement once");
}
