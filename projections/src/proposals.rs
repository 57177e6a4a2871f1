//! The [`ProposalBoard`] projection (居民代表提案制度): every proposal with its status, co-signers,
//! decision and basis, implementation progress and pledges. `proposal show` and `proposal list`.

use crate::directory::{person_stream, Directory};
use crate::pledges::{
    apply_correction, apply_pledge, CorrectionRecord, CorrectionView, PledgeRecord, PledgeView,
};
use crate::projection::{advance, Projection};
use crate::time::rfc3339;
use delib_events::proposal::{Basis, Category, Outcome, ProposalEvent};
use delib_events::{
    Event, Metadata, OrgId, PersonId, Position, ProposalId, RecordedEvent, StreamId, StreamKind,
    Timestamp,
};
use serde::{Deserialize, Serialize};

/// Where a proposal is in its life, spelled as in `CLI.md`: the domain's lifecycle, one definition
/// for the rules and this read model (its encoding is this projection's stored form).
pub use delib_domain::proposal::Status as ProposalStatus;

/// A decision as folded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionRecord {
    /// Adopted or rejected.
    pub outcome: Outcome,
    /// The hearing, consultation or ballot it rests on.
    pub basis: Basis,
    /// A note.
    pub note: Option<String>,
    /// When it was decided.
    pub at: Timestamp,
}

/// One proposal as folded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalRecord {
    /// Its id.
    pub id: ProposalId,
    /// Its reference number.
    pub number: u64,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// Category.
    pub category: Category,
    /// The author.
    pub author: PersonId,
    /// The community concerned.
    pub community: Option<OrgId>,
    /// Where it is.
    pub status: ProposalStatus,
    /// Co-signers, in order.
    pub cosigners: Vec<PersonId>,
    /// When submitted.
    pub submitted_at: Timestamp,
    /// When admitted.
    pub admitted_at: Option<Timestamp>,
    /// Why and when it was returned.
    pub returned: Option<(String, Timestamp)>,
    /// Why and when it was withdrawn.
    pub withdrawn: Option<(String, Timestamp)>,
    /// The decision.
    pub decision: Option<DecisionRecord>,
    /// Implementing organisation and due date.
    pub assigned: Option<(OrgId, Option<Timestamp>)>,
    /// Reported progress, 0 to 100.
    pub progress: u8,
    /// What was done, and when it was completed.
    pub completion: Option<(String, Timestamp)>,
    /// Pledges towards it.
    pub pledges: Vec<PledgeRecord>,
    /// Corrections in its stream.
    pub corrections: Vec<CorrectionRecord>,
}

impl ProposalRecord {
    /// What a list shows: the whole record (its views derive fields from all of it).
    pub fn row(&self) -> crate::projection::Row<Self> {
        crate::projection::Row::whole(self)
    }

    fn submitted(meta: &Metadata, e: &ProposalEvent) -> Option<Self> {
        let ProposalEvent::ProposalSubmitted {
            proposal,
            number,
            title,
            body,
            category,
            author,
            community,
        } = e
        else {
            return None;
        };
        Some(Self {
            id: *proposal,
            number: *number,
            title: title.clone(),
            body: body.clone(),
            category: *category,
            author: *author,
            community: *community,
            status: ProposalStatus::Submitted,
            cosigners: Vec::new(),
            submitted_at: meta.occurred_at,
            admitted_at: None,
            returned: None,
            withdrawn: None,
            decision: None,
            assigned: None,
            progress: 0,
            completion: None,
            pledges: Vec::new(),
            corrections: Vec::new(),
        })
    }

