//! The live feed: `GET /api/v1/feed?from=N` streams server-sent events, one per ledger event from
//! position `N` on (default: only new ones), each `id: position`, `event: kind`, `data: {position,
//! kind, stream, ref, summary, ...}`. It follows the store's durable head ([`EventStore::subscribe`]),
//! so an auditor's mirror follows the ledger without polling; a reconnecting client's
//! `Last-Event-ID` resumes after the last event it saw. The stream ends when the server stops.

use super::auth::Caller;
use super::error::ApiError;
use super::handlers::audit::event_json;
use super::tokens::Role;
use super::Shared;
use crate::store::EventStore;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use delib_events::Position;
use futures_util::stream::{self, Stream};
use serde::Deserialize;
use std::collections::VecDeque;
use std::convert::Infallible;
use tokio::sync::watch;

/// Events read per batch.
const BATCH: usize = 256;

/// `?from=N`.
#[derive(Debug, Default, Deserialize)]
pub struct FeedQuery {
    /// The first position to send (default: the one after the current head).
    pub from: Option<u64>,
}

struct Cursor {
    state: Shared,
    next: u64,
    head: watch::Receiver<Position>,
    stop: watch::Receiver<bool>,
    buffer: VecDeque<Event>,
}

/// `GET /api/v1/feed?from=N` (auditors).
///
/// # Errors
/// 401/403 without an auditor token.
pub async fn feed(
    State(state): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    Query(q): Query<FeedQuery>,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    caller.require(Role::Auditor)?;
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|last| last + 1);
    let head = state.svc.store().subscribe();
    let next = resume
        .or(q.from)
        .unwrap_or_else(|| head.borrow().get() + 1)
        .max(1);
    let cursor = Cursor {
        stop: state.stopping(),
        state,
        next,
        head,
        buffer: VecDeque::new(),
    };
    let events = stream::unfold(cursor, |mut c| async move {
        loop {
            if let Some(e) = c.buffer.pop_front() {
                return Some((Ok(e), c));
            }
            if *c.stop.borrow() {
                return None;
            }
            let head = c.head.borrow_and_update().get();
            if head >= c.next {
                let from = c.next;
                let state = c.state.clone();
                let read = tokio::task::spawn_blocking(move || {
                    let page = state.svc.store().read_all(Position::new(from), BATCH)?;
                    let views = state.svc.views()?;
                    Ok::<_, crate::app::AppError>(
                        page.iter()
                            .map(|e| (e.position().get(), event_json(e, &views.directory)))
                            .collect::<Vec<_>>(),
                    )
                })
                .await;
                match read {
                    Ok(Ok(page)) if !page.is_empty() => {
                        for (position, data) in page {
                            c.next = position + 1;
                            let kind = data["kind"].as_str().unwrap_or("event").to_owned();
                            c.buffer.push_back(
                                Event::default()
                                    .id(position.to_string())
                                    .event(kind)
                                    .data(data.to_string()),
                            );
                        }
                        continue;
                    }
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => {
                        tracing::error!(cause = %e, "feed read failed; ending the feed");
                        return None;
                    }
                    Err(e) => {
                        tracing::error!(cause = %e, "feed read panicked; ending the feed");
                        return None;
                    }
                }
            }
            tokio::select! {
                changed = c.head.changed() => if changed.is_err() { return None; },
                _ = c.stop.changed() => {}
            }
        }
    });
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}
