//! The public transparency report is built once per ledger size and period, rendered once per format
//! and language, and its checkpoint signed once per ledger size, not once per request: anyone can ask
//! for it, so it must not make the server read the whole ledger and sign a checkpoint each time.

use delib::app::{LedgerService, Request};
use delib::clock::{FixedClock, SystemClock};
use delib::ledger::Ledger;
use delib::server::handlers::views::{transparency, transparency_rendered};
use delib::server::report_cache::{ReportCache, MAX_KEPT};
use delib::server::State;
use delib::store::EventStore;
use delib_events::Timestamp;
use delib_projections::report::{Format, Lang};
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

#[test]
fn a_report_is_signed_once_per_size_and_rendered_once_per_format_and_language() {
    // given a served ledger on a clock the test moves
    let start = Timestamp::from_micros(1_700_000_000_000_000);
    let clock = Arc::new(FixedClock::new(start));
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let (ledger, _) = Ledger::init(&data, "report signatures", clock.clone()).unwrap();
    let svc = LedgerService::from_ledger(ledger, &data).unwrap();
    add_person(&svc, "Resident Sun");
    let state = State::new(svc).unwrap();
    let size = state.svc.store().head().position.get();
    let from = Timestamp::from_micros(0);
    let json = |s: &State, to| transparency_rendered(s, from, to, Format::Json, Lang::En).unwrap();

    // when the JSON report is asked for twice at the same size
    let first = json(&state, None);
    let again = json(&state, None);

    // then both answers are the same kept bytes, of that size, and one checkpoint was signed
    assert_eq!(first, again);
    assert_eq!(
        first.as_ptr(),
        again.as_ptr(),
        "rendered once, not per request"
    );
    assert_eq!(stated_size(&first), size);
    assert_eq!(state.reports.signatures(), 1);

    // when other formats, languages and a second period are asked for at that size
    let html = transparency_rendered(&state, from, None, Format::Html, Lang::En).unwrap();
    let md_zh = transparency_rendered(&state, from, None, Format::Markdown, Lang::Zh).unwrap();
    let md_en = transparency_rendered(&state, from, None, Format::Markdown, Lang::En).unwrap();
    let other_period = json(&state, Some(Timestamp::from_micros(i64::MAX / 2)));

    // then each is its own render, and the checkpoint of that size is still the one signed
    assert!(html.starts_with(b"<!") || html.starts_with(b"<html"));
    assert_ne!(md_zh, md_en);
    assert_eq!(stated_size(&other_period), size);
    assert_eq!(state.reports.signatures(), 1);
    assert_eq!(
        state.svc.store().head().position.get(),
        size,
        "reading appends nothing"
    );

    // when the ledger grows and the kept report's freshness has passed
    add_person(&state.svc, "Resident Qian");
    let grown = state.svc.store().head().position.get();
    clock.set(Timestamp::from_micros(
        start.as_micros() + ReportCache::FRESH_FOR.as_micros() as i64 + 1_000_000,
    ));
    let later = json(&state, None);

    // then the answer changes: it states the grown size, with a checkpoint signed for it, once
    assert_ne!(later, first);
    assert_eq!(stated_size(&later), grown);
    assert_eq!(state.reports.signatures(), 2);
    assert_eq!(json(&state, None), later);
    assert_eq!(state.reports.signatures(), 2);

    // and however many periods are asked for, only a few are kept, signed for the one size
    for day in 0..(MAX_KEPT as i64 + 4) {
        transparency(&state, Timestamp::from_micros(day * 86_400_000_000), None).unwrap();
    }
    assert_eq!(state.reports.kept(), MAX_KEPT);
    assert_eq!(state.reports.signatures(), 2);
}

/// The ledger size a JSON report states.
fn stated_size(json: &[u8]) -> u64 {
    let v: serde_json::Value = serde_json::from_slice(json).unwrap();
    v["ledger"]["size"].as_u64().unwrap()
}
