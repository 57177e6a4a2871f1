//! The restore drill of issue 12: run the demo, open a secret ballot whose key the ledger holds,
//! back up, delete the directory, restore, verify, keep appending (cast, close), back up again
//! incrementally. And a forged backup is refused naming where.

use crate::support::Ledger;
use delib_events::RecordHash;
use serde_json::Value;
use std::path::Path;
use std::process::Command;

fn delib(data: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_delib"))
        .arg("--data")
        .arg(data)
        .args(args)
        .env("TZ", "UTC")
        .output()
        .unwrap()
}

fn json_ok(data: &Path, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let out = delib(data, &all);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn secret_ballot(data: &Path) -> String {
    let open = json_ok(
        data,
        &[
            "--as",
            "PER-1",
            "ballot",
            "open",
            "--question",
            "Repaint the hall?",
            "--option",
            "yes",
            "--option",
            "no",
            "--voter",
            "PER-6",
            "--voter",
            "PER-7",
            "--voter",
            "PER-8",
            "--quorum",
            "1/2",
            "--threshold",
            "majority",
            "--secret",
        ],
    );
    open["ref"].as_str().unwrap().to_string()
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[test]
fn the_restore_drill() {
    // given the demo with an open secret ballot (its key held by the ledger) and one vote cast
    let l = Ledger::demo();
    let data = l.dir().to_path_buf();
    let bal = secret_ballot(&data);
    json_ok(
        &data,
        &[
            "ballot", "cast", &bal, "--voter", "PER-6", "--choice", "yes",
        ],
    );
    let people_before = l.ok(&["person", "list"]);
    let status_before = json_ok(&data, &["status"]);
    // when it is backed up
    let tmp = tempfile::tempdir().unwrap();
    let backup = tmp.path().join("backup");
    let first = json_ok(&data, &["backup", "--to", backup.to_str().unwrap()]);
    assert_eq!(first["size"], status_before["size"]);
    assert_eq!(first["copied"], status_before["size"]);
    #[cfg(unix)]
    {
        let manifest: Value =
            serde_json::from_slice(&std::fs::read(backup.join("manifest.json")).unwrap()).unwrap();
        let state = backup.join(manifest["state"]["file"].as_str().unwrap());
        assert_eq!(mode(&state), 0o600);
        // the open ballot's ledger-held share and its pad are in the state
        let state: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
        assert_eq!(state["election_pads"].as_array().unwrap().len(), 1);
        assert_eq!(mode(&backup), 0o700);
    }
    let audit = json_ok(
        tmp.path(),
        &["audit", "verify", "--from-backup", backup.to_str().unwrap()],
    );
    assert_eq!(audit["ok"], true);
    // and the directory is deleted, then restored
    std::fs::remove_dir_all(&data).unwrap();
    let restored = json_ok(&data, &["restore", "--from", backup.to_str().unwrap()]);
    assert_eq!(restored["size"], status_before["size"]);
    // then it is the same ledger: head, records, names, verification
    assert_eq!(json_ok(&data, &["status"])["head"], status_before["head"]);
    assert_eq!(json_ok(&data, &["audit", "verify"])["ok"], true);
    assert_eq!(l.ok(&["person", "list"]), people_before);
    // and it keeps going: the open ballot takes votes and closes with the restored key
    json_ok(
        &data,
        &[
            "ballot", "cast", &bal, "--voter", "PER-7", "--choice", "yes",
        ],
    );
    json_ok(
        &data,
        &["ballot", "cast", &bal, "--voter", "PER-8", "--choice", "no"],
    );
    json_ok(&data, &["ballot", "close", &bal]);
    let shown = json_ok(&data, &["ballot", "show", &bal]);
    assert_eq!(shown["counts"]["yes"], 2, "{shown}");
    assert_eq!(shown["counts"]["no"], 1, "{shown}");
    assert_eq!(json_ok(&data, &["ballot", "verify", &bal])["ok"], true);
    // when it is backed up again into the same directory
    let first_segment = backup
        .join("records")
        .join(first["segment"].as_str().unwrap());
    let first_bytes = std::fs::read(&first_segment).unwrap();
    let size_now = json_ok(&data, &["status"])["size"].as_u64().unwrap();
    let second = json_ok(&data, &["backup", "--to", backup.to_str().unwrap()]);
    // then only the new records were copied, into a new segment, the old one untouched
    let old_size = first["size"].as_u64().unwrap();
    assert_eq!(second["size"], size_now);
    assert_eq!(second["copied"].as_u64().unwrap(), size_now - old_size);
    let expected = format!("{:020}-{size_now:020}.seg", old_size + 1);
    assert_eq!(second["segment"], expected.as_str());
    assert_eq!(std::fs::read(&first_segment).unwrap(), first_bytes);
    assert_eq!(
        std::fs::read_dir(backup.join("records")).unwrap().count(),
        2
    );
    let states = std::fs::read_dir(&backup)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("state-")
        })
        .count();
    assert_eq!(states, 1);
    // and the closed ballot's share pad has left the backup with the close
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(backup.join("manifest.json")).unwrap()).unwrap();
    let state: Value = serde_json::from_slice(
        &std::fs::read(backup.join(manifest["state"]["file"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    assert!(
        state["election_pads"].as_array().unwrap().is_empty(),
        "{state}"
    );
    // and a third backup with nothing new copies nothing
    let third = json_ok(&data, &["backup", "--to", backup.to_str().unwrap()]);
    assert_eq!(third["copied"], 0);
    // and the incremental backup restores to the ledger as it is now
    let again = tmp.path().join("again");
    json_ok(&again, &["restore", "--from", backup.to_str().unwrap()]);
    assert_eq!(
        json_ok(&again, &["status"])["head"],
        json_ok(&data, &["status"])["head"]
    );
    assert_eq!(json_ok(&again, &["ballot", "show", &bal]), shown);
    // and restoring into a non-empty directory is refused, changing nothing
    let out = delib(&data, &["restore", "--from", backup.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json_ok(&data, &["status"])["size"], size_now);
}

#[test]
fn an_erased_name_leaves_the_backup_at_the_next_backup() {
    // given a person backed up
    let l = Ledger::new();
    let per = l.create(&["person", "add", "--name", "Ximena Quarrel"]);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("backup");
    json_ok(l.dir(), &["backup", "--to", dir.to_str().unwrap()]);
    let holds_name = |dir: &Path| {
        crate::audit_support::all_files(dir)
            .iter()
            .any(|f| String::from_utf8_lossy(&std::fs::read(f).unwrap()).contains("Ximena"))
    };
    assert!(holds_name(&dir));
    // when the person is erased and the ledger backed up again
    l.ok(&["person", "erase", &per]);
    json_ok(l.dir(), &["backup", "--to", dir.to_str().unwrap()]);
    // then no file of the backup holds the name
    assert!(!holds_name(&dir));
}

#[test]
fn a_backup_of_another_ledger_is_refused() {
    let a = Ledger::new();
    let b = Ledger::new();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("backup");
    json_ok(a.dir(), &["backup", "--to", dir.to_str().unwrap()]);
    let manifest = std::fs::read(dir.join("manifest.json")).unwrap();
    let out = delib(b.dir(), &["backup", "--to", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("another ledger"));
    assert_eq!(std::fs::read(dir.join("manifest.json")).unwrap(), manifest);
}

#[test]
fn a_forged_backup_is_refused_naming_where() {
    // given a backup of the demo (which records a checkpoint) whose record 40 was altered, with
    // every later previous-hash, the segment's length and hash in the manifest recomputed
    let l = Ledger::demo();
    let tmp = tempfile::tempdir().unwrap();
    let backup = tmp.path().join("backup");
    let done = json_ok(l.dir(), &["backup", "--to", backup.to_str().unwrap()]);
    let seg_path = backup
        .join("records")
        .join(done["segment"].as_str().unwrap());
    let bytes = std::fs::read(&seg_path).unwrap();
    let mut records = Vec::new();
    let mut rest = &bytes[..];
    while !rest.is_empty() {
        let len = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
        records.push(rest[4..4 + len].to_vec());
        rest = &rest[4 + len..];
    }
    let r = &mut records[39];
    let at = (delib_events::codec::HEADER_LEN..r.len())
        .find(|&i| {
            let mut c = r.clone();
            c[i] ^= 0x01;
            r[i].is_ascii_lowercase() && delib_events::decode_record(&c).is_ok()
        })
        .unwrap();
    r[at] ^= 0x01;
    for i in 40..records.len() {
        let prev = RecordHash::of(&records[i - 1]);
        records[i][8..40].copy_from_slice(prev.as_bytes());
    }
    let mut forged = Vec::new();
    for r in &records {
        forged.extend_from_slice(&(r.len() as u32).to_be_bytes());
        forged.extend_from_slice(r);
    }
    std::fs::write(&seg_path, &forged).unwrap();
    let mut manifest: Value =
        serde_json::from_slice(&std::fs::read(backup.join("manifest.json")).unwrap()).unwrap();
    use sha2::Digest as _;
    manifest["segments"][0]["sha256"] = Value::String(hex::encode(sha2::Sha256::digest(&forged)));
    manifest["segments"][0]["bytes"] = Value::from(forged.len() as u64);
    std::fs::write(backup.join("manifest.json"), manifest.to_string()).unwrap();
    // when it is restored, or audited
    let target = tmp.path().join("restored");
    let out = delib(&target, &["restore", "--from", backup.to_str().unwrap()]);
    // then both refuse, naming the checkpoint that contradicts the records and the range holding 40
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("history was rewritten at a position in 1..="),
        "{err}"
    );
    assert!(!target.exists());
    let out = delib(
        &target,
        &[
            "--json",
            "audit",
            "verify",
            "--from-backup",
            backup.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(3));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["ok"], false);
}

#[test]
fn a_restored_ledger_reads_dates_in_the_backed_up_time_zone() {
    // given a ledger in Beijing time
    let l = Ledger::new_with(&["init", "--name", "十北社区", "--tz", "+08:00"]);
    let tmp = tempfile::tempdir().unwrap();
    let backup = tmp.path().join("backup");
    json_ok(l.dir(), &["backup", "--to", backup.to_str().unwrap()]);
    // when it is restored into a new directory (on a machine in UTC)
    let restored = tmp.path().join("restored");
    json_ok(&restored, &["restore", "--from", backup.to_str().unwrap()]);
    // then the restored ledger keeps the zone that status shows (times written without one are read in it)
    let status = json_ok(&restored, &["status"]);
    assert_eq!(
        status["time_zone"],
        json_ok(l.dir(), &["status"])["time_zone"]
    );
    assert!(
        status["time_zone"].to_string().contains("+08:00"),
        "{status}"
    );
}
