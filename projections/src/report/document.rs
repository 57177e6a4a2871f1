//! The report laid out for people: sections of key figures and tables with labels in one language.
//! Markdown and HTML both render this layout, so they show the same things.

use super::labels::Labels;
use super::model::Report;

/// A chart the HTML format draws where a section asks for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Chart {
    /// Bars of proposal outcomes in the period.
    ProposalOutcomes,
    /// Bars of dispute durations.
    DisputeDurations,
}

/// A table: headers and rows of plain (unescaped) text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// A caption, if any.
    pub caption: Option<String>,
    /// Column headers.
    pub headers: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<String>>,
}

/// One section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Section {
    /// Heading.
    pub heading: String,
    /// Key figures: label and value.
    pub figures: Vec<(String, String)>,
    /// A chart drawn after the figures (HTML only).
    pub chart: Option<Chart>,
    /// Tables.
    pub tables: Vec<Table>,
    /// Paragraphs of plain text.
    pub paragraphs: Vec<String>,
}

impl Section {
    fn new(heading: &str) -> Self {
        Section {
            heading: heading.to_owned(),
            figures: Vec::new(),
            chart: None,
            tables: Vec::new(),
            paragraphs: Vec::new(),
        }
    }
    fn fig(&mut self, label: &str, value: impl ToString) {
        self.figures.push((label.to_owned(), value.to_string()));
    }
    fn table(&mut self, caption: Option<&str>, headers: &[&str], rows: Vec<Vec<String>>) {
        self.tables.push(Table {
            caption: caption.map(str::to_owned),
            headers: headers.iter().map(|h| (*h).to_owned()).collect(),
            rows,
        });
    }
}

/// A number without trailing zeros (`2.5`, `60`).
pub fn num(x: f64) -> String {
    format!("{x}")
}

/// An optional number, or the label for none.
pub fn opt_num(x: Option<f64>, l: &Labels) -> String {
    x.map_or_else(|| l.none.to_owned(), num)
}

