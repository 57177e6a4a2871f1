//! `delib witness serve`: the tlog-witness HTTP interface, submission and monitoring prefix both
//! the server's root: `POST /add-checkpoint` and `GET /<origin hash>/checkpoint`.

use super::state::{AddError, Witness};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use std::sync::Arc;

/// The witness's router.
pub fn router(witness: Arc<Witness>) -> Router {
    Router::new()
        .route("/add-checkpoint", post(add_checkpoint))
        .route("/{origin_hash}/checkpoint", get(checkpoint))
        .layer(axum::extract::DefaultBodyLimit::max(64 * 1024))
        .with_state(witness)
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

async fn add_checkpoint(State(w): State<Arc<Witness>>, body: String) -> Response {
    let result = tokio::task::spawn_blocking(move || w.add_checkpoint(&body, now())).await;
    match result {
        Ok(Ok(lines)) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            lines,
        )
            .into_response(),
        Ok(Err(AddError::Conflict(size))) => (
            StatusCode::CONFLICT,
            [(header::CONTENT_TYPE, "text/x.tlog.size")],
            format!("{size}\n"),
        )
            .into_response(),
        Ok(Err(e)) => (
            StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{e}\n"),
        )
            .into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, format!("{e}\n")).into_response(),
    }
}

async fn checkpoint(State(w): State<Arc<Witness>>, Path(hash): Path<String>) -> Response {
    let found = tokio::task::spawn_blocking(move || {
        let dir_state = w.log_by_hash(&hash);
        dir_state.ok().flatten().and_then(|s| s.checkpoint)
    })
    .await
    .ok()
    .flatten();
    match found {
        Some(note) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
                (header::CACHE_CONTROL, "public, max-age=5"),
            ],
            note,
        )
            .into_response(),
        None => (
            StatusCode::NOT_FOUND,
            "no checkpoint cosigned for this log\n",
        )
            .into_response(),
    }
}

/// Serves the witness on `listener` until `shutdown` resolves.
///
/// # Errors
/// I/O failures of the listener.
pub async fn run(
    listener: tokio::net::TcpListener,
    witness: Arc<Witness>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(witness))
        .with_graceful_shutdown(shutdown)
        .await
}
