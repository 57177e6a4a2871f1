//! `delib bench serve`: the server under load. `clients` concurrent HTTP clients on loopback each
//! record hearing statements (one hearing per client, so writers contend only for the store's group
//! commit, not for a stream) for `seconds`; then the same load runs in-process through
//! [`LedgerService::submit`] without HTTP as the baseline, on a second set of hearings. Reports throughput, p50/p99 latency, and
//! whether `audit verify` passes on the ledger afterwards.

use crate::app::{LedgerService, Request};
use crate::audit::ledger_verify::verify_ledger;
use crate::clock::SystemClock;
use crate::ledger::Ledger;
use crate::server::tokens::{Role, Tokens};
use crate::server::{self, State};
use crate::store::StoreError;
use serde::Serialize;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What `bench serve` prints.
#[derive(Debug, Clone, Serialize)]
pub struct ServeReport {
    /// Which benchmark.
    pub bench: &'static str,
    /// Concurrent HTTP clients.
    pub clients: u64,
    /// Events recorded over HTTP.
    pub events: u64,
    /// Wall time of the HTTP run.
    pub seconds: f64,
    /// HTTP throughput (acknowledged appends per second).
    pub events_per_s: f64,
    /// Median request latency, milliseconds.
    pub p50_ms: f64,
    /// 99th percentile request latency, milliseconds.
    pub p99_ms: f64,
    /// Requests that failed.
    pub errors: u64,
    /// The same load in-process, without HTTP.
    pub baseline_events_per_s: f64,
    /// `events_per_s / baseline_events_per_s`.
    pub ratio: f64,
    /// What the baseline is.
    pub baseline: &'static str,
    /// Whether `audit verify` passed afterwards.
    pub verified: bool,
    /// The ledger's size afterwards.
    pub size: u64,
}

impl ServeReport {
    /// A human-readable summary.
    pub fn human(&self) -> String {
        format!(
            "serve: {} clients, {:.1} s\n  http:     {:>10.0} events/s ({} events, {} errors), p50 {:.2} ms, p99 {:.2} ms\n  baseline: {:>10.0} events/s [{}]\n  ratio:    {:.3}\n  verified: {} ({} events)",
            self.clients, self.seconds, self.events_per_s, self.events, self.errors, self.p50_ms,
            self.p99_ms, self.baseline_events_per_s, self.baseline, self.ratio, self.verified, self.size
        )
    }
}

fn io(e: impl std::fmt::Display) -> StoreError {
    StoreError::Io(std::io::Error::other(e.to_string()))
}

fn submit(svc: &LedgerService, request: Request) -> Result<(), StoreError> {
    let meta = svc.meta(Some("PER-1"), None).map_err(io)?;
    svc.submit(&meta, request).map_err(io)?;
    Ok(())
}

/// Sets up a ledger with one open hearing per client (PER-1 registered as a speaker).
fn setup(dir: &Path, clients: u64) -> Result<(LedgerService, String), StoreError> {
    let clock = Arc::new(SystemClock);
    let (ledger, _) = Ledger::init(dir, "bench serve", clock).map_err(io)?;
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
    submit(
        &svc,
        serde_json::from_value(serde_json::json!({
        "command": "org-add", "name": "Community party committee", "kind": "party-committee"}))
        .map_err(io)?,
    )?;
    // One set of hearings for the HTTP run, a fresh set for the baseline, so both start on empty
    // streams (deciding reads the whole stream).
    for i in 1..=2 * clients {
        for r in [
            serde_json::json!({"command": "hearing-schedule", "topic": format!("topic {i}"), "on": "2030-01-01", "venue": "hall", "presided_by": "ORG-1"}),
            serde_json::json!({"command": "hearing-register", "hearing": format!("HEAR-{i}"), "person": "PER-1", "role": "speaker"}),
            serde_json::json!({"command": "hearing-open", "hearing": format!("HEAR-{i}")}),
        ] {
            submit(&svc, serde_json::from_value(r).map_err(io)?)?;
        }
    }
    let tokens = Tokens::open(svc.store())?;
    let person = svc.person_id("PER-1").map_err(io)?;
    let (_, secret) = tokens.create(Role::Clerk, person, "PER-1".into(), "bench".into())?;
    Ok((svc, secret))
}

