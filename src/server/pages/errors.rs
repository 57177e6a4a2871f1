//! Error pages: a failed page read answers with its status and a short page in the reader's
//! language (never JSON to a browser). The API keeps its JSON errors.

use super::ctx::PageCtx;
use super::layout;
use crate::server::error::ApiError;
use crate::server::i18n::Lang;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use maud::html;
use serde_json::json;

/// The page of a failed read.
pub fn page(ctx: &PageCtx, e: &ApiError) -> Response {
    let tr = ctx.tr;
    let key = match e.status {
        StatusCode::NOT_FOUND => "404",
        StatusCode::BAD_REQUEST => "400",
        StatusCode::UNPROCESSABLE_ENTITY => "422",
        StatusCode::SERVICE_UNAVAILABLE => "503",
        _ => "500",
    };
    let title = tr.t(&format!("error-{key}-title"));
    let body = html! {
        p { (tr.t(&format!("error-{key}-body"))) }
        @if ctx.lang() == Lang::En && !e.message.is_empty() && key != "500" {
            p.detail { (e.message) }
        }
        p { a href=(ctx.link("/")) { (tr.t("error-back")) } }
    };
    (e.status, layout::page(ctx, &title, body)).into_response()
}

/// Any path no route serves: JSON under `/api/`, a page in the reader's language elsewhere.
pub async fn not_found(ctx: PageCtx, uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": "no such route; see /api/v1/openapi.json"})),
        )
            .into_response();
    }
    page(&ctx, &ApiError::new(StatusCode::NOT_FOUND, ""))
}
