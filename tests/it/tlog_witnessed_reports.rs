//! Who witnessed which checkpoint, on the transparency report (JSON, Markdown, HTML) and the public
//! `/verify` page; `report verify` checks every listed cosignature with the witness key listed with
//! it, and catches an altered one.

use crate::support::Ledger;
use crate::tlog_district::{get, serve};
use base64::Engine as _;
use delib::tlog::witness::{collect, state::Witness};
use serde_json::Value;
use std::sync::Arc;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;
const NAME: &str = "witness.example/w1";

struct Running {
    url: String,
    _rt: tokio::runtime::Runtime,
    _stop: tokio::sync::oneshot::Sender<()>,
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
        _rt: rt,
        _stop: stop,
    }
}

fn report_args() -> Vec<&'static str> {
    vec![
        "report",
        "transparency",
        "--from",
        "2000-01-01",
        "--to",
        "2030-12-31",
    ]
}

/// A ledger with two checkpoints cosigned by a witness whose key was given (and one more
/// collected without the key), and the witness's public key.
fn witnessed_ledger(tmp: &std::path::Path) -> (Ledger, String) {
    let l = Ledger::new();
    l.ok(&["person", "add", "--name", "Wang Fang"]);
    let log_key = l
        .ok(&["audit", "key"])
        .trim()
        .lines()
        .last()
        .unwrap()
        .to_owned();
    let witness = Arc::new(Witness::open(&tmp.join("w"), Some(NAME)).unwrap());
    witness.add_log(&log_key).unwrap();
    let wkey = witness.public().to_string();
    let running = start(witness);
    l.ok(&[
        "audit",
        "witness",
        "--url",
        &running.url,
        "--witness-key",
        &wkey,
    ]);
    l.ok(&[
        "proposal",
        "submit",
        "--title",
        "Benches",
        "--body",
        "b",
        "--category",
        "environment",
        "--by",
        "PER-1",
        "--at",
        "2024-03-01",
    ]);
    l.ok(&[
        "audit",
        "witness",
        "--url",
        &running.url,
        "--witness-key",
        &wkey,
    ]);
    l.ok(&["audit", "witness", "--url", &running.url]);
    (l, wkey)
}

