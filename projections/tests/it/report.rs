//! The transparency report's numbers on the known scenario, its period semantics, formats, labels,
//! escaping and determinism.

use super::builder::{at, sid};
use super::scenario;
use delib_events::proposal::{Category, ProposalEvent};
use delib_events::{ProposalId, StreamKind};
use delib_projections::report::{render, transparency_report, Format, Lang, LedgerInfo, Report};
use serde_json::json;

fn ledger(size: usize) -> LedgerInfo {
    LedgerInfo {
        size: size as u64,
        root_hex: "ab".repeat(32),
        checkpoint: None,
    }
}

fn year_2023() -> Report {
    let (l, _) = scenario::build();
    transparency_report(
        &l.events,
        at(2023, 1, 1, 0),
        at(2023, 12, 31, 23),
        ledger(l.events.len()),
        "Run `delib report verify report.json`.".into(),
    )
}

#[test]
fn numbers_for_the_year() {
    let r = year_2023();
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(
        j["period"],
        json!({"from": "2023-01-01T00:00:00Z", "to": "2023-12-31T23:00:00Z"})
    );
    assert_eq!(
        j["ledger"],
        json!({"size": 74, "root": "ab".repeat(32), "checkpoint": null})
    );

    let p = &j["proposals"];
    for (k, n) in [
        ("submitted", 3),
        ("admitted", 1),
        ("adopted", 1),
        ("rejected", 0),
        ("withdrawn", 1),
        ("returned", 1),
        ("completed", 1),
    ] {
        assert_eq!(p[k], n, "proposals.{k}");
    }
    assert_eq!(p["by_status"]["completed"], 1);
    assert_eq!(p["by_status"]["returned"], 1);
    assert_eq!(p["by_status"]["withdrawn"], 1);
    assert_eq!(p["by_status"]["submitted"], 0);
    assert_eq!(p["by_category"]["infrastructure"], 1);
    assert_eq!(p["by_category"]["parking"], 1);
    assert_eq!(p["by_category"]["groceries"], 1);
    assert_eq!(p["median_days_to_decision"], 30.0);
    assert_eq!(p["decided"][0]["ref"], "PROP-1");
    assert_eq!(p["decided"][0]["basis"], "BAL-1");
    assert_eq!(p["decided"][0]["outcome"], "adopted");

    let h = &j["hearings"];
    assert_eq!(
        (h["held"].as_u64(), h["statements"].as_u64()),
        (Some(1), Some(3))
    );
    assert_eq!(
        h["statements_by_stance"],
        json!({"neutral": 1, "oppose": 1, "support": 1})
    );
    assert_eq!(
        h["findings"][0]["findings"],
        "Build all three; leave a gate to the market"
    );

    let c = &j["consultations"];
    for (k, n) in [
        ("held", 1),
        ("agreed", 1),
        ("failed", 0),
        ("commitments", 2),
        ("commitments_fulfilled", 1),
        ("convened", 1),
    ] {
        assert_eq!(c[k], n, "consultations.{k}");
    }
    assert_eq!(c["overdue"].as_array().unwrap().len(), 1);
    assert_eq!(c["overdue"][0]["party"], "ORG-4");

    let b = j["ballots"].as_array().unwrap();
    assert_eq!(b.len(), 2);
    assert_eq!(b[0]["ref"], "BAL-1");
    assert_eq!(b[0]["turnout"], 0.8);
    assert_eq!(b[0]["result"], "yes");

    let d = &j["disputes"];
    for (k, n) in [
        ("filed", 1),
        ("resolved", 1),
        ("withdrawn", 0),
        ("open", 0),
        ("mediation_attempts", 2),
        ("mediation_succeeded", 0),
        ("escalations", 1),
        ("negotiations", 1),
    ] {
        assert_eq!(d[k], n, "disputes.{k}");
    }
    assert_eq!(d["mediation_success_rate"], 0.0);
    assert_eq!(d["median_days_to_resolution"], 80.0);
    assert_eq!(d["durations"][0]["days"], 80.0);
    assert_eq!(d["durations"][0]["ongoing"], false);

    let pl = &j["pledges"];
    assert_eq!(pl["money_yuan"], 240_000);
    assert_eq!(pl["money_yuan_fulfilled"], 180_000);
    assert_eq!(pl["labour_days"], 30);
    assert_eq!(pl["expertise"], 1);
    assert_eq!(pl["total"], 5);
    assert_eq!(pl["fulfilled"], 3);
    assert_eq!(pl["fulfilled_in_period"], 3);
    let units: Vec<_> = pl["by_unit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["unit"].as_str().unwrap(),
                u["money_yuan"].as_u64().unwrap(),
                u["labour_days"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        units,
        [
            ("ORG-3", 100_000, 0),
            ("ORG-4", 80_000, 30),
            ("ORG-5", 60_000, 0)
        ]
    );
    assert_eq!(pl["by_unit"][2]["expertise"], json!(["lighting design"]));
    assert_eq!(
        j["verify_instructions"],
        "Run `delib report verify report.json`."
    );
}

#[test]
fn a_narrower_period_counts_its_acts_and_states_at_its_end() {
    let (l, _) = scenario::build();
    let r = transparency_report(
        &l.events,
        at(2023, 3, 1, 0),
        at(2023, 4, 30, 9),
        ledger(l.events.len()),
        String::new(),
    );
    let j = serde_json::to_value(&r).unwrap();
    assert_eq!(j["proposals"]["submitted"], 0);
    assert_eq!(j["proposals"]["adopted"], 1);
    assert_eq!(j["proposals"]["completed"], 0);
    assert_eq!(j["proposals"]["median_days_to_decision"], 30.0);
    assert_eq!(j["hearings"]["held"], 0);
    assert_eq!(j["consultations"]["commitments"], 2);
    assert_eq!(
        j["consultations"]["commitments_fulfilled"], 0,
        "fulfilled only after the period"
    );
    assert_eq!(j["consultations"]["overdue"], json!([]));
    let refs: Vec<_> = j["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["ref"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(refs, ["BAL-1"], "BAL-2 opened after the period");
    let d = &j["disputes"];
    assert_eq!(
        (
            d["filed"].as_u64(),
            d["resolved"].as_u64(),
            d["open"].as_u64()
        ),
        (Some(1), Some(0), Some(1))
    );
    assert_eq!(d["mediation_attempts"], 2);
    assert_eq!(d["median_days_to_resolution"], serde_json::Value::Null);
    assert_eq!(d["durations"][0]["status"], "escalated");
    assert_eq!(d["durations"][0]["days"], 60.0);
    assert_eq!(d["durations"][0]["ongoing"], true);
    assert_eq!(j["pledges"]["total"], 0);
    assert_eq!(j["pledges"]["money_yuan"], 0);
}

#[test]
fn every_format_is_deterministic() {
    let a = year_2023();
    let b = year_2023();
    for f in [Format::Json, Format::Markdown, Format::Html] {
        for lang in [Lang::En, Lang::Zh] {
            assert_eq!(render(&a, f, lang), render(&b, f, lang));
        }
    }
    assert_eq!(
        render(&a, Format::Json, Lang::En),
        render(&a, Format::Json, Lang::Zh)
    );
}

#[test]
fn html_is_self_contained_and_printable() {
    let r = year_2023();
    for lang in [Lang::En, Lang::Zh] {
        let html = render(&r, Format::Html, lang);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(!html.to_lowercase().contains("<script"));
        assert!(!html.contains("http"), "no external links or assets");
        assert!(!html.contains("src="));
        assert!(!html.contains("url("));
        assert!(!html.contains("@import"));
        assert_eq!(html.matches("<svg").count(), 2, "two charts");
        assert!(html.contains("<style>"));
        assert!(html.contains("@media print"));
        assert!(html.contains("Run `delib report verify report.json`."));
    }
    let en = render(&r, Format::Html, Lang::En);
    assert!(en.contains("Transparency report"));
    assert!(en.contains("Proposal outcomes in the period"));
    assert!(en.contains("<dt>Money (yuan)</dt><dd>240000</dd>"));
}

#[test]
fn zh_labels_are_simplified_chinese_and_data_as_recorded() {
    let r = year_2023();
    let html = render(&r, Format::Html, Lang::Zh);
    let md = render(&r, Format::Markdown, Lang::Zh);
    for s in [&html, &md] {
        for label in [
            "透明度报告",
            "居民代表提案",
            "民主听证会",
            "协商对话会",
            "纠纷调解",
            "成员单位认捐",
            "如何核验",
        ] {
            assert!(s.contains(label), "{label}");
        }
        assert!(!s.contains("Transparency report"));
        // Data stays as recorded.
        assert!(s.contains("Build all three; leave a gate to the market"));
    }
    assert!(html.contains("lang=\"zh-Hans\""));
}

#[test]
fn markdown_has_every_section() {
    let md = render(&year_2023(), Format::Markdown, Lang::En);
    assert!(md.starts_with("# Transparency report\n"));
    for h in [
        "## Ledger",
        "## Proposals",
        "## Democratic hearings",
        "## Consultations",
        "## Ballots",
        "## Disputes",
        "## Pledges of member units",
        "## How to verify",
    ] {
        assert!(md.contains(h), "{h}");
    }
    assert!(md.contains("- Money (yuan): 240000"));
    assert!(md.contains("| PROP-1 |"));
    assert!(md.contains("| DISP-1 |"));
}

#[test]
fn user_text_is_escaped() {
    let (mut l, _) = scenario::build();
    let s = sid(0x3009);
    l.record(
        s,
        StreamKind::Proposal,
        at(2023, 9, 1, 9),
        ProposalEvent::ProposalSubmitted {
            proposal: ProposalId::new(s),
            number: 4,
            title: "<script>alert(1)</script> & \"quotes\" | pipes".into(),
            body: "x".into(),
            category: Category::Other,
            author: scenario::per(2),
            community: None,
        },
    );
    l.record(
        s,
        StreamKind::Proposal,
        at(2023, 9, 2, 9),
        ProposalEvent::ProposalAdmitted,
    );
    l.record(
        s,
        StreamKind::Proposal,
        at(2023, 9, 3, 9),
        ProposalEvent::ProposalDecided {
            outcome: delib_events::proposal::Outcome::Rejected,
            basis: delib_events::proposal::Basis::Hearing(delib_events::HearingId::new(sid(
                scenario::HEAR1,
            ))),
            note: None,
        },
    );
    let r = transparency_report(
        &l.events,
        at(2023, 1, 1, 0),
        at(2023, 12, 31, 0),
        ledger(l.events.len()),
        "<b>verify</b>".into(),
    );
    assert_eq!(r.proposals.rejected, 1);
    let html = render(&r, Format::Html, Lang::En);
    assert!(!html.contains("<script"));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot; | pipes"));
    assert!(html.contains("&lt;b&gt;verify&lt;/b&gt;"));
    let md = render(&r, Format::Markdown, Lang::En);
    assert!(!md.contains("<script"));
    assert!(md.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; \"quotes\" \\| pipes"));
}

#[test]
fn the_report_is_what_the_ledger_held_at_its_size() {
    let (l, _) = scenario::build();
    // Only the registrations (18 events) were in the ledger at size 18.
    let r = transparency_report(
        &l.events,
        at(2023, 1, 1, 0),
        at(2023, 12, 31, 0),
        ledger(18),
        String::new(),
    );
    assert_eq!(r.ledger.size, 18);
    assert_eq!(r.proposals.submitted, 0);
    assert_eq!(r.disputes.filed, 0);
    assert!(r.ballots.is_empty());
}
