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
