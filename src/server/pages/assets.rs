//! The site's stylesheet and icon, served by the app (no inline style or script on any page, so the
//! content security policy can forbid both).

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

/// The stylesheet: phone first, tables as cards under 40rem, a print sheet for an A4 notice.
pub const SITE_CSS: &str = include_str!("static/site.css");
/// The icon.
pub const ICON_SVG: &str = include_str!("static/icon.svg");

/// `GET /static/site.css`.
pub async fn site_css() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        SITE_CSS,
    )
}

/// `GET /static/icon.svg` (and `/favicon.ico`, which browsers ask for by themselves).
pub async fn icon_svg() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "image/svg+xml"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        ICON_SVG,
    )
}
