use thiserror::Error;

/// Why a record could not be encoded or decoded. Decoding errors mean damaged or foreign data: report
/// them with the record's position; never retry.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CodecError {
    /// Fewer bytes than a header.
    #[error("record truncated: {len} bytes is shorter than the 40-byte header")]
    Truncated {
        /// Length seen.
        len: usize,
    },
    /// The record is larger than allowed.
    #[error("record of {len} bytes exceeds the limit of {max} bytes")]
    TooLarge {
        /// Length seen.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The first four bytes are not `DLIB`.
    #[error("not a delib record (bad magic)")]
    BadMagic,
    /// A header layout this build does not know.
    #[error("unknown record format version {0}")]
    UnknownFormatVersion(u16),
    /// A payload schema this build does not know (written by a newer delib?).
    #[error("unknown payload schema version {0}")]
    UnknownSchemaVersion(u16),
    /// bincode could not decode the payload.
    #[error("payload does not decode: {0}")]
    Decode(String),
    /// The payload decoded but bytes were left over.
    #[error("payload has {extra} trailing bytes")]
    TrailingBytes {
        /// How many.
        extra: usize,
    },
    /// bincode could not encode the payload.
    #[error("payload does not encode: {0}")]
    Encode(String),
}
