//! Issue 12, "one directory, many users": while `delib serve` runs, every CLI command goes through
//! it on `DATA/delib.sock`, with the same output and exit codes as without a server; the socket is
//! owner-only; a stale socket left by a killed server is ignored.

use super::support::Ledger;
use serde_json::Value;
use std::io::BufRead;
use std::os::unix::fs::PermissionsExt;
use std::process::{Child, Command, Stdio};

/// `delib serve` on the ledger, running until dropped (killed).
struct Served {
    child: Child,
    url: String,
}

impl Served {
    fn start(ledger: &Ledger) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_delib"))
            .arg("--data")
            .arg(ledger.dir())
            .args(["--json", "serve", "--addr", "127.0.0.1:0"])
            .env("TZ", "UTC")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("serve");
        let mut reader = std::io::BufReader::new(child.stdout.take().expect("stdout"));
        let mut text = String::new();
        let info: Value = loop {
            let mut line = String::new();
            assert!(
                reader.read_line(&mut line).expect("read") > 0,
                "serve: {text}"
            );
            text.push_str(&line);
            if let Ok(v) = serde_json::from_str(&text) {
                break v;
            }
        };
        let url = info["url"].as_str().expect("url").to_owned();
        Served { child, url }
    }

    /// Stops the server with SIGTERM and waits for it.
    fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `GET path` on the server, the whole answer as text.
fn get(url: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let addr = url.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .expect("request");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("answer");
    answer
}

fn seeded() -> Ledger {
    let ledger = Ledger::new();
    ledger.ok(&["person", "add", "--name", "Clerk Li"]);
    ledger.ok(&[
        "org",
        "add",
        "--name",
        "十北社区居委会",
        "--kind",
        "residents-committee",
    ]);
    ledger
}

