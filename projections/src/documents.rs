//! The [`DocumentRegister`] projection: every document attached to an entity, with its hash, size,
//! media type, title, whether it is private, and its withdrawal. Public pages, the public API and the
//! transparency report list only [`DocumentView`]s of public documents; auditors see all.

use crate::projection::{advance, Projection};
use crate::time::rfc3339;
use delib_events::document::{hex, DocumentEvent};
use delib_events::{Event, Position, RecordedEvent, StreamId, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// One attachment as folded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRecord {
    /// The entity's stream.
    pub stream: StreamId,
    /// The attachment's position.
    pub position: Position,
    /// SHA-256 of the bytes.
    pub sha256: [u8; 32],
    /// Size in bytes.
    pub size: u64,
    /// Media type.
    pub media_type: String,
    /// Title.
    pub title: String,
    /// Auditors only.
    pub private: bool,
    /// When attached (the act's time).
    pub attached_at: Timestamp,
    /// Why it was withdrawn, once it is.
    pub withdrawn: Option<String>,
}

/// A document as views, pages and reports show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentView {
    /// The entity (`HEAR-2`).
    #[serde(rename = "ref")]
    pub reference: String,
    /// The attachment's position.
    pub position: u64,
    /// Hex SHA-256.
    pub sha256: String,
    /// Size in bytes.
    pub size: u64,
    /// Media type.
    pub media_type: String,
    /// Title.
    pub title: String,
    /// Auditors only.
    pub private: bool,
    /// When attached.
    pub attached_at: String,
    /// Why withdrawn (the file is gone, the hash stays), if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
}

impl DocumentRecord {
    /// The view, with the entity's reference from `dir`.
    pub fn view(&self, dir: &crate::Directory) -> DocumentView {
        DocumentView {
            reference: dir.name(self.stream),
            position: self.position.get(),
            sha256: hex(&self.sha256),
            size: self.size,
            media_type: self.media_type.clone(),
            title: self.title.clone(),
            private: self.private,
            attached_at: rfc3339(self.attached_at),
            withdrawn: self.withdrawn.clone(),
        }
    }
}

/// Every document, by the position of its attachment.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentRegister {
    last_position: u64,
    documents: BTreeMap<u64, DocumentRecord>,
}

impl DocumentRegister {
    /// Every attachment, oldest first.
    pub fn records(&self) -> impl Iterator<Item = &DocumentRecord> {
        self.documents.values()
    }

    /// The attachments of one entity, oldest first.
    pub fn of(&self, stream: StreamId) -> impl Iterator<Item = &DocumentRecord> {
        self.records().filter(move |d| d.stream == stream)
    }

    /// The attachments of one file (it may be attached to several entities).
    pub fn by_hash(&self, sha256: [u8; 32]) -> impl Iterator<Item = &DocumentRecord> {
        self.records().filter(move |d| d.sha256 == sha256)
    }

    /// The public, not withdrawn attachment of a file, if any: what `/documents/<sha256>` serves.
    pub fn public(&self, sha256: [u8; 32]) -> Option<&DocumentRecord> {
        self.by_hash(sha256)
            .find(|d| !d.private && d.withdrawn.is_none())
    }
}

impl Projection for DocumentRegister {
    const NAME: &'static str = "documents";
    const VERSION: u32 = 1;

    fn apply(&mut self, event: &RecordedEvent) {
        if !advance(&mut self.last_position, event) {
            return;
        }
        let meta = &event.metadata;
        match &event.event {
            Event::Document(DocumentEvent::DocumentAttached {
                sha256,
                size,
                media_type,
                title,
                private,
            }) => {
                self.documents.insert(
                    meta.position.get(),
                    DocumentRecord {
                        stream: meta.stream_id,
                        position: meta.position,
                        sha256: *sha256,
                        size: *size,
                        media_type: media_type.clone(),
                        title: title.clone(),
                        private: *private,
                        attached_at: meta.occurred_at,
                        withdrawn: None,
                    },
                );
            }
            Event::Document(DocumentEvent::DocumentWithdrawn {
                attached, reason, ..
            }) => {
                if let Some(d) = self.documents.get_mut(&attached.get()) {
                    d.withdrawn = Some(reason.clone());
                }
            }
            _ => {}
        }
    }

    fn last_position(&self) -> Position {
        Position::new(self.last_position)
    }
}
