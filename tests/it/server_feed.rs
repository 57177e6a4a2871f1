//! The live feed delivers events appended by another client, and the route table, the router and
//! the OpenAPI description agree.

use super::server_support::TestServer;
use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::time::Duration;

/// Reads server-sent events until `want` data lines arrived.
async fn collect(resp: reqwest::Response, want: usize) -> Vec<Value> {
    let mut stream = resp.bytes_stream();
    let mut buf = String::new();
    let mut out = Vec::new();
    while out.len() < want {
        let chunk = tokio::time::timeout(Duration::from_secs(20), stream.next())
            .await
            .expect("feed stalled")
            .expect("feed ended")
            .expect("chunk");
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(i) = buf.find("\n\n") {
            let block: String = buf.drain(..i + 2).collect();
            for line in block.lines() {
                if let Some(data) = line
                    .strip_prefix("data: ")
                    .or_else(|| line.strip_prefix("data:"))
                {
                    out.push(serde_json::from_str(data).expect("json data"));
                }
            }
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_feed_delivers_events_appended_by_another_client() {
    let mut s = TestServer::start().await;
    let size = s.size().await;
    // From the start: the history first.
    let all = s
        .client
        .get(format!("{}/api/v1/feed?from=1", s.url))
        .bearer_auth(&s.auditor)
        .send()
        .await
        .unwrap();
    assert_eq!(all.status(), StatusCode::OK);
    let past = collect(all, size as usize).await;
    assert_eq!(
        past.iter()
            .map(|e| e["position"].as_u64().unwrap())
            .collect::<Vec<_>>(),
        (1..=size).collect::<Vec<_>>()
    );
    // Only new ones: subscribe, then another client appends.
    let live = s
        .client
        .get(format!("{}/api/v1/feed", s.url))
        .bearer_auth(&s.auditor)
        .send()
        .await
        .unwrap();
    let reader = tokio::spawn(collect(live, 2));
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (st, org) = s
        .post(
            "/api/v1/orgs",
            json!({"name": "Joint co-building meeting", "kind": "coordination-committee"}),
        )
        .await;
    assert_eq!(st, StatusCode::CREATED);
    let got = reader.await.unwrap();
    assert_eq!(got.last().unwrap()["position"], org["position"]);
    assert_eq!(got.last().unwrap()["kind"], "organisation.registered");
    assert_eq!(got.last().unwrap()["ref"], org["ref"]);
    assert!(got
        .iter()
        .all(|e| e["summary"].is_string() && e["stream"].is_string()));
    // Shutdown ends open feeds (it would hang otherwise).
    let _open = s
        .client
        .get(format!("{}/api/v1/feed", s.url))
        .bearer_auth(&s.auditor)
        .send()
        .await
        .unwrap();
    tokio::time::timeout(Duration::from_secs(30), s.stop())
        .await
        .expect("shutdown with an open feed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_openapi_matches_the_routes() {
    let mut s = TestServer::start().await;
    let (st, doc) = s.get("/api/v1/openapi.json").await;
    assert_eq!(st, StatusCode::OK);
    let documented: std::collections::BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(p, ops)| {
            ops.as_object()
                .unwrap()
                .keys()
                .map(move |m| (m.clone(), p.clone()))
        })
        .collect();
    // The served table is built by the same function as the router.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("d");
    let state = tokio::task::spawn_blocking(move || {
        let (ledger, _) =
            delib::ledger::Ledger::init(&dir, "t", std::sync::Arc::new(delib::clock::SystemClock))
                .unwrap();
        delib::server::State::new(delib::app::LedgerService::from_ledger(ledger, &dir).unwrap())
            .unwrap()
    })
    .await
    .unwrap();
    let (_, served) = delib::server::routes::build(state);
    let served: std::collections::BTreeSet<(String, String)> = served
        .into_iter()
        .map(|(m, p)| (m.to_owned(), p.to_owned()))
        .collect();
    assert_eq!(served, documented, "router and OpenAPI differ");
    // And each documented route answers (not the 404 fallback, not 405).
    for (method, path) in &documented {
        let url = format!("{}{}", s.url, path.replace("{ref}", "PROP-1"));
        let rb = match method.as_str() {
            "get" => s.client.get(&url),
            "post" => s.client.post(&url).json(&json!({})),
            other => panic!("{other}"),
        };
        if path.ends_with("/feed") {
            continue;
        }
        let r = rb.send().await.unwrap();
        let status = r.status();
        let body = r.text().await.unwrap();
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
        assert!(
            !body.contains("no such route"),
            "{method} {path} is not served"
        );
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_pages_render_and_escape() {
    let mut s = TestServer::start().await;
    s.post("/api/v1/orgs", json!({"name": "Org", "kind": "developer"}))
        .await;
    s.post(
        "/api/v1/orgs",
        json!({"name": "Owners", "kind": "homeowners-committee"}),
    )
    .await;
    s.post("/api/v1/proposals", json!({"title": "<script>alert(1)</script>", "body": "a & b", "category": "parking", "by": "PER-1"})).await;
    let (st, d) = s.post("/api/v1/disputes", json!({"title": "Fees", "subject": "s", "parties": [{"org": "ORG-1", "side": "a"}, {"org": "ORG-2", "side": "b"}]})).await;
    assert_eq!(st, StatusCode::CREATED, "{d}");
    let (st, board) = s.text("/?status=submitted&category=parking").await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        board.contains("&lt;script&gt;") && !board.contains("<script>"),
        "escaped"
    );
    assert!(board.contains("name=\"viewport\""));
    let (_, zh) = s.text("/?lang=zh").await;
    assert!(zh.contains("提案公示板"));
    let (st, page) = s.text("/proposals/PROP-1").await;
    assert_eq!(st, StatusCode::OK);
    assert!(page.contains("proposal.submitted") || page.contains("submitted"));
    assert!(!page.contains("<script>"));
    let (st, disp) = s.text("/disputes/DISP-1?as_of=2100-01-01").await;
    assert_eq!(st, StatusCode::OK, "{disp}");
    assert!(disp.contains("<svg") && disp.contains("<circle"));
    let (st, report) = s
        .text("/reports/transparency?from=2000-01-01&to=2100-01-01&lang=zh")
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(report.contains("<form") && report.contains("<svg"));
    assert_eq!(s.text("/proposals/PROP-9").await.0, StatusCode::NOT_FOUND);
    s.stop().await;
}
