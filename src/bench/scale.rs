//! `delib bench scale`: does a command cost the same on a large ledger as on a small one?
//!
//! The same mix of commands goes over HTTP from `clients` concurrent clients, first on a ledger of
//! about 10,000 events, then on one of about `--events` events whose busiest entities (hearings) hold
//! 5,000 events each. Half the clients create proposals (a registry number each), half record
//! statements on the busiest hearings. Reported per ledger: throughput, p50/p99, and creations against
//! the other commands; across them, large/small throughput and p99 ratios. On the large ledger,
//! afterwards: every read command of `CLI.md`, human and `--json`, timed as a user runs it (a fresh
//! `delib` process), and disk use (the sled directory against the sum of the records' lengths).
//!
//! The ledgers are built fast: the entities through [`LedgerService::submit`], the bulk of statements
//! straight through the store's append, many events per request. With `--ledger-cache DIR` a built
//! ledger is kept there and reused by later runs (each run works on a copy).

use super::serve::percentile;
use crate::app::{LedgerService, Request};
use crate::clock::{Clock, SystemClock};
use crate::ledger::Ledger;
use crate::server::tokens::{Role, Tokens};
use crate::server::{self, State};
use crate::store::{AppendRequest, EventStore, ExpectedVersion, NewEvent, StoreError};
use delib_events::hearing::{HearingEvent, Stance};
use delib_events::{CommandId, Event, Position, RefKind, StreamKind, Timestamp};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Events the busiest entities of the large ledger hold.
pub const BUSIEST: u64 = 5_000;
/// Events in the small ledger.
pub const SMALL: u64 = 10_000;
/// Proposals created in each ledger before the load.
const PROPOSALS: u64 = 100;
/// Hearings the statement clients use (and the fewest a ledger has).
const MIN_HEARINGS: u64 = 32;
/// Events per store append while building.
const CHUNK: u64 = 250;

/// What `bench scale` takes.
#[derive(Debug, Clone)]
pub struct ScaleOptions {
    /// Events in the large ledger (about).
    pub events: u64,
    /// Concurrent HTTP clients.
    pub clients: u64,
    /// How long the load runs on each ledger.
    pub seconds: f64,
    /// Where built ledgers are kept and reused.
    pub ledger_cache: Option<PathBuf>,
    /// Where to make the run's temporary directory.
    pub dir: Option<PathBuf>,
    /// Skip the read commands (and the disk figures) on the large ledger.
    pub skip_reads: bool,
    /// Where to move the large ledger after the run (it must not exist), to time or profile reads
    /// on the ledger the load left.
    pub keep: Option<PathBuf>,
}

/// The load on one ledger.
#[derive(Debug, Clone, Serialize)]
pub struct LoadFigures {
    /// Events in the ledger when the load started.
    pub ledger_events: u64,
    /// Events of the busiest entity when the load started.
    pub busiest_entity_events: u64,
    /// Commands acknowledged.
    pub commands: u64,
    /// Requests that failed.
    pub errors: u64,
    /// Wall time of the load.
    pub seconds: f64,
    /// Acknowledged commands per second.
    pub commands_per_s: f64,
    /// Median latency, ms.
    pub p50_ms: f64,
    /// 99th percentile latency, ms.
    pub p99_ms: f64,
    /// Proposal creations per second (half the clients).
    pub creations_per_s: f64,
    /// Their p99, ms.
    pub creations_p99_ms: f64,
    /// Hearing statements per second (the other half).
    pub others_per_s: f64,
    /// Their p99, ms.
    pub others_p99_ms: f64,
    /// `creations_per_s / others_per_s`.
    pub creation_ratio: f64,
}

/// One read command, timed as a fresh process.
#[derive(Debug, Clone, Serialize)]
pub struct ReadTiming {
    /// The arguments after `delib --data DIR`.
    pub command: String,
    /// `human` or `json`.
    pub format: &'static str,
    /// Wall time of the process, ms.
    pub ms: f64,
    /// Whether it exited 0.
    pub ok: bool,
    /// Bytes it printed on stdout.
    pub stdout_bytes: u64,
}

