//! `delib bench ballot`: the cost of an encrypted ballot (`delib-election`) at the size of a
//! residents' assembly or a whole community: casting (encrypt and prove), verifying every cast, and
//! closing (aggregate, every teller's partial decryption with proofs, their check, the counts). The
//! baseline in the same run is bare ElGamal encryption of the same votes, without proofs, so the
//! ratio is what the proofs cost.

use delib_election::{Scope, TellerSecret};
use delib_events::election::{EncryptedVote, TellerKey};
use rand_core::OsRng;
use serde::Serialize;
use std::time::Instant;

/// What `bench ballot` prints.
#[derive(Debug, Clone, Serialize)]
pub struct BallotBench {
    /// Voters who cast.
    pub voters: u64,
    /// Options on the ballot.
    pub options: u64,
    /// Tellers.
    pub tellers: u64,
    /// Mean time of one cast (encrypt and prove), in milliseconds.
    pub cast_ms_mean: f64,
    /// 99th percentile of one cast, in milliseconds.
    pub cast_ms_p99: f64,
    /// Verifying every cast's proofs, in seconds.
    pub verify_all_s: f64,
    /// Closing: aggregate, partial decryptions with proofs, their check, counts, in seconds.
    pub close_s: f64,
    /// Baseline: mean time of one bare encryption of a vote (no proofs), in milliseconds.
    pub baseline_encrypt_ms_mean: f64,
    /// `cast_ms_mean / baseline_encrypt_ms_mean`: what the proofs cost.
    pub ratio: f64,
    /// Whether the decrypted counts equal the votes cast.
    pub counts_exact: bool,
}

/// Runs the benchmark.
///
/// # Errors
/// A failure of the election code (which would be a bug).
pub fn run(voters: u64, options: u64, tellers: u64) -> Result<BallotBench, String> {
    use curve25519_dalek::constants::{
        RISTRETTO_BASEPOINT_POINT as GP, RISTRETTO_BASEPOINT_TABLE as G,
    };
    use curve25519_dalek::ristretto::CompressedRistretto;
    use curve25519_dalek::scalar::Scalar;
    let options = options.max(2) as usize;
    let scope = Scope {
        ledger: "delib.bench/ballot",
        ballot: [1; 16],
    };
    let (secrets, keys): (Vec<TellerSecret>, Vec<TellerKey>) = (0..tellers.max(1) as usize)
        .map(|i| delib_election::teller_keygen(&mut OsRng, &scope, i))
        .unzip();
    let key = delib_election::election_key(&scope, &keys).map_err(|e| e.to_string())?;
    let voter = |n: u64| {
        let mut v = [0u8; 16];
        v[..8].copy_from_slice(&n.to_be_bytes());
        v
    };
    let choice = |n: u64| (n as usize * 7 + 3) % options;

    // Baseline: bare ElGamal, the same number of ciphertexts, no proofs.
    let h = CompressedRistretto(key).decompress().ok_or("bad key")?;
    let t = Instant::now();
    for n in 0..voters {
        for j in 0..options {
            let r = Scalar::random(&mut OsRng);
            let m = if j == choice(n) {
                GP
            } else {
                Default::default()
            };
            std::hint::black_box(((&r * G).compress(), (r * h + m).compress()));
        }
    }
    let baseline_encrypt_ms_mean = t.elapsed().as_secs_f64() * 1e3 / voters.max(1) as f64;

    let mut votes: Vec<EncryptedVote> = Vec::with_capacity(voters as usize);
    let mut times = Vec::with_capacity(voters as usize);
    for n in 0..voters {
        let t = Instant::now();
        let v =
            delib_election::encrypt_vote(&mut OsRng, &scope, &key, &voter(n), options, choice(n))
                .map_err(|e| e.to_string())?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
        votes.push(v);
    }
    let t = Instant::now();
    for (n, v) in votes.iter().enumerate() {
        delib_election::verify_vote(&scope, &key, &voter(n as u64), options, v)
            .map_err(|e| e.to_string())?;
    }
    let verify_all_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let aggregates = delib_election::aggregate(options, &votes).map_err(|e| e.to_string())?;
    let partials: Vec<_> = secrets
        .iter()
        .enumerate()
        .map(|(i, s)| delib_election::partial_decrypt(&mut OsRng, &scope, &key, i, s, &aggregates))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    for (p, k) in partials.iter().zip(&keys) {
        delib_election::verify_partial(&scope, &key, k, &aggregates, p)
            .map_err(|e| e.to_string())?;
    }
    let counts =
        delib_election::combine(&aggregates, &partials, voters).map_err(|e| e.to_string())?;
    let close_s = t.elapsed().as_secs_f64();
    let expected: Vec<u64> = (0..options)
        .map(|j| (0..voters).filter(|n| choice(*n) == j).count() as u64)
        .collect();

    let cast_ms_mean = times.iter().sum::<f64>() / times.len().max(1) as f64;
    times.sort_by(f64::total_cmp);
    let cast_ms_p99 = times
        .get(((times.len() as f64) * 0.99) as usize)
        .or(times.last())
        .copied()
        .unwrap_or(0.0);
    Ok(BallotBench {
        voters,
        options: options as u64,
        tellers: keys.len() as u64,
        cast_ms_mean,
        cast_ms_p99,
        verify_all_s,
        close_s,
        baseline_encrypt_ms_mean,
        ratio: cast_ms_mean / baseline_encrypt_ms_mean.max(f64::MIN_POSITIVE),
        counts_exact: counts == expected,
    })
}