/// A ratio as a percentage with one decimal.
pub fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Lays out the report in sections.
pub fn layout(r: &Report, l: &Labels) -> Vec<Section> {
    let yes_no = |b: bool| if b { l.yes } else { l.no }.to_owned();
    let mut out = Vec::new();

    let mut s = Section::new(l.ledger);
    s.fig(l.size, r.ledger.size);
    s.fig(l.root, &r.ledger.root);
    s.fig(
        l.checkpoint,
        r.ledger.checkpoint.as_deref().unwrap_or(l.none),
    );
    out.push(s);

    let p = &r.proposals;
    let mut s = Section::new(l.proposals);
    s.fig(l.submitted, p.submitted);
    s.fig(l.admitted, p.admitted);
    s.fig(l.adopted, p.adopted);
    s.fig(l.rejected, p.rejected);
    s.fig(l.withdrawn, p.withdrawn);
    s.fig(l.returned, p.returned);
    s.fig(l.completed, p.completed);
    s.fig(
        l.median_days_to_decision,
        opt_num(p.median_days_to_decision, l),
    );
    s.chart = Some(Chart::ProposalOutcomes);
    let nonzero = |m: &std::collections::BTreeMap<String, u64>| {
        m.iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| vec![k.clone(), n.to_string()])
            .collect::<Vec<_>>()
    };
    s.table(
        Some(l.by_status),
        &[l.status, l.count],
        nonzero(&p.by_status),
    );
    s.table(
        Some(l.by_category),
        &[l.category, l.count],
        nonzero(&p.by_category),
    );
    s.table(
        Some(l.decided),
        &[
            l.reference,
            l.title_col,
            l.category,
            l.outcome,
            l.basis,
            l.days,
        ],
        p.decided
            .iter()
            .map(|d| {
                vec![
                    d.reference.clone(),
                    d.title.clone(),
                    d.category.clone(),
                    d.outcome.clone(),
                    d.basis.clone(),
                    num(d.days),
                ]
            })
            .collect(),
    );
    out.push(s);

    let h = &r.hearings;
    let mut s = Section::new(l.hearings);
    s.fig(l.held, h.held);
    s.fig(l.scheduled, h.scheduled);
    s.fig(l.cancelled, h.cancelled);
    s.fig(l.statements, h.statements);
    s.table(
        Some(l.by_stance),
        &[l.stance, l.count],
        h.statements_by_stance
            .iter()
            .map(|(k, n)| vec![k.clone(), n.to_string()])
            .collect(),
    );
    s.table(
        Some(l.findings),
        &[l.reference, l.topic, l.statements, l.findings],
        h.findings
            .iter()
            .map(|f| {
                vec![
                    f.reference.clone(),
                    f.topic.clone(),
                    f.statements.to_string(),
                    f.findings.clone(),
                ]
            })
            .collect(),
    );
    out.push(s);

    let c = &r.consultations;
    let mut s = Section::new(l.consultations);
    s.fig(l.convened, c.convened);
    s.fig(l.held, c.held);
    s.fig(l.agreed, c.agreed);
    s.fig(l.failed, c.failed);
    s.fig(l.commitments, c.commitments);
    s.fig(l.commitments_fulfilled, c.commitments_fulfilled);
    s.fig(l.overdue, c.overdue.len());
    s.table(
        None,
        &[l.reference, l.topic, l.status, l.terms],
        c.outcomes
            .iter()
            .map(|o| {
                let terms = if o.terms.is_empty() {
                    o.failure_reason.clone().unwrap_or_default()
                } else {
                    o.terms.join("; ")
                };
                vec![
                    o.reference.clone(),
                    o.topic.clone(),
                    o.status.clone(),
                    terms,
                ]
            })
            .collect(),
    );
    s.table(
        Some(l.overdue),
        &[l.reference, l.party, l.commitments, l.due],
        c.overdue
            .iter()
            .map(|o| {
                vec![
                    o.reference.clone(),
                    o.party.clone(),
                    format!("{}. {}", o.commitment, o.text),
                    o.due.clone(),
                ]
            })
            .collect(),
    );
    out.push(s);

    let mut s = Section::new(l.ballots);
    s.table(
        None,
        &[
            l.reference,
            l.question,
            l.status,
            l.secret,
            l.electorate,
            l.cast,
            l.turnout,
            l.quorum,
            l.quorum_met,
            l.result,
            l.counts,
        ],
        r.ballots
            .iter()
            .map(|b| {
                let counts = b.counts.as_ref().map_or_else(String::new, |m| {
                    m.iter()
                        .map(|(o, n)| format!("{o}: {n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                });
                vec![
                    b.reference.clone(),
                    b.question.clone(),
                    b.status.clone(),
                    yes_no(b.secret),
                    b.electorate.to_string(),
                    b.cast.to_string(),
                    percent(b.turnout),
                    b.quorum.clone(),
                    yes_no(b.quorum_met),
                    b.result.clone().unwrap_or_else(|| l.none.to_owned()),
                    counts,
                ]
            })
            .collect(),
    );
    s.paragraphs.push(l.secret_note.to_owned());
    for b in r.ballots.iter().filter(|b| b.scheme == "in-room") {
        // 现场表决: how it was taken, the members present and the counts the meeting took.
        let counts = b.counts.as_ref().map_or_else(String::new, |m| {
            let list: Vec<String> = m.iter().map(|(o, n)| format!("{o} {n}")).collect();
            format!(" ({})", list.join(", "))
        });
        let present = b
            .present
            .map_or_else(|| l.none.to_owned(), |p| format!("{p}/{}", b.electorate));
        s.paragraphs.push(format!(
            "{}: {}; {} {present}{counts}",
            b.reference, l.in_room, l.present
        ));
    }
    out.push(s);

    let d = &r.disputes;
    let mut s = Section::new(l.disputes);
    s.fig(l.filed, d.filed);
    s.fig(l.resolved, d.resolved);
    s.fig(l.withdrawn, d.withdrawn);
    s.fig(l.open, d.open);
    s.fig(l.mediation_attempts, d.mediation_attempts);
    s.fig(l.mediation_succeeded, d.mediation_succeeded);
    s.fig(
        l.success_rate,
        d.mediation_success_rate
            .map_or_else(|| l.none.to_owned(), percent),
    );
    s.fig(l.escalations, d.escalations);
    s.fig(l.negotiations, d.negotiations);
    s.fig(
        l.median_days_to_resolution,
        opt_num(d.median_days_to_resolution, l),
    );
    s.chart = Some(Chart::DisputeDurations);
    s.table(
        Some(l.durations),
        &[
            l.reference,
            l.title_col,
            l.status,
            l.mediation_attempts,
            l.days,
        ],
        d.durations
            .iter()
            .map(|x| {
                let days = if x.ongoing {
                    format!("{} ({})", num(x.days), l.ongoing)
                } else {
                    num(x.days)
                };
                vec![
                    x.reference.clone(),
                    x.title.clone(),
                    x.status.clone(),
                    x.mediation_attempts.to_string(),
                    days,
                ]
            })
            .collect(),
    );
    out.push(s);

    let pl = &r.pledges;
    let mut s = Section::new(l.pledges);
    s.fig(l.money_yuan, pl.money_yuan);
    s.fig(l.money_yuan_fulfilled, pl.money_yuan_fulfilled);
    s.fig(l.labour_days, pl.labour_days);
    s.fig(l.expertise, pl.expertise);
    s.fig(l.total, pl.total);
    s.fig(l.fulfilled, pl.fulfilled);
    s.fig(l.fulfilled_in_period, pl.fulfilled_in_period);
    s.table(
        Some(l.by_unit),
        &[
            l.unit,
            l.money_yuan,
            l.labour_days,
            l.expertise,
            l.total,
            l.fulfilled,
        ],
        pl.by_unit
            .iter()
            .map(|u| {
                let unit = if u.name.is_empty() {
                    u.unit.clone()
                } else {
                    format!("{} {}", u.unit, u.name)
                };
                vec![
                    unit,
                    u.money_yuan.to_string(),
                    u.labour_days.to_string(),
                    u.expertise.join("; "),
                    u.total.to_string(),
                    u.fulfilled.to_string(),
                ]
            })
            .collect(),
    );
    out.push(s);

    if !r.witnesses.is_empty() {
        let mut s = Section::new(l.witnesses);
        s.table(
            None,
            &[l.witness, l.key_id, l.size, l.root, l.cosigned_at],
            r.witnesses
                .iter()
                .map(|w| {
                    vec![
                        w.witness.clone(),
                        w.key_id.clone(),
                        w.size.to_string(),
                        w.root.clone(),
                        w.time.clone(),
                    ]
                })
                .collect(),
        );
        s.paragraphs.push(l.witnesses_note.to_owned());
        out.push(s);
    }

    // The clerk's records of the period (issue 13).
    let rec = &r.records;
    let mut s = Section::new(l.records);
    s.fig(l.corrections, rec.corrections.len());
    s.fig(l.voids, rec.voids.len());
    s.fig(l.in_room_ballots, rec.in_room_ballots.len());
    s.fig(l.documents, rec.documents.len());
    let correction_rows = |list: &[super::records::PeriodCorrection]| -> Vec<Vec<String>> {
        list.iter()
            .map(|c| {
                let changes: Vec<String> = c
                    .correction
                    .changes
                    .iter()
                    .map(|f| format!("{}: {} → {}", f.field, f.old, f.new))
                    .collect();
                vec![
                    c.reference.clone(),
                    c.correction.corrected.to_string(),
                    changes.join("; "),
                    c.correction.reason.clone(),
                ]
            })
            .collect()
    };
    let heads = [l.reference, l.position, l.changes, l.reason];
    if !rec.corrections.is_empty() {
        s.table(
            Some(l.corrections),
            &heads,
            correction_rows(&rec.corrections),
        );
    }
    if !rec.voids.is_empty() {
        s.table(Some(l.voids), &heads, correction_rows(&rec.voids));
    }
    if !rec.in_room_ballots.is_empty() {
        s.table(
            Some(l.in_room_ballots),
            &[l.reference, l.present, l.electorate, l.counts, l.result],
            rec.in_room_ballots
                .iter()
                .map(|b| {
                    let counts: Vec<String> =
                        b.counts.iter().map(|(o, n)| format!("{o}: {n}")).collect();
                    vec![
                        b.reference.clone(),
                        b.present.to_string(),
                        b.electorate.to_string(),
                        counts.join(", "),
                        b.result.clone().unwrap_or_else(|| l.none.to_owned()),
                    ]
                })
                .collect(),
        );
    }
    if !rec.documents.is_empty() {
        s.table(
            Some(l.documents),
            &[l.reference, l.title_col, l.bytes, l.sha256],
            rec.documents
                .iter()
                .map(|d| {
                    let title = match &d.withdrawn {
                        Some(_) => format!("{} ({})", d.title, l.withdrawn_doc),
                        None => d.title.clone(),
                    };
                    vec![
                        d.reference.clone(),
                        title,
                        d.size.to_string(),
                        d.sha256.clone(),
                    ]
                })
                .collect(),
        );
    }
    out.push(s);

    let mut s = Section::new(l.how_to_verify);
    s.paragraphs.push(r.verify_instructions.clone());
    out.push(s);
    out
}
