//! Times people can have meant (issue 12, finding 4): an act cannot be dated in the future or
//! before 1900, years have four digits, and a date-only bound means the same on the CLI, the API and
//! the pages: the end of the day for an upper bound, its start for a lower one, in the ledger's zone.

use crate::support::Ledger;
use delib::app::LedgerService;
use delib::clock::SystemClock;
use std::path::Path;
use std::sync::Arc;

fn proposal(l: &Ledger) -> String {
    let per = l.create(&["person", "add", "--name", "Wang Fang"]);
    l.create(&[
        "proposal",
        "submit",
        "--title",
        "Parking",
        "--body",
        "Lines",
        "--category",
        "parking",
        "--by",
        &per,
    ])
}

#[test]
fn an_act_dated_far_ahead_is_refused_and_the_entity_is_not_frozen() {
    // given a proposal
    let l = Ledger::new();
    let prop = proposal(&l);
    let before = l.head();
    // when an act on it is dated 9999-12-31
    let (code, err) = l.fail(&["proposal", "admit", &prop, "--at", "9999-12-31"]);
    // then it is a rule error and nothing is recorded
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("cannot lie in the future"), "{err}");
    assert!(err.contains("9999-12-31T00:00:00Z"), "{err}");
    assert_eq!(l.head(), before);
    // and the proposal still takes acts dated now
    l.ok(&["proposal", "admit", &prop]);
    // an act a minute ahead (clock skew) is accepted; the same holds for creations
    let soon = delib::app::views::rfc3339(delib_events::Timestamp::from_micros(
        chrono::Utc::now().timestamp_micros() + 60_000_000,
    ));
    l.ok(&["person", "add", "--name", "Li Wei", "--at", &soon]);
    let (code, err) = l.fail(&["person", "add", "--name", "Zhao Min", "--at", "2999-01-01"]);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn an_act_before_1900_is_refused() {
    let l = Ledger::new();
    let before = l.head();
    let (code, err) = l.fail(&["person", "add", "--name", "Wang Fang", "--at", "1899-12-31"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("before 1900"), "{err}");
    assert_eq!(l.head(), before);
    l.ok(&[
        "person",
        "add",
        "--name",
        "Wang Fang",
        "--at",
        "1900-01-01T00:00:00Z",
    ]);
}

#[test]
fn years_without_four_digits_are_refused_everywhere_on_the_cli() {
    let l = Ledger::new();
    let before = l.head();
    for bad in [
        "0000-01-01",
        "-0001-01-01",
        "10000-01-01",
        "+10000-01-01T00:00:00Z",
    ] {
        // `--at=-0001-01-01`: with a space, clap takes a leading `-` for a flag
        let (code, err) = l.fail(&[
            "person",
            "add",
            "--name",
            "Wang Fang",
            &format!("--at={bad}"),
        ]);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(
            err.contains("--at") && err.contains("is not a time"),
            "{bad}: {err}"
        );
        let (code, err) = l.fail(&[
            "report",
            "transparency",
            "--from",
            "2000-01-01",
            &format!("--to={bad}"),
        ]);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(err.contains("--to"), "{err}");
    }
    assert!(l
        .fail(&["person", "add", "--name", "W", "--at=-0001-01-01"])
        .1
        .contains("four digits"));
    assert_eq!(l.head(), before);
    // a scheduled date may lie ahead
    let org = l.create(&[
        "org",
        "add",
        "--name",
        "Shibei committee",
        "--kind",
        "residents-committee",
    ]);
    l.create(&[
        "hearing",
        "schedule",
        "--topic",
        "Lifts",
        "--on",
        "2999-05-01",
        "--venue",
        "Hall",
        "--presided-by",
        &org,
    ]);
}

/// A ledger in +08:00 holding a dispute filed on 2015-07-01 at 20:00 local time (12:00 UTC).
fn ledger_with_a_dispute_late_on_a_day() -> (tempfile::TempDir, std::path::PathBuf, Ledger) {
    let l = Ledger::new_with(&["init", "--name", "Shibei ledger", "--tz", "+08:00"]);
    let status = l.json(&["status"]);
    assert_eq!(status["time_zone"], "+08:00");
    assert_eq!(status["utc_offset"], "+08:00");
    let a = l.create(&[
        "org",
        "add",
        "--name",
        "Owners",
        "--kind",
        "homeowners-committee",
        "--at",
        "2015-06-01",
    ]);
    let b = l.create(&[
        "org",
        "add",
        "--name",
        "Company",
        "--kind",
        "property-company",
        "--at",
        "2015-06-01",
    ]);
    l.create(&[
        "dispute",
        "file",
        "--title",
        "Lift repairs",
        "--subject",
        "Who pays",
        "--party",
        &format!("{a}=owners"),
        "--party",
        &format!("{b}=company"),
        "--at",
        "2015-07-01T20:00",
    ]);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().to_path_buf();
    (tmp, dir, l)
}

#[test]
fn a_dispute_filed_on_the_to_day_is_in_the_cli_report_and_the_as_of_timeline() {
    let (_tmp, _dir, l) = ledger_with_a_dispute_late_on_a_day();
    let r = l.json(&[
        "report",
        "transparency",
        "--from",
        "2015-07-01",
        "--to",
        "2015-07-01",
        "--format",
        "json",
    ]);
    assert_eq!(r["period"]["from"], "2015-06-30T16:00:00Z");
    assert_eq!(r["period"]["to"], "2015-07-01T15:59:59.999999Z");
    assert_eq!(r["disputes"]["filed"], 1, "{}", r["disputes"]);
    // the day before does not hold it
    let r = l.json(&[
        "report",
        "transparency",
        "--from",
        "2015-06-30",
        "--to",
        "2015-06-30",
        "--format",
        "json",
    ]);
    assert_eq!(r["disputes"]["filed"], 0);
    // --as-of a date: by the end of that day
    let t = l.json(&["dispute", "timeline", "DISP-1", "--as-of", "2015-07-01"]);
    assert_eq!(t["steps"].as_array().map(Vec::len), Some(1), "{t}");
    // the audit log's --to likewise
    let log = l.json(&["audit", "log", "--from", "2015-07-01", "--to", "2015-07-01"]);
    assert!(log.to_string().contains("DISP-1"), "{log}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dispute_filed_on_the_to_day_is_in_the_api_report_and_the_page() {
    let (_tmp, _dir, l) = ledger_with_a_dispute_late_on_a_day();
    let data = l.data.clone();
    let (url, stop, handle) = serve(&data).await;
    let client = reqwest::Client::new();
    let get = |path: String| {
        let client = client.clone();
        async move {
            let resp = client.get(path).send().await.expect("send");
            (resp.status().as_u16(), resp.text().await.expect("text"))
        }
    };
    // the API report
    let (status, body) = get(format!(
        "{url}/api/v1/reports/transparency?from=2015-07-01&to=2015-07-01"
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    let r: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(r["period"]["to"], "2015-07-01T15:59:59.999999Z");
    assert_eq!(r["disputes"]["filed"], 1);
    // the API timeline as of that day, and the status with the zone
    let (status, body) = get(format!(
        "{url}/api/v1/disputes/DISP-1/timeline?as_of=2015-07-01"
    ))
    .await;
    assert_eq!(status, 200, "{body}");
    let t: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(t["steps"].as_array().map(Vec::len), Some(1), "{t}");
    let (_, body) = get(format!("{url}/api/v1/status")).await;
    assert!(body.contains("\"time_zone\":\"+08:00\""), "{body}");
    // the page
    let (status, html) = get(format!(
        "{url}/reports/transparency?from=2015-07-01&to=2015-07-01"
    ))
    .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Lift repairs"),
        "the page leaves out the dispute filed that day"
    );
    let (status, html) = get(format!("{url}/disputes/DISP-1?as_of=2015-07-01")).await;
    assert_eq!(status, 200);
    // the dispute's filing, at noon that day, is a step of the timeline as it stood at the day's end
    let timeline = &html[html.find("<ol class=\"timeline\">").expect("a timeline")..];
    assert!(
        timeline.contains("<time datetime=\"2015-07-01\">"),
        "{html}"
    );
    // years of other than four digits are a 400
    let (status, body) = get(format!("{url}/api/v1/reports/transparency?to=-0001-01-01")).await;
    assert_eq!(status, 400, "{body}");
    let (status, _) = get(format!("{url}/api/v1/reports/transparency?to=0000-01-01")).await;
    assert_eq!(status, 400);
    let _ = stop.send(());
    handle.await.expect("join").expect("run");
}

/// Serves the ledger in `data` on 127.0.0.1:0 until the sender fires.
async fn serve(
    data: &Path,
) -> (
    String,
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let dir = data.to_path_buf();
    let state = tokio::task::spawn_blocking(move || {
        let svc = LedgerService::open(&dir, Arc::new(SystemClock)).expect("open");
        delib::server::State::new(svc).expect("state")
    })
    .await
    .expect("setup");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(delib::server::run(listener, state, async {
        let _ = rx.await;
    }));
    (url, tx, handle)
}
