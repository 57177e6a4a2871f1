//! Read views for `show`, `list`, `history`, `dispute timeline` and `audit log`: the persisted
//! projections of `delib-projections`, brought up to the ledger's head on every read
//! ([`crate::projection_store`]), serialized with the field names of `CLI.md`.
//!
//! A dispute timeline `--as-of` / `--at-position` folds the dispute's events within the cut; it never
//! filters a finished view. A secret ballot's view never pairs a voter with a choice. Person names
//! never come from the log: only `person list` adds them, from the erasable directory.

use super::{AppError, LedgerService};
use crate::projection_store::ProjectionStore;
use crate::store::EventStore;
use delib_events::{PersonId, Position, ProposalId, RefKind, StreamId, StreamVersion, Timestamp};
use delib_projections::history::{self, AuditQuery};
use delib_projections::proposals::{ProposalFilter, ProposalStatus};
use delib_projections::{timeline, Views};
use serde::Serialize;
use serde_json::Value;

/// A timestamp as RFC 3339 in UTC (`2024-05-01T08:00:00Z`): the projections' one formatter, so every
/// output spells times the same way.
pub use delib_projections::time::rfc3339;

/// Whether `bytes[i..]` starts with a hyphenated UUID.
fn uuid_at(bytes: &[u8], i: usize) -> bool {
    if bytes.len() < i + 36 {
        return false;
    }
    (0..36).all(|k| {
        let b = bytes[i + k];
        if matches!(k, 8 | 13 | 18 | 23) {
            b == b'-'
        } else {
            b.is_ascii_hexdigit()
        }
    })
}

impl LedgerService {
    /// Every view, brought up to the ledger's head (and saved) first.
    ///
    /// # Errors
    /// Storage failures.
    pub fn views(&self) -> Result<std::sync::Arc<Views>, AppError> {
        self.views.current(self.store(), || {
            Ok(ProjectionStore::open(self.store())?.load_views()?)
        })
    }

    /// Replaces `person <uuid>`, `organisation <uuid>`... in a summary by the short reference.
    pub fn humanize(&self, text: &str) -> String {
        const WORDS: [&str; 8] = [
            "person ",
            "organisation ",
            "proposal ",
            "hearing ",
            "consultation ",
            "ballot ",
            "dispute ",
            "stream ",
        ];
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut i = 0;
        let mut copied = 0;
        while i < bytes.len() {
            if uuid_at(bytes, i) {
                let found = text[i..i + 36]
                    .parse::<uuid::Uuid>()
                    .ok()
                    .map(|u| self.label(StreamId::from_uuid(u)))
                    .filter(|l| l.len() != 36);
                if let Some(label) = found {
                    out.push_str(&text[copied..i]);
                    if let Some(w) = WORDS.iter().find(|w| out.ends_with(*w)) {
                        out.truncate(out.len() - w.len());
                    }
                    out.push_str(&label);
                    i += 36;
                    copied = i;
                    continue;
                }
            }
            i += 1;
        }
        out.push_str(&text[copied..]);
        out
    }

    /// `text` with every `PER-n` followed by the person's name from the directory, and every `ORG-n`
    /// by the organisation's public name, for human output. Erased and unknown persons stay as their
    /// reference.
    pub fn with_names(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(i) = [rest.find("PER-"), rest.find("ORG-")]
            .into_iter()
            .flatten()
            .min()
        {
            let digits = rest[i + 4..].bytes().take_while(u8::is_ascii_digit).count();
            let token = &rest[i..i + 4 + digits];
            out.push_str(&rest[..i + 4 + digits]);
            rest = &rest[i + 4 + digits..];
            if digits == 0 || rest.starts_with(" (") {
                continue;
            }
            if let Some(name) = self.name_of(token) {
                out.push_str(&format!(" ({name})"));
            }
        }
        out.push_str(rest);
        out
    }

    /// The name behind a `PER-n` (from the erasable directory) or `ORG-n` (from its registration).
    fn name_of(&self, token: &str) -> Option<String> {
        let (reference, stream) = self.resolve(token).ok()?;
        match reference.kind {
            RefKind::Person => self
                .directory
                .name(PersonId::from_uuid(*stream.as_uuid()))
                .ok()
                .flatten(),
            RefKind::Organisation => {
                let org = self
                    .load::<crate::domain::organisation::Organisation>(stream)
                    .ok()?;
                (!org.name.is_empty()).then_some(org.name)
            }
            _ => None,
        }
    }

    /// `history REF`: every event of one entity, oldest first.
    ///
    /// # Errors
    /// Unknown references, storage failures.
    pub fn history(&self, reference: &str) -> Result<Value, AppError> {
        let (_, stream) = self.resolve(reference)?;
        let views = self.views()?;
        let events = self.store().read_stream(stream, StreamVersion::new(1))?;
        to_json(&history::history(&events, &views.directory))
    }

