//! The public transparency report is built once per ledger size and period, not once per request:
//! anyone can ask for it, so it must not make the server read the whole ledger and sign a checkpoint
//! each time.

use delib::app::{LedgerService, Request};
use delib::clock::SystemClock;
use delib::ledger::Ledger;
use delib::server::handlers::views::transparency;
use delib::server::State;
use delib::store::EventStore;
use delib_events::Timestamp;
use std::sync::Arc;

fn add_person(svc: &LedgerService, name: &str) {
    let meta = svc.meta(None, None).expect("meta");
    svc.submit(
        &meta,
        Request::PersonAdd {
            name: name.into(),
            memberships: vec![],
        },
    )
    .expect("recorded");
}

#[test]
fn repeated_requests_share_one_report_and_record_nothing() {
    // given a served ledger
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (ledger, _) = Ledger::init(&data, "report cache", Arc::new(SystemClock)).unwrap();
    let svc = LedgerService::from_ledger(ledger, &data).unwrap();
    add_person(&svc, "Resident Sun");
    let state = State::new(svc).unwrap();
    let size = state.svc.store().head().position.get();
    let from = Timestamp::from_micros(0);

    // when the same report is asked for three times
    let first = transparency(&state, from, None).unwrap();
    let again = transparency(&state, from, None).unwrap();
    let third = transparency(&state, from, None).unwrap();

    // then it was built once, states the ledger's size, and nothing was appended
    assert!(Arc::ptr_eq(&first, &again) && Arc::ptr_eq(&first, &third));
    assert_eq!(state.reports.kept(), 1);
    assert_eq!(first.ledger.size, size);
    assert_eq!(state.svc.store().head().position.get(), size);

    // when the ledger grows, a request right after gets the kept report, which states its own size
    add_person(&state.svc, "Resident Qian");
    let grown = state.svc.store().head().position.get();
    assert!(grown > size);
    let soon = transparency(&state, from, None).unwrap();
    assert!(Arc::ptr_eq(&first, &soon));
    assert_eq!(soon.ledger.size, size);

    // and another period is a report of its own, over the grown ledger
    let other = transparency(&state, from, Some(Timestamp::from_micros(i64::MAX / 2))).unwrap();
    assert_eq!(state.reports.kept(), 2);
    assert_eq!(other.ledger.size, grown);

    // and a period that ends before it starts is refused
    assert!(transparency(&state, Timestamp::from_micros(10), Some(from)).is_err());
}
