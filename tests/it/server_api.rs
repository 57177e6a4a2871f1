//! The HTTP API end to end: every recording family, the views, rejections, idempotent retries,
//! body limits, the audit endpoints and the events pages.

use super::server_support::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn created(s: &TestServer, path: &str, body: Value) -> String {
    let (status, v) = s.post(path, body).await;
    assert_eq!(status, StatusCode::CREATED, "{path}: {v}");
    assert!(
        v["id"].is_string() && v["position"].as_u64().unwrap() > 0,
        "{v}"
    );
    v["ref"].as_str().unwrap().to_owned()
}

async fn ok(s: &TestServer, path: &str, body: Value) -> Value {
    let (status, v) = s.post(path, body).await;
    assert_eq!(status, StatusCode::OK, "{path}: {v}");
    v
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_records_every_practice_and_serves_its_views() {
    let mut s = TestServer::start().await;
    let org = created(
        &s,
        "/api/v1/orgs",
        json!({"name": "Shibei residents' committee", "kind": "residents-committee"}),
    )
    .await;
    let dev = created(
        &s,
        "/api/v1/orgs",
        json!({"name": "Developer", "kind": "developer"}),
    )
    .await;
    let per = created(
        &s,
        "/api/v1/persons",
        json!({"name": "Rep Wu", "memberships": [{"org": org, "role": "representative"}]}),
    )
    .await;
    assert_eq!(per, "PER-3");
    let prop = created(&s, "/api/v1/proposals", json!({"title": "Street lights", "body": "No lights", "category": "safety", "by": "PER-3", "community": org})).await;
    assert_eq!(prop, "PROP-1");
    ok(
        &s,
        "/api/v1/proposals/PROP-1/cosign",
        json!({"by": "PER-1"}),
    )
    .await;
    ok(&s, "/api/v1/proposals/PROP-1/admit", json!({})).await;
    let hear = created(&s, "/api/v1/hearings", json!({"topic": "Lights", "on": "2024-05-01", "venue": "Hall", "presided_by": org, "proposals": ["PROP-1"], "at": "2024-04-01"})).await;
    ok(
        &s,
        &format!("/api/v1/hearings/{hear}/register"),
        json!({"person": "PER-3", "role": "speaker", "at": "2024-04-02"}),
    )
    .await;
    ok(
        &s,
        &format!("/api/v1/hearings/{hear}/open"),
        json!({"at": "2024-05-01T09:00"}),
    )
    .await;
    ok(
        &s,
        &format!("/api/v1/hearings/{hear}/statement"),
        json!({"by": "PER-3", "stance": "support", "summary": "Needed", "at": "2024-05-01T09:30"}),
    )
    .await;
    ok(
        &s,
        &format!("/api/v1/hearings/{hear}/close"),
        json!({"findings": "Install", "at": "2024-05-01T11:00"}),
    )
    .await;
    ok(
        &s,
        "/api/v1/proposals/PROP-1/decide",
        json!({"outcome": "adopted", "basis": hear}),
    )
    .await;
    ok(
        &s,
        "/api/v1/proposals/PROP-1/assign",
        json!({"to": org, "due": "2030-01-01"}),
    )
    .await;
    ok(
        &s,
        "/api/v1/proposals/PROP-1/progress",
        json!({"percent": 50}),
    )
    .await;
    let pledge = ok(
        &s,
        "/api/v1/pledges",
        json!({"for": "PROP-1", "by": dev, "money": "240000"}),
    )
    .await;
    assert_eq!(pledge["pledge"], 1);
    ok(
        &s,
        "/api/v1/pledges/fulfil",
        json!({"for": "PROP-1", "pledge": 1}),
    )
    .await;
    ok(
        &s,
        "/api/v1/proposals/PROP-1/complete",
        json!({"summary": "Lights installed"}),
    )
    .await;
    let cons = created(&s, "/api/v1/consultations", json!({"topic": "Parking", "format": "dialogue", "convened_by": org, "parties": [org, dev]})).await;
    ok(
        &s,
        &format!("/api/v1/consultations/{cons}/position"),
        json!({"party": dev, "statement": "ok"}),
    )
    .await;
    ok(
        &s,
        &format!("/api/v1/consultations/{cons}/agree"),
        json!({"terms": ["two spaces"]}),
    )
    .await;
    let c = ok(
        &s,
        &format!("/api/v1/consultations/{cons}/commit"),
        json!({"party": dev, "commitment": "paint lines"}),
    )
    .await;
    assert_eq!(c["commitment"], 1);
    ok(
        &s,
        &format!("/api/v1/consultations/{cons}/fulfil"),
        json!({"commitment": 1}),
    )
    .await;
    let bal = created(&s, "/api/v1/ballots", json!({"question": "Q?", "options": ["yes", "no"], "voters": ["PER-1", "PER-3"], "quorum": "1/2", "threshold": "majority"})).await;
    ok(
        &s,
        &format!("/api/v1/ballots/{bal}/cast"),
        json!({"voter": "PER-1", "choice": "yes"}),
    )
    .await;
    ok(&s, &format!("/api/v1/ballots/{bal}/close"), json!({})).await;
    let disp = created(&s, "/api/v1/disputes", json!({"title": "Management", "subject": "fees", "parties": [{"org": org, "side": "owners"}, {"org": dev, "side": "developer"}], "at": "2024-01-01"})).await;
    ok(
        &s,
        &format!("/api/v1/disputes/{disp}/mediate"),
        json!({"by": org, "outcome": "failed", "at": "2024-02-01"}),
    )
    .await;
    ok(&s, &format!("/api/v1/disputes/{disp}/negotiate"), json!({"presided_by": org, "representatives": [{"person": "PER-3", "side": "owners"}, {"person": "PER-1", "side": "developer"}], "at": "2024-03-01"})).await;
    ok(
        &s,
        &format!("/api/v1/disputes/{disp}/resolve"),
        json!({"resolution": "replace the company", "at": "2024-04-01"}),
    )
    .await;
    let (_, hist) = s.get("/api/v1/history/PROP-1").await;
    let first = hist[0]["position"].as_u64().unwrap();
    let corr = ok(
        &s,
        "/api/v1/corrections",
        json!({"reference": "PROP-1", "event": first, "reason": "typo"}),
    )
    .await;
    assert_eq!(corr["corrects"], first);

    // Views.
    let (st, v) = s.get("/api/v1/proposals/PROP-1").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(v["status"], "completed");
    assert_eq!(v["cosigners"], json!(["PER-1"]));
    assert_eq!(v["pledges"][0]["fulfilled"], true);
    let (_, list) = s
        .get("/api/v1/proposals?status=completed&category=safety")
        .await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (_, none) = s.get("/api/v1/proposals?category=parking").await;
    assert_eq!(none.as_array().unwrap().len(), 0);
    assert_eq!(
        s.get("/api/v1/proposals?status=bogus").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        s.get(&format!("/api/v1/hearings/{hear}")).await.1["status"],
        "closed"
    );
    assert_eq!(
        s.get(&format!("/api/v1/consultations/{cons}")).await.1["status"],
        "agreed"
    );
    let (_, b) = s.get(&format!("/api/v1/ballots/{bal}")).await;
    assert_eq!(
        (b["status"].clone(), b["result"].clone()),
        (json!("closed"), json!("yes"))
    );
    assert_eq!(
        s.get(&format!("/api/v1/disputes/{disp}")).await.1["status"],
        "resolved"
    );
    let (_, then) = s
        .get(&format!(
            "/api/v1/disputes/{disp}/timeline?as_of=2024-02-15"
        ))
        .await;
    assert_eq!(then["status"], "mediating", "{then}");
    assert_eq!(then["steps"].as_array().unwrap().len(), 2);
    for list in ["hearings", "consultations", "ballots", "disputes", "orgs"] {
        let (st, v) = s.get(&format!("/api/v1/{list}")).await;
        assert_eq!(st, StatusCode::OK);
        assert!(!v.as_array().unwrap().is_empty(), "{list}");
    }
    assert_eq!(
        s.get("/api/v1/proposals/PROP-9").await.0,
        StatusCode::NOT_FOUND
    );
    let (st, report) = s
        .get("/api/v1/reports/transparency?from=2020-01-01&to=2100-01-01&format=json")
        .await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(report["proposals"]["submitted"], 1);
    assert_eq!(report["ledger"]["size"], s.size().await);
    let (st, md) = s
        .text("/api/v1/reports/transparency?format=md&lang=zh")
        .await;
    assert_eq!(st, StatusCode::OK);
    assert!(md.starts_with('#'), "{md}");

    // Audit endpoints (auditor).
    let (st, verify) = s.get_as_auditor("/api/v1/audit/verify").await;
    assert_eq!(st, StatusCode::OK);
    assert_eq!(verify["ok"], true, "{verify}");
    let (st, proof) = s.get_as_auditor("/api/v1/audit/prove?position=3").await;
    assert_eq!(st, StatusCode::OK, "{proof}");
    let file: delib::audit::proof_file::ProofFile = serde_json::from_value(proof).unwrap();
    assert!(delib::audit::proof_file::check(&file, None).ok);
    let (st, cons_proof) = s
        .get_as_auditor("/api/v1/audit/consistency?from_size=2")
        .await;
    assert_eq!(st, StatusCode::OK);
    let file: delib::audit::proof_file::ProofFile = serde_json::from_value(cons_proof).unwrap();
    assert!(delib::audit::proof_file::check(&file, None).ok);
    assert_eq!(
        s.get_as_auditor("/api/v1/audit/prove?position=99999")
            .await
            .0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let (st, cps) = s.get_as_auditor("/api/v1/audit/checkpoints").await;
    assert_eq!(st, StatusCode::OK);
    assert!(cps.is_array());
    let (_, log) = s.get_as_auditor("/api/v1/audit/log?actor=PER-3").await;
    assert!(!log.as_array().unwrap().is_empty());
    assert!(s.get("/api/v1/audit/key").await.1["key"].is_string());
    // Events, paged by position.
    let size = s.size().await;
    let mut after = 0;
    let mut seen = Vec::new();
    loop {
        let (st, page) = s
            .get_as_auditor(&format!("/api/v1/events?after={after}&limit=7"))
            .await;
        assert_eq!(st, StatusCode::OK);
        for e in page["events"].as_array().unwrap() {
            seen.push(e["position"].as_u64().unwrap());
            assert!(e["summary"].is_string() && e["kind"].is_string() && e["event_id"].is_string());
        }
        match page["next"].as_u64() {
            Some(n) => after = n,
            None => break,
        }
    }
    assert_eq!(seen, (1..=size).collect::<Vec<_>>());
    // History entries carry who recorded them: the clerk token's person.
    let (_, h) = s.get("/api/v1/history/PROP-1").await;
    assert_eq!(h[0]["recorded_by"], "PER-1");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_rejections_leave_the_ledger_unchanged() {
    let mut s = TestServer::start().await;
    let before = s.size().await;
    // 422: a domain rule (admitting an unknown... no: admitting twice needs a proposal).
    let (st, v) = s
        .post(
            "/api/v1/proposals",
            json!({"title": "", "body": "b", "category": "safety", "by": "PER-1"}),
        )
        .await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["error"].as_str().unwrap().starts_with("rule:"), "{v}");
    // 404: unknown reference.
    let (st, _) = s.post("/api/v1/proposals/PROP-7/admit", json!({})).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    // 422: wrong kind of reference.
    let (st, _) = s.post("/api/v1/proposals/PER-1/admit", json!({})).await;
    assert_eq!(st, StatusCode::UNPROCESSABLE_ENTITY);
    // 400: malformed bodies, unknown fields, bad words, the target twice.
    for body in ["{bad", "[1]", r#"{"title": 3}"#] {
        let r = s
            .client
            .post(format!("{}/api/v1/proposals", s.url))
            .bearer_auth(&s.clerk)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{body}");
    }
    let (st, _) = s
        .post("/api/v1/orgs", json!({"name": "X", "kind": "castle"}))
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (st, _) = s
        .post(
            "/api/v1/orgs",
            json!({"name": "X", "kind": "developer", "colour": "red"}),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    let (st, _) = s
        .post(
            "/api/v1/pledges",
            json!({"for": "PROP-1", "by": "ORG-1", "money": 1, "labour_days": 2}),
        )
        .await;
    assert_eq!(st, StatusCode::BAD_REQUEST);
    // 413: a body over the limit.
    let big = "x".repeat(delib::server::BODY_LIMIT + 1);
    let (st, _) = s
        .post("/api/v1/orgs", json!({"name": big, "kind": "developer"}))
        .await;
    assert_eq!(st, StatusCode::PAYLOAD_TOO_LARGE);
    // 431: headers over the limit.
    let r = s
        .client
        .get(format!("{}/api/v1/status", s.url))
        .header("x-filler", "y".repeat(delib::server::HEAD_LIMIT))
        .send()
        .await;
    assert!(r
        .map(|r| r.status() == StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE)
        .unwrap_or(true));
    assert_eq!(s.size().await, before, "nothing was recorded");
    // Unknown routes: 404 JSON.
    let (st, v) = s.call(Method::GET, "/api/v1/nothing", None, None).await;
    assert_eq!(st, StatusCode::NOT_FOUND);
    assert!(v["error"].is_string());
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_idempotent_retries_get_the_original_answer() {
    let mut s = TestServer::start().await;
    let send = |key: &'static str, title: &'static str| {
        s.client
            .post(format!("{}/api/v1/proposals", s.url))
            .bearer_auth(&s.clerk)
            .header("Idempotency-Key", key)
            .json(&json!({"title": title, "body": "b", "category": "parking", "by": "PER-1"}))
            .send()
    };
    let first = send("key-1", "Parking").await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let size = s.size().await;
    for _ in 0..3 {
        let again = send("key-1", "Parking").await.unwrap();
        assert_eq!(again.status(), StatusCode::CREATED);
        assert_eq!(again.headers()["idempotent-replayed"], "true");
        assert_eq!(again.json::<Value>().await.unwrap(), first);
    }
    assert_eq!(s.size().await, size, "retries record nothing");
    // The same key with another request is refused; a new key records.
    assert_eq!(
        send("key-1", "Other").await.unwrap().status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(s.size().await, size);
    let second: Value = send("key-2", "Parking")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(second["ref"], "PROP-2");
    // A rejection is replayed too.
    let admit = || {
        s.client
            .post(format!("{}/api/v1/proposals/PROP-1/complete", s.url))
            .bearer_auth(&s.clerk)
            .header("Idempotency-Key", "k-rej")
            .json(&json!({"summary": "x"}))
            .send()
    };
    let r1 = admit().await.unwrap();
    assert_eq!(r1.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r2 = admit().await.unwrap();
    assert_eq!(r2.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r2.headers()["idempotent-replayed"], "true");
    // Durable across a restart.
    s.stop().await;
    let (data, clerk) = (s.data.clone(), s.clerk.clone());
    let w = tokio::task::spawn_blocking(move || {
        let svc = delib::app::LedgerService::open(&data, std::sync::Arc::new(delib::clock::SystemClock)).unwrap();
        let state = delib::server::State::new(svc).unwrap();
        let token = state.tokens.authenticate(&clerk).unwrap().unwrap();
        let request: delib::app::Request = serde_json::from_value(json!({"command": "proposal-submit", "title": "Parking", "body": "b", "category": "parking", "by": "PER-1"})).unwrap();
        state.write(&token, Some("key-1"), None, request).unwrap()
    })
    .await
    .unwrap();
    assert!(w.replayed);
    assert_eq!(w.body, first);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_page_by_reference_over_http() {
    // given three organisations
    let mut s = TestServer::start().await;
    for n in 1..=3 {
        created(
            &s,
            "/api/v1/orgs",
            json!({"name": format!("Unit {n}"), "kind": "member-unit"}),
        )
        .await;
    }
    // when the list is read a page at a time
    let (status, page) = s.get("/api/v1/orgs?limit=2&after=ORG-1").await;
    // then the page holds the next two
    assert_eq!(status, StatusCode::OK, "{page}");
    let refs: Vec<&str> = page
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["ref"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ["ORG-2", "ORG-3"]);
    // and a bad page is a clear 400
    let (status, err) = s.get("/api/v1/hearings?limit=0").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    let (status, err) = s.get("/api/v1/proposals?after=PROP-x").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{err}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anyone_verifies_an_encrypted_ballot_over_http() {
    // given an encrypted ballot whose key the ledger holds, cast and closed through the API
    let mut s = TestServer::start().await;
    let bal = created(&s, "/api/v1/ballots", json!({"question": "Q?", "options": ["yes", "no"], "voters": ["PER-1", "PER-2"], "quorum": "1/2", "threshold": "majority", "secret": true})).await;
    ok(
        &s,
        &format!("/api/v1/ballots/{bal}/cast"),
        json!({"voter": "PER-1", "choice": "no"}),
    )
    .await;
    // when anyone asks for its verification while it is open, then the casts verify
    let (status, v) = s.get(&format!("/api/v1/ballots/{bal}/verify")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(
        (v["ok"].clone(), v["casts"].clone()),
        (json!(true), json!(1))
    );
    // and once closed, the counts verify too
    ok(&s, &format!("/api/v1/ballots/{bal}/close"), json!({})).await;
    let (_, v) = s.get(&format!("/api/v1/ballots/{bal}/verify")).await;
    assert_eq!(v["counts"], json!([0, 1]), "{v}");
    // and an open (not secret) ballot has nothing to verify: 422
    let open = created(&s, "/api/v1/ballots", json!({"question": "Q?", "options": ["yes", "no"], "voters": ["PER-1"], "quorum": "1/2", "threshold": "majority"})).await;
    let (status, _) = s.get(&format!("/api/v1/ballots/{open}/verify")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    s.stop().await;
}