/// Disk use of the large ledger after the load.
#[derive(Debug, Clone, Serialize)]
pub struct DiskFigures {
    /// Events in the ledger.
    pub events: u64,
    /// Sum of the stored records' lengths.
    pub record_bytes: u64,
    /// Disk used by the sled directory (`du`: allocated blocks).
    pub sled_bytes: u64,
    /// `sled_bytes / record_bytes`.
    pub ratio: f64,
}

/// What `bench scale` prints.
#[derive(Debug, Clone, Serialize)]
pub struct ScaleReport {
    /// Which benchmark.
    pub bench: &'static str,
    /// Concurrent HTTP clients.
    pub clients: u64,
    /// The small ledger (the baseline).
    pub small: LoadFigures,
    /// The large ledger.
    pub large: LoadFigures,
    /// `large.commands_per_s / small.commands_per_s` (target ≥ 0.8).
    pub throughput_ratio: f64,
    /// `large.p99_ms / small.p99_ms` (target ≤ 2).
    pub p99_ratio: f64,
    /// Read commands on the large ledger after the load (target: each < 300 ms).
    pub reads: Vec<ReadTiming>,
    /// The slowest of them, ms.
    pub slowest_read_ms: f64,
    /// Disk use of the large ledger (target ratio ≤ 4).
    pub disk: Option<DiskFigures>,
    /// Seconds spent building (0 when reused from the cache), small and large.
    pub build_seconds: (f64, f64),
}

impl ScaleReport {
    /// A human-readable summary.
    pub fn human(&self) -> String {
        let load = |name: &str, f: &LoadFigures| {
            format!(
                "  {name}: {} events (busiest entity {}): {:.0} commands/s, p50 {:.1} ms, p99 {:.1} ms, {} errors\n    creations {:.0}/s (p99 {:.1} ms), statements {:.0}/s (p99 {:.1} ms), ratio {:.2}",
                f.ledger_events, f.busiest_entity_events, f.commands_per_s, f.p50_ms, f.p99_ms,
                f.errors, f.creations_per_s, f.creations_p99_ms, f.others_per_s, f.others_p99_ms,
                f.creation_ratio
            )
        };
        let mut out = format!(
            "scale: {} clients\n{}\n{}\n  large/small: throughput {:.2} (target >= 0.8), p99 {:.2} (target <= 2)\n  build: {:.1} s small, {:.1} s large",
            self.clients,
            load("small", &self.small),
            load("large", &self.large),
            self.throughput_ratio,
            self.p99_ratio,
            self.build_seconds.0,
            self.build_seconds.1,
        );
        if !self.reads.is_empty() {
            out.push_str(&format!(
                "\n  reads on the large ledger (slowest {:.0} ms, target < 300):",
                self.slowest_read_ms
            ));
            for r in &self.reads {
                out.push_str(&format!(
                    "\n    {:>8.0} ms {:5} {}{} ({} bytes)",
                    r.ms,
                    r.format,
                    r.command,
                    if r.ok { "" } else { " FAILED" },
                    r.stdout_bytes
                ));
            }
        }
        if let Some(d) = &self.disk {
            out.push_str(&format!(
                "\n  disk: sled {} bytes for {} events of {} record bytes: ratio {:.2} (target <= 4)",
                d.sled_bytes, d.events, d.record_bytes, d.ratio
            ));
        }
        out
    }
}

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Io(std::io::Error::other(e.to_string()))
}

fn submit(svc: &LedgerService, value: serde_json::Value) -> Result<(), StoreError> {
    let request: Request = serde_json::from_value(value).map_err(io)?;
    let meta = svc.meta(Some("PER-1"), None).map_err(io)?;
    svc.submit(&meta, request).map_err(io)?;
    Ok(())
}

/// The shape of a generated ledger.
#[derive(Debug, Clone, Copy)]
struct Shape {
    hearings: u64,
    statements: u64,
}

