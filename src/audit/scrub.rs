//! The scrub: the whole ledger re-verified ([`verify_ledger_with`]: chain, tree, indexes, every
//! signed checkpoint) while it is in use, its outcome kept in the side tree `scrub` (outside the
//! event log) so that `status` can say when the ledger was last fully verified and what was found.
//! A problem nobody has accepted halts appends ([`SledStore::halt`]) until an operator restores the
//! ledger or accepts it ([`accept`], `delib audit accept-problem --reason R`), which is recorded too.

use super::ledger_verify::verify_ledger_with;
use crate::app::views::rfc3339;
use crate::ledger::Ledger;
use crate::store::{EventStore, SledStore, StoreError};
use serde::{Deserialize, Serialize};

const TREE: &str = "scrub";
const LAST: &[u8] = b"last";
const ACCEPTED: &[u8] = b"accepted";
/// At most this many problems are kept in a record.
const KEEP: usize = 20;

/// One problem found, at a position (0 when not tied to one record).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    /// Where.
    pub position: u64,
    /// What.
    pub problem: String,
}

/// The outcome of one full scrub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScrubRecord {
    /// When it started and finished (RFC 3339).
    pub started_at: String,
    /// When it finished.
    pub finished_at: String,
    /// When it finished, in microseconds since the epoch (to schedule the next).
    pub finished_micros: i64,
    /// Records verified.
    pub size: u64,
    /// The RFC 9162 root of those records.
    pub root: String,
    /// True when nothing was wrong.
    pub ok: bool,
    /// How many problems were found.
    pub problem_count: usize,
    /// The first of them (at most 20).
    pub problems: Vec<Found>,
}

/// An operator's acceptance of the problems a scrub found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    /// When (RFC 3339).
    pub at: String,
    /// Why, as the operator wrote it.
    pub reason: String,
    /// The problems accepted.
    pub problems: Vec<Found>,
}

/// What `status` shows of the scrub.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScrubStatus {
    /// The last full scrub, if any ran.
    pub last: Option<ScrubRecord>,
    /// Every acceptance, oldest first.
    pub accepted: Vec<Acceptance>,
    /// Why appends are refused, if they are.
    pub halted: Option<String>,
}

fn tree(store: &SledStore) -> Result<sled::Tree, StoreError> {
    Ok(store.db().open_tree(TREE)?)
}

fn get<T: for<'de> Deserialize<'de>>(
    tree: &sled::Tree,
    key: &[u8],
) -> Result<Option<T>, StoreError> {
    Ok(tree.get(key)?.and_then(|v| serde_json::from_slice(&v).ok()))
}

fn put<T: Serialize>(tree: &sled::Tree, key: &[u8], value: &T) -> Result<(), StoreError> {
    let bytes = serde_json::to_vec(value).map_err(std::io::Error::other)?;
    tree.insert(key, bytes)?;
    tree.flush()?;
    Ok(())
}

/// The scrub's record of the ledger, as `status` shows it.
///
/// # Errors
/// sled errors.
pub fn status(store: &SledStore) -> Result<ScrubStatus, StoreError> {
    let t = tree(store)?;
    Ok(ScrubStatus {
        last: get(&t, LAST)?,
        accepted: get(&t, ACCEPTED)?.unwrap_or_default(),
        halted: store.halted(),
    })
}

/// Verifies the whole ledger (calling `pace` after every record), records the outcome, and halts
/// appends if a problem not accepted before was found.
///
/// # Errors
/// Only when the outcome cannot be recorded; damage is in the record, not an error.
pub fn scrub(ledger: &Ledger, pace: &mut dyn FnMut()) -> Result<ScrubRecord, StoreError> {
    let started = ledger.clock().now();
    let report = verify_ledger_with(ledger, true, pace);
    let finished = ledger.clock().now();
    let record = ScrubRecord {
        started_at: rfc3339(started),
        finished_at: rfc3339(finished),
        finished_micros: finished.as_micros(),
        size: report.size,
        root: report.root.clone(),
        ok: report.ok,
        problem_count: report.problems.len(),
        problems: report
            .problems
            .iter()
            .take(KEEP)
            .map(|p| Found {
                position: p.position,
                problem: p.problem.clone(),
            })
            .collect(),
    };
    let store = ledger.store();
    let t = tree(store)?;
    put(&t, LAST, &record)?;
    let accepted: Vec<Acceptance> = get(&t, ACCEPTED)?.unwrap_or_default();
    let new: Vec<&Found> = record
        .problems
        .iter()
        .filter(|p| !accepted.iter().any(|a| a.problems.contains(p)))
        .collect();
    tracing::info!(
        size = record.size,
        problems = record.problem_count,
        "scrub finished"
    );
    if let Some(first) = new.first() {
        store.halt(&format!(
            "the scrub of {} found {} problem(s) in the ledger, the first at position {}: {}",
            record.finished_at,
            new.len(),
            first.position,
            first.problem
        ))?;
    }
    Ok(record)
}

/// Accepts the problems of the last scrub (with the operator's `reason`, recorded and shown by
/// `status`) and lets appends resume.
///
/// # Errors
/// [`StoreError::Halted`]-free: a rule error string when there is nothing to accept, sled errors.
pub fn accept(ledger: &Ledger, reason: &str) -> Result<Result<Acceptance, String>, StoreError> {
    let store = ledger.store();
    let t = tree(store)?;
    let last: Option<ScrubRecord> = get(&t, LAST)?;
    let problems = last.map(|l| l.problems).unwrap_or_default();
    if problems.is_empty() && store.halted().is_none() {
        return Ok(Err(
            "rule: there is no problem to accept (the last scrub found none and appends are not halted)"
                .into(),
        ));
    }
    let acceptance = Acceptance {
        at: rfc3339(ledger.clock().now()),
        reason: reason.to_string(),
        problems,
    };
    let mut accepted: Vec<Acceptance> = get(&t, ACCEPTED)?.unwrap_or_default();
    accepted.push(acceptance.clone());
    put(&t, ACCEPTED, &accepted)?;
    store.resume()?;
    tracing::warn!(
        problems = acceptance.problems.len(),
        "scrub problems accepted by the operator; appends resume"
    );
    let _ = store.head();
    Ok(Ok(acceptance))
}
