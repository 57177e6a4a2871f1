//! `delib bench rebuild`: rebuilding every projection from position 1, against a raw scan-and-decode
//! of the same events in the same run; and `delib bench replay`: one dispute's timeline read from a
//! small and a large ledger, to show it costs the same.

use super::per_second;
use crate::clock::SystemClock;
use crate::projection_store::ProjectionStore;
use crate::store::{
    AppendRequest, EventStore, ExpectedVersion, NewEvent, SledStore, StoreError, StoreOptions,
};
use delib_events::samples::every_variant;
use delib_events::{CommandId, Event, Position, StreamId, StreamKind, StreamVersion, Timestamp};
use delib_projections::timeline::timeline;
use delib_projections::Directory;
use serde::Serialize;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// What `bench rebuild` prints.
#[derive(Debug, Clone, Serialize)]
pub struct RebuildReport {
    /// Which benchmark.
    pub bench: &'static str,
    /// Events in the ledger.
    pub events: u64,
    /// Time to rebuild all six projections.
    pub seconds: f64,
    /// Rebuild throughput.
    pub events_per_s: f64,
    /// Time of the baseline: read and decode every event.
    pub baseline_seconds: f64,
    /// Baseline throughput.
    pub baseline_events_per_s: f64,
    /// `events_per_s / baseline_events_per_s`.
    pub ratio: f64,
}

fn kind_of(e: &Event) -> StreamKind {
    match e {
        Event::Ledger(_) => StreamKind::Ledger,
        Event::Test(_) => StreamKind::Test,
        Event::Registry(_) => StreamKind::Registry,
        Event::Organisation(_) => StreamKind::Organisation,
        Event::Person(_) => StreamKind::Person,
        Event::Proposal(_) | Event::Pledge(_) | Event::Correction(_) | Event::Document(_) => {
            StreamKind::Proposal
        }
        Event::Hearing(_) => StreamKind::Hearing,
        Event::Consultation(_) => StreamKind::Consultation,
        Event::Ballot(_) => StreamKind::Ballot,
        Event::Dispute(_) => StreamKind::Dispute,
    }
}

/// Appends `events` domain events (every variant in turn, on a few hundred streams), 512 per append.
fn fill_domain(store: &SledStore, events: u64) -> Result<(), StoreError> {
    let variants = every_variant();
    let mut written = 0u64;
    let mut t = 1_600_000_000_000_000i64;
    while written < events {
        let n = (events - written).min(512);
        let first = &variants[(written % variants.len() as u64) as usize];
        let kind = kind_of(first);
        let stream = StreamId::from_uuid(uuid::Uuid::from_u128(
            0xB000_0000 + (kind as u128) * 1000 + u128::from(written / 512 % 50),
        ));
        let batch = (0..n)
            .map(|k| {
                t += 60_000_000;
                let e = variants[((written + k) % variants.len() as u64) as usize].clone();
                NewEvent::new(e, Timestamp::from_micros(t))
            })
            .collect();
        store
            .append_blocking(AppendRequest::single(
                CommandId::from_uuid(uuid::Uuid::now_v7()),
                stream,
                kind,
                ExpectedVersion::Any,
                batch,
            ))
            .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))?;
        written += n;
    }
    Ok(())
}

fn temp(base: Option<&Path>) -> Result<tempfile::TempDir, StoreError> {
    Ok(match base {
        Some(b) => tempfile::Builder::new()
            .prefix("delib-bench-")
            .tempdir_in(b)?,
        None => tempfile::Builder::new().prefix("delib-bench-").tempdir()?,
    })
}

fn open(dir: &Path) -> Result<SledStore, StoreError> {
    SledStore::open(
        dir,
        StoreOptions {
            create: true,
            clock: Arc::new(SystemClock),
            ..StoreOptions::default()
        },
    )
}

/// Reads and decodes every event; returns how many.
fn scan(store: &SledStore, events: u64) -> Result<u64, StoreError> {
    let mut decoded = 0u64;
    let mut next = 1u64;
    while next <= events {
        let page = store.read_all(Position::new(next), 8192)?;
        let Some(last) = page.last().map(|e| e.position().get()) else {
            break;
        };
        decoded += page.len() as u64;
        next = last + 1;
    }
    Ok(decoded)
}

/// Runs `bench rebuild`.
///
/// # Errors
/// Storage failures.
pub fn run(events: u64, base: Option<&Path>) -> Result<RebuildReport, StoreError> {
    let tmp = temp(base)?;
    let store = open(tmp.path())?;
    fill_domain(&store, events)?;

    // Warm the cache once so that neither run pays for the other's first reads.
    scan(&store, events)?;
    let start = Instant::now();
    let decoded = scan(&store, events)?;
    let baseline_seconds = start.elapsed().as_secs_f64();

    let start = Instant::now();
    ProjectionStore::open(&store)?.rebuild(&[], |_, _| {})?;
    let seconds = start.elapsed().as_secs_f64();
    let (events_per_s, baseline_events_per_s) = (
        per_second(events, seconds),
        per_second(decoded, baseline_seconds),
    );
    Ok(RebuildReport {
        bench: "rebuild",
        events,
        seconds,
        events_per_s,
        baseline_seconds,
        baseline_events_per_s,
        ratio: if baseline_events_per_s > 0.0 {
            events_per_s / baseline_events_per_s
        } else {
            0.0
        },
    })
}

