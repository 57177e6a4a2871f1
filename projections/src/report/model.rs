//! The transparency report's data: counts and lists computed from the views folded as of the
//! period's end ([`ReportViews`]). See the module docs of [`crate::report`] for what "in the period"
//! means for each number.

use super::input::ReportViews;
use crate::ballots::BallotView;
use crate::directory::Directory;
use crate::disputes::DisputeRecord;
use crate::pledges::{PledgeRecord, Yuan};
use crate::proposals::ProposalStatus;
use crate::time::{days_between, median, rfc3339, round4};
use delib_events::dispute::MediationOutcome;
use delib_events::hearing::Stance;
use delib_events::pledge::PledgeKind;
use delib_events::proposal::Category;
use delib_events::{OrgId, Timestamp};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the report was built from: the ledger's size and root hash (and a signed checkpoint, if any),
/// so that anyone can rebuild the same report from the same ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LedgerInfo {
    /// Number of events the report was built from.
    pub size: u64,
    /// Hex root hash (or head hash) of the ledger at that size.
    pub root_hex: String,
    /// A signed checkpoint (C2SP note) of that size, if the caller has one.
    pub checkpoint: Option<String>,
}

/// The report period (both ends inclusive, by when acts happened).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PeriodSection {
    /// Start (RFC 3339).
    pub from: String,
    /// End (RFC 3339).
    pub to: String,
}

/// The ledger the report was built from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LedgerSection {
    /// Number of events.
    pub size: u64,
    /// Hex root hash.
    pub root: String,
    /// Signed checkpoint, or null.
    pub checkpoint: Option<String>,
}

/// A proposal decided in the period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DecidedProposal {
    /// `PROP-n`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Title.
    pub title: String,
    /// Category.
    pub category: String,
    /// `adopted` or `rejected`.
    pub outcome: String,
    /// The basis's reference.
    pub basis: String,
    /// Status at the period's end.
    pub status: String,
    /// When submitted.
    pub submitted_at: String,
    /// When decided.
    pub decided_at: String,
    /// Days from submission to decision.
    pub days: f64,
}

/// Proposals.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProposalsSection {
    /// Submitted in the period.
    pub submitted: u64,
    /// Admitted in the period.
    pub admitted: u64,
    /// Decided `adopted` in the period.
    pub adopted: u64,
    /// Decided `rejected` in the period.
    pub rejected: u64,
    /// Withdrawn in the period.
    pub withdrawn: u64,
    /// Returned in the period.
    pub returned: u64,
    /// Completed in the period.
    pub completed: u64,
    /// Proposals submitted in the period, by their status at the period's end (every status listed).
    pub by_status: BTreeMap<String, u64>,
    /// Proposals submitted in the period, by category (every category listed).
    pub by_category: BTreeMap<String, u64>,
    /// Median days from submission to decision, over decisions in the period; null when none.
    pub median_days_to_decision: Option<f64>,
    /// Each proposal decided in the period, with its basis.
    pub decided: Vec<DecidedProposal>,
}

/// A hearing closed in the period, with its findings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HearingFindings {
    /// `HEAR-n`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Topic.
    pub topic: String,
    /// When it closed.
    pub closed_at: String,
    /// Number of statements.
    pub statements: u64,
    /// Findings.
    pub findings: String,
}

/// Hearings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct HearingsSection {
    /// Closed (held, with findings) in the period.
    pub held: u64,
    /// Scheduled in the period.
    pub scheduled: u64,
    /// Cancelled in the period.
    pub cancelled: u64,
    /// Statements recorded in the period.
    pub statements: u64,
    /// Those statements by stance (`support`, `oppose`, `neutral`, every stance listed).
    pub statements_by_stance: BTreeMap<String, u64>,
    /// Each hearing closed in the period with its findings.
    pub findings: Vec<HearingFindings>,
}

/// A consultation concluded in the period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConsultationOutcome {
    /// `CONS-n`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Topic.
    pub topic: String,
    /// `agreed` or `failed`.
    pub status: String,
    /// Agreed terms.
    pub terms: Vec<String>,
    /// Why it failed.
    pub failure_reason: Option<String>,
    /// When it ended.
    pub concluded_at: String,
}

/// A commitment overdue at the period's end.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OverdueCommitment {
    /// `CONS-n`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// The commitment's number.
    pub commitment: u64,
    /// `ORG-n`.
    pub party: String,
    /// What.
    pub text: String,
    /// When it was due.
    pub due: String,
}