impl Shape {
    /// About `events` events: the large one has hearings of [`BUSIEST`] events, the small one
    /// [`MIN_HEARINGS`] hearings sharing the events.
    fn of(events: u64) -> Self {
        // A hearing's own stream holds its scheduling, a registration, its opening and statements.
        let hearings = (events / BUSIEST).max(MIN_HEARINGS);
        let overhead = 4 * hearings + 2 * PROPOSALS + 12;
        let statements = (events.saturating_sub(overhead) / hearings).clamp(1, BUSIEST - 3);
        Self {
            hearings,
            statements,
        }
    }

    /// The cached ledger's name: a new version whenever what a built ledger stores changes (v3: the
    /// store's packed layout; v4: hearings' statements' times beside their records, proposals also kept 64 to a value), so that a run
    /// never measures a one-off rebuild of an older cache's views.
    fn cache_name(self) -> String {
        format!(
            "scale-v4-h{}-s{}-p{}",
            self.hearings, self.statements, PROPOSALS
        )
    }
}

/// Builds a ledger of `shape` in `dir`.
fn build(dir: &Path, shape: Shape) -> Result<(), StoreError> {
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let (ledger, _) = Ledger::init(dir, "bench scale", clock.clone()).map_err(io)?;
    let svc = LedgerService::from_ledger(ledger, dir).map_err(io)?;
    let meta = svc.meta(None, None).map_err(io)?;
    svc.submit(
        &meta,
        Request::PersonAdd {
            name: "Clerk".into(),
            memberships: vec![],
        },
    )
    .map_err(io)?;
    use serde_json::json;
    submit(
        &svc,
        json!({"command": "org-add", "name": "Shibei residents' committee", "kind": "residents-committee"}),
    )?;
    submit(
        &svc,
        json!({"command": "org-add", "name": "Developer", "kind": "developer"}),
    )?;
    for i in 1..=shape.hearings {
        submit(
            &svc,
            json!({"command": "hearing-schedule", "topic": format!("topic {i}"), "on": "2030-01-01", "venue": "hall", "presided_by": "ORG-1"}),
        )?;
        submit(
            &svc,
            json!({"command": "hearing-register", "hearing": format!("HEAR-{i}"), "person": "PER-1", "role": "speaker"}),
        )?;
        submit(
            &svc,
            json!({"command": "hearing-open", "hearing": format!("HEAR-{i}")}),
        )?;
    }
    for i in 1..=PROPOSALS {
        submit(
            &svc,
            json!({"command": "proposal-submit", "title": format!("Proposal {i}"), "body": "Repair the lights on the east path.", "category": "infrastructure", "by": "PER-1"}),
        )?;
    }
    submit(
        &svc,
        json!({"command": "consultation-convene", "topic": "Parking", "format": "dialogue", "convened_by": "ORG-1", "parties": ["ORG-1", "ORG-2"]}),
    )?;
    submit(
        &svc,
        json!({"command": "ballot-open", "question": "Repair the lights?", "options": ["yes", "no"], "voters": ["PER-1"], "quorum": "1/1", "threshold": "majority"}),
    )?;
    submit(
        &svc,
        json!({"command": "dispute-file", "title": "Management fees", "subject": "fees", "parties": [{"org": "ORG-1", "side": "owners"}, {"org": "ORG-2", "side": "developer"}]}),
    )?;

    // The bulk: statements straight through the store, the hearings' streams interleaved.
    let person = svc.person_id("PER-1").map_err(io)?;
    let streams = (1..=shape.hearings)
        .map(|i| svc.resolve_kind(&format!("HEAR-{i}"), RefKind::Hearing))
        .collect::<Result<Vec<_>, _>>()
        .map_err(io)?;
    let mut t = clock.now().as_micros();
    let mut written = 0u64;
    while written < shape.statements {
        let n = (shape.statements - written).min(CHUNK);
        for stream in &streams {
            let events = (written..written + n)
                .map(|k| {
                    t += 1;
                    let mut e = NewEvent::new(
                        Event::Hearing(HearingEvent::StatementRecorded {
                            by: person,
                            stance: Stance::Support,
                            summary: format!(
                                "Statement {k}: the residents of building 3 ask for the east path to be lit."
                            ),
                        }),
                        Timestamp::from_micros(t),
                    );
                    e.recorded_by = Some(person);
                    e
                })
                .collect();
            svc.store()
                .append_blocking(AppendRequest::single(
                    CommandId::from_uuid(uuid::Uuid::now_v7()),
                    *stream,
                    StreamKind::Hearing,
                    ExpectedVersion::Any,
                    events,
                ))
                .map_err(io)?;
        }
        written += n;
    }
    // Bring the persisted projections up to the head, so that a reused ledger starts caught up.
    svc.views().map_err(io)?;
    Ok(())
}

