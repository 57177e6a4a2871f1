//! Documents: the public list (`GET /api/v1/documents`), every document for auditors
//! (`GET /api/v1/audit/documents`), and a document's bytes (`GET /documents/{sha256}`): public ones
//! to anyone, private ones to an auditor's token only; withdrawn ones to no one.

use super::super::auth::Caller;
use super::super::error::ApiError;
use super::super::tokens::Role;
use super::super::Shared;
use super::blocking;
use crate::app::documents::{inline, parse_hex};
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

/// `GET /api/v1/documents`: public documents (not private, withdrawn ones with their reason).
pub async fn list(State(state): State<Shared>) -> Result<Json<Value>, ApiError> {
    blocking(&state, |s| {
        let views = s.svc.views()?;
        let docs: Vec<_> = views
            .documents
            .records()
            .filter(|d| !d.private)
            .map(|d| d.view(&views.directory))
            .collect();
        serde_json::to_value(docs).map_err(ApiError::internal)
    })
    .await
    .map(Json)
}

/// `GET /api/v1/audit/documents`: every document, private ones included (auditors).
pub async fn audit_list(
    State(state): State<Shared>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    caller.require(Role::Auditor)?;
    blocking(&state, |s| {
        let views = s.svc.views()?;
        let docs: Vec<_> = views
            .documents
            .records()
            .map(|d| d.view(&views.directory))
            .collect();
        serde_json::to_value(docs).map_err(ApiError::internal)
    })
    .await
    .map(Json)
}

/// `GET /documents/{sha256}`: the bytes, with their media type, `nosniff` (set on every answer),
/// and `Content-Disposition: attachment` unless a plain image or PDF.
pub async fn file(
    State(state): State<Shared>,
    Path(hex): Path<String>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let not_found = || ApiError::new(StatusCode::NOT_FOUND, "no such document");
    let sha256 = parse_hex(&hex.to_ascii_lowercase()).ok_or_else(not_found)?;
    let auditor = matches!(&caller, Caller::Token(t) if t.role == Role::Auditor);
    let found = blocking(&state, move |s| {
        let views = s.svc.views()?;
        let record = views
            .documents
            .public(sha256)
            .or_else(|| {
                auditor
                    .then(|| {
                        views
                            .documents
                            .by_hash(sha256)
                            .find(|d| d.withdrawn.is_none())
                    })
                    .flatten()
            })
            .cloned();
        let Some(record) = record else {
            return Ok(None);
        };
        let bytes = s.svc.documents().get(&sha256).map_err(ApiError::internal)?;
        Ok(bytes.map(|b| (record, b)))
    })
    .await?;
    let (record, bytes) = found.ok_or_else(not_found)?;
    let media = HeaderValue::from_str(&record.media_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    let disposition = if inline(&record.media_type) {
        "inline"
    } else {
        "attachment"
    };
    let name = format!("{disposition}; filename=\"{hex}\"");
    let mut r = bytes.into_response();
    let h = r.headers_mut();
    h.insert(CONTENT_TYPE, media);
    h.insert(
        CONTENT_DISPOSITION,
        HeaderValue::from_str(&name).map_err(ApiError::internal)?,
    );
    h.insert(
        CACHE_CONTROL,
        HeaderValue::from_static(if record.private {
            "private, no-store"
        } else {
            "public, max-age=31536000, immutable"
        }),
    );
    Ok(r)
}
