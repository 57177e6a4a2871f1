//! Read views for `show`, `list`, `history`, `dispute timeline` and `audit log`: the persisted
//! projections of `delib-projections`, brought up to the ledger's head on every read
//! ([`crate::projection_store`]), serialized with the field names of `CLI.md`.
//!
//! A dispute timeline `--as-of` / `--at-position` folds the dispute's events within the cut; it never
//! filters a finished view. A secret ballot's view never pairs a voter with a choice. Person names
//! never come from the log: only `person list` adds them, from the erasable directory.

use super::{AppError, LedgerService};
use crate::projection_store::{Need, ProjectionStore};
use crate::store::EventStore;
use delib_events::{PersonId, Position, ProposalId, RefKind, StreamId, StreamVersion, Timestamp};
use delib_projections::ballots::BallotResults;
use delib_projections::consultations::ConsultationOutcomes;
use delib_projections::disputes::DisputeTimelines;
use delib_projections::hearings::HearingRecords;
use delib_projections::history::{self, AuditQuery};
use delib_projections::proposals::{ProposalBoard, ProposalFilter, ProposalStatus};
use delib_projections::{timeline, Keyed, Page, Rows, Views};
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

/// What a transparency report reads ([`LedgerService::report_views`]): views, and the hearings as
/// their rows and statements' times when the views' hearings were left out.
pub(super) type ReportRead = (
    std::sync::Arc<Views>,
    Option<Vec<delib_projections::report::ReportedHearing>>,
);

impl LedgerService {
    /// Every view, brought up to the ledger's head (and saved) first.
    ///
    /// # Errors
    /// Storage failures.
    pub fn views(&self) -> Result<std::sync::Arc<Views>, AppError> {
        self.views.current(
            self.store(),
            || Ok(ProjectionStore::open(self.store())?.load_views()?),
            &|v, since, touched| self.save_views(v, since, touched),
        )
    }

    /// The views at the ledger's head holding at least what `need` asks: the views in memory when
    /// this service holds them (the server), otherwise only the records asked for, read from the
    /// persisted projections (a CLI read of one entity or one page reads just those).
    ///
    /// # Errors
    /// Storage failures.
    pub fn views_for(&self, need: Need) -> Result<std::sync::Arc<Views>, AppError> {
        if let Some(held) = self.held_views()? {
            return Ok(held);
        }
        if need == Need::All {
            return self.views();
        }
        Ok(std::sync::Arc::new(
            ProjectionStore::open(self.store())?.load(&need)?,
        ))
    }

    /// What a transparency report over the views at the head reads: the views in memory when this
    /// service holds them (the server), with `None`; otherwise every stored record but the
    /// hearings' (the views' hearings then hold at most those a catch-up loaded: not to be read),
    /// with every hearing as its stored row and statements' times, so that a report does not
    /// decode every statement to count them.
    ///
    /// # Errors
    /// Storage failures.
    pub(super) fn report_views(&self) -> Result<ReportRead, AppError> {
        use delib_projections::Projection;
        if let Some(held) = self.held_views()? {
            return Ok((held, None));
        }
        let store = ProjectionStore::open(self.store())?;
        let views = store.load(&Need::AllBut(HearingRecords::NAME))?;
        let hearings = store
            .rows_and_digests::<HearingRecords>()?
            .into_iter()
            .map(
                |(_, row, statements)| delib_projections::report::ReportedHearing {
                    record: std::sync::Arc::new(row.record),
                    statements,
                },
            )
            .collect();
        Ok((std::sync::Arc::new(views), Some(hearings)))
    }

    /// Brings the stored views to the head: what the views held in memory folded, caught up first,
    /// and whatever they did not cover (the server does on stopping; the next process then folds
    /// nothing).
    ///
    /// # Errors
    /// Storage failures.
    pub fn save_held_views(&self) -> Result<(), AppError> {
        // Caught up first (in memory, if held), so that what is saved is the head.
        self.held_views()?;
        self.save_folded_views()?;
        // And if none were held, the stored ones catch up by themselves (only the new events'
        // streams are loaded).
        if !self.store().is_read_only() {
            ProjectionStore::open(self.store())?.load(&Need::directory())?;
        }
        Ok(())
    }

    /// Saves what the views held in memory folded since their last save (nothing when none are
    /// held: a CLI process).
    ///
    /// # Errors
    /// Storage failures.
    pub fn save_folded_views(&self) -> Result<(), AppError> {
        self.views
            .save(&|v, since, touched| self.save_views(v, since, touched))
    }

    /// The views held in memory, caught up (and saved when due); `None` in a process that holds
    /// none (a CLI command).
    fn held_views(&self) -> Result<Option<std::sync::Arc<Views>>, AppError> {
        self.views.if_held(self.store(), &|v, since, touched| {
            self.save_views(v, since, touched)
        })
    }

