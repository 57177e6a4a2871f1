//! The transparency report through the CLI: its numbers on the demo's known scenario, every format,
//! secret-ballot privacy, and `report verify` against the ledger and against a tampered copy.

use crate::audit_support::{copy_dir, record, set_record};
use crate::support::Ledger;
use serde_json::Value;

fn report(l: &Ledger, from: &str, to: &str) -> Value {
    l.json(&[
        "report",
        "transparency",
        "--from",
        from,
        "--to",
        to,
        "--format",
        "json",
    ])
}

#[test]
fn the_reports_numbers_match_the_demos_cases() {
    let l = Ledger::demo();
    // 2014: Shibei
    let r = report(&l, "2014-01-01", "2014-12-31");
    assert_eq!(r["period"]["from"], "2014-01-01T00:00:00Z");
    assert_eq!(r["period"]["to"], "2014-12-31T23:59:59.999999Z");
    let p = &r["proposals"];
    assert_eq!(
        (
            p["submitted"].as_u64(),
            p["adopted"].as_u64(),
            p["completed"].as_u64()
        ),
        (Some(1), Some(1), Some(1))
    );
    assert_eq!(
        (
            p["rejected"].as_u64(),
            p["withdrawn"].as_u64(),
            p["returned"].as_u64()
        ),
        (Some(0), Some(0), Some(0))
    );
    assert_eq!(r["hearings"]["held"], 1);
    assert_eq!(r["hearings"]["statements"], 2);
    let c = &r["consultations"];
    assert_eq!(
        (
            c["held"].as_u64(),
            c["agreed"].as_u64(),
            c["failed"].as_u64()
        ),
        (Some(1), Some(1), Some(0))
    );
    assert_eq!(
        (
            c["commitments"].as_u64(),
            c["commitments_fulfilled"].as_u64()
        ),
        (Some(2), Some(0))
    );
    let pl = &r["pledges"];
    assert_eq!(pl["money_yuan"], 240_000);
    assert_eq!(pl["labour_days"], 30);
    // four pledges, and a fifth (expertise) entered late from the paper minutes; ORG-7's 6,000
    // corrected to the minutes' 60,000
    assert_eq!(pl["total"], 5);
    assert_eq!(pl["fulfilled"], 5);
    assert_eq!(pl["expertise"], 1);
    assert_eq!(r["disputes"]["filed"], 0);
    // 2015: the property dispute (and the commitment fulfilled in January)
    let r = report(&l, "2015-01-01", "2015-12-31");
    let d = &r["disputes"];
    assert_eq!(
        (
            d["filed"].as_u64(),
            d["resolved"].as_u64(),
            d["withdrawn"].as_u64(),
            d["open"].as_u64()
        ),
        (Some(1), Some(1), Some(0), Some(0))
    );
    assert_eq!(
        (
            d["mediation_attempts"].as_u64(),
            d["mediation_succeeded"].as_u64()
        ),
        (Some(2), Some(0))
    );
    assert_eq!(r["proposals"]["submitted"], 0);
    // 2016: Sanlitun's ballot and two proposals
    let r = report(&l, "2016-01-01", "2016-12-31");
    assert_eq!(r["proposals"]["submitted"], 2);
    assert_eq!(r["proposals"]["adopted"], 1);
    assert_eq!(r["proposals"]["returned"], 1);
    let ballots = r["ballots"].as_array().unwrap();
    assert_eq!(
        ballots.len(),
        2,
        "BAL-1 (encrypted) and BAL-2 (taken in the room)"
    );
    assert_eq!(ballots[1]["scheme"], "in-room");
    assert_eq!(ballots[1]["present"], 4);
    let b = &ballots[0];
    assert_eq!(
        (b["electorate"].as_u64(), b["cast"].as_u64()),
        (Some(4), Some(4))
    );
    assert_eq!(b["turnout"], 1.0);
    assert_eq!(b["quorum_met"], true);
    assert_eq!(b["result"], "赞成");
    // the ledger it was built from, with a signed checkpoint
    assert!(r["ledger"]["size"].as_u64().unwrap() > 100);
    assert_eq!(r["ledger"]["root"].as_str().unwrap().len(), 64);
    assert!(r["ledger"]["checkpoint"]
        .as_str()
        .unwrap()
        .starts_with("delib.ledger/"));
}

