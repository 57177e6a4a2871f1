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
