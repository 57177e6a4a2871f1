//! **The one place** that maps failures to HTTP statuses (as `cli::error` maps them to exit codes):
//! 422 a domain rule or wrong state (nothing recorded), 404 an unknown reference, 400 a malformed
//! request, 409 a conflict that survived the retries, 401/403 access, 503
//! (with `Retry-After`) a storage failure, 500 damage or a bug. No internals in any answer.

use crate::app::AppError;
use crate::audit::proofs::ProofError;
use crate::store::StoreError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// What a 503 asks a client to wait before retrying, in seconds.
pub const RETRY_AFTER_SECONDS: &str = "5";

/// A failed request: a status and a one-line message, sent as `{"error": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The message (for rejections, the rule: `rule: ...`).
    pub message: String,
}

impl ApiError {
    /// An error with a status and message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self {
            status,
            message: message.into(),
        }
    }

    /// 400: a malformed request.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// 401: no valid token.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, message)
    }

    /// 403: a valid token without the role.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, message)
    }

    /// 503 with `Retry-After`: the storage failed (`what`, in plain words). The request may not
    /// have been recorded; a retry with the same `Idempotency-Key` never records twice.
    pub fn unavailable(what: &str) -> Self {
        Self::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "storage failure: {what}. The request may not have been recorded: retry it later with \
                 the same Idempotency-Key (a retry never records twice)"
            ),
        )
    }

    /// 500: something broke inside.
    pub fn internal(message: impl std::fmt::Display) -> Self {
        tracing::error!(cause = %message, "internal error");
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, message.to_string())
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let status = match e {
            AppError::Internal(m) => return ApiError::internal(m),
            AppError::Directory(io) => return ApiError::from(StoreError::Io(io)),
            AppError::Store(s) => return s.into(),
            AppError::Rejected { .. }
            | AppError::WrongKind { .. }
            | AppError::BadRecorder(_)
            | AppError::Invalid(_)
            | AppError::NotYetThen(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::UnknownReference(_) => StatusCode::NOT_FOUND,
            AppError::BadValue(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict { .. } => StatusCode::CONFLICT,
        };
        ApiError::new(status, e.to_string())
    }
}

impl From<StoreError> for ApiError {
    /// A storage failure is a 503 with `Retry-After` and a plain message: what failed in plain
    /// words, never the error's internals (those go to the log).
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Poisoned
            | StoreError::Closed
            | StoreError::Io(_)
            | StoreError::Sled(_)
            | StoreError::Locked { .. } => {
                tracing::error!(cause = %e, "storage failure");
                ApiError::unavailable(e.plain())
            }
            StoreError::Halted(_) | StoreError::ReadOnly(_) => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, e.to_string())
            }
            StoreError::Corrupt { .. } | StoreError::Codec { .. } => ApiError::internal(e),
            StoreError::NotFound(_) | StoreError::NotEmpty(_) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string())
            }
        }
    }
}

impl From<ProofError> for ApiError {
    fn from(e: ProofError) -> Self {
        match e {
            ProofError::Range(_) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
            ProofError::Key(m) => ApiError::internal(m),
            ProofError::Store(s) => s.into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(json!({ "error": self.message }))).into_response();
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECONDS),
            );
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<crate::tlog::TlogError> for ApiError {
    fn from(e: crate::tlog::TlogError) -> Self {
        use crate::tlog::TlogError;
        match e {
            TlogError::BadPath(_) => ApiError::bad_request(e.to_string()),
            TlogError::NoSuchTile { .. } => ApiError::new(StatusCode::NOT_FOUND, e.to_string()),
            TlogError::Store(s) => s.into(),
            other => ApiError::internal(other),
        }
    }
}
