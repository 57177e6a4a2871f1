//! Graceful shutdown with appends in flight: every acknowledged append is in the ledger after
//! reopening, and `audit verify` passes. A CLI command on a served ledger names the server.

use super::server_support::TestServer;
use delib::app::LedgerService;
use delib::clock::SystemClock;
use delib::store::EventStore;
use reqwest::StatusCode;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_graceful_shutdown_keeps_every_acknowledged_append() {
    let mut s = TestServer::start().await;
    s.post("/api/v1/orgs", json!({"name": "Org", "kind": "developer"}))
        .await;
    let mut writers = Vec::new();
    for w in 0..16 {
        let client = s.client.clone();
        let url = s.url.clone();
        let clerk = s.clerk.clone();
        writers.push(tokio::spawn(async move {
            let mut acked: Vec<Value> = Vec::new();
            for i in 0..1000 {
                let r = client
                    .post(format!("{url}/api/v1/proposals"))
                    .bearer_auth(&clerk)
                    .json(&json!({"title": format!("w{w} #{i}"), "body": "b", "category": "other", "by": "PER-1"}))
                    .send()
                    .await;
                match r {
                    Ok(r) if r.status() == StatusCode::CREATED => match r.json::<Value>().await {
                        Ok(v) => acked.push(v),
                        Err(_) => break,
                    },
                    _ => break,
                }
            }
            acked
        }));
    }
    tokio::time::sleep(Duration::from_millis(700)).await;
    s.stop().await;
    let mut acked = Vec::new();
    for w in writers {
        acked.extend(w.await.unwrap());
    }
    assert!(
        !acked.is_empty(),
        "some appends were acknowledged before the shutdown"
    );
    let svc = LedgerService::open(&s.data, Arc::new(SystemClock)).expect("reopen after shutdown");
    for a in &acked {
        let id = svc
            .proposal_id(a["ref"].as_str().unwrap())
            .expect("acknowledged proposal present");
        assert_eq!(id.stream_id().to_string(), a["id"].as_str().unwrap());
        let position = a["position"].as_u64().unwrap();
        assert!(svc.store().head().position.get() >= position);
    }
    let report = delib::audit::ledger_verify::verify_ledger(svc.ledger());
    assert!(report.ok, "{:?}", report.problems);
}

#[test]
fn server_holding_a_ledger_is_named_by_the_cli() {
    let ledger = super::support::Ledger::new();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_delib"))
        .args(["--data"])
        .arg(ledger.dir())
        .args(["--json", "serve", "--addr", "127.0.0.1:0"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve");
    let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut text = String::new();
    let info: Value = loop {
        let mut line = String::new();
        let n = std::io::BufRead::read_line(&mut reader, &mut line).unwrap();
        assert!(n > 0, "serve ended before printing its url: {text}");
        text.push_str(&line);
        if let Ok(v) = serde_json::from_str(&text) {
            break v;
        }
    };
    let url = info["url"].as_str().unwrap().to_owned();
    // Commands go through the server (tests/it/ops_socket.rs); one that makes a ledger does not.
    let (code, err) = ledger.fail(&["init", "--name", "another"]);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(code, 3);
    assert!(
        err.contains(&format!("held by the delib server at {url}")) && err.contains("pid"),
        "{err}"
    );
}
