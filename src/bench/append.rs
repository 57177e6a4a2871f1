//! `delib bench append`: durable appends from W concurrent writers through the real store, against raw
//! sled writing the same record bytes, one key each, on one tree, in batches of W with flush + fsync per
//! batch (W = 1: one insert + flush + fsync per event).

use super::{per_second, BenchReport};
use crate::clock::SystemClock;
use crate::store::{
    AppendRequest, EventStore, ExpectedVersion, NewEvent, SledStore, StoreError, StoreOptions,
};
use delib_events::{
    CommandId, Event, Position, StreamId, StreamKind, StreamVersion, TestEvent, Timestamp,
};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// Runs the benchmark in temporary directories under `base` (the system temp dir if `None`).
///
/// # Errors
/// Storage failures.
pub fn run(events: u64, writers: u64, base: Option<&Path>) -> Result<BenchReport, StoreError> {
    let writers = writers.max(1);
    let tmp = match base {
        Some(b) => tempfile::Builder::new()
            .prefix("delib-bench-")
            .tempdir_in(b)?,
        None => tempfile::Builder::new().prefix("delib-bench-").tempdir()?,
    };
    let store_dir = tmp.path().join("store");
    let raw_dir = tmp.path().join("raw");

    let (seconds, records) = run_store(&store_dir, events, writers)?;
    let baseline_seconds = run_raw_sled(&raw_dir, &records, writers)?;
    let events_per_s = per_second(events, seconds);
    let baseline_events_per_s = per_second(events, baseline_seconds);
    Ok(BenchReport {
        bench: "append",
        events,
        writers,
        seconds,
        events_per_s,
        baseline_seconds,
        baseline_events_per_s,
        ratio: if baseline_events_per_s > 0.0 {
            events_per_s / baseline_events_per_s
        } else {
            0.0
        },
        baseline:
            "raw sled: same record bytes, one key each, batches of W, flush + fsync per batch",
    })
}

fn run_store(dir: &Path, events: u64, writers: u64) -> Result<(f64, Vec<Vec<u8>>), StoreError> {
    let options = StoreOptions {
        create: true,
        clock: Arc::new(SystemClock),
        ..StoreOptions::default()
    };
    let store = Arc::new(SledStore::open(dir, options)?);
    let seconds = fill(&store, events, writers, 1)?;
    let (groups, requests) = store.group_stats();
    tracing::info!(
        groups,
        requests,
        avg_group = requests as f64 / groups.max(1) as f64,
        "group commit"
    );
    let records = store
        .read_raw(Position::new(1), usize::MAX)?
        .into_iter()
        .map(|(_, bytes)| bytes)
        .collect();
    Ok((seconds, records))
}

/// Appends `events` test events from `writers` concurrent tasks, `per_request` events per append,
/// each writer on its own stream with exact expected versions. Returns the wall time in seconds.
///
/// # Errors
/// The first append failure.
pub fn fill(
    store: &Arc<SledStore>,
    events: u64,
    writers: u64,
    per_request: u64,
) -> Result<f64, StoreError> {
    let writers = writers.max(1);
    let per_request = per_request.max(1);
    let runtime = tokio::runtime::Runtime::new()?;
    let start = Instant::now();
    let failures = runtime.block_on(async {
        let mut tasks = Vec::new();
        for w in 0..writers {
            let n = events / writers + u64::from(w < events % writers);
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let stream = StreamId::from_uuid(uuid::Uuid::now_v7());
                let mut version = 0u64;
                while version < n {
                    let k = per_request.min(n - version);
                    let batch = (version..version + k)
                        .map(|seq| {
                            let text = format!(
                                "bench writer {w} event {seq}: a resident proposal about parking"
                            );
                            NewEvent::new(
                                Event::Test(TestEvent::TestNoted { text, seq }),
                                Timestamp::from_micros(0),
                            )
                        })
                        .collect();
                    let expected = if version == 0 {
                        ExpectedVersion::NoStream
                    } else {
                        ExpectedVersion::Exact(StreamVersion::new(version))
                    };
                    let request = AppendRequest::single(
                        CommandId::from_uuid(uuid::Uuid::now_v7()),
                        stream,
                        StreamKind::Test,
                        expected,
                        batch,
                    );
                    if let Err(e) = store.append(request).await {
                        return Err(e.to_string());
                    }
                    version += k;
                }
                Ok(())
            }));
        }
        let mut failures = Vec::new();
        for t in tasks {
            match t.await {
                Ok(Ok(())) => {}
                Ok(Err(e)) => failures.push(e),
                Err(e) => failures.push(e.to_string()),
            }
        }
        failures
    });
    let seconds = start.elapsed().as_secs_f64();
    match failures.first() {
        Some(f) => Err(StoreError::Io(std::io::Error::other(format!(
            "bench append failed: {f}"
        )))),
        None => Ok(seconds),
    }
}

fn run_raw_sled(dir: &Path, records: &[Vec<u8>], writers: u64) -> Result<f64, StoreError> {
    let db = sled::Config::new()
        .path(dir)
        .cache_capacity(StoreOptions::default().cache_bytes)
        .mode(sled::Mode::HighThroughput)
        .open()?;
    let db_file = std::fs::File::open(dir.join("db"))?;
    let start = Instant::now();
    let group = usize::try_from(writers).unwrap_or(usize::MAX);
    for (chunk_index, chunk) in records.chunks(group).enumerate() {
        if group == 1 {
            let key = (chunk_index as u64 + 1).to_be_bytes();
            db.insert(key, chunk[0].as_slice())?;
        } else {
            let mut batch = sled::Batch::default();
            for (i, bytes) in chunk.iter().enumerate() {
                let key = ((chunk_index * group + i) as u64 + 1).to_be_bytes();
                batch.insert(&key[..], bytes.as_slice());
            }
            db.apply_batch(batch)?;
        }
        db.flush()?;
        db_file.sync_all()?;
    }
    Ok(start.elapsed().as_secs_f64())
}