/// Copies a ledger directory (without its lock file).
fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name();
        if name == "delib.lock" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// A ledger of `shape` in `run_dir/name`, built there or copied from the cache. Returns the seconds
/// spent building (0 when reused).
fn prepare(
    shape: Shape,
    cache: Option<&Path>,
    run_dir: &Path,
    name: &str,
) -> Result<(PathBuf, f64), StoreError> {
    let target = run_dir.join(name);
    let start = Instant::now();
    let Some(cache) = cache else {
        build(&target, shape)?;
        return Ok((target, start.elapsed().as_secs_f64()));
    };
    let cached = cache.join(shape.cache_name());
    let complete = cached.join("bench-scale-complete");
    let mut seconds = 0.0;
    if !complete.exists() {
        if cached.exists() {
            std::fs::remove_dir_all(&cached)?;
        }
        let ledger = cached.join("ledger");
        build(&ledger, shape)?;
        std::fs::write(&complete, b"built by delib bench scale\n")?;
        seconds = start.elapsed().as_secs_f64();
        tracing::info!(dir = %cached.display(), seconds, "built a ledger for bench scale");
    }
    copy_dir(&cached.join("ledger"), &target)?;
    Ok((target, seconds))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Creation,
    Other,
}

/// Runs the load on the ledger in `dir`; returns its figures.
fn load(dir: &Path, shape: Shape, clients: u64, seconds: f64) -> Result<LoadFigures, StoreError> {
    let svc = LedgerService::open(dir, Arc::new(SystemClock)).map_err(io)?;
    let tokens = Tokens::open(svc.store())?;
    let person = svc.person_id("PER-1").map_err(io)?;
    let (_, secret) = tokens.create(Role::Clerk, person, "PER-1".into(), "bench".into())?;
    let used = (clients / 2).clamp(1, shape.hearings);
    // Warm up as a running server would be: the views loaded, every hearing used folded once.
    svc.views().map_err(io)?;
    for h in 1..=used {
        submit(
            &svc,
            serde_json::json!({"command": "hearing-statement", "hearing": format!("HEAR-{h}"), "by": "PER-1", "stance": "neutral", "summary": "warm-up"}),
        )?;
    }
    let ledger_events = svc.store().head().position.get();
    let busiest = svc
        .store()
        .stream_version(svc.resolve_kind("HEAR-1", RefKind::Hearing).map_err(io)?)?
        .get();
    let state = State::new(svc).map_err(io)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let duration = Duration::from_secs_f64(seconds);
    let (mut creations, mut others, errors, elapsed) = runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(server::run(listener, state.clone(), async {
            let _ = rx.await;
        }));
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(clients as usize)
            .build()
            .map_err(io)?;
        let start = Instant::now();
        let mut tasks = Vec::new();
        for i in 0..clients {
            let client = client.clone();
            let secret = secret.clone();
            let kind = if i % 2 == 0 {
                Kind::Creation
            } else {
                Kind::Other
            };
            let url = match kind {
                Kind::Creation => format!("{url}/api/v1/proposals"),
                Kind::Other => format!("{url}/api/v1/hearings/HEAR-{}/statement", (i / 2) % used + 1),
            };
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut errors = 0u64;
                let mut n = 0u64;
                while start.elapsed() < duration {
                    n += 1;
                    let body = match kind {
                        Kind::Creation => serde_json::json!({"title": format!("Load {i}.{n}"), "body": "Plant trees along the canal.", "category": "environment", "by": "PER-1"}),
                        Kind::Other => serde_json::json!({"by": "PER-1", "stance": "support", "summary": format!("statement {i}.{n}")}),
                    };
                    let t = Instant::now();
                    let r = client.post(&url).bearer_auth(&secret).json(&body).send().await;
                    match r {
                        Ok(r) if r.status().is_success() => {
                            let _ = r.bytes().await;
                            lat.push(t.elapsed());
                        }
                        Ok(r) => {
                            errors += 1;
                            tracing::warn!(status = %r.status(), "bench scale: request failed");
                        }
                        Err(e) => {
                            errors += 1;
                            tracing::warn!(error = %e, "bench scale: request failed");
                        }
                    }
                }
                (kind, lat, errors)
            }));
        }
        let (mut creations, mut others, mut errors) = (Vec::new(), Vec::new(), 0);
        for t in tasks {
            let (kind, l, e) = t.await.map_err(io)?;
            match kind {
                Kind::Creation => creations.extend(l),
                Kind::Other => others.extend(l),
            }
            errors += e;
        }
        let elapsed = start.elapsed().as_secs_f64();
        let _ = tx.send(());
        server.await.map_err(io)??;
        Ok::<_, StoreError>((creations, others, errors, elapsed))
    })?;
    drop(runtime);
    drop(state);
    drop(tokens);
    // As `delib serve` does when it stops.
    crate::store::write_snapshot(dir)?;
    creations.sort();
    others.sort();
    let mut all: Vec<Duration> = creations.iter().chain(others.iter()).copied().collect();
    all.sort();
    let rate = |n: usize| n as f64 / elapsed;
    let creations_per_s = rate(creations.len());
    let others_per_s = rate(others.len());
    Ok(LoadFigures {
        ledger_events,
        busiest_entity_events: busiest,
        commands: all.len() as u64,
        errors,
        seconds: elapsed,
        commands_per_s: rate(all.len()),
        p50_ms: percentile(&all, 0.50),
        p99_ms: percentile(&all, 0.99),
        creations_per_s,
        creations_p99_ms: percentile(&creations, 0.99),
        others_per_s,
        others_p99_ms: percentile(&others, 0.99),
        creation_ratio: ratio(creations_per_s, others_per_s),
    })
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        0.0
    }
}

