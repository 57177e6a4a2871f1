//! What a transparency report is built from ([`ReportViews`]): the views at the period's end, but
//! each hearing as its record without its statements and participants, and its statements' times
//! ([`StatementTimes`]): the report counts statements by time and stance and prints none, and a
//! whole ledger's report would otherwise read every statement's text (a million of them in `bench
//! scale`) to count them.

use crate::ballots::BallotResults;
use crate::consultations::ConsultationOutcomes;
use crate::directory::Directory;
use crate::disputes::DisputeTimelines;
use crate::documents::DocumentRegister;
use crate::hearings::{HearingRecord, StatementTimes};
use crate::proposals::ProposalBoard;
use crate::views::Views;
use std::sync::Arc;

/// One hearing as a report reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportedHearing {
    /// The record without its participants and statements (its list row's record).
    pub record: Arc<HearingRecord>,
    /// When its statements were made, by stance.
    pub statements: StatementTimes,
}

impl ReportedHearing {
    /// From the whole record.
    pub fn of(record: &HearingRecord) -> Self {
        Self {
            record: Arc::new(record.without_lists()),
            statements: record.digest(),
        }
    }
}

/// The views a report reads, as of the period's end.
#[derive(Clone, Debug)]
pub struct ReportViews<'a> {
    /// References and labels.
    pub directory: &'a Directory,
    /// Proposals.
    pub proposals: &'a ProposalBoard,
    /// Every hearing, in stream-id order.
    pub hearings: Vec<ReportedHearing>,
    /// Consultations.
    pub consultations: &'a ConsultationOutcomes,
    /// Ballots.
    pub ballots: &'a BallotResults,
    /// Disputes.
    pub disputes: &'a DisputeTimelines,
    /// Documents.
    pub documents: &'a DocumentRegister,
}

impl<'a> ReportViews<'a> {
    /// From views holding every hearing's record whole.
    pub fn of(views: &'a Views) -> Self {
        let hearings = views.hearings.records().map(ReportedHearing::of).collect();
        Self::with_hearings(views, hearings)
    }

    /// From views whose hearings are left out (not loaded) and the hearings as `hearings` (in
    /// stream-id order: as the store keeps their rows and digests).
    pub fn with_hearings(views: &'a Views, hearings: Vec<ReportedHearing>) -> Self {
        Self {
            directory: &views.directory,
            proposals: &views.proposals,
            hearings,
            consultations: &views.consultations,
            ballots: &views.ballots,
            disputes: &views.disputes,
            documents: &views.documents,
        }
    }
}
