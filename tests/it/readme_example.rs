//! What a new user meets first: the README's example block runs as written, usage errors name the
//! missing argument, lists have a header row, and the demo's suggested commands paste into a shell.

use super::support::Ledger;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The fenced block right after the `<!-- readme-example ... -->` marker in README.md, one command a
/// line.
fn readme_example() -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let after = readme
        .split_once("<!-- readme-example")
        .expect("README.md marks its example block")
        .1;
    let block = after
        .split_once("```sh\n")
        .expect("a ```sh block after the marker")
        .1
        .split_once("```")
        .expect("the block ends")
        .0;
    block
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_owned)
        .collect()
}

/// A directory holding only `delib`, to put first on PATH, as `cargo install` would.
fn bin_dir() -> PathBuf {
    Path::new(env!("CARGO_BIN_EXE_delib"))
        .parent()
        .expect("the binary's directory")
        .to_owned()
}

/// Runs one shell line in `dir` with the built `delib` on PATH.
fn sh(dir: &Path, line: &str) -> Output {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut paths = vec![bin_dir()];
    paths.extend(std::env::split_paths(&path));
    Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(dir)
        .env("PATH", std::env::join_paths(paths).expect("PATH"))
        .env_remove("DELIB_DATA")
        .env_remove("DELIB_AS")
        .env("TZ", "UTC")
        .output()
        .expect("run sh")
}

#[test]
fn the_readme_example_runs_as_written() {
    // given an empty scratch directory and the README's example
    let dir = tempfile::tempdir().expect("tempdir");
    let lines = readme_example();
    assert!(lines.len() >= 10, "the example has its commands: {lines:?}");
    // when each line runs in turn
    for line in &lines {
        let out = sh(dir.path(), line);
        // then each succeeds and prints something
        assert!(
            out.status.success(),
            "`{line}` failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(
            !out.stdout.trim_ascii().is_empty(),
            "`{line}` printed nothing"
        );
    }
    // and the audit log line found the acts of 2024 and the erasure took the name away
    let data = dir.path().join("delib-data");
    let l = Ledger::at(data);
    let log = l.ok(&[
        "audit",
        "log",
        "--actor",
        "PER-1",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
    ]);
    assert!(log.contains("proposal.submitted"), "{log}");
    assert!(!l.ok(&["person", "show", "PER-1"]).contains("Liu Yang"));
    // and the clerk's records took effect: the corrected amount, the void, the room's counts, the
    // document on file
    let p = l.json(&["proposal", "show", "PROP-1"]);
    let pledges = p["pledges"].as_array().unwrap();
    assert_eq!(pledges.len(), 1, "the voided pledge is dropped: {p}");
    assert_eq!(pledges[0]["amount"], 24000);
    assert_eq!(pledges[0]["corrected"], true);
    assert_eq!(l.json(&["ballot", "show", "BAL-2"])["scheme"], "in-room");
    assert_eq!(l.json(&["audit", "verify"])["checked"]["documents"], 1);
}

#[test]
fn a_missing_argument_is_named() {
    let l = Ledger::new();
    let before = l.head();
    // when a proposal is submitted with only a title
    let (code, err) = l.fail(&["proposal", "submit", "--title", "Lights"]);
    // then the usage error names every missing argument on its one line, and nothing is recorded
    assert_eq!(code, 2, "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    for name in ["--body", "--category", "--by"] {
        assert!(err.contains(name), "{name} not named: {err}");
    }
    assert_eq!(l.head(), before);
}

#[test]
fn lists_have_a_header_row() {
    // given two organisations, one with a Chinese name
    let l = Ledger::new();
    l.create(&[
        "org",
        "add",
        "--name",
        "十北社区党委",
        "--kind",
        "party-committee",
    ]);
    l.create(&[
        "org",
        "add",
        "--name",
        "Shibei residents' committee",
        "--kind",
        "residents-committee",
    ]);
    // when they are listed
    let out = l.ok(&["org", "list"]);
    let lines: Vec<&str> = out.lines().collect();
    // then the first line names the columns and each organisation has its row under it
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[0].starts_with("REF") && lines[0].contains("KIND") && lines[0].contains("NAME"),
        "{out}"
    );
    assert!(
        lines[1].starts_with("ORG-1") && lines[2].starts_with("ORG-2"),
        "{out}"
    );
    // and the columns line up by display width (a Chinese character is two columns wide)
    let col = |line: &str, word: &str| {
        let at = line.find(word).expect("word in line");
        unicode_width::UnicodeWidthStr::width(&line[..at])
    };
    assert_eq!(
        col(lines[0], "KIND"),
        col(lines[1], "party-committee"),
        "{out}"
    );
    assert_eq!(
        col(lines[0], "KIND"),
        col(lines[2], "residents-committee"),
        "{out}"
    );
    // and an empty log says so rather than printing a blank line
    assert_eq!(
        l.ok(&["audit", "log", "--from", "2001-01-01", "--to", "2001-12-31"])
            .trim(),
        "(none)"
    );
}

#[test]
fn the_demo_suggests_commands_that_paste_into_a_shell() {
    // given the demo run into a directory whose name needs quoting
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("my ledger");
    let out = Command::new(env!("CARGO_BIN_EXE_delib"))
        .arg("--data")
        .arg(&data)
        .arg("demo")
        .env("TZ", "UTC")
        .output()
        .expect("run demo");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let tries: Vec<&str> = text
        .split_once("Try")
        .expect("a Try section")
        .1
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert!(tries.len() >= 3, "{text}");
    // when each suggested line is pasted into a shell
    for line in tries {
        let out = sh(dir.path(), line);
        // then it runs
        assert!(
            out.status.success(),
            "`{line}` failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[cfg(unix)]
#[test]
fn a_report_file_is_readable_by_all() {
    use std::os::unix::fs::PermissionsExt;
    // given a ledger
    let l = Ledger::new();
    let out = l.dir().parent().expect("scratch").join("report.html");
    // when a report is written to a file
    l.ok(&[
        "report",
        "transparency",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--format",
        "html",
        "--output",
        out.to_str().expect("utf-8 path"),
    ]);
    // then it is 0644, as the demo's reports are
    let mode = std::fs::metadata(&out)
        .expect("report")
        .permissions()
        .mode()
        & 0o777;
    assert_eq!(mode, 0o644, "{mode:o}");
}
