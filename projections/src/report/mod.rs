//! The transparency report: what was proposed, decided, promised and delivered in a period, and the
//! ledger size and root hash it was built from, so anyone can rebuild the same report.
//!
//! # What "in the period" means
//!
//! The period is `from ..= to`, both ends inclusive, compared with each act's `occurred_at` (when it
//! happened, not when it was recorded). The report folds only the events that happened by `to`, so
//! every "status" below is the status at the period's end, and acts after `to` never change it.
//!
//! - **Flows** count acts that happened in the period: proposals `submitted`, `admitted`, `adopted` and
//!   `rejected` (by the decision's time), `withdrawn`, `returned`, `completed`; hearings `scheduled`,
//!   `held` (closed with findings), `cancelled`, `statements`; consultations `convened`, `held`
//!   (concluded: `agreed` + `failed`), `commitments` (made); disputes `filed`, `resolved`, `withdrawn`,
//!   `mediation_attempts`, `mediation_succeeded`, `escalations`, `negotiations`; pledges `total` (made),
//!   `money_yuan` and `labour_days` (pledged), `fulfilled_in_period`.
//! - **Outcomes of the period's flows** are judged at the period's end: `by_status` and `by_category`
//!   cover proposals submitted in the period; `commitments_fulfilled` and pledges' `fulfilled` count
//!   those made in the period and fulfilled by its end.
//! - **Stocks** are taken at the period's end, whenever the entity began: disputes `open`, commitments
//!   `overdue` (due before `to` and not fulfilled by then).
//! - **Medians** are over acts in the period: days from submission to each decision in the period; days
//!   from filing to each resolution in the period.
//! - **Lists**: `ballots` holds every ballot opened by `to` and not closed before `from`;
//!   `disputes.durations` every dispute filed by `to` and not resolved or withdrawn before `from`
//!   (an ongoing dispute's duration runs to `to`).
//!
//! Output is deterministic: the same events and arguments give byte-identical JSON, Markdown and HTML.
//! No format shows who chose what in a secret ballot (see [`crate::ballots`]).

pub mod document;
pub mod html;
pub mod input;
pub mod json;
pub mod labels;
pub mod markdown;
pub mod model;
pub mod records;
pub mod svg;

pub use input::{ReportViews, ReportedHearing};
pub use labels::Lang;
pub use model::{LedgerInfo, Report, WitnessedCheckpoint};

use crate::projection::Projection;
use crate::timeline::within_cut;
use crate::views::Views;
use delib_events::{Position, RecordedEvent, Timestamp};

/// An output format of `report transparency --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Markdown (the default).
    Markdown,
    /// JSON with the fields of `CLI.md`.
    Json,
    /// One self-contained printable HTML file with inline SVG charts.
    Html,
}

/// Builds the report for `from ..= to` from the ledger's events (oldest first), folding only the
/// events that happened by `to` and sit at or below position `ledger.size` (so the report is exactly
/// what the ledger held at that size, even if the caller passes more events). `ledger` states the
/// size and root hash; `verify_instructions` is printed under "How to verify".
pub fn transparency_report(
    events: &[RecordedEvent],
    from: Timestamp,
    to: Timestamp,
    ledger: LedgerInfo,
    verify_instructions: String,
) -> Report {
    let mut views = Views::default();
    let size = Some(Position::new(ledger.size));
    views.apply_all(events.iter().filter(|e| within_cut(e, Some(to), size)));
    Report::build(
        &ReportViews::of(&views),
        from,
        to,
        ledger,
        verify_instructions,
    )
}

/// Renders a report in a format and language (JSON ignores the language: its keys are fixed).
pub fn render(report: &Report, format: Format, lang: Lang) -> String {
    match format {
        Format::Json => json::to_json(report),
        Format::Markdown => markdown::to_markdown(report, lang),
        Format::Html => html::to_html(report, lang),
    }
}
