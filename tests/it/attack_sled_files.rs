//! An attacker holding a copy of the data directory (before the close, and again after it) tries to
//! learn secret choices from the raw bytes of every file in it, as the attacks on the sealed urn did:
//! - pairing each voter's cast with the nearest option in sled's files (the urn wrote the sealed
//!   choice in the same batch as the cast, so 27 of 30 came back);
//! - looking for any key that decrypts a single vote: every 32-byte window of every file (raw and
//!   hex) is tried as a scalar `x` with `x·G` equal to a teller's public key or the election key.
//!
//! The scanner is shown to work (it finds the shares in the tellers' own files, and the ledger-held
//! share before a close), so "found nothing" means nothing is there.

use super::support::Ledger;
use curve25519_dalek::constants::RISTRETTO_BASEPOINT_TABLE;
use curve25519_dalek::scalar::Scalar;
use serde_json::Value;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

const OPTIONS: [&str; 3] = ["replace-company", "keep-company", "abstain-vote"];
const VOTERS: usize = 30;

/// Every regular file under `dir`, read whole: what a copy of the directory gives an attacker.
fn stolen_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.is_file() {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out
}

/// Every 32-byte window of the files (and every 64-character hex window, decoded) that is a
/// canonical scalar whose public point is one of `publics`.
fn secret_keys_in(files: &[(PathBuf, Vec<u8>)], publics: &HashSet<[u8; 32]>) -> HashSet<[u8; 32]> {
    let mut tried: HashSet<[u8; 32]> = HashSet::new();
    let mut found = HashSet::new();
    let mut try_window = |w: [u8; 32], found: &mut HashSet<[u8; 32]>| {
        if w.iter().all(|b| *b == 0) || !tried.insert(w) {
            return;
        }
        if let Some(x) = Option::<Scalar>::from(Scalar::from_canonical_bytes(w)) {
            let public = (&x * RISTRETTO_BASEPOINT_TABLE).compress().to_bytes();
            if publics.contains(&public) {
                found.insert(w);
            }
        }
    };
    for (_, bytes) in files {
        for w in bytes.windows(32) {
            try_window(w.try_into().unwrap(), &mut found);
        }
        for w in bytes.windows(64) {
            if w.iter().all(u8::is_ascii_hexdigit) {
                if let Ok(raw) = hex::decode(w) {
                    try_window(raw.try_into().unwrap(), &mut found);
                }
            }
        }
    }
    found
}

/// Every window of the files XOR every 32-byte file among them (a one-time pad, if the ledger keeps
/// one) that is a secret key of one of `publics`.
fn padded_keys_in(files: &[(PathBuf, Vec<u8>)], publics: &HashSet<[u8; 32]>) -> HashSet<[u8; 32]> {
    let pads: Vec<&Vec<u8>> = files
        .iter()
        .map(|(_, b)| b)
        .filter(|b| b.len() == 32)
        .collect();
    let mut found = HashSet::new();
    for pad in pads {
        let unmasked: Vec<(PathBuf, Vec<u8>)> = files
            .iter()
            .map(|(p, b)| {
                let x = b
                    .windows(32)
                    .flat_map(|w| {
                        w.iter()
                            .zip(pad.iter())
                            .map(|(a, b)| a ^ b)
                            .collect::<Vec<u8>>()
                    })
                    .collect();
                (p.clone(), x)
            })
            .collect();
        // each window was expanded to its own 32 bytes: scan those chunks only
        for (_, bytes) in &unmasked {
            for chunk in bytes.chunks_exact(32) {
                let w: [u8; 32] = chunk.try_into().unwrap();
                if let Some(x) = Option::<Scalar>::from(Scalar::from_canonical_bytes(w)) {
                    if publics.contains(&(&x * RISTRETTO_BASEPOINT_TABLE).compress().to_bytes()) {
                        found.insert(w);
                    }
                }
            }
        }
    }
    found
}

