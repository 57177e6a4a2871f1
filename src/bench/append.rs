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
    let runtime = tokio::runtime::Runtime::new()?;
    let start = Instant::now();
    let failures = runtime.block_on(async {
        let mut tasks = Vec::new();
        for w in 0..writers {
            let n = events / writers + u64::from(w < events % writers);
            let store = store.clone();
            tasks.push(tokio::spawn(async move {
                let stream = StreamId::from_uuid(uuid::Uuid::now_v7());
                let mut version = StreamVersion::NONE;
                for seq in 0..n {
                    let text =
                        format!("bench writer {w} event {seq}: a resident proposal about parking");
                    let event = Event::Test(TestEvent::TestNoted { text, seq });
                    let expected = if seq == 0 {
                        ExpectedVersion::NoStream
                    } else {
                        ExpectedVersion::Exact(version)
                    };
                    let request = AppendRequest::single(
                        CommandId::from_uuid(uuid::Uuid::now_v7()),
                        stream,
                        StreamKind::Test,
                        expected,
                        vec![NewEvent::new(event, Timestamp::from_micros(0))],
                    );
                    if let Err(e) = store.append(request).await {
                        return Err(e.to_string());
                    }
                    version = StreamVersion::new(seq + 1);
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
    let (groups, requests) = store.group_stats();
    tracing::info!(
        groups,
        requests,
        avg_group = requests as f64 / groups.max(1) as f64,
        "group commit"
    );
    if let Some(f) = failures.first() {
        return Err(StoreError::Io(std::io::Error::other(format!(
            "bench append failed: {f}"
        ))));
    }
    let records = store
        .read_raw(Position::new(1), usize::MAX)?
        .into_iter()
        .map(|(_, bytes)| bytes)
        .collect();
    Ok((seconds, records))
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
