//! The crash test of issue 12: `delib` processes SIGKILLed at random moments, in every kind of
//! work: 16 concurrent writers through the store (`internal crash-writer`) and through a running
//! server (`serve` with 16 HTTP clients), and one-shot commands killed while opening, closing,
//! recording, checkpointing, writing a report, erasing a person and importing. After every round the
//! ledger opens, every acknowledged event is in it (writers log what was acknowledged), and the
//! whole-ledger verification (`audit verify`'s) finds nothing.
//!
//! `DELIB_CRASH_ROUNDS` (default 28) sets the number of kills; `DELIB_CRASH_SEED` the seed. The long
//! run of RELIABILITY.md is `DELIB_CRASH_ROUNDS=500 cargo test -p delib --test it crash_rounds`.

use super::support::Ledger;
use delib::audit::ledger_verify::verify_ledger;
use delib::clock::SystemClock;
use delib::store::EventStore;
use delib_events::Position;
use serde_json::Value;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// xorshift, so that a failing run can be repeated from its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn delib(data: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_delib"));
    c.arg("--data")
        .arg(data)
        .env_remove("DELIB_AS")
        .env("TZ", "UTC");
    c
}

/// Starts `cmd`, kills it `after` later (SIGKILL), and returns whether it had already finished
/// successfully, with its stdout.
fn kill_after(mut cmd: Command, after: Duration) -> (bool, String) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let deadline = Instant::now() + after;
    while Instant::now() < deadline && child.try_wait().unwrap().is_none() {
        std::thread::sleep(Duration::from_millis(1));
    }
    let _ = child.kill();
    let status = child.wait().unwrap();
    let mut out = String::new();
    let _ = child.stdout.take().unwrap().read_to_string(&mut out);
    (status.success(), out)
}

/// What writers were told was recorded: position -> the id of the event or of its stream.
#[derive(Default)]
struct Acks {
    events: HashMap<u64, String>,
    streams: HashMap<u64, String>,
}

/// One raw HTTP/1.1 POST; the JSON answer when it was 201.
fn http_post(addr: &str, token: &str, path: &str, body: &str) -> Option<Value> {
    let mut s = std::net::TcpStream::connect(addr).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut answer = String::new();
    s.read_to_string(&mut answer).ok()?;
    if !answer.starts_with("HTTP/1.1 201") {
        return None;
    }
    serde_json::from_str(answer.split("\r\n\r\n").nth(1)?).ok()
}

/// `serve` with 16 HTTP clients creating organisations, killed `after` the first answer.
fn serve_round(data: &Path, token: &str, after: Duration, acks: &mut Acks) {
    let mut child: Child = delib(data)
        .args([
            "--json",
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--scrub-every",
            "0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve");
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let mut text = line.clone();
    let info: Value = loop {
        if let Ok(v) = serde_json::from_str(&text) {
            break v;
        }
        line.clear();
        assert!(reader.read_line(&mut line).unwrap() > 0, "serve: {text}");
        text.push_str(&line);
    };
    let addr = info["url"]
        .as_str()
        .unwrap()
        .trim_start_matches("http://")
        .to_owned();
    let stop = Arc::new(AtomicBool::new(false));
    let answered = Arc::new(Mutex::new(Vec::<Value>::new()));
    let clients: Vec<_> = (0..16)
        .map(|w| {
            let (addr, token, stop, answered) = (
                addr.clone(),
                token.to_owned(),
                stop.clone(),
                answered.clone(),
            );
            std::thread::spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    i += 1;
                    let body = format!(r#"{{"name":"w{w} org {i}","kind":"developer"}}"#);
                    match http_post(&addr, &token, "/api/v1/orgs", &body) {
                        Some(v) => answered.lock().unwrap().push(v),
                        None => break,
                    }
                }
            })
        })
        .collect();
    let started = Instant::now();
    while answered.lock().unwrap().is_empty() && started.elapsed() < Duration::from_secs(20) {
        std::thread::sleep(Duration::from_millis(2));
    }
    std::thread::sleep(after);
    let _ = child.kill();
    let _ = child.wait();
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    for v in answered.lock().unwrap().iter() {
        acks.streams.insert(
            v["position"].as_u64().unwrap(),
            v["id"].as_str().unwrap().to_owned(),
        );
    }
}

