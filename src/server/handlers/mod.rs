//! Request handlers: [`record`] (every POST), [`views`] (views, history, reports), [`audit`] (audit log,
//! verify, proofs, checkpoints, events). Each checks access first, then does its blocking work
//! through [`blocking`].

pub mod audit;
pub mod documents;
pub mod record;
pub mod views;

use super::error::ApiError;
use super::{Shared, State};

/// Runs blocking work (sled reads, appends) on the blocking pool, never on an async worker.
///
/// # Errors
/// The work's error, or 500 if it panicked.
pub async fn blocking<T, F>(state: &Shared, f: F) -> Result<T, ApiError>
where
    F: FnOnce(&State) -> Result<T, ApiError> + Send + 'static,
    T: Send + 'static,
{
    let state = state.clone();
    tokio::task::spawn_blocking(move || f(&state))
        .await
        .map_err(ApiError::internal)?
}
