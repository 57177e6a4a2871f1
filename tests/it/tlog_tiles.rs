//! The ledger as a C2SP tiled log: `serve`'s `/tlog/` endpoints and `delib publish`, checked by the
//! independent reader in `tlog_support`.

use crate::tlog_support::*;
use delib::app::LedgerService;
use delib::audit::checkpoint::{SignedCheckpoint, VerifierKey};
use delib::server::{self, State};
use delib::tlog::paths::tiles_for_size;
use delib::tlog::{publish, tiles};
use reqwest::StatusCode;
use std::collections::BTreeMap;
use std::path::Path;

struct Served {
    url: String,
    stop: tokio::sync::oneshot::Sender<()>,
    handle: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn serve(dir: &Path, events: u64) -> (Served, Vec<Vec<u8>>, VerifierKey) {
    let dir = dir.to_path_buf();
    let (state, records, key) = tokio::task::spawn_blocking(move || {
        let ledger = ledger_with(&dir, events, "tiles");
        let records = all_records(&ledger);
        let key = delib::audit::keys::load(&dir).unwrap().verifier();
        let svc = LedgerService::from_ledger(ledger, &dir).unwrap();
        (State::new(svc).unwrap(), records, key)
    })
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = tokio::spawn(server::run(listener, state, async {
        let _ = rx.await;
    }));
    (Served { url, stop, handle }, records, key)
}

async fn get(
    client: &reqwest::Client,
    url: &str,
) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
    let r = client.get(url).send().await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    (status, headers, r.bytes().await.unwrap().to_vec())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn served_tiles_verify_against_the_signed_checkpoint_from_the_spec_alone() {
    // given a ledger of 700 records served (two full level-0 tiles, a partial one of 188, a
    // partial level-1 tile of 2)
    let tmp = tempfile::tempdir().unwrap();
    let (s, records, key) = serve(&tmp.path().join("d"), 700).await;
    let client = reqwest::Client::new();

    // when the checkpoint is fetched, then it is a signed note of the whole head, briefly cached
    let (status, headers, body) = get(&client, &format!("{}/tlog/checkpoint", s.url)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/plain; charset=utf-8");
    assert!(headers["cache-control"]
        .to_str()
        .unwrap()
        .contains("max-age=5"));
    let note = String::from_utf8(body).unwrap();
    key.verify(&SignedCheckpoint::parse(&note).unwrap())
        .expect("the checkpoint verifies with the ledger's key");
    let (_, size, root) = parse_checkpoint(&note);
    assert_eq!(size, 700);

    // when every tile and bundle is fetched and checked as the spec defines them
    let mut fetched: BTreeMap<String, (reqwest::header::HeaderMap, Vec<u8>)> = BTreeMap::new();
    let mut paths = Vec::new();
    for level in [Some(0u8), None] {
        paths.extend([
            tile_path(level, 0, 256),
            tile_path(level, 1, 256),
            tile_path(level, 2, 188),
        ]);
    }
    paths.push(tile_path(Some(1), 0, 2));
    for p in &paths {
        let (status, headers, body) = get(&client, &format!("{}/tlog/{p}", s.url)).await;
        assert_eq!(status, StatusCode::OK, "{p}");
        assert_eq!(headers["content-type"], "application/octet-stream", "{p}");
        assert_eq!(
            headers["cache-control"], "public, max-age=31536000, immutable",
            "{p}"
        );
        fetched.insert(p.clone(), (headers, body));
    }
    let entries = verify_published(&mut |p: &str| fetched[p].1.clone(), size, &root);

    // then the entries are the exact record bytes
    assert_eq!(entries, records);

    // and a narrower partial tile of an earlier size is served too, as a prefix
    let (status, _, body) = get(&client, &format!("{}/tlog/tile/entries/000.p/5", s.url)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(split_bundle(&body), records[..5].to_vec());

    // and tiles the tree does not hold are 404, malformed paths 400
    for (p, want) in [
        ("tile/0/002", StatusCode::NOT_FOUND),
        ("tile/0/003.p/1", StatusCode::NOT_FOUND),
        ("tile/1/000", StatusCode::NOT_FOUND),
        ("tile/0/002.p/189", StatusCode::NOT_FOUND),
        ("tile/2/000.p/1", StatusCode::NOT_FOUND),
        ("tile/0/2", StatusCode::BAD_REQUEST),
        ("tile/00/000", StatusCode::BAD_REQUEST),
        ("tile/0/000.p/0", StatusCode::BAD_REQUEST),
        ("tile/0/x000/001", StatusCode::BAD_REQUEST),
        ("tile/8/0/000", StatusCode::BAD_REQUEST),
        ("tile/data/000", StatusCode::BAD_REQUEST),
    ] {
        let (status, _, _) = get(&client, &format!("{}/tlog/{p}", s.url)).await;
        assert_eq!(status, want, "{p}");
    }

    // and a client that accepts gzip gets it, one that does not gets the plain bytes
    let r = client
        .get(format!("{}/tlog/tile/entries/000", s.url))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-encoding"], "gzip");
    let gz = r.bytes().await.unwrap();
    assert!(gz.len() < fetched[&tile_path(None, 0, 256)].1.len());
    assert!(!fetched[&tile_path(None, 0, 256)]
        .0
        .contains_key("content-encoding"));

    let _ = s.stop.send(());
    s.handle.await.unwrap().unwrap();
}

fn files_under(dir: &Path) -> BTreeMap<String, (std::time::SystemTime, Vec<u8>)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.insert(
                    rel,
                    (
                        e.metadata().unwrap().modified().unwrap(),
                        std::fs::read(&p).unwrap(),
                    ),
                );
            }
        }
    }
    out
}

