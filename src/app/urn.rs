//! The sealed urn of secret ballots.
//!
//! A secret cast records only `BallotCast { voter, choice: None }` in the log; the choice is kept in
//! the store's side keyspace under the ballot and a random nonce (so neither key order nor position
//! tells which cast it came with), written in the same atomic append as the cast. Closing the ballot
//! reads the urn, the domain tallies it (one choice per recorded cast, or the close is refused), and the
//! same append that records the tally deletes the urn's entries. So no event, export or view ever
//! links a voter to a choice.
//!
//! Limits, stated plainly: until the close, someone with the raw data directory can read the urn's
//! choices (not who made them); sled keeps deleted values in its log files until it compacts them; an
//! export taken while a secret ballot is open does not carry its urn, so that ballot cannot be closed
//! in the imported copy.

use super::AppError;
use crate::store::{EventStore, SideWrite};
use delib_events::BallotId;

const PREFIX: &[u8] = b"urn/";

fn prefix(ballot: BallotId) -> Vec<u8> {
    let mut k = PREFIX.to_vec();
    k.extend_from_slice(&ballot.stream_id().to_bytes());
    k
}

/// The side write that seals one choice, under a random nonce.
///
/// # Errors
/// [`AppError::Internal`] when the OS has no randomness (a predictable key could reveal order).
pub fn seal(ballot: BallotId, choice: &str) -> Result<SideWrite, AppError> {
    let mut nonce = [0u8; 16];
    getrandom::getrandom(&mut nonce)
        .map_err(|e| AppError::Internal(format!("no randomness to seal a choice: {e}")))?;
    let mut key = prefix(ballot);
    key.extend_from_slice(&nonce);
    Ok(SideWrite::Put {
        key,
        value: choice.as_bytes().to_vec(),
    })
}

/// The sealed choices of a ballot, and the side writes that empty its urn.
///
/// # Errors
/// Storage failures, or a sealed value that is not UTF-8.
pub fn open(
    store: &impl EventStore,
    ballot: BallotId,
) -> Result<(Vec<String>, Vec<SideWrite>), AppError> {
    let entries = store.side_scan(&prefix(ballot))?;
    let mut choices = Vec::with_capacity(entries.len());
    let mut removals = Vec::with_capacity(entries.len());
    for (key, value) in entries {
        choices.push(
            String::from_utf8(value)
                .map_err(|_| AppError::Internal("a sealed choice is not UTF-8".into()))?,
        );
        removals.push(SideWrite::Delete { key });
    }
    Ok((choices, removals))
}

/// How many choices a ballot's urn holds (for tests and diagnostics).
///
/// # Errors
/// Storage failures.
pub fn sealed_count(store: &impl EventStore, ballot: BallotId) -> Result<usize, AppError> {
    Ok(store.side_scan(&prefix(ballot))?.len())
}
