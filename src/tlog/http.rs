//! `serve`'s read-only tiled-log endpoints (public): `/tlog/checkpoint` (a checkpoint of the durable
//! head, signed with the ledger's key, cached for a few seconds) and `/tlog/tile/...` (tiles and entry
//! bundles, immutable). Gzip is applied by the route's compression layer when the client accepts it.

use super::paths::Tile;
use super::{tiles, TlogError};
use crate::audit::checkpoints;
use crate::server::error::ApiError;
use crate::server::handlers::blocking;
use crate::server::Shared;
use crate::store::EventStore;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// `Cache-Control` of tiles and bundles: a tile's bytes at its path never change.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `Cache-Control` of the checkpoint, which changes as the ledger grows.
pub const CHECKPOINT_CACHE: &str = "public, max-age=5";

/// `GET /tlog/checkpoint`.
///
/// # Errors
/// Storage or key failures (500).
pub async fn checkpoint(State(state): State<Shared>) -> Result<Response, ApiError> {
    let note = blocking(&state, |s| {
        let ledger = s.svc.ledger();
        let size = ledger.store().head().position.get();
        Ok(checkpoints::sign(ledger, size)
            .map_err(|e| ApiError::from(TlogError::from(e)))?
            .1)
    })
    .await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static(CHECKPOINT_CACHE),
            ),
        ],
        note,
    )
        .into_response())
}

/// `GET /tlog/tile/{*path}`: `<L>/<N>[.p/<W>]` or `entries/<N>[.p/<W>]`.
///
/// # Errors
/// 400 for a path that is not a tile path, 404 for a tile the tree does not hold (yet).
pub async fn tile(
    State(state): State<Shared>,
    Path(path): Path<String>,
) -> Result<Response, ApiError> {
    let tile = Tile::parse(&format!("tile/{path}")).map_err(TlogError::from)?;
    let bytes = blocking(&state, move |s| {
        tiles::tile_bytes(s.svc.store(), &tile).map_err(ApiError::from)
    })
    .await?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/octet-stream"),
            ),
            (header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
        ],
        bytes,
    )
        .into_response())
}