/// Consultations.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConsultationsSection {
    /// Convened in the period.
    pub convened: u64,
    /// Concluded (agreed or failed) in the period.
    pub held: u64,
    /// Agreement reached in the period.
    pub agreed: u64,
    /// Failed in the period.
    pub failed: u64,
    /// Commitments made in the period.
    pub commitments: u64,
    /// Of those, fulfilled by the period's end.
    pub commitments_fulfilled: u64,
    /// Commitments (made at any time) due before the period's end and not fulfilled by then.
    pub overdue: Vec<OverdueCommitment>,
    /// Each consultation concluded in the period.
    pub outcomes: Vec<ConsultationOutcome>,
}

/// One dispute's duration, for the chart and table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DisputeDuration {
    /// `DISP-n`.
    #[serde(rename = "ref")]
    pub reference: String,
    /// Title.
    pub title: String,
    /// Status at the period's end.
    pub status: String,
    /// When filed.
    pub filed_at: String,
    /// Days from filing to resolution or withdrawal, or to the period's end when still open.
    pub days: f64,
    /// Whether it was still open at the period's end.
    pub ongoing: bool,
    /// Mediation attempts (at any time up to the period's end).
    pub mediation_attempts: u64,
}

/// Disputes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DisputesSection {
    /// Filed in the period.
    pub filed: u64,
    /// Resolved in the period.
    pub resolved: u64,
    /// Withdrawn in the period.
    pub withdrawn: u64,
    /// Open (filed, mediating, escalated, negotiating) at the period's end, whenever filed.
    pub open: u64,
    /// Mediation attempts in the period.
    pub mediation_attempts: u64,
    /// Of those, succeeded.
    pub mediation_succeeded: u64,
    /// `mediation_succeeded / mediation_attempts` (four decimals), null when no attempt.
    pub mediation_success_rate: Option<f64>,
    /// Escalations in the period.
    pub escalations: u64,
    /// Negotiation sessions in the period.
    pub negotiations: u64,
    /// Median days from filing to resolution, over disputes resolved in the period; null when none.
    pub median_days_to_resolution: Option<f64>,
    /// Every dispute active during the period (filed by its end, not ended before its start).
    pub durations: Vec<DisputeDuration>,
}

/// One unit's pledges made in the period.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UnitPledges {
    /// `ORG-n`.
    pub unit: String,
    /// Its public name.
    pub name: String,
    /// Money pledged, yuan.
    pub money_yuan: Yuan,
    /// Labour days pledged.
    pub labour_days: u64,
    /// Expertise pledged, as described.
    pub expertise: Vec<String>,
    /// Pledges made.
    pub total: u64,
    /// Of those, fulfilled by the period's end.
    pub fulfilled: u64,
}

/// Pledges of member units (或掏錢，或獻智，或出力).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PledgesSection {
    /// Money pledged in the period, yuan.
    pub money_yuan: Yuan,
    /// Of that, in pledges fulfilled by the period's end.
    pub money_yuan_fulfilled: Yuan,
    /// Labour days pledged in the period.
    pub labour_days: u64,
    /// Expertise pledges made in the period.
    pub expertise: u64,
    /// Pledges made in the period.
    pub total: u64,
    /// Of those, fulfilled by the period's end.
    pub fulfilled: u64,
    /// Pledges (made at any time) fulfilled in the period.
    pub fulfilled_in_period: u64,
    /// By pledging unit, in reference order.
    pub by_unit: Vec<UnitPledges>,
}

/// The transparency report: exactly the JSON fields of `CLI.md`, and more.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The period.
    pub period: PeriodSection,
    /// The ledger it was built from.
    pub ledger: LedgerSection,
    /// Proposals.
    pub proposals: ProposalsSection,
    /// Hearings.
    pub hearings: HearingsSection,
    /// Consultations.
    pub consultations: ConsultationsSection,
    /// Ballots active in the period, as in `ballot show` (never who chose what in a secret ballot).
    pub ballots: Vec<BallotView>,
    /// Disputes.
    pub disputes: DisputesSection,
    /// Pledges.
    pub pledges: PledgesSection,
    /// Checkpoints of the ledger (up to the report's size) that witnesses cosigned, each checked
    /// with the witness's key when the report was made (filled in by the caller; absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub witnesses: Vec<WitnessedCheckpoint>,
    /// The clerk's records of the period: corrections, voids, ballots taken in the room, documents.
    pub records: super::records::RecordsSection,
    /// How to verify this report (filled in by the caller: commands, checkpoint, key).
    pub verify_instructions: String,
}