/// The store-level writers (16), killed `after` their first acknowledgement.
fn writer_round(data: &Path, after: Duration, acks: &mut Acks) {
    let mut child = delib(data)
        .args(["internal", "crash-writer", "--writers", "16"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("crash writer");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let first = rx.recv_timeout(Duration::from_secs(30)).expect("acks");
    std::thread::sleep(after);
    let _ = child.kill();
    let _ = child.wait();
    reader.join().unwrap();
    for line in std::iter::once(first).chain(rx.try_iter()) {
        let mut parts = line.split_whitespace();
        if let (Some("ack"), Some(p), Some(id)) = (parts.next(), parts.next(), parts.next()) {
            acks.events.insert(p.parse().unwrap(), id.to_owned());
        }
    }
}

/// The ledger opens, holds every acknowledged event, and verifies.
fn check(data: &Path, acks: &Acks, round: u32, what: &str, seed: u64) {
    let status = delib(data).args(["--json", "status"]).output().unwrap();
    assert!(
        status.status.success(),
        "round {round} ({what}, seed {seed}): the ledger does not open: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    let ledger = delib::ledger::Ledger::open(data, Arc::new(SystemClock)).unwrap();
    let store = ledger.store();
    let head = store.head().position.get();
    let all = store.read_all(Position::new(1), usize::MAX).unwrap();
    for (p, id) in &acks.events {
        let e = all.get((*p - 1) as usize).unwrap_or_else(|| {
            panic!(
                "round {round} ({what}, seed {seed}): acknowledged position {p} lost (head {head})"
            )
        });
        assert_eq!(
            &e.metadata.event_id.to_string(),
            id,
            "round {round} ({what})"
        );
    }
    for (p, id) in &acks.streams {
        let e = all.get((*p - 1) as usize).unwrap_or_else(|| {
            panic!(
                "round {round} ({what}, seed {seed}): acknowledged position {p} lost (head {head})"
            )
        });
        assert_eq!(
            &e.metadata.stream_id.to_string(),
            id,
            "round {round} ({what})"
        );
    }
    let report = verify_ledger(&ledger);
    assert!(
        report.ok,
        "round {round} ({what}, seed {seed}): {:?}",
        report.problems
    );
}

/// What a round kills.
const KINDS: [&str; 9] = [
    "writers",
    "serve",
    "open",
    "record",
    "checkpoint",
    "report",
    "erase",
    "import",
    "writers",
];

#[test]
fn sigkill_at_random_moments_never_loses_an_acknowledged_event_nor_bricks_the_ledger() {
    let rounds: u32 = std::env::var("DELIB_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(28);
    let seed = std::env::var("DELIB_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x00c0_ffee_u64);
    let mut rng = Rng(seed);
    let l = Ledger::new();
    let data = l.dir().to_path_buf();
    l.create(&["person", "add", "--name", "Clerk Li"]);
    let token = l.json(&["token", "create", "--role", "clerk", "--for", "PER-1"])["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let export = data.parent().unwrap().join("export.jsonl");
    l.ok(&["export", "--output", export.to_str().unwrap()]);
    let mut acks = Acks::default();
    let mut counts: HashMap<&str, (u32, u32)> = HashMap::new();
    let started = Instant::now();
    for round in 0..rounds {
        let what = KINDS[(round as usize) % KINDS.len()];
        // Writers are killed up to 120 ms after their first acknowledgement; one-shot commands up
        // to 900 ms after they start (one takes some 500 ms), so that some are killed in their last steps (closing) and
        // some finish.
        let delay = Duration::from_millis(rng.below(120));
        let late = Duration::from_millis(rng.below(900));
        let finished = match what {
            "writers" => {
                writer_round(&data, delay, &mut acks);
                false
            }
            "serve" => {
                serve_round(&data, &token, delay, &mut acks);
                false
            }
            "open" => {
                let mut c = delib(&data);
                c.args(["--json", "status"]);
                kill_after(c, Duration::from_millis(rng.below(40))).0
            }
            "record" => {
                let mut c = delib(&data);
                c.args([
                    "--json",
                    "person",
                    "add",
                    "--name",
                    &format!("Resident {round}"),
                ]);
                let (ok, out) = kill_after(c, late);
                if ok {
                    let v: Value = serde_json::from_str(&out).unwrap();
                    acks.streams.insert(
                        v["position"].as_u64().unwrap(),
                        v["id"].as_str().unwrap().to_owned(),
                    );
                }
                ok
            }
            "checkpoint" => {
                let mut c = delib(&data);
                c.args(["audit", "checkpoint"]);
                kill_after(c, late).0
            }
            "report" => {
                let out = data.parent().unwrap().join(format!("report-{round}.html"));
                let mut c = delib(&data);
                c.args([
                    "report",
                    "transparency",
                    "--from",
                    "2000-01-01",
                    "--to",
                    "2100-01-01",
                ])
                .args(["--format", "html", "--output"])
                .arg(&out);
                kill_after(c, late).0
            }
            "erase" => {
                let person = l.create(&["person", "add", "--name", &format!("Leaving {round}")]);
                let mut c = delib(&data);
                c.args(["person", "erase", &person]);
                kill_after(c, late).0
            }
            "import" => {
                let target = data.parent().unwrap().join(format!("import-{round}"));
                let mut c = delib(&target);
                c.arg("import").arg(&export);
                let (ok, _) = kill_after(c, late);
                if target.join("sled").join("db").exists() {
                    let opened = delib(&target).args(["--json", "status"]).output().unwrap();
                    assert!(
                        opened.status.success(),
                        "round {round} (import, seed {seed}): the imported ledger does not open: {}",
                        String::from_utf8_lossy(&opened.stderr)
                    );
                    let imported =
                        delib::ledger::Ledger::open(&target, Arc::new(SystemClock)).unwrap();
                    let report = verify_ledger(&imported);
                    assert!(report.ok, "round {round} (import): {:?}", report.problems);
                }
                ok
            }
            _ => unreachable!(),
        };
        let c = counts.entry(what).or_default();
        c.0 += 1;
        if finished {
            c.1 += 1;
        }
        check(&data, &acks, round, what, seed);
    }
    let mut summary: Vec<_> = counts.iter().collect();
    summary.sort();
    let finished: u32 = counts.values().map(|c| c.1).sum();
    eprintln!(
        "crash rounds: {rounds} rounds, {} processes SIGKILLed mid-work, in {:.1} s (seed {seed}); acknowledged events checked: {}; 0 ledgers failed to open, 0 lost, verify ok every round; (kind, (rounds, finished before the kill)): {summary:?}",
        rounds - finished,
        started.elapsed().as_secs_f64(),
        acks.events.len() + acks.streams.len()
    );
    assert!(
        acks.events.len() + acks.streams.len() > 0,
        "nothing was acknowledged"
    );
}