    fn apply(&mut self, meta: &Metadata, event: &Event) {
        let at = meta.occurred_at;
        if let Event::Proposal(e) = event {
            if let Some(status) = ProposalStatus::entered_by(e) {
                self.status = status;
            }
        }
        match event {
            Event::Proposal(e) => match e {
                ProposalEvent::ProposalSubmitted { .. } => {}
                ProposalEvent::ProposalCosigned { by } => {
                    if !self.cosigners.contains(by) {
                        self.cosigners.push(*by);
                    }
                }
                ProposalEvent::ProposalAdmitted => self.admitted_at = Some(at),
                ProposalEvent::ProposalReturned { reason } => {
                    self.returned = Some((reason.clone(), at));
                }
                ProposalEvent::ProposalWithdrawn { reason } => {
                    self.withdrawn = Some((reason.clone(), at));
                }
                ProposalEvent::ProposalDecided {
                    outcome,
                    basis,
                    note,
                } => {
                    self.decision = Some(DecisionRecord {
                        outcome: *outcome,
                        basis: *basis,
                        note: note.clone(),
                        at,
                    });
                }
                ProposalEvent::ProposalAssigned { to, due } => self.assigned = Some((*to, *due)),
                ProposalEvent::ProgressReported { percent, .. } => {
                    self.progress = (*percent).min(100);
                }
                ProposalEvent::ProposalCompleted { summary } => {
                    self.progress = 100; // done is done, whatever the last progress report said
                    self.completion = Some((summary.clone(), at));
                }
            },
            Event::Pledge(e) => apply_pledge(&mut self.pledges, meta, e),
            Event::Correction(e) => {
                crate::pledges::correct_pledges(&mut self.pledges, e);
                apply_correction(&mut self.corrections, meta, e)
            }
            _ => {}
        }
    }

    /// The view, with references from `dir`.
    pub fn view(&self, dir: &Directory) -> ProposalView {
        ProposalView {
            reference: dir.name(self.id.stream_id()),
            status: self.status.as_str().to_owned(),
            title: crate::pledges::corrected_value(&self.corrections, "title")
                .unwrap_or(&self.title)
                .to_owned(),
            body: crate::pledges::corrected_value(&self.corrections, "body")
                .unwrap_or(&self.body)
                .to_owned(),
            corrected: ["title", "body"]
                .into_iter()
                .filter(|f| crate::pledges::corrected_value(&self.corrections, f).is_some())
                .map(str::to_owned)
                .collect(),
            category: self.category.as_str().to_owned(),
            author: dir.name(person_stream(self.author)),
            community: self.community.map(|c| dir.org(c)),
            cosigners: self.cosigners.iter().map(|p| dir.person(*p)).collect(),
            decision: self.decision.as_ref().map(|d| DecisionView {
                outcome: d.outcome.as_str().to_owned(),
                basis: dir.basis(&d.basis),
                note: d.note.clone(),
                decided_at: rfc3339(d.at),
            }),
            assigned_to: self.assigned.map(|(o, _)| dir.org(o)),
            due: self.assigned.and_then(|(_, d)| d).map(rfc3339),
            progress: self.progress,
            completion: self.completion.as_ref().map(|(s, _)| s.clone()),
            pledges: crate::pledges::in_time_order(&self.pledges)
                .map(|p| p.view(dir))
                .collect(),
            submitted_at: rfc3339(self.submitted_at),
            admitted_at: self.admitted_at.map(rfc3339),
            decided_at: self.decision.as_ref().map(|d| rfc3339(d.at)),
            completed_at: self.completion.as_ref().map(|(_, t)| rfc3339(*t)),
            returned_reason: self.returned.as_ref().map(|(r, _)| r.clone()),
            withdrawn_reason: self.withdrawn.as_ref().map(|(r, _)| r.clone()),
            corrections: self
                .corrections
                .iter()
                .map(CorrectionRecord::view)
                .collect(),
        }
    }
}

/// The decision as `proposal show` prints it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DecisionView {
    /// `adopted` or `rejected`.
    pub outcome: String,
    /// The basis's reference (`HEAR-1`, `CONS-2`, `BAL-3`).
    pub basis: String,
    /// A note.
    pub note: Option<String>,
    /// When (RFC 3339).
    pub decided_at: String,
}