fn verify_file(l: &Ledger, report: &Value, name: &str) -> (bool, String) {
    let file = l.dir().parent().unwrap().join(name);
    std::fs::write(&file, serde_json::to_vec_pretty(report).unwrap()).unwrap();
    let out = l.run(&["report", "verify", file.to_str().unwrap()]);
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn reports_and_the_verify_page_show_who_witnessed_which_checkpoint_and_report_verify_checks_it() {
    let tmp = tempfile::tempdir().unwrap();
    // given two checkpoints cosigned with the witness's key given, and one without it
    let (l, wkey) = witnessed_ledger(tmp.path());
    let collected = collect::list(l.dir()).unwrap();
    assert_eq!(collected.len(), 3);
    assert_eq!(
        collected[0].key.as_deref(),
        Some(wkey.as_str()),
        "the key is recorded"
    );
    assert_eq!(collected[2].key, None);
    let key_id = wkey.split('+').nth(1).unwrap().to_owned();

    // when the transparency report is made
    let mut args = report_args();
    args.extend(["--format", "json"]);
    let report = l.json(&args);

    // then it lists the two checked cosignatures: witness, key ID, checkpoint (size, root), time
    let listed = report["witnesses"].as_array().expect("witnesses").clone();
    assert_eq!(listed.len(), 2, "{listed:?}");
    for (w, c) in listed.iter().zip(&collected) {
        assert_eq!(w["witness"], NAME);
        assert_eq!(w["key_id"], key_id.as_str());
        assert_eq!(w["key"], wkey.as_str());
        assert_eq!(w["size"], c.size);
        assert_eq!(w["root"], c.root.as_str());
        let t = chrono::DateTime::parse_from_rfc3339(w["time"].as_str().unwrap()).unwrap();
        assert_eq!(Some(t.timestamp() as u64), c.time);
        assert_eq!(w["note"], c.note.as_str());
    }
    assert!(listed[0]["size"].as_u64() < listed[1]["size"].as_u64());
    // and the Markdown and HTML reports show them
    let md = l.ok(&report_args());
    assert!(
        md.contains("Who witnessed which checkpoint") && md.contains(NAME) && md.contains(&key_id),
        "{md}"
    );
    assert!(md.contains(collected[1].root.as_str()));
    let mut html_args = report_args();
    html_args.extend(["--format", "html", "--lang", "zh"]);
    let html = l.ok(&html_args);
    assert!(
        html.contains("谁见证了哪个检查点") && html.contains(&key_id),
        "{html}"
    );

    // and report verify checks each listed cosignature with its listed key
    let (ok, out) = verify_file(&l, &report, "report.json");
    assert!(ok, "{out}");
    assert!(out.contains("2 witness cosignature(s) checked"), "{out}");

    // when a listed cosignature is altered (one bit of its signature), it is caught and named
    let mut altered = report.clone();
    let note = altered["witnesses"][0]["note"].as_str().unwrap().to_owned();
    let line = note
        .lines()
        .find(|l| l.starts_with(&format!("\u{2014} {NAME} ")))
        .unwrap()
        .to_owned();
    let mut blob = B64.decode(line.rsplit(' ').next().unwrap()).unwrap();
    blob[20] ^= 1;
    let forged = note.replace(&line, &format!("\u{2014} {NAME} {}", B64.encode(&blob)));
    altered["witnesses"][0]["note"] = Value::String(forged);
    let (ok, out) = verify_file(&l, &altered, "altered-signature.json");
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!(
            "witness {NAME}'s cosignature of the checkpoint of size {}",
            collected[0].size
        )) && out.contains("does not verify"),
        "{out}"
    );
    // and so is a listed time, size or root that is not what was cosigned
    for (field, value) in [
        ("time", Value::String("2020-01-01T00:00:00Z".into())),
        ("size", Value::from(collected[0].size)),
        ("root", Value::String(collected[0].root.clone())),
    ] {
        let mut altered = report.clone();
        altered["witnesses"][1][field] = value;
        let (ok, out) = verify_file(&l, &altered, "altered-field.json");
        assert!(!ok, "{field}: {out}");
        assert!(out.contains("is not what was cosigned"), "{field}: {out}");
    }
    // and a witness key swapped for another's does not verify the cosignature
    let other = delib::tlog::witness::Cosigner::from_seed(NAME, [7u8; 32]).unwrap();
    let mut altered = report.clone();
    altered["witnesses"][0]["key"] = Value::String(other.public().to_string());
    let (ok, out) = verify_file(&l, &altered, "altered-key.json");
    assert!(!ok && out.contains("does not verify"), "{out}");

    // when the ledger is served, the verify page shows the same, in both languages
    let server = serve(l.dir(), &[]);
    let (status, en) = get(&format!("{}/verify?lang=en", server.url));
    assert_eq!(status, 200);
    assert!(en.contains("Who witnessed which checkpoint"), "{en}");
    for c in &collected[..2] {
        assert!(en.contains(c.root.as_str()), "{en}");
        assert!(en.contains(&format!("{} records", c.size)), "{en}");
    }
    assert!(en.contains(NAME) && en.contains(&key_id));
    let (_, zh) = get(&format!("{}/verify", server.url));
    assert!(
        zh.contains("谁见证了哪个检查点") && zh.contains(&key_id),
        "{zh}"
    );
    // and so does the transparency report's page, its time in the reader's language
    let (status, page) = get(&format!("{}/reports/transparency?lang=en", server.url));
    assert_eq!(status, 200);
    assert!(
        page.contains("Who witnessed which checkpoint")
            && page.contains(&key_id)
            && page.contains(&format!(
                "<span class=\"hash\">{}</span>",
                collected[1].root
            )),
        "{page}"
    );
    let (_, page_zh) = get(&format!("{}/reports/transparency", server.url));
    assert!(
        page_zh.contains("谁见证了哪个检查点") && page_zh.contains("年"),
        "{page_zh}"
    );
    drop(server);

    // and a cosignature altered in the side store is left out of the next report
    let store = collect::store_path(l.dir());
    let text = std::fs::read_to_string(&store).unwrap();
    let first_line = text.lines().next().unwrap().to_owned();
    let mut rec: Value = serde_json::from_str(&first_line).unwrap();
    let n = rec["note"]
        .as_str()
        .unwrap()
        .replace(&line, &format!("\u{2014} {NAME} {}", B64.encode(&blob)));
    rec["note"] = Value::String(n);
    std::fs::write(&store, text.replacen(&first_line, &rec.to_string(), 1)).unwrap();
    let again = l.json(&args);
    assert_eq!(again["witnesses"].as_array().unwrap().len(), 1);
    assert_eq!(again["witnesses"][0]["size"], collected[1].size);
}
