//! `delib mirror` and `delib restore --from-mirror`: a verified replica that refuses forks, and a
//! working ledger made from it, byte for byte.

use crate::tlog_support::*;
use delib::clock::SystemClock;
use delib::ledger::Ledger;
use delib::tlog::client::DirFetch;
use delib::tlog::{mirror, publish, TlogError};
use std::path::Path;
use std::sync::Arc;

fn vkey(data: &Path) -> String {
    delib::audit::keys::load(data)
        .unwrap()
        .verifier()
        .to_string()
}

#[test]
fn publish_mirror_restore_round_trip_is_byte_identical() {
    // given a ledger of 600 records published, and mirrored with its key given once
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("ledger");
    let ledger = ledger_with(&data, 600, "round trip");
    let site = tmp.path().join("site");
    let replica = tmp.path().join("mirror");
    publish::publish(&ledger, &site).unwrap();
    let first = mirror::mirror(&DirFetch(site.clone()), &replica, Some(&vkey(&data))).unwrap();
    assert_eq!(
        (first.previous_size, first.size, first.entries),
        (0, 600, 600)
    );

    // when the ledger grows and is published and mirrored again, without the key this time
    append_notes(&ledger, 123, "later");
    publish::publish(&ledger, &site).unwrap();
    let second = mirror::mirror(&DirFetch(site.clone()), &replica, None).unwrap();

    // then only the new part was fetched, and the replica is itself a valid published log
    assert_eq!((second.previous_size, second.size), (600, 723));
    assert_eq!(
        second.entries,
        723 - 512,
        "from the first non-full bundle on"
    );
    let note = std::fs::read_to_string(replica.join("checkpoint")).unwrap();
    let (_, size, root) = parse_checkpoint(&note);
    let entries = verify_published(
        &mut |p: &str| std::fs::read(replica.join(p)).unwrap(),
        size,
        &root,
    );
    let original = all_records(&ledger);
    assert_eq!(entries, original);

    // when the ledger is destroyed and restored from the mirror
    drop(ledger);
    std::fs::remove_dir_all(&data).unwrap();
    let restored_dir = tmp.path().join("restored");
    let restored = mirror::restore(&replica, &restored_dir, Arc::new(SystemClock)).unwrap();

    // then it holds the same records, byte for byte, with the same root, and it works
    assert_eq!(restored.records, 723);
    let back = Ledger::open(&restored_dir, Arc::new(SystemClock)).unwrap();
    assert_eq!(all_records(&back), original);
    assert_eq!(back.store().merkle_root(723).unwrap().as_bytes(), &root);
    append_notes(&back, 1, "after restore");
    let report = delib::audit::ledger_verify::verify_ledger(&back);
    assert!(report.ok, "{:?}", report.problems);

    // and restoring into a directory that holds something is refused, changing nothing
    let err = mirror::restore(&replica, &restored_dir, Arc::new(SystemClock)).unwrap_err();
    assert!(matches!(err, TlogError::Usage(_)), "{err}");
    drop(back);
    assert_eq!(
        all_records(&Ledger::open(&restored_dir, Arc::new(SystemClock)).unwrap()).len(),
        724
    );
}