/// A checkpoint of the ledger cosigned by a witness (c2sp.org/tlog-cosignature), as collected by
/// `delib audit witness`: who witnessed which checkpoint, when, with what is needed to check it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WitnessedCheckpoint {
    /// The witness's name (from its key and cosignature line).
    pub witness: String,
    /// The witness's key ID (hex), as in its cosignature.
    pub key_id: String,
    /// The witness's public key (`<name>+<key id>+<base64>`), to check the cosignature with.
    pub key: String,
    /// The cosigned checkpoint's size.
    pub size: u64,
    /// Its root hash (base64, as in the checkpoint).
    pub root: String,
    /// When the witness cosigned it (RFC 3339, from the cosignature's timestamp).
    pub time: String,
    /// The checkpoint with the ledger's signature and the witness's cosignature.
    pub note: String,
}

struct Span {
    from: Timestamp,
    to: Timestamp,
}

impl Span {
    fn has(&self, t: Timestamp) -> bool {
        self.from <= t && t <= self.to
    }
    fn has_opt(&self, t: Option<Timestamp>) -> bool {
        t.is_some_and(|t| self.has(t))
    }
}

impl Report {
    /// Builds the report from views folded with only the events that happened by `to`.
    pub fn build(
        views: &ReportViews<'_>,
        from: Timestamp,
        to: Timestamp,
        ledger: LedgerInfo,
        verify_instructions: String,
    ) -> Report {
        let span = Span { from, to };
        let dir = views.directory;
        Report {
            period: PeriodSection {
                from: rfc3339(from),
                to: rfc3339(to),
            },
            ledger: LedgerSection {
                size: ledger.size,
                root: ledger.root_hex,
                checkpoint: ledger.checkpoint,
            },
            proposals: proposals(views, &span),
            hearings: hearings(views, &span),
            consultations: consultations(views, &span),
            ballots: ballots(views, &span),
            disputes: disputes(views, &span),
            pledges: pledges(views, &span, dir),
            witnesses: Vec::new(),
            records: super::records::records(views, from, to),
            verify_instructions,
        }
    }
}

fn proposals(views: &ReportViews<'_>, span: &Span) -> ProposalsSection {
    let dir = views.directory;
    let mut records: Vec<_> = views.proposals.records().collect();
    records.sort_by_key(|r| r.number);
    let count = |f: &dyn Fn(&crate::proposals::ProposalRecord) -> bool| {
        records.iter().filter(|r| f(r)).count() as u64
    };
    let submitted: Vec<_> = records
        .iter()
        .filter(|r| span.has(r.submitted_at))
        .collect();
    let mut by_status: BTreeMap<String, u64> = ProposalStatus::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), 0))
        .collect();
    let mut by_category: BTreeMap<String, u64> = Category::ALL
        .iter()
        .map(|c| (c.as_str().to_owned(), 0))
        .collect();
    for r in &submitted {
        *by_status.entry(r.status.as_str().to_owned()).or_default() += 1;
        *by_category
            .entry(r.category.as_str().to_owned())
            .or_default() += 1;
    }
    let mut decided: Vec<(Timestamp, u64, DecidedProposal)> = records
        .iter()
        .filter_map(|r| {
            let d = r.decision.as_ref().filter(|d| span.has(d.at))?;
            Some((
                d.at,
                r.number,
                DecidedProposal {
                    reference: dir.name(r.id.stream_id()),
                    title: r.title.clone(),
                    category: r.category.as_str().to_owned(),
                    outcome: d.outcome.as_str().to_owned(),
                    basis: dir.basis(&d.basis),
                    status: r.status.as_str().to_owned(),
                    submitted_at: rfc3339(r.submitted_at),
                    decided_at: rfc3339(d.at),
                    days: days_between(r.submitted_at, d.at),
                },
            ))
        })
        .collect();
    decided.sort_by_key(|(at, number, _)| (*at, *number));
    let decided: Vec<DecidedProposal> = decided.into_iter().map(|(_, _, d)| d).collect();
    let outcome = |o: &str| decided.iter().filter(|d| d.outcome == o).count() as u64;
    ProposalsSection {
        submitted: submitted.len() as u64,
        admitted: count(&|r| span.has_opt(r.admitted_at)),
        adopted: outcome("adopted"),
        rejected: outcome("rejected"),
        withdrawn: count(&|r| span.has_opt(r.withdrawn.as_ref().map(|w| w.1))),
        returned: count(&|r| span.has_opt(r.returned.as_ref().map(|w| w.1))),
        completed: count(&|r| span.has_opt(r.completion.as_ref().map(|w| w.1))),
        by_status,
        by_category,
        median_days_to_decision: median(decided.iter().map(|d| d.days).collect()),
        decided,
    }
}