#[test]
fn given_a_running_server_when_cli_commands_run_then_they_go_through_it_with_the_same_output_and_codes(
) {
    // given a ledger read and rejected once without a server
    let ledger = seeded();
    let list_alone = ledger.ok(&["org", "list"]);
    let status_alone = ledger.json(&["status"]);
    let rejected_alone = ledger.fail(&["proposal", "show", "PROP-9"]);
    let usage_alone = ledger.fail(&["org", "add", "--name", "x", "--kind", "nonsense"]);
    // when a server holds it
    let served = Served::start(&ledger);
    let socket = ledger.dir().join("delib.sock");
    let mode = std::fs::metadata(&socket)
        .expect("socket")
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600, "the socket is owner-only");
    // then reads print what they printed alone, and failures exit as they did
    assert_eq!(ledger.ok(&["org", "list"]), list_alone);
    assert_eq!(ledger.json(&["status"])["head"], status_alone["head"]);
    assert_eq!(ledger.fail(&["proposal", "show", "PROP-9"]), rejected_alone);
    assert_eq!(
        ledger.fail(&["org", "add", "--name", "x", "--kind", "nonsense"]),
        usage_alone
    );
    // and a recording goes into the served ledger: the server's API sees it at once
    let created = ledger.json(&[
        "proposal",
        "submit",
        "--title",
        "加装电梯",
        "--body",
        "三号楼加装电梯",
        "--category",
        "infrastructure",
        "--by",
        "PER-1",
    ]);
    assert_eq!(created["ref"], "PROP-1");
    let page = get(&served.url, "/proposals/PROP-1");
    assert!(page.contains("加装电梯"), "{page}");
    // and a rejected recording records nothing
    let before = ledger.head();
    let (code, err) = ledger.fail(&[
        "proposal",
        "submit",
        "--title",
        "x",
        "--body",
        "y",
        "--category",
        "infrastructure",
        "--by",
        "PER-9",
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(ledger.head(), before);
    served.stop();
    assert!(!socket.exists(), "a stopped server removes its socket");
    // and after the server stops, the same commands run alone and see the same ledger
    assert_eq!(ledger.head(), before);
}

#[test]
fn given_a_running_server_when_a_command_names_relative_paths_then_they_are_the_clients() {
    // given a served ledger and a clerk in another directory
    let ledger = seeded();
    let served = Served::start(&ledger);
    let work = tempfile::tempdir().expect("tempdir");
    let delib = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_delib"))
            .current_dir(work.path())
            .env("DELIB_DATA", ledger.dir())
            .env_remove("DELIB_AS")
            .args(args)
            .output()
            .expect("delib")
    };
    // when she writes a report and a backup with relative paths
    let report = delib(&[
        "report",
        "transparency",
        "--from",
        "2000-01-01",
        "--to=2100-12-31",
        "--output=report.html",
    ]);
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    let backup = delib(&["backup", "--to", "copies"]);
    assert!(
        backup.status.success(),
        "{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    // then the files are in her directory, and the backup verifies without the ledger
    assert!(work.path().join("report.html").is_file());
    let check = delib(&["audit", "verify", "--from-backup", "copies"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    // and a failure to write the output changes nothing
    let before = ledger.head();
    let failed = delib(&[
        "report",
        "transparency",
        "--from",
        "2000-01-01",
        "--to",
        "2100-12-31",
        "--output",
        "missing/dir/r.html",
    ]);
    assert_eq!(
        failed.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&failed.stderr)
    );
    assert_eq!(ledger.head(), before);
    drop(served);
}

#[test]
fn given_a_running_server_when_a_recording_is_retried_with_its_command_id_then_it_records_once() {
    // given a served ledger
    let ledger = seeded();
    let _served = Served::start(&ledger);
    let id = "01938b3e-7b1c-7cc0-8a00-0000000000aa";
    let create = [
        "--json",
        "--command-id",
        id,
        "org",
        "add",
        "--name",
        "业委会",
        "--kind",
        "homeowners-committee",
    ];
    // when the same command is sent twice
    let first: Value = serde_json::from_str(&ledger.ok(&create)).expect("json");
    let size = ledger.head();
    let second: Value = serde_json::from_str(&ledger.ok(&create)).expect("json");
    // then it is recorded once and the retry prints the first result
    assert_eq!(first, second);
    assert_eq!(ledger.head(), size);
}

#[test]
fn given_a_killed_server_when_a_command_runs_then_the_stale_socket_is_ignored() {
    // given a server killed with SIGKILL, which leaves its socket behind
    let ledger = seeded();
    let served = Served::start(&ledger);
    let socket = ledger.dir().join("delib.sock");
    drop(served);
    assert!(socket.exists(), "SIGKILL leaves the socket");
    // when a command runs, then it runs alone
    let (size, _) = ledger.head();
    assert!(size >= 3);
    ledger.ok(&[
        "org",
        "add",
        "--name",
        "物业公司",
        "--kind",
        "property-company",
    ]);
    // and a new server replaces the stale socket and serves again
    let _again = Served::start(&ledger);
    assert!(ledger.ok(&["org", "list"]).contains("物业公司"));
}

#[test]
fn given_a_server_that_recorded_when_it_stops_then_the_stored_views_are_at_the_head() {
    // given a server through which proposals were recorded, after its views were last saved
    let ledger = seeded();
    let served = Served::start(&ledger);
    for title in ["Lights", "Wall", "Roads"] {
        ledger.ok(&[
            "--as",
            "PER-1",
            "proposal",
            "submit",
            "--title",
            title,
            "--body",
            "b",
            "--category",
            "infrastructure",
            "--by",
            "PER-1",
        ]);
    }
    // when it stops
    served.stop();
    // then every stored projection is at the ledger's head, so the next reader folds nothing
    let status = ledger.json(&["projections", "status"]);
    for p in status.as_array().expect("a list") {
        assert_eq!(p["current"], true, "{p}");
    }
    assert_eq!(
        ledger.json(&["proposal", "list"]).as_array().unwrap().len(),
        3
    );
}
