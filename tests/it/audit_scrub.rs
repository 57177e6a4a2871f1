//! Old damage is noticed: a scrub (by `delib audit scrub`, or by `serve` in the background)
//! re-verifies everything, `status` shows when and what it found, appends are refused until an
//! operator accepts the problem (recorded and shown) or restores the ledger.

use super::server_hostage::Served;
use super::support::Ledger;
use crate::audit_support::{append_events, record, set_record};
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A ledger of some 130 records with a clerk (PER-1) and a token, whose record at position 10
/// (long before the tail that opening checks) then has one byte changed through sled.
fn damaged() -> (Ledger, String) {
    let l = Ledger::new();
    l.create(&["person", "add", "--name", "Clerk Li"]);
    let token = l.json(&["token", "create", "--role", "clerk", "--for", "PER-1"])["token"]
        .as_str()
        .unwrap()
        .to_owned();
    {
        let ledger =
            delib::ledger::Ledger::open(l.dir(), Arc::new(delib::clock::SystemClock)).unwrap();
        append_events(&ledger, 120);
    }
    assert_eq!(l.json(&["audit", "verify"])["ok"], true);
    let db = sled::open(l.dir().join("sled")).unwrap();
    let mut value = record(&db, 10);
    let last = value.len() - 3;
    value[last] ^= 0x01;
    set_record(&db, 10, value);
    db.flush().unwrap();
    drop(db);
    (l, token)
}

fn positions(scrub: &Value) -> Vec<u64> {
    scrub["last"]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["position"].as_u64().unwrap())
        .collect()
}

#[test]
fn a_scrub_finds_old_damage_halts_appends_until_an_operator_accepts_it() {
    // given a ledger damaged at position 10 that still opens and serves
    let (l, _) = damaged();
    assert!(l.json(&["status"])["scrub"]["last"].is_null());
    l.create(&["org", "add", "--name", "Before", "--kind", "developer"]);
    // when it is scrubbed
    let (code, err) = l.fail(&["audit", "scrub"]);
    // then the scrub fails and status shows when it ran and the problem's position
    assert_eq!(code, 3, "{err}");
    let status = l.json(&["status"]);
    let scrub = &status["scrub"];
    assert_eq!(scrub["last"]["ok"], false);
    assert!(scrub["last"]["finished_at"].is_string());
    assert!(positions(scrub).contains(&10), "{scrub}");
    let human = l.ok(&["status"]);
    assert!(
        human.contains("PROBLEM") && human.contains("position 10"),
        "{human}"
    );
    // and an append is refused with what to do
    let (code, err) = l.fail(&["org", "add", "--name", "During", "--kind", "developer"]);
    assert_eq!(code, 3);
    assert!(
        err.contains("appends are refused") && err.contains("accept-problem"),
        "{err}"
    );
    // when an operator accepts the problem
    l.ok(&[
        "audit",
        "accept-problem",
        "--reason",
        "position 10 checked against paper minutes",
    ]);
    // then status shows the acceptance, appends work again, and a new scrub does not halt again
    let status = l.json(&["status"]);
    assert!(status["scrub"]["halted"].is_null(), "{status}");
    assert_eq!(
        status["scrub"]["accepted"][0]["reason"],
        "position 10 checked against paper minutes"
    );
    l.create(&["org", "add", "--name", "After", "--kind", "developer"]);
    let _ = l.fail(&["audit", "scrub"]);
    l.create(&["org", "add", "--name", "Later", "--kind", "developer"]);
    // and accepting when there is nothing to accept is refused on an honest ledger
    let honest = Ledger::new();
    let (code, _) = honest.fail(&["audit", "accept-problem", "--reason", "x"]);
    assert_eq!(code, 1);
    honest.ok(&["audit", "scrub"]);
    assert_eq!(honest.json(&["status"])["scrub"]["last"]["ok"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_scrubs_in_the_background_and_refuses_appends_after_damage() {
    // given a damaged ledger served with a scrub every second
    let (l, token) = tokio::task::spawn_blocking(damaged).await.unwrap();
    let mut served = Served::start(l.dir(), &["--scrub-every", "1s"], &[]);
    let url = served.url.clone();
    // when the background scrub has run
    let started = Instant::now();
    let status = loop {
        let v: Value = reqwest::get(format!("{url}/api/v1/status"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if !v["scrub"]["last"].is_null() {
            break v;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "no scrub ran");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // then the API's status shows the problem at its position, and that appends are refused
    assert_eq!(status["scrub"]["last"]["ok"], false, "{status}");
    assert!(positions(&status["scrub"]).contains(&10), "{status}");
    assert!(status["scrub"]["halted"].is_string(), "{status}");
    let r = reqwest::Client::new()
        .post(format!("{url}/api/v1/orgs"))
        .bearer_auth(&token)
        .json(&json!({"name": "During", "kind": "developer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 503);
    let text = r.text().await.unwrap();
    assert!(text.contains("appends are refused"), "{text}");
    // and when the operator accepts the problem with the CLI while the server runs (the command
    // goes through the server's socket), the server takes appends again
    let accepted = l.json(&[
        "audit",
        "accept-problem",
        "--reason",
        "position 10 checked by hand",
    ]);
    assert!(
        accepted["problems"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["position"] == 10),
        "{accepted}"
    );
    let r = reqwest::Client::new()
        .post(format!("{url}/api/v1/orgs"))
        .bearer_auth(&token)
        .json(&json!({"name": "After", "kind": "developer"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap());
    served.sigterm();
    assert_eq!(served.wait(Duration::from_secs(15)), Some(0));
}
