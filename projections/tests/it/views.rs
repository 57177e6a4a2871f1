//! Each view on the known scenario, JSON field names, filters and idempotency.

use super::builder::sid;
use super::scenario::{self, per_stream, BAL1, BAL2, CONS1, DISP1, HEAR1, PROP1};
use delib_events::person::PersonEvent;
use delib_events::proposal::Category;
use delib_events::StreamKind;
use delib_projections::proposals::{ProposalFilter, ProposalStatus};
use delib_projections::{Projection, Views};
use serde_json::{json, Value};

fn views() -> Views {
    let (l, _) = scenario::build();
    Views::fold(&l.events)
}

#[test]
fn directory_lists_refs_and_never_names() {
    let (mut l, _) = scenario::build();
    let v = Views::fold(&l.events);
    let orgs = v.directory.organisations();
    assert_eq!(orgs.len(), 11);
    assert_eq!(orgs[1].reference, "ORG-2");
    assert_eq!(orgs[1].kind, "party-committee");
    assert_eq!(orgs[1].parent.as_deref(), Some("ORG-1"));
    let persons = v.directory.persons();
    assert_eq!(persons.len(), 7);
    assert_eq!(persons[0].reference, "PER-1");
    assert_eq!(persons[0].memberships[0].role, "clerk");
    assert!(!persons[0].erased);
    assert_eq!(
        v.directory.resolve("PROP-1".parse().unwrap()),
        Some(sid(PROP1))
    );

    let at = l.events.last().unwrap().metadata.occurred_at;
    l.record(
        per_stream(4),
        StreamKind::Person,
        at,
        PersonEvent::PersonErased {
            person: scenario::per(4),
        },
    );
    let v = Views::fold(&l.events);
    let p4 = &v.directory.persons()[3];
    assert_eq!((p4.reference.as_str(), p4.erased), ("PER-4", true));
    // Erasure keeps the reference in every view.
    let h = v.hearings.show(sid(HEAR1), &v.directory).unwrap();
    assert_eq!(h.statements[0].by, "PER-4");
}

