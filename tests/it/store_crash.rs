//! Crash test, after sled's `test_crash_recovery`: a child process appends from many writers and
//! prints each acknowledged append; the parent SIGKILLs it at a random moment, reopens, and checks
//! that every acknowledged event is there, positions have no gaps, the hash chain holds and the stream
//! index agrees with the log. Repeated on the same directory (`DELIB_CRASH_KILLS`, default 20).

use crate::store_support::open_sled;
use delib::store::verify::verify_chain;
use delib::store::EventStore;
use delib_events::{Position, StreamVersion};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

/// A small deterministic generator (xorshift), so a failing run can be repeated from its seed.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn acknowledged_appends_survive_sigkill() {
    let kills: u32 = std::env::var("DELIB_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let seed = std::env::var("DELIB_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x5eed_1234_u64);
    let mut rng = Rng(seed);
    let dir = tempfile::tempdir().unwrap();
    let mut acked: HashMap<u64, String> = HashMap::new();
    let mut total_killed_with_acks = 0;
    for round in 0..kills {
        // given a child appending with 16 writers
        let mut child = Command::new(env!("CARGO_BIN_EXE_delib"))
            .args(["--data"])
            .arg(dir.path())
            .args(["internal", "crash-writer", "--writers", "16"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn crash writer");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // when it is killed at a random moment after it started acknowledging appends (waiting for the
        // first acknowledgement keeps slow machines from killing it before it writes anything)
        let first = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("the writer acknowledges appends");
        std::thread::sleep(Duration::from_millis(rng.next() % 250));
        child.kill().expect("SIGKILL");
        child.wait().unwrap();
        reader.join().unwrap();
        let lines: Vec<String> = std::iter::once(first).chain(rx.try_iter()).collect();
        let before = acked.len();
        for line in lines {
            let mut parts = line.split_whitespace();
            if let (Some("ack"), Some(p), Some(id)) = (parts.next(), parts.next(), parts.next()) {
                acked.insert(p.parse().unwrap(), id.to_string());
            }
        }
        if acked.len() > before {
            total_killed_with_acks += 1;
        }

        // then on reopening everything acknowledged is there, with no gaps and an intact chain
        let store = open_sled(dir.path());
        let head = store.head().position.get();
        let mut tree = delib::audit::merkle::MemoryTree::new();
        let report = verify_chain(&store, |_, bytes, _| {
            tree.append(bytes);
        })
        .unwrap();
        assert_eq!(
            store.merkle_root(head).unwrap(),
            tree.root(),
            "round {round}: stored Merkle nodes disagree"
        );
        assert!(
            report.problems.is_empty(),
            "round {round} (seed {seed}): {:?}",
            report.problems
        );
        assert_eq!(report.size, head);
        let all = store.read_all(Position::new(1), usize::MAX).unwrap();
        for (position, id) in &acked {
            let event = all.get((*position - 1) as usize).unwrap_or_else(|| {
                panic!("round {round} (seed {seed}): acknowledged position {position} lost (head {head})")
            });
            assert_eq!(
                &event.metadata.event_id.to_string(),
                id,
                "round {round}: wrong event at {position}"
            );
        }
        // and the stream index agrees with the log
        let mut by_stream: HashMap<_, Vec<u64>> = HashMap::new();
        for e in &all {
            by_stream
                .entry(e.metadata.stream_id)
                .or_default()
                .push(e.metadata.position.get());
        }
        for (stream, positions) in by_stream {
            let indexed: Vec<u64> = store
                .read_stream(stream, StreamVersion::new(1))
                .unwrap()
                .iter()
                .map(|e| e.metadata.position.get())
                .collect();
            assert_eq!(
                indexed, positions,
                "round {round}: stream index disagrees with the log"
            );
        }
    }
    assert!(
        total_killed_with_acks * 2 >= kills,
        "too few rounds acknowledged anything: {total_killed_with_acks}"
    );
}
