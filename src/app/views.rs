//! Read views for `show`, `list`, `history` and `dispute timeline`: streams folded with the domain's
//! `evolve`, ids turned into short references, times as RFC 3339. Person names come from the directory
//! (`null` once erased); they never come from the log.
//!
//! A secret ballot's view never pairs a voter with a choice: it shows the tally only.

use super::{AppError, LedgerService};
use crate::domain::correction::Correction;
use crate::domain::pledge::PledgeBook;
use crate::domain::{
    ballot, consultation, dispute, hearing, organisation, person, proposal, Aggregate,
};
use crate::store::EventStore;
use delib_events::pledge::PledgeKind;
use delib_events::proposal::Basis;
use delib_events::{
    OrgId, PersonId, Position, ProposalId, RecordedEvent, RefKind, StreamId, StreamVersion,
    Timestamp,
};
use serde_json::{json, Map, Value};

/// A timestamp as RFC 3339 in UTC (`2024-05-01T08:00:00Z`).
pub fn rfc3339(ts: Timestamp) -> String {
    chrono::DateTime::from_timestamp_micros(ts.as_micros())
        .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
        .unwrap_or_else(|| ts.to_string())
}

fn opt_time(ts: Option<Timestamp>) -> Value {
    ts.map_or(Value::Null, |t| Value::String(rfc3339(t)))
}

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
    fn events(&self, stream: StreamId) -> Result<Vec<RecordedEvent>, AppError> {
        Ok(self.store().read_stream(stream, StreamVersion::new(1))?)
    }

    fn fold<A: Aggregate>(events: &[RecordedEvent]) -> A::State {
        events
            .iter()
            .fold(A::State::default(), |s, e| A::evolve(s, &e.event))
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

    fn person_ref(&self, p: PersonId) -> Value {
        Value::String(self.person_label(p))
    }

    fn person_name(&self, p: PersonId) -> Value {
        match self.directory.name(p) {
            Ok(Some(n)) => Value::String(n),
            _ => Value::Null,
        }
    }

    fn org_ref(&self, o: OrgId) -> Value {
        Value::String(self.label(o.stream_id()))
    }

    fn org_name(&self, o: OrgId) -> Value {
        match self.load::<organisation::Organisation>(o.stream_id()) {
            Ok(s) if !s.name.is_empty() => Value::String(s.name),
            _ => Value::Null,
        }
    }

    fn proposal_refs(&self, ps: &[ProposalId]) -> Value {
        ps.iter()
            .map(|p| Value::String(self.label(p.stream_id())))
            .collect()
    }

    fn pledges(&self, book: &PledgeBook) -> Value {
        book.pledges
            .iter()
            .map(|p| {
                let amount = match &p.kind {
                    PledgeKind::Money { fen } if fen % 100 == 0 => json!(fen / 100),
                    PledgeKind::Money { fen } => json!(*fen as f64 / 100.0),
                    PledgeKind::Labour { days } => json!(days),
                    PledgeKind::Expertise { text } => json!(text),
                };
                json!({
                    "pledge": p.number,
                    "by": self.org_ref(p.by),
                    "by_name": self.org_name(p.by),
                    "kind": p.kind.as_str(),
                    "amount": amount,
                    "fulfilled": p.fulfilled,
                })
            })
            .collect()
    }

    fn corrections(&self, list: &[Correction]) -> Value {
        list.iter()
            .map(|c| json!({"corrected": c.corrected.get(), "reason": c.reason}))
            .collect()
    }

    /// One history entry.
    fn entry(&self, e: &RecordedEvent) -> Value {
        json!({
            "position": e.position().get(),
            "version": e.metadata.stream_version.get(),
            "occurred_at": rfc3339(e.metadata.occurred_at),
            "recorded_at": rfc3339(e.metadata.recorded_at),
            "recorded_by": e.metadata.recorded_by.map(|p| self.person_ref(p)),
            "kind": e.event.kind(),
            "summary": self.humanize(&e.event.summary()),
        })
    }

    /// `history REF`: every event of one entity, oldest first.
    ///
    /// # Errors
    /// Unknown references, storage failures.
    pub fn history(&self, reference: &str) -> Result<Value, AppError> {
        let (_, stream) = self.resolve(reference)?;
        Ok(self.events(stream)?.iter().map(|e| self.entry(e)).collect())
    }

    /// `proposal show`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn proposal_view(&self, id: ProposalId) -> Result<Value, AppError> {
        let s = Self::fold::<proposal::Proposal>(&self.events(id.stream_id())?);
        let basis = |b: Basis| match b {
            Basis::Hearing(h) => self.label(h.stream_id()),
            Basis::Consultation(c) => self.label(c.stream_id()),
            Basis::Ballot(b) => self.label(b.stream_id()),
        };
        Ok(json!({
            "ref": self.label(id.stream_id()),
            "id": id.to_string(),
            "status": s.status.as_str(),
            "title": s.title,
            "body": s.body,
            "category": s.category.map(|c| c.as_str()),
            "author": s.author.map(|p| self.person_ref(p)),
            "author_name": s.author.map_or(Value::Null, |p| self.person_name(p)),
            "community": s.community.map(|o| self.org_ref(o)),
            "cosigners": s.cosigners.iter().map(|p| self.person_ref(*p)).collect::<Vec<_>>(),
            "decision": s.decision.as_ref().map(|d| json!({
                "outcome": d.outcome.as_str(),
                "basis": basis(d.basis),
                "note": d.note,
            })),
            "assigned": s.assigned.map(|(to, due)| json!({"to": self.org_ref(to), "due": opt_time(due)})),
            "progress": s.progress,
            "completion": s.completion,
            "pledges": self.pledges(&s.pledges),
            "corrections": self.corrections(&s.corrections),
        }))
    }

    /// `hearing show`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn hearing_view(&self, stream: StreamId) -> Result<Value, AppError> {
        let s = Self::fold::<hearing::Hearing>(&self.events(stream)?);
        Ok(json!({
            "ref": self.label(stream),
            "id": stream.to_string(),
            "status": s.status.as_str(),
            "topic": s.topic,
            "on": opt_time(s.on),
            "venue": s.venue,
            "presided_by": s.presided_by.map(|o| self.org_ref(o)),
            "proposals": self.proposal_refs(&s.proposals),
            "participants": s.participants.iter().map(|(p, role)| json!({
                "person": self.person_ref(*p), "name": self.person_name(*p), "role": role.as_str()
            })).collect::<Vec<_>>(),
            "statements": s.statements.iter().map(|st| json!({
                "by": self.person_ref(st.by), "stance": st.stance.as_str(), "summary": st.summary
            })).collect::<Vec<_>>(),
            "findings": s.findings,
            "corrections": self.corrections(&s.corrections),
        }))
    }

    /// `consultation show`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn consultation_view(&self, stream: StreamId) -> Result<Value, AppError> {
        let s = Self::fold::<consultation::Consultation>(&self.events(stream)?);
        Ok(json!({
            "ref": self.label(stream),
            "id": stream.to_string(),
            "status": s.status.as_str(),
            "topic": s.topic,
            "format": s.format.map(|f| f.as_str()),
            "convened_by": s.convened_by.map(|o| self.org_ref(o)),
            "parties": s.parties.iter().map(|o| self.org_ref(*o)).collect::<Vec<_>>(),
            "proposals": self.proposal_refs(&s.proposals),
            "positions": s.positions.iter().map(|(o, st)| json!({"party": self.org_ref(*o), "statement": st})).collect::<Vec<_>>(),
            "terms": s.terms,
            "failure": s.failure,
            "commitments": s.commitments.iter().map(|c| json!({
                "commitment": c.number,
                "party": self.org_ref(c.party),
                "text": c.text,
                "due": opt_time(c.due),
                "fulfilled": c.fulfilled,
            })).collect::<Vec<_>>(),
            "pledges": self.pledges(&s.pledges),
            "corrections": self.corrections(&s.corrections),
        }))
    }

    /// `ballot show`: the tally once closed; `votes` (voter to choice) only for an open ballot.
    ///
    /// # Errors
    /// Storage failures.
    pub fn ballot_view(&self, stream: StreamId) -> Result<Value, AppError> {
        let s = Self::fold::<ballot::Ballot>(&self.events(stream)?);
        let electorate = s.electorate.len() as u64;
        let cast = s.voted.len() as u64;
        let turnout = if electorate == 0 {
            0.0
        } else {
            cast as f64 / electorate as f64
        };
        let quorum_met = match (&s.tally, s.quorum) {
            (Some(t), _) => t.quorum_met,
            (None, Some(q)) => {
                q.den != 0
                    && u128::from(cast) * u128::from(q.den)
                        >= u128::from(q.num) * u128::from(electorate)
            }
            _ => false,
        };
        let mut v = json!({
            "ref": self.label(stream),
            "id": stream.to_string(),
            "status": s.status.as_str(),
            "question": s.question,
            "options": s.options,
            "secret": s.secret,
            "threshold": s.threshold.map(|t| t.as_str()),
            "quorum": s.quorum.map(|q| q.to_string()),
            "proposal": s.proposal.map(|p| self.label(p.stream_id())),
            "electorate": electorate,
            "cast": cast,
            "turnout": turnout,
            "quorum_met": quorum_met,
            "result": s.tally.as_ref().and_then(|t| t.result.clone()),
            "corrections": self.corrections(&s.corrections),
        });
        if let (Some(t), Value::Object(m)) = (&s.tally, &mut v) {
            let counts: Map<String, Value> = t
                .counts
                .iter()
                .map(|c| (c.option.clone(), json!(c.count)))
                .collect();
            m.insert("counts".into(), Value::Object(counts));
            if !s.secret {
                let votes: Map<String, Value> = s
                    .votes
                    .iter()
                    .map(|(p, c)| (self.person_label(*p), json!(c)))
                    .collect();
                m.insert("votes".into(), Value::Object(votes));
            }
        }
        Ok(v)
    }

    /// `dispute show` and `dispute timeline`: the dispute as it stood after the events that happened by
    /// `as_of` and were recorded by position `at_position` (both optional).
    ///
    /// # Errors
    /// Storage failures.
    pub fn dispute_view(
        &self,
        stream: StreamId,
        as_of: Option<Timestamp>,
        at_position: Option<Position>,
    ) -> Result<Value, AppError> {
        let events: Vec<RecordedEvent> = self
            .events(stream)?
            .into_iter()
            .filter(|e| as_of.is_none_or(|t| e.metadata.occurred_at <= t))
            .filter(|e| at_position.is_none_or(|p| e.position() <= p))
            .collect();
        let s = Self::fold::<dispute::Dispute>(&events);
        Ok(json!({
            "ref": self.label(stream),
            "id": stream.to_string(),
            "status": s.status.as_str(),
            "title": s.title,
            "subject": s.subject,
            "parties": s.parties.iter().map(|p| json!({"org": self.org_ref(p.org), "name": self.org_name(p.org), "side": p.side})).collect::<Vec<_>>(),
            "mediation_attempts": s.mediations.len(),
            "mediations": s.mediations.iter().map(|(o, out)| json!({"by": self.org_ref(*o), "outcome": out.as_str()})).collect::<Vec<_>>(),
            "resolution": s.resolution.as_ref().map(|(r, _)| r.clone()),
            "terms": s.resolution.as_ref().map(|(_, t)| t.clone()).unwrap_or_default(),
            "steps": events.iter().map(|e| json!({
                "position": e.position().get(),
                "occurred_at": rfc3339(e.metadata.occurred_at),
                "kind": e.event.kind(),
                "summary": self.humanize(&e.event.summary()),
            })).collect::<Vec<_>>(),
            "pledges": self.pledges(&s.pledges),
            "corrections": self.corrections(&s.corrections),
        }))
    }

    /// `proposal list [--status S]`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn proposal_list(&self, status: Option<&str>) -> Result<Value, AppError> {
        let mut out = Vec::new();
        for stream in self.all(RefKind::Proposal)? {
            let s = Self::fold::<proposal::Proposal>(&self.events(stream)?);
            if status.is_some_and(|st| st != s.status.as_str()) {
                continue;
            }
            out.push(json!({
                "ref": self.label(stream),
                "id": stream.to_string(),
                "status": s.status.as_str(),
                "title": s.title,
                "category": s.category.map(|c| c.as_str()),
            }));
        }
        Ok(Value::Array(out))
    }

    /// `hearing list`, `consultation list`, `ballot list`, `dispute list`, `org list`, `person list`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn list(&self, kind: RefKind) -> Result<Value, AppError> {
        let mut out = Vec::new();
        for stream in self.all(kind)? {
            let events = self.events(stream)?;
            let r = self.label(stream);
            let id = stream.to_string();
            out.push(match kind {
                RefKind::Proposal => continue,
                RefKind::Hearing => {
                    let s = Self::fold::<hearing::Hearing>(&events);
                    json!({"ref": r, "id": id, "status": s.status.as_str(), "topic": s.topic, "on": opt_time(s.on)})
                }
                RefKind::Consultation => {
                    let s = Self::fold::<consultation::Consultation>(&events);
                    json!({"ref": r, "id": id, "status": s.status.as_str(), "topic": s.topic, "format": s.format.map(|f| f.as_str())})
                }
                RefKind::Ballot => {
                    let s = Self::fold::<ballot::Ballot>(&events);
                    json!({"ref": r, "id": id, "status": s.status.as_str(), "question": s.question, "result": s.tally.and_then(|t| t.result)})
                }
                RefKind::Dispute => {
                    let s = Self::fold::<dispute::Dispute>(&events);
                    json!({"ref": r, "id": id, "status": s.status.as_str(), "title": s.title, "mediation_attempts": s.mediations.len()})
                }
                RefKind::Organisation => {
                    let s = Self::fold::<organisation::Organisation>(&events);
                    json!({"ref": r, "id": id, "name": s.name, "kind": s.kind.map(|k| k.as_str()), "parent": s.parent.map(|p| self.org_ref(p))})
                }
                RefKind::Person => {
                    let s = Self::fold::<person::Person>(&events);
                    let pid = PersonId::from_uuid(*stream.as_uuid());
                    let status = match s.status {
                        person::Status::Erased => "erased",
                        _ => "registered",
                    };
                    json!({
                        "ref": r, "id": id, "status": status, "name": self.person_name(pid),
                        "memberships": s.memberships.iter().map(|m| json!({"org": self.org_ref(m.org), "role": m.role.as_str()})).collect::<Vec<_>>(),
                    })
                }
            });
        }
        if kind == RefKind::Proposal {
            return self.proposal_list(None);
        }
        Ok(Value::Array(out))
    }
}
