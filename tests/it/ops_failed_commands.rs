//! A failed command changes nothing: a report or export whose output cannot be written records no
//! checkpoint and leaves the ledger as it was; reports of one ledger size share one recorded
//! checkpoint, and still verify.

use crate::support::Ledger;

/// The positions of the ledger's recorded checkpoints (`audit log` kinds would need an actor; the
/// export lists every event).
fn checkpoints(l: &Ledger) -> usize {
    l.ok(&["export"])
        .lines()
        .filter(|line| line.contains("\"ledger.checkpoint-recorded\""))
        .count()
}

fn some_acts(l: &Ledger) {
    l.create(&[
        "org",
        "add",
        "--name",
        "Shibei committee",
        "--kind",
        "residents-committee",
    ]);
    l.create(&["person", "add", "--name", "Wang Fang"]);
}

#[test]
fn a_report_to_an_unwritable_path_records_nothing() {
    // given a ledger with some acts
    let l = Ledger::new();
    some_acts(&l);
    let before = l.head();
    let cps = checkpoints(&l);
    for _ in 0..3 {
        // when the report's output directory does not exist (and on every retry)
        let (code, err) = l.fail(&[
            "report",
            "transparency",
            "--from",
            "2000-01-01",
            "--to",
            "2100-01-01",
            "--output",
            "/nonexistent/r.html",
        ]);
        // then a clear error, and the ledger is as it was
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("cannot write /nonexistent/r.html"), "{err}");
        assert!(err.contains("nothing was recorded"), "{err}");
        assert_eq!(l.head(), before);
    }
    assert_eq!(checkpoints(&l), cps);
}

#[test]
fn an_export_to_an_unwritable_path_fails_and_leaves_no_file() {
    let l = Ledger::new();
    some_acts(&l);
    let before = l.head();
    let (code, err) = l.fail(&["export", "--output", "/nonexistent/x.jsonl"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("cannot write /nonexistent/x.jsonl"), "{err}");
    assert_eq!(l.head(), before);

    // an export that succeeds leaves exactly the target, no temporary file beside it
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("x.jsonl");
    l.ok(&["export", "--output", out.to_str().expect("utf-8")]);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, vec![std::ffi::OsString::from("x.jsonl")]);
    assert_eq!(
        std::fs::read_to_string(&out)
            .expect("export")
            .lines()
            .count() as u64,
        before.0
    );
}

#[test]
fn reports_of_one_size_share_one_recorded_checkpoint_and_verify() {
    // given a ledger with some acts and a first report written to a file
    let l = Ledger::new();
    some_acts(&l);
    let dir = tempfile::tempdir().expect("tempdir");
    let first = dir.path().join("r1.json");
    let args = |out: &std::path::Path| {
        vec![
            "report".to_owned(),
            "transparency".into(),
            "--from".into(),
            "2000-01-01".into(),
            "--to".into(),
            "2100-01-01".into(),
            "--format".into(),
            "json".into(),
            "--output".into(),
            out.display().to_string(),
        ]
    };
    let run = |out: &std::path::Path| {
        let a = args(out);
        l.ok(&a.iter().map(String::as_str).collect::<Vec<_>>());
    };
    let cps = checkpoints(&l);
    run(&first);
    assert_eq!(checkpoints(&l), cps + 1, "the first report records one");
    let size_after_first = l.head().0;

    // when a second report is made with nothing recorded since
    let second = dir.path().join("r2.json");
    run(&second);

    // then no second checkpoint, and both reports state the same one
    assert_eq!(checkpoints(&l), cps + 1);
    assert_eq!(l.head().0, size_after_first);
    let read = |p: &std::path::Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p).expect("report")).expect("json")
    };
    assert_eq!(read(&first)["ledger"], read(&second)["ledger"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&first)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }

    // and report verify passes for both
    for p in [&first, &second] {
        let v = l.json(&["report", "verify", p.to_str().expect("utf-8")]);
        assert_eq!(v["ok"], true, "{v}");
    }

    // and after a new act, the next report records a new checkpoint
    l.create(&["person", "add", "--name", "Li Wei"]);
    run(&dir.path().join("r3.json"));
    assert_eq!(checkpoints(&l), cps + 2);
}
