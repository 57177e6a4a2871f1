//! Ballots taken in the room (现场表决), end to end: `ballot open --in-person` takes no casts,
//! `ballot record-result` records the meeting's counts and presence, checked as every ballot; the
//! view, the report, the API and the ballot page show how it was taken.

use super::server_support::TestServer;
use super::support::Ledger;
use reqwest::StatusCode;
use serde_json::json;

/// Six representatives and an in-person ballot: quorum 2/3 present, carried by two thirds.
fn in_room_ballot() -> Ledger {
    let l = Ledger::new();
    for n in 1..=6 {
        l.create(&["person", "add", "--name", &format!("代表{n}")]);
    }
    let voters: Vec<String> = (1..=6).map(|n| format!("PER-{n}")).collect();
    let mut args = vec![
        "--at",
        "2024-04-10T19:00:00+08:00",
        "ballot",
        "open",
        "--in-person",
        "--question",
        "是否同意停车改造方案？",
        "--option",
        "赞成",
        "--option",
        "反对",
        "--option",
        "abstain",
        "--quorum",
        "2/3",
        "--threshold",
        "two-thirds",
    ];
    for v in &voters {
        args.push("--voter");
        args.push(v);
    }
    l.json(&args);
    l
}

#[test]
fn given_an_in_person_ballot_a_cast_is_refused_and_bad_counts_leave_the_ledger_unchanged() {
    let l = in_room_ballot();
    let before = l.head();
    let (code, err) = l.fail(&[
        "ballot", "cast", "BAL-1", "--voter", "PER-1", "--choice", "赞成",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("takes no casts"), "{err}");
    let (code, err) = l.fail(&["ballot", "close", "BAL-1"]);
    assert_eq!(code, 1, "{err}");
    for (counts, present, rule) in [
        (vec!["弃权=1"], "4", "is not offered"),
        (vec!["赞成=3", "反对=2"], "4", "at most the members present"),
        (vec!["赞成=3"], "7", "at most the electorate"),
    ] {
        let mut args = vec!["ballot", "record-result", "BAL-1", "--present", present];
        for c in &counts {
            args.push("--count");
            args.push(c);
        }
        let (code, err) = l.fail(&args);
        assert_eq!(code, 1, "{counts:?}: {err}");
        assert!(err.contains(rule), "{err}");
    }
    let (code, err) = l.fail(&[
        "ballot",
        "record-result",
        "BAL-1",
        "--count",
        "赞成=-1",
        "--present",
        "4",
    ]);
    assert_eq!(code, 2, "a negative count is not a number of hands: {err}");
    assert_eq!(l.head(), before, "nothing recorded");
    // and a ballot counted from casts takes no counts from the room
    l.json(&[
        "ballot",
        "open",
        "--question",
        "q",
        "--option",
        "赞成",
        "--option",
        "反对",
        "--voter",
        "PER-1",
        "--quorum",
        "1/2",
        "--threshold",
        "majority",
    ]);
    let (code, err) = l.fail(&[
        "ballot",
        "record-result",
        "BAL-2",
        "--count",
        "赞成=1",
        "--present",
        "1",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("only a ballot taken in the room"), "{err}");
}

#[test]
fn given_an_in_person_ballot_counts_below_the_quorum_carry_nothing() {
    let l = in_room_ballot();
    // 3 of 6 present: 3 × 3 = 9 < 2 × 6 = 12, no quorum, though all three were for
    l.json(&[
        "ballot",
        "record-result",
        "BAL-1",
        "--count",
        "赞成=3",
        "--present",
        "3",
    ]);
    let v = l.json(&["ballot", "show", "BAL-1"]);
    assert_eq!(v["status"], "closed", "{v}");
    assert_eq!(v["scheme"], "in-room");
    assert_eq!(v["present"], 3);
    assert_eq!(v["quorum_met"], false);
    assert_eq!(v["result"], serde_json::Value::Null);
}

#[test]
fn given_an_in_person_ballot_exactly_at_quorum_and_threshold_it_carries_and_reports_say_so() {
    let l = in_room_ballot();
    // 4 of 6 present is exactly 2/3; 2 for, 1 against, 1 abstaining: 2 of 3 hands is exactly 2/3
    let r = l.json(&[
        "--at",
        "2024-04-10T21:00:00+08:00",
        "ballot",
        "record-result",
        "BAL-1",
        "--count",
        "赞成=2",
        "--count",
        "反对=1",
        "--count",
        "abstain=1",
        "--present",
        "4",
    ]);
    assert_eq!(
        r["events"],
        json!(["ballot.room-counts-recorded", "ballot.closed"]),
        "{r}"
    );
    let v = l.json(&["ballot", "show", "BAL-1"]);
    assert_eq!(v["quorum_met"], true, "{v}");
    assert_eq!(v["result"], "赞成");
    assert_eq!(v["cast"], 4, "the members present");
    assert_eq!(v["counts"]["反对"], 1);
    // the transparency report carries how it was taken, in JSON and in words
    let report = l.json(&[
        "report",
        "transparency",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--format",
        "json",
    ]);
    assert_eq!(report["ballots"][0]["scheme"], "in-room", "{report}");
    assert_eq!(report["ballots"][0]["present"], 4);
    let md = l.ok(&[
        "report",
        "transparency",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--format",
        "md",
        "--lang",
        "zh",
    ]);
    assert!(
        md.contains("现场举手表决") && md.contains("到会人数 4/6"),
        "{md}"
    );
    // history says it in one line each
    let h = l.ok(&["history", "BAL-1"]);
    assert!(
        h.contains("taken in the room") && h.contains("4 present"),
        "{h}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_http_an_in_person_ballot_takes_the_room_counts_and_its_page_says_so() {
    let s = TestServer::start().await;
    let (status, v) = s
        .post(
            "/api/v1/ballots",
            json!({"question": "是否同意停车改造方案？", "options": ["赞成", "反对"],
                   "voters": ["PER-1", "PER-2"], "quorum": "1/2", "threshold": "majority",
                   "in_person": true}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let (status, v) = s
        .post(
            "/api/v1/ballots/BAL-1/cast",
            json!({"voter": "PER-1", "choice": "赞成"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (_, page) = s.text("/ballots/BAL-1").await;
    assert!(page.contains("尚未登记表决结果"), "{page}");
    let (status, v) = s
        .post(
            "/api/v1/ballots/BAL-1/record-result",
            json!({"counts": ["赞成=2"], "present": 2}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (_, b) = s.get("/api/v1/ballots/BAL-1").await;
    assert_eq!(b["scheme"], "in-room", "{b}");
    assert_eq!(b["result"], "赞成");
    let (_, page) = s.text("/ballots/BAL-1").await;
    assert!(
        page.contains("现场举手表决：应到 2 人，到会 2 人"),
        "{page}"
    );
}
