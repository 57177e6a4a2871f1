//! Documents, end to end: `attach` stores the file under its SHA-256 before the event; `audit
//! verify` catches an altered or missing file at its position; `document withdraw` deletes the file
//! and keeps the hash; private documents stay off the public API and pages; `/documents/<sha256>`
//! serves the bytes with their type.

use super::server_support::TestServer;
use super::support::Ledger;
use reqwest::StatusCode;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn verify(l: &Ledger) -> Value {
    let out = l.run(&["--json", "audit", "verify"]);
    serde_json::from_slice(&out.stdout).expect("verify JSON")
}

fn with_hearing() -> Ledger {
    let l = Ledger::new();
    l.create(&[
        "org",
        "add",
        "--name",
        "十北社区居委会",
        "--kind",
        "residents-committee",
    ]);
    l.create(&[
        "--at",
        "2014-03-12T09:00:00Z",
        "hearing",
        "schedule",
        "--topic",
        "共建会议",
        "--on",
        "2014-03-20T14:00:00Z",
        "--venue",
        "社区会议室",
        "--presided-by",
        "ORG-1",
    ]);
    l
}

#[test]
fn given_an_attached_document_audit_verify_catches_it_altered_then_missing() {
    let l = with_hearing();
    let file = l.dir().parent().unwrap().join("会议纪要.pdf");
    let bytes = b"%PDF-1.4 \xe4\xbc\x9a\xe8\xae\xae\xe7\xba\xaa\xe8\xa6\x81".to_vec();
    std::fs::write(&file, &bytes).unwrap();
    // when it is attached
    let r = l.json(&["attach", "HEAR-1", "--file", file.to_str().unwrap()]);
    assert_eq!(r["events"], json!(["document.attached"]), "{r}");
    let position = r["position"].as_u64().unwrap();
    let sha = hex(&bytes);
    let stored = l.dir().join("documents/sha256").join(&sha);
    assert_eq!(std::fs::read(&stored).unwrap(), bytes, "stored by its hash");
    let h = l.ok(&["history", "HEAR-1"]);
    assert!(
        h.contains(&sha) && h.contains("application/pdf") && h.contains("会议纪要"),
        "{h}"
    );
    // then it verifies
    let v = verify(&l);
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["checked"]["documents"], 1);
    // when altered, it is caught at its position
    std::fs::write(&stored, b"%PDF-1.4 forged").unwrap();
    let v = verify(&l);
    assert_eq!(v["ok"], false);
    assert_eq!(v["problems"][0]["position"], position, "{v}");
    assert!(v["problems"][0]["problem"]
        .as_str()
        .unwrap()
        .contains("altered"));
    // when deleted, too
    std::fs::remove_file(&stored).unwrap();
    let v = verify(&l);
    assert_eq!(v["problems"][0]["position"], position, "{v}");
    assert!(v["problems"][0]["problem"]
        .as_str()
        .unwrap()
        .contains("missing"));
    // attaching the same bytes again puts the file back; the record refuses a second attachment
    let before = l.head();
    let (code, err) = l.fail(&["attach", "HEAR-1", "--file", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("attached to an entity once"), "{err}");
    assert_eq!(l.head(), before);
}

#[test]
fn given_a_document_when_withdrawn_the_file_goes_and_the_hash_stays() {
    let l = with_hearing();
    let file = l.dir().parent().unwrap().join("公示.jpg");
    let bytes = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3];
    std::fs::write(&file, bytes).unwrap();
    let r = l.json(&[
        "attach",
        "HEAR-1",
        "--file",
        file.to_str().unwrap(),
        "--title",
        "公示照片",
    ]);
    let position = r["position"].as_u64().unwrap().to_string();
    let stored = l.dir().join("documents/sha256").join(hex(&bytes));
    assert!(stored.exists());
    // a withdrawal of something that is not a document is refused
    let (code, err) = l.fail(&[
        "document", "withdraw", "HEAR-1", "--event", "2", "--reason", "r",
    ]);
    assert_eq!(code, 1, "{err}");
    l.json(&[
        "document",
        "withdraw",
        "HEAR-1",
        "--event",
        &position,
        "--reason",
        "照片上有已删除信息的人员",
    ]);
    assert!(!stored.exists(), "the file is deleted");
    let h = l.ok(&["history", "HEAR-1"]);
    assert!(h.contains(&hex(&bytes)) && h.contains("withdrawn"), "{h}");
    let v = verify(&l);
    assert_eq!(
        v["ok"], true,
        "a withdrawn document is expected absent: {v}"
    );
    // and if it came back, audit verify would say so
    std::fs::write(&stored, bytes).unwrap();
    let v = verify(&l);
    assert_eq!(v["ok"], false, "{v}");
    // as after a crash between the withdrawal's event and the deletion: opening the ledger
    // finishes it
    l.json(&["hearing", "show", "HEAR-1"]);
    assert!(!stored.exists(), "the interrupted withdrawal is finished");
    assert_eq!(verify(&l)["ok"], true);
    let (code, _) = l.fail(&[
        "document", "withdraw", "HEAR-1", "--event", &position, "--reason", "again",
    ]);
    assert_eq!(code, 1);
}

