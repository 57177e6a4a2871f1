//! An encrypted ballot's events, from the ledger or from an export, for `ballot verify` and
//! `ballot decrypt-share`: neither needs anything but the public record.

use super::{AppError, LedgerService};
use crate::store::EventStore;
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use delib_events::registry::RegistryEvent;
use delib_events::{BallotId, Event, LedgerEvent, RefKind, StreamId, StreamVersion};
use std::path::Path;

/// One ballot's record: the ledger it belongs to, its id and the events of its stream, in order.
#[derive(Debug, Clone)]
pub struct BallotRecord {
    /// The ledger's origin.
    pub ledger: String,
    /// The ballot.
    pub id: BallotId,
    /// Its stream's events.
    pub events: Vec<Event>,
}

impl LedgerService {
    /// The record of ballot `input` (`BAL-n` or UUID) in this ledger, durable events only.
    ///
    /// # Errors
    /// Unknown references; storage failures.
    pub fn ballot_record(&self, input: &str) -> Result<BallotRecord, AppError> {
        let id = self.ballot_id(input)?;
        let events = self
            .store()
            .read_stream(id.stream_id(), StreamVersion::new(1))?
            .into_iter()
            .map(|e| e.event)
            .collect();
        Ok(BallotRecord {
            ledger: self.origin()?,
            id,
            events,
        })
    }
}

/// The record of ballot `input` in an export (JSON Lines, as `delib export` writes): only each
/// line's `record` bytes are trusted, decoded as the store decodes them; `BAL-n` is looked up in the
/// registry events they hold.
///
/// # Errors
/// [`AppError::BadValue`] for an unreadable export or an unknown ballot.
pub fn from_export(path: &Path, input: &str) -> Result<BallotRecord, AppError> {
    let bad = |why: String| AppError::BadValue(format!("{}: {why}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let mut records = Vec::new();
    for (i, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| bad(format!("line {}: {e}", i + 1)))?;
        let bytes = v["record"]
            .as_str()
            .and_then(|r| B64.decode(r).ok())
            .ok_or_else(|| bad(format!("line {}: no record", i + 1)))?;
        let e =
            delib_events::decode_record(&bytes).map_err(|e| bad(format!("line {}: {e}", i + 1)))?;
        records.push(e);
    }
    let ledger = match records.first().map(|e| &e.event) {
        Some(Event::Ledger(LedgerEvent::LedgerInitialized { origin, .. })) => origin.clone(),
        _ => {
            return Err(bad(
                "an export starts with the ledger's initialisation".into()
            ))
        }
    };
    let stream = match input.parse::<uuid::Uuid>() {
        Ok(u) => StreamId::from_uuid(u),
        Err(_) => {
            let r: delib_events::Reference = input
                .parse()
                .map_err(|_| bad(format!("`{input}` is neither BAL-n nor a UUID")))?;
            records
                .iter()
                .find_map(|e| match &e.event {
                    Event::Registry(RegistryEvent::ReferenceAssigned {
                        kind: RefKind::Ballot,
                        number,
                        stream,
                    }) if r.kind == RefKind::Ballot && *number == r.number => Some(*stream),
                    _ => None,
                })
                .ok_or_else(|| bad(format!("no ballot {input} in this export")))?
        }
    };
    let events = records
        .into_iter()
        .filter(|e| e.metadata.stream_id == stream)
        .map(|e| e.event)
        .collect();
    Ok(BallotRecord {
        ledger,
        id: BallotId::new(stream),
        events,
    })
}