#[test]
fn no_format_tells_who_chose_what_in_a_secret_ballot() {
    let l = Ledger::demo();
    let voters = ["PER-6", "PER-7", "PER-8", "PER-9"];
    let json = report(&l, "2016-01-01", "2016-12-31");
    assert!(json["ballots"][0].get("votes").is_none());
    assert!(!voters
        .iter()
        .any(|v| json["ballots"].to_string().contains(v)));
    for (format, lang) in [("md", "en"), ("md", "zh"), ("html", "en"), ("html", "zh")] {
        let text = l.ok(&[
            "report",
            "transparency",
            "--from",
            "2016-01-01",
            "--to",
            "2016-12-31",
            "--format",
            format,
            "--lang",
            lang,
        ]);
        for v in voters.iter().skip(1) {
            // PER-6 authored PROP-2 and may appear as such; the other voters have no other role here
            assert!(!text.contains(v), "{format}/{lang} names voter {v}");
        }
    }
    let show = l.json(&["ballot", "show", "BAL-1"]);
    assert!(show.get("votes").is_none() && !voters.iter().any(|v| show.to_string().contains(v)));
    for e in l.json(&["history", "BAL-1"]).as_array().unwrap() {
        let s = e["summary"].as_str().unwrap();
        let names_voter = voters.iter().any(|v| s.contains(v));
        let names_choice = s.contains("赞成") || s.contains("反对");
        assert!(
            !(names_voter && names_choice),
            "history pairs a voter with a choice: {s}"
        );
    }
}

