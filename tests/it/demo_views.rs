//! The demo's cases through the reading commands: every view, the dispute replayed as it stood on
//! several dates and positions, the audit log, projections status and rebuild, and the demo refusing
//! to run twice.

use crate::support::Ledger;
use serde_json::{json, Value};

#[test]
fn the_views_show_the_articles_cases() {
    // given the demo's ledger
    let l = Ledger::demo();
    // then the Shibei proposal is completed with 240,000 yuan pledged by property-rights units
    let p = l.json(&["proposal", "show", "PROP-1"]);
    assert_eq!(p["status"], "completed");
    assert_eq!(p["category"], "infrastructure");
    assert_eq!(p["decision"]["outcome"], "adopted");
    assert_eq!(p["decision"]["basis"], "HEAR-1");
    assert_eq!(p["progress"], 100);
    assert_eq!(p["cosigners"], serde_json::json!(["PER-3"]));
    let money: u64 = p["pledges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["kind"] == "money")
        .map(|x| x["amount"].as_u64().unwrap())
        .sum();
    assert_eq!(money, 240_000);
    assert!(p["pledges"]
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["fulfilled"] == true));
    // the hearing it was decided on
    let h = l.json(&["hearing", "show", "HEAR-1"]);
    assert_eq!(h["status"], "closed");
    assert_eq!(h["statements"].as_array().unwrap().len(), 2);
    assert!(h["findings"].as_str().unwrap().contains("产权单位"));
    // the co-building meeting of 36 property-rights units
    let c = l.json(&["consultation", "show", "CONS-1"]);
    assert_eq!(c["status"], "agreed");
    assert_eq!(c["parties"].as_array().unwrap().len(), 36);
    assert_eq!(c["commitments"].as_array().unwrap().len(), 2);
    // the secret ballot: encrypted, decrypted by its two tellers, verifiable by anyone
    let v = l.json(&["ballot", "verify", "BAL-1"]);
    assert_eq!(
        (v["ok"].clone(), v["tellers"].clone(), v["casts"].clone()),
        (json!(true), json!(2), json!(4))
    );
    let b = l.json(&["ballot", "show", "BAL-1"]);
    assert_eq!(b["scheme"], "encrypted");
    assert_eq!(
        (
            b["status"].as_str(),
            b["electorate"].as_u64(),
            b["cast"].as_u64()
        ),
        (Some("closed"), Some(4), Some(4))
    );
    assert_eq!(b["quorum_met"], true);
    assert_eq!(b["result"], "赞成");
    assert_eq!(b["counts"]["赞成"], 3);
    assert!(b.get("votes").is_none());
    // lists
    assert_eq!(l.json(&["proposal", "list"]).as_array().unwrap().len(), 3);
    assert_eq!(
        l.json(&["proposal", "list", "--status", "returned"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(l.json(&["org", "list"]).as_array().unwrap().len(), 46);
    assert_eq!(l.json(&["dispute", "list"]).as_array().unwrap().len(), 1);
    // the history of the dispute, oldest first, with who recorded each act
    let history = l.json(&["history", "DISP-1"]);
    let kinds: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"dispute.filed"));
    assert_eq!(kinds.last(), Some(&"dispute.closed"));
    assert!(history
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["recorded_by"] == "PER-1"));
}

fn timeline(l: &Ledger, args: &[&str]) -> Value {
    let mut all = vec!["dispute", "timeline", "DISP-1"];
    all.extend_from_slice(args);
    l.json(&all)
}

#[test]
fn the_property_dispute_replays_as_it_stood_on_each_date() {
    let l = Ledger::demo();
    // (as of, status, mediation attempts, steps)
    for (date, status, attempts, steps) in [
        ("2015-03-15", "filed", 0, 1),
        ("2015-05-01", "mediating", 1, 2),
        ("2015-06-30", "mediating", 2, 3),
        ("2015-07-05", "escalated", 2, 4),
        ("2015-07-20", "negotiating", 2, 5),
        ("2015-08-01", "resolved", 2, 6),
        ("2015-10-02", "implemented", 2, 7),
        ("2016-01-01", "closed", 2, 8),
    ] {
        let t = timeline(&l, &["--as-of", date]);
        assert_eq!(t["status"], status, "as of {date}");
        assert_eq!(
            t["mediation_attempts"].as_array().unwrap().len(),
            attempts,
            "as of {date}"
        );
        assert_eq!(t["steps"].as_array().unwrap().len(), steps, "as of {date}");
    }
    // before it was filed, the dispute did not exist
    let (code, err) = l.fail(&["dispute", "timeline", "DISP-1", "--as-of", "2015-01-01"]);
    assert_eq!(code, 1);
    assert!(err.starts_with("error: rule:"), "{err}");
    // --at-position: what the ledger knew at a position
    let full = timeline(&l, &[]);
    let positions: Vec<u64> = full["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["position"].as_u64().unwrap())
        .collect();
    let third = positions[2].to_string();
    let t = timeline(&l, &["--at-position", &third]);
    assert_eq!(t["steps"].as_array().unwrap().len(), 3);
    assert_eq!(t["status"], "mediating");
    // the timeline states the time between steps
    assert!(
        full["steps"][1]
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k.contains("since")),
        "{}",
        full["steps"][1]
    );
}

