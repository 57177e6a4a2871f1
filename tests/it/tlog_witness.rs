//! The tlog-witness: cosignatures that verify (from the tlog-cosignature spec) next to the log's own
//! signature, and a forked checkpoint refused with the spec's statuses.

use crate::tlog_support::*;
use base64::Engine as _;
use delib::clock::SystemClock;
use delib::ledger::Ledger;
use delib::tlog::witness::{collect, state::Witness};
use ed25519_dalek::{Signature, VerifyingKey};
use sha2::{Digest, Sha256};
use std::sync::Arc;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Verifies an Ed25519 cosignature line from the spec alone: key id over 0x04, timestamp, message.
fn spec_verify(vkey: &str, note: &str) -> u64 {
    let parts: Vec<&str> = vkey.splitn(3, '+').collect();
    let (name, raw) = (parts[0], B64.decode(parts[2]).unwrap());
    assert_eq!(raw[0], 0x04, "cosignature keys have type 0x04");
    let pk = VerifyingKey::from_bytes(&raw[1..].try_into().unwrap()).unwrap();
    let mut h = Sha256::new();
    h.update(name.as_bytes());
    h.update(b"\n");
    h.update([0x04]);
    h.update(pk.as_bytes());
    let id = &h.finalize()[..4];
    let split = note.rfind("\n\n").unwrap();
    let body = &note[..=split];
    let line = note[split + 2..]
        .lines()
        .find(|l| l.starts_with(&format!("\u{2014} {name} ")))
        .expect("a line by the witness");
    let blob = B64.decode(line.rsplit(' ').next().unwrap()).unwrap();
    assert_eq!(blob.len(), 4 + 8 + 64);
    assert_eq!(&blob[..4], id);
    let time = u64::from_be_bytes(blob[4..12].try_into().unwrap());
    let msg = format!("cosignature/v1\ntime {time}\n{body}");
    pk.verify_strict(
        msg.as_bytes(),
        &Signature::from_bytes(&blob[12..].try_into().unwrap()),
    )
    .expect("the cosignature verifies");
    time
}

struct Running {
    url: String,
    rt: tokio::runtime::Runtime,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

fn start(w: Arc<Witness>) -> Running {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    rt.spawn(delib::tlog::witness::http::run(listener, w, async {
        let _ = rx.await;
    }));
    Running {
        url,
        rt,
        stop: Some(stop),
    }
}

fn post(r: &Running, body: String) -> (u16, String, String) {
    let url = format!("{}/add-checkpoint", r.url);
    r.rt.block_on(async move {
        let resp = reqwest::Client::new()
            .post(url)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let ct = resp
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        (status, ct, resp.text().await.unwrap())
    })
}

fn body(old: u64, proof: &[delib::audit::merkle::Hash], note: &str) -> String {
    let mut b = format!("old {old}\n");
    for h in proof {
        b.push_str(&h.to_base64());
        b.push('\n');
    }
    format!("{b}\n{note}")
}

#[test]
fn witness_cosigns_consistent_checkpoints_and_refuses_a_split_view() {
    // given two copies of a ledger of 40 records with the same key, and a witness following it
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("ledger");
    drop(ledger_with(&data, 40, "witnessed"));
    let fork_dir = tmp.path().join("fork");
    copy_dir(&data, &fork_dir);
    let ledger = Ledger::open(&data, Arc::new(SystemClock)).unwrap();
    let log_key = delib::audit::keys::load(&data).unwrap().verifier();
    let witness =
        Arc::new(Witness::open(&tmp.path().join("w"), Some("witness.example/w1")).unwrap());
    witness.add_log(&log_key.to_string()).unwrap();
    let wkey = witness.public();
    let running = start(witness.clone());

    // when the ledger asks for a cosignature of its head, twice as it grows
    let first = collect::collect(&ledger, &running.url, Some(&wkey)).unwrap();
    append_notes(&ledger, 25, "more");
    let url = running.url.clone();
    let second = collect::collect(&ledger, &url, Some(&wkey)).unwrap();

    // then each cosignature verifies with the witness's key by the spec, and the log's own
    // signature still verifies on the same note
    for w in [&first, &second] {
        let t = spec_verify(&wkey.to_string(), &w.note);
        assert!(t > 1_700_000_000);
        log_key
            .verify(&delib::audit::checkpoint::SignedCheckpoint::parse(&w.note).unwrap())
            .expect("the log's signature still verifies");
    }
    assert_eq!((first.size, second.size), (40, 65));
    let listed = collect::list(&data).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[1].witness, "witness.example/w1");

    // when a forked copy (same key, other records after 40) offers its checkpoint
    let fork = Ledger::open(&fork_dir, Arc::new(SystemClock)).unwrap();
    append_notes(&fork, 30, "forked");
    let (_, fork_note) = delib::audit::checkpoints::sign(&fork, 70).unwrap();
    // with the size the witness knows (65)? the fork has no such tree: it proves from 40 instead
    let (status, ct, text) = post(
        &running,
        body(
            40,
            &fork.store().consistency_proof(40, 70).unwrap(),
            &fork_note,
        ),
    );
    // then: 409 with the witness's size, as text/x.tlog.size
    assert_eq!(
        (status, ct.as_str(), text.as_str()),
        (409, "text/x.tlog.size", "65\n")
    );
    // and with old 65 and any proof it cannot produce (its own 65-tree's proof), 422
    let proof = fork.store().consistency_proof(65, 70).unwrap();
    let (status, _, _) = post(&running, body(65, &proof, &fork_note));
    assert_eq!(status, 422, "a split view is refused");
    // and the same size with another root is refused too
    let (_, fork65) = delib::audit::checkpoints::sign(&fork, 65).unwrap();
    let (status, _, _) = post(&running, body(65, &[], &fork65));
    assert_eq!(status, 422);
    // and the witness still holds the honest checkpoint
    assert_eq!(witness.log(log_key.name()).unwrap().unwrap().size, 65);

    // and the other statuses of the spec
    let (_, honest) = delib::audit::checkpoints::sign(&ledger, 65).unwrap();
    let (status, _, _) = post(&running, body(70, &[], &honest));
    assert_eq!(status, 400, "old size above the checkpoint's");
    let tampered = honest.replacen("\n65\n", "\n64\n", 1);
    let (status, _, _) = post(&running, body(65, &[], &tampered));
    assert_eq!(status, 403, "signature does not verify");
    let other = ledger_with(&tmp.path().join("other"), 3, "other");
    let (_, other_note) = delib::audit::checkpoints::sign(&other, 3).unwrap();
    let (status, _, _) = post(&running, body(0, &[], &other_note));
    assert_eq!(status, 404, "unknown log");
    let (status, _, _) = post(&running, body(0, &proof, &honest));
    assert_eq!(status, 409);

    // and the monitoring endpoint serves the cosigned checkpoint
    let hash = hex::encode(Sha256::digest(log_key.name().as_bytes()));
    let got = running.rt.block_on(async {
        reqwest::get(format!("{}/{hash}/checkpoint", running.url))
            .await
            .unwrap()
            .text()
            .await
            .unwrap()
    });
    assert_eq!(
        spec_verify(&wkey.to_string(), &got),
        spec_verify(&wkey.to_string(), &second.note)
    );
    let mut running = running;
    let _ = running.stop.take().unwrap().send(());
}