/// Every read command of `CLI.md` worth timing on a large ledger (not the whole-ledger checks
/// `audit verify` and `export`, which are O(ledger) by design).
fn read_commands() -> Vec<Vec<String>> {
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let lines = [
        "status",
        "proposal show PROP-1",
        "hearing show HEAR-1",
        "consultation show CONS-1",
        "ballot show BAL-1",
        "dispute show DISP-1",
        "proposal list",
        "hearing list",
        "consultation list",
        "ballot list",
        "dispute list",
        "org list",
        "person list",
        "dispute timeline DISP-1",
        "history HEAR-1",
        "history PROP-1",
        "audit log",
        "audit log --actor PER-1",
        "projections status",
        "audit key",
        "audit prove --position 1000",
    ];
    let mut commands: Vec<Vec<String>> = lines
        .iter()
        .map(|l| l.split(' ').map(str::to_owned).collect())
        .collect();
    commands.push(
        [
            "report",
            "transparency",
            "--from",
            "2020-01-01",
            "--to",
            &today,
        ]
        .map(str::to_owned)
        .to_vec(),
    );
    commands
}

/// Times each read command as a fresh `delib` process on `dir`, human and `--json`.
fn time_reads(dir: &Path) -> Result<Vec<ReadTiming>, StoreError> {
    let exe = std::env::current_exe()?;
    let mut out = Vec::new();
    for args in read_commands() {
        for json in [false, true] {
            let mut cmd = std::process::Command::new(&exe);
            cmd.arg("--data").arg(dir).args(&args);
            if json {
                cmd.arg("--json");
            }
            cmd.env_remove("DELIB_AS").env_remove("DELIB_DATA");
            let start = Instant::now();
            let output = cmd.output()?;
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            if !output.status.success() {
                tracing::warn!(command = %args.join(" "), json, stderr = %String::from_utf8_lossy(&output.stderr), "bench scale: a read failed");
            }
            out.push(ReadTiming {
                command: args.join(" "),
                format: if json { "json" } else { "human" },
                ms,
                ok: output.status.success(),
                stdout_bytes: output.stdout.len() as u64,
            });
        }
    }
    Ok(out)
}

