//! Corrections: an event that points at an earlier event of the same stream and says why it is wrong.
//! The corrected event stays in the log and in every history; nothing is rewritten.

use crate::ids::Position;
use crate::names::brief;
use serde::{Deserialize, Serialize};

/// Events that correct earlier events; any entity's stream can hold them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CorrectionEvent {
    /// `delib correct REF --event POSITION --reason R`.
    EventCorrected {
        /// The global position of the corrected event (in the same stream).
        corrected: Position,
        /// Why it is corrected.
        reason: String,
    },
}

impl CorrectionEvent {
    /// A stable dotted name: `correction.recorded`.
    pub fn kind(&self) -> &'static str {
        match self {
            CorrectionEvent::EventCorrected { .. } => "correction.recorded",
        }
    }

    /// A one-line English summary.
    pub fn summary(&self) -> String {
        match self {
            CorrectionEvent::EventCorrected { corrected, reason } => {
                format!(
                    "corrects the event at position {corrected}: {}",
                    brief(reason)
                )
            }
        }
    }
}
