//! An attacker holding a copy of the data directory reads the server's idempotency store, where every
//! request sent with an `Idempotency-Key` leaves a fingerprint, and tries to learn secret choices and
//! the names of erased persons from it by dictionary. They must learn nothing.

use super::server_support::TestServer;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const NAMES: [&str; 3] = ["Wang Fang", "Li Na", "Zhao Lei"];
const OPTIONS: [&str; 3] = ["yes", "no", "abstain"];

async fn send(s: &TestServer, path: &str, key: &str, body: Value) -> Value {
    let r = s
        .client
        .post(format!("{}{path}", s.url))
        .bearer_auth(&s.clerk)
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{path}: {}", r.status());
    r.json().await.unwrap()
}

/// Every value of the `idempotency` tree of a copy of the data directory, and the HMAC key kept there.
fn stolen(data: &std::path::Path) -> (Vec<Value>, Vec<u8>) {
    let copy = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("cp")
        .arg("-a")
        .arg(data)
        .arg(copy.path().join("data"))
        .status()
        .unwrap();
    assert!(status.success());
    let db = sled::open(copy.path().join("data").join("sled")).unwrap();
    let tree = db.open_tree("idempotency").unwrap();
    let mut entries = Vec::new();
    let mut key = Vec::new();
    for item in tree.iter() {
        let (k, v) = item.unwrap();
        if k.len() == 16 {
            entries.push(serde_json::from_slice(&v).unwrap());
        } else {
            key = v.to_vec();
        }
    }
    (entries, key)
}

fn mac(key: &[u8], v: &Value) -> String {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap();
    m.update(&serde_json::to_vec(v).unwrap());
    hex::encode(m.finalize().into_bytes())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_idempotency_store_reveals_no_choice_and_no_name() {
    // given three persons added and three secret votes cast, each request with an Idempotency-Key
    let mut s = TestServer::start().await;
    let mut ids = Vec::new();
    for (i, name) in NAMES.iter().enumerate() {
        let created = send(
            &s,
            "/api/v1/persons",
            &format!("p{i}"),
            json!({ "name": name }),
        )
        .await;
        ids.push(created["id"].as_str().unwrap().to_owned());
    }
    let bal = send(
        &s,
        "/api/v1/ballots",
        "b",
        json!({"question": "Repave the lane?", "options": OPTIONS, "voters": ["PER-3", "PER-4", "PER-5"],
               "quorum": "1/2", "threshold": "majority", "secret": true}),
    )
    .await["ref"]
        .as_str()
        .unwrap()
        .to_owned();
    let choices = ["no", "abstain", "yes"];
    for (i, choice) in choices.iter().enumerate() {
        send(
            &s,
            &format!("/api/v1/ballots/{bal}/cast"),
            &format!("c{i}"),
            json!({"voter": format!("PER-{}", i + 3), "choice": choice}),
        )
        .await;
    }
    // and one of the persons erased
    send(&s, "/api/v1/persons/PER-3/erase", "e", json!({})).await;
    let data = s.data.clone();
    for phase in ["before the close", "after the close"] {
        // when the attacker copies the data directory and reads the store
        let (entries, key) = stolen(&data);
        assert!(!entries.is_empty(), "{phase}: the store keeps answers");
        let raw = entries
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        // then no entry holds a choice or a name in the clear
        for secret in NAMES.iter().chain(["abstain"].iter()) {
            assert!(!raw.contains(secret), "{phase}: `{secret}` in {raw}");
        }
        // and no fingerprint tells one candidate from another: for every cast, the fingerprints an
        // attacker can compute (unsalted, as before, or with the stolen key) are the same whichever
        // choice is guessed, or match none of them
        for (i, _) in choices.iter().enumerate() {
            let guesses: Vec<Value> = OPTIONS
                .iter()
                .map(|c| {
                    json!({"request": {"command": "ballot-cast", "ballot": bal,
                           "voter": format!("PER-{}", i + 3), "choice": c}, "at": null})
                })
                .collect();
            let matching: Vec<&str> = OPTIONS
                .iter()
                .zip(&guesses)
                .filter(|(_, g)| {
                    // the request as the server serialises it, with and without the stolen key
                    let request: delib::app::Request =
                        serde_json::from_value(g["request"].clone()).unwrap();
                    let as_sent = serde_json::to_vec(&(&request, None::<i64>)).unwrap();
                    let guesses = [
                        hex::encode(Sha256::digest(&as_sent)),
                        hex::encode(Sha256::digest(serde_json::to_vec(g).unwrap())),
                        mac(&key, g),
                    ];
                    entries.iter().any(|e| {
                        [&e["public"], &e["secret"], &e["fingerprint"]]
                            .iter()
                            .any(|f| guesses.iter().any(|g| f.as_str() == Some(g)))
                    })
                })
                .map(|(c, _)| *c)
                .collect();
            assert!(
                matching.is_empty() || matching.len() == OPTIONS.len(),
                "{phase}: cast {i} singled out {matching:?}"
            );
        }
        // and the erased person's entry is gone with the name
        assert!(
            !raw.contains(&ids[0]),
            "{phase}: an entry still names the erased person"
        );
        assert!(
            raw.contains(&ids[1]),
            "{phase}: entries name the persons they involve"
        );
        if phase == "before the close" {
            send(&s, &format!("/api/v1/ballots/{bal}/close"), "x", json!({})).await;
        }
    }
    let (status, _) = s.get(&format!("/api/v1/ballots/{bal}")).await;
    assert_eq!(status, StatusCode::OK);
    s.stop().await;
}
