//! Running the built `delib` binary against a fresh ledger in a temporary directory.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A fresh, initialised ledger in a temporary directory.
pub struct Ledger {
    _tmp: tempfile::TempDir,
    /// The data directory (`--data`).
    pub data: PathBuf,
}

impl Ledger {
    /// Creates and initialises a ledger.
    pub fn new() -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let data = tmp.path().join("data");
        let l = Ledger { _tmp: tmp, data };
        l.ok(&["init", "--name", "Chaoyang deliberation ledger"]);
        l
    }

    /// A ledger made with these `init` arguments (e.g. `["init", "--tz", "+08:00"]`).
    pub fn new_with(init: &[&str]) -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let data = tmp.path().join("data");
        let l = Ledger { _tmp: tmp, data };
        l.ok(init);
        l
    }

    /// A ledger holding the demo's cases (`delib demo`).
    pub fn demo() -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let data = tmp.path().join("data");
        let l = Ledger { _tmp: tmp, data };
        l.ok(&["demo"]);
        l
    }

    /// An existing data directory (made by the caller), removed with `_tmp`'s owner.
    pub fn at(data: PathBuf) -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        Ledger { _tmp: tmp, data }
    }

    /// The data directory.
    pub fn dir(&self) -> &Path {
        &self.data
    }

    /// Runs `delib --data DIR ARGS...`.
    pub fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_delib"))
            .arg("--data")
            .arg(&self.data)
            .args(args)
            .env_remove("DELIB_AS")
            .env_remove("DELIB_DATA")
            .env("TZ", "UTC")
            .output()
            .expect("run delib")
    }

    /// Runs and asserts success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "delib {args:?} failed ({:?}): {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs with `--json`, asserts success and parses the one JSON value printed.
    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let text = self.ok(&all);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {text}"))
    }

    /// [`Ledger::json`] of a command recorded as of `at` (`--at`).
    pub fn json_at(&self, at: &str, args: &[&str]) -> Value {
        let mut all = vec!["--at", at];
        all.extend_from_slice(args);
        self.json(&all)
    }

    /// Runs, asserts failure; returns the exit code and stderr.
    pub fn fail<S: AsRef<std::ffi::OsStr> + std::fmt::Debug>(&self, args: &[S]) -> (i32, String) {
        let out = self.run(args);
        assert!(
            !out.status.success(),
            "delib {args:?} unexpectedly succeeded"
        );
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    /// `status --json`: the head's size and hash.
    pub fn head(&self) -> (u64, String) {
        let v = self.json(&["status"]);
        (
            v["size"].as_u64().expect("size"),
            v["head"].as_str().expect("head").to_owned(),
        )
    }

    /// Records and returns the new reference (`"ref"` of the JSON output).
    pub fn create(&self, args: &[&str]) -> String {
        let v = self.json(args);
        assert!(v["id"].is_string(), "{args:?}: no id in {v}");
        v["ref"].as_str().expect("ref").to_owned()
    }
}

/// The `kind` of every entry of a `history --json` array.
pub fn kinds(history: &Value) -> Vec<String> {
    history
        .as_array()
        .expect("array")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind").to_owned())
        .collect()
}