fn hearings(views: &ReportViews<'_>, span: &Span) -> HearingsSection {
    let dir = views.directory;
    let mut hearings: Vec<_> = views.hearings.iter().collect();
    hearings.sort_by_key(|h| h.record.number);
    let mut by_stance: BTreeMap<String, u64> = Stance::ALL
        .iter()
        .map(|s| (s.as_str().to_owned(), 0))
        .collect();
    let mut statements = 0;
    for (stance, n) in hearings
        .iter()
        .flat_map(|h| h.statements.within(span.from, span.to))
    {
        statements += n;
        *by_stance.entry(stance.as_str().to_owned()).or_default() += n;
    }
    let findings: Vec<HearingFindings> = hearings
        .iter()
        .filter_map(|h| {
            let r = &h.record;
            let (f, at) = r.closed.as_ref().filter(|(_, at)| span.has(*at))?;
            Some(HearingFindings {
                reference: dir.name(r.id.stream_id()),
                topic: r.topic.clone(),
                closed_at: rfc3339(*at),
                statements: h.statements.count(),
                findings: f.clone(),
            })
        })
        .collect();
    HearingsSection {
        held: findings.len() as u64,
        scheduled: hearings
            .iter()
            .filter(|h| span.has(h.record.scheduled_at))
            .count() as u64,
        cancelled: hearings
            .iter()
            .filter(|h| span.has_opt(h.record.cancelled.as_ref().map(|c| c.1)))
            .count() as u64,
        statements,
        statements_by_stance: by_stance,
        findings,
    }
}

fn consultations(views: &ReportViews<'_>, span: &Span) -> ConsultationsSection {
    let dir = views.directory;
    let mut records: Vec<_> = views.consultations.records().collect();
    records.sort_by_key(|r| r.number);
    let made: Vec<_> = records
        .iter()
        .flat_map(|r| &r.commitments)
        .filter(|c| span.has(c.made_at))
        .collect();
    let overdue = records
        .iter()
        .flat_map(|r| r.commitments.iter().map(move |c| (r, c)))
        .filter(|(_, c)| c.overdue_at(span.to))
        .map(|(r, c)| OverdueCommitment {
            reference: dir.name(r.id.stream_id()),
            commitment: c.commitment,
            party: dir.org(c.party),
            text: c.text.clone(),
            due: c.due.map(rfc3339).unwrap_or_default(),
        })
        .collect();
    let outcomes: Vec<ConsultationOutcome> = records
        .iter()
        .filter_map(|r| {
            let at = r.concluded_at().filter(|t| span.has(*t))?;
            Some(ConsultationOutcome {
                reference: dir.name(r.id.stream_id()),
                topic: r.topic.clone(),
                status: r.status.as_str().to_owned(),
                terms: r.agreed.as_ref().map(|a| a.0.clone()).unwrap_or_default(),
                failure_reason: r.failed.as_ref().map(|f| f.0.clone()),
                concluded_at: rfc3339(at),
            })
        })
        .collect();
    ConsultationsSection {
        convened: records.iter().filter(|r| span.has(r.convened_at)).count() as u64,
        held: outcomes.len() as u64,
        agreed: outcomes.iter().filter(|o| o.status == "agreed").count() as u64,
        failed: outcomes.iter().filter(|o| o.status == "failed").count() as u64,
        commitments: made.len() as u64,
        commitments_fulfilled: made.iter().filter(|c| c.fulfilled_at.is_some()).count() as u64,
        overdue,
        outcomes,
    }
}

fn ballots(views: &ReportViews<'_>, span: &Span) -> Vec<BallotView> {
    let mut records: Vec<_> = views
        .ballots
        .records()
        .filter(|r| r.closed_at().is_none_or(|c| c >= span.from))
        .collect();
    records.sort_by_key(|r| r.number);
    records
        .into_iter()
        .map(|r| r.view(views.directory))
        .collect()
}

fn dispute_end(r: &DisputeRecord) -> Option<Timestamp> {
    r.resolved_at().or(r.withdrawn_at())
}