    fn save_views(
        &self,
        views: &Views,
        since: u64,
        touched: &std::collections::BTreeSet<StreamId>,
    ) -> Result<(), AppError> {
        if self.store().is_read_only() {
            return Ok(());
        }
        Ok(ProjectionStore::open(self.store())?.save_changes(views, since, touched)?)
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
        self.with_names_inner(text)
    }

    /// A person's name from the directory (`None` once erased): for the clerk's console, never for
    /// a public page.
    ///
    /// # Errors
    /// Directory I/O.
    pub fn person_name(&self, person: PersonId) -> Result<Option<String>, AppError> {
        Ok(self.directory.name(person)?)
    }

    fn with_names_inner(&self, text: &str) -> String {
        // One pass over the text, and one lookup per distinct reference: a long audit log names the
        // same few persons thousands of times.
        let mut names: std::collections::HashMap<&str, Option<String>> =
            std::collections::HashMap::new();
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len() + text.len() / 8);
        let mut copied = 0;
        let mut i = 0;
        while i + 4 <= bytes.len() {
            let prefix = &bytes[i..i + 4];
            if prefix != b"PER-" && prefix != b"ORG-" {
                i += 1;
                continue;
            }
            let digits = bytes[i + 4..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let end = i + 4 + digits;
            if digits == 0 || bytes[end..].starts_with(b" (") {
                i = end;
                continue;
            }
            let token = &text[i..end];
            let name = names
                .entry(token)
                .or_insert_with(|| self.name_of(token))
                .as_deref();
            out.push_str(&text[copied..end]);
            if let Some(name) = name {
                out.push_str(" (");
                out.push_str(name);
                out.push(')');
            }
            copied = end;
            i = end;
        }
        out.push_str(&text[copied..]);
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
                (!org.state.name.is_empty()).then(|| org.state.name.clone())
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
        let views = self.views_for(Need::directory())?;
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
        self.audit_log_page(actor, from, to, Page::ALL)
    }

    /// One page of `audit log`: the matching acts after position `page.after`, at most
    /// `page.limit` of them. The log is read in chunks and the read stops once the page is full, so
    /// a page costs what it shows plus what it skips, never the whole ledger in memory.
    ///
    /// # Errors
    /// Unknown references, storage failures.
    pub fn audit_log_page(
        &self,
        actor: Option<&str>,
        from: Option<Timestamp>,
        to: Option<Timestamp>,
        page: Page,
    ) -> Result<Value, AppError> {
        const CHUNK: usize = 4096;
        let actor = actor.map(|a| self.resolve(a).map(|(r, _)| r)).transpose()?;
        let views = self.views_for(Need::directory())?;
        let query = AuditQuery {
            actor,
            from,
            to,
            ..AuditQuery::default()
        };
        let head = self.store().head().position.get();
        let mut entries = Vec::new();
        let mut next = page.after.saturating_add(1);
        while entries.len() < page.limit && next <= head {
            let chunk = self.store().read_all(Position::new(next), CHUNK)?;
            let Some(last) = chunk.last() else { break };
            next = last.position().get() + 1;
            let wanted = page.limit - entries.len();
            entries.extend(
                history::audit_log(&chunk, &views.directory, &query)
                    .into_iter()
                    .take(wanted),
            );
        }
        to_json(&entries)
    }

