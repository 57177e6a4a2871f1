//! Access rules: anonymous reads public views only, never names or secret choices; clerks record;
//! auditors read everything; revoked and wrong tokens get nothing.

use super::server_support::TestServer;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_access_rules_hold() {
    let mut s = TestServer::start().await;
    let before = s.size().await;
    let body = json!({"name": "Org", "kind": "developer"});
    // Writes: none without a clerk token.
    assert_eq!(
        s.call(Method::POST, "/api/v1/orgs", None, Some(body.clone()))
            .await
            .0,
        StatusCode::UNAUTHORIZED
    );
    let auditor = s.auditor.clone();
    assert_eq!(
        s.call(
            Method::POST,
            "/api/v1/orgs",
            Some(&auditor),
            Some(body.clone())
        )
        .await
        .0,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        s.call(
            Method::POST,
            "/api/v1/orgs",
            Some("delib_0000000000000000_00"),
            Some(body.clone())
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
    // The clerk's secret with its last hex digit changed (to a different digit: never the same token).
    let last = if s.clerk.ends_with('0') { '1' } else { '0' };
    let forged = format!("{}{last}", &s.clerk[..s.clerk.len() - 1]);
    assert_ne!(forged, s.clerk);
    assert_eq!(
        s.call(
            Method::POST,
            "/api/v1/orgs",
            Some(&forged),
            Some(body.clone())
        )
        .await
        .0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(s.size().await, before, "nothing recorded");
    // Auditor-only reads.
    for path in [
        "/api/v1/persons",
        "/api/v1/audit/log",
        "/api/v1/audit/verify",
        "/api/v1/audit/prove?position=1",
        "/api/v1/audit/consistency?from_size=1",
        "/api/v1/audit/checkpoints",
        "/api/v1/events",
        "/api/v1/feed",
    ] {
        assert_eq!(s.get(path).await.0, StatusCode::UNAUTHORIZED, "{path}");
        let clerk = s.clerk.clone();
        assert_eq!(
            s.call(Method::GET, path, Some(&clerk), None).await.0,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let (st, persons) = s.get_as_auditor("/api/v1/persons").await;
    assert_eq!(st, StatusCode::OK);
    assert!(
        persons.to_string().contains("Clerk Li"),
        "auditors see names"
    );
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_revoked_tokens_are_refused() {
    let mut s = TestServer::start().await;
    s.stop().await;
    // Revoke while stopped (the CLI's `token revoke`), then serve again.
    let svc =
        delib::app::LedgerService::open(&s.data, std::sync::Arc::new(delib::clock::SystemClock))
            .unwrap();
    let state = delib::server::State::new(svc).unwrap();
    let id = state.tokens.authenticate(&s.clerk).unwrap().unwrap().id;
    assert!(state.tokens.revoke(&id).unwrap());
    assert!(state.tokens.authenticate(&s.clerk).unwrap().is_none());
    assert!(state.tokens.authenticate(&s.auditor).unwrap().is_some());
    assert!(state
        .tokens
        .list()
        .unwrap()
        .iter()
        .all(|t| !t.hash.is_empty() && !s.clerk.contains(&t.hash)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let h = tokio::spawn(delib::server::run(listener, state, async {
        let _ = rx.await;
    }));
    let r = s
        .client
        .post(format!("{url}/api/v1/orgs"))
        .bearer_auth(&s.clerk)
        .json(&json!({"name": "X", "kind": "developer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let _ = tx.send(());
    h.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_public_views_never_show_names_or_secret_choices() {
    let mut s = TestServer::start().await;
    let org = s
        .post(
            "/api/v1/orgs",
            json!({"name": "Sanlitun assembly", "kind": "residents-committee"}),
        )
        .await
        .1["ref"]
        .as_str()
        .unwrap()
        .to_owned();
    for name in ["Zhang Erased-Name", "Liu Kept-Name", "Chen Voter-Three"] {
        assert_eq!(
            s.post("/api/v1/persons", json!({"name": name})).await.0,
            StatusCode::CREATED
        );
    }
    s.post("/api/v1/proposals", json!({"title": "Gate", "body": "b", "category": "safety", "by": "PER-3", "community": org})).await;
    s.post("/api/v1/proposals/PROP-1/cosign", json!({"by": "PER-4"}))
        .await;
    let bal = s.post("/api/v1/ballots", json!({"question": "Q", "options": ["alpha-choice", "beta-choice"], "voters": ["PER-3", "PER-4", "PER-5"], "quorum": "1/3", "threshold": "majority", "secret": true, "proposal": "PROP-1"})).await.1["ref"].as_str().unwrap().to_owned();
    s.post(
        &format!("/api/v1/ballots/{bal}/cast"),
        json!({"voter": "PER-4", "choice": "beta-choice"}),
    )
    .await;
    s.post(
        &format!("/api/v1/ballots/{bal}/cast"),
        json!({"voter": "PER-5", "choice": "alpha-choice"}),
    )
    .await;
    assert_eq!(
        s.post("/api/v1/persons/PER-3/erase", json!({})).await.0,
        StatusCode::OK
    );
    // Before closing: no public view shows any choice of the secret ballot.
    let (_, open) = s.get(&format!("/api/v1/ballots/{bal}")).await;
    assert!(
        !open.to_string().contains("alpha-choice\":")
            && open.get("votes").is_none_or(|v| v.is_null()),
        "{open}"
    );
    s.post(&format!("/api/v1/ballots/{bal}/close"), json!({}))
        .await;
    let public = [
        "/api/v1/proposals",
        "/api/v1/proposals/PROP-1",
        "/api/v1/ballots",
        "/api/v1/orgs",
        "/api/v1/history/PROP-1",
        "/api/v1/history/PER-3",
        "/api/v1/history/PER-4",
        "/api/v1/reports/transparency?format=json",
        "/api/v1/reports/transparency?format=html",
        "/api/v1/reports/transparency?format=md&lang=zh",
        "/",
        "/proposals/PROP-1",
        "/reports/transparency",
        "/reports/transparency?lang=zh",
    ];
    let ballot_path = format!("/api/v1/ballots/{bal}");
    let history_path = format!("/api/v1/history/{bal}");
    for path in public
        .iter()
        .copied()
        .chain([ballot_path.as_str(), history_path.as_str()])
    {
        let (st, text) = s.text(path).await;
        assert_eq!(st, StatusCode::OK, "{path}");
        for name in [
            "Zhang",
            "Erased-Name",
            "Liu",
            "Kept-Name",
            "Chen",
            "Voter-Three",
            "Clerk Li",
            "Auditor Zhao",
        ] {
            assert!(!text.contains(name), "{path} shows the name {name}");
        }
        // Who chose what in a secret ballot never appears: no voter next to a choice.
        assert!(
            !text.contains("\"votes\":{\"PER"),
            "{path} pairs voters with choices"
        );
    }
    let (_, closed) = s.get(&ballot_path).await;
    assert_eq!(
        closed["counts"]["alpha-choice"], 1,
        "the tally is public: {closed}"
    );
    assert!(
        closed
            .get("votes")
            .is_none_or(|v| v.is_null() || v.as_object().is_some_and(|m| m.is_empty())),
        "{closed}"
    );
    // Auditors' events carry no payloads, so no secret choice either.
    let (_, events) = s.get_as_auditor("/api/v1/events?limit=1000").await;
    let text = events.to_string();
    assert!(
        !text.contains("alpha-choice") && !text.contains("beta-choice"),
        "{text}"
    );
    assert!(!text.contains("Erased-Name"));
    s.stop().await;
}

/// The references of the demo's ledger that a public route's `{ref}` can name.
fn demo_refs(path: &str) -> Vec<String> {
    fn n(prefix: &'static str, count: u32) -> impl Iterator<Item = String> {
        (1..=count).map(move |i| format!("{prefix}-{i}"))
    }
    let mut all: Vec<String> = n("PROP", 3)
        .chain(n("HEAR", 1))
        .chain(n("CONS", 1))
        .chain(n("BAL", 1))
        .chain(n("DISP", 1))
        .chain(n("ORG", 46))
        .collect();
    match path
        .split('/')
        .find(|p| !p.is_empty() && *p != "api" && *p != "v1")
    {
        Some("proposals") => n("PROP", 3).collect(),
        Some("hearings") => n("HEAR", 1).collect(),
        Some("consultations") => n("CONS", 1).collect(),
        Some("ballots") => n("BAL", 1).collect(),
        Some("disputes") => n("DISP", 1).collect(),
        Some("orgs") => n("ORG", 46).collect(),
        _ => {
            all.extend(n("PER", 9));
            all
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_no_public_page_or_answer_of_the_demo_names_a_person() {
    use super::web_support::Served;
    use delib::server::routes::READS;
    // given the demo's ledger, whose persons (PER-1..PER-9) have names in the directory
    let demo = tokio::task::spawn_blocking(crate::support::Ledger::demo)
        .await
        .unwrap();
    let dir = demo.dir().to_owned();
    let names: Vec<String> = tokio::task::spawn_blocking(move || {
        let svc =
            delib::app::LedgerService::open(&dir, std::sync::Arc::new(delib::clock::SystemClock))
                .unwrap();
        (1..=9)
            .filter_map(|i| {
                let id = svc.person_id(&format!("PER-{i}")).ok()?;
                svc.person_name(id).ok().flatten()
            })
            .collect()
    })
    .await
    .unwrap();
    assert_eq!(names.len(), 9, "{names:?}");
    let srv = Served::start(demo.dir().to_owned()).await;
    let http = reqwest::Client::new();
    let mut read = 0;
    // when every public page and answer is read, for every reference it takes, in both languages
    for route in READS.iter().filter(|r| r.access == "public") {
        if !(route.produces.starts_with("application/json") || route.produces == "text/html") {
            continue;
        }
        let paths: Vec<String> = if route.path.contains("{ref}") {
            demo_refs(route.path)
                .iter()
                .map(|r| route.path.replace("{ref}", r))
                .collect()
        } else {
            vec![route.path.to_owned()]
        };
        let mut answered = 0;
        for path in paths {
            for lang in ["zh", "en"] {
                let r = http
                    .get(format!("{}{path}?lang={lang}", srv.url))
                    .send()
                    .await
                    .unwrap();
                let status = r.status();
                let text = r.text().await.unwrap();
                if status == StatusCode::OK {
                    answered += 1;
                }
                // then none names a person
                for name in &names {
                    assert!(
                        !text.contains(name.as_str()),
                        "{path} ({lang}) names {name}"
                    );
                }
                read += 1;
            }
        }
        // and every page type was read with an answer, not an error
        assert!(answered > 0, "{} answered nothing", route.path);
    }
    srv.stop().await;
    assert!(read > 200, "only {read} reads");
}
