//! Dispute replay as of several dates and positions of the property dispute.

use super::builder::{at, sid};
use super::scenario::{self, DISP1};
use delib_events::Position;
use delib_projections::timeline::timeline;
use delib_projections::{Projection, Views};

#[test]
fn as_of_dates_show_the_dispute_as_it_stood() {
    let (l, _) = scenario::build();
    let dir = Views::fold(&l.events).directory;
    let events = l.stream(sid(DISP1));
    let show = |y, m, d| timeline(&events, Some(at(y, m, d, 23)), None, &dir);

    assert!(show(2023, 2, 28).is_none(), "not yet filed");
    type Case = ((i64, u32, u32), &'static str, usize, usize);
    let cases: [Case; 7] = [
        ((2023, 3, 1), "filed", 1, 0),
        ((2023, 3, 20), "mediating", 2, 1),
        ((2023, 4, 25), "escalated", 4, 2),
        ((2023, 5, 15), "negotiating", 5, 2),
        ((2023, 6, 1), "resolved", 6, 2),
        ((2023, 7, 2), "implemented", 7, 2),
        ((2023, 12, 31), "closed", 8, 2),
    ];
    for ((y, m, d), status, steps, mediations) in cases {
        let t = show(y, m, d).unwrap();
        assert_eq!(t.status, status, "{y}-{m}-{d}");
        assert_eq!(t.steps.len(), steps, "{y}-{m}-{d}");
        assert_eq!(t.mediation_attempts.len(), mediations, "{y}-{m}-{d}");
        assert_eq!(
            t.as_of.as_deref(),
            Some(format!("{y:04}-{m:02}-{d:02}T23:00:00Z").as_str())
        );
    }
    let mid = show(2023, 5, 15).unwrap();
    assert!(mid.resolution.is_none());
    assert_eq!(mid.negotiations.len(), 1);
    assert_eq!(mid.bodies, ["ORG-6", "ORG-7", "ORG-8"]);
    // The full replay equals the projection's view (apart from the cut markers).
    let mut full = timeline(&events, None, None, &dir).unwrap();
    let v = Views::fold(&l.events);
    assert_eq!(
        Some(full.clone()),
        v.disputes.show(sid(DISP1), &v.directory)
    );
    full.as_of = Some("x".into());
    assert_ne!(Some(full), v.disputes.show(sid(DISP1), &v.directory));
}

#[test]
fn at_position_shows_what_the_ledger_knew() {
    let (l, m) = scenario::build();
    let dir = Views::fold(&l.events).directory;
    let events = l.stream(sid(DISP1));
    let t = timeline(&events, None, Some(m.second_mediation), &dir).unwrap();
    assert_eq!(t.status, "mediating");
    assert_eq!(t.mediation_attempts.len(), 2);
    assert_eq!(t.at_position, Some(m.second_mediation.get()));
    let t = timeline(
        &events,
        None,
        Some(Position::new(m.first_mediation.get() - 1)),
        &dir,
    )
    .unwrap();
    assert_eq!(t.status, "filed");
    let t = timeline(&events, None, Some(m.negotiation), &dir).unwrap();
    assert_eq!(t.status, "negotiating");
    assert_eq!(t.escalations.len(), 1);
    // Both cuts at once: the stricter wins.
    let t = timeline(&events, Some(at(2023, 4, 1, 0)), Some(m.resolution), &dir).unwrap();
    assert_eq!(t.status, "mediating");
    assert_eq!(t.steps.len(), 2);
    assert!(timeline(&events, None, Some(Position::new(1)), &dir).is_none());
}

#[test]
fn replay_folds_the_cut_rather_than_filtering_the_view() {
    // Time since the previous step and derived counts are those of the folded prefix: the last step
    // of a cut timeline is the last step within the cut, with its own gap.
    let (l, m) = scenario::build();
    let dir = Views::fold(&l.events).directory;
    let events = l.stream(sid(DISP1));
    let t = timeline(&events, None, Some(m.escalation), &dir).unwrap();
    assert_eq!(t.steps.last().unwrap().position, m.escalation.get());
    assert_eq!(t.steps.last().unwrap().since_previous_s, Some(10 * 86_400));
    assert_eq!(t.mediation_succeeded, 0);
    assert!(t.closed_at.is_none());
}
