//! History and audit log entries: references, never UUIDs; filters by actor and period.

use super::builder::{at, sid};
use super::scenario::{self, BAL1, DISP1, PROP1};
use delib_projections::csv::history_csv;
use delib_projections::history::{audit_log, history, AuditQuery, TimeField};
use delib_projections::{Projection, Views};

#[test]
fn history_of_a_proposal_prints_references() {
    let (l, _) = scenario::build();
    let dir = Views::fold(&l.events).directory;
    let h = history(&l.stream(sid(PROP1)), &dir);
    assert_eq!(h.len(), 15);
    assert_eq!(h[0].kind, "proposal.submitted");
    assert_eq!(
        h[0].summary,
        "PROP-1 submitted by PER-2: Street lights, a boundary wall and a paved road for Shibei (infrastructure)"
    );
    assert_eq!(h[0].occurred_at, "2023-02-01T09:00:00Z");
    assert_eq!(h[0].recorded_at, "2023-02-01T10:00:00Z");
    assert_eq!(h[0].recorded_by.as_deref(), Some("PER-1"));
    assert_eq!(h[0].reference.as_deref(), Some("PROP-1"));
    assert_eq!(h[1].summary, "co-signed by PER-3");
    assert!(h
        .iter()
        .any(|e| e.summary == "adopted on the basis of BAL-1"));
    assert!(h
        .iter()
        .any(|e| e.summary == "pledge 1 by ORG-3: 100000.00 yuan"));
    assert!(h.windows(2).all(|w| w[0].position < w[1].position));
    let j = serde_json::to_value(&h).unwrap();
    for key in [
        "position",
        "occurred_at",
        "recorded_at",
        "recorded_by",
        "kind",
        "summary",
    ] {
        assert!(j[0].get(key).is_some(), "{key}");
    }
    // No UUID anywhere in any summary of the whole ledger.
    let all = audit_log(&l.events, &dir, &AuditQuery::default());
    assert_eq!(all.len(), l.events.len());
    for e in &all {
        assert!(!e.summary.contains("00000000-0000-0000"), "{}", e.summary);
    }
    let csv = history_csv(&h);
    assert!(csv.starts_with("position,occurred_at,recorded_at,recorded_by,kind,summary,ref\r\n"));
    assert_eq!(csv.matches("\r\n").count(), 16);
}

#[test]
fn audit_log_filters_by_actor_and_period() {
    let (l, _) = scenario::build();
    let dir = Views::fold(&l.events).directory;
    let q = |actor: &str, from, to| AuditQuery {
        actor: Some(actor.parse().unwrap()),
        from,
        to,
        time: TimeField::Occurred,
    };
    // ORG-6 acted once: the homeowners' committee's failed mediation.
    let org6 = audit_log(&l.events, &dir, &q("ORG-6", None, None));
    assert_eq!(org6.len(), 1);
    assert_eq!(org6[0].reference.as_deref(), Some("DISP-1"));
    // ORG-8 presided over the negotiation (escalation *to* it is not its act).
    let org8 = audit_log(&l.events, &dir, &q("ORG-8", None, None));
    assert_eq!(org8.len(), 1);
    assert_eq!(org8[0].kind, "dispute.negotiation-held");
    // The clerk recorded everything after the persons were registered.
    let clerk = audit_log(&l.events, &dir, &q("PER-1", None, None));
    assert_eq!(clerk.len(), l.events.len() - 18);
    // A period: April 2023.
    let april = audit_log(
        &l.events,
        &dir,
        &q("PER-1", Some(at(2023, 4, 1, 0)), Some(at(2023, 4, 30, 23))),
    );
    assert!(april.iter().all(|e| e.occurred_at.starts_with("2023-04")));
    assert_eq!(april.len(), 7);
    // By recording time: everything was recorded an hour later.
    let late = AuditQuery {
        actor: None,
        from: Some(at(2023, 7, 15, 9)),
        to: Some(at(2023, 7, 15, 11)),
        time: TimeField::Recorded,
    };
    let v = audit_log(&l.events, &dir, &late);
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].reference.as_deref(), Some("DISP-1"));
    // Unknown actor: nothing.
    assert!(audit_log(&l.events, &dir, &q("ORG-99", None, None)).is_empty());
    let _ = sid(DISP1);
}

#[test]
fn secret_ballot_history_shows_who_voted_not_what() {
    let (l, _) = scenario::build();
    let dir = Views::fold(&l.events).directory;
    let h = history(&l.stream(sid(BAL1)), &dir);
    for e in &h {
        assert!(!e.summary.contains(" voted "), "{}", e.summary);
        if e.kind == "ballot.secret-choice-recorded" {
            assert_eq!(e.summary, "a sealed choice was recorded");
        }
    }
    assert!(h.iter().any(|e| e.summary == "PER-2 cast a secret ballot"));
}
