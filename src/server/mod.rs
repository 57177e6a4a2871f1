//! `delib serve`: the ledger as an HTTP service (tokio + axum), with the same command model and rules
//! as the command line.
//!
//! - [`run`] serves a bound listener until a shutdown future completes (the mini-redis shape), so
//!   tests start a server on `127.0.0.1:0` and stop it cleanly;
//! - [`routes`]: the route table (one row per route) from which the router *and* the OpenAPI
//!   description are built;
//! - [`handlers`]: recording (POST, with `Idempotency-Key`), views, history, audit, events;
//! - [`feed`]: the live feed (server-sent events driven by the store's head);
//! - [`auth`] and [`tokens`]: who may do what; [`error`]: **the one place** mapping failures to statuses;
//! - [`pages`]: the public site (server-rendered, no script), translated by [`i18n`];
//!   [`headers`]: security headers on every answer.
//!
//! Blocking work (sled reads, appends, fsync) never runs on an async worker: handlers hand it to
//! `spawn_blocking`. Shutdown stops accepting, ends the feeds, lets every in-flight request finish
//! (their appends are durable before they are answered) and waits for every write still running.

pub mod auth;
pub mod console;
pub mod error;
pub mod feed;
pub mod handlers;
pub mod headers;
pub mod i18n;
pub mod idempotency;
pub mod pages;
pub mod recover;
pub mod report_cache;
pub mod routes;
pub mod scrub;
pub mod socket;
pub mod timeouts;
pub mod tokens;

use crate::app::{AppError, LedgerService, Meta, Request};
use crate::clock::Clock;
use delib_events::{CommandId, Timestamp};
use error::ApiError;
use hyper_util::rt::{TokioIo, TokioTimer};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::future::Future;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
pub use timeouts::ServerOptions;
use tokens::{TokenRecord, Tokens};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

/// Largest request body accepted (413 beyond).
pub const BODY_LIMIT: usize = 64 * 1024;
/// The largest body of a request that carries a file (`attach` on the API or the console): a
/// document of up to 16 MiB, base64 in JSON or raw in a form. Read only after the caller is known
/// to be a clerk. (`delib attach` on the CLI takes documents up to 64 MiB.)
pub const UPLOAD_LIMIT: usize = 24 * 1024 * 1024;
/// Largest request head (request line and headers) accepted (431 beyond).
pub const HEAD_LIMIT: usize = 16 * 1024;
/// Longest wait for a request's headers (the default of [`ServerOptions::head_timeout`]).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Writes allowed to run at once; more wait their turn.
const MAX_WRITES: u32 = 1024;

/// What the server shares between requests.
#[derive(Debug)]
pub struct State {
    /// The application service over the open ledger.
    pub svc: LedgerService,
    /// Access tokens.
    pub tokens: Tokens,
    /// Saved answers of requests sent with an `Idempotency-Key` (tree `idempotency`), holding no
    /// secret ([`idempotency`]).
    idempotency: idempotency::Idempotency,
    /// Idempotency keys being handled right now.
    in_flight: Mutex<HashSet<CommandId>>,
    /// One permit per write running; shutdown takes them all.
    writes: Arc<Semaphore>,
    /// Set when the server stops: feeds end.
    stopping: watch::Sender<bool>,
    /// The public transparency report, kept by period (built once per size, not per request).
    pub reports: report_cache::ReportCache,
    /// The clerk's console's sessions (in memory only).
    pub console: console::session::Sessions,
    /// The mirrors of the district's view (`serve --district`), when set.
    pub district: std::sync::OnceLock<pages::district::DistrictSite>,
}

/// The state as handlers hold it.
pub type Shared = Arc<State>;

/// What a write answered.
#[derive(Debug)]
pub struct Written {
    /// 201 for a creation, 200 otherwise (or the saved status of a replay).
    pub status: u16,
    /// The JSON the CLI prints with `--json`.
    pub body: serde_json::Value,
    /// Whether this is a replay of an earlier answer.
    pub replayed: bool,
}