#[test]
fn a_forked_ledger_published_to_the_same_place_is_refused_naming_both_checkpoints() {
    // given a ledger of 300 records, two copies of it (same key), and a mirror of the original at 310
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("ledger");
    drop(ledger_with(&data, 300, "forked"));
    let copy = tmp.path().join("copy");
    let same = tmp.path().join("same");
    copy_dir(&data, &copy);
    copy_dir(&data, &same);
    let ledger = Ledger::open(&data, Arc::new(SystemClock)).unwrap();
    append_notes(&ledger, 10, "honest");
    let site = tmp.path().join("site");
    let replica = tmp.path().join("mirror");
    publish::publish(&ledger, &site).unwrap();
    mirror::mirror(&DirFetch(site.clone()), &replica, Some(&vkey(&data))).unwrap();
    let held = std::fs::read_to_string(replica.join("checkpoint")).unwrap();
    let (_, _, honest_root) = parse_checkpoint(&held);

    // when a copy rewrites history from 301 on, grows past it, and is published in its place
    let forked = Ledger::open(&copy, Arc::new(SystemClock)).unwrap();
    append_notes(&forked, 50, "rewritten");
    std::fs::remove_dir_all(&site).unwrap();
    publish::publish(&forked, &site).unwrap();
    let err = mirror::mirror(&DirFetch(site.clone()), &replica, None).unwrap_err();

    // then the mirror refuses it as a fork, naming both checkpoints, and keeps what it had
    let msg = err.to_string();
    assert!(matches!(err, TlogError::Fork { .. }), "{msg}");
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let forked_root = forked.store().merkle_root(350).unwrap();
    assert!(
        msg.contains("size 310") && msg.contains(&b64.encode(honest_root)),
        "{msg}"
    );
    assert!(
        msg.contains("size 350") && msg.contains(&forked_root.to_base64()),
        "{msg}"
    );
    assert_eq!(
        std::fs::read_to_string(replica.join("checkpoint")).unwrap(),
        held
    );
    assert!(!replica.join(".incoming").exists());

    // and a fork at the same size (10 other records after 300: size 310, another root) too
    let other_310 = Ledger::open(&same, Arc::new(SystemClock)).unwrap();
    append_notes(&other_310, 10, "other");
    std::fs::remove_dir_all(&site).unwrap();
    publish::publish(&other_310, &site).unwrap();
    let err = mirror::mirror(&DirFetch(site.clone()), &replica, None).unwrap_err();
    assert!(matches!(err, TlogError::Fork { .. }), "{err}");
    assert_eq!(
        std::fs::read_to_string(replica.join("checkpoint")).unwrap(),
        held
    );

    // and the honest log, published again, is followed as before
    std::fs::remove_dir_all(&site).unwrap();
    append_notes(&ledger, 5, "honest again");
    publish::publish(&ledger, &site).unwrap();
    let ok = mirror::mirror(&DirFetch(site.clone()), &replica, None).unwrap();
    assert_eq!((ok.previous_size, ok.size), (310, 315));

    // and a checkpoint signed by another key is refused
    let other = ledger_with(&tmp.path().join("other"), 400, "other");
    let site2 = tmp.path().join("site2");
    publish::publish(&other, &site2).unwrap();
    let before = std::fs::read_to_string(replica.join("checkpoint")).unwrap();
    let err = mirror::mirror(&DirFetch(site2), &replica, None).unwrap_err();
    assert!(!matches!(err, TlogError::Fork { .. }), "{err}");
    assert_eq!(
        std::fs::read_to_string(replica.join("checkpoint")).unwrap(),
        before
    );
}

#[test]
fn tampered_tiles_are_refused_and_the_first_run_needs_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("ledger");
    let ledger = ledger_with(&data, 520, "tamper");
    let site = tmp.path().join("site");
    publish::publish(&ledger, &site).unwrap();
    let replica = tmp.path().join("mirror");

    // without a key the first run is refused
    let err = mirror::mirror(&DirFetch(site.clone()), &replica, None).unwrap_err();
    assert!(matches!(err, TlogError::Usage(_)), "{err}");

    // one changed byte in a full entry bundle (its level-0 tile left as it was) is caught
    let bundle = site.join("tile/entries/001");
    let mut bytes = std::fs::read(&bundle).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&bundle, &bytes).unwrap();
    let err = mirror::mirror(&DirFetch(site.clone()), &replica, Some(&vkey(&data))).unwrap_err();
    assert!(matches!(err, TlogError::Invalid(_)), "{err}");
    assert!(!replica.join("checkpoint").exists(), "nothing adopted");
    bytes[last] ^= 1;
    std::fs::write(&bundle, &bytes).unwrap();

    // a full level-0 tile rewritten together with its bundle does not match its level-1 hash
    let l0 = site.join("tile/0/000");
    let mut t = std::fs::read(&l0).unwrap();
    t[0] ^= 1;
    std::fs::write(&l0, &t).unwrap();
    let err = mirror::mirror(&DirFetch(site.clone()), &replica, Some(&vkey(&data))).unwrap_err();
    assert!(matches!(err, TlogError::Invalid(_)), "{err}");
    t[0] ^= 1;
    std::fs::write(&l0, &t).unwrap();

    // restored, it goes through
    mirror::mirror(&DirFetch(site), &replica, Some(&vkey(&data))).unwrap();
}

#[test]
fn mirror_follows_a_served_ledger_over_http() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("ledger");
    let ledger = ledger_with(&data, 270, "http");
    let key = vkey(&data);
    let records = all_records(&ledger);
    let svc = delib::app::LedgerService::from_ledger(ledger, &data).unwrap();
    let state = delib::server::State::new(svc).unwrap();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let listener = rt
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let url = format!("http://{}/tlog", listener.local_addr().unwrap());
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let handle = rt.spawn(delib::server::run(listener, state, async {
        let _ = rx.await;
    }));
    let replica = tmp.path().join("mirror");
    let r2 = replica.clone();
    let done = std::thread::spawn(move || {
        let from = delib::tlog::client::fetcher(&url).unwrap();
        mirror::mirror(from.as_ref(), &r2, Some(&key))
    })
    .join()
    .unwrap()
    .unwrap();
    assert_eq!(done.size, 270);
    let _ = stop.send(());
    rt.block_on(handle).unwrap().unwrap();
    let restored = tmp.path().join("restored");
    mirror::restore(&replica, &restored, Arc::new(SystemClock)).unwrap();
    let back = Ledger::open(&restored, Arc::new(SystemClock)).unwrap();
    assert_eq!(all_records(&back), records);
}