/// `proposal show --json`: the fields of `CLI.md` and a few more.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProposalView {
    /// `PROP-n`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Status, spelled as in `CLI.md`.
    pub status: String,
    /// Title.
    pub title: String,
    /// Body.
    pub body: String,
    /// The fields that show a corrected value (`title`, `body`); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub corrected: Vec<String>,
    /// Category.
    pub category: String,
    /// The author's `PER-n`.
    pub author: String,
    /// The community's `ORG-n`.
    pub community: Option<String>,
    /// Co-signers' `PER-n`.
    pub cosigners: Vec<String>,
    /// The decision, or null.
    pub decision: Option<DecisionView>,
    /// The implementing organisation.
    pub assigned_to: Option<String>,
    /// When implementation is due.
    pub due: Option<String>,
    /// 0-100.
    pub progress: u8,
    /// What was done.
    pub completion: Option<String>,
    /// Pledges towards it.
    pub pledges: Vec<PledgeView>,
    /// When submitted.
    pub submitted_at: String,
    /// When admitted.
    pub admitted_at: Option<String>,
    /// When decided.
    pub decided_at: Option<String>,
    /// When completed.
    pub completed_at: Option<String>,
    /// Why it was returned.
    pub returned_reason: Option<String>,
    /// Why it was withdrawn.
    pub withdrawn_reason: Option<String>,
    /// Corrections recorded against its events.
    pub corrections: Vec<CorrectionView>,
}

/// A filter for `proposal list`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProposalFilter {
    /// Only this status.
    pub status: Option<ProposalStatus>,
    /// Only this category.
    pub category: Option<Category>,
}

/// Every proposal, keyed by stream.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalBoard {
    last_position: u64,
    #[serde(with = "crate::shared::arc_map")]
    proposals: crate::shared::Shared<StreamId, ProposalRecord>,
}

impl Projection for ProposalBoard {
    const NAME: &'static str = "proposals";
    // 4: the records also kept 64 to a value (`Keyed::GROUPED`).
    const VERSION: u32 = 4;

    fn apply(&mut self, event: &RecordedEvent) {
        if !advance(&mut self.last_position, event) {
            return;
        }
        let meta = &event.metadata;
        if meta.stream_kind != StreamKind::Proposal {
            return;
        }
        if let Event::Proposal(e @ ProposalEvent::ProposalSubmitted { .. }) = &event.event {
            if let Some(r) = ProposalRecord::submitted(meta, e) {
                self.proposals
                    .entry(meta.stream_id)
                    .or_insert(std::sync::Arc::new(r));
            }
            return;
        }
        if let Some(r) = self.proposals.get_mut(&meta.stream_id) {
            std::sync::Arc::make_mut(r).apply(meta, &event.event);
        }
    }

    fn last_position(&self) -> Position {
        Position::new(self.last_position)
    }
}

record_accessors!(
    @common ProposalBoard,
    proposals,
    ProposalRecord,
    ProposalView,
    "proposal",
    grouped
);

impl ProposalBoard {
    /// `proposal list`, by reference number.
    pub fn list(&self, filter: ProposalFilter, dir: &Directory) -> Vec<ProposalView> {
        self.list_page(filter, dir, crate::Page::ALL)
    }

    /// One page of `proposal list`: views are built only for the page.
    pub fn list_page(
        &self,
        filter: ProposalFilter,
        dir: &Directory,
        page: crate::Page,
    ) -> Vec<ProposalView> {
        let v: Vec<&ProposalRecord> = self
            .records()
            .filter(|r| filter.status.is_none_or(|s| r.status == s))
            .filter(|r| filter.category.is_none_or(|c| r.category == c))
            .collect();
        page.select(v, |r| r.number)
            .into_iter()
            .map(|r| r.view(dir))
            .collect()
    }
}