#[test]
fn publish_writes_the_served_files_incrementally_with_the_checkpoint_last() {
    // given a ledger of 300 records published to a directory
    let tmp = tempfile::tempdir().unwrap();
    let ledger = ledger_with(&tmp.path().join("d"), 300, "published");
    let site = tmp.path().join("site");
    let first = publish::publish(&ledger, &site).unwrap();
    // then it holds exactly: entries 000 and 0/000 full, the partials of width 44, level 1 of width 1
    let files = files_under(&site);
    let names: Vec<&str> = files.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "checkpoint",
            "tile/0/000",
            "tile/0/001.p/44",
            "tile/1/000.p/1",
            "tile/entries/000",
            "tile/entries/001.p/44"
        ]
    );
    assert_eq!(first.written, 5);
    // and each file is what `serve` answers for its path, and the whole verifies from the spec
    for (name, (_, bytes)) in files.iter().filter(|(n, _)| n.starts_with("tile/")) {
        let tile = delib::tlog::paths::Tile::parse(name).unwrap();
        assert_eq!(
            &tiles::tile_bytes(ledger.store(), &tile).unwrap(),
            bytes,
            "{name}"
        );
    }
    let (_, size, root) = parse_checkpoint(std::str::from_utf8(&files["checkpoint"].1).unwrap());
    assert_eq!(size, 300);
    let entries = verify_published(&mut |p: &str| files[p].1.clone(), size, &root);
    assert_eq!(entries, all_records(&ledger));

    // when 250 records are appended and it is published again
    std::thread::sleep(std::time::Duration::from_millis(20));
    append_notes(&ledger, 250, "more");
    let second = publish::publish(&ledger, &site).unwrap();

    // then only the new tiles were written: the full ones already there are untouched, the partials
    // superseded by full tiles are gone, the new partials are there
    let after = files_under(&site);
    for name in ["tile/0/000", "tile/entries/000"] {
        assert_eq!(after[name], files[name], "{name} was rewritten");
    }
    assert!(!after.contains_key("tile/0/001.p/44"));
    let new: Vec<&str> = after
        .keys()
        .filter(|k| !files.contains_key(*k))
        .map(String::as_str)
        .collect();
    assert_eq!(
        new,
        [
            "tile/0/001",
            "tile/0/002.p/38",
            "tile/1/000.p/2",
            "tile/entries/001",
            "tile/entries/002.p/38"
        ]
    );
    assert_eq!(second.written, 5);
    assert_eq!(second.previous_size, 300);
    let (_, size, root) = parse_checkpoint(std::str::from_utf8(&after["checkpoint"].1).unwrap());
    assert_eq!(size, 550);
    verify_published(&mut |p: &str| after[p].1.clone(), size, &root);
    // the tiles listed by the producer are the ones the spec's example arithmetic gives
    assert_eq!(tiles_for_size(550).len(), 7);

    // and publishing the same size again writes nothing but the checkpoint
    let third = publish::publish(&ledger, &site).unwrap();
    assert_eq!(third.written, 0);
    assert_eq!(files_under(&site).len(), after.len());
}

#[test]
fn publish_refuses_another_logs_directory_and_a_roll_back() {
    let tmp = tempfile::tempdir().unwrap();
    let a = ledger_with(&tmp.path().join("a"), 20, "a");
    let b = ledger_with(&tmp.path().join("b"), 10, "b");
    let site = tmp.path().join("site");
    publish::publish(&a, &site).unwrap();
    let before = files_under(&site);
    let err = publish::publish(&b, &site).unwrap_err().to_string();
    assert!(err.contains("holds the log"), "{err}");
    assert_eq!(files_under(&site), before, "nothing changed");
}
