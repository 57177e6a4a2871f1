//! Documents (minutes 会议纪要, agreements 协议书, photos of a posting 公示) attached to an entity's
//! stream. The log holds the file's SHA-256, size, media type and title; the bytes are stored beside
//! the log, content-addressed (`DATA/documents/sha256/<hex>`), so that anyone can check the document
//! on file is the one recorded. A withdrawn document's file is deleted; its hash stays as evidence.

use crate::ids::Position;
use crate::names::brief;
use serde::{Deserialize, Serialize};

/// Events of documents; any entity's stream can hold them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentEvent {
    /// `delib attach REF --file PATH [--title T] [--private]`.
    DocumentAttached {
        /// SHA-256 of the file's bytes.
        sha256: [u8; 32],
        /// Its size in bytes.
        size: u64,
        /// Its media type (`application/pdf`, `image/jpeg`...).
        media_type: String,
        /// Its title.
        title: String,
        /// Visible to auditors only (not on public pages, the public API or public reports).
        private: bool,
    },
    /// `delib document withdraw REF --event N --reason R`: the file is deleted (it names a person
    /// later erased, say); the hash stays as evidence that it existed.
    DocumentWithdrawn {
        /// The position of the [`DocumentEvent::DocumentAttached`] withdrawn (in the same stream).
        attached: Position,
        /// The withdrawn file's SHA-256.
        sha256: [u8; 32],
        /// Why.
        reason: String,
    },
}

/// Lower-case hex of a SHA-256.
pub fn hex(sha256: &[u8; 32]) -> String {
    sha256.iter().map(|b| format!("{b:02x}")).collect()
}

impl DocumentEvent {
    /// A stable dotted name: `document.attached`, `document.withdrawn`.
    pub fn kind(&self) -> &'static str {
        match self {
            DocumentEvent::DocumentAttached { .. } => "document.attached",
            DocumentEvent::DocumentWithdrawn { .. } => "document.withdrawn",
        }
    }

    /// A one-line English summary. A private document's says only that one was attached (its
    /// title, type, size and hash are for auditors: `GET /api/v1/audit/documents`).
    pub fn summary(&self) -> String {
        match self {
            DocumentEvent::DocumentAttached { private: true, .. } => {
                "a private document was attached (visible to auditors)".to_owned()
            }
            DocumentEvent::DocumentAttached {
                sha256,
                size,
                media_type,
                title,
                ..
            } => {
                let title = brief(title);
                format!(
                    "document attached: {title} ({media_type}, {size} bytes, sha256 {})",
                    hex(sha256)
                )
            }
            // The hash stays in the record; the summary leaves it out, since the withdrawn
            // document may have been private.
            DocumentEvent::DocumentWithdrawn {
                attached, reason, ..
            } => format!(
                "document at position {attached} withdrawn (its file deleted, its hash kept in the record): {}",
                brief(reason)
            ),
        }
    }
}
