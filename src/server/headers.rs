//! Security headers on every answer, page or API: a content security policy that allows no script
//! at all and styles and images only from the app itself, no framing, no MIME sniffing, and no
//! referrer sent to other sites (`same-origin`). A handler that needs a looser policy for one answer (the
//! self-contained report file, whose styles are inline) sets its own `Content-Security-Policy`,
//! which is kept.

use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::response::Response;

/// The policy of every answer.
pub const CSP: &str = "default-src 'none'; script-src 'none'; style-src 'self'; img-src 'self'; \
font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// The policy of the self-contained report file (its styles are inline; still no script).
pub const CSP_INLINE_STYLE: &str =
    "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; \
img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Adds the headers to an answer.
pub async fn add(mut response: Response) -> Response {
    let h = response.headers_mut();
    if !h.contains_key(CONTENT_SECURITY_POLICY) {
        h.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    }
    h.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // `same-origin`, not `no-referrer`: under `no-referrer` a browser sends `Origin: null` on a
    // form's POST, and the console (rightly) refuses a null origin; either way no other site is
    // told where a reader came from.
    h.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}