#[test]
fn the_audit_log_filters_by_actor_and_period() {
    let l = Ledger::demo();
    let all = l.json(&["audit", "log"]);
    let (size, _) = l.head();
    assert_eq!(all.as_array().unwrap().len() as u64, size);
    let by_chair = l.json(&["audit", "log", "--actor", "PER-4"]);
    assert!(!by_chair.as_array().unwrap().is_empty());
    assert!(by_chair
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["summary"].as_str().unwrap().contains("PER-4")));
    let in_2015 = l.json(&["audit", "log", "--from", "2015-01-01", "--to", "2015-12-31"]);
    assert!(in_2015
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e["occurred_at"].as_str().unwrap().starts_with("2015")));
    assert!(in_2015
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["kind"] == "dispute.filed"));
}

#[test]
fn projections_rebuild_to_the_same_views() {
    let l = Ledger::demo();
    let before = [
        l.json(&["proposal", "show", "PROP-2"]),
        l.json(&["dispute", "show", "DISP-1"]),
        l.json(&["ballot", "list"]),
    ];
    let status = l.json(&["projections", "status"]);
    assert_eq!(status.as_array().unwrap().len(), 8);
    assert!(status
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["current"] == true));
    let rebuilt = l.json(&["projections", "rebuild"]);
    assert_eq!(rebuilt["rebuilt"].as_array().unwrap().len(), 8);
    let one = l.json(&["projections", "rebuild", "--name", "disputes"]);
    assert_eq!(one["rebuilt"], serde_json::json!(["disputes"]));
    let after = [
        l.json(&["proposal", "show", "PROP-2"]),
        l.json(&["dispute", "show", "DISP-1"]),
        l.json(&["ballot", "list"]),
    ];
    assert_eq!(before, after);
    let (code, _) = l.fail(&["projections", "rebuild", "--name", "nonsense"]);
    assert_eq!(code, 2);
}

#[test]
fn the_demo_refuses_a_directory_that_holds_a_ledger() {
    let l = Ledger::demo();
    let head = l.head();
    let (code, err) = l.fail(&["demo"]);
    assert_eq!(code, 1);
    assert!(err.contains("already holds one"), "{err}");
    assert_eq!(l.head(), head);
}

#[test]
fn export_writes_one_line_per_event_with_the_exact_record() {
    let l = Ledger::demo();
    let text = l.ok(&["export"]);
    let (size, _) = l.head();
    let lines: Vec<Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len() as u64, size);
    for (i, line) in lines.iter().enumerate() {
        assert_eq!(line["position"], i as u64 + 1);
        assert!(line["record"].as_str().unwrap().len() > 40);
    }
    // a secret cast names the voter but never the choice
    let casts: Vec<&Value> = lines
        .iter()
        .filter(|l| l["kind"] == "ballot.encrypted-cast")
        .collect();
    assert_eq!(casts.len(), 4);
    assert!(casts
        .iter()
        .all(|c| !c["summary"].as_str().unwrap().contains("赞成")
            && !c["summary"].as_str().unwrap().contains("反对")));
}