#[test]
fn cli_publish_mirror_restore_and_a_fork_exit_codes() {
    let demo = crate::support::Ledger::demo();
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let site_s = site.to_str().unwrap();
    demo.ok(&["publish", "--to", site_s]);
    let key = demo.ok(&["audit", "key"]);
    let key = key.trim().lines().last().unwrap().to_owned();
    let mirror_dir = tmp.path().join("mirror");
    let run = |data: &Path, args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_delib"))
            .arg("--data")
            .arg(data)
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&mirror_dir, &["mirror", "--from", site_s]);
    assert_eq!(out.status.code(), Some(2), "no key on the first run");
    let out = run(&mirror_dir, &["mirror", "--from", site_s, "--key", &key]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let restored = tmp.path().join("restored");
    let out = run(
        &restored,
        &["restore", "--from-mirror", mirror_dir.to_str().unwrap()],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let status = run(&restored, &["status"]);
    assert_eq!(
        String::from_utf8_lossy(&status.stdout).split(':').nth(1),
        String::from_utf8_lossy(&demo.run(&["status"]).stdout)
            .split(':')
            .nth(1)
    );
    // a rewritten copy published in place: exit 3 and FORK
    let copy = tmp.path().join("copy");
    copy_dir(demo.dir(), &copy);
    demo.ok(&["audit", "checkpoint"]);
    demo.ok(&["publish", "--to", site_s]);
    assert!(run(&mirror_dir, &["mirror", "--from", site_s])
        .status
        .success());
    let c = Ledger::open(&copy, Arc::new(SystemClock)).unwrap();
    append_notes(&c, 5, "rewritten");
    drop(c);
    std::fs::remove_dir_all(&site).unwrap();
    assert!(run(&copy, &["publish", "--to", site_s]).status.success());
    let out = run(&mirror_dir, &["mirror", "--from", site_s]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("FORK"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dst = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&dst).unwrap();
            copy_tree(&entry.path(), &dst);
        } else {
            std::fs::copy(entry.path(), dst).unwrap();
        }
    }
}

#[test]
fn a_mirror_run_cut_off_before_its_checkpoint_keeps_the_old_one_and_the_next_run_finishes() {
    // given a replica at 300 records, and the log published at 700 since
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("ledger");
    let ledger = ledger_with(&data, 300, "cut off");
    let site = tmp.path().join("site");
    let replica = tmp.path().join("mirror");
    publish::publish(&ledger, &site).unwrap();
    mirror::mirror(&DirFetch(site.clone()), &replica, Some(&vkey(&data))).unwrap();
    let old_note = std::fs::read_to_string(replica.join("checkpoint")).unwrap();
    append_notes(&ledger, 400, "later");
    publish::publish(&ledger, &site).unwrap();

    // when a run is cut off after moving the new tiles into place but before the checkpoint (every
    // new file present, a half-filled staging directory left behind)
    copy_tree(&site.join("tile"), &replica.join("tile"));
    std::fs::create_dir_all(replica.join(".incoming/tile/0")).unwrap();
    std::fs::write(replica.join(".incoming/tile/0/001"), b"torn").unwrap();

    // then the replica still holds its old checkpoint, which verifies with its tiles
    assert_eq!(
        std::fs::read_to_string(replica.join("checkpoint")).unwrap(),
        old_note
    );
    let (_, size, root) = parse_checkpoint(&old_note);
    assert_eq!(size, 300);
    verify_published(
        &mut |p: &str| std::fs::read(replica.join(p)).unwrap(),
        size,
        &root,
    );

    // and the next run verifies from there and finishes, leaving no staging behind
    let next = mirror::mirror(&DirFetch(site.clone()), &replica, None).unwrap();
    assert_eq!((next.previous_size, next.size), (300, 700));
    assert!(!replica.join(".incoming").exists());
    let note = std::fs::read_to_string(replica.join("checkpoint")).unwrap();
    assert_eq!(
        note,
        std::fs::read_to_string(site.join("checkpoint")).unwrap()
    );
    let (_, size, root) = parse_checkpoint(&note);
    let entries = verify_published(
        &mut |p: &str| std::fs::read(replica.join(p)).unwrap(),
        size,
        &root,
    );
    assert_eq!(entries, all_records(&ledger));
}
