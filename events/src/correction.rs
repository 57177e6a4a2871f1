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
    /// `delib correct REF --event POSITION --set FIELD=VALUE... --reason R`: corrected values that
    /// take effect in views, pages and reports. Each change carries the value it replaces.
    EventAmended {
        /// The global position of the corrected event (in the same stream).
        corrected: Position,
        /// The fields changed, old and new values as text.
        changes: Vec<FieldChange>,
        /// Why.
        reason: String,
    },
    /// `delib void REF --event POSITION --reason R`: an act recorded in error is withdrawn. It stays in
    /// the log and in history (struck through); views drop it.
    EventVoided {
        /// The global position of the voided event (in the same stream).
        voided: Position,
        /// Why.
        reason: String,
    },
}

/// One field of an event changed by a correction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field, as users name it (`title`, `amount`, `summary`...).
    pub field: String,
    /// The value it had (as shown before this correction).
    pub old: String,
    /// The corrected value.
    pub new: String,
}

impl CorrectionEvent {
    /// A stable dotted name: `correction.recorded`.
    pub fn kind(&self) -> &'static str {
        match self {
            CorrectionEvent::EventCorrected { .. } => "correction.recorded",
            CorrectionEvent::EventAmended { .. } => "correction.amended",
            CorrectionEvent::EventVoided { .. } => "correction.voided",
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
            CorrectionEvent::EventAmended {
                corrected,
                changes,
                reason,
            } => {
                let list: Vec<String> = changes
                    .iter()
                    .map(|c| format!("{}: {} -> {}", c.field, brief(&c.old), brief(&c.new)))
                    .collect();
                format!(
                    "corrects the event at position {corrected} ({}): {}",
                    list.join("; "),
                    brief(reason)
                )
            }
            CorrectionEvent::EventVoided { voided, reason } => {
                format!(
                    "voids the event at position {voided} (recorded in error): {}",
                    brief(reason)
                )
            }
        }
    }
}
