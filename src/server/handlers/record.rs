//! Every recording command as a POST: the JSON body holds the command's fields (as in
//! [`crate::app::Request`], without `command`), the path names the entity acted on, an optional `at`
//! field says when the act happened. The answer is the JSON the CLI prints with `--json`.

use super::super::auth::Caller;
use super::super::error::ApiError;
use super::super::routes::CommandRoute;
use super::super::tokens::Role;
use super::super::Shared;
use crate::app::request::When;
use crate::app::Request;
use axum::extract::{RawPathParams, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{Map, Value};

/// The header naming a request for safe retries.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Parses the body and path into a [`Request`] (400 when malformed) and the optional `at`.
fn parse(
    route: &CommandRoute,
    params: &RawPathParams,
    body: &[u8],
) -> Result<(Request, Option<When>), ApiError> {
    let mut object: Map<String, Value> = if body.iter().all(u8::is_ascii_whitespace) {
        Map::new()
    } else {
        match serde_json::from_slice(body) {
            Ok(Value::Object(m)) => m,
            Ok(_) => return Err(ApiError::bad_request("the body must be a JSON object")),
            Err(e) => return Err(ApiError::bad_request(format!("malformed JSON: {e}"))),
        }
    };
    let at = match object.remove("at") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            serde_json::from_value::<When>(v)
                .map_err(|e| ApiError::bad_request(format!("at: {e}")))?,
        ),
    };
    if let Some(field) = route.target {
        let value = params
            .iter()
            .find(|(k, _)| *k == "ref")
            .map(|(_, v)| v.to_owned())
            .ok_or_else(|| ApiError::internal("route without its {ref}"))?;
        if object.contains_key(field) {
            return Err(ApiError::bad_request(format!(
                "`{field}` is given by the path; leave it out of the body"
            )));
        }
        object.insert(field.to_owned(), Value::String(value));
    }
    if object.contains_key("command") {
        return Err(ApiError::bad_request(
            "`command` is given by the path; leave it out of the body",
        ));
    }
    object.insert("command".into(), Value::String(route.command.to_owned()));
    let request = serde_json::from_value::<Request>(Value::Object(object))
        .map_err(|e| ApiError::bad_request(format!("{}: {e}", route.command)))?;
    Ok((request, at))
}

/// Handles the POST of one recording command.
///
/// # Errors
/// 401/403 without a clerk token, 400 for a malformed body or key, then as [`super::super::State::write`].
pub async fn record(
    route: &'static CommandRoute,
    State(state): State<Shared>,
    caller: Caller,
    headers: HeaderMap,
    params: RawPathParams,
    body: axum::body::Body,
) -> Result<Response, ApiError> {
    let token = caller.require(Role::Clerk)?.clone();
    // The body is read once the caller is known to be a clerk; only a file may make it large.
    let limit = if route.command == "attach" {
        crate::server::UPLOAD_LIMIT
    } else {
        crate::server::BODY_LIMIT
    };
    let body = axum::body::to_bytes(body, limit).await.map_err(|_| {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request body is larger than {limit} bytes"),
        )
    })?;
    // Times without a zone in the body are the ledger's.
    let (request, at) =
        crate::app::when::in_zone(state.svc.zone(), || parse(route, &params, &body))?;
    let key = match headers.get(IDEMPOTENCY_KEY) {
        None => None,
        Some(v) => {
            let k = v
                .to_str()
                .ok()
                .map(str::trim)
                .filter(|k| !k.is_empty() && k.len() <= 255)
                .ok_or_else(|| {
                    ApiError::bad_request("Idempotency-Key must be 1 to 255 visible characters")
                })?;
            Some(k.to_owned())
        }
    };
    // Held until the write is done, even if the client goes away: shutdown waits for all permits.
    let permit =
        state.writes.clone().acquire_owned().await.map_err(|_| {
            ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping")
        })?;
    let written = super::blocking(&state, move |s| {
        let _permit = permit;
        s.write(&token, key.as_deref(), at.map(|w| w.0), request)
    })
    .await?;
    let status = StatusCode::from_u16(written.status).unwrap_or(StatusCode::OK);
    let mut response = (status, Json(written.body)).into_response();
    if written.replayed {
        response
            .headers_mut()
            .insert("idempotent-replayed", HeaderValue::from_static("true"));
    }
    Ok(response)
}
