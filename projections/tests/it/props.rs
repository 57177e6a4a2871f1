//! Property test: folding a random event sequence in one go equals folding it in chunks with the
//! state serialized and deserialized (serde_json) between chunks, as the store does across restarts.

use super::builder::{sid, Ledger};
use delib_events::samples::every_variant;
use delib_events::{Event, StreamKind, Timestamp};
use delib_projections::{Projection, Views};
use proptest::prelude::*;

/// The kind of stream an event lives in; pledges and corrections go to one of their target kinds.
fn stream_kind(e: &Event, pick: u8) -> StreamKind {
    match e {
        Event::Ledger(_) => StreamKind::Ledger,
        Event::Test(_) => StreamKind::Test,
        Event::Registry(_) => StreamKind::Registry,
        Event::Organisation(_) => StreamKind::Organisation,
        Event::Person(_) => StreamKind::Person,
        Event::Proposal(_) => StreamKind::Proposal,
        Event::Hearing(_) => StreamKind::Hearing,
        Event::Consultation(_) => StreamKind::Consultation,
        Event::Ballot(_) => StreamKind::Ballot,
        Event::Dispute(_) => StreamKind::Dispute,
        Event::Pledge(_) | Event::Correction(_) | Event::Document(_) => match pick % 3 {
            0 => StreamKind::Proposal,
            1 => StreamKind::Consultation,
            _ => StreamKind::Dispute,
        },
    }
}

fn ledger(ops: &[(usize, u8, u8)]) -> Ledger {
    let variants = every_variant();
    let mut l = Ledger::default();
    let mut t = 1_700_000_000_000_000i64;
    for (i, &(v, stream, gap)) in ops.iter().enumerate() {
        let e = variants[v % variants.len()].clone();
        let kind = stream_kind(&e, stream);
        t += i64::from(gap) * 3_600_000_000;
        if i % 7 == 3 {
            l.clerk = Some(super::builder::pid(0x1001));
        }
        // Three streams per kind, so events of one entity interleave with others'.
        let s = sid(0x9000 + (kind as u128) * 16 + u128::from(stream % 3));
        l.record(s, kind, Timestamp::from_micros(t), e);
    }
    l
}

fn round_trip(v: &Views) -> Views {
    serde_json::from_str(&serde_json::to_string(v).unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn chunked_folds_with_restarts_equal_one_fold(
        ops in prop::collection::vec((0usize..64, 0u8..6, 0u8..48), 0..120),
        cuts in prop::collection::vec(0usize..120, 0..6),
    ) {
        let l = ledger(&ops);
        let once = Views::fold(&l.events);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c.min(l.events.len())).collect();
        cuts.push(l.events.len());
        cuts.sort_unstable();
        let mut state = Views::default();
        let mut start: usize = 0;
        for cut in cuts {
            // Restart: persist and reload; replay an overlap, which idempotency absorbs.
            state = round_trip(&state);
            let from = start.saturating_sub(2);
            state.apply_all(&l.events[from..cut]);
            start = cut;
        }
        prop_assert_eq!(&round_trip(&state), &once);
        prop_assert_eq!(&state, &once);
        // The store may persist with bincode instead: the state survives that too.
        let config = bincode::config::standard();
        let bytes = bincode::serde::encode_to_vec(&once, config).unwrap();
        let (back, _): (Views, usize) = bincode::serde::decode_from_slice(&bytes, config).unwrap();
        prop_assert_eq!(&back, &once);
        // The views render without panicking, however odd the sequence.
        let _ = once.proposals.list(Default::default(), &once.directory);
        let _ = once.ballots.list(&once.directory);
        let _ = once.disputes.list(&once.directory);
        let _ = once.hearings.list(&once.directory);
        let _ = once.consultations.list(&once.directory);
    }
}

/// A record's view as JSON with each of `fields` (lists) replaced by its length.
fn counted(view: serde_json::Value, fields: &[(String, u64)]) -> serde_json::Value {
    let mut view = view;
    for (field, _) in fields {
        let n = view[field.as_str()].as_array().map_or(0, Vec::len);
        view[field.as_str()] = serde_json::Value::from(n as u64);
    }
    view
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_list_row_is_the_view_with_its_long_lists_counted(
        ops in prop::collection::vec((0usize..64, 0u8..6, 0u8..48), 0..160),
    ) {
        use delib_projections::{row_json, Keyed};
        // given any folded history
        let l = ledger(&ops);
        let v = Views::fold(&l.events);
        let dir = &v.directory;
        // when each record is shown as a list row (from its slimmed record)
        // then the row is its full view with the slimmed lists replaced by their lengths
        for r in v.hearings.entries().values() {
            let row = delib_projections::hearings::HearingRecords::row(r);
            prop_assert_eq!(row_json(&row, row.record.view(dir)), counted(serde_json::to_value(r.view(dir)).unwrap(), &row.counts));
        }
        for r in v.consultations.entries().values() {
            let row = delib_projections::consultations::ConsultationOutcomes::row(r);
            prop_assert_eq!(row_json(&row, row.record.view(dir)), counted(serde_json::to_value(r.view(dir)).unwrap(), &row.counts));
        }
        for r in v.proposals.entries().values() {
            let row = delib_projections::proposals::ProposalBoard::row(r);
            prop_assert_eq!(row_json(&row, row.record.view(dir)), serde_json::to_value(r.view(dir)).unwrap());
        }
    }
}