impl State {
    /// Opens the ledger in `dir` for serving.
    ///
    /// # Errors
    /// As [`LedgerService::open`].
    pub fn open(dir: &Path, clock: Arc<dyn Clock>) -> Result<Shared, AppError> {
        Self::new(LedgerService::open(dir, clock)?)
    }

    /// Wraps an open service.
    ///
    /// # Errors
    /// Storage failures opening the server's trees.
    pub fn new(svc: LedgerService) -> Result<Shared, AppError> {
        // A long-lived service holds the views in memory from the start (pages and lists read
        // them; what they fold is saved every so often and on stopping).
        svc.views()?;
        let tokens = Tokens::open(svc.store())?;
        let now = svc.clock().now();
        let idempotency = idempotency::Idempotency::open(svc.store().db(), now, |person| {
            person
                .parse::<uuid::Uuid>()
                .map(|u| {
                    !svc.person_active(delib_events::PersonId::from_uuid(u))
                        .unwrap_or(true)
                })
                .unwrap_or(false)
        })
        .map_err(|e| AppError::Internal(e.message))?;
        Ok(Arc::new(State {
            svc,
            tokens,
            idempotency,
            in_flight: Mutex::new(HashSet::new()),
            writes: Arc::new(Semaphore::new(MAX_WRITES as usize)),
            stopping: watch::channel(false).0,
            reports: report_cache::ReportCache::default(),
            console: console::session::Sessions::default(),
            district: std::sync::OnceLock::new(),
        }))
    }