#[test]
fn an_attachment_refused_leaves_no_file_and_no_record() {
    let l = Ledger::new();
    let file = l.dir().parent().unwrap().join("协议书.pdf");
    std::fs::write(&file, b"%PDF-1.4 agreement").unwrap();
    let before = l.head();
    let (code, err) = l.fail(&["attach", "HEAR-9", "--file", file.to_str().unwrap()]);
    assert!(code == 1 || code == 2, "{err}");
    let empty = l.dir().parent().unwrap().join("empty.txt");
    std::fs::write(&empty, b"").unwrap();
    l.create(&[
        "org",
        "add",
        "--name",
        "居委会",
        "--kind",
        "residents-committee",
    ]);
    let (code, err) = l.fail(&["attach", "ORG-1", "--file", empty.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("empty"), "{err}");
    assert_eq!(
        l.head().0,
        before.0 + 2,
        "only the organisation and its reference"
    );
    let dir = l.dir().join("documents/sha256");
    let files = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
    assert_eq!(files, 0, "no file left behind");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_http_public_documents_are_listed_and_served_and_private_ones_are_not() {
    use base64::Engine;
    let s = TestServer::start().await;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let (status, v) = s
        .post(
            "/api/v1/orgs",
            json!({"name": "十北社区居委会", "kind": "residents-committee"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let (status, v) = s
        .post(
            "/api/v1/hearings",
            json!({"topic": "共建会议", "on": "2014-03-20T14:00:00Z", "venue": "会议室", "presided_by": "ORG-1"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let minutes = "会议纪要：与会单位同意每季度召开一次。".as_bytes();
    let (status, v) = s
        .post(
            "/api/v1/documents",
            json!({"reference": "HEAR-1", "file": {"name": "纪要.txt", "content": b64(minutes)}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, v) = s
        .post(
            "/api/v1/documents",
            json!({"reference": "HEAR-1", "file": {"name": "协议书.pdf", "content": b64(b"%PDF-1.4 private")},
                   "title": "签字协议（含个人信息）", "private": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (_, list) = s.get("/api/v1/documents").await;
    let list = list.as_array().unwrap().clone();
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["sha256"], hex(minutes));
    assert_eq!(list[0]["media_type"], "text/plain; charset=utf-8");
    let (_, all) = s.get_as_auditor("/api/v1/audit/documents").await;
    assert_eq!(all.as_array().unwrap().len(), 2, "{all}");
    // the bytes: a text file is an attachment, never sniffed
    let r = s
        .client
        .get(format!("{}/documents/{}", s.url, hex(minutes)))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let h = r.headers().clone();
    assert_eq!(h["content-type"], "text/plain; charset=utf-8");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(h["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert_eq!(r.bytes().await.unwrap().as_ref(), minutes);
    // a private one is not served to the public, nor listed on the page
    let private = hex(b"%PDF-1.4 private");
    let (status, _) = s.text(&format!("/documents/{private}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, page) = s.text("/hearings/HEAR-1").await;
    assert!(
        page.contains(&hex(minutes)) && page.contains("/documents/"),
        "{page}"
    );
    assert!(
        !page.contains(&private) && !page.contains("签字协议"),
        "{page}"
    );
    // an auditor's token gets it, inline (a PDF)
    let r = s
        .client
        .get(format!("{}/documents/{private}", s.url))
        .bearer_auth(&s.auditor)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("inline"));
}

#[test]
fn a_backup_carries_the_documents_and_a_restore_puts_them_back() {
    let l = with_hearing();
    let file = l.dir().parent().unwrap().join("纪要.pdf");
    std::fs::write(&file, b"%PDF-1.4 minutes for the backup").unwrap();
    l.json(&["attach", "HEAR-1", "--file", file.to_str().unwrap()]);
    let sha = hex(b"%PDF-1.4 minutes for the backup");
    let backup = l.dir().parent().unwrap().join("backup");
    l.json(&["backup", "--to", backup.to_str().unwrap()]);
    assert!(backup.join("documents/sha256").join(&sha).exists());
    let restored = Ledger::at(l.dir().parent().unwrap().join("restored"));
    restored.json(&["restore", "--from", backup.to_str().unwrap()]);
    assert!(restored.dir().join("documents/sha256").join(&sha).exists());
    assert_eq!(verify(&restored)["ok"], true);
    assert_eq!(verify(&restored)["checked"]["documents"], 1);
}

#[test]
fn record_result_with_minutes_attaches_them_to_the_ballot() {
    let l = Ledger::new();
    l.create(&["person", "add", "--name", "代表甲"]);
    l.create(&["person", "add", "--name", "代表乙"]);
    l.json(&[
        "ballot",
        "open",
        "--in-person",
        "--question",
        "停车方案",
        "--option",
        "赞成",
        "--option",
        "反对",
        "--voter",
        "PER-1",
        "--voter",
        "PER-2",
        "--quorum",
        "1/2",
        "--threshold",
        "majority",
    ]);
    let minutes = l.dir().parent().unwrap().join("会议纪要.txt");
    std::fs::write(&minutes, "赞成 2 票，到会 2 人。".as_bytes()).unwrap();
    let r = l.json(&[
        "ballot",
        "record-result",
        "BAL-1",
        "--count",
        "赞成=2",
        "--present",
        "2",
        "--minutes",
        minutes.to_str().unwrap(),
    ]);
    assert_eq!(
        r["events"],
        json!([
            "ballot.room-counts-recorded",
            "ballot.closed",
            "document.attached"
        ]),
        "{r}"
    );
    let h = l.ok(&["history", "BAL-1"]);
    assert!(
        h.contains("会议纪要") && h.contains(&hex("赞成 2 票，到会 2 人。".as_bytes())),
        "{h}"
    );
    assert_eq!(verify(&l)["ok"], true);
}

#[tokio::test]
async fn over_http_a_scan_larger_than_a_form_is_attached_and_an_oversized_body_is_refused() {
    use base64::Engine;
    // given a hearing and a 1 MiB scan of the signed agreement
    let s = TestServer::start().await;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    s.post(
        "/api/v1/orgs",
        json!({"name": "十北社区居委会", "kind": "residents-committee"}),
    )
    .await;
    let (status, v) = s
        .post(
            "/api/v1/hearings",
            json!({"topic": "共建会议", "on": "2014-03-20T14:00:00Z", "venue": "会议室", "presided_by": "ORG-1"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    let scan: Vec<u8> = (0..1024 * 1024).map(|i| (i * 7 % 251) as u8).collect();
    // when it is attached over the API
    let (status, v) = s
        .post(
            "/api/v1/documents",
            json!({"reference": "HEAR-1", "file": {"name": "协议书.png", "content": b64(&scan)}}),
        )
        .await;
    // then it is recorded (the 64 KiB bound of other requests does not apply to a file)
    assert_eq!(status, StatusCode::OK, "{v}");
    // and a body beyond the upload bound is refused with 413, recording nothing
    let (_, before) = s.get("/api/v1/documents").await;
    let huge = "x".repeat(delib::server::UPLOAD_LIMIT + 1);
    let r = s
        .client
        .post(format!("{}/api/v1/documents", s.url))
        .bearer_auth(&s.clerk)
        .header("content-type", "application/json")
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let (_, after) = s.get("/api/v1/documents").await;
    assert_eq!(before, after);
    // and another command keeps the small bound
    let big_org = json!({"name": "x".repeat(100 * 1024), "kind": "other"});
    let (status, _) = s.post("/api/v1/orgs", big_org).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}
