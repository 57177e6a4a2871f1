//! `delib bench ...`: benchmarks that time delib against a baseline in the same run and report the
//! ratio. Results are recorded in `BENCHMARKS.md` with the command that made them.

pub mod append;
pub mod ballot;
pub mod proof;
pub mod publish;
pub mod rebuild;
pub mod scale;
pub mod serve;

use serde::Serialize;

/// What every benchmark prints (CLI.md fields plus details).
#[derive(Debug, Clone, Serialize)]
pub struct BenchReport {
    /// Which benchmark.
    pub bench: &'static str,
    /// Events processed.
    pub events: u64,
    /// Concurrent writers, where relevant.
    pub writers: u64,
    /// Wall time of delib's run.
    pub seconds: f64,
    /// delib's throughput.
    pub events_per_s: f64,
    /// Wall time of the baseline.
    pub baseline_seconds: f64,
    /// The baseline's throughput.
    pub baseline_events_per_s: f64,
    /// `events_per_s / baseline_events_per_s`.
    pub ratio: f64,
    /// What the baseline is.
    pub baseline: &'static str,
}

impl BenchReport {
    /// A human-readable summary.
    pub fn human(&self) -> String {
        format!(
            "{}: {} events, {} writers\n  delib:    {:>12.0} events/s ({:.2} s)\n  baseline: {:>12.0} events/s ({:.2} s) [{}]\n  ratio:    {:.3}",
            self.bench,
            self.events,
            self.writers,
            self.events_per_s,
            self.seconds,
            self.baseline_events_per_s,
            self.baseline_seconds,
            self.baseline,
            self.ratio
        )
    }
}

pub(crate) fn per_second(events: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        events as f64 / seconds
    } else {
        0.0
    }
}
