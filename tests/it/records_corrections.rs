//! Corrections that take effect and voids, through the CLI: the corrected value shows in views and
//! reports, marked as corrected, with old -> new in history; a void drops the act from views and is
//! refused when a later act depends on it.

use super::support::Ledger;

fn proposal_with_pledge() -> (Ledger, u64) {
    let l = Ledger::new();
    l.create(&[
        "org",
        "add",
        "--name",
        "十北社区党委",
        "--kind",
        "party-committee",
    ]);
    l.create(&[
        "org",
        "add",
        "--name",
        "产权单位甲",
        "--kind",
        "property-rights-unit",
    ]);
    l.create(&["person", "add", "--name", "刘洋"]);
    l.json(&[
        "--at",
        "2024-03-01T09:00:00Z",
        "proposal",
        "submit",
        "--title",
        "十北社区路登",
        "--body",
        "没有路灯",
        "--category",
        "infrastructure",
        "--by",
        "PER-1",
    ]);
    let p = l.json(&[
        "--at",
        "2024-03-05T09:00:00Z",
        "pledge",
        "make",
        "--for",
        "PROP-1",
        "--by",
        "ORG-2",
        "--money",
        "2400",
    ]);
    (l, p["position"].as_u64().unwrap())
}

#[test]
fn a_corrected_pledge_amount_shows_in_views_reports_and_history() {
    // given a pledge of 2,400 yuan that the minutes say was 240,000
    let (l, pledge) = proposal_with_pledge();
    // when its amount is corrected
    let pos = pledge.to_string();
    l.json(&[
        "correct",
        "PROP-1",
        "--event",
        &pos,
        "--set",
        "amount=240000",
        "--reason",
        "纪要中的金额抄错",
    ]);
    // then the view shows the corrected amount, marked as corrected
    let show = l.json(&["proposal", "show", "PROP-1"]);
    assert_eq!(show["pledges"][0]["amount"], 240000, "{show}");
    assert_eq!(show["pledges"][0]["corrected"], true);
    assert_eq!(show["corrections"][0]["changes"][0]["old"], "2400");
    // and the report counts it
    let report = l.json(&[
        "report",
        "transparency",
        "--from",
        "2024-01-01",
        "--to",
        "2099-12-31",
        "--format",
        "json",
    ]);
    assert_eq!(
        report["pledges"]["money_yuan"], 240000,
        "{}",
        report["pledges"]
    );
    // and history shows old -> new, with why
    let h = l.ok(&["history", "PROP-1"]);
    assert!(
        h.contains("amount: 2400 -> 240000") && h.contains("纪要中的金额抄错"),
        "{h}"
    );
    // and a corrected title takes effect the same way; an empty one is refused
    let (code, err) = l.fail(&[
        "correct", "PROP-1", "--event", "4", "--set", "title=", "--reason", "错字",
    ]);
    assert_eq!(code, 1, "{err}");
    let sub = l.json(&["history", "PROP-1"])[0]["position"]
        .as_u64()
        .unwrap()
        .to_string();
    l.json(&[
        "correct",
        "PROP-1",
        "--event",
        &sub,
        "--set",
        "title=十北社区路灯",
        "--reason",
        "错字",
    ]);
    let show = l.json(&["proposal", "show", "PROP-1"]);
    assert_eq!(show["title"], "十北社区路灯");
    assert_eq!(show["corrected"][0], "title");
}

#[test]
fn a_void_drops_the_act_and_a_void_others_depend_on_is_refused() {
    let (l, pledge) = proposal_with_pledge();
    let pos = pledge.to_string();
    // given the pledge fulfilled
    l.json(&["pledge", "fulfil", "--for", "PROP-1", "--pledge", "1"]);
    // when the pledge is voided, it is refused: the fulfilment depends on it; nothing recorded
    let before = l.head();
    let (code, err) = l.fail(&["void", "PROP-1", "--event", &pos, "--reason", "误录入"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("pledge.fulfilled"), "{err}");
    assert_eq!(l.head(), before);
    // when the fulfilment is voided first, then the pledge, both are accepted
    let h = l.json(&["history", "PROP-1"]);
    let fulfilled = h.as_array().unwrap().last().unwrap()["position"]
        .as_u64()
        .unwrap()
        .to_string();
    l.json(&[
        "void",
        "PROP-1",
        "--event",
        &fulfilled,
        "--reason",
        "误录入",
    ]);
    l.json(&["void", "PROP-1", "--event", &pos, "--reason", "误录入"]);
    // then views drop the pledge, and history keeps it, struck through
    let show = l.json(&["proposal", "show", "PROP-1"]);
    assert_eq!(show["pledges"].as_array().map(Vec::len), Some(0), "{show}");
    let h = l.json(&["history", "PROP-1"]);
    let entry = h
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["position"].as_u64() == Some(pledge))
        .unwrap();
    assert!(entry["voided"].as_str().unwrap().contains("误录入"));
    assert!(l.ok(&["history", "PROP-1"]).contains('\u{0336}'));
}

