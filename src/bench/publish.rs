//! `delib bench publish`: publishing a ledger of `--events` events as tlog tiles (tiles written per
//! second) and a mirror catching up from the published directory (events verified per second), each
//! against a baseline in the same run: writing the records' bytes as files of 256 records with the
//! same temp+fsync+rename (for publishing), and reading and splitting those files without any
//! hashing (for the mirror). Then one more publish after 1,000 new events, to show it is incremental.

use super::per_second;
use crate::clock::SystemClock;
use crate::ledger::Ledger;
use crate::store::{AppendRequest, EventStore, ExpectedVersion, NewEvent};
use crate::tlog::client::DirFetch;
use crate::tlog::publish::write_atomically;
use crate::tlog::{mirror, publish, TlogError};
use delib_events::{CommandId, Event, Position, StreamId, StreamKind, TestEvent};
use serde::Serialize;
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

/// What `bench publish` prints.
#[derive(Debug, Clone, Serialize)]
pub struct PublishReport {
    /// Which benchmark.
    pub bench: &'static str,
    /// Events in the ledger.
    pub events: u64,
    /// Files (tiles and entry bundles) the first publish wrote.
    pub tiles: u64,
    /// Seconds of the first publish.
    pub publish_s: f64,
    /// Tiles written per second.
    pub tiles_per_s: f64,
    /// Seconds of the baseline: the same records written as 256-record files, temp+fsync+rename.
    pub baseline_publish_s: f64,
    /// Baseline files per second.
    pub baseline_files_per_s: f64,
    /// `publish_s / baseline_publish_s`.
    pub publish_ratio: f64,
    /// Seconds of the mirror's catch-up from the published directory (verify everything, stage,
    /// move into place).
    pub mirror_s: f64,
    /// Events the mirror verified per second.
    pub mirror_events_per_s: f64,
    /// Seconds of the baseline: read every bundle file and split it into entries, no hashing.
    pub baseline_mirror_s: f64,
    /// `mirror_s / baseline_mirror_s`.
    pub mirror_ratio: f64,
    /// Files written by a second publish after 1,000 more events.
    pub incremental_files: u64,
    /// Its seconds.
    pub incremental_s: f64,
}

impl PublishReport {
    /// A human-readable summary.
    #[must_use]
    pub fn human(&self) -> String {
        format!(
            "publish: {} events\n  publish: {} tiles in {:.2} s = {:.0} tiles/s; baseline (raw 256-record files): {:.2} s = {:.0} files/s; ratio {:.2}\n  mirror catch-up: {:.2} s = {:.0} events/s; baseline (read and split the bundles): {:.2} s; ratio {:.2}\n  incremental publish after 1,000 events: {} files in {:.3} s",
            self.events, self.tiles, self.publish_s, self.tiles_per_s, self.baseline_publish_s, self.baseline_files_per_s, self.publish_ratio,
            self.mirror_s, self.mirror_events_per_s, self.baseline_mirror_s, self.mirror_ratio,
            self.incremental_files, self.incremental_s
        )
    }
}

fn fill(ledger: &Ledger, events: u64) -> Result<(), TlogError> {
    let stream = StreamId::from_uuid(uuid::Uuid::from_u128(0xB11_0000));
    let mut written = 0u64;
    while written < events {
        let n = (events - written).min(1024);
        let batch = (0..n)
            .map(|k| {
                NewEvent::new(
                    Event::Test(TestEvent::TestNoted {
                        text: format!("bench note {}", written + k),
                        seq: written + k,
                    }),
                    ledger.clock().now(),
                )
            })
            .collect();
        ledger
            .store()
            .append_blocking(AppendRequest::single(
                CommandId::from_uuid(uuid::Uuid::now_v7()),
                stream,
                StreamKind::Test,
                ExpectedVersion::Any,
                batch,
            ))
            .map_err(|e| TlogError::Invalid(e.to_string()))?;
        written += n;
    }
    Ok(())
}

/// Runs the benchmark in temporary directories under `base`.
///
/// # Errors
/// Any failure of the ledger, the publication or the mirror.
pub fn run(events: u64, base: Option<&Path>) -> Result<PublishReport, TlogError> {
    let tmp = match base {
        Some(b) => tempfile::Builder::new()
            .prefix("delib-bench-")
            .tempdir_in(b),
        None => tempfile::Builder::new().prefix("delib-bench-").tempdir(),
    }
    .map_err(|e| TlogError::Invalid(e.to_string()))?;
    let data = tmp.path().join("ledger");
    let (ledger, _) = Ledger::init(&data, "bench", Arc::new(SystemClock))
        .map_err(|e| TlogError::Invalid(e.to_string()))?;
    fill(&ledger, events.saturating_sub(1))?;
    let size = ledger.store().head().position.get();

    // Baseline: the records' bytes into files of 256, same atomic write.
    let raw_dir = tmp.path().join("raw");
    let t = Instant::now();
    let mut next = 1u64;
    let mut files = 0u64;
    while next <= size {
        let page = ledger.store().read_raw(Position::new(next), 256)?;
        let mut bytes = Vec::new();
        for (_, r) in &page {
            bytes.extend_from_slice(r);
        }
        write_atomically(&raw_dir.join(format!("{files:06}")), &bytes)?;
        files += 1;
        next += page.len() as u64;
        if page.is_empty() {
            break;
        }
    }
    let baseline_publish_s = t.elapsed().as_secs_f64();

    let site = tmp.path().join("site");
    let t = Instant::now();
    let first = publish::publish(&ledger, &site)?;
    let publish_s = t.elapsed().as_secs_f64();

    // Baseline for the mirror: read and split every bundle, no hashing, nothing written.
    let t = Instant::now();
    let mut split = 0u64;
    for tile in crate::tlog::paths::tiles_for_size(size)
        .iter()
        .filter(|t| t.kind == crate::tlog::paths::TileKind::Entries)
    {
        let bytes = std::fs::read(site.join(tile.path())).map_err(TlogError::io(&site))?;
        split += crate::tlog::client::parse_bundle(tile, &bytes)?.len() as u64;
    }
    let baseline_mirror_s = t.elapsed().as_secs_f64();
    debug_assert_eq!(split, size);

    let key = crate::audit::keys::load(&data)
        .map_err(|e| TlogError::Invalid(e.to_string()))?
        .verifier()
        .to_string();
    let replica = tmp.path().join("mirror");
    let t = Instant::now();
    let mirrored = mirror::mirror(&DirFetch(site.clone()), &replica, Some(&key))?;
    let mirror_s = t.elapsed().as_secs_f64();
    if mirrored.size != size {
        return Err(TlogError::Invalid("the mirror did not catch up".into()));
    }

    fill(&ledger, 1000)?;
    let t = Instant::now();
    let second = publish::publish(&ledger, &site)?;
    let incremental_s = t.elapsed().as_secs_f64();

    Ok(PublishReport {
        bench: "publish",
        events: size,
        tiles: first.written,
        publish_s,
        tiles_per_s: per_second(first.written, publish_s),
        baseline_publish_s,
        baseline_files_per_s: per_second(files, baseline_publish_s),
        publish_ratio: publish_s / baseline_publish_s.max(f64::MIN_POSITIVE),
        mirror_s,
        mirror_events_per_s: per_second(size, mirror_s),
        baseline_mirror_s,
        mirror_ratio: mirror_s / baseline_mirror_s.max(f64::MIN_POSITIVE),
        incremental_files: second.written,
        incremental_s,
    })
}
