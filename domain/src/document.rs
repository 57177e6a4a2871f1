//! Documents (`delib attach`, `delib document withdraw`): events in an entity's stream that record a
//! file's SHA-256, size, media type and title. The application stores the bytes (content-addressed,
//! before the append); the rules here are about the record: the entity exists, the title is a title,
//! a file is attached to an entity once, and only an attached document is withdrawn, once.

use super::{correction::Correction, title, Aggregate, Context, Rejection};
use delib_events::document::{hex, DocumentEvent};
use delib_events::{Event, Position};
use std::collections::BTreeSet;
use std::marker::PhantomData;

/// What a clerk can ask.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// Attach a stored file.
    Attach {
        /// SHA-256 of its bytes.
        sha256: [u8; 32],
        /// Size in bytes.
        size: u64,
        /// Media type.
        media_type: String,
        /// Title.
        title: String,
        /// Auditors only.
        private: bool,
    },
    /// Withdraw the document attached at `attached` ([`Context::corrected_event`] holds that event,
    /// if it is of this stream).
    Withdraw {
        /// The position of its attachment.
        attached: Position,
        /// Why.
        reason: String,
    },
}

/// An entity's state with the documents of its stream.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filed<S> {
    /// The entity.
    pub entity: S,
    /// Every file ever attached to it (withdrawn ones too).
    pub attached: BTreeSet<[u8; 32]>,
    /// The attachments withdrawn, by position.
    pub withdrawn: BTreeSet<Position>,
}

/// Documents of the entities of kind `A`, as an aggregate of their own (same stream).
#[derive(Debug)]
pub struct Documents<A>(PhantomData<A>);

impl<A: Aggregate> Aggregate for Documents<A> {
    const WHAT: &'static str = A::WHAT;
    type State = Filed<A::State>;
    type Command = Command;
    type Event = DocumentEvent;

    fn decide(
        state: &Self::State,
        cmd: Command,
        ctx: &Context,
    ) -> Result<Vec<DocumentEvent>, Rejection> {
        decide(A::WHAT, A::exists(&state.entity), state, cmd, ctx)
    }
    fn evolve(state: Self::State, event: &Event) -> Self::State {
        let Filed {
            entity,
            mut attached,
            mut withdrawn,
        } = state;
        match event {
            Event::Document(DocumentEvent::DocumentAttached { sha256, .. }) => {
                attached.insert(*sha256);
            }
            Event::Document(DocumentEvent::DocumentWithdrawn { attached: at, .. }) => {
                withdrawn.insert(*at);
            }
            _ => {}
        }
        Filed {
            entity: A::evolve(entity, event),
            attached,
            withdrawn,
        }
    }
    fn exists(state: &Self::State) -> bool {
        A::exists(&state.entity)
    }
    fn corrections(state: &Self::State) -> &[Correction] {
        A::corrections(&state.entity)
    }
    fn recheck(state: &Self::State, event: &Event, ctx: &Context) -> Option<Result<(), Rejection>> {
        match event {
            // A document's record does not depend on the entity's acts, nor they on it.
            Event::Document(_) => Some(Ok(())),
            _ => A::recheck(&state.entity, event, ctx),
        }
    }
}

/// Decides a document command on an entity of kind `what`.
///
/// # Errors
/// [`Rejection::NotFound`], the title's rules, [`Rejection::EmptyDocument`],
/// [`Rejection::DocumentOnFile`], [`Rejection::NotADocument`], [`Rejection::DocumentGone`].
pub fn decide<S>(
    what: &'static str,
    exists: bool,
    state: &Filed<S>,
    cmd: Command,
    ctx: &Context,
) -> Result<Vec<DocumentEvent>, Rejection> {
    if !exists {
        return Err(Rejection::NotFound { what });
    }
    match cmd {
        Command::Attach {
            sha256,
            size,
            media_type,
            title: t,
            private,
        } => {
            let title = title("title", t)?;
            if size == 0 {
                return Err(Rejection::EmptyDocument);
            }
            if state.attached.contains(&sha256) {
                return Err(Rejection::DocumentOnFile(hex(&sha256)));
            }
            Ok(vec![DocumentEvent::DocumentAttached {
                sha256,
                size,
                media_type,
                title,
                private,
            }])
        }
        Command::Withdraw { attached, reason } => {
            let reason = super::text("reason", reason)?;
            let sha256 = match &ctx.corrected_event {
                Some((at, Event::Document(DocumentEvent::DocumentAttached { sha256, .. })))
                    if *at == attached && ctx.stream_positions.contains(at) =>
                {
                    *sha256
                }
                _ => return Err(Rejection::NotADocument(attached)),
            };
            if state.withdrawn.contains(&attached) {
                return Err(Rejection::DocumentGone(attached));
            }
            Ok(vec![DocumentEvent::DocumentWithdrawn {
                attached,
                sha256,
                reason,
            }])
        }
    }
}

#[cfg(test)]
#[path = "document_tests.rs"]
mod tests;
