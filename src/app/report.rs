//! The transparency report for a period, and its verification against the ledger.
//!
//! A report states the ledger size it was built from, the Merkle root at that size and a signed
//! checkpoint of it, and says in one paragraph how to check it. `verify_report` rebuilds the report
//! from the ledger's first `size` records and compares it with the file field by field, then checks
//! the checkpoint's signature, that its root is the ledger's root at that size now, and that the
//! current ledger extends that tree (a consistency proof). So a report made before anyone rewrote the
//! ledger fails verification against the rewritten one. The root at the report's size is hashed from
//! the records themselves, never taken from the stored tree nodes.

use super::{AppError, LedgerService};
use crate::audit::checkpoint::SignedCheckpoint;
use crate::audit::merkle::{leaf_hash, verify_consistency, Frontier, Hash};
use crate::audit::{checkpoints, keys};
use crate::store::EventStore;
use delib_events::{Position, RecordedEvent, Timestamp};
use delib_projections::report::{transparency_report, LedgerInfo, Report};
use serde::Serialize;
use serde_json::Value;

/// A report built, whose checkpoint may still have to be recorded (see
/// [`LedgerService::prepare_report`]).
#[derive(Debug, Clone)]
pub struct PreparedReport {
    /// The report.
    pub report: Report,
    /// The checkpoint it states when that is signed but not yet recorded.
    pub unrecorded: Option<(crate::audit::checkpoint::Checkpoint, String)>,
}

/// What `report verify` prints.
#[derive(Debug, Clone, Serialize)]
pub struct ReportCheck {
    /// True when every check holds.
    pub ok: bool,
    /// The ledger size the report claims.
    pub size: u64,
    /// The ledger's size now.
    pub ledger_size: u64,
    /// What does not hold.
    pub problems: Vec<String>,
}

fn instructions(size: u64, origin: &str, key: &str) -> String {
    format!(
        "This report was built from the first {size} records of the ledger {origin}. Its numbers can be \
         rebuilt by anyone holding a copy of the ledger: run `delib report verify REPORT.json`, which \
         rebuilds the report from those {size} records and compares every field. The checkpoint above is \
         signed with the ledger's key {key} (print it with `delib audit key` and compare it with the key \
         the ledger publishes); `delib audit consistency --from-size {size}` proves that the ledger today \
         still begins with exactly those {size} records, and `delib audit check-proof` checks such a \
         proof without the ledger."
    )
}

impl LedgerService {
    /// The Merkle root of the first `size` records, hashed from the records themselves (not from the
    /// stored tree nodes, which a verifier must not take on trust).
    fn root_from_records(&self, size: u64) -> Result<Hash, AppError> {
        let mut frontier = Frontier::new();
        let mut next = 1u64;
        while next <= size {
            let page = self.store().read_raw(Position::new(next), 8192)?;
            let Some(last) = page.last().map(|(p, _)| p.get()) else {
                break;
            };
            for (_, bytes) in page.iter().filter(|(p, _)| p.get() <= size) {
                frontier.push(leaf_hash(bytes));
            }
            next = last + 1;
        }
        Ok(frontier.root())
    }

    fn events_up_to(&self, size: u64) -> Result<Vec<RecordedEvent>, AppError> {
        Ok(self.store().read_all(
            Position::new(1),
            usize::try_from(size).unwrap_or(usize::MAX),
        )?)
    }

    /// The report for `from..=to` as the ledger held it at `size`, stating `checkpoint` (a signed
    /// note of that size) if given. Records nothing (the server's public reports use it with a signed,
    /// unrecorded checkpoint, so anonymous reads never append).
    ///
    /// # Errors
    /// Storage and key failures.
    pub fn report_at(
        &self,
        size: u64,
        from: Timestamp,
        to: Timestamp,
        checkpoint: Option<String>,
    ) -> Result<Report, AppError> {
        let ledger = self.ledger();
        let origin = ledger.identity()?.origin;
        // The key named in the instructions is the one that signed the checkpoint (a ledger imported
        // from another keeps its predecessor's signatures); the ledger's own key otherwise.
        let verifiers =
            keys::verifiers(ledger.dir()).map_err(|e| AppError::Internal(e.to_string()))?;
        let signed = checkpoint
            .as_deref()
            .and_then(|n| SignedCheckpoint::parse(n).ok());
        let key = signed
            .and_then(|s| verifiers.iter().find(|k| k.verify(&s).is_ok()).cloned())
            .or_else(|| verifiers.first().cloned())
            .map(|k| k.to_string())
            .unwrap_or_default();
        let root = self.store().merkle_root(size)?;
        let info = LedgerInfo {
            size,
            root_hex: root.to_hex(),
            checkpoint,
        };
        Ok(transparency_report(
            &self.events_up_to(size)?,
            from,
            to,
            info,
            instructions(size, &origin, &key),
        ))
    }

    /// The transparency report for `from..=to`, built from every record up to a checkpoint of the
    /// current ledger (the latest recorded one if it is current, otherwise a new one, recorded).
    ///
    /// # Errors
    /// A period that ends before it starts; storage and key failures.
    pub fn transparency_report(&self, from: Timestamp, to: Timestamp) -> Result<Report, AppError> {
        let prepared = self.prepare_report(from, to)?;
        self.record_report_checkpoint(&prepared)?;
        Ok(prepared.report)
    }

