//! `delib district report --mirror DIR... --from --to`: the transparency numbers of many
//! communities' ledgers, each read from a verified mirror (every tile verified again against the
//! mirror's signed checkpoint), each named by its ledger and stated up to which checkpoint it was
//! verified. The numbers are the communities' own transparency reports
//! ([`delib_projections::report::transparency_report`]), side by side and summed.

use super::client::{self, DirFetch, Sink};
use super::mirror::replica_state;
use super::paths::{Tile, TileKind};
use super::TlogError;
use delib_events::{decode_record, Event, LedgerEvent, Timestamp};
use delib_projections::report::{transparency_report, LedgerInfo};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// One community's row.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Community {
    /// The ledger's public name (given at `init`).
    pub name: String,
    /// Its checkpoint origin.
    pub origin: String,
    /// The mirror it was read from.
    pub mirror: String,
    /// Verified up to this tree size...
    pub verified_size: u64,
    /// ...with this root (base64), signed by the ledger's key.
    pub verified_root: String,
    /// When the last record under that checkpoint was recorded (RFC 3339), the moment up to which
    /// the community's numbers are verified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<String>,
    /// Proposals submitted in the period.
    pub proposals_submitted: u64,
    /// Adopted.
    pub proposals_adopted: u64,
    /// Completed.
    pub proposals_completed: u64,
    /// Hearings held.
    pub hearings_held: u64,
    /// Statements at hearings.
    pub hearing_statements: u64,
    /// Disputes filed.
    pub disputes_filed: u64,
    /// Disputes resolved.
    pub disputes_resolved: u64,
    /// Ballots active in the period.
    pub ballots: u64,
    /// Pledges made.
    pub pledges: u64,
}

/// The district's view.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct District {
    /// The period, as given.
    pub from: String,
    /// Its end.
    pub to: String,
    /// One row per community, in the order given.
    pub communities: Vec<Community>,
    /// The sums (name "total").
    pub total: Community,
}

struct Entries(Vec<Vec<u8>>);

impl Sink for Entries {
    fn verified(&mut self, tile: &Tile, bytes: &[u8]) -> Result<(), TlogError> {
        if tile.kind == TileKind::Entries {
            self.0.extend(client::parse_bundle(tile, bytes)?);
        }
        Ok(())
    }
}

/// Reads and verifies one mirror and builds its row.
///
/// # Errors
/// [`TlogError`] when the mirror does not verify or holds something that is not a delib ledger.
pub fn community(mirror: &Path, from: Timestamp, to: Timestamp) -> Result<Community, TlogError> {
    let (_, held) = replica_state(mirror)?;
    let held = held.ok_or_else(|| {
        TlogError::Usage(format!(
            "{} has no verified checkpoint yet",
            mirror.display()
        ))
    })?;
    let cp = held.checkpoint().clone();
    let mut entries = Entries(Vec::new());
    client::verify_tree(&DirFetch(mirror.to_path_buf()), &cp, None, &mut entries)?;
    let events = entries
        .0
        .iter()
        .map(|r| decode_record(r))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            TlogError::Invalid(format!(
                "{}: a record does not decode: {e}",
                mirror.display()
            ))
        })?;
    let name = match events.first().map(|e| &e.event) {
        Some(Event::Ledger(LedgerEvent::LedgerInitialized { name, .. })) => name.clone(),
        _ => {
            return Err(TlogError::Invalid(format!(
                "{} is not a delib ledger (no initialisation first)",
                mirror.display()
            )))
        }
    };
    let verified_at = events
        .last()
        .map(|e| delib_projections::time::rfc3339(e.metadata.recorded_at));
    let info = LedgerInfo {
        size: cp.size,
        root_hex: cp.root.to_hex(),
        checkpoint: Some(held.to_note()),
    };
    let r = transparency_report(&events, from, to, info, String::new());
    Ok(Community {
        name,
        origin: cp.origin.clone(),
        mirror: mirror.display().to_string(),
        verified_size: cp.size,
        verified_root: cp.root.to_base64(),
        verified_at,
        proposals_submitted: r.proposals.submitted,
        proposals_adopted: r.proposals.adopted,
        proposals_completed: r.proposals.completed,
        hearings_held: r.hearings.held,
        hearing_statements: r.hearings.statements,
        disputes_filed: r.disputes.filed,
        disputes_resolved: r.disputes.resolved,
        ballots: r.ballots.len() as u64,
        pledges: r.pledges.total,
    })
}

