//! Safe retries of a command given its id (`--command-id UUID` on the CLI).
//!
//! The store's command index already makes an id record at most once: an append under an id it
//! holds writes nothing and returns the first positions ([`super::retry`] returns the first result
//! before deciding again). What it cannot tell is whether a retry is the *same* command. So a
//! command given an id also stores, in the same atomic append, a fingerprint of what it asked
//! (side key `cmd/<id>`): SHA-256 of the request's public fields (its secret fields, a person's name
//! or a ballot choice, are left out: the log holds the public ones anyway, and an unkeyed hash of a
//! name is a dictionary away from it), the `--at` given and the recorder. A retry with the same id
//! and a different fingerprint is refused; a person's name is compared with the directory instead.

use super::{AppError, LedgerService, Meta, Request};
use crate::store::{EventStore, SideWrite};
use delib_events::{CommandId, PersonId, Timestamp};
use sha2::{Digest, Sha256};

/// The side key of a command's fingerprint.
pub fn side_key(id: CommandId) -> Vec<u8> {
    let mut key = b"cmd/".to_vec();
    key.extend_from_slice(id.as_uuid().as_bytes());
    key
}

/// The fingerprint of a request as given: its public fields, `at` and the recorder.
pub fn fingerprint(
    request: &Request,
    at: Option<Timestamp>,
    recorded_by: Option<PersonId>,
) -> [u8; 32] {
    let value = serde_json::json!({
        "request": request,
        "at": at.map(Timestamp::as_micros),
        "recorded_by": recorded_by.map(|p| p.as_uuid().to_string()),
    });
    let (public, _secret) = crate::server::idempotency::split(&value);
    let mut h = Sha256::new();
    h.update(b"delib command fingerprint v1\n");
    h.update(serde_json::to_vec(&public).unwrap_or_default());
    h.finalize().into()
}

/// The side write that stores `meta`'s fingerprint with its events, if it has one.
pub(crate) fn side_write(meta: &Meta) -> Option<SideWrite> {
    meta.fingerprint.map(|f| SideWrite::Put {
        key: side_key(meta.command_id),
        value: f.to_vec(),
    })
}

impl LedgerService {
    /// Whether `meta`'s command id is already recorded (then the command returns its first result
    /// and records nothing).
    ///
    /// # Errors
    /// [`AppError::Invalid`] when the id was recorded for a different command; storage failures.
    pub fn replay_of(&self, meta: &Meta) -> Result<bool, AppError> {
        let Some((_, last)) = self.store().command_span(meta.command_id)? else {
            return Ok(false);
        };
        if let Some(mine) = meta.fingerprint {
            let stored = self.store().side_scan(&side_key(meta.command_id))?;
            if let Some((_, theirs)) = stored.first() {
                if theirs.as_slice() != mine.as_slice() {
                    return Err(different(meta.command_id, last.get()));
                }
            }
        }
        Ok(true)
    }
}

/// The refusal of a command id used again for another command.
pub(crate) fn different(id: CommandId, position: u64) -> AppError {
    AppError::Invalid(format!(
        "command id {id} was already used for a different command (recorded at position {position}); use a new id for a new command"
    ))
}