/// What `bench replay` prints.
#[derive(Debug, Clone, Serialize)]
pub struct ReplayReport {
    /// Which benchmark.
    pub bench: &'static str,
    /// Events in the large ledger.
    pub events: u64,
    /// Events in the small ledger.
    pub small_events: u64,
    /// Microseconds to read and fold one dispute's timeline in the small ledger (median of 200).
    pub small_us: f64,
    /// The same in the large ledger.
    pub large_us: f64,
    /// `large_us / small_us`: about 1 when the cost does not depend on the ledger's size.
    pub ratio: f64,
    /// Seconds spent on the 200 timed reads in the large ledger.
    pub seconds: f64,
    /// The dispute's events read and folded per second in the large ledger.
    pub events_per_s: f64,
    /// The same in the small ledger (the baseline).
    pub baseline_events_per_s: f64,
}

/// Builds a ledger of `events` events with one dispute of 8 steps spread through it; returns the
/// store and the dispute.
fn ledger_with_dispute(dir: &Path, events: u64) -> Result<(SledStore, StreamId), StoreError> {
    use delib_events::dispute::{DisputeEvent, MediationOutcome};
    let store = open(dir)?;
    let dispute = StreamId::from_uuid(uuid::Uuid::now_v7());
    let samples: Vec<Event> = every_variant()
        .into_iter()
        .filter(|e| matches!(e, Event::Dispute(_)))
        .collect();
    let filed = samples
        .first()
        .cloned()
        .ok_or_else(|| StoreError::Io(std::io::Error::other("no dispute sample")))?;
    let step = |e: Event, at: i64| {
        store
            .append_blocking(AppendRequest::single(
                CommandId::from_uuid(uuid::Uuid::now_v7()),
                dispute,
                StreamKind::Dispute,
                ExpectedVersion::Any,
                vec![NewEvent::new(e, Timestamp::from_micros(at))],
            ))
            .map_err(|e| StoreError::Io(std::io::Error::other(e.to_string())))
    };
    let day = 86_400_000_000i64;
    step(filed, 1_600_000_000_000_000)?;
    for i in 0..7u64 {
        fill_domain(&store, events.saturating_sub(8) / 7)?;
        let by = delib_events::OrgId::new(StreamId::from_uuid(uuid::Uuid::from_u128(0x2001)));
        let e = Event::Dispute(DisputeEvent::MediationAttempted {
            by,
            outcome: MediationOutcome::Failed,
            note: None,
        });
        step(e, 1_600_000_000_000_000 + (i as i64 + 1) * 30 * day)?;
    }
    Ok((store, dispute))
}

/// Median microseconds of one timeline read (stream read + fold), over 200 reads.
fn time_timeline(store: &SledStore, dispute: StreamId) -> Result<f64, StoreError> {
    let dir = Directory::default();
    let mut samples = Vec::with_capacity(200);
    for _ in 0..200 {
        let start = Instant::now();
        let events = store.read_stream(dispute, StreamVersion::new(1))?;
        let t = timeline(&events, None, None, &dir);
        std::hint::black_box(t);
        samples.push(start.elapsed().as_secs_f64() * 1e6);
    }
    samples.sort_by(f64::total_cmp);
    Ok(samples[samples.len() / 2])
}

/// Runs `bench replay`.
///
/// # Errors
/// Storage failures.
pub fn replay(events: u64, base: Option<&Path>) -> Result<ReplayReport, StoreError> {
    let small_events = 1000;
    let tmp = temp(base)?;
    let (small, small_dispute) = ledger_with_dispute(&tmp.path().join("small"), small_events)?;
    let small_us = time_timeline(&small, small_dispute)?;
    drop(small);
    let (large, large_dispute) = ledger_with_dispute(&tmp.path().join("large"), events)?;
    let large_us = time_timeline(&large, large_dispute)?;
    let steps = large
        .read_stream(large_dispute, StreamVersion::new(1))?
        .len() as f64;
    let per_second = |us: f64| if us > 0.0 { steps * 1e6 / us } else { 0.0 };
    Ok(ReplayReport {
        bench: "replay",
        events: large.head().position.get(),
        small_events,
        small_us,
        large_us,
        ratio: if small_us > 0.0 {
            large_us / small_us
        } else {
            0.0
        },
        seconds: large_us * 200.0 / 1e6,
        events_per_s: per_second(large_us),
        baseline_events_per_s: per_second(small_us),
    })
}
