//! Attaching and withdrawing documents (`delib attach`, `delib document withdraw`): the file is
//! stored content-addressed first ([`super::documents`]), then its event is appended through the
//! documents aggregate of the entity's kind; a withdrawal's file is deleted once its event is
//! durable, unless another entity still has the same file attached.

use super::documents::{media_type, DocumentStore, DOCUMENT_MAX};
use super::retry::{Recorded, Target};
use super::{AppError, LedgerService, Meta};
use crate::domain::document::{self, Documents};
use crate::domain::{
    ballot, consultation, dispute, hearing, organisation, person, proposal, Context,
};
use base64::Engine;
use delib_events::{Position, RefKind};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use std::path::Path;

/// A file as a request carries it: its name (for the media type and the default title) and its
/// bytes in base64 (the API's JSON; the CLI reads `--file`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// The file's name, e.g. `会议纪要.pdf`.
    pub name: String,
    /// Its bytes, standard base64.
    pub content: String,
}

impl Attachment {
    /// The attachment of the file at `path`.
    ///
    /// # Errors
    /// [`AppError::BadValue`] when it cannot be read or is larger than [`DOCUMENT_MAX`].
    pub fn read(path: &Path) -> Result<Self, AppError> {
        let bad = |why: String| AppError::BadValue(format!("--file {}: {why}", path.display()));
        let len = std::fs::metadata(path)
            .map_err(|e| bad(e.to_string()))?
            .len();
        if len > DOCUMENT_MAX {
            return Err(bad(format!(
                "{len} bytes; a document is at most {DOCUMENT_MAX} bytes"
            )));
        }
        let bytes = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "document".into());
        Ok(Self {
            name,
            content: base64::engine::general_purpose::STANDARD.encode(bytes),
        })
    }

    fn bytes(&self) -> Result<Vec<u8>, AppError> {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(self.content.as_bytes())
            .map_err(|e| AppError::BadValue(format!("a document's content is base64: {e}")))?;
        if bytes.len() as u64 > DOCUMENT_MAX {
            return Err(AppError::BadValue(format!(
                "{} bytes; a document is at most {DOCUMENT_MAX} bytes",
                bytes.len()
            )));
        }
        Ok(bytes)
    }

    /// The title a document gets when none is given: its file name without the extension.
    fn default_title(&self) -> String {
        Path::new(&self.name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| self.name.clone())
    }
}

impl LedgerService {
    /// The documents of this ledger.
    pub fn documents(&self) -> DocumentStore {
        DocumentStore::new(self.ledger().dir())
    }

    /// Stores `file` and records its attachment to the entity `reference`. The file is on disk
    /// (synced) before the event is appended; if the command is refused, a file this call wrote
    /// is removed again.
    ///
    /// # Errors
    /// [`AppError::BadValue`] for a file that is not base64 or too large; rejections (no entity,
    /// empty file, already attached); storage and I/O failures.
    pub fn attach(
        &self,
        meta: &Meta,
        reference: &str,
        file: &Attachment,
        title: Option<String>,
        private: bool,
    ) -> Result<Recorded, AppError> {
        let bytes = file.bytes()?;
        let store = self.documents();
        let sha256: [u8; 32] = sha2::Sha256::digest(&bytes).into();
        let fresh = !bytes.is_empty()
            && !self.store().is_read_only()
            && store.check(&sha256)? != super::documents::FileState::Intact;
        if fresh {
            store.put(&bytes)?;
        }
        let cmd = document::Command::Attach {
            sha256,
            size: bytes.len() as u64,
            media_type: media_type(Path::new(&file.name), &bytes).to_owned(),
            title: title.unwrap_or_else(|| file.default_title()),
            private,
        };
        let recorded = self.record_document(meta, reference, cmd, None);
        if recorded.is_err()
            && fresh
            && !self
                .views_for(crate::projection_store::Need::directory())?
                .documents
                .by_hash(sha256)
                .any(|_| true)
        {
            // Refused: the file this call wrote is not left behind.
            store.remove(&sha256)?;
        }
        recorded
    }