    /// The transparency report for `from..=to` over the whole ledger, stating the latest recorded
    /// checkpoint when it covers the ledger, otherwise a newly signed one that is **not yet
    /// recorded**: the caller writes the report out first and then records it with
    /// [`LedgerService::record_report_checkpoint`], so a report that cannot be written records
    /// nothing, and reports of one ledger size share one recorded checkpoint.
    ///
    /// # Errors
    /// A period that ends before it starts; storage and key failures.
    pub fn prepare_report(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<PreparedReport, AppError> {
        if to < from {
            return Err(AppError::BadValue(
                "--to must not be earlier than --from".into(),
            ));
        }
        let internal = |e: checkpoints::CheckpointingError| AppError::Internal(e.to_string());
        let (checkpoint, note, recorded) =
            match checkpoints::covering(self.ledger()).map_err(internal)? {
                Some(cp) => (cp.checkpoint, cp.note, true),
                None => {
                    let size = self.store().head().position.get();
                    let (checkpoint, note) =
                        checkpoints::sign(self.ledger(), size).map_err(internal)?;
                    (checkpoint, note, false)
                }
            };
        let report = self.report_at(checkpoint.size, from, to, Some(note.clone()))?;
        Ok(PreparedReport {
            report,
            unrecorded: (!recorded).then_some((checkpoint, note)),
        })
    }

    /// Records the checkpoint a prepared report states, unless it is recorded already.
    ///
    /// # Errors
    /// Storage and key failures.
    pub fn record_report_checkpoint(&self, prepared: &PreparedReport) -> Result<(), AppError> {
        if let Some((checkpoint, note)) = &prepared.unrecorded {
            checkpoints::record_signed(self.ledger(), checkpoint.clone(), note.clone()).map_err(
                |e| match e {
                    checkpoints::CheckpointingError::Store(s) => AppError::Store(s),
                    checkpoints::CheckpointingError::Append(crate::store::AppendError::Store(
                        s,
                    )) => AppError::Store(s),
                    other => AppError::Internal(other.to_string()),
                },
            )?;
        }
        Ok(())
    }

    /// Checks a JSON report against the ledger. See the module documentation.
    ///
    /// # Errors
    /// A file that is not a report (usage error); storage failures.
    pub fn verify_report(&self, report: &Value) -> Result<ReportCheck, AppError> {
        let not_a_report =
            |what: &str| AppError::BadValue(format!("not a delib transparency report: {what}"));
        let time = |v: &Value| -> Result<Timestamp, AppError> {
            let text = v.as_str().ok_or_else(|| not_a_report("period"))?;
            let t =
                chrono::DateTime::parse_from_rfc3339(text).map_err(|_| not_a_report("period"))?;
            Ok(Timestamp::from_micros(t.timestamp_micros()))
        };
        let from = time(&report["period"]["from"])?;
        let to = time(&report["period"]["to"])?;
        let size = report["ledger"]["size"]
            .as_u64()
            .ok_or_else(|| not_a_report("ledger.size"))?;
        let checkpoint = report["ledger"]["checkpoint"].as_str().map(str::to_owned);
        let head = self.store().head().position.get();
        let mut problems = Vec::new();
        if size == 0 || size > head {
            problems.push(format!(
                "the report claims {size} records; the ledger holds {head}"
            ));
            return Ok(ReportCheck {
                ok: false,
                size,
                ledger_size: head,
                problems,
            });
        }

        // The numbers: exactly what the ledger's first `size` records produce.
        let rebuilt = serde_json::to_value(self.report_at(size, from, to, checkpoint.clone())?)
            .map_err(|e| AppError::Internal(e.to_string()))?;
        if let (Value::Object(mine), Value::Object(theirs)) = (&rebuilt, report) {
            for (section, value) in mine {
                if theirs.get(section) != Some(value) {
                    problems.push(format!(
                        "`{section}` differs from what the ledger's first {size} records produce"
                    ));
                }
            }
            for section in theirs.keys().filter(|k| !mine.contains_key(*k)) {
                problems.push(format!("`{section}` is not part of a delib report"));
            }
        }

        // The checkpoint: signed by the ledger's key, for this size and the root at this size now, and
        // the ledger today extends that tree.
        match checkpoint {
            None => problems.push("the report has no signed checkpoint".into()),
            Some(note) => {
                match SignedCheckpoint::parse(&note) {
                    Err(e) => problems.push(format!("checkpoint does not parse: {e}")),
                    Ok(signed) => {
                        match keys::verifiers(self.ledger().dir()) {
                            Ok(keys) => {
                                if !keys.iter().any(|k| k.verify(&signed).is_ok()) {
                                    problems.push("checkpoint signature does not verify with the ledger's key".into());
                                }
                            }
                            Err(e) => problems.push(format!("cannot load the ledger's key: {e}")),
                        }
                        let c = signed.checkpoint();
                        let root_now = self.root_from_records(size)?;
                        if c.size != size {
                            problems.push(format!(
                                "checkpoint is for {} records, the report for {size}",
                                c.size
                            ));
                        } else if c.root != root_now {
                            problems.push(format!(
                            "the ledger's first {size} records no longer have the checkpoint's root: they were rewritten"
                        ));
                        }
                        if report["ledger"]["root"].as_str() != Some(c.root.to_hex().as_str()) {
                            problems.push("the report's root is not the checkpoint's root".into());
                        }
                        let proof = self.store().consistency_proof(size, head)?;
                        let head_root: Hash = self.store().merkle_root(head)?;
                        if let Err(e) = verify_consistency(size, head, &c.root, &head_root, &proof)
                        {
                            problems.push(format!(
                                "the ledger today does not extend the checkpoint's tree: {e}"
                            ));
                        }
                    }
                }
            }
        }
        Ok(ReportCheck {
            ok: problems.is_empty(),
            size,
            ledger_size: head,
            problems,
        })
    }
}
