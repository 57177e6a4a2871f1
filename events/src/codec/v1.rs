//! Payload schema version 1: the envelope followed by the event.
//!
//! Frozen: this layout is what every schema-1 record holds. A later schema adds a `v2` module and
//! an upcast from [`RecordV1`]; this one stays.

use super::{decode_exact, CodecError};
use crate::envelope::Metadata;
use crate::Event;
use serde::{Deserialize, Serialize};

/// Schema 1 as decoded.
#[derive(Debug, Deserialize)]
pub struct RecordV1 {
    /// The envelope.
    pub metadata: Metadata,
    /// The payload.
    pub event: Event,
}

/// Schema 1 as encoded (borrowing, to avoid clones on the append path).
#[derive(Debug, Serialize)]
pub(crate) struct RecordV1Ref<'a> {
    pub(crate) metadata: &'a Metadata,
    pub(crate) event: &'a Event,
}

impl RecordV1 {
    /// Converts to the current in-memory form.
    pub fn upcast(self) -> (Metadata, Event) {
        (self.metadata, self.event)
    }
}

/// Decodes a schema-1 payload.
///
/// # Errors
/// [`CodecError::Decode`] or [`CodecError::TrailingBytes`].
pub fn decode(payload: &[u8]) -> Result<RecordV1, CodecError> {
    decode_exact(payload)
}