#[test]
fn a_secret_ballots_choices_stay_out_of_the_log_until_the_tally() {
    // (each cast is an encrypted vote: see `ballot_encrypted` for tellers and verification)
    // given an open secret ballot with two casts
    let l = Ledger::new();
    let a = l.create(&["person", "add", "--name", "Voter A"]);
    let b = l.create(&["person", "add", "--name", "Voter B"]);
    let bal = l.create(&[
        "ballot",
        "open",
        "--question",
        "Adopt?",
        "--option",
        "yes",
        "--option",
        "no",
        "--voter",
        &a,
        "--voter",
        &b,
        "--quorum",
        "1/2",
        "--threshold",
        "majority",
        "--secret",
    ]);
    l.json(&["ballot", "cast", &bal, "--voter", &a, "--choice", "no"]);
    l.json(&["ballot", "cast", &bal, "--voter", &b, "--choice", "no"]);
    // then nothing in the log says what anyone chose
    let export = l.ok(&["export"]);
    let mut seen = 0;
    for line in export.lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        if v["ref"] == bal.as_str()
            && v["kind"] != "ballot.opened"
            && v["kind"] != "ballot.election-key-published"
        {
            seen += 1;
            assert!(!v["event"].to_string().contains("\"no\""), "{line}");
            assert!(!v["summary"].to_string().contains(" no"), "{line}");
        }
    }
    assert_eq!(seen, 2, "the two casts, and nothing else");
    // and the close decrypts the tally (the ledger held the key: no tellers)
    l.json(&["ballot", "close", &bal]);
    let shown = l.json(&["ballot", "show", &bal]);
    assert_eq!(shown["counts"]["no"], 2);
    assert_eq!(shown["result"], "no");
    assert!(shown.get("votes").is_none());
    let (code, _) = l.fail(&["ballot", "cast", &bal, "--voter", &a, "--choice", "yes"]);
    assert_eq!(code, 1);
}

#[test]
fn the_demo_records_the_article_in_simplified_chinese() {
    // given the demo's ledger
    let l = Ledger::demo();
    // then the bodies carry the article's own names, as a Beijing committee writes them
    let orgs = l.json(&["org", "list"]);
    let names: Vec<&str> = orgs
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    for name in [
        "六里屯街道工委",
        "六里屯街道十北社区党委",
        "十北社区共建联管联席会议",
        "三里屯社区居委会",
    ] {
        assert!(names.contains(&name), "{name} missing from {names:?}");
    }
    // and every piece of data is Simplified: no Traditional form of the characters it uses
    let everything = [
        orgs.to_string(),
        l.json(&["proposal", "list"]).to_string(),
        l.json(&["hearing", "show", "HEAR-1"]).to_string(),
        l.json(&["consultation", "show", "CONS-1"]).to_string(),
        l.json(&["dispute", "show", "DISP-1"]).to_string(),
        l.json(&["ballot", "show", "BAL-1"]).to_string(),
    ]
    .concat();
    for traditional in [
        '區', '會', '黨', '業', '單', '產', '開', '發', '員', '議', '聯', '燈', '圍', '無',
    ] {
        assert!(
            !everything.contains(traditional),
            "Traditional {traditional} in the demo's data"
        );
    }
    // and the titles are Chinese, not English
    assert!(l.json(&["proposal", "show", "PROP-1"])["title"]
        .as_str()
        .unwrap()
        .contains("路灯"));
}

#[test]
fn the_demo_records_clerks_records_minutes_a_room_vote_a_correction_and_a_late_entry() {
    let l = Ledger::demo();
    // the co-building meeting's minutes, as a document on CONS-1, verified by audit verify
    let h = l.json(&["history", "CONS-1"]);
    assert!(
        h.as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "document.attached"
                && e["summary"]
                    .as_str()
                    .unwrap()
                    .contains("共建联管联席会议纪要")),
        "{h}"
    );
    let v = l.json(&["audit", "verify"]);
    assert_eq!(v["checked"]["documents"], 2, "{v}");
    // the assembly's vote on the parking proposal's arrangements, taken in the room, with minutes
    let b = l.json(&["ballot", "show", "BAL-2"]);
    assert_eq!(
        (
            b["scheme"].as_str(),
            b["present"].as_u64(),
            b["result"].as_str()
        ),
        (Some("in-room"), Some(4), Some("赞成")),
        "{b}"
    );
    assert!(
        b.get("votes").is_none(),
        "a show of hands has no votes by name"
    );
    // ORG-7's pledge corrected from 6,000 to the minutes' 60,000; a pledge entered late
    let p = l.json(&["proposal", "show", "PROP-1"]);
    let pledges = p["pledges"].as_array().unwrap();
    assert!(pledges
        .iter()
        .any(|x| x["amount"] == 60000 && x["corrected"] == true));
    let h = l.ok(&["history", "PROP-1"]);
    assert!(
        h.contains("amount: 6000 -> 60000") && h.contains("late entry"),
        "{h}"
    );
}