    /// Whether `file` can be attached to `stream`: readable, not empty, not attached to it already.
    ///
    /// # Errors
    /// [`AppError::BadValue`], or the rejection an attachment would meet.
    pub fn attachable(
        &self,
        stream: delib_events::StreamId,
        file: &Attachment,
    ) -> Result<(), AppError> {
        let bytes = file.bytes()?;
        let rejected = |rejection: crate::domain::Rejection| AppError::Rejected {
            message: rejection.to_string(),
            rejection,
        };
        if bytes.is_empty() {
            return Err(rejected(crate::domain::Rejection::EmptyDocument));
        }
        let sha256: [u8; 32] = sha2::Sha256::digest(&bytes).into();
        if self
            .views_for(crate::projection_store::Need::directory())?
            .documents
            .of(stream)
            .any(|d| d.sha256 == sha256)
        {
            return Err(rejected(crate::domain::Rejection::DocumentOnFile(
                delib_events::document::hex(&sha256),
            )));
        }
        Ok(())
    }

    /// Records the withdrawal of the document attached at `event` to `reference`, then deletes its
    /// file unless another entity still has it attached.
    ///
    /// # Errors
    /// Rejections (not a document of this entity, withdrawn already, no reason); storage and I/O.
    pub fn withdraw_document(
        &self,
        meta: &Meta,
        reference: &str,
        event: u64,
        reason: String,
    ) -> Result<Recorded, AppError> {
        let attached = Position::new(event);
        let cmd = document::Command::Withdraw { attached, reason };
        let (_, stream) = self.resolve(reference)?;
        let found = crate::store::EventStore::read_all(self.store(), attached, 1)?
            .into_iter()
            .find(|e| e.position() == attached && e.metadata.stream_id == stream)
            .map(|e| (e.position(), e.event));
        let recorded = self.record_document(meta, reference, cmd, found)?;
        let withdrawn = recorded.events.iter().find_map(|e| match e {
            delib_events::Event::Document(
                delib_events::document::DocumentEvent::DocumentWithdrawn { sha256, .. },
            ) => Some(*sha256),
            _ => None,
        });
        if let Some(sha256) = withdrawn {
            let still = self
                .views_for(crate::projection_store::Need::directory())?
                .documents
                .by_hash(sha256)
                .any(|d| d.withdrawn.is_none());
            if !still {
                self.documents().remove(&sha256)?;
                tracing::info!(
                    sha256 = %delib_events::document::hex(&sha256),
                    "withdrawn document's file deleted"
                );
            }
        }
        Ok(recorded)
    }

    /// Finishes withdrawals a crash interrupted: a stored file whose every attachment is withdrawn
    /// is deleted (opening the service calls this; nothing to do without stored documents).
    ///
    /// # Errors
    /// Storage and I/O failures.
    pub(super) fn sweep_withdrawn_documents(&self) -> Result<(), AppError> {
        if self.store().is_read_only() {
            return Ok(());
        }
        let store = self.documents();
        let files = store.list()?;
        if files.is_empty() {
            return Ok(());
        }
        let views = self.views_for(crate::projection_store::Need::directory())?;
        for sha256 in files {
            let mut attachments = views.documents.by_hash(sha256).peekable();
            if attachments.peek().is_some() && attachments.all(|d| d.withdrawn.is_some()) {
                tracing::info!(
                    sha256 = %delib_events::document::hex(&sha256),
                    "finishing an interrupted withdrawal: file deleted"
                );
                store.remove(&sha256)?;
            }
        }
        Ok(())
    }

    fn record_document(
        &self,
        meta: &Meta,
        reference: &str,
        cmd: document::Command,
        attached: Option<(Position, delib_events::Event)>,
    ) -> Result<Recorded, AppError> {
        let (r, stream) = self.resolve(reference)?;
        let mut ctx: Context = self.context(&[], &[], &[])?;
        ctx.corrected_event = attached;
        let t = Target::Existing(r.kind, stream);
        match r.kind {
            RefKind::Organisation => {
                self.execute::<Documents<organisation::Organisation>>(meta, t, cmd, &ctx)
            }
            RefKind::Person => self.execute::<Documents<person::Person>>(meta, t, cmd, &ctx),
            RefKind::Proposal => self.execute::<Documents<proposal::Proposal>>(meta, t, cmd, &ctx),
            RefKind::Hearing => self.execute::<Documents<hearing::Hearing>>(meta, t, cmd, &ctx),
            RefKind::Consultation => {
                self.execute::<Documents<consultation::Consultation>>(meta, t, cmd, &ctx)
            }
            RefKind::Ballot => self.execute::<Documents<ballot::Ballot>>(meta, t, cmd, &ctx),
            RefKind::Dispute => self.execute::<Documents<dispute::Dispute>>(meta, t, cmd, &ctx),
        }
    }
}