    /// A receiver that turns `true` when the server stops.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.stopping.subscribe()
    }

    /// Records `request` for a clerk's token. With an idempotency `key`, the command id is derived
    /// from the token and the key, the answer is saved durably, and a retry gets the saved answer
    /// (and records nothing); the same key with a different request is refused (422). Blocking.
    ///
    /// # Errors
    /// [`ApiError`]: 403 when the token's person is erased, 409 while the same key is in flight,
    /// and the statuses of [`error`].
    pub fn write(
        &self,
        token: &TokenRecord,
        key: Option<&str>,
        at: Option<Timestamp>,
        request: Request,
    ) -> Result<Written, ApiError> {
        if !self.svc.person_active(token.person)? {
            return Err(ApiError::forbidden(format!(
                "token {} acts for {}, who is no longer a registered person",
                token.id, token.person_ref
            )));
        }
        let request_json = serde_json::json!({
            "request": &request,
            "at": at.map(|t| t.as_micros()),
        });
        let fingerprint = self.idempotency.fingerprint(&request_json);
        let command_id = match key {
            Some(k) => {
                let digest = Sha256::digest(format!("delib idempotency\n{}\n{k}", token.id));
                let mut bytes = [0u8; 16];
                bytes.copy_from_slice(&digest[..16]);
                CommandId::from_uuid(uuid::Builder::from_custom_bytes(bytes).into_uuid())
            }
            None => CommandId::from_uuid(uuid::Uuid::now_v7()),
        };
        let slot = command_id.as_uuid().into_bytes();
        let now = self.svc.clock().now();
        let _guard = match key {
            None => None,
            Some(_) => {
                if let Some(saved) = self.idempotency.get(&slot, now)? {
                    if !self.idempotency.matches(&saved, &fingerprint) {
                        return Err(ApiError::new(
                            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
                            "rule: this Idempotency-Key was used for a different request",
                        ));
                    }
                    return Ok(Written {
                        status: saved.status,
                        body: saved.body,
                        replayed: true,
                    });
                }
                Some(InFlight::take(&self.in_flight, command_id)?)
            }
        };
        let erasing = match &request {
            Request::PersonErase(r) => self.svc.person_id(&r.person).ok(),
            _ => None,
        };
        let meta = Meta {
            command_id,
            occurred_at: at,
            recorded_by: Some(token.person),
            fingerprint: None,
        };
        let (status, body) = match self.svc.submit(&meta, request) {
            Ok(receipt) => (if receipt.created { 201 } else { 200 }, receipt.to_json()),
            Err(e) => {
                let err = ApiError::from(e);
                if key.is_some() && err.status == axum::http::StatusCode::UNPROCESSABLE_ENTITY {
                    let body = serde_json::json!({ "error": err.message });
                    let persons = self.persons_named(token, &request_json, &body);
                    self.idempotency.save(
                        &slot,
                        &fingerprint,
                        err.status.as_u16(),
                        &body,
                        persons,
                        now,
                    )?;
                }
                return Err(err);
            }
        };
        if let Some(person) = erasing {
            self.idempotency
                .forget_person(&person.as_uuid().to_string(), now)?;
        }
        if key.is_some() && erasing.is_none() {
            let persons = self.persons_named(token, &request_json, &body);
            self.idempotency
                .save(&slot, &fingerprint, status, &body, persons, now)?;
        }
        Ok(Written {
            status,
            body,
            replayed: false,
        })
    }

    /// The persons (UUIDs) a request and its answer name, so that erasing one removes the entry:
    /// the token's person, every `PER-n` or UUID of a person in the request, and a created person.
    fn persons_named(
        &self,
        token: &TokenRecord,
        request: &serde_json::Value,
        answer: &serde_json::Value,
    ) -> Vec<String> {
        fn strings<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
            match v {
                serde_json::Value::String(s) => out.push(s),
                serde_json::Value::Array(a) => a.iter().for_each(|i| strings(i, out)),
                serde_json::Value::Object(m) => m.values().for_each(|i| strings(i, out)),
                _ => {}
            }
        }
        let mut found = vec![token.person.as_uuid().to_string()];
        let mut texts = Vec::new();
        strings(request, &mut texts);
        strings(answer, &mut texts);
        for t in texts {
            if t.starts_with("PER-") || t.len() == 36 {
                if let Ok(p) = self.svc.person_id(t) {
                    found.push(p.as_uuid().to_string());
                }
            }
        }
        found.sort();
        found.dedup();
        found
    }
}
/// An idempotency key marked as being handled, unmarked on drop.
struct InFlight<'a> {
    set: &'a Mutex<HashSet<CommandId>>,
    id: CommandId,
}

impl<'a> InFlight<'a> {
    fn take(set: &'a Mutex<HashSet<CommandId>>, id: CommandId) -> Result<Self, ApiError> {
        let mut s = set.lock().unwrap_or_else(|p| p.into_inner());
        if !s.insert(id) {
            return Err(ApiError::new(
                axum::http::StatusCode::CONFLICT,
                "a request with this Idempotency-Key is still being handled; retry shortly",
            ));
        }
        Ok(Self { set, id })
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut s = self.set.lock().unwrap_or_else(|p| p.into_inner());
        s.remove(&self.id);
    }
}

/// Serves `listener` until `shutdown` completes, then stops gracefully: no new connections, the live
/// feeds end, in-flight requests finish (their appends are durable before they are answered), and
/// every write still running (even one whose client went away) completes before this returns. With
/// the default [`ServerOptions`]; see [`run_with`].
///
/// # Errors
/// Never for a single failed connection (logged); only if the listener itself fails.
pub async fn run(
    listener: TcpListener,
    state: Shared,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    run_with(&listener, state, &ServerOptions::default(), shutdown).await
}

/// [`run`] with explicit time limits: requests whose head or body do not arrive in time are
/// dropped, and the drain after `shutdown` lasts at most `options.drain_timeout`, after which the
/// connections still open are closed (a write already handed to the store still completes).
///
/// # Errors
/// As [`run`].
pub async fn run_with(
    listener: &TcpListener,
    state: Shared,
    options: &ServerOptions,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    serve_state(listener, state, options, shutdown).await
}