    /// `audit log [--actor REF] [--from WHEN] [--to WHEN]`: every act in the ledger that passes the
    /// query, oldest first.
    ///
    /// # Errors
    /// Unknown references, storage failures.
    pub fn audit_log(
        &self,
        actor: Option<&str>,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
    ) -> Result<Value, AppError> {
        let actor = actor.map(|a| self.resolve(a).map(|(r, _)| r)).transpose()?;
        let views = self.views()?;
        let query = AuditQuery {
            actor,
            from,
            to,
            ..AuditQuery::default()
        };
        let events = self.store().read_all(Position::new(1), usize::MAX)?;
        to_json(&history::audit_log(&events, &views.directory, &query))
    }

    /// `proposal show`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn proposal_view(&self, id: ProposalId) -> Result<Value, AppError> {
        let views = self.views()?;
        shown(views.proposals.show(id.stream_id(), &views.directory))
    }

    /// `hearing show`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn hearing_view(&self, stream: StreamId) -> Result<Value, AppError> {
        let views = self.views()?;
        shown(views.hearings.show(stream, &views.directory))
    }

    /// `consultation show`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn consultation_view(&self, stream: StreamId) -> Result<Value, AppError> {
        let views = self.views()?;
        shown(views.consultations.show(stream, &views.directory))
    }

    /// `ballot show`: the tally once closed; `votes` (voter to choice) only for an open ballot.
    ///
    /// # Errors
    /// Storage failures.
    pub fn ballot_view(&self, stream: StreamId) -> Result<Value, AppError> {
        let views = self.views()?;
        shown(views.ballots.show(stream, &views.directory))
    }

    /// `dispute show` and `dispute timeline`: with a cut (`as_of`: acts that happened by then;
    /// `at_position`: what the ledger held at that position), the dispute's events within the cut are
    /// folded afresh.
    ///
    /// # Errors
    /// [`AppError::Rejected`]-like failures when the dispute did not exist yet at the cut; storage.
    pub fn dispute_view(
        &self,
        stream: StreamId,
        as_of: Option<Timestamp>,
        at_position: Option<Position>,
    ) -> Result<Value, AppError> {
        let views = self.views()?;
        if as_of.is_none() && at_position.is_none() {
            return shown(views.disputes.show(stream, &views.directory));
        }
        let events = self.store().read_stream(stream, StreamVersion::new(1))?;
        match timeline::timeline(&events, as_of, at_position, &views.directory) {
            Some(t) => to_json(&t),
            None => Err(AppError::NotYetThen(self.label(stream))),
        }
    }

    /// `proposal list [--status S] [--category C]`.
    ///
    /// # Errors
    /// An unknown status or category; storage failures.
    pub fn proposal_list(&self, status: Option<&str>) -> Result<Value, AppError> {
        let status = match status {
            Some(s) => Some(ProposalStatus::parse(s).ok_or_else(|| AppError::BadValue(format!(
                "unknown proposal status `{s}` (submitted admitted returned withdrawn adopted rejected in-progress completed)"
            )))?),
            None => None,
        };
        let views = self.views()?;
        to_json(&views.proposals.list(
            ProposalFilter {
                status,
                category: None,
            },
            &views.directory,
        ))
    }

    /// `hearing list`, `consultation list`, `ballot list`, `dispute list`, `org list`, `person list`.
    /// `person list` adds each person's name from the directory (null once erased).
    ///
    /// # Errors
    /// Storage failures.
    pub fn list(&self, kind: RefKind) -> Result<Value, AppError> {
        let views = self.views()?;
        let dir = &views.directory;
        match kind {
            RefKind::Proposal => self.proposal_list(None),
            RefKind::Hearing => to_json(&views.hearings.list(dir)),
            RefKind::Consultation => to_json(&views.consultations.list(dir)),
            RefKind::Ballot => to_json(&views.ballots.list(dir)),
            RefKind::Dispute => to_json(&views.disputes.list(dir)),
            RefKind::Organisation => to_json(&dir.organisations()),
            RefKind::Person => {
                let mut out = Vec::new();
                for person in dir.persons() {
                    let stream = person.reference.parse().ok().and_then(|r| dir.resolve(r));
                    let name = match stream {
                        Some(s) if !person.erased => {
                            self.directory.name(PersonId::from_uuid(*s.as_uuid()))?
                        }
                        _ => None,
                    };
                    let mut v = to_json(&person)?;
                    if let Value::Object(m) = &mut v {
                        m.insert(
                            "status".into(),
                            Value::from(if person.erased {
                                "erased"
                            } else {
                                "registered"
                            }),
                        );
                        m.insert("name".into(), name.map_or(Value::Null, Value::String));
                    }
                    out.push(v);
                }
                Ok(Value::Array(out))
            }
        }
    }
}

fn to_json<T: Serialize>(view: &T) -> Result<Value, AppError> {
    serde_json::to_value(view).map_err(|e| AppError::Internal(e.to_string()))
}

/// A shown view; `None` means the projection does not know the entity although it resolved: the
/// registry and the projection disagree, which is an integrity problem.
fn shown<T: Serialize>(view: Option<T>) -> Result<Value, AppError> {
    match view {
        Some(v) => to_json(&v),
        None => Err(AppError::Internal(
            "the views do not know this entity; run `delib projections rebuild`".into(),
        )),
    }
}
