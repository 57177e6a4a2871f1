//! The edges of an encrypted ballot's secrecy and tally: casts that race the close, and what the
//! logs, error messages and the feed may carry (no choice, no name).

use super::support::Ledger;
use delib::app::{AppError, LedgerService};
use delib::clock::SystemClock;
use delib::domain::ballot::Command;
use delib::domain::Rejection;
use std::sync::Arc;

const OPTIONS: [&str; 2] = ["build-the-shed", "keep-the-lawn"];

fn open_secret(l: &Ledger, voters: &[String]) -> String {
    let mut args = vec!["ballot", "open", "--question", "Bike shed?"];
    for o in OPTIONS {
        args.extend(["--option", o]);
    }
    args.extend(["--quorum", "1/10", "--threshold", "majority", "--secret"]);
    for v in voters {
        args.extend(["--voter", v.as_str()]);
    }
    l.create(&args)
}

#[test]
fn casts_racing_the_close_are_counted_or_refused_and_the_close_never_fails() {
    // given a secret ballot of 24 voters, the ledger holding its key
    let l = Ledger::new();
    let voters: Vec<String> = (0..24)
        .map(|i| l.create(&["person", "add", "--name", &format!("Voter {i}")]))
        .collect();
    let bal = open_secret(&l, &voters);
    let svc = Arc::new(LedgerService::open(l.dir(), Arc::new(SystemClock)).unwrap());
    let id = svc.ballot_id(&bal).unwrap();
    // when every voter casts from their own thread while another thread closes the ballot
    let casts: Vec<_> = voters
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let (svc, voter) = (svc.clone(), svc.person_id(v).unwrap());
            std::thread::spawn(move || {
                let meta = svc.meta(None, None).unwrap();
                let choice = OPTIONS[i % 2].to_owned();
                svc.record_ballot(&meta, Some(id), Command::Cast { voter, choice }, &[])
            })
        })
        .collect();
    let closer = {
        let svc = svc.clone();
        std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            let meta = svc.meta(None, None).unwrap();
            svc.record_ballot(&meta, Some(id), Command::Close, &[])
        })
    };
    // then the close succeeds
    closer
        .join()
        .unwrap()
        .expect("the close never fails for a cast in flight");
    // and each cast was either recorded or refused because the ballot was no longer open
    let mut counted = 0u64;
    for c in casts {
        match c.join().unwrap() {
            Ok(_) => counted += 1,
            Err(AppError::Rejected {
                rejection: Rejection::BallotNotOpen { .. },
                ..
            }) => {}
            Err(other) => panic!("a racing cast failed otherwise: {other}"),
        }
    }
    // and the tally counts exactly the recorded casts, and verifies
    drop(svc);
    let shown = l.json(&["ballot", "show", &bal]);
    let total: u64 = OPTIONS
        .iter()
        .map(|o| shown["counts"][o].as_u64().unwrap())
        .sum();
    assert_eq!(total, counted);
    assert_eq!(l.json(&["ballot", "verify", &bal])["ok"], true);
}

#[test]
fn trace_logs_and_errors_carry_no_choice_and_no_name() {
    // given a secret ballot, with every log level on
    let l = Ledger::new();
    let names = ["Zhang Xiuying", "Liu Jianguo"];
    let voters: Vec<String> = names
        .iter()
        .map(|n| l.create(&["person", "add", "--name", n]))
        .collect();
    let outsider = l.create(&["person", "add", "--name", "Outsider Name"]);
    let bal = open_secret(&l, &voters);
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_delib"))
            .env("DELIB_LOG", "trace")
            .arg("--data")
            .arg(l.dir())
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    // when they cast, someone off the roll tries to, a cast names no option, and the ballot closes
    let mut logs = String::new();
    logs += &run(&[
        "ballot", "cast", &bal, "--voter", &voters[0], "--choice", OPTIONS[0],
    ]);
    logs += &run(&[
        "ballot", "cast", &bal, "--voter", &voters[1], "--choice", OPTIONS[1],
    ]);
    logs += &run(&[
        "ballot", "cast", &bal, "--voter", &outsider, "--choice", OPTIONS[0],
    ]);
    logs += &run(&[
        "ballot", "cast", &bal, "--voter", &voters[0], "--choice", OPTIONS[1],
    ]);
    logs += &run(&["ballot", "close", &bal]);
    logs += &run(&["audit", "log"]);
    // then something was logged at all (the test would prove nothing otherwise)
    assert!(logs.contains("TRACE") || logs.contains("DEBUG"), "{logs}");
    // and no log line nor error names a choice or a person
    for secret in OPTIONS
        .iter()
        .chain(names.iter())
        .chain(["Outsider Name"].iter())
    {
        assert!(!logs.contains(secret), "{secret} leaked: {logs}");
    }
}
