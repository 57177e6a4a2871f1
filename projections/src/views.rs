//! [`Views`]: every projection folded together, for callers that keep them in one place (the app
//! layer, the transparency report, tests).

use crate::ballots::BallotResults;
use crate::consultations::ConsultationOutcomes;
use crate::directory::Directory;
use crate::disputes::DisputeTimelines;
use crate::documents::DocumentRegister;
use crate::hearings::HearingRecords;
use crate::latest::Latest;
use crate::projection::Projection;
use crate::proposals::ProposalBoard;
use delib_events::{Position, RecordedEvent};
use serde::{Deserialize, Serialize};

/// The directory and every view's projection.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Views {
    /// References and labels.
    pub directory: Directory,
    /// Proposals.
    pub proposals: ProposalBoard,
    /// Hearings.
    pub hearings: HearingRecords,
    /// Consultations.
    pub consultations: ConsultationOutcomes,
    /// Ballots.
    pub ballots: BallotResults,
    /// Disputes.
    pub disputes: DisputeTimelines,
    /// Documents attached to entities.
    pub documents: DocumentRegister,
    /// When the latest act happened.
    pub latest: Latest,
}

impl Projection for Views {
    const NAME: &'static str = "views";
    const VERSION: u32 = 1;

    fn apply(&mut self, event: &RecordedEvent) {
        self.directory.apply(event);
        self.proposals.apply(event);
        self.hearings.apply(event);
        self.consultations.apply(event);
        self.ballots.apply(event);
        self.disputes.apply(event);
        self.documents.apply(event);
        self.latest.apply(event);
    }

    /// The least advanced of the parts (they advance together unless restored from different states).
    fn last_position(&self) -> Position {
        [
            self.directory.last_position(),
            self.proposals.last_position(),
            self.hearings.last_position(),
            self.consultations.last_position(),
            self.ballots.last_position(),
            self.disputes.last_position(),
            self.documents.last_position(),
            self.latest.last_position(),
        ]
        .into_iter()
        .min()
        .unwrap_or(Position::ZERO)
    }
}