/// One mirror's outcome in a [`Survey`]: its community's row, or why it failed verification.
#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// Verified; the community's numbers.
    Verified(Community),
    /// Not verified: the mirror (its directory's last component), and why.
    Failed {
        /// The mirror's directory name (not its full path).
        mirror: String,
        /// The log's origin, if the replica's checkpoint verified with its key.
        origin: Option<String>,
        /// Why it failed (the mirror's full path replaced by its name).
        reason: String,
    },
}

/// The district's view that keeps going past a failure: every mirror given, in order, verified or
/// failed with its reason (what `serve --district` shows; `district report` stops at the first
/// failure instead).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Survey {
    /// One outcome per mirror, in the order given.
    pub outcomes: Vec<Outcome>,
    /// The sums over the verified ones (name "total").
    pub total: Community,
}

/// A mirror's directory name, for messages shown to the public.
#[must_use]
pub fn mirror_name(mirror: &Path) -> String {
    mirror.file_name().map_or_else(
        || mirror.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// One mirror's [`Outcome`].
#[must_use]
pub fn outcome(mirror: &Path, from: Timestamp, to: Timestamp) -> Outcome {
    match community(mirror, from, to) {
        Ok(c) => Outcome::Verified(c),
        Err(e) => {
            let name = mirror_name(mirror);
            tracing::warn!(mirror = %name, error = %e, "a district mirror does not verify");
            let origin = replica_state(mirror)
                .ok()
                .and_then(|(_, held)| held.map(|h| h.checkpoint().origin.clone()));
            Outcome::Failed {
                reason: e.to_string().replace(&mirror.display().to_string(), &name),
                mirror: name,
                origin,
            }
        }
    }
}

/// Every mirror's outcome (see [`Survey`]).
#[must_use]
pub fn survey(mirrors: &[PathBuf], from: Timestamp, to: Timestamp) -> Survey {
    let outcomes: Vec<Outcome> = mirrors.iter().map(|m| outcome(m, from, to)).collect();
    Survey::of(outcomes)
}

impl Survey {
    /// A survey of these outcomes, with their total.
    #[must_use]
    pub fn of(outcomes: Vec<Outcome>) -> Self {
        let verified: Vec<Community> = outcomes
            .iter()
            .filter_map(|o| match o {
                Outcome::Verified(c) => Some(c.clone()),
                Outcome::Failed { .. } => None,
            })
            .collect();
        Self {
            total: total(&verified),
            outcomes,
        }
    }
}

/// The district's view over `mirrors`.
///
/// # Errors
/// The first mirror that does not verify, named.
pub fn report(mirrors: &[PathBuf], from: Timestamp, to: Timestamp) -> Result<District, TlogError> {
    let communities = mirrors
        .iter()
        .map(|m| community(m, from, to))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(District {
        from: from.to_string(),
        to: to.to_string(),
        total: total(&communities),
        communities,
    })
}

fn total(communities: &[Community]) -> Community {
    let mut total = Community {
        name: "total".into(),
        ..Community::default()
    };
    for c in communities {
        total.verified_size += c.verified_size;
        total.proposals_submitted += c.proposals_submitted;
        total.proposals_adopted += c.proposals_adopted;
        total.proposals_completed += c.proposals_completed;
        total.hearings_held += c.hearings_held;
        total.hearing_statements += c.hearing_statements;
        total.disputes_filed += c.disputes_filed;
        total.disputes_resolved += c.disputes_resolved;
        total.ballots += c.ballots;
        total.pledges += c.pledges;
    }
    total
}

impl District {
    /// A Markdown table.
    #[must_use]
    pub fn markdown(&self) -> String {
        let mut out = format!(
            "# District transparency report\n\nPeriod: {} to {}. Each community's numbers come from its own ledger, read from a mirror and verified up to the checkpoint named.\n\n| Community | Verified up to | Proposals | Adopted | Completed | Hearings | Statements | Disputes | Resolved | Ballots | Pledges |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
            self.from, self.to
        );
        for c in self.communities.iter().chain(std::iter::once(&self.total)) {
            let verified = if c.origin.is_empty() {
                format!("{} records", c.verified_size)
            } else {
                match &c.verified_at {
                    Some(at) => format!(
                        "size {}, root `{}`, last record {at}",
                        c.verified_size, c.verified_root
                    ),
                    None => format!("size {}, root `{}`", c.verified_size, c.verified_root),
                }
            };
            out.push_str(&format!(
                "| {} | {verified} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
                c.name.replace('|', "\\|"),
                c.proposals_submitted,
                c.proposals_adopted,
                c.proposals_completed,
                c.hearings_held,
                c.hearing_statements,
                c.disputes_filed,
                c.disputes_resolved,
                c.ballots,
                c.pledges
            ));
        }
        out
    }
}
