//! Serving through a storage failure. A failed write poisons the store (what reached the disk is
//! unknown), so the server stops serving that store: it drains, lets go of the ledger, answers every
//! request with 503 (`Retry-After`, and what failed in plain words), and every
//! [`ServerOptions::recover_every`] checks whether the disk takes a write again
//! ([`probe_writable`]); once it does, it reopens the ledger (sled recovers its log, the tail of the
//! chain is checked) and serves it again. A client's retry with the same `Idempotency-Key` then gets
//! the original answer if its events did reach the disk, and records them otherwise.

use super::error::ApiError;
use super::{serve_state, serve_until, ServerOptions, Shared};
use crate::app::AppError;
use crate::store::probe_writable;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::net::TcpListener;

/// How often a served store is checked for poisoning.
const WATCH_EVERY: Duration = Duration::from_millis(200);

/// A storage failure seen by any request of this process since the ledger was (re)opened: sled
/// fails every operation after its log failed a write (also in its own background flush, and in
/// the server's side trees), while the event store's writer may not have failed yet. One server
/// per process, so one flag.
static FAILED: std::sync::Mutex<Option<&'static str>> = std::sync::Mutex::new(None);

/// Notes a storage failure (`cause` in plain words), so that the server reopens the ledger.
pub(crate) fn storage_failed(cause: &'static str) {
    *FAILED.lock().unwrap_or_else(|p| p.into_inner()) = Some(cause);
}

fn failed() -> Option<&'static str> {
    *FAILED.lock().unwrap_or_else(|p| p.into_inner())
}

/// Serves `state` (the ledger in `dir`) until `shutdown`, reopening it with `open` after a storage
/// failure as the module explains.
///
/// # Errors
/// Only if the listener itself fails.
pub async fn run_recovering<O>(
    listener: TcpListener,
    dir: PathBuf,
    state: Shared,
    open: O,
    options: ServerOptions,
    shutdown: impl Future<Output = ()>,
    serving: tokio::sync::watch::Sender<Option<Shared>>,
) -> std::io::Result<()>
where
    O: Fn() -> Result<Shared, AppError> + Send + Sync + Clone + 'static,
{
    let mut shutdown = std::pin::pin!(shutdown);
    let mut state = state;
    loop {
        let watched = state.clone();
        // CLIs on the socket use the state being served, and none once it stops or fails.
        serving.send_replace(Some(state.clone()));
        let stop = async {
            let stopped = tokio::select! {
                () = &mut shutdown => true,
                () = poisoned(&watched) => false,
            };
            serving.send_replace(None);
            stopped
        };
        if serve_state(&listener, state, &options, stop).await? {
            return Ok(());
        }
        let cause = watched
            .svc
            .store()
            .failure()
            .or_else(|| failed().map(str::to_owned))
            .unwrap_or_else(|| "a write to disk failed".into());
        drop(watched);
        tracing::error!(
            cause = %cause,
            dir = %dir.display(),
            "storage failure: the ledger stopped accepting writes; answering 503 and reopening it \
             as soon as the disk takes writes again ({})",
            remedy(&cause)
        );
        let unavailable = unavailable(&cause);
        let app = axum::Router::new().fallback(move || {
            let e = unavailable.clone();
            async move { e.into_response() }
        });
        let reopen = async {
            tokio::select! {
                () = &mut shutdown => None,
                s = reopen(&dir, open.clone(), options.recover_every) => Some(s),
            }
        };
        match serve_until(&listener, app, &options, reopen, || {}).await {
            None => return Ok(()),
            Some(reopened) => {
                tracing::warn!(dir = %dir.display(), "the ledger was reopened; serving again");
                state = reopened;
            }
        }
    }
}

/// What the operator should do about `cause`.
fn remedy(cause: &str) -> &'static str {
    match cause {
        "the disk is full" => "free disk space on the file system holding the data directory",
        "the disk quota is exceeded" => "raise the quota or free space",
        "the file system is read-only" | "the data directory is not writable" => {
            "make the data directory writable again"
        }
        _ => "check the disk and the system log; if it does not come back, stop the server and run `delib audit verify`",
    }
}

/// The answer to every request while the ledger is closed.
fn unavailable(cause: &str) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        format!(
            "storage failure: {cause}. The ledger stopped accepting writes and reopens by itself once \
             the disk takes writes again (the operator should {}); retry later",
            remedy(cause)
        ),
    )
}

/// Completes once the served store is poisoned, or a request saw a storage failure.
async fn poisoned(state: &Shared) {
    *FAILED.lock().unwrap_or_else(|p| p.into_inner()) = None;
    while !state.svc.store().is_poisoned() && failed().is_none() {
        tokio::time::sleep(WATCH_EVERY).await;
    }
}

/// Retries every `every` until the disk takes a write and the ledger opens.
async fn reopen<O>(dir: &Path, open: O, every: Duration) -> Shared
where
    O: Fn() -> Result<Shared, AppError> + Send + Sync + Clone + 'static,
{
    loop {
        tokio::time::sleep(every).await;
        let probe_dir = dir.to_path_buf();
        match tokio::task::spawn_blocking(move || probe_writable(&probe_dir)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::debug!(cause = %e, "the disk does not take writes yet");
                continue;
            }
            Err(e) => {
                tracing::warn!(cause = %e, "write probe failed");
                continue;
            }
        }
        let open = open.clone();
        match tokio::task::spawn_blocking(open).await {
            Ok(Ok(state)) => return state,
            Ok(Err(e)) => tracing::warn!(cause = %e, "reopening the ledger failed; retrying"),
            Err(e) => tracing::warn!(cause = %e, "reopening the ledger failed; retrying"),
        }
    }
}