/// The adjacency attack: for each voter, the option whose label lies nearest (in bytes, in the same
/// file) to an occurrence of the voter's id. Returns how many guesses were right.
fn adjacency_hits(files: &[(PathBuf, Vec<u8>)], casts: &[([u8; 16], usize)]) -> usize {
    let positions = |needle: &[u8], hay: &[u8]| -> Vec<usize> {
        hay.windows(needle.len())
            .enumerate()
            .filter(|(_, w)| *w == needle)
            .map(|(i, _)| i)
            .collect()
    };
    let mut hits = 0;
    for (voter, truth) in casts {
        let mut best: Option<(usize, usize)> = None; // (distance, option)
        for (_, bytes) in files {
            let at_voter = positions(voter, bytes);
            if at_voter.is_empty() {
                continue;
            }
            for (o, label) in OPTIONS.iter().enumerate() {
                for p in positions(label.as_bytes(), bytes) {
                    for v in &at_voter {
                        let d = p.abs_diff(*v);
                        if best.is_none_or(|(bd, _)| d < bd) {
                            best = Some((d, o));
                        }
                    }
                }
            }
        }
        if best.map(|(_, o)| o) == Some(*truth) {
            hits += 1;
        }
    }
    hits
}

/// A copy of the data directory, taken now.
fn copy_of(l: &Ledger) -> Vec<(PathBuf, Vec<u8>)> {
    let copy = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("cp")
        .arg("-a")
        .arg(l.dir())
        .arg(copy.path().join("data"))
        .status()
        .unwrap();
    assert!(status.success());
    stolen_files(&copy.path().join("data"))
}

/// The election key and the tellers' public keys, from the ledger's export.
fn public_keys(l: &Ledger) -> HashSet<[u8; 32]> {
    let mut keys = HashSet::new();
    for line in l.ok(&["export"]).lines() {
        let e: Value = serde_json::from_str(line).unwrap();
        if e["kind"] == "ballot.election-key-published" {
            let published = &e["event"]["Ballot"]["ElectionKeyPublished"];
            let bytes = |v: &Value| -> [u8; 32] {
                let b: Vec<u8> = serde_json::from_value(v.clone()).unwrap();
                b.try_into().unwrap()
            };
            keys.insert(bytes(&published["key"]));
            for t in published["tellers"].as_array().unwrap() {
                keys.insert(bytes(&t["key"]["public"]));
            }
        }
    }
    keys
}

/// Opens a secret ballot of 30 voters over three options and casts a known choice for each; returns
/// the ballot and each cast's voter id (as stored) with its true option.
fn cast_thirty(l: &Ledger, tellers: &[String], out: &str) -> (String, Vec<([u8; 16], usize)>) {
    let voters: Vec<String> = (0..VOTERS)
        .map(|i| l.create(&["person", "add", "--name", &format!("Resident {i}")]))
        .collect();
    let mut args = vec![
        "ballot",
        "open",
        "--question",
        "Replace the property company?",
    ];
    for o in OPTIONS {
        args.extend(["--option", o]);
    }
    args.extend(["--quorum", "1/2", "--threshold", "majority", "--secret"]);
    for v in &voters {
        args.extend(["--voter", v.as_str()]);
    }
    for t in tellers {
        args.extend(["--teller", t.as_str()]);
    }
    if !tellers.is_empty() {
        args.extend(["--share-out", out]);
    }
    let bal = l.create(&args);
    // choices from a fixed linear congruential sequence: known to the test, not to the attacker
    let mut s: u64 = 0x2015_0302;
    let mut truth = Vec::new();
    for v in &voters {
        s = s
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let choice = ((s >> 33) % OPTIONS.len() as u64) as usize;
        l.json(&[
            "ballot",
            "cast",
            &bal,
            "--voter",
            v,
            "--choice",
            OPTIONS[choice],
        ]);
        truth.push(choice);
    }
    let mut casts = Vec::new();
    let mut n = 0;
    for line in l.ok(&["export"]).lines() {
        let e: Value = serde_json::from_str(line).unwrap();
        if e["kind"] == "ballot.encrypted-cast" {
            let voter = e["event"]["Ballot"]["EncryptedBallotCast"]["voter"]
                .as_str()
                .unwrap();
            let id = uuid::Uuid::parse_str(voter).unwrap();
            casts.push((*id.as_bytes(), truth[n]));
            n += 1;
        }
    }
    assert_eq!(casts.len(), VOTERS);
    (bal, casts)
}

