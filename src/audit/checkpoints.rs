//! Signing and recording checkpoints of a ledger, and finding the latest one.

use super::checkpoint::{Checkpoint, CheckpointError, SignedCheckpoint};
use super::keys::{self, KeyError};
use crate::ledger::Ledger;
use crate::store::{AppendError, AppendRequest, EventStore, ExpectedVersion, NewEvent, StoreError};
use delib_events::{CommandId, Event, LedgerEvent, StreamKind, StreamVersion};
use thiserror::Error;

/// Why a checkpoint could not be made.
#[derive(Debug, Error)]
pub enum CheckpointingError {
    /// Storage failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The signing key is missing or malformed.
    #[error(transparent)]
    Key(#[from] KeyError),
    /// The checkpoint could not be signed.
    #[error(transparent)]
    Checkpoint(#[from] CheckpointError),
    /// Recording it failed.
    #[error(transparent)]
    Append(#[from] AppendError),
}

/// A checkpoint as recorded in the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCheckpoint {
    /// The signed checkpoint.
    pub checkpoint: Checkpoint,
    /// Its signed note, as published.
    pub note: String,
    /// The position of the event that records it (0 if not recorded).
    pub position: u64,
}

/// Signs a checkpoint of the first `size` records, without recording it.
///
/// # Errors
/// [`CheckpointingError`].
pub fn sign(ledger: &Ledger, size: u64) -> Result<(Checkpoint, String), CheckpointingError> {
    let identity = ledger.identity()?;
    let signer = keys::load(ledger.dir())?;
    let root = ledger.store().merkle_root(size)?;
    let checkpoint = Checkpoint {
        origin: identity.origin,
        size,
        root,
    };
    let signed: SignedCheckpoint = signer.sign(checkpoint.clone())?;
    Ok((checkpoint, signed.to_note()))
}

/// Signs the current tree head and records the checkpoint in the ledger stream.
///
/// # Errors
/// [`CheckpointingError`].
pub fn record(ledger: &Ledger) -> Result<RecordedCheckpoint, CheckpointingError> {
    let size = ledger.store().head().position.get();
    let (checkpoint, note) = sign(ledger, size)?;
    record_signed(ledger, checkpoint, note)
}

/// Records a checkpoint signed earlier with [`sign`] (for a command that writes its output file
/// first and records only once that succeeded).
///
/// # Errors
/// [`CheckpointingError`].
pub fn record_signed(
    ledger: &Ledger,
    checkpoint: Checkpoint,
    note: String,
) -> Result<RecordedCheckpoint, CheckpointingError> {
    let size = checkpoint.size;
    let event = Event::Ledger(LedgerEvent::CheckpointRecorded {
        size,
        root: *checkpoint.root.as_bytes(),
        note: note.clone(),
    });
    let request = AppendRequest::single(
        CommandId::from_uuid(uuid::Uuid::now_v7()),
        ledger.identity()?.stream,
        StreamKind::Ledger,
        ExpectedVersion::Any,
        vec![NewEvent::new(event, ledger.clock().now())],
    );
    let appended = ledger.store().append_blocking(request)?;
    Ok(RecordedCheckpoint {
        checkpoint,
        note,
        position: appended.last.get(),
    })
}

/// The latest recorded checkpoint, if any.
///
/// # Errors
/// Storage failures, or a recorded note that does not parse.
pub fn latest(ledger: &Ledger) -> Result<Option<RecordedCheckpoint>, CheckpointingError> {
    let stream = ledger.identity()?.stream;
    let events = ledger.store().read_stream(stream, StreamVersion::new(1))?;
    let last = events.iter().rev().find_map(|e| match &e.event {
        Event::Ledger(LedgerEvent::CheckpointRecorded { note, .. }) => {
            Some((note.clone(), e.position().get()))
        }
        _ => None,
    });
    match last {
        None => Ok(None),
        Some((note, position)) => {
            let checkpoint = SignedCheckpoint::parse(&note)?.checkpoint().clone();
            Ok(Some(RecordedCheckpoint {
                checkpoint,
                note,
                position,
            }))
        }
    }
}

/// The latest recorded checkpoint if it covers every record but itself (nothing else was recorded
/// since), so that a report of this size can state it instead of recording another.
///
/// # Errors
/// As [`latest`].
pub fn covering(ledger: &Ledger) -> Result<Option<RecordedCheckpoint>, CheckpointingError> {
    let head = ledger.store().head().position.get();
    Ok(latest(ledger)?.filter(|cp| cp.position == head && cp.checkpoint.size + 1 == head))
}

/// A checkpoint that covers every record except checkpoint records after it: the latest one if
/// nothing but itself was recorded since, otherwise a new one, recorded.
///
/// # Errors
/// [`CheckpointingError`].
pub fn current(ledger: &Ledger) -> Result<RecordedCheckpoint, CheckpointingError> {
    match covering(ledger)? {
        Some(cp) => Ok(cp),
        None => record(ledger),
    }
}