fn disputes(views: &ReportViews<'_>, span: &Span) -> DisputesSection {
    let dir = views.directory;
    let mut records: Vec<_> = views.disputes.records().collect();
    records.sort_by_key(|r| r.number);
    let mediations: Vec<_> = records
        .iter()
        .flat_map(|r| r.mediations())
        .filter(|(t, _, _)| span.has(*t))
        .collect();
    let attempts = mediations.len() as u64;
    let succeeded = mediations
        .iter()
        .filter(|(_, _, o)| *o == MediationOutcome::Succeeded)
        .count() as u64;
    let kind_in_period = |kind: &str| {
        records
            .iter()
            .flat_map(|r| &r.steps)
            .filter(|s| s.event.kind() == kind && span.has(s.occurred_at))
            .count() as u64
    };
    let resolution_days: Vec<f64> = records
        .iter()
        .filter_map(|r| {
            let at = r.resolved_at().filter(|t| span.has(*t))?;
            Some(days_between(r.filed_at(), at))
        })
        .collect();
    let durations = records
        .iter()
        .filter(|r| dispute_end(r).is_none_or(|end| end >= span.from))
        .map(|r| {
            let end = dispute_end(r);
            DisputeDuration {
                reference: dir.name(r.id.stream_id()),
                title: r.title.clone(),
                status: r.status.as_str().to_owned(),
                filed_at: rfc3339(r.filed_at()),
                days: days_between(r.filed_at(), end.unwrap_or(span.to)),
                ongoing: end.is_none(),
                mediation_attempts: r.mediations().len() as u64,
            }
        })
        .collect();
    DisputesSection {
        filed: records.iter().filter(|r| span.has(r.filed_at())).count() as u64,
        resolved: resolution_days.len() as u64,
        withdrawn: records
            .iter()
            .filter(|r| span.has_opt(r.withdrawn_at()))
            .count() as u64,
        open: records.iter().filter(|r| r.status.is_unresolved()).count() as u64,
        mediation_attempts: attempts,
        mediation_succeeded: succeeded,
        mediation_success_rate: (attempts > 0).then(|| round4(succeeded as f64 / attempts as f64)),
        escalations: kind_in_period("dispute.escalated"),
        negotiations: kind_in_period("dispute.negotiation-held"),
        median_days_to_resolution: median(resolution_days),
        durations,
    }
}

fn pledges(views: &ReportViews<'_>, span: &Span, dir: &Directory) -> PledgesSection {
    let all: Vec<&PledgeRecord> = views
        .proposals
        .records()
        .flat_map(|r| &r.pledges)
        .chain(views.consultations.records().flat_map(|r| &r.pledges))
        .chain(views.disputes.records().flat_map(|r| &r.pledges))
        .collect();
    let made: Vec<&PledgeRecord> = all
        .iter()
        .copied()
        .filter(|p| span.has(p.made_at))
        .collect();
    let fen = |p: &PledgeRecord| match p.kind {
        PledgeKind::Money { fen } => fen,
        _ => 0,
    };
    let days = |p: &PledgeRecord| match p.kind {
        PledgeKind::Labour { days } => days,
        _ => 0,
    };
    let mut units: BTreeMap<(u64, String), UnitPledges> = BTreeMap::new();
    for p in &made {
        let number = dir
            .reference(p.by.stream_id())
            .map_or(u64::MAX, |r| r.number);
        let u = units
            .entry((number, dir.org(p.by)))
            .or_insert_with(|| unit(p.by, dir));
        u.money_yuan.0 = u.money_yuan.0.saturating_add(fen(p));
        u.labour_days = u.labour_days.saturating_add(days(p));
        if let PledgeKind::Expertise { text } = &p.kind {
            u.expertise.push(text.clone());
        }
        u.total += 1;
        u.fulfilled += u64::from(p.fulfilled_at.is_some());
    }
    PledgesSection {
        money_yuan: Yuan(made.iter().map(|p| fen(p)).fold(0, u64::saturating_add)),
        money_yuan_fulfilled: Yuan(
            made.iter()
                .filter(|p| p.fulfilled_at.is_some())
                .map(|p| fen(p))
                .fold(0, u64::saturating_add),
        ),
        labour_days: made.iter().map(|p| days(p)).fold(0, u64::saturating_add),
        expertise: made
            .iter()
            .filter(|p| matches!(p.kind, PledgeKind::Expertise { .. }))
            .count() as u64,
        total: made.len() as u64,
        fulfilled: made.iter().filter(|p| p.fulfilled_at.is_some()).count() as u64,
        fulfilled_in_period: all.iter().filter(|p| span.has_opt(p.fulfilled_at)).count() as u64,
        by_unit: units.into_values().collect(),
    }
}

fn unit(org: OrgId, dir: &Directory) -> UnitPledges {
    UnitPledges {
        unit: dir.org(org),
        name: dir.org_name(org).unwrap_or_default().to_owned(),
        money_yuan: Yuan(0),
        labour_days: 0,
        expertise: Vec::new(),
        total: 0,
        fulfilled: 0,
    }
}
