//! `delib bench proof`: the cost of the Merkle tree. Appends N events twice in the same run, with the
//! tree maintained and without it (the baseline), then times inclusion and consistency proofs drawn at
//! random over the full ledger, verifying each one.

use super::append::fill;
use crate::audit::merkle::{verify_consistency, verify_inclusion, HashSource};
use crate::clock::SystemClock;
use crate::store::{SledStore, StoreError, StoreOptions};
use serde::Serialize;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// What `bench proof` prints.
#[derive(Debug, Clone, Serialize)]
pub struct ProofReport {
    /// Which benchmark.
    pub bench: &'static str,
    /// Events in the ledger.
    pub events: u64,
    /// Appending time with the tree maintained.
    pub seconds: f64,
    /// Throughput with the tree maintained.
    pub events_per_s: f64,
    /// Throughput without the tree (same run, same workload).
    pub baseline_events_per_s: f64,
    /// `events_per_s / baseline_events_per_s`; the tree's overhead is `1 - ratio`.
    pub ratio: f64,
    /// Proofs timed of each kind.
    pub proofs: usize,
    /// Inclusion proof generation, milliseconds: median, 99th percentile, worst.
    pub inclusion_ms: Percentiles,
    /// Consistency proof generation, milliseconds.
    pub consistency_ms: Percentiles,
    /// Merkle nodes stored.
    pub stored_nodes: usize,
}

/// Median, 99th percentile and maximum.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Percentiles {
    /// Median.
    pub p50: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Worst.
    pub max: f64,
}

impl Percentiles {
    /// From unsorted samples.
    pub fn of(mut samples: Vec<f64>) -> Self {
        samples.sort_by(f64::total_cmp);
        let at = |q: f64| {
            samples
                .get(((samples.len() as f64 - 1.0) * q).round() as usize)
                .copied()
                .unwrap_or(0.0)
        };
        Self {
            p50: at(0.5),
            p99: at(0.99),
            max: at(1.0),
        }
    }
}

impl ProofReport {
    /// A human-readable summary.
    pub fn human(&self) -> String {
        format!(
            "proof: {} events\n  append with tree:    {:>10.0} events/s\n  append without tree: {:>10.0} events/s\n  ratio: {:.3}\n  inclusion proof ms:   p50 {:.3}  p99 {:.3}  max {:.3}\n  consistency proof ms: p50 {:.3}  p99 {:.3}  max {:.3}\n  stored nodes: {}",
            self.events, self.events_per_s, self.baseline_events_per_s, self.ratio,
            self.inclusion_ms.p50, self.inclusion_ms.p99, self.inclusion_ms.max,
            self.consistency_ms.p50, self.consistency_ms.p99, self.consistency_ms.max, self.stored_nodes
        )
    }
}

/// Runs the benchmark in temporary directories under `base`.
///
/// # Errors
/// Storage failures, or a proof that does not verify.
pub fn run(events: u64, writers: u64, base: Option<&Path>) -> Result<ProofReport, StoreError> {
    let tmp = match base {
        Some(b) => tempfile::Builder::new()
            .prefix("delib-bench-")
            .tempdir_in(b)?,
        None => tempfile::Builder::new().prefix("delib-bench-").tempdir()?,
    };
    // Many events per append so that a million events take seconds, not an fsync each.
    let per_request = 256;
    let open = |name: &str, merkle: bool| {
        let options = StoreOptions {
            create: true,
            merkle,
            clock: Arc::new(SystemClock),
            ..StoreOptions::default()
        };
        SledStore::open(&tmp.path().join(name), options).map(Arc::new)
    };
    let without = open("without-tree", false)?;
    let baseline_seconds = fill(&without, events, writers, per_request)?;
    drop(without);
    let with = open("with-tree", true)?;
    let seconds = fill(&with, events, writers, per_request)?;

    let size = events;
    let root = with.merkle_root(size)?;
    let source = with.hash_source();
    let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    // Let sled's background work from the fill settle, and warm the caches, so that the timings are
    // of proofs, not of the fill's tail.
    with.db().flush()?;
    std::thread::sleep(std::time::Duration::from_millis(500));
    for _ in 0..200 {
        let index = next() % size;
        std::hint::black_box(with.inclusion_proof(index, size)?);
    }
    let proofs = 1000;
    let mut inclusion = Vec::with_capacity(proofs);
    let mut consistency = Vec::with_capacity(proofs);
    for _ in 0..proofs {
        let index = next() % size;
        let t = Instant::now();
        let proof = with.inclusion_proof(index, size)?;
        inclusion.push(t.elapsed().as_secs_f64() * 1e3);
        let leaf = source.leaf_hash(index)?;
        verify_inclusion(index, size, &leaf, &proof, &root).map_err(invalid)?;

        let old = 1 + next() % size;
        let t = Instant::now();
        let proof = with.consistency_proof(old, size)?;
        consistency.push(t.elapsed().as_secs_f64() * 1e3);
        let old_root = with.merkle_root(old)?;
        verify_consistency(old, size, &old_root, &root, &proof).map_err(invalid)?;
    }
    let events_per_s = super::per_second(events, seconds);
    let baseline_events_per_s = super::per_second(events, baseline_seconds);
    Ok(ProofReport {
        bench: "proof",
        events,
        seconds,
        events_per_s,
        baseline_events_per_s,
        ratio: if baseline_events_per_s > 0.0 {
            events_per_s / baseline_events_per_s
        } else {
            0.0
        },
        proofs,
        inclusion_ms: Percentiles::of(inclusion),
        consistency_ms: Percentiles::of(consistency),
        stored_nodes: with.stored_tree_nodes()?.len(),
    })
}

fn invalid(e: impl std::fmt::Display) -> StoreError {
    StoreError::Io(std::io::Error::other(format!(
        "a generated proof did not verify: {e}"
    )))
}