/// A closed hearing with two statements, recorded in 2024 (the positions of the statements).
fn hearing_with_statements(l: &Ledger) -> (u64, u64) {
    l.create(&[
        "org",
        "add",
        "--name",
        "十北社区党委",
        "--kind",
        "party-committee",
    ]);
    l.create(&["person", "add", "--name", "刘洋"]);
    let at = |t: &str, args: &[&str]| l.json_at(t, args);
    at(
        "2024-03-01T09:00:00Z",
        &[
            "hearing",
            "schedule",
            "--topic",
            "路灯听政会",
            "--on",
            "2024-03-20T14:00:00Z",
            "--venue",
            "居委会会议室",
            "--presided-by",
            "ORG-1",
        ],
    );
    at(
        "2024-03-10T09:00:00Z",
        &[
            "hearing", "register", "HEAR-1", "--person", "PER-1", "--role", "resident",
        ],
    );
    at("2024-03-20T14:00:00Z", &["hearing", "open", "HEAR-1"]);
    let first = at(
        "2024-03-20T14:10:00Z",
        &[
            "hearing",
            "statement",
            "HEAR-1",
            "--by",
            "PER-1",
            "--stance",
            "support",
            "--summary",
            "支持安装路等",
        ],
    );
    let second = at(
        "2024-03-20T14:20:00Z",
        &[
            "hearing",
            "statement",
            "HEAR-1",
            "--by",
            "PER-1",
            "--stance",
            "neutral",
            "--summary",
            "记在了错误的听证会上",
        ],
    );
    (
        first["position"].as_u64().unwrap(),
        second["position"].as_u64().unwrap(),
    )
}

#[test]
fn a_hearings_corrected_topic_and_statement_show_and_a_voided_statement_leaves_the_view() {
    // given a hearing whose topic and first statement were mistyped, and whose second statement
    // was entered on the wrong hearing
    let l = Ledger::new();
    let (first, second) = hearing_with_statements(&l);
    let scheduled = l.json(&["history", "HEAR-1"])[0]["position"]
        .as_u64()
        .unwrap();
    // when the clerk corrects both and voids the stray statement
    l.json(&[
        "correct",
        "HEAR-1",
        "--event",
        &scheduled.to_string(),
        "--set",
        "topic=路灯听证会",
        "--reason",
        "错字",
    ]);
    l.json(&[
        "correct",
        "HEAR-1",
        "--event",
        &first.to_string(),
        "--set",
        "summary=支持安装路灯",
        "--reason",
        "错字",
    ]);
    l.json(&[
        "void",
        "HEAR-1",
        "--event",
        &second.to_string(),
        "--reason",
        "记错了听证会",
    ]);
    // then the view shows the corrected values, marked, and only one statement
    let show = l.json(&["hearing", "show", "HEAR-1"]);
    assert_eq!(show["topic"], "路灯听证会", "{show}");
    assert_eq!(show["corrected"], serde_json::json!(["topic"]));
    let statements = show["statements"].as_array().unwrap();
    assert_eq!(statements.len(), 1, "{show}");
    assert_eq!(statements[0]["summary"], "支持安装路灯");
    assert_eq!(statements[0]["corrected"], true);
    // and history keeps every act, with the corrections and the void
    let history = l.json(&["history", "HEAR-1"]);
    assert!(
        history.to_string().contains("记在了错误的听证会上"),
        "{history}"
    );
    // and the same holds after the views are rebuilt from the log
    l.ok(&["projections", "rebuild"]);
    assert_eq!(l.json(&["hearing", "show", "HEAR-1"]), show);
}