    /// `proposal show`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn proposal_view(&self, id: ProposalId) -> Result<Value, AppError> {
        let views = self.views_for(Need::one(id.stream_id()))?;
        shown(views.proposals.show(id.stream_id(), &views.directory))
    }

    /// `hearing show`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn hearing_view(&self, stream: StreamId) -> Result<Value, AppError> {
        let views = self.views_for(Need::one(stream))?;
        shown(views.hearings.show(stream, &views.directory))
    }

    /// `consultation show`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn consultation_view(&self, stream: StreamId) -> Result<Value, AppError> {
        let views = self.views_for(Need::one(stream))?;
        shown(views.consultations.show(stream, &views.directory))
    }

    /// `ballot show`: the tally once closed; `votes` (voter to choice) only for an open ballot.
    ///
    /// # Errors
    /// Storage failures.
    pub fn ballot_view(&self, stream: StreamId) -> Result<Value, AppError> {
        let views = self.views_for(Need::one(stream))?;
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
        let views = self.views_for(Need::one(stream))?;
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
        self.proposal_list_page(status, Page::ALL)
    }

    /// One page of `proposal list [--status S]`.
    ///
    /// # Errors
    /// An unknown status; storage failures.
    pub fn proposal_list_page(&self, status: Option<&str>, page: Page) -> Result<Value, AppError> {
        let status = match status {
            Some(s) => Some(ProposalStatus::parse(s).ok_or_else(|| AppError::BadValue(format!(
                "unknown proposal status `{s}` (submitted admitted returned withdrawn adopted rejected in-progress completed)"
            )))?),
            None => None,
        };
        let select = |dir: &delib_projections::Directory| match status {
            None => dir.page(RefKind::Proposal, page),
            Some(_) => dir.page(RefKind::Proposal, Page::ALL),
        };
        let (views, rows) = self.rows_of(|v| &v.proposals, select)?;
        list_rows(rows, &views.directory, |board: &ProposalBoard| {
            board.list_page(
                ProposalFilter {
                    status,
                    category: None,
                },
                &views.directory,
                page,
            )
        })
    }

    /// The list rows of some entities of one projection, chosen from the directory at the head: from
    /// the views in memory when this service holds them, otherwise from the rows stored beside the
    /// records once the stored projections are caught up (so a list reads no record whole).
    fn rows_of<P: Keyed>(
        &self,
        pick: impl Fn(&Views) -> &P,
        select: impl FnOnce(&delib_projections::Directory) -> Vec<StreamId>,
    ) -> Result<(std::sync::Arc<Views>, Rows<P::Record>), AppError> {
        if let Some(held) = self.held_views()? {
            let rows = select(&held.directory)
                .into_iter()
                .filter_map(|s| pick(&held).entries().get(&s).map(|r| (s, P::row(r))))
                .collect();
            return Ok((held, rows));
        }
        let store = ProjectionStore::open(self.store())?;
        let views = store.load(&Need::directory())?;
        let rows = store.rows::<P>(&select(&views.directory))?;
        Ok((std::sync::Arc::new(views), rows))
    }

    /// `hearing list`, `consultation list`, `ballot list`, `dispute list`, `org list`, `person list`:
    /// everything.
    ///
    /// # Errors
    /// Storage failures.
    pub fn list(&self, kind: RefKind) -> Result<Value, AppError> {
        self.list_page(kind, Page::ALL)
    }

    /// One page of a list, by reference number: only the page's views are built, and `person list`
    /// reads only the page's names from the directory (null once erased).
    ///
    /// # Errors
    /// Storage failures.
    pub fn list_page(&self, kind: RefKind, page: Page) -> Result<Value, AppError> {
        let page_of = |dir: &delib_projections::Directory| dir.page(kind, page);
        let views = match kind {
            RefKind::Organisation | RefKind::Person => self.views_for(Need::directory())?,
            _ => std::sync::Arc::new(Views::default()),
        };
        let dir = &views.directory;
        let number = |reference: &str| {
            reference
                .parse::<delib_events::Reference>()
                .map_or(0, |r| r.number)
        };
        match kind {
            RefKind::Proposal => self.proposal_list_page(None, page),
            RefKind::Hearing => {
                let (views, rows) = self.rows_of(|v| &v.hearings, page_of)?;
                list_rows(rows, &views.directory, |p: &HearingRecords| {
                    p.list_page(&views.directory, page)
                })
            }
            RefKind::Consultation => {
                let (views, rows) = self.rows_of(|v| &v.consultations, page_of)?;
                list_rows(rows, &views.directory, |p: &ConsultationOutcomes| {
                    p.list_page(&views.directory, page)
                })
            }
            RefKind::Ballot => {
                let (views, rows) = self.rows_of(|v| &v.ballots, page_of)?;
                list_rows(rows, &views.directory, |p: &BallotResults| {
                    p.list_page(&views.directory, page)
                })
            }
            RefKind::Dispute => {
                let (views, rows) = self.rows_of(|v| &v.disputes, page_of)?;
                list_rows(rows, &views.directory, |p: &DisputeTimelines| {
                    p.list_page(&views.directory, page)
                })
            }
            RefKind::Organisation => {
                to_json(&page.select(dir.organisations(), |o| number(&o.reference)))
            }
            RefKind::Person => {
                let mut out = Vec::new();
                for person in page.select(dir.persons(), |p| number(&p.reference)) {
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

/// A list of rows as JSON: `list` run over a state holding just the rows' records (so the list's own
/// filter and order apply), each view with its row's counted lists set to their counts.
fn list_rows<P: Keyed, V: Serialize>(
    rows: Rows<P::Record>,
    dir: &delib_projections::Directory,
    list: impl FnOnce(&P) -> Vec<V>,
) -> Result<Value, AppError> {
    let mut counts = std::collections::HashMap::new();
    let records = rows
        .into_iter()
        .map(|(stream, row)| {
            counts.insert(dir.name(stream), row.counts);
            (stream, std::sync::Arc::new(row.record))
        })
        .collect();
    let state = P::from_parts(Position::ZERO, records);
    let out = list(&state)
        .into_iter()
        .map(|view| {
            let mut value = to_json(&view)?;
            let reference = value["ref"].as_str().map(str::to_owned);
            if let Some(counted) = reference.and_then(|r| counts.remove(&r)) {
                delib_projections::with_counts(&mut value, &counted);
            }
            Ok(value)
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok(Value::Array(out))
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
