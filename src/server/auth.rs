//! Who is calling: the bearer token of a request, checked against [`super::tokens::Tokens`].
//!
//! The rules, enforced by each handler calling [`Caller::require`] before it reads or writes:
//! - anyone (no token) reads the public views, reports and pages: never person names, never a
//!   secret ballot's choices (the views never pair them);
//! - a **clerk** records (every POST); `recorded_by` is the token's person;
//! - an **auditor** reads everything: persons with names, the audit log and endpoints, the events and
//!   the live feed. Auditors do not record.
//!
//! A request with an `Authorization` header that is not a live token gets 401 even on public routes,
//! so a client never mistakes a revoked token for anonymous access.

use super::error::ApiError;
use super::tokens::{Role, TokenRecord};
use super::Shared;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;

/// The caller of a request.
#[derive(Debug, Clone)]
pub enum Caller {
    /// No token.
    Anonymous,
    /// A live token.
    Token(TokenRecord),
}

impl Caller {
    /// The token if it has `role`: 401 without a token, 403 with a token of another role.
    ///
    /// # Errors
    /// [`ApiError`] 401 or 403.
    pub fn require(&self, role: Role) -> Result<&TokenRecord, ApiError> {
        match self {
            Caller::Anonymous => Err(ApiError::unauthorized(format!(
                "this needs a {role} token (Authorization: Bearer ...)"
            ))),
            Caller::Token(t) if t.role == role => Ok(t),
            Caller::Token(t) => Err(ApiError::forbidden(format!(
                "this needs a {role} token; token {} is an {} token",
                t.id, t.role
            ))),
        }
    }

    /// Whether the caller is an auditor.
    pub fn is_auditor(&self) -> bool {
        matches!(self, Caller::Token(t) if t.role == Role::Auditor)
    }
}

impl FromRequestParts<Shared> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(AUTHORIZATION) else {
            return Ok(Caller::Anonymous);
        };
        let secret = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.len() <= 200)
            .ok_or_else(|| ApiError::unauthorized("Authorization must be `Bearer <token>`"))?
            .to_owned();
        let state = state.clone();
        let found = tokio::task::spawn_blocking(move || state.tokens.authenticate(&secret))
            .await
            .map_err(ApiError::internal)??;
        found
            .map(Caller::Token)
            .ok_or_else(|| ApiError::unauthorized("unknown or revoked token"))
    }
}