#[test]
fn a_disputes_corrected_title_and_mediation_note_show_and_a_voided_mediation_leaves_the_timeline() {
    // given a dispute with two mediation attempts, the second recorded in error
    let l = Ledger::new();
    l.create(&["org", "add", "--name", "街道", "--kind", "subdistrict"]);
    l.create(&[
        "org",
        "add",
        "--name",
        "业委会",
        "--kind",
        "homeowners-committee",
    ]);
    l.create(&[
        "org",
        "add",
        "--name",
        "物业公司",
        "--kind",
        "property-company",
    ]);
    let at = |t: &str, args: &[&str]| l.json_at(t, args);
    let filed = at(
        "2024-05-01T09:00:00Z",
        &[
            "dispute",
            "file",
            "--title",
            "物业费争以",
            "--subject",
            "物业费上涨",
            "--party",
            "ORG-2=业主",
            "--party",
            "ORG-3=物业",
        ],
    );
    let first = at(
        "2024-05-10T09:00:00Z",
        &[
            "dispute",
            "mediate",
            "DISP-1",
            "--by",
            "ORG-1",
            "--outcome",
            "failed",
            "--note",
            "双方分岐大",
        ],
    );
    let stray = at(
        "2024-05-11T09:00:00Z",
        &[
            "dispute",
            "mediate",
            "DISP-1",
            "--by",
            "ORG-1",
            "--outcome",
            "failed",
        ],
    );
    let filed = filed["position"].as_u64().unwrap().to_string();
    let first = first["position"].as_u64().unwrap().to_string();
    let stray = stray["position"].as_u64().unwrap();
    // when the clerk corrects the title and the note, and voids the stray attempt
    l.json(&[
        "correct",
        "DISP-1",
        "--event",
        &filed,
        "--set",
        "title=物业费争议",
        "--reason",
        "错字",
    ]);
    l.json(&[
        "correct",
        "DISP-1",
        "--event",
        &first,
        "--set",
        "note=双方分歧大",
        "--reason",
        "错字",
    ]);
    l.json(&[
        "void",
        "DISP-1",
        "--event",
        &stray.to_string(),
        "--reason",
        "重复录入",
    ]);
    // then the timeline shows the corrected values, marked, and one attempt only
    let t = l.json(&["dispute", "timeline", "DISP-1"]);
    assert_eq!(t["title"], "物业费争议", "{t}");
    assert_eq!(t["corrected"], serde_json::json!(["title"]));
    let attempts = t["mediation_attempts"].as_array().unwrap();
    assert_eq!(attempts.len(), 1, "{t}");
    assert_eq!(attempts[0]["note"], "双方分歧大");
    assert_eq!(attempts[0]["corrected"], true);
    assert!(
        t["steps"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["position"].as_u64() != Some(stray)),
        "{t}"
    ); // and the report of the period lists the dispute's corrections and its void
    let report = l.json(&[
        "report",
        "transparency",
        "--from",
        "2000-01-01",
        "--to",
        "2099-12-31",
        "--format",
        "json",
    ]);
    let records = &report["records"];
    let refs = |list: &serde_json::Value| -> Vec<String> {
        list.as_array()
            .unwrap()
            .iter()
            .map(|c| c["ref"].as_str().unwrap_or("").to_owned())
            .collect()
    };
    assert_eq!(
        refs(&records["corrections"]),
        vec!["DISP-1", "DISP-1"],
        "{records}"
    );
    assert_eq!(refs(&records["voids"]), vec!["DISP-1"], "{records}");
}

#[test]
fn a_consultations_corrected_commitment_shows_and_a_voided_fulfilment_is_undone() {
    // given an agreed consultation whose commitment text was mistyped and whose fulfilment was
    // recorded too early
    let l = Ledger::new();
    l.create(&[
        "org",
        "add",
        "--name",
        "居委会",
        "--kind",
        "residents-committee",
    ]);
    l.create(&[
        "org",
        "add",
        "--name",
        "物业公司",
        "--kind",
        "property-company",
    ]);
    let at = |t: &str, args: &[&str]| l.json_at(t, args);
    at(
        "2024-06-01T09:00:00Z",
        &[
            "consultation",
            "convene",
            "--topic",
            "停车",
            "--format",
            "dialogue",
            "--convened-by",
            "ORG-1",
            "--party",
            "ORG-1",
            "--party",
            "ORG-2",
        ],
    );
    at(
        "2024-06-02T09:00:00Z",
        &["consultation", "agree", "CONS-1", "--term", "划线停车"],
    );
    let made = at(
        "2024-06-03T09:00:00Z",
        &[
            "consultation",
            "commit",
            "CONS-1",
            "--party",
            "ORG-2",
            "--commitment",
            "划限车位",
        ],
    );
    let fulfilled = at(
        "2024-06-04T09:00:00Z",
        &["consultation", "fulfil", "CONS-1", "--commitment", "1"],
    );
    // when the text is corrected and the fulfilment voided
    let made = made["position"].as_u64().unwrap().to_string();
    let fulfilled = fulfilled["position"].as_u64().unwrap().to_string();
    l.json(&[
        "correct",
        "CONS-1",
        "--event",
        &made,
        "--set",
        "text=划线车位",
        "--reason",
        "错字",
    ]);
    l.json(&[
        "void",
        "CONS-1",
        "--event",
        &fulfilled,
        "--reason",
        "尚未完成",
    ]);
    // then the view shows the corrected text, marked, and the commitment open again
    let show = l.json(&["consultation", "show", "CONS-1"]);
    let c = &show["commitments"][0];
    assert_eq!(c["text"], "划线车位", "{show}");
    assert_eq!(c["corrected"], true);
    assert_eq!(c["fulfilled"], false, "{show}");
}