fn disk_use(path: &Path) -> std::io::Result<u64> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(path)?;
    if meta.is_dir() {
        let mut total = meta.blocks() * 512;
        for entry in std::fs::read_dir(path)? {
            total += disk_use(&entry?.path())?;
        }
        Ok(total)
    } else {
        Ok(meta.blocks() * 512)
    }
}

fn disk(dir: &Path) -> Result<DiskFigures, StoreError> {
    let ledger = Ledger::open(dir, Arc::new(SystemClock))?;
    let store = ledger.store();
    let (mut events, mut record_bytes, mut next) = (0u64, 0u64, 1u64);
    loop {
        let page = store.read_raw(Position::new(next), 8192)?;
        let Some((last, _)) = page.last() else {
            break;
        };
        next = last.get() + 1;
        events += page.len() as u64;
        record_bytes += page.iter().map(|(_, b)| b.len() as u64).sum::<u64>();
    }
    drop(ledger);
    let sled_bytes = disk_use(&dir.join("sled"))?;
    Ok(DiskFigures {
        events,
        record_bytes,
        sled_bytes,
        ratio: ratio(sled_bytes as f64, record_bytes as f64),
    })
}

/// Runs `bench scale`.
///
/// # Errors
/// Storage, server or process failures.
pub fn run(options: &ScaleOptions) -> Result<ScaleReport, StoreError> {
    if let Some(keep) = options.keep.as_ref().filter(|k| k.exists()) {
        return Err(StoreError::Io(std::io::Error::other(format!(
            "--keep {} exists already",
            keep.display()
        ))));
    }
    let tmp = match &options.dir {
        Some(d) => tempfile::Builder::new()
            .prefix("delib-bench-scale-")
            .tempdir_in(d)?,
        None => tempfile::Builder::new()
            .prefix("delib-bench-scale-")
            .tempdir()?,
    };
    if let Some(cache) = &options.ledger_cache {
        std::fs::create_dir_all(cache)?;
    }
    let cache = options.ledger_cache.as_deref();
    let small_shape = Shape::of(SMALL);
    let large_shape = Shape::of(options.events.max(SMALL));
    let (small_dir, small_build) = prepare(small_shape, cache, tmp.path(), "small")?;
    let small = load(&small_dir, small_shape, options.clients, options.seconds)?;
    std::fs::remove_dir_all(&small_dir)?;
    let (large_dir, large_build) = prepare(large_shape, cache, tmp.path(), "large")?;
    let large = load(&large_dir, large_shape, options.clients, options.seconds)?;
    let (reads, disk) = if options.skip_reads {
        (Vec::new(), None)
    } else {
        (time_reads(&large_dir)?, Some(disk(&large_dir)?))
    };
    let slowest_read_ms = reads.iter().map(|r| r.ms).fold(0.0, f64::max);
    if let Some(keep) = &options.keep {
        if std::fs::rename(&large_dir, keep).is_err() {
            copy_dir(&large_dir, keep)?;
        }
    }
    Ok(ScaleReport {
        bench: "scale",
        clients: options.clients,
        throughput_ratio: ratio(large.commands_per_s, small.commands_per_s),
        p99_ratio: ratio(large.p99_ms, small.p99_ms),
        small,
        large,
        reads,
        slowest_read_ms,
        disk,
        build_seconds: (small_build, large_build),
    })
}
