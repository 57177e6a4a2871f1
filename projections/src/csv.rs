//! CSV exports of each view (open data), RFC 4180: comma separated, CRLF line endings, fields quoted
//! when they hold a comma, a quote, CR or LF, quotes doubled. One header row, then one row per item.
//! Secret ballots export counts only: no voter is ever next to a choice.

use crate::ballots::BallotView;
use crate::consultations::ConsultationView;
use crate::directory::{OrgView, PersonView};
use crate::disputes::DisputeTimeline;
use crate::hearings::HearingView;
use crate::history::HistoryEntry;
use crate::proposals::ProposalView;

/// Quotes one field as RFC 4180 requires.
pub fn field(s: &str) -> String {
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn write<I: IntoIterator<Item = Vec<String>>>(headers: &[&str], rows: I) -> String {
    let mut out = String::new();
    let line = |out: &mut String, cells: Vec<String>| {
        let cells: Vec<String> = cells.iter().map(|c| field(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    };
    line(&mut out, headers.iter().map(|h| (*h).to_owned()).collect());
    for r in rows {
        line(&mut out, r);
    }
    out
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_default()
}

/// Items of a list joined with `; `.
fn list(items: &[String]) -> String {
    items.join("; ")
}

/// `proposal list` as CSV.
pub fn proposals_csv(proposals: &[ProposalView]) -> String {
    write(
        &[
            "ref",
            "status",
            "title",
            "category",
            "author",
            "cosigners",
            "decision_outcome",
            "decision_basis",
            "progress",
            "pledges",
            "submitted_at",
            "decided_at",
            "completed_at",
        ],
        proposals.iter().map(|p| {
            vec![
                p.reference.clone(),
                p.status.clone(),
                p.title.clone(),
                p.category.clone(),
                p.author.clone(),
                list(&p.cosigners),
                p.decision
                    .as_ref()
                    .map(|d| d.outcome.clone())
                    .unwrap_or_default(),
                p.decision
                    .as_ref()
                    .map(|d| d.basis.clone())
                    .unwrap_or_default(),
                p.progress.to_string(),
                p.pledges.len().to_string(),
                p.submitted_at.clone(),
                opt(&p.decided_at),
                opt(&p.completed_at),
            ]
        }),
    )
}

/// Every pledge of some proposals, consultations and disputes as CSV: one row per pledge.
pub fn pledges_csv<'a>(
    pledges: impl IntoIterator<Item = (&'a str, &'a crate::pledges::PledgeView)>,
) -> String {
    write(
        &[
            "for",
            "pledge",
            "by",
            "kind",
            "amount",
            "unit",
            "fulfilled",
            "made_at",
        ],
        pledges.into_iter().map(|(target, p)| {
            vec![
                target.to_owned(),
                p.pledge.to_string(),
                p.by.clone(),
                p.kind.clone(),
                match &p.amount {
                    crate::pledges::Amount::Yuan(y) => y.to_string(),
                    crate::pledges::Amount::Days(d) => d.to_string(),
                    crate::pledges::Amount::Text(t) => t.clone(),
                },
                opt(&p.unit),
                p.fulfilled.to_string(),
                p.made_at.clone(),
            ]
        }),
    )
}

/// `hearing list` as CSV.
pub fn hearings_csv(hearings: &[HearingView]) -> String {
    write(
        &[
            "ref",
            "status",
            "topic",
            "on",
            "venue",
            "presided_by",
            "participants",
            "statements",
            "support",
            "oppose",
            "neutral",
            "findings",
        ],
        hearings.iter().map(|h| {
            let stance = |s: &str| {
                h.statements
                    .iter()
                    .filter(|x| x.stance == s)
                    .count()
                    .to_string()
            };
            vec![
                h.reference.clone(),
                h.status.clone(),
                h.topic.clone(),
                h.on.clone(),
                h.venue.clone(),
                h.presided_by.clone(),
                h.participants.len().to_string(),
                h.statements.len().to_string(),
                stance("support"),
                stance("oppose"),
                stance("neutral"),
                opt(&h.findings),
            ]
        }),
    )
}

/// `consultation list` as CSV.
pub fn consultations_csv(consultations: &[ConsultationView]) -> String {
    write(
        &[
            "ref",
            "status",
            "topic",
            "format",
            "convened_by",
            "parties",
            "terms",
            "commitments",
            "commitments_fulfilled",
            "convened_at",
            "concluded_at",
        ],
        consultations.iter().map(|c| {
            vec![
                c.reference.clone(),
                c.status.clone(),
                c.topic.clone(),
                c.format.clone(),
                c.convened_by.clone(),
                list(&c.parties),
                list(&c.terms),
                c.commitments.len().to_string(),
                c.commitments
                    .iter()
                    .filter(|x| x.fulfilled)
                    .count()
                    .to_string(),
                c.convened_at.clone(),
                opt(&c.concluded_at),
            ]
        }),
    )
}

/// `ballot list` as CSV: totals only, never a voter (for open ballots too; `ballot show` has `votes`).
pub fn ballots_csv(ballots: &[BallotView]) -> String {
    write(
        &[
            "ref",
            "status",
            "question",
            "secret",
            "electorate",
            "cast",
            "turnout",
            "quorum",
            "quorum_met",
            "threshold",
            "counts",
            "result",
        ],
        ballots.iter().map(|b| {
            vec![
                b.reference.clone(),
                b.status.clone(),
                b.question.clone(),
                b.secret.to_string(),
                b.electorate.to_string(),
                b.cast.to_string(),
                b.turnout.to_string(),
                b.quorum.clone(),
                b.quorum_met.to_string(),
                b.threshold.clone(),
                b.counts.as_ref().map_or_else(String::new, |m| {
                    m.iter()
                        .map(|(o, n)| format!("{o}={n}"))
                        .collect::<Vec<_>>()
                        .join("; ")
                }),
                opt(&b.result),
            ]
        }),
    )
}

/// `dispute list` as CSV.
pub fn disputes_csv(disputes: &[DisputeTimeline]) -> String {
    write(
        &[
            "ref",
            "status",
            "title",
            "parties",
            "bodies",
            "steps",
            "mediation_attempts",
            "mediation_succeeded",
            "escalations",
            "negotiations",
            "resolution",
            "filed_at",
            "closed_at",
        ],
        disputes.iter().map(|d| {
            vec![
                d.reference.clone(),
                d.status.clone(),
                d.title.clone(),
                d.parties
                    .iter()
                    .map(|p| format!("{}={}", p.party, p.side))
                    .collect::<Vec<_>>()
                    .join("; "),
                list(&d.bodies),
                d.steps.len().to_string(),
                d.mediation_attempts.len().to_string(),
                d.mediation_succeeded.to_string(),
                d.escalations.len().to_string(),
                d.negotiations.len().to_string(),
                d.resolution
                    .as_ref()
                    .map(|r| r.resolution.clone())
                    .unwrap_or_default(),
                d.filed_at.clone(),
                opt(&d.closed_at),
            ]
        }),
    )
}

/// One dispute's steps as CSV (`dispute timeline`).
pub fn timeline_csv(timeline: &DisputeTimeline) -> String {
    write(
        &[
            "position",
            "occurred_at",
            "kind",
            "summary",
            "since_previous_s",
        ],
        timeline.steps.iter().map(|s| {
            vec![
                s.position.to_string(),
                s.occurred_at.clone(),
                s.kind.clone(),
                s.summary.clone(),
                s.since_previous_s
                    .map(|x| x.to_string())
                    .unwrap_or_default(),
            ]
        }),
    )
}

/// `history` or `audit log` as CSV.
pub fn history_csv(entries: &[HistoryEntry]) -> String {
    write(
        &[
            "position",
            "occurred_at",
            "recorded_at",
            "recorded_by",
            "kind",
            "summary",
            "ref",
        ],
        entries.iter().map(|e| {
            vec![
                e.position.to_string(),
                e.occurred_at.clone(),
                e.recorded_at.clone(),
                opt(&e.recorded_by),
                e.kind.clone(),
                e.summary.clone(),
                opt(&e.reference),
            ]
        }),
    )
}

/// `org list` as CSV.
pub fn organisations_csv(orgs: &[OrgView]) -> String {
    write(
        &["ref", "name", "kind", "parent"],
        orgs.iter().map(|o| {
            vec![
                o.reference.clone(),
                o.name.clone(),
                o.kind.clone(),
                opt(&o.parent),
            ]
        }),
    )
}

/// `person list` as CSV: references and memberships, never names.
pub fn persons_csv(persons: &[PersonView]) -> String {
    write(
        &["ref", "erased", "memberships"],
        persons.iter().map(|p| {
            vec![
                p.reference.clone(),
                p.erased.to_string(),
                p.memberships
                    .iter()
                    .map(|m| format!("{} of {}", m.role, m.org))
                    .collect::<Vec<_>>()
                    .join("; "),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_as_rfc_4180() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(
            write(&["a", "b"], [vec!["1".into(), "x,y".into()]]),
            "a,b\r\n1,\"x,y\"\r\n"
        );
    }
}