#[test]
fn proposal_board_shows_the_shibei_proposal() {
    let v = views();
    let p = v.proposals.show(sid(PROP1), &v.directory).unwrap();
    assert_eq!(p.reference, "PROP-1");
    assert_eq!(p.status, "completed");
    assert_eq!(p.category, "infrastructure");
    assert_eq!(p.author, "PER-2");
    assert_eq!(p.cosigners, vec!["PER-3"]);
    assert_eq!(p.progress, 100, "a completed proposal is 100% done");
    let j = serde_json::to_value(&p).unwrap();
    assert_eq!(j["decision"]["outcome"], "adopted");
    assert_eq!(j["decision"]["basis"], "BAL-1");
    assert_eq!(j["pledges"].as_array().unwrap().len(), 5);
    assert_eq!(
        j["pledges"][0],
        json!({"pledge": 1, "by": "ORG-3", "kind": "money", "amount": 100000, "unit": "yuan",
               "fulfilled": true, "made_at": "2023-02-05T01:00:00Z", "fulfilled_at": "2023-06-01T09:00:00Z"})
    );
    assert_eq!(j["pledges"][3]["amount"], 30);
    assert_eq!(j["pledges"][4]["amount"], "lighting design");
    assert_eq!(j["pledges"][2]["fulfilled"], false);
    let money: u64 = j["pledges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["kind"] == "money")
        .map(|p| p["amount"].as_u64().unwrap())
        .sum();
    assert_eq!(money, 240_000);
    for key in [
        "ref",
        "status",
        "title",
        "category",
        "cosigners",
        "decision",
        "progress",
        "pledges",
    ] {
        assert!(j.get(key).is_some(), "{key}");
    }
    // No raw UUIDs where a reference exists.
    assert!(!j.to_string().contains("00000000-0000"), "{j}");

    let all = v.proposals.list(ProposalFilter::default(), &v.directory);
    let refs: Vec<_> = all
        .iter()
        .map(|p| (p.reference.as_str(), p.status.as_str()))
        .collect();
    assert_eq!(
        refs,
        vec![
            ("PROP-1", "completed"),
            ("PROP-2", "returned"),
            ("PROP-3", "withdrawn")
        ]
    );
    let returned = v.proposals.list(
        ProposalFilter {
            status: ProposalStatus::parse("returned"),
            category: None,
        },
        &v.directory,
    );
    assert_eq!(returned.len(), 1);
    assert_eq!(returned[0].reference, "PROP-2");
    let groceries = v.proposals.list(
        ProposalFilter {
            status: None,
            category: Some(Category::Groceries),
        },
        &v.directory,
    );
    assert_eq!(groceries[0].reference, "PROP-3");
    assert_eq!(groceries[0].decision, None);
}

#[test]
fn hearing_records_hold_statements_and_findings() {
    let v = views();
    let h = serde_json::to_value(v.hearings.show(sid(HEAR1), &v.directory).unwrap()).unwrap();
    assert_eq!(h["ref"], "HEAR-1");
    assert_eq!(h["status"], "closed");
    assert_eq!(h["presided_by"], "ORG-2");
    assert_eq!(h["proposals"], json!(["PROP-1"]));
    assert_eq!(h["participants"].as_array().unwrap().len(), 3);
    assert_eq!(
        h["participants"][2],
        json!({"person": "PER-6", "role": "expert"})
    );
    assert_eq!(h["statements"][1]["by"], "PER-5");
    assert_eq!(h["statements"][1]["stance"], "oppose");
    assert_eq!(h["statements"][1]["summary"], "the wall blocks the market");
    assert_eq!(h["findings"], "Build all three; leave a gate to the market");
}

#[test]
fn consultation_outcomes_hold_terms_and_commitments() {
    let v = views();
    let c = serde_json::to_value(v.consultations.show(sid(CONS1), &v.directory).unwrap()).unwrap();
    assert_eq!(c["ref"], "CONS-1");
    assert_eq!(c["status"], "agreed");
    assert_eq!(c["format"], "joint-meeting");
    assert_eq!(c["parties"], json!(["ORG-3", "ORG-4", "ORG-5"]));
    assert_eq!(c["terms"], json!(["meet every quarter", "share upkeep"]));
    assert_eq!(
        c["commitments"][0],
        json!({"commitment": 1, "party": "ORG-3", "text": "maintain the lights",
               "due": "2023-06-30T00:00:00Z", "fulfilled": true, "fulfilled_at": "2023-06-20T09:00:00Z"})
    );
    assert_eq!(c["commitments"][1]["fulfilled"], false);
}

#[test]
fn ballot_results_follow_cli_semantics() {
    let v = views();
    let b = serde_json::to_value(v.ballots.show(sid(BAL1), &v.directory).unwrap()).unwrap();
    assert_eq!(b["ref"], "BAL-1");
    assert_eq!(b["status"], "closed");
    assert_eq!(b["electorate"], 5);
    assert_eq!(b["cast"], 4);
    assert_eq!(b["turnout"], 0.8);
    assert_eq!(b["quorum_met"], true);
    assert_eq!(b["counts"], json!({"yes": 3, "no": 1, "abstain": 0}));
    assert_eq!(b["result"], "yes");
    assert!(
        b.get("votes").is_none(),
        "a secret ballot has no votes: {b}"
    );

    let open = serde_json::to_value(v.ballots.show(sid(BAL2), &v.directory).unwrap()).unwrap();
    assert_eq!(open["votes"], json!({"PER-2": "yes", "PER-3": "no"}));
    assert_eq!(open["result"], Value::Null);
    assert_eq!(open["turnout"], 0.6667);

    // While open: counts null, no votes, quorum computed live.
    let (l, _) = scenario::build();
    let before_close: Vec<_> = l
        .events
        .iter()
        .filter(|e| !(e.metadata.stream_id == sid(BAL2) && e.event.kind() == "ballot.closed"))
        .cloned()
        .collect();
    let v = Views::fold(&before_close);
    let open = serde_json::to_value(v.ballots.show(sid(BAL2), &v.directory).unwrap()).unwrap();
    assert_eq!(open["status"], "open");
    assert_eq!(open["counts"], Value::Null);
    assert!(open.get("votes").is_none());
    assert_eq!(open["cast"], 2);
    assert_eq!(open["quorum_met"], true);
}

#[test]
fn dispute_timeline_tells_the_property_dispute() {
    let v = views();
    let d = v.disputes.show(sid(DISP1), &v.directory).unwrap();
    assert_eq!(d.reference, "DISP-1");
    assert_eq!(d.status, "closed");
    assert_eq!(d.steps.len(), 8);
    let kinds: Vec<_> = d.steps.iter().map(|s| s.kind.as_str()).collect();
    assert_eq!(
        kinds,
        [
            "dispute.filed",
            "dispute.mediation-attempted",
            "dispute.mediation-attempted",
            "dispute.escalated",
            "dispute.negotiation-held",
            "dispute.resolved",
            "dispute.resolution-implemented",
            "dispute.closed"
        ]
    );
    let m: Vec<_> = d
        .mediation_attempts
        .iter()
        .map(|m| (m.by.as_str(), m.outcome.as_str()))
        .collect();
    assert_eq!(m, [("ORG-6", "failed"), ("ORG-7", "failed")]);
    assert_eq!(d.escalations[0].to, "ORG-8");
    assert_eq!(d.negotiations[0].presided_by, "ORG-8");
    assert_eq!(d.negotiations[0].representatives[0].person, "PER-6");
    assert_eq!(
        d.resolution.as_ref().unwrap().resolution,
        "replace the property-management company"
    );
    assert_eq!(
        d.implementation.as_ref().unwrap().note,
        "new company took over"
    );
    assert_eq!(d.bodies, ["ORG-6", "ORG-7", "ORG-8"]);
    assert_eq!(d.steps[0].since_previous_s, None);
    assert_eq!(d.steps[1].since_previous_s, Some(14 * 86_400));
    assert_eq!(d.steps[1].since_previous.as_deref(), Some("14d 0h"));
    assert_eq!(
        d.steps[1].summary,
        "mediation by ORG-6 failed: the developer did not come"
    );
    assert_eq!(
        d.steps[4].summary,
        "negotiation presided by ORG-8 with PER-6 for owners, PER-7 for developer"
    );
    let j = serde_json::to_value(&d).unwrap();
    for key in ["ref", "status", "steps", "mediation_attempts"] {
        assert!(j.get(key).is_some(), "{key}");
    }
    for key in ["position", "occurred_at", "kind", "summary"] {
        assert!(j["steps"][0].get(key).is_some(), "{key}");
    }
    assert_eq!(v.disputes.list(&v.directory).len(), 1);
}

#[test]
fn applying_an_event_twice_changes_nothing() {
    let (l, _) = scenario::build();
    let once = Views::fold(&l.events);
    let mut twice = Views::default();
    for e in &l.events {
        twice.apply(e);
        twice.apply(e);
    }
    assert_eq!(once, twice);
    // Replaying everything again, or any earlier event, changes nothing either.
    twice.apply_all(&l.events);
    twice.apply(&l.events[3]);
    assert_eq!(once, twice);
    assert_eq!(once.last_position().get(), l.events.len() as u64);
}

#[test]
fn csv_exports_have_one_row_per_item() {
    use delib_projections::csv::*;
    let v = views();
    let dir = &v.directory;
    let p = proposals_csv(&v.proposals.list(ProposalFilter::default(), dir));
    let lines: Vec<_> = p.split("\r\n").collect();
    assert_eq!(lines.len(), 5, "header, three rows, final empty: {p}");
    assert!(lines[0].starts_with(
        "ref,status,title,category,author,cosigners,decision_outcome,decision_basis,progress"
    ));
    assert!(lines[1].starts_with(
        "PROP-1,completed,\"Street lights, a boundary wall and a paved road for Shibei\",infrastructure,PER-2,PER-3,"
    ));
    assert!(lines[1].contains(",adopted,BAL-1,100,5,"));
    let d = disputes_csv(&v.disputes.list(dir));
    assert!(d.contains("DISP-1,closed,Property management of the compound,ORG-11=owners; ORG-10=developer; ORG-9=developer,ORG-6; ORG-7; ORG-8,8,2,0,1,1,replace the property-management company,"));
    let t = timeline_csv(&v.disputes.show(sid(DISP1), dir).unwrap());
    assert_eq!(t.matches("\r\n").count(), 9);
    assert!(t.contains(",dispute.mediation-attempted,mediation by ORG-6 failed: the developer did not come,1209600\r\n"));
    let h = hearings_csv(&v.hearings.list(dir));
    assert!(h.contains("HEAR-1,closed,\"Lights, wall and road\",2023-02-20T14:00:00Z,"));
    assert!(h.contains(",3,3,1,1,1,Build all three; leave a gate to the market\r\n"));
    let c = consultations_csv(&v.consultations.list(dir));
    assert!(c.contains("CONS-1,agreed,Community-building plan,joint-meeting,ORG-2,ORG-3; ORG-4; ORG-5,meet every quarter; share upkeep,2,1,"));
    let b = ballots_csv(&v.ballots.list(dir));
    assert!(b.contains(
        "BAL-1,closed,Adopt PROP-1?,true,5,4,0.8,2/3,true,majority,abstain=0; no=1; yes=3,yes\r\n"
    ));
    let o = organisations_csv(&dir.organisations());
    assert!(
        o.contains("ORG-2,十北社區黨委 Shibei community party committee,party-committee,ORG-1\r\n")
    );
    let per = persons_csv(&dir.persons());
    assert!(per.contains("PER-1,false,clerk of ORG-2\r\n"));
    let prop = v.proposals.show(sid(PROP1), dir).unwrap();
    let pl = pledges_csv(prop.pledges.iter().map(|p| ("PROP-1", p)));
    assert!(pl.contains("PROP-1,1,ORG-3,money,100000,yuan,true,2023-02-05T01:00:00Z\r\n"));
    assert!(pl.contains("PROP-1,5,ORG-5,expertise,lighting design,,false,"));
}
