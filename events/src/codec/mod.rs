//! The stored record format and its codec.
//!
//! A record is the exact byte string stored for one event, and the unit of the hash chain and the
//! Merkle tree:
//!
//! ```text
//! offset  size  field
//! 0       4     magic "DLIB"
//! 4       2     record-format version (big-endian), currently 1: the layout of this header
//! 6       2     payload schema version (big-endian), currently 1: which frozen payload type follows
//! 8       32    SHA-256 of the previous record's exact bytes (zeros for position 1)
//! 40      ..    payload: bincode 2 (standard config, varint), [`CONFIG`], of the schema's type
//! ```
//!
//! Decoding always runs with a size limit ([`MAX_RECORD_LEN`]), must consume the whole slice, and
//! returns [`CodecError`] for any malformed input: it never panics and never allocates beyond the limit.
//! Old schema versions stay decodable forever: their types are frozen in `vN` modules and upcast to the
//! current [`RecordedEvent`] on read. Golden byte fixtures in `tests/fixtures/` hold one record of every
//! version.

mod error;
mod hash;
pub mod v1;

pub use error::CodecError;
pub use hash::RecordHash;

use crate::envelope::{Metadata, RecordedEvent};
use crate::Event;
use bincode::config::{Configuration, Limit, LittleEndian, Varint};

/// The four bytes every record starts with.
pub const MAGIC: [u8; 4] = *b"DLIB";
/// The version of the header layout described above.
pub const RECORD_FORMAT_VERSION: u16 = 1;
/// The payload schema version new records are written with.
pub const CURRENT_SCHEMA_VERSION: u16 = 1;
/// Bytes before the payload.
pub const HEADER_LEN: usize = 40;
/// The largest record accepted, header included (1 MiB). Larger appends are refused.
pub const MAX_RECORD_LEN: usize = 1 << 20;

/// The one bincode configuration of stored payloads. Changing it changes stored bytes: never do.
pub const CONFIG: Configuration<LittleEndian, Varint, Limit<MAX_RECORD_LEN>> =
    bincode::config::standard().with_limit::<MAX_RECORD_LEN>();

/// Encodes one event as a record following `prev_hash` in the chain.
///
/// # Errors
/// [`CodecError::TooLarge`] when the record would exceed [`MAX_RECORD_LEN`], or an encoding failure.
pub fn encode_record(
    prev_hash: &RecordHash,
    metadata: &Metadata,
    event: &Event,
) -> Result<Vec<u8>, CodecError> {
    let mut out = Vec::with_capacity(HEADER_LEN + 128);
    out.extend_from_slice(&MAGIC);
    out.extend_from_slice(&RECORD_FORMAT_VERSION.to_be_bytes());
    out.extend_from_slice(&CURRENT_SCHEMA_VERSION.to_be_bytes());
    out.extend_from_slice(prev_hash.as_bytes());
    let payload = v1::RecordV1Ref { metadata, event };
    bincode::serde::encode_into_std_write(&payload, &mut out, CONFIG)
        .map_err(|e| CodecError::Encode(e.to_string()))?;
    if out.len() > MAX_RECORD_LEN {
        return Err(CodecError::TooLarge {
            len: out.len(),
            max: MAX_RECORD_LEN,
        });
    }
    Ok(out)
}

/// The parsed fixed header of a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    /// Record-format version.
    pub format_version: u16,
    /// Payload schema version.
    pub schema_version: u16,
    /// Hash of the previous record.
    pub prev_hash: RecordHash,
}

/// Reads and checks the fixed header without decoding the payload.
///
/// # Errors
/// [`CodecError`] when the bytes are too short, the magic is wrong or a version is unknown.
pub fn decode_header(bytes: &[u8]) -> Result<Header, CodecError> {
    if bytes.len() < HEADER_LEN {
        return Err(CodecError::Truncated { len: bytes.len() });
    }
    if bytes.len() > MAX_RECORD_LEN {
        return Err(CodecError::TooLarge {
            len: bytes.len(),
            max: MAX_RECORD_LEN,
        });
    }
    if bytes[0..4] != MAGIC {
        return Err(CodecError::BadMagic);
    }
    let format_version = u16::from_be_bytes([bytes[4], bytes[5]]);
    if format_version != RECORD_FORMAT_VERSION {
        return Err(CodecError::UnknownFormatVersion(format_version));
    }
    let schema_version = u16::from_be_bytes([bytes[6], bytes[7]]);
    let mut prev = [0u8; 32];
    prev.copy_from_slice(&bytes[8..40]);
    Ok(Header {
        format_version,
        schema_version,
        prev_hash: RecordHash::from_bytes(prev),
    })
}

/// Decodes a record of any known schema version into the current [`RecordedEvent`].
///
/// # Errors
/// [`CodecError`] for malformed headers, unknown schema versions, undecodable payloads or trailing bytes.
pub fn decode_record(bytes: &[u8]) -> Result<RecordedEvent, CodecError> {
    let header = decode_header(bytes)?;
    let payload = &bytes[HEADER_LEN..];
    let (metadata, event) = match header.schema_version {
        1 => v1::decode(payload)?.upcast(),
        other => return Err(CodecError::UnknownSchemaVersion(other)),
    };
    Ok(RecordedEvent {
        metadata,
        event,
        prev_hash: header.prev_hash,
    })
}

/// Decodes a bincode payload, insisting that it consumes every byte.
pub(crate) fn decode_exact<T: serde::de::DeserializeOwned>(
    payload: &[u8],
) -> Result<T, CodecError> {
    let (value, used) = bincode::serde::decode_from_slice::<T, _>(payload, CONFIG)
        .map_err(|e| CodecError::Decode(e.to_string()))?;
    if used != payload.len() {
        return Err(CodecError::TrailingBytes {
            extra: payload.len() - used,
        });
    }
    Ok(value)
}
