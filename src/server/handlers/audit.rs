//! Auditors' endpoints: the audit log, `audit verify`, inclusion and consistency proofs, recorded
//! checkpoints, the verifier key (public), and the events paged by position.

use super::super::auth::Caller;
use super::super::error::ApiError;
use super::super::tokens::Role;
use super::super::Shared;
use super::blocking;
use crate::app::when::{Bound, Written};
use crate::app::AppError;
use crate::audit::ledger_verify::verify_ledger;
use crate::audit::proofs;
use crate::store::EventStore;
use axum::extract::{Query, State};
use axum::Json;
use delib_events::{Event, LedgerEvent, Position, RecordedEvent, StreamVersion};
use delib_projections::{history, Directory};
use serde::Deserialize;
use serde_json::{json, Value};

type JsonResult = Result<Json<Value>, ApiError>;

/// `?actor=&from=&to=` of the audit log.
#[derive(Debug, Default, Deserialize)]
pub struct LogQuery {
    /// Only acts by or about this entity.
    pub actor: Option<String>,
    /// Only acts that happened from then (a date: its start, in the ledger's zone).
    pub from: Option<Written>,
    /// Only acts that happened until then (a date: its end, in the ledger's zone).
    pub to: Option<Written>,
    /// At most this many (default 1000, at most 10000).
    pub limit: Option<usize>,
    /// Only acts after this position.
    pub after: Option<u64>,
}

/// `GET /api/v1/audit/log?actor=&from=&to=`.
pub async fn log(
    State(state): State<Shared>,
    caller: Caller,
    Query(q): Query<LogQuery>,
) -> JsonResult {
    caller.require(Role::Auditor)?;
    let page = delib_projections::Page::of_log(q.limit, q.after).map_err(ApiError::bad_request)?;
    blocking(&state, move |s| {
        let zone = s.svc.zone();
        let at = |name: &str, w: Option<Written>, b: Bound| {
            w.map(|w| w.bound(zone, b))
                .transpose()
                .map_err(|m| ApiError::bad_request(format!("{name}: {m}")))
        };
        Ok(s.svc.audit_log_page(
            q.actor.as_deref(),
            at("from", q.from, Bound::Start)?,
            at("to", q.to, Bound::End)?,
            page,
        )?)
    })
    .await
    .map(Json)
}

/// `GET /api/v1/audit/verify`: as `audit verify --json` (`ok`, `size`, `root`, `problems`).
pub async fn verify(State(state): State<Shared>, caller: Caller) -> JsonResult {
    caller.require(Role::Auditor)?;
    blocking(&state, |s| {
        serde_json::to_value(verify_ledger(s.svc.ledger())).map_err(ApiError::internal)
    })
    .await
    .map(Json)
}

/// `?position=&size=` of an inclusion proof.
#[derive(Debug, Deserialize)]
pub struct ProveQuery {
    /// The record's position.
    pub position: u64,
    /// The tree size (default: the head).
    pub size: Option<u64>,
}

/// `GET /api/v1/audit/prove?position=&size=`: a proof file, as `audit prove --json`.
pub async fn prove(
    State(state): State<Shared>,
    caller: Caller,
    Query(q): Query<ProveQuery>,
) -> JsonResult {
    caller.require(Role::Auditor)?;
    blocking(&state, move |s| {
        let file = proofs::inclusion(s.svc.ledger(), q.position, q.size)?;
        serde_json::to_value(file).map_err(ApiError::internal)
    })
    .await
    .map(Json)
}

/// `?from_size=&to_size=` of a consistency proof.
#[derive(Debug, Deserialize)]
pub struct ConsistencyQuery {
    /// The earlier size.
    pub from_size: u64,
    /// The later size (default: the head).
    pub to_size: Option<u64>,
}

/// `GET /api/v1/audit/consistency?from_size=&to_size=`.
pub async fn consistency(
    State(state): State<Shared>,
    caller: Caller,
    Query(q): Query<ConsistencyQuery>,
) -> JsonResult {
    caller.require(Role::Auditor)?;
    blocking(&state, move |s| {
        let file = proofs::consistency(s.svc.ledger(), q.from_size, q.to_size)?;
        serde_json::to_value(file).map_err(ApiError::internal)
    })
    .await
    .map(Json)
}

/// `GET /api/v1/audit/checkpoints`: every checkpoint recorded in the ledger (`audit checkpoint`).
pub async fn checkpoints(State(state): State<Shared>, caller: Caller) -> JsonResult {
    caller.require(Role::Auditor)?;
    blocking(&state, |s| {
        let identity = s.svc.ledger().identity()?;
        let events = s
            .svc
            .store()
            .read_stream(identity.stream, StreamVersion::new(1))?;
        let list: Vec<Value> = events
            .iter()
            .filter_map(|e| match &e.event {
                Event::Ledger(LedgerEvent::CheckpointRecorded { size, root, note }) => {
                    Some(json!({
                        "position": e.position().get(),
                        "recorded_at": crate::app::views::rfc3339(e.metadata.recorded_at),
                        "size": size,
                        "root": hex::encode(root),
                        "checkpoint": note,
                    }))
                }
                _ => None,
            })
            .collect();
        Ok(Value::Array(list))
    })
    .await
    .map(Json)
}

/// `GET /api/v1/audit/key`: the ledger's verifier key (public: anyone checks proofs with it).
pub async fn key(State(state): State<Shared>) -> JsonResult {
    blocking(&state, |s| {
        Ok(json!({ "key": proofs::verifier_key(s.svc.ledger())? }))
    })
    .await
    .map(Json)
}

/// One event as the events endpoint and the feed show it: its metadata and one-line summary with
/// references (never a name; never a secret ballot's choice: payloads are not shown).
pub fn event_json(e: &RecordedEvent, dir: &Directory) -> Value {
    let m = &e.metadata;
    let entry = history::entry(e, dir);
    json!({
        "position": entry.position,
        "event_id": m.event_id.to_string(),
        "stream": m.stream_id.to_string(),
        "stream_version": m.stream_version.get(),
        "ref": entry.reference,
        "kind": entry.kind,
        "occurred_at": entry.occurred_at,
        "recorded_at": entry.recorded_at,
        "recorded_by": entry.recorded_by,
        "command_id": m.command_id.to_string(),
        "summary": entry.summary,
    })
}

/// `?after=N&limit=` of the events page.
#[derive(Debug, Default, Deserialize)]
pub struct EventsQuery {
    /// Events after this position (default 0: from the first).
    pub after: Option<u64>,
    /// At most this many (default 100, at most 1000).
    pub limit: Option<usize>,
}

/// `GET /api/v1/events?after=N&limit=`: `{"events": [...], "next": N|null, "head": N}`; `next` is
/// the `after` of the following page.
pub async fn events(
    State(state): State<Shared>,
    caller: Caller,
    Query(q): Query<EventsQuery>,
) -> JsonResult {
    caller.require(Role::Auditor)?;
    let after = q.after.unwrap_or(0);
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    blocking(&state, move |s| {
        let page = s
            .svc
            .store()
            .read_all(Position::new(after + 1), limit)
            .map_err(AppError::from)?;
        let views = s.svc.views()?;
        let head = s.svc.store().head().position.get();
        let last = page.last().map(|e| e.position().get());
        let list: Vec<Value> = page
            .iter()
            .map(|e| event_json(e, &views.directory))
            .collect();
        Ok(json!({
            "events": list,
            "next": last.filter(|&l| l < head),
            "head": head,
        }))
    })
    .await
    .map(Json)
}