#[test]
fn html_is_one_self_contained_printable_file() {
    let l = Ledger::demo();
    let out = l.dir().join("r.html");
    let done = l.json(&[
        "report",
        "transparency",
        "--from",
        "2014-01-01",
        "--to",
        "2016-12-31",
        "--format",
        "html",
        "--lang",
        "zh",
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(done["output"], out.to_str().unwrap());
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html>") || html.starts_with("<!doctype html>"),
        "{}",
        &html[..40]
    );
    assert!(html.contains("<svg"));
    assert!(!html.contains("<script"));
    assert!(
        !html.contains("src=\"http") && !html.contains("href=\"http") && !html.contains("@import")
    );
    assert!(html.contains("提案"), "Simplified Chinese labels");
    assert!(html.contains("delib report verify"), "how to verify");
}

#[test]
fn a_report_verifies_against_its_ledger_and_not_against_a_rewritten_copy() {
    // given a report made from the demo's ledger
    let l = Ledger::demo();
    let file = l.dir().join("report.json");
    l.ok(&[
        "report",
        "transparency",
        "--from",
        "2014-01-01",
        "--to",
        "2016-12-31",
        "--format",
        "json",
        "--output",
        file.to_str().unwrap(),
    ]);
    // then it verifies, also after more acts are recorded
    assert_eq!(
        l.json(&["report", "verify", file.to_str().unwrap()])["ok"],
        true
    );
    l.ok(&[
        "--at",
        "2017-01-05",
        "org",
        "add",
        "--name",
        "Later body",
        "--kind",
        "other",
    ]);
    assert_eq!(
        l.json(&["report", "verify", file.to_str().unwrap()])["ok"],
        true
    );

    // a report whose numbers were edited does not
    let mut edited: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    edited["pledges"]["money_yuan"] = serde_json::json!(2_400_000);
    let edited_file = l.dir().join("edited.json");
    std::fs::write(&edited_file, serde_json::to_vec(&edited).unwrap()).unwrap();
    let (code, err) = l.fail(&["report", "verify", edited_file.to_str().unwrap()]);
    assert_eq!(code, 3, "{err}");

    // and against a copy of the ledger where one stored event was changed, it fails
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("copy");
    copy_dir(l.dir(), &copy);
    {
        let db = sled::open(copy.join("sled")).unwrap();
        let mut value = record(&db, 60);
        let at = value.len() - 2;
        value[at] ^= 0x20;
        set_record(&db, 60, value);
        db.flush().unwrap();
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_delib"))
        .arg("--data")
        .arg(&copy)
        .args(["--json", "report", "verify", file.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let check: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(check["ok"], false);
    assert!(
        check["problems"].to_string().contains("rewritten"),
        "{check}"
    );
}

#[test]
fn the_report_lists_the_periods_corrections_voids_room_ballots_and_document_hashes_and_verify_checks_them(
) {
    // given the demo, and a void recorded in 2016
    let l = Ledger::demo();
    l.json(&[
        "--at",
        "2016-04-09T09:00:00Z",
        "pledge",
        "make",
        "--for",
        "PROP-2",
        "--by",
        "ORG-46",
        "--labour-days",
        "2",
    ]);
    let h = l.json(&["history", "PROP-2"]);
    let pledge = h.as_array().unwrap().last().unwrap()["position"]
        .as_u64()
        .unwrap()
        .to_string();
    l.json(&[
        "--at",
        "2016-04-09T10:00:00Z",
        "void",
        "PROP-2",
        "--event",
        &pledge,
        "--reason",
        "误录入",
    ]);
    // then 2014's report lists the corrected pledge amount (old → new) and the minutes' hash
    let r = report(&l, "2014-01-01", "2014-12-31");
    let rec = &r["records"];
    assert_eq!(rec["corrections"][0]["ref"], "PROP-1", "{rec}");
    assert_eq!(rec["corrections"][0]["changes"][0]["old"], "6000");
    assert_eq!(rec["corrections"][0]["changes"][0]["new"], "60000");
    assert_eq!(rec["documents"][0]["ref"], "CONS-1");
    assert_eq!(rec["documents"][0]["sha256"].as_str().unwrap().len(), 64);
    assert_eq!(rec["voids"].as_array().unwrap().len(), 0);
    // and 2016's the room's vote with its presence, its minutes, and the void
    let r = report(&l, "2016-01-01", "2016-12-31");
    let rec = &r["records"];
    assert_eq!(rec["in_room_ballots"][0]["ref"], "BAL-2", "{rec}");
    assert_eq!(rec["in_room_ballots"][0]["present"], 4);
    assert_eq!(rec["documents"][0]["ref"], "BAL-2");
    assert_eq!(rec["voids"][0]["ref"], "PROP-2");
    assert_eq!(rec["voids"][0]["reason"], "误录入");
    // and the Chinese Markdown says so
    let md = l.ok(&[
        "report",
        "transparency",
        "--from",
        "2016-01-01",
        "--to",
        "2016-12-31",
        "--format",
        "md",
        "--lang",
        "zh",
    ]);
    assert!(
        md.contains("更正、撤销、现场表决与文件") && md.contains("撤销的误记"),
        "{md}"
    );
    // and report verify checks the section: a swapped document hash fails, naming it
    let file = l.dir().join("r2016.json");
    l.ok(&[
        "report",
        "transparency",
        "--from",
        "2016-01-01",
        "--to",
        "2016-12-31",
        "--format",
        "json",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        l.json(&["report", "verify", file.to_str().unwrap()])["ok"],
        true
    );
    let mut edited: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    edited["records"]["documents"][0]["sha256"] = serde_json::json!("00".repeat(32));
    let edited_file = l.dir().join("edited-2016.json");
    std::fs::write(&edited_file, serde_json::to_vec(&edited).unwrap()).unwrap();
    let (code, err) = l.fail(&["report", "verify", edited_file.to_str().unwrap()]);
    assert_eq!(code, 3, "{err}");
    let out = l.run(&["--json", "report", "verify", edited_file.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("`records` differs"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_report_from_the_current_views_is_the_report_its_cut_folds() {
    use delib::store::EventStore;
    use delib_events::{Position, Timestamp};
    use delib_projections::report::{transparency_report, LedgerInfo};
    // given the demo's ledger
    let l = Ledger::demo();
    let svc =
        delib::app::LedgerService::open(l.dir(), std::sync::Arc::new(delib::clock::SystemClock))
            .unwrap();
    let events = svc.store().read_all(Position::new(1), usize::MAX).unwrap();
    let size = svc.store().head().position.get();
    let latest = events.iter().map(|e| e.metadata.occurred_at).max().unwrap();
    let from = Timestamp::from_micros(0);
    // when reports end after the latest act (the current views answer) and before it (its cut folds)
    for to in [
        Timestamp::from_micros(latest.as_micros() + 1),
        latest,
        Timestamp::from_micros(latest.as_micros() - 1),
        Timestamp::from_micros(1_420_070_400_000_000), // 2015-01-01
    ] {
        let report = svc.report_at(size, from, to, None).unwrap();
        // then each is the report of folding exactly its cut
        let info = LedgerInfo {
            size,
            root_hex: report.ledger.root.clone(),
            checkpoint: None,
        };
        let mut folded =
            transparency_report(&events, from, to, info, report.verify_instructions.clone());
        folded.witnesses = report.witnesses.clone();
        assert_eq!(
            serde_json::to_value(&report).unwrap(),
            serde_json::to_value(&folded).unwrap(),
            "to {to:?}"
        );
    }
    // and once a report recorded its checkpoint (one event past the size it reports), the next
    // report of that size is still the fold of its cut
    let recorded = svc
        .transparency_report(from, Timestamp::from_micros(latest.as_micros() + 1))
        .unwrap();
    let reported = recorded.ledger.size;
    let head = svc.store().head().position.get();
    assert_eq!(
        reported + 1,
        head,
        "a checkpoint record past the reported size"
    );
    // (ending after the checkpoint record itself, so that the current views can answer)
    let to = Timestamp::from_micros(chrono::Utc::now().timestamp_micros() + 86_400_000_000);
    let again = svc.report_at(reported, from, to, None).unwrap();
    let info = LedgerInfo {
        size: reported,
        root_hex: recorded.ledger.root.clone(),
        checkpoint: None,
    };
    let events = svc.store().read_all(Position::new(1), usize::MAX).unwrap();
    let mut folded =
        transparency_report(&events, from, to, info, again.verify_instructions.clone());
    folded.witnesses = again.witnesses.clone();
    assert_eq!(
        serde_json::to_value(&again).unwrap(),
        serde_json::to_value(&folded).unwrap()
    );
    // and after an act past the reported size, a report of that size leaves the act out
    let submit: delib::app::Request = serde_json::from_value(serde_json::json!({
        "command": "proposal-submit", "title": "Late", "body": "b",
        "category": "infrastructure", "by": "PER-1"
    }))
    .unwrap();
    svc.submit(&svc.meta(None, None).unwrap(), submit).unwrap();
    let later = svc.report_at(reported, from, to, None).unwrap();
    assert_eq!(
        serde_json::to_value(&later).unwrap(),
        serde_json::to_value(&folded).unwrap()
    );
}

/// Two hearings in 2024 whose statements were not recorded in time order: HEAR-1 (opened 20 March
/// 14:00) heard a support at 14:10, an oppose at 14:30 and a support at 14:50 and closed at 15:00;
/// then the paper minutes added a neutral at 14:20 and an oppose at 14:05 (late entries); HEAR-2
/// (opened 1 April 10:00) heard a support at 10:15 and a neutral at 10:45. Then the 14:10 statement's
/// summary was corrected and the 14:30 one voided (2 April, the latest act). Reads in between leave
/// the views stored, so the last acts update the stored hearings' records in place.
fn hearings_with_late_corrected_and_voided_statements(l: &Ledger) {
    l.create(&[
        "org",
        "add",
        "--name",
        "居委会",
        "--kind",
        "residents-committee",
    ]);
    l.create(&["person", "add", "--name", "刘洋"]);
    let at = |t: &str, args: &[&str]| l.json_at(t, args);
    for (hearing, day, on) in [
        ("HEAR-1", "2024-03-01", "2024-03-20T14:00:00Z"),
        ("HEAR-2", "2024-03-02", "2024-04-01T10:00:00Z"),
    ] {
        at(
            &format!("{day}T09:00:00Z"),
            &[
                "hearing",
                "schedule",
                "--topic",
                &format!("{hearing} 的议题"),
                "--on",
                on,
                "--venue",
                "会议室",
                "--presided-by",
                "ORG-1",
            ],
        );
        at(
            &format!("{day}T10:00:00Z"),
            &[
                "hearing", "register", hearing, "--person", "PER-1", "--role", "resident",
            ],
        );
    }
    let statement = |hearing: &str, t: &str, stance: &str| {
        at(
            t,
            &[
                "hearing",
                "statement",
                hearing,
                "--by",
                "PER-1",
                "--stance",
                stance,
                "--summary",
                &format!("{stance} at {t}"),
            ],
        )["position"]
            .as_u64()
            .unwrap()
    };
    at("2024-03-20T14:00:00Z", &["hearing", "open", "HEAR-1"]);
    let corrected = statement("HEAR-1", "2024-03-20T14:10:00Z", "support");
    let voided = statement("HEAR-1", "2024-03-20T14:30:00Z", "oppose");
    statement("HEAR-1", "2024-03-20T14:50:00Z", "support");
    at(
        "2024-03-20T15:00:00Z",
        &["hearing", "close", "HEAR-1", "--findings", "多数支持"],
    );
    // (a report then, which leaves the views stored: what follows updates them)
    let before = report(l, "2024-01-01", "2099-12-31");
    assert_eq!(before["hearings"]["statements"], 3, "{before}");
    statement("HEAR-1", "2024-03-20T14:20:00Z", "neutral");
    statement("HEAR-1", "2024-03-20T14:05:00Z", "oppose");
    l.json(&["hearing", "show", "HEAR-1"]);
    at("2024-04-01T10:00:00Z", &["hearing", "open", "HEAR-2"]);
    statement("HEAR-2", "2024-04-01T10:15:00Z", "support");
    statement("HEAR-2", "2024-04-01T10:45:00Z", "neutral");
    at(
        "2024-04-02T09:00:00Z",
        &[
            "correct",
            "HEAR-1",
            "--event",
            &corrected.to_string(),
            "--set",
            "summary=支持",
            "--reason",
            "错字",
        ],
    );
    at(
        "2024-04-02T09:30:00Z",
        &[
            "void",
            "HEAR-1",
            "--event",
            &voided.to_string(),
            "--reason",
            "记错了",
        ],
    );
}

#[test]
fn a_reports_statement_counts_from_the_stored_views_are_those_of_the_fold_of_its_cut() {
    use delib::store::EventStore;
    use delib_events::{Position, Timestamp};
    use delib_projections::report::{transparency_report, LedgerInfo};
    let micros = |t: &str| {
        chrono::DateTime::parse_from_rfc3339(t)
            .unwrap()
            .timestamp_micros()
    };
    // given statements entered late with earlier times, one corrected and one voided
    let l = Ledger::new();
    hearings_with_late_corrected_and_voided_statements(&l);
    // when a fresh process reports from 2024 on (to after the latest act, the checkpoints its
    // reports record included: the stored views answer)
    let r = report(&l, "2024-01-01", "2099-12-31");
    // then every statement that stands is counted by its stance, the voided one is not
    let h = &r["hearings"];
    assert_eq!(h["statements"], 6, "{h}");
    assert_eq!(
        h["statements_by_stance"],
        serde_json::json!({"support": 3, "oppose": 1, "neutral": 2})
    );
    assert_eq!(
        (h["held"].as_u64(), h["scheduled"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(h["findings"][0]["statements"], 4, "{h}");
    assert_eq!(r["records"]["voids"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        r["records"]["corrections"].as_array().map(Vec::len),
        Some(1)
    );

    // and for periods that begin before, at, just after and between statements (each ending after
    // the latest act, so that the current views answer), the report from the stored views, and from views held in memory (the
    // server's), is the report of folding the cut, with the statements made in the period
    let svc =
        delib::app::LedgerService::open(l.dir(), std::sync::Arc::new(delib::clock::SystemClock))
            .unwrap();
    let size = svc.store().head().position.get();
    let events = svc.store().read_all(Position::new(1), usize::MAX).unwrap();
    let to = Timestamp::from_micros(micros("2099-12-31T23:59:59Z"));
    let periods = [
        ("2024-01-01T00:00:00Z", 0, [3, 1, 2]),
        ("2024-03-20T14:05:00Z", 0, [3, 1, 2]),
        ("2024-03-20T14:05:00Z", 1, [3, 0, 2]),
        ("2024-03-20T14:15:00Z", 0, [2, 0, 2]),
        ("2024-03-20T14:25:00Z", 0, [2, 0, 1]),
        ("2024-03-20T14:50:00Z", 0, [2, 0, 1]),
        ("2024-03-20T14:50:00Z", 1, [1, 0, 1]),
        ("2024-04-01T10:45:00Z", 1, [0, 0, 0]),
    ];
    let fold = |from: Timestamp| {
        let info = LedgerInfo {
            size,
            root_hex: svc.store().merkle_root(size).unwrap().to_hex(),
            checkpoint: None,
        };
        let mut folded = transparency_report(&events, from, to, info, String::new());
        folded.verify_instructions.clear();
        serde_json::to_value(folded).unwrap()
    };
    let reported = |from: Timestamp| {
        let mut report = svc.report_at(size, from, to, None).unwrap();
        report.verify_instructions.clear();
        serde_json::to_value(report).unwrap()
    };
    let mut from_stored = Vec::new();
    for (start, after, _) in periods {
        from_stored.push(reported(Timestamp::from_micros(micros(start) + after)));
    }
    // (the views now held in memory, as a server holds them)
    svc.views().unwrap();
    for ((start, after, [support, oppose, neutral]), stored) in periods.into_iter().zip(from_stored)
    {
        let from = Timestamp::from_micros(micros(start) + after);
        let folded = fold(from);
        assert_eq!(stored, folded, "from {start} + {after} µs, stored views");
        assert_eq!(
            reported(from),
            folded,
            "from {start} + {after} µs, held views"
        );
        assert_eq!(
            folded["hearings"]["statements_by_stance"],
            serde_json::json!({"support": support, "oppose": oppose, "neutral": neutral}),
            "from {start} + {after} µs"
        );
        assert_eq!(folded["hearings"]["statements"], support + oppose + neutral);
    }
}