pub(crate) fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)].as_secs_f64() * 1000.0
}

/// Runs the benchmark in a temporary directory under `dir` (default: the system's).
///
/// # Errors
/// Storage or server failures.
pub fn run(clients: u64, seconds: f64, dir: Option<&Path>) -> Result<ServeReport, StoreError> {
    let tmp = match dir {
        Some(d) => tempfile::tempdir_in(d)?,
        None => tempfile::tempdir()?,
    };
    let data = tmp.path().join("ledger");
    let (svc, secret) = setup(&data, clients)?;
    let state = State::new(svc).map_err(io)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let duration = Duration::from_secs_f64(seconds);
    let (events, errors, mut latencies, elapsed, state) = runtime.block_on(async {
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
        for i in 1..=clients {
            let client = client.clone();
            let url = format!("{url}/api/v1/hearings/HEAR-{i}/statement");
            let secret = secret.clone();
            tasks.push(tokio::spawn(async move {
                let mut lat = Vec::new();
                let mut errors = 0u64;
                let mut n = 0u64;
                while start.elapsed() < duration {
                    n += 1;
                    let t = Instant::now();
                    let r = client
                        .post(&url)
                        .bearer_auth(&secret)
                        .json(&serde_json::json!({"by": "PER-1", "stance": "support", "summary": format!("statement {n}")}))
                        .send()
                        .await;
                    match r {
                        Ok(r) if r.status().is_success() => {
                            let _ = r.bytes().await;
                            lat.push(t.elapsed());
                        }
                        _ => errors += 1,
                    }
                }
                (lat, errors)
            }));
        }
        let mut latencies = Vec::new();
        let mut errors = 0;
        for t in tasks {
            let (l, e) = t.await.map_err(io)?;
            latencies.extend(l);
            errors += e;
        }
        let elapsed = start.elapsed().as_secs_f64();
        let _ = tx.send(());
        server.await.map_err(io)??;
        Ok::<_, StoreError>((latencies.len() as u64, errors, latencies, elapsed, state))
    })?;
    latencies.sort();
    // Baseline: the same load in-process, no HTTP.
    let baseline_events = runtime.block_on(async {
        let start = Instant::now();
        let mut tasks = Vec::new();
        for i in 1..=clients {
            let state = state.clone();
            tasks.push(tokio::task::spawn_blocking(move || {
                let mut n = 0u64;
                while start.elapsed() < duration {
                    let r =
                        Request::HearingStatement(crate::app::request::hearing_args::Statement {
                            hearing: format!("HEAR-{}", clients + i),
                            by: "PER-1".into(),
                            stance: crate::app::request::Word(
                                delib_events::hearing::Stance::Neutral,
                            ),
                            summary: format!("baseline {n}"),
                        });
                    if submit(&state.svc, r).is_ok() {
                        n += 1;
                    }
                }
                n
            }));
        }
        let mut total = 0;
        for t in tasks {
            total += t.await.unwrap_or(0);
        }
        (total, start.elapsed().as_secs_f64())
    });
    drop(runtime);
    let report = verify_ledger(state.svc.ledger());
    let events_per_s = events as f64 / elapsed;
    let baseline_events_per_s = baseline_events.0 as f64 / baseline_events.1;
    Ok(ServeReport {
        bench: "serve",
        clients,
        events,
        seconds: elapsed,
        events_per_s,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        errors,
        baseline_events_per_s,
        ratio: if baseline_events_per_s > 0.0 {
            events_per_s / baseline_events_per_s
        } else {
            0.0
        },
        baseline: "the same statements through LedgerService::submit in-process, no HTTP",
        verified: report.ok,
        size: report.size,
    })
}