/// Serves `state` until `stop` completes, stops as [`run_with`] does, and returns what `stop`
/// returned. Runs the background scrub when `options.scrub_every` is set.
async fn serve_state<T>(
    listener: &TcpListener,
    state: Shared,
    options: &ServerOptions,
    stop: impl Future<Output = T>,
) -> std::io::Result<T> {
    let app = routes::router(state.clone());
    let scrubber = options
        .scrub_every
        .map(|every| tokio::spawn(scrub::run(state.clone(), every)));
    let stopping = state.clone();
    let outcome = serve_until(listener, app, options, stop, move || {
        stopping.stopping.send_replace(true);
    })
    .await;
    if let Some(task) = scrubber {
        let _ = task.await;
    }
    // Writes whose clients went away still run in the blocking pool: wait for them too.
    let _all = state
        .writes
        .acquire_many(MAX_WRITES)
        .await
        .map_err(std::io::Error::other)?;
    // What the views in memory folded is saved, so that the next process starts from it.
    let svc = state.clone();
    match tokio::task::spawn_blocking(move || svc.svc.save_held_views()).await {
        Ok(Err(e)) => tracing::warn!(error = %e, "the views could not be saved on stopping"),
        Err(e) => tracing::warn!(error = %e, "saving the views on stopping failed"),
        Ok(Ok(())) => {}
    }
    tracing::info!("stopped");
    Ok(outcome)
}

/// Accepts connections on `listener` for `app` until `stop` completes, calls `on_stop`, drains for
/// at most the drain timeout, drops the connections left, and returns what `stop` returned.
async fn serve_until<T>(
    listener: &TcpListener,
    app: axum::Router,
    options: &ServerOptions,
    stop: impl Future<Output = T>,
    on_stop: impl FnOnce(),
) -> T {
    let app = app.layer(tower::util::MapRequestLayer::new(
        timeouts::with_body_deadline(options.body_timeout),
    ));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut connections = tokio::task::JoinSet::new();
    let mut stop = std::pin::pin!(stop);
    let outcome = loop {
        while connections.try_join_next().is_some() {}
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(x) => x,
                    Err(e) => {
                        tracing::error!(cause = %e, "failed to accept");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                        continue;
                    }
                };
                let service = hyper_util::service::TowerToHyperService::new(app.clone());
                let mut builder = hyper::server::conn::http1::Builder::new();
                builder
                    .timer(TokioTimer::new())
                    .header_read_timeout(options.head_timeout)
                    .max_buf_size(HEAD_LIMIT)
                    .max_headers(64);
                let conn = builder.serve_connection(TokioIo::new(stream), service);
                let conn = graceful.watch(conn);
                connections.spawn(async move {
                    if let Err(e) = conn.await {
                        tracing::debug!(cause = %e, %peer, "connection ended with an error");
                    }
                });
            }
            outcome = &mut stop => break outcome,
        }
    };
    tracing::info!(
        connections = connections.len(),
        "shutting down: finishing in-flight requests"
    );
    on_stop();
    if tokio::time::timeout(options.drain_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            connections = connections.len(),
            seconds = options.drain_timeout.as_secs_f64(),
            "drain timed out: dropping the connections still open"
        );
    }
    connections.shutdown().await;
    outcome
}

/// What `DATA/server.json` says while a server holds the ledger.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ServerFile {
    /// The server's base URL.
    pub url: String,
    /// Its process id.
    pub pid: u32,
}

/// The path of `server.json` in a data directory.
pub fn server_file(dir: &Path) -> std::path::PathBuf {
    dir.join("server.json")
}

/// The server holding `dir`, if its `server.json` says so.
pub fn holder(dir: &Path) -> Option<ServerFile> {
    let text = std::fs::read_to_string(server_file(dir)).ok()?;
    serde_json::from_str(&text).ok()
}
