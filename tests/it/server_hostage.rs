//! A server nobody can hold hostage: a request body that never arrives is cut off, a stopping
//! server drains for a bounded time and drops slow clients (SIGTERM as well as Ctrl-C), and a
//! failed write answers 503 with `Retry-After` and plain words, then the server reopens the ledger
//! once the disk takes writes again.

use super::server_support::TestServer;
use delib::server::ServerOptions;
use serde_json::{json, Value};
use std::io::{BufRead, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A client that promises 100 body bytes and sends 4. It posts to the console's sign-in, whose body
/// anyone may send (the API reads a body only once the caller is known to be a clerk).
fn slow_body(addr: &str) -> std::net::TcpStream {
    let mut s = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        s,
        "POST /console/sign-in HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ntoke"
    )
    .unwrap();
    s.flush().unwrap();
    s
}

fn addr(url: &str) -> String {
    url.trim_start_matches("http://").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_that_stops_arriving_is_answered_after_the_body_timeout() {
    // given a server whose body timeout is 500 ms
    let mut s = TestServer::start_with(ServerOptions {
        body_timeout: Duration::from_millis(500),
        ..ServerOptions::default()
    })
    .await;
    let a = addr(&s.url);
    // when a client sends 4 of the 100 body bytes it promised, then nothing
    let (status_line, waited) = tokio::task::spawn_blocking(move || {
        let mut c = slow_body(&a);
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let started = Instant::now();
        let mut answer = String::new();
        let _ = c.read_to_string(&mut answer);
        (
            answer.lines().next().unwrap_or("").to_owned(),
            started.elapsed(),
        )
    })
    .await
    .unwrap();
    // then it is answered 400 soon after the timeout, and the connection closed
    assert!(status_line.starts_with("HTTP/1.1 400"), "{status_line:?}");
    assert!(
        waited >= Duration::from_millis(400) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
    // and the server still serves others
    let (status, _) = s.get("/api/v1/status").await;
    assert_eq!(status, 200);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_completes_within_the_drain_timeout_while_a_slow_client_is_connected() {
    // given a server with the default 30 s body timeout and a 500 ms drain
    let mut s = TestServer::start_with(ServerOptions {
        drain_timeout: Duration::from_millis(500),
        ..ServerOptions::default()
    })
    .await;
    // and a client stuck in the middle of its body
    let a = addr(&s.url);
    let _stuck = tokio::task::spawn_blocking(move || slow_body(&a))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // when the server is stopped
    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(5), s.stop())
        .await
        .expect("shutdown completes although a client is stuck");
    // then it stopped after about the drain timeout, not the body timeout
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

/// A running `delib serve` with its URL.
pub struct Served {
    pub child: Child,
    pub url: String,
}

impl Served {
    pub fn start(data: &std::path::Path, args: &[&str], env: &[(&str, &std::path::Path)]) -> Self {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_delib"));
        cmd.arg("--data")
            .arg(data)
            .args(["--json", "serve", "--addr", "127.0.0.1:0"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("serve");
        let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut text = String::new();
        let info: Value = loop {
            let mut line = String::new();
            let n = reader.read_line(&mut line).unwrap();
            assert!(n > 0, "serve ended before printing its url: {text}");
            text.push_str(&line);
            if let Ok(v) = serde_json::from_str(&text) {
                break v;
            }
        };
        let url = info["url"].as_str().unwrap().to_owned();
        Served { child, url }
    }

    pub fn sigterm(&self) {
        let ok = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill");
        assert!(ok.success());
    }

    /// Waits for the process to exit, at most `limit`; its exit code.
    pub fn wait(&mut self, limit: Duration) -> Option<i32> {
        let started = Instant::now();
        while started.elapsed() < limit {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        panic!("the server did not exit within {limit:?}");
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn sigterm_drains_and_exits_although_a_client_is_stuck() {
    // given a served ledger (1 s drain) and a client stuck in the middle of its body
    let ledger = super::support::Ledger::new();
    let mut served = Served::start(ledger.dir(), &["--drain-timeout", "1s"], &[]);
    let _stuck = slow_body(&addr(&served.url));
    std::thread::sleep(Duration::from_millis(200));
    // when the server gets SIGTERM
    let started = Instant::now();
    let asked = std::time::SystemTime::now();
    served.sigterm();
    // then it exits cleanly after at most about the drain timeout, and the ledger opens
    assert_eq!(served.wait(Duration::from_secs(8)), Some(0));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert!(!ledger.dir().join("server.json").exists());
    // and sled's snapshot was written after it closed the ledger (after the drain, a second after
    // it was asked to stop), so the next process does not replay what the server wrote
    let newest = newest_snapshot(&ledger.dir().join("sled"));
    assert!(
        newest > asked,
        "snapshot of {newest:?}, stop asked at {asked:?}"
    );
    assert_eq!(ledger.json(&["audit", "verify"])["ok"], true);
}

/// When sled last wrote a snapshot (`snap.*`) in `sled_dir`.
fn newest_snapshot(sled_dir: &std::path::Path) -> std::time::SystemTime {
    std::fs::read_dir(sled_dir)
        .unwrap()
        .map(Result::unwrap)
        .filter(|e| e.file_name().to_string_lossy().starts_with("snap."))
        .map(|e| e.metadata().unwrap().modified().unwrap())
        .max()
        .expect("a snapshot")
}

async fn post(url: &str, token: &str, key: &str, body: Value) -> (u16, Option<String>, String) {
    let client = reqwest::Client::new();
    let r = client
        .post(format!("{url}/api/v1/orgs"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(&body)
        .send()
        .await
        .expect("post");
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, retry, r.text().await.unwrap())
}

/// No Rust internals in an answer.
fn assert_plain(text: &str) {
    for debug in [
        "Os {", "Custom {", "kind:", "code:", "Error(", "Io(", "sled:",
    ] {
        assert!(!text.contains(debug), "debug text {debug:?} in {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_answers_503_and_the_server_reopens_the_ledger_once_space_is_freed() {
    // given a served ledger with a clerk's token, whose disk we can fill (the fault seam)
    let ledger = super::support::Ledger::new();
    ledger.create(&["person", "add", "--name", "Clerk Li"]);
    let token = ledger.json(&["token", "create", "--role", "clerk", "--for", "PER-1"])["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let full = ledger.dir().parent().unwrap().join("disk-full");
    let served = Served::start(
        ledger.dir(),
        &["--recover-every", "100ms"],
        &[(delib::store::FAULT_ENV, &full)],
    );
    let url = served.url.clone();
    let org = |n: &str| json!({"name": n, "kind": "developer"});
    let (status, _, _) = post(&url, &token, "k1", org("Before")).await;
    assert_eq!(status, 201);
    // when the disk is full
    std::fs::write(&full, b"").unwrap();
    let (status, retry, text) = post(&url, &token, "k2", org("During")).await;
    // then the write answers 503 with Retry-After and plain words
    assert_eq!(status, 503, "{text}");
    assert_eq!(retry.as_deref(), Some("5"));
    assert!(text.contains("the disk is full"), "{text}");
    assert_plain(&text);
    // and while the disk stays full, every request is answered 503 in plain words
    tokio::time::sleep(Duration::from_millis(500)).await;
    let r = reqwest::get(format!("{url}/api/v1/status")).await.unwrap();
    assert_eq!(r.status().as_u16(), 503);
    let text = r.text().await.unwrap();
    assert!(text.contains("free disk space"), "{text}");
    assert_plain(&text);
    // when space is freed
    std::fs::remove_file(&full).unwrap();
    // then the server reopens the ledger and the retry with the same key records (once)
    let started = Instant::now();
    let answer = loop {
        let (status, _, text) = post(&url, &token, "k2", org("During")).await;
        if status == 201 || status == 200 {
            break serde_json::from_str::<Value>(&text).unwrap();
        }
        assert_eq!(status, 503, "{text}");
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no recovery: {text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let (status, _, again) = post(&url, &token, "k2", org("During")).await;
    assert!(status == 200 || status == 201, "{again}");
    assert_eq!(
        serde_json::from_str::<Value>(&again).unwrap()["ref"],
        answer["ref"],
        "a retry never records twice"
    );
    let (status, _, _) = post(&url, &token, "k3", org("After")).await;
    assert_eq!(status, 201);
    served.sigterm();
    let mut served = served;
    assert_eq!(served.wait(Duration::from_secs(15)), Some(0));
    // and the ledger verifies, with each organisation once
    assert_eq!(ledger.json(&["audit", "verify"])["ok"], true);
    let orgs = ledger.json(&["org", "list"]);
    let names: Vec<&str> = orgs
        .as_array()
        .or_else(|| orgs["items"].as_array())
        .expect("list")
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names.iter().filter(|n| **n == "During").count(),
        1,
        "{names:?}"
    );
    assert!(
        names.contains(&"Before") && names.contains(&"After"),
        "{names:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_api_body_without_a_token_is_refused_before_it_is_read() {
    // given a server with the default 30 s body timeout
    let mut s = TestServer::start().await;
    let a = addr(&s.url);
    // when a client without a token promises a body to a recording route and sends 4 bytes
    let (status_line, waited) = tokio::task::spawn_blocking(move || {
        let mut c = std::net::TcpStream::connect(&a).expect("connect");
        write!(
            c,
            "POST /api/v1/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 20000000\r\n\r\n{{\"re"
        )
        .unwrap();
        c.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let started = Instant::now();
        let mut head = [0u8; 64];
        let n = c.read(&mut head).unwrap_or(0);
        (
            String::from_utf8_lossy(&head[..n]).lines().next().unwrap_or("").to_owned(),
            started.elapsed(),
        )
    })
    .await
    .unwrap();
    // then it is answered 401 at once: nothing it promised is waited for or buffered
    assert!(status_line.starts_with("HTTP/1.1 401"), "{status_line:?}");
    assert!(waited < Duration::from_secs(2), "{waited:?}");
    s.stop().await;
}