/// Right guesses a guesser without information gets: the mean plus three standard deviations.
fn chance_bound() -> usize {
    let n = VOTERS as f64;
    let p = 1.0 / OPTIONS.len() as f64;
    (n * p + 3.0 * (n * p * (1.0 - p)).sqrt()).floor() as usize
}

#[test]
fn a_copy_of_the_data_directory_unmasks_no_vote_before_or_after_the_close() {
    // given a secret ballot with two tellers whose shares are kept outside the data directory
    let l = Ledger::new();
    let tellers: Vec<String> = ["Teller A", "Teller B"]
        .iter()
        .map(|n| l.create(&["person", "add", "--name", n]))
        .collect();
    let keep = tempfile::tempdir().unwrap();
    let out = keep.path().to_str().unwrap().to_owned();
    let (bal, casts) = cast_thirty(&l, &tellers, &out);
    let publics = public_keys(&l);
    assert_eq!(publics.len(), 3, "the election key and two tellers' keys");
    // the scanner works: it finds both shares in the tellers' own files
    let share_files = stolen_files(keep.path());
    assert_eq!(secret_keys_in(&share_files, &publics).len(), 2);

    // when an attacker copies the data directory before the close
    let before = copy_of(&l);
    // then no key to any vote is in it, and pairing casts with options is no better than chance
    assert!(secret_keys_in(&before, &publics).is_empty());
    let hits = adjacency_hits(&before, &casts);
    assert!(
        hits <= chance_bound(),
        "{hits} of {VOTERS} recovered before the close"
    );

    // when the tellers close the ballot and the attacker copies the directory again
    l.json(&["ballot", "close", &bal]);
    let mut parts = Vec::new();
    for (i, share) in share_files.iter().enumerate() {
        let part = keep.path().join(format!("part-{i}.json"));
        l.json(&[
            "ballot",
            "decrypt-share",
            &bal,
            "--share",
            share.0.to_str().unwrap(),
            "--output",
            part.to_str().unwrap(),
        ]);
        parts.push(part);
    }
    let mut close = vec!["ballot", "close", bal.as_str()];
    for p in &parts {
        close.extend(["--part", p.to_str().unwrap()]);
    }
    l.json(&close);
    assert_eq!(l.json(&["ballot", "show", &bal])["status"], "closed");
    let after = copy_of(&l);
    // then it still holds no key, and the pairing still recovers no more than chance
    assert!(secret_keys_in(&after, &publics).is_empty());
    let hits = adjacency_hits(&after, &casts);
    assert!(
        hits <= chance_bound(),
        "{hits} of {VOTERS} recovered after the close"
    );
}

#[test]
fn the_ledger_held_share_leaves_the_data_directory_at_the_close() {
    // given a secret ballot with no tellers: the ledger holds the one share until the close
    let l = Ledger::new();
    let (bal, _) = cast_thirty(&l, &[], "");
    let publics = public_keys(&l);
    // before the close, a copy of the directory holds it, masked by a pad kept beside it (README
    // says so: the operator could decrypt single votes until the close)
    let before = copy_of(&l);
    assert!(secret_keys_in(&before, &publics).is_empty());
    assert_eq!(padded_keys_in(&before, &publics).len(), 1);
    // when the ballot closes, then a copy taken afterwards holds it no more, in any form: sled still
    // has the masked share in its files, but the pad is destroyed
    l.json(&["ballot", "close", &bal]);
    assert_eq!(l.json(&["ballot", "show", &bal])["status"], "closed");
    let after = copy_of(&l);
    assert!(secret_keys_in(&after, &publics).is_empty());
    assert!(padded_keys_in(&after, &publics).is_empty());
}
